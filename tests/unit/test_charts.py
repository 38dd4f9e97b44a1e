"""The report's charts, measured as drawn: no label on top of another or of a title, the legend off the
lines, no point on the edge of its axes, and text large enough to read when the chart is shown on a phone."""

from __future__ import annotations

import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text

from cchc.report import plots

PHONE_IMAGE_CSS_PX = 370  # a chart across a 390 px phone screen, less the page's margins


def _history(years, scores, ranks, of=63):
    return pd.DataFrame({"year": list(years), "score": scores, "rank": ranks, "rank_of": [of] * len(years)})


def _means(years, scores, label="Cả nước"):
    return pd.DataFrame({"year": list(years), "scope_label": label, "score": scores})


CASES = {
    "one year": (_history([2023], [83.57], [21.0]), _means([2023], [82.6]), "%", []),
    "score in the last of two years": (
        _history([2022, 2023], [None, 83.57], [30.0, 21.0]),
        _means([2022, 2023], [80.1, 82.6]),
        "%",
        [],
    ),
    "first every year, two means and two breaks": (
        _history(range(2018, 2024), [89.06, 90.09, None, 91.14, 90.10, 92.18], [1.0, 1.0, 1.0, 2.0, 1.0, 1.0]),
        pd.concat(
            [
                _means(range(2019, 2024), [81.2, None, 86.4, 84.8, 86.98]),
                _means([2022, 2023], [86.6, 88.33], "Đồng bằng sông Hồng"),
            ]
        ),
        "%",
        [2020, 2022],
    ),
    "fourteen years": (
        _history(range(2011, 2025), [35.8 + (i % 3) for i in range(14)], [27.0 + 3 * (i % 5) for i in range(14)]),
        _means(range(2011, 2025), [36.0] * 14),
        "points/80",
        [2018],
    ),
    "a series with gaps": (
        _history(
            [*range(2011, 2018), 2019, 2020, 2022],
            [35.0, 35.5, 33.9, 34.9, 35.3, 32.98, 36.0, 46.6, 48.7, 47.88],
            [43.0, 46.0, 61.0, 32.0, 62.0, 32.0, 3.0, 1.0, 1.0, 1.0],
        ),
        _means(range(2011, 2018), [35.6, 36.9, 36.1, 35.8, 35.5, 35.2, 37.2]),
        "points/80",
        [2018],
    ),
    "ranks only": (_history([2020, 2022, 2023], [None] * 3, [43.0, 24.0, 6.0]), None, "", []),
    "PAPI: 63, then 60, then 61 ranked": (
        _history(
            range(2018, 2025), [44.0, 45.1, 43.2, 42.8, 43.9, 44.2, 44.5], [20.0, 18.0, 33.0, 15.0, 16.0, 12.0, 9.0]
        ).assign(rank_of=[63, 63, 63, 60, 61, 61, 61]),
        _means(range(2018, 2025), [43.0] * 7),
        "points/80",
        [2018],
    ),
}


def _drawn(fig):
    FigureCanvasAgg(fig)
    fig.canvas.draw()
    return fig.canvas.get_renderer()


def _overlap(a, b, gap: float = 0) -> bool:
    """Two boxes overlap, or come closer than ``gap`` pixels."""
    return a.x0 < b.x1 + gap and b.x0 < a.x1 + gap and a.y0 < b.y1 + gap and b.y0 < a.y1 + gap


def _shown(texts):
    return [t for t in texts if t.get_visible() and t.get_text().strip()]


@pytest.fixture(params=list(CASES), scope="module")
def chart(request):
    history, means, unit, breaks = CASES[request.param]
    fig = plots.history_chart(history, "PAR", "vi", breaks=breaks, means=means, unit=unit)
    return fig, _drawn(fig)


def test_year_labels_do_not_overlap(chart):
    fig, renderer = chart
    for ax in fig.axes:
        boxes = [t.get_window_extent(renderer) for t in _shown(ax.get_xticklabels())]
        assert boxes, "each panel names its years"
        assert not any(_overlap(a, b, 4) for i, a in enumerate(boxes) for b in boxes[i + 1 :])


