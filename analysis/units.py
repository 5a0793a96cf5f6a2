"""Conversions between the units of data/units.csv (the text of a value and its
unit is :mod:`analysis.text`)."""

from __future__ import annotations

from analysis import data


def _percent_scale() -> float:
    """How many percent make one (1 / the factor of 'percent' to its base, from data/units.csv)."""
    return 1.0 / float(data.units().loc["percent", "to_base"])


def to_fraction(value: float, unit: str = "percent") -> float:
    """A share in ``unit`` (a unit of dimension share) as a fraction: 34.8 % -> 0.348."""
    if data.units().loc[unit, "dimension"] != "share":
        raise ValueError(f"{unit!r} is not a share unit")
    return float(value) * float(data.units().loc[unit, "to_base"])


def to_percent(fraction):
    """A fraction in percent: 0.348 -> 34.8 (a number, or each of an array's)."""
    return fraction * _percent_scale()


def to_oku_yen(value: float, unit: str) -> float:
    """``value`` in ``unit`` (a yen unit of data/units.csv) in 億円.

    Raises ``ValueError`` for a unit that is not an amount in yen.
    """
    table = data.units()
    if unit not in table.index or table.loc[unit, "dimension"] != "jpy":
        raise ValueError(f"unit {unit!r} is not an amount in yen")
    return data.convert(value, unit, "oku_yen")


def yen_to_usd(value: float, unit: str, yen_per_usd: float, target: str = "oku_usd") -> float:
    """A yen amount (``unit`` of dimension jpy) in dollars (``target``) at ``yen_per_usd``.

    50 兆円 at 140 円/ドル -> 3,571.4 億ドル: the amount in 億円 divided by the
    rate is the amount in 億ドル. The rate is an explicit argument: callers pass
    a sourced rate or a value of an assumption grid.
    """
    if not yen_per_usd > 0:
        raise ValueError(f"yen_per_usd must be positive, got {yen_per_usd!r}")
    table = data.units()
    if table.loc[unit, "dimension"] != "jpy" or table.loc[target, "dimension"] != "usd":
        raise ValueError(f"need a yen unit and a dollar unit, got {unit!r} and {target!r}")
    return data.convert(to_oku_yen(value, unit) / float(yen_per_usd), "oku_usd", target)
