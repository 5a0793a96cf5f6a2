"""Load and validate the book's data files.

Every CSV under ``data/`` is read through this module. The columns of each
table kind are declared in ``data/schema.csv``; units in ``data/units.csv``;
source keys in ``references.bib``. A file that breaks a rule raises one
:class:`DataError` naming the file, the row (the line of the CSV, header = 1)
and the column. Files are read as UTF-8 with or without a BOM, with LF or
CRLF line endings.
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
BIB = ROOT / "references.bib"

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_]*$")
BIB_KEY_PATTERN = re.compile(r"^@\w+\s*\{\s*([^,\s]+)\s*,", re.MULTILINE)
MONEY_DIMENSIONS = {"jpy", "usd"}

# Files read since the process started, for the staleness check of the
# notebook executor (see tooling.refresh): path relative to ROOT.
FILES_READ: set[str] = set()


class DataError(ValueError):
    """A data file breaks a rule; the message names file, row and column."""

    def __init__(self, path: Path | str, row: int | None, column: str | None, problem: str):
        self.path = _relative(Path(path))
        self.row = row
        self.column = column
        self.problem = problem
        where = self.path
        if row is not None:
            where += f", row {row}"
        if column is not None:
            where += f", column '{column}'"
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True)
class Column:
    """One declared column of a table kind (a row of data/schema.csv)."""

    name: str
    dtype: str
    required: bool
    allowed: tuple[str, ...]


def _relative(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def _read_rows(path: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Return the header and (line number, row) pairs of a CSV file."""
    if not path.exists():
        raise DataError(path, None, None, "file not found")
    FILES_READ.add(_relative(path))
    text = path.read_bytes().decode("utf-8-sig")
    if not text.strip():
        raise DataError(path, None, None, "the file is empty (no header row)")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip() for h in next(reader)]
    rows = []
    for record in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(header):
            raise DataError(path, line, None,
                            f"{len(record)} fields, but the header has {len(header)}")
        rows.append((line, {h: cell.strip() for h, cell in zip(header, record, strict=True)}))
    return header, rows


@cache
def schema() -> dict[str, tuple[Column, ...]]:
    """The declared columns of each table kind, from data/schema.csv."""
    _, rows = _read_rows(DATA / "schema.csv")
    tables: dict[str, list[Column]] = {}
    for _, row in rows:
        allowed = tuple(a for a in row["allowed"].split("|") if a)
        tables.setdefault(row["table"], []).append(
            Column(row["column"], row["dtype"], row["required"] == "yes", allowed))
    return {name: tuple(cols) for name, cols in tables.items()}


@cache
def units() -> pd.DataFrame:
    """Declared units: key, Japanese label, dimension and factor to the base unit."""
    _, rows = _read_rows(DATA / "units.csv")
    frame = pd.DataFrame([r for _, r in rows]).set_index("unit")
    frame["to_base"] = frame["to_base"].astype(float)
    return frame


def missing(value: object) -> bool:
    """Whether a loaded cell is empty: None, "" (a text column) or NaN (a number column)."""
    return value is None or value == "" or (isinstance(value, float) and math.isnan(value))


def convert(value: float, unit: str, target: str) -> float:
    """``value`` in ``unit`` expressed in ``target`` (both keys of data/units.csv).

    The two units must share a dimension; the factor is the ratio of their
    ``to_base`` columns: 12,620.7 百万ドル -> 126.207 億ドル, 2 兆円 -> 20,000 億円.
    """
    table = units()
    for key in (unit, target):
        if key not in table.index:
            raise KeyError(f"unknown unit {key!r} (see data/units.csv)")
    if table.loc[unit, "dimension"] != table.loc[target, "dimension"]:
        raise ValueError(f"cannot convert {unit!r} ({table.loc[unit, 'dimension']}) "
                         f"to {target!r} ({table.loc[target, 'dimension']})")
    return float(value) * float(table.loc[unit, "to_base"]) / float(table.loc[target, "to_base"])


def source_keys(bib: Path = BIB) -> set[str]:
    """The entry keys of references.bib."""
    if not bib.exists():
        raise DataError(bib, None, None, "file not found")
    FILES_READ.add(_relative(bib))
    return set(BIB_KEY_PATTERN.findall(bib.read_text(encoding="utf-8")))


def _check_cell(path: Path, line: int, col: Column, text: str, keys: set[str]) -> object:
    """Convert one cell to its declared type, or raise DataError."""
    if text == "":
        if col.required:
            raise DataError(path, line, col.name, "a value is required")
        return float("nan") if col.dtype == "number" else ""
    if col.dtype == "number":
        try:
            value = float(text.replace(",", ""))
        except ValueError:
            raise DataError(path, line, col.name, f"'{text}' is not a number") from None
        if value != value or value in (float("inf"), float("-inf")):
            raise DataError(path, line, col.name, f"'{text}' is not a finite number")
        return value
    if col.dtype == "int":
        if not re.fullmatch(r"-?\d+", text):
            raise DataError(path, line, col.name, f"'{text}' is not a whole number")
        return int(text)
    if col.dtype == "id" and not ID_PATTERN.match(text):
        raise DataError(path, line, col.name,
                        f"'{text}' is not an id (lower-case letters, digits and _)")
    if col.dtype == "enum" and text not in col.allowed:
        raise DataError(path, line, col.name,
                        f"'{text}' is not one of {', '.join(col.allowed)}")
    if col.dtype == "unit" and text not in units().index:
        raise DataError(path, line, col.name, f"unknown unit '{text}' (see data/units.csv)")
    if col.dtype == "source" and text not in keys:
        raise DataError(path, line, col.name, f"unknown source key '{text}' (not in references.bib)")
    if col.dtype == "ref" and text.count("|") not in (1, 2):
        raise DataError(path, line, col.name, f"'{text}' is not a reference series|entity|period")
    return text


