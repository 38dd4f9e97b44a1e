"""Faults, for real: a batch killed by SIGINT and SIGKILL, a kernel that dies, a cell that hangs, a report
that runs too long, two batches at once, a read-only and a full reports folder (real tmpfs mounts), and a
render that fails over an earlier report. Nothing half-written, nothing lost, no process left behind."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import time
import uuid
from pathlib import Path

import psutil
import pytest
from bs4 import BeautifulSoup

from cchc.errors import EXIT_CANT_WRITE, EXIT_FAILED, EXIT_OK
from cchc.render import notebook as render

from ..conftest import BIN, FIXTURES, ROOT, cchc, frozen_code

pytestmark = pytest.mark.slow
YEAR = 2021
FOUR = (
    "years: [2021]\nprovinces: [dak-nong, ninh-binh, nghe-an, ha-noi]\nformats: [html, pdf]\noverview: false\n"
    "workers: 2\n"
)


# ------------------------------------------------------------------ helpers
TAGS: list[str] = []


@pytest.fixture(autouse=True)
def _no_leftovers():
    """If a test fails with processes of its own still running, end them (by pid) so others are not disturbed."""
    yield
    while TAGS:
        tag = TAGS.pop()
        for line in tagged(tag):
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(line.split()[0]), signal.SIGKILL)


def setup(tmp_path: Path, plan: str, extra_cells: list[str] = ()) -> tuple[Path, dict]:
    """A copy of data/, notebooks/ (with ``extra_cells`` after the parameters) and the code, a plan, and the
    environment of a batch; CCHC_TRUST_TAG marks every process the batch starts (workers, kernels)."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copytree(ROOT / "notebooks", tmp_path / "notebooks")
    if extra_cells:
        path = tmp_path / "notebooks" / "province_report.ipynb"
        nb = json.loads(path.read_text(encoding="utf-8"))
        nb["cells"][2:2] = [
            {
                "cell_type": "code",
                "execution_count": None,
                "id": f"fault-{i}",
                "metadata": {},
                "outputs": [],
                "source": src,
            }
            for i, src in enumerate(extra_cells)
        ]
        path.write_text(json.dumps(nb), encoding="utf-8")
    (tmp_path / "plan.yaml").write_text(plan, encoding="utf-8")
    env = {
        **os.environ,
        **frozen_code(tmp_path / "code"),  # a rerun that counts what it renders needs the same code
        "CCHC_DATA_DIR": str(tmp_path / "data"),
        "CCHC_NOTEBOOKS_DIR": str(tmp_path / "notebooks"),
        "CCHC_REPORTS_DIR": str(tmp_path / "reports"),
        "CCHC_TRUST_TAG": uuid.uuid4().hex,
    }
    TAGS.append(env["CCHC_TRUST_TAG"])
    return tmp_path, env


def start_batch(base: Path, env: dict, name: str = "batch") -> subprocess.Popen:
    """`cchc batch` in its own session (like a terminal job); output to files, so no pipe keeps it waiting.
    Ctrl-C reaches it as in a terminal even when the tests run in the background (which ignores SIGINT)."""
    out, err = open(base / f"{name}.out", "w"), open(base / f"{name}.err", "w")
    return subprocess.Popen(
        [str(BIN / "cchc"), "batch", "--params", str(base / "plan.yaml"), "--no-progress"],
        env=env,
        stdout=out,
        stderr=err,
        start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def run_batch(base: Path, env: dict, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / "cchc"), "batch", "--params", str(base / "plan.yaml"), "--no-progress"],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def wait_for(condition, timeout: float, what: str) -> None:
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def stop_and_wait(batch: subprocess.Popen, ready, what: str, pid_of, timeout: float) -> tuple[int, int]:
    """Once ``ready()`` (within 300 s), SIGSTOP the process ``pid_of()`` names (a worker or render process of
    ``batch``); (that pid, the batch's exit code). The batch is killed if anything fails or it has not ended
    within ``timeout`` seconds."""
    try:
        wait_for(ready, 300, what)
        pid = pid_of()
        os.kill(pid, signal.SIGSTOP)
        return pid, batch.wait(timeout=timeout)
    finally:
        with contextlib.suppress(ProcessLookupError):
            batch.kill()


