"""The Word styles a memo is written in: one per memo element, so an office restyles the
memo by editing styles (or by naming its own reference template), never by hunting down
direct formatting.

With briefing's built-in template, Normal, Title and Heading 1-3 are set to the memo
conventions (a Times-metric serif, the profile's body size, black headings kept with what
follows) and every memo style is added. With an office's reference template, its styles
are kept as they are and only the styles it lacks are added, so its look wins.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from briefing.wordmap import memo_styles_table

if TYPE_CHECKING:
    from docx.document import Document

SERIF = "Liberation Serif"
"""Metric-compatible with Times New Roman (bundled in templates/assets/fonts); Word on a
machine without it uses the alternative named in the font table."""
SANS = "Liberation Sans"
SERIF_ALTERNATIVE = "Times New Roman"
SANS_ALTERNATIVE = "Arial"


@dataclass(frozen=True)
class StyleSpec:
    """A style briefing adds when the template lacks it, as memo-styles.toml gives it: its
    name, kind, pPr/rPr/tblPr markup (fixed there, never content) and the style it inherits
    from."""

    name: str
    kind: Literal["paragraph", "character", "table"]
    body: str = ""
    based_on: str | None = None


def _fonts(font: str) -> str:
    return f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:cs="{font}" w:eastAsia="{font}"/>'


def _memo_styles() -> tuple[StyleSpec, ...]:
    """The styles of memo-styles.toml, kind by kind and in its order (the order they are
    added to a document in, so that the same template gives the same bytes)."""
    table = memo_styles_table()
    sans = _fonts(SANS)
    return tuple(
        StyleSpec(
            row["name"], kind, row.get("body", "").replace("{sans}", sans), row.get("based_on")
        )
        for kind in ("paragraph", "character", "table")
        for row in table[kind]
    )


MEMO_STYLES = _memo_styles()
"""Every style a memo or a redline uses besides Normal (Title and Heading 1-3 among them,
added where a reference template lacks them)."""


def _conventions(font_size: float) -> dict[str, str]:
    """The built-in template's Normal, Title and headings, in the memo conventions."""
    size = str(round(font_size * 2))
    black = "<w:color w:val='000000'/>"
    return {
        "Normal": f"<w:pPr><w:spacing w:after='100' w:line='240' w:lineRule='auto'/></w:pPr>"
        f"<w:rPr>{_fonts(SERIF)}<w:sz w:val='{size}'/><w:szCs w:val='{size}'/>"
        "<w:lang w:val='en-US'/></w:rPr>",
        "Title": "<w:pPr><w:spacing w:before='120' w:after='240'/><w:jc w:val='center'/></w:pPr>"
        f"<w:rPr>{_fonts(SERIF)}<w:b/>{black}<w:sz w:val='{size}'/><w:szCs w:val='{size}'/>"
        "</w:rPr>",
        "Heading1": "<w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before='120' w:after='40'/>"
        f"<w:outlineLvl w:val='0'/></w:pPr><w:rPr>{_fonts(SERIF)}<w:b/><w:caps/>{black}"
        f"<w:sz w:val='{size}'/><w:szCs w:val='{size}'/></w:rPr>",
        "Heading2": "<w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before='180' w:after='60'/>"
        f"<w:outlineLvl w:val='1'/></w:pPr><w:rPr>{_fonts(SERIF)}<w:b/>{black}"
        f"<w:sz w:val='{size}'/><w:szCs w:val='{size}'/></w:rPr>",
        "Heading3": "<w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before='80' w:after='40'/>"
        f"<w:outlineLvl w:val='2'/></w:pPr><w:rPr>{_fonts(SERIF)}<w:b/><w:i/>{black}"
        f"<w:sz w:val='{size}'/><w:szCs w:val='{size}'/></w:rPr>",
    }


def _parts(markup: str) -> list[object]:
    """The pPr/rPr/tblPr elements of a style body."""
    if not markup:
        return []
    holder = parse_xml(f"<w:style {nsdecls('w')}>{markup}</w:style>")
    return list(holder)


