"""Excel workbooks: templates to fill in, and the first sheet of a filled one read as text cells.

Cells become the text a CSV file would hold, so imports are checked by the same rules as CSV files:
numbers with a decimal point, dates YYYY-MM-DD, TRUE/FALSE as yes/no. Formula cells give their value
as Excel last saved it; a formula without a saved value is an error for that cell, and so is a formula in
any sheet that reaches outside the workbook (a DDE or external link, WEBSERVICE …: ``reaches_outside``).
A number shown as a percentage (0.8626 formatted 86.26%) is read as 86.26, with a warning.

The header is the first row (of the first ten) that names every required column of a table, so title
rows above it ("BÁO CÁO ...", a merged banner) are skipped with a warning naming the header row.
Merged cells in the header row or below it are an error naming the sheet and the cells (only the first
cell of a merged range holds a value, so a column or rows would be read empty); so is a value in a
column whose header cell is empty (it would be dropped). Hidden rows and columns holding values are an
error naming them (what a reader of the sheet does not see is not imported unseen), a warning naming them when
the import is told --include-hidden.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

from ..errors import BadInput, CchcError, Problem
from .schema import Table

GUIDE_SHEET = "Hướng dẫn"
MAX_ROWS = 100_000  # rows with values: a national table of every index, year and component is ~20,000
MAX_XML_BYTES = 512 << 20  # every part of a workbook unpacked; a 100,000-row sheet is ~60 MB
MAX_PART_BYTES = 256 << 20  # one part (a sheet, the shared strings)
MAX_PARTS = 10_000
MAX_RATIO = 200  # unpacked / packed size of one part: spreadsheet XML packs 5 to 50 times, a zip bomb 1,000
RATIO_FROM_BYTES = 16 << 20  # small parts may pack better (a sheet of one repeated styled cell)
LISTS_SHEET = "lists"
KIND_LABELS = {
    "str": "văn bản / text",
    "int": "số nguyên / whole number",
    "float": "số, dấu chấm thập phân / number, decimal point",
    "year": "năm / year",
    "date": "ngày YYYY-MM-DD / date",
    "bool": "yes hoặc để trống / yes or empty",
    "province": "tỉnh: tên, slug hoặc mã / province",
    "url": "URL",
}


def read_sheet(
    xlsx: Path, include_hidden: bool = False, table: Table | None = None
) -> tuple[list[str], list[tuple[int, list[str]]], list[Problem]]:
    """Header and non-blank rows (as text) of the data sheet (``data_sheet``: the first whose header names a
    table's columns, else the first), and problems with formula cells and with hidden rows and columns holding
    values (errors; warnings naming them with ``include_hidden``). A data sheet that is not the first is read
    with a warning naming it."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        check_archive(xlsx)
        found = data_sheet(xlsx, table)
        position = found or 0
        last_row, last_column = _extent(xlsx, position)
        values = load_workbook(xlsx, data_only=True).worksheets[position]
        formulas = load_workbook(xlsx, data_only=False).worksheets[position]
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as exc:
        raise CchcError(f"cannot read {xlsx.name} as an Excel workbook (.xlsx): {exc}") from exc
    if position:
        first = formulas.parent.worksheets[0].title
        read = Problem(
            xlsx.name,
            None,
            None,
            f"sheet '{values.title}' read: it is the sheet whose header names the columns of a table (sheet "
            f"{position + 1}; the first sheet, '{first}', is not read)",
            "warning",
        )
    elif found is None:
        read = Problem(
            xlsx.name,
            None,
            None,
            f"sheet '{values.title}' read (the first): no sheet's first ten rows name the columns of "
            + (f"table '{table.name}'" if table else "a table")
            + "; the data belongs in a sheet whose first row is the template's header",
            "warning",
        )
    else:
        read = None
    rows = list(values.iter_rows(max_row=last_row, max_col=last_column)) if last_row else []
    at = _header_index(rows)
    header_row = rows[at][0].row if rows else 1
    header = [_header_text(c.value) for c in rows[at]] if rows else []
    while header and not header[-1]:
        header.pop()
    sheet = f"sheet '{values.title}'"
    problems = _merged_problems(formulas, header_row, header, xlsx.name, sheet) + ([read] if read else [])
    hidden = hidden_rows_columns(xlsx).get(values.title, (set(), set()))
    by_row = {cells[0].row: [c.value for c in cells] for cells in rows if cells}
    problem = hidden_problem(
        xlsx.name, sheet, hidden, by_row, {i + 1: name for i, name in enumerate(header) if name}, include_hidden
    )
    problems += [problem] if problem else []
    for title, row, column, ref, formula, what in outside_formulas(xlsx):
        named = header[column - 1] if title == values.title and column <= len(header) else ""
        problems.append(
            Problem(xlsx.name, row, named or None, f"sheet '{title}': {outside_message(ref, formula, what)}")
        )
    if at:
        problems.append(
            Problem(
                xlsx.name,
                header_row,
                None,
                f"{sheet}: the column names are in row {header_row}; the row(s) above it (titles) are not imported",
                "warning",
            )
        )
    merged_columns = _merged_header_columns(formulas, header_row)
    records, unnamed = [], set()
    for cells in rows[at + 1 :]:
        texts = []
        for i, cell in enumerate(cells):
            if i >= len(header) or not header[i]:  # a column without a name: its values would be dropped
                if cell.value not in (None, "") and i + 1 not in merged_columns and i not in unnamed:
                    unnamed.add(i)
                    problems.append(
                        Problem(
                            xlsx.name,
                            cell.row,
                            None,
                            f"{sheet}: cell {cell.coordinate} holds "
                            f"{cell.value!r} but its column has no name in row {header_row}: "
                            "name the column or clear it (the value would be lost)",
                        )
                    )
                if i < len(header):
                    texts.append("")
                continue
            text, problem = _cell_text(cell, formulas.cell(cell.row, cell.column).value, header[i], xlsx.name)
            texts.append(text)
            problems += [problem] if problem else []
        if any(texts):
            records.append((cells[0].row, texts))
    return header, records, problems


_OUTSIDE_FUNCTIONS = re.compile(
    r"\b(WEBSERVICE|RTD|CALL|REGISTER(?:\.ID)?|IMPORT(?:DATA|XML|HTML|RANGE|FEED))\s*\(", re.IGNORECASE
)
_OTHER_WORKBOOK = re.compile(r"\[[^\]]*\.(?:xl[a-z]*|csv|ods)\]|(?<![\w\]])\[\d+\]", re.IGNORECASE)


def reaches_outside(formula: str) -> str | None:
    """What in a formula reaches outside its workbook, or None: a DDE link to another program
    (=cmd|' /C calc'!A0), a link to another workbook ([1]Sheet1!$A$1, 'C:\\[book.xlsx]Sheet1'!A1) or a function
    that calls out (WEBSERVICE, RTD, CALL, REGISTER, IMPORTDATA …). Text in double quotes is left aside."""
    bare = re.sub(r'"[^"]*"', '""', formula)
    if _OTHER_WORKBOOK.search(bare):
        return "a link to another workbook"
    if "|" in re.sub(r"'[^']*'", "''", bare):
        return "a DDE link to another program"
    called = _OUTSIDE_FUNCTIONS.search(bare)
    return called.group(1).upper() if called else None


def outside_formulas(xlsx: Path) -> list[tuple[str, int, int, str, str, str]]:
    """Every formula of every sheet that reaches outside the workbook: (sheet, row, column, cell, formula,
    what reaches out). Their saved values came from elsewhere and are not imported."""
    from openpyxl import load_workbook

    workbook = load_workbook(xlsx, read_only=True, data_only=False)
    found = []
    try:
        for sheet in workbook.worksheets:
            for cells in sheet.iter_rows():
                for cell in cells:
                    formula = getattr(cell.value, "text", cell.value)  # an array formula keeps its text apart
                    if isinstance(formula, str) and formula.startswith("="):
                        what = reaches_outside(formula)
                        if what:
                            found.append((sheet.title, cell.row, cell.column, cell.coordinate, formula, what))
    finally:
        workbook.close()
    return found


def outside_message(cell: str, formula: str, what: str) -> str:
    """The error for a formula that reaches outside the workbook."""
    return (
        f"cell {cell} holds the formula {formula}, which reaches outside the workbook ({what}): its saved value "
        "came from there and is not imported; paste the value itself instead"
    )


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def hidden_rows_columns(xlsx: Path) -> dict[str, tuple[set[int], set[int]]]:
    """The rows and columns (1-based) each sheet hides, by sheet title, read from the workbook's XML (openpyxl's
    streaming reader does not give them)."""
    import xml.etree.ElementTree as ET

    found: dict[str, tuple[set[int], set[int]]] = {}
    with zipfile.ZipFile(xlsx) as archive:
        names = set(archive.namelist())
        if not {"xl/workbook.xml", "xl/_rels/workbook.xml.rels"} <= names:
            return found
        rels = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target") or "" for r in rels}
        for sheet in ET.fromstring(archive.read("xl/workbook.xml")).iter(f"{_MAIN}sheet"):
            target = targets.get(sheet.get(_REL_ID), "")
            part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            if part not in names:
                continue
            rows: set[int] = set()
            columns: set[int] = set()
            number = 0
            with archive.open(part) as xml:
                for _, element in ET.iterparse(xml):
                    if element.tag == f"{_MAIN}row":
                        number = int(element.get("r") or number + 1)
                        if element.get("hidden") in ("1", "true"):
                            rows.add(number)
                        element.clear()  # the cells of a row are not needed
                    elif element.tag == f"{_MAIN}col" and element.get("hidden") in ("1", "true"):
                        columns.update(range(int(element.get("min") or 1), int(element.get("max") or 1) + 1))
            found[sheet.get("name") or ""] = (rows, columns)
    return found


def hidden_message(rows: list[int], columns: list[int], names: dict[int, str], included: bool) -> str:
    """'row 3 and column K ('note') are hidden and hold values: …', or with ``included`` 'hidden row 3 … were
    included (--include-hidden)'."""
    from openpyxl.utils import get_column_letter

    def listed(numbers: list[str]) -> str:
        return ", ".join(numbers[:20]) + (f" … ({len(numbers)} in all)" if len(numbers) > 20 else "")

    parts = []
    if rows:
        parts.append(f"row{'s' if len(rows) > 1 else ''} {listed([str(r) for r in rows])}")
    if columns:
        shown = [get_column_letter(c) + (f" ('{names[c]}')" if names.get(c) else "") for c in columns]
        parts.append(f"column{'s' if len(columns) > 1 else ''} {listed(shown)}")
    one = len(rows) + len(columns) == 1
    what = " and ".join(parts)
    if included:
        return f"hidden {what} {'was' if one else 'were'} included (--include-hidden)"
    return (
        f"{what} {'is' if one else 'are'} hidden and {'holds' if one else 'hold'} values: unhide "
        f"{'it' if one else 'them'} and check what {'it holds' if one else 'they hold'}, or import with "
        "--include-hidden"
    )


def hidden_problem(
    file: str,
    where: str,
    hidden: tuple[set[int], set[int]],
    rows: dict[int, list[Any]],
    names: dict[int, str],
    include_hidden: bool,
) -> Problem | None:
    """The error (a warning with ``include_hidden``) for the hidden rows and columns of a sheet that hold values
    (``rows``: row number -> values, column 1 first); None when none do."""

    def filled(value: Any) -> bool:
        return value not in (None, "")

    hidden_rows = sorted(r for r in hidden[0] if any(filled(v) for v in rows.get(r, ())))
    hidden_columns = sorted(
        c for c in hidden[1] if any(len(values) >= c and filled(values[c - 1]) for values in rows.values())
    )
    if not hidden_rows and not hidden_columns:
        return None
    return Problem(
        file,
        None,
        None,
        (f"{where}: " if where else "") + hidden_message(hidden_rows, hidden_columns, names, include_hidden),
        "warning" if include_hidden else "error",
    )


def check_archive(xlsx: Path) -> None:
    """Refuse a workbook any part of which would unpack past a bound, before any of it is read: a part
    (sheet, shared strings, styles …) over MAX_PART_BYTES, all parts over MAX_XML_BYTES, a part that grows
    more than MAX_RATIO times (a zip bomb), or more than MAX_PARTS parts. The sizes are the archive's own
    directory; Python's zipfile never unpacks a part past the size it declares."""
    try:
        with zipfile.ZipFile(xlsx) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise CchcError(f"cannot read {xlsx.name} as an Excel workbook (.xlsx): {exc}") from None

    def refused(why: str) -> BadInput:
        return BadInput([Problem(xlsx.name, None, None, f"{why}: not a table of figures a person sent; refused")])

    if len(parts) > MAX_PARTS:
        raise refused(f"the workbook holds {len(parts)} parts, more than {MAX_PARTS}")
    for part in parts:
        if part.file_size > MAX_PART_BYTES:
            raise refused(
                f"part {part.filename} unpacks to {part.file_size >> 20} MB, more than {MAX_PART_BYTES >> 20} MB"
            )
        if part.file_size > RATIO_FROM_BYTES and part.file_size > MAX_RATIO * max(part.compress_size, 1):
            raise refused(
                f"part {part.filename} unpacks {part.file_size // max(part.compress_size, 1)} times its packed size "
                f"({part.compress_size >> 10} KB to {part.file_size >> 20} MB; a workbook's parts grow at most "
                f"{MAX_RATIO} times): a zip bomb"
            )
    total = sum(part.file_size for part in parts)
    if total > MAX_XML_BYTES:
        raise refused(f"the workbook's parts unpack to {total >> 20} MB, more than {MAX_XML_BYTES >> 20} MB")


def _extent(xlsx: Path, position: int = 0) -> tuple[int, int]:
    """The last row and column of a sheet (the first by default) that hold a value (formatting alone does not count:
    one styled cell at N1048576 would otherwise make a million rows). BadInput above MAX_ROWS rows."""
    from openpyxl import load_workbook

    workbook = load_workbook(xlsx, read_only=True, data_only=False)
    try:
        sheet = workbook.worksheets[position]
        last_row = last_column = rows = 0
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            filled = [i for i, value in enumerate(cells, start=1) if value not in (None, "")]
            if filled:
                rows += 1
                last_row, last_column = number, max(last_column, filled[-1])
                if rows > MAX_ROWS:
                    raise BadInput(
                        [
                            Problem(
                                xlsx.name,
                                None,
                                None,
                                f"sheet '{sheet.title}' has more than {MAX_ROWS} "
                                "rows with values: too big to be a table of figures; split it",
                            )
                        ]
                    )
        return last_row, last_column
    finally:
        workbook.close()


def _header_index(rows: list) -> int:
    """Index of the header row: the first of the first ten rows naming every required column of a
    table (0 when none does: the first row is then the header, and its problems are reported)."""
    from .schema import TABLES

    for i, cells in enumerate(rows[:10]):
        texts = [_header_text(c.value) for c in cells]
        if any(names_table(t, texts) for t in TABLES):
            return i
    return 0


def names_table(table: Table, header: list[str]) -> bool:
    """True when a header names every required column of the table."""
    names = {table.column_for(text) for text in header}
    return all(col.name in names for col in table.columns if col.required)


def data_sheet(xlsx: Path, table: Table | None = None) -> int | None:
    """Position (0-based) of the first sheet whose first ten rows name every required column of ``table`` (of
    any table when None): the template's data sheet wherever its guide sheet was moved; None when no sheet
    does (a publisher's workbook)."""
    from openpyxl import load_workbook

    from .schema import TABLES

    workbook = load_workbook(xlsx, read_only=True, data_only=True)
    try:
        for position, sheet in enumerate(workbook.worksheets):
            for cells in sheet.iter_rows(max_row=10, values_only=True):
                texts = [_header_text(v) for v in cells]
                if any(names_table(t, texts) for t in ([table] if table else TABLES)):
                    return position
    finally:
        workbook.close()
    return None


def _merged_header_columns(sheet: Any, header_row: int) -> set[int]:
    """Column numbers (1-based) covered by a merged range that includes the header row."""
    return {
        col
        for rng in sheet.merged_cells.ranges
        if rng.min_row <= header_row <= rng.max_row
        for col in range(rng.min_col, rng.max_col + 1)
    }


def _merged_problems(sheet: Any, header_row: int, header: list[str], name: str, where: str) -> list[Problem]:
    """One error per merged range in the header row or below it (titles above may be merged)."""
    problems = []
    for rng in sorted(sheet.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col)):
        if rng.max_row < header_row:
            continue
        column = header[rng.min_col - 1] if rng.min_col <= len(header) else None
        if rng.min_row <= header_row:
            what = (
                f"header cells {rng.coord} are merged: unmerge them and give every column its own name "
                f"in row {header_row}"
            )
        else:
            what = f"cells {rng.coord} are merged: unmerge them and write the value in every cell"
        problems.append(Problem(name, max(rng.min_row, header_row), column or None, f"{where}: {what}"))
    return problems


