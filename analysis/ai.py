"""Market and survey computations of the AI chapter (04_ai).

- the generative-AI market of 富士キメラ総研 (two values and a stated
  multiple): the base year's value that the multiple implies, the multiple
  and the CAGR from the year the source does give (:func:`genai_growth`; the
  summary chapter reads this one result too);
- the survey shares behind 「9%」 and 「85%以上」: Wilson intervals, the rounding
  of a published share, the count of adopting firms a share implies;
- the 総務省 international comparison: each country's share per survey and
  Japan's gap to the others, in points and as a multiple;
- the language models behind 「従来の国産モデルの10倍以上」: parameter counts
  in one unit, the bases the ledger compares with.

Every value comes from data/observations/ai.csv, every unit conversion goes
through data/units.csv, and every frame a chart plots carries its unit and
the references.bib keys of its values (:func:`analysis.charts.sourced`).
Shares are in percent unless a name says ``fraction``. The ``glue_*``
functions glue a paragraph's texts under the names its prose uses (each name
written out); each ``*_chart`` function is one figure of the chapter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import altair as alt
import pandas as pd

from analysis import charts, claims, data, glue, growth, stats, text, units
from analysis.verdicts import Ledger

# Observations (series|entity|period) read by the chapter.
GENAI_ESTIMATE = "genai_market_fujichimera|JP|FY2024"
GENAI_FORECAST = "genai_market_fujichimera|JP|FY2028"
GENAI_MULTIPLE = "genai_multiple_fujichimera|JP|FY2023-FY2028"
GENAI_SHARE_STATED = "genai_share_fujichimera|JP|FY2028"
# The series genai_growth reads: another page shows the 12x check with only these
# (data.observed_series("ai", *GENAI_GROWTH_SERIES))
GENAI_GROWTH_SERIES = tuple(dict.fromkeys(ref.split("|")[0] for ref in (GENAI_ESTIMATE, GENAI_FORECAST,
                                                                        GENAI_MULTIPLE)))
AI_TOTAL = "ai_market_total|JP|FY2028"
IDC_START = "idc_ai_market|JP|CY2023"
IDC_END = "idc_ai_market|JP|CY2028"
NRI_USE = "nri_genai_use|JP|2024-08"
NRI_AWARE = "nri_genai_awareness|JP|2024-08"
NRI_SAMPLE = "nri_sample|JP|2024-08"
TDB_USING = "tdb_genai_using|JP|2025-02 報道"
TDB_BENEFIT = "tdb_genai_benefit|JP|2025-02 報道"
TDB_SAMPLE = "tdb_sample|JP|2025-02 報道"
LLM_SERIES = "llm_params"
LLM_RELEASED = "llm_params|LLM-jp-3 172B（公開版）|2024-12"
"""The model LLM-jp released after the trial run the article names."""
NICT_179B = "llm_params|NICT 179B|2023-09"
"""NICT's model in training when AIST's trial started, announced complete only after it."""
LLM_UNIT = "oku_params"
"""Unit in which the chapter shows parameter counts (億パラメータ, as the article)."""

KIND = charts.KIND_LABELS
BAR_ROW = 36
"""Height (px) of one bar of a horizontal bar chart."""

HOME = "JP"
"""The entity the international comparison measures the others against."""


def period_years(period: str) -> list[int]:
    """The years a period label names, in order: 'FY2023-FY2028' -> [2023, 2028]."""
    years = [int(y) for y in re.findall(r"(?:19|20)\d\d", period)]
    if not years:
        raise ValueError(f"period {period!r} names no year")
    return years



def sources_of(obs: pd.DataFrame, *refs: str) -> str:
    """The references.bib keys of observations, once each, separated by spaces."""
    return charts.joined_sources(data.lookup(obs, ref)["source"] for ref in refs)



# ---- the generative-AI market ---------------------------------------------------


@dataclass(frozen=True)
class GenaiGrowth:
    """富士キメラ総研's generative-AI market: the two values the source gives,
    its stated multiple, and what follows from them (amounts in ``unit``,
    rates as fractions per year)."""

    unit: str
    base_year: int            # the year the stated multiple counts from (no value given)
    estimate_year: int        # the first year with a value (見込)
    forecast_year: int        # the year of the forecast
    estimate: float
    forecast: float
    stated_multiple: float
    implied_base: float       # forecast / stated multiple: derived, not a source's value
    multiple_from_estimate: float
    cagr_from_base: float
    cagr_from_estimate: float
    sources: str


def genai_growth(obs: pd.DataFrame) -> GenaiGrowth:
    """The 12x check of the article: stated multiple, implied base, multiple and CAGR from the estimate."""
    estimate, forecast = data.lookup(obs, GENAI_ESTIMATE), data.lookup(obs, GENAI_FORECAST)
    multiple = data.lookup(obs, GENAI_MULTIPLE)
    if estimate["unit"] != forecast["unit"]:
        raise ValueError(f"{GENAI_ESTIMATE} and {GENAI_FORECAST} must share a unit")
    base_year, forecast_year = period_years(multiple["period"])[0], int(forecast["year"])
    estimate_year = int(estimate["year"])
    implied = growth.implied_base(forecast["value"], multiple["value"])
    return GenaiGrowth(
        unit=str(forecast["unit"]), base_year=base_year, estimate_year=estimate_year,
        forecast_year=forecast_year, estimate=float(estimate["value"]), forecast=float(forecast["value"]),
        stated_multiple=float(multiple["value"]), implied_base=implied,
        multiple_from_estimate=growth.multiple_of(forecast["value"], estimate["value"]),
        cagr_from_base=growth.cagr_from_multiple(multiple["value"],
                                                 growth.years_between(base_year, forecast_year)),
        cagr_from_estimate=growth.cagr(estimate["value"], forecast["value"],
                                       growth.years_between(estimate_year, forecast_year)),
        sources=sources_of(obs, GENAI_ESTIMATE, GENAI_FORECAST, GENAI_MULTIPLE),
    )


def glue_market(g: GenaiGrowth) -> None:
    """Glue the paragraphs on 「12倍」: the two values the source gives and the base
    its stated multiple implies (in ``g.unit``), the stated multiple, and the
    CAGRs from that base and from the estimate (percent per year)."""
    glue.amount("ai_genai_2024", g.estimate, g.unit)
    glue.amount("ai_genai_2028", g.forecast, g.unit)
    glue.text("ai_multiple_stated", text.multiple(g.stated_multiple))
    glue.amount("ai_implied_2023", g.implied_base, g.unit)
    glue.text("ai_cagr_23_28", text.rate(g.cagr_from_base))
    glue.text("ai_cagr_24_28", text.rate(g.cagr_from_estimate))


def genai_market_frame(g: GenaiGrowth) -> pd.DataFrame:
    """The three bars of the market chart: implied base, estimate and forecast, with labels."""
    frame = pd.DataFrame({
        "年度": [text.fiscal_year(y) for y in (g.base_year, g.estimate_year, g.forecast_year)],
        "市場規模": [g.implied_base, g.estimate, g.forecast],
        "区分": [f"{KIND['derived']}（倍率から逆算）", f"{KIND['estimate']}（出典の値）",
                 f"{KIND['forecast']}（出典の値）"],
    })
    frame["ラベル"] = [text.amount(v, g.unit) for v in frame["市場規模"]]
    return charts.sourced(frame, text.unit_label(g.unit), g.sources)


def genai_market_chart(g: GenaiGrowth) -> alt.LayerChart:
    """Bars of the market by year (implied base, estimate, forecast), coloured
    by the kind of value and labelled with the amounts, in ``g.unit``."""
    frame = genai_market_frame(g)
    return charts.bar(frame, x="年度", y="市場規模", x_title="年度",
                      y_title=f"市場規模（{text.unit_label(g.unit)}）", color="区分", color_title="値の種類",
                      labels="ラベル", sort=list(frame["年度"]),
                      description="国内生成AI関連市場：2023年度（倍率からの逆算値）、2024年度見込、"
                                  "2028年度予測の棒グラフ")


@dataclass(frozen=True)
class GenaiShare:
    """The generative-AI forecast as a share of a total AI market (percent)."""

    total: float
    share: float          # computed, percent
    stated: float         # the share the secondary report states, percent
    consistent: bool      # within the ledger's default tolerance of the stated share


def genai_share(obs: pd.DataFrame, g: GenaiGrowth) -> GenaiShare:
    """The forecast's share of the unattributed total, against the share the report states."""
    total = data.convert(data.value(obs, AI_TOTAL), data.lookup(obs, AI_TOTAL)["unit"], g.unit)
    share = units.to_percent(growth.share(g.forecast, total))
    stated = data.value(obs, GENAI_SHARE_STATED)
    return GenaiShare(total, share, stated, abs(share - stated) <= claims.DEFAULT_TOLERANCE * stated)


