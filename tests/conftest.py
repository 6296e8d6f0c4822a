"""Shared fixtures: the default content built once, and disposable copies to break."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from briefing import BuildReport, Project, build

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def default_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, BuildReport]:
    """Every memo of the shipped content, every audience, both formats, built once."""
    out = tmp_path_factory.mktemp("output")
    project = Project.at(ROOT / "content", output=out)
    return project, build(project)


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A copy of the shipped content and seeds; returns its content folder."""
    shutil.copytree(ROOT / "content", tmp_path / "content")
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    return tmp_path / "content"


@pytest.fixture
def edit() -> Callable[[Path, str, str], None]:
    """Replace one exact passage of a file, failing loudly if it is not there."""

    def replace(file: Path, old: str, new: str) -> None:
        text = file.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {file}"
        file.write_text(text.replace(old, new, 1), encoding="utf-8")

    return replace
