"""Annual batches: plan the reports from params/, render what changed on all cores, index the results.

The steps, each in its module: ``plan`` (the jobs and their fingerprints, every parameter checked),
``executor`` (the interface of what runs ``jobs.render_job`` on each job: ``local_pool.LocalPool``, the
default, or ``dask_executor.DaskExecutor``), ``state`` (``.state.json`` per year, the folder's lock) and
``write`` (the batch process alone writes the files the workers rendered). This module runs them in order.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import shutil
import sys
from collections.abc import Iterator
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from .. import config
from ..data.provinces import vi_sort_key
from ..errors import EXIT_CANT_WRITE, EXIT_FAILED, EXIT_OK
from ..files import snapshot_folder
from ..render import notebook as render
from . import stamp as batch_stamp
from .executor import Executor
from .index_page import page_name, write_index
from .jobs import Job, Outcome, Result, failed, hung_reason, render_job, running_order
from .local_pool import LocalPool
from .params import BatchParams, load_batch_params, pool_size
from .plan import plan_batch
from .portal import write_portal
from .progress import Progress
from .state import BatchLock, load_state, record, save_state, up_to_date
from .write import remove_stale_temp_files, write_result

if TYPE_CHECKING:
    from .years import YearsAsked


def run_batch(
    params_path: Path | None = None,
    year: int | None = None,
    out_dir: Path | None = None,
    executor: Executor | None = None,
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
    with data_snapshot() as source:
        executor = executor or make_executor(bp, out_dir)
        # the workers import papermill and nbconvert while the data is loaded
        executor.start(pool_size(bp.workers, None if years else bp.most_reports(year, _registry())))
        try:
            return _run_planned(bp, year, out_dir, stamp_key, executor, progress, years, source)
        finally:
            executor.close()


@contextlib.contextmanager
def data_snapshot() -> Iterator[Path | None]:
    """The whole batch (its plan, workers and kernels) reads one copy of data/, taken when it starts and
    while no import is writing: an import during the batch changes none of its reports; the next batch
    renders what the import changed."""
    source = config.data_dir()
    if not source.is_dir():
        yield None
        return
    from ..data.dataset import BATCH_COPY

    copy = snapshot_folder(source)
    settings = {"CCHC_DATA_DIR": str(copy), BATCH_COPY: str(copy / ".dataset.pickle")}
    before = {name: os.environ.get(name) for name in settings}
    os.environ.update(settings)
    try:
        yield source
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        shutil.rmtree(copy, ignore_errors=True)


def _registry():
    """The province registry of the batch's data snapshot, to size its pool before planning (None if unreadable:
    the plan says why)."""
    from ..data.provinces import load_registry

    with contextlib.suppress(Exception):
        return load_registry(config.data_dir())
    return None


def make_executor(bp: BatchParams, out_dir: Path) -> Executor:
    """The executor the batch file asks for: this machine's process pool, or a Dask cluster."""
    if bp.executor == "dask":
        from .dask_executor import DaskExecutor

        return DaskExecutor(bp.scheduler, bp.report_timeout, bp.hung_grace)
    return LocalPool(
        out_dir / ".kernels.log",
        hung_after=bp.report_timeout + bp.hung_grace,
        on_hung=partial(hung_outcome, report_timeout=bp.report_timeout),
    )


def hung_outcome(job: Job, seconds: float, report_timeout: int) -> Result:
    """A report whose worker did not answer within its time (stopped, or stuck where its alarm cannot reach):
    failed, the worker killed and replaced."""
    return failed(job, hung_reason(report_timeout), seconds)


def _run_planned(bp, year, out_dir, stamp_key, executor, progress, years_asked=None, source=None) -> int:
    """Load, plan (every check), then under the folder's lock render what changed, index, stamp. The data
    checked once are read back from the disk cache of the folder the snapshot was taken from (``cchc.load()``
    and earlier batches write it): the same bytes, the same checked dataset."""
    from ..data.dataset import load_dataset, save_batch_copy

    ds = load_dataset(cache=source is not None, copy_of=source)
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
    for job, (outcome, rendered) in executor.run(running_order(todo), fn, pool_size(bp.workers, len(todo))):
        outcome = write_result(job, outcome, rendered, out_dir)
        outcomes.append(outcome)
        record(states[job.request.year], job, outcome)
        save_state(out_dir, job.request.year, states[job.request.year])
        shown.step(job.request.year, job.request.name, outcome.status)
    shown.close()
    return outcomes


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
