"""A kernel reused from report to report (papermill engine cchc-reuse) gives what a new kernel gives.

The notebook here is synthetic (written by the test): each cell changes some state a later report
could see if the reset between reports missed it.
"""

from __future__ import annotations

import asyncio
import time

import nbformat
import pytest
from jupyter_core.utils import ensure_event_loop

from cchc.kernels import reused as reused_kernel
from cchc.render import notebook as render

from ..conftest import streams_joined

pytestmark = pytest.mark.slow

CELLS = [
    "import sys, warnings\nimport matplotlib, pandas as pd\nimport cchc\n"
    'warnings.formatwarning = lambda message, category, *rest, **kw: f"{category.__name__}: {message}\\n"',
    # names left by an earlier report would show here
    "print(sorted(k for k in globals() if not k.startswith('_') and k not in "
    "{'In', 'Out', 'get_ipython', 'exit', 'quit', 'open'}))",
    "leftover = n\nprint(matplotlib.rcParams['lines.linewidth'], pd.get_option('display.max_rows'))\n"
    "matplotlib.rcParams['lines.linewidth'] = 7\npd.set_option('display.max_rows', 3)",
    "warnings.warn('a warning shown in every report')",
    "print(getattr(cchc, 'touched', 'fresh module'))\ncchc.touched = 'touched by an earlier report'",
    # a module the kernel keeps from report to report: a name rebound or added by a report is put back
    "from cchc.report import sections\nprint(sections.title.__name__, getattr(sections, 'added', 'no name added'))\n"
    "sections.title = print\nsections.added = 'by an earlier report'\n"
    "import cchc.data.dataset\nkept = id(cchc.data.dataset)",
    "import os\nprint(os.getcwd())",
    # written last, without a newline or a flush: must still be this cell's output
    "sys.stdout.write('stdout, unflushed'); sys.stderr.write('stderr, unflushed')",
    "1 + n",
    "assert n != 2, 'report 2 fails'",
]


@pytest.fixture
def notebook(tmp_path):
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell("n = 1")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params] + [nbformat.v4.new_code_cell(src) for src in CELLS]
    for i, cell in enumerate(nb.cells):
        cell.id = f"c{i}"
    nb.metadata["kernelspec"] = {"name": "cchc", "display_name": "cchc", "language": "python"}
    path = tmp_path / "state.ipynb"
    nbformat.write(nb, path)
    yield path
    reused_kernel.discard()


def run(notebook, n, engine=reused_kernel.ENGINE_NAME, timeout=60):
    req = render.ReportRequest(notebook, "state", 2021, (("n", n),), ("html",))
    nb, error = render.execute(req, timeout, engine=engine)
    return (nbformat.writes(streams_joined(render._strip_papermill_timing(nb))) if nb is not None else None), error


def test_a_reused_kernel_runs_a_report_as_a_new_kernel_would(notebook):
    fresh, error = run(notebook, 1, engine=None)
    assert error is None
    assert "fresh module" in fresh and "a warning shown in every report" in fresh

    first, _ = run(notebook, 3)
    pid = reused_kernel.kernel_pid()
    again, error = run(notebook, 1)
    assert error is None
    assert reused_kernel.kernel_pid() == pid  # the same kernel ran both reports
    assert again == fresh  # namespace, rcParams, options, modules, warnings, counts: as new


def test_the_suites_modules_and_what_they_keep_stay_imported_from_report_to_report(notebook):
    """What makes a reused kernel pay off: the batch's checked data read once, the tables and drawn map layers
    kept by the suite's modules, all last from report to report (the bench's bound keeps them too)."""
    nb = nbformat.read(notebook, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("print('module', kept)"))
    nbformat.write(nb, notebook)
    first, _ = run(notebook, 1)
    again, error = run(notebook, 3)
    assert error is None
    module = [line for line in again.splitlines() if "module " in line and "fresh" not in line]
    assert module and module == [line for line in first.splitlines() if "module " in line and "fresh" not in line]


