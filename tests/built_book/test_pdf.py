"""The PDF book (``python -m tooling.pdf``): Japanese text with its fonts
embedded, no missing glyph, every chapter title and glued headline number,
every chart as an image, every figure numbered as in the HTML book, and the
same LaTeX and PDF from two builds (on a small book with the book's
configuration: tests/tooling/test_pdf.py).

The PDF is built once per test run from the stored notebook outputs, into a
fresh temporary folder. Needs TeX Live (uplatex; see tooling/pdf.py)
and poppler-utils: without them these tests skip, except under CI=true, where
a skip is a failure.
"""

from __future__ import annotations

import html
import re
import subprocess
import unicodedata
from pathlib import Path

import nbformat
import pytest
import yaml

from tests.helpers import GLUE_TEXT, ROOT, toc_pages, toc_sources
from tooling import release

pytestmark = pytest.mark.slow  # builds the book or the PDF, or executes notebooks

HEADLINE_GLUES = ["ai_genai_2028", "ai_multiple_stated", "ai_nri_use", "ai_tdb_benefit"]


# ---- the sources ------------------------------------------------------------


def markdown_sources(path: Path) -> list[str]:
    if path.suffix == ".ipynb":
        nb = nbformat.read(path, as_version=4)
        return [c.source for c in nb.cells if c.cell_type == "markdown"]
    return [path.read_text(encoding="utf-8")]


def first_heading(path: Path) -> str:
    for text in markdown_sources(path):
        for line in text.splitlines():
            if line.startswith("# "):
                return re.sub(r"[*`]", "", line[2:]).strip()
    raise AssertionError(f"{path} has no level-1 heading")


def chart_count() -> int:
    """The charts of the book: its ``glue:figure`` directives."""
    return sum(text.count("```{glue:figure}") for path in toc_sources() for text in markdown_sources(path))


def headline_numbers() -> dict[str, str]:
    nb = nbformat.read(ROOT / "chapters" / "04_ai.ipynb", as_version=4)
    found = {}
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            name = out.get("metadata", {}).get("scrapbook", {}).get("name")
            if name in HEADLINE_GLUES and GLUE_TEXT in out.get("data", {}):
                found[name] = out["data"][GLUE_TEXT].strip().strip("'\"")
    return found


def squeeze(text: str) -> str:
    """Text without whitespace, ligatures unfolded: how a title or number is
    found in pdftotext output whatever the line breaks."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


# ---- the builds -------------------------------------------------------------


def run(*args: str) -> str:
    proc = subprocess.run(args, capture_output=True, text=True)
    assert proc.returncode == 0, f"{' '.join(args)} failed: {proc.stderr}"
    return proc.stdout


@pytest.fixture(scope="session")
def pdf_text(built_pdf) -> str:
    return run("pdftotext", str(built_pdf[0]), "-")


# ---- the checks -------------------------------------------------------------


def test_every_font_is_embedded(built_pdf):
    rows = run("pdffonts", str(built_pdf[0])).splitlines()[2:]
    assert rows, "pdffonts lists no font"
    # The columns from the right: emb sub uni object-number generation.
    not_embedded = [row for row in rows if row.split()[-5] != "yes"]
    assert not not_embedded, "fonts not embedded:\n" + "\n".join(not_embedded)
    names = [row.split()[0] for row in rows]
    assert any("HaranoAjiMincho" in n for n in names), names
    assert any("HaranoAjiGothic" in n for n in names), names


def test_no_missing_character(built_pdf):
    log = built_pdf[1].read_text(encoding="utf-8", errors="replace")
    missing = [line for line in log.splitlines() if "Missing character" in line]
    assert not missing, "\n".join(missing[:20])


def test_every_chapter_title_is_in_the_text(pdf_text):
    text = squeeze(pdf_text)
    titles = [first_heading(path) for path in toc_sources()]
    assert len(titles) >= 8
    absent = [t for t in titles if squeeze(t) not in text]
    assert not absent, f"chapter titles not found in the PDF text: {absent}"


def test_japanese_book_structure(pdf_text):
    text = squeeze(pdf_text)
    for word in ["目次", "はじめに", "第1章", "参考文献", "付録A検証台帳", "付録Bデータと出典"]:
        assert word in text, word
    assert "関連図書" not in text, "the bibliography opened a second, untitled chapter"
    # the 付録 part is lettered, and the bibliography after it has no number
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    letters = len(next(p for p in toc["parts"] if p.get("style") == "alphaupper")["chapters"])
    last, after = "ABCDEFGHIJ"[letters - 1], "ABCDEFGHIJ"[letters]
    assert f"付録{last}" in text and f"付録{after}" not in text
    assert "第8章" not in text


def test_title_page_shows_the_version_and_no_build_date(built_pdf):
    """The title page: the title, and the version with its date from
    CITATION.cff (tooling.release); no other date (no build date: two builds
    of one tree give the same PDF)."""
    first = squeeze(run("pdftotext", "-f", "1", "-l", "1", str(built_pdf[0]), "-"))
    title = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["title"]
    assert squeeze(title) in first
    shown = f"バージョン{release.version()}（{release.japanese_date(release.released())}）"
    assert squeeze(shown) in first, first
    rest = first.replace(squeeze(shown), "")
    assert not re.search(r"\d{4}年\d{1,2}月\d{1,2}日|\d{4}-\d{2}-\d{2}", rest), first


def test_glued_headline_numbers_are_in_the_text(pdf_text):
    numbers = headline_numbers()
    assert sorted(numbers) == sorted(HEADLINE_GLUES), numbers
    text = squeeze(pdf_text)
    absent = {name: value for name, value in numbers.items() if squeeze(value) not in text}
    assert not absent, f"glued numbers not found in the PDF text: {absent}"


def test_every_chart_is_an_image(built_pdf):
    rows = run("pdfimages", "-list", str(built_pdf[0])).splitlines()[2:]
    images = [row for row in rows if row.split()[2] == "image"]  # not smask/mask rows
    charts = chart_count()
    assert charts > 0
    assert len(images) == charts, f"{len(images)} images in the PDF, {charts} glue:figure charts"


def html_figures(html_dir: Path, page: str) -> list[tuple[str, str]]:
    """(number, caption) of every figure of a page of the HTML book: ('4.1', '...')."""
    text = (html_dir / f"{page}.html").read_text(encoding="utf-8")
    found = re.findall(r'<span class="caption-number">図 ([^<]*?) </span>'
                       r'<span class="caption-text">(.*?)</span>', text, re.S)
    return [(number, html.unescape(re.sub(r"<[^>]+>", "", caption))) for number, caption in found]


def chapter_numbers() -> dict[str, str]:
    """The number each page of _toc.yml gives its chapter ('' for none), as in
    the HTML and PDF: 1, 2, ... in a numbered part, A, B, ... in a lettered one."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    numbers, counts = {toc["root"]: ""}, {"numerical": 0, "alphaupper": 0}
    for part in toc["parts"]:
        style = part.get("style", "numerical")
        for chapter in part["chapters"]:
            if part.get("numbered"):
                counts[style] += 1
            numbers[chapter["file"]] = ("" if not part.get("numbered") else str(counts[style])
                                        if style == "numerical" else chr(ord("A") + counts[style] - 1))
    return numbers


