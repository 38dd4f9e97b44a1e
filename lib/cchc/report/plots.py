"""Charts for the reports: one seaborn theme, one palette, words from the catalogue, numbers by Babel.

Each function draws on a figure of its own (``matplotlib.figure.Figure``, not pyplot's current figure)
inside ``theme()``, a ``matplotlib.rc_context`` holding the suite's seaborn theme on top of matplotlib's
defaults: the same data give the same image wherever it is drawn, and nothing global changes (importing
this module changes no backend, rcParams or seaborn theme; an analyst's own plots are untouched).
``png_bytes`` renders a figure as fixed-size PNG bytes: every chart is laid out for the page once, when it
is made (``_place``: margins from the few texts in them, no tight bounding box), and drawn once; a map fills
its figure and is saved with a white margin around it (``place_filled``).
"""

from __future__ import annotations

import io
import textwrap
import weakref
from collections.abc import Sequence
from contextlib import contextmanager
from functools import lru_cache, wraps
from typing import Any, cast

import matplotlib
import numpy as np
import pandas as pd
from matplotlib import ticker
from matplotlib.artist import Artist
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text
from matplotlib.transforms import Bbox
from PIL import Image

from ..catalogue import text
from .narrative import fmt_number, unit_scale

PALETTE = {
    "province": "#1f5f8b",
    "national": "#8a97a5",
    "region": "#d08c2b",
    "target": "#b3261e",
    "met": "#1b7f3b",
    "on_track": "#6aa84f",
    "off_track": "#b3261e",
    "not_met": "#b3261e",
    "no_data": "#b0b8c1",
    "break": "#9a6700",
}
SERIES = ["#1f5f8b", "#d08c2b", "#6aa84f", "#8e5ea2", "#b3261e", "#3f9fb5", "#7a6c5d"]
# Sized for a phone first: a chart shown across a 390 px screen (about 370 px) is scaled to 0.6 of its
# width, so its smallest text (10.5 pt at 110 dpi: 16 px) still reads at about 9.5 px; on A4 the report's
# stylesheet prints it at 120 dpi (13 cm wide, text at 9.6 pt).
WIDTH_IN = 5.6
DPI = 110
SMALLEST_FONT_PT = 10.5
OWN_RC = {
    "figure.dpi": DPI,
    "savefig.dpi": DPI,
    "axes.titlesize": 12,
    "axes.labelsize": SMALLEST_FONT_PT,
    "xtick.labelsize": SMALLEST_FONT_PT,
    "ytick.labelsize": SMALLEST_FONT_PT,
    "legend.fontsize": SMALLEST_FONT_PT,
    "axes.titleweight": "bold",
    "axes.titlepad": 8,
    "axes.titley": 1.0,  # a title sits over its frame: not placed again by measuring the ticks on every draw
    "svg.hashsalt": "cchc",
    "figure.autolayout": False,
    "text.parse_math": False,  # labels come from data files: '$' is a character, not a formula
}


@lru_cache(maxsize=1)
def theme_rc() -> dict:
    """The suite's rcParams: matplotlib's defaults, seaborn's 'whitegrid' style and 'notebook' context,
    the suite's palette and font; computed from seaborn without setting anything."""
    import seaborn as sns
    from cycler import cycler

    rc: dict[str, Any] = {k: v for k, v in matplotlib.rcParamsDefault.items() if k not in ("backend", "interactive")}
    rc.update(sns.plotting_context("notebook"))
    rc.update(sns.axes_style("whitegrid", rc={"font.family": "DejaVu Sans"}))
    rc["axes.prop_cycle"] = cycler("color", sns.color_palette(SERIES))
    rc.update(OWN_RC)
    return rc


@contextmanager
def theme():
    """Draw inside this: the suite's theme for the block, everything as it was afterwards."""
    with matplotlib.rc_context(theme_rc()):
        yield


def _themed(draw):
    @wraps(draw)
    def run(*args, **kwargs):
        with theme():
            return draw(*args, **kwargs)

    return run


def png_bytes(fig: Figure) -> bytes:
    """PNG bytes of a figure, the same each time: a figure laid out here (a chart, ``_place``; a map,
    ``place_filled``) drawn once at its own size, its margin added, written as RGB when it is opaque (the same
    pixels, a quarter less to compress); any other figure (an analyst's own) cropped to what it draws."""
    if fig not in _PLACED:
        buf = io.BytesIO()
        with theme():
            fig.savefig(buf, format="png", dpi=DPI, bbox_inches="tight", metadata={"Software": None})
        return buf.getvalue()
    rgba = _pixels(fig)
    margin = _PLACED[fig]
    if margin:  # the figure's colour around it, as savefig's pad_inches around a tight bounding box
        framed = np.empty((rgba.shape[0] + 2 * margin, rgba.shape[1] + 2 * margin, 4), np.uint8)
        framed[...] = [round(255 * c) for c in matplotlib.colors.to_rgba(fig.get_facecolor())]
        framed[margin:-margin, margin:-margin] = rgba
        rgba = framed
    image = Image.fromarray(rgba, "RGBA")
    if rgba[..., 3].min() == 255:
        image = image.convert("RGB")
    buf = io.BytesIO()
    image.save(buf, format="png", compress_level=PNG_LEVEL, dpi=(DPI, DPI))
    return buf.getvalue()


