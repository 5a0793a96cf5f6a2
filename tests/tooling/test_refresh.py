"""No stale outputs, ever: a data change re-executes exactly the notebooks that
read it and reaches the built HTML; an unchanged tree executes nothing; two
executions and two builds are byte-identical."""

from __future__ import annotations

import filecmp
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT, project_copy, rows_of, run_in, write

pytestmark = pytest.mark.slow  # builds the book or the PDF, or executes notebooks

BIN = Path(sys.executable).parent


def change_ai_value(tree: Path) -> None:
    """The 2024 generative-AI market value in data/observations/ai.csv: 4,291 -> 4,321 億円."""
    target = tree / "data" / "observations" / "ai.csv"
    target.write_text(target.read_text(encoding="utf-8").replace(",4291,oku_yen,", ",4321,oku_yen,"),
                      encoding="utf-8")


@pytest.fixture()
def tree(tmp_path) -> Path:
    return project_copy(tmp_path / "tree")


def test_jupyterlab_checkpoints_are_never_executed(tree):
    checkpoints = tree / "chapters" / ".ipynb_checkpoints"
    checkpoints.mkdir()
    copy = checkpoints / "07_summary-checkpoint.ipynb"
    copy.write_text((tree / "chapters" / "07_summary.ipynb").read_text(encoding="utf-8")
                    .replace('"analysis": {', '"not_recorded": {'), encoding="utf-8")
    proc = run_in(tree, [sys.executable, "-m", "tooling.refresh", "--check"])
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_committed_notebooks_are_current():
    proc = run_in(ROOT, [sys.executable, "-m", "tooling.refresh", "--check"])
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.fixture(scope="module")
def data_change(tmp_path_factory) -> dict:
    """What `make book` does in a copy of the tree: build it (notebooks current,
    HTML only), change a data value, build again, then refresh and build a third
    time; and which notebooks read that file. One sequence, shared by the two
    tests below (each asserts its own part of it)."""
    tree = project_copy(tmp_path_factory.mktemp("data-change") / "tree")
    readers = sorted(
        str(p.relative_to(tree)) for p in tree.rglob("*.ipynb")
        if '"data/observations/ai.csv"' in p.read_text(encoding="utf-8"))
    first = run_in(tree, [sys.executable, "-m", "tooling.build"])  # what make book runs
    first_page = (tree / "_build" / "html" / "chapters" / "04_ai.html").read_text(encoding="utf-8")
    change_ai_value(tree)
    build = run_in(tree, [sys.executable, "-m", "tooling.build"])
    page = (tree / "_build" / "html" / "chapters" / "04_ai.html").read_text(encoding="utf-8")
    again = run_in(tree, [sys.executable, "-m", "tooling.refresh"])
    rebuild = run_in(tree, [sys.executable, "-m", "tooling.build"])
    return {"readers": readers, "first": first, "first_page": first_page, "build": build, "page": page,
            "again": again, "rebuild": rebuild}


def test_data_change_reexecutes_exactly_its_readers_and_reaches_the_html(data_change):
    readers, build = data_change["readers"], data_change["build"]
    assert "chapters/04_ai.ipynb" in readers
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    executed = sorted(line.split()[1] for line in build.stdout.splitlines() if line.startswith("executed:"))
    assert executed == readers
    page = data_change["page"]
    assert "4,321億円" in page and "4,291億円" not in page
    assert "all notebooks current: nothing to execute" in data_change["again"].stdout
    rebuild = data_change["rebuild"]
    assert rebuild.returncode == 0
    assert rebuild.stdout.strip() == "HTML book current: nothing to execute or build (_build/html/index.html)"


def test_a_data_change_after_a_build_is_never_hidden_by_the_build_stamp(data_change):
    first, second = data_change["first"], data_change["build"]
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    assert "all notebooks current: nothing to execute" in first.stdout
    assert "4,291億円" in data_change["first_page"]
    assert second.returncode == 0, second.stdout[-3000:] + second.stderr[-3000:]
    assert "executed: chapters/04_ai.ipynb" in second.stdout
    assert "4,321億円" in data_change["page"]


