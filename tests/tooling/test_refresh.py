"""No stale outputs, ever: the committed notebooks are current; JupyterLab's
checkpoints are never executed; a bad data file stops the refresh before
anything runs; a forced execution of the fixture book (tests/fixtures/book)
gives its stored bytes again (a data change and the build are tested on it
in test_build.py)."""

from __future__ import annotations

import json
import sys

import nbformat
import pytest

from tests.helpers import FIXTURE_BOOK, ROOT, fixture_book, project_copy, rows_of, run_book, run_in, write
from tooling import refresh


@pytest.mark.slow  # runs the refresher
def test_jupyterlab_checkpoints_are_never_executed(tmp_path):
    tree = project_copy(tmp_path / "tree")
    checkpoints = tree / "chapters" / ".ipynb_checkpoints"
    checkpoints.mkdir()
    copy = checkpoints / "07_summary-checkpoint.ipynb"
    copy.write_text((tree / "chapters" / "07_summary.ipynb").read_text(encoding="utf-8")
                    .replace('"analysis": {', '"not_recorded": {'), encoding="utf-8")
    proc = run_in(tree, [sys.executable, "-m", "tooling.refresh", "--check"])
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert copy not in refresh.all_notebooks(tree)


@pytest.mark.slow  # runs the refresher
def test_committed_notebooks_are_current():
    proc = run_in(ROOT, [sys.executable, "-m", "tooling.refresh", "--check"])
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.slow  # runs the refresher
def test_the_fixture_book_is_current_and_reads_its_data_in_one_notebook(tmp_path):
    """total.ipynb reads the data as a derived value, the total (as the book's
    pages that show the ledger): it records the total's digest, not the file."""
    tree = fixture_book(tmp_path / "tree")
    proc = run_book(tree, "refresh", "--check")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    records = {p.name: refresh.read_notebook(p).metadata["analysis"]
               for p in refresh.all_notebooks(FIXTURE_BOOK)}
    assert list(records) == ["constant.ipynb", "total.ipynb"]
    assert [name for name, r in records.items() if r.get("derived")] == ["total.ipynb"]
    assert not any("data/values.csv" in r["inputs"] for r in records.values())


@pytest.mark.slow  # runs the refresher's check
def test_an_edit_that_keeps_a_derived_value_reexecutes_nothing(tmp_path):
    """The early cutoff: 4291 + 12 and 4290 + 13 give the same total, so
    total.ipynb stays current; another total makes it stale."""
    tree = fixture_book(tmp_path / "tree")
    values = tree / "data" / "values.csv"
    values.write_text("year,value\n2023,4290\n2024,13\n", encoding="utf-8")
    same = run_book(tree, "refresh", "--check")
    assert same.returncode == 0 and "stale:" not in same.stdout, same.stdout + same.stderr
    values.write_text("year,value\n2023,4290\n2024,12\n", encoding="utf-8")
    other = run_book(tree, "refresh", "--check")
    assert other.returncode == 1
    assert other.stdout.strip() == "stale: total.ipynb (derived value 'total' changed)"


def test_a_stale_reason_names_what_changed(tmp_path):
    tree = fixture_book(tmp_path / "tree")
    total, constant = tree / "total.ipynb", tree / "constant.ipynb"
    recorded = refresh.read_notebook(total).metadata["analysis"]["derived"]
    assert refresh.stale_reason(total, tree, recorded) is None
    assert refresh.stale_reason(total, tree, {"total": "0" * 64}) == "derived value 'total' changed"
    assert refresh.stale_reason(total, tree) is None  # derived values not checked
    (tree / "data" / "values.csv").write_text("year,value\n2023,1\n", encoding="utf-8")
    assert refresh.stale_reason(total, tree, recorded) is None  # the file is not its input
    assert refresh.stale_reason(constant, tree) is None
    (tree / "analysis" / "data.py").unlink()
    assert refresh.stale_reason(constant, tree) == "input analysis/data.py is gone"
    constant.write_text(constant.read_text(encoding="utf-8").replace("定数 42", "定数 43"), encoding="utf-8")
    assert refresh.stale_reason(constant, tree) == "code cells changed"
    nb = refresh.read_notebook(constant)
    del nb.metadata["analysis"]
    nbformat.write(nb, constant)
    assert refresh.stale_reason(constant, tree) == "never executed by the refresher"


@pytest.mark.slow  # runs the refresher
def test_a_bad_file_stops_the_refresh_and_leaves_notebooks_untouched(tmp_path):
    """The build's first step fails with the clear message; nothing is rewritten."""
    tree = project_copy(tmp_path / "tree")
    target = tree / "data" / "observations" / "ai.csv"
    rows = rows_of(target)
    rows[3][rows[0].index("value")] = "twelve"
    write(target, rows)
    before = {p: p.read_bytes() for p in (tree / "chapters").rglob("*.ipynb")}
    proc = run_in(tree, [sys.executable, "-m", "tooling.refresh", "--force"])
    assert proc.returncode == 2
    assert "data/observations/ai.csv, row 4, column 'value': 'twelve' is not a number" in proc.stderr
    assert {p: p.read_bytes() for p in before} == before


@pytest.mark.slow  # runs the refresher
def test_a_forced_execution_gives_the_stored_bytes(tmp_path):
    """`make book`'s execution (in parallel, atomic writes, numbered cells,
    recorded inputs) gives the committed notebooks of the fixture book byte
    for byte, the PNG that constant.ipynb draws included. nbval compares
    every stored output of the book's notebooks with a re-execution, but not
    the images."""
    assert any("image/png" in output.get("data", {}) for cell in nbformat.read(
        FIXTURE_BOOK / "constant.ipynb", as_version=4).cells for output in cell.get("outputs", []))
    tree = fixture_book(tmp_path / "book")
    proc = run_book(tree, "refresh", "--force")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    executed = sorted(line.split()[1] for line in proc.stdout.splitlines() if line.startswith("executed:"))
    assert executed == ["constant.ipynb", "total.ipynb"]
    for name in executed:
        assert (tree / name).read_bytes() == (FIXTURE_BOOK / name).read_bytes(), name


def test_a_derived_value_the_kernel_computed_otherwise_fails_its_notebook():
    probe = nbformat.v4.new_code_cell("")
    probe.outputs = [nbformat.v4.new_output("stream", name="stdout", text=json.dumps(
        {"files": ["data/values.csv"], "derived": {"total": "a" * 64}}) + "\n")]
    assert refresh.derived_error(probe, {"total": "a" * 64}) is None
    assert refresh.derived_error(probe, {"total": "b" * 64}) == (
        "the derived value 'total' differs from the one computed before the run")
