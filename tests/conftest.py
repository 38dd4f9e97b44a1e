"""Shared helpers and fixtures, each written once: data folders copied from tests/fixtures with the real
province registry, the shipped data loaded once per run, the `cchc` command run as a user runs it, and
reports of the shipped data rendered once per run and read by every test that needs them.

Under pytest-xdist the once-per-run fixtures are shared by the workers through files in the run's
temporary folder (taken under a lock: one worker computes, the others wait and read).
"""

from __future__ import annotations

import contextlib
import copy
import fcntl
import functools
import json
import os
import pickle
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
# The publishers' own files (VCCI's workbooks, the PAPI workbook, fact tables), when a developer has them:
# `CCHC_SOURCES_DIR=/path/to/sources make test`. The tests that read them skip without it.
SOURCES_DIR = Path(os.environ["CCHC_SOURCES_DIR"]) if os.environ.get("CCHC_SOURCES_DIR") else Path("/nonexistent")
REGISTRY_CSV = ROOT / "data" / "provinces.csv"
BIN = Path(sys.executable).parent  # the suite's .venv/bin: its `cchc`, `jupyter`, `dask`


def make_data_dir(source: Path, dest: Path) -> Path:
    """A copy of a fixture folder with data/provinces.csv added: a complete, disposable data folder."""
    shutil.copytree(source, dest)
    shutil.copy(REGISTRY_CSV, dest / "provinces.csv")
    return dest


def frozen_code(dest: Path) -> dict[str, str]:
    """A copy of the suite's code (lib/cchc) in ``dest`` and the environment under which `cchc`, its
    workers, Dask workers and kernels import that copy. A batch re-renders every report when the code
    changes (its fingerprint hashes lib/cchc), so a test that runs a batch twice and counts what the second
    run renders must run both on the same code, even when lib/ is edited while the suite runs. The bytecode
    comes along (modification times kept, so a module edited since is compiled again): the copy's processes
    do not each compile the suite (0.45 CPU-s for all of it) before the batch byte-compiles it."""
    shutil.copytree(ROOT / "lib" / "cchc", dest / "lib" / "cchc")
    return {"PYTHONPATH": str(dest / "lib")}


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Bytes and modification time (ns) of every file under a folder, by relative path."""
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def cchc(
    *args: str,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 120,
    preexec_fn=None,
    **extra_env: str,
) -> subprocess.CompletedProcess:
    """The installed `cchc` console script as a process, its output captured as text; ``env`` and
    ``extra_env`` (``CCHC_DATA_DIR=…``) are set on top of this process's environment."""
    return subprocess.run(
        [str(BIN / "cchc"), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, **(env or {}), **extra_env},
        timeout=timeout,
        preexec_fn=preexec_fn,
    )


# The ministry's PAR INDEX appendix table as an official copies it out of the report (pasted as text or into a
# sheet): made-up figures, built by the tests, never shipped.
DOCUMENT = "Quyết định 1234/QĐ-BNV ngày 6/4/2025 của Bộ Nội vụ phê duyệt Chỉ số CCHC năm 2024 (synthetic)"
AREAS = ("Lĩnh vực 1 (30,5)", "Lĩnh vực 2 (29,5)", "Lĩnh vực 3 (40)")
CITIES = {"ha-noi", "ho-chi-minh", "hai-phong", "da-nang", "can-tho"}


def printed_name(province, i: int) -> str:
    """A province's name as the ministry's tables print it: 'TP. Hà Nội', 'Tỉnh Lào Cai', some without accents."""
    if province.slug in CITIES:
        return f"TP. {province.name}"
    if i % 7 == 3:
        return unicodedata.normalize("NFD", province.name).encode("ascii", "ignore").decode().replace("Đ", "D")
    return f"Tỉnh {province.name}" if i % 2 else province.name


