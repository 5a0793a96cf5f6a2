"""Every page of the built book in a real headless Chromium with the network
blocked, from disk (file://) and over a local HTTP server: every chart is
drawn as SVG, the page logs no error, and nothing on it asks for Font Awesome
(its icons are inline SVG, or masks in the book's stylesheet). The visits are
shared with the accessibility checks (tests/built_book/pages.py)."""

from __future__ import annotations

import pytest

from tests.built_book.pages import LOCAL, page_group
from tests.helpers import offline_context, require, toc_pages

pytestmark = pytest.mark.slow  # builds the book or the PDF, or executes notebooks


@pytest.mark.parametrize("mode", ["file", "http"])
@pytest.mark.parametrize("name", [pytest.param(name, marks=page_group(name)) for name in toc_pages()])
def test_page_draws_every_chart_offline(visits, built_book, name, mode):
    html_dir, _ = built_book
    seen = visits(name, mode)
    assert not seen["errors"], seen["errors"]
    assert not seen["blocked"], f"requests to outside the book: {seen['blocked']}"
    assert not [u for u in seen["requested"] if "fontawesome" in u.lower()], seen["requested"]
    assert not seen["font_awesome"], f"drawn with Font Awesome's font: {seen['font_awesome']}"
    for chart in seen["charts"]:
        assert chart["svg"] and chart["marks"] > 3 and not chart["fallback"], chart
    page = (html_dir / f"{name}.html").read_text(encoding="utf-8")
    assert len(seen["charts"]) == page.count('class="vega-chart"')


def test_chromium_is_required_under_ci():
    import shutil
    require(shutil.which("chromium") is not None, "Debian's chromium is not installed")


def test_ledger_filters_work_offline_and_by_keyboard(browser, built_book):
    """The ledger's filters (label, chapter, evidence strength, words) narrow the
    rows without the network, and each control is reached with the Tab key."""
    html_dir, _ = built_book
    context, blocked = offline_context(browser, LOCAL)
    page = context.new_page()
    page.goto((html_dir / "chapters" / "appendix" / "ledger.html").as_uri(), wait_until="load")
    rows = page.locator("#ledger tbody tr")
    total = rows.count()
    visible = "() => [...document.querySelectorAll('#ledger tbody tr')].filter(r => !r.hidden)"
    page.select_option('select[data-filter="label"]', "ミスリード")
    shown = page.evaluate(visible + ".map(r => r.dataset.label)")
    assert shown and set(shown) == {"ミスリード"} and len(shown) < total
    page.select_option('select[data-filter="label"]', "")
    page.select_option('select[data-filter="strength"]', "高")
    assert set(page.evaluate(visible + ".map(r => r.dataset.strength)")) == {"高"}
    page.select_option('select[data-filter="strength"]', "")
    page.fill("#ledger-search", "NICT")
    assert page.evaluate(visible + ".map(r => r.id)") == ["ledger-ai-02"]
    assert "1 / " in page.inner_text(".ledger-count")
    page.fill("#ledger-search", "")
    # keyboard: Tab from the search box reaches every filter, then a sort button
    page.focus("#ledger-search")
    reached = []
    while "BUTTON" not in reached and len(reached) < 12:
        page.keyboard.press("Tab")
        active = "document.activeElement.dataset.filter || document.activeElement.tagName"
        reached.append(page.evaluate(active))
    assert {"label", "chapter", "strength", "BUTTON"} <= set(reached), reached
    page.keyboard.press("Enter")  # on the sort button it reached: sorts
    assert page.locator("#ledger thead th[aria-sort]").count() == 1
    context.close()
    assert not blocked


@pytest.mark.parametrize("width", [390, 700, 1280])
def test_the_contents_and_search_buttons_work_at_every_width(browser, built_book, width):
    """The buttons at the top of a page work at every width: below 992 px
    本の目次 opens the book's contents and このページの内容 the page's, each in
    a dialog; from 992 px 本の目次 hides the book's contents and shows them
    again; the one visible search button opens the search box. (A second,
    hidden pair of contents buttons earlier on the page, which the theme's
    script listened to instead, left these doing nothing.)"""
    html_dir, _ = built_book
    context, blocked = offline_context(browser, LOCAL, width, 800)
    page = context.new_page()
    page.goto((html_dir / "chapters" / "05_world.html").as_uri(), wait_until="load")
    book, own = (page.get_by_role("button", name=name, exact=True)
                 for name in ("本の目次を表示・非表示", "このページの内容を表示・非表示"))
    sidebar = page.locator("#pst-primary-sidebar")
    search = page.locator(".search-button__button >> visible=true")
    assert search.count() == 1
    search.click()
    assert page.locator("#pst-search-dialog").evaluate("d => d.open")
    page.keyboard.press("Escape")
    if width < 992:
        book.click()
        dialog = page.locator("#pst-primary-sidebar-modal")
        assert dialog.evaluate("d => d.open")
        assert dialog.get_by_role("link", name="5. 世界と比較する日本の戦略ポジション").is_visible()
        page.keyboard.press("Escape")
        assert not dialog.evaluate("d => d.open")
        own.click()
        dialog = page.locator("#pst-secondary-sidebar-modal")
        assert dialog.evaluate("d => d.open")
        assert dialog.get_by_role("link", name="5.5. この章の判定").is_visible()
    else:
        assert sidebar.is_visible()
        book.click()
        page.wait_for_function("() => getComputedStyle(document.querySelector"
                               "('#pst-primary-sidebar')).visibility === 'hidden'", timeout=5000)
        book.click()
        page.wait_for_function("() => getComputedStyle(document.querySelector"
                               "('#pst-primary-sidebar')).visibility === 'visible'", timeout=5000)
    context.close()
    assert not blocked


