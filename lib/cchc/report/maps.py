"""Maps of the provinces: a choropleth of one index and a province's locator, drawn with matplotlib.

The shapes are ``data/geo/boundaries.geojson`` (geoBoundaries, ``cchc import-geo``), projected once a process
(``projected``: an equirectangular projection true at 16° N, matplotlib Paths cached per data folder and
generation). Every map shows the whole territory at one scale, Hoàng Sa and Trường Sa at their places, each
in a dashed frame and named in Vietnamese in every report. Figures follow ``plots``: drawn inside its theme on
a figure of their own, the smallest text ``plots.SMALLEST_FONT_PT`` (about 9.5 px on a 390 px phone), gids for
the checker (``map:<kind>``, ``archipelago:<slug>``, ``province:<slug>``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from matplotlib.collections import PatchCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, PathPatch, Rectangle
from matplotlib.path import Path as MplPath

from ..data.geo import ARCHIPELAGOS, load_boundaries
from . import plots

EXTENT = (102.0, 8.0, 116.8, 23.6)  # lon/lat: the mainland and both archipelagos
KX = math.cos(math.radians(16.0))  # x = lon · cos 16°, y = lat
MAP_WIDTH_IN = plots.WIDTH_IN
EDGE = "white"
MISSING_EDGE = "#8a97a5"
ISLANDS = "#33414e"
UP, DOWN = plots.PALETTE["met"], plots.PALETTE["off_track"]


@dataclass(frozen=True)
class Projected:
    paths: dict[str, MplPath]  # slug -> the mainland parts (islands of the archipelagos left out)
    anchors: dict[str, tuple[float, float]]  # slug -> a point inside its largest part
    islands: dict[str, np.ndarray]  # archipelago slug -> island centres (x, y)
    island_paths: dict[str, MplPath]


@lru_cache(maxsize=4)
def projected(data_dir: str, generation: int) -> Projected:
    """The shapes of one generation (63 or 34) projected as matplotlib Paths, once a process."""
    shapes = load_boundaries(Path(data_dir))[generation]
    paths, anchors = {}, {}
    islands: dict[str, list] = {a.slug: [] for a in ARCHIPELAGOS}
    for slug, shape in shapes.items():
        parts = list(getattr(shape, "geoms", [shape]))
        land: list = []
        for part in parts:
            home = next((a.slug for a in ARCHIPELAGOS if _inside(part.bounds, a.box)), None)
            (islands[home] if home else land).append(part)
        paths[slug] = _path(land)
        biggest = max(land, key=lambda p: p.area)
        point = biggest.representative_point()
        anchors[slug] = (point.x * KX, point.y)
    centres = {k: np.array([(p.centroid.x * KX, p.centroid.y) for p in v]) for k, v in islands.items()}
    return Projected(paths, anchors, centres, {k: _path(v) for k, v in islands.items()})


def _inside(bounds, box) -> bool:
    return box[0] <= bounds[0] and box[1] <= bounds[1] and bounds[2] <= box[2] and bounds[3] <= box[3]


def _path(polygons) -> MplPath:
    """One compound Path of polygons (outer rings and holes)."""
    rings = [ring for p in polygons for ring in (p.exterior, *p.interiors)]
    return MplPath.make_compound_path(
        *(MplPath(np.column_stack([np.asarray(r.xy[0]) * KX, r.xy[1]]), closed=True) for r in rings)
    )


def _frame(fig: Figure, legend_rows: int = 0):
    """An axes over the whole territory, equal scale, no ticks."""
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(EXTENT[0] * KX, EXTENT[2] * KX)
    ax.set_ylim(EXTENT[1], EXTENT[3])
    ax.set_aspect("equal")
    ax.axis("off")
    return ax


def _height(width: float) -> float:
    return width * (EXTENT[3] - EXTENT[1]) / ((EXTENT[2] - EXTENT[0]) * KX)


def _shapes(ax, proj: Projected, colours: dict[str, str], hatched: set[str], gid: str) -> None:
    filled = [s for s in proj.paths if s in colours]
    ax.add_collection(
        PatchCollection(
            [PathPatch(proj.paths[s]) for s in filled],
            facecolors=[colours[s] for s in filled],
            edgecolors=EDGE,
            linewidths=0.5,
            gid=f"map:{gid}",
        )
    )
    rest = [s for s in proj.paths if s not in colours and s in hatched]
    if rest:
        ax.add_collection(
            PatchCollection(
                [PathPatch(proj.paths[s]) for s in rest],
                facecolors="white",
                edgecolors=MISSING_EDGE,
                linewidths=0.5,
                hatch="////",
                gid=f"map:{gid}:missing",
            )
        )


def _archipelagos(ax, proj: Projected) -> None:
    """Each archipelago: its islands, a dashed frame and its Vietnamese name."""
    for a in ARCHIPELAGOS:
        pts = proj.islands[a.slug]
        ax.add_patch(PathPatch(proj.island_paths[a.slug], facecolor=ISLANDS, edgecolor=ISLANDS, linewidth=0.5))
        ax.plot(pts[:, 0], pts[:, 1], "o", markersize=2.2, color=ISLANDS, gid=f"archipelago:{a.slug}")
        x0, y0 = pts.min(axis=0) - 0.35
        x1, y1 = pts.max(axis=0) + 0.35
        ax.add_patch(
            Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, edgecolor=MISSING_EDGE, linestyle="--", linewidth=0.8)
        )
        ax.text(
            (x0 + x1) / 2,
            y1 + 0.2,
            a.name.replace("Quần đảo ", "Quần đảo\n"),
            ha="center",
            va="bottom",
            fontsize=plots.SMALLEST_FONT_PT,
            color=ISLANDS,
            linespacing=1.1,
            gid=f"archipelago-name:{a.slug}",
        )


@plots._themed
def choropleth(
    data_dir: Path,
    generation: int,
    classes: dict[str, int],
    legend: list[tuple[str, str]],
    missing_label: str,
    rose: list[str] = (),  # type: ignore[assignment]
    fell: list[str] = (),  # type: ignore[assignment]
    mover_labels: tuple[str, str] = ("", ""),
    gid: str = "choropleth",
) -> Figure:
    """The provinces coloured by class (slug -> position in ``legend``: (label, colour)), those without a
    class hatched; the largest movers marked (▲ rose, ▼ fell). The legend sits in the empty sea east of
    the north, in the report's words."""
    proj = projected(str(data_dir), generation)
    fig = Figure(figsize=(MAP_WIDTH_IN, _height(MAP_WIDTH_IN)))
    ax = _frame(fig)
    colours = {s: legend[c][1] for s, c in classes.items() if s in proj.paths}
    _shapes(ax, proj, colours, set(proj.paths), gid)
    handles: list = [Patch(facecolor=colour, edgecolor="none", label=label) for label, colour in legend]
    handles.append(Patch(facecolor="white", edgecolor=MISSING_EDGE, hatch="////", label=missing_label))
    for slugs, marker, colour, label in ((rose, "^", UP, mover_labels[0]), (fell, "v", DOWN, mover_labels[1])):
        if len(slugs):
            xy = np.array([proj.anchors[s] for s in slugs])
            ax.plot(
                xy[:, 0],
                xy[:, 1],
                marker,
                markersize=8,
                color=colour,
                markeredgecolor="white",
                markeredgewidth=0.8,
                gid=f"movers:{'up' if marker == '^' else 'down'}",
            )
            handles.append(Line2D([], [], marker=marker, linestyle="", color=colour, markersize=8, label=label))
    _archipelagos(ax, proj)
    ax.legend(handles=handles, loc="upper right", frameon=False, borderaxespad=0.2, handlelength=1.4)
    return fig


