"""The analyst's notebook: sections return what they show, importing the suite changes nothing global,
words come from one catalogue and numbers from the report's locale (CLDR, by Babel)."""
from __future__ import annotations

import json
import os
import re
import string
import subprocess
import sys

import pandas as pd
import pytest
from matplotlib.figure import Figure

from cchc.catalogue import TEXTS, heading_in, text
from cchc.report import overview, plots, sections
from cchc.report.narrative import fmt_count, fmt_date, fmt_number, fmt_pct, fmt_score

from .conftest import ROOT

NOTEBOOKS = [ROOT / "notebooks" / "province_report.ipynb", ROOT / "notebooks" / "national_overview.ipynb"]


@pytest.fixture(scope="module")
def ctx():
    return sections.context("dak-nong", 2021)


# ------------------------------------------------------------------ sections return what they show
def test_history_section_holds_its_tables_figures_and_sentences(ctx):
    s = sections.history(ctx)
    par = s.tables["history"].query("index == 'PAR'")
    assert par[["year", "score", "rank"]].values.tolist() == [[2020, 82.05, 51], [2021, 86.26, 41]]
    assert s.tables["means"].query("index == 'PAR' and year == 2021")["score"].tolist() == [86.37]
    assert s.figures and all(isinstance(f, Figure) for f in s.figures)
    assert any(t.startswith("Xu hướng: chưa đủ số liệu") for t in s.sentences)
    html = s._repr_html_()
    assert html.count('<img alt="Biểu đồ điểm và thứ hạng') == len(s.figures)
    assert "<h2" not in html  # the section's heading is the notebook's markdown
    assert "Section history" in repr(s) and "0x" not in repr(s)  # a stable repr: the .ipynb stays byte-identical


def test_every_section_returns_a_section(ctx):
    for fn in (sections.title, sections.headline, sections.history, sections.par_components, sections.targets,
               sections.tthc, sections.unit_rankings, sections.sources_and_gaps, sections.footer):
        s = fn(ctx)
        assert s._repr_html_().strip() and all(isinstance(v, pd.DataFrame) for v in s.tables.values()), fn.__name__
    o = overview.context(2024)
    assert len(overview.rankings(o).tables["rankings"]) > 50
    assert isinstance(overview.tile_map(o).figures[0], Figure)


def test_sections_without_figures_say_so(ctx):
    s = sections.tthc(ctx)
    assert s.sentences == ["Chưa có số liệu về giải quyết TTHC năm 2021."]
    assert '<p class="missing">' in s._repr_html_()


def test_text_from_data_is_escaped_by_the_template(ctx):
    s = sections.Section("t", "vi")
    s.say("<script>alert(1)</script>", "note", link="javascript:alert(1)")
    s.table(pd.DataFrame({"a": ['"><svg onload=alert(1)>'], "src": ["https://x.org/?a=1&b=<i>"]}),
            {"a": "<b>A</b>", "src": "S"}, links=("src",))
    html = s._repr_html_()
    assert "<script" not in html and "<svg" not in html and "<b>" not in html and "<i>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="javascript' not in html and 'href="https://x.org/?a=1&amp;b=&lt;i&gt;"' in html


@pytest.mark.slow
def test_a_section_shows_in_the_notebook_exactly_as_in_the_report(tmp_path):
    from cchc.render import notebook as render

    paths = render.render_report(render.plan_report("ha-noi", 2023, formats="html"), tmp_path)
    report = paths["html"].read_text(encoding="utf-8")
    c = sections.context("ha-noi", 2023)
    for fn in (sections.title, sections.headline, sections.history, sections.targets, sections.sources_and_gaps):
        assert fn(c)._repr_html_() in report, fn.__name__


# ------------------------------------------------------------------ the notebooks
def _cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_use_the_standard_tags_and_number_their_headings(path):
    cells = _cells(path)
    numbers = []
    for cell in cells:
        tags = set(cell.get("metadata", {}).get("tags", []))
        assert "hide" not in tags
        source = "".join(cell["source"])
        if cell["cell_type"] == "code":
            assert tags & {"remove-input", "remove-cell"}, source  # the report shows no code
        elif "remove-cell" not in tags:
            for number, heading in re.findall(r"^## (\d+)\. (.+)$", source, re.MULTILINE):
                numbers.append(int(number))
                assert heading_in(heading, "en"), f"{heading!r} is not in the catalogue: an English report needs it"
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= 5


