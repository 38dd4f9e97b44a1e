"""Numbers, dates and sentences for the reports, in Vietnamese or English.

Numbers, percentages and dates are formatted by Babel from the Unicode CLDR data of the report's
language: Vietnamese writes a decimal comma and a dot between thousands (86,26% ; 3.419 hồ sơ),
English the other way round (86.26% ; 3,419). Words come from the catalogue (``catalogue.text``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cache

import pandas as pd
from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.lists import format_list
from babel.numbers import parse_pattern

from ..catalogue import LOCALES, name_in, text


@cache
def _locale(lang: str) -> Locale:
    return Locale.parse(LOCALES[lang])


@cache
def _pattern(lang: str, decimals: int, percent: bool):
    """The locale's decimal or percent pattern with exactly ``decimals`` fraction digits."""
    base = (_locale(lang).percent_formats if percent else _locale(lang).decimal_formats)[None].pattern
    fraction = "." + "0" * decimals if decimals else ""
    integer = base.split(";")[0].split(".")[0].rstrip("%").rstrip("#")
    integer = integer if integer.endswith("0") else integer + "0"
    suffix = "%" if percent and base.endswith("%") else ""
    prefix = "%" if percent and base.startswith("%") else ""
    return parse_pattern(prefix + integer + fraction + suffix)


def _decimal(x) -> Decimal:
    # The exact binary value: rounds like Python's own formatting of a float (half-even, on the true value).
    return Decimal(float(x))


def is_missing(x) -> bool:
    """True for None, NaN and pandas' NA."""
    if x is None:
        return True
    try:
        return bool(pd.isna(x))
    except (TypeError, ValueError):
        return False


def fmt_number(x, lang: str = "vi", decimals: int = 2) -> str:
    """A number in the report's language; missing -> the 'no data' words.

    >>> fmt_number(86.26, "vi"), fmt_number(3419, "vi", 0), fmt_number(3419.5, "en")
    ('86,26', '3.419', '3,419.50')
    """
    if is_missing(x):
        return text("missing", lang)
    return _pattern(lang, decimals, False).apply(_decimal(x), _locale(lang))


def fmt_count(n, lang: str = "vi") -> str:
    """A whole number of dossiers: 3419 -> '3.419' (vi), '3,419' (en)."""
    return fmt_number(n, lang, 0)


def fmt_pct(rate, lang: str = "vi", decimals: int = 2) -> str:
    """A share given as 0-1 -> '97,29%' (vi), '97.29%' (en)."""
    if is_missing(rate):
        return text("missing", lang)
    return _pattern(lang, decimals, True).apply(_decimal(rate), _locale(lang))


def fmt_percent_points(value, lang: str = "vi", decimals: int = 2) -> str:
    """A figure already in percent (a PAR INDEX score of 86.26) -> '86,26%'."""
    if is_missing(value):
        return text("missing", lang)
    return _pattern(lang, decimals, True).apply(_decimal(value).scaleb(-2), _locale(lang))


def fmt_score(score, unit: str, lang: str = "vi") -> str:
    """A score in its unit: '86,26%', '8,17/10 điểm', '0,8002', '45,79/80 điểm'."""
    if is_missing(score):
        return text("missing", lang)
    if unit == "%":
        return fmt_percent_points(score, lang)
    if unit == "index 0-1":
        return fmt_number(score, lang, 4)
    if unit and unit.startswith("points/"):
        return text("points_of", lang, number=fmt_number(score, lang), scale=unit.split("/")[1])
    return text("points", lang, number=fmt_number(score, lang))


def fmt_list(items, lang: str = "vi") -> str:
    """Names listed as the language lists them: 'A, B và C' (vi), 'A, B and C' (en)."""
    items = [str(x) for x in items]
    return format_list(items, locale=_locale(lang)) if items else ""


def unit_scale(unit: str, lang: str = "vi") -> str:
    """A score's unit code (schema.UNITS) in words: 'points/80' -> 'thang 80' / 'out of 80'; '' if none."""
    return text(f"unit_scale.{unit}", lang) if unit else ""


