"""The PAPI data workbook (one sheet per year, 'YYYY_PAPI'): dimension scores and the unweighted total.

Each sheet has two header rows (English, then Vietnamese) and a column 'tinhid' holding the GSO
province code (the province names beside it are checked against the code). Columns are placed by the
Vietnamese dimension names; the total is the column labelled 'Chỉ số PAPI (không có trọng số)'. Other
columns are the indicators behind the dimensions and are not imported. Code 999 ('Điểm cao nhất') is
not a province. A province whose scores are all empty and whose total is 0 was not published that
year: it becomes a row with status 'not published' (never a 0). Scores keep 5 decimals (the note
keeps the stored value's cell). Totals are out of 60 with 6 dimensions, out of 80 with 8.
"""

from __future__ import annotations

import re
from pathlib import Path

from ...errors import Problem
from ..provinces import Registry, fold
from ..schema import NOT_PUBLISHED
from .common import Figure, Options, Reading, decimal_text, source_for
from .grid import Grid, cell_name
from .names import PAPI_DIMENSIONS, exact_component, resolve_province

HEADER_ROWS = 2
PLACES = 5  # the data file holds float32 values: 5 decimals keep every digit that means something


def is_papi_workbook(grids: list[Grid]) -> bool:
    """True when some sheet's first row names the column 'tinhid' (the PAPI data files)."""
    return any(_plain(v) == "tinhid" for g in grids for v in (g.rows[0] if g.rows else []))


def _plain(value: object) -> str:
    """A header cell lower-cased and stripped (fold() would take 'tinh' in 'tinhid' for a prefix)."""
    return str(value).strip().lower()


def read_papi_workbook(path: Path, grids: list[Grid], registry: Registry, options: Options) -> Reading:
    """Rows of the indices table from every year sheet of a PAPI data workbook."""
    reading = Reading("PAPI data workbook")
    years = []
    for grid in grids:
        match = re.fullmatch(r"(\d{4})_PAPI", grid.title.strip(), re.IGNORECASE)
        if not match:
            reading.problems.append(
                Problem(
                    path.name,
                    None,
                    None,
                    f"sheet '{grid.title}' is not a year sheet ('YYYY_PAPI'): not read",
                    "warning",
                )
            )
            continue
        year = int(match.group(1))
        if options.year and year != options.year:
            continue
        years.append(year)
        reading.figures += _read_sheet(path, grid, year, registry, options, reading.problems)
    if not years:
        reading.problems.append(Problem(path.name, None, None, "no sheet named 'YYYY_PAPI' to read"))
    reading.layout = f"PAPI data workbook {min(years, default=0)}-{max(years, default=0)}"
    return reading


def _read_sheet(
    path: Path, grid: Grid, year: int, registry: Registry, options: Options, problems: list[Problem]
) -> list[Figure]:
    """One year's rows; an error naming sheet and column when a dimension or the total is missing."""
    where = f"{path.name}, sheet '{grid.title}'"
    header = grid.rows[HEADER_ROWS - 1] if len(grid.rows) >= HEADER_ROWS else []
    first = grid.rows[0]
    code_col = next((c for c, v in enumerate(first) if _plain(v) == "tinhid"), None)
    name_cols = [c for c, v in enumerate(first) if _plain(v).startswith("tentinh")]
    dims = {
        c: d for c, v in enumerate(header) if v is not None for d in [exact_component(str(v), PAPI_DIMENSIONS)] if d
    }
    totals = [
        c
        for c, v in enumerate(header)
        if v is not None and "chi so papi" in fold(str(v)) and "khong co trong so" in fold(str(v))
    ]
    missing = [d for d in PAPI_DIMENSIONS[:6] if d not in dims.values()]
    if code_col is None or missing or len(totals) != 1:
        what = (
            "no column 'tinhid' (GSO code)"
            if code_col is None
            else f"no column for {', '.join(missing)}"
            if missing
            else "no column (or more than one) labelled 'Chỉ số PAPI (không có trọng số)'"
        )
        problems.append(
            Problem(where, HEADER_ROWS, None, f"cannot place the PAPI figures: {what} in row {HEADER_ROWS}")
        )
        return []
    total_col = totals[0]
    unit = "points/60" if len(dims) == 6 else "points/80"
    source = source_for("PAPI", year, options, path.name)
    figures = []
    for r in range(HEADER_ROWS, len(grid.rows)):
        code = grid.value(r, code_col)
        if code is None or (isinstance(code, (int, float)) and int(code) == 999):
            continue  # empty row, or the 'highest score' row
        slug = resolve_province(code, registry, year)
        names = [grid.value(r, c) for c in name_cols if grid.value(r, c)]
        if slug is None or any(resolve_province(n, registry, year) not in (slug, None) for n in names):
            problems.append(
                Problem(
                    where,
                    r + 1,
                    cell_name(r, code_col),
                    f"GSO code {code!r} "
                    f"({', '.join(map(str, names)) or 'no name'}) is not a province the suite knows "
                    "or does not match the name beside it",
                )
            )
            continue

        base = {"index": "PAPI", "year": str(year), "province": slug, "source": source}
        scores = {c: grid.value(r, c) for c in [*dims, total_col]}
        if any(v is not None and not isinstance(v, (int, float)) for v in scores.values()):
            bad = next(c for c, v in scores.items() if v is not None and not isinstance(v, (int, float)))
            problems.append(Problem(where, r + 1, cell_name(r, bad), f"'{scores[bad]}' is not a number"))
            continue
        if all(scores[c] is None for c in dims) and scores[total_col] in (0, None):
            figures.append(
                _figure(
                    where,
                    grid,
                    r,
                    base,
                    "",
                    total_col,
                    unit,
                    status=NOT_PUBLISHED,
                    note=f"no scores in the PAPI {year} data file (sheet '{grid.title}' row {r + 1}: "
                    f"dimensions empty, total printed as {scores[total_col]!r})",
                )
            )
            continue
        figures += [_figure(where, grid, r, base, dims[c], c, "points/10") for c in dims if scores[c] is not None]
        if scores[total_col] is not None:
            figures.append(_figure(where, grid, r, base, "", total_col, unit))
    return figures


def _figure(
    where: str, grid: Grid, r: int, base: dict[str, str], component: str, col: int, unit: str, **extra: str
) -> Figure:
    """One row: a score read from a cell, or (with status in ``extra``) a figure not published."""
    cells = base | {"component": component, **extra}
    if "status" not in extra:
        value = grid.value(r, col)
        cells |= {
            "score": decimal_text(float(value), PLACES),
            "unit": unit,
            "note": f"sheet '{grid.title}' {cell_name(r, col)} = {value:.10g}, {PLACES} decimals; "
            f"{'unweighted total' if not component else 'dimension'}",
        }
    return Figure(where, r + 1, cells)
