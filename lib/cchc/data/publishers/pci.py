"""VCCI's PCI data workbooks (2005-2016 and later years laid out the same way): the summary sheet(s).

The summary sheet is found by its content, not its position: a sheet with a column of province names
and a column labelled as the weighted PCI total. Every other column is placed by its header label
(Vietnamese or English, any spelling): a sub-index, the rank, the tier (nhóm xếp hạng), or a column
known to be left out (unweighted total, traditional conditions, region, PCI code); a numeric column
that cannot be placed is an error naming sheet, row and column, and nothing is imported.

Ranked-list trap: in several years each value column is its own list, sorted separately, with the
province names in the column immediately to its left. So every value is read against the nearest
name column to its left (a rank column without one, against the nearest to its right).

Ranks are VCCI's own rank column; where a year has none, the position in VCCI's list sorted by the
total (checked to be sorted). Scores are rounded to the 2 decimals VCCI publishes; the note keeps the
stored value and its cell. Hà Tây (2005-2008) has no slug: it is skipped, but counted in rank_of, the number
VCCI ranked that year (schema.units_ranked; the provinces of the total's list for a year not known there).
A sheet whose total is labelled with another year (2014-2016 carry a stale English 'PCI 2013' sheet)
is skipped with a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ...errors import Problem
from ..provinces import Registry, fold
from ..schema import units_ranked
from .common import Figure, Options, Reading, decimal_text, file_year, raw_text, source_for
from .grid import Grid, cell_name
from .names import HA_TAY, pci_component, resolve_province

LEFT_OUT = (
    "chua co trong so",
    "unweighted",
    "dieu kien truyen thong",
    "muc do phat trien",
    "co so ha tang",
    "khoang cach toi thi truong",
    "ma pci",
    "vung",
    "region",
)


def classify(label: str) -> tuple[str, str | None]:
    """What a summary-sheet column holds, from its header label: (kind, component)."""
    folded = fold(label)
    if not folded:
        return "blank", None
    if any(word in folded for word in LEFT_OUT[:2]):
        return "left out", None
    if "nhom xep hang" in folded or re.search(r"\btier\b", folded):
        return "tier", None
    if re.search(r"\b(xep hang|thu hang|ranking|rank)\b", folded):
        return "rank", None
    if re.fullmatch(r"(thu tu|stt|no)", folded):
        return "position", None
    component = pci_component(label)
    if component:
        return "component", component
    if (
        "co trong so" in folded
        or "weighted" in folded
        or "cuoi cung" in folded
        or re.fullmatch(r"(chi so )?pci( \d{4})?", folded)
    ):
        return "total", None
    if any(word in folded for word in LEFT_OUT[2:]):
        return "left out", None
    return "unknown", None


@dataclass
class Summary:
    """One summary sheet read: values by (slug, component) ('' = total), ranks, tiers and counts."""

    grid: Grid
    values: dict[tuple[str, str], tuple[float, str, int]] = field(default_factory=dict)  # -> value, cell, row
    ranks: dict[str, tuple[int, str]] = field(default_factory=dict)
    tiers: dict[str, str] = field(default_factory=dict)
    ranked: int = 0  # provinces in the total's list, Hà Tây included
    label_year: int | None = None  # the year in the total's label ('PCI 2015')
    ha_tay: bool = False
    rank_by_position: bool = False


def read_pci_workbook(path: Path, grids: list[Grid], registry: Registry, options: Options) -> Reading:
    """Rows of the indices table from a VCCI PCI workbook (see the module docstring)."""
    reading = Reading("VCCI PCI workbook")
    year = file_year(path, options)
    summaries = []
    for grid in grids:
        summary = _read_summary(path, grid, registry, year, reading.problems)
        if summary is not None:
            summaries.append(summary)
            year = year or summary.label_year
    if not summaries and not any(p.severity == "error" for p in reading.problems):
        looked = ", ".join(f"'{g.title}'" for g in grids)
        reading.recognised = False
        reading.problems.append(
            Problem(
                path.name,
                None,
                None,
                f"no sheet of this workbook is a PCI summary table "
                f"(a column of province names and a column labelled as the weighted PCI "
                f"total); sheets looked at: {looked}",
            )
        )
    if not summaries or any(p.severity == "error" for p in reading.problems):
        return reading
    if year is None:
        reading.problems.append(
            Problem(
                path.name,
                None,
                None,
                "cannot tell the results year of this workbook (not in its name nor in the total's label): give --year",
            )
        )
        return reading
    reading.layout = f"VCCI PCI workbook {year}"
    source = source_for("PCI", year, options, path.name)
    reading.figures = _figures(path, summaries, year, source, reading.problems)
    return reading


def _read_summary(
    path: Path, grid: Grid, registry: Registry, year: int | None, problems: list[Problem]
) -> Summary | None:
    """A summary sheet's values, or None when the sheet is not one (or is labelled with another year)."""
    resolve_year = year or 2010
    names = _name_columns(grid, registry, resolve_year)
    if not names:
        return None
    first = min(
        r
        for r, row in enumerate(grid.rows)
        for c in names
        if resolve_province(grid.value(r, c), registry, resolve_year)
    )
    width = max(len(row) for row in grid.rows)
    labels = {
        c: " ".join(str(grid.value(r, c)) for r in range(first) if isinstance(grid.value(r, c), str))
        for c in range(width)
    }
    kinds = {c: classify(labels[c]) for c in range(width) if c not in names}
    totals = [c for c, (kind, _) in kinds.items() if kind == "total"]
    if not totals:
        return None
    where = f"{path.name}, sheet '{grid.title}'"
    label_years = {int(y) for c in totals for y in re.findall(r"(?<!\d)(20\d\d)(?!\d)", labels[c])}
    if year and label_years and year not in label_years:
        problems.append(
            Problem(
                path.name,
                first,
                None,
                f"sheet '{grid.title}' is labelled PCI {', '.join(map(str, sorted(label_years)))}, not {year}: skipped",
                "warning",
            )
        )
        return None
    summary = Summary(grid, label_year=next(iter(label_years)) if len(label_years) == 1 else None)
    end = next((r for r in range(first, len(grid.rows)) if not grid.rows[r]), len(grid.rows))
    rows = range(first, end)  # the table ends at its first empty row (a look-up block may follow)
    placed: dict[int, tuple[str, str | None]] = {}
    for c, (kind, component) in kinds.items():
        numeric = sum(isinstance(grid.value(r, c), (int, float)) for r in rows)
        if kind == "blank" and numeric and _is_position(grid, c, rows):
            kind = "position"
        if kind in ("unknown", "blank") and numeric >= 3:
            problems.append(
                Problem(
                    where,
                    first,
                    cell_name(first - 1 if first else 0, c)[:-1] or None,
                    f"column {cell_name(0, c)[:-1]} ('{labels[c] or 'no label'}') holds numbers "
                    "but its label names no PCI sub-index, total, rank or tier: cannot place it",
                )
            )
        elif kind in ("total", "rank", "tier", "component", "position"):
            placed[c] = (kind, component)
    if len(totals) > 1:
        problems.append(
            Problem(
                where,
                first,
                None,
                "more than one column is labelled as the weighted PCI total: "
                + ", ".join(f"{cell_name(0, c)[:-1]} ('{labels[c]}')" for c in totals),
            )
        )
    if any(p.severity == "error" for p in problems):
        return None
    total_names = _name_column_for(totals[0], names, "total")
    for c, (kind, component) in sorted(placed.items(), key=lambda item: item[1][0] == "position"):
        # a position numbers the rows: it ranks the total's list, read last (once the totals are known)
        name_col = total_names if kind == "position" else _name_column_for(c, names, kind)
        if name_col is None:
            continue
        _read_column(where, grid, registry, resolve_year, rows, name_col, c, kind, component or "", summary, problems)
    _check_lists(where, summary, first, problems)
    return summary


