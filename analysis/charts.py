"""Charts: the book's Altair theme, its renderer and generic builders.

The renderer ``book`` turns a Vega-Lite spec into one output bundle, with the
chart's image stored once:

- ``application/vnd.vegalite.v6+json``: the spec, which nbval compares, so a
  data change is always caught; the HTML book draws the interactive chart
  from it (the Sphinx extension in ``tooling/`` adds the offline vega bundle,
  a data table and the links to the chart's data);
- ``image/png``: the static chart, for the PDF, for the HTML page when
  scripts are off, and for JupyterLab and nbconvert exports;
- ``text/plain``: a one-line description.

Every row a chart plots carries its unit (``単位``) and its sources (``出典``),
so that the data behind each chart says what it is and where it comes from.
Japanese labels use a pinned Japanese gothic font stack (Debian's
fonts-noto-cjk provides the first family for the static images).
"""

from __future__ import annotations

import base64
from collections.abc import Sequence

import altair as alt
import vl_convert as vlc

FONT = "Noto Sans CJK JP, Hiragino Sans, Yu Gothic, Meiryo, sans-serif"
# Each colour stands at least 3:1 against the white background (WCAG 1.4.11: a line or
# a bar the reader must see); the third was #edae49, 1.95:1, before #b8860b.
PALETTE = ["#1f5aa6", "#d1495b", "#b8860b", "#00798c", "#66a182", "#8d6a9f", "#6c757d"]
KIND_LABELS = {"actual": "実績", "estimate": "見込", "forecast": "予測", "target": "目標",
               "plan": "計画", "derived": "算出値"}
VEGALITE_MIME = "application/vnd.vegalite.v6+json"
VL_VERSION = "6.4"
# Every dataset a chart plots carries these columns, so that the data behind
# each chart (its CSV and its table) says the unit and the sources of each row.
UNIT = "単位"
SOURCE = "出典"  # references.bib keys of the values in the row, separated by spaces
WIDTH = 560
HEIGHT = 300
NARROW_WIDTH = 270
"""Plot width (px) of a chart with long category labels beside it, so that
labels, plot and value labels fit the book's text column without scrolling."""
PNG_SCALE = 2


@alt.theme.register("book", enable=False)
def theme() -> alt.theme.ThemeConfig:
    """Fonts, sizes and palette shared by every chart of the book."""
    return alt.theme.ThemeConfig({
        "config": {
            "font": FONT,
            "view": {"continuousWidth": WIDTH, "continuousHeight": HEIGHT, "stroke": None},
            # labelLimit 0: no axis label is ever cut short with "…"
            "axis": {"labelLimit": 0, "labelFont": FONT, "titleFont": FONT, "labelFontSize": 12,
                     "titleFontSize": 13, "titleFontWeight": "normal", "gridColor": "#e5e5e5"},
            "legend": {"labelFont": FONT, "titleFont": FONT, "labelFontSize": 12,
                       "titleFontSize": 12, "orient": "bottom", "labelLimit": 480},
            "title": {"font": FONT, "fontSize": 14, "anchor": "start"},
            "header": {"labelFont": FONT, "titleFont": FONT},
            "text": {"font": FONT},
            "range": {"category": PALETTE},
            "background": "white",
        }
    })


def sourced(frame, unit: str | Sequence[str], source: str | Sequence[str]):
    """``frame`` with the unit label and the source keys (space-separated
    references.bib keys) of its rows: one for all rows, or one per row, in
    row order (a Series is taken by position, not aligned by index)."""
    def column(value):
        return value if isinstance(value, str) else list(value)

    return frame.assign(**{UNIT: column(unit), SOURCE: column(source)})


def joined_sources(values) -> str:
    """Source cells (each one or more space-separated references.bib keys) as
    one cell: every key once, in order of first appearance."""
    return " ".join(dict.fromkeys(k for v in values for k in str(v).split() if k))


def missing_provenance(spec: dict) -> list[str]:
    """The datasets of a Vega-Lite spec with a row lacking its unit or its sources."""
    bad = []
    for name, rows in spec.get("datasets", {}).items():
        if any(not row.get(UNIT) or not row.get(SOURCE) for row in rows):
            bad.append(name)
    return bad


def columns_of(spec: dict) -> dict[str, list[str]]:
    """Each dataset's columns, in the order of the frame it came from."""
    return {name: list(rows[0]) if rows else [] for name, rows in spec.get("datasets", {}).items()}


def unknown_sources(spec: dict, keys: set[str]) -> list[str]:
    """The words of the source columns of a spec that are not references.bib keys."""
    found = {word for rows in spec.get("datasets", {}).values() for row in rows
             for word in str(row.get(SOURCE) or "").split()}
    return sorted(found - keys)


def png_bytes(spec: dict) -> bytes:
    """The chart as PNG (vl-convert; deterministic for the same fonts)."""
    return vlc.vegalite_to_png(spec, vl_version=VL_VERSION, scale=PNG_SCALE)


def description(spec: dict) -> str:
    """The chart's accessible description (``description`` of the spec)."""
    return str(spec.get("description") or "図")


