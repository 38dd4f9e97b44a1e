"""Words and number formats for the reports, in Vietnamese and English. One place for each label.

Vietnamese writes a decimal comma and a dot between thousands: 86,26% ; 3.419 hồ sơ.
"""
from __future__ import annotations

import html

import pandas as pd

MISSING = {"vi": "chưa có số liệu", "en": "no data"}

INDEX_NAMES = {
    "PAR": {"vi": "Chỉ số CCHC (PAR INDEX)", "en": "PAR INDEX"},
    "SIPAS": {"vi": "Chỉ số hài lòng SIPAS", "en": "SIPAS satisfaction index"},
    "PAPI": {"vi": "Chỉ số PAPI", "en": "PAPI"},
    "PCI": {"vi": "Chỉ số năng lực cạnh tranh PCI", "en": "PCI competitiveness index"},
    "DTI": {"vi": "Chỉ số chuyển đổi số DTI", "en": "DTI digital transformation index"},
}

LABELS = {
    "report_title": {"vi": "Báo cáo tiến độ cải cách hành chính", "en": "Administrative reform progress report"},
    "year": {"vi": "Năm", "en": "Year"},
    "index": {"vi": "Chỉ số", "en": "Index"},
    "score": {"vi": "Điểm", "en": "Score"},
    "rank": {"vi": "Thứ hạng", "en": "Rank"},
    "change": {"vi": "Thay đổi", "en": "Change"},
    "source": {"vi": "Nguồn", "en": "Source"},
    "note": {"vi": "Ghi chú", "en": "Note"},
    "national_mean": {"vi": "Trung bình cả nước", "en": "National mean"},
    "regional_mean": {"vi": "Trung bình vùng", "en": "Regional mean"},
    "component": {"vi": "Lĩnh vực", "en": "Area"},
    "max_score": {"vi": "Điểm tối đa", "en": "Maximum"},
    "share_of_max": {"vi": "Tỷ lệ đạt", "en": "Share of maximum"},
    "target": {"vi": "Mục tiêu", "en": "Target"},
    "document": {"vi": "Văn bản", "en": "Document"},
    "deadline": {"vi": "Thời hạn", "en": "Deadline"},
    "latest": {"vi": "Giá trị mới nhất", "en": "Latest value"},
    "status": {"vi": "Đánh giá", "en": "Status"},
    "unit": {"vi": "Đơn vị", "en": "Unit"},
    "agency": {"vi": "Cơ quan", "en": "Agency"},
    "period": {"vi": "Kỳ báo cáo", "en": "Period"},
    "derived": {"vi": "suy ra từ mức thay đổi được công bố", "en": "derived from a published change"},
    "rank_computed": {"vi": "thứ hạng tính từ bảng điểm đầy đủ", "en": "rank computed from the complete table"},
    "computed": {"vi": "tính", "en": "computed"},
    "province": {"vi": "Tỉnh, thành phố", "en": "Province"},
    "predecessor": {"vi": "Tỉnh cũ", "en": "Former province"},
    "what": {"vi": "Nội dung", "en": "Item"},
    "value": {"vi": "Giá trị", "en": "Value"},
    "group": {"vi": "Nhóm", "en": "Group"},
    "level": {"vi": "Cấp", "en": "Level"},
}

STATUS = {
    "met": {"vi": "Đã đạt", "en": "Met"},
    "on_track": {"vi": "Đúng hướng", "en": "On track"},
    "off_track": {"vi": "Chưa đạt", "en": "Off track"},
    "no_data": {"vi": "Chưa có số liệu", "en": "No data"},
}


def label(key: str, lang: str) -> str:
    return LABELS[key][lang]


def index_name(index: str, lang: str) -> str:
    return INDEX_NAMES[index][lang]


def is_missing(x) -> bool:
    if x is None:
        return True
    try:
        return bool(pd.isna(x))
    except (TypeError, ValueError):
        return False


