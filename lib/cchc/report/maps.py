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
import textwrap
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PatchCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, PathPatch, Rectangle
from matplotlib.path import Path as MplPath
from matplotlib.transforms import Affine2D

from ..data.geo import ARCHIPELAGOS, load_boundaries
from . import plots
from .map_classes import map_groups, map_legend

if TYPE_CHECKING:
    from ..data.dataset import Dataset
    from ..data.provinces import Province
    from .output import Section

EXTENT = (102.0, 8.0, 116.8, 23.6)  # lon/lat: the mainland and both archipelagos
KX = math.cos(math.radians(16.0))  # x = lon · cos 16°, y = lat
MAP_WIDTH_IN = plots.WIDTH_IN
EDGE = "white"
MISSING_EDGE = "#8a97a5"
ISLANDS = "#33414e"
UP, DOWN = plots.PALETTE["met"], plots.PALETTE["off_track"]
SMALL_SHIFT = 0.8  # a small map's archipelago names moved west, off the edge of the figure
OUTLINE = "#d9480f"  # the province on the small multiples: orange-red, apart from the classes' blues


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


def _frame(fig: Figure, rect: tuple[float, float, float, float] = (0, 0, 1, 1)):
    """An axes over the whole territory, equal scale, no ticks: its axes made invisible too, so that drawing
    it measures no tick labels (a map's title was placed above the ticks of both axes: two thirds of its PNG's
    time)."""
    ax = fig.add_axes(rect)
    ax.set_xlim(EXTENT[0] * KX, EXTENT[2] * KX)
    ax.set_ylim(EXTENT[1], EXTENT[3])
    ax.set_aspect("equal")
    ax.axis("off")
    ax.xaxis.set_visible(False)
    ax.yaxis.set_visible(False)
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


def _archipelagos(ax, proj: Projected, small: bool = False) -> None:
    """Each archipelago: its islands, a dashed frame and its Vietnamese name (on a small map, each name on
    the side of its frame where the sea leaves it room)."""
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
            (x0 + x1) / 2 - (SMALL_SHIFT if small else 0),
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
    width, height, pad = MAP_WIDTH_IN, _height(MAP_WIDTH_IN), plots.PAD_IN  # the margin drawn in the figure,
    fig = Figure(figsize=(width + 2 * pad, height + 2 * pad))  # so its hatching lies as on a tight crop
    fw, fh = fig.get_size_inches()
    ax = _frame(fig, (pad / fw, pad / fh, width / fw, height / fh))
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
    plots.place_filled(fig, margin_in=0)
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
    """Where a province lies: the province dark, the rest of its region (``region``: its units, the
    province among them or not) light, its similar provinces outlined; ``labels``: the legend's words
    (province, region, similar, others). The region's map and the legend are drawn once a process
    (``_layer``); a report draws only its province and its similar provinces on them."""
    region = sorted({*region, slug})
    key = ("locator", str(data_dir), generation, tuple(region), labels, bool(similar), width)
    layer = _layer(key, lambda: _region_map(data_dir, generation, region, labels, bool(similar), width))
    fig = _on_layer(layer)
    proj = projected(str(data_dir), generation)
    frame = layer.to_figure[0] + fig.transFigure
    fig.add_artist(
        PathPatch(
            proj.paths[slug],
            facecolor=plots.PALETTE["province"],
            edgecolor=EDGE,
            linewidth=0.5,
            gid=f"province:{slug}",
            transform=frame,
        )
    )
    for s in similar:
        fig.add_artist(
            PathPatch(
                proj.paths[s],
                facecolor="none",
                edgecolor=plots.PALETTE["region"],
                linewidth=1.8,
                gid=f"similar:{s}",
                transform=frame,
            )
        )
    return fig


LOCATOR_LIGHT, LOCATOR_REGION = "#e3e7ec", "#a9c4dc"
LOCATOR_LEGEND_WRAP = 23  # characters a line of the locator's legend holds in the sea east of the north


