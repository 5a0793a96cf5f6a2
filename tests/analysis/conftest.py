"""The fixtures the library's tests share."""

from __future__ import annotations

import pytest

from analysis import data, verdicts


@pytest.fixture(scope="session")
def ledger() -> verdicts.Ledger:
    """The book's ledger, evaluated once per test process."""
    return verdicts.evaluate(data.observations())
