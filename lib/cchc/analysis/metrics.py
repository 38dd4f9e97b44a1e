"""Reform-progress figures computed from a Dataset: history, change, peers, targets, TTHC rates.

Pure functions over DataFrames. A rank is the published one, or, where none was published, the rank
computed from a complete national table (``figures``: ``rank_computed``, ties in ``tied``); means are the
published ones, or computed from a complete table (``computed``).
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..catalogue import name_in, text
from ..data.indices import codes, record
from ..data.provinces import MERGER_YEAR, covered_generation, generation_for_year
from ..data.schema import CONTRADICTED, DISPUTED, NOT_PUBLISHED, TARGET_METRICS
from ..data.tthc import TTHC_IDENTITIES, tthc_discrepancies  # noqa: F401  (used by sections)

if TYPE_CHECKING:
    from ..data.dataset import Dataset


def printed_decimals(unit: str) -> int:
    """The decimals a score (and a difference of scores) of ``unit`` is printed with: 4 on the 0-1 scale,
    else 2."""
    return 4 if unit == "index 0-1" else 2


def printed_difference(a, b, unit: str) -> float:
    """``a - b`` as a reader can check it: the difference of the two figures as the reports print them
    (each rounded half-even on its exact value, like Babel), so a gap or a change printed beside two
    printed figures is their difference. NaN when either is missing.

    >>> printed_difference(41.533, 43.6163, "points/80")   # 41,53 - 43,62, not -2,0833 printed -2,08
    -2.09
    """
    if a is None or b is None or pd.isna(a) or pd.isna(b):
        return np.nan
    d = printed_decimals(unit)
    return round(round(float(a), d) - round(float(b), d), d)


def overall_rows(df: pd.DataFrame) -> pd.Series:
    """True for rows of an index itself (no component)."""
    comp = df["component"]
    return comp.isna() | (comp.astype("string").fillna("") == "")


def chosen_figures(ds: Dataset, slug: str, index: str | None = None, overall: bool = True) -> pd.DataFrame:
    """The figures reports use for a province (one row per index, year, component; ``ds.figures``), looked
    up in ``ds.figure_positions``."""
    if index:
        return ds.figures_at(ds.figure_positions.get((slug, index, overall)))
    df = ds.figures_of.get(slug)
    if df is None:
        return ds.figures.iloc[0:0]
    return df[overall_rows(df) if overall else ~overall_rows(df)]


def chosen_parts(ds: Dataset, index: str) -> pd.DataFrame:
    """Every province's figures of the index's components, each province's rows as ``chosen_figures(ds, slug,
    index, overall=False)`` gives them, one province after another: kept once a process (read, never changed)."""

    def parts() -> pd.DataFrame:
        found = [pos for (_, i, overall), pos in ds.figure_positions.items() if i == index and not overall]
        return ds.figures_at(np.concatenate(found) if found else None)

    return ds.kept(("chosen_parts", index), parts)


def years_with_data(ds: Dataset, slug: str) -> list[int]:
    """Results years with any figure for the province (indices, TTHC or unit rankings)."""
    return list(ds.years_by_province.get(slug, ()))


def data_years(ds: Dataset) -> list[int]:
    """Results years with any figure for any province, sorted."""
    return sorted({year for years in ds.years_by_province.values() for year in years})


def can_report(ds: Dataset, unit, year: int) -> bool:
    """A report needs figures for the year; a new unit from 2025 on also reports its predecessors' history."""
    if year in years_with_data(ds, unit.slug):
        return True
    if unit.is_new and year >= MERGER_YEAR:
        return any(years_with_data(ds, p) for p in unit.predecessors)
    return False


def index_history(ds: Dataset, slug: str, index: str) -> pd.DataFrame:
    """One row per year: score, unit, rank, rank_of, derived, source, and whether the rank was computed
    from a complete table and is shared with another province (overall index only)."""
    cols = [
        "year",
        "score",
        "unit",
        "rank",
        "rank_of",
        "rank_low",
        "rank_high",
        "derived",
        "source",
        "note",
        "rank_computed",
        "tied",
    ]
    return ds.kept(
        ("index_history", slug, index), lambda: chosen_figures(ds, slug, index)[cols].reset_index(drop=True)
    ).copy()


def exact_rank(row) -> bool:
    """True when a figure's rank is one place (published, or computed without an equal printed score);
    False for a missing rank or a range of places ('31–32/63')."""
    rank, high = row.get("rank"), row.get("rank_high")
    return pd.notna(rank) and (high is None or pd.isna(high) or int(high) == int(rank))


def rank_delta(cur, prev) -> int | None:
    """Places gained from ``prev`` to ``cur`` (positive = better), or None: a rank missing, ranked among a
    different number of provinces, or a range of places (a change from a range would be made up)."""
    if not (exact_rank(cur) and exact_rank(prev)) or cur.get("rank_of") != prev.get("rank_of"):
        return None
    return int(prev["rank"]) - int(cur["rank"])


