"""``cchc.to_excel``: a table of the analysis API as a workbook a reader can use as is, read back with
openpyxl: headers in the reader's language, yes/no in words, ties marked, nothing missing shown as 0,
no formula ever, one sheet per table and the sources."""

from __future__ import annotations

import zipfile

import pandas as pd
import pytest
from openpyxl import load_workbook

import cchc
from cchc.catalogue import TEXTS
from cchc.errors import UsageError


def rows_of(sheet) -> list[dict]:
    header = [c.value for c in sheet[1]]
    return [dict(zip(header, values)) for values in sheet.iter_rows(min_row=2, values_only=True)]


def test_a_national_table_in_vietnamese_with_ties_marked(shipped, tmp_path):
    table = cchc.national_table(shipped, "DTI", 2021)
    path = cchc.to_excel(table, tmp_path / "dti.xlsx")
    book = load_workbook(path)
    assert book.sheetnames == ["Bảng", "Nguồn"]
    header = [c.value for c in book["Bảng"][1]]
    assert header[:7] == [
        "Mã tỉnh",
        "Tỉnh, thành phố",
        "Vùng",
        "Điểm",
        "Thang đo",
        "Thứ hạng",
        "Số đơn vị được xếp hạng",
    ]
    assert not [h for h in header if "_" in h]  # every column of the table has a Vietnamese header
    rows = {r["Mã tỉnh"]: r for r in rows_of(book["Bảng"])}
    assert len(rows) == len(table)
    assert rows["thanh-hoa"]["Thứ hạng"] == "=12" and rows["vinh-phuc"]["Thứ hạng"] == "=12"  # tied at 12
    assert rows["thanh-hoa"]["Đồng hạng"] == "có" and rows["da-nang"]["Đồng hạng"] == "không"
    assert rows["da-nang"]["Thứ hạng"] == 1 and rows["da-nang"]["Điểm"] == 0.6419  # numbers stay numbers
    assert all(c.data_type != "f" for row in book["Bảng"].iter_rows() for c in row)
    sources = rows_of(book["Nguồn"])
    assert {s["Nguồn"] for s in sources} == set(table["source"].dropna()) - {""}
    assert sum(s["Số dòng"] for s in sources) == (table["source"].fillna("") != "").sum()
    assert {s["Dùng trong bảng"] for s in sources} == {"Bảng"}


def test_a_computed_rank_over_shared_places_is_a_range(tmp_path):
    table = pd.DataFrame(
        {"name": ["A", "B"], "rank": pd.array([31, 31], "Int64"), "rank_low": [31, 31], "rank_high": [32, 32]}
        | {"rank_computed": [True, True], "tied": [False, False]}
    )
    rows = rows_of(load_workbook(cchc.to_excel(table, tmp_path / "r.xlsx")).active)
    assert [r["Thứ hạng"] for r in rows] == ["31–32", "31–32"]


def test_booleans_in_words_missing_cells_empty_and_english_headers(tmp_path):
    table = pd.DataFrame(
        {
            "index": ["PAPI", "PCI"],
            "score": [42.1, float("nan")],
            "rank": pd.array([7, None], dtype="Int64"),
            "derived": [True, False],
            "region": ["Tây Nguyên", "Đông Nam Bộ"],
            "my_own": ["x", None],
        }
    )
    path = cchc.to_excel(table, tmp_path / "en.xlsx", lang="en")
    book = load_workbook(path)
    assert book.sheetnames == ["Table", "Sources"]
    rows = rows_of(book["Table"])
    assert list(rows[0]) == ["Index", "Score", "Rank", "Derived from a change", "Region", "my_own"]
    assert rows[0] == {
        "Index": "PAPI",
        "Score": 42.1,
        "Rank": 7,
        "Derived from a change": "yes",
        "Region": "Central Highlands",
        "my_own": "x",
    }
    assert (rows[1]["Score"], rows[1]["Rank"], rows[1]["my_own"], rows[1]["Derived from a change"]) == (
        None,
        None,
        None,
        "no",
    )  # missing stays empty, never 0
    assert rows_of(book["Sources"]) == [{"Sources": TEXTS["excel.no_sources"]["en"], "Used in": None, "Rows": None}]


def test_text_a_spreadsheet_would_run_is_kept_as_text(tmp_path):
    formulas = ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)", "=1+1"]
    table = pd.DataFrame({"note": formulas, "source": formulas})
    path = cchc.to_excel(table, tmp_path / "f.xlsx")
    with zipfile.ZipFile(path) as z:
        xml = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/"))
    assert "<f>" not in xml and "<f " not in xml
    book = load_workbook(path)
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows(min_row=2) for c in row if c.value]
    assert {c.value for c in cells} >= set(formulas)  # shown as written
    assert all(c.data_type == "s" and c.quotePrefix for c in cells if c.value in formulas)


def test_one_sheet_per_table_with_valid_unique_names(shipped, tmp_path):
    tables = {
        "PAR 2023": cchc.national_table(shipped, "PAR", 2023),
        "PAPI: 2023/vùng?": cchc.national_table(shipped, "PAPI", 2023),
        "A very long sheet name over thirty-one characters": cchc.means(shipped, "PAR"),
        "a very long sheet name over thirty-one characters too": cchc.history(shipped, "Huế", "PAR"),
    }
    book = load_workbook(cchc.to_excel(tables, tmp_path / "many.xlsx"))
    assert book.sheetnames[:2] == ["PAR 2023", "PAPI  2023 vùng"]
    assert len(set(n.lower() for n in book.sheetnames)) == 5 and all(len(n) <= 31 for n in book.sheetnames)
    used_in = {u for r in rows_of(book["Nguồn"]) for u in r["Dùng trong bảng"].split(", ")}
    assert used_in == set(book.sheetnames[:4])
    assert [len(rows_of(book[n])) for n in book.sheetnames[:4]] == [len(t) for t in tables.values()]


def test_an_unknown_language_is_refused(tmp_path):
    with pytest.raises(UsageError, match="unknown language 'fr'"):
        cchc.to_excel(pd.DataFrame({"a": [1]}), tmp_path / "x.xlsx", lang="fr")
    assert not (tmp_path / "x.xlsx").exists()


def test_cchc_export_writes_the_same_workbook_in_the_language_asked(shipped, tmp_path):
    from cchc.analysis.export import export_figures

    paths = export_figures("Đắk Nông", 2021, tmp_path, dataset=shipped, lang="en")
    book = load_workbook(paths["xlsx"])
    assert book.sheetnames[0] == "Indices" and book.sheetnames[-1] == "Sources"
    rows = rows_of(book["Indices"])
    assert {"Index", "Year", "Score", "Rank", "Source", "Data file", "Row"} <= set(rows[0])
    assert {r["Derived from a change"] for r in rows} <= {"yes", "no"}
