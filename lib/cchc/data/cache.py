"""The checked dataset and its figures kept on disk, so that ``cchc.load()`` answers in under a second; and
each data file's checked rows, so that a command checking a folder checks only the files that changed.

Checking every file of data/ and computing the national tables costs seconds in each new process (a
notebook's kernel, a script). The first load of a data folder pickles the checked ``Dataset`` with its
figures, means and distributions computed; the next load reads it back when its key still matches:
the bytes of every file in the data folder, the suite's code and the Python, pandas and numpy that wrote
it. Any edit in data/ (or in the code) gives another key, and the dataset is checked again. The file is
named by its key, not by the folder: a copy of a folder (a batch's snapshot, a second clone) and a folder
whose files come back to bytes loaded before (an import undone, a branch checked out again) read it back.

A data file's checked rows and problems (``checked_file``: 0.3–0.45 CPU-s for PCI's and PAPI's files) are
kept the same way, keyed by the file's bytes and name, the province and index registries it was read
against and the suite's code: `cchc validate`, an import and a load after an edit re-read only the files
that changed; the checks across rows and files run every time.

The cache lives outside data/: ``$CCHC_CACHE_DIR`` or ``.cache/`` in the project (git-ignored), written
atomically, the least recently used files removed past ``KEEP``. A file that cannot be read, or holds
anything else than what its key names, is never used: the data are checked again and the file replaced.
It is a pickle: only the user's own cache folder is read, as the suite's own code is.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import hashlib
import os
import pickle
import platform
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol, TypeVar

from .. import config
from ..errors import CantWrite
from ..files import write_atomic
from ..fingerprint import hash_files
from .indices import active


class OfFolder(Protocol):
    """What the cache keeps: the checked dataset of one data folder (``dataset.Dataset``, which calls this
    module: the cache does not import it)."""

    data_dir: Path


D = TypeVar("D", bound=OfFolder)
R = TypeVar("R")
KEEP = 16  # datasets kept (one per state of a data folder met); the least recently used go first
KEEP_FILES = 32  # data files' checked rows kept (a few MB each at most)
FILE_BYTES = 32 << 10  # smaller files are checked again: reading a pickle would save nothing
COMPUTED = ("figures", "all_means", "distributions")  # what the first answers need, computed before saving


def cache_dir() -> Path:
    """``$CCHC_CACHE_DIR``, else ``.cache/dataset`` in the project."""
    return Path(os.environ.get("CCHC_CACHE_DIR") or config.PROJECT_ROOT / ".cache" / "dataset")


def cache_file(data_dir: Path, key: str | None = None) -> Path:
    """The cache file of a data folder as its files are now (named by ``cache_key``: any folder with the
    same bytes has the same one)."""
    return cache_dir() / f"{(key or cache_key(data_dir))[:20]}.pickle"


def cache_key(data_dir: Path) -> str:
    """sha256 over every file of the data folder (relative path and bytes; hidden files such as a batch's
    pickled copy are not data), the suite's library code, the index registry in use (``indices.active``: a
    folder checked against a scratch registry is not the same dataset) and the versions that shape a pickle."""
    import numpy
    import pandas

    data_dir = Path(data_dir)
    h = hashlib.sha256()
    files = sorted(
        (f.relative_to(data_dir).as_posix(), f)
        for f in data_dir.rglob("*")
        if f.is_file() and not any(part.startswith(".") for part in f.relative_to(data_dir).parts)
    )
    hash_files(h, [(f"data/{name}", f) for name, f in files])
    h.update(_code_and_registry())
    h.update(f"python {platform.python_version()} pandas {pandas.__version__} numpy {numpy.__version__}".encode())
    return h.hexdigest()


def _code_and_registry() -> bytes:
    """The suite's library code and the index registry in use, as bytes fed into a key."""
    return _code() + f"indices {active().fingerprint()}".encode()


@functools.lru_cache(maxsize=1)
def _code() -> bytes:
    """A digest of the library's code, once a process (the code it runs is the code it imported)."""
    h = hashlib.sha256()
    package = Path(__file__).resolve().parents[1]
    hash_files(h, sorted((f"lib/{f.relative_to(package).as_posix()}", f) for f in package.rglob("*.py")))
    return h.digest()


def cached_dataset(data_dir: Path, build: Callable[[], D], kind: type[D], copy_of: Path | None = None) -> D:
    """The dataset of ``data_dir`` from its cache file when the key matches, else ``build()`` it, compute
    its figures and save it. The caller holds the data folder's shared lock (no import in between).

    ``copy_of``: ``data_dir`` is a copy of that folder (a batch's snapshot): the dataset is saved as that
    folder's (the copy has its bytes, so its key), and the dataset returned is the copy's."""
    home = Path(copy_of) if copy_of is not None else Path(data_dir)
    key = cache_key(data_dir)
    path = cache_file(data_dir, key)
    ds = read_cached(path, key, kind)
    if ds is None:
        ds = build()
        for name in COMPUTED:
            getattr(ds, name)
        stored = copy.copy(ds)  # the same tables and computed figures, saved as the source folder's
        stored.data_dir = home
        save(path, key, stored)
    ds.data_dir = Path(data_dir)
    return ds


def read_cached(path: Path, key: str, kind: type[R]) -> R | None:
    """What the cache file holds for ``key`` (a ``kind``), or None when the file is missing, unreadable or of
    another key. The dataset of a folder with the same bytes is this folder's: the caller sets its folder."""
    try:
        with open(path, "rb") as f:
            stored_key, value = pickle.load(f)
    except Exception:  # missing, truncated, garbage, another version's classes: checked again instead
        return None
    if stored_key != key or not isinstance(value, kind):
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # recently used: kept by the pruning
    return value


def save(path: Path, key: str, value: Any, keep: int = KEEP) -> None:
    """Write the cache file atomically and keep only the ``keep`` most recently used of its folder; a cache
    folder that cannot be written costs only the speed."""
    try:
        write_atomic(path, pickle.dumps((key, value), protocol=pickle.HIGHEST_PROTOCOL))
        caches = sorted(path.parent.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in caches[keep:]:
            old.unlink(missing_ok=True)
    except (OSError, CantWrite):
        pass


def checked_file(raw: bytes, what: str, registry: str, check: Callable[[], R], kind: type[R]) -> R:
    """``check()`` of a data file whose bytes are ``raw``, read back from the cache when the same bytes were
    checked before as ``what`` (its table and name in the folder) against the same province registry
    (``registry``: its fingerprint), index registry and code; else checked and saved. Small files are
    simply checked."""
    if len(raw) < FILE_BYTES:
        return check()
    h = hashlib.sha256(b"checked file\0" + what.encode() + b"\0" + registry.encode() + b"\0")
    h.update(_code_and_registry())
    h.update(f"python {platform.python_version()}".encode() + b"\0" + raw)
    key = h.hexdigest()
    path = cache_dir() / "files" / f"{key[:24]}.pickle"
    found = read_cached(path, key, kind)
    if found is not None:
        return found
    result = check()
    save(path, key, result, KEEP_FILES)
    return result
