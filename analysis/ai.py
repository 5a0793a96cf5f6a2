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
Shares are in percent unless a name says ``fraction``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import altair as alt
import pandas as pd

from analysis import charts, claims, data, growth, stats, text, units
from analysis.verdicts import Ledger

# Observations (series|entity|period) read by the chapter.
GENAI_ESTIMATE = "genai_market_fujichimera|JP|FY2024"
GENAI_FORECAST = "genai_market_fujichimera|JP|FY2028"
GENAI_MULTIPLE = "genai_multiple_fujichimera|JP|FY2023-FY2028"
GENAI_SHARE_STATED = "genai_share_fujichimera|JP|FY2028"
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
LLM_UNIT = "oku_params"
"""Unit in which the chapter shows parameter counts (億パラメータ, as the article)."""

KIND = charts.KIND_LABELS
BAR_ROW = 36
"""Height (px) of one bar of a horizontal bar chart."""
NARROW_WIDTH = 270
"""Plot width (px) of a chart with long category labels beside it, so that
labels, plot and value labels fit the book's text column without scrolling."""

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
    base_to_estimate: float   # how many times the implied base the estimate is
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
        multiple_from_estimate=growth.multiple(forecast["value"], estimate["value"]),
        cagr_from_base=growth.cagr_from_multiple(multiple["value"],
                                                 growth.years_between(base_year, forecast_year)),
        cagr_from_estimate=growth.cagr(estimate["value"], forecast["value"],
                                       growth.years_between(estimate_year, forecast_year)),
        base_to_estimate=growth.multiple(estimate["value"], implied),
        sources=sources_of(obs, GENAI_ESTIMATE, GENAI_FORECAST, GENAI_MULTIPLE),
    )


def genai_market_frame(g: GenaiGrowth) -> pd.DataFrame:
    """The three bars of the market chart: implied base, estimate and forecast, with labels."""
    frame = pd.DataFrame({
        "年度": [f"{y}年度" for y in (g.base_year, g.estimate_year, g.forecast_year)],
        "市場規模": [g.implied_base, g.estimate, g.forecast],
        "区分": [f"{KIND['derived']}（倍率から逆算）", f"{KIND['estimate']}（出典の値）",
                 f"{KIND['forecast']}（出典の値）"],
    })
    frame["ラベル"] = [text.amount(v, g.unit) for v in frame["市場規模"]]
    return charts.sourced(frame, text.unit_label(g.unit), g.sources)


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
    n = int(data.value(obs, TDB_SAMPLE))
    using, benefit = data.lookup(obs, TDB_USING), data.lookup(obs, TDB_BENEFIT)
    adopters = count_from_share(using["value"], using["unit"], n)
    return FirmSurvey(n, float(using["value"]), float(benefit["value"]), adopters,
                      stats.proportion_ci(using["value"], n), stats.proportion_ci(benefit["value"], adopters),
                      sources_of(obs, TDB_SAMPLE, TDB_USING, TDB_BENEFIT))


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


# ---- the international comparison (総務省) ------------------------------------


FIRM_QUESTIONS = {
    "genai_use_firm_docs": "資料作成等の補助に使用中",
    "genai_use_firm_any": "何らかの業務で利用",
}
"""What each firm series of the 総務省 survey asked (the questions differ by year)."""


def survey_label(year: int) -> str:
    return f"{year}年度調査"



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
                             "multiple": growth.multiple(value, base)})
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


def llm_chart(frame: pd.DataFrame, description: str) -> alt.LayerChart:
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
        width=NARROW_WIDTH, height=BAR_ROW * len(frame))
