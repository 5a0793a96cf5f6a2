"""Tests of analysis.ai: the generative-AI market, the surveys, the
international comparison and the language models of the AI chapter."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import ai, charts, data, glue, verdicts


@pytest.fixture(scope="module")
def obs() -> pd.DataFrame:
    return data.observations("ai")


@pytest.fixture(scope="module")
def ledger(obs) -> verdicts.Ledger:
    return verdicts.evaluate(obs, "04_ai")


@pytest.fixture
def glued(monkeypatch) -> dict[str, str]:
    """The texts the code under test glues, by name (nothing reaches myst-nb)."""
    found: dict[str, str] = {}
    monkeypatch.setattr(glue, "text", lambda name, text: found.__setitem__(name, text))
    return found


def tiny(rows: list[tuple]) -> pd.DataFrame:
    """Observations in the data's columns, for tests that need values of their own."""
    columns = ["series", "entity", "period", "year", "value", "unit", "kind", "confidence", "source", "note"]
    return pd.DataFrame(rows, columns=columns)


def test_period_years():
    assert ai.period_years("FY2023-FY2028") == [2023, 2028]
    assert ai.period_years("CY2023") == [2023]
    with pytest.raises(ValueError, match="names no year"):
        ai.period_years("報道")


def test_genai_growth_reads_the_base_year_from_the_multiple(obs):
    g = ai.genai_growth(obs)
    assert (g.base_year, g.estimate_year, g.forecast_year) == (2023, 2024, 2028)
    assert g.implied_base == pytest.approx(17397 / 12.3)
    assert g.multiple_from_estimate == pytest.approx(17397 / 4291)
    assert g.cagr_from_base == pytest.approx(12.3 ** (1 / 5) - 1)
    assert g.cagr_from_estimate == pytest.approx((17397 / 4291) ** (1 / 4) - 1)
    assert g.unit == "oku_yen" and g.sources == "workwonders_fujichimera zenn_yokoi_genai_2026"


def test_genai_growth_follows_the_data():
    market, multiple = "genai_market_fujichimera", "genai_multiple_fujichimera"
    rows = tiny([
        (market, "JP", "FY2024", 2024, 100.0, "oku_yen", "estimate", "secondary", "k", ""),
        (market, "JP", "FY2028", 2028, 400.0, "oku_yen", "forecast", "secondary", "k", ""),
        (multiple, "JP", "FY2023-FY2028", 2028, 8.0, "ratio", "forecast", "secondary", "k", ""),
    ])
    g = ai.genai_growth(rows)
    assert g.implied_base == 50.0 and g.multiple_from_estimate == 4.0


def test_genai_market_frame_carries_unit_and_sources(obs):
    frame = ai.genai_market_frame(ai.genai_growth(obs))
    assert list(frame["年度"]) == ["2023年度", "2024年度", "2028年度"]
    assert list(frame["ラベル"]) == ["1,414億円", "4,291億円", "1兆7,397億円"]
    assert (frame[charts.UNIT] == "億円").all()
    assert (frame[charts.SOURCE] == "workwonders_fujichimera zenn_yokoi_genai_2026").all()


def test_genai_share_against_the_stated_share(obs):
    share = ai.genai_share(obs, ai.genai_growth(obs))
    assert share.share == pytest.approx(100 * 17397 / 27780)
    assert share.stated == 60 and share.consistent


def test_growth_between_two_observations(obs):
    idc = ai.growth_between(obs, ai.IDC_START, ai.IDC_END)
    assert (idc.start_year, idc.end_year, idc.unit) == (2023, 2028, "oku_yen")
    assert idc.cagr == pytest.approx((25433.62 / 6858.73) ** (1 / 5) - 1)


def test_count_from_share():
    assert ai.count_from_share(17.3, "percent", 4705) == 814
    assert ai.count_from_share(50, "percent", 3) == 2  # round half to even: 1.5 -> 2


def test_person_survey(obs):
    person = ai.person_survey(obs)
    assert person.n == 10189 and person.use == 9 and person.aware_gap == 52
    assert person.use_ci.low < person.use < person.use_ci.high
    assert person.rounding_width == pytest.approx(1.0)
    assert person.sources == "callcenter_nri_2024 netshop_nri_2025"


