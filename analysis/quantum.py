"""Market forecasts of the quantum chapter (03_quantum): editions, CAGR checks, FX, charts.

Data (described by ``data/datapackage.json``):

- ``data/observations/quantum.csv``: one series per forecast edition
  (``q_qcm_<edition>``: its base and end values, in the unit the source
  states), the CAGR the publisher states (``q_qcm_<edition>_cagr``, percent)
  and the yen/dollar annual averages of the Federal Reserve's G.5A release
  (``q_fx_jpy_usd``, 円/ドル);
- ``data/tables/q_forecast_editions.csv``: one row per edition: publisher,
  label, the stated CAGR window and its first year, and a base value whose
  year the source does not give (Fortune Business Insights' older edition);
- ``data/tables/q_milestones.csv``: dated milestones of institutions, some
  with a value (Q-STAR's members, G-QuAT's budgets).

Every amount is converted with :func:`analysis.data.convert` (the factors of
``data/units.csv``), so the editions can state their values in 百万ドル,
十億ドル or 億ドル; the one place that applies an exchange rate is
:func:`analysis.units.yen_to_usd`. Amounts in this module's outputs are in 億ドル
(:data:`OUT_UNIT`); rates are percent per year unless a name says
``fraction``. Amounts are written with :func:`analysis.text.amount`. Nothing
here holds a number from a source: all come from the data files.

The ``glue_*`` functions glue the chapter's numbers for its prose, each under
its name written out (so that a name in the prose finds the code that makes it).
"""

from __future__ import annotations

import math

import altair as alt
import pandas as pd

from analysis import charts, claims, data, glue, growth, prose, text, units, verdicts

OUT_UNIT = "oku_usd"
"""Unit of every amount this module returns (億ドル)."""

FX_SERIES = "q_fx_jpy_usd"
"""Observation series of the yen/dollar rates (円/ドル, FRB G.5A annual averages)."""

FX_ASSUMPTION = {"low": 100.0, "high": 160.0, "step": 10.0}
"""The assumed rates (円/ドル) of the sensitivity analysis: an assumption of
the book, labelled 仮定 wherever it is shown, not a value of a source."""

SLIDER_MAX_PCT = 60.0
"""Upper end of the growth-rate slider (%/year): a choice of the chart."""

STATED_CAGR_DECIMALS = 1
"""Decimals of the CAGRs the publishers state (34.8 %): their rounding."""

RATE_PARAM = "q_rate"
"""Name of the Vega-Lite parameter bound to the growth-rate slider."""

# Labels of the CAGR check (computed, never typed into data).
REPRODUCED = "再現できる"
WITHIN_ROUNDING = "端点の丸めの範囲で再現できる"
NOT_REPRODUCED = "再現できない"
NO_STATED_CAGR = "CAGRの記載なし"
UNDATED_BASE = "起点の年が不明"

# The scale-gap chart: where an item label breaks into two lines, the width
# of its bars (the labels take the rest of the page) and the height per bar.
LABEL_BREAK = "："
GAP_CHART_WIDTH = 300
GAP_BAR_HEIGHT = 52

# The Japanese word for a multiple by its decimal order (数倍 = single digits).
ORDER_WORDS = ("数倍", "数十倍", "数百倍", "数千倍")

# The descriptions (alt texts) of the chapter's three charts.
EDITIONS_DESCRIPTION = ("量子コンピューティング市場予測の各版を、"
                        "基準値から予測値までの線で示した図（億ドル、対数目盛）")
GAP_DESCRIPTION = ("量子未来社会ビジョンの生産額目標のドル換算と、"
                   "世界の量子コンピューティング市場予測を比べた横棒グラフ（億ドル）")
SLIDER_DESCRIPTION = ("FBI の2024年の基準値から選んだ成長率で伸ばした市場の経路（線）と、"
                      "各社が公表した予測値（点）")

# The institutions of data/tables/q_milestones.csv whose milestones carry a value.
QSTAR = "量子技術による新産業創出協議会（Q-STAR）"
GQUAT = "産業技術総合研究所（G-QuAT）"


# ---- units ------------------------------------------------------------------





def usd_amount(value: float, digits: int | None = None) -> str:
    """An amount of this module (億ドル) as text, by :func:`analysis.units.amount`
    (by default no decimals for whole numbers and from 1,000, one from 10, two
    below): 126.207 -> '126.2億ドル', 86.0 -> '86億ドル', 4.12 -> '4.12億ドル'."""
    return text.amount(float(value), OUT_UNIT, digits)


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
    return math.log(end / start) / math.log(1.0 + units.to_fraction(rate_pct))




