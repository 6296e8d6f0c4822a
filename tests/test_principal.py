"""The principal's decision memo as State writes it: read back from the built PDF and HTML.

Section order, the BLUF's and the issue's rendered lines, the marking on every page, the
recommendation's first steps, coordination and clearances (never in the public brief), the
tabs; and the content rules behind them (evidence or judgment, the old `cleared_by`, the
line limits under `--strict`).
"""

from __future__ import annotations

import datetime as dt
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
from briefing.models import Memo
from briefing.phrases import builtin_phrases
from briefing.pipeline import check

BANNER = "SENSITIVE BUT UNCLASSIFIED//PRE-DECISIONAL//DELIBERATIVE"
PHRASES = builtin_phrases()
"""The built-in words, which the shipped templates print."""


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


def _tabs(memo: Memo) -> list[str]:
    """The memo's attachments as its last section lists them: lettered in the memo's order."""
    return [
        f"{PHRASES.labels['tab'].format(letter=chr(ord('A') + i))} \u2014 {attachment.title}"
        for i, attachment in enumerate(memo.attachments)
    ]


def test_principal_memo_reads_in_states_order_in_two_pages(
    default_build: tuple[Project, BuildReport], default_pdfs: BuiltPdfs
) -> None:
    """State's decision memo: the issue, the bottom line, the recommendation and the decision
    lines on the first page, then the background, the options, the grid, who concurs and the
    tabs, within the profile's page budget."""
    _, report = default_build
    content = report.checked.content
    memo = content.memos[MEMO]
    profile = content.audiences["principal"]
    recommendation = memo.recommendation
    assert recommendation is not None
    assert recommendation.decide_by is not None
    assert profile.decision_lines
    pages = default_pdfs.pages("principal")
    assert profile.page_budget == 2
    assert len(pages) == profile.page_budget
    first, text = (_flat(page.replace(BANNER, " ")) for page in (pages[0], " ".join(pages)))
    number = [option.position for option in memo.options].index(recommendation.option) + 1
    position = content.positions[recommendation.option]
    sections = profile.sections
    assert (
        sections.index("recommendation") < sections.index("decision") < sections.index("background")
    ), "the recommendation and its decision lines come before the background"
    # What the profile's sections put on the page, in order; the recommendation brings its
    # items and the decision its lines, as the memo and the profile give them.
    within = {
        "recommendation": [
            PHRASES.labels["approve"].format(
                option=PHRASES.labels["option"].format(number=number, title=position.title)
            ),
            PHRASES.sections["actions"],
            PHRASES.sections["benchmarks"],
            PHRASES.sections["resources"],
        ],
        "decision": [
            *profile.decision_lines,
            PHRASES.labels["decide_by"].format(date=PHRASES.written(recommendation.decide_by)),
        ],
        "attachments": [*_tabs(memo), PHRASES.labels["drafted_by"]],
    }
    order = [
        PHRASES.heading["addressed"].format(
            memo_type=profile.memo_type, addressee=profile.addressee
        )
    ]
    for section in sections:
        order += [PHRASES.sections[section].upper(), *within.get(section, [])]
    at = 0
    for heading in order:
        assert heading
        found = text.find(heading, at)
        assert found >= 0, f"{heading!r} not found after the sections before it"
        at = found + len(heading)
    # On page 1, as State has it: the recommendation and the lines the principal signs.
    for words in (*within["recommendation"], *within["decision"]):
        assert words in first, f"{words!r} not on page 1"
    # The memo has no clearances: no empty "Cleared by:" line.
    assert not memo.clearances
    assert PHRASES.labels["cleared_by"] not in text
    # Each first step names its owner and its date; the illustrative rows say so.
    action = recommendation.actions[0]
    assert action.due is not None
    owner_due = PHRASES.labels["owner_due"].format(
        owner=action.owner, date=PHRASES.written(action.due)
    )
    assert owner_due in first
    assert all(row.illustrative for row in memo.coordination)
    assert PHRASES.keys["illustrative"] in text


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


