"""Warm kernels: fork each report's kernel from a process that has already imported the libraries.

Starting a kernel the usual way costs seconds per report (a new Python, then ipykernel, IPython,
pandas, matplotlib, seaborn are imported again). With warm kernels on, the first kernel of a
process starts a long-lived *zygote*: a plain Python (the kernelspec's own interpreter and flags)
that imports those libraries once and then waits on a Unix socket. Every kernel after that is a
``fork()`` of the zygote that becomes an ``IPKernelApp`` reading the connection file jupyter_client
wrote, so a report starts with the libraries already in memory; each report still gets a fresh
process, nothing is shared between two reports.

Use it by opting in once per process, before papermill/nbclient start kernels::

    from cchc import warm_kernel
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

What a forked kernel sees is what a fresh kernel would see:

* the zygote runs the kernelspec's interpreter with its flags and the kernel's environment, in
  ``/``, with the current directory removed from ``sys.path`` (as ``ipykernel_launcher`` does);
  ``MPLBACKEND`` defaults to the inline backend before matplotlib is imported, as ipykernel does;
* only imports without visible effects are kept warm: the zygote refuses to fork (and kernels
  start the normal way) if warming up printed anything or raised a warning. Project modules
  (``cchc.*``) are *not* kept: a throw-away fork imports them to learn which libraries they pull
  in, the zygote imports those libraries only, so edits to ``lib/cchc`` are seen by the next report
  (importing ``cchc`` itself changes nothing global: its charts are drawn inside ``rc_context``);
* in the kernel: new session (``setsid``), signal handlers and mask as in a fresh interpreter,
  stdin ``/dev/null``, stdout/stderr those the kernel would have inherited, environment, working
  directory, ``sys.argv`` as with ``python -m ipykernel_launcher``, numpy's global random state
  re-seeded, and the kernel ends like an interpreter (threads joined, ``atexit`` run) then
  ``os._exit``.

No kernel outlives its owner: the zygote reaps kernels and reports their exit status to the
provisioner (``poll``/``wait``), signals go to the kernel's process group; a kernel dies with its
zygote (``PR_SET_PDEATHSIG`` and ipykernel's parent poller), and a zygote kills its kernels and
exits when the process that started it closes the socket or dies. Cell timeouts (SIGINT to the
kernel's group) and kernels that die surface in papermill as with normal kernels.

Known differences from a kernel started anew: kernels forked from one zygote share its hash seed
(``PYTHONHASHSEED``) and the umask/limits it started with; their parent (``os.getppid()``,
``JPY_PARENT_PID``) is the zygote; the preloaded libraries are in ``sys.modules`` even if the
notebook does not import them; a library upgraded while the process runs is not seen until a new
zygote starts (one per interpreter and environment, so a changed environment starts a new one).
Linux only; a kernel that needs a pipe for its output, is ``independent``, or runs in a directory
with a ``matplotlibrc`` is started the normal way.
"""
from __future__ import annotations

import asyncio
import atexit
import collections
import concurrent.futures
import json
import logging
import os
import pathlib
import signal
import socket
import subprocess
import sys
import threading
import time
from typing import Any

from jupyter_client.provisioning import LocalProvisioner

__all__ = [
    "ENV_VAR", "PROVISIONER_NAME", "WarmKernelProvisioner", "disable", "enable", "enable_from_env",
    "is_enabled", "recent_kernel_pids", "share", "shared_zygote_pid", "shutdown", "stop_shared",
    "zygote_pids",
]

PROVISIONER_NAME = "cchc-warm-provisioner"
ENTRY_POINT_GROUP = "jupyter_client.kernel_provisioners"
ENTRY_POINT_VALUE = "cchc.warm_kernel:WarmKernelProvisioner"
ENV_VAR = "CCHC_WARM_KERNELS"
DEFAULT_KERNELS = ("cchc",)
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"

# Imported once by the zygote: what a report kernel imports anyway. Imports must have no visible
# effect (no output, no warning) and must not depend on the kernel having started.
PRELOAD = (
    "ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.zmqshell", "ipykernel.comm",
    "ipykernel.debugger", "IPython", "IPython.display", "IPython.core.completer",
    "IPython.core.debugger", "sqlite3", "psutil",
    "numpy", "pandas", "matplotlib", "matplotlib.pyplot", "matplotlib.backends.backend_agg",
    "seaborn",
)
# Imported only in a throw-away fork, to learn (and preload) the libraries they import.
PROJECT_PRELOAD = ("cchc.sections", "cchc.metrics", "cchc.plots", "cchc.dataset")
# Never kept in the zygote: a kernel imports them afresh (they are ours, and they have side effects).
PROJECT_PACKAGES = ("cchc",)
# Importing these has effects that depend on a running kernel (matplotlib_inline hooks into IPython).
NEVER_PRELOAD = ("matplotlib_inline",)
# Environment variables that change from one kernel to the next and that no library reads at import.
VOLATILE_ENV_PREFIXES = ("JPY_", "CCHC_", "PYTEST_CURRENT_TEST")

