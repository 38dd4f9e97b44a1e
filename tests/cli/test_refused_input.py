"""Nothing lost, nothing run: bad, careless and hostile inputs given to the real commands (`cchc …` and
`make …` as processes) on a scratch copy of the project's data and parameters. Each test checks the exit
code, the message (file, row, column) and that data/ holds exactly what it held (or exactly the rows meant).
"""

from __future__ import annotations

import csv
import os
import re
import resource
import shutil
import signal
import subprocess
import time
import unicodedata
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from cchc.data.xlsxcells import MAX_PART_BYTES
from cchc.errors import EXIT_BAD_INPUT, EXIT_CANT_WRITE, EXIT_USAGE

from ..conftest import BIN, ROOT, snapshot
from ..conftest import cchc as run_cchc

SOURCE = "https://example.org/synthetic-refused-input"
# Most cases run `cchc` on a whole copy of data/ and load it (about a CPU second each, more for a batch,
# which starts its workers too): slow. What is refused before the data is read stays in the fast tier.
SLOW = pytest.mark.slow
INDEX_HEADER = [
    "index",
    "year",
    "province",
    "component",
    "score",
    "unit",
    "max_score",
    "rank",
    "rank_of",
    "source",
    "note",
    "derived",
    "use",
    "reason",
]


@pytest.fixture
def scratch(tmp_path) -> Path:
    """A scratch copy of the project's data/ and params/ (reports go to reports/ beside them)."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copytree(ROOT / "params", tmp_path / "params")
    return tmp_path


def scratch_env(scratch: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "CCHC_DATA_DIR": str(scratch / "data"),
        "CCHC_PARAMS_DIR": str(scratch / "params"),
        "CCHC_REPORTS_DIR": str(scratch / "reports"),
        **extra,
    }


def cchc(scratch: Path, *args: str, env: dict | None = None, **kwargs) -> subprocess.CompletedProcess:
    """The installed `cchc` console script on the scratch copy (in it, with its environment)."""
    return run_cchc(*args, cwd=scratch, env=env or scratch_env(scratch), **kwargs)


def sheet(path: Path, header: list, *rows: list) -> Path:
    workbook = Workbook()
    ws = workbook.active
    ws.title = "indices"
    ws.append(header)
    for row in rows:
        ws.append(row)
    workbook.save(path)
    return path


def csv_rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


# ------------------------------------------------------------------ 1. renamed columns
@pytest.mark.slow  # `cchc` on a whole copy of data/: loads it
@pytest.mark.parametrize("component, score", [("Component", " Score "), ("Thành phần", "Điểm"), ("COMPONENT", "điểm")])
def test_headers_written_the_way_people_write_them_are_read(scratch, component, score):
    header = [component if h == "component" else score if h == "score" else h for h in INDEX_HEADER]
    xlsx = sheet(
        scratch / "renamed.xlsx",
        header,
        ["PAR", 2024, "dak-nong", "Cải cách thể chế", 17.5, "points", 20, 30, 63, SOURCE],
    )
    run = cchc(scratch, "import", str(xlsx))
    assert run.returncode == 0, run.stderr
    added = csv_rows(scratch / "data" / "indices" / "par.csv")[-1]
    assert (added["component"], added["score"], added["rank"]) == ("Cải cách thể chế", "17.5", "30")


@pytest.mark.slow  # `cchc` on a whole copy of data/: loads it
@pytest.mark.parametrize("renamed, lost", [("Sub-area", "component"), ("Scores", "score")])
def test_a_column_that_names_nothing_while_one_is_missing_stops_the_import(scratch, renamed, lost):
    header = [renamed if h == lost else h for h in INDEX_HEADER]
    xlsx = sheet(
        scratch / "renamed.xlsx",
        header,
        ["PAR", 2024, "dak-nong", "Cải cách thể chế", 17.5, "points", 20, 30, 63, SOURCE],
    )
    before = snapshot(scratch / "data")
    run = cchc(scratch, "import", str(xlsx))
    assert run.returncode == EXIT_BAD_INPUT, run.stdout
    assert f"renamed.xlsx, row 1, column '{renamed}': error: unknown column '{renamed}'" in run.stderr
    assert lost in run.stderr and "Traceback" not in run.stderr
    assert snapshot(scratch / "data") == before


# ------------------------------------------------------------------ 2. an unclosed quote
@pytest.mark.slow  # `cchc` on a whole copy of data/: loads it
def test_an_unclosed_quote_is_an_error_where_it_opened_and_swallows_nothing(scratch):
    par = scratch / "data" / "indices" / "par.csv"
    lines = par.read_text(encoding="utf-8").splitlines()
    bad = f'PAR,2024,dak-nong,,88.1,%,,,,{SOURCE},"starts a note and never closes it,,,\n'
    good = f"PAR,2024,lam-dong,,87.2,%,,,,{SOURCE},,,,\n"
    with open(par, "a", encoding="utf-8") as f:
        f.write(bad + good)
    run = cchc(scratch, "validate")
    assert run.returncode == EXIT_BAD_INPUT
    assert (
        f"indices/par.csv, row {len(lines) + 1}, column 'note': error: a double quote opens here and never closes"
    ) in run.stdout, run.stdout


@pytest.mark.slow  # `cchc` on a whole copy of data/: loads it
def test_a_stray_quote_later_in_the_file_does_not_close_an_unclosed_one(scratch):
    par = scratch / "data" / "indices" / "par.csv"
    n = len(par.read_text(encoding="utf-8").splitlines())
    with open(par, "a", encoding="utf-8") as f:
        f.write(f'PAR,2024,dak-nong,,88.1,%,,,,{SOURCE},"opens,,,\n')
        f.write(f'PAR,2024,lam-dong,,87.2,%,,,,{SOURCE},"a quoted note",,,\n')
    run = cchc(scratch, "validate")
    assert run.returncode == EXIT_BAD_INPUT
    assert f"indices/par.csv, row {n + 1}, column 'note': error: a double quote opens here" in run.stdout


# ------------------------------------------------------------------ 3. a malformed registry
def registry_variants(text: str) -> dict[str, tuple[bytes, str]]:
    lines = text.splitlines()
    return {
        "semicolons": ("\n".join(line.replace(",", ";") for line in lines).encode(), "provinces.csv, row 1"),
        "windows-1258": (
            unicodedata.normalize("NFD", text).encode("cp1258", "replace"),
            "provinces.csv, row 2: error: file is not UTF-8",
        ),
        "renamed header": (
            "\n".join(["slug,ten," + lines[0].split(",", 2)[2], *lines[1:]]).encode(),
            "provinces.csv, row 1, column 'name': error: missing column 'name'",
        ),
        "short row": ("\n".join([*lines[:5], "dak-nong,Đắk Nông,63", *lines[6:]]).encode(), "provinces.csv, row 6"),
        "empty": (b"", "provinces.csv: error: file is empty"),
        "bad generation": (
            "\n".join([*lines[:3], lines[3].replace(",63,", ",36,", 1), *lines[4:]]).encode(),
            "provinces.csv, row 4, column 'generation'",
        ),
    }


@pytest.mark.slow  # `cchc` on a whole copy of data/: loads it
@pytest.mark.parametrize(
    "case", ["semicolons", "windows-1258", "renamed header", "short row", "empty", "bad generation"]
)
def test_a_malformed_registry_is_bad_input_naming_the_file(scratch, case):
    registry = scratch / "data" / "provinces.csv"
    raw, phrase = registry_variants(registry.read_text(encoding="utf-8"))[case]
    registry.write_bytes(raw)
    before = snapshot(scratch / "data")
    for args in (("validate",), ("report", "--province", "dak-nong", "--year", "2021", "--format", "html")):
        run = cchc(scratch, *args)
        out = run.stdout + run.stderr
        assert run.returncode == EXIT_BAD_INPUT, out
        assert phrase in out and "internal error" not in out and "Traceback" not in out, out
        assert out.count("Unknown province") == 0, out[:2000]
    assert snapshot(scratch / "data") == before and not (scratch / "reports").exists()


# ------------------------------------------------------------------ 4. two imports at once
@pytest.mark.slow  # twelve `cchc import` processes
def test_two_imports_at_once_lose_nothing(scratch):
    a = sheet(scratch / "a.xlsx", INDEX_HEADER, ["PAR", 2024, "dak-nong", None, 88.1, "%", None, None, None, SOURCE])
    b = sheet(scratch / "b.xlsx", INDEX_HEADER, ["PAR", 2024, "lam-dong", None, 87.2, "%", None, None, None, SOURCE])
    par = scratch / "data" / "indices" / "par.csv"
    original = par.read_bytes()
    env = scratch_env(scratch)
    for _ in range(6):
        par.write_bytes(original)
        runs = [
            subprocess.Popen(
                [str(BIN / "cchc"), "import", str(x)],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for x in (a, b)
        ]
        for run in runs:
            out, err = run.communicate(timeout=120)
            assert run.returncode == 0 and "added 1 row(s)" in out, err
        added = [(r["province"], r["score"]) for r in csv_rows(par)[-2:]]
        assert sorted(added) == [("dak-nong", "88.1"), ("lam-dong", "87.2")]


@pytest.mark.slow
def test_a_batch_reads_one_snapshot_of_the_data_while_an_import_writes(scratch):
    """An import during a batch waits for no one, and the batch's reports all read the data as it was
    when the batch started: the next batch renders what the import changed."""
    import json

    (scratch / "params" / "batch.yaml").write_text(
        "years: [2021]\nprovinces: [lam-dong]\nformats: [html]\noverview: false\nworkers: 1\n"
    )
    notebooks = scratch / "notebooks"
    shutil.copytree(ROOT / "notebooks", notebooks)
    nb = json.loads((notebooks / "province_report.ipynb").read_text(encoding="utf-8"))
    wait = "import os, time\nwhile not os.path.exists(os.environ['IMPORT_DONE']):\n    time.sleep(0.05)"
    nb["cells"].insert(
        2, {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [], "source": wait}
    )  # the report reads the data only after the import
    (notebooks / "province_report.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    xlsx = sheet(
        scratch / "a.xlsx",
        INDEX_HEADER,
        ["DTI", 2021, "lam-dong", None, 0.1234, "index 0-1", None, None, None, SOURCE + "/SNAPSHOT-MARK"],
    )  # a source is shown in the report (a transcription note is not)
    env = scratch_env(scratch, CCHC_NOTEBOOKS_DIR=str(notebooks), IMPORT_DONE=str(scratch / "import-done"))
    batch = subprocess.Popen(
        [str(BIN / "cchc"), "batch", "--no-progress"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not (scratch / "reports" / ".batch.lock").exists() and time.monotonic() < deadline:
            time.sleep(0.05)  # planned: the batch has read the data
        assert cchc(scratch, "import", str(xlsx)).returncode == 0
        (scratch / "import-done").touch()
        out, err = batch.communicate(timeout=180)
    finally:
        batch.kill()
    assert batch.returncode == 0, err
    report = scratch / "reports" / "2021" / "lam-dong.html"
    assert "SNAPSHOT-MARK" not in report.read_text(encoding="utf-8")
    again = cchc(scratch, "batch", "--no-progress", timeout=180, env=env)
    assert again.returncode == 0 and "rendered 1: 1 ok" in again.stdout, again.stdout + again.stderr
    assert "SNAPSHOT-MARK" in report.read_text(encoding="utf-8")


@pytest.mark.slow  # `cchc` on a whole copy of data/: loads it
def test_an_import_waits_while_another_holds_the_data_folder(scratch):
    """Imports take the data folder's lock (an flock on the folder itself), so a second one waits."""
    from cchc.files import folder_lock

    xlsx = sheet(scratch / "a.xlsx", INDEX_HEADER, ["PAR", 2024, "dak-nong", None, 88.1, "%", None, None, None, SOURCE])
    with folder_lock(scratch / "data"):
        run = subprocess.Popen(
            [str(BIN / "cchc"), "import", str(xlsx)],
            env=scratch_env(scratch),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(3)
        assert run.poll() is None  # still waiting
    out, err = run.communicate(timeout=60)
    assert run.returncode == 0 and "another import is writing" in err and "added 1 row(s)" in out


# ------------------------------------------------------------------ 5. a tiny workbook with a far-away cell
def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))  # 3 GiB of address space


