"""Sphinx extension of the book: the vega bundle served from the book itself
(no CDN), the math written as MathML when the pages are (no math script on
any page), its stylesheet, the theme's icons as inline SVG, the charts' page parts
(:mod:`tooling.chart_pages`), the Japanese line joining (:mod:`tooling.cjk`)
and the bibliography style (:mod:`tooling.bibstyle`).

myst-nb finds the charts' mime plugin here, as ``VegaLiteSpecRenderer`` (the
entry point in pyproject.toml).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from tooling import bibstyle, chart_pages, cjk, figures, vega
from tooling.chart_pages import VegaLiteSpecRenderer

__all__ = ["VegaLiteSpecRenderer", "setup"]

STYLE = "book.css"
# Layout of the ledger and the charts; served from the book like the bundle.
CSS = """
/* the ledger page uses the whole width: no in-page table of contents beside it */
.bd-page-width:has(#ledger) { max-width: none; }
.bd-main:has(#ledger) .bd-content .bd-article-container { max-width: none; }
.bd-container:has(#ledger) .bd-sidebar-secondary { display: none; }
.ledger-controls { display: flex; flex-wrap: wrap; gap: .5em 1.2em; align-items: center; margin: .5em 0 1em; }
.ledger-controls label { display: inline-flex; gap: .4em; align-items: center; }
.ledger-scroll { overflow-x: auto; }
/* the ledger is the book's own HTML, styled for both themes: in the dark theme, not the light
   box pydata-sphinx-theme puts around a notebook's HTML output (the caption was light on light) */
html[data-theme=dark] .bd-content div.cell_output .text_html:has(> #ledger) {
  background-color: transparent; color: inherit; padding: 0; }
/* from 1280 px every column fits the text column (no sideways scroll); narrower screens scroll */
.ledger-table { font-size: .85em; min-width: 60em; }
@media (min-width: 1280px) { .ledger-table { min-width: 0; } }
.ledger-table td { overflow-wrap: anywhere; }
.ledger-table caption { caption-side: top; text-align: left; font-weight: bold;
                        color: var(--pst-color-text-base); }
.ledger-table th button { all: unset; cursor: pointer; font-weight: bold; }
.ledger-table th button:focus-visible { outline: 2px solid var(--pst-color-primary); }
.ledger-table th[aria-sort="ascending"] button::after { content: " ▲"; }
.ledger-table th[aria-sort="descending"] button::after { content: " ▼"; }
.ledger-table td:nth-child(3) { min-width: 10em; }
.ledger-table td:nth-child(4) { white-space: nowrap; }
.ledger-table td:nth-child(6) { min-width: 18em; }
.ledger-table td:nth-child(7) { min-width: 13em; }
.ledger-table td:nth-child(8) { min-width: 8em; }
.ledger-checks { margin: 0; padding-left: 1.1em; }
.ledger-table tr:target { outline: 3px solid var(--pst-color-primary); }
@media (max-width: 720px) {
  .ledger-table { min-width: 0; }
  .ledger-table thead { display: none; }
  .ledger-table, .ledger-table tbody, .ledger-table tr, .ledger-table td { display: block; width: auto; }
  .ledger-table td { min-width: 0 !important; white-space: normal !important; border: 0;
                     padding: .15em .4em; }
  .ledger-table tr { border-top: 2px solid var(--pst-color-border); padding: .4em 0; }
  .ledger-table td::before { content: attr(data-col) "："; font-weight: bold; }
}
.rating-badge { display: inline-block; padding: .1em .55em; border-radius: .8em; color: #fff;
                font-weight: bold; white-space: nowrap; }
/* text reflows at 320 px (WCAG 1.4.10): a word longer than the line, such as a URL in a
   bibliography entry or a file path in the text, breaks instead of widening the page (inline
   code is a box sized by its longest word, and Sphinx keeps it on one line); a table's code
   keeps its words whole, since the table scrolls instead */
.bd-article { overflow-wrap: break-word; }
.bd-article code:not(table code) { overflow-wrap: anywhere; }
.bd-article span.pre:not(table span.pre) { white-space: normal; }
/* captions in the text's weight: the theme's light one (300) drew a caption's Latin letters and
   figures thinner than the Japanese beside them, which a Japanese font seldom has in light */
:root { --pst-font-weight-caption: 400; }
/* the sidebar's search box shows its focus like the other controls (WCAG 2.4.7): Bootstrap's
   button style drew none */
.search-button-field:focus-visible { outline: 3px solid var(--pst-color-accent); outline-offset: .1875rem; }
/* a table too wide for the PDF's text size is set smaller there (analysis/pdf_tables.py), and here
   too; and since a Japanese cell may break after any character, a wide table squeezed such a
   column to one character a line (03's 対象) without a floor */
.bd-article table.latex-footnotesize { font-size: .85em; }
.bd-article table:not(.ledger-table) :is(td, th) { min-width: 4em; }
/* charts: the drawing, the links to its data, its table */
/* code shown on demand wraps instead of hiding its ends in a scroll box */
div.cell_input pre { white-space: pre-wrap; overflow-wrap: anywhere; }
.vega-chart { overflow-x: auto; }
.vega-chart:focus-visible { outline: 2px solid var(--pst-color-primary); }
.chart-links { font-size: .88em; margin: .2em 0; }
/* a chart's data table wider than the text scrolls in its box, not off the page */
details.chart-data { font-size: .85em; margin: .2em 0 1em; overflow-x: auto; }
details.chart-data summary { cursor: pointer; }
details.chart-data table { margin-top: .4em; }
/* math: MathML drawn by the browser; a wide display formula scrolls instead of being cut */
span.math { overflow: visible; }
div.math > math { flex-grow: 1; overflow-x: auto; padding-bottom: .2rem; }
"""


# ---- icons -------------------------------------------------------------------
# The icons the pages show, as inline SVG: no icon font, no icon script.
#
# pydata-sphinx-theme marks its icons as Font Awesome classes (<i
# class="fa-solid fa-bars"></i>) and ships Font Awesome's whole SVG+JS library
# (fontawesome.js, 543 KB gzipped) to draw them; its stylesheets draw a few
# more as glyphs of Font Awesome's font (157 KB). The book's layout
# (_templates/html/layout.html) passes the theme's page chrome through
# inline_icons, which puts each icon's own <svg> in its place and drops the
# library's <script>; icons_css draws the stylesheets' icons as masks of the
# same SVG. An icon not in ICONS stops the build with its name. The paths are
# Font Awesome Free 6.5.2's solid icons (the version the pinned theme
# bundles), by Fonticons, Inc., under CC BY 4.0 (fontawesome.com/license/free).

# name: (width of the 512-high view box, SVG path)
ICONS: dict[str, tuple[int, str]] = {
    "angle-down": (448,
        "M201.4 374.6c12.5 12.5 32.8 12.5 45.3 0l160-160c12.5-12.5 12.5-32.8 0-45.3s-32.8-12.5-45.3 0"
        "L224 306.7 86.6 169.4c-12.5-12.5-32.8-12.5-45.3 0s-12.5 32.8 0 45.3l160 160z"),
    "angle-left": (320,
        "M41.4 233.4c-12.5 12.5-12.5 32.8 0 45.3l160 160c12.5 12.5 32.8 12.5 45.3 0s12.5-32.8 0-45.3L"
        "109.3 256 246.6 118.6c12.5-12.5 12.5-32.8 0-45.3s-32.8-12.5-45.3 0l-160 160z"),
    "angle-right": (320,
        "M278.6 233.4c12.5 12.5 12.5 32.8 0 45.3l-160 160c-12.5 12.5-32.8 12.5-45.3 0s-12.5-32.8 0-45"
        ".3L210.7 256 73.4 118.6c-12.5-12.5-12.5-32.8 0-45.3s32.8-12.5 45.3 0l160 160z"),
    "arrow-up": (384,
        "M214.6 41.4c-12.5-12.5-32.8-12.5-45.3 0l-160 160c-12.5 12.5-12.5 32.8 0 45.3s32.8 12.5 45.3 "
        "0L160 141.2V448c0 17.7 14.3 32 32 32s32-14.3 32-32V141.2L329.4 246.6c12.5 12.5 32.8 12.5 45."
        "3 0s12.5-32.8 0-45.3l-160-160z"),
    "bars": (448,
        "M0 96C0 78.3 14.3 64 32 64H416c17.7 0 32 14.3 32 32s-14.3 32-32 32H32C14.3 128 0 113.7 0 96z"
        "M0 256c0-17.7 14.3-32 32-32H416c17.7 0 32 14.3 32 32s-14.3 32-32 32H32c-17.7 0-32-14.3-32-32"
        "zM448 416c0 17.7-14.3 32-32 32H32c-17.7 0-32-14.3-32-32s14.3-32 32-32H416c17.7 0 32 14.3 32 "
        "32z"),
    "circle-half-stroke": (512,
        "M448 256c0-106-86-192-192-192V448c106 0 192-86 192-192zM0 256a256 256 0 1 1 512 0A256 256 0 "
        "1 1 0 256z"),
    "download": (512,
        "M288 32c0-17.7-14.3-32-32-32s-32 14.3-32 32V274.7l-73.4-73.4c-12.5-12.5-32.8-12.5-45.3 0s-12"
        ".5 32.8 0 45.3l128 128c12.5 12.5 32.8 12.5 45.3 0l128-128c12.5-12.5 12.5-32.8 0-45.3s-32.8-1"
        "2.5-45.3 0L288 274.7V32zM64 352c-35.3 0-64 28.7-64 64v32c0 35.3 28.7 64 64 64H448c35.3 0 64-"
        "28.7 64-64V416c0-35.3-28.7-64-64-64H346.5l-45.3 45.3c-25 25-65.5 25-90.5 0L165.5 352H64zm368"
        " 56a24 24 0 1 1 0 48 24 24 0 1 1 0-48z"),
    "list": (512,
        "M40 48C26.7 48 16 58.7 16 72v48c0 13.3 10.7 24 24 24H88c13.3 0 24-10.7 24-24V72c0-13.3-10.7-"
        "24-24-24H40zM192 64c-17.7 0-32 14.3-32 32s14.3 32 32 32H480c17.7 0 32-14.3 32-32s-14.3-32-32"
        "-32H192zm0 160c-17.7 0-32 14.3-32 32s14.3 32 32 32H480c17.7 0 32-14.3 32-32s-14.3-32-32-32H1"
        "92zm0 160c-17.7 0-32 14.3-32 32s14.3 32 32 32H480c17.7 0 32-14.3 32-32s-14.3-32-32-32H192zM1"
        "6 232v48c0 13.3 10.7 24 24 24H88c13.3 0 24-10.7 24-24V232c0-13.3-10.7-24-24-24H40c-13.3 0-24"
        " 10.7-24 24zM40 368c-13.3 0-24 10.7-24 24v48c0 13.3 10.7 24 24 24H88c13.3 0 24-10.7 24-24V39"
        "2c0-13.3-10.7-24-24-24H40z"),
    "magnifying-glass": (512,
        "M416 208c0 45.9-14.9 88.3-40 122.7L502.6 457.4c12.5 12.5 12.5 32.8 0 45.3s-32.8 12.5-45.3 0L"
        "330.7 376c-34.4 25.2-76.8 40-122.7 40C93.1 416 0 322.9 0 208S93.1 0 208 0S416 93.1 416 208zM"
        "208 352a144 144 0 1 0 0-288 144 144 0 1 0 0 288z"),
    "magnifying-glass-minus": (512,
        "M416 208c0 45.9-14.9 88.3-40 122.7L502.6 457.4c12.5 12.5 12.5 32.8 0 45.3s-32.8 12.5-45.3 0L"
        "330.7 376c-34.4 25.2-76.8 40-122.7 40C93.1 416 0 322.9 0 208S93.1 0 208 0S416 93.1 416 208zM"
        "136 184c-13.3 0-24 10.7-24 24s10.7 24 24 24H280c13.3 0 24-10.7 24-24s-10.7-24-24-24H136z"),
    "moon": (384,
        "M223.5 32C100 32 0 132.3 0 256S100 480 223.5 480c60.6 0 115.5-24.2 155.8-63.4c5-4.9 6.3-12.5"
        " 3.1-18.7s-10.1-9.7-17-8.5c-9.8 1.7-19.8 2.6-30.1 2.6c-96.9 0-175.5-78.8-175.5-176c0-65.8 36"
        "-123.1 89.3-153.3c6.1-3.5 9.2-10.5 7.7-17.3s-7.3-11.9-14.3-12.5c-6.3-.5-12.6-.8-19-.8z"),
    "outdent": (448,
        "M0 64C0 46.3 14.3 32 32 32H416c17.7 0 32 14.3 32 32s-14.3 32-32 32H32C14.3 96 0 81.7 0 64zM1"
        "92 192c0-17.7 14.3-32 32-32H416c17.7 0 32 14.3 32 32s-14.3 32-32 32H224c-17.7 0-32-14.3-32-3"
        "2zm32 96H416c17.7 0 32 14.3 32 32s-14.3 32-32 32H224c-17.7 0-32-14.3-32-32s14.3-32 32-32zM0 "
        "448c0-17.7 14.3-32 32-32H416c17.7 0 32 14.3 32 32s-14.3 32-32 32H32c-17.7 0-32-14.3-32-32zM."
        "2 268.6c-8.2-6.4-8.2-18.9 0-25.3l101.9-79.3c10.5-8.2 25.8-.7 25.8 12.6V335.3c0 13.3-15.3 20."
        "8-25.8 12.6L.2 268.6z"),
    "sun": (512,
        "M361.5 1.2c5 2.1 8.6 6.6 9.6 11.9L391 121l107.9 19.8c5.3 1 9.8 4.6 11.9 9.6s1.5 10.7-1.6 15."
        "2L446.9 256l62.3 90.3c3.1 4.5 3.7 10.2 1.6 15.2s-6.6 8.6-11.9 9.6L391 391 371.1 498.9c-1 5.3"
        "-4.6 9.8-9.6 11.9s-10.7 1.5-15.2-1.6L256 446.9l-90.3 62.3c-4.5 3.1-10.2 3.7-15.2 1.6s-8.6-6."
        "6-9.6-11.9L121 391 13.1 371.1c-5.3-1-9.8-4.6-11.9-9.6s-1.5-10.7 1.6-15.2L65.1 256 2.8 165.7c"
        "-3.1-4.5-3.7-10.2-1.6-15.2s6.6-8.6 11.9-9.6L121 121 140.9 13.1c1-5.3 4.6-9.8 9.6-11.9s10.7-1"
        ".5 15.2 1.6L256 65.1 346.3 2.8c4.5-3.1 10.2-3.7 15.2-1.6zM160 256a96 96 0 1 1 192 0 96 96 0 "
        "1 1 -192 0zm224 0a128 128 0 1 0 -256 0 128 128 0 1 0 256 0z"),
}

# An icon element of the theme: <i class="fa-solid fa-bars fa-lg" ...></i>, <span ...></span>
ICON = re.compile(r'<(i|span) class="([^"]*\bfa(?:-solid|-regular|-brands|s|r|b)\b[^"]*)"([^>]*)>\s*</\1>')
SCRIPT = re.compile(r'[ \t]*<script[^>]*/fontawesome\.js[^>]*></script>\n?')
STYLES = {"fa", "fas", "far", "fab", "fa-solid", "fa-regular", "fa-brands"}
SIZES = re.compile(r"fa-(?:lg|xs|sm|\dx|fw)")


class UnknownIcon(ValueError):
    pass


def svg(name: str, classes: str = "", attrs: str = "") -> str:
    """The ``<svg>`` of icon ``name``: decorative (hidden from assistive
    technology: the control around it carries the name), drawn in the text's
    colour; the classes other than Font Awesome's are kept."""
    if name not in ICONS:
        raise UnknownIcon(f"a page shows the icon {name!r}, which tooling/icons.py does not have: "
                          f"add Font Awesome Free's solid {name} to ICONS")
    width, path = ICONS[name]
    kept = [c for c in classes.split() if not c.startswith("fa")]
    if "fa-lg" in classes.split():
        kept.insert(0, "book-icon-lg")
    return (f'<svg class="{" ".join(["book-icon", *kept])}"{attrs} viewBox="0 0 {width} 512" '
            f'aria-hidden="true" focusable="false"><path d="{path}"/></svg>')


def icon_name(classes: str) -> str:
    """The Font Awesome icon a class list names: "fa-solid fa-bars fa-lg" -> "bars"."""
    names = [c[3:] for c in classes.split()
             if c.startswith("fa-") and c not in STYLES and not SIZES.fullmatch(c)]
    if len(names) != 1:
        raise UnknownIcon(f"cannot tell which icon the classes {classes!r} name")
    return names[0]


def inline_icons(html: str) -> str:
    """``html`` with each Font Awesome icon element replaced by its inline SVG
    and Font Awesome's script removed."""
    def replace(match: re.Match) -> str:
        return svg(icon_name(match.group(2)), match.group(2), match.group(3))

    return SCRIPT.sub("", ICON.sub(replace, html))


# The icons the theme's stylesheets draw as Font Awesome glyphs in ::before and
# ::after (their selectors, as the theme writes them), which would load Font
# Awesome's font: drawn instead as a mask of the same SVG, in the text's colour.
CSS_ICONS = {
    # pydata-sphinx-theme: a download link (the charts' CSV and spec, the ledger's files)
    "a.reference.download::before": "download",
    # pydata-sphinx-theme: "hide the search words" (Sphinx's highlight, after a search)
    "div#searchbox p.highlight-link a::before": "magnifying-glass-minus",
    # sphinx-book-theme: the page's table of contents while it is folded away
    ".bd-sidebar-secondary.hide:not(:hover) .onthispage::after": "angle-down",
}


def data_url(name: str) -> str:
    """Icon ``name`` as a data: URL of its SVG (percent-encoded, not base64)."""
    width, path = ICONS[name]
    source = f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} 512'><path d='{path}'/></svg>"
    return "data:image/svg+xml," + source.replace("<", "%3C").replace(">", "%3E").replace("#", "%23")


def icons_css() -> str:
    """The icons' stylesheet: the inline SVGs sized like Font Awesome's own (1em
    high, on the text's baseline; 1.25em for fa-lg), and :data:`CSS_ICONS`."""
    rules = [
        ".book-icon { display: inline-block; height: 1em; width: auto; overflow: visible;"
        " vertical-align: -0.125em; fill: currentColor; }",
        ".book-icon-lg { height: 1.25em; vertical-align: -0.25em; }",
    ]
    for selector, name in CSS_ICONS.items():
        width, _ = ICONS[name]
        url = data_url(name)
        rules.append(f'{selector} {{ content: ""; font: inherit; display: inline-block; height: .8em;'
                     f" width: {width / 512 * 0.8:.2f}em; vertical-align: -0.05em;"
                     " background-color: currentColor;"
                     f' -webkit-mask: url("{url}") center / contain no-repeat;'
                     f' mask: url("{url}") center / contain no-repeat; }}')
    # forced colours (Windows high contrast) replace backgrounds: draw the masks in the text's colour
    rules.append(f"@media (forced-colors: active) {{ {', '.join(CSS_ICONS)} {{ forced-color-adjust: none;"
                 " background-color: CanvasText; } }")
    return "\n".join(rules) + "\n"


# ---- math ---------------------------------------------------------------------
# The formulas (the methods appendix and the side-effects chapter, most of
# them inline) are written as MathML when the pages are, by the pinned
# pure-Python latex2mathml: browsers draw MathML themselves (MathML Core:
# Chromium 109, Firefox, Safari) and screen readers read it, so no page loads
# a math script (MathJax was about 220 KB over gzip, most of the weight of a
# second page with math). Each <math> carries its LaTeX as alttext. The PDF
# is untouched: Sphinx's LaTeX builder writes the LaTeX itself.

MATH_RENDERER = "mathml"
# latex2mathml's output, mended where MathML Core would draw it unlike TeX:
# \operatorname{round} is an operator (<mo>round</mo>, spaced like a binary
# one) instead of a function name; \pm and \mp are identifiers (no space
# around them) instead of operators; a slash or a bar between others is
# spaced like a binary operator (x / y, |c - v| / |v|) where TeX sets it as
# an ordinary symbol (x/y, |c - v|/|v|). A function name (\log, \exp,
# \operatorname{...}) gets TeX's thin space before it after an ordinary
# symbol (b log x) and after it before one (log y), none next to an operator
# or a bracket; U+2061 FUNCTION APPLICATION after it is read as "of" by
# screen readers.
FUNCTION_NAME = re.compile(r"[A-Za-z]{2,}")
SIGNS = {"\N{PLUS-MINUS SIGN}", "\N{MINUS-OR-PLUS SIGN}"}
ORDINARY = {"/", "|"}
THIN = "0.167em"


class MathError(ValueError):
    pass


def _mend(root) -> None:
    """Mend latex2mathml's MathML tree ``root`` in place (see above)."""
    from xml.etree.ElementTree import Element

    for parent in list(root.iter()):
        for child in parent:
            if child.tag == "mo" and FUNCTION_NAME.fullmatch(child.text or ""):
                child.tag = "mi"
            elif child.tag == "mi" and child.text in SIGNS:
                child.tag = "mo"
            elif child.tag == "mo" and child.text in ORDINARY:
                child.attrib.update(lspace="0em", rspace="0em")
        children, mended = list(parent), []
        for i, child in enumerate(children):
            if not (child.tag == "mi" and FUNCTION_NAME.fullmatch(child.text or "")):
                mended.append(child)
                continue
            if mended and mended[-1].tag not in ("mo", "mspace"):
                mended.append(Element("mspace", width=THIN))
            apply = Element("mo")
            apply.text = "\N{FUNCTION APPLICATION}"
            mended += [child, apply]
            if i + 1 < len(children) and children[i + 1].tag not in ("mo", "mspace"):
                mended.append(Element("mspace", width=THIN))
        parent[:] = mended


def mathml(latex: str, display: bool = False) -> str:
    """The MathML of the LaTeX formula ``latex`` (inline, or a display formula
    when ``display``), its source as ``alttext``. A command latex2mathml does
    not know (it would print as its name) or input it cannot read raises
    :class:`MathError`.

    latex2mathml's own string writes the text of \\text{...} unescaped (a
    "<" or "&" there would break the page), so its tree is written here: its
    symbols, which it keeps as character references, as characters."""
    from html import unescape
    from xml.etree.ElementTree import tostring

    from latex2mathml.converter import convert_to_element

    try:
        root = convert_to_element(latex, display="block" if display else "inline")
    except Exception as error:  # latex2mathml's own exceptions share no base class
        raise MathError(f"cannot convert {latex!r} to MathML: {type(error).__name__} {error}") from error
    for element in root.iter():
        element.text = unescape(element.text) if element.text else element.text
        element.attrib = {name: unescape(value) for name, value in element.attrib.items()}
    unknown = [e.text for e in root.iter() if re.fullmatch(r"\\[A-Za-z]+", e.text or "")]
    if unknown:
        raise MathError(f"cannot convert {latex!r} to MathML: unknown command {', '.join(unknown)}")
    _mend(root)
    root.set("alttext", " ".join(latex.split()))
    return tostring(root, encoding="unicode")


def _mathml_of(self, node) -> str:
    """The MathML of ``node``'s formula; a formula that cannot be converted is
    a warning naming its page and line (-W: the build fails) and shows its LaTeX."""
    from sphinx.util import logging

    try:
        return mathml(node.astext(), display=isinstance(node, nodes.math_block))
    except MathError as error:
        logging.getLogger(__name__).warning(str(error), location=node)
        return f"<code>{self.encode(node.astext())}</code>"


def visit_math(self, node) -> None:
    """An inline formula: its MathML in Sphinx's <span class="math">."""
    self.body.append(self.starttag(node, "span", "", CLASS="math notranslate nohighlight"))
    self.body.append(_mathml_of(self, node) + "</span>")
    raise nodes.SkipNode


def visit_displaymath(self, node) -> None:
    """A display formula: its MathML in Sphinx's <div class="math">, after its
    number and link when it has a label (as Sphinx's MathJax writes it)."""
    from sphinx.locale import _
    from sphinx.util.math import get_node_equation_number

    self.body.append(self.starttag(node, "div", CLASS="math notranslate nohighlight"))
    if node["number"]:
        self.body.append(f'<span class="eqno">({get_node_equation_number(self, node)})')
        self.add_permalink_ref(node, _("Link to this equation"))
        self.body.append("</span>")
    self.body.append(_mathml_of(self, node) + "</div>\n")
    raise nodes.SkipNode


# ---- the book's static files and each page's assets ------------------------------


# The process making the vega bundle while Sphinx reads the pages (vega.start_bundle)
_bundling: subprocess.Popen | None = None


def _static(app) -> Path:
    return Path(app.outdir) / "_static"


def _start_bundle(app) -> None:
    """Start bundling vega, unless the built book has a current bundle; give
    the page templates the icon filter (:func:`inline_icons`)."""
    global _bundling
    if app.builder.format != "html":
        return
    app.builder.templates.environment.filters["inline_icons"] = inline_icons
    if vega.current_bundle(_static(app)) is None:
        _bundling = vega.start_bundle()


def badge_css() -> str:
    """The rating badges' colours, one rule per label, from data/rating/scale.csv."""
    from analysis import ratings

    scale = ratings.scale()
    return "".join(f'.rating-badge[data-rating="{ratings.position(label)}"] {{ background: {c}; }}\n'
                   for label, c in zip(scale["label"], scale["color"], strict=True))


def _write_static(app, builder) -> None:
    """Before the first page is written, the book's own static files: the
    vega bundle and the stylesheet. Every page then names the same files
    (with the same ``?v=`` checksum Sphinx adds for a file that exists).

    The bundle is a classic script in the head of every page, so that the
    first page of a visit brings it and every later page finds it in the
    browser's cache (its name changes with its content)."""
    global _bundling
    if builder.format != "html":
        return
    source = None
    if _bundling is not None:
        source, _bundling = vega.finish_bundle(_bundling), None
    app.add_js_file(vega.write_bundle(_static(app), source).name)
    (_static(app) / STYLE).write_text(CSS + icons_css() + badge_css(), encoding="utf-8")


def _bibliography_roles(app, pagename, templatename, context, doctree) -> None:
    """docutils marks a bibliography entry role="doc-biblioentry", a role
    DPUB-ARIA 1.1 deprecates; inside the citation list (role="list") an entry
    is a list item."""
    if "body" in context and 'role="doc-biblioentry"' in context["body"]:
        context["body"] = context["body"].replace('role="doc-biblioentry"', 'role="listitem"')


class NoCodeInPrint(SphinxPostTransform):
    """The PDF is free of code: the computations shown on demand in the HTML
    book (code cells' sources) are left out of the LaTeX; their outputs stay."""

    default_priority = 3
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        def is_source(node) -> bool:
            return isinstance(node, nodes.container) and node.get("nb_element") == "cell_code_source"

        for source in list(self.document.findall(is_source)):
            source.parent.remove(source)


# What a page's body holds when it uses sphinx-design or sphinx-togglebutton
# (jupyter-book loads both on every page; the book's folded computations are
# myst-nb's own <details>, which need neither)
USES = {
    "design": re.compile(r'class="(?:[^"]*\s)?sd-'),
    "togglebutton": re.compile(r'class="(?:[^"]*\s)?(?:toggle|dropdown)[\s"]'),
}


def _page_assets(app, pagename, templatename, context, doctree) -> None:
    """Each page's scripts and stylesheets: sphinx-design's and
    sphinx-togglebutton's only where they are used, never sphinx-thebe's (the
    book has no live kernels, and thebe's inline config is declared twice, a
    page error, and names a CDN URL). No page loads a math script: the math
    is MathML (:func:`mathml`)."""
    if "script_files" not in context:
        return
    body = context.get("body", "")
    unused = [name for name, used in USES.items() if not used.search(body)]

    def keep(asset) -> bool:
        name = getattr(asset, "filename", None) or str(asset)
        text = getattr(asset, "attributes", {}).get("body", "") or ""
        toggle_vars = text.startswith(("let toggle", "var toggle"))
        if "togglebutton" in unused and ("togglebutton" in name or toggle_vars):
            return False
        if "design" in unused and ("design-tabs" in name or "sphinx-design" in name):
            return False
        return "thebe" not in name and "THEBE" not in text

    context["script_files"][:] = [js for js in context["script_files"] if keep(js)]
    if "css_files" in context:
        context["css_files"][:] = [css for css in context["css_files"] if keep(css)]


def visit_hidden_code(self, node) -> None:
    """myst-nb's <details> around a computation's code, without the English
    name myst-nb gives its summary (aria-label="Toggle hidden content"): the
    summary is named by the text it shows, 計算を表示 or 計算を隠す (WCAG
    2.5.3, a name that contains the visible label)."""
    from html import escape

    self.body.append(f'<details class="admonition hide {" ".join(node["classes"])}">\n<summary>\n'
                     f'<p class="collapsed admonition-title">{escape(node["prompt_show"])}</p>\n'
                     f'<p class="expanded admonition-title">{escape(node["prompt_hide"])}</p>\n'
                     "</summary>\n")


def depart_hidden_code(self, node) -> None:
    self.body.append("</details>\n")


def _hidden_code(cell: nodes.Node):
    """The folded code of a code cell tagged hide-input (myst-nb's
    <details> around its source), or None for any other node."""
    from myst_nb.sphinx_ import HideCodeCellNode

    if not (isinstance(cell, nodes.container) and cell.get("nb_element") == "cell_code" and cell.children):
        return None
    first = cell.children[0]
    return first if isinstance(first, HideCodeCellNode) and "above-input" in first["classes"] else None


class OneTogglePerComputation(SphinxPostTransform):
    """One 計算を表示 per computation: consecutive code cells tagged
    hide-input (no text between them) fold their code under one toggle.

    myst-nb gives each such cell its own <details>, so a computation of two
    or three cells read as a stack of toggles. The first cell's <details>
    takes the code of the cells that follow it, in order; their outputs (a
    table, say) stay where they were, after it, shown; a cell left with
    nothing is removed. Runs after myst-nb's HideInputCells (199)."""

    default_priority = 210
    formats = ("html",)

    def run(self, **kwargs) -> None:
        for parent in list(self.document.findall(nodes.Element)):
            run: list[nodes.container] = []
            for child in list(parent.children):
                if _hidden_code(child) is not None:
                    run.append(child)
                    continue
                self.fold(run)
                run = []
            self.fold(run)

    @staticmethod
    def fold(run: list[nodes.container]) -> None:
        if len(run) < 2:
            return
        toggle = _hidden_code(run[0])
        for cell in run[1:]:
            folded = _hidden_code(cell)
            toggle.extend(folded.children)
            cell.remove(folded)
            if not cell.children:
                cell.parent.remove(cell)


def _drop_thebe_config(app, doctree, docname) -> None:
    """Remove the per-page thebe configuration nodes (they name a Binder repo)."""
    from docutils import nodes

    for node in list(doctree.findall(nodes.raw)):
        text = node.astext()
        if "x-thebe-config" in text or "kernelName =" in text:
            node.parent.remove(node)


def _extension_digest() -> str:
    """SHA-256 of the tooling modules that shape the pages: this extension, the
    vega bundle, the charts' page parts, the Japanese line joining and the
    bibliography style. The library reaches the pages through re-executed
    notebooks, and the rest of the tooling (build, refresh, exports, pdf,
    bench) never does, so none of those is hashed here."""
    import hashlib

    digest = hashlib.sha256()
    for module in (__file__, vega.__file__, chart_pages.__file__, figures.__file__, cjk.__file__,
                   bibstyle.__file__):
        digest.update(Path(module).read_bytes())
    return digest.hexdigest()[:16]


def _track_extension(app, config) -> None:
    """Make a change of these modules re-read and rewrite every page (their
    handlers run while pages are read): Sphinx tracks config values, not
    extension code, so the digest is a config value that rebuilds the
    environment."""
    config.book_tooling = _extension_digest()


def setup(app) -> dict:
    """The bundle and the stylesheet written before the pages are; each page's
    assets; the math as MathML; the charts' page parts; the Japanese line joining."""
    app.add_config_value("book_tooling", "", "env")
    bibstyle.register_plaintext_backend()
    bibstyle.register_styles()
    app.add_css_file(STYLE)
    app.add_html_math_renderer(MATH_RENDERER, (visit_math, None), (visit_displaymath, None))
    app.connect("builder-inited", _start_bundle)
    app.connect("write-started", _write_static)
    app.connect("config-inited", _track_extension)
    app.connect("doctree-read", cjk.join_lines)
    # before Sphinx's own collectors (500), so that the download links are collected
    app.connect("doctree-read", chart_pages.add_data_links, priority=400)
    app.add_post_transform(chart_pages.ChartOutputs)
    app.add_post_transform(chart_pages.ChartCaptions)
    app.add_post_transform(NoCodeInPrint)
    app.add_post_transform(OneTogglePerComputation)
    from myst_nb.sphinx_ import HideCodeCellNode

    app.add_node(HideCodeCellNode, override=True, html=(visit_hidden_code, depart_hidden_code))
    # after the extensions that add their assets (500)
    app.connect("html-page-context", _page_assets, priority=900)
    app.connect("html-page-context", _bibliography_roles)
    app.connect("doctree-resolved", _drop_thebe_config, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
