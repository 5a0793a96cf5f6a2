"""Sphinx extension of the book: the vega bundle and MathJax served from the
book itself (no CDN), its stylesheet, the charts' page parts
(:mod:`tooling.chart_pages`), the Japanese line joining (:mod:`tooling.cjk`)
and the bibliography style (:mod:`tooling.bibstyle`).

myst-nb finds the charts' mime plugin here, as ``VegaLiteSpecRenderer`` (the
entry point in pyproject.toml).
"""

from __future__ import annotations

import threading
from pathlib import Path

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from tooling import bibstyle, chart_pages, cjk, figures, vega
from tooling.chart_pages import VegaLiteSpecRenderer

__all__ = ["VegaLiteSpecRenderer", "setup"]

BUNDLE = "vega-bundle.js"
STYLE = "book.css"
# Layout of the ledger and the charts; served from the book like the bundle.
CSS = """
/* the ledger page uses the whole width: no in-page table of contents beside it */
.bd-page-width:has(#ledger) { max-width: none; }
.bd-main:has(#ledger) .bd-content .bd-article-container { max-width: none; }
.bd-container:has(#ledger) .bd-sidebar-secondary { display: none; }
.ledger-controls { display: flex; flex-wrap: wrap; gap: .5em 1.2em; align-items: center; margin: .5em 0 1em; }
.ledger-controls label { display: inline-flex; gap: .4em; align-items: center; }
.ledger-scroll { overflow-x: auto; }
.ledger-table { font-size: .85em; min-width: 60em; }
.ledger-table caption { caption-side: top; text-align: left; font-weight: bold;
                        color: var(--pst-color-text-base); }
.ledger-table th button { all: unset; cursor: pointer; font-weight: bold; }
.ledger-table th button:focus-visible { outline: 2px solid var(--pst-color-primary); }
.ledger-table th[aria-sort="ascending"] button::after { content: " ▲"; }
.ledger-table th[aria-sort="descending"] button::after { content: " ▼"; }
.ledger-table td:nth-child(3) { min-width: 14em; }
.ledger-table td:nth-child(4) { white-space: nowrap; }
.ledger-table td:nth-child(6) { min-width: 24em; }
.ledger-table td:nth-child(7) { min-width: 16em; }
.ledger-table td:nth-child(8) { min-width: 12em; }
.ledger-checks { margin: 0; padding-left: 1.1em; }
.ledger-table tr:target { outline: 3px solid var(--pst-color-primary); }
@media (max-width: 720px) {
  .ledger-table { min-width: 0; }
  .ledger-table thead { display: none; }
  .ledger-table, .ledger-table tbody, .ledger-table tr, .ledger-table td { display: block; width: auto; }
  .ledger-table td { min-width: 0 !important; white-space: normal !important; border: 0;
                     padding: .15em .4em; }
  .ledger-table tr { border-top: 2px solid var(--pst-color-border); padding: .4em 0; }
  .ledger-table td::before { content: attr(data-col) "："; font-weight: bold; }
}
.rating-badge { display: inline-block; padding: .1em .55em; border-radius: .8em; color: #fff;
                font-weight: bold; white-space: nowrap; }
/* charts: the drawing, the links to its data, its table */
/* code shown on demand wraps instead of hiding its ends in a scroll box */
div.cell_input pre { white-space: pre-wrap; overflow-wrap: anywhere; }
.vega-chart { overflow-x: auto; }
.vega-chart:focus-visible { outline: 2px solid var(--pst-color-primary); }
.chart-links { font-size: .88em; margin: .2em 0; }
details.chart-data { font-size: .85em; margin: .2em 0 1em; }
details.chart-data summary { cursor: pointer; }
details.chart-data table { margin-top: .4em; }
"""


MATHJAX = "mathjax/tex-chtml.js"


def _mathjax_dir() -> Path:
    """MathJax 3 as shipped by the pinned PyPI package sphinx-mathjax-offline."""
    from importlib.metadata import distribution

    return Path(distribution("sphinx-mathjax-offline").locate_file("sphinx-mathjax-offline/static/mathjax"))


_bundling: threading.Thread | None = None


def _start_bundle(app) -> None:
    """Bundling vega takes about 2 s of one core and releases the GIL, so it
    runs in a thread while Sphinx reads and writes the pages; vl-convert keeps
    the result, and writing it at the end of the build is then immediate."""
    global _bundling
    if app.builder.format == "html" and not vega.bundle_current(Path(app.outdir) / "_static" / BUNDLE):
        _bundling = threading.Thread(target=vega.bundle_source, daemon=True)
        _bundling.start()


