"""Japanese number formatting for glued prose (returns plain ``str``)."""

from __future__ import annotations

import math


def num(value: float, digits: int = 0) -> str:
    """``value`` with thousands separators and ``digits`` decimals: 17397 -> '17,397'."""
    return f"{float(value):,.{digits}f}"


def given_digits(value: float, most: int = 4) -> int:
    """The decimals a value was given with (its shortest repr), at most ``most``:
    12620.7 -> 1, 175.0 -> 0, 0.98 -> 2. Inputs are shown as their source gave them."""
    text = repr(float(value))
    if "e" in text or "." not in text or float(value).is_integer():
        return 0
    return min(len(text.split(".")[1]), most)


def oku_yen(value: float, digits: int = 0) -> str:
    """An amount in 億円 written the Japanese way: 17397 -> '1兆7,397億円'."""
    value = round(float(value), digits)
    if value < 0:
        return "-" + oku_yen(-value, digits)
    cho, oku = divmod(value, 10000)
    if cho >= 1:
        rest = "" if oku == 0 else f"{num(oku, digits)}億"
        return f"{int(cho):,}兆{rest}円"
    return f"{num(value, digits)}億円"


def pct(value: float, digits: int = 1) -> str:
    """A percentage given in percent units: 34.81 -> '34.8%'."""
    return f"{float(value):.{digits}f}%"


def rate(fraction: float, digits: int = 1) -> str:
    """A growth rate given as a fraction: 0.348 -> '34.8%'."""
    return pct(100.0 * float(fraction), digits)


def times(value: float, digits: int = 1) -> str:
    """A multiple: 12.3 -> '12.3倍'."""
    return f"{float(value):.{digits}f}倍"


def count(value: float, unit: str = "") -> str:
    """A whole count with separators and a unit: 10189, '人' -> '10,189人'."""
    if math.isnan(float(value)):
        raise ValueError("count of NaN")
    return f"{int(round(float(value))):,}{unit}"