def _pixels(fig: Figure, plainly: bool = True) -> np.ndarray:
    """The figure drawn once at its own size, as height x width x RGBA bytes (what ``savefig`` to raw RGBA
    gives): drawn by the renderer of its size kept for every figure (``_renderer``), whose text measures are
    kept with it, so the same years, numbers and titles are measured once for all charts; ``plainly``: its
    unlabelled axes drawn by ``PlainAxis`` for this drawing only (the same pixels)."""
    width, height = (int(v) for v in fig.get_size_inches() * DPI)  # as Agg sizes its canvas
    renderer = _renderer(width, height)
    renderer.clear()
    plain = _plain_axes(fig) if plainly else []
    try:
        with theme():
            fig.draw(renderer)
    finally:
        for artist in plain:  # the figure handed to an analyst keeps matplotlib's own axes
            artist.remove()
            artist.axis.set_visible(True)
    return np.array(renderer.buffer_rgba())  # a copy: the renderer draws the next figure of that size


def _plain_axes(fig: Figure) -> list:
    """A ``PlainAxis`` added for each shown axis of the figure without a label or minor ticks."""
    plain = []
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis) if ax.axison else ():
            if axis.get_visible() and not axis.get_label_text():
                if isinstance(axis.get_minor_locator(), ticker.NullLocator):
                    plain.append(PlainAxis(axis))
                    ax.add_artist(plain[-1])
    return plain


@lru_cache(maxsize=16)
def _renderer(width: int, height: int):
    """An Agg renderer of ``width`` x ``height`` pixels at the charts' resolution (most charts share a size),
    which keeps the texts' glyphs it draws (``_text_keeping_agg``)."""
    return _text_keeping_agg()(width, height, DPI)


_LAYOUTS: dict[tuple, list[tuple]] = {}  # (font, size, dpi, text, flags, features, language) -> its glyphs
_GLYPHS: dict[tuple, tuple] = {}  # (font, size, dpi, glyph, angle, flags, x and y in 1/64 px mod 64) -> bitmap
KEPT_TEXTS = 4096  # the most text layouts kept (a report draws about 120 texts, most of them again and again)
KEPT_GLYPHS = 32768  # the most glyph bitmaps kept (a few hundred bytes each)


@lru_cache(maxsize=1)
def _text_keeping_agg():
    """Matplotlib's Agg renderer drawing text as it does, glyph by glyph (``RendererAgg.draw_text``: each text
    laid out by FreeType and libraqm, each glyph rendered at its position to a sixty-fourth of a pixel and
    blended in), but with what it computes kept once a process: a text's layout (its glyphs and their
    offsets) by font, size and text, and a glyph's bitmap by font, size, angle and where it falls inside a
    pixel (a glyph rendered one whole pixel further is the same bitmap one pixel further). The same pixels;
    the year, tick and title texts every chart repeats are laid out and rendered once. Text drawn as math,
    without antialiasing, or with font features or a language that cannot be kept is drawn by matplotlib.
    The private names it uses are listed in ``thirdparty.INTERNALS`` (an upgrade that renames one fails there)."""
    import math

    from matplotlib.backends.backend_agg import RendererAgg, get_hinting_flag
    from matplotlib.ft2font import RenderMode

    class TextKeepingAgg(RendererAgg):
        def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
            if ismath or not gc.get_antialiased():
                return super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
            features = mtext.get_fontfeatures() if mtext is not None else None
            language = mtext.get_language() if mtext is not None else None
            font = self._prepare_font(prop)
            flags = get_hinting_flag()
            size = prop.get_size_in_points()
            key = (font, size, self.dpi, s, flags, features, language)
            try:
                glyphs = _LAYOUTS.get(key)
            except TypeError:  # features or language given as a list: not kept
                return super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
            if glyphs is None:
                laid = font._layout(s, flags=flags, features=features, language=language)
                glyphs = [(item.ft_object, item.glyph_index, item.x, item.y) for item in laid]
                if len(_LAYOUTS) < KEPT_TEXTS:
                    _LAYOUTS[key] = glyphs
            cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
            matrix = None
            height = self.height
            for ft_object, glyph, dx, dy in glyphs:  # as RendererAgg._draw_text_glyphs_and_boxes draws them
                at_x = round(0x40 * (x + dx * cos - dy * sin))
                at_y = round(0x40 * (height - y + dx * sin + dy * cos))  # FreeType's y is upwards
                glyph_key = (ft_object, size, self.dpi, glyph, angle, flags, at_x & 0x3F, at_y & 0x3F)
                kept = _GLYPHS.get(glyph_key)
                if kept is None:
                    if matrix is None:
                        matrix = (0x10000 * np.array([[cos, -sin], [sin, cos]]) @ [[1, 0], [0, 1]]).round().astype(int)
                    ft_object.set_size(size, self.dpi)
                    ft_object._set_transform(matrix, [at_x & 0x3F, at_y & 0x3F])
                    bitmap = ft_object._render_glyph(glyph, flags, RenderMode.NORMAL)
                    kept = (bitmap.buffer, bitmap.left, bitmap.top)
                    if len(_GLYPHS) < KEPT_GLYPHS:
                        _GLYPHS[glyph_key] = kept
                buffer, left, top = kept
                # the bitmap rendered a whole number of pixels off: the same bitmap, moved by them
                self._renderer.draw_text_image(
                    buffer, left + (at_x >> 6), int(height) - (top + (at_y >> 6)) + buffer.shape[0], 0, gc
                )

    return TextKeepingAgg


# ------------------------------------------------------------------ a fixed layout sized for the page
# Every chart is WIDTH_IN wide and saved at that size (no tight bbox): 616 px, shown at 0.6 of it across a
# phone and at 13 cm on A4 (report.css). Its margins are set once, in inches, from the few texts that sit
# in them (tick labels, titles, axis labels, the legend), each measured once; the figure is then drawn once.
PAD_IN = 0.1  # the figure's edge around everything, as savefig's pad_inches
PANEL_GAP_IN = 0.25  # between two panels, besides the right panel's tick labels
LEGEND_GAP_IN = 0.08  # between the tick labels and a legend under them
LINE_PANEL_IN = 1.8  # the least height of a panel of lines over the years (ranks 1 and 10 kept apart)
_PLACED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # figures laid out here -> margin in px
PNG_LEVEL = 3  # zlib's level for the PNGs: two thirds of the time of its default (6), the files no larger


