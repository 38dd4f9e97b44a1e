"""The sections of the province report. Each returns a ``Section``: its tables, figures and sentences,
shown in the notebook exactly as in the report.

The notebook calls one function per section, under a markdown heading of its own (the notebook numbers
the sections); every figure comes from ``metrics``, every word from the catalogue. A section without
figures says so in one line; it never shows 0 or an empty chart::

    ctx = sections.context("dak-nong", 2021)
    history = sections.history(ctx)
    history.tables["history"]   # every index's score and rank by year
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, cast

import pandas as pd

from ..analysis import metrics
from ..catalogue import TEXTS, name_in, text
from ..data.indices import codes
from ..data.provinces import Province, generation_for_year
from ..data.schema import DISPUTED, TARGET_METRICS, TTHC_COUNTS, USER_OFFICIAL
from ..fingerprint import SUITE_VERSION, code_version
from . import plots
from .context import ReportContext as ReportContext
from .context import context as context
from .narrative import (
    break_warning_text,
    computed_mean_method,
    computed_rank_method,
    computed_rank_note,
    fmt_count,
    fmt_date,
    fmt_list,
    fmt_number,
    fmt_pct,
    fmt_percent_points,
    fmt_rank,
    fmt_score,
    headline_sentence,
    mean_replaced_text,
    partial_table_text,
    rank_change_text,
    rank_text,
)
from .output import Section

# Where the province stands (issue 14): summary, position, strengths, similar provinces, in a module of their own;
# the notebook calls them here, as every section (``sections.summary(ctx)``).
from .position_sections import position as position
from .position_sections import similar as similar
from .position_sections import strengths as strengths
from .position_sections import summary as summary
from .summary import missing_text

if TYPE_CHECKING:
    from ..data.dataset import Dataset


def title(ctx: ReportContext) -> Section:
    """The report's title: province and year, its region, and what the 2025 merger made of it."""
    u, ds, lang = ctx.unit, ctx.ds, ctx.lang
    s = Section("title", lang)
    s.title(text("title", lang, report=text("report_title", lang), name=u.name, year=ctx.year))
    if u.region:
        s.say(text("labelled", lang, label=text("region", lang), text=name_in("region_name", u.region, lang)), "note")
    if u.unchanged:
        s.say(text("title.unchanged", lang, old=ds.registry.predecessors(u.slug)[0].name), "note")
    elif u.is_new:
        preds = ds.registry.predecessors(u.slug)
        s.say(text("title.new_unit", lang, predecessors=fmt_list([p.name for p in preds], lang)), "note")
    if u.region_derived:
        seat = next(p.name for p in preds if p.gso_code == u.gso_code)
        s.say(text("title.region_derived", lang, seat=seat), "note")
        if len(u.predecessor_regions) > 1:
            s.say(
                text(
                    "title.regions_straddled",
                    lang,
                    n=len(u.predecessor_regions),
                    regions=fmt_list([name_in("region_name", r, lang) for r in u.predecessor_regions], lang),
                ),
                "note",
            )
    elif u.successor and ds.registry.get(u.successor).predecessors != (u.slug,):
        new = ds.registry.get(u.successor)
        merged = [u.name] + [p.name for p in ds.registry.predecessors(new.slug) if p.slug != u.slug]
        s.say(text("title.merged", lang, names=fmt_list(merged, lang), new=new.name), "note")
    return s


def headline(ctx: ReportContext) -> Section:
    """One sentence per index with a figure in the year: level, rank and change. Table ``headline``."""
    lang = ctx.lang
    s = Section("headline", lang)
    items = metrics.headline(ctx.ds, ctx.unit.slug, ctx.year)
    if not items:
        s.none(text("headline.none", lang, year=ctx.year))
        return s
    shown = []
    for h in items:
        sentence = headline_sentence(
            h.index,
            h.year,
            h.score,
            h.unit,
            h.rank,
            h.rank_of,
            h.prev_year,
            h.score_delta,
            h.rank_delta,
            lang,
            h.tied,
            h.rank_high,
        )
        notes = []
        if h.derived:
            notes.append(text("derived", lang))
        if h.prev_derived and h.prev_year is not None:  # the change rests on a figure worked out
            notes.append(text("derived_prev", lang, year=h.prev_year))
        if h.rank_computed:
            notes.append(computed_rank_note(h.year, int(cast(float, h.rank_of)), lang))
        for year in h.breaks:
            notes.append(text("break_note", lang, year=year, why=text(f"break.{h.index}.{year}", lang)))
        shown.append((sentence, text("headline.notes", lang, notes="; ".join(notes)) if notes else ""))
    s.items(shown, "headline")
    s.tables["headline"] = pd.DataFrame([dataclasses.asdict(h) for h in items])
    return s


def history(ctx: ReportContext) -> Section:
    """Each index over the years: chart, table with national and regional means, rank trend, method breaks.

    Tables: ``history`` (one row per index and year), ``means`` (the means shown beside it) and, for a
    unit formed in 2025, ``predecessors`` (the former provinces' ranks side by side).
    """
    s = Section("history", ctx.lang)
    frames, means_shown, olds = [], [], []
    for index in codes():
        if ctx.unit.is_new:
            olds += _history_of_predecessors(s, ctx, index)
        hist, means = _history_of(s, ctx, index, ctx.unit)
        if hist is not None:
            frames.append(hist.assign(index=index))
            means_shown.append(means.assign(index=index))
    if not frames and not olds:
        s.none(text("history.none", ctx.lang))
    first = ["index"]
    s.tables["history"] = _tidy(frames, first, ["index", "year", "score", "unit", "rank", "rank_of"])
    s.tables["means"] = _tidy(means_shown, first, ["index", "year", "scope", "score", "unit", "computed"])
    if olds:
        s.tables["predecessors"] = pd.concat(olds, ignore_index=True)
    return s


def _tidy(frames: list[pd.DataFrame], first: list[str], empty_columns: list[str]) -> pd.DataFrame:
    if not frames:
        return pd.DataFrame(columns=empty_columns)
    df = pd.concat(frames, ignore_index=True)
    return df[first + [c for c in df.columns if c not in first]]


