"""Importing the publishers' own files (small workbooks and tables built here in their layouts), and the
import rules: precision, two facts for one key, policies, dry run, a second import changing nothing."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook

from cchc.data.dataset import load_dataset
from cchc.data.importer import import_file
from cchc.errors import BadInput

# Province, entry cost, land access, PCI total (full float precision, as VCCI's files hold them), tier.
PCI_2015 = [
    ("Đà Nẵng", 9.19, 6.5, 68.335, "Rất tốt"),
    ("Hậu Giang", 9.2301, 6.1, 60.1, "Khá"),
    ("TT- Huế", 8.1, 7.82, 59.0049, "Khá"),
    ("Tp.HCM", 7.0, 5.9, 58.6, "Khá"),
    ("BRVT", 6.5, 7.145, 57.2, "Trung bình"),
    ("Đăk Nông", 5.9, 5.0, 55.0, "Trung bình"),
]


def sorted_by(values: list[tuple], i: int) -> list[tuple]:
    return sorted(values, key=lambda v: -v[i])


def pci_side_by_side(path: Path, year: int = 2015, stale_sheet: bool = True, extra_column: str | None = None) -> Path:
    """A summary sheet like VCCI's 2010-2016 files: each value column is its own ranked list with the
    province names in the column to its left; then the total, its rank and tier against one name column.
    Optionally a second, stale English sheet labelled 'PCI 2013' (as in the 2014-2016 files)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Summary_VN"
    header = [
        "Thứ tự",
        "Tỉnh",
        "Gia nhập\n thị trường",
        None,
        "Tiếp cận \nđất đai",
        None,
        f"PCI {year}",
        "Xếp hạng",
        "Nhóm\n xếp hạng",
    ]
    if extra_column:
        header.append(extra_column)
    sheet.append(header)
    entry, land, total = sorted_by(PCI_2015, 1), sorted_by(PCI_2015, 2), sorted_by(PCI_2015, 3)
    for i in range(len(PCI_2015)):
        row = [i + 1, entry[i][0], entry[i][1], land[i][0], land[i][2], total[i][0], total[i][3], i + 1, total[i][4]]
        sheet.append(row + ([1.5] if extra_column else []))
    sheet.append([])
    sheet.append([None, "Đà Nẵng", 9.19, None, 6.5, None, 68.335, 1])  # a look-up block under the table
    if stale_sheet:
        old = book.create_sheet("Summary")
        old.append(["No", "Province", "Entry Costs", None, "Land Access", None, "PCI 2013", "PCI 2013 ranking"])
        old.append([1, "Da Nang", 1.0, "Da Nang", 1.0, "Da Nang", 11.0, 1])
        old.append([2, "Ha Noi", 1.0, "Ha Noi", 1.0, "Ha Noi", 10.0, 2])
        old.append([3, "Hue", 1.0, "Hue", 1.0, "Hue", 9.0, 3])
    book.save(path)
    return path


def index_rows(data: Path, index: str) -> list[dict[str, str]]:
    with open(data / "indices" / f"{index.lower()}.csv", encoding="utf-8", newline="") as f:
        return [r for r in csv.DictReader(f) if r["index"] == index]


def test_pci_workbook_reads_each_value_against_its_own_name_column(good_dir, tmp_path):
    book = pci_side_by_side(tmp_path / "PCI_2015.xlsx")
    result = import_file(book, data_dir=good_dir)
    rows = {(r["province"], r["component"]): r for r in index_rows(good_dir, "PCI") if r["year"] == "2015"}
    assert rows[("da-nang", "Gia nhập thị trường")]["score"] == "9.19"  # row 2 of its list, not row 1
    assert rows[("hau-giang", "Gia nhập thị trường")]["score"] == "9.23"
    assert rows[("ba-ria-vung-tau", "Tiếp cận đất đai")]["score"] == "7.15"  # 7.145 half up, as printed
    total = rows[("da-nang", "")]
    # rank_of: the provinces VCCI ranked in 2015 (data/README.md), not the 6 this sheet lists
    assert (total["score"], total["unit"], total["rank"], total["rank_of"]) == ("68.34", "points/100", "1", "63")
    assert "Rất tốt" in total["note"] and "68.335" in total["note"]
    assert rows[("thua-thien-hue", "")]["score"] == "59.00" and ("ho-chi-minh", "") in rows
    assert rows[("dak-nong", "")]["rank"] == "6"
    assert total["source"] == 'VCCI, "Chỉ số Năng lực cạnh tranh cấp tỉnh (PCI) 2015", https://pcivietnam.vn'
    assert result.layout == "VCCI PCI workbook 2015" and result.added == {"indices/pci.csv": 18}
    assert any("labelled PCI 2013, not 2015" in w.message for w in result.warnings)  # the stale sheet


