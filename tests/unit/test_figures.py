"""The figures reports use: rows of one key combined, ranks and means computed from complete tables.

Table-driven tests of the pure functions in ``cchc.data.figures``, then the small synthetic data folder
``tests/fixtures/complete`` (five provinces ranked in a made-up PAPI 2023), then, when the publishers'
tables are at hand next to the project (the folder ``sources`` beside it), the real PAPI 2023 table added to a
copy of ``data/``.
"""

from __future__ import annotations

import csv
import shutil

import pandas as pd
import pytest

from cchc.data import figures
from cchc.data.dataset import load_dataset
from cchc.report.narrative import fmt_rank

from ..conftest import FIXTURES, ROOT, SOURCES_DIR, make_data_dir

SOURCES = SOURCES_DIR / "facts"


@pytest.mark.parametrize(
    "a, da, b, db, same",
    [
        (45.78, 2, 45.7875, 4, True),  # the newspaper cut the official figure
        (45.79, 2, 45.7875, 4, True),  # ... or rounded it
        (45.77, 2, 45.7875, 4, False),
        (43.96, 2, 43.9603, 4, True),
        (91.87, 2, 91.81, 2, False),  # same precision, different figures
        (72.1, 2, 72.10, 2, True),  # trailing zero
        (48.881, 3, 48.8114, 4, False),  # swapped digits
        (0.8002, 4, 0.8, 1, True),
    ],
)
def test_same_score_at_two_precisions(a, da, b, db, same):
    assert figures.same_score(a, da, b, db) is same
    assert figures.same_score(b, db, a, da) is same


@pytest.mark.parametrize(
    "scores, decimals, ranks, highs",
    [
        ([60.1, 58.2, 58.2, 57.0], 2, [1, 2, 2, 4], [1, 3, 3, 4]),
        ([64.561, 64.559, 63.0], 2, [1, 1, 3], [2, 2, 3]),  # equal at the printed precision: places 1–2
        ([64.561, 64.559, 63.0], 3, [1, 2, 3], [1, 2, 3]),
        ([45.7875, 46.0415, 43.96], 2, [2, 1, 3], [2, 1, 3]),
        ([0.8002, 0.8002], 4, [1, 1], [2, 2]),
        ([58.195, 58.19], 2, [1, 2], [1, 2]),  # 58.195 rounds half up to 58.20
    ],
)
def test_ranks_by_score_give_the_places_an_equal_printed_score_spans(scores, decimals, ranks, highs):
    out = figures.ranks_by_score(pd.Series(scores), decimals)
    assert out["rank"].tolist() == ranks
    assert out["rank_high"].tolist() == highs
    assert out["tied"].tolist() == [lo != hi for lo, hi in zip(ranks, highs)]


def test_a_published_rank_in_a_group_of_equal_printed_scores_wins_and_is_left_out_of_the_others_range():
    # PCI 2021: Nghệ An published 30th; Bắc Giang and Cà Mau print the same 64,74 (VCCI's order: 30, 31, 32)
    above = [f"p{i}" for i in range(29)]
    scores = pd.Series(
        [70 - i / 10 for i in range(29)] + [64.74, 64.74, 64.74, 64.41], index=above + ["bg", "cm", "na", "tg"]
    )
    published = pd.Series(None, index=scores.index, dtype="Int64")
    published["na"] = 30
    out = figures.ranks_by_score(scores, 2, published)
    assert out.loc[["bg", "cm"], "rank"].tolist() == [31, 31]
    assert out.loc[["bg", "cm"], "rank_high"].tolist() == [32, 32]
    assert out.loc[["p0", "tg"], "rank"].tolist() == [1, 33]
    scores = pd.Series([64.76, 64.74, 64.74, 64.74, 64.41], index=["tq", "bg", "cm", "na", "tg"])
    published = pd.Series([None, 2, None, 3, None], index=scores.index, dtype="Int64")
    out = figures.ranks_by_score(scores, 2, published)
    assert (out.loc["cm", "rank"], out.loc["cm", "rank_high"], out.loc["cm", "tied"]) == (4, 4, False)


def _row(pos, score=None, rank=None, rank_of=None, decimals=None, source="s", chosen=False, unit="points/80"):
    return {
        "index": "PAPI",
        "year": 2023,
        "province": "p",
        "component": "",
        "score": score,
        "unit": unit if score is not None else "",
        "max_score": None,
        "score_decimals": decimals,
        "rank": rank,
        "rank_of": rank_of,
        "derived": False,
        "source": source,
        "note": "",
        "chosen": chosen,
        "_pos": pos,
    }


