"""notebooks/questions.ipynb, executed for real by papermill in the suite's kernel ``cchc`` on data/: the ten
questions of issue 21 answered with the API, every cell runs and shows what it is there for; the user's own
figures (a filled template, a test input marked as the user's) imported into a copy of data/, never data/."""

from __future__ import annotations

import openpyxl
import pytest

from cchc.catalogue import text as text_of

from ..conftest import ROOT, snapshot

pytestmark = pytest.mark.slow
NOTEBOOK = ROOT / "notebooks" / "questions.ipynb"


def _own_figures(folder):
    """The plan-tasks template filled with one row of the user's own (a test input, origin 'user')."""
    import openpyxl

    from cchc.data.importer import write_template

    path = write_template("plan_tasks", folder / "mine.xlsx")
    wb = openpyxl.load_workbook(path)
    wb["plan_tasks"].append(
        ["Hà Nội", "", 2023, "Kế hoạch CCHC năm 2023 (test input)", 40, 30, "", "user", "the user's own entry", ""]
    )
    wb.save(path)
    return path


def test_questions_run_and_answer_each_question(tmp_path):
    import papermill as pm

    data_before = {k: v[0] for k, v in snapshot(ROOT / "data").items() if k.endswith(".csv")}
    nb = pm.execute_notebook(
        str(NOTEBOOK),
        str(tmp_path / "questions.ipynb"),
        parameters={"own_file": str(_own_figures(tmp_path)), "out_dir": str(tmp_path / "out")},
        kernel_name="cchc",
        cwd=str(NOTEBOOK.parent),
        progress_bar=False,
    )  # papermill raises on the first failing cell
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert all(o.get("output_type") != "error" for o in outputs)
    html = "\n".join("".join(o.get("data", {}).get("text/html", "")) for o in outputs)
    text = "\n".join("".join(o.get("text", "")) for o in outputs)
    assert sum("image/png" in o.get("data", {}) for o in outputs) == 1  # the rank-share chart
    assert "Bắc Ninh" in html  # the first PAPI improver 2019-2023 (+3.62)
    assert "e_governance" in html and "Vĩnh Phúc" in html  # PAPI dimensions; the closest province
    assert "Đà Nẵng" in html and "<img" in html  # the history section, redrawn with other provinces
    assert "Bình Thuận" in html and "Lâm Đồng · Tây Nguyên (derived)" in text  # a 2025 unit, its predecessors
    assert ">user<" in html and ">30<" in html  # the user's own figure, used and marked so
    sheet = openpyxl.load_workbook(tmp_path / "out" / "par-2023.xlsx").worksheets[0]
    assert text_of("column.score", "vi") in [c.value for c in sheet[1]]  # Vietnamese headers from the catalogue
    assert (tmp_path / "out" / "2023" / "ha-noi.html").is_file()  # the report rendered from the notebook
    assert {
        k: v[0] for k, v in snapshot(ROOT / "data").items() if k.endswith(".csv")
    } == data_before  # data/ untouched: the user's figure went into a copy


def test_the_notebook_is_stored_without_outputs():
    import nbformat

    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code)
    assert [c.cell_type for c in nb.cells].count("markdown") >= 11  # one per question and the introduction
