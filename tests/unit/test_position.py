"""Where a province stands and what to work on (issue 14): the means beside its history in their own unit,
the component areas without contradictions, position, strengths, similar provinces and the summary."""

from __future__ import annotations

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from cchc.analysis import metrics
from cchc.analysis import position as analysis
from cchc.report import sections

# On one xdist worker with tests/unit/test_sections.py: they read many of the same
# sections, built once per worker by report_section (measured: 42 instead of 47 CPU-s for the two files).
pytestmark = pytest.mark.xdist_group("report-sections")
RENDERED = [("kon-tum", 2023, "vi", "html")]  # read by the one slow test, rendered once per run (conftest.py)


@pytest.fixture(scope="module")
def history_of(report_section):
    """The history section of a province's 2023 report, drawn once for every test that reads it."""
    return lambda province: report_section(sections.history, province, 2023)


def _rows(section, heading: str) -> dict[str, list[str]]:
    """The table under a heading of a section, as {first cell: [header: cell, ...]}."""
    soup = BeautifulSoup(section.to_html(), "html.parser")
    h = next(h for h in soup.find_all("h3") if h.get_text(strip=True) == heading)
    table = h.find_next("table")
    head = [th.get_text(" ", strip=True) for th in table.find_all("th")]
    rows = {}
    for tr in table.find_all("tr"):
        cells = [td.get_text(" ", strip=True) for td in tr.find_all("td")]
        if cells:
            rows[cells[0]] = [f"{h}: {c}" for h, c in zip(head, cells)]
    return rows


# ------------------------------------------------------------------ item 1: means never vanish or change unit
@pytest.mark.parametrize(
    "province, index, heading, year, cells",
    [
        # a year with a rank and no score keeps the means of that year, in their unit (%), not "86,98 điểm"
        ("dak-nong", "PAR", "Chỉ số CCHC (PAR INDEX)", "2023", ["Cả nước: 86,98%", "Tây Nguyên: 85,42%"]),
        ("ha-noi", "PAR", "Chỉ số CCHC (PAR INDEX)", "2016", ["Cả nước: 74,64%"]),
        ("ha-noi", "SIPAS", "Chỉ số hài lòng SIPAS", "2022", ["Cả nước: 80,08%"]),
        # the series started on /60 before 2018: the /80 mean of 2023 is shown all the same — the table's mean, since
        # the published "mean" 42.3265 is the table's median
        ("ha-noi", "PAPI", "Chỉ số PAPI", "2023", ["Cả nước: 42,42/80 điểm (tính)"]),
    ],
)
def test_history_shows_every_mean_of_the_data_in_its_own_unit(history_of, province, index, heading, year, cells):
    s = history_of(province)
    row = _rows(s, heading)[year]
    for cell in cells:
        assert cell in row, row
    shown = s.tables["means"]
    assert not shown[(shown["index"] == index) & (shown["year"] == int(year))].empty


def test_a_new_units_history_shows_no_mean_of_the_63_and_counts_its_own_table(report_section):
    s = report_section(sections.history, "hue-2025", 2024)  # DTI 2024 of the 34 new units
    assert "0,6961" not in s.to_html()  # the published 2024 mean averages the 63 old provinces
    assert s.tables["means"].empty
    assert any("/34" in said for said in s.sentences) and not any("/63" in said for said in s.sentences)


@pytest.mark.parametrize(
    "province, index, lines, first",
    [
        ("dak-nong", "PAR", {"Cả nước", "Tây Nguyên"}, {"%": 2021}),  # the last year is rank-only: one scale
        # /60 until 2017, /80 from 2018: each scale's means drawn apart, never joined across the change
        ("ha-noi", "PAPI", {"Cả nước", "Đồng bằng sông Hồng"}, {"points/60": 2011, "points/80": 2019}),
    ],
)
def test_history_chart_draws_the_means_of_each_scale_apart(history_of, province, index, lines, first):
    s = history_of(province)
    names = ["PAR", "SIPAS", "PAPI", "PCI", "DTI"]
    shown = [i for i in names if not s.tables["history"].query("index == @i").empty]
    fig = s.figures[shown.index(index)]
    means = [line for line in fig.axes[0].get_lines() if line.get_linestyle() == "--"]
    assert lines <= {line.get_label() for line in means}
    starts: dict[str, int] = {}
    for line in means:
        unit = line.get_gid().split(":", 2)[2]
        starts[unit] = min(starts.get(unit, 9999), int(min(line.get_xdata())))
    assert starts == first


