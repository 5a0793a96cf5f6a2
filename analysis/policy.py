"""The chapter on the basic plans and the research base (01_policy).

Everything here reads the tidy observations (``analysis.data.observations()``)
and returns small frames ready for tables and charts. Derived values (a plan's
actual investment obtained by subtraction, amounts converted between yen
units, indices) are computed here and labelled as such; nothing is written
back to the data. Every frame a chart plots carries the columns
``charts.UNIT`` and ``charts.SOURCE`` (the references.bib keys of the values
of each row; a derived row lists the keys of its inputs).

Sources of the series used: 文部科学省 科学技術白書 and NISTEP 科学技術指標
(see ``data/observations/policy.csv``).

The ``glue_*`` functions glue the chapter's sourced values for its prose with
:mod:`analysis.glue` and :mod:`analysis.text`, each under its name written out
(so that a name in the prose finds the code that makes it); the notebook keeps
the comparisons and the checks of its sentences (:func:`analysis.prose.check`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import altair as alt
import numpy as np
import pandas as pd

from analysis import charts, data, glue, growth, stats, text
from analysis.stats import TrendFit

PLANS = ["第1期", "第2期", "第3期", "第4期", "第5期", "第6期"]
INDEX_BASE = 100.0  # the first value of an index
LATEST = "各版の最新値"  # the headline series of NISTEP's editions (each edition's latest window)
PLAN_UNIT = "cho_yen"  # the basic plans' investment targets and actuals are stated in 兆円


def _value_or_nan(obs: pd.DataFrame, ref: str) -> tuple[float, str]:
    try:
        row = data.lookup(obs, ref)
    except KeyError:
        return float("nan"), ""
    return float(row["value"]), str(row["source"])


# ---- chapter 01: the basic plans ----------------------------------------------


def plan_investments(obs: pd.DataFrame) -> pd.DataFrame:
    """Government R&D investment target and actual of each basic plan (兆円).

    Columns: 期, 開始年度, 終了年度, 目標, 実績, 実績の種類, 目標の出典, 実績の出典.
    実績 is the sourced actual where one exists; for 第1期 it is derived as
    (第1期+第2期 total) − 第2期 actual (実績の種類 = 算出値, its sources those
    of both inputs); for 第6期 it is the sourced estimate of progress
    (実績の種類 = 見込). A plan with no sourced actual has NaN.
    """
    rows = []
    cum, cum_source = _value_or_nan(obs, "basic_plan_gov_rd_actual_cum|JP|第1期・第2期")
    for plan in PLANS:
        actual, source = _value_or_nan(obs, f"basic_plan_gov_rd_actual|JP|{plan}")
        kind = "実績" if not np.isnan(actual) else ""
        if plan == "第1期" and np.isnan(actual):
            second, second_source = _value_or_nan(obs, "basic_plan_gov_rd_actual|JP|第2期")
            actual = round(cum - second, 6)
            derived = not np.isnan(actual)
            both = charts.joined_sources([cum_source, second_source])
            kind, source = ("算出値", both) if derived else ("", "")
        if plan == "第6期" and np.isnan(actual):
            actual, source = _value_or_nan(obs, "basic_plan_gov_rd_progress|JP|第6期")
            kind = "見込" if not np.isnan(actual) else ""
        target = data.lookup(obs, f"basic_plan_gov_rd_target|JP|{plan}")
        rows.append({
            "期": plan,
            "開始年度": int(data.value(obs, f"basic_plan_start_fy|JP|{plan}")),
            "終了年度": int(data.value(obs, f"basic_plan_end_fy|JP|{plan}")),
            "目標": float(target["value"]),
            "実績": actual,
            "実績の種類": kind,
            "目標の出典": str(target["source"]),
            "実績の出典": source,
        })
    return pd.DataFrame(rows)


def plan_amount(value: float, kind: str = "") -> str:
    """A plan's amount for the table: '17兆円', '17.6兆円（算出値）', '約30兆円超（見込）', '—'."""
    if pd.isna(value):
        return "—"
    written = text.given(value, PLAN_UNIT)
    return {"算出値": written + "（算出値）", "見込": text.about(written) + "超（見込）"}.get(kind, written)


