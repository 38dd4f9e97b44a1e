"""The analysis API: the figures the reports show, as DataFrames to take further in a notebook.

Load the validated data once, then ask questions of it::

    >>> import cchc
    >>> ds = cchc.load()                  # every file of data/, checked and typed
    >>> ds.indices.columns[:6].tolist()   # one tidy table per data file, each row with its source
    ['index', 'year', 'province', 'component', 'score', 'unit']

Every function takes the dataset first and a province as people write it (a name in any spelling, a slug
such as ``dak-nong``, or an old GSO code), and returns a new DataFrame that it is safe to change.
The figures are those the reports use (``Dataset.figures``): the published ones, combined from the rows of
one key, with a rank computed from a complete national table where none was published
(``rank_computed``). ``rank_low`` … ``rank_high`` are the places a rank spans: equal for a published rank
and a computed one; a range where equal printed scores share places ("31–32/63": the publisher ordered
them by decimals it did not print); ``tied`` when the publisher gives two provinces one rank. Missing
figures are NaN/<NA>, never 0.

The examples below run on the shipped ``data/`` (``tests/unit/test_api.py`` runs them), with
``ds = cchc.load()``.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path

import pandas as pd

from .analysis import metrics
from .data import lookup
from .data.dataset import Dataset, load_dataset
from .data.indices import codes
from .data.provinces import MERGER_YEAR, Province, generation_for_year, vi_order
from .errors import AcrossBreak, PredecessorsNote

__all__ = [
    "load",
    "province",
    "history",
    "headline",
    "components",
    "change",
    "compare",
    "national_table",
    "peers",
    "means",
    "region_history",
    "method_breaks",
    "coverage",
    "missing",
    "targets",
    "tthc_rates",
    "unit_rankings",
    "sources",
    "plan_execution",
    "position_table",
    "strengths",
    "similar_provinces",
    "summary_sentences",
    "to_excel",
]

FIGURE_COLUMNS = [
    "score",
    "unit",
    "rank",
    "rank_of",
    "rank_low",
    "rank_high",
    "rank_computed",
    "tied",
    "derived",
    "source",
    "origin",
]
RATES = [
    "on_time_rate",
    "late_rate",
    "full_online_share",
    "online_share",
    "apology_share",
    "pending_overdue_share",
]  # the keys of metrics.tthc_rates: shares 0-1


# ------------------------------------------------------------------ names as people write them (cchc.errors)
def _index(index: str) -> str:
    return lookup.resolve_index(index)


def _years(ds: Dataset, index: str | None = None) -> tuple[int, int]:
    """The results years the data answer for: from the first year with a figure (of ``index``) to the
    year after the latest year of any figure (the year being entered)."""
    f = ds.figures
    years = f.loc[f["index"] == index, "year"] if index else f["year"]
    return int((years if not years.empty else f["year"]).min()), int(f["year"].max()) + 1


def _year(ds: Dataset, year: int, index: str | None = None) -> int:
    first, last = _years(ds, index)
    return lookup.check_year(year, first, last, f"the years of {index or 'the data'}")


def _regions(ds: Dataset) -> set[str]:
    return {p.region for p in ds.registry if p.region}


def _component(ds: Dataset, index: str, component: str, year: int | None = None) -> str:
    f = ds.figures
    f = f[f["index"] == index]
    names = f.loc[f["year"] == year, "component"] if year is not None else f["component"]
    try:
        return lookup.resolve_component(component, index, names)
    except LookupError:
        if year is None:
            raise
        return lookup.resolve_component(component, index, f["component"])  # a name of another year: no figure


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """One dtype per column across the API: ranks and rank changes Int64 (<NA> when missing), counts Int64,
    index as an ordered category of the suite's indices."""
    out = frame.copy()
    for column in ("rank_delta", "rank_delta_start", "rank_change", "n", "rank", "rank_of", "rank_low", "rank_high"):
        if column in out.columns and out[column].dtype != "Int64":
            out[column] = pd.to_numeric(out[column].astype(object).where(out[column].notna(), None)).astype("Int64")
    if "index" in out.columns:
        out["index"] = pd.Categorical(out["index"], categories=list(codes()), ordered=True)
    return out


def _predecessors_said(ds: Dataset, unit: Province, frame: pd.DataFrame, include: bool | None, what: str):
    """The note on a new unit's figures before 2025 (``frame.attrs['predecessors']``) and, when the caller
    did not say whether to include them, a warning."""
    if not unit.is_new:
        return frame
    names = [p.name for p in ds.registry.predecessors(unit.slug)]
    before = (
        f"{unit.name} ({unit.slug}), one of the units of 1 July 2025, was not rearranged; its figures before "
        f"{MERGER_YEAR} are those of {names[0]}"
        if unit.unchanged
        else f"{unit.name} ({unit.slug}) is a unit formed on 1 July 2025; its figures before {MERGER_YEAR} are those "
        f"of its predecessors {', '.join(names)}"
    )
    note = before + (
        " (rows with predecessor=True)." if include else f": {what}(..., include_predecessors=True) adds them."
    )
    frame.attrs["predecessors"] = note
    if include is None:
        warnings.warn(note, PredecessorsNote, stacklevel=3)
    return frame