def changed_notebooks(tree: Path) -> list[str]:
    """The notebooks of ``tree`` whose bytes differ from the committed ones."""
    return [str(p.relative_to(tree)) for p in sorted(tree.rglob("*.ipynb"))
            if ".ipynb_checkpoints" not in p.parts
            and p.read_bytes() != (ROOT / p.relative_to(tree)).read_bytes()]


def test_two_executions_give_byte_identical_notebooks(tree):
    """`make book`'s execution (kernels forked from the fork server, in
    parallel) gives the committed bytes again."""
    proc = run_in(tree, [sys.executable, "-m", "tooling.refresh", "--force"])
    assert proc.returncode == 0, proc.stderr
    changed = changed_notebooks(tree)
    assert not changed, f"re-execution changed stored notebooks: {changed}"


def test_a_plain_serial_execution_gives_the_stored_bytes(tree):
    """nbclient as it comes, one notebook after the other (no fork server, no
    warm-up): the same bytes as the committed notebooks, which `make book`
    wrote with forked kernels in parallel."""
    proc = run_in(tree, [sys.executable, "-m", "tooling.refresh", "--force", "--plain", "--jobs", "1"])
    assert proc.returncode == 0, proc.stderr
    changed = changed_notebooks(tree)
    assert not changed, f"a plain serial execution differs from the stored notebooks: {changed}"


def test_two_clean_builds_give_identical_pages(built_book, clocked_builds):
    """The session's build (jupyter-book's command, this clock) and `make
    book`'s build under a clock 1234 days early (each from nothing, into its
    own folder) give the same pages."""
    first, _ = built_book
    second = Path(clocked_builds["early"])
    pages = sorted(p.relative_to(first) for p in first.rglob("*.html"))
    assert pages == sorted(p.relative_to(second) for p in second.rglob("*.html"))
    differ = [str(p) for p in pages if not filecmp.cmp(first / p, second / p, shallow=False)]
    assert not differ, f"pages differ between two clean builds: {differ}"


def test_a_bad_file_stops_the_refresh_and_leaves_notebooks_untouched(tmp_path):
    """The build's first step fails with the clear message; nothing is rewritten."""
    tree = project_copy(tmp_path / "tree")
    target = tree / "data" / "observations" / "ai.csv"
    rows = rows_of(target)
    rows[3][rows[0].index("value")] = "twelve"
    write(target, rows)
    before = {p: p.read_bytes() for p in (tree / "chapters").rglob("*.ipynb")}
    proc = subprocess.run([sys.executable, "-m", "tooling.refresh", "--force"], cwd=tree,
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert "data/observations/ai.csv, row 4, column 'value': 'twelve' is not a number" in proc.stderr
    assert {p: p.read_bytes() for p in before} == before


# ---- the kernels: forked ones look like plain ones --------------------------------


def test_warm_modules_are_the_third_party_imports_never_the_package():
    import nbformat

    from tooling import refresh

    assert refresh.imported_modules("import a.b as c\nfrom d.e import f\nfrom . import g\n%time x") == []
    assert refresh.imported_modules("import a.b as c\nfrom d.e import f\nfrom . import g") == ["a.b", "d.e"]
    code = ("from analysis import charts, text\nimport pandas as pd\nimport json\n"
            "from __future__ import annotations")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    nb.metadata["analysis"] = {"inputs": {"analysis/charts.py": "x", "data/observations/ai.csv": "y"}}
    warm = refresh.warm_modules(nb)
    assert "pandas" in warm and "altair" in warm and "vl_convert" in warm  # analysis/charts.py imports them
    assert not [m for m in warm if m.split(".")[0] in {"analysis", "json", "__future__", "base64"}]


def test_the_warm_up_binds_no_name():
    from tooling import refresh

    namespace: dict = {}
    exec(refresh.warm_up_code(["json", "no_such_module_here"]), namespace)  # noqa: S102
    assert set(namespace) == {"__builtins__"}


def run_async(coroutine_function):
    """Run a coroutine function to its end in a thread of its own: a worker
    that used Playwright's sync API before has an event loop in its main thread."""
    import asyncio
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: asyncio.run(coroutine_function())).result()


