"""Excel templates and imports: rows reach the CSV only when every check passes."""

from __future__ import annotations

import csv
import re
import unicodedata
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from cchc.data.dataset import load_dataset
from cchc.data.importer import GUIDE_SHEET, import_xlsx, write_template
from cchc.data.schema import INDEX_FIGURES, TABLES
from cchc.errors import BadInput, UsageError

from ..conftest import DOCUMENT, as_text, as_xlsx, par_table

SOURCE = "https://example.org/synthetic-import"


def filled_template(folder: Path, table: str, rows: list[list], name: str = "new.xlsx") -> Path:
    """A template for ``table`` with ``rows`` typed into its first sheet."""
    path = write_template(table, folder / name)
    workbook = load_workbook(path)
    for row in rows:
        workbook.worksheets[0].append(row)
    workbook.save(path)
    return path


def with_cached_values(path: Path, values: dict[str, str]) -> None:
    """Store a saved value for formula cells (as Excel does; openpyxl itself saves none)."""
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    xml = parts["xl/worksheets/sheet1.xml"].decode()
    for ref, value in values.items():
        xml, n = re.subn(rf'(<c r="{ref}"[^>]*>\s*<f>[^<]*</f>)\s*<v\s*/>', rf"\1<v>{value}</v>", xml)
        assert n == 1, ref
    parts["xl/worksheets/sheet1.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def csv_rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize("table", [t.name for t in TABLES])
def test_template_has_header_guide_and_frozen_bold_header(tmp_path, table):
    path = write_template(table, tmp_path / f"{table}.xlsx")
    workbook = load_workbook(path)
    sheet = workbook.worksheets[0]
    schema = next(t for t in TABLES if t.name == table)
    assert [c.value for c in sheet[1]] == schema.column_names
    assert all(c.font.bold for c in sheet[1]) and sheet.freeze_panes == "A2"
    guide = workbook[GUIDE_SHEET]
    listed = [guide.cell(r, 1).value for r in range(3, 3 + len(schema.columns))]
    assert listed == schema.column_names
    if table == "indices":
        allowed = {guide.cell(r, 1).value: guide.cell(r, 6).value for r in range(3, 3 + len(schema.columns))}
        assert allowed["index"] == "PAR, SIPAS, PAPI, PCI, DTI"
        headings = {guide.cell(r, 1).value: guide.cell(r, 2).value for r in range(3, 3 + len(schema.columns))}
        assert headings["score"] == "Điểm" and headings["rank"] == "Xếp hạng"


def test_round_trip_template_fill_import(good_dir, tmp_path):
    xlsx = filled_template(
        tmp_path,
        "indices",
        [
            ["PAR", 2022, "Đắk Nông", None, 87.5, "%", None, 30, 63, SOURCE, "imported", None, None, None],
            ["SIPAS", 2022, "Tỉnh Lâm Đồng", None, "80,5", "%", None, None, None, SOURCE, None, None, None, None],
        ],
    )
    before = (good_dir / "indices" / "par.csv").read_bytes()
    result = import_xlsx(xlsx, data_dir=good_dir)
    assert result.table == "indices"
    assert result.added == {"indices/par.csv": 1, "indices/sipas.csv": 1}
    assert [(w.row, w.column) for w in result.warnings] == [(3, "score")]
    after = (good_dir / "indices" / "par.csv").read_bytes()
    assert after.startswith(before)  # existing rows kept byte for byte; the new row appended
    assert after[len(before) :] == f"PAR,2022,dak-nong,,87.5,%,,30,63,{SOURCE},imported,,,\n".encode()
    assert csv_rows(good_dir / "indices" / "sipas.csv") == [
        dict(
            zip(
                INDEX_FIGURES.column_names,
                ["SIPAS", "2022", "lam-dong", "", "80.5", "%", "", "", "", SOURCE, "", "", "", "", "", ""],
            )
        )
    ]
    ds = load_dataset(good_dir)
    assert ((ds.indices["year"] == 2022) & (ds.indices["province"] == "dak-nong")).sum() == 1


def test_failed_import_changes_nothing(good_dir, tmp_path, snapshot):
    xlsx = filled_template(
        tmp_path,
        "indices",
        [
            ["PAR", 2022, "Đắk Nông", None, 87.5, "%", None, 30, 63, SOURCE, None, None, None, None],
            ["PAR", 2022, "Dak Nongg", None, 101, "%", None, 30, 63, None, None, None, None, None],
        ],
    )
    data_before, xlsx_before = snapshot(good_dir), xlsx.read_bytes()
    with pytest.raises(BadInput) as exc:
        import_xlsx(xlsx, data_dir=good_dir)
    assert [(p.file, p.row, p.column) for p in exc.value.problems] == [
        ("new.xlsx", 3, "province"),
        ("new.xlsx", 3, "score"),
        ("new.xlsx", 3, "source"),
    ]
    assert snapshot(good_dir) == data_before
    assert xlsx.read_bytes() == xlsx_before


def test_a_row_already_in_the_data_is_left_unchanged(good_dir, tmp_path, snapshot):
    xlsx = filled_template(
        tmp_path,
        "indices",
        [
            [
                "PAR",
                2020,
                "dak-nong",
                None,
                82.05,
                "%",
                None,
                51,
                63,
                "https://example.org/par-2020",
                None,
                None,
                None,
                None,
            ]
        ],
    )
    before = snapshot(good_dir)
    result = import_xlsx(xlsx, data_dir=good_dir)
    assert result.added == {} and len(result.plan.unchanged) == 1
    assert snapshot(good_dir) == before


def test_same_source_with_another_figure_is_an_error(good_dir, tmp_path, snapshot):
    xlsx = filled_template(
        tmp_path,
        "indices",
        [
            [
                "PAR",
                2020,
                "dak-nong",
                None,
                82.5,
                "%",
                None,
                51,
                63,
                "https://example.org/par-2020",
                None,
                None,
                None,
                None,
            ]
        ],
    )
    before = snapshot(good_dir)
    with pytest.raises(BadInput) as exc:
        import_xlsx(xlsx, data_dir=good_dir)
    (problem,) = exc.value.problems
    assert (problem.file, problem.row) == ("new.xlsx", 2)
    assert "same source with other figures" in problem.message and "indices/par.csv row 2" in problem.message
    assert snapshot(good_dir) == before


def test_formula_with_a_saved_value_is_imported(good_dir, tmp_path):
    xlsx = filled_template(
        tmp_path,
        "indices",
        [["PAR", 2022, "dak-nong", None, "=80+7.5", "%", None, "=25+5", 63, SOURCE, None, None, None, None]],
    )
    with_cached_values(xlsx, {"E2": "87.5", "H2": "30"})
    import_xlsx(xlsx, data_dir=good_dir)
    row = csv_rows(good_dir / "indices" / "par.csv")[-1]
    assert (row["score"], row["rank"]) == ("87.5", "30")


def test_formula_without_a_saved_value_is_an_error_on_that_cell(good_dir, tmp_path, snapshot):
    xlsx = filled_template(
        tmp_path,
        "indices",
        [["PAR", 2022, "dak-nong", None, "=80+7.5", "%", None, 30, 63, SOURCE, None, None, None, None]],
    )
    before = snapshot(good_dir)
    with pytest.raises(BadInput) as exc:
        import_xlsx(xlsx, data_dir=good_dir)
    (problem,) = exc.value.problems
    assert (problem.file, problem.row, problem.column) == ("new.xlsx", 2, "score")
    assert "formula =80+7.5 has no saved value" in problem.message
    assert snapshot(good_dir) == before


def test_nfd_text_is_stored_as_nfc(good_dir, tmp_path):
    nfd = unicodedata.normalize("NFD", "Sở Tư pháp Đắk Nông")
    xlsx = filled_template(
        tmp_path,
        "unit_rankings",
        [[unicodedata.normalize("NFD", "Đắk Nông"), 2022, "department", nfd, 90.1, 1, 20, None, None, SOURCE, nfd]],
    )
    import_xlsx(xlsx, data_dir=good_dir)
    text = (good_dir / "unit_rankings.csv").read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", text)
    assert csv_rows(good_dir / "unit_rankings.csv")[-1]["unit"] == unicodedata.normalize("NFC", nfd)


def test_targets_go_to_the_province_file_with_dates_as_iso(good_dir, tmp_path):
    import datetime as dt

    xlsx = filled_template(
        tmp_path,
        "targets",
        [
            [
                "Nghệ An",
                "Quyết định 1/QĐ-UBND (synthetic)",
                dt.datetime(2021, 12, 30),
                "tthc_on_time_rate",
                ">=",
                98,
                "%",
                2025,
                "Tỷ lệ hồ sơ đúng hạn đạt 98% (synthetic)",
                SOURCE,
                None,
            ]
        ],
    )
    result = import_xlsx(xlsx, data_dir=good_dir)
    assert result.added == {"targets/nghe-an.csv": 1}
    (row,) = csv_rows(good_dir / "targets" / "nghe-an.csv")
    assert (row["province"], row["date"], row["value"], row["deadline"]) == ("nghe-an", "2021-12-30", "98", "2025")


def test_percent_formatted_cell_is_read_as_percent(good_dir, tmp_path):
    xlsx = filled_template(
        tmp_path,
        "indices",
        [["SIPAS", 2022, "dak-nong", None, 0.8626, "%", None, None, None, SOURCE, None, None, None, None]],
    )
    workbook = load_workbook(xlsx)
    workbook.worksheets[0]["E2"].number_format = "0.00%"
    workbook.save(xlsx)
    result = import_xlsx(xlsx, data_dir=good_dir)
    assert "0.8626 read as 86.26" in result.warnings[0].message
    assert csv_rows(good_dir / "indices" / "sipas.csv")[-1]["score"] == "86.26"


def test_table_is_guessed_from_the_header_or_given(good_dir, tmp_path):
    workbook = Workbook()
    workbook.active.append(["a", "b"])
    workbook.active.append([1, 2])
    workbook.save(tmp_path / "odd.xlsx")
    with pytest.raises(UsageError, match="give --table"):
        import_xlsx(tmp_path / "odd.xlsx", data_dir=good_dir)
    xlsx = filled_template(tmp_path, "means", [["PAR", 2022, "national", None, 85, "%", SOURCE, None, None]])
    assert import_xlsx(xlsx, table="means", data_dir=good_dir).added == {"means.csv": 1}


def test_empty_sheet_is_an_error(good_dir, tmp_path):
    xlsx = filled_template(tmp_path, "means", [])
    with pytest.raises(BadInput, match="no rows to import"):
        import_xlsx(xlsx, data_dir=good_dir)


def test_value_without_a_column_in_the_existing_file_is_an_error(good_dir, tmp_path, snapshot):
    path = good_dir / "means.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace(",derived", "").replace("synthetic,\n", "synthetic\n"),
        encoding="utf-8",
    )
    xlsx = filled_template(tmp_path, "means", [["PAR", 2022, "national", None, 85, "%", SOURCE, None, "yes"]])
    before = snapshot(good_dir)
    with pytest.raises(BadInput, match="has no column 'derived'"):
        import_xlsx(xlsx, data_dir=good_dir)
    assert snapshot(good_dir) == before


