"""The publishers' real files, when the folder of sources sits beside the project (skipped otherwise):
every file imports with one command, the result validates, a second run changes nothing, and the
figures pass the cross-checks of the sources' own notes."""

from __future__ import annotations

import csv
import subprocess
from pathlib import Path

import pytest

from cchc.data.provinces import load_registry
from cchc.data.publishers.common import decimal_text
from cchc.data.publishers.grid import read_grids
from cchc.data.publishers.names import resolve_province
from cchc.data.validate import errors, validate_dir

from ..conftest import FIXTURES, ROOT, SOURCES_DIR, make_data_dir, snapshot

SOURCES = SOURCES_DIR
pytestmark = [
    pytest.mark.slow,
    pytest.mark.xdist_group("publishers_real"),  # one import for the module
    pytest.mark.skipif(not SOURCES.is_dir(), reason="the publishers' files are not given (CCHC_SOURCES_DIR)"),
]


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> Path:
    """A data folder (the test fixtures) after tools/import-publishers.sh over the real files, twice."""
    data = make_data_dir(FIXTURES / "good", tmp_path_factory.mktemp("real") / "data")
    script = [str(ROOT / "tools" / "import-publishers.sh"), str(SOURCES), "--into", str(data)]
    first = subprocess.run(script, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr[-3000:]
    before = snapshot(data)
    second = subprocess.run(script, capture_output=True, text=True)
    assert second.returncode == 0 and snapshot(data) == {k: v for k, v in before.items()}, second.stdout[-2000:]
    assert second.stdout.count("nothing to add") == 19  # 17 publishers' files and 2 of press facts
    return data


def rows(data: Path, index: str) -> list[dict[str, str]]:
    with open(data / "indices" / f"{index.lower()}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_everything_validates(imported):
    assert not errors(validate_dir(imported))


def test_pci_2015_entry_cost_of_da_nang_is_read_with_its_own_name_column(imported):
    (row,) = [
        r
        for r in rows(imported, "PCI")
        if (r["year"], r["province"], r["component"]) == ("2015", "da-nang", "Gia nhập thị trường")
    ]
    assert row["score"] == "9.19"


def test_pci_2016_totals_of_the_workbook_equal_the_fact_table(imported):
    with open(next(SOURCES.rglob("pci_totals_2016_2022.csv")), encoding="utf-8") as f:
        table = {r["slug"]: r["pci_total"] for r in csv.DictReader(f) if r["year"] == "2016"}
    workbook = {
        r["province"]: r
        for r in rows(imported, "PCI")
        if r["year"] == "2016" and r["component"] == "" and "pcivietnam.vn" in r["source"]
    }
    assert len(table) == 63 and {slug: workbook[slug]["score"] for slug in table} == table
    assert all(workbook[slug]["rank"] for slug in table)  # the workbook's rank beside the table's score


def test_pci_totals_and_ranks_follow_the_import_guide(imported):
    """Every year's weighted total read with PCI_Import.csv (name column immediately left of a ranked
    list's value) equals the imported score; years 2005-2016 all have 42 or 63 provinces with a rank."""
    registry = load_registry(imported)
    with open(next(SOURCES.rglob("PCI_Import.csv")), encoding="utf-8") as f:
        guide = list(csv.DictReader(f))
    imported_totals = {
        (r["year"], r["province"]): r
        for r in rows(imported, "PCI")
        if r["component"] == "" and "pcivietnam.vn" in r["source"]
    }
    for g in guide:
        year = int(g["Year"])
        grid = read_grids(next(SOURCES.rglob(f"PCI_{year}.{g['Type']}")))[int(g["Sheet"]) - 1]
        value_col = int(g["Weighted Col"]) - 1
        name_col = int(g["Province"]) - 1 if g["Province"] != "0" else value_col - 1
        found = 0
        for r in range(int(g["Begin Row"]) - 1, int(g["End Row"])):
            slug = resolve_province(grid.value(r, name_col), registry, year)
            if slug in (None, "ha-tay"):
                continue
            row = imported_totals[(str(year), slug)]
            assert row["score"] == decimal_text(grid.value(r, value_col), 2), (year, slug)
            assert row["rank"], (year, slug)
            found += 1
        assert found == (41 if year == 2005 else 63), year


def test_papi_not_published_province_years_are_marked(imported):
    marked = {(r["year"], r["province"]) for r in rows(imported, "PAPI") if r["status"] == "not published"}
    assert {
        ("2014", "bac-giang"),
        ("2014", "dong-thap"),
        ("2021", "quang-ninh"),
        ("2021", "bac-giang"),
        ("2021", "bac-ninh"),
        ("2022", "bac-giang"),
        ("2022", "bac-ninh"),
        ("2023", "quang-ninh"),
        ("2023", "binh-duong"),
    } <= marked
    totals = {
        (r["year"], r["province"])
        for r in rows(imported, "PAPI")
        if r["component"] == "" and r["score"] and "papi.org.vn" in r["source"]
    }
    assert len(totals) == 869 and not marked & totals
