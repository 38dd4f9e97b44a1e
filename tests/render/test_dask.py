"""The batch on a Dask cluster, for real: a `dask scheduler` and two `dask worker` processes on 127.0.0.1,
workers killed in the middle of a report, a LocalCluster, Ctrl-C, an unreachable scheduler and workers
with other data. Every process a test starts is ended when it ends, passed or failed."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest

from cchc.errors import EXIT_CONFIG, EXIT_FAILED, EXIT_OK, EXIT_UNAVAILABLE

from ..conftest import BIN, ROOT, frozen_code
from .test_faults import (  # _no_leftovers: autouse here too, for the tests that start a batch by setup()
    FOUR,
    _no_leftovers,  # noqa: F401
    assert_none_left,
    assert_whole,
    interrupt_then_resume,
    setup,
    start_batch,
    stop_and_wait,
    tagged,
)

pytestmark = pytest.mark.slow
# The tests on `cluster` share one xdist worker (one cluster for them); the others start their own processes.
ON_CLUSTER = pytest.mark.xdist_group("dask")
YEAR = 2021
PLAN = f"years: [{YEAR}]\nprovinces: [dak-nong, ninh-binh, nghe-an]\nformats: [html]\nworkers: 2\n"
# A cell that kills the Dask worker rendering the report while a flag file names the province (nghe-an
# removes its flag first: it dies once). The Dask worker is the topmost spawned process above the kernel.
KILL_CELL = """import os
_flag = os.path.join(os.environ.get("CCHC_TEST_KILL_DIR", "/nonexistent"), province)
if os.path.exists(_flag):
    import psutil
    if province == "nghe-an":
        os.unlink(_flag)
    _up = psutil.Process().parents()
    _spawned = [i for i, p in enumerate(_up) if "spawn_main" in " ".join(p.cmdline())]
    _up[_spawned[-1]].kill()
