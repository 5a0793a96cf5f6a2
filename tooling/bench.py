"""``make bench``: build times and page weight, measured on a clean clone.

Prints one line per figure. Every timing runs in a fresh ``git clone`` of the
current commit (so uncommitted changes are not measured) with this
environment's Python; nothing is timed inside the test suite.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tooling.build import ROOT, STRICT

BIN = Path(sys.executable).parent
BUILD = [str(BIN / "jupyter-book"), "build", ".", *STRICT]


def timed(args: list[str], cwd: Path, env: dict) -> float:
    start = time.perf_counter()
    proc = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"bench: {' '.join(args)} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    return time.perf_counter() - start


def make_book(tree: Path, env: dict, *flags: str) -> float:
    """What ``make book`` runs once its environment exists (``--force``: FORCE=1)."""
    return timed([sys.executable, "-m", "tooling.build", *flags], tree, env)


def clone(dest: Path) -> Path:
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(dest)], check=True)
    return dest


def page_weight(page: Path) -> int:
    """Bytes of a page plus every local script, stylesheet and image it loads."""
    text = page.read_text(encoding="utf-8")
    total = len(page.read_bytes())
    for ref in set(re.findall(r'(?:src|href)="([^"#?]+)(?:\?[^"]*)?"', text)):
        local = not ref.startswith(("http:", "https:", "data:", "mailto:"))
        if not local or not ref.endswith((".js", ".css", ".png", ".svg", ".woff2")):
            continue
        asset = (page.parent / ref).resolve()
        if asset.is_file():
            total += asset.stat().st_size
    return total


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


def runs(seconds: list[float]) -> str:
    return ", ".join(f"{t:.1f}" for t in seconds) + " s"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # Timings on a shared 2-core VM vary by 10-20 % from one run to the next,
    # so the two cold builds are run alternately and their medians compared.
    parser.add_argument("--repeat", type=int, default=3, help="runs of each cold build (default 3)")
    args = parser.parse_args(argv)
    print(f"machine: {machine()}")
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        tree = clone(work / "parallel")
        env = {**os.environ, "PYTHONPATH": str(tree)}
        serial = clone(work / "serial")
        senv = {**os.environ, "PYTHONPATH": str(serial)}
        config = serial / "_config.yml"
        text = config.read_text(encoding="utf-8")
        forced = text.replace('execute_notebooks: "off"', 'execute_notebooks: "force"')
        config.write_text(forced, encoding="utf-8")
        colds, serials = [], []
        for _ in range(args.repeat):
            shutil.rmtree(tree / "_build", ignore_errors=True)
            colds.append(make_book(tree, env, "--force"))
            shutil.rmtree(serial / "_build", ignore_errors=True)
            serials.append(timed(BUILD, serial, senv))
        cold, jb_serial = statistics.median(colds), statistics.median(serials)
        print(f"cold build (make book FORCE=1: every notebook executed in parallel on "
              f"{os.cpu_count()} cores, then HTML): {cold:.1f} s (median of {runs(colds)})")
        print(f"cold build, jupyter-book execute_notebooks: force (serial): {jb_serial:.1f} s "
              f"(median of {runs(serials)})")
        print(f"ratio parallel / serial: {cold / jb_serial:.2f} "
              f"(run by run: {', '.join(f'{c / s:.2f}' for c, s in zip(colds, serials, strict=True))})")
        shutil.rmtree(tree / "_build")
        render = make_book(tree, env)
        print(f"  the HTML part alone (make book, notebooks current, no _build): {render:.1f} s")

        nochange = make_book(tree, env)
        print(f"no-change rebuild (make book): {nochange:.1f} s")

        data = tree / "data" / "observations" / "ai.csv"
        text = data.read_text(encoding="utf-8")
        data.write_text(text.replace(",4291,oku_yen,", ",4292,oku_yen,"), encoding="utf-8")
        onefile = make_book(tree, env)
        print(f"one-data-file-changed rebuild (data/observations/ai.csv, make book): {onefile:.1f} s")

        nbval = timed([sys.executable, "-m", "pytest", "chapters", "-q"], serial, senv)
        print(f"nbval run (pytest --nbval chapters): {nbval:.1f} s")

        if shutil.which("uplatex"):
            pdf = timed([sys.executable, "-m", "tooling.pdf"], tree, env)
            print(f"PDF build (make pdf): {pdf:.1f} s")
        else:
            print("PDF build: not measured (no uplatex on this machine)")

        html_dir = tree / "_build" / "html"
        weights = sorted(((page_weight(p), p) for p in (html_dir / "chapters").rglob("*.html")), reverse=True)
        size, page = weights[0]
        print(f"largest chapter page with its assets: {page.relative_to(html_dir)} {size / 1e6:.2f} MB "
              f"(HTML alone {page.stat().st_size / 1e6:.2f} MB)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
