"""The files derived for readers and machines (exports/) are what the data and
the notebooks' stored outputs give: make book rewrites them, the tests check them."""

from __future__ import annotations

import pytest

from tooling import exports


def test_the_committed_exports_are_current():
    stale = exports.stale()
    assert not stale, f"run make book: stale {[str(p.relative_to(exports.ROOT)) for p in stale]}"


def test_a_changed_or_orphaned_export_is_stale(tmp_path, monkeypatch):
    files = exports.expected()
    ledger_csv = exports.EXPORTS / "ledger.csv"
    assert ledger_csv in files and any(p.suffix == ".csv" and p.parent == exports.FIGURES for p in files)
    monkeypatch.setattr(exports, "EXPORTS", tmp_path)
    monkeypatch.setattr(exports, "FIGURES", tmp_path / "figures")
    moved = {tmp_path / p.relative_to(ledger_csv.parent): text for p, text in files.items()}
    monkeypatch.setattr(exports, "expected", lambda: moved)
    assert set(exports.write()) == set(moved)
    assert exports.stale() == []
    (tmp_path / "ledger.csv").write_text("changed", encoding="utf-8")
    (tmp_path / "figures" / "fig-gone.csv").write_text("old chart", encoding="utf-8")
    assert set(exports.stale()) == {tmp_path / "ledger.csv", tmp_path / "figures" / "fig-gone.csv"}
    exports.write()
    assert not (tmp_path / "figures" / "fig-gone.csv").exists() and exports.stale() == []


@pytest.mark.parametrize("name", ["ledger.csv", "ledger.json"])
def test_the_ledger_page_links_its_downloads(name):
    page = (exports.ROOT / "chapters" / "appendix" / "ledger.ipynb").read_text(encoding="utf-8")
    assert f"../../exports/{name}" in page
