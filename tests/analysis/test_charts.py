import altair as alt
import pandas as pd

from analysis import charts


def spec():
    frame = pd.DataFrame({"年度": ["2024年度", "2028年度"], "値": [4291, 17397]})
    return charts.bar(frame, x="年度", y="値", x_title="年度", y_title="億円", description="テスト").to_dict()


def test_renderer_is_deterministic_and_stores_the_image_once():
    first, second = charts.render(spec()), charts.render(spec())
    assert first == second
    assert set(first) == {charts.VEGALITE_MIME, "image/png", "text/plain"}  # no HTML copy of the PNG
    assert first[charts.VEGALITE_MIME]["description"] == "テスト"
    assert first["image/png"] and first["text/plain"] == "<図: テスト>"


def test_every_row_a_chart_plots_carries_its_unit_and_sources():
    assert charts.missing_provenance(spec()) == [next(iter(spec()["datasets"]))]
    frame = pd.DataFrame({"年度": ["2024年度"], "値": [4291]})
    frame = charts.sourced(frame, "億円", "workwonders_fujichimera")
    sourced = charts.bar(frame, x="年度", y="値", x_title="年度", y_title="億円",
                         description="テスト").to_dict()
    assert charts.missing_provenance(sourced) == []
    rows = next(iter(sourced["datasets"].values()))
    assert rows[0][charts.UNIT] == "億円" and rows[0][charts.SOURCE] == "workwonders_fujichimera"
    assert charts.unknown_sources(sourced, {"workwonders_fujichimera"}) == []
    assert charts.unknown_sources(sourced, {"other"}) == ["workwonders_fujichimera"]


def test_axis_labels_are_never_cut_short():
    charts.register()
    config = alt.Chart(pd.DataFrame({"a": [1]})).mark_point().encode(x="a").to_dict()["config"]
    assert config["axis"]["labelLimit"] == 0


def test_theme_pins_a_japanese_font():
    charts.register()
    config = alt.Chart(pd.DataFrame({"a": [1]})).mark_point().encode(x="a").to_dict()["config"]
    assert config["font"].startswith("Noto Sans CJK JP")
    assert alt.renderers.active == "book"
