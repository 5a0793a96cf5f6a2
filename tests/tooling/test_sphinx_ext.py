"""The Sphinx extension without a Sphinx build: the Japanese line joining on
small docutils trees, and the bibliography styles on entries formatted by
pybtex and sphinxcontrib-bibtex directly."""

from __future__ import annotations

from types import SimpleNamespace

import pybtex_docutils
import pytest
from docutils import nodes
from docutils.core import publish_doctree
from myst_parser.parsers.docutils_ import Parser as MystParser
from pybtex.database import parse_string
from pybtex.plugin import find_plugin
from sphinxcontrib.bibtex.plugin import find_plugin as find_reference_style
from sphinxcontrib.bibtex.style.referencing import format_references
from sphinxcontrib.bibtex.style.template import SphinxReferenceInfo

from tooling import sphinx_ext
from tooling.sphinx_ext import _join_cjk_lines

# ---- Japanese line joining ---------------------------------------------------


def paragraph(*children: nodes.Node) -> nodes.document:
    """A document holding one paragraph with ``children``."""
    doc = nodes.document(None, None)
    doc += nodes.paragraph("", "", *children)
    return doc


def joined(doc: nodes.document) -> str:
    _join_cjk_lines(None, doc)
    return doc.astext()


@pytest.mark.parametrize(("source", "expected"), [
    ("日本語の\n文章", "日本語の文章"),
    ("句点で終わる。\n次の文", "句点で終わる。次の文"),
    ("全角「かぎ」\n（括弧）", "全角「かぎ」（括弧）"),
    ("空白を挟む \n  改行", "空白を挟む改行"),
    ("English\nwords", "English\nwords"),
    ("日本語\nEnglish", "日本語\nEnglish"),
    ("AI\n市場", "AI\n市場"),
    ("2024年\n12月", "2024年\n12月"),  # a digit after the break: kept (it renders as a space)
])
def test_a_break_inside_one_text_node(source, expected):
    assert joined(paragraph(nodes.Text(source))) == expected


def test_a_break_between_japanese_neighbours_is_dropped():
    """MyST keeps a soft break as its own "\\n" text node: its neighbours decide."""
    doc = paragraph(nodes.Text("日本語の"), nodes.Text("\n"), nodes.Text("文章"))
    assert joined(doc) == "日本語の文章"
    doc = paragraph(nodes.emphasis("", "強調"), nodes.Text("\n"), nodes.Text("と続く"))
    assert joined(doc) == "強調と続く"


def test_every_break_of_a_paragraph_is_judged_by_its_own_neighbours():
    """Text nodes are strings: several equal "\n" nodes in one paragraph must
    each be judged by their own neighbours (an index by equality finds the first)."""
    doc = paragraph(nodes.Text("English"), nodes.Text("\n"), nodes.Text("word 判定は"), nodes.Text("\n"),
                    nodes.inline("", "四件"), nodes.Text("は事実と"), nodes.Text("\n"), nodes.Text("食い違い"))
    assert joined(doc) == "English\nword 判定は四件は事実と食い違い"


@pytest.mark.parametrize(("before", "after"), [("word", "日本"), ("日本", "word"), ("word", "word")])
def test_a_break_next_to_latin_is_kept(before, after):
    doc = paragraph(nodes.Text(before), nodes.Text("\n"), nodes.Text(after))
    assert joined(doc) == f"{before}\n{after}"


def test_a_break_at_the_edge_of_a_paragraph_is_kept():
    assert joined(paragraph(nodes.Text("\n"), nodes.Text("日本"))) == "\n日本"
    assert joined(paragraph(nodes.Text("日本"), nodes.Text("\n"))) == "日本\n"


@pytest.mark.parametrize("kind", [nodes.literal_block, nodes.literal, nodes.raw])
def test_code_and_raw_text_are_left_alone(kind):
    doc = nodes.document(None, None)
    block = kind("", "日本\n語")
    doc += block if kind is not nodes.literal else nodes.paragraph("", "", block)
    assert joined(doc) == "日本\n語"


def test_myst_soft_breaks():
    """The same on a tree parsed by MyST itself (its docutils parser, no Sphinx)."""
    source = "日本語の\n文章です。*強調*\nと `コード\n片` English\nwords\n\n```\n日本\n語\n```\n"
    doc = publish_doctree(source, parser=MystParser(), settings_overrides={"report_level": 5})
    assert any(str(t) == "\n" for t in doc.findall(nodes.Text)), "MyST no longer keeps soft breaks apart"
    _join_cjk_lines(None, doc)
    para, code = list(doc.findall(nodes.paragraph))[0], next(iter(doc.findall(nodes.literal_block)))
    assert para.astext() == "日本語の文章です。強調と コード 片 English\nwords"
    assert code.astext().rstrip("\n") == "日本\n語"


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
@article{paper, author = {Fortin, Jean-Michel and Currie, David J.}, title = {Big Science vs. Little Science},
  journal = {PLoS ONE}, volume = {8}, number = {6}, pages = {e65263}, year = {2013},
  url = {https://example.org/paper}}
@misc{nothing, author = {{匿名}}, title = {日付の分からない記事}}
"""


@pytest.fixture(scope="module")
def formatted():
    sphinx_ext._register_bibliography_styles()
    data = parse_string(BIB, "bibtex")
    style = find_plugin("pybtex.style.formatting", sphinx_ext.BIB_STYLE)()
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


def test_an_entry_with_no_date_says_so_and_never_nd(formatted):
    _, entries, _ = formatted
    assert text(entries["nothing"]) == "匿名（日付未確認）「日付の分からない記事」"
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
        sphinx_ext.base_year_label(data.entries["x"])


def cite(formatted, role: str, key: str) -> str:
    """A citation as sphinxcontrib-bibtex writes it (its LaTeX route: plain nodes)."""
    data, entries, _ = formatted
    style = find_reference_style("sphinxcontrib.bibtex.style.referencing", sphinx_ext.BIB_REFERENCE_STYLE)()
    info = SphinxReferenceInfo(builder=SimpleNamespace(name="latex"), fromdocname="a", todocname="b",
                               citation_id="id1", title=None, pre_text="", post_text="")
    rich = format_references(style, role, [(data.entries[key], entries[key], info)])
    return "".join(n.astext() for n in rich.render(pybtex_docutils.Backend()) if not isinstance(n, nodes.raw))


@pytest.mark.parametrize(("role", "key", "expected"), [
    ("p", "white_b", "[総務省, 2024b]"),
    ("p", "undated", "[文部科学省, 2026年閲覧]"),
    ("p", "nothing", "[匿名, 日付未確認]"),
    ("p", "paper", "[Fortin and Currie, 2013]"),
    ("t", "news", "Kyodo News [2025]"),
    ("year", "undated", "2026年閲覧"),
])
def test_citations_use_the_same_year_label(formatted, role, key, expected):
    assert cite(formatted, role, key) == expected
