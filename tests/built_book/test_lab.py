"""Re-executing the chapters as an analyst would, with the network blocked.

1. JupyterLab exactly as ``make lab`` starts it (the recipe is read with
   ``make -n lab``), serving a temporary copy of ``chapters/``: headless
   Chromium opens the reference chapter, runs "Restart Kernel and Run All" and
   every chart must be visible, with no error output, on the project's own
   kernel; neither the browser nor the server or kernel may reach anything but
   127.0.0.1 (a Python audit hook records every connection and DNS lookup).
2. ``jupyter nbconvert --to html`` of every stored notebook, opened from disk:
   every chart visible (its static image loaded, or an SVG), no script error.

A chart is any output carrying a Vega-Lite spec; glued charts count too,
because an analyst must see them outside the book as well. The server, its
kernels and the browser are stopped at the end whatever happens.
Needs Debian's chromium, playwright and make: skipped without them, failed
under CI (CI=true).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

from tests.helpers import GLUE_TEXT, ROOT, offline_context, require
from tooling.refresh import all_notebooks

pytestmark = pytest.mark.slow  # builds the book or the PDF, or executes notebooks

CHAPTERS = ROOT / "chapters"
REFERENCE = "04_ai.ipynb"
VEGALITE = re.compile(r"application/vnd\.vegalite\.v\d+\+json$")
BARE_CHART = re.compile(r"alt\.\w*Chart\(")
# nbconvert's own HTML template asks these CDNs for require.js, MathJax and
# mermaid; offline they fail to load, which no chart depends on.
NBCONVERT_TEMPLATE_CDN = "https://cdnjs.cloudflare.com/ajax/libs/"
LOOPBACK = {"127.0.0.1", "localhost", "::1", "0.0.0.0", "", "None"}

# Installed in the server (and, through PYTHONPATH, its kernels): records
# every outgoing connection and host lookup of any Python process it starts.
AUDIT_HOOK = '''
import json, os, sys
_LOG = os.environ.get("LAB_TEST_NET_LOG")
_EVENTS = {"socket.connect", "socket.getaddrinfo", "socket.gethostbyname",
           "http.client.connect", "urllib.Request"}
def _hook(event, args):
    if event not in _EVENTS:
        return
    if event == "socket.connect":
        address = args[1]
        host = address[0] if isinstance(address, tuple) else None  # None: AF_UNIX
    elif event == "http.client.connect":
        host = args[1]
    elif event == "urllib.Request":
        host = args[0]
    else:
        host = args[0]
    if host is None:
        return
    with open(_LOG, "a", encoding="utf-8") as out:
        out.write(json.dumps({"pid": os.getpid(), "event": event, "host": str(host)}) + "\\n")
if _LOG:
    sys.addaudithook(_hook)
'''

# ---- JavaScript run in the pages ---------------------------------------------

CHART_SELECTOR = ".vega-chart, .vega-embed, .jp-RenderedVegaCommon5, .jp-RenderedImage"

# Scrolls each chart into view (JupyterLab skips rendering off-screen cells)
# and reports whether it is really visible.
CHARTS_JS = """async (root) => {
  const sel = SELECTOR;
  const scope = root ? document.querySelector(root) : document;
  const found = [...scope.querySelectorAll(sel)].filter(e => !e.parentElement.closest(sel));
  const frame = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const seen = [];
  for (const e of found) {
    e.scrollIntoView({block: "center"});
    await frame();
    const img = e.matches("img") ? e : e.querySelector("img");
    if (img && !img.complete) {
      await new Promise(r => { img.onload = img.onerror = r; setTimeout(r, 5000); });
    }
    const box = e.getBoundingClientRect();
    const svg = e.querySelector("svg");
    seen.push({
      kind: e.className,
      width: Math.round(box.width), height: Math.round(box.height),
      svgMarks: svg ? svg.querySelectorAll("path, rect, line, text").length : 0,
      canvas: !!e.querySelector("canvas"),
      img: img ? {complete: img.complete, naturalWidth: img.naturalWidth,
                  width: Math.round(img.getBoundingClientRect().width)} : null,
    });
  }
  return seen;
}""".replace("SELECTOR", json.dumps(CHART_SELECTOR))

NOTEBOOK_JS = """(path) => {
  const app = window.jupyterapp;
  if (!app) { return false; }
  const panel = Array.from(app.shell.widgets("main")).find(w => w.context && w.context.path === path);
  if (!panel || !panel.context.isReady || !panel.sessionContext.session) { return false; }
  const kernel = panel.sessionContext.session.kernel;
  if (!kernel || kernel.status !== "idle") { return false; }
  window.__notebook = panel;
  app.shell.activateById(panel.id);
  return true;
}"""

STATE_JS = """() => {
  const panel = window.__notebook;
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  const cells = panel.content.widgets.map(w => w.model.toJSON());
  const code = cells.filter(c => c.cell_type === "code");
  return {
    status: kernel ? kernel.status : "none",
    executed: code.filter(c => c.execution_count !== null).length,
    total: code.length,
    errors: code.filter(c => (c.outputs || []).some(o => o.output_type === "error")).length,
    cells: cells,
  };
}"""

KERNEL_JS = """async (code) => {
  const kernel = window.__notebook.sessionContext.session.kernel;
  const future = kernel.requestExecute({code: code, store_history: false});
  let out = "";
  future.onIOPub = msg => {
    if (msg.header.msg_type === "stream") { out += msg.content.text; }
    if (msg.header.msg_type === "error") { out += msg.content.ename + ": " + msg.content.evalue; }
  };
  await future.done;
  return out;
}"""

KERNEL_PROBE = """import json, os, sys, analysis
print(json.dumps({"executable": sys.executable, "analysis": analysis.__file__,
                  "kernelspec_env": os.environ.get("LAB_TEST_KERNEL")}))"""

OUTPUT_TEXT_JS = """(root) =>
  [...document.querySelectorAll(root + " .jp-OutputArea-output")].map(e => e.textContent)"""


# ---- helpers -----------------------------------------------------------------


def chart_outputs(outputs: list[dict]) -> int:
    """Outputs carrying a Vega-Lite spec (displayed or only glued)."""
    return sum(1 for o in outputs if any(VEGALITE.search(k) for k in o.get("data", {})))


def lab_command() -> tuple[dict[str, str], list[str]]:
    """(environment, argv) of the JupyterLab command of ``make lab``."""
    make = shutil.which("make")
    require(make is not None, "make is not installed")
    proc = subprocess.run([make, "-s", "-n", "-C", str(ROOT), "lab"], capture_output=True,
                          text=True, env={**os.environ, "MAKEFLAGS": ""})
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.replace("\\\n", " ").splitlines()
    commands = [line for line in lines if re.search(r"jupyter(-lab)?\b.*\blab\b|jupyter-lab\b", line)]
    assert commands, f"no JupyterLab command in `make -n lab`:\n{proc.stdout}"
    words = shlex.split(commands[-1])
    env: dict[str, str] = {}
    while words and (words[0] == "env" or re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", words[0])):
        word = words.pop(0)
        if word != "env":
            key, _, value = word.partition("=")
            env[key] = value
    exe = Path(words.pop(0))
    exe = exe if exe.is_absolute() else ROOT / exe
    require(exe.exists(), f"{exe} is missing (run make test, which installs the environment)")
    return env, [str(exe), *words]


def assert_drawn(chart: dict) -> None:
    """A chart found by CHARTS_JS is really visible: drawn SVG or canvas, or a loaded image."""
    drawn = chart["svgMarks"] > 3 or chart["canvas"] or (
        chart["img"] and chart["img"]["complete"] and chart["img"]["naturalWidth"] > 0)
    assert drawn and chart["width"] > 50 and chart["height"] > 50, f"blank chart: {chart}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def local_get(url: str, timeout: float = 2.0) -> bytes:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(url, timeout=timeout) as response:
        return response.read()


def processes_using(runtime: Path) -> list[int]:
    """Processes (kernels) whose command line names our private runtime folder."""
    pids = []
    proc = Path("/proc")
    for entry in proc.iterdir() if proc.is_dir() else []:
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        if str(runtime) in cmdline:
            pids.append(int(entry.name))
    return pids


@contextlib.contextmanager
def running_lab(tmp: Path):
    """JupyterLab as ``make lab`` starts it, on a free port with a token and no
    browser, serving a copy of chapters/; stopped (with its kernels) at the end."""
    make_env, argv = lab_command()
    served = tmp / "chapters"
    shutil.copytree(CHAPTERS, served, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    audit = tmp / "audit"
    audit.mkdir()
    (audit / "sitecustomize.py").write_text(AUDIT_HOOK, encoding="utf-8")
    runtime = tmp / "runtime"
    # A user-wide "python3" kernel (as `pip install --user ipykernel` leaves
    # one): make lab must still start the project's own kernel.
    decoy = tmp / "data" / "kernels" / "python3"
    decoy.mkdir(parents=True)
    (decoy / "kernel.json").write_text(json.dumps({
        "argv": ["python", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (user-wide)", "language": "python",
        "env": {"LAB_TEST_KERNEL": "user-wide"}}), encoding="utf-8")
    port, token = free_port(), secrets.token_hex(16)
    # The recipe's own folder argument is replaced by the copy.
    argv = [a for a in argv if not re.match(r"--(notebook-dir|root-dir|ServerApp\.root_dir)\b", a)]
    argv += [f"--ServerApp.root_dir={served}", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
             f"--IdentityProvider.token={token}", "--ServerApp.open_browser=False",
             "--LabApp.expose_app_in_browser=True"]
    if os.geteuid() == 0:
        argv.append("--allow-root")
    env = {**os.environ, **make_env,
           # Private user folders: the user's ~/.jupyter is neither read nor written.
           "JUPYTER_CONFIG_DIR": str(tmp / "config"), "JUPYTER_DATA_DIR": str(tmp / "data"),
           "JUPYTER_RUNTIME_DIR": str(runtime), "IPYTHONDIR": str(tmp / "ipython"),
           "PYTHONPATH": os.pathsep.join([str(audit), *filter(None, [os.environ.get("PYTHONPATH")])]),
           "LAB_TEST_NET_LOG": str(tmp / "network.jsonl")}
    log_path = tmp / "lab.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                pytest.fail(f"JupyterLab exited ({proc.returncode}):\n{log_path.read_text()[-3000:]}")
            try:
                local_get(f"{url}/api/status?token={token}")
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not start:\n{log_path.read_text()[-3000:]}")
                time.sleep(0.3)
        yield {"url": url, "token": token, "log": log_path, "network": tmp / "network.jsonl",
               "argv": argv, "make_env": make_env}
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)  # the server shuts its kernels down
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        for pid in processes_using(runtime):  # a kernel that outlived it
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def open_context(browser, allowed: tuple[str, ...]):
    """A browser context that aborts every request not starting with ``allowed``."""
    return offline_context(browser, allowed, width=1400, height=1000)


# ---- fixtures ----------------------------------------------------------------


@pytest.fixture(scope="module")
def lab_run(browser, tmp_path_factory) -> dict:
    """Open the reference chapter in JupyterLab, Restart Kernel and Run All,
    and record what an analyst would see."""
    tmp = tmp_path_factory.mktemp("lab")
    result: dict = {"timings": {}}
    start = time.monotonic()
    with running_lab(tmp) as lab:
        result["timings"]["server"] = time.monotonic() - start
        context, blocked = open_context(browser, (lab["url"], "data:", "blob:", "about:"))
        page_errors: list[str] = []
        try:
            page = context.new_page()
            page.on("pageerror", lambda e: page_errors.append(str(e)))
            page.goto(f"{lab['url']}/lab/tree/{REFERENCE}?token={lab['token']}")
            page.wait_for_function(NOTEBOOK_JS, arg=REFERENCE, timeout=90_000, polling=500)
            result["timings"]["open"] = time.monotonic() - start
            result["version"] = page.evaluate("() => window.jupyterapp.version")
            # Clear the stored outputs first, so that what is seen afterwards was
            # produced by this run; then Restart Kernel and Run All, as from the menu.
            page.evaluate("() => { window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs'); }")
            page.evaluate("() => { window.jupyterapp.commands.execute('notebook:restart-run-all'); }")
            page.locator(".jp-Dialog .jp-Dialog-button.jp-mod-accept").click(timeout=20_000)
            deadline, done_polls = time.monotonic() + 150, 0
            while True:
                state = page.evaluate(STATE_JS)
                finished = state["status"] == "idle" and (
                    state["executed"] == state["total"] or state["errors"])
                done_polls = done_polls + 1 if finished else 0
                if done_polls >= 3:
                    break
                assert time.monotonic() < deadline, (
                    f"run-all did not finish: {state['executed']}/{state['total']} cells, "
                    f"kernel {state['status']}")
                time.sleep(0.5)
            result["timings"]["run_all"] = time.monotonic() - start
            result["state"] = state
            root = ".jp-NotebookPanel:not(.lm-mod-hidden)"
            result["charts"] = page.evaluate(CHARTS_JS, root)
            result["texts"] = page.evaluate(OUTPUT_TEXT_JS, root)
            result["kernel"] = page.evaluate(KERNEL_JS, KERNEL_PROBE)
            shown = page.locator(f"{root} .vega-chart, {root} .vega-embed")
            if shown.count():
                shown.first.scroll_into_view_if_needed()
                page.wait_for_timeout(300)
            result["screenshot"] = tmp / "lab-04_ai.png"
            page.screenshot(path=str(result["screenshot"]))
            if os.environ.get("LAB_SCREENSHOT"):
                shutil.copy(result["screenshot"], os.environ["LAB_SCREENSHOT"])
            result["page_text"] = page.evaluate("() => document.body.innerText")
            # What the frontend would ask for once a user answers JupyterLab's news
            # question or opens the extension manager: each must stay offline.
            apis = ("lab/api/news", "lab/api/update", "lab/api/extensions?query=altair&page=1&per_page=10")
            for api in apis:
                separator = "&" if "?" in api else "?"
                with contextlib.suppress(OSError):
                    local_get(f"{lab['url']}/{api}{separator}token={lab['token']}", timeout=30)
        finally:
            context.close()
        result["blocked"], result["page_errors"] = blocked, page_errors
        result["lab"] = lab
    # Read once the server and its kernels have exited: the log is complete.
    log = lab["network"]
    result["network"] = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
    result["timings"]["total"] = time.monotonic() - start
    return result


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    """Every stored notebook exported with ``jupyter nbconvert --to html``."""
    out = tmp_path_factory.mktemp("nbconvert")
    jupyter = Path(sys.executable).with_name("jupyter")
    require(jupyter.exists(), f"{jupyter} is not installed")
    for folder in sorted({p.parent for p in all_notebooks()}):
        target = out / folder.relative_to(ROOT)
        proc = subprocess.run([str(jupyter), "nbconvert", "--to", "html", "--output-dir", str(target),
                               *map(str, sorted(folder.glob("*.ipynb")))],
                              capture_output=True, text=True, cwd=tmp_path_factory.getbasetemp())
        assert proc.returncode == 0, proc.stderr[-3000:]
    return out


# ---- JupyterLab --------------------------------------------------------------


def test_lab_is_the_pinned_version(lab_run):
    pins = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    pinned = re.search(r"^jupyterlab==(\S+)$", pins, re.M)
    assert pinned, "jupyterlab is not pinned in requirements.txt"
    assert lab_run["version"] == pinned.group(1)


def test_lab_runs_the_chapter_without_error(lab_run):
    state = lab_run["state"]
    problems = []
    for index, cell in enumerate(state["cells"]):
        for out in cell.get("outputs", []):
            if out["output_type"] == "error":
                problems.append(f"cell {index}: {out['ename']}: {out['evalue']}")
            elif out["output_type"] == "stream" and out["name"] == "stderr":
                problems.append(f"cell {index} wrote to stderr: {''.join(out['text'])[:300]}")
    assert not problems, "\n".join(problems)
    assert state["executed"] == state["total"], f"only {state['executed']}/{state['total']} cells ran"
    assert not lab_run["page_errors"], lab_run["page_errors"]
    for text in lab_run["texts"]:
        assert "Traceback" not in text and "Javascript Error" not in text, text[:500]
        assert not BARE_CHART.search(text), f"a chart shown as its repr: {text[:200]}"


def test_lab_shows_every_chart(lab_run):
    cells = lab_run["state"]["cells"]
    expected = sum(chart_outputs(c.get("outputs", [])) for c in cells)
    assert expected > 0, f"{REFERENCE} produced no chart output"
    glued_only = sum(chart_outputs([o for o in c.get("outputs", [])
                                    if o.get("metadata", {}).get("scrapbook", {}).get("mime_prefix")])
                     for c in cells)
    charts = lab_run["charts"]
    assert len(charts) == expected, (
        f"{REFERENCE}: {expected} chart outputs, {len(charts)} shown in JupyterLab; "
        f"{glued_only} are glued with display=False, which JupyterLab cannot show")
    for chart in charts:
        assert_drawn(chart)


def test_lab_glued_values_are_quiet(lab_run):
    """A glued value is not echoed as a cell result (``'3.03倍'``) outside the book."""
    echoes = []
    for index, cell in enumerate(lab_run["state"]["cells"]):
        outputs = cell.get("outputs", [])
        glued = {"".join(o["data"][GLUE_TEXT]) for o in outputs if GLUE_TEXT in o.get("data", {})}
        for out in outputs:
            if out["output_type"] == "execute_result":
                text = "".join(out["data"].get("text/plain", ""))
                if text.strip("'\"") in glued:
                    echoes.append(f"cell {index}: {text}")
    assert not echoes, ("glued values echoed as cell results (glue.text returns its text):\n"
                        + "\n".join(echoes))


def test_lab_uses_the_project_kernel(lab_run):
    probe = json.loads(lab_run["kernel"])
    assert probe["kernelspec_env"] is None, "a user-wide python3 kernel shadowed the project's"
    # The Python of the environment whose `jupyter` the Makefile runs.
    assert Path(probe["executable"]).parent == Path(lab_run["lab"]["argv"][0]).parent, probe
    # Imported from the editable install, not from the served folder or a path trick.
    assert Path(probe["analysis"]).resolve() == ROOT / "analysis" / "__init__.py", probe


def test_lab_kernel_talks_over_encrypted_channels(lab_run):
    """The server starts the project's kernel with CurveZMQ keys: it does not
    warn, in the server's log, that it runs over plain TCP."""
    log = lab_run["lab"]["log"].read_text(encoding="utf-8", errors="replace")
    assert "Kernel started" in log, log[-3000:]
    assert "without encryption" not in log, log[-3000:]


