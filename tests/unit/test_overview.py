"""The national overview's sections (``cchc.overview``) on the shipped data: what a reader of the 2023
overview sees in the movers, the rankings without ranks and the means (issue 14 item 5)."""

from __future__ import annotations

import pandas as pd
import pytest

from cchc.catalogue import text
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


def _blocks_under(s, heading: str) -> list[dict]:
    """The blocks of ``s`` after the h3 ``heading`` up to the next h3 (one index's map and its lines)."""
    at = [i for i, b in enumerate(s._blocks) if b["kind"] == "h3"]
    start = next(i for i in at if s._blocks[i]["text"] == heading)
    end = next((i for i in at if i > start), len(s._blocks))
    return s._blocks[start + 1 : end]


def _paragraphs(blocks: list[dict]) -> list[str]:
    return ["".join(str(p["text"]) for p in b["parts"]) for b in blocks if b["kind"] == "p"]


@pytest.mark.parametrize(
    "lang, flag, warning",
    [
        (
            "vi",
            "(phương pháp thay đổi năm 2022)",
            "Thay đổi phương pháp năm 2022: Đề án Chỉ số CCHC giai đoạn 2022–2030 (QĐ 876/QĐ-BNV). "
            "So sánh trước và sau năm 2022 cần thận trọng.",
        ),
        (
            "en",
            "(method changed in 2022)",
            "Method change in 2022: PAR INDEX scheme 2022–2030 (QĐ 876/QĐ-BNV). Compare across 2022 with care.",
        ),
    ],
)
def test_par_2022_movers_are_flagged_as_crossing_the_method_change_as_a_province_report_flags_them(
    ds, lang, flag, warning
):
    """PAR INDEX changed its method in 2022: the 2022 overview listed the provinces that rose and fell most
    since 2021 (table and map) as plain movements, while a province report flags the same change
    ('tăng 1 bậc (phương pháp thay đổi năm 2022)')."""
    ctx = overview.context(2022, lang, dataset=ds)
    s = overview.movers(ctx)
    changes = [row[2]["text"] for row in s._blocks[0]["rows"]]
    assert changes and all(c.endswith(" " + flag) for c in changes)
    assert warning in s.sentences
    par = _blocks_under(overview.index_maps(ctx), text("index.PAR", lang))
    said = _paragraphs(par)
    assert [t for t in said if t.startswith("▲")] and warning in said


def _flagged(sentences: list[str]) -> bool:
    return any(t.startswith(("Method change in", "Thay đổi phương pháp năm")) for t in sentences)


@pytest.mark.parametrize("year", range(2012, 2026))
def test_movers_are_flagged_exactly_in_the_years_an_index_starts_a_new_method(ds, year):
    """Every year of the overview and every index it maps: the largest movers since the year before carry
    the method change when the year starts a new method (PAR 2016, 2020, 2022; PAPI 2018; DTI 2024), never
    otherwise; an index with no movers says nothing of it."""
    from cchc.analysis.metrics import breaks_between
    from cchc.data.indices import codes

    ctx = overview.context(year, "en", dataset=ds)
    movers = overview.movers(ctx)
    par_moved = "movers" in movers.tables
    assert _flagged(movers.sentences) == (par_moved and bool(breaks_between("PAR", year - 1, year)))
    maps = overview.index_maps(ctx)
    drawn = set(maps.tables["maps"]["index"]) if not maps.tables["maps"].empty else set()
    for index in codes():
        if index not in drawn:
            continue
        said = _paragraphs(_blocks_under(maps, text(f"index.{index}", "en")))
        moved = any(t.startswith(("▲", "▼")) for t in said)
        assert _flagged(said) == (moved and bool(breaks_between(index, year - 1, year))), (index, said)


def _notes_under_tables(s) -> dict[str, list[str]]:
    """Each table's caption -> the paragraphs between it and the next table or heading."""
    out: dict[str, list[str]] = {}
    caption = None
    for b in s._blocks:
        if b["kind"] == "table":
            caption = b["caption"]
            out[caption] = []
        elif b["kind"] == "h3":
            caption = None
        elif b["kind"] == "p" and caption is not None:
            out[caption].append("".join(str(p["text"]) for p in b["parts"]))
    return out


# ------------------------------------------------------------------ provinces named in Vietnamese alphabetical order
@pytest.mark.parametrize(
    "lang, said",
    [
        ("vi", "Chưa có số liệu chỉ số nào năm 2025 (34): An Giang, Bắc Ninh, Cà Mau, Cao Bằng, Cần Thơ, Đà Nẵng, "),
        ("en", "No index figure in 2025 (34): An Giang, Bắc Ninh, Cà Mau, Cao Bằng, Cần Thơ, Đà Nẵng, "),
    ],
)
def test_the_units_without_a_figure_are_named_in_vietnamese_order(ds, lang, said):
    """2025: the overview listed the 34 units in Unicode order, Đà Nẵng … Đồng Tháp after Vĩnh Long ('Đ' after
    'Z') and Cao Bằng before Cà Mau; the Vietnamese alphabet has đ after d and tones second, in both languages."""
    from cchc.data.provinces import vi_sort_key

    s = overview.coverage(overview.context(2025, lang, dataset=ds))
    told = next(t for t in s.sentences if t.startswith(said.split(":")[0]))
    assert told.startswith(said) and told.endswith("Tuyên Quang, Vĩnh Long.")
    names = told.split(": ", 1)[1].rstrip(".").split(", ")
    assert names == sorted(names, key=vi_sort_key) and len(names) == 34


