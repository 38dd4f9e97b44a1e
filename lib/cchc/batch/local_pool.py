"""The default executor: ``LocalPool``, a process pool on this machine, one worker per core by default, and
what runs in its workers (set-up, imports ahead of the first report, the log of what kernels print).
A Dask worker renders in a ``LocalPool`` of one process too (``dask_executor``)."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from .. import thirdparty
from .executor import Executor


def _die_with_parent(parent: int) -> None:
    """SIGTERM this worker when the batch process dies (even by SIGKILL): an orphan worker would go on
    rendering, and would keep the batch lock (its inherited descriptor) so the next batch waits forever."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM, 0, 0, 0)  # PR_SET_PDEATHSIG (Linux)
    except (OSError, AttributeError):  # not Linux: the pool's own shutdown is all there is
        return
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def warm_kernels() -> bool:
    # Opt-in (CCHC_WARM_KERNELS=1): with kernel reuse on it saves under 5 % (docs/DEVELOPING.md, "The kernel parts").
    return os.environ.get("CCHC_WARM_KERNELS", "0") == "1"


def _worker_init(parent: int | None = None, own_zygote: bool = False) -> None:
    """``own_zygote``: the worker starts the zygote its kernels fork from (a spawned worker does not
    inherit its parent's shared one)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides; it stops the workers itself
    if parent is not None:
        _die_with_parent(parent)
    if warm_kernels():
        from ..kernels import warm as warm_kernel

        warm_kernel.enable()
        if own_zygote:
            warm_kernel.share()  # warms up while this worker imports what rendering needs


def _preload() -> None:
    """Import what rendering needs (papermill, nbclient, nbconvert) while the batch is still planning.
    Nothing else: no kernel starts and the reports folder is not touched before the plan is checked."""
    with contextlib.suppress(Exception):  # the first report meets the same problem and reports it
        import papermill  # noqa: F401

        from ..kernels import reused as reused_kernel  # noqa: F401
        from ..render import exporters  # noqa: F401
    import gc

    gc.freeze()  # the imported libraries are not scanned again by each full collection


_logging_to: str | None = None


def _run_job(fn, log: str | None, job):
    """Run one job; the first one in a worker sends what kernels print on stderr to the batch's log."""
    global _logging_to
    if log and _logging_to != log:
        try:
            fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        except OSError:
            fd = None  # a read-only or full folder: keep stderr; the render reports the real problem
        if fd is not None:
            os.dup2(fd, 2)
            os.close(fd)
        _logging_to = log
    return fn(job)