@lru_cache(maxsize=1)
def _ruler():
    """A renderer to measure text with, at the charts' resolution (inside ``theme``, as drawn)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = Figure(dpi=DPI)
    return fig, FigureCanvasAgg(fig).get_renderer()


def text_size_in(s: str, size: float, weight: str = "normal") -> tuple[float, float]:
    """Width and height in inches of ``s`` as drawn at ``size`` points (its lines as matplotlib spaces them).
    Each text is measured once a process (the same years, numbers and titles recur in every chart)."""
    if not s:
        return 0.0, 0.0
    rc = matplotlib.rcParams
    font = (rc["font.family"], rc["font.sans-serif"], rc["font.style"], rc["font.variant"], rc["font.stretch"])
    return _measured(s, size, weight, tuple(map(str, font)) + (str(rc["text.parse_math"]),))


@lru_cache(maxsize=4096)
def _measured(s: str, size: float, weight: str, font: tuple[str, ...]) -> tuple[float, float]:
    """``text_size_in`` with the font settings it depends on (``font``: the rcParams of the fonts)."""
    fig, renderer = _ruler()
    box = Text(0, 0, s, fontsize=size, fontweight=weight, figure=fig).get_window_extent(renderer)
    return box.width / DPI, box.height / DPI


def _pt(points: float) -> float:
    return points / 72


def _tick_texts(axis) -> list[str]:
    """The labels of the axis's major ticks inside its limits, as they will be drawn."""
    lo, hi = sorted(axis.get_view_interval())
    span = (hi - lo) or 1.0
    locs = [x for x in axis.get_majorticklocs() if lo - 1e-9 * span <= x <= hi + 1e-9 * span]
    return [s for s in axis.get_major_formatter().format_ticks(locs) if s]


def _widest(texts, size: float = SMALLEST_FONT_PT) -> float:
    return max((text_size_in(t, size)[0] for t in texts), default=0.0)


def _tick_room(axis) -> float:
    """Inches from the axes' edge to the far side of the axis's tick labels (x: their height, y: width)."""
    texts = _tick_texts(axis)
    if not texts:
        return 0.0
    rc = matplotlib.rcParams
    if axis.axis_name == "x":
        offset = _pt(rc["xtick.major.size"] + rc["xtick.major.pad"])  # hidden ticks keep their room
        return offset + max(text_size_in(t, SMALLEST_FONT_PT)[1] for t in texts)
    return _pt(rc["ytick.major.size"] + rc["ytick.major.pad"]) + _widest(texts)


def _below(ax) -> float:
    """Inches under an axes: its x tick labels and its x label."""
    label = ax.get_xlabel()
    room = _tick_room(ax.xaxis)
    if label:
        room += _pt(matplotlib.rcParams["axes.labelpad"]) + text_size_in(label, SMALLEST_FONT_PT)[1]
    return room


def _above(ax) -> float:
    """Inches over an axes: its title, else half a tick label (the top one is centred on the frame)."""
    title = ax.get_title()
    if title:
        rc = matplotlib.rcParams
        return _pt(rc["axes.titlepad"]) + text_size_in(title, rc["axes.titlesize"], rc["axes.titleweight"])[1]
    return text_size_in("0", SMALLEST_FONT_PT)[1] / 2


def _past_right(ax) -> float:
    """Inches an axes' last x tick label reaches past its right edge (it is centred on its tick)."""
    texts = _tick_texts(ax.xaxis)
    return text_size_in(texts[-1], SMALLEST_FONT_PT)[0] / 2 if texts else 0.0


def _place(fig: Figure, rows: Sequence[Sequence[Any]], bottom_extra: float = 0.0, least_height: float = 0.0) -> None:
    """Set the margins of a grid of axes (``rows`` of panels, as ``fig.subplots`` made them) in inches, from
    the texts around them; ``bottom_extra``: inches kept free at the foot (a legend). A panel lower than
    ``least_height`` inches (a long title, a legend of two rows) makes the figure taller. Saved at this size.
    A panel's automatic ticks follow its size: placed again until its tick labels are the ones measured."""
    margins = None
    for _ in range(3):
        now = _margins(fig, rows, bottom_extra)
        if now == margins:
            break
        margins = now
        left, right, top, bottom, gap_x, gap_y = now
        width, height = fig.get_size_inches()
        ncols, nrows = len(rows[0]), len(rows)
        axes_w = (width - left - right - (ncols - 1) * gap_x) / ncols
        axes_h = (height - top - bottom - (nrows - 1) * gap_y) / nrows
        if axes_h < least_height:
            height += (least_height - axes_h) * nrows
            fig.set_size_inches(width, height)
            axes_h = least_height
        fig.subplots_adjust(
            left=left / width,
            right=1 - right / width,
            top=1 - top / height,
            bottom=bottom / height,
            wspace=gap_x / axes_w,
            hspace=gap_y / axes_h,
        )
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            if not axis.get_label_text():  # nothing to place: else every draw measures the tick labels to place it
                axis.set_label_coords(0.5, 0.5)
    _PLACED[fig] = 0


