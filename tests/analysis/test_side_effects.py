"""Unit tests of analysis.side_effects (shares, HHI bounds, Gini, elasticity)."""

import math

import numpy as np
import pandas as pd
import pytest

from analysis import side_effects


def test_shares_sorted_and_in_percent():
    assert side_effects.shares([10, 30, 20], 200).tolist() == [15.0, 10.0, 5.0]


def test_top_k_share_and_remainder():
    assert side_effects.top_k_share([10, 30, 20], 200, 1) == pytest.approx(15.0)
    assert side_effects.top_k_share([10, 30, 20], 200, 3) == pytest.approx(30.0)
    assert side_effects.remainder_share([10, 30, 20], 200) == pytest.approx(70.0)


def test_top_k_beyond_known_is_refused():
    with pytest.raises(ValueError, match="between 1 and 3"):
        side_effects.top_k_share([10, 30, 20], 200, 4)


def test_known_exceeding_total_is_refused():
    with pytest.raises(ValueError, match="exceed the total"):
        side_effects.shares([150, 60], 200)


def test_negative_amount_is_refused():
    with pytest.raises(ValueError, match="non-negative"):
        side_effects.shares([10, -1], 200)


def test_concentration_curve_cumulates():
    frame = pd.DataFrame({"name": ["a", "b", "c"], "v": [10, 30, 20]})
    curve = side_effects.concentration_curve(frame, "name", "v", 100)
    assert curve["name"].tolist() == ["b", "c", "a"]
    assert curve["rank"].tolist() == [1, 2, 3]
    assert curve["cumulative"].tolist() == pytest.approx([30.0, 50.0, 60.0])


def test_hhi_bounds_bracket_every_split_of_the_remainder():
    known, total = [30, 20], 100
    bounds = side_effects.hhi_bounds(known, total)
    assert bounds.low == pytest.approx(900 + 400)
    assert bounds.high == pytest.approx(1300 + 50 ** 2)
    # any concrete split of the remaining 50 lies between the bounds
    for rest in ([50], [25, 25], [10] * 5, [1] * 50):
        full = sum(v ** 2 for v in known + rest)
        assert bounds.low <= full <= bounds.high


def test_gini_known_values():
    assert side_effects.gini([1, 1, 1, 1]) == pytest.approx(0.0)
    assert side_effects.gini([0, 0, 0, 1]) == pytest.approx(0.75)  # (n-1)/n for one holder
    assert side_effects.gini([1, 2, 3]) == pytest.approx(2 / 9)


def test_share_ratio():
    # 10 % of the money with 5 % of the awards: twice the average per award
    assert side_effects.share_ratio(10, 100, 5, 100) == pytest.approx(2.0)
    with pytest.raises(ValueError):
        side_effects.share_ratio(10, 100, 0, 100)


def test_size_elasticity_recovers_an_exact_power_law():
    awards = np.array([100, 200, 400, 800, 1600])
    amounts = 3.0 * awards ** 1.3
    fit = side_effects.size_elasticity(awards, amounts)
    assert fit.slope == pytest.approx(1.3)
    assert fit.r_squared == pytest.approx(1.0)
    assert fit.n == 5
    assert fit.predict([1000])[0] == pytest.approx(3.0 * 1000 ** 1.3)


def test_size_elasticity_interval_contains_the_estimate():
    rng = np.random.default_rng(0)
    awards = np.linspace(700, 4200, 20)
    amounts = awards ** 1.2 * np.exp(rng.normal(0, 0.2, 20))
    fit = side_effects.size_elasticity(awards, amounts)
    assert fit.low < fit.slope < fit.high
    assert fit.level == 0.95
    assert not math.isnan(fit.r_squared)


def test_size_elasticity_needs_three_points():
    with pytest.raises(ValueError, match="at least 3"):
        side_effects.size_elasticity([1, 2], [1, 2])


def allocation_obs():
    rows = [("amount", "a", 300.0, "sen_yen", "k1"), ("awards", "a", 3.0, "awards", "k1"),
            ("amount", "b", 100.0, "sen_yen", "k1"), ("awards", "b", 2.0, "awards", "k1"),
            ("amount", "total", 1000.0, "sen_yen", "k1"), ("awards", "total", 10.0, "awards", "k2")]
    return pd.DataFrame(rows, columns=["series", "entity", "value", "unit", "source"])


