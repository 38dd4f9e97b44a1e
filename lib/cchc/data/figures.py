"""The index figures the reports use, one per (index, year, province, component), and what follows from
a complete national table: a rank and the national and regional means where none was published.

Combining rows. A key's figure starts from its chosen row (``dataset.mark_chosen``; the first row of the
group when none is chosen). A score or rank missing there is taken from another row of the group that
contradicts neither the chosen row nor the other rows giving that figure: a rank-only row and a
score-only row for the same key are two facts, both used. Two scores agree when they are the same figure
at two precisions (45.78 printed by a newspaper, 45.7875 in the official table: the less precise one is
the other rounded or cut); then the more precise one is shown.

Complete tables. The table of an index (or of one of its components) in a year holds the scores of the
provinces of that year's generation (63 until 2024, 34 from 2025). It is complete when the provinces with
a score, in the table's unit, are all the provinces ranked that year: their number equals the published
``rank_of`` of that year (e.g. 61 for PAPI 2023) or, when no rank_of was published for the year, every
unit of the generation. A component's table is complete when every province of its index's complete table
has that component's score (or, without a complete index table, by the same rule as the index). Only then:

- rank: by score, highest first, among the provinces of the table, the scores compared at the coarsest
  precision printed in the table (2 decimals for PCI totals); equal printed scores are given the places
  they span ("31–32/63", ``rank_low`` … ``rank_high``), never one shared rank: the publisher ordered them
  with decimals it did not print. A province of the group with a published rank keeps it and its place is
  left out of the others' range; rank_of = the provinces ranked;
- means: the simple average of the provinces' scores, nationally and by region (regions of the registry).

A published rank or mean is always preferred; a computed one fills a gap only and is marked ``computed``.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

from .checks import same_figure
from .provinces import generation_for_year
from .schema import NEVER_USED

GROUP = ["index", "year", "province", "component"]
TABLE = ["index", "year", "component", "generation"]
FIGURE_COLUMNS = GROUP + [
    "score",
    "unit",
    "max_score",
    "score_decimals",
    "rank",
    "rank_of",
    "derived",
    "source",
    "origin",
    "note",
    "rank_source",
    "rank_note",
    "rank_computed",
    "tied",
    "rows",
]


# ------------------------------------------------------------------ one figure per key
def same_score(a: float, a_decimals: int, b: float, b_decimals: int) -> bool:
    """True when two scores are the same figure, the less precise one rounded or cut from the other
    (the rule of ``checks.same_figure``, which validation and imports use too)."""
    return same_figure(a, b, a_decimals, b_decimals)


def _dec(x: float) -> Decimal:
    return Decimal(repr(float(x)))


def _has(value) -> bool:
    return value is not None and not pd.isna(value)


def _decimals(row: dict) -> int:
    d = row.get("score_decimals")
    if d is not None and _has(d):
        return int(d)
    text = repr(float(row["score"]))
    return len(text.split(".")[1].rstrip("0")) if "." in text else 0


def _scores_agree(a: dict, b: dict) -> bool:
    return a["unit"] == b["unit"] and same_score(a["score"], _decimals(a), b["score"], _decimals(b))


def _ranks_agree(a: dict, b: dict) -> bool:
    return a["rank"] == b["rank"] and (not _has(a["rank_of"]) or not _has(b["rank_of"]) or a["rank_of"] == b["rank_of"])


def _compatible(a: dict, b: dict) -> bool:
    """Rows that contradict each other in no figure they both give."""
    if _has(a["score"]) and _has(b["score"]) and not _scores_agree(a, b):
        return False
    return not (_has(a["rank"]) and _has(b["rank"]) and not _ranks_agree(a, b))


def combine(rows: list[dict]) -> dict:
    """One key's figure from its rows (``chosen`` marks the row reports use; ``_pos`` its position)."""
    base = next((r for r in rows if r.get("chosen")), rows[0])
    usable = [base] + [r for r in rows if r is not base and _compatible(base, r)]
    score_row = _pick([r for r in usable if _has(r["score"])], _scores_agree, base, "score")
    if score_row is not None:
        score_row = max(
            [r for r in usable if _has(r["score"]) and _scores_agree(r, score_row)], key=_decimals
        )  # the most precise of the agreeing scores (the first on a draw)
    rank_row = _pick([r for r in usable if _has(r["rank"])], _ranks_agree, base, "rank")
    main = score_row or rank_row or base
    out = {c: main.get(c) for c in FIGURE_COLUMNS if c in main}
    for c in ("rank", "rank_of"):
        out[c] = rank_row[c] if rank_row is not None else None
    other = rank_row if rank_row is not None and rank_row is not main else None  # a second row gives the rank
    out.update(
        rank_source=other["source"] if other is not None else "",
        rank_note=other["note"] if other is not None else "",
        derived=any(bool(r["derived"]) for r in (score_row, rank_row) if r is not None),
        rank_computed=False,
        tied=False,
        rows=(main["_pos"],) + ((other["_pos"],) if other is not None else ()),
    )
    return out


