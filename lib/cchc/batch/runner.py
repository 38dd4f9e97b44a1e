"""Annual batches: plan the reports from params/, render what changed on all cores, index the results.

The executor is one replaceable piece: anything with ``run(jobs, fn, workers)`` yielding
(job, fn(job)) pairs as jobs finish (optionally ``start(workers)`` before planning and ``close()``).
``fn`` (``render_job``) renders in memory and returns the files' bytes; the batch process alone
writes them. ``LocalPool`` (a process pool) is the default; ``dask_executor.DaskExecutor`` runs the
same ``fn`` on a Dask cluster (``executor: dask`` in the batch file).
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import hashlib
import json
import os
import shutil
import signal
import sys
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, replace
from functools import partial
from multiprocessing import get_context
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import config, thirdparty
from ..data.provinces import generation_for_year, vi_sort_key
from ..errors import EXIT_CANT_WRITE, EXIT_FAILED, EXIT_OK, BadInput, CantWrite, CchcError
from ..files import report_key, snapshot_folder, write_atomic
from ..render import notebook as render
from . import stamp as batch_stamp
from .index_page import page_name, write_index
from .params import BatchParams, load_batch_params, pool_size
from .portal import write_portal
from .progress import Progress

if TYPE_CHECKING:
    from ..data.dataset import Dataset
    from .years import YearsAsked


@dataclass(frozen=True)
class Job:
    request: render.ReportRequest
    label: str  # what the reader sees: the province's name, or the overview's title
    fingerprint: str  # hash of everything the report is made from


@dataclass
class Outcome:
    name: str
    label: str
    year: int
    status: str  # ok, failed, skipped (no data), unchanged
    reason: str = ""
    seconds: float = 0.0
    formats: tuple[str, ...] = ()
    cant_write: bool = False  # failed because the reports folder is read-only or full (exit 73)


# ------------------------------------------------------------------ planning
def latest_year(ds: Dataset) -> int:
    years = set(ds.indices["year"]) | set(ds.tthc["year"]) | set(ds.unit_rankings["year"])
    return int(max(years))


def plan_batch(bp: BatchParams, ds: Dataset, years: list[int] | None = None) -> tuple[list[Job], list[Outcome]]:
    """Jobs to render and provinces skipped for lack of data, year after year, for one pool; checks every
    parameter first. What does not depend on the year (a province's rows, the tables' hashes, which
    years hold a province's component figures) is computed once for all the years."""
    from ..analysis.metrics import can_report
    from ..analysis.years import results_year, year_with_figures
    from ..fingerprint import code_version

    code = code_version()
    shared = shared_rows(ds)
    tables = table_hashes(ds)
    own_rows: dict[str, str] = {}
    components = component_years(ds)
    if years is None:
        years = [latest_year(ds)] if isinstance(bp.years, str) else list(bp.years)  # str: "latest"
        for year in years:
            try:
                year_with_figures(ds, year)
            except CchcError as e:
                raise bp.problem("years", str(e)) from None
    else:
        years = [year_with_figures(ds, results_year(year)) for year in years]
    jobs, skipped = [], []
    for year in years:
        coverage = year_coverage(ds, year)
        units = _units(bp, ds, year)
        for unit in units:
            if not can_report(ds, unit, year):
                skipped.append(
                    Outcome(
                        unit.slug,
                        unit.name,
                        year,
                        "skipped",
                        "no figures for this year" if bp.lang == "en" else "chưa có số liệu năm này",
                    )
                )
                continue
            req = render.plan_report(unit.slug, year, bp.lang, bp.formats, dataset=ds)
            if unit.slug not in own_rows:
                own_rows[unit.slug] = province_rows(ds, unit)
            jobs.append(
                Job(
                    req,
                    unit.name,
                    _fingerprint(
                        code,
                        req,
                        own_rows[unit.slug] + shared + coverage + national_figures(unit, year, tables, components),
                    ),
                )
            )
        if bp.overview:
            req = render.plan_overview(year, bp.lang, bp.formats, dataset=ds)
            jobs.append(Job(req, req.title, _fingerprint(code, req, ds.data_hash)))
    return jobs, skipped


def _units(bp: BatchParams, ds: Dataset, year: int) -> list:
    """The provinces the batch file asks for in a year, each once however it is written; BadInput naming the
    file, key and item."""
    from ..analysis.metrics import can_report
    from ..data.provinces import Province, ProvinceMerged, UnknownProvince

    if bp.provinces == "all":
        gen = generation_for_year(year)
        return [p for p in ds.registry if p.generation == gen or can_report(ds, p, year)]
    units: dict[str, Province] = {}
    problems, names = [], set()
    for i, name in enumerate(bp.provinces, start=1):
        if name in names:
            continue
        names.add(name)
        try:
            unit = ds.registry.resolve(name, year)
        except (UnknownProvince, ProvinceMerged) as e:
            problems += bp.problem("provinces", f"item {i}: {e}").problems
        else:
            units.setdefault(unit.slug, unit)  # one report a province, however many ways it is written
    if problems:
        raise BadInput(problems)
    return list(units.values())


def province_rows(ds: Dataset, unit) -> str:
    """The province's own data: its rows (and its predecessors') in every table, in file order."""
    slugs = {unit.slug, *unit.predecessors}
    parts = []
    for table in (*ds.rows_by_province, ds.figures_by_province):
        rows = sorted(row for slug in slugs for row in table.get(slug, ()))
        parts.append("\n".join(line for _, line in rows))
    return "\n\n".join(parts)


def shared_rows(ds: Dataset) -> str:
    """The data every province's report reads too: the national and regional means (published and
    computed), the registry."""
    means = ds.all_means.drop(columns=["file", "row"], errors="ignore").to_json(orient="records", force_ascii=False)
    return "\n" + means + "\n" + repr(sorted((p.slug, p.name, p.region, p.successor) for p in ds.registry))


def table_hashes(ds: Dataset) -> dict[tuple[str, int], str]:
    """A hash of every province's figures per (index, year): what a report compares its province with."""
    f = ds.figures.drop(columns=["rows"])
    return {
        (index, int(year)): hashlib.sha256(g.to_json(orient="records", force_ascii=False).encode()).hexdigest()
        for (index, year), g in f.groupby(["index", "year"], sort=True)
    }


def component_years(ds: Dataset) -> dict[str, set[tuple[str, int]]]:
    """Per province, the (index, year) in which it has a component figure: read once per plan."""
    f = ds.figures
    own = f[f["component"].fillna("") != ""]
    found: dict[str, set[tuple[str, int]]] = {}
    for province, index, year in set(zip(own["province"], own["index"], own["year"])):
        found.setdefault(province, set()).add((index, int(year)))
    return found


def national_figures(
    unit, year: int, tables: dict[tuple[str, int], str], components: dict[str, set[tuple[str, int]]]
) -> str:
    """The national tables a province's report compares it with (position, strengths, similar provinces):
    every index in ``year`` and the year before, and each index in the years (and the years before) in
    which the province, or a predecessor, has a component figure up to ``year`` (``component_years``)."""
    from ..data.schema import INDICES

    keys = {(i, y) for i in INDICES for y in (year, year - 1)}
    for slug in {unit.slug, *unit.predecessors}:
        for index, y in components.get(slug, ()):
            if y <= year:
                keys |= {(index, y), (index, y - 1)}
    return "\n" + " ".join(tables.get(k, "") for k in sorted(keys))


def year_coverage(ds: Dataset, year: int) -> str:
    """How complete each index's table of ``year`` is: a report says so for a partial table."""
    t = ds.year_tables
    return "\n" + t[t["year"] == year].drop(columns=["members"]).to_json(orient="records", force_ascii=False)


def _fingerprint(code: str, req: render.ReportRequest, data: str) -> str:
    h = hashlib.sha256()
    for part in (code, repr(req.params), repr(req.formats), data):
        h.update(part.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


# ------------------------------------------------------------------ executing
def render_job(job: Job, cell_timeout: int, report_timeout: int) -> tuple[Outcome, render.Rendered | None]:
    """Execute and export one report in a worker, writing nothing: its outcome and, when there is something
    to write (the report, or a failed report's notebook), its files for the batch process to write.
    Any failure becomes an Outcome, never an exception."""
    req = job.request
    start = time.monotonic()

    def too_long(signum, frame):
        raise TimeoutError(f"report took longer than {report_timeout} s")

    old = signal.signal(signal.SIGALRM, too_long)
    signal.alarm(report_timeout)
    rendered, cant_write = None, False
    try:
        rendered = render.produce_report(req, cell_timeout=cell_timeout, engine=_engine())
        status, reason = ("failed", rendered.error) if rendered.error else ("ok", "")
    except CantWrite as e:
        status, reason, cant_write = "failed", str(e), True
    except CchcError as e:
        status, reason = "failed", str(e)
    except Exception as e:  # a bug or a dead kernel: this report fails, the batch goes on
        status, reason = "failed", f"{type(e).__name__}: {e}"
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    return (
        Outcome(
            req.name, job.label, req.year, status, reason, round(time.monotonic() - start, 2), req.formats, cant_write
        ),
        rendered,
    )


def write_result(job: Job, outcome: Outcome, rendered: render.Rendered | None, out_dir: Path) -> Outcome:
    """In the batch process: write what a worker rendered into the reports folder (whole files only);
    the outcome, with the reason when the report failed or could not be written."""
    if rendered is None:
        return outcome
    try:
        render.write_rendered(rendered, job.request, out_dir)
    except CantWrite as e:
        return replace(outcome, status="failed", reason=str(e), cant_write=True)
    except CchcError as e:  # ReportFailed: the report's own failure, with where its notebook is kept
        return replace(outcome, status="failed", reason=str(e))
    return outcome


def _engine() -> str | None:
    """Batches reuse one kernel per worker (reset between reports); CCHC_REUSE_KERNELS=0 turns it off."""
    if os.environ.get("CCHC_REUSE_KERNELS", "1") == "1":
        from ..kernels.reused import ENGINE_NAME

        return ENGINE_NAME
    return None


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


def _warm_kernels() -> bool:
    return os.environ.get("CCHC_WARM_KERNELS", "1") == "1"  # on by default in batches; 0 turns it off


def _worker_init(parent: int | None = None, own_zygote: bool = False) -> None:
    """``own_zygote``: the worker starts the zygote its kernels fork from (a spawned worker does not
    inherit its parent's shared one)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides; it stops the workers itself
    if parent is not None:
        _die_with_parent(parent)
    if _warm_kernels():
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


class LocalPool:
    """Runs jobs in a local process pool, one worker per core by default.

    ``log``: a file for what kernels and libraries print on stderr (failures are in the summary anyway).
    ``start(workers)`` may come before the jobs are known: the workers then import what rendering
    needs, and the one zygote their kernels are forked from warms up, while the batch plans (neither
    is a kernel). ``close()`` ends a pool that ``run`` did not use.
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
            if forked and _warm_kernels():  # one zygote for all workers, warming up while the batch plans
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
        pool, self.pool = self.pool, None
        if pool is not None:
            for proc in thirdparty.pool_workers(pool):
                with contextlib.suppress(OSError):
                    proc.kill()
            pool.shutdown(wait=True, cancel_futures=True)
        self.start(self.workers)  # the shared zygote is reused (share() keeps a usable one)

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


# ------------------------------------------------------------------ state, lock, index
def _state_path(out_dir: Path, year: int) -> Path:
    return out_dir / str(year) / ".state.json"


def load_state(out_dir: Path, year: int) -> dict:
    try:
        return json.loads(_state_path(out_dir, year).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def save_state(out_dir: Path, year: int, state: dict) -> None:
    write_atomic(_state_path(out_dir, year), json.dumps(state, ensure_ascii=False, indent=1, sort_keys=True))


def up_to_date(job: Job, state: dict, out_dir: Path) -> bool:
    entry = state.get(_key(job.request))
    if not entry or entry.get("status") != "ok" or entry.get("fingerprint") != job.fingerprint:
        return False
    paths = render.output_paths(out_dir, job.request)
    return all(paths[f].exists() for f in ("ipynb", *job.request.formats))  # the kept notebook too


def _key(req: render.ReportRequest) -> str:
    return report_key(req.name, req.lang)


class BatchLock:
    """One batch at a time per reports folder; a second waits, then finds nothing left to do."""

    def __init__(self, out_dir: Path):
        self.path = out_dir / ".batch.lock"

    def __enter__(self):
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.file = open(self.path, "a+")
        except OSError as e:
            raise CantWrite(f"cannot write in {self.path.parent}: {e.strerror or e}") from None
        try:
            fcntl.flock(self.file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"another batch is rendering into {self.path.parent}; waiting for it to finish…", file=sys.stderr)
            fcntl.flock(self.file, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc):
        fcntl.flock(self.file, fcntl.LOCK_UN)
        self.file.close()


def remove_stale_temp_files(out_dir: Path) -> int:
    """Temp files left by a killed run (never a report: reports are renamed into place whole)."""
    n = 0
    for tmp in out_dir.rglob(".*.tmp*"):
        tmp.unlink(missing_ok=True)
        n += 1
    return n


# ------------------------------------------------------------------ the batch
def run_batch(
    params_path: Path | None = None,
    year: int | None = None,
    out_dir: Path | None = None,
    executor=None,
    progress: bool = True,
    scheduler: str | None = None,
    years: YearsAsked | None = None,
) -> int:
    """Plan, render what changed, write the index pages and a summary; exit code 1 if anything failed.

    Everything the batch file asks for is checked while planning, before the folder is touched or
    any kernel starts. ``scheduler``: a Dask scheduler's address, instead of the batch file's executor.
    ``years`` (``--years``: a range, a list or all), instead of ``year`` or the batch file's years: every
    year in one plan and one pool, each year's state and index page kept in its own folder.
    """
    from ..analysis.years import results_year

    out_dir = Path(out_dir or config.reports_dir())
    year = results_year(year) if year is not None else None
    stamp_key = batch_stamp.inputs_hash(params_path, years.text if years else year, out_dir)
    bp = load_batch_params(params_path)
    if scheduler is not None:
        bp = replace(bp, executor="dask", scheduler=scheduler)
    with data_snapshot():
        executor = executor or make_executor(bp, out_dir)
        if hasattr(executor, "start"):  # workers import papermill and nbconvert while the data is loaded
            executor.start(pool_size(bp.workers, None if years else bp.most_reports(year)))
        try:
            return _run_planned(bp, year, out_dir, stamp_key, executor, progress, years)
        finally:
            if hasattr(executor, "close"):
                executor.close()


@contextlib.contextmanager
def data_snapshot():
    """The whole batch (its plan, workers and kernels) reads one copy of data/, taken when it starts and
    while no import is writing: an import during the batch changes none of its reports; the next batch
    renders what the import changed."""
    source = config.data_dir()
    if not source.is_dir():
        yield
        return
    from ..data.dataset import BATCH_COPY

    copy = snapshot_folder(source)
    settings = {"CCHC_DATA_DIR": str(copy), BATCH_COPY: str(copy / ".dataset.pickle")}
    before = {name: os.environ.get(name) for name in settings}
    os.environ.update(settings)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        shutil.rmtree(copy, ignore_errors=True)


def make_executor(bp: BatchParams, out_dir: Path):
    """The executor the batch file asks for: this machine's process pool, or a Dask cluster."""
    if bp.executor == "dask":
        from .dask_executor import DaskExecutor

        return DaskExecutor(bp.scheduler)
    return LocalPool(
        out_dir / ".kernels.log",
        hung_after=bp.report_timeout + HUNG_GRACE,
        on_hung=partial(hung_outcome, report_timeout=bp.report_timeout),
    )


HUNG_GRACE = 30  # seconds past report_timeout before the batch kills a worker whose own alarm did not end the report


def hung_outcome(job: Job, seconds: float, report_timeout: int) -> tuple[Outcome, None]:
    """A report whose worker did not answer within its time (stopped, or stuck where its alarm cannot reach):
    failed, the worker killed and replaced."""
    req = job.request
    reason = (
        f"report took longer than {report_timeout} s and its worker did not answer: the worker was stopped and replaced"
    )
    return Outcome(req.name, job.label, req.year, "failed", reason, seconds, req.formats), None


def _run_planned(bp, year, out_dir, stamp_key, executor, progress, years_asked=None) -> int:
    """Load, plan (every check), then under the folder's lock render what changed, index, stamp."""
    from ..data.dataset import load_dataset, save_batch_copy

    ds = load_dataset()
    asked = years_asked.resolve(ds) if years_asked is not None else [year] if year else None
    jobs, skipped = plan_batch(bp, ds, asked)
    save_batch_copy(ds)  # planned: the national tables are computed once, for every report's kernel
    years = sorted({j.request.year for j in jobs} | {s.year for s in skipped})
    with BatchLock(out_dir):
        batch_stamp.remove_stamp(out_dir)
        remove_stale_temp_files(out_dir)
        states = {y: load_state(out_dir, y) for y in years}
        todo = [j for j in jobs if not up_to_date(j, states[j.request.year], out_dir)]
        outcomes = [
            Outcome(j.request.name, j.label, j.request.year, "unchanged", formats=j.request.formats)
            for j in jobs
            if j not in todo
        ]
        if todo:
            _byte_compile_suite()
            outcomes += _render_all(todo, bp, out_dir, states, executor, progress)
        for y in years:
            write_index(out_dir / str(y), y, [o for o in outcomes + skipped if o.year == y], states[y], bp.lang, ds)
        write_portal(out_dir, bp.lang)  # every year's reports in the folder, and the year pages' links to them
        if not any(o.status == "failed" for o in outcomes):
            unchanged = [dataclasses.replace(o, status="unchanged") if o.status == "ok" else o for o in outcomes]
            batch_stamp.write_stamp(
                out_dir,
                stamp_key,
                summary(unchanged + skipped, 0, out_dir, bp.lang),
                batch_stamp.output_files(out_dir, [j.request for j in jobs]),
            )
    print(summary(outcomes + skipped, len(todo), out_dir, bp.lang))
    if any(o.cant_write for o in outcomes):
        print(f"cchc: cannot write the reports in {out_dir}: free some space or make it writable", file=sys.stderr)
        return EXIT_CANT_WRITE
    return EXIT_FAILED if any(o.status == "failed" for o in outcomes) else EXIT_OK


def _byte_compile_suite() -> None:
    """Write lib/cchc's bytecode now (as pip does for installed packages): every report's kernel
    imports the suite afresh, and would otherwise compile it each time when Python is told not to
    write bytecode (PYTHONDONTWRITEBYTECODE). A read-only folder only loses the saving."""
    import compileall

    with contextlib.suppress(Exception):
        compileall.compile_dir(str(Path(__file__).parents[1]), quiet=2)


def _render_all(todo, bp, out_dir, states, executor, progress) -> list[Outcome]:
    for year in sorted({j.request.year for j in todo}):  # a folder we cannot write in: said before any kernel
        render.check_writable(out_dir / str(year))
    fn = partial(render_job, cell_timeout=bp.cell_timeout, report_timeout=bp.report_timeout)
    outcomes = []
    shown = Progress(len(todo), enabled=progress)
    for job, (outcome, rendered) in executor.run(todo, fn, pool_size(bp.workers, len(todo))):
        outcome = write_result(job, outcome, rendered, out_dir)
        outcomes.append(outcome)
        year_state = states[job.request.year]
        year_state[_key(job.request)] = {
            "fingerprint": job.fingerprint if outcome.status == "ok" else "",
            "status": outcome.status,
            "reason": outcome.reason,
            "label": job.label,
            "formats": list(job.request.formats),
            "seconds": outcome.seconds,
            "date": run_date(),
        }
        save_state(out_dir, job.request.year, year_state)
        shown.step(job.request.year, job.request.name, outcome.status)
    shown.close()
    return outcomes


def run_date() -> str:
    """Today (ISO), the day a report was made, shown on the index page; SOURCE_DATE_EPOCH, when set, fixes it
    (reproducible builds' convention)."""
    import datetime as dt

    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date().isoformat()
    return dt.date.today().isoformat()


def summary(outcomes: list[Outcome], rendered: int, out_dir: Path | None = None, lang: str = "vi") -> str:
    """What a batch did: the counts, then per year where to open it, what was skipped and what failed."""
    counts = {s: sum(o.status == s for o in outcomes) for s in ("ok", "unchanged", "skipped", "failed")}
    lines = [
        f"rendered {rendered}: {counts['ok']} ok, {counts['failed']} failed; "
        f"{counts['unchanged']} unchanged; {counts['skipped']} skipped (no data)"
    ]
    for year in sorted({o.year for o in outcomes}):
        of_year = [o for o in outcomes if o.year == year]
        if out_dir is not None:
            lines.append(f"{year}: open {_shown_path(Path(out_dir) / page_name(year, lang))}")
        skipped = sorted((o.label for o in of_year if o.status == "skipped"), key=vi_sort_key)
        if skipped:
            lines.append(f"  skipped, no figures for {year} ({len(skipped)}): {', '.join(skipped)}")
        for o in sorted((o for o in of_year if o.status == "failed"), key=lambda o: o.name):
            lines.append(f"  FAILED {o.year} {o.name}: {o.reason}")
    return "\n".join(lines)


def _shown_path(path: Path) -> str:
    """A path as the user can type it from here: relative when it is below the working directory."""
    relative = os.path.relpath(path)
    return path.as_posix() if relative.startswith("..") else relative
