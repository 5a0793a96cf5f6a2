"""The checks of the article's claims: each check -> computed value -> outcome.

A check (a row of ``data/checks/<chapter>.csv``) says what the article states
(``stated``, ``comparison``) and how to compute the comparable value from
observations (``metric`` applied to references ``a`` and ``b``). This module
computes the value, says whether it is a source's value (出典の値) or derived
(計算値) and how (the calculation with its inputs), and compares it with the
statement: the outcome is ``match``, ``near``, ``off`` or ``none`` (no usable
source). Statements, their parts and their labels are in :mod:`analysis.verdicts`
and :mod:`analysis.ratings`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from analysis import data, growth, text, units
from analysis.data import DataError, lookup, missing, series

DEFAULT_TOLERANCE = 0.1
# Relative difference under which "equal" counts as an exact match: the
# article rounds (「約」「規模」), so half a percent is rounding, not error.
EXACT = 0.005
SOURCE_VALUE = "出典の値"
DERIVED_VALUE = "計算値"
TRENDS = ("increasing", "decreasing")
UNSUPPORTED_REASON = "記事は数値の出典を示さず、本書の調査でも見つからない"
UNCONFIRMED_REASON = "記事は出典を名指しするが、その出典で数値を確かめられない"
NEEDS_B = ("ratio", "share", "diff", "cagr")


@dataclass(frozen=True)
class Computed:
    """A check's comparable value, in the claim's unit, and how it was obtained."""

    value: float
    kind: str          # SOURCE_VALUE or DERIVED_VALUE
    derivation: str    # the calculation with its inputs, e.g. '17,397億円 ÷ 4,291億円 = 4.05倍'
    window: str        # trend checks: the data points used, first to latest
    confidences: tuple[str, ...]  # data confidence of every value used
    years: tuple[int, ...] = ()    # the year of every value used
    sources: tuple[str, ...] = ()  # the references.bib key of every value used
    precision: float = 0.0         # a difference's rounding step, in the claim's unit (0: exact)


def in_claim_unit(value: float, unit: str, claim_unit: str) -> float:
    """``value`` (in the data's ``unit``) in the article's ``claim_unit``; a claim
    without a unit takes the value as it is. E.g. 15.3 十億ドル -> 153 億ドル."""
    if not claim_unit or unit == claim_unit:
        return float(value)
    return data.convert(value, unit, claim_unit)


def _refs(obs: pd.DataFrame, check: pd.Series) -> list[pd.Series]:
    return [lookup(obs, check[k]) for k in ("a", "b") if check[k]]


def stated_step(value: float, unit: str, target: str) -> float:
    """The last stated digit of ``value`` (as its source writes it,
    e.g. 1.6 -> 0.1) expressed in ``target``: 1.6 万人 -> 1,000 人, 18,232 人 -> 1 人."""
    return in_claim_unit(text.last_digit(value), unit, target)


def _inputs(rows: list[pd.Series]) -> dict:
    """The confidences, years and sources of the observations used."""
    return {"confidences": tuple(r["confidence"] for r in rows),
            "years": tuple(int(r["year"]) for r in rows),
            "sources": tuple(dict.fromkeys(r["source"] for r in rows))}


def coarsest_step(steps: list[float]) -> float:
    """The rounding step of a difference of values stated to these last digits:
    the coarsest, when they differ (18,232 人 and 1.6 万人 -> 1,000 人); 0 when
    all are stated alike (the difference is as exact as its inputs)."""
    return max(steps) if max(steps) > min(steps) else 0.0


def rounded_difference(value: float, step: float) -> float:
    """A difference rounded to the coarsest input's last digit (a step of 1,000
    gives -2,000 for -2,232): it carries no more precision than that input."""
    return value if not step else round(value / step) * step


def result_text(value: float, metric: str, unit: str) -> str:
    """A computed value as the ledger writes it: '4.05倍', '34.8%', '1兆7,397億円'."""
    if math.isnan(value):
        return "—"
    if metric in ("cagr", "share"):
        return text.percent(value)
    if metric == "ratio":
        return text.multiple(value, 2)
    return text.amount(value, unit)


def trend_points(obs: pd.DataFrame, check: pd.Series) -> pd.DataFrame:
    """The series of a trend check, first to latest: series ``a`` (series|entity),
    continued by series ``b`` for the years after a's last (in a's unit)."""
    parts = check["a"].split("|")
    first = series(obs, *parts[:2])
    if len(parts) == 3:  # a window that starts at this period (a reading of an open window)
        start = lookup(obs, check["a"])["year"]
        first = first[first["year"] >= start]
    first = first.assign(shown=[text.given(v, u) for v, u in zip(first["value"], first["unit"],
                                                                  strict=True)])
    pairs = list(zip(first["value"], first["unit"], strict=True))
    first = first.assign(step=[stated_step(v, u, u) for v, u in pairs])
    columns = ["period", "year", "value", "unit", "confidence", "shown", "step", "source"]
    points = [first[columns]]
    if check["b"]:
        later = series(obs, *check["b"].split("|")[:2])
        later = later[later["year"] > first["year"].max()]
        unit = first["unit"].iloc[0]
        pairs = list(zip(later["value"], later["unit"], strict=True))
        later = later.assign(shown=[text.given(v, u) for v, u in pairs],
                             step=[stated_step(v, u, unit) for v, u in pairs],
                             value=[data.convert(v, u, unit) for v, u in pairs], unit=unit)
        points.append(later[columns])
    return pd.concat(points, ignore_index=True)


def _trend(obs: pd.DataFrame, check: pd.Series) -> Computed:
    points = trend_points(obs, check)
    step = coarsest_step([float(points["step"].iloc[0]), float(points["step"].iloc[-1])])
    step = in_claim_unit(step, points["unit"].iloc[0], check["unit"])
    change = in_claim_unit(float(points["value"].iloc[-1] - points["value"].iloc[0]), points["unit"].iloc[0],
                           check["unit"])
    path = " → ".join(f"{p}：{v}" for p, v in zip(points["period"], points["shown"], strict=True))
    window = f"{points['period'].iloc[0]}〜{points['period'].iloc[-1]}（{len(points)}点）"
    return Computed(change, DERIVED_VALUE, path, window, tuple(points["confidence"]),
                    tuple(int(y) for y in points["year"]), tuple(dict.fromkeys(points["source"])),
                    step)


def compute(obs: pd.DataFrame, check: pd.Series) -> Computed:
    """The comparable value of a check: ``metric`` applied to its references.

    value: a (converted to the claim's unit) · ratio: a / b · share: a / b in % ·
    diff: a - b · cagr: % per year from b (start) to a (end) · change: the
    series a (continued by series b), its last minus its first value.
    """
    metric, unit = check["metric"], check["unit"]
    if metric == "change":
        return _trend(obs, check)
    refs = _refs(obs, check)
    inputs = _inputs(refs)
    a = refs[0]
    if metric == "value":
        value = in_claim_unit(a["value"], a["unit"], unit)
        converted = not unit or a["unit"] == unit
        shown = "" if converted else f"{text.given(a['value'], a['unit'])} = {text.amount(value, unit)}"
        return Computed(value, SOURCE_VALUE, shown, "", **inputs)
    b = refs[1]
    left, right = text.given(a["value"], a["unit"]), text.given(b["value"], b["unit"])
    if metric == "ratio":
        value = growth.multiple_of(a["value"], b["value"])
        return Computed(value, DERIVED_VALUE, f"{left} ÷ {right} = {text.multiple(value, 2)}", "", **inputs)
    if metric == "share":
        value = units.to_percent(growth.share(a["value"], b["value"]))
        return Computed(value, DERIVED_VALUE, f"{left} ÷ {right} = {text.percent(value)}", "", **inputs)
    if metric == "diff":
        step = coarsest_step([stated_step(r["value"], r["unit"], unit) for r in refs])
        value = in_claim_unit(a["value"], a["unit"], unit) - in_claim_unit(b["value"], b["unit"], unit)
        return Computed(value, DERIVED_VALUE, f"{left} − {right} = {text.amount(value, unit)}", "",
                        **inputs, precision=step)
    if metric == "cagr":
        years = growth.years_between(b["year"], a["year"])
        value = units.to_percent(growth.cagr(b["value"], a["value"], years))
        shown = f"（{left} ÷ {right}）^(1/{years}) − 1 = {text.percent(value)}"
        return Computed(value, DERIVED_VALUE, shown, "", **inputs)
    raise ValueError(f"unknown metric {metric!r}")


def trend_outcome(values: list[float], direction: str) -> str:
    """match: every step moves in ``direction``; near: the last value is beyond
    the first in that direction but some step is flat or goes back; off:
    otherwise. A flat step is not movement."""
    sign = 1 if direction == "increasing" else -1
    steps = [sign * (b - a) for a, b in zip(values, values[1:], strict=False)]
    if not steps:
        raise ValueError("a trend needs at least two data points")
    if all(s > 0 for s in steps):
        return "match"
    return "near" if sign * (values[-1] - values[0]) > 0 else "off"


def compare(check: pd.Series, computed: float) -> str:
    """match, near or off for a computed value against the stated one."""
    how, stated = check["comparison"], check["stated"]
    tol = check["tolerance"] if not missing(check["tolerance"]) else DEFAULT_TOLERANCE
    if how == "equal":
        rel = abs(computed - stated) / abs(stated) if stated else abs(computed)
        return "match" if rel <= EXACT else "near" if rel <= tol else "off"
    if how == "at_least":
        return "match" if computed >= stated else "near" if computed >= stated * (1 - tol) else "off"
    if how == "at_most":
        return "match" if computed <= stated else "near" if computed <= stated * (1 + tol) else "off"
    if how == "range":
        low, high = stated, check["stated_high"]
        if low <= computed <= high:
            return "match"
        return "near" if low * (1 - tol) <= computed <= high * (1 + tol) else "off"
    raise ValueError(f"unknown comparison {how!r}")


def evaluate_one(obs: pd.DataFrame, check: pd.Series) -> dict:
    """Computed value, its kind and derivation, the window, the outcome, the
    confidences of the values used and the reason, for one check."""
    if check["metric"] == "none" or check["comparison"] == "none":
        return {"computed": math.nan, "value_kind": "", "derivation": "", "window": "",
                "outcome": "unsupported", "confidences": (), "years": (), "input_sources": (),
                "precision": 0.0, "reason": UNSUPPORTED_REASON}
    got = compute(obs, check)
    result = {"computed": got.value, "value_kind": got.kind, "derivation": got.derivation,
              "window": got.window, "confidences": got.confidences, "years": got.years,
              "input_sources": got.sources, "precision": got.precision}
    if "unconfirmed" in got.confidences:
        return {**result, "outcome": "unconfirmed",
                "reason": "数値は見つかるが、出典での値・帰属を確かめられない"}
    if check["comparison"] in TRENDS:
        values = list(trend_points(obs, check)["value"])
        outcome = trend_outcome(values, check["comparison"])
    else:
        outcome = compare(check, got.value)
    value = got.kind  # 出典の値 or 計算値: the reason says which was compared
    reason = {"match": f"{value}が記事の数値・条件と一致", "near": f"{value}が許容誤差の範囲で外れる",
              "off": f"{value}が記事の数値・条件と合わない"}[outcome]
    if check["comparison"] in TRENDS:
        reason = {"match": "期間のすべての区間で記事の向きに動く",
                  "near": "期間全体では記事の向きだが、横ばいや逆向きの区間がある",
                  "off": "期間全体で記事の向きに動いていない"}[outcome]
    return {**result, "outcome": outcome, "reason": reason}


def check_refs(checks: pd.DataFrame, obs: pd.DataFrame) -> None:
    """Every reference of every check points at an existing observation or
    series, and each metric has the columns it needs; else one DataError."""
    for _, check in checks.iterrows():
        where = (check["_file"], int(check["_row"]))
        for col in ("a", "b"):
            ref = check[col]
            if not ref:
                continue
            try:
                if check["metric"] == "change":
                    series(obs, *ref.split("|")[:2])
                else:
                    lookup(obs, ref)
            except (KeyError, TypeError, ValueError):
                raise DataError(*where, col, f"reference '{ref}' matches no observation") from None
        if check["metric"] != "none" and not check["a"]:
            raise DataError(*where, "a", f"metric '{check['metric']}' needs a reference in column a")
        if check["metric"] in NEEDS_B and not check["b"]:
            raise DataError(*where, "b", f"metric '{check['metric']}' needs a reference in column b")
        if check["comparison"] not in ("none", *TRENDS) and missing(check["stated"]):
            raise DataError(*where, "stated", f"comparison '{check['comparison']}' needs a stated value")


def evaluate_checks(checks: pd.DataFrame, obs: pd.DataFrame) -> pd.DataFrame:
    """The checks with computed, value_kind, derivation, window, outcome,
    confidences and reason added."""
    check_refs(checks, obs)
    results = [evaluate_one(obs, check) for _, check in checks.iterrows()]
    return pd.concat([checks.reset_index(drop=True), pd.DataFrame(results)], axis=1)
