"""Check the data files: every problem at once, each naming the file, row and column.

Files are never modified. Rows are spreadsheet rows (header = row 1, first data row = row 2);
files are named relative to the data folder. Errors stop a report; warnings are shown and allowed.

Cells are read as ``cells`` describes: a decimal comma ("86,26") is accepted and read as 86.26 with a
warning naming the cell, as are thousands separators in whole numbers ("3.419" -> 3419) and a
percent sign in a % score ("92%" -> 92). Encodings are handled as ``csvfile`` describes: UTF-8 with
or without a byte-order mark is accepted; any other encoding is one error asking for "CSV UTF-8".
Provinces may be written as slug, name in any spelling, or old GSO code; they are read as the slug.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import Problem
from ..files import folder_lock
from . import checks
from .cache import checked_file
from .cells import CellError, clean_text, decimal_places, parse_bool, parse_date, parse_float, parse_int, parse_year
from .csvfile import cells_problem, check_header, read_records
from .provinces import MERGER_YEAR, ProvinceMerged, Registry, UnknownProvince, load_registry, read_registry_rows
from .schema import INDEX_FIGURES, MEANS, PUBLICATION, TABLES, YEAR_MAX, YEAR_MIN, Column, Table

Row = dict[str, Any]
Add = Callable[..., None]
IGNORED_FILES = ("README.md", "provinces.csv")


def table_files(data_dir: Path, table: Table) -> list[Path]:
    """The files of a table in a data folder, sorted (none when the table has no file yet)."""
    return sorted(p for p in Path(data_dir).glob(table.path) if p.is_file())


def check_file(table: Table, path: Path, registry: Registry, rel: str) -> tuple[list[Row], list[Problem]]:
    """Typed rows of one file and the problems found in it (cross-row checks excluded). The same bytes checked
    before as the same file against the same registries and code are read back from the disk cache
    (``cache.checked_file``): the same rows and problems, without parsing every cell again."""
    try:
        raw = Path(path).read_bytes()
    except OSError:
        return _check_file(table, path, registry, rel)  # says why it cannot be read
    what = f"{table.name} {rel}"
    return checked_file(raw, what, registry.fingerprint(), lambda: _check_file(table, path, registry, rel, raw), tuple)


def _check_file(
    table: Table, path: Path, registry: Registry, rel: str, raw: bytes | None = None
) -> tuple[list[Row], list[Problem]]:
    header, records, problems = read_records(path, rel, raw)
    if header is None:
        return [], problems
    where, header_problems = check_header(table, header, rel)
    problems += header_problems
    rows = []
    for number, cells in records:
        extra = cells_problem(rel, number, cells, len(header))
        row, row_problems = parse_record(table, where, cells, number, rel, registry)
        rows.append(row)
        problems += ([extra] if extra else []) + row_problems
    return rows, problems


def parse_record(
    table: Table, where: dict[str, int], cells: list[str], number: int, rel: str, registry: Registry
) -> tuple[Row, list[Problem]]:
    """One record read into typed values (province as slug), with the problems in its cells."""
    problems: list[Problem] = []

    def add(column: str | None, message: str, severity: str = "error") -> None:
        problems.append(Problem(rel, number, column, message, severity))

    row: Row = {"file": rel, "row": number, "_pct": set(), "_bad": set()}
    texts = {
        c.name: (cells[where[c.name]] if where.get(c.name, len(cells)) < len(cells) else "") for c in table.columns
    }
    for col in table.columns:
        if col.kind != "province":
            row[col.name] = _read_cell(col, texts[col.name], row, add, present=col.name in where)
    for col in (c for c in table.columns if c.kind == "province"):
        row[col.name] = _read_province(table, texts[col.name], row, registry, add) if col.name in where else None
    checks.ROW_CHECKS[table.name](row, add, registry)
    return row, problems


def _read_cell(col: Column, text: str, row: Row, add: Add, present: bool = True) -> Any:
    """The typed value of one cell; problems go to ``add``."""
    text = clean_text(text)
    if not text:
        if col.required and present:
            add(col.name, checks.missing_message(col))
        return False if col.kind == "bool" else ("" if col.kind in ("str", "url") else None)
    try:
        value, note = _parse(col, text)
    except CellError as exc:
        add(col.name, str(exc))
        row["_bad"].add(col.name)
        return None
    if note:
        add(col.name, note, "warning")
        if note.startswith("percent"):
            row["_pct"].add(col.name)
    if col.kind == "float":
        row.setdefault("_decimals", {})[col.name] = decimal_places(text)
    return value


def _parse(col: Column, text: str) -> tuple[Any, str | None]:
    """The value of a non-empty cell of a column's kind (raises CellError)."""
    if col.kind == "float":
        return parse_float(text)
    if col.kind == "int":
        return parse_int(text)
    if col.kind == "year":
        return parse_year(text, YEAR_MIN, YEAR_MAX)
    if col.kind == "date":
        return parse_date(text)
    if col.kind == "bool":
        return parse_bool(text)
    if col.choices:
        return _choice(col, text), None
    return text, None


