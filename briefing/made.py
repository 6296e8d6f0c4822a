"""What rendering gives and takes: an output's bytes with what they were made from, a paged
output's length, and an edition laid out in HTML for a format to turn into a file.

A leaf: it imports nothing of briefing, so the renderers (`pdf.py`, `docx.py`, the editions)
and those who read their results (`pool.py`, `pipeline.py`, `cli.py`) all share these
shapes without importing each other, or the format registry.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Target = Literal["html", "pdf"]
"""What an edition is laid out in HTML for: the screen, or print (bundled fonts, pages)."""


@dataclass(frozen=True)
class Pages:
    """How long a paged output is: its body, and the annex after it (0 without one)."""

    body: int
    annex: int = 0


@dataclass(frozen=True)
class Made:
    """An output's bytes and what they were made from."""

    data: bytes
    templates: frozenset[str]
    """Template names the render asked for, as the search path resolves them."""
    assets: frozenset[str] = frozenset()
    """Asset names the renderer fetched (stylesheets, fonts, images)."""
    pages: Pages | None = None
    """Its pages, for a paged format; the build reports them."""
    lines: dict[str, int] = field(default_factory=dict)
    """Lines each limited text took (`bluf`, `question`), for a laid-out format; the build
    checks them against the profile's `line_limits`."""


@dataclass(frozen=True)
class HtmlPage:
    """An edition (a memo, a review, a redline) laid out in HTML for one target, with what a
    format made from its HTML needs: the PDF lays it out within its page budget, reads assets
    only from its template folders, and dates and names the file from it."""

    html: str
    templates: frozenset[str]
    """Template names the layout asked for (empty where the edition does not track them)."""
    template_dirs: tuple[Path, ...]
    """The search path it was laid out from, whose assets a PDF of it may read."""
    memo: str
    audience: str
    """With `memo`, names the document in messages and in the PDF's identifier."""
    dated: dt.date
    """The document's own date: the PDF's timestamps come from it, never from the clock."""
    page_budget: int | None = None
    pdf_standard: str = "pdf/ua-1"
