"""The shipped notebooks are stored without outputs, and stay so when an analyst runs them in JupyterLab:
``make setup`` installs nbstripout as the git filter that ``.gitattributes`` names for ``*.ipynb``."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import nbformat
import pytest

from ..conftest import BIN, ROOT

pytestmark = [
    pytest.mark.skipif(not (ROOT / ".git").exists(), reason="not a git checkout"),
    # These tests copy notebooks/explore.ipynb while test_lab.py runs it in JupyterLab, which saves its outputs
    # into that file: never at once (a fresh clone's make test copied it mid-run, with Lab's metadata in it).
    pytest.mark.xdist_group("lab"),
]


def git(*args: str, cwd=ROOT) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def tracked_notebooks() -> list[str]:
    return git("ls-files", "*.ipynb").split()


def test_the_tracked_notebooks_have_no_outputs():
    paths = tracked_notebooks()
    assert {"notebooks/explore.ipynb", "notebooks/province_report.ipynb"} <= set(paths)
    for path in paths:
        nb = json.loads(git("show", f":{path}"))  # as stored in git, not as a working copy may be
        code = [c for c in nb["cells"] if c["cell_type"] == "code"]
        assert [c["outputs"] for c in code] == [[] for _ in code], path
        assert {c["execution_count"] for c in code} <= {None}, path
        assert "papermill" not in nb["metadata"], path
        assert set(nb["metadata"].get("language_info", {})) <= {"name"}, path


def test_every_notebook_goes_through_the_nbstripout_filter():
    for path in tracked_notebooks():
        attrs = git("check-attr", "filter", "diff", "--", path)
        assert f"{path}: filter: nbstripout" in attrs and f"{path}: diff: ipynb" in attrs


def _notebook_as_run_in_lab() -> nbformat.NotebookNode:
    nb = nbformat.read(ROOT / "notebooks" / "explore.ipynb", as_version=4)
    for i, cell in enumerate(c for c in nb.cells if c.cell_type == "code"):
        cell.execution_count = i + 1
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="Huế\n")]
    nb.metadata.language_info.update(version="3.11.7", mimetype="text/x-python", file_extension=".py")
    return nb


def test_running_a_notebook_changes_nothing_git_stores(tmp_path):
    """In a new repository set up as `make setup` does: the notebook committed, then run (outputs saved
    into the file, as Lab does): git sees no change, and a commit stores it without outputs."""
    repo = tmp_path / "repo"
    (repo / "notebooks").mkdir(parents=True)
    git("init", "-q", cwd=repo)
    git("config", "user.email", "test@example.org", cwd=repo)
    git("config", "user.name", "test", cwd=repo)
    (repo / ".venv").symlink_to(BIN.parent)  # the filter runs the checkout's own .venv
    (repo / ".git" / "info" / "exclude").write_text(".venv\n")
    shutil.copy(ROOT / ".gitattributes", repo)
    shutil.copy(ROOT / "notebooks" / "explore.ipynb", repo / "notebooks")
    subprocess.run([ROOT / "tools" / "install-git-filters.sh"], cwd=repo, check=True)
    git("add", ".gitattributes", "notebooks", cwd=repo)
    git("commit", "-qm", "shipped", cwd=repo)
    stored = git("show", "HEAD:notebooks/explore.ipynb", cwd=repo)
    assert stored == (ROOT / "notebooks" / "explore.ipynb").read_text(encoding="utf-8")  # already stripped

    nbformat.write(_notebook_as_run_in_lab(), repo / "notebooks" / "explore.ipynb")
    os.utime(repo / "notebooks" / "explore.ipynb", (0, 0))  # a new mtime: git must look at the bytes
    assert git("diff", "--stat", cwd=repo) == ""  # (status lists it until `git add` refreshes the index)
    git("add", "-A", cwd=repo)
    assert git("status", "--porcelain", cwd=repo) == ""
    assert git("show", ":notebooks/explore.ipynb", cwd=repo) == stored
