"""A resolved memo as a Word document, converted from the same HTML its PDF is made from.

The audience's templates lay the memo out once (`render.render_html`, for print): their
headings, labels, order and words are the Word file's too, and a user's template override
reaches Word as it reaches the pages. This module only walks that HTML into WordprocessingML,
element by element, in the office's Word styles, as `memo-styles.toml` maps them
(briefing.wordmap):

- headings, paragraphs, list items and table cells become paragraphs in their mapped style;
  an element no key names takes its nearest ancestor's style; text directly in a container
  becomes a paragraph of its own, as CSS makes an anonymous block of it;
- `ol`/`ul` number or bullet their items, a numbering instance per list, so each list counts
  from its own start; a description list (`dl`) writes each term and its definitions on one
  line, the term's width a tab stop;
- inline elements take their mapped character style (the innermost that has one); internal
  links (`a href="#…"`) link to a bookmark on the element of that id, one for every id that
  something links to; a link out of the memo is its text, as the printed page shows it;
- a footnote (`span.footnote`, which the print target writes where its note is called)
  becomes a real footnote at that place; Word numbers footnotes itself, so the HTML's call
  is not written;
- tables keep their header rows (`thead`), repeated on every page, with column widths
  from their content (`column_shares`);
- what the printed page does not show (`[layout] hidden`) is not written, and the page's own
  layout of inline elements (blocks, tabs) is followed as `[layout]` lists it;
- the header and footer take their words from `<body>`'s data attributes (the marking, the
  running head, the page-number line with Word's own PAGE and NUMPAGES fields), and the
  document properties from `<head>`.

Library: lxml for the HTML, python-docx for the document, styles, tables, headers and
properties; the footnotes, lists, fields, bookmarks and links it lacks are made in
briefing.wordxml. The Word reference template is checked and opened by briefing.wordtemplate.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import lxml.html
from docx.oxml.ns import qn
from docx.shared import Emu, Inches, Mm

from briefing.docxstyles import add_missing_styles, set_conventions
from briefing.made import Made
from briefing.render import render_html
from briefing.wordmap import Element, WordMap, word_map
from briefing.wordtemplate import open_document
from briefing.wordxml import (
    NUMPAGES,
    PAGE,
    Footnotes,
    Numbering,
    field_runs,
    internal_link,
    make,
    number,
    reproducible_zip,
    text_run,
    xml_safe,
)

if TYPE_CHECKING:
    from docx.document import Document

    from briefing.resolve import MemoView

__all__ = ["render_docx"]

MARGIN = Inches(1)
"""Each side's margin on every page, as memo.css's @page gives it."""

_SKIPPED = frozenset({"head", "script", "style", "template", "title", "meta", "link"})
_PARAGRAPHS = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "th", "dt", "dd", "caption"}
    | {"figcaption", "pre", "address", "summary"}
)
"""Elements that are a paragraph of their own (nested blocks inside break them)."""
_CONTAINERS = frozenset(
    {"html", "body", "header", "main", "footer", "section", "article", "div", "nav", "aside"}
    | {"blockquote", "figure", "details", "form", "fieldset", "ul", "ol", "dl", "table"}
)
"""Elements that hold blocks; text directly in one is an anonymous paragraph."""
_BLOCKS = _PARAGRAPHS | _CONTAINERS
"""Either way, what came before ends where one begins, and its text ends where it ends."""
_SPACE = re.compile(r"[ \t\n\r\f]+")
_PLACEHOLDER = re.compile(r"(\{pages\}|\{page\})")


def bookmark_name(anchor: str) -> str:
    """A Word bookmark name for an HTML anchor: letters, digits and _, at most 40 characters
    (Word's limit); a longer one keeps its start and ends in a digest of the whole, so that
    two anchors alike in their first 40 characters stay apart."""
    cleaned = "".join(ch if ch.isascii() and ch.isalnum() else "_" for ch in anchor)
    name = "m_" + cleaned if not cleaned[:1].isalpha() else cleaned
    if len(name) <= 40:
        return name
    return name[:31] + "_" + hashlib.sha256(anchor.encode("utf-8")).hexdigest()[:8]


def render_docx(view: MemoView, template: Path | None, template_dirs: list[Path]) -> Made:
    """The memo as a DOCX, converted from its print layout; `template` is the profile's Word
    reference template, if it names one. Made from the templates the layout used, and that
    reference template.

    Raises WordTemplateError when the reference template cannot be used, TemplateError when
    the layout cannot be rendered.
    """
    page = render_html(view, template_dirs, "pdf")
    document = open_document(template, view.audience.docx_template)
    if template is None:
        set_conventions(document, view.audience.font_size)
    html = lxml.html.document_fromstring(page.html)
    _page_setup(document, view.audience.paper)
    Converter(document, word_map(), html).convert()
    set_properties(document, html, view)
    buffer = io.BytesIO()
    document.save(buffer)
    name = view.audience.docx_template
    used = page.templates | ({name} if name else set())
    return Made(reproducible_zip(buffer.getvalue(), view.memo.date), frozenset(used))


def _page_setup(document: Document, paper: str) -> None:
    """Paper and margins as the print stylesheet sets them."""
    section = document.sections[0]
    if paper == "A4":
        section.page_width, section.page_height = Mm(210), Mm(297)
    else:
        section.page_width, section.page_height = Inches(8.5), Inches(11)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, MARGIN)
    section.header_distance = section.footer_distance = Inches(0.4)


@dataclass
class _Flow:
    """Where text is being written: the container new paragraphs go into, the paragraph
    open in it (if any), and how its whitespace stands."""

    container: Any
    """python-docx's document or cell (`add_paragraph`), or a footnote element."""
    paragraph: Element | None = None
    spaced: bool = True
    """Whether the text written last ends in a space (or nothing is written yet), so that
    whitespace that follows collapses into it, as HTML collapses it."""
    marks: list[str] = field(default_factory=list)
    """Bookmarks started in the open paragraph, ended when it closes."""


class Converter:
    """Writes one memo's print HTML into a document, element by element, in the mapped
    styles."""

    def __init__(self, document: Document, mapping: WordMap, html: Element) -> None:
        self.document = document
        self.map = mapping
        self.html = html
        self.layout = mapping.layout
        self._styles: dict[tuple[Element, str], str | None] = {}
        """Each element's style of each kind, as found (keyed by the element itself: lxml
        makes a new proxy, with a new id, for an element no one holds)."""
        self._hidden: dict[Element, bool] = {}
        self.ids = add_missing_styles(document)
        self.kinds = _style_kinds(document)
        self.footnotes = Footnotes(
            document,
            self._id("footnote text") or "",
            self._id("footnote reference") or "",
        )
        self.lists: Numbering | None = None
        self.linked = self._linked_ids()
        self.flow = _Flow(document)
        self.pending_marks: list[str] = []
        self.pending_number: tuple[str, int] | None = None
        self.list_level = 0
        self.link: tuple[str, Element] | None = None
        """The internal link being written, and its element in the open paragraph."""
        self.bookmarks = 0

    # -- what the map says of an element

    def _id(self, name: str | None) -> str | None:
        return self.ids.get(name) if name else None

    def _style(self, element: Element, kind: str) -> str | None:
        """The name of the style of `kind` [map] gives `element` itself, or None."""
        key = (element, kind)
        if key not in self._styles:
            self._styles[key] = self.map.style(element, lambda n: self.kinds.get(n) == kind)
        return self._styles[key]

    def paragraph_style(self, element: Element) -> str | None:
        """The paragraph style of a block: its own, else its nearest ancestor's."""
        while element is not None:
            name = self._style(element, "paragraph")
            if name:
                return self._id(name)
            element = element.getparent()
        return None

    def character_style(self, element: Element, block: Element) -> str | None:
        """The character style of text in `element`: the innermost with one, up to and
        including its block."""
        while element is not None:
            name = self._style(element, "character")
            if name:
                return self._id(name)
            if element is block:
                return None
            element = element.getparent()
        return None

    def hidden(self, element: Element) -> bool:
        if element not in self._hidden:
            self._hidden[element] = self.layout.hidden.match(element)
        return self._hidden[element]

    def _linked_ids(self) -> set[str]:
        """Every id that a shown internal link leads to and an element of the page has."""
        ids = {str(e.get("id")) for e in self.html.iter() if isinstance(e.tag, str) and e.get("id")}
        targets = {
            str(a.get("href"))[1:]
            for a in self.html.iter("a")
            if str(a.get("href") or "").startswith("#") and not self._inside_hidden(a)
        }
        return targets & ids

    def _inside_hidden(self, element: Element) -> bool:
        return any(self.hidden(e) for e in [element, *element.iterancestors()])

    # -- the walk

    def convert(self) -> None:
        body = self.html.find("body")
        if body is None:
            return
        self.page_frame(body)
        self.children(body, body)
        self.close()

    def walk(self, element: Element, block: Element) -> None:
        """Write `element` (its tail is its parent's to write); `block` is the element whose
        paragraphs its text joins."""
        tag = element.tag
        if not isinstance(tag, str) or tag in _SKIPPED or self.hidden(element):
            return
        if element.get("id") in self.linked:
            self.pending_marks.append(bookmark_name(str(element.get("id"))))
        if self.layout.footnotes.match(element):
            self.footnote(element, block)
        elif tag == "br":
            self.text("\n", element, block, keep=True)
        elif tag == "table":
            self.table(element)
        elif tag in ("ul", "ol"):
            self.items(element)
        elif tag == "dl":
            self.description_list(element)
        elif tag in _BLOCKS or self.layout.blocks.match(element):
            self.block(element)
        else:
            self.inline(element, block)

    def children(self, element: Element, block: Element) -> None:
        self.text(element.text, element, block)
        for child in element:
            self.walk(child, block)
            self.text(child.tail, element, block)

    def block(self, element: Element) -> None:
        """A paragraph of its own: what came before ends, and so does the paragraph."""
        self.close()
        self.children(element, element)
        self.close()

    def inline(self, element: Element, block: Element) -> None:
        if self.layout.tab.match(element):
            self.text("\t", element, block, keep=True)
            return
        href = str(element.get("href") or "")
        outer = self.link
        if element.tag == "a" and href.startswith("#") and href[1:] in self.linked:
            self.link = (bookmark_name(href[1:]), None)
        self.children(element, block)
        self.link = outer
        if self.layout.tab_after.match(element):
            self.text("\t", element, block, keep=True)

    def items(self, element: Element) -> None:
        """A list: its items numbered or bulleted from its own start, or plain where the
        page shows no markers."""
        self.close()
        plain = self.layout.unnumbered.match(element)
        num_id = None
        if not plain:
            self.lists = self.lists or Numbering(self.document)
            start = int(element.get("start") or 1) if element.tag == "ol" else 1
            num_id = self.lists.new_list(element.tag == "ol", self.list_level, start)
            self.list_level += 1
        self.text(element.text, element, element)
        for child in element:
            if num_id is not None and child.tag == "li":
                self.pending_number = (num_id, self.list_level - 1)
            self.walk(child, element)
            self.pending_number = None
        if num_id is not None:
            self.list_level -= 1
        self.close()

    def description_list(self, element: Element) -> None:
        """Each term starts a line, and its definitions continue it."""
        self.close()
        for child in element:
            if not isinstance(child.tag, str) or self.hidden(child):
                continue
            if child.tag == "dt":
                self.close()
            if child.get("id") in self.linked:
                self.pending_marks.append(bookmark_name(str(child.get("id"))))
            self.inline(child, element)
        self.close()

    # -- paragraphs and runs

    def open(self, block: Element) -> Element:
        """The open paragraph, made in `block`'s style if there is none."""
        flow = self.flow
        if flow.paragraph is None:
            style = self.paragraph_style(block)
            if isinstance(flow.container, _FootnoteBody):
                paragraph = flow.container.add(style)
            else:
                paragraph = flow.container.add_paragraph()._p
                if style:
                    paragraph.get_or_add_pPr().insert(0, make("pStyle", val=style))
            if self.pending_number is not None:
                number(paragraph, *self.pending_number)
                self.pending_number = None
            flow.paragraph = paragraph
            flow.spaced = True
        if self.pending_marks:
            for name in self.pending_marks:
                self.bookmarks += 1
                flow.paragraph.append(make("bookmarkStart", id=str(self.bookmarks), name=name))
                flow.marks.append(str(self.bookmarks))
            self.pending_marks = []
        return flow.paragraph

    def close(self) -> None:
        """End the open paragraph: no space at its end, and its bookmarks ended."""
        flow = self.flow
        paragraph = flow.paragraph
        if paragraph is None:
            return
        texts = list(paragraph.iter(qn("w:t")))
        if texts and texts[-1].text:
            texts[-1].text = texts[-1].text.rstrip(" ")
        for number_ in flow.marks:
            paragraph.append(make("bookmarkEnd", id=number_))
        flow.marks = []
        flow.paragraph = None
        flow.spaced = True

    def text(
        self, text: str | None, element: Element, block: Element, *, keep: bool = False
    ) -> None:
        """Write `text` as the page shows it: runs of whitespace as one space, none at the
        start of a paragraph; `keep` writes it as it is (a tab, a line break)."""
        if not text:
            return
        flow = self.flow
        if not keep:
            text = _SPACE.sub(" ", text)
            if flow.spaced or flow.paragraph is None:
                text = text.lstrip(" ")
            if not text:
                return
        paragraph = self.open(block)
        run = text_run(text, self.character_style(element, block))
        if self.link is not None:
            name, link = self.link
            if link is None or link.getparent() is not paragraph or link is not paragraph[-1]:
                link = internal_link(name, [])
                paragraph.append(link)
                self.link = (name, link)
            link.append(run)
        else:
            paragraph.append(run)
        flow.spaced = keep or text.endswith(" ")

    # -- footnotes

    def footnote(self, element: Element, block: Element) -> None:
        """A real footnote, called where the note stands; its text as the page gives it."""
        paragraph = self.open(block)
        call, note_paragraph = self.footnotes.add()
        paragraph.append(call)
        outer_flow, outer_link = self.flow, self.link
        self.flow = _Flow(_FootnoteBody(note_paragraph), note_paragraph, spaced=True)
        self.link = None
        self.children(element, element)
        self.close()
        self.flow, self.link = outer_flow, outer_link
        self.flow.spaced = False

    # -- tables

    def table(self, element: Element) -> None:
        """A table across the text width, its header rows repeated on every page and each
        column its share of the width (`column_shares`)."""
        self.close()
        rows = list(_rows(element))
        if not rows:
            return
        columns = max(len(cells) for _, cells in rows)
        table = self.document.add_table(rows=len(rows), cols=columns)
        table.autofit = False
        section = self.document.sections[0]
        text_width = (section.page_width or Inches(8.5)) - 2 * MARGIN
        texts = [[self.shown_text(cell) for cell in cells] for _, cells in rows]
        header = [cells for (head, _), cells in zip(rows, texts, strict=True) if head]
        body = [cells for (head, _), cells in zip(rows, texts, strict=True) if not head]
        shares = column_shares(header, body, columns)
        for column, share in zip(table.columns, shares, strict=True):
            column.width = width = Emu(int(text_width * share))
            for cell in column.cells:  # the grid and each cell: office suites read either
                cell.width = width
        properties = table._tbl.tblPr
        style = self._id(self._style(element, "table"))
        if style:
            properties.insert(0, make("tblStyle", val=style))
        width = properties.find(qn("w:tblW"))
        if width is None:
            width = make("tblW")
            properties.insert(1, width)
        width.set(qn("w:w"), "5000")
        width.set(qn("w:type"), "pct")
        for (head, cells), row in zip(rows, table.rows, strict=True):
            row_properties = row._tr.get_or_add_trPr()
            row_properties.append(make("cantSplit"))
            if head:
                row_properties.append(make("tblHeader"))
            for cell_element, cell in zip(cells, row.cells, strict=False):
                self.cell(cell_element, cell)

    def cell(self, element: Element, cell: Any) -> None:
        """One cell's paragraphs, in its style; a cell holds at least one."""
        tc = cell._tc
        for paragraph in tc.findall(qn("w:p")):
            tc.remove(paragraph)
        outer = self.flow
        self.flow = _Flow(cell)
        self.walk(element, element)
        self.close()
        self.flow = outer
        if tc.find(qn("w:p")) is None:
            paragraph = cell.add_paragraph()._p
            style = self.paragraph_style(element)
            if style:
                paragraph.get_or_add_pPr().insert(0, make("pStyle", val=style))

    def shown_text(self, element: Element) -> str:
        """The text the page shows of an element, without its footnotes."""
        parts: list[str] = []

        def gather(node: Element) -> None:
            if not isinstance(node.tag, str) or self.hidden(node):
                return
            if self.layout.footnotes.match(node):
                parts.append(node.tail or "")
                return
            parts.append(node.text or "")
            for child in node:
                gather(child)
            parts.append(node.tail or "")

        gather(element)
        parts[-1:] = []  # the element's own tail is not its text
        return _SPACE.sub(" ", "".join(parts)).strip()

    # -- the page

    def page_frame(self, body: Element) -> None:
        """The marking on every page's header and footer, the running head on every page
        but the first, and the page-number line in every footer, as `<body>` gives them."""
        section = self.document.sections[0]
        _drop_headers_and_footers(self.document)
        section.different_first_page_header_footer = True
        marking = body.get("data-marking") or ""
        subject = body.get("data-subject") or ""
        numbers = body.get("data-page-numbers") or ""
        for header, running in ((section.first_page_header, False), (section.header, True)):
            self._empty(header)
            if marking:
                self._line(header, "marking", [text_run(marking)])
            if running and subject:
                self._line(header, "subject", [text_run(subject)])
        for footer in (section.first_page_footer, section.footer):
            self._empty(footer)
            if marking:
                self._line(footer, "marking", [text_run(marking)])
            if numbers:
                self._line(footer, "page-numbers", list(_page_number_runs(numbers)))

    @staticmethod
    def _empty(part: Any) -> None:
        part.is_linked_to_previous = False
        for paragraph in list(part.paragraphs):
            paragraph._p.getparent().remove(paragraph._p)

    def _line(self, part: Any, attribute: str, runs: list[Element]) -> None:
        paragraph = part.add_paragraph()._p
        style = self._id(self.map.page.get(attribute))
        if style:
            paragraph.get_or_add_pPr().insert(0, make("pStyle", val=style))
        paragraph.extend(runs)


class _FootnoteBody:
    """A footnote as a container: its first paragraph is made with the note, any more are
    added after it in the footnote's style."""

    def __init__(self, first: Element) -> None:
        self.first = first
        self.used = False

    def add(self, style: str | None) -> Element:
        if not self.used:
            self.used = True
            return self.first
        paragraph = make("p")
        if style:
            properties = make("pPr")
            properties.append(make("pStyle", val=style))
            paragraph.append(properties)
        self.first.getparent().append(paragraph)
        return paragraph


def _page_number_runs(words: str) -> Iterator[Element]:
    """The page-number line's words, its {page} and {pages} as Word's fields."""
    for part in _PLACEHOLDER.split(words):
        if part == "{page}":
            yield from field_runs(PAGE)
        elif part == "{pages}":
            yield from field_runs(NUMPAGES)
        elif part:
            yield text_run(part)


def _rows(table: Element) -> Iterator[tuple[bool, list[Element]]]:
    """Each row of a table, whether it is a header row, and its cells."""
    for row in table.iter("tr"):
        parent = row.getparent()
        if row.getparent() is not table and parent.getparent() is not table:
            continue  # a nested table's row
        cells = [cell for cell in row if cell.tag in ("td", "th")]
        if cells:
            yield parent.tag == "thead", cells


TABLE_CHARACTERS = 100
"""About how many characters of a table's header row fit across the text width (a letter
page's 6.5 inches at a small sans-serif bold): the scale column widths are reckoned in."""
MIN_COLUMN = 10
"""The narrowest a column is reckoned, in characters: a rating's width ("+ Advances")."""
MAX_COLUMN = 40
"""The widest a column's text is reckoned, in characters, before its lines wrap anyway."""
PADDING = 2
"""A cell's padding, in characters."""


def column_shares(header: list[list[str]], body: list[list[str]], columns: int) -> list[float]:
    """Each column's share of the table's width, from its content. Each column first gets
    its longest word and its padding (so that no heading word is broken across lines,
    "Counterterrori-sm"); what is left of the width goes to the columns whose longest body
    cell (up to MAX_COLUMN), or heading on three lines (headings are set smaller), wants
    more, in proportion to what each wants, so a column of long names gets the room a column
    of one-word ratings does not need. Without a header row, equal shares."""
    if not header:
        return [1 / columns] * columns
    need: list[float] = []
    want: list[float] = []
    for index in range(columns):
        texts = [row[index] for row in [*header, *body] if index < len(row)]
        longest_word = max((len(word) for text in texts for word in text.split()), default=0)
        cells = [row[index] for row in body if index < len(row)]
        headings = [row[index] for row in header if index < len(row)]
        longest_text = max(
            [*(len(text) for text in cells), *((len(text) + 2) // 3 for text in headings)]
        )
        need.append(max(MIN_COLUMN, longest_word + PADDING))
        want.append(max(0, min(longest_text + PADDING, MAX_COLUMN) - need[-1]))
    room, wanted = TABLE_CHARACTERS - sum(need), sum(want)
    if room > 0 and wanted:
        need = [n + room * w / wanted for n, w in zip(need, want, strict=True)]
    total = sum(need)
    return [n / total for n in need]


def _style_kinds(document: Document) -> dict[str, str]:
    """Each style's kind (paragraph, character, table) by its name."""
    kinds: dict[str, str] = {}
    for style in document.styles.element.findall(qn("w:style")):
        name = style.find(qn("w:name"))
        if name is not None:
            kinds.setdefault(str(name.get(qn("w:val"))), str(style.get(qn("w:type"))))
    return kinds


def _drop_headers_and_footers(document: Document) -> None:
    """Remove a template's own headers and footers; the memo's markings replace them."""
    sect_pr = document.sections[0]._sectPr
    for tag in ("w:headerReference", "w:footerReference"):
        for reference_element in sect_pr.findall(qn(tag)):
            rel_id = reference_element.get(qn("r:id"))
            sect_pr.remove(reference_element)
            if rel_id:
                document.part.drop_rel(rel_id)


def _meta(html: Element, name: str) -> str:
    found = html.find(f".//head/meta[@name='{name}']")
    return str(found.get("content") or "") if found is not None else ""


def set_properties(document: Document, html: Element, view: MemoView) -> None:
    """Title, author, subject, keywords and dates as the page's `<head>` gives them; the
    memo and audience as identifier."""
    properties = document.core_properties
    title = html.find(".//head/title")
    shown = title.text_content() if title is not None else ""
    properties.title = xml_safe(_SPACE.sub(" ", shown).strip())
    author = xml_safe(_meta(html, "author"))
    properties.author = properties.last_modified_by = author
    properties.subject = xml_safe(_meta(html, "description"))
    properties.keywords = xml_safe(_meta(html, "keywords"))
    properties.category = xml_safe(view.audience.label)
    properties.comments = ""
    properties.language = html.get("lang") or ""
    created = _meta(html, "dcterms.created")
    day = dt.date.fromisoformat(created) if created else view.memo.date
    stamp = dt.datetime(day.year, day.month, day.day)
    properties.created = properties.modified = properties.last_printed = stamp
    properties.revision = 1
    properties.identifier = f"{view.id}/{view.audience_id}"
