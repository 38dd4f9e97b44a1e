"""What every publisher layout produces: rows of the `indices` table, each traced to its place in the file."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from ...errors import Problem, UsageError
from ..indices import record


@dataclass
class Options:
    """What the user says about the whole file: its publication (source), results year and index, and whether
    its hidden rows and columns are to be read."""

    source: str | None = None  # may hold {year}
    year: int | None = None
    index: str | None = None
    include_hidden: bool = False  # hidden rows and columns holding values are read (with a warning), not refused


@dataclass
class Figure:
    """One row for the indices table, and where it was read: file label ('PCI_2015.xlsx, sheet …') and row."""

    where: str
    row: int
    cells: dict[str, str]


@dataclass
class Reading:
    """A publisher's file read: what it is (layout), its rows, and the problems met."""

    layout: str
    figures: list[Figure] = field(default_factory=list)
    means: list[Figure] = field(default_factory=list)  # rows of means.csv (press facts only)
    problems: list[Problem] = field(default_factory=list)
    recognised: bool = True  # False: no layout the suite knows (nothing in the file was placed)


def source_for(index: str, year: int, options: Options, file: str) -> str:
    """The citation of the publication a figure comes from: --source, else the publisher's own."""
    if options.source:
        return options.source.replace("{year}", str(year))
    rec = record(index)
    if rec and year in rec.year_sources:
        return rec.year_sources[year]
    if rec and rec.citation:
        return rec.citation.format(year=year)
    raise UsageError(
        f"{file}: give the publication with --source (publisher, title, year, URL): the suite "
        f"knows no default source for {index} {year}"
    )


def file_year(path: Path, options: Options) -> int | None:
    """The results year of a one-year file: --year, else the year in its name (PCI_2015.xlsx)."""
    if options.year:
        return options.year
    found = re.findall(r"(?<!\d)(20\d\d)(?!\d)", path.stem)
    return int(found[0]) if len(found) == 1 else None


def decimal_text(value: float, places: int) -> str:
    """A value rounded half up to ``places`` decimals as a spreadsheet shows it (15 significant digits
    first, so 68.33499999999 stored for 68.335 prints 68.34), trailing zeros kept."""
    exact = Decimal(format(value, ".15g"))
    return str(exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def raw_text(value: float) -> str:
    """A stored value for a note, without float noise."""
    return format(value, ".10g")
