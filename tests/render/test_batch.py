"""Batches for real: a process pool of papermill runs on a small plan over a copy of the shipped data."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import sys
import time
from functools import partial
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from cchc import cli, files
from cchc.batch import stamp as batch_stamp
from cchc.batch.index_page import page_script
from cchc.batch.jobs import Outcome
from cchc.batch.params import load_batch_params
from cchc.batch.runner import run_batch
from cchc.errors import BadInput
from cchc.render import notebook as render

from ..conftest import ROOT, once_per_run

pytestmark = pytest.mark.slow
PLAN = "years: [2021]\nprovinces: [dak-nong, Ninh Bình]\nformats: [html]\nworkers: 2\n"
FOLDERS = {"CCHC_DATA_DIR": "data", "CCHC_NOTEBOOKS_DIR": "notebooks", "CCHC_REPORTS_DIR": "reports"}


@pytest.fixture
def env(tmp_path, monkeypatch):
    """A copy of data/ and notebooks/, an empty reports folder and a batch file, all in tmp_path."""
    data, notebooks, reports = tmp_path / "data", tmp_path / "notebooks", tmp_path / "reports"
    shutil.copytree(ROOT / "data", data)
    shutil.copytree(ROOT / "notebooks", notebooks)
    monkeypatch.setenv("CCHC_DATA_DIR", str(data))
    monkeypatch.setenv("CCHC_NOTEBOOKS_DIR", str(notebooks))
    monkeypatch.setenv("CCHC_REPORTS_DIR", str(reports))
    (tmp_path / "batch.yaml").write_text(PLAN, encoding="utf-8")
    return tmp_path


# the tests reading ``first_run`` on one xdist worker: it runs once while the other worker works on
FIRST_RUN = pytest.mark.xdist_group("first-run")


@dataclasses.dataclass
class FirstRun:
    base: Path  # data/, notebooks/, reports/ and batch.yaml, as the run left them
    returncode: int
    out: str
    err: str
    zygotes: set[int]  # the warm zygotes seen while it ran
    forked: set[int]  # the processes forked from a zygote (its probe, the workers' kernels)


@pytest.fixture(scope="module")
def first_run(tmp_path_factory) -> FirstRun:
    """PLAN's first batch, run once for the module as a user runs it (`cchc batch`, a process) over copies of
    data/ and notebooks/ into an empty reports folder, its process tree watched while it runs. The tests that
    start from it read it, or work on a copy (``after_first_run``): one batch of 3 reports instead of one each,
    and one for the run (``once_per_run``: xdist hands these tests to both workers)."""
    return once_per_run(tmp_path_factory, "first-run", _first_run)


def _first_run(base: Path) -> FirstRun:
    import psutil

    shutil.copytree(ROOT / "data", base / "data")
    shutil.copytree(ROOT / "notebooks", base / "notebooks")
    (base / "batch.yaml").write_text(PLAN, encoding="utf-8")
    env = {**os.environ, "CCHC_WARM_KERNELS": "1"}  # opt-in (docs/DEVELOPING.md, "The kernel parts")
    env |= {name: str(base / folder) for name, folder in FOLDERS.items()}
    with open(base / "out.txt", "w") as out, open(base / "err.txt", "w") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "cchc", "batch", "--params", str(base / "batch.yaml"), "--no-progress"],
            stdout=out,
            stderr=err,
            env=env,
        )
        zygotes, forked = set(), set()  # forks of a zygote (its probe, kernels) keep its command line
        while proc.poll() is None:
            try:
                for p in psutil.Process(proc.pid).children(recursive=True):
                    if "cchc.kernels.zygote" in " ".join(p.cmdline()):
                        parent = p.parent()
                        zygote_parent = parent and "cchc.kernels.zygote" in " ".join(parent.cmdline())
                        (forked if zygote_parent else zygotes).add(p.pid)
            except psutil.Error:
                pass
            time.sleep(0.02)
    read = partial(Path.read_text, encoding="utf-8")
    return FirstRun(base, proc.returncode, read(base / "out.txt"), read(base / "err.txt"), zygotes, forked)


@pytest.fixture
def after_first_run(first_run, tmp_path, monkeypatch) -> Path:
    """A copy of the first run's folders (files with their modification times) and batch file, in tmp_path,
    as the environment's data, notebooks and reports folders: what ``env`` is after ``batch(env) == 0``."""
    assert first_run.returncode == 0, first_run.err[-2000:]
    for name, folder in FOLDERS.items():
        shutil.copytree(first_run.base / folder, tmp_path / folder)
        monkeypatch.setenv(name, str(tmp_path / folder))
    shutil.copy2(first_run.base / "batch.yaml", tmp_path / "batch.yaml")
    return tmp_path


