"""Units of the book's values (data/units.csv): conversion and the one
formatter that writes a value with its Japanese unit label."""

from __future__ import annotations

import math

from analysis import data, fmt


def amount(value: float, unit: str) -> str:
    """``value`` with the Japanese label of ``unit`` (data/units.csv): '17,397億円'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    label = data.units().loc[unit, "label_ja"] if unit else ""
    digits = 0 if float(value).is_integer() or abs(value) >= 1000 else (1 if abs(value) >= 10 else 2)
    if unit == "year":
        return f"{int(value)}年"
    if unit == "oku_yen":
        return fmt.oku_yen(value, digits)
    return f"{fmt.num(value, digits)}{label}"
