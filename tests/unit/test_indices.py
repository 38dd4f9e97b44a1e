"""The index registry (``cchc.data.indices``): the shipped records hold every fact the modules held before
them, and a registry of one's own changes nothing of the shipped one."""

from __future__ import annotations

import csv

import pytest

from cchc.data import indices
from cchc.data.indices import SHIPPED, IndexRecord, using

# The facts as the modules wrote them before the registry (main 61bafe8): schema.INDICES and RANKED,
# metrics.METHOD_BREAKS and BANDS, position.COMPONENT_INDICES, SIMILAR_INDICES and par_group, checks'
# PAPI_DIMENSION_RANGE, publishers.common's DEFAULT_SOURCES, YEAR_SOURCES and PUBLISHERS, press.PUBLISHERS and
# PUBLISHER_FROM, lookup's spellings.
BEFORE_ORDER = ("PAR", "SIPAS", "PAPI", "PCI", "DTI")
BEFORE_BREAKS = {"PAR": (2016, 2020, 2022), "PAPI": (2018,), "DTI": (2024,)}
BEFORE_RANKED = {
    ("PAPI", 2021): 60,
    ("PAPI", 2022): 61,
    ("PAPI", 2023): 61,
    ("PAPI", 2024): 61,
    ("PCI", 2005): 42,
    ("PCI", 2006): 64,
    ("PCI", 2007): 64,
    ("PCI", 2008): 64,
}
BEFORE_BANDS = {
    "PAPI": ("Thấp nhất", "Trung bình thấp", "Trung bình cao", "Cao nhất"),
    "PCI": ("Thấp", "Tương đối thấp", "Trung bình", "Khá", "Tốt", "Rất tốt"),
}
BEFORE_PRESS = {
    "PAR": ("Bộ Nội vụ", "Chỉ số cải cách hành chính (PAR INDEX) {year}"),
    "SIPAS": ("Bộ Nội vụ", "Chỉ số hài lòng về sự phục vụ hành chính (SIPAS) {year}"),
    "PCI": ("VCCI", "Chỉ số Năng lực cạnh tranh cấp tỉnh (PCI) {year}"),
    "PAPI": ("CECODES, VFF-CRT, RTA, UNDP", "Chỉ số Hiệu quả Quản trị và Hành chính công cấp tỉnh (PAPI) {year}"),
    "DTI": ("Bộ Thông tin và Truyền thông", "Chỉ số chuyển đổi số cấp tỉnh (DTI) {year}"),
}
BEFORE_CITATIONS = {
    "PCI": 'VCCI, "Chỉ số Năng lực cạnh tranh cấp tỉnh (PCI) {year}", https://pcivietnam.vn',
    "PAPI": 'CECODES, VFF-CRT, RTA, UNDP, "Chỉ số Hiệu quả Quản trị và Hành chính công cấp tỉnh (PAPI) {year}", '
    "https://papi.org.vn",
}
BEFORE_SPELLINGS = {
    "PAR": ("CCHC", "Chỉ số cải cách hành chính", "PAR-INDEX", "PARINDEX"),
    "SIPAS": ("Chỉ số hài lòng", "Chỉ số hài lòng về sự phục vụ hành chính"),
    "PCI": ("Chỉ số năng lực cạnh tranh", "Chỉ số năng lực cạnh tranh cấp tỉnh"),
    "DTI": ("Chỉ số chuyển đổi số", "Chuyển đổi số"),
    "PAPI": ("Chỉ số hiệu quả quản trị và hành chính công cấp tỉnh",),
}
BEFORE_PAR_SCORE_PARTS = {
    "Điểm thẩm định",
    "Điểm thẩm định kết quả thực hiện nhiệm vụ CCHC",
    "Điểm đánh giá tác động của CCHC",
    "Khảo sát lãnh đạo quản lý",
    "Chỉ số SIPAS (thành phần của PAR)",
}


def test_the_shipped_indices_are_the_five_in_the_suites_order():
    assert SHIPPED.codes == BEFORE_ORDER
    assert indices.active() is SHIPPED and indices.codes() == BEFORE_ORDER


def test_every_shipped_fact_is_what_the_modules_held_before():
    from cchc.analysis import metrics, position
    from cchc.data.schema import units_ranked

    assert {c: metrics.method_breaks(c) for c in SHIPPED.codes if metrics.method_breaks(c)} == BEFORE_BREAKS
    assert SHIPPED.compared() == ("PAR", "PAPI", "PCI", "DTI")
    assert SHIPPED.similar() == ("PAPI", "PCI")
    for code in SHIPPED.codes:
        for year in range(2005, 2027):
            expected = BEFORE_RANKED.get((code, year), 63) if year < 2025 else None
            assert units_ranked(code, year, 63) == expected, (code, year)
            assert units_ranked(code, year, 34) is None
    assert {c: metrics.index_bands(c) for c in SHIPPED.codes if metrics.index_bands(c)} == BEFORE_BANDS
    assert [c for c in SHIPPED.codes if SHIPPED[c].component_range] == ["PAPI"]
    assert SHIPPED["PAPI"].component_range == (1.0, 10.0)
    assert {c: (r.publisher_in(2023), r.title) for c in SHIPPED.codes if (r := SHIPPED[c])} == BEFORE_PRESS
    assert SHIPPED["DTI"].publisher_in(2024) == "Bộ Khoa học và Công nghệ"
    assert {c: SHIPPED[c].citation for c in SHIPPED.codes if SHIPPED[c].citation} == BEFORE_CITATIONS
    assert {(c, y): u for c in SHIPPED.codes for y, u in SHIPPED[c].year_sources.items()} == {
        ("DTI", 2022): "https://dti.gov.vn/xep-hang-2022"
    }
    assert {c: SHIPPED[c].spellings for c in SHIPPED.codes} == {c: BEFORE_SPELLINGS[c] for c in BEFORE_ORDER}
    # the official groups: PAR INDEX from 2024, A from 90 %, B from 80 %
    assert [c for c in SHIPPED.codes if SHIPPED[c].groups] == ["PAR"]
    for score, year, group in [(90.0, 2024, "A"), (89.99, 2025, "B"), (80.0, 2024, "B"), (79.9, 2024, None)]:
        assert position.official_group("PAR", score, year) == group
    assert position.official_group("PAR", 95.0, 2023) is None
    assert position.official_group("PAPI", 75.0, 2024) is None


