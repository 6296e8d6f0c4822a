"""Every memo says how current its evidence is, and `check` warns when the memo is much newer."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
import yaml
from bs4 import BeautifulSoup
from click.testing import CliRunner, Result

from briefing import Project, check
from briefing.age import latest_day, stale
from briefing.cli import cli
from briefing.content import Content
from briefing.resolve import resolve_view

AUDIENCES = ("congressional", "principal", "public", "staff")
MEMO = "taliban-policy"


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def evidence_age(html: Path) -> str:
    """The line as the page shows it; the Word file beside the page must say the same."""
    found = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser").select(".evidence-age")
    assert len(found) == 1, html.name
    said = " ".join(found[0].get_text().split())
    word = docx.Document(str(html.with_suffix(".docx")))
    assert [p.text for p in word.paragraphs if p.style.name == "Memo Evidence Age"] == [said]
    return said


@pytest.mark.parametrize(
    ("date", "last"),
    [("2023-10", "2023-10-31"), ("2022", "2022-12-31"), ("2024-02", "2024-02-29")],
)
def test_a_partial_date_counts_as_the_last_day_it_can_mean(date: str, last: str) -> None:
    assert latest_day(date) == dt.date.fromisoformat(last)


def test_stale_means_more_than_twelve_months_after() -> None:
    assert not stale(dt.date(2023, 10, 31), dt.date(2024, 10, 31))
    assert stale(dt.date(2023, 10, 31), dt.date(2024, 11, 1))
    assert not stale(dt.date(2024, 2, 29), dt.date(2025, 2, 28))
    assert stale(dt.date(2024, 2, 29), dt.date(2025, 3, 1))


def _month_year(date: str) -> str:
    """A source's date as the age line writes it: 2023-10 as October 2023, 2022 as 2022."""
    year, _, month = date.partition("-")
    assert "-" not in month, f"{date}: a full date; say here how the line writes one"
    return f"{calendar.month_name[int(month)]} {year}" if month else year


def _age_line(content: Content, audience: str) -> str:
    """The line the audience's document should carry, from the sources its view cites and
    the dates sources.yaml gives them."""
    cited = [view.source for view in resolve_view(content, MEMO, audience).sources]
    dated = [source for source in cited if source.date]
    assert dated, f"{audience}: the shipped document cites no dated source"
    newest = _month_year(max(dated, key=lambda source: latest_day(source.date or "")).date or "")
    if len(dated) == len(cited):
        return f"Evidence current to: {newest} (the newest source cited)."
    return (
        f"Evidence current to: {newest} (the newest dated source cited; "
        f"{len(cited) - len(dated)} of {len(cited)} cited sources give no date)."
    )


def test_every_audience_states_the_newest_dated_source(project_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ["build", "--content", str(project_copy), "--format", "html", "--format", "docx"]
    result = run(*args, "--out", str(out))
    assert result.exit_code == 0, result.output
    content = check(Project.at(project_copy)).content
    said = {}
    for audience in AUDIENCES:
        html = out / MEMO / f"{audience}.html"
        said[audience] = evidence_age(html)
        listed = BeautifulSoup(html.read_text("utf-8"), "html.parser").select("#sources li")
        if listed:  # the count is of the sources the document lists, where it lists them
            assert f" of {len(listed)} cited sources" in said[audience], audience
    assert said == {audience: _age_line(content, audience) for audience in AUDIENCES}
    assert len(set(said.values())) > 1, (
        "each counts the sources its own document cites; the shipped documents all say the "
        "same now, so this no longer shows it"
    )


def test_undated_sources_leave_the_age_unknown(tmp_path: Path) -> None:
    project = tmp_path / "p"
    assert run("init", str(project)).exit_code == 0
    out = tmp_path / "out"
    content = str(project / "content")
    formats = ["--format", "html", "--format", "docx"]
    result = run("build", "--content", content, *formats, "--out", str(out))
    assert result.exit_code == 0, result.output
    for audience in AUDIENCES:
        assert evidence_age(out / "congestion" / f"{audience}.html") == (
            "Evidence current to: not known: the memo cites no source."
            if audience == "principal"  # its options in brief, its recommendation citing nothing
            else "Evidence current to: not known: the cited source gives no date."
        ), audience
    assert "[W310]" not in run("check", "--content", content).output


def _where(text: str, pattern: str) -> tuple[str, str]:
    """The first match of `pattern` in `text` (a line of the shipped content), its group 1
    and the `line:column` where that group starts."""
    match = re.search(pattern, text, re.MULTILINE)
    assert match is not None, f"{pattern!r} not in the file"
    start = match.start(1)
    line = text.count("\n", 0, start) + 1
    column = start - text.rfind("\n", 0, start)
    return match.group(1), f"{line}:{column}"


def test_check_warns_when_the_memo_is_over_a_year_newer(project_copy: Path) -> None:
    memo = project_copy / "memos" / "taliban-policy.yaml"
    text = memo.read_text(encoding="utf-8")
    date, where = _where(text, r"^date: (\S+)$")
    dated = yaml.safe_load((project_copy / "sources.yaml").read_text("utf-8"))["sources"]
    newest = max((s for s in dated if s.get("date")), key=lambda s: latest_day(str(s["date"])))
    last = latest_day(str(newest["date"]))
    memo_date = dt.date.fromisoformat(date)
    months = (memo_date.year - last.year) * 12 + memo_date.month - last.month
    months -= memo_date.day < last.day
    assert months > 12, "the shipped memo is no longer over a year newer than its evidence"
    result = run("check", "--content", str(project_copy))
    assert (
        f"taliban-policy.yaml:{where}: [W310] the memo is dated {date}, {months} months after "
        f"its newest dated source: '{newest['id']}', {newest['date']}"
    ) in result.output
    # Dated within a year of that source (and its decision date after it), it is not warned.
    within = last + dt.timedelta(days=364)
    text = re.sub(r"^date: \S+$", f"date: {within}", text, count=1, flags=re.MULTILINE)
    decide = f"decide_by: {within + dt.timedelta(days=14)}"
    text = re.sub(r"decide_by: \S+$", decide, text, count=1, flags=re.MULTILINE)
    memo.write_text(text, encoding="utf-8")
    result = run("check", "--content", str(project_copy))
    assert "[W310]" not in result.output
    assert "problem(s) found" not in result.output, result.output


def test_an_accessed_date_is_given_in_the_full_reference(
    project_copy: Path, tmp_path: Path, edit: Callable[[Path, str, str], None]
) -> None:
    edit(
        project_copy / "sources.yaml",
        "    url: https://www.usip.org/publications/2023/10/shift-toward-more-engagement-taliban\n",
        "    url: https://www.usip.org/publications/2023/10/shift-toward-more-engagement-taliban\n"
        "    accessed: 2025-03-14\n",
    )
    out = tmp_path / "out"
    args = ["build", "--content", str(project_copy), "--audience", "staff", "--format", "html"]
    result = run(*args, "--out", str(out))
    assert result.exit_code == 0, result.output
    soup = BeautifulSoup((out / "taliban-policy" / "staff.html").read_text("utf-8"), "html.parser")
    reference = " ".join(soup.select_one("#source-usip").get_text().split())
    assert "shift-toward-more-engagement-taliban, accessed March 14, 2025." in reference
    edit(project_copy / "sources.yaml", "accessed: 2025-03-14", "accessed: 2025-03")
    result = run("check", "--content", str(project_copy))
    assert result.exit_code == 1
    assert "[B204]" in result.output
