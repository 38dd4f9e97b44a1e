"""Errors a user can act on, and the exit codes that tell them apart (BSD sysexits)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

EXIT_OK = 0
EXIT_FAILED = 1  # the run finished but some reports failed
EXIT_USAGE = 64  # wrong command-line or parameter use
EXIT_BAD_INPUT = 65  # data files or parameters are wrong
EXIT_UNAVAILABLE = 69  # a service the run needs cannot be reached (a Dask scheduler)
EXIT_INTERNAL = 70  # a bug in the suite: please report it
EXIT_CANT_WRITE = 73  # output folder read-only or full
EXIT_CONFIG = 78  # the machines are set up inconsistently (a Dask worker with other code or data)


_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escaped(text: str, keep: str = "") -> str:
    """Text with its control and format characters written as escapes ('\\u202e' for a right-to-left override,
    '\\u200b', '\\x07' as '\\u0007', a line break inside a value as '\\n'), except those in ``keep``: a message
    quoting a user's input then shows what the input holds and cannot reorder, hide or break itself."""
    return "".join(
        c
        if c in keep or unicodedata.category(c) not in ("Cc", "Cf", "Zl", "Zp")
        else _NAMED.get(c) or (f"\\u{ord(c):04x}" if ord(c) <= 0xFFFF else f"\\U{ord(c):08x}")
        for c in text
    )


class CchcError(Exception):
    """An error with a message meant for the user; never shown as a traceback. Its text shows control and
    format characters of the input it quotes escaped (``escaped``)."""

    exit_code = EXIT_BAD_INPUT

    def __str__(self) -> str:
        return escaped(super().__str__(), keep="\n")


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
    """One problem in one place of one input file. row is the spreadsheet row (header = 1). Shown (str) with
    the control and format characters of the values it quotes escaped."""

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
        return escaped(f"{where}: {self.severity}: {self.message}")


class BadInput(CchcError):
    """Input files with problems; carries every problem found, not only the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.file, p.row or 0, p.column or ""))
        errors = [p for p in self.problems if p.severity == "error"]
        lines = [str(p) for p in self.problems]
        super().__init__(f"{len(errors)} problem(s) in the input:\n" + "\n".join(lines))


# ------------------------------------------------------------------ names an analyst types (``cchc.api``)
class UnknownName(CchcError, LookupError):
    """A name that matches none of the valid values; the message lists them and the nearest match."""

    kind = "name"

    def __init__(self, raw: object, valid: list[str], nearest: list[str] | None = None, note: str = ""):
        self.raw, self.valid, self.nearest = raw, list(valid), list(nearest or [])
        hint = f" Did you mean: {', '.join(self.nearest)}?" if self.nearest else ""
        listed = "; ".join(self.valid)
        super().__init__(f"Unknown {self.kind} {str(raw)!r}.{hint} Valid: {listed}.{note}")


class UnknownProvince(UnknownName):
    """A name or code that matches no province; suggests the closest ones."""

    kind = "province"

    def __init__(self, message: str):  # the registry words its own message (codes, suggestions)
        self.raw, self.valid, self.nearest = None, [], []
        CchcError.__init__(self, message)


class ProvinceMerged(CchcError, LookupError):
    """An old province asked for in a year after it joined a new unit."""


class UnknownIndex(UnknownName):
    kind = "index"


class UnknownRegion(UnknownName):
    """A region (or a means scope: a region or 'national') that is none of the six socio-economic regions."""

    kind = "region"


class UnknownComponent(UnknownName):
    """A component that the index does not have in the data (an area, dimension, sub-index or pillar)."""

    kind = "component"


class YearOutOfRange(CchcError, ValueError):
    """A year outside the years the data can answer for."""


class AcrossBreak(CchcError, ValueError):
    """Two years of an index measured another way (a method break, another scale or another set of units)."""


class PredecessorsNote(UserWarning):
    """A new unit of 2025 has no figures of its own before 2025: those are its predecessors'."""
