"""The reports' words are gettext catalogues (lib/cchc/locale/<lang>/LC_MESSAGES/cchc.po) that a translator
edits in Poedit or Weblate: every message in both languages, placeholders kept, the words the Python table
held before, the compiled .mo never older than its .po, and reading them changes nothing global."""

from __future__ import annotations

import importlib.util
import json
import shutil
import string
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from cchc import catalogue
from cchc.catalogue import LANGS, LOCALE_DIR, SOURCE_LANG, mo_path, po_path, source_digest

from ..conftest import FIXTURES, ROOT


def fields(words: str) -> list[str]:
    return sorted(f for _, f, _, _ in string.Formatter().parse(words) if f is not None)


def problems(locale_dir: Path) -> list[str]:
    """What keeps the catalogues of ``locale_dir`` from giving every key in every language: a message
    without a key, a key twice, a message missing, empty or fuzzy in a language, translating another
    Vietnamese text, or with other placeholders than its Vietnamese."""
    found = []
    catalogs = {}
    for lang in LANGS:
        with po_path(lang, locale_dir).open("rb") as f:
            catalogs[lang] = [m for m in read_po(f) if m.id]
        keys = [m.context for m in catalogs[lang]]
        found += [f"{lang}: {m.id!r} has no key (msgctxt)" for m in catalogs[lang] if not m.context]
        found += [f"{lang}: {key} twice" for key in sorted({k for k in keys if k and keys.count(k) > 1})]
    by_key = {lang: {m.context: m for m in catalogs[lang]} for lang in LANGS}
    for key in dict.fromkeys(k for lang in LANGS for k in by_key[lang] if k):
        source = by_key[SOURCE_LANG].get(key)
        for lang in LANGS:
            message = by_key[lang].get(key)
            if message is None:
                found.append(f"{key}: missing in {lang}")
            elif not message.string:
                found.append(f"{key}: empty in {lang}")
            elif message.fuzzy:
                found.append(f"{key}: fuzzy in {lang}")
            elif source is not None and message.id != source.id:
                found.append(f"{key}: {lang} translates {message.id!r}, not {source.id!r} (make translations)")
            elif fields(message.string) != fields(message.id):
                found.append(f"{key}: placeholders {fields(message.string)} in {lang}, {fields(message.id)} in vi")
        if source is not None and source.string and source.string != source.id:
            found.append(f"{key}: the Vietnamese printed differs from the source a translator reads")
    return found


def test_both_languages_have_every_message_with_its_placeholders():
    assert problems(LOCALE_DIR) == []


def entry(key: str, vi: str, words: str, flags: str = "") -> str:
    return f'{flags}msgctxt "{key}"\nmsgid "{vi}"\nmsgstr "{words}"\n'


EN_LABEL_SCORE = entry("label.score", "Điểm", "Score")


@pytest.mark.parametrize(
    "lang, replacement, problem",
    [
        ("en", "", "label.score: missing in en"),
        ("vi", "", "label.score: missing in vi"),
        ("en", entry("label.score", "Điểm", ""), "label.score: empty in en"),
        ("en", entry("label.score", "Điểm", "Score", "#, fuzzy\n"), "label.score: fuzzy in en"),
        ("en", entry("label.score", "Điểm số", "Score"), "label.score: en translates 'Điểm số', not 'Điểm'"),
        ("en", entry("label.score", "Điểm", "Score {n}"), "label.score: placeholders ['n'] in en, [] in vi"),
        ("en", EN_LABEL_SCORE + "\n" + entry("label.score", "Đ", "S"), "en: label.score twice"),
        ("en", 'msgid "Điểm"\nmsgstr "Score"\n', "en: 'Điểm' has no key (msgctxt)"),
        ("vi", entry("label.score", "Điểm", "Điểm số"), "the Vietnamese printed differs from the source"),
    ],
)
def test_a_message_missing_empty_fuzzy_or_unlike_in_one_language_is_found(tmp_path, lang, replacement, problem):
    shutil.copytree(LOCALE_DIR, tmp_path / "locale")
    po = po_path(lang, tmp_path / "locale")
    original = entry("label.score", "Điểm", "Score" if lang == "en" else "Điểm")
    assert original in po.read_text(encoding="utf-8")
    po.write_text(po.read_text(encoding="utf-8").replace(original, replacement), encoding="utf-8")
    assert [p for p in problems(tmp_path / "locale") if problem in p], problems(tmp_path / "locale")


def test_every_key_gives_the_words_the_python_table_gave():
    """The catalogues were made from catalogue.py's table (commit 3ff678d), kept as a fixture: every report
    string is the same. A message reworded on purpose is reworded in the fixture too."""
    before = json.loads((FIXTURES / "catalogue_before_gettext.json").read_text(encoding="utf-8"))
    texts, names = catalogue.read_tables()
    assert {key: texts.get(key) for key in before["TEXTS"]} == before["TEXTS"]
    assert {key: names.get(key) for key in before["NAMES"]} == before["NAMES"]
    for key, words in before["TEXTS"].items():
        for lang in LANGS:
            assert catalogue.text(key, lang) == words[lang]
    assert catalogue.name_in("region_name", "Tây Nguyên", "en") == "Central Highlands"
    assert catalogue.name_in("component", "not a component", "en") == "not a component"


