"""Unit tests of analysis.world: amounts in 億ドル through data/units.csv, dates
in Japanese, the sourced frames of the world chapter's charts and tables."""

import pandas as pd
import pytest

from analysis import charts, data, world


def obs(*rows):
    """Observations as the loaders give them (series, entity, period, year, value, unit, source)."""
    columns = ["series", "entity", "period", "year", "value", "unit", "source"]
    return pd.DataFrame(rows, columns=columns)


def test_every_dollar_unit_is_converted_to_oku_usd():
    assert world.in_usd(15.3, "usd_billion") == pytest.approx(153.0)
    assert world.in_usd(449, "usd_million") == pytest.approx(4.49)
    assert world.in_usd(6.8, "oku_usd") == pytest.approx(6.8)
    assert world.usd(15.3, "usd_billion", 0) == "153億ドル"
    assert world.usd(109.1, "usd_billion") == "1,091億ドル"


def test_a_yen_amount_is_not_a_dollar_unit():
    with pytest.raises(ValueError, match="cannot convert"):
        world.in_usd(800, "oku_yen")


def test_ratio_converts_b_to_the_unit_of_a():
    frame = obs(["pledge", "US", "2022-06", 2022, 1.9, "usd_billion", "k"],
                ["spend", "US", "FY2023", 2023, 932, "usd_million", "k"])
    assert world.ratio(frame, "pledge|US|2022-06", "spend|US|FY2023") == pytest.approx(1900 / 932)


def test_the_year_of_a_date():
    assert world.year_of("2022-06-15") == 2022
    with pytest.raises(ValueError, match="not a date"):
        world.year_of("—")


def test_quoted_year_reads_the_article_s_year():
    assert world.quoted_year("量子技術分野への投資は2023年時点で153億ドルに達し") == 2023
    with pytest.raises(ValueError, match="no year"):
        world.quoted_year("規模で劣る")


def test_usd_of_formats_one_observation():
    frame = obs(["s", "US", "FY2023", 2023, 932, "usd_million", "k"])
    assert world.usd_of(frame, "s|US|FY2023") == "9.32億ドル"


def funding_obs():
    return obs(["quantum_public_funding_mck2022", "CN", "2022-06", 2022, 15.3, "usd_billion", "mck"],
               ["quantum_public_funding_mck2022", "EU", "2022-06", 2022, 7.2, "usd_billion", "mck"],
               ["quantum_public_funding_tqi_confirmed", "CN", "2023", 2023, 4, "usd_billion", "tqi"],
               ["quantum_public_funding_optica2024", "EU", "2023-12", 2023, 9.8, "usd_billion", "opt"],
               ["quantum_public_funding_optica2024", "DE", "2023-12", 2023, 5.2, "usd_billion", "opt"],
               ["other_series", "CN", "2022", 2022, 99, "usd_billion", "x"])


def funding_sources():
    return pd.DataFrame({"series": list(world.FUNDING),
                         "published": ["2022-06-15", "2023-04頃", "2024-06", "2023", "2023"]})


def test_funding_rows_carry_country_aggregator_unit_and_their_own_source():
    frame = world.funding(funding_obs(), funding_sources())
    assert list(frame["国"]) == ["中国", "EU", "中国", "EU", "ドイツ"]
    assert frame["集計"].iloc[0] == "McKinsey（2022年6月15日）"
    assert frame["億ドル"].tolist() == pytest.approx([153, 72, 40, 98, 52])
    assert set(frame[charts.UNIT]) == {"億ドル"}
    assert frame[charts.SOURCE].tolist() == ["mck", "mck", "tqi", "opt", "opt"]
    assert charts.missing_provenance(world.funding_chart(frame).to_dict()) == []


def test_first_in_each_count_skips_counts_without_the_entity_or_a_rival():
    frame = world.funding(funding_obs(), funding_sources())
    first = world.first_in_each_count(frame, "CN")
    assert first.to_dict() == {"McKinsey（2022年6月15日）": True}  # TQI counts only China, Optica no China
    assert world.first_in_each_count(frame, "DE").to_dict() == {"Optica（2024年6月）": False}


