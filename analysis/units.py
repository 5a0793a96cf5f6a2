"""Units of the book's values (data/units.csv): conversion and the one
formatter that writes a value with its Japanese unit label."""

from __future__ import annotations

import math

from analysis import data, fmt


def given(value: float, unit: str) -> str:
    """A source's value as the source gave it, with its unit: '12,620.7百万ドル', '6.8億ドル'."""
    return amount(value, unit, fmt.given_digits(value))


def amount(value: float, unit: str, digits: int | None = None) -> str:
    """``value`` with the Japanese label of ``unit`` (data/units.csv): '17,397億円',
    '1兆7,397億円', '1,000万人'. ``digits`` decimals, or by default none for whole
    numbers and numbers from 1,000, one from 10, two below."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    label = data.units().loc[unit, "label_ja"] if unit else ""
    if digits is None:
        digits = 0 if float(value).is_integer() or abs(value) >= 1000 else (1 if abs(value) >= 10 else 2)
    if unit == "year":
        return f"{int(value)}年"
    if unit == "oku_yen":
        return fmt.oku_yen(value, digits)
    return f"{fmt.num(value, digits)}{label}"


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
    oku_usd = data.convert(value, unit, "oku_yen") / float(yen_per_usd)
    return data.convert(oku_usd, "oku_usd", target)