def batch(env) -> int:
    return run_batch(env / "batch.yaml", progress=False)


def state(env) -> dict:
    return json.loads((env / "reports" / "2021" / ".state.json").read_text(encoding="utf-8"))


def mtimes(env) -> dict:
    return {p.name: p.stat().st_mtime_ns for p in (env / "reports" / "2021").glob("*.html")}


@FIRST_RUN
def test_second_run_renders_nothing_and_a_data_change_renders_that_province_and_the_overview(
    first_run, after_first_run, capsys
):
    env = after_first_run
    assert "rendered 3: 3 ok" in first_run.out
    first = mtimes(env)
    assert batch(env) == 0
    assert "rendered 0" in capsys.readouterr().out
    assert mtimes(env) == first

    par = env / "data" / "indices" / "par.csv"
    par.write_text(
        par.read_text(encoding="utf-8")
        + "PAR,2016,ninh-binh,,,,,30,63,https://example.org/test,synthetic test row,,,\n",
        encoding="utf-8",
    )
    assert batch(env) == 0
    after = mtimes(env)
    changed = {name for name in after if after[name] != first.get(name)}
    assert changed == {"ninh-binh.html", "overview.html", "index.html"}  # the page says which data


@FIRST_RUN
def test_a_batch_with_nothing_changed_answers_from_its_stamp_and_any_change_goes_the_full_way(after_first_run, capsys):
    env = after_first_run  # the first run was `cchc batch` (first_run)
    reports, plan = env / "reports", env / "batch.yaml"
    assert batch(env) == 0  # the full check
    full = capsys.readouterr().out.strip()
    assert full.splitlines()[0] == "rendered 0: 0 ok, 0 failed; 3 unchanged; 0 skipped (no data)"
    assert f"2021: open {reports / '2021' / 'index.html'}" in full
    assert batch_stamp.nothing_to_do(plan, None, reports) == full
    assert cli.main(["batch", "--params", str(plan), "--no-progress"]) == 0
    assert capsys.readouterr().out.strip() == full

    par = env / "data" / "indices" / "par.csv"
    original = par.read_bytes()
    par.write_bytes(original.replace(b"https://", b"http://", 1))
    assert batch_stamp.nothing_to_do(plan, None, reports) is None
    assert batch_stamp.nothing_to_do(plan, 2021, reports) is None  # another year asked: not this stamp
    par.write_bytes(original)
    assert batch_stamp.nothing_to_do(plan, None, reports) == full
    (reports / "2021" / "ninh-binh.ipynb").unlink()
    assert batch_stamp.nothing_to_do(plan, None, reports) is None
    assert batch(env) == 0 and "rendered 1: 1 ok" in capsys.readouterr().out


