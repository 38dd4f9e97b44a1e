"""What the batch process alone writes into the reports folder: the files a worker rendered, each whole
(renamed into place), and nothing left of a killed run's temp files."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ..errors import CantWrite, CchcError
from ..render import notebook as render
from .jobs import Job, Outcome


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


def remove_stale_temp_files(out_dir: Path) -> int:
    """Temp files left by a killed run (never a report: reports are renamed into place whole)."""
    n = 0
    for tmp in out_dir.rglob(".*.tmp*"):
        tmp.unlink(missing_ok=True)
        n += 1
    return n
