"""The tables in data/: their files, columns, types and allowed values. One place for each rule."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from .indices import CODES, record

YEAR_MIN, YEAR_MAX = 2005, 2030
# `status` of an index row: empty for a published figure; NOT_PUBLISHED when the publisher did not publish
# the province's figure that year (the note says why). Not published is not missing. DISPUTED: a figure a
# source printed that other sources contradict (``reason`` says which and why); kept visible, never used.
NOT_PUBLISHED = "not published"
DISPUTED = "disputed"
# CONTRADICTED: a published figure whose own page contradicts it (reason says how): kept, never used.
CONTRADICTED = "contradicted"
STATUSES = (NOT_PUBLISHED, DISPUTED, CONTRADICTED)
NEVER_USED = (DISPUTED, CONTRADICTED)  # kept in data/ and shown as such, never a figure
# Columns added to a table after its files existed, by table: a file may lack them (an import adds them to the
# header). Only there: 'scope' is late in tthc but required in means; 'origin' late in indices, not plan_tasks.
LATE_COLUMNS = {
    "indices": ("status", "origin"),
    "tthc": ("note_vi", "note_en", "scope"),
    "means": ("statistic", "use", "reason"),
}


def late_columns(table_name: str) -> tuple[str, ...]:
    """The columns a file of the table may lack (``LATE_COLUMNS``)."""
    return LATE_COLUMNS.get(table_name, ())


# `origin` of a row (plan_tasks, indices): where its figure comes from. 'published' (empty in indices): printed
# by the source; 'user': the user's own figure (plan_tasks); USER_OFFICIAL: the publisher's official table entered
# by the user from the document cited in `source` (indices; reports say "bảng chính thức do người dùng nhập").
USER_OFFICIAL = "user_official"
ORIGINS = ("published", "user", USER_OFFICIAL)
# `statistic` of a published national or regional figure in means.csv: what the figure is, whatever the source
# called it (a press "mean" that is the median of the publisher's table is a median). Empty reads as MEAN.
MEAN, MEDIAN = "mean", "median"
STATISTICS = (MEAN, MEDIAN)

# Score units and the scale each one allows: unit -> (min, max).
UNITS = {
    "%": (0.0, 100.0),
    "points/10": (0.0, 10.0),  # SIPAS sometimes, PCI sub-indices, PAPI dimensions (1-10)
    "points/60": (6.0, 60.0),  # PAPI total with 6 dimensions (until 2017)
    "points/80": (8.0, 80.0),  # PAPI total with 8 dimensions (from 2018)
    "points/100": (0.0, 100.0),  # PCI
    "index 0-1": (0.0, 1.0),  # DTI
    "points/1000": (0.0, 1000.0),  # DTI on its 1,000-point scale
    "points": (0.0, 100.0),  # PAR component areas, scored against their own max_score
}
# The number of units an index's table ranked in a year where that is not every unit of the year (63 old
# provinces, 34 new units) is the index's record's ``ranked`` (``indices.py``). Every other year before 2025
# ranked the 63 (units_ranked). A year's rows of an index agree among themselves; these numbers settle a lone
# row or an even split (checks.rank_of_disagreements).


def units_ranked(index: str, year: int, generation: int) -> int | None:
    """The number of units an index's table ranked in a results year, where it is known: 63 provinces (or the
    record's ``ranked``) for the old provinces before 2025; None for the new units (their rows' own rank_of
    decides)."""
    rec = record(index)
    ranked = rec.ranked if rec else {}
    return ranked.get(year, 63) if generation == 63 and year < 2025 else None


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # str, int, float, date, bool, year, province, url
    required: bool = False
    choices: Sequence[str] = ()
    help: str = ""
    label: str = ""  # the Vietnamese heading analysts write ("Điểm"), shown in the template's guide sheet


def header_key(text: str) -> str:
    """A header cell as it is compared: letter case, diacritics, spaces, '_' and '-' ignored
    ('Rank of', ' rank_of ', 'RANK-OF' -> 'rankof'; 'Điểm', 'diem' -> 'diem')."""
    text = unicodedata.normalize("NFD", str(text).replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return re.sub(r"[\s_\-./]+", "", text)


@dataclass(frozen=True)
class Table:
    name: str
    path: str  # relative to data/; may hold one glob ("indices/*.csv")
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # columns that must be unique together
    help: str = ""

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @cached_property
    def _by_key(self) -> dict[str, str]:
        keys = {header_key(c.name): c.name for c in self.columns}
        return keys | {header_key(c.label): c.name for c in self.columns if c.label}

    def column_for(self, heading: str) -> str | None:
        """The column a header cell names, written the way people write it (case, spaces, the
        Vietnamese label of the template's guide sheet), or None."""
        return self._by_key.get(header_key(heading)) if heading and heading.strip() else None


SOURCE = Column("source", "str", True, help="URL or full citation of the publication", label="Nguồn")
NOTE = Column("note", "str", help="free text", label="Ghi chú")
# Notes written for the reports' readers, one per language (a report shows the one in its language); `note`
# is how the figure was transcribed and stays in data/.
READER_NOTES = (
    Column("note_vi", "str", help="note for readers of the Vietnamese report", label="Ghi chú (vi)"),
    Column("note_en", "str", help="note for readers of the English report", label="Ghi chú (en)"),
)
DERIVED = Column("derived", "bool", help="yes when worked out from a sentence such as 'tăng 5 bậc'", label="Suy ra")

INDEX_FIGURES = Table(
    "indices",
    "indices/*.csv",
    (
        Column("index", "str", True, CODES, label="Chỉ số"),
        Column("year", "year", True, label="Năm"),
        Column("province", "province", True, help="slug, name or old GSO code", label="Tỉnh"),
        Column(
            "component", "str", help="empty for the index itself, else the area/dimension/sub-index", label="Thành phần"
        ),
        Column("score", "float", label="Điểm"),
        Column("unit", "str", False, tuple(UNITS), label="Đơn vị"),
        Column("max_score", "float", help="maximum points of a component area", label="Điểm tối đa"),
        Column("rank", "int", help="published rank", label="Xếp hạng"),
        Column("rank_of", "int", help="number of provinces ranked (63, 61, 34...)", label="Trên tổng số"),
        SOURCE,
        NOTE,
        DERIVED,
        Column("use", "bool", help="yes for the figure reports use when sources disagree", label="Dùng"),
        Column("reason", "str", help="why this figure is used, when sources disagree", label="Lý do"),
        Column(
            "status",
            "str",
            False,
            STATUSES,
            help="'not published' when the publisher did not publish this figure (the note says why); "
            "'contradicted' when its own page contradicts it (the reason says how: never used); "
            "empty for a published figure",
            label="Tình trạng",
        ),
        Column(
            "origin",
            "str",
            False,
            ("published", USER_OFFICIAL),
            help=f"empty (or 'published') for a figure read from a publication; '{USER_OFFICIAL}' for the "
            "ministry's official table entered by the user (`source`: the document's number and date)",
            label="Nguồn gốc số liệu",
        ),
    ),
    key=("index", "year", "province", "component", "source"),
    help="published index figures, one row per index, year, province, component and source",
)

MEANS = Table(
    "means",
    "means.csv",
    (
        Column("index", "str", True, CODES, label="Chỉ số"),
        Column("year", "year", True, label="Năm"),
        Column("scope", "str", True, help="'national' or the name of a socio-economic region", label="Phạm vi"),
        Column("component", "str", label="Thành phần"),
        Column("score", "float", True, label="Điểm"),
        Column("unit", "str", True, tuple(UNITS), label="Đơn vị"),
        SOURCE,
        NOTE,
        DERIVED,
        Column(
            "statistic",
            "str",
            False,
            STATISTICS,
            help="what the figure is: 'mean' (empty) or 'median' — a source's \"mean\" that is the median of "
            "the publisher's table is a median (say so in note)",
            label="Thống kê",
        ),
        Column("use", "bool", help="yes for the figure reports use when sources disagree", label="Dùng"),
        Column("reason", "str", help="why this figure is used, when sources disagree", label="Lý do"),
    ),
    key=("index", "year", "scope", "component", "statistic", "source"),
    help="published national and regional means (and medians), one row per source",
)

# What a target can measure: metric -> how the suite measures it ('' when it cannot). Its words are in the
# catalogue (``metric.<metric>``).
TARGET_METRICS = {
    "par_rank": "PAR:rank",
    "par_score": "PAR:score",
    "sipas_score": "SIPAS:score",
    "pci_rank": "PCI:rank",
    "pci_band": "PCI:band",  # VCCI's group as published (the row's note)
    "papi_band": "PAPI:band",  # the quartile group, computed from the year's complete table
    "dti_rank": "DTI:rank",
    "tthc_on_time_rate": "TTHC:on_time_rate",
    "tthc_online_dossier_share": "TTHC:online_share",
    "tthc_full_online_dossier_share": "TTHC:full_online_share",
    "tthc_apology_share": "TTHC:apology_share",
    "tthc_online_services_share": "",
    "tthc_national_portal_share": "",
    "tthc_portal_update_share": "",
    "satisfaction_services": "SIPAS:score",  # SIPAS is this survey (satisfaction with administrative services)
    "satisfaction_land_construction_investment": "",
    "satisfaction_health_education": "",
    "legal_documents_quality": "",
    "self_financing_units_share": "",
    "digital_inspections_share": "",
    "public_units_reduction": "",
    "civil_servant_reduction": "",
    "public_service_staff_reduction": "",
    "economic_units_converted_share": "",
    "integrated_governance_share": "",
    "mobile_online_services_share": "",
    "tthc_digitised_dossier_share": "",
    "legal_documents_implemented_share": "",
    "tthc_time_cut_review_share": "",
    "tthc_backlog": "",
}
COMPARATORS = (">=", ">", "<=", "<", "==", "in_band")

TARGETS = Table(
    "targets",
    "targets/*.csv",
    (
        Column("province", "province", True, label="Tỉnh"),
        Column("document", "str", True, help="number and title, e.g. 'Nghị quyết 20-NQ/TU'", label="Văn bản"),
        Column("date", "date", True, help="date the document was issued, YYYY-MM-DD", label="Ngày ban hành"),
        Column("metric", "str", True, tuple(TARGET_METRICS), label="Chỉ tiêu"),
        Column("comparator", "str", True, COMPARATORS, label="So sánh"),
        Column("value", "str", True, help="a number, or a band name for in_band", label="Giá trị"),
        Column("unit", "str", True, help="%, rank, band, ...", label="Đơn vị tính"),
        Column("deadline", "year", True, help="results year by which the target should be met", label="Thời hạn"),
        Column("description", "str", True, help="the target as the document words it", label="Nội dung"),
        SOURCE,
        NOTE,
    ),
    key=("province", "document", "metric", "deadline"),
    help="targets from each province's own resolutions and plans: one file per province",
)

TTHC_COUNTS = (
    "carried_over",
    "received_new",
    "received_total",
    "received_online_full",
    "received_online_partial",
    "resolved_total",
    "resolved_early_ontime",
    "resolved_late",
    "pending_total",
    "pending_within",
    "pending_overdue",
    "returned_withdrawn",
    "apology_letters",
)
TTHC_LABELS = {
    "carried_over": "Kỳ trước chuyển qua",
    "received_new": "Mới tiếp nhận",
    "received_total": "Tổng số tiếp nhận",
    "received_online_full": "Trực tuyến toàn trình",
    "received_online_partial": "Trực tuyến một phần",
    "resolved_total": "Đã giải quyết",
    "resolved_early_ontime": "Trước hạn, đúng hạn",
    "resolved_late": "Quá hạn",
    "pending_total": "Đang giải quyết",
    "pending_within": "Chưa đến hạn",
    "pending_overdue": "Đang quá hạn",
    "returned_withdrawn": "Trả lại, rút hồ sơ",
    "apology_letters": "Thư xin lỗi",
}
# Whose dossiers a TTHC record counts: the whole province, or one department, district or commune (named in
# ``agency``). A department's counts are never the province's.
TTHC_SCOPES = ("province", "department", "district", "commune")
TTHC = Table(
    "tthc",
    "tthc.csv",
    (
        Column("province", "province", True, label="Tỉnh"),
        Column("agency", "str", help="department or level; empty for the whole province", label="Cơ quan"),
        Column(
            "scope",
            "str",
            False,
            TTHC_SCOPES,
            help="whose dossiers: 'province' (agency empty; the default), or 'department', 'district', "
            "'commune' (agency names it; never 'province')",
            label="Phạm vi",
        ),
        Column("year", "year", True, label="Năm"),
        Column("period_start", "date", True, label="Từ ngày"),
        Column("period_end", "date", True, label="Đến ngày"),
        *(Column(c, "int", label=TTHC_LABELS[c]) for c in TTHC_COUNTS),
        SOURCE,
        NOTE,
        *READER_NOTES,
    ),
    key=("province", "agency", "period_start", "period_end"),
    help="raw counts of administrative-procedure dossiers; rates are computed, never stored",
)

UNIT_LEVELS = ("department", "district", "commune")
UNIT_RANKINGS = Table(
    "unit_rankings",
    "unit_rankings.csv",
    (
        Column("province", "province", True, label="Tỉnh"),
        Column("year", "year", True, label="Năm"),
        Column("level", "str", True, UNIT_LEVELS, label="Cấp"),
        Column("unit", "str", True, help="name of the department (sở) or district (huyện)", label="Tên đơn vị"),
        Column("score", "float", label="Điểm"),
        Column("rank", "int", label="Xếp hạng"),
        Column("rank_of", "int", label="Trên tổng số"),
        Column("group", "str", help="band or group named by the source, e.g. 'xếp hạng cao'", label="Nhóm"),
        Column(
            "listed_order",
            "int",
            help="position in the source's list when no rank is given",
            label="Thứ tự trong danh sách",
        ),
        SOURCE,
        NOTE,
    ),
    key=("province", "year", "level", "unit"),
    help="in-province PAR rankings of departments and districts",
)

# Where a plan-execution figure comes from: a publication (an inspection report, an article quoting one) or
# the user's own entry (e.g. a department's internal report), which reports mark as the user's input.
PLAN_ORIGINS = ORIGINS[:2]
PLAN_TASKS = Table(
    "plan_tasks",
    "plan_tasks.csv",
    (
        Column("province", "province", True, label="Tỉnh"),
        Column("agency", "str", help="department or level; empty for the province's own plan", label="Cơ quan"),
        Column("year", "year", True, label="Năm"),
        Column(
            "plan",
            "str",
            True,
            help="the plan as named, e.g. 'Kế hoạch CCHC năm 2023 (QĐ 123/QĐ-UBND)'",
            label="Kế hoạch",
        ),
        Column("tasks_planned", "int", True, help="tasks in the plan", label="Số nhiệm vụ theo kế hoạch"),
        Column("tasks_completed", "int", True, help="tasks completed", label="Số nhiệm vụ đã hoàn thành"),
        Column(
            "as_of", "date", help="date the counts refer to (e.g. the inspection's), YYYY-MM-DD", label="Tính đến ngày"
        ),
        Column(
            "origin",
            "str",
            True,
            PLAN_ORIGINS,
            help="'published' (printed by the source) or 'user' (your own entry, marked so in reports)",
            label="Nguồn gốc số liệu",
        ),
        SOURCE,
        NOTE,
    ),
    key=("province", "agency", "year", "plan", "source"),
    help="tasks of a year's reform plan completed, as an inspection report (or the user) states them",
)

# What a publisher published of an index in a year (data/README.md "Publication limits"): every province
# ('all'), only its top n ('top_n': PCI from 2023, the top 30), or the units formed in 2025 ('new_units').
# A row covers one generation (provinces.covered_generation); an (index, year) has at most one row per generation
# (DTI 2024: the 63 and the 34).
COVERAGES = ("all", "top_n", "new_units")


PUBLICATION = Table(
    "publication",
    "publication.csv",
    (
        Column("index", "str", True, CODES, label="Chỉ số"),
        Column("year", "year", True, label="Năm"),
        Column(
            "coverage",
            "str",
            True,
            COVERAGES,
            help="'all' provinces of the year, 'top_n' (only the first n ranked), 'new_units' (the 34 units of 2025, "
            "ranked apart in a year of the 63); one row per generation",
            label="Phạm vi công bố",
        ),
        Column("n", "int", True, help="provinces (units) whose figures were published", label="Số tỉnh công bố"),
        SOURCE,
        NOTE,
    ),
    key=("index", "year", "coverage"),
    help="what the publisher published of an index each year: all provinces, its top n, or the new units",
)

TABLES = (INDEX_FIGURES, MEANS, TARGETS, TTHC, UNIT_RANKINGS, PLAN_TASKS, PUBLICATION)
TABLES_BY_NAME = {t.name: t for t in TABLES}
