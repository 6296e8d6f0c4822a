"""Notes, drafts, coverage and disagreements: what a reader checks a memo's evidence by."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from click.testing import CliRunner
from conftest import BuiltPdfs
from pdfwords import note_pages

from briefing import BuildReport, Project
from briefing.cli import cli
from briefing.markup import inline, typeset
from briefing.resolve import resolve_view

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("audience", ["principal", "staff", "congressional", "public"])
def test_every_note_stands_on_the_page_of_its_call(
    default_build: tuple[Project, BuildReport], default_pdfs: BuiltPdfs, audience: str
) -> None:
    """Read from the words on the PDF's pages: each call (a small number in the text) and
    its note (the number opening a footnote) are found once, on the same page."""
    project, _ = default_build
    html = (project.output / "taliban-policy" / f"{audience}.html").read_text()
    expected = set(range(1, len(BeautifulSoup(html, "html.parser").select("#notes li")) + 1))
    calls, notes = note_pages(default_pdfs.runs(audience))
    assert set(calls) == expected
    assert set(notes) == expected
    misplaced = {n: (calls[n], notes[n]) for n in expected if calls[n] != notes[n]}
    assert misplaced == {}, f"{audience}: note: (pages of its call, pages of the note)"
    assert all(len(pages) == 1 for pages in [*calls.values(), *notes.values()])


def test_html_notes_link_both_ways(default_build: tuple[Project, BuildReport]) -> None:
    project, report = default_build
    soup = BeautifulSoup(
        (project.output / "taliban-policy" / "staff.html").read_text(), "html.parser"
    )
    calls = soup.select("sup.note-call a")
    assert len(calls) == len(soup.select("#notes li")) > 50
    by_id: dict[str, Tag] = {}
    for tag in soup.find_all(id=True):
        by_id.setdefault(tag["id"], tag)  # the first, as soup.find(id=...) would give
    for call in calls:
        note = by_id.get(call["href"][1:])
        assert note is not None
        assert note.name == "li"
        assert note.select_one("a.back")["href"] == f"#{call['id']}"
    # The first note gives its sources in full, as the first citation of each.
    first = soup.select_one("#notes li").get_text()
    [note, *_] = resolve_view(report.checked.content, "taliban-policy", "staff").notes
    assert all(reference.first for reference in note.references)
    for reference in note.references:
        assert reference.source.source.title in first
        assert (reference.source.source.outlet or "") in first


def test_draft_build_marks_unverified_quotes_and_exits_1(
    project_copy: Path, edit: Callable[[Path, str, str], None], tmp_path: Path
) -> None:
    edit(
        project_copy / "positions" / "status-quo.yaml",
        '"Punitive tools, such as sanctions and suspending dialogue',
        '"Punitive tools, such as sanctions and cancelling dialogue',
    )
    out = tmp_path / "out"
    args = [
        "build",
        "--content",
        str(project_copy),
        "--audience",
        "staff",
        "--format",
        "html",
        "--out",
        str(out),
    ]
    refused = CliRunner().invoke(cli, args)
    assert refused.exit_code == 1
    assert not out.exists(), "without --draft nothing is written"
    drafted = CliRunner().invoke(cli, [*args, "--draft"])
    assert drafted.exit_code == 1
    assert "DRAFT: 1 quotation(s) were not found in their sources" in drafted.output
    soup = BeautifulSoup((out / "taliban-policy" / "staff.html").read_text(), "html.parser")
    marked = soup.select(".evidence li:has(.unverified)")
    assert [m.q.get_text().strip("\u201c\u201d")[:40] for m in marked] == [
        "Punitive tools, such as sanctions and ca"
    ]
    assert "were not found in their sources" in soup.select_one(".draft-warning").get_text()


def test_coverage_report_reads_per_source_and_flags_single_source_options(
    project_copy: Path,
) -> None:
    (project_copy / "positions" / "solo.yaml").write_text(
        "title: A one-source option\nsummary: s\nthesis: t\n"
        "pros:\n  - text: p\n    evidence:\n      - source: safian\n"
        '        quote: "The United States must adopt a realist strategy"\n'
        "cons:\n  - text: c\n    evidence:\n      - source: sakhi\n"
        '        quote: "Do Not Engage the Taliban for Free"\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["check", "--coverage", "--content", str(project_copy)])
    assert result.exit_code == 0, result.output
    for source in ("weinbaum", "usip", "safian", "malejacq", "sakhi"):
        assert re.search(rf"^{source}  ", result.output, re.MULTILINE)
    assert re.search(r"\d+ quotes; \d+ of \d+ paragraphs quoted \(\d+%\)", result.output)
    assert "not quoted: \u00b6" in result.output
    assert "Resting on a single source: solo" in result.output


def test_disagreements_table_is_question_by_option(
    default_build: tuple[Project, BuildReport],
) -> None:
    project, report = default_build
    content = report.checked.content
    memo = content.memos["taliban-policy"]
    soup = BeautifulSoup(
        (project.output / "taliban-policy" / "staff.html").read_text(), "html.parser"
    )
    table = soup.select_one("#disagreements table")
    rows = table.select("tbody tr")
    assert memo.questions
    assert [r.th.get_text() for r in rows] == [typeset(q.label).unescape() for q in memo.questions]
    for row, question in zip(rows, memo.questions, strict=True):
        cells = row.select("td")
        assert len(cells) == len(memo.options)
        for cell, option in zip(cells, memo.options, strict=True):
            stance = content.positions[option.position].stances.get(question.id)
            expected = inline(stance.text).striptags() if stance else "Not addressed"
            assert cell.get_text().startswith(expected)


def test_stance_on_an_unknown_question_is_an_error(
    project_copy: Path, edit: Callable[[Path, str, str], None]
) -> None:
    file = project_copy / "positions" / "status-quo.yaml"
    edit(file, "  recognition:\n", "  recogniton:\n")
    result = CliRunner().invoke(cli, ["check", "--content", str(project_copy)])
    assert result.exit_code == 1
    line = next(
        n for n, text in enumerate(file.read_text().splitlines(), 1) if "recogniton:" in text
    )
    assert f"status-quo.yaml:{line}:3: [B205] unknown question 'recogniton'" in result.output
    assert "did you mean 'recognition'?" in result.output
