"""How the ledger is shown: the chapter tables, the section lines and the
ledger page (HTML with anchors, badges and filters; stacked Markdown for the PDF)."""

import re

import pytest

from analysis import claimreview, ledger_page, ratings, verdicts


@pytest.fixture(scope="module")
def page(ledger):
    return ledger_page.page(ledger, "2026-12-01")


def test_each_statement_row_has_its_anchor_and_links_to_its_section(ledger, page):
    html = page._repr_html_()
    for _, s in ledger.statements.iterrows():
        anchor = claimreview.anchor(s["statement_id"])
        assert html.count(f'<tr id="{anchor}"') == 1
        assert f'href="../{s["chapter"]}.html#{s["section"]}"' in html
    assert claimreview.anchor("ai_02") == "ledger-ai-02"


def test_the_label_is_text_in_a_coloured_badge(ledger, page):
    html = page._repr_html_()
    for label in set(ledger.statements["label"]):
        assert f'data-rating="{ratings.position(label)}">{label}</span>' in html


def test_filters_by_label_chapter_and_strength_are_keyboard_controls(page):
    html = page._repr_html_()
    for name in ("label", "chapter", "strength"):
        assert f'<select data-filter="{name}">' in html
    assert '<input type="search" id="ledger-search"' in html
    # sorting is done with buttons in the header cells, reachable with Tab
    assert re.findall(r'<th scope="col"><button type="button" data-column="\d">', html)
    assert "http" not in re.sub(r'"https://schema.org"|"@context"', "", html.split("<script>")[1])


def test_sources_are_readable_citations_linking_to_the_bibliography(page):
    html = page._repr_html_()
    assert 'href="bibliography.html#cite-mckinsey-quantum-2022"' in html
    assert "mckinsey_quantum_2022</a>" not in html  # not the bare key


def test_the_pdf_gets_one_stacked_block_per_statement_with_a_label(ledger, page):
    md = page._repr_markdown_()
    for sid in ledger.statements["statement_id"]:
        assert f"({claimreview.anchor(sid)})=\n**{sid}**" in md
    assert "{cite}`dempa_nict_40b`" in md and "{ref}`AI戦略の核心 <sec-ai-llm>`" in md
    assert "- 調査記録：\n  - " in md and "訂正（2026-12-06）：誤り → ミスリード" in md


def test_unconfirmed_rows_show_their_search_record_and_corrected_rows_their_change(ledger, page):
    html = page._repr_html_()
    record = ledger_page.search_lines(ledger.statement("q_04"))
    assert record and '<details class="ledger-search-record"><summary>調査記録（' in html
    text = ledger_page.correction_text(ledger.statement("ai_02"))
    assert text.startswith("訂正（2026-12-06）：誤り → ミスリード。")
    assert ledger_page.correction_text(ledger.statement("pol_01")) == ""


def test_chapter_table_and_section_line_link_to_the_ledger(ledger):
    table = ledger_page.chapter_table(ledger, "04_ai")
    assert list(table.columns) == ["検証台帳", "記事の記述", "確度", "検証", "理由"]
    assert table["検証台帳"].iloc[2] == "{ref}`ai_02（ミスリード） <ledger-ai-02>`"
    assert "（部分の結果を決める読み方）" in table["検証"].iloc[2]
    note = ledger_page.section_note(ledger, "sec-ai-llm")
    assert "{ref}`ai_01（正確） <ledger-ai-01>`" in note and "ledger-ai-02" in note
    with pytest.raises(KeyError, match="no statement is computed in section 'nowhere'"):
        ledger_page.section_note(ledger, "nowhere")


def test_a_check_line_shows_the_kind_of_value_and_its_calculation(ledger):
    line = ledger_page.check_line(ledger.checks[ledger.checks["check_id"] == "w_05a"].iloc[0])
    assert line == ("対米国：記事 本書の読み：1倍以下 ／ 計算値 0.01倍（6.8億ドル ÷ 672.2億ドル = 0.01倍）"
                    " → 一致")


def test_the_corrections_page_lists_every_recorded_change_newest_first(ledger):
    table = ledger_page.corrections_record(ledger)
    assert len(table) == len(verdicts.corrections())
    assert list(table["日付"]) == sorted(table["日付"], reverse=True)
    ai_02 = table[table["記述"].str.contains("ledger-ai-02")].iloc[0]
    assert ai_02["判定の変更"] == "誤り → ミスリード"
    assert table[table["記述"].str.startswith("se_04")]["判定の変更"].item() == "根拠不明 → 統合"
