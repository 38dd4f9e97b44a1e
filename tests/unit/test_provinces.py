"""The province registry: every spelling users type, the 2025 merger, reused GSO codes."""

from __future__ import annotations

import unicodedata

import pytest

from cchc.data.provinces import ProvinceMerged, UnknownProvince, fold

REUSED_CODES = {  # code: (old province, new unit)
    "15": ("yen-bai", "lao-cai-2025"),
    "24": ("bac-giang", "bac-ninh-2025"),
    "44": ("quang-binh", "quang-tri-2025"),
    "52": ("binh-dinh", "gia-lai-2025"),
    "80": ("long-an", "tay-ninh-2025"),
    "82": ("tien-giang", "dong-thap-2025"),
    "91": ("kien-giang", "an-giang-2025"),
}


@pytest.mark.parametrize(
    "text",
    [
        "Đắk Nông",
        "dak nong",
        "DAK NONG",
        "dak-nong",
        "Dak Nong",
        "67",
        67,
        unicodedata.normalize("NFD", "Đắk Nông"),
        "Tỉnh Đắk Nông",
        "  Đắk  Nông ",
    ],
)
def test_dak_nong_in_every_spelling(registry, text):
    assert registry.resolve(text).slug == "dak-nong"


@pytest.mark.parametrize(
    "text, slug",
    [
        ("Thừa Thiên Huế", "thua-thien-hue"),
        ("Huế", "thua-thien-hue"),
        ("Thành phố Huế", "thua-thien-hue"),
        ("TP. Hồ Chí Minh", "ho-chi-minh"),
        ("Hồ Chí Minh", "ho-chi-minh"),
        ("TP HCM", "ho-chi-minh"),
        ("Thành phố Hồ Chí Minh", "ho-chi-minh"),
        ("TP.HCM", "ho-chi-minh"),
        ("Hòa Bình", "hoa-binh"),
        ("Hoà Bình", "hoa-binh"),
        ("Khánh Hoà", "khanh-hoa"),
        ("Khánh Hòa", "khanh-hoa"),
        ("Tỉnh Khánh Hòa", "khanh-hoa"),
        ("TP. Cần Thơ", "can-tho"),
        ("Thành phố Đà Nẵng", "da-nang"),
        ("Thanh Hoá", "thanh-hoa"),
        ("Bà Rịa–Vũng Tàu", "ba-ria-vung-tau"),
        ("1", "ha-noi"),
    ],
)
def test_names_prefixes_and_variants(registry, text, slug):
    assert registry.resolve(text).slug == slug


@pytest.mark.parametrize(
    "text, year, slug",
    [
        ("Huế", 2025, "hue-2025"),
        ("Thừa Thiên Huế", 2025, "hue-2025"),
        ("TP HCM", 2025, "ho-chi-minh-2025"),
        ("Lâm Đồng", 2024, "lam-dong"),
        ("Lâm Đồng", 2025, "lam-dong-2025"),
        ("lam-dong-2025", 2026, "lam-dong-2025"),
    ],
)
def test_year_picks_the_generation(registry, text, year, slug):
    assert registry.resolve(text, year).slug == slug


def test_63_old_and_34_new_units(registry):
    assert len(registry.generation(63)) == 63
    assert len(registry.generation(34)) == 34
    assert len(registry.valid_in(2024)) == 63 and len(registry.valid_in(2025)) == 34
    assert all(p.successor in registry for p in registry.generation(63))


@pytest.mark.parametrize("code", sorted(REUSED_CODES))
def test_reused_codes_mean_different_units_before_and_after_2025(registry, code):
    old, new = REUSED_CODES[code]
    assert registry.resolve(code, 2024).slug == old
    assert registry.resolve(code).slug == old
    assert registry.resolve(code, 2025).slug == new


def test_dak_nong_in_2025_says_where_it_went(registry):
    with pytest.raises(ProvinceMerged) as exc:
        registry.resolve("Đắk Nông", 2025)
    assert "Lâm Đồng" in str(exc.value) and "lam-dong-2025" in str(exc.value)


def test_lam_dong_2025_predecessors(registry):
    names = sorted(p.name for p in registry.predecessors("lam-dong-2025"))
    assert names == sorted(["Bình Thuận", "Đắk Nông", "Lâm Đồng"])


