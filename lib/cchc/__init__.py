"""CCHC reporting suite: administrative-reform progress of Vietnam's provinces.

The analysis API (``cchc.api``), for notebooks::

    import cchc
    ds = cchc.load()                          # the validated data/ as tidy DataFrames
    cchc.history(ds, "Đắk Nông", "PAR")       # a province's history of an index
    cchc.peers(ds, "Đắk Nông", "PAR", 2022)   # its region's provinces in that year's national table

Importing ``cchc`` is cheap and changes nothing global: the API's modules (and pandas) are imported on
first use, matplotlib only by the report sections.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .fingerprint import SUITE_VERSION as __version__

# Names of the analysis API, served from cchc.api when first asked for (PEP 562).
_API = (
    "load",
    "province",
    "history",
    "headline",
    "components",
    "change",
    "compare",
    "national_table",
    "peers",
    "means",
    "region_history",
    "method_breaks",
    "coverage",
    "missing",
    "targets",
    "tthc_rates",
    "unit_rankings",
    "sources",
    "plan_execution",
    "position_table",
    "strengths",
    "similar_provinces",
    "summary_sentences",
    "to_excel",
)

# Submodules an analyst reaches as attributes: cchc.errors (the error hierarchy), cchc.sections (report sections).
_MODULES = ("errors", "sections")

__all__ = ["__version__", *_API, *_MODULES]

if TYPE_CHECKING:  # for type checkers and editors; at run time these come from __getattr__
    from . import errors, sections  # noqa: F401
    from .api import (  # noqa: F401
        change,
        compare,
        components,
        coverage,
        headline,
        history,
        load,
        means,
        method_breaks,
        missing,
        national_table,
        peers,
        plan_execution,
        position_table,
        province,
        region_history,
        similar_provinces,
        sources,
        strengths,
        summary_sentences,
        targets,
        to_excel,
        tthc_rates,
        unit_rankings,
    )


def __getattr__(name: str) -> Any:
    if name in _API:
        from . import api

        return getattr(api, name)
    if name in _MODULES:
        import importlib

        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'cchc' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_API) | set(_MODULES))
