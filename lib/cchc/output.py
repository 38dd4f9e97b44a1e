"""How report sections show things: HTML fragments and charts, in order, in as few notebook outputs as possible.

Every output is a message from the kernel and a block in the notebook; within a section marked
``@section``, consecutive HTML fragments become one output (a chart ends the run of fragments).
"""
from __future__ import annotations

from functools import wraps

from IPython.display import HTML, display

from . import plots

_pending: list[str] | None = None  # fragments of the running section not shown yet; None: show at once


def html(text: str) -> None:
    """Show an HTML fragment (with the section's next fragments, inside a section)."""
    if _pending is None:
        display(HTML(text))
    else:
        _pending.append(text)


def chart(fig, alt: str) -> None:
    """Show a chart, after the fragments before it."""
    _flush()
    plots.show(fig, alt)


def _flush() -> None:
    if _pending:
        text = "\n".join(_pending)
        _pending.clear()
        display(HTML(text))


def section(fn):
    """Show what the section function shows as few outputs, in the same order (also when it fails)."""
    @wraps(fn)
    def run(*args, **kwargs):
        global _pending
        if _pending is not None:  # called by another section: part of its run
            return fn(*args, **kwargs)
        _pending = []
        try:
            return fn(*args, **kwargs)
        finally:
            try:
                _flush()
            finally:
                _pending = None
    return run
