"""Table-driven tests of the analysis rules (``cchc.analysis.metrics``) and of the words and numbers readers see
(``cchc.report.narrative``): what each gives for the cases that matter, not how it gets there."""

from __future__ import annotations

import pandas as pd
import pytest

from cchc.analysis import metrics
from cchc.report import narrative


# ------------------------------------------------------------------ metrics
@pytest.mark.parametrize(
    "ranks, verdict",
    [
        ([60, 49, 49, 55], "unstable"),  # Bắc Kạn 2016-2019: up 11, then down 6
        ([51, 41, 37], "steady_up"),
        ([20, 25, 33], "steady_down"),
        ([17, 18, 16, 17], "stable"),  # at most 2 places a year
        ([41, 37], "too_short"),
        ([41, None, 37, None], "too_short"),  # missing years are not ranks
        ([30, 30, 30], "stable"),
        ([8, 6, 21], "down"),  # Ninh Bình PAR 2020-2022: up 2, then down 15 — not 'fell year after year'
        ([20, 20, 33], "down"),
        ([40, 41, 30], "up"),
    ],
)
def test_rank_stability(ranks, verdict):
    assert metrics.rank_stability(pd.Series(ranks, dtype="Float64")) == verdict


def test_rank_stability_compares_only_ranks_out_of_as_many_provinces():
    """Nam Định PCI 2005-2007: 38/42, 44/64, 44/64 was 'fell year after year'; 38th of 42 and 44th of 64 are not
    places on one scale, and two years of 64 are too few to judge."""
    ranks = pd.Series([38, 44, 44], index=[2005, 2006, 2007], dtype="Float64")
    assert metrics.rank_stability(ranks, pd.Series([42, 64, 64], index=ranks.index)) == "too_short"
    assert metrics.rank_stability(ranks, pd.Series([64, 64, 64], index=ranks.index)) == "down"


@pytest.mark.parametrize(
    "index, start, end, years",
    [
        ("PAR", 2015, 2016, [2016]),
        ("PAR", 2016, 2021, [2020]),  # a break at ``start`` is not between
        ("PAR", 2016, 2024, [2020, 2022]),
        ("PAPI", 2017, 2018, [2018]),
        ("PCI", 2005, 2024, []),
    ],
)
def test_breaks_between(index, start, end, years):
    assert metrics.breaks_between(index, start, end) == years


def _target(comparator, value, deadline=2025):
    return pd.Series({"comparator": comparator, "value": value, "deadline": deadline})


# Judged on the path: the change a year needed from the latest figure to reach the target by the deadline,
# against the recent trend (average change a year over the last three figures at most).
@pytest.mark.parametrize(
    "comparator, value, series, year, status",
    [
        (">=", "90", {2021: 91.0}, 2021, "met"),
        (">=", "90", {2020: 85.0, 2021: 88.0}, 2021, "on_track"),  # +3 a year, needs +0.5 a year
        (">=", "90", {2021: 80.0, 2022: 81.0}, 2022, "off_track"),  # +1 a year, needs +3 a year
        (">=", "90", {2020: 89.0, 2021: 88.0}, 2021, "off_track"),  # moving away
        (">=", "90", {2025: 88.0}, 2025, "not_met"),  # deadline reached, not met
        (">=", "90", {2021: 88.0}, 2021, "off_track"),  # one value, no trend yet
        ("<=", "40", {2020: 51.0, 2021: 41.0}, 2021, "on_track"),  # a rank: lower is better
        ("<=", "40", {2021: 41.0, 2022: 37.0}, 2022, "met"),
        ("<=", "40", {2021: 41.0, 2022: 37.0, 2023: 51.0}, 2023, "off_track"),  # Đắk Nông PAR: 41, 37, 51
        (">", "85", {2022: 85.0}, 2025, "not_met"),  # "trên 85%": 85 is not above
        (">=", "97,5", {2022: 97.5}, 2022, "met"),  # a decimal comma in the document
        (">=", "50", {}, 2021, "no_data"),
        (">=", "50", {2016: 40.0, 2017: 45.0}, 2023, "no_data"),  # the latest figure is too old to judge
    ],
)
def test_target_status(comparator, value, series, year, status):
    s = pd.Series(series, dtype=float).sort_index()
    assert metrics.target_status(_target(comparator, value), s, year) == status


