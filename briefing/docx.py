"""A resolved memo as a Word document, for offices that clear memos in Word.

The document is made from the same resolved view as the HTML and the PDF, so the profile's
sections, content switches and limits apply unchanged; there is no page budget, since Word
lays the pages out itself. It is written in styles, not direct formatting (see
briefing.docxstyles), with real footnotes, the grid as a table whose header row repeats on
each page, the banner and handling marking in the page header and footer with "Page X of
Y", a bookmark per section and option, and the document properties a registry reads.

Library: python-docx for the document, styles, tables, headers and properties; the
footnotes part, fields, bookmarks and links it lacks are made in briefing.wordxml.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml.ns import qn
from docx.shared import Emu, Inches, Mm
from lxml import etree
from markdown_it import MarkdownIt

from briefing.docxstyles import add_missing_styles, set_conventions
from briefing.errors import BriefingError, printable
from briefing.models import Action
from briefing.resolve import written_date
from briefing.wordxml import (
    NUMPAGES,
    PAGE,
    Element,
    Footnotes,
    bookmark,
    field_runs,
    internal_link,
    make,
    reproducible_zip,
    text_run,
    xml_safe,
)

if TYPE_CHECKING:
    from docx.document import Document

    from briefing.resolve import MemoView, Note, OptionView, PointView, SourceView

TEMPLATE_MAX_BYTES = 20_000_000
"""A reference template larger than this (packed, or all its parts unpacked) is refused: a
memo's styles need a few hundred kilobytes, and a zip can unpack to far more than it weighs."""

_CHUNK = 1 << 16
"""How much of a template's part is inflated at a time: the size that counts is the one the
stream really gives, never the one the zip declares, and no more than this is held beyond
the limit before the template is refused."""

_STREAMED = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})
"""The only ways Word stores a part; zipfile inflates bzip2 and LZMA in one unbounded step."""

_XML_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
)
"""How a template's XML is checked: nothing is fetched, loaded or expanded."""

_CODE_PART = re.compile(
    r"(^|/)(vbaProject\.bin|vbaData\.xml|vbaProjectSignature[^/]*|attachedToolbars\.bin"
    r"|customizations\.xml)$|(^|/)(activeX|embeddings|customUI)/",
    re.IGNORECASE,
)
"""Parts that hold code or objects Word runs or opens (macros, ActiveX controls, embedded
OLE objects and packages, ribbon customisations and their key bindings)."""

_TEMPLATE_TEXT_PART = re.compile(
    r"(^|/)(comments[A-Za-z]*\.xml|people\.xml|custom\.xml)$|(^|/)(glossary|customXml)/",
    re.IGNORECASE,
)
"""Parts that hold a template's own words or data rather than its styles: reviewers'
comments and their authors, building blocks (glossary), custom properties and bound data.
An office's template may carry internal notes; none of it belongs in a memo sent out."""

_CODE_RELATIONSHIPS = frozenset(
    {
        "vbaProject",
        "wordVbaData",
        "vbaProjectSignature",
        "vbaProjectSignatureAgile",
        "vbaProjectSignatureV3",
        "keyMapCustomizations",
        "attachedToolbars",
        "control",
        "activeXControlBinary",
        "oleObject",
        "package",
        "extensibility",
        "userCustomization",
        "attachedTemplate",
    }
)
"""The last segment of the relationship types that lead to such code, or to a template Word
would attach (and fetch) when the memo is opened."""

_LINK_ONLY = ("w:attachedTemplate", "w:mailMerge")
"""Settings that only make Word reach outside the memo when it opens: a template to attach
and a mail merge's data source to query."""

_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_R_NAMESPACE = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_MACRO_ENABLED = "macroEnabled"
_SETTINGS_TYPE = "wordprocessingml.settings+xml"


class WordTemplateError(BriefingError):
    """A profile's Word reference template cannot be used (B415 not found, B416 unreadable)."""

    def __init__(self, message: str, code: str = "B415") -> None:
        self.code = code
        super().__init__(message)


Segment = tuple[str, str | None, str | None]
"""A stretch of text: the text, its character style name (or None), the bookmark it links
to (or None)."""


def open_document(template: Path | None, name: str | None) -> Document:
    """The built-in template, or an office's reference template emptied of its text.

    python-docx opens only the package `checked_template` made of the file, never the file
    itself, so nothing it parses or inflates has escaped the checks.
    """
    import docx  # noqa: PLC0415 - python-docx only when a DOCX is made

    if template is None:
        document = docx.Document()
        _drop_package_part(document, RELATIONSHIP_TYPE.THUMBNAIL)
        return document
    package = checked_template(template, name or template.name)
    try:
        document = docx.Document(io.BytesIO(package))
    except Exception as error:  # a zip, a package or XML that is not a Word document
        raise _unreadable(name or template.name, f"{type(error).__name__}: {error}") from None
    _drop_package_part(document, RELATIONSHIP_TYPE.THUMBNAIL)  # a picture of its own text
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    return document


def checked_template(path: Path, name: str) -> bytes:
    """The reference template as a package python-docx may open: read once, within the size
    limit, every XML part free of DTDs and entities, and without the external relationships
    and code parts that would make Word fetch or run anything when a memo is opened.

    Raises WordTemplateError (B416) when it cannot be made so.
    """
    parts = _read_parts(path, name)
    content_types = _content_types(parts, name)
    _refuse_macro_enabled(content_types, name)
    for part, data in parts.items():
        if _is_xml(part, content_types):
            _parse_part(part, data, name)
    return _packaged(_without_code_or_links(parts, content_types, name))


def _unreadable(
    name: str, reason: str, advice: str = "save it from Word as a .docx document"
) -> WordTemplateError:
    return WordTemplateError(f"Word template '{name}' cannot be read ({reason}); {advice}", "B416")


