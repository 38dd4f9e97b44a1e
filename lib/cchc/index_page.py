"""reports/<year>/index.html: every report of the year with its status and links; works offline."""
from __future__ import annotations

from pathlib import Path

from .files import write_atomic
from .narrative import esc
from .provinces import vi_sort_key

STATUS_TEXT = {
    "ok": {"vi": "hoàn thành", "en": "ok"},
    "unchanged": {"vi": "hoàn thành", "en": "ok"},
    "failed": {"vi": "lỗi", "en": "failed"},
    "skipped": {"vi": "bỏ qua", "en": "skipped"},  # the reason (no figures for the year) follows
}


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
    title = f"{'Báo cáo CCHC năm' if lang == 'vi' else 'CCHC reports'} {year}"
    head = ("<tr><th>Báo cáo</th><th>Tình trạng</th><th>Tệp</th></tr>" if lang == "vi"
            else "<tr><th>Report</th><th>Status</th><th>Files</th></tr>")
    page = f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>{esc(title)}</title>
<style>
body {{ font-family: "DejaVu Sans", Arial, sans-serif; margin: 0 auto; max-width: 56rem; padding: 1rem;
       color: #1d2733; }}
h1 {{ color: #1f5f8b; font-size: 1.5rem; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border: 1px solid #d5dbe1; padding: .3rem .5rem; text-align: left; vertical-align: top; }}
th {{ background: #eef2f6; }}
.failed {{ color: #b3261e; font-weight: bold; }}
.skipped {{ color: #5b6774; font-style: italic; }}
.reason {{ color: #5b6774; font-size: .85rem; }}
</style>
</head>
<body>
<h1>{esc(title)}</h1>
<table>
<thead>{head}</thead>
<tbody>
{"".join(rows)}
</tbody>
</table>
</body>
</html>
"""
    path = Path(year_dir) / "index.html"
    if not path.exists() or path.read_text(encoding="utf-8") != page:
        write_atomic(path, page)
    return path


def _row(name: str, label: str, status: str, reason: str, formats, lang: str, year_dir: Path) -> str:
    if status in ("ok", "unchanged"):
        links = " · ".join(f'<a href="{esc(name)}.{f}">{f.upper()}</a>' for f in formats)
    else:  # a failed render kept the previous good report: still offer it, marked as earlier
        earlier = "bản trước" if lang == "vi" else "earlier version"
        links = " · ".join(f'<a href="{esc(name)}.{f}">{f.upper()} ({earlier})</a>' for f in formats
                           if (Path(year_dir) / f"{name}.{f}").exists())
    shown = "ok" if status == "unchanged" else status
    why = f'<div class="reason">{esc(reason)}</div>' if reason else ""
    return (f'<tr><td>{esc(label)}</td><td class="{shown}">{esc(STATUS_TEXT[status][lang])}{why}</td>'
            f"<td>{links}</td></tr>\n")
