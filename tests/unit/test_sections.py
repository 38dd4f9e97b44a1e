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

from ..conftest import ROOT

NOTEBOOKS = [ROOT / "notebooks" / "province_report.ipynb", ROOT / "notebooks" / "national_overview.ipynb"]

# On one xdist worker with tests/unit/test_position.py: they read many of the same
# sections, built once per worker by report_section (measured: 42 instead of 47 CPU-s for the two files).
pytestmark = pytest.mark.xdist_group("report-sections")
RENDERED = [("ha-noi", 2023, "vi", "html")]  # read by the one slow test, rendered once per run (conftest.py)


@pytest.fixture(scope="module")
def ctx(report_context):
    return report_context("dak-nong", 2021)


@pytest.fixture(scope="module")
def section(report_section):
    """Factory: a section of Đắk Nông's 2021 report (``section(sections.history)``), built once for every
    test that reads it (its charts are drawn when it is first shown)."""
    return lambda build: report_section(build, "dak-nong", 2021)


# ------------------------------------------------------------------ sections return what they show
def test_history_section_holds_its_tables_figures_and_sentences(section):
    s = section(sections.history)
    par = s.tables["history"].query("index == 'PAR'")
    assert par[["year", "score", "rank"]].values.tolist() == [[2020, 82.05, 51], [2021, 86.26, 41]]
    assert s.tables["means"].query("index == 'PAR' and year == 2021")["score"].tolist() == [86.37]
    assert s.figures and all(isinstance(f, Figure) for f in s.figures)
    assert any(t.startswith("Xu hướng: chưa đủ số liệu") for t in s.sentences)
    html = s._repr_html_()
    assert html.count('<img alt="Biểu đồ điểm và thứ hạng') == len(s.figures)
    assert "<h2" not in html  # the section's heading is the notebook's markdown
    assert "Section history" in repr(s) and "0x" not in repr(s)  # a stable repr: the .ipynb stays byte-identical


def test_every_section_returns_a_section(ctx, section):
    for fn in (
        sections.title,
        sections.headline,
        sections.history,
        sections.par_components,
        sections.targets,
        sections.tthc,
        sections.unit_rankings,
        sections.sources_and_gaps,
        sections.footer,
    ):
        s = section(fn)
        assert s._repr_html_().strip() and all(isinstance(v, pd.DataFrame) for v in s.tables.values()), fn.__name__
    o = overview.context(2024, dataset=ctx.ds)
    assert len(overview.rankings(o).tables["rankings"]) > 50
    assert isinstance(overview.index_maps(o).figures[0], Figure)


def test_sections_without_figures_say_so(section):
    s = section(sections.tthc)
    assert s.sentences == ["Chưa có số liệu về giải quyết TTHC năm 2021."]
    assert '<p class="missing">' in s._repr_html_()


def test_text_from_data_is_escaped_by_the_template(ctx):
    s = sections.Section("t", "vi")
    s.say("<script>alert(1)</script>", "note", link="javascript:alert(1)")
    s.table(
        pd.DataFrame({"a": ['"><svg onload=alert(1)>'], "src": ["https://x.org/?a=1&b=<i>"]}),
        {"a": "<b>A</b>", "src": "S"},
        links=("src",),
    )
    html = s._repr_html_()
    assert "<script" not in html and "<svg" not in html and "<b>" not in html and "<i>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="javascript' not in html and 'href="https://x.org/?a=1&amp;b=&lt;i&gt;"' in html


@pytest.mark.slow
def test_a_section_shows_in_the_notebook_exactly_as_in_the_report(rendered, report_context):
    report = rendered("ha-noi", 2023)["html"].read_text(encoding="utf-8")
    c = report_context("ha-noi", 2023)
    for fn in (sections.title, sections.headline, sections.history, sections.targets):
        assert fn(c)._repr_html_() in report, fn.__name__
    ending = sections.sources_and_gaps(c) + sections.footer(c)  # the notebook's last cell, as it shows them
    assert ending._repr_html_() in report


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
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "MPLBACKEND": "svg"},
    )
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

        rc = (
            "import json, matplotlib\n"
            "print(json.dumps({k: repr(v) for k, v in matplotlib.rcParams.items() if k != 'backend'}))"
        )
        run("%matplotlib inline\nimport matplotlib.pyplot as plt")
        before = run(rc)[0]["content"]["text"]
        shown = run(
            "import cchc\nfrom cchc.report import sections, overview, plots\n"
            "ctx = sections.context('dak-nong', 2021)\nsections.history(ctx)"
        )
        html = shown[-1]["content"]["data"]["text/html"]
        assert shown[-1]["msg_type"] == "execute_result" and "data:image/png;base64," in html
        assert run(rc)[0]["content"]["text"] == before
        plotted = run("plt.plot([1, 2, 3], [3, 1, 2]); plt.title('mine'); plt.show()")
        assert any("image/png" in m["content"].get("data", {}) for m in plotted if m["msg_type"] == "display_data")
        assert run("print(matplotlib.get_backend())")[0]["content"]["text"].strip() in (
            "inline",
            "module://matplotlib_inline.backend_inline",
        )
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


