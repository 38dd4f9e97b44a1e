"""notebooks/explore.ipynb, executed for real by papermill in the suite's kernel ``cchc`` on data/: every
cell runs, the tables and the chart it is there for are shown; with other parameters too."""

from __future__ import annotations

import pytest

from ..conftest import ROOT

pytestmark = pytest.mark.slow
NOTEBOOK = ROOT / "notebooks" / "explore.ipynb"


def _run(tmp_path, **parameters):
    import papermill as pm

    return pm.execute_notebook(
        str(NOTEBOOK),
        str(tmp_path / "explore.ipynb"),
        parameters=parameters,
        kernel_name="cchc",
        cwd=str(NOTEBOOK.parent),
        progress_bar=False,
    )


def _outputs(nb, kind):
    return [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if kind in o.get("data", {})]


def _text(nb):
    return "\n".join("".join(o["data"].get("text/html", "")) for o in _outputs(nb, "text/html"))


def test_explore_runs_and_shows_its_tables_and_chart(tmp_path):
    nb = _run(tmp_path)  # papermill raises on the first failing cell
    assert all(o.get("output_type") != "error" for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert len(_outputs(nb, "text/html")) >= 7 and all(
        "<table" in "".join(o["data"]["text/html"]) for o in _outputs(nb, "text/html")
    )
    assert len(_outputs(nb, "image/png")) == 1
    html = _text(nb)
    for expected in ("Thừa Thiên Huế", "Công khai, minh bạch", "Tây Nguyên", "Đắk Nông", "86.26"):
        assert expected in html, expected


def test_explore_answers_for_other_provinces_and_regions(tmp_path):
    nb = _run(
        tmp_path,
        provinces=["Hà Nội", "Đà Nẵng", "Hải Phòng", "Cần Thơ", "TP HCM"],
        papi_year=2023,
        region="Đồng bằng sông Hồng",
        province="Ninh Bình",
        peers_year=2022,
    )
    html = _text(nb)
    for expected in ("Hà Nội", "Hồ Chí Minh", "Ninh Bình", "86.64"):
        assert expected in html, expected
    assert len(_outputs(nb, "image/png")) == 1
