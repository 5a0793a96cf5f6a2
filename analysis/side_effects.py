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

The last part holds the chapter's plumbing (06_side_effects): the ``glue_*``
functions glue the names they list, each written out (a search for a
``{glue:text}`` role's name finds it), from the observations of
data/observations/side_effects.csv; the chart functions build the chapter's
figures (faculty of the research universities RU11, the share of faculty
under 40, doctoral entrants), every row with its unit and sources. The
sentences these values support are checked in the chapter, beside the call.
"""

from __future__ import annotations

from dataclasses import dataclass

import altair as alt
import numpy as np
import pandas as pd

from analysis import charts, data, glue, growth, text, units
from analysis.stats import LEVEL, TrendFit, ols_line


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
    return units.to_percent(np.sort(known)[::-1] / total)


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
    return float(units.to_percent((total - known.sum()) / total))


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

    @property
    def first(self) -> str:
        """The institution (entity key) with the largest amount."""
        return str(self.amount.idxmax())

    def total_in(self, unit: str) -> float:
        """The national total amount in ``unit`` (a key of data/units.csv)."""
        return data.convert(self.total_amount, self.amount_unit, unit)


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
    label = text.unit_label(unit)
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


# ---- the chapter's texts, glue and figures -----------------------------------
# Each glue_* function glues the names it lists (literally, for a search from
# the chapter's {glue:text} roles); the chapter checks its sentences beside it.

EVIDENCE_COLUMNS = {"study": "研究", "scope": "対象", "finding": "結果", "data_available": "本書が使える数値"}
KAKENHI = "2020年度科研費"  # the allocation the chapter's figures describe (source sakoi_kakenhi_2021)
FIXED, PERMANENT, FIXED_SHARE = "任期付き", "任期無し", "任期付きの割合"  # columns of faculty_by_year


def returns_evidence() -> pd.DataFrame:
    """The studies of diminishing returns to grant size (data/tables/se_diminishing_returns.csv),
    with Japanese column names."""
    return data.table("se_diminishing_returns")[list(EVIDENCE_COLUMNS)].rename(columns=EVIDENCE_COLUMNS)


def in_man_yen(obs: pd.DataFrame, ref: str) -> str:
    """The amount of the observation ``ref`` written in 万円: 5 百万円 -> '500万円'."""
    row = data.lookup(obs, ref)
    return text.amount(data.convert(row["value"], row["unit"], "man_yen"), "man_yen")


def top_shares(alloc: Allocation, k: int) -> tuple[float, float]:
    """Percent of the national amount and of the national award count held by
    the ``k`` institutions with the most of each."""
    return (top_k_share(alloc.amount, alloc.total_amount, k),
            top_k_share(alloc.awards, alloc.total_awards, k))


def glue_allocation(alloc: Allocation) -> None:
    """Glue the national totals (se_k_total_awards in 件, se_k_total_amount in 億円),
    the known institutions (se_k_known in 機関, se_k_known_rank as a rank) and the
    share of the amount beyond them (se_k_rest, %)."""
    glue.amount("se_k_total_awards", alloc.total_awards, "awards")
    glue.amount("se_k_total_amount", alloc.total_in("oku_yen"), "oku_yen", 1)
    glue.amount("se_k_known", alloc.known, "institutions")
    glue.amount("se_k_known_rank", alloc.known, "rank")
    glue.text("se_k_rest", text.percent(remainder_share(alloc.amount, alloc.total_amount)))


def _glue_top_k(alloc: Allocation, k: int, share: str, count: str = "", awards: str = "") -> None:
    """Glue the percent of the amount (``share``) and of the awards (``awards``)
    held by the top ``k`` institutions, and ``k`` in 機関 (``count``); a name
    left empty is not glued."""
    amount_share, awards_share = top_shares(alloc, k)
    glue.text(share, text.percent(amount_share))
    if count:
        glue.amount(count, k, "institutions")
    if awards:
        glue.text(awards, text.percent(awards_share))


def glue_top(alloc: Allocation) -> None:
    """Glue the institution with the most money (se_k_first), its share of the
    awards (se_k_first_awards, %), its money share over its award share
    (se_k_first_ratio, 倍), and the shares (%) of the top 1, 4, 10 and all known
    institutions (se_k_top1, se_k_top4, se_k_top10, se_k_top_known; each but the
    first with its ``_n``, and all known institutions' share of the awards,
    se_k_top_known_awards)."""
    first = alloc.first
    glue.text("se_k_first", data.entity_label(first))
    glue.text("se_k_first_awards", text.rate(growth.share(alloc.awards[first], alloc.total_awards)))
    ratio = share_ratio(alloc.amount[first], alloc.total_amount, alloc.awards[first], alloc.total_awards)
    glue.text("se_k_first_ratio", text.multiple(ratio))
    _glue_top_k(alloc, 1, "se_k_top1")
    _glue_top_k(alloc, 4, "se_k_top4", count="se_k_top4_n")
    _glue_top_k(alloc, 10, "se_k_top10", count="se_k_top10_n")
    _glue_top_k(alloc, alloc.known, "se_k_top_known", count="se_k_top_known_n",
                awards="se_k_top_known_awards")


def glue_concentration(alloc: Allocation) -> None:
    """Glue the HHI (0–10,000) of one holder (se_k_hhi_max), its bounds from the
    known institutions (se_k_hhi_low, se_k_hhi_high) and the Gini coefficients
    among them of the amounts and of the awards (se_k_gini_amount, se_k_gini_awards)."""
    bounds = hhi_bounds(alloc.amount, alloc.total_amount)
    glue.text("se_k_hhi_max", text.num(HHI_MAX, 0))
    glue.text("se_k_hhi_low", text.num(bounds.low, 0))
    glue.text("se_k_hhi_high", text.num(bounds.high, 0))
    glue.text("se_k_gini_amount", text.num(gini(alloc.amount), 2))
    glue.text("se_k_gini_awards", text.num(gini(alloc.awards), 2))


def glue_elasticity(fit: Elasticity) -> None:
    """Glue the fitted elasticity (se_k_elast), its interval (se_k_level,
    se_k_elast_low, se_k_elast_high), R² (se_k_elast_r2), the institutions
    fitted (se_k_elast_n) and the proportional elasticity (se_k_proportional)."""
    glue.text("se_k_elast", text.num(fit.slope, 2))
    glue.text("se_k_level", text.rate(fit.level, 0))
    glue.text("se_k_elast_low", text.num(fit.low, 2))
    glue.text("se_k_elast_high", text.num(fit.high, 2))
    glue.text("se_k_elast_r2", text.num(fit.r_squared, 2))
    glue.amount("se_k_elast_n", fit.n, "institutions")
    glue.text("se_k_proportional", text.num(PROPORTIONAL, 0))


def entity_share(obs: pd.DataFrame, series: str, entity: str, total: str = "全体") -> float:
    """The value of ``entity`` in ``series`` as a fraction of the series' ``total``
    entity: 東京大学's share of the KAKENHI amount of FY2021 (kakenhi_amount_mext,
    source nlab_kakenhi_2021)."""
    values = data.series(obs, series).set_index("entity")["value"]
    return growth.share(values[entity], values[total])


def curve_chart(alloc: Allocation) -> alt.Chart:
    """The concentration curves of the amounts and the awards (cumulative %, by rank)."""
    curve = curves(alloc, amount_label="配分額", awards_label="採択件数")
    last = curve.groupby("指標")["cumulative"].last()
    return charts.line(curve, x="rank", y="cumulative", x_title="順位（各指標の多い順、公表された機関まで）",
                       y_title="全体に占める累積割合（%）", color="指標", color_title="指標",
                       description=f"{KAKENHI}の上位機関の累積割合。公表された上位{alloc.known}機関で配分額の"
                       f"{text.percent(last['配分額'])}、採択件数の{text.percent(last['採択件数'])}")


def elasticity_figure(alloc: Allocation, fit: Elasticity) -> alt.LayerChart:
    """The chapter's :func:`elasticity_chart`: amounts in 億円, described with the slope."""
    description = (f"{KAKENHI}の上位{fit.n}機関の採択件数と配分額（両対数）と回帰直線"
                   f"（傾き{text.num(fit.slope, 2)}）")
    return elasticity_chart(alloc, fit, "oku_yen", description)


