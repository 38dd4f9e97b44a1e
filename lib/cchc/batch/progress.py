"""The batch's progress in the terminal: reports done of the total, the rate and the time left.

On a terminal one line is rewritten in place; elsewhere (a log, a pipe, CI) a plain line per report.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


def progress_line(done: int, total: int, seconds: float, failed: int = 0) -> str:
    """'12/130 reports (1 failed), 4.2 reports/min, about 28 min left': the rate since rendering began."""
    line = f"{done}/{total} reports" + (f" ({failed} failed)" if failed else "")
    if done == 0 or seconds <= 0:
        return line
    per_minute = done * 60 / seconds
    left = (total - done) * seconds / done
    return f"{line}, {per_minute:.1f} reports/min, " + ("done" if done >= total else _time_left(left))


def _time_left(seconds: float) -> str:
    minutes = round(seconds / 60)
    if minutes < 1:
        return "under a minute left"
    if minutes < 60:
        return f"about {minutes} min left"
    return f"about {minutes // 60} h {minutes % 60:02d} min left"


class Progress:
    """Counts finished reports and shows ``progress_line`` on ``stream`` (stdout by default)."""

    def __init__(self, total: int, stream: TextIO | None = None, enabled: bool = True, clock=time.monotonic):
        self.total, self.done, self.failed = total, 0, 0
        self.stream = stream or sys.stdout
        self.enabled = enabled
        self.clock = clock
        self.start = clock()
        self.in_place = enabled and _is_terminal(self.stream)

    def step(self, year: int, name: str, status: str) -> None:
        self.done += 1
        self.failed += status == "failed"
        if not self.enabled:
            return
        line = progress_line(self.done, self.total, self.clock() - self.start, self.failed)
        if self.in_place:
            self.stream.write(f"\r\x1b[K{line}")
        else:
            self.stream.write(f"{line} — {year} {name}: {status}\n")
        self.stream.flush()

    def close(self) -> None:
        if self.in_place and self.done:
            self.stream.write("\n")
            self.stream.flush()


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
