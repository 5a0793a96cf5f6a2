"""Tests of analysis.kprogram (chapter 02_kprogram)."""

from __future__ import annotations

import pytest

from analysis import charts, data, kprogram, text


@pytest.fixture(scope="module")
def obs():
    return data.observations()


def test_scale_table_converts_units_and_keeps_nature(obs):
    table = kprogram.scale_table(obs, [
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
    scale = kprogram.scale_table(obs, [fund])
    built = [
        kprogram.fund_chart(kprogram.fund_breakdown(obs)),
        kprogram.domain_chart(kprogram.domain_adoptions(obs)),
        kprogram.scale_chart(scale, "説明"),
    ]
    assert all(charts.missing_provenance(c.to_dict()) == [] for c in built)
    assert all(c.to_dict().get("description") for c in built)
