"""The world chapter (世界と比較する日本の戦略ポジション): amounts in 億ドル from
any money unit, dates in Japanese, the sourced frames its charts and tables
plot, and the comparisons its sentences draw.

Every amount is converted through data/units.csv (:func:`analysis.data.convert`)
and written by :func:`analysis.units.amount`; every country's name comes from
data/entities.csv. The chapter's data: data/observations/world.csv (quantum
funding, AI investment, the EU AI Act), the tables
data/tables/w_quantum_funding_sources.csv, w_models.csv, w_eu_ai_act_*.csv.
"""

from __future__ import annotations

import re

import altair as alt
import pandas as pd

from analysis import charts, data, text

USD = "oku_usd"  # the chapter writes every dollar amount in 億ドル
# The cumulative announced public funding for quantum technology, by who
# counted it: series -> the aggregator's short name for charts and tables.
FUNDING = {
    "quantum_public_funding_mck2022": "McKinsey",
    "quantum_public_funding_qureca": "Qureca",
    "quantum_public_funding_optica2024": "Optica",
    "quantum_public_funding_tqi_confirmed": "TQI：確認できた額",
    "quantum_public_funding_tqi_reported": "TQI：報道ベース",
}
ROW_HEIGHT = 34  # px per event of a timeline chart: one line of label each
POINT_SIZE = 90  # area of a timeline's points (px²)
LEGEND_COLUMNS = 3  # entries per row of a legend with long names
QUOTED_YEAR = re.compile(r"((?:19|20)\d\d)年")


def in_usd(value: float, unit: str) -> float:
    """A dollar amount in 億ドル: 15.3 十億ドル -> 153.0, 449 百万ドル -> 4.49."""
    return data.convert(value, unit, USD)


def usd(value: float, unit: str, digits: int | None = None) -> str:
    """A dollar amount written in 億ドル: (15.3, 'usd_billion') -> '153億ドル'."""
    return text.amount(in_usd(value, unit), USD, digits)


def usd_of(obs: pd.DataFrame, ref: str, digits: int | None = None) -> str:
    """One observation (``series|entity|period``) written in 億ドル."""
    row = data.lookup(obs, ref)
    return usd(row["value"], row["unit"], digits)


def ratio(obs: pd.DataFrame, ref_a: str, ref_b: str) -> float:
    """How many times observation b observation a is, both converted to a's unit
    (``series|entity|period`` references; the units must share a dimension)."""
    a, b = data.lookup(obs, ref_a), data.lookup(obs, ref_b)
    return float(a["value"]) / data.convert(b["value"], b["unit"], a["unit"])





def year_of(label: str) -> int:
    """The year of an ISO date or part of one: '2022-06-15' -> 2022."""
    if not text.is_date(label):
        raise ValueError(f"not a date: {label!r}")
    return int(str(label).strip()[:4])


def quoted_year(quote: str) -> int:
    """The first year a quotation names (「2023年時点で…」 -> 2023)."""
    found = QUOTED_YEAR.search(quote)
    if not found:
        raise ValueError(f"no year in {quote!r}")
    return int(found.group(1))


