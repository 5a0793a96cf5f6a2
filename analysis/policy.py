"""Helpers for the chapters on the basic plans (01_policy) and the K Program (02_kprogram).

Everything here reads the tidy observations (``analysis.data.observations()``)
and returns small frames ready for tables and charts. Derived values (a plan's
actual investment obtained by subtraction, amounts converted between yen
units, indices) are computed here and labelled as such; nothing is written
back to the data. Every frame a chart plots carries the columns
``charts.UNIT`` and ``charts.SOURCE`` (the references.bib keys of the values
of each row; a derived row lists the keys of its inputs).

Sources of the series used: 文部科学省 科学技術白書 and NISTEP 科学技術指標
(see ``data/observations/policy.csv``) and the K Program files
(``data/observations/kprogram.csv``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import altair as alt
import numpy as np
import pandas as pd

from analysis import charts, data, stats, units
from analysis.stats import TrendFit

PLANS = ["第1期", "第2期", "第3期", "第4期", "第5期", "第6期"]
INDEX_BASE = 100.0  # the first value of an index
LATEST = "各版の最新値"  # the headline series of NISTEP's editions (each edition's latest window)
PLAN_UNIT = "cho_yen"  # the basic plans' investment targets and actuals are stated in 兆円


# ---- small texts and conversions ---------------------------------------------


def to_oku_yen(value: float, unit: str) -> float:
    """``value`` in ``unit`` (a yen unit of data/units.csv) converted to 億円.

    Raises ``ValueError`` for a unit that is not an amount in yen.
    """
    table = data.units()
    if unit not in table.index or table.loc[unit, "dimension"] != "jpy":
        raise ValueError(f"unit {unit!r} is not an amount in yen")
    return data.convert(value, unit, "oku_yen")


def oku_yen_of(obs: pd.DataFrame, ref: str) -> float:
    """The observation ``ref`` (``series|entity|period``) in 億円, whatever yen unit it is stated in."""
    row = data.lookup(obs, ref)
    return to_oku_yen(row["value"], row["unit"])


def amount_of(obs: pd.DataFrame, ref: str) -> str:
    """The observation ``ref`` written with its own unit: '2兆円', '5,000億円', '27技術'."""
    row = data.lookup(obs, ref)
    return units.given(row["value"], row["unit"])


def period_text(period: str) -> str:
    """A period label of the data for prose: '2013-2015' -> '2013〜2015年', 'FY2003' -> '2003年度'."""
    if period.startswith("FY"):
        return period[2:] + "年度"
    if re.fullmatch(r"\d{4}-\d{4}", period):
        return period.replace("-", "〜") + "年"
    return period


def unit_label(unit: str) -> str:
    """The Japanese label of a unit of data/units.csv: 'papers' -> '本'."""
    return str(data.units().loc[unit, "label_ja"])


def _keys(values: Iterable[str]) -> str:
    """Source keys joined by spaces, each once, in order."""
    return " ".join(dict.fromkeys(k for v in values for k in str(v).split() if k))


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
            kind, source = ("算出値", _keys([cum_source, second_source])) if derived else ("", "")
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
    text = units.given(value, PLAN_UNIT)
    return {"算出値": text + "（算出値）", "見込": "約" + text + "超（見込）"}.get(kind, text)


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
        charts.sourced(plans.assign(区分="目標", 値=plans["目標"]), unit_label(PLAN_UNIT),
                       plans["目標の出典"]),
        charts.sourced(known.assign(区分=known["実績の種類"].map(PLAN_KINDS), 値=known["実績"]),
                       unit_label(PLAN_UNIT), known["実績の出典"]),
    ], ignore_index=True)
    return charts.grouped_bar(
        long[["期", "区分", "値", charts.UNIT, charts.SOURCE]], x="期", y="値", group="区分",
        x_title="基本計画", y_title=f"政府研究開発投資（{unit_label(PLAN_UNIT)}）", group_title="",
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
    frame = charts.sourced(ranks, unit_label("rank"), ranks["source"])
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
        "ラベル": [units.given(v, u) for v, u in zip(rows["value"], rows["unit"], strict=True)],
        "period": rows["period"].to_numpy(),
    })
    return charts.sourced(frame, unit_label(rows["unit"].iloc[0]), rows["source"])


def count_chart(counts: pd.DataFrame) -> alt.Chart:
    """Bars of the latest Top10% counts by country, largest first."""
    window = period_text(counts["period"].iloc[0])
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
    }), unit_label(unit), rd["source"])
    fitted = trend_frame(fit, int(rd["year"].min()), int(rd["year"].max()))
    fitted["value"] = [data.convert(v, rd["unit"].iloc[0], unit) for v in fitted["value"]]
    fitted = charts.sourced(fitted, unit_label(unit), [_keys(rd["source"])] * len(fitted))
    return trend_chart(observed, fitted, y_title=f"研究開発費（{unit_label(unit)}、名目）",
                       description=f"日本の研究開発費（{unit_label(unit)}）の推移と対数線形トレンド")


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
        }), f"指数（最初の値＝{INDEX_BASE:g}）", [_keys([base_source, s]) for s in rows["source"]]))
    return pd.concat(frames, ignore_index=True)


def index_chart(index: pd.DataFrame) -> alt.Chart:
    return charts.line(index, x="year", y="指数", x_title="年度・3年平均の中央の年",
                       y_title=f"指数（最初の値＝{INDEX_BASE:g}）",
                       description=f"研究開発費と日本のTop10%補正論文数の指数（最初の値を{INDEX_BASE:g}）",
                       color="系列", color_title="", y_zero=False)


# ---- chapter 02: the K Program -------------------------------------------------


def fund_breakdown(obs: pd.DataFrame) -> pd.DataFrame:
    """The K Program fund by supplementary budget and funding agency (億円).

    令和3年度補正 splits into JST (sourced) and NEDO (derived: the budget minus
    JST's share, citing both); 令和4年度補正 has no sourced split.
    Columns: 補正予算, 億円, 内訳, 単位, 出典.
    """
    r3 = data.lookup(obs, "kprogram_fund_budget|JP|令和3年度補正")
    r4 = data.lookup(obs, "kprogram_fund_budget|JP|令和4年度補正")
    jst = data.lookup(obs, "kprogram_fund_budget|JST|令和3年度補正")
    r3_oku, jst_oku = to_oku_yen(r3["value"], r3["unit"]), to_oku_yen(jst["value"], jst["unit"])
    frame = pd.DataFrame({
        "補正予算": [r3["period"], r3["period"], r4["period"]],
        "億円": [jst_oku, r3_oku - jst_oku, to_oku_yen(r4["value"], r4["unit"])],
        "内訳": ["JST（出典）", "NEDO（差し引きの算出値）", "機関別の内訳は未確認"],
    })
    return charts.sourced(frame, unit_label("oku_yen"),
                    [jst["source"], _keys([r3["source"], jst["source"]]), r4["source"]])


def fund_chart(fund: pd.DataFrame) -> alt.Chart:
    budgets = list(dict.fromkeys(fund["補正予算"]))
    return charts.bar(fund, x="補正予算", y="億円", x_title="補正予算", y_title="基金への措置額（億円）",
                      color="内訳", color_title="", sort=budgets,
                      description=f"K Program の基金：{'と'.join(budgets)}の措置額と資金配分機関別の内訳")


ADOPTION_SERIES = {"kprogram_tech_adopted": "採択のあった技術の数", "kprogram_projects_adopted": "採択件数"}


def domain_adoptions(obs: pd.DataFrame) -> pd.DataFrame:
    """Adoptions by domain (the domain rows of both adoption series; the national
    totals, entity JP, are left out). Columns: 領域, 区分, value, period, 単位, 出典."""
    frames = []
    for series_id, name in ADOPTION_SERIES.items():
        rows = data.series(obs, series_id)
        rows = rows[rows["entity"] != "JP"]
        frames.append(pd.DataFrame({
            "領域": [data.entity_label(e) for e in rows["entity"]], "区分": name,
            "value": rows["value"].to_numpy(), "period": rows["period"].to_numpy(),
            charts.UNIT: [unit_label(u) for u in rows["unit"]], charts.SOURCE: rows["source"].to_numpy(),
        }))
    return pd.concat(frames, ignore_index=True)


def top_domains(adoptions: pd.DataFrame) -> set[str]:
    """The domain with the most adoptions in each 区分 (one name when they agree)."""
    return {rows.loc[rows["value"].idxmax(), "領域"] for _, rows in adoptions.groupby("区分")}


def domain_chart(adoptions: pd.DataFrame) -> alt.Chart:
    window = adoptions["period"].iloc[0]
    return charts.grouped_bar(adoptions, x="領域", y="value", group="区分", x_title="領域", y_title="数",
                              group_title="", sort=list(dict.fromkeys(adoptions["領域"])),
                              description=f"K Program の領域別の採択：{'と'.join(ADOPTION_SERIES.values())}"
                                          f"（{window}時点）")


def scale_table(obs: pd.DataFrame, items: list[tuple[str, str, str]]) -> pd.DataFrame:
    """Amounts to compare, converted to 億円.

    ``items`` holds (label, reference ``series|entity|period``, nature) triples;
    nature says what kind of amount it is (a multi-year fund or a year's spending),
    because a fund and a yearly flow are not the same quantity.
    Columns: 項目, 性質, 期間, 億円, ラベル, 単位, 出典.
    """
    rows = []
    for label, ref, nature in items:
        row = data.lookup(obs, ref)
        amount = to_oku_yen(row["value"], row["unit"])
        rows.append({"項目": label, "性質": nature, "期間": row["period"], "億円": amount,
                     "ラベル": units.amount(amount, "oku_yen"), charts.UNIT: unit_label("oku_yen"),
                     charts.SOURCE: row["source"]})
    return pd.DataFrame(rows)


def scale_chart(scale: pd.DataFrame, description: str) -> alt.Chart:
    return charts.bar(scale, x="項目", y="億円", x_title="", y_title="金額（億円）", color="性質",
                      color_title="", labels="ラベル", sort=list(scale["項目"]), description=description)