def test_the_compiled_catalogues_are_those_of_the_po_files():
    """make setup and make translations compile them; the library reads the .po instead of a stale .mo."""
    for lang in LANGS:
        assert mo_path(lang).exists(), f"{lang}: run `make translations`"
        header, words = catalogue.read_mo(mo_path(lang).read_bytes())
        assert f"po-sha256-{source_digest(po_path(lang))}" in header, f"{lang}: run `make translations`"
        assert words == catalogue.read_po_file(po_path(lang))


def test_a_po_edited_after_its_mo_was_compiled_is_read_itself(tmp_path):
    locale = shutil.copytree(LOCALE_DIR, tmp_path / "locale")
    po = po_path("en", locale)
    edited = po.read_text(encoding="utf-8").replace(EN_LABEL_SCORE, entry("label.score", "Điểm", "Points"))
    po.write_text(edited, encoding="utf-8")
    assert catalogue.messages("en", locale)["label.score"] == "Points"
    mo_path("vi", locale).unlink()
    assert catalogue.read_tables(locale)[0]["label.score"] == {"vi": "Điểm", "en": "Points"}


def translations_tool():
    spec = importlib.util.spec_from_file_location("translations", ROOT / "tools" / "translations.py")
    assert spec and spec.loader
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    return tool


def test_a_new_vietnamese_message_reaches_english_empty_and_a_reworded_one_fuzzy(tmp_path):
    """make translations, as the guide's recipe runs it: vi.po is the source."""
    locale = shutil.copytree(LOCALE_DIR, tmp_path / "locale")
    vi = po_path("vi", locale)
    source = vi.read_text(encoding="utf-8").replace(
        entry("label.score", "Điểm", "Điểm"), entry("label.score", "Số điểm", "")
    )
    vi.write_text(source + '\n#. a new word\nmsgctxt "label.new"\nmsgid "Từ mới {n}"\nmsgstr ""\n', encoding="utf-8")
    translations_tool().main(["update", "--locale-dir", str(locale)])
    assert problems(locale) == ["label.score: fuzzy in en", "label.new: empty in en"]
    assert catalogue.read_tables(locale)[0]["label.new"] == {"vi": "Từ mới {n}"}
    en = po_path("en", locale).read_text(encoding="utf-8")
    assert '#. a new word\n#, python-brace-format\nmsgctxt "label.new"\nmsgid "Từ mới {n}"\nmsgstr ""\n' in en
    assert '#, fuzzy\n#| msgid "Điểm"\nmsgctxt "label.score"\nmsgid "Số điểm"\nmsgstr "Score"\n' in en
    assert catalogue.messages("en", locale).get("label.score") is None  # fuzzy: not used, as msgfmt does


def test_the_words_a_branch_added_to_the_former_python_table_are_merged_into_the_catalogues(tmp_path):
    """The lead's recipe (from-branch) for a branch forked while catalogue.py held the words: what the branch
    added or changed since the fork is merged; what it left as it was does not undo a later rewording."""
    locale = shutil.copytree(LOCALE_DIR, tmp_path / "locale")
    base, theirs = tmp_path / "base.py", tmp_path / "theirs.py"
    forked = '    "label.score": {"vi": "Điểm", "en": "Points"},\n    "label.rank": {"vi": "Thứ hạng", "en": "Rank"},\n'
    base.write_text("TEXTS = {\n" + forked + "}\n", encoding="utf-8")
    theirs.write_text(
        "TEXTS = {\n"
        + forked.replace('"Rank"', '"Place"')
        + '    # ---- maps\n    "map.new": {"vi": "Bản đồ {year}", "en": "Map {year}"},\n}\n'
        + 'NAMES = {"band.Mới": {"vi": "Mới", "en": "New"}}\n',
        encoding="utf-8",
    )
    tool = translations_tool()
    tool.main(["from-python", str(theirs), "--since", str(base), "--locale-dir", str(locale)])
    tool.main(["update", "--locale-dir", str(locale)])
    assert problems(locale) == []
    texts, names = catalogue.read_tables(locale)
    assert texts["map.new"] == {"vi": "Bản đồ {year}", "en": "Map {year}"} and names["band.Mới"]["en"] == "New"
    assert texts["label.rank"]["en"] == "Place"  # changed in the branch
    assert texts["label.score"]["en"] == "Score"  # "Points" at the fork, reworded since: kept
    assert '#. maps\n#, python-brace-format\nmsgctxt "map.new"\n' in po_path("en", locale).read_text(encoding="utf-8")


def test_reading_the_catalogues_changes_nothing_global():
    """No gettext.install (no builtins._), no text domain bound, no locale set, and the words read lazily."""
    code = """
import builtins, gettext, json, locale, os, sys
before = (locale.setlocale(locale.LC_ALL), gettext.textdomain(), dict(os.environ))
import cchc.catalogue as c
lazy = "babel.messages" not in sys.modules and "TEXTS" not in vars(c)
c.text("label.score", "en"), c.name_in("band", "Tốt", "en")
from_mo = "babel.messages" not in sys.modules  # the compiled catalogues: no .po parsed
c.read_po_file(c.po_path("en"))
after = (locale.setlocale(locale.LC_ALL), gettext.textdomain(), dict(os.environ))
print(json.dumps([before == after, hasattr(builtins, "_"), lazy, from_mo]))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == [True, False, True, True]
