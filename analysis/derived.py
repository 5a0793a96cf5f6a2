"""Values a page reads in place of the files they are made from, and their
current digests.

A page that shows the whole ledger, one series of a file another chapter
owns, or the appendix's list of the data files records the SHA-256 of that
value (``data.DERIVED``) instead of every file behind it, so that ``make
book`` re-executes it only when the value changes, not on every data edit.
The notebook executor (``tooling.refresh``) and the status page ask
:func:`digests` for the value now of each name a notebook recorded:

- ``ledger``: the whole ledger (``verdicts.ledger``);
- ``data_files``: what the appendix データと出典 lists of each data file
  (``data_sources_page.show_files``: rows, series, periods, units, sources;
  not the values);
- ``data/observations/<file>.csv#<series>``: the rows of one series
  (``data.observed_series``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from analysis import data


def _ledger() -> str:
    from analysis import verdicts

    return verdicts.digest(verdicts.whole_ledger())


def _data_files() -> str:
    from analysis import data_sources_page

    return data_sources_page.files_digest()


NAMED: dict[str, Callable[[], str]] = {"ledger": _ledger, "data_files": _data_files}


def digests(names: Iterable[str]) -> dict[str, str]:
    """The current digest of each named value, from the data as they are now;
    a name that is no such value (a series gone from its file) has none.
    Reads nothing into FILES_READ."""
    found = {}
    for name in sorted(set(names)):
        now = NAMED[name]() if name in NAMED else data.series_digest(name)
        if now is not None:
            found[name] = now
    return found
