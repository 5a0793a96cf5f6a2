"""nbval under pytest-xdist (pytest.ini: -n auto --dist loadgroup) keeps its
semantics: a notebook whose stored output differs from re-execution fails,
and the report names the cell and shows both values. On the fixture book's
notebooks (tests/fixtures/book), so that no notebook of the book is executed
a second time."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.helpers import ROOT, book_env, fixture_book

pytestmark = pytest.mark.slow  # executes a notebook


def test_a_changed_stored_output_fails_naming_the_cell_and_both_values(tmp_path):
    tree = fixture_book(tmp_path / "book")
    copy = tree / "total.ipynb"
    nb = json.loads(copy.read_text(encoding="utf-8"))
    number = 0  # nbval counts code cells
    for cell in nb["cells"]:
        if cell["cell_type"] == "code" and cell["outputs"]:
            assert cell["outputs"][0]["text"] == ["合計 4,303\n"]
            cell["outputs"][0]["text"] = ["合計 9,999\n"]
            break
        number += cell["cell_type"] == "code"
    copy.write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    env = {k: v for k, v in book_env(tree).items() if not k.startswith("PYTEST_XDIST")}
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-c", str(ROOT / "pytest.ini"), "--rootdir", str(ROOT),
         "-n", "2", "-q", str(copy), str(tree / "constant.ipynb")],
        capture_output=True, text=True, cwd=ROOT, env=env)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out[-3000:]
    assert "1 failed, 2 passed" in out, out[-3000:]  # constant.ipynb's two cells pass
    assert f"FAILED ::Cell {number}@nbval_" in out, out[-3000:]  # on one worker, with its group
    assert "合計 9,999" in out and "合計 4,303" in out, out[-3000:]
