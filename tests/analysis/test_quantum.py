"""Tests of analysis.quantum: units, CAGR checks, editions, milestones, FX, charts."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis import data, quantum
from tests.helpers import ROOT

TARGET = pd.Series({"value": 50.0, "unit": "cho_yen", "year": 2030, "source": "ascii_quantum_vision_2022"})
FX = pd.Series({"rate": 140.5, "unit": "jpy_per_usd", "source": "frb_g5a_20240201"})


@pytest.fixture(scope="module")
def obs() -> pd.DataFrame:
    return data.observations()


@pytest.fixture(scope="module")
def table(obs) -> pd.DataFrame:
    return quantum.editions(obs).set_index("edition", drop=False)


def test_usd_amount_is_the_units_formatter():
    assert quantum.usd_amount(126.207, 1) == "126.2億ドル"
    assert quantum.usd_amount(3558.7, 0) == "3,559億ドル"
    assert quantum.usd_amount(9.288) == "9.29億ドル"
    assert quantum.usd_amount(86.0) == "86億ドル"
    assert quantum.usd_amount(126.207) == "126.2億ドル"


def test_span_years_inverts_growth():
    assert quantum.span_years(100, 100 * 1.2 ** 7, 20) == pytest.approx(7.0)
    with pytest.raises(ValueError):
        quantum.span_years(100, 200, 0)
    with pytest.raises(ValueError):
        quantum.span_years(-1, 200, 10)


def test_cagr_bounds_contain_the_point_estimate():
    low, high = quantum.cagr_bounds(1.1, "oku_usd", pd.Series({"value": 7.6, "unit": "oku_usd"}), 5)
    mid = 100 * ((7.6 / 1.1) ** (1 / 5) - 1)
    assert low < mid < high
    assert low == pytest.approx(45.70, abs=0.01)
    assert high == pytest.approx(48.76, abs=0.01)


def test_check_cagr_labels():
    assert quantum.check_cagr(34.8, 34.76, 34.75, 34.77) == quantum.REPRODUCED
    assert quantum.check_cagr(48.1, 47.19, 45.70, 48.76) == quantum.WITHIN_ROUNDING
    assert quantum.check_cagr(50.9, 54.35, 54.20, 54.51) == quantum.NOT_REPRODUCED
    assert quantum.check_cagr(math.nan, 44.3, 44.2, 44.4) == quantum.NO_STATED_CAGR
    assert quantum.check_cagr(32.1, math.nan, math.nan, math.nan) == quantum.UNDATED_BASE
    # the tolerance is half the last digit of a rate stated to one decimal
    assert quantum.check_cagr(35.0, 34.96, 34.9, 35.0) == quantum.REPRODUCED
    assert quantum.check_cagr(35.0, 34.9, 34.8, 34.96) == quantum.WITHIN_ROUNDING
    assert quantum.check_cagr(35.0, 34.4, 34.3, 34.5) == quantum.NOT_REPRODUCED


def test_closeness_uses_the_ledger_rule():
    assert quantum.closeness(12623.2, 12620.7) == "match"
    assert quantum.closeness(91, 90) == "near"
    assert quantum.closeness(126, 90) == "off"


def test_order_word():
    assert quantum.order_word(3.2) == "数倍"
    assert quantum.order_word(24.8) == "数十倍"
    assert quantum.order_word(39.6) == "数十倍"
    assert quantum.order_word(280) == "数百倍"
    with pytest.raises(ValueError):
        quantum.order_word(0.5)


def test_editions_cover_the_metadata_table(table):
    meta = data.table("q_forecast_editions")
    assert list(table["edition"]) == list(meta["edition"])
    assert table["end"].gt(0).all() and table["base"].gt(0).all()


def test_fbi_2032_edition_reproduces_its_cagr(table):
    fbi = table.loc["q_qcm_fbi2032"]
    assert (fbi["base_year"], fbi["end_year"]) == (2024, 2032)
    assert fbi["end"] == pytest.approx(126.207)
    assert fbi["recomputed_cagr"] == pytest.approx(34.76, abs=0.01)
    assert fbi["check"] == quantum.REPRODUCED


def test_idc_first_forecast_window_is_not_its_endpoints(table):
    idc = table.loc["q_qcm_idc2021"]
    assert idc["check"] == quantum.NOT_REPRODUCED
    assert idc["recomputed_cagr"] == pytest.approx(54.35, abs=0.01)
    # the stated 50.9 % runs 2021-2027: the 2021 value it implies is above the 2020 one
    assert idc["window_base"] == pytest.approx(86 / 1.509 ** 6)
    assert idc["window_base"] > idc["base"]


def test_undated_base_is_dated_by_the_stated_cagr(table):
    old = table.loc["q_qcm_fbi2030"]
    assert math.isnan(old["base_year"]) and math.isnan(old["recomputed_cagr"])
    assert old["implied_span"] == pytest.approx(6.99, abs=0.01)
    assert old["implied_base_year"] == 2023
    assert old["check"] == quantum.UNDATED_BASE


def test_unattributed_edition_keeps_its_confidence(table):
    assert table.loc["q_qcm_unattr2032", "confidence"] == "unconfirmed"
    assert table.loc["q_qcm_unattr2032", "check"] == quantum.NO_STATED_CAGR


def test_revision_and_projection(table):
    idc = quantum.revision(table, "q_qcm_idc2021", "q_qcm_idc2023")
    assert idc["year"] == 2027
    assert (idc["old"], idc["new"]) == (86.0, 76.0)
    assert idc["change_pct"] == pytest.approx(-11.63, abs=0.01)
    fbi = quantum.revision(table, "q_qcm_fbi2030", "q_qcm_fbi2032", 2030)
    assert fbi["new"] == pytest.approx(11.601 * 1.348 ** 6)
    with pytest.raises(ValueError):
        quantum.value_at(table.loc["q_qcm_fbi2030"], 2025)


def test_grown_and_rate_needed(table):
    fbi = table.loc["q_qcm_fbi2032"]
    assert quantum.grown(fbi, 2032) == pytest.approx(11.601 * 1.348 ** 8)
    assert quantum.grown(fbi, 2026, 10) == pytest.approx(11.601 * 1.1 ** 2)
    assert quantum.rate_needed(fbi, 11.601 * 1.5 ** 6, 2030) == pytest.approx(50.0)
    with pytest.raises(ValueError):
        quantum.grown(table.loc["q_qcm_fbi2030"], 2030)
    with pytest.raises(ValueError):
        quantum.grown(table.loc["q_qcm_tractica2019"], 2030)


def test_edition_texts(table):
    fbi = quantum.edition_texts(table.loc["q_qcm_fbi2032"])
    assert fbi["base"] == "11.6億ドル" and fbi["end"] == "126.2億ドル"
    assert fbi["stated"] == "34.8%" and fbi["recomputed"] == "34.76%"
    assert fbi["step"] == "0.1百万ドル"
    assert (fbi["base_given"], fbi["end_given"]) == ("1,160.1百万ドル", "12,620.7百万ドル")
    assert quantum.edition_texts(table.loc["q_qcm_idc2023"])["step"] == "0.1十億ドル"
    tractica = quantum.edition_texts(table.loc["q_qcm_tractica2019"])
    assert "stated" not in tractica and "recomputed" in tractica


def test_milestones():
    ms = data.table("q_milestones")
    qstar = quantum.milestone_values(ms, "量子技術による新産業創出協議会（Q-STAR）", "institutions")
    assert qstar == [24.0, 59.0]
    with pytest.raises(KeyError):
        quantum.milestone_values(ms, "量子技術による新産業創出協議会（Q-STAR）", "oku_yen")
    shown = quantum.milestones_table(ms)
    assert list(shown.columns) == ["日付", "機関", "出来事", "値", "出典"]
    assert shown["値"].iloc[0] == ""  # a milestone without a value (NaN in the data)
    assert "24機関" in set(shown["値"])


def test_path():
    frame = quantum.path(10, 2024, 10, 2026)
    assert list(frame["year"]) == [2024, 2025, 2026]
    assert frame["value"].tolist() == pytest.approx([10, 11, 12.1])


def test_fx_rates_are_the_sourced_series(obs):
    rates = quantum.fx_rates(obs)
    assert list(rates["year"]) == sorted(rates["year"])
    assert rates["rate"].between(50, 400).all()
    assert set(rates["unit"]) == {"jpy_per_usd"}
    assert set(rates["source"]) == {"frb_g5a_20240201"}


def test_fx_grid_and_scale_gap():
    grid = quantum.fx_grid(100, 160, 20)
    assert grid == [100.0, 120.0, 140.0, 160.0]
    gap = quantum.scale_gap(50, "cho_yen", grid, 125.0)
    assert gap["target"].iloc[0] == pytest.approx(5000.0)
    assert gap["times"].iloc[0] == pytest.approx(40.0)
    assert gap["target"].is_monotonic_decreasing
    with pytest.raises(ValueError):
        quantum.fx_grid(160, 100, 10)


def test_growth_slider_chart_has_a_bound_param(table):
    points = quantum.published_points(table.reset_index(drop=True))
    spec = quantum.growth_slider_chart(table.loc["q_qcm_fbi2032"], points, "説明").to_dict()
    params = spec["params"]
    assert params[0]["name"] == quantum.RATE_PARAM
    assert params[0]["value"] == 34.8
    assert params[0]["bind"]["input"] == "range"
    assert params[0]["bind"]["max"] == quantum.SLIDER_MAX_PCT
    assert spec["description"] == "説明"
    assert quantum.RATE_PARAM in spec["layer"][0]["transform"][0]["calculate"]


def _drawn_marks(scenegraph) -> list[dict]:
    """The marks of a chart's scenegraph (vl-convert), in drawing order."""
    found = []
    if isinstance(scenegraph, dict):
        if scenegraph.get("marktype") and scenegraph.get("role") == "mark":
            found.append(scenegraph)
        scenegraph = list(scenegraph.values())
    if isinstance(scenegraph, list):
        for node in scenegraph:
            found += _drawn_marks(node)
    return found