def not_published_years(ds: Dataset, slug: str, index: str) -> list[int]:
    """Years in which the publisher did not publish the province's index (status 'not published') and no
    other row gives a figure: 'không công bố', which is not missing (``ds.unpublished_years``)."""
    return list(ds.unpublished_years.get((slug, index), ()))


def method_breaks(index: str) -> tuple[int, ...]:
    """The index's changes of method or scale (its record's ``breaks``): the first results year under each
    new method. What changed is said in the catalogue (``break.<index>.<year>``)."""
    rec = record(index)
    return rec.breaks if rec else ()


def breaks_between(index: str, start: int, end: int) -> list[int]:
    """Years of the method breaks that fall after ``start`` and at or before ``end``; what changed is
    ``catalogue.text(f"break.{index}.{year}", lang)``."""
    return [y for y in method_breaks(index) if start < y <= end]


@dataclass
class Headline:
    index: str
    year: int
    score: float
    unit: str
    rank: object
    rank_of: object
    prev_year: int | None
    score_delta: float | None
    rank_delta: int | None  # places gained: positive = better
    derived: bool  # this year's figure was worked out from published ones (data's ``derived``)
    breaks: list  # years of method breaks between the previous year and this one
    rank_computed: bool = False  # computed from the complete table of the year (see figures)
    tied: bool = False  # the published rank is shared with another province
    rank_high: object = None  # the worst place a computed rank spans (equal printed scores), else the rank
    prev_derived: bool = False  # the previous year's figure, behind the change, was worked out


def headline(ds: Dataset, slug: str, year: int) -> list[Headline]:
    """For each index with a figure in ``year``: level, published rank and change from year-1."""
    return _headline(chosen_figures(ds, slug), year)


def headlines(ds: Dataset, slugs, year: int) -> dict[str, list[Headline]]:
    """``headline`` of many provinces at once (an index page of a year): the same figures, the national
    table filtered once instead of once a province."""
    df = ds.figures
    df = df[df["province"].isin(set(slugs)) & df["year"].isin([year - 1, year]) & overall_rows(df)]
    df = df.sort_values(["index", "year", "component"], na_position="first")[["province", *_HEADLINE_COLUMNS]]
    groups = dict(tuple(df.groupby("province", sort=False)))
    return {slug: _headline(groups[slug], year) if slug in groups else [] for slug in slugs}


_HEADLINE_COLUMNS = [
    "index",
    "year",
    "score",
    "unit",
    "rank",
    "rank_of",
    "derived",
    "rank_computed",
    "tied",
    "rank_low",
    "rank_high",
]


def _headline(figures: pd.DataFrame, year: int) -> list[Headline]:
    """The headline of one province from its overall figures (``chosen_figures``), of ``year`` and year-1."""
    at: dict[tuple[str, int], int] = {}
    for i, key in enumerate(zip(figures["index"], figures["year"])):
        at.setdefault((key[0], int(key[1])), i)  # the first row, as chosen_figures sorts them
    out = []
    for index in codes():
        if (index, year) not in at:
            continue
        cur = figures.iloc[at[(index, year)]]
        prev = figures.iloc[at[(index, year - 1)]] if (index, year - 1) in at else None
        score_delta = places = None
        if prev is not None:
            if pd.notna(cur["score"]) and pd.notna(prev["score"]) and cur["unit"] == prev["unit"]:
                score_delta = printed_difference(cur["score"], prev["score"], cur["unit"])
            places = rank_delta(cur, prev)
        out.append(
            Headline(
                index,
                year,
                cur["score"],
                cur["unit"],
                cur["rank"],
                cur["rank_of"],
                year - 1 if prev is not None else None,
                score_delta,
                places,
                bool(cur["derived"]),
                breaks_between(index, year - 1, year),
                bool(cur["rank_computed"]),
                bool(cur["tied"]),
                cur["rank_high"],
                prev is not None and bool(prev["derived"]),
            )
        )
    return out


def trend_run(ranks: pd.Series, rank_of: pd.Series | None = None) -> pd.Series:
    """The ranks a trend compares (``rank_stability``): the latest years ranked out of as many provinces as the
    last, as floats; every rank when ``rank_of`` is not given."""
    r = ranks.dropna().astype(float)
    if rank_of is not None and len(r):
        of = rank_of.reindex(r.index)
        same = (of == of.iloc[-1])[::-1].cummin()[::-1]  # the run of years ending with the last
        r = r[same.to_numpy(dtype=bool)]
    return r


def rank_stability(ranks: pd.Series, rank_of: pd.Series | None = None) -> str:
    """'steady_up', 'steady_down', 'up', 'down', 'stable', 'unstable' or 'too_short' for ranks by year.

    Only the latest years ranked out of as many provinces as the last (``rank_of``, same index) are compared:
    38th of 42 and 44th of 64 are not places on one scale. Unstable: the rank moves both ways by 3 or more
    places (Bắc Kạn 60, 49, 49, 55 is unstable). Steady: it moved the same way every year; otherwise
    'up' or 'down' overall (8, 6, 21 did not fall year after year).
    """
    r = trend_run(ranks, rank_of)
    if len(r) < 3:
        return "too_short"
    moves = -np.diff(r.to_numpy())  # positive = places gained
    big = moves[np.abs(moves) >= 3]
    if (big > 0).any() and (big < 0).any():
        return "unstable"
    if np.abs(moves).max() <= 2:
        return "stable"
    if (moves > 0).all() or (moves < 0).all():
        return "steady_up" if moves.sum() > 0 else "steady_down"
    return "up" if moves.sum() > 0 else "down"