def test_allocation_separates_the_known_institutions_from_the_total():
    alloc = side_effects.allocation(allocation_obs(), "amount", "awards", "total")
    assert alloc.known == 2
    assert alloc.amount.to_dict() == {"a": 300.0, "b": 100.0}
    assert alloc.awards.to_dict() == {"a": 3.0, "b": 2.0}
    assert (alloc.total_amount, alloc.total_awards) == (1000.0, 10.0)
    assert alloc.amount_unit == "sen_yen"
    assert alloc.sources == "k1 k2"


def test_allocation_without_its_total_or_a_count_is_refused():
    frame = allocation_obs()
    with pytest.raises(KeyError, match="with the entity 'all'"):
        side_effects.allocation(frame, "amount", "awards", "all")
    with pytest.raises(KeyError, match=r"no 'awards' for \['b'\]"):
        side_effects.allocation(frame.drop(index=3), "amount", "awards", "total")


def test_curves_of_amounts_and_awards_carry_unit_and_sources():
    alloc = side_effects.allocation(allocation_obs(), "amount", "awards", "total")
    curve = side_effects.curves(alloc, "配分額", "採択件数")
    last = curve.groupby("指標")["cumulative"].last().to_dict()
    assert last == pytest.approx({"配分額": 40.0, "採択件数": 50.0})
    assert set(curve["単位"]) == {"%"} and set(curve["出典"]) == {"k1 k2"}


def test_elasticity_chart_draws_amounts_in_the_requested_unit_with_provenance():
    from analysis import charts

    names = ["東京大学", "京都大学", "大阪大学"]  # entities of data/entities.csv
    alloc = side_effects.Allocation(pd.Series([1e5, 4e5, 9e5], index=names),
                                    pd.Series([1.0, 2.0, 3.0], index=names), 2e6, 10.0, "sen_yen", "k")
    fit = side_effects.size_elasticity(alloc.awards, alloc.amount)
    points, line = side_effects.elasticity_frames(alloc, fit, "oku_yen")
    assert points["配分額"].tolist() == pytest.approx([1.0, 4.0, 9.0])  # 100,000千円 = 1億円
    assert line["配分額"].iloc[[0, -1]].tolist() == pytest.approx([1.0, 9.0])
    assert set(points["単位"]) == {"億円"}
    assert fit.slope == pytest.approx(2.0) and fit.low > side_effects.PROPORTIONAL
    chart = side_effects.elasticity_chart(alloc, fit, "oku_yen", "図")
    assert charts.missing_provenance(chart.to_dict()) == []


def test_log_ticks_are_round_values_inside_the_axis():
    assert side_effects.log_ticks([705, 4202]) == pytest.approx([700, 1000, 2000, 3000, 5000])
    assert side_effects.log_ticks([17.5, 225]) == pytest.approx([20, 30, 50, 70, 100, 200])


# ---- the chapter's texts, glue and figures -----------------------------------


@pytest.fixture(scope="module")
def obs():
    from analysis import data

    return data.observations("side_effects")


def small_allocation():
    names = ["東京大学", "京都大学", "大阪大学"]  # entities of data/entities.csv
    return side_effects.Allocation(pd.Series([3e5, 2e5, 1e5], index=names),
                                   pd.Series([10.0, 20.0, 5.0], index=names), 1e6, 100.0, "sen_yen", "k")


def test_allocation_names_its_first_institution_and_converts_its_total():
    alloc = small_allocation()
    assert alloc.first == "東京大学"
    assert alloc.total_in("oku_yen") == pytest.approx(10.0)  # 1,000,000千円 = 10億円


def test_top_shares_rank_money_and_awards_each_by_their_own_order():
    assert side_effects.top_shares(small_allocation(), 1) == pytest.approx((30.0, 20.0))
    assert side_effects.top_shares(small_allocation(), 2) == pytest.approx((50.0, 30.0))