@pytest.mark.slow  # `cchc` on a whole copy of data/: loads it
def test_a_styled_empty_cell_far_down_the_sheet_costs_nothing(scratch):
    workbook = Workbook()
    ws = workbook.active
    ws.append(INDEX_HEADER)
    ws.append(["PAR", 2024, "dak-nong", None, 88.1, "%", None, None, None, SOURCE])
    ws["N1048576"].font = Font(bold=True)
    workbook.save(scratch / "far.xlsx")
    start = time.monotonic()
    run = cchc(scratch, "import", str(scratch / "far.xlsx"), timeout=60, preexec_fn=_limit_memory)
    assert run.returncode == 0, run.stderr
    assert time.monotonic() - start < 20
    assert csv_rows(scratch / "data" / "indices" / "par.csv")[-1]["score"] == "88.1"


@pytest.mark.slow  # a workbook of 100,001 rows written and read
def test_a_sheet_too_big_to_be_a_table_is_refused_with_a_message(scratch):
    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet("indices")
    ws.append(INDEX_HEADER)
    for _ in range(100_001):
        ws.append(["PAR"])
    workbook.save(scratch / "big.xlsx")
    before = snapshot(scratch / "data")
    run = cchc(scratch, "import", str(scratch / "big.xlsx"), timeout=120, preexec_fn=_limit_memory)
    assert run.returncode == EXIT_BAD_INPUT, run.stderr
    assert "big.xlsx: error: sheet 'indices' has more than 100000 rows" in run.stderr
    assert snapshot(scratch / "data") == before


