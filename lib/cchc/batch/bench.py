"""`make bench`: the first answer of the analysis API, then the batch's speed against the machine's bound,
printed as figures (not a test).

First answer (``load_time_row``): ``import cchc; ds = cchc.load(); ds.figures`` in a new process, cold (an
empty disk cache) and warm (read back from it), in CPU seconds of the child; ``--load-only`` prints only that.

Work: every province of one year (default 2022, the year all 63 have a published figure) plus the
national overview. The bound: the same notebook code (lib/cchc analysis and figures) for the same
reports in a process pool that imported pandas and seaborn once: no kernels, no nbconvert.
The HTML batch runs twice per round: with ``LocalPool`` (this machine's process pool) and with the Dask
executor (``executor: dask``: a LocalCluster of the same number of workers, one thread each, started and
stopped by the batch), each timed as a user runs it.
This machine's speed varies from minute to minute, so bound and batches are measured in alternating
rounds: each HTML batch runs between two measures of the bound (bound, HTML, bound, HTML on Dask, bound,
HTML + PDF, HTML, bound, ...) and is compared with their mean; the median of those per-round ratios is
the figure to read, and Dask / LocalPool is the median of the rounds' ratios of the two (adjacent) batches.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path


def _cell_sources(notebook: Path) -> list[str]:
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    return [
        "".join(c["source"])
        for c in nb["cells"]
        if c["cell_type"] == "code" and "parameters" not in c.get("metadata", {}).get("tags", [])
    ]


def _bound_init() -> None:
    import pandas  # noqa: F401
    import seaborn  # noqa: F401

    from ..report import overview, sections  # noqa: F401


def _bound_one(args: tuple[str, dict]) -> float:
    """Run a notebook's code cells in this process, outputs discarded: the work without Jupyter."""
    notebook, params = args
    start = time.perf_counter()
    namespace = dict(params)
    with contextlib.redirect_stdout(io.StringIO()):
        for source in _cell_sources(Path(notebook)):
            _run_cell(source, namespace, notebook)
    return time.perf_counter() - start


def _run_cell(source: str, namespace: dict, filename: str) -> None:
    """Run a cell as a kernel does, including what showing its value costs: the value of a last
    expression (a report section) is turned into its HTML, then dropped."""
    tree = ast.parse(source)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    exec(compile(tree, filename, "exec"), namespace)
    if isinstance(last, ast.Expr):
        value = eval(compile(ast.Expression(last.value), filename, "eval"), namespace)
        show = getattr(value, "_repr_html_", None)
        if show is not None:
            show()


def measure_bound(jobs, workers: int) -> tuple[float, list[float]]:
    work = [(str(j.request.notebook), j.request.parameters) for j in jobs]
    start = time.perf_counter()
    with ProcessPoolExecutor(workers, mp_context=get_context("fork"), initializer=_bound_init) as pool:
        per_report = list(pool.map(_bound_one, work))
    return time.perf_counter() - start, per_report


def _plan_file(folder: Path, year: int, formats: list[str], workers: int, executor: str = "local") -> Path:
    path = folder / f"bench-{'-'.join(formats)}-{executor}.yaml"
    path.write_text(
        f"years: [{year}]\nprovinces: all\nformats: [{', '.join(formats)}]\nworkers: {workers}\nexecutor: {executor}\n",
        encoding="utf-8",
    )
    return path


