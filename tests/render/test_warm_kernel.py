"""Warm kernels (cchc.kernels.warm): same outputs as a normal kernel, failures surface, nothing left behind."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import nbformat
import psutil
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from cchc.kernels import warm as warm_kernel
from cchc.kernels import zygote_client

from ..conftest import streams_joined

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("warm_kernel")]  # one zygote for the module

KERNEL = "cchc"

CELLS = [
    "import pandas as pd\nimport numpy as np\nimport matplotlib\nimport matplotlib.pyplot as plt\n"
    "assert 'seen' not in globals(), 'state leaked from an earlier kernel'\nseen = True\n"
    "df = pd.DataFrame({'a': np.arange(5) * n, 'b': list('vwxyz')})\nprint('rows', len(df))\ndf",
    "fig, ax = plt.subplots(figsize=(4, 3))\nax.plot(df['a'], df['a'] ** 2, marker='o')\n"
    "ax.set_title('Đắk Nông — %d' % n)",
    "import seaborn as sns\nsns.barplot(x=df['b'], y=df['a'])\nplt.show()\n"
    "import sys\nprint('to stderr', file=sys.stderr)",
    "import os, signal, sys\nprint(matplotlib.get_backend(), matplotlib.is_interactive())\n"
    "print(sorted(m for m in sys.modules if m == 'cchc' or m.startswith('cchc.')))\n"
    "print(sys.path)\nprint(os.getcwd(), os.environ.get('MPLBACKEND'))\nprint(sys.argv[0])\n"
    "print(signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGPIPE))\n"
    "print(np.linalg.inv(np.array([[2.0, 1.0], [1.0, 3.0]])))",
]


def notebook(path, cells=CELLS):
    nb = new_notebook(
        cells=[new_code_cell("n = 1", metadata={"tags": ["parameters"]}), *[new_code_cell(c) for c in cells]]
    )
    nb.metadata["kernelspec"] = {"name": KERNEL, "display_name": "CCHC", "language": "python"}
    nbformat.write(nb, path)
    return path


def run(path, **kw):
    import papermill as pm

    kw.setdefault("parameters", {"n": 3})
    return pm.execute_notebook(
        str(path), None, kernel_name=KERNEL, cwd=str(path.parent), progress_bar=False, log_output=False, **kw
    )


def outputs(nb):
    """Cell sources and outputs, PNG bytes included, each cell's stream text as one output; papermill's timing
    metadata left out."""
    return [(c.source, c.get("execution_count"), c.outputs) for c in streams_joined(nb).cells if c.cell_type == "code"]


def gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE  # dead, not yet reaped by init
    except psutil.NoSuchProcess:
        return True


@pytest.fixture(scope="module", autouse=True)
def _stop_zygotes():
    yield
    warm_kernel.shutdown()


@pytest.fixture
def warm():
    """Warm kernels on for one test; the zygote is kept for the next test, stopped after the module."""
    warm_kernel.enable()
    yield warm_kernel
    warm_kernel.disable(stop_zygotes=False)


def test_warm_kernel_gives_the_outputs_of_a_normal_kernel(warm, tmp_path):
    path = notebook(tmp_path / "synthetic.ipynb")
    warm.disable(stop_zygotes=False)
    try:
        normal = run(path)
    finally:
        warm.enable()
    before = warm.recent_kernel_pids()
    first, second = run(path), run(path)
    forked = warm.recent_kernel_pids()[len(before) :]
    assert len(forked) == 2 and forked[0] != forked[1], "each report gets its own forked kernel"

    assert outputs(first) == outputs(normal)
    assert outputs(second) == outputs(normal)  # nothing leaked from the first warm kernel
    pngs = [
        o["data"]["image/png"] for c in first.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})
    ]
    assert len(pngs) == 2
    texts = "".join(o.get("text", "") for c in first.cells for o in c.get("outputs", []))
    assert "module://matplotlib_inline.backend_inline True" in texts
    assert "\n[]\n" in texts  # project modules are imported afresh by each kernel, not preloaded
    assert "to stderr" in texts


def test_dead_kernel_and_cell_timeout_fail_fast(warm, tmp_path):
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    before = len(warm.recent_kernel_pids())
    died = notebook(tmp_path / "dies.ipynb", ["print('before')", "import os\nos._exit(1)", "print('after')"])
    t0 = time.monotonic()
    with pytest.raises((DeadKernelError, PapermillExecutionError)):
        run(died)
    assert time.monotonic() - t0 < 20

    slow = notebook(tmp_path / "slow.ipynb", ["import time\ntime.sleep(60)"])
    t0 = time.monotonic()
    with pytest.raises((CellTimeoutError, PapermillExecutionError)):
        run(slow, execution_timeout=2)
    assert time.monotonic() - t0 < 20
    assert len(warm.recent_kernel_pids()) == before + 2, "both ran in forked kernels"


def test_no_forked_kernel_is_left_behind(warm, tmp_path):
    run(notebook(tmp_path / "one.ipynb", ["print(n)"]))
    kernels = warm.recent_kernel_pids()
    assert kernels
    assert all(gone(pid) for pid in kernels)
    for zygote in warm.zygote_pids():
        assert [p for p in psutil.Process(zygote).children() if not gone(p.pid)] == []

    warm.shutdown()
    assert warm.zygote_pids() == []


def test_kernels_die_with_the_process_that_started_them(tmp_path):
    code = textwrap.dedent(f"""
        import json, os, signal
        from jupyter_client import KernelManager
        from cchc.kernels import warm as warm_kernel
        warm_kernel.enable()
        # Unix sockets, as a batch's kernels use: TCP ports picked by the client can be taken by another
        # process before the kernel binds them (a loaded full run failed so, 'Address already in use')
        km = KernelManager(kernel_name="cchc", transport="ipc", ip={str(tmp_path / "k")!r})
        km.start_kernel()
        kc = km.client(); kc.start_channels(); kc.wait_for_ready(timeout=60)
        print(json.dumps([warm_kernel.zygote_pids(), warm_kernel.recent_kernel_pids()]), flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr[-2000:]
    zygotes, kernels = json.loads(proc.stdout.strip().splitlines()[-1])
    assert len(zygotes) == 1 and len(kernels) == 1
    deadline = time.monotonic() + 10
    while not all(gone(p) for p in zygotes + kernels) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert all(gone(p) for p in zygotes + kernels)


@pytest.fixture
def shared(tmp_path):
    """A zygote shared with processes forked later; a notebook printing its kernel's parent; a queue."""
    import multiprocessing

    assert warm_kernel.share()
    ctx = multiprocessing.get_context("fork")
    path = notebook(tmp_path / "ppid.ipynb", ["import os\nprint(os.getppid())"])
    try:
        yield warm_kernel.shared_zygote_pid(), lambda: int(run(path).cells[-1].outputs[0].text), ctx, ctx.Queue()
    finally:
        warm_kernel.stop_shared()


def test_a_shared_zygote_serves_processes_forked_later_and_stops_with_its_owner(shared, tmp_path):
    zygote, kernel_parent, ctx, queue = shared

    def render_one():
        warm_kernel.enable()
        parent = kernel_parent()
        queue.put((warm_kernel.zygote_pids(), parent))

    def leave_a_kernel_running():
        from jupyter_client import KernelManager

        warm_kernel.enable()
        km = KernelManager(kernel_name=KERNEL, transport="ipc", ip=str(tmp_path / "k"))
        km.start_kernel()
        queue.put(warm_kernel.recent_kernel_pids())
        queue.close()
        queue.join_thread()
        os._exit(0)  # gone without stopping its kernel

    workers = [ctx.Process(target=render_one) for _ in range(2)]
    for w in workers:
        w.start()
    seen = [queue.get(timeout=120) for _ in workers]
    for w in workers:
        w.join(30)
    assert seen == [([zygote], zygote)] * 2  # both forked their kernel from the shared zygote

    leaver = ctx.Process(target=leave_a_kernel_running)
    leaver.start()
    (orphan,) = queue.get(timeout=120)
    leaver.join(30)
    deadline = time.monotonic() + 10
    while not gone(orphan) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert gone(orphan) and not gone(zygote)  # its kernel went with it; the zygote serves on

    warm_kernel.stop_shared()
    assert gone(zygote) and warm_kernel.shared_zygote_pid() is None


def test_a_process_whose_shared_zygote_died_warms_up_its_own(shared):
    zygote, kernel_parent, ctx, queue = shared

    def two_reports():
        warm_kernel.enable()
        first = kernel_parent()
        os.kill(zygote, signal.SIGKILL)
        while not gone(zygote):
            time.sleep(0.02)
        second = kernel_parent()
        queue.put((first, second, warm_kernel.zygote_pids()))
        warm_kernel.shutdown()

    worker = ctx.Process(target=two_reports)
    worker.start()
    first, second, own = queue.get(timeout=180)
    worker.join(30)
    assert first == zygote and own == [second] and second != zygote


def test_enable_from_env_and_disable(monkeypatch):
    from jupyter_client.provisioning.factory import KernelProvisionerFactory

    factory = KernelProvisionerFactory.instance()
    default = factory.default_provisioner_name
    assert warm_kernel.enable_from_env({warm_kernel.ENV_VAR: "0"}) is False
    assert factory.default_provisioner_name == default
    try:
        assert warm_kernel.enable_from_env({warm_kernel.ENV_VAR: "1"}) is True
        assert factory.default_provisioner_name == warm_kernel.PROVISIONER_NAME
        assert factory._check_availability(warm_kernel.PROVISIONER_NAME)
        assert warm_kernel.is_enabled("cchc") and not warm_kernel.is_enabled("python3")
    finally:
        warm_kernel.disable()
    assert factory.default_provisioner_name == default
    assert not warm_kernel.is_enabled("cchc")


def test_launch_plan_falls_back_when_a_fork_cannot_do_it(tmp_path):
    cmd = [sys.executable, "-Xfrozen_modules=off", "-m", "ipykernel_launcher", "-f", "cf.json"]
    plan = zygote_client.plan_launch(cmd, {"env": {"A": "1"}, "cwd": str(tmp_path)})
    assert plan["prefix"] == cmd[:2] and plan["args"] == ["-f", "cf.json"] and plan["stdout"] == 1
    for bad_cmd in ([sys.executable, "-c", "pass"], ["R", "--slave"], [sys.executable, "-m", "other"]):
        with pytest.raises(warm_kernel.WarmUnavailable):
            zygote_client.plan_launch(bad_cmd, {})
    for bad_kw in ({"stdout": subprocess.PIPE}, {"independent": True}, {"preexec_fn": print}):
        with pytest.raises(warm_kernel.WarmUnavailable):
            zygote_client.plan_launch(cmd, bad_kw)
    (tmp_path / "matplotlibrc").write_text("backend: agg\n")
    with pytest.raises(warm_kernel.WarmUnavailable):
        zygote_client.plan_launch(cmd, {"cwd": str(tmp_path)})
    assert os.path.exists(tmp_path / "matplotlibrc")


def test_a_noisy_warm_up_falls_back_to_normal_kernels(warm, tmp_path, monkeypatch):
    """If preloading would hide output a report shows (here: `import this` prints), don't fork."""
    monkeypatch.setattr(zygote_client, "PRELOAD", zygote_client.PRELOAD + ("this",))
    before = warm.recent_kernel_pids()
    nb = run(notebook(tmp_path / "plain.ipynb", ["print(n * 2)"]))
    assert nb.cells[-1].outputs[0]["text"] == "6\n"
    assert warm.recent_kernel_pids() == before, "the kernel was started the normal way"