def test_a_path_above_the_axis_leaves_the_plot_instead_of_running_along_its_top(table):
    """At the slider's maximum the path outgrows the fixed axis. Drawn, it leaves
    the plot (clipped at the edge) still rising, not flat along the top edge
    where it would read as a plateau; its end label stays at the top edge and
    gives the path's end value."""
    import vl_convert

    fbi = table.loc["q_qcm_fbi2032"]
    spec = quantum.growth_slider_chart(fbi, quantum.published_points(table.reset_index(drop=True)),
                                       "説明").to_dict()
    spec["params"][0]["value"] = quantum.SLIDER_MAX_PCT
    marks = _drawn_marks(vl_convert.vegalite_to_scenegraph(spec))
    line = next(m for m in marks if m["marktype"] == "line")
    heights = [item["y"] for item in line["items"]]  # pixels down from the plot's top edge
    assert line["clip"] and heights[-1] < heights[-2] < 0
    years = int(fbi["end_year"]) - int(fbi["base_year"])
    end = float(fbi["base"]) * (1 + quantum.SLIDER_MAX_PCT / 100) ** years
    (label,) = next(m for m in marks if m["marktype"] == "text")["items"]
    assert label["y"] == 0 and label["text"] == f"{quantum.SLIDER_MAX_PCT:.1f}%/年 → {end:,.1f}億ドル"


