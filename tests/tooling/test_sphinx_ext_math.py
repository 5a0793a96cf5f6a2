"""The Sphinx extension's math: every formula of the book converted to MathML
at build time (no math script on any page), with its LaTeX as alttext, and
Sphinx's math nodes written as that MathML (the built pages are checked in
tests/built_book/test_assets.py)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import nbformat
import pytest

from tests.helpers import ROOT
from tooling import sphinx_ext

NS = "{http://www.w3.org/1998/Math/MathML}"
# the pages with math and how many formulas each holds (inline and display)
PAGES = {"chapters/06_side_effects.ipynb": 3, "chapters/appendix/methods.ipynb": 24}
# a formula of MyST's dollarmath: $$...$$ (display) or $...$ (inline, one line)
FORMULA = re.compile(r"\$\$(?P<display>.+?)\$\$|\$(?P<inline>[^$\n]+?)\$", re.S)


def formulas(path: str) -> list[tuple[str, bool]]:
    """Each formula of the notebook's Markdown cells: its LaTeX and whether it is a display formula."""
    found = []
    for cell in nbformat.read(ROOT / path, as_version=4).cells:
        if cell.cell_type == "markdown":
            for match in FORMULA.finditer(cell.source):
                display = match.group("display") is not None
                found.append((match.group("display" if display else "inline").strip(), display))
    return found


BOOK = [(f, d) for path in PAGES for f, d in formulas(path)]


def parse(markup: str) -> ET.Element:
    root = ET.fromstring(markup)
    assert root.tag == f"{NS}math"
    return root


def texts(root: ET.Element, tag: str) -> list[str]:
    return ["".join(e.itertext()) for e in root.iter(f"{NS}{tag}")]


def test_the_formulas_are_found_on_both_pages():
    assert {path: len(formulas(path)) for path in PAGES} == PAGES
    assert sum(display for _, display in BOOK) == 4


@pytest.mark.parametrize(("latex", "display"), BOOK, ids=[f for f, _ in BOOK])
def test_every_formula_of_the_book_converts(latex, display):
    markup = sphinx_ext.mathml(latex, display=display)
    root = parse(markup)  # well-formed XML in the MathML namespace
    assert root.get("display") == ("block" if display else "inline")
    assert root.get("alttext") == " ".join(latex.split())
    assert not [t for e in root.iter() if (t := e.text) and "\\" in t], markup  # no command left as text
    assert not list(root.iter(f"{NS}merror"))
    assert len(list(root.iter())) > 1


def test_japanese_text_log_and_cdot():
    root = parse(sphinx_ext.mathml(r"\log(\text{人数}) = a + b \cdot \text{年度}"))
    assert texts(root, "mtext") == ["人数", "年度"]
    assert texts(root, "mi")[0] == "log"
    assert "\N{FUNCTION APPLICATION}" in texts(root, "mo")
    assert "\N{MIDDLE DOT}" in texts(root, "mo")


def row(root: ET.Element) -> list[str]:
    """The formula's top row, one word per element: its text, or its tag and width for a space."""
    return [f"space {e.get('width')}" if e.tag == f"{NS}mspace" else "".join(e.itertext())
            for e in root.find(f"{NS}mrow")]


def test_a_function_name_is_spaced_as_in_tex():
    apply = "\N{FUNCTION APPLICATION}"
    # b log(x): a thin space between the ordinary b and log, none before the bracket
    assert row(parse(sphinx_ext.mathml(r"a + b \log(\text{件数})"))) == [
        "a", "+", "b", "space 0.167em", "log", apply, "(", "件数", ")"]
    # log y: a thin space after it before a letter; none before log at the start
    assert row(parse(sphinx_ext.mathml(r"\log y_t = a")))[:4] == ["log", apply, "space 0.167em", "yt"]
    # \operatorname is a function name, not an operator spaced like a binary one
    root = parse(sphinx_ext.mathml(r"\operatorname{round}(\hat{p} n)"))
    assert root.find(f"{NS}mrow")[0].tag == f"{NS}mi" and row(root)[:3] == ["round", apply, "("]


