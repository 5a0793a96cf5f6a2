"""The ledger: statements rated from their checks, the readings of an open
base resolved by one rule, parts combined, and the texts the book shows."""

import math

import pandas as pd
import pytest

from analysis import data, ratings, verdicts
from tests.analysis.factories import check


def test_every_statement_has_one_label_from_the_rules(ledger):
    s = ledger.statements
    assert s["statement_id"].is_unique and len(s) == len(verdicts.statements())
    for _, row in s.iterrows():
        label = ratings.label(row["outcome"], row["findings"], row["strength"])
        if row["rests_on"]:
            label = verdicts._rests_on(label, ledger.statement(row["rests_on"])["label"])
        assert row["label"] == label
        if ratings.ordered(row["label"]):
            assert row["rating_value"] == ratings.rating_value(row["label"])
        else:
            assert pd.isna(row["rating_value"])


def test_one_sentence_of_the_article_is_one_statement(ledger):
    # pol_01 (start and end year) and w_05 (against the US and China) were two rows each
    assert list(ledger.checks_of("pol_01")["part"]) == ["開始年度", "終了年度"]
    assert list(ledger.checks_of("w_05")["part"]) == ["対米国", "対中国"]
    assert not ledger.statements["quote"].duplicated().any()


def test_readings_that_disagree_give_the_open_base_finding_alike_everywhere(ledger):
    # ai_02: NICT 40B (public 2023-07) fails, LLM-jp 13B (2023-09) holds: ミスリード, not 誤り
    readings = ledger.checks_of("ai_02")
    assert set(readings["outcome"]) == {"off", "match"}
    assert readings.loc[readings["decides"], "outcome"].item() == "match"
    for sid in ("ai_02", "w_02"):
        statement = ledger.statement(sid)
        assert verdicts.OPEN_BASE in statement["findings"] and statement["open_base_note"]
        assert statement["label"] == "ミスリード"
    # se_02: both readings hold (大学 match, 独法・国研 near): the weaker decides, no finding
    assert verdicts.OPEN_BASE not in ledger.statement("se_02")["findings"]
    assert ledger.statement("se_02")["outcome"] == "near"


@pytest.mark.parametrize("outcomes,chosen,split", [
    (["match"], 0, False), (["match", "near"], 1, False), (["off", "off"], 0, False),
    (["off", "match"], 1, True), (["near", "off", "match"], 2, True), (["unsupported", "match"], 1, False),
    (["unsupported", "unconfirmed"], 0, False),
])
def test_resolve_part(outcomes, chosen, split):
    assert verdicts.resolve_part(outcomes) == (chosen, split)


def test_a_statement_is_never_kinder_than_the_one_it_rests_on(ledger):
    w_02 = ledger.statement("w_02")
    assert w_02["rests_on"] == "w_01"
    assert ratings.rating_value(w_02["label"]) <= ratings.rating_value(ledger.label("w_01"))
    assert verdicts._rests_on("正確", "ミスリード") == "ミスリード"
    assert verdicts._rests_on("正確", "根拠不明") == "根拠不明"


def test_old_evidence_caps_the_strength_where_newer_data_exist(ledger):
    se_02 = ledger.statement("se_02")
    assert se_02["strength"] == "中" and "2008年" in se_02["age_note"]


def test_unjudgeable_statements_are_earned_by_a_search_record(ledger):
    searched = set(verdicts.searches()["statement_id"])
    s = ledger.statements
    unjudged = s[s["label"].isin(["根拠不明", "判定留保"])]
    assert set(unjudged["statement_id"]) <= searched
    assert (s.loc[s["label"] == "判定留保", "outcome"] == "unconfirmed").all()
    assert (s.loc[s["label"] == "根拠不明", "outcome"] == "unsupported").all()
    # the article names Straits Research and Fuji Chimera; it names no source for q_06
    assert ledger.label("q_04") == "判定留保"
    assert ledger.label("ai_07") == "判定留保"
    assert ledger.label("q_06") == "根拠不明"


def test_every_label_change_is_in_the_corrections_record(ledger):
    changed = ledger.statements[ledger.statements["previous_label"] != ""]
    history = verdicts.corrections()
    for _, row in changed.iterrows():
        last = history[history["statement_id"] == row["statement_id"]].iloc[-1]
        assert last["label"] == row["label"] and last["reason"]
    assert "se_04" in set(history["statement_id"])  # merged into se_03: recorded, no longer rated


def test_a_finding_lowers_a_statement_whose_number_holds(ledger):
    assert ledger.statement("ai_11")["outcome"] == "match"
    assert ledger.label("ai_11") == "ミスリード"  # misattributed survey