def test_value_labels_overlap_neither_titles_nor_each_other(chart):
    fig, renderer = chart
    titles = [ax.title.get_window_extent(renderer) for ax in fig.axes if ax.get_title()]
    for ax in fig.axes:
        labels = [t.get_window_extent(renderer) for t in _shown(ax.texts)]
        assert not any(_overlap(label, title) for label in labels for title in titles)
        assert not any(_overlap(a, b, 4) for i, a in enumerate(labels) for b in labels[i + 1 :])
        figure_box = fig.bbox
        assert all(figure_box.x0 <= b.x0 and b.x1 <= figure_box.x1 for b in labels)


def test_the_legend_covers_no_panel(chart):
    fig, renderer = chart
    legends = [*fig.legends, *[ax.get_legend() for ax in fig.axes if ax.get_legend()]]
    for legend in legends:
        box = legend.get_window_extent(renderer)
        assert not any(_overlap(box, ax.get_window_extent(renderer)) for ax in fig.axes)


def test_no_point_sits_on_the_edge_of_its_panel(chart):
    fig, renderer = chart
    for ax in fig.axes:
        x0, x1 = ax.get_xlim()
        margin = 0.06 * abs(x1 - x0)  # a point on the frame reads as cut off
        for line in ax.get_lines():
            if line.get_marker() in (None, "None", ""):
                continue  # the method-break lines run from edge to edge
            xs = [x for x in line.get_xdata() if x == x]
            assert all(min(x0, x1) + margin <= x <= max(x0, x1) - margin for x in xs), (xs, (x0, x1))


def test_chart_text_is_readable_on_a_phone(chart):
    fig, renderer = chart
    scale = PHONE_IMAGE_CSS_PX / _png_width(fig)
    sizes = [t.get_fontsize() for t in _shown(fig.findobj(Text))]
    smallest_px = min(sizes) * plots.DPI / 72 * min(1.0, scale)
    assert smallest_px >= 9, f"smallest text {min(sizes)} pt shows as {smallest_px:.1f} px on a phone"


@pytest.mark.parametrize(
    "lang, title",
    [
        ("vi", "Thứ hạng\n/63: 2018–2020\n/60: 2021\n/61: 2022–2024"),
        ("en", "Rank\n/63: 2018–2020\n/60: 2021\n/61: 2022–2024"),
    ],
)
def test_each_rank_on_the_chart_is_out_of_its_own_years_number_ranked(lang, title):
    history = CASES["PAPI: 63, then 60, then 61 ranked"][0]
    fig = plots.history_chart(history, "PAPI", lang, unit="points/80")
    assert fig.axes[-1].get_title() == title  # never '/63' over the years that ranked 60 or 61
    same = plots.history_chart(history.assign(rank_of=63), "PAPI", lang, unit="points/80")
    assert same.axes[-1].get_title() == ("Thứ hạng (/63)" if lang == "vi" else "Rank (/63)")


def test_the_predecessors_ranks_are_out_of_their_own_years_number_ranked():
    frame = pd.DataFrame(
        {
            "province": ["A", "A", "B", "B"],
            "year": [2020, 2021, 2020, 2021],
            "score": None,
            "unit": "",
            "rank": [5.0, 7.0, 40.0, 33.0],
            "rank_of": [63, 60, 63, 60],
        }
    )
    fig = plots.predecessors_chart(frame, "PAPI", "en")
    assert fig.axes[-1].get_title() == "Rank\n/63: 2020\n/60: 2021"


def _png_width(fig) -> int:
    import io

    from PIL import Image

    return Image.open(io.BytesIO(plots.png_bytes(fig))).size[0]


COMPONENTS = pd.DataFrame(
    {"component": ["Cải cách thủ tục hành chính", "Cải cách tổ chức bộ máy hành chính nhà nước"], "share": [0.9, 0.55]}
)
TARGETS = pd.DataFrame(
    {
        "label": ["Thứ hạng Chỉ số CCHC (PAR INDEX)", "Tỷ lệ hồ sơ giải quyết đúng hạn"],
        "actual": [51.0, 98.5],
        "target": [40.0, 100.0],
        "status": ["off_track", "on_track"],
        "lower_is_better": [True, False],
    }
)
FLOWS = pd.DataFrame(
    {"label": ["Tiếp nhận", "Đã giải quyết", "Trễ hạn"], "count": [9500.0, 9400.0, 100.0], "kind": ["", "ok", "late"]}
)
UNITS = pd.DataFrame({"unit": ["Sở Tư pháp", "Sở Nội vụ", "UBND huyện Cư Jút"], "score": [92.5, 80.0, 75.25]})


