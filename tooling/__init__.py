"""The book's tooling: what the make verbs run (build, refresh, exports, pdf,
bench) and the Sphinx extension. Never imported by the library or a notebook."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
"""The project root (a clone of the repository)."""
