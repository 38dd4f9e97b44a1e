"""Warm kernels, as seen by the process that starts them: the opt-in and jupyter_client's provisioner.

Fork each report's kernel from a process that has already imported the libraries.

Starting a kernel the usual way costs seconds per report (a new Python, then ipykernel, IPython,
pandas, matplotlib, seaborn are imported again). With warm kernels on, the first kernel of a
process starts a long-lived *zygote*: a plain Python (the kernelspec's own interpreter and flags)
that imports those libraries once and then waits on a Unix socket. Every kernel after that is a
``fork()`` of the zygote that becomes an ``IPKernelApp`` reading the connection file jupyter_client
wrote, so a report starts with the libraries already in memory; each report still gets a fresh
process, nothing is shared between two reports.

Use it by opting in once per process, before papermill/nbclient start kernels::

    from cchc.kernels import warm as warm_kernel
    warm_kernel.enable()            # or: warm_kernel.enable_from_env()  (reads CCHC_WARM_KERNELS=1)

``enable()`` makes :class:`WarmKernelProvisioner` (entry point ``cchc-warm-provisioner`` in the
group ``jupyter_client.kernel_provisioners``) jupyter_client's default provisioner in this process;
it forks only kernels whose kernelspec name was enabled (``cchc`` by default) and otherwise behaves
exactly like jupyter_client's ``LocalProvisioner``. The kernelspec on disk is not changed.

A process that forks workers (a batch) can start one zygote for all of them first::

    warm_kernel.share()             # returns at once; the zygote warms up in the background
    ... fork the workers; each calls enable() and forks its kernels from the shared zygote ...
    warm_kernel.stop_shared()       # the zygote and every kernel forked from it end

The workers connect to it through a socket in a private folder; a worker that ends takes its
kernels with it, and a worker whose kernel launch plan differs (another interpreter or
environment) warms up a zygote of its own as before.

Design and its known differences from a kernel started anew: docs/DESIGN.md, "Warm kernels".

The machinery is split by the process each part runs in: this module (the process that starts
kernels: a batch worker, the command line, a test), ``zygote_client`` (that process's end of its
zygotes), ``zygote`` (inside the zygote) and ``forked_kernel`` (inside a forked kernel, until it
becomes an ``IPKernelApp``).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import os
import pathlib
import signal
import threading
import time
from typing import Any

from jupyter_client.provisioning import LocalProvisioner

from .. import thirdparty
from .zygote import kill_group
from .zygote_client import (
    DEFAULT_KERNELS,
    WarmUnavailable,
    ZygoteClient,
    plan_launch,
    poll_pid,
    recent_kernel_pids,
    share,
    shared_zygote_pid,
    shutdown,
    spawn,
    stop_shared,
    zygote_pids,
)

__all__ = [
    "ENV_VAR",
    "PROVISIONER_NAME",
    "WarmKernelProvisioner",
    "WarmUnavailable",
    "disable",
    "enable",
    "enable_from_env",
    "is_enabled",
    "recent_kernel_pids",
    "share",
    "shared_zygote_pid",
    "shutdown",
    "stop_shared",
    "zygote_pids",
]

PROVISIONER_NAME = "cchc-warm-provisioner"
ENTRY_POINT_GROUP = "jupyter_client.kernel_provisioners"
ENTRY_POINT_VALUE = "cchc.kernels.warm:WarmKernelProvisioner"
ENV_VAR = "CCHC_WARM_KERNELS"
SHUTDOWN_WATCH_S = 0.1

_warned: set[str] = set()

# ====================================================================== opt-in
_enabled_kernels: set[str] = set()
_previous_default: str | None = None


def enable(kernel_names=DEFAULT_KERNELS) -> None:
    """Fork kernels of these kernelspecs from a warm zygote, in this process (idempotent).

    Sets jupyter_client's default provisioner to ``cchc-warm-provisioner``; kernelspecs that name
    a provisioner of their own keep it, other kernelspecs are launched as usual.
    """
    global _previous_default
    from jupyter_client.provisioning.factory import KernelProvisionerFactory

    if isinstance(kernel_names, str):
        kernel_names = (kernel_names,)
    factory = KernelProvisionerFactory.instance()
    if not thirdparty.provisioner_available(factory, PROVISIONER_NAME):  # package not (re)installed: register it
        from importlib.metadata import EntryPoint

        factory.provisioners[PROVISIONER_NAME] = EntryPoint(
            name=PROVISIONER_NAME, value=ENTRY_POINT_VALUE, group=ENTRY_POINT_GROUP
        )
    if factory.default_provisioner_name != PROVISIONER_NAME:
        _previous_default = factory.default_provisioner_name
        factory.default_provisioner_name = PROVISIONER_NAME
    _enabled_kernels.update(kernel_names)


def enable_from_env(environ=None, kernel_names=DEFAULT_KERNELS) -> bool:
    """``enable()`` if ``CCHC_WARM_KERNELS`` is 1/true/yes/on in ``environ`` (default os.environ)."""
    value = (os.environ if environ is None else environ).get(ENV_VAR, "")
    if value.strip().lower() in ("1", "true", "yes", "on"):
        enable(kernel_names)
        return True
    return False


def disable(stop_zygotes: bool = True) -> None:
    """Undo ``enable()``: kernels start the normal way again; optionally stop this process's zygotes."""
    global _previous_default
    from jupyter_client.provisioning.factory import KernelProvisionerFactory

    _enabled_kernels.clear()
    factory = KernelProvisionerFactory.instance()
    if factory.default_provisioner_name == PROVISIONER_NAME:
        factory.default_provisioner_name = _previous_default or "local-provisioner"
    _previous_default = None
    if stop_zygotes:
        shutdown()


