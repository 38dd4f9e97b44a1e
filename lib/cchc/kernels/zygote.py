"""Inside the zygote: warm up (import the libraries a report kernel imports), then fork kernels on
request until the process that started it goes. Standard library only: it runs before any library."""

from __future__ import annotations

import json
import os
import signal
import socket
import sys
import time

from .forked_kernel import run_kernel

INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
MAX_REQUEST = 1 << 20  # a spawn request carries the kernel's environment
MAX_REPLY = 1 << 16


def kill_group(pid: int) -> None:
    for kill in (os.killpg, os.kill):
        try:
            kill(pid, signal.SIGKILL)
            return
        except OSError:
            pass


def main(fd: int, config_json: str) -> None:
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
    except BaseException as e:
        clean, notes = False, [f"warm-up failed: {e!r}"]
    # Variables the imports set (debugpy sets PYDEVD_USE_FRAME_EVAL): kernels get them too.
    env_set = {k: v for k, v in os.environ.items() if env_before.get(k) != v}
    env_unset = [k for k in env_before if k not in os.environ]
    import gc

    gc.collect()
    gc.freeze()  # kernels then do not copy the warm pages when their GC runs
    hello = {"pid": os.getpid(), "clean": clean, "notes": notes, "seconds": round(time.monotonic() - started, 3)}
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
        warnings.showwarning = lambda message, category, filename, lineno, file=None, line=None: self.shown.append(
            f"{category.__name__}: {message} ({filename}:{lineno})"
        )
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
            except Exception:
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
            except Exception as e:
                notes.append(f"preload {name}: {type(e).__name__}: {e}")
    problems += cap.problems("preload")

    # Learn the libraries the project's modules import, in a throw-away fork.
    extra = _probe_project(config) if not problems else []
    if isinstance(extra, str):
        notes.append(extra)
        extra = []
    with _Capture() as cap:
        for name in extra:
            if _is_ours(name, config["packages"]) or _is_ours(name, never) or name in sys.modules or name == "__main__":
                continue
            try:
                importlib.import_module(name)
            except Exception as e:
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
                    except Exception:
                        pass
            problems = cap.problems("project modules")
            new = (
                []
                if problems
                else [
                    n
                    for n, m in list(sys.modules.items())
                    if n not in before and m is not None and getattr(m, "__name__", None) == n
                ]
            )
            with os.fdopen(w, "wb") as f:
                f.write(json.dumps({"modules": new, "problems": problems}).encode())
        except BaseException:
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


def _serve(
    owner: socket.socket,
    listener: socket.socket | None,
    hello: bytes,
    fresh_signals: dict,
    env_set: dict,
    env_unset: list,
    folder: str | None = None,
) -> None:
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
                kill_group(pid)
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
                data, fds, _flags, _addr = socket.recv_fds(conn, MAX_REQUEST, 8)
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
    except Exception as e:
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
            kill_group(pid)
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
        code = run_kernel(socks, msg, fds, fresh_signals, zygote_pid)
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except BaseException:
        try:
            import traceback

            traceback.print_exc()
            sys.stderr.flush()
        except BaseException:
            pass
    finally:
        os._exit(code)
