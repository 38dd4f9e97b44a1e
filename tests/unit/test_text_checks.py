"""The checks on reader text (issue 19): what must never reach a reader is found, and plain report
sentences in either language pass."""

from __future__ import annotations

import pytest

from cchc.report.text_checks import reader_text_problems


@pytest.mark.parametrize(
    "text, lang, kind",
    [
        ("Lập từ dữ liệu sha256:1c73021b650f0602", "vi", "hash"),
        ("code 49c0d5614efa3b", "en", "hash"),
        ("tham số: province=ha-noi, year=2023", "vi", "parameter"),
        ("hợp nhất thành Phú Thọ (phu-tho-2025; Nghị quyết 202/2025/QH15).", "vi", "slug"),
        ("Made for ha-noi in 2023.", "en", "slug"),
        ("được lưu cùng số liệu (thư mục data/, cột note)", "vi", "path"),
        ("see data/indices/par.csv", "en", "path"),
        ("thứ tự listed_order", "vi", "code name"),
        ("Điểm: nan", "vi", "missing value"),
        ("Score: None", "en", "missing value"),
        ("Rank <NA>", "en", "missing value"),
        ("Xếp hạng ()", "vi", "empty brackets"),
        ("Chỉ số CCHC tăng 3 bậc .", "vi", "space before punctuation"),
        ("Chỉ số  CCHC", "vi", "doubled space"),
        ("và 8 chỉ số thành phần", "vi", "starts with"),
        ("and 8 components", "en", "starts with"),
        ("Xếp hạng 3/63 (rank only)", "vi", "English in vi"),
        ("Rank 3/63 in the region Tây Nguyên", "en", "Vietnamese in en"),
    ],
)
def test_what_must_not_reach_a_reader_is_found(text, lang, kind):
    problems = reader_text_problems(text, lang)
    assert any(p.startswith(kind + ":") for p in problems), problems


@pytest.mark.parametrize(
    "text, lang",
    [
        ("Năm 2023, Hà Nội xếp thứ 3/63 về Chỉ số CCHC, cao hơn trung bình cả nước 4,45 điểm.", "vi"),
        ("Chỉ số CCHC (PAR INDEX) năm 2021 đạt 86,26%; xếp thứ =16/63, tăng 10 bậc.", "vi"),
        ("Lập từ dữ liệu phiên bản 1c73021b, phần mềm cchc 0.1.0.", "vi"),
        ("Ngày 1/7/2025, Vĩnh Phúc, Hòa Bình và Phú Thọ hợp nhất thành Phú Thọ (Nghị quyết 202/2025/QH15).", "vi"),
        ("Chi tiết xem https://example.org/data/par_2023.csv", "vi"),  # a link is not reader text to check
        ("In 2023, Hà Nội ranked 3/63 on PAR INDEX, 4.45 points above the national mean.", "en"),
        ("Method change in 2020: New provincial criteria: 8 areas, 43 criteria (QĐ 1150/QĐ-BNV).", "en"),
        ("Targets as worded: “Phấn đấu Chỉ số CCHC đạt trên 85%”", "en"),  # quoted wording stays as written
        ("Bà Rịa - Vũng Tàu 2023: 3 (2016), 2 (2018)", "en"),
        ("Thứ hạng Chỉ số CCHC (PAR\nINDEX)", "vi"),  # a chart title wrapped inside the index's name
    ],
)
def test_plain_report_text_passes(text, lang):
    assert reader_text_problems(text, lang) == []


def test_proper_names_given_are_allowed_in_english():
    assert reader_text_problems("Sở Nội vụ: 91.2 points", "en", names=["Sở Nội vụ"]) == []
    assert reader_text_problems("Sở Nội vụ: 91.2 points", "en")


def test_a_province_an_index_ranked_outside_the_registry_is_a_name_in_english():
    """PCI 2005-2008 ranked Hà Tây; an English note naming it is not Vietnamese text."""
    assert reader_text_problems("The place in the region on PCI 2007 counts Hà Tây.", "en") == []
    assert reader_text_problems("The place in the region counts tỉnh Hà Tây.", "en") == ["Vietnamese in en: tỉnh"]