ZYGOTE_START_TIMEOUT_S = 120.0
REQUEST_TIMEOUT_S = 30.0
SHUTDOWN_WATCH_S = 0.1
_MAX_REQUEST = 1 << 20  # a spawn request carries the kernel's environment
_MAX_REPLY = 1 << 16

log = logging.getLogger(__name__)


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
    if not factory._check_availability(PROVISIONER_NAME):  # package not (re)installed: register it
        from importlib.metadata import EntryPoint

        factory.provisioners[PROVISIONER_NAME] = EntryPoint(
            name=PROVISIONER_NAME, value=ENTRY_POINT_VALUE, group=ENTRY_POINT_GROUP)
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
class WarmUnavailable(RuntimeError):
    """The warm path cannot serve this kernel; it is launched the normal way."""


class WarmKernelProvisioner(LocalProvisioner):
    """``LocalProvisioner`` whose kernels are forked from a warm zygote instead of started anew.

    Falls back to ``LocalProvisioner`` (a new process) when the kernel is not enabled, its command
    is not ``<python> [flags] -m ipykernel_launcher ...``, the launch asks for things a fork cannot
    give (pipes, an independent kernel), or the zygote cannot serve (it failed or was not clean).
    """

    _zygote: _ZygoteClient | None = None
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
                plan = _plan_launch(cmd, kwargs)
            except WarmUnavailable as e:
                self.log.info("cchc warm kernel not used: %s", e)
        if plan is None:
            return await super().launch_kernel(cmd, **kwargs)
        future = _in_thread(_spawn, plan)  # starting a zygote takes a while: not on the loop
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
            self._exit_status = _poll_pid(self._zygote, self._warm_pid)
        if self._exit_status is None and self._shutdown_at is not None:
            # The manager checks every 0.1 s whether a kernel asked to shut down has gone; it
            # usually goes within milliseconds: watch it closely for that first 0.1 s.
            deadline = min(time.monotonic() + SHUTDOWN_WATCH_S, self._shutdown_at + 2.0)
            while self._exit_status is None and time.monotonic() < deadline:
                await asyncio.sleep(0.005)
                self._exit_status = _poll_pid(self._zygote, self._warm_pid)
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
            os.killpg(self.pgid, signum)
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
            except BaseException as e:  # noqa: BLE001 - handed to the awaiting coroutine
                future.set_exception(e)

    threading.Thread(target=run, name="cchc-warm-spawn", daemon=True).start()
    return future


def _kill_unclaimed(future: concurrent.futures.Future) -> None:
    if future.cancelled() or future.exception() is not None:
        return
    zygote, pid = future.result()
    _kill_group(pid)
    zygote.release(pid)


def _kill_group(pid: int) -> None:
    for kill in (os.killpg, os.kill):
        try:
            kill(pid, signal.SIGKILL)
            return
        except OSError:
            pass


def _poll_pid(zygote: _ZygoteClient | None, pid: int) -> int | None:
    """Exit status of a forked kernel (None while it runs), asked of the zygote that reaps it."""
    if zygote is not None:
        try:
            return zygote.poll(pid)
        except WarmUnavailable:
            pass
    try:  # zygote gone (the kernel then got SIGKILL from PR_SET_PDEATHSIG) or unknown pid
        os.kill(pid, 0)
    except ProcessLookupError:
        return -signal.SIGKILL
    except PermissionError:
        pass
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            if f.read().rsplit(b")", 1)[1].split()[0] in (b"Z", b"X"):
                return -signal.SIGKILL
    except (OSError, IndexError):
        pass
    return None


# ====================================================================== launch plan
def _parse_kernel_cmd(cmd: list[str]):
    """``[python, *flags, '-m', 'ipykernel_launcher'|'ipykernel', *args]`` → (prefix, module, args)."""
    cmd = [os.path.expanduser(str(s)) for s in cmd]
    i = 1
    while i < len(cmd) - 1:
        arg = cmd[i]
        if arg == "-m":
            if cmd[i + 1] not in ("ipykernel_launcher", "ipykernel"):
                return None
            return cmd[:i], cmd[i + 1], cmd[i + 2:], cmd
        if arg in ("-X", "-W"):  # interpreter options that take a value
            i += 2
            continue
        if not arg.startswith("-") or arg in ("-", "-c") or arg.startswith("--"):
            return None
        i += 1
    return None


