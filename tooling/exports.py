"""Files the build derives for readers and machines, kept in ``exports/`` and
committed beside the sources (like the notebooks' outputs):

- ``exports/ledger.csv`` and ``exports/ledger.json``: the claims ledger
  (one row per statement; JSON with the checks nested), linked from the
  ledger page;
- ``exports/figures/<name>.csv`` and ``<name>.vl.json``: the rows each chart
  plots and its Vega-Lite spec, from the notebooks' stored outputs (see
  :mod:`tooling.figures`), linked below each chart.

``make book`` rewrites them after refreshing the notebooks; the tests check
that the committed files are what the data give.

    python -m tooling.exports           # write what changed
    python -m tooling.exports --check   # exit 1 if a committed file is stale
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tooling import ROOT

EXPORTS = ROOT / "exports"
FIGURES = EXPORTS / "figures"


def expected() -> dict[Path, str]:
    """Every export file and the text it must hold, computed from the data."""
    from analysis import claimreview, verdicts
    from tooling import figures, refresh

    ledger = verdicts.whole_ledger()
    files = {EXPORTS / "ledger.csv": claimreview.to_csv(ledger),
             EXPORTS / "ledger.json": claimreview.to_json(ledger)}
    for notebook in refresh.all_notebooks():
        for name, spec in figures.glued_charts(notebook).items():
            files[FIGURES / f"{name}.csv"] = figures.to_csv(spec)
            files[FIGURES / f"{name}.vl.json"] = figures.to_json(spec)
    return files


def orphans(files: dict[Path, str]) -> list[Path]:
    """Exported figure files no chart gives any more."""
    return sorted(p for p in FIGURES.glob("*") if p.is_file() and p not in files)


def stale() -> list[Path]:
    """The export files whose committed text differs from what the data and the
    notebooks give, and those no chart gives any more."""
    files = expected()
    return [path for path, text in files.items()
            if not path.exists() or path.read_text(encoding="utf-8") != text] + orphans(files)


def write() -> list[Path]:
    """Write the export files that changed and remove orphans; return them."""
    files = expected()
    changed = []
    for path, text in files.items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    for path in orphans(files):
        path.unlink()
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