def test_lab_fetches_nothing_from_the_network(lab_run):
    assert not lab_run["blocked"], f"the browser asked for: {lab_run['blocked']}"
    outside = sorted({e["host"] for e in lab_run["network"]
                      if e["host"] not in LOOPBACK and not e["host"].startswith("127.")})
    assert not outside, f"server or kernel reached out to: {outside}"
    assert "Jupyter news" not in lab_run["page_text"]


# ---- the stored notebooks ----------------------------------------------------


@pytest.mark.parametrize("notebook", [str(p.relative_to(ROOT)) for p in all_notebooks()])
def test_cells_showing_glued_charts_are_hidden_in_the_book(notebook):
    """A cell whose glued chart is also displayed (for JupyterLab and nbconvert)
    must be removed from the book, which shows the chart at its {glue:figure}."""
    nb = nbformat.read(ROOT / notebook, as_version=4)
    shown_twice = []
    for index, cell in enumerate(nb.cells):
        tags = set(cell.get("metadata", {}).get("tags", []))
        for out in cell.get("outputs", []):
            glue = out.get("metadata", {}).get("scrapbook")
            if glue and not glue.get("mime_prefix") and chart_outputs([out]) and not (
                    tags & {"remove-cell", "remove-output"}):
                shown_twice.append(f"cell {index} ({glue['name']})")
    assert not shown_twice, f"{notebook}: tag these cells remove-cell: {shown_twice}"