def _stdio_fd(value, default_fd: int):
    """An fd to hand to the kernel for stdout/stderr as Popen would; None if a fork cannot do it."""
    if value is None:
        return default_fd
    if value == subprocess.DEVNULL:
        return "devnull"
    if isinstance(value, int):
        return value if value >= 0 else None  # PIPE, STDOUT: only Popen can
    fileno = getattr(value, "fileno", None)
    if fileno is not None:
        try:
            return fileno()
        except (OSError, ValueError):
            return None
    return None


def _plan_launch(cmd: list[str], kwargs: dict) -> dict:
    if not hasattr(os, "fork") or not sys.platform.startswith("linux"):
        raise WarmUnavailable("forking kernels needs Linux")
    parsed = _parse_kernel_cmd(cmd)
    if parsed is None:
        raise WarmUnavailable(f"not an ipykernel command: {cmd!r}")
    prefix, module, args, full = parsed
    kw = LocalProvisioner._scrub_kwargs(kwargs)
    env = dict(kw.pop("env", None) or os.environ)
    cwd = kw.pop("cwd", None)
    cwd = os.fspath(cwd) if cwd else os.getcwd()
    if kw.pop("independent", False):
        raise WarmUnavailable("an independent kernel must not depend on this process")
    if kw.pop("stdin", None) is not None:
        raise WarmUnavailable("a kernel with a given stdin")
    stdout = _stdio_fd(kw.pop("stdout", None), 1)
    stderr = _stdio_fd(kw.pop("stderr", None), 2)
    if stdout is None or stderr is None:
        raise WarmUnavailable("kernel output to a pipe")
    if kw:
        raise WarmUnavailable(f"launch options a fork cannot honour: {sorted(kw)}")
    if os.path.exists(os.path.join(cwd, "matplotlibrc")):
        # matplotlib reads ./matplotlibrc when imported; the zygote imported it elsewhere.
        raise WarmUnavailable(f"{cwd}/matplotlibrc would be ignored")
    return {"prefix": prefix, "module": module, "args": args, "orig_argv": full, "env": env,
            "cwd": cwd, "stdout": stdout, "stderr": stderr}


# ====================================================================== zygotes of this process
_registry_lock = threading.Lock()
_zygotes: dict[tuple, _ZygoteClient] = {}
_owner_pid = os.getpid()
_recent_pids: collections.deque = collections.deque(maxlen=256)
_failed: dict[tuple, str] = {}  # zygotes that could not start: not retried in this process
_warned: set[str] = set()
_atexit_registered = False
# A zygote started by share() in this process or the process we were forked from: (address, key).
_shared: tuple[str, tuple] | None = None
_shared_owner: _ZygoteClient | None = None  # set in the process that started it


def _env_key(env: dict) -> tuple:
    return tuple(sorted((k, v) for k, v in env.items() if not k.startswith(VOLATILE_ENV_PREFIXES)))


def _zygote_env(env: dict) -> dict:
    return {k: v for k, v in env.items() if not k.startswith(("JPY_", "PYTEST_CURRENT_TEST"))}


def _get_zygote(plan: dict) -> _ZygoteClient:
    global _atexit_registered
    key = _zygote_key(plan)
    with _registry_lock:
        _forget_if_forked()
        zygote = _zygotes.get(key)
        if zygote is not None and zygote.usable():
            return zygote
        if zygote is not None:
            zygote.close()
            del _zygotes[key]
        for other_key, other in list(_zygotes.items()):  # environment changed: retire idle zygotes
            if not other.live:
                other.close()
                del _zygotes[other_key]
        if key in _failed:
            raise WarmUnavailable(_failed[key])
        zygote = _connect_shared(key)
        if zygote is not None:
            _zygotes[key] = zygote
            return zygote
        if not _atexit_registered:
            atexit.register(shutdown)
            _atexit_registered = True
        try:
            zygote = _ZygoteClient(plan["prefix"], _zygote_env(plan["env"]))
            if not zygote.clean:
                zygote.close()
                raise WarmUnavailable(f"zygote warm-up was not clean: {'; '.join(zygote.notes)[:500]}")
        except WarmUnavailable as e:
            _failed[key] = str(e)
            raise
        _zygotes[key] = zygote
        return zygote


def _spawn(plan: dict):
    """Fork a kernel for this plan (retries once with a new zygote if the zygote died)."""
    last = None
    for _ in range(2):
        zygote = _get_zygote(plan)
        try:
            pid = zygote.spawn(plan)
        except _ZygoteDied as e:
            last = e
            zygote.close()
            continue
        _recent_pids.append(pid)
        return zygote, pid
    raise WarmUnavailable(f"zygote died: {last}")


