"""The book's tooling: what the make verbs run (build, refresh, exports, pdf,
bench) and the Sphinx extension. Never imported by the library or a notebook."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
"""The project root. The library defines its own (analysis.ROOT, the same folder):
the tooling also builds other books (the tests' fixture book, whose stand-in
``analysis`` package comes first on the path there), so it must not read the
root from whichever ``analysis`` is importable."""

_COLOURS = re.compile(r"\x1b\[[0-9;]*m")


def without_colours(text: str) -> str:
    """``text`` without the terminal colour codes of Sphinx's and IPython's output."""
    return _COLOURS.sub("", text)


def toc_pages(root: Path = ROOT) -> list[str]:
    """The page names of ``root``'s _toc.yml in book order, the title page first
    ('intro', 'chapters/01_policy', ...)."""
    import yaml

    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    return [toc["root"]] + [c["file"] for part in toc.get("parts", []) for c in part["chapters"]]