def timed_batch(params: Path, out: Path) -> tuple[float, int]:
    """Wall time of `cchc batch` as a user runs it (a new process), and its exit code."""
    cchc = Path(sys.executable).parent / "cchc"
    start = time.perf_counter()
    done = subprocess.run(
        [str(cchc), "batch", "--params", str(params), "--out", str(out), "--no-progress"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    if done.returncode not in (0, 1):
        sys.exit(f"batch failed: {done.stderr}")
    return time.perf_counter() - start, done.returncode


def _median_seconds(out: Path, year: int) -> float:
    return statistics.median(per_report_seconds(out, year) or [float("nan")])


def per_report_seconds(out: Path, year: int) -> list[float]:
    state = json.loads((out / str(year) / ".state.json").read_text(encoding="utf-8"))
    return [v["seconds"] for v in state.values() if "seconds" in v]


FIRST_ANSWER = "import cchc; ds = cchc.load(); ds.figures"  # what a notebook's first cell pays for


def first_answer_seconds(cache_dir: Path) -> tuple[float, float]:
    """CPU (user + sys) and wall seconds of ``FIRST_ANSWER`` in a new Python process using ``cache_dir``."""
    env = {**os.environ, "CCHC_CACHE_DIR": str(cache_dir)}
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", FIRST_ANSWER], env=env, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(f"cchc.load() failed: {proc.stderr.read().decode() if proc.stderr else ''}")
    return usage.ru_utime + usage.ru_stime, wall


def load_time_row(rounds: int = 3) -> str:
    """The first answer in a new process: cold (an empty disk cache: every file checked, the figures
    computed and saved) and warm (read back from the cache), best and median CPU of ``rounds`` each."""
    cold, warm = [], []
    with tempfile.TemporaryDirectory(prefix="cchc-bench-cache-") as tmp:
        for r in range(rounds):
            cold.append(first_answer_seconds(Path(tmp) / f"cold{r}"))
            warm.append(first_answer_seconds(Path(tmp) / f"cold{r}"))

    def fmt(runs: list[tuple[float, float]]) -> str:
        cpu = [c for c, _ in runs]
        return (
            f"CPU {min(cpu):.2f} s best, {statistics.median(cpu):.2f} s median "
            f"(wall {statistics.median([w for _, w in runs]):.2f} s)"
        )

    return (
        f"first answer ({FIRST_ANSWER}), new process, {rounds} runs: cold {fmt(cold)}; warm {fmt(warm)} "
        "(targets: cold <= 4 s, warm <= 1 s)"
    )


def main(argv: list[str] | None = None) -> int:
    from ..data.dataset import load_dataset, save_batch_copy
    from .params import load_batch_params
    from .runner import data_snapshot, plan_batch

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--year", type=int, default=2022)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument(
        "--rounds",
        type=int,
        default=2,
        help="HTML and HTML + PDF batches this many times, each HTML batch between two bounds",
    )
    ap.add_argument("--load-only", action="store_true", help="only the first-answer row (cchc.load() + figures)")
    args = ap.parse_args(argv)
    print(load_time_row(), flush=True)
    if args.load_only:
        return 0
    # the bound reads the data as a batch's kernels do: the batch's checked copy (batch.data_snapshot)
    with tempfile.TemporaryDirectory(prefix="cchc-bench-") as tmp_name, data_snapshot():
        tmp = Path(tmp_name)
        html_plan = _plan_file(tmp, args.year, ["html"], args.workers)
        dask_plan = _plan_file(tmp, args.year, ["html"], args.workers, "dask")
        both_plan = _plan_file(tmp, args.year, ["html", "pdf"], args.workers)
        ds = load_dataset()
        jobs, _ = plan_batch(load_batch_params(html_plan), ds)
        save_batch_copy(ds)
        n = len(jobs)
        print(
            f"work: {n} reports ({n - 1} provinces of {args.year} + the overview) on {args.workers} workers; "
            f"{args.rounds} rounds, each HTML batch between two measures of the bound (this machine's speed varies)"
        )
        bounds, htmls, dasks, boths, ratios, dask_ratios, dask_vs_local, pdf_adds = [], [], [], [], [], [], [], []
        failed = False
        bounds.append(measure_bound(jobs, args.workers))
        for r in range(1, args.rounds + 1):
            t_html, rc1 = timed_batch(html_plan, tmp / f"html{r}")
            bounds.append(measure_bound(jobs, args.workers))
            t_dask, rc2 = timed_batch(dask_plan, tmp / f"dask{r}")
            bounds.append(measure_bound(jobs, args.workers))
            t_both, rc3 = timed_batch(both_plan, tmp / f"both{r}")
            failed |= rc1 != 0 or rc2 != 0 or rc3 != 0
            htmls.append((t_html, _median_seconds(tmp / f"html{r}", args.year)))
            dasks.append((t_dask, _median_seconds(tmp / f"dask{r}", args.year)))
            boths.append((t_both, _median_seconds(tmp / f"both{r}", args.year)))
            (before, _), (middle, _), (after, _) = bounds[-3], bounds[-2], bounds[-1]
            ratios.append(t_html / ((before + middle) / 2))
            dask_ratios.append(t_dask / ((middle + after) / 2))
            dask_vs_local.append(t_dask / t_html)
            pdf_adds.append((t_both - t_html) * args.workers / n)
            print(
                f"  round {r}: bound {before:5.1f} s, batch HTML {t_html:5.1f} s, bound {middle:5.1f} s, "
                f"HTML on Dask {t_dask:5.1f} s, bound {after:5.1f} s (ratios {ratios[-1]:.2f}, Dask "
                f"{dask_ratios[-1]:.2f}; Dask / LocalPool {dask_vs_local[-1]:.2f}); HTML + PDF {t_both:5.1f} s"
            )
        t_noop, _ = timed_batch(both_plan, tmp / f"both{args.rounds}")
        bound, bound_each = min(bounds)
        t_html, med_html = min(htmls)
        t_dask, med_dask = min(dasks)
        t_both, med_both = min(boths)
        print(
            f"bound (same analysis and figures, one pool, no kernels, no nbconvert): {bound:6.1f} s "
            f"best, median {statistics.median(bound_each):.2f} s per report"
        )
        print(
            f"batch, HTML:        {t_html:6.1f} s best, median {med_html:.2f} s per report; "
            f"ratio to bound {statistics.median(ratios):.2f} (median of the rounds; best/best "
            f"{t_html / bound:.2f}){'  (some reports failed)' if failed else ''}"
        )
        print(
            f"batch, HTML, Dask:  {t_dask:6.1f} s best, median {med_dask:.2f} s per report; "
            f"ratio to bound {statistics.median(dask_ratios):.2f}; Dask / LocalPool "
            f"{statistics.median(dask_vs_local):.2f} (median of the rounds; best/best {t_dask / t_html:.2f})"
        )
        print(
            f"batch, HTML + PDF:  {t_both:6.1f} s best, median {med_both:.2f} s per report; "
            f"PDF adds {statistics.median(pdf_adds):.2f} s per report (median of the rounds)"
        )
        print(f"second run, nothing changed: {t_noop:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