def render(spec: dict, **_metadata) -> dict:
    """Altair renderer ``book``: the output bundle described in the module docstring."""
    return {
        VEGALITE_MIME: spec,
        "image/png": base64.b64encode(png_bytes(spec)).decode(),
        "text/plain": f"<図: {description(spec)}>",
    }


def register() -> None:
    """Enable the book's theme and renderer (called by ``book.setup()``)."""
    alt.renderers.register("book", render)
    alt.renderers.enable("book")
    alt.theme.enable("book")
    # Data stays inline in the spec: no external files, works offline.
    alt.data_transformers.disable_max_rows()


# ---- generic builders -------------------------------------------------------
# Each takes a tidy DataFrame and Japanese titles and returns an alt.Chart
# with a description (the accessible text). Titles stay out of the plot: the
# caption in the book says what a figure shows.


def bar(frame, x: str, y: str, x_title: str, y_title: str, description: str,
        color: str | None = None, color_title: str | None = None,
        sort: list | None = None, labels: str | None = None,
        color_sort: list | None = None) -> alt.Chart:
    """Vertical bars of ``y`` by category ``x`` (optionally coloured by ``color``).

    ``labels`` names a column of preformatted text drawn above each bar.
    """
    enc = {
        "x": alt.X(f"{x}:N", title=x_title, sort=sort, axis=alt.Axis(labelAngle=0)),
        "y": alt.Y(f"{y}:Q", title=y_title),
        "tooltip": [alt.Tooltip(f"{x}:N", title=x_title), alt.Tooltip(f"{y}:Q", title=y_title)],
    }
    if color:
        enc["color"] = alt.Color(f"{color}:N", title=color_title, sort=color_sort)
    base = alt.Chart(frame).mark_bar().encode(**enc)
    layers = [base]
    if labels:
        layers.append(alt.Chart(frame).mark_text(dy=-7, fontSize=12).encode(
            x=alt.X(f"{x}:N", sort=sort), y=alt.Y(f"{y}:Q"), text=alt.Text(f"{labels}:N")))
    return alt.layer(*layers, description=description).properties(width=WIDTH, height=HEIGHT)


def grouped_bar(frame, x: str, y: str, group: str, x_title: str, y_title: str,
                group_title: str, description: str, sort: list | None = None,
                group_sort: list | None = None) -> alt.Chart:
    """Bars of ``y`` by ``x``, side by side for each value of ``group``."""
    return alt.Chart(frame, description=description).mark_bar().encode(
        x=alt.X(f"{x}:N", title=x_title, sort=sort, axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset(f"{group}:N", sort=group_sort),
        y=alt.Y(f"{y}:Q", title=y_title),
        color=alt.Color(f"{group}:N", title=group_title, sort=group_sort),
        tooltip=[alt.Tooltip(f"{x}:N", title=x_title), alt.Tooltip(f"{group}:N", title=group_title),
                 alt.Tooltip(f"{y}:Q", title=y_title)],
    ).properties(width=WIDTH, height=HEIGHT)


def line(frame, x: str, y: str, x_title: str, y_title: str, description: str,
         color: str | None = None, color_title: str | None = None,
         y_zero: bool = True, reverse_y: bool = False) -> alt.Chart:
    """Lines with points of ``y`` over ``x`` (a number, usually the year)."""
    enc = {
        "x": alt.X(f"{x}:Q", title=x_title, axis=alt.Axis(format="d")),
        "y": alt.Y(f"{y}:Q", title=y_title, scale=alt.Scale(zero=y_zero, reverse=reverse_y)),
        "tooltip": [alt.Tooltip(f"{x}:Q", title=x_title), alt.Tooltip(f"{y}:Q", title=y_title)],
    }
    if color:
        enc["color"] = alt.Color(f"{color}:N", title=color_title)
        enc["tooltip"].append(alt.Tooltip(f"{color}:N", title=color_title))
    return alt.Chart(frame, description=description).mark_line(point=True).encode(**enc)


def interval(frame, y: str, estimate: str, low: str, high: str, y_title: str,
             x_title: str, description: str, sort: list | None = None, width: int = WIDTH) -> alt.Chart:
    """Point estimates with horizontal confidence-interval bars, one row per ``y``."""
    base = alt.Chart(frame).encode(y=alt.Y(f"{y}:N", title=y_title, sort=sort))
    bars = base.mark_rule(strokeWidth=2).encode(
        x=alt.X(f"{low}:Q", title=x_title, scale=alt.Scale(domain=[0, 100])), x2=f"{high}:Q")
    points = base.mark_point(filled=True, size=70).encode(
        x=f"{estimate}:Q",
        tooltip=[alt.Tooltip(f"{y}:N", title=y_title), alt.Tooltip(f"{estimate}:Q", title="推定値"),
                 alt.Tooltip(f"{low}:Q", title="下限", format=".1f"),
                 alt.Tooltip(f"{high}:Q", title="上限", format=".1f")])
    return alt.layer(bars, points, description=description).properties(width=width, height=40 * len(frame))