PAPI_BANDS = ("Thấp nhất", "Trung bình thấp", "Trung bình cao", "Cao nhất")


@pytest.mark.parametrize(
    "value, series, year, status, required, trend",
    [
        ("Trung bình cao", {2021: 1, 2022: 1, 2023: 1}, 2023, "off_track", 1.0, 0.0),  # Đắk Nông PAPI
        ("Trung bình cao", {2022: 2, 2023: 3}, 2023, "met", None, 1.0),
        ("Trung bình cao", {2022: 4}, 2023, "met", None, None),  # a better band counts
        ("Trung bình cao", {2021: 1, 2023: 2}, 2023, "on_track", 0.5, 0.5),
    ],
)
def test_band_targets_are_judged_on_the_order_of_the_bands(value, series, year, status, required, trend):
    s = pd.Series(series, dtype=float).sort_index()
    p = metrics.target_progress(_target("in_band", value), s, year, bands=PAPI_BANDS)
    assert p["status"] == status
    assert p["required_per_year"] == (None if required is None else pytest.approx(required))
    assert p["trend_per_year"] == (None if trend is None else pytest.approx(trend))


def test_target_progress_gives_the_path_to_the_target():
    """PAR rank ≤ 40 by 2025 from 51 in 2023: 5.5 places a year needed; the trend lost 5 places a year."""
    s = pd.Series({2021: 41.0, 2022: 37.0, 2023: 51.0})
    p = metrics.target_progress(_target("<=", "40"), s, 2023)
    assert (p["required_per_year"], p["trend_per_year"], p["projected"]) == (-5.5, 5.0, 61.0)


@pytest.mark.parametrize(
    "scores, score, band",
    [
        ([1, 2, 3, 4, 5, 6, 7, 8], 8, "Cao nhất"),
        ([1, 2, 3, 4, 5, 6, 7, 8], 7, "Cao nhất"),  # at or above the 75th percentile (6.25)
        ([1, 2, 3, 4, 5, 6, 7, 8], 6, "Trung bình cao"),  # below it, at or above the median (4.5)
        ([1, 2, 3, 4, 5, 6, 7, 8], 5, "Trung bình cao"),
        ([1, 2, 3, 4, 5, 6, 7, 8], 3, "Trung bình thấp"),
        ([1, 2, 3, 4, 5, 6, 7, 8], 1, "Thấp nhất"),
    ],
)
def test_papi_quartile_band(scores, score, band):
    assert PAPI_BANDS[metrics.quartile_band(pd.Series(scores, dtype=float), score) - 1] == band


_TTHC = {
    "carried_over": 111,
    "received_new": 3308,
    "received_total": 3419,
    "received_online_full": 714,
    "received_online_partial": 2594,
    "resolved_total": 3250,
    "resolved_early_ontime": 3162,
    "resolved_late": 65,
    "pending_total": 164,
    "pending_within": 151,
    "pending_overdue": 13,
    "returned_withdrawn": None,
    "apology_letters": 0,
}


@pytest.mark.parametrize(
    "changes, rate, value",
    [
        ({}, "on_time_rate", 3162 / 3250),
        ({}, "late_rate", 65 / 3250),
        ({}, "full_online_share", 714 / 3308),
        ({}, "online_share", (714 + 2594) / 3308),
        ({}, "apology_share", 0.0),  # 0 reported is 0, not missing
        ({}, "pending_overdue_share", 13 / 164),
        ({"resolved_total": None}, "on_time_rate", None),  # missing denominator: no rate
        ({"resolved_total": 0}, "on_time_rate", None),  # nothing resolved: no rate, no division by zero
        ({"received_online_partial": None}, "online_share", None),
        ({"resolved_late": 0}, "apology_share", None),
    ],
)
def test_tthc_rates(changes, rate, value):
    got = metrics.tthc_rates(pd.Series({**_TTHC, **changes}, dtype=object))[rate]
    assert got == (None if value is None else pytest.approx(value))


