"""The national overview of one year: published rankings, regional means, movers, a tile map, coverage."""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import metrics, plots
from .fingerprint import code_version
from .narrative import (computed_mean_method, computed_rank_method, esc, fmt_rank, fmt_score, index_name, label,
                        rank_change_text)
from .output import chart, section
from .output import html as _html
from .provinces import generation_for_year
from .schema import INDICES
from .tables import html_table

TILEGRID = Path(__file__).parent / "assets" / "tilegrid.csv"


@dataclass
class OverviewContext:
    ds: object
    year: int
    lang: str

    def t(self, vi: str, en: str) -> str:
        return vi if self.lang == "vi" else en


def context(year: int, lang: str = "vi", dataset=None) -> OverviewContext:
    from .dataset import load_dataset

    return OverviewContext(dataset or load_dataset(), int(year), lang)


def year_figures(ds, index: str, year: int) -> pd.DataFrame:
    """The overall figures of every province for an index and year (``ds.figures``: published ranks, or
    ranks computed from a complete table), best rank first."""
    df = ds.figures
    df = df[(df["index"] == index) & (df["year"] == year) & metrics.overall_rows(df)].copy()
    df["name"] = [ds.registry.get(s).name for s in df["province"]]
    df["region"] = [ds.registry.get(s).region for s in df["province"]]
    return df.sort_values(["rank_of", "rank", "score"], ascending=[True, True, False], na_position="last")


@section
def title(ctx: OverviewContext) -> None:
    _html(f"<h1>{esc(ctx.t('Tổng quan cải cách hành chính cả nước', 'National overview of administrative reform'))}"
          f" — {ctx.t('năm', 'year')} {ctx.year}</h1>"
          f'<p class="note">{esc(ctx.t("Thứ hạng và điểm trung bình là số được công bố; chỉ khi bảng điểm cả nước của năm đầy đủ mà thiếu số công bố thì chúng được tính từ bảng và ghi “tính”. Tỉnh chưa có số liệu được ghi rõ là thiếu.", "Ranks and means are the published ones; only where a year’s national table is complete and no published figure exists are they computed from it, marked “computed”. Provinces without figures are listed as missing."))}</p>')


@section
def rankings(ctx: OverviewContext) -> None:
    _html(f"<h2>1. {esc(ctx.t('Xếp hạng', 'Rankings'))}</h2>")
    any_shown = False
    for index in INDICES:
        df = year_figures(ctx.ds, index, ctx.year)
        if df.empty:
            continue
        any_shown = True
        for rank_of, g in df.groupby("rank_of", dropna=False, sort=True):
            g = g.copy()
            g["rank_text"] = [fmt_rank(r, o, ctx.lang, t) for r, o, t in zip(g["rank"], g["rank_of"], g["tied"])]
            g["score_text"] = [fmt_score(s, u, ctx.lang) for s, u in zip(g["score"], g["unit"])]
            g["note_text"] = [label("computed", ctx.lang) if c else "" for c in g["rank_computed"]]
            scope = f" ({int(rank_of)} {ctx.t('đơn vị', 'units')})" if pd.notna(rank_of) else ""
            cols = {"rank_text": label("rank", ctx.lang), "name": label("province", ctx.lang),
                    "region": ctx.t("Vùng", "Region"), "score_text": label("score", ctx.lang)}
            if g["rank_computed"].any():
                cols["note_text"] = label("note", ctx.lang)
            _html(html_table(g, cols, ctx.lang, caption=f"{index_name(index, ctx.lang)} {ctx.year}{scope}",
                             numeric=("rank_text", "score_text")))
            if g["rank_computed"].any():
                _html(f'<p class="note">{esc(computed_rank_method({ctx.year: int(rank_of)}, ctx.lang))}</p>')
    if not any_shown:
        _html(f'<p class="missing">{esc(ctx.t("Chưa có số liệu năm này.", "No figures for this year."))}</p>')


