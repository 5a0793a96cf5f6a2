"""The rating rules of the ledger: one table, in ``data/rating/``.

A statement of the article gets exactly one label of FactCheck Initiative
Japan's scale (``scale.csv``; FIJ publishes it for free use) from three
inputs, each a row of one small table:

- the **outcome** of its checks (``outcomes.csv``): each outcome has a base
  label (一致 -> 正確, 不一致 -> 誤り, ...);
- the **finding** about its wording, if any (``findings.csv``): each kind
  caps the label (the label is no better than the cap), whatever the number did;
- the **evidence strength** (確度, ``evidence.csv``): derived from the
  confidence of every value used, and it caps the label too.

So ``label = worst(base[outcome], cap[finding], cap[strength])`` on the scale's
order (``rating_value``: 正確 6 ... 誤り 1). The 方法 appendix renders these
tables and every combination from the same files. 判定留保 and 検証対象外 are on
the scale (they are FIJ's) but no rule gives them: every statement in the
ledger is a checkable number.
"""

from __future__ import annotations

from functools import cache
from itertools import product

import pandas as pd

from analysis import data

NO_FINDING = ""
# How the outcomes of a statement's parts combine (see combine()).
CHECKED = ("match", "near")


@cache
def _table(name: str) -> pd.DataFrame:
    """One rule file, typed by the data package (rows in file order)."""
    return data.load_folder("rating", (name,)).drop(columns=["_file", "_row"])


def scale() -> pd.DataFrame:
    """FIJ's labels in its published order, with this book's rating values
    (正確 6 ... 誤り 1; none for the two labels no rule gives) and definitions."""
    frame = _table("scale").copy()
    frame["rating_value"] = pd.to_numeric(frame["rating_value"]).astype("Int64")
    return frame


def outcomes() -> pd.DataFrame:
    """Comparison outcomes (match, near, mixed, off, none) with their base label."""
    return _table("outcomes")


def findings() -> pd.DataFrame:
    """Finding kinds (wrong_year, misattributed, ...) with the label each caps at."""
    return _table("findings")


def evidence() -> pd.DataFrame:
    """Evidence strengths 高 / 中 / 低, the data confidence each stands for, and its cap."""
    return _table("evidence")


def rating_value(label: str) -> int:
    """The label's place on the scale: 6 for 正確 down to 1 for 誤り."""
    value = scale().set_index("label").loc[label, "rating_value"]
    if pd.isna(value):
        raise ValueError(f"{label!r} has no rating value: no rule gives it")
    return int(value)


def best_rating() -> int:
    return int(scale()["rating_value"].max())


def worst_rating() -> int:
    return int(scale()["rating_value"].min())


def worse(a: str, b: str) -> str:
    """The worse of two labels on the scale."""
    return a if rating_value(a) <= rating_value(b) else b


def label(outcome: str, finding: str, strength: str) -> str:
    """The one label for an outcome, a finding kind ("" for none) and an evidence strength."""
    base = outcomes().set_index("outcome")
    if outcome not in base.index:
        raise KeyError(f"unknown outcome {outcome!r} (see data/rating/outcomes.csv)")
    result = base.loc[outcome, "label"]
    if finding != NO_FINDING:
        caps = findings().set_index("finding")["cap"]
        if finding not in caps.index:
            raise KeyError(f"unknown finding {finding!r} (see data/rating/findings.csv)")
        result = worse(result, caps[finding])
    caps = evidence().set_index("strength")["cap"]
    if strength not in caps.index:
        raise KeyError(f"unknown evidence strength {strength!r} (see data/rating/evidence.csv)")
    return worse(result, caps[strength])


def strength(confidences: list[str]) -> str:
    """The evidence strength of values with these data confidences: that of the
    weakest (primary 高, secondary 中, tertiary 低); 低 when no value is used.
    An ``unconfirmed`` value is not evidence: its check has the outcome none."""
    table = evidence().reset_index(drop=True)
    order = {row.confidence: i for i, row in table.iterrows()}
    usable = [c for c in confidences if c in order]
    if not usable:
        return str(table["strength"].iloc[-1])
    return str(table["strength"].iloc[max(order[c] for c in usable)])


def combine(parts: list[str]) -> str:
    """The outcome of a statement from the outcomes of its parts.

    The checked parts first: all match -> match; match and near -> near; off
    beside match or near -> mixed; all off -> off. A part without a source
    makes it the worse of that and none (so an unsourced part can lower a
    statement, never lift it). No checked part -> none.
    """
    if not parts:
        raise ValueError("a statement needs at least one check")
    checked = [p for p in parts if p != "none"]
    if not checked:
        return "none"
    if "off" in checked:
        result = "mixed" if any(p in CHECKED for p in checked) else "off"
    else:
        result = "near" if "near" in checked else "match"
    if len(checked) < len(parts):
        base = outcomes().set_index("outcome")["label"]
        result = result if worse(base[result], base["none"]) == base[result] else "none"
    return result


def rule_matrix(strength_: str) -> pd.DataFrame:
    """Every outcome (rows) × finding kind (columns) -> label, at one evidence
    strength: the whole rule table as the 方法 appendix shows it."""
    kinds = [NO_FINDING, *findings()["finding"]]
    names = dict(zip(findings()["finding"], findings()["name"], strict=True))
    rows = []
    for outcome, name in zip(outcomes()["outcome"], outcomes()["name"], strict=True):
        row = {"結果": name}
        for kind in kinds:
            row[names.get(kind, "指摘なし")] = label(outcome, kind, strength_)
        rows.append(row)
    return pd.DataFrame(rows)


def every_combination() -> list[tuple[str, str, str]]:
    """(outcome, finding, strength) for every combination the rules cover."""
    kinds = [NO_FINDING, *findings()["finding"]]
    return list(product(outcomes()["outcome"], kinds, evidence()["strength"]))
