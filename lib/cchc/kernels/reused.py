"""Papermill engine ``cchc-reuse``: a batch worker keeps one kernel and resets it between reports.

Every report is still a real notebook executed cell by cell in a Jupyter kernel by papermill and
nbclient; what is saved is the kernel's start-up, its shutdown and the client's handshake, paid
once per worker instead of once per report.

Before each report the kernel is put back to the state a new kernel would run the notebook in:
user namespace, history and execution count cleared (``reset(new_session=True)``), figures closed,
matplotlib's rcParams and pandas' options back to their values at kernel start, warnings shown again,
working directory the notebook's. The project's modules a report imports (``PROJECT_KEPT``) are imported
once, when the kernel starts, and stay: each module's names are put back to what they were after that
import (a name a report added or rebound is gone), while what the modules keep for the next report stays
(the batch's checked dataset read once, ``Dataset.kept``, the maps' drawn layers, measured text sizes: each
kept by what it depends on, as in the bench's bound). Other ``cchc`` modules a report imports are unloaded
and imported afresh by the next. A report rendered this way is byte-identical to the same report rendered
in a new kernel (tested, and compared over a whole year's batch).

Cheaper than ipykernel's defaults, outputs unchanged: no input history; the libraries imported at
start are frozen out of the garbage collector's full passes, and so is what outlives the reports (collected
first, then frozen, before reports 2, 4, 8, …); the reset skips IPython's own full collection; the kernel's
logger does not build debug records its handler drops; flushing stdout and stderr after a cell skips the round
trip to the IO thread when nothing was written (``type(sys.stdout)``
is then a subclass of ipykernel's ``OutStream``).

After anything but a clean run (a failing cell, a timeout, a dead kernel, an interrupted report)
the kernel is killed and the next report starts a new one. Kernels talk over Unix sockets in a
private folder (no TCP ports to race for between workers); the kernel is shut down when the
worker ends, and dies with it anyway (its parent poller, or the warm zygote's).
"""

from __future__ import annotations

import asyncio
import os
import shutil
from queue import Empty
from typing import Any

from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines
from papermill.log import logger

from .. import files, thirdparty

ENGINE_NAME = "cchc-reuse"
SETUP_TIMEOUT_S = 60
PROJECT_PACKAGES = ("cchc",)
# Imported when the kernel starts and kept from report to report (their names restored before each report).
PROJECT_KEPT = ("cchc.report.sections", "cchc.report.overview", "cchc.data.dataset")
# Report kernels keep no input history: nobody reads it, writing it to SQLite costs time on every cell,
# and while another kernel holds the shared database IPython prints its error into the report.
KERNEL_ARGUMENTS = ["--HistoryManager.enabled=False"]

# Runs once in a new kernel: remember what "fresh" looks like.
_SETUP = (
    thirdparty.KERNEL_QUIET_FLUSHES
    + """
def _cchc_setup(packages, kept):
    import importlib, sys, types
    state = types.ModuleType("_cchc_kernel_state")
    state.modules = set(sys.modules)
    state.resets = 0
    state.ours = ours = lambda name: any(name == p or name.startswith(p + ".") for p in packages)
    try:
        for name in kept:
            importlib.import_module(name)
    except Exception:  # the reports import them afresh, and say why it fails
        for name in list(sys.modules):
            if ours(name) and name not in state.modules:
                del sys.modules[name]
    state.project = {
        name: (module, dict(vars(module)))
        for name, module in list(sys.modules.items())
        if ours(name) and name not in state.modules
    }
    try:
        import matplotlib
        state.rc = dict(matplotlib.rcParams)
    except ImportError:
        state.rc = None
    sys.modules[state.__name__] = state
    _quiet_flushes(sys)
    log = getattr(getattr(get_ipython(), "kernel", None), "log", None)
    levels = [h.level for h in getattr(log, "handlers", ())]
    if levels and log.level < min(levels):  # records no handler shows are not built for every message
        log.setLevel(min(levels))
    import gc
    gc.collect()
    gc.freeze()
"""
)
_SETUP_CALL = """
_cchc_setup({packages!r}, {kept!r})
del _cchc_setup, _quiet_flushes
"""

