"""The indices the suite reports on: one declarative record per index, every fact about it in one place.

An index is a record here (code, scale and unit by year, method breaks, components with their codes,
publisher and citation, rank rules) plus its data file ``data/indices/<code>.csv``, plus its words in the
gettext catalogues, where translators work (keys that follow from the code: ``IndexRecord.message_keys``, and
``component.<Vietnamese name>``). Every module that needs an index fact asks the active registry
(``active()``, ``record(code)``, ``codes()``), never a literal of its own.

The shipped registry is ``SHIPPED``; importing changes nothing. A test (or a notebook) works with another
registry through ``using``, for the code it runs, without changing the shipped one::

    scratch = SHIPPED.adding(IndexRecord(code="TOY", units={2020: "%"}, publisher="…", citation="…"))
    with using(scratch):
        ds = cchc.load(scratch_data_dir)   # validated, ranked and reported with TOY among the indices

The registry is held in a ``contextvars.ContextVar``: set for the ``with`` block of the thread (or task)
that set it; processes a batch starts (kernels, workers) use the shipped one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class Component:
    """A part of an index as data files name it (in Vietnamese), its short stable code (a renamed part keeps
    its code) and whether it is an area the report compares (False: a sub-total or survey part of the score,
    or a main index that pillars group)."""

    name: str
    code: str
    area: bool = True


@dataclass(frozen=True)
class Groups:
    """An index's official groups by score from a results year: ``limits`` (group, lowest score) best first;
    a score under every limit is in no named group."""

    from_year: int
    limits: tuple[tuple[str, float], ...]

    def of(self, score: float, year: int) -> str | None:
        """The group of ``score`` in ``year``; None before ``from_year`` or under every limit."""
        if year < self.from_year:
            return None
        return next((group for group, lowest in self.limits if score >= lowest), None)


@dataclass(frozen=True)
class IndexRecord:
    """Every fact of one index. Words are not here: they are messages of the catalogues (module docstring)."""

    code: str
    units: Mapping[int, str]  # the unit of the overall score from each results year on ({2011: 'points/60', …})
    component_unit: str = ""  # the unit of its components' scores in the press ('': the index's own unit)
    component_range: tuple[float, float] | None = None  # the range a component's score must lie in, if narrower
    breaks: tuple[int, ...] = ()  # results years whose method differs from the year before
    components: tuple[Component, ...] = ()
    compare_components: bool = False  # its parts are compared between provinces (strengths, to improve)
    similar_on_components: bool = False  # complete component tables: provinces found similar on its parts
    publisher: str = ""  # the publisher of its yearly publication
    publisher_from: Mapping[int, str] = field(default_factory=dict)  # results year -> publisher, when it changed
    title: str = ""  # the yearly publication's title, {year} filled in
    citation: str = ""  # the publication cited for a publisher's own file when the user gives none, {year} in it
    year_sources: Mapping[int, str] = field(default_factory=dict)  # results year -> source, a page per year
    spellings: tuple[str, ...] = ()  # more names an analyst may type for it (besides its code and catalogue names)
    ranked: Mapping[int, int] = field(default_factory=dict)  # years its table ranked other than all 63 provinces
    # years its table also ranked units the registry does not hold: (name, region) of each, counted among
    # their region's peers (PCI 2005-2008: Hà Tây, merged into Hà Nội in 2008)
    ranked_unregistered: Mapping[int, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    groups: Groups | None = None  # official groups by score (else the quarter of the ranking)
    bands: tuple[str, ...] = ()  # the bands a target may name, worst first (as data/targets writes them)
    bands_are_quartiles: bool = False  # its bands are the quarters of a complete table (else published, in notes)

    # the catalogue keys of its words
    @property
    def name_key(self) -> str:
        return f"index.{self.code}"

    @property
    def short_key(self) -> str:
        return f"index_short.{self.code}"

    @property
    def message_keys(self) -> tuple[str, ...]:
        """Every catalogue key the reports and pages look its words up by: its names (full, short, a map's
        panel, an index page's column), its publisher, what changed at each break, its parts as the strengths
        note lists them (when compared), and its bands in targets (when it has some). Its components' names
        are ``component.<name>`` messages."""
        code = self.code
        keys = [f"index.{code}", f"index_short.{code}", f"map.panel.{code}", f"index_page.col.{code}"]
        keys += [f"publisher.{code}", *(f"break.{code}.{year}" for year in self.breaks)]
        keys += [f"strengths.parts.{code}"] if self.compare_components else []
        if self.bands:
            keys += [f"targets.measure.band.{code}", f"targets.why.no_band.{code}", f"targets.why.no_band.{code}.none"]
        return tuple(keys)

    def unit(self, year: int, component: str = "") -> str:
        """The unit of the overall score (or of a component's, in the press) in results year ``year``; the first
        unit for a year before the first known."""
        if component and self.component_unit:
            return self.component_unit
        if not self.units:
            return ""
        earlier = [y for y in self.units if y <= year]
        return self.units[max(earlier) if earlier else min(self.units)]

    def publisher_in(self, year: int) -> str:
        """The publisher of the results year's publication."""
        return self.publisher_from.get(year, self.publisher)

    def component_code(self, name: str) -> str:
        """The short code of a component ('' when the record does not list it)."""
        return next((c.code for c in self.components if c.name == name), "")

    def is_area(self, name: str) -> bool:
        """True for a component the record lists as an area, or does not list."""
        return next((c.area for c in self.components if c.name == name), True)


@dataclass(frozen=True, eq=False)
class IndexRegistry:
    """The indices in the suite's order (the order of reports' tables and lists)."""

    records: tuple[IndexRecord, ...]

    def __post_init__(self) -> None:
        codes = [r.code for r in self.records]
        if len(set(codes)) != len(codes):
            raise ValueError(f"an index code is listed twice: {codes}")

    def __iter__(self) -> Iterator[IndexRecord]:
        return iter(self.records)

    def __contains__(self, code: object) -> bool:
        return any(r.code == code for r in self.records)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(r.code for r in self.records)

    def get(self, code: str) -> IndexRecord | None:
        return next((r for r in self.records if r.code == code), None)

    def __getitem__(self, code: str) -> IndexRecord:
        found = self.get(code)
        if found is None:
            raise KeyError(code)
        return found

    def compared(self) -> tuple[str, ...]:
        """The indices whose parts are compared between provinces."""
        return tuple(r.code for r in self.records if r.compare_components)

    def similar(self) -> tuple[str, ...]:
        """The indices on whose parts similar provinces are found."""
        return tuple(r.code for r in self.records if r.similar_on_components)

    def adding(self, *records: IndexRecord) -> IndexRegistry:
        """A new registry with ``records`` after these (the suite's order); this one is unchanged."""
        return replace(self, records=(*self.records, *records))

    def fingerprint(self) -> str:
        """A digest of every fact: what a dataset cached on disk was checked against."""
        return hashlib.sha256(repr(self.records).encode()).hexdigest()


PAR_COMPONENTS = (
    Component("Công tác chỉ đạo, điều hành CCHC", "direction"),
    Component("Cải cách thể chế", "institutions"),
    Component("Xây dựng và tổ chức thực hiện văn bản QPPL", "legal_documents"),
    Component("Cải cách thủ tục hành chính", "procedures"),
    Component("Cải cách tổ chức bộ máy", "apparatus"),
    Component("Cải cách tổ chức bộ máy hành chính nhà nước", "apparatus"),
    Component("Cải cách chế độ công vụ", "civil_service"),
    Component("Xây dựng và nâng cao chất lượng đội ngũ CBCCVC", "civil_servants"),
    Component("Cải cách tài chính công", "public_finance"),
    Component("Hiện đại hóa hành chính", "modernisation"),
    Component("Hiện đại hóa hành chính (CQĐT/CQS)", "modernisation"),
    Component("Xây dựng và phát triển chính quyền điện tử, chính quyền số", "e_government"),
    Component("Tác động đến phát triển KT-XH", "impact"),
    Component("Tác động của CCHC đến phát triển KT-XH", "impact"),
    Component("Tác động của CCHC đến người dân, tổ chức và phát triển KT-XH", "impact"),
    # sub-totals and survey parts of the PAR score: not areas
    Component("Chỉ số SIPAS (thành phần của PAR)", "sipas_part", area=False),
    Component("Khảo sát lãnh đạo quản lý", "leaders_survey", area=False),
    Component("Điểm thẩm định", "appraisal", area=False),
    Component("Điểm thẩm định kết quả thực hiện nhiệm vụ CCHC", "appraisal", area=False),
    Component("Điểm đánh giá tác động của CCHC", "impact_total", area=False),
)
PAPI_COMPONENTS = (  # the six dimensions of 2011-2017 first (a PAPI workbook must hold them: publishers.papi)
    Component("Tham gia của người dân ở cấp cơ sở", "participation"),
    Component("Công khai, minh bạch", "transparency"),
    Component("Trách nhiệm giải trình với người dân", "accountability"),
    Component("Kiểm soát tham nhũng trong khu vực công", "corruption_control"),
    Component("Thủ tục hành chính công", "procedures"),
    Component("Cung ứng dịch vụ công", "service_delivery"),
    Component("Quản trị môi trường", "environment"),
    Component("Quản trị điện tử", "e_governance"),
)
PCI_COMPONENTS = (
    Component("Gia nhập thị trường", "entry"),
    Component("Tiếp cận đất đai", "land"),
    Component("Tính minh bạch", "transparency"),
    Component("Chi phí thời gian", "time_costs"),
    Component("Chi phí không chính thức", "informal_charges"),
    Component("Cạnh tranh bình đẳng", "policy_bias"),
    Component("Tính năng động", "proactivity"),
    Component("Dịch vụ hỗ trợ doanh nghiệp", "business_support"),
    Component("Đào tạo lao động", "labour_training"),
    Component("Thiết chế pháp lý", "legal_institutions"),
    Component("Thiết chế pháp lý & ANTT", "law_and_order"),
    Component("Ưu đãi đối với doanh nghiệp nhà nước", "soe_bias"),
    Component("Chính sách phát triển khu vực kinh tế tư nhân", "private_sector_policy"),
    Component("Thực hiện chính sách của Trung ương", "central_policy"),
)
# The DTI parts compared are its three pillars; the main indices the pillars group are not areas.
DTI_COMPONENTS = (
    Component("Chính quyền số (pillar)", "government"),
    Component("Kinh tế số (pillar)", "economy"),
    Component("Xã hội số (pillar)", "society"),
    Component("Hoạt động chính quyền số", "government_activity", area=False),
    Component("Hoạt động kinh tế số", "economy_activity", area=False),
    Component("Hoạt động xã hội số", "society_activity", area=False),
    Component("Hạ tầng số", "infrastructure", area=False),
    Component("Nhân lực số", "human_resources", area=False),
    Component("Nhận thức số", "awareness", area=False),
    Component("Thể chế số", "institutions", area=False),
    Component("An toàn thông tin mạng", "cyber_security", area=False),
)

SHIPPED = IndexRegistry(
    (
        IndexRecord(
            code="PAR",
            units={2012: "%"},  # areas: % in the press, "points" against their max_score in the ministry's tables
            breaks=(2016, 2020, 2022),
            components=PAR_COMPONENTS,
            compare_components=True,
            publisher="Bộ Nội vụ",
            title="Chỉ số cải cách hành chính (PAR INDEX) {year}",
            spellings=("CCHC", "Chỉ số cải cách hành chính", "PAR-INDEX", "PARINDEX"),
            groups=Groups(2024, (("A", 90.0), ("B", 80.0))),  # the ministry's groups A (≥ 90%), B (80–90%)
        ),
        IndexRecord(
            code="SIPAS",
            units={2017: "%"},
            publisher="Bộ Nội vụ",
            title="Chỉ số hài lòng về sự phục vụ hành chính (SIPAS) {year}",
            spellings=("Chỉ số hài lòng", "Chỉ số hài lòng về sự phục vụ hành chính"),
        ),
        IndexRecord(
            code="PAPI",
            units={2011: "points/60", 2018: "points/80"},  # 6 dimensions until 2017, 8 from 2018
            component_unit="points/10",
            component_range=(1.0, 10.0),  # a dimension scores 1-10
            breaks=(2018,),
            components=PAPI_COMPONENTS,
            compare_components=True,
            similar_on_components=True,
            publisher="CECODES, VFF-CRT, RTA, UNDP",
            title="Chỉ số Hiệu quả Quản trị và Hành chính công cấp tỉnh (PAPI) {year}",
            citation='CECODES, VFF-CRT, RTA, UNDP, "Chỉ số Hiệu quả Quản trị và Hành chính công cấp tỉnh (PAPI) '
            '{year}", https://papi.org.vn',
            spellings=("Chỉ số hiệu quả quản trị và hành chính công cấp tỉnh",),
            # PAPI left provinces out of its ranking (data/README.md, `rank_of`)
            ranked={2021: 60, 2022: 61, 2023: 61, 2024: 61},
            # quartile groups, computed from a complete table of the year
            bands=("Thấp nhất", "Trung bình thấp", "Trung bình cao", "Cao nhất"),
            bands_are_quartiles=True,
        ),
        IndexRecord(
            code="PCI",
            units={2005: "points/100"},
            component_unit="points/10",
            components=PCI_COMPONENTS,
            compare_components=True,
            similar_on_components=True,
            publisher="VCCI",
            title="Chỉ số Năng lực cạnh tranh cấp tỉnh (PCI) {year}",
            citation='VCCI, "Chỉ số Năng lực cạnh tranh cấp tỉnh (PCI) {year}", https://pcivietnam.vn',
            spellings=("Chỉ số năng lực cạnh tranh", "Chỉ số năng lực cạnh tranh cấp tỉnh"),
            # PCI 2005-2008 counted Hà Tây (data/README.md, "Publishers' complete tables")
            ranked={2005: 42, 2006: 64, 2007: 64, 2008: 64},
            ranked_unregistered={year: (("Hà Tây", "Đồng bằng sông Hồng"),) for year in range(2005, 2009)},
            bands=("Thấp", "Tương đối thấp", "Trung bình", "Khá", "Tốt", "Rất tốt"),  # VCCI's groups as published
        ),
        IndexRecord(
            code="DTI",
            units={2020: "index 0-1"},
            component_unit="index 0-1",
            breaks=(2024,),
            components=DTI_COMPONENTS,
            compare_components=True,
            publisher="Bộ Thông tin và Truyền thông",
            # DTI 2024 was published on 2025-10-21, after the ministry merged into Bộ Khoa học và Công nghệ.
            publisher_from={2024: "Bộ Khoa học và Công nghệ"},
            title="Chỉ số chuyển đổi số cấp tỉnh (DTI) {year}",
            year_sources={2022: "https://dti.gov.vn/xep-hang-2022"},
            spellings=("Chỉ số chuyển đổi số", "Chuyển đổi số"),
        ),
    )
)

_ACTIVE: ContextVar[IndexRegistry] = ContextVar("cchc_index_registry", default=SHIPPED)


def active() -> IndexRegistry:
    """The registry in use: ``SHIPPED`` unless a ``using`` block set another."""
    return _ACTIVE.get()


@contextmanager
def using(registry: IndexRegistry) -> Iterator[IndexRegistry]:
    """Use ``registry`` for the code run inside the ``with`` block; the one before it is back after."""
    token = _ACTIVE.set(registry)
    try:
        yield registry
    finally:
        _ACTIVE.reset(token)


def codes() -> tuple[str, ...]:
    """The codes of the active registry's indices, in the suite's order."""
    return active().codes


def record(code: str) -> IndexRecord | None:
    """The active registry's record of ``code`` (None for a code it does not hold)."""
    return active().get(code)


class _ActiveCodes(Sequence[str]):
    """The active registry's codes, read each time they are used: the allowed values of the tables' ``index``
    columns (``schema``), which are built once, when the module is imported."""

    def __getitem__(self, i):
        return active().codes[i]

    def __len__(self) -> int:
        return len(active().codes)

    def __repr__(self) -> str:
        return repr(active().codes)


CODES: Sequence[str] = _ActiveCodes()
