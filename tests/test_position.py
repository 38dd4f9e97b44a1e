"""Where a province stands and what to work on (issue 14): the means beside its history in their own unit,
the component areas without contradictions, position, strengths, similar provinces and the summary."""
from __future__ import annotations

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from cchc.report import sections


@pytest.fixture(scope="module")
def report_contexts():
    ds = sections.context("ha-noi", 2023).ds  # one load for every context
    return lambda province, year, lang="vi": sections.context(province, year, lang, dataset=ds)


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
@pytest.mark.parametrize("province, index, heading, year, cells", [
    # a year with a rank and no score keeps the means of that year, in their unit (%), not "86,98 điểm"
    ("dak-nong", "PAR", "Chỉ số CCHC (PAR INDEX)", "2023", ["Cả nước: 86,98%", "Tây Nguyên: 85,42%"]),
    ("ha-noi", "PAR", "Chỉ số CCHC (PAR INDEX)", "2016", ["Cả nước: 74,64%"]),
    ("ha-noi", "SIPAS", "Chỉ số hài lòng SIPAS", "2022", ["Cả nước: 80,08%"]),
    # the series started on /60 before 2018: the published /80 mean of 2023 is shown all the same
    ("ha-noi", "PAPI", "Chỉ số PAPI", "2023", ["Cả nước: 42,33/80 điểm"]),
])
def test_history_shows_every_mean_of_the_data_in_its_own_unit(report_contexts, province, index, heading, year,
                                                              cells):
    s = sections.history(report_contexts(province, 2023))
    row = _rows(s, heading)[year]
    for cell in cells:
        assert cell in row, row
    shown = s.tables["means"]
    assert not shown[(shown["index"] == index) & (shown["year"] == int(year))].empty


@pytest.mark.parametrize("province, index, lines, first", [
    ("dak-nong", "PAR", {"Cả nước", "Tây Nguyên"}, 2021),  # the last year is rank-only: the chart keeps its scale
    ("ha-noi", "PAPI", {"Cả nước"}, 2019),    # /80 from 2018: the /60 means of 2011-2017 are not on this scale
])
def test_history_chart_draws_the_means_of_its_scale(report_contexts, province, index, lines, first):
    s = sections.history(report_contexts(province, 2023))
    names = ["PAR", "SIPAS", "PAPI", "PCI", "DTI"]
    shown = [i for i in names if not s.tables["history"].query("index == @i").empty]
    fig = s.figures[shown.index(index)]
    drawn = {line.get_label(): line.get_xdata() for line in fig.axes[0].get_lines()}
    assert lines <= set(drawn), drawn
    assert min(min(drawn[label]) for label in lines) == first


# ------------------------------------------------------------------ item 3: the component areas
def test_component_movers_never_name_one_area_as_both_and_a_fall_is_a_fall(report_contexts):
    s = sections.par_components(report_contexts("kon-tum", 2023))
    said = " ".join(s.sentences)
    # Kon Tum 2023: only Cải cách thủ tục hành chính has a rank in both years (49 -> 34)
    assert "Cải thiện nhiều nhất: Cải cách thủ tục hành chính (tăng 15 bậc)" in said
    assert "giảm nhiều nhất" not in said


def test_component_chart_holds_areas_not_sub_totals(report_contexts):
    s = sections.par_components(report_contexts("kon-tum", 2023))
    labels = " ".join(t.get_text().replace("\n", " ") for t in s.figures[0].axes[0].get_yticklabels())
    assert "Cải cách thể chế" in labels
    for part in ("Điểm thẩm định", "Điểm đánh giá tác động", "Khảo sát lãnh đạo", "Chỉ số SIPAS"):
        assert part not in labels


def test_component_section_names_the_weakest_areas_by_rank_even_without_a_score(report_contexts):
    said = " ".join(sections.par_components(report_contexts("kon-tum", 2023)).sentences)
    assert "Công tác chỉ đạo, điều hành CCHC (52/63)" in said and "Cải cách tài chính công (51/63)" in said


@pytest.mark.parametrize("lang, shown", [("vi", "năm 2022"), ("en", "2022")])
def test_component_section_shows_the_latest_year_with_areas(report_contexts, lang, shown):
    s = sections.par_components(report_contexts("dak-nong", 2023, lang))
    assert s.tables["components"]["year"].unique().tolist() == [2022]
    assert "Cải cách thể chế" in s.tables["components"]["component"].tolist()
    assert '<p class="missing">' not in s.to_html()  # not "no component data": it says what exists
    assert shown in s.sentences[0] and "2023" in s.sentences[0]


# ------------------------------------------------------------------ position, strengths, similar provinces
@pytest.fixture(scope="module")
def ds(report_contexts):
    return report_contexts("ha-noi", 2023).ds


def _row(frame, index):
    return frame[frame["index"] == index].iloc[0]


