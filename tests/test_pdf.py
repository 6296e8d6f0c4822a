"""The PDFs are real: read back with pypdf for pages, text and metadata."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag
from conftest import BuiltPdfs
from pypdf import PdfReader

from briefing import BuildReport, Project, build
from briefing.content import Content
from briefing.formats import MEMO
from briefing.phrases import builtin_phrases
from briefing.resolve import resolve_view

PHRASES = builtin_phrases()
"""The built-in words, which the shipped templates print."""


def _text(pages: list[str]) -> str:
    return re.sub(r"\s+", " ", " ".join(pages))


def _content(report: BuildReport) -> Content:
    return report.checked.content


@pytest.mark.parametrize("audience", ["principal", "staff", "congressional", "public"])
def test_pdf_holds_every_option_and_source(
    default_build: tuple[Project, BuildReport], default_pdfs: BuiltPdfs, audience: str
) -> None:
    _, report = default_build
    content = _content(report)
    assert content.memos
    for memo_id, memo in content.memos.items():
        reader = default_pdfs.reader(audience, memo_id)
        text = _text(default_pdfs.pages(audience, memo_id))
        for option in memo.options:
            assert content.positions[option.position].title in text
        sections = content.audiences[audience].sections
        view = resolve_view(content, memo_id, audience)
        if "sources" not in sections and "attachments" in sections:
            # The principal's memo lists no sources: the staff memo, one of its tabs, does.
            [staff] = [tab for tab in view.tabs if tab.audience == "staff"]
            tab = PHRASES.labels["tab"].format(letter=staff.letter)
            assert f"{tab} \u2014 {staff.title}" in text
        else:
            for cited in view.sources:
                source = cited.source
                assert source.title in text, f"{source.id} missing from {audience} PDF"
        assert reader.metadata is not None
        assert reader.metadata.title == f"{content.audiences[audience].label}: {memo.title}"
        # Who the document is from: the profile's sender where it names one, else the memo's.
        sender = content.audiences[audience].from_ or memo.from_
        assert reader.metadata.author == sender


def test_principal_fits_its_budget_and_staff_is_the_full_memo(
    default_build: tuple[Project, BuildReport], default_pdfs: BuiltPdfs
) -> None:
    _, report = default_build
    content = _content(report)
    budget = content.audiences["principal"].page_budget
    assert budget == 2
    principal = default_pdfs.reader("principal")
    staff = default_pdfs.reader("staff")
    assert 1 <= len(principal.pages) <= budget
    assert len(staff.pages) > len(principal.pages)


def test_principal_carries_the_decision_memo_form(
    default_build: tuple[Project, BuildReport], default_pdfs: BuiltPdfs
) -> None:
    _, report = default_build
    content = _content(report)
    profile = content.audiences["principal"]
    pages = default_pdfs.pages("principal")
    first = re.sub(r"\s+", " ", pages[0])
    assert "DECISION MEMO FOR THE SECRETARY" in first
    assert "SUBJECT:" in first
    assert PHRASES.written(content.memos["taliban-policy"].date) in first
    assert "ISSUE FOR DECISION" in first
    # The decision lines the principal signs, on the first page as State has them.
    assert profile.decision_lines
    for line in profile.decision_lines:
        assert line in first
    for page in pages:
        assert page.count("SENSITIVE BUT UNCLASSIFIED") == 2, "banner top and bottom"
    last = re.sub(r"\s+", " ", pages[-1])
    assert f"Page {len(pages)} of {len(pages)}" in last


def test_staff_quotes_its_evidence_with_citations(
    default_build: tuple[Project, BuildReport], default_pdfs: BuiltPdfs
) -> None:
    _, report = default_build
    content = _content(report)
    text = _text(default_pdfs.pages("staff"))
    first_con = content.positions["status-quo"].cons[0].evidence[0].quote
    assert re.sub(r"\s+", " ", first_con)[:60] in text.replace("\u2019", "'")
    assert "author not named" not in text.lower()  # left out, as Chicago does
    assert "n.d." in text


def test_missing_metadata_renders_as_such(default_build: tuple[Project, BuildReport]) -> None:
    project, report = default_build
    content = _content(report)
    assert content.sources["usip"].author is None
    assert content.sources["weinbaum"].date is None
    html = (project.output / "taliban-policy" / "staff.html").read_text(encoding="utf-8")
    # Chicago leaves out what the source does not give: no author, the title begins.
    assert "Author not named" not in html
    assert re.search(r"(?:^|[>;] ?)\u201cA Shift Toward More Engagement", html)
    assert "Middle East Institute</i>, n.d." in html


def test_rebuild_gives_identical_bytes(
    default_build: tuple[Project, BuildReport], tmp_path: Path
) -> None:
    project, _ = default_build
    again = Project.at(project.content, output=tmp_path)
    report = build(again, audiences=["principal"])
    memos = [output.path(tmp_path) for output in report.written]
    assert len(memos) == len(MEMO.names)
    for path in memos:
        first = project.output / path.relative_to(tmp_path)
        assert path.read_bytes() == first.read_bytes(), f"{path.name} differs between builds"


def _fonts(reader: PdfReader) -> dict[str, bool]:
    """Font name to whether its program is embedded, over every page."""
    found = {}
    for page in reader.pages:
        for reference in page["/Resources"].get("/Font", {}).values():
            font = reference.get_object()
            descendants = font.get("/DescendantFonts")
            described = descendants[0].get_object() if descendants else font
            descriptor = described["/FontDescriptor"].get_object()
            embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            found[str(font["/BaseFont"]).split("+")[-1]] = embedded
    return found


@pytest.mark.parametrize("audience", ["principal", "staff", "congressional", "public"])
def test_pdf_is_tagged_with_language_bookmarks_and_bundled_fonts(
    default_build: tuple[Project, BuildReport], default_pdfs: BuiltPdfs, audience: str
) -> None:
    project, report = default_build
    reader = default_pdfs.reader(audience)
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "en"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert 'pdfuaid:part="1"' in xmp
    # A bookmark for each section the profile lists, under its heading and in its order, and
    # for an evidence annex (not for the notes: on paper they are footnotes).
    html = (project.output / "taliban-policy" / f"{audience}.html").read_text(encoding="utf-8")
    main = BeautifulSoup(html, "html.parser").find("main")
    assert isinstance(main, Tag)
    sections = [s for s in main.find_all("section", recursive=False) if s["id"] != "notes"]
    assert len([s for s in sections if s["id"] != "annex"]) == len(
        report.checked.content.audiences[audience].sections
    )
    headings = [h2.get_text(" ", strip=True) for s in sections for h2 in s.find_all("h2", limit=1)]
    assert len(headings) == len(sections)
    titles = iter(str(item.title) for item in _flatten(reader.outline))  # in order: `in` eats it
    assert all(heading in titles for heading in headings), (headings, reader.outline)
    memo = report.checked.content.memos["taliban-policy"]
    assert reader.metadata is not None
    assert reader.metadata.subject == memo.subject
    assert reader.metadata.creation_date is not None
    assert reader.metadata.creation_date.date() == memo.date
    fonts = _fonts(reader)
    assert fonts, "no fonts found"
    assert all(fonts.values()), f"fonts not embedded: {fonts}"
    assert all(name.startswith("Liberation") for name in fonts), fonts


def _flatten(outline: list[Any]) -> list[Any]:
    return [
        leaf for item in outline for leaf in (_flatten(item) if isinstance(item, list) else [item])
    ]


def test_staff_bookmarks_reach_every_option(
    default_build: tuple[Project, BuildReport], default_pdfs: BuiltPdfs
) -> None:
    _, report = default_build
    content = report.checked.content
    reader = default_pdfs.reader("staff")
    titles = [str(item.title) for item in _flatten(reader.outline)]
    for number, option in enumerate(content.memos["taliban-policy"].options, start=1):
        title = content.positions[option.position].title
        assert any(t.startswith(f"Option {number}: {title}") for t in titles), title


def test_names_in_arabic_script_use_the_bundled_arabic_font(
    project_copy: Path, edit: Callable[[Path, str, str], None], tmp_path: Path
) -> None:
    edit(
        project_copy / "memos" / "taliban-policy.yaml",
        "subject: >-\n",
        "subject: >-\n  (د افغانستان اسلامي امارت)\n",
    )
    report = build(
        Project.at(project_copy, output=tmp_path), audiences=["principal"], formats=["pdf"]
    )
    assert not report.failures
    fonts = _fonts(PdfReader(tmp_path / "taliban-policy" / "principal.pdf"))
    assert fonts.get("Noto-Naskh-Arabic") is True


def test_pdf_a_on_request(
    project_copy: Path, edit: Callable[[Path, str, str], None], tmp_path: Path
) -> None:
    edit(
        project_copy / "audiences" / "principal.yaml",
        "paper: letter",
        "paper: letter\npdf_standard: pdf/a-3b",
    )
    build(Project.at(project_copy, output=tmp_path), audiences=["principal"], formats=["pdf"])
    reader = PdfReader(tmp_path / "taliban-policy" / "principal.pdf")
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="3"' in xmp
    assert 'pdfaid:conformance="B"' in xmp


def test_rendering_logs_no_warnings(
    default_build: tuple[Project, BuildReport], weasyprint_log: list[tuple[str, str, str]]
) -> None:
    """WeasyPrint warns of CSS it ignores, anchors it cannot find, fonts it cannot load: the
    render of every audience's PDF, in the build's own workers, logs none of that."""
    _, report = default_build
    pdfs = [output for output in report.written if output.format == "pdf"]
    assert len(pdfs) == 4
    made = [message for _, _, message in weasyprint_log if message == "'Step 6 - Creating PDF'"]
    assert len(made) == len(pdfs), "the log of every PDF's render was kept"
    assert [(level, message) for level, _, message in weasyprint_log if level != "INFO"] == []
