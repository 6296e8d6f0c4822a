"""The principal's decision memo as State writes it: read back from the built PDF and HTML.

Section order, the BLUF's and the issue's rendered lines, the marking on every page, the
recommendation's first steps, coordination and clearances (never in the public brief), the
tabs; and the content rules behind them (evidence or judgment, the old `cleared_by`, the
line limits under `--strict`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from conftest import MEMO, BuiltPdfs
from docx import Document as WordDocument

from briefing import BuildReport, Project, build
from briefing.cli import cli
from briefing.errors import ContentError
from briefing.pipeline import check

BANNER = "SENSITIVE BUT UNCLASSIFIED//PRE-DECISIONAL//DELIBERATIVE"


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _lines_of(pdf: Path, start: str, end: str) -> int:
    """How many lines the text from `start` up to `end` takes on the page, read from the
    PDF: pdfium gives one rectangle per line of one font, so distinct tops are lines."""
    for page in pdfium.PdfDocument(pdf):
        textpage = page.get_textpage()
        text = textpage.get_text_range()
        first = text.find(start)
        if first < 0:
            continue
        last = text.find(end, first)
        assert last > first, f"{end!r} not after {start!r}"
        count = textpage.count_rects(first, last - first)
        tops = {round(textpage.get_rect(i)[3]) for i in range(count)}
        return len(tops)
    raise AssertionError(f"{start!r} not in {pdf}")


def test_principal_memo_reads_in_states_order_in_two_pages(default_pdfs: BuiltPdfs) -> None:
    pages = default_pdfs.pages("principal")
    assert len(pages) == 2
    text = _flat(" ".join(pages))
    order = [
        "DECISION MEMO FOR THE SECRETARY",
        "ISSUE FOR DECISION",
        "BOTTOM LINE",
        "RECOMMENDATION",
        "That you approve Option",
        "First steps on approval",
        "What would change course",
        "Resources and costs",
        "OPTIONS",
        "HOW THE OPTIONS COMPARE",
        "COORDINATION",
        "DECISION ",
        "Approve",
        "Disapprove",
        "Discuss",
        "Decision needed by December 15, 2026",
        "ATTACHMENTS",
        "Tab A \u2014 Staff options memo",
        "Tab B \u2014 Evidence",
        "Drafted by:",
        "Cleared by:",
    ]
    at = 0
    for heading in order:
        found = text.find(heading, at)
        assert found >= 0, f"{heading!r} not found after the sections before it"
        at = found + len(heading)
    assert "COORDINATION" not in text[: text.find("HOW THE OPTIONS COMPARE")]
    # Each first step names its owner and its date; the illustrative rows say so.
    assert "(SCA with USUN, by January 15, 2027)" in text
    assert "* Illustrative:" in text


def test_bluf_and_issue_fit_their_lines_as_laid_out(
    default_build: tuple[Project, BuildReport], default_pdfs: BuiltPdfs
) -> None:
    project, report = default_build
    pdf = project.output / MEMO / "principal.pdf"
    memo = report.checked.content.memos[MEMO]
    limits = report.checked.content.audiences["principal"].line_limits
    bluf = _lines_of(pdf, " ".join(memo.bluf.split()[:3]), "RECOMMENDATION")
    issue = _lines_of(pdf, " ".join(memo.question.split()[:3]), "BOTTOM LINE")
    assert limits == {"bluf": 4, "question": 2}
    assert 1 < bluf <= limits["bluf"]
    assert 1 < issue <= limits["question"]
    assert not [w for w in report.warnings if w.code == "W202"]


def test_the_marking_repeats_on_every_page_on_one_line(default_pdfs: BuiltPdfs) -> None:
    for audience in ("principal", "staff"):
        pages = default_pdfs.pages(audience)
        for number, page in enumerate(pages, start=1):
            lines = page.splitlines()
            assert sum(BANNER in line for line in lines) == 2, f"{audience} page {number}"


def test_public_and_congressional_briefs_never_show_coordination_or_clearances(
    default_build: tuple[Project, BuildReport], default_pdfs: BuiltPdfs
) -> None:
    project, _ = default_build
    never = ["Coordination", "COORDINATION", "Cleared by", "Office Director", "Does not concur"]
    for audience in ("public", "congressional"):
        soup = _soup(project.output / MEMO / f"{audience}.html")
        assert soup.select("#coordination") == []
        html_text = soup.get_text(" ")
        pdf_text = " ".join(default_pdfs.pages(audience))
        word = " ".join(
            p.text for p in WordDocument(project.output / MEMO / f"{audience}.docx").paragraphs
        )
        for text in (html_text, pdf_text, word):
            assert not [phrase for phrase in never if phrase in text], audience
    staff = _soup(project.output / MEMO / "staff.html")
    rows = staff.select("#coordination tbody tr")
    assert [row.select_one("td.stance").get_text() for row in rows] == [
        "Concurs",
        "Does not concur",
        "Comments",
    ]
    assert "Cleared by:" in staff.select_one(".drafting").get_text()
    principal_word = WordDocument(project.output / MEMO / "principal.docx")
    word_text = "\n".join(p.text for p in principal_word.paragraphs)
    assert "Tab A \u2014 Staff options memo" in word_text
    assert "Cleared by:\tOffice Director, SCA/A" in word_text, "in a column, as on the page"


def test_decision_lines_and_items_as_the_profile_and_memo_give_them(
    default_build: tuple[Project, BuildReport],
) -> None:
    project, _ = default_build
    soup = _soup(project.output / MEMO / "principal.html")
    lines = [span.get_text(strip=True) for span in soup.select(".decision-line > span")]
    assert lines == ["Approve", "Disapprove", "Discuss"]
    actions = soup.select(".rec-actions li")
    assert len(actions) == 3
    assert all(li.select("sup.note-call") for li in actions), "each action cites its source"
    benchmarks = soup.select(".rec-benchmarks li")
    assert benchmarks
    assert all(li.select(".judgment") for li in benchmarks)
    assert "own judgment" in soup.select_one(".judgment-key").get_text()
    assert [li.get_text(" ", strip=True) for li in soup.select("#attachments li")] == [
        "Tab A \u2014 Staff options memo",
        "Tab B \u2014 Evidence (every quotation in its source)",
    ]


def test_an_item_needs_evidence_or_judgment_and_its_quotes_are_verified(
    project_copy: Path, edit: Callable[[Path, str, str], None]
) -> None:
    memo = project_copy / "memos" / f"{MEMO}.yaml"
    edit(memo, "        No movement on girls' schooling", "        Nothing on girls' schooling")
    edit(memo, "narrows the tracks.\n      judgment: true\n", "narrows the tracks.\n")
    with pytest.raises(ContentError) as raised:
        check(Project.at(project_copy))
    problems = {p.code: p for p in raised.value.problems}
    lines = memo.read_text(encoding="utf-8").splitlines()
    item_line = next(n for n, t in enumerate(lines, 1) if "Nothing on girls' schooling" in t)
    assert problems["B230"].line == item_line - 1, problems["B230"].format()
    assert "neither evidence nor 'judgment: true'" in problems["B230"].message
    result = CliRunner().invoke(cli, ["check", "--content", str(project_copy)])
    assert result.exit_code == 1
    assert re.search(rf"{MEMO}\.yaml:{item_line - 1}:\d+: \[B230\]", result.output)
    # Marked as judgment it validates; a quotation of an action is checked like any other.
    edit(memo, "narrows the tracks.\n", "narrows the tracks.\n      judgment: true\n")
    edit(
        memo,
        'quote: "In parallel, the United States needs to work out',
        'quote: "In parallel, the United States must work out',
    )
    with pytest.raises(ContentError) as raised:
        check(Project.at(project_copy))
    [problem] = raised.value.problems
    assert problem.code == "B301"
    assert "must" in (problem.hint or "")


def test_old_cleared_by_names_still_load_with_a_warning(
    project_copy: Path, edit: Callable[[Path, str, str], None], tmp_path: Path
) -> None:
    memo = project_copy / "memos" / f"{MEMO}.yaml"
    edit(
        memo,
        "drafted_by: Policy Planning Staff\n",
        "drafted_by: Policy Planning Staff\ncleared_by: [J. Example]\n",
    )
    checked = check(Project.at(project_copy))
    warned = [w for w in checked.content.warnings if w.code == "W203"]
    assert [(w.file.name, w.line) for w in warned] == [(memo.name, 9)]
    report = build(
        Project.at(project_copy, output=tmp_path),
        audiences=["staff", "public"],
        formats=["html"],
        jobs=1,
    )
    assert not report.failures
    assert "J. Example (cleared)" in _soup(tmp_path / MEMO / "staff.html").get_text()
    assert "J. Example" not in _soup(tmp_path / MEMO / "public.html").get_text()


def test_a_text_over_its_line_limit_warns_and_fails_under_strict(
    project_copy: Path, edit: Callable[[Path, str, str], None], tmp_path: Path
) -> None:
    profile = project_copy / "audiences" / "principal.yaml"
    edit(profile, "line_limits: {bluf: 4, question: 2}", "line_limits: {bluf: 3, question: 2}")
    memo = project_copy / "memos" / f"{MEMO}.yaml"
    bluf_line = next(
        n for n, t in enumerate(memo.read_text().splitlines(), 1) if t.startswith("bluf:")
    )
    args = ["build", "--content", str(project_copy), "--out", str(tmp_path / "out")]
    args += ["--audience", "principal", "--format", "pdf", "--jobs", "1"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert re.search(
        rf"{MEMO}\.yaml:{bluf_line}:\d+: \[W202\] the BLUF takes 4 lines in "
        rf"{MEMO}/principal\.pdf; audience 'principal' allows 3",
        result.output,
    ), result.output
    written = (tmp_path / "out" / MEMO / "principal.pdf").read_bytes()
    # Up to date: the counts come from the cache, and the warning with them.
    again = CliRunner().invoke(cli, args)
    assert "1 up to date" in again.output
    assert "[W202]" in again.output
    strict = CliRunner().invoke(cli, [*args, "--strict"])
    assert strict.exit_code == 1, strict.output
    assert re.search(
        rf"\[B231\] .*{MEMO}\.yaml:{bluf_line}:\d+: the BLUF takes 4 lines", strict.output
    )
    assert (tmp_path / "out" / MEMO / "principal.pdf").read_bytes() == written


def test_portion_marks_lead_the_recommendation_items_where_the_profile_asks(
    project_copy: Path, edit: Callable[[Path, str, str], None], tmp_path: Path
) -> None:
    profile = project_copy / "audiences" / "principal.yaml"
    edit(profile, "page_budget: 2\n", "page_budget: 2\nportion_mark: (SBU)\n")
    report = build(
        Project.at(project_copy, output=tmp_path), audiences=["principal"], formats=["html"]
    )
    assert not report.failures
    soup = _soup(tmp_path / MEMO / "principal.html")
    items = soup.select(".rec-items li")
    assert items
    assert all(li.get_text(strip=True).startswith("(SBU)") for li in items)
    assert soup.select_one("#bluf p").get_text(strip=True).startswith("(SBU)")


def test_an_attachment_names_a_known_audience(
    project_copy: Path, edit: Callable[[Path, str, str], None]
) -> None:
    memo = project_copy / "memos" / f"{MEMO}.yaml"
    edit(memo, "    audience: staff\n", "    audience: stafff\n")
    with pytest.raises(ContentError) as raised:
        check(Project.at(project_copy))
    [problem] = raised.value.problems
    assert problem.code == "B205"
    assert "did you mean 'staff'?" in (problem.hint or "")
