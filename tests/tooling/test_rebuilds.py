"""tooling.rebuilds: what made a rebuild differ from a fresh build, each on
its own (tests/tooling/test_build.py compares a rebuild of the fixture book
with a fresh build, byte for byte)."""

from __future__ import annotations

from types import SimpleNamespace

from tooling import rebuilds


def test_only_the_pages_whose_final_section_numbers_changed_are_written_again():
    """sphinx-external-toc letters the appendix after Sphinx numbers it, so
    Sphinx's own answer names every appendix page at every build."""
    def upstream(self, env):  # numbers the appendix 8 then letters it A, as upstream does
        env.toc_secnumbers = {doc: dict(numbers) for doc, numbers in env.next.items()}
        return sorted(env.next)

    assign = rebuilds.renumbered_only(upstream)
    lettered = {"appendix/ledger": {"": ("A",)}, "appendix/status": {"": ("F",)}, "ch/ai": {"": (4,)}}
    env = SimpleNamespace(toc_secnumbers=lettered, next=lettered)
    assert assign(None, env) == []
    env.next = {**lettered, "appendix/status": {"": ("G",)}, "appendix/new": {"": ("F",)}}
    assert assign(None, env) == ["appendix/new", "appendix/status"]
    app = SimpleNamespace(connect=lambda *args, **kwargs: None)
    rebuilds.setup(app)
    rebuilds.setup(app)  # installed once however many builds
    from sphinx_external_toc.collectors import TocTreeCollectorWithStyles

    patched = TocTreeCollectorWithStyles.assign_section_numbers
    assert patched.renumbered_only and not getattr(patched.__wrapped__, "renumbered_only", False)


def test_a_file_a_page_links_for_download_is_not_a_dependency_of_the_page():
    """Sphinx copies every download at every build: a changed data file needs no
    new page (the data appendix links every one). Other dependencies stay."""
    from sphinx.util import DownloadFiles

    dlfiles = DownloadFiles()
    dlfiles.add_file("appendix/data_sources", "data/observations/ai.csv")
    dlfiles.add_file("ch/ai", "exports/figures/fig.csv")
    env = SimpleNamespace(docname="appendix/data_sources", dlfiles=dlfiles, dependencies={
        "appendix/data_sources": {"data/observations/ai.csv", "_templates/x.html"},
        "ch/ai": {"exports/figures/fig.csv", "data/observations/ai.csv"}})
    rebuilds.downloads_are_not_dependencies(SimpleNamespace(env=env), None)
    assert env.dependencies == {"appendix/data_sources": {"_templates/x.html"},
                                "ch/ai": {"exports/figures/fig.csv", "data/observations/ai.csv"}}


def test_an_image_no_page_shows_is_removed_after_a_build(tmp_path):
    """Sphinx never removes an image of _images/: a redrawn chart left its old
    PNG, and the built book differed from a fresh build's."""
    images = tmp_path / "_images"
    images.mkdir()
    for name in ("new.png", "old.png"):
        (images / name).write_bytes(b"png")
    app = SimpleNamespace(builder=SimpleNamespace(format="html", outdir=str(tmp_path), imagedir="_images"),
                          env=SimpleNamespace(images={"build/a.png": ({"ch/ai"}, "new.png")}))
    rebuilds.drop_unshown_images(app, RuntimeError("a failed build"))
    assert sorted(p.name for p in images.iterdir()) == ["new.png", "old.png"]  # a failed build keeps all
    rebuilds.drop_unshown_images(app, None)
    assert sorted(p.name for p in images.iterdir()) == ["new.png"]


def test_a_rebuild_keeps_no_word_that_no_page_holds():
    """Sphinx's pruning left such words with an empty list of pages: a rebuild's
    index differed from a fresh build's."""
    from sphinx.search import IndexBuilder

    def upstream(self, docnames):  # as Sphinx's: the pages written again leave every word
        for mapping in (self._mapping, self._title_mapping):
            for pages in mapping.values():
                pages.intersection_update(docnames)

    index = SimpleNamespace(_mapping={"台帳": {"a", "b"}, "4bfd": {"b"}}, _title_mapping={"付録": {"b"}})
    rebuilds.without_empty_terms(upstream)(index, {"a"})
    assert index._mapping == {"台帳": {"a"}} and index._title_mapping == {}
    app = SimpleNamespace(connect=lambda *args, **kwargs: None)
    rebuilds.setup(app)
    rebuilds.setup(app)  # installed once however many builds
    assert IndexBuilder.prune.without_empty_terms
    assert not getattr(IndexBuilder.prune.__wrapped__, "without_empty_terms", False)
