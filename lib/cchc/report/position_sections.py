"""The report's sections on where the province stands (``sections.summary``, ``position``, ``strengths``,
``similar``): each returns a ``Section`` with the DataFrame behind it. The analysis (``position``) is done
once per report context and shared by the four sections."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from ..analysis import position as analysis
from ..catalogue import name_in, text
from ..data.provinces import generation_for_year as generation
from . import maps
from .narrative import (
    fmt_list,
    fmt_number,
    fmt_rank,
    fmt_score,
    is_missing,
    rank_change_text,
    rank_text,
    score_change_text,
)
from .output import Section
from .summary import (
    change_text,
    fmt_gap,
    group_text,
    limit_sentences,
    region_place_text,
    strongest_and_weakest,
    summary_sentences,
    year_why,
)

if TYPE_CHECKING:
    from .context import ReportContext


def _analysis(ctx: ReportContext) -> dict:
    """Position, strengths and similar provinces of the report's province and year, computed once."""
    memo = ctx.__dict__.setdefault("_position_analysis", {})
    if not memo:
        ds, slug, year = ctx.ds, ctx.unit.slug, ctx.year
        memo.update(
            position=analysis.index_position(ds, slug, year),
            strengths=analysis.strengths(ds, slug, year, ctx.params.get("n_strengths", 2)),
            parts=analysis.standings(ds, slug, year),
            similar=analysis.similar_by_index(ds, slug, year, ctx.params.get("n_similar", 3)),
        )
    return memo


def summary(ctx: ReportContext) -> Section:
    """The first page: about five sentences on where the province stands and what moved (from the
    position, strengths and similar provinces below). Table ``position`` (the figures it is made from)."""
    s = Section("summary", ctx.lang)
    a = _analysis(ctx)
    for sentence in summary_sentences(
        ctx.unit.name, ctx.year, a["position"], a["parts"], a["similar"], ctx.lang
    ) + limit_sentences(ctx.ds, ctx.unit, ctx.year, ctx.lang):
        s.say(sentence, "summary")
    maps.add_locator(s, ctx.ds, ctx.unit, list(a["similar"].get("province", [])), ctx.lang)
    s.tables["position"] = a["position"]
    best, worst = strongest_and_weakest(a["parts"], ctx.year)  # what the summary names, for the checker
    named = [f for f in (best.assign(side="strength"), worst.assign(side="weakness")) if not f.empty]
    s.tables["named_parts"] = pd.concat(named, ignore_index=True) if named else best.assign(side=[])
    s.tables["parts"] = a["parts"]
    return s


def position(ctx: ReportContext) -> Section:
    """Per index with a figure in the year: national rank and group, rank in the region, distance to the
    national and regional means and to the best province, change since the year before and since the first
    year, method breaks flagged. One compact table (measures by index). Table ``position``."""
    lang = ctx.lang
    s = Section("position", lang)
    pos = _analysis(ctx)["position"]
    if pos.empty:
        s.none(text("position.none", lang, year=ctx.year))
        return s
    lines: dict[str, dict[str, str | None]] = {
        key: {"measure": text(f"position.{key}", lang)}
        for key in (
            "score",
            "rank",
            "group",
            "region",
            "gap_national",
            "gap_regional",
            "gap_best",
            "since_prev",
            "since_start",
        )
    }
    columns = {"measure": text("position.measure", lang)}
    old = generation(ctx.year)
    other = pos[pos["generation"] != old]  # a new unit's figure of a year of the 63 (DTI 2024)
    for _, r in pos.iterrows():
        col, u = r["index"], r["unit"]
        columns[col] = text(f"index_short.{col}", lang)
        best = _best_text(r, ctx.unit.slug, lang)
        apart = text("position.not_compared", lang, old=old) if r["generation"] != old else None
        cells = {
            "score": fmt_score(r["score"], u, lang),
            "rank": rank_text(r, lang),
            "group": group_text(r["group"], r["group_method"], lang) or None,
            "region": region_place_text(
                r["rank_in_region_low"], r["rank_in_region_high"], r["region_ranked"], r["region_rank_of"], lang
            ),
            "gap_national": fmt_gap(r["gap_national"], u, lang) or apart,
            "gap_regional": fmt_gap(r["gap_regional"], u, lang) or apart,
            "gap_best": best or None,
            "since_prev": change_text(r["score_delta"], r["rank_delta"], u, r["breaks_prev"], lang),
            "since_start": _since_start(r, lang),
        }
        for key, value in cells.items():
            lines[key][col] = value
    # cells of words and numbers: left-aligned text that wraps (a numeric cell does not, and the table of
    # five indices would leave the page)
    s.table(pd.DataFrame(list(lines.values())), columns, name="position", data=pos)
    s.say(" ".join(text(f"position.method.{m}", lang) for m in _methods(pos)), "note")
    maps.add_index_maps(s, ctx.ds, ctx.unit, ctx.year, lang)
    for _, r in pos[pos["region_unregistered"].map(bool)].iterrows():  # Hà Tây among the delta's PCI 2005-2008
        names = ", ".join(r["region_unregistered"])
        s.say(
            text(
                "position.region_unregistered",
                lang,
                index=text(f"index_short.{r['index']}", lang),
                year=r["year"],
                names=names,
            ),
            "note",
        )
    if ctx.unit.region_derived:
        s.say(text("position.region_derived", lang, name=ctx.unit.name), "note")
    elif ctx.unit.unchanged and any(
        p.region_derived for p in ctx.ds.registry.generation(ctx.unit.generation) if p.region == ctx.unit.region
    ):
        old_name = ctx.ds.registry.predecessors(ctx.unit.slug)[0].name
        s.say(text("position.region_members_derived", lang, name=ctx.unit.name, old=old_name), "note")
    if not other.empty:
        s.say(
            text(
                "position.other_generation",
                lang,
                name=ctx.unit.name,
                year=ctx.year,
                old=old,
                n=int(other["generation"].iloc[0]),
                indices=fmt_list([text(f"index_short.{i}", lang) for i in other["index"]], lang),
            ),
            "note",
        )
    return s


