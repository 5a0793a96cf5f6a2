"""Charts on the book's pages, from each chart output's Vega-Lite spec and PNG.

In the HTML book a chart is drawn as SVG by the book's own vega bundle (no
network), with its description; its PNG is a separate file inside
``<noscript>`` (loaded only when scripts are off, or put in place when drawing
fails); below it, links to the CSV of exactly the values it plots and to its
Vega-Lite spec (``exports/figures/``), and the same values as a table in
``<details>``. In the PDF the chart is its PNG, and the caption says where
its CSV is in the repository.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from analysis import charts, references
from tooling import ROOT, figures

EXPORTED = "exports/figures"
DRAW = """(function () {
  var el = document.getElementById("%(id)s");
  if (!el) { return; }
  var spec = %(spec)s;
  function fallback() {
    var still = el.querySelector("noscript");
    if (still) { el.insertAdjacentHTML("beforeend", still.textContent); }
  }
  if (typeof window.vegaEmbed !== "function") { fallback(); return; }
  var target = document.createElement("div");
  el.appendChild(target);
  window.vegaEmbed(target, spec, {actions: false, renderer: "svg", mode: "vega-lite"})
    .catch(function (err) { console.error(err); target.remove(); fallback(); });
})();"""


class VegaLiteSpecRenderer:
    """myst-nb mime plugin: keeps a chart's spec in the doctree (a container
    with the spec as JSON) for :class:`ChartOutputs`; no builder selects it,
    so outside HTML the chart is its PNG."""

    mime_priority_overrides = [("*", charts.VEGALITE_MIME, None)]

    @staticmethod
    def handle_mime(renderer, data, inline: bool):
        if data.mime_type != charts.VEGALITE_MIME:
            return None
        spec = data.content if isinstance(data.content, dict) else json.loads(data.string)
        return [nodes.container(classes=["vega-spec"], spec=json.dumps(spec, sort_keys=True))]

    @staticmethod
    def handle_mime_inline(renderer, data):
        return VegaLiteSpecRenderer.handle_mime(renderer, data, True)


def _chart_bundles(doctree) -> list[nodes.container]:
    """myst-nb's mime bundles that hold a chart's spec."""
    def is_chart(node) -> bool:
        return (isinstance(node, nodes.container) and node.get("nb_element") == "mime_bundle"
                and any(c.get("mime_type") == charts.VEGALITE_MIME for c in node.children))
    return list(doctree.findall(is_chart))


def _part(bundle: nodes.container, mime_type: str) -> nodes.Element | None:
    found = [c for c in bundle.children if c.get("mime_type") == mime_type]
    return found[0] if found else None


def figure_name(node: nodes.Node) -> str | None:
    """The ``:name:`` of the figure a chart is in (its first id), if any."""
    while node is not None and not isinstance(node, nodes.figure):
        node = node.parent
    return node["ids"][0] if node is not None and node["ids"] else None


def exported(name: str, suffix: str) -> Path:
    return ROOT / EXPORTED / f"{name}{suffix}"


def add_data_links(app, doctree) -> None:
    """At read time (so that Sphinx collects and copies the files): below each
    chart of a named figure, HTML-only links to its CSV and its spec."""
    for bundle in _chart_bundles(doctree):
        name = figure_name(bundle)
        if not name or not exported(name, ".csv").exists():
            continue
        para = nodes.paragraph(classes=["chart-links"])
        para += nodes.Text("図のデータ：")
        for suffix, text in ((".csv", f"CSV（{name}.csv）"), (".vl.json", "Vega-Lite の仕様")):
            if para.children[-1].astext() != "図のデータ：":
                para += nodes.Text("、")
            para += addnodes.download_reference("", "", nodes.literal("", text), refexplicit=True,
                                                reftarget=f"/{EXPORTED}/{name}{suffix}",
                                                refdoc=app.env.docname)
        only = addnodes.only(expr="html")
        only += para
        bundle.parent.insert(bundle.parent.index(bundle) + 1, only)


class ChartOutputs(SphinxPostTransform):
    """HTML: replace each chart's mime bundle by its drawing, its PNG in
    ``<noscript>`` and its data table. Runs before myst-nb selects a mime type."""

    default_priority = 3
    formats = ("html",)

    def run(self, **kwargs) -> None:
        bibliography = self.app.builder.get_relative_uri(self.env.docname, references.BIBLIOGRAPHY_PAGE)

        def cite_link(key: str) -> tuple[str, str]:
            cite = references.citation(key)
            return f"{bibliography}#{cite.anchor}", cite.label

        for bundle in _chart_bundles(self.document):
            spec = json.loads(_part(bundle, charts.VEGALITE_MIME).children[0]["spec"])
            png = _part(bundle, "image/png")
            describe = html.escape(charts.description(spec), quote=True)
            element = figures.chart_id(spec)
            drawn = json.dumps({k: v for k, v in spec.items() if k != "$schema"}, sort_keys=True,
                               ensure_ascii=False).replace("</", "<\\/")
            opening = (f'<div id="{element}" class="vega-chart" role="region" tabindex="0" '
                       f'aria-label="図：{describe}"><noscript>')
            out = [nodes.raw("", opening, format="html")]
            if png is not None and png.children:
                image = png.children[0].deepcopy()
                image["alt"] = charts.description(spec)
                image["classes"] = ["vega-fallback"]
                out.append(image)
            out.append(nodes.raw("", "</noscript></div><script>" + DRAW % {"id": element, "spec": drawn}
                                 + "</script>", format="html"))
            table = figures.table_html(spec, cite_link)
            out.append(nodes.raw("", '<details class="chart-data"><summary>図のデータを表で見る</summary>'
                                 f"{table}</details>", format="html"))
            bundle.replace_self(out)


class ChartCaptions(SphinxPostTransform):
    """LaTeX: the caption of a chart's figure says where its CSV is in the repository."""

    default_priority = 3
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        for bundle in _chart_bundles(self.document):
            name = figure_name(bundle)
            if not name or not exported(name, ".csv").exists():
                continue
            figure = bundle
            while not isinstance(figure, nodes.figure):
                figure = figure.parent
            for caption in figure.findall(nodes.caption):
                caption += nodes.Text(f"（図のデータ：リポジトリの {EXPORTED}/{name}.csv）")
                break
