"""Planning a batch: the reports to render in every year asked, each with the fingerprint of what it is made
from (the data rows it reads, the code, its parameters), and the provinces skipped for lack of data.
Everything the batch file asks for is checked here, before the reports folder is touched."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from ..data.provinces import generation_for_year
from ..errors import BadInput, CchcError
from ..render import notebook as render
from .jobs import Job, Outcome
from .params import BatchParams

if TYPE_CHECKING:
    from ..data.dataset import Dataset


def latest_year(ds: Dataset) -> int:
    years = set(ds.indices["year"]) | set(ds.tthc["year"]) | set(ds.unit_rankings["year"])
    return int(max(years))


def plan_batch(bp: BatchParams, ds: Dataset, years: list[int] | None = None) -> tuple[list[Job], list[Outcome]]:
    """Jobs to render and provinces skipped for lack of data, year after year, for one pool; checks every
    parameter first. What does not depend on the year (a province's rows, the tables' hashes, which
    years hold a province's component figures) is computed once for all the years."""
    from ..analysis.metrics import can_report
    from ..analysis.years import results_year, year_with_figures
    from ..fingerprint import code_version

    code = code_version()
    shared = shared_rows(ds)
    tables = table_hashes(ds)
    own_rows: dict[str, str] = {}
    components = component_years(ds)
    if years is None:
        years = [latest_year(ds)] if isinstance(bp.years, str) else list(bp.years)  # str: "latest"
        for year in years:
            try:
                year_with_figures(ds, year)
            except CchcError as e:
                raise bp.problem("years", str(e)) from None
    else:
        years = [year_with_figures(ds, results_year(year)) for year in years]
    jobs, skipped = [], []
    for year in years:
        coverage = year_coverage(ds, year)
        units = _units(bp, ds, year)
        for unit in units:
            if not can_report(ds, unit, year):
                skipped.append(
                    Outcome(
                        unit.slug,
                        unit.name,
                        year,
                        "skipped",
                        "no figures for this year" if bp.lang == "en" else "chưa có số liệu năm này",
                    )
                )
                continue
            req = render.plan_report(unit.slug, year, bp.lang, bp.formats, dataset=ds)
            if unit.slug not in own_rows:
                own_rows[unit.slug] = province_rows(ds, unit)
            jobs.append(
                Job(
                    req,
                    unit.name,
                    _fingerprint(
                        code,
                        req,
                        own_rows[unit.slug] + shared + coverage + national_figures(unit, year, tables, components),
                    ),
                )
            )
        if bp.overview:
            req = render.plan_overview(year, bp.lang, bp.formats, dataset=ds)
            jobs.append(Job(req, req.title, _fingerprint(code, req, ds.data_hash)))
    return jobs, skipped


def _units(bp: BatchParams, ds: Dataset, year: int) -> list:
    """The provinces the batch file asks for in a year, each once however it is written; BadInput naming the
    file, key and item."""
    from ..analysis.metrics import can_report
    from ..data.provinces import Province, ProvinceMerged, UnknownProvince

    if bp.provinces == "all":
        gen = generation_for_year(year)
        return [p for p in ds.registry if p.generation == gen or can_report(ds, p, year)]
    units: dict[str, Province] = {}
    problems, names = [], set()
    for i, name in enumerate(bp.provinces, start=1):
        if name in names:
            continue
        names.add(name)
        try:
            unit = ds.registry.resolve(name, year)
        except (UnknownProvince, ProvinceMerged) as e:
            problems += bp.problem("provinces", f"item {i}: {e}").problems
        else:
            units.setdefault(unit.slug, unit)  # one report a province, however many ways it is written
    if problems:
        raise BadInput(problems)
    return list(units.values())


def province_rows(ds: Dataset, unit) -> str:
    """The province's own data: its rows (and its predecessors') in every table, in file order."""
    slugs = {unit.slug, *unit.predecessors}
    parts = []
    for table in (*ds.rows_by_province, ds.figures_by_province):
        rows = sorted(row for slug in slugs for row in table.get(slug, ()))
        parts.append("\n".join(line for _, line in rows))
    return "\n\n".join(parts)


def shared_rows(ds: Dataset) -> str:
    """The data every province's report reads too: the national and regional means (published and
    computed), the registry."""
    means = ds.all_means.drop(columns=["file", "row"], errors="ignore").to_json(orient="records", force_ascii=False)
    return "\n" + means + "\n" + repr(sorted((p.slug, p.name, p.region, p.successor) for p in ds.registry))


def table_hashes(ds: Dataset) -> dict[tuple[str, int], str]:
    """A hash of every province's figures per (index, year): what a report compares its province with."""
    lines = ds.figures_lines  # a table's records, as to_json(orient="records") writes them: "[row,row,...]"
    return {
        (index, int(year)): hashlib.sha256(("[" + ",".join(lines[i] for i in at) + "]").encode()).hexdigest()
        for (index, year), at in sorted(ds.figures.groupby(["index", "year"]).indices.items())
    }


def component_years(ds: Dataset) -> dict[str, set[tuple[str, int]]]:
    """Per province, the (index, year) in which it has a component figure: read once per plan."""
    f = ds.figures
    own = f[f["component"].fillna("") != ""]
    found: dict[str, set[tuple[str, int]]] = {}
    for province, index, year in set(zip(own["province"].tolist(), own["index"].tolist(), own["year"].tolist())):
        found.setdefault(province, set()).add((index, int(year)))
    return found


def national_figures(
    unit, year: int, tables: dict[tuple[str, int], str], components: dict[str, set[tuple[str, int]]]
) -> str:
    """The national tables a province's report compares it with (position, strengths, similar provinces):
    every index in ``year`` and the year before, and each index in the years (and the years before) in
    which the province, or a predecessor, has a component figure up to ``year`` (``component_years``)."""
    from ..data.indices import codes

    keys = {(i, y) for i in codes() for y in (year, year - 1)}
    for slug in {unit.slug, *unit.predecessors}:
        for index, y in components.get(slug, ()):
            if y <= year:
                keys |= {(index, y), (index, y - 1)}
    return "\n" + " ".join(tables.get(k, "") for k in sorted(keys))


def year_coverage(ds: Dataset, year: int) -> str:
    """How complete each index's table of ``year`` is: a report says so for a partial table."""
    t = ds.year_tables
    return "\n" + t[t["year"] == year].drop(columns=["members"]).to_json(orient="records", force_ascii=False)


def _fingerprint(code: str, req: render.ReportRequest, data: str) -> str:
    h = hashlib.sha256()
    for part in (code, repr(req.params), repr(req.formats), data):
        h.update(part.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()