# Runs before every report (silently: no history, no execution count).
_RESET = """
def _cchc_reset(cwd):
    import gc, os, sys, warnings
    state = sys.modules["_cchc_kernel_state"]
    ip = get_ipython()
    collect, gc.collect = gc.collect, lambda generation=2: 0  # reset's full collection: the collector's own suffices
    try:
        ip.reset(new_session=True)
    finally:
        gc.collect = collect
    plt = sys.modules.get("matplotlib.pyplot")
    if plt is not None:
        plt.close("all")
    if state.rc is not None:
        import matplotlib
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            matplotlib.rcParams.clear()
            matplotlib.rcParams.update(state.rc)
    pd = sys.modules.get("pandas")
    if pd is not None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            pd.reset_option("all")
    for name in list(sys.modules):
        if name not in state.modules and name not in state.project and state.ours(name):
            del sys.modules[name]
    for name, (module, names) in state.project.items():  # kept: its names as after its import
        sys.modules[name] = module
        space = vars(module)
        for added in [k for k in space if k not in names]:
            del space[added]
        space.update(names)
    {reset_warnings}
    os.chdir(cwd)
    state.resets += 1
    if state.resets > 1 and state.resets & (state.resets - 1) == 0:  # before reports 2, 4, 8, ...
        gc.collect()  # what the earlier reports left is garbage or kept (the data, the tables, fonts, glyphs):
        gc.freeze()  # kept, it is not scanned again by every full collection of the reports to come
_cchc_reset({cwd!r})  # the reset clears this function's own name too
"""


class KernelSetupFailed(RuntimeError):
    """The reused kernel could not be started or reset."""


class _Kernel:
    """One kernel and its client, owned by one worker process."""

    def __init__(self, kernel_name: str, start_timeout: float):
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import ensure_event_loop

        self.kernel_name = kernel_name
        self.loop = ensure_event_loop()
        self.folder = str(files.owned_temp_folder("cchc-kernel-"))  # and those of killed workers removed
        self.km = AsyncKernelManager(  # its sockets and connection file (with its key) in its folder: a killed
            kernel_name=kernel_name,  # worker's are removed with the folder by the next batch
            transport="ipc",
            ip=os.path.join(self.folder, "k"),
            connection_file=os.path.join(self.folder, "kernel.json"),
        )
        self.kc: Any = None  # the AsyncKernelClient, once the kernel has started
        self.pid = os.getpid()
        try:
            self._run(self.km.start_kernel(cwd=self.folder, extra_arguments=KERNEL_ARGUMENTS))
            self.kc = self.km.client()
            self.kc.start_channels()
            self._run(self._ready(start_timeout))
            self.run_quietly(_SETUP + _SETUP_CALL.format(packages=PROJECT_PACKAGES, kept=PROJECT_KEPT))
        except BaseException:
            self.close()
            raise

    def _run(self, coro):
        return self.loop.run_until_complete(coro)

    async def _ready(self, timeout: float) -> None:
        """jupyter_client's ``wait_for_ready`` (a kernel_info reply, then a message on IOPub so that no
        output is lost to a late subscription), without its last 0.2 s of waiting for IOPub to fall silent."""
        deadline = self.loop.time() + timeout
        while True:
            self.kc.kernel_info()
            try:
                reply = await self.kc.get_shell_msg(timeout=1)
                if reply["msg_type"] == "kernel_info_reply":
                    await self.kc.get_iopub_msg(timeout=0.2)
                    thirdparty.handle_kernel_info_reply(self.kc, reply)
                    return
            except Empty:
                pass
            if not await self.km.is_alive():
                raise KernelSetupFailed("the kernel died while starting")
            if self.loop.time() > deadline:
                raise KernelSetupFailed(f"the kernel did not answer within {timeout:g} s")

    def run_quietly(self, code: str, timeout: float = SETUP_TIMEOUT_S) -> None:
        """Execute code silently; wait for its reply and for the kernel to be idle again."""
        msg_id = self.kc.execute(code, silent=True, store_history=False)
        self._run(self._wait(msg_id, timeout))

    async def _wait(self, msg_id: str, timeout: float) -> None:
        deadline = self.loop.time() + timeout
        try:
            while True:
                reply = await self.kc.get_shell_msg(timeout=max(0.0, deadline - self.loop.time()))
                if reply["parent_header"].get("msg_id") == msg_id:
                    break
            content = reply["content"]
            if content.get("status") != "ok":
                raise KernelSetupFailed(f"{content.get('ename')}: {content.get('evalue')}")
            while True:
                msg = await self.kc.get_iopub_msg(timeout=max(0.0, deadline - self.loop.time()))
                if (
                    msg["parent_header"].get("msg_id") == msg_id
                    and msg["msg_type"] == "status"
                    and msg["content"]["execution_state"] == "idle"
                ):
                    return
        except Empty:
            raise KernelSetupFailed(f"the kernel did not answer within {timeout:g} s") from None

    def reset(self, cwd: str) -> None:
        self.run_quietly(_RESET.format(cwd=str(cwd), reset_warnings=thirdparty.KERNEL_RESET_WARNINGS))

    def close(self) -> None:
        """Kill the kernel, stop the client, cancel what nbclient left waiting on it."""
        if self.pid != os.getpid():  # a forked copy of the owner: not ours to stop
            return
        try:
            if self.kc is not None:
                self.kc.stop_channels()
            pending = [t for t in asyncio.all_tasks(self.loop) if not t.done()]
            for task in pending:
                task.cancel()
            if pending:
                self._run(asyncio.gather(*pending, return_exceptions=True))
            if self.km.has_kernel:
                self._run(self.km.shutdown_kernel(now=True))
        except Exception:
            pass
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


