"""Every use of another library's internals (or CPython's), in one place.

The suite leans on a few private names of papermill, nbclient, jupyter_client, ipykernel, nbformat,
multiprocessing and CPython, each to save time per report or to end a process cleanly. They are
gathered here so that an upgrade that renames one fails one named test (``tests/unit/test_thirdparty.py``
checks every entry of ``INTERNALS``) instead of a report, somewhere, later.

Standard library only at import: the kernels' zygote imports this module before any library.
"""

from __future__ import annotations

import importlib
import inspect
from contextlib import contextmanager
from dataclasses import dataclass
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
        "weasyprint.document", "Page._page_box", "page_box: what a laid-out PDF page holds, measured", on_instances=True
    ),
    Internal(
        "weasyprint.layout.preferred",
        "split_first_line",
        "pdf_text_measures_kept: a table cell's narrowest width measured once per text and style",
    ),
)


def pool_workers(pool) -> list:
    """The worker processes of a ``ProcessPoolExecutor`` (it offers no public way to stop them at once)."""
    return list((getattr(pool, "_processes", None) or {}).values())


def page_box(page):
    """The box tree of a page WeasyPrint laid out (``Document.pages[i]``), to measure what it holds."""
    return page._page_box


# ---------------------------------------------------------------- WeasyPrint
# Every style property WeasyPrint's text layout reads (weasyprint.text.line_break, text.fonts): the same text
# in the same values of these measures the same.
PANGO_STYLE = (
    "direction font_family font_feature_settings font_kerning font_language_override font_size font_stretch "
    "font_style font_variant_alternates font_variant_caps font_variant_east_asian font_variant_ligatures "
    "font_variant_numeric font_variant_position font_variation_settings font_weight hyphenate_character "
    "hyphenate_limit_chars hyphenate_limit_zone hyphens lang letter_spacing line_height overflow_wrap tab_size "
    "text_decoration_line white_space word_break word_spacing"
).split()


@contextmanager
def pdf_text_measures_kept(memo: dict, limit: int = 100_000):
    """WeasyPrint's automatic table layout finds each cell's narrowest width by laying its text out with Pango
    again after every word (``split_first_line`` with a width of 0, from ``weasyprint.layout.preferred``):
    a quarter of a report's PDF time. In this block each such measure is kept in ``memo`` by its text and the
    values of every property in ``PANGO_STYLE``, and looked up when the same text in the same style is
    measured again (in the same report, or the next one a batch worker prints; reports use no web fonts, so
    the fonts do not change within a process). The PDF's bytes are the same. ``memo`` is emptied when it
    holds ``limit`` measures."""
    from weasyprint.layout import preferred

    measure = preferred.split_first_line
    style_keys: dict[int, tuple] = {}  # this block's styles, kept alive so that their ids stay theirs

    def split_first_line(text, style, context, max_width, justification_spacing, is_line_start=True, minimum=False):
        if max_width != 0:
            return measure(text, style, context, max_width, justification_spacing, is_line_start, minimum)
        kept = style_keys.get(id(style))
        if kept is None:
            kept = style_keys[id(style)] = (style, tuple(repr(style[name]) for name in PANGO_STYLE))
        key = (text, kept[1], justification_spacing, is_line_start, minimum)
        found = memo.get(key)
        if found is None:
            if len(memo) >= limit:
                memo.clear()
            _, length, resume_index, width, height, baseline = measure(
                text, style, context, max_width, justification_spacing, is_line_start, minimum
            )
            found = memo[key] = (None, length, resume_index, width, height, baseline)  # the layout is not read
        return found

    preferred.split_first_line = split_first_line
    try:
        yield memo
    finally:
        preferred.split_first_line = measure


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


@contextmanager
def lean_messages():
    """No schema check of each output as it arrives and no date parsing of each message (the notebook
    is checked once when written; nobody reads the dates)."""
    from jupyter_client import session
    from nbformat.v4 import nbbase

    check, nbbase.validate = nbbase.validate, lambda node, ref=None: None
    dates, session.extract_dates = session.extract_dates, lambda obj: obj
    try:
        yield
    finally:
        nbbase.validate = check
        session.extract_dates = dates


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
