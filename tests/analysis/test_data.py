"""Validation of data files against the data package (data/datapackage.json,
checked with frictionless): every malformed input gives one clear error naming
file, row and column; a BOM and CRLF line endings load fine; the loaders type
each column from the descriptor."""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest

from analysis import claims, data, derived, ratings, verdicts
from tests.helpers import BIN, ROOT, rows_of, write

OBS_FILES = sorted((ROOT / "data" / "observations").glob("*.csv"))
CHECK_FILES = sorted((ROOT / "data" / "checks").glob("*.csv"))
STATEMENT_FILES = sorted((ROOT / "data" / "statements").glob("*.csv"))


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


def data_copy(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of data/ and references.bib to break; returns (data folder, bib)."""
    folder = shutil.copytree(ROOT / "data", tmp_path / "data")
    return folder, Path(shutil.copy(ROOT / "references.bib", tmp_path / "references.bib"))


def assert_names(validation: Callable[[], None], name: str, row: int | None, column: str | None,
                 words: str) -> None:
    """``validation()`` raises a DataError that names ``name``, ``row`` and ``column`` and says ``words``."""
    with pytest.raises(data.DataError) as err:
        validation()
    message = str(err.value)
    assert name in message and words in message, message
    assert (err.value.row, err.value.column) == (row, column), message


def assert_package_error(folder: Path, bib: Path, name: str, row: int | None, column: str | None,
                         words: str) -> None:
    """The whole package's validation (data.validate) names the error."""
    assert_names(partial(data.validate, folder, bib), name, row, column, words)


def assert_ledger_error(folder: Path, name: str, row: int, column: str, words: str) -> None:
    """The rules across files alone (data.validate_ledger) name the error."""
    assert_names(partial(data.validate_ledger, folder), name, row, column, words)


def test_every_data_file_is_valid_and_every_statement_is_rated(ledger):
    """What the build validates before any notebook runs (verdicts.validate_all),
    which gives the digests of the derived values as they are now."""
    assert verdicts.validate_all() == {"ledger": verdicts.digest(ledger)}
    assert set(ledger.statements["label"]) <= set(ratings.scale()["label"])
    assert ledger.statements["statement_id"].is_unique and ledger.checks["check_id"].is_unique


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

    def test_unknown_entity(self, tmp_path, source):
        path, line = mutated(tmp_path, source, "entity", "ATLANTIS")
        assert_error(path, "observations", line, "entity", "unknown entity 'ATLANTIS'")

    def test_unknown_source_key(self, tmp_path, source):
        path, line = mutated(tmp_path, source, "source", "no_such_source")
        assert_error(path, "observations", line, "source", "unknown source key 'no_such_source'")

    def test_bom_and_crlf_load_fine(self, tmp_path, source):
        original = data.read_table(source, "observations")
        copy = write(tmp_path / source.name, rows_of(source), newline="\r\n", bom=True)
        loaded = data.read_table(copy, "observations")
        cols = ["series", "entity", "period", "year", "value", "unit", "source", "note"]
        assert loaded[cols].equals(original[cols])


@pytest.mark.parametrize("source", CHECK_FILES, ids=lambda p: p.name)
def test_check_pointing_at_missing_series(tmp_path, source):
    rows = rows_of(source)
    header = rows[0]
    row = next(i for i, r in enumerate(rows[1:], 1) if r[header.index("a")])
    rows[row][header.index("a")] = "no_such_series|JP|FY2024"
    path = write(tmp_path / source.name, rows)
    frame = data.read_table(path, "checks")
    with pytest.raises(data.DataError) as err:
        claims.check_refs(frame, data.observations())
    assert err.value.row == row + 1 and err.value.column == "a"
    assert "no_such_series|JP|FY2024" in str(err.value) and source.name in str(err.value)


@pytest.mark.parametrize("source", CHECK_FILES, ids=lambda p: p.name)
def test_check_with_unknown_comparison(tmp_path, source):
    path, line = mutated(tmp_path, source, "comparison", "roughly")
    assert_error(path, "checks", line, "comparison", "'roughly' is not one of")


@pytest.mark.parametrize("source", CHECK_FILES, ids=lambda p: p.name)
def test_check_of_an_unknown_statement(tmp_path, source):
    path, line = mutated(tmp_path, source, "statement_id", "zz_99")
    assert_error(path, "checks", line, "statement_id", "unknown statement 'zz_99'")


@pytest.mark.parametrize("source", STATEMENT_FILES, ids=lambda p: p.name)
def test_statement_with_an_unknown_finding(tmp_path, source):
    path, line = mutated(tmp_path, source, "finding", "slightly_off")
    words = "unknown finding 'slightly_off' (see data/rating/findings.csv)"
    assert_error(path, "statements", line, "finding", words)


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


@pytest.mark.parametrize(("column", "value", "words"), [
    ("year", "2020s", "'2020s' is not a whole number"),
    ("series", "Genai-Market", "'Genai-Market' does not match the pattern ^[a-z0-9][a-z0-9_]*$"),
    ("source", "", "a value is required"),
    ("confidence", "likely", "'likely' is not one of primary, secondary, tertiary, unconfirmed"),
])
def test_each_field_rule_of_the_schema(tmp_path, column, value, words):
    path, line = mutated(tmp_path, OBS_FILES[0], column, value)
    assert_error(path, "observations", line, column, words)


def test_blank_row_and_ragged_rows(tmp_path):
    rows = rows_of(OBS_FILES[0])
    width = len(rows[0])
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert_error(write(tmp_path / "a" / OBS_FILES[0].name, [*rows[:2], [""] * width, *rows[2:]]),
                 "observations", 3, None, "the row is blank")
    assert_error(write(tmp_path / "b" / OBS_FILES[0].name, [rows[0], rows[1] + ["x"], *rows[2:]]),
                 "observations", 2, None, "more cells than the header has columns")


def test_a_number_is_written_plainly_without_separators(tmp_path):
    # No groupChar: a separator could as well be a decimal comma (12,5), and a
    # value read ten or a thousand times too large would pass unnoticed.
    path, line = mutated(tmp_path, OBS_FILES[0], "value", "12,620.7")
    assert_error(path, "observations", line, "value", "'12,620.7' is not a number")
    path, line = mutated(tmp_path, OBS_FILES[0], "value", "12620.7")
    loaded = data.read_table(path, "observations")
    assert loaded.loc[loaded["_row"] == line, "value"].item() == pytest.approx(12620.7)


def test_the_loader_follows_the_descriptor_for_types_and_separators():
    import pandas as pd

    text = pd.Series(["1,234.5", "", " 7"])
    assert data._typed(text, {"type": "number", "groupChar": ","}, [""]).tolist()[::2] == [1234.5, 7.0]
    assert data._typed(pd.Series(["3", ""]), {"type": "integer"}, [""]).isna().tolist() == [False, True]
    assert data._typed(pd.Series(["3", "4"]), {"type": "integer"}, [""]).dtype == "int64"
    assert data._typed(pd.Series(["—", "x"]), {"type": "string"}, ["", "—"]).tolist() == ["", "x"]


def test_sources_csv_with_a_key_that_references_bib_lacks(tmp_path):
    rows = rows_of(ROOT / "data" / "sources.csv")
    path = write(tmp_path / "sources.csv", [*rows, ["no_such_entry", "misc"]])
    assert_error(path, "sources", len(rows) + 1, "key", "'no_such_entry' is not a key of references.bib")


def test_references_bib_with_a_key_that_sources_csv_lacks(tmp_path):
    folder, bib = data_copy(tmp_path)
    bib.write_text(bib.read_text(encoding="utf-8") + "\n@misc{added_later,\n  title = {x}\n}\n",
                   encoding="utf-8")
    assert_package_error(folder, bib, "data/sources.csv", None, "key",
                         "references.bib has the key 'added_later', which has no row here")


def test_a_key_repeated_in_another_file(tmp_path):
    folder, bib = data_copy(tmp_path)
    first, second = sorted((folder / "observations").glob("*.csv"))[:2]
    rows = rows_of(second)
    write(second, [*rows, rows_of(first)[1]])
    assert_package_error(folder, bib, second.name, len(rows) + 1, "period", "(also in another file)")


def test_a_csv_the_package_does_not_describe(tmp_path):
    folder, bib = data_copy(tmp_path)
    (folder / "observations" / ".ipynb_checkpoints").mkdir()
    shutil.copy(folder / "observations" / "ai.csv", folder / "observations" / ".ipynb_checkpoints" / "ai.csv")
    data.validate(folder, bib)  # an editor's checkpoint copy is not data
    shutil.copy(folder / "observations" / "ai.csv", folder / "observations" / "ai_draft.csv")
    assert_package_error(folder, bib, "ai_draft.csv", None, None, "not described in data/datapackage.json")


def test_a_broken_file_in_the_package_is_named(tmp_path):
    folder, bib = data_copy(tmp_path)
    path, line = mutated(tmp_path, folder / "tables" / "q_milestones.csv", "year", "twenty")
    shutil.copy(path, folder / "tables" / "q_milestones.csv")
    assert_package_error(folder, bib, "tables/q_milestones.csv", line, "year",
                         "'twenty' is not a whole number")


def test_frictionless_validates_the_package_on_its_own():
    proc = subprocess.run([str(BIN / "frictionless"), "validate", "data/datapackage.json"],
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "INVALID" not in proc.stdout


def test_python_m_analysis_data_validates_without_the_claims_engine():
    code = ("import sys, runpy; sys.argv = ['analysis.data']\n"
            "try:\n    runpy.run_module('analysis.data', run_name='__main__')\n"
            "except SystemExit as e:\n    assert e.code == 0, e.code\n"
            "assert 'analysis.claims' not in sys.modules")
    proc = subprocess.run([str(BIN / "python"), "-c", code], cwd=ROOT, capture_output=True, text=True,
                          env={"PYTHONPATH": str(ROOT), "PATH": str(BIN)})
    assert proc.returncode == 0, proc.stderr
    assert "resources valid" in proc.stdout


def test_the_descriptor_describes_every_file_and_each_kind_shares_one_schema():
    package = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    described = sorted(r["path"] for r in package["resources"])
    on_disk = sorted(p.relative_to(ROOT / "data").as_posix() for p in (ROOT / "data").rglob("*.*")
                     if ".ipynb_checkpoints" not in p.parts and p.suffix in (".csv", ".txt"))
    assert described == on_disk
    for folder in data.KEYED_FOLDERS:
        # a chapter's checks refer to the statements of the same chapter: compare the rest
        schemas = [json.dumps(r["schema"]).replace(f'-{Path(r["path"]).stem}"', '-<chapter>"')
                   for r in data.resources(folder)]
        assert len(schemas) > 1 and all(s == schemas[0] for s in schemas), f"{folder}: schemas differ"


def test_every_error_type_in_the_wording_table_is_one_frictionless_knows_or_the_book_adds():
    from frictionless import system

    for kind, _ in data.PROBLEMS:
        if kind not in {"negative-money", "duplicate-across-files", "source-not-in-bib",
                        "bib-key-not-in-sources"}:
            assert system.select_error_class(kind).type == kind


def test_reading_data_records_the_descriptor_for_the_staleness_check():
    data.FILES_READ.clear()
    data.observations("ai")
    assert {"data/datapackage.json", "data/observations/ai.csv"} <= data.FILES_READ
    assert "data/observations/world.csv" not in data.FILES_READ


def test_reads_inside_recorded_apart_stay_out_of_files_read():
    data.FILES_READ.clear()
    with data.recorded_apart() as apart:
        data.observations("world")
    data.observations("ai")
    assert "data/observations/world.csv" in apart and "data/observations/ai.csv" not in apart
    assert "data/observations/world.csv" not in data.FILES_READ
    assert "data/observations/ai.csv" in data.FILES_READ


def test_a_cached_read_is_recorded_at_every_call_not_only_the_first():
    """A page that first reads the units inside the ledger (recorded apart)
    and then shows a unit still records data/units.csv."""
    data.units.cache_clear()
    with data.recorded_apart() as apart:
        data.units()
    assert "data/units.csv" in apart
    data.FILES_READ.clear()
    data.units()
    assert "data/units.csv" in data.FILES_READ


def test_a_cached_value_is_made_again_once_a_file_it_read_changes(tmp_path):
    """A kernel that stays open (JupyterLab) sees an edited file without a
    restart; an unchanged file gives the stored value without reading it."""
    path = tmp_path / "values.txt"
    path.write_text("1", encoding="utf-8")
    calls = []

    @data.cached
    def value() -> int:
        calls.append(1)
        data.record(path)
        return int(path.read_text(encoding="utf-8"))

    assert (value(), value(), len(calls)) == (1, 1, 1)
    path.write_text("2", encoding="utf-8")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))  # a later edit
    assert (value(), len(calls)) == (2, 2)
    path.unlink()
    with pytest.raises(FileNotFoundError):
        value()


