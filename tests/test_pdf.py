"""The PDF book (``python -m analysis.pdf``): Japanese text with its fonts
embedded, no missing glyph, every chapter title and glued headline number,
every chart as an image, and the same text from two builds.

The PDF is built twice per session from the stored notebook outputs, each time
into a fresh temporary folder. Needs TeX Live (uplatex; see analysis/pdf.py)
and poppler-utils: without them these tests skip, except under CI=true, where
a skip is a failure. The unit tests of the table fitting need neither.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import nbformat
import pytest
import yaml

from analysis import pdf
from conftest import GLUE_TEXT, require, toc_sources

ROOT = Path(__file__).resolve().parent.parent
HEADLINE_GLUES = ["ai_genai_2028", "ai_multiple_stated", "ai_nri_use", "ai_tdb_benefit"]
POPPLER = ["pdffonts", "pdftotext", "pdfimages", "pdfinfo"]


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


def tools_present() -> None:
    missing = pdf.missing_packages()
    require(not missing, "TeX packages missing: " + " ".join(missing))
    absent = [tool for tool in POPPLER if shutil.which(tool) is None]
    require(not absent, "poppler-utils is not installed (" + ", ".join(absent) + ")")


def build_pdf(tmp_path_factory, name: str) -> tuple[Path, Path]:
    """Build the PDF with ``python -m analysis.pdf`` into a fresh folder;
    return (the PDF, the LaTeX log)."""
    tools_present()
    work = tmp_path_factory.mktemp(name)
    out = work / "book.pdf"
    proc = subprocess.run([sys.executable, "-m", "analysis.pdf", "--workdir", str(work / "build"),
                           "--output", str(out)], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, f"PDF build failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    assert re.search(r"\d+ pages, [\d.]+ MB", proc.stdout), proc.stdout
    return out, work / "build" / "_build" / "latex" / "book.log"


@pytest.fixture(scope="session")
def built_pdf(tmp_path_factory) -> tuple[Path, Path]:
    return build_pdf(tmp_path_factory, "pdf")


@pytest.fixture(scope="session")
def rebuilt_pdf(tmp_path_factory, built_pdf) -> tuple[Path, Path]:
    return build_pdf(tmp_path_factory, "pdf-again")


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
    for word in ["目次", "はじめに", "第1章", "参考文献", "検証台帳"]:
        assert word in text, word
    assert "関連図書" not in text, "the bibliography opened a second, untitled chapter"


def test_title_page_has_no_build_date(built_pdf):
    first = squeeze(run("pdftotext", "-f", "1", "-l", "1", str(built_pdf[0]), "-"))
    title = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["title"]
    assert squeeze(title) in first
    assert not re.search(r"\d{4}年\d{1,2}月\d{1,2}日|\d{4}-\d{2}-\d{2}", first), first


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


def test_citations_are_resolved(pdf_text):
    assert "[article]" not in pdf_text and "??" not in pdf_text
    assert re.search(r"\[\d+\]", pdf_text), "no numbered bibliography entry"


def test_two_builds_give_the_same_pdf(built_pdf, rebuilt_pdf):
    first, second = built_pdf[0], rebuilt_pdf[0]
    assert run("pdftotext", str(first), "-") == run("pdftotext", str(second), "-")
    # SOURCE_DATE_EPOCH fixes the timestamps: the files are identical too.
    assert first.read_bytes() == second.read_bytes()


# ---- unit tests of the table fitting (no TeX needed) ---------------------------


def sphinx_tabulary(rows: list[list[str]]) -> str:
    """A table as Sphinx's tabulary template writes it."""
    def row(cells, head=False):
        style = "\\sphinxstyletheadfamily \n" if head else "\n"
        return "&".join(style + "\\sphinxAtStartPar\n" + c + "\n" for c in cells) + "\\\\\n"
    body = "\\sphinxhline\n".join(row(r) for r in rows[1:])
    return ("\\begin{savenotes}\\sphinxattablestart\n\\sphinxthistablewithglobalstyle\n"
            "\\sphinxthistablewithbooktabsstyle\n\\centering\n\\phantomsection\\label{\\detokenize{x:t}}\\nobreak\n"
            "\\begin{tabulary}{\\linewidth}[t]{" + "T" * len(rows[0]) + "}\n\\sphinxtoprule\n"
            + row(rows[0], head=True) + "\\sphinxmidrule\n\\sphinxtableatstartofbodyhook\n" + body
            + "\\sphinxbottomrule\n\\end{tabulary}\n\\sphinxtableafterendhook\\par\n"
            "\\sphinxattableend\\end{savenotes}")


