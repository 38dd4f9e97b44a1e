"""The dataset's lookups (issue 25) give every report section the figures that filtering the whole tables
gave: for every province of three years, frame by frame, against the filters they replaced (kept here as
the reference)."""

from __future__ import annotations

from collections import defaultdict

import pandas as pd
import pytest

from cchc.analysis import metrics, position
from cchc.data.indices import SHIPPED
from cchc.data.provinces import covered_generation, generation_for_year
from cchc.data.schema import NOT_PUBLISHED

# Every reference comparison runs over every province of three years in the whole suite; they cost 1-3 CPU-s a
# year each, so the fast tier compares 2025 alone (the 34 units and the predecessors whose histories they show).
YEARS = [pytest.param(2019, marks=pytest.mark.slow), pytest.param(2023, marks=pytest.mark.slow), 2025]


def _overall(df: pd.DataFrame) -> pd.Series:
    comp = df["component"]
    return comp.isna() | (comp.astype("string").fillna("") == "")


def filtered_chosen_figures(by_pair: dict, slug: str, index: str, overall: bool) -> pd.DataFrame:
    """``metrics.chosen_figures`` before the lookups: the province's figures filtered by index and part, out of
    ``by_pair`` (``figures_by_province_and_index``)."""
    df = by_pair[slug, index]
    return df[_overall(df) if overall else ~_overall(df)]


def figures_by_province_and_index(ds) -> dict:
    """The dataset's figures sorted as ``chosen_figures`` sorted them, split by province and index: the sort is
    stable and a split keeps each row's order and label, so this gives the rows, order and index that sorting
    and filtering the whole table each time gave (done once per test instead of 630 times)."""
    ordered = ds.figures.sort_values(["index", "year", "component"], na_position="first", kind="stable")
    split = dict(iter(ordered.groupby(["province", "index"], sort=False)))
    return defaultdict(lambda: ordered.iloc[:0], split)


def filtered_national_rows(ds, index: str, year: int, component: str, generation: int) -> pd.DataFrame:
    region = {p.slug: p.region for p in ds.registry.generation(generation)}
    f = ds.figures
    f = f[
        (f["index"] == index)
        & (f["year"] == year)
        & (f["component"].fillna("") == component)
        & f["province"].isin(region)
    ]
    return f.assign(region=f["province"].map(region))


def filtered_mean(ds, index: str, year: int, scope: str, unit: str) -> float:
    m = ds.all_means
    m = m[(m["index"] == index) & (m["year"] == year) & (m["scope"] == scope) & (m["component"].fillna("") == "")]
    if unit:
        m = m[m["unit"] == unit]
    return float(m["score"].iloc[0]) if not m.empty else float("nan")


def filtered_table_coverage(ds, index: str, year: int, component: str, generation: int) -> dict | None:
    t = ds.year_tables
    t = t[(t["index"] == index) & (t["year"] == year) & (t["component"] == component) & (t["generation"] == generation)]
    return None if t.empty else t.iloc[0].to_dict()


def assert_all_frames_equal(pairs: dict[str, tuple[pd.DataFrame, pd.DataFrame]]) -> None:
    """``assert_frame_equal(got, expected)`` for every pair of ``pairs``, at about the cost of one (630 calls a
    year cost seconds): each pair's columns, dtypes and index dtype and names compared alone, their values and
    index labels all at once, stacked under their keys; on a difference the first pair that differs is named."""
    for key, (got, expected) in pairs.items():
        assert got.dtypes.equals(expected.dtypes), f"{key}: columns or dtypes differ"
        assert (got.index.dtype, got.index.names) == (expected.index.dtype, expected.index.names), key
    try:
        pd.testing.assert_frame_equal(*(pd.concat({k: pair[i] for k, pair in pairs.items()}) for i in (0, 1)))
    except AssertionError:
        for key, (got, expected) in pairs.items():
            pd.testing.assert_frame_equal(got, expected, obj=key)
        raise


