"""Reading a built PDF back as a reader meets it: words with their page, size and place.

Shared by the tests of notes, the annex and the tagged PDF. Everything here reads the PDF
itself, never asking briefing how it laid the page out: the text runs with pdfium (a few
tenths of a second for a long memo, where pypdf's content-stream visitor takes seconds),
the rest with pypdf. Those readers take a path or a `PdfReader` already open, so that a
session can parse each built PDF once (pypdf takes a second or more to open a long memo).
"""

from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
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


LINE_END_HYPHENS = str.maketrans({"\x02": "-", "\ufffe": "-"})
"""pdfium gives a hyphen that ends a line as U+0002 (U+FFFE through its text ranges); the
page draws a hyphen."""


def runs(pdf: Path) -> list[Run]:
    """Every text run of a PDF, in drawing order, with its effective size and artifact mark.

    A run is one text object (one text-showing operator of the page's content), its
    characters as the page draws them: the spaces pdfium adds between objects are left out.
    """
    document = pdfium.PdfDocument(pdf)
    found: list[Run] = []
    for number, page in enumerate(document, start=1):
        found += _page_runs(page.get_textpage(), number)
    return found


def _page_runs(textpage: Any, number: int) -> list[Run]:
    count = pdfium_c.FPDFText_CountChars(textpage.raw)
    text = textpage.get_text_range(0, count) if count else ""
    assert len(text) == count, "a character outside the BMP: the indexes no longer match"
    objects: dict[int | None, tuple[Any, list[str]]] = {}
    for index in range(count):
        if pdfium_c.FPDFText_IsGenerated(textpage.raw, index):
            continue
        drawn = pdfium_c.FPDFText_GetTextObject(textpage.raw, index)
        objects.setdefault(ctypes.cast(drawn, ctypes.c_void_p).value, (drawn, []))[1].append(
            text[index]
        )
    found = []
    for drawn, characters in objects.values():
        words = "".join(characters).translate(LINE_END_HYPHENS)
        if words.strip():
            found.append(Run(number, _size(drawn), words, "Artifact" in _marks(drawn)))
    return found


def _size(drawn: Any) -> float:
    """The size a text object is drawn at, in points: its font size in text space, scaled
    by its matrix (WeasyPrint draws in CSS pixels, scaled by 0.75)."""
    size = ctypes.c_float()
    pdfium_c.FPDFTextObj_GetFontSize(drawn, size)
    matrix = pdfium_c.FS_MATRIX()
    pdfium_c.FPDFPageObj_GetMatrix(drawn, matrix)
    return round(size.value * abs(matrix.a), 2)


def _marks(drawn: Any) -> list[str]:
    """The names of the marked-content sequences a text object stands in."""
    names = []
    for index in range(pdfium_c.FPDFPageObj_CountMarks(drawn)):
        mark = pdfium_c.FPDFPageObj_GetMark(drawn, index)
        length = ctypes.c_ulong()
        pdfium_c.FPDFPageObjMark_GetName(mark, None, 0, ctypes.byref(length))
        name = (ctypes.c_ushort * (length.value // 2))()
        pdfium_c.FPDFPageObjMark_GetName(mark, name, length.value, ctypes.byref(length))
        names.append(bytes(name)[: length.value - 2].decode("utf-16-le"))
    return names


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


_PLAIN = str.maketrans(dict.fromkeys('\u2018\u2019\u201c\u201d"', "'") | {"\u2013": "-"})


def flat(text: str) -> str:
    """Text with white space and typography made plain, for comparing passages: every
    quotation mark and apostrophe as one mark, since the page sets a quotation's own
    double quotes as single ones inside the marks around it, and an en dash as the hyphen
    an author types in a range."""
    return re.sub(r"\s+", " ", text).translate(_PLAIN).strip()
