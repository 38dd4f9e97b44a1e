"""Years a user asks for: a results year within what the data can hold, and one with figures."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..data.provinces import MERGER_YEAR
from ..data.schema import YEAR_MAX, YEAR_MIN
from ..errors import UsageError
from .metrics import data_years

if TYPE_CHECKING:
    from ..data.dataset import Dataset


def results_year(year) -> int:
    """A results year given by a user, as a number within the years the data can hold (UsageError)."""
    try:
        year = int(str(year).strip())
    except ValueError:
        raise UsageError(f"year must be a number, got {year!r}") from None
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise UsageError(f"year {year} is outside the years the data can hold ({YEAR_MIN}–{YEAR_MAX})")
    return year


def year_with_figures(ds: Dataset, year: int) -> int:
    """``year`` when some province has figures for it, or the merger year (the first report of each unit
    formed in 2025 puts its predecessors' histories side by side); else UsageError naming the years."""
    years = data_years(ds)
    if year not in years and year != MERGER_YEAR:
        raise UsageError(f"no figures for {year} in the data: nothing to report; years with figures: {_span(years)}")
    return year


def _span(years: list[int]) -> str:
    """Years as short text: '2016–2024' when consecutive, else listed."""
    if not years:
        return "none"
    if years == list(range(years[0], years[-1] + 1)) and len(years) > 2:
        return f"{years[0]}–{years[-1]}"
    return ", ".join(map(str, years))
