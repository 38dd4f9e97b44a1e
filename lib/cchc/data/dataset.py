"""The one loader: every data file read, checked and typed into one Dataset.

Types in the tables: year int; score and max_score float (NaN when missing, never 0); rank, rank_of
and counts pandas 'Int64'; derived/use bool; dates pandas Timestamps (NaT when missing); empty text
''; province the registry slug. Every table has ``file`` (relative to the data folder) and ``row``
(spreadsheet row, header = 1) so any figure can be traced to its cell.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd

from .. import config
from ..errors import BadInput, Problem
from ..files import folder_lock, write_atomic
from . import figures
from .checks import disagree, fullness, index_groups, rows_agree, usable
from .provinces import Registry, load_registry
from .schema import INDEX_FIGURES, MEANS, NEVER_USED, NOT_PUBLISHED, TABLES, TABLES_BY_NAME, Table
from .validate import Row, check_dir, check_file, check_rows, errors

T = TypeVar("T")
PANDAS_TYPES = {"int": "Int64", "float": "float64", "bool": "bool", "year": "Int64"}


@dataclass(repr=False)
class Dataset:
    """Registry and typed tables of a data folder, with the warnings met and the data's hash."""

    registry: Registry
    indices: pd.DataFrame
    means: pd.DataFrame
    targets: pd.DataFrame
    tthc: pd.DataFrame
    unit_rankings: pd.DataFrame
    plan_tasks: pd.DataFrame
    publication: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["index", "year", "coverage", "n", "source", "note"])
    )
    warnings: list[Problem] = field(default_factory=list)
    data_hash: str = ""
    data_dir: Path = Path()

    @cached_property
    def years_by_province(self) -> dict[str, tuple[int, ...]]:
        """Results years with any figure (indices, TTHC or unit rankings), by province slug."""
        years: dict[str, set[int]] = {}
        for table in (self.indices, self.tthc, self.unit_rankings):
            dated = table[["province", "year"]].dropna(subset=["year"])
            for slug, year in zip(dated["province"].tolist(), dated["year"].tolist()):
                years.setdefault(slug, set()).add(int(year))
        return {slug: tuple(sorted(ys)) for slug, ys in years.items()}

    @cached_property
    def rows_by_province(self) -> list[dict[str, list[tuple[int, str]]]]:
        """Each table's rows (without file and row number) as JSON lines with their position, by province
        slug: what a province's report is made from, for the batch's fingerprints."""
        tables = []
        for df in (self.indices, self.targets, self.tthc, self.unit_rankings, self.plan_tasks):
            df = df.drop(columns=["file", "row"], errors="ignore")
            lines = df.to_json(orient="records", lines=True, force_ascii=False, date_format="iso").splitlines()
            rows: dict[str, list[tuple[int, str]]] = {}
            for i, (slug, line) in enumerate(zip(df["province"].tolist(), lines)):
                rows.setdefault(slug, []).append((i, line))
            tables.append(rows)
        return tables

    @cached_property
    def figures_lines(self) -> list[str]:
        """Each row of ``figures`` (computed ranks included, without its source rows) as a JSON line, in order:
        what the batch's fingerprints hash, by province and by table."""
        return self.figures.drop(columns=["rows"]).to_json(orient="records", lines=True, force_ascii=False).splitlines()

    @cached_property
    def figures_by_province(self) -> dict[str, list[tuple[int, str]]]:
        """The figures reports use as JSON lines (``figures_lines``) with their position, by province slug: a
        computed rank changes when another province's score does."""
        rows: dict[str, list[tuple[int, str]]] = {}
        for i, (slug, line) in enumerate(zip(self.figures["province"].tolist(), self.figures_lines)):
            rows.setdefault(slug, []).append((i, line))
        return rows

    @cached_property
    def figures_of(self) -> dict[str, pd.DataFrame]:
        """``figures`` split by province slug, each sorted by index, year and component (overall first):
        what a report looks a province's figures up in, instead of filtering the whole table each time."""
        df = self.figures.sort_values(["index", "year", "component"], na_position="first", kind="stable")
        return {str(slug): part for slug, part in df.groupby("province", sort=False)}

    @cached_property
    def indices_of(self) -> dict[str, pd.DataFrame]:
        """``indices`` (the data rows) split by province slug."""
        return {str(slug): part for slug, part in self.indices.groupby("province", sort=False)}

    TABLE_NAMES = (
        "indices",
        "means",
        "targets",
        "tthc",
        "unit_rankings",
        "plan_tasks",
        "publication",
        "figures",
        "all_means",
    )

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables by name: the data files' (``indices`` … ``unit_rankings``) and the figures the reports
        use (``figures``, ``all_means``)."""
        return {name: getattr(self, name) for name in self.TABLE_NAMES}

    def __repr__(self) -> str:
        """A short summary (the dataclass default would print every table in full)."""
        counts = ", ".join(f"{t.name} {len(getattr(self, t.name))} rows" for t in TABLES)
        return f"<Dataset {self.data_dir}: {counts}; {len(self.warnings)} warnings; sha256 {self.data_hash[:12]}>"

    @cached_property
    def combined(self) -> pd.DataFrame:
        """One figure per (index, year, province, component) before any rank is computed."""
        combined = figures.combined_figures(self.indices)
        # not published, disputed or contradicted: no figure
        published = (~self.indices["status"].isin([NOT_PUBLISHED, *NEVER_USED])).to_numpy()
        return combined[[bool(published[rows[0]]) for rows in combined["rows"]]].reset_index(drop=True)

    @cached_property
    def year_tables(self) -> pd.DataFrame:
        """Each index's (and component's) table by year: provinces scored, ranked, expected, complete
        (``figures.year_tables``)."""
        return figures.year_tables(self.combined, self.registry)

    @cached_property
    def figures(self) -> pd.DataFrame:
        """The figures reports use, one per (index, year, province, component): the chosen row completed
        from compatible rows, with a computed rank where a complete table has none published
        (``figures`` module). ``rows`` are the positions in ``indices`` of the rows it comes from."""
        return figures.with_computed_ranks(self.combined, self.year_tables)

    @cached_property
    def table_means(self) -> pd.DataFrame:
        """The national and regional means and medians of every complete index table (``figures``)."""
        return figures.computed_means(self.combined, self.year_tables, self.registry)

    @cached_property
    def mean_checks(self) -> pd.DataFrame:
        """Each published mean (or median) against the complete table of its year, where one exists, with a
        verdict: agrees, median, disagrees, unchecked (``figures.mean_checks``; rule in data/README.md)."""
        return figures.mean_checks(self.means, self.table_means)

    @cached_property
    def all_means(self) -> pd.DataFrame:
        """The means reports show: the published means that are means of the table they describe (not a
        median, not more than rounding away from the complete table's mean), plus the means computed from
        complete tables elsewhere (``computed`` = True, ``n`` provinces averaged; ``published_score`` and
        ``published_verdict`` where one stands in for a published figure that is not the mean)."""
        return figures.means_with_computed(self.means, self.table_means, self.mean_checks)

    @cached_property
    def distributions(self) -> pd.DataFrame:
        """Per index, year and component: the provinces scored in the table's unit, their mean and standard
        deviation (``figures.distributions``): what a province is compared with, computed once."""
        return figures.distributions(self.figures)

    # ------------------------------------------------------------ lookups: each table indexed once
    # What every report section looks up (a province's figures of an index, the national table of an index
    # and year, the means and year tables of an index) indexed once per dataset, so that a section takes
    # its rows by position instead of filtering the whole table again (issue 25). In a batch they are
    # computed once, in the checked copy every kernel reads (``save_batch_copy``); in a notebook once per
    # ``load()``. Each lookup returns the rows, in the order, that the filter it replaces returned.

    @cached_property
    def figure_positions(self) -> dict[tuple[str, str, bool], np.ndarray]:
        """Positions in ``figures`` of a province's figures of one index, keyed (slug, index, overall):
        the index's own figures (True) or its components' (False), in the order of ``figures_of``."""
        df = self.figures.reset_index(drop=True)
        ordered = df.sort_values(["index", "year", "component"], na_position="first", kind="stable")
        overall = _overall(ordered["component"])
        groups = ordered.groupby([ordered["province"], ordered["index"], overall], sort=False).indices
        labels = ordered.index.to_numpy()
        return {(str(p), str(i), bool(o)): labels[pos] for (p, i, o), pos in groups.items()}

    @cached_property
    def table_positions(self) -> dict[tuple[str, int, str], np.ndarray]:
        """Positions in ``figures`` of every province's figure of an index (or component, '' for the index
        itself) in a year, keyed (index, year, component), in the order of ``figures``."""
        f = self.figures
        groups = f.groupby([f["index"], f["year"], f["component"].fillna("")], sort=False).indices
        return {(str(i), int(y), str(c)): pos for (i, y, c), pos in groups.items()}

    @cached_property
    def parts_positions(self) -> dict[tuple[str, int], np.ndarray]:
        """Positions in ``figures`` of every province's figures of an index's components in a year, keyed
        (index, year), in the order of ``figures``."""
        f = self.figures
        parts = np.flatnonzero(~_overall(f["component"]).to_numpy())
        groups = f.iloc[parts].groupby(["index", "year"], sort=False).indices
        return {(str(i), int(y)): parts[pos] for (i, y), pos in groups.items()}

    @cached_property
    def mean_positions(self) -> dict[tuple[str, int, str], np.ndarray]:
        """Positions in ``all_means`` of the means of an index itself (no component), keyed (index, year,
        scope), in the order of ``all_means``."""
        m = self.all_means
        m = m.assign(_pos=np.arange(len(m)))[_overall(m["component"]).to_numpy()]
        groups = m.groupby([m["index"], m["year"], m["scope"]], sort=False)["_pos"]
        return {(str(i), int(y), str(s)): g.to_numpy() for (i, y, s), g in groups}

    @cached_property
    def year_table_positions(self) -> dict[tuple[str, int, str, int], int]:
        """Position in ``year_tables`` of each table, keyed (index, year, component, generation)."""
        t = self.year_tables
        keys = zip(t["index"], t["year"], t["component"], t["generation"])
        out: dict[tuple[str, int, str, int], int] = {}
        for pos, (i, y, c, g) in enumerate(keys):
            out.setdefault((str(i), int(y), str(c), int(g)), pos)
        return out

    @cached_property
    def unpublished_years(self) -> dict[tuple[str, str], tuple[int, ...]]:
        """Years in which the publisher did not publish a province's index (an overall 'not published' row)
        and no figure of it is shown, keyed (slug, index), sorted: 'không công bố', which is not missing."""
        ind = self.indices
        rows = ind[_overall(ind["component"]).to_numpy() & (ind["status"] == NOT_PUBLISHED).to_numpy()]
        f = self.figures
        shown = set(zip(*(f.loc[_overall(f["component"]).to_numpy(), c] for c in ("province", "index", "year"))))
        years: dict[tuple[str, str], set[int]] = {}
        for slug, index, year in zip(rows["province"], rows["index"], rows["year"]):
            if (slug, index, year) not in shown:
                years.setdefault((str(slug), str(index)), set()).add(int(year))
        return {key: tuple(sorted(ys)) for key, ys in years.items()}

    def kept(self, key: tuple, compute: Callable[[], T]) -> T:
        """``compute()`` once a process for ``key``: what reports compute alike from the dataset (a province's
        history of an index, a region's means), kept for the next report of a reused kernel. Its readers copy
        what they hand on; never pickled (``__getstate__``), so a batch's copy holds none."""
        kept = self.__dict__.setdefault("_kept", {})
        if key not in kept:
            kept[key] = compute()
        return kept[key]

    def __getstate__(self) -> dict:
        return {name: value for name, value in self.__dict__.items() if name != "_kept"}

    def figures_at(self, positions) -> pd.DataFrame:
        """The rows of ``figures`` at ``positions`` (none: an empty frame with its columns)."""
        return self.figures.iloc[positions if positions is not None else []]

    def compute_lookups(self) -> Dataset:
        """Compute every table and lookup the reports read, once (the batch pickles them for its kernels).
        ``figures_of`` and ``indices_of`` are left to each process: splitting costs less than unpickling."""
        for name in (
            "figures",
            "year_tables",
            "all_means",
            "distributions",
            "figure_positions",
            "table_positions",
            "parts_positions",
            "mean_positions",
            "year_table_positions",
            "unpublished_years",
        ):
            getattr(self, name)
        return self


def _overall(component: pd.Series) -> pd.Series:
    """True for a row of an index itself (no component): ``analysis.metrics.overall_rows``."""
    return component.isna() | (component.astype("string").fillna("") == "")


def load_dataset(data_dir: Path | str | None = None, cache: bool = False, copy_of: Path | None = None) -> Dataset:
    """Read, check and type every data file; raise BadInput listing every problem if any is an error.

    In a batch, the kernels read the dataset the batch process already checked (``save_batch_copy``).
    With ``cache``, the checked dataset and its figures are read from (or saved to) the disk cache of
    ``cache.py``, keyed by the bytes of every data file and the code; ``copy_of`` names the folder
    ``data_dir`` was copied from (a batch's snapshot reads and writes that folder's cache file)."""
    data_dir = Path(data_dir) if data_dir is not None else config.data_dir()
    cached = _batch_copy(data_dir)
    if cached is not None:
        return cached
    with _reading(data_dir):  # an import's files all at once, or none of them
        if cache and data_dir.is_dir():
            from .cache import cached_dataset

            return cached_dataset(data_dir, lambda: _checked(data_dir), Dataset, copy_of)
        return _checked(data_dir)


def _checked(data_dir: Path) -> Dataset:
    """Every data file read, checked and typed (the caller holds the folder's shared lock)."""
    rows, problems, files = check_dir(data_dir)
    if errors(problems):
        raise BadInput(problems)
    frames = {t.name: to_frame(t, rows[t.name]) for t in TABLES}
    return Dataset(
        registry=load_registry(data_dir),
        **frames,
        warnings=problems,
        data_hash=data_hash(data_dir, files),
        data_dir=data_dir,
    )


BATCH_COPY = "CCHC_DATASET_COPY"  # set by a batch: its checked dataset, pickled in its private data snapshot


def save_batch_copy(ds: Dataset) -> None:
    """Pickle a checked dataset (with what was computed from it) where the batch's kernels will read it:
    checking 17,000 rows and computing the national tables again in every report would cost ~2 s each."""
    path = os.environ.get(BATCH_COPY)
    if path and Path(path).parent == ds.data_dir:
        ds.compute_lookups()  # computed here, once, for every report's kernel
        write_atomic(Path(path), pickle.dumps(ds, protocol=pickle.HIGHEST_PROTOCOL))


_READ: dict[str, tuple[tuple[int, ...], Dataset]] = {}  # the batch copy this process read, by path


def _batch_copy(data_dir: Path) -> Dataset | None:
    """The batch's checked dataset when this process renders for a batch (its data folder is the batch's
    own snapshot, made private and never changed while the batch runs), else None. Read once a process: a
    reused kernel's reports share it (as ``check-reports`` shares one Dataset) and what each process
    computes from it (``figures_of``), instead of unpickling 25 MB for every report; a copy written
    again (another file, size or time) is read again."""
    path = os.environ.get(BATCH_COPY)
    if not path or Path(path).parent != data_dir or not Path(path).is_file():
        _READ.clear()  # a batch's copy is kept while it is read, not once the process reads other data
        return None
    st = os.stat(path)
    key = (st.st_ino, st.st_size, st.st_mtime_ns)
    if path in _READ and _READ[path][0] == key:
        return _READ[path][1]
    with open(path, "rb") as f:
        ds = pickle.load(f)
    if not (isinstance(ds, Dataset) and ds.data_dir == data_dir):
        return None
    _READ.clear()  # one batch's copy at a time
    _READ[path] = (key, ds)
    return ds


def _reading(data_dir: Path):
    """A shared lock on the data folder (imports take it exclusively), when the folder exists."""
    return folder_lock(data_dir, shared=True) if data_dir.is_dir() else contextlib.nullcontext()


def load_table(
    table: Table | str, path: Path | str, registry: Registry | None = None, rel: str | None = None
) -> tuple[pd.DataFrame, list[Problem]]:
    """One file of a table as a typed DataFrame, and every problem found in it."""
    table = TABLES_BY_NAME[table] if isinstance(table, str) else table
    path = Path(path)
    data_dir = path.parents[table.path.count("/")]
    registry = registry or load_registry(data_dir)
    rel = rel or path.relative_to(data_dir).as_posix()
    rows, problems = check_file(table, path, registry, rel)
    problems += check_rows(table, rows, registry)
    return to_frame(table, rows), problems


def to_frame(table: Table, rows: list[Row]) -> pd.DataFrame:
    """Typed rows as a DataFrame: schema columns, then file and row (and chosen for indices)."""
    if table is INDEX_FIGURES:
        mark_chosen(rows)
    extra = (
        ["file", "row"]
        + (["chosen"] if table is INDEX_FIGURES else [])
        + (["score_decimals"] if table in (INDEX_FIGURES, MEANS) else [])
    )
    columns = table.column_names + extra
    frame = pd.DataFrame.from_records([{c: r.get(c) for c in columns} for r in rows], columns=columns)
    if table in (INDEX_FIGURES, MEANS):  # decimals printed in the score cell (72.10 -> 2), for comparing scores
        frame["score_decimals"] = pd.array([r.get("_decimals", {}).get("score") for r in rows], dtype="Int64")
    for col in table.columns:
        if col.kind in PANDAS_TYPES:
            frame[col.name] = frame[col.name].astype(PANDAS_TYPES[col.kind])
        elif col.kind == "date":
            frame[col.name] = pd.to_datetime(frame[col.name])
        else:
            frame[col.name] = frame[col.name].fillna("").astype(str)
    years = [c.name for c in table.columns if c.kind == "year" and frame[c.name].notna().all()]
    types = dict.fromkeys(years, "int64") | {"row": "int64", "file": str}
    return frame.astype(types | ({"chosen": bool} if "chosen" in frame else {}))


def mark_chosen(rows: list[Row]) -> None:
    """Set row['chosen'] on the one row per (index, year, province, component) that reports use.

    Among the rows that agree with the use=yes row (or with each other, when no row is marked and the
    sources agree), the most complete and precise one is chosen (45.7875 over 45.78); ``figures.combine``
    completes it from the other agreeing rows (a rank beside a score). Sources that disagree without a
    use=yes row give no chosen row. 'Not published' rows are never chosen: the figure does not exist.
    """
    for all_rows in index_groups(rows).values():
        group = usable(all_rows)  # a disputed or contradicted row is never chosen
        used = [r for r in group if r["use"]]
        candidates = [r for r in group if r.get("status") != NOT_PUBLISHED]
        if len(used) == 1:
            candidates = [r for r in candidates if r is used[0] or rows_agree(r, used[0])]
        elif disagree(group):
            candidates = []
        pick = max(candidates, key=fullness) if candidates else None
        for row in all_rows:
            row["chosen"] = row is pick


def data_hash(data_dir: Path, files: list[Path]) -> str:
    """sha256 over the relative path and bytes of the registry and every data file, sorted by path."""
    digest = hashlib.sha256()
    paths = {p.relative_to(data_dir).as_posix(): p for p in [*files, data_dir / "provinces.csv"]}
    for rel in sorted(paths):
        digest.update(rel.encode() + b"\0" + paths[rel].read_bytes() + b"\0")
    return digest.hexdigest()
