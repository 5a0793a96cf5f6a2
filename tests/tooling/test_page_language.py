"""The English summary's text is marked lang="en"; every other page's body is left as it is."""

from tooling import page_language


def test_only_the_listed_pages_mark_their_text():
    context = {"language": "ja", "body": "<p>Summary</p>"}
    page_language.page_language(None, "chapters/appendix/summary_en", "page.html", context, None)
    assert context == {"language": "ja", "body": '<div lang="en"><p>Summary</p></div>'}
    other = {"language": "ja", "body": "<p>本文</p>"}
    page_language.page_language(None, "chapters/04_ai", "page.html", other, None)
    assert other["body"] == "<p>本文</p>"