def test_unreadable_workbook_is_a_user_error(good_dir, tmp_path):
    from cchc.errors import CchcError

    (tmp_path / "broken.xlsx").write_text("not a workbook", encoding="utf-8")
    with pytest.raises(CchcError, match="cannot read broken.xlsx as an Excel workbook"):
        import_xlsx(tmp_path / "broken.xlsx", data_dir=good_dir)
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(CchcError, match="cannot read old.xls as an Excel 97-2003 workbook"):
        import_xlsx(tmp_path / "old.xls", data_dir=good_dir)


def import_official(path: Path, data_dir: Path, **options):
    from cchc.data.importer import import_file

    return import_file(path, data_dir=data_dir, **({"index": "PAR", "year": 2024, "source": DOCUMENT} | options))


@pytest.mark.parametrize("form", ["tab text", "spaced text", "xlsx"])
def test_official_par_table_is_imported_as_the_users_official_table(good_dir, tmp_path, registry, form):
    from cchc.api import national_table

    rows = par_table(registry)
    path = as_xlsx(rows, tmp_path) if form == "xlsx" else as_text(rows, tmp_path, sep="\t" if "tab" in form else "   ")
    result = import_official(path, good_dir)
    assert result.layout == "PAR official table entered by the user"
    assert result.added == {"indices/par.csv": 63 * 4}
    ds = load_dataset(good_dir)
    table = national_table(ds, "PAR", 2024)
    assert len(table) == 63 and list(table["rank"]) == list(range(1, 64))
    assert table.iloc[0][["province", "score", "unit", "rank", "rank_of"]].tolist() == [
        registry.valid_in(2024)[0].slug,
        95.0,
        "%",
        1,
        63,
    ]
    assert set(table["source"]) == {DOCUMENT} and set(table["origin"]) == {"user_official"}
    written = [r for r in csv_rows(good_dir / "indices" / "par.csv") if r["year"] == "2024"]
    assert {r["origin"] for r in written} == {"user_official"}
    area = next(r for r in written if r["component"] == "Lĩnh vực 1" and r["province"] == "ha-noi")
    assert (float(area["score"]), area["unit"], area["max_score"]) == (28.0, "points", "30.5")  # Hà Nội: i = 0
    assert import_official(path, good_dir).added == {}  # a second import changes nothing


