"""The Word output, read back with python-docx as an office's tools would read it."""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import lxml.html
import pytest
import yaml
from docx.oxml.ns import qn

from briefing import BuildReport, Project, build, check, formats
from briefing.docx import bookmark_name
from briefing.docxstyles import MEMO_STYLES
from briefing.errors import ContentError
from briefing.formats import FORMATS
from briefing.markup import inline, quoted, typeset
from briefing.phrases import builtin_phrases
from briefing.render import render_html
from briefing.resolve import MemoView, resolve_view
from briefing.wordmap import word_map

MEMO = "taliban-policy"
AUDIENCES = ("congressional", "principal", "public", "staff")
W_FOOTNOTES = "/word/footnotes.xml"
PHRASES = builtin_phrases()
"""The built-in words, which the shipped templates print."""


def _docx(project: Project, audience: str) -> docx.document.Document:
    return docx.Document(str(project.output / MEMO / f"{audience}.docx"))


def _view(project: Project, audience: str) -> MemoView:
    return resolve_view(check(project).content, MEMO, audience)


def _page(project: Project, audience: str) -> lxml.html.HtmlElement:
    """The audience's printed page as HTML: what its Word file is converted from."""
    html = render_html(_view(project, audience), project.template_dirs, "pdf").html
    return lxml.html.document_fromstring(html)


def _shown(element: lxml.html.HtmlElement) -> str:
    """An element's text as the page shows it, without its footnotes' text."""
    element = copy.deepcopy(element)
    for note in element.xpath(".//span[contains(@class, 'footnote')]"):
        note.drop_tree()
    return " ".join(element.text_content().split())


def _footnotes(document: docx.document.Document) -> list[object]:
    part = next(p for p in document.part.package.iter_parts() if p.partname == W_FOOTNOTES)
    root = docx.oxml.parse_xml(part.blob)
    return [n for n in root.findall(qn("w:footnote")) if int(n.get(qn("w:id"))) > 0]


def _styles_used(document: docx.document.Document) -> set[str]:
    return {p.style.name for p in document.paragraphs if p.style is not None}


def _before_annex(document: docx.document.Document) -> list[docx.text.paragraph.Paragraph]:
    """The memo's paragraphs, up to its evidence annex (all of them where it has none)."""
    paragraphs = document.paragraphs
    starts = [i for i, p in enumerate(paragraphs) if p.style.name == "Memo Annex Title"]
    return paragraphs[: starts[0]] if starts else paragraphs


def test_every_audience_gets_a_docx_listed_in_the_index(
    default_build: tuple[Project, BuildReport],
) -> None:
    project, report = default_build
    assert not report.failures
    for audience in AUDIENCES:
        assert (project.output / MEMO / f"{audience}.docx").is_file()
    index = (project.output / "index.html").read_text(encoding="utf-8")
    for audience in AUDIENCES:
        assert f'href="{MEMO}/{audience}.docx"' in index
    assert not FORMATS["docx"].live, "watch rebuilds DOCX after the pages it reloads"


