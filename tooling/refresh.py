"""Re-execute exactly the notebooks whose inputs changed, in parallel.

Jupyter Book's cache keys only on code cells; this executor also tracks the
data files a notebook read and the package modules it imported (recorded by
the kernel itself at the end of each run). Each executed notebook stores, in
``metadata.analysis``, the SHA-256 of its code cells and of every input file.
A notebook is stale when any of those changed (or it was never recorded).
Stale notebooks run in parallel (one kernel more than cores); each result
is written atomically, and a notebook whose execution fails is left exactly as
it was.

Where the time went (``--profile``): a kernel spent about 0.7 s starting and
3-4 s importing pandas, Altair, statsmodels and the rest before its first
cell, against 1-2 s of cells and 1-2 s of chart images. So the imports are
made once: a fork server (:func:`serve`) imports ipykernel and the third-party
modules the notebooks import (the imports of their code cells and of the
package modules they recorded; never the package itself, whose imports the
probe records), and each notebook's kernel is a fork of it, started as
nbclient starts a kernel (its folder, the same arguments and environment)
through a small proxy process that jupyter_client manages as the kernel
(:func:`proxy`). The next kernel is forked while the others run. Each kernel
then runs, ``silent=True`` (no execution count, no history, no output, no
name bound), an import of those modules, which finds them loaded. ``--plain``
runs nbclient as it comes instead; the tests check that both give the same
bytes.

    python -m tooling.refresh            # refresh stale chapter notebooks
    python -m tooling.refresh --check    # exit 1 if any notebook is stale
    python -m tooling.refresh --force chapters/04_ai.ipynb
    python -m tooling.refresh --force --jobs 1 --profile   # where the time goes
"""

from __future__ import annotations

import argparse
import ast
import asyncio
import functools
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tooling import ROOT, toc_pages, without_colours

if TYPE_CHECKING:
    import nbformat

# nbformat, nbclient, jupyter_client and the package are imported where they
# are used: the kernel proxy below runs this module and must start at once.

# Run at the end of every execution: which data files were read and which
# package modules were imported (paths relative to the project root).
PROBE = """
import json as _j, sys as _s, pathlib as _p
from analysis import data as _d
_mods = [_p.Path(m.__file__).resolve() for n, m in list(_s.modules.items())
         if (n == "analysis" or n.startswith("analysis.")) and getattr(m, "__file__", None)]
print(_j.dumps(sorted(set(_d.FILES_READ) | {str(m.relative_to(_d.ROOT)) for m in _mods})))
"""
PACKAGE = "analysis"
KERNEL = "python3"
TIMEOUT = 900  # seconds a cell may run
STARTUP_TIMEOUT = 60
# --profile only: time spent making the charts' PNGs (vl_convert), kept on the
# vl_convert module itself, so that no name is added to the user namespace.
PNG_TIMER = """
def _install():
    import time
    import vl_convert
    if hasattr(vl_convert, "_book_png_seconds"):
        return
    plain = vl_convert.vegalite_to_png
    vl_convert._book_png_seconds = 0.0
    def timed(*args, **kwargs):
        start = time.perf_counter()
        try:
            return plain(*args, **kwargs)
        finally:
            vl_convert._book_png_seconds += time.perf_counter() - start
    vl_convert.vegalite_to_png = timed
_install()
del _install
"""
PNG_SECONDS = "getattr(__import__('sys').modules.get('vl_convert'), '_book_png_seconds', 0.0)"


@dataclass
class Run:
    """One notebook's execution: where the time went (seconds), or its error."""

    path: str
    start: float = 0.0  # kernel process started and answering
    imports: float = 0.0  # the heavy imports, in the kernel, before the first cell
    cells: float = 0.0  # the code cells (and the probe), chart images excluded
    charts: float = 0.0  # the charts' PNGs (measured with --profile only)
    write: float = 0.0  # serialising and writing the notebook
    stop: float = 0.0  # stopping the kernel
    total: float = 0.0  # from the start of its kernel to its file written
    error: str | None = None
    warmed: list[str] = field(default_factory=list)
    result: tuple | None = field(default=None, repr=False)  # (notebook, probe cell), until written


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def code_hash(nb: nbformat.NotebookNode) -> str:
    """Hash of the code cells' sources (what the kernel runs)."""
    sources = [c.source for c in nb.cells if c.cell_type == "code"]
    return hashlib.sha256(json.dumps(sources, ensure_ascii=False).encode()).hexdigest()