# ------------------------------------------------------------------ no side effects on import
def test_importing_every_module_changes_no_backend_and_no_rcparams():
    code = """
import importlib, json, pkgutil, matplotlib, seaborn
before = {k: repr(v) for k, v in matplotlib.rcParams.items() if k != "backend"}
import cchc
for m in pkgutil.iter_modules(cchc.__path__):
    if m.name not in ("__main__",):
        importlib.import_module("cchc." + m.name)
from cchc.report import plots, sections
after = {k: repr(v) for k, v in matplotlib.rcParams.items() if k != "backend"}
print(json.dumps({"backend": matplotlib.get_backend(), "changed": sorted(k for k in before if before[k] != after[k])}))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "MPLBACKEND": "svg"})
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result == {"backend": "svg", "changed": []}


def test_drawing_a_chart_leaves_rcparams_as_they_were():
    import matplotlib

    with matplotlib.rc_context({"lines.linewidth": 7.0, "axes.facecolor": "#123456"}):
        before = {k: repr(v) for k, v in matplotlib.rcParams.items() if k != "backend"}
        fig = plots.ranking_chart(pd.DataFrame({"unit": ["A", "B"], "score": [92.5, 80.0]}), "vi")
        plots.png_bytes(fig)
        assert {k: repr(v) for k, v in matplotlib.rcParams.items() if k != "backend"} == before
    assert fig.axes[0].patches[0].get_facecolor()[:3] != (0x12 / 255, 0x34 / 255, 0x56 / 255)


@pytest.mark.slow
def test_the_analysts_inline_plots_keep_working_in_a_real_kernel():
    """The suite's kernel, as JupyterLab starts it: %matplotlib inline, import the suite and run a section,
    then the analyst's own pyplot chart still arrives as a PNG, and rcParams are as before."""
    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(kernel_name="cchc")
    try:
        def run(code):
            msg_id = kc.execute(code)
            outputs = []
            while True:
                msg = kc.get_iopub_msg(timeout=120)
                if msg["parent_header"].get("msg_id") != msg_id:
                    continue
                if msg["msg_type"] == "error":
                    raise AssertionError("\n".join(msg["content"]["traceback"]))
                if msg["msg_type"] in ("display_data", "execute_result", "stream"):
                    outputs.append(msg)
                if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                    return outputs

        rc = ("import json, matplotlib\n"
              "print(json.dumps({k: repr(v) for k, v in matplotlib.rcParams.items() if k != 'backend'}))")
        run("%matplotlib inline\nimport matplotlib.pyplot as plt")
        before = run(rc)[0]["content"]["text"]
        shown = run("import cchc\nfrom cchc.report import sections, overview, plots\n"
                    "ctx = sections.context('dak-nong', 2021)\nsections.history(ctx)")
        html = shown[-1]["content"]["data"]["text/html"]
        assert shown[-1]["msg_type"] == "execute_result" and "data:image/png;base64," in html
        assert run(rc)[0]["content"]["text"] == before
        plotted = run("plt.plot([1, 2, 3], [3, 1, 2]); plt.title('mine'); plt.show()")
        assert any("image/png" in m["content"].get("data", {}) for m in plotted if m["msg_type"] == "display_data")
        assert run("print(matplotlib.get_backend())")[0]["content"]["text"].strip() in (
            "inline", "module://matplotlib_inline.backend_inline")
        table = run("type(sections.history(ctx).tables['history']).__name__")
        assert table[-1]["content"]["data"]["text/plain"] == "'DataFrame'"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


# ------------------------------------------------------------------ one catalogue, numbers from CLDR
def test_every_catalogue_entry_has_both_languages_with_the_same_values():
    fields = lambda s: sorted(f for _, f, _, _ in string.Formatter().parse(s) if f)  # noqa: E731
    for key, entry in TEXTS.items():
        assert set(entry) == {"vi", "en"}, key
        assert fields(entry["vi"]) == fields(entry["en"]), key


