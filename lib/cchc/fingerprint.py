"""What a report is made from, as hashes: the suite's code (for the footer and the batch) and files.

Standard library only: the batch's planning and its no-op check use it without loading matplotlib.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from . import config

CODE_SUFFIXES = (".py", ".j2", ".css", ".json", ".csv")


def code_files() -> list[tuple[str, Path]]:
    """The suite's code, templates, assets and notebooks, by a stable name, sorted."""
    package = config.PROJECT_ROOT / "lib" / "cchc"
    files = [(f"lib/{f.relative_to(package).as_posix()}", f) for f in package.rglob("*")
             if f.is_file() and f.suffix in CODE_SUFFIXES]
    files += [(f"notebooks/{f.name}", f) for f in config.notebooks_dir().glob("*.ipynb")]
    return sorted(files)


def hash_files(h, files: list[tuple[str, Path]]) -> None:
    """Feed names and contents into a hash (a missing file counts as missing, not as empty)."""
    for name, f in files:
        h.update(name.encode() + b"\0")
        try:
            h.update(f.read_bytes())
        except OSError:
            h.update(b"\0missing")


def code_version() -> str:
    """A hash of the suite's code, templates and notebooks: changes when they do, not with the clock."""
    h = hashlib.sha256()
    hash_files(h, code_files())
    return "code sha256:" + h.hexdigest()[:12]
