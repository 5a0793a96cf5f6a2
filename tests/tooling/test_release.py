"""Citable releases (tooling.release): CITATION.cff valid by cffconvert and in
agreement with the book, .zenodo.json derived from it, the version reaching
Sphinx, the rules for a release's version, deterministic archives; and a
release of the session's built book and PDF (nothing is built again): its
files, SHA256SUMS, a tarball that opens from disk, a Data Package that
validates.

cffconvert requires jsonschema<4, which the book's environment cannot hold:
make test installs it (.ci/cffconvert/requirements.txt) into .venv/cffconvert."""

from __future__ import annotations

import datetime
import json
import re
import shutil
import struct
import subprocess
import tarfile
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from tests.helpers import ROOT, require
from tooling import release
from tooling.build import source_date_epoch

CFFCONVERT = ROOT / ".venv" / "cffconvert" / "bin" / "cffconvert"
EPOCH = 1765000000  # 2025-12-06 05:46:40 UTC


def cffconvert(*args: str) -> subprocess.CompletedProcess:
    """Run the pinned cffconvert: skip (fail under CI) when it is not installed."""
    require(CFFCONVERT.exists(), "cffconvert is not installed: make test installs it into .venv/cffconvert")
    return subprocess.run([str(CFFCONVERT), *args], capture_output=True, text=True, timeout=120)


# ---- CITATION.cff and .zenodo.json -------------------------------------------------