def load(data_dir: str | Path | None = None, cache: bool = True) -> Dataset:
    """The validated dataset of ``data_dir`` (default: the project's ``data/``, or ``$CCHC_DATA_DIR``).

    The checked dataset and its figures are kept on disk (``$CCHC_CACHE_DIR``, default ``.cache/`` in the
    project) and read back while no data file and no code has changed: well under a second instead of
    several; ``cache=False`` checks every file again.

    Raises ``cchc.errors.BadInput`` listing every problem (file, row, column) when a file is wrong.
    Tables: ``indices``, ``means``, ``targets``, ``tthc``, ``unit_rankings``, ``plan_tasks`` (as in the files, with
    ``file`` and ``row``), ``figures`` (one figure per index, year, province, component) and
    ``all_means`` (published means, plus those computed from complete tables).

    >>> ds = cchc.load()
    >>> sorted(ds.tables)
    ['all_means', 'figures', 'indices', 'means', 'plan_tasks', 'publication', 'targets', 'tthc', 'unit_rankings']
    """
    return load_dataset(data_dir, cache=cache)


def province(ds: Dataset, name: str | int | Province, year: int | None = None) -> Province:
    """The province meant by ``name`` (any spelling, slug, old GSO code); with ``year``, the unit of that
    results year (an old province asked for from 2025 on raises ``ProvinceMerged``).

    >>> p = cchc.province(ds, "dak nong")
    >>> p.slug, p.name, p.region
    ('dak-nong', 'Đắk Nông', 'Tây Nguyên')
    """
    if year is not None:
        year = _year(ds, year)
    if isinstance(name, Province):
        return name
    return ds.registry.resolve(name, year)


def history(
    ds: Dataset,
    name: str | Province,
    index: str | Iterable[str] | None,
    until: int | None = None,
    include_predecessors: bool | None = None,
) -> pd.DataFrame:
    """A province's figures of one index, or of several (a list; None: all), one row per index and year,
    long form: index, province, name, year, score, unit, rank, rank_of, ``rank_share`` (rank / number
    ranked: ranks out of 42, 63 or 64 on one axis), derived (worked out from published figures), source,
    note, rank_computed, tied, ``predecessor``.

    A unit formed in 2025 has no figure of its own before 2025: ``include_predecessors=True`` adds its
    predecessors' rows (``predecessor`` True, ``province`` theirs); unset, a ``PredecessorsNote`` warning
    and ``.attrs['predecessors']`` say so.

    >>> h = cchc.history(ds, "Bắc Kạn", "PAR", until=2019)
    >>> print(h[["year", "rank", "rank_of"]].to_string(index=False))
     year  rank  rank_of
     2016    60       63
     2017    49       63
     2018    49       63
     2019    55       63
    >>> h = cchc.history(ds, "Hà Nội", ["PAR", "PAPI", "PCI"])
    >>> print(h[h["year"] == 2023][["index", "rank", "rank_of", "rank_share"]].round(3).to_string(index=False))
    index  rank  rank_of  rank_share
      PAR     3       63       0.048
     PAPI    15       61       0.246
      PCI    28       63       0.444
    >>> old = cchc.history(ds, "lam-dong-2025", "PAR", include_predecessors=True)   # the new unit of 2025
    >>> sorted(set(old["name"]))
    ['Bình Thuận', 'Lâm Đồng', 'Đắk Nông']
    """
    unit = province(ds, name)
    indices = lookup.resolve_indices(index)
    if until is not None:
        until = _year(ds, until)
    units = [unit] + (ds.registry.predecessors(unit.slug) if unit.is_new and include_predecessors else [])
    frames = []
    for u in units:
        for i in indices:
            h = metrics.index_history(ds, u.slug, i)
            if until is not None:
                h = h[h["year"] <= until]
            frames.append(h.assign(index=i, province=u.slug, name=u.name, predecessor=u is not unit))
    first = ["index", "province", "name", "year"]
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=first)
    out["rank_share"] = out["rank"].astype("Float64") / out["rank_of"].astype("Float64")
    columns = first + [c for c in out.columns if c not in first]
    out = _typed(out[columns]).sort_values(["predecessor", "index", "province", "year"], kind="stable")
    return _predecessors_said(ds, unit, out.reset_index(drop=True), include_predecessors, "history")


def headline(ds: Dataset, name: str | Province, year: int, include_predecessors: bool | None = None) -> pd.DataFrame:
    """Each index with a figure in ``year``: score, rank and the change from the year before
    (``score_delta``; ``rank_delta`` = places gained, Int64) and the years where the method changed (``breaks``);
    ``derived``: this year's figure was worked out from published ones, ``prev_derived``: the year before's was.
    A unit formed in 2025: ``include_predecessors=True`` adds its predecessors' headlines of their last
    year up to ``year`` (``province`` theirs, ``predecessor`` True); unset, a ``PredecessorsNote`` says so.

    >>> h = cchc.headline(ds, "Đắk Nông", 2021)
    >>> print(h[["index", "score", "rank", "rank_of", "score_delta", "rank_delta"]].round(2).to_string(index=False))
    index  score  rank  rank_of  score_delta  rank_delta
      PAR  86.26    41       63         4.21          10
     PAPI  40.04    51       60        -1.59        <NA>
      PCI  61.95    52       63        -0.01           8
      DTI    NaN    41       63          NaN          13
    """
    year = _year(ds, year)
    unit = province(ds, name, year)
    rows = [
        asdict(h) | {"breaks": list(h.breaks), "province": unit.slug} for h in metrics.headline(ds, unit.slug, year)
    ]
    if unit.is_new and include_predecessors:
        for p in ds.registry.predecessors(unit.slug):
            years = metrics.chosen_figures(ds, p.slug)["year"]
            last = [int(y) for y in years if y <= year]
            rows += [
                asdict(h) | {"breaks": list(h.breaks), "province": p.slug, "predecessor": True}
                for h in (metrics.headline(ds, p.slug, max(last)) if last else [])
            ]
    columns = [
        "province",
        "index",
        "year",
        "score",
        "unit",
        "rank",
        "rank_of",
        "prev_year",
        "score_delta",
        "rank_delta",
        "derived",
        "prev_derived",
        "breaks",
        "rank_computed",
        "tied",
        "rank_high",
        "predecessor",
    ]
    out = pd.DataFrame(rows, columns=columns)
    out["predecessor"] = out["predecessor"].eq(True)
    return _predecessors_said(ds, unit, _typed(out), include_predecessors, "headline")


