"""The fixtures the library's tests share."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import data, glue, verdicts


@pytest.fixture(scope="session")
def obs() -> pd.DataFrame:
    """Every observation of the book (a test module that needs one chapter's defines its own)."""
    return data.observations()


@pytest.fixture
def glued(monkeypatch) -> dict[str, str]:
    """The texts glued while a test runs, by name, instead of myst-nb's glue
    (glue.amount, glue.given, glue.ends and glue.change glue through glue.text);
    a name glued twice or a text that is not a str fails the test."""
    texts: dict[str, str] = {}

    def record(name: str, value: str) -> None:
        assert isinstance(value, str), f"{name}: {value!r} is not a str"
        assert name not in texts, f"{name} glued twice"
        texts[name] = value

    monkeypatch.setattr(glue, "text", record)
    return texts


@pytest.fixture(scope="session")
def ledger() -> verdicts.Ledger:
    """The book's ledger, evaluated once per test process (the library's own cache)."""
    return verdicts.whole_ledger()