def read(path: Path) -> nbformat.NotebookNode:
    import nbformat

    return nbformat.read(path, as_version=4)


def stale_reason(path: Path) -> str | None:
    """Why ``path`` must be re-executed, or None when its outputs are current."""
    nb = read(path)
    record = nb.metadata.get("analysis")
    if not record:
        return "never executed by the refresher"
    if record.get("code") != code_hash(nb):
        return "code cells changed"
    inputs = record.get("inputs", {})
    for rel, digest in sorted(inputs.items()):
        file = ROOT / rel
        if not file.exists():
            return f"input {rel} is gone"
        if sha256_file(file) != digest:
            return f"input {rel} changed"
    return None


# ---- what a kernel imports before its first cell -------------------------------


def imported_modules(source: str) -> list[str]:
    """The absolute module names ``source``'s import statements name, in order
    (``from a.b import c`` names ``a.b``); code that does not parse (IPython
    magics) names none."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
    return names


def warm_modules(nb: nbformat.NotebookNode) -> list[str]:
    """The modules that a notebook's code cells and the package modules it
    recorded import, less the standard library, ``__future__`` and the
    package itself (the probe must see the package modules the notebook
    imports, and only those)."""
    names = [name for c in nb.cells if c.cell_type == "code" for name in imported_modules(c.source)]
    recorded = nb.metadata.get("analysis", {}).get("inputs", {})
    for rel in sorted(recorded):
        if rel.startswith(f"{PACKAGE}/") and rel.endswith(".py") and (ROOT / rel).exists():
            names += package_module_imports(rel)
    found: list[str] = []
    for name in names:
        top = name.split(".")[0]
        if top in sys.stdlib_module_names or top in {"__future__", PACKAGE} or name in found:
            continue
        found.append(name)
    return found


@functools.cache
def package_module_imports(rel: str) -> tuple[str, ...]:
    """:func:`imported_modules` of the package module ``rel``, parsed once per
    run: every notebook records most of the package (a parse of each for each
    notebook took about 1 s before the fork server could start)."""
    return tuple(imported_modules((ROOT / rel).read_text(encoding="utf-8")))


def import_all(modules: list[str]) -> None:
    """Import ``modules``; one that fails is left for the notebook to report."""
    import importlib

    for name in modules:
        try:
            importlib.import_module(name)
        except Exception:  # the notebook's own import reports it
            continue


def warm_up_code(modules: list[str]) -> str:
    """One silent statement that imports ``modules`` and binds no name."""
    return (f"for _book_module in {modules!r}:\n"
            "    try:\n"
            "        __import__('importlib').import_module(_book_module)\n"
            "    except Exception:\n"
            "        pass\n"
            "del _book_module\n")


async def silent(kc, code: str, user_expressions: dict | None = None) -> dict:
    """Run ``code`` on the kernel with silent=True (no execution count, no
    history, no output published); return the reply's content."""
    msg_id = kc.execute(code, silent=True, store_history=False,
                        user_expressions=user_expressions or {}, allow_stdin=False)
    while True:
        reply = await kc.get_shell_msg(timeout=TIMEOUT)
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply["content"]


# ---- the fork server and the kernel proxy ---------------------------------------
# jupyter_client starts, signals and stops the proxy as it would the kernel;
# the proxy hands its arguments, folder, environment and standard streams to
# the server, which forks a kernel with them, and forwards signals to it.