def test_every_chart_row_has_its_unit_and_sources(table):
    from analysis import charts
    editions = table.reset_index(drop=True)
    fbi, idc = table.loc["q_qcm_fbi2032"], table.loc["q_qcm_idc2023"]
    target, fx = TARGET, FX
    made = [
        quantum.growth_slider_chart(fbi, quantum.published_points(editions), "説明"),
        quantum.editions_chart(editions, "説明"),
        quantum.gap_chart(quantum.scale_gap_bars(target, 3558.7, fx, fbi, idc), "説明"),
    ]
    for chart in made:
        spec = chart.to_dict()
        assert charts.missing_provenance(spec) == []
        rows = [r for d in spec["datasets"].values() for r in d]
        assert {r[charts.UNIT] for r in rows} == {"億ドル"}


def test_scale_gap_bars_cite_each_input(table):
    fbi, idc = table.loc["q_qcm_fbi2032"], table.loc["q_qcm_idc2023"]
    target, fx = TARGET, FX
    bars = quantum.scale_gap_bars(target, 3558.7, fx, fbi, idc)
    assert bars["出典"].iloc[0] == "ascii_quantum_vision_2022 frb_g5a_20240201"
    assert bars["item"].iloc[0] == "生産額目標 50兆円：2030年、140.5円/ドルで換算"
    assert bars["item"].str.count(quantum.LABEL_BREAK).tolist() == [1, 1, 1, 1]  # two lines each
    assert bars["value"].iloc[1] == pytest.approx(quantum.value_at(fbi, 2030))
    assert list(bars["value"].iloc[2:]) == [fbi["end"], idc["end"]]
    assert bars["text"].iloc[0] == "3,559億ドル"