class LocalPool(Executor):
    """Runs jobs in a local process pool, one worker per core by default.

    ``log``: a file for what kernels and libraries print on stderr (failures are in the summary anyway).
    ``start(workers)`` may come before the jobs are known: the workers then import what rendering
    needs (and, with CCHC_WARM_KERNELS=1, the one zygote their kernels are forked from warms up) while the
    batch plans (neither is a kernel). ``close()`` ends a pool that ``run`` did not use.
    ``start_method``: "fork" (the workers share one zygote), or "spawn" for a pool started from a
    process that runs threads (a Dask worker), where a fork can copy a lock another thread holds and
    hang; a spawned worker starts its own zygote.
    ``hung_after``: a job whose result has not come that many seconds after it was given to a worker (one job a
    worker at a time) is taken as hung (a stopped worker, or one stuck where its own alarm cannot reach): every
    worker is killed and replaced, ``on_hung(job, seconds)`` is its result, and the other jobs cut short are
    run again.
    """

    def __init__(
        self,
        log: Path | None = None,
        start_method: str = "fork",
        hung_after: float | None = None,
        on_hung: Callable[[Any, float], Any] | None = None,
    ):
        self.log = log
        self.start_method = start_method
        self.pool: ProcessPoolExecutor | None = None
        self.shared_zygote = False  # started one for this pool's workers: stopped with them
        self.hung_after = hung_after  # seconds after which a job's worker is taken as hung (None: never)
        self.on_hung = on_hung  # (job, seconds) -> the result given for a job whose worker was killed
        self.workers = 0

    def start(self, workers: int) -> None:
        if self.pool is None:
            self.workers = workers  # jobs given at once: one a worker of this pool
            forked = self.start_method == "fork"
            if forked and warm_kernels():  # one zygote for all workers, warming up while the batch plans
                from ..kernels import warm as warm_kernel

                self.shared_zygote = warm_kernel.share()
            self.pool = ProcessPoolExecutor(
                max_workers=workers,
                mp_context=get_context(self.start_method),
                initializer=_worker_init,
                initargs=(os.getpid(), not forked),
            )
            for _ in range(workers):
                self.pool.submit(_preload)

    def run(self, jobs, fn, workers: int):
        if self.log:
            with contextlib.suppress(OSError):
                Path(self.log).write_text("", encoding="utf-8")  # one batch's log at a time
        self.start(workers)
        queue = list(jobs)
        running: dict[Future, tuple[Any, float]] = {}  # at most one job a worker: each started when submitted
        try:
            while queue or running:
                while queue and len(running) < self.workers:
                    job = queue.pop(0)
                    running[self.submit(fn, job)] = (job, time.monotonic())
                done, _ = wait(running, timeout=self._until_hung(running), return_when=FIRST_COMPLETED)
                for fut in done:
                    yield running.pop(fut)[0], fut.result()
                hung = [fut for fut, (_, since) in running.items() if self._is_hung(since)]
                if hung:
                    for fut in hung:
                        job, since = running.pop(fut)
                        yield job, self.on_hung(job, round(time.monotonic() - since, 2))  # type: ignore[misc]
                    queue[:0] = [job for job, _ in running.values()]  # cut short with the pool: rendered again
                    running.clear()
                    self._replace_workers()
        finally:
            pool, self.pool = self.pool, None
            if pool is not None:
                self._end(pool, terminate=sys.exc_info()[0] is not None)

    def _until_hung(self, running: dict[Future, tuple[Any, float]]) -> float | None:
        """Seconds until the first running job is taken as hung (None: wait for a result however long)."""
        if self.hung_after is None or self.on_hung is None or not running:
            return None
        return max(0.0, min(since for _, since in running.values()) + self.hung_after - time.monotonic())

    def _is_hung(self, since: float) -> bool:
        return self.hung_after is not None and self.on_hung is not None and time.monotonic() - since > self.hung_after

    def _replace_workers(self) -> None:
        """Kill every worker of the pool (SIGKILL: a stopped process ignores anything else until continued) and
        start a new pool; the shared zygote stays."""
        self.kill()
        pool, self.pool = self.pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        self.start(self.workers)  # the shared zygote is reused (share() keeps a usable one)

    def kill(self) -> None:
        """SIGKILL every worker of the pool (a stopped process ignores anything else until continued); the jobs they
        run fail with BrokenProcessPool, ``close()`` ends the pool."""
        for proc in thirdparty.pool_workers(self.pool) if self.pool is not None else []:
            with contextlib.suppress(OSError):
                proc.kill()

    def submit(self, fn, job) -> Future:
        """``fn(job)`` on one of the started pool's workers: a Future of its result."""
        assert self.pool is not None, "start() makes the pool"
        return self.pool.submit(_run_job, fn, str(self.log) if self.log else None, job)

    def close(self) -> None:
        pool, self.pool = self.pool, None
        if pool is not None:  # started, never used (nothing to render, or the plan was refused)
            self._end(pool, terminate=True)

    def _end(self, pool: ProcessPoolExecutor, terminate: bool) -> None:
        """End the workers, then the zygote they shared."""
        _shutdown(pool, terminate)
        if self.shared_zygote:
            from ..kernels import warm as warm_kernel

            warm_kernel.stop_shared()
            self.shared_zygote = False


def _shutdown(pool: ProcessPoolExecutor, terminate: bool) -> None:
    """End a pool; ``terminate`` stops its workers at once instead of letting them finish."""
    if terminate:
        for proc in thirdparty.pool_workers(pool):
            if proc.is_alive():
                proc.terminate()
    pool.shutdown(wait=True, cancel_futures=True)
