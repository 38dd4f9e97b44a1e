"""The national overview of one year: rankings, regional means, movers, maps of the indices, coverage.

Each section returns a ``Section`` (tables, figures, sentences), shown in the notebook as in the report;
the notebook's markdown holds and numbers the headings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..analysis import metrics
from ..catalogue import name_in, text
from ..data.geo import has_boundaries
from ..data.indices import codes
from ..data.provinces import generation_for_year, vi_order, vi_sort_key
from ..files import output_name
from ..fingerprint import SUITE_VERSION, code_version
from . import maps
from .map_classes import map_groups, map_legend, year_figures
from .narrative import (
    break_warning_text,
    computed_mean_method,
    computed_rank_method,
    fmt_list,
    fmt_score,
    mean_replaced_text,
    rank_change_text,
    rank_text,
)
from .output import Section
from .summary import change_text

if TYPE_CHECKING:
    from ..data.dataset import Dataset


@dataclass
class OverviewContext:
    """What every section of the national overview reads: the dataset, the year and the language."""

    ds: Dataset
    year: int
    lang: str


def context(year: int, lang: str = "vi", dataset=None) -> OverviewContext:
    from ..data.dataset import load_dataset

    return OverviewContext(dataset or load_dataset(cache=True), int(year), lang)  # as ``report.context``


def title(ctx: OverviewContext) -> Section:
    """The overview's title and what its ranks and means are."""
    s = Section("title", ctx.lang)
    s.title(text("overview.title", ctx.lang, year=ctx.year))
    s.say(text("overview.intro", ctx.lang), "note")
    s.pages(text("overview.reports", ctx.lang), index_pages(ctx.year, ctx.lang))
    return s


def index_pages(year: int, lang: str) -> list[tuple[str, str]]:
    """The batch's index pages, as linked from the overview beside them: the year's and the portal of
    every year ('index.html', '../index.html'; '.en' in English)."""
    year_page = output_name("index", year, lang, "html").rsplit("/", 1)[1]
    return [
        (text("overview.reports_year", lang, year=year), year_page),
        (text("overview.reports_all", lang), "../" + output_name("index", None, lang, "html")),
    ]


def rankings(ctx: OverviewContext) -> Section:
    """Every index's table of the year, best rank first. Table ``rankings`` (every index)."""
    lang = ctx.lang
    s = Section("rankings", lang)
    shown = []
    for index in codes():
        df = year_figures(ctx.ds, index, ctx.year)
        if df.empty:
            continue
        shown.append(df)
        for rank_of, g in df.groupby("rank_of", dropna=False, sort=True):
            g = g.copy()
            g["rank_text"] = [rank_text(r, lang) for r in g.to_dict("records")]
            g["score_text"] = [fmt_score(v, u, lang) for v, u in zip(g["score"], g["unit"])]
            g["note_text"] = [text("computed", lang) if c else "" for c in g["rank_computed"]]
            g["region"] = [name_in("region_name", r, lang) for r in g["region"]]
            if pd.isna(rank_of):  # scores without any rank: not a ranking, say why
                s.heading(text("overview.unranked_heading", lang, index=text(f"index.{index}", lang), year=ctx.year))
                s.say(text("overview.unranked_why", lang, n=len(g), year=ctx.year), "note")
                g = g.sort_values("score", ascending=False)
                s.table(
                    g,
                    {
                        "name": text("label.province", lang),
                        "region": text("region", lang),
                        "score_text": text("label.score", lang),
                    },
                    numeric=("score_text",),
                )
                continue
            scope = f" ({text('units_word', lang, n=int(rank_of))})"
            cols = {
                "rank_text": text("label.rank", lang),
                "name": text("label.province", lang),
                "region": text("region", lang),
                "score_text": text("label.score", lang),
            }
            if g["rank_computed"].any():
                cols["note_text"] = text("label.note", lang)
            s.table(
                g,
                cols,
                numeric=("rank_text", "score_text"),
                caption=text("overview.caption", lang, index=text(f"index.{index}", lang), year=ctx.year, scope=scope),
            )
            if g["rank_computed"].any():
                s.say(computed_rank_method({ctx.year: int(rank_of)}, lang), "note")
            for note in equal_printed_notes(g, index, lang):
                s.say(note, "note")
    if not shown:
        s.say(text("overview.no_year", lang), "missing")
    s.tables["rankings"] = pd.concat(shown, ignore_index=True) if shown else pd.DataFrame()
    return s


