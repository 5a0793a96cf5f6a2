"""``make book`` (tooling.build): a bad data file stops it with the clear
message, before anything is written or rebuilt; the pages are dated by the
last commit, whatever the clock says. What takes several builds is tested on
the fixture book (tests/fixtures/book: two notebooks, one data file): a data
change re-executes exactly its readers and reaches the HTML, and is never
hidden by the build stamp; a failing notebook leaves the built book and the
notebooks alone; two clocks give the same bytes."""

from __future__ import annotations

import datetime
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import (
    CLOCKS,
    FIXTURE_FOOTER,
    ROOT,
    book_env,
    clocked,
    fixture_book,
    project_copy,
    require,
    rows_of,
    run_book,
    run_in,
    toc_pages,
    write,
)
from tooling import build, refresh


@pytest.mark.slow  # make, and the validation of every data file
def test_make_book_fails_on_a_bad_file_and_leaves_the_built_book_alone(tmp_path):
    """The README's build command itself: exits non-zero with the clear message,
    and the previously built book and the stored notebooks stay as they were."""
    make = shutil.which("make")
    require(make is not None, "make is not installed")
    tree = project_copy(tmp_path / "tree")
    page = tree / "_build" / "html" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text("previous build", encoding="utf-8")
    target = tree / "data" / "checks" / "04_ai.csv"
    rows = rows_of(target)
    rows[2][rows[0].index("source")] = "nobody_said_this"
    write(target, rows)
    before = {p: p.read_bytes() for p in (tree / "chapters").rglob("*.ipynb")}
    venv = Path(sys.executable).parent.parent
    # -o: the environment exists already; do not reinstall it into the copy.
    proc = run_in(tree, [make, "-o", f"{venv}/.installed", "book", f"VENV={venv}"])
    assert proc.returncode != 0
    message = "data/checks/04_ai.csv, row 3, column 'source': unknown source key 'nobody_said_this'"
    assert message in proc.stderr
    assert page.read_text(encoding="utf-8") == "previous build"
    assert {p: p.read_bytes() for p in before} == before


PROBE = ("import datetime, time; from sphinx.util.i18n import format_date; "
         "print(int(time.time()), datetime.datetime.now().date(), format_date('%Y-%m-%d', language='en'))")


def test_the_last_commit_dates_the_book(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    git = subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%ct"],
                         capture_output=True, text=True)
    require(git.returncode == 0, "the project is not a git checkout")
    assert build.source_date_epoch() == git.stdout.strip()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert build.source_date_epoch() == "1700000000"
    assert build.build_id("abc") == "abc 1700000000"
    assert build.source_date_epoch(Path("/")) == "1700000000"  # set wins even outside git
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert build.source_date_epoch(Path("/")) is None


@pytest.mark.slow
def test_the_built_book_is_dated_by_the_last_commit(built_book):
    """The session's build of the book (dated as `make book` dates it): every
    page's footer shows the day of the last commit (or of SOURCE_DATE_EPOCH)."""
    epoch = build.source_date_epoch()
    require(epoch is not None, "the project is not a git checkout")
    commit = datetime.datetime.fromtimestamp(int(epoch), datetime.UTC)
    footer = f"最終更新: {commit.year}年{commit.month}月{commit.day}日"
    html, _ = built_book
    undated = [p for p in toc_pages() if footer not in (html / f"{p}.html").read_text(encoding="utf-8")]
    assert not undated, f"pages without {footer}: {undated}"


# ---- several builds, on the fixture book ----------------------------------------


def set_value(tree: Path, old: str, new: str) -> None:
    """The 2023 value of the fixture book's data file: ``old`` -> ``new``."""
    target = tree / "data" / "values.csv"
    text = target.read_text(encoding="utf-8")
    assert f"2023,{old}\n" in text
    target.write_text(text.replace(f"2023,{old}\n", f"2023,{new}\n"), encoding="utf-8")


def snapshot(folder: Path) -> dict[Path, bytes]:
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> dict:
    """What `make book` does in the fixture book: build it (notebooks current,
    HTML only); change a data value and build again; refresh, then build a
    third time; then change the value so that its notebook fails, and build.
    A fresh build of a copy of the edited tree is kept to compare. One
    sequence, shared by the tests below (each asserts its own part)."""
    tree = fixture_book(tmp_path_factory.mktemp("fixture") / "tree")
    page = tree / "_build" / "html" / "total.html"
    records = {p.name: refresh.read_notebook(p).metadata["analysis"] for p in refresh.all_notebooks(tree)}
    made: dict = {"readers": sorted(  # of the file, or of the total made from it
        name for name, record in records.items()
        if "data/values.csv" in record["inputs"] or "total" in record.get("derived", {}))}
    made["first"] = run_book(tree, "build")
    made["first_page"] = page.read_text(encoding="utf-8")
    set_value(tree, "4291", "4321")
    made["build"] = run_book(tree, "build")
    made["page"] = page.read_text(encoding="utf-8")
    made["again"] = run_book(tree, "refresh")
    made["rebuild"] = run_book(tree, "build")
    notebooks = {p: p.read_bytes() for p in refresh.all_notebooks(tree)}
    html = snapshot(tree / "_build" / "html")
    fresh = shutil.copytree(tree, tmp_path_factory.mktemp("fresh") / "tree",
                            ignore=shutil.ignore_patterns("_build"))
    made["fresh"] = run_book(fresh, "build")
    made["fresh_html"] = snapshot(fresh / "_build" / "html")
    made["rebuilt_html"] = html
    set_value(tree, "4321", "9999")  # the total reaches 10,000: its sentence no longer holds
    made["failed"] = run_book(tree, "build")
    made["notebooks_kept"] = all(p.read_bytes() == data for p, data in notebooks.items())
    made["html_kept"] = snapshot(tree / "_build" / "html") == html
    return made