def glue_young_fixed_term(obs: pd.DataFrame) -> None:
    """Glue the share (%, as given) of young researchers on fixed terms in the
    2008 survey, at universities (se_u34_univ) and at public research institutes
    (se_u34_inst)."""
    glue.given("se_u34_univ", data.lookup(obs, "fixed_term_share_u34|大学|2008"))
    glue.given("se_u34_inst", data.lookup(obs, "fixed_term_share_u34|独法・国研|2008"))


def faculty(obs: pd.DataFrame, fixed_series: str, permanent_series: str) -> pd.DataFrame:
    """The rows of a fixed-term and a permanent faculty series (persons), the
    employment (任期付き or 任期無し) in the column 雇用."""
    return pd.concat([data.series(obs, fixed_series).assign(雇用=FIXED),
                      data.series(obs, permanent_series).assign(雇用=PERMANENT)], ignore_index=True)


def faculty_by_year(rows: pd.DataFrame) -> pd.DataFrame:
    """Fixed-term and permanent faculty (persons) by year, and the fixed-term
    share of their sum (a fraction); ``rows`` from :func:`faculty`."""
    by_year = rows.pivot_table(index="year", columns="雇用", values="value")
    return by_year.assign(**{FIXED_SHARE: by_year[FIXED] / by_year[[FIXED, PERMANENT]].sum(axis=1)})


