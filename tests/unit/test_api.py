"""The analysis API (``import cchc``): cheap to import, documented with examples that run, and the answers
an analyst gets, table by table, on small synthetic data folders (tests/fixtures) and on data/.
"""

from __future__ import annotations

import doctest
import inspect
import subprocess
import sys

import pandas as pd
import pytest

import cchc
from cchc import api
from cchc.errors import ProvinceMerged, UnknownProvince, UnknownRegion

from ..conftest import FIXTURES, ROOT, make_data_dir


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    return cchc.load(make_data_dir(FIXTURES / "good", tmp_path_factory.mktemp("good") / "data"))


@pytest.fixture(scope="module")
def complete(tmp_path_factory):
    return cchc.load(make_data_dir(FIXTURES / "complete", tmp_path_factory.mktemp("complete") / "data"))


# ------------------------------------------------------------------ the namespace
@pytest.mark.slow
def test_import_cchc_loads_nothing_heavy_and_changes_nothing_global():
    code = (
        "import sys, cchc\n"
        "heavy = [m for m in ('pandas', 'numpy', 'matplotlib', 'seaborn', 'cchc.api') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
        "ds = cchc.load()\n"
        "cchc.history(ds, 'dak-nong', 'PAR')\n"
        "assert 'matplotlib' not in sys.modules, 'the analysis API imported matplotlib'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_every_api_name_is_reachable_from_the_package_and_listed():
    assert set(api.__all__) <= set(dir(cchc))
    for name in api.__all__:
        assert getattr(cchc, name) is getattr(api, name)
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        cchc.nope  # noqa: B018


@pytest.mark.parametrize("name", api.__all__)
def test_every_public_function_has_a_docstring_with_an_example(name):
    doc = inspect.getdoc(getattr(api, name))
    assert doc and ">>> " in doc, f"cchc.{name} has no example"


def test_the_docstring_examples_run_on_the_shipped_data(shipped):
    """Every example of cchc.api, with ``ds = cchc.load()`` as the module docstring says."""
    finder, runner = doctest.DocTestFinder(), doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    tests = finder.find(api, globs={"cchc": cchc, "ds": shipped})
    assert sum(len(t.examples) for t in tests) >= 30
    for test in tests:
        runner.run(test)
    assert runner.summarize(verbose=False).failed == 0


def test_dataset_shows_a_summary_and_its_tables_by_name(good):
    text = repr(good)
    assert "indices 10 rows" in text and "tthc 1 rows" in text and len(text) < 300
    assert set(good.tables) == {
        "indices",
        "means",
        "targets",
        "tthc",
        "unit_rankings",
        "plan_tasks",
        "publication",
        "figures",
        "all_means",
    }
    assert all(isinstance(t, pd.DataFrame) for t in good.tables.values())


# ------------------------------------------------------------------ provinces as people write them
@pytest.mark.parametrize(
    "written, year, slug",
    [
        ("Đắk Nông", None, "dak-nong"),
        ("dak nong", 2021, "dak-nong"),
        ("67", 2021, "dak-nong"),  # old GSO code
        ("TP HCM", 2024, "ho-chi-minh"),
        ("Lâm Đồng", 2025, "lam-dong-2025"),  # the new unit from the 2025 results year
    ],
)
def test_province_resolves_names_slugs_and_codes(good, written, year, slug):
    assert cchc.province(good, written, year).slug == slug


@pytest.mark.parametrize(
    "written, year, error", [("Dak Nogn", 2021, UnknownProvince), ("Đắk Nông", 2025, ProvinceMerged)]
)
def test_province_errors_say_what_was_meant(good, written, year, error):
    with pytest.raises(error):
        cchc.history(good, written, "PAR") if year is None else cchc.headline(good, written, year)


# ------------------------------------------------------------------ analyses, table by table
def test_history_one_row_per_year_chosen_row_used(good):
    h = cchc.history(good, "Đắk Nông", "par")
    assert h["year"].tolist() == [2020, 2021]
    assert h["score"].tolist() == [82.05, 86.26]  # 86.26 is the use=yes row, not the press's 86.2
    assert h["rank"].tolist() == [51, 41]
    assert cchc.history(good, "dak-nong", "PAR", until=2020)["year"].tolist() == [2020]
    assert cchc.history(good, "dak-nong", "SIPAS").empty


@pytest.mark.parametrize(
    "index, score, rank, score_delta, rank_delta",
    [
        ("PAR", 86.26, 41, 4.21, 10),
        ("PAPI", 42.1, None, None, None),  # no 2020 PAPI figure: no change is made up
    ],
)
def test_headline_change_from_the_year_before(good, index, score, rank, score_delta, rank_delta):
    h = cchc.headline(good, "dak-nong", 2021).set_index("index")
    row = h.loc[index]
    assert row["score"] == score
    assert (None if pd.isna(row["rank"]) else row["rank"]) == rank
    assert (None if pd.isna(row["score_delta"]) else row["score_delta"]) == score_delta
    assert (None if pd.isna(row["rank_delta"]) else row["rank_delta"]) == rank_delta


@pytest.mark.parametrize("year", [2016, 2021, 2024])
def test_the_headlines_of_a_whole_year_are_each_provinces_headline(shipped, year):
    from cchc.analysis import metrics

    slugs = [p.slug for p in shipped.registry]
    many = metrics.headlines(shipped, slugs, year)
    assert list(many) == slugs
    assert {slug: repr(h) for slug, h in many.items()} == {s: repr(metrics.headline(shipped, s, year)) for s in slugs}
    assert [h.index for h in many["hue-2025"]] == (["DTI"] if year == 2024 else [])


@pytest.mark.parametrize(
    "index, component, score, share",
    [
        ("PAR", "Cải cách thủ tục hành chính", 11.5, 11.5 / 14.5),
        ("PAPI", "Công khai minh bạch", 5.2, 5.2 / 10),  # no maximum stated: the top of its scale, points/10
    ],
)
def test_components_of_any_index(good, index, component, score, share):
    c = cchc.components(good, "dak-nong", 2021, index).set_index("component")
    assert c.loc[component, "score"] == score
    got = c.loc[component, "share"]
    assert (None if pd.isna(got) else pytest.approx(got)) == share


def test_national_table_with_computed_ranks_best_first(complete):
    t = cchc.national_table(complete, "PAPI", 2023)
    # Bạc Liêu and Sóc Trăng print the same score: places 3–4, in Vietnamese order
    assert t["province"].tolist() == ["thua-thien-hue", "thai-nguyen", "bac-lieu", "soc-trang", "ha-noi"]
    assert t["rank"].tolist() == [1, 2, 3, 3, 5]
    assert t["rank_computed"].tolist() == [False, True, True, True, False]
    assert t["tied"].tolist() == [False] * 5  # equal printed scores are a range of places, not a shared rank
    assert t["rank_high"].tolist() == [1, 2, 4, 4, 5]
    assert t.loc[0, "region"] == "Bắc Trung Bộ và duyên hải miền Trung"
    assert cchc.national_table(complete, "PAPI", 2022)["rank"].isna().all()  # partial table: no rank made


@pytest.fixture(scope="module")
def tied_c(tmp_path_factory):
    """The ``complete`` folder with its tie at 45.57 given to Cao Bằng (cao-bang) and Cần Thơ (can-tho), whose
    slugs sort the other way round from their names in Vietnamese ('ca' < 'câ'), and Cần Thơ moved into Cao
    Bằng's region (no region of the real registry holds two provinces whose slugs and names sort apart)."""
    data = make_data_dir(FIXTURES / "complete", tmp_path_factory.mktemp("tied") / "data")
    papi = data / "indices" / "papi.csv"
    papi.write_text(
        papi.read_text(encoding="utf-8").replace(",bac-lieu,", ",cao-bang,").replace(",soc-trang,", ",can-tho,"),
        encoding="utf-8",
    )
    registry = data / "provinces.csv"
    moved = "can-tho,Cần Thơ,63,92,Trung du và miền núi phía Bắc,"
    registry.write_text(
        registry.read_text(encoding="utf-8").replace("can-tho,Cần Thơ,63,92,Đồng bằng sông Cửu Long,", moved),
        encoding="utf-8",
    )
    assert moved in registry.read_text(encoding="utf-8")
    return cchc.load(data)


def test_national_table_puts_provinces_of_equal_rank_and_score_in_vietnamese_order(tied_c):
    """Equals were in slug order: Cần Thơ (can-tho) before Cao Bằng (cao-bang); the overview's rankings are
    this table."""
    from cchc.report import overview

    t = cchc.national_table(tied_c, "PAPI", 2023)
    assert t["name"].tolist()[2:4] == ["Cao Bằng", "Cần Thơ"] and t["rank"].tolist()[2:4] == [3, 3]
    for lang in ("vi", "en"):
        shown = overview.rankings(overview.context(2023, lang, dataset=tied_c)).tables["rankings"]
        assert shown["name"].tolist()[2:4] == ["Cao Bằng", "Cần Thơ"]


def test_peers_and_region_history_list_a_regions_provinces_in_vietnamese_order(tied_c):
    """They were in slug order: Cần Thơ (can-tho) before Cao Bằng (cao-bang), tied at places 3–4."""
    region = "Trung du và miền núi phía Bắc"
    peers = cchc.peers(tied_c, "Cao Bằng", "PAPI", 2023)
    assert peers["name"].tolist()[:3] == ["Thái Nguyên", "Cao Bằng", "Cần Thơ"]
    assert peers["rank"].tolist()[:3] == [2, 3, 3]
    history = cchc.region_history(tied_c, region, "PAPI")
    assert history.loc[history["year"] == 2023, "name"].tolist() == ["Cao Bằng", "Cần Thơ", "Thái Nguyên"]


def test_national_table_of_a_year_for_either_generation(good):
    assert cchc.national_table(good, "DTI", 2024)["province"].tolist() == []  # 63 old provinces: none
    new = cchc.national_table(good, "DTI", 2024, generation=34)
    assert new[["province", "rank", "rank_of"]].values.tolist() == [["lam-dong-2025", 30, 34]]


def test_peers_place_in_region_is_the_one_the_report_prints(complete, good):
    p = cchc.peers(complete, "Bạc Liêu", "PAPI", 2023)
    assert set(p["region"]) == {"Đồng bằng sông Cửu Long"} and len(p) == 13  # every province of the region
    ranked = p[p["rank"].notna()]
    assert ranked["province"].tolist() == ["bac-lieu", "soc-trang"]
    assert p.loc[p["rank"].isna(), "rank_in_region_low"].isna().all()  # no figure: no place
    own = cchc.position_table(complete, "Bạc Liêu", 2023).set_index("index").loc["PAPI"]
    me = p[p["is_self"]].iloc[0]
    assert (me["rank_in_region_low"], me["rank_in_region_high"]) == (
        own["rank_in_region_low"],
        own["rank_in_region_high"],
    )
    assert p.loc[p["is_self"], "province"].tolist() == ["bac-lieu"]
    tay_nguyen = cchc.peers(good, "Đắk Nông", "PAR", 2021)
    assert tay_nguyen.loc[tay_nguyen["rank"].notna(), "name"].tolist() == ["Lâm Đồng", "Đắk Nông"]


def test_peers_rank_in_region_when_all_are_ranked(shipped):
    p = cchc.peers(shipped, "Đắk Nông", "PAR", 2023)
    assert p["rank"].notna().all()
    assert p["rank_in_region"].tolist() == list(range(1, len(p) + 1))
    assert p.loc[p["is_self"], "rank_in_region"].item() == 4


def test_peers_of_a_new_unit_are_the_new_units_of_its_region(shipped):
    p = cchc.peers(shipped, "hue-2025", "DTI", 2024)  # DTI 2024 was also published for the 34 new units
    assert set(p["region"]) == {"Bắc Trung Bộ và duyên hải miền Trung"} and len(p) == 9
    assert all(slug.endswith("-2025") for slug in p["province"])
    assert p.loc[p["rank"].notna(), "province"].tolist() == [
        "hue-2025",
        "thanh-hoa-2025",
        "ha-tinh-2025",
        "da-nang-2025",
    ]
    assert len(cchc.peers(shipped, "Huế", "PAR", 2025)) == 9  # a year of the 34 units: no figure yet, same peers


def test_region_history_keeps_each_year_to_its_own_generation(shipped):
    r = cchc.region_history(shipped, "Bắc Trung Bộ và duyên hải miền Trung", "DTI")
    assert not r["province"].str.endswith("-2025").any()  # 2024: the 63 old provinces, not the new units too
    new = cchc.region_history(shipped, "Bắc Trung Bộ và duyên hải miền Trung", "DTI", generation=34)
    assert new[["year", "province", "rank"]].values.tolist() == [
        [2024, "da-nang-2025", 17],
        [2024, "ha-tinh-2025", 7],
        [2024, "hue-2025", 2],
        [2024, "thanh-hoa-2025", 5],
    ]


def test_means_say_which_generation_they_average(shipped):
    m = cchc.means(shipped, "DTI", 2024)
    assert set(m["generation"]) == {63}  # a 2024 mean is one of the 63 old provinces
    region = cchc.province(shipped, "hue-2025").region
    assert not cchc.means(shipped, "PAR", scope=region).empty


@pytest.mark.parametrize(
    "year, scope, score, computed",
    [
        (2023, "national", 45.39, False),  # published (agrees with the table: 45.3858)
        (2023, "Đồng bằng sông Cửu Long", 45.57, True),  # computed from the complete table
    ],
)
def test_means_published_or_computed(complete, year, scope, score, computed):
    m = cchc.means(complete, "PAPI", year, scope=scope)
    assert m[["score", "computed"]].values.tolist() == [[score, computed]]


def test_region_history_long_form_and_unknown_region(complete):
    r = cchc.region_history(complete, "Đồng bằng sông Cửu Long", "PAPI")
    assert r[["year", "province", "score"]].values.tolist() == [[2023, "bac-lieu", 45.57], [2023, "soc-trang", 45.57]]
    assert cchc.region_history(complete, "Mekong Delta", "PAPI").equals(r)  # English, unaccented: the same
    with pytest.raises(UnknownRegion, match="Unknown region 'Tay Ngyen'. Did you mean: Tây Nguyên?.*Valid: "):
        cchc.region_history(complete, "Tay Ngyen", "PAPI")


def test_compare_several_provinces_long_form(good):
    c = cchc.compare(good, ["Đắk Nông", "Lâm Đồng", "Bình Thuận"], "PAR", 2021)
    overall = c[c["component"] == ""]
    assert overall[["name", "score", "rank"]].values.tolist() == [
        ["Đắk Nông", 86.26, 41],
        ["Lâm Đồng", 88.1, 20],
        ["Bình Thuận", 84.0, 55],
    ]
    wide = c.pivot(index="component", columns="name", values="score")
    assert wide.loc["Cải cách thủ tục hành chính", "Đắk Nông"] == 11.5
    assert pd.isna(wide.loc["Cải cách thủ tục hành chính", "Lâm Đồng"])  # missing stays missing


def test_coverage_says_which_tables_are_complete(complete):
    c = cchc.coverage(complete, "PAPI").set_index("year")
    assert c.loc[2023, ["scored", "expected", "complete"]].tolist() == [5, 5, True]
    assert not c.loc[2022, "complete"]


@pytest.mark.parametrize(
    "metric, year, actual, actual_year, status",
    [
        ("par_rank", 2021, 41.0, 2021, "on_track"),  # 51 -> 41, target rank <= 30 by 2025
        ("par_rank", 2020, 51.0, 2020, "off_track"),  # one year, not met: no direction yet
        ("tthc_online_dossier_share", 2021, 100 * 3000 / 9000, 2021, "off_track"),  # online share of new dossiers
        ("tthc_online_dossier_share", 2020, None, None, "no_data"),
    ],
)
def test_targets_status_judged_with_figures_up_to_the_year(good, metric, year, actual, actual_year, status):
    t = cchc.targets(good, "dak-nong", year).set_index("metric")
    row = t.loc[metric]
    assert (None if pd.isna(row["actual"]) else row["actual"]) == (None if actual is None else pytest.approx(actual))
    assert (None if pd.isna(row["actual_year"]) else row["actual_year"]) == actual_year
    assert row["status"] == status


@pytest.mark.parametrize(
    "rate, value",
    [
        ("on_time_rate", 9400 / 9500),
        ("late_rate", 100 / 9500),
        ("full_online_share", 2000 / 9000),
        ("online_share", 3000 / 9000),
        ("apology_share", 80 / 100),
        ("pending_overdue_share", 50 / 500),
    ],
)
def test_tthc_rates_with_their_denominators(good, rate, value):
    t = cchc.tthc_rates(good, "dak-nong", 2021)
    assert t.loc[0, rate] == pytest.approx(value)
    assert t.loc[0, "discrepancies"] == 0


def test_tthc_rates_of_a_year_without_records_is_empty(good):
    assert cchc.tthc_rates(good, "dak-nong", 2020).empty


def test_unit_rankings_and_sources(good):
    r = cchc.unit_rankings(good, "dak-nong", 2021)
    assert r[["level", "unit", "rank"]].values.tolist() == [
        ["department", "Sở Tư pháp", 1],
        ["district", "Huyện Đắk Mil", 2],
    ]
    s = cchc.sources(good, "dak-nong", 2021)
    assert {"https://example.org/par-2021", "https://example.org/papi-2021"} <= set(s["source"])
    assert {"file", "row"} <= set(s.columns)


def test_results_are_copies_the_dataset_is_unchanged(good):
    before = good.figures.copy()
    for frame in (
        cchc.history(good, "dak-nong", "PAR"),
        cchc.national_table(good, "PAR", 2021),
        cchc.peers(good, "dak-nong", "PAR", 2021),
    ):
        frame.loc[:, "score"] = -1.0
    pd.testing.assert_frame_equal(good.figures, before)


def test_the_readme_walk_through_runs(shipped, monkeypatch, tmp_path):
    """The "Working in JupyterLab" example of README.md, as written, on data/ (its ``cchc.load()`` is the
    run's loaded data/; ``test_import_cchc_loads_nothing_heavy_and_changes_nothing_global`` loads it anew),
    in a folder of its own (it writes a workbook)."""
    monkeypatch.chdir(tmp_path)
    load = cchc.load
    monkeypatch.setattr(cchc, "load", lambda data_dir=None: shipped if data_dir is None else load(data_dir))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Working in JupyterLab") :]
    code = section[section.index("```python\n") + len("```python\n") : section.index("```\n\nA rank marked")]
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)
    assert not namespace["ds"].figures.empty
    assert (tmp_path / "par-2023.xlsx").is_file()