def _texts(project: Project, audience: str, pdf: list[str]) -> tuple[str, str, str]:
    """The audience's memo as its HTML, its PDF (pages given) and its Word file read."""
    html = _soup(project.output / MEMO / f"{audience}.html").get_text(" ")
    document = WordDocument(str(project.output / MEMO / f"{audience}.docx"))
    return html, _flat(" ".join(pdf)), " ".join(p.text for p in document.paragraphs)


def test_public_and_congressional_briefs_never_show_coordination(
    default_build: tuple[Project, BuildReport], default_pdfs: BuiltPdfs
) -> None:
    project, report = default_build
    memo = report.checked.content.memos[MEMO]
    assert memo.coordination
    never = [PHRASES.sections["coordination"], PHRASES.sections["coordination"].upper()]
    never += [PHRASES.stances[row.stance] for row in memo.coordination]
    never += [_flat(row.reason) for row in memo.coordination if row.reason]
    for audience in ("public", "congressional"):
        assert _soup(project.output / MEMO / f"{audience}.html").select("#coordination") == []
        for text in _texts(project, audience, default_pdfs.pages(audience)):
            assert not [phrase for phrase in never if phrase in text], audience
    staff = _soup(project.output / MEMO / "staff.html")
    rows = staff.select("#coordination tbody tr")
    assert [row.select_one("td.stance").get_text() for row in rows] == [
        PHRASES.stances[row.stance] for row in memo.coordination
    ]
    principal_word = WordDocument(str(project.output / MEMO / "principal.docx"))
    word_text = [p.text for p in principal_word.paragraphs]
    assert [t for t in word_text if t.startswith(PHRASES.labels["tab"].format(letter=""))] == (
        _tabs(memo)
    )


def test_clearances_reach_the_memos_and_never_the_briefs(
    project_copy: Path, edit: Callable[[Path, str, str], None], tmp_path: Path
) -> None:
    """The shipped memo lists no clearances (none has been given): here it lists two, which
    the staff memo and the principal's Word file give in a column, and neither public nor
    congressional brief shows in any format."""
    memo = project_copy / "memos" / f"{MEMO}.yaml"
    edit(
        memo,
        "\nattachments:\n",
        "\nclearances:\n"
        "  - {name: Office Director, office: SCA/A, date: 2025-02-20, status: cleared,"
        " illustrative: true}\n"
        "  - {name: Deputy Coordinator, office: CT, status: pending, illustrative: true}\n"
        "attachments:\n",
    )
    project = Project.at(project_copy, output=tmp_path)
    report = build(project, audiences=["public", "congressional"])
    assert not report.failures
    report = build(project, audiences=["staff", "principal"], formats=["html", "docx"])
    assert not report.failures
    cleared_by = PHRASES.labels["cleared_by"]
    never = [cleared_by, "Office Director", "SCA/A", "Deputy Coordinator"]
    for audience in ("public", "congressional"):
        pdf = pdfium.PdfDocument(tmp_path / MEMO / f"{audience}.pdf")
        pages = [page.get_textpage().get_text_range() for page in pdf]
        for text in _texts(project, audience, pages):
            assert not [phrase for phrase in never if phrase in text], audience
    first = f"Office Director, SCA/A, {PHRASES.written(dt.date(2025, 2, 20))} (cleared)"
    drafting = _soup(tmp_path / MEMO / "staff.html").select_one(".drafting")
    assert drafting is not None
    assert [_flat(p.get_text(" ", strip=True)) for p in drafting.select(".cleared")] == [
        f"{cleared_by} {first} *",
        "Deputy Coordinator, CT (pending) *",
    ]
    word = [p.text for p in WordDocument(str(tmp_path / MEMO / "principal.docx")).paragraphs]
    at = word.index(f"{cleared_by}\t{first}*")
    assert word[at + 1] == "\tDeputy Coordinator, CT (pending)*", "in a column, as on the page"


