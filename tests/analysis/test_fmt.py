import pytest

from analysis import fmt


@pytest.mark.parametrize("value,expected", [
    (17397, "1兆7,397億円"), (4291, "4,291億円"), (27780, "2兆7,780億円"),
    (10000, "1兆円"), (1414.39, "1,414億円"), (50_0000, "50兆円"),
])
def test_oku_yen(value, expected):
    assert fmt.oku_yen(value) == expected


def test_percent_rate_times_count():
    assert fmt.pct(34.81) == "34.8%"
    assert fmt.rate(0.6518) == "65.2%"
    assert fmt.times(12.3) == "12.3倍"
    assert fmt.count(10189, "人") == "10,189人"


def test_given_digits_keep_a_sources_precision():
    assert fmt.given_digits(12620.7) == 1
    assert fmt.given_digits(175.0) == 0
    assert fmt.given_digits(0.98) == 2
    assert fmt.given_digits(1 / 3) == 4