@dataclass(frozen=True)
class Growth:
    """A series' growth between two observations (rate as a fraction per year)."""

    start: float
    end: float
    unit: str
    start_year: int
    end_year: int
    cagr: float


def growth_between(obs: pd.DataFrame, start_ref: str, end_ref: str) -> Growth:
    """CAGR between two observations of one series, in the start's unit."""
    start, end = data.lookup(obs, start_ref), data.lookup(obs, end_ref)
    end_value = data.convert(end["value"], end["unit"], start["unit"])
    years = growth.years_between(start["year"], end["year"])
    return Growth(float(start["value"]), end_value, str(start["unit"]), int(start["year"]), int(end["year"]),
                  growth.cagr(start["value"], end_value, years))


def glue_totals(share: GenaiShare, g: GenaiGrowth, idc: Growth) -> None:
    """Glue the paragraphs on the total AI market: the unattributed total (in
    ``g.unit``), the generative-AI share of it against the stated share
    (percent), and IDC's series (as given) with its CAGR."""
    glue.amount("ai_total_2028", share.total, g.unit)
    glue.text("ai_genai_share", text.percent(share.share))
    glue.text("ai_genai_share_stated", text.percent(share.stated, 0))
    glue.text("ai_idc_2023", text.given(idc.start, idc.unit))
    glue.text("ai_idc_2028", text.given(idc.end, idc.unit))
    glue.text("ai_idc_cagr", text.rate(idc.cagr))


