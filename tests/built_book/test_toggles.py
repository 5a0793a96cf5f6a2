"""One 計算を表示 per computation: on every page, each run of consecutive
code cells tagged hide-input (nothing shown between them) folds its code
under one toggle, in the notebook's order, named by its visible text; the
outputs stay outside, shown."""

from __future__ import annotations

import re

import nbformat
import pytest

from tests.helpers import ROOT
from tooling.refresh import all_notebooks

pytestmark = pytest.mark.slow  # builds the book

TOGGLE = re.compile(r'<details class="admonition hide above-input">\n<summary>\n(.*?)</summary>\n'
                    r'(.*?)</details>', re.S)


def hidden_runs(nb) -> list[list[str]]:
    """The runs of consecutive hide-input code cells (each a list of their
    sources); a cell removed from the page (remove-cell) is not between
    anything, any other cell ends a run."""
    runs: list[list[str]] = []
    current: list[str] = []
    for cell in nb.cells:
        tags = cell.metadata.get("tags", [])
        if cell.cell_type == "code" and "remove-cell" in tags:
            continue
        if cell.cell_type == "code" and "hide-input" in tags:
            current.append(cell.source)
            continue
        if current:
            runs.append(current)
        current = []
    if current:
        runs.append(current)
    return runs


def code_text(html_text: str) -> str:
    """The text of highlighted code as the page shows it."""
    import html

    return html.unescape(re.sub(r"<[^>]+>", "", html_text))


def notebooks_with_hidden_code() -> list:
    return [p for p in all_notebooks() if hidden_runs(nbformat.read(p, as_version=4))]


def test_the_book_has_runs_of_several_hidden_cells():
    """What the rule is for: computations of two cells or more."""
    runs = [r for p in all_notebooks() for r in hidden_runs(nbformat.read(p, as_version=4))]
    assert any(len(r) >= 3 for r in runs) and sum(len(r) > 1 for r in runs) >= 10


@pytest.mark.parametrize("path", notebooks_with_hidden_code(), ids=lambda p: str(p.relative_to(ROOT)))
def test_one_toggle_per_run_of_hidden_cells(built_book, path):
    html_dir, _ = built_book
    page = (html_dir / path.relative_to(ROOT)).with_suffix(".html").read_text(encoding="utf-8")
    nb = nbformat.read(path, as_version=4)
    runs = hidden_runs(nb)
    toggles = TOGGLE.findall(page)
    assert len(toggles) == len(runs), f"{len(toggles)} toggles for {len(runs)} runs of hidden cells"
    # named by the text it shows, in the page's language (付録G's own mystnb metadata)
    prompts = nb.metadata.get("mystnb", {})
    shows = prompts.get("code_prompt_show", "計算を表示")
    hides = prompts.get("code_prompt_hide", "計算を隠す")
    for (summary, folded), run in zip(toggles, runs, strict=True):
        # no aria-label over it
        assert summary == (f'<p class="collapsed admonition-title">{shows}</p>\n'
                           f'<p class="expanded admonition-title">{hides}</p>\n')
        # the run's code, cell by cell, in order; no output inside
        inputs = re.split(r'<div class="cell_input docutils container">', folded)[1:]
        assert len(inputs) == len(run)
        for shown, source in zip(inputs, run, strict=True):
            first = next(line for line in source.splitlines() if line.strip())
            assert first.strip() in code_text(shown)
        assert "cell_output" not in folded
    # every code cell's outputs are still on the page (outside the toggles)
    assert page.count('class="cell_output docutils container"') == sum(
        1 for cell in nbformat.read(path, as_version=4).cells
        if cell.cell_type == "code" and cell.get("outputs")
        and not {"remove-cell", "remove-output"} & set(cell.metadata.get("tags", []))
        and any(o.get("output_type") != "stream" or o.get("text") for o in cell.outputs)
        and not all(o.get("metadata", {}).get("scrapbook") for o in cell.outputs))
