"""Where a province stands among its peers and what to work on: position per index, strengths and areas to
improve among the components, the provinces most like it, and the figures a summary is made from.

Pure functions over a Dataset. The national distributions they compare with are computed once per dataset
(``Dataset.distributions``, ``data.figures.distributions``, kept in the batch's checked copy), never
per report; what every province of a year reads of the national tables (the ranks and regions, the best
province, the provinces left out, a year's distributions and z-scores of the parts) is kept once a process
(``Dataset.kept``) and read, never changed.

- Compared with: the units of the province's own generation (a new unit's DTI 2024 among the 34 new units),
  and only with the means of its generation (a year's published means average that year's provinces: a
  new unit in a year up to 2024 has none).
- Rank in the region: by national rank among the region's provinces. When some of them have no rank in the
  data, the rank is a bound (``region_rank_bounds``): the lowest and highest it can be, given every national
  rank known; ``rank_in_region`` only when the two are equal. Equal printed scores in a computed ranking share
  places (PCI 2017: 34–35/63 for two provinces): their places in the region are a range too, never the best.
- Gaps and changes: differences of the figures as printed (``metrics.printed_difference``).
- Group: the PAR INDEX groups of the Ministry of Home Affairs from 2024 (group A ≥ 90%, group B 80% to
  under 90%; PAR INDEX 2024 release); otherwise the quarter of the national ranking the rank falls in
  (quartile = ceil(4 × rank / rank_of)), ``group_method`` says which.
- Standing of a component: the share of the other ranked provinces it is ahead of,
  (rank_of − rank) / (rank_of − 1), from the published rank or the rank computed from a complete table;
  and its z-score among the provinces scored that year, when at least ``MIN_DISTRIBUTION`` are.
- Similar provinces: Euclidean distance on the component scores standardised across the provinces
  (z-scores) of the latest year, up to the report's, in which every province scored that year has a score for
  each of the province's components (not necessarily the publisher's whole table: PCI 2007 ranked 64, the data
  hold 63).
- Components of an earlier year than the report's keep their ``year`` and say why (``year_reason``:
  'not_published' when the publisher did not publish the province that year, 'no_components' when the
  data hold no ranked parts for it, 'no_complete_table' when the year's table of parts is not complete);
  the summary uses none older than ``SUMMARY_MAX_AGE`` years before the report's.
- Half: a part is a strength only in the upper half of the national ranking (``ahead_of`` > 0.5) and an
  area to improve only in the lower half (< 0.5); otherwise it is only the province's best or weakest.
"""

from __future__ import annotations

import math
from functools import partial
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..data.indices import active, codes, record
from ..data.provinces import generation_for_year, vi_order
from . import metrics

if TYPE_CHECKING:
    from ..data.dataset import Dataset

MIN_DISTRIBUTION = 10  # provinces scored before a z-score means anything
SUMMARY_MAX_AGE = 2  # the summary names no component of a year older than the report's minus this


def _distribution(ds: Dataset, index: str, year: int) -> pd.DataFrame:
    """The national distributions of the index's parts in ``year`` (component, unit, n, mean, std), kept once
    a process: read, never changed, by ``component_standing``."""

    def rows() -> pd.DataFrame:
        dist = ds.distributions
        return dist.loc[(dist["index"] == index) & (dist["year"] == year), ["component", "unit", "n", "mean", "std"]]

    return ds.kept(("distribution", index, int(year)), rows)


# ------------------------------------------------------------------ position per index
def quartile(rank, rank_of) -> int | None:
    """The quarter of the ranking a rank falls in: 1 = the best quarter.

    >>> quartile(3, 63), quartile(16, 63), quartile(51, 63), quartile(63, 63)
    (1, 2, 4, 4)
    """
    if _missing(rank) or _missing(rank_of) or int(rank_of) <= 0:
        return None
    return min(4, max(1, math.ceil(4 * int(rank) / int(rank_of))))


def official_group(index: str, score, year: int) -> str | None:
    """The index's official group by score in ``year`` (its record's ``groups``), else None: PAR INDEX from
    2024 'A' (≥ 90%), 'B' (80% to under 90%).

    >>> official_group("PAR", 91.43, 2024), official_group("PAR", 86.2, 2024), official_group("PAR", 91.43, 2023)
    ('A', 'B', None)
    """
    rec = record(index)
    if rec is None or rec.groups is None or _missing(score):
        return None
    return rec.groups.of(score, year)