def _slugs(ds, year: int) -> list[str]:
    """The provinces reporting in ``year`` and, for a 2025 unit, the former provinces whose history it shows."""
    units = [p for p in ds.registry if metrics.can_report(ds, p, year)]
    return list(dict.fromkeys(s for p in units for s in (p.slug, *p.predecessors)))


@pytest.mark.parametrize("year", YEARS)
def test_a_provinces_figures_are_those_the_filter_gave(shipped, year):
    slugs = _slugs(shipped, year)
    assert len(slugs) >= 34
    by_pair = figures_by_province_and_index(shipped)
    pairs = {
        f"{slug} {index} overall={overall}": (
            metrics.chosen_figures(shipped, slug, index, overall),
            filtered_chosen_figures(by_pair, slug, index, overall),
        )
        for slug in slugs
        for index in SHIPPED.codes
        for overall in (True, False)
    }
    assert_all_frames_equal(pairs)
    seen = sum(len(got) for got, _ in pairs.values())
    assert seen > 1000  # the years' provinces have figures: the comparison is not of empty frames


@pytest.mark.parametrize("year", YEARS)
def test_the_national_tables_and_means_are_those_the_filter_gave(shipped, year):
    year = int(shipped.figures.loc[shipped.figures["year"] <= year, "year"].max())  # 2025: the latest, 2024
    gen = generation_for_year(year)
    components = shipped.figures.loc[shipped.figures["year"] == year, ["index", "component"]].drop_duplicates()
    assert len(components) > len(SHIPPED.codes)
    for index, component in components.itertuples(index=False):
        component = component if isinstance(component, str) else ""
        for generation in {gen, 34}:  # the year's units, and the 34 new ones (whose reports show the old years)
            key = f"{index} {year} {component!r} generation {generation}"
            pd.testing.assert_frame_equal(
                position.national_rows(shipped, index, year, component, generation),
                filtered_national_rows(shipped, index, year, component, generation),
                obj=key,
            )
            got = metrics.table_coverage(shipped, index, year, component, generation)
            expected = filtered_table_coverage(shipped, index, year, component, generation)
            assert (got is None) == (expected is None), key
            if got is not None:  # the same values, NaN where NaN (NaN != NaN in a dict's ==)
                pd.testing.assert_series_equal(pd.Series(got), pd.Series(expected), obj=key)
    scopes = {"national", *(p.region for p in shipped.registry if p.region)}
    units = set(shipped.figures.loc[shipped.figures["year"] == year, "unit"]) | {""}
    means = 0
    for index in SHIPPED.codes:
        for scope in scopes:
            for unit in units:
                expected = filtered_mean(shipped, index, year, scope, unit)
                got = position._mean(shipped, index, year, scope, unit)
                assert got == expected or (pd.isna(got) and pd.isna(expected)), (index, year, scope, unit)
                means += pd.notna(got)
    assert means > 0


def not_published_rows(ds) -> pd.DataFrame:
    """The rows of ``ds.indices`` saying an index as a whole was not published: the part of the filter below that
    is the same for every province and index, done once per test (the rows it keeps are the same)."""
    rows = ds.indices
    return rows[_overall(rows) & (rows["status"] == NOT_PUBLISHED)]


def filtered_not_published_years(ds, slug: str, index: str, not_published: pd.DataFrame) -> list[int]:
    """``metrics.not_published_years`` before its lookup: the province's 'not published' rows of the index
    (out of ``not_published_rows``) less the years it has a figure of."""
    rows = not_published
    rows = rows[(rows["province"] == slug) & (rows["index"] == index)]
    published = set(metrics.index_history(ds, slug, index)["year"])
    return sorted({int(y) for y in rows["year"]} - published)


def filtered_left_out(ds, index: str, year: int) -> set[str]:
    """``position.left_out`` before its lookup."""
    rows = ds.indices
    rows = rows[(rows["index"] == index) & (rows["year"] == year) & _overall(rows) & (rows["status"] == NOT_PUBLISHED)]
    f = ds.figures
    shown = f[(f["index"] == index) & (f["year"] == year) & _overall(f)]["province"]
    return set(rows["province"]) - set(shown)