# ------------------------------------------------------------------ item 3: the component areas
def test_component_movers_never_name_one_area_as_both_and_a_fall_is_a_fall(report_section):
    s = report_section(sections.par_components, "kon-tum", 2023)
    said = " ".join(s.sentences)
    # Kon Tum 2023: only Cải cách thủ tục hành chính has a rank in both years (49 -> 34)
    assert "Cải thiện nhiều nhất: Cải cách thủ tục hành chính (tăng 15 bậc)" in said
    assert "giảm nhiều nhất" not in said


def test_component_chart_holds_areas_not_sub_totals(report_section):
    s = report_section(sections.par_components, "kon-tum", 2023)
    labels = " ".join(t.get_text().replace("\n", " ") for t in s.figures[0].axes[0].get_yticklabels())
    assert "Cải cách thể chế" in labels
    for part in ("Điểm thẩm định", "Điểm đánh giá tác động", "Khảo sát lãnh đạo", "Chỉ số SIPAS"):
        assert part not in labels


def test_component_section_names_the_weakest_areas_by_rank_even_without_a_score(report_section):
    said = " ".join(report_section(sections.par_components, "kon-tum", 2023).sentences)
    assert "Công tác chỉ đạo, điều hành CCHC (52/63)" in said and "Cải cách tài chính công (51/63)" in said


@pytest.mark.parametrize("lang, shown", [("vi", "năm 2022"), ("en", "2022")])
def test_component_section_shows_the_latest_year_with_areas(lang, shown, report_section):
    s = report_section(sections.par_components, "dak-nong", 2023, lang)
    assert s.tables["components"]["year"].unique().tolist() == [2022]
    assert "Cải cách thể chế" in s.tables["components"]["component"].tolist()
    assert '<p class="missing">' not in s.to_html()  # not "no component data": it says what exists
    assert shown in s.sentences[0] and "2023" in s.sentences[0]


# ------------------------------------------------------------------ position, strengths, similar provinces
@pytest.fixture(scope="module")
def ds(report_context):
    return report_context("ha-noi", 2023).ds


def _row(frame, index):
    return frame[frame["index"] == index].iloc[0]


def test_position_of_ha_noi_2023(ds):
    from cchc.analysis import position

    p = position.index_position(ds, "ha-noi", 2023)
    assert p["index"].tolist() == ["PAR", "SIPAS", "PAPI", "PCI", "DTI"]  # PCI 2023: 28th (press facts)
    par = _row(p, "PAR")
    assert (par["rank"], par["group"], par["group_method"]) == (3, 1, "quartile")  # no official group before 2024
    assert par["gap_national"] == pytest.approx(91.43 - 86.98) and par["gap_regional"] == pytest.approx(91.43 - 88.33)
    assert (par["best_province"], round(par["gap_best"], 2)) == ("quang-ninh", -0.75)
    assert par["breaks_start"] == [2020, 2022] and par["start_year"] == 2016
    papi = _row(p, "PAPI")
    assert papi["breaks_start"] == [2018] and pd.isna(papi["score_delta_start"])  # /60 then /80: not compared
    assert _row(p, "DTI")["rank_delta"] == 18 and pd.isna(_row(p, "DTI")["gap_national"])  # a rank, no score


def test_position_of_a_year_with_a_rank_and_no_score(ds):
    from cchc.analysis import position

    par = _row(position.index_position(ds, "dak-nong", 2023), "PAR")
    assert (par["rank_in_region"], par["region_ranked"], par["region_size"]) == (4, 5, 5)
    assert par["rank_delta"] == -14 and pd.isna(par["gap_national"]) and par["national_mean"] == 86.98


def test_the_official_par_group_from_2024(ds):
    from cchc.analysis import position

    par = _row(position.index_position(ds, "ha-noi", 2024), "PAR")
    assert (par["group"], par["group_method"]) == ("A", "official")


def test_a_new_unit_is_placed_among_the_units_of_its_own_generation(ds):
    from cchc.analysis import position

    dti = _row(position.index_position(ds, "hue-2025", 2024), "DTI")  # DTI 2024 of the 34 new units
    assert (dti["region"], dti["region_size"], dti["generation"]) == ("Bắc Trung Bộ và duyên hải miền Trung", 9, 34)
    # 2nd of 34 and only Hà Nội (Đồng bằng sông Hồng) above it: 1st of its region, whatever the others
    assert (dti["rank_in_region_low"], dti["rank_in_region_high"], dti["rank_in_region"]) == (1, 1, 1)
    assert pd.isna(dti["national_mean"]) and pd.isna(dti["regional_mean"])  # means of the 63 are not its own
    da_nang = _row(position.index_position(ds, "da-nang-2025", 2024), "DTI")
    assert pd.isna(da_nang["gap_national"]) and da_nang["best_province"] == "ha-noi-2025"
    assert da_nang["gap_best"] == pytest.approx(0.7069 - 0.8241)


