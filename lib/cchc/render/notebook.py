"""One code path from parameters to files: check, execute with papermill, export HTML and PDF.

The command line, the Makefile, the batch and the tests all call ``render_report``.
"""

from __future__ import annotations

import ast
import errno
import json
import os
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .. import config, thirdparty
from ..errors import CantWrite, CchcError, UsageError
from ..files import output_name, write_all_atomic, write_atomic
from .pdf import html_to_pdf

KERNEL_NAME = "cchc"
LANGS = ("vi", "en")
FORMATS = ("html", "pdf")
CELL_TIMEOUT_S = 300
_WRITE_ERRNOS = {errno.EROFS, errno.ENOSPC, errno.EDQUOT, errno.EACCES, errno.EPERM}


class ReportFailed(CchcError):
    """The notebook ran but a cell failed, or the kernel died; the executed notebook is kept."""

    exit_code = 1


# ---------------------------------------------------------------- parameters
def declared_parameters(notebook: Path) -> dict[str, object]:
    """Names and default values of the notebook's cell tagged 'parameters' (read, not executed)."""
    stat = Path(notebook).stat()
    return dict(_declared_parameters(str(notebook), stat.st_mtime_ns, stat.st_size))


@lru_cache(maxsize=16)
def _declared_parameters(notebook: str, mtime_ns: int, size: int) -> dict[str, object]:
    nb = json.loads(Path(notebook).read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            params = {}
            for node in ast.parse(source).body:
                if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                    params[node.targets[0].id] = ast.literal_eval(node.value)
                elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value:
                    params[node.target.id] = ast.literal_eval(node.value)
            return params
    raise UsageError(f"{notebook}: no cell tagged 'parameters'")


def check_parameters(notebook: Path, params: dict) -> dict:
    """Only declared names, with the type of their default, reach the kernel (papermill writes code)."""
    declared = declared_parameters(notebook)
    unknown = sorted(set(params) - set(declared))
    if unknown:
        raise UsageError(
            f"{Path(notebook).name} has no parameter {', '.join(map(repr, unknown))}; "
            f"it declares: {', '.join(declared)}"
        )
    checked = {}
    for name, value in params.items():
        expected = type(declared[name])
        if expected is int and isinstance(value, str) and value.strip().isdigit():
            value = int(value)
        if type(value) is not expected:
            raise UsageError(f"parameter {name!r} must be {expected.__name__}, got {value!r}")
        checked[name] = value
    return checked


@dataclass(frozen=True)
class ReportRequest:
    """A checked request for one report: the notebook runs only with these parameters."""

    notebook: Path
    name: str  # output file name without extension: the province slug, or "overview"
    year: int
    params: tuple  # (name, value) pairs, already checked against the notebook's declared parameters
    formats: tuple[str, ...] = FORMATS
    title: str = ""

    @property
    def parameters(self) -> dict:
        return dict(self.params)

    @property
    def lang(self) -> str:
        return self.parameters.get("lang", "vi")


def check_options(lang: str, formats, year) -> tuple[tuple[str, ...], int]:
    """The formats (a tuple) and the results year, or UsageError naming a wrong format, language or year."""
    if isinstance(formats, str):
        formats = tuple(f.strip() for f in formats.split(",") if f.strip())
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise UsageError(f"unknown format {', '.join(bad) or '(none)'}; choose from {', '.join(FORMATS)}")
    if lang not in LANGS:
        raise UsageError(f"unknown language {lang!r}; choose from {', '.join(LANGS)}")
    from ..analysis.years import results_year

    return tuple(formats), results_year(year)


def plan_report(
    province: str, year: int | str, lang: str = "vi", formats=FORMATS, notebook: Path | None = None, dataset=None
) -> ReportRequest:
    """Check a province report's parameters before any kernel starts; raise a clear error otherwise."""
    from ..analysis.metrics import can_report, years_with_data
    from ..analysis.years import year_with_figures
    from ..catalogue import text
    from ..data.dataset import load_dataset

    notebook = Path(notebook or config.notebooks_dir() / "province_report.ipynb")
    formats, year = check_options(lang, formats, year)
    ds = dataset or load_dataset()
    year_with_figures(ds, year)
    unit = ds.registry.resolve(province, year)
    years = years_with_data(ds, unit.slug)
    if not can_report(ds, unit, year):
        have = ", ".join(map(str, years)) or "none"
        raise UsageError(f"no figures for {unit.name} ({unit.slug}) in {year}; years with data: {have}")
    params = check_parameters(notebook, {"province": unit.slug, "year": year, "lang": lang})
    title = f"{text('report_title', lang)}: {unit.name} {year}"
    return ReportRequest(notebook, unit.slug, year, tuple(params.items()), formats, title)


def plan_overview(
    year: int | str, lang: str = "vi", formats=FORMATS, notebook: Path | None = None, dataset=None
) -> ReportRequest:
    """Check the national overview's parameters (a year with figures)."""
    from ..analysis.years import year_with_figures
    from ..data.dataset import load_dataset

    notebook = Path(notebook or config.notebooks_dir() / "national_overview.ipynb")
    formats, year = check_options(lang, formats, year)
    year_with_figures(dataset or load_dataset(), year)
    params = check_parameters(notebook, {"year": year, "lang": lang})
    from ..catalogue import text

    title = f"{text('overview_title', lang)} {year}"
    return ReportRequest(notebook, "overview", year, tuple(params.items()), formats, title)


# ---------------------------------------------------------------- export
def to_html(nb) -> str:
    """Report HTML for an executed notebook (nbconvert is imported only when a report is exported)."""
    from .exporters import to_html as export

    return export(nb)


# ---------------------------------------------------------------- files
def output_paths(out_dir: Path, req: ReportRequest) -> dict[str, Path]:
    return {
        kind: Path(out_dir) / output_name(req.name, req.year, req.lang, ext)
        for kind, ext in (("ipynb", "ipynb"), ("failed", "failed.ipynb"), ("html", "html"), ("pdf", "pdf"))
    }


# ---------------------------------------------------------------- execution
def execute(req: ReportRequest, timeout: int = CELL_TIMEOUT_S, engine: str | None = None):
    """Run the notebook in a Jupyter kernel with papermill: (executed notebook, None), or (the notebook
    with the failing cell and papermill's error markers, the error).

    ``engine``: papermill's engine; None starts a new kernel, ``cchc-reuse`` (batches) reuses one.
    """
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    from ..kernels.reused import KERNEL_ARGUMENTS  # importing it registers the engine with papermill

    with thirdparty.papermill_writes_kept() as kept:
        try:
            out = pm.execute_notebook(
                str(req.notebook),
                None,
                parameters=req.parameters,
                kernel_name=KERNEL_NAME,
                cwd=str(req.notebook.parent),
                progress_bar=False,
                log_output=False,
                request_save_on_cell_execute=False,
                execution_timeout=timeout,
                engine_name=engine,
                extra_arguments=KERNEL_ARGUMENTS,
            )
            return out, None
        except PapermillExecutionError as e:
            return (kept[-1] if kept else None), f"cell {e.exec_count}: {e.ename}: {e.evalue}"
        except Exception:
            thirdparty.stop_kernel_watch()
            raise


@dataclass
class Rendered:
    """What executing and exporting one report made, in memory, for ``write_rendered`` to write.

    ``files``: "ipynb", "html" and "pdf" (those asked for) when complete; when not, "failed" (the
    executed notebook with the failing cell, if there is one) and ``error`` says why.
    Made by whichever process renders (this one, a local worker, a Dask worker); written by one.
    """

    files: dict[str, bytes]
    error: str = ""


def produce_report(req: ReportRequest, cell_timeout: int = CELL_TIMEOUT_S, engine: str | None = None) -> Rendered:
    """Execute and export one report without writing anything: its files' bytes, or why it failed."""
    import nbformat

    try:
        nb, error = execute(req, cell_timeout, engine)
    except Exception as e:  # kernel died, timed out, could not start
        if isinstance(e, OSError) and e.errno in _WRITE_ERRNOS:  # the disk filled up or became read-only
            raise CantWrite(f"cannot write {e.filename or 'a kernel file'}: {e.strerror or e}") from None
        nb, error = None, f"{type(e).__name__}: {e}"
    if error:
        kept = {} if nb is None else {"failed": nbformat.writes(_strip_papermill_timing(nb)).encode("utf-8")}
        return Rendered(kept, error)
    nb = _strip_papermill_timing(nb)
    nb.metadata["cchc"] = {"lang": req.lang, "title": req.title}
    invalid: dict = {}
    text = nbformat.writes(nb, capture_validation_error=invalid).encode("utf-8")
    if invalid:  # a cell sent an output the notebook format does not allow
        return Rendered(
            {"failed": text}, "an output is not valid in a notebook: " + str(invalid["ValidationError"]).splitlines()[0]
        )
    html = to_html(nb)
    files = {"ipynb": text}
    if "html" in req.formats:
        files["html"] = html.encode("utf-8")
    if "pdf" in req.formats:
        files["pdf"] = html_to_pdf(html)
    return Rendered(files)


def write_rendered(rendered: Rendered, req: ReportRequest, out_dir: Path | None = None) -> dict[str, Path]:
    """Write a rendered report into the reports folder, every file whole or none (temporary names, then
    renames); a failed one keeps only its executed notebook and raises ReportFailed, leaving the earlier
    good files in place."""
    paths = output_paths(Path(out_dir or config.reports_dir()), req)
    if rendered.error:
        if "failed" in rendered.files:
            write_atomic(paths["failed"], rendered.files["failed"])
        raise ReportFailed(
            f"{req.name} {req.year}: {rendered.error}"
            + (f" (executed notebook kept: {paths['failed']})" if "failed" in rendered.files else "")
        )
    written: dict[str, Path] = {kind: paths[kind] for kind in ("ipynb", "html", "pdf") if kind in rendered.files}
    write_all_atomic({paths[kind]: rendered.files[kind] for kind in written})
    paths["failed"].unlink(missing_ok=True)
    return written


def check_writable(folder: Path) -> None:
    """Raise CantWrite when no file can be created in ``folder`` (made if missing): the user's to fix
    (exit 73), said before any kernel starts."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".probe.", suffix=".tmp", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as e:
        raise CantWrite(f"cannot write in {folder}: {e.strerror or e}") from None


def render_report(
    req: ReportRequest, out_dir: Path | None = None, cell_timeout: int = CELL_TIMEOUT_S, engine: str | None = None
) -> dict[str, Path]:
    """Execute and export one report; write atomically; keep the executed notebook for audit."""
    out_dir = Path(out_dir or config.reports_dir())
    check_writable(output_paths(out_dir, req)["failed"].parent)
    return write_rendered(produce_report(req, cell_timeout, engine), req, out_dir)


def _strip_papermill_timing(nb):
    """Drop start/end times papermill records, the random id it gives the cell it injects and the
    paths it ran from and to (a worker's temporary file), so the kept notebook does not change run to run."""
    run = nb.metadata.get("papermill", {})
    for k in ("start_time", "end_time", "duration", "output_path"):
        run.pop(k, None)
    if isinstance(run.get("input_path"), str):
        run["input_path"] = Path(run["input_path"]).name
    for cell in nb.cells:
        meta = cell.get("metadata", {})
        if "injected-parameters" in meta.get("tags", []) and "id" in cell:
            cell.id = "injected-parameters"
        meta.pop("execution", None)
        pm_meta = meta.get("papermill", {})
        for k in ("start_time", "end_time", "duration"):
            pm_meta.pop(k, None)
    return nb