def check_cagr(stated_pct: float, recomputed_pct: float, low_pct: float, high_pct: float) -> str:
    """Whether the stated CAGR follows from the endpoints (a label, computed).

    Publishers state CAGRs to :data:`STATED_CAGR_DECIMALS` decimals, so a
    recomputed rate within half that last digit reproduces the stated one; a
    stated rate inside the rounding bounds (:func:`cagr_bounds`), widened by
    that half digit, is reproduced up to the rounding of the endpoints.
    """
    if data.missing(stated_pct):
        return NO_STATED_CAGR
    if data.missing(recomputed_pct):
        return UNDATED_BASE
    half = 0.5 * 10.0 ** -STATED_CAGR_DECIMALS
    if abs(recomputed_pct - stated_pct) <= half + 1e-9:
        return REPRODUCED
    if low_pct - half <= stated_pct <= high_pct + half:
        return WITHIN_ROUNDING
    return NOT_REPRODUCED


def closeness(value: float, reference: float) -> str:
    """How close ``value`` is to ``reference`` by the ledger's own rule for an
    equal comparison (:func:`analysis.claims.compare`): 'match' (rounding),
    'near' (within the default tolerance) or 'off'."""
    check = pd.Series({"comparison": "equal", "stated": float(reference),
                       "stated_high": math.nan, "tolerance": math.nan})
    return claims.compare(check, float(value))


def order_word(times: float) -> str:
    """The Japanese word for the decimal order of a multiple: 3.2 -> '数倍', 28 -> '数十倍'."""
    if not times >= 1:
        raise ValueError(f"a multiple of at least 1 has an order word, got {times!r}")
    order = int(math.floor(math.log10(times)))
    if order >= len(ORDER_WORDS):
        raise ValueError(f"no word for a multiple of {times!r}")
    return ORDER_WORDS[order]


# ---- editions ----------------------------------------------------------------


