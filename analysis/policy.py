"""Helpers for the chapters on the basic plans (01_policy) and the K Program (02_kprogram).

Everything here reads the tidy observations (``analysis.data.observations()``)
and returns small frames ready for tables and charts. Derived values (a plan's
actual investment obtained by subtraction, amounts converted to 億円) are
computed here and labelled as such; nothing is written back to the data.

Sources of the series used: 文部科学省 科学技術白書 and NISTEP 科学技術指標
(see ``data/observations/policy.csv``) and the K Program files
(``data/observations/kprogram.csv``).
"""

from __future__ import annotations

import re

import altair as alt
import numpy as np
import pandas as pd

from analysis import charts, data
from analysis.stats import TrendFit

PLANS = ["第1期", "第2期", "第3期", "第4期", "第5期", "第6期"]


def to_oku_yen(value: float, unit: str) -> float:
    """``value`` in ``unit`` (a yen unit of data/units.csv) converted to 億円.

    Raises ``ValueError`` for a unit that is not an amount in yen.
    """
    table = data.units()
    if unit not in table.index or table.loc[unit, "dimension"] != "jpy":
        raise ValueError(f"unit {unit!r} is not an amount in yen")
    return data.convert(value, unit, "oku_yen")


def _value_or_nan(obs: pd.DataFrame, ref: str) -> float:
    try:
        return data.value(obs, ref)
    except KeyError:
        return float("nan")


def plan_investments(obs: pd.DataFrame) -> pd.DataFrame:
    """Government R&D investment target and actual of each basic plan (兆円).

    Columns: 期, 開始年度, 終了年度, 目標, 実績, 実績の種類. 実績 is the sourced
    actual where one exists; for 第1期 it is derived as (第1期+第2期 total) −
    第2期 actual (実績の種類 = 算出値); for 第6期 it is the sourced estimate of
    progress (実績の種類 = 見込). A plan with no sourced actual has NaN.
    """
    rows = []
    cum = _value_or_nan(obs, "basic_plan_gov_rd_actual_cum|JP|第1期・第2期")
    for plan in PLANS:
        actual = _value_or_nan(obs, f"basic_plan_gov_rd_actual|JP|{plan}")
        kind = "実績" if not np.isnan(actual) else ""
        if plan == "第1期" and np.isnan(actual):
            second = _value_or_nan(obs, "basic_plan_gov_rd_actual|JP|第2期")
            actual = round(cum - second, 6)
            kind = "算出値" if not np.isnan(actual) else ""
        if plan == "第6期" and np.isnan(actual):
            actual = _value_or_nan(obs, "basic_plan_gov_rd_progress|JP|第6期")
            kind = "見込" if not np.isnan(actual) else ""
        rows.append({
            "期": plan,
            "開始年度": int(data.value(obs, f"basic_plan_start_fy|JP|{plan}")),
            "終了年度": int(data.value(obs, f"basic_plan_end_fy|JP|{plan}")),
            "目標": data.value(obs, f"basic_plan_gov_rd_target|JP|{plan}"),
            "実績": actual,
            "実績の種類": kind,
        })
    return pd.DataFrame(rows)


EDITION_SERIES = re.compile(r"^nistep(\d{4})_(?P<measure>\w+)$")


def rank_by_edition(obs: pd.DataFrame, measure: str = "top10_rank",
                    entity: str = "JP") -> pd.DataFrame:
    """Japan's (or ``entity``'s) NISTEP values per edition, for one ``measure``.

    Reads the headline series ``nistep_<measure>`` (each edition's latest
    3-year window, labelled 各版の最新値) and every edition series
    ``nistep<YYYY>_<measure>`` (values for earlier windows as stated in the
    edition of year YYYY, labelled 科学技術指標YYYY). Columns: 版, period,
    year, value. Values within one edition share one citation cut-off and are
    comparable; values across editions are not strictly comparable.
    """
    frames = []
    headline = obs[(obs["series"] == f"nistep_{measure}") & (obs["entity"] == entity)]
    if not headline.empty:
        frames.append(headline.assign(版="各版の最新値"))
    for series_id in sorted(obs["series"].unique()):
        match = EDITION_SERIES.match(series_id)
        if match and match.group("measure") == measure:
            rows = obs[(obs["series"] == series_id) & (obs["entity"] == entity)]
            if not rows.empty:
                frames.append(rows.assign(版=f"科学技術指標{match.group(1)}"))
    if not frames:
        raise KeyError(f"no NISTEP series for measure {measure!r}, entity {entity!r}")
    out = pd.concat(frames, ignore_index=True)[["版", "period", "year", "value"]]
    return out.sort_values(["版", "year"]).reset_index(drop=True)


def trend_frame(fit: TrendFit, first_year: int, last_year: int) -> pd.DataFrame:
    """Fitted values of a log-linear trend for every year from ``first_year`` to ``last_year``."""
    if last_year < first_year:
        raise ValueError("last_year must not be before first_year")
    years = np.arange(first_year, last_year + 1)
    return pd.DataFrame({"year": years.astype(int), "value": fit.predict(years).astype(float)})


def trend_chart(observed: pd.DataFrame, fitted: pd.DataFrame, y_title: str,
                description: str, x_title: str = "年度") -> alt.LayerChart:
    """Observed points and line (``year``, ``value``) with the fitted trend as a dashed line."""
    points = charts.line(observed.assign(系列="実績"), x="year", y="value", x_title=x_title,
                         y_title=y_title, description=description, color="系列",
                         color_title="", y_zero=False)
    trend = alt.Chart(fitted.assign(系列="対数線形トレンド")).mark_line(strokeDash=[6, 4]).encode(
        x=alt.X("year:Q"), y=alt.Y("value:Q"), color=alt.Color("系列:N", title=""))
    return alt.layer(points, trend, description=description)


def scale_table(obs: pd.DataFrame, items: list[tuple[str, str, str]]) -> pd.DataFrame:
    """Amounts to compare, converted to 億円.

    ``items`` holds (label, reference ``series|entity|period``, nature) triples;
    nature says what kind of amount it is (a multi-year fund or a year's spending),
    because a fund and a yearly flow are not the same quantity.
    Columns: 項目, 性質, 期間, 億円, 出典.
    """
    rows = []
    for label, ref, nature in items:
        row = data.lookup(obs, ref)
        rows.append({"項目": label, "性質": nature, "期間": row["period"],
                     "億円": to_oku_yen(row["value"], row["unit"]), "出典": row["source"]})
    return pd.DataFrame(rows)
