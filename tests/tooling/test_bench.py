"""The benchmark's helpers work (``make bench``); nothing here is timed.

The page-weight helpers serve a small site over HTTP with gzip, as GitHub
Pages does, and read what headless Chromium transferred; the report lines say
whether each goal is met."""

from __future__ import annotations

import gzip
import urllib.request

import pytest

from tooling import bench

CSS = "body { color: #123; }\n" * 2000  # 44 KB that gzip makes small
SCRIPT = ("window.drawn = true;\n"
          "document.querySelectorAll('.vega-chart').forEach(e => e.innerHTML = '<svg></svg>');\n")


@pytest.fixture()
def site(tmp_path):
    """Two pages sharing a stylesheet and a script (a chart each, drawn by it)."""
    for name in ("one", "two"):
        (tmp_path / f"{name}.html").write_text(
            f'<!doctype html><html><head><title>{name}</title><link rel="icon" href="data:,">'
            f'<link rel="stylesheet" href="s.css?v=1">'
            f'</head><body><p>{name * 500}</p><div class="vega-chart"></div>'
            f'<script src="c.js"></script></body></html>', encoding="utf-8")
    (tmp_path / "s.css").write_text(CSS, encoding="utf-8")
    (tmp_path / "c.js").write_text(SCRIPT, encoding="utf-8")
    return tmp_path


def test_the_server_gzips_text_like_github_pages(site):
    with bench.gzip_server(site) as url:
        request = urllib.request.Request(f"{url}/s.css?v=1", headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request) as response:
            body = response.read()
            assert response.headers["Content-Encoding"] == "gzip"
            assert response.headers["Cache-Control"] == "max-age=600"
        assert gzip.decompress(body).decode() == CSS and len(body) < len(CSS) / 10
        with urllib.request.urlopen(f"{url}/s.css") as response:  # no Accept-Encoding: as it is
            assert response.headers.get("Content-Encoding") is None
            assert response.read().decode() == CSS


@pytest.mark.slow  # a browser
def test_page_weights_read_what_chromium_transferred(site, browser):
    first, = [w for w in bench.page_weights(site, ["one", "two"], browser) if w["page"] == "one"]
    visit, after = first["first"], first["second"]
    html = (site / "one.html").read_bytes()
    # compressed: less than the files, more than nothing (headers are counted too)
    assert 0 < visit["html"] < len(html)
    assert visit["total"] > visit["html"] and visit["total"] < len(html) + len(CSS) / 5 + 2000
    assert visit["requests"] == 3  # the page, its stylesheet and its script
    assert {name for _, name in visit["largest"]} == {"/one.html", "/s.css", "/c.js"}
    # the second page finds the stylesheet and the script in the cache
    assert after["requests"] == 1 and after["total"] < visit["total"]
    assert first["second_page"] == "two"


def test_weight_lines_say_which_goal_is_met():
    small = {"html": 100_000, "total": 700_000, "requests": 20}
    large = {"html": 400_000, "total": 900_000, "requests": 30}
    lines = bench.weight_lines([
        {"page": "chapters/a", "first": small, "second": {"total": 90_000, "requests": 3},
         "second_page": "b"},
        {"page": "chapters/b", "first": large, "second": {"total": 120_000, "requests": 3},
         "second_page": "a"},
    ])
    assert lines[0] == ("  chapters/a: HTML 100 KB, first visit 700 KB (20 requests), then b 90 KB "
                        "(3 requests)")
    goals = lines[2:]
    assert all("NOT met" in line and "chapters/b" in line for line in goals), goals


def test_html_measures_only_the_weight_of_a_built_book(tmp_path, capsys):
    with pytest.raises(SystemExit):
        bench.main(["--html", str(tmp_path)])  # no index.html: no built book there
    assert "holds no built book" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        bench.main(["--html", str(tmp_path), "--only", "cold"])
    assert "page weight only" in capsys.readouterr().err


def test_notebook_times_and_medians():
    times = {"intro.ipynb": 2.0, "chapters/04_ai.ipynb": 7.25, "chapters/01_policy.ipynb": 3.0,
             "chapters/07_summary.ipynb": 1.0}
    assert bench.times_line(times, slowest=2) == (
        "total 13.2 s over 4 notebooks; slowest: chapters/04_ai.ipynb 7.2 s, chapters/01_policy.ipynb 3.0 s")
    times = [bench.Timing(3.0, 1.0), bench.Timing(1.0, 2.0), bench.Timing(2.0, 3.0)]
    assert bench.median_line(times) == "2.0 s (median of 3.0, 1.0, 2.0 s; CPU 2.0 s)"


def test_machine_names_cores_and_python():
    text = bench.machine()
    assert "cores" in text and "Python 3." in text


def test_sphinx_pages_are_read_from_its_log():
    log = ("\x1b[01mreading sources... \x1b[39;49;00m[ 50%] \x1b[35mchapters/04_ai\x1b[39;49;00m\n"
           "reading sources... [100%] chapters/07_summary\n"
           "looking for now-outdated files... none found\n"
           "writing output... [ 33%] chapters/04_ai\n"
           "writing output... [ 67%] chapters/07_summary\n"
           "writing output... [100%] intro\n")
    read, written = bench.sphinx_pages(log)
    assert read == ["chapters/04_ai", "chapters/07_summary"]
    assert written == ["chapters/04_ai", "chapters/07_summary", "intro"]


def test_the_pytest_summary_is_read_past_makes_own_lines():
    log = ("........ [100%]\n"
           "\x1b[32m======================= 1142 passed in 122.19s (0:02:02) =======================\x1b[0m\n"
           "make[1]: Leaving directory '/tmp/bench/parallel'\n")
    assert bench.pytest_summary(log) == "1142 passed in 122.19s (0:02:02)"
    failed = "== 2 failed, 1140 passed in 130.00s ==\n"
    assert bench.pytest_summary(failed) == "2 failed, 1140 passed in 130.00s"
    assert bench.pytest_summary("make: *** [Makefile:53: test] Error 2\n") == "(no pytest summary)"