# ------------------------------------------------------------------ 6. years out of range or without figures
@pytest.mark.parametrize(
    "args, code, phrase",
    [
        (("batch", "--year", "99999"), EXIT_USAGE, "year 99999 is outside the years the data can hold (2005–2030)"),
        pytest.param(("batch", "--year", "2029"), EXIT_USAGE, "no figures for 2029", marks=pytest.mark.slow),
        (("report", "--province", "overview", "--year", "-5"), EXIT_USAGE, "year -5 is outside the years"),
        pytest.param(
            ("report", "--province", "overview", "--year", "2029"), EXIT_USAGE, "no figures for 2029", marks=SLOW
        ),
        (("report", "--province", "lam-dong-2025", "--year", "99999"), EXIT_USAGE, "year 99999 is outside"),
        pytest.param(("report", "--province", "lam-dong-2025", "--year", "2029"), EXIT_USAGE, "no figures", marks=SLOW),
        (("export", "--province", "dak-nong", "--year", "1990"), EXIT_USAGE, "year 1990 is outside"),
    ],
)
def test_every_command_refuses_a_year_the_data_cannot_hold(scratch, args, code, phrase):
    run = cchc(scratch, *args)
    assert run.returncode == code and phrase in run.stderr, run.stdout + run.stderr
    assert not (scratch / "reports").exists()


@pytest.mark.parametrize(
    "years, phrase",
    [
        ("[99999]", "99999 is outside the years the data can hold"),
        pytest.param("[2021, 2029]", "no figures for 2029", marks=pytest.mark.slow),
    ],
)
def test_batch_file_years_are_checked_naming_the_file_and_key(scratch, years, phrase):
    (scratch / "params" / "batch.yaml").write_text(f"years: {years}\nformats: [html]\n", encoding="utf-8")
    run = cchc(scratch, "batch", "--no-progress")
    assert run.returncode == EXIT_BAD_INPUT, run.stdout + run.stderr
    assert "batch.yaml, column 'years': error: " in run.stderr and phrase in run.stderr, run.stderr
    assert not (scratch / "reports").exists()


# ------------------------------------------------------------------ 7. workers
@pytest.mark.parametrize("workers", ["100000", "1000"])
def test_an_absurd_number_of_workers_is_refused(scratch, workers):
    (scratch / "params" / "batch.yaml").write_text(f"years: [2021]\nworkers: {workers}\n", encoding="utf-8")
    run = cchc(scratch, "batch", "--no-progress", timeout=30)
    assert run.returncode == EXIT_BAD_INPUT
    assert "batch.yaml, column 'workers': error:" in run.stderr and "at most" in run.stderr, run.stderr
    assert not (scratch / "reports").exists()


