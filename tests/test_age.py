"""Every memo says how current its evidence is, and `check` warns when the memo is much newer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner, Result

from briefing.age import latest_day, stale
from briefing.cli import cli

AUDIENCES = ("congressional", "principal", "public", "staff")


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


def test_every_audience_states_the_newest_dated_source(project_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ["build", "--content", str(project_copy), "--format", "html", "--format", "docx"]
    result = run(*args, "--out", str(out))
    assert result.exit_code == 0, result.output
    said = {
        audience: evidence_age(out / "taliban-policy" / f"{audience}.html")
        for audience in AUDIENCES
    }
    dated = "Evidence current to: October 2023 (the newest dated source cited; "
    assert said == {
        "congressional": dated + "2 of 4 cited sources give no date).",
        "principal": "Evidence current to: October 2023 (the newest source cited).",
        "public": dated + "3 of 5 cited sources give no date).",
        "staff": dated + "3 of 5 cited sources give no date).",
    }, "each counts the sources its own document cites (the principal's steps cite USIP alone)"


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


def test_check_warns_when_the_memo_is_over_a_year_newer(
    project_copy: Path, edit: Callable[[Path, str, str], None]
) -> None:
    result = run("check", "--content", str(project_copy))
    assert (
        "taliban-policy.yaml:6:7: [W310] the memo is dated 2026-11-23, 36 months after its "
        "newest dated source: 'usip', 2023-10"
    ) in result.output
    memo = project_copy / "memos" / "taliban-policy.yaml"
    edit(memo, "date: 2026-11-23", "date: 2024-10-31")
    edit(memo, "decide_by: 2026-12-15", "decide_by: 2024-12-15")
    assert "[W310]" not in run("check", "--content", str(project_copy)).output


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