def test_no_module_but_the_catalogue_holds_words_in_both_languages():
    for path in (ROOT / "lib" / "cchc").glob("*.py"):
        if path.name == "catalogue.py":
            continue
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"""["']en["']\s*:""", source), f"{path.name}: a vi/en dict outside the catalogue"
        assert "ctx.t(" not in source and "esc(" not in source, path.name


@pytest.mark.parametrize("call, vi, en", [
    (lambda lang: fmt_number(86.26, lang), "86,26", "86.26"),
    (lambda lang: fmt_number(92.5, lang, 1), "92,5", "92.5"),
    (lambda lang: fmt_count(3419, lang), "3.419", "3,419"),
    (lambda lang: fmt_count(1234567, lang), "1.234.567", "1,234,567"),
    (lambda lang: fmt_pct(0.97289, lang), "97,29%", "97.29%"),
    (lambda lang: fmt_pct(0.5, lang, 1), "50,0%", "50.0%"),
    (lambda lang: fmt_score(45.79, "points/80", lang), "45,79/80 điểm", "45.79/80 points"),
    (lambda lang: fmt_score(0.80021, "index 0-1", lang), "0,8002", "0.8002"),
    (lambda lang: fmt_score(None, "%", lang), "chưa có số liệu", "no data"),
    (lambda lang: fmt_date("2022-11-04", lang), "4/11/2022", "04/11/2022"),
    (lambda lang: text("rank_down_one", lang), "giảm 1 bậc", "down 1 place"),
])
def test_numbers_and_dates_in_both_languages(call, vi, en):
    assert (call("vi"), call("en")) == (vi, en)


def test_chart_ticks_print_numbers_like_the_labels():
    fig = plots.components_chart(pd.DataFrame({"component": ["A", "B"], "share": [0.925, 0.5]}), "vi")
    fig.draw_without_rendering()
    ticks = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert ticks and all("." not in t for t in ticks)
    hist = pd.DataFrame({"year": [2022, 2023], "score": [92.5, 93.75], "rank": [3.0, 2.0], "rank_of": [63, 63]})
    fig = plots.history_chart(hist, "PAR", "vi", unit="%")
    fig.draw_without_rendering()
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert any("," in t for t in labels) and not any("." in t for t in labels), labels
    fig = plots.history_chart(hist, "PAR", "en", unit="%")
    fig.draw_without_rendering()
    assert any("." in t.get_text() for t in fig.axes[0].get_yticklabels())


@pytest.mark.parametrize("years, shown", [
    (range(2011, 2025), ["2012", "2016", "2020", "2024"]),  # 14 years beside the ranks: every fourth one
    (range(2019, 2024), ["2019", "2020", "2021", "2022", "2023"]),
    ([2023], ["2023"]),
])
def test_a_long_history_labels_a_readable_number_of_years(years, shown):
    history = pd.DataFrame({"year": list(years), "score": [40.0 + i for i in range(len(years))],
                            "rank": [10] * len(years), "rank_of": [63] * len(years)})
    fig = plots.history_chart(history, "PAPI", "vi", unit="points/80")
    for ax in fig.axes:
        labels = [t.get_text() for t in ax.get_xticklabels()]
        assert [label for label in labels if label] == shown and len(labels) == len(years)


def test_the_sources_table_shows_one_line_per_index_year_and_source(ctx):
    s = sections.sources_and_gaps(ctx)
    every = s.tables["sources"]  # every data row a figure comes from
    assert (every["component"].fillna("") != "").sum() > 20  # the publishers' tables give the components too
    html = s._repr_html_()
    papi = every[(every["index"] == "PAPI") & (every["year"] == 2021)]
    assert len(papi) == 9 and papi["source"].nunique() == 1  # total + 8 dimensions from one table
    assert html.count(">PAPI 2021<") == 1 and "và 8 chỉ số thành phần" in html