def test_glue_allocation_writes_the_totals_and_the_rest(glued):
    side_effects.glue_allocation(small_allocation())
    assert glued["se_k_total_awards"] == "100件" and glued["se_k_total_amount"] == "10.0億円"
    assert (glued["se_k_known"], glued["se_k_known_rank"], glued["se_k_rest"]) == ("3機関", "3位", "40.0%")


def test_glue_top_writes_every_share_the_chapter_quotes(glued):
    names = ["東京大学", *(f"i{i}" for i in range(11))]  # only the first is named in the prose
    amounts = pd.Series([12.0, *range(11, 0, -1)], index=names)  # 12, 11, ..., 1: 78 in all
    alloc = side_effects.Allocation(amounts, pd.Series(1.0, index=names), 100.0, 24.0, "sen_yen", "k")
    side_effects.glue_top(alloc)
    assert (glued["se_k_first"], glued["se_k_first_awards"], glued["se_k_first_ratio"]) == \
        ("東京大学", "4.2%", "2.9倍")  # 12 % of the money with 1/24 of the awards
    assert (glued["se_k_top1"], glued["se_k_top4"], glued["se_k_top4_n"]) == ("12.0%", "42.0%", "4機関")
    assert (glued["se_k_top10"], glued["se_k_top10_n"]) == ("75.0%", "10機関")  # 12 + 11 + ... + 3 of 100
    assert (glued["se_k_top_known"], glued["se_k_top_known_n"], glued["se_k_top_known_awards"]) == \
        ("78.0%", "12機関", "50.0%")
    assert len([name for name in glued if name.startswith("se_k_top")]) == 8


def test_glue_top_refuses_more_institutions_than_are_known(glued):
    with pytest.raises(ValueError, match="between 1 and 3"):
        side_effects.glue_top(small_allocation())  # the chapter quotes the top 4 and 10


def test_glue_concentration_and_elasticity(glued):
    alloc = small_allocation()
    side_effects.glue_concentration(alloc)
    assert glued["se_k_hhi_max"] == "10,000"
    assert (glued["se_k_hhi_low"], glued["se_k_hhi_high"]) == ("1,400", "3,000")  # 900+400+100, + 40²
    assert glued["se_k_gini_amount"] == "0.22"
    side_effects.glue_elasticity(side_effects.size_elasticity([100, 200, 400], [10, 40, 160]))
    assert (glued["se_k_elast"], glued["se_k_elast_r2"], glued["se_k_elast_n"]) == ("2.00", "1.00", "3機関")
    assert (glued["se_k_level"], glued["se_k_proportional"]) == ("95%", "1")


def test_entity_share_and_thresholds_of_the_chapter(obs):
    share = side_effects.entity_share(obs, "kakenhi_amount_mext", "東京大学")
    assert share == pytest.approx(0.0969, abs=1e-4)
    assert side_effects.in_man_yen(obs, "grant_efficiency_best_range|JP|1991-") == "500万円"  # 5百万円
    assert side_effects.in_man_yen(obs, "grant_output_saturation|JP|1991-") == "5,000万円"


def test_returns_evidence_has_japanese_columns():
    table = side_effects.returns_evidence()
    assert list(table.columns) == ["研究", "対象", "結果", "本書が使える数値"]
    assert len(table) == 3


def test_kakenhi_charts_are_described_and_sourced(obs):
    from analysis import charts

    alloc = side_effects.allocation(obs, "kakenhi_amount", "kakenhi_awards", total="全体")
    curve = side_effects.curve_chart(alloc).to_dict()
    assert curve["description"].endswith("上位20機関で配分額の53.0%、採択件数の37.3%")
    fit = side_effects.size_elasticity(alloc.awards, alloc.amount)
    figure = side_effects.elasticity_figure(alloc, fit).to_dict()
    assert figure["description"].endswith("回帰直線（傾き1.35）")
    assert charts.missing_provenance(curve) == [] and charts.missing_provenance(figure) == []


