"""The world chapter (世界と比較する日本の戦略ポジション): amounts in 億ドル from
any money unit, dates in Japanese, the sourced frames its charts and tables
plot, the comparisons its sentences draw, and the values it glues into its
prose (``glue_*``: each glue name written out, one call per name).

Every amount is converted through data/units.csv (:func:`analysis.data.convert`)
and written by :func:`analysis.text.amount`; every country's name comes from
data/entities.csv. The chapter's data: data/observations/world.csv (quantum
funding, AI investment, the EU AI Act), the tables
data/tables/w_quantum_funding_sources.csv, w_models.csv, w_eu_ai_act_*.csv.
"""

from __future__ import annotations

import re

import altair as alt
import pandas as pd

from analysis import charts, data, glue, text, units

USD = "oku_usd"  # the chapter writes every dollar amount in 億ドル
MCKINSEY = "quantum_public_funding_mck2022"  # McKinsey's count of June 2022, the article's 153億ドル
# The observations the chapter compares (``series|entity|period`` of data/observations/world.csv)
EU_MCKINSEY = f"{MCKINSEY}|EU|2022-06"
US_MCKINSEY = f"{MCKINSEY}|US|2022-06"
CN_CONFIRMED = "quantum_public_funding_tqi_confirmed|CN|2023"  # what The Quantum Insider could confirm
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
# Columns of the chapter's two tables of data/tables/, with their Japanese headers
SOURCE_COLUMNS = {"publisher": "集計した機関", "published": "公表", "method": "集計の方法",
                  "coverage": "対象", "annual_or_cumulative": "年間か累計か"}
TIER_COLUMNS = {"order": "段階", "tier": "区分", "examples": "例", "obligation": "主な義務",
                "applies_from": "適用開始", "legal_basis": "根拠条文"}
TIMELINE = "EU AI法の採択・官報掲載・発効と、規定ごとの適用開始日を日付順に並べた年表"


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


def amount_of(obs: pd.DataFrame, ref: str) -> str:
    """One observation (``series|entity|period``) in its own unit, to the unit's
    default decimals (:func:`analysis.text.amount`): '160億円'."""
    row = data.lookup(obs, ref)
    return text.amount(row["value"], row["unit"])


def ratio(obs: pd.DataFrame, ref_a: str, ref_b: str) -> float:
    """How many times observation b observation a is, both converted to a's unit
    (``series|entity|period`` references; the units must share a dimension)."""
    a, b = data.lookup(obs, ref_a), data.lookup(obs, ref_b)
    return float(a["value"]) / data.convert(b["value"], b["unit"], a["unit"])


def ref(row: pd.Series) -> str:
    """The reference ``series|entity|period`` of an observation row."""
    return f"{row['series']}|{row['entity']}|{row['period']}"




def renamed(table: pd.DataFrame, columns: dict[str, str], date: str) -> pd.DataFrame:
    """The ``columns`` of a table of data/tables/ under their Japanese headers,
    its column ``date`` written as prose (:func:`analysis.text.period`)."""
    return table.assign(**{date: table[date].map(text.period)})[list(columns)].rename(columns=columns)


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


def sources_table(sources: pd.DataFrame) -> pd.DataFrame:
    """Who counted the quantum funding, when, how and what
    (data/tables/w_quantum_funding_sources.csv), for the chapter's table."""
    return renamed(sources, SOURCE_COLUMNS, "published")


def glue_mckinsey(frame: pd.DataFrame) -> pd.Series:
    """Glue McKinsey's 2022 amounts for China, the EU's governments and the US
    (w_mck_cn, w_mck_eu, w_mck_us; 億ドル, no decimals) from a frame of
    :func:`funding`; return the amounts (億ドル) by entity."""
    amounts = frame[frame["series"] == MCKINSEY].set_index("entity")["億ドル"]
    glue.amount("w_mck_cn", amounts["CN"], USD, 0)
    glue.amount("w_mck_eu", amounts["EU"], USD, 0)
    glue.amount("w_mck_us", amounts["US"], USD, 0)
    return amounts


