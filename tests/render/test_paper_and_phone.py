"""Real 2023 reports read on A4 paper and on a phone: papermill, nbconvert and Chromium's print for real, the
PDF read back page by page with pypdf (its text, and the tables its tags mark), the HTML opened in headless
Chromium at 390 px (a phone) and 1100 px.

Screenshots and PNGs of the PDF pages are kept under tests/artifacts/ (git-ignored) to be looked at.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from cchc.render.pdf import boxes_past_the_margin
from cchc.report import plots

from ..conftest import ROOT, cchc, once_per_run

pytestmark = pytest.mark.slow
ARTIFACTS = ROOT / "tests" / "artifacts"
PROVINCES = ["ha-noi", "quang-ninh", "dak-nong"]  # a long report, the one with wide tables, many targets
ENDING_IN_A_LIST = ["nghe-an"]  # its sources end with a list of what is missing, which filled its next-to-last page
YEAR = 2023
RENDERED = [(p, YEAR, "vi", "html,pdf") for p in [*PROVINCES, *ENDING_IN_A_LIST, "overview"]]  # once a run (conftest)
FEWEST_CHARACTERS = 200  # a page with less than this (about three lines) is a page nearly empty
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PAGE_NUMBER = re.compile(r"^\d+ / \d+$")
BOTTOM_MARGIN_PT = 18 / 25.4 * 72  # @page margin in report.css


@pytest.fixture(scope="module")
def reports(rendered) -> dict[str, dict[str, Path]]:
    return {p: rendered(p, YEAR, formats="html,pdf") for p in [*PROVINCES, *ENDING_IN_A_LIST]}


@pytest.fixture(scope="module")
def overview(rendered) -> dict[str, Path]:
    """The 2023 national overview: its table of provinces by year was the widest of the suite (rendered
    once for the run: tests/render/test_report.py reads the same report)."""
    return rendered("overview", YEAR, formats="html,pdf")


def pdf_pages(path: Path) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(io.BytesIO(path.read_bytes())).pages]


def pdf_figures(path: Path) -> list[int]:
    """The images each page draws (its content's ``Do`` operators; a page's resources may list images it does
    not draw, so they do not say)."""
    from pypdf import PdfReader

    pages = PdfReader(io.BytesIO(path.read_bytes())).pages
    return [len(re.findall(rb"/\S+ Do\b", page.get_contents().get_data())) for page in pages]


def headings(html: Path) -> set[str]:
    soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
    return {h.get_text(" ", strip=True) for h in soup.find_all(["h1", "h2", "h3"])}


def content_lines(page: str) -> list[str]:
    """A page's lines without the page number at its foot."""
    return [line.strip() for line in page.splitlines() if line.strip() and not PAGE_NUMBER.match(line.strip())]


@pytest.mark.parametrize("province", [*PROVINCES, *ENDING_IN_A_LIST])
def test_no_pdf_page_is_nearly_empty(reports, province):
    """Nor the last: the footer line prints on the page of the section it ends."""
    pages = pdf_pages(reports[province]["pdf"])
    _keep_pdf_pages_as_png(reports[province]["pdf"], f"{province}-{YEAR}")
    counts = [len(re.sub(r"\s+", "", "".join(content_lines(p)))) for p in pages]
    figures = pdf_figures(reports[province]["pdf"])  # a page of maps and charts has few letters, and is not empty
    thin = {i + 1: n for i, n in enumerate(counts) if n < FEWEST_CHARACTERS and not figures[i]}
    assert thin == {}, (
        f"{province}: pages with fewer than {FEWEST_CHARACTERS} characters and no figure: {thin} "
        f"(all: {counts}, figures: {figures})"
    )


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


@pytest.mark.parametrize("province", PROVINCES)
def test_nothing_on_a_pdf_page_runs_past_its_margins(reports, province):
    """What is wider than the page is lost on paper: a table whose numbers may not wrap lost its last
    column ("Ghi chú") past the right edge of Hà Nội's PAPI page. Lay the report out for print and measure."""
    assert boxes_past_the_margin(reports[province]["html"].read_text(encoding="utf-8")) == [], province


def test_nothing_in_the_overview_runs_past_the_a4_margins(overview):
    """The overview's provinces by year, a column per year, lost 2020–2024 past the right margin."""
    _keep_pdf_pages_as_png(overview["pdf"], f"overview-{YEAR}")
    assert boxes_past_the_margin(overview["html"].read_text(encoding="utf-8")) == []


