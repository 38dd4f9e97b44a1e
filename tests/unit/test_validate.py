"""Validation names the file, row, column and what is wrong for each bad input; the loader types the data."""

from __future__ import annotations

import unicodedata

import pandas as pd
import pytest

from cchc.data.cells import CellError, parse_bool, parse_date, parse_float, parse_int
from cchc.data.dataset import load_dataset, load_table
from cchc.data.validate import validate_dir
from cchc.errors import BadInput

# case: (file, row, column, phrase in the message, severity) — the one problem the case must give.
ONE_PROBLEM = {
    "unknown_province": ("indices/par.csv", 2, "province", "Did you mean: Đắk Nông (dak-nong)", "error"),
    "year_out_of_range": ("indices/par.csv", 2, "year", "'1999' is outside 2005–2030", "error"),
    "year_not_a_number": ("indices/par.csv", 2, "year", "'năm 2021' is not a year", "error"),
    "par_above_100": ("indices/par.csv", 2, "score", "101.5 is above the scale 0–100 of unit '%'", "error"),
    "papi_dimension": ("indices/papi.csv", 2, "score", "PAPI dimension score 0.5 is below the scale 1–10", "error"),
    "rank_above_rank_of": ("indices/par.csv", 2, "rank", "rank 64 is above rank_of 63", "error"),
    "rank_without_rank_of": ("indices/par.csv", 2, "rank_of", "rank given without rank_of", "error"),
    "no_score_no_rank": ("indices/par.csv", 2, None, "neither score nor rank", "error"),
    "duplicate_key": ("indices/par.csv", 4, None, "duplicate of row 2", "error"),
    "decimal_comma": ("indices/par.csv", 2, "score", "decimal comma: '86,26' read as 86.26", "warning"),
    "percent_sign": ("indices/par.csv", 2, "score", "percent sign dropped: '92%' read as 92", "warning"),
    "not_a_number": ("indices/par.csv", 2, "score", "'khoảng 86' is not a number", "error"),
    "missing_source": ("indices/par.csv", 2, "source", "missing source", "error"),
    "windows_1258": ("indices/par.csv", 2, None, "save it again as 'CSV UTF-8", "error"),
    "empty_file": ("means.csv", None, None, "file is empty", "error"),
    "missing_column": ("indices/par.csv", 1, "source", "missing column 'source'", "error"),
    "extra_column": ("indices/par.csv", 1, "checked_by", "unknown column 'checked_by' is ignored", "warning"),
    "tthc_totals": (
        "tthc.csv",
        2,
        "received_total",
        "resolved_total + pending_total = 950 + 45 = 995, but received_total = 1000 (difference +5)",
        "warning",
    ),
    "thousands_separator": ("tthc.csv", 2, "received_total", "thousands separator: '1.000' read as 1000", "warning"),
    "conflict_without_use": ("indices/par.csv", 2, "use", "the sources give different figures", "error"),
    "use_without_reason": ("indices/par.csv", 2, "reason", "use=yes without a reason", "error"),
    "means_conflict_without_use": ("means.csv", 2, "use", "the sources give different figures for the mean", "error"),
    "disputed_without_reason": ("indices/par.csv", 2, "reason", "status 'disputed' needs the reason", "error"),
    "target_deadline": (
        "targets/dak-nong.csv",
        2,
        "deadline",
        "deadline 2020 is before the document's date 2022-11-04",
        "error",
    ),
    "old_province_rank_of_34": ("indices/dti.csv", 2, "province", "one of the 63 old provinces", "error"),
    "new_unit_rank_of_63": (
        "indices/dti.csv",
        2,
        "province",
        "rank_of is 63 but 'lam-dong-2025' is one of the 34",
        "error",
    ),
}


@pytest.mark.parametrize("case", sorted(ONE_PROBLEM))
def test_each_bad_input_gives_its_exact_problem(bad_dir, case):
    file, row, column, phrase, severity = ONE_PROBLEM[case]
    problems = validate_dir(bad_dir(case))
    assert len(problems) == 1, "\n".join(map(str, problems))
    problem = problems[0]
    assert (problem.file, problem.row, problem.column, problem.severity) == (file, row, column, severity)
    assert phrase in problem.message


def test_conflict_message_names_both_rows(bad_dir):
    (problem,) = validate_dir(bad_dir("conflict_without_use"))
    assert "row 2 (score 86.26" in problem.message and "row 3 (score 86.62," in problem.message