KERNEL_STATE = """
import os, sys
print(os.getcwd(), sys.argv[0].endswith("ipykernel_launcher.py"), sys.path[0] == "",
      [p for p in sys.path[1:] if "refresh-fork" in p], os.environ.get("KERNEL_TEST_MARK"),
      sorted(k for k in globals() if not k.startswith("_")), get_ipython().execution_count,
      "analysis" in sys.modules)
"""


def kernel_state(mode: str, folder: Path) -> tuple[str, int]:
    """What a kernel started by the refresher in ``mode`` reports about itself
    (folder, launcher, sys.path, environment, user names, execution count)."""
    from tooling import refresh

    async def ask() -> tuple[str, int]:
        from jupyter_client.manager import AsyncKernelManager

        server = refresh.ForkServer(["pandas"]) if mode == "fork" else None
        try:
            if server:
                server.ready()
            manager = server.manager() if server else AsyncKernelManager(kernel_name=refresh.KERNEL)
            path = folder / "x.ipynb"
            await refresh.start_kernel(path, manager, ["pandas"] if server else [], profile=False)
            kc = manager.client()
            kc.start_channels()
            await kc.wait_for_ready(timeout=60)
            msg_id = kc.execute(KERNEL_STATE)
            text = ""
            while True:
                msg = await kc.get_iopub_msg(timeout=60)
                if msg["parent_header"].get("msg_id") != msg_id:
                    continue
                if msg["msg_type"] == "stream":
                    text += msg["content"]["text"]
                if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                    break
            reply = await kc.get_shell_msg(timeout=60)
            kc.stop_channels()
            await manager.shutdown_kernel(now=True)
            return text, reply["content"]["execution_count"]
        finally:
            if server:
                server.close()

    return run_async(ask)


@pytest.mark.slow
def test_a_forked_kernel_looks_like_a_plain_one(tmp_path, monkeypatch):
    monkeypatch.setenv("KERNEL_TEST_MARK", "from-the-refresher")
    folder = tmp_path / "chapter"
    folder.mkdir()
    plain, forked = kernel_state("plain", folder), kernel_state("fork", folder)
    assert forked == plain
    text, count = forked
    assert text.split()[0] == str(folder) and "from-the-refresher" in text
    assert count == 1  # the warm-up was silent: the first cell is [1]
    assert "False\n" in text  # the package is not imported before the first cell


@pytest.mark.slow
def test_a_killed_proxy_takes_its_forked_kernel_with_it(tmp_path):
    import asyncio
    import signal

    from tooling import refresh

    async def run_and_kill() -> int:
        server = refresh.ForkServer([])
        try:
            server.ready()
            manager = server.manager()
            await refresh.start_kernel(tmp_path / "x.ipynb", manager, [], profile=False)
            kc = manager.client()
            kc.start_channels()
            await kc.wait_for_ready(timeout=60)
            reply_id = kc.execute("import os; print(os.getpid())")
            pid = None
            while pid is None:
                msg = await kc.get_iopub_msg(timeout=60)
                if msg["parent_header"].get("msg_id") == reply_id and msg["msg_type"] == "stream":
                    pid = int(msg["content"]["text"])
            kc.stop_channels()
            os.kill(manager.provisioner.pid, signal.SIGKILL)  # the proxy, as a hard kill would
            await manager.shutdown_kernel(now=True)
            for _ in range(100):
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    return pid
                await asyncio.sleep(0.1)
            raise AssertionError(f"kernel {pid} outlived its proxy")
        finally:
            server.close()

    assert run_async(run_and_kill) > 0