def test_firm_survey_interval_of_the_benefit_among_adopters(obs):
    firm = ai.firm_survey(obs)
    assert firm.adopters == 814
    assert firm.benefit_ci.n == 814 and firm.using_ci.n == 4705
    assert firm.benefit_ci.low < 85 < firm.benefit  # the chapter's sentence, from the data


def test_usage_gap_frame_has_provenance(obs):
    frame = ai.usage_gap_frame(ai.person_survey(obs), ai.firm_survey(obs))
    assert len(frame) == 3
    assert (frame["下限"] < frame["推定値"]).all() and (frame["推定値"] < frame["上限"]).all()
    assert (frame[charts.UNIT] == "%").all() and frame[charts.SOURCE].str.len().gt(0).all()


def test_country_shares_use_the_entity_labels(obs):
    frame = ai.country_shares(obs, "genai_use_individual")
    assert set(frame["国"]) == {"日本", "米国", "中国", "ドイツ", "英国"}
    assert set(frame["調査"]) == {"2023年度調査", "2024年度調査"}
    assert ai.entity_order(frame) == [data.entity_label(e) for e in ("JP", "CN", "US", "UK", "DE")]
    assert ai.share_of(frame, "JP", 2024) == 26.7


def test_gaps_in_points_and_multiples():
    frame = pd.DataFrame({"entity": ["JP", "US", "JP", "US"], "year": [2023, 2023, 2024, 2024],
                          "value": [10.0, 40.0, 20.0, 50.0]})
    table = ai.gaps(frame).set_index(["entity", "year"])
    assert table.loc[("US", 2023), "gap"] == 30 and table.loc[("US", 2024), "gap"] == 30
    assert table.loc[("US", 2023), "multiple"] == 4 and table.loc[("US", 2024), "multiple"] == 2.5


def test_lowest_everywhere():
    frame = pd.DataFrame({"entity": ["JP", "US", "JP", "US"], "year": [2023, 2023, 2024, 2024],
                          "value": [10.0, 40.0, 20.0, 50.0]})
    assert ai.lowest_everywhere(frame)
    assert not ai.lowest_everywhere(frame.assign(value=[10.0, 40.0, 60.0, 50.0]))
    assert not ai.lowest_everywhere(frame.assign(value=[10.0, 10.0, 20.0, 50.0]))  # a tie is not lowest


def test_firm_shares_name_their_question(obs):
    frame = ai.firm_shares(obs)
    assert set(frame["質問"]) == {"2023年度調査：資料作成等の補助に使用中",
                                  "2024年度調査：何らかの業務で利用"}


def test_llm_frame_in_oku_params(obs):
    frame = ai.llm_frame(obs)
    assert frame.loc[frame["entity"] == "NICT 179B", "パラメータ数"].iloc[0] == pytest.approx(1790)
    assert frame.loc[frame["entity"] == "LLM-jp 13B", "ラベル"].iloc[0] == "130億パラメータ"
    assert (frame[charts.UNIT] == "億パラメータ").all() and frame[charts.SOURCE].str.len().gt(0).all()
    assert ai.params(obs, "llm_params|NICT 40B|2023-07", "billion_params") == 40


def test_bases_read_the_ledger(obs):
    ledger = verdicts.evaluate(obs, "04_ai")
    bases = ai.bases(ledger, "ai_02").set_index("entity")
    assert bases.loc["LLM-jp 13B", "ratio"] == pytest.approx(175 / 13)
    # the readings public when AIST started (2023-10): 40B fails, 13B holds, and the holding one decides
    assert list(bases.index) == ["NICT 40B", "LLM-jp 13B"]
    assert bases["decides"].sum() == 1 and bases.loc["LLM-jp 13B", "decides"]


def test_charts_have_provenance_and_a_description(obs):
    chart = ai.llm_chart(ai.llm_frame(obs), description="説明")
    spec = chart.to_dict()
    assert charts.missing_provenance(spec) == [] and spec["description"] == "説明"


def test_glue_market_names_every_text_of_the_12x_check(obs, glued):
    ai.glue_market(ai.genai_growth(obs))
    assert glued == {"ai_genai_2024": "4,291億円", "ai_genai_2028": "1兆7,397億円",
                     "ai_multiple_stated": "12.3倍", "ai_implied_2023": "1,414億円",
                     "ai_cagr_23_28": "65.2%", "ai_cagr_24_28": "41.9%"}