def test_figures_have_the_same_numbers_in_html_and_pdf(built_book, pdf_text):
    chapters, text = chapter_numbers(), squeeze(pdf_text)
    figures = [(page, *figure) for page in toc_pages() for figure in html_figures(built_book[0], page)]
    assert len(figures) == chart_count(), "every chart is a numbered figure"
    for page in {page for page, _, _ in figures}:
        numbers = [number for p, number, _ in figures if p == page]
        prefix = chapters[page] + "." if chapters[page] else ""
        first = 1 if prefix else int(numbers[0])  # pages outside the numbered parts share one sequence
        assert numbers == [f"{prefix}{i}" for i in range(first, first + len(numbers))], (page, numbers)
    absent = [(number, caption) for _, number, caption in figures
              if f"図{number}:{squeeze(caption)[:15]}" not in text]
    assert not absent, f"figures numbered otherwise in the PDF (or not found): {absent}"


def test_citations_are_resolved(pdf_text):
    assert "[article]" not in pdf_text and "??" not in pdf_text
    assert re.search(r"\[\d+\]", pdf_text), "no numbered bibliography entry"


def test_the_pdf_is_free_of_code(pdf_text):
    """The computations the HTML book shows on demand stay out of the PDF: no
    line of any notebook's code is in its text."""
    text = squeeze(pdf_text)
    found = []
    for path in toc_sources():
        if path.suffix != ".ipynb":
            continue
        code = [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
        lines = [line for cell in code for line in cell.source.splitlines() if len(line) > 25]
        found += [f"{path.name}: {line}" for line in lines if squeeze(line) in text]
    assert not found, "code in the PDF:\n" + "\n".join(found[:10])


def test_every_chart_caption_names_its_data_in_the_repository(pdf_text):
    """Each chart's caption says where the CSV of its values is (exports/figures/<name>.csv)."""
    # pdftotext drops a hyphen where a line breaks after it: compare without hyphens
    text = squeeze(pdf_text).replace("-", "")
    names = [p.stem for p in (ROOT / "exports" / "figures").glob("*.csv")]
    assert len(names) == chart_count()
    missing = [n for n in names if squeeze(f"exports/figures/{n}.csv").replace("-", "") not in text]
    assert not missing, f"captions without their data file: {missing}"