def read_table(path: Path, table: str, keys: set[str] | None = None) -> pd.DataFrame:
    """Read one CSV file of a table kind and validate every cell.

    ``table`` is a table kind of data/schema.csv (observations, claims or
    tables). For observations and claims the header must hold exactly the
    declared columns; a free table needs at least its declared ones.
    """
    columns = schema()[table]
    keys = source_keys() if keys is None else keys
    header, rows = _read_rows(path)
    declared = [c.name for c in columns]
    for name in declared:
        if name not in header:
            raise DataError(path, 1, name, "missing column")
    if table != "tables":
        for name in header:
            if name not in declared:
                raise DataError(path, 1, name, "unknown column (not declared in data/schema.csv)")
    if not rows:
        raise DataError(path, None, None, "the file has a header but no rows")
    records = []
    for line, row in rows:
        record = dict(row)
        for col in columns:
            record[col.name] = _check_cell(path, line, col, row[col.name], keys)
        if table == "observations":
            dimension = units().loc[record["unit"], "dimension"]
            if dimension in MONEY_DIMENSIONS and record["value"] < 0:
                raise DataError(path, line, "value",
                                f"negative money value {record['value']:g} ({record['unit']})")
        record["_file"] = _relative(path)
        record["_row"] = line
        records.append(record)
    frame = pd.DataFrame(records)
    _check_unique(frame, path, table)
    return frame


UNIQUE_KEYS = {"observations": ("series", "entity", "period"), "claims": ("claim_id",)}


def _check_unique(frame: pd.DataFrame, path: Path, table: str) -> None:
    key = UNIQUE_KEYS.get(table)
    if key is None:
        return
    dup = frame[frame.duplicated(list(key), keep="first")]
    if not dup.empty:
        first = dup.iloc[0]
        shown = "|".join(str(first[k]) for k in key)
        raise DataError(path, int(first["_row"]), key[-1], f"duplicate key '{shown}'")


def read_many(folder: str, table: str, names: tuple[str, ...] = ()) -> pd.DataFrame:
    """Read and validate the CSVs of ``data/<folder>/`` as one frame: all of
    them, or only ``<name>.csv`` for each of ``names``.

    Keys must be unique across files too: a key in two files names the
    second occurrence.
    """
    keys = source_keys()
    if names:
        paths = [DATA / folder / f"{name}.csv" for name in names]
    else:
        paths = sorted((DATA / folder).glob("*.csv"))
    if not paths:
        raise DataError(DATA / folder, None, None, "no CSV files")
    frame = pd.concat([read_table(p, table, keys) for p in paths], ignore_index=True)
    key = UNIQUE_KEYS[table]
    dup = frame[frame.duplicated(list(key), keep="first")]
    if not dup.empty:
        first = dup.iloc[0]
        shown = "|".join(str(first[k]) for k in key)
        raise DataError(first["_file"], int(first["_row"]), key[-1],
                        f"duplicate key '{shown}' (also in another file)")
    return frame


def observations(*files: str) -> pd.DataFrame:
    """Observations, validated: all of data/observations/*.csv, or only the
    named files (``observations("ai", "world")``). A notebook that names its
    files is re-executed only when one of them changes."""
    return read_many("observations", "observations", files)


def claims(*chapters: str) -> pd.DataFrame:
    """Claims of the article, validated (refs unchecked): all of
    data/claims/*.csv, or only the named chapters' files."""
    return read_many("claims", "claims", chapters)


def table(name: str) -> pd.DataFrame:
    """A free-form sourced table, data/tables/<name>.csv (e.g. a dated timeline)."""
    return read_table(DATA / "tables" / f"{name}.csv", "tables").drop(columns=["_file", "_row"])


def series(obs: pd.DataFrame, series_id: str, entity: str | None = None) -> pd.DataFrame:
    """The rows of one series (optionally one entity), sorted by year."""
    rows = obs[obs["series"] == series_id]
    if entity is not None:
        rows = rows[rows["entity"] == entity]
    if rows.empty:
        raise KeyError(f"no observations for series '{series_id}'"
                       + (f", entity '{entity}'" if entity else ""))
    return rows.sort_values(["year", "period"]).reset_index(drop=True)


def value(obs: pd.DataFrame, ref: str) -> float:
    """The value of one observation, by reference ``series|entity|period``."""
    return float(lookup(obs, ref)["value"])


def lookup(obs: pd.DataFrame, ref: str) -> pd.Series:
    """The observation row behind a reference ``series|entity|period``."""
    series_id, entity, period = ref.split("|")
    rows = obs[(obs["series"] == series_id) & (obs["entity"] == entity) & (obs["period"] == period)]
    if rows.empty:
        raise KeyError(f"no observation '{ref}'")
    return rows.iloc[0]
