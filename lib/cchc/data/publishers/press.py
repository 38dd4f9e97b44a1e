"""Press facts: published figures collected one a row from the pages that printed them, in the long form
``index,year,province[,component],what,value,url,note``.

``what`` is ``score``, ``rank``, ``rank_of``, ``group`` (the ministry's band, e.g. A), ``mean_national`` or
``mean_region`` (the region named at the start of ``note``). The rows of one page for one key (index, year,
province, component) make one row of the indices table: its score, rank and rank_of, and the group in its
note. The cited source is the original publisher (its record's ``publisher`` and ``title``, ``indices.py``), with
the page as the route:
``Bộ Nội vụ, "Chỉ số … 2024", via https://…`` (data/README.md, "Press facts").

Rules, each written in data/README.md:
- a rank without a printed ``rank_of`` is out of the units of its year (63 provinces until 2024, or the
  number the year ranked, ``schema.units_ranked``: PAPI 61 in 2023; the 34 new units for ``…-2025`` slugs),
  and the note says the number was not printed;
- a row whose own page contradicts it (its note says INCONSISTENT, AMBIGUOUS or 'does not reconcile') is
  imported with status ``contradicted`` and the note as the reason: it is never used;
- a page-wide figure named the median (``median`` in the note) is not a mean, on that page or any other
  (a translation calling it the average): it is not written to means.csv, with a warning;
- a page giving only a group (no score, no rank) adds no row: a warning says so.
"""

from __future__ import annotations

from pathlib import Path

from ...errors import Problem
from ..indices import active
from ..provinces import Registry, fold
from ..schema import CONTRADICTED, units_ranked
from .common import Figure, Options, Reading
from .grid import Grid
from .names import DTI_INDICES, PAPI_DIMENSIONS, exact_component, pci_component, resolve_province

COLUMNS = ("index", "year", "province", "what", "value", "url")
FIGURE_WHATS = ("score", "rank", "rank_of", "group")
MEAN_WHATS = ("mean_national", "mean_region")
CONTRADICTION_WORDS = ("inconsistent", "ambiguous", "does not reconcile")
# The DTI pillars are written with '(pillar)' in data/ (the main indices have names of their own).
DTI_PILLARS = {
    "chinh quyen so": "Chính quyền số (pillar)",
    "kinh te so": "Kinh tế số (pillar)",
    "xa hoi so": "Xã hội số (pillar)",
}


def is_press_facts(grid: Grid) -> bool:
    """True when the first row names the long form's columns (index, year, province, what, value, url)."""
    header = {str(v).strip().lower() for v in (grid.rows[0] if grid.rows else []) if v is not None}
    return all(c in header for c in COLUMNS)


def press_source(index: str, year: int, url: str) -> str:
    """The publisher's publication, with the page that printed the figure as the route."""
    rec = active()[index]
    return f'{rec.publisher_in(year)}, "{rec.title.format(year=year)}", via {url}'


def unit_of(index: str, year: int, component: str) -> str:
    """The scale of a press figure, the index's record's (``IndexRecord.unit``): PAR and SIPAS in %, PCI /100
    (sub-indices /10), PAPI /60 until 2017 and /80 from 2018 (dimensions /10), DTI 0-1."""
    return active()[index].unit(year, component)


def component_of(index: str, label: str) -> str | None:
    """The component label of data/ for a press label ('' for the index itself; None if unknown)."""
    if not label:
        return ""
    if index == "DTI":
        return DTI_PILLARS.get(fold(label)) or exact_component(label, DTI_INDICES)
    if index == "PCI":
        return pci_component(label)
    if index == "PAPI":
        return exact_component(label, PAPI_DIMENSIONS)
    return label


def read_press_facts(path: Path, grid: Grid, registry: Registry, options: Options) -> Reading:
    """Index rows (one per page and key) and mean rows from a press-facts table."""
    reading = Reading("press facts (one figure a row, with its page)")
    header = [str(v or "").strip().lower() for v in grid.rows[0]]
    regions = {fold(p.region): p.region for p in registry if p.region}
    groups: dict[tuple, dict] = {}
    for r in range(1, len(grid.rows)):
        cells = {name: str(grid.value(r, c) or "").strip() for c, name in enumerate(header) if name}
        if not any(cells.values()):
            continue
        problem = _read_row(path, r, cells, registry, regions, options, groups, reading)
        if problem:
            reading.problems.append(Problem(path.name, r + 1, None, problem))
    for key, group in groups.items():
        figure = _figure(path, key, group, reading.problems)
        if figure is not None:
            reading.figures.append(figure)
    _drop_medians(path, reading)
    return reading