def test_gaps_are_the_differences_of_the_printed_figures(ds):
    from cchc.analysis import position

    papi = _row(position.index_position(ds, "ha-noi", 2019), "PAPI")
    assert (papi["score"], papi["national_mean"]) == (41.533, 43.6163)  # printed 41,53 and 43,62
    assert papi["gap_national"] == pytest.approx(-2.09)  # not -2.0833, printed -2,08


def test_a_partly_ranked_region_gives_the_bounds_of_the_rank_never_a_flattering_one(ds, report_section):
    from cchc.analysis import position

    par = _row(position.index_position(ds, "tay-ninh", 2019), "PAR")  # 44/63; of Đông Nam Bộ only Bình Dương (17)
    assert (par["region_ranked"], par["region_size"]) == (2, 6)
    assert (par["rank_in_region_low"], par["rank_in_region_high"]) == (2, 6) and pd.isna(par["rank_in_region"])
    vi = report_section(sections.summary, "tay-ninh", 2019).sentences[0]
    assert "thứ 2 đến 6 trong 6 tỉnh của vùng Đông Nam Bộ (2/6 tỉnh của vùng có thứ hạng)" in vi
    en = report_section(sections.summary, "tay-ninh", 2019, "en").sentences[0]
    assert "rank 2 to 6 of the 6 provinces of the region Southeast (2/6 of them ranked)" in en
    assert "2 đến 6/6 (2/6 tỉnh có thứ hạng)" in report_section(sections.position, "tay-ninh", 2019).to_html()
    # last in the country is last in its region, however few of its peers have a rank in the data
    sipas = _row(position.index_position(ds, "bac-kan", 2023), "SIPAS")
    assert (sipas["rank"], sipas["rank_of"], sipas["rank_in_region_low"], sipas["rank_in_region_high"]) == (
        63,
        63,
        14,
        14,
    )


def test_a_new_unit_report_says_its_region_is_derived_and_whose_it_is(report_section):
    vi = report_section(sections.summary, "hue-2025", 2024).sentences[0]
    assert vi == (
        "Năm 2024, Huế xếp thứ 2/34 về Chỉ số DTI, thuộc nhóm 1/4 đứng đầu cả nước, thứ 1/9 trong vùng "
        "Bắc Trung Bộ và duyên hải miền Trung."
    )
    for lang in ("vi", "en"):
        said = " ".join(report_section(sections.title, "lam-dong-2025", 2025, lang).sentences)
        assert "Lâm Đồng" in said and "19/2025/QĐ-TTg" in said  # the seat's region, derived
    vi = " ".join(report_section(sections.title, "lam-dong-2025", 2025).sentences)
    assert "Lâm Đồng" in vi and "Bắc Trung Bộ và duyên hải miền Trung" in vi  # Bình Thuận lay in another region
    en = " ".join(report_section(sections.position, "hue-2025", 2024, "en").sentences)
    assert "63" in en and "34" in en  # compared only with the units of its own generation, and said so


@pytest.mark.parametrize("province", ["ha-noi", "kon-tum", "dak-nong", "ninh-binh", "quang-ninh"])
def test_strengths_and_weaknesses_never_share_a_component(ds, province):
    from cchc.analysis import position

    st = position.strengths(ds, province, 2023)
    for _, g in st.groupby("index"):
        strong, weak = g[g["side"] == "strength"], g[g["side"] == "weakness"]
        assert not set(strong["component"]) & set(weak["component"])
        if len(strong) and len(weak):  # an index with one ranked part has it on one side only (Ninh Bình's PAR)
            assert strong["ahead_of"].min() >= weak["ahead_of"].max()
    assert all(metrics.is_area(i, c) for i, c in zip(st["index"], st["component"]))  # no sub-total of a score


def test_the_weakest_areas_are_found_by_rank_without_a_score(ds):
    from cchc.analysis import position

    st = position.strengths(ds, "kon-tum", 2023)
    weak = st[(st["index"] == "PAR") & (st["side"] == "weakness")]
    assert weak["component"].tolist() == ["Công tác chỉ đạo, điều hành CCHC", "Cải cách tài chính công"]
    assert weak["score"].isna().all()


def test_similar_provinces_are_the_nearest_others_with_how_they_did(ds):
    from cchc.analysis import position

    sim = position.similar_provinces(ds, "ha-noi", 2023, "PAPI")
    assert sim["name"].tolist() == ["Vĩnh Phúc", "Đà Nẵng", "Hồ Chí Minh"]
    assert "ha-noi" not in sim["province"].tolist() and sim["distance"].is_monotonic_increasing
    assert sim["year"].unique().tolist() == [2023] and sim["rank_delta"].tolist() == [-7, 2, 6]