def test_decision_lines_and_items_as_the_profile_and_memo_give_them(
    default_build: tuple[Project, BuildReport],
) -> None:
    project, report = default_build
    content = report.checked.content
    soup = _soup(project.output / MEMO / "principal.html")
    lines = [span.get_text(strip=True) for span in soup.select(".decision-line > span")]
    assert lines == content.audiences["principal"].decision_lines
    recommendation = content.memos[MEMO].recommendation
    assert recommendation is not None
    actions = soup.select(".rec-actions li")
    assert len(actions) == len(recommendation.actions) > 0
    assert all(li.select("sup.note-call") for li in actions), "each action cites its source"
    benchmarks = soup.select(".rec-benchmarks li")
    assert len(benchmarks) == len(recommendation.benchmarks) > 0
    assert all(item.judgment for item in recommendation.benchmarks)
    assert all(li.select(".judgment") for li in benchmarks)
    assert "own judgment" in soup.select_one(".judgment-key").get_text()
    tabs = [li.get_text(" ", strip=True) for li in soup.select("#attachments li")]
    assert tabs == _tabs(content.memos[MEMO])
    assert len(tabs) > 1


def test_an_item_needs_evidence_or_judgment_and_its_quotes_are_verified(
    project_copy: Path, edit: Callable[[Path, str, str], None]
) -> None:
    memo = project_copy / "memos" / f"{MEMO}.yaml"
    original = memo.read_text(encoding="utf-8")
    # The first benchmark marked as judgment loses the mark: it has neither.
    mark = "      judgment: true\n"
    judged = original.index(mark, original.index("\n  benchmarks:\n"))
    item_line = original.count("\n", 0, original.rindex("\n    - text:", 0, judged) + 1) + 1
    memo.write_text(original[:judged] + original[judged + len(mark) :], encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        check(Project.at(project_copy))
    problems = {p.code: p for p in raised.value.problems}
    assert problems["B230"].line == item_line, problems["B230"].format()
    assert "neither evidence nor 'judgment: true'" in problems["B230"].message
    result = CliRunner().invoke(cli, ["check", "--content", str(project_copy)])
    assert result.exit_code == 1
    assert re.search(rf"{MEMO}\.yaml:{item_line}:\d+: \[B230\]", result.output)
    # Marked as judgment it validates; a quotation of an action is checked like any other.
    memo.write_text(original, encoding="utf-8")
    check(Project.at(project_copy))
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
    lines = memo.read_text(encoding="utf-8").splitlines(keepends=True)
    drafted = next(n for n, line in enumerate(lines) if line.startswith("drafted_by:"))
    edit(memo, lines[drafted], lines[drafted] + "cleared_by: [J. Example]\n")
    checked = check(Project.at(project_copy))
    warned = [w for w in checked.content.warnings if w.code == "W203"]
    assert [(w.file.name, w.line) for w in warned] == [(memo.name, drafted + 2)]
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
    default_build: tuple[Project, BuildReport],
    project_copy: Path,
    edit: Callable[[Path, str, str], None],
    tmp_path: Path,
) -> None:
    project, report = default_build
    # The BLUF's lines as laid out in the shipped memo (up to the next section's heading);
    # the copy allows one fewer.
    bluf = report.checked.content.memos[MEMO].bluf
    sections = report.checked.content.audiences["principal"].sections
    after = PHRASES.sections[sections[sections.index("bluf") + 1]].upper()
    pdf = project.output / MEMO / "principal.pdf"
    taken = _lines_of(pdf, " ".join(bluf.split()[:3]), after)
    assert taken > 1
    profile = project_copy / "audiences" / "principal.yaml"
    edit(profile, "line_limits: {bluf: 4,", f"line_limits: {{bluf: {taken - 1},")
    memo = project_copy / "memos" / f"{MEMO}.yaml"
    bluf_line = next(
        n for n, t in enumerate(memo.read_text().splitlines(), 1) if t.startswith("bluf:")
    )
    args = ["build", "--content", str(project_copy), "--out", str(tmp_path / "out")]
    args += ["--audience", "principal", "--format", "pdf", "--jobs", "1"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert re.search(
        rf"{MEMO}\.yaml:{bluf_line}:\d+: \[W202\] the BLUF takes {taken} lines in "
        rf"{MEMO}/principal\.pdf; audience 'principal' allows {taken - 1}",
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
        rf"\[B231\] .*{MEMO}\.yaml:{bluf_line}:\d+: the BLUF takes {taken} lines", strict.output
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