def _history_of(s: Section, ctx: ReportContext, index: str, unit: Province):
    lang = ctx.lang
    hist = metrics.index_history(ctx.ds, unit.slug, index)
    hist = hist[hist["year"] <= ctx.year]
    if hist.empty:
        return None, None
    years = hist["year"].tolist()
    breaks = metrics.breaks_between(index, min(years), max(years))
    # Every mean of the years shown, each in its own unit: a rank-only year has no unit of its own, and a
    # scale change (PAPI /60 -> /80) must not hide the later means. The chart draws each scale apart.
    # A year's means average that year's provinces: none beside a new unit's figure of a year of the 63.
    means, means_wide = _means_shown(ctx.ds, index, unit, lang, years)
    name = text(f"index.{index}", lang)
    s.heading(name if unit == ctx.unit else text("history.of_unit", lang, index=name, unit=unit.name))
    if len(hist) >= 2 or hist["score"].notna().any():
        scale = _unit_of(hist)
        others = _compared(ctx, index, years) if unit == ctx.unit else None
        if others is not None and not others.empty:
            s.tables.setdefault("compared", pd.DataFrame())
            s.tables["compared"] = pd.concat([s.tables["compared"], others.assign(index=index)], ignore_index=True)
        s.chart(
            plots.history_chart(hist, index, lang, breaks, means, scale, others),
            text("history.chart", lang, index=index, unit=unit.name),
        )
    table = hist.merge(means_wide, on="year", how="left")
    cols = {
        "year": text("label.year", lang),
        "score_text": text("label.score", lang),
        "rank_text": text("label.rank", lang),
    }
    for col in [c for c in table.columns if c.startswith("mean:")]:
        cols[col] = col[5:]
        table[col] = [
            _computed(fmt_score(v, u, lang), c is True, lang) if pd.notna(v) else None
            for v, u, c in zip(table[col], table["unit:" + col[5:]], table["computed:" + col[5:]])
        ]
    table["score_text"] = [fmt_score(v, u, lang) for v, u in zip(table["score"], table["unit"])]
    table["rank_text"] = [
        _computed(rank_text(r, lang), r["rank_computed"], lang) if pd.notna(r["rank"]) else text("missing", lang)
        for r in _records(table, ("rank", "rank_of", "tied", "rank_high", "rank_computed"))
    ]
    table["derived_text"] = [text("derived", lang) if d else "" for d in table["derived"]]
    cols["derived_text"] = text("label.note", lang)
    unpublished = [y for y in metrics.not_published_years(ctx.ds, unit.slug, index) if y <= ctx.year]
    if unpublished:  # not published is not missing: a row that says so
        said = text("not_published", lang)
        table = pd.concat(
            [table, pd.DataFrame({"year": unpublished, "score_text": said, "rank_text": said, "derived_text": ""})],
            ignore_index=True,
        ).sort_values("year")
    s.table(table, cols, numeric=("score_text", "rank_text", *[c for c in cols if c.startswith("mean:")]))
    if unpublished:
        s.say(
            text(
                "history.not_published_note",
                lang,
                index=name,
                name=unit.name,
                years=fmt_list([str(y) for y in unpublished], lang),
            ),
            "note",
        )
    ranked = hist[hist["rank_computed"]]
    if not ranked.empty:  # the method once a section, then the years only
        s.say(
            computed_rank_method(
                {int(y): int(n) for y, n in zip(ranked["year"], ranked["rank_of"])},
                lang,
                again=_told(s, "computed_rank"),
            ),
            "note",
        )
    counted, replaced = _computed_means_said(ctx.ds, index, unit, lang, years)
    if counted:
        s.say(computed_mean_method(counted, lang, again=_told(s, "computed_mean")), "note")
    for why in replaced:  # a published figure that is not the table's mean: which is used, why
        s.say(why, "note")
    cov = metrics.table_coverage(ctx.ds, index, ctx.year, generation=unit.generation)
    shown = hist[hist["year"] == ctx.year]
    if (
        cov
        and not cov["complete"]
        and unit == ctx.unit
        and (shown["rank"].notna().any() or means["year"].eq(ctx.year).any())
    ):
        s.say(partial_table_text(index, ctx.year, cov, lang), "note")
    by_year = hist.set_index("year")
    trend = text(f"stability.{metrics.rank_stability(by_year['rank'], by_year['rank_of'])}", lang)
    judged = set(metrics.trend_run(by_year["rank"], by_year["rank_of"]).index)  # the ranks it compared, no other
    ranks = ", ".join(
        f"{rank_text(r | {'rank_of': None, 'tied': False}, lang)} ({r['year']})"
        for r in _records(hist, ("year", "rank", "rank_high"))
        if pd.notna(r["rank"]) and r["year"] in judged
    )
    s.say(text("trend_ranks", lang, sentence=trend, ranks=ranks) if ranks else text("trend", lang, sentence=trend))
    for year in breaks:
        s.say(break_warning_text(index, year, lang), "warning")
    return hist.assign(province=unit.slug), means


def _compared(ctx: ReportContext, index: str, years: list[int]) -> pd.DataFrame | None:
    """The scores of the provinces given as ``compare`` (``cchc.sections.history(..., compare=[...])``) in
    the years shown: year, name, province, score, unit. None in the report, which compares with none."""
    names = ctx.params.get("compare") or ()
    frames = []
    for name in names:
        other = ctx.ds.registry.resolve(name, ctx.year)
        h = metrics.index_history(ctx.ds, other.slug, index)
        frames.append(h[h["year"].isin(years)].assign(name=other.name, province=other.slug))
    if not frames:
        return None
    return pd.concat(frames, ignore_index=True)[["year", "name", "province", "score", "unit", "rank", "rank_of"]]


def _records(frame: pd.DataFrame, columns: tuple[str, ...]) -> list[dict]:
    """``frame.to_dict("records")`` of the ``columns`` it has (the same values: a column's are converted alike
    whatever the others are), for less than a wide frame's every column."""
    return frame[[c for c in columns if c in frame.columns]].to_dict("records")


def _told(s: Section, note: str) -> bool:
    """True when the section has said ``note`` already; marks it said."""
    told = note in s.told
    s.told.add(note)
    return told


