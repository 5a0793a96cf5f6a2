"""CONTRIBUTING.md shows each step with a real example from the book: its
data rows, bibliography entry, notebook code and Markdown are the book's own,
and every function it or the README names exists; the modules and data files
that the guide, the README and the pages' prose point to exist. A rename or an
edit that leaves the guide or a page behind fails here."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import nbformat

from analysis.data import quote_in_text
from tests.helpers import ROOT, toc_sources

GUIDE = ROOT / "CONTRIBUTING.md"
# A fenced block, possibly indented under a list item: its fence, language and lines.
FENCE = re.compile(r"^(?P<indent> *)(?P<fence>`{3,})(?P<lang>\w+)\n(?P<body>.*?)\n(?P=indent)(?P=fence)$",
                   re.MULTILINE | re.DOTALL)
WINGS = ("analysis", "tooling")


def examples(lang: str) -> list[list[str]]:
    """The lines of each block of ``lang`` in the guide, without their list indent."""
    blocks = []
    for found in FENCE.finditer(GUIDE.read_text(encoding="utf-8")):
        if found["lang"] == lang:
            indent = len(found["indent"])
            blocks.append([line[indent:] for line in found["body"].splitlines()])
    return blocks


def notebooks():
    return [path for path in toc_sources() if path.suffix == ".ipynb"]


def cells_text(path, cell_type: str) -> str:
    """The sources of a notebook's cells of ``cell_type`` ('code', 'markdown')."""
    return "\n".join(cell.source for cell in nbformat.read(path, as_version=4).cells
                     if cell.cell_type == cell_type)


def notebook_text(cell_type: str) -> str:
    return "\n".join(cells_text(path, cell_type) for path in notebooks())


def test_the_guide_shows_examples_of_every_kind():
    assert [len(examples(lang)) for lang in ("csv", "bibtex", "python", "markdown")] == [3, 1, 2, 2]


def test_each_csv_example_is_a_row_of_a_data_file_with_that_header():
    files = sorted((ROOT / "data").rglob("*.csv"))
    for header, *rows in examples("csv"):
        holders = [p for p in files if p.read_text(encoding="utf-8-sig").splitlines()[0] == header]
        assert holders, f"no data file has the header {header}"
        for row in rows:
            assert any(row in p.read_text(encoding="utf-8-sig").splitlines() for p in holders), row


def test_the_bibtex_example_is_an_entry_of_references_bib():
    bib = (ROOT / "references.bib").read_text(encoding="utf-8")
    for block in examples("bibtex"):
        assert "\n".join(block) in bib, block[0]


def test_each_python_example_line_is_code_of_a_notebook():
    code = {line.strip() for line in notebook_text("code").splitlines()}
    for block in examples("python"):
        for line in block:
            assert line.strip() in code, line


def test_each_markdown_example_line_is_prose_of_a_notebook_with_its_elisions():
    prose = notebook_text("markdown")
    for block in examples("markdown"):
        for line in (line.strip() for line in block):
            if line and not line.startswith("```"):  # the fence of a directive shown inside
                assert quote_in_text(line.strip("…").strip(), prose), line


def named_functions(text: str) -> set[tuple[str, str]]:
    """``module.name`` written in backticks, for the modules of both wings."""
    modules = {p.stem for wing in WINGS for p in (ROOT / wing).glob("*.py")} - {"__init__"}
    pattern = re.compile(r"\b(?:(?:analysis|tooling)\.)?(" + "|".join(sorted(modules)) + r")\.([A-Za-z_]\w*)")
    spans = re.findall(r"`([^`\n]+)`", text)
    return {found for span in spans for found in pattern.findall(span)}


def exists(module: str, name: str) -> bool:
    if name in {"py", "csv", "ipynb", "bib", "json", "zip"}:  # a file name, not a function
        return True
    return any((ROOT / wing / f"{module}.py").exists()
               and hasattr(importlib.import_module(f"{wing}.{module}"), name) for wing in WINGS)


def named_modules(text: str) -> set[tuple[str, str, str]]:
    """``analysis.module`` or ``tooling.module.name`` written in backticks: (wing, module, name or '')."""
    spans = re.findall(r"`([^`\n]+)`", text)
    return {found for span in spans
            for found in re.findall(r"\b(analysis|tooling)\.([A-Za-z_]\w*)(?:\.([A-Za-z_]\w*))?", span)}


def pointing_texts() -> dict[str, str]:
    """The texts that point a reader to the code and the data: the guide, the
    README and the prose of every page."""
    texts = {path.name: path.read_text(encoding="utf-8") for path in (GUIDE, ROOT / "README.md")}
    texts.update({path.name: cells_text(path, "markdown") for path in notebooks()})
    return texts


def test_every_module_the_guide_the_readme_and_the_pages_name_exists():
    """A page's prose that points the reader to the code (「計算は `analysis.side_effects`」)
    names a module that exists, as the guide and the README do."""
    for name, text in pointing_texts().items():
        missing = sorted(".".join(filter(None, found)) for found in named_modules(text)
                         if not (ROOT / found[0] / f"{found[1]}.py").exists()
                         or (found[2] and not exists(found[1], found[2])))
        assert not missing, f"{name} names what no module of the library or the tooling holds: {missing}"


def test_every_data_file_and_folder_they_name_exists():
    """「観測値（`data/observations/`）」: each file or folder of data/ or exports/
    that the guide, the README or a page names in backticks exists."""
    for name, text in pointing_texts().items():
        named = {path.rstrip(".") for span in re.findall(r"`([^`\n]+)`", text)
                 for path in re.findall(r"(?<![\w/.-])((?:data|exports)/[\w./-]*)", span)}
        missing = sorted(path for path in named if not (ROOT / path).exists())
        assert not missing, f"{name} names what data/ and exports/ lack: {missing}"


def test_every_function_the_guide_and_the_readme_name_exists():
    for path in (GUIDE, ROOT / "README.md"):
        missing = sorted(f"{m}.{n}" for m, n in named_functions(path.read_text(encoding="utf-8"))
                         if not exists(m, n))
        assert not missing, f"{Path(path).name} names what no module defines: {missing}"
