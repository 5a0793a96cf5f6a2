"""The PDF layout of the book's tables (analysis.pdf_tables) and the MyST that
analysis.glue writes for them."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import glue, pdf_tables


def test_text_em_counts_japanese_full_and_latin_half():
    assert pdf_tables.text_em("億円") == 2.0
    assert pdf_tables.text_em("2024") == 2.0
    assert pdf_tables.text_em("2024年") == pytest.approx(3.25)  # digits, a kanji, the space between
    assert pdf_tables.text_em("") == 0.0


def test_min_em_is_the_widest_unbreakable_run():
    assert pdf_tables.min_em("日本語の文章") == 0.0  # breaks between any two characters
    assert pdf_tables.min_em("fbi_qc_market_2032") == pytest.approx(pdf_tables.text_em("market_"))
    assert pdf_tables.min_em("Fortune Business Insights") == pytest.approx(pdf_tables.text_em("Business"))


def test_plain_text_measures_what_is_printed():
    assert pdf_tables.plain_text("{cite}`mext2024`") == pdf_tables.CITATION
    assert pdf_tables.plain_text("[出典](https://example.org/a/b)") == "出典"
    assert pdf_tables.plain_text("**一致** `a_01` a\\|b") == "一致 a_01 a|b"


def test_column_widths_share_the_line():
    reason = "計算値が記事の数値と一致しない理由の長い説明" * 3
    rows = [["ID", "判定", "理由"]] + [["a_01", "出典未確認", reason]] * 10
    widths = pdf_tables.column_widths(rows, budget=50)
    assert widths[0] == pytest.approx(pdf_tables.text_em("a_01") + pdf_tables.PAD_EM)
    # a verdict never wraps
    assert widths[1] == pytest.approx(pdf_tables.text_em("出典未確認") + pdf_tables.PAD_EM)
    assert sum(widths) == pytest.approx(50)


def test_a_column_is_never_narrower_than_its_longest_identifier():
    rows = [["系列", "説明"]] + [["basic_plan_gov_rd_target", "説明" * 80]] * 5
    widths = pdf_tables.column_widths(rows, budget=40)
    assert widths[0] >= pdf_tables.min_em("basic_plan_gov_rd_target")
    assert sum(widths) == pytest.approx(40)


def test_a_short_heading_is_never_broken():
    rows = [["系列", "件数", "出典"]] + [["rd_expenditure", "7", "出典の長い一覧、" * 12]] * 20
    widths = pdf_tables.column_widths(rows, budget=40)
    assert widths[1] == pytest.approx(pdf_tables.text_em("件数") + pdf_tables.PAD_EM)
    long_heading = [["系列", "件数を数えた長い見出し", "出典"]] + rows[1:]
    assert pdf_tables.column_widths(long_heading, budget=40)[1] < pdf_tables.text_em("件数を数えた長い見出し")


def test_a_table_that_fits_keeps_natural_widths():
    rows = [["期", "年度"], ["第1期", "1996"], ["第2期", "2001"]]
    assert pdf_tables.layout(rows) == pdf_tables.Layout(size="", widths=(), long=False)
    assert pdf_tables.layout(rows).options() == {}


def test_a_wide_table_is_smaller_with_widths_that_fill_the_line():
    rows = [[f"列{i}" for i in range(6)]] + [["十億ドル単位の市場規模の予測値とその出典"] * 6] * 3
    found = pdf_tables.layout(rows)
    assert found.size == "latex-footnotesize" and not found.long
    assert len(found.widths) == 6 and sum(found.widths) == pytest.approx(1000, abs=3)
    assert found.options() == {"widths": " ".join(map(str, found.widths)), "class": "latex-footnotesize"}


def test_a_tall_table_breaks_across_pages():
    rows = [["ID", "記事の記述", "理由"]]
    rows += [[f"a_{i:02d}", "記事の記述の長い引用" * 4, "理由" * 30] for i in range(20)]
    found = pdf_tables.layout(rows)
    assert found.long and found.widths
    assert found.options()["class"] == "longtable latex-footnotesize"


def test_more_rows_than_sphinx_allows_a_tabulary_are_a_longtable():
    rows = [["期", "年度"]] + [[f"第{i}期", str(1990 + i)] for i in range(pdf_tables.LONG_ROWS + 1)]
    assert pdf_tables.layout(rows) == pdf_tables.Layout(size="", widths=(), long=True)
    assert pdf_tables.layout(rows[:12]).long is False


def test_markdown_table_is_a_plain_pipe_table_when_it_fits():
    frame = pd.DataFrame({"期": ["第1期", "第2期"], "年度": ["1996", "2001"]})
    assert glue.markdown_table(frame) == "| 期 | 年度 |\n|---|---|\n| 第1期 | 1996 |\n| 第2期 | 2001 |"


def test_markdown_table_wraps_a_wide_table_in_a_table_directive():
    frame = pd.DataFrame({f"列{i}": ["十億ドル単位の|市場規模の予測値とその出典"] * 3 for i in range(6)})
    text = glue.markdown_table(frame)
    lines = text.splitlines()
    assert lines[0] == ":::{table}" and lines[-1] == ":::"
    assert lines[1].startswith(":widths: ") and len(lines[1].split()) == 7
    assert lines[2] == ":class: latex-footnotesize" and lines[3] == ""
    assert lines[4] == "| " + " | ".join(frame.columns) + " |"
    assert "十億ドル単位の\\|市場規模" in lines[6]  # the pipe is escaped, not a column
    assert len(lines) == 4 + 2 + 3 + 1
