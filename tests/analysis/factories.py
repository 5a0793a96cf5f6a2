"""Shared test factories: observation frames and checks in the data's columns,
for tests that need values of their own (the book's data: data.observations())."""

from __future__ import annotations

import math

import pandas as pd

OBSERVATION_COLUMNS = ("series", "entity", "period", "year", "value", "unit", "kind", "confidence",
                       "source", "note")


def observations(rows: list[tuple], columns: tuple[str, ...] = OBSERVATION_COLUMNS) -> pd.DataFrame:
    """An observations frame of ``rows``, in ``columns`` (by default the data's own, in its order;
    a test that needs fewer names them)."""
    return pd.DataFrame(list(rows), columns=list(columns))


def check(**fields) -> pd.Series:
    """A row of data/checks/ as the ledger loads it: an exact value check of
    nothing, with ``fields`` replacing the defaults."""
    base = dict(check_id="t_01", statement_id="t_01", part="", basis="", stated=math.nan,
                stated_high=math.nan, unit="", comparison="equal", tolerance=math.nan, metric="value",
                a="", b="", source="", note="", stated_by="article", public="", newer="", precision=0.0,
                _file="data/checks/x.csv", _row=2)
    base.update(fields)
    return pd.Series(base)


def toward(start: float, goal: float, fraction: float) -> float:
    """The point ``fraction`` (0 to 1) of the way from ``start`` to ``goal``,
    never past ``goal``: ``start + fraction * (goal - start)`` can miss it by a
    rounding error (258 + 1.0 * (1.00001 - 258) < 1.00001), past the goal."""
    point = start + fraction * (goal - start)
    return min(max(point, min(start, goal)), max(start, goal))
