"""The rating rules (data/rating/): FIJ's scale, one label per combination,
and the properties a reader relies on to predict a label."""

from itertools import product

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis import claims, ratings
from tests.analysis.factories import toward

OUTCOMES = list(ratings.outcomes()["outcome"])
CHECKED = [o for o in OUTCOMES if o not in ratings.UNCHECKED]
KINDS = [ratings.NO_FINDING, *ratings.findings()["finding"]]
STRENGTHS = ratings.graded_strengths()  # strongest first; なし goes with an unchecked outcome only


def test_the_scale_is_fijs_nine_labels_with_values_for_the_ordered_ones():
    labels = list(ratings.scale()["label"])
    assert labels == ["正確", "ほぼ正確", "ミスリード", "不正確", "根拠不明", "誤り", "虚偽",
                      "判定留保", "検証対象外"]
    ordered = [lab for lab in labels if ratings.ordered(lab)]
    assert ordered == ["正確", "ほぼ正確", "ミスリード", "不正確", "誤り"]
    assert [ratings.rating_value(lab) for lab in ordered] == [5, 4, 3, 2, 1]
    assert ratings.scale()["definition"].str.len().min() > 10
    assert set(ratings.scale()["source"]) == {"fij_rating"}
    assert (ratings.best_rating(), ratings.worst_rating()) == (5, 1)


def test_every_combination_yields_exactly_one_label_the_rules_can_give():
    # a checked outcome with the strength of the values used, an unchecked one with なし
    combos = (list(product(CHECKED, KINDS, STRENGTHS))
              + list(product(ratings.UNCHECKED, KINDS, [ratings.strength([])])))
    ordered = {lab for lab in ratings.scale()["label"] if ratings.ordered(lab)}
    given_labels = ordered | {"根拠不明", "判定留保"}
    for outcome, kind, strength in combos:
        first, again = ratings.label(outcome, kind, strength), ratings.label(outcome, kind, strength)
        assert first == again and first in given_labels
    assert not {ratings.label(o, k, s) for o, k, s in combos} & {"虚偽", "検証対象外"}


def test_an_unchecked_outcome_is_judged_unjudgeable_whatever_the_findings():
    none = ratings.strength([])
    for kind in KINDS:
        assert ratings.label("unsupported", kind, none) == "根拠不明"
        assert ratings.label("unconfirmed", kind, none) == "判定留保"


def test_the_rule_table_names_each_rule_once():
    for table, key in [(ratings.outcomes(), "outcome"), (ratings.findings(), "finding"),
                       (ratings.evidence(), "strength")]:
        assert table[key].is_unique
    assert set(ratings.outcomes()["label"]) <= set(ratings.scale()["label"])


def test_a_finding_has_the_same_effect_whatever_the_number_did():
    for kind in KINDS[1:]:
        cap = ratings.findings().set_index("finding").loc[kind, "cap"]
        for outcome in CHECKED:
            base = ratings.label(outcome, ratings.NO_FINDING, "高")
            assert ratings.label(outcome, kind, "高") == ratings.worse(base, cap)


@given(outcome=st.sampled_from(CHECKED), kind=st.sampled_from(KINDS), strength=st.sampled_from(STRENGTHS))
def test_a_finding_never_improves_a_label(outcome, kind, strength):
    without = ratings.label(outcome, ratings.NO_FINDING, strength)
    assert ratings.rating_value(ratings.label(outcome, kind, strength)) <= ratings.rating_value(without)


@given(outcome=st.sampled_from(CHECKED), kind=st.sampled_from(KINDS),
       pair=st.lists(st.sampled_from(STRENGTHS), min_size=2, max_size=2, unique=True))
def test_lower_evidence_strength_never_raises_a_label(outcome, kind, pair):
    strong, weak = sorted(pair, key=STRENGTHS.index)
    assert (ratings.rating_value(ratings.label(outcome, kind, weak))
            <= ratings.rating_value(ratings.label(outcome, kind, strong)))


@given(stated=st.floats(1, 1e6), computed=st.floats(1, 1e6), closer=st.floats(0, 1),
       comparison=st.sampled_from(["equal", "at_least", "at_most"]), kind=st.sampled_from(KINDS),
       strength=st.sampled_from(STRENGTHS))
def test_moving_the_computed_value_toward_the_stated_value_never_worsens_the_label(
        stated, computed, closer, comparison, kind, strength):
    check = pd.Series({"comparison": comparison, "stated": stated, "stated_high": float("nan"),
                       "tolerance": float("nan")})
    nearer = toward(computed, stated, closer)
    before = ratings.label(claims.compare(check, computed), kind, strength)
    after = ratings.label(claims.compare(check, nearer), kind, strength)
    assert ratings.rating_value(after) >= ratings.rating_value(before)


@given(parts=st.lists(st.sampled_from(["match", "near", "off"]), min_size=1, max_size=4),
       index=st.integers(0, 3), better=st.sampled_from(["match", "near"]))
def test_a_better_part_never_worsens_the_statement(parts, index, better):
    order = {"off": 0, "near": 1, "match": 2}
    index %= len(parts)
    if order[better] < order[parts[index]]:
        return
    improved = parts[:index] + [better] + parts[index + 1:]
    before = ratings.label(ratings.combine(parts), ratings.NO_FINDING, "高")
    after = ratings.label(ratings.combine(improved), ratings.NO_FINDING, "高")
    assert ratings.rating_value(after) >= ratings.rating_value(before)


@pytest.mark.parametrize("parts,expected", [
    (["match"], "match"), (["match", "match"], "match"), (["match", "near"], "near"),
    (["match", "off"], "mixed"), (["off", "off"], "off"), (["off", "unsupported"], "off"),
    (["match", "unsupported"], "unsupported"), (["match", "unconfirmed"], "unconfirmed"),
    (["off", "match", "unsupported"], "mixed"), (["unconfirmed", "unsupported"], "unsupported"),
    (["unconfirmed"], "unconfirmed"),
])
def test_how_parts_combine(parts, expected):
    assert ratings.combine(parts) == expected


def test_evidence_strength_is_that_of_the_weakest_value():
    assert ratings.strength(["primary", "primary"]) == "高"
    assert ratings.strength(["primary", "secondary"]) == "中"
    assert ratings.strength(["secondary", "tertiary"]) == "低"
    assert ratings.strength([]) == "なし"
    assert ratings.strength(["unconfirmed"]) == "なし"
    assert ratings.capped_strength("高", "中") == "中" and ratings.capped_strength("低", "中") == "低"
    assert ratings.age_rule() == (5, "中")


def test_the_matrix_shows_every_rule():
    matrix = ratings.rule_matrix("高")
    assert list(matrix["結果"]) == list(ratings.outcomes()["name"])
    assert matrix.shape == (len(OUTCOMES), 1 + len(KINDS))
    assert matrix.loc[matrix["結果"] == "一致", "出典の取り違え"].item() == "ミスリード"


def test_unknown_inputs_name_the_rule_file():
    with pytest.raises(KeyError, match="outcomes.csv"):
        ratings.label("maybe", ratings.NO_FINDING, "高")
    with pytest.raises(KeyError, match="findings.csv"):
        ratings.label("match", "typo", "高")
    with pytest.raises(ValueError, match="not on the ordered scale"):
        ratings.rating_value("判定留保")