def test_a_column_that_cannot_be_placed_stops_the_import_naming_sheet_and_column(good_dir, tmp_path, snapshot):
    book = pci_side_by_side(tmp_path / "PCI_2015.xlsx", extra_column="Chỉ số mới 2015")
    before = snapshot(good_dir)
    with pytest.raises(BadInput) as caught:
        import_file(book, data_dir=good_dir)
    (problem,) = [p for p in caught.value.problems if p.severity == "error"]
    assert "sheet 'Summary_VN'" in problem.file and "column J ('Chỉ số mới 2015')" in problem.message
    assert snapshot(good_dir) == before


def test_second_import_changes_nothing_and_dry_run_writes_nothing(good_dir, tmp_path, snapshot):
    book = pci_side_by_side(tmp_path / "PCI_2015.xlsx", stale_sheet=False)
    before = snapshot(good_dir)
    planned = import_file(book, data_dir=good_dir, dry_run=True)
    assert snapshot(good_dir) == before and planned.added == {"indices/pci.csv": 18}
    import_file(book, data_dir=good_dir)
    after = snapshot(good_dir)
    again = import_file(book, data_dir=good_dir)
    assert snapshot(good_dir) == after
    assert again.added == {} and len(again.plan.unchanged) == 18


def papi_workbook(path: Path) -> Path:
    """The PAPI data file's layout: 'YYYY_PAPI' sheets, English then Vietnamese header, GSO code in
    'tinhid', indicator columns between the dimensions, row 999 = highest score, a 0 total = no scores."""
    book = Workbook()
    sheet = book.active
    sheet.title = "2014_PAPI"
    dims = [
        ("Participation at Local Levels", "Tham gia của người dân ở cấp cơ sở"),
        ("Transparency", "Công khai, minh bạch"),
        ("Vertical Accountability", "Trách nhiệm giải trình với người dân"),
        ("Control of Corruption", "Kiểm soát tham nhũng trong khu vực công"),
        ("Public Administrative Procedures", "Thủ tục hành chính công"),
        ("Public Service Delivery", "Cung ứng dịch vụ công"),
    ]
    english, vietnamese = ["tinhid", "tentinh_eng", "tentinh_vie"], ["tinhid", "tentinh_eng", "tentinh_vie"]
    for en, vi in dims:
        english += [en, "Civic Knowledge"]
        vietnamese += [vi, "Tri thức công dân"]
    sheet.append(english + ["Un-weighted2015PAPI"])
    sheet.append(vietnamese + ["Chỉ số PAPI (không có trọng số)"])
    sheet.append(
        [1, "Ha Noi", "Hà Nội", 5.306829, 1, 6.006218, 1, 5.635981, 1, 5.229061, 1, 6.802405, 1, 6.821354, 1, 35.801848]
    )
    sheet.append(
        [24, "Bac Giang", "Bắc Giang", None, None, None, None, None, None, None, None, None, None, None, None, 0]
    )
    sheet.append([999, "Highest", "Điểm cao nhất", 7, 1, 7, 1, 7, 1, 7, 1, 7, 1, 7, 1, 42])
    book.save(path)
    return path


