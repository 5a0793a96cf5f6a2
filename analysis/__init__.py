"""The library of the 「選択と集中」 book: what its chapters import (data, the text
layer, growth, statistics, the claims ledger and its ratings, charts, tables, and
one module per chapter). It never imports the tooling (``tooling/``)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
"""The project root (a clone of the repository): the one definition the
library's modules read (the tooling keeps its own, tooling.ROOT: it also builds
the tests' fixture book, whose stand-in ``analysis`` comes first on the path)."""
