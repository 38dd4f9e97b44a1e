"""The portal of every year and a province's zip, from two real batches rendered one year at a time.

2024: Hà Nội and the unit of the same name formed on 1 July 2025 (which has DTI 2024 figures), then 2025:
that unit alone, each batch with its overview, in HTML and PDF. The pages are followed link by link, read in
Chromium with JavaScript off and at 390 px, and the zip of the 2025 unit is written twice.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from cchc.batch.runner import run_batch

from ..conftest import once_per_run
from .test_paper_and_phone import CHROMIUM_ARGS

# every test reads the two batches: one xdist worker makes them while the other works on (not waits)
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("portal")]
BATCHES = {2024: ["ha-noi", "ha-noi-2025"], 2025: ["ha-noi-2025"]}


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> Path:
    """A reports folder filled by two batches, 2024 then 2025, as a user runs them a year apart: once for the
    run (``once_per_run``: xdist hands this module's tests to both workers)."""
    return once_per_run(tmp_path_factory, "portal", _two_batches)


def _two_batches(base: Path) -> Path:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", "1796515200")  # 2026-12-06
        for year, provinces in BATCHES.items():
            plan = base / f"{year}.yaml"
            plan.write_text(
                f"years: [{year}]\nprovinces: [{', '.join(provinces)}]\nformats: [html, pdf]\nworkers: 2\n",
                encoding="utf-8",
            )
            assert run_batch(plan, out_dir=base / "reports", progress=False) == 0
    return base / "reports"


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def local_links(page: Path) -> list[Path]:
    """The files a page links to in the reports folder (links to publishers' sites left aside)."""
    found = []
    for a in soup(page).find_all("a", href=True):
        href = a["href"]
        if urlsplit(href).scheme or href.startswith("#"):
            continue
        found.append((page.parent / href).resolve())
    return found


def test_every_link_from_the_portal_opens_a_file_and_reaches_every_report(reports):
    """From reports/index.html, every link of every page reached (index pages, overviews, reports) opens a
    file: HTML, a PDF, the same province's other years, the overview and back."""
    portal = (reports / "index.html").resolve()
    seen, todo, dead = {portal}, [portal], []
    while todo:
        page = todo.pop()
        for target in local_links(page):
            if not target.is_file():
                dead.append(f"{page.relative_to(reports.resolve())} -> {target}")
            elif target not in seen:
                seen.add(target)
                if target.suffix == ".html":
                    todo.append(target)
    assert dead == []
    shown = {p.relative_to(reports.resolve()).as_posix() for p in seen}
    expected = {"index.html", "2024/index.html", "2025/index.html", "2024/overview.html", "2025/overview.html"}
    expected |= {f"{y}/{slug}.{ext}" for y, slugs in BATCHES.items() for slug in slugs for ext in ("html", "pdf")}
    assert expected <= shown
    assert all((reports / p).read_bytes().startswith(b"%PDF") for p in shown if p.endswith(".pdf"))

    # the same province's other years, both ways, though 2024 was rendered before 2025 existed
    year_2024 = soup(reports / "2024" / "index.html")
    new_unit = next(tr for tr in year_2024.tbody.find_all("tr") if tr.td.get_text(strip=True).endswith("(từ 1/7/2025)"))
    assert "../2025/ha-noi-2025.html" in [a["href"] for a in new_unit.find_all("a")]
    year_2025 = soup(reports / "2025" / "index.html")
    assert "../2024/ha-noi-2025.html" in [a["href"] for a in year_2025.tbody.find_all("a")]
    # the overview and the index pages link to each other
    for year in BATCHES:
        overview = [a["href"] for a in soup(reports / str(year) / "overview.html").find_all("a", href=True)]
        assert {"index.html", "../index.html"} <= set(overview)
        assert "overview.html" in [a["href"] for a in soup(reports / str(year) / "index.html").find_all("a")]


def test_the_portal_tells_an_old_province_from_the_2025_unit_and_says_when_and_from_which_data(reports):
    page = soup(reports / "index.html")
    rows = {tr.td.get_text(strip=True): tr for tr in page.tbody.find_all("tr")}
    assert list(rows) == ["Hà Nội", "Hà Nội (từ 1/7/2025)"]
    years = [a.get_text(strip=True) for a in page.find(class_="year-list").find_all("a") if "Năm" in a.get_text()]
    assert years == ["Năm 2025: số liệu và báo cáo", "Năm 2024: số liệu và báo cáo"]  # latest first

    def reports_by_year(row) -> dict[str, list[str]]:
        cell = row.find("td", class_="reports")
        return {y["data-year"]: [a["href"] for a in y.find_all("a")] for y in cell.find_all(class_="year-reports")}

    assert list(reports_by_year(rows["Hà Nội (từ 1/7/2025)"]).items()) == [
        ("2025", ["2025/ha-noi-2025.html", "2025/ha-noi-2025.pdf"]),
        ("2024", ["2024/ha-noi-2025.html", "2024/ha-noi-2025.pdf"]),
    ]
    assert reports_by_year(rows["Hà Nội"]) == {"2024": ["2024/ha-noi.html", "2024/ha-noi.pdf"]}
    meta = page.find(class_="meta").get_text()
    assert "Cập nhật ngày 6/12/2026" in meta and "dữ liệu phiên bản" in meta
    year_page = soup(reports / "2024" / "index.html").find(class_="meta").get_text()
    assert "Lập ngày 6/12/2026" in year_page and "dữ liệu phiên bản" in year_page


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def open_page(browser, path: Path, width: int, javascript: bool):
    context = browser.new_context(
        offline=True, viewport={"width": width, "height": 844}, java_script_enabled=javascript
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)  # a CSP refusal says so
    page.goto(path.as_uri(), wait_until="load")
    return context, page, errors


VISIBLE_ROWS = "() => [...document.querySelectorAll('tbody tr')].filter(r => r.offsetParent !== null).length"
WIDTHS = "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"


@pytest.mark.parametrize("name", ["index.html", "2024/index.html"])
def test_the_pages_read_in_full_with_javascript_off_and_on_a_phone(reports, browser, name, tmp_path):
    path = reports / name
    rows = len(soup(path).tbody.find_all("tr"))
    for width in (390, 1100):
        context, page, errors = open_page(browser, path, width, javascript=False)
        page.screenshot(path=str(tmp_path / f"{width}.png"), full_page=True)
        scroll, client = page.evaluate(WIDTHS)
        assert scroll <= client, f"{name} scrolls sideways at {width} px"
        assert page.evaluate(VISIBLE_ROWS) == rows  # every row, without the script
        assert not page.is_visible("#filter")  # the filter needs the script: not shown without it
        assert errors == []
        context.close()


def test_with_javascript_the_filter_and_sorting_work_under_the_pages_own_policy(reports, browser):
    context, page, errors = open_page(browser, reports / "2024" / "index.html", 1100, javascript=True)
    assert page.is_visible("#filter")
    page.fill("#filter input", "ha noi tu")  # without diacritics, as typed on any keyboard
    assert page.evaluate(VISIBLE_ROWS) == 1
    page.fill("#filter input", "")
    names = "() => [...document.querySelectorAll('tbody tr td:first-child')].map(td => td.textContent)"
    before = page.evaluate(names)
    page.click("th button:text('DTI')")  # the rank first: the new unit is 1/34, Hà Nội 4/63
    assert page.evaluate(names) == ["Hà Nội (từ 1/7/2025)", "Hà Nội"] != before
    assert page.get_attribute("th:has(button:text('DTI'))", "aria-sort") == "ascending"
    assert errors == []  # the inline script ran under the page's Content-Security-Policy
    context.close()


def test_a_provinces_zip_holds_its_reports_of_every_year_and_is_the_same_bytes_twice(reports, tmp_path):
    from cchc import cli

    first, second = tmp_path / "first.zip", tmp_path / "second.zip"
    args = ["bundle", "--province", "Hà Nội", "--year", "2025", "--reports", str(reports)]
    assert cli.main([*args, "--out", str(first)]) == 0
    for f in reports.rglob("*.html"):  # the files touched since: a zip must not carry their times
        os.utime(f, (1_900_000_000, 1_900_000_000))
    assert cli.main([*args, "--out", str(second)]) == 0
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as z:
        names = z.namelist()
        assert names == [
            "ha-noi-2025/README.txt",
            "ha-noi-2025/2024/ha-noi-2025.html",
            "ha-noi-2025/2024/ha-noi-2025.pdf",
            "ha-noi-2025/2024/ha-noi.html",  # its predecessor's report of the years before
            "ha-noi-2025/2024/ha-noi.pdf",
            "ha-noi-2025/2025/ha-noi-2025.html",
            "ha-noi-2025/2025/ha-noi-2025.pdf",
        ]
        assert z.read("ha-noi-2025/2025/ha-noi-2025.pdf") == (reports / "2025" / "ha-noi-2025.pdf").read_bytes()
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        readme = z.read("ha-noi-2025/README.txt").decode("utf-8")
    assert readme.startswith("Báo cáo tiến độ cải cách hành chính — Hà Nội (từ 1/7/2025)")
    assert "2024/ha-noi.pdf — Hà Nội, bản PDF" in readme
    assert "Năm 2024, lập ngày 6/12/2026, dữ liệu phiên bản" in readme and "2025/ha-noi-2025.pdf" in readme


def _figure_cells(page: BeautifulSoup, row) -> dict[str, dict[str, str]]:
    """A row's figure cells by column head: score, rank and change as shown."""
    heads = [th.get_text(strip=True) for th in page.thead.find_all("th")]
    cells = {}
    for head, td in zip(heads, row.find_all("td")):
        if "fig" in td.get("class", []):
            cells[head] = {
                k: (td.find(class_=k).get_text(strip=True) if td.find(class_=k) else "")
                for k in ("score", "rank", "change", "missing")
            } | {"all": td.get_text(" ", strip=True)}
    return cells


def test_each_portal_row_shows_the_key_figures_of_its_latest_year_as_its_report_says_them(reports):
    """The portal's figures are the report's own: each score and rank shown is said in the report of that
    year (its headline), the change too; the year they are of is shown; a unit's latest year without a
    figure (2025) leaves its figures to the year before, where it has one (DTI 2024, ranked among the 34)."""
    page = soup(reports / "index.html")
    rows = {tr.td.get_text(strip=True): tr for tr in page.tbody.find_all("tr")}
    for label, slug in (("Hà Nội", "ha-noi"), ("Hà Nội (từ 1/7/2025)", "ha-noi-2025")):
        cells = _figure_cells(page, rows[label])
        assert cells.pop("Số liệu năm")["all"] == "2024"
        report = soup(reports / "2024" / f"{slug}.html").get_text(" ", strip=True)
        shown = {head: c for head, c in cells.items() if not c["missing"]}
        assert shown, label
        for head, c in shown.items():
            if c["score"]:
                assert c["score"] in report, (label, head, c)
            rank = c["rank"].removeprefix("hạng ").removesuffix(" (tính)")
            if rank:
                assert f"{rank}" in report, (label, head, c)
            for part in c["change"].split(": ", 1)[-1].split(", ") if c["change"] else []:
                assert part.split(" (")[0] in report, (label, head, c)
        # the same cells as that year's index page shows for the unit
        year_page = soup(reports / "2024" / "index.html")
        year_row = next(tr for tr in year_page.tbody.find_all("tr") if tr.td.get_text(strip=True) == label)
        year_cells = _figure_cells(year_page, year_row)
        assert {h: c for h, c in year_cells.items() if h in shown} == shown
    new_unit = _figure_cells(page, rows["Hà Nội (từ 1/7/2025)"])
    assert new_unit["DTI"]["rank"] == "hạng 1/34"
