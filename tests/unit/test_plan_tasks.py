"""Plan execution: the share of a year's reform-plan tasks completed (tasks completed / tasks planned), as
an inspection report or the user states it. No published figure was found for any province, so data/ ships
the table's header only; these tests enter figures the way a user would (the Excel template and
``cchc import``) and check what the report and the API make of them (issue 14)."""
from __future__ import annotations

import pytest

import cchc
from cchc.data.importer import import_xlsx
from cchc.data.schema import TABLES_BY_NAME
from cchc.errors import BadInput
from cchc.report import sections

from ..conftest import ROOT
from .test_import import SOURCE, csv_rows, filled_template

HEADER = ["province", "agency", "year", "plan", "tasks_planned", "tasks_completed", "as_of", "origin",
          "source", "note"]


def test_the_table_ships_with_its_header_only():
    """No published figure was found: the file holds the header, nothing made up."""
    lines = (ROOT / "data" / "plan_tasks.csv").read_text(encoding="utf-8").splitlines()
    assert lines == [",".join(HEADER)]
    assert TABLES_BY_NAME["plan_tasks"].column_names == HEADER


def _enter(good_dir, tmp_path, rows):
    xlsx = filled_template(tmp_path, "plan_tasks", rows)
    return import_xlsx(xlsx, data_dir=good_dir)


def test_user_figures_go_in_through_the_template_and_are_marked_as_theirs(good_dir, tmp_path):
    result = _enter(good_dir, tmp_path, [
        ["Đắk Nông", None, 2023, "Kế hoạch CCHC năm 2023 (synthetic)", 40, 37, None, "user",
         "Sở Nội vụ, báo cáo nội bộ (synthetic)", None],
        ["dak-nong", "Sở Tư pháp", 2023, "Kế hoạch CCHC năm 2023 (synthetic)", 12, 12, None, "published", SOURCE,
         None]])
    assert result.added == {"plan_tasks.csv": 2}
    assert csv_rows(good_dir / "plan_tasks.csv")[0]["province"] == "dak-nong"
    ds = cchc.load(good_dir)
    p = cchc.plan_execution(ds, "Đắk Nông", 2023).set_index("agency")
    assert p.loc["", "share"] == pytest.approx(37 / 40) and p.loc["", "origin"] == "user"
    assert p.loc["Sở Tư pháp", "share"] == 1.0

    for lang, words in (("vi", ["37/40", "92,5%", "Số liệu do người dùng nhập", "Sở Tư pháp", "100%"]),
                        ("en", ["37/40", "92.5%", "Entered by the user", "Sở Tư pháp", "100%"])):
        s = sections.plan_execution(sections.context("dak-nong", 2023, lang, dataset=ds))
        html = s._repr_html_()
        for w in words:
            assert w in html, (lang, w)


@pytest.mark.parametrize("row, column, message", [
    (["dak-nong", None, 2023, "KH 2023", 10, 12, None, "user", "x", None], "tasks_completed",
     "tasks_completed 12 is more than tasks_planned 10"),
    (["dak-nong", None, 2023, "KH 2023", 0, 0, None, "user", "x", None], "tasks_planned",
     "tasks_planned must be at least 1"),
    (["dak-nong", None, 2023, "KH 2023", 10, 8, None, "estimate", "x", None], "origin", "estimate"),
])
def test_bad_rows_are_refused_with_the_column_named(good_dir, tmp_path, row, column, message):
    with pytest.raises(BadInput) as err:
        _enter(good_dir, tmp_path, [row])
    problems = [p for p in err.value.problems if p.severity == "error"]
    assert any(p.column == column and message in p.message for p in problems), problems
    assert not (good_dir / "plan_tasks.csv").exists()  # nothing half-written


def test_the_report_says_plainly_when_no_figure_exists(shipped):
    s = sections.plan_execution(sections.context("dak-nong", 2023, "vi", dataset=shipped))
    assert s.sentences == ["Chưa có số liệu công bố về tỷ lệ hoàn thành nhiệm vụ kế hoạch CCHC năm 2023."]
    assert s.tables["plan_tasks"].empty