@pytest.mark.slow
def test_a_one_report_batch_starts_one_worker_whatever_workers_says(scratch):
    import psutil

    (scratch / "params" / "batch.yaml").write_text(
        "years: [2021]\nprovinces: [dak-nong]\nformats: [html]\noverview: false\nworkers: 12\n", encoding="utf-8"
    )
    proc = subprocess.Popen(
        [str(BIN / "cchc"), "batch", "--no-progress"],
        env=scratch_env(scratch),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    children: dict[int, str] = {}  # pid -> command line last seen (a zygote has the batch's until it execs)
    while proc.poll() is None:
        try:
            for child in psutil.Process(proc.pid).children():
                cmdline = " ".join(child.cmdline())
                if cmdline or child.pid not in children:  # an ended process shows none
                    children[child.pid] = cmdline
        except psutil.Error:
            pass
        time.sleep(0.02)
    assert proc.returncode == 0, proc.stderr.read()[-2000:]
    workers = [pid for pid, cmdline in children.items() if "cchc.kernels.zygote" not in cmdline]
    assert len(workers) == 1, children


# ------------------------------------------------------------------ 8. make variables are data, never code
@pytest.fixture
def project(scratch) -> Path:
    """The scratch copy with the Makefile and the real .venv: `make` runs as a user runs it."""
    shutil.copy(ROOT / "Makefile", scratch / "Makefile")
    (scratch / ".venv").symlink_to(ROOT / ".venv")
    return scratch


def make(project: Path, *args: str) -> subprocess.CompletedProcess:
    env = scratch_env(project)
    # -o setup: the set-up step (pip, kernel, Debian packages) is not what is tried here
    return subprocess.run(
        ["make", "--no-print-directory", "-o", "setup", "-o", ".venv/.installed", *args],
        capture_output=True,
        text=True,
        cwd=project,
        env=env,
        timeout=120,
    )


@pytest.mark.slow  # `cchc` on a whole copy of data/: loads it
@pytest.mark.parametrize(
    "variable, value",
    [
        ("PROVINCE", 'dak-nong"; touch PWNED; echo "'),
        ("PROVINCE", "$(shell touch PWNED)"),
        ("PROVINCE", "`touch PWNED`"),
        ("PROVINCE", "$$(touch PWNED)"),
        ("YEAR", "2021'; touch PWNED; echo '"),
        ("FORMATS", 'html"; touch PWNED; echo "'),
        ("LANG_REPORT", "vi; touch PWNED"),
    ],
)
def test_make_report_passes_variables_as_single_arguments(project, variable, value):
    values = {"PROVINCE": "dak-nong", "YEAR": "2021", "FORMATS": "html", variable: value}
    run = make(project, "report", *(f"{k}={v}" for k, v in values.items()))
    assert not list(project.rglob("PWNED*")), run.stdout + run.stderr
    assert run.returncode != 0 and "cchc: " in run.stderr, run.stdout + run.stderr
    assert not (project / "reports").exists()


@pytest.mark.parametrize("value", ['x.xlsx"; touch PWNED; echo "', "$(shell touch PWNED)", "$$(touch PWNED).xlsx"])
def test_make_import_passes_the_file_name_as_one_argument(project, value):
    before = snapshot(project / "data")
    run = make(project, "import", f"FILE={value}")
    assert not list(project.rglob("PWNED*")), run.stdout + run.stderr
    assert run.returncode != 0 and "cchc: " in run.stderr
    assert snapshot(project / "data") == before


@pytest.mark.slow
def test_make_report_fails_when_the_report_fails_and_succeeds_when_it_renders(project):
    assert make(project, "report", "PROVINCE=dak-nong", "YEAR=2029", "FORMATS=html").returncode != 0
    run = make(project, "report", "PROVINCE=Đắk Nông", "YEAR=2021", "FORMATS=html")
    assert run.returncode == 0, run.stderr
    assert (project / "reports" / "2021" / "dak-nong.html").is_file()


# ------------------------------------------------------------------ 9. provinces in the batch file
@pytest.mark.parametrize(
    "provinces, phrase",
    [
        pytest.param(
            '[dak-nong, "Đắc Nông"]',
            "column 'provinces': error: item 2: Unknown province 'Đắc Nông'",
            marks=pytest.mark.slow,
        ),
        ("[yes]", "column 'provinces': error: item 1: True is not a province name"),
        ("[lam-dong, 3.5]", "column 'provinces': error: item 2: 3.5 is not a province name"),
    ],
)
def test_bad_provinces_in_the_batch_file_name_file_key_and_position(scratch, provinces, phrase):
    (scratch / "params" / "batch.yaml").write_text(f"years: [2021]\nprovinces: {provinces}\n", encoding="utf-8")
    run = cchc(scratch, "batch", "--no-progress")
    assert run.returncode == EXIT_BAD_INPUT
    assert "batch.yaml" in run.stderr and phrase in run.stderr, run.stderr
    assert not (scratch / "reports").exists()


# ------------------------------------------------------------------ also: kernel noise stays off the terminal
@pytest.mark.slow
def test_what_a_kernel_prints_on_stderr_goes_to_the_log_not_the_terminal(scratch):
    import json

    notebooks = scratch / "notebooks"
    shutil.copytree(ROOT / "notebooks", notebooks)
    nb = json.loads((notebooks / "province_report.ipynb").read_text(encoding="utf-8"))
    nb["cells"].append(
        {
            "cell_type": "code",
            "metadata": {},
            "execution_count": None,
            "outputs": [],
            "source": "import os\nos.write(2, b'[IPKernelApp] ERROR | KeyboardInterrupt caught in kernel.\\n')",
        }
    )
    (notebooks / "province_report.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    run = cchc(
        scratch,
        "report",
        "--province",
        "dak-nong",
        "--year",
        "2021",
        "--format",
        "html",
        env=scratch_env(scratch, CCHC_NOTEBOOKS_DIR=str(notebooks)),
    )
    assert run.returncode == 0, run.stderr
    assert "KeyboardInterrupt" not in run.stderr and run.stderr.strip() == "", run.stderr
    assert "KeyboardInterrupt caught" in (scratch / "reports" / ".kernels.log").read_text(encoding="utf-8")


@pytest.mark.slow  # the whole data/ loaded and its figures computed, twice
def test_a_batch_kernel_reads_the_batchs_checked_copy_of_the_data(scratch, monkeypatch):
    """The batch checks data/ once; its kernels read that checked copy from the batch's private snapshot
    (never a pickle outside it, never one made from other data)."""
    from cchc.batch.runner import data_snapshot
    from cchc.data import dataset
    from cchc.data.dataset import BATCH_COPY, load_dataset, save_batch_copy

    monkeypatch.setenv("CCHC_DATA_DIR", str(scratch / "data"))
    with data_snapshot():
        snap = Path(os.environ["CCHC_DATA_DIR"])
        assert snap != scratch / "data" and os.environ[BATCH_COPY] == str(snap / ".dataset.pickle")
        ds = load_dataset()
        assert not ds.figures.empty  # computed once, by the batch
        save_batch_copy(ds)
        for csv_file in (snap / "indices").glob("*.csv"):
            csv_file.unlink()  # a kernel that read the files now would find no figures
        again = load_dataset()
        assert len(again.indices) == len(ds.indices) > 10_000 and "figures" in again.__dict__
        assert load_dataset() is again  # read once a process: a reused kernel's next report reads no pickle
        again.__dict__.pop("figures")
        save_batch_copy(ds)  # written again (as by another batch): read again
        assert load_dataset() is not again and "figures" in load_dataset().__dict__
        assert len(load_dataset(scratch / "data").indices) == len(ds.indices)  # other folders: read as ever
        assert not dataset._READ  # and the batch's copy no longer kept
    assert not snap.exists() and os.environ["CCHC_DATA_DIR"] == str(scratch / "data")
    assert BATCH_COPY not in os.environ


# ------------------------------------------------------------------ 10. rank_of against the year's table
def appended_rows(path: Path, *rows: str) -> int:
    """Append CSV lines to a data file; the spreadsheet row number of the first one."""
    first = len(path.read_text(encoding="utf-8").splitlines()) + 1
    with open(path, "a", encoding="utf-8") as f:
        f.writelines(row + "\n" for row in rows)
    return first


@pytest.mark.slow  # `cchc validate` loads all of data/
@pytest.mark.parametrize(
    "index, line, phrase",
    [
        ("par", f"PAR,2023,ha-giang,,,,,30,62,{SOURCE},,,,", "rank_of 62, but PAR 2023 ranked 63"),
        ("papi", f"PAPI,2023,bac-lieu,,,,,40,63,{SOURCE},,,,", "rank_of 63, but PAPI 2023 ranked 61"),
    ],
)
def test_a_rank_of_the_year_did_not_rank_is_an_error_in_validate(scratch, index, line, phrase):
    path = scratch / "data" / "indices" / f"{index}.csv"
    row = appended_rows(path, line)
    before = snapshot(scratch / "data")
    run = cchc(scratch, "validate")
    assert run.returncode == EXIT_BAD_INPUT, run.stdout
    assert f"indices/{index}.csv, row {row}, column 'rank_of': error: {phrase}" in run.stdout, run.stdout
    assert run.stdout.count("error:") == 1, run.stdout
    assert snapshot(scratch / "data") == before


@pytest.mark.slow  # `cchc validate` loads all of data/
def test_a_second_publication_row_about_the_same_generation_is_an_error_in_validate(scratch):
    """DTI 2024 has a row for the 63 provinces ('all') and one for the 34 new units: a 'top_n' row of the same
    year is about the 63 again and is refused, naming the file, row, column and the row already there."""
    path = scratch / "data" / "publication.csv"
    first = next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "DTI,2024,all" in line)
    row = appended_rows(path, f"DTI,2024,top_n,30,{SOURCE},")
    before = snapshot(scratch / "data")
    run = cchc(scratch, "validate")
    assert run.returncode == EXIT_BAD_INPUT, run.stdout
    said = (
        f"publication.csv, row {row}, column 'coverage': error: DTI 2024: row {first} already says what was published"
    )
    assert said in run.stdout, run.stdout
    assert run.stdout.count("error:") == 1, run.stdout
    assert snapshot(scratch / "data") == before


@pytest.mark.slow  # `cchc` on a whole copy of data/: loads it
@pytest.mark.parametrize(
    "figures, phrase",
    [
        (["PAR", 2023, "ha-giang", None, None, None, None, 30, 62], "rank_of 62, but PAR 2023 ranked 63"),
        (["PAPI", 2023, "bac-lieu", None, None, None, None, 40, 63], "rank_of 63, but PAPI 2023 ranked 61"),
    ],
)
def test_a_rank_of_the_year_did_not_rank_stops_the_import(scratch, figures, phrase):
    xlsx = sheet(scratch / "rank_of.xlsx", INDEX_HEADER, [*figures, SOURCE])
    before = snapshot(scratch / "data")
    run = cchc(scratch, "import", str(xlsx))
    assert run.returncode == EXIT_BAD_INPUT, run.stdout + run.stderr
    assert f"rank_of.xlsx, row 2, column 'rank_of': error: {phrase}" in run.stderr, run.stderr
    assert snapshot(scratch / "data") == before


