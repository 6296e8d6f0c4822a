"""`briefing diff`: redlines between two git revisions (or folders) of a real project.

The fixture is a project started with `briefing init`, given a second source, committed;
then a second commit changes a rating, edits a con and drops that source. Each format
must show exactly those changes, and nothing else.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner, Result
from docx.oxml.ns import qn
from pypdf import PdfReader

from briefing.cli import cli
from briefing.redline import word_diff
from briefing.scaffold import init_project

SECOND_SOURCE = """
  - id: second
    title: Second Thoughts on Road Pricing
    author: Dana Second
    outlet: Transport Review
    date: 2025-03
    url: https://example.org/second
    seed: second.txt
"""
SECOND_TEXT = "Buses ran faster in every city that priced its roads, the review found.\n"
SECOND_QUOTE = """      - source: second
        quote: "Buses ran faster in every city that priced its roads"
"""
FIRST_PRO_QUOTE = (
    '        quote: "Cities that have priced congestion report fewer cars in the charging zone '
    'and faster, more reliable buses."\n'
)
pytestmark = pytest.mark.skipif(
    shutil.which("git") is None, reason="git is not installed: no revisions to compare"
)
CON = "Shops in the zone fear losing customers."
EDITED_CON = "Shops in the zone fear losing many customers."
EXPECTED = ["Rating edited", "Quotation removed", "Con edited", "Source removed"]
"""The staff memo's changes, in reading order: the grid; the option's arguments (the
quotation from the dropped source under its first pro, then the con); the sources."""


def _git(folder: Path, *arguments: str) -> str:
    environment = {**os.environ, "GIT_AUTHOR_DATE": "2026-11-23T00:00:00Z"}
    environment["GIT_COMMITTER_DATE"] = environment["GIT_AUTHOR_DATE"]
    done = subprocess.run(
        ["git", "-c", "user.name=Drafter", "-c", "user.email=drafter@example.org", *arguments],
        cwd=folder, capture_output=True, text=True, check=True, env=environment,
    )  # fmt: skip
    return done.stdout


def _replace(file: Path, old: str, new: str) -> None:
    text = file.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {file}"
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project in git: the first commit with two sources, the second with the changes."""
    root = tmp_path_factory.mktemp("redline") / "memo"
    init_project(root)
    content = root / "content"
    with (content / "sources.yaml").open("a", encoding="utf-8") as sources:
        sources.write(SECOND_SOURCE)
    (root / "seeds" / "second.txt").write_text(SECOND_TEXT, encoding="utf-8")
    charge = content / "positions" / "charge.yaml"
    _replace(charge, FIRST_PRO_QUOTE, FIRST_PRO_QUOTE + SECOND_QUOTE)
    _git(root, "init", "--quiet")
    _git(root, "add", "--all")
    _git(root, "commit", "--quiet", "-m", "Memo as cleared")
    memo = content / "memos" / "congestion.yaml"
    _replace(memo, "congestion: {rating: advances", "congestion: {rating: mixed")
    _replace(charge, CON, EDITED_CON)
    _replace(charge, SECOND_QUOTE, "")
    _replace(content / "sources.yaml", SECOND_SOURCE, "\n")
    (root / "seeds" / "second.txt").unlink()
    _git(root, "commit", "--quiet", "--all", "-m", "Rating, con and source revised")
    return root


def _diff(root: Path, *arguments: str) -> Result:
    here = Path.cwd()
    os.chdir(root)
    try:
        return CliRunner().invoke(cli, ["diff", *arguments])
    finally:
        os.chdir(here)


@pytest.fixture(scope="module")
def redlined(repository: Path) -> tuple[Path, Result]:
    result = _diff(repository, "HEAD~1", "HEAD")
    return repository / "output" / "diff" / "congestion", result


def test_diff_between_revisions_exits_1_and_writes_every_format(
    repository: Path, redlined: tuple[Path, Result]
) -> None:
    folder, result = redlined
    assert result.exit_code == 1, result.output
    for audience in ("principal", "staff", "congressional", "public"):
        for kind in ("html", "pdf", "docx"):
            assert (folder / f"{audience}.{kind}").is_file(), (audience, kind)
    assert "congestion/staff: 4 change(s)" in result.output
    assert _git(repository, "status", "--porcelain", "--untracked-files=no") == "", "tree intact"