def plan_table(plans: pd.DataFrame, timeline: pd.DataFrame) -> pd.DataFrame:
    """The basic plans' table: years, cabinet decision, target, actual, feature and source."""
    table = plans.merge(timeline, left_on="期", right_on="plan", how="left")
    return pd.DataFrame({
        "期": table["期"],
        "対象年度": [text.fiscal_years([a, b])
                   for a, b in zip(table["開始年度"], table["終了年度"], strict=True)],
        "閣議決定": table["decided"],
        "政府研究開発投資の目標": [plan_amount(v) for v in table["目標"]],
        "実績・見込": [plan_amount(v, k) for v, k in zip(table["実績"], table["実績の種類"], strict=True)],
        "特徴": table["feature"],
        "出典": [text.cite(s) for s in table["source"]],
    })


PLAN_KINDS = {"実績": "実績（出典）", "算出値": "実績（算出値）", "見込": "見込（出典）"}


def plan_chart(plans: pd.DataFrame) -> alt.Chart:
    """Grouped bars of each plan's target and actual (兆円)."""
    known = plans[plans["実績"].notna()]
    long = pd.concat([
        charts.sourced(plans.assign(区分="目標", 値=plans["目標"]), text.unit_label(PLAN_UNIT),
                       plans["目標の出典"]),
        charts.sourced(known.assign(区分=known["実績の種類"].map(PLAN_KINDS), 値=known["実績"]),
                       text.unit_label(PLAN_UNIT), known["実績の出典"]),
    ], ignore_index=True)
    return charts.grouped_bar(
        long[["期", "区分", "値", charts.UNIT, charts.SOURCE]], x="期", y="値", group="区分",
        x_title="基本計画", y_title=f"政府研究開発投資（{text.unit_label(PLAN_UNIT)}）", group_title="",
        sort=PLANS, group_sort=["目標", *PLAN_KINDS.values()],
        description="科学技術基本計画の各期の政府研究開発投資の目標と実績（兆円）")


def never_lowered(values: Iterable[float]) -> bool:
    """Whether a sequence never goes down and ends above where it starts."""
    values = list(values)
    return all(b >= a for a, b in zip(values, values[1:], strict=False)) and values[-1] > values[0]


def glue_plan_years(plans: pd.DataFrame, timeline: pd.DataFrame) -> None:
    """Glue the 6th plan's first and last fiscal years (pol_p6_start, pol_p6_end)
    and the date of its cabinet decision (pol_p6_decided, as the plans' timeline,
    data table pol_basic_plans, gives it), and the 1st plan's first fiscal year
    (pol_p1_start). ``plans`` as :func:`plan_investments` gives it."""
    sixth = plans.set_index("期").loc["第6期"]
    glue.text("pol_p6_start", text.fiscal_year(sixth["開始年度"]))
    glue.text("pol_p6_end", text.fiscal_year(sixth["終了年度"]))
    glue.text("pol_p6_decided", str(timeline.set_index("plan").loc["第6期", "decided"]))
    glue.text("pol_p1_start", text.fiscal_year(plans["開始年度"].iloc[0]))


def glue_plan_amounts(obs: pd.DataFrame, plans: pd.DataFrame) -> None:
    """Glue, as the sources gave them (兆円), the government R&D investment targets
    of the 1st, 2nd, 5th and 6th plans (pol_p1_target, pol_p2_target, pol_p5_target,
    pol_p6_target), the actuals of the 2nd and 5th (pol_p2_actual, pol_p5_actual)
    and the actual of the 1st and 2nd together (pol_cum12, 科学技術白書)."""
    target, actual = plans.set_index("期")["目標"], plans.set_index("期")["実績"]
    glue.text("pol_cum12", text.observation(obs, "basic_plan_gov_rd_actual_cum|JP|第1期・第2期"))
    glue.text("pol_p1_target", plan_amount(target["第1期"]))
    glue.text("pol_p2_target", plan_amount(target["第2期"]))
    glue.text("pol_p5_target", plan_amount(target["第5期"]))
    glue.text("pol_p6_target", plan_amount(target["第6期"]))
    glue.text("pol_p2_actual", plan_amount(actual["第2期"]))
    glue.text("pol_p5_actual", plan_amount(actual["第5期"]))


