"""What a report is made from, as hashes: the suite's code (for the footer and the batch) and files.

Standard library only: the batch's planning and its no-op check use it without loading matplotlib.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from . import config

CODE_SUFFIXES = (".py", ".j2", ".js", ".css", ".json", ".csv", ".po")  # .po: the words (catalogue)
SUITE_VERSION = "0.1.0"  # as in pyproject.toml; the footer and `cchc --version` show it


def code_files() -> list[tuple[str, Path]]:
    """The suite's code, templates, assets and notebooks, by a stable name, sorted."""
    package = config.PROJECT_ROOT / "lib" / "cchc"
    files = [
        (f"lib/{f.relative_to(package).as_posix()}", f)
        for f in package.rglob("*")
        if f.is_file() and f.suffix in CODE_SUFFIXES
    ]
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


# Libraries whose version can change a report's bytes (execution, notebook format, HTML, PDF, figures).
RENDERING_PACKAGES = (
    "ipykernel",
    "jupyter_client",
    "matplotlib",
    "nbclient",
    "nbconvert",
    "nbformat",
    "numpy",
    "pandas",
    "papermill",
    "playwright",
    "seaborn",
)


def data_version(data_dir: Path | None = None) -> str:
    """A hash of every file in the data folder, by relative path: changes when any figure does. Hidden
    files are not data (a batch's snapshot holds its pickled dataset, a folder its lock file)."""
    data = Path(data_dir or config.data_dir())
    files = [
        f
        for f in data.rglob("*")
        if f.is_file() and not any(part.startswith(".") for part in f.relative_to(data).parts)
    ]
    h = hashlib.sha256()
    hash_files(h, sorted((f.relative_to(data).as_posix(), f) for f in files))
    return "data sha256:" + h.hexdigest()[:12]


def suite_versions() -> dict[str, str]:
    """What a report's bytes depend on in this process: the suite's code, the data, Python and the
    rendering libraries. Two processes render the same bytes only when these are equal."""
    return {"code": code_version(), "data": data_version(), **_environment()}


@lru_cache(maxsize=1)
def _environment() -> dict[str, str]:
    """Python's, the rendering libraries' and Chromium's versions (read once: about 0.1 s, and a process keeps
    what it imported)."""
    import platform
    from importlib import metadata

    versions = {"python": platform.python_version()}
    for name in RENDERING_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    versions["chromium"] = _chromium_version()
    return versions


def _chromium_version() -> str:
    """The version of the Chromium that prints the PDFs (its own words: 'Chromium 150.0.7871.100 …')."""
    import subprocess

    from .config import chromium

    try:
        done = subprocess.run([chromium(), "--version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return "not installed"
    return done.stdout.strip() or "not installed"


def version_differences(ours: dict[str, str], theirs: dict[str, str]) -> list[str]:
    """What differs between two ``suite_versions()``, as 'what: ours here, theirs there'."""
    return [
        f"{key}: {ours.get(key, 'unknown')} here, {theirs.get(key, 'unknown')} there"
        for key in sorted(set(ours) | set(theirs))
        if ours.get(key) != theirs.get(key)
    ]