def glue_other_counts(obs: pd.DataFrame) -> None:
    """Glue the other aggregators' counts in 億ドル (no decimals): McKinsey 2024's world
    total, Optica's EU and Germany, Qureca's China and US, and The Quantum Insider's
    confirmed and reported amounts for China (data/observations/world.csv)."""
    glue.text("w_mck24_world", text.about(usd_of(obs, "quantum_public_funding_mck2024|WORLD|2023-12", 0)))
    glue.text("w_optica_eu", usd_of(obs, "quantum_public_funding_optica2024|EU|2023-12", 0))
    glue.text("w_optica_de", usd_of(obs, "quantum_public_funding_optica2024|DE|2023-12", 0))
    glue.text("w_qureca_cn", usd_of(obs, "quantum_public_funding_qureca|CN|c.2023", 0))
    glue.text("w_qureca_us", usd_of(obs, "quantum_public_funding_qureca|US|c.2023", 0))
    glue.text("w_tqi_confirmed", text.about(usd_of(obs, CN_CONFIRMED, 0)))
    glue.text("w_tqi_reported", usd_of(obs, "quantum_public_funding_tqi_reported|CN|2023", 0) + "超")


def glue_us_rd(obs: pd.DataFrame) -> pd.DataFrame:
    """Glue the first and last US federal spending on quantum information science
    R&D (w_us_rd_first, w_us_rd_last; 億ドル) and their fiscal years (…_period);
    return the series (data/observations/world.csv, quantum_rd_nstc, NSTC via CFO Dive)."""
    rows = data.series(obs, "quantum_rd_nstc")
    first, last = rows.iloc[0], rows.iloc[-1]
    glue.text("w_us_rd_first", usd(first["value"], first["unit"]))
    glue.text("w_us_rd_first_period", text.us_fiscal_year(first["year"]))
    glue.text("w_us_rd_last", usd(last["value"], last["unit"]))
    glue.text("w_us_rd_last_period", text.us_fiscal_year(last["year"]))
    return rows


def glue_jp_budget(obs: pd.DataFrame) -> pd.DataFrame:
    """Glue Japan's quantum budgets (億円): FY2019, FY2019 supplementary + FY2020 and
    FY2020 supplementary + FY2021 as 日経クロステック gives them (w_jp_q_2019/2020/2021),
    FY2022 as TechWire Asia gives it (w_jp_q_2022), the FRB's 2022 average rate
    (w_fx_2022, 円/ドル) and FY2022 at that rate (w_jp_q_2022_usd, 億ドル);
    return the 日経クロステック series."""
    glue.text("w_jp_q_2019", text.about(amount_of(obs, "quantum_budget_jp_xtech|JP|FY2019")))
    glue.text("w_jp_q_2020", text.about(amount_of(obs, "quantum_budget_jp_xtech|JP|FY2019補正+FY2020")))
    glue.text("w_jp_q_2021", text.about(amount_of(obs, "quantum_budget_jp_xtech|JP|FY2020補正+FY2021")))
    budget = data.lookup(obs, "quantum_budget_jp_techwire|JP|FY2022")
    fx = data.lookup(obs, "q_fx_jpy_usd|FRB G.5A|CY2022")
    glue.amount("w_jp_q_2022", budget["value"], budget["unit"])
    glue.amount("w_fx_2022", fx["value"], fx["unit"], 2)
    in_usd_2022 = units.yen_to_usd(budget["value"], budget["unit"], fx["value"])
    glue.text("w_jp_q_2022_usd", text.about(text.amount(in_usd_2022, USD, 1)))
    return data.series(obs, "quantum_budget_jp_xtech")


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


def ai_chart(frame: pd.DataFrame) -> alt.Chart:
    """Bars of one year's private AI investment (億ドル) by country, a frame of
    :func:`ai_investment`, largest first, each labelled with its source's value."""
    year, smallest = int(frame["year"].iloc[0]), frame.iloc[-1]
    description = (f"{year}年の民間AI投資額の国別比較（億ドル）。{smallest['国']}は{smallest['ラベル']}で、"
                   "表示した国の中で最も少ない")
    return charts.bar(frame, x="国", y="億ドル", x_title="国", y_title=f"民間AI投資（億ドル、{year}年）",
                      color="区分", color_title="", sort=list(frame["国"]), labels="ラベル",
                      description=description)


def glue_ai_investment(obs: pd.DataFrame) -> None:
    """Glue 2023 private AI investment as Stanford's AI Index 2024 gives it
    (data/observations/world.csv) for the US, China and Japan (w_ai_us, w_ai_cn,
    w_ai_jp) and Japan's rank (w_ai_jp_rank, 位)."""
    glue.given("w_ai_us", data.lookup(obs, "ai_private_investment_aiindex2024|US|CY2023"))
    glue.given("w_ai_cn", data.lookup(obs, "ai_private_investment_aiindex2024|CN|CY2023"))
    glue.given("w_ai_jp", data.lookup(obs, "ai_private_investment_aiindex2024|JP|CY2023"))
    glue.amount("w_ai_jp_rank", data.value(obs, "ai_private_investment_rank_aiindex2024|JP|CY2023"), "rank")


