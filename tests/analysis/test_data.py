"""Validation of data files: every malformed input gives one clear error
naming file, row and column; a BOM and CRLF line endings load fine."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import claims, data
from tests.helpers import ROOT, rows_of, write

OBS_FILES = sorted((ROOT / "data" / "observations").glob("*.csv"))
CLAIM_FILES = sorted((ROOT / "data" / "claims").glob("*.csv"))


def mutated(tmp_path: Path, source: Path, column: str, value: str, row: int = 1) -> tuple[Path, int]:
    """A copy of ``source`` with ``column`` of data row ``row`` set to ``value``;
    returns the copy and the CSV line of that row (header = line 1)."""
    rows = rows_of(source)
    rows[row][rows[0].index(column)] = value
    return write(tmp_path / source.name, rows), row + 1


def assert_error(path: Path, table: str, row: int | None, column: str | None, words: str) -> None:
    with pytest.raises(data.DataError) as err:
        data.read_table(path, table)
    message = str(err.value)
    assert path.name in message
    assert err.value.row == row and err.value.column == column, message
    if row is not None:
        assert f"row {row}" in message
    if column is not None:
        assert f"column '{column}'" in message
    assert words in message


def test_every_data_file_is_valid_and_every_claim_evaluates():
    obs = data.observations()
    evaluated = claims.evaluate(data.claims(), obs)
    assert set(evaluated["verdict"]) <= set(claims.VERDICTS)
    assert evaluated["claim_id"].is_unique


@pytest.mark.parametrize("source", OBS_FILES, ids=lambda p: p.name)
class TestObservationFaults:
    def test_text_in_number_column(self, tmp_path, source):
        path, line = mutated(tmp_path, source, "value", "abc")
        assert_error(path, "observations", line, "value", "'abc' is not a number")

    def test_missing_column(self, tmp_path, source):
        rows = [r[:-1] for r in rows_of(source)]  # drop the last column (note)
        assert_error(write(tmp_path / source.name, rows), "observations", 1, "note", "missing column")

    def test_extra_unknown_column(self, tmp_path, source):
        rows = [r + (["extra"] if i == 0 else ["x"]) for i, r in enumerate(rows_of(source))]
        assert_error(write(tmp_path / source.name, rows), "observations", 1, "extra", "unknown column")

    def test_empty_file(self, tmp_path, source):
        path = tmp_path / source.name
        path.write_text("", encoding="utf-8")
        assert_error(path, "observations", None, None, "empty")

    def test_duplicate_key(self, tmp_path, source):
        rows = rows_of(source)
        rows.append(list(rows[1]))
        path = write(tmp_path / source.name, rows)
        assert_error(path, "observations", len(rows), "period", "duplicate key")

    def test_negative_money_value(self, tmp_path, source):
        rows = rows_of(source)
        header = rows[0]
        money = {u for u, d in data.units()["dimension"].items() if d in data.MONEY_DIMENSIONS}
        row = next((i for i, r in enumerate(rows[1:], 1) if r[header.index("unit")] in money), None)
        if row is None:
            rows[1][header.index("unit")] = "oku_yen"
            row = 1
        rows[row][header.index("value")] = "-5"
        assert_error(write(tmp_path / source.name, rows), "observations", row + 1, "value", "negative money")

    def test_unknown_unit(self, tmp_path, source):
        path, line = mutated(tmp_path, source, "unit", "furlongs")
        assert_error(path, "observations", line, "unit", "unknown unit 'furlongs'")

    def test_unknown_source_key(self, tmp_path, source):
        path, line = mutated(tmp_path, source, "source", "no_such_source")
        assert_error(path, "observations", line, "source", "unknown source key 'no_such_source'")

    def test_bom_and_crlf_load_fine(self, tmp_path, source):
        original = data.read_table(source, "observations")
        copy = write(tmp_path / source.name, rows_of(source), newline="\r\n", bom=True)
        loaded = data.read_table(copy, "observations")
        cols = ["series", "entity", "period", "year", "value", "unit", "source", "note"]
        assert loaded[cols].equals(original[cols])


@pytest.mark.parametrize("source", CLAIM_FILES, ids=lambda p: p.name)
def test_claim_pointing_at_missing_series(tmp_path, source):
    rows = rows_of(source)
    header = rows[0]
    row = next(i for i, r in enumerate(rows[1:], 1) if r[header.index("a")])
    rows[row][header.index("a")] = "no_such_series|JP|FY2024"
    path = write(tmp_path / source.name, rows)
    frame = data.read_table(path, "claims")
    with pytest.raises(data.DataError) as err:
        claims.check_refs(frame, data.observations())
    assert err.value.row == row + 1 and err.value.column == "a"
    assert "no_such_series|JP|FY2024" in str(err.value) and source.name in str(err.value)


@pytest.mark.parametrize("source", CLAIM_FILES, ids=lambda p: p.name)
def test_claim_with_unknown_comparison(tmp_path, source):
    path, line = mutated(tmp_path, source, "comparison", "roughly")
    assert_error(path, "claims", line, "comparison", "'roughly' is not one of")


def test_convert_goes_through_units_csv_within_one_dimension():
    assert data.convert(2, "cho_yen", "oku_yen") == pytest.approx(20000)
    assert data.convert(12620.7, "usd_million", "oku_usd") == pytest.approx(126.207)
    with pytest.raises(ValueError, match="cannot convert 'cho_yen' \\(jpy\\) to 'oku_usd' \\(usd\\)"):
        data.convert(50, "cho_yen", "oku_usd")
    with pytest.raises(KeyError, match="no_such_unit"):
        data.convert(1, "no_such_unit", "oku_yen")


def test_missing_means_an_empty_cell_of_either_kind():
    assert data.missing(None) and data.missing("") and data.missing(float("nan"))
    assert not data.missing(0.0) and not data.missing("0") and not data.missing(" 第1期")
