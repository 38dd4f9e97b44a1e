"""The rules each table's rows must follow, once their cells are read. Used by ``validate``.

Each row check gets the typed row, ``add(column, message, severity="error")`` and the registry.
TTHC totals that do not add up are warnings stating the numbers; nothing is ever "fixed".
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Any

from ..errors import Problem
from .cells import CellError, parse_float, runs_as_formula
from .indices import record
from .provinces import MERGER_YEAR, NEW, OLD, Registry, covered_generation, fold, generation_for_year
from .schema import (
    CONTRADICTED,
    DISPUTED,
    MEAN,
    NEVER_USED,
    NOT_PUBLISHED,
    UNITS,
    Column,
    Table,
    units_ranked,
)
from .tthc import tthc_discrepancies

Row = dict[str, Any]
Add = Callable[..., None]
GROUP = ("index", "year", "province", "component")
FIGURES = ("score", "unit", "max_score", "rank", "rank_of")


def missing_message(col: Column) -> str:
    """What to say about an empty required cell."""
    if col.name == "source":
        return "missing source: every figure needs the URL or full citation of its publication"
    return f"missing {col.name} (required)" + (f": {col.help}" if col.help else "")


def check_index(row: Row, add: Add, registry: Registry) -> None:
    """A published index figure: a score on its unit's scale and/or a rank out of rank_of; or a figure the
    publisher did not publish (status 'not published'), which has no score or rank and says why in note."""
    if row.get("status") == NOT_PUBLISHED:
        for name in ("score", "rank"):
            if row[name] is not None:
                add(name, f"a row with status '{NOT_PUBLISHED}' has no {name}: the figure was not published")
        if not row["note"]:
            add("note", f"status '{NOT_PUBLISHED}' needs the reason in note (what the publisher said)")
        return
    if row.get("status") == DISPUTED:
        if not row.get("reason"):
            add(
                "reason",
                f"status '{DISPUTED}' needs the reason: which sources contradict the figure and why it is not used",
            )
        if row.get("use"):
            add("use", f"a row with status '{DISPUTED}' is not used: leave use empty")
    if row.get("status") == CONTRADICTED and not row["reason"]:
        add("reason", f"status '{CONTRADICTED}' needs the reason: how its own page contradicts the figure")
    if row["score"] is None and row["rank"] is None and not row["_bad"] & {"score", "rank"}:
        add(
            None,
            "row has neither score nor rank: give at least one (or status 'not published' with the reason in note)",
        )
    rec = record(row["index"])
    check_score(row, add, rec.component_range if rec and row["component"] else None)
    if row["unit"] == "points" and None not in (row["score"], row["max_score"]) and row["score"] > row["max_score"]:
        add("score", f"score {row['score']:g} is above the area's max_score {row['max_score']:g}")
    check_rank(row, add)


def check_score(row: Row, add: Add, scale: tuple[float, float] | None = None) -> None:
    """The score lies on its unit's scale (or ``scale``); a percent sign only with unit '%'."""
    score, unit = row["score"], row["unit"]
    if "score" in row["_pct"] and unit != "%":
        add("score", f"score has a percent sign but the unit is '{unit or 'empty'}'")
    if score is None or "unit" in row["_bad"]:
        return
    if not unit:
        add("unit", f"score without unit: give the unit, one of {', '.join(UNITS)}")
        return
    low, high = scale or UNITS[unit]
    if not low <= score <= high:
        what = "PAPI dimension score" if scale else "score"
        side = "above" if score > high else "below"
        add("score", f"{what} {score:g} is {side} the scale {low:g}–{high:g}{'' if scale else f' of unit {unit!r}'}")


def check_rank(row: Row, add: Add) -> None:
    """A published rank is 1..rank_of and comes with rank_of."""
    rank, of = row["rank"], row["rank_of"]
    if of is not None and of < 1:
        add("rank_of", f"rank_of {of} must be at least 1")
    if rank is None:
        return
    if rank < 1:
        add("rank", f"rank {rank} is below 1")
    if of is None:
        add(
            "rank_of",
            "rank given without rank_of: say how many were ranked (63 provinces up to 2024, 34 units from 2025)",
        )
    elif rank > of:
        add("rank", f"rank {rank} is above rank_of {of}")


