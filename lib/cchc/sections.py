"""The report's sections for a notebook: ``cchc.sections.<name>(ds, province, year, lang="vi", **options)``.

Each returns the report's own ``Section`` (tables, figures, sentences; shown in the notebook exactly as in
the report). Without options a section is the report's, HTML for HTML; the options change what it shows:

- ``history(..., compare=["Kon Tum", "Gia Lai"])``: other provinces' scores drawn beside the province and
  the means (the legend sits under the chart, off the lines); their figures in ``s.tables["compared"]``;
- ``similar(..., n=5)``: the ``n`` closest provinces on each index's parts (the report: 3);
- ``strengths(..., n=3)``: the ``n`` strongest and weakest parts of each index (the report: 2).

>>> s = cchc.sections.history(ds, "Đắk Nông", 2021, compare=["Kon Tum"])   # doctest: +SKIP
>>> s.tables["compared"]["name"].unique().tolist()                          # doctest: +SKIP
['Kon Tum']
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .report import position_sections
from .report import sections as report

if TYPE_CHECKING:
    from .data.dataset import Dataset
    from .report.output import Section

__all__ = [
    "context",
    "title",
    "summary",
    "headline",
    "position",
    "history",
    "par_components",
    "strengths",
    "similar",
    "targets",
    "plan_execution",
    "tthc",
    "unit_rankings",
    "sources_and_gaps",
    "footer",
]


def context(ds: Dataset, province: str, year: int, lang: str = "vi", **options) -> report.ReportContext:
    """The report's context for ``province`` and ``year`` on the loaded ``ds``, with the options the
    sections read (``compare``, ``n_similar``, ``n_strengths``)."""
    ctx = report.context(province, year, lang, dataset=ds)
    ctx.params.update(options)
    return ctx


def title(ds: Dataset, province: str, year: int, lang: str = "vi") -> Section:
    return report.title(context(ds, province, year, lang))


def summary(ds: Dataset, province: str, year: int, lang: str = "vi") -> Section:
    return position_sections.summary(context(ds, province, year, lang))


def headline(ds: Dataset, province: str, year: int, lang: str = "vi") -> Section:
    return report.headline(context(ds, province, year, lang))


def position(ds: Dataset, province: str, year: int, lang: str = "vi") -> Section:
    return position_sections.position(context(ds, province, year, lang))


def history(ds: Dataset, province: str, year: int, lang: str = "vi", compare: list[str] | tuple = ()) -> Section:
    """Each index over the years; ``compare``: provinces (any spelling) drawn beside the province."""
    return report.history(context(ds, province, year, lang, compare=list(compare)))


def par_components(ds: Dataset, province: str, year: int, lang: str = "vi") -> Section:
    return report.par_components(context(ds, province, year, lang))


def strengths(ds: Dataset, province: str, year: int, lang: str = "vi", n: int = 2) -> Section:
    """The ``n`` strongest and weakest parts of each index against the other provinces."""
    return position_sections.strengths(context(ds, province, year, lang, n_strengths=n))


def similar(ds: Dataset, province: str, year: int, lang: str = "vi", n: int = 3) -> Section:
    """The ``n`` provinces closest on the PAPI dimensions and the PCI sub-indices, and how they did."""
    return position_sections.similar(context(ds, province, year, lang, n_similar=n))


def targets(ds: Dataset, province: str, year: int, lang: str = "vi") -> Section:
    return report.targets(context(ds, province, year, lang))


def plan_execution(ds: Dataset, province: str, year: int, lang: str = "vi") -> Section:
    return report.plan_execution(context(ds, province, year, lang))


def tthc(ds: Dataset, province: str, year: int, lang: str = "vi") -> Section:
    return report.tthc(context(ds, province, year, lang))


def unit_rankings(ds: Dataset, province: str, year: int, lang: str = "vi") -> Section:
    return report.unit_rankings(context(ds, province, year, lang))


def sources_and_gaps(ds: Dataset, province: str, year: int, lang: str = "vi") -> Section:
    return report.sources_and_gaps(context(ds, province, year, lang))


def footer(ds: Dataset, province: str, year: int, lang: str = "vi") -> Section:
    return report.footer(context(ds, province, year, lang))
