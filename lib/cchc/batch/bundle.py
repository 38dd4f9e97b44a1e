"""One province's reports as one zip an official can e-mail: `cchc bundle --province P [--year Y]`.

The zip holds the unit's reports of every year in the reports folder (HTML and PDF, in the language asked
for), and for a unit formed on 1 July 2025 its predecessors' reports of the years before, laid out as in
the reports folder under one folder named after the unit, with a short README in Vietnamese saying what is
in it. Deterministic: the same reports give the same bytes (fixed timestamps, permissions and order).
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from .. import config
from ..catalogue import text
from ..errors import UsageError
from ..files import output_name, write_atomic
from ..render.notebook import FORMATS
from .index_page import data_name

FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip can hold: no clock in the bytes
BUNDLES = "bundles"  # the zips' folder in the reports folder


def bundle_name(slug: str, lang: str) -> str:
    """The zip's path relative to the reports folder: 'bundles/dak-nong.zip', 'bundles/dak-nong.en.zip'."""
    return f"{BUNDLES}/{output_name(slug, None, lang, 'zip')}"


def bundle_files(reports: Path, slugs: list[str], lang: str) -> list[tuple[str, Path]]:
    """The reports of ``slugs`` in ``reports``, every year and format, as (path in the folder, file),
    by year then unit then format."""
    years = sorted(int(d.name) for d in Path(reports).iterdir() if d.is_dir() and d.name.isdigit())
    found = []
    for year in years:
        for slug in slugs:
            for fmt in FORMATS:
                relative = output_name(slug, year, lang, fmt)
                if (Path(reports) / relative).is_file():
                    found.append((relative, Path(reports) / relative))
    return found


def write_bundle(
    province: str, year: int | None = None, lang: str = "vi", reports: Path | None = None, out: Path | None = None
) -> Path:
    """Write the zip of ``province``'s reports (the unit valid in ``year`` when given) and return its path."""
    from ..data.provinces import load_registry

    reports = Path(reports or config.reports_dir())
    registry = load_registry(config.data_dir())
    unit = registry.resolve(province, year)
    units = [unit, *(registry.predecessors(unit.slug) if unit.is_new else [])]
    files = bundle_files(reports, [u.slug for u in units], lang) if reports.is_dir() else []
    if not files:
        raise UsageError(
            f"no report of {unit.name} ({unit.slug}) in {reports}: render them first (make reports, or "
            f"make report PROVINCE={unit.slug} YEAR=…)"
        )
    readme = bundle_readme(reports, unit, units, files, lang)
    path = Path(out) if out else reports / bundle_name(unit.slug, lang)
    write_atomic(
        path, zip_bytes(unit.slug, [("README.txt", readme.encode("utf-8"))] + [(r, f.read_bytes()) for r, f in files])
    )
    return path


def zip_bytes(folder: str, members: list[tuple[str, bytes]]) -> bytes:
    """A zip of ``members`` under ``folder``/, in the order given, with fixed times and permissions."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, data in members:
            info = zipfile.ZipInfo(f"{folder}/{name}", date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whatever machine writes it
            info.external_attr = 0o644 << 16
            z.writestr(info, data, compresslevel=9)
    return buffer.getvalue()


def bundle_readme(reports: Path, unit, units: list, files: list[tuple[str, Path]], lang: str) -> str:
    """What the zip holds, in Vietnamese: the unit, each year's files with when and from which data they
    were made (from the year's index page, when there is one), how to open them."""
    from ..report.narrative import fmt_day

    names = {u.slug: text("index_page.new_unit", "vi", name=u.name) if u.is_new else u.name for u in units}
    lines = [text("bundle.title", "vi", name=names[unit.slug]), "", text("bundle.intro", "vi"), ""]
    if unit.is_new:
        key = "bundle.predecessors" if len(units) > 2 else "bundle.predecessor_one"
        lines += [text(key, "vi", name=unit.name, names=", ".join(u.name for u in units[1:])), ""]
    for year in sorted({int(r.split("/")[0]) for r, _ in files}):
        said = [text("bundle.year", "vi", year=year)]
        kept = reports / str(year) / data_name(lang)
        if kept.is_file():
            try:
                page = json.loads(kept.read_text(encoding="utf-8"))
            except ValueError:
                page = {}
            if page.get("made_on"):
                said.append(text("portal.made", "vi", date=fmt_day(page["made_on"], "vi")))
            if page.get("data_version"):
                said.append(text("portal.data", "vi", version=page["data_version"]))
        lines.append(", ".join(said) + ":")
        for relative, _ in (f for f in files if f[0].startswith(f"{year}/")):
            slug = relative.split("/")[1].split(".")[0]
            kind = text("bundle.html" if relative.endswith(".html") else "bundle.pdf", "vi")
            lines.append(f"  {relative} — {names[slug]}, {kind}")
    lines += ["", text("bundle.source", "vi"), ""]
    return "\r\n".join(lines)  # Notepad on Windows too


__all__ = ["bundle_files", "bundle_name", "bundle_readme", "write_bundle", "zip_bytes"]