def test_position_of_ha_noi_2023(ds):
    from cchc.analysis import position
    p = position.index_position(ds, "ha-noi", 2023)
    assert p["index"].tolist() == ["PAR", "SIPAS", "PAPI", "DTI"]
    par = _row(p, "PAR")
    assert (par["rank"], par["group"], par["group_method"]) == (3, 1, "quartile")   # no official group before 2024
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


@pytest.mark.parametrize("province", ["ha-noi", "kon-tum", "dak-nong", "ninh-binh", "quang-ninh"])
def test_strengths_and_weaknesses_never_share_a_component(ds, province):
    from cchc.analysis import position
    st = position.strengths(ds, province, 2023)
    for _, g in st.groupby("index"):
        strong, weak = g[g["side"] == "strength"], g[g["side"] == "weakness"]
        assert not set(strong["component"]) & set(weak["component"])
        assert strong["ahead_of"].min() >= weak["ahead_of"].max()
    assert not any(c in position.metrics.PAR_SCORE_PARTS for c in st["component"])


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


def test_summary_says_in_five_or_so_sentences_where_the_province_stands(report_contexts):
    vi = sections.summary(report_contexts("ha-noi", 2023)).sentences
    assert 4 <= len(vi) <= 6
    assert vi[0] == ("Năm 2023, Hà Nội xếp thứ 3/63 về Chỉ số CCHC, thuộc nhóm 1/4 đứng đầu cả nước, thứ 3 trong vùng "
                     "Đồng bằng sông Hồng (xét 6/11 tỉnh của vùng có thứ hạng), cao hơn trung bình cả nước 4,45 điểm.")
    assert vi[2] == ("So với năm 2022: Chỉ số DTI tăng 18 bậc, Chỉ số SIPAS tăng 9 bậc, Chỉ số PAPI giảm 3 bậc, "
                     "Chỉ số CCHC giữ nguyên thứ hạng.")
    en = sections.summary(report_contexts("ha-noi", 2023, "en")).sentences
    assert len(en) == len(vi) and en[0].startswith("In 2023, Hà Nội ranked 3/63 on PAR INDEX, in the national top "
                                                   "quarter") and "4.45 points above the national mean" in en[0]


def test_position_section_flags_method_breaks_and_says_its_method(report_contexts):
    s = sections.position(report_contexts("ha-noi", 2023))
    html = s.to_html()
    assert "từ năm 2016: giữ nguyên thứ hạng (phương pháp thay đổi năm 2020, 2022)" in html
    assert "khác thang điểm" in html   # PAPI 2011 (/60, 63 ranked) is not compared with 2023 (/80, 61)
    assert s.sentences[0].startswith("Nhóm: phần tư của bảng xếp hạng cả nước")


@pytest.mark.parametrize("fn", ["summary", "position", "strengths", "similar"])
def test_a_unit_without_figures_gets_one_line_not_an_error(report_contexts, fn):
    s = getattr(sections, fn)(report_contexts("lam-dong-2025", 2025))  # a new unit: no index figure of its own
    assert len(s.sentences) == 1 and "<table" not in s.to_html()


@pytest.mark.slow
def test_the_report_opens_with_the_summary_and_shows_the_new_sections(tmp_path):
    from cchc.render import notebook as render

    paths = render.render_report(render.plan_report("kon-tum", 2023, formats="html"), tmp_path)
    soup = BeautifulSoup(paths["html"].read_text(encoding="utf-8"), "html.parser")
    headings = [h.get_text(" ", strip=True) for h in soup.find_all("h2")]
    assert headings[0] == "1. Tóm tắt"
    for name in ("Vị trí so với cả nước và trong vùng", "Điểm mạnh và lĩnh vực cần cải thiện", "Các tỉnh tương đồng"):
        assert any(h.endswith(name) for h in headings), headings
    text = soup.get_text(" ", strip=True)
    assert "Năm 2023, Kon Tum xếp thứ 43/63 về Chỉ số CCHC" in text
    assert "Công tác chỉ đạo, điều hành CCHC (52/63)" in text


# ------------------------------------------------------------------ issue 19: nothing a reader is told is false
@pytest.mark.parametrize("province, year, stale", [("ninh-binh", 2022, "PCI 2016"), ("bac-kan", 2019, "PCI 2016")])
def test_the_summary_names_no_component_older_than_two_years(report_contexts, province, year, stale):
    for lang in ("vi", "en"):
        said = " ".join(sections.summary(report_contexts(province, year, lang)).sentences)
        assert stale not in said, said
        assert "2016" not in said


def test_the_summary_says_which_year_its_components_are_from_and_why(report_contexts):
    vi = sections.summary(report_contexts("quang-ninh", 2023)).sentences
    # PAPI did not publish Quảng Ninh's 2023 figures: its 2022 dimensions are used, and the sentence says so
    with_2022 = [s for s in vi if "PAPI 2022" in s or "PAPI năm 2022" in s]
    assert with_2022 and all("không công bố" in s and "2023" in s for s in with_2022), vi
    # the provinces most alike: on the latest components (PCI 2023), not on PAPI 2022
    assert any(s.startswith("Các tỉnh gần nhất về cơ cấu điểm thành phần PCI năm 2023") for s in vi), vi
    en = sections.summary(report_contexts("quang-ninh", 2023, "en")).sentences
    assert all("not published" in s and "2023" in s for s in en if "PAPI 2022" in s)


