"""The vega bundle the HTML book serves itself."""

from __future__ import annotations

from tooling import vega


def test_bundle_is_a_classic_script_that_defines_vega_embed():
    source = vega.bundle_source()
    assert source.startswith("(function () {") and source.rstrip().endswith("})();")
    assert "window.vegaEmbed=" in source.replace(" ", "")
    assert "\nexport " not in source and "\nimport " not in source
