"""The PDF printer (cchc.render.pdf) with the real Chromium: offline, the same bytes twice, a hung browser
stopped with a clear error, no browser left when its process ends, and the A4 checks finding what they look for."""

from __future__ import annotations

import base64
import contextlib
import http.server
import io
import os
import re
import signal
import subprocess
import sys
import threading
import time
import uuid

import psutil
import pytest

from cchc.render import pdf
from cchc.report import plots

from .test_paper_and_phone import headers_left_alone

pytestmark = pytest.mark.slow
CSS = "@page { size: A4; margin: 16mm 14mm 18mm; @bottom-right { content: counter(page) ' / ' counter(pages) } }"


def page_html(body: str, css: str = "") -> str:
    head = f"<meta charset='utf-8'><style>{CSS}{css}</style>"
    return f"<!doctype html><html lang='vi'><head>{head}</head><body>{body}</body></html>"


def png_data_url() -> str:
    import matplotlib.figure

    fig = matplotlib.figure.Figure(figsize=(2, 1))
    fig.add_subplot().plot([1, 2])
    return "data:image/png;base64," + base64.b64encode(plots.png_bytes(fig)).decode()


def pdf_text(data: bytes) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def test_nothing_is_fetched_no_script_runs_and_data_urls_print():
    """The PDF engine before Chromium read data: URLs only; so does this one, and the report's page runs no script."""
    asked: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            asked.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        html = page_html(
            f"<link rel='stylesheet' href='{url}/style.css'><p>Đắk Nông: tỉ lệ 86,26%</p>"
            f"<img src='{url}/chart.png' style='display: none'><img src='{png_data_url()}' alt='biểu đồ'>"
            f"<iframe src='{url}/frame' style='display: none'></iframe><script src='{url}/script.js'></script>"
            "<script>document.body.innerHTML = 'SCRIPT RAN';</script>",
            f"body {{ background: url('{url}/bg.png') }} @font-face {{ font-family: X; src: url('{url}/f.woff') }}",
        )
        data = pdf.html_to_pdf(html)
    finally:
        server.shutdown()
    assert asked == []
    text = pdf_text(data)
    assert "Đắk Nông: tỉ lệ 86,26%" in text[0] and "SCRIPT RAN" not in text[0]
    assert re.search(r"^1 / 1$", text[0], re.MULTILINE), text[0]  # the stylesheet's page number
    assert data.count(b"/Subtype /Image") == 1  # the data: URL's chart, and nothing else


def test_the_same_page_gives_the_same_bytes_on_a4():
    from pypdf import PdfReader

    html = page_html("<h1>Báo cáo</h1>" + "<p>Chỉ số CCHC năm 2023 đạt 81,32%.</p>" * 200)
    first = pdf.html_to_pdf(html)
    time.sleep(1.1)  # Chromium writes the time, to the second
    assert pdf.boxes_past_the_margin(html) == []  # measured on the same page, between the two prints
    assert pdf.html_to_pdf(html) == first
    assert b"/CreationDate" not in first and b"/ModDate" not in first
    pages = PdfReader(io.BytesIO(first)).pages
    assert len(pages) > 1 and {(round(p.mediabox.width), round(p.mediabox.height)) for p in pages} == {(595, 842)}


def browser_processes() -> list[psutil.Process]:
    """This process's Chromium processes (under Playwright's driver); one ending while listed is left out."""
    found = []
    for p in psutil.Process().children(recursive=True):
        with contextlib.suppress(psutil.NoSuchProcess):
            if "chrom" in p.name().lower():
                found.append(p)
    return found


def test_a_report_printed_after_others_gives_the_bytes_it_gives_alone():
    """A batch worker's browser prints report after report; a report's PDF must not depend on which ones came
    before it (Chromium numbers the tagged elements from its page-wide node counter)."""
    table = "<table><thead><tr><th>Chỉ số</th><th>Điểm</th></tr></thead><tbody>{}</tbody></table>"
    html = page_html("<h1>Báo cáo</h1>" + table.format("<tr><td>PAR INDEX</td><td>81,32</td></tr>" * 30))
    first = pdf.html_to_pdf(html)
    assert b"/StructTreeRoot" in first  # tagged: its elements carry IDs
    pdf.html_to_pdf(page_html("<h2>Khác</h2>" + table.format("<tr><td>PCI</td><td>65</td></tr>" * 300)))
    assert pdf.html_to_pdf(html) == first


