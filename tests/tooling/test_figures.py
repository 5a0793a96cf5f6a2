"""The data behind every chart: rows, CSV, table and the figures of a notebook."""

import csv
import io

import nbformat

from analysis import charts
from tooling import figures

SPEC = {"datasets": {
    "a": [{"年度": "2024年度", "値": 4291.0, "単位": "億円", "出典": "workwonders_fujichimera"}],
    "b": [{"年度": "2028年度", "値": 17397.5, "単位": "億円", "出典": "x y"}]},
    "description": "テスト"}


def test_the_csv_holds_exactly_the_rows_the_chart_plots_with_unit_and_sources():
    rows = list(csv.DictReader(io.StringIO(figures.to_csv(SPEC))))
    assert rows == [{"年度": "2024年度", "値": "4291", "単位": "億円", "出典": "workwonders_fujichimera"},
                    {"年度": "2028年度", "値": "17397.5", "単位": "億円", "出典": "x y"}]


def test_the_table_links_each_source_and_escapes_text():
    table = figures.table_html(SPEC, lambda key: (f"bib.html#cite-{key}", key.upper()))
    assert table.count("<tr>") == 3 and '<th scope="col">出典</th>' in table
    assert '<a href="bib.html#cite-x">X</a>、<a href="bib.html#cite-y">Y</a>' in table


def test_chart_ids_are_stable_and_follow_the_data():
    assert figures.chart_id(SPEC) == figures.chart_id(dict(SPEC))
    assert figures.chart_id(SPEC) != figures.chart_id({**SPEC, "description": "別"})


def test_glued_charts_are_found_by_their_figure_name(tmp_path):
    nb = nbformat.v4.new_notebook()
    out = nbformat.v4.new_output("display_data", data={charts.VEGALITE_MIME: SPEC, "text/plain": "x"},
                                 metadata={"scrapbook": {"name": "fig_x", "mime_prefix": ""}})
    nb.cells = [nbformat.v4.new_code_cell("glue", outputs=[out]),
                nbformat.v4.new_markdown_cell("```{glue:figure} fig_x\n:name: fig-x\n\ncaption\n```")]
    path = tmp_path / "n.ipynb"
    nbformat.write(nb, path)
    assert figures.glued_charts(path) == {"fig-x": SPEC}


def test_columns_follow_the_frame_not_the_sorted_json():
    spec = {**SPEC, "usermeta": {"columns": {"a": ["年度", "値", "単位", "出典"]}}}
    assert figures.columns(spec) == ["年度", "値", "単位", "出典"]
    assert figures.to_csv(spec).splitlines()[0] == "年度,値,単位,出典"


def test_the_page_table_rounds_what_the_csv_keeps_in_full():
    assert figures.shown(1414.390243902439) == "1414.3902"
    assert figures.cell(1414.390243902439) == "1414.390243902439"
    assert figures.shown(4291.0) == "4291" and figures.shown(None) == ""
