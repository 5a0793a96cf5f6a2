"""The bibliography styles, on entries formatted by pybtex and
sphinxcontrib-bibtex directly (no Sphinx build)."""

from __future__ import annotations

from types import SimpleNamespace

import pybtex_docutils
import pytest
from docutils import nodes
from pybtex.database import parse_string
from pybtex.plugin import find_plugin
from sphinxcontrib.bibtex.plugin import find_plugin as find_reference_style
from sphinxcontrib.bibtex.style.referencing import format_references
from sphinxcontrib.bibtex.style.template import SphinxReferenceInfo

from tooling import bibstyle

# ---- Bibliography styles -----------------------------------------------------

BIB = r"""
@misc{undated, author = {{文部科学省}}, title = {AIと量子の施策}, publisher = {文部科学省},
  url = {https://example.org/undated}, urldate = {2026-01-05}}
@misc{white_b, author = {{総務省}}, title = {白書 後編}, year = {2024}, month = {7},
  publisher = {総務省}, url = {https://example.org/b}, note = {一次情報}}
@misc{white_a, author = {{総務省}}, title = {白書 前編}, year = {2024}, month = {3},
  publisher = {総務省}, url = {https://example.org/a}}
@misc{news, author = {{Kyodo News}}, title = {Only 9\% of Japanese people have used generative AI},
  year = {2025}, month = {2}, publisher = {Japan Today}, url = {https://example.org/news}}
@misc{daily, author = {{Jiji Press}}, title = {A dated report}, year = {2025}, month = {2},
  date = {2025-02-14}, publisher = {Japan Today}, url = {https://example.org/daily},
  urldate = {2026-11-28}}
@article{paper, author = {Fortin, Jean-Michel and Currie, David J.}, title = {Big Science vs. Little Science},
  journal = {PLoS ONE}, volume = {8}, number = {6}, pages = {e65263}, year = {2013},
  url = {https://example.org/paper}}
@misc{nothing, author = {{匿名}}, title = {日付の分からない記事}}
"""


@pytest.fixture(scope="module")
def formatted():
    bibstyle.register_styles()
    data = parse_string(BIB, "bibtex")
    style = find_plugin("pybtex.style.formatting", bibstyle.BIB_STYLE)()
    entries = list(style.format_entries(data.entries.values()))
    return data, {e.key: e for e in entries}, [e.key for e in entries]


def text(formatted_entry) -> str:
    return formatted_entry.text.render_as("text")


def test_an_entry_shows_author_year_title_publisher_and_url(formatted):
    _, entries, _ = formatted
    assert text(entries["news"]) == (
        "Kyodo News（2025）「Only 9% of Japanese people have used generative AI」"
        "2025年2月. Japan Today. URL: https://example.org/news")
    html = entries["news"].text.render_as("html")
    assert '<a href="https://example.org/news">https://example.org/news</a>' in html


def test_an_undated_page_is_dated_by_its_access(formatted):
    _, entries, _ = formatted
    entry = text(entries["undated"])
    assert entry.startswith("文部科学省（2026年閲覧）「AIと量子の施策」")  # the title keeps "AI"
    assert entry.endswith("URL: https://example.org/undated（2026年1月5日閲覧）")
    assert entry.count("文部科学省") == 1, "a publisher that is the author is not repeated"


def test_a_dated_page_shows_its_day_and_the_day_it_was_read(formatted):
    _, entries, _ = formatted
    assert text(entries["daily"]) == (
        "Jiji Press（2025）「A dated report」2025年2月14日. Japan Today. "
        "URL: https://example.org/daily（2026年11月28日閲覧）")