@pytest.mark.parametrize(
    "rows, score, rank, sources, used",
    [
        # a rank-only row and a score-only row: two facts, both used
        (
            [_row(0, rank=17, rank_of=61, source="press"), _row(1, 45.7875, decimals=4, source="table")],
            45.7875,
            17,
            ("table", "press"),
            (1, 0),
        ),
        # the same figure at two precisions: the more precise one is shown
        (
            [_row(0, 45.78, decimals=2, source="press", chosen=True), _row(1, 45.7875, decimals=4, source="table")],
            45.7875,
            None,
            ("table", ""),
            (1,),
        ),
        # the chosen row has both; nothing to add
        (
            [_row(0, 43.96, 15, 61, 2, "a", chosen=True), _row(1, 43.9603, decimals=4, source="b")],
            43.9603,
            15,
            ("b", "a"),
            (1, 0),
        ),
        # a row that contradicts the chosen one gives nothing, not even its rank
        (
            [_row(0, 91.87, decimals=2, source="gov", chosen=True), _row(1, 91.81, 2, 63, 2, "blog")],
            91.87,
            None,
            ("gov", ""),
            (0,),
        ),
        # two rank rows that disagree: no rank rather than a guess
        (
            [
                _row(0, 81.3, decimals=1, chosen=True),
                _row(1, rank=34, rank_of=63, source="x"),
                _row(2, rank=32, rank_of=63, source="y"),
            ],
            81.3,
            None,
            ("s", ""),
            (0,),
        ),
    ],
)
def test_combine_rows_of_one_key(rows, score, rank, sources, used):
    out = figures.combine(rows)
    assert out["score"] == score
    assert (None if pd.isna(out["rank"]) else out["rank"]) == rank
    assert (out["source"], out["rank_source"]) == sources
    assert out["rows"] == used


@pytest.fixture(scope="module")
def complete_ds(tmp_path_factory):
    return load_dataset(make_data_dir(FIXTURES / "complete", tmp_path_factory.mktemp("c") / "data"))


def _figure(ds, slug, year, index="PAPI"):
    f = ds.figures
    return f[(f["index"] == index) & (f["province"] == slug) & (f["year"] == year) & (f["component"] == "")].iloc[0]


@pytest.mark.parametrize(
    "slug, year, shown",
    [
        ("thua-thien-hue", 2023, "1/5"),  # published
        ("thai-nguyen", 2023, "2/5"),  # computed
        ("bac-lieu", 2023, "3–4/5"),  # computed, equal at 2 decimals with Sóc Trăng (45.5700): a range
        ("soc-trang", 2023, "3–4/5"),
        ("ha-noi", 2023, "5/5"),  # published, from the rank-only row; score from the other row
        ("thai-nguyen", 2022, "chưa có số liệu"),  # the 2022 table is partial: no rank is made up
    ],
)
def test_ranks_from_a_complete_table(complete_ds, slug, year, shown):
    f = _figure(complete_ds, slug, year)
    assert fmt_rank(f["rank"], f["rank_of"], "vi", f["tied"], f["rank_high"]) == shown
    assert bool(f["rank_computed"]) is (shown in ("2/5", "3–4/5"))
    if shown != "chưa có số liệu":
        assert (f["rank_low"], f["rank_high"]) == ((3, 4) if "–" in shown else (f["rank"], f["rank"]))


def test_score_and_rank_of_one_key_come_from_two_rows(complete_ds):
    f = _figure(complete_ds, "ha-noi", 2023)
    assert (f["score"], f["rank"], f["rank_of"]) == (43.96, 5, 5)
    assert f["source"] == "https://example.org/table-2023"
    assert f["rank_source"] == "https://example.org/press-rank-2023"
    from cchc.analysis.metrics import sources_used

    assert set(sources_used(complete_ds, "ha-noi", 2023)["source"]) == {
        "https://example.org/table-2023",
        "https://example.org/press-rank-2023",
    }
    assert _figure(complete_ds, "thai-nguyen", 2023)["score"] == 45.7875


def test_year_tables_say_what_each_table_covers(complete_ds):
    t = complete_ds.year_tables.set_index("year")
    assert t.loc[2023, ["units", "scored", "ranked", "expected", "complete"]].tolist() == [63, 5, 2, 5, True]
    assert t.loc[2022, ["scored", "ranked", "expected", "complete"]].tolist() == [1, 0, 63, False]


def test_means_published_preferred_computed_fill_the_regions(complete_ds):
    m = complete_ds.all_means.set_index("scope")
    # the published 45.39 agrees with the table's mean 45.3858 within rounding: the published one is used
    assert m.loc["national", "score"] == 45.39 and not m.loc["national", "computed"]
    assert m.loc["Đồng bằng sông Cửu Long", "score"] == 45.57  # Bạc Liêu and Sóc Trăng
    assert bool(m.loc["Đồng bằng sông Cửu Long", "computed"]) and m.loc["Đồng bằng sông Cửu Long", "n"] == 2
    assert "Tây Nguyên" not in m.index  # no province of the region in the table