def equal_printed_notes(g: pd.DataFrame, index: str, lang: str) -> list[str]:
    """Why a table (``score_text``, ``rank_text``) shows one score at different ranks: the publisher ordered
    equal printed scores by decimals it did not print (as ``computed_rank_method`` says), or the scores
    differ in the decimals published and look equal as the table rounds them. One note for each; none
    when every score shown alike has the same rank."""
    groups: dict[str, list[str]] = {"unprinted": [], "rounded": []}
    decimals = 0
    for shown, same in g[g["score"].notna()].groupby("score_text", sort=False):
        if len(same) < 2 or same["rank_text"].nunique() < 2:
            continue
        kind = "unprinted" if same["score"].nunique() == 1 else "rounded"
        if kind == "rounded":
            decimals = max(decimals, int(same["score_decimals"].max()))
        names = fmt_list([f"{n} ({r})" for n, r in zip(same["name"], same["rank_text"])], lang)
        groups[kind].append(f"{shown}: {names}")
    return [
        text(
            f"overview.equal_printed.{kind}",
            lang,
            groups="; ".join(found),
            publisher=text(f"publisher.{index}", lang),
            decimals=decimals,
        )
        for kind, found in groups.items()
        if found
    ]


def regional_means(ctx: OverviewContext) -> Section:
    """National and regional means of every index in the year, highest first within each index; regions
    sharing a mean are checked against the national mean (``mean_check``) and the reader told. Table
    ``means``."""
    lang = ctx.lang
    s = Section("regional_means", lang)
    m = ctx.ds.all_means
    m = m[(m["year"] == ctx.year) & metrics.overall_rows(m)].copy()
    if m.empty:
        s.say(text("overview.no_means", lang), "missing")
        return s
    m["scope_text"] = [
        text("national", lang) if v == "national" else name_in("region_name", v, lang) for v in m["scope"]
    ]
    m["score_text"] = [fmt_score(v, u, lang) for v, u in zip(m["score"], m["unit"])]
    m["source_text"] = [
        text("overview.mean_of", lang, n=int(n)) if c else src for src, c, n in zip(m["source"], m["computed"], m["n"])
    ]
    order = {index: i for i, index in enumerate(codes())}
    m = m.assign(_order=m["index"].map(order)).sort_values(["_order", "score"], ascending=[True, False])
    m = m.drop(columns="_order")
    cols = {
        "index": text("label.index", lang),
        "scope_text": text("label.scope", lang),
        "score_text": text("label.score", lang),
        "source_text": text("label.source", lang),
    }
    s.table(
        m, cols, numeric=("score_text",), name="means", data=m.drop(columns=["scope_text", "score_text", "source_text"])
    )
    computed = m[m["computed"] & (m["scope"] == "national")]
    for index, n in zip(computed["index"], computed["n_table"]):
        s.say(text("labelled", lang, label=index, text=computed_mean_method({ctx.year: int(n)}, lang)), "note")
    for r in m.to_dict("records"):  # a published figure that is not the table's mean: which is used and why
        why = mean_replaced_text(r, lang)
        if why:
            s.say(why, "note")
    for index in m["index"].unique():
        check = mean_check(ctx.ds, index, ctx.year)
        if check["consistent"] is False and not check["equal"]:
            unit = m.loc[m["index"] == index, "unit"].iloc[0]
            s.say(
                text(
                    "overview.means_computed_mismatch" if check["computed"] else "overview.means_weighted_mismatch",
                    lang,
                    index=text(f"index.{index}", lang),
                    year=ctx.year,
                    weighted=fmt_score(round(check["weighted"], 2), unit, lang),
                    national=fmt_score(check["national"], unit, lang),
                ),
                "warning",
            )
        for regions, score in check["equal"]:
            unit = m.loc[m["index"] == index, "unit"].iloc[0]
            if check["consistent"] is None:
                verdict = text("overview.means_unchecked", lang)
            else:
                verdict = text(
                    ("overview.means_consistent" if check["consistent"] else "overview.means_inconsistent")
                    + ("_computed" if check["computed"] else ""),
                    lang,
                    national=fmt_score(check["national"], unit, lang),
                )
            s.say(
                text(
                    "overview.equal_means",
                    lang,
                    regions=f" {text('and_word', lang)} ".join(name_in("region_name", r, lang) for r in regions),
                    score=fmt_score(score, unit, lang),
                    index=text(f"index.{index}", lang),
                    year=ctx.year,
                    weighted=fmt_score(round(check["weighted"], 2), unit, lang) if check["weighted"] else "–",
                    verdict=verdict,
                ),
                "note" if check["consistent"] else "warning",
            )
    return s