def test_official_table_of_the_new_units_has_34_rows(good_dir, tmp_path, registry):
    path = as_text(par_table(registry, 2025, areas=False), tmp_path)
    result = import_official(path, good_dir, year=2025, prefer="publisher")
    assert result.added == {"indices/par.csv": 34}


def refused(path: Path, data_dir: Path, snapshot) -> list:
    """The errors of an import that must be refused; data/ byte-identical afterwards."""
    before = snapshot(data_dir)
    with pytest.raises(BadInput) as caught:
        import_official(path, data_dir)
    assert snapshot(data_dir) == before
    return [p for p in caught.value.problems if p.severity == "error"]


def test_official_table_without_a_province_is_refused(good_dir, tmp_path, registry, snapshot):
    rows = par_table(registry)
    del rows[3 + 10]  # the 11th province
    errors = refused(as_text(rows, tmp_path), good_dir, snapshot)
    missing = registry.valid_in(2024)[10].name
    error = next(e for e in errors if e.column == "Tỉnh, thành phố")
    assert error.file == "phu-luc.txt" and "62 of the 63 units" in error.message and missing in error.message
    assert any(e.row == 3 + 10 + 1 and e.column == "Xếp hạng" and "no unit has rank 11" in e.message for e in errors)


def test_official_table_with_a_duplicated_rank_is_refused(good_dir, tmp_path, registry, snapshot):
    rows = par_table(registry, areas=False)
    rows[3 + 5][-1] = "5"  # the 6th gets the 5th's rank with a lower score
    errors = refused(as_text(rows, tmp_path), good_dir, snapshot)
    assert any(
        e.row == 3 + 5 + 1
        and e.column == "Xếp hạng"
        and "rank 5 is given to 2 units with different scores" in e.message
        for e in errors
    ), errors


