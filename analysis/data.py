"""Load and validate the book's data files.

Every CSV under ``data/`` is a resource of the Frictionless Data Package
``data/datapackage.json``: its fields with their types, required fields and
allowed values, its primary key, and its foreign keys to ``data/units.csv``,
``data/entities.csv`` and ``data/sources.csv`` (the keys of ``references.bib``).

:func:`validate` checks the whole package with ``frictionless``, together with
the rules a Table Schema cannot state: no negative value in a money unit, a
key unique across the files of one kind, and ``data/sources.csv`` holding
exactly the keys of ``references.bib``. It raises one :class:`DataError`
naming the file, the row (the line of the CSV, header = 1) and the column.
The build runs it before any notebook, the tests run it, and
``python -m analysis.data`` runs it alone.

The loaders (:func:`observations`, :func:`load_folder`, :func:`table`, ...) read
the files typed from the descriptor's schemas and do not validate again, so a
notebook kernel never imports frictionless (validation is the build's job, once).
Files are read as UTF-8 with or without a BOM, with LF or CRLF line endings.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import hashlib
import json
import math
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any, TypeVar

import pandas as pd

from analysis import ROOT

DATA = ROOT / "data"
BIB = ROOT / "references.bib"
DESCRIPTOR = DATA / "datapackage.json"

BIB_KEY_PATTERN = re.compile(r"^@\w+\s*\{\s*([^,\s]+)\s*,", re.MULTILINE)
MONEY_DIMENSIONS = {"jpy", "usd"}
# The folders of data/ whose files share one schema per folder and whose
# keys must be unique across the files of the folder, not only within one.
KEYED_FOLDERS = ("observations", "statements", "checks")

# What a notebook's outputs depend on, for the staleness check of the
# notebook executor (see tooling.refresh): the files read since the process
# started (paths relative to ROOT), and the derived values it read in place
# of the files they are made from (name -> SHA-256 of the value, see
# recorded_apart and verdicts.ledger).
FILES_READ: set[str] = set()
DERIVED: dict[str, str] = {}
# Where a read is recorded: FILES_READ, or the set of a recorded_apart block.
_recording: list[set[str]] = [FILES_READ]

# The wording of every problem, by frictionless error type and, where one type
# covers several rules, the rule (field type, constraint or referenced resource).
# Placeholders: cell (the cell as written), allowed, pattern, key (the row's
# key, joined by |), unit (the row's unit) and note (frictionless' own note).
PROBLEMS: dict[tuple[str, str], str] = {
    ("scheme-error", ""): "file not found",
    ("source-error", ""): "the file is empty",
    ("table-dimensions", ""): "the file has a header but no rows",
    ("missing-label", ""): "missing column",
    ("extra-label", ""): "unknown column (not declared in data/datapackage.json)",
    ("incorrect-label", ""): "column in the wrong place (see data/datapackage.json)",
    ("duplicate-label", ""): "duplicate column",
    ("blank-label", ""): "blank column name",
    ("blank-row", ""): "the row is blank",
    ("extra-cell", ""): "more cells than the header has columns",
    ("missing-cell", ""): "fewer cells than the header has columns",
    ("type-error", "number"): "'{cell}' is not a number",
    ("type-error", "integer"): "'{cell}' is not a whole number",
    ("type-error", "date"): "'{cell}' is not a date (YYYY-MM-DD)",
    ("constraint-error", "required"): "a value is required",
    ("constraint-error", "enum"): "'{cell}' is not one of {allowed}",
    ("constraint-error", "pattern"): "'{cell}' does not match the pattern {pattern}",
    ("primary-key", ""): "duplicate key '{key}'",
    ("foreign-key", "units"): "unknown unit '{cell}' (see data/units.csv)",
    ("foreign-key", "sources"): "unknown source key '{cell}' (not in references.bib)",
    ("foreign-key", "entities"): "unknown entity '{cell}' (see data/entities.csv)",
    ("foreign-key", "statements"): "unknown statement '{cell}' (not in data/statements/ of this chapter)",
    ("foreign-key", "rating-scale"): "unknown label '{cell}' (see data/rating/scale.csv)",
    ("foreign-key", "rating-findings"): "unknown finding '{cell}' (see data/rating/findings.csv)",
    ("negative-money", ""): "negative money value {cell} ({unit})",
    ("duplicate-across-files", ""): "duplicate key '{key}' (also in another file)",
    ("source-not-in-bib", ""): "'{cell}' is not a key of references.bib",
    ("bib-key-not-in-sources", ""): "references.bib has the key '{note}', which has no row here",
}


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


def _relative(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def record(path: Path) -> None:
    """Record that ``path`` was read (in FILES_READ, or in the set of the
    innermost :func:`recorded_apart` block)."""
    _recording[-1].add(_relative(path))


@contextlib.contextmanager
def recorded_apart() -> Iterator[set[str]]:
    """Record the reads of the block in a set of their own (yielded), not in
    FILES_READ: for a value the notebook records by its digest instead
    (:data:`DERIVED`), so that it is re-executed only when the value changes."""
    files: set[str] = set()
    _recording.append(files)
    try:
        yield files
    finally:
        _recording.pop()


Function = TypeVar("Function", bound=Callable[..., Any])


def _stamps(files: frozenset[str]) -> tuple[tuple[str, int, int], ...]:
    """Each file's modification time (ns) and size, in path order (-1, -1 if gone)."""
    found = []
    for rel in sorted(files):
        try:
            stat = (ROOT / rel).stat()
            found.append((rel, stat.st_mtime_ns, stat.st_size))
        except FileNotFoundError:
            found.append((rel, -1, -1))
    return tuple(found)