def glue_sixth_plan_progress(obs: pd.DataFrame) -> tuple[float, float, float]:
    """Glue the 6th plan's progress as its sources gave it: the government's R&D
    investment (pol_p6_progress), the public and private investment
    (pol_p6_total_progress), its target (pol_p6_total_target) and the share of
    that target reached (pol_p6_total_share, whole percent). Returns the three
    values (兆円): government, public and private, public and private target."""
    gov = data.lookup(obs, "basic_plan_gov_rd_progress|JP|第6期")
    total = data.lookup(obs, "basic_plan_total_rd_progress|JP|第6期")
    total_target = data.lookup(obs, "basic_plan_total_rd_target|JP|第6期")
    glue.given("pol_p6_progress", gov)
    glue.given("pol_p6_total_target", total_target)
    glue.given("pol_p6_total_progress", total)
    glue.text("pol_p6_total_share", text.rate(growth.share(total["value"], total_target["value"]), 0))
    return float(gov["value"]), float(total["value"]), float(total_target["value"])


# ---- chapter 01: ranks and counts of highly cited papers ----------------------

EDITION_SERIES = re.compile(r"^nistep(\d{4})_(?P<measure>\w+)$")


def rank_by_edition(obs: pd.DataFrame, measure: str = "top10_rank",
                    entity: str = "JP") -> pd.DataFrame:
    """Japan's (or ``entity``'s) NISTEP values per edition, for one ``measure``.

    Reads the headline series ``nistep_<measure>`` (each edition's latest
    3-year window, labelled 各版の最新値) and every edition series
    ``nistep<YYYY>_<measure>`` (values for earlier windows as stated in the
    edition of year YYYY, labelled 科学技術指標YYYY). Columns: 版, period,
    year, value, unit, source. Values within one edition share one citation
    cut-off and are comparable; values across editions are not strictly comparable.
    """
    frames = []
    headline = obs[(obs["series"] == f"nistep_{measure}") & (obs["entity"] == entity)]
    if not headline.empty:
        frames.append(headline.assign(版=LATEST))
    for series_id in sorted(obs["series"].unique()):
        match = EDITION_SERIES.match(series_id)
        if match and match.group("measure") == measure:
            rows = obs[(obs["series"] == series_id) & (obs["entity"] == entity)]
            if not rows.empty:
                frames.append(rows.assign(版=f"科学技術指標{match.group(1)}"))
    if not frames:
        raise KeyError(f"no NISTEP series for measure {measure!r}, entity {entity!r}")
    out = pd.concat(frames, ignore_index=True)[["版", "period", "year", "value", "unit", "source"]]
    return out.sort_values(["版", "year"]).reset_index(drop=True)


def edition(ranks: pd.DataFrame, name: str = LATEST) -> pd.DataFrame:
    """The rows of one edition (版) of :func:`rank_by_edition`, oldest window first."""
    rows = ranks[ranks["版"] == name]
    if rows.empty:
        raise KeyError(f"no values for edition {name!r}")
    return rows.reset_index(drop=True)


def glue_rank_ends(latest: pd.DataFrame, ed24: pd.DataFrame, top1: pd.DataFrame) -> None:
    """Glue the first and last ranks (位) and their windows of Japan's Top10% rank in
    each edition's latest window (pol_rank_*), in the 2024 edition (pol_rank24_*)
    and of its Top1% rank in each edition's latest window (pol_top1_*): each
    ``_first`` and ``_last``, the first two also ``_first_period`` and
    ``_last_period``. Frames as
    :func:`edition` gives them."""
    glue.ends(latest, first="pol_rank_first", last="pol_rank_last",
              first_period="pol_rank_first_period", last_period="pol_rank_last_period")
    glue.ends(ed24, first="pol_rank24_first", last="pol_rank24_last",
              first_period="pol_rank24_first_period", last_period="pol_rank24_last_period")
    glue.ends(top1, first="pol_top1_first", last="pol_top1_last")


def unchanged_streak(values: Iterable[float]) -> int:
    """How many of the last values equal the last one: [9, 12, 13, 13, 13] -> 3."""
    values = list(values)
    if not values:
        raise ValueError("no values")
    streak = 1
    while streak < len(values) and values[-streak - 1] == values[-1]:
        streak += 1
    return streak


def strictly_decreasing(values: Iterable[float]) -> bool:
    """Whether every value is below the one before it."""
    values = list(values)
    return len(values) > 1 and all(b < a for a, b in zip(values, values[1:], strict=False))


def grew(rows: pd.DataFrame) -> bool:
    """Whether a series (rows with ``value``, oldest first) ends above where it starts."""
    return bool(rows["value"].iloc[-1] > rows["value"].iloc[0])