def fmt_rank(rank, rank_of, lang: str = "vi", tied: bool = False, rank_high=None) -> str:
    """'41/63'; a published rank two provinces hold '=16/63'; the places a computed rank spans when equal
    printed scores share them ('31–32/63', ``rank_high`` the worst place); missing -> the 'no data' words."""
    if is_missing(rank):
        return text("missing", lang)
    places = str(int(rank))
    if not is_missing(rank_high) and int(rank_high) != int(rank):
        places = f"{int(rank)}–{int(rank_high)}"
    shown = f"{places}/{int(rank_of)}" if not is_missing(rank_of) else places
    return "=" + shown if tied else shown


def rank_text(row, lang: str = "vi") -> str:
    """``fmt_rank`` of a figure's row (a mapping with rank, rank_of and, when known, tied and rank_high)."""
    get = row.get if hasattr(row, "get") else (lambda k, d=None: getattr(row, k, d))
    tied = get("tied", False)
    return fmt_rank(get("rank"), get("rank_of"), lang, not is_missing(tied) and bool(tied), get("rank_high"))


def fmt_date(date, lang: str = "vi") -> str:
    """A day in the language's numeric order, with the full year: '4/11/2022' (vi), '04/11/2022' (en)."""
    if is_missing(date):
        return text("missing", lang)
    day = pd.Timestamp(date).date() if not isinstance(date, dt.date) else date
    return format_skeleton("yMd", day, locale=_locale(lang))


def fmt_day(date, lang: str = "vi") -> str:
    """A day as a sentence writes it: '6/12/2026' (vi), '6 December 2026' (en)."""
    if lang == "vi" or is_missing(date):
        return fmt_date(date, lang)
    day = pd.Timestamp(date).date() if not isinstance(date, dt.date) else date
    return format_date(day, "long", locale=_locale(lang))


def year_runs(years) -> list[tuple[int, int]]:
    """Consecutive years as (first, last) runs: [2011, 2012, 2013, 2015] -> [(2011, 2013), (2015, 2015)]."""
    runs: list[list[int]] = []
    for y in sorted(int(y) for y in years):
        if runs and y == runs[-1][1] + 1:
            runs[-1][1] = y
        else:
            runs.append([y, y])
    return [(a, b) for a, b in runs]


def _years_counted(counts: dict[int, int], lang: str) -> str:
    """The years and how many provinces each counted, compactly: {2011: 63, 2012: 63, 2013: 63, 2015: 63,
    2021: 60} -> 'năm 2011–2013, 2015 (63 tỉnh), 2021 (60 tỉnh)' / 'in 2011–2013, 2015 (63 provinces), 2021 (60 …)'."""
    groups: list[tuple[int, list[int]]] = []  # (n, years) in the order of the years, one per run of equal n
    for y, n in sorted(counts.items()):
        if groups and groups[-1][0] == n:
            groups[-1][1].append(y)
        else:
            groups.append((n, [y]))
    listed = ", ".join(
        text("year_count", lang, year=", ".join(str(a) if a == b else f"{a}–{b}" for a, b in year_runs(ys)), n=n)
        for n, ys in groups
    )
    return text("years_counted", lang, years=listed)


def computed_rank_method(counts: dict[int, int], lang: str = "vi", again: bool = False) -> str:
    """The one line that says how computed ranks were made; ``counts``: provinces ranked, by year.
    ``again``: the method was said above, only the years are given."""
    return text("computed_rank_again" if again else "computed_rank_method", lang, years=_years_counted(counts, lang))


def computed_mean_method(counts: dict[int, int], lang: str = "vi", again: bool = False) -> str:
    """The one line that says how computed means were made; ``counts``: provinces averaged, by year.
    ``again``: the method was said above, only the years are given."""
    return text("computed_mean_again" if again else "computed_mean_method", lang, years=_years_counted(counts, lang))