def _region_map(data_dir, generation: int, region: list[str], labels, similar: bool, width: float) -> Figure:
    """The locator without its province: the region's units light blue, the others grey, the legend."""
    proj = projected(str(data_dir), generation)
    fig = Figure(figsize=(width, _height(width)), dpi=plots.DPI)
    ax = _frame(fig)
    colours = {s: LOCATOR_LIGHT for s in proj.paths}
    colours.update({s: LOCATOR_REGION for s in region})
    _shapes(ax, proj, colours, set(), "locator")
    _archipelagos(ax, proj)
    ax.apply_aspect()
    words = [textwrap.fill(label, LOCATOR_LEGEND_WRAP) for label in labels]  # a long region name on two lines
    handles = [
        Patch(facecolor=plots.PALETTE["province"], label=words[0]),
        Patch(facecolor=LOCATOR_REGION, label=words[1]),
    ]
    if similar:
        handles.append(Patch(facecolor="none", edgecolor=plots.PALETTE["region"], linewidth=1.8, label=words[2]))
    handles.append(Patch(facecolor=LOCATOR_LIGHT, label=words[3]))
    ax.legend(handles=handles, loc="upper right", frameon=False, borderaxespad=0.2, handlelength=1.4)
    return fig


LOCATOR_WIDTH_IN = 4.2  # a small map: 460 px on a desktop, shrunk a little on a phone (text stays ≥ 9 px)


def add_locator(s: Section, ds: Dataset, unit: Province, similar: list[str], lang: str) -> None:
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
        (text("map.outlined", lang), region_name, text("map.similar", lang), text("map.others", lang)),
        width=LOCATOR_WIDTH_IN,
    )
    fig.set_label(f"locator:{unit.slug}")
    key = "map.locator_chart" if similar else "map.locator_chart_alone"  # similar provinces named only when drawn
    s.chart(fig, text(key, lang, name=unit.name, region=region_name))


@dataclass(frozen=True)
class Panel:
    """One small map: its title, each unit's fill (slug -> colour; a unit without one is hatched), its gid."""

    title: str
    colours: dict[str, str]
    gid: str


SMALL_COLUMNS = 3
PANEL_TITLE_IN = 0.3  # the space above each small map for its title
LEGEND_WRAP = 18  # characters a legend line holds in one panel's width


@dataclass(frozen=True)
class Layer:
    """What every report's map of one kind shares, drawn once a process: its pixels (``rgba``, the whole
    figure at ``plots.DPI``), the figure they were drawn from (``figure``: its words, gids and layout), and
    each map's data -> figure-fraction transform (``to_figure``), on which a report draws its own part."""

    figure: Figure
    rgba: np.ndarray
    to_figure: tuple[Affine2D, ...]


_LAYERS: dict[tuple, Layer] = {}
LAYERS_KEPT = 16  # a batch worker renders one year in one language: a handful of layers


def _layer(key: tuple, draw) -> Layer:
    """The layer ``draw()`` makes, drawn to pixels once a process for ``key`` (every input of the drawing)."""
    if key not in _LAYERS:
        with plots.theme():
            fig = draw()
            canvas = FigureCanvasAgg(fig)
            canvas.draw()
            rgba = np.asarray(canvas.buffer_rgba()).copy()
        frames = tuple(Affine2D((ax.transData + fig.transFigure.inverted()).get_matrix()) for ax in fig.axes)
        if len(_LAYERS) >= LAYERS_KEPT:
            _LAYERS.pop(next(iter(_LAYERS)))
        _LAYERS[key] = Layer(fig, rgba, frames)
    return _LAYERS[key]


def _on_layer(layer: Layer) -> Figure:
    """A report's figure: the layer's pixels, on which a report adds its own artists to the figure (with
    ``layer.to_figure[i] + fig.transFigure``; no axes: making one, its ticks and their texts, cost more than
    the rest of the figure), its words kept as invisible texts so that the report's checker reads them as it
    reads every chart's."""
    fig = Figure(figsize=tuple(layer.figure.get_size_inches()), dpi=plots.DPI)
    fig.add_artist(_Pixels(layer.rgba))
    for t in _words(layer.figure):
        fig.text(0, 0, t.get_text(), fontsize=t.get_fontsize(), visible=False)
    fig._map_layer = layer  # type: ignore[attr-defined]
    plots.place_filled(fig)
    return fig


