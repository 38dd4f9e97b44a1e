"""The years a batch renders, as a user types them: ``2023``, a range ``2005-2025``, a list ``2021,2023``
(ranges and years mixed), or ``all``, every year a report can be made for.

A year named alone must have figures (else the batch says which years have them); a range takes the years
in it that have figures, and must hold at least one; ``all`` is the range of every year the data can hold.
"Has figures" is what a single-year batch accepts (``analysis.years.year_with_figures``: some province has a
figure, or 2025, whose new units report their predecessors' histories). Parsing needs no data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..data.schema import YEAR_MAX, YEAR_MIN
from ..errors import UsageError

if TYPE_CHECKING:
    from ..data.dataset import Dataset

HOW = "a year (2023), a range (2005-2025), a list (2021,2023) or all"
_RANGE = re.compile(r"(\d{4})\s*[-–]\s*(\d{4})")


@dataclass(frozen=True)
class YearsAsked:
    text: str  # as the batch's stamp and messages say it: "2005-2025", "2021,2023", "all"
    named: tuple[int, ...] = ()  # years named one by one: each must have figures
    spans: tuple[tuple[int, int], ...] = ()  # ranges, first and last year: the years in them with figures
    every: bool = False  # "all": every year with figures (the range YEAR_MIN-YEAR_MAX)

    def resolve(self, ds: Dataset) -> list[int]:
        """The years to render, sorted; UsageError naming --years when a range holds no year with figures."""
        from ..analysis.metrics import data_years
        from ..analysis.years import year_with_figures

        def has_figures(year: int) -> bool:
            try:
                year_with_figures(ds, year)
            except UsageError:
                return False
            return True

        with_figures = data_years(ds)
        years = {year_with_figures(ds, y) for y in self.named}  # UsageError: no figures for that year
        for first, last in ((YEAR_MIN, YEAR_MAX),) if self.every else self.spans:
            found = [y for y in range(first, last + 1) if has_figures(y)]
            if not found:
                raise UsageError(
                    f"--years {'all' if self.every else f'{first}-{last}'}: no year in this range has figures; "
                    f"years with figures: "
                    f"{', '.join(map(str, with_figures)) or 'none'}"
                )
            years.update(found)
        return sorted(years)


def parse_years(text: str) -> YearsAsked:
    """``--years`` as typed; UsageError saying what it takes when it is not one of those."""
    given = str(text).strip()
    if given.lower() == "all":
        return YearsAsked("all", every=True)
    named: list[int] = []
    spans: list[tuple[int, int]] = []
    parts = [p for p in re.split(r"[,\s]+", given) if p]
    if not parts:
        raise UsageError(f"--years takes {HOW} (got {text!r})")
    for part in parts:
        if (m := _RANGE.fullmatch(part)) is not None:
            first, last = int(m.group(1)), int(m.group(2))
            if first > last:
                raise UsageError(f"--years: the range {part} ends before it starts; write {last}-{first}")
            spans.append((_within(first, text), _within(last, text)))
        elif part.isdigit() and len(part) == 4:
            named.append(_within(int(part), text))
        else:
            raise UsageError(f"--years takes {HOW}; {part!r} is none of these (got {text!r})")
    shown = ",".join([*(str(y) for y in sorted(set(named))), *(f"{a}-{b}" for a, b in sorted(set(spans)))])
    return YearsAsked(shown, tuple(sorted(set(named))), tuple(sorted(set(spans))))


def _within(year: int, text: str) -> int:
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise UsageError(
            f"--years: {year} is outside the years the data can hold ({YEAR_MIN}–{YEAR_MAX}) (got {text!r})"
        )
    return year