def _missing(x) -> bool:
    return x is None or bool(pd.isna(x))


def national_rows(
    ds: Dataset, index: str, year: int, component: str = "", generation: int | None = None
) -> pd.DataFrame:
    """The figures of every unit of a generation (default: the year's) for an index (or component) in a
    year, with region."""
    return _kept_rows(ds, index, year, component, generation or generation_for_year(year)).copy()


def _kept_rows(ds: Dataset, index: str, year: int, component: str, gen: int) -> pd.DataFrame:
    """``national_rows`` kept once a process: read, never changed (``national_rows`` hands on a copy)."""
    return ds.kept(
        ("national_rows", index, int(year), component, gen), lambda: _national_rows(ds, index, year, component, gen)
    )


def _national_rows(ds: Dataset, index: str, year: int, component: str, gen: int) -> pd.DataFrame:
    region = {p.slug: p.region for p in ds.registry.generation(gen)}
    f = ds.figures_at(ds.table_positions.get((index, int(year), component)))
    f = f[f["province"].isin(region)]
    return f.assign(region=f["province"].map(region))


def national_table(
    ds: Dataset, index: str, year: int, component: str = "", generation: int | None = None
) -> pd.DataFrame:
    """Every unit of a generation (default: the year's) with a figure of ``index`` (or of one ``component``) in
    ``year``: its figures (the columns of ``ds.figures``), name and region, best first (rank, then score, then
    the name in Vietnamese order). ``cchc.national_table`` and the overview's rankings are this table."""
    rows = national_rows(ds, index, year, component, generation)
    names = rows["province"].map({p.slug: p.name for p in ds.registry})
    table = rows.drop(columns="region").assign(name=names, region=rows["region"], _name=vi_order(names))
    return table.sort_values(
        ["rank", "score", "_name"], ascending=[True, False, True], na_position="last", kind="stable"
    ).drop(columns="_name")


def _mean(ds: Dataset, index: str, year: int, scope: str, unit: str):
    return ds.kept(("mean", index, int(year), scope, unit), lambda: _mean_of(ds, index, year, scope, unit))


def _mean_of(ds: Dataset, index: str, year: int, scope: str, unit: str):
    m = ds.all_means.iloc[ds.mean_positions.get((index, int(year), scope), [])]
    if unit:
        m = m[m["unit"] == unit]
    return float(m["score"].iloc[0]) if not m.empty else np.nan


def _national_ranks(
    ds: Dataset, index: str, year: int, gen: int
) -> tuple[tuple[str, tuple[int, int], str | None], ...]:
    """(province, national places (best, worst), region) of every unit of generation ``gen`` ranked in the
    index's table of the year, in the table's order (worst > best: equal printed scores share places): kept
    once a process for every report of the year (``Dataset.kept``)."""

    def ranks():
        table = _kept_rows(ds, index, year, "", gen)
        table = table[table["rank"].notna()]
        worst = table["rank_high"].fillna(table["rank"]) if "rank_high" in table.columns else table["rank"]
        return tuple(
            (p, (int(r), int(w)), region)
            for p, r, w, region in zip(table["province"], table["rank"], worst, table["region"])
        )

    return ds.kept(("national_ranks", index, int(year), gen), ranks)


def _best_of(ds: Dataset, index: str, year: int, gen: int, unit: str, complete: bool):
    """``_best`` of the index's national table of the year (generation ``gen``), kept once a process."""
    return ds.kept(
        ("best", index, int(year), gen, unit, complete),
        lambda: _best(_kept_rows(ds, index, year, "", gen), unit, complete),
    )


def _best(table: pd.DataFrame, unit: str, complete: bool):
    """The best province's score: the one ranked first, or the highest of a complete table."""
    scored = table[table["score"].notna() & (table["unit"] == unit)]
    first = scored[scored["rank"] == 1]
    if not first.empty:
        return float(first["score"].iloc[0]), first["province"].iloc[0]
    if complete and not scored.empty:
        top = scored.sort_values("score", ascending=False).iloc[0]
        return float(top["score"]), top["province"]
    return np.nan, None


def _places(rank) -> tuple[int, int]:
    """A national rank as (best, worst) place: an int, or a pair for the places equal printed scores share."""
    return (int(rank[0]), int(rank[1])) if isinstance(rank, tuple) else (int(rank), int(rank))