def test_headings_and_styles_follow_the_profile(
    default_build: tuple[Project, BuildReport],
) -> None:
    project, _ = default_build
    staff = _docx(project, "staff")
    page = _page(project, "staff")
    [title] = [p.text for p in staff.paragraphs if p.style.name == "Title"]
    assert [title] == [_shown(h) for h in page.iter("h1")] == ["OPTIONS MEMO FOR POLICY STAFF"]
    headings = [p.text for p in staff.paragraphs if p.style.name == "Heading 1"]
    sections = [_shown(h) for h in page.xpath("//main/section[not(@id='annex')]/h2")]
    assert headings == sections, "each section's heading, in the staff profile's order"
    view = _view(project, "staff")
    assert len(sections) == len(view.sections)
    titles = builtin_phrases().sections
    assert sections[:3] == [titles[name] for name in view.sections[:3]]
    body = _before_annex(staff)
    options = [p.text for p in body if p.style.name == "Heading 2"]
    assert options == [_shown(h) for h in page.xpath("//section[@id='options']//h3")]
    assert [o.split(":")[0] for o in options] == [f"Option {o.number}" for o in view.options]
    used = _styles_used(staff)
    for style in ("Memo BLUF", "Memo Claim", "Memo Quote", "Memo Issue", "Memo Source"):
        assert style in used, style
    claims = [p.text for p in staff.paragraphs if p.style.name == "Memo Claim"]
    shown = [point for o in view.options for g in o.groups for point in g.points]
    items = [*view.actions, *view.benchmarks, *view.resources]  # the recommendation's
    assert len(claims) == len(items) + len(shown)
    recommendation_first = view.sections.index("recommendation") < view.sections.index("options")
    first = (items[0] if recommendation_first else shown[0]).text
    assert claims[0].split()[:4] == first.split()[:4], "the first claim as the page reads"
    normal = staff.styles["Normal"].font
    assert normal.name == "Liberation Serif"
    assert normal.size is not None
    fonts = next(p for p in staff.part.package.iter_parts() if p.partname == "/word/fontTable.xml")
    assert b'w:name="Liberation Serif"><w:altName w:val="Times New Roman"/>' in fonts.blob
    assert normal.size.pt == view.audience.font_size, "the body size the profile sets"
    # styles, not direct formatting: a run names at most a character style
    body = staff.element.body
    for properties in body.iter(qn("w:rPr")):
        assert [child.tag for child in properties] == [qn("w:rStyle")]
    principal = _docx(project, "principal")
    brief = _view(project, "principal")
    listed = [p.text for p in principal.paragraphs if p.style.name == "Memo Claim"]
    items = [*brief.actions, *brief.benchmarks, *brief.resources]
    assert [text.split(" (")[0].rstrip("\u2020") for text in listed] == [
        inline(item.text).striptags().split(" (")[0] for item in items
    ], "the principal sees no option's claims: only what the recommendation sets in motion"
    assert "Memo Quote" not in _styles_used(principal)


def test_the_congressional_brief_opens_with_its_title_block(
    default_build: tuple[Project, BuildReport],
) -> None:
    """As its PDF does: the form, the title, "Updated <date>" and the analyst, not the
    FROM / SUBJECT / DATE lines of a memo."""
    project, _ = default_build
    brief = _docx(project, "congressional")
    view = _view(project, "congressional")
    analyst = view.analyst
    assert analyst is not None
    assert analyst.name
    assert analyst.title
    texts = [p.text for p in brief.paragraphs]
    assert [p.text for p in brief.paragraphs if p.style.name == "Title"] == [view.memo.title]
    assert f"Updated {PHRASES.written(view.memo.date)}" in texts
    [author] = [p.text for p in brief.paragraphs if p.style.name == "Memo Author"]
    assert author.startswith(f"{analyst.name}, {analyst.title}")
    assert analyst.illustrative
    assert author.endswith(PHRASES.heading["illustrative"])
    assert not [t for t in texts if t.lower().startswith(("from:", "subject:", "drafted by"))]
    # Every shipped issue cites its sources: nothing is marked as the office's framing.
    assert not [t for t in texts if PHRASES.marks["own_framing"] in t]
    assert PHRASES.keys["framing"] not in texts
    staff = _docx(project, "staff")
    assert [p.text for p in staff.paragraphs if p.style.name == "Memo Author"] == []


def test_the_brief_gives_a_contact_and_the_offices_framing_as_its_page_does(
    project_copy: Path, edit: Callable[[Path, str, str], None], tmp_path: Path
) -> None:
    """The memo names the analyst's contact, and its last issue for Congress is the office's
    own question (`judgment: true`, no evidence): the Word file gives both, and explains the
    mark, as the page does."""
    memo = project_copy / "memos" / f"{MEMO}.yaml"
    edit(memo, "\nanalyst:\n", "\nanalyst:\n  contact: analyst@example.org\n")
    text = memo.read_text(encoding="utf-8")
    begin = text.index("\nissues_for_congress:\n") + len("\nissues_for_congress:\n")
    after = re.search(r"^\S", text[begin:], re.MULTILINE)  # the next top-level key, if any
    end = begin + after.start() if after else len(text)
    evidence = text.index("    evidence:\n", text.rindex("\n  - topic: ", begin - 1, end))
    memo.write_text(text[:evidence] + "    judgment: true\n" + text[end:], encoding="utf-8")
    issue = yaml.safe_load(memo.read_text(encoding="utf-8"))["issues_for_congress"][-1]
    assert issue["judgment"] is True
    assert "evidence" not in issue
    project = Project.at(project_copy, output=tmp_path)
    report = build(project, audiences=["congressional"], formats=["docx"])
    assert not report.failures
    brief = _docx(project, "congressional")
    texts = [p.text for p in brief.paragraphs]
    [author] = [p.text for p in brief.paragraphs if p.style.name == "Memo Author"]
    assert "\u00b7 analyst@example.org" in author
    assert author.endswith(PHRASES.heading["illustrative"])
    framed = [t for t in texts if t.endswith(" " + PHRASES.marks["own_framing"])]
    wording = " ".join(issue["text"].split()[:6])
    assert [t[: len(wording)] for t in framed] == [wording], "the office's own question is marked"
    assert PHRASES.keys["framing"] in texts, "and the mark explained, as on the page"