class PlainAxis(Artist):
    """Draws an axis without a label as its ticks would be drawn, for less: one grid line through its tick
    locations and a plain text per tick label, each as the axis's first tick styles its own; the axis itself
    is hidden. The axis stays what its ticks and labels are read from (``get_xticklabels``, locator and
    formatter, read at each draw): only the drawing is other. A tick is five artists, made and updated for
    every location and measured on every draw; these are two artists and a text a tick, the same pixels."""

    def __init__(self, axis):
        super().__init__()
        self.axis = axis
        self.set_zorder(axis.get_zorder())  # drawn where the axis was
        axis.set_visible(False)

    def get_children(self):
        return self._artists()

    def _artists(self) -> list:
        axis = self.axis
        tick = axis.get_major_ticks(1)[0]  # made with the axes: the styles every tick of the axis copies
        locs = axis.get_majorticklocs()
        labels = axis.major.formatter.format_ticks(locs)
        lo, hi = sorted(axis.get_view_interval())
        slack = (hi - lo) * 1e-10  # as matplotlib keeps a tick at the edge of the view
        shown = [(loc, label) for loc, label in zip(locs, labels) if lo - slack <= loc <= hi + slack]
        grid = Line2D([], [])
        grid.update_from(tick.gridline)
        across = [x for loc, _ in shown for x in (loc, loc, np.nan)]
        along = [v for _ in shown for v in (0, 1, np.nan)]
        grid.set_data(*((across, along) if axis.axis_name == "x" else (along, across)))
        out: list = [grid]
        style = tick.label1
        for loc, label in shown:
            t = Text(text=label, parse_math=style.get_parse_math(), rotation_mode=style.get_rotation_mode())
            t.update_from(style)  # font, colour, alignment, the axis's text transform
            t.set_position((loc, 0) if axis.axis_name == "x" else (0, loc))
            out.append(t)
        for a in out:
            a.set_figure(self.get_figure(root=False))
        return out

    def get_window_extent(self, renderer=None):
        """Around the tick labels (a tight bounding box keeps them)."""
        boxes = [a.get_window_extent(renderer) for a in self._artists()[1:] if a.get_visible() and a.get_text()]
        return Bbox.union(boxes) if boxes else Bbox.null()

    def draw(self, renderer):
        if not self.get_visible():
            return
        for a in self._artists():
            a.draw(renderer)
        self.stale = False


def place_filled(fig: Figure, margin_in: float = PAD_IN) -> None:
    """Save a figure whose drawing fills it to the edge (a map) at its own size, with ``margin_in`` of its
    colour added around it (the margin a chart keeps inside its own size; 0: a figure drawn with its margin)."""
    _PLACED[fig] = round(margin_in * DPI)


def _margins(fig: Figure, rows: Sequence[Sequence[Any]], bottom_extra: float) -> tuple[float, ...]:
    """Inches: left, right, top and bottom margins, the gaps between columns and between rows."""
    width = fig.get_size_inches()[0]
    left = PAD_IN + max(_tick_room(row[0].yaxis) for row in rows)
    right = PAD_IN + max(_past_right(row[-1]) for row in rows)
    top = PAD_IN + max(_above(ax) for ax in rows[0])
    bottom = PAD_IN + bottom_extra + max(_below(ax) for ax in rows[-1])
    gap_x = PANEL_GAP_IN + max((_tick_room(ax.yaxis) for row in rows for ax in row[1:]), default=0.0)
    gap_y = PANEL_GAP_IN + max(
        (_below(ax) + _above(below) for upper, lower in zip(rows, rows[1:]) for ax, below in zip(upper, lower)),
        default=0.0,
    )
    if len(rows[0]) == 1:  # an x label wider than its panel, centred under it, stays inside the figure
        widest = max(text_size_in(row[0].get_xlabel(), SMALLEST_FONT_PT)[0] for row in rows)
        right = max(right, left + widest - width + 2 * PAD_IN)
    return left, right, top, bottom, gap_x, gap_y


def _foot_legend(fig: Figure, handles, labels, most_columns: int) -> float:
    """A legend across the figure's foot in as many columns (up to ``most_columns``) as fit its width;
    returns the inches it takes, with the gap over it. Its size follows its labels alone (a handle's box is
    of a fixed size) in the charts' theme: measured once a process for each set of labels and width."""
    width = fig.get_size_inches()[0]
    key = (tuple(labels), most_columns, float(width))
    known = _LEGEND_FITS.get(key)
    for ncols in [known[0]] if known else range(max(1, most_columns), 0, -1):
        legend = fig.legend(
            handles,
            labels,
            loc="lower center",
            bbox_to_anchor=(width / 2, PAD_IN),
            bbox_transform=fig.dpi_scale_trans,  # in inches: kept at the foot if the figure grows
            borderaxespad=0,
            ncols=ncols,
            frameon=False,
        )
        if known:
            return known[1]
        box = legend.get_window_extent(_ruler()[1])
        if box.width / DPI <= width - 2 * PAD_IN or ncols == 1:
            if len(_LEGEND_FITS) < 4096:
                _LEGEND_FITS[key] = (ncols, box.height / DPI + LEGEND_GAP_IN)
            return box.height / DPI + LEGEND_GAP_IN
        legend.remove()
    return 0.0


_LEGEND_FITS: dict[tuple, tuple[int, float]] = {}  # (labels, most columns, width) -> columns, inches taken


class LocaleFormatter(ticker.Formatter):
    """Tick labels in the report's language ('92,5' in Vietnamese, '92.5' in English), written by Babel
    with the fewest decimals that tell the ticks apart exactly (as matplotlib's own labels do)."""

    def __init__(self, lang: str):
        self.lang = lang
        self._decimals = 0

    def set_locs(self, locs):
        self._decimals = next(
            (d for d in range(7) if all(abs(round(x, d) - x) <= 1e-9 * max(1.0, abs(x)) for x in locs)), 6
        )

    def __call__(self, x, pos=None):
        return fmt_number(x, self.lang, self._decimals)


