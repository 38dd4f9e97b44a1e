"""The ministry's appendix table of PAR INDEX or SIPAS, copied out of its report (PDF or Word) by an official who
holds it: pasted into a sheet, or saved as text (tab- or several-space-separated).

Recognised by its header (in the first rows, below any title): a province column ("Tỉnh, thành phố", "Địa
phương"), the index ("Chỉ số (%)", "Chỉ số PAR INDEX", "Điểm", "Kết quả") and/or "Xếp hạng"; "STT" and "Ghi chú"
are read past, "Nhóm" (A/B) goes to the note; for PAR INDEX one column per area ("Lĩnh vực 1" …, or the area's
name, its maximum in brackets when printed: "Lĩnh vực 1 (9,5)"). Scores may have a decimal comma and "%".

The table is checked as a whole before any row is made: every province of the year's generation exactly once
(63, or 34 from 2025), ranks 1..n (one rank shared only by equal scores, the places after a tie skipped), a
higher score never with a worse rank, scores 0–100 %, and the areas of a row adding up to its total within
the rounding of the printed figures. Any failure is an error naming file, row and column, and nothing is made.
The rows cite the document the user gives (``--source``: number and date) and are marked ``origin`` =
``user_official``: an official table entered by the user.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from pathlib import Path

from ...errors import Problem
from ..provinces import Registry, generation_for_year
from ..schema import USER_OFFICIAL
from .common import Figure, Options, Reading, decimal_text
from .grid import Grid, cell_name
from .names import STATISTIC_ROWS, resolve_province

HEADER_ROWS = 15  # the header is looked for in the first rows (title lines above it are read past)
PROVINCE = (
    "tinh thanh pho",
    "tinh tp",
    "tinh",
    "ten tinh",
    "tinh thanh",
    "dia phuong",
    "don vi",
    "ten don vi",
    "tinh thanh pho truc thuoc trung uong",
)
TOTAL = (
    "chi so",
    "chi so par index",
    "chi so par",
    "par index",
    "chi so sipas",
    "sipas",
    "diem",
    "diem so",
    "tong diem",
    "ket qua",
    "chi so cchc",
    "chi so cai cach hanh chinh",
    "gia tri chi so",
    "chi so hai long",
    "ket qua chi so",
)
RANK = ("xep hang", "thu hang", "xep thu", "hang")
SKIPPED = ("stt", "tt", "so tt", "so thu tu", "thu tu")
GROUP, NOTE = ("nhom", "xep loai", "nhom xep hang"), ("ghi chu",)
# PAR areas as the ministry names them (2017 set and from 2021): folded keywords of a column naming one.
AREA_WORDS = (
    "linh vuc",
    "chi dao dieu hanh",
    "the che",
    "van ban qppl",
    "quy pham phap luat",
    "thu tuc hanh chinh",
    "tthc",
    "to chuc bo may",
    "che do cong vu",
    "doi ngu",
    "tai chinh cong",
    "hien dai hoa",
    "chinh quyen dien tu",
    "chinh quyen so",
    "chinh phu dien tu",
    "tac dong",
)
LAYOUT = "{index} official table entered by the user"


def _key(text: object) -> str:
    """A header cell folded: no case, diacritics, brackets' content or punctuation ('Chỉ số (%)' -> 'chi so')."""
    text = unicodedata.normalize("NFD", str(text).replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"\([^)]*\)|\b(19|20)\d\d\b", " ", text)
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def _role(header: str, index: str | None) -> tuple[str, ...] | None:
    """What a header cell names: ('province',), ('score',), ('rank',), ('skip',), ('group',), ('note',),
    ('area', label, max) — None when it names nothing this table has."""
    key = _key(header)
    if not key or key in SKIPPED:
        return ("skip",)
    if key in PROVINCE:
        return ("province",)
    if key in RANK:
        return ("rank",)
    if key in GROUP:
        return ("group",)
    if key in NOTE:
        return ("note",)
    if key in TOTAL or (key.startswith("chi so") and key.endswith(("par index", "sipas"))):
        return ("score",)
    if index != "SIPAS" and any(word in key for word in AREA_WORDS):
        label = re.sub(r"\s*\([^)]*\)\s*$", "", header).strip()
        bracket = re.search(r"\(([^)]*)\)\s*$", header)
        maximum = re.sub(r"[^\d,.]", "", bracket.group(1)).replace(",", ".") if bracket else ""
        return ("area", label, maximum if re.fullmatch(r"\d+(\.\d+)?", maximum) else "")
    return None


