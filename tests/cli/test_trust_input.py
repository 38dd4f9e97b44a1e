"""Bad input beyond test_validate/test_import: analysts' Excel layouts, numbers as text, prefixed names,
bad batch files, and every `cchc` subcommand given a bad input as a real process (exit code, no traceback).

Fixtures: tests/fixtures/trust/ (synthetic; the workbooks are written by trust/make_xlsx.py).
"""

from __future__ import annotations

import csv
import unicodedata
from pathlib import Path

import pytest

from cchc.batch.params import load_batch_params
from cchc.data.dataset import load_dataset
from cchc.data.importer import import_xlsx
from cchc.data.validate import validate_dir
from cchc.errors import EXIT_BAD_INPUT, EXIT_CANT_WRITE, EXIT_INTERNAL, EXIT_USAGE, BadInput

from ..conftest import FIXTURES, cchc, make_data_dir

TRUST = FIXTURES / "trust"
XLSX = TRUST / "xlsx"
PARAMS = TRUST / "params"


def last_rows(path: Path, n: int) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))[-n:]


# ------------------------------------------------------------------ Excel files as analysts send them
# workbook: (rows added per file, [(row, column, phrase)] of the warnings, {file: [(column, value)] of the
# last row written})
IMPORTED = {
    "title_rows.xlsx": (
        {"indices/par.csv": 1},
        [(3, None, "sheet 'indices': the column names are in row 3; the row(s) above it (titles) are not imported")],
        {"indices/par.csv": [("year", "2022"), ("province", "dak-nong"), ("score", "87.5")]},
    ),
    "formulas_cached.xlsx": (
        {"indices/par.csv": 1},
        [],
        {
            "indices/par.csv": [
                ("index", "PAR"),
                ("year", "2022"),
                ("province", "dak-nong"),
                ("score", "87.5"),
                ("unit", "%"),
                ("rank", "30"),
                ("source", "https://example.org/synthetic-trust"),
            ]
        },
    ),
    "numbers_as_text.xlsx": (
        {"indices/par.csv": 1, "indices/sipas.csv": 1, "indices/pci.csv": 1},
        [(3, "score", "percent sign dropped: '92%' read as 92"), (4, "score", "decimal comma: '70,5' read as 70.5")],
        {
            "indices/par.csv": [
                ("year", "2023"),
                ("province", "dak-nong"),
                ("score", "87.5"),
                ("rank", "30"),
                ("rank_of", "63"),
            ],
            "indices/sipas.csv": [("province", "ho-chi-minh"), ("score", "92")],
            "indices/pci.csv": [("year", "2023"), ("province", "lam-dong"), ("score", "70.5")],
        },
    ),
    "thousands.xlsx": (
        {"tthc.csv": 1},
        [
            (2, "received_new", "thousands separator: '3.419' read as 3419"),
            (2, "received_total", "thousands separator: '3.419' read as 3419"),
            (2, "resolved_total", "thousands separator: '3.419' read as 3419"),
            (2, "resolved_early_ontime", "thousands separator: '3.400' read as 3400"),
        ],
        {
            "tthc.csv": [
                ("received_new", "3419"),
                ("resolved_early_ontime", "3400"),
                ("resolved_late", "19"),
                ("year", "2023"),
            ]
        },
    ),
}

# workbook: every problem, as (row, column, phrase); nothing may be written.
REJECTED = {
    "merged_cells.xlsx": [
        (
            1,
            "score",
            "sheet 'indices': header cells E1:F1 are merged: unmerge them and give every column its own name in row 1",
        ),
        (2, "province", "sheet 'indices': cells C2:C3 are merged: unmerge them and write the value in every cell"),
        (2, "unit", "score without unit"),  # F1 ('unit') disappeared under the merged header
        (3, None, "sheet 'indices': cell O3 holds 'kiểm tra' but its column has no name in row 1"),
        (3, "province", "missing province"),
        (3, "unit", "score without unit"),
    ],
    "formulas_uncached.xlsx": [
        (2, column, f"formula {formula} has no saved value: open the file in Excel and save it")
        for column, formula in sorted(
            [
                ("index", '="P"&"AR"'),
                ("year", "=2020+2"),
                ("province", '="Đắk "&"Nông"'),
                ("score", "=80+7.5"),
                ("unit", '="%"'),
                ("rank", "=25+5"),
                ("rank_of", "=63"),
                ("source", '="https://example.org/"&"synthetic-trust"'),
            ]
        )
    ],
    "year_in_words.xlsx": [(2, "year", "'năm 2023' is not a year: write it with four digits, e.g. 2021")],
    # the good target of row 2 raises nothing (not even 'target … in the file of bad_targets.xlsx')
    "bad_targets.xlsx": [
        (3, "deadline", "deadline 2022 is before the document's date 2023-05-01"),
        (3, "metric", "'par_rnak' is not an allowed metric; allowed values: par_rank, par_score"),
    ],
}


