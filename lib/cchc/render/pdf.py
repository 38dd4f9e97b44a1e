"""A4 PDF of a report page (WeasyPrint), shared by the renderer and the ``cchc_pdf`` nbconvert exporter."""

from __future__ import annotations

# The width measures of table cells' texts this process has made (thirdparty.pdf_text_measures_kept): a
# batch worker prints report after report, whose tables share many texts (headers, sources, notes).
_TEXT_MEASURES: dict = {}


def html_to_pdf(html: str) -> bytes:
    """A4 PDF of a report page; only data: URLs are read, nothing is fetched from a network."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    from ..thirdparty import pdf_text_measures_kept

    fetcher = URLFetcher(allowed_protocols={"data"}, timeout=1)
    with pdf_text_measures_kept(_TEXT_MEASURES):
        return HTML(string=html, url_fetcher=fetcher).write_pdf()


def _boxes(box):
    yield box
    for child in getattr(box, "children", None) or ():
        yield from _boxes(child)


def boxes_past_the_margin(html: str) -> list[str]:
    """What reaches past the right margin of an A4 page when the report is laid out for print (WeasyPrint
    clips it: a table's last column is lost on paper): one line per page, '' when everything fits."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    from ..thirdparty import page_box

    fetcher = URLFetcher(allowed_protocols={"data"}, timeout=1)
    found = []
    for number, page in enumerate(HTML(string=html, url_fetcher=fetcher).render().pages, 1):
        frame = page_box(page)
        right = frame.content_box_x() + frame.width
        widest = max(
            (b for b in _boxes(frame) if b is not frame and hasattr(b, "margin_width")),
            key=lambda b: b.position_x + b.margin_width(),
            default=None,
        )
        if widest is not None and (edge := widest.position_x + widest.margin_width()) > right + 1:
            found.append(
                f"page {number}: a <{getattr(widest, 'element_tag', '?')}> reaches "
                f"{edge - right:.0f} px past the right margin"
            )
    return found
