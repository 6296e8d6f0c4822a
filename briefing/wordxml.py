"""The pieces of WordprocessingML that python-docx has no API for, built as XML elements.

python-docx writes paragraphs, tables, styles, headers and document properties, but not
footnotes, fields, bookmarks, internal hyperlinks or tracked changes; those are made here
with lxml's element API. Content is never spliced into XML source: every string from a
memo becomes the text of a `w:t` (or `w:delText`) element, which lxml escapes, so a quote
that reads `<w:t>` or `{ PAGE }` stays those characters. Field instructions come only
from the constants in this module. The only markup parsed from source is
this module's own fixed text.

Same input, same bytes: `reproducible_zip` rewrites the package with every entry stamped
with the memo's date, since python-docx stamps them with the clock.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from typing import TYPE_CHECKING, Any, Literal

from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, nsmap, qn
from docx.oxml.parser import OxmlElement

if TYPE_CHECKING:
    from docx.document import Document

Element = Any
"""An lxml element (lxml ships no type information)."""

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""Characters XML 1.0 cannot hold at all; validation refuses control characters, but a
redline or a document property must never fail on one."""

PAGE = "PAGE"
NUMPAGES = "NUMPAGES"
_FIELDS = {PAGE: " PAGE \\* Arabic ", NUMPAGES: " NUMPAGES \\* Arabic "}
"""The only field instructions briefing writes: a page number and the page count."""