def test_tthc_rate_rows_carry_scope_and_agency_and_only_rates_whose_counts_are_given():
    """A department's record: every rate says whose it is; no partly-online count, no online share."""
    row = pd.Series(
        {**_TTHC, "received_online_partial": None, "agency": "Sở Tư pháp", "scope": "department"}, dtype=object
    )
    r = metrics.tthc_rate_rows(row).set_index("rate")
    assert "online_share" not in r.index  # never a rate of counts that are not given
    assert set(r["scope"]) == {"department"} and set(r["agency"]) == {"Sở Tư pháp"}
    assert r.loc["full_online_share", ["numerator_count", "denominator_count"]].tolist() == [714, 3308]
    assert r.loc["on_time_rate", "value"] == pytest.approx(3162 / 3250)


@pytest.mark.parametrize(
    "agency, scope, expected",
    [
        (None, None, "province"),
        ("", "", "province"),
        ("Sở Tư pháp", "department", "department"),
        ("UBND huyện Cư Jút", "district", "district"),
        ("Sở Tư pháp", None, "agency"),  # a named agency whose level is not given: never taken for the province
    ],
)
def test_tthc_scope(agency, scope, expected):
    assert metrics.tthc_scope(pd.Series({"agency": agency, "scope": scope}, dtype=object)) == expected


@pytest.mark.parametrize(
    "changes, totals",
    [
        # as published: 3162 + 65 = 3227, not 3250; 3250 + 164 pending = 3414, not 3419 received
        ({}, ["resolved_total", "received_total"]),
        ({"resolved_total": 3227, "returned_withdrawn": 28}, []),  # every sum adds up
        (
            {"resolved_total": 3227, "returned_withdrawn": 28, "received_online_partial": 3000},
            ["received_new"],
        ),  # online dossiers above the new ones
    ],
)
def test_tthc_discrepancies_name_the_total_that_does_not_add_up(changes, totals):
    found = metrics.tthc_discrepancies(pd.Series({**_TTHC, **changes}, dtype=object))
    assert [d["total_column"] for d in found] == totals
    assert all(d["difference"] == d["total"] - d["sum"] for d in found)


# ------------------------------------------------------------------ narrative: numbers
@pytest.mark.parametrize(
    "value, lang, decimals, text",
    [
        (86.26, "vi", 2, "86,26"),
        (86.26, "en", 2, "86.26"),
        (3419, "vi", 0, "3.419"),
        (3419, "en", 0, "3,419"),
        (1234567.891, "vi", 2, "1.234.567,89"),
        (1234567.891, "en", 2, "1,234,567.89"),
        (0.5, "vi", 0, "0"),
        (2.5, "en", 0, "2"),  # round half to even, as Python does
        (-4.2, "vi", 1, "-4,2"),
        (None, "vi", 2, "chưa có số liệu"),
        (float("nan"), "en", 2, "no data"),
        (pd.NA, "vi", 2, "chưa có số liệu"),
    ],
)
def test_fmt_number(value, lang, decimals, text):
    assert narrative.fmt_number(value, lang, decimals) == text


@pytest.mark.parametrize(
    "score, unit, lang, text",
    [
        (86.26, "%", "vi", "86,26%"),
        (86.26, "%", "en", "86.26%"),
        (8.17, "points/10", "vi", "8,17/10 điểm"),
        (45.79, "points/80", "en", "45.79/80 points"),
        (0.8002, "index 0-1", "vi", "0,8002"),
        (5.32, "points", "vi", "5,32 điểm"),
        (None, "%", "vi", "chưa có số liệu"),
    ],
)
def test_fmt_score(score, unit, lang, text):
    assert narrative.fmt_score(score, unit, lang) == text


@pytest.mark.parametrize(
    "rate, lang, decimals, text",
    [
        (0.972923, "vi", 2, "97,29%"),
        (0.972923, "en", 1, "97.3%"),
        (0.0, "vi", 2, "0,00%"),
        (None, "en", 2, "no data"),
    ],
)
def test_fmt_pct(rate, lang, decimals, text):
    assert narrative.fmt_pct(rate, lang, decimals) == text


@pytest.mark.parametrize(
    "rank, rank_of, tied, text",
    [
        (41, 63, False, "41/63"),
        (16, 63, True, "=16/63"),
        (3, None, False, "3"),
        (None, 63, False, "chưa có số liệu"),
        (pd.NA, pd.NA, False, "chưa có số liệu"),
    ],
)
def test_fmt_rank(rank, rank_of, tied, text):
    assert narrative.fmt_rank(rank, rank_of, "vi", tied) == text


