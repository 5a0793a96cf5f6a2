"""The versions table of the 再現手順 appendix."""

from __future__ import annotations

import platform
import re

from analysis import versions
from tests.helpers import ROOT


def test_the_table_lists_python_and_every_key_package_with_its_pinned_version():
    table = versions.packages_table()
    assert list(table.columns) == ["ソフトウェア", "版"]
    assert table.iloc[0].tolist() == ["Python", platform.python_version()]
    pins = dict(re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)$",
                           (ROOT / "requirements.txt").read_text(encoding="utf-8"), re.M))
    pins = {name.lower().replace("_", "-"): pin for name, pin in pins.items()}
    shown = dict(zip(table["ソフトウェア"], table["版"], strict=True))
    for name in versions.PACKAGES:
        assert shown[name] == pins[name], name


def test_the_python_series_is_major_dot_minor():
    assert versions.python_series() == ".".join(platform.python_version_tuple()[:2])