@pytest.mark.parametrize("audience", AUDIENCES)
def test_each_note_is_a_real_footnote(
    default_build: tuple[Project, BuildReport], audience: str
) -> None:
    project, _ = default_build
    document = _docx(project, audience)
    view = _view(project, audience)
    calls = list(document.element.body.iter(qn("w:footnoteReference")))
    assert len(_footnotes(document)) == len(view.notes) == len(calls)
    rels = [r.reltype for r in document.part.rels.values()]
    assert any(r.endswith("/footnotes") for r in rels)


def test_footnotes_give_the_references(default_build: tuple[Project, BuildReport]) -> None:
    project, _ = default_build
    document = _docx(project, "staff")
    view = _view(project, "staff")
    first = _footnotes(document)[0]
    text = "".join(t.text for t in first.iter(qn("w:t")))  # type: ignore[attr-defined]
    reference = view.notes[0].references[0].source
    assert reference.source.title in text
    assert text.rstrip().endswith((".", ".\u201d"))


def test_grid_is_a_table_with_a_repeating_header_row(
    default_build: tuple[Project, BuildReport],
) -> None:
    project, _ = default_build
    document = _docx(project, "principal")
    view = _view(project, "principal")
    grid, coordination = document.tables  # the grid, then who concurs
    assert [c.text for c in coordination.rows[0].cells] == ["Office", "Stance", "Reasons"]
    header = grid.rows[0]
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    labels = [typeset(c.label).unescape() for c in view.criteria]
    assert [c.text for c in header.cells] == ["Option", *labels]
    assert len(grid.rows) == 1 + len(view.options)
    for row, option in zip(grid.rows[1:], view.options, strict=True):
        assert row.cells[0].text.startswith(f"{option.number}. ")
        for cell, criterion in zip(row.cells[1:], view.criteria, strict=True):
            shown = option.cells[criterion.id]
            assert cell.text == f"{shown.symbol} {PHRASES.ratings[shown.rating.value]}"
    assert grid.style is not None
    assert grid.style.name == "Memo Grid"
    staff = _docx(project, "staff")
    grid = next(t for t in staff.tables if t.rows[0].cells[0].text == "Option")
    rationale = grid.rows[1].cells[1].paragraphs
    assert len(rationale) == 2, "the staff see each cell's rationale under its rating"


def test_properties_header_footer_and_bookmarks(
    default_build: tuple[Project, BuildReport],
) -> None:
    project, _ = default_build
    document = _docx(project, "principal")
    view = _view(project, "principal")
    properties = document.core_properties
    page = _page(project, "principal")
    assert properties.title == page.findtext(".//title") == view.title
    assert properties.author == view.memo.from_, "the principal's memo is from the memo's FROM"
    assert view.audience.from_ is None
    assert properties.subject == view.memo.subject
    assert properties.keywords == ", ".join(c.label for c in view.criteria)
    dated = dt.datetime.combine(view.memo.date, dt.time(), tzinfo=dt.UTC)
    assert properties.created == properties.modified == dated, "the memo's date, not today's"
    section = document.sections[0]
    header = "\n".join(p.text for p in section.header.paragraphs)
    footer_element = section.footer._element
    assert "SENSITIVE BUT UNCLASSIFIED//PRE-DECISIONAL//DELIBERATIVE" in header
    fields = [t.text.strip() for t in footer_element.iter(qn("w:instrText"))]
    assert fields == ["PAGE \\* Arabic", "NUMPAGES \\* Arabic"]
    assert "Page 1 of 1" in "".join(p.text for p in section.footer.paragraphs)
    assert abs(section.page_width.inches - 8.5) < 0.01
    assert abs(section.left_margin.inches - 1) < 0.01
    marks = {b.get(qn("w:name")) for b in document.element.body.iter(qn("w:bookmarkStart"))}
    linked = {
        str(a.get("href"))[1:]
        for a in page.iter("a")
        if str(a.get("href")).startswith("#") and "note-call" not in str(a.get("class"))
    }
    assert {bookmark_name(anchor) for anchor in linked} == marks, "every id a link leads to"
    assert {f"option_{o.id.replace('-', '_')}" for o in view.options} <= marks
    public = _docx(project, "public").sections[0]
    assert "UNCLASSIFIED" not in "".join(p.text for p in public.header.paragraphs)


