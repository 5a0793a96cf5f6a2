"""The status page (付録 実行状況), after QuantEcon's: for every notebook of the
book, the commit that stored its outputs and that commit's time, the SHA-256
of the data files it read, whether its outputs are current; and the versions
of Python and the key packages. Generated at every build, never typed, from
what :mod:`tooling.refresh` records in each notebook (``metadata.analysis``:
the SHA-256 of its code cells, of every file it read and of every derived
value it read in place of files, the whole ledger) and from the git
history. A page holds its parts with the directive ``book-status`` (its argument is
the part: ``version``, ``notebooks``, ``data`` or ``environment``)::

    ```{book-status} notebooks
    ```

The execution's own clock time is not stored (an execution gives the stored
bytes: nbval on every notebook, and byte for byte on the fixture book in
``tests/tooling/test_refresh.py``), so the time shown is
that of the commit that stored the executed notebook. Nothing here reads a
clock: one tree gives the same page. Outside a git checkout, or in a shallow
clone whose history starts at its one commit, the page says the commits are
unknown instead of naming a wrong one.

Registered as a Sphinx extension in ``_config.yml``; the pages that use the
directive are read again at every build (Sphinx does not track what they show).
"""

from __future__ import annotations

import datetime
import hashlib
import platform
import re
import subprocess
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as installed_version
from pathlib import Path
from typing import TYPE_CHECKING

from tooling import refresh, toc_pages

if TYPE_CHECKING:
    from nbformat import NotebookNode

# The packages whose versions the page shows, as requirements.txt names them.
PACKAGES = ["jupyter-book", "pandas", "altair", "statsmodels", "nbval"]
# What a notebook read that is data (the rest of its inputs are the package's modules).
DATA_PREFIXES = ("data/",)
DATA_FILES = ("references.bib",)
SHORT = 16  # hexadecimal digits of a SHA-256 shown on the page
# The values a notebook may read in place of the files they are made from
# (see tooling.refresh), as the page names them.
DERIVED_NAMES = {"ledger": "台帳", "data_files": "データ一覧"}  # short: they share a narrow column
# Why a notebook is not current (the kinds of tooling.refresh.REASONS), as the page says it.
WHY = {"unrecorded": "実行の記録がない", "code": "コードが変わった", "gone": "{} がない",
       "input": "{} が変わった", "derived": "{}が変わった"}
COMMIT = 12  # of a commit


# ---- what each notebook recorded ----------------------------------------------------


def git(root: Path, *args: str) -> str | None:
    """``git -C root args`` standard output, or None when git fails or is absent.
    Never writes: no optional locks (``git status`` would refresh the index,
    which two builds at once would contend for)."""
    try:
        proc = subprocess.run(["git", "--no-optional-locks", "-C", str(root), *args],
                              capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    return proc.stdout if proc.returncode == 0 else None


def history(root: Path) -> str | None:
    """Why the commits of the notebooks cannot be known here, or None."""
    shallow = git(root, "rev-parse", "--is-shallow-repository")
    if shallow is None:
        return "git のチェックアウトではないため、コミットは分かりません。"
    if shallow.strip() == "true":
        return "履歴の浅い clone（shallow clone）のため、各ノートブックのコミットは分かりません。"
    return None


def data_digest(files: dict[str, str]) -> str:
    """One SHA-256 over the data files a notebook read: each line
    ``<path> <sha256>``, sorted by path (``sha256sum``'s lines, reversed)."""
    lines = "".join(f"{path} {digest}\n" for path, digest in sorted(files.items()))
    return hashlib.sha256(lines.encode("utf-8")).hexdigest()


def is_data(rel: str) -> bool:
    return rel.startswith(DATA_PREFIXES) or rel in DATA_FILES


@dataclass(frozen=True)
class NotebookStatus:
    """What the page shows of one notebook."""

    page: str                                   # 'chapters/04_ai'
    commit: str | None = None                   # the last commit that changed the notebook
    committed: int | None = None                # its time (seconds since the epoch)
    modified: bool = False                      # the notebook differs from that commit
    data: dict[str, str] = field(default_factory=dict)  # data file -> SHA-256, as recorded
    derived: dict[str, str] = field(default_factory=dict)  # derived value -> SHA-256, as recorded
    stale: str | None = None                    # why its outputs are not current, or None
    python: str | None = None                   # the kernel's Python (language_info)


def derived_name(name: str) -> str:
    """How the page names a derived value: 台帳, or a series of a file
    ('data/observations/ai.csv#genai_use_individual')."""
    if name in DERIVED_NAMES:
        return DERIVED_NAMES[name]
    rel, mark, series = name.partition("#")
    return f"{code(rel)} の系列 {code(series)}" if mark else name


def derived_count(names: Iterable[str]) -> str:
    """The derived values of one notebook in its narrow count column: '＋台帳', '＋1系列'."""
    named = [derived_name(name) for name in sorted(names) if name in DERIVED_NAMES]
    series = sum(1 for name in names if name not in DERIVED_NAMES)
    return "".join(f"＋{n}" for n in named) + (f"＋{series}系列" if series else "")


def current_derived(names: Iterable[str]) -> dict[str, str]:
    """The digests of the named derived values from the data as they are now,
    by the book's own library (``analysis.derived``; not imported for none)."""
    names = set(names)
    if not names:
        return {}
    from analysis import derived

    return derived.digests(names)


def notebook_status(root: Path, page: str, known: bool = True,
                    derived_now: Callable[[Iterable[str]], Mapping[str, str]] = current_derived,
                    nb: NotebookNode | None = None) -> NotebookStatus:
    """The status of ``root``/``page``.ipynb (``nb``, if read already); ``known``: whether git
    history can name its commit; ``derived_now``: gives the current digest of each named derived
    value, called only if the notebook recorded one."""
    rel = f"{page}.ipynb"
    nb = refresh.read_notebook(root / rel) if nb is None else nb
    record = nb.get("metadata", {}).get("analysis") or {}
    inputs, derived = record.get("inputs", {}), record.get("derived", {})
    found = refresh.staleness(nb, root, derived_now(derived) if derived else None)
    stale = None
    if found is not None:
        kind, name = found
        stale = WHY[kind].format(derived_name(name) if kind == "derived" else name)
    commit = committed = None
    modified = False
    if known:
        found = (git(root, "log", "-1", "--format=%H %ct", "--", rel) or "").split()
        if found:
            commit, committed = found[0], int(found[1])
        modified = bool((git(root, "status", "--porcelain", "--", rel) or "").strip())
    return NotebookStatus(page=page, commit=commit, committed=committed, modified=modified,
                          data={p: d for p, d in inputs.items() if is_data(p)}, derived=derived, stale=stale,
                          python=nb.get("metadata", {}).get("language_info", {}).get("version"))


def notebooks(root: Path) -> list[str]:
    """The pages of _toc.yml that are notebooks, in book order."""
    return [page for page in toc_pages(root) if (root / f"{page}.ipynb").exists()]


# ---- the environment ------------------------------------------------------------------


def pinned(root: Path) -> dict[str, str]:
    """The exact pins of requirements.txt, by normalised name."""
    found = {}
    for line in (root / "requirements.txt").read_text(encoding="utf-8").splitlines():
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)==(\S+)", line.strip())
        if match:
            found[normal(match.group(1))] = match.group(2)
    return found


def normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def versions(root: Path) -> list[tuple[str, str, str]]:
    """(software, the version this build ran, requirements.txt's pin) for
    Python and :data:`PACKAGES`."""
    pins = pinned(root)
    rows = [("Python", platform.python_version(), "—")]
    for name in PACKAGES:
        try:
            have = installed_version(name)
        except PackageNotFoundError:
            have = "入っていない"
        rows.append((name, have, pins.get(normal(name), "—")))
    return rows


# ---- the page ------------------------------------------------------------------------


def utc(seconds: int) -> str:
    return datetime.datetime.fromtimestamp(seconds, datetime.UTC).strftime("%Y-%m-%d %H:%M")


def code(text: str) -> str:
    return f"`{text}`"


@dataclass(frozen=True)
class Status:
    """Everything the page shows, read once per build."""

    version: str
    released: str
    why_unknown: str | None
    head: tuple[str, int] | None
    dirty: bool
    notebooks: list[NotebookStatus]
    versions: list[tuple[str, str, str]]
    derived: dict[str, str] = field(default_factory=dict)  # derived value -> its SHA-256 now, if recorded


def status_of(root: Path) -> Status:
    from tooling import release

    why_unknown = history(root)
    known = why_unknown is None
    head = dirty = None
    if known:
        found = (git(root, "log", "-1", "--format=%H %ct") or "").split()
        head = (found[0], int(found[1])) if found else None
        dirty = bool((git(root, "status", "--porcelain", "--untracked-files=no") or "").strip())
    read_notebooks = {page: refresh.read_notebook(root / f"{page}.ipynb") for page in notebooks(root)}
    # every derived value any notebook recorded, evaluated once (only if one did)
    now = current_derived(refresh.recorded_derived(read_notebooks.values()))
    found = [notebook_status(root, page, known, lambda _names: now, nb)
             for page, nb in read_notebooks.items()]
    return Status(version=release.version(root), released=release.japanese_date(release.released(root)),
                  why_unknown=why_unknown, head=head, dirty=bool(dirty), notebooks=found,
                  versions=versions(root), derived=now)


def part_version(status: Status, root: Path) -> list[str]:
    lines = [f"- 本書のバージョン：{status.version}（{status.released}、`CITATION.cff` による）"]
    if status.head:
        lines.append(f"- このページを作ったコミット：{code(status.head[0][:COMMIT])}"
                     f"（{utc(status.head[1])} UTC）"
                     + ("。作業コピーにはコミットしていない変更がある" if status.dirty else ""))
    if status.why_unknown:
        lines.append(f"- {status.why_unknown}")
    return lines


