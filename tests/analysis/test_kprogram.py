"""Tests of analysis.kprogram (chapter 02_kprogram)."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import charts, data, kprogram, text


def test_scale_table_converts_units_and_keeps_nature(obs):
    table = kprogram.amounts_table(obs, [
        ("K Program", "kprogram_fund_budget|JP|令和3・4年度補正の合計", "基金"),
        ("GI基金", "gi_fund_budget|JP|令和2年度第3次補正", "基金"),
    ])
    assert table["億円"].tolist() == pytest.approx([5000, 20000])
    assert table["性質"].tolist() == ["基金", "基金"]
    assert set(table["出典"]) == {"sanae_kprogram_fund", "meti_gi_fund"}


def test_amounts_in_own_unit_and_in_oku_yen(obs):
    assert text.observation(obs, "gi_fund_budget|JP|令和2年度第3次補正") == "2兆円"
    assert kprogram.oku_yen_of(obs, "gi_fund_budget|JP|令和2年度第3次補正") == pytest.approx(20000)


def test_fund_breakdown_derives_nedo_and_cites_both_inputs(obs):
    fund = kprogram.fund_breakdown(obs).set_index("内訳")
    assert fund.loc["NEDO（差し引きの算出値）", "億円"] == pytest.approx(1250)
    assert fund.loc["NEDO（差し引きの算出値）", "出典"].split() == ["sanae_kprogram_fund", "imaeda_kprogram"]
    assert fund["億円"].sum() == pytest.approx(5000)


def test_domain_adoptions_and_top_domain(obs):
    adoptions = kprogram.domain_adoptions(obs)
    assert set(adoptions["区分"]) == set(kprogram.ADOPTION_SERIES.values())
    assert "日本" not in set(adoptions["領域"])
    assert kprogram.top_domains(adoptions) == {"宇宙・航空"}
    tied = adoptions.assign(value=[1, 2, 3, 3, 2, 1])
    assert len(kprogram.top_domains(tied)) == 2


def test_every_chart_of_the_chapter_carries_unit_and_sources(obs):
    fund = ("K Program", "kprogram_fund_budget|JP|令和3・4年度補正の合計", "基金")
    scale = kprogram.amounts_table(obs, [fund])
    built = [
        kprogram.fund_chart(kprogram.fund_breakdown(obs)),
        kprogram.domain_chart(kprogram.domain_adoptions(obs)),
        kprogram.scale_chart(scale),
        kprogram.scale_chart(kprogram.amounts_table(obs)),
    ]
    assert all(charts.missing_provenance(c.to_dict()) == [] for c in built)
    assert all(c.to_dict().get("description") for c in built)


def test_oku_yen_of_a_row(obs):
    assert kprogram.oku_yen(data.lookup(obs, "kprogram_fund_spent|JST|FY2022")) == pytest.approx(3.2)
    assert kprogram.oku_yen(pd.Series({"value": 2, "unit": "cho_yen"})) == pytest.approx(20000)
    with pytest.raises(ValueError):
        kprogram.oku_yen(pd.Series({"value": 2, "unit": "percent"}))


def test_tables_cite_their_sources_under_japanese_headings():
    timeline, dual = kprogram.timeline_table(), kprogram.dualuse_table()
    assert list(timeline.columns) == ["時期", "出来事", "出典"]
    assert list(dual.columns) == ["論点", "出典が示す内容", "出典"]
    assert timeline["出典"].iloc[0] == "{cite}`mod_hakusho_2023`"
    assert all(c.startswith("{cite}`") and c.endswith("`") for c in dual["出典"])


def test_act_events_and_their_glue(obs, glued):
    events = kprogram.act_events(obs)
    assert list(events.index) == list(kprogram.ACT_EVENTS)
    assert events["value"].tolist() == [2022, 2022, 2024, 2021]
    kprogram.glue_act_events(events)
    assert glued == {"kp_enacted": "2022年5月", "kp_tech_in_force": "2022年8月",
                     "kp_full_operation": "2024年5月", "kp_created": "2021年度"}


def test_glue_fund_returns_the_amounts_in_oku_yen(obs, glued):
    assert kprogram.glue_fund(obs) == (2500, 2500, 5000, 5000)
    assert glued == {"kp_r3_label": "令和3年度補正予算", "kp_r3": "2,500億円",
                     "kp_r4_label": "令和4年度補正予算", "kp_r4": "2,500億円",
                     "kp_total": "5,000億円", "kp_target": "5,000億円"}


def test_split_budgets_are_the_agency_rows_periods(obs):
    assert kprogram.split_budgets(obs) == {"令和3年度補正"}


def test_glue_spending_as_shares(obs, glued):
    kprogram.glue_spending(data.lookup(obs, "kprogram_fund_spent|JST|FY2022"), 1250, 5000)
    assert glued == {"kp_spent_year": "2022年度", "kp_spent": "3.2億円", "kp_spent_share_jst": "0.26%",
                     "kp_spent_share_total": "0.064%"}


def test_glue_domains_and_designated_technologies(obs, glued):
    kprogram.glue_domains(obs)
    assert glued == {"kp_domains_label": "2022年9月", "kp_domains": "4領域", "kp_tech_1": "27技術",
                     "kp_tech_2": "23技術", "kp_tech_2_label": "2023年8月", "kp_tech_total": "50技術"}


def test_glue_rd_by_purpose_and_other_funds_compare_with_the_total(obs, glued):
    kprogram.glue_rd_by_purpose(obs, 5000)
    assert glued["kp_rd_year"] == "2022年度" and glued["kp_univ_year"] == "2023年度"
    assert (glued["kp_rd_ai"], glued["kp_rd_q"]) == ("2,725億円", "1,322億円")
    assert (glued["kp_ratio_ai"], glued["kp_ratio_aiq"]) == ("1.8倍", "1.2倍")  # 5000/2725, 5000/4047
    assert (glued["kp_univ_ai"], glued["kp_univ_q"]) == ("423億円", "315億円")
    assert kprogram.glue_other_funds(obs, 5000) == pytest.approx(20000)
    assert (glued["kp_gi"], glued["kp_ratio_gi"], glued["kp_univfund"]) == ("2兆円", "4.0倍", "10兆円")


def test_scale_chart_describes_the_research_spending_year(obs):
    scale = kprogram.amounts_table(obs)
    assert scale["項目"].tolist() == [label for label, _, _ in kprogram.SCALE_ITEMS]
    description = kprogram.scale_chart(scale).to_dict()["description"]
    assert description == ("K Program の基金、グリーンイノベーション基金、2022年度の"
                           "AIと量子技術の研究費（億円）")
