"""The checked dataset and its figures kept on disk, so that ``cchc.load()`` answers in under a second.

Checking every file of data/ and computing the national tables costs seconds in each new process (a
notebook's kernel, a script). The first load of a data folder pickles the checked ``Dataset`` with its
figures, means and distributions computed; the next load reads it back when its key still matches:
the bytes of every file in the data folder, the suite's code and the Python, pandas and numpy that wrote
it. Any edit in data/ (or in the code) gives another key, and the dataset is checked again.

The cache lives outside data/: ``$CCHC_CACHE_DIR`` or ``.cache/`` in the project (git-ignored), one file
per data folder, written atomically. A file that cannot be read, or holds anything else than the dataset
of that key, is never used: the data are checked again and the file replaced. It is a pickle: only the
user's own cache folder is read, as the suite's own code is.
"""

from __future__ import annotations

import copy
import hashlib
import os
import pickle
import platform
from collections.abc import Callable
from pathlib import Path
from typing import Protocol, TypeVar

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
KEEP = 16  # cache files kept (one per data folder); the least recently used go first
COMPUTED = ("figures", "all_means", "distributions")  # what the first answers need, computed before saving


def cache_dir() -> Path:
    """``$CCHC_CACHE_DIR``, else ``.cache/dataset`` in the project."""
    return Path(os.environ.get("CCHC_CACHE_DIR") or config.PROJECT_ROOT / ".cache" / "dataset")


def cache_file(data_dir: Path) -> Path:
    """The one cache file of a data folder (named by its absolute path)."""
    name = hashlib.sha256(str(Path(data_dir).resolve()).encode()).hexdigest()[:20]
    return cache_dir() / f"{name}.pickle"


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
    package = Path(__file__).resolve().parents[1]
    hash_files(h, sorted((f"lib/{f.relative_to(package).as_posix()}", f) for f in package.rglob("*.py")))
    h.update(f"indices {active().fingerprint()}".encode())
    h.update(f"python {platform.python_version()} pandas {pandas.__version__} numpy {numpy.__version__}".encode())
    return h.hexdigest()


def cached_dataset(data_dir: Path, build: Callable[[], D], kind: type[D], copy_of: Path | None = None) -> D:
    """The dataset of ``data_dir`` from its cache file when the key matches, else ``build()`` it, compute
    its figures and save it. The caller holds the data folder's shared lock (no import in between).

    ``copy_of``: ``data_dir`` is a copy of that folder (a batch's snapshot): the cache file of the folder it
    was copied from is read and written, under the key of the copy's bytes (the same bytes give the same
    key), and the dataset returned is the copy's."""
    home = Path(copy_of) if copy_of is not None else Path(data_dir)
    key = cache_key(data_dir)
    path = cache_file(home)
    ds = read_cached(path, key, home, kind)
    if ds is None:
        ds = build()
        for name in COMPUTED:
            getattr(ds, name)
        stored = copy.copy(ds)  # the same tables and computed figures, saved as the source folder's
        stored.data_dir = home
        save(path, key, stored)
    ds.data_dir = Path(data_dir)
    return ds


def read_cached(path: Path, key: str, data_dir: Path, kind: type[D]) -> D | None:
    """The cached dataset of ``key`` (a ``kind``), or None when the file is missing, unreadable or of another key."""
    try:
        with open(path, "rb") as f:
            stored_key, ds = pickle.load(f)
    except Exception:  # missing, truncated, garbage, another version's classes: checked again instead
        return None
    if stored_key != key or not isinstance(ds, kind) or Path(ds.data_dir) != Path(data_dir):
        return None
    os.utime(path)  # recently used: kept by the pruning
    return ds


def save(path: Path, key: str, ds: OfFolder) -> None:
    """Write the cache file atomically and keep only the ``KEEP`` most recently used; a cache folder that
    cannot be written costs only the speed."""
    try:
        write_atomic(path, pickle.dumps((key, ds), protocol=pickle.HIGHEST_PROTOCOL))
        caches = sorted(path.parent.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in caches[KEEP:]:
            old.unlink(missing_ok=True)
    except (OSError, CantWrite):
        pass
