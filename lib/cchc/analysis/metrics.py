"""Reform-progress figures computed from a Dataset: history, change, peers, targets, TTHC rates.

Pure functions over DataFrames. A rank is the published one, or, where none was published, the rank
computed from a complete national table (``figures``: ``rank_computed``, ties in ``tied``); means are the
published ones, or computed from a complete table (``computed``).
"""
from __future__ import annotations

import operator
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..catalogue import name_in, text
from ..data.provinces import MERGER_YEAR, generation_for_year
from ..data.schema import INDICES, NOT_PUBLISHED, TARGET_METRICS
from ..data.tthc import TTHC_IDENTITIES, tthc_discrepancies  # noqa: F401  (used by sections)

# Changes of method or scale, by index: the first results year under the new method. What changed is
# said in the catalogue (``break.<index>.<year>``).
METHOD_BREAKS = {"PAR": [2016, 2020, 2022], "PAPI": [2018], "DTI": [2024]}


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


def chosen_figures(ds, slug: str, index: str | None = None, overall: bool = True) -> pd.DataFrame:
    """The figures reports use for a province (one row per index, year, component; ``ds.figures``)."""
    df = ds.figures
    mask = df["province"] == slug
    if index:
        mask &= df["index"] == index
    mask &= overall_rows(df) if overall else ~overall_rows(df)
    return df[mask].sort_values(["index", "year", "component"], na_position="first")


def years_with_data(ds, slug: str) -> list[int]:
    """Results years with any figure for the province (indices, TTHC or unit rankings)."""
    return list(ds.years_by_province.get(slug, ()))


def data_years(ds) -> list[int]:
    """Results years with any figure for any province, sorted."""
    return sorted({year for years in ds.years_by_province.values() for year in years})


def can_report(ds, unit, year: int) -> bool:
    """A report needs figures for the year; a new unit from 2025 on also reports its predecessors' history."""
    if year in years_with_data(ds, unit.slug):
        return True
    if unit.is_new and year >= MERGER_YEAR:
        return any(years_with_data(ds, p) for p in unit.predecessors)
    return False


def index_history(ds, slug: str, index: str) -> pd.DataFrame:
    """One row per year: score, unit, rank, rank_of, derived, source, and whether the rank was computed
    from a complete table and is shared with another province (overall index only)."""
    cols = ["year", "score", "unit", "rank", "rank_of", "derived", "source", "note", "rank_computed", "tied"]
    return chosen_figures(ds, slug, index)[cols].reset_index(drop=True)


def not_published_years(ds, slug: str, index: str) -> list[int]:
    """Years in which the publisher did not publish the province's index (status 'not published') and no
    other row gives a figure: 'không công bố', which is not missing."""
    rows = ds.indices
    rows = rows[(rows["province"] == slug) & (rows["index"] == index) & overall_rows(rows)
                & (rows["status"] == NOT_PUBLISHED)]
    published = set(index_history(ds, slug, index)["year"])
    return sorted({int(y) for y in rows["year"]} - published)


def breaks_between(index: str, start: int, end: int) -> list[int]:
    """Years of the method breaks that fall after ``start`` and at or before ``end``; what changed is
    ``catalogue.text(f"break.{index}.{year}", lang)``."""
    return [y for y in METHOD_BREAKS.get(index, []) if start < y <= end]


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
    derived: bool
    breaks: list  # years of method breaks between the previous year and this one
    rank_computed: bool = False  # computed from the complete table of the year (see figures)
    tied: bool = False  # the rank is shared with another province


def headline(ds, slug: str, year: int) -> list[Headline]:
    """For each index with a figure in ``year``: level, published rank and change from year-1."""
    out = []
    for index in INDICES:
        hist = index_history(ds, slug, index)
        cur = hist[hist["year"] == year]
        if cur.empty:
            continue
        cur = cur.iloc[0]
        prev = hist[hist["year"] == year - 1]
        prev = prev.iloc[0] if not prev.empty else None
        score_delta = rank_delta = None
        if prev is not None:
            if pd.notna(cur["score"]) and pd.notna(prev["score"]) and cur["unit"] == prev["unit"]:
                score_delta = printed_difference(cur["score"], prev["score"], cur["unit"])
            if pd.notna(cur["rank"]) and pd.notna(prev["rank"]) and cur["rank_of"] == prev["rank_of"]:
                rank_delta = int(prev["rank"]) - int(cur["rank"])
        out.append(Headline(index, year, cur["score"], cur["unit"], cur["rank"], cur["rank_of"],
                            year - 1 if prev is not None else None, score_delta, rank_delta,
                            bool(cur["derived"]) or (prev is not None and bool(prev["derived"])),
                            breaks_between(index, year - 1, year), bool(cur["rank_computed"]),
                            bool(cur["tied"])))
    return out


