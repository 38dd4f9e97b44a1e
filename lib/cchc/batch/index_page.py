"""reports/<year>/index.html (index.en.html in English): the year's reports, one row per province with its
score and rank on each index, links to the report's HTML and PDF and to its reports of other years.

Works offline, without JavaScript, and on a phone (the table becomes one card per province). The same
inputs give the same bytes; the date on it is the day its latest report was made (from the batch state).
``index_rows`` returns the page's content as data; ``write_index`` writes it with the autoescaping template
``report/templates/index_page.html.j2``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..catalogue import text
from ..data.provinces import OLD, generation_for_year, vi_sort_key
from ..data.schema import INDICES, NOT_PUBLISHED
from ..files import write_atomic
from ..render.notebook import FORMATS, LANGS, output_name, report_key

if TYPE_CHECKING:
    from ..data.dataset import Dataset

OVERVIEW = "overview"
INDEX = "index"  # the page's own name, by the same rule as the reports' (index.html, index.en.html)


@dataclass
class Row:
    """One report on the page: ``label`` as the reader sees it, ``figures`` by index (score, rank, or why
    none), ``links`` to its files, ``years`` to its reports of other years; ``status`` only when it failed."""

    name: str
    label: str
    figures: dict[str, dict] = field(default_factory=dict)
    links: list[dict] = field(default_factory=list)
    years: list[dict] = field(default_factory=list)
    status: str = ""
    reason: str = ""


def page_name(year: int, lang: str) -> str:
    """The index page's path relative to the reports folder: '2021/index.html', '2021/index.en.html'."""
    return output_name(INDEX, year, lang, "html")


def write_index(year_dir: Path, year: int, outcomes: list, state: dict, lang: str = "vi", ds=None) -> Path:
    """Write the year's index page from this run's outcomes and the state of earlier runs; ``ds`` (the
    batch's dataset) gives each province's figures of the year and the data's description."""
    year_dir = Path(year_dir)
    page = _template().render(**index_rows(year_dir, year, outcomes, state, lang, ds))
    path = year_dir / _file(page_name(year, lang))
    if not path.exists() or path.read_text(encoding="utf-8") != page:
        write_atomic(path, page)
    return path


def index_rows(year_dir: Path, year: int, outcomes: list, state: dict, lang: str = "vi", ds=None) -> dict:
    """What the index page shows, as data: its title and dates, the overview, one row per report in
    Vietnamese order, the indices shown, what failed and what was skipped, and the notes they need."""
    from ..report.narrative import fmt_day, fmt_list

    reports = Path(year_dir).parent
    entries = {o.name: (o.label, o.status, o.reason, tuple(o.formats)) for o in outcomes if o.status != "skipped"}
    for key, entry in state.items():  # reports of earlier runs not planned this time, in this language
        name = key.split(".")[0]
        if key == report_key(name, lang) and name not in entries and isinstance(entry, dict):
            entries[name] = (
                entry.get("label", name),
                entry.get("status", "ok"),
                entry.get("reason", ""),
                tuple(entry.get("formats", ())),
            )
    units = {p.slug: p for p in ds.registry} if ds is not None else {}
    figures = _figures(ds, [n for n in entries if n in units], year, lang) if ds is not None else {}
    other_years = (
        sorted(int(d.name) for d in reports.iterdir() if d.is_dir() and d.name.isdigit() and int(d.name) != year)
        if reports.is_dir()
        else []
    )
    overview, rows = None, []
    for name, (label, status, reason, formats) in entries.items():
        row = Row(
            name,
            _label(units.get(name), label, year, lang),
            figures.get(name, {}),
            _links(Path(year_dir), name, year, lang, status, formats),
            _years(reports, name, lang, other_years),
        )
        if status == "failed":
            row.status, row.reason = text("index_page.failed", lang), reason
        if name == OVERVIEW:
            overview = row
        else:
            rows.append(row)
    rows.sort(key=lambda r: (vi_sort_key(r.label), r.name))
    shown = [i for i in INDICES if any(i in r.figures for r in rows)]
    said = _said_not_published(ds, year) if ds is not None else set()
    for r in rows:
        r.figures = {i: r.figures.get(i) or _no_figure(ds, said, r.name, i, year, lang) for i in shown}
    failed = [r.label for r in [*([overview] if overview else []), *rows] if r.status]
    skipped = sorted((o.label for o in outcomes if o.status == "skipped"), key=vi_sort_key)
    dates = [
        e["date"]
        for k, e in state.items()
        if isinstance(e, dict) and e.get("date") and k == report_key(k.split(".")[0], lang)
    ]
    notes = []
    if any(f.get("computed") for r in rows for f in r.figures.values()):
        notes.append(text("index_page.computed_note", lang))
    if any(units[r.name].is_new for r in rows if r.name in units) and generation_for_year(year) == OLD:
        notes.append(text("index_page.new_units_note", lang))
    return {
        "lang": lang,
        "title": text("index_page.title", lang, year=year),
        "made": text("index_page.made", lang, date=fmt_day(max(dates), lang)) if dates else "",
        "data": _data_words(ds, lang) if ds is not None else "",
        "other_lang": _other_language(Path(year_dir), year, lang),
        "overview": overview,
        "rows": rows,
        "indices": [(i, text(f"index_page.col.{i}", lang)) for i in shown],
        "head": {
            "province": text("label.province", lang),
            "report": text("index_page.report", lang),
            "years": text("index_page.other_years", lang),
        },
        "year_pages": [
            {"href": f"../{page_name(y, lang)}", "text": str(y)}
            for y in other_years
            if (reports / page_name(y, lang)).is_file()
        ],
        "failed": (
            text(
                "index_page.failures_one" if len(failed) == 1 else "index_page.failures",
                lang,
                n=len(failed),
                names=fmt_list(failed, lang),
            )
            if failed
            else ""
        ),
        "skipped": text("index_page.skipped", lang, year=year, names=fmt_list(skipped, lang)) if skipped else "",
        "notes": notes,
    }