def test_a_page_that_reads_one_series_records_its_rows_not_the_file(monkeypatch):
    """data.observed_series: the digest of the series' rows stands for the file,
    so an edit to another series of the file leaves the page current."""
    name = "data/observations/ai.csv#genai_use_individual"
    data.FILES_READ.clear()
    data.DERIVED.clear()
    rows = data.observed_series("ai", "genai_use_individual")
    assert set(rows["series"]) == {"genai_use_individual"} and len(rows) > 1
    assert "data/observations/ai.csv" not in data.FILES_READ
    assert data.DERIVED == {name: data.series_digest(name)} == derived.digests([name])
    whole = data.observations("ai")
    mine = whole["series"] == "genai_use_individual"
    for edited, same in [(~mine, True), (mine, False)]:
        changed = whole.assign(value=whole["value"].where(~edited, whole["value"] + 1))
        monkeypatch.setattr(data, "observations", lambda *files, frame=changed: frame)
        assert (data.series_digest(name) == data.DERIVED[name]) is same
    monkeypatch.undo()
    with pytest.raises(KeyError, match="has no series 'no_such_series'"):
        data.observed_series("ai", "no_such_series")
    assert data.series_digest("ledger") is data.series_digest("data/observations/gone.csv#x") is None


def test_tables_are_typed_from_their_schema():
    milestones = data.table("q_milestones")
    assert milestones["year"].dtype == "int64"
    assert milestones["value"].dtype == "float64" and milestones["value"].isna().any()
    assert set(milestones["unit"]) >= {"", "oku_yen"}  # empty text stays ""
    editions = data.table("q_forecast_editions").set_index("edition")
    assert editions.loc["q_qcm_fbi2030", "undated_base_value"] == pytest.approx(928.8)
    assert math.isnan(editions.loc["q_qcm_fbi2030", "cagr_start_year"])
    assert editions.loc["q_qcm_fbi2032", "cagr_start_year"] == 2024
    assert data.table("w_eu_ai_act_timeline")["date"].iloc[0] == "2024-06-13"  # a date keeps its ISO text


