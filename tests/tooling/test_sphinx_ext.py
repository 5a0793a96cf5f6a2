"""The Sphinx extension's own helpers (the built pages are checked in
tests/built_book/): the theme's icons as inline SVG."""

from __future__ import annotations

import re

import pytest

from tooling import sphinx_ext


def test_a_font_awesome_icon_becomes_its_inline_svg():
    html = ('<button><i class="theme-switch fa-solid fa-sun fa-lg" data-mode="light"></i></button>'
            '<span class="fa-solid fa-bars"></span><i class="fas fa-list"></i>')
    out = sphinx_ext.inline_icons(html)
    assert "fa-" not in out and out.count("<svg ") == 3
    sun = re.search(r"<svg [^>]*>", out).group()
    assert 'class="book-icon book-icon-lg theme-switch"' in sun and 'data-mode="light"' in sun
    assert 'aria-hidden="true"' in sun and 'focusable="false"' in sun and 'viewBox="0 0 512 512"' in sun
    assert f'<path d="{sphinx_ext.ICONS["bars"][1]}"/>' in out


def test_font_awesome_script_is_dropped_and_other_markup_kept():
    html = ('  <!-- So that users can add custom icons -->\n'
            '  <script defer src="_static/scripts/fontawesome.js?digest=1"></script>\n'
            '  <link rel="preload" as="script" href="_static/scripts/bootstrap.js?digest=1" />\n'
            '<i class="important">kept</i>')
    out = sphinx_ext.inline_icons(html)
    assert "fontawesome" not in out and "bootstrap.js" in out and '<i class="important">kept</i>' in out


def test_an_icon_the_book_lacks_stops_the_build_with_its_name():
    with pytest.raises(sphinx_ext.UnknownIcon, match="'rocket'"):
        sphinx_ext.inline_icons('<i class="fas fa-rocket"></i>')


def test_the_stylesheet_icons_are_svg_masks_without_base64():
    css = sphinx_ext.icons_css()
    for selector, name in sphinx_ext.CSS_ICONS.items():
        rule = css[css.index(f"{selector} {{"):]
        rule = rule[:rule.index("}")]
        assert 'content: ""' in rule and "font: inherit" in rule
        assert sphinx_ext.data_url(name) in rule
    assert "base64" not in css and "Font Awesome" not in css
    assert "@media (forced-colors: active)" in css
    assert css.count("{") == css.count("}"), "every rule is closed (the badges' rules follow)"