def rank_fell(rows: pd.DataFrame) -> bool:
    """Whether a rank series (``value`` in 位, oldest first) ends on a lower place,
    that is a larger number, than it starts: 9位 -> 13位."""
    return grew(rows)


def rank_fell_by_edition(ranks: pd.DataFrame) -> pd.Series:
    """For each edition of :func:`rank_by_edition` but the headline series (LATEST),
    whether Japan's rank fell from its oldest window to its newest (a larger
    number); a boolean Series indexed by 版."""
    editions = ranks[ranks["版"] != LATEST].groupby("版")["value"]
    return editions.last() > editions.first()


def decline(rows: pd.DataFrame) -> tuple[float, float]:
    """How much a series (``year``, ``value``, oldest first) fell from its first row
    to its last: the fall as a fraction of the first value (0.168: 16.8% less) and
    the yearly rate of decline (minus the compound annual growth rate)."""
    first, last = rows.iloc[0], rows.iloc[-1]
    years = growth.years_between(first["year"], last["year"])
    return (1 - growth.multiple_of(last["value"], first["value"]),
            -growth.cagr(first["value"], last["value"], years))


def glue_count_decline(counts: pd.DataFrame, fall: float, yearly_fall: float) -> None:
    """Glue Japan's Top10% paper count (本) in the first and last window of one
    edition (pol_cnt_old, pol_cnt_new) and those windows (pol_cnt_old_period,
    pol_cnt_new_period), and its fall as a percentage of the first value
    (pol_cnt_change) and per year (pol_cnt_cagr), both from :func:`decline`."""
    glue.ends(counts, first="pol_cnt_old", last="pol_cnt_new",
              first_period="pol_cnt_old_period", last_period="pol_cnt_new_period")
    glue.text("pol_cnt_change", text.rate(fall))
    glue.text("pol_cnt_cagr", text.rate(yearly_fall))



