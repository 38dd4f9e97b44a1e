"""The national overview's sections (``cchc.overview``) on the shipped data: what a reader of the 2023
overview sees in the movers, the rankings without ranks and the means (issue 14 item 5)."""

from __future__ import annotations

import pandas as pd
import pytest

from cchc.report import overview


@pytest.fixture(scope="module")
def ds(shipped):
    return shipped


@pytest.fixture(scope="module", params=["vi", "en"])
def ctx(request, ds):
    return overview.context(2023, request.param, dataset=ds)


def test_movers_list_only_provinces_that_changed_biggest_change_first(ctx):
    m = overview.movers(ctx).tables["movers"]
    assert not m.empty and (m["delta"] != 0).all()  # Quảng Ngãi, Quảng Ninh, Sơn La kept their rank
    sizes = m["delta"].abs().tolist()
    assert sizes == sorted(sizes, reverse=True)
    assert m["name"].iloc[0] == "Hải Dương"  # 47 -> 22


@pytest.mark.parametrize(
    "lang, heading",
    [
        ("vi", "Chỉ số CCHC (PAR INDEX) 2023: có điểm, chưa có thứ hạng"),
        ("en", "PAR INDEX 2023: scores without a rank"),
    ],
)
def test_scores_without_ranks_have_their_own_heading_saying_why(ds, lang, heading):
    s = overview.rankings(overview.context(2023, lang, dataset=ds))
    html = s.to_html()
    assert heading in html
    why = {"vi": "bảng điểm năm 2023 chưa đủ các tỉnh", "en": "the 2023 table of scores is not complete"}[lang]
    assert why in html


def test_the_rankings_are_the_analysis_apis_national_tables_of_every_generation(ds):
    """2024: DTI was published for the 63 provinces and for the 34 new units; the overview shows both tables,
    each the very table ``cchc.national_table`` gives (same provinces, order, scores and ranks)."""
    import cchc

    shown = overview.rankings(overview.context(2024, "en", dataset=ds)).tables["rankings"]
    generation = shown["province"].map(lambda slug: ds.registry.get(slug).generation)
    columns = ["province", "score", "rank", "rank_of"]
    for (index, gen), got in shown.groupby([shown["index"], generation], sort=False):
        table = cchc.national_table(ds, index, 2024, generation=gen)
        pd.testing.assert_frame_equal(got[columns].reset_index(drop=True), table[columns], check_dtype=False)
    assert sorted(set(generation[shown["index"] == "DTI"])) == [34, 63]


def test_means_sorted_by_mean_descending_within_each_index(ctx):
    m = overview.regional_means(ctx).tables["means"]
    for _, g in m.groupby("index", sort=False):
        assert g["score"].tolist() == sorted(g["score"].tolist(), reverse=True)


def test_equal_regional_means_are_checked_and_the_reader_told(ds):
    """PAR 2023: Tây Nguyên and ĐBSCL are both 85.42 (infographics.vn says "2 vùng còn lại có cùng giá trị
    trung bình đạt 85,42%"); the six regional means weighted by their provinces give 86.976, the published
    national mean 86.98: consistent, so not a transcription error."""
    check = overview.mean_check(ds, "PAR", 2023)
    assert check["equal"] == [(["Tây Nguyên", "Đồng bằng sông Cửu Long"], 85.42)] or check["equal"] == [
        (["Đồng bằng sông Cửu Long", "Tây Nguyên"], 85.42)
    ]
    assert check["weighted"] == pytest.approx(86.976, abs=0.001) and check["national"] == 86.98
    assert check["consistent"]
    vi = " ".join(overview.regional_means(overview.context(2023, "vi", dataset=ds)).sentences)
    assert "cùng giá trị trung bình 85,42%" in vi and "khớp với trung bình cả nước công bố (86,98%)" in vi
    en = " ".join(overview.regional_means(overview.context(2023, "en", dataset=ds)).sentences)
    assert "the same mean, 85.42%" in en and "matches the published national mean (86.98%)" in en


@pytest.mark.parametrize(
    "lang, said",
    [
        ("vi", ["42,42/80 điểm", "42,3265", "trung vị"]),
        ("en", ["42.42/80 points", "42.3265", "median"]),
    ],
)
def test_papi_2023_national_mean_shown_is_the_mean_and_the_reader_told_why(ds, lang, said):
    s = overview.regional_means(overview.context(2023, lang, dataset=ds))
    m = s.tables["means"]
    national = m[(m["index"] == "PAPI") & (m["scope"] == "national")]
    assert [round(x, 2) for x in national["score"]] == [42.42]
    told = [t for t in s.sentences if "42,3265" in t or "42.3265" in t]
    assert len(told) == 1 and all(w in told[0] for w in said)  # once, in plain words


@pytest.mark.parametrize(
    "lang, said",
    [
        ("vi", ["88,36%", "88,37%"]),
        ("en", ["88.36%", "88.37%"]),
    ],
)
def test_par_2024_regional_means_that_do_not_match_the_national_one_are_said(ds, lang, said):
    check = overview.mean_check(ds, "PAR", 2024)
    assert check["weighted"] == pytest.approx(88.356, abs=0.001) and check["consistent"] is False
    s = overview.regional_means(overview.context(2024, lang, dataset=ds))
    told = [t for t in s.sentences if all(w in t for w in said)]
    assert len(told) == 1