# ------------------------------------------------------------------ 11. ranks that do not follow the scores
def pci_workbook(path: Path, rank_beside_total: bool) -> Path:
    """A VCCI-like PCI summary sheet of a new year (2025: the 34 new units), synthetic scores:
    the entry-cost list and the total's list side by side, each with its own province names; the rank column
    beside the total's names (as VCCI lays it out) or moved beside the entry-cost list's names. Two totals print
    the same (66.00) and are ranked against their stored order, as VCCI breaks ties with unprinted decimals."""
    with open(ROOT / "data" / "provinces.csv", encoding="utf-8", newline="") as f:
        names = [r["name"] for r in csv.DictReader(f) if r["generation"] == "34"]
    totals = {name: 70 - 0.25 * k for k, name in enumerate(names)}
    totals[names[16]], totals[names[17]] = 65.999, 66.001  # printed 66.00 both, ranked 17th and 18th
    entry = {name: 5 + (k * 13 % 34) / 20 for k, name in enumerate(names)}
    by_entry = sorted(names, key=lambda n: -entry[n])
    workbook = Workbook()
    ws = workbook.active
    ws.title = "Summary_VN"
    if rank_beside_total:
        ws.append(["Tỉnh", "Gia nhập thị trường", "Tỉnh", "PCI 2025", "Xếp hạng"])
        for i, name in enumerate(names):
            ws.append([by_entry[i], entry[by_entry[i]], name, totals[name], i + 1])
    else:
        ws.append(["Tỉnh", "Gia nhập thị trường", "Xếp hạng", "Tỉnh", "PCI 2025"])
        for i, name in enumerate(names):
            ws.append([by_entry[i], entry[by_entry[i]], i + 1, name, totals[name]])
    workbook.save(path)
    return path


@pytest.mark.slow  # `cchc` on a whole copy of data/: loads it
def test_a_rank_column_read_against_another_lists_names_stops_the_import(scratch):
    xlsx = pci_workbook(scratch / "PCI_2025.xlsx", rank_beside_total=False)
    before = snapshot(scratch / "data")
    run = cchc(scratch, "import", str(xlsx))
    assert run.returncode == EXIT_BAD_INPUT, run.stdout + run.stderr
    wrong = [line for line in run.stderr.splitlines() if "does not follow the scores" in line]
    assert len(wrong) >= 25, run.stderr
    assert all(
        line.startswith("PCI_2025.xlsx, sheet 'Summary_VN', row ") and ", column 'rank': error: rank " in line
        for line in wrong
    ), wrong[:3]
    assert snapshot(scratch / "data") == before


@pytest.mark.slow  # `cchc` on a whole copy of data/: loads it
def test_ranks_that_follow_the_scores_are_imported_printed_ties_in_either_order(scratch):
    xlsx = pci_workbook(scratch / "PCI_2025.xlsx", rank_beside_total=True)
    run = cchc(scratch, "import", str(xlsx))
    assert run.returncode == 0, run.stderr
    ranks = {
        (r["province"], r["score"]): r["rank"]
        for r in csv_rows(scratch / "data" / "indices" / "pci.csv")
        if r["year"] == "2025" and not r["component"]
    }
    assert len(ranks) == 34 and ranks[("ha-noi-2025", "70.00")] == "1"
    assert sorted(rank for (_, score), rank in ranks.items() if score == "66.00") == ["17", "18"]