# ------------------------------------------------------------------ the newest years as published (issue 20)
def with_top_two(tmp_path):
    """The good fixture with a PCI 2023 published for its top 2 only, both entered."""
    data = make_data_dir(FIXTURES / "good", tmp_path / "data")
    (data / "publication.csv").write_text(
        "index,year,coverage,n,source,note\nPCI,2023,top_n,2,https://example.org/pci-2023,top 2 only\n",
        encoding="utf-8",
    )
    (data / "indices" / "pci.csv").write_text(
        "index,year,province,component,score,unit,max_score,rank,rank_of,source,note,derived,use,reason\n"
        "PCI,2023,quang-ninh,,71.25,points/100,,1,63,https://example.org/pci-2023,,,,\n"
        "PCI,2023,hai-phong,,70.34,points/100,,2,63,https://example.org/pci-2023,,,,\n"
        "PCI,2023,ha-noi,,,,,45,63,https://example.org/ha-noi,the province's own report,,,\n",
        encoding="utf-8",
    )
    return cchc.load(data)


def test_a_province_below_a_published_top_n_is_outside_it_with_its_rank_bounded(tmp_path):
    ds = with_top_two(tmp_path)
    m = cchc.missing(ds, "Đắk Nông", 2023).set_index("index")
    assert m.loc["PCI", "reason"] == "outside_top_n"
    assert (m.loc["PCI", "published_n"], m.loc["PCI", "rank_low"], m.loc["PCI", "rank_high"]) == (2, 3, 63)
    assert m.loc["PAR", "reason"] == "not_entered"  # PAR INDEX is published for every province
    h = cchc.missing(ds, "Hà Nội", 2023).set_index("index")
    assert h.loc["PCI", "reason"] == "outside_top_n" and pd.isna(h.loc["PCI", "rank_low"])  # its rank is known
    c = cchc.coverage(ds, "PCI", 2023)
    assert c.loc[c["component"] == "", ["status", "published_n"]].values.tolist() == [["published_top_n", 2]]


