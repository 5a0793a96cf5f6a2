"""The 方法 appendix: the rating rules rendered from the same files the
ledger computes with (``data/rating/``), so the page cannot drift from the code."""

from __future__ import annotations

import pandas as pd
from IPython.display import Markdown, display

from analysis import ratings, text, verdicts
from analysis.glue import markdown_table

OUTCOME_EXAMPLES = [["match", "match"], ["match", "near"], ["match", "off"], ["off", "off"],
                    ["match", "unsupported"], ["match", "unconfirmed"], ["off", "unsupported"]]
READING_EXAMPLES = [["match", "near"], ["off", "off"], ["match", "off"], ["near", "off"]]


# Why a label of FIJ's scale has no rating value, or is never given.
UNORDERED = {
    "根拠不明": "—（順序の外：根拠がなく判定できない）",
    "判定留保": "—（順序の外：確かめられず判定できない）",
    "虚偽": "—（規則が与えない：誤りを知りながら伝えたかという意図の判定で、数値の検証ではできない）",
    "検証対象外": "—（規則が与えない：意見は台帳の記述にしない。記述の分け方を参照）",
}


def scale_table() -> pd.DataFrame:
    """FIJ's nine labels, this book's rating values (or why there is none) and FIJ's definitions (quoted)."""
    s = ratings.scale()
    return pd.DataFrame({
        "ラベル": s["label"],
        "評価値": [UNORDERED[label] if pd.isna(v) else str(v)
                for label, v in zip(s["label"], s["rating_value"], strict=True)],
        "FIJ の定義": [f"「{d}」{text.cite(k)}" for d, k in zip(s["definition"], s["source"], strict=True)],
    })


def outcome_table() -> pd.DataFrame:
    o = ratings.outcomes()
    return pd.DataFrame({"比べた結果": o["name"], "意味": o["meaning"], "基本のラベル": o["label"]})


def finding_table() -> pd.DataFrame:
    f = ratings.findings()
    return pd.DataFrame({"記事の表現への指摘": f["name"], "意味": f["meaning"], "ラベルの上限": f["cap"]})


def evidence_table() -> pd.DataFrame:
    e = ratings.evidence()
    return pd.DataFrame({"確度": e["strength"], "データの確かさ": [c or "—" for c in e["confidence"]],
                         "意味": e["meaning"], "ラベルの上限": [c or "—" for c in e["cap"]]})


def age_sentence() -> str:
    """The age rule in words, from data/rating/age.csv."""
    years, cap = ratings.age_rule()
    return (f"判定に使った最も新しい値の時点が記事の時点より{years}年以上前で、本書がより新しい関連データを"
            f"持つ（検証の newer 列）ときは、確度を「{cap}」までとします。")


def reading_examples() -> pd.DataFrame:
    """How the readings of one part resolve, computed by verdicts.resolve_part."""
    names = ratings.outcomes().set_index("outcome")["name"]
    rows = []
    for outcomes in READING_EXAMPLES:
        chosen, split = verdicts.resolve_part(outcomes)
        rows.append({"読み方の結果": "・".join(names[o] for o in outcomes),
                     "部分の結果": names[outcomes[chosen]],
                     "比較基準が不明": "付く" if split else "付かない"})
    return pd.DataFrame(rows)


def _groups() -> list[list[str]]:
    """Evidence strengths grouped when their rule matrices are identical."""
    groups: list[list[str]] = []
    for strength in ratings.graded_strengths():
        for group in groups:
            if ratings.rule_matrix(group[0]).equals(ratings.rule_matrix(strength)):
                group.append(strength)
                break
        else:
            groups.append([strength])
    return groups


def same_strengths_sentence() -> str:
    """Says which strengths share one matrix ('' when every strength has its own)."""
    shared = [g for g in _groups() if len(g) > 1]
    names = ["・".join(f"「{s}」" for s in group) for group in shared]
    return "".join(f"確度{n}の表は同じなので一つにまとめます。" for n in names)


def show_matrices() -> None:
    """One outcome × finding matrix per group of evidence strengths."""
    parts = []
    for group in _groups():
        title = "・".join(group)
        parts.append(f"**確度 {title}**\n\n" + markdown_table(ratings.rule_matrix(group[0])))
    display(Markdown("\n\n".join(parts)))


def combine_examples() -> pd.DataFrame:
    """How the outcomes of a statement's parts combine, computed by ratings.combine."""
    names = ratings.outcomes().set_index("outcome")["name"]
    return pd.DataFrame({
        "部分の結果": ["・".join(names[p] for p in parts) for parts in OUTCOME_EXAMPLES],
        "記述の結果": [names[ratings.combine(parts)] for parts in OUTCOME_EXAMPLES],
    })