def share(kernel_name: str = DEFAULT_KERNELS[0]) -> bool:
    """Start one zygote now, in the background, for this process and the processes it forks later
    (a batch's workers): each then forks its kernels from it instead of warming up a zygote of its
    own. The zygote is a Python importing libraries, not a kernel. Returns False (nothing shared:
    each process starts its own zygote as before) if this kernelspec cannot be forked warm."""
    global _shared, _shared_owner, _atexit_registered
    try:
        plan = _kernelspec_plan(kernel_name)
    except Exception as e:  # noqa: BLE001 - no kernelspec, not Linux, not an ipykernel command
        log.debug("cchc shared zygote not started: %s", e)
        return False
    key = _zygote_key(plan)
    with _registry_lock:
        _forget_if_forked()
        if _shared is not None and _shared[1] == key and _shared_owner is not None and _shared_owner.usable():
            return True
        _stop_shared()
        try:
            owner = _ZygoteClient(plan["prefix"], _zygote_env(plan["env"]), listen=True)
        except WarmUnavailable as e:
            log.debug("cchc shared zygote not started: %s", e)
            return False
        _shared, _shared_owner = (owner.address, key), owner
        if not _atexit_registered:
            atexit.register(shutdown)
            _atexit_registered = True
    return True


def shared_zygote_pid() -> int | None:
    """Pid of the zygote this process started with ``share()`` (diagnostics, tests)."""
    owner = _shared_owner
    return owner.proc.pid if owner is not None and owner.proc is not None and owner.usable() else None


def _kernelspec_plan(kernel_name: str) -> dict:
    """The launch plan a kernel of this kernelspec will get, as jupyter_client builds it (the command
    line, this process's environment), without starting anything. A kernelspec with variables or a
    provisioner of its own is not shared."""
    from jupyter_client.manager import KernelManager

    km = KernelManager(kernel_name=kernel_name)
    spec = km.kernel_spec
    if spec.env or (spec.metadata or {}).get("kernel_provisioner"):
        raise WarmUnavailable("the kernelspec sets variables or its own provisioner")
    env = dict(os.environ)
    if (spec.language or "").lower().startswith("python"):
        env.pop("PYTHONEXECUTABLE", None)
    return _plan_launch(km.format_kernel_cmd(), {"env": env})


def _zygote_key(plan: dict) -> tuple:
    return (tuple(plan["prefix"]), _env_key(plan["env"]), PRELOAD, PROJECT_PRELOAD, PROJECT_PACKAGES)


def _connect_shared(key: tuple) -> _ZygoteClient | None:
    """This process's connection to the shared zygote, if there is one for this key (lock held)."""
    global _shared
    if _shared is None or _shared[1] != key:
        return None
    try:
        return _ZygoteClient.connect(_shared[0])
    except WarmUnavailable as e:
        log.debug("cchc shared zygote not used: %s", e)
        _shared = None  # start our own from now on
        return None


def stop_shared(timeout: float = 5.0) -> None:
    """Stop the zygote this process started with ``share()``, and the kernels forked from it."""
    with _registry_lock:
        _stop_shared(timeout)


def _stop_shared(timeout: float = 5.0) -> None:
    global _shared, _shared_owner
    owner, _shared_owner, _shared = _shared_owner, None, None
    if owner is not None:
        owner.close(timeout)


def shutdown(timeout: float = 5.0) -> None:
    """Stop this process's zygotes (the shared one too, if this process started it); kernels still
    running from them are killed."""
    with _registry_lock:
        zygotes = list(_zygotes.values())
        _zygotes.clear()
    for zygote in zygotes:
        zygote.close(timeout)
    with _registry_lock:
        _stop_shared(timeout)


def zygote_pids() -> list[int]:
    """Pids of the zygotes this process forks its kernels from (diagnostics, tests)."""
    with _registry_lock:
        return [z.pid for z in _zygotes.values() if z.usable()]


def recent_kernel_pids() -> list[int]:
    """Pids of the last kernels forked for this process (diagnostics, tests)."""
    return list(_recent_pids)


def _forget_if_forked() -> None:
    """In a forked copy of this process, the parent's zygotes are not ours: drop them."""
    global _owner_pid, _shared_owner
    if os.getpid() != _owner_pid:
        for zygote in _zygotes.values():
            zygote.forget()
        _zygotes.clear()
        if _shared_owner is not None:  # the shared zygote stays ours to connect to, not to stop
            _shared_owner.forget()
            _shared_owner = None
        _recent_pids.clear()
        _failed.clear()
        _owner_pid = os.getpid()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_if_forked)


class _ZygoteDied(Exception):
    pass


_BOOT = ("import sys\nif sys.path and sys.path[0] == '': del sys.path[0]\n"
         "from cchc.warm_kernel import _zygote_main; _zygote_main(int(sys.argv[1]), sys.argv[2])")