def test_what_outlives_the_reports_is_frozen_and_what_they_left_is_collected_first(notebook):
    """Before reports 2, 4, 8, … the reset collects what earlier reports left and freezes what is kept (the data,
    the tables, fonts), so that the full collections of the reports to come do not scan it again; an earlier
    report's garbage (a cycle) is collected, not frozen."""
    import re

    nb = nbformat.read(notebook, as_version=4)
    nb.cells.append(
        nbformat.v4.new_code_cell(
            "import gc, sys, types, weakref\n"
            "probe = sys.modules.setdefault('_cchc_gc_probe', types.ModuleType('_cchc_gc_probe'))\n"
            "print('earlier cycles alive', sum(r() is not None for r in getattr(probe, 'refs', [])))\n"
            "print('frozen', gc.get_freeze_count())\n"
            "class Cycle:\n    pass\n"
            "c = Cycle()\nc.me = c\n"
            "probe.refs = getattr(probe, 'refs', []) + [weakref.ref(c)]"
        )
    )
    nbformat.write(nb, notebook)
    frozen, alive = [], []
    for _ in range(4):
        text, error = run(notebook, 1)
        assert error is None
        frozen.append(int(re.search(r"frozen (\d+)", text).group(1)))
        alive.append(int(re.search(r"earlier cycles alive (\d+)", text).group(1)))
    # frozen before reports 2 and 4; before 3 nothing more (a frozen object freed by its count leaves the count)
    assert frozen[1] > frozen[0] and frozen[2] <= frozen[1] and frozen[3] > frozen[2]
    assert alive[1] == 0 and alive[3] == 0  # collected before the freeze


def test_a_failing_report_discards_the_kernel_and_the_next_report_gets_a_new_one(notebook):
    run(notebook, 1)
    pid = reused_kernel.kernel_pid()
    failed, error = run(notebook, 2)
    assert "report 2 fails" in error and "report 2 fails" in failed
    assert reused_kernel.kernel_pid() is None
    after, error = run(notebook, 1)
    assert error is None and reused_kernel.kernel_pid() not in (None, pid)


def test_a_hung_cell_times_out_and_the_next_report_does_not_hang(notebook):
    nb = nbformat.read(notebook, as_version=4)
    nb.cells.insert(1, nbformat.v4.new_code_cell("import time\nif n == 5:\n    time.sleep(600)"))
    nbformat.write(nb, notebook)
    run(notebook, 1)
    start = time.monotonic()
    with pytest.raises(Exception, match="timed out"):
        run(notebook, 5, timeout=2)
    assert reused_kernel.kernel_pid() is None
    _, error = run(notebook, 1, timeout=30)
    assert error is None
    assert time.monotonic() - start < 60


def test_batches_reuse_kernels_unless_told_not_to(monkeypatch):
    from cchc.batch.jobs import engine

    monkeypatch.delenv("CCHC_REUSE_KERNELS", raising=False)
    assert engine() == reused_kernel.ENGINE_NAME
    monkeypatch.setenv("CCHC_REUSE_KERNELS", "0")
    assert engine() is None


@pytest.mark.parametrize("engine", [reused_kernel.ENGINE_NAME, None])
def test_an_output_the_notebook_format_forbids_fails_the_report(notebook, tmp_path, engine):
    nb = nbformat.read(notebook, as_version=4)
    nb.cells.append(
        nbformat.v4.new_code_cell(
            "from IPython.display import display\ndisplay({'text/plain': 5}, raw=True)  # text must be a string"
        )
    )
    nbformat.write(nb, notebook)
    req = render.ReportRequest(notebook, "state", 2021, (("n", 1),), ("html",))
    with pytest.raises(render.ReportFailed, match="not valid|ValidationError"):
        render.render_report(req, tmp_path / "out", engine=engine)
    assert not (tmp_path / "out" / "2021" / "state.html").exists()
    left = [
        t
        for t in asyncio.all_tasks(ensure_event_loop())
        if not t.done() and "poll_kernel_alive" in getattr(t.get_coro(), "__qualname__", "")
    ]
    assert not left  # nbclient's kernel watch, left by its own failure, would fail in a later report


def test_a_killed_worker_leaves_its_kernels_connection_file_only_inside_its_own_folder(tmp_path, monkeypatch):
    """A worker killed by SIGKILL cannot remove what its kernel wrote; the next batch removes the kernel folders
    of dead owners (``files.remove_abandoned``), so the connection file (with the kernel's key) must be in its
    folder, not loose in the temporary folder (342 such files had piled up in /tmp)."""
    import os
    import subprocess
    import sys
    import tempfile

    from cchc import files

    code = (
        "import os\nfrom cchc.kernels import reused\nprint(reused._kernel('cchc', 60).km.connection_file)\nos._exit(0)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env={**os.environ, "TMPDIR": str(tmp_path)}, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert os.path.isfile(done.stdout.strip())  # the worker died without removing anything
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    files.remove_abandoned("cchc-kernel-")
    assert sorted(p.name for p in tmp_path.iterdir()) == []
