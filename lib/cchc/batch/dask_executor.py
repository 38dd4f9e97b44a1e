"""The batch on a Dask cluster (``executor: dask``): the same reports, byte for byte, from other machines.

``DaskExecutor`` is the batch's ``executor.Executor`` on ``dask.distributed``: ``start``, ``run`` and
``close`` as ``LocalPool`` has them. Each job goes to a Dask worker, which renders it exactly as a
local batch worker does, with the same code: ``jobs.render_job`` in a ``LocalPool`` of one process
started by the Dask worker (the report timeout, one kernel kept and reset between reports; with
CCHC_WARM_KERNELS=1, kernels forked from a warm zygote). That process is spawned, not forked: a Dask
worker runs threads, and a fork can copy a lock one of them holds (seen here: a render process hung
at its first import).
What it made (HTML, PDF, the executed notebook, the outcome) comes back as
bytes; only the batch process writes reports/, so the workers need no shared file system.

- No scheduler: a ``LocalCluster`` of the batch's workers (one thread each), listening on 127.0.0.1
  only, without a dashboard, stopped at the end of the batch.
- A worker must have the suite's code, the data and the rendering libraries the batch process has
  (``fingerprint.suite_versions``): checked on every worker before the first job, and by each job on
  the worker that runs it. A worker that differs is refused, saying what differs; nothing is mixed.
- A worker that dies mid-report loses that report only: the scheduler gives it to another worker; a
  report whose second try dies too is reported failed (each try is counted in the task's metadata on
  the scheduler).
- A scheduler that does not answer within CONNECT_TIMEOUT_S: ``Unavailable`` (exit 69), naming it.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import queue
import signal
import sys
import threading
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from typing import TYPE_CHECKING

import click

from .. import config, thirdparty
from ..errors import Misconfigured, Unavailable
from ..fingerprint import suite_versions, version_differences
from .executor import Executor
from .jobs import failed, hung_reason

if TYPE_CHECKING:
    from distributed import Client, LocalCluster

CONNECT_TIMEOUT_S = 10
TRIES = 2  # a report is rendered once, and once more on another worker if the first one died


class DaskExecutor(Executor):
    """Runs the batch's jobs on a Dask cluster: the scheduler at ``scheduler``, or a LocalCluster."""

    def __init__(self, scheduler: str | None = None, report_timeout: int | None = None, hung_grace: int = 0):
        self.scheduler = scheduler
        self.report_timeout = report_timeout  # a render process silent past it (+ hung_grace) is killed
        self.hung_grace = hung_grace
        self.client: Client | None = None
        self.cluster: LocalCluster | None = None
        self.versions: dict[str, str] = {}
        self._starting: Future | None = None

    def start(self, workers: int) -> None:
        """Connect to the scheduler, failing fast when it does not answer; or start a LocalCluster of
        ``workers`` processes in the background. Either way the workers then start their render
        process and its warm zygote while the batch plans."""
        if self.client is not None or self._starting is not None:
            return
        self.versions = suite_versions()
        if self.scheduler is None:  # its processes start while the batch plans
            starter = ThreadPoolExecutor(1, thread_name_prefix="cchc-cluster")
            self._starting = starter.submit(self._start_local, workers)
            starter.shutdown(wait=False)  # its thread ends when the cluster is up
        else:
            self._connect(self.scheduler)

    def _start_local(self, workers: int) -> None:
        self.cluster = _local_cluster(workers)
        self._connect(self.cluster)

    def _connect(self, to) -> None:
        from distributed import Client

        try:
            client = Client(to, timeout=f"{CONNECT_TIMEOUT_S}s", set_as_default=False)
        except (OSError, TimeoutError) as e:
            raise Unavailable(
                f"cannot reach the Dask scheduler at {getattr(to, 'scheduler_address', to)}: {e}. "
                "Is `dask scheduler` running there? Check the address (--scheduler, or "
                "'scheduler:' in the batch file)"
            ) from None
        self.client = client
        client.run(_prepare_worker)

    def _ready(self) -> None:
        starting, self._starting = self._starting, None
        if starting is not None:
            starting.result()

    def run(self, jobs, fn, workers: int):
        """Yield (job, fn(job)) as the jobs finish on the cluster's workers."""
        from distributed import as_completed

        self.start(workers)
        self._ready()
        client = self.client
        assert client is not None, "start() connects"
        self._check_workers(client)
        if not client.scheduler_info().get("workers"):
            print(
                f"no Dask worker is connected to {client.scheduler.address}; waiting for one "
                "(start `dask worker <address>` on the machines that render)…",
                file=sys.stderr,
            )
        batch = uuid.uuid4().hex[:12]
        futures = {}
        for i, job in enumerate(jobs):
            key = f"cchc-{batch}-{i}-{job.request.name}-{job.request.year}"
            timeouts = (self.report_timeout, self.hung_grace)
            futures[client.submit(_render_on_worker, fn, job, self.versions, key, *timeouts, key=key, pure=False)] = job
        results: queue.Queue = queue.Queue()
        collecting = threading.Thread(
            target=_collect, args=(as_completed(list(futures), loop=client.loop), dict(futures), results), daemon=True
        )
        collecting.start()
        try:
            while futures:
                item = results.get()  # Ctrl-C lands here, never inside a call to the Dask client
                if isinstance(item, BaseException):
                    raise item
                future, job, result = item
                del futures[future]
                yield job, result
        finally:
            if futures:  # interrupted: the rest is not wanted any more
                with contextlib.suppress(Exception):
                    client.cancel(list(futures), force=True)

    def close(self) -> None:
        """Disconnect; stop the LocalCluster if this executor started it (the render processes first: a
        process the cluster kills leaves its semaphores behind, and a warning)."""
        with contextlib.suppress(Exception):
            self._ready()
        client, self.client = self.client, None
        cluster, self.cluster = self.cluster, None
        with contextlib.suppress(Exception):
            if client is not None and cluster is not None:  # before the workers go, which may be abrupt
                client.run(_stop_render_process)
        with contextlib.suppress(Exception):
            if client is not None:
                client.close()
        with contextlib.suppress(Exception):
            if cluster is not None:
                cluster.close()

    def _check_workers(self, client: Client) -> None:
        """Refuse the batch when a connected worker would render from other code, data or libraries."""
        try:
            theirs = client.run(suite_versions)
        except Exception as e:
            raise Misconfigured(f"the Dask workers could not report their version of the suite: {e}") from None
        problems = []
        for worker, versions in sorted(theirs.items()):
            differences = version_differences(self.versions, versions)
            if differences:
                problems.append(f"  {worker}: " + "; ".join(differences))
        if problems:
            raise Misconfigured(
                "these Dask workers have other code, data or libraries than this batch (here = "
                "the batch, there = the worker); install the same on every worker:\n" + "\n".join(problems)
            )