def glue_ai_other_years(obs: pd.DataFrame) -> None:
    """Glue private AI investment of the AI Index's other editions (data/observations/world.csv):
    2022, Japan's rank and its share of the US as given (w_ai22_rank, w_ai22_jp_us, %);
    2024, the US, China and the UK in 億ドル (w_ai24_us, w_ai24_cn, w_ai24_uk)."""
    glue.amount("w_ai22_rank", data.value(obs, "ai_private_investment_rank_aiindex2023|JP|CY2022"), "rank")
    glue.given("w_ai22_jp_us", data.lookup(obs, "ai_private_investment_jp_vs_us_aiindex2023|JP|CY2022"))
    glue.text("w_ai24_us", usd_of(obs, "ai_private_investment_aiindex2025|US|CY2024"))
    glue.text("w_ai24_cn", usd_of(obs, "ai_private_investment_aiindex2025|CN|CY2024"))
    glue.text("w_ai24_uk", usd_of(obs, "ai_private_investment_aiindex2025|UK|CY2024"))


def glue_new_companies(obs: pd.DataFrame) -> dict[str, float]:
    """Glue the number of AI companies newly funded in 2023 in the US, China and Japan
    (w_newco_us, w_newco_cn, w_newco_jp; 社; AI Index 2024 via 総務省); return them by entity."""
    firms = {entity: data.value(obs, f"ai_newly_funded_companies_aiindex2024|{entity}|CY2023")
             for entity in ("US", "CN", "JP")}
    glue.amount("w_newco_us", firms["US"], "firms")
    glue.amount("w_newco_cn", firms["CN"], "firms")
    glue.amount("w_newco_jp", firms["JP"], "firms")
    return firms


def glue_genai(obs: pd.DataFrame) -> pd.DataFrame:
    """Glue the share of individuals who have used generative AI in 総務省's FY2024
    survey (w_genai_jp, w_genai_us, w_genai_cn, w_genai_de; %, one decimal);
    return the survey's rows (data/observations/ai.csv, genai_use_individual)."""
    rows = data.series(obs, "genai_use_individual")
    rows = rows[rows["period"] == "FY2024"]
    share = rows.set_index("entity")["value"]
    if set(share.index) != {"JP", "US", "CN", "DE"}:
        raise ValueError(f"the FY2024 survey now covers {sorted(share.index)}: glue the others")
    glue.amount("w_genai_jp", share["JP"], "percent", 1)
    glue.amount("w_genai_us", share["US"], "percent", 1)
    glue.amount("w_genai_cn", share["CN"], "percent", 1)
    glue.amount("w_genai_de", share["DE"], "percent", 1)
    return rows


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
    a_head = f"民間AI投資（{text.year(ai['year'].iloc[0])}）"
    g_head = f"生成AIの個人利用（{text.fiscal_year(genai['year'].iloc[0])}調査）"
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


def tiers_table(tiers: pd.DataFrame) -> pd.DataFrame:
    """The AI Act's risk tiers (data/tables/w_eu_ai_act_tiers.csv) for the chapter's
    table: tier, examples, obligations, the date each applies from, its articles."""
    return renamed(tiers, TIER_COLUMNS, "applies_from")


def glue_ai_act_dates(obs: pd.DataFrame) -> None:
    """Glue the dates the AI Act was adopted and entered into force (w_aiact_adopted,
    w_aiact_in_force; data/observations/world.csv, from EUR-Lex)."""
    glue.text("w_aiact_adopted", text.period(data.series(obs, "eu_ai_act_adopted", "EU")["period"].iloc[0]))
    glue.text("w_aiact_in_force", text.period(data.series(obs, "eu_ai_act_in_force", "EU")["period"].iloc[0]))


def glue_applies_from(tiers: pd.DataFrame) -> pd.Series:
    """Glue the dates the bans and the high-risk rules apply from (w_aiact_ban,
    w_aiact_high3 for the uses of Annex III, w_aiact_high1 for the products of
    Annex I); return each tier's date (ISO) by its English name."""
    applies = tiers.set_index("tier_en")["applies_from"]
    glue.text("w_aiact_ban", text.period(applies["Unacceptable risk"]))
    glue.text("w_aiact_high3", text.period(applies["High risk (Annex III)"]))
    glue.text("w_aiact_high1", text.period(applies["High risk (Annex I)"]))
    return applies


def timeline_chart(timeline: pd.DataFrame, description: str = TIMELINE) -> alt.Chart:
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
