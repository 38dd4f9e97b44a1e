"""A Vietnamese report is wholly Vietnamese, an English report wholly English (issue 14 item 7).

Real reports are rendered once per run (papermill, nbconvert) and their visible text is searched for
known leaks: transcription notes, unit codes and English words in a Vietnamese report; Vietnamese
region, component and status words in an English one. The charts of the same reports are drawn by the
report's own sections and their titles, axis labels, tick labels and legends searched the same way.
Proper names (provinces, departments, quoted document wording, titles of cited publications) stay as
they are in both languages.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from cchc.report import sections

pytestmark = pytest.mark.slow

VI_REPORTS = [
    ("ha-noi", 2023),
    ("quang-ninh", 2023),
    ("kon-tum", 2023),
    ("dak-nong", 2023),
    ("ho-chi-minh-2025", 2025),
    ("dak-nong", 2024),
    ("ninh-binh", 2022),
]
EN_REPORTS = [("ha-noi", 2023), ("ho-chi-minh", 2023), ("dak-nong", 2024), ("kon-tum", 2023)]
RENDERED = [(p, y, "vi", "html") for p, y in VI_REPORTS] + [(p, y, "en", "html") for p, y in EN_REPORTS]

# Words and codes that were found in Vietnamese reports (notes on how a figure was transcribed, unit codes).
VI_LEAKS = [
    "points/",
    "(points",
    "index 0-1",
    "rank only",
    "CONFLICT",
    "conflict",
    "listed_order",
    "report of",
    "official",
    " at ",
    "no data",
    "not published",
    "derived:",
    "sheet '",
    "printed",
    " the ",
    " of the ",
    "top-10",
    "reported as",
    "rank list",
    "decimals",
    "unweighted",
    "quoting",
    "(pillar)",
]
# Vietnamese words that were found in English reports (regions, components, statuses, units).
EN_LEAKS = [
    "Điểm",
    "điểm",
    "Tây Nguyên",
    "Đồng bằng",
    "Đông Nam Bộ",
    "Trung du",
    "Bắc Trung Bộ",
    "chưa có",
    "không công bố",
    "xếp thứ",
    "Cải cách",
    "Chỉ số",
    "Lĩnh vực",
    "thành phần",
    "Trung bình",
    "tính)",
    "Hạ tầng số",
    "Chính quyền số",
    "(pillar)",
    "hợp thành",
]
VI_LETTERS = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.IGNORECASE)
URL = re.compile(r"https?://\S+")


def visible_text(html_path: Path) -> str:
    soup = BeautifulSoup(html_path.read_text(encoding="utf-8"), "html.parser")
    for tag in soup(["style", "script"]):
        tag.decompose()
    return URL.sub(" ", soup.get_text("\n", strip=True))


def without_quotes(text: str) -> str:
    """English text without what is quoted: titles of cited publications and documents' own wording."""
    return re.sub(r"“[^”]*”|\"[^\"]*\"", " ", text)


@pytest.fixture(scope="module")
def reports(rendered) -> dict[tuple[str, int, str], str]:
    texts = {}
    for lang, plan in (("vi", VI_REPORTS), ("en", EN_REPORTS)):
        for province, year in plan:
            texts[(province, year, lang)] = visible_text(rendered(province, year, lang)["html"])
    return texts


@pytest.fixture(scope="module")
def ds(shipped):
    return shipped


def chart_words(ds, province: str, year: int, lang: str) -> list[str]:
    """Every word drawn on the report's charts: titles, axis labels, tick labels, legends, annotations."""
    ctx = sections.context(province, year, lang, dataset=ds)
    words = []
    for build in (sections.history, sections.par_components, sections.targets, sections.tthc, sections.unit_rankings):
        for fig in build(ctx).figures:
            words += [t.get_text() for legend in fig.legends for t in legend.get_texts()]
            for ax in fig.axes:
                words += [ax.get_title(), ax.get_xlabel(), ax.get_ylabel()]
                words += [t.get_text() for t in ax.get_xticklabels() + ax.get_yticklabels() + ax.texts]
                legend = ax.get_legend()
                words += [t.get_text() for t in legend.get_texts()] if legend else []
    return [w for w in words if w]


def _found(text: str, leaks: list[str]) -> list[str]:
    return [leak for leak in leaks if leak in text]


@pytest.mark.parametrize("province, year", VI_REPORTS)
def test_vietnamese_report_has_no_english_notes_or_unit_codes(reports, province, year):
    text = reports[(province, year, "vi")]
    leaks = {leak: [line for line in text.splitlines() if leak in line][:2] for leak in _found(text, VI_LEAKS)}
    assert not leaks, f"{province} {year} (vi): {leaks}"


@pytest.mark.parametrize("province, year", EN_REPORTS)
def test_english_report_has_no_vietnamese_words(reports, province, year):
    text = without_quotes(reports[(province, year, "en")])
    leaks = {leak: [line for line in text.splitlines() if leak in line][:2] for leak in _found(text, EN_LEAKS)}
    assert not leaks, f"{province} {year} (en): {leaks}"


@pytest.mark.parametrize("province, year", VI_REPORTS[:5])
def test_vietnamese_charts_print_words_not_unit_codes(ds, province, year):
    words = chart_words(ds, province, year, "vi")
    assert not [w for w in words if _found(w, VI_LEAKS + ["points", "index", "Score"])]


@pytest.mark.parametrize("province, year", EN_REPORTS)
def test_english_charts_have_no_vietnamese_words_but_names(ds, province, year):
    names = {p.name for gen in (63, 34) for p in ds.registry.generation(gen)} | set(ds.unit_rankings["unit"])
    words = chart_words(ds, province, year, "en")
    leaks = [w for w in words if w not in names and VI_LETTERS.search(w)]
    assert not leaks


def test_merger_sentence_names_every_province_once_in_both_languages(reports):
    vi = reports[("ho-chi-minh-2025", 2025, "vi")]
    assert "hình thành từ Bình Dương, Bà Rịa - Vũng Tàu và Hồ Chí Minh" in vi
    en = reports[("ho-chi-minh", 2023, "en")]
    assert "On 1 July 2025 Hồ Chí Minh, Bình Dương and Bà Rịa - Vũng Tàu merged into Hồ Chí Minh" in en


def test_english_report_names_regions_in_english(reports):
    en = reports[("ho-chi-minh", 2023, "en")]
    assert "Region: Southeast" in en
    assert "Đông Nam Bộ" not in en


def test_not_published_is_said_so_not_reported_missing(reports):
    """PAPI did not score Quảng Ninh in 2021 and 2023: 'không công bố', never 'chưa có số liệu' for it."""
    text = reports[("quang-ninh", 2023, "vi")]
    gaps = text[text.index("Chưa có số liệu năm 2023:") :]
    assert "Chỉ số PAPI" not in gaps.split("Không công bố")[0]
    assert "Không công bố năm 2023: Chỉ số PAPI" in text
    history = text[text.index("Chỉ số PAPI") : text.index("Chỉ số năng lực cạnh tranh PCI")]
    assert history.count("không công bố") >= 2  # 2021 and 2023 rows


def test_in_province_ranking_note_is_said_once_in_the_reports_language(reports):
    text = reports[("ninh-binh", 2022, "vi")]
    assert text.count("danh sách của nguồn, không phải thứ hạng") == 2  # once under each table (departments, districts)
    assert "listed_order" not in text
