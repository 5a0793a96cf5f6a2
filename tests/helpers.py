"""Helpers shared by the tests: the project root, the pages of _toc.yml, and
the rule that under CI (CI=true) a missing browser or TeX is a failure, not a skip."""

from __future__ import annotations

import csv
import io
import os
import sys
from pathlib import Path

import pytest
import yaml

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


def rows_of(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


def write(path: Path, rows: list[list[str]], newline: str = "\n", bom: bool = False) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=newline).writerows(rows)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + buffer.getvalue().encode("utf-8"))
    return path


# Two clock settings for the whole build process, by libfaketime (Debian's
# faketime): every clock the process reads, in Python and in C extensions.
CLOCKS = {"early": "-1234d", "late": "+987d"}


def clocked(command: list[str], name: str) -> list[str]:
    """``command`` run with the clock CLOCKS[name] away from now."""
    return ["faketime", "-f", CLOCKS[name], *command]


def build_env() -> dict[str, str]:
    """The environment of a build with no SOURCE_DATE_EPOCH of its own."""
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    return {**env, "PYTHONPATH": str(ROOT)}
