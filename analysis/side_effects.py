"""Concentration of funding among institutions when only the top of the list is known.

The book's case is KAKENHI FY2020 (data/observations/side_effects.csv, source
``sakoi_kakenhi_2021``): the award count and amount (千円) of the 20
institutions with the most awards, and the national totals. Institutions
beyond those 20 are unknown one by one; only their combined remainder
(total minus the known part) is known. Every function here therefore takes
the known amounts *and* the total, and says what it assumes about the rest:

- top-k shares and the concentration curve use only the known institutions
  (exact: the share of the total held by the k largest known ones);
- the Herfindahl–Hirschman index (HHI) over the known part is a lower bound
  of the full HHI (the unknown institutions can only add squares); adding
  the square of the whole remainder gives an upper bound (one institution
  holding all of it is the most concentrated split possible);
- the Gini coefficient is computed among the known institutions only: it
  measures inequality inside the top group, not in the whole system;
- :func:`size_elasticity` fits ``log(amount) = a + b * log(awards)`` by OLS
  (statsmodels) across the known institutions: ``b > 1`` means money grows
  faster than the number of awards (larger grants per award at larger
  institutions).

Shares are returned in percent (0–100); HHI on the usual 0–10,000 scale
(shares in percent, squared and summed).

:func:`allocation` reads one such case from the observations (the known
institutions and the total); :func:`curves` and :func:`elasticity_chart`
give the chapter's charts, every row with its unit and sources.
"""

from __future__ import annotations

from dataclasses import dataclass

import altair as alt
import numpy as np
import pandas as pd

from analysis import charts, data
from analysis.stats import LEVEL, ols_line


def _amounts(values) -> np.ndarray:
    arr = np.asarray(values, dtype=float)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError("need a non-empty list of amounts")
    if (arr < 0).any() or not np.isfinite(arr).all():
        raise ValueError("amounts must be finite and non-negative")
    return arr


def _check_total(known: np.ndarray, total: float) -> float:
    total = float(total)
    if not total > 0:
        raise ValueError(f"total must be positive, got {total!r}")
    if known.sum() > total * (1 + 1e-12):
        raise ValueError(f"the known amounts ({known.sum():g}) exceed the total ({total:g})")
    return total


def shares(values, total: float) -> np.ndarray:
    """Each known amount as a percent of ``total``, largest first."""
    known = _amounts(values)
    total = _check_total(known, total)
    return np.sort(known)[::-1] / total * 100.0


def top_k_share(values, total: float, k: int) -> float:
    """Percent of ``total`` held by the ``k`` largest known amounts.

    ``k`` may not exceed the number of known amounts: beyond the known list
    the ranking is unknown.
    """
    known = _amounts(values)
    if not 1 <= k <= known.size:
        raise ValueError(f"k must be between 1 and {known.size} (the known institutions), got {k}")
    return float(shares(known, total)[:k].sum())


def remainder_share(values, total: float) -> float:
    """Percent of ``total`` not accounted for by the known amounts."""
    known = _amounts(values)
    total = _check_total(known, total)
    return float(100.0 * (total - known.sum()) / total)


def concentration_curve(frame: pd.DataFrame, name: str, value: str, total: float) -> pd.DataFrame:
    """Rank, name, share and cumulative share (percent) of the known rows of ``frame``.

    Rows are sorted by ``value`` (largest first); ``total`` is the national
    total in the same unit. The curve stops at the last known rank.
    """
    rows = frame[[name, value]].sort_values(value, ascending=False).reset_index(drop=True)
    share = shares(rows[value], total)
    return pd.DataFrame({
        "rank": np.arange(1, len(rows) + 1),
        name: rows[name],
        "share": share,
        "cumulative": np.cumsum(share),
    })


@dataclass(frozen=True)
class HHIBounds:
    """HHI (0–10,000) of the whole system, bounded from what is known."""

    low: float    # known institutions only (the rest spread infinitely thin)
    high: float   # plus the whole remainder as a single institution
    known: int    # number of known institutions