def region_rank_bounds(
    rank: int, rank_of, peer_ranks: list, other_ranks: list, unknown_peers: int, unknown_all: int, rank_high=None
) -> tuple[int, int]:
    """The lowest and highest rank a province can hold in its region (1 = first), from what is known.

    rank, rank_of: its national rank and the number ranked (None: not known); rank_high: the worst place its
    rank spans when equal printed scores share places in a computed ranking (34 to 35: either may be above);
    peer_ranks: the national ranks of the region's other provinces with a rank in the data; other_ranks: those
    of every other province with one (the region's included), each an int or a (best, worst) pair;
    unknown_peers, unknown_all: the region's, and the country's, other provinces without a rank in the data
    and not known to be left out of the ranking.

    Its place among the ranked peers is from 1 + the peers certainly above it (worst place above its best) to
    1 + those possibly above it (best place above its worst); a tie as published ('=7') shares one place. An
    unknown peer may be above it only in a national place above it that no known province holds, and below
    it only in one below; some of the unknown may not have been ranked at all (when more are unknown than
    places are free). Equal bounds are the rank itself. Ranks that do not fit (two provinces above the 2nd)
    leave only the plain bound to + unknown_peers.

    >>> region_rank_bounds(63, 63, [10, 20, 30, 40, 50], [*range(1, 16), 20, 30, 40, 50], 8, 43)  # last
    (14, 14)
    >>> region_rank_bounds(44, 63, [17], [1, 2, 3, 4, 5, 11, 15, 17, 26, 48, 53, 60, 61], 4, 49)
    (2, 6)
    >>> region_rank_bounds(34, 63, [(34, 35), 10], [(34, 35), 10], 0, 0, rank_high=35)  # equal printed scores
    (2, 3)
    """
    best, worst = int(rank), int(rank if rank_high is None or pd.isna(rank_high) else rank_high)
    peers, others = [_places(r) for r in peer_ranks], [_places(r) for r in other_ranks]
    low = 1 + sum(1 for _, hi in peers if hi < best)  # certainly above
    high = 1 + sum(1 for lo, _ in peers if lo < worst)  # possibly above
    if not unknown_peers:
        return low, high
    if rank_of is None or pd.isna(rank_of):
        return low, high + unknown_peers
    known_above = sum(1 for _, hi in others if hi < worst)
    known_below = sum(1 for lo, _ in others if lo > best)
    if known_above > worst - 1 or known_below > int(rank_of) - best:  # not ranks shared as '=7, then 9'
        return low, high + unknown_peers
    above, below = worst - 1 - known_above, int(rank_of) - best - known_below  # free places either side
    not_ranked = max(0, unknown_all - above - below)  # unknown provinces that the ranking left out
    high += min(unknown_peers, above)
    low += max(0, unknown_peers - not_ranked - below)
    return min(low, high), high


def ranked_outside_registry(index: str, year: int, region: str | None) -> tuple[list[str], int]:
    """Units the index's table of ``year`` ranked that the registry does not hold (the record's
    ``ranked_unregistered``; PCI 2005-2008: Hà Tây): the names of those of ``region``, and how many in all.
    Each is a peer without a rank in the data, in the region's count and possibly above a province."""
    rec = record(index)
    units = rec.ranked_unregistered.get(int(year), ()) if rec else ()
    return [name for name, r in units if region is not None and r == region], len(units)


def left_out(ds: Dataset, index: str, year: int) -> frozenset[str]:
    """Provinces the publisher left out of the index's ranking of a year ('not published', no figure); kept
    once a process (``Dataset.kept``)."""
    return ds.kept(
        ("left_out", index, int(year)),
        lambda: frozenset(slug for (slug, i), years in ds.unpublished_years.items() if i == index and year in years),
    )


POSITION_COLUMNS = [
    "index",
    "year",
    "score",
    "unit",
    "rank",
    "rank_of",
    "rank_high",
    "group",
    "group_method",
    "generation",
    "region",
    "rank_in_region",
    "rank_in_region_low",
    "rank_in_region_high",
    "region_ranked",
    "region_rank_of",
    "region_unregistered",
    "region_size",
    "national_mean",
    "regional_mean",
    "best_score",
    "best_province",
    "best_name",
    "gap_national",
    "gap_regional",
    "gap_best",
    "prev_year",
    "score_delta",
    "rank_delta",
    "start_year",
    "start_score",
    "start_unit",
    "start_rank",
    "start_rank_of",
    "start_rank_high",
    "score_delta_start",
    "rank_delta_start",
    "breaks_prev",
    "breaks_start",
]


