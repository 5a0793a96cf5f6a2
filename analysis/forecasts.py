"""Market forecasts of the quantum chapter (03_quantum): editions, CAGR checks, FX, charts.

Data (see ``data/schema.csv``):

- ``data/observations/quantum.csv``: one series per forecast edition
  (``q_qcm_<edition>``: its base and end values, in the unit the source
  states), the CAGR the publisher states (``q_qcm_<edition>_cagr``, percent)
  and the yen/dollar annual averages of the Federal Reserve's G.5A release
  (``q_fx_jpy_usd``, 円/ドル);
- ``data/tables/q_forecast_editions.csv``: one row per edition: publisher,
  label, the stated CAGR window and its first year, and a base value whose
  year the source does not give (Fortune Business Insights' older edition).

Every amount is converted through the ``to_base`` factors of
``data/units.csv``, so the editions can state their values in 百万ドル,
十億ドル or 億ドル. Amounts in this module's outputs are in 億ドル
(100 million US dollars); rates are percent per year unless a name says
``fraction``. Nothing here holds a number from a source: all come from the
data files.
"""

from __future__ import annotations

import math
from decimal import Decimal

import altair as alt
import pandas as pd

from analysis import charts, data, fmt, growth

OUT_UNIT = "oku_usd"
"""Unit of every amount this module returns (億ドル)."""

FX_SERIES = "q_fx_jpy_usd"
"""Observation series of the yen/dollar rates (円/ドル, FRB G.5A annual averages)."""

RATE_PARAM = "q_rate"
"""Name of the Vega-Lite parameter bound to the growth-rate slider."""

# Labels of the CAGR check (computed, never typed into data).
REPRODUCED = "再現できる"
WITHIN_ROUNDING = "端点の丸めの範囲で再現できる"
NOT_REPRODUCED = "再現できない"
NO_STATED_CAGR = "CAGRの記載なし"
UNDATED_BASE = "起点の年が不明"


# ---- units ------------------------------------------------------------------


def convert(value: float, unit: str, target: str = OUT_UNIT) -> float:
    """``value`` in ``unit`` expressed in ``target`` (default: the chapter's 億ドル);
    see :func:`analysis.data.convert`: 12,620.7 百万ドル -> 126.207 億ドル."""
    return data.convert(value, unit, target)


def yen_to_usd(value: float, unit: str, yen_per_usd: float, target: str = OUT_UNIT) -> float:
    """A yen amount (``unit`` of dimension jpy) in dollars (``target``) at ``yen_per_usd``.

    50 兆円 at 140 円/ドル -> 3,571.4 億ドル. The rate is an explicit argument:
    callers pass a sourced rate or a value of an assumption grid.
    """
    if not yen_per_usd > 0:
        raise ValueError(f"yen_per_usd must be positive, got {yen_per_usd!r}")
    table = data.units()
    if table.loc[unit, "dimension"] != "jpy" or table.loc[target, "dimension"] != "usd":
        raise ValueError(f"need a yen unit and a dollar unit, got {unit!r} and {target!r}")
    yen = float(value) * float(table.loc[unit, "to_base"])
    return yen / float(yen_per_usd) / float(table.loc[target, "to_base"])


# ---- growth helpers ---------------------------------------------------------


def span_years(start: float, end: float, rate_pct: float) -> float:
    """Years that growth at ``rate_pct`` %/year needs to take ``start`` to ``end``.

    ``ln(end / start) / ln(1 + rate)``; same unit for both values. Used to
    date a base value that a source gives without its year.
    """
    if not rate_pct > -100:
        raise ValueError(f"rate must be above -100 %, got {rate_pct!r}")
    if rate_pct == 0:
        raise ValueError("a zero rate never changes the value")
    growth.cagr(start, end, 1)  # validates both values are positive
    return math.log(end / start) / math.log(1.0 + rate_pct / 100.0)


def rounding_step(value: float) -> float:
    """The unit of the last digit of ``value`` as written: 1160.1 -> 0.1, 412 -> 1.

    Read from the shortest decimal form of the float (the CSV's text), so a
    stated trailing zero ("1.10") is not seen and the step is taken coarser,
    which only widens the bounds of :func:`cagr_bounds`.
    """
    exponent = Decimal(repr(float(value))).normalize().as_tuple().exponent
    return float(Decimal(1).scaleb(min(int(exponent), 0)))


