"""Pages written in another language than the book's (``language: ja``): their
text is marked with its language, so that a screen reader reads the English
summary in English (WCAG 2.1, 3.1.2 Language of Parts), while the page's
navigation and controls, which stay Japanese, keep the book's ``lang``."""

from __future__ import annotations

# page name (the document's path without suffix) -> the language of its text
PAGE_LANGUAGES = {"chapters/appendix/summary_en": "en"}


def page_language(app, pagename: str, templatename: str, context: dict, doctree) -> None:
    language = PAGE_LANGUAGES.get(pagename)
    if language and "body" in context:
        context["body"] = f'<div lang="{language}">{context["body"]}</div>'


def setup(app) -> dict:
    app.connect("html-page-context", page_language)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
