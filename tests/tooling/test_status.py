"""The status page (tooling.status): on a small git repository, each notebook's
commit and its time, the SHA-256 of the data it read and whether its outputs
are current; unknown commits outside git or in a shallow clone, never wrong
ones; the versions of the tools. And the built page of the book: every
notebook of _toc.yml with its last commit and the installed versions."""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import shutil
import subprocess
from importlib.metadata import version as installed_version
from pathlib import Path

import nbformat
import pytest
import yaml

from tests.helpers import ROOT, require, toc_pages
from tooling import refresh, release, status

# ---- a small repository ----------------------------------------------------------

WHEN = "2026-01-02T03:04:05+00:00"  # the commit's time: 2026-01-02 03:04 UTC


def has_git() -> bool:
    return shutil.which("git") is not None


def git(root: Path, *args: str, when: str = WHEN) -> str:
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when,
           "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.invalid",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.invalid"}
    proc = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def executed(path: Path, root: Path, inputs: list[str]) -> None:
    """A notebook with one code cell, recorded as tooling.refresh records an execution."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(f"# {path.stem}"), nbformat.v4.new_code_cell("1 + 1")]
    nb.metadata["language_info"] = {"name": "python", "version": "3.11.7"}
    nb.metadata["analysis"] = {"code": refresh.code_hash(nb),
                               "inputs": {rel: refresh.sha256_file(root / rel) for rel in inputs}}
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)


@pytest.fixture()
def repo(tmp_path) -> Path:
    """A committed book of two notebooks: 'intro' reads two data files, 'chapters/one' one."""
    require(has_git(), "git is not installed")
    root = tmp_path / "book"
    (root / "data").mkdir(parents=True)
    (root / "data" / "a.csv").write_text("x\n1\n", encoding="utf-8")
    (root / "data" / "b.csv").write_text("y\n2\n", encoding="utf-8")
    (root / "analysis").mkdir()
    (root / "analysis" / "m.py").write_text("X = 1\n", encoding="utf-8")
    toc = {"format": "jb-book", "root": "intro",
           "parts": [{"chapters": [{"file": "chapters/one"}, {"file": "chapters/notes"}]}]}
    (root / "_toc.yml").write_text(yaml.safe_dump(toc), encoding="utf-8")
    (root / "chapters").mkdir()
    (root / "chapters" / "notes.md").write_text("# notes\n", encoding="utf-8")
    executed(root / "intro.ipynb", root, ["data/a.csv", "data/b.csv", "analysis/m.py"])
    executed(root / "chapters" / "one.ipynb", root, ["data/b.csv"])
    shutil.copy(ROOT / "CITATION.cff", root / "CITATION.cff")
    pins = "pandas==3.1.1\nJupyter_Book==1.0.4.post1\n-e .\n"
    (root / "requirements.txt").write_text(pins, encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "book")
    return root


def row_of(text: str, page: str) -> list[str]:
    """The cells of the notebooks table's row of ``page``."""
    line = next(line for line in text.splitlines() if line.startswith(f"| {{doc}}`/{page}`"))
    return [c.strip() for c in line.strip().strip("|").split("|")]


def digest_of(root: Path, files: list[str]) -> str:
    lines = "".join(f"{f} {refresh.sha256_file(root / f)}\n" for f in sorted(files))
    return hashlib.sha256(lines.encode()).hexdigest()


def test_each_notebook_shows_its_commit_time_data_hash_and_state(repo):
    head = git(repo, "rev-parse", "HEAD").strip()
    text = status.markdown(repo, "notebooks")
    assert [line.split("`")[1] for line in text.splitlines() if line.startswith("| {doc}")] \
        == ["/intro", "/chapters/one"]  # the notebooks of _toc.yml, in book order, once each
    intro = row_of(text, "intro")
    assert intro[1:5] == [f"`{head[:12]}`", "2026-01-02 03:04", "2 件",
                          f"`{digest_of(repo, ['data/a.csv', 'data/b.csv'])[:16]}`"]
    assert intro[5] == "最新"
    assert row_of(text, "chapters/one")[3:5] == ["1 件", f"`{digest_of(repo, ['data/b.csv'])[:16]}`"]