def test_html_redline_shows_exactly_the_changes(redlined: tuple[Path, Result]) -> None:
    folder, _ = redlined
    soup = BeautifulSoup((folder / "staff.html").read_text(encoding="utf-8"), "html.parser")
    assert [w.get_text() for w in soup.select("ol.changes .what")] == EXPECTED
    inserted = [i.get_text() for i in soup.select("ol.changes ins")]
    assert inserted == ["\u00b1 Mixed", "many "]
    struck = [d.get_text() for d in soup.select("ol.changes del")]
    assert struck[0] == "+ Advances"
    assert "Buses ran faster in every city that priced its roads" in struck[1]
    assert "Second Thoughts on Road Pricing" in struck[2]
    folded = [p.get_text() for p in soup.select("p.folded")]
    assert "Heading and summary: unchanged." in folded
    assert "Background: unchanged." in folded
    assert len(soup.select("section ol.changes")) == 3, "only the grid, the option and sources"


def test_pdf_redline_shows_exactly_the_changes(redlined: tuple[Path, Result]) -> None:
    folder, _ = redlined
    text = " ".join(page.extract_text() for page in PdfReader(folder / "staff.pdf").pages)
    labels = re.findall(r"\b(\w+) (EDITED|ADDED|REMOVED)\b", text.upper())
    named = [f"{what} {kind}".capitalize() for what, kind in labels if what != "WAS"]
    assert named == EXPECTED, "the key says what was removed and added; the rest are changes"
    assert "Second Thoughts on Road Pricing" in text
    assert "Mixed" in text
    assert "Advances" in text


def test_docx_redline_is_made_of_tracked_changes(redlined: tuple[Path, Result]) -> None:
    folder, _ = redlined
    document = docx.Document(str(folder / "staff.docx"))
    body = document.element.body
    inserted = ["".join(t.text for t in i.iter(qn("w:t"))) for i in body.iter(qn("w:ins"))]
    deleted = ["".join(t.text for t in d.iter(qn("w:delText"))) for d in body.iter(qn("w:del"))]
    assert inserted == ["\u00b1 Mixed", "many "]
    assert deleted[0] == "+ Advances"
    assert "Buses ran faster in every city that priced its roads" in deleted[1]
    assert "Second Thoughts on Road Pricing" in deleted[2]
    assert len(deleted) == 3
    changes = [p.text for p in document.paragraphs if p.style.name == "Memo Redline Change"]
    assert [c.split(" ", 2)[0] + " " + c.split(" ", 2)[1] for c in changes] == EXPECTED
    for change in [*body.iter(qn("w:ins")), *body.iter(qn("w:del"))]:
        assert change.get(qn("w:author")).startswith("Redline to HEAD")
        assert change.get(qn("w:date")) == "2026-11-23T00:00:00Z"
    unchanged = [p.text for p in document.paragraphs if p.style.name == "Memo Redline Unchanged"]
    assert "Background: unchanged." in unchanged


def test_the_principal_sees_only_what_its_memo_shows(redlined: tuple[Path, Result]) -> None:
    folder, result = redlined
    assert "congestion/principal: 1 change(s)" in result.output
    soup = BeautifulSoup((folder / "principal.html").read_text(encoding="utf-8"), "html.parser")
    assert [w.get_text() for w in soup.select("ol.changes .what")] == ["Rating edited"], (
        "its memo shows no cons or quotations, and never cited the source dropped"
    )


def test_no_change_exits_0_and_folders_compare_too(repository: Path, tmp_path: Path) -> None:
    same = _diff(repository, "HEAD", "HEAD", "--format", "html", "--out", str(tmp_path / "a"))
    assert same.exit_code == 0, same.output
    assert "congestion/staff: unchanged" in same.output
    soup = BeautifulSoup((tmp_path / "a" / "congestion" / "staff.html").read_text(), "html.parser")
    assert not soup.select("ol.changes")
    folders = _diff(
        repository, ".", str(repository), "--format", "docx", "--audience", "staff",
        "--out", str(tmp_path / "b"),
    )  # fmt: skip
    assert folders.exit_code == 0, folders.output
    assert [p.name for p in (tmp_path / "b" / "congestion").iterdir()] == ["staff.docx"]


