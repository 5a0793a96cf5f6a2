"""``make book`` (tooling.build): a bad data file stops it with the clear
message, before anything is written or rebuilt; the pages are dated by the
last commit, whatever the clock says."""

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
    ROOT,
    build_env,
    clocked,
    project_copy,
    require,
    rows_of,
    run_in,
    toc_pages,
    write,
)
from tooling import build

pytestmark = pytest.mark.slow  # builds the book or the PDF, or executes notebooks


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


def test_two_clocks_give_the_same_pages(clocked_builds, monkeypatch):
    """`make book`'s build of one commit under two clock settings 2221 days
    apart (the session's clocked_builds): every file of the HTML book is
    byte-identical, and the footer shows the day of the last commit."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    epoch = build.source_date_epoch()
    require(epoch is not None, "the project is not a git checkout")
    trees = {}
    env = build_env()
    for name, shift in CLOCKS.items():
        # the changed clock reaches Python and Sphinx's own date function
        probe = subprocess.run(clocked([sys.executable, "-c", PROBE], name), env=env, capture_output=True,
                               text=True, cwd=ROOT)
        assert probe.returncode == 0, probe.stderr
        seconds, day, sphinx_day = probe.stdout.split()
        assert abs(int(seconds) - (time.time() + int(shift[:-1]) * 86400)) < 600
        assert day == sphinx_day == str(datetime.date.fromtimestamp(int(seconds)))
        html = Path(clocked_builds[name])
        trees[name] = {p.relative_to(html): p.read_bytes() for p in sorted(html.rglob("*")) if p.is_file()}
    early, late = trees["early"], trees["late"]
    assert sorted(early) == sorted(late)
    differ = [str(p) for p in early if early[p] != late[p]]
    assert not differ, f"pages that depend on the clock: {differ[:10]}"
    pages = [p for p in early if p.suffix == ".html"]
    assert len(pages) > 10
    commit = datetime.datetime.fromtimestamp(int(epoch), datetime.UTC)
    footer = f"最終更新: {commit.year}年{commit.month}月{commit.day}日"
    root = Path(f"{toc_pages()[0]}.html")
    assert footer in early[root].decode("utf-8")


def test_the_page_templates_are_sources_of_the_book():
    """An edit of the book's page templates rebuilds the HTML (the no-change
    check hashes them with the rest)."""
    templates = sorted((ROOT / "_templates" / "html").rglob("*.html"))
    assert templates and set(templates) <= set(build.source_files())
