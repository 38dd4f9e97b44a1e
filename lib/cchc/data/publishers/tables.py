"""Province-year fact tables (CSV) of PCI, PAPI or DTI: wide (one column per figure) or long (a
`component` column with `score` and/or `rank`).

First row: a province column (`slug`, `province` or `tinh`: slug, name or GSO code), `year`, then figure
columns, each placed by its name: the index's total (`total`, `score`, `pci_total`, `papi_total`,
`dti_score`), `rank`, or a component (PCI sub-index, PAPI dimension or DTI main index, any spelling);
`note` and `total_kind` describe the row. A column that cannot be placed is an error naming it, and
nothing is imported. The index is told by the columns (or --index). Scores keep the text as written
(the table's own precision). A blank cell is a figure the table does not give: no row. `rank_of` is
the number of provinces the index ranked that year where it is known (``schema.units_ranked``; a table may
list only some of them), else the number the table ranks.

Not published: a row with no total whose note says 'not published' or 'partial' becomes a row with
status 'not published' and the note as reason; a note saying 'do not report' also keeps its
dimension scores out (the publisher excluded the province). Any other row without a total is left
missing, with a warning quoting its note. PAPI totals marked `total_kind` = `sum_of_dimensions` are
derived (the year's data file prints no total) and say so.
"""

from __future__ import annotations

from pathlib import Path

from ...errors import Problem
from ..indices import record
from ..provinces import Registry, fold
from ..schema import NOT_PUBLISHED, units_ranked
from .common import Figure, Options, Reading, source_for
from .grid import Grid, cell_name
from .names import DTI_INDICES, PAPI_DIMENSIONS, exact_component, pci_component, resolve_province

PROVINCE_COLUMNS = ("slug", "province", "tinh", "tinh thanh pho")
TOTAL_COLUMNS = ("total", "score", "pci total", "papi total", "dti score", "pci", "papi", "dti")
META_COLUMNS = ("note", "total kind")


def is_fact_table(grid: Grid) -> bool:
    """True when the first row names a province column and a year column."""
    header = {_plain(v) for v in (grid.rows[0] if grid.rows else []) if v is not None}
    return "year" in header and bool(header & set(PROVINCE_COLUMNS))


def _plain(value: object) -> str:
    """A column name lower-cased, '_' as a space (fold() would drop 'tinh' as a prefix)."""
    return str(value).strip().lower().replace("_", " ")


def _index_of(header: list[str], options: Options) -> str | None:
    """The index a table is about: --index, else told by its column names."""
    if options.index:
        return options.index
    folded = {_plain(h) for h in header}
    if "pci total" in folded or any(pci_component(h) for h in header if _plain(h) not in _generic()):
        if not any(exact_component(h, PAPI_DIMENSIONS) for h in header):
            return "PCI"
    if any(exact_component(h, PAPI_DIMENSIONS) for h in header) or "papi total" in folded:
        return "PAPI"
    if any(exact_component(h, DTI_INDICES) for h in header) or "dti score" in folded:
        return "DTI"
    return None


def _generic() -> set[str]:
    return {*PROVINCE_COLUMNS, "year", "component", "rank", *TOTAL_COLUMNS, *META_COLUMNS}


def _component(index: str, label: str) -> str | None:
    """The component of ``index`` a column (or a long table's component cell) names."""
    if index == "PCI":
        return pci_component(label)
    return exact_component(label, PAPI_DIMENSIONS if index == "PAPI" else DTI_INDICES)


def _unit(index: str, component: str, year: int) -> str:
    """The scale of a figure: PCI total /100, PAPI total /60 until 2017 and /80 after, DTI 0-1, parts /10."""
    if index == "DTI":
        return "index 0-1"
    if component:
        return "points/10"
    if index == "PCI":
        return "points/100"
    return "points/60" if year <= 2017 else "points/80"


def read_fact_table(path: Path, grid: Grid, registry: Registry, options: Options) -> Reading:
    """Rows of the indices table from a long or wide province-year table."""
    header = ["" if v is None else str(v) for v in grid.rows[0]]
    reading = Reading("fact table")
    index = _index_of(header, options)
    if index is None:
        reading.problems.append(
            Problem(
                path.name,
                1,
                None,
                "cannot tell which index this table is about from its columns: give --index PCI, PAPI or DTI",
            )
        )
        return reading
    columns, problems = _place_columns(path, header, index)
    reading.problems += problems
    if problems:
        return reading
    rec = record(index)
    reading.layout = f"{index} fact table ({rec.publisher if rec and rec.publisher else index})"
    records = []
    for r in range(1, len(grid.rows)):
        cells = {role: grid.value(r, c) for c, role in columns.items()}
        if not any(v is not None for v in grid.rows[r]):
            continue
        slug = resolve_province(cells.get(("province",)), registry, _year(cells) or 2020)
        year = _year(cells)
        if slug is None or year is None:
            bad = "province" if slug is None else "year"
            col = next(c for c, role in columns.items() if role == (bad,))
            reading.problems.append(
                Problem(
                    path.name, r + 1, header[col], f"cannot read the {bad} {cells.get((bad,))!r} in {cell_name(r, col)}"
                )
            )
            continue
        records.append((r, slug, year, cells))
    ranked: dict[int, int] = {}
    for _, _, year, cells in records:
        if any(role[0] == "rank" and role[1] == "" and v is not None for role, v in cells.items()):
            ranked[year] = ranked.get(year, 0) + 1
    for r, slug, year, cells in records:
        reading.figures += _row_figures(path, r, slug, year, index, cells, ranked, options, reading.problems)
    return reading


