"""The review edition: every claim of a memo with its quotations marked in their sources."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from click.testing import CliRunner, Result
from pypdf import PdfReader

from briefing import Project, check
from briefing.content import every_point
from briefing.models import Backed, Point
from briefing.write import locked

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str) -> Result:
    from briefing.cli import cli  # noqa: PLC0415

    return CliRunner().invoke(cli, list(args))


def quotation_with(soup: BeautifulSoup, marked: str) -> Tag:
    """The one quotation block whose marked words are `marked`."""
    found = [
        block
        for block in soup.select(".quotation")
        if " ".join(block.select_one("mark").get_text().split()) == marked
    ]
    assert len(found) == 1, marked
    return found[0]


def test_every_claim_of_the_memo_is_reviewed_with_its_quotations(tmp_path: Path) -> None:
    result = run(
        "review", "--content", str(ROOT / "content"), "--format", "html", "--out", str(tmp_path)
    )
    assert result.exit_code == 0, result.output
    page = tmp_path / "review" / "taliban-policy.html"
    assert f"wrote {page}" in result.output
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")

    content = check(Project.at(ROOT / "content")).content
    memo = content.memos["taliban-policy"]
    # The recommendation's items that quote (a judgment quotes nothing), then the background.
    assert memo.recommendation is not None
    items = [item for _, _, item in memo.recommendation.items() if item.evidence]
    assert items, "the shipped recommendation cites its first steps"
    claims: list[Point | Backed] = [*items, *memo.background]
    # The brief's key facts, and its issues for Congress that quote (the office's own quote
    # nothing), are checked as every claim is.
    claims += [*memo.key_facts, *(i for i in memo.issues_for_congress if i.evidence)]
    for option in memo.options:
        position = content.positions[option.position]
        claims += [*every_point(position), *position.stances.values()]
    claims += memo.not_recommended
    assert memo.not_recommended, "the shipped memo sets options aside"
    assert len(soup.select("article.claim")) == len(claims)
    quotes = sum(len(claim.evidence) for claim in claims)
    assert len(soup.select(".quotation mark")) == quotes
    headings = [h.get_text() for h in soup.select("main h2")]
    assert headings[:4] == [
        "What the recommendation sets in motion",
        "Background",
        "Key facts",
        "Issues for Congress",
    ]
    assert headings[4:] == [
        *(
            f"Option {n}: {content.positions[o.position].title}"
            for n, o in enumerate(memo.options, start=1)
        ),
        "Options considered and not recommended",
    ]


RECOGNITION = '        quote: "The Taliban value international recognition."\n'


def misquote_status_quo(project_copy: Path, edit: Callable[[Path, str, str], None]) -> Path:
    """Put back two quotations the shipped content dropped as unfaithful: Malejacq's "The
    Taliban value international recognition." cited as a pro, and Weinbaum cut just before
    "have clearly failed". Returns the position file."""
    position = project_copy / "positions" / "status-quo.yaml"
    edit(
        position,
        '        quote: "They argue that more engagement lends legitimacy to the regime."\n',
        '        quote: "They argue that more engagement lends legitimacy to the regime."\n'
        "      - source: malejacq\n" + RECOGNITION,
    )
    edit(
        position,
        'harboring terrorists and failing to govern inclusively"\n',
        'harboring terrorists and failing to govern inclusively"\n'
        "      - source: weinbaum\n"
        '        quote: "efforts to have the Taliban change its ways by our contingently denying'
        ' legitimacy and trying to isolate the regime"\n',
    )
    return position


def test_a_quotation_is_shown_in_its_sentence_with_its_flags_beside_it(
    project_copy: Path, edit: Callable[[Path, str, str], None]
) -> None:
    misquote_status_quo(project_copy, edit)
    result = run("review", "--content", str(project_copy), "--format", "html")
    assert result.exit_code == 0, result.output
    page = project_copy.parent / "output" / "review" / "taliban-policy.html"
    soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")

    recognition = quotation_with(soup, "The Taliban value international recognition.")
    passage = " ".join(recognition.select_one(".passage").get_text().split())
    assert "The Taliban value international recognition. However, they do not perceive it" in (
        passage
    )
    assert "003_2faa0a0dfe5ef5e6.txt line" in passage
    flags = [" ".join(li.get_text().split()) for li in recognition.select(".flags li")]
    assert flags == [
        "W301 contrast follows: the source's next sentence turns against it: "
        "\u201cHowever, they do not perceive it as a benefit to be gained \u2026\u201d"
    ]
    claim = recognition.find_parent("article")
    head = " ".join(claim.select_one(".claim-head").get_text().split())
    assert head.startswith("Pro 1 \u00b7 for the option \u00b7 ")
    assert "status-quo.yaml:" in head
    assert claim.find_parent("section")["id"] == "option-status-quo"

    cut = quotation_with(
        soup,
        "efforts to have the Taliban change its ways by our contingently denying legitimacy "
        "and trying to isolate the regime",
    )
    after = cut.select_one("mark").next_sibling
    assert str(after).startswith(" have clearly failed.")
    assert "W302" in cut.select_one(".flags").get_text()


def test_a_reviewers_reason_is_shown_with_the_flag_it_silences(
    tmp_path: Path, project_copy: Path, edit: Callable[[Path, str, str], None]
) -> None:
    edit(
        misquote_status_quo(project_copy, edit),
        RECOGNITION,
        RECOGNITION + '        context: "W301: kept <b>only</b> to show what the Taliban want"\n',
    )
    result = run("review", "--content", str(project_copy), "--format", "html")
    assert result.exit_code == 0, result.output
    page = project_copy.parent / "output" / "review" / "taliban-policy.html"
    html = page.read_text(encoding="utf-8")
    assert "&lt;b&gt;only&lt;/b&gt;" in html, "a reason is text, never markup"
    soup = BeautifulSoup(html, "html.parser")
    flag = quotation_with(soup, "The Taliban value international recognition.").select_one(
        ".flags li"
    )
    assert "silenced" in flag["class"]
    assert " ".join(flag.select_one(".reason").get_text().split()) == (
        "Silenced: W301: kept <b>only</b> to show what the Taliban want"
    )
    summary = " ".join(soup.select_one("table.summary").get_text().split())
    shipped = (ROOT / "content" / "memos" / "taliban-policy.yaml").read_text(encoding="utf-8")
    shipped += "".join(
        f.read_text(encoding="utf-8") for f in (ROOT / "content" / "positions").glob("*.yaml")
    )
    reasons = len(re.findall(r"^ +context: ", shipped, flags=re.MULTILINE))
    assert f"{reasons + 1} silenced with a reviewer's reason" in summary, "the shipped and this one"


def test_the_review_pdf_reads_back(tmp_path: Path) -> None:
    project = tmp_path / "p"
    assert run("init", str(project)).exit_code == 0
    result = run("review", "--content", str(project / "content"), "--format", "pdf")
    assert result.exit_code == 0, result.output
    pdf = PdfReader(project / "output" / "review" / "congestion.pdf")
    text = " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)
    assert "Review edition: " in text
    assert "OPTION 2: INTRODUCE A PEAK-HOUR CHARGE" in text.upper()
    assert "Critics warn that a flat charge hits low-income drivers" in text
    assert "sample-article.txt line 9" in text
    assert not (project / "output" / "review" / "congestion.html").exists()


def test_review_waits_for_no_build_and_leaves_the_folder_as_it_was(tmp_path: Path) -> None:
    project = tmp_path / "p"
    assert run("init", str(project)).exit_code == 0
    output = project / "output"
    with locked(output):
        result = run("review", "--content", str(project / "content"), "--format", "html")
    assert result.exit_code == 1
    assert "[B501]" in result.output
    assert not (output / "review").exists()


def test_an_unknown_memo_is_a_usage_error() -> None:
    result = run("review", "--content", str(ROOT / "content"), "--memo", "taliban")
    assert result.exit_code == 2
    assert "unknown memo 'taliban'; choose from: taliban-policy" in result.output


def test_the_same_content_gives_the_same_review_from_anywhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "p"
    assert run("init", str(project)).exit_code == 0
    content = str(project / "content")
    made = []
    for here, out in ((tmp_path, "one"), (project / "seeds", "two")):
        monkeypatch.chdir(here)
        assert run("review", "--content", content, "--out", str(tmp_path / out)).exit_code == 0
        made.append(
            {
                fmt: (tmp_path / out / "review" / f"congestion.{fmt}").read_bytes()
                for fmt in ("html", "pdf")
            }
        )
    assert made[0] == made[1]
    assert b"content/positions/charge.yaml:" in made[0]["html"]