def _numbers_in(lang: str, *axes) -> None:
    for axis in axes:
        axis.set_major_formatter(LocaleFormatter(lang))


@_themed
def history_chart(
    history: pd.DataFrame,
    index: str,
    lang: str,
    breaks: Sequence[int] = (),
    means: pd.DataFrame | None = None,
    unit: str = "",
    others: pd.DataFrame | None = None,
) -> Figure:
    """Score (left) and published rank (right, best at top) over the years; method breaks marked.

    history: columns year, score, rank, rank_of and, when the scale changed over the years, unit (one row
    per year, missing as NaN; rows without a unit are in ``unit``).
    breaks: years of method breaks (a dotted line before each).
    means: columns year, scope_label, score and, optionally, unit; the means of the province's scales drawn.
    others: columns year, name, score and, optionally, unit: other provinces drawn beside it (same scales),
    each in a colour of its own, named in the legend.
    A line joins only consecutive years of one scale and one method (``series_runs``); each scale is named
    in the panel's title, an earlier one drawn with open points and named in the legend. The values are
    written on the points of the labelled years (the table under the chart has them all); the legend sits
    under the panels, off the lines.
    """
    history = _with_unit(history, unit)
    has_rank = history["rank"].notna().any()
    has_score = history["score"].notna().any()
    ncols = int(has_score) + int(has_rank)
    fig = Figure(figsize=(WIDTH_IN, 3.1))
    axes = list(fig.subplots(1, ncols, squeeze=False)[0])
    panels, foot = list(axes), 0.0
    years = sorted(int(y) for y in history["year"].unique())
    most = 5 if ncols == 2 else 8
    if has_score:
        ax = axes.pop(0)
        s = history.dropna(subset=["score"]).sort_values("year")
        scales = list(dict.fromkeys(s["unit"]))
        latest = scales[-1]
        for scale in scales:
            label = text("chart.province", lang)
            if len(scales) > 1:
                label = text("chart.province_in", lang, unit=unit_scale(scale, lang))
            _plot_runs(
                ax,
                s[s["unit"] == scale],
                "score",
                index,
                breaks,
                label,
                marker="o",
                color=PALETTE["province"],
                markerfacecolor=None if scale == latest else "white",
            )
        if means is not None and not means.empty:
            means = _with_unit(means, latest)
            for (scope, g), color in zip(
                means.groupby("scope_label", sort=True), [PALETTE["national"], PALETTE["region"], *SERIES[3:]]
            ):
                label = scope
                for scale in scales:
                    drawn = _plot_runs(
                        ax,
                        g[(g["unit"] == scale) & g["score"].notna()].sort_values("year"),
                        "score",
                        index,
                        breaks,
                        label,
                        marker=".",
                        linestyle="--",
                        color=color,
                    )
                    label = label if not drawn else "_"
        if others is not None and not others.empty:
            others = _with_unit(others, latest)
            for (name, g), color in zip(others.groupby("name", sort=False), SERIES[3:] * 3):
                label = name
                for scale in scales:
                    drawn = _plot_runs(
                        ax,
                        g[(g["unit"] == scale) & g["score"].notna()].sort_values("year"),
                        "score",
                        index,
                        breaks,
                        label,
                        marker="s",
                        markersize=3,
                        linewidth=1,
                        color=color,
                    )
                    for line in drawn:  # not the province's own series (``drawn_series``, the checker)
                        line.set_gid(f"compared:{index}:{scale}")
                    label = label if not drawn else "_"
        ax.set_title(
            text("chart.score_in", lang, unit=_scales_text(scales, lang)) if any(scales) else text("chart.score", lang)
        )
        _year_axis(ax, years, most)
        ax.margins(y=0.3)
        for _, r in s[s["year"].isin(_every_nth_year(s["year"], most - 2))].iterrows():
            ax.annotate(
                fmt_number(r["score"], lang, 4 if r["unit"] == "index 0-1" else 2),
                (r["year"], r["score"]),
                textcoords="offset points",
                xytext=(0, 6),
                ha="center",
                va="bottom",
                fontsize=SMALLEST_FONT_PT,
            )
        _mark_breaks(ax, breaks, index)
        _numbers_in(lang, ax.yaxis)
        handles, labels = ax.get_legend_handles_labels()
        if len(handles) > 1:
            foot = _foot_legend(fig, handles, labels, 3)
    if has_rank:
        ax = axes.pop(0)
        r = history.dropna(subset=["rank"]).sort_values("year")
        ofs = [int(o) for o in dict.fromkeys(r["rank_of"].dropna())]
        of = max(ofs) if ofs else None
        r = r.assign(unit=[_rank_unit(o) for o in r["rank_of"]], rank=r["rank"].astype(float))
        _plot_runs(ax, r, "rank", index, breaks, "_", marker="o", color=PALETTE["province"])
        bottom = of or int(r["rank"].max())
        ax.set_ylim(bottom + 0.5 + 0.08 * bottom, 0.5 - 0.12 * bottom)  # best at top, room around the points
        _ticks_at(ax.yaxis, [1, *range(10, bottom + 1, 10)])
        _year_axis(ax, years, most)
        for _, row in r[r["year"].isin(_every_nth_year(r["year"], most - 1))].iterrows():
            near_top = row["rank"] <= 0.25 * bottom  # written under the point, away from the title
            ax.annotate(
                f"{int(row['rank'])}",
                (row["year"], float(row["rank"])),
                textcoords="offset points",
                xytext=(0, -7 if near_top else 7),
                ha="center",
                va="top" if near_top else "bottom",
                fontsize=SMALLEST_FONT_PT,
            )
        ax.set_title(_rank_title(r, lang))
        _mark_breaks(ax, breaks, index)
        _numbers_in(lang, ax.yaxis)
    _place(fig, [panels], foot, LINE_PANEL_IN)
    return fig


