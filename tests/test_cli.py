"""The command line, driven as a user drives it: exit codes and messages that point at the line."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner, Result

from briefing.cli import cli

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def test_check_on_shipped_content_reports_verified_quotes() -> None:
    result = run("check", "--content", str(ROOT / "content"))
    assert result.exit_code == 0, result.output
    assert "quotes verified, 0 failed" in result.output


def test_build_writes_html_for_the_chosen_audience(project_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run(
        "build",
        "--content",
        str(project_copy),
        "--audience",
        "staff",
        "--format",
        "html",
        "--out",
        str(out),
    )
    assert result.exit_code == 0, result.output
    assert sorted(str(p.relative_to(out)) for p in out.rglob("[!.]*.*")) == [
        "index.html",
        "taliban-policy/staff.html",
    ]


def test_python_build_py_is_the_cli() -> None:
    done = subprocess.run(
        [sys.executable, "build.py", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0
    for command in ("build", "check"):
        assert command in done.stdout


def _break(project: Path, edit: Callable[[Path, str, str], None], old: str, new: str) -> Result:
    edit(project / "positions" / "status-quo.yaml", old, new)
    return run("check", "--content", str(project))


def _title(project: Path, new: str) -> Result:
    """Replace the status-quo position's `title:` line, whatever its title, with `new`
    (which may refer to the title as \\1) and run `check`."""
    file = project / "positions" / "status-quo.yaml"
    text = file.read_text(encoding="utf-8")
    changed, count = re.subn(r"^title: (.*)\n", new, text, count=1, flags=re.MULTILINE)
    assert count == 1, f"no title line in {file}"
    file.write_text(changed, encoding="utf-8")
    return run("check", "--content", str(project))


def _line_of(file: Path, needle: str) -> int:
    for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {file}")


def test_yaml_syntax_error_points_at_the_line(project_copy: Path) -> None:
    result = _title(project_copy, r"title: [\1\n")  # a flow sequence never closed
    assert result.exit_code == 1
    assert "status-quo.yaml:" in result.output
    assert "YAML syntax error" in result.output
    assert "Traceback" not in result.output


def test_unknown_field_suggests_the_right_one(
    project_copy: Path, edit: Callable[[Path, str, str], None]
) -> None:
    result = _break(project_copy, edit, "\npros:", "\npross:")
    file = project_copy / "positions" / "status-quo.yaml"
    line = _line_of(file, "pross:")
    assert result.exit_code == 1
    assert f"status-quo.yaml:{line}:1: [B201] unknown field 'pross'" in result.output
    assert "did you mean 'pros'?" in result.output
    assert "missing required field 'pros'" not in result.output, "one mistake, one error"


def test_missing_required_field_is_named(project_copy: Path) -> None:
    result = _title(project_copy, "")
    assert result.exit_code == 1
    first_key = _line_of(project_copy / "positions" / "status-quo.yaml", "summary:")
    assert f"status-quo.yaml:{first_key}:1: [B202] missing required field 'title'" in result.output


def test_alias_is_refused_at_its_line(project_copy: Path) -> None:
    file = project_copy / "positions" / "status-quo.yaml"
    result = _title(project_copy, r"title: &t \1\nsummary2: *t\n")
    assert result.exit_code == 1
    assert (
        f"status-quo.yaml:{_line_of(file, '&t')}:8: [B105] anchor '&t' is not allowed"
        in result.output
    )


def test_wrong_type_names_field_and_line(
    project_copy: Path, edit: Callable[[Path, str, str], None]
) -> None:
    edit(project_copy / "audiences" / "principal.yaml", "page_budget: 2", "page_budget: two")
    result = run("check", "--content", str(project_copy))
    assert result.exit_code == 1
    line = _line_of(project_copy / "audiences" / "principal.yaml", "page_budget")
    assert f"principal.yaml:{line}:14: [B203] 'page_budget' must be a number" in result.output


def test_unknown_position_in_memo(
    project_copy: Path, edit: Callable[[Path, str, str], None]
) -> None:
    memo = project_copy / "memos" / "taliban-policy.yaml"
    edit(memo, "- position: status-quo", "- position: status-qou")
    result = run("check", "--content", str(project_copy))
    assert result.exit_code == 1
    line = _line_of(memo, "status-qou")
    assert f"taliban-policy.yaml:{line}:15: [B205] unknown position 'status-qou'" in result.output
    assert "did you mean 'status-quo'?" in result.output


def test_unknown_audience_is_a_usage_error(project_copy: Path) -> None:
    result = run("build", "--content", str(project_copy), "--audience", "principle")
    assert result.exit_code == 2
    assert "unknown audience 'principle'" in result.output


def test_missing_content_folder(tmp_path: Path) -> None:
    result = run("check", "--content", str(tmp_path / "nowhere"))
    assert result.exit_code == 1
    assert "content folder not found" in result.output


def test_page_budget_overrun_fails_and_keeps_previous_output(
    project_copy: Path, edit: Callable[[Path, str, str], None], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    previous = out / "taliban-policy" / "principal.pdf"
    previous.parent.mkdir(parents=True)
    previous.write_bytes(b"previous build")
    edit(project_copy / "audiences" / "principal.yaml", "  risks: false", "  risks: true")
    edit(project_copy / "audiences" / "principal.yaml", "  evidence: none", "  evidence: inline")
    result = run(
        "build",
        "--content",
        str(project_copy),
        "--audience",
        "principal",
        "--format",
        "pdf",
        "--out",
        str(out),
    )
    assert result.exit_code == 1
    assert "memo 'taliban-policy' for audience 'principal' took" in result.output
    assert "its budget is 2" in result.output
    assert previous.read_bytes() == b"previous build"
    assert [p.name for p in previous.parent.iterdir()] == [previous.name], "no temporary file left"