def _pick(rows: list[dict], agree, base: dict, column: str) -> dict | None:
    """The row giving a figure: the base row's own, else the first of rows that all agree, else none."""
    if _has(base[column]):
        return base
    return rows[0] if rows and all(agree(a, b) for a in rows for b in rows) else None


def combined_figures(indices: pd.DataFrame) -> pd.DataFrame:
    """One row per (index, year, province, component): the chosen row, completed from compatible rows."""
    df = indices.assign(_pos=np.arange(len(indices)))
    if "status" in df:  # a disputed or contradicted row gives nothing, not even a missing rank or score
        df = df[~df["status"].isin(NEVER_USED)]
    if "score_decimals" not in df:
        df["score_decimals"] = pd.NA
    if "origin" not in df:
        df["origin"] = ""
    size = df.groupby(GROUP, sort=False, dropna=False)["_pos"].transform("size")
    single = df[size == 1]
    out = single.assign(
        rank_source="", rank_note="", rank_computed=False, tied=False, rows=[(p,) for p in single["_pos"]]
    )[FIGURE_COLUMNS]
    multi = df[size > 1]
    codes = multi.groupby(GROUP, sort=False, dropna=False).ngroup().to_numpy()  # groups in order of appearance
    grouped: list[list[dict]] = [[] for _ in range(int(codes.max()) + 1 if len(codes) else 0)]
    for code, row in zip(codes, multi.to_dict("records")):
        grouped[code].append(row)
    records = [combine(rows) for rows in grouped]
    if records:
        out = pd.concat([out, pd.DataFrame.from_records(records, columns=FIGURE_COLUMNS)], ignore_index=True)
    out = out.astype(
        {
            "rank": "Int64",
            "rank_of": "Int64",
            "score_decimals": "Int64",
            "derived": bool,
            "rank_computed": bool,
            "tied": bool,
            "score": float,
            "max_score": float,
        }
    )
    return out.sort_values(GROUP, kind="stable").reset_index(drop=True)


# ------------------------------------------------------------------ ranks from complete tables
def ranks_by_score(scores: pd.Series, decimals: int, published: pd.Series | None = None) -> pd.DataFrame:
    """Places (1 = highest) of ``scores`` compared at ``decimals`` places: ``rank`` the best and ``rank_high``
    the worst place a province can hold, ``tied`` when they differ. Equal printed scores span several places
    (64.74 three times from 30th: 30–32): the publisher ordered them with more decimals than it printed, so
    no one place is known. A province's ``published`` rank (same index, NaN where none) is its own place and
    is left out of the places the others of its group may hold (Nghệ An published 30th: the two others 31–32)."""
    step = Decimal(1).scaleb(-decimals)
    rounded = pd.Series([float(_dec(s).quantize(step, ROUND_HALF_UP)) for s in scores], index=scores.index)
    low = rounded.rank(method="min", ascending=False).astype("int64").to_numpy(copy=True)
    high = rounded.rank(method="max", ascending=False).astype("int64").to_numpy(copy=True)
    if published is not None:
        own = published.reindex(scores.index).to_numpy(dtype=float, na_value=np.nan)
        groups: dict[float, list[int]] = {}
        for i, value in enumerate(rounded.to_numpy()):
            groups.setdefault(value, []).append(i)
        for group in groups.values():
            if len(group) < 2:
                continue
            taken = {int(own[i]) for i in group if not np.isnan(own[i])}
            free = sorted(set(range(int(low[group[0]]), int(high[group[0]]) + 1)) - taken)
            for i in group:
                if not np.isnan(own[i]):
                    low[i] = high[i] = int(own[i])
                elif free:
                    low[i], high[i] = free[0], free[-1]
    return pd.DataFrame({"rank": low, "rank_high": high, "tied": low != high}, index=scores.index)