def test_trouble_exits_2_with_a_coded_message(repository: Path, tmp_path: Path) -> None:
    missing = _diff(repository, "no-such-tag", "HEAD", "--out", str(tmp_path))
    assert missing.exit_code == 2
    assert "[B417] 'no-such-tag' is neither a folder nor a revision git knows" in missing.output
    option = _diff(repository, "--out", str(tmp_path), "--", "--upload-pack=x", "HEAD")
    assert option.exit_code == 2
    assert "[B417] '--upload-pack=x' is neither a folder nor a git revision" in option.output
    unknown = _diff(repository, "HEAD~1", "HEAD", "--audience", "nobody", "--out", str(tmp_path))
    assert unknown.exit_code == 2
    assert "unknown audience 'nobody'" in unknown.output
    broken = tmp_path / "broken"
    init_project(broken)
    _replace(broken / "content" / "memos" / "congestion.yaml", "title:", "titel:")
    bad = _diff(repository, str(broken), "HEAD", "--out", str(tmp_path / "out"))
    assert bad.exit_code == 2, bad.output
    assert "[B201] unknown field 'titel'" in bad.output
    assert f"[B418] the content of {broken} has" in bad.output
    assert "Traceback" not in bad.output
    _git(repository, "tag", "cleared", "HEAD~1")
    _replace(repository / "content" / "memos" / "congestion.yaml", "title:", "titel:")
    _git(repository, "commit", "--quiet", "--all", "-m", "A slip")
    try:
        slip = _diff(repository, "cleared", "HEAD", "--out", str(tmp_path / "out"))
    finally:
        _git(repository, "reset", "--quiet", "--hard", "HEAD~1")
    assert slip.exit_code == 2, slip.output
    assert "HEAD:content/memos/congestion.yaml:6:1: [B201] unknown field 'titel'" in slip.output
    assert "[B418] the content of HEAD (" in slip.output


def test_word_diff_marks_words_struck_and_added() -> None:
    pieces = word_diff("Has not moved the Taliban.", "Has plainly not moved them.")
    assert [(p.kind, p.text) for p in pieces] == [
        ("same", "Has"),
        ("ins", " plainly"),
        ("same", " not moved "),
        ("del", "the Taliban."),
        ("ins", "them."),
    ]


STEP = """  actions:
    - text: Publish the charging zone's boundary for comment.
      owner: Transport Policy Unit
      due: 2027-01-15
      judgment: true
"""
COORDINATION = """coordination:
  - office: Treasury
    stance: comments
    reason: Revenue use needs its own review.
"""


def test_a_new_first_step_and_coordination_are_redlined_where_the_memo_shows_them(
    repository: Path, tmp_path: Path
) -> None:
    """What the principal approves changed: the redline says so in its Recommendation
    section; the public brief, which shows neither, does not."""
    old, new = tmp_path / "old", tmp_path / "new"
    for folder in (old, new):
        shutil.copytree(repository, folder, ignore=shutil.ignore_patterns(".git", "output"))
    memo = new / "content" / "memos" / "congestion.yaml"
    _replace(memo, "  decide_by: 2026-12-15\n", "  decide_by: 2026-12-15\n" + STEP)
    memo.write_text(memo.read_text(encoding="utf-8") + COORDINATION, encoding="utf-8")
    result = _diff(
        repository, str(old), str(new), "--format", "html",
        "--audience", "principal", "--audience", "public", "--out", str(tmp_path / "diff"),
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    folder = tmp_path / "diff" / "congestion"
    principal = BeautifulSoup((folder / "principal.html").read_text(), "html.parser")
    changes = [c.get_text(" ", strip=True) for c in principal.select("ol.changes li")]
    assert any("First step added" in c and "(Transport Policy Unit, by January 15, 2027)" in c
               for c in changes), changes  # fmt: skip
    assert any("Coordination added" in c and "Treasury: Comments" in c for c in changes)
    assert "congestion/public: unchanged" in result.output


def test_redlines_never_replace_a_builds_memos(repository: Path) -> None:
    """`diff --out output` would save redlines under the memos' own names: refused, and
    the memos and the next build's cache are untouched."""
    built = CliRunner().invoke(
        cli, ["build", "--content", str(repository / "content"), "--format", "html"]
    )
    assert built.exit_code == 0, built.output
    memo = repository / "output" / "congestion" / "staff.html"
    before = memo.read_bytes()
    refused = _diff(repository, "HEAD~1", "HEAD", "--format", "html", "--out", "output")
    assert refused.exit_code == 2, refused.output
    assert "[B420]" in refused.output
    assert "Traceback" not in refused.output
    assert memo.read_bytes() == before
