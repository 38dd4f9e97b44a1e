"""Real 2023 reports read on A4 paper and on a phone: papermill, nbconvert and WeasyPrint for real, the PDF
read back page by page with pypdf, the HTML opened in headless Chromium at 390 px (a phone) and 1100 px.

Screenshots and PNGs of the PDF pages are kept under tests/artifacts/ (git-ignored) to be looked at.
"""
from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from cchc.report import plots

from ..conftest import ROOT

pytestmark = pytest.mark.slow
ARTIFACTS = ROOT / "tests" / "artifacts"
PROVINCES = ["ha-noi", "quang-ninh", "dak-nong"]  # a long report, the one with wide tables, many targets
YEAR = 2023
FEWEST_CHARACTERS = 200  # a page with less than this (about three lines) is a page nearly empty
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
PAGE_NUMBER = re.compile(r"^\d+ / \d+$")
BOTTOM_MARGIN_PT = 18 / 25.4 * 72  # @page margin in report.css


@pytest.fixture(scope="module")
def reports(rendered) -> dict[str, dict[str, Path]]:
    return {p: rendered(p, YEAR, formats="html,pdf") for p in PROVINCES}


def pdf_pages(path: Path) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(io.BytesIO(path.read_bytes())).pages]


def headings(html: Path) -> set[str]:
    soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
    return {h.get_text(" ", strip=True) for h in soup.find_all(["h1", "h2", "h3"])}


def content_lines(page: str) -> list[str]:
    """A page's lines without the page number at its foot."""
    return [line.strip() for line in page.splitlines() if line.strip() and not PAGE_NUMBER.match(line.strip())]


@pytest.mark.parametrize("province", PROVINCES)
def test_no_pdf_page_is_nearly_empty(reports, province):
    pages = pdf_pages(reports[province]["pdf"])
    _keep_pdf_pages_as_png(reports[province]["pdf"], f"{province}-{YEAR}")
    counts = [len(re.sub(r"\s+", "", "".join(content_lines(p)))) for p in pages]
    thin = {i + 1: n for i, n in enumerate(counts) if n < FEWEST_CHARACTERS}
    assert thin == {}, f"{province}: pages with fewer than {FEWEST_CHARACTERS} characters: {thin} (all: {counts})"


def text_heights(page) -> list[tuple[str, float]]:
    """Each run of text on a PDF page with its height above the page's bottom edge, in points."""
    runs: list[tuple[str, float]] = []

    def seen(text, cm, tm, font, size):
        if text.strip():
            runs.append((text.strip(), tm[4] * cm[1] + tm[5] * cm[3] + cm[5]))

    page.extract_text(visitor_text=seen)
    return runs


def draws_an_image(page) -> bool:
    """The page's content draws an image (a chart) itself; ``page.images`` lists every page's."""
    return re.search(rb"/[\w.]+ Do\b", page.get_contents().get_data()) is not None


@pytest.mark.parametrize("province", PROVINCES)
def test_no_heading_ends_a_pdf_page(reports, province):
    """No page's last text is a heading, unless a chart follows it there (then it is well above the foot)."""
    from pypdf import PdfReader

    names = headings(reports[province]["html"])
    pages = PdfReader(io.BytesIO(reports[province]["pdf"].read_bytes())).pages
    lowest = BOTTOM_MARGIN_PT + 60  # four lines above the bottom margin
    stranded = {}
    for i, page in enumerate(pages[:-1]):
        runs = [(text, y) for text, y in text_heights(page) if not PAGE_NUMBER.match(text)]
        if runs and runs[-1][0] in names and (not draws_an_image(page) or runs[-1][1] < lowest):
            stranded[i + 1] = (runs[-1][0], round(runs[-1][1]))
    assert stranded == {}, f"{province}: headings left at the foot of a page (height in pt): {stranded}"


def test_long_tables_break_across_pages_with_their_header_repeated(reports):
    """A table longer than the rest of a page goes on over the next one, under its header row again (rather
    than leaving a page blank before it); no page starts with a table's rows and no header."""
    firsts = [content_lines(page)[:1] for p in PROVINCES for page in pdf_pages(reports[p]["pdf"])[1:]]
    firsts = [f[0] for f in firsts if f]
    assert any(line.startswith(("Năm Điểm Thứ hạng", "Chỉ số Giá trị Nguồn", "Chỉ")) for line in firsts), firsts
    assert not [line for line in firsts if re.match(r"^(19|20)\d\d \d", line)], firsts
    text = "".join(pdf_pages(reports["quang-ninh"]["pdf"]))
    assert "Giá trị Nguồn Ghi chú" in text and "https://" in text  # the sources table is printed in full


