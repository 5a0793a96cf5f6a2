"""The データと出典 appendix: the data package's tables with their fields and keys,
the units, the entities, and every data file with its series and sources.

Everything shown comes from ``data/datapackage.json`` and the files it describes.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pandas as pd
from IPython.display import Markdown, display

from analysis import data, text
from analysis.glue import markdown_table

# Link targets are relative to chapters/appendix/, where the appendix lives.
TO_ROOT = "../.."

TYPE_LABELS = {"string": "文字列", "number": "数値", "integer": "整数", "date": "日付"}
KIND_LABELS = {"country": "国", "region": "地域", "institution": "機関", "group": "大学群", "sector": "部門",
               "total": "合計", "domain": "領域", "model": "モデル", "publisher": "発行元"}


def allowed_text(field: dict[str, Any]) -> str:
    """A field's allowed values for a reader: the enum, a pattern, or —."""
    constraints = field.get("constraints", {})
    if "enum" in constraints:
        return " / ".join(str(v) for v in constraints["enum"])
    if "pattern" in constraints:
        return f"パターン `{constraints['pattern']}`"
    return "—"


def fields_table(schema: dict[str, Any]) -> pd.DataFrame:
    """One Table Schema's fields for a reader: name, type, required, allowed values, description."""
    rows = []
    for field in schema["fields"]:
        required = field.get("constraints", {}).get("required", False)
        rows.append({"列": f"`{field['name']}`",
                     "型": f"{TYPE_LABELS.get(field['type'], field['type'])}（{field['type']}）",
                     "必須": "はい" if required else "いいえ",
                     "許される値": allowed_text(field),
                     "説明": field.get("description", "")})
    return pd.DataFrame(rows)


def _names(fields: str | list[str]) -> str:
    """A key's field names as code: Table Schema writes one field as a string, several as a list."""
    return " + ".join(f"`{f}`" for f in ([fields] if isinstance(fields, str) else fields))


def keys_text(schema: dict[str, Any]) -> str:
    """The primary key and the foreign keys of one Table Schema, in Japanese."""
    paths = {r["name"]: r["path"] for r in data.descriptor()["resources"]}
    primary = _names(schema.get("primaryKey", []))
    parts = [f"主キー：{primary}（重複不可）" if primary else "主キー：なし"]
    foreign = [f"{_names(fk['fields'])} → `data/{paths[fk['reference']['resource']]}` の "
               f"{_names(fk['reference']['fields'])}" for fk in schema.get("foreignKeys", [])]
    if foreign:
        parts.append("外部キー：" + "、".join(foreign))
    return "。".join(parts) + "。"


def ordered_resources() -> list[dict[str, Any]]:
    """The package's resources, the files of folders (observations, statements, checks, tables)
    first and the top-level tables (units, entities, sources) after them."""
    tables = [r for r in data.descriptor()["resources"] if "schema" in r]  # the article is text
    return sorted(tables, key=lambda r: "/" not in r["path"])


def schema_groups() -> list[tuple[list[str], dict[str, Any]]]:
    """The package's schemas with the files that share each, in the order of
    :func:`ordered_resources`: (['data/observations/ai.csv', ...], schema)."""
    groups: dict[str, tuple[list[str], dict[str, Any]]] = {}
    for res in ordered_resources():
        key = repr(res["schema"])
        groups.setdefault(key, ([], res["schema"]))[0].append(f"data/{res['path']}")
    return list(groups.values())


def schema_section(files: list[str], schema: dict[str, Any]) -> str:
    """Markdown for one schema: the files it describes, its fields and its keys."""
    if len(files) == 1:
        head = f"### `{files[0]}` の列"
    else:
        folder = str(Path(files[0]).parent)
        head = f"### `{folder}/*.csv` の列（{len(files)}ファイル共通）"
    return "\n\n".join([head, markdown_table(fields_table(schema)), keys_text(schema)])