@pytest.mark.parametrize(
    "call, vi, en",
    [
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
    ],
)
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


@pytest.mark.parametrize(
    "years, shown",
    [
        (range(2011, 2025), ["2012", "2016", "2020", "2024"]),  # 14 years beside the ranks: every fourth one
        (range(2019, 2024), ["2019", "2020", "2021", "2022", "2023"]),
        ([2023], ["2023"]),
    ],
)
def test_a_long_history_labels_a_readable_number_of_years(years, shown):
    history = pd.DataFrame(
        {
            "year": list(years),
            "score": [40.0 + i for i in range(len(years))],
            "rank": [10] * len(years),
            "rank_of": [63] * len(years),
        }
    )
    fig = plots.history_chart(history, "PAPI", "vi", unit="points/80")
    for ax in fig.axes:
        labels = [t.get_text() for t in ax.get_xticklabels()]
        assert [label for label in labels if label] == shown
        assert _year_grid_lines(ax) == sorted(years)  # a grid line for every year, labelled or not


def _year_grid_lines(ax) -> list[int]:
    """The years with a vertical grid line drawn: the ticks' own, and the grid's line for the other years."""
    ticks = ax.xaxis.get_major_ticks(len(ax.xaxis.get_majorticklocs()))
    years = [int(t.get_loc()) for t in ticks if t.gridline.get_visible()]
    for line in ax.get_lines():
        if line.get_gid() == "grid:years":
            years += [int(x) for x in line.get_xdata()[::3]]  # each year's line: (year, year, a gap)
    return sorted(years)


def _cells_as_iterrows_gave_them(frame, columns, links=(), badges=None):
    """``Section.table``'s cells as it made them before (a Series a row, ``iterrows``): the reference."""
    from cchc.report.narrative import is_missing

    badges = badges or {}
    rows = []
    for _, row in frame.iterrows():
        cells = []
        for c in columns:
            v = row.get(c)
            if c in links and not is_missing(v):
                cells.append(("link", str(v)))
            elif is_missing(v):
                cells.append(("missing",))
            elif c in badges:
                cells.append(("badge", str(v), badges[c](row)))
            else:
                cells.append(("text", str(v)))
        rows.append(cells)
    return rows


@pytest.mark.parametrize(
    "frame",
    [
        pd.DataFrame({"year": [2022, 2023], "score": [81.5, None]}),  # numbers only: a row is floats ('2022.0')
        pd.DataFrame({"year": [2022, 2023], "rank": [3, 5]}),  # integers only
        pd.DataFrame(
            {
                "year": [2022, 2023, 2024],
                "label": ["a", None, "c"],
                "n": pd.array([1, None, 3], dtype="Int64"),
                "ok": [True, False, True],
                "source": ["https://example.org/x", "Báo cáo", None],
                "status": ["met", "not_met", "on_track"],
            },
            index=[7, 3, 5],
        ),
    ],
    ids=["floats", "integers", "mixed"],
)
def test_a_table_shows_each_value_as_its_row_gives_it(frame):
    """``Section.table`` reads each row's values as ``iterrows`` gave them (without a Series a row): a cell shows
    what it showed, in the frame's order; a column the frame lacks is missing; a badge reads its row."""
    from cchc.report.output import Section

    columns = {c: c.upper() for c in [*frame.columns, "absent"]}
    badges = {"status": lambda row: f"status-{row['status']}-{row['year']}"} if "status" in frame else None
    s = Section("example", "en")
    s.table(frame, columns, links=("source",), badges=badges)
    got = [
        [
            (c["kind"], c["text"]) + ((c["cls"],) if c["kind"] == "badge" else ())
            if c["kind"] != "missing"
            else ("missing",)
            for c in row
        ]
        for row in s._blocks[-1]["rows"]
    ]
    expected = [
        [("text" if c[0] == "link" else c[0], *c[1:]) for c in row]
        for row in _cells_as_iterrows_gave_them(frame, columns, ("source",), badges)
    ]
    assert got == expected


def test_the_sources_table_shows_one_line_per_index_year_and_source(section):
    s = section(sections.sources_and_gaps)
    every = s.tables["sources"]  # every data row a figure comes from
    assert (every["component"].fillna("") != "").sum() > 20  # the publishers' tables give the components too
    html = s._repr_html_()
    papi = every[(every["index"] == "PAPI") & (every["year"] == 2021)]
    assert len(papi) == 9 and papi["source"].nunique() == 1  # total + 8 dimensions from one table
    assert html.count(">PAPI 2021<") == 1 and "và 8 chỉ số thành phần" in html


# ------------------------------------------------------------------ the 2025 merger side by side
@pytest.mark.parametrize(
    "lang, alt",
    [
        ("vi", "Biểu đồ Chỉ số CCHC (PAR INDEX) của Bình Thuận, Đắk Nông, Lâm Đồng (trước sáp nhập) trên cùng trục"),
        ("en", "Chart of PAR INDEX for Bình Thuận, Đắk Nông, Lâm Đồng (before the merger) on the same axes"),
    ],
)
def test_new_unit_charts_its_predecessors_side_by_side(lang, alt, report_section):
    """Lâm Đồng (new) = Bình Thuận + Đắk Nông + Lâm Đồng: each index's history of each former province on
    one chart, one line per province, and a table of score and rank by year."""
    s = report_section(sections.history, "lam-dong-2025", 2025, lang)
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


