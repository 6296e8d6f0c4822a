"""Content, seed and settings files that are not regular files are refused, never read.

Each check runs the real command in a subprocess with a time and memory limit, so a
regression (blocking on a named pipe, reading /dev/zero until memory runs out) fails the
test instead of hanging it or starving the machine.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ONE_PROBLEM = "1 problem(s) found; nothing was written."
MEMORY = 2 << 30
"""Address space a checked command may use: far above what check needs, far below the RAM."""


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def run_check(content: Path) -> subprocess.CompletedProcess[str]:
    """`briefing check` as a user runs it, stopped after 60 s and at MEMORY bytes."""
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "check", "--content", str(content)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        preexec_fn=_limit_memory,
    )


def refused(done: subprocess.CompletedProcess[str]) -> str:
    """The messages of a check that must have failed cleanly: exit 1, no traceback."""
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    return done.stderr


def fifo(path: Path) -> None:
    path.unlink(missing_ok=True)
    os.mkfifo(path)


def dev_zero(path: Path) -> None:
    path.unlink(missing_ok=True)
    path.symlink_to("/dev/zero")


def fifo_linked_within(path: Path) -> None:
    """A link that stays in the project, to a named pipe beside the content."""
    pipe = path.parents[2] / "pipe"
    fifo(pipe)
    path.unlink(missing_ok=True)
    path.symlink_to(pipe)


@pytest.mark.parametrize(
    ("make", "why"),
    [
        (fifo, "[B113] the file is a named pipe (FIFO), not a regular file"),
        (fifo_linked_within, "[B113] the file is a named pipe (FIFO), not a regular file"),
        (dev_zero, "[B114] 'odd.yaml' is a link to '/dev/zero', outside the project"),
    ],
)
def test_a_content_file_that_is_not_a_regular_file_is_refused(
    project_copy: Path, make: Callable[[Path], None], why: str
) -> None:
    make(project_copy / "positions" / "odd.yaml")
    errors = refused(run_check(project_copy))
    assert f"positions/odd.yaml: {why}" in errors
    assert errors.splitlines()[-1] == ONE_PROBLEM


@pytest.mark.parametrize(
    ("make", "why"),
    [
        (fifo, "the file is a named pipe (FIFO), not a regular file"),
        (dev_zero, "'000_23b0369665136125.txt' is a link to '/dev/zero', outside the seeds folder"),
    ],
)
def test_a_seed_text_that_is_not_a_regular_file_is_refused(
    project_copy: Path, make: Callable[[Path], None], why: str
) -> None:
    make(project_copy.parent / "seeds" / "000_23b0369665136125.txt")
    errors = refused(run_check(project_copy))
    assert f"seeds/000_23b0369665136125.txt: [B302] cannot read seed text: {why}" in errors
    assert errors.splitlines()[-1] == ONE_PROBLEM


@pytest.mark.parametrize(
    ("make", "why"),
    [
        (fifo, "[B113] the file is"),
        (dev_zero, "[B114] 'briefing.yaml' is a link to '/dev/zero', outside the project"),
    ],
)
def test_a_settings_file_that_is_not_a_regular_file_is_refused(
    project_copy: Path, make: Callable[[Path], None], why: str
) -> None:
    make(project_copy.parent / "briefing.yaml")
    errors = refused(run_check(project_copy))
    assert f"briefing.yaml: {why}" in errors


def test_an_oversized_file_is_refused_from_its_size_without_reading_it(
    project_copy: Path,
) -> None:
    huge = project_copy / "positions" / "huge.yaml"
    with huge.open("wb") as stream:
        stream.truncate(2 * MEMORY)  # sparse: nothing on disk, but twice what may be read
    errors = refused(run_check(project_copy))
    assert f"positions/huge.yaml: [B102] file is {2 * MEMORY:,} bytes, over the limit" in errors


def test_an_oversized_seed_text_is_refused(project_copy: Path) -> None:
    seed = project_copy.parent / "seeds" / "000_23b0369665136125.txt"
    with seed.open("ab") as stream:
        stream.truncate(2 * MEMORY)
    errors = refused(run_check(project_copy))
    assert (
        f"seeds/000_23b0369665136125.txt: [B302] cannot read seed text: file is "
        f"{2 * MEMORY:,} bytes, over the limit of 10,000,000"
    ) in errors
