"""Two wings: the library the chapters import (analysis/) and the tooling the
make verbs run (tooling/). The library and the notebooks never import the
tooling, and no module imports itself through a cycle. The 再現手順 page names
every module of both wings."""

from __future__ import annotations

import ast
import re

import nbformat

from tests.helpers import ROOT, toc_sources

WINGS = ("analysis", "tooling")


def imported(source: str) -> set[str]:
    """Every module a piece of Python source imports, and every name it imports
    from one ('analysis', 'analysis.data', 'pandas', ...)."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found |= {f"{node.module}.{a.name}" for a in node.names} | {node.module}
    return found


def imports(source: str) -> set[str]:
    """The book's own modules a piece of Python source imports ('analysis.data', ...)."""
    return {name for name in imported(source) if name.split(".")[0] in WINGS}


def modules() -> dict[str, set[str]]:
    """Each module of both wings and the modules of the wings it imports."""
    graph = {}
    for wing in WINGS:
        for path in sorted((ROOT / wing).glob("*.py")):
            if path.stem == "__init__":
                continue
            name = f"{wing}.{path.stem}"
            graph[name] = {m for m in imports(path.read_text(encoding="utf-8")) if m != wing}
    return {name: {m for m in deps if m in graph} for name, deps in graph.items()}


def test_the_library_never_imports_the_tooling():
    for name, deps in modules().items():
        if name.startswith("analysis."):
            assert not [d for d in deps if d.startswith("tooling.")], f"{name} imports {deps}"


def test_notebooks_import_only_the_library():
    """Not the tooling, and not pandas or altair either: a frame or a chart
    is assembled by a named function of the library, never inline."""
    for path in toc_sources():
        if path.suffix != ".ipynb":
            continue
        code = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code")
        found = {name.split(".")[0] for name in imported(code)}
        assert found == {"analysis"}, f"{path.name} imports {sorted(found)}"


def test_no_import_cycle():
    graph = modules()
    done: set[str] = set()

    def visit(name: str, stack: tuple[str, ...]) -> None:
        assert name not in stack, "import cycle: " + " -> ".join((*stack, name))
        if name in done:
            return
        for dep in sorted(graph[name]):
            visit(dep, (*stack, name))
        done.add(name)

    for name in graph:
        visit(name, ())


def test_the_reproduce_page_names_every_module_of_both_wings():
    page = nbformat.read(ROOT / "chapters" / "appendix" / "reproduce.ipynb", as_version=4)
    text = "\n".join(c.source for c in page.cells if c.cell_type == "markdown")
    named = set(re.findall(r"`((?:analysis|tooling)\.\w+)`", text))
    assert named == set(modules()), f"missing {set(modules()) - named}, unknown {named - set(modules())}"


def test_the_library_caches_only_through_data_cached():
    """functools' caches would hide a file read from the notebook executor
    after the first call (analysis.data.cached records it at every call)."""
    caches = {"cache", "lru_cache", "cached_property"}
    for path in sorted((ROOT / "analysis").glob("*.py")):
        allowed = {"cache"} if path.stem == "data" else set()  # inside data.cached itself
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "functools":
                names = {a.name for a in node.names}
                assert not names & caches, f"{path.name}: {names}"
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                    and node.value.id == "functools":
                assert node.attr not in caches - allowed, f"{path.name}:{node.lineno}: functools.{node.attr}"


# Names that several modules define on purpose, each with one meaning.
SHARED_NAMES = {
    "main": "the command a module runs as (python -m)",
    "setup": "the set-up of what follows: a Sphinx extension's entry point, a notebook page's (glue.setup)",
    "amount": "glue.amount glues what text.amount writes",
    "given": "glue.given glues what text.given writes",
    "counts_text": "the label counts, in Japanese (summary) and in English (summary_en_page)",
    "scale_table": "FIJ's rating scale, in Japanese (methods_page) and in English (summary_en_page)",
    "corrections_table": "the main corrections, in Japanese (ledger_page) and in English (summary_en_page)",
    "scorecard_chart": "the ledger's scorecard; summary's is ledger_page's, narrower",
    "to_csv": "rows written as CSV: the ledger (claimreview), a chart's rows (figures)",
    "to_json": "rows written as JSON: the ledger (claimreview), a chart's rows (figures)",
    "digest": "the SHA-256 of what it is given: a ledger (verdicts), a bundle (vega)",
}


def test_no_two_public_functions_share_a_name_with_different_meanings():
    """A name defined by more than one module of both wings is listed above with
    its one meaning; any other is a second meaning for a name, to be renamed."""
    defined: dict[str, list[str]] = {}
    for wing in WINGS:
        for path in sorted((ROOT / wing).glob("*.py")):
            for node in ast.parse(path.read_text(encoding="utf-8")).body:
                if isinstance(node, ast.FunctionDef | ast.ClassDef) and not node.name.startswith("_"):
                    defined.setdefault(node.name, []).append(f"{wing}.{path.stem}")
    shared = {name: where for name, where in defined.items() if len(where) > 1}
    assert set(shared) - set(SHARED_NAMES) == set(), {n: shared[n] for n in set(shared) - set(SHARED_NAMES)}
    assert set(SHARED_NAMES) - set(shared) == set(), "listed but no longer shared"


def test_every_glue_name_is_written_out_in_the_code_that_makes_it():
    """A search for a name the Markdown shows ({glue:text}`ai_nri_use`) finds
    the line that glues it: the name is a string literal in a notebook's code
    or in the library, never assembled (f"{prefix}_{end}")."""
    code = "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "analysis").glob("*.py")))
    shown: dict[str, str] = {}
    for path in toc_sources():
        if path.suffix != ".ipynb":
            continue
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "code":
                code += "\n" + cell.source
                continue
            for name in re.findall(r"\{glue(?::\w+)?\}`([^`<\s]+)`", cell.source) + \
                    re.findall(r"```\{glue(?::\w+)?\}\s+(\S+)", cell.source):
                shown.setdefault(name.split(":")[0], path.name)
    written = set(re.findall(r"""["']([A-Za-z_][\w]*)["']""", code))
    assert len(shown) > 400
    missing = {name: page for name, page in shown.items() if name not in written}
    assert not missing, f"glue names not written out where they are made: {missing}"
