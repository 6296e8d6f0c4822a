"""The options a memo weighs and does not put forward, and options that really differ.

Read back from the default build as a reader meets it: the staff memo's HTML (Beautiful
Soup) and PDF (pypdf, pdfium), where the section's claims carry numbered notes and their
quotations stand in Tab A; the principal's and congressional briefs, whose profiles leave
the section out; and the shipped memo's options, which must differ in what the United
States would do on the memo's key questions.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import combinations
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from click.testing import CliRunner
from conftest import ROOT, BuiltPdfs
from pdfwords import note_pages

from briefing import BuildReport, Project, check
from briefing.cli import cli
from briefing.phrases import builtin_phrases

MEMO = "taliban-policy"
HEADING = "Options considered and not recommended"


def _soup(project: Project, audience: str) -> BeautifulSoup:
    path = project.output / MEMO / f"{audience}.html"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _calls(element: Tag | None) -> list[int]:
    """The note numbers a part of the page calls, in order."""
    assert element is not None
    return [int(a.get_text()) for a in element.select("sup.note-call a")]


def test_staff_html_sets_options_aside_with_numbered_notes_and_their_evidence(
    default_build: tuple[Project, BuildReport],
) -> None:
    project, report = default_build
    memo = report.checked.content.memos[MEMO]
    soup = _soup(project, "staff")
    section = soup.select_one("section#not-recommended")
    assert section is not None
    assert section.h2 is not None
    assert section.h2.get_text(strip=True) == HEADING
    titles = [b.get_text(strip=True) for b in section.select("strong.set-aside")]
    assert titles == [f"{item.title}." for item in memo.not_recommended]
    numbers = _calls(section)
    assert len(numbers) == len(memo.not_recommended), "one note per option set aside"
    options = soup.select_one("section#options")
    assert options is not None
    assert min(numbers) > max(_calls(options)), "numbered in reading order, after the options"
    assert numbers == list(range(numbers[0], numbers[0] + len(numbers)))
    for index, (number, item) in enumerate(zip(numbers, memo.not_recommended, strict=True)):
        assert soup.select_one(f"#note-{number}") is not None
        entry = soup.select_one(f"#annex article#evidence-not_recommended-{index + 1}")
        assert entry is not None, item.title
        shown = entry.select_one(".annex-number")
        assert shown is not None
        assert shown.get_text() == str(number)
        assert len(entry.select("blockquote.annex-quote")) == len(item.evidence)


def test_staff_pdf_sets_options_aside_in_the_body_with_footnotes_on_the_page(
    default_build: tuple[Project, BuildReport], default_pdfs: BuiltPdfs
) -> None:
    project, report = default_build
    audience = report.checked.content.audiences["staff"]
    body = default_pdfs.body_pages(
        "staff", audience.annex_title or builtin_phrases().annex["title"]
    )
    pages = default_pdfs.pages("staff")
    found = [n for n, text in enumerate(pages[:body], start=1) if HEADING.upper() in text.upper()]
    assert found, "the section is in the memo's body, before Tab A"
    numbers = _calls(_soup(project, "staff").select_one("section#not-recommended"))
    calls, notes = note_pages(default_pdfs.runs("staff"))
    for number in numbers:
        assert calls.get(number), f"note {number} is called in the PDF"
        assert set(calls[number]) <= set(range(found[0], body + 1))
        assert notes.get(number) == calls[number], f"note {number} sits on the page that calls it"
    annex = " ".join(pages[body:])
    for item in report.checked.content.memos[MEMO].not_recommended:
        assert f"{item.title}:" in annex, "Tab A quotes each option set aside"


@pytest.mark.parametrize("audience", ["principal", "congressional"])
def test_profiles_without_the_section_do_not_show_it(
    default_build: tuple[Project, BuildReport], default_pdfs: BuiltPdfs, audience: str
) -> None:
    project, report = default_build
    assert "not_recommended" not in report.checked.content.audiences[audience].sections
    soup = _soup(project, audience)
    assert soup.select_one("#not-recommended") is None
    text = soup.get_text(" ")
    for item in report.checked.content.memos[MEMO].not_recommended:
        assert f"{item.title}." not in text
    pdf_text = " ".join(default_pdfs.pages(audience)).lower()
    assert "considered and not recommended" not in pdf_text
    assert "considered and set aside" not in pdf_text


def test_a_reader_without_a_recommendation_reads_set_aside_not_not_recommended(
    default_build: tuple[Project, BuildReport],
) -> None:
    project, _ = default_build
    section = _soup(project, "public").select_one("section#not-recommended")
    assert section is not None
    assert section.h2 is not None
    assert section.h2.get_text(strip=True) == "Options considered and set aside"


def test_an_option_set_aside_is_checked_like_any_claim(
    project_copy: Path, edit: Callable[[Path, str, str], None]
) -> None:
    memo = project_copy / "memos" / "taliban-policy.yaml"
    edit(memo, 'would be too great"', 'would be far too great"')
    result = CliRunner().invoke(cli, ["check", "--content", str(project_copy)])
    assert result.exit_code == 1
    line = next(
        n
        for n, text in enumerate(memo.read_text(encoding="utf-8").splitlines(), start=1)
        if "far too great" in text
    )
    assert re.search(rf"taliban-policy\.yaml:{line}:\d+: \[B\d+\]", result.output), result.output


DECIDING = ("recognition", "sanctions")
"""The questions on which no two options may take the same stance: what the United States
would do about recognition and about sanctions is what sets the options apart."""


def _plain(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.casefold()).strip()


def test_the_default_options_differ_in_what_the_united_states_would_do() -> None:
    content = check(Project.at(ROOT / "content")).content
    memo = content.memos[MEMO]
    questions = [question.id for question in memo.questions]
    assert {"recognition", "sanctions", "aid", "counterterrorism"} <= set(questions)
    stances: dict[str, dict[str, str]] = {}
    for option in memo.options:
        position = content.positions[option.position]
        missing = [q for q in questions if q not in position.stances]
        assert not missing, f"{option.position} takes no stance on {missing}"
        stances[option.position] = {q: _plain(position.stances[q].text) for q in questions}
    for first, second in combinations(stances, 2):
        assert stances[first] != stances[second], f"{first} and {second} take the same stances"
        for question in DECIDING:
            assert stances[first][question] != stances[second][question], (
                f"{first} and {second} would do the same on {question}"
            )
