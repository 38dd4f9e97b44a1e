"""The report's nbconvert exporters: self-contained HTML, and the same page as an A4 PDF.

Registered with nbconvert as ``cchc_html`` and ``cchc_pdf`` (``jupyter nbconvert --to cchc_pdf``).
Kept apart from ``render`` so that planning a batch does not import nbconvert.

What a report shows is said by the cells' tags, those nbconvert and Jupyter Book know: ``remove-cell``
(not shown at all: the analyst's notes, imports), ``remove-input`` (the output without the code: a
section), ``remove-output``; the cells tagged ``parameters`` and papermill's ``injected-parameters`` are
never shown either. The report shows no code in any case (``exclude_input``). Markdown headings are
written in Vietnamese; an English report shows the catalogue's English for each (``ReportLanguage``).
"""

from __future__ import annotations

import re
from pathlib import Path

from nbconvert.exporters import HTMLExporter
from nbconvert.preprocessors import Preprocessor, TagRemovePreprocessor
from traitlets import Bool, Unicode, default

TEMPLATES = Path(__file__).parent / "templates"
REMOVE_CELL_TAGS = {"remove-cell", "parameters", "injected-parameters"}
REMOVE_INPUT_TAGS = {"remove-input"}
REMOVE_OUTPUT_TAGS = {"remove-output"}


class ReportHTMLExporter(HTMLExporter):
    """Self-contained report HTML: no code, no prompts, no parameter cells, no scripts."""

    export_from_notebook = "CCHC report (HTML)"
    template_name = Unicode("cchc_report").tag(config=True)
    exclude_input = Bool(True).tag(config=True)
    exclude_input_prompt = Bool(True).tag(config=True)
    exclude_output_prompt = Bool(True).tag(config=True)
    embed_images = Bool(True).tag(config=True)

    @default("extra_template_basedirs")
    def _default_extra_template_basedirs(self):
        return [str(TEMPLATES)]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.register_preprocessor(
            TagRemovePreprocessor(
                remove_cell_tags=REMOVE_CELL_TAGS,
                remove_input_tags=REMOVE_INPUT_TAGS,
                remove_all_outputs_tags=REMOVE_OUTPUT_TAGS,
                parent=self,
            ),
            enabled=True,
        )
        self.register_preprocessor(ReportLanguage(parent=self), enabled=True)

    def from_notebook_node(self, nb, resources=None, **kw):
        """HTMLExporter's conversion without its final BeautifulSoup pass (a tenth of a second per
        report), which only adds tabindex to JupyterLab classes this template does not use and a
        placeholder alt text to images without one; the placeholder is added here instead."""
        from nbconvert.exporters.templateexporter import TemplateExporter
        from nbconvert.filters.highlight import Highlight2HTML
        from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

        langinfo = nb.metadata.get("language_info", {})
        lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
        resources = self._init_resources(resources)
        self.register_filter(
            "highlight_code", self.filters.get("highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self))
        )
        self.register_filter(
            "filter_data_type",
            WidgetsDataTypeFilter(notebook_metadata=self._nb_metadata, parent=self, resources=resources),
        )
        html, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
        return with_alt_text(_ANCHOR_LINK.sub("", html)), resources

    def _preprocess(self, nb, resources):
        """nbconvert's preprocessing without its second deep copy and the schema check after every
        step (a fifth of the export's time): the notebook was just executed and written by papermill,
        and ``from_notebook_node`` already works on a copy."""
        for preprocessor in self._preprocessors:
            nb, resources = preprocessor(nb, resources)
        return nb, resources


_NO_ALT = '<img alt="No description has been provided for this image"'
_ALT = re.compile(r"\salt=")


def with_alt_text(html: str) -> str:
    """nbconvert's placeholder alt text in every ``<img`` tag without an ``alt``. Read with ``str.find`` up to
    the tag's end: a regular expression's look-ahead backtracked through each inline PNG (9 ms a report)."""
    parts, start = [], 0
    while (at := html.find("<img", start)) >= 0:
        end = html.find(">", at)
        parts.append(html[start:at])
        parts.append("<img" if _ALT.search(html, at, len(html) if end < 0 else end) else _NO_ALT)
        start = at + 4
    parts.append(html[start:])
    return "".join(parts)


# The "¶" link nbconvert puts in every markdown heading (a reader of the report has no use for it; the
# heading keeps its id).
_ANCHOR_LINK = re.compile(r'<a class="anchor-link" href="#[^"<>]*">(?:¶|&#182;)</a>')


class ReportPDFExporter(ReportHTMLExporter):
    """The same page printed to A4 PDF by Chromium (keeps tables, figures, Vietnamese text)."""

    export_from_notebook = "CCHC report (PDF)"

    def _file_extension_default(self):
        return ".pdf"

    @default("template_extension")
    def _template_extension_default(self):
        return ".html.j2"

    def from_notebook_node(self, nb, resources=None, **kw):
        html, resources = super().from_notebook_node(nb, resources, **kw)
        resources["output_extension"] = ".pdf"
        from .pdf import html_to_pdf

        return html_to_pdf(html), resources


class ReportLanguage(Preprocessor):
    """Markdown headings in the report's language: the notebooks write them in Vietnamese, numbered
    ('## 2. Diễn biến qua các năm'); an English report gets the catalogue's English ('## 2. History')."""

    def preprocess(self, nb, resources):
        lang = report_language(nb)
        if lang != "vi":
            for cell in nb.cells:
                if cell.cell_type == "markdown":
                    cell.source = _HEADING.sub(lambda m: _heading_in(m, lang), cell.source)
        return nb, resources


_HEADING = re.compile(r"^(#{1,6}[ \t]+(?:\d+\.[ \t]+)?)(.+?)[ \t]*$", re.MULTILINE)


def _heading_in(match: re.Match, lang: str) -> str:
    from ..catalogue import heading_in

    return match.group(1) + (heading_in(match.group(2), lang) or match.group(2))


def report_language(nb) -> str:
    """The language a report was rendered in (``render_report`` records it), else its ``lang`` parameter."""
    meta = nb.metadata
    return meta.get("cchc", {}).get("lang") or meta.get("papermill", {}).get("parameters", {}).get("lang") or "vi"


_exporter: ReportHTMLExporter | None = None


def to_html(nb) -> str:
    """Report HTML for an executed notebook (one exporter reused per process)."""
    global _exporter
    if _exporter is None:
        _exporter = ReportHTMLExporter(extra_template_basedirs=[str(TEMPLATES)])
    html, _ = _exporter.from_notebook_node(nb)
    return html