def test_same_content_gives_the_same_bytes(default_build: tuple[Project, BuildReport]) -> None:
    project, _ = default_build
    view = _view(project, "staff")
    again = formats.MEMO.render("docx", view, project).data
    assert again == (project.output / MEMO / "staff.docx").read_bytes()
    with zipfile.ZipFile(io.BytesIO(again)) as package:
        dated = (*view.memo.date.timetuple()[:3], 0, 0, 0)
        assert {info.date_time for info in package.infolist()} == {dated}, "the memo's date"
        assert package.namelist()[0] == "[Content_Types].xml"
        assert "docProps/thumbnail.jpeg" not in package.namelist()


def test_content_switches_and_hostile_text(
    project_copy: Path, edit: Callable[[Path, str, str], None], tmp_path: Path
) -> None:
    position = project_copy / "positions" / "status-quo.yaml"
    hostile = '<w:t>x</w:t>]]><w:fldSimple w:instr="PAGE"/>{ MERGEFIELD x } &amp; *kept*'
    edit(position, "summary: >-\n", f"summary: >-\n  {hostile}\n")
    edit(position, "cons:\n  - text: >-\n", "cons:\n  - except: [staff]\n    text: >-\n")
    profile = project_copy / "audiences" / "staff.yaml"
    edit(profile, "marking: SENSITIVE BUT UNCLASSIFIED", 'marking: "{ PAGE } <w:br/>"')
    project = Project.at(project_copy, output=tmp_path / "out")
    report = build(project, audiences=["staff"], formats=["docx"])
    assert not report.failures
    document = _docx(project, "staff")
    text = "\n".join(p.text for p in document.paragraphs)
    assert "<w:t>x</w:t>]]><w:fldSimple w:instr=\u201cPAGE\u201d/>{ MERGEFIELD x } & kept" in text
    assert not list(document.element.body.iter(qn("w:fldSimple")))
    assert not list(document.element.body.iter(qn("w:instrText")))
    header = document.sections[0].header
    assert header.paragraphs[0].text == "{ PAGE } <w:br/>//PRE-DECISIONAL//DELIBERATIVE"
    assert not list(header._element.iter(qn("w:instrText")))
    emphasis = [r.style.name for p in document.paragraphs for r in p.runs if r.text == "kept"]
    assert emphasis == ["Emphasis"]
    withheld = "Has not moved the Taliban"
    assert withheld not in text, "a con withheld from the staff is not in their memo"
    public = build(project, audiences=["public"], formats=["docx"])
    assert not public.failures
    assert withheld in "\n".join(p.text for p in _docx(project, "public").paragraphs)


def _office_template(path: Path, size: int = 15, without: tuple[str, ...] = ()) -> None:
    """A reference template an office might keep: its own BLUF style and its own Normal, and
    `without` the styles named (as a template saved from Word may lack them)."""
    document = docx.Document()
    bluf = document.styles.add_style("Memo BLUF", docx.enum.style.WD_STYLE_TYPE.PARAGRAPH)
    bluf.font.size = docx.shared.Pt(size)
    document.styles["Normal"].font.name = "Office Serif"
    for name in without:
        document.styles[name].delete()
    document.add_paragraph("Template text that must not reach the memo.")
    document.save(str(path))


