"""The words of the position analysis (``analysis.position``): gaps, groups, places in the region and the first
page's summary, in Vietnamese or English. Words from the catalogue, numbers by Babel (``narrative``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from ..analysis import metrics
from ..analysis.metrics import printed_decimals
from ..analysis.position import SUMMARY_MAX_AGE, standing
from ..catalogue import name_in, text
from ..data.indices import codes
from ..data.provinces import NEW
from .narrative import (
    fmt_number,
    fmt_pct,
    is_missing,
    rank_change_text,
    rank_text,
    score_change_text,
    unit_scale,
)

if TYPE_CHECKING:
    from ..data.dataset import Dataset


def fmt_gap(gap, unit: str, lang: str = "vi", words=("gap.same", "gap.above", "gap.below")) -> str:
    """A distance in score points, with its unit: 'cao hơn 4,45 điểm', 'thấp hơn 0,0123 điểm (thang 0–1)',
    'bằng'; missing -> ''. ``gap``: the difference of the printed figures (``metrics.printed_difference``).
    ``words``: the catalogue keys for level, above and below (the summary words them its own way).

    >>> fmt_gap(4.45, "%", "vi"), fmt_gap(-0.75, "%", "en"), fmt_gap(-0.0123, "index 0-1", "vi")
    ('cao hơn 4,45 điểm', '0.75 points lower', 'thấp hơn 0,0123 điểm (thang 0–1)')
    """
    if is_missing(gap):
        return ""
    decimals = printed_decimals(unit)
    same, above, below = words
    if round(float(gap), decimals) == 0:
        return text(same, lang)
    said = text(
        above if gap > 0 else below,
        lang,
        amount=text("points", lang, number=fmt_number(abs(float(gap)), lang, decimals)),
    )
    return text("on_scale", lang, said=said, scale=unit_scale(unit, lang)) if unit == "index 0-1" else said


def group_text(group, method, lang: str = "vi") -> str:
    """'nhóm A (≥ 90%)' (official PAR INDEX group) or 'nhóm 25% tỉnh đứng đầu' (quartile 1); '' when none."""
    if is_missing(group) or is_missing(method):
        return ""
    if isinstance(group, float) and group.is_integer():  # a quartile read back from a float column
        group = int(group)
    return text(f"group.{method}.{group}", lang)


def region_place_text(low, high, ranked: int, size: int, lang: str = "vi") -> str:
    """The place in the region (``position.index_position``: low, high, region_ranked, region_rank_of):
    '3/11' when it is known; else the bounds, '2 đến 6/6 (2/6 tỉnh có thứ hạng)', or '6–7/11' when all are
    ranked and equal printed scores share places; never one of them alone."""
    if is_missing(low) or is_missing(high):
        return text("missing", lang)
    if int(low) == int(high):
        return f"{int(low)}/{int(size)}"
    if int(ranked) >= int(size):  # every one ranked: places equal printed scores share, as '34–35/63' nationally
        return f"{int(low)}–{int(high)}/{int(size)}"
    return text("region_place.range", lang, low=int(low), high=int(high), ranked=int(ranked), size=int(size))


def change_text(score_delta, rank_delta, unit: str, breaks: list, lang: str = "vi") -> str:
    """'tăng 1,85 điểm; giữ nguyên thứ hạng', with '(phương pháp thay đổi năm 2022)' when a break lies
    between; missing -> the no-data words."""
    parts = [p for p in (score_change_text(score_delta, unit, lang), rank_change_text(rank_delta, lang)) if p]
    if not parts:
        return text("missing", lang)
    out = "; ".join(parts)
    if breaks:
        out += " " + text("position.break_flag", lang, years=", ".join(str(y) for y in breaks))
    return out


def standing_text(row: pd.Series, lang: str = "vi") -> str:
    """A component as the summary names it: 'Quản trị điện tử (PAPI 2023, 1/61, tăng 2 bậc)'."""
    what = [f"{row['index']} {int(row['year'])}", rank_text(row, lang)]
    if not is_missing(row.get("rank_delta")):
        what.append(rank_change_text(row["rank_delta"], lang))
    return text("components.area_rank", lang, area=name_in("component", row["component"], lang), rank=", ".join(what))


def summary_sentences(
    name: str, year: int, pos: pd.DataFrame, parts: pd.DataFrame, similar: pd.DataFrame, lang: str = "vi"
) -> list[str]:
    """About five sentences on where the province stands and what moved, from ``position.index_position``,
    ``position.standings`` (every ranked part of every index) and ``position.similar_provinces`` (any index):
    the main index's place, the other indices, the changes since the year before, the strongest and weakest
    parts against the other provinces, the provinces most alike."""
    if pos.empty:
        return [text("summary.none", lang, name=name, year=year)]
    out = []
    main = pos.iloc[0]
    index_name = text(f"index_short.{main['index']}", lang)
    clauses = []
    group = group_text(main["group"], main["group_method"], lang)
    if group:
        clauses.append(text("summary.group", lang, group=group))
    if not is_missing(main["rank_in_region_low"]) and main["region"]:
        low, high, size = int(main["rank_in_region_low"]), int(main["rank_in_region_high"]), int(main["region_rank_of"])
        region = name_in("region_name", main["region"], lang)
        ranked = int(main["region_ranked"])
        if low == high or ranked >= size:  # '6–7/11': equal printed scores share the places
            place = f"{low}/{size}" if low == high else f"{low}–{high}/{size}"
            clauses.append(text("summary.in_region", lang, place=place, region=region))
        else:
            clauses.append(
                text(
                    "summary.in_region_range",
                    lang,
                    low=low,
                    high=high,
                    size=size,
                    region=region,
                    ranked=ranked,
                )
            )
    gap = _national_gap(main["gap_national"], main["unit"], lang)
    if gap:
        clauses.append(gap)
    if is_missing(main["rank"]):
        level = text("summary.scored", lang, score=_score(main, lang))
    else:
        level = text("summary.ranked", lang, rank=rank_text(main, lang))
    out.append(
        text(
            "summary.main",
            lang,
            year=year,
            name=name,
            level=level,
            index=index_name,
            details=(", " + ", ".join(clauses)) if clauses else "",
        )
    )
    others = pos.iloc[1:]
    shown = [
        text(
            "summary.other",
            lang,
            index=text(f"index_short.{r['index']}", lang),
            figure=rank_text(r, lang) if not is_missing(r["rank"]) else _score(r, lang),
            group=(" (" + group_text(r["group"], r["group_method"], lang) + ")")
            if group_text(r["group"], r["group_method"], lang)
            else "",
        )
        for _, r in others.iterrows()
    ]
    if shown:
        out.append(text("summary.others", lang, list=", ".join(shown)))
    moved = pos.dropna(subset=["rank_delta"])
    if not moved.empty:
        moved = moved.assign(size=moved["rank_delta"].astype(float).abs()).sort_values(
            "size", ascending=False, kind="stable"
        )
        listed = ", ".join(
            text(
                "summary.move",
                lang,
                index=text(f"index_short.{r['index']}", lang),
                change=change_text(None, r["rank_delta"], "", r["breaks_prev"], lang),
            )
            for _, r in moved.iterrows()
        )
        out.append(text("summary.moved", lang, prev=year - 1, list=listed))
    if not recent_parts(parts, year).empty:
        best, worst = strongest_and_weakest(parts, year)
        for rows, key in ((best, "strengths"), (worst, "weaknesses")):
            if rows.empty:
                out.append(text(f"summary.no_{key}", lang))
                continue
            listed = "; ".join(standing_text(r, lang) for _, r in rows.iterrows())
            out.append(_with_years(text(f"summary.{key}", lang, list=listed), rows, year, lang))
    recent = similar[similar["year"] >= year - SUMMARY_MAX_AGE] if not similar.empty else similar
    if not recent.empty:  # the index whose table is the latest (the registry's order between equals)
        latest = int(recent["year"].max())
        first = recent[recent["index"] == recent.loc[recent["year"] == latest, "index"].iloc[0]]
        said = text("summary.similar", lang, index=first["index"].iloc[0], year=latest, names=", ".join(first["name"]))
        out.append(_with_years(said, first, year, lang))
    return out


def recent_parts(parts: pd.DataFrame, year: int) -> pd.DataFrame:
    """The parts the summary may name: those of the last ``SUMMARY_MAX_AGE`` years."""
    return parts[parts["year"] >= year - SUMMARY_MAX_AGE] if not parts.empty else parts


def strongest_and_weakest(parts: pd.DataFrame, year: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The parts the summary names as strongest and weakest against the other provinces, chosen among every
    recent part of every index (``position.standings``): a strength only in the upper half of the country,
    an area to improve only in the lower."""
    recent = recent_parts(parts, year)
    if recent.empty:
        return recent, recent
    return _first_two(recent[recent["half"] == "upper"], True), _first_two(recent[recent["half"] == "lower"], False)