def test_the_data_hash_is_that_of_the_sorted_path_and_hash_lines():
    files = {"data/b.csv": "2" * 64, "data/a.csv": "1" * 64}
    expected = hashlib.sha256(f"data/a.csv {'1' * 64}\ndata/b.csv {'2' * 64}\n".encode()).hexdigest()
    assert status.data_digest(files) == expected
    assert status.is_data("data/observations/ai.csv") and status.is_data("references.bib")
    assert not status.is_data("analysis/data.py")


def test_a_changed_input_or_a_later_commit_shows(repo):
    (repo / "data" / "b.csv").write_text("y\n3\n", encoding="utf-8")
    text = status.markdown(repo, "notebooks")
    assert row_of(text, "intro")[5] == "要再実行（data/b.csv が変わった）"
    assert row_of(text, "chapters/one")[5] == "要再実行（data/b.csv が変わった）"
    data = status.markdown(repo, "data")
    assert re.search(r"\| `data/a\.csv` \| `[0-9a-f]{16}` \| 1 \| 一致 \|", data)
    assert re.search(r"\| `data/b\.csv` \| `[0-9a-f]{16}` \| 2 \| 不一致 \|", data)
    # the notebook executed again, not yet committed; then committed later
    executed(repo / "chapters" / "one.ipynb", repo, ["data/b.csv"])
    one = row_of(status.markdown(repo, "notebooks"), "chapters/one")
    assert one[5] == "最新。作業コピーの出力はコミットしていない"
    git(repo, "commit", "-q", "-am", "again", when="2026-02-03T04:05:06+00:00")
    text = status.markdown(repo, "notebooks")
    head = git(repo, "rev-parse", "HEAD")
    assert row_of(text, "chapters/one")[1:3] == [f"`{head[:12]}`", "2026-02-03 04:05"]
    assert row_of(text, "intro")[2] == "2026-01-02 03:04"  # its own last commit, not the head
    (repo / "analysis" / "m.py").write_text("X = 2\n", encoding="utf-8")
    assert row_of(status.markdown(repo, "notebooks"), "intro")[5] == "要再実行（analysis/m.py が変わった）"


def test_every_reason_the_refresher_knows_has_its_japanese_wording():
    assert set(status.WHY) == set(refresh.REASONS)


def test_a_notebook_that_reads_derived_values_shows_their_digests_and_whether_they_changed(repo, monkeypatch):
    """The ledger and one series of a file (analysis.data.observed_series), each
    read in place of its files: named on the page, compared with the data now."""
    series = "data/observations/ai.csv#genai_use_individual"
    nb = nbformat.read(repo / "chapters" / "one.ipynb", as_version=4)
    nb.metadata["analysis"]["derived"] = {"ledger": "1" * 64, series: "3" * 64}
    nbformat.write(nb, repo / "chapters" / "one.ipynb")
    asked = []

    def now(ledger: str):
        def current(names):
            asked.append(set(names))
            return {"ledger": ledger, series: "3" * 64}
        return current

    monkeypatch.setattr(status, "current_derived", now("1" * 64))
    one = row_of(status.markdown(repo, "notebooks"), "chapters/one")
    assert asked == [{"ledger", series}]  # once per page, for the names recorded
    assert one[3] == "1 件＋台帳＋1系列" and one[5].startswith("最新")
    text = status.markdown(repo, "data")
    assert f"| 台帳（データから作る値） | `{'1' * 16}` | 1 | 一致 |" in text
    assert f"| `data/observations/ai.csv` の系列 `genai_use_individual` | `{'3' * 16}` | 1 | 一致 |" in text
    monkeypatch.setattr(status, "current_derived", now("2" * 64))
    one = row_of(status.markdown(repo, "notebooks"), "chapters/one")
    assert one[5].startswith("要再実行（台帳が変わった）")
    assert f"| 台帳（データから作る値） | `{'2' * 16}` | 1 | 不一致 |" in status.markdown(repo, "data")
    assert row_of(status.markdown(repo, "notebooks"), "intro")[5] == "最新"
    assert status.WHY["derived"].format(status.derived_name(series)) \
        == "`data/observations/ai.csv` の系列 `genai_use_individual`が変わった"