def _boxes(box):
    yield box
    for child in getattr(box, "children", None) or ():
        yield from _boxes(child)


@pytest.mark.parametrize("province", PROVINCES)
def test_nothing_on_a_pdf_page_runs_past_its_margins(reports, province):
    """WeasyPrint clips what is wider than the page: a table whose numbers may not wrap lost its last
    column ("Ghi chú") past the right edge of Hà Nội's PAPI page. Lay the report out and measure."""
    from weasyprint import HTML

    html = reports[province]["html"].read_text(encoding="utf-8")
    for number, page in enumerate(HTML(string=html).render().pages, 1):
        frame = page._page_box
        right = frame.content_box_x() + frame.width
        widest = max((b for b in _boxes(frame) if b is not frame and hasattr(b, "margin_width")),
                     key=lambda b: b.position_x + b.margin_width(), default=None)
        if widest is not None:
            edge = widest.position_x + widest.margin_width()
            assert edge <= right + 1, (f"{province} page {number}: a <{getattr(widest, 'element_tag', '?')}> "
                                       f"reaches {edge - right:.0f} px past the right margin")


def _keep_pdf_pages_as_png(pdf: Path, stem: str) -> None:
    """PNGs of the PDF's pages under tests/artifacts/ (Poppler's pdftoppm, when installed)."""
    if shutil.which("pdftoppm") is None:
        return
    ARTIFACTS.mkdir(exist_ok=True)
    for old in ARTIFACTS.glob(f"{stem}-pdf-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(ARTIFACTS / f"{stem}-pdf")], check=True,
                   timeout=120)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


MEASURE = """() => {
  const vw = document.documentElement.clientWidth;
  const tables = [...document.querySelectorAll('table')].map(t => {
    const wrap = t.closest('.table-wrap') || t.parentElement, box = t.getBoundingClientRect();
    return {caption: (t.tHead ? t.tHead.innerText : '').slice(0, 60), right: box.right, left: box.left,
            scrolls: wrap.scrollWidth > wrap.clientWidth + 1};
  });
  const charts = [...document.querySelectorAll('img')].map(i => ({alt: i.alt, shown: i.getBoundingClientRect().width,
                                                                  natural: i.naturalWidth}));
  const sources = [...document.querySelectorAll('table')].filter(t => t.tHead && /Nguồn/.test(t.tHead.innerText));
  const verdicts = [...document.querySelectorAll('[class^="status-"]')].map(b => {
    const box = b.getBoundingClientRect(); return {text: b.innerText, left: box.left, right: box.right,
                                                   width: box.width, height: box.height};});
  const targetRows = [...document.querySelectorAll('tr')].filter(r => r.querySelector('[class^="status-"]'))
    .map(r => r.getBoundingClientRect().height);
  return {vw, docWidth: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight,
          tables, charts, verdicts, targetRows,
          sourcesHeight: sources.reduce((h, t) => h + t.getBoundingClientRect().height, 0)};
}"""


@pytest.mark.parametrize("province", PROVINCES)
@pytest.mark.parametrize("width", [390, 1100])
def test_the_report_reads_on_a_phone_and_a_desktop(reports, browser, province, width):
    context = browser.new_context(offline=True, viewport={"width": width, "height": 844 if width == 390 else 900})
    page = context.new_page()
    page.goto(reports[province]["html"].as_uri(), wait_until="load")
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / f"{province}-{YEAR}-{width}px.png"
    page.screenshot(path=str(shot), full_page=True)
    m = page.evaluate(MEASURE)
    context.close()
    assert shot.stat().st_size > 10_000
    assert m["docWidth"] <= m["vw"], "the page scrolls sideways"
    wide = [t["caption"] for t in m["tables"] if t["scrolls"] or t["right"] > m["vw"] + 1 or t["left"] < -1]
    assert wide == [], f"tables wider than the screen: {wide}"
    for chart in m["charts"]:
        scale = min(1.0, chart["shown"] / chart["natural"])
        smallest = plots.SMALLEST_FONT_PT * plots.DPI / 72 * scale
        assert smallest >= 9, f"{chart['alt']}: chart text shows at {smallest:.1f} px"
    for v in m["verdicts"]:  # the targets' verdicts are on screen, on one or two lines
        assert 0 <= v["left"] and v["right"] <= m["vw"] and v["width"] > 0 and v["height"] < 50, v
    assert all(h < 400 for h in m["targetRows"]), "a target's row is a column of single words"
    assert m["sourcesHeight"] < 0.25 * m["height"], "the sources table takes most of the page"