def par_table(registry, year: int = 2024, areas: bool = True) -> list[list[str]]:
    """Title lines, the header and one row a province: STT, name as printed, 'Chỉ số (%)' with a decimal comma
    and '%', 'Xếp hạng', and area points adding up to the total (85 + i·0.1 … scores made up)."""
    units = registry.valid_in(year)
    rows = [
        ["PHỤ LỤC"],
        ["KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2024 CỦA CÁC TỈNH, THÀNH PHỐ"],
        ["STT", "Tỉnh, thành phố", *(AREAS if areas else ()), "Chỉ số (%)", "Xếp hạng"],
    ]
    for i, province in enumerate(units):
        total = 95 - i * 0.25  # hundredths: 95,00 … 79,50
        parts = [28 - 0.01 * (i % 5), 29 - 0.02 * (i % 4)]
        parts.append(total - sum(parts))
        cells = [f"{p:.2f}".replace(".", ",") for p in parts] if areas else []
        rows.append([str(i + 1), printed_name(province, i), *cells, f"{total:.2f}%".replace(".", ","), str(i + 1)])
    return rows


def as_text(rows: list[list[str]], folder: Path, name: str = "phu-luc.txt", sep: str = "\t") -> Path:
    path = folder / name
    path.write_text("\n".join(sep.join(r) for r in rows) + "\n", encoding="utf-8")
    return path


def as_xlsx(rows: list[list[str]], folder: Path, name: str = "phu-luc.xlsx") -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:  # pasted: the names as text, the figures as numbers where Excel reads them (decimal point)
        workbook.active.append(
            [float(c.replace(",", ".").rstrip("%")) if re.fullmatch(r"[\d,.]+%?", c) else c for c in row]
        )
    workbook.save(folder / name)
    return folder / name


