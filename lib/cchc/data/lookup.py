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
import functools
from collections.abc import Iterable

from ..catalogue import NAMES, TEXTS
from ..errors import UnknownComponent, UnknownIndex, UnknownRegion, YearOutOfRange
from .indices import IndexRegistry, active, codes, record
from .provinces import fold

NATIONAL = "national"
_NATIONAL_SPELLINGS = ("national", "nation", "country", "ca nuoc", "toan quoc", "quoc gia", "vietnam", "viet nam")


@functools.cache
def _index_spellings(registry: IndexRegistry) -> dict[str, str]:
    """Folded spellings of each index of ``registry``: its code, its names in the catalogues, the record's
    ``spellings``."""
    keys = {}
    for rec in registry:
        index = rec.code
        names = [index, f"{index} index", f"chi so {index}"]
        for key in (rec.name_key, rec.short_key):
            names += TEXTS[key].values()
        for name in names:
            keys[fold(name)] = index
    for rec in registry:
        keys.update({fold(k): rec.code for k in rec.spellings})
    return keys


def nearest(raw: str, keys: Iterable[str], label) -> list[str]:
    """The valid values whose folded spellings are closest to ``raw`` (``label``: key -> value shown)."""
    found = difflib.get_close_matches(fold(raw), list(keys), n=5, cutoff=0.5)
    return list(dict.fromkeys(label(k) for k in found))


def resolve_index(raw: str) -> str:
    """The index code meant by ``raw`` ('PAR', 'SIPAS', 'PAPI', 'PCI', 'DTI'); UnknownIndex otherwise."""
    keys = _index_spellings(active())
    found = keys.get(fold(raw)) if isinstance(raw, str) else None
    if found is None:
        raise UnknownIndex(raw, list(codes()), nearest(str(raw), keys, keys.get))
    return found


def resolve_indices(raw: str | Iterable[str] | None) -> list[str]:
    """Several indices (None: all, in the suite's order)."""
    if raw is None:
        return list(codes())
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
    rec = record(index)
    return rec.component_code(component) if rec else ""


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
