"""The book's sources (``references.bib``) as readable citations: who, when,
what, and where the bibliography lists them.

The bibliography page gives each entry the anchor ``cite-<key>`` (the
``bibtex_cite_id`` setting; docutils writes ``_`` as ``-`` in ids), so a table
built in code can link a source to its entry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis import data

BIBLIOGRAPHY_PAGE = "chapters/appendix/bibliography"


@dataclass(frozen=True)
class Citation:
    """One source as a reader sees it."""

    key: str
    author: str   # person or organisation, as the entry names it
    year: str     # publication year, or '2026年閲覧' (access year) when undated
    title: str
    url: str

    @property
    def label(self) -> str:
        """Author and year: '文部科学省（2024）'."""
        return f"{self.author}（{self.year}）"

    @property
    def anchor(self) -> str:
        """The entry's id on the bibliography page."""
        return "cite-" + re.sub(r"[^a-z0-9]+", "-", self.key.lower()).strip("-")


@data.cached
def _plain(text: str) -> str:
    """A field's LaTeX as plain text: braces gone and escapes read
    ('McKinsey \\& Company' -> 'McKinsey & Company'). The plain-text backend is
    named, not looked up: ``render_as("text")`` scans every installed package's
    entry points on each call (seconds over a build)."""
    from pybtex.backends.plaintext import Backend
    from pybtex.richtext import Text

    return Text.from_latex(text).render(Backend()).strip()


@data.cached
def _entries() -> dict:
    from pybtex.database import parse_file

    data.record(data.BIB)
    return dict(parse_file(str(data.BIB)).entries)


@data.cached
def citation(key: str) -> Citation:
    """The readable citation of a references.bib key (KeyError naming the key)."""
    entries = _entries()
    if key not in entries:
        raise KeyError(f"no entry {key!r} in references.bib")
    entry = entries[key]
    people = entry.persons.get("author") or entry.persons.get("editor") or []
    author = "・".join(_plain(str(p)) for p in people) or _plain(entry.fields.get("organization", ""))
    year = _plain(entry.fields.get("year", ""))
    if not year and entry.fields.get("urldate"):
        year = _plain(entry.fields["urldate"])[:4] + "年閲覧"
    return Citation(key, author or "著者不明", year or "年不明", _plain(entry.fields.get("title", "")),
                    entry.fields.get("url", ""))