def _year(cells: dict) -> int | None:
    value = cells.get(("year",))
    try:
        return int(float(value)) if value is not None else None
    except ValueError:
        return None


def _place_columns(path: Path, header: list[str], index: str) -> tuple[dict[int, tuple], list[Problem]]:
    """Each column's role: ('province',), ('year',), ('score'|'rank', component), ('meta', name), or for a
    long table ('component',); an error for a column that cannot be placed."""
    columns: dict[int, tuple] = {}
    problems = []
    for c, name in enumerate(header):
        plain = _plain(name)
        if not plain:
            continue
        if plain in PROVINCE_COLUMNS or fold(name) in PROVINCE_COLUMNS:
            columns[c] = ("province",)
        elif plain == "year":
            columns[c] = ("year",)
        elif plain == "component":
            columns[c] = ("component",)
        elif plain == "rank":
            columns[c] = ("rank", "")
        elif plain in TOTAL_COLUMNS:
            columns[c] = ("score", "")
        elif plain in META_COLUMNS:
            columns[c] = ("meta", plain)
        elif _component(index, name):
            columns[c] = ("score", _component(index, name))
        else:
            problems.append(
                Problem(
                    path.name,
                    1,
                    name,
                    f"cannot place column {cell_name(0, c)[:-1]} ('{name}'): "
                    f"not a province, year, total, rank or {index} component the suite knows",
                )
            )
    return columns, problems


def _text(value: object) -> str:
    """A cell as the text written in the table (CSV cells are text already)."""
    if isinstance(value, float):
        return format(value, ".15g")
    return "" if value is None else str(value)


def _row_figures(
    path: Path,
    r: int,
    slug: str,
    year: int,
    index: str,
    cells: dict,
    ranked: dict[int, int],
    options: Options,
    problems: list[Problem],
) -> list[Figure]:
    """The figures of one table row (several for a wide table)."""
    where, source = path.name, source_for(index, year, options, path.name)
    note = _text(cells.get(("meta", "note"))).strip()
    long_component = cells.get(("component",))
    if ("component",) in cells and long_component is not None:
        component = _component(index, str(long_component))
        if component is None:
            problems.append(
                Problem(where, r + 1, "component", f"'{long_component}' is not a {index} component the suite knows")
            )
            return []
        cells = {((role[0], component) if role[0] in ("score", "rank") else role): v for role, v in cells.items()}
    base = {"index": index, "year": str(year), "province": slug, "source": source}
    scores = {role[1]: v for role, v in cells.items() if role[0] == "score" and v is not None}
    ranks = {role[1]: v for role, v in cells.items() if role[0] == "rank" and v is not None}
    has_total = "" in scores or "" in ranks
    figures = []
    if not has_total and note:
        lowered = note.lower()
        if lowered.startswith(("not published", "partial")) or "do not report" in lowered:
            figures.append(Figure(where, r + 1, base | {"component": "", "status": NOT_PUBLISHED, "note": note}))
            if "do not report" in lowered:
                if scores:
                    problems.append(
                        Problem(
                            where,
                            r + 1,
                            None,
                            f"{slug} {year}: {len(scores)} score(s) not imported (the note says: {note})",
                            "warning",
                        )
                    )
                return figures
        else:
            problems.append(
                Problem(where, r + 1, None, f"{slug} {year}: no total, left missing (the note says: {note})", "warning")
            )
    derived = fold(_text(cells.get(("meta", "total kind")))) == "sum of dimensions"
    for component in sorted(set(scores) | set(ranks), key=lambda c: (c != "", c)):
        cells_out = base | {"component": component}
        if component in scores:
            cells_out |= {"score": _text(scores[component]), "unit": _unit(index, component, year)}
        if component in ranks:
            of = units_ranked(index, year, 34 if slug.endswith("-2025") else 63) or ranked.get(year)
            cells_out |= {"rank": _text(ranks[component]), "rank_of": "" if of is None else str(of)}
        if component == "" and derived:
            dims = 6 if year <= 2017 else 8
            cells_out |= {
                "derived": "yes",
                "note": f"derived: sum of the {dims} dimension scores (the {year} data file prints no total)",
            }
        figures.append(Figure(where, r + 1, cells_out))
    return figures
