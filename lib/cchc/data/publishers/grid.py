"""A publisher's file as plain grids of cell values: every sheet of an .xls or .xlsx workbook, a CSV file, or a
table pasted into a text file (.txt, .tsv: columns split at tabs, else at runs of two or more spaces).

Values are what the cell holds: numbers as float or int, text as NFC-normalised stripped str, empty cells
as None; a formula gives its saved value, and a workbook with a formula reaching outside it (a DDE or external
link) is refused naming the cells (an .xls file's formulas cannot be seen). Each grid knows the rows and
columns its sheet hides (``hidden_problems``: refused when they hold values, unless the import includes them).
Reading stops at the last row that holds a value (a styled empty cell far below the table costs nothing), and a
sheet with more than MAX_ROWS rows holding values is refused with a clear message.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...errors import BadInput, CchcError, Problem, UsageError
from ..csvfile import decode
from ..xlsxcells import check_archive, hidden_problem, hidden_rows_columns, outside_formulas, outside_message

MAX_ROWS = 100_000  # far above any national table; the same limit as a template sheet's
WORKBOOK_SUFFIXES = (".xls", ".xlsx", ".xlsm")
TEXT_SUFFIXES = (".csv", ".txt", ".tsv")


@dataclass
class Grid:
    """One sheet: its title, position (1-based) and rows of values (row i is spreadsheet row i + 1)."""

    title: str
    position: int
    rows: list[list[Any]]
    hidden: tuple[set[int], set[int]] = field(default_factory=lambda: (set(), set()))  # rows, columns (1-based)

    def value(self, row: int, col: int) -> Any:
        """The value at a 0-based row and column (None outside the filled area)."""
        cells = self.rows[row] if row < len(self.rows) else []
        return cells[col] if col < len(cells) else None


def hidden_problems(path: Path, grids: list[Grid], include_hidden: bool) -> list[Problem]:
    """For each sheet, the error (a warning with ``include_hidden``) naming its hidden rows and columns that hold
    values: nobody reading the workbook sees them."""
    problems = []
    for grid in grids:
        rows = {r + 1: values for r, values in enumerate(grid.rows) if values}
        problem = hidden_problem(f"{path.name}, sheet '{grid.title}'", "", grid.hidden, rows, {}, include_hidden)
        problems += [problem] if problem else []
    return problems


def cell_name(row: int, col: int) -> str:
    """Spreadsheet name of a 0-based cell: (2, 22) -> 'W3'."""
    letters, n = "", col + 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row + 1}"


def read_grids(path: Path) -> list[Grid]:
    """Every sheet of a workbook, or the one table of a CSV file, as grids of values."""
    suffix = path.suffix.lower()
    if suffix == ".xls":
        return _xls(path)
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx(path)
    if suffix == ".csv":
        return [_csv(path)]
    if suffix in (".txt", ".tsv"):
        return [_pasted(path)]
    raise UsageError(f"'{path.name}' is not a workbook (.xls, .xlsx), a CSV file or a text table (.txt, .tsv)")


def _xls(path: Path) -> list[Grid]:
    """Sheets of an Excel 97-2003 workbook (read with xlrd)."""
    import xlrd

    try:
        book = xlrd.open_workbook(str(path), on_demand=True, formatting_info=True)
    except (xlrd.XLRDError, OSError, ValueError, AssertionError, IndexError) as exc:
        raise CchcError(f"cannot read {path.name} as an Excel 97-2003 workbook (.xls): {exc}") from None
    grids = []
    try:
        for i in range(book.nsheets):
            sheet = book.sheet_by_index(i)
            _check_size(path, sheet.name, sheet.nrows)
            rows = (
                [
                    _value(sheet.cell_value(r, c)) if sheet.cell_type(r, c) in (1, 2) else None
                    for c in range(sheet.ncols)
                ]
                for r in range(sheet.nrows)
            )
            hidden = (
                {r + 1 for r, info in sheet.rowinfo_map.items() if info.hidden},
                {c + 1 for c, info in sheet.colinfo_map.items() if info.hidden},
            )
            grids.append(Grid(sheet.name, i + 1, _trimmed(rows, path, sheet.name), hidden))
            book.unload_sheet(i)
    finally:
        book.release_resources()
    return grids


def _xlsx(path: Path) -> list[Grid]:
    """Sheets of an .xlsx workbook, streamed (openpyxl read-only; saved values of formulas)."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    check_archive(path)
    with warnings.catch_warnings():  # "Unknown extension is not supported": parts the suite never reads
        warnings.simplefilter("ignore", UserWarning)
        return _xlsx_sheets(path, load_workbook, InvalidFileException)