def test_observations_and_checks_load_with_the_columns_and_types_of_their_schema():
    obs = data.observations()
    assert list(obs.columns) == [f["name"] for f in data.resources("observations")[0]["schema"]["fields"]] + [
        "_file", "_row"]
    assert obs["year"].dtype == "int64" and obs["value"].dtype == "float64"
    assert obs["_row"].min() == 2
    check = data.load_folder("checks", ("04_ai",)).set_index("check_id")
    assert math.isnan(check.loc["ai_03", "tolerance"]) and check.loc["ai_03", "a"] == ""
    with pytest.raises(data.DataError, match="no_such_chapter.csv: not described"):
        data.load_folder("checks", ("no_such_chapter",))


def test_every_entity_has_a_label_and_an_unknown_one_is_named():
    assert data.entity_label("JP") == "日本" and data.entity_label("東京大学") == "東京大学"
    used = set(data.observations()["entity"]) | set(data.table("w_models")["entity"])
    assert used <= set(data.entities().index)
    with pytest.raises(KeyError, match="'ATLANTIS'.*data/entities.csv"):
        data.entity_label("ATLANTIS")


# ---- the checked text and the ledger's data cannot drift quietly ---------------------


def _set(folder: Path, name: str, column: str, value: str, row: int = 1) -> None:
    rows = rows_of(folder / name)
    rows[row][rows[0].index(column)] = value
    write(folder / name, rows)