def check_mean(row: Row, add: Add, registry: Registry) -> None:
    """A national or regional mean (or median, ``statistic``): a known scope and a score on its unit's scale."""
    if not row.get("statistic"):
        row["statistic"] = MEAN
    check_score(row, add)
    scope = row["scope"]
    if not scope:
        return
    regions = sorted({p.region for p in registry if p.region})
    names = {fold(r): r for r in regions} | {"national": "national", "ca nuoc": "national"}
    if fold(scope) in names:
        row["scope"] = names[fold(scope)]
    else:
        add("scope", f"'{scope}' is not a scope; allowed values: national, {', '.join(regions)}")


def check_target(row: Row, add: Add, registry: Registry) -> None:
    """A target: deadline not before the document, a numeric value unless compared by band."""
    date, deadline = row["date"], row["deadline"]
    if date is not None and deadline is not None and deadline < date.year:
        add("deadline", f"deadline {deadline} is before the document's date {date.isoformat()}")
    value = row["value"]
    if value and row["comparator"] and row["comparator"] != "in_band":
        try:
            number, note = parse_float(value)
        except CellError as exc:
            add("value", f"{exc}; only comparator in_band takes a band name")
            return
        if note:
            add("value", note, "warning")
            row["value"] = f"{number:g}"
    stem = row["file"].rsplit("/", 1)[-1].removesuffix(".csv")
    if row["province"] and row["file"].startswith("targets/") and stem != row["province"]:  # not an import
        add(
            "province",
            f"target of {row['province']} in the file of {stem}: each province's targets go in "
            f"targets/{row['province']}.csv",
            "warning",
        )


def check_tthc(row: Row, add: Add, registry: Registry) -> None:
    """TTHC counts: whose they are (scope and agency agree), not negative, a sensible period, and totals
    that add up (warnings)."""
    scope, agency = row.get("scope"), row.get("agency")
    if agency and scope == "province":
        add(
            "scope",
            f"agency '{agency}' is one department, district or commune, not the province: scope must "
            "say which ('department', 'district' or 'commune')",
        )
    elif not agency and scope not in (None, "", "province"):
        add("agency", f"scope '{scope}' needs the agency named (empty agency = the whole province)")
    for name in (k for k, v in row.items() if isinstance(v, int) and not isinstance(v, bool)):
        if name not in ("year", "row") and row[name] < 0:
            add(name, f"{name} {row[name]} is negative")
    start, end = row["period_start"], row["period_end"]
    if start and end and end < start:
        add("period_end", f"period_end {end.isoformat()} is before period_start {start.isoformat()}")
    for d in tthc_discrepancies(row):
        terms, values = " + ".join(d["parts"]), " + ".join(str(row[p]) for p in d["parts"])
        if d["total_column"] == "received_new":  # online parts may not exceed what was received
            add(
                "received_online_full",
                f"{terms} = {values} = {d['sum']}, more than received_new = {d['total']} (by {-d['difference']})",
                "warning",
            )
        else:
            add(
                d["total_column"],
                f"{terms} = {values} = {d['sum']}, but {d['total_column']} = {d['total']} "
                f"(difference {d['difference']:+d}); the figures are kept as published",
                "warning",
            )


def check_unit_ranking(row: Row, add: Add, registry: Registry) -> None:
    """A department's or district's PAR result: a score out of 100 and a rank out of rank_of."""
    score = row["score"]
    if score is not None and not 0 <= score <= 100:
        add("score", f"score {score:g} is outside 0–100")
    check_rank(row, add)