def _shown(part: str) -> str:
    """A part's name as a message may quote it: a zip can name its parts anything."""
    shown = printable(part, one_line=True)
    return shown if len(shown) <= 80 else f"{shown[:77]}..."


def _too_large(name: str, size: int) -> WordTemplateError:
    return WordTemplateError(
        f"Word template '{name}' holds {size:,} bytes, more than the "
        f"{TEMPLATE_MAX_BYTES:,} a template may; keep only its styles",
        "B416",
    )


def _read_parts(path: Path, name: str) -> dict[str, bytes]:
    """Every part of the template, inflated a chunk at a time and counted as it comes.

    The sizes a zip declares are checked first, to refuse an honest large template at once,
    but only the bytes the streams really give are trusted: a part that inflates past its
    declared size fails its CRC check, and the running total stops the read at the limit.
    """
    try:
        with path.open("rb") as file:
            packed = os.fstat(file.fileno()).st_size
            if packed > TEMPLATE_MAX_BYTES:
                raise _too_large(name, packed)
            with zipfile.ZipFile(file) as archive:
                declared = sum(info.file_size for info in archive.infolist())
                if declared > TEMPLATE_MAX_BYTES:
                    raise _too_large(name, declared)
                return _inflated(archive, name)
    except (OSError, EOFError, zipfile.BadZipFile, zlib.error, RuntimeError) as error:
        # RuntimeError: an encrypted part; zlib.error: a damaged deflate stream
        raise _unreadable(name, str(error) or type(error).__name__) from None


def _inflated(archive: zipfile.ZipFile, name: str) -> dict[str, bytes]:
    parts: dict[str, bytes] = {}
    total = 0
    for info in archive.infolist():
        if info.is_dir():
            continue
        if info.compress_type not in _STREAMED:
            raise _unreadable(name, f"part {_shown(info.filename)} is not stored the way Word does")
        chunks: list[bytes] = []
        try:
            with archive.open(info) as stream:
                while chunk := stream.read(_CHUNK):
                    total += len(chunk)
                    if total > TEMPLATE_MAX_BYTES:
                        raise _too_large(name, total)
                    chunks.append(chunk)
        except zipfile.BadZipFile as error:
            reason = f"part {_shown(info.filename)} is damaged or not the size it declares"
            raise _unreadable(name, f"{reason}: {error}") from None
        parts[info.filename] = b"".join(chunks)
    return parts


def _content_types(parts: dict[str, bytes], name: str) -> dict[str, str]:
    """The content type of each part, from [Content_Types].xml (overrides, then defaults by
    extension), so that a part is checked as XML whatever it is named."""
    data = parts.get("[Content_Types].xml")
    if data is None:
        raise _unreadable(name, "it has no [Content_Types].xml")
    root = _parse_part("[Content_Types].xml", data, name)
    defaults = {
        (d.get("Extension") or "").lower(): d.get("ContentType") or ""
        for d in root.iter(f"{_CT}Default")
    }
    overrides = {
        (o.get("PartName") or "").lstrip("/").lower(): o.get("ContentType") or ""
        for o in root.iter(f"{_CT}Override")
    }
    return {
        part: overrides.get(part.lower(), defaults.get(part.rpartition(".")[2].lower(), ""))
        for part in parts
    }


def _refuse_macro_enabled(content_types: dict[str, str], name: str) -> None:
    """A macro-enabled document (.docm, .dotm) is refused rather than cleaned: its macros
    are its point, and a memo made from it without them would not be what the office saved."""
    if any(_MACRO_ENABLED in content_type for content_type in content_types.values()):
        raise _unreadable(
            name,
            "it is macro-enabled",
            "save it from Word as a Word Document (.docx), without macros",
        )


def _is_xml(part: str, content_types: dict[str, str]) -> bool:
    """Whether python-docx or Word reads the part as XML of the document. A picture (an SVG
    logo, often saved with a DOCTYPE) is carried as bytes and drawn as a picture."""
    content_type = content_types.get(part, "")
    if content_type.startswith("image/"):
        return False
    return part.lower().endswith((".xml", ".rels")) or content_type.endswith("xml")


def _parse_part(part: str, data: bytes, name: str) -> Any:
    """The part's XML, refused if it is not well-formed or declares a DOCTYPE.

    Word writes neither a DOCTYPE nor entities. Without a DTD, any entity but XML's five is
    not well-formed; with one, python-docx would keep `&x;` undefined in what it writes and
    the memo could not be opened. Nothing is ever fetched or expanded here.
    """
    try:
        root = etree.fromstring(data, _XML_PARSER)
    except etree.XMLSyntaxError as error:
        # a DTD whose entities amplify is refused by libxml2 before its DOCTYPE can be seen
        reason = "declares a DOCTYPE" if b"<!DOCTYPE" in data else "is not well-formed XML"
        raise _unreadable(
            name, f"{_shown(part)} {reason}: {error}", "save the template again from Word"
        ) from None
    if root.getroottree().docinfo.doctype:
        raise _unreadable(
            name, f"{_shown(part)} declares a DOCTYPE", "save the template again from Word"
        )
    return root


def _without_code_or_links(
    parts: dict[str, bytes], content_types: dict[str, str], name: str
) -> dict[str, bytes]:
    """The parts without macros, ActiveX controls and embedded objects, without the
    template's own comments, building blocks and custom data, and without every
    relationship that leads outside the package or to such a part.

    What referred to a dropped relationship no longer does: any reference loses its
    relationship id, so that Word finds nothing dangling, and the settings that only reach
    outside (`_LINK_ONLY`) go whether or not they name a relationship, since a mail merge's
    connection string can name a server by itself. python-docx writes [Content_Types].xml
    afresh, for the parts it keeps.
    """
    code = {
        part
        for part in parts
        if _CODE_PART.search(part)
        or _TEMPLATE_TEXT_PART.search(part)
        or _is_code_type(content_types[part])
    }
    kept = {part: data for part, data in parts.items() if part not in code}
    dropped: dict[str, set[str]] = {
        part: set() for part in kept if content_types[part].endswith(_SETTINGS_TYPE)
    }
    for rels_part in [part for part in kept if _is_rels(part)]:
        source = _rels_source(rels_part)
        root = _parse_part(rels_part, kept[rels_part], name)
        ids = _drop_relationships(root, _folder(source), code)
        if ids:
            kept[rels_part] = _serialized(root)
            dropped.setdefault(source, set()).update(ids)
    for source, ids in dropped.items():
        if source in kept:
            kept[source] = _without_references(_parse_part(source, kept[source], name), ids)
    return kept


