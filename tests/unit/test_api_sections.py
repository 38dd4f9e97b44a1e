"""``cchc.sections.<name>(ds, province, year, **options)`` (issue 21, item 6): without options the report's
own section, HTML for HTML; with them, more comparison provinces, peers or parts, the legend off the lines."""

from __future__ import annotations

import pytest

import cchc
from cchc.report import sections as report

NAMES = [n for n in cchc.sections.__all__ if n != "context"]


@pytest.mark.parametrize("name", NAMES)
def test_a_section_without_options_renders_exactly_like_the_reports(shipped, name):
    ctx = report.context("Đắk Nông", 2023, "vi", dataset=shipped)
    assert getattr(cchc.sections, name)(shipped, "Đắk Nông", 2023).to_html() == getattr(report, name)(ctx).to_html()


def _boxes(fig):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig).draw()
    renderer = fig.canvas.get_renderer()
    return [ax.get_window_extent(renderer) for ax in fig.axes], [leg.get_window_extent(renderer) for leg in fig.legends]


def test_history_draws_other_provinces_beside_with_the_legend_off_the_lines(shipped):
    s = cchc.sections.history(shipped, "Đắk Nông", 2023, compare=["Kon Tum", "gia lai"])
    assert set(s.tables["compared"]["name"]) == {"Kon Tum", "Gia Lai"}
    fig = s.figures[0]  # PAR INDEX: score and rank
    labels = [line.get_label() for line in fig.axes[0].get_lines()]
    assert "Kon Tum" in labels and "Gia Lai" in labels
    axes, legends = _boxes(fig)
    assert legends and not any(leg.overlaps(ax) for leg in legends for ax in axes)
    kon_tum = s.tables["compared"].query("index == 'PAR' and name == 'Kon Tum'").set_index("year")
    assert kon_tum.loc[2023, "rank"] == cchc.history(shipped, "Kon Tum", "PAR").set_index("year").loc[2023, "rank"]


def test_similar_and_strengths_take_their_number(shipped):
    five = cchc.sections.similar(shipped, "Hà Nội", 2023, n=5).tables["similar"]
    assert five.groupby("index").size().eq(5).all()
    three = cchc.sections.strengths(shipped, "Kon Tum", 2023, n=3).tables["strengths"]
    # three a side, and a fourth only where it shares the third's place (Kon Tum's PAPI 2023: two at 46/61)
    sizes = three.groupby(["index", "side"]).size()
    assert sizes.max() == 4 and sizes.drop(("PAPI", "strength")).max() == 3
