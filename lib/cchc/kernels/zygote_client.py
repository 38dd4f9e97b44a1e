"""This process's end of its warm zygotes: start one (or connect to a shared one), ask it to fork a
kernel, poll and release kernels; and the launch plan a fork must honour. See ``cchc.kernels.warm``."""

from __future__ import annotations

import atexit
import collections
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
from string import Template
from typing import Any

from .. import thirdparty
from .zygote import MAX_REPLY, kill_group

DEFAULT_KERNELS = ("cchc",)

# Imported once by the zygote: what a report kernel imports anyway. Imports must have no visible
# effect (no output, no warning) and must not depend on the kernel having started.
PRELOAD = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.zmqshell",
    "ipykernel.comm",
    "ipykernel.debugger",
    "IPython",
    "IPython.display",
    "IPython.core.completer",
    "IPython.core.debugger",
    "sqlite3",
    "psutil",
    "numpy",
    "pandas",
    "matplotlib",
    "matplotlib.pyplot",
    "matplotlib.backends.backend_agg",
    "seaborn",
)
# Imported only in a throw-away fork, to learn (and preload) the libraries they import.
PROJECT_PRELOAD = ("cchc.report.sections", "cchc.analysis.metrics", "cchc.report.plots", "cchc.data.dataset")
# Never kept in the zygote: a kernel imports them afresh (they are ours, and they have side effects).
PROJECT_PACKAGES = ("cchc",)
# Importing these has effects that depend on a running kernel (matplotlib_inline hooks into IPython).
NEVER_PRELOAD = ("matplotlib_inline",)
# Environment variables that change from one kernel to the next and that no library reads at import.
VOLATILE_ENV_PREFIXES = ("JPY_", "CCHC_", "PYTEST_CURRENT_TEST")

ZYGOTE_START_TIMEOUT_S = 120.0
REQUEST_TIMEOUT_S = 30.0

log = logging.getLogger(__name__)


class WarmUnavailable(RuntimeError):
    """The warm path cannot serve this kernel; it is launched the normal way."""


def poll_pid(zygote: ZygoteClient | None, pid: int) -> int | None:
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
            return cmd[:i], cmd[i + 1], cmd[i + 2 :], cmd
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


def plan_launch(cmd: list[str], kwargs: dict) -> dict:
    if not hasattr(os, "fork") or not sys.platform.startswith("linux"):
        raise WarmUnavailable("forking kernels needs Linux")
    parsed = _parse_kernel_cmd(cmd)
    if parsed is None:
        raise WarmUnavailable(f"not an ipykernel command: {cmd!r}")
    prefix, module, args, full = parsed
    kw = thirdparty.scrub_launch_kwargs(kwargs)
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
    return {
        "prefix": prefix,
        "module": module,
        "args": args,
        "orig_argv": full,
        "env": env,
        "cwd": cwd,
        "stdout": stdout,
        "stderr": stderr,
    }


# ====================================================================== zygotes of this process
_registry_lock = threading.Lock()
_zygotes: dict[tuple, ZygoteClient] = {}
_owner_pid = os.getpid()
_recent_pids: collections.deque = collections.deque(maxlen=256)
_failed: dict[tuple, str] = {}  # zygotes that could not start: not retried in this process
_atexit_registered = False
# A zygote started by share() in this process or the process we were forked from: (address, key).
_shared: tuple[str, tuple] | None = None
_shared_owner: ZygoteClient | None = None  # set in the process that started it


def _env_key(env: dict) -> tuple:
    return tuple(sorted((k, v) for k, v in env.items() if not k.startswith(VOLATILE_ENV_PREFIXES)))


def _zygote_env(env: dict) -> dict:
    return {k: v for k, v in env.items() if not k.startswith(("JPY_", "PYTEST_CURRENT_TEST"))}


def _get_zygote(plan: dict) -> ZygoteClient:
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
            zygote = ZygoteClient(plan["prefix"], _zygote_env(plan["env"]))
            if not zygote.clean:
                zygote.close()
                raise WarmUnavailable(f"zygote warm-up was not clean: {'; '.join(zygote.notes)[:500]}")
        except WarmUnavailable as e:
            _failed[key] = str(e)
            raise
        _zygotes[key] = zygote
        return zygote


def spawn(plan: dict):
    """Fork a kernel for this plan (retries once with a new zygote if the zygote died)."""
    last = None
    for _ in range(2):
        zygote = _get_zygote(plan)
        try:
            pid = zygote.spawn(plan)
        except ZygoteDied as e:
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
    except Exception as e:
        log.debug("cchc shared zygote not started: %s", e)
        return False
    key = _zygote_key(plan)
    with _registry_lock:
        _forget_if_forked()
        if _shared is not None and _shared[1] == key and _shared_owner is not None and _shared_owner.usable():
            return True
        _stop_shared()
        try:
            owner = ZygoteClient(plan["prefix"], _zygote_env(plan["env"]), listen=True)
        except WarmUnavailable as e:
            log.debug("cchc shared zygote not started: %s", e)
            return False
        assert owner.address is not None  # a listening zygote has one
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
    if spec is None:
        raise WarmUnavailable(f"no kernelspec {kernel_name!r}")
    if (spec.metadata or {}).get("kernel_provisioner"):
        raise WarmUnavailable("the kernelspec names a provisioner of its own")
    env = dict(os.environ)
    # the kernelspec's variables (the suite's: PATH with .venv/bin), substituted as jupyter_client's provisioner does
    env.update({k: Template(v).safe_substitute(env) for k, v in (spec.env or {}).items()})
    if (spec.language or "").lower().startswith("python"):
        env.pop("PYTHONEXECUTABLE", None)
    return plan_launch(km.format_kernel_cmd(), {"env": env})