def _is_code_type(content_type: str) -> bool:
    lowered = content_type.lower()
    return any(kind in lowered for kind in ("vbaproject", "vbadata", "activex", "oleobject"))


def _is_rels(part: str) -> bool:
    folder, _, file = part.rpartition("/")
    return file.lower().endswith(".rels") and (folder == "_rels" or folder.endswith("/_rels"))


def _rels_source(rels_part: str) -> str:
    """The part a relationships part belongs to: word/_rels/x.xml.rels is word/x.xml's."""
    folder, _, file = rels_part.rpartition("/")
    parent = folder.removesuffix("_rels").rstrip("/")
    source = file.removesuffix(".rels")
    return f"{parent}/{source}" if parent else source


def _folder(part: str) -> str:
    return part.rpartition("/")[0]


def _drop_relationships(root: Any, folder: str, code: set[str]) -> set[str]:
    """Remove the external relationships and those to code; the ids of those removed."""
    dropped: set[str] = set()
    for relationship in list(root.iter(_REL)):
        target = relationship.get("Target") or ""
        external = (relationship.get("TargetMode") or "").lower() == "external"
        kind = (relationship.get("Type") or "").rstrip("/").rpartition("/")[2]
        internal = posixpath.normpath(posixpath.join("/", folder, target)).lstrip("/")
        if external or kind in _CODE_RELATIONSHIPS or internal in code:
            dropped.add(relationship.get("Id") or "")
            relationship.getparent().remove(relationship)
    return dropped


def _without_references(root: Any, dropped: set[str]) -> bytes:
    """The part's XML with its link-only settings gone and no reference to `dropped`."""
    for tag in _LINK_ONLY:
        for element in list(root.iter(qn(tag))):
            element.getparent().remove(element)
    for element in root.iter():
        for attribute, value in list(element.attrib.items()):
            if attribute.startswith(_R_NAMESPACE) and value in dropped:
                del element.attrib[attribute]
    return _serialized(root)


def _serialized(root: Any) -> bytes:
    serialized: bytes = etree.tostring(
        root, xml_declaration=True, encoding="UTF-8", standalone=True
    )
    return serialized


def _packaged(parts: dict[str, bytes]) -> bytes:
    """The checked parts as a zip in memory, stored, for python-docx to open."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for part, data in parts.items():
            archive.writestr(part, data)
    return buffer.getvalue()


def _drop_package_part(document: Document, reltype: str) -> None:
    rels = document.part.package.rels
    for rel_id, rel in list(rels.items()):
        if rel.reltype == reltype:
            del rels[rel_id]


_SECTION_TITLES = {
    "question": "Issue for decision",
    "bluf": "Bottom line",
    "overview": "Summary",
    "background": "Background",
    "key_facts": "Key facts",
    "options": "Options",
    "not_recommended": "Options considered and not recommended",
    "grid": "How the options compare",
    "issues_for_congress": "Issues for Congress",
    "disagreements": "Where the options disagree",
    "recommendation": "Recommendation",
    "decision": "Decision",
    "coordination": "Coordination",
    "attachments": "Attachments",
    "methods": "How this brief was prepared",
    "sources": "Sources",
}
_SECTION_ANCHORS = {
    "question": "issue",
    "key_facts": "key-facts",
    "issues_for_congress": "issues-for-congress",
    "not_recommended": "not-recommended",
}
"""HTML ids that differ from the section's name (links in content use the HTML ids)."""


def bookmark_name(anchor: str) -> str:
    """A Word bookmark name for an HTML anchor: letters, digits and _, at most 40 characters
    (Word's limit); a longer one keeps its start and ends in a digest of the whole, so that
    two anchors alike in their first 40 characters stay apart."""
    cleaned = "".join(ch if ch.isascii() and ch.isalnum() else "_" for ch in anchor)
    name = "m_" + cleaned if not cleaned[:1].isalpha() else cleaned
    if len(name) <= 40:
        return name
    return name[:31] + "_" + hashlib.sha256(anchor.encode("utf-8")).hexdigest()[:8]


def _anchors(view: MemoView) -> dict[str, str]:
    """Every anchor a link in content may name, to the bookmark that stands for it."""
    anchors = [_SECTION_ANCHORS.get(s, s) for s in view.sections]
    if "options" in view.sections:
        anchors += [option.anchor for option in view.options]
    if "sources" in view.sections:
        anchors += [source.anchor for source in view.sources]
    return {anchor: bookmark_name(anchor) for anchor in anchors}


_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
"""Inline markdown as the HTML renders it (briefing.markup): raw HTML off, so it is text."""
_STYLE_OF = {"em": "Emphasis", "strong": "Strong"}