@pytest.mark.parametrize(
    "draw",
    [
        lambda: plots.components_chart(COMPONENTS, "vi"),
        lambda: plots.targets_chart(TARGETS, "vi"),
        lambda: plots.tthc_chart(FLOWS, "vi"),
        lambda: plots.ranking_chart(UNITS, "vi"),
    ],
    ids=["components", "targets", "tthc", "ranking"],
)
def test_bar_charts_are_readable_on_a_phone(draw):
    fig = draw()
    _drawn(fig)
    scale = PHONE_IMAGE_CSS_PX / _png_width(fig)
    smallest = min(t.get_fontsize() for t in _shown(fig.findobj(Text)))
    assert smallest * plots.DPI / 72 * min(1.0, scale) >= 9


# ------------------------------------------------------------------ lines join only what compares
PAPI_TWO_SCALES = pd.DataFrame(
    {
        "year": [*range(2011, 2018), 2018, 2019, 2022, 2023],
        "score": [35.8, 36.1, 35.2, 34.9, 35.3, 34.2, 34.63, 42.32, 43.1, 41.9, 42.6],
        "unit": ["points/60"] * 7 + ["points/80"] * 4,
        "rank": [20.0, 18, 30, 33, 29, 35, 40, 39, 30, 35, 31],
        "rank_of": [63] * 11,
    }
)
PAPI_MEANS = pd.DataFrame(
    {
        "year": [*range(2011, 2018), 2018, 2019, 2022, 2023],
        "scope_label": "Cả nước",
        "score": [35.6, 36.9, 36.1, 35.8, 35.5, 35.2, 37.2, 42.5, 43.0, 42.2, 42.9],
        "unit": ["points/60"] * 7 + ["points/80"] * 4,
    }
)


def _lines_join_only_what_compares(fig, breaks):
    drawn = plots.drawn_series(fig)
    assert drawn, "every data line carries its series gid"
    for line in drawn:
        steps = [b - a for a, b in zip(line["years"], line["years"][1:])]
        assert all(step == 1 for step in steps), f"{line['unit']} line crosses a missing year: {line['years']}"
        assert not [y for y in breaks if line["years"][0] < y <= line["years"][-1]], (
            f"{line['unit']} line crosses a method break: {line['years']}"
        )
    return drawn


def test_a_history_line_spans_no_scale_change_missing_year_or_method_break():
    """PAPI out of 60 (2011–2017) and out of 80 (2018 on) on one line read 34,63 -> 42,32 as a leap."""
    fig = plots.history_chart(PAPI_TWO_SCALES, "PAPI", "vi", breaks=[2018], means=PAPI_MEANS, unit="points/80")
    drawn = _lines_join_only_what_compares(fig, [2018])
    by_unit = {}
    for line in drawn:
        by_unit.setdefault(line["unit"], set()).update(line["years"])
    assert by_unit["points/60"] == set(range(2011, 2018))
    assert by_unit["points/80"] == {2018, 2019, 2022, 2023}
    assert by_unit["rank/63"] == {*range(2011, 2020), 2022, 2023}
    score_panel = fig.axes[0]
    assert "thang 60" in score_panel.get_title() and "thang 80" in score_panel.get_title()
    legend = [t.get_text() for legend in fig.legends for t in legend.get_texts()]
    assert any("thang 60" in t for t in legend) and any("thang 80" in t for t in legend), legend


@pytest.mark.parametrize("case", list(CASES))
def test_every_history_line_is_one_run_of_consecutive_years(case):
    history, means, unit, breaks = CASES[case]
    _lines_join_only_what_compares(plots.history_chart(history, "PAR", "vi", breaks, means, unit), breaks)


def _predecessors(index="SIPAS"):
    rows = [("Lâm Đồng", y, s, "%", r) for y, s, r in [(2021, 85.0, 20.0), (2022, 86.1, 15.0), (2023, 84.0, 30.0)]]
    rows += [("Đắk Nông", y, None, "", r) for y, r in [(2021, 40.0), (2022, 44.0), (2023, 50.0)]]
    rows += [("Bình Thuận", y, s, "%", r) for y, s, r in [(2020, 80.0, 33.0), (2022, 82.0, 28.0), (2023, 83.5, 25.0)]]
    return pd.DataFrame(rows, columns=["province", "year", "score", "unit", "rank"]).assign(rank_of=63)