def test_the_shipped_pci_2023_is_the_top_30_with_its_members_figures(shipped):
    c = cchc.coverage(shipped, "PCI", 2023)
    assert c.loc[c["component"] == "", ["status", "published_n"]].values.tolist() == [["published_top_n", 30]]
    assert set(c.loc[c["component"] != "", "status"]) == {"published"}  # every province's sub-indices
    h = cchc.history(shipped, "Thanh Hóa", "PCI").set_index("year")
    assert (h.loc[2023, "score"], h.loc[2023, "rank"]) == (66.79, 30)  # 30th of VCCI's top 30
    # Hà Nội was 28th: VCCI published its score, which the data do not hold yet
    assert cchc.missing(shipped, "Hà Nội", 2023).set_index("index").loc["PCI", "reason"] == "not_entered"
    # Lâm Đồng has no PCI 2023 figure and the data hold only part of the top 30
    assert cchc.missing(shipped, "Lâm Đồng", 2023).set_index("index").loc["PCI", "reason"] == "top_n_unknown"


def test_dti_2024_was_published_for_the_63_provinces_and_for_the_34_units(shipped):
    """The ministry ranked DTI 2024 twice (data/publication.csv): an old province without a figure (Đắk Nông) was
    published, not yet entered (it read 'not_published'); a new unit without one is not entered among the 34."""
    d = cchc.missing(shipped, "Đắk Nông", 2024).set_index("index")
    assert (d.loc["DTI", "reason"], d.loc["DTI", "published_n"]) == ("not_entered", 63)
    new = cchc.missing(shipped, shipped.registry.get("lam-dong-2025"), 2024).set_index("index")
    assert (new.loc["DTI", "reason"], new.loc["DTI", "published_n"]) == ("not_entered", 34)
    c = cchc.coverage(shipped, "DTI", 2024).set_index("generation")
    assert c.loc[63, ["published", "published_n"]].tolist() == ["all", 63]
    assert c.loc[34, ["published", "published_n"]].tolist() == ["new_units", 34]


