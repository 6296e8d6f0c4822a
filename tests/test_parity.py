"""The Word file says what the printed page says, in the same order: it is converted from the
page's HTML, so a heading, a label or a note cannot be worded for one and not the other.

The HTML side is read here with BeautifulSoup and soupsieve, not with the converter's own
walk: its blocks are CSS's (a paragraph, a heading, a list item, a table cell, the text
between blocks), minus what print does not show, with `memo-styles.toml`'s [layout] read as
CSS selectors (what print hides, what it lays out as a block, where a fixed-width label or
blank leaves a gap). The Word side is every paragraph of the body, table cells row by row,
and the footnotes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from bs4 import BeautifulSoup, Comment, Doctype, NavigableString, Tag
from docx.oxml.ns import qn
from pypdf import PdfReader

from briefing import BuildReport, Project, build, check
from briefing.phrases import builtin_phrases
from briefing.render import render_html
from briefing.resolve import resolve_view
from briefing.wordmap import Rules, word_map

MEMO = "taliban-policy"
AUDIENCES = ("congressional", "principal", "public", "staff")
W_FOOTNOTES = "/word/footnotes.xml"

_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "th", "dt", "caption"} | {
    "html", "body", "header", "main", "footer", "section", "article", "div", "blockquote",
    "ul", "ol", "dl", "table", "thead", "tbody", "tr", "details", "figure",
}  # fmt: skip
"""Elements CSS lays out as blocks. A definition (`dd`) is not one here: it shares its term's
line, as it shares its row of the heading's grid on the page."""


def _normal(text: str) -> str:
    return " ".join(text.split())


def _selected(soup: BeautifulSoup, rules: Rules) -> list[Tag]:
    return [tag for selector in rules.selectors for tag in soup.select(selector.text)]


def html_text(html: str) -> tuple[list[str], list[str]]:
    """The printed page's blocks of text in reading order, and its footnotes' texts."""
    soup = BeautifulSoup(html, "html.parser")
    layout = word_map().layout
    for tag in [*soup.select("head"), *_selected(soup, layout.hidden)]:
        tag.decompose()
    notes = []
    for note in _selected(soup, layout.footnotes):
        notes.append(_normal(note.get_text()))
        note.decompose()
    blocks = {id(tag) for tag in _selected(soup, layout.blocks)}
    gaps = {id(tag) for tag in [*_selected(soup, layout.tab), *_selected(soup, layout.tab_after)]}
    found: list[str] = []
    line: list[str] = []

    def flush() -> None:
        text = _normal("".join(line))
        if text:
            found.append(text)
        line.clear()

    def walk(node: Tag) -> None:
        for child in node.children:
            if isinstance(child, Comment | Doctype):
                continue
            if isinstance(child, NavigableString):
                line.append(str(child))
                continue
            if not isinstance(child, Tag):
                continue
            block = child.name in _BLOCKS or id(child) in blocks
            if block:
                flush()
            if child.name == "br":
                line.append(" ")
            walk(child)
            if id(child) in gaps:
                line.append(" ")
            if block and child.name != "dt":  # its definitions continue the line
                flush()

    walk(soup)
    flush()
    return found, notes


def word_text(document: docx.document.Document) -> tuple[list[str], list[str]]:
    """The Word file's paragraphs in reading order (each table's cells row by row), and its
    footnotes' texts in the order Word numbers them."""
    found: list[str] = []
    for element in document.element.body:
        if element.tag == qn("w:p"):
            found.append(docx.text.paragraph.Paragraph(element, document).text)
        elif element.tag == qn("w:tbl"):
            for row in docx.table.Table(element, document).rows:
                for cell in row.cells:
                    found += [p.text for p in cell.paragraphs]
    part = next((p for p in document.part.package.iter_parts() if p.partname == W_FOOTNOTES), None)
    notes = []
    if part is not None:
        for note in docx.oxml.parse_xml(part.blob).findall(qn("w:footnote")):
            if int(note.get(qn("w:id"))) > 0:
                notes.append(_normal("".join(t.text or "" for t in note.iter(qn("w:t")))))
    calls = [int(c.get(qn("w:id"))) for c in document.element.body.iter(qn("w:footnoteReference"))]
    assert calls == list(range(1, len(notes) + 1)), "Word numbers the notes as they are called"
    return [t for t in (_normal(text) for text in found) if t], notes


def _page(project: Project, audience: str) -> str:
    view = resolve_view(check(project).content, MEMO, audience)
    return render_html(view, project.template_dirs, "pdf").html


def _word(project: Project, audience: str) -> docx.document.Document:
    return docx.Document(str(project.output / MEMO / f"{audience}.docx"))


@pytest.mark.parametrize("audience", AUDIENCES)
def test_the_word_file_says_what_the_page_says_in_its_order(
    default_build: tuple[Project, BuildReport], audience: str
) -> None:
    project, report = default_build
    assert not report.failures
    page_blocks, page_notes = html_text(_page(project, audience))
    word_blocks, word_notes = word_text(_word(project, audience))
    assert word_blocks == page_blocks
    assert word_notes == page_notes
    assert len(page_notes) == len(resolve_view(check(project).content, MEMO, audience).notes)