def index_position(ds: Dataset, slug: str, year: int) -> pd.DataFrame:
    """One row per index with a figure in ``year``: national group (``group``: 'A'/'B' with
    ``group_method`` 'official', or the quartile 1-4 with 'quartile'), the place in the region among the
    units of its ``generation``: ``rank_in_region_low`` to ``rank_in_region_high`` (equal when known;
    ``rank_in_region`` only then), ``region_ranked`` provinces of the region with a rank in the data, of
    ``region_rank_of`` ranked that year (``region_size`` less those left out of the ranking and, when every
    place of the ranking is held by a province in the data, those without a rank, plus
    ``region_unregistered``: the names of units the publisher ranked in the region that the registry does
    not hold, ``ranked_outside_registry``); the gaps to
    the national and regional means of its generation and to the best province (score points, same unit,
    from the printed figures), and the change since the year before and since the first year of the
    series, with the method breaks in between (``breaks_prev``, ``breaks_start``: years). Gaps and changes
    across units are NaN, never converted."""
    unit = ds.registry.get(slug)
    gen = unit.generation
    same_generation = gen == generation_for_year(year)  # the year's means average the year's provinces
    members = [x for x in ds.registry.generation(gen) if x.region == unit.region]
    rows = []
    for index in codes():
        hist = metrics.index_history(ds, slug, index)
        hist = hist[hist["year"] <= year].reset_index(drop=True)
        cur = hist[hist["year"] == year]
        if cur.empty:
            continue
        c = cur.iloc[0]
        score, u = c["score"], c["unit"] or ""
        ranked_all, excluded = _national_ranks(ds, index, year, gen), left_out(ds, index, year)
        cov = metrics.table_coverage(ds, index, year, generation=gen)
        official = official_group(index, score, year)
        quarter = quartile(c["rank"], c["rank_of"])
        if quarter != quartile(c["rank_high"], c["rank_of"]):  # a range of places across two quarters: none said
            quarter = None
        group, method = (official, "official") if official else (quarter, "quartile")
        ranked = [(p, r) for p, r, region in ranked_all if unit.region is not None and region == unit.region]
        outside, outside_all = ranked_outside_registry(index, year, unit.region) if same_generation else ([], 0)
        seen = {slug, *(p for p, _, _ in ranked_all), *excluded}
        unknown = [x for x in ds.registry.generation(gen) if x.slug not in seen]
        # every place of the ranking held by a province in the data: the others were not ranked that year
        full = not _missing(c["rank_of"]) and len(ranked_all) + outside_all >= int(c["rank_of"])
        region_rank_of = sum(1 for x in members if x.slug not in excluded) + len(outside)
        region_rank_of -= sum(1 for x in unknown if x.region == unit.region) if full else 0
        low = high = None
        if not _missing(c["rank"]):
            known = [(p, r) for p, r, _ in ranked_all if p != slug]
            low, high = region_rank_bounds(
                int(c["rank"]),
                c["rank_of"],
                [r for p, r in ranked if p != slug],
                [r for _, r in known],
                sum(1 for x in unknown if x.region == unit.region) + len(outside),
                len(unknown) + outside_all,
                rank_high=c["rank_high"],
            )
        national = _mean(ds, index, year, "national", u) if same_generation else np.nan
        regional = _mean(ds, index, year, unit.region, u) if same_generation and unit.region else np.nan
        best, best_slug = _best_of(ds, index, year, gen, u, bool(cov and cov["complete"])) if u else (np.nan, None)
        prev = hist[hist["year"] == year - 1]
        p = prev.iloc[0] if not prev.empty else None
        first = hist.iloc[0]
        rows.append(
            {
                "index": index,
                "year": year,
                "score": score,
                "unit": u,
                "rank": c["rank"],
                "rank_of": c["rank_of"],
                "rank_high": c["rank_high"],
                "group": group,
                "group_method": method if group is not None else None,
                "generation": gen,
                "region": unit.region,
                "rank_in_region": low if low == high else None,
                "rank_in_region_low": low,
                "rank_in_region_high": high,
                "region_ranked": len(ranked),
                "region_rank_of": region_rank_of,
                "region_unregistered": outside,
                "region_size": len(members),
                "national_mean": national,
                "regional_mean": regional,
                "best_score": best,
                "best_province": best_slug,
                "best_name": ds.registry.get(best_slug).name if best_slug else None,
                "gap_national": metrics.printed_difference(score, national, u),
                "gap_regional": metrics.printed_difference(score, regional, u),
                "gap_best": metrics.printed_difference(score, best, u),
                "prev_year": year - 1 if p is not None else None,
                "score_delta": _score_change(c, p),
                "rank_delta": _rank_change(c, p),
                "start_year": int(first["year"]) if int(first["year"]) < year else None,
                "start_score": first["score"],
                "start_unit": first["unit"] or "",
                "start_rank": first["rank"],
                "start_rank_of": first["rank_of"],
                "start_rank_high": first["rank_high"],
                "score_delta_start": _score_change(c, first) if int(first["year"]) < year else np.nan,
                "rank_delta_start": _rank_change(c, first) if int(first["year"]) < year else None,
                "breaks_prev": metrics.breaks_between(index, year - 1, year),
                "breaks_start": metrics.breaks_between(index, int(first["year"]), year),
            }
        )
    out = pd.DataFrame(rows, columns=POSITION_COLUMNS)
    out["group"] = pd.Series([r["group"] for r in rows], index=out.index, dtype=object)  # 1-4 or 'A'/'B', never 3.0
    for col in (
        "rank",
        "rank_of",
        "rank_high",
        "rank_in_region",
        "rank_in_region_low",
        "rank_in_region_high",
        "rank_delta",
        "rank_delta_start",
        "start_rank",
        "start_rank_of",
        "start_rank_high",
        "prev_year",
        "start_year",
    ):
        out[col] = out[col].astype("Int64")
    return out