def rank_stability(ranks: pd.Series) -> str:
    """'steady_up', 'steady_down', 'stable', 'unstable' or 'too_short' for published ranks by year.

    Unstable: the rank moves both ways by 3 or more places (Bắc Kạn 60, 49, 49, 55 is unstable).
    """
    r = ranks.dropna().astype(float)
    if len(r) < 3:
        return "too_short"
    moves = -np.diff(r.to_numpy())  # positive = places gained
    big = moves[np.abs(moves) >= 3]
    if (big > 0).any() and (big < 0).any():
        return "unstable"
    if np.abs(moves).max() <= 2:
        return "stable"
    return "steady_up" if moves.sum() > 0 else "steady_down"


def means_for(ds, index: str, region: str, lang: str = "vi") -> pd.DataFrame:
    """National and regional means of an index: year, scope, scope_label, score, unit, computed, n (the
    published mean, else one computed from the year's complete table); ``scope_label`` names the scope
    in ``lang`` (the region's own name, or the catalogue's word for national)."""
    m = ds.all_means
    m = m[(m["index"] == index) & overall_rows(m) & m["scope"].isin(["national", region])].copy()
    m["scope_label"] = [text("national", lang) if s == "national" else name_in("region_name", s, lang)
                        for s in m["scope"]]
    return m.sort_values(["scope", "year"])


# PAR components that are parts of the score (sub-totals, survey parts) rather than areas (lĩnh vực): the
# appraisal total, the impact-assessment total and its survey parts (data/README.md, "Component names").
PAR_SCORE_PARTS = frozenset({"Điểm thẩm định", "Điểm thẩm định kết quả thực hiện nhiệm vụ CCHC",
                             "Điểm đánh giá tác động của CCHC", "Khảo sát lãnh đạo quản lý",
                             "Chỉ số SIPAS (thành phần của PAR)"})


def is_area(index: str, component: str) -> bool:
    """True for a component that is an area, dimension, sub-index or pillar of its index; False for a
    sub-total or survey part of the PAR score ('Điểm thẩm định') and for the DTI main indices that its
    pillars group (the DTI parts compared are the three pillars)."""
    if index == "PAR":
        return component not in PAR_SCORE_PARTS
    if index == "DTI":
        return component.endswith("(pillar)")
    return True


def components(ds, slug: str, year: int, index: str = "PAR") -> pd.DataFrame:
    """An index's parts in ``year`` (PAR areas by default): score, max, share of max, rank, change in rank
    from year-1; ``area`` False for a sub-total of the score (``is_area``)."""
    comp = chosen_figures(ds, slug, index, overall=False)
    cur = comp[comp["year"] == year][["year", "component", "score", "max_score", "rank", "rank_of", "source"]]
    prev = comp[comp["year"] == year - 1][["component", "rank", "rank_of"]].rename(
        columns={"rank": "prev_rank", "rank_of": "prev_rank_of"})
    out = cur.merge(prev, on="component", how="left")
    out["share"] = out["score"] / out["max_score"]
    comparable = out["prev_rank_of"].isna() | out["rank_of"].isna() | (out["prev_rank_of"] == out["rank_of"])
    out["rank_delta"] = (out["prev_rank"].astype("Float64") - out["rank"].astype("Float64")).where(comparable)
    out["area"] = [is_area(index, c) for c in out["component"]]
    return out.drop(columns=["prev_rank_of"]).reset_index(drop=True)


def latest_components_year(ds, slug: str, year: int, index: str = "PAR") -> int | None:
    """The latest results year up to ``year`` with a figure for some part of the index, or None."""
    comp = chosen_figures(ds, slug, index, overall=False)
    years = comp.loc[comp["year"] <= year, "year"]
    return int(years.max()) if not years.empty else None


# ------------------------------------------------------------------ TTHC
def tthc_rates(row: pd.Series) -> dict:
    """Rates of one TTHC record, each with the denominator it uses (None when a count is missing)."""
    def ratio(num, den):
        n, d = row.get(num), row.get(den)
        return float(n) / float(d) if pd.notna(n) and pd.notna(d) and float(d) > 0 else None

    online = row.get("received_online_full"), row.get("received_online_partial")
    online_total = sum(float(x) for x in online) if all(pd.notna(x) for x in online) else None
    return {
        "on_time_rate": ratio("resolved_early_ontime", "resolved_total"),
        "late_rate": ratio("resolved_late", "resolved_total"),
        "full_online_share": ratio("received_online_full", "received_new"),
        "online_share": (online_total / float(row["received_new"])
                         if online_total is not None and pd.notna(row.get("received_new"))
                         and row["received_new"] > 0 else None),
        "apology_share": ratio("apology_letters", "resolved_late"),
        "pending_overdue_share": ratio("pending_overdue", "pending_total"),
    }