def test_summary_says_in_five_or_so_sentences_where_the_province_stands(report_section):
    vi = report_section(sections.summary, "ha-noi", 2023).sentences
    assert 4 <= len(vi) <= 6
    # 6 of the 11 provinces of the region have a rank in the data, but Quảng Ninh (1st) and Hải Phòng (2nd) are
    # of the region: 3rd of it, whatever the others
    assert vi[0] == (
        "Năm 2023, Hà Nội xếp thứ 3/63 về Chỉ số CCHC, thuộc nhóm 1/4 đứng đầu cả nước, thứ 3/11 trong "
        "vùng Đồng bằng sông Hồng, cao hơn trung bình cả nước 4,45 điểm."
    )
    assert vi[2] == (
        "So với năm 2022: Chỉ số DTI tăng 18 bậc, Chỉ số SIPAS tăng 9 bậc, Chỉ số PCI giảm 8 bậc, "
        "Chỉ số PAPI giảm 3 bậc, Chỉ số CCHC giữ nguyên thứ hạng."
    )
    en = report_section(sections.summary, "ha-noi", 2023, "en").sentences
    assert (
        len(en) == len(vi)
        and en[0].startswith("In 2023, Hà Nội ranked 3/63 on PAR INDEX, in the national top quarter")
        and "4.45 points above the national mean" in en[0]
    )


def test_position_section_flags_method_breaks_and_says_its_method(report_section):
    s = report_section(sections.position, "ha-noi", 2023)
    html = s.to_html()
    assert "từ năm 2016: giữ nguyên thứ hạng (phương pháp thay đổi năm 2020, 2022)" in html
    assert "khác thang điểm" in html  # PAPI 2011 (/60, 63 ranked) is not compared with 2023 (/80, 61)
    assert s.sentences[0].startswith("Nhóm: phần tư của bảng xếp hạng cả nước")


@pytest.mark.parametrize("fn", ["summary", "position", "strengths", "similar"])
def test_a_unit_without_figures_gets_one_line_not_an_error(fn, report_section):
    s = report_section(getattr(sections, fn), "lam-dong-2025", 2025)  # a new unit: no index figure of its own
    assert len(s.sentences) == 1 and "<table" not in s.to_html()


@pytest.mark.slow
def test_the_report_opens_with_the_summary_and_shows_the_new_sections(rendered):
    paths = rendered("kon-tum", 2023)
    soup = BeautifulSoup(paths["html"].read_text(encoding="utf-8"), "html.parser")
    headings = [h.get_text(" ", strip=True) for h in soup.find_all("h2")]
    assert headings[0] == "1. Tóm tắt"
    for name in ("Vị trí so với cả nước và trong vùng", "Điểm mạnh và lĩnh vực cần cải thiện", "Các tỉnh tương đồng"):
        assert any(h.endswith(name) for h in headings), headings
    text = soup.get_text(" ", strip=True)
    assert "Năm 2023, Kon Tum xếp thứ 43/63 về Chỉ số CCHC" in text
    assert "Công tác chỉ đạo, điều hành CCHC (52/63)" in text


def test_a_range_of_places_gives_no_quarter_no_change_and_no_rank_to_judge_a_target_by(ds):
    """PCI 2021: Bắc Giang prints 64.74 like Nghệ An (published 30th) and Cà Mau: places 31–32, which fall in
    two quarters of 63 (31 in the 2nd, 32 in the 3rd)."""
    pos = analysis.index_position(ds, "bac-giang", 2021).set_index("index")
    assert (pos.loc["PCI", "rank"], pos.loc["PCI", "rank_high"]) == (31, 32)
    assert pd.isna(pos.loc["PCI", "group"]) and pd.isna(pos.loc["PCI", "rank_delta"])
    assert 2021 not in metrics.measured_series(ds, "bac-giang", "PCI:rank", 2021).index


# ------------------------------------------------------------------ issue 19: nothing a reader is told is false
@pytest.mark.parametrize("province, year, stale", [("ninh-binh", 2022, "PCI 2016"), ("bac-kan", 2019, "PCI 2016")])
def test_the_summary_names_no_component_older_than_two_years(province, year, stale, report_section):
    for lang in ("vi", "en"):
        said = " ".join(report_section(sections.summary, province, year, lang).sentences)
        assert stale not in said, said
        assert "2016" not in said


