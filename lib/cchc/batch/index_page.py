"""reports/<year>/index.html: every report of the year with its status and links; works offline.

The page comes from the autoescaping template ``report/templates/index_page.html.j2``.
"""
from __future__ import annotations

from pathlib import Path

from ..catalogue import text
from ..data.provinces import vi_sort_key
from ..files import write_atomic


def write_index(year_dir: Path, year: int, outcomes: list, state: dict, lang: str = "vi") -> Path:
    """Write the year's index page from this run's outcomes (and the state of earlier runs)."""
    rows = []
    seen = set()
    for o in sorted(outcomes, key=lambda o: (o.name != "overview", vi_sort_key(o.label), o.name)):
        seen.add(o.name)
        rows.append(_row(o.name, o.label, o.status, o.reason, o.formats, lang, year_dir))
    earlier = sorted(((key, entry) for key, entry in state.items() if key not in seen and "." not in key),
                     key=lambda item: vi_sort_key(item[1].get("label", item[0])))
    for key, entry in earlier:  # reports of earlier runs not planned this time
        rows.append(_row(key, entry.get("label", key), entry.get("status", "ok"), entry.get("reason", ""),
                         tuple(entry.get("formats", ())), lang, year_dir))
    head = {k: text(f"index_page.{k}", lang) for k in ("report", "status", "files")}
    from ..report.output import template

    page = template("index_page.html.j2", keep_trailing_newline=True).render(
        lang=lang, title=text("index_page.title", lang, year=year), head=head, rows=rows)
    path = Path(year_dir) / "index.html"
    if not path.exists() or path.read_text(encoding="utf-8") != page:
        write_atomic(path, page)
    return path


def _row(name: str, label: str, status: str, reason: str, formats, lang: str, year_dir: Path) -> dict:
    if status in ("ok", "unchanged"):
        links = [{"href": f"{name}.{f}", "text": f.upper()} for f in formats]
    else:  # a failed render kept the previous good report: still offer it, marked as earlier
        links = [{"href": f"{name}.{f}", "text": text("index_page.earlier", lang, format=f.upper())} for f in formats
                 if (Path(year_dir) / f"{name}.{f}").exists()]
    return {"label": label, "cls": "ok" if status == "unchanged" else status,
            "status": text(f"index_page.{status}", lang), "reason": reason, "links": links}
