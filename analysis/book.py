"""Notebook helpers: set-up, glue, and tables the book renders in HTML and PDF."""

from __future__ import annotations

import math

import pandas as pd
from IPython.display import Markdown, display

from analysis import charts, data, fmt

CHAPTER_TITLES = {
    "01_policy": "日本の科学技術政策転換：選択と集中の必然性",
    "02_kprogram": "経済安全保障とK Program：安全保障化する科学技術政策",
    "03_quantum": "量子技術で描く未来社会",
    "04_ai": "AI戦略の核心：融合と応用",
    "05_world": "世界と比較する日本の戦略ポジション",
    "06_side_effects": "選択と集中の副作用：基礎研究と人材育成の危機",
}


class GluedText:
    """A string whose plain-text repr is itself (no quotes when glued)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


def setup() -> None:
    """Register the chart theme and renderer; quiet pandas output."""
    charts.register()
    pd.set_option("display.max_columns", 20)


def glue_text(name: str, text: str) -> str:
    """Glue ``text`` (already formatted) under ``name`` for ``{glue:text}``."""
    from myst_nb import glue

    if not isinstance(text, str):
        raise TypeError(f"glue_text({name!r}) takes a formatted str, got {type(text).__name__}")
    glue(name, GluedText(text), display=False)
    return text


def glue_chart(name: str, chart) -> None:
    """Glue an Altair chart under ``name`` for ``{glue:figure}``."""
    from myst_nb import glue

    glue(name, chart, display=False)


def format_value(value: float, unit: str) -> str:
    """``value`` with the Japanese label of ``unit`` (data/units.csv): '17,397億円'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    label = data.units().loc[unit, "label_ja"] if unit else ""
    digits = 0 if float(value).is_integer() or abs(value) >= 1000 else (1 if abs(value) >= 10 else 2)
    if unit == "year":
        return f"{int(value)}年"
    return f"{fmt.num(value, digits)}{label}"


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def markdown_table(frame: pd.DataFrame) -> str:
    """A pipe table of ``frame`` (index dropped), for HTML and PDF alike."""
    head = "| " + " | ".join(_cell(c) for c in frame.columns) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"
    rows = ["| " + " | ".join(_cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([head, rule, *rows])


def show_table(frame: pd.DataFrame) -> None:
    """Display ``frame`` as a Markdown table (rendered by the book in HTML and PDF)."""
    display(Markdown(markdown_table(frame)))


def computed_text(row: pd.Series) -> str:
    """The computed value of a ledger row in the claim's unit ('—' when none)."""
    unit = row["unit"]
    if row["metric"] == "cagr":
        return "—" if math.isnan(row["computed"]) else fmt.pct(row["computed"])
    if row["metric"] == "share":
        return "—" if math.isnan(row["computed"]) else fmt.pct(row["computed"])
    return format_value(row["computed"], unit)


def stated_text(row: pd.Series) -> str:
    """The article's stated value (with a range's upper end and the comparison)."""
    if row["comparison"] in ("increasing", "decreasing"):
        return "上昇" if row["comparison"] == "increasing" else "低下"
    if row["comparison"] == "none" and (isinstance(row["stated"], float) and math.isnan(row["stated"])):
        return "—"
    text = format_value(row["stated"], row["unit"])
    if row["comparison"] == "range":
        text += "〜" + format_value(row["stated_high"], row["unit"])
    if row["comparison"] == "at_least":
        text += "以上"
    if row["comparison"] == "at_most":
        text += "以下"
    return text


def chapter_claims(ledger: pd.DataFrame, chapter: str) -> pd.DataFrame:
    """The ledger rows of one chapter, formatted for reading."""
    rows = ledger[ledger["chapter"] == chapter]
    if rows.empty:
        raise KeyError(f"no claims for chapter {chapter!r}")
    return pd.DataFrame({
        "ID": rows["claim_id"],
        "記事の記述": rows["quote"],
        "記事の値": [stated_text(r) for _, r in rows.iterrows()],
        "計算値": [computed_text(r) for _, r in rows.iterrows()],
        "判定": rows["verdict"],
        "理由": [r["reason"] + (f"：{r['finding_note']}" if r["finding_note"] else "")
                 for _, r in rows.iterrows()],
    })
