"""Inside a kernel forked from the zygote: become what ``python -m ipykernel_launcher`` would have
started (session, signals, standard streams, environment, argv), run the kernel, end like an interpreter."""

from __future__ import annotations

import os
import signal
import sys

from .. import thirdparty


def _set_pdeathsig(sig: int) -> bool:
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(1, int(sig), 0, 0, 0) == 0  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return False


def run_kernel(socks, msg, fds, fresh_signals, zygote_pid) -> int:
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
    sys.argv = [spec.origin if spec is not None and spec.origin else msg["module"], *msg["args"]]
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
    thirdparty.finalize_like_interpreter()
    for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
        try:
            if stream is not None:
                stream.flush()
        except Exception:
            pass
    return code