def part_notebooks(status: Status, root: Path) -> list[str]:
    lines = ["| ページ | 出力を記録したコミット | その日時（UTC） | データ数 "
             "| データの SHA-256 | 状態 |", "|---|---|---|---|---|---|"]
    for s in status.notebooks:
        commit = code(s.commit[:COMMIT]) if s.commit else "不明"
        when = utc(s.committed) if s.committed is not None else "不明"
        state = "最新" if s.stale is None else f"要再実行（{s.stale}）"
        if s.modified:
            state += "。作業コピーの出力はコミットしていない"
        digest = code(data_digest(s.data)[:SHORT]) if s.data else "—"
        count = f"{len(s.data)} 件" + derived_count(s.derived)
        lines.append(f"| {{doc}}`/{s.page}` | {commit} | {when} | {count} | {digest} | {state} |")
    return laid_out(lines)


def part_data(status: Status, root: Path) -> list[str]:
    readers: dict[str, set[str]] = {}
    recorded: dict[str, set[str]] = {}
    for s in status.notebooks:
        for path, digest in s.data.items():
            readers.setdefault(path, set()).add(s.page)
            recorded.setdefault(path, set()).add(digest)
    lines = ["| ファイル | SHA-256 | ノートブック数 | 記録との照合 |", "|---|---|---|---|"]
    for path in sorted(readers):
        now = refresh.sha256_file(root / path) if (root / path).exists() else None
        digest = code(now[:SHORT]) if now else "ファイルがない"
        check = "一致" if recorded[path] == {now} else "不一致"
        lines.append(f"| {code(path)} | {digest} | {len(readers[path])} | {check} |")
    for name in sorted({name for s in status.notebooks for name in s.derived}):
        now = status.derived.get(name)
        shown = [s for s in status.notebooks if name in s.derived]
        check = "一致" if {s.derived[name] for s in shown} == {now} else "不一致"
        what = derived_name(name) + ("（データから作る値）" if name in DERIVED_NAMES else "")
        lines.append(f"| {what} | {code(now[:SHORT]) if now else '—'} "
                     f"| {len(shown)} | {check} |")
    return laid_out(lines)


def part_environment(status: Status, root: Path) -> list[str]:
    kernels = sorted({s.python for s in status.notebooks if s.python})
    lines = ["| ソフトウェア | このページを作った環境 | `requirements.txt` の固定版 |", "|---|---|---|"]
    lines = laid_out(lines + [f"| {name} | {have} | {pin} |" for name, have, pin in status.versions])
    lines += ["", "ノートブックを実行したカーネルの Python："
              + ("、".join(kernels) if kernels else "記録なし") + "（各ノートブックの `language_info`）"]
    return lines


def laid_out(lines: list[str]) -> list[str]:
    """A pipe table (``lines``: header, rule, rows) in the book's table layout
    for the PDF (:func:`analysis.pdf_tables.myst_table`; the HTML is the same)."""
    from analysis import pdf_tables

    rows = [[c.strip() for c in line.strip().strip("|").split("|")] for line in lines]
    return pdf_tables.myst_table("\n".join(lines), [rows[0], *rows[2:]]).splitlines()


PARTS = {"version": part_version, "notebooks": part_notebooks, "data": part_data,
         "environment": part_environment}


def markdown(root: Path, part: str, status: Status | None = None) -> str:
    """One part of the page (:data:`PARTS`) as MyST Markdown."""
    return "\n".join(PARTS[part](status or status_of(root), root)) + "\n"


def _directive():
    from docutils import nodes
    from docutils.parsers.rst import directives
    from docutils.statemachine import StringList
    from sphinx.util.docutils import SphinxDirective

    class BookStatus(SphinxDirective):
        """``{book-status} PART``: one generated part of the status page
        (version, notebooks, data or environment)."""

        required_arguments = 1
        option_spec: dict = {}

        def run(self):
            part = directives.choice(self.arguments[0], list(PARTS))
            env = self.env
            env.book_status_pages = getattr(env, "book_status_pages", set()) | {env.docname}
            root = Path(env.srcdir)
            status = getattr(env.app, "_book_status", None)
            if status is None:  # read once per build (reset by env-before-read-docs)
                status = env.app._book_status = status_of(root)
            container = nodes.container(classes=["book-status"])
            self.state.nested_parse(StringList(markdown(root, part, status).splitlines(), source=env.docname),
                                    self.content_offset, container)
            return container.children

    return BookStatus


def _read_again(app, env, added, changed, removed) -> list[str]:
    """env-get-outdated: the status pages are read at every build."""
    return sorted(getattr(env, "book_status_pages", set()) - set(removed))


def _forget(app, env, docnames) -> None:
    """env-before-read-docs: what the page shows is read afresh by this build."""
    app._book_status = None


def _purge(app, env, docname) -> None:
    getattr(env, "book_status_pages", set()).discard(docname)


def _merge(app, env, docnames, other) -> None:
    mine, theirs = getattr(env, "book_status_pages", set()), getattr(other, "book_status_pages", set())
    env.book_status_pages = mine | theirs


def setup(app) -> dict:
    """Sphinx extension: the ``book-status`` directive."""
    app.add_directive("book-status", _directive())
    app.connect("env-get-outdated", _read_again)
    app.connect("env-before-read-docs", _forget)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
