"""Pages written in another language than the book's (``language: ja``): their
text is marked with its language, so that a screen reader reads the English
summary in English (WCAG 2.1, 3.1.2 Language of Parts), while the page's
navigation and controls, which stay Japanese, keep the book's ``lang``. The
Japanese inside such a page (the article's quotes, the labels of the rating
scale, links to Japanese pages) is marked back as Japanese."""

from __future__ import annotations

import re

# page name (the document's path without suffix) -> the language of its text
PAGE_LANGUAGES = {"chapters/appendix/summary_en": "en"}

# A quote of the article (「…」, whatever it holds), or a run of Japanese script:
# kana, kanji, CJK punctuation and full-width forms, with digits between them (2030年までに)
_KANA_KANJI = "\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff5e"
JAPANESE = re.compile(rf"「[^」<]*」|[{_KANA_KANJI}]+(?:[0-9,.%]+[{_KANA_KANJI}]+)*")
# tags, and the elements whose text is not prose (code is left as written)
_TAG = re.compile(r"(<[^>]*>)")
_RAW = re.compile(r"<(script|style|code|pre)\b", re.I)


def mark_japanese(html: str) -> str:
    """``html`` with each run of Japanese in its text wrapped in ``<span lang="ja">``;
    tags, attributes, scripts and code are left as they are."""
    parts, raw = [], None  # raw: the code or script element the text is in
    for piece in _TAG.split(html):
        if piece.startswith("<"):
            opened = _RAW.match(piece)
            if raw is None and opened:
                raw = opened.group(1).lower()
            elif raw is not None and piece.lower().startswith(f"</{raw}"):
                raw = None
        elif raw is None:
            piece = JAPANESE.sub(lambda found: f'<span lang="ja">{found.group(0)}</span>', piece)
        parts.append(piece)
    return "".join(parts)


def page_language(app, pagename: str, templatename: str, context: dict, doctree) -> None:
    language = PAGE_LANGUAGES.get(pagename)
    if language and "body" in context:
        context["body"] = f'<div lang="{language}">{mark_japanese(context["body"])}</div>'


def setup(app) -> dict:
    app.connect("html-page-context", page_language)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
