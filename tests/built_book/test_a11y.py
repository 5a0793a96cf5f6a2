"""Every page of the built book meets WCAG 2.1 A and AA as the current
axe-core checks it, in the light and the dark theme, with every collapsed
computation and data table opened: the light theme opened from disk, the dark
one over HTTP, in the visits the browser checks read too
(tests/built_book/pages.py).

axe-core is the npm package pinned in .ci/axe/package-lock.json, which make
test installs into .venv/axe (as it does the workflow linter); without it
the checks skip, and under CI they fail. (The axe-core that
axe-playwright-python bundled, 4.12, has no rule that the current one
lacks: it was dropped.)"""

from __future__ import annotations

import re

import pytest

from tests.built_book.pages import LOCAL, RESULTS, WHERE_OF, axe_source, page_group, pinned_axe_version
from tests.helpers import offline_context, toc_pages

pytestmark = pytest.mark.slow  # builds the book

# a formula's operator of one symbol that axe takes for an icon (U+2200-U+22FF:
# "Element content contains only non-text characters"), such as the minus sign
MATH_SYMBOL = re.compile(r"<mo[^>]*>[\u2200-\u22ff]</mo>")


@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("name", [pytest.param(name, marks=page_group(name)) for name in toc_pages()])
def test_page_has_no_wcag_violation(visits, name, mode):
    axe_source()  # skip (fail under CI) without the pinned axe-core
    seen = visits(name, WHERE_OF[mode])
    assert seen["theme"] == mode
    assert not seen["math_off_colour"], seen["math_off_colour"]
    results = seen["axe"]
    assert results["testEngine"]["version"] == pinned_axe_version()
    found = results["violations"]
    report = [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:5]]}"
              for v in found]
    assert not found, "\n".join(report)
    # what axe leaves to a person: only the charts' SVG text (dark on the
    # charts' own white background) and a formula's symbol it takes for an
    # icon (drawn in the text's colour: the visit checks it), never a page's text
    unsure = [f"{v['id']}: {n['html'][:120]}" for v in results["incomplete"] for n in v["nodes"]
              if not n["html"].startswith(("<text ", "<text>", "<tspan"))
              and not (v["id"] == "color-contrast" and MATH_SYMBOL.fullmatch(n["html"]))]
    assert not unsure, "\n".join(unsure)
    assert len(results["passes"]) > 20, "axe checked next to nothing: is the page empty?"


def test_axe_reports_a_name_that_omits_the_visible_text(browser):
    """The check sees what it is for: an English name over Japanese text (WCAG 2.5.3)."""
    context, _ = offline_context(browser, LOCAL)
    page = context.new_page()
    page.set_content('<!doctype html><html lang="ja"><head><title>t</title></head><body><main>'
                     '<button aria-label="Toggle hidden content">計算を表示</button></main></body></html>')
    page.add_script_tag(content=axe_source())
    found = page.evaluate("options => axe.run(document, options)", RESULTS)["violations"]
    context.close()
    assert [v["id"] for v in found] == ["label-content-name-mismatch"]