def test_official_table_may_share_a_rank_between_equal_scores(good_dir, tmp_path, registry):
    rows = par_table(registry, areas=False)
    rows[3 + 5][2], rows[3 + 5][3] = rows[3 + 4][2], "5"  # the 6th ties with the 5th: both 5th, then 7th
    assert import_official(as_text(rows, tmp_path), good_dir).added == {"indices/par.csv": 63}


def test_official_table_with_a_score_out_of_range_is_refused(good_dir, tmp_path, registry, snapshot):
    rows = par_table(registry, areas=False)
    rows[3][2] = "105,00%"
    errors = refused(as_text(rows, tmp_path), good_dir, snapshot)
    assert [(e.file, e.row, e.column) for e in errors] == [("phu-luc.txt", 4, "Chỉ số (%)")]
    assert "105.00 is outside 0–100 %" in errors[0].message


def test_official_table_with_ranks_not_following_scores_is_refused(good_dir, tmp_path, registry, snapshot):
    rows = par_table(registry, areas=False)
    rows[3 + 20][-1], rows[3 + 21][-1] = "22", "21"  # 21st and 22nd swapped: the lower score ranked better
    errors = refused(as_text(rows, tmp_path), good_dir, snapshot)
    assert [(e.row, e.column) for e in errors] == [(3 + 20 + 1, "Xếp hạng")]
    assert "ranks must follow the scores" in errors[0].message


