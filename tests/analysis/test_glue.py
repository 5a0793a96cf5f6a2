"""The notebook helpers: chapter titles, glue guards and Markdown tables."""

from __future__ import annotations

import altair as alt
import pandas as pd
import pytest

from analysis import charts, glue


def test_a_short_title_is_the_part_before_the_colon():
    assert glue.short_title("04_ai") == "AI戦略の核心"
    assert glue.short_title("02_kprogram") == "経済安全保障とK Program"
    assert glue.short_title("appendix") == "appendix"  # not a chapter: its name


def test_setup_remembers_the_page_for_sentence_errors():
    glue.setup("04_ai")
    assert glue.page_name() == "04_ai"
    glue.setup()
    assert glue.page_name() == ""


def test_glued_text_takes_only_formatted_text():
    with pytest.raises(TypeError, match=r"glue.text\('ai_total'\) takes a formatted str, got float"):
        glue.text("ai_total", 4291.0)


def chart_of(frame: pd.DataFrame) -> alt.Chart:
    return alt.Chart(frame).mark_bar().encode(x="年度:N", y="値:Q")


def test_a_chart_without_unit_and_source_is_refused():
    with pytest.raises(ValueError, match="every row it plots needs the columns '単位' and '出典'"):
        glue.chart("fig-x", chart_of(pd.DataFrame({"年度": ["2024"], "値": [1.0]})))


def test_a_chart_whose_source_is_not_a_bib_key_is_refused():
    frame = pd.DataFrame({"年度": ["2024"], "値": [1.0],
                          charts.UNIT: ["億円"], charts.SOURCE: ["no_such_key"]})
    with pytest.raises(ValueError, match=r"not keys: .*no_such_key"):
        glue.chart("fig-x", chart_of(frame))


def test_a_markdown_table_escapes_pipes_and_keeps_each_row_on_one_line():
    frame = pd.DataFrame({"項目": ["A|B", "二行\nの値"], "値": [1, 2]})
    table = glue.markdown_table(frame)
    assert "| A\\|B | 1 |" in table
    assert "| 二行 の値 | 2 |" in table
    assert table.splitlines()[:2] == ["| 項目 | 値 |", "|---|---|"]


def test_the_recurring_shapes_glue_their_text(glued):
    rows = pd.DataFrame({"value": [3787.0, 3719.0], "unit": ["papers", "papers"],
                         "period": ["2013-2015", "FY2021"]})
    glue.ends(rows, first="a", last="b", last_period="c")
    glue.amount("d", 17397, "oku_yen")
    glue.given("e", {"value": 2.0, "unit": "cho_yen"})
    glue.change("f", 100.0, 88.0)
    glue.change("g", 26.6, 17.3, "points")
    glue.change("h", 13.0, 175.0, "multiple")
    assert glued == {"a": "3,787本", "b": "3,719本", "c": "2021年度", "d": "1兆7,397億円", "e": "2兆円",
                     "f": "-12.0%", "g": "-9.3ポイント", "h": "13.5倍"}
    with pytest.raises(ValueError, match="how must be one of"):
        glue.change("i", 1.0, 2.0, "ratio")


def test_named_parts_of_a_dict_of_texts_are_glued_under_their_names(glued):
    glue.texts({"end": "126.2億ドル", "base": "11.6億ドル"}, end="x_end")
    assert glued == {"x_end": "126.2億ドル"}
    with pytest.raises(KeyError):
        glue.texts({"end": "126.2億ドル"}, stated="x_stated")