def _name_columns(grid: Grid, registry: Registry, year: int) -> list[int]:
    """Columns whose text cells are mostly province names (at least three)."""
    width = max((len(row) for row in grid.rows), default=0)
    found = []
    for c in range(width):
        texts = [grid.value(r, c) for r in range(len(grid.rows)) if isinstance(grid.value(r, c), str)]
        hits = sum(resolve_province(t, registry, year) is not None for t in texts)
        if hits >= 3 and hits >= 0.6 * len(texts):
            found.append(c)
    return found


def _name_column_for(col: int, names: list[int], kind: str) -> int | None:
    """The province-name column a value column is read against: nearest to its left (a rank or position
    column with none on its left: nearest to its right)."""
    left = [n for n in names if n < col]
    if left:
        return left[-1]
    right = [n for n in names if n > col]
    return right[0] if right and kind in ("rank", "position") else None


def _is_position(grid: Grid, col: int, rows: range) -> bool:
    """True for an unlabelled column numbering the rows 1, 2, 3 …"""
    numbers = [grid.value(r, col) for r in rows if isinstance(grid.value(r, col), (int, float))]
    return bool(numbers) and numbers == list(range(1, len(numbers) + 1))


def _read_column(
    where: str,
    grid: Grid,
    registry: Registry,
    year: int,
    rows: range,
    name_col: int,
    col: int,
    kind: str,
    component: str,
    summary: Summary,
    problems: list[Problem],
) -> None:
    """The (province, value) pairs of one column, read against its own name column."""
    seen: set[str] = set()
    positions: dict[str, tuple[int, str]] = {}
    for r in rows:
        name, value = grid.value(r, name_col), grid.value(r, col)
        slug = resolve_province(name, registry, year)
        if slug is None:
            if isinstance(name, str) and value is not None and fold(name) and kind != "position":
                if not _statistic(name):
                    problems.append(
                        Problem(
                            where,
                            r + 1,
                            cell_name(r, name_col),
                            f"'{name}' is not a province the suite knows: cannot place the "
                            f"value in {cell_name(r, col)}",
                        )
                    )
            continue
        if value is None:
            continue
        if slug in seen:
            problems.append(
                Problem(
                    where,
                    r + 1,
                    cell_name(r, name_col),
                    f"'{name}' appears twice in the list of column {cell_name(0, col)[:-1]}",
                )
            )
            continue
        seen.add(slug)
        if kind == "tier":
            summary.tiers.setdefault(slug, str(value))
            continue
        if not isinstance(value, (int, float)):
            problems.append(Problem(where, r + 1, cell_name(r, col), f"'{value}' is not a number"))
            continue
        ref = cell_name(r, col)
        if kind == "total":
            summary.ranked += 1
            summary.ha_tay |= slug == HA_TAY
        if slug == HA_TAY:
            continue
        if kind in ("rank", "position"):
            if float(value) != int(value):
                problems.append(Problem(where, r + 1, ref, f"rank {value} is not a whole number"))
                continue
            (positions if kind == "position" else summary.ranks)[slug] = (int(value), ref)
        else:
            summary.values[(slug, component)] = (float(value), ref, r + 1)
    if kind == "position" and not summary.ranks:
        totals = [(v, s) for (s, comp), (v, _, _) in summary.values.items() if comp == ""]
        by_total = [s for _, s in sorted(totals, key=lambda t: -t[0])]
        by_position = [s for s, _ in sorted(positions.items(), key=lambda t: t[1][0])]
        if by_total and [s for s in by_position if s in by_total] == by_total:
            summary.ranks.update(positions)
            summary.rank_by_position = True


