"""Checks of the article's claims: computed values, their kind and calculation,
and the outcome against the stated value."""

import math

import pandas as pd
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from analysis import claims
from analysis.data import DataError
from tests.analysis.factories import OBSERVATION_COLUMNS, check, observations, toward

OBS = observations([
    # series, entity, period, year, value, unit, kind, confidence, source (no note)
    ("m", "JP", "FY2023", 2023, 100.0, "oku_yen", "actual", "primary", "s"),
    ("m", "JP", "FY2028", 2028, 1230.0, "oku_yen", "forecast", "secondary", "s"),
    ("u", "JP", "FY2028", 2028, 500.0, "oku_yen", "forecast", "unconfirmed", "s"),
    ("b", "US", "CY2024", 2024, 15.3, "usd_billion", "actual", "primary", "s"),
    ("r", "JP", "A", 2001, 4.0, "rank", "actual", "primary", "s"),
    ("r", "JP", "B", 2002, 6.0, "rank", "actual", "primary", "s"),
    ("r", "JP", "C", 2003, 6.0, "rank", "actual", "primary", "s"),
    ("r", "JP", "D", 2004, 13.0, "rank", "actual", "secondary", "s"),
    ("p", "JP", "FY2020", 2020, 18000.0, "persons", "actual", "secondary", "s"),
    ("p", "JP", "FY2021", 2021, 14629.0, "persons", "actual", "secondary", "s"),
    ("q", "JP", "FY2021", 2021, 1.5, "man_persons", "actual", "primary", "s"),
    ("q", "JP", "FY2022", 2022, 1.4, "man_persons", "actual", "primary", "s"),
], OBSERVATION_COLUMNS[:-1])


@pytest.mark.parametrize("stated,comparison,expected", [
    (1230, "equal", "match"),
    (1235, "equal", "match"),      # within rounding (0.5 %)
    (1300, "equal", "near"),       # within 10 %
    (2000, "equal", "off"),
    (1200, "at_least", "match"),
    (1300, "at_least", "near"),
    (1500, "at_least", "off"),
    (1300, "at_most", "match"),
    (1000, "at_most", "off"),
])
def test_outcome_of_a_value(stated, comparison, expected):
    c = check(stated=float(stated), comparison=comparison, a="m|JP|FY2028", unit="oku_yen")
    assert claims.evaluate_one(OBS, c)["outcome"] == expected


def test_a_source_value_is_marked_as_such_and_a_conversion_shows_its_input():
    plain = claims.evaluate_one(OBS, check(stated=1230.0, a="m|JP|FY2028", unit="oku_yen"))
    assert plain["value_kind"] == claims.SOURCE_VALUE and plain["derivation"] == ""
    converted = claims.evaluate_one(OBS, check(stated=153.0, a="b|US|CY2024", unit="oku_usd"))
    assert converted["computed"] == pytest.approx(153.0)
    assert converted["value_kind"] == claims.SOURCE_VALUE
    assert converted["derivation"] == "15.3十億ドル = 153億ドル"


def test_a_derived_value_shows_its_calculation_with_its_inputs():
    ratio = check(stated=12.0, comparison="at_least", metric="ratio", a="m|JP|FY2028", b="m|JP|FY2023",
                  unit="ratio")
    got = claims.evaluate_one(OBS, ratio)
    assert (got["computed"], got["value_kind"], got["outcome"]) == (pytest.approx(12.3), claims.DERIVED_VALUE,
                                                                    "match")
    assert got["derivation"] == "1,230億円 ÷ 100億円 = 12.30倍"
    cagr = claims.evaluate_one(OBS, check(stated=65.0, metric="cagr", a="m|JP|FY2028", b="m|JP|FY2023"))
    assert cagr["computed"] == pytest.approx(100 * (12.3 ** 0.2 - 1)) and cagr["outcome"] == "match"
    assert cagr["derivation"].startswith("（1,230億円 ÷ 100億円）^(1/5) − 1 = ")


def test_a_range_holds_inside_and_is_near_just_outside():
    inside = check(stated=1000.0, stated_high=1300.0, comparison="range", a="m|JP|FY2028")
    assert claims.evaluate_one(OBS, inside)["outcome"] == "match"
    outside = check(stated=1300.0, stated_high=1330.0, comparison="range", a="m|JP|FY2028")
    assert claims.evaluate_one(OBS, outside)["outcome"] == "near"


