"""The book's one text layer: a value and its unit as Japanese prose.

Amounts, percentages, percentage points, multiples, counts, periods (fiscal
years, year ranges, dates) and ranges are all written here. Unit labels and
the default decimals of a computed value come from ``data/units.csv``
(columns ``label_ja`` and ``decimals``); a value a source gave is written with
the decimals the source gave it (:func:`given`).
"""

from __future__ import annotations

import math
import re
from decimal import Decimal

from analysis import data, units

DASH = "—"  # a value the book does not have
ABOUT = "約"  # before an amount that is approximate (rounded by the book, or so given by its source)
POINTS = "ポイント"  # the difference of two percentages
DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?(頃)?$")
YEAR_RANGE = re.compile(r"^(\d{4})-(\d{4})$")


# ---- numbers ----------------------------------------------------------------------


def num(value: float, digits: int = 0) -> str:
    """``value`` with thousands separators and ``digits`` decimals: 17397 -> '17,397'."""
    return f"{float(value):,.{digits}f}"


def _last_exponent(value: float) -> int:
    """The power of ten of the last digit of ``value`` as written, 0 for a
    whole number: 1160.1 -> -1, 412 -> 0, 1200.0 -> 0.

    Read from the shortest decimal form of the float (the CSV's text), so a
    stated trailing zero ("1.10") is not seen and the step is taken coarser.
    A missing or infinite value has no digits: 0."""
    if not math.isfinite(float(value)):
        return 0
    return min(int(Decimal(repr(float(value))).normalize().as_tuple().exponent), 0)


def given_digits(value: float, most: int = 4) -> int:
    """The decimals a value was given with, at most ``most``:
    12620.7 -> 1, 175.0 -> 0, 0.98 -> 2."""
    return min(-_last_exponent(value), most)


def last_digit(value: float) -> float:
    """The unit of the last digit of ``value`` as written: 1160.1 -> 0.1, 412 -> 1."""
    return float(Decimal(1).scaleb(_last_exponent(value)))


def rounding_bounds(published: float) -> tuple[float, float]:
    """The values a published figure may stand for (half a unit of its last
    digit either way): 9 -> (8.5, 9.5), 17.3 -> (17.25, 17.35)."""
    half = last_digit(published) / 2
    return float(published) - half, float(published) + half


def unit_label(unit: str) -> str:
    """The Japanese label of a unit of data/units.csv: 'oku_yen' -> '億円'."""
    return str(data.units().loc[unit, "label_ja"])


def unit_decimals(unit: str) -> int | None:
    """The ``decimals`` of ``unit`` in data/units.csv, or None where it is blank."""
    fixed = data.units().loc[unit, "decimals"]
    return None if data.missing(fixed) else int(fixed)


def decimals(unit: str, value: float) -> int:
    """The default decimals of ``value`` in ``unit``: none for a whole number;
    otherwise the unit's ``decimals`` in data/units.csv, or, where that is
    blank, by magnitude (none from 1,000, one from 10, two below)."""
    if float(value).is_integer():
        return 0
    fixed = unit_decimals(unit)
    if fixed is not None:
        return fixed
    return 0 if abs(value) >= 1000 else (1 if abs(value) >= 10 else 2)


# ---- a value with its unit ----------------------------------------------------------


def _oku_yen(value: float, digits: int) -> str:
    """An amount in 億円 the Japanese way: 17397 -> '1兆7,397億円'."""
    value = round(float(value), digits)
    if value < 0:
        return "-" + _oku_yen(-value, digits)
    cho, oku = divmod(value, 10000)
    if cho >= 1:
        rest = "" if oku == 0 else f"{num(oku, digits)}億"
        return f"{int(cho):,}兆{rest}円"
    return f"{num(value, digits)}億円"


def amount(value: float | None, unit: str, digits: int | None = None) -> str:
    """``value`` with the Japanese label of ``unit``: '17,397億円' -> '1兆7,397億円',
    '1,000万人', '2021年', '34.8%'. ``digits`` decimals, by default :func:`decimals`;
    '—' for a missing value."""
    if value is None or data.missing(value):
        return DASH
    if unit == "year":
        return f"{int(value)}年"
    if digits is None:
        digits = decimals(unit, value)
    if unit == "oku_yen":
        return _oku_yen(value, digits)
    return f"{num(value, digits)}{unit_label(unit)}"


def given(value: float, unit: str) -> str:
    """A source's value as the source gave it, with its unit: '12,620.7百万ドル', '6.8億ドル'."""
    return amount(value, unit, given_digits(value))


