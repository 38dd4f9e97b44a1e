"""Writing files so that nobody ever sees half of one: a temporary file next to the target, then rename.

Used for reports, batch state, the index pages, exports and imports into data/. ``folder_lock`` keeps
writers of a folder one at a time (imports into data/) and readers from seeing half of a change.
``output_name`` is the one naming rule of the reports' files, for every stage.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

from .errors import CantWrite


def report_key(name: str, lang: str) -> str:
    """A report's file name without extension, and its key in a year's batch state: 'dak-nong' (Vietnamese,
    the default language, has no mark), 'dak-nong.en', 'overview.en'."""
    return name if lang == "vi" else f"{name}.{lang}"


def output_name(name: str, year: int | None, lang: str, kind: str) -> str:
    """The one rule for a report's files, relative to the reports folder: ``name`` (a province slug,
    'overview' or 'index'), ``kind`` 'html', 'pdf', 'ipynb' or 'failed.ipynb' -> '2021/dak-nong.html',
    '2021/dak-nong.en.pdf'; ``year`` None: a file of the folder itself ('index.en.html', the portal)."""
    file = f"{report_key(name, lang)}.{kind}"
    return file if year is None else f"{int(year)}/{file}"


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write one file whole or not at all."""
    write_all_atomic({Path(path): data})


def write_all_atomic(contents: dict[Path, bytes | str]) -> None:
    """Write every temporary file first, then rename each: a failed write replaces nothing."""
    temps: dict[Path, str] = {}
    current = None
    try:
        for path, data in contents.items():
            current = Path(path)
            current.parent.mkdir(parents=True, exist_ok=True)
            temps[current] = _temp_copy(current, data.encode("utf-8") if isinstance(data, str) else data)
        for path, tmp in temps.items():
            current = path
            os.replace(tmp, path)
    except BaseException as exc:
        for tmp in temps.values():
            Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise CantWrite(f"cannot write {exc.filename or current}: {exc.strerror or exc}") from None
        raise


def _temp_copy(path: Path, data: bytes) -> str:
    """A temporary file next to ``path`` holding ``data``, with the permissions ``path`` has or would get."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


def _umask() -> int:
    """The process umask (read by setting and restoring it)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def folder_lock(folder: Path, shared: bool = False, waiting: str = ""):
    """Hold an flock on a folder itself: exclusive for a writer, ``shared`` for readers. When another
    process holds it, say ``waiting`` on stderr (if given) and wait for it."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        mode = fcntl.LOCK_SH if shared else fcntl.LOCK_EX
        try:
            fcntl.flock(fd, mode | fcntl.LOCK_NB)
        except BlockingIOError:
            if waiting:
                print(waiting, file=sys.stderr, flush=True)
            fcntl.flock(fd, mode)
        yield
    finally:
        os.close(fd)  # releases the lock


def snapshot_folder(folder: Path) -> Path:
    """A private copy of a folder, taken while no writer holds its lock (the caller removes it)."""
    copy = Path(tempfile.mkdtemp(prefix=f"cchc-{folder.name}-"))
    with folder_lock(folder, shared=True, waiting=f"waiting for an import into {folder} to finish…"):
        shutil.copytree(folder, copy, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".*"))
    return copy
