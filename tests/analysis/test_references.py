"""Sources as readable citations, with the anchor the bibliography gives them."""

import pytest

from analysis import references


def test_a_citation_reads_author_year_title_and_links_its_entry():
    cite = references.citation("fij_rating")
    assert cite.author == "ファクトチェック・イニシアティブ（FIJ）"
    assert (cite.year, cite.title) == ("2019", "レーティング基準")
    assert cite.label == "ファクトチェック・イニシアティブ（FIJ）（2019）"
    assert cite.url == "https://fij.info/introduction/rating"
    assert cite.anchor == "cite-fij-rating"


def test_an_unknown_key_is_named():
    with pytest.raises(KeyError, match="no entry 'nobody' in references.bib"):
        references.citation("nobody")


def test_latex_escapes_are_read_as_text():
    assert references.citation("mckinsey_quantum_2022").label.startswith("McKinsey & Company（")
    assert references.citation("zenn_yokoi_genai_2026").author == "yokoi_ai"
