"""Tests of analysis.policy (chapters 01_policy and 02_kprogram)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis import data, policy, stats


def _obs(rows):
    cols = ["series", "entity", "period", "year", "value", "unit", "kind", "confidence", "source", "note"]
    return pd.DataFrame([dict(zip(cols, r, strict=True)) for r in rows])


@pytest.fixture(scope="module")
def obs():
    return data.observations()


def test_to_oku_yen_converts_trillions_and_rejects_non_money():
    assert policy.to_oku_yen(2, "cho_yen") == pytest.approx(20000)
    assert policy.to_oku_yen(3.2, "oku_yen") == pytest.approx(3.2)
    with pytest.raises(ValueError):
        policy.to_oku_yen(4, "domains")


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
    plans = policy.plan_investments(_obs(rows)).set_index("期")
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
    out = policy.rank_by_edition(_obs(rows))
    assert set(out["版"]) == {"各版の最新値", "科学技術指標2024"}
    assert out[out["版"] == "科学技術指標2024"]["value"].tolist() == [4, 13]
    with pytest.raises(KeyError):
        policy.rank_by_edition(_obs(rows), measure="top10_count")


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


def test_scale_table_converts_units_and_keeps_nature(obs):
    table = policy.scale_table(obs, [
        ("K Program", "kprogram_fund_budget|JP|令和3・4年度補正の合計", "基金"),
        ("GI基金", "gi_fund_budget|JP|令和2年度第3次補正", "基金"),
    ])
    assert table["億円"].tolist() == pytest.approx([5000, 20000])
    assert table["性質"].tolist() == ["基金", "基金"]
    assert set(table["出典"]) == {"sanae_kprogram_fund", "meti_gi_fund"}


def test_trend_chart_layers_observed_and_fitted():
    observed = pd.DataFrame({"year": [2000, 2001, 2002], "value": [1.0, 2.0, 4.0]})
    fitted = pd.DataFrame({"year": [2000, 2002], "value": [1.0, 4.0]})
    chart = policy.trend_chart(observed, fitted, "値", "説明")
    spec = chart.to_dict()
    assert len(spec["layer"]) == 2
    assert spec["description"] == "説明"
