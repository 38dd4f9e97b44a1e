"""Writing files so that nobody ever sees half of one: a temporary file next to the target, then rename.

Used for reports, batch state, the index pages, exports and imports into data/. ``folder_lock`` keeps
writers of a folder one at a time (imports into data/) and readers from seeing half of a change.
``output_name`` is the one naming rule of the reports' files, for every stage.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import sys
import tempfile
import time
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


def write_all_atomic(contents: dict[Path, bytes | str], journal: Path | None = None) -> None:
    """Write every temporary file first, then rename each: a failed write replaces nothing. With a ``journal``
    (a file in the folder written to), the renames are all-or-nothing even when the process is stopped: the
    journal, listing them, is renamed into place once every temporary file is written (the commit point); an
    interruption after it finishes the renames here, or the next ``folder_lock`` on the folder does
    (``finish_interrupted``); one before it leaves only temporary files, which the next lock removes."""
    temps: dict[Path, str] = {}
    current = None
    try:
        for path, data in contents.items():
            current = Path(path)
            current.parent.mkdir(parents=True, exist_ok=True)
            temps[current] = _temp_copy(current, data.encode("utf-8") if isinstance(data, str) else data)
        _pause_for_tests("before-commit")
        if journal is not None:
            renames = [
                [os.path.relpath(tmp, journal.parent), os.path.relpath(p, journal.parent)] for p, tmp in temps.items()
            ]
            os.replace(_temp_copy(journal, json.dumps({"renames": renames}).encode()), journal)
            _sync_folder(journal.parent)
        for path, tmp in temps.items():
            current = path
            os.replace(tmp, path)
            _pause_for_tests("between-renames")
        if journal is not None:
            journal.unlink()
    except BaseException as exc:
        if journal is not None and journal.exists():  # committed: the import is finished, whatever stopped it
            try:
                finish_interrupted(journal.parent)
            except OSError:
                pass  # the journal stays; the next lock on the folder finishes it
            if isinstance(exc, KeyboardInterrupt):
                raise KeyboardInterrupt("the import had been checked and is complete: data/ holds all of it") from None
        else:
            for tmp in temps.values():
                Path(tmp).unlink(missing_ok=True)
            if isinstance(exc, KeyboardInterrupt) and journal is not None:
                raise KeyboardInterrupt("nothing was written: data/ is as it was") from None
        if isinstance(exc, OSError):
            raise CantWrite(f"cannot write {exc.filename or current}: {exc.strerror or exc}") from None
        raise


JOURNAL = ".import-journal.json"  # in a data folder while an import's files are renamed into place


def finish_interrupted(folder: Path) -> str:
    """Finish or undo an import into ``folder`` that a crash, SIGKILL or Ctrl-C stopped (the caller holds the
    folder's exclusive lock): the renames its journal lists are done (it had been checked and committed), and
    temporary files of an import stopped before its commit point are removed. What was done, or ''."""
    said = []
    journal = folder / JOURNAL
    if journal.exists():
        renames = json.loads(journal.read_text(encoding="utf-8"))["renames"]
        for tmp, target in renames:
            if (folder / tmp).exists():
                os.replace(folder / tmp, folder / target)
        _sync_folder(folder)
        journal.unlink()
        files = ", ".join(target for _, target in renames)
        said.append(
            f"finished an import that was stopped while renaming its files into place ({files} now hold its rows)"
        )
    stray = sorted(folder.rglob(".*.tmp"))
    for tmp in stray:
        tmp.unlink(missing_ok=True)
    if stray:
        said.append(
            f"removed {len(stray)} temporary file(s) of an import stopped before it had written anything "
            f"({', '.join(t.relative_to(folder).as_posix() for t in stray)}): the data files are as they were before it"
        )
    return "; ".join(said)


def _sync_folder(folder: Path) -> None:
    """Make the renames in a folder durable (fsync of the folder itself)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _pause_for_tests(stage: str) -> None:
    """Tests only: with CCHC_TEST_PAUSE_IMPORT=<stage>:<file>, create <file> at that stage of a multi-file write
    and wait (up to a minute) for the test to stop the process there."""
    wanted, _, signal_file = os.environ.get("CCHC_TEST_PAUSE_IMPORT", "").partition(":")
    if wanted != stage or not signal_file or Path(signal_file).exists():
        return
    Path(signal_file).touch()
    for _ in range(600):
        time.sleep(0.1)


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
    process holds it, say ``waiting`` on stderr (if given) and wait for it. An import a crash stopped half-way
    is finished or undone first (``finish_interrupted``), saying so on stderr."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        mode = fcntl.LOCK_SH if shared else fcntl.LOCK_EX
        try:
            fcntl.flock(fd, mode | fcntl.LOCK_NB)
        except BlockingIOError:
            if waiting:
                print(waiting, file=sys.stderr, flush=True)
            fcntl.flock(fd, mode)
        if (folder / JOURNAL).exists() or next(folder.rglob(".*.tmp"), None):  # an import stopped half-way
            fcntl.flock(fd, fcntl.LOCK_EX)  # (a reader's lock converted: no writer runs while it is held)
            done = finish_interrupted(folder)
            if done:
                print(f"cchc: {folder}: {done}", file=sys.stderr, flush=True)
            fcntl.flock(fd, mode)
        yield
    finally:
        os.close(fd)  # releases the lock


OWNER = ".cchc-owner"  # in a temporary folder of the suite: the id of the process that removes it when done


def owned_temp_folder(prefix: str) -> Path:
    """A new folder in the temporary folder, marked as this process's (``OWNER``); first, the folders of
    the same kind whose process is gone (``remove_abandoned``)."""
    remove_abandoned(prefix)
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    (folder / OWNER).write_text(str(os.getpid()), encoding="utf-8")
    return folder


def remove_abandoned(prefix: str) -> None:
    """Remove the folders ``<prefix>*`` of the temporary folder whose owner process no longer runs: a batch, a
    worker or a kernel killed (SIGKILL, the out-of-memory killer) cannot remove its own. A folder without an
    owner, or whose owner runs, is left alone."""
    for path in Path(tempfile.gettempdir()).glob(f"{prefix}*"):
        try:
            pid = int((path / OWNER).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            shutil.rmtree(path, ignore_errors=True)
        except OSError:  # another user's process: it runs
            pass


def snapshot_folder(folder: Path) -> Path:
    """A private copy of a folder in the temporary folder, taken while no writer holds its lock (the caller
    removes it; the next copy does when a killed process could not). CantWrite naming the temporary folder
    when it is full or not writable; nothing is left."""
    temp = tempfile.gettempdir()
    try:
        copy = owned_temp_folder(f"cchc-{folder.name}-")
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