@contextlib.contextmanager
def _locked(path: Path):
    """An exclusive flock on ``path`` (created if missing): one process of the run at a time."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        yield


def _run_dir(tmp_path_factory) -> Path:
    """A folder of this run shared by its xdist workers (each worker's base temp is inside it)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def once_per_run(tmp_path_factory, name: str, make):
    """``make(folder)`` once per run, however many xdist workers ask: a module's costly set-up (a batch, a
    rendered folder) whose tests xdist hands to both workers was made twice, once by each. The first worker
    to ask makes it in ``folder`` (a new folder of the run) and keeps what it returns as a pickle; the others
    wait for it and read that. What it returns and what it wrote are shared: read them, never change them."""
    run = _run_dir(tmp_path_factory) / "once"
    kept = run / f"{name}.pickle"
    with _locked(run / f"{name}.lock"):
        if kept.is_file():
            return pickle.loads(kept.read_bytes())
        value = make(tmp_path_factory.mktemp(name))
        kept.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        return value


@pytest.fixture(name="snapshot")
def snapshot_fixture():
    """The ``snapshot`` function, for tests that check files are left unchanged."""
    return snapshot


@pytest.fixture(scope="session", autouse=True)
def _reports_folder_of_this_run(tmp_path_factory):
    """Commands run without --out write into a reports folder of this run and worker (their .kernels.log,
    their .batch.lock), never into the project's reports/ nor into another worker's."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CCHC_REPORTS_DIR", str(tmp_path_factory.mktemp("reports")))
        yield


@pytest.fixture(scope="session", autouse=True)
def _dataset_cache_of_this_run(tmp_path_factory):
    """``cchc.load()`` keeps its disk cache in a folder of this run and worker, never in the project's."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CCHC_CACHE_DIR", str(tmp_path_factory.mktemp("dataset-cache")))
        yield


@pytest.fixture(scope="session")
def root() -> Path:
    """The project folder."""
    return ROOT


@pytest.fixture
def bad_dir(tmp_path):
    """Factory: the data folder of tests/fixtures/bad/<case>."""
    return lambda case: make_data_dir(FIXTURES / "bad" / case, tmp_path / case)


@pytest.fixture
def good_dir(tmp_path) -> Path:
    """A data folder that passes validation (tests/fixtures/good)."""
    return make_data_dir(FIXTURES / "good", tmp_path / "good")


@pytest.fixture(scope="session")
def registry():
    """The real province registry."""
    from cchc.data.provinces import Registry

    return Registry.from_csv(REGISTRY_CSV)


@pytest.fixture(scope="session")
def shipped(tmp_path_factory):
    """The shipped data/ (``cchc.load()``), loaded and its national tables computed once per run: a load
    and its figures cost seconds. Shared by every test: read it, never change it."""
    from cchc.data.dataset import load_dataset

    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return _computed(load_dataset(ROOT / "data"))
    path = _run_dir(tmp_path_factory) / "shipped-dataset.pickle"
    with _locked(path.with_suffix(".lock")):
        if path.is_file():
            return pickle.loads(path.read_bytes())
        ds = _computed(load_dataset(ROOT / "data"))
        path.write_bytes(pickle.dumps(ds, protocol=pickle.HIGHEST_PROTOCOL))
        return ds


def _computed(ds):
    """The dataset with what every report computes from it already computed (cached on it)."""
    return ds.compute_lookups()  # the figures (computed ranks included), means and lookups


@pytest.fixture(scope="session")
def report_context(shipped):
    """Factory: ``report_context(province, year, lang="vi")`` is the context of a report of the shipped data
    (``sections.context`` on the ``shipped`` dataset), made once per run and worker."""
    from cchc.report import sections

    made = functools.cache(lambda province, year, lang: sections.context(province, year, lang, dataset=shipped))
    return lambda province, year, lang="vi": made(province, year, lang)


@pytest.fixture(scope="session")
def report_section(report_context):
    """Factory: ``report_section(sections.history, province, year, lang="vi")`` is that section of a report of
    the shipped data, built as the report builds it (its charts drawn when it is first shown) once per run
    and worker. Shared by every test that asks for the same section: read it, never change it."""
    built = functools.cache(lambda build, province, year, lang: build(report_context(province, year, lang)))
    return lambda build, province, year, lang="vi": built(build, province, year, lang)


# The reports each test module reads through ``rendered``, as its module-level RENDERED: (province, year, lang,
# formats). The modules of the tests collected that use ``rendered`` are gathered here when collection ends.
_WANTED: dict[tuple[str, int, str], set[str]] = {}


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items) -> None:
    """``xdist_group`` for real under ``--dist loadgroup``. pytest-xdist 3.8 sends a group's tests to one worker
    by appending ``@<group>`` to each item's id, which it writes to ``item._nodeid``; pytest 9 reads an item's id
    from ``item._id`` (a ``NodeId``), so the groups were silently ignored: until 2026-12-07 each worker started
    its own Dask cluster, zygote and hostile batch for the tests xdist gave it. The same suffix, written where
    pytest 9 reads it (``test_environment.py`` checks that a grouped test's id carries it). Upstream: pytest-xdist
    issue 1386 (open, a fix proposed in pull request 1388); drop this hook once a pinned pytest-xdist has it."""
    if not (os.environ.get("PYTEST_XDIST_WORKER") and config.getvalue("loadgroup")):
        return
    from _pytest.nodeid import NodeId

    for item in items:
        names = {
            str(m.args[0] if m.args else m.kwargs.get("name", "default")) for m in item.iter_markers("xdist_group")
        }
        if names and "@" not in item.nodeid:
            item._id = NodeId.parse(f"{item.nodeid}@{'_'.join(sorted(names))}")


def pytest_collection_finish(session) -> None:
    for item in session.items:
        if "rendered" in getattr(item, "fixturenames", ()):
            for province, year, lang, formats in getattr(item.module, "RENDERED", ()):
                _WANTED.setdefault((province, year, lang), set()).update(formats.split(","))


def _key(province: str, year: int, lang: str) -> str:
    return f"{province}-{year}-{lang}"