@FIRST_RUN
def test_a_broken_report_does_not_stop_the_batch_or_replace_the_good_one(after_first_run, capsys):
    env = after_first_run
    good = (env / "reports" / "2021" / "dak-nong.html").read_bytes()
    nb_path = env / "notebooks" / "province_report.ipynb"
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    nb["cells"].insert(
        3,
        {
            "cell_type": "code",
            "execution_count": None,
            "id": "broken",
            "metadata": {},
            "outputs": [],
            "source": "assert province != 'dak-nong', 'deliberately broken'",
        },
    )
    nb_path.write_text(json.dumps(nb), encoding="utf-8")

    assert batch(env) == 1
    assert batch_stamp.nothing_to_do(env / "batch.yaml", None, env / "reports") is None
    out = capsys.readouterr().out
    assert "1 failed" in out and "FAILED 2021 dak-nong" in out and "deliberately broken" in out
    assert (env / "reports" / "2021" / "dak-nong.html").read_bytes() == good
    failed_nb = json.loads((env / "reports" / "2021" / "dak-nong.failed.ipynb").read_text(encoding="utf-8"))
    errors = [o for c in failed_nb["cells"] for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert errors and errors[0]["evalue"] == "deliberately broken"
    assert state(env)["ninh-binh"]["status"] == "ok" and state(env)["dak-nong"]["status"] == "failed"
    index = BeautifulSoup((env / "reports" / "2021" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert "deliberately broken" in index.get_text()
    earlier = index.find("a", string="HTML (bản trước)")
    assert earlier is not None and earlier["href"] == "dak-nong.html"  # the kept good report stays reachable


@FIRST_RUN
def test_index_page_links_every_report(first_run):
    assert first_run.returncode == 0, first_run.err[-2000:]
    folder = first_run.base / "reports" / "2021"
    soup = BeautifulSoup((folder / "index.html").read_text(encoding="utf-8"), "html.parser")
    links = [a["href"] for a in soup.find_all("a")]
    assert sorted(links) == ["../index.html", "dak-nong.html", "ninh-binh.html", "overview.html"]  # and the portal
    assert all((folder / link).is_file() for link in links)
    assert [s.string for s in soup.find_all("script")] == [page_script()]  # only the page's own filter and sort


def test_every_link_of_an_english_batchs_index_page_opens_a_file(env):
    (env / "batch.yaml").write_text(PLAN + "lang: en\n", encoding="utf-8")
    other_year = env / "reports" / "2020"  # a report of another year, in English and in Vietnamese
    other_year.mkdir(parents=True)
    for name in ("dak-nong.en.html", "dak-nong.html"):
        (other_year / name).write_text("<!DOCTYPE html><title>2020</title>", encoding="utf-8")
    assert batch(env) == 0
    folder = env / "reports" / "2021"
    assert sorted(p.name for p in folder.glob("*.html")) == [
        "dak-nong.en.html",
        "index.en.html",
        "ninh-binh.en.html",
        "overview.en.html",
    ]
    soup = BeautifulSoup((folder / "index.en.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.html["lang"] == "en"
    links = sorted(a["href"] for a in soup.find_all("a"))
    assert links == [
        "../2020/dak-nong.en.html",
        "../index.en.html",
        "dak-nong.en.html",
        "ninh-binh.en.html",
        "overview.en.html",
    ]
    missing = [link for link in links if not (folder / link).is_file()]
    assert missing == []


@FIRST_RUN
def test_batch_output_is_byte_identical_to_a_report_rendered_alone(after_first_run, tmp_path):
    env = after_first_run
    alone = render.render_report(render.plan_report("dak-nong", 2021, formats="html"), tmp_path / "alone")
    assert alone["html"].read_bytes() == (env / "reports" / "2021" / "dak-nong.html").read_bytes()
    assert alone["ipynb"].read_bytes() == (env / "reports" / "2021" / "dak-nong.ipynb").read_bytes()


@pytest.mark.parametrize(
    "text, key, phrase",
    [
        ("years: [2021]\nprovince: all\n", "province", "unknown key"),
        ("years: 'last'\n", "years", "must be 'latest' or a list of years"),
        ("formats: [html, docx]\n", "formats", "must be a list of html, pdf"),
        ("workers: -1\n", "workers", "positive whole number"),
        ("lang: fr\n", "lang", "must be one of vi, en"),
        ("executor: spark\n", "executor", "must be one of local, dask"),
        ("executor: dask\nscheduler: 10.0.0.5\n", "scheduler", "must be a Dask scheduler address such as tcp://"),
        ("scheduler: tcp://10.0.0.5:8786\n", "scheduler", "is used only with 'executor: dask'"),
        ("years: !!python/object/apply:os.system ['echo hacked']\n", None, "not valid YAML"),
    ],
)
def test_batch_parameters_are_checked_before_any_kernel(tmp_path, text, key, phrase):
    path = tmp_path / "batch.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BadInput) as info:
        load_batch_params(path)
    problem = info.value.problems[0]
    assert problem.column == key and phrase in problem.message


@FIRST_RUN
def test_with_the_zygote_asked_for_the_workers_fork_their_kernels_from_one_shared_zygote(first_run):
    assert first_run.returncode == 0, first_run.err[-2000:]
    assert len(first_run.zygotes) == 1 and len(first_run.forked) >= 2  # one zygote; a kernel for each worker


# ------------------------------------------------------------------ index page and summary, as readers see them
def test_the_index_page_is_in_vietnamese_order_and_says_skipped_once(tmp_path):
    from bs4 import BeautifulSoup

    from cchc.batch.index_page import write_index

    names = [
        "Yên Bái",
        "Đồng Tháp",
        "Bình Định",
        "Bạc Liêu",
        "Điện Biên",
        "Bà Rịa - Vũng Tàu",
        "Đà Nẵng",
        "Cà Mau",
        "Quảng Ninh",
    ]
    outcomes = [Outcome(f"p{i}", name, 2023, "ok", formats=("html",)) for i, name in enumerate(names)]
    outcomes.append(Outcome("q", "Hậu Giang", 2023, "skipped", "chưa có số liệu năm này"))
    page = BeautifulSoup(write_index(tmp_path, 2023, outcomes, {}, "vi").read_text(encoding="utf-8"), "html.parser")
    shown = [tr.td.get_text(strip=True) for tr in page.tbody.find_all("tr")]
    assert shown == [
        "Bà Rịa - Vũng Tàu",
        "Bạc Liêu",
        "Bình Định",
        "Cà Mau",
        "Đà Nẵng",
        "Điện Biên",
        "Đồng Tháp",
        "Quảng Ninh",
        "Yên Bái",
    ]
    said = [p.get_text(strip=True) for p in page.find_all("p") if "Hậu Giang" in p.get_text()]
    assert said == ["Không có số liệu năm 2023, không lập báo cáo: Hậu Giang."]
    assert "hoàn thành" not in page.get_text()  # status words only for failures


# ------------------------------------------------------------------ the index page of a year with old and new units
YEAR_2024_NEW = {"da-nang-2025", "ha-noi-2025", "hai-phong-2025", "ho-chi-minh-2025", "hue-2025", "thanh-hoa-2025"}


@pytest.fixture(scope="module")
def year_2024(tmp_path_factory, shipped):
    """The 2024 batch as planned from the shipped data (63 provinces and the 6 new units with DTI 2024
    figures), its reports stood in for by small files: HTML for all, PDF for some, 2023 for some, one failed.
    The data are the run's ``shipped`` (loaded once for both xdist workers, not once by each here)."""
    from cchc.batch.plan import plan_batch
    from cchc.files import output_name

    base = tmp_path_factory.mktemp("index-2024")
    ds = shipped
    pages = {}
    for lang in ("vi", "en"):
        (base / f"{lang}.yaml").write_text(
            f"years: [2024]\nprovinces: all\nformats: [html, pdf]\nlang: {lang}\n", encoding="utf-8"
        )
        jobs, skipped = plan_batch(load_batch_params(base / f"{lang}.yaml"), ds, [2024])
        reports = base / lang
        outcomes, state = [], {}
        for i, job in enumerate(jobs):
            req = job.request
            failed = req.name == "dak-nong"
            for year, fmt in [(2024, "html")] + [(2024, "pdf")] * (i % 2) + [(2023, "html")] * (i % 3 == 0):
                path = reports / output_name(req.name, year, lang, fmt)
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text("<!DOCTYPE html><title>report</title>", encoding="utf-8")
            outcomes.append(
                Outcome(
                    req.name,
                    job.label,
                    2024,
                    "failed" if failed else "ok",
                    "cell 4: AssertionError: broken" if failed else "",
                    formats=req.formats,
                )
            )
            state[files.report_key(req.name, lang)] = {
                "status": outcomes[-1].status,
                "label": job.label,
                "formats": list(req.formats),
                "date": "2026-12-06",
            }
        pages[lang] = (reports, outcomes + skipped, state)
    return ds, jobs, pages


def _page(year_2024, lang, folder=None):
    from cchc.batch.index_page import write_index

    ds, _, pages = year_2024
    reports, outcomes, state = pages[lang]
    if folder is not None:  # the same inputs in another folder
        shutil.copytree(reports, folder)
        reports = folder
    path = write_index(reports / "2024", 2024, outcomes, state, lang, ds)
    return path, BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.mark.parametrize("lang, mark", [("vi", "(từ 1/7/2025)"), ("en", "(from 1 July 2025)")])
def test_old_provinces_and_new_units_of_2024_are_told_apart(year_2024, lang, mark):
    ds, jobs, _ = year_2024
    assert YEAR_2024_NEW <= {j.request.name for j in jobs}
    _, page = _page(year_2024, lang)
    labels = [tr.td.get_text(strip=True) for tr in page.tbody.find_all("tr")]
    assert len(labels) == len(set(labels)) == len(jobs) - 1  # the overview is above the table
    for slug in YEAR_2024_NEW:
        unit = ds.registry.get(slug)
        assert f"{unit.name} {mark}" in labels
    assert labels.index("Hà Nội") + 1 == labels.index(f"Hà Nội {mark}")
    assert "Thừa Thiên Huế" in labels and f"Huế {mark}" in labels


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_row_of_the_index_page_has_its_figures_and_links_without_javascript(year_2024, lang):
    """Read as a browser with JavaScript off would: every row holds its unit's score, rank and change on
    each index (those of cchc.headline), its report's files that exist and its reports of other years."""
    import cchc
    from cchc.report.narrative import fmt_rank, fmt_score, rank_change_text, score_change_text

    ds, jobs, pages = year_2024
    reports = pages[lang][0]
    path, page = _page(year_2024, lang)
    # one inline script (filter and sort), allowed by its hash; nothing else runs or is fetched
    assert len(page.find_all("script")) == 1 and not page.find("script").get("src")
    assert not page.select("[onclick], [onload], link, img, iframe")
    heads = [th.get_text(strip=True) for th in page.thead.find_all("th")]
    by_label = {tr.td.get_text(strip=True): tr for tr in page.tbody.find_all("tr")}
    checked = 0
    for job in jobs:
        name = job.request.name
        if name == "overview":
            continue
        unit = ds.registry.get(name)
        label = (
            unit.name
            if not unit.is_new
            else {"vi": f"{unit.name} (từ 1/7/2025)", "en": f"{unit.name} (from 1 July 2025)"}[lang]
        )
        cells = dict(zip(heads, (td.get_text(" ", strip=True) for td in by_label[label].find_all("td"))))
        for h in cchc.headline(ds, name, 2024).itertuples():
            column = {"PAR": "PAR INDEX"}.get(h.index, h.index)
            if not pd.isna(h.rank):
                assert fmt_rank(h.rank, h.rank_of, lang, h.tied) in cells[column], (label, column)
            if not pd.isna(h.score):
                assert fmt_score(h.score, h.unit, lang) in cells[column], (label, column)
            for change in (score_change_text(h.score_delta, h.unit, lang), rank_change_text(h.rank_delta, lang)):
                assert change in cells[column], (label, column)
            checked += 1
        links = [a["href"] for a in by_label[label].find_all("a")]
        expected = [
            files.output_name(name, 2024, lang, f).split("/")[1]
            for f in ("html", "pdf")
            if (reports / files.output_name(name, 2024, lang, f)).is_file()
        ]
        if (reports / files.output_name(name, 2023, lang, "html")).is_file():
            expected.append("../" + files.output_name(name, 2023, lang, "html"))
        assert links == expected, label
        assert all((path.parent / link).is_file() for link in links)
    assert checked > 100
    failed = by_label["Đắk Nông"]
    assert "cell 4: AssertionError: broken" in failed.get_text()
    assert page.find(class_="alert") is not None and "Đắk Nông" in page.find(class_="alert").get_text()
    overview = page.find("a", href=files.output_name("overview", 2024, lang, "html").split("/")[1])
    assert overview is not None and "2024" in overview.get_text()


def test_the_index_page_is_the_same_bytes_from_the_same_inputs(year_2024, tmp_path):
    first, _ = _page(year_2024, "vi")
    second, _ = _page(year_2024, "vi", tmp_path / "again")
    assert first.read_bytes() == second.read_bytes()
    assert "Lập ngày 6/12/2026" in first.read_text(encoding="utf-8")  # the day from the batch state


def test_the_summary_says_which_year_where_to_open_it_and_what_was_skipped(tmp_path):
    from cchc.batch.runner import summary

    outcomes = [
        Outcome("ha-noi", "Hà Nội", 2023, "ok"),
        Outcome("x", "Quảng Ninh", 2023, "skipped"),
        Outcome("y", "Bình Dương", 2023, "skipped"),
        Outcome("z", "Huế", 2023, "failed", "boom"),
    ]
    text = summary(outcomes, 2, tmp_path / "reports")
    assert text.splitlines() == [
        "rendered 2: 1 ok, 1 failed; 0 unchanged; 2 skipped (no data)",
        f"2023: open {tmp_path / 'reports' / '2023' / 'index.html'}",
        "  skipped, no figures for 2023 (2): Bình Dương, Quảng Ninh",
        "  FAILED 2023 z: boom",
    ]


def test_several_years_render_in_one_batch_with_a_state_and_an_index_per_year_and_a_rerun_does_nothing(env, capsys):
    """`cchc batch --years 2021-2022`: two provinces × two years in one pool, a plain progress line per report
    (stdout is not a terminal here), each year's state and index page in its folder; run again, it answers
    from its stamp and writes nothing."""
    reports = env / "reports"
    plan = env / "two-years.yaml"
    plan.write_text(
        "provinces: [dak-nong, Ninh Bình]\nformats: [html]\nworkers: 2\noverview: false\n", encoding="utf-8"
    )
    assert cli.main(["batch", "--params", str(plan), "--years", "2021-2022"]) == 0
    out = capsys.readouterr().out
    steps = [line for line in out.splitlines() if " reports" in line and " — " in line]
    assert [line.split(" reports")[0] for line in steps] == ["1/4", "2/4", "3/4", "4/4"]
    assert {line.rsplit(" — ", 1)[1] for line in steps} == {
        f"{y} {p}: ok" for y in (2021, 2022) for p in ("dak-nong", "ninh-binh")
    }
    assert "reports/min" in steps[0] and ", done — " in steps[-1]
    assert "rendered 4: 4 ok, 0 failed" in out
    for year in (2021, 2022):
        folder = reports / str(year)
        saved = json.loads((folder / ".state.json").read_text(encoding="utf-8"))
        assert {k: v["status"] for k, v in saved.items()} == {"dak-nong": "ok", "ninh-binh": "ok"}
        index = BeautifulSoup((folder / "index.html").read_text(encoding="utf-8"), "html.parser")
        assert {a["href"] for a in index.find_all("a", href=True)} >= {"dak-nong.html", "ninh-binh.html"}
        assert f"{year}: open {folder / 'index.html'}" in out

    before = {p: p.stat().st_mtime_ns for p in reports.rglob("*") if p.is_file()}
    assert batch_stamp.nothing_to_do(plan, "2021-2022", reports) is not None
    assert cli.main(["batch", "--params", str(plan), "--years", "2021-2022"]) == 0
    again = capsys.readouterr().out
    assert again.splitlines()[0] == "rendered 0: 0 ok, 0 failed; 4 unchanged; 0 skipped (no data)"
    assert {p: p.stat().st_mtime_ns for p in reports.rglob("*") if p.is_file()} == before
    assert batch_stamp.nothing_to_do(plan, "2021", reports) is None  # another choice of years: not this stamp
