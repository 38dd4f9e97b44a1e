"""Errors a user can act on, and the exit codes that tell them apart (BSD sysexits)."""
from __future__ import annotations

from dataclasses import dataclass

EXIT_OK = 0
EXIT_FAILED = 1        # the run finished but some reports failed
EXIT_USAGE = 64        # wrong command-line or parameter use
EXIT_BAD_INPUT = 65    # data files or parameters are wrong
EXIT_UNAVAILABLE = 69  # a service the run needs cannot be reached (a Dask scheduler)
EXIT_INTERNAL = 70     # a bug in the suite: please report it
EXIT_CANT_WRITE = 73   # output folder read-only or full
EXIT_CONFIG = 78       # the machines are set up inconsistently (a Dask worker with other code or data)


class CchcError(Exception):
    """An error with a message meant for the user; never shown as a traceback."""

    exit_code = EXIT_BAD_INPUT


class UsageError(CchcError):
    exit_code = EXIT_USAGE


class CantWrite(CchcError):
    exit_code = EXIT_CANT_WRITE


class Unavailable(CchcError):
    exit_code = EXIT_UNAVAILABLE


class Misconfigured(CchcError):
    exit_code = EXIT_CONFIG


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in one place of one input file. row is the spreadsheet row (header = 1)."""

    file: str
    row: int | None
    column: str | None
    message: str
    severity: str = "error"  # or "warning"

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column '{self.column}'"
        return f"{where}: {self.severity}: {self.message}"


class BadInput(CchcError):
    """Input files with problems; carries every problem found, not only the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.file, p.row or 0, p.column or ""))
        errors = [p for p in self.problems if p.severity == "error"]
        lines = [str(p) for p in self.problems]
        super().__init__(f"{len(errors)} problem(s) in the input:\n" + "\n".join(lines))
