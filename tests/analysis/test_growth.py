import math

import pytest

from analysis import growth


def test_cagr_doubling_in_one_year_is_100_percent():
    assert growth.cagr(100, 200, 1) == pytest.approx(1.0)


def test_cagr_matches_fortune_business_insights_endpoints():
    # USD 1,160.1M (2024) -> 12,620.7M (2032): the firm states 34.8 %/year.
    assert growth.cagr(1160.1, 12620.7, 8) == pytest.approx(0.348, abs=0.0005)


def test_cagr_of_no_change_is_zero_and_of_decline_negative():
    assert growth.cagr(50, 50, 3) == 0.0
    assert growth.cagr(100, 50, 1) == pytest.approx(-0.5)


@pytest.mark.parametrize("start,end,years", [(0, 10, 2), (-1, 10, 2), (10, 0, 2), (10, 20, 0), (10, 20, -1)])
def test_cagr_rejects_non_positive_inputs(start, end, years):
    with pytest.raises(ValueError):
        growth.cagr(start, end, years)


def test_multiple_and_implied_base_invert_each_other():
    assert growth.multiple_of(17397, 4291) == pytest.approx(4.0543, abs=1e-4)
    base = growth.implied_base(17397, 12.3)
    assert base == pytest.approx(1414.39, abs=0.01)
    assert growth.multiple_of(17397, base) == pytest.approx(12.3)


def test_cagr_from_multiple_is_cagr_of_the_ratio():
    assert growth.cagr_from_multiple(12.3, 5) == pytest.approx(12.3 ** 0.2 - 1)
    assert growth.project(1.0, growth.cagr_from_multiple(12.3, 5), 5) == pytest.approx(12.3)


def test_share_and_years_between():
    assert growth.share(17397, 27780) == pytest.approx(0.6263, abs=1e-4)
    assert growth.years_between(2023, 2028) == 5
    with pytest.raises(ValueError):
        growth.years_between(2028, 2028)
    with pytest.raises(ValueError):
        growth.share(1, 0)


def test_results_are_plain_python_floats():
    for value in (growth.cagr(1, 2, 1), growth.multiple_of(2, 1), growth.share(1, 2)):
        assert type(value) is float and not math.isnan(value)
