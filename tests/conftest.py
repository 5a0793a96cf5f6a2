"""Shared fixtures: a fresh build of the book, a local HTTP server for it, and
headless Chromium (one of each per test session)."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

from tests.helpers import BIN, ROOT, require
from tooling.build import STRICT, source_date_epoch


@pytest.fixture(scope="session")
def built_book(tmp_path_factory) -> tuple[Path, str]:
    """Build the book from the stored notebook outputs into a temporary folder
    with -W -n --keep-going, dated like `make book` (SOURCE_DATE_EPOCH: the
    last commit's time unless set); return (html folder, build log)."""
    out = tmp_path_factory.mktemp("book")
    epoch = source_date_epoch()
    env = {**os.environ, **({"SOURCE_DATE_EPOCH": epoch} if epoch else {})}
    proc = subprocess.run(
        [str(BIN / "jupyter-book"), "build", str(ROOT), "--path-output", str(out), *STRICT],
        capture_output=True, text=True, cwd=ROOT, env=env)
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, f"book build failed:\n{log[-4000:]}"
    return out / "_build" / "html", log


@pytest.fixture(scope="session")
def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    require(path is not None, "Debian's chromium is not installed (apt-get install chromium)")
    return path


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                 "--no-proxy-server"]


@pytest.fixture(scope="session")
def browser(chromium):
    sync = pytest.importorskip("playwright.sync_api")
    with sync.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


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


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def pytest_collection_modifyitems(items) -> None:
    """nbval re-executes every notebook: slow, like the built-book checks."""
    for item in items:
        if item.path.suffix == ".ipynb":
            item.add_marker(pytest.mark.slow)