def test_unknown_choices_list_the_allowed_values(bad_dir):
    problems = validate_dir(bad_dir("unknown_choice"))
    assert [(p.row, p.column) for p in problems] == [(2, "index"), (2, "unit")]
    assert "allowed values: PAR, SIPAS, PAPI, PCI, DTI" in problems[0].message
    assert "allowed values: %, points/10" in problems[1].message
    problems = validate_dir(bad_dir("unknown_metric"))
    assert [(p.file, p.column) for p in problems] == [
        ("targets/dak-nong.csv", "comparator"),
        ("targets/dak-nong.csv", "metric"),
    ]
    assert "par_rank" in problems[1].message


def test_all_problems_reported_at_once(bad_dir):
    folder = bad_dir("three_errors")
    problems = validate_dir(folder)
    assert [(p.row, p.column) for p in problems] == [(2, "province"), (3, "score"), (4, "source")]
    with pytest.raises(BadInput) as exc:
        load_dataset(folder)
    assert len(exc.value.problems) == 3
    assert "3 problem(s)" in str(exc.value)


@pytest.mark.parametrize("case", ["three_errors", "windows_1258", "decimal_comma", "bom", "nfd_text", "empty_file"])
def test_validation_never_modifies_files(bad_dir, snapshot, case):
    folder = bad_dir(case)
    before = snapshot(folder)
    validate_dir(folder)
    try:
        load_dataset(folder)
    except BadInput:
        pass
    assert snapshot(folder) == before


def test_decimal_comma_is_read_as_a_decimal_point(bad_dir):
    ds = load_dataset(bad_dir("decimal_comma"))
    assert ds.indices.loc[0, "score"] == 86.26
    assert [str(w) for w in ds.warnings] == [
        "indices/par.csv, row 2, column 'score': warning: decimal comma: '86,26' read as 86.26"
    ]


def test_byte_order_mark_is_accepted(bad_dir):
    folder = bad_dir("bom")
    assert (folder / "indices/par.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert validate_dir(folder) == []
    ds = load_dataset(folder)
    assert list(ds.indices.columns[:2]) == ["index", "year"]
    assert ds.indices.loc[0, "province"] == "dak-nong"


def test_nfd_text_is_read_as_nfc(bad_dir):
    ds = load_dataset(bad_dir("nfd_text"))
    row = ds.indices.iloc[0]
    assert row["province"] == "dak-nong"
    assert row["component"] == unicodedata.normalize("NFC", "Cải cách thủ tục hành chính")
    assert row["note"] == "ghi chú" and unicodedata.is_normalized("NFC", row["note"])


def test_semicolon_separated_file_is_read_with_a_warning(good_dir):
    path = good_dir / "means.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",", ";").replace("84.5", "84,5"), encoding="utf-8")
    problems = validate_dir(good_dir)
    assert [(p.file, p.row, p.column, p.severity) for p in problems] == [
        ("means.csv", 1, None, "warning"),
        ("means.csv", 2, "score", "warning"),
    ]
    assert load_dataset(good_dir).means.loc[0, "score"] == 84.5


def test_unquoted_decimal_comma_in_a_comma_file_is_an_error(good_dir):
    path = good_dir / "means.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("84.5", "84,5"), encoding="utf-8")
    problem = validate_dir(good_dir)[0]
    assert (problem.file, problem.row, problem.column) == ("means.csv", 2, None)
    assert "row has 10 cells but the header names 9 columns" in problem.message
    assert "inside double quotes" in problem.message


def test_stray_csv_file_is_a_warning(good_dir):
    (good_dir / "indices" / "notes").mkdir()
    (good_dir / "indices" / "notes" / "old.csv").write_text("a,b\n", encoding="utf-8")
    (problem,) = validate_dir(good_dir)
    assert (problem.file, problem.severity) == ("indices/notes/old.csv", "warning")


def test_tthc_online_more_than_received_and_negative_counts(good_dir):
    path = good_dir / "tthc.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace(",2000,1000,", ",8000,1500,").replace(",80,", ",-1,"), encoding="utf-8"
    )
    problems = validate_dir(good_dir)
    assert [(p.column, p.severity) for p in problems] == [
        ("apology_letters", "error"),
        ("received_online_full", "warning"),
    ]
    assert "8000 + 1500 = 9500, more than received_new = 9000 (by 500)" in problems[1].message