def test_a_tall_table_becomes_a_page_breaking_longtable():
    rows = [["系列", "期間", "出典"]] + [
        [f"basic\\_plan\\_gov\\_rd\\_{i}", "第1期、第2期、第3期、第4期、第5期、第6期" * 2,
         "\\DUrole{bibtex-citation}{{[}\\hyperlink{cite.x:id1}{文部科学省, 2024}{]}}" * 3] for i in range(30)]
    tex, widened, converted = pdf.fit_tables("before\n" + sphinx_tabulary(rows) + "\nafter")
    assert (widened, converted) == (0, 1)
    assert "\\begin{tabulary}" not in tex and "\\begin{longtable}{>{\\raggedright\\arraybackslash}\\X{" in tex
    assert "\\endfirsthead" in tex and "\\endhead" in tex and "\\label{\\detokenize{x:t}}" in tex
    assert tex.count("basic\\_plan\\_gov\\_rd\\_") == 30  # every row once
    spec = re.search(r"\\begin\{longtable\}\{(.*)\}\n", tex).group(1)
    parts = [(int(a), int(b)) for a, b in re.findall(r"\\X\{(\d+)\}\{(\d+)\}", spec)]
    assert len(parts) == 3 and len({b for _, b in parts}) == 1
    assert sum(a for a, _ in parts) <= parts[0][1]  # the columns share the line
    assert tex.startswith("before\n") and tex.endswith("\nafter")


def test_a_short_table_is_left_to_tabulary():
    table = sphinx_tabulary([["期", "年度"], ["第1期", "1996"], ["第2期", "2001"]])
    assert pdf.fit_tables(table) == (table, 0, 0)


def test_a_wide_short_table_gets_the_smaller_size():
    rows = [[f"列{i}" for i in range(10)]] + [["十億ドル単位の市場規模の予測値"] * 10] * 3
    tex, widened, converted = pdf.fit_tables(sphinx_tabulary(rows))
    assert (widened, converted) == (0, 0) and "\\begin{tabulary}" in tex
    assert "\\sphinxthistablewithbooktabsstyle\n\\footnotesize\\setlength{\\tabcolsep}{3pt}%\n\\centering" in tex


def test_column_widths_share_the_line():
    rows = [["ID", "判定", "理由"]] + [["a_01", "出典未確認", "計算値が記事の数値と一致しない理由の長い説明" * 3]] * 10
    widths = pdf.column_widths(rows, budget=50)
    assert widths[0] == pytest.approx(pdf.text_em("a_01") + 0.5)
    assert widths[1] == pytest.approx(pdf.text_em("出典未確認") + 0.5)  # a verdict never wraps
    assert sum(widths) == pytest.approx(50)


def test_appendix_part_and_bibliography():
    tex = ("\\chapter{まとめ}\n\\label{\\detokenize{chapters/07::doc}}\ntext\n"
           "\\sphinxstepscope\n\n\n\\chapter{検証台帳}\n\\label{\\detokenize{chapters/appendix/ledger:id1}}"
           "\\label{\\detokenize{chapters/appendix/ledger::doc}}\nrows\n"
           "\\chapter{参考文献}\n\\label{\\detokenize{chapters/appendix/bibliography::doc}}\n"
           "\\begin{sphinxthebibliography}{100}\n")
    toc = {"parts": [{"caption": "本編", "chapters": [{"file": "chapters/07"}]},
                     {"caption": "付録", "chapters": [{"file": "chapters/appendix/ledger"},
                                                      {"file": "chapters/appendix/bibliography"}]}]}
    out, done = pdf.mark_parts(tex, toc)
    assert len(done) == 2
    assert "\\sphinxstepscope\n\n\n\\appendix\n\\chapter{検証台帳}" in out
    assert "\\chapter{まとめ}" in out and out.count("\\appendix") == 1
    assert ("\\chapter*{参考文献}\n\\addcontentsline{toc}{chapter}{参考文献}"
            "\\label{\\detokenize{chapters/appendix/bibliography::doc}}\n\\begin{sphinxthebibliography}") in out
    assert pdf.mark_parts(tex, {"parts": [toc["parts"][0]]})[0].count("\\appendix") == 0


def test_missing_tex_names_the_packages(monkeypatch):
    monkeypatch.setattr(pdf, "can_apt_install", lambda: False)
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    with pytest.raises(pdf.PdfError) as err:
        pdf.ensure_tex()
    assert "apt-get install" in str(err.value)
    for package in pdf.DEBIAN_PACKAGES:
        assert package in str(err.value)


def test_missing_latexmk_names_only_latexmk(monkeypatch):
    require(shutil.which("kpsewhich") is not None and not pdf.missing_packages(),
            "TeX packages missing: " + " ".join(pdf.missing_packages()))
    which = shutil.which
    monkeypatch.setattr(pdf, "can_apt_install", lambda: False)
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None if name == "latexmk" else which(name))
    with pytest.raises(pdf.PdfError) as err:
        pdf.ensure_tex()
    assert str(err.value).splitlines()[-1].split() == [
        "sudo", "apt-get", "install", "--no-install-recommends", "latexmk"]