@pytest.mark.parametrize(
    "rows, hai_duong, kon_tum",
    [
        ("DTI,2024,new_units,34,https://example.org/dti-34,\n", "for_successor", "not_published"),
        (
            "DTI,2024,all,63,https://example.org/dti-63,\nDTI,2024,new_units,34,https://example.org/dti-34,\n",
            "not_entered",
            "not_entered",
        ),
    ],
)
def test_an_old_province_s_missing_figure_reads_what_was_published_of_its_generation(
    tmp_path, rows, hai_duong, kon_tum
):
    """A year published for the new units only leaves the old provinces unpublished (with the successor's
    figure where it has one); published for both, an old province's missing figure is not entered."""
    data = make_data_dir(FIXTURES / "good", tmp_path / "data")
    (data / "publication.csv").write_text("index,year,coverage,n,source,note\n" + rows, encoding="utf-8")
    (data / "indices" / "dti.csv").write_text(
        "index,year,province,component,score,unit,max_score,rank,rank_of,source,note,derived,use,reason\n"
        "DTI,2024,hai-phong-2025,,0.7857,index 0-1,,3,34,https://example.org/dti-34,,,,\n",
        encoding="utf-8",
    )
    ds = cchc.load(data)
    assert cchc.missing(ds, "Hải Dương", 2024).set_index("index").loc["DTI", "reason"] == hai_duong
    assert cchc.missing(ds, "Kon Tum", 2024).set_index("index").loc["DTI", "reason"] == kon_tum  # no successor figure


