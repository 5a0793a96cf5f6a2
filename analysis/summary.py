"""The book's verdicts in sum: the tables, chart and counts of the summary
chapter (07_summary) and of the corrections record (訂正履歴).

Everything here reads the evaluated ledger (:func:`analysis.verdicts.evaluate`)
or the corrections record (data/corrections.csv); counts are of the article's
statements (件).
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from analysis import ai, charts, glue, ledger_page, text, verdicts
from analysis.verdicts import Ledger

STATEMENTS = "件"
"""The counter of the article's statements."""


def statement_count(statements: pd.DataFrame) -> str:
    """How many statements a frame of the ledger holds, with their counter: '47件'."""
    return text.count(len(statements), STATEMENTS)


def counts_text(ledger: Ledger) -> str:
    """How many statements got each label the rules can give, 0 included: '正確 3件、ほぼ正確 0件、…'."""
    counts = verdicts.label_counts(ledger)
    return "、".join(f"{label} {text.count(n, STATEMENTS)}" for label, n in counts.items())


def glue_counts(ledger: Ledger) -> None:
    """Glue how many statements the ledger rates ('47件') and how many got each label."""
    glue.text("sum_n", statement_count(ledger.statements))
    glue.text("sum_counts", counts_text(ledger))


def scorecard_table(ledger: Ledger) -> pd.DataFrame:
    """Statements by chapter (its short title, and 計) and label, as text for a table."""
    table = verdicts.scorecard(ledger).reset_index()
    table["章"] = [glue.short_title(c) if c != "計" else c for c in table["章"]]
    return table.astype(str)


def scorecard_chart(ledger: Ledger) -> alt.Chart:
    """The ledger's scorecard (:func:`analysis.ledger_page.scorecard_chart`), narrow
    enough that the chapter names beside it fit the text column without scrolling."""
    return ledger_page.scorecard_chart(ledger).properties(width=charts.NARROW_WIDTH)


def with_label(ledger: Ledger, label: str) -> pd.DataFrame:
    """The statements with a label ('根拠不明', '判定留保', …)."""
    return ledger.statements[ledger.statements["label"] == label]


def glue_unjudgeable(ledger: Ledger) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Glue how many statements are 根拠不明 (sum_unsourced) and 判定留保
    (sum_unconfirmed), and return those statements, in that order."""
    unsourced, unconfirmed = with_label(ledger, "根拠不明"), with_label(ledger, "判定留保")
    glue.text("sum_unsourced", statement_count(unsourced))
    glue.text("sum_unconfirmed", statement_count(unconfirmed))
    return unsourced, unconfirmed


def all_have(statements: pd.DataFrame, **columns: str) -> bool:
    """Whether every statement has the values given for these columns of the
    ledger (``outcome='unsupported'``, ``cited_source=''``)."""
    return all((statements[column] == value).all() for column, value in columns.items())


def issues_table(ledger: Ledger) -> pd.DataFrame:
    """The statements not rated 正確: their ledger row, the article's words and the reason."""
    issues = ledger.statements[ledger.statements["label"] != "正確"]
    return pd.DataFrame({
        "検証台帳": [ledger_page.statement_link(s) for _, s in issues.iterrows()],
        "記事の記述": [f"「{q}」" for q in issues["quote"]],
        "理由": [ledger_page.reason(s, ledger) for _, s in issues.iterrows()],
    })


def glue_headlines(g: ai.GenaiGrowth, ledger: Ledger) -> None:
    """Glue the summary's reading of the AI chapter's headline numbers: the
    stated multiple, the base it implies and the estimate (in ``g.unit``), the
    multiple from the estimate (two decimals), and the labels of ai_09 and ai_11."""
    glue.text("sum_multiple", text.multiple(g.stated_multiple))
    glue.amount("sum_base", g.implied_base, g.unit)
    glue.amount("sum_estimate", g.estimate, g.unit)
    glue.text("sum_multiple_2024", text.multiple(g.multiple_from_estimate, 2))
    glue.text("sum_ai_09_label", ledger.label("ai_09"))
    glue.text("sum_ai_11_label", ledger.label("ai_11"))


def glue_corrections() -> None:
    """Glue the corrections record's count ('4件') and its dates, oldest first
    ('2026-12-06'), from data/corrections.csv."""
    history = verdicts.corrections()
    glue.text("corr_n", text.count(len(history), STATEMENTS))
    glue.text("corr_dates", "、".join(sorted(set(history["date"]))))


def corrections_marked(ledger: Ledger) -> bool:
    """Whether every statement whose row shows a previous label has its change in
    the corrections record (data/corrections.csv)."""
    changed = ledger.statements[ledger.statements["previous_label"] != ""]
    return set(changed["statement_id"]) <= set(verdicts.corrections()["statement_id"])