UNCHANGED_TITLE = {
    "vi": "Không thực hiện sắp xếp đơn vị hành chính cấp tỉnh năm 2025 (Nghị quyết 202/2025/QH15); số liệu "
    "đến năm 2024 là của {old}.",
    "en": "Not rearranged in the 2025 merger of provinces (Resolution 202/2025/QH15); its figures up to 2024 are "
    "those of {old}.",
}


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("unit, old", [("hue-2025", "Thừa Thiên Huế"), ("ha-noi-2025", "Hà Nội")])
def test_a_unit_not_rearranged_in_2025_is_not_called_formed_from_a_merger(unit, old, lang, report_section):
    """Huế and Hà Nội were not merged (Resolution 202/2025/QH15 leaves 11 units as they were): their reports
    do not say they were formed from their old province, that their region is derived, or that its history
    is of 'the provinces before the merger'."""
    title = report_section(sections.title, unit, 2025, lang)
    said = " ".join(title.sentences)
    assert UNCHANGED_TITLE[lang].format(old=old) in said
    for false in ("hình thành từ", "formed from", "suy ra", "derived", "19/2025/QĐ-TTg"):
        assert false not in said
    history = report_section(sections.history, unit, 2025, lang)
    html = history._repr_html_()
    for false in ("trước sáp nhập", "before the merger", "former provinces", "các tỉnh trước"):
        assert false not in html
    heading = {"vi": f"— {old} trước 1/7/2025", "en": f"— {old} before 1 July 2025"}[lang]
    assert heading in html


@pytest.mark.parametrize(
    "lang, note, region",
    [
        ("vi", "tỉnh được viền là Thừa Thiên Huế, không thực hiện sắp xếp", "không theo danh sách được công bố"),
        ("en", "the one outlined is Thừa Thiên Huế, which was not rearranged", "not by a published list"),
    ],
)
def test_a_unit_not_rearranged_is_outlined_as_its_old_province_and_its_region_is_not_called_derived(
    lang, note, region, report_section
):
    """Huế's 2024 position: the maps of the 63 provinces outline Thừa Thiên Huế (not 'the provinces it was
    formed from'); its own region is published, while the merged units counted in it are placed by a rule."""
    said = " ".join(report_section(sections.position, "hue-2025", 2024, lang).sentences)
    assert note in said and region in said
    for false in ("đã hợp thành", "formed from", "Vùng của Huế là vùng suy ra", "Huế's region is derived"):
        assert false not in said


@pytest.mark.parametrize("lang, said", [("vi", "trung vị"), ("en", "median")])
def test_history_shows_the_papi_2023_mean_of_the_table_and_says_why_once(lang, said, report_section):
    s = report_section(sections.history, "thua-thien-hue", 2023, lang)
    m = s.tables["means"].query("index == 'PAPI' and year == 2023 and scope == 'national'")
    assert [round(x, 2) for x in m["score"]] == [42.42] and m["computed"].all()
    told = [t for t in s.sentences if "42,3265" in t or "42.3265" in t]
    assert len(told) == 1 and said in told[0]


@pytest.mark.parametrize("lang, said", [("vi", "bị nguồn khác mâu thuẫn"), ("en", "contradicted by other sources")])
def test_a_disputed_rank_is_not_shown_as_a_figure_but_listed_among_the_sources(lang, said, report_section):
    hist = report_section(sections.history, "lao-cai", 2023, lang).tables["history"]
    hist = hist.query("index == 'PAR' and year == 2023")
    assert hist["rank"].isna().all()  # Long An's 7th is stated directly; Lào Cai's, derived, is disputed
    s = report_section(sections.sources_and_gaps, "lao-cai", 2023, lang)
    src = s.tables["sources"]
    row = src[(src["index"] == "PAR") & (src["year"] == 2023) & (src["component"] == "")]
    assert row["status"].tolist() == ["disputed"] and row["source"].str.contains("baolaocai").all()
    assert said in s.to_html()


# ------------------------------------------------------------------ disputed figures, visibly and once (issue 20)
@pytest.fixture
def sentences_of(report_section):
    """Factory: the sentences of a report's sources and gaps, ``sentences_of(slug, year, lang="vi")``."""
    return lambda slug, year, lang="vi": report_section(sections.sources_and_gaps, slug, year, lang).sentences


@pytest.mark.parametrize(
    "slug, year, lang, said",
    [
        ("hai-phong", 2024, "vi", "Không dùng: SIPAS 2024 90,59%"),  # its stated rise does not fit 2023
        ("khanh-hoa", 2023, "vi", "Không dùng: PCI 2023 67,65"),  # the page puts it outside the top 30
        ("dien-bien", 2024, "en", "Not used: DTI 2024 24/63"),  # probably the DTI 2023 result
    ],
)
def test_a_figure_its_own_page_contradicts_is_named_once_as_not_used(slug, year, lang, said, sentences_of):
    said_here = [s for s in sentences_of(slug, year, lang) if said in s]
    assert len(said_here) == 1, sentences_of(slug, year, lang)