class _ZygoteClient:
    """This process's end of one zygote: start it (or connect to a shared one), ask it to fork,
    poll and release kernels.

    ``listen``: the zygote also serves other processes that ``connect`` to ``address`` (a socket in
    a private folder); it stops when this client closes. This call then returns at once, without
    waiting for the warm-up: the owner of a shared zygote asks it for nothing.
    """

    address: str | None = None
    folder: str | None = None

    def __init__(self, prefix: list[str], env: dict, listen: bool = False):
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        config = {"preload": PRELOAD, "project": PROJECT_PRELOAD, "packages": PROJECT_PACKAGES,
                  "never": NEVER_PRELOAD}
        pass_fds = [theirs.fileno()]
        listener = None
        if listen:
            import tempfile

            self.folder = tempfile.mkdtemp(prefix="cchc-zygote-")  # mode 0700: ours alone
            self.address = os.path.join(self.folder, "z")
            listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
            listener.bind(self.address)
            listener.listen(16)
            config["listen_fd"], config["folder"] = listener.fileno(), self.folder
            pass_fds.append(listener.fileno())
        try:
            self.proc = subprocess.Popen(
                [*prefix, "-c", _BOOT, str(theirs.fileno()), json.dumps(config)], env=env, cwd="/",
                stdin=subprocess.DEVNULL, pass_fds=pass_fds, start_new_session=True)
        except OSError as e:
            ours.close()
            self._remove_folder()
            raise WarmUnavailable(f"cannot start zygote {prefix[0]}: {e}") from None
        finally:
            theirs.close()
            if listener is not None:
                listener.close()
        self._init(ours)
        if not listen:
            self._hello(f"exit {self.proc.poll()}")

    @classmethod
    def connect(cls, address: str) -> _ZygoteClient:
        """A connection to a zygote another process shares; waits for its warm-up to end."""
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            sock.connect(address)
        except OSError as e:
            sock.close()
            raise WarmUnavailable(f"cannot connect to the shared zygote: {e}") from None
        self = cls.__new__(cls)
        self.proc = None
        self._init(sock)
        self._hello("connection closed")
        if not self.clean:
            self.close()
            raise WarmUnavailable(f"shared zygote warm-up was not clean: {'; '.join(self.notes)[:500]}")
        return self

    def _init(self, sock: socket.socket) -> None:
        self.sock = sock
        self.lock = threading.Lock()
        self.live: set[int] = set()
        self.dead = False
        self.last_id = 0

    def _hello(self, what: str) -> None:
        try:
            hello = self._recv(ZYGOTE_START_TIMEOUT_S)
        except _ZygoteDied as e:
            self.close()
            raise WarmUnavailable(f"zygote did not start ({e}; {what})") from None
        self.pid = hello["pid"]
        self.clean = bool(hello.get("clean"))
        self.notes = hello.get("notes", [])
        self.warm_s = hello.get("seconds")
        log.debug("cchc zygote %s ready in %.2fs (clean=%s) %s", self.pid, self.warm_s or 0,
                  self.clean, self.notes)

    def usable(self) -> bool:
        return not self.dead and (self.proc is None or self.proc.poll() is None)

    def _recv(self, timeout: float) -> dict:
        self.sock.settimeout(timeout)
        try:
            data = self.sock.recv(_MAX_REPLY)
        except (TimeoutError, OSError) as e:
            self.dead = True
            raise _ZygoteDied(repr(e)) from None
        if not data:
            self.dead = True
            raise _ZygoteDied("connection closed")
        return json.loads(data)

    def request(self, msg: dict, fds=()) -> dict:
        with self.lock:
            if self.dead:
                raise _ZygoteDied("zygote is gone")
            self.last_id += 1
            msg = {**msg, "id": self.last_id}
            try:
                if fds:
                    socket.send_fds(self.sock, [json.dumps(msg).encode()], list(fds))
                else:
                    self.sock.sendall(json.dumps(msg).encode())
            except OSError as e:
                self.dead = True
                raise _ZygoteDied(repr(e)) from None
            while True:
                reply = self._recv(REQUEST_TIMEOUT_S)
                if reply.get("id") == msg["id"]:
                    break
                # The reply to a request that was interrupted (e.g. by an alarm) after it was sent.
                if reply.get("op") == "spawn" and "pid" in reply:
                    _kill_group(reply["pid"])  # a kernel nobody knows about
        if "error" in reply:
            raise WarmUnavailable(f"zygote: {reply['error']}")
        return reply

    def spawn(self, plan: dict) -> int:
        opened, fds = [], []
        try:
            for name in ("stdout", "stderr"):
                fd = plan[name]
                if fd != "devnull":
                    try:
                        os.fstat(fd)
                    except OSError:
                        fd = "devnull"
                if fd == "devnull":
                    fd = os.open(os.devnull, os.O_WRONLY)
                    opened.append(fd)
                fds.append(fd)
            msg = {"op": "spawn", "module": plan["module"], "args": plan["args"],
                   "orig_argv": plan["orig_argv"], "env": plan["env"], "cwd": plan["cwd"]}
            pid = self.request(msg, fds)["pid"]
        finally:
            for fd in opened:
                os.close(fd)
        self.live.add(pid)
        return pid

    def poll(self, pid: int) -> int | None:
        try:
            reply = self.request({"op": "poll", "pid": pid})
        except _ZygoteDied as e:
            raise WarmUnavailable(str(e)) from None
        if reply.get("unknown"):
            raise WarmUnavailable(f"zygote does not know pid {pid}")
        return reply["status"]

    def release(self, pid: int) -> None:
        self.live.discard(pid)
        try:
            self.request({"op": "release", "pid": pid})
        except (_ZygoteDied, WarmUnavailable):
            pass

    def close(self, timeout: float = 5.0) -> None:
        """Closing our end makes the zygote kill the kernels it forked for us; the zygote exits when
        its owner's end closes (a connection to a shared zygote leaves it running)."""
        self.dead = True
        try:
            self.sock.close()
        except OSError:
            pass
        if self.proc is not None:
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._remove_folder()

    def forget(self) -> None:
        """In a forked copy of the owner: close our copy of the socket, leave the zygote alone."""
        self.dead = True
        try:
            self.sock.close()
        except OSError:
            pass
        if self.proc is not None:
            self.proc.returncode = 0  # not our child: never wait for it
        self.folder = None  # the owner removes it

    def _remove_folder(self) -> None:
        if self.folder is not None:
            import shutil

            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None