def headers_left_alone(pdf: Path) -> list[str]:
    """Tables whose first page holds their header and fewer than two of their rows (or fewer than all,
    for a table of one row): a header left at a page's foot. Read from the PDF's tags: each row of a table
    (TR), a header row's cells TH, and the page each row's first content is drawn on."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf.read_bytes()))
    number = {page.indirect_reference.idnum: i for i, page in enumerate(reader.pages, 1)}
    tree = reader.trailer["/Root"]["/StructTreeRoot"]
    out = []
    for table in _tagged(tree, "/Table"):
        rows = list(_tagged(table, "/TR"))
        header = [r for r in rows if {c.get("/S") for c in _kids(r)} == {"/TH"}]
        body = [r for r in rows if r not in header]
        first = _first_page(header[0] if header else table, number)
        on_first = sum(1 for r in body if _first_page(r, number) == first)
        if on_first < min(2, len(body)):
            out.append(f"page {first}: a table's header with {on_first} of {len(body)} rows")
    return out


def _kids(element) -> list:
    kids = element.get("/K", [])
    return [k.get_object() for k in (kids if isinstance(kids, list) else [kids])]


def _tagged(element, kind: str):
    """The structure elements of type ``kind`` under ``element`` (not inside one of their own kind)."""
    for kid in _kids(element):
        if isinstance(kid, dict) and "/S" in kid:
            if kid["/S"] == kind:
                yield kid
            else:
                yield from _tagged(kid, kind)


def _first_page(element, number: dict, page=None) -> int | None:
    """The page an element's first marked content is on (/Pg is inherited from the closest element)."""
    page = element.get("/Pg", page) if isinstance(element, dict) else page
    for kid in _kids(element) if isinstance(element, dict) else ():
        if not isinstance(kid, dict) or "/MCID" in kid:  # marked content, on its page or the inherited one
            on = kid.get("/Pg", page) if isinstance(kid, dict) else page
            return number.get(on.idnum) if on is not None else None
        if (found := _first_page(kid, number, page)) is not None:
            return found
    return None


# Characters of one unbreakable word or URL: without the report's wrapping rules 500 reach about 3,000 px past
# an A4 page's margin (and a phone's screen); WeasyPrint, the PDF engine before Chromium, laid such a word out in
# a time that grew with its length (5,000 cost 60 CPU-s, 500 cost 3).
WORD = 500