def serve(address: str, modules: list[str]) -> None:
    """The fork server: import ipykernel and ``modules``, then fork one kernel
    per request on the Unix socket ``address`` until stdin closes."""
    import selectors

    started = time.perf_counter()
    from ipykernel import kernelapp  # noqa: F401 - the kernel, imported once

    import_all(modules)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    server.bind(address)
    server.listen(16)
    print(f"ready {time.perf_counter() - started:.2f}", flush=True)
    selector = selectors.DefaultSelector()
    selector.register(server, selectors.EVENT_READ)
    selector.register(sys.stdin, selectors.EVENT_READ)
    kernels: dict[int, socket.socket] = {}
    while True:
        for key, _ in selector.select(timeout=0.1):
            if key.fileobj is sys.stdin:  # the refresher is gone or done
                for pid in kernels:
                    os.kill(pid, signal.SIGKILL)
                return
            if key.fileobj is server:
                conn, _ = server.accept()
                message, fds, _, _ = socket.recv_fds(conn, 1 << 20, 3)
                request = json.loads(message)
                sys.stdout.flush()
                pid = os.fork()
                if pid == 0:
                    for other in [server, conn, *kernels.values()]:
                        other.close()
                    become_kernel(request, fds)
                for fd in fds:
                    os.close(fd)
                conn.send(f"pid {pid}".encode())
                kernels[pid] = conn
                selector.register(conn, selectors.EVENT_READ, pid)
            elif not key.fileobj.recv(64):  # the proxy was killed: so is its kernel
                selector.unregister(key.fileobj)
                with_pid = key.data
                if with_pid in kernels:
                    os.kill(with_pid, signal.SIGKILL)
        while kernels:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
            conn = kernels.pop(pid, None)
            if conn is not None:
                try:
                    selector.unregister(conn)
                except KeyError:
                    pass
                try:
                    conn.send(f"exit {os.waitstatus_to_exitcode(status)}".encode())
                except OSError:
                    pass
                conn.close()


def become_kernel(request: dict, fds: list[int]) -> None:
    """In the forked child: take the proxy's streams, folder, environment and
    arguments, and run ipykernel as ``python -m ipykernel_launcher`` would."""
    try:
        for number, fd in enumerate(fds):
            os.dup2(fd, number)
            os.close(fd)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGCHLD):
            signal.signal(sig, signal.default_int_handler if sig == signal.SIGINT else signal.SIG_DFL)
        # ipykernel_launcher drops the launcher's folder from sys.path; the
        # kernel puts '' back (InteractiveShellApp.init_path)
        if sys.path and sys.path[0] in ("", request["server_cwd"]):
            del sys.path[0]
        sys.argv = list(request["argv"])
        from ipykernel import kernelapp

        # ipykernel read JPY_PARENT_PID when the server imported it: the
        # kernel's parent is the server, and it stops if the server goes
        parent = f"--IPKernelApp.parent_handle={os.getppid()}"
        kernelapp.launch_new_instance(argv=[*request["argv"][1:], parent])
    except SystemExit as done:
        os._exit(done.code if isinstance(done.code, int) else 0)
    except BaseException:  # report and leave: this is a forked child
        import traceback

        traceback.print_exc()
        os._exit(1)
    os._exit(0)


def proxy(address: str, argv: list[str]) -> int:
    """The kernel as jupyter_client sees it: ask the fork server for a kernel
    with ``argv`` (ipykernel_launcher's), this folder, environment and
    streams; forward signals to it; exit with its exit code."""
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    conn.connect(address)
    request = {"argv": argv, "cwd": os.getcwd(), "env": dict(os.environ), "server_cwd": str(ROOT)}
    socket.send_fds(conn, [json.dumps(request).encode()], [0, 1, 2])
    pid = int(conn.recv(64).decode().split()[1])

    def forward(signum, _frame):
        try:
            os.kill(pid, signum)
        except ProcessLookupError:
            pass

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT, signal.SIGHUP):
        signal.signal(sig, forward)
    while True:
        try:
            reply = conn.recv(64).decode()
        except InterruptedError:
            continue
        if not reply:
            return 1
        if reply.startswith("exit "):
            return int(reply.split()[1])


# The proxy's command: this module from this project, whatever the kernel's
# folder and PYTHONPATH (``python -m`` would look in the notebook's folder).
PROXY = ("import sys; sys.path.insert(0, sys.argv[1]); from tooling.refresh import proxy; "
         "sys.exit(proxy(sys.argv[2], sys.argv[3:]))")