def inline_segments(text: str, anchors: dict[str, str]) -> list[Segment]:
    """A content field's inline markdown as styled stretches of text.

    Emphasis and strong become the Emphasis and Strong character styles, code the Memo
    Code style, a link within the memo a link to its bookmark; any other link and every
    image is its text alone, as in the HTML. Nothing in the text is ever markup.
    """
    segments: list[Segment] = []
    open_styles: list[str] = []
    link: list[str | None] = [None]
    for block in _MARKDOWN.parseInline(text):
        for token in block.children or []:
            kind = token.type
            style = open_styles[-1] if open_styles else None
            if kind == "text":
                segments.append((token.content, style, link[-1]))
            elif kind == "code_inline":
                segments.append((token.content, "Memo Code", link[-1]))
            elif kind in ("softbreak", "hardbreak"):
                segments.append((" " if kind == "softbreak" else "\n", style, link[-1]))
            elif kind == "image":
                segments.append((token.content, style, link[-1]))
            elif kind.endswith("_open") and kind[:-5] in _STYLE_OF:
                open_styles.append(_STYLE_OF[kind[:-5]])
            elif kind.endswith("_close") and kind[:-6] in _STYLE_OF and open_styles:
                open_styles.pop()
            elif kind == "link_open":
                href = str(token.attrs.get("href", ""))
                link.append(anchors.get(href[1:]) if href.startswith("#") else None)
            elif kind == "link_close" and len(link) > 1:
                link.pop()
            elif token.content:
                segments.append((token.content, style, link[-1]))
    return segments


def closed(segments: list[Segment]) -> list[Segment]:
    """End a note or reference with a full stop, inside a closing quotation mark, as the
    HTML does (briefing.markup.close_sentence)."""
    if not segments:
        return segments
    text, style, link = segments[-1]
    stripped = text.rstrip()
    if stripped.endswith("\u201d"):
        body = stripped[:-1]
        stripped = stripped if body.endswith((".", "?", "!")) else body + ".\u201d"
    elif not stripped.endswith((".", "?", "!")):
        stripped += "."
    return [*segments[:-1], (stripped, style, link)]