def _long_predecessors():
    """PCI 2005–2022 of three provinces: the year labels of Lâm Đồng 2025's PCI chart ran into each other."""
    rows = [
        (name, y, 50.0 + i % 7 + k, "points/100", float(10 + (i * 3 + k * 11) % 50))
        for k, name in enumerate(["Bình Thuận", "Đắk Nông", "Lâm Đồng"])
        for i, y in enumerate(range(2005, 2023))
    ]
    return pd.DataFrame(rows, columns=["province", "year", "score", "unit", "rank"]).assign(rank_of=63)


@pytest.mark.parametrize(
    "frame, index, unit",
    [(_predecessors(), "SIPAS", "%"), (_long_predecessors(), "PCI", "points/100")],
    ids=["SIPAS", "PCI"],
)
def test_predecessors_chart_names_every_province_drawn_and_joins_only_consecutive_years(frame, index, unit):
    """Lâm Đồng 2025's SIPAS legend left out a province drawn only in the rank panel."""
    fig = plots.predecessors_chart(frame, index, "vi", unit)
    renderer = _drawn(fig)
    legend = {t.get_text() for legend in fig.legends for t in legend.get_texts()}
    assert legend == {"Lâm Đồng", "Đắk Nông", "Bình Thuận"}
    _lines_join_only_what_compares(fig, [])
    assert plots.unit_scale(unit, "vi") in fig.axes[0].get_title()  # the score axis names its scale
    for ax in fig.axes:
        boxes = [t.get_window_extent(renderer) for t in _shown(ax.get_xticklabels())]
        assert not any(_overlap(a, b, 4) for i, a in enumerate(boxes) for b in boxes[i + 1 :]), ax.get_title()


def test_a_rank_target_reads_better_to_the_right():
    """Đắk Nông's rank 51 against a target of 40 was a bar past the target mark: 'exceeded'."""
    fig = plots.targets_chart(TARGETS.assign(unit=["rank", "%"]), "vi")
    _drawn(fig)
    rank_ax = next(ax for ax in fig.axes if "hạng 1" in ax.get_xlabel())
    left, right = rank_ax.get_xlim()
    assert left > right, "rank 1 (best) on the right"
    assert not rank_ax.patches, "a rank is a point, not a bar from zero"
    point = next(line for line in rank_ax.get_lines() if line.get_marker() == "o")
    mark = next(line for line in rank_ax.get_lines() if line.get_color() == plots.PALETTE["target"])
    to_screen = rank_ax.transData.transform
    assert to_screen((point.get_xdata()[0], 0))[0] < to_screen((mark.get_xdata()[0], 0))[0], (
        "rank 51 is drawn short of (left of) the target of 40"
    )
    share_ax = next(ax for ax in fig.axes if ax is not rank_ax)
    assert share_ax.get_xlim()[0] < share_ax.get_xlim()[1]  # a share keeps its bar, higher to the right


# ------------------------------------------------------------------ laid out for the page
def _long_legend_history(lang):
    """PAPI of a province of the North Central region: two scales and the region's long name in the legend
    (Nghệ An 2023's chart was 728 px wide: on a phone its text shrank to 8 px)."""
    region = "Bắc Trung Bộ và duyên hải miền Trung" if lang == "vi" else "North Central and Central Coast"
    means = pd.concat([PAPI_MEANS, PAPI_MEANS.assign(scope_label=region, score=PAPI_MEANS["score"] - 0.4)])
    return plots.history_chart(PAPI_TWO_SCALES, "PAPI", lang, breaks=[2018], means=means, unit="points/80")


PAGE_CHARTS = {
    "history, long legend (vi)": lambda: _long_legend_history("vi"),
    "history, long legend (en)": lambda: _long_legend_history("en"),
    "history, four-line rank title": lambda: plots.history_chart(
        CASES["PAPI: 63, then 60, then 61 ranked"][0], "PAPI", "vi", unit="points/80"
    ),
    "predecessors": lambda: plots.predecessors_chart(_long_predecessors(), "PCI", "vi", "points/100"),
    "components": lambda: plots.components_chart(COMPONENTS, "vi"),
    "targets, long axis label": lambda: plots.targets_chart(TARGETS.assign(unit=["rank", "%"]), "vi"),
    "tthc": lambda: plots.tthc_chart(FLOWS, "en"),
    "ranking, long unit names": lambda: plots.ranking_chart(
        pd.DataFrame(
            {
                "unit": ["Sở Lao động, Thương binh và Xã hội", "Ban Quản lý các khu công nghiệp tỉnh", "Sở Y tế"],
                "score": [92.5, 80.0, 75.25],
            }
        ),
        "vi",
    ),
}