def _with_national_mean(tmp_path, score, statistic=""):
    data = make_data_dir(FIXTURES / "complete", tmp_path / "data")
    (data / "means.csv").write_text(
        "index,year,scope,component,score,unit,source,note,derived,statistic,use,reason\n"
        f"PAPI,2023,national,,{score},points/80,https://example.org/press,synthetic,,{statistic},,\n",
        encoding="utf-8",
    )
    return load_dataset(data)


@pytest.mark.parametrize(
    "score, statistic, verdict",
    [
        (45.39, "", "agrees"),  # the table's mean 45.3858, printed to 2 decimals
        (45.3858, "", "agrees"),
        (45.57, "", "median"),  # the middle one of the five: a median called a mean
        (45.57, "median", "median"),  # labelled median in the data
        (44.10, "", "disagrees"),  # neither: more than rounding away from the table's mean
    ],
)
def test_a_published_mean_is_checked_against_the_complete_table(tmp_path, score, statistic, verdict):
    ds = _with_national_mean(tmp_path, score, statistic)
    check = ds.mean_checks.iloc[0]
    assert check["verdict"] == verdict
    assert check["table_mean"] == pytest.approx(45.3858, abs=1e-4) and check["table_median"] == 45.57
    national = ds.all_means[ds.all_means["scope"] == "national"].iloc[0]
    if verdict == "agrees":
        assert national["score"] == score and not national["computed"]
    else:  # the mean shown is the table's: a median or a wrong figure is never shown as the mean
        assert national["score"] == pytest.approx(45.3858, abs=1e-4) and national["computed"]
        assert national["published_score"] == score and national["published_verdict"] == verdict


def test_papi_2023_national_mean_printed_is_the_mean_not_the_median(shipped):
    ds = shipped
    m = ds.all_means
    national = m[(m["index"] == "PAPI") & (m["year"] == 2023) & (m["scope"] == "national")]
    assert len(national) == 1
    # 42.3265 (printed as the national mean by the press) is Đắk Lắk's total, the median of the 61
    assert national["score"].iloc[0] != 42.3265
    published = ds.means[(ds.means["index"] == "PAPI") & (ds.means["year"] == 2023)]
    assert published["statistic"].tolist() == ["median"] and published["note"].str.contains("median").all()


def test_par_2023_rank_7_is_not_a_tie_no_source_states(shipped):
    ds = shipped
    f = ds.figures
    seventh = f[(f["index"] == "PAR") & (f["year"] == 2023) & (f["component"] == "") & (f["rank"] == 7)]
    assert seventh["province"].tolist() == ["long-an"] and not seventh["tied"].any()
    lao_cai = ds.indices[
        (ds.indices["index"] == "PAR")
        & (ds.indices["year"] == 2023)
        & (ds.indices["province"] == "lao-cai")
        & (ds.indices["component"] == "")
    ]
    assert lao_cai["status"].tolist() == ["disputed"] and lao_cai["reason"].str.contains("Long An").all()


def test_pci_2021_equal_printed_scores_are_not_shown_as_a_shared_30th(shipped):
    ds = shipped
    f = ds.figures
    f = f[(f["index"] == "PCI") & (f["year"] == 2021) & (f["component"] == "")].set_index("province")
    assert (
        fmt_rank(f.loc["nghe-an", "rank"], 63, "vi", f.loc["nghe-an", "tied"], f.loc["nghe-an", "rank_high"]) == "30/63"
    )  # published
    for slug in ("bac-giang", "ca-mau"):
        r = f.loc[slug]
        assert fmt_rank(r["rank"], r["rank_of"], "vi", r["tied"], r["rank_high"]) == "31–32/63"
        assert (r["rank_low"], r["rank_high"]) == (31, 32)


def test_no_computed_rank_is_shown_as_a_rank_shared_with_another_province(shipped):
    f = shipped.figures
    computed = f[f["rank_computed"]]
    assert not computed["tied"].any()
    shared = computed[computed["rank_low"] != computed["rank_high"]]
    assert len(shared) > 0 and (shared["rank"] == shared["rank_low"]).all()
    exact = f[f["rank"].notna() & (f["rank_low"] == f["rank_high"])]
    assert (exact["rank"] == exact["rank_low"]).all()


def test_real_data_keeps_its_published_ranks_and_ties(shipped):
    f = shipped.figures
    computed = f[f["rank_computed"]]  # complete PCI and PAPI tables: ranks computed where none was published
    assert set(computed["index"]) <= {"PCI", "PAPI"} and not computed["rank"].isna().any()
    published_ties = f[f["tied"]]  # a shared rank only where the publisher's own table shares it
    # DTI 2022: Thanh Hóa and Yên Bái both 15th on dti.gov.vn; DTI 2021: Thanh Hóa and Vĩnh Phúc both 12th at 0.488
    assert sorted(zip(published_ties["year"], published_ties["province"])) == [
        (2021, "thanh-hoa"),
        (2021, "vinh-phuc"),
        (2022, "thanh-hoa"),
        (2022, "yen-bai"),
    ]
    assert len(f.drop_duplicates(figures.GROUP)) == len(f)