@pytest.mark.parametrize(("name", "column", "value", "words"), [
    ("statements/04_ai.csv", "quote", "産総研は2000億パラメータのモデルを開発した",
     "is not in data/article.txt verbatim"),
    ("statements/04_ai.csv", "section", "sec-nowhere", "no label (sec-nowhere)= in chapters/04_ai.ipynb"),
    ("statements/04_ai.csv", "finding", "baseline_unstated", "computed from the readings"),
    ("checks/04_ai.csv", "a", "no_such_series|JP|2023",
     "reference 'no_such_series|JP|2023' matches no observation"),
    ("checks/04_ai.csv", "newer", "no_such_series|JP", "matches no observation"),
    ("observations/ai.csv", "value", "NaN", "is not a finite number"),
    ("observations/ai.csv", "value", "inf", "is not a finite number"),
    ("observations/ai.csv", "year", "1999", "1999 contradicts the period 'FY2024'"),
])
def test_the_ledger_and_the_article_cannot_drift(tmp_path, name, column, value, words):
    folder, _ = data_copy(tmp_path)
    _set(folder, name, column, value)
    assert_ledger_error(folder, name, 2, column, words)


def test_the_package_validation_ends_with_the_rules_across_files(tmp_path):
    folder, bib = data_copy(tmp_path)
    _set(folder, "statements/04_ai.csv", "section", "sec-nowhere")
    assert_package_error(folder, bib, "statements/04_ai.csv", 2, "section",
                         "no label (sec-nowhere)= in chapters/04_ai.ipynb")


