"""Names an analyst types, resolved like provinces (``Registry.resolve``): an index, a region or means scope,
a component, a year. Usual spellings are accepted (Vietnamese with or without accents, English, "PAR INDEX",
"Chỉ số CCHC", a component's short code); anything else raises an ``UnknownName`` of ``cchc.errors`` that
lists the valid values and the nearest match, never an empty answer.

>>> resolve_index("Chỉ số CCHC"), resolve_index("par index"), resolve_index("chi so nang luc canh tranh")
('PAR', 'PAR', 'PCI')
>>> component_code("PAPI", "Công khai, minh bạch"), component_code("PAR", "Cải cách tổ chức bộ máy hành chính nhà nước")
('transparency', 'apparatus')
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from ..catalogue import NAMES, TEXTS
from ..errors import UnknownComponent, UnknownIndex, UnknownRegion, YearOutOfRange
from .provinces import fold
from .schema import INDICES

NATIONAL = "national"
_NATIONAL_SPELLINGS = ("national", "nation", "country", "ca nuoc", "toan quoc", "quoc gia", "vietnam", "viet nam")

# Short stable codes of the components (areas, dimensions, sub-indices, pillars), one per meaning: a renamed
# area keeps its code ('Cải cách tổ chức bộ máy' and its 2020 name share 'apparatus').
COMPONENT_CODES: dict[str, dict[str, str]] = {
    "PAR": {
        "Công tác chỉ đạo, điều hành CCHC": "direction",
        "Cải cách thể chế": "institutions",
        "Xây dựng và tổ chức thực hiện văn bản QPPL": "legal_documents",
        "Cải cách thủ tục hành chính": "procedures",
        "Cải cách tổ chức bộ máy": "apparatus",
        "Cải cách tổ chức bộ máy hành chính nhà nước": "apparatus",
        "Cải cách chế độ công vụ": "civil_service",
        "Xây dựng và nâng cao chất lượng đội ngũ CBCCVC": "civil_servants",
        "Cải cách tài chính công": "public_finance",
        "Hiện đại hóa hành chính": "modernisation",
        "Hiện đại hóa hành chính (CQĐT/CQS)": "modernisation",
        "Xây dựng và phát triển chính quyền điện tử, chính quyền số": "e_government",
        "Tác động đến phát triển KT-XH": "impact",
        "Tác động của CCHC đến phát triển KT-XH": "impact",
        "Tác động của CCHC đến người dân, tổ chức và phát triển KT-XH": "impact",
        "Chỉ số SIPAS (thành phần của PAR)": "sipas_part",
        "Khảo sát lãnh đạo quản lý": "leaders_survey",
        "Điểm thẩm định": "appraisal",
        "Điểm thẩm định kết quả thực hiện nhiệm vụ CCHC": "appraisal",
        "Điểm đánh giá tác động của CCHC": "impact_total",
    },
    "PAPI": {
        "Tham gia của người dân ở cấp cơ sở": "participation",
        "Công khai, minh bạch": "transparency",
        "Trách nhiệm giải trình với người dân": "accountability",
        "Kiểm soát tham nhũng trong khu vực công": "corruption_control",
        "Thủ tục hành chính công": "procedures",
        "Cung ứng dịch vụ công": "service_delivery",
        "Quản trị môi trường": "environment",
        "Quản trị điện tử": "e_governance",
    },
    "PCI": {
        "Gia nhập thị trường": "entry",
        "Tiếp cận đất đai": "land",
        "Tính minh bạch": "transparency",
        "Chi phí thời gian": "time_costs",
        "Chi phí không chính thức": "informal_charges",
        "Cạnh tranh bình đẳng": "policy_bias",
        "Tính năng động": "proactivity",
        "Dịch vụ hỗ trợ doanh nghiệp": "business_support",
        "Đào tạo lao động": "labour_training",
        "Thiết chế pháp lý": "legal_institutions",
        "Thiết chế pháp lý & ANTT": "law_and_order",
        "Ưu đãi đối với doanh nghiệp nhà nước": "soe_bias",
        "Chính sách phát triển khu vực kinh tế tư nhân": "private_sector_policy",
        "Thực hiện chính sách của Trung ương": "central_policy",
    },
    "DTI": {
        "Chính quyền số (pillar)": "government",
        "Kinh tế số (pillar)": "economy",
        "Xã hội số (pillar)": "society",
        "Hoạt động chính quyền số": "government_activity",
        "Hoạt động kinh tế số": "economy_activity",
        "Hoạt động xã hội số": "society_activity",
        "Hạ tầng số": "infrastructure",
        "Nhân lực số": "human_resources",
        "Nhận thức số": "awareness",
        "Thể chế số": "institutions",
        "An toàn thông tin mạng": "cyber_security",
    },
}


def _index_spellings() -> dict[str, str]:
    keys = {}
    for index in INDICES:
        names = [index, f"{index} index", f"chi so {index}"]
        for key in (f"index.{index}", f"index_short.{index}"):
            names += TEXTS[key].values()
        for name in names:
            keys[fold(name)] = index
    keys.update({fold(k): "PAR" for k in ("CCHC", "Chỉ số cải cách hành chính", "PAR-INDEX", "PARINDEX")})
    keys.update({fold(k): "SIPAS" for k in ("Chỉ số hài lòng", "Chỉ số hài lòng về sự phục vụ hành chính")})
    keys.update({fold(k): "PCI" for k in ("Chỉ số năng lực cạnh tranh", "Chỉ số năng lực cạnh tranh cấp tỉnh")})
    keys.update({fold(k): "DTI" for k in ("Chỉ số chuyển đổi số", "Chuyển đổi số")})
    keys.update({fold(k): "PAPI" for k in ("Chỉ số hiệu quả quản trị và hành chính công cấp tỉnh",)})
    return keys


_INDEX_KEYS = _index_spellings()


def nearest(raw: str, keys: Iterable[str], label) -> list[str]:
    """The valid values whose folded spellings are closest to ``raw`` (``label``: key -> value shown)."""
    found = difflib.get_close_matches(fold(raw), list(keys), n=5, cutoff=0.5)
    return list(dict.fromkeys(label(k) for k in found))


def resolve_index(raw: str) -> str:
    """The index code meant by ``raw`` ('PAR', 'SIPAS', 'PAPI', 'PCI', 'DTI'); UnknownIndex otherwise."""
    found = _INDEX_KEYS.get(fold(raw)) if isinstance(raw, str) else None
    if found is None:
        raise UnknownIndex(raw, list(INDICES), nearest(str(raw), _INDEX_KEYS, _INDEX_KEYS.get))
    return found


def resolve_indices(raw: str | Iterable[str] | None) -> list[str]:
    """Several indices (None: all, in the suite's order)."""
    if raw is None:
        return list(INDICES)
    return list(dict.fromkeys(resolve_index(i) for i in ([raw] if isinstance(raw, str) else raw)))


def region_keys(regions: Iterable[str], national: bool = False) -> dict[str, str]:
    """Folded spellings (Vietnamese with or without accents, English) of each region; with ``national``
    those of the country as a means scope ('national', 'cả nước', 'toàn quốc')."""
    keys = {}
    for region in regions:
        keys[fold(region)] = region
        english = NAMES.get(f"region_name.{region}", {}).get("en")
        if english:
            keys[fold(english)] = region
    if national:
        keys.update({fold(k): NATIONAL for k in _NATIONAL_SPELLINGS})
    return keys


def resolve_region(raw: str, regions: Iterable[str], national: bool = False) -> str:
    """The region (as in provinces.csv) meant by ``raw``; with ``national``, 'national' for the country."""
    regions = sorted(set(regions))
    keys = region_keys(regions, national)
    found = keys.get(fold(raw)) if isinstance(raw, str) else None
    if found is None:
        valid = ([NATIONAL] if national else []) + regions
        raise UnknownRegion(raw, valid, nearest(str(raw), keys, keys.get))
    return found


def component_code(index: str, component: str) -> str:
    """The short stable code of a component ('' for the index itself or a component without one)."""
    return COMPONENT_CODES.get(index, {}).get(component, "")


def resolve_component(raw: str, index: str, components: Iterable[str]) -> str:
    """The component of ``index`` meant by ``raw`` (its Vietnamese name with or without accents, its English
    name, or its code), among the ``components`` the data hold; '' (the index itself) passes through."""
    if raw == "":
        return ""
    names = sorted(set(components) - {""})
    keys: dict[str, list[str]] = {}
    for name in names:
        english = NAMES.get(f"component.{name}", {}).get("en", "")
        for key in {fold(name), fold(english), fold(component_code(index, name))} - {""}:
            keys.setdefault(key, []).append(name)
    found = keys.get(fold(raw), []) if isinstance(raw, str) else []
    exact = [n for n in found if n == raw]
    if len(found) == 1 or exact:
        return (exact or found)[0]
    if found:  # one code for a renamed area: every name it had
        raise UnknownComponent(raw, found, note=" The code names several components: give the name.")
    valid = [f"{n} ({component_code(index, n)})" if component_code(index, n) else n for n in names]
    raise UnknownComponent(raw, valid, nearest(str(raw), keys, lambda k: keys[k][0]), note=f" (index {index})")


def check_year(year: int, first: int, last: int, what: str = "the data") -> int:
    """``year`` as an int when ``first`` <= year <= ``last``; YearOutOfRange naming the range otherwise."""
    try:
        y = int(year)
    except (TypeError, ValueError):
        raise YearOutOfRange(f"Year {year!r} is not a year; {what} cover {first}–{last}.") from None
    if not first <= y <= last or y != year:
        raise YearOutOfRange(f"Year {year!r} is outside {what}: {first}–{last}.")
    return y