# ------------------------------------------------------------------ the 2025 merger side by side
@pytest.mark.parametrize("lang, alt", [
    ("vi", "Biểu đồ Chỉ số CCHC (PAR INDEX) của Bình Thuận, Đắk Nông, Lâm Đồng (trước sáp nhập) trên cùng trục"),
    ("en", "Chart of PAR INDEX for Bình Thuận, Đắk Nông, Lâm Đồng (before the merger) on the same axes"),
])
def test_new_unit_charts_its_predecessors_side_by_side(lang, alt):
    """Lâm Đồng (new) = Bình Thuận + Đắk Nông + Lâm Đồng: each index's history of each former province on
    one chart, one line per province, and a table of score and rank by year."""
    s = sections.history(sections.context("lam-dong-2025", 2025, lang))
    html = s._repr_html_()
    assert alt in html
    old = s.tables["predecessors"]
    charted = old.groupby("index")["province"].nunique()
    for index, n in charted.items():
        fig = next(f for f in s.figures if f.get_label() == f"predecessors:{index}")
        lines = [ln for ax in fig.axes for ln in ax.get_lines() if not ln.get_label().startswith("_")]
        assert len({ln.get_label() for ln in lines}) == n, index
    par = old.query("index == 'PAR' and province == 'Đắk Nông' and year == 2022")
    assert par[["score", "rank"]].values.tolist() == [[84.66, 37]]
    assert ("84,66% · 37/63" if lang == "vi" else "84.66% · 37/63") in html


# ------------------------------------------------------------------ issue 19: nothing a reader is told is false
def _table_cells(section) -> list[str]:
    from bs4 import BeautifulSoup

    return [td.get_text(" ", strip=True) for td in BeautifulSoup(section.to_html(), "html.parser").find_all("td")]


@pytest.mark.parametrize("lang, word", [("vi", "và"), ("en", "and")])
def test_no_sources_cell_starts_with_and(lang, word):
    s = sections.sources_and_gaps(sections.context("ha-noi", 2023, lang))
    cells = _table_cells(s)
    assert not [c for c in cells if c.split(" ")[0] == word]
    # a line with components only counts them: '8 chỉ số thành phần'
    assert any(re.fullmatch(r"\d+ (chỉ số thành phần|components)", c) for c in cells), cells


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_footer_and_the_sources_note_show_no_hash_parameter_or_path(lang):
    ctx = sections.context("ha-noi", 2023, lang)
    footer = sections.footer(ctx).to_html()
    for leak in ("sha256", "province=", "year=", "lang=", "ha-noi", ctx.ds.data_hash[:16]):
        assert leak not in footer
    assert ctx.ds.data_hash[:8] in footer  # a short version of the data, in words
    assert sections.footer(ctx).tables["provenance"]["data_hash"].iloc[0] == ctx.ds.data_hash  # kept for the analyst
    said = " ".join(sections.sources_and_gaps(ctx).sentences)
    for leak in ("data/", "cột note" if lang == "vi" else "column note", "“sources”"):
        assert leak not in said


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_merger_note_names_the_new_unit_without_its_slug(lang):
    said = " ".join(sections.title(sections.context("vinh-phuc", 2023, lang)).sentences)
    assert "Phú Thọ" in said and "phu-tho-2025" not in said and "-2025" not in said


def test_the_computed_rank_years_are_said_once_compactly():
    s = sections.history(sections.context("ha-noi", 2023))
    methods = [x for x in s.sentences if x.startswith("Thứ hạng ghi “tính”")]
    assert len([x for x in methods if "xếp theo điểm ở độ chính xác" in x]) == 1, methods  # the method once
    assert "2011–2013, 2015–2017, 2019–2020 (63 tỉnh), 2021 (60 tỉnh), 2022 (61 tỉnh)" in methods[0], methods
    assert "(63 tỉnh), 2012 (63 tỉnh)" not in " ".join(s.sentences)


def test_an_english_report_quotes_the_vietnamese_title_of_a_target_document():
    said = " ".join(sections.targets(sections.context("nghe-an", 2023, "en")).sentences)
    assert "Document: “Quyết định 5165/QĐ-UBND” (30/12/2021)." in said, said
