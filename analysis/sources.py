"""The データと出典 appendix: every data file with its columns, units and sources."""

from __future__ import annotations

import pandas as pd
from IPython.display import Markdown, display

from analysis import data
from analysis.book import markdown_table

# Link targets are relative to chapters/appendix/, where the appendix lives.
TO_ROOT = "../.."


def schema_table() -> pd.DataFrame:
    """data/schema.csv as a reader's table."""
    rows = []
    for table, columns in data.schema().items():
        for col in columns:
            rows.append({"表": table, "列": col.name, "型": col.dtype,
                         "必須": "はい" if col.required else "いいえ",
                         "許される値": " / ".join(col.allowed) or "—"})
    return pd.DataFrame(rows)


def units_table() -> pd.DataFrame:
    """data/units.csv as a reader's table."""
    units = data.units().reset_index()
    return pd.DataFrame({"単位キー": units["unit"], "表記": units["label_ja"], "次元": units["dimension"],
                         "基本単位への換算": units["to_base"].map(lambda v: f"{v:g}")})


def series_table(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per series of an observations file: entities, periods, unit, sources."""
    rows = []
    for series_id, group in frame.groupby("series", sort=False):
        keys = sorted(set(group["source"]))
        rows.append({
            "系列": series_id,
            "主体": "、".join(dict.fromkeys(group["entity"])),
            "期間": "、".join(dict.fromkeys(group["period"])),
            "単位": "、".join(data.units().loc[u, "label_ja"] for u in dict.fromkeys(group["unit"])),
            "件数": str(len(group)),
            "出典": "、".join(f"{{cite}}`{k}`" for k in keys),
        })
    return pd.DataFrame(rows)


def file_section(path, table: str) -> str:
    """Markdown for one data file: a download link and what it holds."""
    rel = path.relative_to(data.ROOT)
    frame = data.read_table(path, table)
    head = f"### `{rel}`\n\n{{download}}`{path.name} をダウンロード <{TO_ROOT}/{rel}>`（{len(frame)}行）\n\n"
    if table == "observations":
        return head + markdown_table(series_table(frame))
    if table == "claims":
        chapters = "、".join(dict.fromkeys(frame["chapter"]))
        return head + f"記事の主張 {len(frame)} 件（章：{chapters}）。\n"
    keys = sorted(set(frame["source"]))
    columns = "、".join(c for c in frame.columns if not c.startswith("_"))
    return head + f"列：{columns}。出典：" + "、".join(f"{{cite}}`{k}`" for k in keys) + "\n"


def show_files() -> None:
    """Display a section for every data file (observations, claims, tables)."""
    parts = []
    for folder, table in [("observations", "observations"), ("claims", "claims"), ("tables", "tables")]:
        for path in sorted((data.DATA / folder).glob("*.csv")):
            parts.append(file_section(path, table))
    for name in ("schema.csv", "units.csv"):
        parts.append(f"### `data/{name}`\n\n{{download}}`{name} をダウンロード <{TO_ROOT}/data/{name}>`\n")
    display(Markdown("\n\n".join(parts)))