def _collect(finished, jobs: dict, results: queue.Queue) -> None:
    """Put (future, job, (outcome, rendered)) on ``results`` as the cluster's futures finish (an error instead, if
    one comes). Run in a thread of its own, so that a Ctrl-C, which Python delivers to the main thread, never lands
    inside the Dask client's own waiting: distributed's ``sync`` then logs a NameError traceback (its ``cancel``
    reads a future not yet assigned) after "cchc: interrupted"."""
    try:
        for future in finished:
            job = jobs[future]
            result = _result(future, job)
            future.release()
            results.put((future, job, result))
    except BaseException as e:  # the batch process reports it (a thread's own traceback would go to stderr)
        results.put(e)


def _local_cluster(workers: int):
    """A LocalCluster on this machine: one process and one thread per worker, on the loopback
    interface only, no dashboard; quiet unless something goes wrong."""
    from distributed import LocalCluster

    return LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        silence_logs=logging.ERROR,
        # the scheduler's small HTTP server (health, metrics): any free port, loopback
        scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
        preload=[__name__],
        preload_argv=["--interrupts-to-batch"],
    )


def _result(future, job):
    """The job's (outcome, rendered), or a failed outcome saying why the cluster gave none."""
    if future.status == "finished":
        return future.result()
    try:
        error = future.exception()
        reason = f"{type(error).__name__}: {error}"
    except Exception as e:
        reason = f"lost by the Dask cluster ({type(e).__name__}: {e})"
    if "KilledWorker" in reason:
        reason = f"the Dask workers rendering it died ({reason})"
    return failed(job, reason)


# ------------------------------------------------------------------ in a Dask worker
@click.command()
@click.option(
    "--interrupts-to-batch",
    is_flag=True,
    help="ignore Ctrl-C: the batch that started this worker stops it (LocalCluster)",
)
def dask_setup(worker, interrupts_to_batch: bool) -> None:
    """Dask's worker preload (``dask worker --preload cchc.batch.dask_executor``): start the render process
    and its warm zygote as the worker starts, not on its first report."""
    if interrupts_to_batch and threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    _prepare_worker()


def dask_teardown(worker) -> None:
    """Dask's worker preload teardown: end the render process, its kernel and zygote with the worker."""
    _stop_render_process()


