"""One mistake, one error: what only follows from an earlier error is not reported again."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner

from briefing.cli import cli

ONE_PROBLEM = "1 problem(s) found; nothing was written."
Edit = Callable[[Path, str, str], None]


def _where(file: Path, pattern: str) -> str:
    """`line:column` of the first match of `pattern` in `file` (its group 1, if it has one),
    so the expected place follows the shipped content wherever it moves."""
    text = file.read_text(encoding="utf-8")
    match = re.search(pattern, text, re.MULTILINE)
    assert match is not None, f"{pattern!r} not in {file}"
    start = match.start(1) if match.groups() else match.start()
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    return f"{line}:{column}"


def _replace(file: Path, pattern: str, new: str) -> None:
    """Replace the first match of `pattern` (a line of the shipped content) in `file`."""
    text = file.read_text(encoding="utf-8")
    changed, count = re.subn(pattern, new, text, count=1, flags=re.MULTILINE)
    assert count == 1, f"{pattern!r} not in {file}"
    file.write_text(changed, encoding="utf-8")


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


def test_a_bad_memo_date_is_one_error(project_copy: Path) -> None:
    memo = project_copy / "memos" / "taliban-policy.yaml"
    _replace(memo, r"^date: .*$", "date: 2026-13-45")
    output = the_only_error(project_copy)
    where = _where(memo, r"^date: (2026-13-45)")
    assert f"taliban-policy.yaml:{where}: [B204] '2026-13-45' is not a date" in output


def test_a_broken_position_is_not_also_an_unknown_position(project_copy: Path) -> None:
    _replace(project_copy / "positions" / "status-quo.yaml", r"^title: (.*)$", r'title: "\1')
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
    position = project_copy / "positions" / "status-quo.yaml"
    edit(position, "\nsummary:", "\nsummry:")
    output = the_only_error(project_copy)
    where = _where(position, r"^summry:")
    assert (
        f"status-quo.yaml:{where}: [B201] unknown field 'summry'\n    hint: did you mean 'summary'?"
        in (output)
    )


def test_a_broken_audience_is_not_also_an_unknown_audience(project_copy: Path, edit: Edit) -> None:
    edit(
        project_copy / "memos" / "taliban-policy.yaml",
        "  - position: status-quo\n",
        "  - position: status-quo\n    except: [public]\n",
    )
    profile = project_copy / "audiences" / "public.yaml"
    edit(profile, "paper: letter", "paper: A5")
    output = the_only_error(project_copy)
    where = _where(profile, r"^paper: (A5)")
    assert f"public.yaml:{where}: [B204] 'A5' is not allowed for 'paper'" in output


def test_a_broken_sources_file_is_not_also_every_source_unknown(
    project_copy: Path, edit: Edit
) -> None:
    sources = project_copy / "sources.yaml"
    edit(sources, "  - id: weinbaum\n    title:", "  - id: weinbaum\n    titel:")
    output = the_only_error(project_copy)
    where = _where(sources, r"^    (titel):")
    assert f"sources.yaml:{where}: [B201] unknown field 'titel'" in output


def test_a_wrong_section_names_the_list_item(project_copy: Path, edit: Edit) -> None:
    profile = project_copy / "audiences" / "staff.yaml"
    _replace(profile, r"^sections: \[(\w+),", r"sections: [\1, x,")
    output = the_only_error(project_copy)
    where = _where(profile, r"^sections: \[\w+, (x),")
    assert (
        f"staff.yaml:{where}: [B204] sections[1]: 'x' is not a section\n    hint: use one of:"
        in (output)
    )


def test_an_over_indented_field_gets_an_indentation_hint(project_copy: Path, edit: Edit) -> None:
    profile = project_copy / "audiences" / "staff.yaml"
    _replace(profile, r"^font_size:", "  font_size:")
    output = the_only_error(project_copy)
    line = int(_where(profile, r"^  font_size:").split(":")[0])
    assert (
        f"staff.yaml:{line}:12: [B104] YAML syntax error: mapping values are not allowed here"
        in output
    )
    assert (
        f"hint: line {line} is indented more than line {line - 1}, so YAML reads 'font_size' as "
        f"more of the value on line {line - 1}; line it up with the field above"
    ) in output
