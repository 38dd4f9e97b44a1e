"""Writing files so that nobody ever sees half of one: a temporary file next to the target, then rename.

Used for reports, batch state, the index page, exports and imports into data/. ``folder_lock`` keeps
writers of a folder one at a time (imports into data/) and readers from seeing half of a change.
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
    """A private copy of a folder in the temporary folder, taken while no writer holds its lock (the caller
    removes it). CantWrite naming the temporary folder when it is full or not writable; nothing is left."""
    temp = tempfile.gettempdir()
    try:
        copy = Path(tempfile.mkdtemp(prefix=f"cchc-{folder.name}-"))
    except OSError as exc:
        raise CantWrite(_no_copy(folder, temp, exc.strerror or str(exc))) from None
    try:
        with folder_lock(folder, shared=True, waiting=f"waiting for an import into {folder} to finish…"):
            shutil.copytree(folder, copy, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".*"))
    except (OSError, shutil.Error) as exc:
        shutil.rmtree(copy, ignore_errors=True)
        first = exc.args[0][0][2] if isinstance(exc, shutil.Error) and exc.args and exc.args[0] else exc
        why = getattr(first, "strerror", None) or str(first).split(": ", 1)[0].split("] ")[-1]
        raise CantWrite(_no_copy(folder, temp, why)) from None
    return copy


def _no_copy(folder: Path, temp: str, why: str) -> str:
    return (
        f"cannot copy {folder} into the temporary folder {temp}: {why}; free some space there or set TMPDIR "
        "to a folder with room (nothing was left behind)"
    )
