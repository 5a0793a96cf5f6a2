"""Shared fixtures: a fresh build of the book, and the browser."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.helpers import BIN, ROOT, require
from tooling.build import STRICT, source_date_epoch


@pytest.fixture(scope="session")
def built_book(tmp_path_factory) -> tuple[Path, str]:
    """Build the book from the stored notebook outputs into a temporary folder
    with -W -n --keep-going, dated like `make book` (SOURCE_DATE_EPOCH: the
    last commit's time unless set); return (html folder, build log)."""
    out = tmp_path_factory.mktemp("book")
    epoch = source_date_epoch()
    env = {**os.environ, **({"SOURCE_DATE_EPOCH": epoch} if epoch else {})}
    proc = subprocess.run(
        [str(BIN / "jupyter-book"), "build", str(ROOT), "--path-output", str(out), *STRICT],
        capture_output=True, text=True, cwd=ROOT, env=env)
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, f"book build failed:\n{log[-4000:]}"
    return out / "_build" / "html", log


@pytest.fixture(scope="session")
def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    require(path is not None, "Debian's chromium is not installed (apt-get install chromium)")
    return path


def pytest_collection_modifyitems(items) -> None:
    """nbval re-executes every notebook: slow, like the built-book checks."""
    for item in items:
        if item.path.suffix == ".ipynb":
            item.add_marker(pytest.mark.slow)