def components(
    ds: Dataset, name: str | Province | None, year: int, index: str = "PAR", component: str | None = None
) -> pd.DataFrame:
    """The parts of an index in ``year`` (PAR areas, PAPI dimensions, PCI sub-indices, DTI pillars) of one
    province, or of every unit of the year with ``name=None`` (long form: pivot it for a wide table):
    province, name, component, ``code`` (short and stable across renamings), score, ``max_score`` (published,
    else the top of the unit's scale: PAPI and PCI /10, DTI 0–1), ``share`` of the maximum, rank, rank_of,
    ``rank_computed``, ``rank_delta`` (places gained since the year before, Int64), ``area`` (True for an area,
    dimension, sub-index or pillar; False for a sub-total of the PAR score such as 'Điểm thẩm định', which
    is left out of strengths and charts). ``component``: one part only (a name in any spelling or its code).

    >>> c = cchc.components(ds, "Đắk Nông", 2022)
    >>> print(c.loc[c["score"].notna(), ["code", "score", "max_score", "share", "rank"]].to_string(index=False))
         code  score  max_score    share  rank
    direction   8.94        NaN      NaN    30
       impact   5.32        6.5 0.818462    28
    >>> t = cchc.components(ds, None, 2023, "PAPI", component="Cong khai minh bach")   # every province
    >>> len(t), t["max_score"].unique().tolist(), t["code"].unique().tolist()
    (61, [10.0], ['transparency'])
    """
    index = _index(index)
    year = _year(ds, year, index)
    part = None if component is None else _component(ds, index, component, year)
    units = [province(ds, name, year)] if name is not None else ds.registry.valid_in(year)
    frames = []
    for unit in units:
        c = metrics.components(ds, unit.slug, year, index)
        if not c.empty:
            frames.append(c.assign(province=unit.slug, name=unit.name))
    if not frames:
        frames = [metrics.components(ds, "", year, index).assign(province="", name="")]
    out = pd.concat(frames, ignore_index=True)
    if part is not None:
        out = out[out["component"] == part]
    chosen = ds.figures[(ds.figures["index"] == index) & (ds.figures["year"] == year)]
    computed = chosen.set_index(["province", "component"])["rank_computed"]
    keys = pd.MultiIndex.from_arrays([out["province"], out["component"]])
    out["rank_computed"] = computed.reindex(keys).fillna(False).astype(bool).to_numpy()
    units_of = chosen.set_index(["province", "component"])["unit"].reindex(keys).to_numpy()
    scale = pd.Series([_SCALE_TOPS.get(u) for u in units_of], index=out.index, dtype="Float64").astype(float)
    out["max_score"] = out["max_score"].fillna(scale)
    out["share"] = out["score"] / out["max_score"]
    out["code"] = [lookup.component_code(index, c) for c in out["component"]]
    first = ["province", "name", "year", "component", "code"]
    out = out[first + [c for c in out.columns if c not in first]]
    if name is not None:
        out = out.drop(columns=["province", "name"])
    return _typed(out.reset_index(drop=True))


_SCALE_TOPS = {"points/10": 10.0, "index 0-1": 1.0, "%": 100.0}  # the top of a scale the unit states