@pytest.mark.slow
def test_data_change_reexecutes_exactly_its_readers_and_reaches_the_html(builds):
    readers, build_ = builds["readers"], builds["build"]
    assert readers == ["total.ipynb"]
    assert build_.returncode == 0, build_.stdout[-3000:] + build_.stderr[-3000:]
    executed = sorted(line.split()[1] for line in build_.stdout.splitlines() if line.startswith("executed:"))
    assert executed == readers
    assert "合計 4,333" in builds["page"] and "合計 4,303" not in builds["page"]
    assert "all notebooks current: nothing to execute" in builds["again"].stdout
    rebuild = builds["rebuild"]
    assert rebuild.returncode == 0
    assert rebuild.stdout.strip() == "HTML book current: nothing to execute or build (_build/html/index.html)"
    # the book the data edit rebuilt is, byte for byte, a fresh build of the same tree
    assert builds["fresh"].returncode == 0, builds["fresh"].stderr[-3000:]
    differ = sorted(str(p) for p in builds["fresh_html"].keys() | builds["rebuilt_html"].keys()
                    if builds["fresh_html"].get(p) != builds["rebuilt_html"].get(p))
    assert differ == []


@pytest.mark.slow
def test_a_data_change_after_a_build_is_never_hidden_by_the_build_stamp(builds):
    first, second = builds["first"], builds["build"]
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    assert "all notebooks current: nothing to execute" in first.stdout
    assert "合計 4,303" in builds["first_page"]
    assert second.returncode == 0, second.stdout[-3000:] + second.stderr[-3000:]
    assert "executed: total.ipynb" in second.stdout
    assert "合計 4,333" in builds["page"]


@pytest.mark.slow
def test_the_kernels_of_a_build_talk_over_encrypted_channels(builds):
    """A build that executes a notebook starts its kernel with CurveZMQ keys:
    no kernel warns that it runs over plain TCP (as ipykernel 7.4 does, once
    per kernel, in the build's log)."""
    build_ = builds["build"]
    assert "executed: total.ipynb" in build_.stdout
    assert "without encryption" not in build_.stderr, build_.stderr[-3000:]


@pytest.mark.slow
def test_a_failing_notebook_leaves_the_built_book_and_the_notebooks_alone(builds):
    failed = builds["failed"]
    assert failed.returncode != 0
    assert "FAILED: total.ipynb" in failed.stderr, failed.stderr[-3000:]
    assert "the sentence 「合計は1万未満」 no longer holds: 10,011" in failed.stderr
    assert "nothing written: 1 of 1 notebooks failed" in failed.stderr
    assert builds["notebooks_kept"], "a failed build wrote notebooks"
    assert builds["html_kept"], "a failed build changed the built book"


@pytest.mark.slow
def test_two_clocks_give_the_same_pages(tmp_path):
    """`make book`'s HTML build of one commit of the fixture book, twice at
    once in two processes whose clocks (libfaketime) are 2221 days apart and
    which have no SOURCE_DATE_EPOCH of their own: every file of the two books
    is byte-identical, and the footer shows the day of the last commit."""
    require(shutil.which("faketime") is not None,
            "Debian's faketime is not installed (apt-get install faketime)")
    tree = fixture_book(tmp_path / "tree")
    env = book_env(tree)
    runs = {}
    for name, shift in CLOCKS.items():
        # the changed clock reaches Python and Sphinx's own date function
        probe = subprocess.run(clocked([sys.executable, "-c", PROBE], name), env=env, capture_output=True,
                               text=True, cwd=tree)
        assert probe.returncode == 0, probe.stderr
        seconds, day, sphinx_day = probe.stdout.split()
        assert abs(int(seconds) - (time.time() + int(shift[:-1]) * 86400)) < 600
        assert day == sphinx_day == str(datetime.date.fromtimestamp(int(seconds)))
        out = tmp_path / f"out-{name}"
        runs[name] = (out, subprocess.Popen(clocked(build.sphinx_command(tree, out), name), env=env,
                                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True))
    trees = {}
    for name, (out, proc) in runs.items():
        log, _ = proc.communicate()
        assert proc.returncode == 0, f"the {name} build failed:\n{log[-3000:]}"
        trees[name] = snapshot(out / "_build" / "html")
    early, late = trees["early"], trees["late"]
    assert sorted(early) == sorted(late)
    differ = [str(p) for p in early if early[p] != late[p]]
    assert not differ, f"pages that depend on the clock: {differ[:10]}"
    pages = [p for p in early if p.suffix == ".html"]
    assert len(pages) >= 2
    for page in ("total.html", "constant.html"):
        assert FIXTURE_FOOTER in early[Path(page)].decode("utf-8"), page


def test_the_page_templates_are_sources_of_the_book():
    """An edit of the book's page templates rebuilds the HTML (the no-change
    check hashes them with the rest)."""
    templates = sorted((ROOT / "_templates" / "html").rglob("*.html"))
    assert templates and set(templates) <= set(build.source_files())
