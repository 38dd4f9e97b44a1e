"""Hostile content: markup and script in data files is shown as text and never runs (checked in headless
Chromium, with and without the pages' Content-Security-Policy); YAML tags and parameter values cannot run
code; exported tables cannot carry spreadsheet formulas.

Fixtures: tests/fixtures/trust/hostile (HTML/JS in notes, unit and agency names, target descriptions,
sources), tests/fixtures/trust/formulas (spreadsheet formulas), tests/fixtures/trust/params (YAML).
"""

from __future__ import annotations

import ast
import csv
import io
import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from cchc.batch.jobs import Outcome
from cchc.data.dataset import load_dataset
from cchc.errors import EXIT_BAD_INPUT, UsageError

from ..conftest import FIXTURES, ROOT, cchc, make_data_dir, snapshot

TRUST = FIXTURES / "trust"
HOSTILE_NAME = "Bình Thuận <img src=x onerror=alert(1)>"  # a province name in a tampered registry
# strings of tests/fixtures/trust/hostile that the Đắk Nông 2021 report shows
IN_REPORT = [
    "<script>alert(1)</script>",
    "<script>window.__pwned=1</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    '"><svg onload="window.__pwned=1">',
    "javascript:alert(1)",
    "javascript:alert(document.domain)",
    'Sở <img src=x onerror="window.__pwned=1;alert(1)"> Tư pháp',
    "https://example.org/par-2021?a=1&b=<script>alert(1)</script>",
    "Huyện <script>window.__pwned=1</script>",
]
IN_OVERVIEW = ['https://example.org/par-2021 "><svg onload=alert(1)>', "<script>alert(1)</script>", HOSTILE_NAME]
pytestmark = pytest.mark.xdist_group("hostile")  # the module's tests in one process: one batch for them
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# ------------------------------------------------------------------ rendered for real
@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """A real batch (process pool, kernels, nbconvert, Chromium's print) over the hostile data: two provinces
    and the national overview, HTML and PDF, with one province's name tampered with in the registry."""
    from cchc.batch.runner import run_batch

    tmp = tmp_path_factory.mktemp("hostile")
    data = make_data_dir(TRUST / "hostile", tmp / "data")
    registry = data / "provinces.csv"
    registry.write_text(
        registry.read_text(encoding="utf-8").replace("binh-thuan,Bình Thuận,", f"binh-thuan,{HOSTILE_NAME},"),
        encoding="utf-8",
    )
    (tmp / "plan.yaml").write_text(
        "years: [2021]\nprovinces: [dak-nong, binh-thuan]\nformats: [html, pdf]\noverview: true\nworkers: 2\n",
        encoding="utf-8",
    )
    before = snapshot(data)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CCHC_DATA_DIR", str(data))  # the kernels inherit it
        mp.setenv("CCHC_REPORTS_DIR", str(tmp / "reports"))
        assert run_batch(tmp / "plan.yaml", progress=False) == 0
    assert snapshot(data) == before  # rendering only reads the data
    return tmp / "reports" / "2021"


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(path.read_bytes())).pages)


def squeeze(text: str) -> str:
    """Text without white space: a long string may be wrapped across lines in a table cell."""
    return re.sub(r"\s+", "", text)


@pytest.mark.slow
def test_pdfs_print_the_hostile_strings_literally(hostile):
    report, overview = squeeze(pdf_text(hostile / "dak-nong.pdf")), squeeze(pdf_text(hostile / "overview.pdf"))
    for text in IN_REPORT:
        assert squeeze(text) in report, text
    for text in IN_OVERVIEW:
        assert squeeze(text) in overview, text
    assert squeeze(HOSTILE_NAME) in squeeze(pdf_text(hostile / "binh-thuan.pdf"))


@pytest.mark.slow
def test_html_source_has_them_escaped(hostile):
    html = (hostile / "dak-nong.html").read_text(encoding="utf-8")
    assert "<script" not in html.lower() and "<svg" not in html.lower() and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    soup = BeautifulSoup(html, "html.parser")
    hrefs = [a["href"] for a in soup.find_all("a")]
    assert "https://example.org/par-2021?a=1&b=<script>alert(1)</script>" in hrefs  # a link, inert
    assert not [h for h in hrefs if not h.startswith(("https://", "http://"))]  # javascript: is plain text


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def without_csp(path: Path, dest: Path) -> Path:
    """A copy of a page without its Content-Security-Policy: escaping alone must keep scripts from running."""
    html = path.read_text(encoding="utf-8")
    stripped, n = re.subn(r'<meta[^>]*http-equiv="Content-Security-Policy"[^>]*>', "", html)
    assert n == 1, path
    dest.write_text(stripped, encoding="utf-8")
    return dest


