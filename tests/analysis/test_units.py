"""Values with their Japanese unit labels: one formatter for every amount."""

import math

import pytest

from analysis import units


def test_amounts_read_the_japanese_way():
    assert units.amount(17397, "oku_yen") == "1兆7,397億円"
    assert units.amount(4291, "oku_yen") == "4,291億円"
    assert units.amount(1000, "man_persons") == "1,000万人"
    assert units.amount(2021, "year") == "2021年"
    assert units.amount(126.207, "oku_usd") == "126.2億ドル"
    assert units.amount(0.977, "ratio") == "0.98倍"
    assert units.amount(math.nan, "oku_yen") == "—"


def test_a_sources_value_is_shown_as_given():
    assert units.given(12620.7, "usd_million") == "12,620.7百万ドル"
    assert units.given(6.8, "oku_usd") == "6.8億ドル"
    assert units.given(175.0, "billion_params") == "175十億パラメータ"


def test_yen_to_usd():
    # 50 兆円 = 5e13 yen; at 100 円/ドル = 5e11 dollars = 5,000 億ドル
    assert units.yen_to_usd(50, "cho_yen", 100) == pytest.approx(5000.0)
    assert units.yen_to_usd(500000, "oku_yen", 125, "usd_billion") == pytest.approx(400.0)
    with pytest.raises(ValueError):
        units.yen_to_usd(50, "cho_yen", 0)
    with pytest.raises(ValueError):
        units.yen_to_usd(50, "usd_billion", 100)
