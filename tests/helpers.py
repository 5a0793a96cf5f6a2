"""Helpers shared by the tests: the project root, the pages of _toc.yml, the
fixture book, and the rule that under CI (CI=true) a missing browser or TeX is
a failure, not a skip."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import tooling
from tooling import ROOT

BIN = Path(sys.executable).parent
GLUE_TEXT = "application/papermill.record/text/plain"  # a glued value, as myst-nb reads it


def toc_sources() -> list[Path]:
    """The source file of every page of _toc.yml (root first)."""
    paths = []
    for name in tooling.toc_pages():
        found = [ROOT / f"{name}{ext}" for ext in (".ipynb", ".md") if (ROOT / f"{name}{ext}").exists()]
        assert found, f"_toc.yml names {name}, which has no .ipynb or .md"
        paths.append(found[0])
    return paths


def toc_pages() -> list[str]:
    """The page name of every page of _toc.yml (root first): 'chapters/04_ai'."""
    return [str(p.relative_to(ROOT).with_suffix("")) for p in toc_sources()]


def require(condition: bool, reason: str) -> None:
    """Skip when ``condition`` is false, except under CI, where it fails."""
    if condition:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"required under CI: {reason}")
    pytest.skip(reason)


def offline_context(browser, allowed: tuple[str, ...], width: int = 1280, height: int = 900):
    """A browser context that aborts every request whose URL does not start
    with one of ``allowed``; returns (context, list of blocked URLs)."""
    context = browser.new_context(service_workers="block", viewport={"width": width, "height": height})
    blocked: list[str] = []

    def route(r):
        if r.request.url.startswith(allowed):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    return context, blocked


# What a copy of the project leaves out: environments, builds, caches, the PDF.
COPY_IGNORE = shutil.ignore_patterns(".venv", "_build", ".git", "__pycache__", "book.pdf", "*.egg-info")


def project_copy(dest: Path) -> Path:
    """A copy of the project at ``dest`` (sources, data, stored notebooks), to change and build."""
    shutil.copytree(ROOT, dest, ignore=COPY_IGNORE)
    return dest


def run_in(tree: Path, args: list[str]) -> subprocess.CompletedProcess:
    """``args`` run in ``tree`` with its own packages first on the path."""
    return subprocess.run(args, cwd=tree, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(tree)})


# The fixture book: two notebooks (one reads the data file) and one data file,
# with its own _config.yml and _toc.yml and a library with the names the
# refresher uses. What takes several builds is tested on it, not on the book.
FIXTURE_BOOK = ROOT / "tests" / "fixtures" / "book"
FIXTURE_COMMIT = "2026-01-02T03:04:05+00:00"  # the time its copy is committed at
FIXTURE_FOOTER = "最終更新: 2026年1月2日"  # what that time puts on its pages


def committed(folder: Path) -> Path:
    """``folder`` made a git repository of one commit made at FIXTURE_COMMIT
    (the time a book there is dated by, as the book by its last commit)."""
    dated = {**os.environ, "GIT_AUTHOR_DATE": FIXTURE_COMMIT, "GIT_COMMITTER_DATE": FIXTURE_COMMIT}
    for args in (["init", "-q"], ["add", "-A"],
                 ["-c", "user.name=tests", "-c", "user.email=tests@localhost", "commit", "-q", "-m", "book"]):
        subprocess.run(["git", "-C", str(folder), *args], check=True, env=dated, capture_output=True)
    return folder


def fixture_book(dest: Path) -> Path:
    """A copy of the fixture book at ``dest``, committed (:func:`committed`)."""
    return committed(shutil.copytree(FIXTURE_BOOK, dest, ignore=COPY_IGNORE))


def book_env(tree: Path) -> dict[str, str]:
    """The environment of a command on the fixture book ``tree``: its library
    first, then the project's tooling; no SOURCE_DATE_EPOCH of its own."""
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    return {**env, "PYTHONPATH": f"{tree}{os.pathsep}{ROOT}"}


def run_book(tree: Path, module: str, *args: str) -> subprocess.CompletedProcess:
    """``python -m tooling.<module> --root TREE ARGS`` on the fixture book ``tree``."""
    return subprocess.run([sys.executable, "-m", f"tooling.{module}", "--root", str(tree), *args],
                          cwd=tree, capture_output=True, text=True, env=book_env(tree))


def rows_of(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


def write(path: Path, rows: list[list[str]], newline: str = "\n", bom: bool = False) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=newline).writerows(rows)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + buffer.getvalue().encode("utf-8"))
    return path


# ---- the PDF -----------------------------------------------------------------

POPPLER = ["pdffonts", "pdftotext", "pdfimages", "pdfinfo"]


def pdf_tools_present() -> None:
    """Skip (fail under CI) without TeX Live's packages or poppler-utils."""
    from tooling import pdf

    missing = pdf.missing_packages()
    require(not missing, "TeX packages missing: " + " ".join(missing))
    absent = [tool for tool in POPPLER if shutil.which(tool) is None]
    require(not absent, "poppler-utils is not installed (" + ", ".join(absent) + ")")