def badge_css() -> str:
    """The rating badges' colours, one rule per label, from data/rating/scale.csv."""
    from analysis import ratings

    scale = ratings.scale()
    return "".join(f'.rating-badge[data-rating="{ratings.position(label)}"] {{ background: {c}; }}\n'
                   for label, c in zip(scale["label"], scale["color"], strict=True))


def _write_bundle(app, exception) -> None:
    if _bundling is not None:
        _bundling.join()
    if exception is None and app.builder.format == "html":
        from sphinx.util.fileutil import copy_asset

        target = Path(app.outdir) / "_static" / "mathjax"
        if not (target / "tex-chtml.js").exists():  # the pinned copy never changes
            copy_asset(str(_mathjax_dir()), str(target))
        vega.write_bundle(Path(app.outdir) / "_static" / BUNDLE)
        (Path(app.outdir) / "_static" / STYLE).write_text(CSS + badge_css(), encoding="utf-8")


def _bibliography_roles(app, pagename, templatename, context, doctree) -> None:
    """docutils marks a bibliography entry role="doc-biblioentry", a role
    DPUB-ARIA 1.1 deprecates; inside the citation list (role="list") an entry
    is a list item."""
    if "body" in context and 'role="doc-biblioentry"' in context["body"]:
        context["body"] = context["body"].replace('role="doc-biblioentry"', 'role="listitem"')


class NoCodeInPrint(SphinxPostTransform):
    """The PDF is free of code: the computations shown on demand in the HTML
    book (code cells' sources) are left out of the LaTeX; their outputs stay."""

    default_priority = 3
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        def is_source(node) -> bool:
            return isinstance(node, nodes.container) and node.get("nb_element") == "cell_code_source"

        for source in list(self.document.findall(is_source)):
            source.parent.remove(source)


def _drop_thebe(app, pagename, templatename, context, doctree) -> None:
    """Remove sphinx-thebe's scripts: the book has no live kernels, and its
    inline config is declared twice (a page error) and names a CDN URL."""
    def keep(js) -> bool:
        name = getattr(js, "filename", None) or str(js)
        body = getattr(js, "attributes", {}).get("body", "")
        return "thebe" not in name and "THEBE" not in body

    if "script_files" in context:
        context["script_files"] = [js for js in context["script_files"] if keep(js)]


def _drop_thebe_config(app, doctree, docname) -> None:
    """Remove the per-page thebe configuration nodes (they name a Binder repo)."""
    from docutils import nodes

    for node in list(doctree.findall(nodes.raw)):
        text = node.astext()
        if "x-thebe-config" in text or "kernelName =" in text:
            node.parent.remove(node)


def _extension_digest() -> str:
    """SHA-256 of the tooling modules that shape the pages: this extension, the
    vega bundle, the charts' page parts, the Japanese line joining and the
    bibliography style. The library reaches the pages through re-executed
    notebooks, and the rest of the tooling (build, refresh, exports, pdf,
    bench) never does, so none of those is hashed here."""
    import hashlib

    digest = hashlib.sha256()
    for module in (__file__, vega.__file__, chart_pages.__file__, figures.__file__, cjk.__file__,
                   bibstyle.__file__):
        digest.update(Path(module).read_bytes())
    return digest.hexdigest()[:16]


def _track_extension(app, config) -> None:
    """Make a change of these modules re-read and rewrite every page (their
    handlers run while pages are read): Sphinx tracks config values, not
    extension code, so the digest is a config value that rebuilds the
    environment. Also point math at the local MathJax."""
    config.mathjax_path = MATHJAX
    config.book_tooling = _extension_digest()


def setup(app) -> dict:
    """Add the bundle as a classic script in every page's head and write it after the build."""
    app.add_config_value("book_tooling", "", "env")
    bibstyle.register_plaintext_backend()
    bibstyle.register_styles()
    app.add_js_file(BUNDLE)
    app.add_css_file(STYLE)
    app.connect("builder-inited", _start_bundle)
    app.connect("build-finished", _write_bundle)
    app.connect("config-inited", _track_extension)
    app.connect("doctree-read", cjk.join_lines)
    # before Sphinx's own collectors (500), so that the download links are collected
    app.connect("doctree-read", chart_pages.add_data_links, priority=400)
    app.add_post_transform(chart_pages.ChartOutputs)
    app.add_post_transform(chart_pages.ChartCaptions)
    app.add_post_transform(NoCodeInPrint)
    app.connect("html-page-context", _drop_thebe)
    app.connect("html-page-context", _bibliography_roles)
    app.connect("doctree-resolved", _drop_thebe_config, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
