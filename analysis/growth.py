"""Growth arithmetic: CAGR, multiples, implied bases, shares.

All functions take plain floats in one unit (whatever the caller's unit is,
the same for both ends) and return plain Python floats, so results can be
glued into prose without NumPy reprs. Rates are fractions (0.348 = 34.8 %).
Formulas: see the 方法 appendix of the book.
"""

from __future__ import annotations


def _positive(name: str, value: float) -> float:
    value = float(value)
    if not value > 0:
        raise ValueError(f"{name} must be positive, got {value!r}")
    return value


def cagr(start: float, end: float, years: float) -> float:
    """Compound annual growth rate from ``start`` to ``end`` over ``years`` years.

    ``(end / start) ** (1 / years) - 1``. Both values must be positive (same
    unit) and ``years`` positive; a fraction is returned (0.348 = 34.8 %/year).
    """
    _positive("start", start)
    _positive("end", end)
    years = float(years)
    if not years > 0:
        raise ValueError(f"years must be positive, got {years!r}")
    return float((end / start) ** (1.0 / years) - 1.0)


def multiple_of(end: float, start: float) -> float:
    """How many times ``start`` the value ``end`` is (a ratio, same unit)."""
    return float(end) / _positive("start", start)


def implied_base(end: float, times: float) -> float:
    """The base value that a stated multiple implies: ``end / times``."""
    return float(end) / _positive("times", times)


def cagr_from_multiple(times: float, years: float) -> float:
    """The annual rate that grows a value ``times``-fold in ``years`` years."""
    return cagr(1.0, _positive("times", times), years)


def project(start: float, rate: float, years: float) -> float:
    """``start`` (positive) grown at ``rate`` (a fraction per year) for ``years`` years."""
    _positive("start", start)
    if rate <= -1:
        raise ValueError(f"rate must be above -100 %, got {rate!r}")
    return float(start) * (1.0 + float(rate)) ** float(years)


def share(part: float, total: float) -> float:
    """``part`` as a fraction of ``total`` (same unit)."""
    return float(part) / _positive("total", total)


def years_between(start_year: int, end_year: int) -> int:
    """Number of yearly steps between two (fiscal or calendar) years."""
    steps = int(end_year) - int(start_year)
    if steps <= 0:
        raise ValueError(f"end year {end_year} must come after start year {start_year}")
    return steps
