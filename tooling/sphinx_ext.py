"""Sphinx extension of the book: the vega bundle and MathJax served from the
book itself (no CDN), MathJax only on the pages with math, its stylesheet,
the charts' page parts (:mod:`tooling.chart_pages`), the Japanese line
joining (:mod:`tooling.cjk`) and the bibliography style (:mod:`tooling.bibstyle`).

myst-nb finds the charts' mime plugin here, as ``VegaLiteSpecRenderer`` (the
entry point in pyproject.toml).
"""

from __future__ import annotations

import re
import threading
from pathlib import Path

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from tooling import bibstyle, chart_pages, cjk, figures, vega
from tooling.chart_pages import VegaLiteSpecRenderer

__all__ = ["VegaLiteSpecRenderer", "setup"]

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


# ---- the book's static files and each page's assets ------------------------------

# MathJax 3 as components: the TeX input, the CommonHTML output and the
# hidden MathML that screen readers read, without the contextual menu that
# the combined tex-chtml.js carries (165 KB gzipped instead of 264 KB).
MATHJAX = "mathjax/startup.js"
MATHJAX_LOAD = ["input/tex", "output/chtml", "a11y/assistive-mml"]


def _mathjax_dir() -> Path:
    """MathJax 3 as shipped by the pinned PyPI package sphinx-mathjax-offline."""
    from importlib.metadata import distribution

    return Path(distribution("sphinx-mathjax-offline").locate_file("sphinx-mathjax-offline/static/mathjax"))


class _Bundling(threading.Thread):
    """Bundling vega takes about 2 s of one core and releases the GIL, so it
    runs in a thread while Sphinx reads the pages."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.source: str | None = None

    def run(self) -> None:
        self.source = vega.bundle_source()


_bundling: _Bundling | None = None


def _static(app) -> Path:
    return Path(app.outdir) / "_static"


def _start_bundle(app) -> None:
    """Start bundling vega, unless the built book has a current bundle."""
    global _bundling
    if app.builder.format != "html":
        return
    if vega.current_bundle(_static(app)) is None:
        _bundling = _Bundling()
        _bundling.start()


def badge_css() -> str:
    """The rating badges' colours, one rule per label, from data/rating/scale.csv."""
    from analysis import ratings

    scale = ratings.scale()
    return "".join(f'.rating-badge[data-rating="{ratings.position(label)}"] {{ background: {c}; }}\n'
                   for label, c in zip(scale["label"], scale["color"], strict=True))


def _write_static(app, builder) -> None:
    """Before the first page is written, the book's own static files: MathJax,
    the vega bundle and the stylesheet. Every page then names the same files
    (with the same ``?v=`` checksum Sphinx adds for a file that exists).

    The bundle is a classic script in the head of every page, so that the
    first page of a visit brings it and every later page finds it in the
    browser's cache (its name changes with its content)."""
    global _bundling
    if builder.format != "html":
        return
    from sphinx.util.fileutil import copy_asset

    target = _static(app) / "mathjax"
    if not (target / "tex-chtml.js").exists():  # the pinned copy never changes
        copy_asset(str(_mathjax_dir()), str(target))
    source = None
    if _bundling is not None:
        _bundling.join()
        source, _bundling = _bundling.source, None
    app.add_js_file(vega.write_bundle(_static(app), source).name)
    (_static(app) / STYLE).write_text(CSS + badge_css(), encoding="utf-8")


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


# What a page's body holds when it uses sphinx-design or sphinx-togglebutton
# (jupyter-book loads both on every page; the book's folded computations are
# myst-nb's own <details>, which need neither)
USES = {
    "design": re.compile(r'class="(?:[^"]*\s)?sd-'),
    "togglebutton": re.compile(r'class="(?:[^"]*\s)?(?:toggle|dropdown)[\s"]'),
}


def _page_assets(app, pagename, templatename, context, doctree) -> None:
    """Each page's scripts and stylesheets: MathJax only on a page with math,
    sphinx-design's and sphinx-togglebutton's only where they are used, never
    sphinx-thebe's.

    Sphinx's mathjax extension loads MathJax on a page whose toctree includes
    a page with math, i.e. on the title page too (the root of the whole
    book); here only a page's own math counts. The book has no live kernels,
    and thebe's inline config is declared twice (a page error) and names a CDN URL.
    """
    if "script_files" not in context:
        return
    body = context.get("body", "")
    has_math = app.env.get_domain("math").data["has_equations"].get(pagename, False)
    unused = [name for name, used in USES.items() if not used.search(body)]

    def keep(asset) -> bool:
        name = getattr(asset, "filename", None) or str(asset)
        text = getattr(asset, "attributes", {}).get("body", "") or ""
        if not has_math and (name.endswith(app.config.mathjax_path) or text.startswith("window.MathJax")):
            return False
        toggle_vars = text.startswith(("let toggle", "var toggle"))
        if "togglebutton" in unused and ("togglebutton" in name or toggle_vars):
            return False
        if "design" in unused and ("design-tabs" in name or "sphinx-design" in name):
            return False
        return "thebe" not in name and "THEBE" not in text

    context["script_files"][:] = [js for js in context["script_files"] if keep(js)]
    if "css_files" in context:
        context["css_files"][:] = [css for css in context["css_files"] if keep(css)]


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
    config.mathjax3_config = {**(config.mathjax3_config or {}), "loader": {"load": MATHJAX_LOAD}}
    config.book_tooling = _extension_digest()


def setup(app) -> dict:
    """The bundle, MathJax and the stylesheet written before the pages are;
    each page's assets; the charts' page parts; the Japanese line joining."""
    app.add_config_value("book_tooling", "", "env")
    bibstyle.register_plaintext_backend()
    bibstyle.register_styles()
    app.add_css_file(STYLE)
    app.connect("builder-inited", _start_bundle)
    app.connect("write-started", _write_static)
    app.connect("config-inited", _track_extension)
    app.connect("doctree-read", cjk.join_lines)
    # before Sphinx's own collectors (500), so that the download links are collected
    app.connect("doctree-read", chart_pages.add_data_links, priority=400)
    app.add_post_transform(chart_pages.ChartOutputs)
    app.add_post_transform(chart_pages.ChartCaptions)
    app.add_post_transform(NoCodeInPrint)
    # after Sphinx's mathjax extension (500), which adds MathJax
    app.connect("html-page-context", _page_assets, priority=900)
    app.connect("html-page-context", _bibliography_roles)
    app.connect("doctree-resolved", _drop_thebe_config, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
