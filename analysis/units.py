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