def _best_text(r: pd.Series, slug: str, lang: str) -> str:
    """The distance to the best province: 'dẫn đầu cả nước' when it is the province itself, 'bằng điểm
    (Quảng Ninh)' when level with another, 'thấp hơn 0,75 điểm (Quảng Ninh)'; '' when unknown."""
    first = (
        not is_missing(r["rank"])
        and int(r["rank"]) == 1  # ranked first, with or without a score in the data
        and (is_missing(r.get("rank_high")) or int(r["rank_high"]) == 1)
    )  # alone, not the best of a range
    if r["best_province"] == slug or first:
        return text("position.leads", lang)
    gap = fmt_gap(r["gap_best"], u := r["unit"], lang, words=("position.level_with_best", "gap.above", "gap.below"))
    return text("position.best_of", lang, gap=gap, name=r["best_name"]) if gap and u else ""


def _methods(pos: pd.DataFrame) -> list[str]:
    """The parts of the position note that apply to the table shown: the quartile groups, the official PAR
    INDEX groups (only when a group of theirs is shown), the rank in the region, the gaps."""
    shown = set(pos["group_method"].dropna())
    return [m for m in ("quartile", "official") if m in shown] + ["region", "gaps"]


def _since_start(r: pd.Series, lang: str) -> str | None:
    """'từ năm 2016: giữ nguyên thứ hạng (phương pháp thay đổi năm 2020, 2022)'; the first year's figures
    when neither the scale nor the number of provinces ranked allows a change."""
    if is_missing(r["start_year"]):
        return None
    year = int(r["start_year"])
    if is_missing(r["score_delta_start"]) and is_missing(r["rank_delta_start"]):
        figures = "; ".join(
            x
            for x in (
                fmt_score(r["start_score"], r["start_unit"], lang) if not is_missing(r["start_score"]) else "",
                fmt_rank(r["start_rank"], r["start_rank_of"], lang, rank_high=r["start_rank_high"])
                if not is_missing(r["start_rank"])
                else "",
            )
            if x
        )
        return text("position.not_comparable", lang, year=year, figures=figures) if figures else None
    return text(
        "position.from_year",
        lang,
        year=year,
        change=change_text(r["score_delta_start"], r["rank_delta_start"], r["unit"], r["breaks_start"], lang),
    )


def strengths(ctx: ReportContext) -> Section:
    """The two strongest and the two weakest components of each index against the other provinces (by
    rank), with their change since the year before. Table ``strengths``."""
    lang = ctx.lang
    s = Section("strengths", lang)
    st = _analysis(ctx)["strengths"]
    if st.empty:
        unranked = analysis.unranked_parts(ctx.ds, ctx.unit.slug, ctx.year)
        for u in unranked:  # scores there are, ranks not: a rank among fewer provinces would not be the rank
            s.say(text("strengths.partial", lang, **u))
        if not unranked:
            s.none(text("strengths.none", lang, year=ctx.year))
        return s
    shown = st.assign(component=[name_in("component", c, lang) for c in st["component"]])
    shown["side_text"] = [text(_side_key(side, h), lang) for side, h in zip(st["side"], st["half"])]
    shown["index_text"] = st["index"]
    shown["year_text"] = [str(int(y)) for y in st["year"]]
    shown["rank_text"] = [rank_text(r, lang) for r in st.to_dict("records")]
    shown["ahead_text"] = [_ahead_text(r, lang) for r in st.to_dict("records")]
    shown["change_text"] = [
        rank_change_text(d, lang)
        if not is_missing(d)
        else text("strengths.not_compared", lang)  # a range of places, or out of another number ranked
        if not is_missing(p)
        else None
        for d, p in zip(st["rank_delta"], st["prev_rank"])
    ]
    cols = {
        "side_text": text("strengths.side", lang),
        "index_text": text("label.index", lang),
        "year_text": text("label.data_year", lang),
        "component": text("strengths.component", lang),
        "rank_text": text("label.rank", lang),
        "ahead_text": text("strengths.ahead", lang),
        "change_text": text("label.change", lang),
    }
    s.table(shown, cols, numeric=("year_text", "rank_text", "ahead_text"), name="strengths", data=st)
    for sentence in _year_notes(st, ctx.year, lang):
        s.say(sentence, "note")
    parts = fmt_list([text(f"strengths.parts.{i}", lang) for i in dict.fromkeys(st["index"])], lang)
    s.say(text("strengths.method", lang, parts=parts), "note")
    return s


