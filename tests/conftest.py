"""Shared fixtures: the project root, a fresh build of the book, and the
rule that under CI (CI=true) a missing browser or TeX is a failure, not a skip."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from analysis.build import STRICT

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
GLUE_TEXT = "application/papermill.record/text/plain"  # a glued value, as myst-nb reads it


def toc_sources() -> list[Path]:
    """The source file of every page of _toc.yml (root first)."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    names = [toc["root"]] + [c["file"] for part in toc["parts"] for c in part["chapters"]]
    paths = []
    for name in names:
        found = [ROOT / f"{name}{ext}" for ext in (".ipynb", ".md") if (ROOT / f"{name}{ext}").exists()]
        assert found, f"_toc.yml names {name}, which has no .ipynb or .md"
        paths.append(found[0])
    return paths


def toc_pages() -> list[str]:
    """The page name of every page of _toc.yml (root first): 'chapters/04_ai'."""
    return [str(p.relative_to(ROOT).with_suffix("")) for p in toc_sources()]


def require(condition: bool, reason: str) -> None:
    """Skip when ``condition`` is false, except under CI, where it fails."""
    if condition:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"required under CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def built_book(tmp_path_factory) -> tuple[Path, str]:
    """Build the book from the stored notebook outputs into a temporary folder
    with -W -n --keep-going; return (html folder, build log)."""
    out = tmp_path_factory.mktemp("book")
    proc = subprocess.run(
        [str(BIN / "jupyter-book"), "build", str(ROOT), "--path-output", str(out), *STRICT],
        capture_output=True, text=True, cwd=ROOT)
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, f"book build failed:\n{log[-4000:]}"
    return out / "_build" / "html", log


@pytest.fixture(scope="session")
def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    require(path is not None, "Debian's chromium is not installed (apt-get install chromium)")
    return path


def offline_context(browser, allowed: tuple[str, ...], width: int = 1280, height: int = 900):
    """A browser context that aborts every request whose URL does not start
    with one of ``allowed``; returns (context, list of blocked URLs)."""
    context = browser.new_context(service_workers="block", viewport={"width": width, "height": height})
    blocked: list[str] = []

    def route(r):
        if r.request.url.startswith(allowed):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    return context, blocked