def _computed(shown: str, computed: bool, lang: str) -> str:
    return text("computed_mark", lang, text=shown) if computed else shown


def _history_of_predecessors(s: Section, ctx: ReportContext, index: str) -> list[pd.DataFrame]:
    """The old provinces a new unit was formed from, side by side: one chart with a line per province
    (score and rank), and a table of each one's score and rank by year."""
    lang = ctx.lang
    frames = []
    for p in ctx.ds.registry.predecessors(ctx.unit.slug):
        h = metrics.index_history(ctx.ds, p.slug, index)
        if not h.empty:
            frames.append(h.assign(province=p.name))
    if not frames:
        return []
    both = pd.concat(frames, ignore_index=True)
    name = text(f"index.{index}", lang)
    names = list(dict.fromkeys(both["province"]))
    same = ctx.unit.unchanged  # not rearranged: its one old province, not 'the provinces before the merger'
    s.heading(
        text("history.predecessor_same", lang, index=name, old=names[0])
        if same
        else text("history.predecessors", lang, index=name)
    )
    years = both["year"].tolist()
    s.chart(
        plots.predecessors_chart(
            both, index, lang, _unit_of(both), metrics.breaks_between(index, min(years), max(years))
        ),
        text("history.predecessor_same_chart", lang, index=name, old=names[0])
        if same
        else text("history.predecessors_chart", lang, index=name, names=", ".join(names)),
    )
    both["shown"] = [
        " · ".join(
            x
            for x in (
                fmt_score(r["score"], r["unit"], lang) if pd.notna(r["score"]) else "",
                rank_text(r, lang) if pd.notna(r["rank"]) else "",
            )
            if x
        )
        for r in both.to_dict("records")
    ]
    wide = both.pivot_table(index="year", columns="province", values="shown", aggfunc="first")[names]
    shown = wide.reset_index()
    for p in ctx.ds.registry.predecessors(ctx.unit.slug):  # not published is not missing
        if p.name in shown.columns:
            unpublished = shown["year"].isin(metrics.not_published_years(ctx.ds, p.slug, index))
            shown.loc[unpublished & shown[p.name].isna(), p.name] = text("not_published", lang)
    s.table(shown, {"year": text("label.year", lang), **{c: c for c in names}}, numeric=tuple(names))
    return [both.assign(index=index)[["index", "province", "year", "score", "unit", "rank", "rank_of"]]]


def _unit_of(hist: pd.DataFrame) -> str:
    units = hist["unit"][hist["unit"].fillna("") != ""]  # a rank-only year has no unit
    return units.iloc[-1] if not units.empty else ""