def header_row(grid: Grid, index: str | None = None) -> int | None:
    """The 0-based row of the first rows that names a province column and the index or a rank (without
    ``index``, a row whose every cell is one this table has: a publisher's workbook is not taken for it)."""
    for r in range(min(HEADER_ROWS, len(grid.rows))):
        roles = [(_role(str(v), index) or ("",))[0] for v in grid.rows[r] if v is not None]
        if "province" in roles and {"score", "rank"} & set(roles) and (index or "" not in roles):
            return r
    return None


def is_official_table(grid: Grid, index: str | None = None) -> bool:
    """True when a header in the first rows names a province column and the index (or a rank); with
    ``index`` (--index PAR or SIPAS) a column it cannot place is then an error naming it."""
    return header_row(grid, index) is not None


def _index_of(header: list[str], options: Options) -> str | None:
    """PAR or SIPAS: --index, else the index the header names."""
    if options.index:
        return options.index
    keys = " | ".join(_key(h) for h in header)
    if "sipas" in keys or "hai long" in keys:
        return "SIPAS"
    if re.search(r"\bpar\b|linh vuc|cai cach hanh chinh", keys):
        return "PAR"
    return None


def _number(value: object) -> str | None:
    """A printed figure as text with a decimal point ('86,26 %' -> '86.26'); None when it is not one."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return format(value, ".15g")
    text = str(value).strip().replace("\u00a0", "").replace(" ", "").removesuffix("%")
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    return text if re.fullmatch(r"-?\d+(\.\d+)?", text) else None


def _places(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


def read_official_table(path: Path, grid: Grid, registry: Registry, options: Options) -> Reading:
    """The rows of a ministry's appendix table, once every check of the whole table passes."""
    top = header_row(grid, options.index)
    assert top is not None
    header = ["" if v is None else str(v) for v in grid.rows[top]]
    reading = Reading("official table")
    problems = reading.problems
    index = _index_of(header, options)
    year = options.year  # never from the file's name: PAR 2024 is published in a document of 2025
    if index not in ("PAR", "SIPAS"):
        problems.append(
            Problem(
                path.name,
                top + 1,
                None,
                "an official table of PAR INDEX or SIPAS: say which with "
                "--index PAR or --index SIPAS" + (f" (not {index})" if index else ""),
            )
        )
    if year is None:
        problems.append(Problem(path.name, top + 1, None, "give the results year of the table with --year"))
    if not options.source or not _cites_a_document(options.source):
        problems.append(
            Problem(
                path.name,
                None,
                None,
                "give the document the table is printed in with --source, "
                'its number and date, e.g. --source "Quyết định 1234/QĐ-BNV ngày 6/4/2025 của Bộ '
                'Nội vụ …"',
            )
        )
    columns = {}
    for c, name in enumerate(header):
        if not name.strip():
            continue
        role = _role(name, index)
        if role is None:
            problems.append(
                Problem(
                    path.name,
                    top + 1,
                    name,
                    f"cannot place column {cell_name(top, c)[:-1]} "
                    f"('{name}'): not STT, the province, the index, the rank, a group, a note"
                    + (" or a PAR area" if index != "SIPAS" else ""),
                )
            )
        elif role[0] != "skip":
            columns[c] = role
    if problems:
        return reading
    assert index is not None and year is not None and options.source is not None
    reading.layout = LAYOUT.format(index=index)
    rows = _rows(path, grid, top, header, columns, registry, year, problems)
    if not _errors(problems):
        _check_table(path, rows, header, columns, registry, year, problems)
    if not _errors(problems):
        reading.figures = _figures(path, rows, columns, index, year, options.source)
    return reading


