"""Shared fixtures: a fresh build of the book and of its PDF, a local HTTP
server for it, and headless Chromium.

The suite runs in parallel (``-n`` in pytest.ini). A session fixture runs once
per worker, so what is expensive and only read (the built HTML book, the PDF)
is made once per run: the first worker that needs it builds it, under a file
lock, in a folder all workers of the run share, and the others wait for it and
read the same files (:func:`shared`). What needs more builds than these (a
data change, two clocks, a failing notebook) is tested on the fixture book
(tests/fixtures/book), which is no part of the suite's collection.
"""

from __future__ import annotations

import fcntl
import functools
import http.server
import json
import os
import shutil
import subprocess
import threading
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import settings

from tests.helpers import ROOT, build_pdf, pdf_tools_present, require
from tooling.bench import chromium_browser
from tooling.build import sphinx_command

# The fixture book's notebooks are executed by its own tests, not by nbval.
collect_ignore = ["fixtures"]

# Hypothesis tests properties, not speed: its per-example deadline would turn a
# busy machine (two workers beside a book build) into a failure. Time is
# measured by make bench.
settings.register_profile("book", deadline=None)
settings.load_profile("book")

# ---- made once per run, shared by every worker ---------------------------------


def run_folder(tmp_path_factory) -> Path:
    """The temporary folder of this test run that every xdist worker shares
    (each worker's own basetemp is a folder inside it); without xdist, the
    session's basetemp."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@contextmanager
def file_lock(path: Path):
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def shared(tmp_path_factory, name: str, make: Callable[[Path], dict]) -> dict:
    """``make(folder)`` run once per test run, whichever worker asks first;
    every caller gets what it returned (JSON: paths as text). A failure is
    recorded too, so that each worker reports it instead of building again."""
    root = run_folder(tmp_path_factory)
    folder, result = root / name, root / f"{name}.json"
    with file_lock(root / f"{name}.lock"):
        if not result.exists():
            try:
                made = {"ok": True, "value": make(folder)}
            except BaseException as err:  # recorded for every worker, then raised
                made = {"ok": False, "error": f"{type(err).__name__}: {err}"}
                result.write_text(json.dumps(made), encoding="utf-8")
                raise
            result.write_text(json.dumps(made), encoding="utf-8")
    made = json.loads(result.read_text(encoding="utf-8"))
    if not made["ok"]:
        pytest.fail(f"{name} (made once for the whole run) failed: {made['error']}", pytrace=False)
    return made["value"]


def build_book(out: Path) -> dict:
    proc = subprocess.run(sphinx_command(output=out), capture_output=True, text=True, cwd=ROOT)
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, f"book build failed:\n{log[-4000:]}"
    return {"html": str(out / "_build" / "html"), "log": log}


@pytest.fixture(scope="session")
def built_book(tmp_path_factory) -> tuple[Path, str]:
    """Build the book from the stored notebook outputs into a temporary folder
    with -W -n --keep-going, dated like `make book` (SOURCE_DATE_EPOCH: the
    last commit's time unless set); return (html folder, build log). Built
    once per test run and shared by every worker."""
    made = shared(tmp_path_factory, "book", build_book)
    return Path(made["html"]), made["log"]


@pytest.fixture(scope="session")
def built_pdf(tmp_path_factory) -> tuple[Path, Path]:
    """The PDF built by ``python -m tooling.pdf`` from the stored notebook
    outputs into a temporary folder: (the PDF, the LaTeX log). Built once per
    test run and shared by every worker (the PDF tests, the release's)."""
    pdf_tools_present()
    made = shared(tmp_path_factory, "pdf", lambda folder: [str(p) for p in build_pdf(folder)])
    return Path(made[0]), Path(made[1])


# ---- per worker: the browser and the server ------------------------------------


@pytest.fixture(scope="session")
def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    require(path is not None, "Debian's chromium is not installed (apt-get install chromium)")
    return path


@pytest.fixture(scope="session")
def browser(chromium):
    pytest.importorskip("playwright.sync_api")
    with chromium_browser(chromium) as instance:
        yield instance


@pytest.fixture(scope="session")
def server(built_book):
    html_dir, _ = built_book
    handler = functools.partial(_QuietHandler, directory=str(html_dir))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="session")
def visits(browser, built_book, server):
    """visits(page, "file" or "http"): the built page's one visit on this
    worker (tests/built_book/pages.py)."""
    from tests.built_book.pages import Visits

    return Visits(browser, built_book[0], server)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass
