"""Re-execute exactly the notebooks whose inputs changed, in parallel.

Jupyter Book's cache keys only on code cells; this executor also tracks what
a notebook read: data files, package modules, and derived values read in place
of the files they are made from (``analysis.derived``: the whole ledger, one
series of a file, the list of the data files). The kernel records them at the
end of each run (:data:`PROBE`); the notebook stores their SHA-256 and its code
cells' in ``metadata.analysis``, and is stale when any of those changed (or it
was never recorded). A derived value cuts the chain early: an edit that leaves
the ledger as it was does not re-execute the pages that show it.

Stale notebooks run in parallel on nbclient's kernels (one kernel more than
cores, the largest notebook first), while the data are validated. A run
writes every notebook it executed, atomically, or none of them: a data error
or a notebook whose execution fails leaves every stored notebook as it was.

    python -m tooling.refresh            # refresh stale notebooks
    python -m tooling.refresh --check    # exit 1 if any notebook is stale
    python -m tooling.refresh --force chapters/04_ai.ipynb
    python -m tooling.refresh --root DIR # another book (the tests' fixture book)
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import sys
import tempfile
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tooling import ROOT, toc_pages, without_colours

if TYPE_CHECKING:
    import nbformat

# Run at the end of every execution: which data files were read and which
# package modules were imported (paths relative to the book's root), and the
# digests of the derived values read.
PROBE = """
import json as _j, sys as _s, pathlib as _p
from analysis import data as _d
_mods = [_p.Path(m.__file__).resolve() for n, m in list(_s.modules.items())
         if (n == "analysis" or n.startswith("analysis.")) and getattr(m, "__file__", None)]
print(_j.dumps({"files": sorted(set(_d.FILES_READ) | {str(m.relative_to(_d.ROOT)) for m in _mods}),
                "derived": _d.DERIVED}))
"""
TIMEOUT = 900  # seconds a cell may run
KERNEL = "python3"  # the kernel of every notebook (the project's .venv, as `make lab` shows it)
STARTUP_TIMEOUT = 60  # seconds a kernel may take to answer
# Each kernel's channels are encrypted with keys jupyter_client makes for it
# (the pinned ipykernel declares CurveZMQ): on plain TCP every kernel warns on
# stderr, in the log of every build.
ENCRYPTED = {"KernelManager": {"transport_encryption": "required"}}


@dataclass
class Run:
    """One notebook's execution: how long it took, or its error."""

    path: Path
    seconds: float = 0.0  # from the start of its kernel to its last cell
    error: str | None = None
    result: tuple | None = field(default=None, repr=False)  # (notebook, probe cell) of a run without error


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def code_hash(nb: nbformat.NotebookNode) -> str:
    """Hash of the code cells' sources (what the kernel runs)."""
    sources = [c.source for c in nb.cells if c.cell_type == "code"]
    return hashlib.sha256(json.dumps(sources, ensure_ascii=False).encode()).hexdigest()


def read_notebook(path: Path) -> nbformat.NotebookNode:
    import nbformat

    return nbformat.read(path, as_version=4)


# Why a notebook must run again, by kind; the status page words them in Japanese.
REASONS = {"unrecorded": "never executed by the refresher", "code": "code cells changed",
           "gone": "input {} is gone", "input": "input {} changed", "derived": "derived value '{}' changed"}


def staleness(nb: nbformat.NotebookNode, root: Path = ROOT,
              derived: Mapping[str, str] | None = None) -> tuple[str, str] | None:
    """What makes a notebook (as :func:`read_notebook` gives it) stale, as (kind of
    :data:`REASONS`, the file or value), or None when its outputs are current;
    ``derived``: the current digest of each derived value (:func:`validated`),
    or None to check only the code and the files."""
    record = nb.metadata.get("analysis")
    if not record:
        return ("unrecorded", "")
    if record.get("code") != code_hash(nb):
        return ("code", "")
    for rel, digest in sorted(record.get("inputs", {}).items()):
        file = root / rel
        if not file.exists():
            return ("gone", rel)
        if sha256_file(file) != digest:
            return ("input", rel)
    for name, digest in sorted(record.get("derived", {}).items()):
        if derived is not None and derived.get(name) != digest:
            return ("derived", name)
    return None


