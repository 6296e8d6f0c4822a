"""Shell completion knows the project: its audiences and memos, the formats, the templates."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import cli

ROOT = Path(__file__).resolve().parent.parent


def complete(words: str) -> list[str]:
    """What bash is offered for the last (possibly empty) word of `words`, through click."""
    env = {
        "_BRIEFING_COMPLETE": "bash_complete",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split(" ")) - 1),
    }
    result = CliRunner().invoke(cli, [], prog_name="briefing", env=env)
    assert result.exit_code == 0, result.output
    return [line.split(",", 1)[1] for line in result.output.splitlines() if line]


@pytest.fixture
def new_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project from `briefing init`, with an audience and a memo more, as the working folder.

    The two added files do not validate: completion reads names, never the files.
    """
    project = tmp_path / "p"
    assert CliRunner().invoke(cli, ["init", str(project)]).exit_code == 0
    (project / "content" / "audiences" / "ambassador.yaml").write_text("not: [valid")
    (project / "content" / "memos" / "bus-lanes.yaml").write_text("")
    monkeypatch.chdir(project)
    return project


def test_audiences_and_memos_of_the_project_in_the_working_folder(new_project: Path) -> None:
    audiences = ["ambassador", "congressional", "principal", "public", "staff"]
    assert complete("briefing build --audience ") == audiences
    assert complete("briefing build --audience p") == ["principal", "public"]
    assert complete("briefing build --memo ") == ["bus-lanes", "congestion"]
    assert complete("briefing build --audience staff --memo c") == ["congestion"]
    assert complete("briefing build --memo x") == []


def test_names_come_from_the_content_folder_given(new_project: Path) -> None:
    content = str(ROOT / "content")
    assert complete(f"briefing build --content {content} --memo ") == ["taliban-policy"]
    shipped = complete(f"briefing build --content {content} --audience ")
    assert shipped == ["congressional", "principal", "public", "staff"]
    assert complete("briefing build --content nowhere --audience ") == []


def test_formats_and_templates(new_project: Path) -> None:
    assert complete("briefing build --format ") == ["html", "pdf", "docx"]
    assert complete("briefing watch --format p") == ["pdf"]
    offered = complete("briefing templates eject d")
    assert offered == ["default", "decision", "disagreements", "draft_warning", "drafting"]
    every = complete("briefing templates eject ")
    assert "partials/grid.html.j2" not in every  # offered as plain "grid"
    assert "grid" in every
    for name in every:  # each name offered is one that eject takes
        result = CliRunner().invoke(cli, ["templates", "eject", name, "--to", "ejected"])
        assert result.exit_code == 0, (name, result.output)
    assert complete("briefing b") == ["build"]


def test_the_installed_command_completes(new_project: Path) -> None:
    """Through the real entry point, as the line in ~/.bashrc sets it up."""
    briefing = Path(sys.executable).parent / "briefing"
    env = {**os.environ, "_BRIEFING_COMPLETE": "bash_complete"}
    env |= {"COMP_WORDS": "briefing build --audience pr", "COMP_CWORD": "3"}
    done = subprocess.run(
        [str(briefing)], env=env, capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.splitlines() == ["plain,principal"]
    env = {**os.environ, "_BRIEFING_COMPLETE": "bash_source"}
    script = subprocess.run(
        [str(briefing)], env=env, capture_output=True, text=True, timeout=60, check=True
    )
    assert "_briefing_completion" in script.stdout