def _means_shown(
    ds: Dataset, index: str, unit: Province, lang: str, years: list[int]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The means beside a history of ``years`` (``metrics.means_for`` of the unit's region and generation) and
    their table by year (``_means_wide``): the same for every province of a region, so kept once a process
    (``Dataset.kept``) and read, never changed, by ``_history_of``."""

    def shown() -> tuple[pd.DataFrame, pd.DataFrame]:
        means = metrics.means_for(ds, index, unit.region, lang)
        means = means[means["year"].isin(years) & (means["year"].map(generation_for_year) == unit.generation)]
        return means, _means_wide(means)

    return ds.kept(("history_means", index, unit.region, lang, tuple(years), unit.generation), shown)


def _computed_means_said(
    ds: Dataset, index: str, unit: Province, lang: str, years: list[int]
) -> tuple[dict[int, int], list[str]]:
    """What ``_history_of`` says of the computed means among ``_means_shown``: the provinces averaged by year
    (for ``computed_mean_method``) and, for each computed mean that stands where a published figure was, why
    (``mean_replaced_text``). The same for every province of a region with those years: kept with the means."""

    def said() -> tuple[dict[int, int], list[str]]:
        means, _ = _means_shown(ds, index, unit, lang, years)
        computed = means[means["computed"]]
        counted = {int(y): int(n) for y, n in zip(computed["year"], computed["n_table"])}
        read = ("index", "year", "scope", "score", "unit", "n", "published_score", "published_verdict")
        replaced = [mean_replaced_text(r, lang) for r in _records(computed, read)]
        return counted, [why for why in replaced if why]

    return ds.kept(("history_means_said", index, unit.region, lang, tuple(years), unit.generation), said)


def _means_wide(means: pd.DataFrame) -> pd.DataFrame:
    """One row per year: ``mean:<scope>`` (the score), ``unit:<scope>`` (its unit) and ``computed:<scope>``
    (True when computed)."""
    if means.empty:
        return pd.DataFrame({"year": pd.Series(dtype=int)})
    # each column as its own pivot table (first value, years and scopes without one left out), one grouping
    first = (
        means.assign(computed=means["computed"].astype(object))
        .groupby(["year", "scope_label"])[["score", "unit", "computed"]]
        .first()
    )
    scores, units, computed = (first[c].dropna().unstack("scope_label") for c in ("score", "unit", "computed"))
    scores.columns = [f"mean:{c}" for c in scores.columns]
    units.columns = [f"unit:{c}" for c in units.columns]
    computed.columns = [f"computed:{c}" for c in computed.columns]
    return scores.join(units).join(computed).reset_index()


def par_components(ctx: ReportContext) -> Section:
    """The PAR INDEX component areas in the year (or, when the year has none, in the latest year that has
    some): score, share of the maximum, rank and its change; the areas ranked highest and lowest, and the
    biggest gain and fall. Sub-totals of the score ('Điểm thẩm định') stay in the table, out of the chart.
    Table ``components``."""
    lang = ctx.lang
    s = Section("par_components", lang)
    year = metrics.latest_components_year(ctx.ds, ctx.unit.slug, ctx.year)
    if year is None:
        s.none(text("components.none", lang, year=ctx.year))
        return s
    if year != ctx.year:
        s.say(text("components.latest_year", lang, year=ctx.year, shown=year), "note")
    comp = metrics.components(ctx.ds, ctx.unit.slug, year)
    named = comp.assign(component=[name_in("component", c, lang) for c in comp["component"]])
    areas = named[named["area"]]
    with_share = areas.dropna(subset=["share"])
    if not with_share.empty:
        s.chart(plots.components_chart(with_share, lang), text("components.chart", lang))
    shown = named.copy()
    shown["score_text"] = [fmt_number(v, lang) for v in comp["score"]]
    shown["max_text"] = [fmt_number(v, lang) for v in comp["max_score"]]
    shown["share_text"] = [fmt_pct(v, lang, 1) for v in comp["share"]]
    shown["rank_text"] = [rank_text(r, lang) for r in comp.to_dict("records")]
    shown["change_text"] = [
        rank_change_text(d, lang) if pd.notna(d) else text("missing", lang) for d in comp["rank_delta"]
    ]
    cols = {
        "component": text("label.component", lang),
        "score_text": text("label.score", lang),
        "max_text": text("label.max_score", lang),
        "share_text": text("label.share_of_max", lang),
        "rank_text": text("label.rank", lang),
        "change_text": text("label.change", lang),
    }
    s.table(shown, cols, numeric=("score_text", "max_text", "share_text", "rank_text"), name="components", data=comp)
    parts = named.loc[~named["area"], "component"].tolist()
    if parts and not with_share.empty:
        note = text("components.parts_note", lang, parts=", ".join(parts))
        s.say(note if year == ctx.year else text("components.in_year", lang, year=year, sentence=note), "note")
    for sentence in component_sentences(areas, lang):  # areas of an earlier year say it in the sentence
        s.say(sentence if year == ctx.year else text("components.in_year", lang, year=year, sentence=sentence))
    return s


def component_sentences(areas: pd.DataFrame, lang: str) -> list[str]:
    """What the areas' ranks say: the two ranked highest and the two lowest (with or without a score; with
    every area ranked as the last one named, and nothing when so many share ranks that one would be both), the
    biggest gain and the biggest fall in rank since the year before (every area that moved as much). An area
    is never both, and a fall is only said of a rank that fell. ``areas``: component, rank, rank_of, rank_delta."""
    out = []
    ranked = areas.dropna(subset=["rank"]).sort_values(["rank", "component"], kind="stable")
    if len(ranked) >= 2:
        n = min(2, len(ranked) // 2)

        def named(rows: pd.DataFrame) -> str:
            return ", ".join(
                text("components.area_rank", lang, area=r["component"], rank=rank_text(r, lang))
                for _, r in rows.iterrows()
            )

        top = ranked[ranked["rank"] <= ranked["rank"].iloc[n - 1]]  # every area ranked as the last one named
        bottom = ranked[ranked["rank"] >= ranked["rank"].iloc[-n]].iloc[::-1]
        if not set(top.index) & set(bottom.index):  # an area is never both highest and lowest
            out.append(text("components.by_rank", lang, best=named(top), worst=named(bottom)))
    moved = areas.dropna(subset=["rank_delta"])
    gains, falls = moved[moved["rank_delta"] > 0], moved[moved["rank_delta"] < 0]
    for moves, key in ((gains, "components.gain"), (falls, "components.fall")):  # every area that moved as much
        if not moves.empty:
            most = moves[moves["rank_delta"].abs() == moves["rank_delta"].abs().max()]
            change = rank_change_text(most["rank_delta"].iloc[0], lang)
            out.append(text(key, lang, area=fmt_list(most["component"], lang), change=change))
    return out


def targets(ctx: ReportContext) -> Section:
    """The targets of the province's resolutions and plans: value, deadline, latest figure, the change a
    year needed against the recent trend, and status (met, on track, off track, not met, no figure yet,
    not measurable, with the reason). Table ``targets`` (``metrics.targets_table``)."""
    lang = ctx.lang
    s = Section("targets", lang)
    tg = metrics.targets_table(ctx.ds, ctx.unit.slug, ctx.year)
    if tg.empty:
        s.none(text("targets.none", lang))
        return s
    tg["label"] = [text(f"metric.{m}", lang) for m in tg["metric"]]
    shown = tg.copy()
    if lang != "vi":  # the document's own Vietnamese wording, quoted
        shown["description"] = [f"“{d}”" for d in tg["description"]]
    shown["target_text"] = [target_text(c, v, u, lang) for c, v, u in zip(tg["comparator"], tg["value"], tg["unit"])]
    shown["latest_text"] = [_latest_text(r, lang) for _, r in tg.iterrows()]
    shown["path_text"] = [target_path_text(r, ctx.year, lang) for _, r in tg.iterrows()]
    shown["doc_text"] = [
        text(
            "targets.document",
            lang,
            document=d if lang == "vi" else f"“{d}”",  # its own title
            date=fmt_date(dt, lang),
        )
        for d, dt in zip(tg["document"], tg["date"])
    ]
    shown["status_text"] = [text(f"status.{v}", lang) for v in tg["status"]]
    cols = {
        "label": text("label.target", lang),
        "target_text": text("label.value", lang),
        "deadline": text("label.deadline", lang),
        "latest_text": text("label.latest", lang),
        "path_text": text("label.path", lang),
        "status_text": text("label.status", lang),
    }
    one_document = shown["doc_text"].nunique() == 1
    if not one_document:
        cols["doc_text"] = text("label.document", lang)
    measurable = shown["status"] != "not_measurable"  # the others: one list below, the reason said once
    if measurable.any():
        s.table(
            shown[measurable],
            cols,
            numeric=("latest_text", "deadline"),
            badges={"status_text": lambda row: "status-" + _BADGES.get(row["status"], row["status"]).replace("_", "-")},
        )
    s.tables["targets"] = tg.reset_index(drop=True)
    if measurable.any():  # the document's own words, below the table: rows of a phone's width and of one line
        s.say(text("targets.wording", lang))
        s.items([(r["label"], r["description"]) for _, r in shown[measurable].iterrows()])
    if one_document:
        s.say(text("targets.document_once", lang, document=shown["doc_text"].iloc[0]), "note")
    counts = tg["status"].value_counts()
    s.say(
        ", ".join(
            text("status_count", lang, status=text(f"status.{k}", lang), n=int(counts[k]))
            for k in metrics.TARGET_STATUSES
            if counts.get(k, 0)
        )
        + "."
    )
    if not measurable.all():
        s.say(text("targets.not_measurable_intro", lang, n=int((~measurable).sum())))
        s.items(
            [
                (
                    text(
                        "targets.not_measurable_item",
                        lang,
                        label=r["label"],
                        target=r["target_text"],
                        deadline=int(r["deadline"]),
                    ),
                    r["description"] if one_document else f"{r['description']} — {r['doc_text']}",
                )
                for _, r in shown[~measurable].iterrows()
            ]
        )
    s.say(
        " ".join(
            [text("targets.method", lang)]
            + [text(f"targets.method.{m}", lang) for m in ("papi_band",) if (tg["metric"] == m).any()]
        ),
        "note",
    )
    numeric = tg[
        (tg["comparator"] != "in_band") & tg["status"].isin(["met", "on_track", "off_track", "not_met"])
    ].copy()
    numeric["target"] = pd.to_numeric(numeric["value"].astype(str).str.replace(",", "."), errors="coerce")
    numeric = numeric[numeric["actual"].notna()]
    if not numeric.empty:
        s.chart(plots.targets_chart(numeric, lang), text("targets.chart", lang))
    else:
        s.say(text("targets.no_chart", lang), "note")
    return s


# Statuses without a colour of their own in the report's style take the nearest one's.
_BADGES = {"not_met": "off_track", "not_measurable": "no_data", "unjudged": "no_data"}


def _latest_text(row: pd.Series, lang: str) -> str:
    """The latest figure of a target with its year: '51 (2023)', 'Thấp nhất (2023)', '86,26% (2021)'; when what the
    target is set on is not known recently, the index's latest figure: '64,87/100 điểm; hạng 38/63 (tính) (2022)'."""
    if row["status"] == "unjudged":
        return text("targets.latest", lang, value=_index_figure_text(row, lang), year=int(row["figure_year"]))
    if pd.isna(row["actual"]):
        return "—"
    if isinstance(row.get("actual_text"), str):
        value = name_in("band", row["actual_text"], lang)
    elif row["unit"] == "%":
        value = fmt_percent_points(row["actual"], lang)
    else:
        value = fmt_number(row["actual"], lang, 0 if row["lower_is_better"] else 2)
    return text("targets.latest", lang, value=value, year=int(row["actual_year"]))


def _index_figure_text(row: pd.Series, lang: str) -> str:
    """An index's figure as a target's latest value: its score, its rank (marked when computed)."""
    parts = []
    if pd.notna(row["figure_score"]):
        parts.append(fmt_score(row["figure_score"], row["figure_unit"], lang))
    if pd.notna(row["figure_rank"]):
        rank = _computed(
            fmt_rank(row["figure_rank"], row["figure_rank_of"], lang), bool(row["figure_rank_computed"]), lang
        )
        parts.append(text("targets.figure_rank", lang, rank=rank))
    return "; ".join(parts)


def target_path_text(row: pd.Series, year: int, lang: str) -> str:
    """The path to a target as a reader says it: 'cần tăng 5,5 bậc/năm; xu hướng giảm 5 bậc/năm', or why
    the target is not judged (``metrics.targets_table``'s ``why``)."""
    status = row["status"]
    if status == "met":
        return text("targets.path.met", lang)
    if status == "not_met":
        return text("targets.path.not_met", lang, deadline=int(row["deadline"]))
    if status == "not_measurable":
        return text("targets.why.not_measurable", lang)
    if status == "unjudged":
        if not row["why"].startswith("targets.why.no_band"):  # a score target with a rank only, or the reverse
            index = TARGET_METRICS[row["metric"]].split(":")[0]
            return text(row["why"], lang, index=text(f"index.{index}", lang), year=int(row["figure_year"]))
        if pd.isna(row["actual"]):
            return text(row["why"] + ".none", lang)
        return text(row["why"], lang, band_year=int(row["actual_year"]), band=name_in("band", row["actual_text"], lang))
    if status == "no_data":
        if row["why"] == "targets.why.agency_only":
            return text(
                row["why"],
                lang,
                measure=text("targets.measure.TTHC", lang),
                year=year,
                agencies=fmt_list(row["agencies"], lang),
            )
        if row["why"] == "targets.why.stale":
            return text("targets.why.stale", lang, actual_year=int(row["actual_year"]))
        measure = TARGET_METRICS[row["metric"]].split(":")
        name = (
            text(f"targets.measure.band.{measure[0]}", lang)
            if measure[1] == "band"
            else text("targets.measure.TTHC", lang)
            if measure[0] == "TTHC"
            else text(f"index.{measure[0]}", lang)
        )
        return text("targets.why.no_figure", lang, measure=name, year=year)
    kind = "band" if row["comparator"] == "in_band" else "rank" if row["unit"] == "rank" else "points"
    required = _change_text(row["required_per_year"], kind, lang)
    if pd.isna(row["trend_per_year"]):
        return text("targets.path.no_trend", lang, required=required)
    return text("targets.path", lang, required=required, trend=_change_text(row["trend_per_year"], kind, lang))


def _change_text(change: float, kind: str, lang: str) -> str:
    """A change a year: ranks are places (a lower rank is better), bands are groups, the rest points."""
    if round(float(change), 2) == 0:
        return text("targets.change.none", lang)
    if kind == "points":
        n = fmt_number(abs(change), lang, 2)
        return text(
            "targets.per_year", lang, change=text("targets.change.points", lang, n=("+" if change > 0 else "−") + n)
        )
    key = f"targets.change.{kind}_{'up' if (change < 0 if kind == 'rank' else change > 0) else 'down'}"
    if abs(change) == 1:
        return text("targets.per_year", lang, change=text(key + "_one", lang))
    size = abs(float(change))
    n = fmt_number(size, lang, 0 if size.is_integer() else 1 if (size * 10).is_integer() else 2)
    return text("targets.per_year", lang, change=text(key, lang, n=n))


_SYMBOLS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "="}