def test_ai_investment_is_sorted_with_the_source_value_and_the_highlight():
    frame = world.ai_investment(obs(["ai", "JP", "CY2023", 2023, 6.8, "oku_usd", "n"],
                                    ["ai", "US", "CY2023", 2023, 67.22, "usd_billion", "n"]), "ai")
    assert list(frame["国"]) == ["米国", "日本"]
    assert frame["億ドル"].tolist() == pytest.approx([672.2, 6.8])
    assert list(frame["ラベル"]) == ["67.22十億ドル", "6.8億ドル"]
    assert list(frame["区分"]) == ["その他", "日本"]


def test_models_table_marks_missing_values_and_stand_ins():
    models = pd.DataFrame({"entity": ["US", "EU", "EU"], "region": ["米国", "EU", "EU"],
                           "model": ["民間主導", "規制主導", "規制主導"],
                           "instrument": ["法A", "規則B", "指針C"],
                           "date": ["2018-12-21", "2024-06", "2021年度"]})
    funding = world.funding(funding_obs(), funding_sources())
    quantum = funding[funding["series"] == "quantum_public_funding_mck2022"]
    ai = world.ai_investment(obs(["ai", "US", "CY2023", 2023, 672.2, "oku_usd", "n"]), "ai")
    genai = obs(["g", "DE", "FY2024", 2024, 59.2, "percent", "s"],
                ["g", "US", "FY2024", 2024, 68.8, "percent", "s"])
    table = world.models_table(models, quantum, ai, genai, {"EU": "DE"})
    assert list(table["地域"]) == ["米国", "EU"]  # the names of data/entities.csv
    assert table.loc[0, "主な制度と出来事"] == "法A（2018年12月21日）"
    assert table.loc[1, "主な制度と出来事"] == "規則B（2024年6月）、指針C（2021年度）"
    assert list(table.iloc[:, 3]) == ["—", "72億ドル"]
    assert list(table["民間AI投資（2023年）"]) == ["672.2億ドル", "—"]
    assert list(table["生成AIの個人利用（2024年度調査）"]) == ["68.8%", "59.2%（ドイツ）"]


def test_timeline_chart_rows_carry_their_sources():
    timeline = pd.DataFrame({"date": ["2024-06-13", "2024-08-01"], "event": ["採択", "発効"],
                             "source": ["eurlex_ai_act", "eurlex_ai_act"]})
    spec = world.timeline_chart(timeline, "年表").to_dict()
    assert charts.missing_provenance(spec) == []
    assert spec["description"] == "年表"
    assert world.timeline_chart(timeline).to_dict()["description"] == world.TIMELINE


@pytest.fixture(scope="module")
def book_obs():
    return data.observations("world", "ai", "quantum")


def test_small_texts_of_the_chapter():
    frame = obs(["s", "US", "FY2023", 2023, 932, "usd_million", "k"],
                ["b", "JP", "FY2019", 2019, 160, "oku_yen", "x"])
    assert world.amount_of(frame, "b|JP|FY2019") == "160億円"
    assert world.ref(frame.iloc[0]) == "s|US|FY2023"


def test_renamed_keeps_the_columns_given_in_order_with_dates_as_prose():
    table = pd.DataFrame({"b": ["x"], "date": ["2024-06"], "other": [1]})
    shown = world.renamed(table, {"date": "日付", "b": "項目"}, "date")
    assert list(shown.columns) == ["日付", "項目"]
    assert shown.iloc[0].tolist() == ["2024年6月", "x"]


def test_the_sources_and_tiers_tables_write_their_dates():
    sources = world.sources_table(data.table("w_quantum_funding_sources"))
    assert list(sources.columns) == list(world.SOURCE_COLUMNS.values())
    assert sources.iloc[0]["公表"] == "2022年6月15日"
    tiers = world.tiers_table(data.table("w_eu_ai_act_tiers"))
    assert list(tiers.columns) == list(world.TIER_COLUMNS.values())
    assert tiers.iloc[0]["適用開始"] == "2025年2月2日"


def test_glue_mckinsey_glues_three_amounts_and_returns_them(glued, book_obs):
    amounts = world.glue_mckinsey(world.funding(book_obs, data.table("w_quantum_funding_sources")))
    assert glued == {"w_mck_cn": "153億ドル", "w_mck_eu": "72億ドル", "w_mck_us": "19億ドル"}
    assert amounts["CN"] == pytest.approx(153)