def _choice(col: Column, text: str) -> str:
    """The allowed value meant by ``text`` (letter case ignored), or CellError listing them."""
    for choice in col.choices:
        if text.casefold() == choice.casefold():
            return choice
    raise CellError(f"'{text}' is not an allowed {col.name}; allowed values: {', '.join(col.choices)}")


def _read_province(table: Table, text: str, row: Row, registry: Registry, add: Add) -> str | None:
    """The slug of the province written in a cell, for the generation the row's figures belong to."""
    text = clean_text(text)
    if not text:
        add("province", "missing province: write its name, slug or old GSO code")
        return None
    new_units = table is INDEX_FIGURES and row.get("rank_of") == 34
    try:
        slug = registry.resolve(text, MERGER_YEAR if new_units else _results_year(row)).slug
    except UnknownProvince as exc:
        add("province", str(exc))
        return None
    except ProvinceMerged as exc:
        prefix = "rank_of is 34 (the units formed on 1 July 2025) but this is one of the 63 old provinces. "
        add("province", (prefix if new_units else "") + str(exc))
        return None
    if table is INDEX_FIGURES and row.get("rank_of") == 63 and registry.get(slug).is_new:
        add(
            "province",
            f"rank_of is 63 but '{text}' is one of the 34 units formed on 1 July 2025 ({slug}); "
            "write the old province, or the rank among 34 units",
        )
    return slug


def _results_year(row: Row) -> int | None:
    """The results year deciding old or new units: the year column, or a document's date."""
    if row.get("year") is not None:
        return row["year"]
    date = row.get("date")
    if isinstance(date, dt.date):
        return MERGER_YEAR if date >= dt.date(MERGER_YEAR, 7, 1) else MERGER_YEAR - 1
    return None


def check_rows(table: Table, rows: list[Row], registry: Registry) -> list[Problem]:
    """Problems between rows of a table (over all its files): duplicate keys, conflicting sources, a rank_of
    that is not the number the year's table ranked."""
    problems = checks.duplicate_keys(table, rows)
    if table is INDEX_FIGURES:
        problems += checks.conflicting_sources(rows) + checks.rank_of_disagreements(rows, registry)
    if table is MEANS:
        problems += checks.conflicting_means(rows)
    if table is PUBLICATION:
        problems += checks.publication_generations(rows)
    return problems


def check_dir(data_dir: Path) -> tuple[dict[str, list[Row]], list[Problem], list[Path]]:
    """Typed rows of every table, every problem, and the files read, for a data folder."""
    data_dir = Path(data_dir)
    if not (data_dir / "provinces.csv").is_file():
        return {}, [Problem("provinces.csv", None, None, f"the province registry is missing from {data_dir}")], []
    _, registry_problems = read_registry_rows(data_dir / "provinces.csv")
    if errors(registry_problems):  # every province would be "unknown": the registry's own problems only
        return {}, registry_problems, []
    registry = load_registry(data_dir)
    rows: dict[str, list[Row]] = {}
    problems: list[Problem] = []
    files: list[Path] = []
    for table in TABLES:
        rows[table.name] = []
        for path in table_files(data_dir, table):
            table_rows, file_problems = check_file(table, path, registry, path.relative_to(data_dir).as_posix())
            rows[table.name] += table_rows
            problems += file_problems
            files.append(path)
        problems += check_rows(table, rows[table.name], registry)
    return rows, registry_problems + problems + stray_files(data_dir, files), files


def stray_files(data_dir: Path, files: list[Path]) -> list[Problem]:
    """Warnings for CSV files in the data folder that no table reads (a misplaced or misnamed file)."""
    read = set(files)
    return [
        Problem(
            p.relative_to(data_dir).as_posix(),
            None,
            None,
            "this CSV file is not read: no table lives at this path",
            "warning",
        )
        for p in sorted(data_dir.rglob("*.csv"))
        if p not in read and p.name not in IGNORED_FILES and not p.name.startswith(".")
    ]


def validate_dir(data_dir: Path | str) -> list[Problem]:
    """Every problem (errors and warnings) in a data folder, sorted by file and row."""
    data_dir = Path(data_dir)
    with folder_lock(data_dir, shared=True) if data_dir.is_dir() else contextlib.nullcontext():
        problems = check_dir(data_dir)[1]
    return sorted(problems, key=lambda p: (p.file, p.row or 0, p.column or "", p.message))


def errors(problems: list[Problem]) -> list[Problem]:
    """The problems that are errors (not warnings)."""
    return [p for p in problems if p.severity == "error"]
