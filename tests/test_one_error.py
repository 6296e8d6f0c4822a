"""One mistake, one error: what only follows from an earlier error is not reported again."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner

from briefing.cli import cli

ONE_PROBLEM = "1 problem(s) found; nothing was written."
Edit = Callable[[Path, str, str], None]


def the_only_error(content: Path) -> str:
    """The one problem `check` reports, as printed (message and hint lines)."""
    result = CliRunner().invoke(cli, ["check", "--content", str(content)])
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert result.output.splitlines()[-1] == ONE_PROBLEM, result.output
    return result.output


def test_a_misspelt_rating_is_one_error_not_a_list_of_unknown_questions(
    project_copy: Path, edit: Edit
) -> None:
    memo = project_copy / "memos" / "taliban-policy.yaml"
    edit(memo, "cost: {rating: advances,", "cost: {rating: advnces,")
    lines = memo.read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, start=1) if "advnces" in text)
    column = lines[line - 1].index("advnces") + 1
    output = the_only_error(project_copy)
    assert f"taliban-policy.yaml:{line}:{column}: [B204] 'advnces' is not allowed for 'rating'" in (
        output
    )
    assert "unknown question" not in output


def test_a_bad_memo_date_is_one_error(project_copy: Path, edit: Edit) -> None:
    edit(project_copy / "memos" / "taliban-policy.yaml", "date: 2026-11-23", "date: 2026-13-45")
    output = the_only_error(project_copy)
    assert "taliban-policy.yaml:6:7: [B204] '2026-13-45' is not a date" in output


def test_a_broken_position_is_not_also_an_unknown_position(project_copy: Path, edit: Edit) -> None:
    edit(
        project_copy / "positions" / "status-quo.yaml",
        "title: Maintain pressure and isolation",
        'title: "Maintain pressure and isolation',
    )
    output = the_only_error(project_copy)
    assert "status-quo.yaml:" in output
    assert "[B104]" in output
    assert "unknown position" not in output


def test_a_position_file_misnamed_is_not_also_an_unknown_position(project_copy: Path) -> None:
    positions = project_copy / "positions"
    (positions / "status-quo.yaml").rename(positions / "Status Quo.yaml")
    output = the_only_error(project_copy)
    assert "positions/Status Quo.yaml: [B215] the file name 'Status Quo.yaml'" in output
    assert "hint: rename it to 'status-quo.yaml'" in output


def test_a_misspelt_field_is_not_also_a_missing_one(project_copy: Path, edit: Edit) -> None:
    edit(project_copy / "positions" / "status-quo.yaml", "\nsummary:", "\nsummry:")
    output = the_only_error(project_copy)
    assert (
        "status-quo.yaml:3:1: [B201] unknown field 'summry'\n    hint: did you mean 'summary'?"
        in (output)
    )


def test_a_broken_audience_is_not_also_an_unknown_audience(project_copy: Path, edit: Edit) -> None:
    edit(
        project_copy / "memos" / "taliban-policy.yaml",
        "  - position: status-quo\n",
        "  - position: status-quo\n    except: [public]\n",
    )
    edit(project_copy / "audiences" / "public.yaml", "paper: letter", "paper: A5")
    output = the_only_error(project_copy)
    assert "public.yaml:8:8: [B204] 'A5' is not allowed for 'paper'" in output


def test_a_broken_sources_file_is_not_also_every_source_unknown(
    project_copy: Path, edit: Edit
) -> None:
    edit(
        project_copy / "sources.yaml",
        "  - id: weinbaum\n    title:",
        "  - id: weinbaum\n    titel:",
    )
    output = the_only_error(project_copy)
    assert "sources.yaml:8:5: [B201] unknown field 'titel'" in output


def test_a_wrong_section_names_the_list_item(project_copy: Path, edit: Edit) -> None:
    edit(
        project_copy / "audiences" / "staff.yaml", "sections: [question,", "sections: [question, x,"
    )
    output = the_only_error(project_copy)
    assert "staff.yaml:12:22: [B204] sections[1]: 'x' is not a section\n    hint: use one of:" in (
        output
    )


def test_an_over_indented_field_gets_an_indentation_hint(project_copy: Path, edit: Edit) -> None:
    edit(project_copy / "audiences" / "staff.yaml", "\nfont_size: 11", "\n  font_size: 11")
    output = the_only_error(project_copy)
    assert "staff.yaml:11:12: [B104] YAML syntax error: mapping values are not allowed here" in (
        output
    )
    assert (
        "hint: line 11 is indented more than line 10, so YAML reads 'font_size' as more of the "
        "value on line 10; line it up with the field above"
    ) in output
