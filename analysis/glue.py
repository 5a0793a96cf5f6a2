"""What a notebook page does with its results: set-up, glue (texts and charts for
``{glue:text}`` and ``{glue:figure}``), and tables the book renders in HTML and PDF."""

from __future__ import annotations

import pandas as pd
from IPython.display import Markdown, display

from analysis import charts, data, pdf_tables
from analysis import text as text_layer

CHAPTER_TITLES = {
    "01_policy": "日本の科学技術政策転換：選択と集中の必然性",
    "02_kprogram": "経済安全保障とK Program：安全保障化する科学技術政策",
    "03_quantum": "量子技術で描く未来社会",
    "04_ai": "AI戦略の核心：融合と応用",
    "05_world": "世界と比較する日本の戦略ポジション",
    "06_side_effects": "選択と集中の副作用：基礎研究と人材育成の危機",
}


def short_title(chapter: str) -> str:
    """The part of a chapter's title before its colon: 'AI戦略の核心'."""
    return CHAPTER_TITLES.get(chapter, chapter).replace(":", "：").split("：")[0]


PAGE = {"name": ""}  # the page being executed, for the messages of analysis.prose


def setup(page: str = "") -> None:
    """Register the chart theme and renderer; quiet pandas output; remember the
    page (e.g. '04_ai') so that a sentence that stops holding names it."""
    charts.register()
    pd.set_option("display.max_columns", 20)
    PAGE["name"] = page


def page_name() -> str:
    """The page passed to setup(), or '' outside a book page."""
    return PAGE["name"]


def show_markdown(text: str) -> None:
    """Display ``text`` as Markdown (MyST roles such as {ref} work in the book)."""
    display(Markdown(text))


def text(name: str, text: str) -> None:
    """Glue ``text`` (already formatted) under ``name`` for ``{glue:text}``.

    Glued as a ``str``: its plain-text form is the quoted repr, which myst-nb
    turns back into exactly ``text`` (a bare ``2,457`` would be read as the
    tuple ``(2, 457)``).
    """
    from myst_nb import glue

    if not isinstance(text, str):
        raise TypeError(f"glue.text({name!r}) takes a formatted str, got {type(text).__name__}")
    glue(name, text, display=False)


def amount(name: str, value: float, unit: str, digits: int | None = None) -> None:
    """Glue a computed value with its unit (:func:`analysis.text.amount`): '1兆7,397億円'."""
    text(name, text_layer.amount(value, unit, digits))


def given(name: str, row) -> None:
    """Glue an observation row (``value``, ``unit``) as its source gave it: '2兆円'."""
    text(name, text_layer.row(row))


def ends(rows: pd.DataFrame, *, first: str = "", last: str = "", first_period: str = "",
         last_period: str = "") -> None:
    """Glue a series' first and last rows (as their source gave them) and their
    periods (:func:`analysis.text.period`), under the names given; a name left
    empty is not glued. ``rows`` in order, with ``value``, ``unit`` and ``period``."""
    for name, row, what in ((first, rows.iloc[0], "value"), (last, rows.iloc[-1], "value"),
                            (first_period, rows.iloc[0], "period"), (last_period, rows.iloc[-1], "period")):
        if name:
            text(name, text_layer.row(row) if what == "value" else text_layer.period(row["period"]))


def texts(written: dict[str, str], **names: str) -> None:
    """Glue ``written[part]`` under the name given for each part:
    ``glue.texts({"end": "126.2億ドル"}, end="q_fbi_end")``; a part without text is a KeyError."""
    for part, name in names.items():
        text(name, written[part])


CHANGES = ("rate", "points", "multiple")


def change(name: str, old: float, new: float, how: str = "rate", digits: int | None = None) -> None:
    """Glue the change from ``old`` to ``new``: as a rate of change ('-12.3%',
    ``how='rate'``), a difference of percentages in points ('4.1ポイント'), or
    a multiple ('12.0倍')."""
    if how not in CHANGES:
        raise ValueError(f"how must be one of {CHANGES}, got {how!r}")
    if how == "rate":
        text(name, text_layer.rate(new / old - 1.0, digits))
    elif how == "points":
        text(name, text_layer.points(new - old, digits))
    else:
        text(name, text_layer.multiple(new / old, digits))


def chart(name: str, chart) -> None:
    """Glue an Altair chart under ``name`` for ``{glue:figure}``, and show it.

    Shown too, so that JupyterLab and an nbconvert export display the chart
    where it is made; the book folds that cell's code and removes its output
    (tags ``hide-input``, ``remove-output``) and draws the chart once, in its
    captioned figure. The spec records the order of each dataset's columns
    (``usermeta``; stored notebooks sort JSON keys), so that the chart's data
    table and CSV read in the frame's order.
    """
    from myst_nb import glue

    spec = chart.to_dict()
    missing = charts.missing_provenance(spec)
    if missing:
        raise ValueError(f"chart {name!r}: every row it plots needs the columns "
                         f"{charts.UNIT!r} and {charts.SOURCE!r} (see charts.sourced); datasets {missing}")
    unknown = charts.unknown_sources(spec, data.source_keys())
    if unknown:
        raise ValueError(f"chart {name!r}: the column {charts.SOURCE!r} holds references.bib keys; "
                         f"not keys: {unknown}")
    glue(name, chart.properties(usermeta={"columns": charts.columns_of(spec)}), display=True)


def _cell(text: object) -> str:
    """A value as the text of a pipe-table cell (pipes escaped, on one line)."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def markdown_table(frame: pd.DataFrame) -> str:
    """A pipe table of ``frame`` (index dropped), for HTML and PDF alike.

    In a MyST ``{table}`` directive when the PDF needs a layout of its own
    (a smaller size, column widths, page breaks: :mod:`analysis.pdf_tables`);
    the HTML book shows the same table either way.
    """
    header = [_cell(c) for c in frame.columns]
    rows = [[_cell(v) for v in row] for row in frame.itertuples(index=False)]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return pdf_tables.myst_table("\n".join(lines), [header, *rows])


def show_table(frame: pd.DataFrame) -> None:
    """Display ``frame`` as a Markdown table (rendered by the book in HTML and PDF)."""
    display(Markdown(markdown_table(frame)))