class ForkServer:
    """The fork server as a child process of the refresher."""

    def __init__(self, modules: list[str]) -> None:
        """Start the server; it imports while the refresher goes on."""
        self.folder = Path(tempfile.mkdtemp(prefix="refresh-fork-"))
        self.address = str(self.folder / "kernels.sock")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tooling.refresh", "--fork-server", self.address, *modules],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT)
        self.seconds: float | None = None

    def ready(self) -> float:
        """Wait until the server has imported everything; return how long that took."""
        if self.seconds is None:
            line = self.process.stdout.readline().split()
            if not line or line[0] != "ready":
                raise RuntimeError("the kernel fork server did not start")
            self.seconds = float(line[1])
        return self.seconds

    def manager(self):
        """A jupyter_client kernel manager whose kernels are forks of the server."""
        from jupyter_client.manager import AsyncKernelManager

        address = self.address

        class ForkedKernelManager(AsyncKernelManager):
            def format_kernel_cmd(self, extra_arguments=None):
                cmd = super().format_kernel_cmd(extra_arguments)
                launcher = cmd.index("ipykernel_launcher") if "ipykernel_launcher" in cmd else None
                if launcher is None or cmd[launcher - 1] != "-m":
                    return cmd  # not an IPython kernel: started as it is
                import ipykernel_launcher

                argv = [ipykernel_launcher.__file__, *cmd[launcher + 1:]]
                return [sys.executable, "-c", PROXY, str(ROOT), address, *argv]

        return ForkedKernelManager(kernel_name=KERNEL)

    def close(self) -> None:
        if self.process.poll() is None:
            if self.seconds is None:  # still importing: nothing to wait for
                self.process.kill()
            self.process.stdin.close()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


# ---- executing one notebook --------------------------------------------------


def finish(path: Path, nb: nbformat.NotebookNode, probe) -> None:
    """Record the notebook's inputs, number its cells, write it atomically
    (once every notebook of the run has executed: see :func:`write_all`)."""
    import nbformat

    nb.cells.pop()
    inputs = json.loads("".join(o.get("text", "") for o in probe.outputs if o.get("name") == "stdout"))
    nb.metadata["analysis"] = {
        "code": code_hash(nb),
        "inputs": {rel: sha256_file(ROOT / rel) for rel in inputs},
    }
    for i, cell in enumerate(nb.cells):
        cell.pop("id", None)
        cell["id"] = f"cell-{i:03d}"
    text = nbformat.writes(nb) + "\n"
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False,
                                     suffix=".ipynb.tmp") as tmp:
        tmp.write(text)
    os.chmod(tmp.name, 0o644)
    os.replace(tmp.name, path)


def client_for(nb: nbformat.NotebookNode, path: Path, **kwargs):
    from nbclient import NotebookClient

    return NotebookClient(nb, kernel_name=KERNEL, timeout=TIMEOUT, record_timing=False,
                          startup_timeout=STARTUP_TIMEOUT,
                          resources={"metadata": {"path": str(path.parent)}}, **kwargs)


def with_probe(path: Path):
    import nbformat

    nb = read(path)
    probe = nbformat.v4.new_code_cell(PROBE)
    nb.cells.append(probe)
    return nb, probe


def error_line(err: BaseException) -> str:
    """The last line of an error (the kernel's 'Name: message'), without the
    terminal colours of IPython's tracebacks."""
    lines = without_colours(str(err)).strip().splitlines()
    return lines[-1] if lines else type(err).__name__


async def execute_plain(path: Path, run: Run) -> Run:
    """nbclient as it comes: it starts its kernel, runs every cell, stops it."""
    from nbclient.exceptions import CellExecutionError

    nb, probe = with_probe(path)
    mark = time.perf_counter()
    try:
        await client_for(nb, path).async_execute()
    except CellExecutionError as err:
        run.error = error_line(err)
        return run
    run.cells = time.perf_counter() - mark
    run.result = (nb, probe)
    return run


async def start_kernel(path: Path, manager, modules: list[str], profile: bool) -> tuple[float, float]:
    """Start the notebook's kernel where nbclient would (its folder, the same
    arguments) and import ``modules`` in it silently; return (seconds to
    start, seconds to import)."""
    begin = time.perf_counter()
    # what nbclient passes to an IPython kernel (its ipython_hist_file default)
    await manager.start_kernel(extra_arguments=["--HistoryManager.hist_file=:memory:"],
                               cwd=str(path.parent))
    kc = manager.client()
    kc.start_channels()
    try:
        await kc.wait_for_ready(timeout=STARTUP_TIMEOUT)
        started = time.perf_counter()
        if profile:
            await silent(kc, PNG_TIMER)
        if modules:
            await silent(kc, warm_up_code(modules))
    except BaseException:
        kc.stop_channels()
        await manager.shutdown_kernel(now=True)
        raise
    kc.stop_channels()
    return started - begin, time.perf_counter() - started