def test_the_quantum_counts_as_the_book_gives_them(glued, book_obs):
    world.glue_other_counts(book_obs)
    assert glued == {"w_mck24_world": "約420億ドル", "w_optica_eu": "98億ドル", "w_optica_de": "52億ドル",
                     "w_qureca_cn": "150億ドル", "w_qureca_us": "77億ドル", "w_tqi_confirmed": "約40億ドル",
                     "w_tqi_reported": "170億ドル超"}


def test_us_quantum_spending_first_and_last_fiscal_years(glued, book_obs):
    rows = world.glue_us_rd(book_obs)
    assert list(rows["period"]) == ["FY2019", "FY2023"]
    assert glued == {"w_us_rd_first": "4.49億ドル", "w_us_rd_first_period": "2019会計年度",
                     "w_us_rd_last": "9.32億ドル", "w_us_rd_last_period": "2023会計年度"}


def test_japan_s_quantum_budgets_and_fy2022_in_dollars(glued, book_obs):
    rows = world.glue_jp_budget(book_obs)
    assert list(rows["year"]) == [2019, 2020, 2021]
    assert glued == {"w_jp_q_2019": "約160億円", "w_jp_q_2020": "約330億円", "w_jp_q_2021": "約352億円",
                     "w_jp_q_2022": "800億円", "w_fx_2022": "131.46円/ドル", "w_jp_q_2022_usd": "約6.1億ドル"}


def test_private_ai_investment_as_the_ai_index_gives_it(glued, book_obs):
    world.glue_ai_investment(book_obs)
    assert glued == {"w_ai_us": "672.2億ドル", "w_ai_cn": "77.6億ドル", "w_ai_jp": "6.8億ドル",
                     "w_ai_jp_rank": "12位"}
    glued.clear()
    world.glue_ai_other_years(book_obs)
    assert glued == {"w_ai22_rank": "14位", "w_ai22_jp_us": "1.5%", "w_ai24_us": "1,091億ドル",
                     "w_ai24_cn": "93億ドル", "w_ai24_uk": "45億ドル"}


def test_the_ai_chart_names_the_smallest_country_and_the_year():
    frame = world.ai_investment(obs(["ai", "JP", "CY2023", 2023, 6.8, "oku_usd", "nikkansports_aiindex2024"],
                                    ["ai", "US", "CY2023", 2023, 67.22, "usd_billion",
                                     "nikkansports_aiindex2024"]), "ai")
    spec = world.ai_chart(frame).to_dict()
    assert spec["description"] == ("2023年の民間AI投資額の国別比較（億ドル）。"
                                   "日本は6.8億ドルで、表示した国の中で最も少ない")
    assert spec["layer"][0]["encoding"]["y"]["title"] == "民間AI投資（億ドル、2023年）"
    assert charts.missing_provenance(spec) == []


def test_newly_funded_ai_companies(glued, book_obs):
    assert world.glue_new_companies(book_obs) == {"US": 897, "CN": 122, "JP": 42}
    assert glued == {"w_newco_us": "897社", "w_newco_cn": "122社", "w_newco_jp": "42社"}


def test_generative_ai_use_in_the_fy2024_survey(glued, book_obs):
    rows = world.glue_genai(book_obs)
    assert set(rows["period"]) == {"FY2024"}
    assert glued == {"w_genai_jp": "26.7%", "w_genai_us": "68.8%", "w_genai_cn": "81.2%",
                     "w_genai_de": "59.2%"}


def test_a_survey_covering_another_country_is_refused(glued):
    frame = obs(["genai_use_individual", "UK", "FY2024", 2024, 40.0, "percent", "s"])
    with pytest.raises(ValueError, match="now covers"):
        world.glue_genai(frame)


def test_the_ai_act_dates(glued, book_obs):
    world.glue_ai_act_dates(book_obs)
    applies = world.glue_applies_from(data.table("w_eu_ai_act_tiers"))
    assert applies["High risk (Annex III)"] == "2026-08-02"
    assert glued == {"w_aiact_adopted": "2024年6月13日", "w_aiact_in_force": "2024年8月1日",
                     "w_aiact_ban": "2025年2月2日", "w_aiact_high3": "2026年8月2日",
                     "w_aiact_high1": "2027年8月2日"}