# ====================================================================== inside the zygote
def _zygote_main(fd: int, config_json: str) -> None:
    """Entry point of the zygote process (see _BOOT): warm up, say hello, serve until EOF."""
    started = time.monotonic()
    sock = socket.socket(fileno=fd)
    config = json.loads(config_json)
    fresh_signals = {}
    for sig in signal.valid_signals():
        try:
            fresh_signals[sig] = signal.getsignal(sig)
        except (OSError, ValueError):
            pass
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a stray ^C must not take the kernels down
    os.environ.setdefault("MPLBACKEND", INLINE_BACKEND)  # as ipykernel sets it before user code
    env_before = dict(os.environ)
    try:
        clean, notes = _warm_up(config)
    except BaseException as e:  # noqa: BLE001 - report, never serve from a half-warm zygote
        clean, notes = False, [f"warm-up failed: {e!r}"]
    # Variables the imports set (debugpy sets PYDEVD_USE_FRAME_EVAL): kernels get them too.
    env_set = {k: v for k, v in os.environ.items() if env_before.get(k) != v}
    env_unset = [k for k in env_before if k not in os.environ]
    import gc

    gc.collect()
    gc.freeze()  # kernels then do not copy the warm pages when their GC runs
    hello = {"pid": os.getpid(), "clean": clean, "notes": notes,
             "seconds": round(time.monotonic() - started, 3)}
    try:
        sock.send(json.dumps(hello).encode())
    except OSError:  # our owner went away while we warmed up (a batch that stopped early)
        os._exit(0)
    listener = socket.socket(fileno=config["listen_fd"]) if "listen_fd" in config else None
    _serve(sock, listener, json.dumps(hello).encode(), fresh_signals, env_set, env_unset, config.get("folder"))


class _Capture:
    """Record what imports would show a user: fd 1/2 output and shown warnings (filters untouched)."""

    def __enter__(self):
        import tempfile
        import warnings

        self.warnings_mod = warnings
        self.shown: list[str] = []
        self.saved_show = warnings.showwarning
        warnings.showwarning = lambda message, category, filename, lineno, file=None, line=None: \
            self.shown.append(f"{category.__name__}: {message} ({filename}:{lineno})")
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
        self.tmp = tempfile.TemporaryFile()
        self.saved_fds = [os.dup(1), os.dup(2)]
        os.dup2(self.tmp.fileno(), 1)
        os.dup2(self.tmp.fileno(), 2)
        return self

    def __exit__(self, *exc):
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:  # noqa: BLE001
                pass
        os.dup2(self.saved_fds[0], 1)
        os.dup2(self.saved_fds[1], 2)
        for fd in self.saved_fds:
            os.close(fd)
        self.warnings_mod.showwarning = self.saved_show
        self.tmp.seek(0)
        self.output = self.tmp.read().decode("utf-8", "replace")
        self.tmp.close()
        return False

    def problems(self, what: str) -> list[str]:
        out = [f"{what} warned: {w}" for w in self.shown]
        if self.output.strip():
            out.append(f"{what} printed: {self.output.strip()[:300]!r}")
        return out


def _is_ours(name: str, packages) -> bool:
    return any(name == p or name.startswith(p + ".") for p in packages)


