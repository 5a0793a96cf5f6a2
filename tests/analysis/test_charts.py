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


def contrast_ratio(first: str, second: str) -> float:
    """WCAG's contrast ratio of two #rrggbb colours (1 to 21)."""
    def luminance(colour: str) -> float:
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_every_colour_of_a_series_stands_out_from_the_background():
    """WCAG 1.4.11: the lines, points and bars a reader must see have at least
    3:1 against the chart's background (white, in both page themes)."""
    assert contrast_ratio("#000000", "#ffffff") == 21 and contrast_ratio("#777777", "#ffffff") < 4.5
    background = {"white": "#ffffff"}[spec()["config"]["background"]]
    weak = {colour: round(contrast_ratio(colour, background), 2) for colour in charts.PALETTE
            if contrast_ratio(colour, background) < 3}
    assert not weak, weak