@pytest.mark.parametrize("typo", ["Dak Nongg", "Dac Nong"])
def test_unknown_name_suggests_candidates(registry, typo):
    with pytest.raises(UnknownProvince) as exc:
        registry.resolve(typo)
    message = str(exc.value)
    assert "Did you mean" in message and "Đắk Nông (dak-nong)" in message


def test_unknown_code(registry):
    with pytest.raises(UnknownProvince, match="GSO code '99'"):
        registry.resolve("99")


def test_fold_strips_diacritics_and_prefixes():
    assert fold("Tỉnh Đắk Nông") == "dak nong"
    assert fold("Thành phố Hồ Chí Minh") == fold("TP. Hồ Chí Minh") == "ho chi minh"


# ------------------------------------------------------------------ regions of the 34 new units (issue 19)
REGIONS = {
    "Trung du và miền núi phía Bắc",
    "Đồng bằng sông Hồng",
    "Bắc Trung Bộ và duyên hải miền Trung",
    "Tây Nguyên",
    "Đông Nam Bộ",
    "Đồng bằng sông Cửu Long",
}
STRADDLING = {
    "phu-tho-2025",
    "bac-ninh-2025",
    "quang-ngai-2025",
    "gia-lai-2025",
    "dak-lak-2025",
    "lam-dong-2025",
    "tay-ninh-2025",
}


# Not rearranged in 2025 (Resolution 202/2025/QH15): each is its one old province, under the same or a new name.
UNCHANGED = {
    "ha-noi-2025",
    "hue-2025",
    "lai-chau-2025",
    "dien-bien-2025",
    "son-la-2025",
    "lang-son-2025",
    "quang-ninh-2025",
    "thanh-hoa-2025",
    "nghe-an-2025",
    "ha-tinh-2025",
    "cao-bang-2025",
}


def test_every_unit_of_both_generations_has_one_of_the_six_regions(registry):
    assert {p.region for p in registry} == REGIONS
    assert not any(p.region_derived for p in registry.generation(63))  # NQ 81/2023/QH15, as published


def test_the_eleven_units_not_rearranged_keep_their_province_and_its_published_region(registry):
    """Huế is Thừa Thiên Huế, not a unit formed from it: its region is the one NQ 81/2023/QH15 gives that
    province, not derived; only the 23 merged units have a derived region."""
    assert {p.slug for p in registry.generation(34) if p.unchanged} == UNCHANGED
    for unit in registry.generation(34):
        assert unit.region_derived is not unit.unchanged, unit.slug
    hue = registry.get("hue-2025")
    assert [p.slug for p in registry.predecessors("hue-2025")] == ["thua-thien-hue"]
    assert hue.region == registry.get("thua-thien-hue").region and not hue.region_derived
    assert not any(p.unchanged for p in registry.generation(63))


def test_a_new_unit_has_the_region_of_the_predecessor_whose_gso_code_it_keeps(registry):
    for unit in registry.generation(34):
        seat = [p for p in registry.predecessors(unit.slug) if p.gso_code == unit.gso_code]
        assert len(seat) == 1, unit.slug
        assert unit.region == seat[0].region, unit.slug


@pytest.mark.parametrize(
    "slug, region",
    [
        ("bac-ninh-2025", "Trung du và miền núi phía Bắc"),  # code 24 was Bắc Giang's, not Bắc Ninh's 27
        ("gia-lai-2025", "Bắc Trung Bộ và duyên hải miền Trung"),  # code 52 was Bình Định's
        ("tay-ninh-2025", "Đồng bằng sông Cửu Long"),  # code 80 was Long An's
        ("lam-dong-2025", "Tây Nguyên"),
        ("hue-2025", "Bắc Trung Bộ và duyên hải miền Trung"),
        ("ha-noi-2025", "Đồng bằng sông Hồng"),
        ("ho-chi-minh-2025", "Đông Nam Bộ"),
    ],
)
def test_regions_of_new_units_by_the_rule(registry, slug, region):
    assert registry.get(slug).region == region


def test_units_whose_predecessors_lie_in_two_regions_are_flagged(registry):
    two = {p.slug for p in registry.generation(34) if len(p.predecessor_regions) > 1}
    assert two == STRADDLING
    assert registry.get("phu-tho-2025").predecessor_regions == ("Trung du và miền núi phía Bắc", "Đồng bằng sông Hồng")
    assert registry.get("hue-2025").predecessor_regions == ("Bắc Trung Bộ và duyên hải miền Trung",)


