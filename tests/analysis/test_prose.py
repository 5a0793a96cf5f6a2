"""The book's own sentences fail loudly when the data stop supporting them."""

import pytest

from analysis import glue, prose


def test_a_sentence_that_no_longer_holds_names_the_page_and_the_sentence():
    glue.setup("04_ai")
    prose.check("区間の下限は85%を下回ります", True)
    with pytest.raises(prose.SentenceError, match=r"^04_ai: the sentence 「区間の下限は85%を下回ります」 "
                                                   r"no longer holds \(下限 86.2%\)$"):
        prose.check("区間の下限は85%を下回ります", False, "下限 86.2%")


def test_comparison_words_follow_the_numbers():
    assert prose.comparison(2.0, 1.0, "上回る", "下回る") == "上回る"
    assert prose.comparison(0.5, 1.0, "上回る", "下回る") == "下回る"
    assert prose.comparison(1.0, 1.0, "上回る", "下回る", "等しい") == "等しい"
    with pytest.raises(prose.SentenceError):
        prose.comparison(1.0, 1.0, "上回る", "下回る")