@pytest.mark.parametrize("year", YEARS)
def test_the_years_not_published_are_those_the_filter_gave(shipped, year):
    said, not_published = 0, not_published_rows(shipped)
    for slug in _slugs(shipped, year):
        for index in SHIPPED.codes:
            expected = filtered_not_published_years(shipped, slug, index, not_published)
            assert metrics.not_published_years(shipped, slug, index) == expected, (slug, index)
            said += len(expected)
    for shown in range(year - 6, year + 1):
        for index in SHIPPED.codes:
            expected = filtered_left_out(shipped, index, shown)
            assert position.left_out(shipped, index, shown) == expected, (index, shown)
            said += len(expected)
    assert said > 0  # some province was left out: the comparison is not of empty lists only


@pytest.mark.parametrize("year", YEARS)
def test_the_national_tables_of_components_are_those_the_filter_gave(shipped, year):
    """``Dataset.parts_positions``: every province's component figures of an index and year, as the similar
    provinces filtered them from the whole table."""
    f = shipped.figures
    rows = 0
    for shown in range(year - 6, year + 1):
        for index in SHIPPED.codes:
            expected = f[(f["index"] == index) & (f["year"] == shown) & (f["component"].fillna("") != "")]
            got = shipped.figures_at(shipped.parts_positions.get((index, shown)))
            pd.testing.assert_frame_equal(got, expected, obj=f"{index} {shown}")
            rows += len(got)
    assert rows > 1000


def pivoted_means_wide(means: pd.DataFrame) -> pd.DataFrame:
    """``sections._means_wide`` before it grouped the means once: a pivot table per column."""
    if means.empty:
        return pd.DataFrame({"year": pd.Series(dtype=int)})
    scores = means.pivot_table(index="year", columns="scope_label", values="score", aggfunc="first")
    units = means.pivot_table(index="year", columns="scope_label", values="unit", aggfunc="first")
    computed = means.assign(computed=means["computed"].astype(object)).pivot_table(
        index="year", columns="scope_label", values="computed", aggfunc="first"
    )
    scores.columns = [f"mean:{c}" for c in scores.columns]
    units.columns = [f"unit:{c}" for c in units.columns]
    computed.columns = [f"computed:{c}" for c in computed.columns]
    return scores.join(units).join(computed).reset_index()


@pytest.mark.parametrize("year", YEARS)
def test_the_means_beside_a_history_are_those_the_pivot_tables_gave(shipped, year):
    """The means table of the history section, for every region, index and language, of the years a report of
    ``year`` shows, as each generation sees them."""
    from cchc.report.sections import _means_wide

    cells = 0
    for region in {p.region for p in shipped.registry if p.region}:
        for index in SHIPPED.codes:
            for lang in ("vi", "en"):
                means = metrics.means_for(shipped, index, region, lang)
                for generation in (63, 34):
                    shown = means[(means["year"] <= year) & (means["year"].map(generation_for_year) == generation)]
                    expected = pivoted_means_wide(shown)
                    pd.testing.assert_frame_equal(_means_wide(shown), expected, obj=f"{region} {index} {lang}")
                    cells += expected.size
    assert cells > 1000


def test_a_kept_history_is_the_callers_own_and_never_pickled(shipped):
    """``Dataset.kept``: a province's history is computed once a process, but each caller may change its
    copy without changing the next report's; a batch's pickled copy holds nothing kept."""
    import pickle

    first = metrics.index_history(shipped, "dak-nong", "PAPI")
    score = first.loc[0, "score"]
    first.loc[0, "score"] = -1.0
    assert metrics.index_history(shipped, "dak-nong", "PAPI").loc[0, "score"] == score != -1.0
    means = metrics.means_for(shipped, "PAPI", "Tây Nguyên")
    means.loc[:, "score"] = -1.0
    assert (metrics.means_for(shipped, "PAPI", "Tây Nguyên")["score"] > 0).all()
    expected = position.national_rows(shipped, "PCI", 2023).copy()  # the test's own, whatever it is given
    changed = position.national_rows(shipped, "PCI", 2023)
    changed.loc[:, "score"] = -1.0
    pd.testing.assert_frame_equal(position.national_rows(shipped, "PCI", 2023), expected)
    assert "_kept" in shipped.__dict__ and "_kept" not in pickle.loads(pickle.dumps(shipped)).__dict__


