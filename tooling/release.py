"""Citable releases: the book's version, its citation metadata and ``make release``.

- ``CITATION.cff`` is the one place that holds the version and its date
  (``version``, ``date-released``); :func:`version` and :func:`released` read it.
- As a Sphinx extension (``_config.yml``'s ``extra_extensions``) this module
  gives the book its version: the MyST substitutions ``{{ book_version }}``
  (1.0.0) and ``{{ book_released }}`` (2026年12月6日), the same two names in
  ``html_context``, and the LaTeX macros ``\\bookversion`` and
  ``\\bookreleased`` that the PDF's title page prints. (Not Sphinx's own
  ``release``, which would add "リリース 1.0.0" to every PDF page's header.)
- ``.zenodo.json`` is derived from ``CITATION.cff`` (:func:`zenodo`): the
  fields cffconvert's Zenodo export gives, and what kind of work the book is.
- ``make release VERSION=1.0.0`` (after ``make book`` and ``make pdf``) writes
  ``dist/``: the HTML book as a tarball that opens from disk, the PDF, the
  Data Package (``data/``) as a zip, the ledger as CSV and JSON, and
  ``SHA256SUMS``. The archives are deterministic: entries sorted, every time
  stamp the ``SOURCE_DATE_EPOCH`` of the build (the last commit's time unless
  it is set), owners and modes fixed.

    python -m tooling.release                    # dist/ for CITATION.cff's version
    python -m tooling.release --version 1.0.0-rc.1
    python -m tooling.release --zenodo           # rewrite .zenodo.json
    python -m tooling.release --notes            # the version's CHANGELOG.md section
"""

from __future__ import annotations

import argparse
import datetime
import gzip
import hashlib
import io
import json
import re
import shutil
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path

from tooling import ROOT

CITATION = ROOT / "CITATION.cff"
ZENODO = ROOT / ".zenodo.json"
CHANGELOG = ROOT / "CHANGELOG.md"
DIST = ROOT / "dist"
HTML = ROOT / "_build" / "html"
PDF = ROOT / "book.pdf"
DATA = ROOT / "data"
EXPORTS = ROOT / "exports"
# What the built HTML folder holds that is not the book: Sphinx's build
# record and `make book`'s stamp (the CI's book-html.tar.gz leaves them out too).
NOT_THE_BOOK = {".buildinfo", ".sources-sha256"}
# Semantic Versioning 2.0.0, with an optional pre-release (1.0.0-rc.1).
SEMVER = re.compile(r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?")
# The earliest time a zip entry can carry (1980-01-01).
ZIP_EPOCH = 315532800


class ReleaseError(Exception):
    """A release cannot be made; the message says why."""


# ---- the version: CITATION.cff ---------------------------------------------------


def citation_cff(root: Path = ROOT) -> dict:
    """``CITATION.cff`` as data (YAML)."""
    import yaml

    return yaml.safe_load((root / CITATION.name).read_text(encoding="utf-8"))


def version(root: Path = ROOT) -> str:
    """The book's version: CITATION.cff's ``version`` ('1.0.0')."""
    value = str(citation_cff(root)["version"])
    if not SEMVER.fullmatch(value):
        raise ReleaseError(f"CITATION.cff: version {value!r} is not MAJOR.MINOR.PATCH")
    return value


def released(root: Path = ROOT) -> datetime.date:
    """The date of the book's version: CITATION.cff's ``date-released``."""
    value = citation_cff(root)["date-released"]
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))


def japanese_date(day: datetime.date) -> str:
    """2026年12月6日."""
    return f"{day.year}年{day.month}月{day.day}日"


def project_name(root: Path = ROOT) -> str:
    """The distribution name of pyproject.toml, which names the release files."""
    with (root / "pyproject.toml").open("rb") as handle:
        return tomllib.load(handle)["project"]["name"]


# ---- .zenodo.json ------------------------------------------------------------------

# What kind of work the book is, for Zenodo (CITATION.cff has no such field):
# a report, in Japanese (ISO 639-3, from _config.yml's language: ja).
ZENODO_KIND = {"upload_type": "publication", "publication_type": "report"}
LANGUAGES = {"ja": "jpn", "en": "eng"}


def zenodo(root: Path = ROOT) -> dict:
    """The Zenodo metadata of the book, derived from CITATION.cff: the fields
    cffconvert's Zenodo export gives (creators, description, keywords,
    license, publication_date, title, version), plus the kind of work and the
    language of _config.yml."""
    import yaml

    cff = citation_cff(root)
    meta: dict = {"creators": [_creator(a) for a in cff["authors"]]}
    if cff.get("abstract"):
        meta["description"] = cff["abstract"]
    if cff.get("keywords"):
        meta["keywords"] = list(cff["keywords"])
    if cff.get("license"):
        meta["license"] = {"id": cff["license"]}
    meta["publication_date"] = released(root).isoformat()
    meta["title"] = cff["title"]
    meta["version"] = version(root)
    meta.update(ZENODO_KIND)
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    meta["language"] = LANGUAGES[config["sphinx"]["config"]["language"]]
    return meta