class _Pixels(Artist):
    """A layer's pixels at the corner of a figure of the layer's size, as they are: copied, not resampled
    as an image on an axes is (a third of a map's drawing), under what the report draws on them."""

    zorder = -1

    def __init__(self, rgba: np.ndarray):
        super().__init__()
        self.rgba = rgba

    def draw(self, renderer) -> None:
        figure = self.get_figure(root=True)
        assert figure is not None  # added to its figure by _on_layer
        x, y = figure.transFigure.transform((0, 0))  # 0, 0 unless cropped with a margin
        gc = renderer.new_gc()
        renderer.draw_image(gc, round(x), round(y), self.rgba[::-1])  # the renderer takes the bottom row first
        gc.restore()

    def get_window_extent(self, renderer=None):
        return self.get_figure(root=True).bbox  # the whole figure: so a tight crop keeps all of it


def _words(fig: Figure) -> list:
    """Every text a figure draws: its axes' titles and texts, its legends'."""
    out = [t for ax in fig.axes for t in (ax.title, *ax.texts) if t.get_text()]
    return out + [t for legend in fig.legends for t in legend.get_texts()]


@plots._themed
def small_multiples(
    data_dir: Path,
    generation: int,
    panels: list[Panel],
    outlined: tuple[int, str],
    legend: list[tuple[str, str]],
    missing_label: str,
    outline_label: str,
) -> Figure:
    """One small map per panel, three to a row, the same province outlined on each (``outlined``: the
    generation of its shapes and its slug, so a 2025 unit is outlined over the 63 provinces of a year
    before); the legend (``legend``: (label, colour), then the hatching and the outline) fills the slot
    after the last map, or a row of its own when the rows are full. The maps and the legend are the same in
    every report of the year: drawn once a process (``_layer``); a report draws only its outline on them."""
    key = (
        "small_multiples",
        str(data_dir),
        generation,
        tuple((p.title, tuple(sorted(p.colours.items())), p.gid) for p in panels),
        tuple(legend),
        missing_label,
        outline_label,
    )
    layer = _layer(key, lambda: _national_panels(data_dir, generation, panels, legend, missing_label, outline_label))
    fig = _on_layer(layer)
    own = projected(str(data_dir), outlined[0])
    for frame in layer.to_figure:
        _outline(fig, own, outlined[1], frame + fig.transFigure)
    return fig


def _national_panels(data_dir, generation, panels, legend, missing_label, outline_label) -> Figure:
    """The small maps without the report's province: the classes, hatching, archipelagos, titles, legend."""
    proj = projected(str(data_dir), generation)
    width = MAP_WIDTH_IN / SMALL_COLUMNS
    height = _height(width)
    n = len(panels)
    rows = n // SMALL_COLUMNS + 1  # the legend's slot: after the last map, or a new row
    fig_h = rows * (height + PANEL_TITLE_IN)
    fig = Figure(figsize=(MAP_WIDTH_IN, fig_h), dpi=plots.DPI)
    for i, panel in enumerate(panels):
        row, col = divmod(i, SMALL_COLUMNS)
        bottom = fig_h - (row + 1) * (height + PANEL_TITLE_IN)
        ax = _frame(fig, (col / SMALL_COLUMNS, bottom / fig_h, 1 / SMALL_COLUMNS, height / fig_h))
        _shapes(ax, proj, panel.colours, set(proj.paths), panel.gid)
        _archipelagos(ax, proj, small=True)
        ax.set_title(panel.title, fontsize=plots.SMALLEST_FONT_PT, pad=2)
        ax.apply_aspect()
    handles: list = [Patch(facecolor=colour, edgecolor="none", label=_wrap(label)) for label, colour in legend]
    handles.append(Patch(facecolor="white", edgecolor=MISSING_EDGE, hatch="////", label=_wrap(missing_label)))
    handles.append(Patch(facecolor="none", edgecolor=OUTLINE, linewidth=1.6, label=_wrap(outline_label)))
    col = n % SMALL_COLUMNS
    top = fig_h - (rows - 1) * (height + PANEL_TITLE_IN)
    fig.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(col / SMALL_COLUMNS, top / fig_h),
        frameon=False,
        handlelength=1.2,
        handletextpad=0.5,
        labelspacing=0.35,
        borderaxespad=0.2,
        ncol=1 if col else 2,
    )
    return fig


