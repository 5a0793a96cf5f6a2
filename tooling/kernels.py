"""Notebook kernels forked from one process that has already imported what
the notebooks import.

A kernel spends a few seconds importing ipykernel, pandas, Altair,
statsmodels, vl_convert and the rest before its first cell, and every
notebook starts a kernel of its own. The fork server (:func:`serve`) makes
those imports once; each notebook's kernel is then a fork of it, started as
nbclient would start a kernel (its folder, the same arguments and
environment) through a small proxy process that jupyter_client manages as the
kernel (:func:`proxy`). The server imports the third-party modules that the
notebooks' code cells and recorded package modules import, never the
package itself: the refresher's probe must see exactly the package modules a
notebook imports.

A forked kernel reports the same state as a plain one (folder, launcher,
sys.path, environment, user names, execution count), and a forked and a plain
execution of the tests' fixture book give the same bytes, a chart's PNG
included (tests/tooling/test_kernels.py). ``python -m tooling.refresh
--plain`` runs nbclient's own kernels instead.

The server and the proxy run this file as a script (``python
tooling/kernels.py serve|proxy ...``): the proxy imports only the standard
library, so that it starts at once, and neither imports the ``tooling``
package, which imports the book's package (the server must hold only what a
kernel holds before its first cell).
"""

from __future__ import annotations

import ast
import functools
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

SCRIPT = Path(__file__).resolve()  # run as the server and as the proxy
PACKAGE = "analysis"  # the book's own library, imported by the notebooks themselves
KERNEL = "python3"
STARTUP_TIMEOUT = 60  # seconds a kernel may take to answer


# ---- what the server imports ---------------------------------------------------


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


@functools.cache
def package_module_imports(path: Path) -> tuple[str, ...]:
    """:func:`imported_modules` of one package module, parsed once per run
    (every notebook records most of the package)."""
    return tuple(imported_modules(path.read_text(encoding="utf-8")))


def warm_modules(nb, root: Path) -> list[str]:
    """The modules that a notebook's code cells and the package modules it
    recorded (in ``metadata.analysis.inputs``, relative to the book's folder
    ``root``) import, less the standard library, ``__future__`` and the
    package itself."""
    names = [name for c in nb.cells if c.cell_type == "code" for name in imported_modules(c.source)]
    for rel in sorted(nb.metadata.get("analysis", {}).get("inputs", {})):
        if rel.startswith(f"{PACKAGE}/") and rel.endswith(".py") and (root / rel).exists():
            names += package_module_imports(root / rel)
    found: list[str] = []
    for name in names:
        top = name.split(".")[0]
        if top in sys.stdlib_module_names or top in {"__future__", PACKAGE} or name in found:
            continue
        found.append(name)
    return found


def import_all(modules: list[str]) -> None:
    """Import ``modules``; one that fails is left for the notebook to report."""
    import importlib

    for name in modules:
        try:
            importlib.import_module(name)
        except Exception:  # the notebook's own import reports it
            continue


# ---- the fork server and the kernel proxy ---------------------------------------
# jupyter_client starts, signals and stops the proxy as it would the kernel;
# the proxy hands its arguments, folder, environment and standard streams to
# the server, which forks a kernel with them, and forwards signals to it.


def serve(address: str, modules: list[str]) -> None:
    """The fork server: import ipykernel and ``modules``, then fork one kernel
    per request on the Unix socket ``address`` until stdin closes."""
    import selectors

    from ipykernel import kernelapp  # noqa: F401 - the kernel, imported once

    import_all(modules)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    server.bind(address)
    server.listen(16)
    print("ready", flush=True)
    selector = selectors.DefaultSelector()
    selector.register(server, selectors.EVENT_READ)
    selector.register(sys.stdin, selectors.EVENT_READ)
    kernels: dict[int, socket.socket] = {}
    while True:
        for key, _ in selector.select(timeout=0.1):
            if key.fileobj is sys.stdin:  # the refresher is done or gone
                for pid in kernels:
                    os.kill(pid, signal.SIGKILL)
                return
            if key.fileobj is server:
                conn, _ = server.accept()
                message, fds, _, _ = socket.recv_fds(conn, 1 << 20, 3)
                sys.stdout.flush()
                pid = os.fork()
                if pid == 0:
                    for other in [server, conn, *kernels.values()]:
                        other.close()
                    become_kernel(json.loads(message), fds)
                for fd in fds:
                    os.close(fd)
                conn.send(f"pid {pid}".encode())
                kernels[pid] = conn
                selector.register(conn, selectors.EVENT_READ, pid)
            elif not key.fileobj.recv(64):  # the proxy was killed: so is its kernel
                selector.unregister(key.fileobj)
                if key.data in kernels:
                    os.kill(key.data, signal.SIGKILL)
        reap(kernels, selector)


