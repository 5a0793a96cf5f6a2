"""Tests of analysis.summary: the summary chapter's counts, tables and chart,
and the corrections record's glue and check."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import ai, charts, data, glue, summary, verdicts


@pytest.fixture
def glued(monkeypatch) -> dict[str, str]:
    """The texts the code under test glues, by name (nothing reaches myst-nb)."""
    found: dict[str, str] = {}
    monkeypatch.setattr(glue, "text", lambda name, text: found.__setitem__(name, text))
    return found


def test_statement_count_and_counts_text(ledger):
    assert summary.statement_count(ledger.statements.head(3)) == "3件"
    counts = verdicts.label_counts(ledger)
    words = summary.counts_text(ledger).split("、")
    assert words == [f"{label} {n}件" for label, n in counts.items()]
    assert "不正確 0件" in words  # a label no statement got is still named


def test_glue_counts(ledger, glued):
    summary.glue_counts(ledger)
    assert glued == {"sum_n": f"{len(ledger.statements)}件", "sum_counts": summary.counts_text(ledger)}


def test_scorecard_table_names_chapters_by_their_short_titles(ledger):
    table = summary.scorecard_table(ledger)
    assert list(table["章"])[-1] == "計" and "AI戦略の核心" in set(table["章"])
    assert all(isinstance(v, str) for v in table.to_numpy().ravel())
    assert table.iloc[-1]["計"] == str(len(ledger.statements))


def test_scorecard_chart_is_narrow(ledger):
    spec = summary.scorecard_chart(ledger).to_dict()
    assert spec["width"] == charts.NARROW_WIDTH and charts.missing_provenance(spec) == []


def test_all_have():
    frame = pd.DataFrame({"outcome": ["unsupported", "unsupported"], "cited_source": ["", "x"]})
    assert summary.all_have(frame, outcome="unsupported")
    assert not summary.all_have(frame, outcome="unsupported", cited_source="")
    assert summary.all_have(frame.iloc[:0], outcome="match")  # nothing to contradict


def test_labelled_and_issues_table(ledger):
    unsourced = summary.with_label(ledger, "根拠不明")
    assert len(unsourced) > 0 and (unsourced["label"] == "根拠不明").all()
    issues = summary.issues_table(ledger)
    assert list(issues.columns) == ["検証台帳", "記事の記述", "理由"]
    assert len(issues) == (ledger.statements["label"] != "正確").sum()
    assert issues["記事の記述"].str.startswith("「").all()


def test_glue_unjudgeable_counts_and_returns_the_two_labels(ledger, glued):
    unsourced, unconfirmed = summary.glue_unjudgeable(ledger)
    assert (unsourced["label"] == "根拠不明").all() and (unconfirmed["label"] == "判定留保").all()
    assert glued == {"sum_unsourced": f"{len(unsourced)}件", "sum_unconfirmed": f"{len(unconfirmed)}件"}
    assert len(unsourced) > 0 and len(unconfirmed) > 0


def test_glue_headlines(ledger, glued):
    summary.glue_headlines(ai.genai_growth(data.observations("ai")), ledger)
    assert glued == {"sum_multiple": "12.3倍", "sum_base": "1,414億円", "sum_estimate": "4,291億円",
                     "sum_multiple_2024": "4.05倍", "sum_ai_09_label": ledger.label("ai_09"),
                     "sum_ai_11_label": "ミスリード"}


def test_glue_corrections(glued):
    summary.glue_corrections()
    history = verdicts.corrections()
    assert glued["corr_n"] == f"{len(history)}件"
    dates = glued["corr_dates"].split("、")
    assert dates == sorted(set(history["date"]))


def test_corrections_marked(ledger):
    assert summary.corrections_marked(ledger)
    unrecorded = ledger.statements.iloc[[0]].assign(statement_id="x_99", previous_label="正確")
    changed = verdicts.Ledger(pd.concat([ledger.statements, unrecorded]), ledger.checks)
    assert not summary.corrections_marked(changed)
