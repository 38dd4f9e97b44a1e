"""The no-op batch: a second `make reports` with nothing changed answers without loading the data.

The full check plans every report and compares each one's fingerprint, which needs pandas, the
data and the suite's code loaded (seconds). A batch that ended with every report ok leaves a stamp
in the reports folder: a hash of every input (the data files, the suite's code, templates and
notebooks, the batch file, the year asked for) and the outputs it left. When the stamp still
matches and every output is still there, no report can be out of date, and the summary is printed
from the stamp. Anything else (a changed byte, a missing output, an earlier failure, another batch
running) goes the full way. Standard library only, so that this path stays fast.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
from pathlib import Path

from .. import config
from ..fingerprint import code_files, hash_files

STAMP_NAME = ".batch-stamp.json"


def inputs_hash(params_path: Path | None, year: int | str | None, out_dir: Path) -> str:
    """Hash of everything a batch's outputs are made from, for this batch file, year (or --years as
    parsed: "2005-2025", "all") and folder."""
    h = hashlib.sha256()
    hash_files(h, code_files())
    data = config.data_dir()
    hash_files(h, sorted((f"data/{f.relative_to(data).as_posix()}", f) for f in data.rglob("*") if f.is_file()))
    params = Path(params_path) if params_path else config.params_dir() / "batch.yaml"
    hash_files(h, [(f"params/{params.resolve()}", params)])
    h.update(f"year={year}\0out={Path(out_dir).resolve()}".encode())
    return h.hexdigest()


def write_stamp(out_dir: Path, key: str, summary: str, outputs: list[Path]) -> None:
    """Record the inputs of a batch that ended with every report ok, and what a run with nothing to do
    says (``summary``)."""
    from ..files import write_atomic

    record = {"inputs": key, "summary": summary, "outputs": sorted(str(p.relative_to(out_dir)) for p in outputs)}
    write_atomic(Path(out_dir) / STAMP_NAME, json.dumps(record, indent=1))


def remove_stamp(out_dir: Path) -> None:
    (Path(out_dir) / STAMP_NAME).unlink(missing_ok=True)


def nothing_to_do(params_path: Path | None, year: int | str | None, out_dir: Path) -> str | None:
    """The summary of an up-to-date batch, or None when the full check must run."""
    out_dir = Path(out_dir)
    try:
        record = json.loads((out_dir / STAMP_NAME).read_text(encoding="utf-8"))
        with open(out_dir / ".batch.lock", "a+") as lock:
            fcntl.flock(lock, fcntl.LOCK_SH | fcntl.LOCK_NB)  # a batch is rendering: not now
            if record.get("inputs") != inputs_hash(params_path, year, out_dir):
                return None
            if not all((out_dir / rel).is_file() for rel in record["outputs"]):
                return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return str(record["summary"])


def output_files(out_dir: Path, requests) -> list[Path]:
    """Every file a batch's requests leave in the folder (reports, kept notebooks, index pages)."""
    from ..render.notebook import output_paths
    from .index_page import page_name
    from .portal import portal_name

    files = []
    for req in requests:
        paths = output_paths(out_dir, req)
        files += [paths["ipynb"], *(paths[f] for f in req.formats)]
    files += [out_dir / page_name(y, lang) for y, lang in {(r.year, r.lang) for r in requests}]
    files += [out_dir / portal_name(lang) for lang in {r.lang for r in requests}]
    return files


__all__ = ["STAMP_NAME", "inputs_hash", "nothing_to_do", "output_files", "remove_stamp", "write_stamp"]