def _drop_medians(path: Path, reading: Reading) -> None:
    """A figure one page calls the median is not a mean on any page (a translation renaming it is no
    second figure): such means are left out, with a warning."""

    def key(cells: dict[str, str]) -> tuple:
        return tuple(cells[c] for c in ("index", "year", "scope", "component", "score"))

    medians = {key(m.cells) for m in reading.means if "median" in m.cells["note"].lower()}
    kept = []
    for mean in reading.means:
        if key(mean.cells) in medians:
            reading.problems.append(
                Problem(
                    path.name,
                    mean.row,
                    None,
                    f"{mean.cells['index']} {mean.cells['year']} "
                    f"{mean.cells['score']}: called the median on another page — not "
                    "written to means.csv",
                    "warning",
                )
            )
        else:
            kept.append(mean)
    reading.means = kept


def _read_row(
    path: Path,
    r: int,
    cells: dict[str, str],
    registry: Registry,
    regions: dict[str, str],
    options: Options,
    groups: dict[tuple, dict],
    reading: Reading,
) -> str:
    """File one fact row under its page and key (or as a mean); the problem as text, '' when none."""
    index, what, value, url, note = (cells.get(c, "") for c in ("index", "what", "value", "url", "note"))
    index = index.upper()
    if options.index and index != options.index:
        return ""
    if index not in active() or not active()[index].title:
        return f"unknown index '{cells.get('index')}'"
    try:
        year = int(cells.get("year", ""))
    except ValueError:
        return f"cannot read the year '{cells.get('year')}'"
    if not url:
        return "no url: every figure needs the page it was read on"
    component = component_of(index, cells.get("component", ""))
    if component is None:
        return f"'{cells.get('component')}' is not a {index} component the suite knows"
    source = press_source(index, year, url)
    if what in MEAN_WHATS:
        return _mean(path, r, index, year, component, what, value, source, note, regions, reading)
    if what not in FIGURE_WHATS:
        return f"unknown what '{what}' (one of {', '.join(FIGURE_WHATS + MEAN_WHATS)})"
    slug = resolve_province(cells.get("province"), registry, year)
    if slug is None:
        return f"cannot read the province '{cells.get('province')}'"
    group = groups.setdefault((index, year, slug, component, source), {"row": r + 1, "notes": []})
    if what in group and group[what] != value:
        return f"the page gives two {what}s for {index} {year} {slug}: {group[what]} and {value}"
    group[what] = value
    if note and note not in group["notes"]:
        group["notes"].append(note)
    return ""


def _mean(
    path: Path,
    r: int,
    index: str,
    year: int,
    component: str,
    what: str,
    value: str,
    source: str,
    note: str,
    regions: dict[str, str],
    reading: Reading,
) -> str:
    """A national or regional mean as a row of means.csv (a median is not a mean: left out, warned)."""
    scope = "national"
    if what == "mean_region":
        folded = fold(note)
        scope = next((regions[r] for r in sorted(regions, key=len, reverse=True) if folded.startswith(r)), "")
        if not scope:
            return f"mean_region: the note does not start with a region ('{note}')"
    cells = {
        "index": index,
        "year": str(year),
        "scope": scope,
        "component": component,
        "score": value,
        "unit": unit_of(index, year, component),
        "source": source,
        "note": note,
    }
    reading.means.append(Figure(path.name, r + 1, cells))
    return ""


def _figure(path: Path, key: tuple, group: dict, problems: list[Problem]) -> Figure | None:
    """The indices row of one page and key."""
    index, year, slug, component, source = key
    notes = list(group["notes"])
    if "group" in group:
        notes.insert(0, f"group {group['group']}")
    if "score" not in group and "rank" not in group:
        problems.append(
            Problem(
                path.name,
                group["row"],
                None,
                f"{index} {year} {slug}: the page gives only "
                f"{', '.join(w for w in FIGURE_WHATS if w in group)} — no row",
                "warning",
            )
        )
        return None
    cells = {"index": index, "year": str(year), "province": slug, "component": component, "source": source}
    if "score" in group:
        cells |= {"score": group["score"], "unit": unit_of(index, year, component)}
    if "rank" in group:
        rank_of = group.get("rank_of", "")
        if not rank_of:
            rank_of = "34" if slug.endswith("-2025") else str(units_ranked(index, year, 63) or 63)
            notes.append(f"rank_of {rank_of}: the units ranked that year (the page prints no number)")
        cells |= {"rank": group["rank"], "rank_of": rank_of}
    note = "; ".join(notes)
    if any(word in note.lower() for word in CONTRADICTION_WORDS):
        cells |= {"status": CONTRADICTED, "reason": f"its own page contradicts it: {note}"}
    cells["note"] = note
    return Figure(path.name, group["row"], cells)