def change(
    ds: Dataset, index: str, start: int, end: int, component: str = "", across_breaks: bool = False
) -> pd.DataFrame:
    """Every province's change of ``index`` (or of one ``component``) from ``start`` to ``end``: score and
    rank in each year, ``score_change`` (difference of the printed figures), ``rank_change`` (places gained,
    Int64), best improvement first (equals in Vietnamese order of their names). Refuses
    (``cchc.errors.AcrossBreak``) two years across a method break of the index or the 2025 merger;
    ``across_breaks=True`` gives the figures with ``comparable`` False and no change where the scale differs.

    >>> c = cchc.change(ds, "PAPI", 2019, 2023)
    >>> print(c.head(3)[["name", "score_start", "score_end", "score_change"]].to_string(index=False))
         name  score_start  score_end  score_change
     Bắc Ninh      42.0800    45.7047          3.62
     Hưng Yên      41.2475    44.2282          2.98
    Khánh Hòa      42.1642    44.9419          2.78
    >>> cchc.change(ds, "PAR", 2019, 2023)
    Traceback (most recent call last):
    ...
    cchc.errors.AcrossBreak: PAR was measured another way from 2020, 2022: 2019 and 2023 are not comparable ...
    """
    index = _index(index)
    start, end = _year(ds, start, index), _year(ds, end, index)
    if generation_for_year(start) != generation_for_year(end):
        raise AcrossBreak(f"{start} and {end} rank other units (the 63 provinces, the 34 units from {MERGER_YEAR}).")
    breaks = metrics.breaks_between(index, min(start, end), max(start, end))
    if breaks and not across_breaks:
        raise AcrossBreak(
            f"{index} was measured another way from {', '.join(map(str, breaks))}: {start} and {end} are not "
            "comparable (method_breaks shows why); across_breaks=True gives the figures flagged."
        )
    a = national_table(ds, index, start, component)
    b = national_table(ds, index, end, component)
    keep = ["province", "score", "unit", "rank", "rank_of", "rank_high"]
    out = b[["province", "name", "region"]].merge(
        a[["province", "name", "region"]], on=["province", "name", "region"], how="outer"
    )
    out = out.merge(a[keep], on="province", how="left").merge(
        b[keep], on="province", how="left", suffixes=("_start", "_end")
    )
    out = out.rename(columns={"score": "score_start", "unit": "unit_start", "rank": "rank_start"})
    same_scale = out["unit_start"] == out["unit_end"]
    out["comparable"] = same_scale & (not breaks)
    out["score_change"] = [
        metrics.printed_difference(e, s, u) if ok and pd.notna(s) and pd.notna(e) else float("nan")
        for s, e, u, ok in zip(out["score_start"], out["score_end"], out["unit_end"], same_scale)
    ]
    exact = (out["rank_high_start"] == out["rank_start"]) & (out["rank_high_end"] == out["rank_end"])
    same_of = out["rank_of_start"] == out["rank_of_end"]
    places = out["rank_start"].astype("Float64") - out["rank_end"].astype("Float64")
    out["rank_change"] = places.where((exact & same_of).fillna(False).astype(bool))
    out = out.assign(index=index, component=component, start=start, end=end, breaks=[breaks] * len(out))
    columns = [
        "index",
        "component",
        "province",
        "name",
        "region",
        "start",
        "end",
        "score_start",
        "score_end",
        "score_change",
        "unit_end",
        "rank_start",
        "rank_of_start",
        "rank_end",
        "rank_of_end",
        "rank_change",
        "comparable",
        "breaks",
    ]
    out = out[columns].rename(columns={"unit_end": "unit"}).assign(_name=vi_order(out["name"]))
    out = out.sort_values(
        ["score_change", "rank_change", "_name"], ascending=[False, False, True], na_position="last"
    ).drop(columns="_name")
    return _typed(out.reset_index(drop=True))


def national_table(
    ds: Dataset, index: str, year: int, component: str = "", generation: int | None = None
) -> pd.DataFrame:
    """Every province with a figure of ``index`` (or of one ``component``) in ``year``, best first: province,
    name, region, score, unit, rank, rank_of, rank_computed (computed from a complete table, where none
    was published), tied, derived, source, origin ('user_official': the ministry's official table entered by the
    user, empty for a published figure). ``generation``: 63 or 34 (default: the units of that year;
    DTI 2024 was also published for the 34 new units).

    >>> t = cchc.national_table(ds, "PAR", 2023)
    >>> t.loc[t["province"] == "ninh-binh", ["score", "rank", "rank_of"]].values.tolist()
    [[88.72, 11, 63]]
    """
    from .analysis import position

    index = _index(index)
    year = _year(ds, year, index)
    component = _component(ds, index, component, year)
    gen = generation_for_year(year) if generation is None else generation
    table = position.national_table(ds, index, year, component, gen)
    return _typed(table[["province", "name", "region", *FIGURE_COLUMNS]].reset_index(drop=True))


def compare(ds: Dataset, names: Iterable[str | Province], index: str, year: int) -> pd.DataFrame:
    """Several provinces side by side on an index and its parts, long form: province, name, component
    ('' for the index itself), score, unit, max_score, rank, rank_of, rank_computed, tied. Pivot it for a
    table: ``.pivot(index="component", columns="name", values="score")``.

    >>> c = cchc.compare(ds, ["Đắk Nông", "Ninh Bình"], "PAR", 2022)
    >>> print(c.loc[c["component"] == "", ["name", "score", "rank"]].to_string(index=False))
         name  score  rank
     Đắk Nông  84.66    37
    Ninh Bình  86.64    17
    """
    index = _index(index)
    year = _year(ds, year, index)
    frames = []
    for name in names:
        unit = province(ds, name, year)
        f = ds.figures
        f = f[(f["province"] == unit.slug) & (f["index"] == index) & (f["year"] == year)]
        frames.append(f.assign(name=unit.name))
    columns = [
        "province",
        "name",
        "component",
        "score",
        "unit",
        "max_score",
        "rank",
        "rank_of",
        "rank_low",
        "rank_high",
        "rank_computed",
        "tied",
    ]
    if not frames:
        return pd.DataFrame(columns=columns)
    out = pd.concat(frames, ignore_index=True)[columns]
    return _typed(out.assign(code=[lookup.component_code(index, c) for c in out["component"]]))


