"""`cchc export`: the figures behind one report, as CSV and XLSX that are safe to open in a spreadsheet.

One table, written twice (``<slug>-<year>-figures.csv`` and ``.xlsx``): every index figure the report
uses (``metrics.sources_used``, with the predecessors' figures for a unit formed in 2025), then the
TTHC rows and the in-province rankings of the year, then the province's targets. The columns are those
of the data tables (a ranked department's or district's name in ``ranked_unit``), after ``table`` (which
table a row comes from); ``file`` and ``row`` say where each figure is in data/.

The XLSX is written by ``to_excel`` (also ``cchc.to_excel`` for any DataFrame of the analysis API): one
sheet per table, headers in the reader's language from the catalogue (``column.<name>``), booleans as
"có"/"không" (yes/no), a rank the publisher gives two provinces marked "=16" and a computed rank over
shared places "31–32", missing cells empty (never 0), and a last sheet listing the sources.

Text from data files is never run: in the CSV a text cell that a spreadsheet would read as a formula
(starting with = + - @, a tab or a carriage return) gets a leading apostrophe
(``tables.neutralise_formulas``); in the XLSX every text cell is a string cell with Excel's own quote
prefix (the apostrophe that is not part of the text), never a formula, and shows the text as written.
Numbers stay numbers in the XLSX. The data files are only read.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from .. import config
from ..catalogue import LANGS, TEXTS, name_in, text
from ..data.schema import INDEX_FIGURES, PLAN_TASKS, TARGETS, TTHC, UNIT_RANKINGS
from ..data.tables import FORMULA_PREFIXES, neutralise_formulas
from ..errors import UsageError
from ..files import write_atomic
from .years import results_year, year_with_figures

if TYPE_CHECKING:
    from ..data.dataset import Dataset

FIRST, LAST = ["table", "province", "year"], ["source", "note", "file", "row"]
RENAMED = {"unit_rankings": {"unit": "ranked_unit"}}  # 'unit' is the scale of a score everywhere else


def figures(ds: Dataset, unit, year: int) -> pd.DataFrame:
    """The rows behind a report of ``unit`` for ``year``, one table (cells as in the data files)."""
    frames = [
        df.astype(object).map(_cell).assign(table=name).rename(columns=RENAMED.get(name, {}))
        for name, df in figure_tables(ds, unit, year).items()
    ]
    columns = list(FIRST)
    for frame in frames:
        columns += [c for c in frame.columns if c not in columns and c not in LAST]
    columns += LAST
    records = [[rec.get(c, "") for c in columns] for f in frames for rec in f.to_dict("records")]
    return pd.DataFrame(records, columns=columns, dtype=object)  # object: whole numbers stay whole


def figure_tables(ds: Dataset, unit, year: int) -> dict[str, pd.DataFrame]:
    """The rows behind a report of ``unit`` for ``year``, by data table, typed as in the dataset."""
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
    return {name: df[table.column_names + ["file", "row"]] for name, df, table in parts}


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


def export_figures(province: str, year, out_dir: Path | None = None, dataset=None, lang: str = "vi") -> dict[str, Path]:
    """Write ``<slug>-<year>-figures.csv`` and ``.xlsx`` (default folder: reports/<year>/); return the paths.
    The XLSX has a sheet per data table, headed in ``lang``."""
    from ..data.dataset import load_dataset
    from .metrics import can_report, years_with_data

    year = results_year(year)
    ds = dataset or load_dataset()
    year_with_figures(ds, year)
    unit = ds.registry.resolve(province, year)
    if not can_report(ds, unit, year):
        have = ", ".join(map(str, years_with_data(ds, unit.slug))) or "none"
        raise UsageError(f"no figures for {unit.name} ({unit.slug}) in {year}; years with data: {have}")
    if lang not in LANGS:
        raise UsageError(f"unknown language {lang!r}; choose from {', '.join(LANGS)}")
    table = neutralise_formulas(figures(ds, unit, year))
    folder = Path(out_dir) if out_dir else config.reports_dir() / str(year)
    stem = folder / f"{unit.slug}-{year}-figures"
    paths = {"csv": stem.with_suffix(".csv"), "xlsx": stem.with_suffix(".xlsx")}
    sheets = {
        text(f"excel.sheet.{name}", lang): df.rename(columns=RENAMED.get(name, {}))
        for name, df in figure_tables(ds, unit, year).items()
    }
    write_atomic(paths["csv"], table.to_csv(index=False, lineterminator="\n"))
    write_atomic(paths["xlsx"], workbook_bytes(sheets, lang, f"{unit.name} {year}"))
    return paths


def to_excel(frame: pd.DataFrame | Mapping[str, pd.DataFrame], path: str | Path, lang: str = "vi") -> Path:
    """Write a table (or several, ``{sheet name: DataFrame}``) to an Excel workbook a reader can use as is:
    headers in ``lang`` ('vi' or 'en') from the catalogue, "có"/"không" for booleans, a tied rank "=16", a
    computed rank over shared places "31–32", missing cells empty, text never run as a formula, and a last
    sheet of the sources the tables cite. Written atomically; returns the path (``cchc.to_excel``)."""
    if lang not in LANGS:
        raise UsageError(f"unknown language {lang!r}; choose from {', '.join(LANGS)}")
    sheets = {text("excel.table", lang): frame} if isinstance(frame, pd.DataFrame) else dict(frame)
    path = Path(path)
    write_atomic(path, workbook_bytes(sheets, lang, path.stem))
    return path


def workbook_bytes(sheets: Mapping[str, pd.DataFrame], lang: str, title: str) -> bytes:
    """The tables as an XLSX workbook, one sheet each (names made valid for Excel), then the sources sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    named = {_sheet_name(str(name), used): df for name, df in sheets.items()}
    for name, df in named.items():
        sheet = workbook.create_sheet(name)
        _fill(sheet, [column_label(c, lang) for c in df.columns], excel_rows(df, lang))
    sources = [[s, ", ".join(names), n] for s, names, n in _sources(named)]
    heads = [text(k, lang) for k in ("excel.sources", "excel.used_in", "excel.rows")]
    sheet = workbook.create_sheet(_sheet_name(text("excel.sources", lang), used))
    _fill(sheet, heads, sources or [[text("excel.no_sources", lang), None, None]])
    for sheet in workbook.worksheets:
        for cell in sheet[1]:
            cell.font = Font(bold=True)
    workbook.properties.title = title
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def column_label(column, lang: str) -> str:
    """A column's header in ``lang`` from the catalogue (``column.<name>``); its own name when it has none."""
    key = f"column.{column}"
    return text(key, lang) if key in TEXTS else str(column)