@pytest.mark.parametrize(
    "rank, high, lang, text",
    [
        (31, 32, "vi", "31–32/63"),
        (31, 32, "en", "31–32/63"),
        (30, 30, "vi", "30/63"),
        (30, None, "en", "30/63"),
        (30, pd.NA, "vi", "30/63"),
    ],
)
def test_fmt_rank_shows_the_places_an_equal_printed_score_spans_as_a_range(rank, high, lang, text):
    # never "=30/63" for a rank computed at the printed precision: the publisher's order may differ
    assert narrative.fmt_rank(rank, 63, lang, rank_high=high) == text


def test_a_rank_change_is_not_computed_from_a_range():
    hist = pd.DataFrame(
        {
            "year": [2020, 2021],
            "score": [64.0, 64.74],
            "unit": ["points/100"] * 2,
            "rank": pd.array([35, 31], dtype="Int64"),
            "rank_of": pd.array([63, 63], dtype="Int64"),
            "rank_high": pd.array([35, 32], dtype="Int64"),
        }
    )
    assert metrics.rank_delta(hist.iloc[1], hist.iloc[0]) is None
    assert metrics.rank_delta(hist.iloc[0], hist.iloc[0]) == 0


# ------------------------------------------------------------------ narrative: words
@pytest.mark.parametrize(
    "delta, lang, text",
    [
        (10, "vi", "tăng 10 bậc"),
        (-13, "vi", "giảm 13 bậc"),
        (0, "vi", "giữ nguyên thứ hạng"),
        (1, "en", "up 1 place"),
        (-3, "en", "down 3 places"),
        (0, "en", "same rank"),
        (None, "vi", ""),
    ],
)
def test_rank_change_text(delta, lang, text):
    assert narrative.rank_change_text(delta, lang) == text


@pytest.mark.parametrize(
    "delta, unit, lang, text",
    [
        (4.21, "%", "vi", "tăng 4,21 điểm"),
        (-1.5, "points/80", "en", "down 1.50 points"),
        (-0.0125, "index 0-1", "vi", "giảm 0,0125"),
        (0.001, "%", "en", "unchanged"),
        (None, "%", "vi", ""),
    ],
)
def test_score_change_text(delta, unit, lang, text):
    assert narrative.score_change_text(delta, unit, lang) == text


@pytest.mark.parametrize(
    "args, lang, sentence",
    [
        (
            ("PAR", 2021, 86.26, "%", 41, 63, 2020, 4.21, 10),
            "vi",
            "Chỉ số CCHC năm 2021 đạt 86,26%, tăng 4,21 điểm so với năm 2020; xếp thứ 41/63, tăng 10 bậc.",
        ),
        (
            ("PAR", 2021, 86.26, "%", 41, 63, 2020, 4.21, 10),
            "en",
            "PAR INDEX 2021: 86.26%, up 4.21 points on 2020; ranked 41/63, up 10 places.",
        ),
        (
            ("SIPAS", 2022, 8.17, "points/10", 25, 63, 2021, None, -13),
            "vi",  # change of rank only
            "Chỉ số SIPAS năm 2022 đạt 8,17/10 điểm; xếp thứ 25/63, giảm 13 bậc so với năm 2021.",
        ),
        (
            ("DTI", 2021, None, "", 41, 63, 2020, None, 13),
            "vi",  # rank only: one clause
            "Chỉ số DTI năm 2021 xếp thứ 41/63, tăng 13 bậc so với năm 2020.",
        ),
        (
            ("DTI", 2021, None, "", 41, 63, 2020, None, 13),
            "en",
            "DTI digital transformation index 2021: ranked 41/63, up 13 places on 2020.",
        ),
        (("PAPI", 2023, 38.97, "points/80", None, None, None, None, None), "en", "PAPI 2023: 38.97/80 points."),
    ],
)
def test_headline_sentence(args, lang, sentence):
    assert narrative.headline_sentence(*args, lang=lang) == sentence


def test_headline_sentence_marks_a_shared_rank():
    text = narrative.headline_sentence("PCI", 2023, 65.0, "points/100", 16, 63, None, None, None, "vi", tied=True)
    assert "xếp thứ =16/63" in text