def test_a_reading_made_public_after_the_statement_is_not_plausible(tmp_path):
    folder, _ = data_copy(tmp_path)
    rows = rows_of(folder / "checks/04_ai.csv")
    row = next(i for i, r in enumerate(rows) if r[0] == "ai_02b")
    _set(folder, "checks/04_ai.csv", "public", "2023-12-01", row)
    assert_ledger_error(folder, "checks/04_ai.csv", row + 1, "public", "not a plausible reading")


def test_every_numeric_sentence_of_the_article_has_a_statement_or_a_stated_reason():
    """The segmentation rule, over the whole article: a sentence with a figure is
    quoted by a statement, or listed in data/unrated_sentences.csv with why not."""
    import re

    text = (data.DATA / "article.txt").read_text(encoding="utf-8")
    quotes = list(verdicts.statements()["quote"])
    excused = list(data.top_level("unrated_sentences")["excerpt"])
    sentences = [s for line in text.splitlines() for s in re.split(r"(?<=。)", line) if s.strip()]
    numeric = [s for s in sentences if re.search(r"[0-9０-９]", s)]
    uncovered = [s for s in numeric
                 if not any(data.quote_in_text(q, s) for q in quotes) and not any(e in s for e in excused)]
    assert len(numeric) > 30 and not uncovered, uncovered
