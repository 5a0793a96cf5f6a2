"""Tests of analysis.policy (chapter 01_policy)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis import data, policy, stats
from tests.analysis.factories import observations


def test_plan_investments_derives_first_plan_and_labels_kinds(obs):
    plans = policy.plan_investments(obs).set_index("期")
    assert list(plans.index) == policy.PLANS
    # 38.7 (第1期+第2期) − 21.1 (第2期) = 17.6, derived, not a data value
    assert plans.loc["第1期", "実績"] == pytest.approx(17.6)
    assert plans.loc["第1期", "実績の種類"] == "算出値"
    assert plans.loc["第2期", "実績の種類"] == "実績"
    assert plans.loc["第6期", "実績の種類"] == "見込"
    assert math.isnan(plans.loc["第3期", "実績"])
    assert plans.loc["第6期", "開始年度"] == 2021 and plans.loc["第6期", "終了年度"] == 2025


def test_plan_investments_without_cumulative_leaves_first_plan_empty():
    rows = []
    for i, plan in enumerate(policy.PLANS):
        start = 1996 + 5 * i
        rows += [("basic_plan_start_fy", "JP", plan, start, start, "year", "plan", "primary", "x", ""),
                 ("basic_plan_end_fy", "JP", plan, start, start + 4, "year", "plan", "primary", "x", ""),
                 ("basic_plan_gov_rd_target", "JP", plan, start, 20 + i, "cho_yen", "target", "primary", "x",
                  "")]
    plans = policy.plan_investments(observations(rows)).set_index("期")
    assert math.isnan(plans.loc["第1期", "実績"])
    assert plans.loc["第1期", "実績の種類"] == ""


def test_rank_by_edition_keeps_headline_and_editions_apart():
    rows = [
        ("nistep_top10_rank", "JP", "2019-2021", 2020, 13, "rank", "actual", "secondary", "x", ""),
        ("nistep2024_top10_rank", "JP", "2000-2002", 2001, 4, "rank", "actual", "secondary", "x", ""),
        ("nistep2024_top10_rank", "JP", "2020-2022", 2021, 13, "rank", "actual", "secondary", "x", ""),
        ("nistep2024_top10_rank", "KR", "2020-2022", 2021, 9, "rank", "actual", "secondary", "x", ""),
        ("nistep2022_top1_rank", "JP", "2008-2010", 2009, 7, "rank", "actual", "secondary", "x", ""),
    ]
    out = policy.rank_by_edition(observations(rows))
    assert set(out["版"]) == {"各版の最新値", "科学技術指標2024"}
    assert out[out["版"] == "科学技術指標2024"]["value"].tolist() == [4, 13]
    with pytest.raises(KeyError):
        policy.rank_by_edition(observations(rows), measure="top10_count")


def test_rank_by_edition_on_book_data_shows_the_decline(obs):
    out = policy.rank_by_edition(obs)
    latest = out[out["版"] == "各版の最新値"]
    assert latest["value"].iloc[0] < latest["value"].iloc[-1]


def test_trend_frame_reproduces_exact_exponential():
    years = [2000, 2001, 2002, 2003]
    values = [100 * 1.05 ** (y - 2000) for y in years]
    fit = stats.loglinear_trend(years, values)
    frame = policy.trend_frame(fit, 2000, 2003)
    assert frame["year"].tolist() == years
    assert frame["value"].tolist() == pytest.approx(values)
    with pytest.raises(ValueError):
        policy.trend_frame(fit, 2003, 2000)


def test_trend_chart_layers_observed_and_fitted():
    observed = pd.DataFrame({"year": [2000, 2001, 2002], "value": [1.0, 2.0, 4.0]})
    fitted = pd.DataFrame({"year": [2000, 2002], "value": [1.0, 4.0]})
    chart = policy.trend_chart(observed, fitted, "値", "説明")
    spec = chart.to_dict()
    assert len(spec["layer"]) == 2
    assert spec["description"] == "説明"


def test_plan_investments_cites_the_inputs_of_a_derived_actual(obs):
    plans = policy.plan_investments(obs).set_index("期")
    assert plans.loc["第1期", "実績の出典"].split() == ["mext_hakusho_h19", "mext_council_1294104"]
    assert plans.loc["第2期", "目標の出典"] == "mext_council_1294104"


def test_plan_amount_and_table_write_kinds():
    assert policy.plan_amount(17.0) == "17兆円"
    assert policy.plan_amount(17.6, "算出値") == "17.6兆円（算出値）"
    assert policy.plan_amount(30.0, "見込") == "約30兆円超（見込）"
    assert policy.plan_amount(float("nan")) == "—"


def test_plan_table_joins_the_timeline(obs):
    table = policy.plan_table(policy.plan_investments(obs), data.table("pol_basic_plans"))
    sixth = table.set_index("期").loc["第6期"]
    assert sixth["対象年度"] == "2021〜2025年度"
    assert sixth["出典"] == "{cite}`mext_hakusho_r6_plan`"


def test_never_lowered_allows_flat_steps_but_needs_a_rise():
    assert policy.never_lowered([17, 24, 25, 25, 26, 30])
    assert not policy.never_lowered([17, 24, 23, 30])
    assert not policy.never_lowered([5, 5])


def test_unchanged_streak_and_strictly_decreasing():
    assert policy.unchanged_streak([9, 12, 13, 13, 13]) == 3
    assert policy.unchanged_streak([9, 10]) == 1
    assert policy.unchanged_streak([4]) == 1
    with pytest.raises(ValueError):
        policy.unchanged_streak([])
    assert policy.strictly_decreasing([3787, 3767, 3719])
    assert not policy.strictly_decreasing([3787, 3787])
    assert not policy.strictly_decreasing([1])


def _provenance_ok(chart):
    from analysis import charts
    return charts.missing_provenance(chart.to_dict()) == []


def test_every_chart_of_the_chapters_carries_unit_and_sources(obs):
    rd, fit = policy.rd_trend(obs)
    counts24 = policy.edition(policy.rank_by_edition(obs, "top10_count"), "科学技術指標2024")
    index = policy.index_frame({"研究開発費": rd, "論文数": counts24})
    built = [
        policy.plan_chart(policy.plan_investments(obs)),
        policy.rank_chart(policy.rank_by_edition(obs)),
        policy.count_chart(policy.latest_counts(obs)),
        policy.rd_trend_chart(rd, fit),
        policy.index_chart(index),
    ]
    assert all(_provenance_ok(c) for c in built)
    assert all(c.to_dict().get("description") for c in built)


def test_latest_counts_uses_entity_labels_largest_first(obs):
    counts = policy.latest_counts(obs)
    assert counts["国"].iloc[0] == "中国"
    assert "日本" in set(counts["国"])
    assert counts["value"].is_monotonic_decreasing
    assert set(counts["period"]) == {"2020-2022"}


def test_rd_trend_chart_converts_to_trillions_and_cites_inputs(obs):
    rd, fit = policy.rd_trend(obs)
    spec = policy.rd_trend_chart(rd, fit).to_dict()
    observed, fitted = spec["datasets"].values()
    assert observed[0]["value"] == pytest.approx(16.8042)
    assert set(fitted[0]["出典"].split()) == set(rd["source"])


def test_index_frame_starts_at_the_base_and_cites_base_and_row():
    rows = pd.DataFrame({"year": [2001, 2021], "value": [4472.0, 3719.0], "source": ["a", "b"]})
    index = policy.index_frame({"論文": rows})
    assert index["指数"].tolist() == pytest.approx([policy.INDEX_BASE, policy.INDEX_BASE * 3719 / 4472])
    assert index["出典"].tolist() == ["a", "a b"]




def test_glue_plan_years_and_amounts_as_the_sources_give_them(obs, glued):
    plans = policy.plan_investments(obs)
    policy.glue_plan_years(plans, data.table("pol_basic_plans"))
    policy.glue_plan_amounts(obs, plans)
    assert glued == {
        "pol_p6_start": "2021年度", "pol_p6_end": "2025年度", "pol_p6_decided": "2021年3月26日",
        "pol_p1_start": "1996年度", "pol_cum12": "38.7兆円", "pol_p1_target": "17兆円",
        "pol_p2_target": "24兆円", "pol_p5_target": "26兆円", "pol_p6_target": "30兆円",
        "pol_p2_actual": "21.1兆円", "pol_p5_actual": "26.1兆円",
    }


def test_glue_sixth_plan_progress_returns_the_values_it_glues(obs, glued):
    gov, total, total_target = policy.glue_sixth_plan_progress(obs)
    assert (gov, total, total_target) == (30, 65, 120)
    assert glued == {"pol_p6_progress": "30兆円", "pol_p6_total_target": "120兆円",
                     "pol_p6_total_progress": "65兆円", "pol_p6_total_share": "54%"}


def test_glue_rank_ends_names_every_end_of_the_three_series(obs, glued):
    ranks = policy.rank_by_edition(obs)
    top1 = policy.edition(policy.rank_by_edition(obs, "top1_rank"))
    policy.glue_rank_ends(policy.edition(ranks), policy.edition(ranks, "科学技術指標2024"), top1)
    assert len(glued) == 10  # the Top1% series without its periods, which the prose does not give
    assert (glued["pol_rank_first"], glued["pol_rank_last"]) == ("9位", "13位")
    assert glued["pol_rank24_first_period"] == "2000〜2002年"
    assert (glued["pol_top1_first"], glued["pol_top1_last"]) == ("9位", "12位")


def test_grew_and_rank_fell_compare_the_ends():
    assert policy.grew(pd.DataFrame({"value": [3.35, 3.2, 3.7]}))
    assert not policy.grew(pd.DataFrame({"value": [13, 9, 13]}))
    assert policy.rank_fell(pd.DataFrame({"value": [9, 13, 13]}))
    assert not policy.rank_fell(pd.DataFrame({"value": [12, 9]}))


def test_decline_gives_the_total_and_the_yearly_fall():
    rows = pd.DataFrame({"year": [2001, 2003], "value": [100.0, 81.0]})
    fall, yearly = policy.decline(rows)
    assert fall == pytest.approx(0.19)
    assert yearly == pytest.approx(0.1)  # 100 -> 90 -> 81
    rising = pd.DataFrame({"year": [2001, 2002], "value": [100.0, 110.0]})
    assert policy.decline(rising) == pytest.approx((-0.1, -0.1))


def test_glue_count_decline(obs, glued):
    counts = policy.edition(policy.rank_by_edition(obs, "top10_count"), "科学技術指標2024")
    policy.glue_count_decline(counts, *policy.decline(counts))
    assert glued == {"pol_cnt_old": "4,472本", "pol_cnt_new": "3,719本", "pol_cnt_old_period": "2000〜2002年",
                     "pol_cnt_new_period": "2020〜2022年", "pol_cnt_change": "16.8%", "pol_cnt_cagr": "0.9%"}


def test_ranks_at_ends_takes_the_windows_of_the_other_country(obs, glued):
    ed24 = policy.edition(policy.rank_by_edition(obs), "科学技術指標2024")
    korea = policy.edition(policy.rank_by_edition(obs, "top10_rank", "KR"), "科学技術指標2024")
    kr, jp = policy.ranks_at_ends(korea, ed24)
    assert list(kr.index) == list(jp.index) == ["2010-2012", "2020-2022"]
    assert (list(kr), list(jp)) == ([12, 9], [6, 13])
    policy.glue_overtaking(kr, jp)
    assert glued == {"pol_kr_old_period": "2010〜2012年", "pol_kr_old": "12位", "pol_kr_new": "9位",
                     "pol_jp_old": "6位", "pol_jp_new": "13位"}


def test_glue_latest_counts(obs, glued):
    policy.glue_latest_counts(policy.latest_counts(obs))
    assert glued == {"pol_cnt_cn": "64,138本", "pol_cnt_us": "34,995本", "pol_cnt_uk": "8,850本",
                     "pol_cnt_kr": "4,314本", "pol_cnt_cn_ratio": "17倍"}


def test_glue_rd_trend(obs, glued):
    rd, fit = policy.rd_trend(obs)
    policy.glue_rd_trend(rd, data.series(obs, "rd_expenditure_gdp", "JP"), fit)
    assert glued["pol_rd_first"] == "16兆8,042億円" and glued["pol_rd_last_year"] == "2023年度"
    assert (glued["pol_rd_gdp_first"], glued["pol_rd_gdp_last"]) == ("3.35%", "3.7%")
    assert glued["pol_rd_n"] == "7つ" and glued["pol_rd_level"] == "95%"
    assert [glued[k] for k in ("pol_rd_rate", "pol_rd_low", "pol_rd_high", "pol_rd_r2")] == [
        "1.25%", "0.66%", "1.85%", "0.85"]


def test_rd_papers_index_and_its_latest_values(obs, glued):
    rd, _ = policy.rd_trend(obs)
    counts = policy.edition(policy.rank_by_edition(obs, "top10_count"), "科学技術指標2024")
    index = policy.rd_papers_index(rd, counts)
    assert set(index["系列"]) == {policy.RD_INDEX, policy.PAPERS_INDEX}
    rd_now, papers_now = policy.index_now(index)
    assert rd_now == pytest.approx(100 * 220497 / 168042)
    assert papers_now == pytest.approx(100 * 3719 / 4472)
    policy.glue_index_now(rd_now, papers_now)
    assert glued == {"pol_idx_base": "100", "pol_idx_rd": "131", "pol_idx_papers": "83"}


def test_rank_fell_by_edition_leaves_out_the_headline_series(obs):
    fell = policy.rank_fell_by_edition(policy.rank_by_edition(obs))
    assert policy.LATEST not in fell.index and "科学技術指標2024" in fell.index
    assert fell.all()
    rows = pd.DataFrame({"版": ["科学技術指標2030"] * 2 + [policy.LATEST] * 2, "value": [13, 9, 9, 13]})
    assert policy.rank_fell_by_edition(rows).to_dict() == {"科学技術指標2030": False}


def test_glue_private_share(obs, glued):
    policy.glue_private_share(obs)
    assert glued == {"pol_rd_private": "81.7%", "pol_rd_private_year": "2021年度"}
