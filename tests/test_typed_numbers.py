"""No typed derived numbers: every number in the prose and the figure captions
is glued from computation, except quotations of the article and the names and
period labels listed, each with its reason, in tests/allowed_numbers.csv.

A quotation 「…」 that holds a number passes when it is part of one of the
article's statements in the ledger (data/statements/: every numeric statement
of the article is there, quoted verbatim); "…" marks an elision."""

from __future__ import annotations

import csv
import re
import unicodedata
from pathlib import Path

import nbformat
import pytest

from tests.helpers import ROOT, toc_sources

ROLES = "glue|glue:text|glue:any|glue:figure|cite|cite:p|cite:t|numref|ref|doc|eq|download"
ROLE = re.compile(r"\{(?:" + ROLES + r")\}`[^`]*`")
NUMBER = re.compile(r"[0-9０-９][0-9０-９.,]*")


def article_text() -> str:
    """The article's statements as the ledger quotes them, without spaces (NFKC)."""
    from analysis import verdicts

    return "\n".join(squeeze(q) for q in verdicts.statements()["quote"])


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def allowed() -> list[re.Pattern]:
    """The allowed patterns, names before periods (a name may contain a year)."""
    with (ROOT / "tests" / "allowed_numbers.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert all(r["reason"].strip() and r["kind"] in ("name", "period") for r in rows)
    return [re.compile(r["pattern"]) for r in rows]


def prose_blocks(path: Path) -> list[str]:
    """Markdown cells (captions included) of a notebook, or the text of a .md page."""
    if path.suffix == ".md":
        return [path.read_text(encoding="utf-8")]
    nb = nbformat.read(path, as_version=4)
    return [c.source for c in nb.cells if c.cell_type == "markdown"]


def strip_markup(text: str) -> str:
    """Prose without what is not prose: roles, math, code, targets, link targets
    and directive headers and options (a glue:figure's caption stays)."""
    text = re.sub(r"^```\{(?!glue:figure)[^}]*\}.*?^```", "", text, flags=re.S | re.M)
    text = re.sub(r"^```\{glue:figure\}[^\n]*\n", "", text, flags=re.M)
    text = re.sub(r"^:\w[\w-]*:.*$", "", text, flags=re.M)
    text = re.sub(r"\$\$.*?\$\$", "", text, flags=re.S)
    text = re.sub(r"\$[^$\n]+\$", "", text)
    text = ROLE.sub("", text)
    text = re.sub(r"`[^`]*`", "", text)
    text = re.sub(r"^\([\w-]+\)=\s*$", "", text, flags=re.M)
    text = re.sub(r"^\s*\d+\.\s", "", text, flags=re.M)  # numbered-list markers
    return re.sub(r"\]\([^)]*\)", "]", text)


def typed_numbers(text: str, article: str, patterns: list[re.Pattern]) -> list[str]:
    """The pieces of ``text`` that hold a digit no rule allows, with context."""
    text = strip_markup(text)
    for quote in re.findall(r"「([^「」]*)」", text):
        pieces = [p for p in squeeze(quote).split("…") if p]
        if pieces and all(p in article for p in pieces):
            text = text.replace(f"「{quote}」", "「」")
    for pattern in patterns:
        text = pattern.sub("", text)
    return [text[max(0, m.start() - 12):m.end() + 12].replace("\n", " ") for m in NUMBER.finditer(text)]


@pytest.mark.parametrize("path", toc_sources(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_typed_number_in_the_prose(path):
    article, patterns = article_text(), allowed()
    found = [hit for block in prose_blocks(path) for hit in typed_numbers(block, article, patterns)]
    assert not found, "numbers typed into the prose (glue them, or quote the article):\n" + "\n".join(found)


def test_the_scanner_finds_a_typed_number_and_passes_glue_and_quotes():
    article, patterns = "記事は12倍以上の拡大を見込む", allowed()
    assert typed_numbers("倍率は12.3倍です", article, patterns) == ["倍率は12.3倍です"]
    assert typed_numbers("倍率は {glue:text}`x` です", article, patterns) == []
    assert typed_numbers("記事の「12倍以上の拡大」は", article, patterns) == []
    assert typed_numbers("記事にない「13倍」は", article, patterns) != []
    assert typed_numbers("2024年度見込と第6期", article, patterns) == []