def peers(ds: Dataset, name: str | Province, index: str, year: int) -> pd.DataFrame:
    """The provinces of the same region in the national table of ``year`` (see ``national_table``), best first
    (equals in Vietnamese order), those without a figure last (NaN), with ``is_self`` and ``rank_in_region`` (by
    national rank, published or computed; <NA> where the place is not certain, for it would be a guess: a peer
    without a rank, or equal printed scores sharing places; ``rank_in_region_low`` and ``_high`` bound it). A
    new unit's peers are the new units of its region (a derived region: ``province(...).region_derived``), also
    in a year of the 63 (DTI 2024 was published for the 34 units too). A unit the publisher ranked that the
    registry does not hold counts among the places without a row of its own: Hà Tây, 41st in PCI 2007, is the
    Red River Delta's 10th that year, so Nam Định (44th) is 11th.

    >>> p = cchc.peers(ds, "Đắk Nông", "PAR", 2023)
    >>> print(p[["name", "rank", "rank_in_region", "is_self"]].to_string(index=False))
        name  rank  rank_in_region  is_self
     Đắk Lắk    28               1    False
     Kon Tum    43               2    False
    Lâm Đồng    46               3    False
    Đắk Nông    51               4     True
     Gia Lai    58               5    False
    """
    index = _index(index)
    year = _year(ds, year, index)
    unit = province(ds, name, year)
    table = national_table(ds, index, year, generation=unit.generation)
    region = [p for p in ds.registry.generation(unit.generation) if p.region == unit.region]
    units = pd.DataFrame(
        {"province": [p.slug for p in region], "name": [p.name for p in region], "region": unit.region}
    )
    out = units.merge(table.drop(columns=["name", "region"]), on="province", how="left")
    out = (
        out.assign(_name=vi_order(out["name"]))
        .sort_values(["rank", "score", "_name"], ascending=[True, False, True], na_position="last", kind="stable")
        .drop(columns="_name")
        .reset_index(drop=True)
    )
    bounds = _region_places(ds, table, out, index, year, unit.generation)
    out["rank_in_region_low"] = pd.array([b[0] for b in bounds], dtype="Int64")
    out["rank_in_region_high"] = pd.array([b[1] for b in bounds], dtype="Int64")
    out["rank_in_region"] = out["rank_in_region_low"].where(out["rank_in_region_low"] == out["rank_in_region_high"])
    out["is_self"] = out["province"] == unit.slug
    return _typed(out)


def _region_places(ds: Dataset, table: pd.DataFrame, region: pd.DataFrame, index: str, year: int, gen: int) -> list:
    """Each province's place in its region as the report prints it (``position.region_rank_bounds``): the
    lowest and highest place it can hold from the ranks the data hold; (None, None) without a rank."""
    from .analysis import position

    excluded = position.left_out(ds, index, year)
    ranked = table[table["rank"].notna()]
    name = region["region"].iloc[0] if len(region) else None
    outside, outside_all = (
        position.ranked_outside_registry(index, year, name) if gen == generation_for_year(year) else ([], 0)
    )
    out: list[tuple[int | None, int | None]] = []
    places = dict(
        zip(ranked["province"], zip(ranked["rank"].astype(int), ranked["rank_high"].fillna(ranked["rank"]).astype(int)))
    )
    for slug, rank, rank_of in zip(region["province"], region["rank"], region["rank_of"]):
        if pd.isna(rank):
            out.append((None, None))
            continue
        known = [p for p in places if p != slug]
        peers = [p for p in known if p in set(region["province"])]
        seen = {slug, *known, *excluded}
        unknown = [p for p in ds.registry.generation(gen) if p.slug not in seen]
        out.append(
            position.region_rank_bounds(
                int(rank),
                rank_of,
                [places[p] for p in peers],
                [places[p] for p in known],
                sum(1 for p in unknown if p.slug in set(region["province"])) + len(outside),
                len(unknown) + outside_all,
                rank_high=places[slug][1],
            )
        )
    return out


def means(
    ds: Dataset, index: str, year: int | None = None, scope: str | None = None, component: str = ""
) -> pd.DataFrame:
    """National (``scope`` = 'national') and regional means of an index by year: score, unit, computed
    (True: the simple average of a complete table, ``n`` provinces; False: published, with its source),
    ``generation``: the provinces a year's mean averages (63 up to 2024, 34 from 2025); compare a unit with
    the means of its own generation only.

    >>> m = cchc.means(ds, "PAR", 2024, scope="national")
    >>> m[["year", "scope", "score", "computed", "generation"]].values.tolist()
    [[2024, 'national', 88.37, False, 63]]
    """
    index = _index(index)
    component = _component(ds, index, component, None)
    m = ds.all_means
    m = m[(m["index"] == index) & (m["component"].fillna("") == component)]
    if year is not None:
        m = m[m["year"] == _year(ds, year, index)]
    if scope is not None:
        m = m[m["scope"] == lookup.resolve_region(scope, _regions(ds), national=True)]
    m = m.assign(generation=[generation_for_year(int(y)) for y in m["year"]])
    columns = ["index", "year", "scope", "component", "score", "unit", "computed", "n", "generation", "source", "note"]
    return _typed(m[columns].sort_values(["year", "scope"], kind="stable").reset_index(drop=True))