@section
def regional_means(ctx: OverviewContext) -> None:
    _html(f"<h2>2. {esc(ctx.t('Điểm trung bình cả nước và các vùng', 'National and regional means'))}</h2>")
    m = ctx.ds.all_means
    m = m[(m["year"] == ctx.year) & metrics.overall_rows(m)].copy()
    if m.empty:
        _html(f'<p class="missing">{esc(ctx.t("Chưa có số liệu trung bình cho năm này.", "No means for this year."))}</p>')
        return
    m["scope_text"] = [metrics.NATIONAL_LABEL[ctx.lang] if s == "national" else s for s in m["scope"]]
    m["score_text"] = [fmt_score(s, u, ctx.lang) for s, u in zip(m["score"], m["unit"])]
    m["source_text"] = [ctx.t(f"tính: trung bình {int(n)} tỉnh", f"computed: mean of {int(n)} provinces") if c else s
                        for s, c, n in zip(m["source"], m["computed"], m["n"])]
    m = m.sort_values(["index", "scope"])
    cols = {"index": label("index", ctx.lang), "scope_text": ctx.t("Phạm vi", "Scope"),
            "score_text": label("score", ctx.lang), "source_text": label("source", ctx.lang)}
    _html(html_table(m, cols, ctx.lang, numeric=("score_text",)))
    computed = m[m["computed"] & (m["scope"] == "national")]
    for index, n in zip(computed["index"], computed["n_table"]):
        _html(f'<p class="note">{esc(index)}: {esc(computed_mean_method({ctx.year: int(n)}, ctx.lang))}</p>')


@section
def movers(ctx: OverviewContext, index: str = "PAR", n: int = 5) -> None:
    _html(f"<h2>3. {esc(ctx.t('Thay đổi thứ hạng lớn nhất', 'Biggest movers'))} — {esc(index_name(index, ctx.lang))}</h2>")
    cur = year_figures(ctx.ds, index, ctx.year)
    prev = year_figures(ctx.ds, index, ctx.year - 1)
    both = cur.merge(prev[["province", "rank", "rank_of"]], on="province", suffixes=("", "_prev"))
    both = both[both["rank"].notna() & both["rank_prev"].notna() & (both["rank_of"] == both["rank_of_prev"])]
    if both.empty:
        _html(f'<p class="missing">{esc(ctx.t(f"Chưa có tỉnh nào có thứ hạng cả năm {ctx.year - 1} và {ctx.year}.", f"No province has a rank in both {ctx.year - 1} and {ctx.year}."))}</p>')
        return
    both["delta"] = (both["rank_prev"] - both["rank"]).astype(int)
    both = both.sort_values(["delta", "name"], ascending=[False, True])
    shown = pd.concat([both.head(n), both.tail(n)]).drop_duplicates("province")
    shown["change"] = [rank_change_text(d, ctx.lang) for d in shown["delta"]]
    shown["from_to"] = [f"{int(a)} → {int(b)}" for a, b in zip(shown["rank_prev"], shown["rank"])]
    cols = {"name": label("province", ctx.lang), "from_to": f"{ctx.year - 1} → {ctx.year}",
            "change": label("change", ctx.lang)}
    _html(html_table(shown, cols, ctx.lang, numeric=("from_to",)))
    _html(f'<p class="note">{esc(ctx.t(f"Chỉ gồm {len(both)} tỉnh có thứ hạng (công bố, hoặc tính từ bảng đầy đủ) cả hai năm.", f"Only the {len(both)} provinces with a rank (published, or computed from a complete table) in both years."))}</p>')


def tiles_for(year: int) -> pd.DataFrame:
    with open(TILEGRID, encoding="utf-8") as f:
        rows = list(csv.DictReader(line for line in f if not line.startswith("#")))
    gen = generation_for_year(year)
    df = pd.DataFrame(rows)
    df = df[df["generation"].astype(int) == gen]
    return df.assign(col=df["col"].astype(int), row=df["row"].astype(int))


@section
def tile_map(ctx: OverviewContext, index: str = "PAR") -> None:
    _html(f"<h2>4. {esc(ctx.t('Bản đồ thứ hạng', 'Rank map'))} — {esc(index_name(index, ctx.lang))} {ctx.year}</h2>")
    tiles = tiles_for(ctx.year)
    figs = year_figures(ctx.ds, index, ctx.year)
    figs = figs[figs["rank_of"] == len(tiles)]
    ranks = dict(zip(figs["province"], figs["rank"].astype("Float64")))
    tiles = tiles.assign(value=[ranks.get(s, float("nan")) for s in tiles["slug"]],
                         label=[_short(ctx.ds.registry.get(s).name) for s in tiles["slug"]])
    tiles["value"] = tiles["value"].astype(float)
    if tiles["value"].notna().sum() == 0:
        _html(f'<p class="missing">{esc(ctx.t("Chưa có thứ hạng để tô màu bản đồ.", "No ranks to colour the map."))}</p>')
        return
    chart(plots.tile_map(tiles, ctx.lang),
          ctx.t(f"Bản đồ ô vuông các tỉnh tô màu theo thứ hạng {index}", f"Tile map of provinces by {index} rank"))
    gaps = int(tiles["value"].isna().sum())
    text = ctx.t(f"Mỗi ô là một tỉnh; số là thứ hạng (công bố, hoặc tính từ bảng đầy đủ; màu đậm = hạng cao). Ô xám: chưa có số liệu ({gaps} tỉnh).",
                 f"One square per province; the number is the rank (published, or computed from a complete table; darker = better). Grey: no data ({gaps}).")
    _html(f'<p class="note">{esc(text)}</p>')


