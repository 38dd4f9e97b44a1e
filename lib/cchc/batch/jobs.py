"""What a batch plans (``Job``), what each report came to (``Outcome``), and the work a worker does with a job
(``render_job``): the same function whichever executor runs it (``executor.Executor``)."""

from __future__ import annotations

import os
import signal
import time
from dataclasses import dataclass

from ..errors import CantWrite, CchcError
from ..render import notebook as render


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


Result = tuple[Outcome, render.Rendered | None]  # what a worker gives back for a job: nothing to write, or files


def running_order(jobs: list[Job]) -> list[Job]:
    """The jobs in the order they are handed to the workers: the national overviews first (each is about twice
    a province report's work; planned last, one kept a worker busy while the others had nothing left), then
    the reports in plan order."""
    return sorted(jobs, key=lambda j: j.request.name != "overview")


def hung_reason(report_timeout: int, process: str = "worker") -> str:
    """Why a report failed whose ``process`` gave no answer within its time (stopped, or stuck where its own
    alarm cannot reach) and was killed and replaced: the local pool's worker, or a Dask worker's render process."""
    return (
        f"report took longer than {report_timeout} s and its {process} did not answer: the {process} was stopped "
        "and replaced"
    )


def failed(job: Job, reason: str, seconds: float = 0.0) -> Result:
    """The result of a job that gave nothing to write: failed, saying why."""
    req = job.request
    return Outcome(req.name, job.label, req.year, "failed", reason, seconds, req.formats), None


def render_job(job: Job, cell_timeout: int, report_timeout: int) -> Result:
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
        rendered = render.produce_report(req, cell_timeout=cell_timeout, engine=engine())
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


def engine() -> str | None:
    """Batches reuse one kernel per worker (reset between reports); CCHC_REUSE_KERNELS=0 turns it off."""
    if os.environ.get("CCHC_REUSE_KERNELS", "1") == "1":
        from ..kernels.reused import ENGINE_NAME

        return ENGINE_NAME
    return None
