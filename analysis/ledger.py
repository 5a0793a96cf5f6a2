"""The claims ledger (検証台帳): the article's statements, their checks, and
one rating each.

- ``data/statements/<chapter>.csv``: one row per statement of the article
  (the unit of the ledger): its quote, the chapter section where the book
  computes it, and at most one sourced finding about its wording;
- ``data/checks/<chapter>.csv``: the checks of each statement. A statement
  with several **parts** (開始年度 and 終了年度, 対米国 and 対中国) has one check
  per part; a part whose base the article leaves open has one check per
  plausible **basis**, and the book's rule takes the strictest of them (the
  one that rates the statement lowest), so a statement is 正確 only if it holds
  whichever base the reader had in mind. Every basis stays in the ledger.

:mod:`analysis.claims` computes and compares each check;
:mod:`analysis.ratings` turns the outcome, the finding and the evidence
strength into the label. Nothing in a rating column is typed by hand.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis import claims, data, ratings, units

# Strictness of a check's outcome when the rule picks one basis among several.
STRICTNESS = {"off": 0, "near": 1, "match": 2}


@dataclass(frozen=True)
class Ledger:
    """The rated statements and their evaluated checks (one frame each)."""

    statements: pd.DataFrame
    checks: pd.DataFrame

    def statement(self, statement_id: str) -> pd.Series:
        rows = self.statements[self.statements["statement_id"] == statement_id]
        if rows.empty:
            raise KeyError(f"no statement {statement_id!r} in the ledger")
        return rows.iloc[0]

    def checks_of(self, statement_id: str) -> pd.DataFrame:
        return self.checks[self.checks["statement_id"] == statement_id]


def _chapters(folder: str, chapters: tuple[str, ...]) -> pd.DataFrame:
    """The files of ``data/<folder>/`` for ``chapters`` (all when empty), typed
    by the data package, with a ``chapter`` column (the file's name)."""
    frame = data.load_folder(folder, chapters)
    return frame.assign(chapter=[Path(f).stem for f in frame["_file"]])


def statements(*chapters: str) -> pd.DataFrame:
    """The article's statements (all chapters, or only those named)."""
    return _chapters("statements", chapters)


def checks(*chapters: str) -> pd.DataFrame:
    """The checks of the statements (all chapters, or only those named). The
    package's foreign key ties each to a statement of the same chapter."""
    return _chapters("checks", chapters)


def select_bases(evaluated: pd.DataFrame) -> pd.Series:
    """Which checks decide their part: the only one, or among the plausible
    bases of a part the strictest (first in file order on a tie; checks with
    no source decide only when no basis has one)."""
    chosen = pd.Series(False, index=evaluated.index)
    for _, group in evaluated.groupby(["statement_id", "part"], sort=False):
        checked = group[group["outcome"] != "none"]
        pool = checked if not checked.empty else group
        best = min(pool.index, key=lambda i: (STRICTNESS.get(pool.loc[i, "outcome"], 3), i))
        chosen[best] = True
    return chosen


def rate(statement: pd.Series, decisive: pd.DataFrame) -> dict:
    """Outcome, evidence strength and label of one statement from its deciding checks."""
    outcome = ratings.combine(list(decisive["outcome"]))
    used = [c for confidences in decisive["confidences"] for c in confidences]
    strength = ratings.strength(used if outcome != "none" else [])
    label = ratings.label(outcome, statement["finding"], strength)
    return {"outcome": outcome, "strength": strength, "label": label,
            "rating_value": ratings.rating_value(label)}


def evaluate(obs: pd.DataFrame, *chapters: str) -> Ledger:
    """Every statement of ``chapters`` (all when none) rated from ``obs``."""
    evaluated = claims.evaluate(checks(*chapters), obs)
    evaluated["decides"] = select_bases(evaluated)
    rows = []
    for _, statement in statements(*chapters).iterrows():
        own = evaluated[evaluated["statement_id"] == statement["statement_id"]]
        if own.empty:
            raise data.DataError(statement["_file"], int(statement["_row"]), "statement_id",
                                 f"statement '{statement['statement_id']}' has no check in data/checks/")
        rows.append({**statement.to_dict(), **rate(statement, own[own["decides"]])})
    return Ledger(pd.DataFrame(rows), evaluated)


def validate_all() -> tuple[pd.DataFrame, Ledger]:
    """Validate the data package (frictionless) and every check's references;
    return (observations, the whole ledger). Raises the first DataError."""
    data.validate()
    obs = data.observations()
    return obs, evaluate(obs)


# ---- texts ----------------------------------------------------------------


def stated_text(check: pd.Series) -> str:
    """What the article states, in its unit, with the comparison: '10倍以上', '29億ドル〜38億ドル'."""
    how = check["comparison"]
    if how in claims.TRENDS:
        if check["unit"] == "rank":  # a rising rank number is a falling position
            return "順位が下がり続ける" if how == "increasing" else "順位が上がり続ける"
        return "増え続ける" if how == "increasing" else "減り続ける"
    if data.missing(check["stated"]):
        return "—"
    text = units.amount(check["stated"], check["unit"])
    if how == "range" or not data.missing(check["stated_high"]):
        text += "〜" + units.amount(check["stated_high"], check["unit"])
    return text + {"at_least": "以上", "at_most": "以下"}.get(how, "")


def computed_text(check: pd.Series) -> str:
    """The computed value in the claim's unit: '0.98倍', '34.8%', '4位下落' ('—' when none)."""
    value = check["computed"]
    if isinstance(value, float) and math.isnan(value):
        return "—"
    if check["metric"] == "change":
        unit = check["unit"]
        if unit == "rank":
            steps = int(round(abs(value)))
            return f"{steps}位{'下落' if value > 0 else '上昇'}" if steps else "変化なし"
        return ("+" if value > 0 else "") + units.amount(value, unit)
    return claims.result_text(value, check["metric"], check["unit"])


def count_table(book: Ledger) -> pd.DataFrame:
    """Statements by label (rows, the scale's order) and evidence strength (columns), with totals."""
    s = book.statements
    strengths = list(ratings.evidence()["strength"])
    rows = []
    for label in ratings.scale()["label"]:
        mine = s[s["label"] == label]
        if mine.empty and pd.isna(ratings.scale().set_index("label").loc[label, "rating_value"]):
            continue  # a label no rule gives
        counts = [int((mine["strength"] == k).sum()) for k in strengths]
        rows.append({"判定": label, **{f"確度 {k}": str(n) for k, n in zip(strengths, counts, strict=True)},
                     "計": str(len(mine))})
    total = {f"確度 {k}": str(int((s["strength"] == k).sum())) for k in strengths}
    rows.append({"判定": "計", **total, "計": str(len(s))})
    return pd.DataFrame(rows)


def rated_labels(book: Ledger) -> list[str]:
    """The labels the rules can give, in the scale's order (best first)."""
    scale = ratings.scale()
    return list(scale.loc[scale["rating_value"].notna(), "label"])


def scorecard(book: Ledger) -> pd.DataFrame:
    """Statements by chapter (rows, with a total) and label (columns, with a total)."""
    s = book.statements
    labels = rated_labels(book)
    table = pd.crosstab(s["chapter"], pd.Categorical(s["label"], labels), margins=True, margins_name="計",
                        dropna=False)
    table = table.reindex([*dict.fromkeys(s["chapter"]), "計"])
    table.columns.name = None
    table.index.name = "章"
    return table


def label_counts(book: Ledger) -> dict[str, int]:
    """How many statements got each label the rules can give (0 included)."""
    counts = book.statements["label"].value_counts()
    return {label: int(counts.get(label, 0)) for label in rated_labels(book)}