def _errors(problems: list[Problem]) -> bool:
    return any(p.severity == "error" for p in problems)


def _cites_a_document(source: str) -> bool:
    """A document number ('1234/QĐ-BNV') and a date ('6/4/2025', '06-04-2025', 'ngày 6 tháng 4 năm 2025')."""
    number = re.search(r"\d+\s*/\s*\w", source)
    date = re.search(r"\b\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*(19|20)\d\d\b", source) or re.search(
        r"ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+(19|20)\d\d", source, re.IGNORECASE
    )
    return bool(number and date)


def _rows(
    path: Path,
    grid: Grid,
    top: int,
    header: list[str],
    columns: dict[int, tuple],
    registry: Registry,
    year: int,
    problems: list[Problem],
) -> list[dict]:
    """Each province row of the table: its sheet row, slug, score and rank text, areas, group, note."""
    where = {role[0]: c for c, role in columns.items() if role[0] != "area"}
    rows = []
    shown = _shown_as_percent(path, grid, top, where["score"]) if "score" in where else {}
    if shown:
        problems.append(
            Problem(
                path.name,
                min(shown) + 1,
                header[where["score"]],
                f"{len(shown)} cells shown as "
                f"percentages read as shown ({grid.value(min(shown), where['score'])!r} as "
                f"{shown[min(shown)]})",
                "warning",
            )
        )
    numbered = _key(header[0]) in SKIPPED  # the first column is STT
    for r in range(top + 1, len(grid.rows)):
        cells = grid.rows[r]
        if not any(v is not None for v in cells):
            continue
        if (
            numbered
            and len(cells) < len(header)
            and cells[0] is not None
            and not re.fullmatch(r"\d+\.?", str(cells[0]).removesuffix(".0"))
        ):
            grid.rows[r] = cells = [None, *cells]  # space-separated text lost the empty STT cell of this row
        name = grid.value(r, where["province"])
        slug = resolve_province(name, registry, year)
        folded = _key(name or "")
        if slug is None:
            if not name or folded.startswith(STATISTIC_ROWS) or folded.startswith(("ca nuoc", "vung", "tong")):
                continue  # a national mean, a region's heading, a total: not a province
            problems.append(
                Problem(
                    path.name,
                    r + 1,
                    header[where["province"]],
                    f"cannot read the province '{name}' in {cell_name(r, where['province'])} (for {year})",
                )
            )
            continue
        row = {"row": r + 1, "slug": slug, "name": name, "areas": {}}
        for what in ("score", "rank"):
            if what not in where:
                continue
            c = where[what]
            value = shown.get(r, grid.value(r, c)) if what == "score" else grid.value(r, c)
            text = _number(value)
            if value is None or text is None or (what == "rank" and not re.fullmatch(r"\d+(\.0+)?", text)):
                kind = "a score" if what == "score" else "a rank (a whole number)"
                problems.append(Problem(path.name, r + 1, header[c], f"{cell_name(r, c)} holds {value!r}, not {kind}"))
            else:
                row[what] = text if what == "score" else str(int(float(text)))
        for c, role in columns.items():
            value = grid.value(r, c)
            if role[0] == "area":
                text = _number(value)
                if text is None:
                    problems.append(
                        Problem(path.name, r + 1, header[c], f"{cell_name(r, c)} holds {value!r}, not an area's points")
                    )
                else:
                    row["areas"][c] = text
            elif role[0] in ("group", "note") and value is not None:
                row[role[0]] = str(value)
        rows.append(row)
    return rows