async def execute_on(path: Path, manager, run: Run, profile: bool) -> Run:
    """Run the notebook on its started kernel (nbclient, with that kernel)."""
    from nbclient.exceptions import CellExecutionError

    nb, probe = with_probe(path)
    client = client_for(nb, path, km=manager)
    mark = time.perf_counter()
    try:
        await client.async_execute()
        run.cells = time.perf_counter() - mark
        if profile:
            reply = await silent(client.kc, "", {"png": PNG_SECONDS})
            seconds = reply.get("user_expressions", {}).get("png", {})
            run.charts = float(seconds.get("data", {}).get("text/plain", "0"))
            run.cells -= run.charts
    except CellExecutionError as err:
        run.error = error_line(err)
        return run
    finally:
        if client.kc is not None:
            client.kc.stop_channels()
    run.result = (nb, probe)
    return run


def write_all(runs: list[Run]) -> bool:
    """Write every executed notebook, or none if any failed: a run that
    failed changes no stored output. Return whether they were written."""
    if any(run.error for run in runs):
        return False
    for run in runs:
        mark = time.perf_counter()
        finish(Path(run.path), *run.result)
        run.write = time.perf_counter() - mark
        run.result = None
    return True


def weight(path: Path) -> int:
    """A notebook's expected cost, to start the longest first: its code size."""
    return sum(len(c.source) for c in read(path).cells if c.cell_type == "code")


async def execute_all(paths: list[Path], jobs: int, mode: str = "fork", profile: bool = False,
                      report=None, server: ForkServer | None = None) -> list[Run]:
    """Execute ``paths``, at most ``jobs`` at a time, the largest first.

    ``mode``: "plain" (nbclient starts each kernel), "warm" (each kernel
    started by ipykernel and warmed with its imports while others run) or
    "fork" (each kernel a fork of ``server``). Outside --profile, one kernel
    more than ``jobs`` starts ahead; with --profile none, so that each phase
    is timed alone. ``report(run)`` is called as each one ends."""
    from jupyter_client.manager import AsyncKernelManager

    running = asyncio.Semaphore(jobs)
    alive = asyncio.Semaphore(jobs if (mode == "plain" or profile) else jobs + 1)
    order = sorted(paths, key=weight, reverse=True)

    async def one(path: Path) -> Run:
        run = Run(str(path))
        async with alive:
            begin = time.perf_counter()
            if mode == "plain":
                async with running:
                    await execute_plain(path, run)
            else:
                run.warmed = warm_modules(read(path))
                manager = server.manager() if mode == "fork" else AsyncKernelManager(kernel_name=KERNEL)
                try:
                    if profile:  # every phase alone: no kernel starts while another runs
                        await running.acquire()
                    try:
                        run.start, run.imports = await start_kernel(path, manager, run.warmed, profile)
                        if not profile:
                            await running.acquire()
                        await execute_on(path, manager, run, profile)
                    finally:
                        running.release()
                        mark = time.perf_counter()
                        # the outputs are complete: nothing is left to say goodbye to
                        await manager.shutdown_kernel(now=True)
                        run.stop = time.perf_counter() - mark
                except Exception as err:  # the kernel did not start: report, go on
                    run.error = run.error or f"{type(err).__name__}: {error_line(err)}"
            run.total = time.perf_counter() - begin
        if report:
            report(run)
        return run

    return list(await asyncio.gather(*(one(p) for p in order)))


def all_notebooks() -> list[Path]:
    """Every notebook of the book: the pages of _toc.yml that are notebooks (the
    title page, the chapters, the appendices), in file-name order. JupyterLab's
    checkpoint copies are not pages, so they are never executed."""
    return sorted(ROOT / f"{page}.ipynb" for page in toc_pages() if (ROOT / f"{page}.ipynb").exists())