def stale_reason(path: Path, root: Path = ROOT, derived: Mapping[str, str] | None = None,
                 nb: nbformat.NotebookNode | None = None) -> str | None:
    """Why ``path`` (``nb`` if read already) must be re-executed, in words
    (:func:`staleness`), or None."""
    found = staleness(read_notebook(path) if nb is None else nb, root, derived)
    return None if found is None else REASONS[found[0]].format(found[1])


def validated(names: Iterable[str] = ()) -> dict[str, str]:
    """Validate the book's data with its own library (``analysis.verdicts``,
    the book's folder first on the path, as ``make book`` runs) and give the
    current digest of each derived value named (and of those validation
    computes: the ledger). Raises the library's DataError."""
    from analysis import verdicts

    return with_digests(verdicts.validate_all(), names)


def with_digests(derived: dict[str, str], names: Iterable[str]) -> dict[str, str]:
    """``derived`` (name -> current digest) completed, in place, with the
    current digest of each of ``names`` it lacks (the library's
    ``analysis.derived.digests``; a name that is no longer a value gets none)."""
    missing = set(names) - derived.keys()
    if missing:
        from analysis import derived as values

        derived.update(values.digests(missing))
    return derived


def recorded_derived(notebooks: Iterable[nbformat.NotebookNode]) -> set[str]:
    """The names of the derived values the notebooks recorded."""
    return {name for nb in notebooks for name in (nb.metadata.get("analysis") or {}).get("derived", {})}


# ---- executing ----------------------------------------------------------------


def error_line(err: BaseException) -> str:
    """The last line of an error (the kernel's 'Name: message'), without the
    terminal colours of IPython's tracebacks."""
    lines = without_colours(str(err)).strip().splitlines()
    return lines[-1] if lines else type(err).__name__


def derived_error(probe, derived: dict[str, str]) -> str | None:
    """Why the derived values a kernel read cannot be recorded: one differs from
    ``derived``, computed from the same files and code (a value that is not
    deterministic would leave its notebook stale forever)."""
    read = probed(probe)["derived"]
    with_digests(derived, read)  # a value no notebook had recorded before the run
    for name, digest in sorted(read.items()):
        if derived.get(name) != digest:
            return f"the derived value '{name}' differs from the one computed before the run"
    return None


async def execute(path: Path, nb: nbformat.NotebookNode, running: asyncio.Semaphore) -> Run:
    """Execute ``path`` (read as ``nb``, which gets its outputs) and the probe
    with nbclient, in the notebook's folder, once a place to run is free."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError
    from traitlets.config import Config

    run = Run(path)
    probe = nbformat.v4.new_code_cell(PROBE)
    nb.cells.append(probe)
    # shutdown "immediate": a kernel whose notebook is done (or cancelled by a
    # data error) is killed, not asked to stop and waited for
    client = NotebookClient(nb, kernel_name=KERNEL, timeout=TIMEOUT, record_timing=False,
                            startup_timeout=STARTUP_TIMEOUT, shutdown_kernel="immediate",
                            config=Config(ENCRYPTED), resources={"metadata": {"path": str(path.parent)}})
    async with running:
        start = time.perf_counter()
        try:
            await client.async_execute()
            run.result = (nb, probe)
        except CellExecutionError as err:
            run.error = error_line(err)
        except Exception as err:  # the kernel did not start or died: report, go on
            run.error = f"{type(err).__name__}: {error_line(err)}"
        run.seconds = time.perf_counter() - start
    return run


def weight(nb: nbformat.NotebookNode) -> int:
    """A notebook's size in characters of code: the largest run first."""
    return sum(len(c.source) for c in nb.cells if c.cell_type == "code")


def probed(probe) -> dict:
    """What the probe cell printed: {"files": [...], "derived": {name: digest}}."""
    return json.loads("".join(o.get("text", "") for o in probe.outputs if o.get("name") == "stdout"))


def finish(path: Path, nb: nbformat.NotebookNode, probe, root: Path) -> None:
    """Record the notebook's inputs, number its cells, write it atomically."""
    import nbformat

    nb.cells.pop()
    found = probed(probe)
    nb.metadata["analysis"] = {
        "code": code_hash(nb),
        "inputs": {rel: sha256_file(root / rel) for rel in found["files"]},
    }
    if found["derived"]:
        nb.metadata["analysis"]["derived"] = dict(sorted(found["derived"].items()))
    for i, cell in enumerate(nb.cells):
        cell.pop("id", None)
        cell["id"] = f"cell-{i:03d}"
    text = nbformat.writes(nb) + "\n"
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False,
                                     suffix=".ipynb.tmp") as tmp:
        tmp.write(text)
    os.chmod(tmp.name, 0o644)
    os.replace(tmp.name, path)


