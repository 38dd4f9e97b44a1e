"""Every word the reports, charts and index pages show, in Vietnamese and English, looked up by ``text``.

The words are gettext catalogues, one per language: ``locale/<lang>/LC_MESSAGES/cchc.po``, edited in
Poedit or Weblate (docs/DEVELOPING.md, "A new language string"). A message's context (msgctxt) is the
key the code looks up, its msgid the Vietnamese source, its msgstr the words in that language. Values
in braces (``{year}``) are filled by ``text``; numbers are formatted by the caller (``narrative.fmt_*``,
Babel) before they are filled in, so the catalogues hold words only. The headings of the notebooks'
markdown cells are there too (``heading.*``): the notebooks are written in Vietnamese and an English
report shows the English of each heading. Names that data files hold in Vietnamese (``region_name.*``,
``component.*``, ``band.*``) are looked up by ``name_in``.

The words are read on first use and nothing global is set (no ``gettext.install``, no locale): each
language's compiled ``cchc.mo`` (``make setup``, ``make translations``) when it was compiled from the
``.po`` as it is now (its header names the .po's digest), else the ``.po`` itself.
"""

from __future__ import annotations

import functools
import hashlib
import struct
from pathlib import Path

LANGS = ("vi", "en")
SOURCE_LANG = "vi"  # the msgid of every message is its Vietnamese
# The CLDR locale whose number and date formats each language uses (British English: day/month/year).
LOCALES = {"vi": "vi", "en": "en_GB"}
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
NAME_KINDS = ("region_name", "component", "band")  # the keys ``name_in`` looks up


def po_path(lang: str, locale_dir: Path = LOCALE_DIR) -> Path:
    return locale_dir / lang / "LC_MESSAGES" / "cchc.po"


def mo_path(lang: str, locale_dir: Path = LOCALE_DIR) -> Path:
    return po_path(lang, locale_dir).with_suffix(".mo")


def source_digest(po: Path) -> str:
    """What a .mo's header names as the .po it was compiled from."""
    return hashlib.sha256(po.read_bytes()).hexdigest()[:16]


def read_mo(data: bytes) -> tuple[str, dict[str, str]]:
    """The header and the {context: words} of a GNU .mo file (the format of the gettext manual, "MO Files")."""
    order = {b"\xde\x12\x04\x95": "<", b"\x95\x04\x12\xde": ">"}.get(data[:4])
    if order is None:
        raise ValueError("not a .mo file")
    count, originals, translations = struct.unpack_from(order + "III", data, 8)
    header, messages = "", {}
    for i in range(count):
        length, start = struct.unpack_from(order + "II", data, originals + 8 * i)
        original = data[start : start + length].decode()
        length, start = struct.unpack_from(order + "II", data, translations + 8 * i)
        words = data[start : start + length].decode()
        context, separator, _ = original.partition("\x04")
        if separator:
            messages[context] = words
        elif original == "":
            header = words
    return header, messages


def read_po_file(po: Path) -> dict[str, str]:
    """{context: words} of a .po; empty and fuzzy messages left out, as msgfmt leaves them out of a .mo."""
    from babel.messages.pofile import read_po

    with po.open("rb") as f:
        catalog = read_po(f)
    return {
        m.context: m.string
        for m in catalog
        if m.id and m.context and isinstance(m.string, str) and m.string and not m.fuzzy
    }


def messages(lang: str, locale_dir: Path = LOCALE_DIR) -> dict[str, str]:
    """Every key's words in ``lang``: from the compiled .mo when it is current, else from the .po."""
    po = po_path(lang, locale_dir)
    try:
        header, found = read_mo(mo_path(lang, locale_dir).read_bytes())
    except (OSError, ValueError, struct.error):  # no .mo yet (make setup), or not one
        return read_po_file(po)
    return found if f"po-sha256-{source_digest(po)}" in header else read_po_file(po)


def read_tables(locale_dir: Path = LOCALE_DIR) -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    """The words ``text`` fills in (``TEXTS``) and the names data files hold in Vietnamese (``NAMES``, looked
    up by ``name_in``), each {key: {"vi": ..., "en": ...}}."""
    by_lang = {lang: messages(lang, locale_dir) for lang in LANGS}
    keys = dict.fromkeys(key for lang in LANGS for key in by_lang[lang])
    entries = {key: {lang: by_lang[lang][key] for lang in LANGS if key in by_lang[lang]} for key in keys}
    names = {key: entry for key, entry in entries.items() if key.startswith(tuple(k + "." for k in NAME_KINDS))}
    return {key: entry for key, entry in entries.items() if key not in names}, names


@functools.cache
def _tables() -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    return read_tables()


def __getattr__(name: str) -> dict[str, dict[str, str]]:
    """``TEXTS`` and ``NAMES``, read from the catalogues when first asked for (PEP 562)."""
    if name in ("TEXTS", "NAMES"):
        return _tables()[name == "NAMES"]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def text(key: str, lang: str, **values) -> str:
    """The catalogue's words for ``key`` in ``lang`` ('vi' or 'en'), with ``values`` filled in.

    >>> text("rank_up", "vi", n=3)
    'tăng 3 bậc'
    >>> text("label.score", "en")
    'Score'
    """
    words = _tables()[0][key][lang]
    return words.format(**values) if values else words


def heading_in(vi_heading: str, lang: str) -> str | None:
    """A notebook heading (written in Vietnamese) in ``lang``; None when the catalogue does not have it."""
    for key, entry in _tables()[0].items():
        if key.startswith("heading.") and entry["vi"] == vi_heading:
            return entry[lang]
    return None


def name_in(kind: str, name: str, lang: str) -> str:
    """A name a data file holds in Vietnamese (``kind``: 'region_name', 'component', 'band') in ``lang``;
    the name as written when the catalogue does not hold it.

    >>> name_in("region_name", "Tây Nguyên", "en"), name_in("component", "Hạ tầng số", "vi")
    ('Central Highlands', 'Hạ tầng số')
    """
    if not isinstance(name, str):
        return name
    return _tables()[1].get(f"{kind}.{name}", {}).get(lang, name)
