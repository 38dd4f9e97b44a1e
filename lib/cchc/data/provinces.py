"""Registry of provinces: the 63 valid until 2025-06-30 and the 34 units from 2025-07-01.

The key is the slug (``dak-nong``, ``lam-dong-2025``); GSO codes are never a key on their own
because seven codes were reused for a different unit in 2025.

Regions: the six socio-economic regions of NQ 81/2023/QH15 list the 63 old provinces. No official list
assigns the 34 new units to them, so a new unit's region is derived by one rule (``seat_region``): the
region of the predecessor whose GSO code the unit keeps (its seat, QĐ 19/2025/QĐ-TTg). ``region_derived``
says so, and ``predecessor_regions`` lists every region its predecessors lay in (two for Phú Thọ, Bắc Ninh,
Quảng Ngãi, Gia Lai, Đắk Lắk, Lâm Đồng and Tây Ninh). The 11 units not rearranged (NQ 202/2025/QH15: Hà Nội,
Huế, …) are each their one old province (``unchanged``): its region is the published one, not derived.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..errors import BadInput, Problem
from ..errors import ProvinceMerged as ProvinceMerged  # defined in cchc.errors, importable from here too
from ..errors import UnknownProvince as UnknownProvince

MERGER_YEAR = 2025  # first results year that belongs to the 34 new units
OLD, NEW = 63, 34
_PREFIXES = ("thanh pho truc thuoc trung uong", "thanh pho", "tinh", "tp.", "tp ", "t.p.", "tp-")


@dataclass(frozen=True)
class Province:
    slug: str
    name: str
    generation: int  # 63 (until 2025-06-30) or 34 (from 2025-07-01)
    gso_code: str
    region: str  # socio-economic region (NQ 81/2023/QH15; for new units derived, see ``region_derived``)
    successor: str = ""  # slug of the new unit an old province joined
    aliases: tuple[str, ...] = ()
    predecessors: tuple[str, ...] = field(default=())  # old slugs a new unit was formed from
    region_derived: bool = False  # True: the region of the predecessor whose GSO code the unit keeps
    predecessor_regions: tuple[str, ...] = ()  # regions of a new unit's predecessors, the seat's first

    @property
    def is_new(self) -> bool:
        return self.generation == NEW

    @property
    def unchanged(self) -> bool:
        """A unit of 2025 that was not rearranged (NQ 202/2025/QH15): its one old province, perhaps renamed."""
        return self.is_new and len(self.predecessors) == 1


def fold(text: str) -> str:
    """Lower-case, diacritics-free, prefix-free form of a name: 'Tỉnh Đắk Nông' -> 'dak nong'."""
    text = unicodedata.normalize("NFD", str(text).strip().replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"\s+", " ", text)
    for prefix in _PREFIXES:
        if text.startswith(prefix):
            text = text[len(prefix) :]
            break
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


_ALPHABET = "0123456789aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền hỏi ngã sắc nặng


@lru_cache(maxsize=4096)  # the same hundred names, sorted in every table
def vi_sort_key(text: str) -> tuple:
    """Vietnamese dictionary order: letters first (ă after a, đ after d, ư after u), then the tones
    (none, huyền, hỏi, ngã, sắc, nặng); 'Bạc Liêu' < 'Bình Định' < 'Cà Mau' < 'Đà Nẵng' < 'Điện Biên'."""
    letters, tones = [], []
    for ch in unicodedata.normalize("NFC", str(text)).casefold():
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
        letters.append(_ALPHABET.index(base) + 1 if base in _ALPHABET else 0)  # spaces, '-' before letters
        tones.append(next((_TONES[c] for c in parts if c in _TONES), 0))
    return tuple(letters), tuple(tones), str(text)


def vi_order(names) -> list[int]:
    """Each name's place in Vietnamese order (``vi_sort_key``, 0 first): a column to sort a table by, before
    or after others ('delta', then the name)."""
    names = [str(n) for n in names]
    place = {n: i for i, n in enumerate(sorted(set(names), key=vi_sort_key))}
    return [place[n] for n in names]


def seat_region(unit: dict[str, str], predecessors: list[dict[str, str]]) -> str | None:
    """The region of a new unit by the registry's rule: that of the one predecessor whose GSO code the unit
    keeps (the seat of the new province, QĐ 19/2025/QĐ-TTg); None when no single predecessor has it.

    >>> seat_region({"gso_code": "24"}, [{"gso_code": "24", "region": "Trung du và miền núi phía Bắc"},
    ...                                  {"gso_code": "27", "region": "Đồng bằng sông Hồng"}])
    'Trung du và miền núi phía Bắc'
    """
    seat = [p for p in predecessors if p["gso_code"] == unit["gso_code"]]
    return seat[0]["region"] or None if len(seat) == 1 else None


def generation_for_year(year: int) -> int:
    return NEW if year >= MERGER_YEAR else OLD


def covered_generation(coverage: str, year: int) -> int:
    """The generation a publication row (data/publication.csv) is about: the 34 units of 2025 for 'new_units'
    (ranked apart in a year of the 63), else the year's own provinces (63 up to 2024, 34 from 2025)."""
    return NEW if coverage == "new_units" else generation_for_year(year)