def filtered_standing(table: pd.DataFrame, slug: str, region) -> tuple:
    """What ``position.index_position`` read of the national table (``filtered_national_rows``) before
    ``_national_ranks``: the region's ranked provinces, their ranks but the province's own, every other ranked
    province and its rank."""
    ranked = table[(table["region"] == region) & table["rank"].notna()]
    known = table[table["rank"].notna() & (table["province"] != slug)]

    def places(rows):  # (best, worst): equal printed scores share places
        return [(int(r), int(r if pd.isna(h) else h)) for r, h in zip(rows["rank"], rows["rank_high"])]

    peer_ranks = places(ranked[ranked["province"] != slug])
    return len(ranked), peer_ranks, places(known), set(known["province"])


def kept_standing(ds, slug: str, index: str, year: int, generation: int, region) -> tuple:
    """The same, as ``index_position`` reads it now: from ``position.national_ranks``, kept once a process."""
    ranks = position._national_ranks(ds, index, year, generation)
    ranked = [(p, r) for p, r, reg in ranks if region is not None and reg == region]
    known = [(p, r) for p, r, _ in ranks if p != slug]
    return len(ranked), [r for p, r in ranked if p != slug], [r for _, r in known], {p for p, _ in known}


@pytest.mark.parametrize("year", YEARS)
def test_the_kept_year_tables_of_a_position_are_those_the_filters_gave(shipped, year):
    """``position._national_ranks``, ``_best_of``, ``_distribution`` and the similar provinces' z-scores
    (``_standardised``), kept once a process for every report of a year, give every province of the year what
    filtering the national tables for each report gave."""
    checked = 0
    tables: dict[tuple, pd.DataFrame] = {}
    for slug in _slugs(shipped, year):
        unit = shipped.registry.get(slug)
        gen = unit.generation
        for index in SHIPPED.codes:
            for shown in range(year - 2, year + 1):
                if (index, shown, gen) not in tables:
                    tables[index, shown, gen] = filtered_national_rows(shipped, index, shown, "", gen)
                expected = filtered_standing(tables[index, shown, gen], slug, unit.region)
                assert kept_standing(shipped, slug, index, shown, gen, unit.region) == expected, (slug, index, shown)
                checked += expected[0]
    for shown in range(year - 6, year + 1):
        d = shipped.distributions
        for index in SHIPPED.codes:
            expected = d[(d["index"] == index) & (d["year"] == shown)][["component", "unit", "n", "mean", "std"]]
            pd.testing.assert_frame_equal(position._distribution(shipped, index, shown), expected)
            for gen in {generation_for_year(shown), 34}:
                table = filtered_national_rows(shipped, index, shown, "", gen)
                for unit in set(table["unit"].dropna()):
                    for complete in (True, False):
                        got = position._best_of(shipped, index, shown, gen, unit, complete)
                        expected = position._best(table, unit, complete)
                        assert got[1] == expected[1], (index, shown, unit)
                        assert got[0] == expected[0] or (pd.isna(got[0]) and pd.isna(expected[0]))
            units = {p.slug: p for p in shipped.registry.generation(generation_for_year(shown))}
            wide = position._parts_wide(shipped, index, shown, units)
            parts = list(wide.columns)
            if len(parts) < 2:
                continue
            alone = wide[parts].dropna()  # as each report standardised them
            std = alone.std(ddof=0).replace(0, float("nan"))
            pd.testing.assert_frame_equal(
                position._standardised(wide, parts), ((alone - alone.mean()) / std).dropna(axis=1)
            )
            checked += len(alone)
    assert checked > 1000  # ranked provinces were compared, not empty lists


