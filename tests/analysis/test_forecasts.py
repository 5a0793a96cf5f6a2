"""Tests of analysis.forecasts: units, CAGR checks, editions, FX, charts."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis import data
from analysis import forecasts as f


@pytest.fixture(scope="module")
def obs() -> pd.DataFrame:
    return data.observations()


@pytest.fixture(scope="module")
def table(obs) -> pd.DataFrame:
    return f.editions(obs).set_index("edition", drop=False)


def test_convert_between_dollar_units():
    assert f.convert(12620.7, "usd_million") == pytest.approx(126.207)
    assert f.convert(6.5, "usd_billion") == pytest.approx(65.0)
    assert f.convert(65.0, "oku_usd", "usd_billion") == pytest.approx(6.5)


def test_convert_refuses_other_dimensions():
    with pytest.raises(ValueError, match="cannot convert"):
        f.convert(50, "cho_yen", "oku_usd")
    with pytest.raises(KeyError):
        f.convert(1, "no_such_unit")


def test_yen_to_usd():
    # 50 兆円 = 5e13 yen; at 100 円/ドル = 5e11 dollars = 5,000 億ドル
    assert f.yen_to_usd(50, "cho_yen", 100) == pytest.approx(5000.0)
    assert f.yen_to_usd(500000, "oku_yen", 125, "usd_billion") == pytest.approx(400.0)
    with pytest.raises(ValueError):
        f.yen_to_usd(50, "cho_yen", 0)
    with pytest.raises(ValueError):
        f.yen_to_usd(50, "usd_billion", 100)


def test_span_years_inverts_growth():
    assert f.span_years(100, 100 * 1.2 ** 7, 20) == pytest.approx(7.0)
    with pytest.raises(ValueError):
        f.span_years(100, 200, 0)
    with pytest.raises(ValueError):
        f.span_years(-1, 200, 10)


def test_rounding_step():
    assert f.rounding_step(1160.1) == pytest.approx(0.1)
    assert f.rounding_step(412) == 1.0
    assert f.rounding_step(8.6) == pytest.approx(0.1)
    assert f.rounding_step(12623.25) == pytest.approx(0.01)


def test_cagr_bounds_contain_the_point_estimate():
    low, high = f.cagr_bounds(1.1, 7.6, 5)
    mid = 100 * ((7.6 / 1.1) ** (1 / 5) - 1)
    assert low < mid < high
    assert low == pytest.approx(45.70, abs=0.01)
    assert high == pytest.approx(48.76, abs=0.01)


def test_check_cagr_labels():
    assert f.check_cagr(34.8, 34.76, 34.75, 34.77) == f.REPRODUCED
    assert f.check_cagr(48.1, 47.19, 45.70, 48.76) == f.WITHIN_ROUNDING
    assert f.check_cagr(50.9, 54.35, 54.20, 54.51) == f.NOT_REPRODUCED
    assert f.check_cagr(math.nan, 44.3, 44.2, 44.4) == f.NO_STATED_CAGR
    assert f.check_cagr(32.1, math.nan, math.nan, math.nan) == f.UNDATED_BASE


def test_editions_cover_the_metadata_table(table):
    meta = data.table("q_forecast_editions")
    assert list(table["edition"]) == list(meta["edition"])
    assert table["end"].gt(0).all() and table["base"].gt(0).all()


def test_fbi_2032_edition_reproduces_its_cagr(table):
    fbi = table.loc["q_qcm_fbi2032"]
    assert (fbi["base_year"], fbi["end_year"]) == (2024, 2032)
    assert fbi["end"] == pytest.approx(126.207)
    assert fbi["recomputed_cagr"] == pytest.approx(34.76, abs=0.01)
    assert fbi["check"] == f.REPRODUCED


def test_idc_first_forecast_window_is_not_its_endpoints(table):
    idc = table.loc["q_qcm_idc2021"]
    assert idc["check"] == f.NOT_REPRODUCED
    assert idc["recomputed_cagr"] == pytest.approx(54.35, abs=0.01)
    # the stated 50.9 % runs 2021-2027: the 2021 value it implies is above the 2020 one
    assert idc["window_base"] == pytest.approx(86 / 1.509 ** 6)
    assert idc["window_base"] > idc["base"]


def test_undated_base_is_dated_by_the_stated_cagr(table):
    old = table.loc["q_qcm_fbi2030"]
    assert math.isnan(old["base_year"]) and math.isnan(old["recomputed_cagr"])
    assert old["implied_span"] == pytest.approx(6.99, abs=0.01)
    assert old["implied_base_year"] == 2023
    assert old["check"] == f.UNDATED_BASE


def test_unattributed_edition_keeps_its_confidence(table):
    assert table.loc["q_qcm_unattr2032", "confidence"] == "unconfirmed"
    assert table.loc["q_qcm_unattr2032", "check"] == f.NO_STATED_CAGR


def test_revision_and_projection(table):
    idc = f.revision(table, "q_qcm_idc2021", "q_qcm_idc2023", 2027)
    assert (idc["old"], idc["new"]) == (86.0, 76.0)
    assert idc["change_pct"] == pytest.approx(-11.63, abs=0.01)
    fbi = f.revision(table, "q_qcm_fbi2030", "q_qcm_fbi2032", 2030)
    assert fbi["new"] == pytest.approx(11.601 * 1.348 ** 6)
    with pytest.raises(ValueError):
        f.value_at(table.loc["q_qcm_fbi2030"], 2025)


def test_path():
    frame = f.path(10, 2024, 10, 2026)
    assert list(frame["year"]) == [2024, 2025, 2026]
    assert frame["value"].tolist() == pytest.approx([10, 11, 12.1])


def test_fx_rates_are_the_sourced_series(obs):
    rates = f.fx_rates(obs)
    assert list(rates["year"]) == sorted(rates["year"])
    assert rates["rate"].between(50, 400).all()
    assert set(rates["source"]) == {"frb_g5a_20240201"}


def test_fx_grid_and_scale_gap():
    grid = f.fx_grid(100, 160, 20)
    assert grid == [100.0, 120.0, 140.0, 160.0]
    gap = f.scale_gap(50, "cho_yen", grid, 125.0)
    assert gap["target"].iloc[0] == pytest.approx(5000.0)
    assert gap["times"].iloc[0] == pytest.approx(40.0)
    assert gap["target"].is_monotonic_decreasing
    with pytest.raises(ValueError):
        f.fx_grid(160, 100, 10)


def test_growth_slider_chart_has_a_bound_param(table):
    points = pd.DataFrame({"year": [2032], "value": [126.2], "label": ["FBI"]})
    spec = f.growth_slider_chart(11.601, 2024, 2032, 34.8, points, "説明").to_dict()
    params = spec["params"]
    assert params[0]["name"] == f.RATE_PARAM
    assert params[0]["value"] == 34.8
    assert params[0]["bind"]["input"] == "range"
    assert spec["description"] == "説明"
    assert f.RATE_PARAM in spec["layer"][0]["transform"][0]["calculate"]


def test_editions_chart_draws_undated_editions_as_end_points(table):
    spec = f.editions_chart(table.reset_index(drop=True), "説明").to_dict()
    rows = spec["datasets"][spec["data"]["name"]]
    old = [r for r in rows if r["label"] == "FBI 旧版（2030年まで）"]
    assert [r["year"] for r in old] == [2030]
    assert len([r for r in rows if r["label"] == "IDC 初回予測（2021年）"]) == 2
    assert {r["帰属"] for r in rows} == {"確認済み", "未確認"}


def test_gap_frame():
    frame = f.gap_frame([("目標", 3558.7), ("市場", 126.2)])
    assert list(frame["text"]) == ["3,559億ドル", "126億ドル"]


def test_editions_table_formats_and_cites(table):
    shown = f.editions_table(table.reset_index(drop=True))
    fbi = shown.iloc[0]
    assert fbi["予測値"] == "126.2億ドル"
    assert fbi["記載のCAGR（期間）"] == "34.8%（2024-2032）"
    assert fbi["出典"] == "{cite}`fbi_qc_market_2032`"
    assert shown.iloc[1]["基準年"] == "記載なし"


def test_fx_table_marks_sourced_and_assumed_rates(obs):
    shown = f.fx_table(f.fx_rates(obs), [100.0, 160.0], 50, "cho_yen", 125.0)
    assert list(shown["為替レート（円/ドル）"])[0] == "100.00"
    assert shown.iloc[0]["ドル換算（億ドル）"] == "5,000"
    assert shown.iloc[0]["世界市場予測の何倍か"] == "40.0倍"
    assert shown["根拠"].str.contains("仮定").sum() == 2
    assert shown["根拠"].str.contains("frb_g5a_20240201").sum() == len(f.fx_rates(obs))


def test_gap_chart_is_horizontal_and_labelled():
    frame = f.gap_frame([("目標", 3558.7), ("市場", 126.2)])
    spec = f.gap_chart(frame, "説明").to_dict()
    assert spec["description"] == "説明"
    assert spec["layer"][0]["encoding"]["y"]["field"] == "item"
    assert spec["layer"][1]["encoding"]["text"]["field"] == "text"


def test_slider_legends_merge(table):
    import vl_convert as vlc
    points = pd.DataFrame({"year": [2030, 2027], "value": [65.0, 86.0], "label": ["b", "a"]})
    spec = f.growth_slider_chart(11.6, 2024, 2032, 34.8, points, "説明").to_dict()
    marks = spec["layer"][2]["encoding"]
    assert marks["color"]["scale"]["domain"] == ["b", "a"] == marks["shape"]["scale"]["domain"]
    svg = vlc.vegalite_to_svg(spec, vl_version="6.4")
    assert svg.count("role-legend-title") == 1
