"""The built HTML book: every page, chart, glued value and citation; zero
warnings; nothing loaded from outside the book."""

from __future__ import annotations

import ast
import html
import re
from html.parser import HTMLParser

import nbformat
import pytest

from tests.helpers import GLUE_TEXT, ROOT, toc_pages
from tooling.refresh import all_notebooks

pytestmark = pytest.mark.slow  # builds the book or the PDF, or executes notebooks


def glued_texts(nb) -> dict[str, str]:
    found = {}
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            name = out.get("metadata", {}).get("scrapbook", {}).get("name")
            glued = out.get("data", {})
            if name and GLUE_TEXT in glued and "application/papermill.record/text/html" not in glued:
                value = ast.literal_eval(glued[GLUE_TEXT])  # as myst-nb reads it
                assert isinstance(value, str), f"{name} is glued as {value!r}, not as a formatted str"
                found[name] = value
    return found


def referenced_glue(nb) -> set[str]:
    """Names used by {glue}/{glue:text} roles in the notebook's prose."""
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    return set(re.findall(r"\{glue(?::text|:any)?\}`([^`]+)`", text))


def figure_names(nb) -> list[tuple[str, str]]:
    """(glue key, figure :name:) of every glue:figure directive."""
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    return re.findall(r"```\{glue:figure\}\s+(\S+)\n:name:\s*(\S+)", text)


class Assets(HTMLParser):
    """Collects what a page loads: scripts, stylesheets, images, inline scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.inline: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script":
            if a.get("src"):
                self.urls.append(a["src"])
            else:
                self._in_script = True
        elif tag == "link" and a.get("rel") in ("stylesheet", "preload", "icon", "modulepreload"):
            self.urls.append(a.get("href", ""))
        elif tag in ("img", "iframe", "source", "video", "audio", "embed"):
            self.urls.append(a.get("src", ""))

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.inline.append(data)


def test_build_has_zero_warnings(built_book):
    _, log = built_book
    assert "WARNING" not in log and "build succeeded" in log


def test_every_toc_page_is_built(built_book):
    html_dir, _ = built_book
    for name in toc_pages():
        assert (html_dir / f"{name}.html").exists(), name
    assert (html_dir / "_static" / "vega-bundle.js").stat().st_size > 500_000


@pytest.mark.parametrize("path", all_notebooks(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_chart_and_glued_value_is_on_its_page(built_book, path):
    html_dir, _ = built_book
    nb = nbformat.read(path, as_version=4)
    page = (html_dir / path.relative_to(ROOT)).with_suffix(".html").read_text(encoding="utf-8")
    charts = re.findall(r'<div id="(vega-[0-9a-f]{12})" class="vega-chart"', page)
    assert len(charts) == len(figure_names(nb)), "each glue:figure must render one chart container"
    for element in charts:
        assert f'document.getElementById("{element}")' in page
    for _, name in figure_names(nb):
        assert f'id="{name}"' in page, f"figure {name} has no anchor for numref"
    glued = glued_texts(nb)
    for name in referenced_glue(nb):
        assert name in glued, f"the prose uses {name}, which no cell glues"
        text = glued[name]
        assert html.escape(text, quote=False) in page, f"glued value {name} = {text!r} not on the page"


def test_nothing_is_loaded_from_outside_the_book(built_book):
    html_dir, _ = built_book
    pages = sorted(html_dir.rglob("*.html"))
    assert len(pages) >= len(toc_pages())
    for page in pages:
        parser = Assets()
        parser.feed(page.read_text(encoding="utf-8"))
        external = [u for u in parser.urls if re.match(r"^(https?:)?//", u)]
        assert not external, f"{page.relative_to(html_dir)} loads {external}"
        for script in parser.inline:
            where = page.relative_to(html_dir)
            assert not re.search(r"https?://", script), f"{where}: URL in an inline script"
    for css in html_dir.rglob("*.css"):
        text = css.read_text(encoding="utf-8", errors="ignore")
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", text), css


def test_every_source_is_cited_and_every_citation_resolves(built_book):
    html_dir, _ = built_book
    bib = (ROOT / "references.bib").read_text(encoding="utf-8")
    keys = set(re.findall(r"^@\w+\s*\{\s*([^,\s]+)\s*,", bib, re.M))
    texts = []
    for path in all_notebooks():
        for cell in nbformat.read(path, as_version=4).cells:
            texts.append(cell.source if cell.cell_type == "markdown" else "")
            texts += [o.get("data", {}).get("text/markdown", "") for o in cell.get("outputs", [])]
    texts += [p.read_text(encoding="utf-8") for p in ROOT.glob("*.md") if p.name != "README.md"]
    texts += [p.read_text(encoding="utf-8") for p in (ROOT / "chapters").rglob("*.md")]
    cited = set()
    for group in re.findall(r"\{cite(?::\w+)?\}`([^`]+)`", "\n".join(texts)):
        cited |= {k.strip() for k in group.split(",")}
    assert cited <= keys, f"cited but not in references.bib: {sorted(cited - keys)}"
    assert keys <= cited, f"in references.bib but never cited: {sorted(keys - cited)}"
    bibliography = (html_dir / "chapters" / "appendix" / "bibliography.html").read_text(encoding="utf-8")
    entries = re.findall(r'<div class="citation" id="id\d+" role="doc-biblioentry">', bibliography)
    assert len(entries) == len(keys), "the bibliography lists every source once"