def test_provinces_by_year_fit_a_page_and_a_phone(ds):
    """The table of provinces by year had a column per year (14 of them): cut at the right margin of A4
    (2020–2024 missing on paper) and scrolled sideways on a desktop. Years are its rows, indices its columns."""
    s = overview.coverage(overview.context(2023, "vi", dataset=ds))
    table = s.tables["by_year"]
    assert table.columns[0] == "year" and table["year"].is_monotonic_increasing
    assert table["year"].tolist()[-1] == 2024 and len(table.columns) <= 6  # the year and the five indices
    html = s.to_html()
    assert ">2020<" in html and ">PAPI<" in html


@pytest.mark.parametrize(
    "lang, said",
    [("vi", "một phần; VCCI chỉ công bố 30 tỉnh dẫn đầu"), ("en", "partial; VCCI publishes only the top 30 provinces")],
)
def test_the_coverage_table_says_when_only_a_top_n_was_published(ds, lang, said):
    table = overview.coverage(overview.context(2023, lang, dataset=ds)).tables["coverage"]
    assert table.loc[table["index"].str.contains("PCI"), "table"].item() == said


@pytest.mark.parametrize("lang, said", [("vi", "một phần"), ("en", "partial")])
def test_the_2024_coverage_table_of_the_63_does_not_say_dti_was_published_for_the_new_units_only(ds, lang, said):
    """DTI 2024 was published for the 63 provinces too: the table of the 63 said 'một phần; công bố cho 34 đơn vị
    hành chính mới'."""
    table = overview.coverage(overview.context(2024, lang, dataset=ds)).tables["coverage"]
    assert table.loc[table["index"].str.contains("DTI"), "table"].item() == said


def test_an_english_overview_names_the_regions_in_english(ds):
    """The 2012 English overview printed 'Trung du và miền núi phía Bắc' in its rankings and means tables."""
    for section in (overview.rankings, overview.regional_means):
        html = section(overview.context(2019, "en", dataset=ds)).to_html()
        assert "Trung du và miền núi phía Bắc" not in html and "Bắc Trung Bộ và duyên hải" not in html
        assert "Northern Midlands and Mountains" in html or "Northern" in html


def test_the_overview_links_its_years_index_page_and_the_portal_by_the_one_naming_rule(ctx):
    from bs4 import BeautifulSoup

    from cchc.files import output_name

    page = BeautifulSoup(overview.title(ctx).to_html(), "html.parser")
    hrefs = [a["href"] for a in page.find_all("a")]
    year_page = output_name("index", 2023, ctx.lang, "html").split("/")[1]
    assert hrefs == [year_page, "../" + output_name("index", None, ctx.lang, "html")]
    assert hrefs == (["index.html", "../index.html"] if ctx.lang == "vi" else ["index.en.html", "../index.en.html"])


def test_a_line_of_page_links_links_only_relative_paths():
    from bs4 import BeautifulSoup

    from cchc.report.output import Section

    s = Section("x", "vi")
    s.pages(
        "Xem:", [("a", "index.html"), ("b", "javascript:alert(1)"), ("c", "//evil.example/x"), ("d", "../2024/x.pdf")]
    )
    links = [(a.get_text(), a["href"]) for a in BeautifulSoup(s.to_html(), "html.parser").find_all("a")]
    assert links == [("a", "index.html"), ("d", "../2024/x.pdf")]
    assert s.sentences == ["Xem: a · b · c · d"]


@pytest.mark.parametrize(
    "index, year, n, side", [("PAR", 2022, 3, "rose"), ("PAPI", 2012, 5, "fell"), ("PCI", 2019, 5, "rose")]
)
def test_the_largest_movers_name_every_province_that_moved_as_much_as_the_last_named(ds, index, year, n, side):
    """PAR 2022: three provinces rose 7 places, the map's 'rose most' named one of them (the first by name)."""
    changes = overview.rank_changes(ds, index, year)
    changes = changes[changes["delta"] != 0]
    rose, fell = overview.largest_movers(changes, n)
    named = rose if side == "rose" else fell
    cut = named["delta"].iloc[min(n, len(named)) - 1]
    assert len(named) > n and set(changes.loc[changes["delta"] == cut, "province"]) <= set(named["province"])
    outside = changes[~changes["province"].isin(named["province"])]
    assert (outside["delta"] < cut).all() if side == "rose" else (outside["delta"] > cut).all()


@pytest.mark.parametrize("year", [2021, 2022])
def test_papi_computed_regional_means_weighted_by_the_provinces_they_average_give_the_national_mean(ds, year):
    """PAPI 2022: the means are computed from the complete table (61 of 61); the Red River Delta's averages
    10 provinces, not the register's 11 (Bắc Giang and Bắc Ninh were not in PAPI 2022). Weighted by the
    provinces each mean averages they give 42.3423, the national mean. The overview said they differed and
    called the computed means published and the complete table missing."""
    check = overview.mean_check(ds, "PAPI", year)
    assert check["consistent"] is True and check["computed"] is True
    assert check["weighted"] == pytest.approx(check["national"], abs=1e-4)
    for lang in ("vi", "en"):
        sentences = overview.regional_means(overview.context(year, lang, dataset=ds)).sentences
        wrong = ("chênh nhau", "Chưa có bảng điểm đầy", "differ by more than rounding", "No complete table")
        assert not [t for t in sentences if "PAPI" in t and any(w in t for w in wrong)]
