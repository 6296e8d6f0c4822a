"""A redline laid out: as an HTML page (which the HTML and PDF formats are made from), and
as a DOCX with tracked changes.

The HTML comes from the `redline.html.j2` template in the same sandboxed environment as the
memos (a user's templates folder may override it); the PDF is made from it as every PDF is
(`pdf.render_pdf`). In the DOCX, every struck or added stretch is a real tracked change
(`w:del`, `w:ins`), so Word lists each one under Review and an office can accept or reject
it. Both say what they say in the words the redline was compared in (`Redline.phrases`).
"""

from __future__ import annotations

import datetime as dt
import io
import string
from collections.abc import Callable
from pathlib import Path

from briefing.made import HtmlPage, Target
from briefing.redline import Piece, Redline
from briefing.wordxml import Element, make, reproducible_zip, text_run, tracked

REDLINE_TEMPLATE = "redline.html.j2"


def redline_page(redline: Redline, template_dirs: list[Path], target: Target) -> HtmlPage:
    """The redline laid out in HTML, for the screen or for its PDF."""
    from briefing.render import render_page  # noqa: PLC0415 - Jinja only when rendering

    html = render_page(REDLINE_TEMPLATE, template_dirs, redline=redline, target=target)
    return HtmlPage(
        html,
        frozenset(),
        tuple(template_dirs),
        memo=redline.memo,
        audience=redline.audience,
        dated=redline.date,
    )


def redline_docx(redline: Redline) -> bytes:
    """The redline as a Word document whose changes are Word's own tracked changes."""
    from briefing.docxstyles import add_missing_styles, set_conventions  # noqa: PLC0415
    from briefing.wordtemplate import open_document  # noqa: PLC0415 - python-docx only for a DOCX

    document = open_document(None, None)
    set_conventions(document, 11)
    styles = add_missing_styles(document)
    said = redline.phrases.redline
    author = said["author"].format(new=redline.new)
    numbers = iter(range(1, 1_000_000))

    def paragraph(style: str) -> Element:
        element = document.add_paragraph()._p
        element.get_or_add_pPr().insert(0, make("pStyle", val=styles[style]))
        return element

    def write(element: Element, text: str, style: str | None = None) -> None:
        element.append(text_run(text, styles[style] if style else None))

    def pieces(element: Element, found: tuple[Piece, ...]) -> None:
        for piece in found:
            if piece.kind == "same":
                element.append(text_run(piece.text))
            else:
                deleted = piece.kind == "del"
                run = text_run(piece.text, deleted=deleted)
                element.append(tracked(piece.kind, [run], next(numbers), author, redline.date))

    title = said["title"].format(title=redline.title)
    write(paragraph("Title"), title)
    write(paragraph("Memo Body"), f"{redline.audience_label} ({redline.memo}/{redline.audience})")
    count = said["changes_one" if redline.count == 1 else "changes"].format(count=redline.count)
    changes = count if redline.changed else said["no_changes"]
    summary = said["from_to"].format(old=redline.old, new=redline.new, changes=changes)
    write(paragraph("Memo Body"), f"{summary} {said['tracked']}")
    for part in redline.parts:
        if not part.changes:
            line = paragraph("Memo Redline Unchanged")
            _write_phrase(said["unchanged"], "section", part.title, line, write)
            continue
        write(paragraph("heading 1"), part.title)
        for change in part.changes:
            line = paragraph("Memo Redline Change")
            write(line, said[change.kind].format(what=change.what), "Memo Label")
            write(line, f" {change.where}: ")
            pieces(line, change.pieces)
    properties = document.core_properties
    properties.title = title
    properties.subject = said["described"].format(old=redline.old, new=redline.new)
    properties.author = properties.last_modified_by = author
    properties.comments = ""
    properties.keywords = "redline"
    properties.revision = 1
    stamp = dt.datetime(redline.date.year, redline.date.month, redline.date.day)
    properties.created = properties.modified = properties.last_printed = stamp
    buffer = io.BytesIO()
    document.save(buffer)
    return reproducible_zip(buffer.getvalue(), redline.date)


def _write_phrase(
    phrase: str,
    name: str,
    value: str,
    line: Element,
    write: Callable[[Element, str, str | None], None],
) -> None:
    """Write a phrase into a paragraph, its placeholder `name` (its only one, as the
    phrasebook checks) filled with `value` in the label style, as the page shows it in
    bold ("**Grid**: unchanged.")."""
    for literal, field, _, _ in string.Formatter().parse(phrase):
        if literal:
            write(line, literal, None)
        if field == name:
            write(line, value, "Memo Label")