def _render_together(wanted: dict[tuple[str, int, str], set[str]], shared: Path, shipped) -> None:
    """Render ``wanted`` as a batch does (a pool of two workers, each reusing its kernel, one
    checked copy of the data read by every kernel), each report into ``shared/<key>/reports`` with its
    ``paths.json``: about half the CPU of rendering each in a new kernel."""
    from functools import partial

    from cchc.batch.jobs import Job, render_job
    from cchc.batch.local_pool import LocalPool
    from cchc.batch.runner import data_snapshot
    from cchc.data.dataset import save_batch_copy
    from cchc.render import notebook

    jobs = [
        Job(
            notebook.plan_overview(year, lang, ",".join(sorted(formats)), dataset=shipped)
            if province == "overview"
            else notebook.plan_report(province, year, lang, ",".join(sorted(formats)), dataset=shipped),
            _key(province, year, lang),  # the label: where its files go
            "",
        )
        for (province, year, lang), formats in sorted(wanted.items())
    ]
    with data_snapshot() as source:
        assert source == ROOT / "data"  # the snapshot has shipped's bytes: its checked copy is shipped's
        checked = copy.copy(shipped)
        checked.data_dir = Path(os.environ["CCHC_DATA_DIR"])
        save_batch_copy(checked)
        pool = LocalPool(shared / ".kernels.log")
        try:
            run = pool.run(jobs, partial(render_job, cell_timeout=notebook.CELL_TIMEOUT_S, report_timeout=900), 2)
            for job, (outcome, files) in run:
                assert outcome.status == "ok" and files is not None, f"{job.label}: {outcome.reason}"
                paths = notebook.write_rendered(files, job.request, shared / job.label / "reports")
                (shared / job.label / "paths.json").write_text(json.dumps({k: str(v) for k, v in paths.items()}))
        finally:
            pool.close()


@pytest.fixture(scope="session")
def rendered(tmp_path_factory, shipped):
    """Factory: ``rendered(province, year, lang="vi", formats="html")`` is a report of the shipped data
    rendered for real (papermill in the suite's kernel, nbconvert; Chromium's print for "html,pdf") once per
    run, as ``{kind: path}`` in a reports folder of its own (``<folder>/<year>/<name>.<ext>``);
    ``province="overview"`` is the national overview. Shared by every test that asks for the same report:
    read its files, never change them. The first call of the run renders every report that the collected
    tests' modules list in their RENDERED, together (``_render_together``); a report not listed there is
    rendered alone when asked for."""
    from cchc.files import write_atomic
    from cchc.render import notebook
    from cchc.render.pdf import html_to_pdf

    shared = _run_dir(tmp_path_factory) / "rendered"

    def render(province: str, year: int, lang: str = "vi", formats: str = "html") -> dict[str, Path]:
        key = _key(province, year, lang)
        listing = shared / key / "paths.json"
        with pytest.MonkeyPatch.context() as mp:  # the shipped data and notebooks, whatever a test set
            mp.delenv("CCHC_DATA_DIR", raising=False)
            mp.delenv("CCHC_NOTEBOOKS_DIR", raising=False)
            with _locked(shared / "together.lock"):
                if _WANTED and not (shared / "together.done").is_file():
                    _render_together(_WANTED, shared, shipped)
                    (shared / "together.done").touch()
            with _locked(shared / f"{key}.lock"):
                if listing.is_file():
                    paths = {k: Path(v) for k, v in json.loads(listing.read_text()).items()}
                else:
                    req = (
                        notebook.plan_overview(year, lang, "html", dataset=shipped)
                        if province == "overview"
                        else notebook.plan_report(province, year, lang, "html", dataset=shipped)
                    )
                    paths = notebook.render_report(req, shared / key / "reports")
                if "pdf" in formats.split(",") and "pdf" not in paths:  # what the renderer does with the same HTML
                    paths["pdf"] = paths["html"].with_suffix(".pdf")
                    write_atomic(paths["pdf"], html_to_pdf(paths["html"].read_text(encoding="utf-8")))
                listing.write_text(json.dumps({k: str(v) for k, v in paths.items()}))
        return dict(paths)

    return render


def streams_joined(nb):
    """A cell's text on stdout (or stderr) as one output, as a reader sees it: how a kernel's stream is cut into
    messages depends on when its buffer is flushed (under load a print's newline came as an output of its own)."""
    for cell in nb.cells:
        joined = []
        for out in cell.get("outputs", []):
            last = joined[-1] if joined else None
            if (
                out.output_type == "stream"
                and last is not None
                and last.output_type == "stream"
                and last.name == out.name
            ):
                last.text += out.text
            else:
                joined.append(out)
        if "outputs" in cell:
            cell.outputs = joined
    return nb