def test_hoa_binh_par_2023_shows_the_figure_of_the_rule_and_the_other_page_once(report_section, report_context):
    s = report_section(sections.sources_and_gaps, "hoa-binh", 2023)
    html = s._repr_html_()
    assert html.count("86,76") == 1 and "nguồn khác" in html  # the other page, once
    h = report_context("hoa-binh", 2023).ds.figures
    used = h[(h["province"] == "hoa-binh") & (h["index"] == "PAR") & (h["year"] == 2023)]
    assert (used["score"].tolist(), used["rank"].tolist()) == ([86.89], [35])


def test_pci_2024_median_is_not_shown_as_a_mean(report_context):
    ds = report_context("ha-noi", 2024).ds
    m = ds.all_means
    assert m[(m["index"] == "PCI") & (m["year"] == 2024) & (m["score"] == 67.67)].empty


def test_why_a_pci_2023_figure_is_missing_in_both_languages(sentences_of):
    vi = sentences_of("lam-dong", 2023, "vi")
    en = sentences_of("lam-dong", 2023, "en")
    assert any(
        "VCCI chỉ công bố 30 tỉnh dẫn đầu (Chỉ số năng lực cạnh tranh PCI 2023); Lâm Đồng không thuộc "
        "danh sách này hoặc số liệu chưa nhập vào bộ dữ liệu" in s
        for s in vi
    ), vi
    assert any("VCCI publishes only the top 30 provinces" in s for s in en), en
    ha_noi = sentences_of("ha-noi", 2023, "vi")  # 28th: VCCI published its score, not entered yet
    assert any("điểm — chưa nhập vào bộ dữ liệu" in s for s in ha_noi), ha_noi


def test_the_first_page_says_when_only_a_top_n_was_published(report_section):
    said = report_section(sections.summary, "lam-dong", 2023).sentences
    limit = "VCCI chỉ công bố 30 tỉnh dẫn đầu (Chỉ số năng lực cạnh tranh PCI 2023)"
    assert any(s.startswith(limit) for s in said), said
    said = report_section(sections.summary, "thanh-hoa", 2023, "en").sentences  # 30th: in the top 30
    assert not any("top 30" in s for s in said), said


def test_a_publisher_cited_via_a_page_links_the_page(report_section):
    from cchc.report.output import _link

    cited = 'Bộ Nội vụ, "Chỉ số cải cách hành chính (PAR INDEX) 2024", via https://baobinhduong.vn/par-2024'
    assert _link(cited) == {"kind": "text", "text": cited, "href": "https://baobinhduong.vn/par-2024"}
    assert _link("Sở Nội vụ, báo cáo 2023")["href"] is None
    s = report_section(sections.sources_and_gaps, "binh-duong", 2024)
    assert "baobinhduong.vn" in s._repr_html_()


# ------------------------------------------------------------------ whose figures: a department is not the province
@pytest.mark.parametrize(
    "lang, not_province", [("vi", "không phải của toàn tỉnh Đắk Nông"), ("en", "not those of Đắk Nông as a whole")]
)
def test_tthc_of_one_department_is_never_shown_as_the_provinces(lang, not_province, report_section):
    """Đắk Nông 2024: the inspection's counts are the Sở Tư pháp's. Every rate says so; no rate divides
    counts the source defines differently (its 2,594 dossiers handled "partly" are not said to be online)."""
    s = report_section(sections.tthc, "dak-nong", 2024, lang)
    rates = s.tables["rates"]
    assert not rates.empty and set(rates["scope"]) == {"department"} and set(rates["agency"]) == {"Sở Tư pháp"}
    assert "online_share" not in set(rates["rate"])
    assert {"on_time_rate", "full_online_share"} <= set(rates["rate"])
    assert (rates["numerator_count"] <= rates["denominator_count"]).all()
    html = s._repr_html_()
    assert "100,00%" not in html and "100.00%" not in html
    assert any(not_province in t for t in s.sentences), s.sentences
    assert html.count("Sở Tư pháp") >= 3  # heading, sentence, the scope column of the rates
    assert not any("toàn trình và một phần" in t or "full and partial" in t for t in s.sentences)


@pytest.mark.parametrize(
    "slug, year", [("dak-nong", 2023), ("dak-nong", 2024), ("nghe-an", 2023), ("nghe-an", 2024), ("ninh-binh", 2022)]
)
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_target_that_a_recent_figure_measures_is_measured(slug, year, lang, report_section, report_context):
    """No target says "no figure yet" while a figure of the province up to the report's year measures
    it: Đắk Nông's PCI group shows PCI 2022 (38/63) with its year, though VCCI's groups stop in 2016."""
    from cchc.analysis.metrics import STALE_AFTER, index_history
    from cchc.data.indices import SHIPPED
    from cchc.data.schema import TARGET_METRICS

    s = report_section(sections.targets, slug, year, lang)
    tg = s.tables.get("targets", pd.DataFrame())
    ctx = report_context(slug, year, lang)
    for _, t in tg.iterrows():
        index = TARGET_METRICS[t["metric"]].split(":")[0]
        if index not in SHIPPED:
            continue
        h = index_history(ctx.ds, slug, index)
        recent = h[(h["year"] <= year) & (h["year"] >= year - STALE_AFTER) & (h["score"].notna() | h["rank"].notna())]
        if not recent.empty:
            assert t["status"] != "no_data", (t["metric"], t["status"])
            assert pd.notna(t["figure_year"]) and int(t["figure_year"]) == int(recent["year"].max()), t["metric"]