# ---- surveys: 「9%」 and 「85%以上」 ------------------------------------------------



def count_from_share(share: float, unit: str, total: int) -> int:
    """How many of ``total`` a share in ``unit`` stands for, rounded: 17.3 % of 4,705 -> 814."""
    return int(round(units.to_fraction(share, unit) * total))


@dataclass(frozen=True)
class PersonSurvey:
    """野村総合研究所's survey of individuals: use and awareness of generative AI."""

    use: float
    aware: float
    n: int
    use_ci: stats.Interval
    use_rounding: tuple[float, float]
    sources: str

    @property
    def ci_width(self) -> float:
        return self.use_ci.high - self.use_ci.low

    @property
    def rounding_width(self) -> float:
        return self.use_rounding[1] - self.use_rounding[0]

    @property
    def aware_gap(self) -> float:
        """Awareness minus use, in percentage points."""
        return self.aware - self.use


def person_survey(obs: pd.DataFrame) -> PersonSurvey:
    """野村総合研究所's survey (percent, as published): use, awareness, respondents,
    the Wilson interval of use and the range its rounding allows."""
    use, n = data.value(obs, NRI_USE), int(data.value(obs, NRI_SAMPLE))
    return PersonSurvey(use, data.value(obs, NRI_AWARE), n, stats.proportion_ci(use, n),
                        text.rounding_bounds(use), sources_of(obs, NRI_USE, NRI_SAMPLE))


@dataclass(frozen=True)
class FirmSurvey:
    """帝国データバンク's survey of firms: use of generative AI, and benefit among users."""

    n: int
    using: float
    benefit: float
    adopters: int                 # estimated: n × using (the count is not published)
    using_ci: stats.Interval
    benefit_ci: stats.Interval
    sources: str


def firm_survey(obs: pd.DataFrame) -> FirmSurvey:
    """帝国データバンク's survey (percent, as reported): use among respondents, benefit
    among the adopters it implies, and the Wilson intervals of both."""
    n = int(data.value(obs, TDB_SAMPLE))
    using, benefit = data.lookup(obs, TDB_USING), data.lookup(obs, TDB_BENEFIT)
    adopters = count_from_share(using["value"], using["unit"], n)
    return FirmSurvey(n, float(using["value"]), float(benefit["value"]), adopters,
                      stats.proportion_ci(using["value"], n), stats.proportion_ci(benefit["value"], adopters),
                      sources_of(obs, TDB_SAMPLE, TDB_USING, TDB_BENEFIT))


def glue_firm(firm: FirmSurvey, stated_share: float) -> None:
    """Glue the paragraph on 「85%以上」: respondents, use and benefit (percent),
    the estimated adopters, the benefit's Wilson interval and the article's
    share ``stated_share`` (percent, written whole)."""
    glue.amount("ai_tdb_n", firm.n, "firms")
    glue.text("ai_tdb_using", text.percent(firm.using))
    glue.text("ai_tdb_benefit", text.percent(firm.benefit))
    glue.text("ai_tdb_adopters", text.about(text.amount(firm.adopters, "firms")))
    glue.text("ai_tdb_low", text.percent(firm.benefit_ci.low))
    glue.text("ai_tdb_high", text.percent(firm.benefit_ci.high))
    glue.text("ai_tdb_stated", text.percent(stated_share, 0))


