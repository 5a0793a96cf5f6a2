"""``make pdf``: ``book.pdf`` from the same sources and stored notebook outputs
as the HTML book (nothing is executed).

    python -m tooling.pdf                      # -> book.pdf at the project root
    python -m tooling.pdf --workdir DIR --output FILE

1. check the TeX tools (uplatex, latexmk, pxchfon, HaranoAji fonts); on Debian
   as root install the missing packages with apt-get, elsewhere name them;
2. ``jupyter-book build . --builder latex``: Sphinx's Japanese LaTeX (uplatex,
   ujbook, pxchfon), set up in ``_config.yml``, used as Sphinx writes it. The
   tables carry their layout (:mod:`analysis.pdf_tables`, ``_templates/latex/``);
   the parts of ``_toc.yml`` become ``\\appendix``/``\\backmatter`` (:class:`PartMarks`);
3. ``latexmk`` (uplatex + dvipdfmx) with ``SOURCE_DATE_EPOCH`` fixed (the last
   commit's time), so that two builds of one tree give the same PDF;
4. check the log for missing glyphs, copy the PDF, print its pages and size.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from tooling import ROOT, without_colours
from tooling.build import source_date_epoch, sphinx_command

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
    """Print a step of the build."""
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
    """Whether this is Debian and we are root (apt-get can install what is missing)."""
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
    # a fresh environment: every page is read, so every warning shows (an
    # incremental build reports a page's warnings only once)
    args = sphinx_command(builder="latex", output=workdir, fresh=True)
    say("$ " + " ".join(args))
    proc = subprocess.run(args, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        log = without_colours(proc.stdout + proc.stderr).strip().splitlines()
        problems = [line for line in log if "WARNING" in line or "ERROR" in line or "Error" in line]
        raise PdfError("jupyter-book latex build failed (warnings are errors, as for the HTML book):\n"
                       + "\n".join(problems[:30] or log[-40:]))
    latex_dir = workdir / "_build" / "latex"
    if not (latex_dir / f"{TARGET}.tex").exists():
        raise PdfError(f"jupyter-book wrote no {latex_dir / (TARGET + '.tex')}")
    return latex_dir


# ---- the parts of _toc.yml in the LaTeX (a Sphinx extension) -----------------
# Sphinx's LaTeX drops the parts of _toc.yml. The part _toc.yml letters (``style:
# alphaupper``; A, B, ... in the HTML book) opens with \appendix (付録A, ...),
# the first unnumbered part after a numbered one (the bibliography) with
# \backmatter (no chapter number). Loaded by _config.yml; only the LaTeX builder runs it.


def part_marks(toctrees: list) -> dict[str, str]:
    """{first page of a part: LaTeX command} for the toctrees of the root page, in order."""
    marks: dict[str, str] = {}
    numbered = False
    for toctree in toctrees:
        files, style = toctree.get("includefiles", []), toctree.get("style") or "numerical"
        lettered = str(style[0] if isinstance(style, list) else style).startswith("alpha")
        mark = ("\\appendix" if toctree.get("numbered") and lettered
                else "\\backmatter" if numbered and not toctree.get("numbered") else None)
        if files and mark and mark not in marks.values():
            marks[str(files[0])] = mark
        numbered = numbered or bool(toctree.get("numbered"))
    return marks


class PartMarks(SphinxPostTransform):
    """Put :func:`part_marks` at the start of their pages in the LaTeX book."""

    default_priority = 100
    builders = ("latex",)

    def run(self, **kwargs) -> None:
        """Insert the marks into the whole book's doctree (the LaTeX builder's)."""
        root = self.env.get_doctree(self.config.root_doc)
        marks = part_marks(list(root.findall(addnodes.toctree)))
        for page in self.document.findall(addnodes.start_of_file):
            if page["docname"] in marks:
                page.insert(0, nodes.raw("", marks[page["docname"]] + "\n", format="latex"))


def setup(app) -> dict:
    """Sphinx extension: the part marks of the LaTeX book."""
    app.add_post_transform(PartMarks)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


# ---- 3. LaTeX -> PDF ----------------------------------------------------------


def latex_errors(log_path: Path) -> str:
    """The error lines (``! ...`` and the five after each) of a LaTeX log."""
    lines = log_path.read_text(encoding="utf-8", errors="replace").splitlines() if log_path.exists() else []
    errors = [line for i, first in enumerate(lines) if first.startswith("!") for line in lines[i:i + 6]]
    return "\n".join(errors[:60] or lines[-30:]) or "(no log)"


def run_latexmk(latex_dir: Path) -> Path:
    """latexmk (uplatex + dvipdfmx) in ``latex_dir``, reproducibly; return the PDF."""
    args = ["latexmk", "-r", "latexmkjarc", "-pdfdvi", "-dvi-", "-ps-",
            "-interaction=nonstopmode", "-halt-on-error", f"{TARGET}.tex"]
    # the last commit's time (as for the HTML book); outside a git checkout a
    # fixed time, since the PDF shows no date of its own
    env = {**os.environ, "SOURCE_DATE_EPOCH": source_date_epoch() or "0", "FORCE_SOURCE_DATE": "1"}
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
    """The characters a LaTeX log says no font had."""
    text = log_path.read_text(encoding="utf-8", errors="replace")
    return sorted(set(re.findall(r"Missing character: There is no (.+?) in font", text)))


def page_count(pdf: Path) -> int:
    """The number of pages of a PDF (pdfinfo, else a count of its page objects)."""
    info = ""
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    found = re.search(r"^Pages:\s+(\d+)", info, re.M)
    return int(found.group(1)) if found else len(re.findall(rb"/Type\s*/Page\b", pdf.read_bytes()))


def build(workdir: Path, output: Path) -> Path:
    """All the steps; return the written PDF."""
    start = time.perf_counter()
    ensure_tex()
    workdir.mkdir(parents=True, exist_ok=True)
    latex_dir = build_latex(workdir)
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
    """The command line; 0 when the PDF was written."""
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