def hhi_bounds(values, total: float) -> HHIBounds:
    """Lower and upper bounds of the full HHI given the known amounts and the total."""
    known = _amounts(values)
    share = shares(known, total)
    rest = remainder_share(known, total)
    low = float((share ** 2).sum())
    return HHIBounds(low=low, high=low + rest ** 2, known=int(known.size))


def hhi_within(values) -> float:
    """HHI (0–10,000) among the known institutions only (their own total = 100 %)."""
    known = _amounts(values)
    return float(((known / known.sum() * 100.0) ** 2).sum())


def gini(values) -> float:
    """Gini coefficient (0 = equal, towards 1 = concentrated) among ``values``."""
    x = np.sort(_amounts(values))
    n = x.size
    if x.sum() == 0:
        return 0.0
    ranks = np.arange(1, n + 1)
    return float((2.0 * (ranks * x).sum()) / (n * x.sum()) - (n + 1.0) / n)


def share_ratio(amount: float, amount_total: float, awards: float, awards_total: float) -> float:
    """An institution's share of the money divided by its share of the awards.

    1.0 means money in proportion to awards; 2.0 means twice the money per
    award of the national average.
    """
    if not (amount_total > 0 and awards_total > 0 and awards > 0):
        raise ValueError("totals and awards must be positive")
    return float((amount / amount_total) / (awards / awards_total))


@dataclass(frozen=True)
class Elasticity:
    """OLS fit ``log(amount) = intercept + slope * log(awards)``."""

    slope: float
    low: float        # lower bound of the slope's confidence interval
    high: float       # upper bound
    r_squared: float
    n: int
    level: float
    intercept: float

    def predict(self, awards) -> np.ndarray:
        """Fitted amounts (same unit as the data) for ``awards``."""
        return np.exp(self.intercept + self.slope * np.log(np.asarray(awards, dtype=float)))


def size_elasticity(awards, amounts, level: float = LEVEL) -> Elasticity:
    """Elasticity of the amount with respect to the award count, with its t interval.

    Needs at least three institutions with positive counts and amounts.
    """
    x = np.asarray(awards, dtype=float)
    y = np.asarray(amounts, dtype=float)
    if x.shape != y.shape or x.size < 3:
        raise ValueError("need at least 3 (awards, amount) pairs of equal length")
    if (x <= 0).any() or (y <= 0).any():
        raise ValueError("awards and amounts must be positive for a log-log fit")
    fit = ols_line(np.log(x), np.log(y), level)
    return Elasticity(fit.slope, fit.low, fit.high, fit.r_squared, int(x.size), float(level), fit.intercept)


# ---- one allocation: the known institutions and the national totals --------

HHI_MAX = 10_000.0  # the HHI of one institution holding everything
PROPORTIONAL = 1.0  # the elasticity at which money grows in proportion to the awards
CURVE_POINTS = 30   # points of a fitted line drawn across the observed range
DOT_SIZE = 60       # area of an institution's dot (px²)
LOG_MARGIN = 1.25   # a log axis reaches this factor beyond the smallest and largest value
TICK_STEPS = (1, 2, 3, 5, 7)  # the round values a log axis is labelled with, per power of ten


@dataclass(frozen=True)
class Allocation:
    """The known institutions' amounts and award counts (aligned, by
    institution, amounts in ``amount_unit``), the national totals, and the
    references.bib keys of the values."""

    amount: pd.Series
    awards: pd.Series
    total_amount: float
    total_awards: float
    amount_unit: str
    sources: str

    @property
    def known(self) -> int:
        """How many institutions are known one by one."""
        return int(self.amount.size)


def allocation(obs: pd.DataFrame, amount_series: str, awards_series: str, total: str) -> Allocation:
    """The allocation of two observation series (one row per institution plus
    one for the entity ``total``), e.g. KAKENHI's kakenhi_amount and kakenhi_awards."""
    amount = obs[obs["series"] == amount_series].set_index("entity")
    awards = obs[obs["series"] == awards_series].set_index("entity")
    if amount.empty or awards.empty or total not in amount.index or total not in awards.index:
        raise KeyError(f"need the series {amount_series!r} and {awards_series!r}, "
                       f"each with the entity {total!r}")
    units = set(amount["unit"])
    if len(units) != 1:
        raise ValueError(f"{amount_series!r} mixes units {sorted(units)}")
    known = amount.index.drop(total)
    missing = known.difference(awards.index)
    if len(missing):
        raise KeyError(f"no {awards_series!r} for {list(missing)}")
    keys = charts.joined_sources([*amount["source"], *awards["source"]])
    return Allocation(amount["value"].loc[known], awards["value"].loc[known],
                      float(amount.loc[total, "value"]), float(awards.loc[total, "value"]), units.pop(), keys)