def _creator(author: dict) -> dict:
    """A CFF author as a Zenodo creator (an entity by its name; a person as 'Family, Given')."""
    if "name" in author:
        creator = {"name": author["name"]}
    else:
        creator = {"name": ", ".join(p for p in (author.get("family-names"), author.get("given-names")) if p)}
    if author.get("affiliation"):
        creator["affiliation"] = author["affiliation"]
    if author.get("orcid"):
        creator["orcid"] = author["orcid"].rsplit("/", 1)[-1]
    return creator


def zenodo_text(root: Path = ROOT) -> str:
    """The text .zenodo.json must hold."""
    return json.dumps(zenodo(root), ensure_ascii=False, indent=2) + "\n"


def write_zenodo(root: Path = ROOT) -> Path:
    path = root / ZENODO.name
    path.write_text(zenodo_text(root), encoding="utf-8")
    return path


# ---- the Sphinx extension: the version in the book ------------------------------------


def add_version(app, config) -> None:
    """config-inited: the version and its date for MyST, the HTML templates
    and the LaTeX title page."""
    number, day = version(), japanese_date(released())
    config.myst_substitutions = {**config.myst_substitutions,
                                 "book_version": number, "book_released": day}
    config.html_context = {**config.html_context, "book_version": number, "book_released": day}
    macros = (f"\\newcommand{{\\bookversion}}{{{number}}}\n"
              f"\\newcommand{{\\bookreleased}}{{{day}}}\n")
    elements = dict(config.latex_elements)
    elements["preamble"] = macros + elements.get("preamble", "")
    config.latex_elements = elements


def setup(app) -> dict:
    """Sphinx extension: the book's version (see :func:`add_version`)."""
    app.connect("config-inited", add_version)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


# ---- make release ----------------------------------------------------------------------


def release_version(requested: str | None, root: Path = ROOT) -> str:
    """The version a release is made as: CITATION.cff's, or ``requested`` if
    it is that version or a pre-release of it (1.0.0-rc.1, 1.0.0-test).
    CHANGELOG.md must have the version's section, with CITATION.cff's date."""
    current = version(root)
    changelog = (root / CHANGELOG.name).read_text(encoding="utf-8")
    heading = f"## [{current}] - {released(root).isoformat()}"
    if heading not in changelog.splitlines():
        raise ReleaseError(f"CHANGELOG.md has no section '{heading}' (CITATION.cff's version and date)")
    if not requested:
        return current
    requested = requested.removeprefix("v")
    if not SEMVER.fullmatch(requested):
        raise ReleaseError(f"version {requested!r} is not MAJOR.MINOR.PATCH[-PRERELEASE]")
    if requested != current and not requested.startswith(current + "-"):
        raise ReleaseError(f"version {requested} is not CITATION.cff's ({current}) nor a pre-release of "
                           "it: set version and date-released in CITATION.cff and add its CHANGELOG.md "
                           "section first")
    return requested


def changelog_section(root: Path = ROOT) -> str:
    """The CHANGELOG.md section of CITATION.cff's version, without its heading
    (the notes of the GitHub release)."""
    lines = (root / CHANGELOG.name).read_text(encoding="utf-8").splitlines()
    heading = f"## [{version(root)}] - {released(root).isoformat()}"
    if heading not in lines:
        raise ReleaseError(f"CHANGELOG.md has no section '{heading}' (CITATION.cff's version and date)")
    body = []
    for line in lines[lines.index(heading) + 1:]:
        if line.startswith("## [") or re.match(r"\[[^\]]+\]: ", line):
            break
        body.append(line)
    return "\n".join(body).strip() + "\n"


def files_of(folder: Path, skip: set[str] = frozenset()) -> list[Path]:
    """Every file under ``folder``, sorted by relative path, less the names in ``skip``."""
    return sorted((p for p in folder.rglob("*") if p.is_file() and p.name not in skip),
                  key=lambda p: p.relative_to(folder).as_posix())


def write_tarball(folder: Path, dest: Path, top: str, epoch: int, skip: set[str] = frozenset()) -> Path:
    """``folder`` as ``dest`` (.tar.gz) under the folder ``top``: entries sorted,
    directories before their files, every time ``epoch``, owner root, modes
    0755 (folders) and 0644 (files), no name or time in the gzip header."""
    files = {p.relative_to(folder).as_posix(): p for p in files_of(folder, skip)}
    folders = {"/".join(rel.split("/")[:i]) for rel in files for i in range(rel.count("/") + 1)}
    entries = {**dict.fromkeys(folders), **files}  # "" is ``top`` itself
    raw = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=epoch, compresslevel=9) as gz:
        with tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar:
            for name, path in sorted(entries.items()):
                info = tarfile.TarInfo(f"{top}/{name}".rstrip("/"))
                info.mtime, info.uid, info.gid, info.uname, info.gname = epoch, 0, 0, "", ""
                if path is None:
                    info.type, info.mode = tarfile.DIRTYPE, 0o755
                    tar.addfile(info)
                else:
                    data = path.read_bytes()
                    info.size, info.mode = len(data), 0o644
                    tar.addfile(info, io.BytesIO(data))
    dest.write_bytes(raw.getvalue())
    return dest


