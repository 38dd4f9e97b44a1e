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

from .errors import Problem
from .schema import Table

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
        line = raw[:exc.start].count(b"\n") + 1
        return None, [Problem(rel, line, None,
                              f"file is not UTF-8 text: byte 0x{raw[exc.start]:02x} on line {line} is not "
                              f"UTF-8 (probably saved in a Windows code page such as Windows-1258); {SAVE_AS}")]
    return unicodedata.normalize("NFC", text), []


def read_records(path: Path, rel: str) -> tuple[list[str] | None, list[Record], list[Problem]]:
    """Header and non-blank records of a CSV file, with encoding and layout problems."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [], [Problem(rel, None, None, f"cannot read the file: {exc.strerror or exc}")]
    text, problems = decode(raw, rel)
    if text is None:
        return None, [], problems
    first = text.split("\n", 1)[0]
    sep = ";" if ";" in first and "," not in first else ","
    if sep == ";":
        problems.append(Problem(rel, 1, None, "columns are separated by ';' (Excel with Vietnamese regional "
                                "settings); read as such. Saving as 'CSV UTF-8' with ',' is preferred",
                                "warning"))
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=sep))
    except csv.Error as exc:
        return None, [], problems + [Problem(rel, None, None, f"not a readable CSV file: {exc}")]
    header = [c.strip() for c in rows[0]] if rows else []
    records = [(i, cells) for i, cells in enumerate(rows[1:], start=2) if any(c.strip() for c in cells)]
    return header, records, problems


def check_header(table: Table, header: list[str], rel: str) -> tuple[dict[str, int], list[Problem]]:
    """Position of each schema column in the header, and problems with the header."""
    problems, where = [], {}
    known = table.column_names
    for i, name in enumerate(header):
        if name in where:
            problems.append(Problem(rel, 1, name, f"column '{name}' appears twice in the header"))
        elif name in known:
            where[name] = i
        elif name:
            problems.append(Problem(rel, 1, name, f"unknown column '{name}' is ignored; the columns of "
                                    f"{table.name} are: {', '.join(known)}", "warning"))
    for col in table.columns:
        if col.required and col.name not in where:
            problems.append(Problem(rel, 1, col.name, f"missing column '{col.name}' (required): the first "
                                    f"row must name the columns {', '.join(known)}"))
    return where, problems


def cells_problem(rel: str, row: int, cells: list[str], width: int) -> Problem | None:
    """A problem when a record has more cells than the header names (an unquoted comma)."""
    if len(cells) <= width:
        return None
    return Problem(rel, row, None, f"row has {len(cells)} cells but the header names {width} columns: a decimal "
                   "comma or a comma in a note must be inside double quotes (\"86,26\")")