def glue_ru11(by_year: pd.DataFrame) -> None:
    """Glue the first and last years of RU11's faculty (se_ru11_first, se_ru11_last,
    fiscal years), its fixed-term and permanent faculty (se_ru11_ft_first,
    se_ru11_ft_last, se_ru11_pm_first, se_ru11_pm_last, persons) and the fixed-term
    share (se_ru11_share_first, se_ru11_share_last, %); ``by_year`` from :func:`faculty_by_year`."""
    first, last = by_year.iloc[0], by_year.iloc[-1]
    glue.text("se_ru11_first", text.fiscal_year(first.name))
    glue.text("se_ru11_last", text.fiscal_year(last.name))
    glue.amount("se_ru11_ft_first", first[FIXED], "persons")
    glue.amount("se_ru11_ft_last", last[FIXED], "persons")
    glue.amount("se_ru11_pm_first", first[PERMANENT], "persons")
    glue.amount("se_ru11_pm_last", last[PERMANENT], "persons")
    glue.text("se_ru11_share_first", text.rate(first[FIXED_SHARE]))
    glue.text("se_ru11_share_last", text.rate(last[FIXED_SHARE]))


def fixed_term_chart(rows: pd.DataFrame) -> alt.Chart:
    """Faculty by fiscal year, fixed-term and permanent side by side (persons);
    ``rows`` from :func:`faculty` (RU11)."""
    plot = charts.sourced(pd.DataFrame({"年度": rows["year"].map(text.fiscal_year), "雇用": rows["雇用"],
                                        "value": rows["value"]}), "人", rows["source"])
    return charts.grouped_bar(plot, x="年度", y="value", group="雇用", x_title="年度（各年10月1日時点）",
                              y_title="教員数（人）", group_title="雇用形態", group_sort=[FIXED, PERMANENT],
                              description="RU11の大学の教員数を任期付きと任期無しに分けた棒グラフ。"
                              "任期付きが増え、任期無しが減った")


