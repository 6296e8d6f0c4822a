"""No YAML value ends in a traceback: each is a located problem, through the real command."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from briefing.cli import cli

ONE_PROBLEM = "1 problem(s) found; nothing was written."
TITLE = re.compile(r"^title: .*\n", re.MULTILINE)
"""The `title:` line of positions/status-quo.yaml, replaced by each hostile line below."""


def with_title_line(content: Path, line: str) -> int:
    """Put `line` where the status-quo position's title line is, whatever the title says;
    returns that line's number, where each problem below is expected."""
    position = content / "positions" / "status-quo.yaml"
    text = position.read_text(encoding="utf-8")
    found = TITLE.search(text)
    assert found is not None, f"no title line in {position}"
    position.write_text(text[: found.start()] + line + "\n" + text[found.end() :], encoding="utf-8")
    return text.count("\n", 0, found.start()) + 1


def refused(result: Result) -> str:
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    assert result.output.splitlines()[-1] == ONE_PROBLEM
    return result.output


# Each problem as printed after its line number (the title line's): column, code, message.
@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("title: !!int abc", ":8: [B108] the tag 'tag:yaml.org,2002:int' is not allowed"),
        ("title: !!float abc", ":8: [B108] the tag 'tag:yaml.org,2002:float' is not allowed"),
        ("title: !!bool maybe", ":8: [B108] the tag 'tag:yaml.org,2002:bool' is not allowed"),
        ("title: !!str plain", ":8: [B108] the tag 'tag:yaml.org,2002:str' is not allowed"),
        (
            "!!python/name:os.system title: x",
            ":1: [B108] the tag 'tag:yaml.org,2002:python/name:os.system' is not allowed",
        ),
        ("? !custom title\n: x", ":3: [B108] the tag '!custom' is not allowed"),
        (
            "title: " + "7" * 4_301,
            ":8: [B112] the number has 4,301 digits, more than can be read (4,300)",
        ),
        ("title: 0x_", ":8: [B112] '0x_' cannot be read as a number"),
        ("title: 0b_", ":8: [B112] '0b_' cannot be read as a number"),
    ],
    ids=["int", "float", "bool", "str", "key", "explicit-key", "long-int", "hex", "binary"],
)
def test_a_value_that_cannot_be_read_is_a_located_problem(
    project_copy: Path, line: str, expected: str
) -> None:
    at = with_title_line(project_copy, line)
    output = refused(CliRunner().invoke(cli, ["check", "--content", str(project_copy)]))
    assert f"positions/status-quo.yaml:{at}{expected}" in output


def test_build_refuses_an_unreadable_value_before_writing(
    project_copy: Path, tmp_path: Path
) -> None:
    at = with_title_line(project_copy, "title: " + "7" * 5_000)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", "--content", str(project_copy), "--out", str(out)])
    output = refused(result)
    assert f"positions/status-quo.yaml:{at}:8: [B112] the number has 5,000 digits" in output
    assert "hint: quote it if it is text" in output
    assert not out.exists()
