"""What an import of index rows does, decided row by row before anything is written.

Rules (data/README.md "Import rules"):
- a row whose key (index, year, province, component, source) is already in data/ with the same figures
  is *unchanged*: importing the same file twice changes nothing;
- the same source giving a figure the existing row lacks (a rank beside its score) *fills* that cell;
  the same source giving a different figure is an error (an import never replaces);
- a row from another source that agrees with every row of its key is *added* (a rank-only and a
  score-only row are two facts; 45.78 and 45.7875 are one figure at two precisions: the note says so,
  and the more precise is the one reports use);
- a row that disagrees with a row already there is *flagged*. It is added when it sides with the row
  marked use=yes; otherwise the file-wide policy decides: ``publisher`` (the imported table is the
  publisher's own: its row becomes use=yes, the others keep their rows and lose the mark) or
  ``existing`` (the figure already used stays used, marked use=yes). Without a policy each flagged
  row is an error listing the figures side by side, and nothing is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import Problem
from .checks import fullness, places, rows_agree, same_figure, usable
from .schema import CONTRADICTED
from .validate import Row

POLICIES = ("publisher", "existing", "rule")
RULE = "written rule (data/README.md, Disputed figures)"
TRANSLATION = re.compile(r"://(en|english|cn|es|fr|ja)\.|\.[a-z]+/(en|ja|ru|nl|cn|es|fr|bn)/")
FILL = (("score", "unit", "max_score"), ("rank", "rank_of"))


@dataclass
class Plan:
    """The outcome per imported row, and the changes to rows already in data/ ((file, row) -> cells)."""

    added: list[Row] = field(default_factory=list)
    unchanged: list[Row] = field(default_factory=list)
    merged: list[tuple[Row, str]] = field(default_factory=list)  # added or filled beside agreeing rows
    flagged: list[tuple[Row, str]] = field(default_factory=list)  # disagreements, and what was done
    edits: dict[tuple[str, int], dict[str, object]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def plan_import(new_rows: list[Row], old_rows: list[Row], prefer: str | None = None) -> Plan:
    """Decide what happens to each new index row given the rows already in data/ (see module docstring)."""
    plan = Plan()
    groups: dict[tuple, list[Row]] = {}
    for row in old_rows:
        groups.setdefault(_group(row), []).append(row)
    for row in new_rows:
        if None in _group(row):
            plan.added.append(row)  # an unreadable key cell: already an error from the row checks
            continue
        group = groups.setdefault(_group(row), [])
        same = next((old for old in group if _source(old) == _source(row)), None)
        if same is not None:
            _same_source(plan, row, same)
            continue
        # Rows of this file are compared with each other too under the rule (pages of one file may disagree).
        others = usable([old for old in group if prefer == "rule" or not old.get("_new")])
        if row.get("status") == CONTRADICTED:  # never used, so never in conflict: kept beside the others
            others = []
        against = [old for old in others if not rows_agree(row, old)]
        if not against:
            note = _precision_note(row, others)
            if note:
                row["note"] = f"{row['note']}; {note}" if row["note"] else note
                plan.merged.append((row, note))
            plan.added.append(row)
        else:
            _disagreement(plan, row, group, against, prefer)
        row["_new"] = True
        group.append(row)
    return plan


def _group(row: Row) -> tuple:
    return tuple(row[c] for c in ("index", "year", "province", "component"))


def _source(row: Row) -> str:
    """What identifies a source: the page, when the citation names one (a URL with a path: the same page
    cited as 'https://…' or as 'Bộ Nội vụ, "…", via https://…' is one source), else the citation."""
    text = (row["source"] or "").strip()
    page = re.search(r"https?://([^\s/]+)(/[^\s]*[^\s/.,;)])", text)
    if page:
        return f"{page.group(1).lower().removeprefix('www.')}{page.group(2)}"
    return text.casefold()


def _same_source(plan: Plan, row: Row, old: Row) -> None:
    """A row whose key is already in data/: unchanged, a filled-in figure, or an error."""
    if not rows_agree(row, old):
        plan.problems.append(
            Problem(
                row["file"],
                row["row"],
                None,
                f"data/ already has this figure from the same "
                f"source with other figures: {_figures(old)} in {old['file']} row {old['row']}, "
                f"this file gives {_figures(row)}; an import never replaces a figure",
            )
        )
        return
    cells: dict[str, object] = {}
    for names in FILL:
        if row[names[0]] is not None and old[names[0]] is None:
            cells |= {name: row[name] for name in names}
    if not cells:
        plan.unchanged.append(row)
        return
    what = " and ".join(n for n in ("score", "rank") if n in cells)
    cells["note"] = _joined(old["note"], f"{what} added by a later import of the same source")
    plan.edits.setdefault((old["file"], old["row"]), {}).update(cells)
    old.update(cells)
    plan.merged.append((row, f"{what} filled into {old['file']} row {old['row']} (same source)"))


def _precision_note(row: Row, others: list[Row]) -> str:
    """'agrees with 45.78 (source) at 2 decimals; the more precise … is used' when the precisions differ."""
    notes = []
    for old in others:
        if row["score"] is None or old["score"] is None or places(row) == places(old):
            continue
        if same_figure(row["score"], old["score"], places(row), places(old)):
            fine = row if places(row) > places(old) else old
            used = (
                "this more precise figure is used"
                if fine is row
                else f"the more precise {_num(old)} ({old['file']} row {old['row']}) is used"
            )
            notes.append(f"agrees with {_num(old)} from {old['source']} (printed to {places(old)} decimals); {used}")
    return "; ".join(notes)


def _disagreement(plan: Plan, row: Row, group: list[Row], against: list[Row], prefer: str | None) -> None:
    """A new row whose figures differ from a row already there: side with use=yes, apply the policy, or error."""
    group = usable(group)
    used = [old for old in group if old["use"]]
    side = "; ".join(f"{_figures(old)} ({old['source']}, {old['file']} row {old['row']})" for old in against)
    what = (
        f"{row['index']} {row['year']} {row['province']} {row['component'] or '(index)'}: this file gives "
        f"{_figures(row)}; data/ has {side}"
    )
    if len(used) == 1 and rows_agree(row, used[0]):
        plan.flagged.append((row, f"{what} — added; it agrees with the figure already used (use=yes)"))
        plan.added.append(row)
    elif prefer == "publisher":
        for old in used:
            cells = {
                "use": False,
                "reason": "",
                "note": _joined(old["note"], f"was used ({old['reason']}) until the publisher's table was imported"),
            }
            plan.edits.setdefault((old["file"], old["row"]), {}).update(cells)
            old.update(cells)
        row["use"], row["reason"] = True, "the publisher's own table (import policy: prefer publisher)"
        plan.flagged.append((row, f"{what} — added and used (policy: prefer publisher)"))
        plan.added.append(row)
    elif prefer == "existing":
        if not used:
            keep = max((old for old in group if not old.get("_new")), key=fullness)
            cells = {
                "use": True,
                "reason": f"kept over {_figures(row)} from {row['source']} (import policy: prefer existing)",
            }
            plan.edits.setdefault((keep["file"], keep["row"]), {}).update(cells)
            keep.update(cells)
        plan.flagged.append((row, f"{what} — added, not used (policy: prefer existing)"))
        plan.added.append(row)
    elif prefer == "rule":
        _by_rule(plan, row, group, used, what)
    else:
        plan.flagged.append((row, what))
        plan.problems.append(
            Problem(
                row["file"],
                row["row"],
                None,
                f"the sources give different figures for {what}; "
                "choose for the whole file with --prefer publisher or --prefer existing, "
                "or mark one row use=yes by hand",
            )
        )


def rule_order(row: Row) -> tuple:
    """The written order of data/README.md ("Disputed figures") for sources of equal standing: the row
    giving both score and rank, then more decimals, then the Vietnamese original over a translation page."""
    return (*fullness(row), not TRANSLATION.search(row["source"] or ""))


def _by_rule(plan: Plan, row: Row, group: list[Row], used: list[Row], what: str) -> None:
    """Policy 'rule': a figure already used stays used (a person chose it, with a reason); otherwise the row
    first in ``rule_order`` is used and its reason says why, naming the figures it was preferred to."""
    plan.added.append(row)
    row["_new"] = True
    if [r for r in used if not r["reason"].startswith(RULE)]:
        plan.flagged.append((row, f"{what} — added, not used (the figure already used stays used)"))
        return
    rows = group + [row]
    for earlier in used:  # chosen by the rule before this row came: chosen again among all
        _set(plan, earlier, {"use": False, "reason": ""})
    pick = max(rows, key=rule_order)
    others = "; ".join(f"{_figures(r)} ({r['source']})" for r in rows if r is not pick and not rows_agree(r, pick))
    why = [
        w
        for w, test in (
            ("gives score and rank", fullness(pick)[0] == 2),
            ("more decimals", fullness(pick)[1] > min(fullness(r)[1] for r in rows)),
            ("the Vietnamese original", rule_order(pick)[2]),
        )
        if test
    ]
    _set(plan, pick, {"use": True, "reason": f"{RULE}: {', '.join(why)}; preferred to {others}"})
    plan.flagged.append((row, f"{what} — added; {_figures(pick)} ({pick['source']}) used by the written rule"))


def _set(plan: Plan, row: Row, cells: dict[str, object]) -> None:
    """Change cells of a row: a row of this import directly, a row already in data/ as an edit."""
    if not row.get("_new"):
        plan.edits.setdefault((row["file"], row["row"]), {}).update(cells)
    row.update(cells)


def _figures(row: Row) -> str:
    """'score 48.8114 points/80, rank 3/63' or 'not published'."""
    if row.get("status"):
        return row["status"]
    parts = []
    if row["score"] is not None:
        parts.append(f"score {_num(row)} {row['unit'] or ''}".rstrip())
    if row["rank"] is not None:
        parts.append(f"rank {row['rank']}/{row['rank_of'] or '?'}")
    return ", ".join(parts) or "no figure"


def _joined(note: str, extra: str) -> str:
    return f"{note}; {extra}" if note else extra


def _num(row: Row) -> str:
    """A row's score as written (45.7875, 70, 72.10)."""
    return f"{row['score']:.{places(row)}f}"