@pytest.mark.parametrize("year", [2023, 2024])
@pytest.mark.parametrize("lang, words", [("vi", ["38/63", "(2022)", "64,87"]), ("en", ["38/63", "(2022)", "64.87"])])
def test_dak_nong_pci_group_target_shows_the_latest_pci_figure(year, lang, words, report_section):
    s = report_section(sections.targets, "dak-nong", year, lang)
    tg = s.tables["targets"].set_index("metric")
    assert tg.loc["pci_band", "status"] == "unjudged"
    assert (tg.loc["pci_band", "figure_rank"], tg.loc["pci_band", "figure_year"]) == (38, 2022)
    row = next(tr for tr in s._repr_html_().split("<tr") if text("metric.pci_band", lang) in tr)
    for w in words:
        assert w in row, (w, row)
    assert text("status.no_data", lang) not in row and text("status.unjudged", lang) in row


@pytest.mark.parametrize(
    "slug, metrics_added",
    [
        (
            "dak-nong",
            [
                "public_service_staff_reduction",
                "tthc_digitised_dossier_share",
                "economic_units_converted_share",
                "integrated_governance_share",
                "mobile_online_services_share",
            ],
        ),
        ("nghe-an", ["legal_documents_implemented_share", "tthc_time_cut_review_share", "tthc_backlog"]),
    ],
)
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_quantified_target_of_the_document_is_listed(slug, metrics_added, lang, report_section):
    s = report_section(sections.targets, slug, 2023, lang)
    assert set(metrics_added) <= set(s.tables["targets"]["metric"])
    listed = " ".join(s.sentences) + s._repr_html_()
    assert "hồ sơ tồn đọng" in listed if slug == "nghe-an" else "10% biên chế sự nghiệp" in listed
    if slug == "nghe-an":  # the target's unit in the report's language
        assert ("≤ 0 dossiers" if lang == "en" else "≤ 0 hồ sơ") in listed


@pytest.mark.parametrize(
    "lang, words",
    [("vi", "số liệu giải quyết TTHC của toàn tỉnh"), ("en", "TTHC processing figures of the province as a whole")],
)
def test_gaps_say_the_province_s_own_tthc_figures_are_missing(lang, words, report_section):
    """Đắk Nông 2024 has one department's counts: the province's own are still missing, and said so."""
    s = report_section(sections.sources_and_gaps, "dak-nong", 2024, lang)
    assert any(words in t for t in s.sentences), s.sentences


@pytest.mark.parametrize("lang, words", [("vi", "chỉ có số liệu của Sở Tư pháp"), ("en", "only Sở Tư pháp's figures")])
def test_a_province_target_is_not_judged_by_a_department_s_tthc_figures_and_says_so(lang, words, report_section):
    """Đắk Nông 2024: the 50% online-dossier target is the province's; the Sở Tư pháp's 21,58% does not measure it."""
    s = report_section(sections.targets, "dak-nong", 2024, lang)
    tg = s.tables["targets"].set_index("metric")
    assert tg.loc["tthc_full_online_dossier_share", "status"] == "no_data"
    assert pd.isna(tg.loc["tthc_full_online_dossier_share", "actual"])
    html = s._repr_html_().replace("&#39;", "'")
    row = next(tr for tr in html.split("<tr") if text("metric.tthc_full_online_dossier_share", lang) in tr)
    assert words in row and "21" not in row, row


# ------------------------------------------------------------------ issue 19: nothing a reader is told is false
def _table_cells(section) -> list[str]:
    from bs4 import BeautifulSoup

    return [td.get_text(" ", strip=True) for td in BeautifulSoup(section.to_html(), "html.parser").find_all("td")]


@pytest.mark.parametrize("lang, word", [("vi", "và"), ("en", "and")])
def test_no_sources_cell_starts_with_and(lang, word, report_section):
    s = report_section(sections.sources_and_gaps, "ha-noi", 2023, lang)
    cells = _table_cells(s)
    assert not [c for c in cells if c.split(" ")[0] == word]
    # a line with components only counts them: '8 chỉ số thành phần'
    assert any(re.fullmatch(r"\d+ (chỉ số thành phần|components)", c) for c in cells), cells


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_footer_and_the_sources_note_show_no_hash_parameter_or_path(lang, report_context, report_section):
    ctx = report_context("ha-noi", 2023, lang)
    footer = sections.footer(ctx).to_html()
    for leak in ("sha256", "province=", "year=", "lang=", "ha-noi", ctx.ds.data_hash[:16]):
        assert leak not in footer
    assert ctx.ds.data_hash[:8] in footer  # a short version of the data, in words
    assert sections.footer(ctx).tables["provenance"]["data_hash"].iloc[0] == ctx.ds.data_hash  # kept for the analyst
    said = " ".join(report_section(sections.sources_and_gaps, "ha-noi", 2023, lang).sentences)
    for leak in ("data/", "cột note" if lang == "vi" else "column note", "“sources”"):
        assert leak not in said


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_merger_note_names_the_new_unit_without_its_slug(lang, report_section):
    said = " ".join(report_section(sections.title, "vinh-phuc", 2023, lang).sentences)
    assert "Phú Thọ" in said and "phu-tho-2025" not in said and "-2025" not in said