def tagged(tag: str) -> list[str]:
    """Processes started for this test (they inherit CCHC_TRUST_TAG), as 'pid cmdline'."""
    found = []
    for proc in psutil.process_iter(["pid", "cmdline"]):
        with contextlib.suppress(psutil.Error):
            if proc.pid != os.getpid() and proc.environ().get("CCHC_TRUST_TAG") == tag:
                found.append(f"{proc.pid} {' '.join(proc.info['cmdline'] or [])[:150]}")
    return found


def assert_none_left(tag: str, timeout: float = 15) -> None:
    end = time.monotonic() + timeout
    while (left := tagged(tag)) and time.monotonic() < end:
        time.sleep(0.2)
    assert left == [], "processes left behind:\n" + "\n".join(left)


def assert_whole(reports: Path) -> list[Path]:
    """Every report file under reports/ is complete; returns the temp files (only hidden .*.tmp* names)."""
    temps = []
    for path in sorted(p for p in reports.rglob("*") if p.is_file()):
        if path.name.startswith(".") and ".tmp" in path.name:
            temps.append(path)
        elif path.suffix == ".html":
            text = path.read_text(encoding="utf-8")
            soup = BeautifulSoup(text, "html.parser")
            assert text.rstrip().endswith("</html>") and soup.body and soup.title, path
        elif path.suffix == ".pdf":
            data = path.read_bytes()
            assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF"), path
        elif path.suffix in (".ipynb", ".json"):
            json.loads(path.read_text(encoding="utf-8"))
        else:
            assert path.name in (".batch.lock", ".kernels.log"), f"unexpected file {path}"
    return temps


def state_of(folder: Path) -> dict:
    path = folder / ".state.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def pdfs(base: Path) -> set[str]:
    folder = base / "reports" / str(YEAR)
    return {p.stem for p in folder.glob("*.pdf")} if folder.is_dir() else set()


def stopped(batch: subprocess.Popen, base: Path, tag: str, timeout: float) -> int:
    """The exit code of a batch told to stop; if it does not within ``timeout``, the test fails with where each
    of its threads was (SIGUSR1: ``cchc`` prints its stacks) and the processes it had left, then kills them."""
    try:
        return batch.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.kill(batch.pid, signal.SIGUSR1)
        time.sleep(2)
        left = tagged(tag)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(batch.pid, signal.SIGKILL)
        batch.wait()
        err = (base / "batch.err").read_text(encoding="utf-8")
        raise AssertionError(
            f"the batch did not stop in {timeout} s; its stderr:\n{err}\nits processes:\n" + "\n".join(left)
        ) from None


def interrupt_then_resume(
    tmp_path: Path, sig: int, whole_group: bool, plan: str = FOUR
) -> tuple[int, str, subprocess.CompletedProcess]:
    base, env = setup(tmp_path, plan)
    batch = start_batch(base, env)
    # waits, not speed limits: on two cores shared with other work a first report (a Dask cluster, a zygote,
    # a kernel, the PDF) has taken over two minutes
    wait_for(lambda: pdfs(base) or batch.poll() is not None, 300, "the first report")
    assert batch.poll() is None, "the batch ended before it could be interrupted"
    if whole_group:
        os.kill(batch.pid, signal.SIGUSR1)  # where it is now, on its stderr; and it goes on
        wait_for(lambda: "most recent call first" in (base / "batch.err").read_text(encoding="utf-8"), 10, "stacks")
        assert batch.poll() is None, "SIGUSR1 stopped the batch"
        os.killpg(batch.pid, sig)  # what Ctrl-C in a terminal does
    else:
        os.kill(batch.pid, sig)  # what `kill -9` or the out-of-memory killer does
    code = stopped(batch, base, env["CCHC_TRUST_TAG"], timeout=60)
    assert_none_left(env["CCHC_TRUST_TAG"])
    temps = assert_whole(base / "reports")
    assert all(t.name.startswith(".") for t in temps)
    folder = base / "reports" / str(YEAR)
    recorded = {k for k, v in state_of(folder).items() if v["status"] == "ok"}  # finished and recorded
    kept = {p: p.stat().st_mtime_ns for name in recorded for p in folder.glob(f"{name}.*")}
    again = run_batch(base, env, timeout=300)  # would hang on the lock if a killed batch's worker still held it
    assert again.returncode == EXIT_OK, again.stdout + again.stderr
    assert assert_whole(base / "reports") == []  # stale temp files removed
    assert pdfs(base) == {"dak-nong", "ninh-binh", "nghe-an", "ha-noi"}
    assert {k: v["status"] for k, v in state_of(folder).items()} == dict.fromkeys(
        ["dak-nong", "ha-noi", "nghe-an", "ninh-binh"], "ok"
    )
    # reports the killed batch finished and recorded are not rendered again (one finished but not yet
    # recorded when the signal came is rendered again: harmless)
    assert f"rendered {4 - len(recorded)}: {4 - len(recorded)} ok" in again.stdout
    assert {p: p.stat().st_mtime_ns for p in kept} == kept
    assert_none_left(env["CCHC_TRUST_TAG"])
    return code, (base / "batch.err").read_text(encoding="utf-8"), again