@pytest.mark.parametrize(
    "counts, lang, part",
    [
        ({2023: 61}, "vi", "năm 2023 (61 tỉnh)"),
        ({2021: 60, 2023: 61}, "en", "in 2021 (60 provinces), 2023 (61 provinces)"),
        # consecutive years of as many provinces as one range, each count said once (issue 19)
        (
            {2011: 63, 2012: 63, 2013: 63, 2015: 63, 2021: 60, 2022: 61},
            "vi",
            "năm 2011–2013, 2015 (63 tỉnh), 2021 (60 tỉnh), 2022 (61 tỉnh)",
        ),
    ],
)
def test_computed_methods_name_the_years_and_provinces(counts, lang, part):
    assert part in narrative.computed_rank_method(counts, lang)
    assert part in narrative.computed_mean_method(counts, lang)


# ------------------------------------------------------------------ position (issue 14)
@pytest.mark.parametrize(
    "rank, rank_of, q",
    [
        (1, 63, 1),
        (15, 63, 1),
        (16, 63, 2),
        (32, 63, 3),
        (47, 63, 3),
        (48, 63, 4),
        (63, 63, 4),
        (15, 61, 1),
        (61, 61, 4),
        (None, 63, None),
        (3, None, None),
    ],
)
def test_quartile_of_the_national_ranking(rank, rank_of, q):
    from cchc.analysis import position

    assert position.quartile(rank, rank_of) == q


@pytest.mark.parametrize(
    "score, year, group",
    [
        (92.57, 2024, "A"),
        (90.0, 2024, "A"),
        (89.99, 2024, "B"),
        (80.0, 2024, "B"),
        (79.5, 2024, None),
        (91.43, 2023, None),  # the official groups start with PAR INDEX 2024
        (None, 2024, None),
    ],
)
def test_par_group_is_the_official_one_from_2024(score, year, group):
    from cchc.analysis import position

    assert position.official_group("PAR", score, year) == group


@pytest.mark.parametrize(
    "rank, rank_of, share",
    [
        (1, 63, 1.0),
        (63, 63, 0.0),
        (32, 63, 0.5),
        (1, 1, None),
        (None, 63, None),
    ],
)
def test_ahead_of_the_other_ranked_provinces(rank, rank_of, share):
    from cchc.analysis import position

    got = position.ahead_of(rank, rank_of)
    assert pd.isna(got) if share is None else got == pytest.approx(share)


@pytest.mark.parametrize(
    "gap, unit, lang, text",
    [
        (4.45, "%", "vi", "cao hơn 4,45 điểm"),
        (-0.75, "%", "vi", "thấp hơn 0,75 điểm"),
        (1.6338, "points/80", "en", "1.63 points higher"),
        (-0.0123, "index 0-1", "vi", "thấp hơn 0,0123 điểm (thang 0–1)"),
        (0.001, "%", "vi", "bằng"),
        (None, "%", "vi", ""),
    ],
)
def test_fmt_gap(gap, unit, lang, text):
    from cchc.report.summary import fmt_gap

    assert fmt_gap(gap, unit, lang) == text


@pytest.mark.parametrize(
    "score_delta, rank_delta, unit, breaks, lang, text",
    [
        (1.85, 0, "%", [], "vi", "tăng 1,85 điểm; giữ nguyên thứ hạng"),
        (None, 18, "", [], "vi", "tăng 18 bậc"),
        (None, 0, "%", [2020, 2022], "vi", "giữ nguyên thứ hạng (phương pháp thay đổi năm 2020, 2022)"),
        (None, -3, "", [2018], "en", "down 3 places (method changed in 2018)"),
        (None, None, "%", [], "vi", "chưa có số liệu"),
    ],
)
def test_change_text_flags_method_breaks(score_delta, rank_delta, unit, breaks, lang, text):
    from cchc.report.summary import change_text

    assert change_text(score_delta, rank_delta, unit, breaks, lang) == text


def _fig(province, component, score, rank, year=2023, index="PAPI", unit="points/10", rank_of=61):
    return {
        "index": index,
        "year": year,
        "province": province,
        "component": component,
        "score": score,
        "unit": unit,
        "rank": rank,
        "rank_of": rank_of,
    }