def mean_check(ds: Dataset, index: str, year: int) -> dict:
    """Regions sharing the same mean of ``index`` in ``year`` (``equal``: [(regions, score)]), and whether
    the regional means agree with the national one: ``weighted`` (the regional means, each weighted by the
    number of provinces it averages: for a mean computed from the year's table, its provinces with a score
    there (``n``); for a published mean, whose count is not published, the region's number of provinces in
    the register that year), ``national`` (the national mean), ``consistent`` (they agree within the
    rounding of two-decimal means; None when a region or the national mean is missing), ``computed``
    (every regional mean and the national one computed from the table) and ``register_weights`` (some
    published regional mean weighted by the register's count)."""
    m = ds.all_means
    m = m[(m["index"] == index) & (m["year"] == year) & metrics.overall_rows(m)]
    regional = m[m["scope"] != "national"]
    equal = [(list(g["scope"]), float(score)) for score, g in regional.groupby("score") if len(g) > 1]
    sizes = pd.Series([p.region for p in ds.registry.generation(generation_for_year(year))]).value_counts()
    national_rows = m[m["scope"] == "national"]
    national = national_rows["score"]
    out: dict[str, Any] = {
        "equal": equal,
        "weighted": None,
        "national": float(national.iloc[0]) if not national.empty else None,
        "consistent": None,
        "computed": bool(not m.empty and m["computed"].fillna(False).astype(bool).all()),
        "register_weights": False,
    }
    if set(regional["scope"]) == set(sizes.index) and out["national"] is not None:
        counted = regional["computed"].fillna(False).astype(bool) & regional["n"].notna()
        weights = pd.Series(
            [int(n) if c else int(sizes[r]) for r, n, c in zip(regional["scope"], regional["n"], counted)],
            index=regional.index,
            dtype=float,
        )
        out["register_weights"] = bool((~counted).any())
        out["weighted"] = float((regional["score"].astype(float) * weights).sum() / weights.sum())
        out["consistent"] = abs(out["weighted"] - out["national"]) <= 0.01  # two rounded two-decimal means
    return out


def rank_changes(ds: Dataset, index: str, year: int) -> pd.DataFrame:
    """The provinces ranked exactly (no range) in ``index`` both in ``year`` and the year before, out of the
    same number ranked, with ``delta`` (places gained: positive rose). The figures of ``year_figures``."""
    cur = year_figures(ds, index, year)
    prev = year_figures(ds, index, year - 1)
    both = cur.merge(prev[["province", "rank", "rank_of", "rank_high"]], on="province", suffixes=("", "_prev"))
    exact = (both["rank_high"] == both["rank"]) & (both["rank_high_prev"] == both["rank_prev"])  # not a range
    both = both[
        both["rank"].notna()
        & both["rank_prev"].notna()
        & (both["rank_of"] == both["rank_of_prev"])
        & exact.fillna(False).astype(bool)
    ].copy()
    both["delta"] = (both["rank_prev"] - both["rank"]).astype(int)
    return both


