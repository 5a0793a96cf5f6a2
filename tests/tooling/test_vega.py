"""The vega bundle the HTML book serves itself."""

from __future__ import annotations

import hashlib
import subprocess
import sys

import pytest

from tooling import vega


def test_bundle_is_a_classic_script_that_defines_vega_embed():
    source = vega.bundle_source()  # made in a process of its own, as the build makes it
    assert source.startswith("(function () {") and source.rstrip().endswith("})();")
    assert "window.vegaEmbed=" in source.replace(" ", "")
    assert "\nexport " not in source and "\nimport " not in source


def test_the_bundle_is_named_by_its_digest_and_kept_while_current(tmp_path):
    stale = tmp_path / "vega-bundle.js"
    stale.write_text("an older bundle", encoding="utf-8")
    path = vega.write_bundle(tmp_path, source="window.vegaEmbed = function () {};\n")
    data = path.read_bytes()
    assert path.name == f"vega-bundle.{hashlib.sha256(data).hexdigest()[:16]}.js"
    assert not stale.exists(), "an older bundle is removed"
    # a current bundle is kept as it is, not made again
    assert vega.current_bundle(tmp_path) == path
    assert vega.write_bundle(tmp_path, source="something else") == path and path.read_bytes() == data
    # one of other versions is not current: it is replaced
    path.write_bytes(b"/* vega bundle: vl-convert 0.0.1, vega-lite v1 */\n" + data.split(b"\n", 1)[1])
    other = tmp_path / vega.bundle_name(path.read_bytes())
    path.rename(other)
    assert vega.current_bundle(tmp_path) is None
    fresh = vega.write_bundle(tmp_path, source="x")
    assert fresh != other and not other.exists()


def test_a_bundling_process_that_fails_names_its_error():
    failing = subprocess.Popen([sys.executable, "-c", "import sys; sys.exit('vl_convert is broken')"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    with pytest.raises(RuntimeError, match="bundling vega failed: vl_convert is broken"):
        vega.finish_bundle(failing)