def curves(alloc: Allocation, amount_label: str, awards_label: str) -> pd.DataFrame:
    """The concentration curves of the amounts and of the awards (column 指標
    holds the two labels), each row with its unit (%) and sources."""
    frames = []
    for values, total, label in ((alloc.amount, alloc.total_amount, amount_label),
                                 (alloc.awards, alloc.total_awards, awards_label)):
        frame = values.rename("v").rename_axis("entity").reset_index()
        frames.append(concentration_curve(frame, "entity", "v", total).assign(指標=label))
    return charts.sourced(pd.concat(frames, ignore_index=True), "%", alloc.sources)


def elasticity_frames(alloc: Allocation, fit: Elasticity, unit: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The institutions (機関, 採択件数, 配分額 in ``unit``) and the fitted line
    across the observed counts, both with their unit and sources (the line is
    derived from the same values)."""
    def drawn(values) -> list[float]:
        return [data.convert(v, alloc.amount_unit, unit) for v in values]

    points = pd.DataFrame({"機関": [data.entity_label(e) for e in alloc.amount.index],
                           "採択件数": alloc.awards.to_numpy(dtype=float), "配分額": drawn(alloc.amount)})
    grid = np.geomspace(points["採択件数"].min(), points["採択件数"].max(), CURVE_POINTS)
    line = pd.DataFrame({"採択件数": grid, "配分額": drawn(fit.predict(grid))})
    label = str(data.units().loc[unit, "label_ja"])
    return charts.sourced(points, label, alloc.sources), charts.sourced(line, label, alloc.sources)


def log_ticks(values) -> list[float]:
    """Round tick values (1, 2, 3, 5 and 7 times a power of ten) inside the
    log axis of ``values``: 705..4,202 -> [700, 1000, 2000, 3000, 5000]."""
    low, high = float(np.min(values)) / LOG_MARGIN, float(np.max(values)) * LOG_MARGIN
    ticks = []
    for power in range(int(np.floor(np.log10(low))), int(np.ceil(np.log10(high))) + 1):
        ticks += [m * 10.0 ** power for m in TICK_STEPS if low <= m * 10.0 ** power <= high]
    return ticks


def _log_scale(values) -> alt.Scale:
    """A log scale spanning the values with a margin (not rounded out to powers of ten)."""
    low, high = float(np.min(values)), float(np.max(values))
    return alt.Scale(type="log", domain=[low / LOG_MARGIN, high * LOG_MARGIN], nice=False)


def elasticity_chart(alloc: Allocation, fit: Elasticity, unit: str, description: str) -> alt.LayerChart:
    """The institutions' award counts and amounts on log-log axes, with the fitted line."""
    points, line = elasticity_frames(alloc, fit, unit)
    label = points[charts.UNIT].iloc[0]
    x = alt.X("採択件数:Q", scale=_log_scale(points["採択件数"]), title="採択件数（件、対数目盛）",
              axis=alt.Axis(values=log_ticks(points["採択件数"])))
    y = alt.Y("配分額:Q", scale=_log_scale(points["配分額"]), title=f"配分額（{label}、対数目盛）",
              axis=alt.Axis(values=log_ticks(points["配分額"])))
    tooltip = ["機関:N", "採択件数:Q", alt.Tooltip("配分額:Q", title=f"配分額（{label}）", format=",.1f")]
    dots = alt.Chart(points).mark_circle(size=DOT_SIZE, color=charts.PALETTE[0])
    dots = dots.encode(x=x, y=y, tooltip=tooltip)
    fitted = alt.Chart(line).mark_line(color=charts.PALETTE[1]).encode(x=x, y=y)
    layers = alt.layer(dots, fitted, description=description)
    return layers.properties(width=charts.WIDTH, height=charts.HEIGHT)