def _score_change(cur, prev) -> float:
    if prev is None or _missing(cur["score"]) or _missing(prev["score"]) or cur["unit"] != prev["unit"]:
        return np.nan
    return metrics.printed_difference(cur["score"], prev["score"], cur["unit"])


def _rank_change(cur, prev):
    """Places gained; only between two rankings of as many provinces, each rank one place (not a range)."""
    return None if prev is None else metrics.rank_delta(cur, prev)


# ------------------------------------------------------------------ strengths and areas to improve
def ahead_of(rank, rank_of) -> float:
    """The share of the other ranked provinces a rank is ahead of: 1 = first, 0 = last.

    >>> ahead_of(1, 63), ahead_of(63, 63), round(ahead_of(22, 63), 3)
    (1.0, 0.0, 0.661)
    """
    if _missing(rank) or _missing(rank_of) or int(rank_of) < 2:
        return np.nan
    return (int(rank_of) - int(rank)) / (int(rank_of) - 1)


STANDING_COLUMNS = [
    "index",
    "year",
    "component",
    "score",
    "unit",
    "rank",
    "rank_of",
    "rank_high",
    "ahead_of",
    "z",
    "prev_rank",
    "rank_delta",
    "ahead_of_delta",
    "half",
    "year_reason",
]


def component_standing(ds: Dataset, slug: str, year: int, index: str) -> pd.DataFrame:
    """The index's parts (areas, dimensions, sub-indices, pillars; not sub-totals) of the province in the
    latest year up to ``year`` that has a ranked one: component, score, unit, rank, rank_of, ``ahead_of``
    (share of the other ranked provinces it is ahead of), ``z`` (z-score among the provinces scored, at
    least ``MIN_DISTRIBUTION``), and the movement since the year before: prev_rank, rank_delta (places
    gained, between rankings of as many provinces), ahead_of_delta; ``half`` ('upper', 'lower', 'middle':
    ahead of more, fewer or exactly half of the others; 'middle' too when the places its rank spans, equal
    printed scores sharing them, are not all in one half) and ``year_reason`` (why the year is not ``year``:
    see ``year_reason``; None when it is). Read from the year's standings of every province, kept once a
    process (``_standings``)."""
    years = [y for y in _ranked_part_years(ds, index).get(slug, ()) if y <= year]
    if not years:
        return pd.DataFrame(columns=STANDING_COLUMNS)
    shown = years[-1]
    table, rows = _standings(ds, index, shown)
    standing = table.iloc[rows[slug]].reset_index(drop=True)  # the province's rows, a frame of its own
    standing["year_reason"] = year_reason(ds, slug, index, year, shown, "no_components")
    return standing