@pytest.mark.parametrize(
    "rows, expected",
    [
        # one unit per table: the main one (most provinces); a province scored in another unit is left out
        (
            [_fig("a", "x", 1.0, 1), _fig("b", "x", 3.0, 2), _fig("c", "x", 80.0, 3, unit="%")],
            {("x", "points/10"): (2, 2.0)},
        ),
        ([_fig("a", "x", None, 1), _fig("b", "x", 5.0, 2)], {("x", "points/10"): (1, 5.0)}),  # rank-only rows
    ],
)
def test_national_distributions_are_per_table_in_its_main_unit(rows, expected):
    from cchc.data import figures

    d = figures.distributions(pd.DataFrame(rows))
    assert {(r.component, r.unit): (r.n, r.mean) for r in d.itertuples()} == expected


@pytest.mark.parametrize(
    "group, method, lang, text",
    [
        (1, "quartile", "vi", "nhóm 1/4 đứng đầu"),
        (3.0, "quartile", "vi", "nhóm 1/4 thứ ba"),
        ("A", "official", "en", "group A (≥ 90%)"),
        (None, None, "vi", ""),
    ],
)
def test_group_text(group, method, lang, text):
    from cchc.report.summary import group_text

    assert group_text(group, method, lang) == text


# ------------------------------------------------------------------ rank in the region: a fact or a bound (issue 19)
def _true_and_bounds(rng, hide: float, unranked: int, unlisted: int):
    """A random national ranking of 63 provinces in 6 regions (ties included, ``unranked`` left out by the
    publisher, of which ``unlisted`` are not known to be left out), some ranks hidden: each province's true
    rank in its region and the bounds ``region_rank_bounds`` gives from what is known."""
    from cchc.analysis.position import region_rank_bounds

    regions = [r for r, n in enumerate((14, 11, 14, 5, 6, 13)) for _ in range(n)]
    out = rng.permutation(63)[:unranked]
    ranked = [i for i in range(63) if i not in out]
    scores = {i: int(rng.integers(0, 40)) for i in ranked}  # few distinct scores: ties
    rank = {i: 1 + sum(s > scores[i] for s in scores.values()) for i in ranked}
    known = {i: rank[i] for i in ranked if rng.random() > hide}
    said_out = set(out[: unranked - unlisted].tolist())  # 'not published' rows
    results = []
    for i in known:
        peers = [j for j in range(63) if regions[j] == regions[i] and j != i]
        true = 1 + sum(rank[j] < rank[i] for j in peers if j in rank)
        low, high = region_rank_bounds(
            rank[i],
            len(ranked),
            [known[j] for j in peers if j in known],
            [known[j] for j in known if j != i],
            sum(1 for j in peers if j not in known and j not in said_out),
            sum(1 for j in range(63) if j != i and j not in known and j not in said_out),
        )
        results.append((true, low, high))
    return results


@pytest.mark.parametrize(
    "hide, unranked, unlisted", [(0.0, 0, 0), (0.3, 0, 0), (0.8, 0, 0), (0.5, 2, 0), (0.5, 3, 2), (0.95, 2, 2)]
)
def test_rank_in_region_bounds_always_hold_the_true_rank(hide, unranked, unlisted):
    import numpy as np

    rng = np.random.default_rng(19)
    for _ in range(40):
        for true, low, high in _true_and_bounds(rng, hide, unranked, unlisted):
            assert low <= true <= high
            if hide == 0 and unlisted == 0:
                assert low == high == true  # everything known: the rank itself


def test_rank_in_region_bounds_by_hand():
    from cchc.analysis.position import region_rank_bounds

    # last of 63 with 8 peers unknown: all of them are above, it is last in its region too
    others = sorted(set(range(1, 16)) | {20, 30, 40, 50})  # 19 known, 5 of them in the region
    assert region_rank_bounds(63, 63, [10, 20, 30, 40, 50], others, 8, 43) == (14, 14)
    # 2nd nationally, the 1st known: no province can be between; nothing below is known to be unknown
    assert region_rank_bounds(2, 63, [1], [1, 5, 9], 8, 59) == (2, 2)
    # 44th of 63, one peer above (17th), 9 known above, 4 peers unknown, room above and below: 2nd to 6th
    assert region_rank_bounds(44, 63, [17], [1, 2, 3, 4, 5, 11, 15, 17, 26, 48, 53, 60, 61], 4, 49) == (2, 6)
    # no number ranked known: only that the unknown peers may be above
    assert region_rank_bounds(5, None, [1], [1], 3, 50) == (2, 5)
    # ranks that do not fit a ranking ('=1, =1, then 2'): nothing follows from the free places
    assert region_rank_bounds(2, 63, [], [1, 1], 3, 58) == (1, 4)