def test_the_press_scale_of_each_index_is_the_one_before_where_it_was_right():
    """press.unit_of gave PAR and SIPAS %, PCI /100 (parts /10), PAPI /80 (dimensions /10), DTI 0-1 in every
    year; PAPI was /60 until 2017 (6 dimensions), as data/indices/papi.csv writes it: now the record says so."""
    from cchc.data.publishers.press import unit_of

    before = {"PAR": ("%", "%"), "SIPAS": ("%", "%"), "PCI": ("points/100", "points/10")}
    before |= {"PAPI": ("points/80", "points/10"), "DTI": ("index 0-1", "index 0-1")}
    for code, (overall, part) in before.items():
        for year in (2018, 2021, 2024):
            assert (unit_of(code, year, ""), unit_of(code, year, "a part")) == (overall, part)
    assert unit_of("PAPI", 2017, "") == "points/60"
    assert SHIPPED["PAPI"].unit(2005) == "points/60" and SHIPPED["PAPI"].unit(2030) == "points/80"  # first, last
    assert IndexRecord(code="X", units={}).unit(2020) == ""


def test_components_their_codes_and_areas_are_what_the_modules_held_before(root):
    """Every component data/ holds is listed in its index's record (so none falls to a default), with the code
    lookup.COMPONENT_CODES gave and the area rule of metrics.is_area: every PAR part but the sub-totals and
    survey parts, the DTI pillars alone, every PAPI dimension and PCI sub-index."""
    from cchc.analysis.metrics import is_area
    from cchc.data.lookup import component_code

    held: set[tuple[str, str]] = set()
    for path in sorted((root / "data" / "indices").glob("*.csv")):
        with path.open(encoding="utf-8") as f:
            held |= {(r["index"], r["component"]) for r in csv.DictReader(f) if r["component"]}
    assert held
    for code, name in held:
        assert name in [c.name for c in SHIPPED[code].components], (code, name)
        before = {"PAR": name not in BEFORE_PAR_SCORE_PARTS, "DTI": name.endswith("(pillar)")}.get(code, True)
        assert is_area(code, name) == before, (code, name)
    assert component_code("PAPI", "Công khai, minh bạch") == "transparency"
    renamed = "Cải cách tổ chức bộ máy hành chính nhà nước"  # the 2020 name of the area keeps its code
    assert component_code("PAR", "Cải cách tổ chức bộ máy") == component_code("PAR", renamed) == "apparatus"
    assert component_code("PCI", "Thiết chế pháp lý & ANTT") == "law_and_order"
    assert component_code("DTI", "Xã hội số (pillar)") == "society"
    assert component_code("PAR", "") == "" and component_code("TOY", "x") == ""


def test_a_registry_of_ones_own_changes_nothing_of_the_shipped_one():
    toy = IndexRecord(code="TOY", units={2020: "%"})
    scratch = SHIPPED.adding(toy)
    assert scratch.codes == (*BEFORE_ORDER, "TOY") and SHIPPED.codes == BEFORE_ORDER
    with using(scratch):
        assert indices.codes() == scratch.codes
        assert indices.record("TOY") is toy
        from cchc.data.schema import INDEX_FIGURES

        assert "TOY" in INDEX_FIGURES.columns[0].choices  # the index column allows it while the registry is in use
    assert indices.active() is SHIPPED and indices.record("TOY") is None
    assert "TOY" not in INDEX_FIGURES.columns[0].choices
    assert scratch.fingerprint() != SHIPPED.fingerprint()
    with pytest.raises(ValueError, match="twice"):
        SHIPPED.adding(IndexRecord(code="PAR", units={}))


def test_every_word_a_shipped_index_needs_is_in_both_catalogues():
    """The keys its record names (``IndexRecord.message_keys``), and a ``component.`` message for each of its
    parts: the recipe's list of words to write, checked against the translators' files."""
    from cchc.catalogue import NAMES, TEXTS

    for rec in SHIPPED:
        for key in rec.message_keys:
            assert set(TEXTS.get(key, {})) == {"vi", "en"}, key
        for c in rec.components:
            assert set(NAMES.get(f"component.{c.name}", {})) == {"vi", "en"}, c.name
