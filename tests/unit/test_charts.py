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
    "score in the last of two years": (_history([2022, 2023], [None, 83.57], [30.0, 21.0]),
                                       _means([2022, 2023], [80.1, 82.6]), "%", []),
    "first every year, two means and two breaks": (
        _history(range(2018, 2024), [89.06, 90.09, None, 91.14, 90.10, 92.18], [1.0, 1.0, 1.0, 2.0, 1.0, 1.0]),
        pd.concat([_means(range(2019, 2024), [81.2, None, 86.4, 84.8, 86.98]),
                   _means([2022, 2023], [86.6, 88.33], "Đồng bằng sông Hồng")]), "%", [2020, 2022]),
    "fourteen years": (_history(range(2011, 2025), [35.8 + (i % 3) for i in range(14)],
                                [27.0 + 3 * (i % 5) for i in range(14)]), _means(range(2011, 2025), [36.0] * 14),
                       "points/80", [2018]),
    "a series with gaps": (_history([*range(2011, 2018), 2019, 2020, 2022], [35.0, 35.5, 33.9, 34.9, 35.3, 32.98,
                                                                             36.0, 46.6, 48.7, 47.88],
                                    [43.0, 46.0, 61.0, 32.0, 62.0, 32.0, 3.0, 1.0, 1.0, 1.0]),
                           _means(range(2011, 2018), [35.6, 36.9, 36.1, 35.8, 35.5, 35.2, 37.2]), "points/80",
                           [2018]),
    "ranks only": (_history([2020, 2022, 2023], [None] * 3, [43.0, 24.0, 6.0]), None, "", []),
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
        assert not any(_overlap(a, b, 4) for i, a in enumerate(boxes) for b in boxes[i + 1:])


def test_value_labels_overlap_neither_titles_nor_each_other(chart):
    fig, renderer = chart
    titles = [ax.title.get_window_extent(renderer) for ax in fig.axes if ax.get_title()]
    for ax in fig.axes:
        labels = [t.get_window_extent(renderer) for t in _shown(ax.texts)]
        assert not any(_overlap(label, title) for label in labels for title in titles)
        assert not any(_overlap(a, b, 4) for i, a in enumerate(labels) for b in labels[i + 1:])
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


def _png_width(fig) -> int:
    import io

    from PIL import Image

    return Image.open(io.BytesIO(plots.png_bytes(fig))).size[0]


COMPONENTS = pd.DataFrame({"component": ["Cải cách thủ tục hành chính", "Cải cách tổ chức bộ máy hành chính nhà nước"],
                           "share": [0.9, 0.55]})
TARGETS = pd.DataFrame({"label": ["Thứ hạng Chỉ số CCHC (PAR INDEX)", "Tỷ lệ hồ sơ giải quyết đúng hạn"],
                        "actual": [51.0, 98.5], "target": [40.0, 100.0], "status": ["off_track", "on_track"],
                        "lower_is_better": [True, False]})
FLOWS = pd.DataFrame({"label": ["Tiếp nhận", "Đã giải quyết", "Trễ hạn"], "count": [9500.0, 9400.0, 100.0],
                      "kind": ["", "ok", "late"]})
UNITS = pd.DataFrame({"unit": ["Sở Tư pháp", "Sở Nội vụ", "UBND huyện Cư Jút"], "score": [92.5, 80.0, 75.25]})


@pytest.mark.parametrize("draw", [
    lambda: plots.components_chart(COMPONENTS, "vi"), lambda: plots.targets_chart(TARGETS, "vi"),
    lambda: plots.tthc_chart(FLOWS, "vi"), lambda: plots.ranking_chart(UNITS, "vi"),
], ids=["components", "targets", "tthc", "ranking"])
def test_bar_charts_are_readable_on_a_phone(draw):
    fig = draw()
    _drawn(fig)
    scale = PHONE_IMAGE_CSS_PX / _png_width(fig)
    smallest = min(t.get_fontsize() for t in _shown(fig.findobj(Text)))
    assert smallest * plots.DPI / 72 * min(1.0, scale) >= 9