class MemoWriter:
    """Writes one memo into a document, paragraph by paragraph, in the document's styles."""

    def __init__(self, document: Document, view: MemoView) -> None:
        self.document = document
        self.view = view
        self.styles = add_missing_styles(document)
        self.anchors = _anchors(view)
        self.footnotes = Footnotes(
            document, self.styles["footnote text"], self.styles["footnote reference"]
        )
        self.bookmarks = 0

    # -- the pieces every part is made of

    def paragraph(self, style: str, container: Any = None) -> Element:
        """A new paragraph in `style` at the end of `container` (the body by default)."""
        made = (container or self.document).add_paragraph()
        element = made._p
        properties = element.get_or_add_pPr()
        properties.insert(0, make("pStyle", val=self.styles[style]))
        return element

    def heading(self, text: str, level: int, anchor: str | None = None) -> Element:
        style = "Title" if level == 0 else f"heading {level}"
        element = self.paragraph(style)
        self.write(element, [(text, None, None)])
        if anchor:
            self.mark(element, anchor)
        return element

    def mark(self, element: Element, anchor: str) -> None:
        self.bookmarks += 1
        bookmark(element, bookmark_name(anchor), self.bookmarks)

    def write(self, element: Element, segments: Iterable[Segment]) -> None:
        """Append runs for each stretch of text; a stretch with a bookmark becomes a link."""
        for text, style, link in segments:
            if not text:
                continue
            if link:
                shown = self.styles.get(style) if style else self.styles["Hyperlink"]
                element.append(internal_link(link, [text_run(text, shown)]))
            else:
                element.append(text_run(text, self.styles.get(style) if style else None))

    def markdown(self, text: str) -> list[Segment]:
        return inline_segments(text, self.anchors)

    def portion(self) -> list[Segment]:
        mark = self.view.audience.portion_mark
        return [(mark, "Memo Portion Mark", None), (" ", None, None)] if mark else []

    def notes(self, element: Element, notes: Sequence[Note]) -> None:
        """A real footnote for each note, called at the end of `element`; where the claim's
        quotations are in the annex, the note says so with a link to them ("See Tab A."), and
        `element` is marked for the annex entry's link back."""
        for note in notes:
            call, text = self.footnotes.add()
            element.append(call)
            segments = note_segments(note)
            if note.evidence:
                self.mark(element, BACK + note.evidence)
                segments += [
                    (" See ", None, None),
                    (self.view.annex_short, None, bookmark_name(note.evidence)),
                    (".", None, None),
                ]
            self.write(text, segments)

    # -- the memo

    def memo(self) -> None:
        self.page_frame()
        self.heading_block()
        for section in self.view.sections:
            getattr(self, f"section_{section}")()
        self.drafting()
        if self.view.annexed:
            self.annex()

    def page_frame(self) -> None:
        """Paper, margins, and the markings and page numbers in the header and footer."""
        view = self.view
        section = self.document.sections[0]
        _drop_headers_and_footers(self.document)
        if view.audience.paper == "A4":
            section.page_width, section.page_height = Mm(210), Mm(297)
        else:
            section.page_width, section.page_height = Inches(8.5), Inches(11)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, MARGIN)
        section.header_distance = section.footer_distance = Inches(0.4)
        section.different_first_page_header_footer = True
        for header, running in ((section.first_page_header, False), (section.header, True)):
            header.is_linked_to_previous = False
            for paragraph in list(header.paragraphs):
                paragraph._p.getparent().remove(paragraph._p)
            self.markings(header)
            if running:
                self.write(
                    self.paragraph("Memo Running Head", header),
                    [(view.memo.short_subject, None, None)],
                )
        for footer in (section.first_page_footer, section.footer):
            footer.is_linked_to_previous = False
            for paragraph in list(footer.paragraphs):
                paragraph._p.getparent().remove(paragraph._p)
            self.markings(footer)
            numbers = self.paragraph("Memo Page Number", footer)
            self.write(numbers, [("Page ", None, None)])
            numbers.extend(field_runs(PAGE))
            self.write(numbers, [(" of ", None, None)])
            numbers.extend(field_runs(NUMPAGES))

    def markings(self, container: Any) -> None:
        """The classification and handling marking on one line, as on the PDF's pages."""
        if self.view.banner:
            self.write(self.paragraph("Memo Banner", container), [(self.view.banner, None, None)])

    def heading_block(self) -> None:
        """How the document opens, by its form (as the pages open): the memo heading lines,
        a CRS-style title block, or a publication's title, subject and byline; then the
        DRAFT warning, if any, and how current the evidence is."""
        view = self.view
        title = view.audience.memo_type
        if view.audience.addressee:
            title += f" FOR {view.audience.addressee}"
        if view.form == "brief":
            self.title_block(title)
        elif view.form == "publication":
            self.heading(view.memo.title, 0)
            self.write(self.paragraph("Memo Subtitle"), [(view.memo.subject, None, None)])
            byline = f"{view.sender} \u00b7 {view.date}" if view.sender else view.date
            self.write(self.paragraph("Memo Author"), [(byline, None, None)])
        else:
            self.heading(title, 0)
            lines = [("THROUGH:", view.through)] if view.through else []
            lines += [("FROM:", view.sender), ("SUBJECT:", view.memo.subject), ("DATE:", view.date)]
            for label, value in lines:
                self.write(
                    self.paragraph("Memo Heading Line"),
                    [(label, "Memo Label", None), ("\t", None, None), (value or "", None, None)],
                )
        if view.draft:
            self.write(self.paragraph("Memo Draft Warning"), [(view.draft_warning, None, None)])
        age: list[Segment] = [("Evidence current to:", "Memo Label", None)]
        if view.newest_source is not None:
            age.append((f" {view.newest_source.date}", None, None))
        age.append((f" {view.evidence_age_note}.", None, None))
        self.write(self.paragraph("Memo Evidence Age"), age)

    def title_block(self, form: str) -> None:
        """A brief whose profile names an analyst opens as a Congressional Research Service
        report does, as its HTML does: the form, the title, "Updated <date>", who wrote it and how
        to reach them."""
        view = self.view
        analyst = view.analyst
        assert analyst is not None
        self.write(self.paragraph("Memo Heading Line"), [(form, "Memo Label", None)])
        self.heading(view.memo.title, 0)
        self.write(self.paragraph("Memo Updated"), [(f"Updated {view.date}", None, None)])
        who = ", ".join(part for part in (analyst.name, analyst.title) if part)
        author: list[Segment] = [(who, "Memo Label", None)] if who else []
        if analyst.contact:
            author.append(((" \u00b7 " if who else "") + analyst.contact, None, None))
        if analyst.illustrative:
            author.append((" (illustrative)", None, None))
        self.write(self.paragraph("Memo Author"), author or [(view.sender or "", None, None)])

    def titled(self, section: str) -> None:
        self.heading(_SECTION_TITLES[section], 1, _SECTION_ANCHORS.get(section, section))

    def section_question(self) -> None:
        self.titled("question")
        self.write(
            self.paragraph("Memo Issue"), self.portion() + self.markdown(self.view.memo.question)
        )

    def section_bluf(self) -> None:
        self.titled("bluf")
        self.write(self.paragraph("Memo BLUF"), self.portion() + self.markdown(self.view.memo.bluf))

    def section_overview(self) -> None:
        if self.view.memo.overview:
            self.titled("overview")
            self.write(
                self.paragraph("Memo Body"), self.portion() + self.markdown(self.view.memo.overview)
            )

    def section_background(self) -> None:
        self.titled("background")
        for point in self.view.background:
            element = self.paragraph("Memo Body")
            self.write(element, self.portion() + self.markdown(point.text))
            self.notes(element, point.notes)

    def section_not_recommended(self) -> None:
        """Each option set aside: its title in bold, then why, cited; under a heading that
        says "set aside" where the reader gets no recommendation, as the HTML does."""
        if not self.view.not_recommended:
            return
        if self.view.recommended:
            self.titled("not_recommended")
        else:
            self.heading("Options considered and set aside", 1, "not-recommended")
        for point in self.view.not_recommended:
            lead: list[Segment] = [(f"{point.title}.", "Strong", None), (" ", None, None)]
            self.claim(point, "Memo Body", lead=lead)

    def section_key_facts(self) -> None:
        """The key facts box as a list, each fact with its note; nothing when none is given."""
        if not self.view.key_facts:
            return
        self.titled("key_facts")
        for point in self.view.key_facts:
            self.claim(point, "Memo Claim")

    def section_issues_for_congress(self) -> None:
        """Issues for Congress topic by topic, the office's own framing marked in words."""
        if not self.view.issues_for_congress:
            return
        self.titled("issues_for_congress")
        for topic, points in self.view.issue_topics:
            self.heading(topic, 2)
            for point in points:
                framed = point.own_framing
                tail: list[Segment] = [(" (office\u2019s framing)", None, None)] if framed else []
                self.claim(point, "Memo Claim", tail=tail)
        if self.view.framed:
            self.write(self.paragraph("Memo Note"), [(self.view.FRAMING_KEY, None, None)])

    def section_options(self) -> None:
        self.titled("options")
        for option in self.view.options:
            if option.full:
                self.option_full(option)
            else:
                self.option_brief(option)

    def option_brief(self, option: OptionView) -> None:
        element = self.paragraph("Memo Option")
        self.mark(element, option.anchor)
        title: list[Segment] = [(f"Option {option.number}: ", "Memo Option Title", None)]
        title += [
            (t, "Memo Option Title", None) for t, _, _ in self.markdown(option.position.title)
        ]
        tag = [(" ", None, None), ("Recommended", "Memo Tag", None)] if option.recommended else []
        summary = [(" ", None, None), *self.markdown(option.position.summary)]
        self.write(element, self.portion() + closed(title) + tag + summary)
        for group in option.groups:
            label = group.label if len(group.points) > 1 else group.label_one
            for point in group.points:
                claim = self.paragraph("Memo Brief Point")
                self.write(claim, [(f"{label}:", "Memo Label", None), (" ", None, None)])
                self.write(claim, self.markdown(point.text))
                self.notes(claim, point.notes)
                self.unverified(claim, point)

    def option_full(self, option: OptionView) -> None:
        title = self.paragraph("heading 2")
        self.write(title, [(f"Option {option.number}: ", None, None)])
        self.write(title, self.markdown(option.position.title))
        if option.recommended:
            self.write(title, [(" ", None, None), ("Recommended", "Memo Tag", None)])
        self.mark(title, option.anchor)
        self.write(
            self.paragraph("Memo Option Summary"),
            self.portion() + self.markdown(option.position.summary),
        )
        if option.thesis:
            self.write(self.paragraph("Memo Body"), self.markdown(option.thesis))
        if option.position.advocates:
            names = "; ".join(self.view.cite(a).attribution for a in option.position.advocates)
            self.write(self.paragraph("Memo Advocates"), [(f"Argued by: {names}", None, None)])
        for group in option.groups:
            self.heading(group.heading, 3)
            for point in group.points:
                claim = self.paragraph("Memo Claim")
                self.write(claim, self.markdown(point.text))
                if self.view.evidence != "inline":  # one note naming its sources; the
                    self.notes(claim, point.notes)  # quotations are in the annex
                    self.unverified(claim, point)
                    continue
                for quote in point.quotes:
                    element = self.paragraph("Memo Quote")
                    self.write(element, [(f"\u201c{quote.text}\u201d", None, None)])
                    if quote.note is not None:
                        self.notes(element, [quote.note])
                    if not quote.verified:
                        self.write(element, UNVERIFIED_MARK)

    def claim(
        self,
        point: PointView,
        style: str,
        lead: Sequence[Segment] = (),
        tail: Sequence[Segment] = (),
    ) -> None:
        """One claim of the memo's own (a key fact, an issue, an option set aside) in its
        paragraph: portion mark, any lead-in, its text, its notes, any words after, and the
        UNVERIFIED mark where a quotation was not found."""
        element = self.paragraph(style)
        self.write(element, [*self.portion(), *lead, *self.markdown(point.text)])
        self.notes(element, point.notes)
        if tail:
            self.write(element, tail)
        self.unverified(element, point)

    def unverified(self, element: Element, point: PointView) -> None:
        if point.unverified:
            self.write(element, UNVERIFIED_MARK)

    def section_grid(self) -> None:
        view = self.view
        self.titled("grid")
        self.write(
            self.paragraph("Memo Grid Legend"),
            [
                (
                    "Each option against each criterion: + advances, \u00b1 mixed, "
                    "\u2212 harms, ? unclear.",
                    None,
                    None,
                )
            ],
        )
        header = ["Option", *(criterion.label for criterion in view.criteria)]
        rows = []
        for option in view.options:
            linked = self.anchors.get(option.anchor)
            bold = "Memo Option Title"  # a link, shown as the page shows it: bold
            title: list[Segment] = [(f"{option.number}. ", bold, linked)]
            title += [(t, s or bold, linked) for t, s, _ in self.markdown(option.position.title)]
            cells: list[list[list[Segment]]] = [[title]]
            for criterion in view.criteria:
                cell = option.cells[criterion.id]
                paragraphs: list[list[Segment]] = [
                    [(f"{cell.symbol} {cell.word}", "Memo Rating", None)]
                ]
                if cell.rationale:
                    paragraphs.append(self.markdown(cell.rationale))
                cells.append(paragraphs)
            rows.append(cells)
        self.table(header, rows, grid_shares([criterion.label for criterion in view.criteria]))

    def table(
        self, header: list[str], rows: list[list[list[list[Segment]]]], shares: list[float]
    ) -> Element:
        """A table in the Memo Grid style across the text width, each column its share of
        it, whose header row repeats on every page; each cell is a list of paragraphs, each
        a list of stretches of text. Word and LibreOffice would otherwise split the width
        evenly, wrapping an option's name over four lines beside one-word ratings."""
        table = self.document.add_table(rows=1 + len(rows), cols=len(header))
        section = self.document.sections[0]
        text_width = (section.page_width or Inches(8.5)) - 2 * MARGIN
        table.autofit = False
        for column, share in zip(table.columns, shares, strict=True):
            column.width = width = Emu(int(text_width * share))
            for cell in column.cells:  # the grid and each cell: office suites read either
                cell.width = width
        element = table._tbl
        properties = element.tblPr
        properties.insert(0, make("tblStyle", val=self.styles["Memo Grid"]))
        width = properties.find(qn("w:tblW"))
        if width is None:
            width = make("tblW")
            properties.insert(1, width)
        width.set(qn("w:w"), "5000")
        width.set(qn("w:type"), "pct")
        for index, row in enumerate(table.rows):
            row_properties = row._tr.get_or_add_trPr()
            row_properties.append(make("cantSplit"))
            if index == 0:
                row_properties.append(make("tblHeader"))
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            self._fill(cell, [[(text, None, None)]], "Memo Grid Heading")
        for row, cells in zip(table.rows[1:], rows, strict=True):
            for cell, paragraphs in zip(row.cells, cells, strict=True):
                self._fill(cell, paragraphs, "Memo Grid Text")
        return element

    def _fill(self, cell: Any, paragraphs: list[list[Segment]], style: str) -> None:
        first = cell.paragraphs[0]._p
        first.get_or_add_pPr().insert(0, make("pStyle", val=self.styles[style]))
        for index, segments in enumerate(paragraphs):
            element = first if index == 0 else self.paragraph(style, cell)
            self.write(element, segments)

    def section_disagreements(self) -> None:
        view = self.view
        if not view.questions:
            return
        self.titled("disagreements")
        header = ["Question", *(f"{o.number}. {o.position.title}" for o in view.options)]
        rows = []
        for question in view.questions:
            cells: list[list[list[Segment]]] = [[[(question.label, "Memo Label", None)]]]
            for option in view.options:
                point = option.stances.get(question.id)
                if point is None:
                    cells.append([[("Not addressed", "Memo Not Addressed", None)]])
                else:
                    cells.append([self.markdown(point.text)])
            rows.append(cells)
        table = self.table(header, rows, first_and_rest(0.16, len(view.options)))
        # the stances' notes, called in reading order, row by row
        table_cells = table.findall(f"{qn('w:tr')}/{qn('w:tc')}")
        columns = len(header)
        for row_index, question in enumerate(view.questions, start=1):
            for column, option in enumerate(view.options, start=1):
                point = option.stances.get(question.id)
                if point is not None:
                    paragraph = table_cells[row_index * columns + column].findall(qn("w:p"))[-1]
                    self.notes(paragraph, point.notes)
                    self.unverified(paragraph, point)

    def section_recommendation(self) -> None:
        view = self.view
        option = view.recommended
        recommendation = view.memo.recommendation
        if option is None or recommendation is None:
            return
        self.titled("recommendation")
        linked = self.anchors.get(option.anchor)
        title: list[Segment] = [(f"Option {option.number}: ", None, linked)]
        title += [(t, s, linked) for t, s, _ in self.markdown(option.position.title)]
        self.write(
            self.paragraph("Memo Recommendation"),
            [
                *self.portion(),
                ("That you approve ", None, None),
                *title,
                (". ", None, None),
                *self.markdown(recommendation.text),
            ],
        )
        lists = (
            ("First steps on approval", view.actions),
            ("What would change course", view.benchmarks),
            ("Resources and costs", view.resources),
        )
        for heading, items in lists:
            if not items:
                continue
            self.heading(heading, 3)
            for item in items:
                element = self.paragraph("Memo Claim")
                segments = [*self.portion(), *self.markdown(item.text)]
                action = item.item
                if isinstance(action, Action):
                    due = f", by {written_date(action.due)}" if action.due else ""
                    segments.append((f" ({action.owner}{due})", None, None))
                if item.judgment:
                    segments.append(("\u2020", None, None))
                self.write(element, segments)
                self.notes(element, item.notes)
                if item.claim is not None:
                    self.unverified(element, item.claim)
        if view.judged:
            self.write(
                self.paragraph("Memo Body"),
                [(f"\u2020 {view.JUDGMENT_KEY}", None, None)],
            )

    def section_coordination(self) -> None:
        view = self.view
        self.titled("coordination")
        rows: list[list[list[list[Segment]]]] = [
            [
                [[(entry.office + ("*" if entry.illustrative else ""), None, None)]],
                [[(view.stance(entry), None, None)]],
                [self.markdown(entry.reason) if entry.reason else []],
            ]
            for entry in view.coordination
        ]
        self.table(["Office", "Stance", "Reasons"], rows, [0.3, 0.18, 0.52])
        if view.illustrative:
            self.write(self.paragraph("Memo Body"), [(ILLUSTRATIVE_KEY, None, None)])

    def section_attachments(self) -> None:
        self.titled("attachments")
        for tab in self.view.tabs:
            self.write(
                self.paragraph("Memo Body"),
                [(tab.label, "Memo Label", None), (f" \u2014 {tab.title}", None, None)],
            )

    def section_decision(self) -> None:
        view = self.view
        self.titled("decision")
        lines = view.audience.decision_lines
        if view.recommended:
            choices: list[list[Segment]] = [[(line, None, None)] for line in lines]
        else:
            choices = [
                [(f"Option {o.number}: ", None, None), *self.markdown(o.position.title)]
                for o in view.options
            ]
            choices.append([(lines[-1], None, None)])
        for choice in choices:
            self.write(
                self.paragraph("Memo Decision Line"),
                [("\t", None, None), (" ", None, None), *choice],
            )
        if view.decide_by:
            self.write(
                self.paragraph("Memo Body"), [(f"Decision needed by {view.decide_by}.", None, None)]
            )

    def section_methods(self) -> None:
        view = self.view
        self.titled("methods")
        if view.memo.methods:
            self.write(self.paragraph("Memo Body"), self.markdown(view.memo.methods))
        self.write(self.paragraph("Memo Body"), [(view.how_checked, None, None)])

    def section_sources(self) -> None:
        self.titled("sources")
        for source in self.view.sources:
            element = self.paragraph("Memo Source")
            self.mark(element, source.anchor)
            segments = [
                (f"{source.number}.\t", None, None),
                *closed(reference(source, short=False)),
            ]
            if source.cited_by:
                quoted = ", ".join(f"Option {n} ({count})" for n, count in source.cited_by)
                segments.append((f" Quoted in {quoted}.", None, None))
            if source.note:
                segments.append((f" {source.note}", None, None))
            self.write(element, segments)

    def annex(self) -> None:
        """The evidence annex, on a page of its own after the memo, as the pages end with it:
        each claim (its footnote's number, the label it stands under, its words) and below it
        each quotation with its source, so that the Word file carries the quotations the
        methods paragraph says were checked."""
        view = self.view
        title = self.paragraph("Memo Annex Title")
        self.write(title, [(view.audience.annex_title, None, None)])
        self.mark(title, "annex")
        self.write(self.paragraph("Memo Annex Intro"), [(view.annex_intro, None, None)])
        for group in view.annex():
            self.write(self.paragraph("heading 2"), self.markdown(group.heading))
            for part in group.parts:
                if part.heading:
                    self.heading(part.heading, 3)
                for label, point in part.entries:
                    self.annex_entry(label, point)

    def annex_entry(self, label: str, point: PointView) -> None:
        """One claim of the annex and its quotations, each with its source; a claim the body
        cites is numbered as its footnote and links back to it (\u2191), as on the page."""
        claim: list[Segment] = []
        if point.notes:
            claim.append((f"{point.notes[0].number}\u2002", "Memo Label", None))
        claim += [(f"{label}:", "Memo Label", None), (" ", None, None)]
        claim += self.markdown(point.text)
        if point.notes:
            back = bookmark_name(BACK + point.evidence_anchor)
            claim += [(" ", None, None), ("\u2191", None, back)]
        element = self.paragraph("Memo Annex Claim")
        self.mark(element, point.evidence_anchor)
        self.write(element, claim)
        for quote in point.quotes:
            said: list[Segment] = [(f"\u201c{quote.text}\u201d", None, None)]
            if not quote.verified:
                said += UNVERIFIED_MARK
            source = self.view.cite(quote.evidence.source)
            said += [(" \u2014 ", None, None), *reference(source, short=True)]
            self.write(self.paragraph("Memo Quote"), said)

    def drafting(self) -> None:
        """The drafting line and, where the profile lists `coordination`, the cleared-by
        lines (as the HTML's drafting partial); a memo's only, not a brief's or a
        publication's (their templates leave the block out)."""
        view = self.view
        if view.form != "memo":  # a brief names its author at the top; a publication, its office
            return
        if view.memo.drafted_by:
            line = f"Drafted by:\t{view.memo.drafted_by}"
            self.write(self.paragraph("Memo Drafting"), [(line, None, None)])
        for index, clearance in enumerate(view.clearances):  # in a column, as on the page
            parts = [clearance.name, clearance.office]
            parts.append(written_date(clearance.date) if clearance.date else None)
            text = ", ".join(p for p in parts if p) + f" ({clearance.status})"
            text += "*" if clearance.illustrative else ""
            lead = "Cleared by:\t" if index == 0 else "\t"
            self.write(self.paragraph("Memo Drafting"), [(lead + text, None, None)])
        if "coordination" not in view.sections and view.illustrative:
            self.write(self.paragraph("Memo Drafting"), [(ILLUSTRATIVE_KEY, None, None)])


