"""Content is read only from inside its project.

A project is shared, cloned and downloaded, and a symlink travels with it: a position
that is a link to /etc/shadow, or a `positions/` folder that is a link to /etc, would be
read and its lines quoted back in error messages (YAML reads each line as an unknown
field). Every content file, content folder and `briefing.yaml` is therefore resolved and
checked to lie inside the project before it is opened or listed; the file a link out
points at is never opened. Links that stay inside the project are followed as usual, as
for seed texts (`verify.read_seeds`).
"""

from __future__ import annotations

from pathlib import Path

from briefing.errors import Problem, printable

OUTSIDE_HINT = "copy the file into the project instead of linking to it"
"""What to do about a link out: content is read only from inside the project."""


class OutsideProject(Exception):
    """A path that leads out of the project through a symlink (B114), or into a symlink
    loop, which cannot be read at all (B101)."""

    def __init__(self, message: str, code: str = "B114") -> None:
        super().__init__(message)
        self.code = code

    def problem(self, path: Path) -> Problem:
        """The content error for `path`, as every command reports it."""
        hint = OUTSIDE_HINT if self.code == "B114" else "replace the link with the file itself"
        return Problem(path, None, None, str(self), hint, self.code)


def real_path_inside(path: Path, root: Path) -> Path:
    """The real path of `path`, checked to lie inside the folder `root`.

    Resolved by name only: nothing is opened, so the check comes before any read. Raises
    OutsideProject, saying where the link leads, if the path (or a folder on its way)
    leads out of `root`, or if it is a symlink loop.
    """
    try:
        real = path.resolve()
        top = root.resolve()
    except (OSError, RuntimeError):  # RuntimeError: how Python 3.11 reports a loop
        raise OutsideProject(
            f"cannot read the file: '{_name(path)}' or a folder above it is a symlink loop",
            "B101",
        ) from None
    if not real.is_relative_to(top):
        raise OutsideProject(
            f"'{_name(path)}' is a link to '{printable(str(real), one_line=True)}', outside "
            "the project; content is read only from inside it"
        )
    return real


def link_out_problem(path: Path, root: Path) -> Problem | None:
    """The content error for a file or folder that leads out of `root`, or None."""
    try:
        real_path_inside(path, root)
    except OutsideProject as outside:
        return outside.problem(path)
    return None


def contained(folder: Path, pieces: list[str]) -> Path | None:
    """The real path of `pieces` under `folder`, or None if it leads outside the folder
    (or is a symlink loop). Resolved by name only: nothing is opened."""
    try:
        path = folder.joinpath(*pieces).resolve()
        inside = path.is_relative_to(folder.resolve())
    except (OSError, RuntimeError):  # a symlink loop
        return None
    return path if inside else None


def _name(path: Path) -> str:
    """The name a message gives a path: its last part, on one line."""
    return printable(path.name, one_line=True)
