"""Read one text cell of a data file into a typed value, the way an analyst meant it.

Each parser returns ``(value, warning)``: ``value`` is None for an empty cell and ``warning`` is a
plain-words note when the text was accepted but normalised (the file itself is never changed).
A cell that cannot be read raises CellError, whose message says what is wrong.

Decisions (Vietnamese spreadsheets):
- a decimal comma ("86,26") is read as 86.26, with a warning naming the cell;
- thousands separators in whole numbers ("3.419", "3,419", "3 419") are read as 3419, with a warning;
- a percent sign ("92%") is dropped with a warning (validate checks that the unit is "%");
- dates are YYYY-MM-DD; dd/mm/yyyy (Vietnamese order) is read with a warning;
- a dash or "n/a" is not a number: leave a missing figure empty;
- text a spreadsheet would run as a formula ('=…', or '+', '-', '@' followed by more than a number) is
  never stored by an import (``runs_as_formula``).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

TRUE_WORDS = ("yes", "y", "true", "1", "x", "có", "co")
FALSE_WORDS = ("no", "n", "false", "0", "không", "khong")
_THOUSANDS = re.compile(r"^-?\d{1,3}([.,\u00a0 ])\d{3}(\1\d{3})*$")
_DECIMAL_COMMA = re.compile(r"^-?\d+,\d+$")
_DOT_THOUSANDS_COMMA_DECIMAL = re.compile(r"^-?\d{1,3}(\.\d{3})+,\d+$")
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


class CellError(ValueError):
    """A cell that cannot be read; the message says why in plain words."""


def clean_text(text: str | None) -> str:
    """Stripped, Unicode NFC text ('' for None)."""
    return unicodedata.normalize("NFC", text or "").strip()


def parse_float(text: str) -> tuple[float | None, str | None]:
    """A decimal number; accepts a decimal comma and a trailing percent sign, with a warning."""
    text = text.strip()
    if not text:
        return None, None
    try:
        return _finite(float(text), text), None
    except ValueError:
        pass
    notes = []
    body = text
    if body.endswith("%"):
        body = body[:-1].strip()
        notes.append("percent sign dropped")
    body = body.replace("\u00a0", "").replace(" ", "") if re.search(r"\d[\u00a0 ]\d", body) else body
    if _DOT_THOUSANDS_COMMA_DECIMAL.match(body):
        body = body.replace(".", "").replace(",", ".")
        notes.append("decimal comma and thousands dots")
    elif _DECIMAL_COMMA.match(body):
        body = body.replace(",", ".")
        notes.append("decimal comma")
    try:
        value = _finite(float(body), text)
    except ValueError:
        raise CellError(
            f"'{text}' is not a number (write digits with a decimal point, e.g. 86.26; "
            "leave the cell empty when the figure is missing)"
        ) from None
    return value, (f"{', '.join(notes)}: '{text}' read as {value:g}" if notes else None)


def runs_as_formula(text: str) -> bool:
    """True for text a spreadsheet would run as a formula when it is typed in or opened from a CSV file: '=…',
    and '+', '-' or '@' followed by more than a number ('-5' and '+3,5' are numbers, '-' alone is a dash)."""
    text = text.strip()
    if not text or text[0] not in "=+-@":
        return False
    rest = text[1:].strip()
    if not rest:
        return text == "="
    try:
        parse_float(rest)
    except CellError:
        return True
    return text[0] == "="


def decimal_places(text: str) -> int:
    """Digits printed after the decimal point or comma: '72.10' -> 2, '86,26%' -> 2, '63' -> 0."""
    match = re.search(r"[.,](\d+)\s*%?$", text.strip())
    return len(match.group(1)) if match else 0


def _finite(value: float, text: str) -> float:
    """The value itself unless it is NaN or infinite (which no data file should hold)."""
    if value != value or value in (float("inf"), float("-inf")):
        raise CellError(f"'{text}' is not a number (leave the cell empty when the figure is missing)")
    return value


def parse_int(text: str) -> tuple[int | None, str | None]:
    """A whole number; accepts thousands separators ('3.419' -> 3419) with a warning."""
    text = text.strip()
    if not text:
        return None, None
    try:
        return int(text), None
    except ValueError:
        pass
    if _THOUSANDS.match(text):
        value = int(re.sub(r"[.,\u00a0 ]", "", text))
        return value, f"thousands separator: '{text}' read as {value}"
    try:
        number = float(text)
    except ValueError:
        raise CellError(f"'{text}' is not a whole number") from None
    if not number.is_integer():
        raise CellError(f"'{text}' is not a whole number")
    return int(number), None


def parse_year(text: str, low: int, high: int) -> tuple[int | None, str | None]:
    """A year between low and high."""
    try:
        value, note = parse_int(text)
    except CellError:
        raise CellError(f"'{text.strip()}' is not a year: write it with four digits, e.g. 2021") from None
    if value is None:
        return None, None
    if note or not low <= value <= high:
        raise CellError(f"year '{text.strip()}' is outside {low}–{high}")
    return value, None


def parse_date(text: str) -> tuple[dt.date | None, str | None]:
    """A date written YYYY-MM-DD (dd/mm/yyyy accepted with a warning)."""
    text = text.strip()
    if not text:
        return None, None
    try:
        return dt.date.fromisoformat(text[:10] if re.match(r"^\d{4}-\d\d-\d\dT?[\d:. ]*$", text) else text), None
    except ValueError:
        pass
    m = _DMY.match(text)
    if m:
        try:
            value = dt.date(int(m[3]), int(m[2]), int(m[1]))
        except ValueError:
            raise CellError(f"'{text}' is not a valid date") from None
        return value, f"date written dd/mm/yyyy: '{text}' read as {value.isoformat()}"
    raise CellError(f"'{text}' is not a date: write YYYY-MM-DD, e.g. 2022-11-04")


def parse_bool(text: str) -> tuple[bool, str | None]:
    """yes/no (also true/false, 1/0, có/không, x); empty means no."""
    word = text.strip().lower()
    if word in TRUE_WORDS:
        return True, None
    if not word or word in FALSE_WORDS:
        return False, None
    raise CellError(f"'{text.strip()}' is not yes or no (write yes, or leave the cell empty)")