def _header_text(value: Any) -> str:
    """A header cell as a column name."""
    return unicodedata.normalize("NFC", str(value)).strip() if value is not None else ""


def _cell_text(cell: Any, formula: Any, column: str, name: str) -> tuple[str, Problem | None]:
    """The text of one cell, or a problem for a formula with no saved value or a percent format."""
    value = cell.value
    if value is None and isinstance(formula, str) and formula.startswith("="):
        return "", Problem(
            name,
            cell.row,
            column,
            f"formula {formula} has no saved value: open the file in "
            "Excel and save it (or paste the values instead of the formula)",
        )
    if isinstance(value, bool):
        return ("yes" if value else "no"), None
    if isinstance(value, (int, float)):
        if "%" in (cell.number_format or "") and not isinstance(value, bool):
            text = _number_text(value * 100)
            return text, Problem(
                name, cell.row, column, f"cell shown as a percentage: {value!r} read as {text}", "warning"
            )
        return _number_text(value), None
    if isinstance(value, dt.datetime):
        return (value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")), None
    if isinstance(value, dt.date):
        return value.isoformat(), None
    return ("" if value is None else unicodedata.normalize("NFC", str(value)).strip()), None


def _number_text(value: float) -> str:
    """A number as text with a decimal point and no float noise (15 significant digits, like Excel)."""
    if isinstance(value, int) or float(value).is_integer():
        return str(int(value))
    return format(value, ".15g")


def template_workbook(table: Table) -> Any:
    """A workbook with the table's header (bold, frozen), a guide sheet and drop-down lists."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = table.name
    sheet.append(table.column_names)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        sheet.column_dimensions[cell.column_letter].width = max(12, len(cell.value) + 4)
    sheet.freeze_panes = "A2"
    _guide(workbook, table)
    _drop_downs(workbook, sheet, table)
    return workbook


def _guide(workbook: Any, table: Table) -> None:
    """The 'Hướng dẫn' sheet: one row per column with its kind, whether required, help and allowed values."""
    from openpyxl.styles import Alignment, Font

    guide = workbook.create_sheet(GUIDE_SHEET)
    guide.append([f"Bảng / table: {table.name} — {table.help}"])
    guide.append(
        [
            "Cột / column",
            "Tên tiếng Việt / Vietnamese heading",
            "Bắt buộc / required",
            "Kiểu / kind",
            "Giải thích / help",
            "Giá trị cho phép / allowed values",
        ]
    )
    for col in table.columns:
        guide.append(
            [
                col.name,
                col.label,
                "có / yes" if col.required else "",
                KIND_LABELS.get(col.kind, col.kind),
                col.help,
                ", ".join(col.choices),
            ]
        )
    guide.append([])
    guide.append(
        [
            "Số thập phân dùng dấu chấm hoặc dấu phẩy đều được (86.26 / 86,26); để trống khi chưa có "
            "số liệu, không ghi 0. Decimal point or comma both work; leave a missing figure empty."
        ]
    )
    for cell in (*guide[1], *guide[2]):
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDEF", (18, 22, 16, 26, 60, 60)):
        guide.column_dimensions[letter].width = width
    for row in guide.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _drop_downs(workbook: Any, sheet: Any, table: Table) -> None:
    """Drop-down lists (from a hidden sheet) for the columns with allowed values."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    lists = workbook.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    for n, col in enumerate((c for c in table.columns if c.choices), start=1):
        letter = get_column_letter(n)
        for r, choice in enumerate(col.choices, start=1):
            lists.cell(r, n, choice)
        rule = DataValidation(
            type="list", formula1=f"'{LISTS_SHEET}'!${letter}$1:${letter}${len(col.choices)}", allow_blank=True
        )
        rule.error = f"{col.name}: {', '.join(col.choices)}"
        rule.showErrorMessage = True
        target = get_column_letter(table.column_names.index(col.name) + 1)
        rule.add(f"{target}2:{target}5000")
        sheet.add_data_validation(rule)