def series_runs(years, units, breaks=()) -> list[list[int]]:
    """The positions (into ``years``, sorted by year) of the runs one line may join: consecutive years of
    one unit, none across a method break (a break year starts a new run) or a missing year.

    >>> series_runs([2017, 2018, 2019, 2021], ["points/60", "points/80", "points/80", "points/80"])
    [[0], [1, 2], [3]]
    """
    runs: list[list[int]] = []
    prev = None
    for i, (year, unit) in enumerate(zip(years, units)):
        year = int(year)
        if prev is None or year != prev[0] + 1 or unit != prev[1] or year in breaks:
            runs.append([])
        runs[-1].append(i)
        prev = (year, unit)
    return runs


def drawn_series(fig: Figure) -> list[dict]:
    """Every data line of a chart, as drawn: index, unit and the years it joins (x data); a data line
    carries the gid ``series:<index>:<unit>`` (a rank's unit is ``rank/<n>``, or ``rank``)."""
    out = []
    for ax in fig.axes:
        for line in ax.get_lines():
            gid = line.get_gid() or ""
            if gid.startswith("series:"):
                _, index, unit = gid.split(":", 2)
                out.append(
                    {
                        "index": index,
                        "unit": unit,
                        "years": [float(x) for x in cast(Sequence[float], line.get_xdata())],
                        "label": line.get_label(),
                    }
                )
    return out


def _with_unit(frame: pd.DataFrame, unit: str) -> pd.DataFrame:
    """The frame with a unit on every row: its own, else ``unit``."""
    own = frame["unit"] if "unit" in frame.columns else pd.Series("", index=frame.index)
    return frame.assign(unit=[u if isinstance(u, str) and u else unit for u in own])


def _rank_unit(rank_of) -> str:
    return f"rank/{int(rank_of)}" if pd.notna(rank_of) else "rank"


def _rank_title(ranks: pd.DataFrame, lang: str) -> str:
    """The rank panel's title, out of each year's own number ranked: 'Thứ hạng (/63)', or when it changed
    'Thứ hạng' over '/63: 2018–2020', '/60: 2021', '/61: 2022–2024', a line each (ranks: columns year,
    rank_of)."""
    of = ranks.dropna(subset=["rank_of"]).drop_duplicates("year").sort_values("year")
    if of.empty:
        return text("chart.rank", lang)
    if of["rank_of"].nunique() == 1:
        return text("chart.rank_of", lang, n=int(of["rank_of"].iloc[0]))
    runs: list[list[int]] = []  # [number ranked, first year, last year]
    for year, n in zip(of["year"].astype(int), of["rank_of"].astype(int)):
        if runs and runs[-1][0] == n:
            runs[-1][2] = year
        else:
            runs.append([n, year, year])
    return text(
        "chart.rank_by_year",
        lang,
        list="\n".join(
            text("chart.rank_of_years", lang, n=n, years=f"{a}–{b}" if a != b else str(a)) for n, a, b in runs
        ),
    )


def _scales_text(scales: list[str], lang: str) -> str:
    return "; ".join(unit_scale(u, lang) for u in scales if u)


def _plot_runs(ax, rows: pd.DataFrame, column: str, index: str, breaks, label: str, **style) -> list:
    """One line per run of ``rows`` (``series_runs``: year, unit), each with the gid
    ``series:<index>:<unit>``; the first carries ``label``, the others none."""
    if rows.empty:
        return []
    if style.get("markerfacecolor") is None:
        style.pop("markerfacecolor", None)
    lines: list[Any] = []
    years, values, units = rows["year"], rows[column].astype(float), rows["unit"].tolist()
    for run in series_runs(years.tolist(), units, breaks):  # each run's rows of the two columns drawn
        (line,) = ax.plot(years.iloc[run], values.iloc[run], label=label if not lines else "_", **style)
        line.set_gid(f"series:{index}:{units[run[0]]}")
        lines.append(line)
    return lines


@_themed
def components_chart(comp: pd.DataFrame, lang: str) -> Figure:
    """Horizontal bars: each area's score as a share of its maximum (comp: component, share)."""
    comp = comp.sort_values("share")
    fig = Figure(figsize=(WIDTH_IN, 0.45 * len(comp) + 0.9))
    ax = fig.subplots()
    ax.barh(_wrap(comp["component"]), comp["share"] * 100, color=PALETTE["province"])
    for y, v in enumerate(comp["share"] * 100):
        ax.text(v + 0.5, y, fmt_number(v, lang, 1) + "%", va="center", fontsize=SMALLEST_FONT_PT)
    ax.set_xlim(0, 105)
    ax.set_xlabel(text("chart.share_of_max", lang))
    _numbers_in(lang, ax.xaxis)
    _place(fig, [[ax]])
    return fig