def test_the_computed_rank_years_are_said_once_compactly(report_section):
    s = report_section(sections.history, "ha-noi", 2023)
    methods = [x for x in s.sentences if x.startswith("Thứ hạng ghi “tính”")]
    assert len([x for x in methods if "xếp theo điểm ở độ chính xác" in x]) == 1, methods  # the method once
    assert "2011–2013, 2015–2017, 2019–2020 (63 tỉnh), 2021 (60 tỉnh), 2022 (61 tỉnh)" in methods[0], methods
    assert "(63 tỉnh), 2012 (63 tỉnh)" not in " ".join(s.sentences)


def test_an_english_report_quotes_the_vietnamese_title_of_a_target_document(report_section):
    said = " ".join(report_section(sections.targets, "nghe-an", 2023, "en").sentences)
    assert "Document: “Quyết định 5165/QĐ-UBND” (30/12/2021)." in said, said


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_sources_cells_put_no_space_before_a_semicolon(lang, report_section):
    """'43,20/80 điểm ; 43/63': neither Vietnamese nor English puts a space before ';' (the checker found
    15,786 such cells in the 2012-2025 reports)."""
    s = report_section(sections.sources_and_gaps, "ha-noi", 2023, lang)
    cells = _table_cells(s)
    assert not [c for c in cells if " ;" in c]
    assert any(re.search(r"(điểm|points); \d+/6[134]", c) for c in cells), cells[:20]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_areas_of_an_earlier_year_say_their_year_in_the_same_sentence(lang, report_section):
    """Hòa Bình 2019 shows the PAR areas of 2018: 'Lĩnh vực xếp hạng cao nhất: …' must say 2018 itself,
    not only the note above the table."""
    s = report_section(sections.par_components, "hoa-binh", 2019, lang)
    naming = [x for x in s.sentences if "(" in x and "/63" in x]
    assert naming and all("2018" in x for x in naming), s.sentences


def test_sources_say_a_figure_is_from_the_official_table_entered_by_the_user(good_dir, tmp_path, registry):
    from cchc.data.dataset import load_dataset
    from cchc.data.importer import import_file

    from ..conftest import DOCUMENT, as_text, par_table

    import_file(
        as_text(par_table(registry, areas=False), tmp_path), data_dir=good_dir, index="PAR", year=2024, source=DOCUMENT
    )
    ds = load_dataset(good_dir)
    for lang, words in (("vi", "bảng chính thức do người dùng nhập"), ("en", "official table entered by the user")):
        s = sections.sources_and_gaps(sections.context("dak-nong", 2024, lang, dataset=ds))
        assert words in s._repr_html_(), lang
    earlier = sections.sources_and_gaps(sections.context("dak-nong", 2021, "vi", dataset=ds))
    assert "người dùng nhập" not in earlier._repr_html_()  # published figures say nothing of the kind


@pytest.mark.parametrize(
    "lang, words, false",
    [
        (
            "vi",
            "Chỉ số chuyển đổi số DTI 2024 của Hải Dương chưa nhập vào bộ dữ liệu; Hải Phòng (đơn vị kế thừa Hải "
            "Dương từ 1/7/2025) xếp thứ 3/34 trong các đơn vị mới",
            "chỉ được công bố cho",
        ),
        (
            "en",
            "DTI digital transformation index 2024 of Hải Dương has not yet been entered in the data set; Hải Phòng "
            "(Hải Dương's successor from 1 July 2025) ranked 3/34 among the new units",
            "published only for",
        ),
    ],
)
def test_an_old_province_without_dti_2024_is_told_its_successors_rank(lang, words, false, report_section):
    """DTI 2024 was published for the 63 provinces and for the 34 units: Hải Dương's 2024 report says its own
    figure is not entered yet and names its successor's rank, as the successor's, on the first page and in the
    missing figures. It said DTI 2024 was published for the 34 units only."""
    summary = report_section(sections.summary, "hai-duong", 2024, lang)
    gaps = report_section(sections.sources_and_gaps, "hai-duong", 2024, lang)
    assert any(words in x for x in summary.sentences), summary.sentences
    assert any(words in x for x in gaps.sentences), gaps.sentences
    assert not any(false in x for x in summary.sentences + gaps.sentences)