_current: _Kernel | None = None
_finalizer = None


def _kernel(kernel_name: str, start_timeout: float) -> _Kernel:
    global _current, _finalizer
    if _current is not None and (
        _current.pid != os.getpid() or _current.kernel_name != kernel_name or not _current._run(_current.km.is_alive())
    ):
        discard()
    if _current is None:
        from multiprocessing import util

        _current = _Kernel(kernel_name, start_timeout)
        if _finalizer is None:  # a pool worker ends with os._exit: atexit would not run
            _finalizer = util.Finalize(None, discard, exitpriority=10)
    return _current


def discard() -> None:
    """Stop this process's reused kernel (the next report starts a new one)."""
    global _current
    kernel, _current = _current, None
    if kernel is not None:
        kernel.close()


def kernel_pid() -> int | None:
    """The reused kernel's process id (diagnostics, tests)."""
    if _current is None or _current.km.provisioner is None:
        return None
    return getattr(_current.km.provisioner, "pid", None)


class ReusedKernelEngine(NBClientEngine):
    """Papermill's nbclient engine, run on this worker's reused kernel."""

    @classmethod
    def execute_managed_notebook(
        cls,
        nb_man,
        kernel_name,
        log_output=False,
        stdout_file=None,
        stderr_file=None,
        start_timeout=60,
        execution_timeout=None,
        **kwargs,
    ):
        cwd = kwargs.pop("cwd", None) or os.getcwd()
        for name in ("input_path", "timeout", "startup_timeout", "km", "kc"):
            kwargs.pop(name, None)
        clean = False
        try:
            kernel = _kernel(kernel_name, start_timeout)
            kernel.reset(cwd)
            client = _Client(
                nb_man,
                km=kernel.km,
                timeout=execution_timeout,
                startup_timeout=start_timeout,
                kernel_name=kernel_name,
                log=logger,
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
                record_timing=False,
                **kwargs,
            )
            client.kc = kernel.kc
            client.execute()
            clean = not _failed(nb_man.nb)
            return nb_man.nb
        finally:
            if not clean:
                discard()


class _Client(PapermillNotebookClient):
    """Papermill's client, without work whose result ``render_report`` drops or redoes: checking each
    output against the schema as it arrives (jsonschema, 0.7 ms an output; the whole notebook is checked
    once when written), parsing every message's dates (dateutil) and recording cell timings (stripped)."""

    def execute(self, **kwargs):
        with thirdparty.lean_messages():
            return super().execute(**kwargs)


def _failed(nb) -> bool:
    return any(
        cell.get("metadata", {}).get("papermill", {}).get("exception")
        or any(o.get("output_type") == "error" for o in cell.get("outputs", ()))
        for cell in nb.cells
    )


papermill_engines.register(ENGINE_NAME, ReusedKernelEngine)
