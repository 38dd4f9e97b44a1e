"""What must never reach a reader: checks on the text of a report (a sentence, a table cell, a page).

``reader_text_problems(text, lang)`` lists what is wrong with a piece of reader text: a slug, a path, a
hash, a parameter or a code name; a missing value printed by Python or pandas (``nan``, ``None``,
``<NA>``); empty brackets, a space before a full stop, doubled spaces, a line that starts with "và" /
"and"; English words in Vietnamese text, Vietnamese letters in English text. Proper names (provinces,
departments) and quoted wording are allowed in either language: pass them as ``names``; text in
“quotes” is not checked for language, nor is a citation (``citation=True``: a source column names a
publication in its own language). Links (``http…``) are left out. The report checker
(``cchc.report.check.rule_reader_text``) runs this on every piece of text of every report.

>>> reader_text_problems("Lập từ dữ liệu sha256:0123456789abcdef · tham số: province=ha-noi", "vi")
['hash: sha256', 'hash: 0123456789abcdef', 'parameter: province=ha-noi', 'slug: ha-noi', 'English in vi: province']
>>> reader_text_problems("Chỉ số CCHC năm 2023 đạt 91,43%.", "vi")
[]
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

URL = re.compile(r"https?://\S+")
QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"|«[^»]*»")
DOCUMENT = re.compile(r"\b(?:QĐ|NQ|KH|TB|CT)?[ -]?\d+/[\w/.-]*\w")  # a document's number: QĐ 1150/QĐ-BNV

_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("slug", re.compile(r"(?<![\w/])[a-z]+(?:-[a-z]+)*-20\d\d\b")),  # thai-nguyen-2025
    ("hash", re.compile(r"sha256|(?<![\w])[0-9a-f]{12,}(?![\w])")),
    ("parameter", re.compile(r"(?<![\w=])[A-Za-z_]+=[^\s,;)]+")),  # province=ha-noi
    ("path", re.compile(r"(?<![\w])(?:data|lib|tests|notebooks|reports)/|\.(?:csv|py|ipynb|json|xlsx)\b|/work/|/tmp/")),
    ("code name", re.compile(r"(?<![\w])[a-z]+_[a-z_]+(?![\w])")),  # rank_of, listed_order
    ("missing value", re.compile(r"(?<![\w<])(?:nan|NaN|None|NaT)(?![\w>])|<NA>")),
    ("unfilled placeholder", re.compile(r"\{\w*\}")),
    ("empty brackets", re.compile(r"\(\s*\)|\[\s*\]")),
    ("space before punctuation", re.compile(r"\S\s+[.,](?=\s|$)")),
    ("doubled space", re.compile(r"\S {2,}\S")),
]
_LINE_START = {"vi": re.compile(r"^\s*và\b", re.IGNORECASE), "en": re.compile(r"^\s*and\b", re.IGNORECASE)}
# English words that no Vietnamese sentence of the reports uses ("PAR INDEX" is a name)
_ENGLISH = re.compile(
    r"\b(?:the|of|and|with|from|not|is|are|was|by|points?|rank|ranked|scores?|published|computed|"
    r"provinces?|missing|data|source|note|year|years|since|above|below|same|level|group|index|"
    r"conflict|official|printed|reported|decimals|pillar|region|rank|change|target|status|value|unit|"
    r"quarter|top|bottom|strength|weakness|only|mean|no data)\b",
    re.IGNORECASE,
)
_VI_LETTERS = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.IGNORECASE)
_VI_WORD = re.compile(r"\S*" + _VI_LETTERS.pattern + r"\S*", re.IGNORECASE)


@lru_cache(maxsize=1)
def _registry_words() -> tuple[frozenset[str], tuple[str, ...]]:
    """The registry's slugs of more than one word ('ha-noi') and its names with the archipelagos' and those of
    the provinces an index ranked that the registry does not hold (Hà Tây; longest first)."""
    from .. import config
    from ..data.geo import ARCHIPELAGOS
    from ..data.indices import active
    from ..data.provinces import load_registry

    try:
        registry = load_registry(config.data_dir())
    except Exception:
        return frozenset(), ()
    slugs = frozenset(p.slug for p in registry if "-" in p.slug)
    archipelagos = {n for a in ARCHIPELAGOS for n in (a.name, a.short_name)}
    former = {name for rec in active() for units in rec.ranked_unregistered.values() for name, _ in units}
    names = tuple(sorted({p.name for p in registry} | archipelagos | former, key=len, reverse=True))
    return slugs, names


def reader_text_problems(
    text: str,
    lang: str,
    names: Iterable[str] | re.Pattern = (),
    *,
    slugs: frozenset[str] | None = None,
    citation: bool = False,
) -> list[str]:
    """What is wrong with ``text`` (reader text in ``lang``, 'vi' or 'en'), as 'kind: what was found';
    [] when nothing is. ``names``: proper names allowed in either language, as strings or one compiled
    pattern (the registry's province names always are); ``slugs``: the registry's slugs (default: those
    of the data folder's registry); ``citation``: a source's citation, in the publication's language."""
    if not isinstance(text, str):
        return [f"missing value: {text!r}"]
    text = URL.sub(" ", text)
    problems: list[str] = []
    for kind, pattern in _PATTERNS:
        problems += [f"{kind}: {m.group(0).strip()}" for m in pattern.finditer(text)]
    registry_slugs, registry_names = _registry_words()
    slugs = registry_slugs if slugs is None else slugs
    for w in re.findall(r"(?<![\w/-])[a-z]+(?:-[a-z]+)+(?![\w-])", text):  # Vietnamese has no such word
        if w in slugs or lang == "vi":
            problems.append(f"slug: {w}")
    for line in text.splitlines():
        if _LINE_START[lang].match(line):
            problems.append(f"starts with: {line.strip()[:30]}")
    if citation:
        return list(dict.fromkeys(problems))
    plain = re.sub(r"\s+", " ", text)  # a chart's label wraps a name; names first: a name may hold quotes
    if isinstance(names, re.Pattern):
        plain, names = names.sub(" ", plain), ()
    for name in (*sorted(names, key=len, reverse=True), *registry_names):
        if name:
            plain = plain.replace(name, " ")
    plain = DOCUMENT.sub(" ", QUOTED.sub(" ", plain))
    if lang == "vi":
        problems += [f"English in vi: {w}" for w in _ENGLISH.findall(re.sub(r"PAR\s+INDEX", " ", plain))]
    else:
        problems += [f"Vietnamese in en: {w}" for w in _VI_WORD.findall(plain)]
    return list(dict.fromkeys(problems))
