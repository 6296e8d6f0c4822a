"""The PDFs are real: read back with pypdf for pages, text and metadata."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefing import BuildReport, Project, build
from briefing.validate import Content


def _text(reader: PdfReader) -> str:
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def _content(report: BuildReport) -> Content:
    return report.checked.content


@pytest.mark.parametrize("audience", ["principal", "staff", "congressional", "public"])
def test_pdf_holds_every_option_and_source(
    default_build: tuple[Project, BuildReport], audience: str
) -> None:
    project, report = default_build
    content = _content(report)
    for memo_id, memo in content.memos.items():
        reader = PdfReader(project.output / memo_id / f"{audience}.pdf")
        text = _text(reader)
        for option in memo.options:
            assert content.positions[option.position].title in text
        for source in content.sources.values():
            assert source.title in text, f"{source.id} missing from {audience} PDF"
        assert reader.metadata is not None
        assert reader.metadata.title == memo.title
        assert reader.metadata.author == memo.from_


def test_principal_fits_its_budget_and_staff_is_the_full_memo(
    default_build: tuple[Project, BuildReport],
) -> None:
    project, report = default_build
    content = _content(report)
    budget = content.audiences["principal"].page_budget
    assert budget == 2
    principal = PdfReader(project.output / "taliban-policy" / "principal.pdf")
    staff = PdfReader(project.output / "taliban-policy" / "staff.pdf")
    assert 1 <= len(principal.pages) <= budget
    assert len(staff.pages) > len(principal.pages)


def test_principal_carries_the_decision_memo_form(
    default_build: tuple[Project, BuildReport],
) -> None:
    project, _ = default_build
    reader = PdfReader(project.output / "taliban-policy" / "principal.pdf")
    first = re.sub(r"\s+", " ", reader.pages[0].extract_text())
    assert "DECISION MEMO FOR THE SECRETARY" in first
    assert "SUBJECT:" in first
    assert "November 23, 2026" in first
    assert "ISSUE FOR DECISION" in first
    last = re.sub(r"\s+", " ", reader.pages[-1].extract_text())
    assert "Approve" in last
    assert "Disapprove" in last
    for page in reader.pages:
        assert page.extract_text().count("SENSITIVE BUT UNCLASSIFIED") == 2, "banner top and bottom"
    assert f"Page {len(reader.pages)} of {len(reader.pages)}" in last


def test_staff_quotes_its_evidence_with_citations(
    default_build: tuple[Project, BuildReport],
) -> None:
    project, report = default_build
    content = _content(report)
    text = _text(PdfReader(project.output / "taliban-policy" / "staff.pdf"))
    first_con = content.positions["status-quo"].cons[0].evidence[0].quote
    assert re.sub(r"\s+", " ", first_con)[:60] in text.replace("\u2019", "'")
    assert "author not named" in text.lower()
    assert "n.d." in text


def test_missing_metadata_renders_as_such(default_build: tuple[Project, BuildReport]) -> None:
    project, report = default_build
    content = _content(report)
    assert content.sources["usip"].author is None
    assert content.sources["weinbaum"].date is None
    html = (project.output / "taliban-policy" / "staff.html").read_text(encoding="utf-8")
    assert "Author not named, \u201cA Shift Toward More Engagement" in html
    assert "Middle East Institute</i>, n.d." in html


def test_rebuild_gives_identical_bytes(
    default_build: tuple[Project, BuildReport], tmp_path: Path
) -> None:
    project, _ = default_build
    again = Project.at(project.content, output=tmp_path)
    report = build(again, audiences=["principal"])
    assert len(report.written) == 2
    for path in report.written:
        first = project.output / path.relative_to(tmp_path)
        assert path.read_bytes() == first.read_bytes(), f"{path.name} differs between builds"