def test_official_table_whose_areas_do_not_add_up_is_refused(good_dir, tmp_path, registry, snapshot):
    rows = par_table(registry)
    rows[3 + 2][2] = "28,50"  # area 1 of the 3rd province half a point off
    errors = refused(as_xlsx(rows, tmp_path), good_dir, snapshot)
    assert [(e.file, e.row, e.column) for e in errors] == [("phu-luc.xlsx", 3 + 2 + 1, "Chỉ số (%)")]
    assert "add up to" in errors[0].message


def test_official_table_needs_the_documents_number_and_date(good_dir, tmp_path, registry, snapshot):
    path = as_text(par_table(registry), tmp_path)
    before = snapshot(good_dir)
    for source in (None, "Bộ Nội vụ"):
        with pytest.raises(BadInput, match="--source"):
            import_official(path, good_dir, source=source)
    assert snapshot(good_dir) == before


def test_official_sipas_table_with_other_printed_headers(good_dir, tmp_path, registry):
    rows = par_table(registry, areas=False)
    rows[2] = ["TT", "Tỉnh/Thành phố", "Chỉ số SIPAS 2024 (%)", "Thứ hạng", "Nhóm"]
    for row in rows[3:]:
        row.append("A" if float(row[2].rstrip("%").replace(",", ".")) >= 90 else "B")
    rows.append(["", "Trung bình cả nước", "87,00%", "", ""])  # a mean under the table: not a province
    result = import_official(as_text(rows, tmp_path, "sipas.txt", sep="    "), good_dir, index=None)
    assert result.layout == "SIPAS official table entered by the user" and result.added == {"indices/sipas.csv": 63}
    first = csv_rows(good_dir / "indices" / "sipas.csv")[0]
    assert (first["score"], first["unit"], first["rank"], first["rank_of"]) == ("95.00", "%", "1", "63")
    assert "group A" in first["note"] and first["origin"] == "user_official"


def test_official_table_of_fractions_is_refused_unless_shown_as_percentages(good_dir, tmp_path, registry, snapshot):
    rows = par_table(registry, areas=False)
    for row in rows[3:]:  # 95,00% stored as 0.95
        row[2] = str(float(row[2].rstrip("%").replace(",", ".")) / 100)
    errors = refused(as_xlsx(rows, tmp_path), good_dir, snapshot)
    assert [(e.row, e.column) for e in errors] == [(None, "Chỉ số (%)")] and "fractions" in errors[0].message
    path = as_xlsx(rows, tmp_path, "vi-locale.xlsx")  # pasted into a sheet that shows the cells as 95,00%
    workbook = load_workbook(path)
    for (cell,) in workbook.active.iter_rows(min_row=4, min_col=3, max_col=3):
        cell.number_format = "0.00%"
    workbook.save(path)
    result = import_official(path, good_dir)
    assert result.added == {"indices/par.csv": 63} and "63 cells shown as percentages" in result.warnings[0].message
    assert [r["score"] for r in csv_rows(good_dir / "indices" / "par.csv") if r["year"] == "2024"][:2] == [
        "95.00",
        "94.75",
    ]


def test_official_table_needs_its_results_year(good_dir, tmp_path, registry):
    path = as_text(par_table(registry), tmp_path, "qd-1234-2025.txt")  # the document's year is not the results'
    with pytest.raises(BadInput, match="give the results year of the table with --year"):
        import_official(path, good_dir, year=None)