def _first_two(rows: pd.DataFrame, strongest: bool) -> pd.DataFrame:
    """The two strongest (or weakest) parts, by ``position.standing``, with every part standing as the last
    of them (Đắk Nông 2024: informal charges and land access, both 8/63 in PCI 2023, not the first alone)."""
    if rows.empty:
        return rows
    key = standing(rows)
    order = key.sort_values(ascending=not strongest, kind="stable")
    last = order.iloc[min(2, len(order)) - 1]
    return rows.loc[order[order >= last].index if strongest else order[order <= last].index]


def year_why(index: str, shown: int, year: int, reason, lang: str = "vi") -> str:
    """Why figures of ``shown`` stand for the report's ``year`` ('' when they are the same year):
    'PAPI không công bố số liệu của tỉnh năm 2023, dùng số liệu năm 2022'."""
    if is_missing(reason) or int(shown) == int(year):
        return ""
    return text(f"year_why.{reason}", lang, index=index, shown=int(shown), year=int(year))


def _with_years(sentence: str, rows: pd.DataFrame, year: int, lang: str) -> str:
    """A summary sentence with, when its figures are of an earlier year than the report's, which and why."""
    notes = dict.fromkeys(
        year_why(i, y, year, r, lang) for i, y, r in zip(rows["index"], rows["year"], rows["year_reason"])
    )
    notes.pop("", None)
    if not notes:
        return text("summary.sentence", lang, text=sentence)
    return text("summary.sentence_why", lang, text=sentence, why="; ".join(notes))