def _warm_up(config: dict) -> tuple[bool, list[str]]:
    import importlib
    import threading as _threading

    never = tuple(config["never"])
    notes: list[str] = []
    problems: list[str] = []
    with _Capture() as cap:
        for name in config["preload"]:
            try:
                importlib.import_module(name)
            except Exception as e:  # noqa: BLE001 - a kernel importing it fails the same way
                notes.append(f"preload {name}: {type(e).__name__}: {e}")
    problems += cap.problems("preload")

    # Learn the libraries the project's modules import, in a throw-away fork.
    extra = _probe_project(config) if not problems else []
    if isinstance(extra, str):
        notes.append(extra)
        extra = []
    with _Capture() as cap:
        for name in extra:
            if (_is_ours(name, config["packages"]) or _is_ours(name, never) or name in sys.modules
                    or name == "__main__"):
                continue
            try:
                importlib.import_module(name)
            except Exception as e:  # noqa: BLE001
                notes.append(f"dependency {name}: {type(e).__name__}: {e}")
    problems += cap.problems("project dependencies")

    for name in list(sys.modules):  # ourselves included: kernels import cchc afresh
        if _is_ours(name, config["packages"]):
            del sys.modules[name]
    if any(_is_ours(name, never) for name in sys.modules):
        problems.append(f"imported too early: {[n for n in sys.modules if _is_ours(n, never)][:5]}")
    if _threading.active_count() != 1:
        problems.append(f"{_threading.active_count()} threads after warm-up; fork needs one")
    zmq = sys.modules.get("zmq")
    if zmq is not None and getattr(zmq.Context, "_instance", None) is not None:
        problems.append("a zmq context exists in the zygote")
    ip = sys.modules.get("IPython")
    if ip is not None and ip.get_ipython() is not None:
        problems.append("an IPython shell exists in the zygote")
    return not problems, problems + notes


def _probe_project(config: dict):
    """Fork; import the project modules; return the names of the other modules they loaded."""
    import importlib

    r, w = os.pipe()
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    pid = os.fork()
    if pid == 0:  # probe child: never returns
        code = 0
        try:
            os.close(r)
            before = set(sys.modules)
            with _Capture() as cap:
                for name in config["project"]:
                    try:
                        importlib.import_module(name)
                    except Exception:  # noqa: BLE001 - e.g. a module being written right now
                        pass
            problems = cap.problems("project modules")
            new = [] if problems else [
                n for n, m in list(sys.modules.items())
                if n not in before and m is not None and getattr(m, "__name__", None) == n]
            with os.fdopen(w, "wb") as f:
                f.write(json.dumps({"modules": new, "problems": problems}).encode())
        except BaseException:  # noqa: BLE001
            code = 1
        finally:
            os._exit(code)
    os.close(w)
    with os.fdopen(r, "rb") as f:
        data = f.read()
    os.waitpid(pid, 0)
    try:
        result = json.loads(data)
    except ValueError:
        return "project probe failed"
    if result["problems"]:
        return "project modules not preloaded: " + "; ".join(result["problems"])
    return result["modules"]


def _set_pdeathsig(sig: int) -> bool:
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(1, int(sig), 0, 0, 0) == 0  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return False


def _serve(owner: socket.socket, listener: socket.socket | None, hello: bytes, fresh_signals: dict,
           env_set: dict, env_unset: list, folder: str | None = None) -> None:
    """Answer requests from the owner and from processes that connect to ``listener`` (a shared
    zygote), until the owner's end closes; a connection that closes takes its kernels with it.
    ``folder``: the listener's, removed when we stop (the owner may have died without doing it)."""
    import select

    children: dict[int, int | None] = {}  # pid -> exit status (None: running)
    clients: dict[socket.socket, set[int]] = {owner: set()}  # each connection's kernels

    def reap():
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            if pid in children:
                children[pid] = os.waitstatus_to_exitcode(status)

    def drop(conn):
        for pid in clients.pop(conn):
            if children.get(pid, 0) is None:
                _kill_group(pid)
        conn.close()

    while True:
        ready, _, _ = select.select([*clients, *([listener] if listener else [])], [], [], 0.5)
        reap()
        if listener is not None and listener in ready:
            ready.remove(listener)
            try:
                conn, _addr = listener.accept()
                conn.send(hello)
                clients[conn] = set()
            except OSError:
                pass
        if owner in ready:  # the owner first: when it leaves, nobody else is served
            ready.remove(owner)
            ready.insert(0, owner)
        for conn in ready:
            try:
                data, fds, _flags, _addr = socket.recv_fds(conn, _MAX_REQUEST, 8)
            except OSError:
                data, fds = b"", []
            if not data:  # that process closed its end or died
                if conn is owner:
                    return _stop_serving(children, folder)
                drop(conn)
                continue
            sockets = [*clients, *([listener] if listener else [])]  # a kernel closes them all
            reply = _answer(conn, data, fds, children, clients, sockets, fresh_signals, env_set, env_unset)
            try:
                conn.send(json.dumps(reply).encode())
            except OSError:
                if conn is owner:
                    return _stop_serving(children, folder)
                drop(conn)


