"""Sphinx extension: serve the vega bundle from the built book (no CDN)."""

from __future__ import annotations

import re
import threading
from pathlib import Path

from analysis import charts
from tooling import vega

BUNDLE = "vega-bundle.js"
STYLE = "book.css"
# Layout of the ledger table and charts; served from the book like the bundle.
CSS = """
.ledger table { font-size: 0.82em; }
.ledger td:nth-child(2) { min-width: 7em; }
.ledger td:nth-child(4), .ledger td:nth-child(5) { min-width: 5em; }
.ledger td:nth-child(6) { min-width: 4.5em; white-space: nowrap; }
.ledger { overflow-x: auto; }
/* a bib key breaks anywhere; without a minimum width that let the column shrink to one character */
.ledger td:nth-child(7) { min-width: 8.5em; max-width: 11em; word-break: break-all; }
.ledger td:nth-child(8) { min-width: 14em; }
.ledger th[data-sort="asc"]::after { content: " ▲"; }
.ledger th[data-sort="desc"]::after { content: " ▼"; }
.vega-chart { overflow-x: auto; }
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


def _write_bundle(app, exception) -> None:
    if _bundling is not None:
        _bundling.join()
    if exception is None and app.builder.format == "html":
        from sphinx.util.fileutil import copy_asset

        target = Path(app.outdir) / "_static" / "mathjax"
        if not (target / "tex-chtml.js").exists():  # the pinned copy never changes
            copy_asset(str(_mathjax_dir()), str(target))
        vega.write_bundle(Path(app.outdir) / "_static" / BUNDLE)
        (Path(app.outdir) / "_static" / STYLE).write_text(CSS, encoding="utf-8")


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
    """SHA-256 of the modules that shape the pages: this extension and the
    vega bundle. The library reaches the pages only through re-executed
    notebooks, and the rest of the tooling (build, refresh, pdf, bench) never
    does, so neither is hashed here."""
    import hashlib

    digest = hashlib.sha256()
    for path in (Path(__file__), Path(vega.__file__)):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _track_extension(app, config) -> None:
    """Make a change of this extension rewrite every page: Sphinx tracks
    config values, not extension code. Also point math at the local MathJax."""
    config.mathjax_path = MATHJAX
    config.html_context = {**config.html_context, "book_extension": _extension_digest()}


CJK = "\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
CJK_BREAK = re.compile(f"(?<=[{CJK}])\\s*\\n\\s*(?=[{CJK}])")


def _join_cjk_lines(app, doctree) -> None:
    """A line break in the source between two Japanese characters is not a
    space in Japanese text: drop it (HTML would show a stray space). MyST
    keeps a soft break as its own "\\n" text node, so neighbours are looked at."""
    from docutils import nodes

    cjk = re.compile(f"[{CJK}]")
    for node in list(doctree.findall(nodes.Text)):
        parent = node.parent
        if parent is None or isinstance(parent, (nodes.literal_block, nodes.raw, nodes.literal)):
            continue
        text = str(node)
        if "\n" not in text:
            continue
        joined = CJK_BREAK.sub("", text)
        if not text.strip():
            index = parent.index(node)
            before = parent[index - 1].astext() if index > 0 else ""
            after = parent[index + 1].astext() if index + 1 < len(parent) else ""
            if before and after and cjk.match(before[-1]) and cjk.match(after[0]):
                joined = ""
        if joined != text:
            parent.replace(node, nodes.Text(joined))


def _register_plaintext_backend() -> None:
    """sphinxcontrib-bibtex looks up pybtex's plaintext backend once per
    citation (about 500 per build), and each lookup scans the entry points of
    every installed distribution (3-4 s per build). Registered once, the same
    class is found in pybtex's runtime table instead."""
    from pybtex.plugin import find_plugin, register_plugin

    register_plugin("pybtex.backends", "plaintext", find_plugin("pybtex.backends", "plaintext"), force=True)


def setup(app) -> dict:
    """Add the bundle as a classic script in every page's head and write it after the build."""
    _register_plaintext_backend()
    app.add_js_file(BUNDLE)
    app.add_css_file(STYLE)
    app.connect("builder-inited", _start_bundle)
    app.connect("build-finished", _write_bundle)
    app.connect("config-inited", _track_extension)
    app.connect("doctree-read", _join_cjk_lines)
    app.connect("html-page-context", _drop_thebe)
    app.connect("doctree-resolved", _drop_thebe_config, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


class VegaLiteSpecRenderer:
    """myst-nb mime plugin: the book draws charts from their ``text/html``
    (and ``image/png`` in the PDF); the Vega-Lite spec in the same bundle is
    kept for nbval and JupyterLab, so the book renders nothing for it instead
    of warning about an unknown mime type.
    """

    mime_priority_overrides = [("*", charts.VEGALITE_MIME, None)]

    @staticmethod
    def handle_mime(renderer, data, inline: bool):
        if data.mime_type == charts.VEGALITE_MIME:
            return []
        return None

    @staticmethod
    def handle_mime_inline(renderer, data):
        return VegaLiteSpecRenderer.handle_mime(renderer, data, True)