def _xlsx_sheets(path: Path, load_workbook: Any, invalid: type[Exception]) -> list[Grid]:
    """The sheets of an .xlsx workbook as grids (``invalid``: openpyxl's error for a file it cannot read)."""
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, invalid, KeyError, ValueError, OSError) as exc:
        raise CchcError(f"cannot read {path.name} as an Excel workbook (.xlsx): {exc}") from None
    hidden = hidden_rows_columns(path)
    try:
        grids = [
            Grid(
                ws.title,
                i + 1,
                _trimmed(([_value(v) for v in row] for row in ws.iter_rows(values_only=True)), path, ws.title),
                hidden.get(ws.title, (set(), set())),
            )
            for i, ws in enumerate(book.worksheets)
        ]
    finally:
        book.close()
    outside = outside_formulas(path)
    if outside:
        raise BadInput(
            [
                Problem(f"{path.name}, sheet '{title}'", row, ref, outside_message(ref, formula, what))
                for title, row, _, ref, formula, what in outside
            ]
        )
    return grids


def _csv(path: Path) -> Grid:
    """A CSV file (UTF-8, ',' or ';') as one grid of text values."""
    text, problems = decode(path.read_bytes(), path.name)
    if text is None:
        raise BadInput(problems)
    first = text.split("\n", 1)[0]
    sep = "\t" if "\t" in text[:4000] else ";" if ";" in first and "," not in first else ","
    try:
        rows = csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=True)
        return Grid(path.stem, 1, _trimmed(([_value(v) for v in row] for row in rows), path, path.name))
    except csv.Error as exc:
        raise CchcError(f"{path.name}: not a readable CSV file: {exc}") from None


def _pasted(path: Path) -> Grid:
    """A table copied out of a document and saved as text: a line a row; its cells split at tabs when the line
    has any, else at runs of two or more spaces (a single space stays inside a name: 'Hà Nội')."""
    text, problems = decode(path.read_bytes(), path.name)
    if text is None:
        raise BadInput(problems)
    rows = (
        re.split(r"\t", line) if "\t" in line else re.split(r" {2,}|\u00a0{2,}", line.strip())
        for line in text.splitlines()
    )
    return Grid(path.stem, 1, _trimmed(([_value(v) for v in row] for row in rows), path, path.name))


def _value(value: Any) -> Any:
    """A cell's value: stripped NFC text (None when blank), numbers unchanged."""
    if isinstance(value, str):
        text = unicodedata.normalize("NFC", value).strip()
        return text or None
    if isinstance(value, bool):
        return value
    return value if isinstance(value, (int, float)) else (None if value is None else str(value))


def _trimmed(rows: Iterable[list[Any]], path: Path, sheet: str) -> list[list[Any]]:
    """Rows without trailing empty cells, stopping after the last row that holds a value."""
    kept: list[list[Any]] = []
    last = 0
    for row in rows:
        while row and row[-1] is None:
            row.pop()
        kept.append(row)
        if row:
            last = len(kept)
            _check_size(path, sheet, last)
    return kept[:last]


def _check_size(path: Path, sheet: str, rows: int) -> None:
    """Refuse a sheet whose values reach beyond MAX_ROWS rows."""
    if rows > MAX_ROWS:
        raise CchcError(
            f"{path.name}, sheet '{sheet}': values reach beyond row {MAX_ROWS:,}; a publisher's "
            "national table is far smaller: is this the right file?"
        )
