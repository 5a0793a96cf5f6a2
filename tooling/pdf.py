"""``make pdf``: build ``book.pdf`` from the same sources and stored notebook
outputs as the HTML book (nothing is executed).

    python -m tooling.pdf                      # -> book.pdf at the project root
    python -m tooling.pdf --workdir DIR --output FILE

Steps, each printed as it runs:

1. check the TeX tools (uplatex, latexmk, pxchfon, the HaranoAji fonts, ...);
   on Debian as root, install the missing packages with apt-get, elsewhere
   stop and name the packages to install;
2. ``jupyter-book build . --builder latex`` into the work folder (default
   ``_build/pdf``; Sphinx's Japanese LaTeX: uplatex, the ``ujbook`` class,
   pxchfon with HaranoAji fonts; the settings are in ``_config.yml``);
3. fit the tables to the page (see "tables that fit the page" below) and mark
   the parts of ``_toc.yml`` that Sphinx's LaTeX drops: the 付録 part's
   chapters become 付録A, 付録B, ... and the bibliography is unnumbered;
4. ``latexmk`` (uplatex + dvipdfmx) in the LaTeX folder, with
   ``SOURCE_DATE_EPOCH`` fixed (the time of the last commit) so that two builds
   of the same tree give the same PDF;
5. check the LaTeX log for missing glyphs and copy the PDF to ``book.pdf``;
   print its page count and size.

Charts appear as their stored ``image/png`` outputs (rendered with a Japanese
gothic font by :mod:`analysis.charts`).
"""

from __future__ import annotations

import argparse
import math
import os
import re
import shutil
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import yaml

from tooling.build import ROOT, STRICT

BIN = Path(sys.executable).parent
TARGET = "book"  # latex_documents targetname in _config.yml, without .tex

# What the build needs, and the Debian package that provides it: commands on
# PATH, and files that kpsewhich must find.
COMMANDS = {
    "kpsewhich": "texlive-binaries",
    "uplatex": "texlive-lang-japanese",
    "dvipdfmx": "texlive-lang-japanese",
    "mendex": "texlive-lang-japanese",
    "kanji-config-updmap": "texlive-lang-japanese",
    "latexmk": "latexmk",
}
TEX_FILES = {
    "ujbook.cls": "texlive-lang-japanese",
    "pxchfon.sty": "texlive-lang-japanese",
    "pxjahyper.sty": "texlive-lang-japanese",
    "HaranoAjiMincho-Regular.otf": "texlive-lang-japanese",
    "HaranoAjiGothic-Medium.otf": "texlive-lang-japanese",
    "booktabs.sty": "texlive-latex-recommended",
    "tabulary.sty": "texlive-latex-extra",
    "capt-of.sty": "texlive-latex-extra",
    "needspace.sty": "texlive-latex-extra",
    "t1xtt.tfm": "texlive-fonts-recommended",
    "tgtermes.sty": "tex-gyre",
    "tgheros.sty": "tex-gyre",
}
# Everything the route needs (docs/tests; what is installed is what is missing).
DEBIAN_PACKAGES = ["latexmk", "texlive-lang-japanese", "texlive-latex-recommended",
                   "texlive-latex-extra", "texlive-fonts-recommended", "tex-gyre"]


class PdfError(Exception):
    """A step failed; the message says which and why."""


def say(message: str) -> None:
    print(f"pdf: {message}", flush=True)


# ---- 1. the TeX tools -------------------------------------------------------


def missing_packages() -> list[str]:
    """The Debian packages whose commands or TeX files are missing (sorted)."""
    missing = {pkg for cmd, pkg in COMMANDS.items() if shutil.which(cmd) is None}
    if shutil.which("kpsewhich"):
        names = list(TEX_FILES)
        proc = subprocess.run(["kpsewhich", *names], capture_output=True, text=True)
        found = {Path(line).name for line in proc.stdout.splitlines() if line.strip()}
        missing |= {pkg for name, pkg in TEX_FILES.items() if name not in found}
    else:
        missing |= set(TEX_FILES.values())
    if "texlive-binaries" in missing:  # comes with texlive-lang-japanese
        missing.discard("texlive-binaries")
        missing.add("texlive-lang-japanese")
    return sorted(missing)


def can_apt_install() -> bool:
    return (Path("/etc/debian_version").exists() and shutil.which("apt-get") is not None
            and hasattr(os, "geteuid") and os.geteuid() == 0)


