"""A new index added through the registry alone (docs/DEVELOPING.md, recipe "A new index"): one record in a
scratch registry, its data file in a scratch copy of data/, its words in a scratch copy of the catalogues.
The province report then shows it, in Vietnamese and English, with nothing else changed. Copy this test for a
real index: the record goes into ``indices.SHIPPED``, the file into data/indices/, the words into the .po files.

The figures of TOY are made up for this test and live only in the test's temporary folder, never in data/.
"""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from cchc import catalogue
from cchc.data.indices import SHIPPED, IndexRecord, using
from cchc.report import check

pytestmark = pytest.mark.slow  # loads and checks a whole copy of data/ (docs/DEVELOPING.md, "The test tiers")

TOY = IndexRecord(
    code="TOY",
    units={2020: "%"},
    publisher="Nhà xuất bản thử nghiệm",
    title="Chỉ số thử nghiệm (TOY) {year}",
)
SCRATCH = SHIPPED.adding(TOY)
SOURCE = "https://example.org/toy-index (figures made up for a test)"
# index, year, province, score, rank, rank_of: Đắk Nông rises from 30th to 12th
ROWS = [
    ("TOY", 2022, "dak-nong", "61.25", "30", "63"),
    ("TOY", 2023, "dak-nong", "71.5", "12", "63"),
    ("TOY", 2023, "ha-noi", "88.75", "1", "63"),
    ("TOY", 2023, "lam-dong", "70.25", "13", "63"),
]
# The words a translator writes for it: the record's message keys, in each language's catalogue
WORDS = {
    "index.TOY": ("Chỉ số thử nghiệm TOY", "TOY test index"),
    "index_short.TOY": ("Chỉ số TOY", "TOY index"),
    "map.panel.TOY": ("Chỉ số TOY", "TOY index"),
    "index_page.col.TOY": ("TOY", "TOY"),
    "publisher.TOY": ("Nhà xuất bản thử nghiệm", "the test publisher"),
}
PROVINCE, YEAR = "dak-nong", 2023


@pytest.fixture(scope="module")
def toy_data(tmp_path_factory, root):
    """A copy of data/ with data/indices/toy.csv added, loaded and checked with the scratch registry."""
    from cchc.data.dataset import load_dataset

    data = shutil.copytree(root / "data", tmp_path_factory.mktemp("toy") / "data")
    with (data / "indices" / "toy.csv").open("w", encoding="utf-8") as f:
        f.write("index,year,province,component,score,unit,max_score,rank,rank_of,source\n")
        f.writelines(f"{i},{y},{p},,{s},%,,{r},{n},{SOURCE}\n" for i, y, p, s, r, n in ROWS)
    with using(SCRATCH):
        return load_dataset(data).compute_lookups()


@pytest.fixture(scope="module")
def toy_words(tmp_path_factory, root):
    """The toy's words as a translator adds them: appended to a copy of each language's .po file, read back
    by the catalogue's own reader."""
    scratch = tmp_path_factory.mktemp("toy") / "locale"
    locale = shutil.copytree(root / "lib" / "cchc" / "locale", scratch, ignore=shutil.ignore_patterns("*.mo"))
    for n, lang in enumerate(catalogue.LANGS):
        with catalogue.po_path(lang, locale).open("a", encoding="utf-8") as f:
            for key, words in WORDS.items():
                f.write(f'\nmsgctxt "{key}"\nmsgid "{words[0]}"\nmsgstr "{words[n]}"\n')
    texts, _ = catalogue.read_tables(locale)
    return {key: texts[key] for key in TOY.message_keys}


@pytest.fixture
def toy_report(toy_data, toy_words, monkeypatch):
    """Factory: the sections of the toy report in ``lang``, with the checker's violations."""
    for key, entry in toy_words.items():  # the catalogue as read from the scratch .po files, for this test only
        monkeypatch.setitem(catalogue.TEXTS, key, entry)

    def build(lang: str):
        with using(SCRATCH):
            built = check.build_sections(toy_data, PROVINCE, YEAR, lang)
            report = check.Report(toy_data, PROVINCE, YEAR, lang)
            return built, [v for rule in check.RULES for v in rule(report, built)]

    return build


def _texts(built) -> str:
    return "\n".join(t for s in built for t in check.reader_texts(s))


@pytest.mark.parametrize("lang, score, change", [("vi", "71,50", "tăng 18 bậc"), ("en", "71.50", "up 18 places")])
def test_a_toy_index_added_through_the_registry_alone_is_in_the_report(toy_report, shipped, lang, score, change):
    built, violations = toy_report(lang)
    words = _texts(built)
    name = WORDS["index.TOY"][catalogue.LANGS.index(lang)]
    assert name in words and score in words and "12/63" in words and change in words
    assert not violations, "\n".join(map(str, violations))  # wholly in its language, every rule kept
    assert "TOY" not in SHIPPED and SHIPPED.codes == ("PAR", "SIPAS", "PAPI", "PCI", "DTI")

    # nothing else changed: every table of the report, without the toy's rows, is the shipped report's
    before = {s.name: s for s in check.build_sections(shipped, PROVINCE, YEAR, lang)}
    for s in built:
        for key, table in s.tables.items():
            if "index" in table.columns:
                table = table[table["index"] != "TOY"]
            if s.name == "gaps" or key not in before[s.name].tables:
                continue
            # the same rows and values (a text column concatenated with the toy's empty means reads as object)
            # the data's hash differs: the folder holds toy.csv
            shown = before[s.name].tables[key].reset_index(drop=True).drop(columns=["data_hash"], errors="ignore")
            table = table.reset_index(drop=True).drop(columns=["data_hash"], errors="ignore")
            pd.testing.assert_frame_equal(table, shown, check_dtype=False)


def test_the_toy_index_is_refused_without_its_record(root, toy_data):
    """The data file alone does not make an index: with the shipped registry, data/indices/toy.csv is refused."""
    from cchc.data.dataset import load_dataset
    from cchc.errors import BadInput

    with pytest.raises(BadInput, match="'TOY' is not an allowed index"):
        load_dataset(toy_data.data_dir)