def glue_ru18(obs: pd.DataFrame) -> None:
    """Glue RU18's fixed-term share (速報値) in its first and last years
    (se_ru18_first, se_ru18_last, se_ru18_share_first, se_ru18_share_last), its young
    faculty (se_ru18_u39, persons) and their change since the first year
    (se_ru18_u39_change: '2013年度比 -12.4%'), and the final counts of the last year
    (se_ru18_ft_final, se_ru18_pm_final, persons), all as the sources gave them."""
    share = data.series(obs, "ru18_fixed_term_share")
    glue.ends(share, first="se_ru18_share_first", last="se_ru18_share_last",
              first_period="se_ru18_first", last_period="se_ru18_last")
    glue.given("se_ru18_u39", data.lookup(obs, "ru18_faculty_u39|RU18|FY2019"))
    change = data.lookup(obs, "ru18_faculty_u39_change|RU18|FY2013-FY2019")["value"]
    glue.text("se_ru18_u39_change", f"{text.fiscal_year(share['year'].iloc[0])}比 {text.percent(change)}")
    glue.given("se_ru18_ft_final", data.lookup(obs, "ru18_faculty_fixed_term_final|RU18|FY2019"))
    glue.given("se_ru18_pm_final", data.lookup(obs, "ru18_faculty_permanent_final|RU18|FY2019"))


def final_change(obs: pd.DataFrame, series: str) -> float:
    """The change (in the series' unit) from the first value of ``series`` (a
    preliminary count) to the final count of its last year (``<series>_final``)."""
    first = data.series(obs, series)["value"].iloc[0]
    return float(data.series(obs, f"{series}_final")["value"].iloc[-1] - first)


def glue_young_faculty(obs: pd.DataFrame) -> None:
    """Glue the share of faculty under 40 (%, as given) in its first and last years
    (se_u40_first, se_u40_last, se_u40_share_first, se_u40_share_last), the
    government's target (se_u40_target), the gap to it in points (se_u40_gap_first,
    se_u40_gap_last) and the forecast (se_u40_forecast_year, se_u40_forecast)."""
    share = data.series(obs, "faculty_u40_share")
    target = data.lookup(obs, "faculty_u40_share_target|JP|FY2025")
    glue.given("se_u40_target", target)
    glue.ends(share, first="se_u40_share_first", last="se_u40_share_last",
              first_period="se_u40_first", last_period="se_u40_last")
    glue.change("se_u40_gap_first", share["value"].iloc[0], target["value"], how="points")
    glue.change("se_u40_gap_last", share["value"].iloc[-1], target["value"], how="points")
    glue.ends(data.series(obs, "faculty_u40_share_forecast"), last="se_u40_forecast",
              last_period="se_u40_forecast_year")


def young_faculty_chart(obs: pd.DataFrame) -> alt.Chart:
    """The share of faculty under 40 (%): the actual values, the forecast from
    the last of them, and the target's level drawn from the first year."""
    actual = data.series(obs, "faculty_u40_share")
    forecast = data.series(obs, "faculty_u40_share_forecast")
    target = data.series(obs, "faculty_u40_share_target")
    target_line = pd.concat([target.assign(year=actual["year"].min()), target])  # the level, drawn across
    rows = pd.concat([actual.assign(系列="実績"), pd.concat([actual.tail(1), forecast]).assign(系列="予測"),
                      target_line.assign(系列="目標")], ignore_index=True)
    plot = charts.sourced(rows[["year", "value", "系列"]], "%", rows["source"])
    return charts.line(plot, x="year", y="value", x_title="年度", y_title="40歳未満の教員の割合（%）",
                       color="系列", color_title="",
                       description="大学本務教員に占める40歳未満の教員の割合の実績と予測、政府目標の水準")