def standings(ds: Dataset, slug: str, year: int) -> pd.DataFrame:
    """Every ranked part of every compared index (``component_standing`` of each, one frame): what "the
    strongest against the other provinces" is chosen from, across indices."""
    frames = [component_standing(ds, slug, year, index) for index in active().compared()]
    frames = [f for f in frames if not f.empty]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=STANDING_COLUMNS)


def _ranked_part_years(ds: Dataset, index: str) -> dict[str, list[int]]:
    """The years in which each province has a ranked part of the index (a compared area), sorted; kept once
    a process."""

    def years() -> dict[str, list[int]]:
        parts = metrics.chosen_parts(ds, index)
        ranked = parts[parts["rank"].notna()]
        ranked = ranked[np.array([metrics.is_area(index, c) for c in ranked["component"]], dtype=bool)]
        return {str(p): sorted({int(y) for y in g}) for p, g in ranked.groupby("province", sort=False)["year"]}

    return ds.kept(("ranked_part_years", index), years)


def _standings(ds: Dataset, index: str, shown: int) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """``component_standing`` of every province ranked on the index's parts in ``shown``, ``year_reason``
    left to each report, and the positions of each province's rows in it: the same table of parts, movement
    and distribution for every province of the year, computed once a process (read, never changed)."""

    def standings() -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
        parts = metrics.chosen_parts(ds, index)
        cur = parts[(parts["year"] == shown) & parts["rank"].notna()]
        cur = cur[np.array([metrics.is_area(index, c) for c in cur["component"]], dtype=bool)]
        prev = parts[parts["year"] == shown - 1]
        prev = prev[["province", "component", "rank", "rank_of", "rank_high"]].rename(
            columns={"rank": "prev_rank", "rank_of": "prev_of", "rank_high": "prev_high"}
        )
        cur = cur.merge(prev, on=["province", "component"], how="left")
        cur = cur.merge(_distribution(ds, index, shown), on=["component", "unit"], how="left")
        enough = (cur["n"] >= MIN_DISTRIBUTION) & (cur["std"] > 0)
        cur["z"] = ((cur["score"] - cur["mean"]) / cur["std"]).where(enough)
        cur["ahead_of"] = [ahead_of(r, o) for r, o in zip(cur["rank"], cur["rank_of"])]
        exact = (cur["rank_high"] == cur["rank"]) & (cur["prev_high"] == cur["prev_rank"])  # a range has no change
        same = (cur["prev_of"] == cur["rank_of"]) & exact
        cur["rank_delta"] = (cur["prev_rank"].astype("Float64") - cur["rank"].astype("Float64")).where(
            same.fillna(False).astype(bool)
        )
        prev_ahead = pd.Series([ahead_of(r, o) for r, o in zip(cur["prev_rank"], cur["prev_of"])], index=cur.index)
        cur["ahead_of_delta"] = cur["ahead_of"] - prev_ahead
        # places equal printed scores share (30–32/63) are in a half only when each of them is
        worst = _worst_ahead_of(cur)
        cur["half"] = [half(a) if half(a) == half(w) else "middle" for a, w in zip(cur["ahead_of"], worst)]
        cur["year_reason"] = None
        # one stable sort of every province's rows orders each province's as sorting them alone would
        cur = cur.sort_values(["ahead_of", "component"], ascending=[False, True], kind="stable")
        rows = {str(p): pos for p, pos in cur.groupby("province", sort=False).indices.items()}
        return cur[STANDING_COLUMNS], rows

    return ds.kept(("standings", index, int(shown)), standings)


def half(share) -> str | None:
    """The half of the national ranking a part is in, from ``ahead_of``: 'upper' (> 0.5), 'lower' (< 0.5),
    'middle' (exactly half); None when unranked.

    >>> half(0.97), half(0.24), half(0.5)
    ('upper', 'lower', 'middle')
    """
    if _missing(share):
        return None
    return "upper" if share > 0.5 else "lower" if share < 0.5 else "middle"


