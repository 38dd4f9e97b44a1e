"""Province boundaries: geoBoundaries' ADM1 file for Vietnam brought into ``data/geo/`` and read back.

``convert`` turns the publisher's GeoJSON into the suite's file, never by hand:

- each feature is matched to the registry by its name (``Registry.resolve``); a feature whose name is no
  province (Côn Đảo, a district of Bà Rịa - Vũng Tàu) joins the province that has its ISO 3166-2 code;
- the 63 provinces are the features of each province dissolved into one shape; the 34 units of 2025 are the
  63 dissolved along the registry's merger table (the merger joined whole provinces);
- each generation is simplified as a coverage (``shapely.coverage_simplify``: shared borders stay shared, no
  gaps or slivers) to what an A4 page and a phone show, coordinates rounded to 0.001° (about 100 m).

The archipelagos stay in their province's shape (Hoàng Sa: Đà Nẵng; Trường Sa: Khánh Hòa), as the source
draws them; ``ARCHIPELAGOS`` names the boxes a map draws them from.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import BadInput, Problem
from .provinces import NEW, OLD, Registry, UnknownProvince

GEO_DIR = "geo"
BOUNDARIES = "geo/boundaries.geojson"
SOURCE_FILE = "geoBoundaries-VNM-ADM1_simplified.geojson"
TOLERANCE = 0.03  # degrees (coverage_simplify: about the side of the smallest kept triangle; ~3 km)
PRECISION = 0.001  # degrees
CITATION = (
    "geoBoundaries, www.geoboundaries.org: Runfola D. et al. (2020) geoBoundaries: A global database of "
    "political administrative boundaries. PLoS ONE 15(4): e0231866. https://doi.org/10.1371/journal.pone.0231866"
)


@dataclass(frozen=True)
class Archipelago:
    slug: str
    name: str  # in Vietnamese in every report
    owner: str  # the old province whose shape holds it
    box: tuple[float, float, float, float]  # lon/lat bounds its islands lie in

    @property
    def short_name(self) -> str:
        return self.name.removeprefix("Quần đảo ")


ARCHIPELAGOS = (
    Archipelago("hoang-sa", "Quần đảo Hoàng Sa", "da-nang", (110.5, 15.0, 113.5, 17.8)),
    Archipelago("truong-sa", "Quần đảo Trường Sa", "khanh-hoa", (111.0, 6.0, 118.0, 12.5)),
)


def read_source(path: Path) -> list[dict]:
    """The features of a geoBoundaries GeoJSON (or of the folder holding ``SOURCE_FILE``): name, ISO code,
    shape."""
    from shapely.geometry import shape

    path = Path(path)
    if path.is_dir():
        path = path / SOURCE_FILE
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        features = doc["features"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise BadInput([Problem(path.name, None, None, f"not a GeoJSON FeatureCollection: {exc}")]) from exc
    return [
        {
            "name": f["properties"].get("shapeName", ""),
            "iso": f["properties"].get("shapeISO", ""),
            "geometry": shape(f["geometry"]),
            "row": n,
        }
        for n, f in enumerate(features, start=1)
    ]


def match_provinces(features: list[dict], registry: Registry, file: str = SOURCE_FILE) -> dict[str, object]:
    """The shape of each of the 63 provinces: its features dissolved. A feature whose name is no province
    joins the province of its ISO code; BadInput names every feature left over and every province without
    a shape."""
    import shapely

    slugs: dict[int, str] = {}
    problems = []
    for f in features:
        try:
            slugs[f["row"]] = registry.resolve(f["name"], year=2024).slug
        except UnknownProvince:
            pass
    iso_of = {f["iso"]: slugs[f["row"]] for f in features if f["row"] in slugs and f["iso"]}
    for f in features:
        if f["row"] not in slugs:
            if f["iso"] in iso_of:
                slugs[f["row"]] = iso_of[f["iso"]]
            else:
                problems.append(Problem(file, f["row"], "shapeName", f"'{f['name']}' matches no province"))
    parts: dict[str, list] = {}
    for f in features:
        if f["row"] in slugs:
            parts.setdefault(slugs[f["row"]], []).append(f["geometry"])
    problems += [
        Problem(file, None, "shapeName", f"no feature for {p.name} ({p.slug})")
        for p in registry.generation(OLD)
        if p.slug not in parts
    ]
    if problems:
        raise BadInput(problems)
    return {slug: shapely.union_all(g) if len(g) > 1 else g[0] for slug, g in parts.items()}


def dissolve_units(old: dict[str, object], registry: Registry) -> dict[str, object]:
    """The 34 units of 2025: each the union of its predecessors' shapes (the registry's merger table)."""
    import shapely

    return {unit.slug: shapely.union_all([old[p] for p in unit.predecessors]) for unit in registry.generation(NEW)}


def simplified(shapes: dict[str, object], tolerance: float = TOLERANCE) -> dict[str, object]:
    """The shapes simplified together as one coverage, coordinates rounded to ``PRECISION``."""
    import numpy as np
    import shapely

    slugs = sorted(shapes)
    out = shapely.coverage_simplify(np.array([shapes[s] for s in slugs]), tolerance)
    out = shapely.set_precision(out, PRECISION)
    return dict(zip(slugs, out))


def convert(source: Path, registry: Registry) -> str:
    """The suite's boundaries file: one feature per province (63) and per unit of 2025 (34), properties
    slug, name, generation, in the registry's order; the same bytes for the same source."""
    from shapely.geometry import mapping

    old = match_provinces(read_source(source), registry)
    shapes = {OLD: simplified(old), NEW: simplified(dissolve_units(old, registry))}
    features = []
    for p in registry:
        geometry = mapping(shapes[p.generation][p.slug])
        features.append(
            {
                "type": "Feature",
                "properties": {"slug": p.slug, "name": p.name, "generation": p.generation},
                "geometry": {"type": geometry["type"], "coordinates": _rounded(geometry["coordinates"])},
            }
        )
    doc = {"type": "FeatureCollection", "source": CITATION, "features": features}
    lines = ",\n".join(json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features)
    head = json.dumps({k: v for k, v in doc.items() if k != "features"}, ensure_ascii=False)[:-1]
    return f'{head}, "features": [\n{lines}\n]}}\n'


def _rounded(coords):
    if isinstance(coords[0], (int, float)):
        return [round(float(c), 3) for c in coords]
    return [_rounded(c) for c in coords]


def import_boundaries(source: Path, data_dir: Path) -> Path:
    """Convert ``source`` with the registry of ``data_dir`` and write ``data_dir/geo/boundaries.geojson``."""
    from ..files import write_atomic
    from .provinces import load_registry

    target = Path(data_dir) / BOUNDARIES
    converted = convert(source, load_registry(Path(data_dir)))  # nothing written when the source is refused
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, converted)
    return target


@lru_cache(maxsize=2)
def has_boundaries(data_dir: Path | str) -> bool:
    """Whether the data folder holds the shapes (a user's own data folder may not: reports then draw no map)."""
    return (Path(data_dir) / BOUNDARIES).is_file()


def load_boundaries(data_dir: Path | str) -> dict[int, dict[str, object]]:
    """The shipped shapes by generation (63, 34) and slug; read once a process."""
    from shapely.geometry import shape

    doc = json.loads((Path(data_dir) / BOUNDARIES).read_text(encoding="utf-8"))
    out: dict[int, dict[str, object]] = {OLD: {}, NEW: {}}
    for f in doc["features"]:
        out[int(f["properties"]["generation"])][f["properties"]["slug"]] = shape(f["geometry"])
    return out
