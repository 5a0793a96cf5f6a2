"""Sphinx extension: a rebuild gives the pages of a fresh build, byte for byte.

``make book`` builds incrementally: after a data edit Sphinx reads and writes
only the pages that changed. Five things made such a rebuild differ from a
fresh build of the same tree, or do more than it needs:

- sphinx-external-toc letters the appendix (A, B, ...) after Sphinx numbers
  it, so Sphinx, comparing its plain numbers (8) with the last build's
  letters, wrote every appendix page again at every build, text unchanged;
- a file a page links for download (the data appendix links every data file)
  was a dependency of the page, so Sphinx read and wrote the page again when
  the file changed, although the page shows none of its content and Sphinx
  copies every download at every build;
- myst-nb writes its stylesheet when the build ends, so the pages of a fresh
  build named it without the ``?v=`` checksum and those of a rebuild with it;
- Sphinx's pruning of the search index before a rebuild left each word that
  only a rewritten page held, with an empty list of pages;
- Sphinx never removes an image of ``_images/``: a redrawn chart left its old
  PNG beside the new one (and in a release's tarball of the book).

Registered in ``_config.yml``, and in the fixture book's, where
``tests/tooling/test_build.py`` compares a rebuild with a fresh build.
"""

from __future__ import annotations

from pathlib import Path


def renumbered_only(upstream):
    """sphinx-external-toc's numbering of the parts, answering "which pages
    must be written again" with the pages whose final numbers changed."""
    def assign_section_numbers(self, env) -> list[str]:
        before = {doc: dict(numbers) for doc, numbers in env.toc_secnumbers.items()}
        upstream(self, env)
        return sorted(doc for doc, numbers in env.toc_secnumbers.items() if numbers != before.get(doc))

    return assign_section_numbers


def downloads_are_not_dependencies(app, doctree) -> None:
    """doctree-read, after Sphinx's collectors (500): the files the page links
    for download are not its dependencies."""
    env = app.env
    for filename, (docnames, _dest) in env.dlfiles.items():
        if env.docname in docnames:
            env.dependencies[env.docname].discard(filename)


def write_mystnb_stylesheet(app, builder) -> None:
    """write-started: myst-nb's stylesheet, before the first page is written."""
    if builder.format == "html":
        from myst_nb.sphinx_ext import add_global_html_resources

        (Path(builder.outdir) / "_static").mkdir(parents=True, exist_ok=True)
        add_global_html_resources(app, None)


def without_empty_terms(upstream):
    """Sphinx's IndexBuilder.prune (keep only the pages that are not written
    again), then the words no page holds any more removed, as a fresh build
    never has them."""
    def prune(self, docnames) -> None:
        upstream(self, docnames)
        for mapping in (self._mapping, self._title_mapping):
            for word in [word for word, pages in mapping.items() if not pages]:
                del mapping[word]

    return prune


def drop_unshown_images(app, exception) -> None:
    """build-finished: remove the images of ``_images/`` that no page shows any
    more (nothing after a failed build)."""
    if exception is not None or app.builder.format != "html":
        return
    folder = Path(app.builder.outdir) / app.builder.imagedir
    shown = {name for _pages, name in app.env.images.values()}
    for path in folder.glob("*") if folder.is_dir() else []:
        if path.is_file() and path.name not in shown:
            path.unlink()


def install_once(owner: type, name: str, wrap) -> None:
    """``owner.name`` replaced by ``wrap(owner.name)``, once per process however
    many builds it runs: the replacement is marked with ``wrap``'s name and
    keeps the original as ``__wrapped__``."""
    upstream = getattr(owner, name)
    if getattr(upstream, wrap.__name__, False):
        return
    wrapped = wrap(upstream)
    setattr(wrapped, wrap.__name__, True)
    wrapped.__wrapped__ = upstream
    setattr(owner, name, wrapped)


def setup(app) -> dict:
    from sphinx.search import IndexBuilder
    from sphinx_external_toc.collectors import TocTreeCollectorWithStyles

    install_once(TocTreeCollectorWithStyles, "assign_section_numbers", renumbered_only)
    install_once(IndexBuilder, "prune", without_empty_terms)
    app.connect("doctree-read", downloads_are_not_dependencies, priority=900)
    app.connect("write-started", write_mystnb_stylesheet)
    app.connect("build-finished", drop_unshown_images)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
