"""Publishers' own files read into rows of the `indices` table (then checked and appended by importer).

Layouts known: VCCI's PCI data workbooks (pci), the PAPI data workbook (papi), and province-year fact
tables, long or wide, of PCI, PAPI and DTI (tables), press facts: one figure a row with the page
that printed it (press), and the ministry's PAR INDEX / SIPAS appendix table copied out of its report into a
sheet or a text file (official). Each gives a Reading: rows traced to their sheet,
row and cell, and the problems met; a file no layout recognises is an error naming what was looked for.
"""

from __future__ import annotations

from pathlib import Path

from ...errors import Problem
from ..provinces import Registry
from .common import Figure, Options, Reading
from .grid import TEXT_SUFFIXES, Grid, hidden_problems, read_grids

__all__ = ["Figure", "Options", "Reading", "read_publication"]


def read_publication(path: Path, registry: Registry, options: Options) -> Reading:
    """The rows a publisher's file holds, in whichever known layout it is; its sheets' hidden rows and columns
    holding values are an error (a warning with ``options.include_hidden``)."""
    grids = read_grids(path)
    reading = _read(path, grids, registry, options)
    if reading.recognised:
        reading.problems += hidden_problems(path, grids, options.include_hidden)
    return reading


def _read(path: Path, grids: list[Grid], registry: Registry, options: Options) -> Reading:
    """The rows of the grids of a publisher's file, in whichever known layout it is."""
    from .official import is_official_table, read_official_table
    from .papi import is_papi_workbook, read_papi_workbook
    from .pci import read_pci_workbook
    from .press import is_press_facts, read_press_facts
    from .tables import is_fact_table, read_fact_table

    if options.index in (None, "PAR", "SIPAS") and grids and is_official_table(grids[0], options.index):
        return read_official_table(path, grids[0], registry, options)
    if path.suffix.lower() in TEXT_SUFFIXES:
        if is_press_facts(grids[0]):
            return read_press_facts(path, grids[0], registry, options)
        if is_fact_table(grids[0]):
            return read_fact_table(path, grids[0], registry, options)
        return Reading(
            "unknown",
            problems=[
                Problem(
                    path.name,
                    1,
                    None,
                    "not a table the suite knows: a fact table "
                    "names a province column (slug or province) and year in its "
                    "first row, then figure columns; the ministry's PAR INDEX or "
                    "SIPAS table names 'Tỉnh, thành phố' and 'Chỉ số (%)' or "
                    "'Xếp hạng' in its header",
                )
            ],
        )
    if options.index not in (None, "PAPI") or not is_papi_workbook(grids):
        if options.index not in (None, "PCI"):
            return Reading(
                "unknown",
                problems=[
                    Problem(
                        path.name, None, None, f"the suite reads {options.index} workbooks only as fact tables (CSV)"
                    )
                ],
            )
        return read_pci_workbook(path, grids, registry, options)
    return read_papi_workbook(path, grids, registry, options)
