"""The sections of the province report, each shown with ``display``: headings, sentences, tables, charts.

The notebook calls one function per section; every figure comes from ``metrics`` and every word
from ``narrative``. A section without figures says so in one line; it never shows 0 or an empty chart.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from . import __version__, metrics, plots
from .fingerprint import code_version
from .narrative import (MISSING, STATUS, computed_mean_method, computed_rank_method, computed_rank_note, esc,
                        fmt_count, fmt_number, fmt_pct, fmt_rank, fmt_score, headline_sentence, index_name,
                        label, partial_table_text, rank_change_text)
from .output import chart, section
from .output import html as _html
from .provinces import Province
from .schema import INDICES, TARGET_METRICS
from .tables import Safe, html_table, link


@dataclass
class ReportContext:
    ds: object
    unit: Province
    year: int
    lang: str
    params: dict

    def t(self, vi: str, en: str) -> str:
        return vi if self.lang == "vi" else en


def context(province: str, year: int, lang: str = "vi", dataset=None) -> ReportContext:
    """Load the data once and resolve the province for the report (clear error if merged/unknown)."""
    from .dataset import load_dataset

    ds = dataset or load_dataset()
    unit = ds.registry.resolve(province, int(year))
    return ReportContext(ds, unit, int(year), lang, {"province": province, "year": int(year), "lang": lang})


def _none(ctx: ReportContext, what_vi: str, what_en: str) -> None:
    _html(f'<p class="missing">{esc(ctx.t("Chưa có số liệu " + what_vi, "No data " + what_en))}.</p>')


@section
def title(ctx: ReportContext) -> None:
    u, ds = ctx.unit, ctx.ds
    lines = [(f"<h1>{esc(label('report_title', ctx.lang))}: {esc(u.name)} — "
              f"{ctx.t('năm', 'year')} {ctx.year}</h1>")]
    if u.region:
        lines.append(f'<p class="note">{esc(ctx.t("Vùng", "Region"))}: {esc(u.region)}</p>')
    if u.is_new:
        preds = ", ".join(p.name for p in ds.registry.predecessors(u.slug))
        lines.append('<p class="note">' + esc(ctx.t(
            f"Đơn vị hành chính cấp tỉnh từ 1/7/2025 (Nghị quyết 202/2025/QH15), hình thành từ: {preds}.",
            f"Province-level unit from 1 July 2025 (Resolution 202/2025/QH15), formed from: {preds}.")) + "</p>")
    elif u.successor and ds.registry.get(u.successor).predecessors != (u.slug,):
        new = ds.registry.get(u.successor)
        others = ", ".join(p.name for p in ds.registry.predecessors(new.slug) if p.slug != u.slug)
        lines.append('<p class="note">' + esc(ctx.t(
            f"Từ 1/7/2025 {u.name} cùng {others} hợp thành {new.name} ({new.slug}; Nghị quyết 202/2025/QH15).",
            f"From 1 July 2025 {u.name} and {others} form {new.name} ({new.slug}; Resolution 202/2025/QH15).")) + "</p>")
    _html("\n".join(lines))


@section
def headline(ctx: ReportContext) -> None:
    _html(f"<h2>1. {esc(ctx.t('Kết quả chính', 'Headline figures'))} {ctx.year}</h2>")
    items = metrics.headline(ctx.ds, ctx.unit.slug, ctx.year)
    if not items:
        return _none(ctx, f"chỉ số nào năm {ctx.year}", f"for any index in {ctx.year}")
    lis = []
    for h in items:
        text = esc(headline_sentence(h.index, h.year, h.score, h.unit, h.rank, h.rank_of, h.prev_year,
                                     h.score_delta, h.rank_delta, ctx.lang, h.tied))
        notes = []
        if h.derived:
            notes.append(label("derived", ctx.lang))
        if h.rank_computed:
            notes.append(computed_rank_note(h.year, int(h.rank_of), ctx.lang))
        for year, vi, en in h.breaks:
            notes.append(ctx.t(f"phương pháp thay đổi từ năm {year}: {vi}", f"method changed in {year}: {en}"))
        if notes:
            text += f' <span class="note">({esc("; ".join(notes))})</span>'
        lis.append(f"<li>{text}</li>")
    _html(f'<ul class="headline">{"".join(lis)}</ul>')


@section
def history(ctx: ReportContext) -> None:
    _html(f"<h2>2. {esc(ctx.t('Diễn biến qua các năm', 'History'))}</h2>")
    shown = 0
    for index in INDICES:
        if ctx.unit.is_new:
            shown += _history_of_predecessors(ctx, index)
        shown += _history_of(ctx, index, ctx.unit)
    if not shown:
        _none(ctx, "về diễn biến các chỉ số", "on the history of the indices")


def _history_of(ctx: ReportContext, index: str, unit: Province) -> int:
    hist = metrics.index_history(ctx.ds, unit.slug, index)
    hist = hist[hist["year"] <= ctx.year]
    if hist.empty:
        return 0
    years = hist["year"].tolist()
    breaks = metrics.breaks_between(index, min(years), max(years))
    means = metrics.means_for(ctx.ds, index, unit.region, ctx.lang)
    units = hist["unit"][hist["unit"].fillna("") != ""]  # a rank-only year has no unit
    means = means[means["year"].isin(years) & (means["unit"] == units.iloc[0])] if not units.empty \
        else means.iloc[0:0]
    _html(f"<h3>{esc(index_name(index, ctx.lang))}{' — ' + esc(unit.name) if unit != ctx.unit else ''}</h3>")
    if len(hist) >= 2 or hist["score"].notna().any():
        chart(plots.history_chart(hist, index, ctx.lang, [(b[0], b[1]) for b in breaks], means,
                                  _unit_of(hist)),
              ctx.t(f"Biểu đồ điểm và thứ hạng {index} của {unit.name} qua các năm",
                    f"Chart of {unit.name}'s {index} score and rank by year"))
    table = hist.merge(_means_wide(means), on="year", how="left")
    cols = {"year": label("year", ctx.lang), "score_text": label("score", ctx.lang),
            "rank_text": label("rank", ctx.lang)}
    computed_mark = f" ({label('computed', ctx.lang)})"
    for col in [c for c in table.columns if c.startswith("mean:")]:
        cols[col] = col[5:]
        table[col] = [fmt_score(v, u, ctx.lang) + (computed_mark if c is True else "") if pd.notna(v) else None
                      for v, u, c in zip(table[col], table["unit"], table["computed:" + col[5:]])]
    table["score_text"] = [fmt_score(s, u, ctx.lang) for s, u in zip(table["score"], table["unit"])]
    table["rank_text"] = [fmt_rank(r, o, ctx.lang, t) + (computed_mark if c else "") if pd.notna(r) else MISSING[ctx.lang]
                          for r, o, t, c in zip(table["rank"], table["rank_of"], table["tied"], table["rank_computed"])]
    table["derived_text"] = [label("derived", ctx.lang) if d else "" for d in table["derived"]]
    cols["derived_text"] = label("note", ctx.lang)
    _html(html_table(table, cols, ctx.lang, numeric=("score_text", "rank_text", *[c for c in cols if
                                                                                   c.startswith("mean:")])))
    ranked = hist[hist["rank_computed"]]
    if not ranked.empty:
        counts = {int(y): int(n) for y, n in zip(ranked["year"], ranked["rank_of"])}
        _html(f'<p class="note">{esc(computed_rank_method(counts, ctx.lang))}</p>')
    computed = means[means["computed"]]
    if not computed.empty:
        counts = {int(y): int(n) for y, n in zip(computed["year"], computed["n_table"])}
        _html(f'<p class="note">{esc(computed_mean_method(counts, ctx.lang))}</p>')
    cov = metrics.table_coverage(ctx.ds, index, ctx.year)
    shown = hist[hist["year"] == ctx.year]
    if cov and not cov["complete"] and unit == ctx.unit and (
            shown["rank"].notna().any() or means["year"].eq(ctx.year).any()):
        _html(f'<p class="note">{esc(partial_table_text(index, ctx.year, cov, ctx.lang))}</p>')
    trend = metrics.rank_stability(hist.set_index("year")["rank"])
    sentence = metrics.STABILITY_TEXT[trend][ctx.lang]
    ranks = ", ".join(f"{int(r)} ({y})" for y, r in zip(hist["year"], hist["rank"]) if pd.notna(r))
    _html(f"<p>{esc(ctx.t('Xu hướng', 'Trend'))}: {esc(sentence)}"
          + (f" — {esc(ctx.t('thứ hạng', 'ranks'))}: {esc(ranks)}" if ranks else "") + ".</p>")
    for year, vi, en in breaks:
        text = ctx.t(f"Thay đổi phương pháp năm {year}: {vi}. So sánh trước và sau năm {year} cần thận trọng.",
                     f"Method change in {year}: {en}. Compare across {year} with care.")
        _html(f'<p class="warning">{esc(text)}</p>')
    return 1


def _history_of_predecessors(ctx: ReportContext, index: str) -> int:
    """Side by side histories of the old provinces a new unit was formed from."""
    frames = []
    for p in ctx.ds.registry.predecessors(ctx.unit.slug):
        h = metrics.index_history(ctx.ds, p.slug, index)
        if not h.empty:
            frames.append(h.assign(province=p.name))
    if not frames:
        return 0
    both = pd.concat(frames)
    wide = both.pivot_table(index="year", columns="province", values="rank", aggfunc="first")
    _html(f"<h3>{esc(index_name(index, ctx.lang))} — "
          f"{esc(ctx.t('các tỉnh trước sáp nhập (thứ hạng /63)', 'former provinces (rank /63)'))}</h3>")
    table = wide.reset_index()
    cols = {"year": label("year", ctx.lang), **{c: c for c in wide.columns}}
    fmt = {c: (lambda row, c=c: fmt_rank(row[c], None, ctx.lang)) for c in wide.columns}
    _html(html_table(table, cols, ctx.lang, formatters=fmt, numeric=tuple(wide.columns)))
    return 1


def _unit_of(hist: pd.DataFrame) -> str:
    units = hist["unit"].dropna()
    return units.iloc[-1] if not units.empty else ""


def _means_wide(means: pd.DataFrame) -> pd.DataFrame:
    """One row per year: ``mean:<scope>`` (the score) and ``computed:<scope>`` (True when computed)."""
    if means.empty:
        return pd.DataFrame({"year": pd.Series(dtype=int)})
    scores = means.pivot_table(index="year", columns="scope_label", values="score", aggfunc="first")
    computed = means.assign(computed=means["computed"].astype(object)).pivot_table(
        index="year", columns="scope_label", values="computed", aggfunc="first")
    scores.columns = [f"mean:{c}" for c in scores.columns]
    computed.columns = [f"computed:{c}" for c in computed.columns]
    return scores.join(computed).reset_index()


@section
def par_components(ctx: ReportContext) -> None:
    _html(f"<h2>3. {esc(ctx.t('Các lĩnh vực của Chỉ số CCHC', 'PAR INDEX component areas'))}</h2>")
    comp = metrics.components(ctx.ds, ctx.unit.slug, ctx.year)
    if comp.empty:
        return _none(ctx, f"về các lĩnh vực của Chỉ số CCHC năm {ctx.year}",
                     f"on the PAR INDEX component areas in {ctx.year}")
    with_share = comp.dropna(subset=["share"])
    if not with_share.empty:
        chart(plots.components_chart(with_share, ctx.lang),
              ctx.t("Biểu đồ tỷ lệ điểm đạt của từng lĩnh vực", "Chart of each area's share of its maximum"))
    comp["score_text"] = [fmt_number(s, ctx.lang) for s in comp["score"]]
    comp["max_text"] = [fmt_number(s, ctx.lang) for s in comp["max_score"]]
    comp["share_text"] = [fmt_pct(s, ctx.lang, 1) for s in comp["share"]]
    comp["rank_text"] = [fmt_rank(r, o, ctx.lang) for r, o in zip(comp["rank"], comp["rank_of"])]
    comp["change_text"] = [rank_change_text(d, ctx.lang) if pd.notna(d) else MISSING[ctx.lang]
                           for d in comp["rank_delta"]]
    cols = {"component": label("component", ctx.lang), "score_text": label("score", ctx.lang),
            "max_text": label("max_score", ctx.lang), "share_text": label("share_of_max", ctx.lang),
            "rank_text": label("rank", ctx.lang), "change_text": label("change", ctx.lang)}
    _html(html_table(comp, cols, ctx.lang, numeric=("score_text", "max_text", "share_text", "rank_text")))
    movers = comp.dropna(subset=["rank_delta"]).sort_values("rank_delta")
    if not movers.empty:
        best, worst = movers.iloc[-1], movers.iloc[0]
        _html("<p>" + esc(ctx.t(
            f"Cải thiện nhiều nhất: {best['component']} ({rank_change_text(best['rank_delta'], 'vi')}); "
            f"giảm nhiều nhất: {worst['component']} ({rank_change_text(worst['rank_delta'], 'vi')}).",
            f"Biggest gain: {best['component']} ({rank_change_text(best['rank_delta'], 'en')}); "
            f"biggest fall: {worst['component']} ({rank_change_text(worst['rank_delta'], 'en')}).")) + "</p>")


@section
def targets(ctx: ReportContext) -> None:
    _html(f"<h2>4. {esc(ctx.t('Mục tiêu của tỉnh', 'The province’s targets'))}</h2>")
    tg = metrics.targets_table(ctx.ds, ctx.unit.slug, ctx.year)
    if tg.empty:
        return _none(ctx, "về mục tiêu (nghị quyết, kế hoạch) của tỉnh", "on the province's targets")
    tg["label"] = [TARGET_METRICS[m][0 if ctx.lang == "vi" else 1] for m in tg["metric"]]
    tg["target_text"] = [target_text(c, v, u, ctx.lang) for c, v, u in zip(tg["comparator"], tg["value"], tg["unit"])]
    tg["latest_text"] = [
        (f"{fmt_number(a, ctx.lang, 0 if low else 2)} ({int(y)})" if pd.notna(a) else MISSING[ctx.lang])
        for a, y, low in zip(tg["actual"], tg["actual_year"], tg["lower_is_better"])]
    tg["doc_text"] = [f"{d} ({pd.Timestamp(dt).strftime('%d/%m/%Y')})" for d, dt in zip(tg["document"], tg["date"])]
    cols = {"label": label("target", ctx.lang), "description": ctx.t("Nội dung văn bản", "As worded"),
            "target_text": label("value", ctx.lang), "deadline": label("deadline", ctx.lang),
            "latest_text": label("latest", ctx.lang), "status": label("status", ctx.lang),
            "doc_text": label("document", ctx.lang)}
    fmt = {"status": lambda r: Safe(f'<span class="status-{r["status"].replace("_", "-")}">'
                                    f'{esc(STATUS[r["status"]][ctx.lang])}</span>')}
    _html(html_table(tg, cols, ctx.lang, formatters=fmt, numeric=("latest_text", "deadline")))
    counts = tg["status"].value_counts()
    _html("<p>" + esc(", ".join(f"{STATUS[s][ctx.lang]}: {int(counts.get(s, 0))}"
                                for s in ("met", "on_track", "off_track", "no_data"))) + ".</p>")
    numeric = tg[tg["comparator"] != "in_band"].copy()
    numeric["target"] = pd.to_numeric(numeric["value"].astype(str).str.replace(",", "."), errors="coerce")
    numeric = numeric[numeric["actual"].notna()]
    if not numeric.empty:
        chart(plots.targets_chart(numeric, ctx.lang),
              ctx.t("Biểu đồ giá trị thực hiện so với mục tiêu", "Chart of latest values against targets"))
    else:
        text = ctx.t("Chưa có mục tiêu nào có số liệu thực hiện để vẽ biểu đồ.",
                     "No target has a measured value to chart yet.")
        _html(f'<p class="note">{esc(text)}</p>')


_SYMBOLS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "="}


def target_text(comparator: str, value: str, unit: str, lang: str) -> str:
    """'≥ 50%', 'hạng ≤ 40', 'thuộc nhóm Trung bình cao'."""
    if comparator == "in_band":
        return f"{'thuộc nhóm' if lang == 'vi' else 'in band'} {value}"
    number = value.replace(".", ",") if lang == "vi" else value
    if unit == "%":
        return f"{_SYMBOLS[comparator]} {number}%"
    if unit == "rank":
        return f"{'hạng' if lang == 'vi' else 'rank'} {_SYMBOLS[comparator]} {number}"
    return f"{_SYMBOLS[comparator]} {number} {unit}"


@section
def tthc(ctx: ReportContext) -> None:
    _html(f"<h2>5. {esc(ctx.t('Giải quyết thủ tục hành chính', 'Administrative procedures (TTHC)'))}</h2>")
    rows = metrics.tthc_for(ctx.ds, ctx.unit.slug, ctx.year)
    if rows.empty:
        return _none(ctx, f"về giải quyết TTHC năm {ctx.year}", f"on TTHC processing in {ctx.year}")
    for _, r in rows.iterrows():
        who = r["agency"] if isinstance(r["agency"], str) and r["agency"] else ctx.unit.name
        period = f"{pd.Timestamp(r['period_start']).strftime('%d/%m/%Y')}–{pd.Timestamp(r['period_end']).strftime('%d/%m/%Y')}"
        _html(f"<h3>{esc(who)} ({esc(period)})</h3>")
        rates = metrics.tthc_rates(r)
        lines = []
        for key, vi, en in (("on_time_rate", "Tỷ lệ giải quyết trước hạn, đúng hạn", "Resolved early or on time"),
                            ("late_rate", "Tỷ lệ giải quyết trễ hạn", "Resolved late"),
                            ("full_online_share", "Tỷ lệ hồ sơ trực tuyến toàn trình", "Fully online dossiers"),
                            ("online_share", "Tỷ lệ hồ sơ trực tuyến (toàn trình và một phần)",
                             "Online dossiers (full and partial)"),
                            ("pending_overdue_share", "Hồ sơ đang giải quyết quá hạn", "Pending dossiers overdue"),
                            ("apology_share", "Hồ sơ trễ hạn có thư xin lỗi", "Late dossiers with an apology")):
            lines.append({"what": ctx.t(vi, en), "value": fmt_pct(rates[key], ctx.lang),
                          "denominator": metrics.DENOMINATORS[key][ctx.lang]})
        _html(html_table(pd.DataFrame(lines), {"what": label("what", ctx.lang), "value": label("value", ctx.lang),
                                               "denominator": ctx.t("Mẫu số", "Denominator")},
                         ctx.lang, numeric=("value",)))
        chart(plots.tthc_chart(_tthc_flows(r, ctx), ctx.lang),
              ctx.t("Biểu đồ số hồ sơ theo tình trạng giải quyết", "Chart of dossiers by stage"))
        counts = pd.DataFrame([{"what": _COUNT_LABELS[c][ctx.lang], "value": fmt_count(r[c], ctx.lang)}
                               for c in _COUNT_LABELS])
        _html(html_table(counts, {"what": ctx.t("Số hồ sơ (như báo cáo)", "Dossiers (as reported)"),
                                  "value": label("value", ctx.lang)}, ctx.lang, numeric=("value",)))
        for d in metrics.tthc_discrepancies(r):
            parts = " + ".join(f"{_COUNT_LABELS[p][ctx.lang]} ({fmt_count(r[p], ctx.lang)})" for p in d["parts"])
            total = f"{_COUNT_LABELS[d['total_column']][ctx.lang]} ({fmt_count(d['total'], ctx.lang)})"
            _html('<p class="warning">' + esc(ctx.t(
                f"Số liệu báo cáo không khớp: {parts} = {fmt_count(d['sum'], 'vi')}, khác {total}; "
                f"chênh lệch {fmt_count(d['difference'], 'vi')} hồ sơ. Số liệu được giữ nguyên như báo cáo.",
                f"Reported totals do not add up: {parts} = {fmt_count(d['sum'], 'en')}, not {total}; "
                f"difference {fmt_count(d['difference'], 'en')}. Shown as reported.")) + "</p>")
        if isinstance(r.get("note"), str) and r["note"]:
            _html(f'<p class="note">{esc(label("note", ctx.lang))}: {esc(r["note"])}</p>')
        _html(f'<p class="note">{esc(label("source", ctx.lang))}: {link(r["source"])}</p>')


_COUNT_LABELS = {
    "received_total": {"vi": "Tổng số hồ sơ tiếp nhận", "en": "Total dossiers"},
    "carried_over": {"vi": "Kỳ trước chuyển qua", "en": "Carried over"},
    "received_new": {"vi": "Mới tiếp nhận trong kỳ", "en": "Newly received"},
    "received_online_full": {"vi": "Trực tuyến toàn trình", "en": "Fully online"},
    "received_online_partial": {"vi": "Trực tuyến một phần", "en": "Partly online"},
    "resolved_total": {"vi": "Đã giải quyết", "en": "Resolved"},
    "resolved_early_ontime": {"vi": "Giải quyết trước hạn, đúng hạn", "en": "Resolved early or on time"},
    "resolved_late": {"vi": "Giải quyết trễ hạn", "en": "Resolved late"},
    "pending_total": {"vi": "Đang giải quyết", "en": "Pending"},
    "pending_within": {"vi": "Đang giải quyết trong hạn", "en": "Pending within deadline"},
    "pending_overdue": {"vi": "Đang giải quyết quá hạn", "en": "Pending overdue"},
    "returned_withdrawn": {"vi": "Trả lại, rút hồ sơ", "en": "Returned or withdrawn"},
    "apology_letters": {"vi": "Thư xin lỗi", "en": "Apology letters"},
}


def _tthc_flows(r: pd.Series, ctx: ReportContext) -> pd.DataFrame:
    kinds = {"resolved_early_ontime": "ok", "resolved_late": "late", "pending_overdue": "late"}
    keys = ["received_total", "resolved_total", "resolved_early_ontime", "resolved_late", "pending_total",
            "pending_within", "pending_overdue"]
    return pd.DataFrame([{"label": _COUNT_LABELS[k][ctx.lang], "count": r[k], "kind": kinds.get(k, "")}
                         for k in keys])


@section
def unit_rankings(ctx: ReportContext) -> None:
    _html(f"<h2>6. {esc(ctx.t('Xếp hạng sở, ngành và huyện trong tỉnh', 'Rankings of departments and districts'))}</h2>")
    ur = ctx.ds.unit_rankings
    ur = ur[(ur["province"] == ctx.unit.slug) & (ur["year"] == ctx.year)]
    if ur.empty:
        return _none(ctx, f"về xếp hạng sở, ngành, huyện năm {ctx.year}",
                     f"on department and district rankings in {ctx.year}")
    levels = {"department": ("Sở, ban, ngành", "Departments"), "district": ("Huyện, thị xã, thành phố", "Districts"),
              "commune": ("Xã, phường", "Communes")}
    for level, g in ur.groupby("level", sort=False):
        _html(f"<h3>{esc(ctx.t(*levels[level]))}</h3>")
        g = g.sort_values(["rank", "listed_order"], na_position="last").copy()
        if g["score"].notna().sum() >= 2:
            chart(plots.ranking_chart(g.dropna(subset=["score"]), ctx.lang),
                  ctx.t("Biểu đồ điểm của các đơn vị", "Chart of the units' scores"))
        g["rank_text"] = [fmt_rank(r, o, ctx.lang) for r, o in zip(g["rank"], g["rank_of"])]
        g["score_text"] = [fmt_number(s, ctx.lang) for s in g["score"]]
        cols = {"unit": label("unit", ctx.lang), "score_text": label("score", ctx.lang),
                "rank_text": label("rank", ctx.lang), "group": label("group", ctx.lang),
                "note": label("note", ctx.lang)}
        _html(html_table(g, cols, ctx.lang, numeric=("score_text", "rank_text")))
        _html(f'<p class="note">{esc(label("source", ctx.lang))}: {link(g["source"].iloc[0])}</p>')


@section
def sources_and_gaps(ctx: ReportContext) -> None:
    _html(f"<h2>7. {esc(ctx.t('Nguồn số liệu và số liệu còn thiếu', 'Sources and missing figures'))}</h2>")
    src = metrics.sources_used(ctx.ds, ctx.unit.slug, ctx.year)
    if ctx.unit.is_new:
        for p in ctx.ds.registry.predecessors(ctx.unit.slug):
            src = pd.concat([src, metrics.sources_used(ctx.ds, p.slug, ctx.year)])
    if src.empty:
        _none(ctx, "", "")
    else:
        src = src.copy()
        src["figure"] = [f"{i} {y}" + (f" — {c}" if isinstance(c, str) and c else "")
                         for i, y, c in zip(src["index"], src["year"], src["component"])]
        src["value"] = [" ; ".join(x for x in (fmt_score(s, u, ctx.lang) if pd.notna(s) else "",
                                               fmt_rank(r, o, ctx.lang) if pd.notna(r) else "") if x)
                        for s, u, r, o in zip(src["score"], src["unit"], src["rank"], src["rank_of"])]
        cols = {"figure": label("index", ctx.lang), "value": label("value", ctx.lang),
                "source": label("source", ctx.lang), "note": label("note", ctx.lang)}
        _html(html_table(src, cols, ctx.lang, formatters={"source": lambda r: link(r["source"])}))
    gaps = metrics.missing_figures(ctx.ds, ctx.unit.slug, ctx.year)
    names = {"TTHC": ctx.t("số liệu giải quyết TTHC", "TTHC processing figures"),
             "unit_rankings": ctx.t("xếp hạng sở, ngành, huyện", "department and district rankings"),
             "targets": ctx.t("mục tiêu của tỉnh", "province targets")}
    words = {"score": ctx.t("điểm", "score"), "rank": ctx.t("thứ hạng", "rank"),
             "score, rank": ctx.t("điểm và thứ hạng", "score and rank")}
    items = []
    for g in gaps:
        if ":" in g:
            idx, what = g.split(": ")
            items.append(f"{index_name(idx, ctx.lang)}: {words[what]}")
        else:
            items.append(names[g])
    if items:
        _html(f"<p>{esc(ctx.t(f'Chưa có số liệu năm {ctx.year}:', f'Missing for {ctx.year}:'))}</p>"
              "<ul>" + "".join(f"<li>{esc(i)}</li>" for i in items) + "</ul>")


@section
def footer(ctx: ReportContext) -> None:
    params = ", ".join(f"{k}={v}" for k, v in ctx.params.items())
    _html('<div class="footer">' + esc(ctx.t(
        f"Lập từ dữ liệu sha256:{ctx.ds.data_hash[:16]} · mã nguồn cchc {__version__} ({code_version()}) · "
        f"tham số: {params}.",
        f"Made from data sha256:{ctx.ds.data_hash[:16]} · code cchc {__version__} ({code_version()}) · "
        f"parameters: {params}.")) + "</div>")

