"""Every page of the built book meets WCAG 2.1 A and AA as axe-core checks it
(the axe-core that the pinned axe-playwright-python bundles), in the light
and the dark theme, with every collapsed computation and data table opened."""

from __future__ import annotations

import pytest

from tests.helpers import offline_context, toc_pages

pytestmark = pytest.mark.slow  # builds the book

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
LOCAL = ("http://127.0.0.1", "data:", "blob:", "about:")


def violations(browser, url: str, mode: str) -> list[dict]:
    """axe-core's violations on ``url`` in ``mode`` (light or dark)."""
    from axe_playwright_python.sync_playwright import Axe

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
    # an opened computation fades in (sphinx-togglebutton, 0.3 s): checked
    # mid-fade its code would read as faint text
    page.evaluate("() => Promise.all(document.getAnimations().map(a => a.finished))")
    found = Axe().run(page, options=WCAG).response["violations"]
    context.close()
    return found


@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("name", toc_pages())
def test_page_has_no_wcag_violation(browser, server, name, mode):
    found = violations(browser, f"{server}/{name}.html", mode)
    report = [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:5]]}"
              for v in found]
    assert not found, "\n".join(report)