def _outline(fig: Figure, proj: Projected, slug: str, transform) -> None:
    """A province outlined, with a ring around its anchor so that a small one is found at a glance."""
    fig.add_artist(
        PathPatch(
            proj.paths[slug],
            facecolor="none",
            edgecolor=OUTLINE,
            linewidth=1.6,
            gid=f"outline:{slug}",
            transform=transform,
        )
    )
    x, y = proj.anchors[slug]
    ring = Line2D(
        [x], [y], marker="o", markersize=11, markerfacecolor="none", markeredgecolor=OUTLINE, markeredgewidth=1.2
    )
    ring.set_transform(transform)
    fig.add_artist(ring)


def _wrap(label: str) -> str:
    return textwrap.fill(label, LEGEND_WRAP)


def add_index_maps(s: Section, ds: Dataset, unit: Province, year: int, lang: str) -> None:
    """One small map per index of ``year`` (the units of the year's generation coloured by their class, as
    on the overview's maps: ``map_classes.map_groups``), ``unit`` outlined on each, appended to section ``s``
    as one chart; nothing when no index has a figure that year or the data hold no boundaries."""
    import pandas as pd

    from ..catalogue import text
    from ..data.geo import has_boundaries
    from ..data.indices import codes
    from ..data.provinces import generation_for_year

    if not has_boundaries(ds.data_dir):
        return
    panels: list[Panel] = []
    legend: dict[str, str] = {}
    for index in codes():
        groups = _groups(ds, index, year, map_groups)
        if groups["group"].isna().all():
            continue
        classes = map_legend(groups["method"].iloc[0], lang)
        colours = {p: classes[int(g)][1] for p, g in zip(groups["province"], groups["group"]) if pd.notna(g)}
        panels.append(Panel(text(f"map.panel.{index}", lang), colours, f"{index}:{year}"))
        for label, colour in classes:
            legend.setdefault(label, colour)
    if not panels:
        return
    fig = small_multiples(
        ds.data_dir,
        generation_for_year(year),
        panels,
        (unit.generation, unit.slug),
        list(legend.items()),
        text("map.missing", lang),
        text("map.outlined", lang),  # not its name: the maps are then the same in every report of the year
    )
    fig.set_label(f"index-maps:{unit.slug}")
    names = [p.title for p in panels]
    s.chart(fig, text("map.index_maps_chart", lang, name=unit.name, year=year, indices=", ".join(names)))
    s.say(text("map.index_maps_note", lang), "note")
    if unit.generation != generation_for_year(year):
        n = generation_for_year(year)
        if unit.unchanged:
            old = ds.registry.predecessors(unit.slug)[0].name
            s.say(text("map.index_maps_unchanged", lang, year=year, n=n, old=old), "note")
        else:
            s.say(text("map.index_maps_predecessors", lang, year=year, n=n, name=unit.name), "note")


_GROUPS: dict[tuple[str, str, int], object] = {}


def _groups(ds: Dataset, index: str, year: int, map_groups):
    """``map_groups`` of an index and year, computed once a process for the same data (``ds.data_hash``: a
    batch's kernel reads the dataset again for every report)."""
    key = (ds.data_hash, index, year)
    if key not in _GROUPS:
        if len(_GROUPS) >= 64:
            _GROUPS.clear()
        _GROUPS[key] = map_groups(ds, index, year)
    return _GROUPS[key]