def test_a_trend_reaches_the_latest_data_point(ledger):
    doctoral = ledger.checks_of("se_03").iloc[0]
    assert doctoral["window"].endswith("FY2024（7点）")
    latest = data.series(data.observations("side_effects"), "doctoral_entrants_nistep")["period"].iloc[-1]
    assert latest == "FY2024"
    rank = ledger.checks_of("pol_02").iloc[0]
    assert rank["outcome"] == "near"  # three editions at 13位: flat steps are not movement


def test_stated_and_computed_texts():
    assert verdicts.stated_text(check(stated=10.0, unit="ratio", comparison="at_least")) == "10倍以上"
    assert verdicts.stated_text(check(stated=29.0, stated_high=38.0, unit="oku_usd", comparison="range")) \
        == "29億ドル〜38億ドル"
    rank_trend = check(comparison="increasing", metric="change", unit="rank")
    assert verdicts.stated_text(rank_trend) == "順位が下がり続ける"
    assert verdicts.stated_text(check(comparison="none", metric="none")) == "—"
    assert verdicts.stated_text(check(stated=50.0, unit="percent", comparison="at_least", stated_by="book")) \
        == "本書の読み：50%以上"
    change = check(metric="change", unit="persons", computed=-2232.0, precision=1000.0)
    assert verdicts.computed_text(change) == "約-2,000人"
    rank = check(comparison="increasing", metric="change", unit="rank", computed=4.0)
    assert verdicts.computed_text(rank) == "4位下落"
    assert verdicts.computed_text(check(metric="ratio", computed=0.977)) == "0.98倍"
    assert verdicts.computed_text(check(computed=math.nan)) == "—"


def test_count_table_counts_statements_by_label_and_strength(ledger):
    table = verdicts.count_table(ledger).set_index("判定")
    assert table.loc["計", "計"] == str(len(ledger.statements))
    assert "虚偽" not in table.index and "検証対象外" not in table.index  # no rule gives them
    assert int(table.loc["判定留保", "確度 なし"]) == int((ledger.statements["label"] == "判定留保").sum())
    assert int(table.loc["誤り", "計"]) == int((ledger.statements["label"] == "誤り").sum())


def test_a_statements_label_and_stated_figure_read_the_ledger(ledger):
    assert ledger.label("ai_01") == "正確" and ledger.label("ai_11") == "ミスリード"
    assert ledger.stated("ai_09") == 12 and ledger.stated("ai_11") == 85
    assert isinstance(ledger.stated("ai_11"), float)


def test_the_check_of_a_statement_checked_once_and_a_clear_error_otherwise(ledger):
    assert ledger.check_of("w_01")["a"] == ledger.checks_of("w_01")["a"].iloc[0]
    for several in ("pol_01", "w_05"):  # two parts each: which one is meant must be said
        with pytest.raises(ValueError, match=f"statement '{several}' has 2 checks, not one"):
            ledger.check_of(several)
    with pytest.raises(ValueError, match="statement 'no_such' has 0 checks"):
        ledger.check_of("no_such")
    with pytest.raises(ValueError, match="statement 'w_05' has 2 checks"):
        ledger.stated("w_05")  # which part's figure is meant must be said


def test_searched_reads_the_search_record():
    assert verdicts.searched("ai_12")  # the four fields: searched, not found
    assert not verdicts.searched("ai_01")


def test_a_page_that_shows_the_ledger_records_its_digest_instead_of_its_files(ledger):
    data.FILES_READ.clear()
    data.DERIVED.clear()
    whole = verdicts.ledger()
    assert data.DERIVED == {"ledger": verdicts.digest(whole)} == {"ledger": verdicts.digest(ledger)}
    assert not any(path.startswith(("data/observations/", "data/checks/", "data/statements/"))
                   for path in data.FILES_READ), data.FILES_READ


def test_the_digest_of_the_ledger_changes_with_any_of_its_values(ledger):
    assert verdicts.digest(ledger) == verdicts.digest(verdicts.evaluate(data.observations()))
    computed = ledger.checks["computed"].copy()
    first = computed.first_valid_index()
    computed[first] = math.nextafter(computed[first], math.inf)  # the next float: rounding hides it
    assert verdicts.digest(verdicts.Ledger(ledger.statements, ledger.checks.assign(computed=computed))) \
        != verdicts.digest(ledger)
    relabelled = ledger.statements.assign(label=ledger.statements["label"].iloc[::-1].to_numpy())
    assert verdicts.digest(verdicts.Ledger(relabelled, ledger.checks)) != verdicts.digest(ledger)