def _with_office_template(
    project_copy: Path, edit: Callable[[Path, str, str], None], tmp_path: Path, audience: str
) -> Project:
    """The project, its `audience` profile naming office.docx in a templates folder of its
    own, and its first DOCX build done without failures."""
    profile = project_copy / "audiences" / f"{audience}.yaml"
    edit(profile, "paper: letter", "paper: letter\ndocx_template: office.docx")
    project = Project.at(project_copy, output=tmp_path / "out", templates=tmp_path / "my")
    report = build(project, audiences=[audience], formats=["docx"])
    assert not report.failures, report.failures
    return project


def test_a_reference_template_restyles_the_memo(
    project_copy: Path, edit: Callable[[Path, str, str], None], tmp_path: Path
) -> None:
    mine = tmp_path / "my"
    mine.mkdir()
    _office_template(mine / "office.docx")
    project = _with_office_template(project_copy, edit, tmp_path, "principal")
    document = _docx(project, "principal")
    assert document.styles["Memo BLUF"].font.size == docx.shared.Pt(15)
    assert document.styles["Normal"].font.name == "Office Serif", "the office's Normal is kept"
    assert "Memo Claim" in [s.name for s in document.styles], "missing styles are added"
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Template text" not in text
    assert "DECISION MEMO FOR THE SECRETARY" in text
    assert not build(project, audiences=["principal"], formats=["docx"]).written
    _office_template(mine / "office.docx", size=16)
    assert build(project, audiences=["principal"], formats=["docx"]).written, "keyed on it"
    assert _docx(project, "principal").styles["Memo BLUF"].font.size == docx.shared.Pt(16)


def test_a_template_not_found_or_outside_is_refused(
    project_copy: Path, edit: Callable[[Path, str, str], None], tmp_path: Path
) -> None:
    mine = tmp_path / "my-templates"
    mine.mkdir()
    secret = tmp_path / "secret.docx"
    _office_template(secret)
    (mine / "linked.docx").symlink_to(secret)
    (mine / "text.docx").write_text("not a zip")
    profile = project_copy / "audiences" / "principal.yaml"
    original = profile.read_text()
    project = Project.at(project_copy, output=tmp_path / "out", templates=mine)
    for name, code in (("missing", "B415"), ("linked", "B415"), ("text", "B416")):
        profile.write_text(
            original.replace("paper: letter", f"paper: letter\ndocx_template: {name}.docx")
        )
        report = build(project, audiences=["principal"], formats=["docx"])
        [failure] = report.failures
        assert failure.code == code, (name, failure)
    edit(profile, "docx_template: text.docx", "docx_template: ../secret.docx")
    with pytest.raises(ContentError) as raised:
        check(project)
    assert "without '..'" in str(raised.value.problems[0].message)


@pytest.mark.parametrize("audience", ["staff", "public"])
def test_the_evidence_annex_carries_every_quotation(
    default_build: tuple[Project, BuildReport], audience: str
) -> None:
    """As the PDF does: the body's claims cite, and the quotations are in the annex, on a page
    of its own, numbered as the footnotes of the claims they back; the methods paragraph
    counts exactly the quotations the Word file shows."""
    project, _ = default_build
    document = _docx(project, audience)
    view = _view(project, audience)
    paragraphs = document.paragraphs
    body = _before_annex(document)
    annex = paragraphs[len(body) :]
    assert annex[0].text == (view.annex_title or PHRASES.annex["title"])
    assert annex[0].style.base_style.name == "Heading 1"
    pPr = annex[0].style.element.pPr
    assert pPr is not None
    assert pPr.find(qn("w:pageBreakBefore")) is not None
    assert not [p for p in body if p.style.name == "Memo Quote"], "no quotation in the body"
    quotes = [p.text for p in annex if p.style.name == "Memo Quote"]
    wanted = [quoted(q.text).unescape() for point in view.annex_points() for q in point.quotes]
    assert [q.split("\u201d \u2014 ")[0].lstrip("\u201c") for q in quotes] == wanted
    methods = [p.text for p in body if p.text.startswith("It draws on")]
    if "methods" in view.sections:  # the public brief says how it was prepared
        assert f"Each of the {len(quotes)} quotations in the annex at the end" in methods[0]
    else:
        assert methods == []
    # The number before a claim in the annex is the footnote of that claim in the body.
    calls = {}  # footnote number (Word counts them in document order) to its paragraph
    for element in document.element.body.iter(qn("w:p")):  # tables' paragraphs too
        if element is annex[0]._p:
            break
        text = "".join(t.text or "" for t in element.iter(qn("w:t")))
        for _ in element.iter(qn("w:footnoteReference")):
            calls[len(calls) + 1] = text
    assert len(calls) == len(view.notes)
    numbered = [p.text for p in annex if p.style.name == "Memo Annex Claim" and p.text[0].isdigit()]
    assert len(numbered) > 10
    for entry in numbered:
        number, rest = entry.split(" ", 1)
        claim = rest.split(": ", 1)[1]
        assert not claim.endswith("\u2191"), "on paper the number leads back, not an arrow"
        assert claim[:60] in calls[int(number)], (number, claim)
    # Each footnote leads to the claim's quotations, and each numbered entry back: every
    # internal link lands on a bookmark.
    marks = {b.get(qn("w:name")) for b in document.element.body.iter(qn("w:bookmarkStart"))}
    links = [h.get(qn("w:anchor")) for h in document.element.body.iter(qn("w:hyperlink"))]
    notes = [
        "".join(t.text for t in n.iter(qn("w:t")))  # type: ignore[attr-defined]
        for n in _footnotes(document)
    ]
    short = view.annex_short or PHRASES.annex["short"]
    assert all(text.endswith(f" See {short}.") for text in notes)
    part = next(p for p in document.part.package.iter_parts() if p.partname == W_FOOTNOTES)
    links += [h.get(qn("w:anchor")) for h in docx.oxml.parse_xml(part.blob).iter(qn("w:hyperlink"))]
    assert len(links) >= len(notes) + len(numbered)
    assert set(links) <= marks, set(links) - marks