def _ahead_text(row: dict, lang: str) -> str | None:
    """The share of the other provinces a part is ahead of, '53%'; '50–53%' over the places equal printed
    scores share (30–32/63)."""
    if is_missing(row["ahead_of"]):
        return None
    best = fmt_number(100 * row["ahead_of"], lang, 0)
    worst = (
        best
        if is_missing(row.get("rank_high"))
        else fmt_number(100 * analysis.ahead_of(row["rank_high"], row["rank_of"]), lang, 0)
    )
    return f"{worst}–{best}%" if worst != best else f"{best}%"


def _side_key(side: str, half) -> str:
    """'side.strength' only in the upper half of the country and 'side.weakness' only in the lower half;
    otherwise the province's own best or weakest ('side.strength_relative', 'side.weakness_relative')."""
    fits = (side == "strength" and half == "upper") or (side == "weakness" and half == "lower")
    return f"side.{side}" if fits else f"side.{side}_relative"


def _year_notes(frame: pd.DataFrame, year: int, lang: str) -> list[str]:
    """One sentence per index whose figures are of an earlier year than the report's: which, and why."""
    out = []
    for (index, shown), g in frame.groupby(["index", "year"], sort=False):
        why = year_why(index, int(shown), year, g["year_reason"].iloc[0], lang)
        if why:
            out.append(text("year_note", lang, index=index, why=why))
    return out


def similar(ctx: ReportContext) -> Section:
    """The provinces closest to this one on the PAPI dimensions and the PCI sub-indices, and how they did
    that year, with the province itself first for comparison. Table ``similar``."""
    lang = ctx.lang
    s = Section("similar", lang)
    sim = _analysis(ctx)["similar"]
    if sim.empty:
        s.none(text("similar.none", lang))
        return s
    rows = []
    for index, g in sim.groupby("index", sort=False):
        year = int(g["year"].iloc[0])
        own = _own_result(ctx, index, year)
        rows.append(
            {
                "index_text": index,
                "year_text": str(year),
                "name": text("similar.self", lang, name=ctx.unit.name),
                "region": name_in("region_name", ctx.unit.region, lang),
                "distance_text": "—",
                **own,
            }
        )
        for _, r in g.iterrows():
            rows.append(
                {
                    "index_text": index,
                    "year_text": str(year),
                    "name": r["name"],
                    "region": name_in("region_name", r["region"], lang),
                    "distance_text": fmt_number(r["distance"], lang, 2),
                    **_result(r, lang),
                }
            )
    cols = {
        "index_text": text("label.index", lang),
        "year_text": text("label.data_year", lang),
        "name": text("label.province", lang),
        "region": text("region", lang),
        "distance_text": text("similar.distance", lang),
        "result": text("similar.result", lang),
        "change": text("label.change", lang),
    }
    s.table(pd.DataFrame(rows), cols, numeric=("year_text", "distance_text"), name="similar", data=sim)
    for sentence in _year_notes(sim, ctx.year, lang):
        s.say(sentence, "note")
    s.say(text("similar.method", lang), "note")
    return s


def _own_result(ctx: ReportContext, index: str, year: int) -> dict:
    from ..analysis import metrics

    h = metrics.index_history(ctx.ds, ctx.unit.slug, index)
    cur, prev = h[h["year"] == year], h[h["year"] == year - 1]
    if cur.empty:
        return {"result": None, "change": None}
    c = cur.iloc[0]
    p = prev.iloc[0] if not prev.empty else None
    row = pd.Series(
        {
            "score": c["score"],
            "unit": c["unit"],
            "rank": c["rank"],
            "rank_of": c["rank_of"],
            "rank_high": c["rank_high"],
            "tied": c["tied"],
            "score_delta": analysis._score_change(c, p),
            "rank_delta": analysis._rank_change(c, p),
        }
    )
    return _result(row, ctx.lang)


def _result(r: pd.Series, lang: str) -> dict:
    """'43,95/80 điểm; 16/61' and 'giảm 0,36 điểm; giảm 7 bậc' (None when missing)."""
    parts = [
        fmt_score(r["score"], r["unit"], lang) if not is_missing(r["score"]) else "",
        rank_text(r, lang) if not is_missing(r["rank"]) else "",
    ]
    changes = [score_change_text(r["score_delta"], r["unit"], lang), rank_change_text(r["rank_delta"], lang)]
    return {"result": "; ".join(p for p in parts if p) or None, "change": "; ".join(c for c in changes if c) or None}
