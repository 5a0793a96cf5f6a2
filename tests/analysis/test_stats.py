import pytest

from analysis import stats


def test_wilson_interval_of_nri_survey():
    ci = stats.proportion_ci(9, 10189)
    assert ci.low == pytest.approx(8.46, abs=0.01)
    assert ci.high == pytest.approx(9.57, abs=0.01)
    assert ci.low < 9 < ci.high


def test_interval_narrows_with_sample_size():
    small, large = stats.proportion_ci(50, 100), stats.proportion_ci(50, 10000)
    assert (large.high - large.low) < (small.high - small.low) / 5


def test_interval_rejects_empty_sample():
    with pytest.raises(ValueError):
        stats.proportion_ci(10, 0)


def test_loglinear_trend_recovers_a_known_growth_rate():
    years = [2000, 2001, 2002, 2003, 2004]
    values = [100 * 1.05 ** (y - 2000) for y in years]
    fit = stats.loglinear_trend(years, values)
    assert fit.rate == pytest.approx(0.05)
    assert fit.rate_low == pytest.approx(0.05) and fit.rate_high == pytest.approx(0.05)
    assert fit.predict([2005])[0] == pytest.approx(100 * 1.05 ** 5)


def test_loglinear_trend_interval_contains_rate_of_noisy_data():
    fit = stats.loglinear_trend([1, 2, 3, 4, 5, 6], [10, 12, 11, 14, 15, 17])
    assert fit.rate_low < fit.rate < fit.rate_high
    with pytest.raises(ValueError):
        stats.loglinear_trend([1, 2], [1, 2])
    with pytest.raises(ValueError):
        stats.loglinear_trend([1, 2, 3], [1, 0, 2])


def test_min_n_significant_is_the_threshold():
    n = stats.min_n_significant(26.7, 68.8)
    assert stats.two_proportion_z(26.7, n, 68.8, n)[1] < 0.05
    assert stats.two_proportion_z(26.7, n - 1, 68.8, n - 1)[1] >= 0.05
