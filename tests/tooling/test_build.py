"""``make book`` (tooling.build): a bad data file stops it with the clear
message, before anything is written or rebuilt."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT, rows_of, write

pytestmark = pytest.mark.slow  # builds the book or the PDF, or executes notebooks


def test_make_book_fails_on_a_bad_file_and_leaves_the_built_book_alone(tmp_path):
    """The README's build command itself: exits non-zero with the clear message,
    and the previously built book and the stored notebooks stay as they were."""
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    tree = tmp_path / "tree"
    shutil.copytree(ROOT, tree, ignore=shutil.ignore_patterns(".venv", "_build", ".git", "__pycache__"))
    page = tree / "_build" / "html" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text("previous build", encoding="utf-8")
    target = tree / "data" / "claims" / "04_ai.csv"
    rows = rows_of(target)
    rows[2][rows[0].index("source")] = "nobody_said_this"
    write(target, rows)
    before = {p: p.read_bytes() for p in (tree / "chapters").rglob("*.ipynb")}
    venv = Path(sys.executable).parent.parent
    # -o: the environment exists already; do not reinstall it into the copy.
    proc = subprocess.run([make, "-o", f"{venv}/.installed", "book", f"VENV={venv}"], cwd=tree,
                          capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(tree)})
    assert proc.returncode != 0
    message = "data/claims/04_ai.csv, row 3, column 'source': unknown source key 'nobody_said_this'"
    assert message in proc.stderr
    assert page.read_text(encoding="utf-8") == "previous build"
    assert {p: p.read_bytes() for p in before} == before