# ------------------------------------------------------------------ killed batches
def test_ctrl_c_stops_the_batch_cleanly_and_the_next_run_finishes_it(tmp_path):
    code, err, _ = interrupt_then_resume(tmp_path, signal.SIGINT, whole_group=True)
    assert code == 130
    assert err.rstrip().endswith("cchc: interrupted") and "Traceback" not in err, err


def test_sigkill_leaves_no_half_written_file_no_orphan_and_no_stuck_lock(tmp_path):
    code, _, again = interrupt_then_resume(tmp_path, signal.SIGKILL, whole_group=False)
    assert code == -signal.SIGKILL
    assert "waiting for it to finish" not in again.stderr


# ------------------------------------------------------------------ faults inside reports
def test_dead_kernel_hung_cell_and_slow_report_fail_alone_with_their_reason(tmp_path):
    plan = (
        "years: [2021]\nprovinces: [dak-nong, ninh-binh, nghe-an, ha-noi]\nformats: [html]\noverview: false\n"
        "workers: 2\ncell_timeout: 6\nreport_timeout: 16\n"
    )  # a real cell of Đắk Nông's well inside 6 s
    cells = [
        "import os, time\nif province == 'ninh-binh':\n    os._exit(1)",  # the kernel dies
        "if province == 'nghe-an':\n    time.sleep(600)",  # a cell hangs
        *["if province == 'ha-noi':\n    time.sleep(5)"] * 4,
    ]  # each cell in time, the report not
    base, env = setup(tmp_path, plan, cells)
    start = time.monotonic()
    run = run_batch(base, env)
    assert time.monotonic() - start < 90
    assert run.returncode == EXIT_FAILED, run.stdout + run.stderr
    out = run.stdout
    assert "rendered 4: 1 ok, 3 failed" in out
    reasons = {
        "ninh-binh": "DeadKernelError: Kernel died",
        "nghe-an": "CellTimeoutError: A cell timed out while it was being executed, after 6 seconds",
        "ha-noi": "TimeoutError: report took longer than 16 s",
    }
    for name, reason in reasons.items():
        assert f"FAILED 2021 {name}: {name} 2021: {reason}" in out
    folder = base / "reports" / str(YEAR)
    assert_whole(base / "reports")
    assert sorted(p.name for p in folder.glob("*.html")) == ["dak-nong.html", "index.html"]
    state = json.loads((folder / ".state.json").read_text(encoding="utf-8"))
    assert {k: v["status"] for k, v in state.items()} == {
        "dak-nong": "ok",
        "ha-noi": "failed",
        "nghe-an": "failed",
        "ninh-binh": "failed",
    }
    index = BeautifulSoup((folder / "index.html").read_text(encoding="utf-8"), "html.parser")
    rows = {tr.td.get_text(strip=True): tr for tr in index.tbody.find_all("tr")}
    for name, reason in reasons.items():
        label = {"ninh-binh": "Ninh Bình", "nghe-an": "Nghệ An", "ha-noi": "Hà Nội"}[name]
        assert reason in rows[label].find(class_="reason").get_text(" ", strip=True)
        assert rows[label].find("a") is None
    assert [a["href"] for a in rows["Đắk Nông"].find_all("a")] == ["dak-nong.html"]
    assert_none_left(env["CCHC_TRUST_TAG"])  # the hung kernels were stopped, not left sleeping