def largest_movers(changes: pd.DataFrame, n: int = 5) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``n`` that rose and the ``n`` that fell most (``rank_changes``), biggest change first, in
    Vietnamese alphabetical order between equals (``vi_order``); with every province that moved as much as
    the ``n``-th (more than ``n`` then): naming one of two that rose 7 places as a largest mover would say
    the other rose less."""
    changes = changes.assign(_name=vi_order(changes["name"]))
    rose = changes[changes["delta"] > 0].sort_values(["delta", "_name"], ascending=[False, True])
    fell = changes[changes["delta"] < 0].sort_values(["delta", "_name"], ascending=[True, True])
    return _with_ties_at_the_cut(rose.drop(columns="_name"), n), _with_ties_at_the_cut(fell.drop(columns="_name"), n)


def _with_ties_at_the_cut(ordered: pd.DataFrame, n: int) -> pd.DataFrame:
    if len(ordered) <= n:
        return ordered
    return ordered[ordered["delta"].abs() >= abs(ordered["delta"].iloc[n - 1])]


def movers(ctx: OverviewContext, index: str = "PAR", n: int = 5) -> Section:
    """The ``n`` provinces that rose and the ``n`` that fell most in ``index`` since the year before, biggest
    change first (Vietnamese alphabetical order between equals); provinces that kept their rank are counted,
    not listed; a change across a method change is flagged and warned of, as a province report does. Table
    ``movers``."""
    lang = ctx.lang
    s = Section("movers", lang)
    both = rank_changes(ctx.ds, index, ctx.year)
    if both.empty:
        s.say(text("overview.no_movers", lang, prev=ctx.year - 1, year=ctx.year), "missing")
        return s
    changed = both[both["delta"] != 0]
    if changed.empty:
        s.say(text("overview.no_change", lang, prev=ctx.year - 1, year=ctx.year), "missing")
        return s
    rose, fell = largest_movers(changed, n)
    shown = pd.concat([rose, fell])
    shown = shown.assign(size=shown["delta"].abs(), _name=vi_order(shown["name"]))
    shown = shown.sort_values(["size", "_name"], ascending=[False, True]).drop(columns="_name")
    breaks = metrics.breaks_between(index, ctx.year - 1, ctx.year)
    shown["change"] = [change_text(None, d, "", breaks, lang) for d in shown["delta"]]  # flagged as a province's
    shown["from_to"] = [f"{int(a)} → {int(b)}" for a, b in zip(shown["rank_prev"], shown["rank"])]
    cols = {
        "name": text("label.province", lang),
        "from_to": f"{ctx.year - 1} → {ctx.year}",
        "change": text("label.change", lang),
    }
    s.table(
        shown,
        cols,
        numeric=("from_to",),
        name="movers",
        data=shown[["province", "name", "rank_prev", "rank", "rank_of", "delta"]],
    )
    _warn_breaks(s, index, breaks)
    s.say(text("overview.movers_note", lang, n=len(both)), "note")
    if len(changed) < len(both):
        kept = len(both) - len(changed)
        s.say(
            text("overview.movers_unchanged_one", lang)
            if kept == 1
            else text("overview.movers_unchanged", lang, n=kept),
            "note",
        )
    return s


def _warn_breaks(s: Section, index: str, breaks: list[int]) -> None:
    """Changes since the year before that cross a method change: the warning a province report's history
    gives (``break_warning``, what changed as the index's record has it)."""
    for year in breaks:
        s.say(break_warning_text(index, year, s.lang), "warning")


def index_maps(ctx: OverviewContext, n_movers: int = 3) -> Section:
    """One choropleth per index with figures in the year (the units of its generation: 63, or 34 from 2025),
    the provinces without a figure hatched and named, the largest movers marked and named (and the method
    change they cross warned of). Table ``maps``
    (``map_groups`` of every index drawn, with ``moved``: 'rose', 'fell' or '')."""
    lang = ctx.lang
    s = Section("index_maps", lang)
    if not has_boundaries(ctx.ds.data_dir):
        s.say(text("map.no_boundaries", lang))
        return s
    gen = generation_for_year(ctx.year)
    drawn = []
    for index in codes():
        groups = map_groups(ctx.ds, index, ctx.year)
        if groups["group"].isna().all():
            continue
        method = groups["method"].iloc[0]
        name = text(f"index.{index}", lang)
        rose, fell = largest_movers(rank_changes(ctx.ds, index, ctx.year), n_movers)
        classes = {p: int(g) for p, g in zip(groups["province"], groups["group"]) if pd.notna(g)}
        s.heading(name)
        s.chart(
            maps.choropleth(
                ctx.ds.data_dir,
                gen,
                classes,
                map_legend(method, lang),
                text(f"map.missing.{method}", lang),
                list(rose["province"]),
                list(fell["province"]),
                (text("map.rose", lang), text("map.fell", lang)),
                gid=f"{index}:{ctx.year}",
            ),
            text(
                "overview.map_chart",
                lang,
                index=name,
                year=ctx.year,
                method=text(f"overview.map_by.{method}", lang),
            ),
        )
        n = groups["rank_of"].dropna()
        s.say(text(f"overview.map_method.{method}", lang, index=name, n=int(n.max()) if len(n) else 0), "note")
        for moved, key in ((rose, "overview.map_rose"), (fell, "overview.map_fell")):
            if not moved.empty:
                names = [f"{r['name']} ({rank_change_text(r['delta'], lang)})" for _, r in moved.iterrows()]
                s.say(text(key, lang, names="; ".join(names)))
        if not (rose.empty and fell.empty):
            _warn_breaks(s, index, metrics.breaks_between(index, ctx.year - 1, ctx.year))
        straddle = groups["group"].isna() & groups["rank"].notna() & (method == "quartile")
        missing = groups.loc[groups["group"].isna() & ~straddle, "name"].tolist()
        if missing:
            s.say(text(f"overview.map_missing.{method}", lang, n=len(missing), names=", ".join(missing)), "missing")
        if straddle.any():
            s.say(text("overview.map_straddle", lang, names=", ".join(groups.loc[straddle, "name"])), "note")
        moved_to = {**dict.fromkeys(rose["province"], "rose"), **dict.fromkeys(fell["province"], "fell")}
        drawn.append(groups.assign(index=index, moved=[moved_to.get(p, "") for p in groups["province"]]))
    if not drawn:
        n = len(ctx.ds.registry.valid_in(ctx.year))
        s.say(text("overview.no_map", lang, year=ctx.year, n=n), "missing")
        s.chart(
            maps.choropleth(ctx.ds.data_dir, gen, {}, [], text("map.missing", lang), gid=f"units:{ctx.year}"),
            text("overview.map_units_chart", lang, n=n),
        )
    s.say(text("map.source", lang), "note")
    s.tables["maps"] = pd.concat(drawn, ignore_index=True) if drawn else pd.DataFrame()
    return s


def coverage(ctx: OverviewContext) -> Section:
    """How complete the data are: provinces with a score, a published and a computed rank, by index
    (table ``coverage``) and by year (table ``by_year``); provinces without any figure."""
    lang = ctx.lang
    s = Section("coverage", lang)
    ds = ctx.ds
    n_units = len(ds.registry.valid_in(ctx.year))
    rows = []
    for index in codes():
        df = year_figures(ds, index, ctx.year)
        df = df[df["province"].map(lambda slug: ds.registry.get(slug).generation) == generation_for_year(ctx.year)]
        cov = metrics.table_coverage(ds, index, ctx.year)
        complete = bool(cov and cov["complete"])
        rows.append(
            {
                "index": text(f"index.{index}", lang),
                "score": f"{int(df['score'].notna().sum())}/{n_units}",
                "rank": f"{int((df['rank'].notna() & ~df['rank_computed']).sum())}/{n_units}",
                "computed": f"{int(df['rank_computed'].sum())}/{n_units}",
                "table": _table_words(ds, index, ctx.year, complete, cov, lang),
            }
        )
    cols = {
        "index": text("label.index", lang),
        "score": text("overview.with_score", lang),
        "rank": text("overview.with_rank", lang),
        "computed": text("overview.with_computed", lang),
        "table": text("overview.table", lang),
    }
    s.table(pd.DataFrame(rows), cols, numeric=("score", "rank", "computed"), name="coverage")
    by_year, cols = _coverage_by_year(ds, lang)
    s.table(
        by_year,
        cols,
        numeric=tuple(c for c in cols if c != "year"),
        caption=text("overview.by_year", lang),
        name="by_year",
        data=by_year,
    )
    present = set(ds.indices.loc[ds.indices["year"] == ctx.year, "province"])
    missing = sorted((p.name for p in ds.registry.valid_in(ctx.year) if p.slug not in present), key=vi_sort_key)
    if missing:
        s.say(text("overview.no_index", lang, year=ctx.year, n=len(missing), names=", ".join(missing)))
    return s


def _table_words(ds: Dataset, index: str, year: int, complete: bool, cov: dict | None, lang: str) -> str:
    """'complete (63 provinces ranked)' or 'partial', and what the publisher published of the year's provinces
    when it was not every one ('VCCI publishes only the top 30 provinces', data/publication.csv), or that it
    published the year for the new units only."""
    words = text("overview.complete", lang, n=cov["expected"]) if complete and cov else text("overview.partial", lang)
    limits = metrics.publication_limits(ds, index, year)  # the table's generation's, else the other one's alone
    limit = limits.get(generation_for_year(year), next(iter(limits.values()), None))
    if limit is not None and limit["coverage"] != "all":
        words += "; " + text(
            f"overview.published_{limit['coverage']}",
            lang,
            publisher=text(f"publisher.{index}", lang),
            n=int(limit["n"]),
        )
    return words


def _coverage_by_year(ds: Dataset, lang: str) -> tuple[pd.DataFrame, dict]:
    """Per year (a row) and index (a column; overall, the year's generation): 'scores · published ranks ·
    computed ranks', or '–' where no province has a figure; and the column labels. Years as rows: the
    table keeps six columns however many years the data hold (fits A4 and a desktop without scrolling)."""
    f = ds.figures[metrics.overall_rows(ds.figures)].copy()
    f = f[[ds.registry.get(s).generation == generation_for_year(int(y)) for s, y in zip(f["province"], f["year"])]]
    f["published_rank"] = f["rank"].notna() & ~f["rank_computed"]
    counts = f.groupby(["year", "index"]).agg(
        score=("score", "count"), published=("published_rank", "sum"), computed=("rank_computed", "sum")
    )
    cells = (
        counts["score"].astype(str) + " · " + counts["published"].astype(str) + " · " + counts["computed"].astype(str)
    ).unstack()
    indices = [i for i in codes() if i in cells.columns]
    table = cells.reindex(columns=indices).sort_index().fillna("–").rename_axis(columns=None)
    table.index = table.index.astype(int)
    table = table.rename_axis("year").reset_index()
    return table, {"year": text("label.year", lang), **{i: i for i in indices}}


def footer(ctx: OverviewContext) -> Section:
    """The last line: the version of the data (its short id) and of the suite. Table ``provenance``: the
    data's full hash, the code's and the parameters, for the analyst."""
    s = Section("footer", ctx.lang)
    s.footer(text("footer", ctx.lang, data=ctx.ds.data_hash[:8], version=SUITE_VERSION))
    s.tables["provenance"] = pd.DataFrame(
        [
            {
                "data_hash": ctx.ds.data_hash,
                "code_version": code_version(),
                "suite_version": SUITE_VERSION,
                "year": ctx.year,
                "lang": ctx.lang,
            }
        ]
    )
    return s