def _statistic(name: str) -> bool:
    """Rows such as MAX, Trung vị, Xếp hạng under a ranked list."""
    from .names import STATISTIC_ROWS

    return fold(name) in STATISTIC_ROWS


def _check_lists(where: str, summary: Summary, first: int, problems: list[Problem]) -> None:
    """Every sub-index list covers the provinces of the total's list (else a column was misread)."""
    total = {s for (s, comp) in summary.values if comp == ""}
    components = {comp for (_, comp) in summary.values if comp}
    for comp in sorted(components):
        listed = {s for (s, c) in summary.values if c == comp}
        if total and listed != total:
            missing = sorted(total - listed)[:5] or sorted(listed - total)[:5]
            problems.append(
                Problem(
                    where,
                    first + 1,
                    None,
                    f"the list of '{comp}' does not cover the same "
                    f"provinces as the total's ({len(listed)} vs {len(total)}; e.g. "
                    f"{', '.join(missing)})",
                )
            )


def _figures(path: Path, summaries: list[Summary], year: int, source: str, problems: list[Problem]) -> list[Figure]:
    """The rows of the indices table, merging sheets that repeat a value (they must agree)."""
    values: dict[tuple[str, str], tuple[str, str, Summary, int]] = {}
    for summary in summaries:
        for key, (value, ref, row) in summary.values.items():
            text = decimal_text(value, 2)
            where = f"sheet '{summary.grid.title}' {ref} = {raw_text(value)}"
            if key in values and values[key][0] != text:
                problems.append(
                    Problem(path.name, None, None, f"{key[0]} {key[1] or 'PCI total'}: {values[key][1]} but {where}")
                )
            values.setdefault(key, (text, where, summary, row))
    ranked = next((s for s in summaries if s.ranks), None)
    figures = []
    for (slug, component), (text, where, summary, row) in sorted(values.items()):
        note = f"{where}, printed to 2 decimals as VCCI publishes"
        cells = {
            "index": "PCI",
            "year": str(year),
            "province": slug,
            "component": component,
            "score": text,
            "unit": "points/10" if component else "points/100",
            "source": source,
        }
        if not component and ranked and slug in ranked.ranks:
            rank, ref = ranked.ranks[slug]
            cells |= {"rank": str(rank), "rank_of": str(units_ranked("PCI", year, 63) or ranked.ranked)}
            how = "position in VCCI's list ordered by the total" if ranked.rank_by_position else "rank"
            note += f"; {how} in sheet '{ranked.grid.title}' {ref}"
            if ranked.ha_tay:
                note += f" (ranked among {ranked.ranked} provinces, Hà Tây included)"
        if not component:
            tier = next((s.tiers[slug] for s in summaries if slug in s.tiers), "")
            note += f"; nhóm xếp hạng: {tier}" if tier else ""
        cells["note"] = note
        figures.append(Figure(f"{path.name}, sheet '{summary.grid.title}'", row, cells))
    if any(s.ha_tay for s in summaries):
        problems.append(
            Problem(
                path.name,
                None,
                None,
                "Hà Tây (merged into Hà Nội in 2008) has no slug: its "
                "figures are not imported (it is counted in rank_of)",
                "warning",
            )
        )
    if values and not ranked:
        problems.append(
            Problem(path.name, None, None, f"no rank column found: PCI ranks are not imported for {year}", "warning")
        )
    return figures