# ---- jupyter nbconvert --to html, opened from disk ---------------------------


@pytest.mark.parametrize("notebook", [str(p.relative_to(ROOT)) for p in all_notebooks()])
def test_exported_html_shows_every_chart_offline(browser, exported, notebook):
    nb = nbformat.read(ROOT / notebook, as_version=4)
    expected = sum(chart_outputs(c.get("outputs", [])) for c in nb.cells if c.cell_type == "code")
    html_file = exported / Path(notebook).with_suffix(".html")
    assert html_file.exists(), f"nbconvert wrote no {html_file.name}"
    context, blocked = open_context(browser, ("file:", "data:", "blob:", "about:"))
    errors: list[str] = []
    try:
        page = context.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(html_file.as_uri(), wait_until="load")
        charts = page.evaluate(CHARTS_JS, None)
        texts = page.evaluate(OUTPUT_TEXT_JS, "body")
    finally:
        context.close()
    assert not errors, errors
    outside = [u for u in blocked if not u.startswith(NBCONVERT_TEMPLATE_CDN)]
    assert not outside, f"outputs ask the network for: {outside}"
    assert len(charts) == expected, (
        f"{notebook}: {expected} chart outputs, {len(charts)} shown in the exported HTML "
        "(a chart glued with display=False is not shown outside the book)")
    for chart in charts:
        assert_drawn(chart)
    for text in texts:
        assert not BARE_CHART.search(text), f"a chart shown as its repr: {text[:200]}"
        assert "Traceback" not in text, text[:500]
