"""One visit of a built page in headless Chromium, read by several tests.

A page is opened twice: from disk (file://) in the light theme and over the
local HTTP server in the dark one, with every request outside the book
aborted. Each visit records what the offline checks read (errors, requests,
charts, Font Awesome glyphs), then opens every collapsed computation and
data table and runs axe-core. test_browser.py reads a visit's loading and
drawing, test_a11y.py its audit: a page costs two loads, not four. The tests
of one page share a worker (:func:`page_group`), where each visit is made once.
"""

from __future__ import annotations

import functools
import json
import re

import pytest

from tests.helpers import ROOT, offline_context, require
from tooling.bench import CHARTS_DRAWN

# the theme each way of opening a page is visited in
THEME_OF = {"file": "light", "http": "dark"}
WHERE_OF = {theme: where for where, theme in THEME_OF.items()}
LOCAL = ("file:", "data:", "blob:", "about:", "http://127.0.0.1")

AXE = ROOT / ".venv" / "axe" / "node_modules" / "axe-core"
LOCK = ROOT / ".ci" / "axe" / "package-lock.json"
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
# every node of a violation and of what axe leaves to a person, one node of
# each rule that passed: a page's passes (thousands of nodes, 2 MB of JSON)
# would cost more to hand over than the audit itself
RESULTS = {**WCAG, "resultTypes": ["violations", "incomplete"]}

# Elements (or their ::before, ::after) drawn with a Font Awesome font
FONT_AWESOME_GLYPHS = """() => [...document.querySelectorAll('*')].flatMap(el => [null, '::before', '::after']
  .filter(pseudo => {
    const style = getComputedStyle(el, pseudo);
    const drawn = pseudo ? !['none', 'normal'].includes(style.content) : el.textContent.trim() !== '';
    return drawn && /awesome/i.test(style.fontFamily);
  }).map(pseudo => el.tagName.toLowerCase() + '.' + [...el.classList].join('.') + (pseudo || '')))"""


def page_group(name: str) -> pytest.MarkDecorator:
    """The xdist group of a page's tests (tests/helpers.py reads it)."""
    return pytest.mark.xdist_group("page_" + re.sub(r"\W", "_", name))


def pinned_axe_version() -> str:
    return json.loads(LOCK.read_text(encoding="utf-8"))["packages"]["node_modules/axe-core"]["version"]


@functools.cache
def axe_source() -> str:
    """The pinned axe-core's script (skip, or fail under CI, when it is not installed)."""
    require((AXE / "axe.min.js").exists(),
            "axe-core is not installed in .venv/axe (make test installs it with npm)")
    installed = json.loads((AXE / "package.json").read_text(encoding="utf-8"))["version"]
    assert installed == pinned_axe_version(), f".venv/axe has axe-core {installed}: run make test again"
    return (AXE / "axe.min.js").read_text(encoding="utf-8")


def visit(browser, url: str, theme: str, audit: bool) -> dict:
    """Open ``url`` offline in ``theme`` (as a reader who chose it: the theme
    reads localStorage before it paints); what loaded and was drawn, and,
    if ``audit``, axe-core's results with everything collapsed opened."""
    context, blocked = offline_context(browser, LOCAL)
    context.add_init_script(f"localStorage.setItem('mode', '{theme}');"
                            f" localStorage.setItem('theme', '{theme}');")
    errors: list[str] = []
    requested: list[str] = []
    page = context.new_page()
    page.on("request", lambda r: requested.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url, wait_until="load")
    page.wait_for_function(CHARTS_DRAWN, timeout=20000)
    seen = {
        "theme": page.evaluate("document.documentElement.dataset.theme"),
        "charts": page.evaluate(
            "() => [...document.querySelectorAll('.vega-chart')].map(e => ({id: e.id,"
            " svg: !!e.querySelector('svg'),"
            " marks: e.querySelectorAll('svg path, svg rect, svg line').length,"
            " fallback: !!e.querySelector('img.vega-fallback')}))"),
        "font_awesome": page.evaluate(FONT_AWESOME_GLYPHS),
        "errors": list(errors),
        "axe": None,
    }
    if audit:
        page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
        # an opened computation fades in (myst-nb's stylesheet, 0.3 s): checked
        # mid-fade its code would read as faint text, so every animation is
        # brought to the end a reader sees
        page.evaluate("() => document.getAnimations().forEach(a => a.finish())")
        # the math is drawn in the colour of the text around it, whose contrast axe checks
        seen["math_off_colour"] = page.evaluate("""() => [...document.querySelectorAll('math, math *')]
            .filter(e => getComputedStyle(e).color !== getComputedStyle(e.closest('p, li, td, div')).color)
            .map(e => e.outerHTML.slice(0, 80))""")
        page.add_script_tag(content=axe_source())
        seen["axe"] = page.evaluate("options => axe.run(document, options)", RESULTS)
    context.close()
    return {**seen, "blocked": blocked, "requested": requested}


class Visits:
    """The visits one worker has made, by (page, where): each made once.
    A visit audits when axe-core is installed (the browser checks do not
    need it; the accessibility tests require it first)."""

    def __init__(self, browser, html_dir, server: str):
        self.browser, self.html_dir, self.server = browser, html_dir, server
        self.audit = (AXE / "axe.min.js").exists()
        self.made: dict[tuple[str, str], dict] = {}

    def __call__(self, name: str, where: str) -> dict:
        if (name, where) not in self.made:
            url = ((self.html_dir / f"{name}.html").as_uri() if where == "file"
                   else f"{self.server}/{name}.html")
            self.made[name, where] = visit(self.browser, url, THEME_OF[where], self.audit)
        return self.made[name, where]