def target_text(comparator: str, value: str, unit: str, lang: str) -> str:
    """'≥ 50%', 'hạng ≤ 40', 'thuộc nhóm Trung bình cao': a target as a reader says it."""
    if comparator == "in_band":
        return text("in_band", lang, band=name_in("band", value, lang))
    number = _worded_number(value, lang, percent=unit == "%")
    if unit == "%":
        return f"{_SYMBOLS[comparator]} {number}"
    if unit == "rank":
        return text("rank_at_most", lang, comparison=f"{_SYMBOLS[comparator]} {number}")
    worded = f"target_unit.{unit}"
    return f"{_SYMBOLS[comparator]} {number} {text(worded, lang) if worded in TEXTS else unit}"


def _worded_number(value: str, lang: str, percent: bool) -> str:
    """A target's value as the document gives it ('92.5'), with as many decimals, in the report's language."""
    try:
        number = float(str(value).replace(",", "."))
    except ValueError:
        return str(value)
    decimals = len(str(value).replace(",", ".").partition(".")[2])
    return fmt_percent_points(number, lang, decimals) if percent else fmt_number(number, lang, decimals)


def plan_execution(ctx: ReportContext) -> Section:
    """The share of the year's reform-plan tasks completed by the province and its departments (tasks
    completed / tasks planned), with the source; a department's figure is said to be its own, never the
    province's; the user's own entries are marked as such. Table ``plan_tasks`` (``metrics.plan_execution``)."""
    lang, name = ctx.lang, ctx.unit.name
    s = Section("plan_execution", lang)
    s.heading(text("plan.heading", lang, year=ctx.year))
    p = metrics.plan_execution(ctx.ds, ctx.unit.slug, ctx.year)
    s.tables["plan_tasks"] = p
    if p.empty:
        s.say(text("plan.none", lang, year=ctx.year), "missing")
        return s
    shown = p.copy()
    shown["who"] = [a or name for a in p["agency"]]
    shown["done"] = [
        f"{fmt_count(c, lang)}/{fmt_count(n, lang)}" for c, n in zip(p["tasks_completed"], p["tasks_planned"])
    ]
    shown["share_text"] = [_share_text(v, lang) for v in p["share"]]
    shown["as_of_text"] = [fmt_date(d, lang) if pd.notna(d) else "" for d in p["as_of"]]
    shown["origin_text"] = [text(f"plan.origin.{o}", lang) for o in p["origin"]]
    for _, r in shown.iterrows():
        as_of = text("plan.as_of_text", lang, date=r["as_of_text"]) if r["as_of_text"] else ""
        words = {
            "completed": fmt_count(r["tasks_completed"], lang),
            "planned": fmt_count(r["tasks_planned"], lang),
            "year": ctx.year,
            "share": r["share_text"],
            "as_of": as_of,
        }
        s.say(
            text("plan.agency_done", lang, agency=r["agency"], **words)
            if r["agency"]
            else text("plan.province_done", lang, province=name, **words)
        )
    if (p["agency"] != "").all():
        s.say(text("plan.none_province", lang, year=ctx.year, province=name), "missing")
    cols = {
        "who": text("label.agency", lang),
        "plan": text("label.plan", lang),
        "done": text("plan.done", lang),
        "share_text": text("plan.share", lang),
        "as_of_text": text("plan.as_of", lang),
        "origin_text": text("plan.origin", lang),
        "source": text("label.source", lang),
    }
    s.table(shown, cols, numeric=("done", "share_text"), links=("source",))
    if (p["origin"] == "user").any():
        s.say(text("plan.user_note", lang), "note")
    return s


