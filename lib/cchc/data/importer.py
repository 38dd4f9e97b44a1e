"""Excel in, CSV out: templates for analysts, and checked imports into the canonical CSV files.

An import reads the first sheet, checks the new rows together with the existing file(s) of the table,
and only when there is no error appends them, atomically, to the CSV file the rows belong to.

Sheet layout (decided for files laid out like ministries' tables, see data/README.md "Importing from
Excel"): the header is the first of the first ten rows that names every required column of a table, so
title rows above it are skipped, with a warning naming the header row; merged cells in the header row
or below it are an error naming the sheet and the cells, and so is a value in a column without a name
(either would lose values silently). Formula cells give the value Excel saved (none saved: an error).

The ranks of each table the file holds must follow its scores (checks.ranks_against_scores). A formula that
reaches outside the workbook (a DDE or external link, WEBSERVICE …) is an error naming its cell, and so is text a
spreadsheet would run as a formula (checks.formula_texts): neither is ever stored.
A failed import leaves data/ byte-for-byte unchanged; the .xlsx is only read.
New rows are written canonically: UTF-8, '\\n', the existing header's column order (schema order for
a new file), decimal point, province as slug, dates YYYY-MM-DD, yes/empty for booleans.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import BadInput, CantWrite, CchcError, Problem, UsageError
from ..files import JOURNAL, folder_lock, write_all_atomic, write_atomic
from .checks import formula_texts, places, ranks_against_scores, same_figure
from .csvfile import check_header, read_records
from .importplan import POLICIES, Plan, plan_import
from .provinces import load_registry
from .publishers import Options, Reading, read_publication
from .schema import INDEX_FIGURES, MEANS, TABLES, TABLES_BY_NAME, TARGETS, Table, late_columns
from .validate import Row, check_file, check_rows, errors, parse_record, table_files
from .xlsxcells import GUIDE_SHEET, check_archive, data_sheet, names_table, read_sheet, template_workbook


@dataclass
class ImportResult:
    """What an import did (or, with dry_run, would do): rows added per file (relative to the data folder),
    the warnings, what the file is (layout), and for index rows the plan (unchanged, merged, flagged)."""

    table: str
    added: dict[str, int] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    layout: str = "template"
    plan: Plan | None = None
    edited: dict[str, int] = field(default_factory=dict)  # existing rows changed (filled cells, use moved)
    dry_run: bool = False


def write_template(table: Table | str, path: Path | str) -> Path:
    """Write an .xlsx template for a table: its columns, and a sheet 'Hướng dẫn' explaining them."""
    table = _table(table)
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise UsageError(f"a template is an .xlsx file, not '{path.name}'")
    workbook = template_workbook(table)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # e.g. a file where the folder should be: the user's to fix (exit 73)
        raise CantWrite(f"cannot write {path}: cannot make the folder {path.parent} ({exc.strerror or exc})") from None
    buffer = io.BytesIO()
    workbook.save(buffer)
    write_atomic(path, buffer.getvalue())
    return path


def import_xlsx(xlsx: Path | str, table: Table | str | None = None, data_dir: Path | str | None = None) -> ImportResult:
    """Check the first sheet's rows with the existing data and append them; raise BadInput on any error."""
    return import_file(xlsx, table, data_dir)