def glue_doctoral(obs: pd.DataFrame, fit: TrendFit) -> None:
    """Glue the doctoral entrants (persons, as given) of the years the prose names
    (se_doc_2003, se_doc_2010, se_doc_2015, se_doc_2021) and the log-linear trend
    ``fit`` of them: its years (se_doc_fit_window), annual rate (se_doc_rate, %) with
    its interval (se_doc_level, se_doc_low, se_doc_high), R² (se_doc_r2), points
    (se_doc_n) and degrees of freedom (se_doc_df)."""
    glue.given("se_doc_2003", data.lookup(obs, "doctoral_entrants|JP|FY2003"))
    glue.given("se_doc_2010", data.lookup(obs, "doctoral_entrants|JP|FY2010"))
    glue.given("se_doc_2015", data.lookup(obs, "doctoral_entrants|JP|FY2015"))
    glue.given("se_doc_2021", data.lookup(obs, "doctoral_entrants|JP|FY2021"))
    glue.text("se_doc_fit_window", text.fiscal_years(data.series(obs, "doctoral_entrants")["year"]))
    glue.text("se_doc_rate", text.rate(fit.rate))
    glue.text("se_doc_level", text.rate(fit.level, 0))
    glue.text("se_doc_low", text.rate(fit.rate_low))
    glue.text("se_doc_high", text.rate(fit.rate_high))
    glue.text("se_doc_r2", text.num(fit.r_squared, 2))
    glue.text("se_doc_n", text.count(fit.n, "点"))
    glue.text("se_doc_df", text.count(fit.n - 2))


def glue_recent_doctoral(obs: pd.DataFrame) -> None:
    """Glue the latest rounded count of the science and technology indicators
    (se_doc_latest, 万人 as given; se_doc_latest_year) and the year-on-year
    increases the prose names (se_doc_yoy_2023, se_doc_yoy_2024, %)."""
    glue.ends(data.series(obs, "doctoral_entrants_nistep"), last="se_doc_latest",
              last_period="se_doc_latest_year")
    glue.given("se_doc_yoy_2023", data.lookup(obs, "doctoral_entrants_yoy|JP|FY2023"))
    glue.given("se_doc_yoy_2024", data.lookup(obs, "doctoral_entrants_yoy|JP|FY2024"))


def persons(rows: pd.DataFrame) -> pd.Series:
    """The values of observation rows (``value``, ``unit``) in persons: 1.5 万人 -> 15,000."""
    values = [data.convert(v, u, "persons") for v, u in zip(rows["value"], rows["unit"], strict=True)]
    return pd.Series(values, index=rows.index, dtype=float)


def doctoral_chart(actual: pd.DataFrame, rounded: pd.DataFrame, fit: TrendFit) -> alt.Chart:
    """Doctoral entrants (persons): the actual counts, the indicators' rounded
    counts and the trend ``fit`` of the actual counts extended to the last rounded year."""
    years = np.arange(actual["year"].min(), rounded["year"].iloc[-1] + 1)
    keys = charts.joined_sources(actual["source"])  # the trend is derived from the actual counts
    trend = pd.DataFrame({"year": years, "value": fit.predict(years).round(0), "source": keys})
    rows = pd.concat([actual.assign(系列="実数"),
                      rounded.assign(value=persons(rounded), 系列="科学技術指標（丸め値）"),
                      trend.assign(系列="トレンド")], ignore_index=True)
    plot = charts.sourced(rows[["year", "value", "系列"]], "人", rows["source"])
    description = ("博士課程入学者数の推移：実数、科学技術指標の丸め値、実数への対数線形トレンド。"
                   "最新年度の丸め値はトレンドを上回る")
    return charts.line(plot, x="year", y="value", x_title="年度", y_title="博士課程入学者（人）",
                       color="系列", color_title="", y_zero=False, description=description)


def glue_dispatched(obs: pd.DataFrame) -> None:
    """Glue the researchers sent abroad for the mid to long term (persons, as
    given) in the first and last fiscal years of the survey (se_disp_first,
    se_disp_first_n, se_disp_last, se_disp_last_n)."""
    glue.ends(data.series(obs, "researchers_dispatched_midlong"), first="se_disp_first_n",
              last="se_disp_last_n", first_period="se_disp_first", last_period="se_disp_last")