def means_for(ds: Dataset, index: str, region: str, lang: str = "vi") -> pd.DataFrame:
    """National and regional means of an index: year, scope, scope_label, score, unit, computed, n (the
    published mean, else one computed from the year's complete table); ``scope_label`` names the scope
    in ``lang`` (the region's own name, or the catalogue's word for national)."""
    return ds.kept(("means_for", index, region, lang), lambda: _means_for(ds, index, region, lang)).copy()


def _means_for(ds: Dataset, index: str, region: str, lang: str) -> pd.DataFrame:
    m = ds.all_means
    m = m[(m["index"] == index) & overall_rows(m) & m["scope"].isin(["national", region])].copy()
    m["scope_label"] = [
        text("national", lang) if s == "national" else name_in("region_name", s, lang) for s in m["scope"]
    ]
    return m.sort_values(["scope", "year"])


def is_area(index: str, component: str) -> bool:
    """True for a component that is an area, dimension, sub-index or pillar of its index; False for a
    sub-total or survey part of the PAR score ('Điểm thẩm định') and for the DTI main indices that its
    pillars group (the DTI parts compared are the three pillars): the record's ``Component.area``."""
    rec = record(index)
    return rec.is_area(component) if rec else True


def components(ds: Dataset, slug: str, year: int, index: str = "PAR") -> pd.DataFrame:
    """An index's parts in ``year`` (PAR areas by default): score, max, share of max, rank, change in rank
    from year-1; ``area`` False for a sub-total of the score (``is_area``)."""
    comp = chosen_figures(ds, slug, index, overall=False)
    cur = comp[comp["year"] == year][
        ["year", "component", "score", "max_score", "rank", "rank_of", "rank_high", "source"]
    ]
    prev = comp[comp["year"] == year - 1][["component", "rank", "rank_of", "rank_high"]].rename(
        columns={"rank": "prev_rank", "rank_of": "prev_rank_of", "rank_high": "prev_rank_high"}
    )
    out = cur.merge(prev, on="component", how="left")
    out["share"] = out["score"] / out["max_score"]
    comparable = out["prev_rank_of"].isna() | out["rank_of"].isna() | (out["prev_rank_of"] == out["rank_of"])
    ranges = (out["rank_high"] != out["rank"]) | (out["prev_rank_high"] != out["prev_rank"])  # no change from a range
    comparable &= ~ranges.fillna(False).astype(bool)
    out["rank_delta"] = (out["prev_rank"].astype("Float64") - out["rank"].astype("Float64")).where(comparable)
    out["area"] = [is_area(index, c) for c in out["component"]]
    return out.drop(columns=["prev_rank_of", "prev_rank_high"]).reset_index(drop=True)


def latest_components_year(ds: Dataset, slug: str, year: int, index: str = "PAR") -> int | None:
    """The latest results year up to ``year`` with a figure for some part of the index, or None."""
    comp = chosen_figures(ds, slug, index, overall=False)
    years = comp.loc[comp["year"] <= year, "year"]
    return int(years.max()) if not years.empty else None


# ------------------------------------------------------------------ TTHC
# Each rate: its numerator's counts (summed) and its denominator, columns of ``tthc.csv``. A count is in a
# column only when the source defines it as the column does (data/README.md), so each rate divides counts
# defined alike; a rate whose counts are not all given is absent, never 0.
TTHC_RATE_PARTS = {
    "on_time_rate": (("resolved_early_ontime",), "resolved_total"),
    "late_rate": (("resolved_late",), "resolved_total"),
    "full_online_share": (("received_online_full",), "received_new"),
    "online_share": (("received_online_full", "received_online_partial"), "received_new"),
    "apology_share": (("apology_letters",), "resolved_late"),
    "pending_overdue_share": (("pending_overdue",), "pending_total"),
}


def _count(row: pd.Series, column: str) -> float | None:
    value = row.get(column)
    return None if value is None or pd.isna(value) else float(value)


def tthc_rates(row: pd.Series) -> dict:
    """Rates of one TTHC record (shares 0-1), by ``TTHC_RATE_PARTS``; None when a count is missing or the
    denominator is 0."""
    out: dict = {}
    for rate, (parts, denominator) in TTHC_RATE_PARTS.items():
        counts, den = [_count(row, p) for p in parts], _count(row, denominator)
        given = den is not None and den > 0 and all(c is not None for c in counts)
        out[rate] = sum(c for c in counts if c is not None) / den if given and den else None
    return out


