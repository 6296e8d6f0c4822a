"""Inline markdown in content fields (emphasis, code, links), rendered as safe HTML.

markdown-it-py runs with raw HTML disabled, so a `<script>` typed into a field comes out
as text; its link validation already drops `javascript:`, `vbscript:`, `file:` and `data:`
targets.
"""

from __future__ import annotations

from functools import cache

from markdown_it import MarkdownIt
from markupsafe import Markup, escape


@cache
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


def inline(text: str) -> Markup:
    """One field of content as inline HTML: emphasis and links kept, everything else escaped."""
    return Markup(_parser().renderInline(text))


_CLOSED = (".", "?", "!")


def close_sentence(html: str | Markup) -> Markup:
    """End a rendered note or reference with a full stop, American style.

    The stop goes inside a closing quotation mark, and is not doubled after "n.d." or a
    title that already ends in a question mark.
    """
    text = escape(html).rstrip()
    if text.endswith("\u201d"):
        body = text[:-1]
        return text if body.endswith(_CLOSED) else body + Markup(".\u201d")
    return text if text.endswith(_CLOSED) else text + Markup(".")