# ------------------------------------------------------------------ 12. formulas reaching out, text that runs
def saved_values(path: Path, values: dict[str, object]) -> Path:
    """Store in the first sheet the value Excel saves with each formula cell (openpyxl saves none)."""
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    xml = parts["xl/worksheets/sheet1.xml"].decode()
    for ref, value in values.items():
        kind = ' t="str"' if isinstance(value, str) else ""
        xml, n = re.subn(
            rf'<c r="{ref}"([^>]*)>\s*(<f>[^<]*</f>)\s*<v\s*/>', rf'<c r="{ref}"\1{kind}>\2<v>{value}</v>', xml
        )
        assert n == 1, ref
    parts["xl/worksheets/sheet1.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


@pytest.mark.slow  # `cchc` on a whole copy of data/: loads it
@pytest.mark.parametrize(
    "formula, what",
    [
        ("=cmd|' /C calc'!A0", "a DDE link to another program"),
        ("=[1]Sheet1!$A$1", "a link to another workbook"),
        ("='C:\\cchc\\[other.xlsx]Sheet1'!$A$1", "a link to another workbook"),
        ('=WEBSERVICE("https://example.org/x")', "WEBSERVICE"),
    ],
)
def test_a_formula_that_reaches_outside_the_workbook_stops_the_import(scratch, formula, what):
    xlsx = sheet(
        scratch / "outside.xlsx", INDEX_HEADER, ["PAR", 2024, "ha-giang", None, formula, "%", None, None, None, SOURCE]
    )
    saved_values(xlsx, {"E2": 87.5})
    before = snapshot(scratch / "data")
    run = cchc(scratch, "import", str(xlsx))
    assert run.returncode == EXIT_BAD_INPUT, run.stdout + run.stderr
    assert (
        f"outside.xlsx, row 2, column 'score': error: sheet 'indices': cell E2 holds the formula {formula}, "
        f"which reaches outside the workbook ({what})"
    ) in run.stderr, run.stderr
    assert snapshot(scratch / "data") == before


@pytest.mark.slow  # `cchc` on a whole copy of data/: loads it
def test_a_publishers_workbook_with_a_dde_formula_is_refused_naming_the_cell(scratch):
    xlsx = pci_workbook(scratch / "PCI_2025.xlsx", rank_beside_total=True)
    workbook = load_workbook(xlsx)
    workbook.active["D5"] = "=cmd|' /C calc'!A0"
    workbook.save(xlsx)
    saved_values(xlsx, {"D5": 69.25})
    before = snapshot(scratch / "data")
    run = cchc(scratch, "import", str(xlsx))
    assert run.returncode == EXIT_BAD_INPUT, run.stdout + run.stderr
    assert (
        "PCI_2025.xlsx, sheet 'Summary_VN', row 5, column 'D5': error: cell D5 holds the formula "
        "=cmd|' /C calc'!A0, which reaches outside the workbook (a DDE link to another program)"
    ) in run.stderr
    assert snapshot(scratch / "data") == before


@pytest.mark.slow  # `cchc` on a whole copy of data/: loads it
@pytest.mark.parametrize(
    "column, text",
    [
        ("note", "=1+2"),
        ("note", "+cmd|' /C calc'!A0"),
        ("note", "-2+3"),
        ("note", "@SUM(1,2)"),
        ("source", '=HYPERLINK("https://x.example")'),
        ("note", "- tăng 4 bậc"),
    ],
)
def test_text_a_spreadsheet_would_run_is_never_stored(scratch, column, text):
    row = dict(zip(INDEX_HEADER, ["PAR", 2024, "ha-giang", None, 87.5, "%", None, None, None, SOURCE]))
    row[column] = text
    xlsx = sheet(scratch / "text.xlsx", INDEX_HEADER, [row.get(h) for h in INDEX_HEADER])
    workbook = load_workbook(xlsx)
    cell = workbook.active.cell(2, INDEX_HEADER.index(column) + 1)
    cell.value, cell.data_type = text, "s"  # saved as text (typed after an apostrophe), not as a formula
    workbook.save(xlsx)
    before = snapshot(scratch / "data")
    run = cchc(scratch, "import", str(xlsx))
    assert run.returncode == EXIT_BAD_INPUT, run.stdout + run.stderr
    assert (
        f"text.xlsx, row 2, column '{column}': error: '{text}' would run as a formula in a spreadsheet" in run.stderr
    ), run.stderr
    assert snapshot(scratch / "data") == before


@pytest.mark.slow  # `cchc` on a whole copy of data/: loads it
def test_text_that_only_looks_like_a_sign_is_stored(scratch):
    xlsx = sheet(
        scratch / "text.xlsx", INDEX_HEADER, ["PAR", 2024, "ha-giang", None, 87.5, "%", None, None, None, SOURCE, "-"]
    )
    run = cchc(scratch, "import", str(xlsx))
    assert run.returncode == 0, run.stderr
    assert csv_rows(scratch / "data" / "indices" / "par.csv")[-1]["note"] == "-"


# ------------------------------------------------------------------ 13. control characters in messages
RLO = "Đắk\u202eNôngg\u200b"  # a right-to-left override and a zero-width space in a mistyped province
SHOWN = "Đắk\\u202eNôngg\\u200b"


def assert_shown_escaped(out: str) -> None:
    assert f"Unknown province '{SHOWN}'" in out, out
    assert not any(c in out for c in "\u202e\u200b"), out


@pytest.mark.slow  # `cchc` on a whole copy of data/: loads it
def test_validate_shows_control_characters_of_a_province_escaped(scratch):
    appended_rows(scratch / "data" / "indices" / "par.csv", f"PAR,2024,{RLO},,88.1,%,,,,{SOURCE},,,,")
    run = cchc(scratch, "validate")
    assert run.returncode == EXIT_BAD_INPUT
    assert_shown_escaped(run.stdout)


@pytest.mark.slow  # `cchc` on a whole copy of data/: loads it
def test_import_shows_control_characters_of_a_province_escaped(scratch):
    xlsx = sheet(scratch / "rlo.xlsx", INDEX_HEADER, ["PAR", 2024, RLO, None, 88.1, "%", None, None, None, SOURCE])
    before = snapshot(scratch / "data")
    run = cchc(scratch, "import", str(xlsx))
    assert run.returncode == EXIT_BAD_INPUT
    assert "rlo.xlsx, row 2, column 'province': error: " in run.stderr
    assert_shown_escaped(run.stderr)
    assert snapshot(scratch / "data") == before


@pytest.mark.slow  # `cchc` on a whole copy of data/: loads it
@pytest.mark.parametrize(
    "args",
    [
        ("report", "--province", RLO, "--year", "2021", "--format", "html"),
        ("export", "--province", RLO, "--year", "2021"),
    ],
)
def test_commands_show_control_characters_of_a_province_escaped(scratch, args):
    run = cchc(scratch, *args)
    assert run.returncode == EXIT_BAD_INPUT, run.stderr
    assert_shown_escaped(run.stderr)
    assert not (scratch / "reports").exists()


@pytest.mark.slow  # `cchc` on a whole copy of data/: loads it
def test_the_batch_file_shows_control_characters_of_a_province_escaped(scratch):
    (scratch / "params" / "batch.yaml").write_text(f'years: [2021]\nprovinces: ["{RLO}"]\n', encoding="utf-8")
    run = cchc(scratch, "batch", "--no-progress")
    assert run.returncode == EXIT_BAD_INPUT
    assert "column 'provinces': error: item 1: " in run.stderr
    assert_shown_escaped(run.stderr)


# ------------------------------------------------------------------ 14. hidden rows and columns
def hidden_sheet(path: Path) -> Path:
    """A template sheet whose row 3 (a second province) and column K ('note') are hidden, both holding values."""
    sheet(
        path,
        INDEX_HEADER,
        ["PAR", 2024, "ha-giang", None, 88.1, "%", None, None, None, SOURCE, "seen"],
        ["PAR", 2024, "cao-bang", None, 87.2, "%", None, None, None, SOURCE, "hidden row"],
    )
    workbook = load_workbook(path)
    workbook.active.row_dimensions[3].hidden = True
    workbook.active.column_dimensions["K"].hidden = True
    workbook.save(path)
    return path


@pytest.mark.slow  # `cchc` on a whole copy of data/: loads it
def test_hidden_rows_and_columns_stop_the_import_naming_them(scratch):
    xlsx = hidden_sheet(scratch / "hidden.xlsx")
    before = snapshot(scratch / "data")
    run = cchc(scratch, "import", str(xlsx))
    assert run.returncode == EXIT_BAD_INPUT, run.stdout + run.stderr
    assert (
        "hidden.xlsx: error: sheet 'indices': row 3 and column K ('note') are hidden and hold values: unhide "
        "them and check what they hold, or import with --include-hidden"
    ) in run.stderr, run.stderr
    assert snapshot(scratch / "data") == before


@pytest.mark.slow  # `cchc` on a whole copy of data/: loads it
def test_include_hidden_imports_them_and_says_which(scratch):
    xlsx = hidden_sheet(scratch / "hidden.xlsx")
    run = cchc(scratch, "import", str(xlsx), "--include-hidden")
    assert run.returncode == 0, run.stderr
    assert (
        "hidden.xlsx: warning: sheet 'indices': hidden row 3 and column K ('note') were included "
        "(--include-hidden)" in run.stdout
    ), run.stdout
    added = csv_rows(scratch / "data" / "indices" / "par.csv")[-2:]
    assert [(r["province"], r["note"]) for r in added] == [("ha-giang", "seen"), ("cao-bang", "hidden row")]


@pytest.mark.slow  # `cchc` on a whole copy of data/: loads it
def test_a_publishers_workbook_with_a_hidden_row_is_refused_unless_included(scratch):
    xlsx = pci_workbook(scratch / "PCI_2025.xlsx", rank_beside_total=True)
    workbook = load_workbook(xlsx)
    workbook.active.row_dimensions[5].hidden = True
    workbook.save(xlsx)
    before = snapshot(scratch / "data")
    run = cchc(scratch, "import", str(xlsx))
    assert run.returncode == EXIT_BAD_INPUT, run.stdout + run.stderr
    assert "PCI_2025.xlsx, sheet 'Summary_VN': error: row 5 is hidden and holds values" in run.stderr, run.stderr
    assert snapshot(scratch / "data") == before
    run = cchc(scratch, "import", str(xlsx), "--include-hidden")
    assert run.returncode == 0, run.stderr
    assert "PCI_2025.xlsx, sheet 'Summary_VN': warning: hidden row 5 was included (--include-hidden)" in run.stdout


# ------------------------------------------------------------------ 15. a zip bomb
def zip_bomb(path: Path, unpacked: int = 1 << 30) -> Path:
    """A real template workbook whose province cell is shared string 0, as Excel saves it, and whose
    xl/sharedStrings.xml that string swells with spaces to ``unpacked`` bytes: about 1 MB of file a GiB."""
    plain = sheet(path.with_name("plain.xlsx"), INDEX_HEADER, ["PAR", 2024, "dak-nong", None, 88.1, "%"])
    main = "http://schemas.openxmlformats.org/"
    edits = {
        "xl/worksheets/sheet1.xml": (
            b'<c r="C2" t="inlineStr"><is><t>dak-nong</t></is></c>',
            b'<c r="C2" t="s"><v>0</v></c>',
        ),
        "[Content_Types].xml": (
            b"</Types>",
            b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
            b'officedocument.spreadsheetml.sharedStrings+xml" /></Types>',
        ),
        "xl/_rels/workbook.xml.rels": (
            b"</Relationships>",
            f'<Relationship Type="{main}officeDocument/2006/relationships/sharedStrings" '
            'Target="sharedStrings.xml" Id="rId9" /></Relationships>'.encode(),
        ),
    }
    head = f'<sst xmlns="{main}spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>dak-nong'.encode()
    tail = b"</t></si></sst>"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            old, new = edits.get(info.filename, (b"", b""))
            assert old in data
            out.writestr(info.filename, data.replace(old, new) if old else data)
        with out.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(head)
            chunk = b" " * (1 << 20)
            for _ in range(unpacked >> 20):
                part.write(chunk)
            part.write(tail)
    return path


def test_a_zip_bomb_is_refused_before_any_part_is_read(scratch):
    bomb = zip_bomb(scratch / "bomb.xlsx", MAX_PART_BYTES + (1 << 20))  # a MB past the bound (each GB costs 5 CPU-s)
    assert bomb.stat().st_size < 2 << 20
    before = snapshot(scratch / "data")
    start = time.monotonic()
    run = cchc(scratch, "import", str(bomb), timeout=60, preexec_fn=_limit_memory)
    assert run.returncode == EXIT_BAD_INPUT, run.stdout + run.stderr
    mb = MAX_PART_BYTES >> 20
    assert f"bomb.xlsx: error: part xl/sharedStrings.xml unpacks to {mb + 1} MB, more than {mb} MB" in run.stderr
    assert time.monotonic() - start < 20
    assert snapshot(scratch / "data") == before


def test_a_part_that_grows_a_thousand_times_is_refused_as_a_zip_bomb(scratch):
    bomb = zip_bomb(scratch / "bomb.xlsx", 100 << 20)  # under every size bound, 1,000 times its packed size
    before = snapshot(scratch / "data")
    run = cchc(scratch, "import", str(bomb), "--table", "indices", timeout=60, preexec_fn=_limit_memory)
    assert run.returncode == EXIT_BAD_INPUT, run.stdout + run.stderr
    assert re.search(r"bomb\.xlsx: error: part xl/sharedStrings\.xml unpacks \d+ times its packed size", run.stderr)
    assert "a zip bomb" in run.stderr
    assert snapshot(scratch / "data") == before


# ------------------------------------------------------------------ 16. the template as analysts save it
def filled_template(scratch: Path, guide_first: bool = False) -> Path:
    """`cchc template indices` filled with one row, its guide sheet moved to the front when ``guide_first``."""
    assert cchc(scratch, "template", "indices", "-o", str(scratch / "template.xlsx")).returncode == 0
    workbook = load_workbook(scratch / "template.xlsx")
    workbook["indices"].append(["PAR", 2024, "dak-nong", None, 88.1, "%", None, None, None, SOURCE])
    if guide_first:
        workbook.move_sheet("Hướng dẫn", offset=-workbook.sheetnames.index("Hướng dẫn"))
        assert workbook.sheetnames[0] == "Hướng dẫn"
    workbook.save(scratch / "filled.xlsx")
    return scratch / "filled.xlsx"


@pytest.mark.parametrize("args", [(), ("--table", "indices")])
def test_a_template_whose_guide_sheet_comes_first_is_read_from_its_data_sheet(scratch, args):
    xlsx = filled_template(scratch, guide_first=True)
    par = scratch / "data" / "indices" / "par.csv"
    before = csv_rows(par)
    run = cchc(scratch, "import", str(xlsx), *args)
    assert run.returncode == 0, run.stdout + run.stderr
    assert (
        "filled.xlsx: warning: sheet 'indices' read: it is the sheet whose header names the columns of a table "
        "(sheet 2; the first sheet, 'Hướng dẫn', is not read)"
    ) in run.stdout + run.stderr
    after = csv_rows(par)
    assert after[: len(before)] == before
    assert [(r["province"], r["score"], r["source"]) for r in after[len(before) :]] == [("dak-nong", "88.1", SOURCE)]


def test_a_workbook_with_no_data_sheet_names_the_sheet_it_read(scratch):
    xlsx = sheet(scratch / "notes.xlsx", ["Ghi chú"], ["số liệu ở tệp khác"])
    before = snapshot(scratch / "data")
    run = cchc(scratch, "import", str(xlsx), "--table", "indices")
    assert run.returncode == EXIT_BAD_INPUT, run.stdout + run.stderr
    assert (
        "notes.xlsx: warning: sheet 'indices' read (the first): no sheet's first ten rows name the columns of "
        "table 'indices'; the data belongs in a sheet whose first row is the template's header"
    ) in run.stderr
    assert snapshot(scratch / "data") == before


def template_as_csv(scratch: Path) -> Path:
    """The filled template saved as CSV UTF-8 by a spreadsheet: its header and one row."""
    rows = list(load_workbook(filled_template(scratch))["indices"].values)
    path = scratch / "filled.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([["" if v is None else v for v in row] for row in rows])
    return path


def test_the_template_saved_as_csv_is_imported_as_the_template(scratch):
    path = template_as_csv(scratch)
    par = scratch / "data" / "indices" / "par.csv"
    before = csv_rows(par)
    run = cchc(scratch, "import", str(path))
    assert run.returncode == 0, run.stdout + run.stderr
    assert "added 1 row(s) to indices/par.csv" in run.stdout
    after = csv_rows(par)
    assert after[: len(before)] == before
    assert [(r["province"], r["score"]) for r in after[len(before) :]] == [("dak-nong", "88.1")]


def test_a_csv_file_is_read_as_the_table_given(scratch):
    path = template_as_csv(scratch)
    before = snapshot(scratch / "data")
    run = cchc(scratch, "import", str(path), "--table", "means")
    assert run.returncode == EXIT_BAD_INPUT, run.stdout + run.stderr
    assert "filled.csv, row 1, column 'scope': error: missing column 'scope' (required)" in run.stderr
    assert "--index" not in run.stderr
    assert snapshot(scratch / "data") == before


# ------------------------------------------------------------------ 17. a full temporary folder
@pytest.fixture
def full_tmp(tmp_path):
    """A real 1 MB tmpfs (data/ is 4 MB): mounted for the test when it runs as root, else the test skips."""
    folder = tmp_path / "tiny-tmp"
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder)], capture_output=True)
    if mounted.returncode:
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def test_a_full_temporary_folder_stops_the_batch_naming_it_and_leaves_nothing(scratch, full_tmp):
    (scratch / "params" / "batch.yaml").write_text(
        "years: [2021]\nprovinces: [lam-dong]\nformats: [html]\noverview: false\nworkers: 1\n"
    )
    before = snapshot(scratch / "data")
    run = cchc(scratch, "batch", "--no-progress", env=scratch_env(scratch, TMPDIR=str(full_tmp)))
    assert run.returncode == EXIT_CANT_WRITE, run.stdout + run.stderr
    assert f"into the temporary folder {full_tmp}: No space left on device" in run.stderr, run.stderr
    assert "bug in the suite" not in run.stderr and len(run.stderr) < 400
    assert list(full_tmp.iterdir()) == []  # no partial copy of data/
    assert snapshot(scratch / "data") == before