def import_file(
    path: Path | str,
    table: Table | str | None = None,
    data_dir: Path | str | None = None,
    *,
    source: str | None = None,
    year: int | None = None,
    index: str | None = None,
    prefer: str | None = None,
    dry_run: bool = False,
    include_hidden: bool = False,
) -> ImportResult:
    """Import a filled template (.xlsx) or a publisher's own file (PCI/PAPI workbook .xls/.xlsx, fact
    table .csv): check its rows with the existing data and, only when there is no error, write them
    (unless ``dry_run``). ``source``, ``year`` and ``index`` describe a publisher's file as a whole;
    ``prefer`` ('publisher' or 'existing') settles disagreements for the whole file (see importplan);
    ``include_hidden`` reads hidden rows and columns holding values (with a warning naming them) instead of
    refusing the file."""
    from .. import config

    path, data_dir = Path(path), Path(data_dir) if data_dir is not None else config.data_dir()
    if not (data_dir / "provinces.csv").is_file():
        raise UsageError(f"not a data folder (no provinces.csv): {data_dir}")
    if not path.is_file():
        raise CchcError(f"file not found: {path}")
    if prefer is not None and prefer not in POLICIES:
        raise UsageError(f"--prefer is one of {', '.join(POLICIES)}, not '{prefer}'")
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".xlsm", ".xls", ".csv", ".txt", ".tsv"):
        raise UsageError(
            f"'{path.name}' is not an Excel workbook (.xlsx, .xls), a CSV table or a text table (.txt, .tsv)"
        )
    if suffix in (".xlsx", ".xlsm"):
        check_archive(path)  # every part bounded before any is read
    reading, means = None, list[Row]()
    if suffix in (".xlsx", ".xlsm") and not table and data_sheet(path) is None:
        reading = read_publication(path, load_registry(data_dir), Options(source, year, index, include_hidden))
    csv_template = _csv_template(path, table) if suffix == ".csv" else None
    if csv_template is not None:  # the template saved as CSV
        header, records, problems = csv_template
        table = _table(table) if table else guess_table(header, path.name)
        new_rows, new_problems = _parse_new(table, header, records, path.name, data_dir)
        layout = "template"
    elif suffix in (".xlsx", ".xlsm") and (reading is None or not reading.recognised):
        table = _table(table) if table else None
        header, records, problems = read_sheet(path, include_hidden, table)  # a template (or an unknown sheet)
        table = table or guess_table(header, path.name)
        new_rows, new_problems = _parse_new(table, header, records, path.name, data_dir)
        layout = "template"
    else:
        table = INDEX_FIGURES
        new_rows, new_problems, layout, means = _read_publication(
            path, data_dir, Options(source, year, index, include_hidden), reading
        )
        problems = []
    with folder_lock(data_dir, waiting=f"another import is writing into {data_dir}; waiting for it to finish…"):
        return _check_and_write(
            table, new_rows, problems + new_problems, path, data_dir, layout, prefer, dry_run, means
        )


def _check_and_write(
    table: Table,
    new_rows: list[Row],
    problems: list[Problem],
    path: Path,
    data_dir: Path,
    layout: str,
    prefer: str | None,
    dry_run: bool,
    means: list[Row] | None = None,
) -> ImportResult:
    """Under the data folder's lock: plan the new rows against the existing ones, check, then write
    (``means``: rows of means.csv a publisher's file gives beside its index rows)."""
    old_rows, old_problems = _existing(table, data_dir)
    problems += old_problems
    if table is INDEX_FIGURES:  # the file's own national tables: their ranks follow their scores
        problems += ranks_against_scores(new_rows)
    problems += formula_texts(table, new_rows) + formula_texts(MEANS, means or [])
    means_added = _new_means(means or [], data_dir, problems)
    if not new_rows and not means_added and not errors(problems):
        problems.append(Problem(path.name, 2, None, "the file has no rows to import"))
    plan = None
    if table is INDEX_FIGURES and not errors(problems):
        plan = plan_import(new_rows, old_rows, prefer)
        problems += plan.problems
        new_rows = plan.added
    problems += check_rows(table, old_rows + new_rows, load_registry(data_dir))
    groups = _by_destination(table, new_rows)
    edited = _edited_files(plan, data_dir)
    contents = {
        rel: rewritten(table, data_dir / rel, groups.get(rel, []), edited.get(rel, {}))
        for rel in sorted(set(groups) | set(edited))
    }
    problems += [p for rel, rows in groups.items() for p in _lost_columns(data_dir / rel, rows, table)]
    if means_added:
        contents[MEANS.path] = appended(MEANS, data_dir / MEANS.path, means_added)
        groups[MEANS.path] = means_added
    if errors(problems):
        raise BadInput(problems)
    if not dry_run:
        write_all_atomic({data_dir / rel: data for rel, data in contents.items()}, journal=data_dir / JOURNAL)
    return ImportResult(
        table.name,
        {rel: len(rows) for rel, rows in groups.items()},
        [p for p in problems if p.severity == "warning"],
        layout,
        plan,
        {rel: len(cells) for rel, cells in edited.items()},
        dry_run,
    )


def _new_means(means: list[Row], data_dir: Path, problems: list[Problem]) -> list[Row]:
    """The means not yet in means.csv (one mean a key: index, year, scope, component). The same figure
    already there is left unchanged; another figure for a key already there is not written, with a warning
    naming both (means.csv keeps one row a key)."""
    if not means:
        return []
    old_rows, old_problems = _existing(MEANS, data_dir)
    problems += old_problems
    have = {tuple(r[c] for c in MEANS.key): r for r in old_rows}
    added = []
    for row in means:
        key = tuple(row[c] for c in MEANS.key)
        old = have.get(key)
        if old is None:
            have[key] = row
            added.append(row)
        elif (
            row["score"] is not None
            and old["score"] is not None
            and not same_figure(row["score"], old["score"], places(row), places(old))
        ):
            problems.append(
                Problem(
                    row["file"],
                    row["row"],
                    "score",
                    f"{' '.join(map(str, key)).strip()}: this file "
                    f"gives {row['score']:g} ({row['source']}); means.csv keeps {old['score']:g} "
                    f"({old['source']}) — not written (one mean a key)",
                    "warning",
                )
            )
    problems += check_rows(MEANS, old_rows + added, load_registry(data_dir))
    return added