def check_plan_tasks(row: Row, add: Add, registry: Registry) -> None:
    """Plan execution: at least one task planned, and no more completed than planned."""
    planned, completed = row["tasks_planned"], row["tasks_completed"]
    if planned is not None and planned < 1:
        add("tasks_planned", f"tasks_planned must be at least 1 (got {planned})")
    if completed is not None and completed < 0:
        add("tasks_completed", f"tasks_completed {completed} is negative")
    if planned is not None and completed is not None and planned >= 1 and completed > planned:
        add("tasks_completed", f"tasks_completed {completed} is more than tasks_planned {planned}")


def check_publication(row: Row, add: Add, registry: Registry) -> None:
    """A publication limit: n units published, at most the units it covers (``covered_generation``: the
    year's 63 provinces until 2024, 34 units after; 'new_units' the 34 units of 2025 in a year of the 63);
    'all' is every one of them."""
    n, coverage, year = row["n"], row["coverage"], row["year"]
    if coverage is None or year is None:
        return
    if _new_units_of_the_34(row):
        add(
            "coverage",
            f"'new_units' is for a year of the 63 provinces (up to {MERGER_YEAR - 1}), when the 34 units of 2025 "
            f"were ranked apart; in {year} the 34 units are the year's provinces: 'all' or 'top_n'",
        )
        return
    units = len(registry.generation(covered_generation(coverage, year)))
    if n is None:
        return
    if n < 1 or n > units:
        add("n", f"n {n} is outside 1–{units} (the units of {coverage})")
    elif coverage in ("all", "new_units") and n != units:
        add("n", f"coverage '{coverage}' is all {units} units, not {n}; a partial list is 'top_n'")


def _new_units_of_the_34(row: Row) -> bool:
    """'new_units' in a year whose provinces are the 34 units already ('all' or 'top_n' there)."""
    return row["coverage"] == "new_units" and generation_for_year(row["year"]) == NEW


def publication_generations(rows: list[Row]) -> list[Problem]:
    """An error for each publication row about a generation an earlier row of its index and year is already
    about ('all' and 'top_n' of the same provinces): one row per generation."""
    seen: dict[tuple, Row] = {}
    problems = []
    for row in rows:
        if None in (row["index"], row["year"], row["coverage"]) or _new_units_of_the_34(row):
            continue  # an unreadable cell, or 'new_units' in a year of the 34, is already an error
        generation = covered_generation(row["coverage"], row["year"])
        first = seen.setdefault((row["index"], row["year"], generation), row)
        if first is not row and first["coverage"] != row["coverage"]:  # the same coverage twice: a duplicate key
            units = "provinces" if generation == OLD else "units"
            problems.append(
                Problem(
                    row["file"],
                    row["row"],
                    "coverage",
                    f"{row['index']} {row['year']}: {_where(first, row)} already says what was published of the "
                    f"{generation} {units} ('{first['coverage']}'); one row per generation: 'all' or 'top_n' for "
                    "the year's provinces, 'new_units' for the 34 units of 2025 in a year of the 63",
                )
            )
    return problems


ROW_CHECKS: dict[str, Callable[[Row, Add, Registry], None]] = {
    "indices": check_index,
    "means": check_mean,
    "targets": check_target,
    "tthc": check_tthc,
    "unit_rankings": check_unit_ranking,
    "plan_tasks": check_plan_tasks,
    "publication": check_publication,
}


def formula_texts(table: Table, rows: list[Row]) -> list[Problem]:
    """Errors for the text cells of rows that a spreadsheet would run as a formula (cells.runs_as_formula): an
    import never stores them, since data/ is opened in spreadsheets and exported."""
    names = [c.name for c in table.columns if c.kind in ("str", "url") and not c.choices]
    problems = []
    for row in rows:
        for name in names:
            text = row.get(name)
            if isinstance(text, str) and runs_as_formula(text):
                shown = text if len(text) <= 80 else text[:79] + "…"
                problems.append(
                    Problem(
                        row["file"],
                        row["row"],
                        name,
                        f"'{shown}' would run as a formula in a "
                        f"spreadsheet (it starts with '{text[0]}'): it is not stored; write the text "
                        f"without the leading '{text[0]}'",
                    )
                )
    return problems


