"""A4 PDF of a report page, printed by headless Chromium (driven by Playwright): shared by the renderer, the
``cchc_pdf`` nbconvert exporter and the bench; and the check that nothing is laid out past the A4 margin.

One browser per process, started at the first PDF and kept for the next (a batch worker prints report after
report). It is driven from a thread of its own, with its own event loop: Playwright's calls all go through one
loop, and a caller may be inside another (Jupyter's). It ends with its process: at exit it is closed; when the
process is killed, Playwright's driver sees its pipe close and ends the browser.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import os
import re
import threading
from typing import Any

from ..config import chromium
from ..errors import CchcError

PRINT_TIMEOUT_S = 120  # a report prints in well under a second; a browser that takes this long is hung
CHROMIUM_ARGS = (
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
# The width inside the A4 page's margins (report.css: @page { size: A4; margin: 16mm 14mm 18mm }), in CSS px.
A4_CONTENT_WIDTH_PX = (210 - 2 * 14) / 25.4 * 96
# Chromium writes the time of printing into the PDF; blanked (same length: the byte offsets stay right), the
# same report gives the same bytes.
_DATES = re.compile(rb"/(?:CreationDate|ModDate) \(D:[0-9+\-Z']*\)")
# The tagged elements' IDs come from the browser's node counter, which goes on from page to page: numbered from
# one in the same order (the ID tree stays sorted) and width, a report's bytes do not depend on what came before.
_NODE_IDS = re.compile(rb"\(node(\d{8})\)")


class PrintFailed(CchcError):
    """Chromium could not print the report (it did not start, or hung)."""

    exit_code = 1


def html_to_pdf(html: str, timeout: float = PRINT_TIMEOUT_S) -> bytes:
    """A4 PDF of a report page, as its print stylesheet lays it out (page size, margins, page numbers,
    backgrounds); only data: URLs are read, nothing is fetched from a network, no script runs."""
    pdf = _browser().run(_print, html, timeout=timeout)
    order = {n: b"(node%08d)" % i for i, n in enumerate(sorted(set(_NODE_IDS.findall(pdf))), 1)}
    pdf = _NODE_IDS.sub(lambda m: order[m.group(1)], pdf)
    return _DATES.sub(lambda m: b" " * len(m.group()), pdf)


async def _print(page, html: str) -> bytes:
    await page.set_content(html, wait_until="load")
    # tagged: headings, lists, tables and figures marked in the PDF (read aloud, reflowed, checked by the tests)
    return await page.pdf(format="A4", print_background=True, prefer_css_page_size=True, tagged=True)


# What reaches past the right edge of the A4 page's content box, laid out for print (print media, as wide as
# the page inside its margins): elements, and text that overflows its element (a long word).
_PAST_THE_MARGIN = """(limit) => {
  const past = [];
  const seen = new Set();
  const inside = e => { for (let p = e; p; p = p.parentElement) if (seen.has(p)) return true; return false; };
  const say = (e, right) => { seen.add(e);
    past.push({tag: e.tagName.toLowerCase(), text: (e.innerText || '').trim().slice(0, 40), over: right - limit}); };
  for (const e of document.body.querySelectorAll('*')) {
    const right = e.getBoundingClientRect().right;
    if (right > limit + 1 && !inside(e)) say(e, right);
  }
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let t = walk.nextNode(); t; t = walk.nextNode()) {
    range.selectNodeContents(t);
    const right = range.getBoundingClientRect().right;
    if (right > limit + 1 && !inside(t.parentElement)) say(t.parentElement, right);
  }
  return past;
}"""


def boxes_past_the_margin(html: str, timeout: float = PRINT_TIMEOUT_S) -> list[str]:
    """What reaches past the right margin of an A4 page when the report is laid out for print, in the Chromium
    that prints it (a table's last column would be lost on paper): one line per element, [] when all fits."""
    found = _browser().run(_measure, html, timeout=timeout)
    return [
        f"a <{f['tag']}> ({f['text']!r}) reaches {f['over']:.0f} px past the right margin".replace("\n", " ")
        for f in found
    ]


async def _measure(page, html: str) -> list[dict]:
    await page.set_viewport_size({"width": round(A4_CONTENT_WIDTH_PX), "height": 1123})
    await page.emulate_media(media="print")
    try:
        await page.set_content(html, wait_until="load")
        return await page.evaluate(_PAST_THE_MARGIN, A4_CONTENT_WIDTH_PX)
    finally:
        await page.emulate_media(media=None)


class _Browser:
    """This process's Chromium and the thread whose event loop drives it."""

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="cchc-chromium", daemon=True)
        self.thread.start()
        self.driver: Any = None  # Playwright (its driver, the browser under it), started by the first job
        self.page: Any = None

    def run(self, job, html: str, timeout: float):
        """``job(page, html)`` on the browser's page. PrintFailed when the job fails or takes longer than
        ``timeout`` seconds: the browser is then killed, and the next job starts another."""
        future = asyncio.run_coroutine_threadsafe(asyncio.wait_for(self._run(job, html), timeout), self.loop)
        try:
            return future.result()
        except BaseException as e:
            if not future.done() or future.cancelled():  # the report's own timeout (SIGALRM), Ctrl-C
                future.cancel()
                raise
            self.end(kill=True)
            if isinstance(e, PrintFailed):
                raise
            if isinstance(e, TimeoutError):
                raise PrintFailed(
                    f"Chromium ({chromium()}) did not print the report within {timeout:.0f} s; it was stopped"
                ) from None
            raise PrintFailed(f"Chromium ({chromium()}) failed to print the report: {e}") from None

    async def _run(self, job, html: str):
        if self.page is None:
            await self._start()
        return await job(self.page, html)

    async def _start(self) -> None:
        from playwright.async_api import async_playwright

        self.driver = async_playwright()
        playwright = await self.driver.start()
        try:
            browser = await playwright.chromium.launch(executable_path=chromium(), args=list(CHROMIUM_ARGS))
        except Exception as e:
            await self._stop()
            raise PrintFailed(f"Chromium ({chromium()}) could not be started to print: {e}") from None
        context = await browser.new_context(java_script_enabled=False, offline=True)
        await context.route("**/*", lambda route: route.abort())  # data: URLs are not requests: they load
        self.page = await context.new_page()
        self.page.set_default_timeout(0)  # no time limit of Playwright's own: run() has the one

    async def _stop(self) -> None:
        self.page, driver, self.driver = None, self.driver, None
        if driver is not None:
            await driver.__aexit__()  # closes the browser (and its profile folder), then ends the driver

    def end(self, kill: bool = False) -> None:
        """End the browser and Playwright's driver: closed, or killed when ``kill`` or when they do not answer."""
        from ..thirdparty import playwright_driver_pid

        pid = playwright_driver_pid(self.driver) if self.driver is not None else None
        if kill and pid is not None:
            _kill_tree(pid)
        try:
            asyncio.run_coroutine_threadsafe(self._stop(), self.loop).result(timeout=10)
        except Exception:
            if pid is not None:
                _kill_tree(pid)


def _kill_tree(pid: int) -> None:
    """SIGKILL a process this one started (Playwright's driver) and everything under it (the browser)."""
    import psutil

    with contextlib.suppress(psutil.Error):
        top = psutil.Process(pid)
        for proc in [*top.children(recursive=True), top]:
            with contextlib.suppress(psutil.Error):
                proc.kill()


_browser_of_process: _Browser | None = None
_lock = threading.Lock()


def _browser() -> _Browser:
    """This process's browser (a forked child starts its own)."""
    global _browser_of_process
    with _lock:
        if _browser_of_process is None or _browser_of_process.pid != os.getpid():
            _browser_of_process = _Browser()
        return _browser_of_process


def _close_at_exit() -> None:
    if _browser_of_process is not None and _browser_of_process.pid == os.getpid():
        _browser_of_process.end()


atexit.register(_close_at_exit)