def tthc_scope(row: pd.Series) -> str:
    """Whose dossiers a record counts: its ``scope``, or 'province' when it names no agency; 'agency' for an
    agency whose level (department, district, commune) is not given — never the province."""
    scope, agency = row.get("scope"), row.get("agency")
    if isinstance(scope, str) and scope:
        return scope
    return "province" if not (isinstance(agency, str) and agency) else "agency"


def tthc_rate_rows(row: pd.Series) -> pd.DataFrame:
    """The rates of one TTHC record that its counts give, one row each: ``scope`` (province, department,
    district, commune) and ``agency`` (empty for the province), ``rate``, ``value`` (0-1), the
    ``numerator`` / ``denominator`` columns and their counts. A rate without all its counts has no row."""
    agency = row.get("agency") if isinstance(row.get("agency"), str) else ""
    rates, out = tthc_rates(row), []
    for rate, (parts, denominator) in TTHC_RATE_PARTS.items():
        if rates[rate] is None:
            continue
        out.append(
            {
                "scope": tthc_scope(row),
                "agency": agency,
                "rate": rate,
                "value": rates[rate],
                "numerator": " + ".join(parts),
                "numerator_count": int(sum(_count(row, p) or 0 for p in parts)),
                "denominator": denominator,
                "denominator_count": int(_count(row, denominator) or 0),
            }
        )
    columns = ["scope", "agency", "rate", "value", "numerator", "numerator_count", "denominator", "denominator_count"]
    return pd.DataFrame(out, columns=columns)


def tthc_for(ds: Dataset, slug: str, year: int) -> pd.DataFrame:
    """The province's TTHC records of ``year`` (the whole province's first, then by agency), each with its
    ``scope`` (``tthc_scope``): a department's counts are never the province's."""
    t = ds.tthc
    t = t[(t["province"] == slug) & (t["year"] == year)].copy()
    t["scope"] = [tthc_scope(r) for _, r in t.iterrows()]
    t["_order"] = (t["scope"] != "province").astype(int)
    return t.sort_values(["_order", "agency"], kind="stable").drop(columns="_order").reset_index(drop=True)