def open_page(browser, path: Path) -> tuple[str, list[str]]:
    """Open a page offline; return its visible text and every dialog, page error and script-capable element."""
    context = browser.new_context(offline=True)
    page = context.new_page()
    events: list[str] = []
    page.on("dialog", lambda d: (events.append(f"dialog: {d.message}"), d.dismiss()))
    page.on("pageerror", lambda e: events.append(f"pageerror: {e}"))
    page.goto(path.as_uri(), wait_until="load")
    page.wait_for_timeout(300)  # an onerror/onload handler would have fired by now
    if page.evaluate("typeof window.__pwned") != "undefined":
        events.append("window.__pwned was set")
    from cchc.batch.index_page import page_script

    # every script-capable element but the index pages' own script (its text exactly, from the package)
    active = page.evaluate(
        """own => [...document.querySelectorAll(
        'script, svg, iframe, object, embed, [onerror], [onload], a[href^="javascript:" i], img:not([src^="data:"])')]
        .filter(e => !(e.tagName === 'SCRIPT' && !e.src && e.textContent === own))
        .map(e => e.outerHTML.slice(0, 80))""",
        page_script(),
    )
    events += [f"element: {e}" for e in active]
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")  # as a reader opens them
    text = page.inner_text("body")
    context.close()
    return text, events


@pytest.mark.slow
def test_no_script_from_data_runs_in_chromium_and_the_text_is_visible(hostile, browser, tmp_path):
    from cchc.batch.index_page import write_index

    # a failed report whose label and reason carry markup, on an index page of its own
    odd = tmp_path / "index"
    write_index(
        odd,
        2021,
        [
            Outcome("binh-thuan", HOSTILE_NAME, 2021, "failed", "ValueError: <script>alert(1)</script>"),
            Outcome("dak-nong", '"><svg onload=alert(1)>', 2021, "ok", formats=("html",)),
        ],
        {},
    )
    pages = {
        "dak-nong.html": IN_REPORT,
        "overview.html": IN_OVERVIEW,
        "binh-thuan.html": [HOSTILE_NAME],
        "index.html": [HOSTILE_NAME],
    }
    checked = 0
    for name, expected in pages.items():
        for path in (hostile / name, without_csp(hostile / name, tmp_path / f"no-csp-{name}")):
            text, events = open_page(browser, path)
            assert events == [], f"{path.name}: {events}"
            for s in expected:
                assert s in text, f"{path.name}: {s!r} not shown"
            checked += 1
    for path in (odd / "index.html", without_csp(odd / "index.html", tmp_path / "no-csp-odd-index.html")):
        text, events = open_page(browser, path)
        assert events == [] and HOSTILE_NAME in text and "ValueError: <script>alert(1)</script>" in text
        assert '"><svg onload=alert(1)>' in text
    assert checked == 8


@pytest.mark.slow
def test_chart_alt_text_with_markup_stays_an_attribute(hostile):
    soup = BeautifulSoup((hostile / "binh-thuan.html").read_text(encoding="utf-8"), "html.parser")
    alts = [img.get("alt", "") for img in soup.find_all("img")]
    assert any(HOSTILE_NAME in alt for alt in alts)
    assert len(soup.find_all("img")) == len(alts) and all(i["src"].startswith("data:image/png") for i in soup("img"))


# ------------------------------------------------------------------ YAML and parameters cannot run code
def pwned(*folders: Path) -> list[Path]:
    return [p for folder in folders for p in folder.rglob("PWNED*")]


@pytest.mark.slow
def test_yaml_tags_and_code_in_parameters_are_refused_and_nothing_runs(tmp_path):
    watched = (tmp_path, ROOT / "notebooks", ROOT / "params", ROOT / "reports")
    assert pwned(*watched) == []
    for name, phrase in (
        (
            "python_tag.yaml",
            "could not determine a constructor for the tag 'tag:yaml.org,2002:python/object/apply:os.system'",
        ),
        ("python_tag_nested.yaml", "python/object/apply:subprocess.call"),
        ("injection.yaml", """Unknown province 'x"; import os; os.system("touch PWNED") #'"""),
    ):
        run = cchc(
            "batch",
            "--params",
            str(TRUST / "params" / name),
            "--no-progress",
            cwd=tmp_path,
            CCHC_REPORTS_DIR=str(tmp_path / "reports"),
        )
        assert run.returncode == EXIT_BAD_INPUT and phrase in run.stderr and "Traceback" not in run.stderr, run.stderr
    run = cchc(
        "report",
        "--province",
        'x"; import os; os.system("touch PWNED") #',
        "--year",
        "2021",
        cwd=tmp_path,
        CCHC_REPORTS_DIR=str(tmp_path / "reports"),
    )
    assert run.returncode == EXIT_BAD_INPUT and "Unknown province 'x\"; import os" in run.stderr, run.stderr
    run = cchc(
        "report",
        "--province",
        "dak-nong",
        "--year",
        "2021",
        "--lang",
        'vi"\nimport os; os.system("touch PWNED")',
        cwd=tmp_path,
        CCHC_REPORTS_DIR=str(tmp_path / "reports"),
    )
    assert run.returncode == 64 and "unknown language" in run.stderr
    assert pwned(*watched) == [] and not (tmp_path / "reports").exists()  # no kernel ever started