@pytest.mark.parametrize(
    "lang, said",
    [
        ("vi", "Chỉ số chuyển đổi số DTI: điểm — chưa nhập vào bộ dữ liệu"),
        ("en", "DTI digital transformation index: score — not yet entered in the data set"),
    ],
)
def test_a_province_with_its_dti_2024_rank_lacks_only_its_score(lang, said, report_section):
    """Hà Nội's DTI 2024 rank (4/63) is in the data, its score is not: only the score is said to be missing, and
    no sentence says its DTI 2024 was not entered."""
    gaps = report_section(sections.sources_and_gaps, "ha-noi", 2024, lang)
    summary = report_section(sections.summary, "ha-noi", 2024, lang)
    assert said in gaps.tables["gaps"]["missing"].tolist()
    assert not any("1/34" in x for x in summary.sentences + gaps.sentences)


@pytest.mark.parametrize(
    "lang, said, false",
    [
        ("vi", "Chỉ số chuyển đổi số DTI: điểm và thứ hạng — chưa nhập vào bộ dữ liệu", "không được công bố"),
        ("en", "DTI digital transformation index: score and rank — not yet entered in the data set", "not published"),
    ],
)
def test_dak_nong_s_dti_2024_was_published_and_is_not_entered(lang, said, false, report_section):
    """DTI 2024 was published for the 63 provinces (Hồ Chí Minh 1/63 … Quảng Nam 57/63): Đắk Nông's report
    said its figure was not published."""
    s = report_section(sections.sources_and_gaps, "dak-nong", 2024, lang)
    assert said in s.tables["gaps"]["missing"].tolist()
    assert not any("DTI" in x and false in x for x in s.sentences), s.sentences


def test_the_last_section_and_the_footer_are_shown_as_one_with_the_footer_kept_with_the_text_before_it():
    """The notebooks show ``sources_and_gaps(ctx) + footer(ctx)``: one output whose footer line and the list
    before it (with the sentence that opens it) print on one page (``.ending``, report.css)."""
    from cchc.report.output import Section

    last, foot = Section("sources_and_gaps", "vi"), Section("footer", "vi")
    last.say("Ghi chú.", "note")
    last.say("Chưa có số liệu năm 2023:")
    last.items(["DTI"])
    last.tables["gaps"] = pd.DataFrame({"x": [1]})
    foot.footer("Lập từ dữ liệu phiên bản 1234abcd.")
    foot.tables["provenance"] = pd.DataFrame({"data_hash": ["1234abcd"]})
    both = last + foot
    assert set(both.tables) == {"gaps", "provenance"} and both.sentences == last.sentences + foot.sentences
    html = both.to_html()
    ending = html[html.index('<div class="ending">') :]
    assert ending.index("Chưa có số liệu") < ending.index("<ul>") < ending.index('class="footer"')
    assert "Ghi chú" not in ending and ending.rstrip().endswith("</div></div>")
    assert '<div class="ending">' not in last.to_html() + foot.to_html()  # each alone, as before
    with pytest.raises(ValueError, match="provenance"):
        both + foot


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_biggest_gain_and_fall_name_every_area_that_moved_as_much(lang):
    """Two areas that both rose 5 places: 'most improved: A' said B improved less."""
    areas = pd.DataFrame(
        {
            "component": ["A", "B", "C", "D", "E"],
            "rank": [10, 20, 30, 40, 50],
            "rank_of": [63] * 5,
            "rank_delta": [5, 5, 1, -4, -4],
        }
    )
    said = " ".join(sections.component_sentences(areas, lang))
    both = "A và B" if lang == "vi" else "A and B"
    assert said.count(both) == 1 and ("D và E" if lang == "vi" else "D and E") in said, said


def test_the_areas_ranked_highest_and_lowest_name_every_area_ranked_as_the_last_named():
    """Ranked 3, 5 and 5: 'ranked highest: A (3/63), B (5/63)' left out C, as high as B."""
    areas = pd.DataFrame(
        {"component": list("ABCDEF"), "rank": [3, 5, 5, 40, 50, 50], "rank_of": [63] * 6, "rank_delta": [None] * 6}
    )
    said = sections.component_sentences(areas, "en")[0]
    best, worst = said.split(";")
    assert all(f"{c} (" in best for c in "ABC") and all(f"{c} (" in worst for c in "EF") and "D (" not in said, said
    flat = areas.assign(rank=[5, 5, 5, 5, 5, 5])  # every area as high as the others: nothing to say
    assert not any("highest" in w for w in sections.component_sentences(flat, "en"))


