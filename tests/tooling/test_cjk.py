"""Japanese line joining on small docutils trees and a real MyST parse."""

from __future__ import annotations

import pytest
from docutils import nodes
from docutils.core import publish_doctree
from myst_parser.parsers.docutils_ import Parser as MystParser

from tooling.cjk import join_lines

# ---- Japanese line joining ---------------------------------------------------


def paragraph(*children: nodes.Node) -> nodes.document:
    """A document holding one paragraph with ``children``."""
    doc = nodes.document(None, None)
    doc += nodes.paragraph("", "", *children)
    return doc


def joined(doc: nodes.document) -> str:
    join_lines(None, doc)
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
                    nodes.inline("", "四件"), nodes.Text("は事実と"), nodes.Text("\n"),
                    nodes.Text("食い違い"))
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
    join_lines(None, doc)
    para, code = list(doc.findall(nodes.paragraph))[0], next(iter(doc.findall(nodes.literal_block)))
    assert para.astext() == "日本語の文章です。強調と コード 片 English\nwords"
    assert code.astext().rstrip("\n") == "日本\n語"
