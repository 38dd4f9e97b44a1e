"""The `cchc` command as users run it: exit codes, messages naming file/row/column, never a traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest
from openpyxl import load_workbook

from cchc import cli
from cchc.errors import EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, CchcError

from ..conftest import DOCUMENT, as_text, cchc, par_table

BUILDERS = list(cli.SUBCOMMANDS)


def test_validate_bad_data_exits_65_naming_file_row_column(bad_dir):
    run = cchc("validate", "--data", str(bad_dir("three_errors")))
    assert run.returncode == EXIT_BAD_INPUT == 65
    out = run.stdout + run.stderr
    assert "indices/par.csv, row 2, column 'province': error: Unknown province 'Dak Nongg'" in out
    assert "indices/par.csv, row 3, column 'score': error: score 101.5 is above" in out
    assert "indices/par.csv, row 4, column 'source': error: missing source" in out
    assert "3 error(s)" in out
    assert "Traceback" not in out


def test_validate_encoding_problem_is_one_clear_error(bad_dir):
    run = cchc("validate", "--data", str(bad_dir("windows_1258")))
    assert run.returncode == 65
    assert "indices/par.csv, row 2: error: file is not UTF-8" in run.stdout and "CSV UTF-8" in run.stdout
    assert "Traceback" not in run.stdout + run.stderr


def test_validate_good_data_exits_0(good_dir):
    run = cchc("validate", "--data", str(good_dir))
    assert run.returncode == EXIT_OK, run.stdout + run.stderr
    assert "0 error(s), 0 warning(s)" in run.stdout


def test_warnings_alone_exit_0(bad_dir):
    run = cchc("validate", "--data", str(bad_dir("tthc_totals")))
    assert run.returncode == 0
    assert "tthc.csv, row 2, column 'received_total': warning:" in run.stdout


def test_data_dir_from_environment(good_dir, tmp_path):
    assert cchc("validate", CCHC_DATA_DIR=str(good_dir)).returncode == 0
    run = cchc("validate", CCHC_DATA_DIR=str(tmp_path / "nowhere"))
    assert run.returncode == EXIT_USAGE and "data folder not found" in run.stderr


@pytest.mark.slow  # `cchc validate` loads all of data/
def test_shipped_data_is_valid(root):
    """The real data/ passes validation (warnings allowed)."""
    run = cchc("validate", "--data", str(root / "data"))
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr


def test_template_then_import_round_trip(good_dir, tmp_path):
    xlsx = tmp_path / "par.xlsx"
    assert cchc("template", "indices", "-o", str(xlsx)).returncode == 0
    workbook = load_workbook(xlsx)
    workbook.worksheets[0].append(
        [
            "PAR",
            2023,
            "Đắk Nông",
            None,
            88.1,
            "%",
            None,
            35,
            63,
            "https://example.org/synthetic-cli",
            None,
            None,
            None,
            None,
        ]
    )
    workbook.save(xlsx)
    run = cchc("import", str(xlsx), "--into", str(good_dir))
    assert run.returncode == 0, run.stderr
    assert "added 1 row(s) to indices/par.csv" in run.stdout
    before = (good_dir / "indices" / "par.csv").read_bytes()
    again = cchc("import", str(xlsx), "--into", str(good_dir))  # a second import changes nothing
    assert again.returncode == 0 and "nothing to add: every figure of this file is already in the data" in again.stdout
    assert (good_dir / "indices" / "par.csv").read_bytes() == before and "Traceback" not in again.stderr


def test_usage_errors_exit_64_without_traceback(tmp_path):
    for args in (["validate", "--bogus"], ["template", "nosuchtable"], []):
        run = cchc(*args)
        assert run.returncode == EXIT_USAGE, args
        assert "usage:" in run.stderr and "Traceback" not in run.stderr
    missing = cchc("import", str(tmp_path / "missing.xlsx"), "--into", str(tmp_path))
    assert missing.returncode == EXIT_USAGE and "not a data folder" in missing.stderr


def test_python_dash_m_cchc(good_dir):
    run = subprocess.run(
        [sys.executable, "-m", "cchc", "validate", "--data", str(good_dir)], capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 0 and "0 error(s)" in run.stdout


def _with_handler(monkeypatch, handler) -> None:
    """Register a `boom` subcommand whose handler is ``handler`` (as report/batch would register)."""

    def add_boom(sub):
        sub.add_parser("boom").set_defaults(run=handler)

    monkeypatch.setattr(cli, "SUBCOMMANDS", [*BUILDERS, add_boom])


def test_internal_error_is_one_line_with_a_hint(monkeypatch, capsys):
    def handler(args):
        raise ZeroDivisionError("division by zero")

    _with_handler(monkeypatch, handler)
    monkeypatch.delenv("CCHC_DEBUG", raising=False)
    assert cli.main(["boom"]) == EXIT_INTERNAL == 70
    err = capsys.readouterr().err
    assert "internal error: ZeroDivisionError: division by zero" in err and "CCHC_DEBUG=1" in err
    assert "Traceback" not in err
    monkeypatch.setenv("CCHC_DEBUG", "1")
    assert cli.main(["boom"]) == 70
    assert "Traceback" in capsys.readouterr().err


def test_user_error_and_interrupt(monkeypatch, capsys):
    class Odd(CchcError):
        exit_code = 73

    def user_error(args):
        raise Odd("the output folder is read-only")

    _with_handler(monkeypatch, user_error)
    assert cli.main(["boom"]) == 73
    assert capsys.readouterr().err.strip() == "cchc: the output folder is read-only"

    def interrupted(args):
        raise KeyboardInterrupt

    _with_handler(monkeypatch, interrupted)
    assert cli.main(["boom"]) == 130


@pytest.mark.parametrize("command", ["validate", "import", "template"])
def test_help_of_each_subcommand(command, capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main([command, "--help"])
    assert exc.value.code == 0 and command in capsys.readouterr().out


def test_import_of_the_official_table_pasted_as_text(good_dir, tmp_path, registry, snapshot):
    rows = par_table(registry)
    good = as_text(rows, tmp_path, "phu-luc.txt")
    rows[3 + 7][-2] = "101,20%"
    bad = as_text(rows, tmp_path, "sai.txt")
    args = ("--index", "PAR", "--year", "2024", "--source", DOCUMENT, "--into", str(good_dir))
    before = snapshot(good_dir)
    refused = cchc("import", str(bad), *args)
    assert refused.returncode == EXIT_BAD_INPUT and "Traceback" not in refused.stderr
    assert (
        "sai.txt, row 11, column 'Chỉ số (%)': error:" in refused.stderr
        and "101.20 is outside 0–100 %" in refused.stderr
    )
    assert snapshot(good_dir) == before
    run = cchc("import", str(good), *args)
    assert run.returncode == EXIT_OK, run.stderr
    assert "PAR official table entered by the user: 252 row(s) to add" in run.stdout
    assert "added 252 row(s) to indices/par.csv" in run.stdout
