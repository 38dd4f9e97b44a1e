"""Plan execution: the share of a year's reform-plan tasks completed (tasks completed / tasks planned), as
an inspection report or the user states it. The one published figure is a department's (Sở Tư pháp Đắk Nông,
2024); none is published for a province. These tests also enter figures the way a user would (the Excel
template and ``cchc import``) and check what the report and the API make of them (issues 14, 19)."""

from __future__ import annotations

import pytest

import cchc
from cchc.data.importer import import_xlsx
from cchc.data.schema import TABLES_BY_NAME
from cchc.errors import BadInput
from cchc.report import sections

from ..conftest import ROOT
from .test_import import SOURCE, csv_rows, filled_template

HEADER = ["province", "agency", "year", "plan", "tasks_planned", "tasks_completed", "as_of", "origin", "source", "note"]


def test_the_table_holds_the_one_published_figure_a_department_s():
    """The inspection of Sở Tư pháp Đắk Nông (2024) states "Sở đã thực hiện được 26/28 nhiệm vụ đạt 92% kế
    hoạch": the department's plan, not the province's; the source is the article cited for its TTHC counts."""
    lines = (ROOT / "data" / "plan_tasks.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == ",".join(HEADER) and len(lines) == 2
    assert TABLES_BY_NAME["plan_tasks"].column_names == HEADER
    ds = cchc.load(ROOT / "data")
    p = cchc.plan_execution(ds, "Đắk Nông", 2024)
    assert p[["agency", "tasks_planned", "tasks_completed", "origin"]].values.tolist() == [
        ["Sở Tư pháp", 28, 26, "published"]
    ]
    assert p["source"].item() == ds.tthc.query("province == 'dak-nong' and year == 2024")["source"].item()


@pytest.mark.parametrize(
    "lang, says, province_none",
    [
        (
            "vi",
            "Sở Tư pháp hoàn thành 26/28 nhiệm vụ",
            "Chưa có số liệu công bố về tỷ lệ hoàn thành nhiệm vụ kế hoạch CCHC năm 2024 của toàn tỉnh",
        ),
        (
            "en",
            "Sở Tư pháp completed 26 of 28 tasks",
            "No figure has been published on the share of the province's 2024 reform-plan tasks completed",
        ),
    ],
)
def test_a_department_s_plan_execution_is_said_to_be_the_department_s(lang, says, province_none, report_section):
    s = report_section(sections.plan_execution, "dak-nong", 2024, lang)
    sentence = next(t for t in s.sentences if says in t)
    assert ("92,86%" if lang == "vi" else "92.86%") in sentence
    assert any(province_none in t for t in s.sentences), s.sentences
    assert not any(t.startswith(("Tỉnh", "The province completed")) for t in s.sentences)


def _enter(good_dir, tmp_path, rows):
    xlsx = filled_template(tmp_path, "plan_tasks", rows)
    return import_xlsx(xlsx, data_dir=good_dir)


def test_user_figures_go_in_through_the_template_and_are_marked_as_theirs(good_dir, tmp_path):
    result = _enter(
        good_dir,
        tmp_path,
        [
            [
                "Đắk Nông",
                None,
                2023,
                "Kế hoạch CCHC năm 2023 (synthetic)",
                40,
                37,
                None,
                "user",
                "Sở Nội vụ, báo cáo nội bộ (synthetic)",
                None,
            ],
            [
                "dak-nong",
                "Sở Tư pháp",
                2023,
                "Kế hoạch CCHC năm 2023 (synthetic)",
                12,
                12,
                None,
                "published",
                SOURCE,
                None,
            ],
        ],
    )
    assert result.added == {"plan_tasks.csv": 2}
    assert csv_rows(good_dir / "plan_tasks.csv")[0]["province"] == "dak-nong"
    ds = cchc.load(good_dir)
    p = cchc.plan_execution(ds, "Đắk Nông", 2023).set_index("agency")
    assert p.loc["", "share"] == pytest.approx(37 / 40) and p.loc["", "origin"] == "user"
    assert p.loc["Sở Tư pháp", "share"] == 1.0

    for lang, words in (
        ("vi", ["37/40", "92,5%", "Số liệu do người dùng nhập", "Sở Tư pháp", "100%"]),
        ("en", ["37/40", "92.5%", "Entered by the user", "Sở Tư pháp", "100%"]),
    ):
        s = sections.plan_execution(sections.context("dak-nong", 2023, lang, dataset=ds))
        html = s._repr_html_()
        for w in words:
            assert w in html, (lang, w)


@pytest.mark.parametrize(
    "row, column, message",
    [
        (
            ["dak-nong", None, 2023, "KH 2023", 10, 12, None, "user", "x", None],
            "tasks_completed",
            "tasks_completed 12 is more than tasks_planned 10",
        ),
        (
            ["dak-nong", None, 2023, "KH 2023", 0, 0, None, "user", "x", None],
            "tasks_planned",
            "tasks_planned must be at least 1",
        ),
        (["dak-nong", None, 2023, "KH 2023", 10, 8, None, "estimate", "x", None], "origin", "estimate"),
    ],
)
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
