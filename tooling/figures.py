"""The data behind every chart, read from the notebooks' stored outputs.

A chart's output holds its Vega-Lite spec with the rows it plots (each with
its unit, ``単位``, and its sources, ``出典``). From it the book derives, for
each figure (named by its ``glue:figure`` ``:name:``):

- ``exports/figures/<name>.csv``: exactly the rows the chart plots;
- ``exports/figures/<name>.vl.json``: the Vega-Lite spec;

and, on the HTML page, the drawing script, a data table in ``<details>`` and
links to both files (see :mod:`tooling.sphinx_ext`).
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import re
from pathlib import Path

import nbformat

from analysis.charts import SOURCE, VEGALITE_MIME

FIGURE = re.compile(r"```\{glue:figure\}\s+(\S+)\s*\n:name:\s*(\S+)")


def chart_id(spec: dict) -> str:
    """A stable element id for a spec: the same chart always gets the same id."""
    digest = hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()
    return f"vega-{digest[:12]}"


def rows(spec: dict) -> list[dict]:
    """Every row the chart plots, from all its datasets, in order."""
    return [row for dataset in spec.get("datasets", {}).values() for row in dataset]


def columns(spec: dict) -> list[str]:
    """The fields of the rows: in the order of the frames they came from (the
    spec's ``usermeta``), then any other field in the order it first appears."""
    ordered = [c for cols in spec.get("usermeta", {}).get("columns", {}).values() for c in cols]
    return list(dict.fromkeys([*ordered, *(key for row in rows(spec) for key in row)]))


def cell(value: object) -> str:
    """A value as the CSV holds it: numbers in full, whole floats without '.0', None empty."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def shown(value: object) -> str:
    """A value as the page's table shows it: at most four decimals (the CSV keeps them all)."""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.4f}".rstrip("0").rstrip(".")
    return cell(value)


def to_csv(spec: dict) -> str:
    """The rows the chart plots, as CSV (UTF-8, with the unit and source columns)."""
    records = rows(spec)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    names = columns(spec)
    writer.writerow(names)
    for row in records:
        writer.writerow([cell(row.get(name)) for name in names])
    return buffer.getvalue()


def to_json(spec: dict) -> str:
    return json.dumps(spec, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def table_html(spec: dict, cite_link) -> str:
    """The rows as an HTML table; ``cite_link(key)`` gives the (href, text) of a source."""
    records = rows(spec)
    names = columns(spec)
    head = "".join(f'<th scope="col">{html.escape(n)}</th>' for n in names)
    body = []
    for row in records:
        cells = []
        for name in names:
            text = shown(row.get(name))
            if name == SOURCE and text:
                links = [cite_link(key) for key in text.split()]
                anchors = "、".join(f'<a href="{h}">{html.escape(t)}</a>' for h, t in links)
                cells.append(f"<td>{anchors}</td>")
            else:
                cells.append(f"<td>{html.escape(text)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (f'<table class="chart-data-table"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table>')


def glued_charts(path: Path) -> dict[str, dict]:
    """The charts of a notebook's stored outputs, by figure name (``:name:``)."""
    nb = nbformat.read(path, as_version=4)
    by_key = {}
    for cell_ in nb.cells:
        for out in cell_.get("outputs", []):
            key = out.get("metadata", {}).get("scrapbook", {}).get("name")
            if key and VEGALITE_MIME in out.get("data", {}):
                by_key[key] = out["data"][VEGALITE_MIME]
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    return {name: by_key[key] for key, name in FIGURE.findall(text) if key in by_key}
