"""Every use of another library's internals (or CPython's), in one place.

The suite leans on a few private names of papermill, nbclient, jupyter_client, ipykernel, nbformat,
multiprocessing, Playwright and CPython, each to save time per report or to end a process cleanly. They are
gathered here so that an upgrade that renames one fails one named test (``tests/unit/test_thirdparty.py``
checks every entry of ``INTERNALS``) instead of a report, somewhere, later.

Standard library only at import: the kernels' zygote imports this module before any library.
"""

from __future__ import annotations

import datetime
import importlib
import inspect
from contextlib import contextmanager
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any


@dataclass(frozen=True)
class Internal:
    """A private name the suite uses: ``module``, then ``attribute`` (dotted) inside it; ``on_instances``:
    set in ``__init__`` (checked in the class's source, as there is no instance to ask)."""

    module: str
    attribute: str
    why: str
    on_instances: bool = False

    def exists(self) -> bool:
        obj: Any = importlib.import_module(self.module)
        names = self.attribute.split(".")
        if self.on_instances:
            *path, name = names
            for part in path:
                obj = getattr(obj, part)
            return any(
                f"self.{name}" in inspect.getsource(c)
                for c in inspect.getmro(obj)
                if c.__module__.startswith(self.module.split(".")[0])
            )
        for part in names:
            if not hasattr(obj, part):
                return False
            obj = getattr(obj, part)
        return True


INTERNALS = (
    Internal("papermill.execute", "write_ipynb", "papermill_writes_kept: the report is written once, by us"),
    Internal(
        "nbclient.client",
        "NotebookClient._async_poll_kernel_alive",
        "stop_kernel_watch: nbclient leaves this task pending when it raises",
    ),
    Internal("nbformat.v4.nbbase", "validate", "lean_messages: outputs are checked once, when written"),
    Internal("jupyter_client.session", "extract_dates", "lean_messages: message dates are not read"),
    Internal("papermill.engines", "dateutil", "lean_messages: a cell's start read by datetime.fromisoformat"),
    # report/plots._text_keeping_agg: the charts' Agg renderer draws text as RendererAgg.draw_text does, keeping
    # each text's layout and each glyph's bitmap (its pixel tests compare with matplotlib's own drawing)
    Internal("matplotlib.ft2font", "FT2Font._layout", "plots._text_keeping_agg: a text laid out once"),
    Internal("matplotlib.ft2font", "FT2Font._set_transform", "plots._text_keeping_agg: a glyph's sub-pixel offset"),
    Internal("matplotlib.ft2font", "FT2Font._render_glyph", "plots._text_keeping_agg: a glyph rendered once"),
    Internal("matplotlib.backends.backend_agg", "RendererAgg._prepare_font", "plots._text_keeping_agg"),
    Internal("matplotlib.backends.backend_agg", "RendererAgg._renderer", "plots._text_keeping_agg", on_instances=True),
    Internal(
        "jupyter_client.client",
        "KernelClient._handle_kernel_info_reply",
        "handle_kernel_info_reply: a reused kernel's handshake",
    ),
    Internal(
        "jupyter_client.provisioning.factory",
        "KernelProvisionerFactory._check_availability",
        "provisioner_available: register the warm provisioner when the package was not reinstalled",
    ),
    Internal(
        "jupyter_client.provisioning",
        "LocalProvisioner._scrub_kwargs",
        "scrub_launch_kwargs: the launch options Popen would get",
    ),
    Internal("threading", "_shutdown", "finalize_like_interpreter: a forked kernel ends like an interpreter"),
    Internal("atexit", "_run_exitfuncs", "finalize_like_interpreter"),
    Internal(
        "multiprocessing.process",
        "BaseProcess._config",
        "children_allowed: Dask workers are daemons",
        on_instances=True,
    ),
    Internal("warnings", "_filters_mutated", "KERNEL_RESET_WARNINGS: 'once' warnings shown again"),
    Internal("ipykernel.iostream", "OutStream._flush_pending", "KERNEL_QUIET_FLUSHES", on_instances=True),
    Internal("ipykernel.iostream", "OutStream._subprocess_flush_pending", "KERNEL_QUIET_FLUSHES", on_instances=True),
    Internal("ipykernel.iostream", "OutStream._buffers", "KERNEL_QUIET_FLUSHES", on_instances=True),
    Internal("ipykernel.iostream", "OutStream._buffer_lock", "KERNEL_QUIET_FLUSHES", on_instances=True),
    Internal(
        "concurrent.futures.process",
        "ProcessPoolExecutor._processes",
        "pool_workers: a batch stopped at once ends its workers",
        on_instances=True,
    ),
    Internal(
        "playwright._impl.out_of_process",
        "PlaywrightClient._transport",
        "playwright_driver_pid: a hung browser is killed with its driver",
        on_instances=True,
    ),
    Internal(
        "playwright._impl.transport",
        "PipeTransport._proc",
        "playwright_driver_pid",
        on_instances=True,
    ),
)


def pool_workers(pool) -> list:
    """The worker processes of a ``ProcessPoolExecutor`` (it offers no public way to stop them at once)."""
    return list((getattr(pool, "_processes", None) or {}).values())