def cached(function: Function) -> Function:
    """A cache for a function that may read files, by its arguments. Every
    call, the first or a cached one, records the files the first call read (a
    plain cache would hide a read from the notebook executor when the first
    call happened inside :func:`recorded_apart`). A stored value is given
    while those files keep their modification time and size: a kernel that
    stays open (JupyterLab) sees an edited file without a restart."""
    store: dict[tuple, tuple[Any, frozenset[str], tuple]] = {}

    @functools.wraps(function)
    def call(*args: Any) -> Any:
        kept = store.get(args)
        if kept is None or _stamps(kept[1]) != kept[2]:
            with recorded_apart() as read:
                value = function(*args)
            files = frozenset(read)
            kept = store[args] = (value, files, _stamps(files))
        _recording[-1].update(kept[1])
        return kept[0]

    call.cache_clear = store.clear  # type: ignore[attr-defined]
    return call  # type: ignore[return-value]


# The descriptor ---------------------------------------------------------------


@cached
def _parsed_descriptor() -> dict[str, Any]:
    record(DESCRIPTOR)
    if not DESCRIPTOR.exists():
        raise DataError(DESCRIPTOR, None, None, "file not found")
    try:
        return json.loads(DESCRIPTOR.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise DataError(DESCRIPTOR, err.lineno, None, f"not valid JSON: {err.msg}") from None


def descriptor() -> dict[str, Any]:
    """data/datapackage.json, parsed once while it is unchanged (shared: do not modify)."""
    return _parsed_descriptor()


def resources(folder: str) -> list[dict[str, Any]]:
    """The resource descriptors of the files of ``data/<folder>/``, in descriptor order."""
    return [r for r in descriptor()["resources"] if r["path"].startswith(f"{folder}/")]


def resource(path: Path, kind: str) -> dict[str, Any]:
    """The resource descriptor for a file named like ``path`` of ``kind``.

    ``kind`` is a folder of data/ (observations, statements, checks, tables) or the name of
    a top-level table (units, entities, sources); the file may be anywhere (a
    copy of data/observations/ai.csv is read as the resource observations/ai.csv).
    """
    wanted = f"{kind}/{path.name}" if kind != path.stem else path.name
    for candidate in descriptor()["resources"]:
        if candidate["path"] == wanted:
            return candidate
    raise DataError(path, None, None, f"not described in data/datapackage.json (as {wanted})")


# Loading (typed from the schema, not validated) --------------------------------


def _typed(column: pd.Series, field: dict[str, Any], missing_values: list[str]) -> pd.Series:
    """A column of text converted to its field's Table Schema type: number ->
    float (NaN when empty), integer -> int (float with NaN if a cell is empty),
    anything else (string, date) -> the text as written ("" when empty)."""
    empty = column.isin(missing_values)
    if field["type"] == "number":
        text = column.str.strip()
        if field.get("groupChar"):
            text = text.str.replace(field["groupChar"], "", regex=False)
        return pd.to_numeric(text.mask(empty)).astype(float)
    if field["type"] == "integer":
        values = pd.to_numeric(column.str.strip().mask(empty))
        return values.astype(float) if empty.any() else values.astype(int)
    return column.mask(empty, "")


def _load(path: Path, res: dict[str, Any]) -> pd.DataFrame:
    """One CSV file typed by the schema of ``res``, with ``_file`` and ``_row``
    (the CSV line, header = 1). Assumes the file is valid (see :func:`validate`)."""
    if not path.exists():
        raise DataError(path, None, None, "file not found")
    record(path)
    schema = res["schema"]
    missing_values = schema.get("missingValues", [""])
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8-sig")
    for field in schema["fields"]:
        frame[field["name"]] = _typed(frame[field["name"]], field, missing_values)
    frame["_file"] = _relative(path)
    frame["_row"] = range(2, len(frame) + 2)
    return frame


def load_resource(res: dict[str, Any]) -> pd.DataFrame:
    """The file of one resource descriptor of data/datapackage.json, typed, with ``_file`` and ``_row``."""
    return _load(DATA / res["path"], res)


def load_folder(folder: str, names: tuple[str, ...] = ()) -> pd.DataFrame:
    """The files of ``data/<folder>/`` as one frame: every one the package
    lists, or ``<name>.csv`` for each of ``names``."""
    chosen = resources(folder)
    if names:
        by_stem = {Path(r["path"]).stem: r for r in chosen}
        unknown = [n for n in names if n not in by_stem]
        if unknown:
            raise DataError(DATA / folder / f"{unknown[0]}.csv", None, None,
                            "not described in data/datapackage.json")
        chosen = [by_stem[n] for n in names]
    return pd.concat([load_resource(r) for r in chosen], ignore_index=True)


def observations(*files: str) -> pd.DataFrame:
    """Observations: all of data/observations/*.csv, or only the named files
    (``observations("ai", "world")``). A notebook that names its files is
    re-executed only when one of them changes."""
    return load_folder("observations", files)


# The name of a derived value that is the rows of one series of one file:
# 'data/observations/ai.csv#genai_use_individual'.
SERIES_MARK = "#"


def observed_series(file: str, *names: str) -> pd.DataFrame:
    """The rows of the named series of data/observations/<file>.csv, in file
    order, for a page that shows only these series of a file that other pages
    read whole. Each series is recorded as a derived value (:data:`DERIVED`,
    named ``data/observations/<file>.csv#<series>``: the SHA-256 of its rows)
    instead of the file, so an edit to another series of the file leaves the
    page current. Raises KeyError for a series the file does not have."""
    rel = f"data/observations/{file}.csv"
    frames = []
    for name in names:
        rows = _series_rows(rel, name)
        if rows.empty:
            raise KeyError(f"{rel} has no series '{name}'")
        DERIVED[f"{rel}{SERIES_MARK}{name}"] = frame_digest(rows)
        frames.append(rows)
    return pd.concat(frames, ignore_index=True)


def _series_rows(rel: str, name: str) -> pd.DataFrame:
    """The rows of series ``name`` of the observations file ``rel``, read apart."""
    with recorded_apart():
        whole = observations(Path(rel).stem)
    return whole[whole["series"] == name].reset_index(drop=True)


def series_digest(name: str) -> str | None:
    """The current digest of a derived value named as :func:`observed_series`
    names it, from the data as they are now (None if the name is not such a
    value or its file is gone)."""
    rel, mark, series_id = name.partition(SERIES_MARK)
    if not mark or not rel.startswith("data/observations/") or not (ROOT / rel).exists():
        return None
    return frame_digest(_series_rows(rel, series_id))


def frame_digest(*frames: pd.DataFrame) -> str:
    """SHA-256 of all the frames hold: columns, types, index and values
    (floats exactly, as their shortest repr). Equal digests, equal frames."""
    text = "".join(f"{frame.dtypes.to_dict()}\n{frame.to_csv()}" for frame in frames)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def table(name: str) -> pd.DataFrame:
    """A sourced table, data/tables/<name>.csv (e.g. a dated timeline), typed by its schema."""
    path = DATA / "tables" / f"{name}.csv"
    return _load(path, resource(path, "tables")).drop(columns=["_file", "_row"])


def top_level(name: str) -> pd.DataFrame:
    """A top-level table of data/ (units, entities, sources, searches, corrections, ...), typed."""
    path = DATA / f"{name}.csv"
    return _load(path, resource(path, name)).drop(columns=["_file", "_row"])


def named(desc: dict[str, Any], name: str) -> dict[str, Any]:
    """The resource of ``desc`` called ``name``."""
    return next(r for r in desc["resources"] if r["name"] == name)


def article_date() -> str:
    """The time of the article (YYYY-MM): the ``date`` of its resource in the package."""
    return str(named(descriptor(), "article")["date"])


def article_year() -> int:
    return int(article_date()[:4])


@cached
def units() -> pd.DataFrame:
    """Declared units, indexed by key: Japanese label, dimension and factor to the base unit."""
    return top_level("units").set_index("unit")


@cached
def entities() -> pd.DataFrame:
    """Declared entities (国・機関), indexed by key: Japanese label for charts and tables, and kind."""
    return top_level("entities").set_index("entity")


def entity_label(code: str) -> str:
    """The Japanese name of an entity for charts and tables: 'JP' -> '日本'."""
    table = entities()
    if code not in table.index:
        raise KeyError(f"unknown entity {code!r} (see data/entities.csv)")
    return str(table.loc[code, "label_ja"])


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
    record(bib)
    return set(BIB_KEY_PATTERN.findall(bib.read_text(encoding="utf-8")))


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


# Validation (frictionless) ------------------------------------------------------


@cached
def _frictionless() -> SimpleNamespace:
    """frictionless and the book's own checks. Imported on the first validation
    only: loading data never needs them, and the import alone costs ~0.25 s."""
    import attrs
    import frictionless
    from frictionless import errors

    def error_class(name: str, base: type, title: str) -> type:
        return type(name, (base,), {"type": name, "title": title, "description": title, "template": title})

    negative_money = error_class("negative-money", errors.CellError, "Negative money value")
    duplicate_across = error_class("duplicate-across-files", errors.CellError, "Duplicate key across files")
    not_in_bib = error_class("source-not-in-bib", errors.CellError, "Key not in references.bib")
    not_in_sources = error_class("bib-key-not-in-sources", errors.TableError, "Key missing from sources.csv")

    @attrs.define(kw_only=True, repr=False)
    class NoNegativeMoney(frictionless.Check):
        """A row with ``value`` and ``unit`` columns holds no negative value in a
        unit whose dimension (data/units.csv) is money."""

        type = "no-negative-money"
        Errors = [negative_money]
        active: bool = False
        money: set[str] | None = None  # read from the units table once per validation

        def validate_start(self):
            self.active = {"value", "unit"} <= set(self.resource.schema.field_names)
            if self.active and self.money is None and self.resource.package:
                with self.resource.package.get_resource("units").to_copy() as units:
                    self.money = {r["unit"] for r in units.row_stream if r["dimension"] in MONEY_DIMENSIONS}
            yield from []

        def validate_row(self, row):
            amount = row["value"] if self.active and self.money else None
            # NaN is not ordered (its comparison raises): _validate_ledger names it
            if amount is not None and amount == amount and row["unit"] in self.money and amount < 0:
                yield negative_money.from_row(row, note="", field_name="value")

    @attrs.define(kw_only=True, repr=False)
    class UniqueAcrossFiles(frictionless.Check):
        """The primary key of a row is unique across all the files of a keyed folder
        (one instance sees every resource of a package validation)."""

        type = "unique-across-files"
        Errors = [duplicate_across]
        seen: dict[tuple[Any, ...], str] = attrs.field(factory=dict)

        def validate_row(self, row):
            folder = self.resource.name.split("-")[0]
            if folder not in KEYED_FOLDERS:
                return
            key = (folder, *(row[k] for k in self.resource.schema.primary_key))
            if self.seen.setdefault(key, self.resource.name) != self.resource.name:
                yield duplicate_across.from_row(row, note="", field_name=self.resource.schema.primary_key[-1])

    @attrs.define(kw_only=True, repr=False)
    class SourcesMatchBib(frictionless.Check):
        """The sources table holds exactly the entry keys of references.bib."""

        type = "sources-match-bib"
        Errors = [not_in_bib, not_in_sources]
        bib: str = ""
        keys: set[str] = attrs.field(factory=set)
        found: set[str] = attrs.field(factory=set)

        def validate_start(self):
            self.keys = source_keys(Path(self.bib)) if self.resource.name == "sources" else set()
            self.found = set()
            yield from []

        def validate_row(self, row):
            if self.keys and row["key"] is not None:
                self.found.add(row["key"])
                if row["key"] not in self.keys:
                    yield not_in_bib.from_row(row, note="", field_name="key")

        def validate_end(self):
            for key in sorted(self.keys - self.found):
                yield not_in_sources(note=key)

    return SimpleNamespace(module=frictionless, NoNegativeMoney=NoNegativeMoney,
                           UniqueAcrossFiles=UniqueAcrossFiles, SourcesMatchBib=SourcesMatchBib)


def _checklist(bib: Path) -> Any:
    """The checks run on every resource besides the Table Schema's own."""
    fl = _frictionless()
    return fl.module.Checklist(checks=[
        fl.module.checks.table_dimensions(min_rows=1), fl.NoNegativeMoney(), fl.UniqueAcrossFiles(),
        fl.SourcesMatchBib(bib=str(bib))])


def _package(desc: dict[str, Any], folder: Path) -> Any:
    """A frictionless Package of ``desc`` (paths under ``folder``); a bad descriptor raises DataError."""
    fl = _frictionless().module
    try:
        return fl.Package(copy.deepcopy(desc), basepath=str(folder))
    except fl.FrictionlessException as err:
        reasons = [e.message for e in err.reasons] or [err.error.message]
        raise DataError(folder / DESCRIPTOR.name, None, None, reasons[0]) from None


def _rule(error: Any, schema: dict[str, Any]) -> str:
    """Which rule of several an error breaks: the field's type, the constraint or the referenced table."""
    if error.type == "type-error":
        return next(f["type"] for f in schema["fields"] if f["name"] == error.field_name)
    if error.type == "constraint-error":
        found = re.match(r'constraint "(\w+)"', error.note)
        return found.group(1) if found else ""
    if error.type == "foreign-key":
        # a chapter's file (statements-04_ai) is worded by its folder
        folder = error.reference_name.split("-")[0]
        return folder if folder in KEYED_FOLDERS else error.reference_name
    return ""


def _column(error: Any, schema: dict[str, Any]) -> str | None:
    """The column an error is about: its field, its label, or the last field of the key it breaks."""
    if error.type == "primary-key":
        return schema["primaryKey"][-1]
    if error.type == "foreign-key":
        return error.field_names[-1]
    if error.type == "bib-key-not-in-sources":
        return "key"
    return getattr(error, "field_name", None) or getattr(error, "label", None) or None


def _to_data_error(error: Any, path: Path, schema: dict[str, Any], labels: list[str]) -> DataError:
    """One frictionless error as a DataError worded by PROBLEMS (frictionless' own message if unlisted)."""
    column = _column(error, schema)
    row = getattr(error, "row_number", None)
    if row is None and error.type.endswith("-label"):
        row = 1
    cells = dict(zip(labels, getattr(error, "cells", None) or [], strict=False))
    field = next((f for f in schema["fields"] if f["name"] == column), {})
    constraints = field.get("constraints", {})
    context = {
        "cell": getattr(error, "cell", None) or cells.get(column or "", ""),
        "allowed": ", ".join(constraints.get("enum", [])),
        "pattern": constraints.get("pattern", ""),
        "key": "|".join(cells.get(k, "") for k in schema.get("primaryKey", [])),
        "unit": cells.get("unit", ""),
        "note": error.note,
    }
    template = PROBLEMS.get((error.type, _rule(error, schema))) or PROBLEMS.get((error.type, ""))
    return DataError(path, row, column, template.format(**context) if template else error.message)


def _raise_first(report: Any, paths: dict[str, Path], schemas: dict[str, dict[str, Any]],
                 package_path: Path = DESCRIPTOR) -> None:
    """Raise the first error of a frictionless report as a DataError."""
    if report.errors:
        raise DataError(package_path, None, None, report.errors[0].message)
    for task in report.tasks:
        if task.errors:
            raise _to_data_error(task.errors[0], paths[task.name], schemas[task.name], task.labels)


def validate(folder: Path = DATA, bib: Path = BIB) -> None:
    """Validate the whole data package with frictionless (every resource, key and
    foreign key, plus the book's checks); raise the first problem as a DataError.
    Every CSV under the folder must be a resource of the package, too.
    ``folder`` and ``bib`` are for checking a copy of the data."""
    desc = _descriptor_of(folder)
    described = {r["path"] for r in desc["resources"]}
    for path in sorted(folder.rglob("*.csv")):
        rel = path.relative_to(folder)
        # Hidden folders hold editors' copies (JupyterLab's .ipynb_checkpoints), not data.
        if rel.as_posix() not in described and not any(p.startswith(".") for p in rel.parts):
            raise DataError(path, None, None, "not described in data/datapackage.json")
    paths = {r["name"]: folder / r["path"] for r in desc["resources"]}
    for path in paths.values():
        if path.exists():
            record(path)
    # the article is text, not a table: its quotes are checked below (_validate_ledger)
    tabular = {**desc, "resources": [r for r in desc["resources"] if "schema" in r]}
    for res in desc["resources"]:
        if "schema" not in res and not (folder / res["path"]).exists():
            raise DataError(folder / res["path"], None, None, "file not found")
    report = _package(tabular, folder).validate(checklist=_checklist(bib))
    _raise_first(report, paths, {r["name"]: r.get("schema", {}) for r in desc["resources"]},
                 folder / DESCRIPTOR.name)
    _validate_ledger(desc, folder)


def _descriptor_of(folder: Path) -> dict[str, Any]:
    """The package descriptor of ``folder`` (the book's own, or a copy's)."""
    if folder == DATA:
        return descriptor()
    return json.loads((folder / DESCRIPTOR.name).read_text(encoding="utf-8"))


def validate_ledger(folder: Path = DATA) -> None:
    """Only the last step of :func:`validate`, the rules across files below, on
    a folder whose package frictionless has passed; raise the first problem as
    a DataError. (The tests of those rules skip the package's own validation,
    which takes most of a second.)"""
    _validate_ledger(_descriptor_of(folder), folder)


# Rules across files that a Table Schema cannot state -----------------------------

YEAR_IN_PERIOD = re.compile(r"(?<![0-9])(?:19|20)[0-9]{2}(?![0-9])")


def quote_in_text(quote: str, text: str) -> bool:
    """Whether ``quote`` occurs in ``text`` verbatim, … marking an elision:
    every piece in order."""
    at = 0
    for piece in (p for p in quote.split("…") if p):
        found = text.find(piece, at)
        if found < 0:
            return False
        at = found + len(piece)
    return True


def chapter_labels(chapter: str) -> set[str]:
    """The MyST labels ``(name)=`` of a chapter's notebook."""
    path = ROOT / "chapters" / f"{chapter}.ipynb"
    if not path.exists():
        return set()
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    return set(re.findall(r"^\(([^)\s]+)\)=\s*$", text, re.MULTILINE))


def _finite_numbers(path: Path, schema: dict[str, Any]) -> None:
    """No number field holds NaN or an infinity (Table Schema's number type admits both)."""
    numbers = [f["name"] for f in schema["fields"] if f["type"] == "number"]
    if not numbers:
        return
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8-sig")
    for name in numbers:
        for line, cell in enumerate(frame[name], start=2):
            text = cell.strip().replace(",", "")
            try:
                finite = not text or math.isfinite(float(text))
            except ValueError:
                finite = True  # not a number at all: the schema's type check says so
            if not finite:
                raise DataError(path, line, name, f"'{cell}' is not a finite number")


def _frames(desc: dict[str, Any], folder: Path, prefix: str) -> list[pd.DataFrame]:
    return [_load(folder / r["path"], r) for r in desc["resources"] if r["path"].startswith(prefix)]


def _validate_ledger(desc: dict[str, Any], folder: Path) -> None:
    """Quotes verbatim in the article, sections that exist, references that
    resolve, readings public in time, finite numbers, years that agree with
    their periods, and the search and corrections records tied to statements
    (each rule in turn: the first problem is raised)."""
    for res in desc["resources"]:
        if "schema" in res:
            _finite_numbers(folder / res["path"], res["schema"])
    obs = pd.concat(_frames(desc, folder, "observations/"), ignore_index=True)
    _years_within_periods(obs)
    article_res = named(desc, "article")
    article = (folder / article_res["path"]).read_text(encoding="utf-8")
    article_date = str(article_res["date"])
    as_of = _statements_in_the_article(pd.concat(_frames(desc, folder, "statements/"), ignore_index=True),
                                       article, article_date)
    _checks_resolve_in_time(pd.concat(_frames(desc, folder, "checks/"), ignore_index=True),
                            obs, as_of, article_date)
    _records_name_statements(desc, folder, set(as_of), article)


def _years_within_periods(obs: pd.DataFrame) -> None:
    """A period names its year ('FY2024', '2023-10'), or a span that holds it ('2013-2015')."""
    for _, row in obs.iterrows():
        years = [int(y) for y in YEAR_IN_PERIOD.findall(row["period"])]
        if years and not min(years) <= int(row["year"]) <= max(years):
            raise DataError(row["_file"], row["_row"], "year",
                            f"{int(row['year'])} contradicts the period '{row['period']}'")


def _statements_in_the_article(statements: pd.DataFrame, article: str, article_date: str) -> dict[str, str]:
    """Each statement quotes the article verbatim, in a section of its chapter,
    and rests on an earlier statement if on any; returns the time each speaks
    of (its ``as_of``, else the article's date), by statement id."""
    as_of: dict[str, str] = {}
    for _, row in statements.iterrows():
        where = (row["_file"], row["_row"])
        as_of[row["statement_id"]] = row["as_of"] or article_date
        if not quote_in_text(row["quote"], article):
            raise DataError(*where, "quote", f"'{row['quote']}' is not in data/article.txt verbatim")
        chapter = Path(row["_file"]).stem
        if row["section"] not in chapter_labels(chapter):
            raise DataError(*where, "section", f"no label ({row['section']})= in chapters/{chapter}.ipynb")
        if row["finding"] == "baseline_unstated":
            raise DataError(*where, "finding", "baseline_unstated is computed from the readings of the "
                            "checks (data/checks/, column basis), never typed")
        if row["rests_on"] and row["rests_on"] not in as_of:
            raise DataError(*where, "rests_on", f"'{row['rests_on']}' is not an earlier statement")
    return as_of


def _checks_resolve_in_time(checks: pd.DataFrame, obs: pd.DataFrame, as_of: dict[str, str],
                            article_date: str) -> None:
    """Each reference of a check names observations that exist, and a reading
    (basis) was public by the time its statement speaks of."""
    have_series = set(zip(obs["series"], obs["entity"], strict=True))
    have_obs = set(zip(obs["series"], obs["entity"], obs["period"], strict=True))
    for _, row in checks.iterrows():
        where = (row["_file"], row["_row"])
        for col in ("a", "b", "newer"):
            ref = row[col]
            if not ref:
                continue
            # series|entity names a series; series|entity|period one of its observations
            parts = tuple(ref.split("|"))
            if parts[:2] not in have_series or (len(parts) == 3 and parts not in have_obs):
                raise DataError(*where, col, f"reference '{ref}' matches no observation")
        if row["basis"] and not row["public"]:
            raise DataError(*where, "public", "a reading (basis) needs the date its base became public")
        when = as_of.get(row["statement_id"], article_date)
        if row["public"] and row["public"] > when:
            raise DataError(*where, "public", f"public {row['public']}, after the time the statement "
                            f"speaks of ({when}): not a plausible reading")


def _records_name_statements(desc: dict[str, Any], folder: Path, ids: set[str], article: str) -> None:
    """The search and corrections records name statements of the ledger (a
    correction without a label records a merge), and each unrated sentence is
    an excerpt of the article."""
    for name in ("searches", "corrections"):
        res = named(desc, name)
        for _, row in _load(folder / res["path"], res).iterrows():
            merged = name == "corrections" and not row["label"]
            if row["statement_id"] not in ids and not merged:
                raise DataError(row["_file"], row["_row"], "statement_id",
                                f"unknown statement '{row['statement_id']}'")
    res = named(desc, "unrated-sentences")
    for _, row in _load(folder / res["path"], res).iterrows():
        if row["excerpt"] not in article:
            raise DataError(row["_file"], row["_row"], "excerpt", "not in data/article.txt verbatim")


def _validate_file(path: Path, res: dict[str, Any]) -> None:
    """Validate one file as the resource ``res``, against the package's real
    units, entities and sources (the file itself may be anywhere)."""
    desc = descriptor()
    # units for the money check; the others a foreign key of the file refers to
    needed = {"units"} | {fk["reference"]["resource"] for fk in res["schema"].get("foreignKeys", [])}
    others = [r for r in desc["resources"] if r["name"] in needed - {res["name"]}]
    mine = {**res, "path": str(path.resolve())}
    fl = _frictionless().module
    # Trusted: the file may be a copy outside data/ (an absolute path), which
    # frictionless otherwise refuses as unsafe; the descriptor is our own.
    with fl.system.use_context(trusted=True):
        package = _package({"name": desc["name"], "resources": [*others, mine]}, DATA)
        report = package.get_resource(res["name"]).validate(checklist=_checklist(BIB))
    _raise_first(report, {res["name"]: path}, {res["name"]: res["schema"]})


def read_table(path: Path, kind: str) -> pd.DataFrame:
    """Validate one CSV file with frictionless as the resource of ``kind`` it is
    named after, then return it typed, with ``_file`` and ``_row``.

    ``kind`` is a folder of data/ (observations, statements, checks, tables) or a top-level
    table's name (units, entities, sources). The file may be a copy anywhere:
    ``read_table(tmp / "ai.csv", "observations")`` checks it against the
    schema of data/observations/ai.csv and the package's units, entities and sources.
    """
    res = resource(path, kind)
    _validate_file(path, res)
    return _load(path, res)


def main() -> int:
    """``python -m analysis.data``: validate the data package, print one line."""
    try:
        validate()
    except DataError as err:
        print(f"data error: {err}", file=sys.stderr)
        return 2
    print(f"data/datapackage.json: {len(descriptor()['resources'])} resources valid")
    return 0


if __name__ == "__main__":
    sys.exit(main())