UNVERIFIED_MARK: tuple[Segment, ...] = ((" ", None, None), ("UNVERIFIED", "Memo Unverified", None))
"""After a quotation (or a claim resting on one) not found in its source."""

BACK = "back-"
"""Prefix of the bookmark on a claim's paragraph that its annex entry links back to."""


MARGIN = Inches(1)
"""Each side's margin on every page, as State's memos have it."""


def first_and_rest(first: float, others: int) -> list[float]:
    """Column shares of a table whose first column is `first` of the width and whose
    `others` columns share the rest equally."""
    return [first, *([(1 - first) / others] * others)] if others else [1.0]


GRID_OPTION_SHARE = 0.24
"""The grid's first column (the options' names), as a share of the text width."""


def grid_shares(criteria: list[str]) -> list[float]:
    """The grid's column shares: the options' names, then each criterion in proportion to
    the longest word of its heading (at least a rating's width, "+ Advances"), so that no
    heading word is broken across lines ("Counterterrori-sm")."""
    widths = [max(10, *(len(word) for word in label.split())) for label in criteria]
    rest = 1 - GRID_OPTION_SHARE
    return [GRID_OPTION_SHARE, *(rest * width / sum(widths) for width in widths)]


ILLUSTRATIVE_KEY = (
    "* Illustrative: an example of the form, not a record of any office\u2019s position or "
    "clearance."
)


