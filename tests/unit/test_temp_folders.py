"""What a killed batch leaves in the temporary folder is removed by the next one: a batch or worker stopped by
SIGKILL (or the out-of-memory killer) cannot remove its copy of data/ (29 MB) or its kernels' folders."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile

import pytest

from cchc import files


@pytest.fixture
def temp(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _left(temp, name: str, pid: int | None):
    folder = temp / name
    (folder / "k").mkdir(parents=True)
    if pid is not None:
        (folder / files.OWNER).write_text(str(pid), encoding="utf-8")
    return folder


def test_a_new_copy_of_data_removes_the_copies_of_batches_that_were_killed(temp, tmp_path):
    source = tmp_path / "src" / "data"
    source.mkdir(parents=True)
    (source / "provinces.csv").write_text("slug\n", encoding="utf-8")
    killed = _left(temp, "cchc-data-killed", _dead_pid())
    running = _left(temp, "cchc-data-running", os.getpid())
    unknown = _left(temp, "cchc-data-older", None)  # no owner written: not ours to judge
    copy = files.snapshot_folder(source)
    assert not killed.exists() and running.exists() and unknown.exists()
    assert (copy / files.OWNER).read_text(encoding="utf-8") == str(os.getpid())
    assert (copy / "provinces.csv").is_file()


def test_only_folders_of_the_given_kind_are_removed(temp):
    killed = _left(temp, "cchc-kernel-killed", _dead_pid())
    other = _left(temp, "someone-else", _dead_pid())
    files.remove_abandoned("cchc-kernel-")
    assert not killed.exists() and other.exists()
