"""The vega bundle the HTML book serves itself (``_static/vega-bundle.js``):
vega, vega-lite and vega-embed from vl-convert, so charts draw with no network."""

from __future__ import annotations

from pathlib import Path

import vl_convert as vlc

from analysis.charts import VL_VERSION


def bundle_source() -> str:
    """vega + vega-lite + vega-embed as one classic script, no network needed.

    vl-convert's bundle declares top-level ``const`` names (one is ``_``) that
    collide with Sphinx's globals; wrapping it in a function keeps them local
    while it still sets ``window.vegaEmbed``.
    """
    return "(function () {\n" + vlc.javascript_bundle(vl_version=VL_VERSION) + "\n})();\n"


def _bundle_header() -> str:
    return f"/* vega bundle: vl-convert {vlc.__version__}, vega-lite {VL_VERSION} */\n"


def bundle_current(path: Path) -> bool:
    """Whether ``path`` holds a bundle of the installed vl-convert and Vega-Lite versions."""
    path = Path(path)
    if not path.exists():
        return False
    with path.open(encoding="utf-8") as existing:
        return existing.readline() == _bundle_header()


def write_bundle(path: Path) -> Path:
    """Write :func:`bundle_source` to ``path`` unless a bundle of the same
    vl-convert and Vega-Lite versions is there already (bundling takes seconds)."""
    path = Path(path)
    if bundle_current(path):
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(_bundle_header() + bundle_source(), encoding="utf-8")
    return path