def usage_gap_frame(person: PersonSurvey, firm: FirmSurvey) -> pd.DataFrame:
    """Estimates with their intervals: individuals' use, firms' use, benefit among adopting firms."""
    rows = [("個人：生成AIの利用率（野村総研）", person.use_ci, person.sources),
            ("企業：生成AIの活用率（帝国データバンク）", firm.using_ci, firm.sources),
            ("導入企業：効果を実感（帝国データバンク）", firm.benefit_ci, firm.sources)]
    frame = pd.DataFrame({
        "指標": [r[0] for r in rows],
        "推定値": [r[1].estimate for r in rows],
        "下限": [r[1].low for r in rows],
        "上限": [r[1].high for r in rows],
        charts.UNIT: text.unit_label("percent"),
        charts.SOURCE: [r[2] for r in rows],
    })
    return frame


def usage_gap_chart(person: PersonSurvey, firm: FirmSurvey) -> alt.LayerChart:
    """The three shares (percent) of :func:`usage_gap_frame` with their intervals at
    :data:`analysis.stats.LEVEL`; narrow, for the long names of the rows."""
    frame = usage_gap_frame(person, firm)
    return charts.interval(frame, y="指標", estimate="推定値", low="下限", high="上限", y_title="",
                           x_title=f"割合（%）と{text.rate(stats.LEVEL, 0)}信頼区間",
                           sort=list(frame["指標"]),
                           description="個人の生成AI利用率、企業の活用率、導入企業の効果実感率の点推定と信頼区間",
                           width=charts.NARROW_WIDTH)


# ---- the international comparison (総務省) ------------------------------------


FIRM_QUESTIONS = {
    "genai_use_firm_docs": "資料作成等の補助に使用中",
    "genai_use_firm_any": "何らかの業務で利用",
}
"""What each firm series of the 総務省 survey asked (the questions differ by year)."""


def survey_label(year: int) -> str:
    """The name of the 総務省 survey of a fiscal year: 2024 -> '2024年度調査'."""
    return f"{text.fiscal_year(year)}調査"



def country_shares(obs: pd.DataFrame, series: str) -> pd.DataFrame:
    """One survey series by country: entity, 国 (its Japanese name), year, 調査, value, unit, 単位, 出典."""
    rows = data.series(obs, series)
    return pd.DataFrame({
        "entity": rows["entity"],
        "国": [data.entity_label(e) for e in rows["entity"]],
        "year": rows["year"],
        "調査": [survey_label(y) for y in rows["year"]],
        "value": rows["value"],
        charts.UNIT: [text.unit_label(u) for u in rows["unit"]],
        charts.SOURCE: rows["source"],
    })


def firm_shares(obs: pd.DataFrame) -> pd.DataFrame:
    """The firm series by country, each survey with its question (質問)."""
    frames = [country_shares(obs, series) for series in FIRM_QUESTIONS]
    for frame, question in zip(frames, FIRM_QUESTIONS.values(), strict=True):
        frame["質問"] = [f"{survey_label(y)}：{question}" for y in frame["year"]]
    return pd.concat(frames, ignore_index=True)


def share_of(frame: pd.DataFrame, entity: str, year: int) -> float:
    """The share of ``entity`` in the survey of ``year``."""
    rows = frame[(frame["entity"] == entity) & (frame["year"] == year)]
    if len(rows) != 1:
        raise KeyError(f"no single value for {entity!r} in {year}")
    return float(rows["value"].iloc[0])


def gaps(frame: pd.DataFrame, home: str = HOME) -> pd.DataFrame:
    """Every other country against ``home`` in each survey: gap in points and multiple."""
    rows = []
    for year, survey in frame.groupby("year"):
        base = share_of(survey, home, year)
        for entity, value in zip(survey["entity"], survey["value"], strict=True):
            if entity != home:
                rows.append({"entity": entity, "year": int(year), "gap": float(value) - base,
                             "multiple": growth.multiple_of(value, base)})
    return pd.DataFrame(rows)


def lowest_everywhere(frame: pd.DataFrame, home: str = HOME) -> bool:
    """Whether ``home`` has the lowest share in every survey of ``frame``."""
    for _, survey in frame.groupby("year"):
        mine = survey["entity"] == home
        if not survey.loc[mine, "value"].max() < survey.loc[~mine, "value"].min():
            return False
    return True


