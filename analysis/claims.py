"""The claims engine: each claim of the article -> computed value -> verdict.

A claim row (data/claims/*.csv) says what the article states (``stated``,
``comparison``) and how to compute the comparable value from observations
(``metric`` applied to references ``a`` and ``b``). The verdict is derived
here, never typed by hand:

- 出典未確認: no data to compute from, or the data behind it is only
  ``unconfirmed`` (attribution not verified);
- 一致 / 概ね一致 / 不一致: the computed value against the stated one;
- 表現に誤り: the number holds, but a sourced finding shows the article's
  wording is wrong (misattributed survey, wrong year, wrong quantity ...).
"""

from __future__ import annotations

import pandas as pd

from analysis import data, growth
from analysis.data import DataError, convert, lookup, missing, series

HOLDS = "一致"
ROUGHLY = "概ね一致"
FAILS = "不一致"
MISSTATED = "表現に誤り"
UNCONFIRMED = "出典未確認"
VERDICTS = (HOLDS, ROUGHLY, FAILS, MISSTATED, UNCONFIRMED)

DEFAULT_TOLERANCE = 0.1
# Relative difference under which "equal" counts as an exact match: the
# article rounds (「約」「規模」), so half a percent is rounding, not error.
EXACT = 0.005

FINDING_LABELS = {
    "misattributed": "出典の取り違え",
    "wrong_year": "年の誤り",
    "wrong_quantity": "指標の取り違え",
    "wrong_wording": "表現の誤り",
    "baseline_unstated": "比較基準が不明",
}


def _refs(obs: pd.DataFrame, claim: pd.Series) -> list[pd.Series]:
    return [lookup(obs, claim[k]) for k in ("a", "b") if claim[k]]


def in_claim_unit(value: float, unit: str, claim_unit: str) -> float:
    """``value`` (in the data's ``unit``) in the article's ``claim_unit``; a claim
    without a unit takes the value as it is. E.g. 15.3 十億ドル -> 153 億ドル."""
    if not claim_unit or unit == claim_unit:
        return float(value)
    return convert(value, unit, claim_unit)


def compute(obs: pd.DataFrame, claim: pd.Series) -> float:
    """The value of ``claim['metric']`` applied to its references.

    value: a · ratio: a / b · share: a / b in % · diff: a - b ·
    cagr: % per year from b (start) to a (end) · change: last minus first
    value of the series ``a`` (series|entity). Values and differences are
    expressed in the claim's unit (the article's), converted from the data's.
    """
    metric = claim["metric"]
    if metric == "change":
        series_id, entity = claim["a"].split("|")[:2]
        rows = series(obs, series_id, entity)
        return float(rows["value"].iloc[-1] - rows["value"].iloc[0])
    a, *rest = _refs(obs, claim)
    if metric == "value":
        return in_claim_unit(a["value"], a["unit"], claim["unit"])
    b = rest[0]
    if metric == "ratio":
        return growth.multiple(a["value"], b["value"])
    if metric == "share":
        return 100.0 * growth.share(a["value"], b["value"])
    if metric == "diff":
        unit = claim["unit"]
        return in_claim_unit(a["value"], a["unit"], unit) - in_claim_unit(b["value"], b["unit"], unit)
    if metric == "cagr":
        years = growth.years_between(b["year"], a["year"])
        return 100.0 * growth.cagr(b["value"], a["value"], years)
    raise ValueError(f"unknown metric {metric!r}")


def steps_in_direction(obs: pd.DataFrame, ref: str, direction: str) -> tuple[int, int]:
    """(steps that move in ``direction``, all steps) along series ``ref``."""
    series_id, entity = ref.split("|")[:2]
    values = series(obs, series_id, entity)["value"].tolist()
    diffs = [b - a for a, b in zip(values, values[1:], strict=False)]
    sign = 1 if direction == "increasing" else -1
    return sum(1 for d in diffs if d * sign >= 0), len(diffs)


