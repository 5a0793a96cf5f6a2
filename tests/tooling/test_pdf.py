"""The PDF step against the pinned Sphinx: the book's table templates are
Sphinx's own with the book's edits; a tiny book built with the book's own
_config.yml and templates gets the tables analysis.pdf_tables lays out, the parts
of its _toc.yml (付録A, an unnumbered last chapter) and the same figure
numbers in HTML and PDF. A Sphinx upgrade that changes any of it fails here.
The same tiny book, built under two clocks, gives the same LaTeX and the same
PDF (the book's PDF is built once per test run: tests/built_book/test_pdf.py).
Also the message that names missing TeX packages."""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import unicodedata
import zlib
from pathlib import Path

import pandas as pd
import pytest
import sphinx
import yaml

from analysis import glue, pdf_tables
from tests.helpers import ROOT, clocked, committed, require
from tooling import pdf
from tooling.build import sphinx_command

SPHINX_LATEX = Path(sphinx.__file__).parent / "templates" / "latex"
BOOK_TEMPLATES = ROOT / "_templates" / "latex"

# ---- the table templates: Sphinx's own with the book's edits -----------------

SIZE = ("<% if 'nocolorrows' in table.styles -%>\n\\sphinxthistablewithnocolorrowsstyle\n<% endif -%>\n",
        "<% if 'nocolorrows' in table.styles -%>\n\\sphinxthistablewithnocolorrowsstyle\n<% endif -%>\n"
        "<% if 'latex-footnotesize' in table.classes -%>\n\\footnotesize\\setlength{\\tabcolsep}{3pt}%\n"
        "<% endif -%>\n")
RAGGED = ("<%= table.get_colspec()",
          "<%= table.get_colspec()|replace('\\\\X{', '>{\\\\raggedright\\\\arraybackslash}\\\\X{')")
CONTINUED = ("\\sphinxtablecontinued{\\tablename\\ \\thetable{} \\textendash{} <%=",
             "\\sphinxtablecontinued{<% if table.caption %>\\tablename\\ \\thetable{} \\textendash{} "
             "<% endif %><%=")
UNNUMBERED = ("\\end{longtable}\n",
              "\\end{longtable}\n<% if not table.caption -%>\n\\addtocounter{table}{-1}%\n<% endif -%>\n")
BOOK_EDITS = {
    "tabular.tex.jinja": [SIZE, RAGGED],
    "longtable.tex.jinja": [SIZE, RAGGED, CONTINUED, UNNUMBERED],
}


@pytest.mark.parametrize("name", sorted(BOOK_EDITS))
def test_table_templates_are_sphinx_own_with_the_book_edits(name):
    ours = (BOOK_TEMPLATES / name).read_text(encoding="utf-8")
    assert ours.startswith("<#-"), "the template opens with a comment saying what the book changed"
    expected = (SPHINX_LATEX / name).read_text(encoding="utf-8")
    for old, new in BOOK_EDITS[name]:
        assert expected.count(old) == 1, (
            f"Sphinx {sphinx.__version__}'s {name} changed: copy it to _templates/latex/ again "
            f"and redo the book's edit of {old!r}")
        expected = expected.replace(old, new)
    assert ours[ours.index("-#>\n") + 4:] == expected
    assert sorted(p.name for p in BOOK_TEMPLATES.iterdir()) == sorted(BOOK_EDITS)


def test_the_templates_set_the_size_analysis_tables_measures_with():
    size, font_pt, sep_pt = pdf_tables.SIZES[-1]
    assert size == "latex-footnotesize" and font_pt == 8.0
    assert f"\\setlength{{\\tabcolsep}}{{{sep_pt:g}pt}}" in SIZE[1]
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["sphinx"]["config"]
    assert "_templates/latex" in config["templates_path"]
    assert "\\g@addto@macro\\sphinxthistablewithglobalstyle{\\small}" in config["latex_elements"]["preamble"]
    assert pdf_tables.SIZES[0][1] == 9.0  # \small of the 10pt ujbook


