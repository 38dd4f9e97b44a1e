"""What a report section returns: its tables, figures and sentences, shown as in the report.

A section function (``sections.history(ctx)``) builds a ``Section`` block by block: headings, sentences,
tables, charts. The notebook displays it (``_repr_html_``: one output, the HTML the report shows, from
the autoescaping Jinja2 template ``report/templates/section.html.j2``); an analyst takes the data
behind it and goes on::

    s = sections.history(ctx)
    s.tables["history"]      # a DataFrame: every index's figures by year
    s.figures[0]             # a matplotlib Figure
    s.sentences              # what the section says, as plain text
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path

import pandas as pd

from ..catalogue import text
from .narrative import is_missing

TEMPLATES = Path(__file__).parent / "templates"


@lru_cache(maxsize=4)
def template(name: str, keep_trailing_newline: bool = False):
    """A Jinja2 template of ``TEMPLATES``: every value escaped, an undefined name an error."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=keep_trailing_newline,
    )
    return env.get_template(name)


class Section:
    """One section of a report: ``tables`` (DataFrames by name), ``figures`` (matplotlib Figures) and
    ``sentences`` (plain text), shown in a notebook exactly as in the report.

    >>> s = Section("example", "vi")
    >>> s.say("Xu hướng: ổn định.")
    >>> s.sentences
    ['Xu hướng: ổn định.']
    """

    def __init__(self, name: str, lang: str):
        self.name = name
        self.lang = lang
        self.tables: dict[str, pd.DataFrame] = {}
        self.figures: list = []
        self.sentences: list[str] = []
        self._blocks: list[dict] = []
        self.told: set[str] = set()  # notes said already (a method is explained once a section)

    # ------------------------------------------------------------ building
    def title(self, words: str) -> None:
        """The report's title (h1)."""
        self._blocks.append({"kind": "h1", "text": words})
        self.sentences.append(words)

    def heading(self, words: str) -> None:
        """A heading inside the section (h3); the section's own heading is the notebook's markdown."""
        self._blocks.append({"kind": "h3", "text": words})

    def say(self, words: str, kind: str = "", link: str | None = None) -> None:
        """A sentence. ``kind``: '' (plain), 'summary' (the first page's), 'note', 'warning' or 'missing'.
        ``link``: a URL shown after the words (a link only when it is http or https; anything else is shown
        as text)."""
        parts = [{"text": words, "href": None}]
        if link is not None:
            parts.append(_link(link))
        self._blocks.append({"kind": "p", "cls": kind, "parts": parts})
        self.sentences.append(words + ("" if link is None else str(link)))

    def pages(self, words: str, pages: Sequence[tuple[str, str]], kind: str = "note") -> None:
        """A line of links to pages beside the report (a batch's index pages): ``words``, then each
        (text, relative path); a path with a scheme or a host is shown as text, never linked."""
        parts: list[dict[str, str | None]] = [{"text": words, "href": None}]
        for i, (label, path) in enumerate(pages):
            parts.append({"text": " · " if i else " ", "href": None})
            parts.append({"text": label, "href": path if _is_relative(path) else None})
        self._blocks.append({"kind": "p", "cls": kind, "parts": parts})
        self.sentences.append("".join(str(p["text"]) for p in parts))

    def none(self, what: str = "") -> None:
        """'No data <what>.': the section has nothing to show (never a 0 or an empty chart)."""
        self.say(text("no_data_about", self.lang, what=what) if what else text("no_data", self.lang), "missing")

    def items(self, items: Sequence[str | tuple[str, str]], kind: str = "") -> None:
        """A bulleted list; an item may be (text, note), the note shown smaller after the text."""
        shown = [{"text": i, "note": ""} if isinstance(i, str) else {"text": i[0], "note": i[1]} for i in items]
        self._blocks.append({"kind": "list", "cls": kind, "entries": shown})
        self.sentences.extend(i["text"] + (" " + i["note"] if i["note"] else "") for i in shown)

    def table(
        self,
        frame: pd.DataFrame,
        columns: dict[str, str],
        numeric: Sequence[str] = (),
        caption: str = "",
        name: str | None = None,
        data: pd.DataFrame | None = None,
        links: Sequence[str] = (),
        badges: dict[str, Callable[[pd.Series], str]] | None = None,
        folded: str = "",
    ) -> None:
        """A table of ``frame``'s ``columns`` (column -> header), cells as text (missing ones say so).

        name, data: keep ``data`` (default: the shown columns of ``frame``) as ``tables[name]``.
        links: columns holding URLs; badges: column -> the CSS class of a cell, from its row.
        folded: on screen the table is shown behind this summary (opened with a click); printed in full.
        """
        badges = badges or {}
        rows = []
        # each row's values as ``iterrows`` gives them (the frame's values, one row at a time), without a
        # Series a row: a Series only for a badge, which reads its row
        at = {c: j for j, c in enumerate(frame.columns)}
        shown = [(c, at.get(c)) for c in columns]
        for label, values in zip(frame.index, frame.values):
            cells = []
            for c, j in shown:
                v = values[j] if j is not None else None
                if c in links and not is_missing(v):
                    cell = _link(v)
                elif is_missing(v):
                    cell = {"kind": "missing"}
                elif c in badges:
                    row = pd.Series(values, index=frame.columns, name=label)
                    cell = {"kind": "badge", "text": str(v), "cls": badges[c](row)}
                else:
                    cell = {"kind": "text", "text": str(v), "href": None}
                cell["num"] = c in numeric
                cell["unbroken"] = has_long_word(cell.get("text", ""))
                cells.append(cell)
            rows.append(cells)
        self._blocks.append(
            {
                "kind": "table",
                "caption": caption,
                "rows": rows,
                "folded": folded,
                "head": [{"text": h, "num": c in numeric} for c, h in columns.items()],
            }
        )
        if name is not None:
            self.tables[name] = (data if data is not None else frame[list(columns)]).reset_index(drop=True)

    def chart(self, fig, alt: str) -> None:
        """A chart: kept as a Figure in ``figures`` and shown as a PNG with a text alternative."""
        self.figures.append(fig)
        self._blocks.append({"kind": "chart", "alt": alt, "fig": fig})

    def footer(self, words: str) -> None:
        """The report's last line: where it was made from."""
        self._blocks.append({"kind": "footer", "text": words})

    def __add__(self, other: Section) -> Section:
        """This section followed by ``other``, shown as one: the report's last section and its footer, so that
        on paper the footer line prints on the page the last section ends on."""
        if shared := set(self.tables) & set(other.tables):
            raise ValueError(f"both sections have tables named {sorted(shared)}")
        both = Section(f"{self.name}+{other.name}", self.lang)
        both.tables = {**self.tables, **other.tables}
        both.figures = [*self.figures, *other.figures]
        both.sentences = [*self.sentences, *other.sentences]
        both._blocks = [*self._blocks, *other._blocks]
        both.told = self.told | other.told
        return both

    # ------------------------------------------------------------ showing
    def to_html(self) -> str:
        """The section's HTML, as in the report."""
        return (
            template("section.html.j2")
            .render(
                blocks=[_drawn(b) for b in self._blocks],
                ending_from=_ending_from(self._blocks),
                missing=text("missing", self.lang),
            )
            .strip()
        )

    def _repr_html_(self) -> str:
        return self.to_html()

    def __repr__(self) -> str:
        tables = ", ".join(f"{k} ({len(v)} rows)" for k, v in self.tables.items()) or "none"
        return f"<Section {self.name}: tables {tables}; {len(self.figures)} figures; {len(self.sentences)} sentences>"


