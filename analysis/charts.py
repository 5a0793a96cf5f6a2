"""Charts: the book's Altair theme, its offline renderer and generic builders.

The renderer ``book`` turns a Vega-Lite spec into one output bundle:

- ``text/html``: a container with a deterministic id (a hash of the spec),
  a static PNG inside it as fallback, and a script that draws the interactive
  chart with ``vegaEmbed`` when the page has loaded the vega bundle that the
  book serves itself (``_static/vega-bundle.js``, see :func:`write_bundle`);
- ``image/png``: the static chart, used by the PDF (LaTeX) build;
- ``application/vnd.vegalite.v6+json``: the spec, which nbval compares, so a
  data change is always caught; JupyterLab draws it natively;
- ``text/plain``: a one-line description.

Japanese labels use a pinned Japanese gothic font stack (Debian's
fonts-noto-cjk provides the first family for the static images).
"""

from __future__ import annotations

import base64
import hashlib
import html
import json

import altair as alt
import vl_convert as vlc

FONT = "Noto Sans CJK JP, Hiragino Sans, Yu Gothic, Meiryo, sans-serif"
PALETTE = ["#1f5aa6", "#d1495b", "#edae49", "#00798c", "#66a182", "#8d6a9f", "#6c757d"]
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


def sourced(frame, unit: str, source: str):
    """``frame`` with the unit label and the source keys of all its rows."""
    return frame.assign(**{UNIT: unit, SOURCE: source})


def missing_provenance(spec: dict) -> list[str]:
    """The datasets of a Vega-Lite spec with a row lacking its unit or its sources."""
    bad = []
    for name, rows in spec.get("datasets", {}).items():
        if any(not row.get(UNIT) or not row.get(SOURCE) for row in rows):
            bad.append(name)
    return bad


def chart_id(spec: dict) -> str:
    """A stable element id for a spec: the same chart always gets the same id."""
    digest = hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()
    return f"vega-{digest[:12]}"


def png_bytes(spec: dict) -> bytes:
    """The chart as PNG (vl-convert; deterministic for the same fonts)."""
    return vlc.vegalite_to_png(spec, vl_version=VL_VERSION, scale=PNG_SCALE)


def description(spec: dict) -> str:
    """The chart's accessible description (``description`` of the spec)."""
    return str(spec.get("description") or "図")


def html_fragment(spec: dict, png: bytes) -> str:
    """Container + static fallback + script that draws the chart with the book's bundle."""
    element = chart_id(spec)
    alt_text = html.escape(description(spec), quote=True)
    data = base64.b64encode(png).decode()
    # The PNG is drawn at PNG_SCALE: show it at its natural size, not stretched.
    width = int.from_bytes(png[16:20], "big") // PNG_SCALE
    # The page draws offline: the schema URL is metadata, not needed to draw.
    drawn = {k: v for k, v in spec.items() if k != "$schema"}
    spec_json = json.dumps(drawn, sort_keys=True, ensure_ascii=False).replace("</", "<\\/")
    return (
        f'<div id="{element}" class="vega-chart" role="figure" aria-label="{alt_text}">'
        f'<img class="vega-fallback" alt="{alt_text}" style="width:{width}px;max-width:100%" '
        f'src="data:image/png;base64,{data}"/></div>\n'
        '<script type="text/javascript">(function () {\n'
        f'  var spec = {spec_json};\n'
        f'  var el = document.getElementById("{element}");\n'
        '  if (!el || typeof window.vegaEmbed !== "function") { return; }\n'
        '  var target = document.createElement("div");\n'
        '  el.appendChild(target);\n'
        '  var options = {actions: false, renderer: "svg", mode: "vega-lite"};\n'
        '  window.vegaEmbed(target, spec, options).then(function () {\n'
        '    var img = el.querySelector("img.vega-fallback");\n'
        '    if (img) { img.remove(); }\n'
        '  }).catch(function (err) { console.error(err); target.remove(); });\n'
        '})();</script>'
    )


def render(spec: dict, **_metadata) -> dict:
    """Altair renderer ``book``: the output bundle described in the module docstring."""
    png = png_bytes(spec)
    return {
        "text/html": html_fragment(spec, png),
        "image/png": base64.b64encode(png).decode(),
        VEGALITE_MIME: spec,
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
        sort: list | None = None, labels: str | None = None) -> alt.Chart:
    """Vertical bars of ``y`` by category ``x`` (optionally coloured by ``color``).

    ``labels`` names a column of preformatted text drawn above each bar.
    """
    enc = {
        "x": alt.X(f"{x}:N", title=x_title, sort=sort, axis=alt.Axis(labelAngle=0)),
        "y": alt.Y(f"{y}:Q", title=y_title),
        "tooltip": [alt.Tooltip(f"{x}:N", title=x_title), alt.Tooltip(f"{y}:Q", title=y_title)],
    }
    if color:
        enc["color"] = alt.Color(f"{color}:N", title=color_title)
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
             x_title: str, description: str, sort: list | None = None) -> alt.Chart:
    """Point estimates with horizontal confidence-interval bars, one row per ``y``."""
    base = alt.Chart(frame).encode(y=alt.Y(f"{y}:N", title=y_title, sort=sort))
    bars = base.mark_rule(strokeWidth=2).encode(
        x=alt.X(f"{low}:Q", title=x_title, scale=alt.Scale(domain=[0, 100])), x2=f"{high}:Q")
    points = base.mark_point(filled=True, size=70).encode(
        x=f"{estimate}:Q",
        tooltip=[alt.Tooltip(f"{y}:N", title=y_title), alt.Tooltip(f"{estimate}:Q", title="推定値"),
                 alt.Tooltip(f"{low}:Q", title="下限", format=".1f"),
                 alt.Tooltip(f"{high}:Q", title="上限", format=".1f")])
    return alt.layer(bars, points, description=description).properties(height=40 * len(frame))