def reference(source: SourceView, *, short: bool) -> list[Segment]:
    """A source as a note gives it, without the closing full stop (as the HTML's partial)."""
    if short:
        lead = f"{source.surname}, " if source.surname else ""
        return [(f"{lead}\u201c{source.short_title}\u201d", None, None)]
    data = source.source
    title = data.title + ("" if data.title.endswith(("?", "!")) else ",")
    segments: list[Segment] = [
        (f"{data.author or 'Author not named'}, \u201c{title}\u201d ", None, None),
        (data.outlet, "Emphasis", None) if data.outlet else ("outlet not known", None, None),
        (f", {source.date}", None, None),
    ]
    if data.url:
        segments.append((f", {data.url}", None, None))
    return segments


def note_segments(note: Note) -> list[Segment]:
    """What a note says: each of its references, separated by semicolons, closed."""
    segments: list[Segment] = []
    for index, ref in enumerate(note.references):
        if index:
            segments.append(("; ", None, None))
        segments += reference(ref.source, short=not ref.first)
    return closed(segments)


def _drop_headers_and_footers(document: Document) -> None:
    """Remove a template's own headers and footers; the memo's markings replace them."""
    sect_pr = document.sections[0]._sectPr
    for tag in ("w:headerReference", "w:footerReference"):
        for reference_element in sect_pr.findall(qn(tag)):
            rel_id = reference_element.get(qn("r:id"))
            sect_pr.remove(reference_element)
            if rel_id:
                document.part.drop_rel(rel_id)


