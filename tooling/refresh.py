"""Re-execute exactly the notebooks whose inputs changed, in parallel.

Jupyter Book's cache keys only on code cells; this executor also tracks the
data files a notebook read and the package modules it imported (recorded by
the kernel itself at the end of each run). Each executed notebook stores, in
``metadata.analysis``, the SHA-256 of its code cells and of every input file.
A notebook is stale when any of those changed (or it was never recorded).
Stale notebooks run in parallel (one kernel more than cores); each result
is written atomically, and a notebook whose execution fails is left exactly as
it was.

    python -m tooling.refresh            # refresh stale chapter notebooks
    python -m tooling.refresh --check    # exit 1 if any notebook is stale
    python -m tooling.refresh --force chapters/04_ai.ipynb
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat

from analysis.data import ROOT, DataError
from analysis.ledger import validate_all

# Run at the end of every execution: which data files were read and which
# package modules were imported (paths relative to the project root).
PROBE = """
import json as _j, sys as _s, pathlib as _p
from analysis import data as _d
_mods = [_p.Path(m.__file__).resolve() for n, m in list(_s.modules.items())
         if (n == "analysis" or n.startswith("analysis.")) and getattr(m, "__file__", None)]
print(_j.dumps(sorted(set(_d.FILES_READ) | {str(m.relative_to(_d.ROOT)) for m in _mods})))
"""


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def code_hash(nb: nbformat.NotebookNode) -> str:
    """Hash of the code cells' sources (what the kernel runs)."""
    sources = [c.source for c in nb.cells if c.cell_type == "code"]
    return hashlib.sha256(json.dumps(sources, ensure_ascii=False).encode()).hexdigest()


def stale_reason(path: Path) -> str | None:
    """Why ``path`` must be re-executed, or None when its outputs are current."""
    nb = nbformat.read(path, as_version=4)
    record = nb.metadata.get("analysis")
    if not record:
        return "never executed by the refresher"
    if record.get("code") != code_hash(nb):
        return "code cells changed"
    inputs = record.get("inputs", {})
    for rel, digest in sorted(inputs.items()):
        file = ROOT / rel
        if not file.exists():
            return f"input {rel} is gone"
        if sha256_file(file) != digest:
            return f"input {rel} changed"
    return None


def execute(path: Path) -> tuple[str, float, str | None]:
    """Execute one notebook in place (atomically); return (path, seconds, error)."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    start = time.perf_counter()
    nb = nbformat.read(path, as_version=4)
    probe = nbformat.v4.new_code_cell(PROBE)
    nb.cells.append(probe)
    client = NotebookClient(nb, kernel_name="python3", timeout=900, record_timing=False,
                            resources={"metadata": {"path": str(path.parent)}})
    try:
        client.execute()
    except CellExecutionError as err:
        return str(path), time.perf_counter() - start, str(err).strip().splitlines()[-1]
    nb.cells.pop()
    inputs = json.loads("".join(o.get("text", "") for o in probe.outputs if o.get("name") == "stdout"))
    nb.metadata["analysis"] = {
        "code": code_hash(nb),
        "inputs": {rel: sha256_file(ROOT / rel) for rel in inputs},
    }
    for i, cell in enumerate(nb.cells):
        cell.pop("id", None)
        cell["id"] = f"cell-{i:03d}"
    text = nbformat.writes(nb) + "\n"
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False,
                                     suffix=".ipynb.tmp") as tmp:
        tmp.write(text)
    os.chmod(tmp.name, 0o644)
    os.replace(tmp.name, path)
    return str(path), time.perf_counter() - start, None


def all_notebooks() -> list[Path]:
    """Every notebook of the book: the pages of _toc.yml that are notebooks (the
    title page, the chapters, the appendices), in file-name order. JupyterLab's
    checkpoint copies are not pages, so they are never executed."""
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    pages = [toc["root"]] + [c["file"] for part in toc.get("parts", []) for c in part["chapters"]]
    return sorted(ROOT / f"{page}.ipynb" for page in pages if (ROOT / f"{page}.ipynb").exists())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--check", action="store_true", help="only report stale notebooks")
    parser.add_argument("--force", action="store_true", help="execute even if current")
    # One kernel more than cores: each spends part of its run starting up and
    # waiting on its kernel channel (measured: 2 cores, 11 notebooks, 43 s with
    # 2 jobs, 38 s with 3, 37 s with 4).
    parser.add_argument("--jobs", type=int, default=(os.cpu_count() or 1) + 1)
    args = parser.parse_args(argv)
    paths = [p.resolve() for p in args.notebooks] or all_notebooks()

    try:
        validate_all()  # one clear error before anything runs, nothing written
    except DataError as err:
        print(f"data error: {err}", file=sys.stderr)
        return 2
    todo = []
    for path in paths:
        reason = "forced" if args.force else stale_reason(path)
        if reason:
            todo.append(path)
            print(f"stale: {path.relative_to(ROOT)} ({reason})")
    if args.check:
        return 1 if todo else 0
    if not todo:
        print("all notebooks current: nothing to execute")
        return 0
    failed = 0
    with ProcessPoolExecutor(max_workers=max(1, min(args.jobs, len(todo)))) as pool:
        for name, seconds, error in pool.map(execute, todo):
            rel = Path(name).relative_to(ROOT)
            if error:
                failed += 1
                print(f"FAILED: {rel} after {seconds:.1f} s: {error} (left unchanged)", file=sys.stderr)
            else:
                print(f"executed: {rel} in {seconds:.1f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