def _shown_as_percent(path: Path, grid: Grid, top: int, col: int) -> dict[int, str]:
    """The number cells of a sheet's column below the header formatted as percentages (the figure 86,26% pasted
    into a sheet that stores 0.8626 and shows 86.26%), as the figure shown ('86.26'), by 0-based row."""
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return {}
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = book.worksheets[grid.position - 1]
        shown = {}
        for r, (cell,) in enumerate(sheet.iter_rows(min_row=top + 2, min_col=col + 1, max_col=col + 1), top + 1):
            fmt = getattr(cell, "number_format", None) or ""
            if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool) and "%" in fmt:
                decimals = re.search(r"\.(0+)%", fmt)
                shown[r] = decimal_text(cell.value * 100, len(decimals.group(1)) if decimals else 0)
        return shown
    finally:
        book.close()


def _check_table(
    path: Path,
    rows: list[dict],
    header: list[str],
    columns: dict[int, tuple],
    registry: Registry,
    year: int,
    problems: list[Problem],
) -> None:
    """The whole table's checks: provinces, scores' range, ranks 1..n following the scores, areas' sums."""
    where = {role[0]: c for c, role in columns.items() if role[0] != "area"}
    province_col = header[where["province"]]
    units = registry.valid_in(year)
    n = len(units)

    def add(row: int | None, column: str | None, message: str) -> None:
        problems.append(Problem(path.name, row, column, message))

    seen: dict[str, dict] = {}
    for row in rows:
        if row["slug"] not in {u.slug for u in units}:
            add(row["row"], province_col, f"'{row['name']}' is not one of the {n} units ranked in {year}")
        elif row["slug"] in seen:
            add(row["row"], province_col, f"'{row['name']}' is listed twice (also row {seen[row['slug']]['row']})")
        else:
            seen[row["slug"]] = row
    missing = [u.name for u in units if u.slug not in seen]
    if missing:
        add(
            None,
            province_col,
            f"the table has {len(seen)} of the {n} units of {year} "
            f"(generation of {generation_for_year(year)}): missing {', '.join(missing)}",
        )
    if "score" in where:
        score_col = header[where["score"]]
        for row in rows:
            if not 0 <= float(row["score"]) <= 100:
                add(row["row"], score_col, f"{row['name']}: {row['score']} is outside 0–100 %")
        if rows and all(float(r["score"]) <= 1 for r in rows):
            add(
                None,
                score_col,
                "every score is 1 or less: the cells hold fractions (a column formatted as %): "
                "copy the figures as printed (86,26)",
            )
    if "rank" in where:
        _check_ranks(rows, header[where["rank"]], header[where["score"]] if "score" in where else None, n, add)
    areas = [c for c, role in columns.items() if role[0] == "area"]
    if areas and "score" in where:
        _check_areas(rows, header, areas, header[where["score"]], add)


