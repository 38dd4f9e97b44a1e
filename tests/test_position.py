"""Where a province stands and what to work on (issue 14): the means beside its history in their own unit,
the component areas without contradictions, position, strengths, similar provinces and the summary."""
from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from cchc import sections


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