def editions(obs: pd.DataFrame, meta: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per forecast edition, amounts in 億ドル, CAGRs in %/year.

    Columns: edition, publisher, label, scope, confidence, source, base_year,
    base, end_year, end, base_stated / base_unit and end_stated / end_unit
    (the two values as the source states them), stated_cagr, cagr_window, cagr_start_year,
    recomputed_cagr (from the two endpoints over their years), cagr_low /
    cagr_high (bounds from rounding), check (label), implied_span (years
    that the stated CAGR needs from base to end, for an undated base),
    implied_base_year (end year minus that span, rounded) and window_base
    (the value in the first year of the stated CAGR window that the stated
    CAGR implies: end / (1 + CAGR) ** (end year - window start)).
    """
    meta = data.table("q_forecast_editions") if meta is None else meta
    return pd.DataFrame([_edition(obs, m) for _, m in meta.iterrows()])


def _edition(obs: pd.DataFrame, m: pd.Series) -> dict:
    points = data.series(obs, m["edition"])
    end = points.iloc[-1]
    stated = _stated_cagr(obs, m["edition"])
    if len(points) >= 2:
        base = points.iloc[0]
        base_year, base_value, base_unit = int(base["year"]), base["value"], base["unit"]
    else:
        base_year, base_value = math.nan, float(m["undated_base_value"])
        base_unit = m["undated_base_unit"]
    b = data.convert(base_value, base_unit, OUT_UNIT)
    e = data.convert(end["value"], end["unit"], OUT_UNIT)
    row = {
        "edition": m["edition"], "publisher": m["publisher"], "label": m["label"],
        "scope": m["scope"], "confidence": end["confidence"], "source": m["source"],
        "base_year": base_year, "base": b, "end_year": int(end["year"]), "end": e,
        "base_stated": float(base_value), "base_unit": base_unit,
        "end_stated": float(end["value"]), "end_unit": end["unit"],
        "stated_cagr": stated, "cagr_window": m["cagr_window"],
        "cagr_start_year": _int_or_nan(m["cagr_start_year"]),
        "recomputed_cagr": math.nan, "cagr_low": math.nan, "cagr_high": math.nan,
        "implied_span": math.nan, "implied_base_year": math.nan, "window_base": math.nan,
    }
    if not data.missing(stated) and not data.missing(row["cagr_start_year"]):
        row["window_base"] = growth.implied_base(
            e, (1.0 + units.to_fraction(stated)) ** (row["end_year"] - row["cagr_start_year"]))
    if not data.missing(base_year):
        years = growth.years_between(base_year, row["end_year"])
        start = data.convert(base_value, base_unit, end["unit"])
        row["recomputed_cagr"] = units.to_percent(growth.cagr(start, end["value"], years))
        row["cagr_low"], row["cagr_high"] = cagr_bounds(base_value, base_unit, end, years)
    elif not data.missing(stated):
        span = span_years(b, e, stated)
        row["implied_span"] = span
        row["implied_base_year"] = row["end_year"] - round(span)
    row["check"] = check_cagr(stated, row["recomputed_cagr"], row["cagr_low"], row["cagr_high"])
    return row


def cagr_bounds(base_value: float, base_unit: str, end: pd.Series, years: int) -> tuple[float, float]:
    """Lowest and highest CAGR (%/year) that the rounded endpoints allow, in
    the end's unit: each endpoint anywhere within half a unit of its last
    written digit (:func:`analysis.text.last_digit`), each step taken in its
    own stated unit; the low bound grows the highest start to the lowest end,
    the high bound the reverse."""
    hs = data.convert(text.last_digit(base_value) / 2, base_unit, end["unit"])
    he = text.last_digit(end["value"]) / 2
    start = data.convert(base_value, base_unit, end["unit"])
    low = growth.cagr(start + hs, end["value"] - he, years)
    high = growth.cagr(start - hs, end["value"] + he, years)
    return units.to_percent(low), units.to_percent(high)


def _stated_cagr(obs: pd.DataFrame, edition: str) -> float:
    rows = obs[obs["series"] == f"{edition}_cagr"]
    return float(rows["value"].iloc[0]) if not rows.empty else math.nan


def _int_or_nan(x: object) -> float:
    return math.nan if data.missing(x) else int(x)


def edition_texts(edition: pd.Series) -> dict[str, str]:
    """The numbers of one edition as the prose writes them.

    base and end (億ドル, :func:`usd_amount`'s decimals), base_given and
    end_given (as the source states them, :func:`analysis.units.given`), step
    (the rounding step of the end value in the source's own unit), and the
    CAGRs the edition has:
    stated (one decimal, as published), recomputed, low and high (two).
    """
    texts = {"base": usd_amount(edition["base"]), "end": usd_amount(edition["end"]),
             "base_given": text.given(edition["base_stated"], edition["base_unit"]),
             "end_given": text.given(edition["end_stated"], edition["end_unit"]),
             "step": text.given(text.last_digit(edition["end_stated"]), edition["end_unit"])}
    for name, column, digits in (("stated", "stated_cagr", 1), ("recomputed", "recomputed_cagr", 2),
                                 ("low", "cagr_low", 2), ("high", "cagr_high", 2)):
        if not data.missing(edition[column]):
            texts[name] = text.percent(edition[column], digits)
    return texts


def grown(edition: pd.Series, year: int, rate_pct: float | None = None) -> float:
    """The edition's base (億ドル) grown to ``year`` at ``rate_pct`` %/year
    (default: its stated CAGR): a projection, not a source's value."""
    if data.missing(edition["base_year"]):
        raise ValueError(f"edition {edition['edition']!r} has no dated base to grow")
    rate = edition["stated_cagr"] if rate_pct is None else rate_pct
    if data.missing(rate):
        raise ValueError(f"edition {edition['edition']!r} states no CAGR")
    return growth.project(edition["base"], units.to_fraction(rate), int(year) - int(edition["base_year"]))


def rate_needed(edition: pd.Series, value: float, year: int) -> float:
    """The growth rate (%/year) that takes the edition's base to ``value`` (億ドル) in ``year``."""
    return units.to_percent(growth.cagr(edition["base"], value, int(year) - int(edition["base_year"])))


def value_at(edition: pd.Series, year: int) -> float:
    """An edition's value (億ドル) in ``year``: its own end value in its end year,
    otherwise its base grown at its stated CAGR (a projection, not a source value)."""
    if int(year) == int(edition["end_year"]):
        return float(edition["end"])
    if data.missing(edition["base_year"]) or data.missing(edition["stated_cagr"]):
        raise ValueError(f"edition {edition['edition']!r} cannot be projected to {year}")
    return grown(edition, year)


def revision(table: pd.DataFrame, old: str, new: str, year: int | None = None) -> dict[str, float]:
    """How a newer edition changed the value for ``year`` (default: the old
    edition's end year): old, new (億ドル), change_pct (signed) and year.

    A value the edition does not state for ``year`` is projected with
    :func:`value_at`.
    """
    rows = table.set_index("edition", drop=False)
    year = int(rows.loc[old, "end_year"]) if year is None else int(year)
    o = value_at(rows.loc[old], year)
    n = value_at(rows.loc[new], year)
    return {"year": year, "old": o, "new": n, "change_pct": units.to_percent(n / o - 1.0)}


def path(base: float, base_year: int, rate_pct: float, end_year: int) -> pd.DataFrame:
    """Yearly values from ``base`` (any unit) grown at ``rate_pct`` %/year, with columns year, value."""
    years = range(int(base_year), int(end_year) + 1)
    rate = units.to_fraction(rate_pct)
    return pd.DataFrame({"year": list(years),
                         "value": [growth.project(base, rate, y - base_year) for y in years]})


# ---- milestones ----------------------------------------------------------------


def milestone_values(milestones: pd.DataFrame, institution: str, unit: str) -> list[float]:
    """The values (in ``unit``) of one institution's milestones, in the table's order."""
    rows = milestones[(milestones["institution"] == institution) & (milestones["unit"] == unit)]
    values = [float(v) for v in rows["value"] if not data.missing(v)]
    if not values:
        raise KeyError(f"no milestone of {institution!r} with a value in {unit!r}")
    return values


def qstar_members(milestones: pd.DataFrame) -> list[float]:
    """Q-STAR's members (法人) at each milestone that counts them: at its founding, then as a
    general incorporated association (pcwatch_qstar_2022)."""
    return milestone_values(milestones, QSTAR, "institutions")


def gquat_budgets(milestones: pd.DataFrame) -> list[float]:
    """The budgets (億円) related to AIST's G-QuAT as reported (plusweb3_gquat_2025):
    the FY2022–2023 supplementary budgets, then the FY2024 one."""
    return milestone_values(milestones, GQUAT, "oku_yen")


def milestones_table(milestones: pd.DataFrame) -> pd.DataFrame:
    """The milestones as a reader's table: date, institution, event, value (if any), cited source."""
    return pd.DataFrame({
        "日付": milestones["date"], "機関": milestones["institution"], "出来事": milestones["event"],
        "値": ["" if data.missing(v) else text.amount(v, u)
              for v, u in zip(milestones["value"], milestones["unit"], strict=True)],
        "出典": [text.cite(k) for k in milestones["source"]],
    })


# ---- exchange rates ------------------------------------------------------------


def fx_rates(obs: pd.DataFrame) -> pd.DataFrame:
    """The sourced yen/dollar annual averages: year, period, rate, unit (円/ドル), source."""
    rows = data.series(obs, FX_SERIES)
    return pd.DataFrame({"year": rows["year"].astype(int), "period": rows["period"],
                         "rate": rows["value"].astype(float), "unit": rows["unit"],
                         "source": rows["source"]})


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
        usd = units.yen_to_usd(target_value, target_unit, rate)
        rows.append({"rate": float(rate), "target": usd, "times": growth.multiple_of(usd, market)})
    return pd.DataFrame(rows)


# ---- charts --------------------------------------------------------------------



def published_points(table: pd.DataFrame) -> pd.DataFrame:
    """Each edition's end value (億ドル) as a marker: year, value, label, 単位, 出典."""
    frame = pd.DataFrame({"year": table["end_year"].astype(int), "value": table["end"],
                          "label": table["label"], charts.SOURCE: table["source"]})
    return frame.assign(**{charts.UNIT: text.unit_label(OUT_UNIT)})


def growth_slider_chart(edition: pd.Series, points: pd.DataFrame, description: str = SLIDER_DESCRIPTION,
                        rate_min: float = 0.0, rate_max: float = SLIDER_MAX_PCT,
                        step: float = 0.5) -> alt.LayerChart:
    """Market path from an edition's base (億ドル) at a growth rate the reader sets with a slider.

    The path runs from the edition's base year to its end year; the slider
    starts at its stated CAGR. ``points`` (:func:`published_points`) are the
    published forecast values drawn as fixed markers. The slider is a
    Vega-Lite parameter (``alt.param`` bound to ``alt.binding_range``) named
    :data:`RATE_PARAM`; its default is what the static image (PDF) shows.
    The y axis is fixed so the line moves against the markers. A path that
    rises above it leaves the plot at its top edge (clipped: drawn along the
    edge it would read as a plateau), and the end label stays at that edge
    with the path's end value.
    """
    base, default_rate = float(edition["base"]), float(edition["stated_cagr"])
    base_year, end_year = int(edition["base_year"]), int(edition["end_year"])
    rate = alt.param(name=RATE_PARAM, value=default_rate,
                     bind=alt.binding_range(min=rate_min, max=rate_max, step=step,
                                            name="年平均成長率（%）"))
    years = charts.sourced(pd.DataFrame({"year": list(range(base_year, end_year + 1))}),
                           text.unit_label(OUT_UNIT), edition["source"])
    top = max(float(points["value"].max()), grown(edition, end_year))
    domain = [0, 50 * math.ceil(1.6 * top / 50)]
    y_title, y_scale = "市場規模（億ドル）", alt.Scale(domain=domain)
    y = alt.Y("value:Q", title=y_title, scale=y_scale)
    x = alt.X("year:Q", title="年", axis=_year_axis(base_year, end_year),
              scale=alt.Scale(domain=[base_year, end_year]))
    grown_path = alt.Chart(years).transform_calculate(
        value=f"{base} * pow(1 + {RATE_PARAM} * {units.to_fraction(1)}, datum.year - {base_year})")
    line = grown_path.mark_line(point=True, clip=True, color=charts.PALETTE[0]).encode(
        x=x, y=y, tooltip=[alt.Tooltip("year:Q", title="年"),
                           alt.Tooltip("value:Q", title="億ドル", format=",.1f")])
    label = grown_path.transform_filter(f"datum.year == {end_year}").transform_calculate(
        text=f"format({RATE_PARAM}, '.1f') + '%/年 → ' + format(datum.value, ',.1f') + '億ドル'",
        shown=f"min(datum.value, {domain[1]})",
    ).mark_text(align="right", dx=-8, dy=-12, fontSize=12, color=charts.PALETTE[0]).encode(
        x=x, y=alt.Y("shown:Q", title=y_title, scale=y_scale), text="text:N")
    return alt.layer(line, label, _markers(points, x, y), description=description).add_params(rate)


def _markers(points: pd.DataFrame, x: alt.X, y: alt.Y) -> alt.Chart:
    """The published values as points, one colour and shape per forecast (one legend)."""
    legend = alt.Legend(columns=2, labelLimit=0)
    labels = list(dict.fromkeys(points["label"]))
    return alt.Chart(points).mark_point(filled=True, size=80, opacity=0.9).encode(
        x=x, y=y,
        # order by scale domain, not ``sort``: a custom sort stops Vega-Lite
        # from merging the shape and colour legends into one
        shape=alt.Shape("label:N", title="公表された予測値", legend=legend,
                        scale=alt.Scale(domain=labels)),
        color=alt.Color("label:N", title="公表された予測値", legend=legend,
                        scale=alt.Scale(domain=labels, range=charts.PALETTE[1:])),
        tooltip=[alt.Tooltip("label:N", title="予測"), alt.Tooltip("year:Q", title="年"),
                 alt.Tooltip("value:Q", title="億ドル", format=",.1f")])


def _year_axis(first: int, last: int) -> alt.Axis:
    """Whole-year ticks, every other year when the span is long (labels stay apart)."""
    step = 1 if last - first <= 9 else 2
    return alt.Axis(format="d", values=list(range(int(first), int(last) + 1, step)))


def editions_frame(table: pd.DataFrame) -> pd.DataFrame:
    """The points of the editions chart: each dated edition's base and every
    edition's end (億ドル), with its attribution (帰属), 単位 and 出典."""
    dated = table[table["base_year"].notna()]
    frame = pd.concat([
        pd.DataFrame({"label": dated["label"], "year": dated["base_year"].astype(int),
                      "value": dated["base"], "confidence": dated["confidence"],
                      charts.SOURCE: dated["source"]}),
        pd.DataFrame({"label": table["label"], "year": table["end_year"].astype(int),
                      "value": table["end"], "confidence": table["confidence"],
                      charts.SOURCE: table["source"]}),
    ], ignore_index=True)
    frame["帰属"] = frame["confidence"].map(lambda c: "未確認" if c == "unconfirmed" else "確認済み")
    return frame.assign(**{charts.UNIT: text.unit_label(OUT_UNIT)})


def editions_chart(table: pd.DataFrame, description: str = EDITIONS_DESCRIPTION) -> alt.LayerChart:
    """Each edition from its base to its end value (億ドル, log scale).

    An edition whose base year is unknown is drawn as its end point only;
    an edition of unconfirmed attribution is dashed.
    """
    frame = editions_frame(table)
    first, last = int(frame["year"].min()), int(frame["year"].max())
    x = alt.X("year:Q", title="年", axis=_year_axis(first, last), scale=alt.Scale(domain=[first, last]))
    y = alt.Y("value:Q", title="市場規模（億ドル、対数目盛）", scale=alt.Scale(type="log"))
    color = alt.Color("label:N", title="予測（版）", sort=list(table["label"]),
                      legend=alt.Legend(columns=2, labelLimit=0))
    tooltip = [alt.Tooltip("label:N", title="予測"), alt.Tooltip("year:Q", title="年"),
               alt.Tooltip("value:Q", title="億ドル", format=",.1f")]
    base = alt.Chart(frame)
    lines = base.mark_line(strokeWidth=2).encode(
        x=x, y=y, color=color, tooltip=tooltip,
        strokeDash=alt.StrokeDash("帰属:N", title="出典の帰属",
                                  scale=alt.Scale(domain=["確認済み", "未確認"], range=[[1, 0], [5, 4]]),
                                  legend=alt.Legend(symbolType="stroke", symbolStrokeColor="#333333",
                                                    symbolStrokeWidth=2, labelLimit=0)))
    points = base.mark_point(filled=True, size=50, opacity=1).encode(x=x, y=y, color=color, tooltip=tooltip)
    return alt.layer(lines, points, description=description)


def gap_frame(items: list[tuple[str, float, str]]) -> pd.DataFrame:
    """Bars for the scale-gap chart: (label, 億ドル, source keys) -> item, value, text, 単位, 出典."""
    return pd.DataFrame({"item": [i for i, _, _ in items], "value": [float(v) for _, v, _ in items],
                         "text": [usd_amount(v) for _, v, _ in items],
                         charts.UNIT: text.unit_label(OUT_UNIT), charts.SOURCE: [s for _, _, s in items]})


def scale_gap_bars(target: pd.Series, target_usd: float, fx: pd.Series,
                   market: pd.Series, other: pd.Series) -> pd.DataFrame:
    """The bars of the scale-gap chart (:func:`gap_frame`): the yen target in
    dollars at the rate ``fx`` (a row of :func:`fx_rates`), the ``market``
    edition in the target's year (grown at its stated CAGR) and in its own end
    year, and the ``other`` edition's end value. Each label is 'what：detail'
    (:func:`gap_chart` draws the two parts on two lines)."""
    year = int(target["year"])
    return gap_frame([
        (f"生産額目標 {text.amount(target['value'], target['unit'])}：{text.year(year)}、"
         f"{text.amount(fx['rate'], fx['unit'], 1)}で換算",
         target_usd, f"{target['source']} {fx['source']}"),
        (f"{market['label']}：{text.year(year)}（記載のCAGRで伸ばした計算値）", value_at(market, year),
         market["source"]),
        (f"{market['label']}：{text.year(market['end_year'])}の予測値", market["end"], market["source"]),
        (f"{other['label']}：{text.year(other['end_year'])}の予測値", other["end"], other["source"]),
    ])


# ---- tables for the book ---------------------------------------------------------




def editions_table(table: pd.DataFrame) -> pd.DataFrame:
    """The editions as a reader's table (Japanese headers, formatted text, cited sources)."""
    return pd.DataFrame({
        "予測（版）": table["label"],
        "対象": table["scope"],
        "基準年": [text.year(y) for y in table["base_year"]],
        "基準値": [usd_amount(v) for v in table["base"]],
        "予測年": [text.year(y) for y in table["end_year"]],
        "予測値": [usd_amount(v) for v in table["end"]],
        "記載のCAGR（期間）": [
            "記載なし" if data.missing(s) else f"{text.percent(s)}（{w}）"
            for s, w in zip(table["stated_cagr"], table["cagr_window"], strict=True)],
        "端点からのCAGR": [text.percent(v, 2) for v in table["recomputed_cagr"]],
        "検算": table["check"],
        "出典": [text.cite(k) for k in table["source"]],
    })


def fx_table(rates: pd.DataFrame, grid: list[float], target_value: float, target_unit: str,
             market: float) -> pd.DataFrame:
    """Sensitivity of the yen target in dollars to the rate: sourced rates, then the grid.

    ``rates`` is :func:`fx_rates` (each row is labelled with its year and
    source); grid rates are labelled 仮定 (assumption). ``market`` (億ドル)
    is the forecast the target is compared with.
    """
    sourced = scale_gap(target_value, target_unit, list(rates["rate"]), market)
    sourced["根拠"] = [f"FRB G.5A {y}年平均 {text.cite(s)}"
                      for y, s in zip(rates["year"], rates["source"], strict=True)]
    assumed = scale_gap(target_value, target_unit, grid, market)
    assumed["根拠"] = "仮定（感度分析）"
    both = pd.concat([sourced, assumed], ignore_index=True).sort_values("rate", kind="stable")
    rate_unit = rates["unit"].iloc[0]
    return pd.DataFrame({
        "為替レート": [text.amount(r, rate_unit, 2) for r in both["rate"]],
        "根拠": both["根拠"],
        "ドル換算": [usd_amount(v) for v in both["target"]],
        "世界市場予測の何倍か": [text.multiple(v) for v in both["times"]],
    })


def gap_chart(frame: pd.DataFrame, description: str = GAP_DESCRIPTION) -> alt.LayerChart:
    """Horizontal bars of :func:`gap_frame` (億ドル) with their value written at the end.

    An item label 'what：detail' is drawn on two lines, so that the labels,
    the bars and the values fit the width of the other charts.
    """
    axis = alt.Axis(labelLimit=0, labelExpr=f"split(datum.label, '{LABEL_BREAK}')", labelLineHeight=16)
    y = alt.Y("item:N", title=None, sort=list(frame["item"]), axis=axis)
    x = alt.X("value:Q", title="億ドル")
    bars = alt.Chart(frame).mark_bar(color=charts.PALETTE[0]).encode(
        x=x, y=y, tooltip=[alt.Tooltip("item:N", title="項目"),
                           alt.Tooltip("value:Q", title="億ドル", format=",.1f")])
    text = alt.Chart(frame).mark_text(align="left", dx=4, fontSize=12).encode(x=x, y=y, text="text:N")
    return alt.layer(bars, text, description=description).properties(
        width=GAP_CHART_WIDTH, height=GAP_BAR_HEIGHT * len(frame))


# ---- the chapter's numbers under their glue names ---------------------------------


def stated_usd(check: pd.Series) -> float:
    """The value a check of the ledger says the article states (``stated``, in its
    ``unit``), in 億ドル: the article's '約50億ドル' -> 50.0."""
    return data.convert(check["stated"], check["unit"], OUT_UNIT)


def glue_article(ledger: verdicts.Ledger) -> None:
    """Glue each of the article's six statements of this chapter as the ledger
    records it (q_art_01 … q_art_06: its check's stated value, in the
    article's unit) and its verdict (q_verdict_01 … q_verdict_06: the label)."""
    for statement, stated, verdict in (("q_01", "q_art_01", "q_verdict_01"),
                                       ("q_02", "q_art_02", "q_verdict_02"),
                                       ("q_03", "q_art_03", "q_verdict_03"),
                                       ("q_04", "q_art_04", "q_verdict_04"),
                                       ("q_05", "q_art_05", "q_verdict_05"),
                                       ("q_06", "q_art_06", "q_verdict_06")):
        glue.text(stated, verdicts.stated_text(ledger.check_of(statement)))
        glue.text(verdict, ledger.statement(statement)["label"])



def glue_editions(table: pd.DataFrame) -> None:
    """Glue the texts of each edition that the chapter quotes (:func:`edition_texts`:
    億ドル, as given, the rounding step, CAGRs in %) and, for the IDC's first
    edition, the value its stated CAGR implies for the window's first year and
    the years of the window and of its endpoints; for FBI's older edition, the
    years its stated CAGR needs from its undated base and the base year that
    follows. ``table`` is :func:`editions` indexed by edition."""
    glue.texts(edition_texts(table.loc["q_qcm_fbi2032"]), base="q_fbi_base", end="q_fbi_end",
               base_given="q_fbi_base_given", end_given="q_fbi_end_given", stated="q_fbi_stated",
               recomputed="q_fbi_recomputed")
    glue.texts(edition_texts(table.loc["q_qcm_idc2021"]), base="q_idc1_base", end="q_idc1_end",
               stated="q_idc1_stated", recomputed="q_idc1_recomputed")
    glue.texts(edition_texts(table.loc["q_qcm_idc2023"]), base="q_idc2_base", end="q_idc2_end",
               step="q_idc2_step", stated="q_idc2_stated", recomputed="q_idc2_recomputed",
               low="q_idc2_low", high="q_idc2_high")
    glue.texts(edition_texts(table.loc["q_qcm_fbi2030"]), base="q_fbi_old_base", end="q_fbi_old_end",
               stated="q_fbi_old_stated")
    glue.texts(edition_texts(table.loc["q_qcm_tractica2019"]), end="q_tractica_end",
               recomputed="q_tractica_recomputed")
    glue.texts(edition_texts(table.loc["q_qcm_unattr2032"]), end="q_unattr_end")
    idc1, fbi_old = table.loc["q_qcm_idc2021"], table.loc["q_qcm_fbi2030"]
    glue.text("q_idc1_window_base", usd_amount(idc1["window_base"]))
    glue.text("q_idc1_window_years", text.count(idc1["end_year"] - idc1["cagr_start_year"], "年間"))
    glue.text("q_idc1_span_years", text.count(idc1["end_year"] - idc1["base_year"], "年間"))
    glue.text("q_fbi_old_span", text.duration(fbi_old["implied_span"], 2))
    glue.text("q_fbi_old_year", text.amount(fbi_old["implied_base_year"], "year"))


def glue_gquat(milestones: pd.DataFrame) -> None:
    """Glue G-QuAT's reported budgets (:func:`gquat_budgets`, 億円): the first
    (FY2022–2023 supplementary), the second (FY2024) and their sum."""
    budgets = gquat_budgets(milestones)
    glue.amount("q_gquat_first", budgets[0], "oku_yen")
    glue.amount("q_gquat_second", budgets[1], "oku_yen")
    glue.amount("q_gquat_sum", sum(budgets), "oku_yen")


def revision_texts(table: pd.DataFrame, old: str, new: str, up: str, down: str) -> dict[str, str]:
    """A :func:`revision` (in the old edition's end year) as the prose writes it:
    old and new (億ドル), change (its size, in %, unsigned) and word (``up`` if
    the new value is higher, ``down`` if lower)."""
    change = revision(table, old, new)
    return {"old": usd_amount(change["old"]), "new": usd_amount(change["new"]),
            "change": text.percent(abs(change["change_pct"])),
            "word": prose.comparison(change["new"], change["old"], up, down)}


def glue_revisions(table: pd.DataFrame) -> None:
    """Glue how IDC's second edition revised its 2027 value (上方／下方) and how
    FBI's new edition, grown at its stated CAGR, compares in 2030 with the old
    edition's value (高い／低い); ``table`` is :func:`editions`."""
    glue.texts(revision_texts(table, "q_qcm_idc2021", "q_qcm_idc2023", "上方", "下方"),
               old="q_rev_idc_old", new="q_rev_idc_new", change="q_rev_idc_change", word="q_rev_idc_word")
    glue.texts(revision_texts(table, "q_qcm_fbi2030", "q_qcm_fbi2032", "高い", "低い"),
               old="q_rev_fbi_old", new="q_rev_fbi_new", change="q_rev_fbi_change", word="q_rev_fbi_word")


def glue_fx(rates: pd.DataFrame, grid: list[float]) -> None:
    """Glue the reference rate (the latest of :func:`fx_rates`, 円/ドル, two
    decimals) and its year, the years of the other sourced rates, and the
    assumed grid's lowest and highest rate and its step (no decimals)."""
    reference, unit = rates.iloc[-1], rates["unit"].iloc[-1]
    glue.text("q_fx_ref", text.amount(reference["rate"], unit, 2))
    glue.text("q_fx_ref_year", text.amount(reference["year"], "year"))
    glue.text("q_fx_other_years", text.value_range(rates["year"].iloc[0], rates["year"].iloc[-2], "year"))
    glue.text("q_fx_low", text.amount(grid[0], unit, 0))
    glue.text("q_fx_high", text.amount(grid[-1], unit, 0))
    glue.text("q_fx_step", text.amount(grid[1] - grid[0], unit, 0))


def glue_scale_gap(target_usd: float, target_year: int, market: pd.Series, gap: pd.DataFrame) -> None:
    """Glue the yen target in dollars (``target_usd``, 億ドル, '約' and no decimals),
    how many times the ``market`` edition it is in the market's end year and in
    ``target_year`` (grown at its stated CAGR), the range of that multiple over
    the rates of ``gap`` (:func:`scale_gap`) and the order word of the first."""
    glue.text("q_target_usd", text.about(usd_amount(target_usd, 0)))
    glue.change("q_gap_times", market["end"], target_usd, "multiple")
    glue.change("q_gap_times_2030", value_at(market, target_year), target_usd, "multiple")
    glue.text("q_gap_min", text.multiple(gap["times"].min()))
    glue.text("q_gap_max", text.multiple(gap["times"].max()))
    glue.text("q_gap_word", order_word(growth.multiple_of(target_usd, market["end"])))