@pytest.mark.parametrize("draw", list(PAGE_CHARTS.values()), ids=list(PAGE_CHARTS))
def test_a_chart_is_as_wide_as_the_page_and_every_text_is_inside_it(draw):
    """Every chart is the same 616 px, so that a phone shows its text at one readable size; nothing is
    cut at its edges, and no tick label runs into another."""
    fig = draw()
    assert _png_width(fig) == round(plots.WIDTH_IN * plots.DPI)
    renderer = _drawn(fig)
    inside = fig.bbox
    texts = [t for t in _shown(fig.findobj(Text)) if not _tick_label_off_its_axis(t, fig)]
    for t in texts:
        box = t.get_window_extent(renderer)
        assert inside.x0 <= box.x0 and box.x1 <= inside.x1 and inside.y0 <= box.y0 and box.y1 <= inside.y1, t.get_text()
    for ax in fig.axes:
        for labels in (ax.get_xticklabels(), ax.get_yticklabels()):
            boxes = [t.get_window_extent(renderer) for t in _shown(labels) if t in texts]
            assert not any(_overlap(a, b, 1) for i, a in enumerate(boxes) for b in boxes[i + 1 :]), ax.get_title()
        title = ax.title.get_window_extent(renderer)
        assert not any(_overlap(title, t.get_window_extent(renderer)) for t in ax.get_yticklabels() if t in texts)
    legends = [legend.get_window_extent(renderer) for legend in fig.legends]
    for ax in fig.axes:
        below = [t.get_window_extent(renderer) for t in _shown([*ax.get_xticklabels(), ax.xaxis.label])]
        assert not any(_overlap(legend, b) for legend in legends for b in below)


def _tick_label_off_its_axis(t, fig) -> bool:
    """A tick label of a tick outside its axis's limits: matplotlib keeps it but does not draw it."""
    for ax in fig.axes:
        for axis, k in ((ax.xaxis, 0), (ax.yaxis, 1)):
            if any(t is label for label in axis.get_ticklabels()):
                lo, hi = sorted(axis.get_view_interval())
                return not lo - 1e-9 <= t.get_position()[k] <= hi + 1e-9
    return False


def test_a_chart_is_drawn_once_and_the_same_each_time():
    fig = _long_legend_history("vi")
    assert plots.png_bytes(fig) == plots.png_bytes(fig) == plots.png_bytes(_long_legend_history("vi"))


def test_a_chart_is_saved_as_rgb_with_the_pixels_matplotlib_draws_at_its_size():
    """The PNG holds the pixels matplotlib saves for the chart at its own size: written as RGB (every chart
    is opaque; a quarter less to compress) at the charts' resolution, nothing lost."""
    import io

    import numpy as np
    from PIL import Image

    fig = _long_legend_history("en")
    png = Image.open(io.BytesIO(plots.png_bytes(fig)))
    buf = io.BytesIO()
    with plots.theme():
        fig.savefig(buf, format="png", dpi=plots.DPI)
    drawn = Image.open(buf)
    assert png.mode == "RGB" and png.size == drawn.size and round(png.info["dpi"][0]) == plots.DPI
    assert (np.asarray(png) == np.asarray(drawn.convert("RGB"))).all()


def _history_case(name: str):
    history, means, unit, breaks = CASES[name]
    return plots.history_chart(history, "PAR", "en", breaks=breaks, means=means, unit=unit)


@pytest.mark.parametrize(
    "draw",
    [*PAGE_CHARTS.values(), *[lambda name=name: _history_case(name) for name in CASES]],
    ids=[*PAGE_CHARTS, *CASES],
)
def test_an_axis_drawn_plainly_has_the_pixels_of_matplotlibs_own_ticks(draw):
    """When the report draws a chart, its axes without a label are drawn by ``plots.PlainAxis`` (a grid line
    and a text per tick label, not five artists per tick): the same pixels as matplotlib's own ticks."""
    fig = draw()
    assert plots._plain_axes(fig), "the chart draws its unlabelled axes plainly"
    assert (plots._pixels(fig) == plots._pixels(fig, plainly=False)).all()