def test_papi_workbook_dimensions_total_and_a_not_published_province(good_dir, tmp_path):
    import_file(papi_workbook(tmp_path / "PAPI_2011-2016.xlsx"), data_dir=good_dir)
    rows = [r for r in index_rows(good_dir, "PAPI") if r["year"] == "2014"]
    hanoi = {r["component"]: r for r in rows if r["province"] == "ha-noi"}
    assert len(hanoi) == 7 and hanoi[""]["score"] == "35.80185" and hanoi[""]["unit"] == "points/60"
    assert hanoi["Kiểm soát tham nhũng trong khu vực công"]["score"] == "5.22906"
    (bac_giang,) = [r for r in rows if r["province"] == "bac-giang"]
    assert (
        bac_giang["status"] == "not published"
        and bac_giang["score"] == ""
        and "total printed as 0" in bac_giang["note"]
    )
    assert not any(r["province"] in ("", "999") for r in rows)
    ds = load_dataset(good_dir)  # a not-published row is never a figure the reports use
    chosen = ds.indices[(ds.indices["province"] == "bac-giang") & (ds.indices["index"] == "PAPI")]
    assert not chosen["chosen"].any()


def write_csv(path: Path, rows: list[list]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    return path


def test_fact_tables_wide_with_ties_and_not_published_rows(good_dir, tmp_path):
    dti = write_csv(
        tmp_path / "dti_2022_ranks.csv",
        [
            ["slug", "year", "rank", "dti_score", "Nhận thức số"],
            ["da-nang", 2022, 1, "0.8002", "1.0000"],
            ["thanh-hoa", 2022, 2, "", ""],
            ["yen-bai", 2022, 2, "", ""],
        ],
    )
    import_file(dti, data_dir=good_dir)
    rows = {
        (r["province"], r["component"]): r
        for r in index_rows(good_dir, "DTI")
        if r["year"] == "2022" and r["source"] == "https://dti.gov.vn/xep-hang-2022"
    }
    assert rows[("yen-bai", "")]["rank"] == rows[("thanh-hoa", "")]["rank"] == "2"  # a tie, kept
    assert rows[("yen-bai", "")]["rank_of"] == "63"  # the provinces DTI ranked in 2022, not the 3 listed here
    assert rows[("da-nang", "Nhận thức số")]["score"] == "1.0000"  # the table's own precision
    papi = write_csv(
        tmp_path / "papi.csv",
        [
            ["slug", "year", "Tham gia của người dân ở cấp cơ sở", "total", "total_kind", "note"],
            ["quang-ninh", 2023, "", "", "", "not published: PAPI 2023 ranked 61 provinces"],
            ["bac-ninh", 2022, "5.8174", "", "", "partial: not evaluated - do not report as results"],
            ["ha-noi", 2017, "5.1", "35.2", "sum_of_dimensions", ""],
        ],
    )
    result = import_file(papi, data_dir=good_dir)
    rows = {(r["province"], r["year"], r["component"]): r for r in index_rows(good_dir, "PAPI")}
    assert rows[("quang-ninh", "2023", "")]["status"] == "not published"
    assert rows[("bac-ninh", "2022", "")]["status"] == "not published"
    assert ("bac-ninh", "2022", "Tham gia của người dân ở cấp cơ sở") not in rows  # excluded by the publisher
    assert rows[("ha-noi", "2017", "")]["derived"] == "yes" and rows[("ha-noi", "2017", "")]["unit"] == "points/60"
    assert any("do not report" in w.message for w in result.warnings)


def test_unknown_fact_table_column_is_an_error(good_dir, tmp_path, snapshot):
    table = write_csv(tmp_path / "pci.csv", [["slug", "year", "pci_total", "Chỉ số lạ"], ["ha-noi", 2020, "65", "1"]])
    before = snapshot(good_dir)
    with pytest.raises(BadInput, match="cannot place column D"):
        import_file(table, data_dir=good_dir)
    assert snapshot(good_dir) == before


def press_rows(data: Path, rows: list[str]) -> None:
    """Append rows (CSV text) to the PAPI file of a data folder."""
    path = data / "indices" / "papi.csv"
    text = (
        path.read_text(encoding="utf-8")
        if path.exists()
        else "index,year,province,component,score,unit,max_score,rank,rank_of,source,note,derived,use,reason\n"
    )
    path.write_text(text + "".join(r + "\n" for r in rows), encoding="utf-8")


def test_same_figure_at_two_precisions_agrees_and_the_precise_one_is_used(good_dir, tmp_path):
    press_rows(good_dir, ["PAPI,2023,dong-nai,,45.78,points/80,,,,https://example.org/press,,,,"])
    table = write_csv(tmp_path / "papi.csv", [["slug", "year", "papi_total"], ["dong-nai", 2023, "45.7875"]])
    result = import_file(table, data_dir=good_dir)
    ((merged_row, note),) = result.plan.merged
    assert "agrees with 45.78" in note and "this more precise figure is used" in merged_row["note"]
    ds = load_dataset(good_dir)
    used = ds.indices[(ds.indices["province"] == "dong-nai") & ds.indices["chosen"]]
    assert used["score"].tolist() == [45.7875]


def test_rank_only_and_score_only_rows_are_two_facts_both_used(good_dir, tmp_path):
    press_rows(good_dir, ["PAPI,2023,thai-nguyen,,,,,5,61,https://example.org/press,rank only,,,"])
    table = write_csv(tmp_path / "papi.csv", [["slug", "year", "papi_total"], ["thai-nguyen", 2023, "45.7948"]])
    result = import_file(table, data_dir=good_dir)
    assert not result.plan.flagged
    ds = load_dataset(good_dir)
    (used,) = ds.figures[(ds.figures["province"] == "thai-nguyen") & (ds.figures["index"] == "PAPI")].itertuples()
    assert (used.score, used.rank, used.rank_of) == (45.7948, 5, 61)
    assert used.rank_source == "https://example.org/press"


def test_real_disagreement_needs_a_policy_and_is_listed_side_by_side(good_dir, tmp_path, snapshot):
    press_rows(good_dir, ["PAPI,2020,quang-ninh,,48.881,points/80,,1,63,https://example.org/press,,,,"])
    table = write_csv(tmp_path / "papi.csv", [["slug", "year", "papi_total"], ["quang-ninh", 2020, "48.8114"]])
    before = snapshot(good_dir)
    dry = subprocess.run(
        [
            sys.executable,
            "-m",
            "cchc",
            "import",
            str(table),
            "--into",
            str(good_dir),
            "--dry-run",
            "--prefer",
            "publisher",
        ],
        capture_output=True,
        text=True,
    )
    assert dry.returncode == 0 and "flagged:" in dry.stdout and "48.881" in dry.stdout and "48.8114" in dry.stdout
    assert "dry run: nothing was written" in dry.stdout and snapshot(good_dir) == before
    refused = subprocess.run(
        [sys.executable, "-m", "cchc", "import", str(table), "--into", str(good_dir)], capture_output=True, text=True
    )
    assert refused.returncode == 65 and "the sources give different figures" in refused.stderr
    assert "--prefer publisher" in refused.stderr and snapshot(good_dir) == before
    import_file(table, data_dir=good_dir, prefer="publisher")
    rows = [r for r in index_rows(good_dir, "PAPI") if r["province"] == "quang-ninh"]
    assert {r["score"]: r["use"] for r in rows} == {"48.881": "", "48.8114": "yes"}  # the press row stays
    ds = load_dataset(good_dir)
    assert ds.indices[(ds.indices["province"] == "quang-ninh") & ds.indices["chosen"]]["score"].tolist() == [48.8114]


def test_prefer_existing_keeps_the_figure_already_there(good_dir, tmp_path):
    press_rows(good_dir, ["PAPI,2020,quang-ninh,,48.881,points/80,,1,63,https://example.org/press,,,,"])
    table = write_csv(tmp_path / "papi.csv", [["slug", "year", "papi_total"], ["quang-ninh", 2020, "48.8114"]])
    import_file(table, data_dir=good_dir, prefer="existing")
    rows = {r["score"]: r for r in index_rows(good_dir, "PAPI") if r["province"] == "quang-ninh"}
    assert rows["48.881"]["use"] == "yes" and "prefer existing" in rows["48.881"]["reason"]
    assert rows["48.8114"]["use"] == ""


# ------------------------------------------------------------------ press facts (one figure a row, with its page)
PRESS_HEADER = ["index", "year", "province", "component", "what", "value", "url", "note"]
BD = "https://baobinhduong.vn/par-2024"


def press_facts(path: Path, rows: list[list]) -> Path:
    return write_csv(path, [PRESS_HEADER] + rows)


def test_press_facts_become_one_row_per_page_citing_the_publisher_via_the_page(good_dir, tmp_path, snapshot):
    facts = press_facts(
        tmp_path / "par_sipas.csv",
        [
            ["PAR", 2024, "binh-duong", "", "score", "89.13", BD, "PAR Index 2024 89.13/100"],
            ["PAR", 2024, "binh-duong", "", "rank", "23", BD, "23rd of 63"],
            ["PAR", 2024, "binh-duong", "", "rank_of", "63", BD, "ranked out of 63 provinces"],
            ["SIPAS", 2024, "binh-duong", "", "score", "87.80", BD, "SIPAS 2024 score 87.80/100"],
            ["SIPAS", 2024, "binh-duong", "", "rank", "7", BD, "7th of 63"],
            ["PAR", 2022, "hai-phong", "", "group", "A", "https://vietnambiz.vn/x", "group A only"],
            ["DTI", 2021, "ninh-binh", "Chính quyền số", "rank", "5", "https://daidoanket.vn/x", "digital government"],
            ["DTI", 2020, "", "", "mean_national", "0.3026", "https://baolangson.vn/x", "provincial average"],
            ["PCI", 2024, "", "", "mean_national", "67.67", "https://sonla.gov.vn/x", "the MEDIAN score 67.67"],
        ],
    )
    result = import_file(facts, data_dir=good_dir)
    par = {r["province"]: r for r in index_rows(good_dir, "PAR") if r["year"] == "2024"}
    assert (par["binh-duong"]["score"], par["binh-duong"]["rank"], par["binh-duong"]["rank_of"]) == (
        "89.13",
        "23",
        "63",
    )
    assert par["binh-duong"]["source"] == f'Bộ Nội vụ, "Chỉ số cải cách hành chính (PAR INDEX) 2024", via {BD}'
    sipas = [r for r in index_rows(good_dir, "SIPAS") if r["province"] == "binh-duong"]
    assert [(r["score"], r["rank"], r["rank_of"]) for r in sipas] == [("87.80", "7", "63")]  # precision kept
    (dti,) = [r for r in index_rows(good_dir, "DTI") if r["province"] == "ninh-binh" and r["year"] == "2021"]
    assert dti["component"] == "Chính quyền số (pillar)" and dti["rank_of"] == "63"
    assert "the page prints no number" in dti["note"] and dti["source"].startswith("Bộ Thông tin và Truyền thông")
    assert "hai-phong" not in {
        r["province"] for r in index_rows(good_dir, "PAR") if r["year"] == "2022" and "vietnambiz" in r["source"]
    }  # a group alone is no figure
    with open(good_dir / "means.csv", encoding="utf-8") as f:
        means = {(r["index"], r["year"]): r for r in csv.DictReader(f)}
    assert means[("DTI", "2020")]["score"] == "0.3026"
    assert ("PCI", "2024") not in means  # a median is not a mean
    assert any("median" in w.message for w in result.warnings)
    ds = load_dataset(good_dir)
    f = ds.figures
    assert f[(f["province"] == "binh-duong") & (f["index"] == "PAR") & (f["year"] == 2024)]["score"].tolist() == [89.13]
    before = snapshot(good_dir)
    import_file(facts, data_dir=good_dir)
    assert snapshot(good_dir) == before  # a second import changes nothing


def test_a_press_figure_its_own_page_contradicts_is_kept_and_never_used(good_dir, tmp_path):
    facts = press_facts(
        tmp_path / "pci.csv",
        [
            [
                "PCI",
                2023,
                "khanh-hoa",
                "",
                "score",
                "67.65",
                "https://baokhanhhoa.vn/x",
                "said to be outside top 30; INCONSISTENT with Thanh Hóa 66.79 = 30th",
            ]
        ],
    )
    import_file(facts, data_dir=good_dir)
    (row,) = [r for r in index_rows(good_dir, "PCI") if r["province"] == "khanh-hoa" and r["year"] == "2023"]
    assert row["status"] == "contradicted" and "INCONSISTENT" in row["reason"] and row["use"] == ""
    ds = load_dataset(good_dir)
    f = ds.figures
    assert f[(f["province"] == "khanh-hoa") & (f["index"] == "PCI") & (f["year"] == 2023)].empty


def test_the_same_page_already_cited_by_its_url_is_the_same_source(good_dir, tmp_path):
    press_rows(good_dir, ["PAPI,2022,ha-noi,,,,,20,61,https://example.org/papi-2022,rank only,,,"])
    facts = press_facts(
        tmp_path / "papi.csv",
        [
            ["PAPI", 2022, "ha-noi", "", "rank", "20", "https://example.org/papi-2022", "20th"],
            ["PAPI", 2022, "ha-noi", "", "rank_of", "61", "https://example.org/papi-2022", ""],
        ],
    )
    result = import_file(facts, data_dir=good_dir)
    assert len(result.plan.unchanged) == 1 and not result.plan.added


def test_prefer_rule_uses_the_row_with_score_and_rank_and_keeps_a_figure_already_used(good_dir, tmp_path):
    press_rows(
        good_dir,
        [
            "PAPI,2022,hoa-binh,,40.76,points/80,,,,https://en.example.org/a,English page,,,",
            "PAPI,2022,lai-chau,,41.00,points/80,,,,https://example.org/b,,,yes,the official table",
            "PAPI,2022,lai-chau,,41.10,points/80,,,,https://example.org/c,,,,",
        ],
    )
    facts = press_facts(
        tmp_path / "papi.csv",
        [
            ["PAPI", 2022, "hoa-binh", "", "score", "40.89", "https://example.org/vi", "Vietnamese page"],
            ["PAPI", 2022, "hoa-binh", "", "rank", "35", "https://example.org/vi", ""],
            ["PAPI", 2022, "lai-chau", "", "score", "41.20", "https://example.org/d", ""],
        ],
    )
    with pytest.raises(BadInput, match="the sources give different figures"):
        import_file(facts, data_dir=good_dir)
    import_file(facts, data_dir=good_dir, prefer="rule")
    rows = {(r["province"], r["score"]): r for r in index_rows(good_dir, "PAPI") if r["year"] == "2022"}
    used = rows[("hoa-binh", "40.89")]
    assert used["use"] == "yes" and used["reason"].startswith(
        "written rule (data/README.md, Disputed figures): gives score and rank"
    )
    assert "40.76" in used["reason"] and rows[("hoa-binh", "40.76")]["use"] == ""
    assert rows[("lai-chau", "41.00")]["use"] == "yes" and rows[("lai-chau", "41.20")]["use"] == ""


def test_prefer_rule_decides_between_two_pages_of_one_file(good_dir, tmp_path):
    facts = press_facts(
        tmp_path / "papi.csv",
        [
            ["PAPI", 2022, "hoa-binh", "", "score", "40.76", "https://en.example.org/a", "English page"],
            ["PAPI", 2022, "hoa-binh", "", "score", "40.89", "https://example.org/vi", "Vietnamese page"],
            ["PAPI", 2022, "hoa-binh", "", "rank", "35", "https://example.org/vi", ""],
            ["PAPI", 2022, "hoa-binh", "", "score", "40.70", "https://example.org/c", ""],
        ],
    )
    import_file(facts, data_dir=good_dir, prefer="rule")
    rows = {r["score"]: r for r in index_rows(good_dir, "PAPI") if r["province"] == "hoa-binh"}
    assert {score: r["use"] for score, r in rows.items()} == {"40.76": "", "40.89": "yes", "40.70": ""}
    assert "40.76" in rows["40.89"]["reason"] and "40.70" in rows["40.89"]["reason"]
    f = load_dataset(good_dir).figures  # loads: exactly one row used
    assert f[(f["province"] == "hoa-binh") & (f["index"] == "PAPI")]["score"].tolist() == [40.89]