def default_jobs() -> int:
    """One kernel more than the cores this process may use."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 1
    return cores + 1


def fork_server(todo: list[Path]) -> ForkServer:
    """A fork server for ``todo``: it imports what any of them imports."""
    modules: list[str] = []
    for path in todo:
        modules += [m for m in warm_modules(read(path)) if m not in modules]
    return ForkServer(modules)


def refresh(todo: list[Path], jobs: int, mode: str, profile: bool, report,
            server: ForkServer | None = None) -> list[Run]:
    """Execute ``todo`` (see :func:`execute_all`); close the fork server."""
    try:
        if mode == "fork":
            server = server or fork_server(todo)
            seconds = server.ready()
            if profile:
                print(f"fork server: ipykernel and the heavy modules imported once in {seconds:.1f} s",
                      flush=True)
        runs = asyncio.run(execute_all(todo, jobs, mode, profile, report, server))
    finally:
        if server is not None:
            server.close()
    if not write_all(runs):
        failed = sum(1 for run in runs if run.error)
        print(f"nothing written: {failed} of {len(runs)} notebooks failed, every stored notebook "
              "is left as it was", file=sys.stderr, flush=True)
    return runs


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--fork-server"]:  # python -m tooling.refresh --fork-server ADDRESS MODULES...
        serve(argv[1], argv[2:])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--check", action="store_true", help="only report stale notebooks")
    parser.add_argument("--force", action="store_true", help="execute even if current")
    # One kernel more than cores: each spends part of its run starting up and
    # waiting on its kernel channel (measured: 2 cores, 11 notebooks, 43 s with
    # 2 jobs, 38 s with 3, 37 s with 4).
    parser.add_argument("--jobs", type=int, default=default_jobs(), help="notebooks run at once")
    parser.add_argument("--kernels", choices=["fork", "warm", "plain"], default="fork",
                        help="fork: kernels forked from one process that imported the heavy modules "
                             "(default); warm: each kernel started and warmed while others run; "
                             "plain: nbclient as it comes")
    parser.add_argument("--plain", dest="kernels", action="store_const", const="plain",
                        help="the same as --kernels plain")
    parser.add_argument("--profile", action="store_true",
                        help="time each phase alone (kernel start, imports, cells, chart images, "
                             "write): no kernel starts while another runs")
    parser.add_argument("--profile-json", type=Path, help="write the phases of every notebook here")
    args = parser.parse_args(argv)
    paths = [p.resolve() for p in args.notebooks] or all_notebooks()

    todo, reasons = [], {}
    for path in paths:
        reason = "forced" if args.force else stale_reason(path)
        if reason:
            todo.append(path)
            reasons[path] = reason
    # the fork server imports while the data are validated
    server = fork_server(todo) if todo and args.kernels == "fork" and not args.check else None
    from analysis.data import DataError
    from analysis.verdicts import validate_all

    try:
        validate_all()  # one clear error before anything runs, nothing written
    except DataError as err:
        if server is not None:
            server.close()
        print(f"data error: {err}", file=sys.stderr)
        return 2
    for path in todo:
        print(f"stale: {path.relative_to(ROOT)} ({reasons[path]})")
    if args.check:
        return 1 if todo else 0
    if not todo:
        print("all notebooks current: nothing to execute")
        return 0

    def report(run: Run) -> None:
        rel = Path(run.path).relative_to(ROOT)
        if run.error:
            print(f"FAILED: {rel} after {run.total:.1f} s: {run.error} (left unchanged)",
                  file=sys.stderr, flush=True)
            return
        print(f"executed: {rel} in {run.total:.1f} s", flush=True)

    jobs = max(1, min(args.jobs, len(todo)))
    runs = refresh(todo, jobs, args.kernels, args.profile, report, server)
    phases = [{k: v for k, v in asdict(run).items() if k != "result"} for run in runs]
    if args.profile:
        for run in runs:
            print(f"  {Path(run.path).relative_to(ROOT)}: kernel start {run.start:.1f} s, imports "
                  f"{run.imports:.1f} s, cells {run.cells:.1f} s, chart images {run.charts:.1f} s, "
                  f"write {run.write:.2f} s, stop {run.stop:.2f} s", flush=True)
    if args.profile_json:
        args.profile_json.write_text(json.dumps(phases, indent=1), encoding="utf-8")
    return 1 if any(r.error for r in runs) else 0


if __name__ == "__main__":
    raise SystemExit(main())
