"""The classes the maps colour the units by: an index's figures of a year for every unit (``year_figures``), each
unit's class (``map_groups``: the ministry's groups A/B for PAR INDEX from 2024, otherwise the quarter of its rank)
and the legend of those classes (``map_legend``). Shared by the overview's maps and a province report's small maps
(``maps``), below both."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from ..analysis.position import national_table, official_group, quartile
from ..catalogue import text
from ..data.indices import record
from ..data.provinces import NEW, OLD, vi_sort_key

if TYPE_CHECKING:
    from ..data.dataset import Dataset


def year_figures(ds: Dataset, index: str, year: int) -> pd.DataFrame:
    """The overall figures of every province for an index and year (published ranks, or ranks computed from
    a complete table): the national table of each generation that has one (``position.national_table``; DTI
    2024 was published for the 63 and the 34 units), by the number ranked, best rank first."""
    tables = [national_table(ds, index, year, generation=gen) for gen in (OLD, NEW)]
    found = [t for t in tables if not t.empty]
    if not found:
        return tables[0]
    return pd.concat(found).sort_values("rank_of", na_position="last", kind="stable")


QUARTILE_COLOURS = ("#1f5f8b", "#5b8db8", "#9dbfdc", "#d8e6f2")  # top quarter darkest
GROUP_COLOURS = ("#1f5f8b", "#7fa8cf", "#d8e6f2")  # A, B, under 80%


def map_groups(ds: Dataset, index: str, year: int) -> pd.DataFrame:
    """Every unit of the year's generation with its class on the map of ``index``: PAR INDEX from 2024 the
    ministry's group by score (0 = A, 1 = B, 2 = under 80%; ``method`` 'official'), otherwise the quarter of
    its rank (0 = the top quarter; 'quartile'); <NA> without a figure, or when its rank is a range across
    two quarters. Columns province, name, rank, rank_of, score, group, method; in Vietnamese order."""
    units = sorted(ds.registry.valid_in(year), key=lambda p: vi_sort_key(p.name))
    figs = year_figures(ds, index, year).set_index("province")
    rec = record(index)
    rule = rec.groups if rec else None  # the index's official groups by score, if it has some
    official = rule is not None and year >= rule.from_year
    named = [name for name, _ in rule.limits] if rule else []
    rows = []
    for p in units:
        f = figs.loc[p.slug] if p.slug in figs.index else None
        rank = f["rank"] if f is not None else pd.NA
        rank_of = f["rank_of"] if f is not None else pd.NA
        score = f["score"] if f is not None else pd.NA
        if official:
            g = official_group(index, score, year)
            group = named.index(g) if g in named else len(named) if pd.notna(score) else pd.NA
        else:
            q = quartile(rank, rank_of)
            same = f is not None and q == quartile(f["rank_high"], rank_of)
            group = q - 1 if q is not None and same else pd.NA
        rows.append(
            {
                "province": p.slug,
                "name": p.name,
                "rank": rank,
                "rank_of": rank_of,
                "score": score,
                "group": group,
                "method": "official" if official else "quartile",
            }
        )
    return pd.DataFrame(rows).astype({"group": "Int64"})


def map_legend(method: str, lang: str) -> list[tuple[str, str]]:
    """The classes of ``map_groups`` as a map's legend, (label, colour) by group: the ministry's groups A, B
    and under 80% ('official'), or the four quarters of the ranking ('quartile'), darkest first."""
    if method == "official":
        labels = [text("group.official.A", lang), text("group.official.B", lang), text("map.under_b", lang)]
        return list(zip(labels, GROUP_COLOURS))
    return list(zip([text(f"group.quartile.{q}", lang) for q in range(1, 5)], QUARTILE_COLOURS))