def test_only_declared_parameters_of_the_declared_type_reach_papermill():
    from papermill.translators import translate_parameters

    from cchc.render.notebook import check_parameters

    notebook = ROOT / "notebooks" / "province_report.ipynb"
    for bad in (
        {"province": "dak-nong", "__import__('os').system('x')": 1},
        {"year": 2021.5},
        {"lang": ["vi"]},
        {"year": "2021); import os; (1"},
    ):
        with pytest.raises(UsageError):
            check_parameters(notebook, bad)
    # and a string that did get through would still be one inert assignment (papermill escapes it)
    evil = 'x\\"; import os; os.system("touch PWNED") #\n__import__("os")'
    code = translate_parameters("python", "python", {"province": evil}, "")
    body = [n for n in ast.parse(code).body]
    assert len(body) == 1 and isinstance(body[0], ast.Assign) and ast.literal_eval(body[0].value) == evil


# ------------------------------------------------------------------ exported tables carry no formulas
FORMULAS = {'=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)", "=1+1", "+Tốt", "@SUM(A1) (synthetic)"}


@pytest.fixture
def exported(tmp_path):
    from cchc.analysis.export import export_figures

    data = make_data_dir(TRUST / "formulas", tmp_path / "data")
    before = snapshot(data)
    paths = export_figures("Đắk Nông", 2021, tmp_path / "out", dataset=load_dataset(data))
    assert snapshot(data) == before
    return paths


def test_exported_csv_cells_cannot_be_formulas(exported):
    assert exported["csv"].name == "dak-nong-2021-figures.csv"
    with open(exported["csv"], encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    cells = [v for row in rows for v in row.values()]
    assert {"'" + s for s in FORMULAS} <= set(cells)
    assert not [c for c in cells if c.startswith(("=", "+", "@", "\t", "\r"))]
    assert not [c for c in cells if c.startswith("-") and not re.fullmatch(r"-\d+(\.\d+)?", c)]
    by_table = {}
    for row in rows:
        by_table.setdefault(row["table"], []).append(row)
    assert set(by_table) == {"indices", "tthc", "unit_rankings", "targets"}
    assert by_table["tthc"][0]["agency"] == "'-2+3" and by_table["unit_rankings"][0]["ranked_unit"] == "'=1+1"
    assert by_table["indices"][0]["source"] == "https://example.org/par-2020"  # ordinary text unchanged


def test_exported_xlsx_cells_are_strings_not_formulas(exported):
    from openpyxl import load_workbook

    with zipfile.ZipFile(exported["xlsx"]) as z:
        sheets_xml = [z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
    assert len(sheets_xml) == 5  # indices, tthc, unit rankings, targets, sources
    assert not [x for x in sheets_xml if "<f>" in x or "<f " in x]
    book = load_workbook(exported["xlsx"])
    assert book.sheetnames == ["Chỉ số", "Thủ tục hành chính", "Xếp hạng trong tỉnh", "Mục tiêu", "Nguồn"]
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = {c.value for c in cells if isinstance(c.value, str)}
    assert FORMULAS <= texts  # shown as written (Excel's quote prefix is not part of the text) …
    assert all(c.data_type == "s" for c in cells if isinstance(c.value, str))
    assert all(c.quotePrefix for c in cells if c.value in FORMULAS)  # … and stays text when edited
    sheet = book["Chỉ số"]
    header = [c.value for c in sheet[1]]
    first = {h: c.value for h, c in zip(header, sheet[2])}
    assert (first["Điểm"], first["Năm"], first["Thứ hạng"]) == (82.05, 2020, 51)  # numbers stay numbers


@pytest.mark.slow
def test_export_command(tmp_path):
    data = make_data_dir(TRUST / "formulas", tmp_path / "data")
    run = cchc(
        "export",
        "--province",
        "dak nong",
        "--year",
        "2021",
        "--out",
        str(tmp_path / "out"),
        cwd=tmp_path,
        CCHC_DATA_DIR=str(data),
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == [
        f"wrote {tmp_path / 'out' / 'dak-nong-2021-figures.csv'}",
        f"wrote {tmp_path / 'out' / 'dak-nong-2021-figures.xlsx'}",
    ]


def test_neutralise_formulas_covers_tab_and_carriage_return():
    from cchc.data.tables import neutralise_formulas

    df = pd.DataFrame({"a": ["\tx", "\rx", "=1", "+1", "-1+1", "@A1", "ok", "a=b"], "b": [5, -3, 0.5, 1, 2, 3, 4, 5]})
    out = neutralise_formulas(df)
    assert out["a"].tolist() == ["'\tx", "'\rx", "'=1", "'+1", "'-1+1", "'@A1", "ok", "a=b"]
    assert out["b"].tolist() == df["b"].tolist()


def test_chart_labels_from_data_are_text_not_mathtext():
    """Text between two '$' in a unit name is shown as written, not read as a formula (or a failed report)."""
    from cchc.report import plots

    units = pd.DataFrame(
        {"unit": ["Sở $x^{$ Tài chính (synthetic)", "Phòng $5 và $6 (synthetic)"], "score": [90.0, 80.0]}
    )
    assert plots.png_bytes(plots.ranking_chart(units, "vi")).startswith(b"\x89PNG")
