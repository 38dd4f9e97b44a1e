"""The sums a TTHC (administrative-procedure) record should satisfy; one place for the rule.

Used by validation (warnings on load) and by the report (the discrepancy shown to readers).
"""

from __future__ import annotations


def _given(value) -> bool:
    """A count is given unless it is None, NaN or pandas' NA (no pandas import needed)."""
    try:
        return value is not None and bool(value == value)
    except TypeError:
        return False


# Sums a TTHC record should satisfy: (left-hand counts, right-hand count, relation).
TTHC_IDENTITIES = (
    (("carried_over", "received_new"), "received_total", "=="),
    (("resolved_early_ontime", "resolved_late"), "resolved_total", "=="),
    (("pending_within", "pending_overdue"), "pending_total", "=="),
    (("resolved_total", "pending_total", "returned_withdrawn"), "received_total", "=="),
    (("received_online_full", "received_online_partial"), "received_new", "<="),
)


def tthc_discrepancies(row) -> list[dict]:
    """Reported totals that do not add up: parts, their sum, the total and the difference. Not fixed."""
    found = []
    for parts, total, rel in TTHC_IDENTITIES:
        present = [p for p in parts if _given(row.get(p))]
        needed = [p for p in parts if p != "returned_withdrawn"]
        if not all(p in present for p in needed) or not _given(row.get(total)):
            continue
        s = sum(int(row[p]) for p in present)
        t = int(row[total])
        bad = s != t if rel == "==" else s > t
        if bad:
            found.append({"parts": present, "sum": s, "total_column": total, "total": t, "difference": t - s})
    return found