def playwright_driver_pid(manager) -> int | None:
    """The process id of the driver a Playwright context manager (``async_playwright()``) started: the
    browser runs under it. None when it has not started."""
    proc = getattr(getattr(getattr(manager, "_client", None), "_transport", None), "_proc", None)
    return getattr(proc, "pid", None)


# ---------------------------------------------------------------- papermill and nbclient
@contextmanager
def papermill_writes_kept():
    """Papermill serialises and schema-checks the notebook to write it, even with no output path;
    ``render_report`` writes it once itself. Keep what papermill would write in a list instead."""
    from papermill import execute as pm_execute

    kept: list = []
    write, pm_execute.write_ipynb = pm_execute.write_ipynb, lambda nb, path: kept.append(nb)
    try:
        yield kept
    finally:
        pm_execute.write_ipynb = write


def stop_kernel_watch() -> None:
    """When nbclient itself raises (not a cell), it leaves its once-a-second kernel-alive check pending in
    this thread's event loop; the next report's run would wake it, to fail with an error nobody reads."""
    import asyncio

    from jupyter_core.utils import ensure_event_loop

    loop = ensure_event_loop()
    watches = [
        t
        for t in asyncio.all_tasks(loop)
        if not t.done() and getattr(t.get_coro(), "__qualname__", "") == "NotebookClient._async_poll_kernel_alive"
    ]
    for task in watches:
        task.cancel()
    if watches and not loop.is_running():
        loop.run_until_complete(asyncio.gather(*watches, return_exceptions=True))


# papermill's cell_complete parses each cell's start time (its own isoformat()) with dateutil: 1.4 ms a cell.
_ISO_DATES = SimpleNamespace(parser=SimpleNamespace(parse=datetime.datetime.fromisoformat))


@contextmanager
def lean_messages():
    """No schema check of each output as it arrives and no date parsing of each message (the notebook
    is checked once when written; nobody reads the dates)."""
    from jupyter_client import session
    from nbformat.v4 import nbbase
    from papermill import engines as pm_engines

    check, nbbase.validate = nbbase.validate, lambda node, ref=None: None
    dates, session.extract_dates = session.extract_dates, lambda obj: obj
    timing, pm_engines.dateutil = pm_engines.dateutil, _ISO_DATES  # each cell's start, as papermill wrote it
    try:
        yield
    finally:
        nbbase.validate = check
        session.extract_dates = dates
        pm_engines.dateutil = timing


# ---------------------------------------------------------------- jupyter_client
def handle_kernel_info_reply(kc, reply: dict) -> None:
    """What ``wait_for_ready`` does with the kernel_info reply (the client learns the protocol version)."""
    kc._handle_kernel_info_reply(reply)


def provisioner_available(factory, name: str) -> bool:
    """Whether jupyter_client's provisioner factory knows ``name`` (from the installed entry points)."""
    return bool(factory._check_availability(name))


def scrub_launch_kwargs(kwargs: dict) -> dict:
    """The launch options ``LocalProvisioner`` would hand to Popen."""
    from jupyter_client.provisioning import LocalProvisioner

    return LocalProvisioner._scrub_kwargs(kwargs)


# ---------------------------------------------------------------- CPython
def finalize_like_interpreter() -> None:
    """What Py_Finalize does before a process ends by ``os._exit``: join threads, run atexit."""
    import atexit
    import threading

    try:
        threading._shutdown()  # type: ignore[attr-defined]
    except Exception:
        pass
    try:
        atexit._run_exitfuncs()
    except Exception:
        pass


@contextmanager
def children_allowed():
    """Dask starts worker processes as daemons, which multiprocessing forbids to start processes. The
    rule keeps a daemon's children from outliving it; the render process dies with its Dask worker
    anyway (PR_SET_PDEATHSIG, see cchc.batch.local_pool._die_with_parent)."""
    import multiprocessing

    me = multiprocessing.current_process()
    daemon = me._config.get("daemon", False)
    me._config["daemon"] = False
    try:
        yield
    finally:
        me._config["daemon"] = daemon


# ---------------------------------------------------------------- code run inside a report kernel
# Defines _quiet_flushes(sys): ipykernel flushes stdout and stderr after every cell by a round trip to its
# IO thread, also when nothing was written; skip the round trip then (a third of the kernel's cost of a cell).
KERNEL_QUIET_FLUSHES = """
def _quiet_flushes(sys):
    try:
        from ipykernel.iostream import OutStream
    except ImportError:
        return
    needed = ("_flush_pending", "_subprocess_flush_pending", "_buffers", "_buffer_lock")

    class QuietFlushOutStream(OutStream):
        def flush(self):
            if self._flush_pending or self._subprocess_flush_pending or self._buffered():
                super().flush()

        def _buffered(self):
            with self._buffer_lock:
                return any(b.tell() for b in self._buffers.values())

    for stream in (sys.stdout, sys.stderr):
        if type(stream) is OutStream and all(hasattr(stream, a) for a in needed):
            stream.__class__ = QuietFlushOutStream
"""

# Statement: warnings filtered "once" or "default" are shown again, as in a new kernel.
KERNEL_RESET_WARNINGS = "warnings._filters_mutated()"
