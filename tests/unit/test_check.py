"""The report checker: each rule finds what it is for, and `cchc check-reports` fails on a broken figure."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pandas as pd
import pytest
from matplotlib.figure import Figure

from cchc.report import check
from cchc.report.output import Section


@pytest.fixture(scope="module")
def ds(shipped):
    return shipped


def _report(ds, slug="ha-noi", year=2023, lang="vi"):
    return check.Report(ds, slug, year, lang)


def _rules(found):
    return {v.rule for v in found}


def _chart(*lines):
    fig = Figure()
    ax = fig.subplots()
    for gid, years in lines:
        (line,) = ax.plot(years, range(len(years)))
        line.set_gid(gid)
    return fig


def test_a_line_across_missing_years_or_two_scales_is_found(ds):
    s = Section("history", "vi")
    s.figures.append(_chart(("series:PAR:%", [2018, 2019, 2022])))
    s.figures.append(_chart(("series:PAPI:points/60", [2016, 2017]), ("series:PAPI:points/80", [2018, 2019])))
    s.figures.append(_chart(("series:PAPI:points/80", [2017, 2018])))
    found = list(check.rule_chart_lines(_report(ds), [s]))
    details = " | ".join(v.detail for v in found)
    assert "2019→2022" in details
    assert "one axis holds ['points/60', 'points/80']" in details
    assert "crosses the method change of 2018" in details
    ok = Section("history", "vi")
    ok.figures.append(_chart(("series:PAPI:points/80", [2018, 2019, 2020])))
    both = _chart(("series:PAPI:points/60", [2016, 2017]), ("series:PAPI:points/80", [2018, 2019]))
    both.axes[0].set_title("Điểm (thang 60; thang 80)")  # two scales on one axis, each named: two lines
    ok.figures.append(both)
    assert list(check.rule_chart_lines(_report(ds), [ok])) == []


def test_a_rank_out_of_another_number_than_the_year_ranked_is_found(ds):
    s = Section("headline", "vi")
    s.tables["headline"] = pd.DataFrame(
        [
            {"index": "PAPI", "year": 2023, "rank": 5, "rank_of": 63},
            {"index": "PAPI", "year": 2023, "rank": 5, "rank_of": 61},
        ]
    )
    found = list(check.rule_rank_denominator(_report(ds), [s]))
    assert [v.detail for v in found] == ["headline: PAPI 2023 rank 5/63, but 61 were ranked"]


def _position(**row):
    base = {
        "index": "SIPAS",
        "year": 2023,
        "score": 80.0,
        "unit": "%",
        "region": "Trung du và miền núi phía Bắc",
        "rank": 63,
        "rank_of": 63,
        "rank_in_region": 6,
        "region_ranked": 6,
        "region_size": 14,
    }
    return pd.DataFrame([{**base, **row}])


def test_a_rank_in_a_partly_ranked_region_must_be_a_bound(ds):
    """Bắc Kạn, last of 63 on SIPAS 2023, was '6th in its region' (6 of its 14 provinces ranked in the data):
    every other province of the region stands above the last one, so it is 14th."""
    bac_kan = _report(ds, "bac-kan")
    s = Section("position", "vi")
    s.tables["position"] = _position()
    assert [v.detail for v in check.rule_region(bac_kan, [s])] == [
        "SIPAS 2023: rank ? in its region, but the data allow 14–14"
    ]
    s.tables["position"] = _position(rank_in_region_low=6, rank_in_region_high=6)
    assert _rules(check.rule_region(bac_kan, [s])) == {"region"}
    s.tables["position"] = _position(rank_in_region=14, rank_in_region_low=14, rank_in_region_high=14)
    assert list(check.rule_region(bac_kan, [s])) == []
    s.tables["position"] = _position(rank=1, rank_in_region=1, rank_in_region_low=1, rank_in_region_high=1)
    assert list(check.rule_region(bac_kan, [s])) == []  # first in the country: first in its region
    s.tables["position"] = _position(region="", region_size=0)
    assert "the unit has no region" in list(check.rule_region(bac_kan, [s]))[0].detail
    empty = Section("summary", "vi")
    empty.say("Năm 2024, Huế xếp thứ 2/34 về Chỉ số DTI, thứ 1/0 trong vùng .")
    assert _rules(check.rule_region(_report(ds), [empty])) == {"region"}


def test_a_place_in_a_region_counts_the_province_the_publisher_ranked_outside_the_registry(ds):
    """PCI 2007 ranked Hà Tây 41st of 64 in the Red River Delta; Nam Định, 44th, was '10/11 in its region' with
    every province of the registry's region ranked: the checker took the report's own count of the region."""
    nam_dinh = _report(ds, "nam-dinh", 2007)
    s = Section("position", "vi")
    row = {"index": "PCI", "year": 2007, "region": "Đồng bằng sông Hồng", "rank": 44, "rank_of": 64}
    s.tables["position"] = _position(**row, rank_in_region_low=10, rank_in_region_high=10, region_rank_of=11)
    assert [v.detail for v in check.rule_region(nam_dinh, [s])] == [
        "PCI 2007: rank 10 in its region, but the data allow 11–11"
    ]
    s.tables["position"] = _position(**row, rank_in_region_low=11, rank_in_region_high=11, region_rank_of=12)
    assert list(check.rule_region(nam_dinh, [s])) == []


def test_a_gap_must_be_the_difference_of_the_printed_figures(ds):
    s = Section("position", "vi")
    s.tables["position"] = _position(
        index="PAPI", unit="points/80", score=40.544, national_mean=43.436, gap_national=40.544 - 43.436
    )
    found = list(check.rule_gap_printed(_report(ds), [s]))
    assert len(found) == 1 and "40.54 − 43.44 = -2.90" in found[0].detail, found
    s.tables["position"] = _position(
        index="PAPI", unit="points/80", score=40.544, national_mean=43.436, gap_national=-2.90
    )
    assert list(check.rule_gap_printed(_report(ds), [s])) == []


@pytest.mark.parametrize(
    "lang, words, why",
    [
        ("vi", "tham số: province=ha-noi, year=2023", "parameter"),
        ("vi", "Lập từ dữ liệu sha256:1c73021b650f0602", "hash"),
        ("vi", "hình thành từ (thai-nguyen-2025; bac-kan)", "slug"),
        ("vi", "được lưu cùng số liệu (thư mục data/, cột note)", "path"),
        ("vi", "Điểm: nan", "missing value"),
        ("vi", "và 10 chỉ số thành phần", "starts with"),
        ("vi", "So với tỉnh dẫn đầu bằng ()", "empty brackets"),
        ("vi", "Hà Nội: not published", "English in vi"),
        ("en", "Hà Nội xếp thứ 3 của cả nước", "Vietnamese in en"),
    ],
)
def test_code_and_the_other_language_in_reader_text_are_found(ds, lang, words, why):
    s = Section("summary", lang)
    s.say(words)
    found = list(check.rule_reader_text(_report(ds, lang=lang), [s]))
    assert any(v.detail.startswith(why) for v in found), found


def test_names_and_quoted_titles_are_not_the_other_language(ds):
    s = Section("sources", "en")
    s.say('VCCI, "Chỉ số Năng lực cạnh tranh cấp tỉnh (PCI) 2021", and Sở Nội vụ Đắk Nông.')
    s.say("Lâm Đồng ranks 3rd of 34 in the Central Highlands.")
    assert list(check.rule_reader_text(_report(ds, lang="en"), [s])) == []


def test_a_tie_that_rounding_creates_is_found(ds):
    """PCI 2021: Bắc Giang and Cà Mau both printed 64,74 (VCCI's full precision puts them 31st and 32nd)."""
    s = Section("history", "vi")
    s.tables["history"] = pd.DataFrame(
        [
            {
                "index": "PCI",
                "year": 2021,
                "province": "bac-giang",
                "score": 64.74,
                "rank": 31,
                "rank_low": 31,
                "rank_high": 31,
                "rank_computed": True,
            }
        ]
    )
    assert _rules(check.rule_computed_ties(_report(ds), [s])) == {"computed_ties"}
    s.tables["history"] = s.tables["history"].assign(rank_high=32)
    assert list(check.rule_computed_ties(_report(ds), [s])) == []


def test_tthc_figures_need_their_scope(ds):
    s = Section("tthc", "vi")
    s.tables["tthc"] = pd.DataFrame([{"received": 3254, "online_full": 714}])
    assert _rules(check.rule_tthc_scope(_report(ds), [s])) == {"tthc_scope"}


def test_the_checker_builds_the_sections_the_notebook_shows():
    names = check.section_names("province_report.ipynb")
    assert names[0] == "title" and "summary" in names and "sources_and_gaps" in names
    assert "rankings" in check.section_names("national_overview.ipynb")


@pytest.mark.slow
def test_check_reports_fails_on_a_broken_figure_naming_report_section_and_reason(tmp_path, root):
    """The validator refuses a wrong rank_of or a missing region before any report is built; what it cannot
    judge is what a reader is shown: a reader note of Đắk Nông 2024's TTHC figures that names a file."""
    data = tmp_path / "data"
    shutil.copytree(root / "data", data)
    tthc = data / "tthc.csv"
    frame = pd.read_csv(tthc, dtype=str, keep_default_na=False)
    row = frame.index[(frame["province"] == "dak-nong") & (frame["year"] == "2024")][0]
    frame.loc[row, "note_vi"] = "số liệu lấy từ data/tthc.csv"
    frame.to_csv(tthc, index=False, lineterminator="\n")
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "cchc",
            "check-reports",
            "2024",
            "--province",
            "dak-nong",
            "--lang",
            "vi",
            "--data",
            str(data),
            "--jobs",
            "1",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 1, run.stdout + run.stderr
    assert "dak-nong 2024 vi · tthc · reader_text: path: data/ in 'Ghi chú: số liệu lấy từ data/tthc.csv'" in run.stdout
    assert "in 1 of 1 report(s) checked" in run.stdout.splitlines()[-1]  # of all it checked, not of those that failed


def test_a_name_wrapped_on_a_maps_label_is_still_a_name(ds):
    """The maps name the archipelagos in Vietnamese in every language, wrapped over two lines."""
    s = Section("summary", "en")
    s.say("Quần đảo\nHoàng Sa")
    assert list(check.rule_reader_text(_report(ds, lang="en"), [s])) == []
    s.say("Quần đảo\nnot a name")
    assert _rules(check.rule_reader_text(_report(ds, lang="en"), [s])) == {"reader_text"}


def test_a_publication_cited_in_a_sentence_may_be_in_its_own_language(ds):
    """Đắk Nông 2024's TTHC figures cite an inspection report in Vietnamese; an English report cites it as written."""
    cited = ds.tthc.loc[(ds.tthc["province"] == "dak-nong") & (ds.tthc["year"] == 2024), "source"].iloc[0]
    s = Section("tthc", "en")
    s.say(f"Source: {cited}")
    assert list(check.rule_reader_text(_report(ds, lang="en"), [s])) == []
    s.say("Đoàn kiểm tra found 26 of 28 tasks done")
    assert _rules(check.rule_reader_text(_report(ds, lang="en"), [s])) == {"reader_text"}


def test_a_citation_in_a_source_column_may_be_in_the_publications_language(ds):
    s = Section("sources", "en")
    s.table(
        pd.DataFrame([{"source": 'Sở Thông tin và Truyền thông Ninh Bình, "Đẩy mạnh cải cách hành chính"'}]),
        {"source": "Source"},
    )
    assert list(check.rule_reader_text(_report(ds, lang="en"), [s])) == []
    s.say("Sở Thông tin và Truyền thông xếp thứ 3")
    assert _rules(check.rule_reader_text(_report(ds, lang="en"), [s])) == {"reader_text"}


def test_a_part_called_a_strength_must_be_in_the_upper_half_in_every_place_it_spans(ds):
    s = Section("strengths", "vi")
    row = {"index": "PCI", "year": 2010, "component": "Đào tạo lao động", "rank": 30, "rank_of": 63, "side": "strength"}
    s.tables["strengths"] = pd.DataFrame([{**row, "rank_high": 32, "half": "upper"}])
    assert [v.detail for v in check.rule_half(_report(ds, "ha-nam", 2010), [s])] == [
        "PCI Đào tạo lao động 30–32/63 called strength (upper half)"
    ]
    s.tables["strengths"] = pd.DataFrame([{**row, "rank_high": 31, "half": "upper"}])  # 31st: ahead of 32 of 62
    assert list(check.rule_half(_report(ds, "ha-nam", 2010), [s])) == []
    s.tables["strengths"] = pd.DataFrame([{**row, "rank_high": 32, "half": "middle"}])
    assert list(check.rule_half(_report(ds, "ha-nam", 2010), [s])) == []
    weak = {**row, "side": "weakness", "rank": 32, "rank_high": 34, "half": "lower"}  # the 32nd is not below it
    s.tables["strengths"] = pd.DataFrame([weak])
    assert _rules(check.rule_half(_report(ds, "ha-nam", 2010), [s])) == {"half"}


def test_the_summarys_strongest_parts_must_stand_above_every_part_it_leaves_out(ds):
    """Đà Nẵng 2022, as the summary said it: two PAPI dimensions (2nd, 6th of 61) named strongest while its DTI
    pillars were each 1st of 63."""
    from cchc.analysis.position import ahead_of

    def part(index, component, rank, rank_of, year, side=None):
        row = {
            "index": index,
            "component": component,
            "year": year,
            "rank": rank,
            "rank_of": rank_of,
            "rank_high": rank,
            "ahead_of": ahead_of(rank, rank_of),
            "half": "upper",
        }
        return {**row, "side": side} if side else row

    papi = [part("PAPI", "Quản trị điện tử", 2, 61, 2022), part("PAPI", "Cung ứng dịch vụ công", 6, 61, 2022)]
    dti = part("DTI", "Chính quyền số (pillar)", 1, 63, 2021)
    s = Section("summary", "vi")
    s.tables["parts"] = pd.DataFrame([*papi, dti])
    s.tables["named_parts"] = pd.DataFrame([{**p, "side": "strength"} for p in papi])
    said = [v.detail for v in check.rule_strongest(_report(ds, "da-nang", 2022), [s])]
    assert len(said) == 1 and said[0].startswith("DTI Chính quyền số (pillar) 1/63 (2021) not named")
    s.tables["named_parts"] = pd.DataFrame([{**dti, "side": "strength"}, {**papi[0], "side": "strength"}])
    assert list(check.rule_strongest(_report(ds, "da-nang", 2022), [s])) == []


def test_the_parts_the_summary_chooses_from_are_not_parts_it_uses(ds):
    """Yên Bái 2022: the summary's table of every ranked part it chose its strongest from holds PCI parts of
    2016; the summary names none of them, so none is 'used' by it."""
    problems = check.check_report(ds, "yen-bai", 2022, "vi")
    assert not [p for p in problems if p.rule == "stale_components"]


def test_a_unit_not_rearranged_in_2025_is_never_called_merged_formed_or_of_a_derived_region(ds):
    """Huế's reports said 'formed from Thừa Thiên Huế', 'a derived region' and 'before the merger'; Thừa Thiên
    Huế's own are as much about a province that was not merged. A merged unit may say so."""
    s = Section("title", "en")
    s.say("Province-level unit from 1 July 2025 (Resolution 202/2025/QH15), formed from Thừa Thiên Huế.")
    s.chart(None, "Chart of PAR INDEX for Thừa Thiên Huế (before the merger) on the same axes")
    said = [v.detail for v in check.rule_unchanged_units(_report(ds, "hue-2025", 2025, "en"), [s])]
    assert len(said) == 2 and "formed from" in said[0] and "before the merger" in said[1]
    assert _rules(check.rule_unchanged_units(_report(ds, "thua-thien-hue", 2024, "en"), [s])) == {"unchanged_units"}
    assert list(check.rule_unchanged_units(_report(ds, "lam-dong-2025", 2025, "en"), [s])) == []
    vi = Section("title", "vi")
    vi.say("Đơn vị hành chính cấp tỉnh từ 1/7/2025 (Nghị quyết 202/2025/QH15), hình thành từ Hà Nội.")
    assert _rules(check.rule_unchanged_units(_report(ds, "ha-noi-2025", 2025, "vi"), [vi])) == {"unchanged_units"}