def labelled(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the Japanese name of each row's entity (column 国)."""
    return frame.assign(国=[data.entity_label(e) for e in frame["entity"]])


def sourced_rows(frame: pd.DataFrame, unit: str) -> pd.DataFrame:
    """``frame`` with the unit label and each row's own source key (column ``source``)."""
    return charts.sourced(frame, unit, frame["source"])


def usd_column(rows: pd.DataFrame) -> list[float]:
    """The ``value`` of each row (in its own ``unit``) in 億ドル."""
    return [in_usd(v, u) for v, u in zip(rows["value"], rows["unit"], strict=True)]


# ---- quantum: the cumulative announced public funding ---------------------


def funding(obs: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Every country's or region's announced public funding, one row per
    aggregator: 国, 集計 (aggregator with its publication date), 億ドル, 単位, 出典."""
    rows = obs[obs["series"].isin(FUNDING)]
    published = sources.set_index("series")["published"]
    name = {s: f"{FUNDING[s]}（{text.period(published[s])}）" for s in FUNDING}
    rows = labelled(rows).assign(集計=rows["series"].map(name), 億ドル=usd_column(rows))
    columns = ["series", "entity", "国", "集計", "億ドル", charts.UNIT, charts.SOURCE]
    return sourced_rows(rows, text.unit_label(USD))[columns].reset_index(drop=True)


def first_in_each_count(frame: pd.DataFrame, entity: str) -> pd.Series:
    """For each aggregator of the frame of :func:`funding` that counts ``entity``
    and at least one other country or region, whether ``entity`` comes first."""
    first = {}
    for name, rows in frame.groupby("集計", sort=False):
        if entity in set(rows["entity"]) and rows["entity"].nunique() > 1:
            first[name] = rows.loc[rows["億ドル"].idxmax(), "entity"] == entity
    return pd.Series(first, dtype=bool)


def funding_chart(frame: pd.DataFrame) -> alt.Chart:
    """Grouped bars: the announced funding by country, one bar per aggregator."""
    order = list(frame.groupby("国")["億ドル"].max().sort_values(ascending=False).index)
    chart = charts.grouped_bar(
        frame, x="国", y="億ドル", group="集計", x_title="国・地域",
        y_title="公的資金の公表額（累計、億ドル）", group_title="集計（公表時期）", sort=order,
        group_sort=list(dict.fromkeys(frame["集計"])),
        description="量子技術への公的資金の公表額（複数年の累計）を、集計した機関ごと・"
                    "国や地域ごとに比べた棒グラフ。中国の額は集計によって大きく異なる")
    # one row of five long aggregator names is wider than the chart: wrap the legend
    chart.encoding.color.legend = alt.Legend(columns=LEGEND_COLUMNS)
    return chart


# ---- private AI investment ------------------------------------------------


def ai_investment(obs: pd.DataFrame, series: str, highlight: str = "JP") -> pd.DataFrame:
    """One year of private AI investment by country for a bar chart, largest
    first: 国, 億ドル, ラベル (the source's value as given), 区分 (the
    highlighted country's name or その他)."""
    rows = labelled(data.series(obs, series))
    given = [text.given(v, u) for v, u in zip(rows["value"], rows["unit"], strict=True)]
    group = [data.entity_label(highlight) if e == highlight else "その他" for e in rows["entity"]]
    rows = rows.assign(億ドル=usd_column(rows), ラベル=given, 区分=group)
    rows = rows.sort_values("億ドル", ascending=False).reset_index(drop=True)
    columns = ["entity", "year", "国", "億ドル", "ラベル", "区分", charts.UNIT, charts.SOURCE]
    return sourced_rows(rows, text.unit_label(USD))[columns]


# ---- the four models side by side -----------------------------------------


def models_table(models: pd.DataFrame, quantum: pd.DataFrame, ai: pd.DataFrame,
                 genai: pd.DataFrame, genai_stand_in: dict[str, str]) -> pd.DataFrame:
    """The article's four models with their instruments and the book's numbers.

    ``quantum`` is a frame of :func:`funding` for one aggregator, ``ai`` one of
    :func:`ai_investment`, ``genai`` the rows of one survey year of the share of
    individuals who used generative AI (percent); ``genai_stand_in`` maps an
    entity without its own survey value to the surveyed entity shown instead
    ({'EU': 'DE'}). '—' where no comparable value was found."""
    events = models.assign(event=models["instrument"] + "（" + models["date"].map(text.period) + "）")
    table = events.groupby("entity", sort=False).agg(記事の整理=("model", "first"),
                                                      主な制度と出来事=("event", "、".join))
    table.insert(0, "地域", [data.entity_label(e) for e in table.index])
    q = quantum.set_index("entity")["億ドル"]
    a = ai.set_index("entity")["億ドル"]
    g = genai.set_index("entity")["value"]
    q_head = f"量子への公的資金（累計の公表額、{quantum['集計'].iloc[0]}）"
    a_head = f"民間AI投資（{int(ai['year'].iloc[0])}年）"
    g_head = f"生成AIの個人利用（{int(genai['year'].iloc[0])}年度調査）"
    table[q_head] = [text.amount(q.get(e), USD, 0) for e in table.index]
    table[a_head] = [text.amount(a.get(e), USD, 1) for e in table.index]
    table[g_head] = [_genai_cell(e, g, genai_stand_in) for e in table.index]
    return table.reset_index(drop=True)


def _genai_cell(entity: str, genai: pd.Series, stand_in: dict[str, str]) -> str:
    surveyed = stand_in.get(entity, entity)
    if surveyed not in genai.index:
        return "—"
    written = text.amount(genai[surveyed], "percent", 1)
    return written if surveyed == entity else f"{written}（{data.entity_label(surveyed)}）"


# ---- the EU AI Act --------------------------------------------------------


def timeline_chart(timeline: pd.DataFrame, description: str) -> alt.Chart:
    """The dated events of a timeline table (date, event, source) as points on a time axis."""
    dated = timeline.assign(日付=pd.to_datetime(timeline["date"]),
                            日付の表記=timeline["date"].map(text.period))
    rows = charts.sourced(dated, "日付", timeline["source"])
    return alt.Chart(rows, description=description).mark_point(
        filled=True, size=POINT_SIZE, color=charts.PALETTE[0]).encode(
        x=alt.X("日付:T", title="日付", axis=alt.Axis(format="%Y年", tickCount="year")),
        y=alt.Y("event:N", title=None, sort=list(rows["event"])),
        tooltip=[alt.Tooltip("日付の表記:N", title="日付"), alt.Tooltip("event:N", title="出来事")],
    ).properties(width=charts.WIDTH // 2, height=ROW_HEIGHT * len(rows))