class Registry:
    """Looks up provinces by what users type: names in any spelling, slugs, old GSO codes."""

    def __init__(self, provinces: list[Province]):
        self._by_slug = {p.slug: p for p in provinces}
        self._by_key: dict[str, list[Province]] = {}
        for p in provinces:
            for key in {fold(p.name), fold(p.slug), *(fold(a) for a in p.aliases)}:
                self._by_key.setdefault(key, []).append(p)
            if p.slug.endswith("-2025"):
                self._by_key.setdefault(fold(p.slug[:-5]), []).append(p)
        self._old_codes = {p.gso_code: p for p in provinces if p.generation == OLD}
        self._new_codes = {p.gso_code: p for p in provinces if p.generation == NEW}

    def fingerprint(self) -> str:
        """A digest of every province as read (what a data file's rows were checked against)."""
        return hashlib.sha256(repr(list(self._by_slug.values())).encode()).hexdigest()

    @classmethod
    def from_csv(cls, path: Path) -> Registry:
        """The registry in a provinces.csv file; BadInput naming file, row and column when it is malformed."""
        rows, problems = read_registry_rows(Path(path))
        if any(p.severity == "error" for p in problems):
            raise BadInput(problems)
        preds: dict[str, list[dict[str, str]]] = {}
        for r in rows:
            if r["successor"]:
                preds.setdefault(r["successor"], []).append(r)
        provinces = []
        for r in rows:
            before = preds.get(r["slug"], [])
            derived = r["generation"] == str(NEW) and not r["region"]
            region = (seat_region(r, before) or "") if derived else r["region"]
            derived = derived and len(before) > 1  # one old province: its own published region
            regions = [region] + [p["region"] for p in before if p["region"] != region]
            provinces.append(
                Province(
                    slug=r["slug"],
                    name=r["name"],
                    generation=int(r["generation"]),
                    gso_code=r["gso_code"],
                    region=region,
                    successor=r["successor"],
                    aliases=tuple(a.strip() for a in r["aliases"].split(";") if a.strip()),
                    predecessors=tuple(p["slug"] for p in before),
                    region_derived=derived,
                    predecessor_regions=tuple(dict.fromkeys(regions)) if before else (),
                )
            )
        return cls(provinces)

    def __iter__(self):
        return iter(self._by_slug.values())

    def __contains__(self, slug: str) -> bool:
        return slug in self._by_slug

    def get(self, slug: str) -> Province:
        return self._by_slug[slug]

    def valid_in(self, year: int) -> list[Province]:
        """Provinces whose results exist for a results year: the 63 up to 2024, the 34 after."""
        gen = generation_for_year(year)
        return [p for p in self._by_slug.values() if p.generation == gen]

    def generation(self, gen: int) -> list[Province]:
        return [p for p in self._by_slug.values() if p.generation == gen]

    def predecessors(self, slug: str) -> list[Province]:
        return [self._by_slug[s] for s in self._by_slug[slug].predecessors]

    def resolve(self, text: str | int, year: int | None = None) -> Province:
        """The province meant by ``text``; with ``year``, the unit valid in that results year.

        Raises UnknownProvince (with the closest candidates) or ProvinceMerged.
        """
        raw = str(text).strip()
        if raw in self._by_slug:
            found = [self._by_slug[raw]]
        elif raw.isdigit():
            code = raw.zfill(2)
            table = self._new_codes if year is not None and year >= MERGER_YEAR else self._old_codes
            if code not in table:
                raise UnknownProvince(
                    f"No province has GSO code '{raw}'"
                    f"{' after' if table is self._new_codes else ' before'} the 2025 merger."
                )
            found = [table[code]]
        else:
            found = self._by_key.get(fold(raw), [])
        if not found:
            raise UnknownProvince(self._unknown_message(raw))
        if year is None:
            old = [p for p in found if p.generation == OLD]
            return (old or found)[0]
        wanted = generation_for_year(year)
        for p in found:
            if p.generation == wanted:
                return p
        p = found[0]
        if p.generation == OLD:
            new = self._by_slug[p.successor]
            raise ProvinceMerged(
                f"'{p.name}' ({p.slug}) no longer exists as a province in {year}: from 1 July 2025 it is part of "
                f"'{new.name}' ({new.slug}). Ask for {new.slug}, whose report shows {p.name}'s history."
            )
        return p  # a new unit in a year before the merger: only figures published for the 34 units

    def _unknown_message(self, raw: str) -> str:
        keys = difflib.get_close_matches(fold(raw), list(self._by_key), n=5, cutoff=0.6)
        names = []
        for k in keys:
            for p in self._by_key[k]:
                label = f"{p.name} ({p.slug})"
                if label not in names:
                    names.append(label)
        hint = f" Did you mean: {', '.join(names)}?" if names else ""
        return f"Unknown province '{raw}'.{hint}"