def row(observation) -> str:
    """An observation row (``value``, ``unit``) as its source gave it: '2兆円'."""
    return given(observation["value"], observation["unit"])


def observation(obs, ref: str) -> str:
    """The observation ``ref`` (``series|entity|period``) as its source gave it: '2兆円'."""
    return row(data.lookup(obs, ref))


def percent(value: float | None, digits: int | None = None) -> str:
    """A computed percentage, given in percent, to the decimals of 'percent' in
    data/units.csv unless ``digits`` says otherwise: 34.81 -> '34.8%', 40 -> '40.0%';
    '—' when missing."""
    return amount(value, "percent", unit_decimals("percent") if digits is None else digits)


def rate(fraction: float, digits: int | None = None) -> str:
    """A rate given as a fraction, in percent: 0.348 -> '34.8%'."""
    return percent(units.to_percent(float(fraction)), digits)


def points(value: float, digits: int | None = None) -> str:
    """The difference of two percentages: 37.2 -> '37.2ポイント'."""
    return f"{num(value, unit_decimals('percent') if digits is None else digits)}{POINTS}"


def multiple(value: float, digits: int | None = None) -> str:
    """A computed multiple, to the decimals of 'ratio' in data/units.csv unless
    ``digits`` says otherwise: 12.34 -> '12.3倍', 40 -> '40.0倍'."""
    return amount(value, "ratio", unit_decimals("ratio") if digits is None else digits)


def count(value: float, label: str = "") -> str:
    """A whole count with separators and a label: 10189, '人' -> '10,189人'."""
    if math.isnan(float(value)):
        raise ValueError("count of NaN")
    return f"{int(round(float(value))):,}{label}"


def about(written: str) -> str:
    """An approximate amount: '15,400人' -> '約15,400人'."""
    return ABOUT + written


def approximately(value: float, unit: str, places: int = -2) -> str:
    """An amount rounded to ``places`` (as for :func:`round`), marked approximate:
    15,372 persons -> '約15,400人'."""
    return about(amount(round(value, places), unit))


def given_series(rows) -> str:
    """A series' values (``value``, ``unit``) as their source gave them, joined by
    arrows: '3,787本→3,767本→3,719本'."""
    return "→".join(row(r) for _, r in rows.iterrows())


def cite(key: str) -> str:
    """A references.bib key as a MyST citation: '{cite}`nistep_2024`'."""
    return f"{{cite}}`{key}`"


def value_range(low: float, high: float, unit: str, digits: int | None = None) -> str:
    """Two values of one unit as a range, the unit written once: '8.5〜9.5%'."""
    low_text = amount(low, unit, digits).removesuffix(unit_label(unit))
    return f"{low_text}〜{amount(high, unit, digits)}"


# ---- periods -----------------------------------------------------------------------


def fiscal_year(year: int) -> str:
    """A fiscal year: 2021 -> '2021年度'."""
    return f"{int(year)}年度"


def fiscal_years(years) -> str:
    """The span of fiscal years from the first to the last of ``years``: '2003〜2021年度'."""
    return f"{int(min(years))}〜{fiscal_year(max(years))}"


def us_fiscal_year(year: int) -> str:
    """A US federal fiscal year (October to September): 2023 -> '2023会計年度'."""
    return f"{int(year)}会計年度"


def duration(years: float, digits: int = 1) -> str:
    """A length of time in years: 2.04 -> '2.0年'."""
    return num(years, digits) + unit_label("year")


def year(value: object) -> str:
    """A calendar year, or '記載なし' when the source gives none: 2030 -> '2030年'."""
    return "記載なし" if data.missing(value) else f"{int(value)}年"


def period(label: str) -> str:
    """A period label of the data as prose: 'FY2003' -> '2003年度', '2013-2015' ->
    '2013〜2015年', '2024-06-13' -> '2024年6月13日', '2022-06' -> '2022年6月',
    '2023-04頃' -> '2023年4月頃', '2023' -> '2023年'; any other label as it is."""
    label = str(label).strip()
    if re.fullmatch(r"FY\d{4}", label):
        return fiscal_year(int(label[2:]))
    span = YEAR_RANGE.match(label)
    if span:
        return f"{span.group(1)}〜{span.group(2)}年"
    found = DATE.match(label)
    if not found:
        return label
    year_, month, day, about = found.groups()
    out = f"{int(year_)}年" + (f"{int(month)}月" if month else "") + (f"{int(day)}日" if day else "")
    return out + (about or "")


def is_date(label: str) -> bool:
    """Whether a label is an ISO date or part of one ('2022', '2022-06', '2023-04頃')."""
    return bool(DATE.match(str(label).strip()))
