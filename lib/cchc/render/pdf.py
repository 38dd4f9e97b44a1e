"""A4 PDF of a report page (WeasyPrint), shared by the renderer and the ``cchc_pdf`` nbconvert exporter."""
from __future__ import annotations


def html_to_pdf(html: str) -> bytes:
    """A4 PDF of a report page; only data: URLs are read, nothing is fetched from a network."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"}, timeout=1)
    return HTML(string=html, url_fetcher=fetcher).write_pdf()