def test_the_summary_says_which_year_its_components_are_from_and_why(report_section):
    vi = report_section(sections.summary, "quang-ninh", 2023).sentences
    # PAPI did not publish Quảng Ninh's 2023 figures: its 2022 dimensions are used, and the sentence says so
    with_2022 = [s for s in vi if "PAPI 2022" in s or "PAPI năm 2022" in s]
    assert with_2022 and all("không công bố" in s and "2023" in s for s in with_2022), vi
    # the provinces most alike: on the latest components (PCI 2023), not on PAPI 2022
    assert any(s.startswith("Các tỉnh gần nhất về cơ cấu điểm thành phần PCI năm 2023") for s in vi), vi
    en = report_section(sections.summary, "quang-ninh", 2023, "en").sentences
    assert all("not published" in s and "2023" in s for s in en if "PAPI 2022" in s)


def test_the_strengths_section_shows_the_year_of_its_components_and_says_when_it_is_older(report_section):
    s = report_section(sections.strengths, "ninh-binh", 2022)
    st = s.tables["strengths"]
    assert set(st.loc[st["index"] == "PCI", "year"]) == {2016}
    head = [c for c in BeautifulSoup(s.to_html(), "html.parser").find_all("th")]
    assert "Năm số liệu" in [h.get_text(strip=True) for h in head]
    said = [x for x in s.sentences if "PCI" in x and "2016" in x]
    assert said and "2022" in said[0], s.sentences


def test_the_similar_provinces_section_says_the_year_of_its_components(report_section):
    s = report_section(sections.similar, "ninh-binh", 2022)
    assert set(s.tables["similar"].loc[lambda d: d["index"] == "PCI", "year"]) == {2016}
    said = [x for x in s.sentences if "PCI" in x and "2016" in x]
    assert said and "2022" in said[0], s.sentences


def test_the_best_province_leads_in_its_own_report(report_section):
    for lang, leads in (("vi", "dẫn đầu cả nước"), ("en", "leads the country")):
        rows = _position_rows(report_section(sections.position, "quang-ninh", 2023, lang))
        best = rows[sections.text("position.gap_best", lang)]
        assert best[0] == leads and "(Quảng Ninh)" not in " ".join(best), best
        assert best[2] == leads  # PCI 2023: ranked first without a score in the data, it leads all the same


def _table_rows(section) -> list[list[str]]:
    soup = BeautifulSoup(section.to_html(), "html.parser")
    rows = [[td.get_text(" ", strip=True) for td in tr.find_all("td")] for tr in soup.find_all("tr")]
    return [cells for cells in rows if cells]


def _position_rows(section) -> dict[str, list[str]]:
    return {cells[0]: cells[1:] for cells in _table_rows(section)}


@pytest.mark.parametrize(
    "province, year", [("lao-cai", 2019), ("hai-phong", 2019), ("quang-ninh", 2023), ("bac-giang", 2019)]
)
def test_a_component_is_called_a_strength_only_in_the_upper_half(province, year, report_section, report_context):
    from cchc.analysis import position

    st = position.strengths(report_context(province, year).ds, province, year)
    for lang in ("vi", "en"):
        s = report_section(sections.strengths, province, year, lang)
        shown = s.tables["strengths"].assign(label=[r[0] for r in _table_rows(s)])
        strong = sections.text("side.strength", lang)
        weak = sections.text("side.weakness", lang)
        assert (shown.loc[shown["label"] == strong, "ahead_of"] > 0.5).all()
        assert (shown.loc[shown["label"] == weak, "ahead_of"] < 0.5).all()
        said = " ".join(report_section(sections.summary, province, year, lang).sentences)
        for _, r in st.iterrows():  # a part in the lower half is never listed among the strengths, nor the reverse
            shown_as = (
                f"{sections.name_in('component', r['component'], lang)} ({r['index']} {r['year']}, "
                f"{r['rank']}/{r['rank_of']}"
            )
            if shown_as in said:
                sentence = next(
                    x for x in report_section(sections.summary, province, year, lang).sentences if shown_as in x
                )
                first = sentence.split(":")[0]
                good = first in (sections.text("summary.strengths", lang).split(":")[0],)
                assert good == (r["ahead_of"] > 0.5), sentence


def test_the_position_note_explains_only_what_the_report_shows(report_section):
    said = " ".join(report_section(sections.position, "ha-noi", 2012).sentences)
    assert "2024" not in said and "nhóm A" not in said  # no PAR INDEX in 2012, no official group
    said = " ".join(report_section(sections.position, "ha-noi", 2024).sentences)
    assert "nhóm A ≥ 90%" in said


def test_the_strengths_note_names_only_the_indices_shown(report_section):
    said = " ".join(report_section(sections.strengths, "ha-noi", 2012).sentences)  # PAPI and PCI only in 2012
    assert "chỉ số nội dung PAPI" in said and "chỉ số thành phần PCI" in said
    assert "Chỉ số CCHC" not in said and "DTI" not in said