def region_history(ds: Dataset, region: str, index: str, generation: int | None = None) -> pd.DataFrame:
    """The figures of every province of a region (a region of ``provinces.csv``) by year (within a year in
    Vietnamese order), long form: year, province, name, score, unit, rank, rank_of, rank_computed, tied. Each
    year holds the provinces of its own generation (the 63 up to 2024, the 34 new units from 2025), or those of
    ``generation`` (34: the new units' DTI 2024 too; their regions are derived). The region's mean:
    ``means(ds, index, scope=region)``.

    >>> r = cchc.region_history(ds, "Tây Nguyên", "PAR")
    >>> sorted(set(r["name"]))
    ['Gia Lai', 'Kon Tum', 'Lâm Đồng', 'Đắk Lắk', 'Đắk Nông']
    """
    region = lookup.resolve_region(region, _regions(ds))
    index = _index(index)
    names = {p.slug: p.name for p in ds.registry if p.region == region}
    gen = {p.slug: p.generation for p in ds.registry}
    f = ds.figures
    f = f[(f["index"] == index) & (f["component"].fillna("") == "") & f["province"].isin(names)]
    wanted = f["year"].map(generation_for_year) if generation is None else generation
    f = f[f["province"].map(gen) == wanted]
    out = f.assign(name=f["province"].map(names))
    columns = ["year", "province", "name", *FIGURE_COLUMNS[: FIGURE_COLUMNS.index("tied") + 1]]
    out = out[columns].assign(_name=vi_order(out["name"])).sort_values(["year", "_name"], kind="stable")
    return _typed(out.drop(columns="_name").reset_index(drop=True))


def method_breaks(index: str) -> pd.DataFrame:
    """The years from which an index was measured another way (vi and en wording): compare across them
    with care.

    >>> print(cchc.method_breaks("PAR")["year"].tolist())
    [2016, 2020, 2022]
    """
    from .catalogue import text

    index = _index(index)
    rows = [
        (year, text(f"break.{index}.{year}", "vi"), text(f"break.{index}.{year}", "en"))
        for year in metrics.method_breaks(index)
    ]
    return pd.DataFrame(rows, columns=["year", "vi", "en"])


def coverage(ds: Dataset, index: str | None = None, year: int | None = None) -> pd.DataFrame:
    """How complete each year's national table is: units of the generation, provinces scored and ranked
    (published), expected (ranked that year), complete (ranks and means can be computed from it); what the
    publisher published of the table's generation (``published``: all, top_n or new_units, with
    ``published_n``, data/publication.csv: DTI 2024 all 63 provinces and the 34 new units) and ``status``:
    'published' (the data hold the whole table), 'published_top_n' (only the top n were published: a
    province below them has no figure to enter) or 'not_entered' (published for every province; the data
    lack some). A limit is on the index's ranking: component rows (VCCI's 2023 file
    gives every province's sub-indices) are 'published' when complete.

    >>> c = cchc.coverage(ds, "PAR", 2021)
    >>> c.loc[c["component"] == "", ["units", "complete"]].values.tolist()
    [[63, False]]
    """
    t = ds.year_tables.drop(columns=["members"])
    if index is not None:
        t = t[t["index"] == _index(index)]
    if year is not None:
        t = t[t["year"] == year]
    t = t.reset_index(drop=True)
    limits = [metrics.publication_limit(ds, *key) or {} for key in zip(t["index"], t["year"], t["generation"])]
    t["published"] = [limit.get("coverage", "all") for limit in limits]
    t["published_n"] = pd.array([limit.get("n") for limit in limits], dtype="Int64")
    t.loc[t["component"] != "", ["published", "published_n"]] = ["all", pd.NA]  # a limit is on the ranking
    t["status"] = "not_entered"
    t.loc[t["complete"].astype(bool), "status"] = "published"
    t.loc[t["published"] == "top_n", "status"] = "published_top_n"
    return t.reset_index(drop=True)


def missing(ds: Dataset, name: str | Province, year: int) -> pd.DataFrame:
    """Why each index has no figure for the province in ``year``: ``reason`` 'not_published' (the publisher
    left it out), 'outside_top_n' (only the top ``published_n`` were published and it is not among them:
    its rank lies in ``rank_low`` … ``rank_high``, shown '> 30'), 'top_n_unknown' (only the top n were
    published and the data hold part of them), 'for_successor' (published for the new units only; its
    successor has a figure), 'not_entered' (published for its generation, not in the data: an old
    province's DTI 2024, published for the 63 and for the 34 units) or 'before_unit' (a unit of 2025 in a year
    whose index ranked only the old provinces: PAR 2024 of Lâm Đồng 2025). One row per
    index without a figure; the words are ``catalogue.text(f"missing.{reason}", lang, …)``.

    >>> cchc.missing(ds, "Hà Nội", 2023)["index"].tolist()  # doctest: +SKIP
    """
    slug = province(ds, name, year).slug
    rows = []
    for index in codes():
        reason = metrics.missing_reason(ds, slug, index, year)
        if reason is None:
            continue
        limit = metrics.publication_limit(ds, index, year, ds.registry.get(slug).generation) or {}
        bounds = metrics.rank_bounds(ds, slug, index, year) or (None, None)
        rows.append(
            {
                "index": index,
                "year": year,
                "reason": reason,
                "published_n": limit.get("n"),
                "rank_low": bounds[0],
                "rank_high": bounds[1],
            }
        )
    return pd.DataFrame(rows, columns=["index", "year", "reason", "published_n", "rank_low", "rank_high"]).astype(
        {"published_n": "Int64", "rank_low": "Int64", "rank_high": "Int64"}
    )