@_themed
def targets_chart(rows: pd.DataFrame, lang: str) -> Figure:
    """Each numeric target's latest value against the target value, coloured by status; one panel per
    kind of measure (unit, and whether lower is better), each on its own axis.

    rows: label, actual, target, status, lower_is_better and, optionally, unit. Where higher is better, a
    bar from zero and a red mark at the target. Where lower is better (a rank: 1 is best), a point and the
    target mark on an axis running from worse (left) to better (right), joined by a line in the status
    colour, so that a point short of the mark reads as short of the target.
    """
    rows = _with_unit(rows.reset_index(drop=True), "")
    groups = [g for _, g in rows.groupby([rows["lower_is_better"], rows["unit"]], sort=False)]
    fig = Figure(figsize=(WIDTH_IN, 0.55 * len(rows) + 1.0 + 0.75 * (len(groups) - 1)))
    axes = fig.subplots(len(groups), 1, squeeze=False, height_ratios=[len(g) for g in groups])[:, 0]
    for ax, g in zip(axes, groups):
        g = g.reset_index(drop=True)
        if g["lower_is_better"].iloc[0]:
            _lower_is_better_targets(ax, g, lang)
        else:
            _higher_is_better_targets(ax, g, lang)
        ax.set_yticks(range(len(g)), _wrap(g["label"], 26))
        ax.invert_yaxis()
        _numbers_in(lang, ax.xaxis)
    _place(fig, [[ax] for ax in axes])
    return fig


def _higher_is_better_targets(ax, rows: pd.DataFrame, lang: str) -> None:
    for i, r in rows.iterrows():
        color = PALETTE.get(r["status"], PALETTE["no_data"])
        if pd.notna(r["actual"]):
            ax.barh(i, r["actual"], color=color, height=0.55)
            ax.text(r["actual"], i, " " + fmt_number(r["actual"], lang, 2), va="center", fontsize=SMALLEST_FONT_PT)
        else:
            ax.text(
                0,
                i,
                " " + text("status.no_data", lang),
                va="center",
                fontsize=SMALLEST_FONT_PT,
                color=PALETTE["no_data"],
            )
        ax.plot([r["target"], r["target"]], [i - 0.38, i + 0.38], color=PALETTE["target"], linewidth=2)
    unit = rows["unit"].iloc[0]
    ax.set_xlabel(
        text("chart.target_value", lang)
        if unit in ("", "%")
        else text("chart.target_value_in", lang, unit=unit_scale(unit, lang))
    )


def _lower_is_better_targets(ax, rows: pd.DataFrame, lang: str) -> None:
    """Point and target mark on an inverted axis (the better end, 1 for a rank, on the right)."""
    rank = rows["unit"].iloc[0] == "rank"
    for i, r in rows.iterrows():
        color = PALETTE.get(r["status"], PALETTE["no_data"])
        ax.plot([r["target"], r["target"]], [i - 0.38, i + 0.38], color=PALETTE["target"], linewidth=2)
        if pd.notna(r["actual"]):
            ax.plot([r["actual"], r["target"]], [i, i], color=color, linewidth=1.5, linestyle=":")
            ax.plot([r["actual"]], [i], marker="o", markersize=9, color=color, linestyle="")
            ax.annotate(
                fmt_number(r["actual"], lang, 0 if rank else 2),
                (r["actual"], i),
                textcoords="offset points",
                xytext=(0, 7),
                ha="center",
                va="bottom",
                fontsize=SMALLEST_FONT_PT,
            )
        else:
            ax.text(
                r["target"],
                i,
                " " + text("status.no_data", lang),
                va="center",
                fontsize=SMALLEST_FONT_PT,
                color=PALETTE["no_data"],
            )
    worst = float(pd.concat([rows["actual"], rows["target"]]).max())
    if rank:
        left = max(worst * 1.2, worst + 5)
        ax.set_xlim(left, 1 - 0.04 * left)  # rank 1 on the right
        ax.set_xticks([1, *range(10, int(left) + 1, 10)])
        ax.set_xlabel(text("chart.target_rank", lang))
    else:
        ax.set_xlim(worst * 1.25, 0)
        unit = rows["unit"].iloc[0]
        ax.set_xlabel(
            text("chart.target_lower_in", lang, unit=unit_scale(unit, lang))
            if unit
            else text("chart.target_lower", lang)
        )
        ax.xaxis.set_major_locator(ticker.MaxNLocator(nbins=6))
    ax.set_ylim(len(rows) - 0.4, -0.8)  # room above the first point for its value


@_themed
def tthc_chart(flows: pd.DataFrame, lang: str) -> Figure:
    """Dossier counts by stage (flows: label, count, kind)."""
    flows = flows.dropna(subset=["count"]).reset_index(drop=True)
    fig = Figure(figsize=(WIDTH_IN, 0.4 * len(flows) + 0.9))
    ax = fig.subplots()
    colors = [{"late": PALETTE["off_track"], "ok": PALETTE["met"]}.get(k, PALETTE["province"]) for k in flows["kind"]]
    ax.barh(_wrap(flows["label"], 26), flows["count"], color=colors)
    for y, v in enumerate(flows["count"]):
        ax.text(v, y, " " + fmt_number(v, lang, 0), va="center", fontsize=SMALLEST_FONT_PT)
    ax.invert_yaxis()
    ax.set_xlabel(text("chart.dossiers", lang))
    ax.set_xlim(0, flows["count"].max() * 1.15)
    _numbers_in(lang, ax.xaxis)
    _place(fig, [[ax]])
    return fig


@_themed
def ranking_chart(units: pd.DataFrame, lang: str) -> Figure:
    """Scores of departments or districts, best first (units: unit, score)."""
    units = units.sort_values("score", ascending=True)
    fig = Figure(figsize=(WIDTH_IN, 0.35 * len(units) + 0.9))
    ax = fig.subplots()
    ax.barh(_wrap(units["unit"], 26), units["score"], color=PALETTE["province"])
    ax.set_xlabel(text("chart.score", lang))
    _numbers_in(lang, ax.xaxis)
    _place(fig, [[ax]])
    return fig


def _wrap(labels, width: int = 26) -> list[str]:
    return ["\n".join(textwrap.wrap(str(s), width)) or str(s) for s in labels]