def test_no_commit_is_named_outside_git_or_in_a_shallow_clone(repo, tmp_path):
    plain = tmp_path / "plain"
    shutil.copytree(repo, plain, ignore=shutil.ignore_patterns(".git"))
    git(repo, "commit", "-q", "--allow-empty", "-m", "second")
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(shallow)], check=True)
    for root, why in [(plain, "git のチェックアウトではない"), (shallow, "浅い clone")]:
        assert why in status.markdown(root, "version")
        intro = row_of(status.markdown(root, "notebooks"), "intro")
        assert intro[1:3] == ["不明", "不明"] and intro[5] == "最新"


def test_the_version_part_names_the_book_version_and_the_commit(repo):
    text = status.markdown(repo, "version")
    assert f"本書のバージョン：{release.version()}（{release.japanese_date(release.released())}" in text
    assert f"`{git(repo, 'rev-parse', 'HEAD')[:12]}`（2026-01-02 03:04 UTC）" in text
    assert "コミットしていない変更" not in text
    (repo / "data" / "a.csv").write_text("x\n9\n", encoding="utf-8")
    assert "作業コピーにはコミットしていない変更がある" in status.markdown(repo, "version")


def test_the_environment_shows_installed_versions_and_the_pins(repo):
    rows = dict((name, (have, pin)) for name, have, pin in status.versions(repo))
    assert list(rows) == ["Python", *status.PACKAGES]
    assert rows["pandas"] == (installed_version("pandas"), "3.1.1")
    assert rows["jupyter-book"][1] == "1.0.4.post1"  # the pin's name normalised
    assert rows["nbval"][1] == "—"  # not pinned in this requirements.txt
    assert "3.11.7（各ノートブックの `language_info`）" in status.markdown(repo, "environment")


# ---- the book's own page ------------------------------------------------------------


def page_rows(html_text: str) -> list[list[str]]:
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", html_text, re.S)
    cells = [re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", r, re.S) for r in rows]
    return [[re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", c))).strip() for c in r] for r in cells]


@pytest.mark.slow
def test_the_built_status_page_lists_every_notebook_with_its_commit(built_book):
    html_dir, _ = built_book
    page = (html_dir / "chapters" / "appendix" / "status.html").read_text(encoding="utf-8")
    notebooks = [p for p in toc_pages() if (ROOT / f"{p}.ipynb").exists()]
    links = re.findall(r'<a class="reference internal" href="([^"]+)\.html"><span class="doc">', page)
    assert [str((ROOT / "chapters" / "appendix" / link).resolve().relative_to(ROOT)) for link in links] \
        == notebooks
    rows = [r for r in page_rows(page) if len(r) == 6][1:]
    assert len(rows) == len(notebooks)
    if status.history(ROOT) is None:  # a full git checkout: every commit is named
        for page_name, row in zip(notebooks, rows, strict=True):
            found = status.git(ROOT, "log", "-1", "--format=%H", "--", f"{page_name}.ipynb").strip()
            assert row[1] == found[:12], (page_name, row)
    environment = {r[0]: r[1:] for r in page_rows(page) if len(r) == 3}
    for name in status.PACKAGES:
        assert environment[name][0] == installed_version(name)
    assert f"本書のバージョン：{release.version()}" in html.unescape(re.sub(r"<[^>]+>", "", page))
    # generated: the page's source holds no value of the tables
    source = (ROOT / "chapters" / "appendix" / "status.md").read_text(encoding="utf-8")
    assert not re.search(r"[0-9a-f]{12}", source) and "```{book-status} notebooks" in source


def test_every_notebook_records_what_the_page_reads():
    for page in toc_pages():
        path = ROOT / f"{page}.ipynb"
        if path.exists():
            record = json.loads(path.read_text(encoding="utf-8"))["metadata"].get("analysis", {})
            assert record.get("code") and "inputs" in record, page