def test_good_fixture_loads_typed(good_dir):
    ds = load_dataset(good_dir)
    assert ds.warnings == []
    ind = ds.indices
    assert ind["year"].dtype == "int64" and ind["score"].dtype == "float64"
    assert str(ind["rank"].dtype) == "Int64" and str(ind["rank_of"].dtype) == "Int64"
    assert ind["use"].dtype == bool and ind["derived"].dtype == bool and ind["chosen"].dtype == bool
    assert {"file", "row"} <= set(ind.columns)
    assert set(ind["province"]) <= {p.slug for p in ds.registry}
    assert str(ds.tthc["received_total"].dtype) == "Int64"
    assert isinstance(ds.targets.loc[0, "date"], pd.Timestamp)
    assert ds.targets["deadline"].dtype == "int64"
    papi_total = ind[(ind["index"] == "PAPI") & (ind["component"] == "")].iloc[0]
    assert pd.isna(papi_total["rank"]) and papi_total["score"] == 42.1


def test_missing_score_is_nan_never_zero(good_dir):
    path = good_dir / "indices" / "par.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",82.05,%,", ",,,"), encoding="utf-8")
    ind = load_dataset(good_dir).indices
    row = ind[(ind["year"] == 2020)].iloc[0]
    assert pd.isna(row["score"]) and row["rank"] == 51


def test_chosen_row_is_the_use_yes_row_of_a_conflict(good_dir):
    ind = load_dataset(good_dir).indices
    par_2021 = ind[
        (ind["index"] == "PAR") & (ind["year"] == 2021) & (ind["province"] == "dak-nong") & (ind["component"] == "")
    ]
    assert len(par_2021) == 2
    assert par_2021.loc[par_2021["chosen"], "score"].tolist() == [86.26]
    assert ind.groupby(["index", "year", "province", "component"])["chosen"].sum().eq(1).all()


def test_rank_of_34_in_2024_means_the_new_units(good_dir):
    ind = load_dataset(good_dir).indices
    assert ind.loc[ind["index"] == "DTI", "province"].tolist() == ["lam-dong-2025"]


def test_provinces_are_slugs_whatever_was_written(good_dir):
    ind = load_dataset(good_dir).indices
    assert ind.loc[(ind["file"] == "indices/par.csv") & (ind["row"] == 5), "province"].item() == "dak-nong"


def test_data_hash_changes_with_any_byte(good_dir):
    first = load_dataset(good_dir).data_hash
    assert first == load_dataset(good_dir).data_hash and len(first) == 64
    path = good_dir / "means.csv"
    path.write_bytes(path.read_bytes().replace(b"synthetic", b"synthetiC", 1))
    assert load_dataset(good_dir).data_hash != first


def test_load_table_returns_frame_and_problems(bad_dir):
    folder = bad_dir("three_errors")
    frame, problems = load_table("indices", folder / "indices" / "par.csv")
    assert len(frame) == 3 and len(problems) == 3
    assert frame["file"].tolist() == ["indices/par.csv"] * 3 and frame["row"].tolist() == [2, 3, 4]


def test_empty_tables_have_the_schema_columns(bad_dir):
    ds = load_dataset(bad_dir("bom"))
    assert ds.means.empty and "score" in ds.means.columns and "row" in ds.means.columns


@pytest.mark.parametrize(
    "text, value, warned",
    [
        ("86.26", 86.26, False),
        ("86,26", 86.26, True),
        ("92%", 92.0, True),
        ("1.234,5", 1234.5, True),
        ("", None, False),
        ("-3", -3.0, False),
    ],
)
def test_parse_float(text, value, warned):
    got, note = parse_float(text)
    assert got == value and bool(note) == warned


@pytest.mark.parametrize(
    "text, value, warned",
    [
        ("3419", 3419, False),
        ("3.419", 3419, True),
        ("3,419", 3419, True),
        ("1.234.567", 1234567, True),
        ("12.0", 12, False),
    ],
)
def test_parse_int(text, value, warned):
    got, note = parse_int(text)
    assert got == value and bool(note) == warned


@pytest.mark.parametrize("bad", ["n/a", "-", "nan", "inf", "86.2.6"])
def test_not_numbers_are_errors(bad):
    with pytest.raises(CellError):
        parse_float(bad)