# ---- the parts of _toc.yml ------------------------------------------------------


def test_part_marks_letter_the_appendix_and_unnumber_what_follows():
    toctrees = [
        {"includefiles": ["ch1", "ch2"], "numbered": 999},
        {"includefiles": ["app1", "app2"], "numbered": 999, "style": "alphaupper"},
        {"includefiles": ["bib"], "numbered": 0},
    ]
    assert pdf.part_marks(toctrees) == {"app1": "\\appendix", "bib": "\\backmatter"}
    assert pdf.part_marks(toctrees[:1]) == {}
    assert pdf.part_marks([{"includefiles": ["pre"], "numbered": 0}, *toctrees[:1]]) == {}
    assert pdf.part_marks([toctrees[0], {**toctrees[1], "style": ["alphaupper", "numerical"]}]) == {
        "app1": "\\appendix"}


def test_the_book_letters_its_appendix_and_unnumbers_its_bibliography():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    parts = [{"includefiles": [c["file"] for c in part["chapters"]], "numbered": part.get("numbered", False),
              "style": part.get("style")} for part in toc["parts"]]
    marks = pdf.part_marks(parts)
    assert marks == {"chapters/appendix/ledger": "\\appendix",
                     "chapters/appendix/bibliography": "\\backmatter"}


# ---- a tiny book, built with the book's configuration -------------------------------


