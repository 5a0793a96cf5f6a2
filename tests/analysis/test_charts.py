import json

import altair as alt
import pandas as pd

from analysis import charts


def spec():
    frame = pd.DataFrame({"年度": ["2024年度", "2028年度"], "値": [4291, 17397]})
    return charts.bar(frame, x="年度", y="値", x_title="年度", y_title="億円", description="テスト").to_dict()


def test_renderer_is_deterministic_and_carries_the_spec():
    first, second = charts.render(spec()), charts.render(spec())
    assert first == second
    assert first[charts.VEGALITE_MIME]["description"] == "テスト"
    assert charts.chart_id(spec()) in first["text/html"]
    assert first["image/png"] and first["text/plain"] == "<図: テスト>"


def test_html_has_offline_fallback_and_no_external_url():
    html = charts.render(spec())["text/html"]
    assert 'class="vega-fallback"' in html and "data:image/png;base64," in html
    assert "http://" not in html and "https://" not in html
    assert "window.vegaEmbed" in html


def test_different_data_gives_a_different_chart_id():
    other = spec()
    other["datasets"] = json.loads(json.dumps(other["datasets"]).replace("17397", "17398"))
    assert charts.chart_id(other) != charts.chart_id(spec())


def test_theme_pins_a_japanese_font():
    charts.register()
    config = alt.Chart(pd.DataFrame({"a": [1]})).mark_point().encode(x="a").to_dict()["config"]
    assert config["font"].startswith("Noto Sans CJK JP")
    assert alt.renderers.active == "book"