def _zygote_key(plan: dict) -> tuple:
    return (tuple(plan["prefix"]), _env_key(plan["env"]), PRELOAD, PROJECT_PRELOAD, PROJECT_PACKAGES)


def _connect_shared(key: tuple) -> ZygoteClient | None:
    """This process's connection to the shared zygote, if there is one for this key (lock held)."""
    global _shared
    if _shared is None or _shared[1] != key:
        return None
    try:
        return ZygoteClient.connect(_shared[0])
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


class ZygoteDied(Exception):
    pass


_BOOT = (
    "import sys\nif sys.path and sys.path[0] == '': del sys.path[0]\n"
    "from cchc.kernels.zygote import main; main(int(sys.argv[1]), sys.argv[2])"
)


class ZygoteClient:
    """This process's end of one zygote: start it (or connect to a shared one), ask it to fork,
    poll and release kernels.

    ``listen``: the zygote also serves other processes that ``connect`` to ``address`` (a socket in
    a private folder); it stops when this client closes. This call then returns at once, without
    waiting for the warm-up: the owner of a shared zygote asks it for nothing.
    """

    address: str | None = None
    folder: str | None = None
    proc: subprocess.Popen | None = None

    def __init__(self, prefix: list[str], env: dict, listen: bool = False):
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        config: dict[str, Any] = {
            "preload": PRELOAD,
            "project": PROJECT_PRELOAD,
            "packages": PROJECT_PACKAGES,
            "never": NEVER_PRELOAD,
        }
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
                [*prefix, "-c", _BOOT, str(theirs.fileno()), json.dumps(config)],
                env=env,
                cwd="/",
                stdin=subprocess.DEVNULL,
                pass_fds=pass_fds,
                start_new_session=True,
            )
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
    def connect(cls, address: str) -> ZygoteClient:
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
        except ZygoteDied as e:
            self.close()
            raise WarmUnavailable(f"zygote did not start ({e}; {what})") from None
        self.pid = hello["pid"]
        self.clean = bool(hello.get("clean"))
        self.notes = hello.get("notes", [])
        self.warm_s = hello.get("seconds")
        log.debug("cchc zygote %s ready in %.2fs (clean=%s) %s", self.pid, self.warm_s or 0, self.clean, self.notes)

    def usable(self) -> bool:
        return not self.dead and (self.proc is None or self.proc.poll() is None)

    def _recv(self, timeout: float) -> dict:
        self.sock.settimeout(timeout)
        try:
            data = self.sock.recv(MAX_REPLY)
        except (TimeoutError, OSError) as e:
            self.dead = True
            raise ZygoteDied(repr(e)) from None
        if not data:
            self.dead = True
            raise ZygoteDied("connection closed")
        return json.loads(data)

    def request(self, msg: dict, fds=()) -> dict:
        with self.lock:
            if self.dead:
                raise ZygoteDied("zygote is gone")
            self.last_id += 1
            msg = {**msg, "id": self.last_id}
            try:
                if fds:
                    socket.send_fds(self.sock, [json.dumps(msg).encode()], list(fds))
                else:
                    self.sock.sendall(json.dumps(msg).encode())
            except OSError as e:
                self.dead = True
                raise ZygoteDied(repr(e)) from None
            while True:
                reply = self._recv(REQUEST_TIMEOUT_S)
                if reply.get("id") == msg["id"]:
                    break
                # The reply to a request that was interrupted (e.g. by an alarm) after it was sent.
                if reply.get("op") == "spawn" and "pid" in reply:
                    kill_group(reply["pid"])  # a kernel nobody knows about
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
            msg = {
                "op": "spawn",
                "module": plan["module"],
                "args": plan["args"],
                "orig_argv": plan["orig_argv"],
                "env": plan["env"],
                "cwd": plan["cwd"],
            }
            pid = self.request(msg, fds)["pid"]
        finally:
            for fd in opened:
                os.close(fd)
        self.live.add(pid)
        return pid

    def poll(self, pid: int) -> int | None:
        try:
            reply = self.request({"op": "poll", "pid": pid})
        except ZygoteDied as e:
            raise WarmUnavailable(str(e)) from None
        if reply.get("unknown"):
            raise WarmUnavailable(f"zygote does not know pid {pid}")
        return reply["status"]

    def release(self, pid: int) -> None:
        self.live.discard(pid)
        try:
            self.request({"op": "release", "pid": pid})
        except (ZygoteDied, WarmUnavailable):
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
