"""Tests of analysis.data_sources_page: the データと出典 appendix renders the data package
(fields, keys, units, entities, files) from data/datapackage.json."""

from __future__ import annotations

import re

from analysis import data, data_sources_page, derived

OBSERVATIONS = data.resources("observations")[0]


def test_allowed_values_are_the_enum_or_the_pattern():
    assert data_sources_page.allowed_text({"constraints": {"enum": ["a", "b"]}}) == "a / b"
    assert data_sources_page.allowed_text({"constraints": {"pattern": "^x$"}}) == "パターン `^x$`"
    assert data_sources_page.allowed_text({"constraints": {"required": True}}) == "—"
    assert data_sources_page.allowed_text({}) == "—"


def test_fields_table_has_one_row_per_field_with_type_required_and_description():
    table = data_sources_page.fields_table(OBSERVATIONS["schema"]).set_index("列")
    fields = OBSERVATIONS["schema"]["fields"]
    assert list(table.index) == [f"`{f['name']}`" for f in fields]
    assert table.loc["`value`", "型"] == "数値（number）"
    assert table.loc["`year`", "型"] == "整数（integer）"
    assert table.loc["`note`", "必須"] == "いいえ" and table.loc["`source`", "必須"] == "はい"
    assert table.loc["`kind`", "許される値"] == "actual / estimate / forecast / target / plan"
    assert list(table["説明"]) == [f["description"] for f in fields]


def test_keys_text_names_the_primary_key_and_each_foreign_key_with_its_file():
    text = data_sources_page.keys_text(OBSERVATIONS["schema"])
    assert "主キー：`series` + `entity` + `period`" in text
    for column, target, key in [("entity", "entities.csv", "entity"), ("unit", "units.csv", "unit"),
                                ("source", "sources.csv", "key")]:
        assert f"`{column}` → `data/{target}` の `{key}`" in text
    table = next(r for r in data.descriptor()["resources"] if r["path"] == "tables/kp_dualuse.csv")
    assert data_sources_page.keys_text(table["schema"]).startswith("主キー：なし。外部キー：`source`")


def test_schema_groups_cover_every_file_once_and_share_the_kinds_schema():
    groups = data_sources_page.schema_groups()
    files = [f for group, _ in groups for f in group]
    tables = [r for r in data.descriptor()["resources"] if "schema" in r]  # not the article's text
    assert sorted(files) == sorted(f"data/{r['path']}" for r in tables)
    observations = next(group for group, _ in groups if group[0].startswith("data/observations/"))
    assert len(observations) == len(data.resources("observations")) > 1
    # the top-level tables come after the folders
    nested = ["/" in f.removeprefix("data/") for group, _ in groups for f in group]
    assert nested == sorted(nested, reverse=True)


def test_schema_section_heads_a_shared_schema_with_its_folder():
    section = data_sources_page.schema_section(["data/claims/a.csv", "data/claims/b.csv"],
                                               OBSERVATIONS["schema"])
    assert section.startswith("### `data/claims/*.csv` の列（2ファイル共通）")
    assert "| `series` |" in section


def test_entities_table_lists_every_entity_with_a_japanese_kind():
    table = data_sources_page.entities_table()
    assert len(table) == len(data.entities())
    assert table.set_index("主体キー").loc["JP", "図表での名前"] == "日本"
    assert set(table["種類"]) <= set(data_sources_page.KIND_LABELS.values())


def test_units_table_lists_every_unit():
    assert list(data_sources_page.units_table()["単位キー"]) == list(data.units().index)


def test_file_sections_link_the_file_and_cite_its_sources():
    ai = next(r for r in data.descriptor()["resources"] if r["path"] == "observations/ai.csv")
    section = data_sources_page.file_section(ai)
    assert "{download}`ai.csv をダウンロード <../../data/observations/ai.csv>`" in section
    assert "{cite}`workwonders_fujichimera`" in section
    sources = next(r for r in data.descriptor()["resources"] if r["name"] == "sources")
    keys = data_sources_page.file_section(sources)
    count = int(re.search(r"キー (\d+) 件", keys).group(1))
    assert count == len(data.source_keys())


def test_the_list_of_files_is_recorded_by_its_digest_and_ignores_values(monkeypatch):
    """The page records what it lists of the data files (data.DERIVED['data_files'])
    instead of every file: an edit to a value leaves it current, a new period does not."""
    data.FILES_READ.clear()
    data.DERIVED.clear()
    monkeypatch.setattr(data_sources_page, "display", lambda shown: None)
    data_sources_page.show_files()
    assert data.DERIVED == derived.digests(["data_files"]) == {"data_files": data_sources_page.files_digest()}
    assert not any(path.startswith(("data/observations/", "data/checks/")) for path in data.FILES_READ)
    load = data.load_resource

    def edited(column: str, new):
        def loaded(res):
            frame = load(res)
            mine = res["path"] == OBSERVATIONS["path"]
            return frame.assign(**{column: new(frame[column])}) if mine else frame
        return loaded

    def digest_with(loader) -> str:
        data_sources_page._file_sections.cache_clear()  # made once while the files are unchanged
        with monkeypatch.context() as patch:
            patch.setattr(data, "load_resource", loader)
            found = data_sources_page.files_digest()
        data_sources_page._file_sections.cache_clear()
        return found

    assert digest_with(edited("value", lambda values: values + 1)) == data.DERIVED["data_files"]
    assert digest_with(edited("period", lambda periods: periods + "x")) != data.DERIVED["data_files"]