def test_two_batches_at_once_wait_for_each_other_and_do_the_work_once(tmp_path):
    plan = "years: [2021]\nprovinces: [dak-nong, ninh-binh]\nformats: [html, pdf]\noverview: false\nworkers: 2\n"
    base, env = setup(tmp_path, plan)
    lock = base / "reports" / ".batch.lock"

    def locked() -> bool:  # read /proc/locks: looking must not take the lock
        if not lock.exists():
            return False
        inode = f":{lock.stat().st_ino} "
        return any(inode in line for line in Path("/proc/locks").read_text().splitlines())

    first = start_batch(base, env, "first")
    wait_for(lambda: locked() or first.poll() is not None, 60, "the first batch to take the lock")
    second = start_batch(base, env, "second")
    assert first.wait(timeout=120) == EXIT_OK and second.wait(timeout=120) == EXIT_OK
    out1, out2 = (base / "first.out").read_text(), (base / "second.out").read_text()
    assert "rendered 2: 2 ok" in out1
    assert "rendered 0: 0 ok, 0 failed; 2 unchanged" in out2
    assert "another batch is rendering into" in (base / "second.err").read_text()
    assert assert_whole(base / "reports") == []
    assert pdfs(base) == {"dak-nong", "ninh-binh"}


# ------------------------------------------------------------------ read-only and full disks
@pytest.fixture(scope="module")
def previous(rendered) -> Path:
    """A report folder with an earlier report of Đắk Nông 2021 (real render, HTML and PDF): copy it."""
    return rendered("dak-nong", YEAR, formats="html,pdf")["html"].parents[1]


@contextlib.contextmanager
def tmpfs(path: Path, size: str):
    """A real tmpfs mounted at ``path`` (needs root and CAP_SYS_ADMIN; the test is skipped otherwise)."""
    path.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(path)], capture_output=True, text=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip()}); read-only/full disks not tested")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_read_only_reports_and_data_folders_exit_73_and_keep_everything(tmp_path, previous, good_dir):
    with tmpfs(tmp_path / "ro", "8m") as ro:
        shutil.copytree(previous, ro / "reports")
        shutil.copytree(good_dir, ro / "data")
        before = files(ro)
        subprocess.run(["mount", "-o", "remount,ro", str(ro)], check=True)
        (tmp_path / "plan.yaml").write_text("years: [2021]\nprovinces: [dak-nong]\noverview: false\n", encoding="utf-8")
        env = {**os.environ, "CCHC_REPORTS_DIR": str(ro / "reports")}
        for args in (
            ["report", "--province", "dak-nong", "--year", "2021", "--out", str(ro / "reports")],
            ["batch", "--params", str(tmp_path / "plan.yaml"), "--no-progress"],
            ["import", str(FIXTURES / "trust" / "xlsx" / "numbers_as_text.xlsx"), "--into", str(ro / "data")],
            ["template", "indices", "-o", str(ro / "indices.xlsx")],
            ["export", "--province", "dak-nong", "--year", "2021", "--out", str(ro / "reports")],
        ):
            run = cchc(*args, env=env)
            assert run.returncode == EXIT_CANT_WRITE, f"{args}: {run.returncode}\n{run.stderr}"
            assert "Read-only file system" in run.stderr and "Traceback" not in run.stderr, run.stderr
        assert cchc("validate", "--data", str(ro / "data")).returncode == 0  # reading needs no writing
        assert files(ro) == before


