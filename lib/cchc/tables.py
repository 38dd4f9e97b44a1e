"""HTML tables for reports and safe CSV/XLSX tables for download.

Every cell is escaped: text from data files is shown, never run. Missing cells read "chưa có số liệu".
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd

from .narrative import MISSING, esc, is_missing

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def html_table(df: pd.DataFrame, columns: dict[str, str], lang: str, caption: str = "",
               formatters: dict[str, Callable] | None = None, numeric: Sequence[str] = ()) -> str:
    """A plain, escaped HTML table: ``columns`` maps DataFrame columns to header labels."""
    formatters = formatters or {}
    head = "".join(f'<th{_cls(c, numeric)}>{esc(label)}</th>' for c, label in columns.items())
    body = []
    for _, row in df.iterrows():
        cells = []
        for c in columns:
            v = row.get(c)
            if c in formatters:
                text = formatters[c](row)
                cell = text if isinstance(text, Safe) else esc(text)
            elif is_missing(v):
                cell = f'<span class="missing">{MISSING[lang]}</span>'
            else:
                cell = esc(v)
            cells.append(f"<td{_cls(c, numeric)}>{cell}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return (f'<div class="table-wrap"><table>{cap}<thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table></div>')


class Safe(str):
    """HTML built by the suite itself from escaped parts (e.g. a link or a status badge)."""


def link(url: str, text: str | None = None) -> Safe:
    """A link to a source; only http(s) URLs become links, anything else is plain text."""
    if isinstance(url, str) and url.startswith(("http://", "https://")):
        return Safe(f'<a href="{esc(url)}" rel="noreferrer">{esc(text or url)}</a>')
    return Safe(esc(url))


def _cls(column: str, numeric: Sequence[str]) -> str:
    return ' class="num"' if column in numeric else ""


def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """Text cells that a spreadsheet would run as a formula get a leading apostrophe."""
    def fix(v):
        return "'" + v if isinstance(v, str) and v.startswith(FORMULA_PREFIXES) else v

    return df.map(fix)


def to_safe_csv(df: pd.DataFrame, path) -> None:
    neutralise_formulas(df).to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
