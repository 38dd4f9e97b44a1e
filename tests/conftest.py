"""Shared fixtures: data folders copied from tests/fixtures with the real province registry."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
REGISTRY_CSV = ROOT / "data" / "provinces.csv"


def make_data_dir(source: Path, dest: Path) -> Path:
    """A copy of a fixture folder with data/provinces.csv added: a complete, disposable data folder."""
    shutil.copytree(source, dest)
    shutil.copy(REGISTRY_CSV, dest / "provinces.csv")
    return dest


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Bytes and modification time (ns) of every file under a folder, by relative path."""
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(name="snapshot")
def snapshot_fixture():
    """The ``snapshot`` function, for tests that check files are left unchanged."""
    return snapshot


@pytest.fixture(scope="session")
def root() -> Path:
    """The project folder."""
    return ROOT


@pytest.fixture
def bad_dir(tmp_path):
    """Factory: the data folder of tests/fixtures/bad/<case>."""
    return lambda case: make_data_dir(FIXTURES / "bad" / case, tmp_path / case)


@pytest.fixture
def good_dir(tmp_path) -> Path:
    """A data folder that passes validation (tests/fixtures/good)."""
    return make_data_dir(FIXTURES / "good", tmp_path / "good")


@pytest.fixture(scope="session")
def registry():
    """The real province registry."""
    from cchc.data.provinces import Registry

    return Registry.from_csv(REGISTRY_CSV)