@pytest.mark.parametrize("width", [700, 1280])
def test_every_control_shows_its_focus(browser, built_book, width):
    """Tabbing through a page, each link, button and chart it reaches is drawn
    with a focus ring (an outline or a box shadow; WCAG 2.4.7). The book's
    contents button and the sidebar's search box had none."""
    html_dir, _ = built_book
    context, blocked = offline_context(browser, LOCAL, width, 800)
    page = context.new_page()
    page.goto((html_dir / "chapters" / "04_ai.html").as_uri(), wait_until="load")
    unseen, reached = [], set()
    for _ in range(40):
        page.keyboard.press("Tab")
        name, ring = page.evaluate("""() => { const e = document.activeElement, s = getComputedStyle(e);
            const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0)
                         || (s.boxShadow !== 'none' && !/^rgba\\(0, 0, 0, 0\\)/.test(s.boxShadow));
            const name = (e.getAttribute('aria-label') || e.innerText).trim().slice(0, 30);
            return [e.tagName + ' ' + name, ring]; }""")
        reached.add(name)
        if not ring:
            unseen.append(name)
    context.close()
    assert any("本の目次" in name for name in reached) and len(reached) > 20
    assert not unseen, f"focused without a visible ring: {unseen}"
    assert not blocked


def test_tables_keep_their_columns_readable_at_1280_px(browser, built_book):
    """At 1,280 px each chapter's tables fit the text column without scrolling
    sideways, and no column of any page's table is squeezed under 4 em (a
    Japanese cell may break after any character: 03's 対象 was one character
    a line)."""
    html_dir, _ = built_book
    context, blocked = offline_context(browser, LOCAL, 1280, 900)
    page = context.new_page()
    scrolling, squeezed = {}, {}
    for name in toc_pages():
        page.goto((html_dir / f"{name}.html").as_uri(), wait_until="load")
        wide, narrow = page.evaluate("""() => {
            const tables = [...document.querySelectorAll('article table:not(.ledger-table)')];
            const wide = tables.filter(t => t.parentElement.scrollWidth > t.parentElement.clientWidth + 1)
                .map(t => t.querySelector('th').innerText);
            const narrow = tables.flatMap(t => [...t.querySelectorAll('td')]).filter(td => td.offsetParent
                && td.getBoundingClientRect().width < 3.9 * parseFloat(getComputedStyle(td).fontSize))
                .map(td => td.innerText.slice(0, 12));
            return [wide, narrow]; }""")
        if wide and name.startswith("chapters/0"):
            scrolling[name] = wide
        if narrow:
            squeezed[name] = narrow[:3]
    context.close()
    assert not scrolling, f"tables wider than the text column at 1280 px: {scrolling}"
    assert not squeezed, f"table columns squeezed under 4 em: {squeezed}"
    assert not blocked


def test_every_page_reflows_at_320_px(browser, built_book):
    """At 320 CSS px (WCAG 1.4.10) no page scrolls sideways: long words (URLs,
    file paths in code) break, and only tables, charts and code blocks scroll
    in their own boxes."""
    html_dir, _ = built_book
    context, blocked = offline_context(browser, LOCAL, 320, 800)
    page = context.new_page()
    wide = {}
    for name in toc_pages():
        page.goto((html_dir / f"{name}.html").as_uri(), wait_until="load")
        width = page.evaluate("() => document.documentElement.scrollWidth")
        if width > 320:
            wide[name] = width
    context.close()
    assert not wide, f"pages wider than 320 px: {wide}"
    assert not blocked


def test_captions_are_set_in_the_weight_of_the_text(browser, built_book):
    """A caption carries figures and sources: it is set in the weight of the
    text around it, not the theme's light caption weight, which drew its Latin
    letters and digits thinner than the Japanese beside them."""
    html_dir, _ = built_book
    context, blocked = offline_context(browser, LOCAL)
    page = context.new_page()
    page.goto((html_dir / "chapters" / "03_quantum.html").as_uri(), wait_until="load")
    weights = page.evaluate("() => [...document.querySelectorAll('figcaption')]"
                            ".map(c => getComputedStyle(c).fontWeight)")
    text = page.evaluate("() => getComputedStyle(document.querySelector('article p')).fontWeight")
    context.close()
    assert len(weights) > 2 and set(weights) == {text}
    assert not blocked


@pytest.mark.parametrize("width", [1280, 1920])
def test_the_ledger_fits_its_column_from_1280_px(browser, built_book, width):
    """Every column of the ledger is visible without scrolling sideways (at 400 px
    the rows stack instead, and below 1280 px the table may scroll)."""
    html_dir, _ = built_book
    context, _ = offline_context(browser, LOCAL, width, 900)
    page = context.new_page()
    page.goto((html_dir / "chapters" / "appendix" / "ledger.html").as_uri(), wait_until="load")
    sizes = page.evaluate("""() => [...document.querySelectorAll('#ledger, #ledger table')]
        .map(e => [e.scrollWidth, e.clientWidth])""")
    assert sizes and all(scroll <= client for scroll, client in sizes), sizes
    context.close()
