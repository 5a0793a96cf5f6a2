"""Exact versions of the tools behind the book, for the 再現手順 appendix."""

from __future__ import annotations

import platform
from importlib.metadata import version

import pandas as pd

PACKAGES = ["jupyter-book", "sphinx", "myst-nb", "altair", "vl-convert-python", "pandas", "numpy",
            "statsmodels", "nbval", "nbclient", "jupyterlab", "pytest", "playwright"]


def packages_table() -> pd.DataFrame:
    """Python and the pinned key packages with their installed versions."""
    rows = [("Python", platform.python_version())] + [(name, version(name)) for name in PACKAGES]
    return pd.DataFrame(rows, columns=["ソフトウェア", "版"])


def python_series() -> str:
    """The Python series the book runs on: '3.11'."""
    return ".".join(platform.python_version_tuple()[:2])
