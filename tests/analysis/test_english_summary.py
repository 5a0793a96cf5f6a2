"""The English summary: the same ledger, English words from data."""

import pytest

from analysis import data, english_summary, ledger, ratings


@pytest.fixture(scope="module")
def book():
    return ledger.evaluate(data.observations())


def test_every_statement_and_label_has_its_english_words_from_data(book):
    table = english_summary.statements_table(book)
    assert list(table["ID"]) == list(book.statements["statement_id"])
    assert table["English rendering"].str.len().min() > 10
    assert english_summary.label_en("判定留保") == "判定留保 (Undetermined)"
    scale = english_summary.scale_table(book)
    assert len(scale) == len(ratings.scale())
    given = dict(zip(scale["Label"], scale["Given by this book's rules"], strict=True))
    assert given["虚偽 (Fabricated)"] == "no" and given["判定留保 (Undetermined)"] == "yes"


def test_counts_and_corrections_are_the_ledgers(book):
    counts = ledger.label_counts(book)
    text = english_summary.counts_text(book)
    assert text.startswith(f"{len(book.statements)} statements: ")
    assert f"正確 (Accurate) {counts['正確']}" in text
    corrections = english_summary.corrections_table(book)
    assert len(corrections) == len(ledger_rows := english_summary.ledger_page.correction_rows(book))
    assert list(corrections["Statement"]) == [r["statement_id"] for _, r in ledger_rows]


def test_html_links_each_statement_to_its_ledger_row_and_markdown_has_the_tables(book):
    tables = english_summary.Tables(book)
    assert 'href="ledger.html#ledger-ai-02">ai_02</a>' in tables._repr_html_()
    assert "**Every statement, in the article's order**" in tables._repr_markdown_()