def set_conventions(document: Document, font_size: float) -> None:
    """Give the built-in template's Normal, Title and headings the memo conventions."""
    styles = document.styles.element
    for style_id, body in _conventions(font_size).items():
        style = styles.find(f"{qn('w:style')}[@{qn('w:styleId')}='{style_id}']")
        if style is None:
            continue
        for tag in ("w:pPr", "w:rPr"):
            for old in style.findall(qn(tag)):
                style.remove(old)
        for part in _parts(body):
            style.append(part)
    _name_alternative_fonts(document)


def _name_alternative_fonts(document: Document) -> None:
    """List the serif and sans in the font table with the Times and Arial they stand in for.

    python-docx keeps the font table as bytes, so it is parsed, extended and related anew
    under its own name (Word finds it by its relationship type, not its id).
    """
    from docx.opc.constants import RELATIONSHIP_TYPE  # noqa: PLC0415
    from docx.opc.part import XmlPart  # noqa: PLC0415

    part = document.part
    found = [
        (rel_id, rel)
        for rel_id, rel in part.rels.items()
        if rel.reltype == RELATIONSHIP_TYPE.FONT_TABLE
    ]
    if not found:
        return
    rel_id, rel = found[0]
    old = rel.target_part
    table = parse_xml(old.blob)
    for font, alternative, family in (
        (SERIF, SERIF_ALTERNATIVE, "roman"),
        (SANS, SANS_ALTERNATIVE, "swiss"),
    ):
        table.append(
            parse_xml(
                f"<w:font {nsdecls('w')} w:name='{font}'><w:altName w:val='{alternative}'/>"
                f"<w:family w:val='{family}'/><w:pitch w:val='variable'/></w:font>"
            )
        )
    part.drop_rel(rel_id)
    part.relate_to(
        XmlPart(old.partname, old.content_type, table, part.package), RELATIONSHIP_TYPE.FONT_TABLE
    )


def add_missing_styles(document: Document) -> dict[str, str]:
    """Add each memo style the document lacks; return every style's id by its name.

    A template's own style of the same name is kept untouched: that is how an office's
    reference template restyles a memo.
    """
    styles = document.styles.element
    ids = {
        style.get(qn("w:styleId")): style
        for style in styles.findall(qn("w:style"))
        if style.get(qn("w:styleId"))
    }
    by_name: dict[str, str] = {}
    for style in styles.findall(qn("w:style")):
        name = style.find(qn("w:name"))
        if name is not None and style.get(qn("w:styleId")):
            by_name.setdefault(str(name.get(qn("w:val"))).lower(), str(style.get(qn("w:styleId"))))
    for spec in MEMO_STYLES:
        if spec.name.lower() in by_name:
            continue
        style_id = _free_id(spec.name, ids)
        based = by_name.get((spec.based_on or "").lower())
        if spec.based_on == "List Bullet" and based is None:
            based = by_name.get("normal")
        custom = (
            "" if spec.name[0].islower() or spec.name in _WORD_BUILT_IN else ' w:customStyle="1"'
        )
        element = parse_xml(
            f'<w:style {nsdecls("w")} w:type="{spec.kind}"{custom} w:styleId="{style_id}">'
            f'<w:name w:val="{spec.name}"/>'
            + (f'<w:basedOn w:val="{based}"/>' if based else "")
            + "<w:qFormat/></w:style>"
        )
        for part in _parts(spec.body):
            element.append(part)
        styles.append(element)
        ids[style_id] = element
        by_name[spec.name.lower()] = style_id
    return {spec.name: by_name[spec.name.lower()] for spec in MEMO_STYLES} | {
        name: by_name[name.lower()]
        for name in ("Normal", "Title", "heading 1", "heading 2", "heading 3")
        if name.lower() in by_name
    }


_WORD_BUILT_IN = {"Title", "Emphasis", "Strong"}


def _free_id(name: str, taken: dict[object, object]) -> str:
    base = "".join(ch for ch in name.title() if ch.isalnum())
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}{number}"
    return candidate