def test_citation_cff_is_valid():
    proc = cffconvert("--validate", "-i", str(ROOT / "CITATION.cff"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "valid according to schema version 1.2.0" in proc.stdout


def test_cffconvert_rejects_a_malformed_date(tmp_path):
    bad = tmp_path / "CITATION.cff"
    text = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    bad.write_text(re.sub(r"date-released: .*", "date-released: 06-12-2026", text), encoding="utf-8")
    proc = cffconvert("--validate", "-i", str(bad))
    assert proc.returncode == 1 and "'06-12-2026'" in proc.stdout + proc.stderr


def test_zenodo_json_is_derived_from_citation_cff():
    assert (ROOT / ".zenodo.json").read_text(encoding="utf-8") == release.zenodo_text(), \
        "run: python -m tooling.release --zenodo"
    proc = cffconvert("-i", str(ROOT / "CITATION.cff"), "-f", "zenodo")
    assert proc.returncode == 0, proc.stderr
    theirs, ours = json.loads(proc.stdout), release.zenodo()
    assert {k: ours[k] for k in theirs} == theirs  # what cffconvert derives, the same
    assert {k: ours[k] for k in ours.keys() - theirs.keys()} == {
        "upload_type": "publication", "publication_type": "report", "language": "jpn"}


def test_citation_cff_agrees_with_the_book_and_the_changelog():
    cff = release.citation_cff()
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0"
    assert cff["title"] == config["title"]
    assert [a["name"] for a in cff["authors"]] == [config["author"]]
    assert release.SEMVER.fullmatch(release.version()) and "-" not in release.version()
    assert isinstance(release.released(), datetime.date)
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8").splitlines()
    assert "## [Unreleased]" in changelog
    assert f"## [{release.version()}] - {release.released().isoformat()}" in changelog
    # the newest section is this version: the version is not behind the changelog
    sections = [line for line in changelog if line.startswith("## [") and "Unreleased" not in line]
    assert sections[0].startswith(f"## [{release.version()}]")
    assert f"[{release.version()}]: ../../releases/tag/v{release.version()}" in changelog


def test_the_version_reaches_myst_the_html_and_the_title_page():
    config = SimpleNamespace(myst_substitutions={"x": "y"}, html_context={"default_mode": "light"},
                             latex_elements={"preamble": "% book\n", "papersize": "a4paper"})
    release.add_version(None, config)
    day = release.japanese_date(release.released())
    assert config.myst_substitutions == {"x": "y", "book_version": release.version(), "book_released": day}
    assert config.html_context == {"default_mode": "light", "book_version": release.version(),
                                   "book_released": day}
    assert config.latex_elements["preamble"] == (
        f"\\newcommand{{\\bookversion}}{{{release.version()}}}\n\\newcommand{{\\bookreleased}}{{{day}}}\n"
        "% book\n")
    assert config.latex_elements["papersize"] == "a4paper"
    title_page = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["sphinx"]["config"]
    assert "\\bookversion（\\bookreleased）" in title_page["latex_elements"]["preamble"]


# ---- the version of a release --------------------------------------------------------


@pytest.fixture()
def versioned(tmp_path) -> Path:
    for name in ("CITATION.cff", "CHANGELOG.md"):
        shutil.copy(ROOT / name, tmp_path / name)
    return tmp_path


def test_a_release_is_citation_cff_s_version_or_a_pre_release_of_it(versioned):
    current = release.version()
    assert release.release_version(None, versioned) == current
    assert release.release_version(current, versioned) == current
    assert release.release_version(f"v{current}", versioned) == current  # a tag's name
    assert release.release_version(f"{current}-rc.1", versioned) == f"{current}-rc.1"
    for wrong in ("9.9.9", f"{current}.1", "latest", f"{current}rc1"):
        with pytest.raises(release.ReleaseError):
            release.release_version(wrong, versioned)


def test_a_release_needs_the_version_s_changelog_section(versioned):
    changelog = versioned / "CHANGELOG.md"
    changelog.write_text(changelog.read_text(encoding="utf-8").replace(
        f"## [{release.version()}] - ", "## [0.0.1] - "), encoding="utf-8")
    with pytest.raises(release.ReleaseError, match="CHANGELOG.md has no section"):
        release.release_version(None, versioned)


def test_the_release_notes_are_the_version_s_changelog_section(versioned):
    notes = release.changelog_section(versioned)
    changelog = (versioned / "CHANGELOG.md").read_text(encoding="utf-8")
    start = changelog.index(f"## [{release.version()}] - ")
    assert notes.strip() and notes.strip() in changelog[start:]
    assert "## [" not in notes and "### Added" in notes and "### Changed" in notes
    assert not re.search(r"^\[[^\]]+\]: ", notes, re.M)  # no link definitions


# ---- deterministic archives ---------------------------------------------------------


@pytest.fixture()
def folder(tmp_path) -> Path:
    root = tmp_path / "site"
    for rel, text in {"index.html": "<p>i</p>", "b/z.txt": "z", "b/a/deep.css": "d", "a.js": "a",
                      ".buildinfo": "x", "b/.sources-sha256": "s"}.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def touch_all(folder: Path, seconds: int) -> None:
    import os

    for path in folder.rglob("*"):
        os.utime(path, (seconds, seconds))


def test_a_tarball_is_the_same_bytes_whatever_the_files_times(folder, tmp_path):
    first, second = tmp_path / "1.tar.gz", tmp_path / "2.tar.gz"
    release.write_tarball(folder, first, "book-1.0.0-html", EPOCH, release.NOT_THE_BOOK)
    touch_all(folder, 1_000_000_000)
    release.write_tarball(folder, second, "book-1.0.0-html", EPOCH, release.NOT_THE_BOOK)
    assert first.read_bytes() == second.read_bytes()
    raw = first.read_bytes()
    assert struct.unpack("<I", raw[4:8])[0] == EPOCH and raw[3] & 0x08 == 0  # gzip: time, no file name
    with tarfile.open(first) as tar:
        members = tar.getmembers()
    names = [m.name for m in members]
    assert names == ["book-1.0.0-html", "book-1.0.0-html/a.js", "book-1.0.0-html/b", "book-1.0.0-html/b/a",
                     "book-1.0.0-html/b/a/deep.css", "book-1.0.0-html/b/z.txt", "book-1.0.0-html/index.html"]
    assert {(m.mtime, m.uid, m.gid, m.uname, m.gname) for m in members} == {(EPOCH, 0, 0, "", "")}
    assert {m.name: m.mode for m in members if m.isdir()} == dict.fromkeys(names[:1] + names[2:4], 0o755)
    assert {m.mode for m in members if m.isfile()} == {0o644}


def test_a_zip_is_the_same_bytes_whatever_the_files_times(folder, tmp_path):
    first, second = tmp_path / "1.zip", tmp_path / "2.zip"
    release.write_zip(folder, first, EPOCH)
    touch_all(folder, 1_000_000_000)
    release.write_zip(folder, second, EPOCH)
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        infos = archive.infolist()
    assert [i.filename for i in infos] == [".buildinfo", "a.js", "b/.sources-sha256", "b/a/deep.css",
                                           "b/z.txt", "index.html"]
    assert {i.date_time for i in infos} == {(2025, 12, 6, 5, 46, 40)}
    assert {i.external_attr >> 16 for i in infos} == {0o100644}
    release.write_zip(folder, second, 0)  # before 1980: the zip format's first day
    with zipfile.ZipFile(second) as archive:
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_sha256sums_is_what_sha256sum_checks(folder):
    files = [folder / "index.html", folder / "a.js"]
    (folder / "SHA256SUMS").write_text(release.sha256sums(files), encoding="utf-8")
    assert (folder / "SHA256SUMS").read_text(encoding="utf-8").splitlines()[0].endswith("  a.js")
    require(shutil.which("sha256sum") is not None, "sha256sum (coreutils) is not installed")
    proc = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=folder, capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stdout == "a.js: OK\nindex.html: OK\n", proc.stdout + proc.stderr


# ---- a release of the built book ------------------------------------------------------


@pytest.mark.slow
def test_a_release_of_the_built_book_and_pdf(built_book, built_pdf, tmp_path):
    """The session's built HTML book and PDF packed as release 1.0.0-test:
    the files, their checksums, the tarball opens (index.html and the page it
    leads to), the Data Package validates, the ledger is the exports'."""
    html_dir, _ = built_book
    epoch = int(source_date_epoch() or EPOCH)
    dist = tmp_path / "dist"
    made = release.assemble(dist, "1.0.0-test", epoch, html=html_dir, pdf=built_pdf[0])
    stem = f"{release.project_name()}-1.0.0-test"
    expected = [f"{stem}-html.tar.gz", f"{stem}.pdf", f"{stem}-data.zip", f"{stem}-ledger.csv",
                f"{stem}-ledger.json", "SHA256SUMS"]
    assert [p.name for p in made] == expected
    assert sorted(p.name for p in dist.iterdir()) == sorted(expected)
    sums = dict(reversed(line.split("  ")) for line in (dist / "SHA256SUMS").read_text().splitlines())
    assert sums == {p.name: release.sha256(p) for p in made[:-1]}
    if shutil.which("sha256sum"):
        assert subprocess.run(["sha256sum", "--quiet", "-c", "SHA256SUMS"], cwd=dist).returncode == 0
    # the tarball opens from disk: index.html, and the page it sends the reader to
    out = tmp_path / "unpacked"
    with tarfile.open(dist / f"{stem}-html.tar.gz") as tar:
        tar.extractall(out, filter="data")
    book = out / f"{stem}-html"
    assert sorted(p.relative_to(out).parts[0] for p in out.iterdir()) == [f"{stem}-html"]
    target = re.search(r'url=([^"]+)"', (book / "index.html").read_text(encoding="utf-8")).group(1)
    assert (book / target).is_file()
    shipped = {p.relative_to(book) for p in book.rglob("*") if p.is_file()}
    built = {p.relative_to(html_dir) for p in html_dir.rglob("*") if p.is_file()}
    assert shipped == {p for p in built if p.name not in release.NOT_THE_BOOK}
    assert (book / "chapters" / "appendix" / "status.html").is_file()
    assert (dist / f"{stem}.pdf").read_bytes() == built_pdf[0].read_bytes()
    # the Data Package: data/ at the zip's root, valid as it is
    with zipfile.ZipFile(dist / f"{stem}-data.zip") as archive:
        assert sorted(archive.namelist()) == sorted(
            p.relative_to(ROOT / "data").as_posix() for p in (ROOT / "data").rglob("*") if p.is_file())
    from frictionless import Package

    report = Package(str(dist / f"{stem}-data.zip")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "message"])[:5]
    for kind in ("csv", "json"):
        exported = (ROOT / "exports" / f"ledger.{kind}").read_bytes()
        assert (dist / f"{stem}-ledger.{kind}").read_bytes() == exported
    # the same release again: the same bytes
    again = release.assemble(tmp_path / "again", "1.0.0-test", epoch, html=html_dir, pdf=built_pdf[0])
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in made]