REGISTRY_COLUMNS = ("slug", "name", "generation", "gso_code", "region", "successor", "aliases")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def read_registry_rows(path: Path, rel: str = "provinces.csv") -> tuple[list[dict[str, str]], list[Problem]]:
    """The rows of a provinces.csv file as text, checked like every data file (file, row, column):
    encoding, separator, header, cells per row, slugs, generations, GSO codes and successors."""
    from .csvfile import cells_problem, read_records

    header, records, problems = read_records(path, rel)
    if header is None:
        return [], problems
    missing = [c for c in REGISTRY_COLUMNS if c not in header]
    problems += [
        Problem(rel, 1, c, f"missing column '{c}': the first row must name the columns {', '.join(REGISTRY_COLUMNS)}")
        for c in missing
    ]
    if missing:
        return [], problems
    if not records:
        return [], problems + [Problem(rel, 2, None, "the registry lists no province")]
    rows = []
    seen: dict[str, int] = {}
    for number, cells in records:
        if len(cells) != len(header):
            problems.append(
                cells_problem(rel, number, cells, len(header))
                or Problem(
                    rel,
                    number,
                    header[len(cells)] if len(cells) < len(header) else None,
                    f"row has {len(cells)} cells but the header names {len(header)} columns",
                )
            )
            continue
        row = {name: unicodedata.normalize("NFC", cells[header.index(name)]).strip() for name in REGISTRY_COLUMNS}
        row["_row"] = str(number)
        if not _SLUG.match(row["slug"]):
            problems.append(
                Problem(
                    rel,
                    number,
                    "slug",
                    f"'{row['slug']}' is not a slug (lower-case letters, digits and '-', e.g. dak-nong)",
                )
            )
        elif row["slug"] in seen:
            problems.append(Problem(rel, number, "slug", f"slug '{row['slug']}' is already on row {seen[row['slug']]}"))
        seen.setdefault(row["slug"], number)
        if not row["name"]:
            problems.append(Problem(rel, number, "name", "missing name"))
        if row["generation"] not in (str(OLD), str(NEW)):
            problems.append(
                Problem(
                    rel,
                    number,
                    "generation",
                    f"generation must be {OLD} (until 2025-06-30) or "
                    f"{NEW} (from 2025-07-01), got '{row['generation']}'",
                )
            )
        if not row["gso_code"].isdigit():
            problems.append(Problem(rel, number, "gso_code", f"GSO code must be digits, got '{row['gso_code']}'"))
        rows.append(row)
    if len(rows) < len(records):  # a unit on a skipped row would look missing
        return rows, problems
    new_units = {r["slug"] for r in rows if r["generation"] == str(NEW)}
    problems += [
        Problem(
            rel,
            int(r["_row"]),
            "successor",
            f"successor '{r['successor']}' is not one of the units of generation 34 in this file",
        )
        for r in rows
        if r["successor"] and r["successor"] not in new_units
    ]
    problems += [
        Problem(
            rel,
            int(r["_row"]),
            "region",
            "missing region: an old province needs its socio-economic region (NQ 81/2023/QH15)",
        )
        for r in rows
        if r["generation"] == str(OLD) and not r["region"]
    ]
    problems += [
        Problem(
            rel,
            int(r["_row"]),
            "region",
            f"no region for new unit '{r['slug']}': none is official, and "
            "it is derived from the one predecessor whose GSO code "
            f"{r['gso_code']} the unit keeps, which none (or several) has",
        )
        for r in rows
        if r["generation"] == str(NEW)
        and not r["region"]
        and not seat_region(r, [p for p in rows if p["successor"] == r["slug"]])
    ]
    return rows, problems


@lru_cache(maxsize=4)
def load_registry(data_dir: Path | str = "data") -> Registry:
    return Registry.from_csv(Path(data_dir) / "provinces.csv")