def _label(unit, label: str, year: int, lang: str) -> str:
    """A province's name; a unit formed on 1 July 2025 said so on a page of the years before, where its
    name can be that of an old province listed beside it ('Lâm Đồng (từ 1/7/2025)')."""
    if unit is not None and unit.is_new and generation_for_year(year) == OLD:
        return text("index_page.new_unit", lang, name=unit.name)
    return label


def _figures(ds: Dataset, slugs: list[str], year: int, lang: str) -> dict[str, dict[str, dict]]:
    """Each province's score and rank on each index of the year (``metrics.headlines``), as shown."""
    from ..analysis.metrics import headlines
    from ..report.narrative import fmt_rank, fmt_score, is_missing

    shown: dict[str, dict[str, dict]] = {}
    for slug, heads in headlines(ds, slugs, year).items():
        for h in heads:
            rank = (
                ""
                if is_missing(h.rank)
                else text("index_page.rank", lang, rank=fmt_rank(h.rank, h.rank_of, lang, h.tied))
            )
            if rank and h.rank_computed:
                rank = text("computed_mark", lang, text=rank)
            # a rank without a score is shown alone, as the reports' headline says it ('xếp thứ 41/63')
            score = fmt_score(h.score, h.unit, lang) if not (is_missing(h.score) and rank) else ""
            shown.setdefault(slug, {})[h.index] = {
                "none": "",
                "score": score,
                "rank": rank,
                "computed": bool(rank) and h.rank_computed,
            }
    return shown


def _no_figure(ds: Dataset, said: set, slug: str, index: str, year: int, lang: str) -> dict:
    """A cell without a figure: 'not published' where the publisher said so (``said``: where a row of the
    year says it), else missing."""
    unpublished = False
    if (slug, index) in said:
        from ..analysis.metrics import not_published_years

        unpublished = year in not_published_years(ds, slug, index)
    return {"none": text("not_published" if unpublished else "missing", lang)}


def _said_not_published(ds: Dataset, year: int) -> set[tuple[str, str]]:
    """(province, index) of the rows of ``year`` that say 'not published' (a handful in all the data)."""
    rows = ds.indices
    rows = rows[(rows["status"] == NOT_PUBLISHED) & (rows["year"] == year)]
    return set(zip(rows["province"], rows["index"]))


def _links(year_dir: Path, name: str, year: int, lang: str, status: str, formats: tuple) -> list[dict]:
    """The report's files that exist; after a failure, the earlier good ones, said to be earlier."""
    links = []
    for f in (f for f in FORMATS if f in formats):
        href = _file(output_name(name, year, lang, f))
        if (year_dir / href).is_file():
            label = f.upper() if status != "failed" else text("index_page.earlier", lang, format=f.upper())
            links.append({"href": href, "text": label})
    return links


def _file(relative: str) -> str:
    """The file name of a path relative to the reports folder ('2021/dak-nong.html' -> 'dak-nong.html'):
    a link from a page in the same year's folder."""
    return relative.rsplit("/", 1)[1]


def _years(reports: Path, name: str, lang: str, years: list[int]) -> list[dict]:
    """The same province's (or the overview's) reports of other years in the folder, in this language."""
    links = []
    for y in years:
        found = next(
            (output_name(name, y, lang, f) for f in FORMATS if (reports / output_name(name, y, lang, f)).is_file()),
            None,
        )
        if found:
            links.append({"href": f"../{found}", "text": str(y)})
    return links


def _other_language(year_dir: Path, year: int, lang: str) -> dict | None:
    """The same year's index page in the other language, when there is one."""
    other = next(x for x in LANGS if x != lang)
    href = _file(page_name(year, other))
    return (
        {"href": href, "text": text("index_page.other_lang", other), "lang": other}
        if (year_dir / href).is_file()
        else None
    )


def _data_words(ds: Dataset, lang: str) -> str:
    """The data the reports were made from, in words: how many index figures, over which years."""
    from ..report.narrative import fmt_count

    years = ds.figures["year"]
    return text(
        "index_page.data", lang, figures=fmt_count(len(ds.figures), lang), first=int(years.min()), last=int(years.max())
    )


def _template():
    from ..report.output import template

    return template("index_page.html.j2", keep_trailing_newline=True)