def test_full_disk_exits_73_and_keeps_the_previous_report_and_the_data(tmp_path, previous, good_dir):
    room = sum(p.stat().st_size for d in (previous, good_dir) for p in d.rglob("*") if p.is_file()) + (512 << 10)
    with tmpfs(tmp_path / "full", f"{room >> 10}k") as full:  # what it holds and a little more, filled below
        shutil.copytree(previous, full / "reports")
        shutil.copytree(good_dir, full / "data")
        with open(full / "filler", "wb") as f, contextlib.suppress(OSError):
            while True:
                f.write(b"\0" * 65536)
                f.flush()
        before = files(full)
        base, env = setup(tmp_path / "batch", "years: [2021]\nprovinces: [dak-nong]\noverview: false\nworkers: 1\n")
        env["CCHC_REPORTS_DIR"] = str(full / "reports")
        run = run_batch(base, env)  # no state yet, so it renders; writing fails
        assert run.returncode == EXIT_CANT_WRITE, run.stdout + run.stderr
        assert "No space left on device" in run.stderr and "Traceback" not in run.stderr
        imp = cchc("import", str(FIXTURES / "trust" / "xlsx" / "numbers_as_text.xlsx"), "--into", str(full / "data"))
        assert imp.returncode == EXIT_CANT_WRITE and "No space left on device" in imp.stderr, imp.stderr
        exp = cchc("export", "--province", "dak-nong", "--year", "2021", "--out", str(full / "reports"))
        assert exp.returncode == EXIT_CANT_WRITE and "No space left on device" in exp.stderr, exp.stderr
        after = files(full)
        assert {k: v for k, v in after.items() if k not in ("reports/.batch.lock", "reports/.kernels.log")} == before
        assert_none_left(env["CCHC_TRUST_TAG"])


# ------------------------------------------------------------------ a failed render keeps the earlier report
def test_failed_render_leaves_the_earlier_report_byte_identical(tmp_path, previous, monkeypatch, snapshot):
    out = tmp_path / "reports"
    shutil.copytree(previous, out)
    base, env = setup(tmp_path / "broken", "", ["raise RuntimeError('deliberately broken')"])
    monkeypatch.setenv("CCHC_NOTEBOOKS_DIR", env["CCHC_NOTEBOOKS_DIR"])
    before = snapshot(out)
    with pytest.raises(render.ReportFailed, match="deliberately broken"):
        render.render_report(render.plan_report("dak-nong", YEAR), out)
    after = snapshot(out)
    failed = after.pop("2021/dak-nong.failed.ipynb")
    assert after == before  # HTML, PDF and notebook: same bytes, same modification times
    assert "deliberately broken" in failed[0].decode("utf-8")


# ------------------------------------------------------------------ a stopped worker
def test_a_stopped_worker_is_killed_and_replaced_and_the_batch_finishes(tmp_path):
    """A real batch whose worker gets a real SIGSTOP while it renders Hà Nội (its kernel sleeping in a cell, so the
    worker is surely inside that report): the worker's own alarm cannot fire, so the batch process must end the
    report after report_timeout (+ hung_grace), kill and replace the worker, render Đắk Nông on the new one, and
    write the summary and the index page."""
    plan = (
        "years: [2021]\nprovinces: [ha-noi, dak-nong]\nformats: [html]\noverview: false\n"
        "workers: 1\nreport_timeout: 20\nhung_grace: 2\n"
    )
    mark = tmp_path / "rendering-ha-noi"
    cell = f"import time\nif province == 'ha-noi':\n    open({str(mark)!r}, 'w').close()\n    time.sleep(600)"
    base, env = setup(tmp_path, plan, [cell])
    batch = start_batch(base, env)

    def the_worker() -> int:
        me = psutil.Process(batch.pid)
        workers = [c for c in me.children() if c.cmdline() == me.cmdline()]  # forked workers; not the zygote
        assert len(workers) == 1
        return workers[0].pid

    stopped, code = stop_and_wait(batch, mark.exists, "the worker to start rendering Hà Nội", the_worker, 20 + 2 + 180)
    out = (base / "batch.out").read_text(encoding="utf-8")
    assert code == EXIT_FAILED, out + (base / "batch.err").read_text(encoding="utf-8")
    assert "rendered 2: 1 ok, 1 failed" in out
    reason = "report took longer than 20 s and its worker did not answer: the worker was stopped and replaced"
    assert f"FAILED 2021 ha-noi: {reason}" in out
    folder = base / "reports" / str(YEAR)
    assert sorted(p.name for p in folder.glob("*.html")) == ["dak-nong.html", "index.html"]
    index = BeautifulSoup((folder / "index.html").read_text(encoding="utf-8"), "html.parser")
    rows = {tr.td.get_text(strip=True): tr for tr in index.tbody.find_all("tr")}
    assert reason in rows["Hà Nội"].find(class_="reason").get_text(" ", strip=True)
    assert not psutil.pid_exists(stopped) or psutil.Process(stopped).status() == psutil.STATUS_ZOMBIE
    assert_none_left(env["CCHC_TRUST_TAG"])