def build_pdf(work: Path) -> tuple[Path, Path]:
    """Build the PDF with ``python -m tooling.pdf`` into the fresh folder
    ``work``; return (the PDF, the LaTeX log)."""
    work.mkdir(parents=True, exist_ok=True)
    out = work / "book.pdf"
    proc = subprocess.run([sys.executable, "-m", "tooling.pdf", "--workdir", str(work / "build"),
                           "--output", str(out)], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, f"PDF build failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    assert re.search(r"\d+ pages, [\d.]+ MB", proc.stdout), proc.stdout
    return out, work / "build" / "_build" / "latex" / "book.log"


# Two clock settings for the whole build process, by libfaketime (Debian's
# faketime): every clock the process reads, in Python and in C extensions.
CLOCKS = {"early": "-1234d", "late": "+987d"}


def clocked(command: list[str], name: str) -> list[str]:
    """``command`` run with the clock CLOCKS[name] away from now."""
    return ["faketime", "-f", CLOCKS[name], *command]



# ---- how the tests are spread over the workers ---------------------------------
# pytest.ini loads this module as a plugin (-p tests.helpers), so that these
# hooks apply to any paths given (a notebook alone too), not only under tests/.

# What a test or a group costs (seconds on 2 cores, from `pytest --durations`
# of one `make test`; a file stands for all its tests). The scheduler hands out
# the groups in the order of the items: sorted by cost, the longest (a
# notebook, the PDF's and JupyterLab's modules, the fixture book's builds)
# start first and no long group is left for the end, when one worker would run
# it while the other idles.
BUILDS = "tests/tooling/test_build.py::test_{}"  # the tests of the fixture book's build sequence
COSTS = {
    "tests/built_book/test_lab.py": 60,  # JupyterLab, Run All, nbconvert
    "tests/built_book/test_pdf.py": 25,  # the PDF (its LaTeX, then uplatex), once
    "tests/tooling/test_pdf.py": 20,  # a small book to HTML, LaTeX (twice) and PDF (twice)
    **{BUILDS.format(name): 15 for name in (
        "data_change_reexecutes_exactly_its_readers_and_reaches_the_html",
        "a_data_change_after_a_build_is_never_hidden_by_the_build_stamp",
        "a_failing_notebook_leaves_the_built_book_and_the_notebooks_alone")},
    "tests/tooling/test_conclusions.py": 10,
    "tests/tooling/test_ci.py": 10,
    "tests/test_nbval_parallel.py": 9,
    BUILDS.format("make_book_fails_on_a_bad_file_and_leaves_the_built_book_alone"): 5,
    BUILDS.format("two_clocks_give_the_same_pages"): 5,
}


def group_name(kind: str, item) -> str:
    """A group name of letters, digits and _ only (xdist puts it in the node
    id after an @, and reads node ids apart at :: and .)."""
    path = item.path.relative_to(ROOT) if item.path.is_relative_to(ROOT) else item.path
    return kind + "_" + re.sub(r"\W", "_", str(path))


def group_of(item) -> str | None:
    """The xdist group an item must share with others, or None (any worker).

    nbval's items are the cells of one notebook, run in order in one kernel:
    a notebook is one group. A test that uses a fixture of module (or class,
    package) scope, or a session fixture that only its module defines (the
    PDF builds of test_pdf.py), runs with the rest of its module, so that the
    fixture is made once; a test marked ``xdist_group`` runs with its group.
    The fixtures of tests/conftest.py (pytest's own too) do not
    tie a test to a worker: they are shared by every worker (built_book) or
    cheap to make in each (the browser starts in a second)."""
    if item.path.suffix == ".ipynb":
        return group_name("nbval", item)
    marked = item.get_closest_marker("xdist_group")
    if marked is not None:  # tests that share a costly per-worker result (tests/built_book/pages.py)
        return marked.args[0]
    info = getattr(item, "_fixtureinfo", None)
    for defs in (info.name2fixturedefs.values() if info else []):
        definition = defs[-1] if defs else None
        if definition is None or definition.baseid in ("", "tests"):
            continue
        if getattr(definition.scope, "value", definition.scope) != "function":
            return group_name("module", item)
    return None


def cost(item) -> int:
    rel = str(item.path.relative_to(ROOT)) if item.path.is_relative_to(ROOT) else str(item.path)
    if item.path.suffix == ".ipynb":
        return 30  # a kernel, its imports, its cells
    test = f"{rel}::{getattr(item, 'originalname', item.name)}"
    return COSTS.get(test, COSTS.get(rel, 0))


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(config, items) -> None:
    """nbval re-executes every notebook: slow, like the built-book checks.
    With xdist: the groups above, the costliest first (a stable sort keeps
    each module's and notebook's own order)."""
    in_groups = bool(os.environ.get("PYTEST_XDIST_WORKER")) and bool(config.getvalue("loadgroup"))
    for item in items:
        if item.path.suffix == ".ipynb":
            item.add_marker(pytest.mark.slow)
        group = group_of(item)
        if group:
            item.add_marker(pytest.mark.xdist_group(group))
            if in_groups:
                name_the_group(item, group)
    items.sort(key=cost, reverse=True)


def name_the_group(item, group: str) -> None:
    """Put ``@group`` at the end of the item's node id, which is how xdist's
    loadgroup scheduler sees the group. xdist 3.8 does it by setting
    ``item._nodeid``, which pytest 9 no longer reads (its node id is
    ``item._id``), so that every test would be scheduled alone: a notebook's
    cells on several workers, each cell in a fresh kernel. Still needed for
    nbval (tests/test_nbval_parallel.py fails without it); it can go when
    xdist sets the id pytest reads."""
    ident = getattr(item, "_id", None)
    if ident is not None and not item.nodeid.endswith(f"@{group}"):
        item._id = type(ident).parse(f"{item.nodeid}@{group}")