# ------------------------------------------------------------------ 18. a batch file without limits
def laughs(levels: int = 30) -> str:
    """A billion laughs: each anchor a list of ten aliases of the one before (10^30 values expanded)."""
    lines = ['a0: &a0 ["ha", "ha", "ha", "ha", "ha", "ha", "ha", "ha", "ha", "ha"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, levels)]
    return "years: [2021]\n" + "\n".join(lines) + f"\nprovinces: *a{levels - 1}\n"


@pytest.mark.parametrize(
    "text, phrase",
    [
        ("years: [2021]\nprovinces: " + "[" * 1000 + "]" * 1000 + "\n", "values are nested more than 8 deep (line 2)"),
        (laughs(), "its aliases (*name) expand to more than 5000 values"),
        ("years: [2021]\nprovinces:\n" + "  - ha-noi\n" * 1_100_000, "the file is 11816 KB, more than 64 KB"),
    ],
    ids=["1000 deep", "billion laughs", "10 MB"],
)
def test_a_batch_file_past_its_bounds_is_refused_at_once(scratch, text, phrase):
    (scratch / "params" / "batch.yaml").write_text(text, encoding="utf-8")
    start = time.monotonic()
    run = cchc(scratch, "batch", "--no-progress", timeout=30)
    assert run.returncode == EXIT_BAD_INPUT, run.stdout + run.stderr
    assert f"batch.yaml: error: {phrase}: not a batch file a person wrote; refused" in run.stderr, run.stderr
    assert "internal error" not in run.stderr and len(run.stderr) < 1000
    assert time.monotonic() - start < 15
    assert not (scratch / "reports").exists()


@pytest.mark.slow  # a real batch
def test_a_province_written_five_ways_and_a_year_listed_twice_render_one_report(scratch):
    (scratch / "params" / "batch.yaml").write_text(
        'years: [2021, 2021]\nprovinces: [ha-noi, "Hà Nội", "Ha Noi", "TP. Hà Nội", "01"]\n'
        "formats: [html]\noverview: false\nworkers: 1\n",
        encoding="utf-8",
    )
    before = snapshot(scratch / "data")
    run = cchc(scratch, "batch", "--no-progress", timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "rendered 1: 1 ok, 0 failed" in run.stdout
    year = scratch / "reports" / "2021"
    assert sorted(p.name for p in year.glob("*.html")) == ["ha-noi.html", "index.html"]
    index = (year / "index.html").read_text(encoding="utf-8")
    assert index.count('href="ha-noi.html"') == 1 and index.count("Hà Nội") == 1
    assert snapshot(scratch / "data") == before


# ------------------------------------------------------------------ 19. an import stopped half-way
TWO_FILES = [  # rows for indices/par.csv and indices/pci.csv: one import writes two files
    ["PAR", 2024, "dak-nong", None, 88.1, "%", None, None, None, SOURCE],
    ["PCI", 2024, "dak-nong", None, 66.1, "points/100", None, None, None, SOURCE],
]


def stopped_import(scratch: Path, stage: str, sig: int) -> subprocess.Popen:
    """A real `cchc import` of a two-file sheet, stopped by ``sig`` at ``stage`` of its writing. How the stop is
    placed: the test-only hook CCHC_TEST_PAUSE_IMPORT makes the process create a file and wait at that stage
    ("before-commit": every temporary file written, the journal not yet; "between-renames": the first file renamed
    into place, the second not); the test sends the signal once the file exists."""
    xlsx = sheet(scratch / "two.xlsx", INDEX_HEADER, *TWO_FILES)
    paused = scratch / "paused"
    run = subprocess.Popen(
        [str(BIN / "cchc"), "import", str(xlsx)],
        env=scratch_env(scratch, CCHC_TEST_PAUSE_IMPORT=f"{stage}:{paused}"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # Ctrl-C reaches it as in a terminal even when the tests run in the background (which ignores SIGINT)
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 60
    while not paused.exists() and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert paused.exists(), "the import never reached the point to stop it at"
    run.send_signal(sig)
    run.wait(timeout=60)
    return run


def leftovers(data: Path) -> list[str]:
    return sorted(p.relative_to(data).as_posix() for p in data.rglob(".*") if p.name not in (".", ".."))


def assert_whole_import(data: Path, before: dict) -> None:
    """par.csv and pci.csv each hold exactly their old rows and the import's one row; nothing else changed."""
    for name, row in (("par", TWO_FILES[0]), ("pci", TWO_FILES[1])):
        path = data / "indices" / f"{name}.csv"
        old = before[f"indices/{name}.csv"][0].decode()
        new = path.read_text(encoding="utf-8")
        assert new.startswith(old)
        added = list(csv.reader(new[len(old) :].splitlines()))
        assert [(r[0], r[2], r[4]) for r in added] == [(row[0], row[2], str(row[4]))]
    others = {k: v for k, v in snapshot(data).items() if k not in ("indices/par.csv", "indices/pci.csv")}
    assert others == {k: v for k, v in before.items() if k not in ("indices/par.csv", "indices/pci.csv")}


def test_ctrl_c_between_the_renames_of_a_two_file_import_completes_it(scratch):
    data = scratch / "data"
    before = snapshot(data)
    run = stopped_import(scratch, "between-renames", signal.SIGINT)
    err = run.stderr.read()
    assert run.returncode == 130, err
    assert "cchc: interrupted; the import had been checked and is complete: data/ holds all of it" in err
    assert_whole_import(data, before)
    assert leftovers(data) == []


def test_an_import_killed_between_its_renames_is_finished_by_the_next_command(scratch):
    data = scratch / "data"
    before = snapshot(data)
    run = stopped_import(scratch, "between-renames", signal.SIGKILL)
    assert run.returncode == -signal.SIGKILL
    assert ".import-journal.json" in leftovers(data)  # killed: par.csv renamed, pci.csv still a temporary file
    after = cchc(scratch, "validate")
    assert after.returncode == 0, after.stdout + after.stderr
    assert (
        "finished an import that was stopped while renaming its files into place (indices/par.csv, "
        "indices/pci.csv now hold its rows)"
    ) in after.stderr
    assert_whole_import(data, before)
    assert leftovers(data) == []


def test_an_import_killed_before_its_commit_point_leaves_data_as_it_was(scratch):
    data = scratch / "data"
    before = snapshot(data)
    run = stopped_import(scratch, "before-commit", signal.SIGKILL)
    assert run.returncode == -signal.SIGKILL
    assert len(leftovers(data)) == 2  # the two temporary files
    after = cchc(scratch, "validate")
    assert after.returncode == 0, after.stdout + after.stderr
    assert "removed 2 temporary file(s) of an import stopped before it had written anything" in after.stderr
    assert "the data files are as they were before it" in after.stderr
    assert snapshot(data) == before
