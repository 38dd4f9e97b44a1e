"""The analyst's API fails loudly and composes (issue 21, items 1-5 and 7): every name argument resolved as
provinces are, a new unit of 2025 never silently empty, several indices in one long frame, changes between
two years, components of every province, one dtype per column. On data/ (``shipped``) and tests/fixtures.
"""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

import cchc
from cchc.errors import (
    AcrossBreak,
    CchcError,
    PredecessorsNote,
    UnknownComponent,
    UnknownIndex,
    UnknownRegion,
    YearOutOfRange,
)

from ..conftest import FIXTURES, make_data_dir


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    return cchc.load(make_data_dir(FIXTURES / "good", tmp_path_factory.mktemp("good") / "data"))


# ------------------------------------------------------------------ 1. wrong input never looks like "no data"
@pytest.mark.parametrize(
    "written", ["PAR", "par", "PAR INDEX", "Chỉ số CCHC", "chi so cchc", "Chỉ số CCHC (PAR INDEX)"]
)
def test_the_usual_names_of_an_index_are_accepted(shipped, written):
    expected = cchc.national_table(shipped, "PAR", 2023)
    pd.testing.assert_frame_equal(cchc.national_table(shipped, written, 2023), expected)


@pytest.mark.parametrize(
    "call",
    [
        lambda ds: cchc.national_table(ds, "XYZ", 2023),
        lambda ds: cchc.history(ds, "Hà Nội", "PAPPI"),
        lambda ds: cchc.means(ds, "Chỉ số CCHCC"),
        lambda ds: cchc.peers(ds, "Hà Nội", "PCII", 2023),
    ],
)
def test_an_unknown_index_is_refused_with_the_valid_ones(shipped, call):
    with pytest.raises(UnknownIndex, match=r"Unknown index .* Valid: PAR; SIPAS; PAPI; PCI; DTI") as exc:
        call(shipped)
    assert isinstance(exc.value, CchcError) and isinstance(exc.value, LookupError)


@pytest.mark.parametrize("written, nearest", [("PAPPI", "PAPI"), ("Chỉ số CCHCC", "PAR"), ("SIPASS", "SIPAS")])
def test_a_misspelt_index_names_the_nearest(shipped, written, nearest):
    with pytest.raises(UnknownIndex, match=f"Did you mean: {nearest}[,?]"):
        cchc.history(shipped, "Hà Nội", written)


@pytest.mark.parametrize(
    "scope, expected",
    [
        ("Tây Nguyên", "Tây Nguyên"),
        ("Tay Nguyen", "Tây Nguyên"),
        ("tây nguyên", "Tây Nguyên"),
        ("Central Highlands", "Tây Nguyên"),
        ("National", "national"),
        ("cả nước", "national"),
        ("toan quoc", "national"),
    ],
)
def test_a_means_scope_in_any_usual_spelling(shipped, scope, expected):
    m = cchc.means(shipped, "PAR", scope=scope)
    assert not m.empty and set(m["scope"]) == {expected}


def test_an_unknown_scope_or_region_names_the_valid_ones_and_the_nearest(shipped):
    with pytest.raises(UnknownRegion, match=r"Did you mean: Tây Nguyên\?.*Valid: national; .*Đồng bằng sông Hồng"):
        cchc.means(shipped, "PAR", scope="Tay Ngyuen")
    with pytest.raises(UnknownRegion, match="Valid: Bắc Trung Bộ"):  # a region is not 'national'
        cchc.region_history(shipped, "national", "PAR")


@pytest.mark.parametrize("written", ["Công khai, minh bạch", "Cong khai minh bach", "Transparency", "transparency"])
def test_a_component_by_its_name_with_or_without_accents_its_english_or_its_code(shipped, written):
    t = cchc.national_table(shipped, "PAPI", 2023, component=written)
    assert len(t) == 61 and t["score"].notna().all()


def test_an_unknown_component_is_refused_not_an_empty_table(shipped):
    with pytest.raises(UnknownComponent, match=r"Did you mean: Công khai, minh bạch\?.*Quản trị điện tử"):
        cchc.national_table(shipped, "PAPI", 2023, component="Cong khai minh bac")
    with pytest.raises(UnknownComponent):
        cchc.means(shipped, "PCI", component="nope")


@pytest.mark.parametrize(
    "call",
    [
        lambda ds: cchc.national_table(ds, "PAR", 1990),
        lambda ds: cchc.national_table(ds, "PAPI", 2035),
        lambda ds: cchc.means(ds, "PAR", 2050),
        lambda ds: cchc.headline(ds, "Hà Nội", 1999),
        lambda ds: cchc.history(ds, "Hà Nội", "PAR", until=1800),
        lambda ds: cchc.change(ds, "PAPI", 2019, 2040),
    ],
)
def test_a_year_outside_the_data_is_refused_with_the_range(shipped, call):
    with pytest.raises(YearOutOfRange, match=r"outside the years of .*: \d{4}–2025") as exc:
        call(shipped)
    assert isinstance(exc.value, ValueError) and isinstance(exc.value, CchcError)