def _answer(conn, data, fds, children, clients, sockets, fresh_signals, env_set, env_unset):
    msg = None
    try:
        msg = json.loads(data)
        op = msg.get("op")
        if op == "spawn":
            try:
                env = {k: v for k, v in msg["env"].items() if k not in env_unset}
                msg["env"] = {**env, **env_set}
                pid = _fork_kernel(sockets, msg, fds, fresh_signals)
            finally:
                for fd in fds:
                    os.close(fd)
            children[pid] = None
            clients[conn].add(pid)
            reply = {"pid": pid}
        elif op == "poll":
            pid = msg["pid"]
            if pid not in children:
                reply = {"unknown": True, "status": None}
            else:
                if children[pid] is None:
                    try:
                        wpid, status = os.waitpid(pid, os.WNOHANG)
                        if wpid == pid:
                            children[pid] = os.waitstatus_to_exitcode(status)
                    except ChildProcessError:
                        pass
                reply = {"status": children[pid]}
        elif op == "release":
            children.pop(msg["pid"], None)
            clients[conn].discard(msg["pid"])
            reply = {}
        elif op == "ping":
            reply = {"pid": os.getpid(), "running": [p for p in clients[conn] if children.get(p, 0) is None]}
        else:
            reply = {"error": f"unknown op {op!r}"}
    except Exception as e:  # noqa: BLE001 - answer, keep serving
        reply = {"error": f"{type(e).__name__}: {e}"}
    if isinstance(msg, dict):
        reply.update(id=msg.get("id"), op=msg.get("op"))
    return reply


def _stop_serving(children: dict, folder: str | None) -> None:
    if folder is not None:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)
    for pid, status in children.items():  # orphaned kernels must not survive us
        if status is None:
            _kill_group(pid)
    for pid, status in children.items():
        if status is None:
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
    os._exit(0)


def _fork_kernel(socks: list[socket.socket], msg: dict, fds: list[int], fresh_signals: dict) -> int:
    zygote_pid = os.getpid()
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    pid = os.fork()
    if pid:
        return pid
    code = 1
    try:  # the kernel: never return into the zygote's loop
        code = _kernel_child(socks, msg, fds, fresh_signals, zygote_pid)
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except BaseException:  # noqa: BLE001
        try:
            import traceback

            traceback.print_exc()
            sys.stderr.flush()
        except BaseException:  # noqa: BLE001
            pass
    finally:
        os._exit(code)


def _kernel_child(socks, msg, fds, fresh_signals, zygote_pid) -> int:
    import importlib
    import importlib.util
    import linecache

    os.setsid()
    _set_pdeathsig(signal.SIGKILL)
    if os.getppid() != zygote_pid:  # the zygote died before we could watch it
        return 1
    for sock in socks:  # the zygote's: its owner's, its listener, its connections
        sock.close()

    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    os.dup2(fds[0], 1)
    os.dup2(fds[1], 2)
    for fd in fds:
        if fd > 2:
            os.close(fd)

    for sig, handler in fresh_signals.items():
        if handler is None:
            continue
        try:
            signal.signal(sig, handler)
        except (OSError, ValueError, RuntimeError):
            pass
    signal.pthread_sigmask(signal.SIG_SETMASK, ())

    os.environ.clear()
    os.environ.update(msg["env"])
    os.environ["JPY_PARENT_PID"] = str(zygote_pid)  # the process this kernel watches
    os.chdir(msg["cwd"])

    spec = importlib.util.find_spec(msg["module"])
    if spec is not None and spec.submodule_search_locations:
        spec = importlib.util.find_spec(msg["module"] + ".__main__")
    sys.argv = [spec.origin if spec is not None else msg["module"], *msg["args"]]
    sys.orig_argv = list(msg["orig_argv"])

    importlib.invalidate_caches()
    linecache.clearcache()
    np_random = sys.modules.get("numpy.random")
    if np_random is not None:
        np_random.seed()  # a fresh interpreter seeds numpy from the OS; forks would share a state
    if "asyncio" in sys.modules:
        import asyncio as _asyncio

        _asyncio.set_event_loop_policy(None)

    from ipykernel.kernelapp import IPKernelApp

    app = IPKernelApp.instance()
    app.parent_handle = zygote_pid  # its default was read from the zygote's environment
    app.initialize()
    app.start()
    return _exit_like_interpreter(0)


def _exit_like_interpreter(code: int) -> int:
    """What Py_Finalize would do before our os._exit: join threads, run atexit, flush."""
    try:
        threading._shutdown()
    except Exception:  # noqa: BLE001
        pass
    try:
        atexit._run_exitfuncs()
    except Exception:  # noqa: BLE001
        pass
    for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
        try:
            if stream is not None:
                stream.flush()
        except Exception:  # noqa: BLE001
            pass
    return code
