"""reports/index.html (index.en.html in English): the portal of every year's reports, the page to send.

One row per province or unit in Vietnamese order (an old province and the 2025 unit of the same name told
apart: 'Lâm Đồng (từ 1/7/2025)'): its key figures of its latest year with figures (score, rank and change
per index, as that year's index page shows them) and its reports of every year (HTML and PDF); above, each
year's index page (the figures), overview, the day it was made and the data version. Built from what the
year folders hold (each year's ``.index.json``, written with its index page), not from the data: it works
whichever way the years were rendered, one batch a year or several years at once. Writing it also rewrites
each year's index page whose links to other years have changed. Offline, without JavaScript, on a phone.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..catalogue import text
from ..data.indices import codes
from ..data.provinces import vi_sort_key
from ..files import output_name
from ..render.notebook import LANGS
from .index_page import INDEX, data_name, page_name, render_index, script_context, write_if_changed


def portal_name(lang: str) -> str:
    """The portal's file in the reports folder: 'index.html', 'index.en.html'."""
    return output_name(INDEX, None, lang, "html")


def year_pages(reports: Path, lang: str) -> dict[int, dict]:
    """What each year's index page in ``reports`` shows (its ``.index.json``), by year."""
    found = {}
    for folder in sorted(Path(reports).iterdir()) if Path(reports).is_dir() else []:
        kept = folder / data_name(lang)
        if folder.name.isdigit() and kept.is_file():
            try:
                found[int(folder.name)] = json.loads(kept.read_text(encoding="utf-8"))
            except ValueError:  # a page written half by a killed run: that year is left out until the next
                continue
    return found


def write_portal(reports: Path, lang: str = "vi") -> Path | None:
    """Write the portal of every year in ``reports`` (None when no year has an index page), then the year
    pages again where their links to other years or to the portal changed."""
    reports = Path(reports)
    pages = year_pages(reports, lang)
    if not pages:
        return None
    from ..report.output import template

    page = template("portal.html.j2", keep_trailing_newline=True).render(
        **portal_rows(reports, pages, lang), **script_context()
    )
    path = reports / portal_name(lang)
    write_if_changed(path, page)
    for year, content in pages.items():
        render_index(reports / str(year), content)
    return path


def portal_rows(reports: Path, pages: dict[int, dict], lang: str) -> dict:
    """What the portal shows, as data: the years (latest first) with their pages, dates and data versions,
    and one row per unit with its reports' links by year."""
    from ..report.narrative import fmt_day

    years = sorted(pages, reverse=True)
    units: dict[str, dict] = {}
    for year in years:
        for row in pages[year]["rows"]:
            unit = units.setdefault(
                row["name"],
                {
                    "name": row["name"],
                    "label": text("index_page.new_unit", lang, name=row["unit"]) if row["new"] else row["unit"],
                    "cells": {},
                    "figures": {},
                    "figures_year": None,
                },
            )
            unit["cells"][year] = [{"href": f"{year}/{link['href']}", "text": link["text"]} for link in row["links"]]
            if unit["figures_year"] is None and _has_figures(row):  # its latest year with a figure
                unit["figures"], unit["figures_year"] = row["figures"], year
    indices = [i for i in codes() if any(_shown(u["figures"].get(i)) for u in units.values())]
    missing = {"none": text("missing", lang), "sort": None}
    for unit in units.values():
        unit["figures"] = {i: unit["figures"].get(i) or missing for i in indices}
    rows = sorted(units.values(), key=lambda u: (vi_sort_key(u["label"]), u["name"]))
    made = [pages[y]["made_on"] for y in years if pages[y]["made_on"]]
    latest = pages[years[0]]
    other = next(x for x in LANGS if x != lang)
    return {
        "lang": lang,
        "title": text("portal.title", lang),
        "made": text("portal.updated", lang, date=fmt_day(max(made), lang)) if made else "",
        "data": text("portal.data", lang, version=latest["data_version"]) if latest["data_version"] else "",
        "other_lang": (
            {"href": portal_name(other), "text": text("index_page.other_lang", other), "lang": other}
            if (reports / portal_name(other)).is_file()
            else None
        ),
        "years": [_year(reports, y, pages[y], lang) for y in years],
        "rows": rows,
        "indices": [(i, text(f"index_page.col.{i}", lang)) for i in indices],
        "head": {
            "province": text("label.province", lang),
            "years": text("portal.years", lang),
            "figures_year": text("portal.figures_year", lang),
            "reports": text("portal.reports", lang),
            "filter": text("index_page.filter", lang),
        },
        "notes": [text("index_page.new_units_note", lang)]
        if any(r["new"] for p in pages.values() for r in p["rows"])
        else [],
    }


def _shown(figure: dict | None) -> bool:
    """A figure cell of a year page that shows a score or a rank."""
    return bool(figure and (figure.get("score") or figure.get("rank")))


def _has_figures(row: dict) -> bool:
    return any(_shown(f) for f in row.get("figures", {}).values())


def _year(reports: Path, year: int, content: dict, lang: str) -> dict:
    """A year as the portal lists it: its index page, its overview (when there is one), when and from
    which data it was made."""
    from ..report.narrative import fmt_day

    overview = content["overview"]
    said = []
    if content["made_on"]:
        said.append(text("portal.made", lang, date=fmt_day(content["made_on"], lang)))
    if content["data_version"]:
        said.append(text("portal.data", lang, version=content["data_version"]))
    return {
        "year": year,
        "href": page_name(year, lang),
        "text": text("portal.year", lang, year=year),
        "said": ", ".join(said),
        "overview": (
            {"href": f"{year}/{overview['links'][0]['href']}", "text": text("overview_title", lang)}
            if overview and overview["links"]
            else None
        ),
    }


__all__ = ["portal_name", "portal_rows", "write_portal", "year_pages"]
