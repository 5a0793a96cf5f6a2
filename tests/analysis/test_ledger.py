"""The ledger: statements rated from their checks, the strictest of several
plausible bases, parts combined, and the texts the book shows."""

import math

import pandas as pd
import pytest

from analysis import data, ledger, ratings
from tests.analysis.test_claims import check


@pytest.fixture(scope="module")
def book():
    return ledger.evaluate(data.observations())


def test_every_statement_has_one_label_from_the_rules(book):
    s = book.statements
    assert s["statement_id"].is_unique and len(s) == len(ledger.statements())
    for _, row in s.iterrows():
        assert row["label"] == ratings.label(row["outcome"], row["finding"], row["strength"])
        assert row["rating_value"] == ratings.rating_value(row["label"])


def test_one_sentence_of_the_article_is_one_statement(book):
    # pol_01 (start and end year) and w_05 (against the US and China) were two rows each
    assert list(book.checks_of("pol_01")["part"]) == ["開始年度", "終了年度"]
    assert list(book.checks_of("w_05")["part"]) == ["対米国", "対中国"]
    assert not book.statements["quote"].duplicated().any()


def test_the_strictest_plausible_base_decides_and_every_base_stays(book):
    bases = book.checks_of("ai_02")
    assert len(bases) == 3 and bases["decides"].sum() == 1
    decisive = bases[bases["decides"]].iloc[0]
    assert decisive["outcome"] == "off" and "NICT 179B" in decisive["basis"]
    assert set(bases["outcome"]) == {"off", "match"}  # LLM-jp 13B would have held
    assert book.statement("ai_02")["label"] == "誤り"


def test_a_finding_lowers_a_statement_whose_number_holds(book):
    assert book.statement("ai_11")["outcome"] == "match"
    assert book.statement("ai_11")["label"] == "ミスリード"  # misattributed survey


def test_a_trend_reaches_the_latest_data_point(book):
    doctoral = book.checks_of("se_03").iloc[0]
    assert doctoral["window"].endswith("FY2024（7点）")
    latest = data.series(data.observations("side_effects"), "doctoral_entrants_nistep")["period"].iloc[-1]
    assert latest == "FY2024"
    rank = book.checks_of("pol_02").iloc[0]
    assert rank["outcome"] == "near"  # three editions at 13位: flat steps are not movement


def test_select_bases_takes_the_worst_outcome_and_prefers_a_sourced_one():
    frame = pd.DataFrame({"statement_id": ["s"] * 3, "part": [""] * 3,
                          "outcome": ["match", "none", "off"]})
    assert list(ledger.select_bases(frame)) == [False, False, True]
    unsourced = pd.DataFrame({"statement_id": ["s", "s"], "part": ["", ""], "outcome": ["none", "none"]})
    assert list(ledger.select_bases(unsourced)) == [True, False]


def test_stated_and_computed_texts():
    assert ledger.stated_text(check(stated=10.0, unit="ratio", comparison="at_least")) == "10倍以上"
    assert ledger.stated_text(check(stated=29.0, stated_high=38.0, unit="oku_usd", comparison="range")) \
        == "29億ドル〜38億ドル"
    rank_trend = check(comparison="increasing", metric="change", unit="rank")
    assert ledger.stated_text(rank_trend) == "順位が下がり続ける"
    assert ledger.stated_text(check(comparison="none", metric="none")) == "—"
    rank = check(comparison="increasing", metric="change", unit="rank", computed=4.0)
    assert ledger.computed_text(rank) == "4位下落"
    assert ledger.computed_text(check(metric="ratio", computed=0.977)) == "0.98倍"
    assert ledger.computed_text(check(computed=math.nan)) == "—"


def test_count_table_counts_statements_by_label_and_strength(book):
    table = ledger.count_table(book).set_index("判定")
    assert table.loc["計", "計"] == str(len(book.statements))
    assert "判定留保" not in table.index  # no rule gives it
    assert int(table.loc["誤り", "計"]) == int((book.statements["label"] == "誤り").sum())
