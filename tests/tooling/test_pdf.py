"""The PDF step's own logic, without TeX: table fitting, the parts of
_toc.yml, and the message that names missing TeX packages."""

from __future__ import annotations

import re
import shutil

import pytest

from tests.helpers import require
from tooling import pdf

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