def _year_axis(ax, years, most: int = 7) -> set[int]:
    """A grid line for every year; a tick label on at most ``most`` of them (the last year always), so that
    a series of 14 years stays readable on a phone; the first and last years kept off the frame.
    Returns the labelled years. Only the labelled years are ticks: the other years' grid lines are one line
    of the grid's style (gid ``grid:years``): the same pixels, without the five artists of a tick each."""
    years = sorted(int(y) for y in years)
    labelled = _every_nth_year(years, most)
    ticks = sorted(labelled)
    _ticks_at(ax.xaxis, ticks, [str(y) for y in ticks])
    rest = [y for y in years if y not in labelled]
    if rest:
        rc = matplotlib.rcParams
        ax.plot(
            [x for y in rest for x in (y, y, np.nan)],
            [v for _ in rest for v in (0, 1, np.nan)],  # the axes' height, as a grid line
            transform=ax.get_xaxis_transform(which="grid"),
            color=rc["grid.color"],
            linewidth=rc["grid.linewidth"],
            linestyle=rc["grid.linestyle"],
            alpha=rc["grid.alpha"],
            zorder=0.5,  # under the data with the axes' own grid (axes.axisbelow)
            scalex=False,
            scaley=False,
            label="_",
            gid="grid:years",
        )
    pad = max(0.5, 0.08 * (years[-1] - years[0]))
    ax.set_xlim(years[0] - pad, years[-1] + pad)
    return labelled


def _ticks_at(axis, locs, labels=None) -> None:
    """Ticks at ``locs`` (labelled ``labels``, else by the axis's formatter), as ``set_ticks`` gives them but
    without making a tick object for each: a chart's axes are drawn by ``PlainAxis``, which reads the locator and
    formatter. The limits are the chart's to set, as they include the ticks."""
    axis.set_major_locator(ticker.FixedLocator(locs))
    if labels is not None:
        axis.set_major_formatter(ticker.FixedFormatter(labels))


def _every_nth_year(years, most: int) -> set[int]:
    """At most ``most`` of the years, evenly spaced in time (a series may skip years), the last one always."""
    years = sorted(int(y) for y in years)
    gap = max(1, -(-(years[-1] - years[0]) // max(1, most - 1)))  # ceiling division
    kept = [years[-1]]
    for y in reversed(years[:-1]):
        if kept[-1] - y >= gap:
            kept.append(y)
    return set(kept)


def _mark_breaks(ax, breaks, index: str = "") -> None:
    for year in breaks:
        ax.axvline(year - 0.5, color=PALETTE["break"], linestyle=":", linewidth=1.5, gid=f"break:{index}:{year}")


@_themed
def predecessors_chart(frame: pd.DataFrame, index: str, lang: str, unit: str = "", breaks=()) -> Figure:
    """The former provinces of a 2025 unit on the same axes: score (left, each scale named in the title)
    and rank (right, best at top), one colour per province, every province drawn named in the legend. A
    line joins only consecutive years of one scale and one method (``series_runs``).

    frame: columns province (name), year, score, unit (rows without one are in ``unit``), rank, rank_of.
    The figure's label is ``predecessors:<index>``.
    """
    frame = _with_unit(frame, unit)
    scores = frame[frame["score"].notna() & (frame["unit"] != "")]
    ranks = frame[frame["rank"].notna()]
    panels = [p for p in ("score", "rank") if not (scores if p == "score" else ranks).empty]
    fig = Figure(figsize=(WIDTH_IN, 3.2))
    fig.set_label(f"predecessors:{index}")
    axes = list(fig.subplots(1, max(len(panels), 1), squeeze=False)[0])
    names = list(dict.fromkeys(frame["province"]))
    colors = dict(zip(names, SERIES))
    years = sorted(frame["year"].unique())
    scales = list(dict.fromkeys(scores.sort_values("year")["unit"]))
    ofs = [int(o) for o in dict.fromkeys(ranks.sort_values("year")["rank_of"].dropna())]
    for ax, panel in zip(axes, panels):
        rows = scores if panel == "score" else ranks.assign(unit=[_rank_unit(o) for o in ranks["rank_of"]])
        for name in names:
            g = rows[rows["province"] == name].sort_values("year")
            for scale in dict.fromkeys(g["unit"]):
                _plot_runs(
                    ax,
                    g[g["unit"] == scale],
                    panel,
                    index,
                    breaks,
                    name,
                    marker="o",
                    color=colors[name],
                    markerfacecolor=None if panel == "rank" or scale == scales[-1] else "white",
                )
        if panel == "rank":
            bottom = max(ofs) if ofs else int(ranks["rank"].max())
            ax.set_ylim(bottom + 0.5 + 0.08 * bottom, 0.5 - 0.12 * bottom)  # best at top, no point on the frame
            _ticks_at(ax.yaxis, [1, *range(10, bottom + 1, 10)])
            ax.set_title(_rank_title(ranks, lang))
        else:
            ax.set_title(text("chart.score_in", lang, unit=_scales_text(scales, lang)))
        _year_axis(ax, years, 5 if len(panels) == 2 else 7)
        _mark_breaks(ax, breaks, index)
        _numbers_in(lang, ax.yaxis)
    legend = {}
    for ax in axes:  # a province drawn in one panel only is named too
        for handle, label in zip(*ax.get_legend_handles_labels()):
            legend[label] = handle  # the latest scale's (filled) point
    labels = [n for n in names if n in legend]
    foot = _foot_legend(fig, [legend[n] for n in labels], labels, len(labels))
    _place(fig, [axes], foot, LINE_PANEL_IN)
    return fig
