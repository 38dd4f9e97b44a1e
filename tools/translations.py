"""Keep the reports' words, the gettext catalogues lib/cchc/locale/<lang>/LC_MESSAGES/cchc.po, in step.

A message: msgctxt = the key the code looks up (``text("rank_up", lang)``), msgid = the Vietnamese the
reports print (Vietnamese is the source language), msgstr = the words in the catalogue's language.

    python tools/translations.py update            (make translations)
        vi.po is the source: its empty msgstr are filled with the msgid; every other language gets the new
        messages (empty), the changed ones (fuzzy, with the previous Vietnamese) and loses the removed
        ones; then the .mo files are written. A translator then fills the empty and fuzzy ones (Poedit,
        Weblate) and tests/unit/test_catalogue.py passes again.
    python tools/translations.py compile           (make setup)
        write each .mo from its .po (the library reads a .po itself when its .mo is not current).
    python tools/translations.py from-branch BRANCH   (then make translations)
        a branch forked while catalogue.py still held the words as a Python table (dicts of
        ``"key": {"vi": ..., "en": ...}``): the messages it added or changed there since it forked are
        added to (or set in) the catalogues, its comments as notes for translators.
    python tools/translations.py from-python FILE [--since BASE]
        the same from a file (``--since``: the file at the fork, whose unchanged entries are left alone).

``--locale-dir DIR`` works on another folder than the package's (the tests use a scratch copy).
"""

from __future__ import annotations

import argparse
import ast
import datetime
import io
import subprocess
import sys
import tempfile
import tokenize
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "lib"))
from cchc.catalogue import LANGS, LOCALE_DIR, SOURCE_LANG, mo_path, po_path, source_digest
from cchc.fingerprint import SUITE_VERSION

HEADER = """The words of the CCHC reports, index pages and messages.
msgctxt: the key the code looks up; msgid: the Vietnamese source; msgstr: this language.
Placeholders in braces ({year}) are filled in by the code: keep them as they are."""
LANGUAGE_NAMES = {"vi": "Vietnamese", "en": "English"}


def read(lang: str, locale_dir: Path) -> Catalog:
    if not po_path(lang, locale_dir).exists():
        return with_header(Catalog(locale=lang, domain="cchc"))
    with po_path(lang, locale_dir).open("rb") as f:
        return read_po(f, locale=lang, domain="cchc")


def with_header(catalog: Catalog) -> Catalog:
    """The suite's header (what a translator reads first) and each message's format flag; the dates and the
    last translator are kept as Poedit or Weblate set them."""
    catalog.header_comment = "# " + HEADER.replace("\n", "\n# ")
    catalog.project, catalog.version, catalog.msgid_bugs_address = "cchc", SUITE_VERSION, ""
    catalog.language_team = LANGUAGE_NAMES.get(str(catalog.locale), str(catalog.locale))
    catalog.fuzzy = False
    if not isinstance(catalog.revision_date, datetime.datetime):
        catalog.revision_date = catalog.creation_date
    catalog.last_translator = catalog.last_translator.replace("FULL NAME <EMAIL@ADDRESS>", "")
    for message in catalog:
        if message.id:
            # Babel takes "25% số" for a %-format; the suite's placeholders are braces, which Poedit,
            # Weblate and msgfmt check in a message flagged python-brace-format.
            message.flags -= {"python-format", "python-brace-format", "no-python-format"}
            message.flags |= {"no-python-format"} if "%" in message.id else set()
            message.flags |= {"python-brace-format"} if "{" in message.id else set()
    return catalog


def write(catalog: Catalog, lang: str, locale_dir: Path) -> None:
    buffer = io.BytesIO()
    write_po(buffer, with_header(catalog), width=100, include_previous=True, sort_output=False)
    path = po_path(lang, locale_dir)
    if not path.exists() or path.read_bytes() != buffer.getvalue():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(buffer.getvalue())
        print(f"wrote {path}")


def compile_mo(lang: str, locale_dir: Path) -> None:
    """The .mo of ``lang``; its header names the digest of the .po it was compiled from, so that the library
    never reads a .mo older than its .po."""
    catalog = read(lang, locale_dir)
    catalog.version = f"po-sha256-{source_digest(po_path(lang, locale_dir))}"
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    path = mo_path(lang, locale_dir)
    if not path.exists() or path.read_bytes() != buffer.getvalue():
        path.write_bytes(buffer.getvalue())
        print(f"wrote {path}")


def reword(catalog: Catalog, source_ids: dict[str | None, str]) -> dict[str | None, str]:
    """Give each message whose key's Vietnamese changed the new Vietnamese, keeping its translation;
    {key: the Vietnamese it translated}."""
    before = {}
    for message in list(catalog):
        new_id = source_ids.get(message.context)
        if message.id and new_id is not None and new_id != message.id:
            before[message.context] = message.id
            catalog.delete(message.id, context=message.context)
            catalog.add(new_id, message.string, user_comments=message.user_comments, context=message.context)
    return before


