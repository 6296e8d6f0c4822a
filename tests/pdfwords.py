"""Reading a built PDF back as a reader meets it: words with their page, size and place.

Shared by the tests of notes, the annex and the tagged PDF. Everything here reads the PDF
itself with pypdf; nothing asks briefing how it laid the page out. Each reader takes a path
or a `PdfReader` already open, so that a session can parse each built PDF once (pypdf takes
a second or more to open a long memo, and seconds to walk its pages).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.generic import DictionaryObject

NOTE_SIZE = 8.5
"""Points: the size memo.css gives footnotes, and so their generated numbers ("12. ")."""


@dataclass(frozen=True)
class Run:
    """A run of text as the page draws it: its page (1-based), size in points, text, and
    whether it is marked as an artifact."""

    page: int
    size: float
    text: str
    artifact: bool


def _reader(pdf: Path | PdfReader) -> PdfReader:
    return pdf if isinstance(pdf, PdfReader) else PdfReader(pdf)


def runs(pdf: Path | PdfReader) -> list[Run]:
    """Every text run of a PDF, in drawing order, with its effective size and artifact mark."""
    found: list[Run] = []
    for number, page in enumerate(_reader(pdf).pages, start=1):
        found += _page_runs(page, number)
    return found


def _page_runs(page: Any, number: int) -> list[Run]:
    found: list[Run] = []
    marks: list[str] = []

    def before(operator: bytes, operands: list[Any], cm: Any, tm: Any) -> None:
        if operator in (b"BDC", b"BMC"):
            marks.append(str(operands[0]))
        elif operator == b"EMC" and marks:
            marks.pop()

    def text(content: str, cm: Any, tm: Any, font: Any, size: float) -> None:
        if content.strip():
            scale = abs(cm[0] * tm[0]) or 1.0
            found.append(Run(number, round(size * scale, 2), content, "/Artifact" in marks))

    page.extract_text(visitor_operand_before=before, visitor_text=text)
    return found


def note_pages(found: list[Run]) -> tuple[dict[int, list[int]], dict[int, list[int]]]:
    """Where each note's call and each note stand, among the `runs` of a PDF: number to the
    pages it is found on.

    A call is a run of digits alone, set smaller than the note text; a note starts with its
    generated number, "12. ", at the size of notes.
    """
    calls: dict[int, list[int]] = {}
    notes: dict[int, list[int]] = {}
    for run in found:
        if run.artifact:
            continue
        if re.fullmatch(r"\d+", run.text) and run.size < NOTE_SIZE - 0.5:
            calls.setdefault(int(run.text), []).append(run.page)
        elif (found := re.fullmatch(r"(\d+)\. ", run.text)) and abs(run.size - NOTE_SIZE) < 0.2:
            notes.setdefault(int(found.group(1)), []).append(run.page)
    return calls, notes


def outline(pdf: Path | PdfReader) -> list[tuple[str, int]]:
    """The PDF's bookmarks as (title, 1-based page), in order."""
    reader = _reader(pdf)
    flat: list[tuple[str, int]] = []

    def walk(items: list[Any]) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                flat.append((str(item.title), reader.get_destination_page_number(item) + 1))

    walk(reader.outline)
    return flat


def body_pages(marks: list[tuple[str, int]], pages: int, annex_title: str) -> int:
    """The pages before the annex, whose first page the annex's bookmark names, from the
    `outline` of a PDF of `pages` pages."""
    starts = [page for title, page in marks if title == annex_title]
    return starts[0] - 1 if starts else pages


def structure(pdf: Path | PdfReader) -> list[DictionaryObject]:
    """Every element of the PDF's structure tree, in reading order."""
    root = _reader(pdf).trailer["/Root"]["/StructTreeRoot"]
    elements: list[DictionaryObject] = []

    def walk(node: Any) -> None:
        node = node.get_object()
        if not isinstance(node, DictionaryObject) or node.get("/Type") == "/OBJR":
            return
        if "/S" in node:
            elements.append(node)
        kids = node.get("/K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            walk(kid)

    walk(root)
    return elements


def flat(text: str) -> str:
    """Text with white space and typographic quotes made plain, for comparing passages."""
    return (
        re.sub(r"\s+", " ", text)
        .replace("\u2019", "'")
        .replace("\u2018", "'")
        .replace("\u201c", '"')
        .replace("\u201d", '"')
        .strip()
    )