def ranks_at_ends(other: pd.DataFrame, japan: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Another country's ranks and Japan's (位) in the first and the last window of
    the other's series, each indexed by those two periods. Both frames as
    :func:`edition` gives them (``period``, ``value``), from one edition."""
    others, japans = other.set_index("period")["value"], japan.set_index("period")["value"]
    ends = [others.index[0], others.index[-1]]
    return others[ends], japans[ends]


def glue_overtaking(korea: pd.Series, japan: pd.Series) -> None:
    """Glue Korea's and Japan's ranks (位) in the first and last window of Korea's
    series (pol_kr_old, pol_kr_new, pol_jp_old, pol_jp_new) and the first window
    (pol_kr_old_period). Series as :func:`ranks_at_ends` gives them."""
    glue.text("pol_kr_old_period", text.period(korea.index[0]))
    glue.amount("pol_kr_old", korea.iloc[0], "rank")
    glue.amount("pol_kr_new", korea.iloc[-1], "rank")
    glue.amount("pol_jp_old", japan.iloc[0], "rank")
    glue.amount("pol_jp_new", japan.iloc[-1], "rank")


def rank_chart(ranks: pd.DataFrame) -> alt.Chart:
    """Japan's rank per window, one line per edition (上ほど上位)."""
    frame = charts.sourced(ranks, text.unit_label("rank"), ranks["source"])
    return charts.line(frame, x="year", y="value", x_title="3年平均の中央の年", y_title="日本の順位（位）",
                       description="Top10%補正論文数の日本の世界順位。各版の最新値と、版ごとに示された過去の順位",
                       color="版", color_title="出典の版", y_zero=False, reverse_y=True)


def latest_counts(obs: pd.DataFrame, series_id: str = "nistep_top10_count") -> pd.DataFrame:
    """Every country's value in the latest window of ``series_id``, largest first.

    Columns: 国 (data.entity_label), value, ラベル, period, 単位, 出典.
    """
    rows = data.series(obs, series_id)
    rows = rows[rows["year"] == rows["year"].max()].sort_values("value", ascending=False)
    frame = pd.DataFrame({
        "国": [data.entity_label(e) for e in rows["entity"]],
        "value": rows["value"].to_numpy(),
        "ラベル": [text.given(v, u) for v, u in zip(rows["value"], rows["unit"], strict=True)],
        "period": rows["period"].to_numpy(),
    })
    return charts.sourced(frame, text.unit_label(rows["unit"].iloc[0]), rows["source"])


def glue_latest_counts(counts: pd.DataFrame) -> None:
    """Glue the Top10% paper counts (本) of China, the US, the UK and Korea in the
    latest window (pol_cnt_cn, pol_cnt_us, pol_cnt_uk, pol_cnt_kr), as the source
    gave them, and China's count as a multiple of Japan's, whole
    (pol_cnt_cn_ratio). ``counts`` as :func:`latest_counts` gives it."""
    by_country = counts.set_index("国")
    label, value = by_country["ラベル"], by_country["value"]
    glue.text("pol_cnt_cn", label[data.entity_label("CN")])
    glue.text("pol_cnt_us", label[data.entity_label("US")])
    glue.text("pol_cnt_uk", label[data.entity_label("UK")])
    glue.text("pol_cnt_kr", label[data.entity_label("KR")])
    glue.change("pol_cnt_cn_ratio", value[data.entity_label("JP")], value[data.entity_label("CN")],
                how="multiple", digits=0)


def count_chart(counts: pd.DataFrame) -> alt.Chart:
    """Bars of the latest Top10% counts by country, largest first."""
    window = text.period(counts["period"].iloc[0])
    return charts.bar(counts, x="国", y="value", x_title="国", y_title="Top10%補正論文数（本、年平均）",
                      labels="ラベル", sort=list(counts["国"]),
                      description=f"{window}平均のTop10%補正論文数：" + "、".join(counts["国"]))


# ---- chapter 01: R&D expenditure ------------------------------------------------


def rd_trend(obs: pd.DataFrame) -> tuple[pd.DataFrame, TrendFit]:
    """Japan's R&D expenditure (総務省) and its log-linear trend over the years with a source."""
    rd = data.series(obs, "rd_expenditure", "JP")
    return rd, stats.loglinear_trend(rd["year"], rd["value"])


def glue_rd_trend(rd: pd.DataFrame, gdp: pd.DataFrame, fit: TrendFit) -> None:
    """Glue Japan's first and last R&D expenditure (pol_rd_first, pol_rd_last, 億円)
    and their fiscal years (pol_rd_first_year, pol_rd_last_year), the first and
    last R&D to GDP ratio (pol_rd_gdp_first, pol_rd_gdp_last, %), and the
    log-linear trend: the number of years fitted (pol_rd_n), the yearly growth
    (pol_rd_rate) with its confidence interval (pol_rd_low, pol_rd_high, at the
    level pol_rd_level) and R² (pol_rd_r2). Source: 総務省 科学技術研究調査."""
    glue.ends(rd, first="pol_rd_first", last="pol_rd_last",
              first_period="pol_rd_first_year", last_period="pol_rd_last_year")
    glue.text("pol_rd_gdp_first", text.given(gdp["value"].iloc[0], "percent"))
    glue.text("pol_rd_gdp_last", text.given(gdp["value"].iloc[-1], "percent"))
    glue.text("pol_rd_n", text.count(fit.n, "つ"))
    glue.text("pol_rd_level", text.rate(fit.level, 0))
    glue.text("pol_rd_rate", text.rate(fit.rate, 2))
    glue.text("pol_rd_low", text.rate(fit.rate_low, 2))
    glue.text("pol_rd_high", text.rate(fit.rate_high, 2))
    glue.text("pol_rd_r2", text.num(fit.r_squared, 2))


def trend_frame(fit: TrendFit, first_year: int, last_year: int) -> pd.DataFrame:
    """Fitted values of a log-linear trend for every year from ``first_year`` to ``last_year``."""
    if last_year < first_year:
        raise ValueError("last_year must not be before first_year")
    years = np.arange(first_year, last_year + 1)
    return pd.DataFrame({"year": years.astype(int), "value": fit.predict(years).astype(float)})


def trend_chart(observed: pd.DataFrame, fitted: pd.DataFrame, y_title: str,
                description: str, x_title: str = "年度") -> alt.LayerChart:
    """Observed points and line (``year``, ``value``) with the fitted trend as a dashed line.

    Both frames carry ``charts.UNIT`` and ``charts.SOURCE``."""
    points = charts.line(observed.assign(系列="実績"), x="year", y="value", x_title=x_title,
                         y_title=y_title, description=description, color="系列",
                         color_title="", y_zero=False)
    trend = alt.Chart(fitted.assign(系列="対数線形トレンド")).mark_line(strokeDash=[6, 4]).encode(
        x=alt.X("year:Q"), y=alt.Y("value:Q"), color=alt.Color("系列:N", title=""))
    return alt.layer(points, trend, description=description)


def rd_trend_chart(rd: pd.DataFrame, fit: TrendFit, unit: str = "cho_yen") -> alt.LayerChart:
    """R&D expenditure in ``unit`` with its trend; the trend's rows cite every input."""
    observed = charts.sourced(pd.DataFrame({
        "year": rd["year"].to_numpy(),
        "value": [data.convert(v, u, unit) for v, u in zip(rd["value"], rd["unit"], strict=True)],
    }), text.unit_label(unit), rd["source"])
    fitted = trend_frame(fit, int(rd["year"].min()), int(rd["year"].max()))
    fitted["value"] = [data.convert(v, rd["unit"].iloc[0], unit) for v in fitted["value"]]
    keys = charts.joined_sources(rd["source"])
    fitted = charts.sourced(fitted, text.unit_label(unit), [keys] * len(fitted))
    return trend_chart(observed, fitted, y_title=f"研究開発費（{text.unit_label(unit)}、名目）",
                       description=f"日本の研究開発費（{text.unit_label(unit)}）の推移と対数線形トレンド")


RD_INDEX = "研究開発費（名目）"  # the index series of R&D expenditure (総務省)
PAPERS_INDEX = "Top10%補正論文数（科学技術指標2024）"  # the index series of Japan's Top10% papers (NISTEP)


def rd_papers_index(rd: pd.DataFrame, papers: pd.DataFrame) -> pd.DataFrame:
    """R&D expenditure and Japan's Top10% paper count as indices (:func:`index_frame`),
    named RD_INDEX and PAPERS_INDEX."""
    return index_frame({RD_INDEX: rd, PAPERS_INDEX: papers})


def index_now(index: pd.DataFrame) -> tuple[float, float]:
    """The last index value (first value = INDEX_BASE) of R&D expenditure and of the
    paper count in :func:`rd_papers_index`."""
    last = index.groupby("系列")["指数"].last()
    return float(last[RD_INDEX]), float(last[PAPERS_INDEX])


def glue_index_now(rd_now: float, papers_now: float) -> None:
    """Glue the base of the indices (pol_idx_base) and the last index value of R&D
    expenditure (pol_idx_rd) and of the paper count (pol_idx_papers), whole."""
    glue.text("pol_idx_base", text.num(INDEX_BASE))
    glue.text("pol_idx_rd", text.num(rd_now))
    glue.text("pol_idx_papers", text.num(papers_now))


def glue_private_share(obs: pd.DataFrame) -> None:
    """Glue the share of Japan's R&D expenditure that the private sector paid, as
    the source gave it (pol_rd_private, %), and its fiscal year (pol_rd_private_year).
    Source: 総務省 科学技術研究調査 (as reported)."""
    private = data.lookup(obs, "rd_private_share|JP|FY2021")
    glue.given("pol_rd_private", private)
    glue.text("pol_rd_private_year", text.period(private["period"]))


def index_frame(parts: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Each series of ``parts`` (系列 -> rows with year, value, source) as an index whose
    first value is INDEX_BASE. Columns: year, 系列, 指数, 単位, 出典 (the row's source
    and the base's: an index value is derived from both)."""
    frames = []
    for name, rows in parts.items():
        rows = rows.sort_values("year")
        base, base_source = rows["value"].iloc[0], rows["source"].iloc[0]
        frames.append(charts.sourced(pd.DataFrame({
            "year": rows["year"].to_numpy(), "系列": name,
            "指数": INDEX_BASE * rows["value"].to_numpy() / base,
        }), f"指数（最初の値＝{INDEX_BASE:g}）",
            [charts.joined_sources([base_source, s]) for s in rows["source"]]))
    return pd.concat(frames, ignore_index=True)


def index_chart(index: pd.DataFrame) -> alt.Chart:
    """Lines of the indices of :func:`index_frame` (first value = INDEX_BASE), one per 系列."""
    return charts.line(index, x="year", y="指数", x_title="年度・3年平均の中央の年",
                       y_title=f"指数（最初の値＝{INDEX_BASE:g}）",
                       description=f"研究開発費と日本のTop10%補正論文数の指数（最初の値を{INDEX_BASE:g}）",
                       color="系列", color_title="", y_zero=False)