def all_notebooks(root: Path = ROOT) -> list[Path]:
    """Every notebook of the book: the pages of _toc.yml that are notebooks, in
    file-name order (so never JupyterLab's checkpoint copies)."""
    return sorted(root / f"{page}.ipynb" for page in toc_pages(root) if (root / f"{page}.ipynb").exists())


def default_jobs() -> int:
    """One kernel more than the cores this process may use: each kernel spends
    part of its run starting and waiting on its channels."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return cores + 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--check", action="store_true", help="only report stale notebooks")
    parser.add_argument("--force", action="store_true", help="execute even if current")
    parser.add_argument("--jobs", type=int, default=default_jobs(), help="notebooks run at once")
    parser.add_argument("--root", type=Path, default=ROOT, help="the book's folder (default: this project)")
    parser.add_argument("--times-json", type=Path, help="write each notebook's seconds here (make bench)")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    paths = [p.resolve() for p in args.notebooks] or all_notebooks(root)

    from analysis.data import DataError

    try:
        return report_stale(root, paths) if args.check else asyncio.run(refresh(args, root, paths))
    except DataError as err:  # one clear error, nothing written
        print(f"data error: {err}", file=sys.stderr)
        return 2


def report_stale(root: Path, paths: list[Path]) -> int:
    """Validate the data, then list the stale notebooks; 1 if there is any."""
    notebooks = {path: read_notebook(path) for path in paths}
    derived = validated(recorded_derived(notebooks.values()))
    stale = {path: reason for path in paths
             if (reason := stale_reason(path, root, derived, notebooks[path]))}
    for path, reason in stale.items():
        print(f"stale: {path.relative_to(root)} ({reason})")
    return 1 if stale else 0


async def refresh(args: argparse.Namespace, root: Path, paths: list[Path]) -> int:
    """Execute the stale notebooks and write them all, or none.

    The data are validated (in a thread), and the derived values the
    notebooks recorded computed, while the notebooks whose code or files
    changed already run: a kernel's start and imports take the other core.
    Those stale by a derived value join once it is known. A data error
    cancels every run, before any report.
    """
    # each notebook is read once: none changes until the runs are written
    notebooks = {path: read_notebook(path) for path in paths}
    values = asyncio.ensure_future(asyncio.to_thread(validated, recorded_derived(notebooks.values())))
    running = asyncio.Semaphore(max(1, args.jobs))
    tasks: list[asyncio.Future] = []

    def report(run: Run) -> None:
        rel = run.path.relative_to(root)
        if run.error:
            print(f"FAILED: {rel} after {run.seconds:.1f} s: {run.error} (left unchanged)",
                  file=sys.stderr, flush=True)
        else:
            print(f"executed: {rel} in {run.seconds:.1f} s", flush=True)

    async def one(path: Path) -> Run:
        run = await execute(path, notebooks[path], running)
        derived = await values
        if run.result is not None:
            run.error = derived_error(run.result[1], derived)
        report(run)
        return run

    def start(stale: dict[Path, str]) -> None:
        for path in sorted(stale, key=lambda path: weight(notebooks[path]), reverse=True):
            print(f"stale: {path.relative_to(root)} ({stale[path]})", flush=True)
            tasks.append(asyncio.ensure_future(one(path)))

    # derived values are not known yet: staleness checks the code and the files
    first = {path: reason for path, nb in notebooks.items()
             if (reason := "forced" if args.force else stale_reason(path, root, None, nb))}
    start(first)
    try:
        derived = await values
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise
    start({path: reason for path, nb in notebooks.items()
           if path not in first and (reason := stale_reason(path, root, derived, nb))})
    if not tasks:
        print("all notebooks current: nothing to execute")
        return 0
    runs = list(await asyncio.gather(*tasks))
    if args.times_json:
        times = {str(r.path.relative_to(root)): r.seconds for r in runs}
        args.times_json.write_text(json.dumps(times, indent=1), encoding="utf-8")
    failed = sum(1 for run in runs if run.error)
    if failed:
        print(f"nothing written: {failed} of {len(runs)} notebooks failed, every stored notebook "
              "is left as it was", file=sys.stderr, flush=True)
        return 1
    for run in runs:
        finish(run.path, *run.result, root)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
