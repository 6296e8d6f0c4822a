"""Inline markdown in content fields (emphasis, code, links), rendered as safe HTML.

markdown-it-py runs with raw HTML disabled, so a `<script>` typed into a field comes out
as text; its link validation already drops `javascript:`, `vbscript:`, `file:` and `data:`
targets.
"""

from __future__ import annotations

from functools import cache

from markdown_it import MarkdownIt
from markupsafe import Markup


@cache
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


def inline(text: str) -> Markup:
    """One field of content as inline HTML: emphasis and links kept, everything else escaped."""
    return Markup(_parser().renderInline(text))
