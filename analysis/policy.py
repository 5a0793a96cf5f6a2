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
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import altair as alt
import numpy as np
import pandas as pd

from analysis import charts, data, stats, text
from analysis.stats import TrendFit

PLANS = ["第1期", "第2期", "第3期", "第4期", "第5期", "第6期"]
INDEX_BASE = 100.0  # the first value of an index
LATEST = "各版の最新値"  # the headline series of NISTEP's editions (each edition's latest window)
PLAN_UNIT = "cho_yen"  # the basic plans' investment targets and actuals are stated in 兆円


# ---- small texts ------------------------------------------------------------






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
    return {"算出値": written + "（算出値）", "見込": "約" + written + "超（見込）"}.get(kind, written)


def plan_table(plans: pd.DataFrame, timeline: pd.DataFrame) -> pd.DataFrame:
    """The basic plans' table: years, cabinet decision, target, actual, feature and source."""
    table = plans.merge(timeline, left_on="期", right_on="plan", how="left")
    return pd.DataFrame({
        "期": table["期"],
        "対象年度": [f"{a}〜{b}年度" for a, b in zip(table["開始年度"], table["終了年度"], strict=True)],
        "閣議決定": table["decided"],
        "政府研究開発投資の目標": [plan_amount(v) for v in table["目標"]],
        "実績・見込": [plan_amount(v, k) for v, k in zip(table["実績"], table["実績の種類"], strict=True)],
        "特徴": table["feature"],
        "出典": ["{cite}`" + s + "`" for s in table["source"]],
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
    return charts.line(index, x="year", y="指数", x_title="年度・3年平均の中央の年",
                       y_title=f"指数（最初の値＝{INDEX_BASE:g}）",
                       description=f"研究開発費と日本のTop10%補正論文数の指数（最初の値を{INDEX_BASE:g}）",
                       color="系列", color_title="", y_zero=False)