# ------------------------------------------------------------------ the real PAPI 2023 table
PAPI_2023_SOURCE = (
    "CECODES, VFF-CRT, RTA & UNDP: PAPI 2023, provincial data (unweighted totals) — https://papi.org.vn/bao-cao/"
)


def with_papi_2023_table(data_dir):
    """Add every PAPI 2023 total of the publishers' table to ``data_dir`` (a copy of data/); where a
    province already has a different figure, the table's row is the one marked use=yes."""
    rows = [
        r
        for r in csv.DictReader(open(SOURCES / "papi_2011_2024.csv", encoding="utf-8"))
        if r["year"] == "2023" and r["total"]
    ]
    path = data_dir / "indices" / "papi.csv"
    existing = list(csv.DictReader(open(path, encoding="utf-8")))
    has_use = {r["province"] for r in existing if r["year"] == "2023" and not r["component"] and r["use"]}
    has_row = {r["province"] for r in existing if r["year"] == "2023" and not r["component"]}
    with open(path, "a", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        for r in rows:
            mark = r["slug"] in has_row and r["slug"] not in has_use
            w.writerow(
                [
                    "PAPI",
                    2023,
                    r["slug"],
                    "",
                    r["total"],
                    "points/80",
                    "",
                    "",
                    "",
                    PAPI_2023_SOURCE,
                    "publisher's table",
                    "",
                    "yes" if mark else "",
                    "the publisher's table" if mark else "",
                ]
            )
    return len(rows)


@pytest.mark.skipif(not SOURCES.is_dir(), reason="needs the publishers' tables (CCHC_SOURCES_DIR)")
def test_real_papi_2023_table_gives_ranks_and_means(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    assert with_papi_2023_table(data) == 61
    ds = load_dataset(data)
    tn = _figure(ds, "thai-nguyen", 2023)
    assert round(tn["score"], 2) == 45.79 and tn["rank_computed"] and tn["rank_of"] == 61
    # published ranks stay, and the computed order agrees with them
    for slug, rank in (("thua-thien-hue", 1), ("ha-noi", 15), ("dak-nong", 61)):
        f = _figure(ds, slug, 2023)
        assert f["rank"] == rank and not f["rank_computed"]
    table = ds.figures[(ds.figures["index"] == "PAPI") & (ds.figures["year"] == 2023) & (ds.figures["component"] == "")]
    assert table["rank"].notna().sum() == 61
    order = figures.ranks_by_score(table.set_index("province")["score"], 2)["rank"]
    assert order["ha-noi"] == 15 and order["thua-thien-hue"] == 1 and order["dak-nong"] == 61
    national = ds.all_means[
        (ds.all_means["index"] == "PAPI") & (ds.all_means["year"] == 2023) & (ds.all_means["scope"] == "national")
    ]
    # the press's "mean" 42.3265 is the table's median: the mean shown is the table's own, 42.42
    assert [round(x, 2) for x in national["score"]] == [42.42] and national["computed"].all()
    assert national["published_verdict"].tolist() == ["median"]
    regional = ds.all_means[
        (ds.all_means["index"] == "PAPI")
        & (ds.all_means["year"] == 2023)
        & ds.all_means["computed"]
        & (ds.all_means["scope"] != "national")
    ]
    assert len(regional) == 6 and regional["n"].sum() == 61


def test_a_parts_table_expects_every_province_its_index_ranked_that_year(shipped):
    """PCI 2006-2008 ranked 64 provinces (Hà Tây among them, part of Hà Nội since August 2008); the data holds
    63. A part's rank computed among those 63 is not the publisher's among 64 ('1/63' said of Đà Nẵng 2008 was
    no published or true rank): such a table is partial, and no rank is computed from it."""
    from cchc.analysis import metrics

    for year in (2006, 2007, 2008):
        overall = metrics.table_coverage(shipped, "PCI", year)
        part = metrics.table_coverage(shipped, "PCI", year, component="Tính minh bạch")
        assert overall["expected"] == part["expected"] == 64 and not part["complete"], (year, part)
    f = shipped.figures
    parts = f[(f["index"] == "PCI") & f["year"].between(2006, 2008) & (f["component"] != "")]
    assert not parts["rank"].notna().any(), parts[parts["rank"].notna()].head()
    assert metrics.table_coverage(shipped, "PCI", 2009, component="Tính minh bạch")["complete"]  # 63 of 63