@pytest.mark.parametrize(
    "low, high, ranked, size, lang, text",
    [
        (2, 2, 5, 5, "vi", "2/5"),
        (3, 3, 6, 11, "en", "3/11"),  # exact: known, or follows from the ranks
        (2, 6, 2, 6, "vi", "2 đến 6/6 (2/6 tỉnh có thứ hạng)"),
        (2, 6, 2, 6, "en", "2 to 6 of 6 (2/6 ranked)"),
        (None, None, 0, 5, "vi", "chưa có số liệu"),
    ],
)
def test_region_place_text_is_the_rank_or_its_bounds(low, high, ranked, size, lang, text):
    from cchc.report.summary import region_place_text

    assert region_place_text(low, high, ranked, size, lang) == text


@pytest.mark.parametrize(
    "gap, unit, lang, text",
    [
        (0.0108, "index 0-1", "vi", "cao hơn 0,0108 điểm (thang 0–1)"),
        (-0.1172, "index 0-1", "en", "0.1172 points lower (0–1 scale)"),
    ],
)
def test_a_gap_on_the_0_1_scale_says_its_unit(gap, unit, lang, text):
    from cchc.report.summary import fmt_gap

    assert fmt_gap(gap, unit, lang) == text


def test_a_target_measured_by_a_rank_before_any_figure_is_an_empty_series_not_an_error(shipped):
    """Đắk Nông 2012 and 2019 reports failed to build: a rank target (PCI group) with no DTI/PCI rank yet
    filtered an empty history with an empty list, which pandas reads as 'no columns'."""
    from cchc.analysis import metrics

    assert metrics.measured_series(shipped, "dak-nong", "DTI:rank", 2019).empty
    assert metrics.measured_series(shipped, "dak-nong", "PCI:rank", 2004).empty


def test_rank_in_region_bounds_of_places_equal_printed_scores_share():
    """A computed rank of equal printed scores is a range of places (PCI 2017: Hà Nam and Thái Bình, both 61.97,
    34–35/63): either may be above the other, so each is 6th or 7th of its region, never '6' for both."""
    from cchc.analysis.position import region_rank_bounds

    others = [(34, 35), *range(1, 34), *range(36, 64)]
    assert region_rank_bounds(34, 63, [(34, 35), 10, 20, 40], others, 0, 0, rank_high=35) == (3, 4)
    assert region_rank_bounds(34, 63, [10, 20, 40], others, 0, 0, rank_high=35) == (3, 3)  # no peer in the range
    assert region_rank_bounds(34, 63, [(34, 35), 10], others, 0, 0, rank_high=34) == (2, 2)  # a published tie


@pytest.mark.parametrize("hide", [0.0, 0.4])
def test_rank_in_region_bounds_hold_every_order_equal_scores_allow(hide):
    """Random tables of few distinct scores, ranks computed as ranges of the places equal scores share: every
    order of the equal ones gives a place within the bounds, and with everything known the bounds are the
    lowest and highest of those places."""
    import numpy as np

    from cchc.analysis.position import region_rank_bounds

    rng = np.random.default_rng(25)
    regions = [r for r, n in enumerate((14, 11, 14, 5, 6, 13)) for _ in range(n)]
    for _ in range(30):
        scores = [int(rng.integers(0, 30)) for _ in range(63)]
        best = [1 + sum(s > scores[i] for s in scores) for i in range(63)]
        worst = [sum(s >= scores[i] for s in scores) for i in range(63)]
        known = [i for i in range(63) if rng.random() >= hide]
        for i in known:
            peers = [j for j in range(63) if regions[j] == regions[i] and j != i]
            above = sum(scores[j] > scores[i] for j in peers)
            places = (1 + above, 1 + above + sum(scores[j] == scores[i] for j in peers))  # every order of ties
            low, high = region_rank_bounds(
                best[i],
                63,
                [(best[j], worst[j]) for j in peers if j in known],
                [(best[j], worst[j]) for j in known if j != i],
                sum(1 for j in peers if j not in known),
                sum(1 for j in range(63) if j != i and j not in known),
                rank_high=worst[i],
            )
            assert low <= places[0] and places[1] <= high, (i, places, low, high)
            if hide == 0:
                assert (low, high) == places