def reap(kernels: dict[int, socket.socket], selector) -> None:
    """Tell the proxy of each kernel that ended its exit code."""
    while kernels:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        conn = kernels.pop(pid, None)
        if conn is None:
            continue
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
        signal.signal(signal.SIGINT, signal.default_int_handler)
        for sig in (signal.SIGTERM, signal.SIGCHLD):
            signal.signal(sig, signal.SIG_DFL)
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
    request = {"argv": argv, "cwd": os.getcwd(), "env": dict(os.environ)}
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


class ForkServer:
    """The fork server, a child process of the refresher."""

    def __init__(self, modules: list[str]) -> None:
        """Start the server; it imports while the refresher goes on."""
        self.folder = Path(tempfile.mkdtemp(prefix="kernels-"))
        self.address = str(self.folder / "kernels.sock")
        self.process = subprocess.Popen([sys.executable, str(SCRIPT), "serve", self.address, *modules],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.started = False

    def ready(self) -> None:
        """Wait until the server has imported everything."""
        if not self.started:
            if self.process.stdout.readline().strip() != "ready":
                raise RuntimeError("the kernel fork server did not start")
            self.started = True

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
                return [sys.executable, str(SCRIPT), "proxy", address, *argv]

        return ForkedKernelManager(kernel_name=KERNEL)

    def close(self) -> None:
        """Stop the server (and any kernel still running) and remove its socket."""
        if self.process.poll() is None:
            if not self.started:  # still importing: nothing to wait for
                self.process.kill()
            self.process.stdin.close()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process.stdout.close()
        shutil.rmtree(self.folder, ignore_errors=True)


def fork_server(notebooks: list, root: Path) -> ForkServer:
    """A fork server for ``notebooks`` (nbformat nodes): it imports what any of them imports."""
    modules: list[str] = []
    for nb in notebooks:
        modules += [m for m in warm_modules(nb, root) if m not in modules]
    return ForkServer(modules)


async def start_kernel(folder: Path, manager):
    """Start ``manager``'s kernel where nbclient would (``folder``, the same
    arguments), wait until it answers, and return its client, channels open,
    as nbclient would make it: nbclient then uses it instead of making and
    waiting for one more (each wait ends with 0.2 s of listening for stray
    messages). The caller stops the client's channels and shuts the kernel down."""
    # what nbclient passes to an IPython kernel (its ipython_hist_file default)
    await manager.start_kernel(extra_arguments=["--HistoryManager.hist_file=:memory:"], cwd=str(folder))
    kc = manager.client()
    kc.start_channels()
    try:
        await kc.wait_for_ready(timeout=STARTUP_TIMEOUT)
    except BaseException:
        kc.stop_channels()
        raise
    kc.allow_stdin = False  # as nbclient sets it on the client it makes
    return kc


if __name__ == "__main__":  # python tooling/kernels.py serve ADDRESS MODULES... | proxy ADDRESS ARGV...
    # this file's folder, first on sys.path, is not a kernel's: the server
    # imports and its kernels run as with nbclient's own kernels
    del sys.path[0]
    if sys.argv[1] == "serve":
        serve(sys.argv[2], sys.argv[3:])
    else:
        sys.exit(proxy(sys.argv[2], sys.argv[3:]))
