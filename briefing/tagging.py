"""The PDF/UA structure tree completed where WeasyPrint leaves it short.

WeasyPrint (70) tags a PDF from the HTML: sections, headings, paragraphs, lists, tables and
links. Three things PDF/UA asks for, it does not do (upstream, Kozea/WeasyPrint#1836 for
page margins and #2508 for header scope; notes have no tag of their own there):

1. **Artifacts.** The content of page margin boxes (banners, running heads, page numbers)
   is marked with ids but kept out of the structure tree, so it is neither real content
   nor an artifact. Here every marked sequence that no element of the tree owns becomes a
   pagination artifact (`/Artifact <</Type /Pagination>> BDC`), and the page's entry in
   the parent tree keeps only the sequences the tree owns.
2. **Scope.** Header cells get `/Scope /Row` or `/Column` in their attributes. WeasyPrint
   lists a `<th scope="row">` in the `/Headers` of the data cells of its own row and every
   other header cell in those of its column, so a header cell that a data cell of its own
   row lists is a row header, as the HTML says.
3. **Notes.** Footnotes (the elements of a page's footnote area) and annex entries
   (`<article>` elements, the only ones in a memo) become `/Note` elements whose `/ID` is
   the anchor a link leads to (`note-12`, `evidence-status-quo-pros-2`), so each note is
   reached from its reference: the note call, or the note's link to the annex. A footnote's
   generated number becomes its `/Lbl`.

All of it runs in the finisher WeasyPrint calls with the PDF's objects just before writing
them (`write_pdf(finisher=...)`, a documented hook), reads only those objects and the
anchors of the laid-out pages, and changes the tree in place: nothing of WeasyPrint is
patched. Where the tree is not shaped as expected (a template of the user's own), that part
is left as WeasyPrint wrote it rather than tagged wrongly.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

NOTE_ANCHOR = re.compile(r"note-\d+")
"""Anchors of footnotes, as templates/partials/note.html.j2 writes them."""
ENTRY_ANCHOR = re.compile(r"evidence-[a-z0-9_-]+")
"""Anchors of annex entries, as templates/partials/annex_entry.html.j2 writes them."""
CONTINUED = "-continued"
"""Added to the id of a part of a note that a page break carried to a later page."""


def finish_tags(document: Any, pdf: Any) -> None:
    """Complete the structure tree of a tagged PDF (WeasyPrint's finisher hook)."""
    root_reference = pdf.catalog.get("StructTreeRoot")
    if root_reference is None:
        return
    tree = _Tree(pdf)
    root = tree.get(root_reference)
    [document_reference] = root["K"]
    top = tree.get(document_reference)
    _pagination_artifacts(tree, tree.get(root["ParentTree"]), top)
    _header_scope(tree, top)
    anchors = [_anchors_in_order(page.anchors) for page in document.pages]
    _footnotes(tree, top, anchors)
    _annex_entries(tree, top, anchors)


class _Tree:
    """The PDF's objects, read through their references (b'12 0 R')."""

    def __init__(self, pdf: Any) -> None:
        self.pdf = pdf
        self.pages = [f"{number} 0 R".encode() for number in pdf.pages["Kids"][::3]]

    def get(self, reference: bytes) -> Any:
        return self.pdf.objects[int(reference.split()[0])]

    def kids(self, element: Any) -> list[Any]:
        """The structure elements among an element's kids (not its marked content)."""
        found = []
        for kid in element["K"]:
            if isinstance(kid, bytes):
                child = self.get(kid)
                if child.get("Type") == "/StructElem":
                    found.append(child)
        return found

    def walk(self, element: Any) -> Iterator[Any]:
        """An element and every element under it, in reading order."""
        yield element
        for kid in self.kids(element):
            yield from self.walk(kid)


def _pagination_artifacts(tree: _Tree, parent_tree: Any, top: Any) -> None:
    """Make the marked content the tree does not own (the page margins) artifacts."""
    import pydyf  # type: ignore[import-untyped]  # noqa: PLC0415 - loaded with WeasyPrint

    owned = {element.number for element in tree.walk(top)}
    pdf_object: Any
    for pdf_object in tree.pdf.objects:  # the margins' elements, in no tree: not written
        is_element = isinstance(pdf_object, dict) and pdf_object.get("Type") == "/StructElem"
        if is_element and pdf_object.number not in owned:
            pdf_object.free = "f"
    numbers = parent_tree["Nums"]
    for index in range(0, len(tree.pages) * 2, 2):
        page_number, owners = numbers[index], numbers[index + 1]
        stray = {mcid for mcid, owner in enumerate(owners) if tree.get(owner).number not in owned}
        if not stray:
            continue
        kept = [mcid for mcid in range(len(owners)) if mcid not in stray]
        renumbered = {old: new for new, old in enumerate(kept)}
        page = tree.get(tree.pages[page_number])
        _rewrite_marks(tree.get(page["Contents"]).stream, stray, renumbered, pydyf)
        for owner in dict.fromkeys(owners[old] for old in kept):
            element = tree.get(owner)
            element["K"] = pydyf.Array(
                renumbered[kid] if isinstance(kid, int) else kid for kid in element["K"]
            )
        numbers[index + 1] = pydyf.Array(owners[old] for old in kept)


def _rewrite_marks(
    operations: list[Any], stray: set[int], renumbered: dict[int, int], pydyf: Any
) -> None:
    """In a page's content operations, turn stray marked sequences into pagination
    artifacts and give the others their new ids. WeasyPrint writes a sequence as three
    items: the tag name, the property dictionary holding the MCID, then BDC."""
    for position, item in enumerate(operations):
        if not (isinstance(item, dict) and "MCID" in item):
            continue
        mcid = item["MCID"]
        if mcid in stray:
            operations[position - 1] = "/Artifact"
            operations[position] = pydyf.Dictionary({"Type": "/Pagination"})
        else:
            item["MCID"] = renumbered[mcid]


def _header_scope(tree: _Tree, top: Any) -> None:
    """Give every header cell the scope its HTML gave it: Row or Column."""
    for row in tree.walk(top):
        if row.get("S") != "/TR":
            continue
        cells = tree.kids(row)
        listed = {
            header.string
            for cell in cells
            if cell.get("S") == "/TD"
            for header in cell["A"].get("Headers", [])
        }
        for cell in cells:
            if cell.get("S") == "/TH":
                key = cell.get("ID")
                own = key is not None and key.string in listed
                cell["A"]["Scope"] = "/Row" if own else "/Column"


def _anchors_in_order(anchors: dict[str, tuple[float, float]]) -> list[str]:
    """A page's anchors from top to bottom (then left to right), as the page reads."""
    return [name for name, _ in sorted(anchors.items(), key=lambda item: (item[1][1], item[1][0]))]


def _footnotes(tree: _Tree, top: Any, anchors: list[list[str]]) -> None:
    """Tag each page's footnotes as notes, numbered as their anchors, with their labels.

    A page's footnote area is the last element WeasyPrint adds for the page, after the
    page's share of the body; its kids are the footnotes in order.
    """
    areas = []
    seen: Counter[str] = Counter()
    for page, names in enumerate(anchors):
        notes = [name for name in names if NOTE_ANCHOR.fullmatch(name)]
        if not notes:
            continue
        mine = [kid for kid in tree.kids(top) if kid.get("Pg") == tree.pages[page]]
        area = mine[-1] if mine else None
        if area is None or area.get("S") != "/NonStruct":
            return
        footnotes = tree.kids(area)
        ids = _ids_for(footnotes, notes, seen)
        if ids is None or any(note.get("S") != "/Span" for note in footnotes):
            return
        areas.append((footnotes, ids))
    for footnotes, ids in areas:
        for note, note_id in zip(footnotes, ids, strict=True):
            _make_note(note, note_id)
            label = next(iter(tree.kids(note)), None)
            if label is not None and label.get("S") == "/NonStruct":
                label["S"] = "/Lbl"


def _annex_entries(tree: _Tree, top: Any, anchors: list[list[str]]) -> None:
    """Tag each annex entry (an <article>, split by page breaks into parts) as a note."""
    parts = [element for element in tree.walk(top) if element.get("S") == "/Art"]
    by_page: dict[bytes, list[Any]] = {}
    for part in parts:
        by_page.setdefault(part["Pg"], []).append(part)
    tagged: list[tuple[Any, str]] = []
    seen: Counter[str] = Counter()
    for page, names in enumerate(anchors):
        entries = [name for name in names if ENTRY_ANCHOR.fullmatch(name)]
        on_page = by_page.get(tree.pages[page], [])
        ids = _ids_for(on_page, entries, seen)
        if ids is None:
            return
        tagged.extend(zip(on_page, ids, strict=True))
    for entry, entry_id in tagged:
        _make_note(entry, entry_id)


def _ids_for(parts: list[Any], names: list[str], seen: Counter[str]) -> list[str] | None:
    """The ids of a page's note elements, one per anchor on the page in reading order.

    WeasyPrint gives each part of an element that page breaks split the element's anchor,
    so an anchor already seen on an earlier page marks a continuation, whose id says so
    (`evidence-x-continued`, `-continued-2` ...): ids stay unique. None when the counts do
    not agree, so that nothing is tagged on a guess.
    """
    if len(parts) != len(names):
        return None
    ids = []
    for name in names:
        earlier = seen[name]
        seen[name] += 1
        suffix = "" if not earlier else CONTINUED + (f"-{earlier + 1}" if earlier > 1 else "")
        ids.append(name + suffix)
    return ids


def _make_note(element: Any, note_id: str) -> None:
    import pydyf  # noqa: PLC0415

    element["S"] = "/Note"
    element["ID"] = pydyf.String(note_id)