def _pixels_by_matplotlibs_own_renderer(fig, monkeypatch):
    from matplotlib.backends.backend_agg import RendererAgg

    with monkeypatch.context() as m:
        m.setattr(plots, "_renderer", lambda width, height: RendererAgg(width, height, plots.DPI))
        return plots._pixels(fig)


@pytest.mark.parametrize(
    "draw",
    [*PAGE_CHARTS.values(), *[lambda name=name: _history_case(name) for name in CASES]],
    ids=[*PAGE_CHARTS, *CASES],
)
def test_text_drawn_from_kept_glyphs_has_the_pixels_of_matplotlibs_own_renderer(draw, monkeypatch):
    """The charts' renderer keeps each text's layout and each glyph's bitmap once drawn (``plots._LAYOUTS``,
    ``plots._GLYPHS``): drawn the first time and drawn again from what it kept, a chart has the pixels
    matplotlib's own Agg renderer gives it, every glyph where matplotlib puts it."""
    fig = draw()
    plots._LAYOUTS.clear()
    plots._GLYPHS.clear()
    first = plots._pixels(fig)
    assert plots._LAYOUTS and plots._GLYPHS, "the texts drawn are kept"
    again = plots._pixels(fig)
    assert (first == _pixels_by_matplotlibs_own_renderer(fig, monkeypatch)).all()
    assert (again == first).all()


def test_a_text_is_laid_out_and_its_glyphs_rendered_once_wherever_it_is_drawn(monkeypatch):
    """The same text drawn at other places (whole pixels and fractions of a pixel apart, turned or not) is
    laid out once and each glyph rendered once for each sixty-fourth of a pixel it falls on: the same pixels
    as matplotlib's renderer gives."""
    from matplotlib.figure import Figure

    def figure(xs):
        fig = Figure(figsize=(plots.WIDTH_IN, 1.5))
        for i, x in enumerate(xs):
            fig.text(x, 0.2 + 0.1 * (i % 6), "Thứ hạng 2023", rotation=90 if i % 5 == 4 else 0)
        return fig

    # x in pixels: 10.25 and every whole pixel after it, then other fractions
    xs = [(10.25 + k) / (plots.WIDTH_IN * plots.DPI) for k in (0, 1, 37, 200)]
    xs += [(10.5 + k) / (plots.WIDTH_IN * plots.DPI) for k in (0, 3, 150)]
    plots._LAYOUTS.clear()
    plots._GLYPHS.clear()
    with plots.theme():
        fig = figure(xs)
        drawn = plots._pixels(fig)
        assert len(plots._LAYOUTS) <= 2  # the text, once for each font size drawn (one here)
        glyphs = len(plots._GLYPHS)
        assert (drawn == _pixels_by_matplotlibs_own_renderer(fig, monkeypatch)).all()
        plots._pixels(figure(xs))
        assert len(plots._GLYPHS) == glyphs, "nothing rendered again"
        assert glyphs < len(xs) * len("Thứ hạng 2023")


def test_a_report_chart_handed_to_an_analyst_keeps_matplotlibs_own_axes():
    """Drawing a chart for the report leaves the figure as matplotlib made it: a label the analyst adds to an
    axis afterwards is drawn, and ``ax.axis("off")`` hides its ticks."""
    import io

    import matplotlib

    fig = _history_case(next(iter(CASES)))
    plots.png_bytes(fig)  # as the report shows it
    ax = fig.axes[0]
    assert not any(isinstance(a, plots.PlainAxis) for a in ax.get_children())
    ax.set_xlabel("ANALYSTS-LABEL")
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        buf = io.BytesIO()
        fig.savefig(buf, format="svg", bbox_inches="tight")
        assert b"ANALYSTS-LABEL" in buf.getvalue()
        ticks = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
        for each in fig.axes:
            each.axis("off")
        buf = io.BytesIO()
        fig.savefig(buf, format="svg")
        assert ticks and not any(f">{t}<".encode() in buf.getvalue() for t in ticks)