def write_zip(folder: Path, dest: Path, epoch: int) -> Path:
    """``folder``'s files at the root of the zip ``dest``: entries sorted,
    every time ``epoch`` (at least 1980-01-01, the zip format's first day),
    mode 0644, deflated."""
    stamp = datetime.datetime.fromtimestamp(max(epoch, ZIP_EPOCH), datetime.UTC).timetuple()[:6]
    with zipfile.ZipFile(dest, "w") as archive:
        for path in files_of(folder):
            info = zipfile.ZipInfo(path.relative_to(folder).as_posix(), date_time=stamp)
            info.compress_type, info.create_system = zipfile.ZIP_DEFLATED, 3
            info.external_attr = (0o100644 << 16)
            archive.writestr(info, path.read_bytes(), compresslevel=9)
    return dest


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sha256sums(paths: list[Path]) -> str:
    """``sha256sum``'s format (``sha256sum -c SHA256SUMS`` checks it), by name."""
    return "".join(f"{sha256(p)}  {p.name}\n" for p in sorted(paths, key=lambda p: p.name))


def asset_names(number: str, name: str) -> dict[str, str]:
    """The release files by what they hold."""
    stem = f"{name}-{number}"
    return {"html": f"{stem}-html.tar.gz", "pdf": f"{stem}.pdf", "data": f"{stem}-data.zip",
            "ledger_csv": f"{stem}-ledger.csv", "ledger_json": f"{stem}-ledger.json",
            "sums": "SHA256SUMS"}


def assemble(dist: Path, number: str, epoch: int, html: Path = HTML, pdf: Path = PDF,
             data: Path = DATA, exports: Path = EXPORTS, name: str | None = None) -> list[Path]:
    """Write the release files of ``number`` into ``dist`` (emptied first);
    return them, SHA256SUMS last."""
    if not (html / "index.html").is_file():
        raise ReleaseError(f"no built HTML book at {html} (make book)")
    if not pdf.is_file():
        raise ReleaseError(f"no PDF at {pdf} (make pdf)")
    names = asset_names(number, name or project_name())
    if dist.exists():
        shutil.rmtree(dist)
    dist.mkdir(parents=True)
    made = [
        write_tarball(html, dist / names["html"], names["html"].removesuffix(".tar.gz"), epoch, NOT_THE_BOOK),
        dist / names["pdf"],
        write_zip(data, dist / names["data"], epoch),
        dist / names["ledger_csv"],
        dist / names["ledger_json"],
    ]
    shutil.copyfile(pdf, dist / names["pdf"])
    shutil.copyfile(exports / "ledger.csv", dist / names["ledger_csv"])
    shutil.copyfile(exports / "ledger.json", dist / names["ledger_json"])
    sums = dist / names["sums"]
    sums.write_text(sha256sums(made), encoding="utf-8")
    return [*made, sums]


def epoch_of_build() -> int:
    """The build's SOURCE_DATE_EPOCH (as tooling.build sets it for the pages)."""
    from tooling.build import source_date_epoch

    value = source_date_epoch()
    if value is None:
        raise ReleaseError("no SOURCE_DATE_EPOCH and not a git checkout: set SOURCE_DATE_EPOCH")
    return int(value)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tooling.release", description=__doc__.splitlines()[0])
    parser.add_argument("--version", dest="number",
                        help="CITATION.cff's version (default) or a pre-release of it")
    parser.add_argument("--dist", type=Path, default=DIST, help="where to write the files (default: dist/)")
    parser.add_argument("--zenodo", action="store_true", help="only rewrite .zenodo.json from CITATION.cff")
    parser.add_argument("--notes", action="store_true",
                        help="only print the version's CHANGELOG.md section (the release's notes)")
    args = parser.parse_args(argv)
    try:
        if args.notes:
            print(changelog_section(), end="")
            return 0
        if args.zenodo:
            print(f"release: wrote {write_zenodo().relative_to(ROOT)}")
            return 0
        if (ROOT / ZENODO.name).read_text(encoding="utf-8") != zenodo_text():
            raise ReleaseError(".zenodo.json is not what CITATION.cff gives: "
                               "python -m tooling.release --zenodo")
        number = release_version(args.number)
        epoch = epoch_of_build()
        made = assemble(args.dist.resolve(), number, epoch)
    except ReleaseError as err:
        print(f"release: error: {err}", file=sys.stderr)
        return 1
    stamp = datetime.datetime.fromtimestamp(epoch, datetime.UTC).isoformat()
    print(f"release {number} (time stamps {stamp}, SOURCE_DATE_EPOCH={epoch}):")
    for path in made:
        print(f"  {sha256(path)}  {path.stat().st_size:>10}  {path.relative_to(args.dist.resolve().parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