def test_subscripts_fractions_roots_accents_and_signs():
    root = parse(sphinx_ext.mathml(r"s = x_\text{部分} / x_\text{全体}"))
    assert [("".join(s[0].itertext()), "".join(s[1].itertext())) for s in root.iter(f"{NS}msub")] == [
        ("x", "部分"), ("x", "全体")]
    slash = [e for e in root.iter(f"{NS}mo") if e.text == "/"]
    assert slash and slash[0].get("lspace") == slash[0].get("rspace") == "0em"
    # |c - v|/|v|: the bars and the slash unspaced (TeX's ordinary symbols), the minus spaced
    spacing = [(e.text, e.get("lspace")) for e in parse(sphinx_ext.mathml("|c - v|/|v|")).iter(f"{NS}mo")]
    assert spacing == [("|", "0em"), ("\N{MINUS SIGN}", None), ("|", "0em"), ("/", "0em"), ("|", "0em"),
                       ("|", "0em")]
    root = parse(sphinx_ext.mathml(r"\frac{\hat{p} \pm z\sqrt{n}}{1 + \frac{z^2}{n}}", display=True))
    assert len(list(root.iter(f"{NS}mfrac"))) == 2
    assert len(list(root.iter(f"{NS}msqrt"))) == 1
    assert [e.get("accent") for e in root.iter(f"{NS}mover")] == ["true"]
    assert "\N{PLUS-MINUS SIGN}" in texts(root, "mo") and "\N{PLUS-MINUS SIGN}" not in texts(root, "mi")
    assert [len(list(e)) for e in root.iter(f"{NS}msup")] == [2]


def test_the_text_and_the_alttext_are_escaped():
    # latex2mathml's own string would write the text's "&" and "<" as they are
    markup = sphinx_ext.mathml('a < b \\text{"q" & r <s>}')
    assert 'alttext="a &lt; b \\text{&quot;q&quot; &amp; r &lt;s&gt;}"' in markup
    root = parse(markup)
    assert root.get("alttext") == 'a < b \\text{"q" & r <s>}'
    assert [t.replace("\N{NO-BREAK SPACE}", " ") for t in texts(root, "mtext")] == ['"q" & r <s>']


@pytest.mark.parametrize("latex", [r"\unknowncommand x", "x^{"])
def test_a_formula_that_cannot_be_converted_is_an_error(latex):
    with pytest.raises(sphinx_ext.MathError, match="cannot convert"):
        sphinx_ext.mathml(latex)


CONF = '''
from tooling import sphinx_ext

html_math_renderer = "mathml"


def setup(app):
    app.add_html_math_renderer(sphinx_ext.MATH_RENDERER, (sphinx_ext.visit_math, None),
                               (sphinx_ext.visit_displaymath, None))
'''

INDEX = r'''
Title
=====

Inline :math:`\log(\text{件数})` here.

.. math::
   :label: growth

   g = \frac{x_1}{x_0}

See :eq:`growth`.
'''


def build(tmp_path, index: str) -> tuple[int, str, str]:
    """Sphinx's HTML of ``index`` (reST) with the book's math renderer: exit
    status, the page (or "") and the warnings."""
    import io
    from contextlib import redirect_stderr

    from sphinx.cmd.build import build_main

    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    (src / "conf.py").write_text(CONF, encoding="utf-8")
    (src / "index.rst").write_text(index, encoding="utf-8")
    warnings = io.StringIO()
    with redirect_stderr(warnings):
        status = build_main(["-b", "html", "-q", "-W", "-E", str(src), str(out)])
    page = out / "index.html"
    return status, page.read_text(encoding="utf-8") if page.exists() else "", warnings.getvalue()


def test_sphinx_writes_the_math_as_mathml_without_a_script(tmp_path):
    status, page, warnings = build(tmp_path, INDEX)
    assert status == 0, warnings
    assert "mathjax" not in page.lower()
    assert re.search(r'<span class="math notranslate nohighlight"><math [^>]*display="inline"[^>]*>'
                     r".*?<mtext>件数</mtext>.*?</math></span>", page)
    display = re.search(r'<div class="math notranslate nohighlight" id="equation-growth">\n'
                        r'<span class="eqno">\(1\)<a class="headerlink" href="#equation-growth".*?</span>'
                        r'(<math [^>]*display="block".*?</math>)</div>', page, re.S)
    assert display, page
    assert parse(display.group(1)).get("alttext") == r"g = \frac{x_1}{x_0}"
    assert '<a class="reference internal" href="#equation-growth">' in page


def test_a_formula_that_cannot_be_converted_fails_the_build(tmp_path):
    status, _, warnings = build(tmp_path, "Title\n=====\n\n:math:`x + \\nosuchcommand`\n")
    assert status != 0
    assert "index.rst" in warnings and "nosuchcommand" in warnings