@pytest.mark.parametrize(
    "lang, said",
    [("vi", "số năm 2023 suy ra từ số liệu công bố"), ("en", "the 2023 figure was worked out from published")],
)
def test_a_headline_says_which_years_figure_was_worked_out(report_section, lang, said):
    """Hà Nội's SIPAS 2024 (86.5%, 11/63) is published; its 2023 figure, behind the change, was worked out from
    the 2024 press figures. The headline marked the 2024 figure as derived."""
    s = report_section(sections.headline, "ha-noi", 2024, lang)
    html = s.to_html()
    assert said in html, html[:3000]
    sipas = next(item for item in html.split("<li>") if "SIPAS" in item)
    assert sections.text("derived", lang) not in sipas


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_an_index_is_not_missing_in_a_year_before_its_first_results(lang, report_section, shipped):
    """Nam Định 2007 listed PAR INDEX (first results 2012), SIPAS (2017), PAPI (2011) and DTI (2020) as "not
    yet entered in the data set": none of them existed. Its PCI figure is still there; in 2017 SIPAS existed
    (its first year), so it may still be listed as missing."""
    import cchc
    from cchc.analysis import metrics

    later = ("PAR INDEX", "SIPAS", "PAPI", "DTI", "Chỉ số CCHC")
    gaps = report_section(sections.sources_and_gaps, "nam-dinh", 2007, lang).tables["gaps"]["missing"].tolist()
    assert not [g for g in gaps if any(w in g for w in later)], gaps
    assert cchc.missing(shipped, "Nam Định", 2007).empty
    pci = metrics.index_history(shipped, "nam-dinh", "PCI")
    assert not pci[pci["year"] == 2007].empty and metrics.missing_reason(shipped, "nam-dinh", "PCI", 2007) is None
    gaps_2017 = report_section(sections.sources_and_gaps, "nam-dinh", 2017, lang).tables["gaps"]["missing"].tolist()
    assert not [g for g in gaps_2017 if "DTI" in g], gaps_2017
    assert [g for g in gaps_2017 if "SIPAS" in g]  # SIPAS 2017 existed and is not in the data


@pytest.mark.parametrize(
    "lang, said",
    [
        (
            "vi",
            "Chỉ số chuyển đổi số DTI 2024 của Cao Bằng chưa nhập vào bộ dữ liệu; trong 34 đơn vị sau sắp xếp, "
            "Cao Bằng (không thực hiện sắp xếp) xếp thứ 34/34.",
        ),
        (
            "en",
            "DTI digital transformation index 2024 of Cao Bằng has not yet been entered in the data set; among the "
            "34 units after the merger, Cao Bằng (not rearranged) ranked 34/34.",
        ),
    ],
)
def test_an_old_province_not_rearranged_is_not_called_its_own_successor(lang, said, report_section):
    """Cao Bằng 2024 read 'Cao Bằng (Cao Bằng's successor from 1 July 2025) ranked 34/34': it was not merged."""
    assert said in report_section(sections.summary, "cao-bang", 2024, lang).sentences


@pytest.mark.parametrize(
    "lang, said, false",
    [
        (
            "vi",
            "Năm 2024, Chỉ số CCHC (PAR INDEX), Chỉ số hài lòng SIPAS, Chỉ số PAPI và Chỉ số năng lực cạnh tranh PCI "
            "xếp hạng 63 tỉnh trước 1/7/2025, không xếp hạng Lâm Đồng: xem Bình Thuận, Đắk Nông và Lâm Đồng ở mục "
            "Diễn biến qua các năm.",
            "chưa nhập vào bộ dữ liệu",
        ),
        (
            "en",
            "In 2024, PAR INDEX, SIPAS satisfaction index, PAPI and PCI competitiveness index ranked the 63 provinces "
            "before 1 July 2025, not Lâm Đồng: see Bình Thuận, Đắk Nông and Lâm Đồng under History.",
            "not yet entered",
        ),
    ],
)
def test_a_new_units_2024_report_does_not_call_the_old_provinces_indices_not_entered(lang, said, false, report_section):
    """Lâm Đồng (formed 1 July 2025) has a 2024 report for its DTI 2024 rank among the 34 units; its gaps said PAR,
    SIPAS, PAPI and PCI 2024 were 'not yet entered', but those ranked the 63 old provinces, never the new unit.
    Its DTI 2024 figure, published among the 34 and not in the data, stays 'not yet entered'."""
    s = report_section(sections.sources_and_gaps, "lam-dong-2025", 2024, lang)
    assert said in s.sentences
    missing = s.tables["gaps"]["missing"].tolist()
    assert [m for m in missing if false in m] == [m for m in missing if m.startswith(("Chỉ số chuyển đổi số", "DTI"))]


def test_the_reason_a_new_unit_lacks_an_index_of_a_year_before_it_existed(shipped):
    """cchc.missing: 'before_unit' where the index ranked only the old provinces (PAR 2024), 'not_entered' where
    it ranked the new units too (DTI 2024)."""
    import cchc

    reasons = cchc.missing(shipped, "lam-dong-2025", 2024).set_index("index")["reason"].to_dict()
    assert reasons == {
        "PAR": "before_unit",
        "SIPAS": "before_unit",
        "PAPI": "before_unit",
        "PCI": "before_unit",
        "DTI": "not_entered",
    }


@pytest.mark.parametrize(
    "lang, said",
    [
        ("vi", "— thứ hạng: 31 (2022), 48 (2023), 55 (2024)."),
        ("en", "Trend: the rank fell year after year — ranks: 31 (2022), 48 (2023), 55 (2024)."),
    ],
)
def test_a_trend_lists_only_the_ranks_it_judged(lang, said, report_section):
    """Quảng Nam's PAPI up to 2024: the trend compares only the years ranked out of 61 (2022-2024: 31, 48, 55,
    fell year after year) but listed every rank since 2011 (23, 17, 16, …), which do not fall year after year."""
    told = [t for t in report_section(sections.history, "quang-nam", 2024, lang).sentences if said in t]
    assert told == [t for t in told if "(2011)" not in t] and len(told) == 1