def png(width: int, height: int) -> bytes:
    """A grey PNG image."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\0" + b"\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def figure(name: str, caption: str) -> str:
    return f":::{{figure}} chart.png\n:name: {name}\n\n{caption}\n:::\n"


WIDE = pd.DataFrame({f"列{i}": ["十億ドル単位の市場規模の予測値とその出典"] * 3 for i in range(6)})
TALL = pd.DataFrame({"ID": [f"a_{i:02d}" for i in range(20)], "記事の記述": ["記事の記述の長い引用" * 4] * 20,
                     "理由": ["計算値が記事の数値と一致しない理由" * 3] * 20})
NARROW = pd.DataFrame({"期": ["第1期", "第2期"], "年度": ["1996", "2001"]})
PAGES = {
    "intro": "# 序\n\n本の前書き。\n\n" + figure("fig-front", "前書きの図"),
    "ch1": ("# 第一の章\n\n" + figure("fig-one", "第一の図") + "\n## 節\n\n" + figure("fig-two", "第二の図")
            + "\n" + glue.markdown_table(TALL) + "\n\n" + glue.markdown_table(WIDE) + "\n\n"
            + glue.markdown_table(NARROW) + "\n"),
    "ch2": "# 第二の章\n\n" + figure("fig-three", "第三の図"),
    "app1": "# 付録の一\n\n" + figure("fig-app", "付録の図"),
    "app2": "# 付録の二\n\n本文。\n",
    "bib": "# 文献\n\n文献の一覧。\n",
}
TOC = {"format": "jb-book", "root": "intro", "parts": [
    {"caption": "本編", "numbered": True, "chapters": [{"file": "ch1"}, {"file": "ch2"}]},
    {"caption": "付録", "numbered": True, "style": "alphaupper",
     "chapters": [{"file": "app1"}, {"file": "app2"}]},
    {"chapters": [{"file": "bib"}]},
]}
# (page, figure number, caption) as the HTML book and the PDF must number them
FIGURES = [("intro", "1", "前書きの図"), ("ch1", "1.1", "第一の図"), ("ch1", "1.2", "第二の図"),
           ("ch2", "2.1", "第三の図"), ("app1", "A.1", "付録の図")]


# The tiny book's builds: dated by its commit (helpers.committed), whatever
# the clock says, as the book is by its last commit.
UNDATED = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}


@pytest.fixture(scope="module")
def tiny_book(tmp_path_factory) -> Path:
    """A tiny book with the book's _config.yml, templates and bibliography,
    committed, then built to HTML and LaTeX by jupyter-book (as the book is);
    return its folder."""
    root = tmp_path_factory.mktemp("tiny-book")
    shutil.copy(ROOT / "_config.yml", root / "_config.yml")
    shutil.copy(ROOT / "references.bib", root / "references.bib")
    shutil.copytree(BOOK_TEMPLATES.parent, root / BOOK_TEMPLATES.parent.name)
    (root / "_toc.yml").write_text(yaml.safe_dump(TOC, allow_unicode=True), encoding="utf-8")
    (root / "chart.png").write_bytes(png(40, 30))
    for name, text in PAGES.items():
        (root / f"{name}.md").write_text(text, encoding="utf-8")
    committed(root)
    for builder in ("html", "latex"):
        proc = subprocess.run(sphinx_command(root, builder=builder), cwd=ROOT, capture_output=True, text=True,
                              env=UNDATED)
        log = proc.stdout[-3000:] + "\n" + proc.stderr[-3000:]
        assert proc.returncode == 0, f"tiny book ({builder}) failed:\n{log}"
    return root


@pytest.fixture(scope="module")
def tiny_pdf(tiny_book) -> Path:
    """The tiny book's PDF, by `make pdf`'s latexmk."""
    require(not pdf.missing_packages(), "TeX packages missing: " + " ".join(pdf.missing_packages()))
    return pdf.run_latexmk(tiny_book / "_build" / "latex")


@pytest.fixture(scope="module")
def tiny_tex(tiny_book) -> str:
    return (tiny_book / "_build" / "latex" / f"{pdf.TARGET}.tex").read_text(encoding="utf-8")


def environments(tex: str) -> list[tuple[str, str]]:
    """(environment, column spec) of every table, in order."""
    return re.findall(r"\\begin\{(longtable|tabular|tabulary)\}(?:\{\\linewidth\})?(?:\[t\])?\{(.*)\}\n", tex)


def x_columns(spec: str) -> list[int]:
    """The widths of a spec of ragged-right \\X columns (fails on any other column)."""
    columns = re.findall(r">\{\\raggedright\\arraybackslash\}\\X\{(\d+)\}\{(\d+)\}", spec)
    assert "".join(f">{{\\raggedright\\arraybackslash}}\\X{{{a}}}{{{b}}}" for a, b in columns) == spec, spec
    assert len({b for _, b in columns}) == 1 and int(columns[0][1]) == sum(int(a) for a, _ in columns)
    return [int(a) for a, _ in columns]


@pytest.mark.slow
def test_a_tall_table_is_a_longtable_in_the_widths_the_library_computed(tiny_tex):
    kind, spec = environments(tiny_tex)[0]
    rows = [list(TALL.columns), *TALL.values]
    layout = pdf_tables.layout([[pdf_tables.plain_text(c) for c in r] for r in rows])
    assert kind == "longtable" and x_columns(spec) == list(layout.widths)
    start = tiny_tex.index("\\begin{savenotes}\n\\sphinxatlongtablestart")
    assert "\\footnotesize\\setlength{\\tabcolsep}{3pt}%\n\\makeatletter" in tiny_tex[start:]
    body = tiny_tex[start:tiny_tex.index("\\sphinxatlongtableend", start)]
    assert "\\sphinxtablecontinued{前のページからの続き}" in body and "\\tablename" not in body
    assert "\\sphinxtablecontinued{次のページに続く}" in body and "\\addtocounter{table}{-1}" in body


@pytest.mark.slow
def test_a_wide_short_table_is_a_tabular_a_size_smaller(tiny_tex):
    kind, spec = environments(tiny_tex)[1]
    assert kind == "tabular" and len(x_columns(spec)) == 6
    found = re.search(r"\\sphinxthistablewithglobalstyle\n(.*)\n\\centering\n\\begin\{tabular\}", tiny_tex)
    assert found and found.group(1) == "\\footnotesize\\setlength{\\tabcolsep}{3pt}%"


@pytest.mark.slow
def test_a_table_that_fits_is_left_to_sphinx_tabulary(tiny_tex):
    assert environments(tiny_tex)[2:] == [("tabulary", "TT")]
    assert len(environments(tiny_tex)) == 3


@pytest.mark.slow
def test_the_html_tables_keep_automatic_column_widths(tiny_book):
    html = (tiny_book / "_build" / "html" / "ch1.html").read_text(encoding="utf-8")
    assert html.count("<table") == 3 and "<col " not in html and "<colgroup" not in html
    assert "十億ドル単位の市場規模の予測値とその出典" in html


@pytest.mark.slow
def test_the_appendix_is_lettered_and_the_last_part_unnumbered(tiny_tex):
    assert re.search(r"\\sphinxstepscope\s+\\appendix\s+\\chapter\{付録の一\}", tiny_tex)
    assert re.search(r"\\sphinxstepscope\s+\\backmatter\s+\\chapter\{文献\}", tiny_tex)
    assert tiny_tex.count("\\appendix\n") == 1 and tiny_tex.count("\\backmatter\n") == 1


def html_figures(html_dir: Path, page: str) -> list[tuple[str, str]]:
    """(number, caption) of the figures of a built HTML page: ('4.1', '...')."""
    html = (html_dir / f"{page}.html").read_text(encoding="utf-8")
    found = re.findall(r'<span class="caption-number">図 ([^<]*?) </span>'
                       r'<span class="caption-text">(.*?)</span>', html)
    return [(number, re.sub(r"<[^>]+>", "", text)) for number, text in found]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@pytest.mark.slow
def test_figures_have_the_same_numbers_in_html_and_pdf(tiny_book, request):
    html = tiny_book / "_build" / "html"
    found = [(page, *figure) for page in PAGES for figure in html_figures(html, page)]
    assert found == FIGURES
    require(shutil.which("pdftotext") is not None, "poppler-utils is not installed")
    tiny = request.getfixturevalue("tiny_pdf")  # after the HTML's checks: TeX may be missing
    text = squeeze(subprocess.run(["pdftotext", str(tiny), "-"],
                                  capture_output=True, text=True, check=True).stdout)
    for _, number, caption in FIGURES:
        assert f"図{number}:{caption}" in text, (number, caption)
    assert "付録A付録の一" in text and "付録B付録の二" in text
    assert "付録C" not in text and "第3章" not in text  # the last chapter has no number


@pytest.mark.slow
def test_two_clocks_give_the_same_latex_and_pdf(tiny_book, tiny_pdf, tmp_path):
    """The tiny book's LaTeX built again, as `make pdf` builds it, in a process
    whose clock (libfaketime) is 1234 days early and which has no
    SOURCE_DATE_EPOCH of its own: the same LaTeX sources as its first build.
    Then `make pdf`'s latexmk on them, later than the first (not under the
    shifted clock, which latexmk's own file-time checks cannot take): a PDF
    byte for byte the same."""
    require(shutil.which("faketime") is not None,
            "Debian's faketime is not installed (apt-get install faketime)")
    proc = subprocess.run(clocked(sphinx_command(tiny_book, tmp_path, "latex", fresh=True), "early"),
                          cwd=ROOT, env=UNDATED, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    first, again = tiny_book / "_build" / "latex", tmp_path / "_build" / "latex"
    written = sorted(p.relative_to(again) for p in again.rglob("*") if p.is_file())
    assert Path(f"{pdf.TARGET}.tex") in written
    differ = [str(p) for p in written if (first / p).read_bytes() != (again / p).read_bytes()]
    assert not differ, f"LaTeX sources that depend on the clock: {differ}"
    assert pdf.run_latexmk(again).read_bytes() == tiny_pdf.read_bytes(), "two PDFs of one tree differ"


# ---- the TeX tools ----------------------------------------------------------------


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
