"""nbval under pytest-xdist (pytest.ini: -n auto --dist loadgroup) keeps its
semantics: a notebook whose stored output differs from re-execution fails,
and the report names the cell and shows both values."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from tests.helpers import ROOT

pytestmark = pytest.mark.slow  # executes a notebook


def test_a_changed_stored_output_fails_naming_the_cell_and_both_values(tmp_path):
    copy = tmp_path / "chapters" / "07_summary.ipynb"
    copy.parent.mkdir()
    shutil.copy(ROOT / "chapters" / "07_summary.ipynb", copy)
    nb = json.loads(copy.read_text(encoding="utf-8"))
    glued = nb["cells"][6]["outputs"][0]["data"]
    assert glued["application/papermill.record/text/plain"] == "'12.3倍'"
    glued["application/papermill.record/text/plain"] = "'99.9倍'"
    number = sum(c["cell_type"] == "code" for c in nb["cells"][:6])  # nbval counts code cells
    copy.write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-c", str(ROOT / "pytest.ini"), "--rootdir", str(ROOT),
         "-n", "2", "-q", str(copy)],
        capture_output=True, text=True, cwd=ROOT,
        env={k: v for k, v in os.environ.items() if not k.startswith("PYTEST_XDIST")})
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out[-3000:]
    assert "1 failed" in out and "passed" in out, out[-3000:]
    assert f"FAILED ::Cell {number}@" in out, out[-3000:]  # on one worker, with its group
    assert "99.9倍" in out and "12.3倍" in out, out[-3000:]