def _histories_shown(ds, year: int):
    """(slug, unit, index, years, lang): each province of the year (and each former province a 2025 unit shows),
    index and language, with the years its history shows."""
    for slug in _slugs(ds, year):
        unit = ds.registry.get(slug)
        for index in SHIPPED.codes:
            hist = metrics.index_history(ds, slug, index)
            years = hist.loc[hist["year"] <= year, "year"].tolist()
            for lang in ("vi", "en"):
                yield slug, unit, index, years, lang


def filtered_means_shown(means: pd.DataFrame, unit, years: list[int]) -> pd.DataFrame:
    """A region's means (``metrics.means_for``) beside a history of ``years``, as each report filtered them."""
    return means[means["year"].isin(years) & (means["year"].map(generation_for_year) == unit.generation)]


@pytest.mark.parametrize("year", YEARS)
def test_the_kept_means_beside_a_history_are_each_provinces_own(shipped, year):
    """``sections._means_shown`` is kept once a process for every province of a region with the same years:
    each province of the year (in both languages) gets the means its own history's years and generation give,
    as its report filtered them before (``metrics.means_for``); their table by year is made from them with them
    (``_means_wide``, compared with the pivot tables above)."""
    from cchc.report.sections import _means_shown

    pairs, region_means = {}, {}  # the filter's means of a region are the same for each of its provinces
    for slug, unit, index, years, lang in _histories_shown(shipped, year):
        means, _ = _means_shown(shipped, index, unit, lang, years)
        key = (index, unit.region, lang)
        if key not in region_means:
            region_means[key] = metrics.means_for(shipped, index, unit.region, lang)
        pairs[f"{slug} {index} {lang}"] = (means, filtered_means_shown(region_means[key], unit, years))
    assert_all_frames_equal(pairs)
    assert sum(len(got) for got, _ in pairs.values()) > 1000


@pytest.mark.parametrize("year", YEARS)
def test_the_kept_notes_on_computed_means_are_each_provinces_own(shipped, year):
    """What a history says of its computed means (the provinces averaged by year, and why a computed mean stands
    where a published figure was) is kept once a process for every province of a region with the same years
    (``sections._computed_means_said``): each province of the year, in both languages, gets what its own means
    (filtered as its report filtered them before) said."""
    from cchc.report.narrative import mean_replaced_text
    from cchc.report.sections import _computed_means_said

    checked = said = 0
    for slug, unit, index, years, lang in _histories_shown(shipped, year):
        means = filtered_means_shown(metrics.means_for(shipped, index, unit.region, lang), unit, years)
        computed = means[means["computed"]]
        expected = (
            {int(y): int(n) for y, n in zip(computed["year"], computed["n_table"])},
            [w for w in (mean_replaced_text(r, lang) for r in computed.to_dict("records")) if w],
        )
        assert _computed_means_said(shipped, index, unit, lang, years) == expected, (slug, index, lang)
        checked += len(expected[0])
        said += len(expected[1])
    assert checked > 100  # computed means were compared
    assert said > 0 or year == 2019  # and some replaced a published figure (none of 2019's did)


def test_the_kept_publication_limits_are_those_the_filter_gave(shipped):
    """``metrics.publication_limit`` reads what the publisher published of an index in a year for a generation
    from the table kept once a process: for every index, year and generation, the row (as a dict) that filtering
    ``publication`` for its rows about that generation gave (a generation without one: the year's own), or None;
    each caller gets a dict of its own."""
    p = shipped.publication
    about = pd.Series([covered_generation(c, int(y)) for c, y in zip(p["coverage"], p["year"])], index=p.index)
    found = 0
    for index in dict.fromkeys([*SHIPPED.codes, *p["index"]]):
        for year in range(2004, 2027):
            for generation in (63, 34):
                rows = p[(p["index"] == index) & (p["year"] == year) & (about == generation)]
                if rows.empty:
                    rows = p[(p["index"] == index) & (p["year"] == year) & (about == generation_for_year(year))]
                expected = None if rows.empty else rows.iloc[0].to_dict()
                got = metrics.publication_limit(shipped, index, year, generation)
                assert repr(got) == repr(expected), (index, year, generation)
                found += got is not None
                if got is not None:
                    got["coverage"] = "changed by a caller"
                    assert metrics.publication_limit(shipped, index, year, generation) == expected
            assert metrics.publication_limit(shipped, index, year) == metrics.publication_limit(
                shipped, index, year, generation_for_year(year)
            )
    assert found == 2 * len(p.drop_duplicates(["index", "year"]))  # DTI 2024: a row for each generation
    assert metrics.publication_limit(shipped, "DTI", 2024, 63)["coverage"] == "all"
    assert metrics.publication_limit(shipped, "DTI", 2024, 34)["coverage"] == "new_units"