def duplicate_keys(table: Table, rows: list[Row]) -> list[Problem]:
    """An error for each row whose key (table.key) repeats an earlier row's, naming both rows."""
    seen: dict[tuple, Row] = {}
    problems = []
    for row in rows:
        key = tuple(_key_part(row[c]) for c in table.key)
        if any(part is None for part in key):
            continue  # an unreadable key cell is already an error
        first = seen.setdefault(key, row)
        if first is not row:
            problems.append(
                Problem(
                    row["file"], row["row"], None, f"duplicate of {_where(first, row)}: same {', '.join(table.key)}"
                )
            )
    return problems


def _key_part(value: Any) -> Any:
    """A key cell compared without letter case or surrounding spaces."""
    return value.casefold() if isinstance(value, str) else value


def _where(row: Row, other: Row) -> str:
    """'row 5', or 'indices/par.csv row 5' when the row is in another file than ``other``."""
    return f"row {row['row']}" if row["file"] == other["file"] else f"{row['file']} row {row['row']}"


def index_groups(rows: list[Row]) -> dict[tuple, list[Row]]:
    """Index rows grouped by (index, year, province, component), in file order."""
    groups: dict[tuple, list[Row]] = {}
    for row in rows:
        groups.setdefault(tuple(row[c] for c in GROUP), []).append(row)
    return groups


def decimals(value: float) -> int:
    """Decimals a value is written with (72.1 -> 1, 70.0 -> 0), as 15 significant digits show it."""
    text = format(value, ".15g")
    return 0 if "e" in text or "." not in text else len(text.split(".")[1])


def places(row: Row, column: str = "score") -> int:
    """Decimals a row's figure was written with (trailing zeros counted: '55.40' -> 2)."""
    return row.get("_decimals", {}).get(column, decimals(row[column]))


def same_figure(a: float, b: float, a_places: int | None = None, b_places: int | None = None) -> bool:
    """Two printings of one figure: equal, or the more precise one rounded (half up) or cut to the other's
    decimals gives the other (45.7875 agrees with 45.79 and with 45.78, not with 45.77; 55.40 is two
    decimals and does not agree with 55.43)."""
    if a == b:
        return True
    (places_coarse, coarse), (places_fine, fine) = sorted(
        ((decimals(a) if a_places is None else a_places, a), (decimals(b) if b_places is None else b_places, b))
    )
    if places_coarse == places_fine:
        return False
    step, precise = Decimal(1).scaleb(-places_coarse), Decimal(format(fine, ".15g"))
    return Decimal(format(coarse, ".15g")) in (
        precise.quantize(step, ROUND_HALF_UP),
        precise.quantize(step, ROUND_DOWN),
    )


def rows_agree(a: Row, b: Row) -> bool:
    """True when two rows of a key say nothing against each other: every figure both give is the same
    (a score at two precisions agrees); a rank-only row and a score-only row are two facts, not a conflict.
    A 'not published' row agrees only with another one."""
    if (a.get("status") == NOT_PUBLISHED) != (b.get("status") == NOT_PUBLISHED):
        return False
    if _given(a["score"]) and _given(b["score"]):
        if a["unit"] != b["unit"] or not same_figure(a["score"], b["score"], places(a), places(b)):
            return False
        if _given(a["max_score"]) and _given(b["max_score"]) and a["max_score"] != b["max_score"]:
            return False
    if _given(a["rank"]) and _given(b["rank"]):
        if a["rank"] != b["rank"]:
            return False
        if _given(a["rank_of"]) and _given(b["rank_of"]) and a["rank_of"] != b["rank_of"]:
            return False
    return True


def _given(value: Any) -> bool:
    """A figure cell that holds a value (not None, not NaN, not pandas NA)."""
    try:
        return value is not None and not (value != value)
    except TypeError:  # pandas NA refuses a truth value
        return False


