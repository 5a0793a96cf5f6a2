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


def test_a_charts_data_holds_what_it_plots_not_the_loaders_bookkeeping():
    """Each chart's CSV (and the table under the chart) gives what the chart
    plots with its unit and sources, never the columns the data loader adds
    for its error messages (_file, _row): 図6.3's table carried all 16
    columns of the observations and ran under the page's sidebar."""
    import csv

    figures = {path: text for path, text in exports.expected().items()
               if path.parent == exports.FIGURES and path.suffix == ".csv"}
    assert len(figures) > 20
    internal = {}
    for path, text in figures.items():
        header = next(csv.reader(text.splitlines()))
        if [name for name in header if name.startswith("_")]:
            internal[path.name] = header
    assert not internal, internal