def test_binh_duong_par_and_sipas_2024_as_published(shipped):
    par = cchc.history(shipped, "Bình Dương", "PAR").set_index("year")
    sipas = cchc.history(shipped, "Bình Dương", "SIPAS").set_index("year")
    assert (par.loc[2024, "score"], par.loc[2024, "rank"], par.loc[2024, "rank_of"]) == (89.13, 23, 63)
    assert (sipas.loc[2024, "score"], sipas.loc[2024, "rank"]) == (87.80, 7)
    assert par.loc[2024, "source"].startswith('Bộ Nội vụ, "Chỉ số cải cách hành chính (PAR INDEX) 2024", via https://')


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_successor_with_a_score_and_no_rank_is_not_said_to_rank_its_score(tmp_path, lang):
    """The successor's figure is told as 'xếp thứ {figure}' / 'ranked {figure}': with only a score it read
    'xếp thứ 0,7857'. A successor without a rank is not told of; the province's own reason stands."""
    from cchc.report.summary import missing_text

    data = make_data_dir(FIXTURES / "good", tmp_path / "data")
    (data / "publication.csv").write_text(
        "index,year,coverage,n,source,note\nDTI,2024,all,63,https://example.org/dti-63,\n"
        "DTI,2024,new_units,34,https://example.org/dti-34,\n",
        encoding="utf-8",
    )
    (data / "indices" / "dti.csv").write_text(
        "index,year,province,component,score,unit,max_score,rank,rank_of,source,note,derived,use,reason\n"
        "DTI,2024,hai-phong-2025,,0.7857,index 0-1,,,,https://example.org/dti-34,,,,\n",
        encoding="utf-8",
    )
    ds = cchc.load(data)
    said = missing_text(ds, ds.registry.get("hai-duong"), "DTI", 2024, lang)
    assert "0,7857" not in said and "0.7857" not in said
    assert said == {"vi": "chưa nhập vào bộ dữ liệu", "en": "not yet entered in the data set"}[lang]
    (data / "publication.csv").write_text(  # published for the new units only: the province's was not published
        "index,year,coverage,n,source,note\nDTI,2024,new_units,34,https://example.org/dti-34,\n", encoding="utf-8"
    )
    ds = cchc.load(data)
    said = missing_text(ds, ds.registry.get("hai-duong"), "DTI", 2024, lang)
    assert said == {"vi": "không được công bố", "en": "not published"}[lang]
