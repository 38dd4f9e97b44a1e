"""reports/<year>/index.html (index.en.html in English): the year's reports, one row per province with its
score, rank and change from the year before on each index, links to the report's HTML and PDF and to its
reports of other years.

Works offline, without JavaScript, and on a phone (the table becomes one card per province); with JavaScript
on, a small inline script (``page_script``) adds a filter by name and sorting by a column. The same inputs
give the same bytes; the date on it is the day its latest report was made (from the batch state).
``index_rows`` returns the page's content as data; ``write_index`` keeps it beside the page
(``.index.json``, read by the portal of every year, ``portal.py``) and writes the page with the
autoescaping template ``report/templates/index_page.html.j2`` (``render_index``: the page again from its
data, its links to other years as the folder holds them now).
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..catalogue import text
from ..data.indices import codes
from ..data.provinces import OLD, generation_for_year, vi_sort_key
from ..data.schema import NOT_PUBLISHED
from ..files import output_name, report_key, write_atomic
from ..render.notebook import FORMATS, LANGS

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
    new: bool = False  # a unit formed on 1 July 2025
    unit: str = ""  # its name as its reports say it, without the page's mark


def page_name(year: int, lang: str) -> str:
    """The index page's path relative to the reports folder: '2021/index.html', '2021/index.en.html'."""
    return output_name(INDEX, year, lang, "html")


def data_name(lang: str) -> str:
    """The file beside a year's index page holding what it shows, as data: '.index.json', '.index.en.json'."""
    return "." + output_name(INDEX, None, lang, "json")


def write_index(year_dir: Path, year: int, outcomes: list, state: dict, lang: str = "vi", ds=None) -> Path:
    """Write the year's index page from this run's outcomes and the state of earlier runs; ``ds`` (the
    batch's dataset) gives each province's figures of the year and the data's description. What the page
    shows is kept beside it as data (``data_name``) for the portal."""
    year_dir = Path(year_dir)
    content = index_rows(year_dir, year, outcomes, state, lang, ds)
    content["rows"] = [asdict(r) for r in content["rows"]]
    content["overview"] = asdict(content["overview"]) if content["overview"] else None
    write_if_changed(year_dir / data_name(lang), json.dumps(content, ensure_ascii=False, indent=1, sort_keys=True))
    return render_index(year_dir, content)


def render_index(year_dir: Path, content: dict) -> Path:
    """Write a year's page from what it shows (``index_rows``, as kept in ``data_name``), its links to
    other years, to the other language and to the portal as the reports folder holds them now."""
    year_dir, year, lang = Path(year_dir), content["year"], content["lang"]
    reports = year_dir.parent
    others = _other_years(reports, year)
    for r in [*content["rows"], *([content["overview"]] if content["overview"] else [])]:
        r["years"] = _years(reports, r["name"], lang, others)
    portal = output_name(INDEX, None, lang, "html")
    page = _template().render(
        **content,
        **script_context(),
        other_lang=_other_language(year_dir, year, lang),
        portal={"href": f"../{portal}", "text": text("index_page.portal", lang)}
        if (reports / portal).is_file()
        else None,
        year_pages=[
            {"href": f"../{page_name(y, lang)}", "text": str(y)}
            for y in others
            if (reports / page_name(y, lang)).is_file()
        ],
    )
    path = year_dir / _file(page_name(year, lang))
    write_if_changed(path, page)
    return path


def write_if_changed(path: Path, content: str) -> None:
    """Write ``content`` whole, only when the file does not already hold it (its time says when it changed)."""
    if not path.exists() or path.read_text(encoding="utf-8") != content:
        write_atomic(path, content)