def _share_text(share: float, lang: str) -> str:
    """A share as precise as its counts make it: '100%', '92,5%', '92,86%'."""
    pct = round(share * 100, 2)
    return fmt_pct(share, lang, 0 if pct.is_integer() else 1 if round(pct * 10, 2).is_integer() else 2)


_COUNTS = ("received_total", *(c for c in TTHC_COUNTS if c != "received_total"))  # the total first


def tthc(ctx: ReportContext) -> Section:
    """Administrative-procedure processing, record by record, each said to be whose it is (the whole province,
    or one department, district or commune): the rates its counts give, with their counts, dossier counts as
    reported, totals that do not add up. Tables ``tthc`` (the records, with ``scope``) and ``rates``
    (``metrics.tthc_rate_rows``: scope, agency, rate, value, numerator and denominator with their counts)."""
    lang, name = ctx.lang, ctx.unit.name
    s = Section("tthc", lang)
    rows = metrics.tthc_for(ctx.ds, ctx.unit.slug, ctx.year)
    if rows.empty:
        s.none(text("tthc.none", lang, year=ctx.year))
        return s
    if not (rows["scope"] == "province").any():
        s.say(text("tthc.no_province", lang, province=name, year=ctx.year), "missing")
    all_rates = []
    for _, r in rows.iterrows():
        agency = r["agency"] if isinstance(r["agency"], str) else ""
        scope = r["scope"]  # 'agency' for an agency whose level is not given: still not the province
        who = text(f"tthc.scope.{scope}", lang, agency=agency, province=name)
        owner = agency if scope != "province" else text("tthc.whole_province", lang, province=name)
        s.heading(
            text(
                "tthc.agency",
                lang,
                agency=who,
                start=fmt_date(r["period_start"], lang),
                end=fmt_date(r["period_end"], lang),
            )
        )
        if scope != "province":
            s.say(text("tthc.not_province", lang, agency=agency, province=name))
        rates = metrics.tthc_rate_rows(r)
        all_rates.append(rates)
        if rates.empty:
            s.say(text("tthc.no_rates", lang), "missing")
        else:
            shown = rates.assign(
                scope_text=who,
                what=[text(f"rate.{k}", lang) for k in rates["rate"]],
                value_text=[fmt_pct(v, lang) for v in rates["value"]],
                of_text=[
                    text(f"denominator.{k}", lang, n=fmt_count(n, lang))
                    for k, n in zip(rates["rate"], rates["denominator_count"])
                ],
            )
            s.table(
                shown,
                {
                    "scope_text": text("label.scope", lang),
                    "what": text("label.what", lang),
                    "value_text": text("label.value", lang),
                    "of_text": text("label.denominator", lang),
                },
                numeric=("value_text",),
            )
        s.chart(plots.tthc_chart(_tthc_flows(r, lang), lang), text("tthc.chart", lang, owner=owner))
        counts = pd.DataFrame([{"what": text(f"count.{c}", lang), "value": fmt_count(r[c], lang)} for c in _COUNTS])
        s.table(
            counts,
            {"what": text("label.dossiers_reported_of", lang, owner=owner), "value": text("label.value", lang)},
            numeric=("value",),
        )
        for d in metrics.tthc_discrepancies(r):
            parts = " + ".join(
                text("count_with_value", lang, what=text(f"count.{p}", lang), n=fmt_count(r[p], lang))
                for p in d["parts"]
            )
            total = text(
                "count_with_value", lang, what=text(f"count.{d['total_column']}", lang), n=fmt_count(d["total"], lang)
            )
            s.say(
                text(
                    "labelled",
                    lang,
                    label=who,
                    text=text(
                        "tthc_mismatch",
                        lang,
                        parts=parts,
                        sum=fmt_count(d["sum"], lang),
                        total=total,
                        difference=fmt_count(d["difference"], lang),
                    ),
                ),
                "warning",
            )
        reader_note = r.get(f"note_{lang}")  # `note` (how the counts were transcribed) stays in data/
        if isinstance(reader_note, str) and reader_note:
            s.say(text("labelled", lang, label=text("label.note", lang), text=reader_note), "note")
        s.say(text("label.source", lang) + ": ", "note", link=r["source"])
    s.tables["tthc"] = rows
    s.tables["rates"] = pd.concat(all_rates, ignore_index=True)
    return s


