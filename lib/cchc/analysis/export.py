"""`cchc export`: the figures behind one report, as CSV and XLSX that are safe to open in a spreadsheet.

One table, written twice (``<slug>-<year>-figures.csv`` and ``.xlsx``): every index figure the report
uses (``metrics.sources_used``, with the predecessors' figures for a unit formed in 2025), then the
TTHC rows and the in-province rankings of the year, then the province's targets. The columns are those
of the data tables (a ranked department's or district's name in ``ranked_unit``), after ``table`` (which
table a row comes from); ``file`` and ``row`` say where each figure is in data/.

Text from data files is never run: a text cell that a spreadsheet would read as a formula (starting with
= + - @, a tab or a carriage return) gets a leading apostrophe (``tables.neutralise_formulas``), in the
CSV and in the XLSX alike, and every text cell of the XLSX is written as a string cell, never a formula.
Numbers stay numbers in the XLSX. The data files are only read.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from .. import config
from ..data.schema import INDEX_FIGURES, PLAN_TASKS, TARGETS, TTHC, UNIT_RANKINGS
from ..data.tables import neutralise_formulas
from ..errors import UsageError
from ..files import write_atomic
from .years import results_year, year_with_figures

if TYPE_CHECKING:
    from ..data.dataset import Dataset

FIRST, LAST = ["table", "province", "year"], ["source", "note", "file", "row"]
RENAMED = {"unit_rankings": {"unit": "ranked_unit"}}  # 'unit' is the scale of a score everywhere else


def figures(ds: Dataset, unit, year: int) -> pd.DataFrame:
    """The rows behind a report of ``unit`` for ``year``, one table (cells as in the data files)."""
    from .metrics import sources_used, tthc_for

    indices = sources_used(ds, unit.slug, year)
    if unit.is_new:
        indices = pd.concat([indices, *(sources_used(ds, p, year) for p in unit.predecessors)])
    ur = ds.unit_rankings
    parts = [
        ("indices", indices, INDEX_FIGURES),
        ("tthc", tthc_for(ds, unit.slug, year), TTHC),
        ("unit_rankings", ur[(ur["province"] == unit.slug) & (ur["year"] == year)], UNIT_RANKINGS),
        ("targets", ds.targets[ds.targets["province"] == unit.slug], TARGETS),
    ]
    plan = ds.plan_tasks[(ds.plan_tasks["province"] == unit.slug) & (ds.plan_tasks["year"] == year)]
    if not plan.empty:  # its columns only when there are figures (one department's so far)
        parts.append(("plan_tasks", plan, PLAN_TASKS))
    frames = [
        df[table.column_names + ["file", "row"]]
        .astype(object)
        .map(_cell)
        .assign(table=name)
        .rename(columns=RENAMED.get(name, {}))
        for name, df, table in parts
    ]
    columns = list(FIRST)
    for frame in frames:
        columns += [c for c in frame.columns if c not in columns and c not in LAST]
    columns += LAST
    records = [[rec.get(c, "") for c in columns] for f in frames for rec in f.to_dict("records")]
    return pd.DataFrame(records, columns=columns, dtype=object)  # object: whole numbers stay whole


def _cell(value):
    """A cell as the data files write it: '' for missing, yes/'' for booleans, dates YYYY-MM-DD."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, (pd.Timestamp, dt.date)):
        return value.strftime("%Y-%m-%d")
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, bool):
        return "yes" if value else ""
    return value


def export_figures(province: str, year, out_dir: Path | None = None, dataset=None) -> dict[str, Path]:
    """Write ``<slug>-<year>-figures.csv`` and ``.xlsx`` (default folder: reports/<year>/); return the paths."""
    from ..data.dataset import load_dataset
    from .metrics import can_report, years_with_data

    year = results_year(year)
    ds = dataset or load_dataset()
    year_with_figures(ds, year)
    unit = ds.registry.resolve(province, year)
    if not can_report(ds, unit, year):
        have = ", ".join(map(str, years_with_data(ds, unit.slug))) or "none"
        raise UsageError(f"no figures for {unit.name} ({unit.slug}) in {year}; years with data: {have}")
    table = neutralise_formulas(figures(ds, unit, year))
    folder = Path(out_dir) if out_dir else config.reports_dir() / str(year)
    stem = folder / f"{unit.slug}-{year}-figures"
    paths = {"csv": stem.with_suffix(".csv"), "xlsx": stem.with_suffix(".xlsx")}
    write_atomic(paths["csv"], table.to_csv(index=False, lineterminator="\n"))
    write_atomic(paths["xlsx"], _xlsx(table, f"{unit.name} {year}"))
    return paths


def _xlsx(table: pd.DataFrame, title: str) -> bytes:
    """The table as a workbook: header row, then the rows; text cells are strings, never formulas."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "figures"
    sheet.append(list(table.columns))
    for values in table.itertuples(index=False):
        sheet.append([(ILLEGAL_CHARACTERS_RE.sub("", v) or None) if isinstance(v, str) else v for v in values])
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # openpyxl would store a text starting with '=' as a formula
    sheet.freeze_panes = "A2"
    workbook.properties.title = title
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