def filtered_component_standing(ds, slug: str, year: int, index: str) -> pd.DataFrame:
    """``position.component_standing`` as each report computed it before the year's standings were kept:
    from the province's own parts, merged with its year before and the year's distribution."""
    parts = metrics.chosen_figures(ds, slug, index, overall=False)
    own = parts[(parts["year"] <= year) & parts["rank"].notna()]
    own = own[[metrics.is_area(index, c) for c in own["component"]]]
    if own.empty:
        return pd.DataFrame(columns=position.STANDING_COLUMNS)
    shown = int(own["year"].max())
    cur = own[own["year"] == shown].copy()
    prev = parts[parts["year"] == shown - 1]
    prev = prev[["component", "rank", "rank_of", "rank_high"]].rename(
        columns={"rank": "prev_rank", "rank_of": "prev_of", "rank_high": "prev_high"}
    )
    cur = cur.merge(prev, on="component", how="left")
    d = ds.distributions
    dist = d.loc[(d["index"] == index) & (d["year"] == shown), ["component", "unit", "n", "mean", "std"]]
    cur = cur.merge(dist, on=["component", "unit"], how="left")
    enough = (cur["n"] >= position.MIN_DISTRIBUTION) & (cur["std"] > 0)
    cur["z"] = ((cur["score"] - cur["mean"]) / cur["std"]).where(enough)
    cur["ahead_of"] = [position.ahead_of(r, o) for r, o in zip(cur["rank"], cur["rank_of"])]
    exact = (cur["rank_high"] == cur["rank"]) & (cur["prev_high"] == cur["prev_rank"])
    same = (cur["prev_of"] == cur["rank_of"]) & exact
    cur["rank_delta"] = (cur["prev_rank"].astype("Float64") - cur["rank"].astype("Float64")).where(
        same.fillna(False).astype(bool)
    )
    prev_ahead = pd.Series([position.ahead_of(r, o) for r, o in zip(cur["prev_rank"], cur["prev_of"])], index=cur.index)
    cur["ahead_of_delta"] = cur["ahead_of"] - prev_ahead
    worst = [
        position.ahead_of(h, o) if pd.notna(h) else a
        for h, o, a in zip(cur["rank_high"], cur["rank_of"], cur["ahead_of"])
    ]
    cur["half"] = [
        position.half(a) if position.half(a) == position.half(w) else "middle" for a, w in zip(cur["ahead_of"], worst)
    ]
    cur["year_reason"] = position.year_reason(ds, slug, index, year, shown, "no_components")
    return (
        cur[position.STANDING_COLUMNS]
        .sort_values(["ahead_of", "component"], ascending=[False, True], kind="stable")
        .reset_index(drop=True)
    )


@pytest.mark.parametrize("year", YEARS)
def test_the_kept_standings_of_the_parts_are_each_provinces_own(shipped, year):
    """``position.component_standing`` reads the year's standings of every province's parts, kept once a
    process (``_standings``): every province of the year gets, for every index, the frame its report computed
    from its own parts before (of the latest year up to the report's with ranked parts)."""
    pairs = {}
    for slug in _slugs(shipped, year):
        for index in SHIPPED.codes:
            expected = filtered_component_standing(shipped, slug, year, index)
            pairs[f"{slug} {index}"] = (position.component_standing(shipped, slug, year, index), expected)
    assert sum(len(e) for _, e in pairs.values()) > 300  # ranked parts were compared, not empty frames
    assert_all_frames_equal(pairs)