@pytest.mark.parametrize("name", sorted(IMPORTED))
def test_workbook_is_imported_with_its_documented_normalisation(good_dir, name):
    added, warnings, written = IMPORTED[name]
    before = {rel: (good_dir / rel).read_bytes() if (good_dir / rel).exists() else b"" for rel in added}
    xlsx_before = (XLSX / name).read_bytes()
    result = import_xlsx(XLSX / name, data_dir=good_dir)
    assert result.added == added
    assert [(w.file, w.row, w.column) for w in result.warnings] == [(name, r, c) for r, c, _ in warnings]
    for warning, (_, _, phrase) in zip(result.warnings, warnings):
        assert phrase in warning.message
    for rel, cells in written.items():
        assert (good_dir / rel).read_bytes().startswith(before[rel])  # rows appended, nothing rewritten
        (row,) = last_rows(good_dir / rel, 1)
        assert [(c, row[c]) for c, _ in cells] == cells
    assert unicodedata.is_normalized("NFC", "".join((good_dir / rel).read_text(encoding="utf-8") for rel in added))
    assert validate_dir(good_dir) == []  # what was written is canonical
    assert (XLSX / name).read_bytes() == xlsx_before


@pytest.mark.parametrize("name", sorted(REJECTED))
def test_workbook_is_rejected_with_every_problem_and_data_left_alone(good_dir, snapshot, name):
    before = snapshot(good_dir)
    with pytest.raises(BadInput) as info:
        import_xlsx(XLSX / name, data_dir=good_dir)
    got = [(p.file, p.row, p.column) for p in info.value.problems]
    assert got == [(name, row, column) for row, column, _ in REJECTED[name]], "\n".join(map(str, info.value.problems))
    for problem, (_, _, phrase) in zip(info.value.problems, REJECTED[name]):
        assert phrase in problem.message
    assert snapshot(good_dir) == before


def test_title_rows_without_a_header_still_say_which_table_is_meant(good_dir, tmp_path):
    """No row names the columns: the first row is the header and the message says what to do."""
    from openpyxl import Workbook

    from cchc.errors import UsageError

    workbook = Workbook()
    workbook.active.append(["BÁO CÁO CHỈ SỐ CCHC (synthetic)"])
    workbook.active.append(["Đắk Nông", 87.5])
    workbook.save(tmp_path / "no_header.xlsx")
    with pytest.raises(
        UsageError,
        match=r"cannot tell which table the header of no_header.xlsx is for "
        r"\(BÁO CÁO CHỈ SỐ CCHC \(synthetic\)\); give --table",
    ):
        import_xlsx(tmp_path / "no_header.xlsx", data_dir=good_dir)


# ------------------------------------------------------------------ CSV data written by hand
def test_province_prefixes_nfd_and_spaces_around_a_year_are_read_as_slugs(tmp_path):
    data = make_data_dir(TRUST / "prefixes", tmp_path / "data")
    raw = (data / "indices" / "par.csv").read_text(encoding="utf-8")
    assert not unicodedata.is_normalized("NFC", raw) and ", 2021 ," in raw  # the fixture is what it claims
    assert validate_dir(data) == []
    ind = load_dataset(data).indices
    assert list(zip(ind["year"], ind["province"])) == [
        (2021, "dak-nong"),
        (2021, "ho-chi-minh"),
        (2020, "ho-chi-minh"),
        (2021, "ha-noi"),
        (2021, "lam-dong"),
        (2021, "thua-thien-hue"),
        (2021, "binh-thuan"),
    ]


# ------------------------------------------------------------------ batch files
def test_batch_file_with_unknown_keys_and_wrong_types_lists_every_problem():
    path = PARAMS / "unknown_and_wrong.yaml"
    with pytest.raises(BadInput) as info:
        load_batch_params(path)
    assert [(p.file, p.column) for p in info.value.problems] == [
        (str(path), key)
        for key in (
            "cell_timeout",
            "formats",
            "hung_grace",
            "overview",
            "provinces",
            "provinve",
            "report_timeout",
            "workers",
            "years",
        )
    ]
    messages = {p.column: p.message for p in info.value.problems}
    assert messages["provinve"].startswith("unknown key; allowed: years, provinces, formats")
    assert messages["cell_timeout"] == "must be a positive number of seconds (got '3s')"
    assert messages["hung_grace"] == "must be a positive number of seconds (got '30 s')"
    assert messages["overview"] == "must be true or false (got 'no')"
    assert messages["workers"] == "must be 'auto' or a positive whole number (got True)"
    assert messages["years"] == "must be 'latest' or a list of years such as [2023, 2024] (got [2021, '2022'])"