def tthc_for(ds, slug: str, year: int) -> pd.DataFrame:
    t = ds.tthc
    return t[(t["province"] == slug) & (t["year"] == year)].reset_index(drop=True)


# ------------------------------------------------------------------ targets
_OPS = {">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt, "==": operator.eq}

# The bands a target may name, worst first (their level is the position + 1). PAPI's quartile groups are
# computed from a complete table of the year; VCCI's PCI groups are as published (in the row's note).
BANDS = {
    "PAPI": ("Thấp nhất", "Trung bình thấp", "Trung bình cao", "Cao nhất"),
    "PCI": ("Thấp", "Tương đối thấp", "Trung bình", "Khá", "Tốt", "Rất tốt"),
}
TARGET_STATUSES = ("met", "on_track", "off_track", "not_met", "no_data", "not_measurable")
TREND_FIGURES = 3  # the recent trend: average change a year over the last three figures at most
STALE_AFTER = 3  # a latest figure more than three years before the report's year does not judge a target
_PCI_GROUP = re.compile(r"(?:nhóm xếp hạng:|tier) (Rất tốt|Tốt|Khá|Trung bình|Tương đối thấp|Thấp)\b")


def quartile_band(scores: pd.Series, score: float) -> int:
    """PAPI's quartile group of ``score`` in a year's complete table ``scores``: 4 at or above the 75th
    percentile (Cao nhất), 3 at or above the median (Trung bình cao), 2 at or above the 25th percentile
    (Trung bình thấp), else 1 (Thấp nhất); percentiles interpolated linearly."""
    q25, q50, q75 = np.percentile(scores.dropna().astype(float), [25, 50, 75])
    return 4 if score >= q75 else 3 if score >= q50 else 2 if score >= q25 else 1


def band_series(ds, slug: str, index: str, until: int) -> pd.Series:
    """The band level by year (1 = worst of ``BANDS[index]``) up to ``until``: PAPI computed from each
    complete table, PCI as VCCI published it."""
    f = ds.figures
    f = f[(f["index"] == index) & overall_rows(f) & (f["year"] <= until)]
    levels = {}
    if index == "PAPI":
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
                levels[int(year)] = BANDS[index].index(found.group(1)) + 1
    return pd.Series(levels, dtype=float).sort_index()


def measured_series(ds, slug: str, measure: str, until: int) -> pd.Series:
    """Values by year (index = year) of what a target measures, up to ``until``: an index's score or
    rank, a band level (``"PAPI:band"``), or a province-wide TTHC rate in %."""
    if not measure:
        return pd.Series(dtype=float)
    source, what = measure.split(":")
    if what == "band":
        return band_series(ds, slug, source, until)
    if source == "TTHC":
        t = ds.tthc[(ds.tthc["province"] == slug) & (ds.tthc["year"] <= until)]
        t = t[t["agency"].isna() | (t["agency"].astype("string").fillna("") == "")]  # province-wide only
        vals = {int(r["year"]): tthc_rates(r)[what] for _, r in t.iterrows()}
        return pd.Series({y: 100 * v for y, v in vals.items() if v is not None}, dtype=float).sort_index()
    hist = index_history(ds, slug, source)
    hist = hist[hist["year"] <= until].set_index("year")[what].dropna().astype(float)
    return hist.sort_index()


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
    """met / on_track / off_track / not_met / no_data for one target (``target_progress``)."""
    return target_progress(target, series, year, bands)["status"]


def targets_table(ds, slug: str, year: int) -> pd.DataFrame:
    """Every target of the province, judged with the figures up to ``year``: the latest value (``actual``;
    a band's level, named in ``actual_text``) and its year, ``status`` (``target_progress``, or
    ``not_measurable`` when no published figure in the data measures the target), the path
    (``required_per_year``, ``trend_per_year``, ``projected``) and ``why`` (a catalogue key saying why a
    target is not judged, empty otherwise)."""
    tg = ds.targets[ds.targets["province"] == slug].copy()
    rows = []
    for _, t in tg.iterrows():
        measure = TARGET_METRICS[t["metric"]]
        source = measure.split(":")[0] if measure else ""
        bands = BANDS.get(source, ()) if measure.endswith(":band") else ()
        series = measured_series(ds, slug, measure, year)
        progress = target_progress(t, series, year, bands)
        if not measure:
            progress["status"], why = "not_measurable", "targets.why.not_measurable"
        elif progress["status"] == "no_data":
            why = "targets.why.stale" if not series.empty else f"targets.why.no_figure.{source}"
        else:
            why = ""
        actual = series.iloc[-1] if not series.empty else np.nan
        rows.append({
            **t.to_dict(),
            "actual": actual,
            "actual_text": bands[int(actual) - 1] if bands and pd.notna(actual) else None,
            "actual_year": int(series.index[-1]) if not series.empty else None,
            **progress,
            "why": why,
            "lower_is_better": t["comparator"] in ("<=", "<"),
        })
    out = pd.DataFrame(rows)
    if not out.empty:
        out["actual_year"] = out["actual_year"].astype("Int64")
    return out


# ------------------------------------------------------------------ plan execution
def plan_execution(ds, slug: str, year: int) -> pd.DataFrame:
    """The year's reform-plan tasks completed, by plan and agency (empty agency = the province's own plan):
    the rows of ``plan_tasks`` plus ``share`` = tasks_completed / tasks_planned (0–1)."""
    p = ds.plan_tasks
    p = p[(p["province"] == slug) & (p["year"] == year)].copy()
    p["agency"] = p["agency"].astype("string").fillna("")
    p["share"] = p["tasks_completed"].astype(float) / p["tasks_planned"].astype(float)
    return p.sort_values(["agency", "plan"]).reset_index(drop=True)


# ------------------------------------------------------------------ coverage
def missing_figures(ds, slug: str, year: int) -> list[str]:
    """What is missing for this province and year: indices without a score or rank, no TTHC...;
    ``'<index>: not_published'`` where the publisher did not publish the province's figure (not missing)."""
    gaps = []
    for index in INDICES:
        h = index_history(ds, slug, index)
        cur = h[h["year"] == year]
        if cur.empty and year in not_published_years(ds, slug, index):
            gaps.append(f"{index}: not_published")
        elif cur.empty:
            gaps.append(f"{index}: score, rank")
        else:
            if cur["score"].isna().all():
                gaps.append(f"{index}: score")
            if cur["rank"].isna().all():
                gaps.append(f"{index}: rank")
    if tthc_for(ds, slug, year).empty:
        gaps.append("TTHC")
    if ds.unit_rankings[(ds.unit_rankings["province"] == slug) & (ds.unit_rankings["year"] == year)].empty:
        gaps.append("unit_rankings")
    if ds.targets[ds.targets["province"] == slug].empty:
        gaps.append("targets")
    return gaps


def sources_used(ds, slug: str, year: int) -> pd.DataFrame:
    """Every data row a figure of this province up to ``year`` comes from (a score and a rank may come
    from two rows), with its source, as in ``indices``."""
    f = ds.figures
    f = f[(f["province"] == slug) & (f["year"] <= year)]
    positions = sorted({p for rows in f["rows"] for p in rows})
    df = ds.indices.iloc[positions]
    return df.sort_values(["index", "year", "component"], na_position="first", kind="stable").reset_index(drop=True)


def disagreeing_rows(ds, slug: str, year: int) -> pd.DataFrame:
    """Rows of ``indices`` (up to ``year``) that the reports do not use because they contradict the figure
    shown for their key (another score or rank from another source), with ``shown_key``: the figure's
    (index, year, component). Rows that agree, or say 'not published', are left out."""
    from ..data.figures import _compatible

    f = ds.figures
    f = f[(f["province"] == slug) & (f["year"] <= year)]
    used = {p for rows in f["rows"] for p in rows}
    shown = {(r["index"], int(r["year"]), r["component"] or ""): r for r in f.to_dict("records")}
    ind = ds.indices
    out = []
    for pos in np.flatnonzero(((ind["province"] == slug) & (ind["year"] <= year)).to_numpy()):
        row = ind.iloc[pos].to_dict()
        key = (row["index"], int(row["year"]), row["component"] if isinstance(row["component"], str) else "")
        figure = shown.get(key)
        if pos in used or figure is None or row.get("status") == NOT_PUBLISHED or _compatible(figure, row):
            continue
        out.append(row | {"shown_key": key})
    return pd.DataFrame(out)


def table_coverage(ds, index: str, year: int, component: str = "", generation: int | None = None) -> dict | None:
    """The year's table of an index for a generation (default: that of the year): units, scored, ranked
    (published), expected, complete (``figures.year_tables``); None when no province has a figure."""
    t = ds.year_tables
    t = t[(t["index"] == index) & (t["year"] == year) & (t["component"] == component)
          & (t["generation"] == (generation or generation_for_year(year)))]
    return None if t.empty else t.iloc[0].to_dict()