_lock = threading.Lock()
_thread: ThreadPoolExecutor | None = None
_pool = None  # local_pool.LocalPool of one process: renders as a local batch worker does
_stopped = False  # the batch stopped the render process: none starts until a batch connects again


def _prepare_worker() -> None:
    """Start the render process (and its warm zygote) now, not on the first report (runs in the
    worker's event loop: only hands the work to the render thread)."""
    global _stopped
    with _lock:
        _stopped = False  # a new batch: a render process may start again
    _render_thread().submit(_local_pool)


def _render_on_worker(
    fn, job, expected: dict[str, str], key: str, report_timeout: int | None = None, hung_grace: int = 0
):
    """A Dask task: check this worker renders as the batch would, count the try, render in the
    worker's render process; (outcome, rendered) as ``jobs.render_job`` gives them."""
    from distributed import get_worker

    worker = get_worker().address
    differences = version_differences(expected, suite_versions())
    if differences:
        return failed(
            job,
            f"Dask worker {worker} has other code, data or libraries than the batch: "
            + "; ".join(differences)
            + " (install the same on every worker)",
        )
    earlier = _count_try(key, worker)
    if len(earlier) >= TRIES:
        return failed(job, f"the Dask workers rendering it died ({', '.join(earlier)})")
    notebook = config.notebooks_dir() / job.request.notebook.name  # this machine's copy (checked equal)
    job = replace(job, request=replace(job.request, notebook=notebook))
    return _render_thread().submit(_render_here, fn, job, worker, report_timeout, hung_grace).result()


def _count_try(key: str, worker: str) -> list[str]:
    """The workers that tried this job before (they died: a finished try returns); records this one.
    Kept in the scheduler's metadata of the task itself, which the scheduler drops with the task."""
    from distributed import get_client

    client = get_client()
    earlier = list(client.get_metadata([key, "cchc-tries"], default=[]))
    client.set_metadata([key, "cchc-tries"], [*earlier, worker])
    return earlier


def _render_thread() -> ThreadPoolExecutor:
    """The one thread that starts the render process and waits for it. Not a Dask thread: the render
    process and the zygote die with the thread that started them (PR_SET_PDEATHSIG), so it must live
    as long as the worker."""
    global _thread
    with _lock:
        if _thread is None:
            _thread = ThreadPoolExecutor(1, thread_name_prefix="cchc-render")
            atexit.register(_stop_pool)
        return _thread


def _local_pool():
    """This worker's render process, started if need be (in the render thread)."""
    global _pool
    with _lock:
        if _stopped:
            raise _Stopped
    if _pool is None:
        from .local_pool import LocalPool

        pool = LocalPool(start_method="spawn")  # no log file: kernels print to the Dask worker's own log
        with thirdparty.children_allowed():
            pool.start(1)
        with _lock:
            stopped = _stopped
            if not stopped:
                _pool = pool
        if stopped:  # the batch stopped the worker's render process while this one started
            pool.close()
            raise _Stopped
    return _pool


class _Stopped(Exception):
    """The batch has stopped this worker's render process: no new one starts until the next batch connects."""


def _render_here(fn, job, worker: str, report_timeout: int | None = None, hung_grace: int = 0):
    """Render in this worker's render process. One that gives no answer within ``report_timeout`` + ``hung_grace``
    (stopped, or stuck where its own alarm cannot reach) is killed: the report fails, a new process renders the
    next one."""
    try:
        pool = _local_pool()
    except _Stopped:  # a report the stopping batch no longer wants (its outcome is not read)
        return failed(job, f"the batch stopped the render process of Dask worker {worker}")
    try:
        return pool.submit(fn, job).result(timeout=None if report_timeout is None else report_timeout + hung_grace)
    except BrokenProcessPool:  # the render process died (killed, out of memory): a new one next time
        _stop_pool()
        return failed(job, f"the process rendering it on Dask worker {worker} died")
    except TimeoutError:  # only with a report_timeout
        assert report_timeout is not None
        pool.kill()
        _stop_pool()
        return failed(job, f"{hung_reason(report_timeout, 'render process')} (Dask worker {worker})")


def _stop_pool() -> None:
    global _pool
    with _lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.close()


def _stop_render_process() -> None:
    """End this worker's render process, its kernel and zygote at once (the worker itself goes on). A report
    in progress is cut short, not waited for: the batch stopping it no longer wants it, and a cluster that
    ends the worker meanwhile would leave the render process's semaphores behind. Nor does a new one start for a
    report the worker still had queued (it would be killed with the worker, and leave the same)."""
    global _stopped
    with _lock:
        _stopped = True
    _stop_pool()