def test_the_errors_are_one_hierarchy_reachable_as_cchc_errors():
    assert cchc.errors.UnknownProvince is cchc.data.provinces.UnknownProvince
    for error in (UnknownIndex, UnknownRegion, UnknownComponent, cchc.errors.UnknownProvince):
        assert issubclass(error, CchcError) and issubclass(error, LookupError)
    assert issubclass(YearOutOfRange, ValueError) and issubclass(AcrossBreak, ValueError)


# ------------------------------------------------------------------ 2. a new unit of 2025
def test_a_new_unit_says_its_figures_before_2025_are_its_predecessors(shipped):
    with pytest.warns(PredecessorsNote, match="Bình Thuận, Đắk Nông, Lâm Đồng"):
        own = cchc.history(shipped, "lam-dong-2025", "PAR")
    assert own.empty and "include_predecessors=True" in own.attrs["predecessors"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        both = cchc.history(shipped, "lam-dong-2025", "PAR", include_predecessors=True)
        assert cchc.history(shipped, "lam-dong-2025", "PAR", include_predecessors=False).empty
    assert set(both["province"]) == {"binh-thuan", "dak-nong", "lam-dong"} and both["predecessor"].all()
    dak_nong = both[both["province"] == "dak-nong"].set_index("year")
    assert (dak_nong.loc[2023, "rank"], dak_nong.loc[2023, "rank_of"]) == (51, 63)


def test_a_unit_not_rearranged_says_its_figures_before_2025_are_its_old_provinces(shipped):
    with pytest.warns(PredecessorsNote, match="not rearranged") as said:
        cchc.history(shipped, "hue-2025", "PAPI")
    note = str(said[0].message)
    assert "Thừa Thiên Huế" in note and "formed" not in note and "predecessors " not in note


def test_a_new_units_headline_with_its_predecessors(shipped):
    with pytest.warns(PredecessorsNote):
        assert cchc.headline(shipped, "Lâm Đồng", 2025).empty
    h = cchc.headline(shipped, "Lâm Đồng", 2025, include_predecessors=True)
    assert set(h["province"]) == {"binh-thuan", "dak-nong", "lam-dong"} and h["predecessor"].all()
    assert set(h["year"]) == {2024}


def test_every_unit_has_its_region(shipped):
    assert all(p.region for p in shipped.registry)
    assert cchc.province(shipped, "Lâm Đồng", 2025).region == "Tây Nguyên"


# ------------------------------------------------------------------ 3. several indices in one frame
def test_history_of_several_indices_is_one_long_frame_with_rank_shares(shipped):
    h = cchc.history(shipped, "Hà Nội", ["PAR", "SIPAS", "PAPI", "PCI"])
    assert list(h["index"].cat.categories[:4]) == ["PAR", "SIPAS", "PAPI", "PCI"]
    assert set(h["index"]) == {"PAR", "SIPAS", "PAPI", "PCI"}
    row = h[(h["index"] == "PAR") & (h["year"] == 2023)].iloc[0]
    assert row["rank_share"] == pytest.approx(3 / 63)
    assert (h["rank_share"].dropna() <= 1).all()
    every = cchc.history(shipped, "Hà Nội", None)
    assert set(every["index"]) == {"PAR", "SIPAS", "PAPI", "PCI", "DTI"}
    one = cchc.history(shipped, "Hà Nội", "PAR")
    pd.testing.assert_frame_equal(one, every[every["index"] == "PAR"].reset_index(drop=True))


# ------------------------------------------------------------------ 4. change between two years
def test_change_of_every_province_between_two_years(shipped):
    c = cchc.change(shipped, "PAPI", 2019, 2023)
    assert c["province"].is_unique and len(c) >= 60
    assert c["score_change"].is_monotonic_decreasing or c["score_change"].dropna().is_monotonic_decreasing
    hn = c.set_index("province").loc["ha-noi"]
    start = cchc.history(shipped, "Hà Nội", "PAPI").set_index("year")
    assert hn["score_start"] == start.loc[2019, "score"] and hn["score_end"] == start.loc[2023, "score"]
    assert pd.isna(hn["rank_change"])  # 63 ranked in 2019, 61 in 2023: places are not comparable
    assert c.loc[c["score_end"].notna() & c["score_start"].notna(), "comparable"].all()
    assert not c.loc[c["score_end"].isna(), "comparable"].any()  # no figure in 2023 (61 ranked): nothing to compare
    par = cchc.change(shipped, "PAR", 2022, 2023).set_index("province")
    assert par.loc["dak-nong", "rank_change"] == 37 - 51  # both years of 63: places gained (here lost)


def test_provinces_with_equal_changes_are_in_vietnamese_order(shipped):
    """PAR 2023 to 2024: the provinces without a change to compare came in slug order, Cần Thơ before Cao Bằng
    and Hồ Chí Minh before Hòa Bình ('ho-chi-minh' < 'hoa-binh'; in Vietnamese o comes before ô)."""
    from cchc.data.provinces import vi_sort_key

    c = cchc.change(shipped, "PAR", 2023, 2024)
    for _, g in c.groupby([c["score_change"].fillna(-1e9), c["rank_change"].astype("Float64").fillna(-1e9)]):
        assert g["name"].tolist() == sorted(g["name"], key=vi_sort_key)
    none = c.loc[c["score_change"].isna() & c["rank_change"].isna(), "name"].tolist()
    assert none[5:8] == ["Cà Mau", "Cao Bằng", "Cần Thơ"] and none.index("Hòa Bình") < none.index("Hồ Chí Minh")


def test_the_top_improvers_are_first(shipped):
    top = cchc.change(shipped, "PAPI", 2019, 2023).head(10)
    assert top["score_change"].is_monotonic_decreasing and top["score_change"].notna().all()


def test_change_across_a_method_break_is_refused_or_flagged(shipped):
    with pytest.raises(AcrossBreak, match="2020, 2022"):
        cchc.change(shipped, "PAR", 2019, 2023)
    flagged = cchc.change(shipped, "PAR", 2019, 2023, across_breaks=True)
    assert not flagged["comparable"].any() and flagged["breaks"].iloc[0] == [2020, 2022]
    with pytest.raises(AcrossBreak, match="34 units"):
        cchc.change(shipped, "DTI", 2024, 2025)


# ------------------------------------------------------------------ 5. components
def test_components_of_every_province_with_codes_and_shares(shipped):
    c = cchc.components(shipped, None, 2023, "PCI")
    assert c["province"].nunique() == 63 and {"code", "rank_computed", "max_score", "share"} <= set(c.columns)
    assert (c["code"] != "").all() and c["max_score"].eq(10).all()  # PCI sub-indices: points/10
    assert c["share"].between(0, 1).all()
    wide = c.pivot(index="name", columns="code", values="score")
    assert wide.loc["Hà Nội"].notna().sum() == 10
    one = cchc.components(shipped, "Hà Nội", 2023, "PCI")
    assert one["score"].tolist() == c.loc[c["province"] == "ha-noi", "score"].tolist()


def test_component_codes_are_stable_across_a_renaming(shipped):
    old = cchc.components(shipped, "Thanh Hóa", 2021, "PAR")
    new = cchc.components(shipped, "Quảng Nam", 2023, "PAR")
    assert "apparatus" in set(old["code"]) & set(new["code"])
    assert set(old.loc[old["code"] == "apparatus", "component"]) != set(
        new.loc[new["code"] == "apparatus", "component"]
    )


# ------------------------------------------------------------------ 7. one dtype per column
def test_one_dtype_per_column_across_the_api(shipped):
    frames = [
        cchc.headline(shipped, "Đắk Nông", 2021),
        cchc.components(shipped, "Đắk Nông", 2022),
        cchc.position_table(shipped, "Hà Nội", 2023),
        cchc.strengths(shipped, "Kon Tum", 2023),
        cchc.similar_provinces(shipped, "Hà Nội", 2023),
        cchc.change(shipped, "PAPI", 2019, 2023),
    ]
    for f in frames:
        for column in ("rank_delta", "rank_change"):
            if column in f.columns:
                assert f[column].dtype == "Int64", (column, f.columns.tolist())
    assert cchc.means(shipped, "PAPI", 2023)["n"].dtype == "Int64"
    group = cchc.position_table(shipped, "Hà Nội", 2023)["group"]
    assert group.dtype != object and group.dropna().isin(["1", "2", "3", "4", "A", "B"]).all()
    assert isinstance(cchc.national_table(shipped, "PAR", 2023)["rank"].dtype, pd.Int64Dtype)
    assert isinstance(cchc.history(shipped, "Hà Nội", None)["index"].dtype, pd.CategoricalDtype)


def test_peers_give_the_rank_in_region_the_report_prints(shipped):
    p = cchc.peers(shipped, "Hà Nội", "SIPAS", 2023)  # the report: "5 đến 11" in its region
    own = cchc.position_table(shipped, "Hà Nội", 2023).set_index("index").loc["SIPAS"]
    me = p[p["is_self"]].iloc[0]
    assert (
        (me["rank_in_region_low"], me["rank_in_region_high"])
        == (5, 11)
        == (
            own["rank_in_region_low"],
            own["rank_in_region_high"],
        )
    )
    assert pd.isna(me["rank_in_region"])  # a range, not one place