def test_no_chart_label_is_cut_short(table):
    editions = table.reset_index(drop=True)
    spec = quantum.editions_chart(editions, "説明").to_dict()
    legends = [spec["layer"][0]["encoding"][c]["legend"] for c in ("color", "strokeDash")]
    assert all(legend["labelLimit"] == 0 for legend in legends)
    points = quantum.published_points(editions)
    slider = quantum.growth_slider_chart(table.loc["q_qcm_fbi2032"], points, "説明").to_dict()
    assert slider["layer"][2]["encoding"]["color"]["legend"]["labelLimit"] == 0


def test_editions_chart_draws_undated_editions_as_end_points(table):
    spec = quantum.editions_chart(table.reset_index(drop=True), "説明").to_dict()
    rows = spec["datasets"][spec["data"]["name"]]
    assert {r["出典"] for r in rows} == set(table["source"])
    old = [r for r in rows if r["label"] == "FBI 旧版（2030年まで）"]
    assert [r["year"] for r in old] == [2030]
    assert len([r for r in rows if r["label"] == "IDC 初回予測（2021年）"]) == 2
    assert {r["帰属"] for r in rows} == {"確認済み", "未確認"}


def test_gap_frame():
    frame = quantum.gap_frame([("目標", 3558.7, "a b"), ("市場", 126.2, "c")])
    assert list(frame["text"]) == ["3,559億ドル", "126.2億ドル"]
    assert list(frame["出典"]) == ["a b", "c"]


def test_editions_table_formats_and_cites(table):
    shown = quantum.editions_table(table.reset_index(drop=True))
    fbi = shown.iloc[0]
    assert fbi["予測値"] == "126.2億ドル"
    assert fbi["記載のCAGR（期間）"] == "34.8%（2024-2032）"
    assert fbi["出典"] == "{cite}`fbi_qc_market_2032`"
    assert shown.iloc[1]["基準年"] == "記載なし"


def test_fx_table_marks_sourced_and_assumed_rates(obs):
    shown = quantum.fx_table(quantum.fx_rates(obs), [100.0, 160.0], 50, "cho_yen", 125.0)
    assert list(shown["為替レート"])[0] == "100.00円/ドル"
    assert shown.iloc[0]["ドル換算"] == "5,000億ドル"
    assert shown.iloc[0]["世界市場予測の何倍か"] == "40.0倍"
    assert shown["根拠"].str.contains("仮定").sum() == 2
    assert shown["根拠"].str.contains("frb_g5a_20240201").sum() == len(quantum.fx_rates(obs))


def test_gap_chart_is_horizontal_and_labelled():
    frame = quantum.gap_frame([("目標", 3558.7, "a"), ("市場", 126.2, "b")])
    spec = quantum.gap_chart(frame, "説明").to_dict()
    assert spec["description"] == "説明"
    assert spec["layer"][0]["encoding"]["y"]["field"] == "item"
    assert spec["layer"][1]["encoding"]["text"]["field"] == "text"


def test_slider_legends_merge(table):
    import vl_convert as vlc
    points = pd.DataFrame({"year": [2030, 2027], "value": [65.0, 86.0], "label": ["b", "a"],
                           "単位": "億ドル", "出典": "x"})
    spec = quantum.growth_slider_chart(table.loc["q_qcm_fbi2032"], points, "説明").to_dict()
    marks = spec["layer"][2]["encoding"]
    assert marks["color"]["scale"]["domain"] == ["b", "a"] == marks["shape"]["scale"]["domain"]
    svg = vlc.vegalite_to_svg(spec, vl_version="6.4")
    assert svg.count("role-legend-title") == 1


# ---- the chapter's numbers under their glue names ------------------------------------


def test_charts_have_their_descriptions_by_default(table):
    editions = table.reset_index(drop=True)
    assert quantum.editions_chart(editions).to_dict()["description"] == quantum.EDITIONS_DESCRIPTION
    slider = quantum.growth_slider_chart(table.loc["q_qcm_fbi2032"], quantum.published_points(editions))
    assert slider.to_dict()["description"] == quantum.SLIDER_DESCRIPTION
    bars = quantum.gap_frame([("目標", 3558.7, "a")])
    assert quantum.gap_chart(bars).to_dict()["description"] == quantum.GAP_DESCRIPTION


