"""The report exporter's own passes over nbconvert's HTML."""

from __future__ import annotations


def test_every_image_of_the_report_html_has_a_text_alternative_and_keeps_its_own():
    """nbconvert's placeholder for an image without alt text, added by the report's exporter; an image with
    its own (after a long inline PNG, or before it) keeps it, and nothing else changes."""
    from cchc.render.exporters import with_alt_text

    png = "data:image/png;base64," + "iVBORw0KGgo" * 20000
    html = (
        f'<p>x</p><img src="{png}">\n<img src="{png}" alt="Biểu đồ điểm PAR INDEX">'
        f'<img alt="đã có" src="{png}"/><img\nsrc="{png}"><imgx>'
    )
    placeholder = '<img alt="No description has been provided for this image"'
    assert with_alt_text(html) == (
        f'<p>x</p>{placeholder} src="{png}">\n<img src="{png}" alt="Biểu đồ điểm PAR INDEX">'
        f'<img alt="đã có" src="{png}"/>{placeholder}\nsrc="{png}">{placeholder}x>'
    )