@plots._themed
def locator(
    data_dir: Path,
    generation: int,
    slug: str,
    region: list[str],
    similar: list[str],
    labels: tuple[str, str, str, str],
    width: float = MAP_WIDTH_IN,
) -> Figure:
    """Where a province lies: the province dark, the rest of its region light, its similar provinces
    outlined; ``labels``: the legend's words (province, region, similar, others)."""
    proj = projected(str(data_dir), generation)
    fig = Figure(figsize=(width, _height(width)))
    ax = _frame(fig)
    light = "#e3e7ec"
    colours = {s: light for s in proj.paths}
    colours.update({s: "#a9c4dc" for s in region})
    colours[slug] = plots.PALETTE["province"]
    _shapes(ax, proj, colours, set(), "locator")
    for s in similar:
        ax.add_patch(
            PathPatch(
                proj.paths[s], facecolor="none", edgecolor=plots.PALETTE["region"], linewidth=1.8, gid=f"similar:{s}"
            )
        )
    _archipelagos(ax, proj)
    handles = [
        Patch(facecolor=plots.PALETTE["province"], label=labels[0]),
        Patch(facecolor="#a9c4dc", label=labels[1]),
    ]
    if similar:
        handles.append(Patch(facecolor="none", edgecolor=plots.PALETTE["region"], linewidth=1.8, label=labels[2]))
    handles.append(Patch(facecolor=light, label=labels[3]))
    ax.legend(handles=handles, loc="upper right", frameon=False, borderaxespad=0.2, handlelength=1.4)
    return fig


LOCATOR_WIDTH_IN = 4.2  # a small map: 460 px on a desktop, shrunk a little on a phone (text stays ≥ 9 px)


def add_locator(s, ds, unit, similar: list[str], lang: str) -> None:
    """The locator map of ``unit`` appended to section ``s`` as a chart (no sentence: the similar provinces
    are named in their own section, the boundaries' source in the sources): its region (the units of its
    generation in the same region) and its similar provinces (``similar``: slugs; another generation's
    left out)."""
    from ..catalogue import name_in, text
    from ..data.geo import has_boundaries

    if not has_boundaries(ds.data_dir):  # a data folder without shapes: no locator (the overview says why)
        return
    generation = ds.registry.generation(unit.generation)
    region = [p.slug for p in generation if p.region == unit.region and p.slug != unit.slug]
    same = {p.slug for p in generation}
    similar = [x for x in dict.fromkeys(similar) if x in same and x != unit.slug]
    region_name = name_in("region_name", unit.region, lang)
    fig = locator(
        ds.data_dir,
        unit.generation,
        unit.slug,
        region,
        similar,
        (unit.name, region_name, text("map.similar", lang), text("map.others", lang)),
        width=LOCATOR_WIDTH_IN,
    )
    fig.set_label(f"locator:{unit.slug}")
    s.chart(fig, text("map.locator_chart", lang, name=unit.name, region=region_name))