def year_reason(ds: Dataset, slug: str, index: str, year: int, shown: int, otherwise: str) -> str | None:
    """Why figures of ``shown`` stand for the report's ``year``: None when they are the same year,
    'not_published' when the publisher did not publish the province's index in ``year``, else
    ``otherwise`` ('no_components', 'no_complete_table')."""
    if int(shown) == int(year):
        return None
    return "not_published" if int(year) in metrics.not_published_years(ds, slug, index) else otherwise


def strengths(ds: Dataset, slug: str, year: int, n: int = 2) -> pd.DataFrame:
    """Per index with ranked parts: the ``n`` strongest (``side`` = 'strength') and the ``n`` weakest
    ('weakness') relative to the other provinces (``component_standing``), with every part of the same
    standing as the last one named (``standing``: the same place, or the same places equal printed scores
    share), never one part on both sides (an index with fewer than 2 × n parts gives half of them to each
    side; a tie that would reach both sides is named on neither). An index with a single ranked part, or whose
    parts all stand alike, cannot name the best and the weakest of its own parts: each is a strength in the
    upper half of the country, an area to improve in the lower half, and neither in the middle."""
    frames = []
    for index in active().compared():
        st = component_standing(ds, slug, year, index)
        if len(st) and standing(st).nunique() == 1:  # one part, or all standing alike: no best of its own parts,
            sides = st["half"].astype(str).map({"upper": "strength", "lower": "weakness"})  # only their half says
            frames.append(st.assign(side=sides)[sides.notna()])
            continue
        if len(st) < 2:
            continue
        k = min(n, len(st) // 2)
        key = standing(st)
        top = st[key >= key.iloc[k - 1]]  # every part standing as the last one named
        bottom = st[key <= key.iloc[-k]].iloc[::-1]
        both = set(top.index) & set(bottom.index)
        if both:  # a tie reaching both sides: named on neither
            shared = {key[i] for i in both}
            top, bottom = top[~key[top.index].isin(shared)], bottom[~key[bottom.index].isin(shared)]
        frames += [top.assign(side="strength"), bottom.assign(side="weakness")]
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame(columns=[*component_standing(ds, slug, year, codes()[0]).columns, "side"])
    return pd.concat(frames, ignore_index=True)


def _worst_ahead_of(frame: pd.DataFrame) -> list[float]:
    """``ahead_of`` of each row's worst place (``rank_high``: the last of the places equal printed scores share),
    its ``ahead_of`` when it holds one place."""
    return [
        ahead_of(h, o) if not _missing(h) else a
        for h, o, a in zip(frame["rank_high"], frame["rank_of"], frame["ahead_of"])
    ]


def standing(st: pd.DataFrame) -> pd.Series:
    """A part's standing among the provinces, for comparing parts (higher is better; equal when they share a
    standing): ``ahead_of`` of its place, and of the worst of the places equal printed scores share (30–32/63)
    as a fraction below one, so that 30/63 stands above 30–32/63 and both above 31/63."""
    worst = _worst_ahead_of(st)
    return pd.Series(
        [round(float(a), 9) + round(float(w), 9) * 1e-3 for a, w in zip(st["ahead_of"], worst)], index=st.index
    )


def unranked_parts(ds: Dataset, slug: str, year: int) -> list[dict]:
    """Per index whose parts the province has scores of up to ``year`` but whose latest such year's table of
    parts is partial (fewer provinces in the data than the index ranked that year: PCI 2006-2008 ranked 64,
    the data holds 63), so that no rank of a part is computed: index, year, scored, expected."""
    from .metrics import table_coverage

    own = ds.figures_of.get(slug)
    if own is None:
        return []
    parts = own[(own["component"].fillna("") != "") & own["score"].notna() & (own["year"] <= year)]
    found = []
    for index in active().compared():
        of_index = parts[parts["index"] == index]
        if of_index.empty:
            continue
        latest = int(of_index["year"].max())
        component = str(of_index.loc[of_index["year"] == latest, "component"].iloc[0])
        cov = table_coverage(ds, index, latest, component)
        if cov is not None and not cov["complete"]:
            found.append({"index": index, "year": latest, "scored": cov["scored"], "expected": cov["expected"]})
    return found


# ------------------------------------------------------------------ similar provinces
def similar_provinces(ds: Dataset, slug: str, year: int, index: str, n: int = 3) -> pd.DataFrame:
    """The ``n`` provinces closest to the province on the index's parts: Euclidean distance on z-scores of
    the parts (standardised across the provinces) in the latest year up to ``year`` in which every
    province of the generation with a score has all the parts the province has; equal distances in
    Vietnamese alphabetical order. Columns: province, name,
    region, year, distance, and how each did that year: score, unit, rank, rank_of, score_delta,
    rank_delta (since the year before; NaN where not comparable); ``year_reason`` (why not ``year``, see
    ``year_reason``; None when it is). Empty when there is no such year."""
    columns = [
        "province",
        "name",
        "region",
        "year",
        "distance",
        "score",
        "unit",
        "rank",
        "rank_of",
        "rank_high",
        "score_delta",
        "rank_delta",
        "year_reason",
    ]
    own = metrics.chosen_figures(ds, slug, index, overall=False)
    own_years = sorted(own.loc[own["score"].notna() & (own["year"] <= year), "year"].unique(), reverse=True)
    for y in own_years:
        gen = generation_for_year(int(y))
        units = {p.slug: p for p in ds.registry.generation(gen)}
        wide = ds.kept(("parts_wide", index, int(y), gen), partial(_parts_wide, ds, index, int(y), units))
        parts = wide.columns[wide.loc[slug].notna()] if slug in wide.index else []
        if len(parts) < 2:
            continue
        z = ds.kept(("parts_z", index, int(y), gen, tuple(parts)), partial(_standardised, wide, list(parts)))
        if slug not in z.index or len(z) < MIN_DISTRIBUTION:
            continue
        dist = np.sqrt(((z - z.loc[slug]) ** 2).sum(axis=1)).drop(slug)
        names = vi_order(units[other].name for other in dist.index)  # equal distances in Vietnamese order
        near = dist.iloc[np.lexsort((names, dist.to_numpy()))].head(n)
        rows = []
        for other, d in near.items():
            h = metrics.index_history(ds, other, index)
            cur, prev = h[h["year"] == y], h[h["year"] == y - 1]
            c = cur.iloc[0] if not cur.empty else None
            p = prev.iloc[0] if not prev.empty else None
            rows.append(
                {
                    "province": other,
                    "name": units[other].name,
                    "region": units[other].region,
                    "year": int(y),
                    "distance": round(float(d), 3),
                    "score": c["score"] if c is not None else np.nan,
                    "unit": c["unit"] if c is not None else "",
                    "rank": c["rank"] if c is not None else pd.NA,
                    "rank_of": c["rank_of"] if c is not None else pd.NA,
                    "rank_high": c["rank_high"] if c is not None else pd.NA,
                    "score_delta": _score_change(c, p) if c is not None else np.nan,
                    "rank_delta": _rank_change(c, p) if c is not None else None,
                    "year_reason": year_reason(ds, slug, index, year, int(y), "no_complete_table"),
                }
            )
        out = pd.DataFrame(rows, columns=columns)
        for col in ("rank", "rank_of", "rank_high", "rank_delta"):
            out[col] = out[col].astype("Int64")
        return out
    return pd.DataFrame(columns=columns)


def _standardised(wide: pd.DataFrame, parts: list[str]) -> pd.DataFrame:
    """The z-scores of ``parts`` of the units scored on every one of them (a part without spread left out):
    the same for every province of the year with these parts, so kept once a process (read, never changed)."""
    wide = wide[parts].dropna()
    std = wide.std(ddof=0).replace(0, np.nan)
    return ((wide - wide.mean()) / std).dropna(axis=1)


def _parts_wide(ds: Dataset, index: str, year: int, units) -> pd.DataFrame:
    """The scores of the index's parts in ``year``: a row per unit of ``units`` scored, a column per part.
    Read, never changed, by ``similar_provinces``."""
    table = ds.figures_at(ds.parts_positions.get((index, year)))
    table = table[table["score"].notna() & table["province"].isin(units)]
    return table.pivot_table(index="province", columns="component", values="score", aggfunc="first")


def similar_by_index(ds: Dataset, slug: str, year: int, n: int = 3) -> pd.DataFrame:
    """``similar_provinces`` for each index whose record says so (``similar_on_components``) that has a year
    of component scores to compare on, one frame with an ``index`` column."""
    frames = [similar_provinces(ds, slug, year, i, n).assign(index=i) for i in active().similar()]
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame(columns=["index", "province", "name", "region", "year", "distance", "year_reason"])
    return pd.concat(frames, ignore_index=True)