def _short(name: str) -> str:
    return {"Bà Rịa - Vũng Tàu": "BR-VT", "Hồ Chí Minh": "TP.HCM", "Thừa Thiên Huế": "TT Huế"}.get(name, name)


@section
def coverage(ctx: OverviewContext) -> None:
    _html(f"<h2>5. {esc(ctx.t('Mức độ đầy đủ của số liệu', 'Coverage of the data'))}</h2>")
    ds = ctx.ds
    n_units = len(tiles_for(ctx.year))
    rows = []
    for index in INDICES:
        df = year_figures(ds, index, ctx.year)
        df = df[df["province"].map(lambda s: ds.registry.get(s).generation) == generation_for_year(ctx.year)]
        cov = metrics.table_coverage(ds, index, ctx.year)
        complete = bool(cov and cov["complete"])
        rows.append({"index": index_name(index, ctx.lang), "score": f"{int(df['score'].notna().sum())}/{n_units}",
                     "rank": f"{int((df['rank'].notna() & ~df['rank_computed']).sum())}/{n_units}",
                     "computed": f"{int(df['rank_computed'].sum())}/{n_units}",
                     "table": (ctx.t(f"đầy đủ ({cov['expected']} tỉnh được xếp hạng)",
                                     f"complete ({cov['expected']} provinces ranked)") if complete
                               else ctx.t("một phần", "partial"))})
    cols = {"index": label("index", ctx.lang), "score": ctx.t("Tỉnh có điểm", "Provinces with a score"),
            "rank": ctx.t("Tỉnh có thứ hạng công bố", "Provinces with a published rank"),
            "computed": ctx.t("Tỉnh có thứ hạng tính", "Provinces with a computed rank"),
            "table": ctx.t("Bảng điểm năm", "The year's table")}
    _html(html_table(pd.DataFrame(rows), cols, ctx.lang, numeric=("score", "rank", "computed")))
    by_year, cols = _coverage_by_year(ds, ctx.lang)
    _html(html_table(by_year, cols, ctx.lang, numeric=tuple(c for c in cols if c != "index"),
                     caption=ctx.t("Số tỉnh theo năm: có điểm · có thứ hạng công bố · có thứ hạng tính",
                                   "Provinces by year: with a score · with a published rank · with a computed rank")))
    present = set(ds.indices.loc[ds.indices["year"] == ctx.year, "province"])
    missing = sorted(ds.registry.get(s["slug"]).name for _, s in tiles_for(ctx.year).iterrows() if s["slug"] not in present)
    if missing:
        _html(f"<p>{esc(ctx.t(f'Chưa có số liệu chỉ số nào năm {ctx.year} ({len(missing)}):', f'No index figure in {ctx.year} ({len(missing)}):'))} "
              f"{esc(', '.join(missing))}.</p>")


def _coverage_by_year(ds, lang: str) -> tuple[pd.DataFrame, dict]:
    """Per index and year (overall, the year's generation): 'scores · published ranks · computed ranks',
    or '–' where no province has a figure; and the column labels."""
    f = ds.figures[metrics.overall_rows(ds.figures)].copy()
    f = f[[ds.registry.get(s).generation == generation_for_year(int(y)) for s, y in zip(f["province"], f["year"])]]
    f["published_rank"] = f["rank"].notna() & ~f["rank_computed"]
    counts = f.groupby(["index", "year"]).agg(score=("score", "count"), published=("published_rank", "sum"),
                                              computed=("rank_computed", "sum"))
    cells = (counts["score"].astype(str) + " · " + counts["published"].astype(str) + " · "
             + counts["computed"].astype(str)).unstack()
    years = sorted(int(y) for y in cells.columns)
    table = cells.reindex(columns=years).reindex([i for i in INDICES if i in cells.index]).fillna("–")
    table = table.reset_index()
    return table, {"index": label("index", lang), **{y: str(y) for y in years}}


@section
def footer(ctx: OverviewContext) -> None:
    _html('<div class="footer">' + esc(ctx.t(
        f"Lập từ dữ liệu sha256:{ctx.ds.data_hash[:16]} · {code_version()} · tham số: year={ctx.year}, lang={ctx.lang}.",
        f"Made from data sha256:{ctx.ds.data_hash[:16]} · {code_version()} · parameters: year={ctx.year}, lang={ctx.lang}.")) + "</div>")