def test_a_hung_browser_fails_the_print_with_a_clear_error_and_the_next_print_works():
    html = page_html("<p>Chỉ số CCHC</p>")
    pdf.html_to_pdf(html)
    browsers = browser_processes()
    top = [p for p in browsers if p.parent() not in browsers]  # the browser process, under the driver
    assert len(top) == 1, browsers
    os.kill(top[0].pid, signal.SIGSTOP)
    start = time.monotonic()
    with pytest.raises(pdf.PrintFailed, match=r"did not print the report within 3 s; it was stopped"):
        pdf.html_to_pdf(html, timeout=3)
    assert time.monotonic() - start < 20
    gone, alive = psutil.wait_procs(browsers, timeout=10)
    assert alive == []
    assert "Chỉ số CCHC" in pdf_text(pdf.html_to_pdf(html))[0]


PRINT_THEN_WAIT = """
import sys, time
from cchc.render.pdf import html_to_pdf
html_to_pdf("<p>Chỉ số</p>")
print("printed", flush=True)
time.sleep(float(sys.argv[1]))
"""


def tagged(tag: str) -> list[str]:
    found = []
    for proc in psutil.process_iter(["pid", "cmdline"]):
        try:
            if proc.environ().get("CCHC_PDF_TEST_TAG") == tag:
                found.append(f"{proc.pid} {' '.join(proc.info['cmdline'] or [])[:120]}")
        except psutil.Error:
            pass
    return found


@pytest.mark.parametrize("end", ["exit", signal.SIGKILL, signal.SIGTERM])
def test_the_browser_ends_with_its_process(end):
    """A batch worker killed (the out-of-memory killer, a Dask worker's render process dying with it), stopped,
    or ending: its browser and Playwright's driver end too, and leave no profile folder."""
    import shutil
    import tempfile
    from pathlib import Path

    tag = uuid.uuid4().hex
    # its own temporary folder (the other test worker's browsers make and remove profile folders meanwhile), with
    # a short path: Chromium's sockets live there, and a socket's path is at most 107 bytes
    tmp_path = Path(tempfile.mkdtemp(prefix="cchc-pdf-", dir="/tmp"))
    env = {**os.environ, "CCHC_PDF_TEST_TAG": tag, "TMPDIR": str(tmp_path)}
    wait = "0" if end == "exit" else "600"
    proc = subprocess.Popen(
        [sys.executable, "-c", PRINT_THEN_WAIT, wait], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    )
    try:
        assert proc.stdout.readline() == b"printed\n", proc.stderr.read()
        assert len(tagged(tag)) >= 3  # the printing process, the driver, the browser
        if end != "exit":
            proc.send_signal(end)
        proc.wait(timeout=60)
    finally:
        proc.kill()
    deadline = time.monotonic() + 15
    while (left := tagged(tag)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert left == []
    if end != signal.SIGKILL:  # a process killed outright cannot clean up after itself; its driver does
        assert _profiles(tmp_path) == []
    assert proc.stderr.read() == b""
    shutil.rmtree(tmp_path, ignore_errors=True)


def _profiles(folder) -> list[str]:
    return [p.name for p in folder.glob("playwright_chromiumdev_profile-*")]


def test_what_reaches_past_the_margin_is_found():
    fits = page_html("<table><tr><td>" + " ".join(["chỉ số"] * 400) + "</td></tr></table>")
    assert pdf.boxes_past_the_margin(fits) == []
    wide = page_html("<table><tr>" + "<td style='white-space: nowrap'>Chỉ số CCHC năm 2023</td>" * 8 + "</tr></table>")
    (found,) = pdf.boxes_past_the_margin(wide)
    assert re.match(r"a <table> \('Chỉ số CCHC năm 2023.*'\) reaches \d+ px past the right margin", found), found
    word = page_html("<p>Nguồn: https://example.org/" + "a" * 300 + "</p>")
    assert [f.split(" (")[0] for f in pdf.boxes_past_the_margin(word)] == ["a <p>"]


def test_a_table_header_left_at_a_page_foot_is_found(tmp_path):
    rows = "".join(f"<tr><td>{year}</td><td>81,32%</td></tr>" for year in range(2010, 2020))
    table = f"<table><thead><tr><th>Năm</th><th>Điểm</th></tr></thead><tbody>{rows}</tbody></table>"
    filler = "<div style='height: {}mm'></div>"
    kept = tmp_path / "kept.pdf"
    kept.write_bytes(pdf.html_to_pdf(page_html(filler.format(220) + table)))
    assert headers_left_alone(kept) == []  # a header with its rows on one page
    left = tmp_path / "left.pdf"  # room at the foot of page 1 for the header and one row
    left.write_bytes(pdf.html_to_pdf(page_html(filler.format(248) + table, "tr { break-inside: avoid; }")))
    assert headers_left_alone(left) == ["page 1: a table's header with 1 of 10 rows"]