def mean_replaced_text(row, lang: str = "vi") -> str:
    """Why a computed mean stands where a published figure was (``all_means`` row with ``published_verdict``
    'median' or 'disagrees'): which figure is used and why, once, in plain words; '' for any other row."""
    verdict = row.get("published_verdict")
    if is_missing(verdict) or verdict not in ("median", "disagrees"):
        return ""
    scope = row["scope"]
    scope_text = (
        text("mean_scope.national", lang)
        if scope == "national"
        else text("mean_scope.region", lang, region=name_in("region_name", scope, lang))
    )
    published = float(row["published_score"])
    places = len(repr(published).split(".")[1].rstrip("0")) if "." in repr(published) else 0
    return text(
        f"mean_replaced.{verdict}",
        lang,
        scope=scope_text,
        index=text(f"index.{row['index']}", lang),
        year=int(row["year"]),
        mean=fmt_score(row["score"], row["unit"], lang),
        n=int(row["n"]),
        published=fmt_number(published, lang, places),
    )


def computed_rank_note(year: int, n: int, lang: str = "vi") -> str:
    """The headline's note on a computed rank."""
    return text("computed_rank_note", lang, year=year, n=n)


def partial_table_text(index: str, year: int, cov: dict, lang: str = "vi") -> str:
    """What a partial table covers, said where a published rank or mean is shown beside it: out of the provinces
    of its generation, or of those the publisher ranked when they were more (PCI 2006-2008: 64, the data 63)."""
    return text(
        "partial_table",
        lang,
        name=text(f"index.{index}", lang),
        year=year,
        units=max(cov["units"], cov["expected"]),
        scored=cov["scored"],
        ranked=cov["ranked"],
    )


def break_warning_text(index: str, year: int, lang: str = "vi") -> str:
    """The warning on comparing across a method change: 'Thay đổi phương pháp năm 2022: … cần thận trọng.'"""
    return text("break_warning", lang, year=year, why=text(f"break.{index}.{year}", lang))


def rank_change_text(delta, lang: str = "vi") -> str:
    """Places gained (+) or lost (-): 'tăng 10 bậc', 'giảm 3 bậc', 'giữ nguyên thứ hạng'."""
    if is_missing(delta):
        return ""
    delta = int(delta)
    if delta == 0:
        return text("rank_same", lang)
    key = "rank_up" if delta > 0 else "rank_down"
    return text(key + "_one", lang) if abs(delta) == 1 else text(key, lang, n=abs(delta))


def score_change_text(delta, unit: str, lang: str = "vi") -> str:
    """'tăng 4,21 điểm', 'giảm 0,0125', 'không đổi'."""
    if is_missing(delta):
        return ""
    decimals = 4 if unit == "index 0-1" else 2
    if round(delta, decimals) == 0:
        return text("score_same", lang)
    amount = fmt_number(abs(delta), lang, decimals)
    if unit != "index 0-1":
        amount = text("points", lang, number=amount)
    return text("score_up" if delta > 0 else "score_down", lang, amount=amount)


def headline_sentence(
    index: str,
    year: int,
    score,
    unit: str,
    rank,
    rank_of,
    prev_year,
    score_delta,
    rank_delta,
    lang: str = "vi",
    tied: bool = False,
    rank_high=None,
) -> str:
    """'Chỉ số CCHC năm 2021 đạt 86,26%, tăng 4,21 điểm so với năm 2020; xếp thứ 41/63, tăng 10 bậc.'"""
    first = text("headline.title", lang, name=text(f"index_short.{index}", lang), year=year)
    if not is_missing(score):
        first = text("headline.level", lang, title=first, score=fmt_score(score, unit, lang))
        if not is_missing(score_delta):
            first = text(
                "headline.change", lang, level=first, change=score_change_text(score_delta, unit, lang), prev=prev_year
            )
    parts = [first]
    if not is_missing(rank):
        second = text("headline.rank", lang, rank=fmt_rank(rank, rank_of, lang, tied, rank_high))
        if not is_missing(rank_delta):
            key = "headline.rank_change_since" if is_missing(score_delta) else "headline.rank_change"
            second = text(key, lang, rank=second, change=rank_change_text(rank_delta, lang), prev=prev_year)
        parts.append(second)
    if is_missing(score) and len(parts) == 2:  # a rank alone: one clause ('Chỉ số DTI năm 2021 xếp thứ 41/63')
        return text("headline.rank_only", lang, title=parts[0], rank=parts[1]) + "."
    return "; ".join(parts) + "."
