"""Names as publishers print them: provinces (with their spellings) and the components of each index.

Labels are compared folded (no diacritics, no case, see provinces.fold), so 'Tiếp cận \\nđất đai' and
'Tiep can dat dai' are the same label.
"""

from __future__ import annotations

import re

from ..indices import SHIPPED
from ..provinces import MERGER_YEAR, ProvinceMerged, Registry, UnknownProvince, fold

HA_TAY = "ha-tay"  # Hà Tây (merged into Hà Nội on 2008-08-01): in PCI 2005-2008, no slug in the registry

# Spellings found in the publishers' files that the registry's names do not cover (folded -> slug).
PROVINCE_SPELLINGS = {
    "tt hue": "thua-thien-hue",
    "hue": "thua-thien-hue",
    "thua thien hue": "thua-thien-hue",
    "hcmc": "ho-chi-minh",
    "hcm": "ho-chi-minh",
    "ho chi minh city": "ho-chi-minh",
    "brvt": "ba-ria-vung-tau",
    "ba ria vung tau": "ba-ria-vung-tau",
    "bac can": "bac-kan",
    "dac lak": "dak-lak",
    "dak lak": "dak-lak",
    "daklak": "dak-lak",
    "dac nong": "dak-nong",
    "dak nong": "dak-nong",
}
# Rows of a ranked table that are statistics, not provinces.
STATISTIC_ROWS = (
    "max",
    "min",
    "trung vi",
    "trung binh",
    "cao nhat",
    "thap nhat",
    "diem cao nhat",
    "diem thap nhat",
    "highest",
    "lowest",
    "median",
    "mean",
    "average",
    "xep hang",
    "thu tu",
)

# PCI sub-indices: (folded keywords, any of which names it) -> component label used in data/.
# Checked in order; the labels of the 2005-2008 sub-indices that were later replaced are kept as printed.
PCI_COMPONENTS = (
    (("gia nhap thi truong", "entry cost"), "Gia nhập thị trường"),
    (("tiep can dat dai", "land access", "land use right"), "Tiếp cận đất đai"),
    (("minh bach", "transparency"), "Tính minh bạch"),
    (("chi phi khong chinh thuc", "informal charge"), "Chi phí không chính thức"),
    (("chi phi thoi gian", "chi phi ve thoi gian", "time cost", "regulatory compliance"), "Chi phí thời gian"),
    (("thuc hien chinh sach", "implementation and consistency"), "Thực hiện chính sách của Trung ương"),
    (("uu dai doi voi", "soe bias"), "Ưu đãi đối với doanh nghiệp nhà nước"),
    (("canh tranh binh dang", "bias"), "Cạnh tranh bình đẳng"),
    (("nang dong", "proactivity"), "Tính năng động"),
    (
        ("chinh sach phat trien", "phat trien khu vuc", "private sector development"),
        "Chính sách phát triển khu vực kinh tế tư nhân",
    ),
    (("ho tro doanh nghiep", "ho tro dn", "business support"), "Dịch vụ hỗ trợ doanh nghiệp"),
    (("dao tao lao dong", "labor", "labour"), "Đào tạo lao động"),
    (("an ninh trat tu", "antt"), "Thiết chế pháp lý & ANTT"),
    (("thiet che phap ly", "legal institution"), "Thiết chế pháp lý"),
)
# The components' names as data/ writes them, from the indices' records: PAPI's dimensions, and the DTI main
# indices (its pillars are the areas; the press writes them without '(pillar)', press.DTI_PILLARS).
PAPI_DIMENSIONS = tuple(c.name for c in SHIPPED["PAPI"].components)
DTI_INDICES = tuple(c.name for c in SHIPPED["DTI"].components if not c.area)


def resolve_province(value: object, registry: Registry, year: int) -> str | None:
    """The slug of a province name or GSO code as a publisher prints it; HA_TAY for Hà Tây; None when
    the text names no province (a statistic row, a region, a header)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    folded = fold(text)
    if not folded or folded in STATISTIC_ROWS:
        return None
    if folded == "ha tay":
        return HA_TAY
    if folded in PROVINCE_SPELLINGS and year < MERGER_YEAR:  # from 2025 'Huế', 'Đắk Lắk' are new units
        return PROVINCE_SPELLINGS[folded]
    if re.fullmatch(r"[\d.]+", text) and not text.isdigit():
        return None  # a number such as 8.35 is a value, not a code
    try:
        return registry.resolve(text, year).slug
    except (UnknownProvince, ProvinceMerged):
        return None


def pci_component(label: str) -> str | None:
    """The PCI sub-index a column label names, or None."""
    folded = fold(label)
    for keywords, component in PCI_COMPONENTS:
        if any(re.search(rf"\b{k}", folded) for k in keywords):
            return component
    return None


def exact_component(label: str, names: tuple[str, ...]) -> str | None:
    """The one of ``names`` that a label spells (folded), or None."""
    folded = fold(label)
    return next((name for name in names if fold(name) == folded), None)