def is_enabled(kernel_name: str = DEFAULT_KERNELS[0]) -> bool:
    return kernel_name in _enabled_kernels


# ====================================================================== the provisioner
class WarmKernelProvisioner(LocalProvisioner):
    """``LocalProvisioner`` whose kernels are forked from a warm zygote instead of started anew.

    Falls back to ``LocalProvisioner`` (a new process) when the kernel is not enabled, its command
    is not ``<python> [flags] -m ipykernel_launcher ...``, the launch asks for things a fork cannot
    give (pipes, an independent kernel), or the zygote cannot serve (it failed or was not clean).
    """

    _zygote: ZygoteClient | None = None
    _warm_pid: int | None = None
    _exit_status: int | None = None
    _shutdown_at: float | None = None

    @property
    def has_process(self) -> bool:
        return self.process is not None or self._warm_pid is not None

    def _warm_requested(self) -> bool:
        meta = getattr(self.kernel_spec, "metadata", None) or {}
        if (meta.get("kernel_provisioner") or {}).get("provisioner_name") == PROVISIONER_NAME:
            return True
        return getattr(self.parent, "kernel_name", None) in _enabled_kernels

    async def launch_kernel(self, cmd: list[str], **kwargs: Any):
        plan = None
        if self._warm_requested():
            try:
                plan = plan_launch(cmd, kwargs)
            except WarmUnavailable as e:
                self.log.info("cchc warm kernel not used: %s", e)
        if plan is None:
            return await super().launch_kernel(cmd, **kwargs)
        future = _in_thread(spawn, plan)  # starting a zygote takes a while: not on the loop
        try:
            zygote, pid = await asyncio.wrap_future(future)
        except WarmUnavailable as e:
            level = logging.DEBUG if str(e) in _warned else logging.WARNING
            _warned.add(str(e))
            self.log.log(level, "cchc warm kernel unavailable, starting a normal kernel: %s", e)
            return await super().launch_kernel(cmd, **kwargs)
        except BaseException:  # cancelled or interrupted (an alarm): nobody will own that kernel
            future.add_done_callback(_kill_unclaimed)
            raise
        self._zygote, self._warm_pid, self._exit_status, self._shutdown_at = zygote, pid, None, None
        self.pid = self.pgid = pid  # the child called setsid(): its own process group
        self.cwd = kwargs.get("cwd", pathlib.Path.cwd())
        return self.connection_info

    async def poll(self) -> int | None:
        if self.process is not None or self._warm_pid is None:
            return await super().poll()
        if self._exit_status is None:
            self._exit_status = poll_pid(self._zygote, self._warm_pid)
        if self._exit_status is None and self._shutdown_at is not None:
            # The manager checks every 0.1 s whether a kernel asked to shut down has gone; it
            # usually goes within milliseconds: watch it closely for that first 0.1 s.
            deadline = min(time.monotonic() + SHUTDOWN_WATCH_S, self._shutdown_at + 2.0)
            while self._exit_status is None and time.monotonic() < deadline:
                await asyncio.sleep(0.005)
                self._exit_status = poll_pid(self._zygote, self._warm_pid)
        return self._exit_status

    async def shutdown_requested(self, restart: bool = False) -> None:
        self._shutdown_at = time.monotonic()
        await super().shutdown_requested(restart)

    async def wait(self) -> int | None:
        if self.process is not None or self._warm_pid is None:
            return await super().wait()
        while (status := await self.poll()) is None:
            await asyncio.sleep(0.05)
        if self._zygote is not None:
            self._zygote.release(self._warm_pid)
        self._warm_pid = None
        return status

    async def send_signal(self, signum: int) -> None:
        if self.process is not None or self._warm_pid is None:
            return await super().send_signal(signum)
        if await self.poll() is not None:  # gone (maybe reaped): never signal a recycled pid
            return
        try:
            os.killpg(self._warm_pid, signum)  # the kernel called setsid(): its pid is its group
        except OSError:
            try:
                os.kill(self._warm_pid, signum)
            except ProcessLookupError:
                pass

    async def kill(self, restart: bool = False) -> None:
        if self.process is not None or self._warm_pid is None:
            return await super().kill(restart)
        await self.send_signal(signal.SIGKILL)

    async def terminate(self, restart: bool = False) -> None:
        if self.process is not None or self._warm_pid is None:
            return await super().terminate(restart)
        await self.send_signal(signal.SIGTERM)

    async def get_provisioner_info(self) -> dict:
        info = await super().get_provisioner_info()
        info["warm"] = self._warm_pid is not None
        return info


def _in_thread(fn, *args) -> concurrent.futures.Future:
    future: concurrent.futures.Future = concurrent.futures.Future()

    def run():
        if future.set_running_or_notify_cancel():
            try:
                future.set_result(fn(*args))
            except BaseException as e:
                future.set_exception(e)

    threading.Thread(target=run, name="cchc-warm-spawn", daemon=True).start()
    return future


def _kill_unclaimed(future: concurrent.futures.Future) -> None:
    if future.cancelled() or future.exception() is not None:
        return
    zygote, pid = future.result()
    kill_group(pid)
    zygote.release(pid)