@pytest.mark.parametrize(("fields", "message"), [
    ("year = {2025}, month = {2}, date = {14 Feb 2025}", "date must be YYYY-MM-DD"),
    ("year = {2025}, month = {3}, date = {2025-02-14}", "disagrees with year '2025' and month '3'"),
    ("year = {2024}, month = {2}, date = {2025-02-14}", "disagrees"),
    ("year = {2025}, date = {2025-02-14}", "disagrees"),
])
def test_a_date_that_is_malformed_or_disagrees_with_year_and_month_is_an_error(fields, message):
    data = parse_string(f"@misc{{x, author = {{{{A}}}}, title = {{T}}, {fields}}}", "bibtex")
    with pytest.raises(ValueError, match=message):
        bibstyle.published(data.entries["x"])


def test_an_entry_with_no_date_says_so_and_never_nd(formatted):
    _, entries, _ = formatted
    assert text(entries["nothing"]) == "匿名（日付不明）「日付の分からない記事」"
    assert all("n.d." not in text(e) for e in entries.values())


def test_same_author_and_year_are_told_apart_in_date_order(formatted):
    _, entries, order = formatted
    assert order.index("white_a") < order.index("white_b")
    assert entries["white_a"].year_label == "2024a" and entries["white_b"].year_label == "2024b"
    assert text(entries["white_b"]) == (
        "総務省（2024b）「白書 後編」2024年7月. 一次情報。 URL: https://example.org/b")


def test_a_paper_shows_its_journal(formatted):
    _, entries, _ = formatted
    assert text(entries["paper"]) == (
        "Fortin, J.-M., & Currie, D. J.（2013）「Big Science vs. Little Science」"
        "PLoS ONE, 8(6), e65263. URL: https://example.org/paper")


def test_a_malformed_access_date_is_an_error():
    data = parse_string("@misc{x, author = {{A}}, title = {T}, urldate = {5 Jan 2026}}", "bibtex")
    with pytest.raises(ValueError, match="urldate must be YYYY-MM-DD"):
        bibstyle.base_year_label(data.entries["x"])


def cite(formatted, role: str, key: str) -> str:
    """A citation as sphinxcontrib-bibtex writes it (its LaTeX route: plain nodes)."""
    data, entries, _ = formatted
    style = find_reference_style("sphinxcontrib.bibtex.style.referencing", bibstyle.BIB_REFERENCE_STYLE)()
    info = SphinxReferenceInfo(builder=SimpleNamespace(name="latex"), fromdocname="a", todocname="b",
                               citation_id="id1", title=None, pre_text="", post_text="")
    rich = format_references(style, role, [(data.entries[key], entries[key], info)])
    return "".join(n.astext() for n in rich.render(pybtex_docutils.Backend()) if not isinstance(n, nodes.raw))


@pytest.mark.parametrize(("role", "key", "expected"), [
    ("p", "white_b", "[総務省, 2024b]"),
    ("p", "undated", "[文部科学省, 2026年閲覧]"),
    ("p", "nothing", "[匿名, 日付不明]"),
    ("p", "paper", "[Fortin and Currie, 2013]"),
    ("t", "news", "Kyodo News [2025]"),
    ("year", "undated", "2026年閲覧"),
])
def test_citations_use_the_same_year_label(formatted, role, key, expected):
    assert cite(formatted, role, key) == expected


def test_formatting_entries_never_scans_the_installed_distributions(monkeypatch):
    # pybtex finds a plugin missing from its run-time table by scanning every
    # installed distribution's entry points: about 10 s per book build when
    # each entry rendered its parts through the unregistered alias "text"
    import pybtex.plugin

    bibstyle.register_styles()
    bibstyle.register_plaintext_backend()
    style = find_plugin("pybtex.style.formatting", bibstyle.BIB_STYLE)()
    data = parse_string(BIB, "bibtex")
    scans = []
    monkeypatch.setattr(pybtex.plugin, "entry_points", lambda **kw: scans.append(kw) or [])
    entries = list(style.format_entries(data.entries.values()))
    assert len(entries) == len(data.entries)
    assert not scans, f"entry-point scans while formatting: {scans[:3]}"
