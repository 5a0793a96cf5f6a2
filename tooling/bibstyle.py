"""The bibliography's styles: author-year citations that never say "n.d.",
and entries that show who, when, what, where (registered by tooling.sphinx_ext)."""

from __future__ import annotations

import re

from tooling.cjk import CJK

# The name the plain-text backend is registered under at run time; its alias
# "text" is not, and each lookup of it scans every installed distribution's
# entry points twice (about 10 s per build over the bibliography's entries).
PLAIN = "plaintext"


def register_plaintext_backend() -> None:
    """sphinxcontrib-bibtex looks up pybtex's plaintext backend once per
    citation (about 500 per build), and each lookup scans the entry points of
    every installed distribution (3-4 s per build). Registered once, the same
    class is found in pybtex's runtime table instead."""
    from pybtex.plugin import find_plugin, register_plugin

    register_plugin("pybtex.backends", PLAIN, find_plugin("pybtex.backends", PLAIN), force=True)


# ---- Bibliography: author-year citations that never say "n.d." -------------
#
# The rule (documented in chapters/appendix/bibliography.md):
# - a citation reads (author, year); the year is the publication year, or, for
#   an undated web page, the year it was consulted marked as such (2026年閲覧);
#   an entry with neither reads 日付不明, and its note says why (never a guess);
# - two sources with the same author and year label get a, b, c... in the
#   order of the bibliography (総務省, 2024a);
# - an entry shows: author or organisation (year label)「title」date of
#   publication if more than the year is known (``month``, or the day in
#   ``date = {2025-02-14}``), publisher (unless it is the author), container
#   (journal, proceedings), note, URL and access date (閲覧日, ``urldate``).
# pybtex's own styles lowercase titles (sentence case), which mangles "AI",
# and write "n.d." in sphinxcontrib-bibtex's author-year references.

BIB_STYLE = "book"  # pybtex formatting style: bibtex_default_style
BIB_REFERENCE_STYLE = "book_author_year"  # sphinxcontrib-bibtex: bibtex_reference_style
ACCESSED = "閲覧"
UNDATED = "日付不明"


def _cjk(text: str) -> bool:
    return bool(re.search(f"[{CJK}]", text))


def _jp_date(year: str, month: str = "", day: str = "") -> str:
    """2024年7月5日 / 2024年7月 / 2024年."""
    text = f"{int(year)}年"
    if month:
        text += f"{int(month)}月"
        if day:
            text += f"{int(day)}日"
    return text


def _urldate(entry) -> tuple[str, str, str] | None:
    """The access date of an entry (``urldate = {2026-01-05}``), as (y, m, d)."""
    value = entry.fields.get("urldate", "").strip()
    if not value:
        return None
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value)
    if match is None:
        raise ValueError(f"{entry.key}: urldate must be YYYY-MM-DD, not {value!r}")
    return match.groups()


def published(entry) -> tuple[str, str, str]:
    """The publication date of an entry as (y, m, d), each '' when unknown:
    ``year``, ``month`` and, for the day, ``date = {2025-02-14}`` (which must
    agree with them)."""
    year, month = entry.fields.get("year", "").strip(), entry.fields.get("month", "").strip()
    value = entry.fields.get("date", "").strip()
    if not value:
        return year, month, ""
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value)
    if match is None:
        raise ValueError(f"{entry.key}: date must be YYYY-MM-DD, not {value!r}")
    y, m, d = match.groups()
    if y != year or not month or int(m) != int(month):
        raise ValueError(f"{entry.key}: date {value} disagrees with year {year!r} and month {month!r}")
    return y, m, d


def base_year_label(entry) -> str:
    """The year part of a citation before a/b/c: 2024, 2026年閲覧 or 日付不明."""
    year = entry.fields.get("year", "").strip()
    if year:
        return year
    accessed = _urldate(entry)
    if accessed:
        return f"{int(accessed[0])}年{ACCESSED}"
    return UNDATED


def _author_key(entry) -> str:
    persons = entry.persons.get("author", [])
    return " ".join(" ".join(p.last_names + p.first_names) for p in persons).replace("{", "").replace("}", "")


def year_labels(sorted_entries) -> dict[str, str]:
    """Year labels by key; same author and same label get a, b, c... in order."""
    groups: dict[tuple[str, str], list[str]] = {}
    for entry in sorted_entries:
        groups.setdefault((_author_key(entry), base_year_label(entry)), []).append(entry.key)
    labels = {}
    for (_, base), keys in groups.items():
        for index, key in enumerate(keys):
            labels[key] = base + ("abcdefghijklmnopqrstuvwxyz"[index] if len(keys) > 1 else "")
    return labels