def xml_safe(text: str) -> str:
    """`text` with any character XML cannot hold replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


_NAMESPACES = {"w": nsmap["w"], "r": nsmap["r"]}


def make(tag: str, **attributes: str) -> Element:
    """A new `w:` element with `w:` attributes; values are escaped by lxml."""
    made = OxmlElement(f"w:{tag}", nsdecls=_NAMESPACES)
    for name, value in attributes.items():
        made.set(qn(f"w:{name}" if ":" not in name else name), xml_safe(value))
    return made


def text_run(text: str, style: str | None = None, *, deleted: bool = False) -> Element:
    """A run holding `text` as text: tabs and line breaks become Word's own elements.

    `style` is a character style id; `deleted` writes `w:delText`, as a tracked deletion
    must.
    """
    run = make("r")
    if style:
        properties = make("rPr")
        properties.append(make("rStyle", val=style))
        run.append(properties)
    tag = "delText" if deleted else "t"
    for index, line in enumerate(xml_safe(text).split("\n")):
        if index:
            run.append(make("br"))
        for part_index, part in enumerate(line.split("\t")):
            if part_index:
                run.append(make("tab"))
            if part:
                piece = make(tag)
                piece.text = part
                piece.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                run.append(piece)
    return run


def field_runs(name: str, shown: str = "1", style: str | None = None) -> list[Element]:
    """The runs of a complex field (PAGE or NUMPAGES), with `shown` as its last result."""
    instruction = _FIELDS[name]
    runs = []
    for kind in ("begin", None, "separate", "result", "end"):
        run = make("r")
        if style:
            properties = make("rPr")
            properties.append(make("rStyle", val=style))
            run.append(properties)
        if kind is None:
            code = make("instrText")
            code.text = instruction
            code.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            run.append(code)
        elif kind == "result":
            shown_text = make("t")
            shown_text.text = shown
            run.append(shown_text)
        else:
            run.append(make("fldChar", fldCharType=kind))
        runs.append(run)
    return runs


def internal_link(anchor: str, runs: list[Element]) -> Element:
    """A hyperlink to a bookmark in the same document."""
    link = make("hyperlink", anchor=anchor, history="1")
    for run in runs:
        link.append(run)
    return link


Change = Literal["ins", "del"]


def tracked(kind: Change, runs: list[Element], number: int, author: str, date: dt.date) -> Element:
    """A tracked insertion or deletion holding `runs`, as Word records one.

    Deleted runs must carry their text in `w:delText` (see `text_run(deleted=True)`).
    """
    stamp = dt.datetime(date.year, date.month, date.day, tzinfo=dt.UTC)
    change = make(kind, id=str(number), author=author, date=stamp.strftime("%Y-%m-%dT%H:%M:%SZ"))
    for run in runs:
        change.append(run)
    return change


class Footnotes:
    """The document's footnotes part, made afresh (python-docx has none to offer).

    Word requires the separator and continuation separator as footnotes -1 and 0; a memo's
    notes are numbered from 1 in the order they are added, which is the order they are
    called in the text, as Word numbers them.
    """

    def __init__(self, document: Document, text_style: str, reference_style: str) -> None:
        self.text_style = text_style
        self.reference_style = reference_style
        self.root = parse_xml(
            f"<w:footnotes {nsdecls('w', 'r')}>"
            '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0"'
            ' w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p>'
            "</w:footnote>"
            '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing'
            ' w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:r>'
            "<w:continuationSeparator/></w:r></w:p></w:footnote>"
            "</w:footnotes>"
        )
        part = document.part
        for rel_id, rel in list(part.rels.items()):
            if rel.reltype == RELATIONSHIP_TYPE.FOOTNOTES:  # a template's own: replaced
                part.drop_rel(rel_id)
        footnotes = XmlPart(
            PackURI("/word/footnotes.xml"), CONTENT_TYPE.WML_FOOTNOTES, self.root, part.package
        )
        part.relate_to(footnotes, RELATIONSHIP_TYPE.FOOTNOTES)
        self.count = 0

    def add(self) -> tuple[Element, Element]:
        """A new footnote: the run that calls it, and its paragraph, to be filled with text."""
        self.count += 1
        number = str(self.count)
        note = make("footnote", id=number)
        paragraph = make("p")
        properties = make("pPr")
        properties.append(make("pStyle", val=self.text_style))
        paragraph.append(properties)
        mark = make("r")
        mark_properties = make("rPr")
        mark_properties.append(make("rStyle", val=self.reference_style))
        mark.append(mark_properties)
        mark.append(make("footnoteRef"))
        paragraph.append(mark)
        paragraph.append(text_run(" "))
        note.append(paragraph)
        self.root.append(note)
        call = make("r")
        call_properties = make("rPr")
        call_properties.append(make("rStyle", val=self.reference_style))
        call.append(call_properties)
        call.append(make("footnoteReference", id=number))
        return call, paragraph


_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def reproducible_zip(data: bytes, date: dt.date) -> bytes:
    """The same package with every entry stamped `date` and stored the same way.

    Entries keep python-docx's order ([Content_Types].xml first, as Word expects).
    """
    stamp = max((date.year, date.month, date.day, 0, 0, 0), _ZIP_EPOCH)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            entry.create_system = 0
            target.writestr(entry, source.read(info.filename), compresslevel=6)
    return out.getvalue()


class Numbering:
    """The lists of a document: one numbering definition for numbered lists and one for
    bulleted ones, and a numbering instance per list, so each list counts from its own start
    (Word continues an instance's count across every paragraph that names it).

    Definitions are added after a template's own, with ids above theirs; a template without a
    numbering part gets one.
    """

    def __init__(self, document: Document) -> None:
        part = document.part
        try:
            self.root = part.numbering_part.element
        except NotImplementedError:  # python-docx makes no numbering part of its own
            self.root = parse_xml(f"<w:numbering {nsdecls('w')}/>")
            numbering = XmlPart(
                PackURI("/word/numbering.xml"), CONTENT_TYPE.WML_NUMBERING, self.root, part.package
            )
            part.relate_to(numbering, RELATIONSHIP_TYPE.NUMBERING)
        self._abstract: dict[str, str] = {}
        self._next_abstract = 1 + max(
            (int(e.get(qn("w:abstractNumId"))) for e in self.root.iter(qn("w:abstractNum"))),
            default=-1,
        )
        self._next_num = 1 + max(
            (int(e.get(qn("w:numId"))) for e in self.root.iter(qn("w:num"))), default=0
        )

    def new_list(self, numbered: bool, level: int, start: int = 1) -> str:
        """A numbering instance for one list whose items stand at `level` (0 for the
        outermost), starting at `start`; its id, for `number`."""
        kind = "decimal" if numbered else "bullet"
        abstract = self._abstract.get(kind) or self._define(kind)
        num_id = str(self._next_num)
        self._next_num += 1
        num = make("num", numId=num_id)
        num.append(make("abstractNumId", val=abstract))
        override = make("lvlOverride", ilvl=str(level))
        override.append(make("startOverride", val=str(start)))
        num.append(override)
        self.root.append(num)
        return num_id

    def _define(self, kind: str) -> str:
        abstract_id = str(self._next_abstract)
        self._next_abstract += 1
        abstract = make("abstractNum", abstractNumId=abstract_id)
        abstract.append(make("multiLevelType", val="hybridMultilevel"))
        for level in range(_LIST_LEVELS):
            lvl = make("lvl", ilvl=str(level))
            lvl.append(make("start", val="1"))
            lvl.append(make("numFmt", val=kind))
            lvl.append(make("lvlText", val=f"%{level + 1}." if kind == "decimal" else "\u2022"))
            lvl.append(make("lvlJc", val="left"))
            properties = make("pPr")
            properties.append(make("ind", left=str(_LIST_INDENT * (level + 1)), hanging="360"))
            lvl.append(properties)
            abstract.append(lvl)
        nums = self.root.findall(qn("w:num"))  # definitions come before every instance
        if nums:
            nums[0].addprevious(abstract)
        else:
            self.root.append(abstract)
        self._abstract[kind] = abstract_id
        return abstract_id


_LIST_LEVELS = 3
_LIST_INDENT = 360
"""Twentieths of a point each level of a list is indented by (a quarter inch)."""


def number(paragraph: Element, num_id: str, level: int) -> None:
    """Make `paragraph` an item of the list `num_id` at `level`."""
    properties = paragraph.find(qn("w:pPr"))
    if properties is None:
        properties = make("pPr")
        paragraph.insert(0, properties)
    numbering = make("numPr")
    numbering.append(make("ilvl", val=str(level)))
    numbering.append(make("numId", val=num_id))
    style = properties.find(qn("w:pStyle"))
    if style is not None:
        style.addnext(numbering)
    else:
        properties.insert(0, numbering)