def fmt_number(x, lang: str = "vi", decimals: int = 2) -> str:
    """86.26 -> '86,26' (vi) or '86.26' (en); 3419 -> '3.419' (vi) or '3,419' (en); missing -> label."""
    if is_missing(x):
        return MISSING[lang]
    text = f"{float(x):,.{decimals}f}"
    if lang == "vi":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def fmt_count(n, lang: str = "vi") -> str:
    return fmt_number(n, lang, 0)


def fmt_score(score, unit: str, lang: str = "vi") -> str:
    """A score in its unit: '86,26%', '8,17/10 điểm', '0,8002', '45,79/80 điểm'."""
    if is_missing(score):
        return MISSING[lang]
    if unit == "%":
        return fmt_number(score, lang) + "%"
    if unit == "index 0-1":
        return fmt_number(score, lang, 4)
    if unit and unit.startswith("points/"):
        word = "điểm" if lang == "vi" else "points"
        return f"{fmt_number(score, lang)}/{unit.split('/')[1]} {word}"
    word = "điểm" if lang == "vi" else "points"
    return f"{fmt_number(score, lang)} {word}"


def fmt_pct(rate, lang: str = "vi", decimals: int = 2) -> str:
    """A share given as 0-1 -> '97,29%'."""
    return MISSING[lang] if is_missing(rate) else fmt_number(100 * rate, lang, decimals) + "%"


def fmt_rank(rank, rank_of, lang: str = "vi", tied: bool = False) -> str:
    """'41/63'; a rank shared with another province '=16/63'; missing -> label."""
    if is_missing(rank):
        return MISSING[lang]
    text = f"{int(rank)}/{int(rank_of)}" if not is_missing(rank_of) else str(int(rank))
    return "=" + text if tied else text


def _years_counted(counts: dict[int, int], lang: str) -> str:
    """{2021: 60, 2023: 61} -> 'năm 2021 (60 tỉnh), 2023 (61 tỉnh)' / 'in 2021 (60 provinces), 2023 (61 …)'."""
    word = "tỉnh" if lang == "vi" else "provinces"
    listed = ", ".join(f"{y} ({n} {word})" for y, n in sorted(counts.items()))
    return ("năm " if lang == "vi" else "in ") + listed


def computed_rank_method(counts: dict[int, int], lang: str = "vi") -> str:
    """The one line that says how computed ranks were made; ``counts``: provinces ranked, by year."""
    years = _years_counted(counts, lang)
    if lang == "vi":
        return (f"Thứ hạng ghi “tính” được tính từ bảng điểm đầy đủ của các tỉnh được xếp hạng {years}, không "
                "phải thứ hạng công bố: xếp theo điểm ở độ chính xác được công bố, các tỉnh bằng điểm cùng hạng "
                "(ghi “=”).")
    return (f"Ranks marked “computed” come from the complete table of the provinces ranked {years}, not from a "
            "published ranking: ordered by score at the published precision; equal scores share a rank (shown “=”).")


def computed_mean_method(counts: dict[int, int], lang: str = "vi") -> str:
    """The one line that says how computed means were made; ``counts``: provinces averaged, by year."""
    years = _years_counted(counts, lang)
    if lang == "vi":
        return (f"Điểm trung bình ghi “tính” là trung bình cộng điểm của các tỉnh được xếp hạng {years}, vùng "
                "theo danh mục tỉnh; tính từ bảng điểm đầy đủ, không phải số công bố.")
    return (f"Means marked “computed” are the simple average of the provinces ranked {years}, regions as in the "
            "province registry; computed from the complete table, not published figures.")


def computed_rank_note(year: int, n: int, lang: str = "vi") -> str:
    """The headline's note on a computed rank."""
    if lang == "vi":
        return (f"thứ hạng tính từ bảng điểm đầy đủ của {n} tỉnh được xếp hạng năm {year}, không phải thứ hạng "
                "công bố; bằng điểm thì cùng hạng, ghi “=”")
    return (f"rank computed from the complete table of the {n} provinces ranked in {year}, not a published rank; "
            "equal scores share a rank, shown “=”")


