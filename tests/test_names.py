"""Ids come from file names, and only names that are safe as output paths are accepted."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from briefing.cli import cli

ONE_PROBLEM = "1 problem(s) found; nothing was written."
RULE = (
    "an id is its file name without '.yaml': lower-case letters, digits, '-' and '_', "
    "starting with a letter or digit, at most 64 characters"
)


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def failed_cleanly(result: Result, code: int = 1) -> str:
    assert result.exit_code == code, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result.output


@pytest.mark.parametrize(
    ("name", "where", "shown", "rename"),
    [
        ("...yaml", "memos/...yaml", "...yaml", "rename it"),
        (".yaml", "memos/.yaml", ".yaml", "rename it"),
        ("Status Memo.yaml", "memos/Status Memo.yaml", "Status Memo.yaml",
         "rename it to 'status-memo.yaml'"),
        ("TALIBAN.yaml", "memos/TALIBAN.yaml", "TALIBAN.yaml", "rename it to 'taliban.yaml'"),
        ("-draft.yaml", "memos/-draft.yaml", "-draft.yaml", "rename it to 'draft.yaml'"),
        ("two\nlines.yaml", "memos", "two<U+000A>lines.yaml", "rename it to 'two-lines.yaml'"),
        ("esc\x1b[31m.yaml", "memos", "esc<U+001B>[31m.yaml", "rename it to 'esc-31m.yaml'"),
        ("caf\u00e9.yaml", "memos/caf\u00e9.yaml", "caf\u00e9.yaml", "rename it to 'caf.yaml'"),
        ("m" * 65 + ".yaml", "memos/" + "m" * 65 + ".yaml", "m" * 65 + ".yaml", "rename it"),
    ],
)  # fmt: skip
def test_a_file_name_that_cannot_be_an_id_is_refused_with_how_to_rename_it(
    project_copy: Path, name: str, where: str, shown: str, rename: str
) -> None:
    shutil.copy(project_copy / "memos" / "taliban-policy.yaml", project_copy / "memos" / name)
    output = failed_cleanly(invoke("check", "--content", str(project_copy)))
    assert f"{where}: [B215] the file name '{shown}' cannot be a memo id" in output
    assert f"hint: {rename}; {RULE}" in output
    assert output.splitlines()[-1] == ONE_PROBLEM


@pytest.mark.parametrize(("folder", "kind"), [("positions", "position"), ("audiences", "audience")])
def test_positions_and_audiences_are_named_by_the_same_rule(
    project_copy: Path, folder: str, kind: str
) -> None:
    first = sorted((project_copy / folder).glob("*.yaml"))[0]
    shutil.copy(first, project_copy / folder / "Copy Of.yaml")
    output = failed_cleanly(invoke("check", "--content", str(project_copy)))
    assert f"{folder}/Copy Of.yaml: [B215] the file name 'Copy Of.yaml' cannot be a {kind} id" in (
        output
    )
    assert output.splitlines()[-1] == ONE_PROBLEM


def test_a_memo_named_dot_dot_cannot_write_outside_the_output_folder(
    project_copy: Path, tmp_path: Path
) -> None:
    shutil.copy(project_copy / "memos" / "taliban-policy.yaml", project_copy / "memos" / "...yaml")
    out = tmp_path / "site" / "out"
    result = invoke(
        "build", "--content", str(project_copy), "--out", str(out), "--format", "html",
        "--audience", "staff",
    )  # fmt: skip
    output = failed_cleanly(result)
    assert "[B215]" in output
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize(
    ("option", "name"),
    [("--memo", ".."), ("--memo", "../taliban-policy"), ("--audience", "../../staff")],
)
def test_the_command_line_selection_cannot_name_a_path(
    project_copy: Path, tmp_path: Path, option: str, name: str
) -> None:
    out = tmp_path / "out"
    result = invoke("build", "--content", str(project_copy), "--out", str(out), option, name)
    output = failed_cleanly(result, code=2)
    assert f"[B502] unknown {option[2:]} '{name}'" in output
    assert not out.exists()


def test_underscores_are_allowed_in_ids_and_their_outputs_are_cached_and_cleaned(
    project_copy: Path, tmp_path: Path, edit: Callable[[Path, str, str], None]
) -> None:
    positions, memos = project_copy / "positions", project_copy / "memos"
    (positions / "status-quo.yaml").rename(positions / "status_quo.yaml")
    (memos / "taliban-policy.yaml").rename(memos / "taliban_policy.yaml")
    edit(memos / "taliban_policy.yaml", "position: status-quo", "position: status_quo")
    profile = project_copy / "audiences" / "desk_officer.yaml"
    shutil.copy(project_copy / "audiences" / "staff.yaml", profile)
    out = tmp_path / "out"
    args = ["build", "--content", str(project_copy), "--out", str(out), "--format", "html"]
    built = invoke(*args, "--audience", "desk_officer")
    assert built.exit_code == 0, built.output
    written = out / "taliban_policy" / "desk_officer.html"
    assert written.is_file()
    manifest = json.loads((out / ".briefing-cache.json").read_text())
    assert "taliban_policy/desk_officer.html" in manifest["outputs"]
    profile.unlink()
    again = invoke(*args, "--audience", "staff")
    assert again.exit_code == 0, again.output
    assert "removed" in again.output
    assert not written.exists()
