"""Conversions between the units of data/units.csv."""


import numpy as np
import pytest

from analysis import units


def test_percent_and_fraction_go_through_the_units_table():
    assert units.to_percent(0.626) == pytest.approx(62.6)
    # the one scaling of the library's percents, the shares of a whole array too
    assert units.to_percent(0.348) == 100.0 * 0.348
    assert list(units.to_percent(np.array([0.5, 0.125]))) == [50.0, 12.5]
    assert units.to_fraction(17.3) == pytest.approx(0.173)
    with pytest.raises(ValueError, match="not a share unit"):
        units.to_fraction(3, "oku_yen")


def test_to_oku_yen_converts_trillions_and_rejects_non_money():
    assert units.to_oku_yen(2, "cho_yen") == pytest.approx(20000)
    assert units.to_oku_yen(3.2, "oku_yen") == pytest.approx(3.2)
    with pytest.raises(ValueError):
        units.to_oku_yen(4, "domains")


def test_yen_to_usd():
    # 50 兆円 = 5e13 yen; at 100 円/ドル = 5e11 dollars = 5,000 億ドル
    assert units.yen_to_usd(50, "cho_yen", 100) == pytest.approx(5000.0)
    assert units.yen_to_usd(500000, "oku_yen", 125, "usd_billion") == pytest.approx(400.0)
    with pytest.raises(ValueError):
        units.yen_to_usd(50, "cho_yen", 0)
    with pytest.raises(ValueError):
        units.yen_to_usd(50, "usd_billion", 100)
