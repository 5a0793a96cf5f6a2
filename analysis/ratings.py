"""The rating rules of the ledger: one table, in ``data/rating/``.

A statement of the article gets exactly one label of FactCheck Initiative
Japan's scale (``scale.csv``; FIJ publishes it for free use) from these
inputs, each a row of one small table:

- the **outcome** of its checks (``outcomes.csv``): each outcome has a base
  label (一致 -> 正確, 不一致 -> 誤り, 確認できず -> 判定留保, 根拠なし -> 根拠不明);
- the **findings** about its wording (``findings.csv``): each kind caps the
  label (the label is no better than the cap), whatever the number did. Two
  are computed, never typed: ``baseline_unstated`` when the plausible
  readings of an open base disagree (:mod:`analysis.verdicts`), and the label of
  the statement whose figure this one rests on;
- the **evidence strength** (確度, ``evidence.csv``): that of the weakest
  value used, capped when the newest value is old (``age.csv``); it caps the
  label too.

The caps act on the ordered labels only (``rating_value``: 正確 5 ... 誤り 1).
判定留保 and 根拠不明 say that the number could not be judged: they are not
points of that order, so no cap moves a statement into or out of them. 虚偽
(a judgement of intent) and 検証対象外 (an opinion) are on FIJ's scale, but no
rule gives them. The 方法 appendix renders these tables from the same files.
"""

from __future__ import annotations

import pandas as pd

from analysis import data

NO_FINDING = ""
# How the outcomes of a statement's parts combine (see combine()).
CHECKED = ("match", "near")


@data.cached
def _table(name: str) -> pd.DataFrame:
    """One rule file, typed by the data package (rows in file order)."""
    return data.load_folder("rating", (name,)).drop(columns=["_file", "_row"])


def scale() -> pd.DataFrame:
    """FIJ's labels in its published order, with this book's rating values
    (正確 5 ... 誤り 1 for the ordered labels; none for 根拠不明, 虚偽, 判定留保
    and 検証対象外) and definitions."""
    frame = _table("scale").copy()
    frame["rating_value"] = pd.to_numeric(frame["rating_value"]).astype("Int64")
    return frame


def outcomes() -> pd.DataFrame:
    """Comparison outcomes (match, near, mixed, off, unconfirmed, unsupported) with their base label."""
    return _table("outcomes")


def findings() -> pd.DataFrame:
    """Finding kinds (wrong_year, misattributed, ...) with the label each caps at."""
    return _table("findings")


def evidence() -> pd.DataFrame:
    """Evidence strengths 高 / 中 / 低 / なし, the data confidence each stands for, and its cap."""
    return _table("evidence")


def age_rule() -> tuple[int, str]:
    """(years, strength cap) of ``age.csv``: evidence whose newest value is at
    least ``years`` older than the article, where the book holds newer related
    data, is at most that strength."""
    row = _table("age").iloc[0]
    return int(row["years"]), str(row["cap"])


@data.cached
def _rating_values() -> dict[str, int | None]:
    """Each label's rating value; None for a label off the ordered scale.
    A dict, because every label of the ledger and of the rule tests asks it."""
    frame = scale()
    return {lab: None if pd.isna(value) else int(value)
            for lab, value in zip(frame["label"], frame["rating_value"], strict=True)}


@data.cached
def _column_by(table: str, key: str, column: str) -> dict[str, str]:
    """One rule file's ``column`` by its ``key`` column (outcome -> label, finding -> cap, ...)."""
    frame = _table(table)
    return dict(zip(frame[key], frame[column], strict=True))


def ordered(label: str) -> bool:
    """Whether a label is a point of the ordered scale (正確 ... 誤り)."""
    return _rating_values()[label] is not None


def position(label: str) -> int:
    """The label's place in FIJ's published list (1 for 正確 ... 9 for 検証対象外):
    the key of its badge colour and of the ledger's sort."""
    return list(scale()["label"]).index(label) + 1


def rating_value(label: str) -> int:
    """The label's place on the scale: 5 for 正確 down to 1 for 誤り."""
    if not ordered(label):
        raise ValueError(f"{label!r} has no rating value: it is not on the ordered scale")
    return _rating_values()[label]


def best_rating() -> int:
    return int(scale()["rating_value"].max())


def worst_rating() -> int:
    return int(scale()["rating_value"].min())


def worse(a: str, b: str) -> str:
    """The worse of two labels. A label off the ordered scale (判定留保, 根拠不明)
    is kept as it is: a cap moves a label down the scale, never off or onto it."""
    if not ordered(a):
        return a
    if not ordered(b):
        return a
    return a if rating_value(a) <= rating_value(b) else b


def label(outcome: str, finding: str | tuple[str, ...], strength: str) -> str:
    """The one label for an outcome, the finding kinds ("" or () for none) and an evidence strength."""
    base = _column_by("outcomes", "outcome", "label")
    if outcome not in base:
        raise KeyError(f"unknown outcome {outcome!r} (see data/rating/outcomes.csv)")
    result = base[outcome]
    kinds = (finding,) if isinstance(finding, str) else finding
    caps = _column_by("findings", "finding", "cap")
    for kind in kinds:
        if kind == NO_FINDING:
            continue
        if kind not in caps:
            raise KeyError(f"unknown finding {kind!r} (see data/rating/findings.csv)")
        result = worse(result, caps[kind])
    strength_caps = _column_by("evidence", "strength", "cap")
    if strength not in strength_caps:
        raise KeyError(f"unknown evidence strength {strength!r} (see data/rating/evidence.csv)")
    cap = strength_caps[strength]
    return worse(result, cap) if cap else result


def strength(confidences: list[str]) -> str:
    """The evidence strength of values with these data confidences: that of the
    weakest (primary 高, secondary 中, tertiary 低); なし when no value is used.
    An ``unconfirmed`` value is not evidence: its check has the outcome 確認できず."""
    table = evidence().reset_index(drop=True)
    order = {row.confidence: i for i, row in table.iterrows() if row.confidence}
    usable = [c for c in confidences if c in order]
    if not usable:
        return str(table.loc[table["confidence"] == "", "strength"].iloc[0])
    return str(table["strength"].iloc[max(order[c] for c in usable)])


def capped_strength(strength_: str, cap: str) -> str:
    """The weaker of an evidence strength and a cap (the table's order: 高 strongest)."""
    order = list(evidence()["strength"])
    return order[max(order.index(strength_), order.index(cap))]


UNCHECKED = ("unconfirmed", "unsupported")


def combine(parts: list[str]) -> str:
    """The outcome of a statement from the outcomes of its parts.

    The checked parts first: all match -> match; match and near -> near; off
    beside match or near -> mixed; all off -> off. A checked part that is off
    decides over an unchecked one (a known error outranks an unknown). When
    every checked part holds and a part could not be checked, the statement
    as a whole cannot be confirmed: unsupported if any part is, else
    unconfirmed. No checked part -> the same.
    """
    if not parts:
        raise ValueError("a statement needs at least one check")
    checked = [p for p in parts if p not in UNCHECKED]
    unchecked = [p for p in parts if p in UNCHECKED]
    if checked:
        if "off" in checked:
            return "mixed" if any(p in CHECKED for p in checked) else "off"
        if not unchecked:
            return "near" if "near" in checked else "match"
    return "unsupported" if "unsupported" in unchecked else "unconfirmed"


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


def graded_strengths() -> list[str]:
    """The strengths of used values (高, 中, 低): なし goes only with an unchecked outcome."""
    e = evidence()
    return list(e.loc[e["confidence"] != "", "strength"])