def year_tables(figures: pd.DataFrame, registry) -> pd.DataFrame:
    """Per (index, year, component, generation): units of the generation, provinces scored and ranked
    (published), expected (provinces ranked that year), complete, unit, decimals (the coarsest printed
    precision of the table's scores) and ``members``: the positions in ``figures`` of the provinces ranked."""
    gen = {p.slug: p.generation for p in registry}
    size = pd.Series(gen).value_counts()
    df = figures.assign(
        generation=figures["province"].map(gen),
        _pos=np.arange(len(figures)),
        _dec=[
            _decimals(r) if _has(r["score"]) else 99 for r in figures[["score", "score_decimals"]].to_dict("records")
        ],
    )
    with_unit = df[df["score"].notna() & (df["unit"] != "")]
    counts = with_unit.groupby(TABLE + ["unit"]).size().rename("n").reset_index()
    main = counts.sort_values(["n", "unit"], ascending=[False, True]).drop_duplicates(TABLE)
    df = df.merge(main[TABLE + ["unit"]].rename(columns={"unit": "main_unit"}), on=TABLE, how="left")
    df["scored"] = df["score"].notna() & (df["unit"] == df["main_unit"])
    tables = (
        df.groupby(TABLE)
        .agg(
            scored=("scored", "sum"),
            ranked=("rank", "count"),
            published_of=("rank_of", "max"),
            unit=("main_unit", "first"),
        )
        .reset_index()
    )
    tables["units"] = tables["generation"].map(size).fillna(0).astype(int)
    tables["expected"] = tables["published_of"].fillna(tables["units"]).astype(int)
    overall = tables["component"] == ""
    tables["complete"] = overall & (tables["scored"] == tables["expected"]) & (tables["scored"] >= 2)
    # A component's table ranks the provinces of its index's complete table, when there is one.
    done = df.merge(tables.loc[tables["complete"], ["index", "year", "generation"]].assign(component=""), on=TABLE)
    base = done.loc[done["scored"], ["index", "year", "generation", "province"]].assign(in_base=True)
    df = df.merge(base, on=["index", "year", "generation", "province"], how="left")
    df["in_base"] = df["in_base"].fillna(False).astype(bool)
    base_size = base.groupby(["index", "year", "generation"]).size().rename("base_size").reset_index()
    tables = tables.merge(base_size, on=["index", "year", "generation"], how="left")
    has_base = ~overall & tables["base_size"].notna()
    tables.loc[has_base, "expected"] = tables.loc[has_base, "base_size"].astype(int)
    # Without a complete table of its index, a part's table still expects every province the index ranked that
    # year (PCI 2006-2008 ranked 64, Hà Tây among them; the data holds 63): ranks among fewer are not ranks.
    ranked = tables.loc[overall, ["index", "year", "generation", "expected"]].rename(columns={"expected": "of_index"})
    tables = tables.merge(ranked, on=["index", "year", "generation"], how="left")
    no_base = ~overall & ~has_base & tables["of_index"].notna()
    tables.loc[no_base, "expected"] = tables.loc[no_base, ["expected", "of_index"]].max(axis=1).astype(int)
    df = df.merge(tables.loc[has_base, TABLE].assign(by_base=True), on=TABLE, how="left")
    df["member"] = df["scored"] & (df["in_base"] | df["by_base"].isna())
    n_members = df[df["member"]].groupby(TABLE).size().rename("n_members").reset_index()
    tables = tables.merge(n_members, on=TABLE, how="left")
    tables["n_members"] = tables["n_members"].fillna(0).astype(int)
    tables.loc[~overall, "complete"] = (tables["n_members"] == tables["expected"]) & (tables["n_members"] >= 2)
    members = df[df["member"]].groupby(TABLE).agg(members=("_pos", tuple), decimals=("_dec", "min")).reset_index()
    tables = tables.merge(members, on=TABLE, how="left")
    tables.loc[~tables["complete"], ["members", "decimals"]] = None
    tables["members"] = [m if isinstance(m, tuple) else () for m in tables["members"]]
    tables["year"] = tables["year"].astype(int)
    tables["unit"] = tables["unit"].fillna("")
    columns = TABLE + ["units", "scored", "ranked", "expected", "complete", "unit", "decimals", "members"]
    return tables[columns].sort_values(TABLE, kind="stable").reset_index(drop=True)


