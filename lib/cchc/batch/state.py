"""What a batch keeps between runs in the reports folder: each year's ``.state.json`` (every report's
fingerprint, status and reason, read back to render only what changed and to write the index page) and the
folder's lock (one batch at a time)."""

from __future__ import annotations

import fcntl
import json
import os
import sys
from pathlib import Path

from ..errors import CantWrite
from ..files import report_key, write_atomic
from ..render import notebook as render
from .jobs import Job, Outcome


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
    entry = state.get(state_key(job.request))
    if not entry or entry.get("status") != "ok" or entry.get("fingerprint") != job.fingerprint:
        return False
    paths = render.output_paths(out_dir, job.request)
    return all(paths[f].exists() for f in ("ipynb", *job.request.formats))  # the kept notebook too


def record(state: dict, job: Job, outcome: Outcome) -> None:
    """Keep what became of a job in its year's state (the fingerprint only when it rendered)."""
    state[state_key(job.request)] = {
        "fingerprint": job.fingerprint if outcome.status == "ok" else "",
        "status": outcome.status,
        "reason": outcome.reason,
        "label": job.label,
        "formats": list(job.request.formats),
        "seconds": outcome.seconds,
        "date": run_date(),
    }


def state_key(req: render.ReportRequest) -> str:
    return report_key(req.name, req.lang)


def run_date() -> str:
    """Today (ISO), the day a report was made, shown on the index page; SOURCE_DATE_EPOCH, when set, fixes it
    (reproducible builds' convention)."""
    import datetime as dt

    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date().isoformat()
    return dt.date.today().isoformat()


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