def test_a_sources_accessed_date_and_the_illustrative_key_read_as_on_the_page(
    project_copy: Path, edit: Callable[[Path, str, str], None], tmp_path: Path
) -> None:
    """The two drifts of the Word file laid out in Python: a source's `accessed` date, which
    the pages printed and Word dropped, and the illustrative key, worded differently."""
    edit(
        project_copy / "sources.yaml",
        "    url: https://mei.edu/publications/time-more-realistic-approach-afghanistan\n",
        "    url: https://mei.edu/publications/time-more-realistic-approach-afghanistan\n"
        "    accessed: 2026-11-02\n",
    )
    project = Project.at(project_copy, output=tmp_path / "out")
    report = build(project, audiences=["staff", "principal"], formats=["docx"])
    assert not report.failures, report.failures
    staff_blocks, staff_notes = word_text(_word(project, "staff"))
    assert (staff_blocks, staff_notes) == html_text(_page(project, "staff"))
    accessed = [t for t in [*staff_blocks, *staff_notes] if "accessed November 2, 2026" in t]
    assert any(t.startswith("Marvin G. Weinbaum") for t in accessed), "in the source list"
    principal_blocks, _ = word_text(_word(project, "principal"))
    key = "* Illustrative: an example of the form, not a record of any office\u2019s position"
    assert [t for t in principal_blocks if t.startswith("* Illustrative")] == [
        t for t in html_text(_page(project, "principal"))[0] if t.startswith("* Illustrative")
    ]
    assert any(t.startswith(key) for t in principal_blocks)


OVERRIDE = """\
{% extends "base.html.j2" %}
{% block body_class %}principal compact{% endblock %}
{% block sections %}{{ super() }}
<section id="talking-points" aria-labelledby="talking-points-h">
  <h2 id="talking-points-h">Talking points for the bilateral</h2>
  <ul><li>Raise girls' schooling first.</li><li>Ask for the counterterrorism liaison.</li></ul>
</section>
{% endblock %}
"""
BLUF_PARTIAL = """\
<section id="bluf" aria-labelledby="bluf-h">
  <h2 id="bluf-h">Bottom line</h2>
  <p class="bluf" data-lines="bluf">{{ view.memo.bluf | md }}</p>
  <p class="bluf-aside">This paragraph was added by the office's own template.</p>
</section>
"""


def test_a_template_override_reaches_the_word_file(
    project_copy: Path, edit: Callable[[Path, str, str], None], tmp_path: Path
) -> None:
    """A user's principal.html.j2 adding a whole section and an overridden partial adding a
    paragraph: both are on the printed page and in the Word file, in the same place, with
    no change to briefing."""
    # The added section takes the principal past its page budget, which is not what is
    # tested here: the profile's budget (whatever it is) is lifted.
    profile = project_copy / "audiences" / "principal.yaml"
    budget = re.search(r"^page_budget: .*\n", profile.read_text(encoding="utf-8"), re.M)
    assert budget is not None, f"no page budget in {profile}"
    edit(profile, budget.group(0), "")
    mine = tmp_path / "templates"
    (mine / "partials").mkdir(parents=True)
    (mine / "principal.html.j2").write_text(OVERRIDE, encoding="utf-8")
    (mine / "partials" / "bluf.html.j2").write_text(BLUF_PARTIAL, encoding="utf-8")
    project = Project.at(project_copy, output=tmp_path / "out", templates=mine)
    report = build(project, audiences=["principal"], formats=["pdf", "docx"])
    assert not report.failures, report.failures
    pdf = " ".join(
        _normal(page.extract_text())
        for page in PdfReader(project.output / MEMO / "principal.pdf").pages
    )
    word_blocks, word_notes = word_text(_word(project, "principal"))
    assert (word_blocks, word_notes) == html_text(_page(project, "principal"))
    added = [
        "This paragraph was added by the office's own template.",
        "Talking points for the bilateral",
        "Raise girls' schooling first.",
        "Ask for the counterterrorism liaison.",
    ]
    for text in added:
        assert text in word_blocks, text
        assert text.casefold() in pdf.casefold(), text  # the print CSS capitalises headings
    document = _word(project, "principal")
    heading = next(p for p in document.paragraphs if p.text == added[1])
    assert heading.style is not None
    assert heading.style.name == "Heading 1", "an h2, as every section's heading"
    view = resolve_view(check(project).content, MEMO, "principal")
    assert view.sections[-1] == "attachments", "the premise: the tabs end the memo"
    last = view.tabs[-1]
    tab = f"{builtin_phrases().labels['tab'].format(letter=last.letter)} \u2014 {last.title}"
    assert word_blocks.index(added[1]) > word_blocks.index(tab), "after the last section"


def test_an_audience_extending_the_public_template_opens_as_a_publication_in_word(
    project_copy: Path, tmp_path: Path
) -> None:
    """The probe of the architecture review: an audience `press` whose template extends
    public.html.j2 gets a publication's heading on its pages, and the same in Word: no
    From, Subject or Date lines, and no "Drafted by"."""
    profile = (project_copy / "audiences" / "public.yaml").read_text(encoding="utf-8")
    (project_copy / "audiences" / "press.yaml").write_text(
        profile.replace("template: public.html.j2", "template: press.html.j2"), encoding="utf-8"
    )
    mine = tmp_path / "templates"
    mine.mkdir()
    (mine / "press.html.j2").write_text('{% extends "public.html.j2" %}\n', encoding="utf-8")
    project = Project.at(project_copy, output=tmp_path / "out", templates=mine)
    report = build(project, audiences=["press"], formats=["docx"])
    assert not report.failures, report.failures
    word_blocks, word_notes = word_text(_word(project, "press"))
    assert (word_blocks, word_notes) == html_text(_page(project, "press"))
    lines = [t.lower() for t in word_blocks]
    assert not [t for t in lines if t.startswith(("from:", "subject:", "date:", "drafted by"))]
    view = resolve_view(check(project).content, MEMO, "press")
    assert word_blocks[:2] == [view.memo.title, view.memo.subject]