def with_computed_ranks(figures: pd.DataFrame, tables: pd.DataFrame) -> pd.DataFrame:
    """``figures`` with a computed rank where a complete table has none published, and the places each rank
    spans: ``rank_low`` = ``rank_high`` = ``rank`` for a published rank or a computed one that no other
    printed score equals; a range where equal printed scores share places (``ranks_by_score``: the published
    ranks of the group are kept and left out of the range). ``tied`` marks only a published rank that two
    provinces hold (the publisher's own tie), never a computed one."""
    out = figures.copy()
    # numpy columns updated table by table (a table reads what the tables before it computed), set back once
    rank = out["rank"].to_numpy(dtype=float, na_value=np.nan)
    low, high = rank.copy(), rank.copy()
    rank_of = out["rank_of"].to_numpy(dtype=float, na_value=np.nan)
    computed = out["rank_computed"].to_numpy(dtype=bool, copy=True)
    score = out["score"].to_numpy(dtype=float, na_value=np.nan)
    for t in tables[tables["complete"]].itertuples():
        at = out.index.get_indexer(list(t.members))
        labels = out.index[at]
        published = pd.Series(np.where(computed[at], np.nan, rank[at]), index=labels)
        ranks = ranks_by_score(pd.Series(score[at], index=labels), int(t.decimals), published)
        missing = np.isnan(rank[at])
        gap = at[missing]
        rank[gap] = low[gap] = ranks["rank"].to_numpy()[missing]
        high[gap] = ranks["rank_high"].to_numpy()[missing]
        rank_of[gap] = len(at)
        computed[gap] = True
    dtype = out["rank"].dtype
    for column, values in (("rank", rank), ("rank_low", low), ("rank_high", high), ("rank_of", rank_of)):
        out[column] = pd.Series(values, index=out.index).astype(dtype if column != "rank_of" else out["rank_of"].dtype)
    out["rank_computed"] = computed
    published_rows = out[out["rank"].notna() & ~out["rank_computed"]]
    shared = published_rows.duplicated(["index", "year", "component", "rank", "rank_of"], keep=False)
    out.loc[published_rows.index[shared], "tied"] = True
    return out


def computed_means(figures: pd.DataFrame, tables: pd.DataFrame, registry) -> pd.DataFrame:
    """National and regional means (and medians) of each complete index table of its year's generation (no
    component); ``decimals``: the coarsest precision printed in the table."""
    region = {p.slug: p.region for p in registry}
    rows = []
    for t in tables[tables["complete"] & (tables["component"] == "")].itertuples():
        if t.generation != generation_for_year(t.year):
            continue
        members = figures.loc[list(t.members)]
        groups = [("national", members)] + sorted(
            (r, g) for r, g in members.groupby(members["province"].map(region)) if r
        )
        for scope, g in groups:
            rows.append(
                {
                    "index": t.index,
                    "year": t.year,
                    "scope": scope,
                    "component": "",
                    "score": round(float(g["score"].mean()), 4),
                    "unit": t.unit,
                    "n": len(g),
                    "n_table": len(members),
                    "median": float(g["score"].median()),
                    "decimals": int(t.decimals),
                }
            )
    return pd.DataFrame(
        rows, columns=["index", "year", "scope", "component", "score", "unit", "n", "n_table", "median", "decimals"]
    )


MEAN_KEY = ["index", "year", "scope", "component"]
MEAN_VERDICTS = ("agrees", "median", "disagrees", "unchecked")


def chosen_means(published: pd.DataFrame) -> pd.DataFrame:
    """One published row per (index, year, scope, component, statistic): the row marked use=yes, else the
    most precise of the rows (rows of one figure at two precisions; rows that disagree without a use=yes
    row are refused by validation)."""
    if published.empty:
        return published
    df = published.assign(
        _places=[
            _decimals(r)
            for r in published[["score"]]
            .assign(score_decimals=published.get("score_decimals", pd.NA))
            .to_dict("records")
        ],
        _use=published["use"] if "use" in published else False,
    )
    df = df.sort_values(["_use", "_places"], ascending=[False, False], kind="stable")
    df = df.drop_duplicates(MEAN_KEY + ["statistic"]).drop(columns=["_places", "_use"])
    return df.sort_index()


def _within(a: float, a_places: int, b: float, b_places: int) -> bool:
    """True when two figures differ by no more than their rounding (half a unit in the last decimal of each)."""
    return abs(a - b) <= 0.5 * 10.0**-a_places + 0.5 * 10.0**-b_places + 1e-9