def _check_ranks(rows: list[dict], rank_col: str, score_col: str | None, n: int, add) -> None:
    """Ranks 1..n as a competition ranking (k units sharing rank r: the next is r + k), a rank shared only by
    equal scores, and a higher score never ranked below a lower one."""
    by_rank: dict[int, list[dict]] = {}
    for row in rows:
        rank = int(row["rank"])
        if not 1 <= rank <= n:
            add(row["row"], rank_col, f"{row['name']}: rank {rank} is outside 1–{n}")
        by_rank.setdefault(rank, []).append(row)
    expected = 1
    for rank in sorted(by_rank):
        group = by_rank[rank]
        if rank > expected and 1 <= rank <= n:
            add(group[0]["row"], rank_col, f"{group[0]['name']}: rank {rank}, but no unit has rank {expected}")
        elif rank < expected:
            add(
                group[0]["row"],
                rank_col,
                f"{group[0]['name']}: rank {rank} comes after {expected - 1} places "
                f"are taken: units sharing a rank take its places (two 5th: the next "
                f"is 7th)",
            )
        if len(group) > 1 and score_col is not None and len({Decimal(r["score"]) for r in group}) > 1:
            names = ", ".join(f"{r['name']} (row {r['row']}, {r['score']})" for r in group)
            add(
                group[1]["row"],
                rank_col,
                f"rank {rank} is given to {len(group)} units with different scores: "
                f"{names}; a rank is shared only by equal scores",
            )
        elif len(group) > 1 and score_col is None:
            names = ", ".join(f"{r['name']} (row {r['row']})" for r in group)
            add(group[1]["row"], rank_col, f"rank {rank} is given twice, with no score to show a tie: {names}")
        expected = rank + len(group)
    if score_col is None:
        return
    lowest: dict | None = None  # the lowest score of the better ranks so far
    for rank in sorted(by_rank):
        group = by_rank[rank]
        for row in group:
            if lowest is not None and Decimal(row["score"]) > Decimal(lowest["score"]):
                add(
                    row["row"],
                    rank_col,
                    f"{row['name']}: rank {rank} with {row['score']}, but {lowest['name']} "
                    f"(row {lowest['row']}) is ranked {lowest['rank']} with a lower score, "
                    f"{lowest['score']}: ranks must follow the scores ({score_col})",
                )
        worst = min(group, key=lambda r: Decimal(r["score"]))
        if lowest is None or Decimal(worst["score"]) < Decimal(lowest["score"]):
            lowest = worst


def _check_areas(rows: list[dict], header: list[str], areas: list[int], score_col: str, add) -> None:
    """Each row's area points add up to its total within the rounding of the printed figures: half a unit of
    the last decimal of each, a column's decimals being the most any of its cells shows (a sheet's number
    cell drops trailing zeros: 29 for 29,00)."""
    places = {c: max(_places(row["areas"][c]) for row in rows) for c in areas}
    slack = sum(Decimal(5).scaleb(-places[c] - 1) for c in areas) + Decimal(5).scaleb(
        -max(_places(row["score"]) for row in rows) - 1
    )
    for row in rows:
        total = sum(Decimal(row["areas"][c]) for c in areas)
        if abs(total - Decimal(row["score"])) > slack:
            add(
                row["row"],
                score_col,
                f"{row['name']}: the areas ({', '.join(header[c] for c in areas)}) add up to "
                f"{total}, not the total {row['score']} (within the rounding, {slack})",
            )


def _figures(
    path: Path, rows: list[dict], columns: dict[int, tuple], index: str, year: int, source: str
) -> list[Figure]:
    """Rows of the indices table: the total and rank of each province, and its areas' points."""
    n = len(rows)
    figures = []
    for row in rows:
        note = [f"official table entered by the user ({path.name}, row {row['row']})"]
        if row.get("group"):
            note.append(f"group {row['group']}")
        if row.get("note"):
            note.append(row["note"])
        cells = {
            "index": index,
            "year": str(year),
            "province": row["slug"],
            "component": "",
            "source": source,
            "note": "; ".join(note),
            "origin": USER_OFFICIAL,
        }
        if "score" in row:
            cells |= {"score": row["score"], "unit": "%"}
        if "rank" in row:
            cells |= {"rank": row["rank"], "rank_of": str(n)}
        figures.append(Figure(path.name, row["row"], cells))
        for c, text in row["areas"].items():
            _, label, maximum = columns[c]
            figures.append(
                Figure(
                    path.name,
                    row["row"],
                    {
                        "index": index,
                        "year": str(year),
                        "province": row["slug"],
                        "component": label,
                        "score": text,
                        "unit": "points",
                        "max_score": maximum,
                        "source": source,
                        "origin": USER_OFFICIAL,
                        "note": (
                            f"area points of the official table entered by the user ({path.name}, row {row['row']})"
                        ),
                    },
                )
            )
    return figures