@pytest.mark.parametrize(
    "name, row, phrase",
    [
        ("not_a_mapping.yaml", None, "expected keys such as 'years:' and 'provinces:'"),
        ("tab_indented.yaml", 3, "not valid YAML: while scanning for the next token"),
    ],
)
def test_batch_file_that_is_not_a_mapping_or_not_yaml(name, row, phrase):
    with pytest.raises(BadInput) as info:
        load_batch_params(PARAMS / name)
    (problem,) = info.value.problems
    assert (problem.row, phrase in problem.message) == (row, True)


def test_a_mistyped_batch_file_is_an_error_not_the_default_batch(tmp_path):
    with pytest.raises(BadInput, match="batch file not found"):
        load_batch_params(tmp_path / "bacth.yaml")


# ------------------------------------------------------------------ every subcommand, as a process
@pytest.fixture
def places(tmp_path, good_dir):
    """A good data folder, a regular file where a folder is expected, and a broken notebook folder."""
    (tmp_path / "a-file").write_text("not a folder\n", encoding="utf-8")
    broken = tmp_path / "broken-notebooks"
    broken.mkdir()
    (broken / "province_report.ipynb").write_text('{"cells": [', encoding="utf-8")  # cut off mid-write
    return {"good": good_dir, "file": tmp_path / "a-file", "broken": broken, "tmp": tmp_path}


# (arguments, extra environment, exit code, phrase in stderr); {good}, {file}, {tmp}, {xlsx}, {params} are filled in
CASES = [
    (["validate", "--data", "{file}"], {}, EXIT_USAGE, "data folder not found"),
    (
        ["import", "{xlsx}/merged_cells.xlsx", "--into", "{good}"],
        {},
        EXIT_BAD_INPUT,
        "merged_cells.xlsx, row 1, column 'score': error: sheet 'indices': header cells E1:F1 are merged",
    ),
    (
        ["import", "{xlsx}/year_in_words.xlsx", "--into", "{good}", "--table", "means"],
        {},
        EXIT_BAD_INPUT,
        "missing column 'scope' (required)",
    ),
    (["template", "indices", "-o", "{file}/indices.xlsx"], {}, EXIT_CANT_WRITE, "cannot write"),
    (["template", "indices", "-o", "{tmp}/indices.csv"], {}, EXIT_USAGE, "a template is an .xlsx file"),
    (
        ["report", "--province", "Dak Nongg", "--year", "2021"],
        {},
        EXIT_BAD_INPUT,
        "Unknown province 'Dak Nongg'. Did you mean: Đắk Nông (dak-nong)",
    ),
    (["report", "--province", "dak-nong", "--year", "2005"], {}, EXIT_USAGE, "no figures for "),
    (["report", "--province", "dak-nong", "--year", "2021", "--format", "docx"], {}, EXIT_USAGE, "unknown format docx"),
    (
        ["report", "--province", "dak-nong", "--year", "2021", "--out", "{file}/reports"],
        {},
        EXIT_CANT_WRITE,
        "cannot write in",
    ),
    (
        ["report", "--province", "dak-nong", "--year", "2021"],
        {"CCHC_NOTEBOOKS_DIR": "{broken}"},
        EXIT_INTERNAL,
        "internal error: JSONDecodeError",
    ),
    (
        ["batch", "--params", "{params}/unknown_and_wrong.yaml", "--no-progress"],
        {},
        EXIT_BAD_INPUT,
        "unknown_and_wrong.yaml, column 'provinve': error: unknown key",
    ),
    (["batch", "--params", "{tmp}/bacth.yaml", "--no-progress"], {}, EXIT_BAD_INPUT, "batch file not found"),
    (
        ["batch", "--params", "{params}/tab_indented.yaml", "--year", "twenty"],
        {},
        EXIT_USAGE,
        "argument --year: invalid int value: 'twenty'",
    ),
    (["export", "--province", "dak-nong", "--year", "2005"], {}, EXIT_USAGE, "no figures for "),
    (["export", "--province", "dak-nong", "--year", "2021", "--out", "{file}/x"], {}, EXIT_CANT_WRITE, "cannot write"),
]


@pytest.mark.slow
def test_no_subcommand_ends_in_a_traceback(places):
    """Each subcommand with a bad input, as a user runs it: the documented exit code and one clear message."""
    fill = {**{k: str(v) for k, v in places.items()}, "xlsx": str(XLSX), "params": str(PARAMS)}
    before = {k: (v.read_bytes() if v.is_file() else None) for k, v in places.items()}
    for args, env, code, phrase in CASES:
        run = cchc(
            *[a.format(**fill) for a in args], cwd=places["tmp"], **{k: v.format(**fill) for k, v in env.items()}
        )
        where = f"cchc {' '.join(args)}: exit {run.returncode}\n{run.stderr}"
        assert run.returncode == code, where
        assert phrase in run.stderr, where
        assert "Traceback" not in run.stderr + run.stdout, where
    assert {k: (v.read_bytes() if v.is_file() else None) for k, v in places.items()} == before
    assert not (places["tmp"] / "indices.xlsx").exists() and not (places["tmp"] / "indices.csv").exists()