def test_glue_totals(obs, glued):
    g = ai.genai_growth(obs)
    ai.glue_totals(ai.genai_share(obs, g), g, ai.growth_between(obs, ai.IDC_START, ai.IDC_END))
    assert glued["ai_total_2028"] == "2兆7,780億円"
    assert glued["ai_genai_share"] == "62.6%" and glued["ai_genai_share_stated"] == "60%"
    assert glued["ai_idc_2023"] == "6,858.73億円" and glued["ai_idc_2028"] == "2兆5,433.62億円"
    assert glued["ai_idc_cagr"].endswith("%") and len(glued) == 6


def test_glue_firm(obs, glued):
    firm = ai.firm_survey(obs)
    ai.glue_firm(firm, 85.0)
    assert glued["ai_tdb_adopters"] == "約814社" and glued["ai_tdb_stated"] == "85%"
    assert glued["ai_tdb_n"] == "4,705社" and glued["ai_tdb_using"] == "17.3%"
    assert glued["ai_tdb_low"] == f"{firm.benefit_ci.low:.1f}%" and len(glued) == 7


def test_survey_ends_compares_each_country_with_japan():
    frame = pd.DataFrame({"entity": ["JP", "US", "UK", "JP", "US"], "year": [2023, 2023, 2023, 2024, 2024],
                          "value": [10.0, 40.0, 30.0, 20.0, 50.0]})
    ends = ai.survey_ends(frame)
    assert list(ends.index) == ["JP", "US"]  # UK is not in the last survey
    assert ends.loc["JP", "share_first"] == 10 and ends.loc["JP", "gap_last"] == 0
    assert ends.loc["US", "gap_first"] == 30 and ends.loc["US", "gap_last"] == 30
    assert ends.loc["US", "multiple_first"] == 4 and ends.loc["US", "multiple_last"] == 2.5


def test_glue_individual_names_each_country_and_survey(obs, glued):
    ai.glue_individual(ai.country_shares(obs, "genai_use_individual"))
    assert glued["ai_ind_jp_2023"] == "9.1%" and glued["ai_ind_us_2024"] == "68.8%"
    assert glued["ai_gap_us_2023"] == "37.2ポイント" and glued["ai_multiple_cn_2024"] == "3.0倍"
    # the countries the paragraph names (Japan, the US, China) in both surveys; a gap
    # and a multiple for the US and China
    assert len(glued) == 6 + 4 + 4


def test_glue_bases_of_the_10x_claim(obs, ledger, glued):
    ai.glue_bases(obs, ai.bases(ledger, "ai_02").set_index("entity"))
    assert glued == {"ai_llm_13b": "130億パラメータ", "ai_ratio_13b": "13.46倍",
                     "ai_llm_40b": "400億パラメータ", "ai_ratio_40b": "4.38倍",
                     "ai_llm_179b": "1,790億パラメータ"}


def test_the_chapter_charts_have_provenance_descriptions_and_widths(obs):
    g = ai.genai_market_chart(ai.genai_growth(obs)).to_dict()
    usage = ai.usage_gap_chart(ai.person_survey(obs), ai.firm_survey(obs)).to_dict()
    individual = ai.individual_chart(ai.country_shares(obs, "genai_use_individual")).to_dict()
    firm = ai.firm_chart(ai.firm_shares(obs)).to_dict()
    llm = ai.llm_chart(ai.llm_frame(obs)).to_dict()
    for spec in (g, usage, individual, firm, llm):
        assert charts.missing_provenance(spec) == [] and spec["description"]
    assert usage["width"] == charts.NARROW_WIDTH and llm["width"] == charts.NARROW_WIDTH
    assert g["width"] == charts.WIDTH and llm["description"] == ai.LLM_DESCRIPTION
    assert g["layer"][0]["encoding"]["y"]["title"] == "市場規模（億円）"


def test_glue_intl_firms_and_trial(obs, ledger, glued):
    ai.glue_intl_firms(ai.firm_shares(obs))
    ai.glue_trial(obs, ledger.checks_of("ai_01")["a"].iloc[0])
    assert glued == {"ai_firm_jp_2023": "46.8%", "ai_firm_jp_2024": "55.2%",
                     "ai_llm_target": "1,750億パラメータ", "ai_llm_final": "1,720億パラメータ"}