def test_the_34_units_by_region(registry):
    from collections import Counter

    assert Counter(p.region for p in registry.generation(34)) == {
        "Trung du và miền núi phía Bắc": 10,
        "Đồng bằng sông Hồng": 5,
        "Bắc Trung Bộ và duyên hải miền Trung": 9,
        "Tây Nguyên": 2,
        "Đông Nam Bộ": 2,
        "Đồng bằng sông Cửu Long": 6,
    }


def test_a_registry_without_a_region_or_a_seat_says_file_row_column(tmp_path):
    from cchc.data.provinces import read_registry_rows

    path = tmp_path / "provinces.csv"
    path.write_text(
        "slug,name,generation,gso_code,region,valid_from,valid_to,successor,aliases\n"
        "a,A,63,01,Tây Nguyên,,,b-2025,\n"
        "c,C,63,03,,,,b-2025,\n"
        "b-2025,B,34,02,,,,,\n",
        encoding="utf-8",
    )
    problems = read_registry_rows(path)[1]
    where = {(p.row, p.column) for p in problems}
    assert (3, "region") in where  # an old province without its region
    assert (4, "region") in where  # a new unit whose code none of its predecessors had: no rule gives its region


# ------------------------------------------------------------------ Vietnamese alphabetical order
def test_vietnamese_order_puts_each_letter_in_its_place_and_tones_second():
    """a ă â b c d đ e ê … o ô ơ … u ư: 'Đ' after 'D' (not after 'Z' as in Unicode), 'ă' after every 'a'
    whatever its tone (à á ả ã ạ are tones of a), the tone deciding only between equal letters."""
    from cchc.data.provinces import vi_sort_key

    ordered = [
        "Dak",  # plain d before đ
        "Đà Nẵng",  # đ a …
        "Đắk Lắk",  # đ ă: ă after a, whatever the tone of the a
        "Điện Biên",
        "Đồng Nai",
        "Đồng Tháp",
        "Gia Lai",
    ]
    assert sorted(reversed(ordered), key=vi_sort_key) == ordered
    assert sorted(["Cần Thơ", "Cao Bằng", "Cà Mau"], key=vi_sort_key) == ["Cà Mau", "Cao Bằng", "Cần Thơ"]
    assert sorted(["Hưng Yên", "Huế", "Hải Phòng", "Hà Nội"], key=vi_sort_key) == [
        "Hà Nội",
        "Hải Phòng",
        "Huế",
        "Hưng Yên",
    ]
    # tones only between the same letters: none, huyền, hỏi, ngã, sắc, nặng
    assert sorted(["ma", "mạ", "má", "mã", "mả", "mà"], key=vi_sort_key) == ["ma", "mà", "mả", "mã", "má", "mạ"]
    assert sorted(["Bắc Kạn", "Bạc Liêu", "Bắc Giang"], key=vi_sort_key) == ["Bạc Liêu", "Bắc Giang", "Bắc Kạn"]


def test_vietnamese_order_reads_capitals_and_decomposed_text_as_the_same_letters():
    from cchc.data.provinces import vi_sort_key

    assert vi_sort_key("ĐẮK LẮK")[:2] == vi_sort_key("Đắk Lắk")[:2]
    assert vi_sort_key(unicodedata.normalize("NFD", "Đắk Lắk"))[:2] == vi_sort_key("Đắk Lắk")[:2]


def test_the_34_units_in_vietnamese_order(registry):
    from cchc.data.provinces import vi_sort_key

    names = sorted((p.name for p in registry.generation(34)), key=vi_sort_key)
    assert names[:11] == [
        "An Giang",
        "Bắc Ninh",
        "Cà Mau",
        "Cao Bằng",
        "Cần Thơ",
        "Đà Nẵng",
        "Đắk Lắk",
        "Điện Biên",
        "Đồng Nai",
        "Đồng Tháp",
        "Gia Lai",
    ]
    assert names[-4:] == ["Thái Nguyên", "Thanh Hóa", "Tuyên Quang", "Vĩnh Long"]


def test_vi_order_gives_each_name_its_place_in_vietnamese_order():
    from cchc.data.provinces import vi_order

    assert vi_order(["Đồng Nai", "Yên Bái", "Đà Nẵng", "Cần Thơ", "Đà Nẵng"]) == [2, 3, 1, 0, 1]