def _book_style():
    """The pybtex formatting style ``book`` (built lazily: pybtex and
    sphinxcontrib-bibtex are imported only when the extension is set up)."""
    from pybtex.richtext import HRef, Text
    from pybtex.style import FormattedEntry
    from pybtex.style.formatting import BaseStyle

    def rich(entry, name: str):
        return Text.from_latex(entry.fields[name]) if entry.fields.get(name, "").strip() else None

    class BookStyle(BaseStyle):
        """Japanese author-year entries; see the rule above."""

        default_name_style = "lastfirst"
        default_label_style = "number"
        default_sorting_style = "author_year_title"

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self._year_labels: dict[str, str] = {}
            self.sort = self._sort
            self.format_labels = self._format_labels

        def _sort(self, entries):
            def key(entry):
                year = entry.fields.get("year", "") or "9999"  # undated last in a group
                return (_author_key(entry).lower(), year, entry.fields.get("month", "").zfill(2),
                        entry.fields.get("title", ""))

            return sorted(entries, key=key)

        def _format_labels(self, sorted_entries):
            sorted_entries = list(sorted_entries)
            self._year_labels = year_labels(sorted_entries)
            return self.label_style.format_labels(sorted_entries)

        def year_label(self, entry) -> str:
            return self._year_labels.get(entry.key) or base_year_label(entry)

        def authors(self, entry):
            persons = entry.persons.get("author", [])
            if not persons:
                return None
            if any(_cjk(" ".join(p.last_names)) for p in persons):
                return Text("・").join(
                    [Text(*p.rich_last_names, *p.rich_first_names) for p in persons])
            names = [self.format_name(p, abbr=True).format() for p in persons]
            if len(names) == 1:
                return names[0]
            return Text(Text(", ").join(names[:-1]), ", & ", names[-1])

        def format_entry(self, label, entry, bib_data=None):
            fields = entry.fields
            author = self.authors(entry)
            year = self.year_label(entry)
            parts = [author or "", f"（{year}）"]
            title = rich(entry, "title")
            if title is not None:
                parts += ["「", title, "」"]
            year_, month_, day_ = published(entry)
            if year_ and month_:
                parts += [_jp_date(year_, month_, day_), ". "]
            container = rich(entry, "journal") or rich(entry, "booktitle")
            # the publisher is not repeated when it is the author or names the container
            shown = " ".join(t.render_as(PLAIN) for t in (author, container) if t is not None)
            for name in ("publisher", "organization", "howpublished"):
                value = rich(entry, name)
                if value is not None and value.render_as(PLAIN) not in shown:
                    parts += [value, ". "]
            if container is not None:
                details = []
                if fields.get("volume"):
                    number = f"({fields['number']})" if fields.get("number") else ""
                    details.append(fields["volume"] + number)
                if fields.get("pages"):
                    details.append(fields["pages"].replace("--", "–"))
                parts += [container, "".join(", " + d for d in details), ". "]
            note = rich(entry, "note")
            if note is not None:
                end = note.render_as(PLAIN)[-1:]
                parts += [note, "" if end in "。.）)" else "。", " "]
            if fields.get("url"):
                parts += ["URL: ", HRef(fields["url"], fields["url"])]
            accessed = _urldate(entry)
            if accessed:
                parts.append(f"（{_jp_date(*accessed)}{ACCESSED}）")
            text = Text(*parts[:-1], parts[-1].rstrip() if isinstance(parts[-1], str) else parts[-1])
            formatted = FormattedEntry(entry.key, text, label)
            formatted.year_label = year  # read by the reference style below
            return formatted

    return BookStyle


def _book_reference_style():
    """sphinxcontrib-bibtex's author-year references with the year label above."""
    from dataclasses import dataclass

    from pybtex.richtext import Text
    from pybtex.style.template import join, node
    from sphinxcontrib.bibtex.style.referencing import author_year, basic_author_year, extra_year
    from sphinxcontrib.bibtex.style.template import join2, post_text, pre_text, reference

    @node
    def year(children, data):
        assert not children
        formatted = data["formatted_entry"]
        return Text(getattr(formatted, "year_label", None) or base_year_label(data["entry"]))

    @dataclass
    class Parenthetical(basic_author_year.BasicAuthorYearParentheticalReferenceStyle):
        def inner(self, role_name):
            return join2(sep1=self.pre_text_sep, sep2=self.post_text_sep)[
                pre_text,
                reference[join(sep=self.author_year_sep)[
                    self.person.author_or_editor_or_title(full="s" in role_name), year]],
                post_text,
            ]

    @dataclass
    class Textual(basic_author_year.BasicAuthorYearTextualReferenceStyle):
        def inner(self, role_name):
            return join(sep=self.text_reference_sep)[
                self.person.author_or_editor_or_title(full="s" in role_name),
                join[self.bracket.left,
                     join2(sep1=self.pre_text_sep, sep2=self.post_text_sep)[
                         pre_text, reference[year], post_text],
                     self.bracket.right],
            ]

    @dataclass
    class YearOnly(extra_year.ExtraYearReferenceStyle):
        def inner(self, role_name):
            return reference[year]

    @dataclass
    class BookAuthorYear(author_year.AuthorYearReferenceStyle):
        def __post_init__(self):
            super().__post_init__()
            replace = {
                basic_author_year.BasicAuthorYearParentheticalReferenceStyle: Parenthetical(
                    bracket=self.bracket_parenthetical, person=self.person,
                    author_year_sep=self.author_year_sep, pre_text_sep=self.pre_text_sep,
                    post_text_sep=self.post_text_sep),
                basic_author_year.BasicAuthorYearTextualReferenceStyle: Textual(
                    bracket=self.bracket_textual, person=self.person,
                    text_reference_sep=self.text_reference_sep, pre_text_sep=self.pre_text_sep,
                    post_text_sep=self.post_text_sep),
                extra_year.ExtraYearReferenceStyle: YearOnly(bracket=self.bracket_year),
            }
            self.styles = [replace.get(type(style), style) for style in self.styles]
            self.role_style.update(
                (role_name, style) for style in self.styles for role_name in style.role_names())

    return BookAuthorYear


def register_styles() -> None:
    """Register the styles under the names _config.yml gives (bibtex_default_style,
    bibtex_reference_style), in pybtex's and sphinxcontrib-bibtex's runtime tables."""
    from pybtex.plugin import register_plugin
    from sphinxcontrib.bibtex.plugin import register_plugin as register_reference_style

    register_plugin("pybtex.style.formatting", BIB_STYLE, _book_style(), force=True)
    register_reference_style("sphinxcontrib.bibtex.style.referencing", BIB_REFERENCE_STYLE,
                             _book_reference_style(), force=True)