def compare(claim: pd.Series, computed: float, obs: pd.DataFrame | None = None) -> str:
    """一致, 概ね一致 or 不一致 for a computed value against the stated one."""
    how = claim["comparison"]
    stated = claim["stated"]
    tol = claim["tolerance"] if not missing(claim["tolerance"]) else DEFAULT_TOLERANCE
    if how in ("increasing", "decreasing"):
        moved, steps = steps_in_direction(obs, claim["a"], how)
        net_ok = computed > 0 if how == "increasing" else computed < 0
        if net_ok and moved == steps:
            return HOLDS
        return ROUGHLY if net_ok else FAILS
    if how == "equal":
        rel = abs(computed - stated) / abs(stated) if stated else abs(computed)
        return HOLDS if rel <= EXACT else ROUGHLY if rel <= tol else FAILS
    if how == "at_least":
        return HOLDS if computed >= stated else ROUGHLY if computed >= stated * (1 - tol) else FAILS
    if how == "at_most":
        return HOLDS if computed <= stated else ROUGHLY if computed <= stated * (1 + tol) else FAILS
    if how == "range":
        low, high = stated, claim["stated_high"]
        if low <= computed <= high:
            return HOLDS
        return ROUGHLY if low * (1 - tol) <= computed <= high * (1 + tol) else FAILS
    raise ValueError(f"unknown comparison {how!r}")


def evaluate_one(obs: pd.DataFrame, claim: pd.Series) -> tuple[float, str, str]:
    """(computed value, verdict, reason) for one claim."""
    if claim["metric"] == "none" or claim["comparison"] == "none":
        return float("nan"), UNCONFIRMED, "出典が見つからない"
    computed = compute(obs, claim)
    if claim["metric"] == "change":
        series_id, entity = claim["a"].split("|")[:2]
        used = series(obs, series_id, entity)["confidence"].tolist()
    else:
        used = [r["confidence"] for r in _refs(obs, claim)]
    if "unconfirmed" in used:
        return computed, UNCONFIRMED, "数値はあるが出典の帰属が未確認"
    verdict = compare(claim, computed, obs)
    if verdict in (HOLDS, ROUGHLY) and claim["finding"]:
        return computed, MISSTATED, FINDING_LABELS[claim["finding"]]
    reason = {HOLDS: "計算値が記事の数値と一致", ROUGHLY: "計算値が許容誤差内",
              FAILS: "計算値が記事の数値と合わない"}[verdict]
    return computed, verdict, reason


def check_refs(claims: pd.DataFrame, obs: pd.DataFrame) -> None:
    """Every reference of every claim points at an existing observation/series."""
    for _, claim in claims.iterrows():
        for col in ("a", "b"):
            ref = claim[col]
            if not ref:
                continue
            try:
                if claim["metric"] == "change":
                    series(obs, *ref.split("|")[:2])
                else:
                    lookup(obs, ref)
            except (KeyError, TypeError, ValueError):
                raise DataError(claim["_file"], int(claim["_row"]), col,
                                f"reference '{ref}' matches no observation") from None
        if claim["metric"] not in ("none",) and not claim["a"]:
            raise DataError(claim["_file"], int(claim["_row"]), "a",
                            f"metric '{claim['metric']}' needs a reference in column a")
        if claim["metric"] in ("ratio", "share", "diff", "cagr") and not claim["b"]:
            raise DataError(claim["_file"], int(claim["_row"]), "b",
                            f"metric '{claim['metric']}' needs a reference in column b")
        if claim["comparison"] not in ("none", "increasing", "decreasing") and missing(claim["stated"]):
            raise DataError(claim["_file"], int(claim["_row"]), "stated",
                            f"comparison '{claim['comparison']}' needs a stated value")
        if claim["finding"] and not claim["finding_source"]:
            raise DataError(claim["_file"], int(claim["_row"]), "finding_source",
                            "a finding needs the source that shows it")


def evaluate(claims: pd.DataFrame, obs: pd.DataFrame) -> pd.DataFrame:
    """The claims table with ``computed``, ``verdict`` and ``reason`` added."""
    check_refs(claims, obs)
    out = claims.copy()
    results = [evaluate_one(obs, claim) for _, claim in claims.iterrows()]
    out["computed"] = [r[0] for r in results]
    out["verdict"] = [r[1] for r in results]
    out["reason"] = [r[2] for r in results]
    return out


def scorecard(evaluated: pd.DataFrame) -> pd.DataFrame:
    """Counts of each verdict by chapter (rows) with a total row and column."""
    table = pd.crosstab(evaluated["chapter"], pd.Categorical(evaluated["verdict"], VERDICTS),
                        margins=True, margins_name="合計", dropna=False)
    table.columns.name = None
    table.index.name = "章"
    return table


def validate_all() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Validate every data file and every claim's references; return
    (observations, evaluated claims). Raises the first DataError."""
    obs = data.observations()
    result = evaluate(data.claims(), obs)
    for path in sorted((data.DATA / "tables").glob("*.csv")):
        data.read_table(path, "tables")
    return obs, result
