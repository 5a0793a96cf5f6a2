"""The built HTML book: every page, chart, glued value and citation; zero
warnings; nothing loaded from outside the book."""

from __future__ import annotations

import ast
import html
import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
from pybtex.database import parse_file
from pybtex.richtext import Text

from tests.helpers import GLUE_TEXT, ROOT, toc_pages
from tooling import bibstyle, page_language
from tooling.refresh import all_notebooks

pytestmark = pytest.mark.slow  # builds the book or the PDF, or executes notebooks


def glued_texts(nb) -> dict[str, str]:
    found = {}
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            name = out.get("metadata", {}).get("scrapbook", {}).get("name")
            glued = out.get("data", {})
            if name and GLUE_TEXT in glued and "application/papermill.record/text/html" not in glued:
                value = ast.literal_eval(glued[GLUE_TEXT])  # as myst-nb reads it
                assert isinstance(value, str), f"{name} is glued as {value!r}, not as a formatted str"
                found[name] = value
    return found


def referenced_glue(nb) -> set[str]:
    """Names used by {glue}/{glue:text} roles in the notebook's prose."""
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    return set(re.findall(r"\{glue(?::text|:any)?\}`([^`]+)`", text))


def figure_names(nb) -> list[tuple[str, str]]:
    """(glue key, figure :name:) of every glue:figure directive."""
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    return re.findall(r"```\{glue:figure\}\s+(\S+)\n:name:\s*(\S+)", text)