def disagree(group: list[Row]) -> bool:
    """True when some two rows of a group give different figures (see rows_agree)."""
    return any(not rows_agree(a, b) for i, a in enumerate(group) for b in group[i + 1 :])


def usable(group: list[Row]) -> list[Row]:
    """The rows of a group that can be used: not those whose own page contradicts them (status
    'contradicted'), which are kept beside the others but never compared, chosen or counted."""
    return [r for r in group if r.get("status") not in NEVER_USED]


def fullness(row: Row) -> tuple[int, int]:
    """How much a row says: (figures given, decimals of its score); the larger is preferred."""
    given = sum(_given(row[c]) for c in ("score", "rank"))
    return given, places(row) if _given(row["score"]) else -1


def conflicting_sources(rows: list[Row]) -> list[Problem]:
    """Errors for groups whose sources disagree without exactly one use=yes row with a reason (a 'disputed'
    row is already decided: not used, its reason given)."""
    problems = []
    for key, group in index_groups(rows).items():
        group = usable(group)
        used = [r for r in group if r["use"]]
        if len(group) < 2 or None in key or (len(used) < 2 and not disagree(group)):
            continue
        if len(used) != 1:
            listed = "; ".join(f"{_where(r, group[0])} ({_figures_text(r)})" for r in group)
            what = "several rows are marked use=yes" if used else "the sources give different figures"
            problems.append(
                Problem(
                    group[0]["file"],
                    group[0]["row"],
                    "use",
                    f"{what} for {key[0]} {key[1]} {key[2]} {key[3] or '(index)'}: {listed}; "
                    "mark exactly one row use=yes and give the reason",
                )
            )
        elif not used[0]["reason"]:
            problems.append(
                Problem(
                    used[0]["file"],
                    used[0]["row"],
                    "reason",
                    "use=yes without a reason: say why reports use this figure",
                )
            )
    return problems


def rank_of_disagreements(rows: list[Row], registry: Registry) -> list[Problem]:
    """Errors for index rows whose rank_of is not the number of units their index's table ranked that year
    (the year's rows of that index and generation: the number most of them give; for a lone row or an even
    split, the known number, schema.units_ranked). Rows never used (disputed, contradicted) keep what their
    source printed and are not compared."""
    groups: dict[tuple, list[Row]] = {}
    for row in usable(rows):
        if row["rank_of"] is not None and row["index"] and row["year"] is not None and row["province"] in registry:
            groups.setdefault((row["index"], row["year"], registry.get(row["province"]).generation), []).append(row)
    problems = []
    for (index, year, generation), group in groups.items():
        expected, how = _ranked(index, year, generation, group)
        units = "provinces" if generation == OLD else "new units"
        problems += [
            Problem(
                r["file"],
                r["row"],
                "rank_of",
                f"rank_of {r['rank_of']}, but {index} {year} ranked "
                f"{expected} {units} ({how}): write the number of {units} the publisher ranked that year",
            )
            for r in group
            if r["rank_of"] != expected and not (generation == NEW and r["rank_of"] == OLD)
        ]  # said of its province (validate)
    return problems


def ranks_against_scores(rows: list[Row]) -> list[Problem]:
    """Errors for rows of one publication's table (same index, year, component, unit, rank_of and source) whose
    rank does not follow the scores: ranked above a row with a higher score, or below one with a lower score.
    Scores that are one figure as printed (same_figure) may be ranked either way: the publisher broke the tie
    with decimals it did not print. Each such row is named, with the first row it disagrees with."""
    groups: dict[tuple, list[Row]] = {}
    for row in usable(rows):
        if _given(row["score"]) and _given(row["rank"]):
            key = tuple(row[c] for c in ("index", "year", "component", "unit", "rank_of", "source"))
            groups.setdefault(key, []).append(row)
    problems = []
    for group in groups.values():
        by_rank = sorted(group, key=lambda r: r["rank"])
        for row in group:
            other = next((o for o in by_rank if _inverted(row, o)), None)
            if other is not None:
                problems.append(
                    Problem(
                        row["file"],
                        row["row"],
                        "rank",
                        f"rank {row['rank']} does not follow the "
                        f"scores: {row['province']} scores {_printed(row)} and {other['province']} "
                        f"{_printed(other)} ({_where(other, row)}) is ranked {other['rank']}; "
                        "is the rank read against another list's province names?",
                    )
                )
    return problems