def _tthc_flows(r: pd.Series, lang: str) -> pd.DataFrame:
    kinds = {"resolved_early_ontime": "ok", "resolved_late": "late", "pending_overdue": "late"}
    keys = [
        "received_total",
        "resolved_total",
        "resolved_early_ontime",
        "resolved_late",
        "pending_total",
        "pending_within",
        "pending_overdue",
    ]
    return pd.DataFrame([{"label": text(f"count.{k}", lang), "count": r[k], "kind": kinds.get(k, "")} for k in keys])


def unit_rankings(ctx: ReportContext) -> Section:
    """Rankings of departments, districts and communes inside the province. Table ``rankings``."""
    lang = ctx.lang
    s = Section("unit_rankings", lang)
    ur = ctx.ds.unit_rankings
    ur = ur[(ur["province"] == ctx.unit.slug) & (ur["year"] == ctx.year)]
    if ur.empty:
        s.none(text("rankings.none", lang, year=ctx.year))
        return s
    for level, g in ur.groupby("level", sort=False):
        s.heading(text(f"level.{level}", lang))
        g = g.sort_values(["rank", "listed_order"], na_position="last").copy()
        if g["score"].notna().sum() >= 2:
            s.chart(plots.ranking_chart(g.dropna(subset=["score"]), lang), text("rankings.chart", lang))
        g["rank_text"] = [fmt_rank(r, o, lang) for r, o in zip(g["rank"], g["rank_of"])]
        g["score_text"] = [fmt_number(v, lang) for v in g["score"]]
        g["group_text"] = [name_in("band", v, lang) for v in g["group"]]
        listed = g["rank"].isna() & g["score"].isna() & g["listed_order"].notna()
        cols = {"unit": text("label.unit", lang)}
        if listed.all():  # a list without scores or ranks: its order, and what that order is, said once
            g["order_text"] = [str(int(v)) for v in g["listed_order"]]
            cols |= {"order_text": text("label.listed_order", lang), "group_text": text("label.group", lang)}
        else:
            cols |= {
                "score_text": text("label.score", lang),
                "rank_text": text("label.rank", lang),
                "group_text": text("label.group", lang),
            }
        s.table(g, cols, numeric=("score_text", "rank_text", "order_text"))
        if listed.any():
            s.say(text("rankings.listed_note", lang), "note")
        s.say(text("label.source", lang) + ": ", "note", link=g["source"].iloc[0])
    s.tables["rankings"] = ur.reset_index(drop=True)
    return s


def sources_and_gaps(ctx: ReportContext) -> Section:
    """The source of every figure shown, and what is missing for the year. Tables ``sources``, ``gaps``."""
    lang = ctx.lang
    s = Section("sources_and_gaps", lang)
    units = [ctx.unit] + (ctx.ds.registry.predecessors(ctx.unit.slug) if ctx.unit.is_new else [])
    src = pd.concat(
        [metrics.sources_used(ctx.ds, u.slug, ctx.year) for u in units]
        + [metrics.disputed_rows(ctx.ds, u.slug, ctx.year) for u in units]
    )
    src = src.sort_values(["index", "year", "component"], na_position="first", kind="stable")
    others = pd.concat([metrics.disagreeing_rows(ctx.ds, u.slug, ctx.year) for u in units])
    if src.empty:
        s.none()
    else:
        cols = {
            "figure": text("label.index", lang),
            "value": text("label.value", lang),
            "source": text("label.source", lang),
            "note": text("label.note", lang),
        }
        names = {u.slug: u.name for u in units} if ctx.unit.is_new else None
        shown = _sources_shown(src, lang, others, names)
        s.table(
            shown,
            cols,
            links=("source",),
            name="sources",
            data=src.reset_index(drop=True),
            folded=text("sources.folded", lang, n=len(shown)),
        )
        s.say(text("sources.transcription_note", lang), "note")
    s.say(text("map.source", lang), "note")
    for _, r in pd.concat([metrics.contradicted_rows(ctx.ds, u.slug, ctx.year) for u in units]).iterrows():
        s.say(
            text(
                "sources.contradicted",
                lang,
                figure=f"{r['index']} {r['year']}",
                value=_figure_text(r, lang),
                source=_source_host(r["source"]),
            ),
            "note",
        )
    items: list[str] = []
    unpublished: list[str] = []
    before: list[str] = []
    for g in metrics.missing_figures(ctx.ds, ctx.unit.slug, ctx.year):
        if ":" in g:
            index, what = g.split(": ")
            if what in ("not_published", "before_unit"):  # not missing: said apart
                (unpublished if what == "not_published" else before).append(text(f"index.{index}", lang))
                continue
            item = text("gaps.item", lang, index=text(f"index.{index}", lang), what=text(f"gaps.{what}", lang))
            why = missing_text(ctx.ds, ctx.unit, index, ctx.year, lang)
            items.append(f"{item} — {why}" if why else item)
        else:
            items.append(text(f"gaps.{g}", lang))
    if items:
        s.say(text("gaps.intro", lang, year=ctx.year))
        s.items(items)
    if unpublished:
        s.say(text("gaps.not_published_intro", lang, year=ctx.year, indices=fmt_list(unpublished, lang)))
    if before:
        old = fmt_list([p.name for p in ctx.ds.registry.predecessors(ctx.unit.slug)], lang)
        n = generation_for_year(ctx.year)
        s.say(
            text(
                "gaps.before_unit",
                lang,
                year=ctx.year,
                indices=fmt_list(before, lang),
                n=n,
                name=ctx.unit.name,
                old=old,
            )
        )
    s.tables["gaps"] = pd.DataFrame({"missing": items})
    s.tables["not_published"] = pd.DataFrame({"index": unpublished})
    return s


