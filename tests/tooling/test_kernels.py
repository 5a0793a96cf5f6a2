"""The kernels: forked ones look like plain ones. The fork server imports the
third-party modules, never the package; a forked kernel reports the same
state as a plain one and dies with its proxy; and on the fixture book a forked
and a plain execution give the stored bytes, a chart's PNG included."""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import signal
from pathlib import Path

import nbformat
import pytest

from tests.helpers import FIXTURE_BOOK, ROOT, fixture_book, run_book
from tooling import kernels


def test_warm_modules_are_the_third_party_imports_never_the_package():
    assert kernels.imported_modules("import a.b as c\nfrom d.e import f\nfrom . import g\n%time x") == []
    assert kernels.imported_modules("import a.b as c\nfrom d.e import f\nfrom . import g") == ["a.b", "d.e"]
    code = ("from analysis import book, charts\nimport pandas as pd\nimport json\n"
            "from __future__ import annotations")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    nb.metadata["analysis"] = {"inputs": {"analysis/charts.py": "x", "data/observations/ai.csv": "y"}}
    warm = kernels.warm_modules(nb, ROOT)
    assert "pandas" in warm and "altair" in warm and "vl_convert" in warm  # analysis/charts.py imports them
    assert not [m for m in warm if m.split(".")[0] in {"analysis", "json", "__future__", "base64"}]


def run_async(coroutine_function):
    """Run a coroutine function to its end in a thread of its own: a worker
    that used Playwright's sync API before has an event loop in its main thread."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: asyncio.run(coroutine_function())).result()


async def ask(kc, code: str) -> tuple[str, int]:
    """Run ``code`` on the kernel of ``kc``; return its standard output and execution count."""
    msg_id = kc.execute(code)
    text = ""
    while True:
        msg = await kc.get_iopub_msg(timeout=60)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "stream":
            text += msg["content"]["text"]
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
    while True:
        reply = await kc.get_shell_msg(timeout=60)
        if reply["parent_header"].get("msg_id") == msg_id:
            return text, reply["content"]["execution_count"]


KERNEL_STATE = """
import os, sys
print(os.getcwd(), sys.argv[0].endswith("ipykernel_launcher.py"), sys.path,
      os.environ.get("KERNEL_TEST_MARK"), sorted(k for k in globals() if not k.startswith("_")),
      "tooling" in sys.modules, "analysis" in sys.modules)
"""


def kernel_state(forked: bool, folder: Path) -> tuple[str, int]:
    """What a kernel started as the refresher starts it reports about itself
    (folder, launcher, sys.path, environment, user names, execution count)."""
    from jupyter_client.manager import AsyncKernelManager

    async def state() -> tuple[str, int]:
        server = kernels.ForkServer(["pandas"]) if forked else None
        try:
            if server:
                server.ready()
            manager = server.manager() if server else AsyncKernelManager(kernel_name=kernels.KERNEL)
            kc = await kernels.start_kernel(folder, manager)
            found = await ask(kc, KERNEL_STATE)
            kc.stop_channels()
            await manager.shutdown_kernel(now=True)
            return found
        finally:
            if server:
                server.close()

    return run_async(state)


@pytest.mark.slow  # starts kernels
def test_a_forked_kernel_looks_like_a_plain_one(tmp_path, monkeypatch):
    monkeypatch.setenv("KERNEL_TEST_MARK", "from-the-refresher")
    folder = tmp_path / "chapter"
    folder.mkdir()
    plain, forked = kernel_state(False, folder), kernel_state(True, folder)
    assert forked == plain
    text, count = forked
    assert text.split()[0] == str(folder) and "from-the-refresher" in text
    assert count == 1  # the first cell is [1]
    assert text.endswith("False False\n")  # neither the tooling nor the package is imported


@pytest.mark.slow  # starts a kernel
def test_a_killed_proxy_takes_its_forked_kernel_with_it(tmp_path):
    async def run_and_kill() -> int:
        server = kernels.ForkServer([])
        try:
            server.ready()
            manager = server.manager()
            kc = await kernels.start_kernel(tmp_path, manager)
            pid = int((await ask(kc, "import os; print(os.getpid())"))[0])
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


@pytest.mark.slow  # executes the fixture book's notebooks twice
def test_forked_and_plain_kernels_give_the_stored_bytes(tmp_path):
    """`make book`'s execution (kernels forked from the fork server, in
    parallel, atomic writes, numbered cells, recorded inputs) and nbclient's
    own kernels give the committed notebooks byte for byte, the PNG that
    constant.ipynb draws included. With nbval, which compares every stored
    output but the images with a plain execution, this is the proof that
    forked kernels write what plain ones would."""
    assert any("image/png" in output.get("data", {}) for cell in nbformat.read(
        FIXTURE_BOOK / "constant.ipynb", as_version=4).cells for output in cell.get("outputs", []))
    for kind, flags in (("forked", []), ("plain", ["--plain"])):
        tree = fixture_book(tmp_path / kind)
        proc = run_book(tree, "refresh", "--force", *flags)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        executed = sorted(line.split()[1] for line in proc.stdout.splitlines()
                          if line.startswith("executed:"))
        assert executed == ["constant.ipynb", "total.ipynb"]
        for name in executed:
            assert (tree / name).read_bytes() == (FIXTURE_BOOK / name).read_bytes(), f"{kind}: {name}"
