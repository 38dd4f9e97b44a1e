"""The province registry: every spelling users type, the 2025 merger, reused GSO codes."""
from __future__ import annotations

import unicodedata

import pytest

from cchc.data.provinces import ProvinceMerged, UnknownProvince, fold

REUSED_CODES = {  # code: (old province, new unit)
    "15": ("yen-bai", "lao-cai-2025"), "24": ("bac-giang", "bac-ninh-2025"),
    "44": ("quang-binh", "quang-tri-2025"), "52": ("binh-dinh", "gia-lai-2025"),
    "80": ("long-an", "tay-ninh-2025"), "82": ("tien-giang", "dong-thap-2025"),
    "91": ("kien-giang", "an-giang-2025"),
}


@pytest.mark.parametrize("text", [
    "Đắk Nông", "dak nong", "DAK NONG", "dak-nong", "Dak Nong", "67", 67,
    unicodedata.normalize("NFD", "Đắk Nông"), "Tỉnh Đắk Nông", "  Đắk  Nông ",
])
def test_dak_nong_in_every_spelling(registry, text):
    assert registry.resolve(text).slug == "dak-nong"


@pytest.mark.parametrize("text, slug", [
    ("Thừa Thiên Huế", "thua-thien-hue"), ("Huế", "thua-thien-hue"), ("Thành phố Huế", "thua-thien-hue"),
    ("TP. Hồ Chí Minh", "ho-chi-minh"), ("Hồ Chí Minh", "ho-chi-minh"), ("TP HCM", "ho-chi-minh"),
    ("Thành phố Hồ Chí Minh", "ho-chi-minh"), ("TP.HCM", "ho-chi-minh"),
    ("Hòa Bình", "hoa-binh"), ("Hoà Bình", "hoa-binh"),
    ("Khánh Hoà", "khanh-hoa"), ("Khánh Hòa", "khanh-hoa"), ("Tỉnh Khánh Hòa", "khanh-hoa"),
    ("TP. Cần Thơ", "can-tho"), ("Thành phố Đà Nẵng", "da-nang"), ("Thanh Hoá", "thanh-hoa"),
    ("Bà Rịa–Vũng Tàu", "ba-ria-vung-tau"), ("1", "ha-noi"),
])
def test_names_prefixes_and_variants(registry, text, slug):
    assert registry.resolve(text).slug == slug


@pytest.mark.parametrize("text, year, slug", [
    ("Huế", 2025, "hue-2025"), ("Thừa Thiên Huế", 2025, "hue-2025"), ("TP HCM", 2025, "ho-chi-minh-2025"),
    ("Lâm Đồng", 2024, "lam-dong"), ("Lâm Đồng", 2025, "lam-dong-2025"), ("lam-dong-2025", 2026, "lam-dong-2025"),
])
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
