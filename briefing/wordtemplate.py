"""A Word reference template, read as data: the defence against a hostile or damaged file.

An office may name its own .docx (`docx_template:` in a profile) whose styles a memo is
written in. Such a file is untrusted input: it is read once within a size limit, each part
inflated in chunks and counted, every XML part refused if it declares a DOCTYPE or an
entity, and the parts and relationships that would make Word run code, fetch a file or
carry the template's own words (macros, ActiveX, embedded objects, attached templates, mail
merge, comments, building blocks, custom data) dropped before python-docx ever opens it.
`open_document` gives the memo's converter (briefing.docx) and the redline a document to
write into: the built-in template, or the office's emptied of its text.
"""

from __future__ import annotations

import io
import os
import posixpath
import re
import zipfile
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml.ns import qn
from lxml import etree

from briefing.errors import BriefingError, printable

if TYPE_CHECKING:
    from docx.document import Document

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