def targets(ds: Dataset, name: str | Province, year: int) -> pd.DataFrame:
    """The province's own targets (resolutions, plans), judged with the figures up to ``year``: the row of
    ``targets`` plus ``actual`` (latest value; for a band target its level, named in ``actual_text``),
    ``actual_year``, ``status`` (met, on_track, off_track, not_met after the deadline, no_data when the
    target is measurable but the data hold no recent figure, not_measurable when no published figure
    measures it), the path to the target (``required_per_year``: the change a year needed from the latest
    figure to the deadline; ``trend_per_year``: the average change a year over the last three figures;
    ``projected``: the latest figure carried on at that trend to the deadline) and ``why`` (catalogue key
    of the reason a target is not judged). Ranks count places (negative = better); PAPI groups are the
    quartiles of the year's complete table (1 = Thấp nhất … 4 = Cao nhất).

    >>> t = cchc.targets(ds, "Đắk Nông", 2023)
    >>> print(t.loc[t["metric"].isin(["par_rank", "papi_band"]),
    ...             ["metric", "actual", "status", "required_per_year", "trend_per_year"]].to_string(index=False))
       metric  actual    status  required_per_year  trend_per_year
     par_rank    51.0 off_track               -5.5             5.0
    papi_band     1.0 off_track                1.0             0.0
    """
    return metrics.targets_table(ds, province(ds, name, year).slug, year)


def tthc_rates(ds: Dataset, name: str | Province, year: int) -> pd.DataFrame:
    """The province's TTHC (administrative procedure) records of ``year`` with their rates (shares 0-1,
    NaN when a count is missing): on_time_rate and late_rate (of dossiers resolved), full_online_share and
    online_share (of dossiers newly received), apology_share (of dossiers resolved late),
    pending_overdue_share (of dossiers pending); ``discrepancies``: reported totals that do not add up.
    ``scope`` says whose dossiers a record counts: 'province', or one 'department', 'district' or 'commune'
    named in ``agency`` (whose figures are never the province's); 'agency' when the data do not give its level.

    >>> t = cchc.tthc_rates(ds, "Đắk Nông", 2024)
    >>> print(t[["agency", "scope", "resolved_total", "on_time_rate"]].round(4).to_string(index=False))
        agency      scope  resolved_total  on_time_rate
    Sở Tư pháp department            3250        0.9729
    """
    rows = metrics.tthc_for(ds, province(ds, name, year).slug, year)
    rates = pd.DataFrame([metrics.tthc_rates(r) for _, r in rows.iterrows()], columns=RATES, dtype=float)
    out = pd.concat([rows.reset_index(drop=True), rates], axis=1)
    out["discrepancies"] = [len(metrics.tthc_discrepancies(r)) for _, r in rows.iterrows()]
    return out


def unit_rankings(ds: Dataset, name: str | Province, year: int) -> pd.DataFrame:
    """Rankings inside the province in ``year`` (departments, districts): level, unit, score, rank,
    rank_of, group, listed_order (order of a list without ranks), source.

    >>> r = cchc.unit_rankings(ds, "Ninh Bình", 2022)
    >>> r.loc[r["level"] == "district", "unit"].tolist()
    ['Yên Mô', 'Kim Sơn', 'Yên Khánh']
    """
    ur = ds.unit_rankings
    ur = ur[(ur["province"] == province(ds, name, year).slug) & (ur["year"] == year)]
    return ur.sort_values(["level", "rank", "listed_order"], na_position="last", kind="stable").reset_index(drop=True)


def plan_execution(ds: Dataset, name: str | Province, year: int) -> pd.DataFrame:
    """The share of the year's reform-plan tasks completed, by plan and agency (``agency`` empty = the
    province's own plan): plan, tasks_planned, tasks_completed, ``share`` (0–1), as_of, ``origin``
    ('published', or 'user' for the user's own entry) and source. Empty when no figure was entered: the one
    published figure is a department's (Sở Tư pháp Đắk Nông, 2024); none is published for a province.

    >>> cchc.plan_execution(ds, "Đắk Nông", 2023).empty
    True
    """
    return metrics.plan_execution(ds, province(ds, name, year).slug, year)


def sources(ds: Dataset, name: str | Province, year: int) -> pd.DataFrame:
    """Every data row an index figure of the province up to ``year`` comes from, with its source and its
    place in data/ (``file``, ``row``).

    >>> s = cchc.sources(ds, "Đắk Nông", 2021)
    >>> s.loc[(s["index"] == "PAR") & (s["year"] == 2021) & (s["score"].notna()), "score"].tolist()
    [86.26]
    """
    return metrics.sources_used(ds, province(ds, name, year).slug, year)


