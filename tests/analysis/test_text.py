"""The text layer: a value and its unit as Japanese prose (analysis.text)."""

import math

import pandas as pd
import pytest

from analysis import text


@pytest.mark.parametrize("value,expected", [
    (17397, "1兆7,397億円"), (4291, "4,291億円"), (27780, "2兆7,780億円"),
    (10000, "1兆円"), (1414.39, "1,414億円"), (50_0000, "50兆円"), (-4291, "-4,291億円"),
])
def test_amounts_in_oku_yen_read_the_japanese_way(value, expected):
    assert text.amount(value, "oku_yen") == expected


def test_amounts_take_their_unit_label_and_decimals_from_the_units_table():
    assert text.amount(1000, "man_persons") == "1,000万人"
    assert text.amount(2021, "year") == "2021年"
    assert text.amount(126.207, "oku_usd") == "126.2億ドル"  # blank decimals: by magnitude
    assert text.amount(9.288, "oku_usd") == "9.29億ドル"
    assert text.amount(0.977, "ratio") == "1.0倍"  # the ratio unit's one decimal
    assert text.amount(40.0, "ratio") == "40倍"  # a whole value has none
    assert text.amount(math.nan, "oku_yen") == "—"
    assert text.unit_label("papers") == "本"


def test_computed_percentages_multiples_and_points_keep_their_units_decimals():
    assert text.percent(34.81) == "34.8%"
    assert text.percent(40.0) == "40.0%"
    assert text.percent(None) == "—"
    assert text.rate(0.6518) == "65.2%"
    assert text.rate(0.6518, 2) == "65.18%"
    assert text.multiple(12.3) == "12.3倍"
    assert text.multiple(40.0) == "40.0倍"
    assert text.points(37.2) == "37.2ポイント"
    assert text.count(10189, "人") == "10,189人"
    with pytest.raises(ValueError):
        text.count(math.nan, "人")


def test_a_sources_value_is_shown_as_given():
    assert text.given(12620.7, "usd_million") == "12,620.7百万ドル"
    assert text.given(6.8, "oku_usd") == "6.8億ドル"
    assert text.given(175.0, "billion_params") == "175十億パラメータ"
    assert text.row({"value": 2.0, "unit": "cho_yen"}) == "2兆円"


def test_given_digits_keep_a_sources_precision():
    assert text.given_digits(12620.7) == 1
    assert text.given_digits(175.0) == 0
    assert text.given_digits(0.98) == 2
    assert text.given_digits(1 / 3) == 4
    assert text.given_digits(2.5e-05) == 4 and text.given_digits(1e20) == 0  # in scientific notation
    assert text.given_digits(float("nan")) == 0 and text.given_digits(1200.0) == 0


def test_last_digit():
    assert text.last_digit(1160.1) == pytest.approx(0.1)
    assert text.last_digit(412) == 1.0
    assert text.last_digit(8.6) == pytest.approx(0.1)
    assert text.last_digit(12623.25) == pytest.approx(0.01)


@pytest.mark.parametrize("published,bounds",
                         [(9, (8.5, 9.5)), (17.3, (17.25, 17.35)), (86.75, (86.745, 86.755))])
def test_rounding_bounds_follow_the_published_decimals(published, bounds):
    assert text.rounding_bounds(published) == pytest.approx(bounds)


def test_a_range_writes_its_unit_once():
    assert text.value_range(8.5, 9.5, "percent") == "8.5〜9.5%"
    assert text.value_range(1000, 2500, "oku_yen") == "1,000〜2,500億円"


@pytest.mark.parametrize("label,expected", [
    ("FY2003", "2003年度"), ("2013-2015", "2013〜2015年"), ("2024-06-13", "2024年6月13日"),
    ("2022-06", "2022年6月"), ("2023", "2023年"), ("2023-04頃", "2023年4月頃"),
    ("2022年9月", "2022年9月"), ("第6期", "第6期"), ("CY2023", "CY2023"),
])
def test_periods(label, expected):
    assert text.period(label) == expected


def test_years():
    assert text.fiscal_year(2021) == "2021年度"
    assert text.year(2030) == "2030年"
    assert text.year(math.nan) == "記載なし"
    assert text.is_date("2023-04頃") and not text.is_date("2021年度")


def test_approximate_amounts_series_and_citations():
    assert text.about("15,400人") == "約15,400人"
    assert text.approximately(15372.4, "persons") == "約15,400人"
    assert text.approximately(0.26, "percent", 1) == "約0.3%"
    rows = [{"value": 3787.0, "unit": "papers"}, {"value": 3719.0, "unit": "papers"}]
    assert text.given_series(pd.DataFrame(rows)) == "3,787本→3,719本"
    assert text.cite("nistep_2024") == "{cite}`nistep_2024`"


def test_spans_of_years():
    assert text.fiscal_years([2015, 2003, 2021]) == "2003〜2021年度"
    assert text.us_fiscal_year(2023) == "2023会計年度"
    assert text.duration(1900 / 932) == "2.0年"