def entity_order(frame: pd.DataFrame) -> list[str]:
    """Country names in the order of data/entities.csv."""
    present = set(frame["entity"])
    return [data.entity_label(e) for e in data.entities().index if e in present]


def survey_ends(frame: pd.DataFrame, home: str = HOME) -> pd.DataFrame:
    """Each country in both the first and the last survey of ``frame``: its share
    (percent), its gap to ``home`` (points) and its multiple of ``home``'s share;
    one row per entity, columns ``share_first``, ``share_last``, ``gap_first``, …"""
    first, last = int(frame["year"].min()), int(frame["year"].max())
    both = set(frame.loc[frame["year"] == first, "entity"]) & set(frame.loc[frame["year"] == last, "entity"])
    rows = {}
    for entity in [e for e in frame["entity"].unique() if e in both]:
        row = {}
        for end, year in (("first", first), ("last", last)):
            share, base = share_of(frame, entity, year), share_of(frame, home, year)
            row |= {f"share_{end}": share, f"gap_{end}": share - base,
                    f"multiple_{end}": growth.multiple_of(share, base)}
        rows[entity] = row
    return pd.DataFrame.from_dict(rows, orient="index")


def glue_individual(frame: pd.DataFrame) -> None:
    """Glue the paragraph on individuals (総務省, series genai_use_individual): the
    share in each survey ('9.1%') of the countries the paragraph names (Japan, the
    US and China), and the US' and China's gap to Japan in points and as a
    multiple of Japan's share, as :func:`gaps` computes them."""
    share = {(e, int(y)): text.percent(v) for e, y, v in zip(frame["entity"], frame["year"], frame["value"],
                                                              strict=True)}
    table = gaps(frame).set_index(["entity", "year"])
    gap = {key: text.points(table.loc[key, "gap"]) for key in table.index}
    times = {key: text.multiple(table.loc[key, "multiple"]) for key in table.index}
    glue.text("ai_ind_jp_2023", share["JP", 2023])
    glue.text("ai_ind_us_2023", share["US", 2023])
    glue.text("ai_ind_cn_2023", share["CN", 2023])
    glue.text("ai_ind_jp_2024", share["JP", 2024])
    glue.text("ai_ind_us_2024", share["US", 2024])
    glue.text("ai_ind_cn_2024", share["CN", 2024])
    glue.text("ai_gap_us_2023", gap["US", 2023])
    glue.text("ai_gap_cn_2023", gap["CN", 2023])
    glue.text("ai_gap_us_2024", gap["US", 2024])
    glue.text("ai_gap_cn_2024", gap["CN", 2024])
    glue.text("ai_multiple_us_2023", times["US", 2023])
    glue.text("ai_multiple_cn_2023", times["CN", 2023])
    glue.text("ai_multiple_us_2024", times["US", 2024])
    glue.text("ai_multiple_cn_2024", times["CN", 2024])


def glue_intl_firms(frame: pd.DataFrame) -> None:
    """Glue Japan's share of firms (percent) in each survey of :func:`firm_shares`
    (the two surveys asked different questions)."""
    glue.text("ai_firm_jp_2023", text.percent(share_of(frame, "JP", 2023)))
    glue.text("ai_firm_jp_2024", text.percent(share_of(frame, "JP", 2024)))


def individual_chart(frame: pd.DataFrame) -> alt.Chart:
    """Grouped bars of the individuals' shares (percent) by country, one bar per survey."""
    return charts.grouped_bar(frame, x="国", y="value", group="調査", x_title="国",
                              y_title="利用経験のある個人（%）", group_title="調査年度",
                              sort=entity_order(frame),
                              description="生成AIを利用したことのある個人の割合、国別、2023年度調査と2024年度調査")


def firm_chart(frame: pd.DataFrame) -> alt.Chart:
    """Grouped bars of the firms' shares (percent) by country, one bar per survey and question."""
    return charts.grouped_bar(frame, x="国", y="value", group="質問", x_title="国", y_title="企業の割合（%）",
                              group_title="調査と質問", sort=entity_order(frame),
                              description="企業の生成AI利用率、国別、2023年度調査（一業務）と2024年度調査（何らかの業務）")


# ---- language models: 「従来の国産モデルの10倍以上」 ------------------------------


