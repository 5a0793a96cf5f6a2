import math

import pandas as pd
import pytest

from analysis import claims

OBS = pd.DataFrame([
    # series, entity, period, year, value, unit, kind, confidence, source
    ("m", "JP", "FY2023", 2023, 100.0, "oku_yen", "actual", "primary", "s"),
    ("m", "JP", "FY2028", 2028, 1230.0, "oku_yen", "forecast", "secondary", "s"),
    ("u", "JP", "FY2028", 2028, 500.0, "oku_yen", "forecast", "unconfirmed", "s"),
    ("r", "JP", "A", 2001, 4.0, "rank", "actual", "primary", "s"),
    ("r", "JP", "B", 2002, 6.0, "rank", "actual", "primary", "s"),
    ("r", "JP", "C", 2003, 5.0, "rank", "actual", "primary", "s"),
    ("r", "JP", "D", 2004, 13.0, "rank", "actual", "primary", "s"),
], columns=["series", "entity", "period", "year", "value", "unit", "kind", "confidence", "source"])


def claim(**fields) -> pd.Series:
    base = dict(claim_id="t_01", chapter="t", quote="q", stated=float("nan"), stated_high=float("nan"),
                unit="", comparison="equal", tolerance=float("nan"), metric="value", a="", b="",
                finding="", finding_note="", finding_source="", source="", note="", _file="x.csv", _row=2)
    base.update(fields)
    return pd.Series(base)


@pytest.mark.parametrize("stated,comparison,expected", [
    (1230, "equal", claims.HOLDS),
    (1235, "equal", claims.HOLDS),      # within rounding (0.5 %)
    (1300, "equal", claims.ROUGHLY),    # within 10 %
    (2000, "equal", claims.FAILS),
    (1200, "at_least", claims.HOLDS),
    (1300, "at_least", claims.ROUGHLY),
    (1500, "at_least", claims.FAILS),
    (1300, "at_most", claims.HOLDS),
    (1000, "at_most", claims.FAILS),
])
def test_verdict_of_a_value(stated, comparison, expected):
    c = claim(stated=float(stated), comparison=comparison, a="m|JP|FY2028")
    assert claims.evaluate_one(OBS, c)[1] == expected


def test_range_and_ratio_and_cagr():
    ratio = claim(stated=12.0, comparison="at_least", metric="ratio", a="m|JP|FY2028", b="m|JP|FY2023")
    assert claims.evaluate_one(OBS, ratio)[:2] == (pytest.approx(12.3), claims.HOLDS)
    cagr = claim(stated=65.0, comparison="equal", metric="cagr", a="m|JP|FY2028", b="m|JP|FY2023")
    value, verdict, _ = claims.evaluate_one(OBS, cagr)
    assert value == pytest.approx(100 * (12.3 ** 0.2 - 1)) and verdict == claims.HOLDS
    in_range = claim(stated=1000.0, stated_high=1300.0, comparison="range", a="m|JP|FY2028")
    assert claims.evaluate_one(OBS, in_range)[1] == claims.HOLDS


def test_finding_turns_a_holding_number_into_misstated():
    c = claim(stated=1200.0, comparison="at_least", a="m|JP|FY2028", finding="misattributed",
              finding_source="s")
    assert claims.evaluate_one(OBS, c)[1] == claims.MISSTATED


def test_finding_does_not_hide_a_failing_number():
    c = claim(stated=5000.0, comparison="equal", a="m|JP|FY2028", finding="wrong_year", finding_source="s")
    assert claims.evaluate_one(OBS, c)[1] == claims.FAILS


def test_unconfirmed_data_or_no_data_is_unconfirmed():
    assert claims.evaluate_one(OBS, claim(stated=500.0, a="u|JP|FY2028"))[1] == claims.UNCONFIRMED
    value, verdict, _ = claims.evaluate_one(OBS, claim(comparison="none", metric="none"))
    assert math.isnan(value) and verdict == claims.UNCONFIRMED


def test_trend_claims_count_steps():
    # rank 4 -> 6 -> 5 -> 13: rises overall, but not at every step
    c = claim(comparison="increasing", metric="change", a="r|JP")
    value, verdict, _ = claims.evaluate_one(OBS, c)
    assert value == 9.0 and verdict == claims.ROUGHLY
    falling = claim(comparison="decreasing", metric="change", a="r|JP")
    assert claims.evaluate_one(OBS, falling)[1] == claims.FAILS


def test_scorecard_counts_every_claim_once():
    ledger = pd.DataFrame({"chapter": ["a", "a", "b"],
                           "verdict": [claims.HOLDS, claims.FAILS, claims.HOLDS]})
    card = claims.scorecard(ledger)
    assert card.loc["合計", "合計"] == 3
    assert card.loc["a", claims.FAILS] == 1 and card.loc["b", claims.UNCONFIRMED] == 0