def test_the_public_brief_opens_and_closes_as_its_pages_do(
    default_build: tuple[Project, BuildReport],
) -> None:
    """A publication: the title, the subject and a byline, not a memo's FROM / SUBJECT lines;
    no drafting line at the end; a single pro headed "Pro", as on the page."""
    project, _ = default_build
    public = _docx(project, "public")
    view = _view(project, "public")
    texts = [p.text for p in public.paragraphs]
    assert view.form == "publication"
    byline = f"{view.sender} \u00b7 {PHRASES.written(view.memo.date)}"
    assert texts[:3] == [view.memo.title, view.memo.subject, byline]
    assert not [t for t in texts if t.lower().startswith(("from:", "subject:", "drafted by"))]
    headings = {p.text for p in _before_annex(public) if p.style.name == "Heading 3"}
    singles = {PHRASES.claim[g.kind] for o in view.options for g in o.groups if not g.plural}
    assert singles
    assert singles <= headings
    staff = [p.text for p in _docx(project, "staff").paragraphs]
    assert any(t.startswith("Drafted by:") for t in staff), "a memo keeps its drafting line"


def test_a_reference_template_without_headings_gets_them(
    project_copy: Path, edit: Callable[[Path, str, str], None], tmp_path: Path
) -> None:
    """A template saved from Word often holds Title and the headings only as latent styles:
    the staff memo, with its options, groups and annex headings, is still written."""
    (tmp_path / "my").mkdir()
    headings = ("Title", "Heading 1", "Heading 2", "Heading 3")
    _office_template(tmp_path / "my" / "office.docx", without=headings)
    project = _with_office_template(project_copy, edit, tmp_path, "staff")
    document = _docx(project, "staff")
    used = _styles_used(document)
    assert {"Title", "Heading 1", "Heading 2", "Heading 3", "Memo Annex Title"} <= used
    assert document.styles["Heading 2"].element.pPr.find(qn("w:outlineLvl")) is not None


def test_every_style_the_map_names_is_one_briefing_can_add() -> None:
    """memo-styles.toml's [map] and [page] name only styles its lists define (so a memo
    written with briefing's template has each one), each of the kind its use needs."""
    kinds = {spec.name: spec.kind for spec in MEMO_STYLES}
    mapping = word_map()
    assert set(mapping.style_names()) <= set(kinds), set(mapping.style_names()) - set(kinds)
    assert {kinds[name] for name in mapping.page.values()} == {"paragraph"}
    tables = [k.text for k, n in zip(mapping.keys.selectors, mapping.names, strict=True)
              if kinds[n] == "table"]  # fmt: skip
    assert tables == ["table"]
