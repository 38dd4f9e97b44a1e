"""The PDF's table-cell width measures, kept and looked up (thirdparty.pdf_text_measures_kept): the same
bytes as WeasyPrint's own measuring, each text measured once, and WeasyPrint left as it was."""

from __future__ import annotations

import pytest

from cchc import thirdparty

pytestmark = pytest.mark.slow
RENDERED = [("dak-nong", 2021, "vi", "html"), ("ninh-binh", 2021, "vi", "html")]  # rendered once per run (conftest)


def test_kept_measures_give_the_same_pdf_and_a_second_report_measures_only_what_it_has_new(rendered):
    from weasyprint import HTML
    from weasyprint.layout import preferred
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"}, timeout=1)
    first, second = (rendered(p, 2021)["html"].read_text(encoding="utf-8") for p in ("dak-nong", "ninh-binh"))
    alone = {h: HTML(string=h, url_fetcher=fetcher).write_pdf() for h in (first, second)}

    original = preferred.split_first_line
    measured: list[str] = []

    def counting(text, style, context, max_width, *rest):
        if max_width == 0:
            measured.append(text)
        return original(text, style, context, max_width, *rest)

    memo: dict = {}
    preferred.split_first_line = counting
    try:
        for html in (first, second, first):
            measured.clear()
            with thirdparty.pdf_text_measures_kept(memo):
                assert HTML(string=html, url_fetcher=fetcher).write_pdf() == alone[html]
            if html is second:
                new_in_second = len(measured)
        assert measured == []  # the first report again: every measure was kept
        assert 0 < new_in_second < len(memo)  # the second shares some texts with the first
        assert len(set(memo)) == len(memo)
    finally:
        preferred.split_first_line = original
    assert preferred.split_first_line is original


def test_the_kept_measures_are_bounded_and_the_patch_is_undone_on_failure():
    from weasyprint import HTML
    from weasyprint.layout import preferred

    original = preferred.split_first_line
    memo: dict = {}
    table = "<table><tr><td>" + "</td><td>".join(f"chưa có số liệu {i}" for i in range(40)) + "</td></tr></table>"
    with thirdparty.pdf_text_measures_kept(memo, limit=10):
        HTML(string=table).write_pdf()
    assert 0 < len(memo) <= 10
    with pytest.raises(RuntimeError), thirdparty.pdf_text_measures_kept(memo):
        raise RuntimeError("a PDF that fails")
    assert preferred.split_first_line is original