def update(locale_dir: Path) -> None:
    source = read(SOURCE_LANG, locale_dir)
    for message in source:
        if message.id and not message.string:
            message.string = message.id
    write(source, SOURCE_LANG, locale_dir)
    template = Catalog(locale=SOURCE_LANG, domain="cchc")
    for message in source:
        if message.id:
            template.add(message.id, "", auto_comments=message.auto_comments, context=message.context)
    for lang in LANGS:
        if lang != SOURCE_LANG:
            catalog = read(lang, locale_dir)
            before = reword(catalog, {m.context: m.id for m in template if m.id})
            # a new key comes in empty, not guessed from another key's similar Vietnamese
            catalog.update(template, no_fuzzy_matching=True, update_creation_date=False)
            for message in catalog:
                if message.context in before:  # the translator sees what changed (#| msgid)
                    message.flags |= {"fuzzy"}
                    message.previous_id = [before[message.context]]
            catalog.obsolete.clear()  # a removed key is gone; its words are in git's history
            write(catalog, lang, locale_dir)
    for lang in LANGS:
        compile_mo(lang, locale_dir)


# ------------------------------------------------------------------ tables as catalogue.py held them
def python_entries(path: Path) -> list[tuple[str, dict[str, str], list[str]]]:
    """(key, {"vi": ..., "en": ...}, notes) of every entry of the dict-of-dicts literals of ``path``
    (``TEXTS = {...}``, ``TEXTS.update({...})``, ``NAMES = {...}``), in the file's order; the notes are the
    comments between the entry before and this one (a block of lines joined) and those on its lines."""
    source = path.read_text(encoding="utf-8")
    comments: dict[int, tuple[str, bool]] = {}  # line -> (words, on a line of its own)
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            words = token.string.lstrip("#").strip().strip("-").strip()
            comments[token.start[0]] = (words, not token.line[: token.start[1]].strip())
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Dict) and node.keys and all(isinstance(v, ast.Dict) for v in node.values):
            for key, value in zip(node.keys, node.values, strict=True):
                assert isinstance(key, ast.Constant), f"{path}:{value.lineno}: a key that is not a string"
                words = ast.literal_eval(value)
                found.append((key.lineno, value.end_lineno or key.lineno, key.value, words, node.lineno))
    found.sort()
    entries = []
    previous = found[0][4] if found else 0
    for line, end, key, words, _ in found:
        notes: list[str] = []
        for at in range(previous + 1, end + 1):
            said, alone = comments.get(at, ("", False))
            if said and alone and at < line and notes and comments.get(at - 1, ("", False))[0]:
                notes[-1] += " " + said  # a block of comment lines is one note
            elif said:
                notes.append(said)
        entries.append((key, words, notes))
        previous = end
    return entries


def from_python(path: Path, locale_dir: Path, since: Path | None = None) -> None:
    """Add or set the messages of ``path``'s tables; with ``since`` (the same file at the merge base), only
    those ``path`` added or changed since, so that words reworded meanwhile in the catalogues stay."""
    catalogs = {lang: read(lang, locale_dir) for lang in LANGS}
    by_key = {lang: {m.context: m for m in catalog if m.id} for lang, catalog in catalogs.items()}
    base = {key: words for key, words, _ in python_entries(since)} if since else {}
    added = changed = 0
    for key, words, notes in python_entries(path):
        old = by_key[SOURCE_LANG].get(key)
        current = {lang: (m.id, m.string) for lang in LANGS if (m := by_key[lang].get(key))}
        if base.get(key) == words or current == {lang: (words[SOURCE_LANG], words[lang]) for lang in LANGS}:
            continue
        added += old is None
        changed += old is not None
        for lang, catalog in catalogs.items():
            if key in by_key[lang]:
                catalog.delete(by_key[lang][key].id, context=key)
            catalog.add(words[SOURCE_LANG], words[lang], auto_comments=notes, context=key)
    for lang, catalog in catalogs.items():
        write(catalog, lang, locale_dir)
    print(f"{path}: {added} messages added, {changed} changed")


def from_branch(rev: str, locale_dir: Path) -> None:
    """The words ``rev`` added to or changed in catalogue.py's former table since it forked from HEAD."""
    root = Path(__file__).resolve().parents[1]
    git = lambda *args: subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True).stdout  # noqa: E731
    base = git("merge-base", "HEAD", rev).strip()
    with tempfile.TemporaryDirectory() as scratch:
        theirs, then = Path(scratch, "theirs.py"), Path(scratch, "base.py")
        theirs.write_text(git("show", f"{rev}:lib/cchc/catalogue.py"), encoding="utf-8")
        then.write_text(git("show", f"{base}:lib/cchc/catalogue.py"), encoding="utf-8")
        from_python(theirs, locale_dir, since=then)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["update", "compile", "from-python", "from-branch"])
    parser.add_argument("source", nargs="?", help="from-python: the Python file; from-branch: the branch")
    parser.add_argument("--since", type=Path, help="from-python: the same file as it was at the merge base")
    parser.add_argument("--locale-dir", type=Path, default=LOCALE_DIR)
    args = parser.parse_args(argv)
    if args.command == "update":
        update(args.locale_dir)
    elif args.command == "compile":
        for lang in LANGS:
            compile_mo(lang, args.locale_dir)
    elif args.source is None:
        parser.error(f"{args.command} needs its source")
    elif args.command == "from-branch":
        from_branch(args.source, args.locale_dir)
    else:
        from_python(Path(args.source), args.locale_dir, args.since)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
