"""``make book``: refresh stale notebooks, then build the HTML book only if
any of its sources changed since the last successful build; and the one way
the book is built by Sphinx (:func:`jupyter_book_build`, any builder), which
the tests, the PDF and the benchmark use too.

Sphinx alone takes seconds to find that nothing changed (Jupyter Book's start-up
dominates), so the sources' SHA-256 is kept next to the built book and an
unchanged tree returns at once. The stamp is written only after a refresh and
a build that both succeeded, and it covers every input a notebook can record
(notebooks, data, the package), so a tree that still matches it has no stale
notebook either: the check comes first and needs neither pandas nor nbformat.

The only date on the pages (the footer's 最終更新) comes from
``SOURCE_DATE_EPOCH``: the time of the last commit unless it is set, so two
builds of one commit give the same bytes on any day. The stamp records that
time too, so a new commit rebuilds the pages with its date.

    python -m tooling.build                   # make book
    python -m tooling.build --force           # make book FORCE=1
    python -m tooling.build --root DIR        # another book (the tests' fixture book)
    python -m tooling.build --sphinx latex --output DIR --all   # only jupyter-book's build
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

from tooling import ROOT

HTML = ROOT / "_build" / "html"
STAMP_NAME = ".sources-sha256"  # in the built HTML book
SKIP_DIRS = {"_build", ".venv", ".git", "__pycache__", ".pytest_cache", ".ipynb_checkpoints", "tests", ".ci"}
# (.cff: CITATION.cff, the book's version; .html: the page templates of _templates/html)
SOURCE_SUFFIXES = {".ipynb", ".md", ".yml", ".bib", ".py", ".csv", ".toml", ".txt", ".json", ".cff", ".html"}
# Every build of the book: warnings are errors, unresolved references warn,
# and all warnings are reported before it fails.
STRICT = ["-W", "-n", "--keep-going"]


def source_files(root: Path = ROOT) -> list[Path]:
    """Every file the HTML book is built from, sorted; skipped folders
    (``.venv`` above all, tens of thousands of files) are never walked."""
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in SKIP_DIRS and not d.endswith(".egg-info")]
        found += [Path(folder) / f for f in files if Path(f).suffix in SOURCE_SUFFIXES]
    return sorted(found)


def sources_digest(root: Path = ROOT) -> str:
    """SHA-256 over every file the HTML book is built from (path and content)."""
    digest = hashlib.sha256()
    for path in source_files(root):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def source_date_epoch(root: Path = ROOT) -> str | None:
    """The time the book's dates come from: $SOURCE_DATE_EPOCH if set, else the
    time of the last commit of ``root`` (seconds since the epoch, as text);
    None outside a git checkout, where the footer shows the day of the build."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return os.environ["SOURCE_DATE_EPOCH"]
    try:
        proc = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%ct"],
                              capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    stamp = proc.stdout.strip()
    return stamp if proc.returncode == 0 and stamp.isdigit() else None


def build_id(digest: str, root: Path = ROOT) -> str:
    """What a build is made from: the sources' digest and the pages' date."""
    return f"{digest} {source_date_epoch(root) or '-'}"


def stamp(root: Path = ROOT) -> Path:
    return root / "_build" / "html" / STAMP_NAME


def built_from(digest: str, root: Path = ROOT) -> bool:
    """Whether the last successful build of ``root`` was made from sources
    with ``digest`` (and with the same date for its pages)."""
    return stamp(root).exists() and stamp(root).read_text().strip() == build_id(digest, root)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true",
                        help="re-execute every notebook and build the HTML even if nothing changed")
    parser.add_argument("--root", type=Path, default=ROOT, help="the book's folder (default: this project)")
    parser.add_argument("--sphinx", metavar="BUILDER",
                        help="only jupyter-book's build with this builder (html, latex, ...)")
    parser.add_argument("--output", type=Path, help="with --sphinx: build into OUTPUT/_build")
    parser.add_argument("--all", action="store_true", help="with --sphinx: read every page again")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    if args.sphinx:
        return jupyter_book_build(root, args.output, args.sphinx, fresh=args.all)
    html = root / "_build" / "html"
    shown = html.relative_to(root) / "index.html"
    if not args.force and built_from(sources_digest(root), root):
        print(f"HTML book current: nothing to execute or build ({shown})")
        return 0
    from tooling import refresh

    took = {}
    start = time.perf_counter()
    code = refresh.main(["--root", str(root), *(["--force"] if args.force else [])])
    took["refresh"] = time.perf_counter() - start
    if code:
        return code
    if root == ROOT:  # the project's exports: the ledger and the charts' data
        from tooling import exports

        start = time.perf_counter()
        for path in exports.write():
            print(f"exported: {path.relative_to(ROOT)}")
        took["exports"] = time.perf_counter() - start
    digest = sources_digest(root)  # refreshed notebooks changed it
    if not args.force and built_from(digest, root):
        print(f"HTML book current: nothing to build ({shown})")
        return 0
    start = time.perf_counter()
    code = jupyter_book_build(root)
    took["HTML"] = time.perf_counter() - start
    if code:
        stamp(root).unlink(missing_ok=True)
        return code
    stamp(root).write_text(build_id(digest, root) + "\n")
    print("took: " + ", ".join(f"{part} {seconds:.1f} s" for part, seconds in took.items()))
    return 0


def jupyter_book_build(root: Path = ROOT, output: Path | None = None, builder: str = "html",
                       fresh: bool = False) -> int:
    """``jupyter-book build ROOT -W -n --keep-going --builder BUILDER`` (into
    ``output``/_build if given; ``fresh``: ``--all``, every page read again),
    run in this process: its start-up imports (about 2 s) are then shared with
    the refresh above. SOURCE_DATE_EPOCH is set for Sphinx first (the last
    commit's time unless set). :func:`sphinx_command` runs it in a process of
    its own."""
    from jupyter_book.cli.main import main as jupyter_book

    epoch = source_date_epoch(root)
    if epoch is not None:
        os.environ["SOURCE_DATE_EPOCH"] = epoch
    where = ["--path-output", str(output)] if output is not None else []
    again = ["--all"] if fresh else []
    try:
        jupyter_book(["build", str(root), "--builder", builder, *STRICT, *where, *again],
                     standalone_mode=False)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    except Exception as err:  # jupyter-book reports a failed Sphinx run by raising
        print(err, file=sys.stderr)
        return 1
    return 0


def sphinx_command(root: Path = ROOT, output: Path | None = None, builder: str = "html",
                   fresh: bool = False) -> list[str]:
    """The command that runs :func:`jupyter_book_build` in a process of its own."""
    return [sys.executable, "-m", "tooling.build", "--root", str(root), "--sphinx", builder,
            *(["--output", str(output)] if output is not None else []), *(["--all"] if fresh else [])]


if __name__ == "__main__":
    raise SystemExit(main())