def test_qstar_members_and_gquat_budgets():
    ms = data.table("q_milestones")
    assert quantum.qstar_members(ms) == [24.0, 59.0]
    assert quantum.gquat_budgets(ms) == [620.0, 1000.0]


def test_glue_gquat(glued):
    quantum.glue_gquat(data.table("q_milestones"))
    assert glued == {"q_gquat_first": "620億円", "q_gquat_second": "1,000億円", "q_gquat_sum": "1,620億円"}


def test_stated_usd_converts_the_articles_unit():
    assert quantum.stated_usd(pd.Series({"stated": 9.0, "unit": "usd_billion"})) == pytest.approx(90.0)
    assert quantum.stated_usd(pd.Series({"stated": 126.0, "unit": "oku_usd"})) == 126.0


def test_glue_article_glues_each_statement_and_verdict(obs, glued):
    from analysis import verdicts

    quantum.glue_article(verdicts.evaluate(obs, "03_quantum"))
    assert len(glued) == 12
    assert glued["q_art_01"] == "50兆円" and glued["q_art_06"] == "29億ドル〜38億ドル"
    assert glued["q_verdict_02"] == "正確" and glued["q_verdict_06"] == "根拠不明"


def test_glue_editions(table, glued):
    quantum.glue_editions(table)
    assert len(glued) == 23 + 5  # the editions' texts the chapter shows, the IDC window, FBI's base
    chapter = (ROOT / "chapters" / "03_quantum.ipynb").read_text(encoding="utf-8")
    assert [name for name in glued if f"`{name}`" not in chapter] == []  # nothing glued for no one
    assert glued["q_fbi_end_given"] == "12,620.7百万ドル" and glued["q_fbi_recomputed"] == "34.76%"
    assert (glued["q_idc2_low"], glued["q_idc2_high"]) == ("45.70%", "48.76%")
    assert "q_fbi_old_recomputed" not in glued and "q_tractica_stated" not in glued
    assert glued["q_idc1_window_base"] == "7.28億ドル"
    assert (glued["q_idc1_window_years"], glued["q_idc1_span_years"]) == ("6年間", "7年間")
    assert (glued["q_fbi_old_span"], glued["q_fbi_old_year"]) == ("6.99年", "2023年")


def test_revision_texts_and_glue_revisions(table, glued):
    idc = quantum.revision_texts(table, "q_qcm_idc2021", "q_qcm_idc2023", "上方", "下方")
    assert idc == {"old": "86億ドル", "new": "76億ドル", "change": "11.6%", "word": "下方"}
    quantum.glue_revisions(table)
    assert glued["q_rev_idc_word"] == "下方"
    assert (glued["q_rev_fbi_old"], glued["q_rev_fbi_new"]) == ("65億ドル", "69.6億ドル")
    assert (glued["q_rev_fbi_change"], glued["q_rev_fbi_word"]) == ("7.1%", "高い")


def test_glue_fx(obs, glued):
    quantum.glue_fx(quantum.fx_rates(obs), quantum.fx_grid(100.0, 160.0, 10.0))
    assert glued == {"q_fx_ref": "140.50円/ドル", "q_fx_ref_year": "2023年",
                     "q_fx_other_years": "2020〜2022年", "q_fx_low": "100円/ドル",
                     "q_fx_high": "160円/ドル", "q_fx_step": "10円/ドル"}


def test_glue_scale_gap(table, glued):
    fbi = table.loc["q_qcm_fbi2032"]
    gap = quantum.scale_gap(50, "cho_yen", [100.0, 140.5, 160.0], fbi["end"])
    quantum.glue_scale_gap(5000.0 / 1.405, 2030, fbi, gap)
    assert glued["q_target_usd"] == "約3,559億ドル"
    assert glued["q_gap_times"] == "28.2倍" and glued["q_gap_times_2030"] == "51.1倍"
    assert (glued["q_gap_min"], glued["q_gap_max"]) == ("24.8倍", "39.6倍")
    assert glued["q_gap_word"] == "数十倍"
