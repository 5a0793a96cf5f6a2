"""The vega bundle the HTML book serves itself: vega, vega-lite and
vega-embed from vl-convert, so charts draw with no network.

It is ``_static/vega-bundle.<digest>.js``, the digest being the first 16 hex
digits of the file's SHA-256: a reader's browser keeps it for the whole visit
(every page with a chart names the same file), and a new bundle has a new name.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from pathlib import Path

import vl_convert as vlc

from analysis.charts import VL_VERSION

NAME = re.compile(r"vega-bundle\.([0-9a-f]{16})\.js")


def bundle_source() -> str:
    """vega + vega-lite + vega-embed as one classic script, no network needed.

    vl-convert's bundle declares top-level ``const`` names (one is ``_``) that
    collide with Sphinx's globals; wrapping it in a function keeps them local
    while it still sets ``window.vegaEmbed``.
    """
    return finish_bundle(start_bundle())


# vl-convert holds the GIL while it bundles (1-2 s of one core), so a thread
# would stop the build that long: a process of its own makes the bundle.
_BUNDLER = "import sys, vl_convert; sys.stdout.write(vl_convert.javascript_bundle(vl_version=sys.argv[1]))"


def start_bundle() -> subprocess.Popen:
    """Start making :func:`bundle_source` in a process of its own, to go on
    meanwhile; :func:`finish_bundle` reads it."""
    return subprocess.Popen([sys.executable, "-c", _BUNDLER, VL_VERSION], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)


def finish_bundle(process: subprocess.Popen) -> str:
    """The :func:`bundle_source` that :func:`start_bundle`'s process made; its error if it failed."""
    out, err = process.communicate()
    if process.returncode != 0:
        raise RuntimeError(f"bundling vega failed: {err.decode('utf-8', 'replace').strip()}")
    return "(function () {\n" + out.decode("utf-8") + "\n})();\n"


def _bundle_header() -> str:
    return f"/* vega bundle: vl-convert {vlc.__version__}, vega-lite {VL_VERSION} */\n"


def digest(data: bytes) -> str:
    """The digest a bundle's name carries: the first 16 hex digits of its SHA-256."""
    return hashlib.sha256(data).hexdigest()[:16]


def bundle_name(data: bytes) -> str:
    return f"vega-bundle.{digest(data)}.js"


def current_bundle(folder: Path) -> Path | None:
    """The bundle in ``folder`` of the installed vl-convert and Vega-Lite
    versions, whose name carries its digest; None if there is none."""
    for path in sorted(Path(folder).glob("vega-bundle.*.js")):
        if NAME.fullmatch(path.name):
            with path.open(encoding="utf-8") as existing:
                if existing.readline() == _bundle_header():
                    return path
    return None


def write_bundle(folder: Path, source: str | None = None) -> Path:
    """Write the bundle into ``folder`` as ``vega-bundle.<digest>.js`` unless a
    current one is there (bundling takes seconds), and remove any other
    bundle; return its path. ``source``: :func:`bundle_source`, if already made."""
    folder = Path(folder)
    path = current_bundle(folder)
    if path is None:
        data = (_bundle_header() + (source if source is not None else bundle_source())).encode("utf-8")
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / bundle_name(data)
        path.write_bytes(data)
    for old in folder.glob("vega-bundle*.js"):
        if old != path:
            old.unlink()
    return path