def test_faculty_by_year_and_its_glue(obs, glued):
    rows = side_effects.faculty(obs, "ru11_faculty_fixed_term", "ru11_faculty_permanent")
    by_year = side_effects.faculty_by_year(rows)
    assert by_year.loc[2007, side_effects.FIXED_SHARE] == pytest.approx(7214 / (7214 + 19304))
    side_effects.glue_ru11(by_year)
    assert (glued["se_ru11_first"], glued["se_ru11_last"]) == ("2007年度", "2013年度")
    assert (glued["se_ru11_ft_last"], glued["se_ru11_pm_last"]) == ("11,515人", "17,876人")
    assert (glued["se_ru11_share_first"], glued["se_ru11_share_last"]) == ("27.2%", "39.2%")
    spec = side_effects.fixed_term_chart(rows).to_dict()
    assert {row["年度"] for row in next(iter(spec["datasets"].values()))} == {"2007年度", "2013年度"}


def test_glue_ru18_and_the_change_to_the_final_counts(obs, glued):
    side_effects.glue_ru18(obs)
    assert (glued["se_ru18_first"], glued["se_ru18_share_last"]) == ("2013年度", "35.6%")
    assert glued["se_ru18_u39_change"] == "2013年度比 -12.4%"
    assert (glued["se_ru18_ft_final"], glued["se_ru18_pm_final"]) == ("13,542人", "22,506人")
    assert side_effects.final_change(obs, "ru18_faculty_fixed_term") == 13542 - 12625
    assert side_effects.final_change(obs, "ru18_faculty_permanent") == 22506 - 23696


def test_glue_young_faculty_and_its_chart(obs, glued):
    from analysis import charts

    side_effects.glue_young_faculty(obs)
    assert (glued["se_u40_target"], glued["se_u40_share_first"], glued["se_u40_last"]) == \
        ("30%", "24.7%", "2019年度")
    assert (glued["se_u40_gap_first"], glued["se_u40_gap_last"]) == ("5.3ポイント", "7.9ポイント")
    assert (glued["se_u40_forecast"], glued["se_u40_forecast_year"]) == ("20.1%", "2025年度")
    spec = side_effects.young_faculty_chart(obs).to_dict()
    rows = next(iter(spec["datasets"].values()))
    assert [(r["year"], r["系列"]) for r in rows if r["系列"] != "実績"] == \
        [(2019, "予測"), (2025, "予測"), (2013, "目標"), (2025, "目標")]
    assert charts.missing_provenance(spec) == []


def test_doctoral_texts_and_chart(obs, glued):
    from analysis import charts, data, stats

    actual = data.series(obs, "doctoral_entrants")
    rounded = data.series(obs, "doctoral_entrants_nistep")
    fit = stats.loglinear_trend(actual["year"], actual["value"])
    side_effects.glue_doctoral(obs, fit)
    side_effects.glue_recent_doctoral(obs)
    assert (glued["se_doc_2003"], glued["se_doc_2021"]) == ("18,232人", "14,629人")
    assert (glued["se_doc_fit_window"], glued["se_doc_n"], glued["se_doc_df"]) == \
        ("2003〜2021年度", "4点", "2")
    assert (glued["se_doc_latest"], glued["se_doc_latest_year"]) == ("1.6万人", "2024年度")
    assert (glued["se_doc_yoy_2023"], glued["se_doc_yoy_2024"]) == ("4.4%", "4.9%")
    assert side_effects.persons(rounded).tolist() == [15000.0, 14000.0, 15000.0, 16000.0]
    spec = side_effects.doctoral_chart(actual, rounded, fit).to_dict()
    trend = [r for r in next(iter(spec["datasets"].values())) if r["系列"] == "トレンド"]
    assert (trend[0]["year"], trend[-1]["year"]) == (2003, 2024)
    assert {r["出典"] for r in trend} == {" ".join(dict.fromkeys(actual["source"]))}
    assert charts.missing_provenance(spec) == []


def test_glue_young_fixed_term_and_dispatched_write_the_values_as_given(obs, glued):
    side_effects.glue_young_fixed_term(obs)
    side_effects.glue_dispatched(obs)
    assert (glued["se_u34_univ"], glued["se_u34_inst"]) == ("54%", "45%")
    assert (glued["se_disp_first"], glued["se_disp_first_n"]) == ("2009年度", "4,086人")
    assert (glued["se_disp_last"], glued["se_disp_last_n"]) == ("2010年度", "4,272人")
