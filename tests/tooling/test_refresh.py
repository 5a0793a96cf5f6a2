"""No stale outputs, ever: a data change re-executes exactly the notebooks that
read it and reaches the built HTML; an unchanged tree executes nothing; two
executions and two builds are byte-identical."""

from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT, rows_of, write
from tooling.build import STRICT

pytestmark = pytest.mark.slow  # builds the book or the PDF, or executes notebooks

BIN = Path(sys.executable).parent
IGNORE = shutil.ignore_patterns(".venv", "_build", ".git", "__pycache__", "book.pdf", "*.egg-info")


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(cwd)}
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=env)


def change_ai_value(tree: Path) -> None:
    """The 2024 generative-AI market value in data/observations/ai.csv: 4,291 -> 4,321 億円."""
    target = tree / "data" / "observations" / "ai.csv"
    target.write_text(target.read_text(encoding="utf-8").replace(",4291,oku_yen,", ",4321,oku_yen,"),
                      encoding="utf-8")


@pytest.fixture()
def tree(tmp_path) -> Path:
    copy = tmp_path / "tree"
    shutil.copytree(ROOT, copy, ignore=IGNORE)
    return copy


def test_jupyterlab_checkpoints_are_never_executed(tree):
    checkpoints = tree / "chapters" / ".ipynb_checkpoints"
    checkpoints.mkdir()
    copy = checkpoints / "07_summary-checkpoint.ipynb"
    copy.write_text((tree / "chapters" / "07_summary.ipynb").read_text(encoding="utf-8")
                    .replace('"analysis": {', '"not_recorded": {'), encoding="utf-8")
    proc = run([sys.executable, "-m", "tooling.refresh", "--check"], tree)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_committed_notebooks_are_current():
    proc = run([sys.executable, "-m", "tooling.refresh", "--check"], ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_data_change_reexecutes_exactly_its_readers_and_reaches_the_html(tree):
    change_ai_value(tree)
    readers = sorted(
        str(p.relative_to(tree)) for p in (tree / "chapters").rglob("*.ipynb")
        if '"data/observations/ai.csv"' in p.read_text(encoding="utf-8"))
    assert "chapters/04_ai.ipynb" in readers
    build = run([sys.executable, "-m", "tooling.build"], tree)  # what make book runs
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    executed = sorted(line.split()[1] for line in build.stdout.splitlines() if line.startswith("executed:"))
    assert executed == readers
    page = (tree / "_build" / "html" / "chapters" / "04_ai.html").read_text(encoding="utf-8")
    assert "4,321億円" in page and "4,291億円" not in page
    again = run([sys.executable, "-m", "tooling.refresh"], tree)
    assert "all notebooks current: nothing to execute" in again.stdout
    rebuild = run([sys.executable, "-m", "tooling.build"], tree)
    assert rebuild.returncode == 0
    assert rebuild.stdout.strip() == "HTML book current: nothing to execute or build (_build/html/index.html)"


def test_a_data_change_after_a_build_is_never_hidden_by_the_build_stamp(tree):
    first = run([sys.executable, "-m", "tooling.build"], tree)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    change_ai_value(tree)
    second = run([sys.executable, "-m", "tooling.build"], tree)
    assert second.returncode == 0, second.stdout[-3000:] + second.stderr[-3000:]
    assert "executed: chapters/04_ai.ipynb" in second.stdout
    page = (tree / "_build" / "html" / "chapters" / "04_ai.html").read_text(encoding="utf-8")
    assert "4,321億円" in page


def test_two_executions_give_byte_identical_notebooks(tree):
    proc = run([sys.executable, "-m", "tooling.refresh", "--force"], tree)
    assert proc.returncode == 0, proc.stderr
    changed = [str(p.relative_to(tree)) for p in (tree / "chapters").rglob("*.ipynb")
               if p.read_bytes() != (ROOT / p.relative_to(tree)).read_bytes()]
    assert not changed, f"re-execution changed stored notebooks: {changed}"


def test_two_clean_builds_give_identical_pages(built_book, tmp_path):
    first, _ = built_book
    proc = run([str(BIN / "jupyter-book"), "build", str(ROOT), "--path-output", str(tmp_path), *STRICT], ROOT)
    assert proc.returncode == 0, proc.stdout[-3000:]
    second = tmp_path / "_build" / "html"
    pages = sorted(p.relative_to(first) for p in first.rglob("*.html"))
    assert pages == sorted(p.relative_to(second) for p in second.rglob("*.html"))
    differ = [str(p) for p in pages if not filecmp.cmp(first / p, second / p, shallow=False)]
    assert not differ, f"pages differ between two clean builds: {differ}"


def test_a_bad_file_stops_the_refresh_and_leaves_notebooks_untouched(tmp_path):
    """The build's first step fails with the clear message; nothing is rewritten."""
    tree = tmp_path / "tree"
    shutil.copytree(ROOT, tree, ignore=shutil.ignore_patterns(".venv", "_build", ".git", "__pycache__"))
    target = tree / "data" / "observations" / "ai.csv"
    rows = rows_of(target)
    rows[3][rows[0].index("value")] = "twelve"
    write(target, rows)
    before = {p: p.read_bytes() for p in (tree / "chapters").rglob("*.ipynb")}
    proc = subprocess.run([sys.executable, "-m", "tooling.refresh", "--force"], cwd=tree,
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert "data/observations/ai.csv, row 4, column 'value': 'twelve' is not a number" in proc.stderr
    assert {p: p.read_bytes() for p in before} == before
