"""Files the build derives for readers and machines, kept in ``exports/`` and
committed beside the sources (like the notebooks' outputs):

- ``exports/ledger.csv`` and ``exports/ledger.json``: the claims ledger
  (one row per statement; JSON with the checks nested), linked from the
  ledger page.

``make book`` rewrites them after refreshing the notebooks; the tests check
that the committed files are what the data give.

    python -m tooling.exports           # write what changed
    python -m tooling.exports --check   # exit 1 if a committed file is stale
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tooling.build import ROOT

EXPORTS = ROOT / "exports"


def expected() -> dict[Path, str]:
    """Every export file and the text it must hold, computed from the data."""
    from analysis import claimreview, data, ledger

    book = ledger.evaluate(data.observations())
    return {EXPORTS / "ledger.csv": claimreview.to_csv(book),
            EXPORTS / "ledger.json": claimreview.to_json(book)}


def stale() -> list[Path]:
    """The export files whose committed text differs from what the data give."""
    return [path for path, text in expected().items()
            if not path.exists() or path.read_text(encoding="utf-8") != text]


def write() -> list[Path]:
    """Write the export files that changed; return them."""
    changed = []
    for path, text in expected().items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale files")
    args = parser.parse_args(argv)
    if args.check:
        old = stale()
        for path in old:
            print(f"stale: {path.relative_to(ROOT)}", file=sys.stderr)
        return 1 if old else 0
    for path in write():
        print(f"exported: {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
