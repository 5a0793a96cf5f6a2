"""The Japanese search index's kept words (tooling.search_ja): the same words
as Sphinx's own splitter, kept between builds, never from a failed build."""

from __future__ import annotations

import json
from types import SimpleNamespace

from sphinx.search.ja import DefaultSplitter

from tooling import search_ja

TEXTS = ["日本の生成AI市場は2028年度に1兆円を超える見込みです。", "検証台帳", "Quantum 量子コンピュータ"]


def test_the_kept_words_are_sphinx_own_and_are_not_split_again(tmp_path, monkeypatch):
    app = SimpleNamespace(doctreedir=tmp_path)
    search_ja.load(app)
    splitter = search_ja.KeptSplitter({})
    assert [splitter.split(t) for t in TEXTS] == [DefaultSplitter({}).split(t) for t in TEXTS]
    search_ja.save(app, None)
    kept = json.loads(search_ja.kept_file(tmp_path).read_text(encoding="utf-8"))
    assert set(kept) == set(TEXTS)

    search_ja.load(app)  # the next build: a kept text is never split again
    monkeypatch.setattr(DefaultSplitter, "split", lambda self, text: ["split again"])
    assert [splitter.split(t) for t in TEXTS] == [kept[t] for t in TEXTS]
    assert splitter.split("新しい文") == ["split again"]


def test_a_failed_build_keeps_nothing_and_a_damaged_file_is_split_again(tmp_path):
    app = SimpleNamespace(doctreedir=tmp_path)
    search_ja.load(app)
    search_ja.KeptSplitter({}).split(TEXTS[0])
    search_ja.save(app, RuntimeError("the build failed"))
    assert not search_ja.kept_file(tmp_path).exists()
    search_ja.kept_file(tmp_path).write_text('{"検証', encoding="utf-8")
    search_ja.load(app)
    assert search_ja.KeptSplitter({}).split("検証台帳") == DefaultSplitter({}).split("検証台帳")
