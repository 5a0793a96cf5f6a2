"""Statistics with statsmodels: survey proportion intervals and trend fits."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analysis import units

LEVEL = 0.95  # confidence level of every interval in the book
ALPHA = 0.05  # significance level of every test in the book


@dataclass(frozen=True)
class Interval:
    """A proportion (percent) with its confidence interval (percent)."""

    estimate: float
    low: float
    high: float
    n: int
    level: float


def proportion_ci(percent: float, n: int, level: float = LEVEL) -> Interval:
    """Wilson interval for a survey share ``percent`` (0–100) of ``n`` respondents.

    The count is the share of ``n``, rounded: published shares are rounded, so
    the interval reflects sampling error only, not the rounding of the share.
    """
    if n <= 0:
        raise ValueError(f"n must be positive, got {n}")
    # statsmodels is imported where it is used: its modules take about 0.7 s,
    # which the pages that import analysis.ai without computing would pay too
    # (and never statsmodels.api, which imports every model and dataset)
    from statsmodels.stats.proportion import proportion_confint

    successes = round(units.to_fraction(percent) * n)
    low, high = proportion_confint(successes, n, alpha=1 - level, method="wilson")
    return Interval(float(percent), float(units.to_percent(low)), float(units.to_percent(high)), int(n),
                    float(level))


def two_proportion_z(p1: float, n1: int, p2: float, n2: int) -> tuple[float, float]:
    """(z, two-sided p-value) for the difference of two shares in percent."""
    from statsmodels.stats.proportion import proportions_ztest

    counts = np.array([round(units.to_fraction(p1) * n1), round(units.to_fraction(p2) * n2)])
    z, p = proportions_ztest(counts, np.array([n1, n2]))
    return float(z), float(p)


@dataclass(frozen=True)
class TrendFit:
    """Log-linear trend ``log(y) = a + b * year``: growth rate ``exp(b) - 1``."""

    rate: float       # fraction per year
    rate_low: float   # lower bound of the confidence interval, fraction per year
    rate_high: float  # upper bound, fraction per year
    r_squared: float
    n: int
    level: float
    intercept: float
    slope: float

    def predict(self, years: np.ndarray) -> np.ndarray:
        """Fitted values (same unit as the data) for ``years``."""
        return np.exp(self.intercept + self.slope * np.asarray(years, dtype=float))


@dataclass(frozen=True)
class Line:
    """OLS fit ``y = intercept + slope * x`` with the slope's t interval at ``level``."""

    intercept: float
    slope: float
    low: float
    high: float
    r_squared: float


def ols_line(x: np.ndarray, y: np.ndarray, level: float = LEVEL) -> Line:
    """Ordinary least squares of ``y`` on ``x`` (with a constant)."""
    from statsmodels.regression.linear_model import OLS
    from statsmodels.tools.tools import add_constant

    model = OLS(y, add_constant(x)).fit()
    low, high = model.conf_int(alpha=1 - level)[1]
    return Line(float(model.params[0]), float(model.params[1]), float(low), float(high),
                float(model.rsquared))


def loglinear_trend(years, values, level: float = LEVEL) -> TrendFit:
    """OLS fit of ``log(values)`` on ``years``; rate with its t-based interval.

    Needs at least three positive observations (two leave no degrees of freedom
    for an interval).
    """
    x = np.asarray(years, dtype=float)
    y = np.asarray(values, dtype=float)
    if len(x) < 3:
        raise ValueError(f"a trend needs at least 3 observations, got {len(x)}")
    if (y <= 0).any():
        raise ValueError("a log-linear trend needs positive values")
    fit = ols_line(x, np.log(y), level)
    return TrendFit(float(np.expm1(fit.slope)), float(np.expm1(fit.low)), float(np.expm1(fit.high)),
                    fit.r_squared, len(x), level, fit.intercept, fit.slope)


def min_n_significant(p1: float, p2: float, alpha: float = ALPHA, n_max: int = 100000) -> int:
    """Smallest equal sample size per group at which shares ``p1`` and ``p2`` (percent)
    differ significantly (two-sided z-test at ``alpha``).

    Used where surveys do not publish their sample sizes: it says how small a
    sample would still make the observed gap more than sampling noise.
    """
    if p1 == p2:
        raise ValueError("equal shares never differ significantly")
    low, high = 2, n_max
    if two_proportion_z(p1, high, p2, high)[1] >= alpha:
        raise ValueError(f"not significant even with n = {n_max}")
    while low < high:
        mid = (low + high) // 2
        if two_proportion_z(p1, mid, p2, mid)[1] < alpha:
            high = mid
        else:
            low = mid + 1
    return low