def ensure_tex() -> None:
    """Install the missing TeX packages (Debian, as root) or stop naming them."""
    missing = missing_packages()
    if not missing:
        say("TeX tools present (uplatex, latexmk, pxchfon, HaranoAji fonts)")
        return
    if not can_apt_install():
        raise PdfError(
            "missing TeX packages: " + " ".join(missing) + "\n"
            "install them (Debian/Ubuntu) with:\n"
            "  sudo apt-get install --no-install-recommends " + " ".join(missing))
    say("missing TeX packages: " + " ".join(missing) + "; installing them with apt-get")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for args in (["apt-get", "update", "-q"],
                 ["apt-get", "install", "-y", "-q", "--no-install-recommends", *missing]):
        say("$ " + " ".join(args))
        if subprocess.run(args, env=env).returncode != 0:
            raise PdfError(f"{' '.join(args)} failed")
    still = missing_packages()
    if still:
        raise PdfError("still missing after apt-get install: " + " ".join(still))


# ---- 2. the LaTeX sources ---------------------------------------------------


def build_latex(workdir: Path) -> Path:
    """``jupyter-book build --builder latex`` from the stored outputs; return the LaTeX folder."""
    args = [str(BIN / "jupyter-book"), "build", str(ROOT), "--builder", "latex",
            "--path-output", str(workdir), *STRICT,
            # a fresh environment: every page is read, so every warning shows
            # (an incremental build reports a page's warnings only once)
            "--all"]
    say("$ " + " ".join(args))
    proc = subprocess.run(args, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        log = re.sub(r"\x1b\[[0-9;]*m", "", proc.stdout + proc.stderr).strip().splitlines()
        problems = [line for line in log if "WARNING" in line or "ERROR" in line or "Error" in line]
        raise PdfError("jupyter-book latex build failed (warnings are errors, as for the HTML book):\n"
                       + "\n".join(problems[:30] or log[-40:]))
    latex_dir = workdir / "_build" / "latex"
    if not (latex_dir / f"{TARGET}.tex").exists():
        raise PdfError(f"jupyter-book wrote no {latex_dir / (TARGET + '.tex')}")
    return latex_dir


# ---- 3. tables that fit the page -------------------------------------------
# Sphinx writes a table of more than 30 rows as ``longtable`` with plain ``l``
# columns (one line per cell, however long), so a wide table such as the claims
# ledger runs off the side of the page; and a shorter one as ``tabulary``, which
# cannot break across pages, so a table of tall rows runs off the bottom. Both
# kinds, when long, become a ``longtable`` (breaks across pages, repeats its
# header) whose columns get widths from their content, like tabulary's: short
# columns their natural width, the others share the rest of the line in
# proportion to their average length. A table that fits a page stays tabulary,
# set a size smaller (with narrower gaps) when its cells cannot all be on one line.

LINE_PT = 470.0      # \linewidth of the A4 page (22 mm margins, _config.yml geometry)
SIZES = [            # (LaTeX size command, font size in pt, \tabcolsep in pt)
    (r"\small", 9.0, 6.0),
    (r"\footnotesize", 8.0, 3.0),
]
TALL_PT = 420.0      # a tabulary table taller than this (0.6 of the text height) may break
LONGTABLE = re.compile(r"\\begin\{longtable\}(\[[^\]]*\])?\{(l+)\}\n(.*?)\\end\{longtable\}", re.S)
TABULARY = re.compile(
    r"\\begin\{savenotes\}\\sphinxattablestart\n"
    r"(?P<style>(?:\\sphinxthistablewith\w+\n)*)"
    r"[ \t]*(?P<align>\\centering|\\raggedright|\\raggedleft)\n"
    r"(?P<caption>(?:(?!\\begin\{tabulary\}|\\end\{savenotes\})[^\n]*\n)*?)"
    r"\\begin\{tabulary\}\{\\linewidth\}\[t\]\{(?P<cols>T+)\}\n"
    r"(?P<inner>.*?)"
    r"\\end\{tabulary\}\n\\sphinxtableafterendhook\\par\n\\sphinxattableend\\end\{savenotes\}", re.S)
CAPTION = re.compile(
    r"\\sphinxcapstartof\{table\}\n\\sphinxthecaptionisattop\n\\sphinxcaption\{(?P<text>.*)\}"
    r"(?P<labels>(?:\\label\{\\detokenize\{[^{}]*\}\})*)\n\\sphinxaftertopcaption\n$", re.S)
PHANTOM = re.compile(r"\\phantomsection(?P<labels>(?:\\label\{\\detokenize\{[^{}]*\}\})*)\\nobreak\n$")
ALIGN = {  # longtable's \LTleft / \LTright for Sphinx's table alignment
    r"\centering": (r"\@totalleftmargin plus1fill", r"plus1fill"),
    r"\raggedright": (r"\@totalleftmargin", r"plus1fill"),
    r"\raggedleft": (r"\@totalleftmargin plus1fill", r""),
}
LINK_TARGET = re.compile(r"\\(?:hyperlink|DUrole|label|sphinxuseclass)\{(?:[^{}]|\{[^{}]*\})*\}|\\hyperref\[[^\]]*\]")
COMMAND = re.compile(r"\\[A-Za-z@]+\*?")


def cell_text(latex: str) -> str:
    """The printed text of a table cell, near enough to measure it."""
    text = LINK_TARGET.sub(" ", latex)
    text = text.replace(r"\_", "_").replace(r"\%", "%").replace(r"\&", "&").replace(r"\#", "#")
    text = COMMAND.sub(" ", text)
    return re.sub(r"\s+", " ", text.replace("{", "").replace("}", "")).strip()


def text_em(text: str) -> float:
    """Width in em: a full-width (Japanese) character is 1 em, others half, plus
    the space (xkanjiskip, about 1/4 em) that Japanese typesetting puts
    between Japanese and Latin letters or digits."""
    wide = [unicodedata.east_asian_width(ch) in "WF" for ch in text]
    changes = sum(1 for a, b, ch in zip(wide, wide[1:], text[1:]) if a != b and not ch.isspace())
    return sum(1.0 if w else 0.5 for w in wide) + 0.25 * changes


def min_em(text: str) -> float:
    """The widest piece that cannot break: a run of half-width characters
    (Japanese text breaks between any characters; identifiers after ``_``)."""
    runs = re.findall(r"[^\s_\u3000-\u9fff\uff00-\uffef]+_?", text)
    return max((text_em(r) for r in runs), default=0.0)


def split_rows(body: str) -> list[list[str]]:
    """Rows of cells of a Sphinx table body (cells start a line with ``&``,
    rows end with a line ``\\\\``, rules between rows are dropped)."""
    body = re.sub(r"\\sphinx(hline|toprule|midrule|bottomrule)\n?", "", body)
    rows = []
    for row in re.split(r"\n\\\\\n", "\n" + body.strip("\n") + "\n"):
        if row.strip():
            rows.append([cell_text(c) for c in re.split(r"\n&", "\n" + row.strip("\n"))])
    return rows


def typical_em(widths: list[float]) -> float:
    """The width of a column's long cells: the 90th percentile, so that one
    outlier cell wraps instead of widening its column for every row."""
    ordered = sorted(widths)
    return ordered[max(0, -(-9 * len(ordered) // 10) - 1)]


def column_widths(rows: list[list[str]], budget: float) -> list[float]:
    """Widths (em) that share ``budget`` among the columns, tabulary-like:
    a column whose long cells fit in an equal share keeps their width; the
    others share the rest in proportion to their average length, each at
    least as wide as its widest unbreakable piece."""
    ncol = len(rows[0])
    natural = [typical_em([text_em(r[i]) for r in rows]) + 0.5 for i in range(ncol)]
    floor = [max(min_em(r[i]) for r in rows) + 0.5 for i in range(ncol)]
    weight = [sum(text_em(r[i]) for r in rows) / len(rows) + 0.5 for i in range(ncol)]
    fixed = {i: natural[i] for i in range(ncol) if natural[i] <= budget / ncol}
    while len(fixed) < ncol:
        free = [i for i in range(ncol) if i not in fixed]
        rest = budget - sum(fixed.values())
        total = sum(weight[i] for i in free)
        narrow = {i: floor[i] for i in free if floor[i] >= rest * weight[i] / total}
        if not narrow:
            return [fixed.get(i, rest * weight[i] / total) for i in range(ncol)]
        fixed.update(narrow)
    return [fixed[i] for i in range(ncol)]


def layout(rows: list[list[str]]) -> tuple[str, float, float, list[float]]:
    """(size command, font size pt, \\tabcolsep pt, column widths em) for a table."""
    ncol = len(rows[0])
    natural = [max(text_em(r[i]) for r in rows) + 0.5 for i in range(ncol)]
    for size, font_pt, sep_pt in SIZES:
        if sum(natural) <= (LINE_PT - 2 * sep_pt * ncol) / font_pt:
            widths = natural  # every cell on one line at this size
            break
    else:  # too wide even in the smallest size: cells wrap
        size, font_pt, sep_pt = SIZES[-1]
        widths = column_widths(rows, (LINE_PT - 2 * sep_pt * ncol) / font_pt)
    return size, font_pt, sep_pt, widths


def height_pt(rows: list[list[str]], font_pt: float, widths: list[float]) -> float:
    """About how tall the table is: lines of each row's tallest cell."""
    lines = sum(max(math.ceil(text_em(c) / w) if c else 1 for c, w in zip(r, widths)) for r in rows)
    return lines * 1.5 * font_pt + len(rows) * 0.6 * font_pt


def longtable_spec(rows: list[list[str]]) -> tuple[str, str]:
    """(size setup, column spec) for a longtable with these rows (header first)."""
    size, font_pt, sep_pt, widths = layout(rows)
    parts = [round(1000 * (w * font_pt + 2 * sep_pt) / LINE_PT) for w in widths]
    total = max(sum(parts), 1000)
    # ragged right: a narrow justified column spreads its Japanese letters apart
    spec = "".join(r">{\raggedright\arraybackslash}\X{%d}{%d}" % (p, total) for p in parts)
    return size + r"\setlength{\tabcolsep}{%gpt}%%" % sep_pt, spec


def continued_head(ncol: int, header: str) -> str:
    """What Sphinx's longtable template puts between the first head and the body."""
    return (
        "\\endfirsthead\n\n"
        f"\\multicolumn{{{ncol}}}{{c}}{{\\sphinxnorowcolor\n"
        "    \\makebox[0pt]{\\sphinxtablecontinued{\\tablename\\ \\thetable{} \\textendash{} "
        "前のページからの続き}}%\n}\\\\\n"
        f"\\sphinxtoprule\n{header}\\sphinxmidrule\n\\endhead\n\n"
        f"\\sphinxbottomrule\n\\multicolumn{{{ncol}}}{{r}}{{\\sphinxnorowcolor\n"
        "    \\makebox[0pt][r]{\\sphinxtablecontinued{次のページに続く}}%\n}\\\\\n"
        "\\endfoot\n\n\\endlastfoot\n")


def tabulary_to_longtable(match: re.Match) -> str | None:
    """A long ``tabulary`` table of Sphinx's template as a ``longtable`` of its
    longtable template, with computed column widths (None: leave it alone)."""
    inner = match.group("inner")
    if r"\multicolumn" in inner or r"\sphinxmultirow" in inner:
        return None
    head, mid, rest = inner.partition("\\sphinxmidrule\n\\sphinxtableatstartofbodyhook\n")
    if not mid or not head.startswith("\\sphinxtoprule\n") or not rest.endswith("\\sphinxbottomrule\n"):
        return None
    header = head[len("\\sphinxtoprule\n"):]
    body = rest[:-len("\\sphinxbottomrule\n")]
    rows = split_rows(header) + split_rows(body)
    ncol = len(match.group("cols"))
    if any(len(r) != ncol for r in rows):
        return None
    size, font_pt, sep_pt, widths = layout(rows)
    if height_pt(rows, font_pt, widths) <= TALL_PT:
        # Fits on a page as a block: tabulary lays it out best, in the
        # smaller size when its cells cannot all be on one line.
        if size == SIZES[0][0]:
            return None
        cut = match.end("style") - match.start()
        return (match.group(0)[:cut] + size + r"\setlength{\tabcolsep}{%gpt}%%" % sep_pt + "\n"
                + match.group(0)[cut:])
    caption = match.group("caption")
    if not caption:
        top = ""
    elif found := CAPTION.match(caption):
        top = ("\\sphinxthelongtablecaptionisattop\n\\caption{" + found.group("text") + "\\strut}"
               + found.group("labels") + "\\\\*[\\sphinxlongtablecapskipadjust]\n")
    elif found := PHANTOM.match(caption):
        top = "\\noalign{\\phantomsection" + found.group("labels") + "}%\n"
    else:
        return None
    left, right = ALIGN[match.group("align")]
    setup, spec = longtable_spec(rows)
    return (
        "\\begin{savenotes}\n\\sphinxatlongtablestart\n" + match.group("style")
        + "\\makeatletter\n  \\LTleft " + left
        + "\n  \\LTright\\dimexpr\\columnwidth-\\@totalleftmargin-\\linewidth\\relax " + right
        + "\n\\makeatother\n" + setup + "\n\\begin{longtable}{" + spec + "}\n" + top
        + "\\sphinxtoprule\n" + header + "\\sphinxmidrule\n" + continued_head(ncol, header)
        + "\\sphinxtableatstartofbodyhook\n" + body + "\\sphinxbottomrule\n\\end{longtable}\n"
        "\\sphinxtableafterendhook\n\\sphinxatlongtableend\n\\end{savenotes}")


def fit_tables(tex: str) -> tuple[str, int, int]:
    """``tex`` with its long tables fitted to the page; return it with the
    number of longtables given column widths and of tabulary tables converted."""
    widened = converted = 0

    def longtable(match: re.Match) -> str:
        nonlocal widened
        option, cols, inner = match.group(1) or "", match.group(2), match.group(3)
        head, _, rest = inner.partition(r"\endfirsthead")
        _, marker, body = rest.partition(r"\sphinxtableatstartofbodyhook")
        header = split_rows(head)[:1]
        rows = header + split_rows(body)
        if not marker or not header or any(len(r) != len(cols) for r in rows):
            return match.group(0)  # not the shape Sphinx writes: leave it alone
        setup, spec = longtable_spec(rows)
        widened += 1
        return setup + "\n" + r"\begin{longtable}" + option + "{" + spec + "}\n" + inner + r"\end{longtable}"

    def tabulary(match: re.Match) -> str:
        nonlocal converted
        out = tabulary_to_longtable(match)
        if out is None:
            return match.group(0)
        converted += "\\begin{longtable}" in out
        return out

    tex = LONGTABLE.sub(longtable, tex)
    tex = TABULARY.sub(tabulary, tex)
    return tex, widened, converted


# ---- 3b. the parts of _toc.yml ---------------------------------------------
# Sphinx's LaTeX drops the captions of _toc.yml's parts, so every page becomes
# "第N章". The chapters of the appendix part (caption 付録) become 付録A, 付録B,
# ... as in a printed book, and the bibliography closes the book unnumbered.

APPENDIX_CAPTION = re.compile(r"付録|appendix", re.I)


def appendix_start(toc: dict) -> str | None:
    """The docname of the first page of the appendix part of _toc.yml, if any."""
    for part in toc.get("parts", []):
        if APPENDIX_CAPTION.search(str(part.get("caption", ""))) and part.get("chapters"):
            return str(part["chapters"][0]["file"])
    return None


def mark_parts(tex: str, toc: dict) -> tuple[str, list[str]]:
    """``tex`` with ``\\appendix`` before the appendix's first chapter and the
    bibliography's chapter unnumbered; return it with what was done."""
    done = []
    first = appendix_start(toc)
    if first:
        label = tex.find(r"\label{\detokenize{%s::doc}}" % first)
        chapter = tex.rfind("\\chapter{", 0, label) if label >= 0 else -1
        if chapter >= 0:
            tex = tex[:chapter] + "\\appendix\n" + tex[chapter:]
            done.append(f"appendix from {first}")
    bib = re.compile(r"\\chapter\{(?P<title>[^{}\n]*)\}\n(?P<labels>(?:\\label\{\\detokenize\{[^{}]*\}\})*)\n"
                     r"(?P<between>(?:\\sphinxAtStartPar\n)?\s*)\\begin\{sphinxthebibliography\}")

    def unnumbered(match: re.Match) -> str:
        done.append(f"bibliography chapter {match.group('title')} unnumbered")
        return ("\\chapter*{" + match.group("title") + "}\n\\addcontentsline{toc}{chapter}{"
                + match.group("title") + "}" + match.group("labels") + "\n" + match.group("between")
                + "\\begin{sphinxthebibliography}")

    return bib.sub(unnumbered, tex, count=1), done


# ---- 4. LaTeX -> PDF ----------------------------------------------------------


def source_date_epoch() -> str:
    """A fixed timestamp for the PDF: $SOURCE_DATE_EPOCH, else the last commit's time."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return os.environ["SOURCE_DATE_EPOCH"]
    try:
        proc = subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%ct"],
                              capture_output=True, text=True, timeout=30)
        if proc.returncode == 0 and proc.stdout.strip().isdigit():
            return proc.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    return "0"


def latex_errors(log_path: Path) -> str:
    """The error lines (``! ...`` and what follows) of a LaTeX log."""
    if not log_path.exists():
        return "(no log)"
    lines = log_path.read_text(encoding="utf-8", errors="replace").splitlines()
    out = []
    for i, line in enumerate(lines):
        if line.startswith("!"):
            out += lines[i:i + 6]
    return "\n".join(out[:60]) or "\n".join(lines[-30:])


def run_latexmk(latex_dir: Path) -> Path:
    args = ["latexmk", "-r", "latexmkjarc", "-pdfdvi", "-dvi-", "-ps-",
            "-interaction=nonstopmode", "-halt-on-error", f"{TARGET}.tex"]
    env = {**os.environ, "SOURCE_DATE_EPOCH": source_date_epoch(), "FORCE_SOURCE_DATE": "1"}
    say(f"$ (cd {latex_dir} && {' '.join(args)})")
    proc = subprocess.run(args, cwd=latex_dir, env=env, capture_output=True, text=True)
    pdf = latex_dir / f"{TARGET}.pdf"
    if proc.returncode != 0 or not pdf.exists():
        # An auxiliary file left by an earlier failed run can break every
        # later one: start again from a clean folder once.
        say("latexmk failed; removing its generated files and running it once more")
        subprocess.run(["latexmk", "-r", "latexmkjarc", "-C", f"{TARGET}.tex"], cwd=latex_dir,
                       capture_output=True, text=True)
        proc = subprocess.run(args, cwd=latex_dir, env=env, capture_output=True, text=True)
    if proc.returncode != 0 or not pdf.exists():
        raise PdfError(f"latexmk failed (log: {latex_dir / (TARGET + '.log')}):\n"
                       + latex_errors(latex_dir / f"{TARGET}.log"))
    return pdf


def missing_characters(log_path: Path) -> list[str]:
    text = log_path.read_text(encoding="utf-8", errors="replace")
    return sorted(set(re.findall(r"Missing character: There is no (.+?) in font", text)))


def page_count(pdf: Path) -> int:
    if shutil.which("pdfinfo"):
        proc = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True)
        found = re.search(r"^Pages:\s+(\d+)", proc.stdout, re.M)
        if found:
            return int(found.group(1))
    return len(re.findall(rb"/Type\s*/Page\b", pdf.read_bytes()))


def build(workdir: Path, output: Path) -> Path:
    """All the steps; return the written PDF."""
    start = time.perf_counter()
    ensure_tex()
    workdir.mkdir(parents=True, exist_ok=True)
    latex_dir = build_latex(workdir)
    tex_path = latex_dir / f"{TARGET}.tex"
    original = tex_path.read_text(encoding="utf-8")
    tex, widened, converted = fit_tables(original)
    say(f"tables fitted to the page: {widened} long table(s) given column widths, "
        f"{converted} tall tabulary table(s) made page-breaking longtables")
    tex, done = mark_parts(tex, yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8")))
    say("parts: " + ("; ".join(done) or "nothing to mark"))
    if tex != original:
        tex_path.write_text(tex, encoding="utf-8")
    pdf = run_latexmk(latex_dir)
    missing = missing_characters(latex_dir / f"{TARGET}.log")
    if missing:
        raise PdfError("characters missing from the fonts (see the LaTeX log): " + " ".join(missing))
    output.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(pdf, output)
    size = output.stat().st_size
    say(f"{output}: {page_count(output)} pages, {size / 1e6:.1f} MB ({size} bytes), "
        f"built in {time.perf_counter() - start:.0f} s")
    return output


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tooling.pdf", description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=ROOT / "_build" / "pdf",
                        help="folder for the LaTeX build (default: _build/pdf)")
    parser.add_argument("--output", type=Path, default=ROOT / "book.pdf",
                        help="where to write the PDF (default: book.pdf)")
    args = parser.parse_args(argv)
    try:
        build(args.workdir.resolve(), args.output.resolve())
    except PdfError as err:
        print(f"pdf: error: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