def test_parse_date_and_bool():
    assert parse_date("2022-11-04")[0].isoformat() == "2022-11-04"
    assert parse_date("04/11/2022") == (
        parse_date("2022-11-04")[0],
        "date written dd/mm/yyyy: '04/11/2022' read as 2022-11-04",
    )
    with pytest.raises(CellError):
        parse_date("31/02/2022")
    assert parse_bool("yes") == (True, None) and parse_bool("") == (False, None) and parse_bool("Có")[0]
    with pytest.raises(CellError):
        parse_bool("maybe")


def test_publication_limits_are_checked(good_dir):
    (good_dir / "publication.csv").write_text(
        "index,year,coverage,n,source,note\n"
        "PCI,2023,top_n,30,https://example.org/pci,top 30 only\n"
        "PAR,2023,all,61,https://example.org/par,\n"
        "DTI,2024,some,34,https://example.org/dti,\n"
        "PCI,2023,top_n,70,https://example.org/pci-2,\n",
        encoding="utf-8",
    )
    problems = [(p.row, p.column) for p in validate_dir(good_dir) if p.severity == "error"]
    assert problems == [(3, "n"), (4, "coverage"), (5, None), (5, "n")]  # all is 63; (index, year) twice; 70 > 63


def test_one_publication_row_per_generation_of_an_index_and_year(good_dir):
    """DTI 2024 was published for the 63 provinces and for the 34 new units: a row for each is accepted (as is
    a 2025 row for all 34 units); a second row for a generation already covered, or 'new_units' in a year of
    the 34, is refused, naming the file, row and column."""
    (good_dir / "publication.csv").write_text(
        "index,year,coverage,n,source,note\n"
        "DTI,2024,all,63,https://example.org/dti-63,\n"
        "DTI,2024,new_units,34,https://example.org/dti-34,\n"
        "DTI,2024,top_n,30,https://example.org/dti-top-30,\n"
        "PAR,2025,all,34,https://example.org/par-2025,\n"
        "PAR,2025,new_units,34,https://example.org/par-2025-new,\n",
        encoding="utf-8",
    )
    problems = [(p.file, p.row, p.column, p.message) for p in validate_dir(good_dir) if p.severity == "error"]
    assert [p[:3] for p in problems] == [("publication.csv", 4, "coverage"), ("publication.csv", 6, "coverage")]
    assert "row 2 already says what was published of the 63 provinces ('all')" in problems[0][3]
    assert "one row per generation" in problems[0][3]
    assert "'new_units' is for a year of the 63 provinces" in problems[1][3]


def test_a_contradicted_row_needs_its_reason_and_is_never_chosen(good_dir):
    path = good_dir / "indices" / "par.csv"
    header, *rows = path.read_text(encoding="utf-8").splitlines()
    path.write_text(
        "\n".join(
            [
                header + ",status",
                *[r + "," for r in rows],
                "PAR,2023,dak-nong,,99.1,%,,,,https://example.org/odd,,,,,contradicted",
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    assert [(p.column, p.severity) for p in validate_dir(good_dir)] == [("reason", "error")]
    path.write_text(
        path.read_text(encoding="utf-8").replace(",,contradicted", ",its rise does not fit 2022,contradicted"),
        encoding="utf-8",
    )
    ds = load_dataset(good_dir)
    f = ds.figures
    assert f[(f["province"] == "dak-nong") & (f["year"] == 2023) & (f["score"] == 99.1)].empty


@pytest.mark.parametrize(
    "agency, scope, column, phrase",
    [
        ("Sở Tư pháp", "province", "scope", "not the province: scope must say which"),
        ("", "department", "agency", "scope 'department' needs the agency named"),
    ],
)
def test_tthc_scope_and_agency_must_agree(good_dir, agency, scope, column, phrase):
    """A department's counts are never the province's: a row may not say both."""
    path = good_dir / "tthc.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header, row = lines[0] + ",scope", lines[1].split(",")
    row[1] = agency
    path.write_text("\n".join([header, ",".join(row) + f",{scope}"]) + "\n", encoding="utf-8")
    problems = [p for p in validate_dir(good_dir) if p.severity == "error"]
    assert [(p.column, phrase in p.message) for p in problems] == [(column, True)], problems