def test_unconfirmed_data_or_no_data_has_no_usable_source():
    # a figure that exists but whose attribution is unconfirmed: 確認できず (判定留保)
    got = claims.evaluate_one(OBS, check(stated=500.0, a="u|JP|FY2028"))
    assert got["outcome"] == "unconfirmed" and got["computed"] == 500.0
    # no figure at all: 根拠なし (根拠不明), unless the ledger finds the article names a source
    nothing = claims.evaluate_one(OBS, check(comparison="none", metric="none"))
    assert nothing["outcome"] == "unsupported" and math.isnan(nothing["computed"])


def test_the_reason_says_whether_a_source_value_or_a_computed_one_was_compared():
    assert claims.evaluate_one(OBS, check(stated=1230.0, a="m|JP|FY2028", unit="oku_yen"))["reason"] \
        == "出典の値が記事の数値・条件と一致"
    ratio = check(stated=12.0, metric="ratio", a="m|JP|FY2028", b="m|JP|FY2023", unit="ratio",
                  comparison="at_least")
    assert claims.evaluate_one(OBS, ratio)["reason"] == "計算値が記事の数値・条件と一致"


def test_a_difference_carries_the_precision_of_its_coarsest_input():
    c = check(comparison="decreasing", metric="change", a="p|JP", b="q|JP", unit="persons")
    got = claims.evaluate_one(OBS, c)
    assert got["precision"] == 1000.0  # 1.4万人 is stated to the 千人
    assert claims.rounded_difference(-2232.0, 1000.0) == -2000.0
    assert claims.coarsest_step([1.0, 1.0]) == 0.0
    assert claims.stated_step(1.6, "man_persons", "persons") == pytest.approx(1000.0)
    assert claims.stated_step(18232.0, "persons", "persons") == 1.0


def test_a_flat_step_is_not_movement():
    # rank 4 -> 6 -> 6 -> 13: falls overall, but one step is flat
    got = claims.evaluate_one(OBS, check(comparison="increasing", metric="change", a="r|JP", unit="rank"))
    assert got["computed"] == 9.0 and got["outcome"] == "near"
    assert got["window"] == "A〜D（4点）"
    assert claims.trend_outcome([4, 6, 7, 13], "increasing") == "match"
    assert claims.trend_outcome([4, 4], "increasing") == "off"
    assert claims.trend_outcome([13, 6, 4], "increasing") == "off"
    falling = check(comparison="decreasing", metric="change", a="r|JP")
    assert claims.evaluate_one(OBS, falling)["outcome"] == "off"


def test_a_trend_is_continued_to_the_latest_point_by_a_second_series():
    c = check(comparison="decreasing", metric="change", a="p|JP", b="q|JP", unit="persons")
    got = claims.evaluate_one(OBS, c)
    # 18,000 (FY2020) -> 14,629 (FY2021) -> 1.4万 (FY2022; q's FY2021 is not repeated)
    assert got["window"] == "FY2020〜FY2022（3点）"
    assert got["computed"] == pytest.approx(14000 - 18000)
    assert got["outcome"] == "match"
    assert "FY2022：1.4万人" in got["derivation"]
    assert got["confidences"] == ("secondary", "secondary", "primary")


def test_a_bad_reference_names_the_file_row_and_column():
    frame = pd.DataFrame([check(a="no_such|JP|FY2024")])
    words = r"data/checks/x.csv, row 2, column 'a': reference 'no_such\|JP\|FY2024'"
    with pytest.raises(DataError, match=words):
        claims.check_refs(frame, OBS)
    missing_b = pd.DataFrame([check(metric="ratio", a="m|JP|FY2028")])
    with pytest.raises(DataError, match="column 'b': metric 'ratio' needs a reference in column b"):
        claims.check_refs(missing_b, OBS)


@given(stated=st.floats(1, 1e6), computed=st.floats(1, 1e6), closer=st.floats(0, 1),
       comparison=st.sampled_from(["equal", "at_least", "at_most"]))
# 258 + 1.0 * (1.00001 - 258) rounds to just below 1.00001: past the stated value
@example(stated=1.00001, computed=258.0, closer=1.0, comparison="at_least")
def test_moving_the_computed_value_toward_the_stated_one_never_worsens_the_outcome(
        stated, computed, closer, comparison):
    order = {"off": 0, "near": 1, "match": 2}
    c = check(stated=stated, comparison=comparison)
    nearer = toward(computed, stated, closer)
    assert order[claims.compare(c, nearer)] >= order[claims.compare(c, computed)]