def excel_rows(df: pd.DataFrame, lang: str) -> list[list]:
    """The cells of ``df`` as Excel shows them: booleans in words, ranks with their ties, names in ``lang``."""
    yes, no = text("excel.yes", lang), text("excel.no", lang)
    columns = list(df.columns)
    rows = []
    for values in df.itertuples(index=False):
        record = dict(zip(columns, values))
        row = []
        for column, value in record.items():
            value = _excel_value(value, yes, no)
            if column == "rank" and value is not None:
                value = _rank_mark(value, record)
            elif column in ("region", "component") and isinstance(value, str):
                value = name_in("region_name" if column == "region" else "component", value, lang)
            row.append(value)
        rows.append(row)
    return rows


def _excel_value(value, yes: str, no: str):
    """One cell: None for missing (never 0), words for booleans, Python numbers, dates as dates."""
    if isinstance(value, (list, tuple, set, dict)):
        return "; ".join(map(str, value)) if not isinstance(value, dict) else str(value)
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if hasattr(value, "item") and not isinstance(value, pd.Timestamp):  # numpy scalars
        value = value.item()
    if isinstance(value, bool):
        return yes if value else no
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, (str, int, float, dt.date)):
        return value
    return str(value)


def _rank_mark(rank, record: dict):
    """ "=16" for a rank the publisher gives two provinces, "31–32" for places shared by equal printed scores."""
    low, high = record.get("rank_low"), record.get("rank_high")
    if record.get("tied") is True:
        return f"={rank}"
    if low is not None and high is not None and _known(low) and _known(high) and low != high:
        return f"{int(low)}–{int(high)}"
    return rank


def _known(value) -> bool:
    return value is not None and not isinstance(value, bool) and not pd.isna(value)


def _sources(sheets: Mapping[str, pd.DataFrame]) -> list[tuple[str, list[str], int]]:
    """Each source the tables cite (their ``source`` column), the sheets citing it and its number of rows."""
    found: dict[str, tuple[list[str], int]] = {}
    for name, df in sheets.items():
        if "source" not in df.columns:
            continue
        for source in df["source"]:
            if not isinstance(source, str) or not source:
                continue
            names, n = found.get(source, ([], 0))
            found[source] = (names if name in names else [*names, str(name)], n + 1)
    return [(source, names, n) for source, (names, n) in found.items()]


def _sheet_name(name: str, used: set[str]) -> str:
    """A sheet name Excel accepts (no []:*?/\\, at most 31 characters), unique in the workbook."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    base = re.sub(r"[\[\]:*?/\\]", " ", ILLEGAL_CHARACTERS_RE.sub("", name)).strip("' ")[:31] or "Sheet"
    candidate, i = base, 2
    while candidate.lower() in used:
        candidate = f"{base[: 31 - len(str(i)) - 1]} {i}"
        i += 1
    used.add(candidate.lower())
    return candidate


def _fill(sheet, header: list[str], rows: list[list]) -> None:
    """Header and rows; every text cell a string with Excel's quote prefix: shown as written, never run."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.utils import get_column_letter

    sheet.append(header)
    for values in rows:
        sheet.append([(ILLEGAL_CHARACTERS_RE.sub("", v) or None) if isinstance(v, str) else v for v in values])
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # openpyxl would store a text starting with '=' as a formula
                if cell.value.startswith(FORMULA_PREFIXES):
                    cell.quotePrefix = True
    sheet.freeze_panes = "A2"
    for i, label in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = min(max(10, len(str(label)) + 2), 40)
