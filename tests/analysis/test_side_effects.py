"""Unit tests of analysis.side_effects (shares, HHI bounds, Gini, elasticity)."""

import math

import numpy as np
import pandas as pd
import pytest

from analysis import side_effects as c


def test_shares_sorted_and_in_percent():
    assert c.shares([10, 30, 20], 200).tolist() == [15.0, 10.0, 5.0]


def test_top_k_share_and_remainder():
    assert c.top_k_share([10, 30, 20], 200, 1) == pytest.approx(15.0)
    assert c.top_k_share([10, 30, 20], 200, 3) == pytest.approx(30.0)
    assert c.remainder_share([10, 30, 20], 200) == pytest.approx(70.0)


def test_top_k_beyond_known_is_refused():
    with pytest.raises(ValueError, match="between 1 and 3"):
        c.top_k_share([10, 30, 20], 200, 4)


def test_known_exceeding_total_is_refused():
    with pytest.raises(ValueError, match="exceed the total"):
        c.shares([150, 60], 200)


def test_negative_amount_is_refused():
    with pytest.raises(ValueError, match="non-negative"):
        c.shares([10, -1], 200)


def test_concentration_curve_cumulates():
    frame = pd.DataFrame({"name": ["a", "b", "c"], "v": [10, 30, 20]})
    curve = c.concentration_curve(frame, "name", "v", 100)
    assert curve["name"].tolist() == ["b", "c", "a"]
    assert curve["rank"].tolist() == [1, 2, 3]
    assert curve["cumulative"].tolist() == pytest.approx([30.0, 50.0, 60.0])


def test_hhi_bounds_bracket_every_split_of_the_remainder():
    known, total = [30, 20], 100
    bounds = c.hhi_bounds(known, total)
    assert bounds.low == pytest.approx(900 + 400)
    assert bounds.high == pytest.approx(1300 + 50 ** 2)
    # any concrete split of the remaining 50 lies between the bounds
    for rest in ([50], [25, 25], [10] * 5, [1] * 50):
        full = sum(v ** 2 for v in known + rest)
        assert bounds.low <= full <= bounds.high


def test_hhi_within_monopoly_and_equal():
    assert c.hhi_within([5]) == pytest.approx(10_000)
    assert c.hhi_within([1, 1, 1, 1]) == pytest.approx(2_500)


def test_gini_known_values():
    assert c.gini([1, 1, 1, 1]) == pytest.approx(0.0)
    assert c.gini([0, 0, 0, 1]) == pytest.approx(0.75)  # (n-1)/n for one holder
    assert c.gini([1, 2, 3]) == pytest.approx(2 / 9)


def test_share_ratio():
    # 10 % of the money with 5 % of the awards: twice the average per award
    assert c.share_ratio(10, 100, 5, 100) == pytest.approx(2.0)
    with pytest.raises(ValueError):
        c.share_ratio(10, 100, 0, 100)


def test_size_elasticity_recovers_an_exact_power_law():
    awards = np.array([100, 200, 400, 800, 1600])
    amounts = 3.0 * awards ** 1.3
    fit = c.size_elasticity(awards, amounts)
    assert fit.slope == pytest.approx(1.3)
    assert fit.r_squared == pytest.approx(1.0)
    assert fit.n == 5
    assert fit.predict([1000])[0] == pytest.approx(3.0 * 1000 ** 1.3)


def test_size_elasticity_interval_contains_the_estimate():
    rng = np.random.default_rng(0)
    awards = np.linspace(700, 4200, 20)
    amounts = awards ** 1.2 * np.exp(rng.normal(0, 0.2, 20))
    fit = c.size_elasticity(awards, amounts)
    assert fit.low < fit.slope < fit.high
    assert fit.level == 0.95
    assert not math.isnan(fit.r_squared)


def test_size_elasticity_needs_three_points():
    with pytest.raises(ValueError, match="at least 3"):
        c.size_elasticity([1, 2], [1, 2])


def allocation_obs():
    rows = [("amount", "a", 300.0, "sen_yen", "k1"), ("awards", "a", 3.0, "awards", "k1"),
            ("amount", "b", 100.0, "sen_yen", "k1"), ("awards", "b", 2.0, "awards", "k1"),
            ("amount", "total", 1000.0, "sen_yen", "k1"), ("awards", "total", 10.0, "awards", "k2")]
    return pd.DataFrame(rows, columns=["series", "entity", "value", "unit", "source"])


def test_allocation_separates_the_known_institutions_from_the_total():
    alloc = c.allocation(allocation_obs(), "amount", "awards", "total")
    assert alloc.known == 2
    assert alloc.amount.to_dict() == {"a": 300.0, "b": 100.0}
    assert alloc.awards.to_dict() == {"a": 3.0, "b": 2.0}
    assert (alloc.total_amount, alloc.total_awards) == (1000.0, 10.0)
    assert alloc.amount_unit == "sen_yen"
    assert alloc.sources == "k1 k2"


def test_allocation_without_its_total_or_a_count_is_refused():
    frame = allocation_obs()
    with pytest.raises(KeyError, match="with the entity 'all'"):
        c.allocation(frame, "amount", "awards", "all")
    with pytest.raises(KeyError, match=r"no 'awards' for \['b'\]"):
        c.allocation(frame.drop(index=3), "amount", "awards", "total")


def test_curves_of_amounts_and_awards_carry_unit_and_sources():
    curve = c.curves(c.allocation(allocation_obs(), "amount", "awards", "total"), "配分額", "採択件数")
    last = curve.groupby("指標")["cumulative"].last().to_dict()
    assert last == pytest.approx({"配分額": 40.0, "採択件数": 50.0})
    assert set(curve["単位"]) == {"%"} and set(curve["出典"]) == {"k1 k2"}


def test_elasticity_chart_draws_amounts_in_the_requested_unit_with_provenance():
    from analysis import charts

    names = ["東京大学", "京都大学", "大阪大学"]  # entities of data/entities.csv
    alloc = c.Allocation(pd.Series([1e5, 4e5, 9e5], index=names), pd.Series([1.0, 2.0, 3.0], index=names),
                         2e6, 10.0, "sen_yen", "k")
    fit = c.size_elasticity(alloc.awards, alloc.amount)
    points, line = c.elasticity_frames(alloc, fit, "oku_yen")
    assert points["配分額"].tolist() == pytest.approx([1.0, 4.0, 9.0])  # 100,000千円 = 1億円
    assert line["配分額"].iloc[[0, -1]].tolist() == pytest.approx([1.0, 9.0])
    assert set(points["単位"]) == {"億円"}
    assert fit.slope == pytest.approx(2.0) and fit.low > c.PROPORTIONAL
    assert charts.missing_provenance(c.elasticity_chart(alloc, fit, "oku_yen", "図").to_dict()) == []


def test_log_ticks_are_round_values_inside_the_axis():
    assert c.log_ticks([705, 4202]) == pytest.approx([700, 1000, 2000, 3000, 5000])
    assert c.log_ticks([17.5, 225]) == pytest.approx([20, 30, 50, 70, 100, 200])