def _inverted(a: Row, b: Row) -> bool:
    """True when a is ranked below b with a higher score, or above b with a lower one."""
    if a["rank"] == b["rank"] or same_figure(a["score"], b["score"], places(a), places(b)):
        return False
    return (a["score"] > b["score"]) == (a["rank"] > b["rank"])


def _printed(row: Row) -> str:
    """A row's score with the decimals it was written with."""
    return f"{row['score']:.{places(row)}f}"


def _ranked(index: str, year: int, generation: int, group: list[Row]) -> tuple[int, str]:
    """The number of units an index's table ranked in a year, and how it is known: the number most of the year's
    rows give, or, for a lone row or rows split evenly, the known number (units_ranked; 34 for the new units)."""
    counts: dict[int, int] = {}
    for row in group:
        counts[row["rank_of"]] = counts.get(row["rank_of"], 0) + 1
    ordered = sorted(counts.items(), key=lambda item: -item[1])
    if len(group) > 1 and (len(ordered) == 1 or ordered[0][1] > ordered[1][1]):
        return ordered[0][0], f"as {ordered[0][1]} of the year's {len(group)} rows with rank_of give"
    known = units_ranked(index, year, generation)
    return (known, "data/README.md, rank_of") if known is not None else (NEW, "the 34 units formed on 1 July 2025")


def _figures_text(row: Row) -> str:
    """'score 86.26, rank 41/63' for a conflict message."""
    score = "—" if row["score"] is None else f"{row['score']:g}"
    rank = "—" if row["rank"] is None else f"{row['rank']}/{row['rank_of'] or '?'}"
    return f"score {score}, rank {rank}, source {row['source'] or '—'}"


MEAN_GROUP = ("index", "year", "scope", "component", "statistic")


def mean_groups(rows: list[Row]) -> dict[tuple, list[Row]]:
    """Means rows grouped by (index, year, scope, component, statistic), in file order."""
    groups: dict[tuple, list[Row]] = {}
    for row in rows:
        groups.setdefault(
            tuple(row.get(c) or (MEAN if c == "statistic" else row.get(c)) for c in MEAN_GROUP), []
        ).append(row)
    return groups


def conflicting_means(rows: list[Row]) -> list[Problem]:
    """Errors for a mean that two sources give differently (not the same figure at two precisions) without
    exactly one use=yes row with a reason."""
    problems = []
    for key, group in mean_groups(rows).items():
        if len(group) < 2 or None in key[:3]:
            continue
        used = [r for r in group if r["use"]]
        differ = any(
            not same_figure(a["score"], b["score"], places(a), places(b)) or a["unit"] != b["unit"]
            for i, a in enumerate(group)
            for b in group[i + 1 :]
            if _given(a["score"]) and _given(b["score"])
        )
        if len(used) > 1 or (differ and len(used) != 1):
            listed = "; ".join(f"{_where(r, group[0])} ({r['score']:g}, {r['source'] or '—'})" for r in group)
            what = "several rows are marked use=yes" if used else "the sources give different figures"
            problems.append(
                Problem(
                    group[0]["file"],
                    group[0]["row"],
                    "use",
                    f"{what} for the {key[4]} {key[0]} {key[1]} {key[2]}: {listed}; "
                    "mark exactly one row use=yes and give the reason",
                )
            )
        elif used and not used[0]["reason"]:
            problems.append(
                Problem(
                    used[0]["file"],
                    used[0]["row"],
                    "reason",
                    "use=yes without a reason: say why reports use this figure",
                )
            )
    return problems