def cagr_bounds(start: float, end: float, years: float) -> tuple[float, float]:
    """Lowest and highest CAGR (%/year) that the rounded endpoints allow.

    Each endpoint may be anywhere within half a step of its last digit
    (:func:`rounding_step`): the low bound grows the highest start to the
    lowest end, the high bound the reverse.
    """
    hs, he = rounding_step(start) / 2, rounding_step(end) / 2
    low = growth.cagr(start + hs, end - he, years)
    high = growth.cagr(start - hs, end + he, years)
    return 100.0 * low, 100.0 * high


def check_cagr(stated_pct: float, recomputed_pct: float, low_pct: float, high_pct: float) -> str:
    """Whether the stated CAGR follows from the endpoints (a label, computed).

    The stated rate is rounded to one decimal, so a recomputed rate within
    0.05 point reproduces it; a stated rate inside the rounding bounds
    (:func:`cagr_bounds`) is reproduced up to the rounding of the endpoints.
    """
    if data.missing(stated_pct):
        return NO_STATED_CAGR
    if data.missing(recomputed_pct):
        return UNDATED_BASE
    if abs(recomputed_pct - stated_pct) <= 0.05 + 1e-9:
        return REPRODUCED
    if low_pct - 0.05 <= stated_pct <= high_pct + 0.05:
        return WITHIN_ROUNDING
    return NOT_REPRODUCED


# ---- editions ----------------------------------------------------------------