def partial_table_text(index: str, year: int, cov: dict, lang: str = "vi") -> str:
    """What a partial table covers, said where a published rank or mean is shown beside it."""
    name, units, scored, ranked = index_name(index, lang), cov["units"], cov["scored"], cov["ranked"]
    if lang == "vi":
        return (f"Bảng {name} năm {year} trong bộ dữ liệu chưa đầy đủ: có điểm của {scored}/{units} tỉnh, "
                f"thứ hạng công bố của {ranked}/{units} tỉnh; thứ hạng và điểm trung bình năm {year} ở đây là số "
                "được công bố, không tính từ bảng này.")
    return (f"The {year} {name} table in the data is partial: scores of {scored}/{units} provinces, published "
            f"ranks of {ranked}/{units}; the {year} rank and means shown here are published figures, not computed "
            "from it.")


def rank_change_text(delta, lang: str = "vi") -> str:
    """Places gained (+) or lost (-): 'tăng 10 bậc', 'giảm 3 bậc', 'giữ nguyên thứ hạng'."""
    if is_missing(delta):
        return ""
    delta = int(delta)
    if lang == "vi":
        return "giữ nguyên thứ hạng" if delta == 0 else f"{'tăng' if delta > 0 else 'giảm'} {abs(delta)} bậc"
    if delta == 0:
        return "same rank"
    return f"{'up' if delta > 0 else 'down'} {abs(delta)} place{'s' if abs(delta) != 1 else ''}"


def score_change_text(delta, unit: str, lang: str = "vi") -> str:
    """'tăng 4,21 điểm', 'giảm 0,0125', 'không đổi'."""
    if is_missing(delta):
        return ""
    decimals = 4 if unit == "index 0-1" else 2
    if round(delta, decimals) == 0:
        return "không đổi" if lang == "vi" else "unchanged"
    amount = fmt_number(abs(delta), lang, decimals)
    unit_word = "" if unit == "index 0-1" else (" điểm" if lang == "vi" else " points")
    if lang == "vi":
        return f"{'tăng' if delta > 0 else 'giảm'} {amount}{unit_word}"
    return f"{'up' if delta > 0 else 'down'} {amount}{unit_word}"


# The headline's words: "<name> năm <year> đạt <score>, <change> so với năm <prev>; xếp thứ <rank>, <change>."
_HEADLINE_WORDS = {
    "vi": {"title": "{name} năm {year}", "level": " đạt ", "since": " so với năm {prev}", "rank": "xếp thứ "},
    "en": {"title": "{name} {year}", "level": ": ", "since": " on {prev}", "rank": "ranked "},
}


def headline_sentence(index: str, year: int, score, unit: str, rank, rank_of,
                      prev_year, score_delta, rank_delta, lang: str = "vi", tied: bool = False) -> str:
    """'Chỉ số CCHC năm 2021 đạt 86,26%, tăng 4,21 điểm so với năm 2020; xếp thứ 41/63, tăng 10 bậc.'"""
    words = _HEADLINE_WORDS[lang]
    name = ({"PAR": "Chỉ số CCHC", "SIPAS": "Chỉ số SIPAS"}.get(index, f"Chỉ số {index}") if lang == "vi"
            else index_name(index, "en"))
    since = words["since"].format(prev=prev_year)
    first = words["title"].format(name=name, year=year)
    if not is_missing(score):
        first += words["level"] + fmt_score(score, unit, lang)
        if not is_missing(score_delta):
            first += f", {score_change_text(score_delta, unit, lang)}{since}"
    parts = [first]
    if not is_missing(rank):
        second = words["rank"] + fmt_rank(rank, rank_of, lang, tied)
        if not is_missing(rank_delta):
            second += f", {rank_change_text(rank_delta, lang)}" + (since if is_missing(score_delta) else "")
        parts.append(second)
    return "; ".join(parts) + "."


def esc(text) -> str:
    """Text from data files, made safe to put in HTML (it is shown, never run)."""
    return "" if is_missing(text) else html.escape(str(text), quote=True)