def _sources_shown(
    src: pd.DataFrame, lang: str, others: pd.DataFrame | None = None, names: dict[str, str] | None = None
) -> pd.DataFrame:
    """One line per (province,) index, year and source: the index's own figure and how many components the
    same source gave (a complete national table gives up to ten a year; listed one by one they filled 30
    pages). The section's ``sources`` table keeps every row.

    The note is written for the reader, in the report's language: a figure worked out from published ones,
    and the figures other sources give for the same key (``others``: ``metrics.disagreeing_rows``). How each
    figure was transcribed (the rows' ``note``) stays in data/. ``names``: province names by slug, for a
    unit formed in 2025 whose table lists its predecessors' figures.
    """
    lines: list[dict] = []
    told: set[tuple] = set()  # the figures of other sources are told once per key, on its first line
    groups: dict[tuple, list[dict]] = {}  # the rows by (province, index, year, source), in their order
    read = ("province", "index", "year", "source", "component", "score", "unit", "rank", "rank_of", "derived")
    for r in _records(src, (*read, "status", "origin")):  # what a line and its note read of its rows
        groups.setdefault((r["province"], r["index"], r["year"], r["source"]), []).append(r)
    other_rows = others.to_dict("records") if others is not None else []
    for (province, index, year, source), g in groups.items():
        figure = f"{index} {year}"
        if names:
            figure = text("sources.of_province", lang, figure=figure, name=names.get(province, province))
        overall = [r for r in g if not _given(r["component"])]
        n = len(g) - len(overall)
        note = _reader_note(g, lang, other_rows, told)
        if n == 1 and not overall:  # a single component: name it
            r = g[0]
            lines.append(
                {
                    "figure": f"{figure} — {name_in('component', r['component'], lang)}",
                    "value": _figure_text(r, lang),
                    "source": source,
                    "note": note,
                }
            )
            continue
        parts = [p for p in (_figure_text(r, lang) for r in overall) if p]
        if n:  # 'và 8 chỉ số thành phần' after the index's own figure, '8 chỉ số thành phần' alone
            parts.append(text("sources.components" if parts else "sources.components_only", lang, n=n))
        lines.append({"figure": figure, "value": "; ".join(parts), "source": source, "note": note})
    return pd.DataFrame(lines, columns=["figure", "value", "source", "note"])


def _given(component) -> bool:
    """True for a component's name; False for an index's own row (no component: '' or missing)."""
    return isinstance(component, str) and component != ""


def _reader_note(rows: list[dict], lang: str, others: list[dict], told: set) -> str:
    """What a reader should know about a line of the sources table (``rows``: its data rows), in ``lang``;
    ``others``: the rows of other sources (``metrics.disagreeing_rows``); ``told``: the keys whose other
    figures were already given (updated)."""
    notes = [text("derived", lang)] if any(pd.notna(r["derived"]) and bool(r["derived"]) for r in rows) else []
    if any(r["status"] == DISPUTED for r in rows):
        notes.append(text("sources.disputed", lang))
    if any(r.get("origin") == USER_OFFICIAL for r in rows):
        notes.append(text("sources.user_official", lang))
    if others:
        province = rows[0]["province"]
        keys = {(province, r["index"], int(r["year"]), r["component"] if _given(r["component"]) else "") for r in rows}
        keys -= told
        told |= keys
        other = [r for r in others if r["province"] == province and (province, *r["shown_key"]) in keys]
        if other:
            shown = [
                text("sources.other_figure", lang, figure=_figure_text(r, lang), source=_source_host(r["source"]))
                for r in other
            ]
            notes.append(text("sources.other_figures", lang, figures="; ".join(shown)))
    return "; ".join(notes)


def _source_host(source: str) -> str:
    """A source as short as a reader needs it beside a figure: a URL's host, else the citation."""
    from urllib.parse import urlparse

    if isinstance(source, str) and " via http" in source:  # 'Bộ Nội vụ, "…", via https://…': the page
        source = source.rsplit(" via ", 1)[1]
    host = urlparse(source).netloc if isinstance(source, str) and source.startswith("http") else ""
    return host.removeprefix("www.") or str(source)


def _figure_text(r: pd.Series | dict, lang: str) -> str:
    """A row's score and rank as the reader sees them ('86,26% ; 41/63')."""
    parts = (
        fmt_score(r["score"], r["unit"], lang) if pd.notna(r["score"]) else "",
        fmt_rank(r["rank"], r["rank_of"], lang) if pd.notna(r["rank"]) else "",
    )
    return "; ".join(x for x in parts if x)


def footer(ctx: ReportContext) -> Section:
    """The last line: the version of the data (its short id) and of the suite the report was made with.
    Table ``provenance``: the data's full hash, the code's and the parameters, for the analyst (the reader
    sees no hash or parameter)."""
    s = Section("footer", ctx.lang)
    s.footer(text("footer", ctx.lang, data=ctx.ds.data_hash[:8], version=SUITE_VERSION))
    s.tables["provenance"] = pd.DataFrame(
        [{"data_hash": ctx.ds.data_hash, "code_version": code_version(), "suite_version": SUITE_VERSION, **ctx.params}]
    )
    return s