def test_the_targets_note_explains_the_papi_groups_only_with_a_papi_group_target(report_section):
    assert "Nhóm PAPI" in " ".join(report_section(sections.targets, "dak-nong", 2023).sentences)
    assert "Nhóm PAPI" not in " ".join(report_section(sections.targets, "nghe-an", 2023).sentences)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_parts_scored_but_not_rankable_are_said_so_not_called_missing(report_section, lang):
    """Đà Nẵng 2008: the data holds the PCI parts' scores of 63 of the 64 provinces ranked that year. The
    section said '1/63' (a rank among the provinces in the data, not the publisher's), and with no rank it
    must not say the parts have no data."""
    s = report_section(sections.strengths, "da-nang", 2008, lang)
    said = " ".join(s.sentences)
    assert "/63" not in said and ("63 trong 64" in said if lang == "vi" else "63 of the 64" in said), said
    assert ("Chưa có số liệu" if lang == "vi" else "No data") not in said, said


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_partial_tables_note_counts_against_the_provinces_ranked_that_year(report_section, lang):
    """PCI 2008 ranked 64 provinces, the data holds 63: 'partial: scores of 63/63 provinces' said a full count
    of a partial table."""
    s = report_section(sections.history, "da-nang", 2008, lang)
    note = next(t for t in s.sentences if "2008" in t and ("chưa đầy đủ" in t or "partial" in t))
    assert "63/64" in note and "63/63" not in note, note


@pytest.mark.parametrize(
    "province, year, place",
    [
        ("nam-dinh", 2007, (11, 12)),  # 44/64; Hà Tây 41st: 11th of 12, not '10/11'
        ("ha-nam", 2006, (11, 12)),  # 49/64; Hà Tây 62nd: not last of its region
        ("hai-phong", 2008, (11, 12)),  # 48/64; Hà Tây 55th: not last of its region
        ("ha-noi", 2007, (6, 12)),  # 27/64; Hà Tây 41st below it: the place stands, out of 12
    ],
)
def test_a_region_counts_the_province_the_publisher_ranked_that_is_no_longer_one(ds, province, year, place):
    """PCI 2005-2008 ranked Hà Tây (merged into Hà Nội in 2008) in the Red River Delta; the registry has no
    Hà Tây, and its delta provinces were placed among 11, Nam Định 2007 '10/11' below a Hà Tây it was below."""
    from cchc.analysis import position

    pci = _row(position.index_position(ds, province, year), "PCI")
    assert (pci["rank_in_region_low"], pci["rank_in_region_high"], pci["region_rank_of"]) == (place[0], *place)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_position_section_says_the_region_counts_ha_tay(report_section, lang):
    s = report_section(sections.position, "nam-dinh", 2007, lang)
    assert "11/12" in s.to_html() and "10/11" not in s.to_html()
    assert any("Hà Tây" in t for t in s.sentences), s.sentences
    assert not any("Hà Tây" in t for t in report_section(sections.position, "da-nang", 2007, lang).sentences)


@pytest.mark.parametrize(
    "province, year, places",
    [("ha-nam", 2017, (6, 7)), ("thai-binh", 2017, (6, 7)), ("bac-giang", 2018, (4, 5)), ("lai-chau", 2017, (13, 14))],
)
def test_equal_printed_scores_give_each_the_places_they_share_in_the_region(ds, province, year, places):
    """PCI 2017 printed Hà Nam and Thái Bình at 61.97 (34–35/63 each, ranks computed from the scores): the report
    said both were 6th of the Red River Delta; one of them is 7th."""
    from cchc.analysis import position

    pci = _row(position.index_position(ds, province, year), "PCI")
    assert (pci["rank_in_region_low"], pci["rank_in_region_high"]) == places and pd.isna(pci["rank_in_region"])


@pytest.mark.parametrize("lang, said", [("vi", "thứ 6–7/11 trong vùng"), ("en", "rank 6–7/11 in the region")])
def test_the_summary_gives_the_shared_places_in_the_region_as_it_gives_the_national_ones(
    ds, report_section, lang, said
):
    from cchc.analysis import position
    from cchc.report.summary import summary_sentences

    pos = position.index_position(ds, "ha-nam", 2017)
    first = summary_sentences("Hà Nam", 2017, pos[pos["index"] == "PCI"], pd.DataFrame(), pd.DataFrame(), lang)[0]
    assert said in first and "34–35/63" in first, first
    assert "6–7/11" in report_section(sections.position, "ha-nam", 2017, lang).to_html()


