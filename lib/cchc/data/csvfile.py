"""Read the raw text of a data file: encoding, byte-order mark, separator and header checks.

Decisions: a UTF-8 byte-order mark (Excel's "CSV UTF-8") is accepted silently; any other encoding
(Windows-1258, Windows-1252, UTF-16 "Unicode Text") is one error naming the first bad line and
asking to save as "CSV UTF-8"; a file separated by ';' (Excel with Vietnamese regional settings)
is read with a warning; all text is normalised to Unicode NFC (NFD input is accepted).
"""

from __future__ import annotations

import csv
import io
import unicodedata
from pathlib import Path

from ..errors import Problem
from .schema import Table, late_columns

BOM = b"\xef\xbb\xbf"
SAVE_AS = "open it in Excel and save it again as 'CSV UTF-8 (Comma delimited) (*.csv)'"
Record = tuple[int, list[str]]  # (spreadsheet row number, cells)


def decode(raw: bytes, rel: str) -> tuple[str | None, list[Problem]]:
    """The text of a file's bytes, or None with one problem saying why it cannot be read."""
    if not raw.replace(BOM, b"", 1).strip():
        return None, [Problem(rel, None, None, "file is empty: the first row must name the columns")]
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return None, [Problem(rel, 1, None, f"file is UTF-16 ('Unicode Text'), not CSV UTF-8: {SAVE_AS}")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [
            Problem(
                rel,
                line,
                None,
                f"file is not UTF-8 text: byte 0x{raw[exc.start]:02x} on line {line} is not "
                f"UTF-8 (probably saved in a Windows code page such as Windows-1258); {SAVE_AS}",
            )
        ]
    return unicodedata.normalize("NFC", text), []


def read_records(
    path: Path, rel: str, raw: bytes | None = None
) -> tuple[list[str] | None, list[Record], list[Problem]]:
    """Header and non-blank records of a CSV file (``raw``: its bytes, already read), with encoding and layout
    problems."""
    try:
        raw = path.read_bytes() if raw is None else raw
    except OSError as exc:
        return None, [], [Problem(rel, None, None, f"cannot read the file: {exc.strerror or exc}")]
    text, problems = decode(raw, rel)
    if text is None:
        return None, [], problems
    first = text.split("\n", 1)[0]
    sep = ";" if ";" in first and "," not in first else ","
    if sep == ";":
        problems.append(
            Problem(
                rel,
                1,
                None,
                "columns are separated by ';' (Excel with Vietnamese regional "
                "settings); read as such. Saving as 'CSV UTF-8' with ',' is preferred",
                "warning",
            )
        )
    rows, problem = _strict_rows(text, sep, rel)
    if problem:
        return None, [], problems + [problem]
    header = [c.strip() for c in rows[0]] if rows else []
    records = [(i, cells) for i, cells in enumerate(rows[1:], start=2) if any(c.strip() for c in cells)]
    return header, records, problems


def _strict_rows(text: str, sep: str, rel: str) -> tuple[list[list[str]], Problem | None]:
    """Every record of a CSV text, or a problem at the record where a quote opens and never closes
    (a lenient reader would swallow the rows after it into one cell)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=True)
    rows: list[list[str]] = []
    last_line = 0
    try:
        for cells in reader:
            rows.append(cells)
            last_line = reader.line_num
    except csv.Error:
        lines = text.splitlines()
        start = lines[last_line] if last_line < len(lines) else ""
        opened = next(csv.reader([start], delimiter=sep), [""])
        header = [c.strip() for c in rows[0]] if rows else []
        column = header[len(opened) - 1] if rows and len(opened) <= len(header) else None
        return rows, Problem(
            rel,
            len(rows) + 1,
            column or None,
            "a double quote opens here and never closes, so the rest of the file would be read "
            'into this cell: close the quote, or write a quote inside a cell as two ("")',
        )
    return rows, None


def check_header(table: Table, header: list[str], rel: str) -> tuple[dict[str, int], list[Problem]]:
    """Position of each schema column in the header, and problems with the header.

    A heading names a column the way people write it (``Table.column_for``: case, spaces, the
    Vietnamese label). A heading that names no column is a warning while every column is found, and an
    error when some column is missing: it is most likely that column renamed, and importing without it
    would put its values nowhere (a component's rank read as the index's own rank).
    """
    problems, unknown = [], []
    where: dict[str, int] = {}
    known = table.column_names
    for i, name in enumerate(header):
        column = table.column_for(name)
        if column is None:
            if name.strip():
                unknown.append(name)
        elif column in where:
            problems.append(
                Problem(
                    rel,
                    1,
                    name,
                    f"column '{column}' appears twice in the header"
                    + (f" (as '{header[where[column]]}' and '{name}')" if header[where[column]] != name else ""),
                )
            )
        else:
            where[column] = i
    missing = [c for c in table.columns if c.name not in where and c.name not in late_columns(table.name)]
    for name in unknown:
        if missing:
            problems.append(
                Problem(
                    rel,
                    1,
                    name,
                    f"unknown column '{name}': it names no column of {table.name}, "
                    f"and the header lacks {', '.join(c.name for c in missing)}; rename it to the "
                    "column it holds (its values would otherwise be lost)",
                )
            )
        else:
            problems.append(
                Problem(
                    rel,
                    1,
                    name,
                    f"unknown column '{name}' is ignored; the columns of {table.name} are: {', '.join(known)}",
                    "warning",
                )
            )
    for col in missing:
        if col.required:
            problems.append(
                Problem(
                    rel,
                    1,
                    col.name,
                    f"missing column '{col.name}' (required): the first row must name the columns {', '.join(known)}",
                )
            )
    return where, problems


def cells_problem(rel: str, row: int, cells: list[str], width: int) -> Problem | None:
    """A problem when a record has more cells than the header names (an unquoted comma)."""
    if len(cells) <= width:
        return None
    return Problem(
        rel,
        row,
        None,
        f"row has {len(cells)} cells but the header names {width} columns: a decimal "
        'comma or a comma in a note must be inside double quotes ("86,26")',
    )
