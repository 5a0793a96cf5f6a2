"""Pages written in another language than the book's (``language: ja``): their
``<html lang>``, so that a screen reader reads the English summary in English
(WCAG 2.1, 3.1.2 Language of Parts). The theme writes ``lang`` from the page
context's ``language``."""

from __future__ import annotations

# page name (the document's path without suffix) -> its language
PAGE_LANGUAGES = {"chapters/appendix/summary_en": "en"}


def page_language(app, pagename: str, templatename: str, context: dict, doctree) -> None:
    language = PAGE_LANGUAGES.get(pagename)
    if language:
        context["language"] = language


def setup(app) -> dict:
    app.connect("html-page-context", page_language)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
