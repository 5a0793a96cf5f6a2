"""The English summary: the same ledger, English words from data."""


from analysis import ratings, summary_en_page, verdicts


def test_every_statement_and_label_has_its_english_words_from_data(ledger):
    table = summary_en_page.statements_table(ledger)
    assert list(table["ID"]) == list(ledger.statements["statement_id"])
    assert table["English rendering"].str.len().min() > 10
    assert summary_en_page.label_en("判定留保") == "判定留保 (Undetermined)"
    scale = summary_en_page.scale_table(ledger)
    assert len(scale) == len(ratings.scale())
    given = dict(zip(scale["Label"], scale["Given by this book's rules"], strict=True))
    assert given["虚偽 (Fabricated)"] == "no" and given["判定留保 (Undetermined)"] == "yes"


def test_counts_and_corrections_are_the_ledgers(ledger):
    counts = verdicts.label_counts(ledger)
    text = summary_en_page.counts_text(ledger)
    assert text.startswith(f"{len(ledger.statements)} statements (") and text.endswith(")")
    assert f"正確 (Accurate) {counts['正確']}" in text
    holding = counts["正確"] + counts["ほぼ正確"]
    share = round(100 * holding / len(ledger.statements))
    assert summary_en_page.holding_text(ledger) == f"{holding} ({share}%)"
    corrections = summary_en_page.corrections_table(ledger)
    assert len(corrections) == len(ledger_rows := summary_en_page.ledger_page.correction_rows(ledger))
    assert list(corrections["Statement"]) == [r["statement_id"] for _, r in ledger_rows]


def test_html_links_each_statement_to_its_ledger_row_and_markdown_has_the_tables(ledger):
    tables = summary_en_page.Tables(ledger)
    assert 'href="ledger.html#ledger-ai-02">ai_02</a>' in tables._repr_html_()
    assert "**Every statement, in the article's order**" in tables._repr_markdown_()
