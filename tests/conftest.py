"""Shared fixtures: the default content built once, and disposable copies to break."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable, Iterator
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


_watching: list[list[str]] = []
_hooked: list[bool] = []  # an audit hook cannot be removed: add it once per process


def _note_open(event: str, args: tuple[object, ...]) -> None:
    if event == "open" and _watching and isinstance(args[0], (str, bytes)):
        _watching[-1].append(os.path.realpath(os.fsdecode(args[0])))


@pytest.fixture
def files_opened() -> Iterator[list[str]]:
    """The real path of every file Python opens in this process while the test runs.

    Python's audit hook reports each open with the path asked for, so a test can show that
    a file was never opened at all, not merely that its bytes did not come out.
    """
    if not _hooked:
        sys.addaudithook(_note_open)
        _hooked.append(True)
    seen: list[str] = []
    _watching.append(seen)
    try:
        yield seen
    finally:
        _watching.remove(seen)