def _csv_template(
    path: Path, table: Table | str | None
) -> tuple[list[str], list[tuple[int, list[str]]], list[Problem]] | None:
    """Header, records and problems of a CSV file read as a filled template: when ``table`` is given, or when its
    first row names every required column of a table (the template saved as CSV); else None (a publisher's
    table)."""
    header, records, problems = read_records(path, path.name)
    if header is None:
        if table:
            raise BadInput(problems)
        return None
    if not table and not any(names_table(t, header) for t in TABLES):
        return None
    return header, records, problems


def _read_publication(
    path: Path, data_dir: Path, options: Options, reading: Reading | None = None
) -> tuple[list[Row], list[Problem], str, list[Row]]:
    """A publisher's file read into typed index rows (checked like CSV rows), its problems, layout and the
    rows of means.csv it gives (press facts)."""
    registry = load_registry(data_dir)
    reading = reading or read_publication(path, registry, options)
    if errors(reading.problems):
        raise BadInput(reading.problems)
    where = {name: i for i, name in enumerate(INDEX_FIGURES.column_names)}
    rows, problems = [], list(reading.problems)
    for figure in reading.figures:
        cells = [figure.cells.get(name, "") for name in INDEX_FIGURES.column_names]
        row, row_problems = parse_record(INDEX_FIGURES, where, cells, figure.row, figure.where, registry)
        rows.append(row)
        problems += row_problems
    where = {name: i for i, name in enumerate(MEANS.column_names)}
    means = []
    for figure in reading.means:
        cells = [figure.cells.get(name, "") for name in MEANS.column_names]
        row, row_problems = parse_record(MEANS, where, cells, figure.row, figure.where, registry)
        means.append(row)
        problems += row_problems
    return rows, problems, reading.layout, means


def _edited_files(plan: Plan | None, data_dir: Path) -> dict[str, dict[int, dict[str, Any]]]:
    """The plan's changes to existing rows, by file (relative to data/) and row number."""
    edited: dict[str, dict[int, dict[str, Any]]] = {}
    for (rel, row), cells in plan.edits.items() if plan else ():
        edited.setdefault(rel, {})[row] = cells
    return edited


def rewritten(table: Table, path: Path, rows: list[Row], edits: dict[int, dict[str, Any]]) -> bytes:
    """The bytes of a CSV file with rows appended and cells of existing rows changed (``edits``: spreadsheet
    row -> column -> value). A column of LATE_COLUMNS that the new rows fill and the header lacks is added
    at the header's end (older rows simply have no cell there).
    Only a file that reads back to the same bytes is rewritten whole (else CantWrite: nothing is lost)."""
    header = existing_header(path)
    extra = [
        c
        for c in late_columns(table.name)
        if header and c in table.column_names and c not in header and any(format_cell(r.get(c)) for r in rows)
    ]
    if not edits and not extra:
        return appended(table, path, rows)
    old = path.read_text(encoding="utf-8")
    records = list(csv.reader(io.StringIO(old, newline="")))
    if _csv_text(records) != old:
        raise CantWrite(
            f"{path.name} is not written the way the suite writes CSV (quoting or line ends): save it "
            "again as 'CSV UTF-8' before importing figures that change its existing rows"
        )
    records[0] = records[0] + extra
    columns = [c.strip() for c in records[0]]
    for number, cells in edits.items():
        record = records[number - 1]
        record += [""] * (len(columns) - len(record))
        for name, value in cells.items():
            record[columns.index(name)] = format_cell(value)
    records += [[row_cell(row, name) for name in columns] for row in rows]
    return _csv_text(records).encode("utf-8")