def position_table(ds: Dataset, name: str | Province, year: int) -> pd.DataFrame:
    """Where the province stands on each index with a figure in ``year``: national group (``group``: the
    quartile 1-4 of the ranking, ``group_method`` 'quartile'; PAR INDEX from 2024 the official 'A'/'B',
    'official'), rank in the region among the units of its ``generation``: ``rank_in_region_low`` to
    ``rank_in_region_high``, equal when it is known (then also ``rank_in_region``; a bound when some of the
    region's ``region_rank_of`` provinces ranked have no rank in the data, ``region_ranked`` have one),
    gaps to the national and regional means of its generation and to the best province (same unit, the
    difference of the printed figures), change since the year before and since the first year (NaN across
    scales), and the method breaks in between (years).

    >>> p = cchc.position_table(ds, "Hà Nội", 2023)
    >>> print(p[["index", "rank", "rank_in_region_low", "rank_in_region_high", "gap_national", "gap_best"]]
    ...       .round(2).to_string(index=False))
    index  rank  rank_in_region_low  rank_in_region_high  gap_national  gap_best
      PAR     3                   3                    3          4.45     -0.75
    SIPAS    21                   5                   11          0.91     -7.04
     PAPI    15                   4                    4          1.54     -2.08
      PCI    28                   6                   11           NaN       NaN
      DTI     6                   1                    1           NaN       NaN
    >>> p.loc[p["index"] == "PAR", "breaks_start"].item()
    [2020, 2022]
    """
    from .analysis import position

    out = _typed(position.index_position(ds, province(ds, name, year).slug, year))
    out["group"] = out["group"].map(lambda g: None if g is None or pd.isna(g) else str(g)).astype("string")
    return out


def strengths(ds: Dataset, name: str | Province, year: int, n: int = 2) -> pd.DataFrame:
    """Per index, the ``n`` strongest (``side`` 'strength') and weakest ('weakness') components against
    the other provinces (PAR areas, PAPI dimensions, PCI sub-indices, DTI pillars; latest year up to
    ``year`` with ranks): rank, ``ahead_of`` (share of the other ranked provinces it is ahead of), ``z``
    (z-score among the provinces scored), and the change since the year before (``rank_delta``).

    >>> s = cchc.strengths(ds, "Kon Tum", 2023)
    >>> print(s.loc[s["index"] == "PAR", ["component", "rank", "side"]].to_string(index=False))
                           component  rank     side
                    Cải cách thể chế    22 strength
             Cải cách tổ chức bộ máy    22 strength
    Công tác chỉ đạo, điều hành CCHC    52 weakness
             Cải cách tài chính công    51 weakness
    """
    from .analysis import position

    return _typed(position.strengths(ds, province(ds, name, year).slug, year, n))


def similar_provinces(ds: Dataset, name: str | Province, year: int, index: str = "PAPI", n: int = 3) -> pd.DataFrame:
    """The ``n`` provinces closest on the components of ``index`` (Euclidean distance on component scores
    standardised across provinces, latest year up to ``year`` with a complete component table), and how
    they did that year: score, rank, score_delta, rank_delta since the year before.

    >>> s = cchc.similar_provinces(ds, "Hà Nội", 2023, "PAPI")
    >>> print(s[["name", "distance", "rank", "rank_delta"]].to_string(index=False))
           name  distance  rank  rank_delta
      Vĩnh Phúc     2.078    16          -7
        Đà Nẵng     2.468    27           2
    Hồ Chí Minh     2.662    36           6
    """
    from .analysis import position

    return _typed(position.similar_provinces(ds, province(ds, name, year).slug, year, _index(index), n))


def summary_sentences(ds: Dataset, name: str | Province, year: int, lang: str = "vi") -> list[str]:
    """The report's first page: about five sentences on where the province stands and what moved.

    >>> cchc.summary_sentences(ds, "Đắk Nông", 2023)[0]
    'Năm 2023, Đắk Nông xếp thứ 51/63 về Chỉ số CCHC, thuộc nhóm 1/4 cuối cả nước, thứ 4/5 trong vùng Tây Nguyên.'
    >>> cchc.summary_sentences(ds, "Đắk Nông", 2023, "en")[2]
    'Since 2022: PAR INDEX down 14 places, PAPI down 10 places.'
    """
    from .analysis import position
    from .report import summary

    unit = province(ds, name, year)
    return summary.summary_sentences(
        unit.name,
        year,
        position.index_position(ds, unit.slug, year),
        position.standings(ds, unit.slug, year),
        position.similar_by_index(ds, unit.slug, year),
        lang,
    )


def to_excel(frame: pd.DataFrame | dict[str, pd.DataFrame], path: str | Path, lang: str = "vi") -> Path:
    """Write a table of this API (or several: ``{sheet name: table}``) to an Excel workbook to hand on:
    headers in ``lang`` ('vi' or 'en'), "có"/"không" for True/False, a rank the publisher gives two
    provinces as "=16" and a computed rank over shared places as "31–32", missing cells empty (never 0),
    text that a spreadsheet would run as a formula kept as text, and a last sheet of the sources cited.

    >>> import pathlib, tempfile
    >>> path = cchc.to_excel({"DTI 2021": cchc.national_table(ds, "DTI", 2021)},
    ...                      pathlib.Path(tempfile.mkdtemp()) / "dti.xlsx")
    >>> from openpyxl import load_workbook
    >>> book = load_workbook(path)
    >>> book.sheetnames
    ['DTI 2021', 'Nguồn']
    >>> [c.value for c in book["DTI 2021"][1]][:6]
    ['Mã tỉnh', 'Tỉnh, thành phố', 'Vùng', 'Điểm', 'Thang đo', 'Thứ hạng']
    """
    from .analysis.export import to_excel as write

    return write(frame, path, lang)
