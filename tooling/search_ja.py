"""The Japanese search index, split once per text: Sphinx's own splitter
(TinySegmenter, in pure Python) with its results kept between builds.

Sphinx splits the text of every page it writes into words for the search
index, and it writes more pages than it reads: a page whose neighbours in the
table of contents changed is written again, with its text unchanged. The
split is most of a small rebuild's time (about a quarter of it), and it is a
pure function of the text, so its results are kept in the doctree folder
(``_build/.doctrees``), one file per Sphinx version, and a text split before
is not split again. The index is the same, byte for byte, with or without the
kept results. The file only grows, by the texts of the pages a build writes
(about 0.8 MB for the whole book); removing ``_build/`` starts it again.

Registered in ``_config.yml``: this module as an extension, and its splitter
as ``html_search_options: {type: tooling.search_ja.KeptSplitter}``.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import sphinx
from sphinx.search.ja import DefaultSplitter

# text -> its words, for the build under way: loaded when the builder starts,
# written back when the build succeeds
_kept: dict[str, list[str]] = {}
_grown = False


class KeptSplitter(DefaultSplitter):
    """Sphinx's default Japanese splitter, with each text's words kept."""

    def split(self, input: str) -> list[str]:
        global _grown
        words = _kept.get(input)
        if words is None:
            words = _kept[input] = super().split(input)
            _grown = True
        return list(words)


def kept_file(doctreedir: str | os.PathLike) -> Path:
    return Path(doctreedir) / f"search-ja-sphinx-{sphinx.__version__}.json"


def load(app) -> None:
    """builder-inited: the words kept by an earlier build of this book, if any."""
    global _grown
    _kept.clear()
    _grown = False
    path = kept_file(app.doctreedir)
    if path.exists():
        try:
            _kept.update(json.loads(path.read_text(encoding="utf-8")))
        except (ValueError, OSError):  # a file cut short: split again
            _kept.clear()


def save(app, exception) -> None:
    """build-finished: keep the words for the next build (atomically; not after a failure)."""
    if exception is not None or not _grown:
        return
    path = kept_file(app.doctreedir)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False,
                                     suffix=".tmp") as tmp:
        json.dump(_kept, tmp, ensure_ascii=False, separators=(",", ":"))
    os.chmod(tmp.name, 0o644)
    os.replace(tmp.name, path)


def setup(app) -> dict:
    app.connect("builder-inited", load)
    app.connect("build-finished", save)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