@pytest.mark.parametrize(
    "province, year, part",
    [("ha-nam", 2010, "Đào tạo lao động"), ("lam-dong", 2009, "Dịch vụ hỗ trợ doanh nghiệp")],
)
def test_a_part_whose_shared_places_reach_the_middle_is_not_called_a_strength(
    province, year, part, report_section, report_context
):
    """Hà Nam's PCI 2010 labour training, 5.35 as two others: 30–32/63, and the 32nd is the exact middle. The
    report called it a strength (upper half) from its best place alone."""
    from cchc.analysis import position

    st = position.strengths(report_context(province, year).ds, province, year)
    row = st[st["component"] == part].iloc[0]
    assert row["rank"] < row["rank_high"] and row["half"] == "middle"
    for lang in ("vi", "en"):
        s = report_section(sections.strengths, province, year, lang)
        label = next(cells[0] for cells in _table_rows(s) if sections.name_in("component", part, lang) in cells)
        assert label == sections.text("side.strength_relative", lang)
        assert not any(sections.name_in("component", part, lang) in w and "upper" in w for w in s.sentences)


def test_a_region_counts_only_the_provinces_that_can_have_been_ranked(ds):
    """PAPI 2024 ranked 61 provinces and all 61 ranks are in the data; Vĩnh Phúc has none, so it was not ranked:
    Hà Nội was '7/11' in the Red River Delta (the regional mean beside it averaged 10)."""
    from cchc.analysis import position

    papi = _row(position.index_position(ds, "ha-noi", 2024), "PAPI")
    assert (papi["rank_in_region"], papi["region_ranked"], papi["region_rank_of"]) == (7, 10, 10)
    par = _row(position.index_position(ds, "tay-ninh", 2019), "PAR")  # unknown peers that may be ranked still count
    assert (par["region_ranked"], par["region_rank_of"]) == (2, 6)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_change_between_ranks_that_cannot_be_compared_is_not_called_no_data(report_section, lang):
    """Hà Nam's PCI 2010 labour training, 30–32/63, was 19th in 2009: its change said 'no data'."""
    s = report_section(sections.strengths, "ha-nam", 2010, lang)
    part = sections.name_in("component", "Đào tạo lao động", lang)
    cells = next(c for c in _table_rows(s) if part in c)
    assert sections.text("missing", lang) not in cells, cells
    assert sections.text("strengths.not_compared", lang) in cells


def _standing(r) -> tuple:
    """A part's standing: its place, or the places equal printed scores share (30–32/63)."""
    return (r["index"], int(r["rank"]), int(r["rank_high"]) if not pd.isna(r["rank_high"]) else int(r["rank"]))


@pytest.mark.parametrize(
    "province, year, side, parts",
    [
        ("dak-nong", 2024, "strength", {"Chi phí không chính thức", "Tiếp cận đất đai"}),  # PCI 2023, 8/63 both
        ("ha-nam", 2017, "strength", {"Chi phí không chính thức", "Tính minh bạch"}),  # PCI 2016, 16/63 both
        ("quang-ninh", 2011, "weakness", {"Chi phí không chính thức", "Tiếp cận đất đai"}),  # PCI 2011, 35/63 both
    ],
)
def test_the_strongest_and_weakest_parts_are_not_cut_inside_a_tie(ds, province, year, side, parts):
    """Đắk Nông 2024 named informal charges (PCI 2023, 8/63) among the two strongest and left out land
    access, 8/63 too: every part with the standing of the last one named is named, and none is both."""
    from cchc.analysis import position

    st = position.strengths(ds, province, year)
    pci = st[(st["index"] == "PCI") & (st["side"] == side)]
    assert parts <= set(pci["component"]), pci
    for index in set(st["index"]):
        named = st[st["index"] == index]
        assert not set(named.loc[named["side"] == "strength", "component"]) & set(
            named.loc[named["side"] == "weakness", "component"]
        )
        every = position.component_standing(ds, province, year, index)
        said = {_standing(r) for _, r in named.iterrows()}
        left = {
            _standing(r)
            for _, r in every.assign(index=index).iterrows()
            if r["component"] not in set(named["component"])
        }
        assert not said & left, (index, said & left)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_summary_names_every_part_as_strong_as_the_last_one_it_names(report_section, lang):
    said = " ".join(report_section(sections.summary, "dak-nong", 2024, lang).sentences)
    for part in ("Chi phí không chính thức", "Tiếp cận đất đai"):
        assert f"{sections.name_in('component', part, lang)} (PCI 2023, 8/63)" in said, said


