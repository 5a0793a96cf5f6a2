"""What each built page loads: the causes of its weight, not timings (those
are `make weight`'s). No Font Awesome (the icons are inline SVG), no math
script on any page (the math is MathML written at build time), one vega
bundle named by its digest and named the same way on every page (a visit
fetches it once), Sphinx's search index only on the search page, and no asset
of an extension the page does not use."""

from __future__ import annotations

import hashlib
import re
import urllib.parse
from pathlib import Path

import pytest

from tests.built_book.test_html import Assets
from tests.helpers import toc_pages
from tooling import sphinx_ext

pytestmark = pytest.mark.slow  # builds the book


def assets(page: Path) -> list[str]:
    """The URLs of the scripts and stylesheets ``page`` loads."""
    parser = Assets()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.urls


def target(html_dir: Path, page: Path, url: str) -> str:
    """``url`` of ``page`` as a path inside the built book, with its query."""
    parts = urllib.parse.urlsplit(url)
    path = (page.parent / parts.path).resolve().relative_to(html_dir.resolve())
    return f"{path.as_posix()}?{parts.query}" if parts.query else path.as_posix()


def toc_files(html_dir: Path) -> list[Path]:
    return [html_dir / f"{name}.html" for name in toc_pages()]


def all_pages(html_dir: Path) -> list[Path]:
    """Every page of the built book (the toc's, search, index; not the
    theme's template files copied into _static)."""
    return sorted(p for p in html_dir.rglob("*.html") if "_static" not in p.relative_to(html_dir).parts)


# Sphinx's container of a formula, and the MathML the book writes in it
FORMULA = re.compile(r'<(span|div) class="math notranslate nohighlight"[^>]*>\s*'
                     r'(?:<span class="eqno">.*?</span>)?(?P<math><math [^>]*>)', re.S)
MATHML = '<math xmlns="http://www.w3.org/1998/Math/MathML" display="(inline|block)" alttext="[^"]+">'
# what loads or configures a math script (MathJax, KaTeX) or leaves TeX for one
MATH_SCRIPT = re.compile(r"mathjax|katex", re.I)
TEX_DELIMITERS = re.compile(r'class="math notranslate nohighlight"[^>]*>\s*\\[(\[]')


def formulas(page: Path) -> list[str]:
    """The opening <math> tag of each formula on ``page`` (Sphinx marks each class="math")."""
    text = page.read_text(encoding="utf-8")
    found = [m.group("math") for m in FORMULA.finditer(text)]
    containers = text.count('class="math notranslate nohighlight"')
    assert len(found) == containers, f"{page.name}: a formula without MathML"
    return found


def test_no_page_loads_font_awesome(built_book):
    html_dir, _ = built_book
    for page in all_pages(html_dir):
        text = page.read_text(encoding="utf-8")
        where = page.relative_to(html_dir)
        assert not [u for u in assets(page) if "fontawesome" in u], f"{where} loads Font Awesome"
        assert not re.search(r'<(i|span) class="[^"]*\bfa-', text), f"{where} has a Font Awesome icon element"
        icons = re.findall(r"<svg class=\"book-icon[^>]*>", text)
        assert all('aria-hidden="true"' in svg and 'focusable="false"' in svg for svg in icons), where
    # every page of the book shows the theme's icons, drawn as SVG
    assert all('<svg class="book-icon' in p.read_text(encoding="utf-8") for p in toc_files(html_dir))
    # the icons the theme's stylesheets draw as Font Awesome glyphs are masks instead
    book_css = (html_dir / "_static" / "book.css").read_text(encoding="utf-8")
    for selector in sphinx_ext.CSS_ICONS:
        assert f"{selector} {{ content: \"\";" in book_css
    assert "base64" not in book_css


def test_no_page_loads_a_math_script(built_book):
    html_dir, _ = built_book
    for page in all_pages(html_dir):
        parser = Assets()
        parser.feed(page.read_text(encoding="utf-8"))
        where = page.relative_to(html_dir)
        assert not [u for u in parser.urls if MATH_SCRIPT.search(u)], f"{where} loads a math script"
        assert not [s for s in parser.inline if MATH_SCRIPT.search(s)], f"{where} configures a math script"
        assert not TEX_DELIMITERS.search(page.read_text(encoding="utf-8")), f"{where} leaves TeX for a script"
    assert not list((html_dir / "_static").glob("**/*mathjax*")), "the book ships MathJax"


def test_the_math_is_mathml_written_at_build_time(built_book):
    html_dir, _ = built_book
    found = {p.relative_to(html_dir).with_suffix("").as_posix(): formulas(p) for p in toc_files(html_dir)}
    with_math = {name for name, tags in found.items() if tags}
    assert {"chapters/06_side_effects", "chapters/appendix/methods"} <= with_math
    for name in with_math:
        assert all(re.fullmatch(MATHML, tag) for tag in found[name]), f"{name}: {found[name][:3]}"
    # inline and display formulas, e.g. the growth rate of the methods appendix
    assert any('display="block"' in t for t in found["chapters/appendix/methods"])
    assert any('display="inline"' in t for t in found["chapters/06_side_effects"])


def test_one_vega_bundle_named_by_its_digest_on_every_page(built_book):
    html_dir, _ = built_book
    bundles = sorted((html_dir / "_static").glob("vega-bundle*.js"))
    assert len(bundles) == 1, bundles
    bundle = bundles[0]
    data = bundle.read_bytes()
    assert len(data) > 500_000
    digest = re.fullmatch(r"vega-bundle\.([0-9a-f]{16})\.js", bundle.name)
    assert digest and digest.group(1) == hashlib.sha256(data).hexdigest()[:16]
    named = set()
    for page in toc_files(html_dir):
        found = [target(html_dir, page, u) for u in assets(page) if "vega-bundle" in u]
        assert len(found) == 1, f"{page.name} loads {found}"
        named |= set(found)
    # one URL (path and query) on every page: a visit fetches it once
    assert len(named) == 1 and named.pop().split("?")[0] == f"_static/{bundle.name}"


def test_every_local_asset_is_named_with_its_checksum_as_a_rebuild_names_it(built_book):
    """Sphinx adds ``?v=<checksum>`` to a stylesheet or script that exists when
    the page is written (the theme its own ``?digest=``): one written later
    (myst-nb's stylesheet, at the end of the build) was named without it in a
    fresh build and with it in the next, so the two builds' pages differed."""
    html_dir, _ = built_book
    for page in toc_files(html_dir):
        local = [u for u in assets(page) if "_static/" in u and not u.startswith(("http:", "https:"))]
        assert local and all(re.search(r"\?(v|digest)=[0-9a-f]+$", u) for u in local), (page.name, local)


def test_the_search_index_only_on_the_search_page(built_book):
    html_dir, _ = built_book
    for page in all_pages(html_dir):
        loads = any(u.endswith(("searchindex.js", "searchtools.js")) for u in assets(page))
        assert loads == (page.relative_to(html_dir).as_posix() == "search.html"), page


def test_no_asset_of_an_extension_the_page_does_not_use(built_book):
    html_dir, _ = built_book
    for page in toc_files(html_dir):
        text = page.read_text(encoding="utf-8")
        urls = assets(page)
        assert not [u for u in urls if "thebe" in u], page.name
        if not sphinx_ext.USES["design"].search(text):
            assert not [u for u in urls if "design" in u], page.name
        if not sphinx_ext.USES["togglebutton"].search(text):
            assert not [u for u in urls if "togglebutton" in u] and "toggleHintShow" not in text, page.name
