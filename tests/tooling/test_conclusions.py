"""The book checks its own sentences: when a data value changes so that a
conclusion the prose draws no longer holds, the refresh that ``make book``
runs first fails with a message naming the chapter and the sentence, and no
stored notebook output changes (that a failed refresh stops the build and
leaves the built book alone: tests/tooling/test_build.py, on the fixture book)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT, project_copy, run_in

pytestmark = pytest.mark.slow  # executes notebooks


def test_a_flipped_conclusion_stops_the_build_and_names_the_sentence(tmp_path):
    tree = project_copy(tmp_path / "tree")
    # The latest NISTEP edition's rank of Japan: 13 -> 12. Chapter 1 says the
    # rank has not moved in the latest editions; with 12 that is false.
    ranks = tree / "data" / "observations" / "policy.csv"
    text = ranks.read_text(encoding="utf-8")
    row = "nistep_top10_rank,JP,2021-2023,2022,13,"
    assert row in text
    ranks.write_text(text.replace(row, "nistep_top10_rank,JP,2021-2023,2022,12,"), encoding="utf-8")
    notebooks = sorted(tree.rglob("*.ipynb"))
    before = {p: p.read_bytes() for p in notebooks}
    # only the chapter (the other readers of policy.csv would run for nothing)
    proc = run_in(tree, [sys.executable, "-m", "tooling.refresh", "chapters/01_policy.ipynb"])
    assert proc.returncode != 0
    message = ("SentenceError: 01_policy: the sentence 「直近の…はいずれも…で、順位は動いていません」"
               " no longer holds")
    assert message in proc.stderr, proc.stderr[-3000:]
    assert "FAILED: chapters/01_policy.ipynb" in proc.stderr
    changed = [str(p.relative_to(tree)) for p in notebooks if p.read_bytes() != before[p]]
    assert not changed, f"a failed refresh wrote notebooks: {changed}"


def test_every_prose_check_names_its_page():
    """Every notebook that checks a sentence calls glue.setup with its page name,
    so that the failure message names the chapter."""
    for path in sorted(Path(ROOT).rglob("*.ipynb")):
        if "_build" in path.parts or ".ipynb_checkpoints" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if "prose.check(" in text or "ledger_page.headline_numbers(" in text:
            named = f'glue.setup(\\"{path.stem}\\")' in text
            assert named, f"{path.relative_to(ROOT)} does not name its page"