def index_rows(year_dir: Path, year: int, outcomes: list, state: dict, lang: str = "vi", ds=None) -> dict:
    """What the index page shows, as data: its title and dates, the overview, one row per report in
    Vietnamese order, the indices shown, what failed and what was skipped, and the notes they need."""
    from ..report.narrative import fmt_day, fmt_list

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
    overview, rows = None, []
    for name, (label, status, reason, formats) in entries.items():
        row = Row(
            name,
            _label(units.get(name), label, year, lang),
            figures.get(name, {}),
            _links(Path(year_dir), name, year, lang, status, formats),
            new=name in units and units[name].is_new,
            unit=label,
        )
        if status == "failed":
            row.status, row.reason = text("index_page.failed", lang), reason
        if name == OVERVIEW:
            overview = row
        else:
            rows.append(row)
    rows.sort(key=lambda r: (vi_sort_key(r.label), r.name))
    shown = [i for i in codes() if any(i in r.figures for r in rows)]
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
        "year": year,
        "title": text("index_page.title", lang, year=year),
        "made": text("index_page.made", lang, date=fmt_day(max(dates), lang)) if dates else "",
        "made_on": max(dates) if dates else "",
        "data": _data_words(ds, lang) if ds is not None else "",
        "data_version": ds.data_hash[:8] if ds is not None else "",
        "overview": overview,
        "rows": rows,
        "indices": [(i, text(f"index_page.col.{i}", lang)) for i in shown],
        "head": {
            "province": text("label.province", lang),
            "report": text("index_page.report", lang),
            "years": text("index_page.other_years", lang),
            "filter": text("index_page.filter", lang),
        },
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
    """Each province's score, rank and change from the year before on each index of the year
    (``metrics.headlines``, the figures of ``cchc.headline``), as shown; ``sort``: the key a column is
    sorted by (the rank, else the score, best first)."""
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
                "change": _change(h, lang),
                "computed": bool(rank) and h.rank_computed,
                "sort": _sort_key(h),
            }
    return shown


def _sort_key(h) -> float | None:
    """A column's sort key, best first: the rank, else the score turned (higher is better)."""
    from ..report.narrative import is_missing

    if not is_missing(h.rank):
        return float(h.rank)
    return None if is_missing(h.score) else -float(h.score)


def _change(h, lang: str) -> str:
    """The change from the year before, as the report's headline says it: 'so với 2023: tăng 4,21 điểm,
    tăng 10 bậc', with the method break between the two years when there is one; '' without one."""
    from ..report.narrative import fmt_list, rank_change_text, score_change_text

    said = [w for w in (score_change_text(h.score_delta, h.unit, lang), rank_change_text(h.rank_delta, lang)) if w]
    if not said:
        return ""
    change = text("index_page.change", lang, prev=h.prev_year, change=", ".join(said))
    if h.breaks:
        change += " " + text("position.break_flag", lang, years=fmt_list([str(y) for y in h.breaks], lang))
    return change


def _no_figure(ds: Dataset, said: set, slug: str, index: str, year: int, lang: str) -> dict:
    """A cell without a figure: 'not published' where the publisher said so (``said``: where a row of the
    year says it), else missing."""
    unpublished = False
    if (slug, index) in said:
        from ..analysis.metrics import not_published_years

        unpublished = year in not_published_years(ds, slug, index)
    return {"none": text("not_published" if unpublished else "missing", lang), "sort": None}


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


def _other_years(reports: Path, year: int) -> list[int]:
    """The other years' folders in the reports folder."""
    if not reports.is_dir():
        return []
    return sorted(int(d.name) for d in reports.iterdir() if d.is_dir() and d.name.isdigit() and int(d.name) != year)


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
        "index_page.data",
        lang,
        version=ds.data_hash[:8],
        figures=fmt_count(len(ds.figures), lang),
        first=int(years.min()),
        last=int(years.max()),
    )


def _template(name: str = "index_page.html.j2"):
    from ..report.output import template

    return template(name, keep_trailing_newline=True)


@lru_cache(maxsize=1)
def page_script() -> str:
    """The pages' one inline script (``report/templates/index_page.js``): a filter by name and sorting by a
    column's ``data-sort`` keys; without it the pages show everything, in Vietnamese order."""
    return (Path(__file__).parents[1] / "report" / "templates" / "index_page.js").read_text(encoding="utf-8")


def _script_hash() -> str:
    """The script's hash for the page's Content-Security-Policy: that script runs, no other."""
    return "sha256-" + base64.b64encode(hashlib.sha256(page_script().encode("utf-8")).digest()).decode("ascii")


def script_context() -> dict:
    """What a page's template needs to carry the script (the portal's too)."""
    return {"script": page_script(), "script_hash": _script_hash()}