def llm_frame(obs: pd.DataFrame, unit: str = LLM_UNIT) -> pd.DataFrame:
    """The models' parameter counts in ``unit``, in file order, with labels for the chart."""
    rows = obs[obs["series"] == LLM_SERIES]
    values = [data.convert(v, u, unit) for v, u in zip(rows["value"], rows["unit"], strict=True)]
    names = [data.entity_label(e) for e in rows["entity"]]
    return pd.DataFrame({
        "entity": rows["entity"].to_numpy(),
        "モデル": [f"{name}（{p}）" for name, p in zip(names, rows["period"], strict=True)],
        "period": rows["period"].to_numpy(),
        "パラメータ数": values,
        "ラベル": [text.amount(v, unit) for v in values],
        charts.UNIT: text.unit_label(unit),
        charts.SOURCE: rows["source"].to_numpy(),
    })


def params(obs: pd.DataFrame, ref: str, unit: str = LLM_UNIT) -> float:
    """One model's parameter count in ``unit``."""
    row = data.lookup(obs, ref)
    return data.convert(row["value"], row["unit"], unit)


def bases(ledger: Ledger, statement_id: str) -> pd.DataFrame:
    """The plausible bases of a multiple the ledger checked: the model compared
    with (entity of reference b), its ratio, the outcome, and whether it decides."""
    checks = ledger.checks_of(statement_id)
    return pd.DataFrame({
        "entity": [ref.split("|")[1] for ref in checks["b"]],
        "ref": checks["b"].to_numpy(),
        "basis": checks["basis"].to_numpy(),
        "ratio": checks["computed"].astype(float).to_numpy(),
        "stated": checks["stated"].astype(float).to_numpy(),
        "outcome": checks["outcome"].to_numpy(),
        "decides": checks["decides"].astype(bool).to_numpy(),
    })


def glue_trial(obs: pd.DataFrame, target: str) -> None:
    """Glue the sizes (in :data:`LLM_UNIT`) of the trial run ``target`` the article
    names and of the model LLM-jp released (:data:`LLM_RELEASED`)."""
    glue.amount("ai_llm_target", params(obs, target), LLM_UNIT)
    glue.amount("ai_llm_final", params(obs, LLM_RELEASED), LLM_UNIT)


def glue_bases(obs: pd.DataFrame, readings: pd.DataFrame) -> None:
    """Glue the paragraph on 「従来の国産モデル」: the two models the ledger reads it as
    (``readings``, :func:`bases` indexed by entity: size in :data:`LLM_UNIT` and
    the ledger's multiple, to two decimals), and the size of NICT 179B, not a reading."""
    llm_13b, nict_40b = readings.loc["LLM-jp 13B"], readings.loc["NICT 40B"]
    glue.amount("ai_llm_13b", params(obs, llm_13b["ref"]), LLM_UNIT)
    glue.text("ai_ratio_13b", text.multiple(llm_13b["ratio"], 2))
    glue.amount("ai_llm_40b", params(obs, nict_40b["ref"]), LLM_UNIT)
    glue.text("ai_ratio_40b", text.multiple(nict_40b["ratio"], 2))
    glue.amount("ai_llm_179b", params(obs, NICT_179B), LLM_UNIT)


LLM_DESCRIPTION = ("国産大規模言語モデルのパラメータ数（億）の比較："
                   "産総研の支援による試行学習、その公開版、比較の基準になり得る三つのモデル（横棒グラフ）")
"""The accessible description of the chart of the language models."""


def llm_chart(frame: pd.DataFrame, description: str = LLM_DESCRIPTION) -> alt.LayerChart:
    """Horizontal bars of the models' parameter counts, labelled with their values
    (model names are long: bars run across, names stay whole)."""
    y = alt.Y("モデル:N", sort=list(frame["モデル"]), title=None)
    bars = alt.Chart(frame).mark_bar(color=charts.PALETTE[0]).encode(
        y=y, x=alt.X("パラメータ数:Q", title=f"パラメータ数（{frame[charts.UNIT].iloc[0]}）"),
        tooltip=[alt.Tooltip("モデル:N"), alt.Tooltip("ラベル:N", title="パラメータ数"),
                 alt.Tooltip(f"{charts.SOURCE}:N")])
    text = alt.Chart(frame).mark_text(align="left", dx=4, fontSize=12).encode(
        y=y, x="パラメータ数:Q", text="ラベル:N")
    return alt.layer(bars, text, description=description).properties(
        width=charts.NARROW_WIDTH, height=BAR_ROW * len(frame))
