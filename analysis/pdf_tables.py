"""How a table of the book is laid out in the PDF: its font size, its column
widths and whether it may break across pages, computed from its cells.

:func:`analysis.glue.markdown_table` writes these as options of a MyST
``{table}`` directive around the pipe table; Sphinx's LaTeX builder turns them
into the table's column spec (``:widths:`` gives ``\\X{w}{total}`` columns),
its environment (``:class: longtable``) and, through the book's own table
templates (``_templates/latex/``), its font size (``:class: latex-footnotesize``)
and ragged-right cells. The HTML book keeps its automatic column widths and
sets a ``latex-footnotesize`` table smaller too (the stylesheet in
``tooling/sphinx_ext.py``).

The measure is the em of the table's font: a Japanese (full-width) character
is 1 em, a Latin letter or digit half, as the PDF sets them.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

LINE_PT = 470.0     # \linewidth of the A4 page (22 mm margins, _config.yml geometry)
TALL_PT = 420.0     # a table taller than this (0.6 of the text height) breaks across pages
LONG_ROWS = 30      # Sphinx makes a table of more rows a longtable whatever its class
# (class, font size pt, \tabcolsep pt): the size of a table whose cells all fit
# on one line in it. The first is the book's table size (\small, set for every
# table in _config.yml); the others are set by _templates/latex/ for a table of
# that class.
SIZES = [
    ("", 9.0, 6.0),
    ("latex-footnotesize", 8.0, 3.0),
]
PAD_EM = 0.5        # room kept in a column beside its text
HEADER_EM = 4.0     # a column heading this wide or narrower is never broken (件数, not 件/数)
# A citation prints as "[author, year]"; its key says nothing about its width.
CITATION = "[文部科学省, 2024]"
ROLE = re.compile(r"\{(?P<name>[\w:-]+)\}`(?P<target>[^`]*)`")
LINK = re.compile(r"\[(?P<text>[^\]]*)\]\([^)]*\)")
MARKUP = re.compile(r"\*\*|__|`|\\(?=[\\|*_`\[\]])")


@dataclass(frozen=True)
class Layout:
    """A table's layout in the PDF: ``size`` is the class of its font size
    ("" for the book's table size), ``widths`` its relative column widths
    (empty: natural widths), ``long`` whether it breaks across pages."""

    size: str
    widths: tuple[int, ...]
    long: bool

    def options(self) -> dict[str, str]:
        """The ``{table}`` directive options for this layout (none: a plain pipe table does)."""
        classes = " ".join(c for c in ("longtable" if self.long else "", self.size) if c)
        options = {}
        if self.widths:
            options["widths"] = " ".join(str(w) for w in self.widths)
        if classes:
            options["class"] = classes
        return options


def plain_text(cell: str) -> str:
    """The printed text of a Markdown table cell, near enough to measure it:
    roles such as ``{cite}`key``` as a citation, links as their text."""
    text = ROLE.sub(lambda m: CITATION if m["name"].startswith("cite") else m["target"], cell)
    text = LINK.sub(lambda m: m["text"], text)
    return re.sub(r"\s+", " ", MARKUP.sub("", text)).strip()


def text_em(text: str) -> float:
    """Width in em: a full-width (Japanese) character is 1 em, others half, plus
    the space (xkanjiskip, about 1/4 em) that Japanese typesetting puts
    between Japanese and Latin letters or digits."""
    wide = [unicodedata.east_asian_width(ch) in "WF" for ch in text]
    changes = sum(1 for i in range(1, len(text)) if wide[i] != wide[i - 1] and not text[i].isspace())
    return sum(1.0 if w else 0.5 for w in wide) + 0.25 * changes


def min_em(text: str) -> float:
    """The widest piece that cannot break: a run of half-width characters
    (Japanese text breaks between any characters; identifiers after ``_``)."""
    runs = re.findall(r"[^\s_\u3000-\u9fff\uff00-\uffef]+_?", text)
    return max((text_em(r) for r in runs), default=0.0)


def typical_em(widths: list[float]) -> float:
    """The width of a column's long cells: the 90th percentile, so that one
    outlier cell wraps instead of widening its column for every row."""
    ordered = sorted(widths)
    return ordered[max(0, -(-9 * len(ordered) // 10) - 1)]


def column_widths(rows: list[list[str]], budget: float) -> list[float]:
    """Widths (em) that share ``budget`` among the columns (``rows[0]`` is the
    header), tabulary-like: a column whose long cells fit in an equal share
    keeps their width; the others share the rest in proportion to their
    average length, each at least as wide as its widest unbreakable piece
    and its heading when that is short (:data:`HEADER_EM`)."""
    ncol = len(rows[0])
    heading = [text_em(h) if text_em(h) <= HEADER_EM else 0.0 for h in rows[0]]
    natural = [max(typical_em([text_em(r[i]) for r in rows]), heading[i]) + PAD_EM for i in range(ncol)]
    floor = [max(heading[i], *(min_em(r[i]) for r in rows)) + PAD_EM for i in range(ncol)]
    weight = [sum(text_em(r[i]) for r in rows) / len(rows) + PAD_EM for i in range(ncol)]
    fixed = {i: natural[i] for i in range(ncol) if natural[i] <= budget / ncol}
    while len(fixed) < ncol:
        free = [i for i in range(ncol) if i not in fixed]
        rest = budget - sum(fixed.values())
        total = sum(weight[i] for i in free)
        narrow = {i: floor[i] for i in free if floor[i] >= rest * weight[i] / total}
        if not narrow:
            return [fixed.get(i, rest * weight[i] / total) for i in range(ncol)]
        fixed.update(narrow)
    return [fixed[i] for i in range(ncol)]


def height_pt(rows: list[list[str]], font_pt: float, widths: list[float]) -> float:
    """About how tall the table is: lines of each row's tallest cell."""
    lines = sum(max(math.ceil(text_em(c) / w) if c else 1 for c, w in zip(r, widths, strict=True))
                for r in rows)
    return lines * 1.5 * font_pt + len(rows) * 0.6 * font_pt


def budget_em(ncol: int, font_pt: float, sep_pt: float) -> float:
    """The line width left for the text of ``ncol`` columns, in em of the font."""
    return (LINE_PT - 2 * sep_pt * ncol) / font_pt


def layout(rows: list[list[str]]) -> Layout:
    """The layout of a table whose printed cells are ``rows`` (header first).

    A table whose cells all fit on one line in the book's table size keeps
    natural column widths; otherwise it is set a size smaller, in the widths
    that share the line (:func:`column_widths`), in per mille of the line.
    A table taller than :data:`TALL_PT` breaks across pages.
    """
    ncol = len(rows[0])
    natural = [max(text_em(r[i]) for r in rows) + PAD_EM for i in range(ncol)]
    size, font_pt, sep_pt = SIZES[0]
    widths: tuple[int, ...] = ()
    if sum(natural) > budget_em(ncol, font_pt, sep_pt):
        size, font_pt, sep_pt = SIZES[-1]
        em = column_widths(rows, budget_em(ncol, font_pt, sep_pt))
        natural = em
        widths = tuple(max(1, round(1000 * (w * font_pt + 2 * sep_pt) / LINE_PT)) for w in em)
    long = len(rows) - 1 > LONG_ROWS or height_pt(rows, font_pt, natural) > TALL_PT
    return Layout(size=size, widths=widths, long=long)


def myst_table(pipe_table: str, rows: list[list[str]]) -> str:
    """``pipe_table`` (Markdown, cells ``rows`` with the header first) in a
    ``{table}`` directive with its PDF layout, or as it is when it needs none."""
    options = layout([[plain_text(c) for c in r] for r in rows]).options()
    if not options:
        return pipe_table
    head = ":::{table}\n" + "".join(f":{key}: {value}\n" for key, value in options.items())
    return head + "\n" + pipe_table + "\n:::"