def mean_checks(published: pd.DataFrame, computed: pd.DataFrame) -> pd.DataFrame:
    """Each published mean or median (``chosen_means``) against the complete table of its year, where there is
    one: ``table_mean``, ``table_median``, ``n`` and ``verdict`` — 'agrees' (the figure is the table's
    statistic within the rounding of both), 'median' (called a mean, it is the table's median and not its
    mean), 'disagrees' (more than rounding away from the table's figure), 'unchecked' (no complete table)."""
    columns = MEAN_KEY + ["statistic", "published", "unit", "source", "table_mean", "table_median", "n", "verdict"]
    rows = []
    tables = {
        tuple(k): r for k, r in zip(computed[MEAN_KEY].astype(object).to_numpy().tolist(), computed.to_dict("records"))
    }
    for r in chosen_means(published).to_dict("records"):
        t = tables.get((r["index"], r["year"], r["scope"], r["component"]))
        out = {k: r[k] for k in MEAN_KEY + ["statistic", "unit", "source"]} | {
            "published": r["score"],
            "table_mean": np.nan,
            "table_median": np.nan,
            "n": pd.NA,
            "verdict": "unchecked",
        }
        if t is not None and t["unit"] == r["unit"]:
            places, table_places = _decimals(r | {"score_decimals": r.get("score_decimals")}), int(t["decimals"])
            is_mean = _within(r["score"], places, t["score"], table_places)
            is_median = _within(r["score"], places, t["median"], table_places)
            if r["statistic"] == "median":
                verdict = "median" if is_median else "disagrees"
            else:
                verdict = "agrees" if is_mean else "median" if is_median else "disagrees"
            out |= {"table_mean": t["score"], "table_median": t["median"], "n": t["n"], "verdict": verdict}
        rows.append(out)
    return pd.DataFrame(rows, columns=columns)


def means_with_computed(
    published: pd.DataFrame, computed: pd.DataFrame, checks: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The means reports show: each published mean that is one — not a median, not more than rounding away
    from the mean of the year's complete table (``mean_checks``) — and the computed mean of every other
    (index, year, scope, component) with a complete table. A computed mean that stands in for a published
    figure says which (``published_score``, ``published_source``, ``published_verdict``: 'median' or
    'disagrees')."""
    keys = MEAN_KEY
    checks = mean_checks(published, computed) if checks is None else checks
    rejected = checks[checks["verdict"].isin(["median", "disagrees"])]
    chosen = chosen_means(published)
    if "statistic" in chosen:
        chosen = chosen[chosen["statistic"].fillna("mean").replace("", "mean") == "mean"]
    bad = set(map(tuple, rejected[keys].astype(object).to_numpy().tolist()))
    pub = chosen[np.array([tuple(k) not in bad for k in chosen[keys].astype(object).to_numpy().tolist()], bool)]
    pub = pub.assign(computed=False, n=pd.NA, n_table=pd.NA)
    have = set(map(tuple, pub[keys].astype(object).to_numpy().tolist()))
    extra = computed[np.array([tuple(k) not in have for k in computed[keys].astype(object).to_numpy().tolist()], bool)]
    extra = extra.drop(columns=["median", "decimals"]).assign(computed=True, source="", note="", derived=False)
    replaced = rejected.rename(
        columns={"published": "published_score", "source": "published_source", "verdict": "published_verdict"}
    )
    replaced = replaced[keys + ["published_score", "published_source", "published_verdict"]]
    replaced = replaced.drop_duplicates(keys)
    extra = extra.merge(replaced, on=keys, how="left")
    out = pd.concat([pub, extra], ignore_index=True) if not extra.empty else pub.copy()
    for col in ("published_score", "published_source", "published_verdict"):
        if col not in out:
            out[col] = pd.NA
    return out


# ------------------------------------------------------------------ national distributions
def distributions(figures: pd.DataFrame) -> pd.DataFrame:
    """Per (index, year, component): how many provinces have a score in the table's main unit, and their
    mean and standard deviation (``n``, ``mean``, ``std``, ``unit``)."""
    f = figures[figures["score"].notna() & (figures["unit"].fillna("") != "")]
    counts = f.groupby(["index", "year", "component", "unit"]).size().rename("n").reset_index()
    main = counts.sort_values(["n", "unit"], ascending=[False, True]).drop_duplicates(["index", "year", "component"])
    f = f.merge(main[["index", "year", "component", "unit"]], on=["index", "year", "component", "unit"])
    stats = f.groupby(["index", "year", "component", "unit"])["score"].agg(n="size", mean="mean", std="std")
    return stats.reset_index()