def _with_long_words(data: Path) -> None:
    """Đắk Nông's 2024 texts each given a word of WORD characters: a TTHC note and source URL (said under the
    TTHC tables), a target's description (a table cell) and an index row's cited source (the sources table)."""

    def edit(rel: str, match, change) -> None:
        with open(data / rel, encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        hit = next(r for r in rows if match(r))
        change(hit)
        with open(data / rel, "w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)

    edit(
        "tthc.csv",
        lambda r: r["province"] == "dak-nong",
        lambda r: r.update(note_vi="Ghi chú " + "x" * WORD, source="https://example.org/" + "a" * WORD),
    )
    edit("targets/dak-nong.csv", lambda r: True, lambda r: r.update(description="Mục tiêu " + "y" * WORD))
    edit(
        "indices/papi.csv",
        lambda r: (r["year"], r["province"], r["component"]) == ("2024", "dak-nong", ""),
        lambda r: r.update(source="Báo cáo " + "z" * WORD),
    )


# the tests reading ``long_words`` on one xdist worker: it is made once while the other worker works on
LONG_WORDS = pytest.mark.xdist_group("long-words")


@pytest.fixture(scope="module")
def long_words(tmp_path_factory) -> dict[str, Path]:
    """Đắk Nông 2024 rendered (`cchc report`) from a copy of data/ holding WORD-character words, once for the
    run (``once_per_run``: xdist hands the tests reading it to both workers)."""
    return once_per_run(tmp_path_factory, "long-words", _long_words_rendered)


def _long_words_rendered(base: Path) -> dict[str, Path]:
    data = base / "data"
    shutil.copytree(ROOT / "data", data)
    _with_long_words(data)
    out = data.parent / "reports"
    run = cchc(
        "report",
        "--province",
        "dak-nong",
        "--year",
        "2024",
        "--format",
        "html",
        "--out",
        str(out),
        CCHC_DATA_DIR=str(data),
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    html = out / "2024" / "dak-nong.html"
    assert html.read_text(encoding="utf-8").count("x" * WORD) == 1  # the note is in the report
    return {"html": html}


@LONG_WORDS
def test_a_long_word_or_url_breaks_on_paper(long_words):
    """A 5,000-character note or URL ran 46,500 px past the right margin of the PDF."""
    assert boxes_past_the_margin(long_words["html"].read_text(encoding="utf-8")) == []


@LONG_WORDS
@pytest.mark.parametrize("width", [390, 1100])
def test_a_long_word_or_url_breaks_on_screen(long_words, browser, width):
    """The same note made the HTML scroll sideways."""
    read_on_screen(browser, long_words["html"], "long-words-2024", width)


@pytest.mark.parametrize("province", PROVINCES)
def test_no_table_header_is_left_at_a_page_foot(reports, province):
    """Hà Nội 2023 page 4 ended with the PAPI table's header and its row of 2011; the rest on page 5."""
    assert headers_left_alone(reports[province]["pdf"]) == []


def _keep_pdf_pages_as_png(pdf: Path, stem: str) -> None:
    """PNGs of the PDF's pages under tests/artifacts/ (Poppler's pdftoppm, when installed)."""
    if shutil.which("pdftoppm") is None:
        return
    ARTIFACTS.mkdir(exist_ok=True)
    for old in ARTIFACTS.glob(f"{stem}-pdf-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(ARTIFACTS / f"{stem}-pdf")], check=True, timeout=120)


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
  const captions = [...document.querySelectorAll('caption')].map(c => ({text: c.innerText.slice(0, 40),
    width: c.getBoundingClientRect().width, table: c.closest('table').getBoundingClientRect().width}));
  const size = sel => { const e = document.querySelector(sel);
                        return e ? parseFloat(getComputedStyle(e).fontSize) : 0; };
  const splitWords = [];  // a word of the footer (the data's id, the suite's version) across two lines
  for (const foot of document.querySelectorAll('.footer')) {
    const walk = document.createTreeWalker(foot, NodeFilter.SHOW_TEXT);
    for (let node = walk.nextNode(); node; node = walk.nextNode()) {
      for (const word of node.data.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, word.index); range.setEnd(node, word.index + word[0].length);
        if (new Set([...range.getClientRects()].map(r => Math.round(r.top))).size > 1) splitWords.push(word[0]);
      }
    }
  }
  return {vw, docWidth: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight,
          tables, charts, verdicts, targetRows, captions, splitWords,
          fonts: {summary: size('p.summary'), body: size('main p:not([class])'), headline: size('ul.headline li')},
          sourcesHeight: sources.reduce((h, t) => h + t.getBoundingClientRect().height, 0)};
}"""


def read_on_screen(browser, html: Path, stem: str, width: int) -> dict:
    """The page at ``width`` px measured (MEASURE), its screenshot kept; what every page must be: no
    sideways scrolling, no table wider than the screen, chart text readable, captions as wide as their
    table, the summary no smaller than the body."""
    context = browser.new_context(offline=True, viewport={"width": width, "height": 844 if width == 390 else 900})
    page = context.new_page()
    page.goto(html.as_uri(), wait_until="load")
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / f"{stem}-{width}px.png"
    try:
        page.screenshot(path=str(shot), full_page=True)
    except Exception as e:  # Chromium now and then fails a tall page's capture ("Unable to capture screenshot")
        if "Unable to capture screenshot" not in str(e):
            raise
        page.screenshot(path=str(shot), full_page=True)  # once more; a second failure fails the test
    m = page.evaluate(MEASURE)
    page.emulate_media(media="print")
    m["print_fonts"] = page.evaluate(MEASURE)["fonts"]
    context.close()
    assert shot.stat().st_size > 10_000
    assert m["docWidth"] <= m["vw"], "the page scrolls sideways"
    wide = [t["caption"] for t in m["tables"] if t["scrolls"] or t["right"] > m["vw"] + 1 or t["left"] < -1]
    assert wide == [], f"tables wider than the screen: {wide}"
    for chart in m["charts"]:
        scale = min(1.0, chart["shown"] / chart["natural"])
        smallest = plots.SMALLEST_FONT_PT * plots.DPI / 72 * scale
        assert smallest >= 9, f"{chart['alt']}: chart text shows at {smallest:.1f} px"
    assert m["splitWords"] == [], f"words of the footer split across lines: {m['splitWords']}"
    narrow = [c["text"] for c in m["captions"] if c["width"] < 0.8 * c["table"]]
    assert narrow == [], f"captions narrower than their table (a word to a line): {narrow}"
    for fonts in (m["fonts"], m["print_fonts"]):
        if fonts["summary"]:
            assert fonts["summary"] >= fonts["body"] and fonts["summary"] >= fonts["headline"], fonts
    return m


@pytest.mark.parametrize("province", PROVINCES)
@pytest.mark.parametrize("width", [390, 1100])
def test_the_report_reads_on_a_phone_and_a_desktop(reports, browser, province, width):
    m = read_on_screen(browser, reports[province]["html"], f"{province}-{YEAR}", width)
    for v in m["verdicts"]:  # the targets' verdicts are on screen, on one or two lines
        assert 0 <= v["left"] and v["right"] <= m["vw"] and v["width"] > 0 and v["height"] < 50, v
    assert all(h < 400 for h in m["targetRows"]), "a target's row is a column of single words"
    assert m["sourcesHeight"] < 0.25 * m["height"], "the sources table takes most of the page"


@pytest.mark.parametrize("width", [390, 1100])
def test_the_overview_reads_on_a_phone_and_a_desktop(overview, browser, width):
    """The provinces by year scrolled sideways at 1100 px; its caption took a word to a line at 390 px."""
    read_on_screen(browser, overview["html"], f"overview-{YEAR}", width)
