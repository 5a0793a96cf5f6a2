"""Every page of the built book meets WCAG 2.1 A and AA as the current
axe-core checks it, in the light and the dark theme, with every collapsed
computation and data table opened.

axe-core is the npm package pinned in .ci/axe/package-lock.json, which make
test installs into .venv/axe (as it does the workflow linter); without it
the checks skip, and under CI they fail. (The axe-core that
axe-playwright-python bundled, 4.12, has no rule that the current one
lacks: it was dropped.)"""

from __future__ import annotations

import json
import re

import pytest

from tests.helpers import ROOT, offline_context, require, toc_pages

pytestmark = pytest.mark.slow  # builds the book

AXE = ROOT / ".venv" / "axe" / "node_modules" / "axe-core"
LOCK = ROOT / ".ci" / "axe" / "package-lock.json"
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
LOCAL = ("http://127.0.0.1", "data:", "blob:", "about:")
# a formula's operator of one symbol that axe takes for an icon (U+2200-U+22FF:
# "Element content contains only non-text characters"), such as the minus sign
MATH_SYMBOL = re.compile(r"<mo[^>]*>[\u2200-\u22ff]</mo>")


def pinned_version() -> str:
    return json.loads(LOCK.read_text(encoding="utf-8"))["packages"]["node_modules/axe-core"]["version"]


@pytest.fixture(scope="session")
def axe_source() -> str:
    """The pinned axe-core's script (skip, or fail under CI, when it is not installed)."""
    require((AXE / "axe.min.js").exists(),
            "axe-core is not installed in .venv/axe (make test installs it with npm)")
    installed = json.loads((AXE / "package.json").read_text(encoding="utf-8"))["version"]
    assert installed == pinned_version(), f".venv/axe has axe-core {installed}: run make test again"
    return (AXE / "axe.min.js").read_text(encoding="utf-8")


def audit(browser, axe_source: str, url: str, mode: str) -> dict:
    """axe-core's results on ``url`` in ``mode`` (light or dark)."""
    context, _ = offline_context(browser, LOCAL)
    # the theme reads the reader's choice from localStorage before it paints
    context.add_init_script(f"localStorage.setItem('mode', '{mode}');"
                            f" localStorage.setItem('theme', '{mode}');")
    page = context.new_page()
    page.goto(url, wait_until="load")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.vega-chart')].every(e => e.querySelector('svg'))",
        timeout=20000)
    assert page.evaluate("document.documentElement.dataset.theme") == mode
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    # an opened computation fades in (myst-nb's stylesheet, 0.3 s): checked
    # mid-fade its code would read as faint text
    page.evaluate("() => Promise.all(document.getAnimations().map(a => a.finished))")
    # the math is drawn in the colour of the text around it, whose contrast axe checks
    colours = page.evaluate("""() => [...document.querySelectorAll('math, math *')].filter(e =>
        getComputedStyle(e).color !== getComputedStyle(e.closest('p, li, td, div')).color)
        .map(e => e.outerHTML.slice(0, 80))""")
    assert not colours, colours
    page.add_script_tag(content=axe_source)
    results = page.evaluate("options => axe.run(document, options)", WCAG)
    context.close()
    return results


@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("name", toc_pages())
def test_page_has_no_wcag_violation(browser, server, axe_source, name, mode):
    results = audit(browser, axe_source, f"{server}/{name}.html", mode)
    assert results["testEngine"]["version"] == pinned_version()
    found = results["violations"]
    report = [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:5]]}"
              for v in found]
    assert not found, "\n".join(report)
    # what axe leaves to a person: only the charts' SVG text (dark on the
    # charts' own white background) and a formula's symbol it takes for an
    # icon (drawn in the text's colour: audit checks it), never a page's text
    unsure = [f"{v['id']}: {n['html'][:120]}" for v in results["incomplete"] for n in v["nodes"]
              if not n["html"].startswith(("<text ", "<text>", "<tspan"))
              and not (v["id"] == "color-contrast" and MATH_SYMBOL.fullmatch(n["html"]))]
    assert not unsure, "\n".join(unsure)
    assert len(results["passes"]) > 20, "axe checked next to nothing: is the page empty?"


def test_axe_reports_a_name_that_omits_the_visible_text(browser, axe_source):
    """The check sees what it is for: an English name over Japanese text (WCAG 2.5.3)."""
    context, _ = offline_context(browser, LOCAL)
    page = context.new_page()
    page.set_content('<!doctype html><html lang="ja"><head><title>t</title></head><body><main>'
                     '<button aria-label="Toggle hidden content">計算を表示</button></main></body></html>')
    page.add_script_tag(content=axe_source)
    found = page.evaluate("options => axe.run(document, options)", WCAG)["violations"]
    context.close()
    assert [v["id"] for v in found] == ["label-content-name-mismatch"]