@pytest.mark.parametrize(
    "lang, said",
    [
        (
            "vi",
            "Cùng điểm in ra nhưng khác thứ hạng: 56,29/100 điểm: Hải Dương (33/63) và Lạng Sơn (34/63). "
            "Nơi công bố (VCCI) xếp họ theo số lẻ không in ra.",
        ),
        (
            "en",
            "The same printed score at different ranks: 56.29/100 points: Hải Dương (33/63) and Lạng Sơn (34/63). "
            "The publisher (VCCI) ordered them by decimals it did not print.",
        ),
    ],
)
def test_equal_printed_scores_at_different_published_ranks_are_explained_under_their_table(ds, lang, said):
    """PCI 2012: VCCI printed 56.29 for Hải Dương and Lạng Sơn and ranked them 33rd and 34th; the overview's
    table showed '56.29 — 33' and '56.29 — 34' without a word. Only that table says so."""
    notes = _notes_under_tables(overview.rankings(overview.context(2012, lang, dataset=ds)))
    pci = [c for c in notes if "PCI" in c]
    assert [said] == [t for t in notes[pci[0]] if t == said]
    others = [t for c, told in notes.items() if c not in pci for t in told]
    assert not [t for t in others if "thứ hạng:" in t or "at different ranks" in t]


@pytest.mark.parametrize(
    "lang, said",
    [
        ("vi", ["39,67/80 điểm: Gia Lai (58/61) và Điện Biên (59/61)", "4 chữ số thập phân"]),
        ("en", ["39.67/80 points: Gia Lai (58/61) and Điện Biên (59/61)", "4 decimals"]),
    ],
)
def test_scores_equal_only_as_rounded_in_the_table_say_the_ranks_follow_the_published_decimals(ds, lang, said):
    """PAPI 2022: Gia Lai 39.6736 and Điện Biên 39.6687 (the publisher's four decimals) show as 39.67 and
    39.67 at ranks 58 and 59. The publisher printed those decimals: the note says the table rounds them, not
    that the publisher hid them."""
    notes = _notes_under_tables(overview.rankings(overview.context(2022, lang, dataset=ds)))
    papi = next(c for c in notes if "PAPI" in c)
    told = [t for t in notes[papi] if all(w in t for w in said)]
    assert len(told) == 1 and "không in ra" not in told[0] and "did not print" not in told[0]
    pci = next(c for c in notes if "PCI" in c)  # PCI 2022: no two printed scores alike at different ranks
    assert not [t for t in notes[pci] if "thứ hạng:" in t or "at different ranks" in t]


@pytest.mark.parametrize(
    "lang, said",
    [
        ("vi", "▲ Tăng hạng nhiều nhất: Hà Nội (tăng 4 bậc); Hải Phòng (tăng 2 bậc); Hưng Yên (tăng 2 bậc); "),
        ("en", "▲ Rose most: Hà Nội (up 4 places); Hải Phòng (up 2 places); Hưng Yên (up 2 places); "),
    ],
)
def test_provinces_that_moved_as_much_are_named_in_vietnamese_order(ds, lang, said):
    """PCI 2024 on the map: Hưng Yên was named before Hải Phòng (both up 2 places), 'ư' taken before 'ả'."""
    s = overview.index_maps(overview.context(2024, lang, dataset=ds))
    assert any(t.startswith(said) for t in s.sentences), [t for t in s.sentences if t.startswith(said[:5])]


def test_the_largest_movers_of_every_index_and_year_are_in_vietnamese_order_between_equals(ds):
    """Between provinces that moved as many places, Vietnamese order: PAR 2021 named Hưng Yên before Đắk Nông,
    PCI 2008 Long An before Đắk Lắk (both rose as much), DTI 2022 Bình Phước before Bắc Ninh."""
    from cchc.data.provinces import vi_sort_key

    out_of_order = []
    for (index, year), _ in ds.figures.groupby(["index", "year"]):
        changes = overview.rank_changes(ds, index, int(year))
        for side in overview.largest_movers(changes[changes["delta"] != 0], 5):
            for delta, g in side.groupby("delta", sort=False):
                if list(g["name"]) != sorted(g["name"], key=vi_sort_key):
                    out_of_order.append((index, int(year), int(delta), list(g["name"])))
    assert out_of_order == []


def test_the_movers_table_is_in_vietnamese_order_between_equal_changes(ds):
    """PAR 2021: Hưng Yên and Đắk Nông both rose 10 places; the table named Hưng Yên first."""
    from cchc.data.provinces import vi_sort_key

    m = overview.movers(overview.context(2021, "vi", dataset=ds)).tables["movers"]
    sizes = m["delta"].abs()
    assert sizes.tolist() == sorted(sizes, reverse=True)
    for _, g in m.groupby(sizes, sort=False):
        assert list(g["name"]) == sorted(g["name"], key=vi_sort_key)
    assert {"Hưng Yên", "Đắk Nông"} <= set(m["name"])


@pytest.mark.parametrize(
    "lang, said",
    [("vi", "1 tỉnh giữ nguyên thứ hạng, không liệt kê."), ("en", "1 province kept its rank and is not listed.")],
)
def test_one_province_that_kept_its_rank_is_said_in_the_singular(ds, lang, said):
    """PAR 2024: one province kept its rank; the English overview said '1 provinces kept their rank'."""
    assert said in overview.movers(overview.context(2024, lang, dataset=ds)).sentences