def show_schemas() -> None:
    """Display every schema of the package (fields, primary and foreign keys)."""
    display(Markdown("\n\n".join(schema_section(files, schema) for files, schema in schema_groups())))


def units_table() -> pd.DataFrame:
    """data/units.csv as a reader's table."""
    units = data.units().reset_index()
    return pd.DataFrame({"単位キー": units["unit"], "表記": units["label_ja"], "次元": units["dimension"],
                         "基本単位への換算": units["to_base"].map(lambda v: f"{v:g}"),
                         "計算値の小数桁": units["decimals"].map(_decimals_text)})


def _decimals_text(decimals: float) -> str:
    return "値の大きさによる" if data.missing(decimals) else f"{int(decimals)}桁"


def entities_table() -> pd.DataFrame:
    """data/entities.csv as a reader's table."""
    entities = data.entities().reset_index()
    return pd.DataFrame({"主体キー": entities["entity"], "図表での名前": entities["label_ja"],
                         "種類": entities["kind"].map(lambda k: KIND_LABELS.get(k, k))})


def series_table(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per series of an observations file: entities, periods, unit, sources."""
    rows = []
    for series_id, group in frame.groupby("series", sort=False):
        keys = sorted(set(group["source"]))
        rows.append({
            "系列": series_id,
            "主体": "、".join(dict.fromkeys(group["entity"])),
            "期間": "、".join(dict.fromkeys(group["period"])),
            "単位": "、".join(text.unit_label(u) for u in dict.fromkeys(group["unit"])),
            "件数": str(len(group)),
            "出典": "、".join(text.cite(k) for k in keys),
        })
    return pd.DataFrame(rows)


def file_section(res: dict[str, Any]) -> str:
    """Markdown for one data file: a download link and what it holds."""
    rel = f"data/{res['path']}"
    frame = data.load_resource(res)
    name = Path(rel).name
    head = f"### `{rel}`\n\n{{download}}`{name} をダウンロード <{TO_ROOT}/{rel}>`（{len(frame)}行）\n\n"
    folder = res["path"].split("/")[0]
    if folder == "observations":
        return head + markdown_table(series_table(frame))
    if res["name"] == "sources":
        return head + f"`references.bib` のエントリーのキー {len(frame)} 件（過不足があれば検証で止まる）。\n"
    if "source" not in frame.columns:
        return head + (res.get("description", "") + "。\n" if res.get("description") else "")
    keys = sorted(set(frame["source"]))
    columns = "、".join(c for c in frame.columns if not c.startswith("_"))
    return head + f"列：{columns}。出典：" + "、".join(text.cite(k) for k in keys) + "\n"


def files_markdown() -> str:
    """A section for every data file of the package, then the descriptor
    itself, as Markdown; its reads are recorded apart (see :func:`show_files`).
    Made once while the data are unchanged (the build's executor and status
    page both ask)."""
    with data.recorded_apart():
        files = _file_sections()
    descriptor = (f"### `data/datapackage.json`\n\n{{download}}`datapackage.json をダウンロード "
                  f"<{TO_ROOT}/data/datapackage.json>`（データパッケージの記述）\n")
    return "\n\n".join([*files, descriptor])


@data.cached
def _file_sections() -> list[str]:
    return [file_section(res) for res in ordered_resources()]


def files_digest(shown: str | None = None) -> str:
    """The SHA-256 of :func:`files_markdown` (``shown``, if made already)."""
    return hashlib.sha256((files_markdown() if shown is None else shown).encode("utf-8")).hexdigest()


def show_files() -> None:
    """Display :func:`files_markdown`. The page records its digest
    (``data.DERIVED["data_files"]``) instead of every data file: it lists
    rows, series, periods, units and sources, not values, so an edit to a
    value leaves it current (see :mod:`analysis.derived`)."""
    shown = files_markdown()
    data.DERIVED["data_files"] = files_digest(shown)
    display(Markdown(shown))