def test_the_strengths_section_shows_the_year_of_its_components_and_says_when_it_is_older(report_contexts):
    s = sections.strengths(report_contexts("ninh-binh", 2022))
    st = s.tables["strengths"]
    assert set(st.loc[st["index"] == "PCI", "year"]) == {2016}
    head = [c for c in BeautifulSoup(s.to_html(), "html.parser").find_all("th")]
    assert "Năm số liệu" in [h.get_text(strip=True) for h in head]
    said = [x for x in s.sentences if "PCI" in x and "2016" in x]
    assert said and "2022" in said[0], s.sentences


def test_the_similar_provinces_section_says_the_year_of_its_components(report_contexts):
    s = sections.similar(report_contexts("ninh-binh", 2022))
    assert set(s.tables["similar"].loc[lambda d: d["index"] == "PCI", "year"]) == {2016}
    said = [x for x in s.sentences if "PCI" in x and "2016" in x]
    assert said and "2022" in said[0], s.sentences


def test_the_best_province_leads_in_its_own_report(report_contexts):
    for lang, leads in (("vi", "dẫn đầu cả nước"), ("en", "leads the country")):
        rows = _position_rows(sections.position(report_contexts("quang-ninh", 2023, lang)))
        best = rows[sections.text("position.gap_best", lang)]
        assert best[0] == leads and "(Quảng Ninh)" not in " ".join(best), best
        assert best[2] == leads  # PCI 2023: ranked first without a score in the data, it leads all the same


def _table_rows(section) -> list[list[str]]:
    soup = BeautifulSoup(section.to_html(), "html.parser")
    rows = [[td.get_text(" ", strip=True) for td in tr.find_all("td")] for tr in soup.find_all("tr")]
    return [cells for cells in rows if cells]


def _position_rows(section) -> dict[str, list[str]]:
    return {cells[0]: cells[1:] for cells in _table_rows(section)}


@pytest.mark.parametrize("province, year", [("lao-cai", 2019), ("hai-phong", 2019), ("quang-ninh", 2023),
                                            ("bac-giang", 2019)])
def test_a_component_is_called_a_strength_only_in_the_upper_half(report_contexts, province, year):
    from cchc.analysis import position
    st = position.strengths(report_contexts(province, year).ds, province, year)
    for lang in ("vi", "en"):
        s = sections.strengths(report_contexts(province, year, lang))
        shown = s.tables["strengths"].assign(label=[r[0] for r in _table_rows(s)])
        strong = sections.text("side.strength", lang)
        weak = sections.text("side.weakness", lang)
        assert (shown.loc[shown["label"] == strong, "ahead_of"] > 0.5).all()
        assert (shown.loc[shown["label"] == weak, "ahead_of"] < 0.5).all()
        said = " ".join(sections.summary(report_contexts(province, year, lang)).sentences)
        for _, r in st.iterrows():  # a part in the lower half is never listed among the strengths, nor the reverse
            shown_as = f"{sections.name_in('component', r['component'], lang)} ({r['index']} {r['year']}, " \
                       f"{r['rank']}/{r['rank_of']}"
            if shown_as in said:
                sentence = next(x for x in sections.summary(report_contexts(province, year, lang)).sentences
                                if shown_as in x)
                first = sentence.split(":")[0]
                good = first in (sections.text("summary.strengths", lang).split(":")[0],)
                assert good == (r["ahead_of"] > 0.5), sentence


def test_the_position_note_explains_only_what_the_report_shows(report_contexts):
    said = " ".join(sections.position(report_contexts("ha-noi", 2012)).sentences)
    assert "2024" not in said and "nhóm A" not in said  # no PAR INDEX in 2012, no official group
    said = " ".join(sections.position(report_contexts("ha-noi", 2024)).sentences)
    assert "nhóm A ≥ 90%" in said


def test_the_strengths_note_names_only_the_indices_shown(report_contexts):
    said = " ".join(sections.strengths(report_contexts("ha-noi", 2012)).sentences)  # PAPI and PCI only in 2012
    assert "chỉ số nội dung PAPI" in said and "chỉ số thành phần PCI" in said
    assert "Chỉ số CCHC" not in said and "DTI" not in said


def test_the_targets_note_explains_the_papi_groups_only_with_a_papi_group_target(report_contexts):
    assert "Nhóm PAPI" in " ".join(sections.targets(report_contexts("dak-nong", 2023)).sentences)
    assert "Nhóm PAPI" not in " ".join(sections.targets(report_contexts("nghe-an", 2023)).sentences)
