"""The 方法 appendix renders the rating rules from the files the ledger uses."""

from analysis import methods_page, ratings


def test_tables_come_from_the_rule_files():
    assert list(methods_page.scale_table()["ラベル"]) == list(ratings.scale()["label"])
    assert methods_page.scale_table()["FIJ の定義"].str.endswith("{cite}`fij_rating`").all()
    assert list(methods_page.outcome_table()["基本のラベル"]) == list(ratings.outcomes()["label"])
    assert list(methods_page.finding_table()["ラベルの上限"]) == list(ratings.findings()["cap"])
    assert list(methods_page.evidence_table()["確度"]) == list(ratings.evidence()["strength"])


def test_identical_matrices_are_shown_once_and_said_so():
    groups = methods_page._groups()
    assert sum(len(g) for g in groups) == len(ratings.graded_strengths())
    sentence = methods_page.same_strengths_sentence()
    for group in groups:
        if len(group) > 1:
            assert "・".join(f"「{s}」" for s in group) in sentence


def test_combine_examples_are_computed():
    table = methods_page.combine_examples()
    assert table.loc[table["部分の結果"] == "一致・不一致", "記述の結果"].item() == "一部不一致"
    readings = methods_page.reading_examples().set_index("読み方の結果")
    assert readings.loc["一致・不一致", "比較基準が不明"] == "付く"
    assert readings.loc["一致・許容内", "部分の結果"] == "許容内"
