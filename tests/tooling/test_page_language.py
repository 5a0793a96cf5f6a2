"""The English summary's text is marked lang="en"; every other page's body is left as it is."""

from tooling import page_language


def test_only_the_listed_pages_mark_their_text():
    context = {"language": "ja", "body": "<p>Summary</p>"}
    page_language.page_language(None, "chapters/appendix/summary_en", "page.html", context, None)
    assert context == {"language": "ja", "body": '<div lang="en"><p>Summary</p></div>'}
    other = {"language": "ja", "body": "<p>本文</p>"}
    page_language.page_language(None, "chapters/04_ai", "page.html", other, None)
    assert other["body"] == "<p>本文</p>"


def test_the_japanese_inside_an_english_page_is_marked_japanese():
    mark = page_language.mark_japanese
    assert mark("<td>正確 (Accurate)</td>") == '<td><span lang="ja">正確</span> (Accurate)</td>'
    # a quote whole, Latin and digits and all; digits between kanji stay in the run
    assert mark("<p>「Fortune Business Insightsは126億ドル」 and 2030年までに</p>") == (
        '<p><span lang="ja">「Fortune Business Insightsは126億ドル」</span> and 2030'
        '<span lang="ja">年までに</span></p>')
    # attributes, scripts and code are left as they are
    kept = '<a title="検証台帳" href="ledger.html#x">x</a><script>var s = "正確";</script><code>計算</code>'
    assert mark(kept) == kept
    link = '<a href="ledger.html">検証台帳</a>'
    assert mark(link) == '<a href="ledger.html"><span lang="ja">検証台帳</span></a>'
    assert mark("<p>Two labels</p>") == "<p>Two labels</p>"
