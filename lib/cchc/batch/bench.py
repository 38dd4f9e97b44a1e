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
from typing import Any


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


def _plan_file(
    folder: Path, year: int, formats: list[str], workers: int, executor: str = "local", provinces: str = "all"
) -> Path:
    path = folder / f"bench-{'-'.join(formats)}-{executor}.yaml"
    path.write_text(
        f"years: [{year}]\nprovinces: {provinces}\nformats: [{', '.join(formats)}]\n"
        f"workers: {workers}\nexecutor: {executor}\n",
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


# ------------------------------------------------------------------ where a report's time goes
STAGES = ("data", "analysis", "charts", "HTML export", "PDF")
MAPS = "maps"  # part of analysis and charts: the maps built (locator, small maps) and drawn to PNG
MAP_LABELS = ("locator:", "index-maps:")  # a map's figure label in a province report (report/maps.py)


def report_stages(notebook: str, params: dict) -> dict[str, float]:
    """CPU seconds (user + system, this process) of each stage of one report, made in process as the batch's
    kernel makes it: data (the batch's checked dataset read), analysis (the notebook's cells, sections
    built, nothing drawn), charts (every chart drawn to PNG), HTML export (the sections' HTML and the
    nbconvert export of the notebook holding them), PDF (Chromium's print: the CPU of this process and of the
    browser's whole process tree under it, ``tree_cpu``)."""
    import nbformat

    from ..data.dataset import load_dataset
    from ..render.notebook import to_html
    from ..render.pdf import html_to_pdf
    from ..report.output import Section, _drawn

    clock = time.process_time
    times: dict[str, float] = {}
    start = clock()
    load_dataset()
    times["data"] = clock() - start
    nb = nbformat.read(notebook, as_version=4)
    namespace = dict(params)
    values: list[tuple[Any, object]] = []
    start = clock()
    built = [0.0]
    with contextlib.redirect_stdout(io.StringIO()), _maps_timed(built, clock):
        for cell in nb.cells:
            if cell.cell_type == "code" and "parameters" not in cell.get("metadata", {}).get("tags", []):
                values.append((cell, _cell_value(cell.source, namespace, notebook)))
    times["analysis"] = clock() - start
    sections = [v for _, v in values if isinstance(v, Section)]
    start = clock()
    drawn = 0.0
    for section in sections:
        for block in section._blocks:
            before = clock()
            _drawn(block)
            if block["kind"] == "chart" and (block["fig"].get_label() or "").startswith(MAP_LABELS):
                drawn += clock() - before
    times["charts"] = clock() - start
    times[MAPS] = built[0] + drawn
    start = clock()
    for cell, value in values:
        show = getattr(value, "_repr_html_", None)
        cell.outputs = [nbformat.v4.new_output("display_data", {"text/html": show()})] if show else []
    nb.metadata["cchc"] = {"lang": params.get("lang", "vi"), "title": ""}
    html = to_html(nb)
    times["HTML export"] = clock() - start
    start = tree_cpu()
    html_to_pdf(html)
    times["PDF"] = tree_cpu() - start
    return times


def tree_cpu() -> float:
    """CPU seconds (user + system) of this process and every process under it now (a browser's processes)."""
    import psutil

    total = 0.0
    me = psutil.Process()
    for proc in [me, *me.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            cpu = proc.cpu_times()
            total += cpu.user + cpu.system
    return total


@contextlib.contextmanager
def _maps_timed(total: list[float], clock):
    """While the sections are built, the CPU time of the province report's maps (``maps.add_locator``,
    ``maps.add_index_maps``) added up in ``total[0]``: the functions wrapped for the block, as they were after."""
    from ..report import maps

    originals = {name: getattr(maps, name) for name in ("add_locator", "add_index_maps")}

    def timed(fn):
        def run(*args, **kwargs):
            start = clock()
            try:
                return fn(*args, **kwargs)
            finally:
                total[0] += clock() - start

        return run

    for name, fn in originals.items():
        setattr(maps, name, timed(fn))
    try:
        yield
    finally:
        for name, fn in originals.items():
            setattr(maps, name, fn)


def _cell_value(source: str, namespace: dict, filename: str):
    """Run a cell's code; the value of its last expression (what the kernel would show), else None."""
    tree = ast.parse(source)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    exec(compile(tree, filename, "exec"), namespace)
    if not isinstance(last, ast.Expr):
        return None
    return eval(compile(ast.Expression(last.value), filename, "eval"), namespace)


def measure_stages(jobs, sample: int) -> dict[str, list[float]]:
    """``report_stages`` of ``sample`` reports spread over the plan, one after another in one process that
    imported the libraries first (as a batch's warm kernel has)."""
    _bound_init()
    chosen = jobs[:: max(1, len(jobs) // max(1, sample))][: max(1, sample)]
    out: dict[str, list[float]] = {stage: [] for stage in (*STAGES, MAPS)}
    report_stages(str(chosen[0].request.notebook), chosen[0].request.parameters)  # warm: fonts, templates
    for job in chosen:
        for stage, seconds in report_stages(str(job.request.notebook), job.request.parameters).items():
            out[stage].append(seconds)
    return out


def print_stages(stages: dict[str, list[float]]) -> None:
    n = len(next(iter(stages.values())))
    total = sum(statistics.median(v) for k, v in stages.items() if k != MAPS)
    print(f"where a report's time goes (CPU s, median of {n} reports in one process, no kernel):")
    for stage, seconds in stages.items():
        if stage != MAPS:
            print(f"  {stage:<12} {statistics.median(seconds):5.2f} s  (max {max(seconds):.2f})")
    print(f"  {'total':<12} {total:5.2f} s")
    if stages.get(MAPS):
        maps = stages[MAPS]
        print(
            f"  of which maps (built in analysis, drawn in charts): {statistics.median(maps):.3f} s median, "
            f"{min(maps):.3f} s best"
        )


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
    from .plan import plan_batch
    from .runner import data_snapshot

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--year", type=int, default=2022)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument(
        "--rounds",
        type=int,
        default=2,
        help="HTML and HTML + PDF batches this many times, each HTML batch between two bounds",
    )
    ap.add_argument("--stages", type=int, default=8, help="reports whose stages are timed (CPU s)")
    ap.add_argument("--stages-only", action="store_true", help="print where a report's time goes, and stop")
    ap.add_argument(
        "--kernel-parts",
        type=int,
        default=1,
        metavar="ROUNDS",
        help="the HTML batch with all kernel parts on, kernel reuse off, warm zygote off: this many rounds (0: none)",
    )
    ap.add_argument("--only-kernel-parts", action="store_true", help="measure the kernel parts only")
    ap.add_argument(
        "--provinces", default="all", help="all (default), or a YAML list of slugs for a smaller HTML batch"
    )
    ap.add_argument("--load-only", action="store_true", help="only the first-answer row (cchc.load() + figures)")
    args = ap.parse_args(argv)
    print(load_time_row(), flush=True)
    if args.load_only:
        return 0
    # the bound reads the data as a batch's kernels do: the batch's checked copy (batch.data_snapshot)
    with tempfile.TemporaryDirectory(prefix="cchc-bench-") as tmp_name, data_snapshot():
        tmp = Path(tmp_name)
        html_plan = _plan_file(tmp, args.year, ["html"], args.workers, provinces=args.provinces)
        dask_plan = _plan_file(tmp, args.year, ["html"], args.workers, "dask")
        both_plan = _plan_file(tmp, args.year, ["html", "pdf"], args.workers)
        ds = load_dataset()
        jobs, _ = plan_batch(load_batch_params(html_plan), ds)
        save_batch_copy(ds)
        n = len(jobs)
        if args.only_kernel_parts:
            _print_kernel_parts(html_plan, tmp, max(args.kernel_parts, 1), n)
            return 0
        print(
            f"work: {n} reports ({n - 1} provinces of {args.year} + the overview) on {args.workers} workers; "
            f"{args.rounds} rounds, each HTML batch between two measures of the bound (this machine's speed varies)"
        )
        print_stages(measure_stages(jobs, args.stages))
        if args.stages_only:
            return 0
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
        if args.kernel_parts > 0:
            _print_kernel_parts(html_plan, tmp, args.kernel_parts, n)
    return 0


def _print_kernel_parts(plan: Path, folder: Path, rounds: int, n: int) -> None:
    print(
        f"kernel parts: the same HTML batch of {n} reports, each part switched off in turn; {rounds} round(s); "
        "CPU time (user + system) of the batch's whole process tree, the figure to read on a shared machine"
    )
    for row in kernel_part_rows(measure_kernel_parts(plan, folder, rounds), n):
        print(row)


# ------------------------------------------------------------------ the kernel parts (issue 22, item 7)
# The same HTML batch (same plan, same reports, each into a new folder) with all on, then with each part
# of the kernel machinery switched on or off by its environment variable (jobs.engine, local_pool.warm_kernels).
KERNEL_PARTS: tuple[tuple[str, dict[str, str]], ...] = (
    ("all kernel parts on", {"CCHC_WARM_KERNELS": "1"}),
    ("kernel reuse off (CCHC_REUSE_KERNELS=0)", {"CCHC_REUSE_KERNELS": "0", "CCHC_WARM_KERNELS": "1"}),
    ("warm zygote off (the default)", {"CCHC_WARM_KERNELS": "0"}),
    ("both off", {"CCHC_REUSE_KERNELS": "0", "CCHC_WARM_KERNELS": "0"}),  # each part may stand in for the other
)
WORTH_KEEPING = 0.05  # a part that saves less than this share of the batch's CPU time is not worth its code


def _children_cpu() -> float:
    """CPU seconds (user + system) of this process's children that have ended and been waited for."""
    import resource

    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _adopt_orphans() -> None:
    """Make this process the reaper of its descendants that outlive their parent (Linux), so their CPU
    time is counted too; elsewhere only what the batch's own processes waited for is counted."""
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER


def _reap_orphans(timeout: float = 10) -> None:
    """Wait for adopted descendants still ending after the batch returned (their CPU time then counts)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            time.sleep(0.05)


def cpu_timed_batch(params: Path, out: Path, env: dict[str, str]) -> tuple[float, float, int]:
    """`cchc batch` as a user runs it, in ``env``: wall seconds, CPU seconds of the whole process tree
    (batch, workers, zygotes, kernels) and its exit code."""
    cchc = Path(sys.executable).parent / "cchc"
    cpu, start = _children_cpu(), time.perf_counter()
    done = subprocess.run(
        [str(cchc), "batch", "--params", str(params), "--out", str(out), "--no-progress"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    wall = time.perf_counter() - start
    _reap_orphans()
    if done.returncode not in (0, 1):
        sys.exit(f"batch failed: {done.stderr}")
    return wall, _children_cpu() - cpu, done.returncode


def measure_kernel_parts(plan: Path, folder: Path, rounds: int = 1) -> dict[str, list[tuple[float, float]]]:
    """(wall, CPU) seconds of the same batch per setting of KERNEL_PARTS, in alternating rounds."""
    _adopt_orphans()
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name, _ in KERNEL_PARTS}
    for r in range(1, rounds + 1):
        for i, (name, switches) in enumerate(KERNEL_PARTS):
            wall, cpu, _ = cpu_timed_batch(plan, folder / f"parts{r}-{i}", {**os.environ, **switches})
            runs[name].append((wall, cpu))
    return runs


def kernel_part_rows(runs: dict[str, list[tuple[float, float]]], n: int) -> list[str]:
    """One row per setting (median CPU and wall of its rounds); for a setting with a part (or both) off, the
    share of its CPU time that turning the part back on saves, and whether that reaches WORTH_KEEPING."""
    cpu = {name: statistics.median(c for _, c in rs) for name, rs in runs.items()}
    wall = {name: statistics.median(w for w, _ in rs) for name, rs in runs.items()}
    on = KERNEL_PARTS[0][0]
    rows = []
    for name, _ in KERNEL_PARTS:
        row = f"  {name + ':':42} CPU {cpu[name]:7.1f} s ({cpu[name] / n:.2f} s per report), wall {wall[name]:6.1f} s"
        if name != on:
            saves = (cpu[name] - cpu[on]) / cpu[name]
            verdict = "worth keeping" if saves >= WORTH_KEEPING else "below 5 %"
            row += f"; turned on, it saves {saves:.1%} of this CPU time ({verdict})"
        rows.append(row)
    return rows


if __name__ == "__main__":
    sys.exit(main())
