"""What every section of a province's report reads (``ReportContext``), made once per report by ``context``.
Its own module, below the section modules (``sections``, ``position_sections``), which all take it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..data.dataset import Dataset
    from ..data.provinces import Province


@dataclass
class ReportContext:
    """What every section of one report reads: the dataset, the province, the year and the language."""

    ds: Dataset
    unit: Province
    year: int
    lang: str
    params: dict


def context(province: str, year: int, lang: str = "vi", dataset=None) -> ReportContext:
    """Load the data once and resolve the province for the report (clear error if merged/unknown).

    >>> ctx = context("Đắk Nông", 2021)      # doctest: +SKIP
    >>> ctx.unit.slug, ctx.year               # doctest: +SKIP
    ('dak-nong', 2021)
    """
    from ..data.dataset import load_dataset

    ds = dataset or load_dataset(cache=True)  # a batch's checked copy, else unchanged data read from the disk cache
    unit = ds.registry.resolve(province, int(year))
    return ReportContext(ds, unit, int(year), lang, {"province": province, "year": int(year), "lang": lang})