def _ending_from(blocks: list[dict]) -> int | None:
    """Where the blocks printed on one page with the footer begin: the paragraph or list before it (a list
    with the sentence that opens it); None without a footer at the end or text before it."""
    if len(blocks) < 2 or blocks[-1]["kind"] != "footer" or blocks[-2]["kind"] not in ("p", "list"):
        return None
    k = len(blocks) - 2
    return k - 1 if blocks[k]["kind"] == "list" and k >= 1 and blocks[k - 1]["kind"] == "p" else k


def _drawn(block: dict) -> dict:
    """A chart block with its PNG, drawn when the section is shown (building a section draws nothing)."""
    if block["kind"] != "chart":
        return block
    if "png" not in block:
        from .plots import png_bytes

        block["png"] = base64.b64encode(png_bytes(block["fig"])).decode("ascii")
    return block


LONGEST_WORD = 30  # characters without a space: longer (a pasted URL, a note of one long run) breaks anywhere


def has_long_word(text: str) -> bool:
    """True when ``text`` holds a run of more than LONGEST_WORD characters without a space: its table cell lets
    it break anywhere (class ``unbroken``), where ordinary words stay whole."""
    return any(len(word) > LONGEST_WORD for word in str(text).split())


def _is_relative(path: str) -> bool:
    """A path to a file near the report ('index.html', '../index.en.html'), not a URL."""
    return re.fullmatch(r"(\.\./)*(\w[\w.-]*/)*\w[\w.-]*", path) is not None


def _link(url) -> dict:
    """A link to a source; only http(s) URLs become links, anything else is plain text."""
    url = str(url)
    route = re.search(r"\bvia (https?://\S+)$", url)  # a publisher's figure read on a page: link the page
    href = url if url.startswith(("http://", "https://")) else route.group(1) if route else None
    return {"kind": "text", "text": url, "href": href}