def _national_gap(gap, unit: str, lang: str) -> str:
    return fmt_gap(gap, unit, lang, words=("summary.level_with", "summary.above", "summary.below"))


def _score(row: pd.Series, lang: str) -> str:
    from .narrative import fmt_score

    return fmt_score(row["score"], row["unit"], lang)


def ahead_text(share, lang: str = "vi") -> str:
    """The share of the other ranked provinces a part is ahead of: '66,1%'."""
    return fmt_pct(share, lang, 0)


def missing_text(ds: Dataset, unit, index: str, year: int, lang: str) -> str:
    """Why the province has no figure (or lacks its score or rank) of ``index`` in ``year``, in words ('' when
    it has both): published for the top n only, not published, or not yet entered (``metrics.missing_reason``),
    with its successor's figure where the successor has one (DTI 2024, published for the 34 units too)."""
    reason = metrics.missing_reason(ds, unit.slug, index, year)
    if reason is None:
        return ""
    fig = _successor_figure(ds, unit, index, year, reason)
    if fig is not None:
        same = ds.registry.get(fig["successor"]).unchanged  # not rearranged: not its own "successor"
        key = "for_successor" if reason == "for_successor" else "not_entered_same" if same else "not_entered_successor"
        return text(
            f"missing.{key}",
            lang,
            index=text(f"index.{index}", lang),
            year=year,
            n=(metrics.publication_limit(ds, index, year, NEW) or {}).get("n", ""),
            successor=ds.registry.get(fig["successor"]).name,
            name=unit.name,
            figure=rank_text(fig, lang),
        )
    if reason == "for_successor":  # its successor has a score but no rank to be told by: not published for it
        reason = "not_published"
    limit = metrics.publication_limit(ds, index, year, unit.generation) or {}
    return text(
        f"missing.{reason}",
        lang,
        publisher=text(f"publisher.{index}", lang),
        n=limit.get("n", ""),
        index=text(f"index.{index}", lang),
        year=year,
        name=unit.name,
    )


def _successor_figure(ds: Dataset, unit, index: str, year: int, reason: str | None) -> dict | None:
    """The figure of the old province's successor that its missing figure is told with: published for the new
    units only ('for_successor'), or for both generations and none of the province's own entered (one that
    lacks only its score or rank is not told of the successor's), told by its rank: none without one."""
    if reason not in ("for_successor", "not_entered"):
        return None
    if (metrics.index_history(ds, unit.slug, index)["year"] == year).any():
        return None
    fig = metrics.successor_figure(ds, unit.slug, index, year)
    return fig if fig is not None and not is_missing(fig["rank"]) else None


def limit_sentences(ds: Dataset, unit, year: int, lang: str) -> list[str]:
    """For the first page: each index whose figure is missing because the publisher published only its top n
    ('VCCI chỉ công bố 30 tỉnh dẫn đầu (… PCI 2023); …'), or whose successor has the figure the province lacks
    ('… Hải Phòng (đơn vị kế thừa Hải Dương từ 1/7/2025) xếp thứ 3/34 …')."""
    out = []
    for index in codes():
        reason = metrics.missing_reason(ds, unit.slug, index, year)
        if reason in ("outside_top_n", "top_n_unknown") or _successor_figure(ds, unit, index, year, reason) is not None:
            out.append(text("summary.limit", lang, why=missing_text(ds, unit, index, year, lang)))
    return out