del _flag"""


@dataclass
class Cluster:
    address: str
    base: Path
    env: dict
    procs: list


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_workers(address: str, n: int, timeout: float = 90) -> None:
    from distributed import Client

    with Client(address, timeout="20s", set_as_default=False) as client:
        client.wait_for_workers(n, timeout=timeout)


def end_all(procs: list, tag: str) -> None:
    """Kill the processes a test started (their sessions), then anything else carrying its tag."""
    for proc in procs:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        with contextlib.suppress(Exception):
            proc.wait(timeout=10)
    for line in tagged(tag):
        with contextlib.suppress(ProcessLookupError):
            os.kill(int(line.split()[0]), signal.SIGKILL)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """`dask scheduler` on 127.0.0.1 (a free port) and two `dask worker`s (one thread each; one with the
    suite's preload), reading a copy of data/ and notebooks/ (with KILL_CELL) through their environment."""
    base = tmp_path_factory.mktemp("dask")
    shutil.copytree(ROOT / "data", base / "data")
    shutil.copytree(ROOT / "notebooks", base / "notebooks")
    nb_path = base / "notebooks" / "province_report.ipynb"
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    nb["cells"].insert(
        2,
        {
            "cell_type": "code",
            "execution_count": None,
            "id": "kill-worker",
            "metadata": {},
            "outputs": [],
            "source": KILL_CELL,
        },
    )
    nb_path.write_text(json.dumps(nb), encoding="utf-8")
    (base / "kill").mkdir()
    env = {
        **os.environ,
        **frozen_code(base / "code"),  # the reruns below count what they render: the same code throughout
        "CCHC_DATA_DIR": str(base / "data"),
        "CCHC_NOTEBOOKS_DIR": str(base / "notebooks"),
        "CCHC_TEST_KILL_DIR": str(base / "kill"),
        "CCHC_TRUST_TAG": uuid.uuid4().hex,
    }
    procs: list = []

    def start(name: str, *args: str) -> None:
        procs.append(
            subprocess.Popen(
                [str(BIN / "dask"), *args],
                env=env,
                stdout=open(base / f"{name}.out", "w"),
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )

    try:
        sched_file = base / "scheduler.json"
        start(
            "scheduler",
            "scheduler",
            "--host",
            "127.0.0.1",
            "--port",
            str(free_port()),
            "--no-dashboard",
            "--scheduler-file",
            str(sched_file),
        )
        end = time.monotonic() + 60
        while not sched_file.exists() and time.monotonic() < end:
            time.sleep(0.1)
        address = json.loads(sched_file.read_text())["address"]
        for i, extra in enumerate((["--preload", "cchc.batch.dask_executor"], [])):
            start(
                f"worker{i}",
                "worker",
                address,
                "--nthreads",
                "1",
                "--nworkers",
                "1",
                "--host",
                "127.0.0.1",
                "--no-dashboard",
                "--name",
                f"w{i}",
                *extra,
            )
        wait_for_workers(address, 2)
        yield Cluster(address, base, env, procs)
    finally:
        end_all(procs, env["CCHC_TRUST_TAG"])


def batch(base: Path, env: dict, plan: str, out: str, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    (base / f"{out}.yaml").write_text(plan, encoding="utf-8")
    return subprocess.run(
        [
            str(BIN / "cchc"),
            "batch",
            "--params",
            str(base / f"{out}.yaml"),
            "--out",
            str(base / out),
            "--no-progress",
            *args,
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.suffix in (".html", ".ipynb")}


def statuses(folder: Path) -> dict[str, str]:
    state = json.loads((folder / ".state.json").read_text(encoding="utf-8"))
    return {name: entry["status"] for name, entry in state.items()}


# ------------------------------------------------------------------ a scheduler and two workers
@ON_CLUSTER
def test_a_batch_on_dask_workers_is_byte_identical_to_the_same_batch_run_locally(cluster):
    on_dask = batch(cluster.base, cluster.env, PLAN, "on-dask", "--scheduler", cluster.address)
    assert on_dask.returncode == EXIT_OK, on_dask.stdout + on_dask.stderr
    assert "rendered 4: 4 ok" in on_dask.stdout
    local = batch(cluster.base, cluster.env, PLAN, "local")
    assert local.returncode == EXIT_OK, local.stdout + local.stderr
    dask_files, local_files = files(cluster.base / "on-dask" / str(YEAR)), files(cluster.base / "local" / str(YEAR))
    assert sorted(local_files) == [
        "dak-nong.html",
        "dak-nong.ipynb",
        "index.html",
        "nghe-an.html",
        "nghe-an.ipynb",
        "ninh-binh.html",
        "ninh-binh.ipynb",
        "overview.html",
        "overview.ipynb",
    ]
    assert dask_files == local_files  # reports, executed notebooks and the index page, byte for byte
    assert statuses(cluster.base / "on-dask" / str(YEAR)) == statuses(cluster.base / "local" / str(YEAR))
    again = batch(cluster.base, cluster.env, PLAN, "on-dask", "--scheduler", cluster.address)
    assert "rendered 0: 0 ok, 0 failed; 4 unchanged" in again.stdout


@ON_CLUSTER
def test_a_worker_killed_mid_report_loses_only_that_report_and_the_rerun_renders_only_what_is_missing(cluster):
    plan = f"years: [{YEAR}]\nprovinces: [dak-nong, ninh-binh, nghe-an, ha-noi]\nformats: [html]\nworkers: 2\n"
    kill = cluster.base / "kill"
    (kill / "nghe-an").touch()  # its worker dies once: rendered again on another worker
    (kill / "ha-noi").touch()  # every worker rendering it dies: tried twice, then reported failed
    run = batch(cluster.base, cluster.env, plan, "killed", "--scheduler", cluster.address)
    assert run.returncode == EXIT_FAILED, run.stdout + run.stderr
    assert "rendered 5: 4 ok, 1 failed" in run.stdout, run.stdout
    folder = cluster.base / "killed" / str(YEAR)
    assert "FAILED 2021 ha-noi: the Dask workers rendering it died (tcp://127.0.0.1:" in run.stdout
    assert statuses(folder) == {
        "dak-nong": "ok",
        "ninh-binh": "ok",
        "nghe-an": "ok",
        "ha-noi": "failed",
        "overview": "ok",
    }
    assert assert_whole(cluster.base / "killed") == []
    assert not (folder / "ha-noi.html").exists() and not (kill / "nghe-an").exists()
    kept = {p.name: p.stat().st_mtime_ns for p in folder.glob("*.html") if p.name != "index.html"}

    (kill / "ha-noi").unlink()
    wait_for_workers(cluster.address, 2)  # the nannies restarted the killed workers
    again = batch(cluster.base, cluster.env, plan, "killed", "--scheduler", cluster.address)
    assert again.returncode == EXIT_OK, again.stdout + again.stderr
    assert "rendered 1: 1 ok, 0 failed; 4 unchanged" in again.stdout
    assert {p.name: p.stat().st_mtime_ns for p in folder.glob("*.html") if p.name in kept} == kept
    assert set(statuses(folder).values()) == {"ok"}
    orphans = [
        line for line in tagged(cluster.env["CCHC_TRUST_TAG"]) if psutil.Process(int(line.split()[0])).ppid() == 1
    ]
    assert orphans == [], "processes of killed workers left behind"


@ON_CLUSTER
def test_a_worker_with_other_data_than_the_batch_is_refused(cluster, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(cluster.base / "data", data)
    par = data / "indices" / "par.csv"
    par.write_bytes(par.read_bytes().replace(b"https://", b"http://", 1))
    run = batch(tmp_path, {**cluster.env, "CCHC_DATA_DIR": str(data)}, PLAN, "other", "--scheduler", cluster.address)
    assert run.returncode == EXIT_CONFIG, run.stdout + run.stderr
    assert "these Dask workers have other code, data or libraries" in run.stderr
    assert run.stderr.count("data: data sha256:") == 2 and "Traceback" not in run.stderr, run.stderr
    assert not list((tmp_path / "other").rglob("*.html"))


# ------------------------------------------------------------------ no cluster of one's own
def test_executor_dask_without_a_scheduler_runs_a_local_cluster_on_loopback_and_stops_it(tmp_path):
    base, env = setup(tmp_path, PLAN.replace("nghe-an", "ha-noi") + "executor: dask\n")
    proc = start_batch(base, env)
    listening = set()
    try:
        while proc.poll() is None:
            pids = {int(line.split()[0]) for line in tagged(env["CCHC_TRUST_TAG"])} | {proc.pid}
            with contextlib.suppress(psutil.Error):
                listening |= {
                    (c.laddr.ip, c.pid)
                    for c in psutil.net_connections("inet")
                    if c.status == psutil.CONN_LISTEN and c.pid in pids
                }
            time.sleep(0.2)
    finally:
        end_all([proc] if proc.poll() is None else [], env["CCHC_TRUST_TAG"])
    out, err = (base / "batch.out").read_text(), (base / "batch.err").read_text()
    assert proc.returncode == EXIT_OK, out + err
    assert "rendered 4: 4 ok" in out
    assert err.strip() == "", err  # no traceback, no warning from the cluster or its processes
    assert listening and {ip for ip, _ in listening} <= {"127.0.0.1", "::1"}, listening
    assert len({pid for _, pid in listening}) >= 3  # the scheduler, and each worker (and its nanny)
    assert_none_left(env["CCHC_TRUST_TAG"])
    assert assert_whole(base / "reports") == []


def test_ctrl_c_stops_a_batch_on_a_local_cluster_with_no_partial_file_and_the_next_run_finishes_it(tmp_path):
    code, err, again = interrupt_then_resume(tmp_path, signal.SIGINT, whole_group=True, plan=FOUR + "executor: dask\n")
    assert code == 130
    assert err.rstrip().endswith("cchc: interrupted") and "Traceback" not in err, err


def test_a_stopped_render_process_on_a_dask_worker_is_killed_and_the_batch_finishes(tmp_path):
    """As with the local pool (test_faults): a worker's render process stopped (SIGSTOP) while it renders Hà Nội
    cannot end the report by its own alarm; the Dask worker must give up on it after report_timeout (+
    hung_grace), kill it, mark the report failed, render Đắk Nông in a new one, and the batch finish."""
    plan = (
        f"years: [{YEAR}]\nprovinces: [ha-noi, dak-nong]\nformats: [html]\noverview: false\n"
        "workers: 1\nreport_timeout: 20\nhung_grace: 2\nexecutor: dask\n"
    )
    mark = tmp_path / "render-process-of-ha-noi"
    # the render process is the nearest spawned process above the kernel (the Dask worker the topmost)
    cell = (
        "import time\nif province == 'ha-noi':\n    import psutil\n"
        "    _up = [p for p in psutil.Process().parents() if 'spawn_main' in ' '.join(p.cmdline())]\n"
        f"    open({str(mark)!r}, 'w').write(str(_up[0].pid))\n    time.sleep(600)"
    )
    base, env = setup(tmp_path, plan, [cell])
    batch = start_batch(base, env)
    stopped, code = stop_and_wait(
        batch,
        lambda: mark.exists() and mark.read_text(),
        "the render process to start rendering Hà Nội",
        lambda: int(mark.read_text()),
        20 + 2 + 240,
    )
    out = (base / "batch.out").read_text(encoding="utf-8")
    assert code == EXIT_FAILED, out + (base / "batch.err").read_text(encoding="utf-8")
    assert "rendered 2: 1 ok, 1 failed" in out
    assert f"FAILED {YEAR} ha-noi: report took longer than 20 s and its render process did not answer" in out
    assert sorted(p.name for p in (base / "reports" / str(YEAR)).glob("*.html")) == ["dak-nong.html", "index.html"]
    assert not psutil.pid_exists(stopped) or psutil.Process(stopped).status() == psutil.STATUS_ZOMBIE
    assert_none_left(env["CCHC_TRUST_TAG"])


def _render_until_stopped(job):
    """A report that renders for a minute, saying on disk when it has begun."""
    Path(job.started).touch()
    time.sleep(60)
    return "finished"


def test_stopping_a_workers_render_process_cuts_the_report_it_renders_short(tmp_path, monkeypatch):
    # The batch stops a worker's render process before its cluster ends the worker. Waiting for the report in
    # progress let the cluster kill the worker first, leaving the render process's semaphores behind and
    # "resource_tracker: … leaked semaphore objects" after "cchc: interrupted" on a user's Ctrl-C.
    from types import SimpleNamespace

    from cchc.batch import dask_executor

    monkeypatch.setenv("CCHC_WARM_KERNELS", "0")  # no zygote: the render process only
    started = tmp_path / "started"
    job = SimpleNamespace(
        request=SimpleNamespace(name="ha-noi", year=YEAR, formats=("html",)), label="Hà Nội", started=str(started)
    )
    rendering = dask_executor._render_thread().submit(
        dask_executor._render_here, _render_until_stopped, job, "tcp://127.0.0.1:1"
    )
    deadline = time.monotonic() + 120
    while not started.exists() and time.monotonic() < deadline:  # a wait, not a speed limit
        time.sleep(0.1)
    assert started.exists(), rendering
    dask_executor._stop_render_process()
    outcome, rendered = rendering.result(timeout=5)  # ended with its process, not after its minute
    assert (outcome.status, rendered) == ("failed", None)
    # a report still queued on the worker starts no new render process (the cluster would kill it with the worker)
    queued = dask_executor._render_thread().submit(
        dask_executor._render_here, _render_until_stopped, job, "tcp://127.0.0.1:1"
    )
    outcome, rendered = queued.result(timeout=30)
    assert (outcome.status, rendered, dask_executor._pool) == ("failed", None, None)
    assert "stopped" in outcome.reason


def test_an_unreachable_scheduler_fails_fast_naming_its_address(tmp_path):
    address = f"tcp://127.0.0.1:{free_port()}"  # nobody listens there
    start = time.monotonic()
    run = batch(tmp_path, dict(os.environ), PLAN + f"executor: dask\nscheduler: {address}\n", "reports", timeout=60)
    assert run.returncode == EXIT_UNAVAILABLE, run.stdout + run.stderr
    assert time.monotonic() - start < 30
    assert f"cannot reach the Dask scheduler at {address}" in run.stderr and "Traceback" not in run.stderr
    assert not (tmp_path / "reports").exists()  # refused before the reports folder was touched


def test_a_scheduler_address_that_is_not_one_is_a_usage_error(tmp_path):
    run = batch(tmp_path, dict(os.environ), PLAN, "reports", "--scheduler", "10.0.0.5")
    assert run.returncode == 64 and "Dask scheduler address such as tcp://" in run.stderr, run.stderr