def set_properties(document: Document, view: MemoView) -> None:
    """Title, office as author, subject, criteria as keywords, the memo's date as dates."""
    properties = document.core_properties
    stamp = dt.datetime(view.memo.date.year, view.memo.date.month, view.memo.date.day)
    properties.title = xml_safe(view.memo.title)
    properties.author = xml_safe(view.sender)
    properties.last_modified_by = xml_safe(view.sender)
    properties.subject = xml_safe(view.memo.subject)
    properties.keywords = xml_safe(", ".join(c.label for c in view.criteria))
    properties.category = xml_safe(view.audience.label)
    properties.comments = ""
    properties.language = "en-US"
    properties.created = properties.modified = stamp
    properties.last_printed = stamp
    properties.revision = 1
    properties.identifier = f"{view.id}/{view.audience_id}"


def render_docx(view: MemoView, template: Path | None) -> bytes:
    """The memo as a DOCX; `template` is the profile's reference template, if it names one.

    Raises WordTemplateError when the template cannot be used.
    """
    document = open_document(template, view.audience.docx_template)
    if template is None:
        set_conventions(document, view.audience.font_size)
    MemoWriter(document, view).memo()
    set_properties(document, view)
    buffer = io.BytesIO()
    document.save(buffer)
    return reproducible_zip(buffer.getvalue(), view.memo.date)