def _csv_text(records: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(records)
    return buffer.getvalue()


def guess_table(header: list[str], name: str = "the sheet") -> Table:
    """The table whose columns the header names (all its required ones, the most in common)."""
    named = {t.name: {t.column_for(h) for h in header} - {None} for t in TABLES}
    fits = [t for t in TABLES if all(c.name in named[t.name] for c in t.columns if c.required)]
    fits.sort(key=lambda t: len(named[t.name]), reverse=True)
    if not fits or (len(fits) > 1 and len(named[fits[0].name]) == len(named[fits[1].name])):
        raise UsageError(
            f"cannot tell which table the header of {name} is for ({', '.join(header) or 'empty'}); "
            f"give --table, one of {', '.join(TABLES_BY_NAME)}, or start from `cchc template`. "
            "(Nor is it a publisher's file the suite knows: a VCCI PCI or PAPI data workbook.)"
        )
    return fits[0]


def _table(table: Table | str) -> Table:
    """The Table named ``table`` (UsageError listing the tables if none)."""
    if isinstance(table, Table):
        return table
    if table not in TABLES_BY_NAME:
        raise UsageError(f"unknown table '{table}'; tables: {', '.join(TABLES_BY_NAME)}")
    return TABLES_BY_NAME[table]


def _parse_new(
    table: Table, header: list[str], records: list[tuple[int, list[str]]], name: str, data_dir: Path
) -> tuple[list[Row], list[Problem]]:
    """The sheet's rows read and checked like the rows of a CSV file."""
    registry = load_registry(data_dir)
    where, problems = check_header(table, header, name)
    rows = []
    for number, cells in records:
        row, row_problems = parse_record(table, where, cells, number, name, registry)
        rows.append(row)
        problems += row_problems
    return rows, problems


def _existing(table: Table, data_dir: Path) -> tuple[list[Row], list[Problem]]:
    """The rows already in the table's files, and their problems."""
    registry = load_registry(data_dir)
    rows, problems = [], []
    for path in table_files(data_dir, table):
        file_rows, file_problems = check_file(table, path, registry, path.relative_to(data_dir).as_posix())
        rows += file_rows
        problems += file_problems
    return rows, problems


def destination(table: Table, row: Row) -> str:
    """The CSV file (relative to data/) a row belongs in: indices/<index>.csv, targets/<slug>.csv, ..."""
    if table is INDEX_FIGURES:
        return f"indices/{row['index'].lower()}.csv"
    if table is TARGETS:
        return f"targets/{row['province']}.csv"
    return table.path


def _by_destination(table: Table, rows: list[Row]) -> dict[str, list[Row]]:
    """Rows grouped by the file they go to, in sheet order."""
    groups: dict[str, list[Row]] = {}
    for row in rows:
        groups.setdefault(destination(table, row), []).append(row)
    return groups


def appended(table: Table, path: Path, rows: list[Row]) -> bytes:
    """The bytes of a CSV file with rows appended (a new file gets the schema header)."""
    old = path.read_bytes() if path.exists() else b""
    header = existing_header(path) or table.column_names
    newline = "\r\n" if old.split(b"\n", 1)[0].endswith(b"\r") else "\n"
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=newline)
    if not old.strip():
        old = b""
        writer.writerow(header)
    elif not old.endswith(b"\n"):
        buffer.write(newline)
    for row in rows:
        writer.writerow([row_cell(row, name) for name in header])
    return old + buffer.getvalue().encode("utf-8")


def existing_header(path: Path) -> list[str]:
    """The column names in the first row of an existing CSV file ([] when there is none)."""
    if not path.exists():
        return []
    with open(path, encoding="utf-8-sig", newline="") as f:
        return [name.strip() for name in next(csv.reader(f), [])]


def _lost_columns(path: Path, rows: list[Row], table: Table) -> list[Problem]:
    """Errors for values that the existing file has no column for (they would be lost)."""
    header = existing_header(path)
    if not header:
        return []
    rel = path.name
    return [
        Problem(
            row["file"],
            row["row"],
            name,
            f"{rel} has no column '{name}' for this value: add the column to the file's header first",
        )
        for row in rows
        for name in table.column_names
        if name not in header and name not in late_columns(table.name) and format_cell(row.get(name))
    ]


def row_cell(row: Row, name: str) -> str:
    """A cell of a new row as canonical CSV text; a decimal keeps the decimals it was written with."""
    value, places = row.get(name), row.get("_decimals", {}).get(name)
    if isinstance(value, float) and places is not None:
        return f"{value:.{places}f}"
    return format_cell(value)


def format_cell(value: Any) -> str:
    """A typed value as canonical CSV text: decimal point, ISO dates, yes/empty, '' for missing."""
    if value is None or value is False:
        return ""
    if value is True:
        return "yes"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else format(value, ".15g")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


__all__ = [
    "GUIDE_SHEET",
    "ImportResult",
    "write_template",
    "import_xlsx",
    "import_file",
    "guess_table",
    "destination",
    "appended",
    "rewritten",
    "format_cell",
]