class Assets(HTMLParser):
    """Collects what a page loads: scripts, stylesheets, images, inline scripts.
    A data block (``<script type="application/ld+json">``, the ledger's
    ClaimReviews) is not a script: its schema.org URLs name terms, load nothing."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.inline: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script":
            if a.get("src"):
                self.urls.append(a["src"])
            else:
                self._in_script = a.get("type", "text/javascript") in ("text/javascript", "module")
        elif tag == "link" and a.get("rel") in ("stylesheet", "preload", "icon", "modulepreload"):
            self.urls.append(a.get("href", ""))
        elif tag in ("img", "iframe", "source", "video", "audio", "embed"):
            self.urls.append(a.get("src", ""))

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.inline.append(data)


def test_build_has_zero_warnings(built_book):
    _, log = built_book
    assert "WARNING" not in log and "build succeeded" in log
    # nor a notice, printed outside Sphinx's warnings, that an option has a new name
    assert not re.findall(r".*\b(?:renamed|deprecated)\b.*", log, re.I)


def test_every_toc_page_is_built(built_book):
    html_dir, _ = built_book
    for name in toc_pages():
        assert (html_dir / f"{name}.html").exists(), name
    assert [b.stat().st_size > 500_000 for b in (html_dir / "_static").glob("vega-bundle.*.js")] == [True]


def test_each_page_has_one_of_each_button_the_themes_script_listens_to(built_book):
    """The theme's script listens to the first button of each kind on a page
    (document.querySelector), so a hidden copy of one leaves the visible one
    doing nothing (tests/built_book/test_browser.py clicks them on one page)."""
    html_dir, _ = built_book
    for name in toc_pages():
        page = (html_dir / f"{name}.html").read_text(encoding="utf-8")
        counts = {kind: len(re.findall(rf'<button class="[^"]*\b{kind}\b', page))
                  for kind in ("primary-toggle", "secondary-toggle", "theme-switch-button")}
        assert counts["primary-toggle"] == 1 and counts["theme-switch-button"] == 1, (name, counts)
        assert counts["secondary-toggle"] <= 1, (name, counts)


@pytest.mark.parametrize("path", all_notebooks(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_chart_and_glued_value_is_on_its_page(built_book, path):
    html_dir, _ = built_book
    nb = nbformat.read(path, as_version=4)
    page = (html_dir / path.relative_to(ROOT)).with_suffix(".html").read_text(encoding="utf-8")
    charts = re.findall(r'<div id="(vega-[0-9a-f]{12})" class="vega-chart"', page)
    assert len(charts) == len(figure_names(nb)), "each glue:figure must render one chart container"
    for element in charts:
        assert f'document.getElementById("{element}")' in page
    for _, name in figure_names(nb):
        assert f'id="{name}"' in page, f"figure {name} has no anchor for numref"
    glued = glued_texts(nb)
    # on a page in another language, the Japanese inside a glued value is marked as such
    in_other_language = str(path.relative_to(ROOT).with_suffix("")) in page_language.PAGE_LANGUAGES
    for name in referenced_glue(nb):
        assert name in glued, f"the prose uses {name}, which no cell glues"
        text = html.escape(glued[name], quote=False)
        shown = page_language.mark_japanese(text) if in_other_language else text
        assert shown in page, f"glued value {name} = {glued[name]!r} not on the page"
    unused = sorted(set(glued) - referenced_glue(nb) - {key for key, _ in figure_names(nb)})
    assert not unused, f"glued, but the prose uses none of them: {unused}"


@pytest.mark.parametrize("path", all_notebooks(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_chart_gives_its_data(built_book, path):
    """Below each chart: links to the CSV of exactly the values it plots and to
    its Vega-Lite spec (files of the built book, so they open from disk), the
    same values as a table in <details>, and the PNG only in <noscript>."""
    html_dir, _ = built_book
    page_path = (html_dir / path.relative_to(ROOT)).with_suffix(".html")
    page = page_path.read_text(encoding="utf-8")
    nb = nbformat.read(path, as_version=4)
    assert "data:image/png;base64" not in page, "an inline image in the page"
    for _, name in figure_names(nb):
        figure = page[page.index(f'id="{name}"'):]
        figure = figure[:figure.index("</figure>")]
        links = re.findall(r'<a class="reference download internal" download="" href="([^"]+)"', figure)
        assert [Path(link).name for link in links] == [f"{name}.csv", f"{name}.vl.json"], (name, links)
        for link in links:
            target = (page_path.parent / link).resolve()
            assert target.is_file(), f"{name}: {link} is not in the built book"
        exported = (ROOT / "exports" / "figures" / f"{name}.csv").read_text(encoding="utf-8")
        assert (page_path.parent / links[0]).read_text(encoding="utf-8") == exported
        rows = len(exported.strip().splitlines()) - 1
        table = figure[figure.index('<details class="chart-data">'):figure.index("</details>")]
        assert table.count("<tr>") == rows + 1, f"{name}: the table has not every row of the CSV"
        assert re.search(r'<noscript><img alt="[^"]+" class="vega-fallback" src="[^"]+\.png"', figure), name


def test_nothing_is_loaded_from_outside_the_book(built_book):
    html_dir, _ = built_book
    pages = sorted(html_dir.rglob("*.html"))
    assert len(pages) >= len(toc_pages())
    for page in pages:
        parser = Assets()
        parser.feed(page.read_text(encoding="utf-8"))
        external = [u for u in parser.urls if re.match(r"^(https?:)?//", u)]
        assert not external, f"{page.relative_to(html_dir)} loads {external}"
        for script in parser.inline:
            where = page.relative_to(html_dir)
            assert not re.search(r"https?://", script), f"{where}: URL in an inline script"
    for css in html_dir.rglob("*.css"):
        text = css.read_text(encoding="utf-8", errors="ignore")
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", text), css


# A bibliography entry of the built page: bibtex_cite_id "cite-{key}" in
# _config.yml gives it the HTML id cite-<key>, which docutils writes with "-"
# for "_" (the ledger links its sources to these anchors).
CITATION = r'<div class="citation" id="(cite-[a-z0-9-]+)" role="listitem">'


def cite_id(key: str) -> str:
    """The HTML id of the bibliography entry of a references.bib key."""
    return "cite-" + key.replace("_", "-")


def test_every_source_is_cited_and_every_citation_resolves(built_book):
    html_dir, _ = built_book
    bib = (ROOT / "references.bib").read_text(encoding="utf-8")
    keys = set(re.findall(r"^@\w+\s*\{\s*([^,\s]+)\s*,", bib, re.M))
    texts = []
    for path in all_notebooks():
        for cell in nbformat.read(path, as_version=4).cells:
            texts.append(cell.source if cell.cell_type == "markdown" else "")
            texts += [o.get("data", {}).get("text/markdown", "") for o in cell.get("outputs", [])]
    texts += [p.read_text(encoding="utf-8") for p in ROOT.glob("*.md") if p.name != "README.md"]
    texts += [p.read_text(encoding="utf-8") for p in (ROOT / "chapters").rglob("*.md")]
    cited = set()
    for group in re.findall(r"\{cite(?::\w+)?\}`([^`]+)`", "\n".join(texts)):
        cited |= {k.strip() for k in group.split(",")}
    assert cited <= keys, f"cited but not in references.bib: {sorted(cited - keys)}"
    assert keys <= cited, f"in references.bib but never cited: {sorted(keys - cited)}"
    bibliography = (html_dir / "chapters" / "appendix" / "bibliography.html").read_text(encoding="utf-8")
    anchors = re.findall(CITATION, bibliography)
    assert len(anchors) == len(keys), "the bibliography lists every source once"
    assert sorted(anchors) == sorted(cite_id(k) for k in keys), "each entry is anchored as cite-<key>"


# ---- Bibliography: every entry dated, titled, published and linked -----------

BIB = parse_file(str(ROOT / "references.bib"))
# The article under review was provided outside the repository: it is not
# online, and it names neither its publisher nor its date (its note says so).
OFFLINE = {"article"}
NO_PUBLISHER = {"article": "発行者（掲載媒体）も公表日も書かれておらず"}
# Web sources whose page the book's research could not read itself (their
# values were confirmed in reprints or quotations): no access date (urldate),
# and the note says so, in these words.
UNREAD = {
    "fujichimera_genai": "このページ自体は確認できず",
    "fbi_qc_market_2032": "このページ自体を確認できず",
    "ec_ai_act": "このページ自体は確認できず",
    "aist_pr20231017": "本文は未取得",
    "mof_zaisei_20251111": "資料の転載で本文を確認",
    "eurlex_ai_act": "条文は転載",
}
# Of those, the ones whose publication date is not known either: they read
# 日付不明 (never a guessed date), and the note says why.
UNDATED = dict.fromkeys(["fujichimera_genai", "fbi_qc_market_2032", "ec_ai_act"], "日付は不明")
PUBLISHER_FIELDS = ("publisher", "organization", "howpublished", "journal", "booktitle")


def plain(html_text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", html_text))


@pytest.fixture(scope="module")
def bibliography_entries(built_book) -> dict[str, str]:
    """The text of every entry of the built bibliography page, by HTML id."""
    html_dir, _ = built_book
    page = (html_dir / "chapters" / "appendix" / "bibliography.html").read_text(encoding="utf-8")
    found = re.findall(CITATION + r"(.*?)</div>", page, re.S)
    return {anchor: plain(re.sub(r'<span class="label">.*?</span></span>', "", f, flags=re.S)).strip()
            for anchor, f in found}


def test_no_citation_or_entry_says_nd(built_book):
    html_dir, _ = built_book
    pages = sorted(html_dir.rglob("*.html"))
    said = [str(p.relative_to(html_dir)) for p in pages if "n.d." in p.read_text(encoding="utf-8")]
    assert not said, f"pages with n.d.: {said}"


def field_text(entry, name: str) -> str:
    return Text.from_latex(entry.fields[name]).render_as("text")


def jp_date(y: str, m: str = "", d: str = "") -> str:
    return f"{int(y)}年" + (f"{int(m)}月" if m else "") + (f"{int(d)}日" if m and d else "")


@pytest.mark.parametrize("key", list(BIB.entries))
def test_every_entry_shows_date_title_publisher_and_url(bibliography_entries, key):
    entry = BIB.entries[key]
    title = field_text(entry, "title")
    anchor = cite_id(key)
    assert anchor in bibliography_entries, f"{key}: no bibliography entry has the id {anchor}"
    text = bibliography_entries[anchor]
    # the title follows the date
    assert f"）「{title}」" in text, f"{key}: the entry {anchor} is not titled {title!r}: {text!r}"
    shown = [t for t in bibliography_entries.values() if f"）「{title}」" in t]
    assert len(shown) == 1, f"{key}: the title is on {len(shown)} bibliography entries"
    year, month, day = bibstyle.published(entry)
    accessed = entry.fields.get("urldate", "")
    if year:
        assert re.search(f"（{year}[a-z]?）", text), f"{key}: no year in {text!r}"
        if month:  # the publication date, as far as it is known, after the title
            date = jp_date(year, month, day)
            assert f"」{date}. " in text, f"{key}: no {date}: {text!r}"
    elif accessed:
        assert f"（{int(accessed[:4])}年閲覧" in text, f"{key}: no year, no 閲覧 year: {text!r}"
    else:
        assert key in UNDATED, f"{key}: neither a publication date nor an access date"
        assert "（日付不明" in text and UNDATED[key] in text, f"{key}: not marked 日付不明 with why: {text!r}"
    if key in OFFLINE or key in UNREAD:
        assert not accessed and "閲覧）" not in text, f"{key}: an access date for a page not read: {text!r}"
        if key in UNREAD:
            assert UNREAD[key] in text, f"{key}: the note does not say the page was not read: {text!r}"
    else:
        y, m, d = accessed.split("-")
        assert text.endswith(f"（{jp_date(y, m, d)}閲覧）"), f"{key}: no 閲覧日 {accessed}: {text!r}"
    publishers = [field_text(entry, f) for f in PUBLISHER_FIELDS if entry.fields.get(f)]
    if key in NO_PUBLISHER:
        assert not publishers and NO_PUBLISHER[key] in text, f"{key}: the note does not say why: {text!r}"
    else:
        assert publishers and all(p in text for p in publishers), f"{key}: no publisher in {text!r}"
    if key not in OFFLINE:
        assert f"URL: {entry.fields['url']}" in text, f"{key}: no URL in {text!r}"
    assert "日付未確認" not in text


def test_the_exceptions_are_exactly_the_entries_that_lack_a_date_or_publisher():
    """OFFLINE, UNREAD, UNDATED and NO_PUBLISHER name exactly the entries of
    references.bib that lack a URL, an access date, any date, a publisher."""
    entries = BIB.entries
    web = {k for k, e in entries.items() if e.fields.get("url")}
    assert set(entries) - web == OFFLINE
    assert {k for k in web if not entries[k].fields.get("urldate")} == set(UNREAD)
    assert {k for k, e in entries.items() if not e.fields.get("year") and not e.fields.get("urldate")} \
        == set(UNDATED)
    assert {k for k, e in entries.items() if not any(e.fields.get(f) for f in PUBLISHER_FIELDS)} \
        == set(NO_PUBLISHER)


def test_no_source_was_read_before_it_was_published():
    for key, entry in BIB.entries.items():
        year, month, day = bibstyle.published(entry)
        accessed = entry.fields.get("urldate", "")
        if accessed and year:
            assert accessed >= "-".join(p for p in (year, month.zfill(2) if month else "", day) if p), key


def test_no_page_says_date_unchecked(built_book):
    html_dir, _ = built_book
    said = [str(p.relative_to(html_dir)) for p in sorted(html_dir.rglob("*.html"))
            if "日付未確認" in p.read_text(encoding="utf-8")]
    assert not said, f"pages with 日付未確認: {said}"


class _LanguageOfText(HTMLParser):
    """The prose of a page (not its code or scripts) with the language of its innermost ``lang``."""

    VOID = {"br", "img", "hr", "meta", "link", "input", "wbr", "source", "col", "area"}
    RAW = {"script", "style", "pre", "code"}

    def __init__(self):
        super().__init__()
        self.stack, self.texts, self.raw = [], [], 0

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append(dict(attrs).get("lang") or (self.stack[-1] if self.stack else ""))
        self.raw += tag in self.RAW

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()
        self.raw -= tag in self.RAW

    def handle_data(self, data):
        if data.strip() and not self.raw:
            self.texts.append((self.stack[-1] if self.stack else "", data.strip()))


def test_no_japanese_in_the_english_summary_is_marked_english(built_book):
    """WCAG 3.1.2: inside the English summary, the article's quotes, the rating
    labels and the links to Japanese pages are marked lang="ja", so that a
    screen reader reads them in Japanese."""
    html_dir, _ = built_book
    reader = _LanguageOfText()
    reader.feed((html_dir / "chapters" / "appendix" / "summary_en.html").read_text(encoding="utf-8"))
    japanese = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
    english = [text for lang, text in reader.texts if lang == "en"]
    assert len(english) > 50
    assert not [text for text in english if japanese.search(text)]
    assert len([text for lang, text in reader.texts if lang == "ja" and japanese.search(text)]) > 30


def test_the_english_summary_is_marked_english_and_every_other_page_japanese(built_book):
    html_dir, _ = built_book
    for page in toc_pages():
        text = (html_dir / f"{page}.html").read_text(encoding="utf-8")
        assert re.search(r'<html lang="ja"', text), page  # the navigation and controls are Japanese
        english = page == "chapters/appendix/summary_en"
        assert ('<div lang="en">' in text) == english, page
        # inside the English text, the computation's toggle reads in English too
        # (the summary_en notebook's mystnb metadata), not 計算を表示 marked as English
        toggles = set(re.findall(r'<p class="(?:collapsed|expanded) admonition-title">([^<]*)</p>', text))
        expected = ({"Show the computation", "Hide the computation"} if english
                    else {"計算を表示", "計算を隠す"})
        assert toggles <= expected and (toggles or not english), (page, toggles)