def editions(obs: pd.DataFrame, meta: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per forecast edition, amounts in 億ドル, CAGRs in %/year.

    Columns: edition, publisher, label, scope, confidence, source, base_year,
    base, end_year, end, stated_cagr, cagr_window, cagr_start_year,
    recomputed_cagr (from the two endpoints over their years), cagr_low /
    cagr_high (bounds from rounding), check (label), implied_span (years
    that the stated CAGR needs from base to end, for an undated base),
    implied_base_year (end year minus that span, rounded) and window_base
    (the value in the first year of the stated CAGR window that the stated
    CAGR implies: end / (1 + CAGR) ** (end year - window start)).
    """
    meta = data.table("q_forecast_editions") if meta is None else meta
    rows = []
    for _, m in meta.iterrows():
        points = data.series(obs, m["edition"])
        end = points.iloc[-1]
        stated = _stated_cagr(obs, m["edition"])
        if len(points) >= 2:
            base = points.iloc[0]
            base_year, base_value, base_unit = int(base["year"]), base["value"], base["unit"]
        else:
            base_year, base_value = math.nan, float(m["undated_base_value"])
            base_unit = m["undated_base_unit"]
        b = convert(base_value, base_unit)
        e = convert(end["value"], end["unit"])
        row = {
            "edition": m["edition"], "publisher": m["publisher"], "label": m["label"],
            "scope": m["scope"], "confidence": end["confidence"], "source": m["source"],
            "base_year": base_year, "base": b, "end_year": int(end["year"]), "end": e,
            "stated_cagr": stated, "cagr_window": m["cagr_window"],
            "cagr_start_year": _int_or_nan(m["cagr_start_year"]),
            "recomputed_cagr": math.nan, "cagr_low": math.nan, "cagr_high": math.nan,
            "implied_span": math.nan, "implied_base_year": math.nan, "window_base": math.nan,
        }
        if not data.missing(stated) and not data.missing(row["cagr_start_year"]):
            row["window_base"] = growth.implied_base(
                e, (1.0 + stated / 100.0) ** (row["end_year"] - row["cagr_start_year"]))
        if not data.missing(base_year):
            years = growth.years_between(base_year, row["end_year"])
            row["recomputed_cagr"] = 100.0 * growth.cagr(base_value * _factor(base_unit, end["unit"]),
                                                         end["value"], years)
            row["cagr_low"], row["cagr_high"] = _bounds_in_end_unit(base_value, base_unit, end, years)
        elif not data.missing(stated):
            span = span_years(b, e, stated)
            row["implied_span"] = span
            row["implied_base_year"] = row["end_year"] - round(span)
        row["check"] = check_cagr(stated, row["recomputed_cagr"], row["cagr_low"], row["cagr_high"])
        rows.append(row)
    return pd.DataFrame(rows)


def _factor(unit: str, target: str) -> float:
    return convert(1.0, unit, target)


def _bounds_in_end_unit(base_value: float, base_unit: str, end: pd.Series,
                        years: int) -> tuple[float, float]:
    """Rounding bounds with each endpoint's step taken in its own stated unit."""
    hs = rounding_step(base_value) / 2 * _factor(base_unit, end["unit"])
    he = rounding_step(end["value"]) / 2
    start = base_value * _factor(base_unit, end["unit"])
    low = growth.cagr(start + hs, end["value"] - he, years)
    high = growth.cagr(start - hs, end["value"] + he, years)
    return 100.0 * low, 100.0 * high


def _stated_cagr(obs: pd.DataFrame, edition: str) -> float:
    rows = obs[obs["series"] == f"{edition}_cagr"]
    return float(rows["value"].iloc[0]) if not rows.empty else math.nan


def _int_or_nan(x: object) -> float:
    return math.nan if data.missing(x) else int(x)


def value_at(edition: pd.Series, year: int) -> float:
    """An edition's value (億ドル) in ``year``: its own end value in its end year,
    otherwise its base grown at its stated CAGR (a projection, not a source value)."""
    if int(year) == int(edition["end_year"]):
        return float(edition["end"])
    if data.missing(edition["base_year"]) or data.missing(edition["stated_cagr"]):
        raise ValueError(f"edition {edition['edition']!r} cannot be projected to {year}")
    return growth.project(edition["base"], edition["stated_cagr"] / 100.0,
                          int(year) - int(edition["base_year"]))


def revision(table: pd.DataFrame, old: str, new: str, year: int) -> dict[str, float]:
    """How a newer edition changed the value for ``year``: old, new (億ドル) and change (%).

    A value the edition does not state for ``year`` is projected with
    :func:`value_at`.
    """
    rows = table.set_index("edition", drop=False)
    o = value_at(rows.loc[old], year)
    n = value_at(rows.loc[new], year)
    return {"year": int(year), "old": o, "new": n, "change_pct": 100.0 * (n / o - 1.0)}


def path(base: float, base_year: int, rate_pct: float, end_year: int) -> pd.DataFrame:
    """Yearly values from ``base`` (any unit) grown at ``rate_pct`` %/year, with columns year, value."""
    years = range(int(base_year), int(end_year) + 1)
    return pd.DataFrame({"year": list(years),
                         "value": [growth.project(base, rate_pct / 100.0, y - base_year) for y in years]})


# ---- exchange rates ------------------------------------------------------------


def fx_rates(obs: pd.DataFrame) -> pd.DataFrame:
    """The sourced yen/dollar annual averages (円/ドル): year, period, rate, source."""
    rows = data.series(obs, FX_SERIES)
    return pd.DataFrame({"year": rows["year"].astype(int), "period": rows["period"],
                         "rate": rows["value"].astype(float), "source": rows["source"]})


def fx_grid(low: float, high: float, step: float) -> list[float]:
    """An assumption grid of rates from ``low`` to ``high`` (円/ドル) by ``step``."""
    if not (0 < low <= high and step > 0):
        raise ValueError(f"need 0 < low <= high and step > 0, got {low}, {high}, {step}")
    count = int(round((high - low) / step))
    return [float(low + i * step) for i in range(count + 1)]


def scale_gap(target_value: float, target_unit: str, rates: list[float],
              market: float) -> pd.DataFrame:
    """A yen target in 億ドル at each rate, and how many times ``market`` (億ドル) it is.

    Columns: rate (円/ドル), target (億ドル), times (target / market).
    """
    rows = []
    for rate in rates:
        usd = yen_to_usd(target_value, target_unit, rate)
        rows.append({"rate": float(rate), "target": usd, "times": growth.multiple(usd, market)})
    return pd.DataFrame(rows)


# ---- charts --------------------------------------------------------------------


def growth_slider_chart(base: float, base_year: int, end_year: int, default_rate: float,
                        points: pd.DataFrame, description: str,
                        rate_min: float = 0.0, rate_max: float = 60.0,
                        step: float = 0.5) -> alt.LayerChart:
    """Market path from ``base`` (億ドル) at a growth rate the reader sets with a slider.

    ``points`` (columns year, value in 億ドル, label) are the published
    forecast values drawn as fixed markers. The slider is a Vega-Lite
    parameter (``alt.param`` bound to ``alt.binding_range``) named
    :data:`RATE_PARAM`; its ``default_rate`` is what the static image (PDF)
    shows. The y axis is fixed so the line moves against the markers.
    """
    rate = alt.param(name=RATE_PARAM, value=float(default_rate),
                     bind=alt.binding_range(min=rate_min, max=rate_max, step=step,
                                            name="年平均成長率（%）"))
    years = pd.DataFrame({"year": list(range(int(base_year), int(end_year) + 1))})
    top = max(float(points["value"].max()), growth.project(base, default_rate / 100, end_year - base_year))
    domain = [0, 50 * math.ceil(1.6 * top / 50)]
    y = alt.Y("value:Q", title="市場規模（億ドル）", scale=alt.Scale(domain=domain, clamp=True))
    x = alt.X("year:Q", title="年", axis=_year_axis(base_year, end_year),
              scale=alt.Scale(domain=[int(base_year), int(end_year)]))
    grown = alt.Chart(years).transform_calculate(
        value=f"{float(base)} * pow(1 + {RATE_PARAM} / 100, datum.year - {int(base_year)})")
    line = grown.mark_line(point=True, color=charts.PALETTE[0]).encode(
        x=x, y=y, tooltip=[alt.Tooltip("year:Q", title="年"),
                           alt.Tooltip("value:Q", title="億ドル", format=",.1f")])
    label = grown.transform_filter(f"datum.year == {int(end_year)}").transform_calculate(
        text=f"format({RATE_PARAM}, '.1f') + '%/年 → ' + format(datum.value, ',.1f') + '億ドル'"
    ).mark_text(align="right", dx=-8, dy=-12, fontSize=12, color=charts.PALETTE[0]).encode(
        x=x, y=y, text="text:N")
    legend = alt.Legend(columns=2, labelLimit=320)
    labels = list(dict.fromkeys(points["label"]))
    marks = alt.Chart(points).mark_point(filled=True, size=80, opacity=0.9).encode(
        x=x, y=y,
        # order by scale domain, not ``sort``: a custom sort stops Vega-Lite
        # from merging the shape and colour legends into one
        shape=alt.Shape("label:N", title="公表された予測値", legend=legend,
                        scale=alt.Scale(domain=labels)),
        color=alt.Color("label:N", title="公表された予測値", legend=legend,
                        scale=alt.Scale(domain=labels, range=charts.PALETTE[1:])),
        tooltip=[alt.Tooltip("label:N", title="予測"), alt.Tooltip("year:Q", title="年"),
                 alt.Tooltip("value:Q", title="億ドル", format=",.1f")])
    return alt.layer(line, label, marks, description=description).add_params(rate)


def _year_axis(first: int, last: int) -> alt.Axis:
    """Whole-year ticks, every other year when the span is long (labels stay apart)."""
    step = 1 if last - first <= 9 else 2
    return alt.Axis(format="d", values=list(range(int(first), int(last) + 1, step)))


def editions_chart(table: pd.DataFrame, description: str) -> alt.Chart:
    """Each edition from its base to its end value (億ドル, log scale).

    An edition whose base year is unknown is drawn as its end point only;
    an edition of unconfirmed attribution is dashed.
    """
    dated = table[table["base_year"].notna()]
    frame = pd.concat([
        pd.DataFrame({"label": dated["label"], "year": dated["base_year"].astype(int),
                      "value": dated["base"], "confidence": dated["confidence"]}),
        pd.DataFrame({"label": table["label"], "year": table["end_year"].astype(int),
                      "value": table["end"], "confidence": table["confidence"]}),
    ], ignore_index=True)
    frame["帰属"] = frame["confidence"].map(lambda c: "未確認" if c == "unconfirmed" else "確認済み")
    first, last = int(frame["year"].min()), int(frame["year"].max())
    x = alt.X("year:Q", title="年", axis=_year_axis(first, last), scale=alt.Scale(domain=[first, last]))
    y = alt.Y("value:Q", title="市場規模（億ドル、対数目盛）", scale=alt.Scale(type="log"))
    color = alt.Color("label:N", title="予測（版）", sort=list(table["label"]),
                      legend=alt.Legend(columns=2, labelLimit=320))
    tooltip = [alt.Tooltip("label:N", title="予測"), alt.Tooltip("year:Q", title="年"),
               alt.Tooltip("value:Q", title="億ドル", format=",.1f")]
    base = alt.Chart(frame)
    lines = base.mark_line(strokeWidth=2).encode(
        x=x, y=y, color=color, tooltip=tooltip,
        strokeDash=alt.StrokeDash("帰属:N", title="出典の帰属",
                                  scale=alt.Scale(domain=["確認済み", "未確認"], range=[[1, 0], [5, 4]]),
                                  legend=alt.Legend(symbolType="stroke", symbolStrokeColor="#333333",
                                                    symbolStrokeWidth=2)))
    points = base.mark_point(filled=True, size=50, opacity=1).encode(x=x, y=y, color=color, tooltip=tooltip)
    return alt.layer(lines, points, description=description)


def gap_frame(items: list[tuple[str, float]]) -> pd.DataFrame:
    """Bars for the scale-gap chart: (label, 億ドル) pairs -> item, value, text."""
    return pd.DataFrame({"item": [i for i, _ in items], "value": [float(v) for _, v in items],
                         "text": [f"{v:,.0f}億ドル" for _, v in items]})


# ---- tables for the book ---------------------------------------------------------


def usd_text(value_oku: float, digits: int = 1) -> str:
    """An amount in 億ドル as text: 126.207 -> '126.2億ドル'."""
    return f"{fmt.num(value_oku, digits)}億ドル"


def _year_text(year: object) -> str:
    return "記載なし" if data.missing(year) else f"{int(year)}年"


def _pct_text(value: object, digits: int = 1) -> str:
    return "—" if data.missing(value) else fmt.pct(float(value), digits)


def editions_table(table: pd.DataFrame) -> pd.DataFrame:
    """The editions as a reader's table (Japanese headers, formatted text, cited sources)."""
    return pd.DataFrame({
        "予測（版）": table["label"],
        "対象": table["scope"],
        "基準年": [_year_text(y) for y in table["base_year"]],
        "基準値": [usd_text(v, 2) for v in table["base"]],
        "予測年": [_year_text(y) for y in table["end_year"]],
        "予測値": [usd_text(v) for v in table["end"]],
        "記載のCAGR（期間）": [
            "記載なし" if data.missing(s) else f"{fmt.pct(s)}（{w}）"
            for s, w in zip(table["stated_cagr"], table["cagr_window"], strict=True)],
        "端点からのCAGR": [_pct_text(v, 2) for v in table["recomputed_cagr"]],
        "検算": table["check"],
        "出典": [f"{{cite}}`{k}`" for k in table["source"]],
    })


def fx_table(rates: pd.DataFrame, grid: list[float], target_value: float, target_unit: str,
             market: float) -> pd.DataFrame:
    """Sensitivity of the yen target in dollars to the rate: sourced rates, then the grid.

    ``rates`` is :func:`fx_rates` (each row is labelled with its year and
    source); grid rates are labelled 仮定 (assumption). ``market`` (億ドル)
    is the forecast the target is compared with.
    """
    sourced = scale_gap(target_value, target_unit, list(rates["rate"]), market)
    sourced["根拠"] = [f"FRB G.5A {y}年平均 {{cite}}`{s}`"
                      for y, s in zip(rates["year"], rates["source"], strict=True)]
    assumed = scale_gap(target_value, target_unit, grid, market)
    assumed["根拠"] = "仮定（感度分析）"
    both = pd.concat([sourced, assumed], ignore_index=True).sort_values("rate", kind="stable")
    return pd.DataFrame({
        "為替レート（円/ドル）": [fmt.num(r, 2) for r in both["rate"]],
        "根拠": both["根拠"],
        "ドル換算（億ドル）": [fmt.num(v, 0) for v in both["target"]],
        "世界市場予測の何倍か": [fmt.times(v) for v in both["times"]],
    })


def gap_chart(frame: pd.DataFrame, description: str) -> alt.LayerChart:
    """Horizontal bars of :func:`gap_frame` (億ドル) with their value written at the end."""
    y = alt.Y("item:N", title=None, sort=list(frame["item"]), axis=alt.Axis(labelLimit=360))
    x = alt.X("value:Q", title="億ドル")
    bars = alt.Chart(frame).mark_bar(color=charts.PALETTE[0]).encode(
        x=x, y=y, tooltip=[alt.Tooltip("item:N", title="項目"),
                           alt.Tooltip("value:Q", title="億ドル", format=",.1f")])
    text = alt.Chart(frame).mark_text(align="left", dx=4, fontSize=12).encode(x=x, y=y, text="text:N")
    return alt.layer(bars, text, description=description).properties(height=44 * len(frame))