# ------------------------------------------------------------------ targets
_OPS = {">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt, "==": operator.eq}


def index_bands(index: str) -> tuple[str, ...]:
    """The bands a target may name, worst first (their level is the position + 1): the record's ``bands``.
    PAPI's quartile groups are computed from a complete table of the year; VCCI's PCI groups are as
    published (in the row's note)."""
    rec = record(index)
    return rec.bands if rec else ()


# unjudged: the index has a recent figure of the province, but not what the target is set on (a band, when
# VCCI's PCI groups stop in 2016; a score, when only ranks are published): the figure is shown, the rest is
# not guessed from it.
TARGET_STATUSES = ("met", "on_track", "off_track", "not_met", "unjudged", "no_data", "not_measurable")
TREND_FIGURES = 3  # the recent trend: average change a year over the last three figures at most
STALE_AFTER = 3  # a latest figure more than three years before the report's year does not judge a target
_PCI_GROUP = re.compile(r"(?:nhóm xếp hạng:|tier) (Rất tốt|Tốt|Khá|Trung bình|Tương đối thấp|Thấp)\b")


def quartile_band(scores: pd.Series, score: float) -> int:
    """PAPI's quartile group of ``score`` in a year's complete table ``scores``: 4 at or above the 75th
    percentile (Cao nhất), 3 at or above the median (Trung bình cao), 2 at or above the 25th percentile
    (Trung bình thấp), else 1 (Thấp nhất); percentiles interpolated linearly."""
    q25, q50, q75 = np.percentile(scores.dropna().astype(float), [25, 50, 75])
    return 4 if score >= q75 else 3 if score >= q50 else 2 if score >= q25 else 1


def band_series(ds: Dataset, slug: str, index: str, until: int) -> pd.Series:
    """The band level by year (1 = worst of ``index_bands(index)``) up to ``until``: PAPI computed from each
    complete table, PCI as VCCI published it."""
    f = ds.figures
    f = f[(f["index"] == index) & overall_rows(f) & (f["year"] <= until)]
    levels = {}
    rec = record(index)
    if rec and rec.bands_are_quartiles:
        for year, g in f.groupby("year"):
            cov = table_coverage(ds, index, int(year))
            mine = g[g["province"] == slug]["score"].dropna()
            if cov and cov["complete"] and not mine.empty:
                gen = generation_for_year(int(year))
                g = g[[ds.registry.get(p).generation == gen for p in g["province"]]]
                levels[int(year)] = quartile_band(g["score"], float(mine.iloc[0]))
    else:
        rows = ds.indices.iloc[sorted({r for rows in f[f["province"] == slug]["rows"] for r in rows})]
        for year, note in zip(rows["year"], rows["note"]):
            found = _PCI_GROUP.search(note) if isinstance(note, str) else None
            if found:
                levels[int(year)] = index_bands(index).index(found.group(1)) + 1
    return pd.Series(levels, dtype=float).sort_index()


def measured_series(ds: Dataset, slug: str, measure: str, until: int) -> pd.Series:
    """Values by year (index = year) of what a target measures, up to ``until``: an index's score or
    rank, a band level (``"PAPI:band"``), or a province-wide TTHC rate in %."""
    if not measure:
        return pd.Series(dtype=float)
    source, what = measure.split(":")
    if what == "band":
        return band_series(ds, slug, source, until)
    if source == "TTHC":
        t = ds.tthc[(ds.tthc["province"] == slug) & (ds.tthc["year"] <= until)]
        t = t[[tthc_scope(r) == "province" for _, r in t.iterrows()]]  # the whole province's only
        vals = {int(r["year"]): tthc_rates(r)[what] for _, r in t.iterrows()}
        return pd.Series({y: 100 * v for y, v in vals.items() if v is not None}, dtype=float).sort_index()
    hist = index_history(ds, slug, source)
    hist = hist[hist["year"] <= until]
    if what == "rank":  # a range of places (equal printed scores) is not one rank a target can be judged by
        hist = hist[pd.Series([exact_rank(r) for r in hist.to_dict("records")], index=hist.index, dtype=bool)]
    return hist.set_index("year")[what].dropna().astype(float).sort_index()


def target_progress(target: pd.Series, series: pd.Series, year: int, bands: tuple = ()) -> dict:
    """How a target stands, judged with ``series`` (figures by year up to ``year``).

    Returns ``status`` (met, on_track, off_track, not_met once the deadline is reached, no_data when no
    figure, or only one older than ``STALE_AFTER`` years, judges it), ``required_per_year`` (the change a
    year needed from the latest figure to the target by the deadline; None when met or at the deadline),
    ``trend_per_year`` (average change a year over the last ``TREND_FIGURES`` figures; None with one) and
    ``projected`` (the latest figure carried on at the trend to the deadline). A band target (``in_band``)
    is judged on the band levels of ``bands`` (worst first): that band or a better one meets it.
    """
    out: dict = {"status": "no_data", "required_per_year": None, "trend_per_year": None, "projected": None}
    series = series.dropna()
    if series.empty or year - int(series.index[-1]) > STALE_AFTER:
        return out
    comparator = target["comparator"]
    if comparator == "in_band":
        if target["value"] not in bands:
            return out
        comparator, value = ">=", float(bands.index(target["value"]) + 1)
    else:
        value = float(str(target["value"]).replace(",", "."))
    latest, latest_year, deadline = float(series.iloc[-1]), int(series.index[-1]), int(target["deadline"])
    recent = series.iloc[-TREND_FIGURES:]
    trend = None
    if len(recent) >= 2:
        span = int(recent.index[-1]) - int(recent.index[0])
        trend = out["trend_per_year"] = round((float(recent.iloc[-1]) - float(recent.iloc[0])) / span, 4)
    if _OPS[comparator](latest, value):
        out["status"] = "met"
        return out
    if deadline <= year:
        out["status"] = "not_met"
        return out
    years_left = deadline - latest_year
    out["required_per_year"] = round((value - latest) / years_left, 4)
    if trend is None:
        out["status"] = "off_track"
        return out
    projected = out["projected"] = round(latest + trend * years_left, 4)
    out["status"] = "on_track" if _OPS[comparator](projected, value) else "off_track"
    return out


def target_status(target: pd.Series, series: pd.Series, year: int, bands: tuple = ()) -> str:
    """met / on_track / off_track / not_met / no_data for one target (``target_progress``); ``targets_table``
    adds unjudged and not_measurable, which need the dataset."""
    return target_progress(target, series, year, bands)["status"]


def latest_index_figure(ds: Dataset, slug: str, index: str, until: int) -> dict:
    """The index's latest figure of the province up to ``until`` (a score or a rank): ``figure_year``,
    ``figure_score``, ``figure_unit``, ``figure_rank``, ``figure_rank_of``, ``figure_rank_computed``;
    all None when there is none."""
    hist = index_history(ds, slug, index)
    hist = hist[(hist["year"] <= until) & (hist["score"].notna() | hist["rank"].notna())]
    if hist.empty:
        return dict.fromkeys(FIGURE_COLUMNS)
    r = hist.iloc[-1]

    def given(v):
        return None if pd.isna(v) else v

    return {
        "figure_year": int(r["year"]),
        "figure_score": given(r["score"]),
        "figure_unit": given(r["unit"]),
        "figure_rank": given(r["rank"]),
        "figure_rank_of": given(r["rank_of"]),
        "figure_rank_computed": bool(r["rank_computed"]) if pd.notna(r["rank"]) else None,
    }


FIGURE_COLUMNS = ("figure_year", "figure_score", "figure_unit", "figure_rank", "figure_rank_of", "figure_rank_computed")


def targets_table(ds: Dataset, slug: str, year: int) -> pd.DataFrame:
    """Every target of the province, judged with the figures up to ``year``: the latest value (``actual``;
    a band's level, named in ``actual_text``) and its year, ``status`` (``target_progress``, or
    ``not_measurable`` when no published figure in the data measures the target), the path
    (``required_per_year``, ``trend_per_year``, ``projected``) and ``why`` (a catalogue key saying why a
    target is not judged, empty otherwise; ``targets.why.agency_only`` with the ``agencies`` whose own TTHC
    counts exist while the province's do not). The ``figure_*`` columns (``latest_index_figure``) hold the
    latest figure of the index a target is measured by: when the index has a figure in the last
    ``STALE_AFTER`` years but not what the target is set on (its band, its score), the status is
    ``unjudged`` and ``why`` says what is missing."""
    tg = ds.targets[ds.targets["province"] == slug].copy()
    t_rows = ds.tthc[(ds.tthc["province"] == slug) & (ds.tthc["year"] <= year)]
    agencies = tuple(sorted({r["agency"] for _, r in t_rows.iterrows() if tthc_scope(r) != "province"}))
    rows = []
    for _, t in tg.iterrows():
        measure = TARGET_METRICS[t["metric"]]
        source = measure.split(":")[0] if measure else ""
        bands = index_bands(source) if measure.endswith(":band") else ()
        series = measured_series(ds, slug, measure, year)
        progress = target_progress(t, series, year, bands)
        figure = latest_index_figure(ds, slug, source, year) if source in codes() else dict.fromkeys(FIGURE_COLUMNS)
        recent_figure = figure["figure_year"] is not None and year - figure["figure_year"] <= STALE_AFTER
        if not measure:
            progress["status"], why = "not_measurable", "targets.why.not_measurable"
        elif progress["status"] == "no_data" and recent_figure:
            what = "band" if bands else measure.split(":")[1]
            progress["status"], why = "unjudged", f"targets.why.no_{what}" + (f".{source}" if bands else "")
        elif progress["status"] == "no_data" and source == "TTHC" and series.empty and agencies:
            why = "targets.why.agency_only"  # a department's counts never measure the province's target
        elif progress["status"] == "no_data":
            why = "targets.why.stale" if not series.empty else f"targets.why.no_figure.{source}"
        else:
            why = ""
        actual = series.iloc[-1] if not series.empty else np.nan
        rows.append(
            {
                **t.to_dict(),
                "actual": actual,
                "actual_text": bands[int(actual) - 1] if bands and pd.notna(actual) else None,
                "actual_year": int(series.index[-1]) if not series.empty else None,
                **progress,
                "why": why,
                "lower_is_better": t["comparator"] in ("<=", "<"),
                "agencies": agencies if why == "targets.why.agency_only" else (),
                **figure,
            }
        )
    out = pd.DataFrame(rows)
    if not out.empty:
        for column in ("actual_year", "figure_year", "figure_rank", "figure_rank_of"):
            out[column] = out[column].astype("Int64")
    return out


# ------------------------------------------------------------------ plan execution
def plan_execution(ds: Dataset, slug: str, year: int) -> pd.DataFrame:
    """The year's reform-plan tasks completed, by plan and agency (empty agency = the province's own plan):
    the rows of ``plan_tasks`` plus ``share`` = tasks_completed / tasks_planned (0–1)."""
    p = ds.plan_tasks
    p = p[(p["province"] == slug) & (p["year"] == year)].copy()
    p["agency"] = p["agency"].astype("string").fillna("")
    p["share"] = p["tasks_completed"].astype(float) / p["tasks_planned"].astype(float)
    return p.sort_values(["agency", "plan"]).reset_index(drop=True)


# ------------------------------------------------------------------ coverage
def missing_figures(ds: Dataset, slug: str, year: int) -> list[str]:
    """What is missing for this province and year: indices without a score or rank (none before an index's
    first results year, ``index_existed``), no TTHC (or none of the
    whole province: ``TTHC_province``)...;
    ``'<index>: not_published'`` where the publisher did not publish the province's figure (not missing);
    ``'<index>: before_unit'`` where a unit of 2025 has none of a year its index ranked only the old provinces."""
    gaps = []
    for index in codes():
        h = index_history(ds, slug, index)
        cur = h[h["year"] == year]
        if cur.empty and not index_existed(index, year):  # before the index's first results: not missing
            continue
        if cur.empty and ranked_before_unit(ds, slug, index, year):
            gaps.append(f"{index}: before_unit")
        elif cur.empty and year in not_published_years(ds, slug, index):
            gaps.append(f"{index}: not_published")
        elif cur.empty:
            gaps.append(f"{index}: score, rank")
        else:
            if cur["score"].isna().all():
                gaps.append(f"{index}: score")
            if cur["rank"].isna().all():
                gaps.append(f"{index}: rank")
    tthc = tthc_for(ds, slug, year)
    if tthc.empty:
        gaps.append("TTHC")
    elif not (tthc["scope"] == "province").any():  # only departments' or districts' own counts
        gaps.append("TTHC_province")
    if ds.unit_rankings[(ds.unit_rankings["province"] == slug) & (ds.unit_rankings["year"] == year)].empty:
        gaps.append("unit_rankings")
    if ds.targets[ds.targets["province"] == slug].empty:
        gaps.append("targets")
    return gaps


def publication_limits(ds: Dataset, index: str, year: int) -> dict[int, dict]:
    """What the publisher published of ``index`` in ``year`` (``data/publication.csv``), by the generation each
    row is about (``covered_generation``: 63, or 34 for 'new_units'; DTI 2024 has both); {} when the data say
    nothing about it. Kept once a process; each caller gets dicts of its own."""

    def limits() -> dict[tuple, dict[int, dict]]:
        """Each (index, year)'s rows by generation, as filtering the table for them found them."""
        p = ds.publication
        kept: dict[tuple, dict[int, dict]] = {}
        for position, (i, y, coverage) in enumerate(zip(p["index"], p["year"], p["coverage"])):
            by_generation = kept.setdefault((i, y), {})
            by_generation.setdefault(covered_generation(coverage, int(y)), p.iloc[position].to_dict())
        return kept

    found = ds.kept(("publication_limits",), limits).get((index, year), {})
    return {generation: dict(row) for generation, row in found.items()}


def publication_limit(ds: Dataset, index: str, year: int, generation: int | None = None) -> dict | None:
    """What the publisher published of ``index`` in ``year`` for the units of ``generation`` (the year's own
    when None): coverage ('all', 'top_n', 'new_units'), n and source. A generation without a row of its own
    reads the year's (the new units in a year of the 63); None when the data say nothing about it."""
    limits = publication_limits(ds, index, year)
    own = generation_for_year(year)
    return limits.get(own if generation is None else generation, limits.get(own))


def top_n_complete(ds: Dataset, index: str, year: int, n: int) -> bool:
    """True when the data hold the whole published top ``n`` of the year (a province ranked 1..n each)."""
    f = ds.figures
    f = f[(f["index"] == index) & (f["year"] == year) & (f["component"] == "") & ~f["rank_computed"] & (f["rank"] <= n)]
    return f["province"].nunique() >= n


def index_existed(index: str, year: int) -> bool:
    """False when ``year`` is before the first results year of ``index`` (the first year of its record's
    ``units``: PAR INDEX 2012, SIPAS 2017, PAPI 2011, DTI 2020): no figure of it is missing then."""
    rec = record(index)
    return rec is None or not rec.units or year >= min(rec.units)


def ranked_before_unit(ds: Dataset, slug: str, index: str, year: int) -> bool:
    """True for a unit of 2025 in a year of the 63 whose ``index`` ranked only the old provinces (every index
    but DTI 2024, which ranked the 34 units as well): the unit had no figure of its own to publish."""
    unit = ds.registry.get(slug)
    return (
        unit.generation != generation_for_year(year)
        and unit.is_new
        and unit.generation not in publication_limits(ds, index, year)
    )


def missing_reason(ds: Dataset, slug: str, index: str, year: int) -> str | None:
    """Why the province has no figure (or lacks its score or rank) of ``index`` in ``year`` (None when it
    has both, or has none in a year before the index's first results, ``index_existed``), from what was
    published for its generation (``publication_limit``):
    'not_published' (the publisher left it out: a 'not published' row, or the year was published for the new
    units only and its successor has no figure), 'outside_top_n' (only the top n were published and the data
    hold all of them, without it), 'top_n_unknown' (only the top n were published; the data hold part of them:
    it is outside them, or its figure was not entered), 'for_successor' (published for the new units only, and
    its successor has a figure: ``successor_figure``), 'not_entered' (published, not in the data: DTI 2024 of
    an old province, published for the 63 and for the 34 units), 'before_unit' (a unit of 2025 in a year whose
    index ranked only the old provinces: ``ranked_before_unit``)."""
    h = index_history(ds, slug, index)
    cur = h[h["year"] == year]
    if cur.empty and not index_existed(index, year):  # the index had no results yet: nothing is missing
        return None
    if cur.empty and ranked_before_unit(ds, slug, index, year):
        return "before_unit"
    limit = publication_limit(ds, index, year, ds.registry.get(slug).generation)
    if not cur.empty:  # a figure without its score or rank: published with it, or below a published top n
        if cur[["score", "rank"]].notna().all(axis=None):
            return None
        rank = cur["rank"].iloc[0]
        if limit is not None and limit["coverage"] == "top_n" and pd.notna(rank) and rank > limit["n"]:
            return "outside_top_n"
        return "not_entered"
    if year in not_published_years(ds, slug, index):
        return "not_published"
    if limit is None and publication_limits(ds, index, year):  # published for the other generation only
        return "for_successor" if successor_figure(ds, slug, index, year) is not None else "not_published"
    if limit is None:  # no limit recorded: the publisher publishes every province
        return "not_entered"
    if limit["coverage"] == "top_n":
        return "outside_top_n" if top_n_complete(ds, index, year, int(limit["n"])) else "top_n_unknown"
    return "not_entered"


def successor_figure(ds: Dataset, slug: str, index: str, year: int) -> dict | None:
    """The figure of ``index`` in ``year`` of the unit that succeeded an old province on 1 July 2025 (DTI 2024
    was published for the 34 new units as well as for the 63), as a dict with ``successor`` (its slug); None
    when it has none."""
    successor = getattr(ds.registry.get(slug), "successor", None)
    if not successor:
        return None
    h = index_history(ds, successor, index)
    h = h[h["year"] == year]
    if h.empty or not h[["score", "rank"]].notna().any(axis=None):
        return None
    return {**h.iloc[0].to_dict(), "successor": successor}


def rank_bounds(ds: Dataset, slug: str, index: str, year: int) -> tuple[int, int] | None:
    """(rank_low, rank_high) when only a published top n bounds the province's unpublished rank: it is
    outside the top n, so its rank lies in n+1 … rank_of ('> 30', 'ngoài top 30'); None otherwise."""
    if missing_reason(ds, slug, index, year) != "outside_top_n":
        return None
    h = index_history(ds, slug, index)
    if h.loc[h["year"] == year, "rank"].notna().any():  # its rank is known
        return None
    limit = publication_limit(ds, index, year, ds.registry.get(slug).generation) or {}
    units = len([p for p in ds.registry if p.generation == generation_for_year(year)])
    return int(limit["n"]) + 1, units


def sources_used(ds: Dataset, slug: str, year: int) -> pd.DataFrame:
    """Every data row a figure of this province up to ``year`` comes from (a score and a rank may come
    from two rows), with its source, as in ``indices``."""
    f = _of_province(ds.figures_of, slug, ds.figures)
    f = f[f["year"] <= year]
    positions = sorted({p for rows in f["rows"] for p in rows})
    df = ds.indices.iloc[positions]
    return df.sort_values(["index", "year", "component"], na_position="first", kind="stable").reset_index(drop=True)


def disputed_rows(ds: Dataset, slug: str, year: int) -> pd.DataFrame:
    """Rows of ``indices`` (up to ``year``) marked 'disputed': a figure a source printed that other sources
    contradict; never used, listed among the sources so that the reader sees it and why it is not used."""
    ind = _of_province(ds.indices_of, slug, ds.indices)
    return ind[(ind["year"] <= year) & (ind["status"] == DISPUTED)].reset_index(drop=True)


def disagreeing_rows(ds: Dataset, slug: str, year: int) -> pd.DataFrame:
    """Rows of ``indices`` (up to ``year``) that the reports do not use because they contradict the figure
    shown for their key (another score or rank from another source), with ``shown_key``: the figure's
    (index, year, component). Rows that agree, or say 'not published', are left out."""
    from ..data.figures import _compatible

    f = _of_province(ds.figures_of, slug, ds.figures)
    f = f[f["year"] <= year]
    used = {p for rows in f["rows"] for p in rows}
    shown = {(i, int(y), c or ""): n for n, (i, y, c) in enumerate(zip(f["index"], f["year"], f["component"]))}
    ind = _of_province(ds.indices_of, slug, ds.indices)  # labels: positions in ``indices``
    ind = ind[ind["year"] <= year]
    out = []
    for pos, index, y, component, status in zip(ind.index, ind["index"], ind["year"], ind["component"], ind["status"]):
        key = (index, int(y), component if isinstance(component, str) else "")
        if pos in used or key not in shown or status in (NOT_PUBLISHED, DISPUTED):
            continue  # a disputed row has its own line among the sources
        row = ds.indices.iloc[pos].to_dict()  # the few rows left, as dicts: not every row of the province
        if not _compatible(f.iloc[[shown[key]]].to_dict("records")[0], row):
            out.append(row | {"shown_key": key})
    return pd.DataFrame(out)


def contradicted_rows(ds: Dataset, slug: str, year: int) -> pd.DataFrame:
    """Rows of ``indices`` (up to ``year``, overall index) whose own page contradicts them (status
    'contradicted'): kept in data/, never used; a report names each once, as not used."""
    ind = _of_province(ds.indices_of, slug, ds.indices)
    return ind[(ind["year"] <= year) & (ind["status"] == CONTRADICTED) & overall_rows(ind)].reset_index(drop=True)


def _of_province(split: dict[str, pd.DataFrame], slug: str, table: pd.DataFrame) -> pd.DataFrame:
    """A province's rows of a table split by province (``ds.figures_of``, ``ds.indices_of``; none: the
    table's empty frame)."""
    rows = split.get(slug)
    return rows if rows is not None else table.iloc[0:0]


def table_coverage(
    ds: Dataset, index: str, year: int, component: str = "", generation: int | None = None
) -> dict | None:
    """The year's table of an index for a generation (default: that of the year): units, scored, ranked
    (published), expected, complete (``figures.year_tables``); None when no province has a figure."""
    pos = ds.year_table_positions.get((index, int(year), component, generation or generation_for_year(year)))
    return None if pos is None else ds.year_tables.iloc[pos].to_dict()