def test_an_index_with_one_ranked_part_is_not_left_out_of_the_strengths(ds, report_section):
    """Ninh Bình 2022: the summary called two parts ranked 5th and 9th its strongest, and left out its PAR
    2022 area 'Công tác chỉ đạo, điều hành CCHC', ranked first (the only ranked part of PAR that year)."""
    from cchc.analysis import position

    part = "Công tác chỉ đạo, điều hành CCHC"
    st = position.strengths(ds, "ninh-binh", 2022)
    row = st[(st["index"] == "PAR") & (st["component"] == part)]
    assert list(row["side"]) == ["strength"], st
    for lang in ("vi", "en"):
        said = " ".join(report_section(sections.summary, "ninh-binh", 2022, lang).sentences)
        assert f"{sections.name_in('component', part, lang)} (PAR 2022, 1/63)" in said, said


@pytest.mark.parametrize(
    "lang, said",
    [
        ("vi", "Thành phần mạnh nhất so với các tỉnh: Trụ cột Chính quyền số (DTI 2021, 1/63)"),
        ("en", "Strongest components against the other provinces: Digital government pillar (DTI 2021, 1/63)"),
    ],
)
def test_the_summarys_strongest_parts_are_the_best_placed_of_every_index(lang, said, report_section):
    """Đà Nẵng 2022: its three DTI pillars are each 1st of 63 (DTI 2021, the latest with pillar ranks), none
    the best of the DTI's own parts (they tie with one another); the summary called two PAPI dimensions, 2nd
    and 6th, its strongest."""
    s = report_section(sections.summary, "da-nang", 2022, lang)
    strongest = next(t for t in s.sentences if t.startswith(said.split(":")[0]))
    assert strongest.startswith(said)
    assert "2/61" not in strongest and "6/61" not in strongest


def test_an_index_whose_parts_all_share_one_place_shows_them_by_their_half(ds):
    """Đà Nẵng 2022: its three DTI pillars are each 1st of 63 (DTI 2021). None is better than another, so none
    is the best of its index; each is still a strength against the country, as a single ranked part is."""
    from cchc.analysis import position

    st = position.strengths(ds, "da-nang", 2022)
    dti = st[st["index"] == "DTI"]
    assert sorted(dti["component"]) == ["Chính quyền số (pillar)", "Kinh tế số (pillar)", "Xã hội số (pillar)"]
    assert set(dti["side"]) == {"strength"} and set(dti["rank"]) == {1}


# ------------------------------------------------------------------ equal distances in Vietnamese order
@pytest.fixture(scope="module")
def twins(tmp_path_factory):
    """A copy of data/ in which Cao Bằng (cao-bang) and Cần Thơ (can-tho) score in PAPI 2023 exactly as Lai
    Châu does on every dimension: both at distance 0 from Lai Châu. Their slugs sort the other way round from
    their names in Vietnamese ('ca' < 'câ')."""
    import csv
    import io
    import shutil

    import cchc

    from ..conftest import ROOT

    data = shutil.copytree(ROOT / "data", tmp_path_factory.mktemp("twins") / "data")
    papi = data / "indices" / "papi.csv"
    rows = list(csv.DictReader(io.StringIO(papi.read_text(encoding="utf-8"))))
    parts = {r["component"]: r["score"] for r in rows if r["year"] == "2023" and r["province"] == "lai-chau"}
    for r in rows:
        if r["year"] == "2023" and r["province"] in ("cao-bang", "can-tho") and r["component"]:
            r["score"] = parts[r["component"]]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    papi.write_text(out.getvalue(), encoding="utf-8")
    return cchc.load(data)


def test_similar_provinces_at_equal_distances_are_in_vietnamese_order(twins):
    """They were in slug order: Cần Thơ (can-tho) before Cao Bằng (cao-bang)."""
    from cchc.analysis import position

    sim = position.similar_provinces(twins, "lai-chau", 2023, "PAPI")
    assert sim["name"].tolist()[:2] == ["Cao Bằng", "Cần Thơ"] and sim["distance"].tolist()[:2] == [0, 0]


@pytest.mark.parametrize(
    "lang, said",
    [
        ("vi", "trung bình cả nước công bố cho năm 2024 không nói rõ là của 34 đơn vị mới hay của 63 tỉnh cũ"),
        ("en", "the national mean published for 2024 does not say whether it is of the 34 new units or of the 63"),
    ],
)
def test_a_new_units_2024_position_does_not_say_whose_the_published_mean_is(lang, said, report_section):
    """The DTI 2024 mean 0.6961 was published beside the 63 provinces' results without saying which grouping it
    covers (data/README.md), and no regional DTI 2024 mean was published: Huế's report said 'the national and
    regional means published for 2024 are those of the 63 old provinces'."""
    told = " ".join(report_section(sections.position, "hue-2025", 2024, lang).sentences)
    assert said in told
    assert "are those of the 63" not in told and "là của 63 tỉnh cũ nên" not in told
