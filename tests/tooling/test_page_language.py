"""The English summary's page is marked lang="en"; every other page keeps the book's language."""

from tooling import page_language


def test_only_the_listed_pages_change_language():
    context = {"language": "ja"}
    page_language.page_language(None, "chapters/appendix/summary_en", "page.html", context, None)
    assert context["language"] == "en"
    other = {"language": "ja"}
    page_language.page_language(None, "chapters/04_ai", "page.html", other, None)
    assert other["language"] == "ja"
