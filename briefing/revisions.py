"""One side of a redline: a project folder, or the project as a git revision left it.

A revision is read with `git archive` into a temporary folder, never by checking it out:
the working tree, the index and HEAD are not touched, so a redline can be made in the
middle of an edit. Only the content folder, `seeds/` and `briefing.yaml` are taken, and
the archive is unpacked with tarfile's `data` filter, which refuses absolute paths, links
leading out of the folder and device files: a revision is content, and content is not
trusted.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from briefing.errors import GitError, RevisionError
from briefing.project import SETTINGS_FILE, Project

GIT_TIMEOUT = 120
"""Seconds a git command may take before the redline gives up on it."""
ARCHIVE_MAX_BYTES = 500_000_000
"""A project revision larger than this is refused rather than unpacked."""


@dataclass(frozen=True)
class Side:
    """One side of a comparison: what to call it, and the project to read."""

    label: str
    project: Project
    revision: str | None = None
    """The revision as given, for a side read from git; None for a folder."""

    def named(self, file: Path) -> Path:
        """A file of this side as a reader can find it: `REV:content/x.yaml` for a file of
        a revision (its temporary folder is gone once the command ends), else itself."""
        if self.revision is None or not file.is_relative_to(self.project.root):
            return file
        return Path(f"{self.revision}:{file.relative_to(self.project.root).as_posix()}")


@contextmanager
def open_side(spec: str, current: Project) -> Iterator[Side]:
    """The project `spec` names: a folder (a project, or its content folder), else a git
    revision of the repository `current` lives in, unpacked for as long as it is used."""
    folder = Path(spec)
    if folder.is_dir():
        yield Side(spec, _folder_project(folder, current))
        return
    if spec.startswith("-") or not spec.strip():
        raise RevisionError(f"'{spec}' is neither a folder nor a git revision")
    top = _git(current.root, "rev-parse", "--show-toplevel", missing=spec).strip()
    commit = _git(
        current.root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{spec}^{{commit}}",
        missing=spec,
    ).strip()  # fmt: skip
    prefix = current.root.resolve().relative_to(Path(top).resolve()).as_posix()
    with tempfile.TemporaryDirectory(prefix="briefing-revision-") as temporary:
        root = Path(temporary)
        _unpack(current, commit, "" if prefix == "." else prefix, root)
        content = root / current.content.name
        if not content.is_dir():
            raise RevisionError(
                f"revision '{spec}' has no folder '{current.content.name}' at "
                f"'{prefix if prefix != '.' else 'the top'}' of the repository"
            )
        yield Side(f"{spec} ({commit[:10]})", Project.at(content, root / "output"), spec)


def _folder_project(folder: Path, current: Project) -> Project:
    """A project folder (holding the content folder) or a content folder itself."""
    for content in (folder / current.content.name, folder / "content", folder):
        if (content / "sources.yaml").is_file():
            return Project.at(content, Path(tempfile.gettempdir()) / "briefing-unused-output")
    raise RevisionError(
        f"folder '{folder}' holds no content folder (a folder with sources.yaml, positions/, "
        "memos/ and audiences/)"
    )


def _unpack(current: Project, commit: str, prefix: str, root: Path) -> None:
    """Unpack the revision's content folder, seeds and settings under `root`."""
    tree = f"{commit}:{prefix}" if prefix else commit
    data = _git_bytes(current.root, "archive", "--format=tar", tree)
    if len(data) > ARCHIVE_MAX_BYTES:
        raise RevisionError(f"revision {commit[:10]} is over {ARCHIVE_MAX_BYTES:,} bytes")
    wanted = (f"{current.content.name}/", "seeds/")
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        members = [
            member
            for member in archive.getmembers()
            if member.name.startswith(wanted) or member.name == SETTINGS_FILE
        ]
        try:
            archive.extractall(root, members=members, filter="data")
        except tarfile.FilterError as error:
            shutil.rmtree(root, ignore_errors=True)
            raise RevisionError(f"revision {commit[:10]} holds a file refused: {error}") from None


def _git(folder: Path, *arguments: str, missing: str) -> str:
    try:
        return _git_bytes(folder, *arguments).decode("utf-8", "replace")
    except GitError as error:
        raise RevisionError(
            f"'{missing}' is neither a folder nor a revision git knows in {folder} "
            f"({error.message})"
        ) from None


def _git_bytes(folder: Path, *arguments: str) -> bytes:
    git = shutil.which("git")
    if git is None:
        raise GitError("git is not installed; compare two folders instead")
    try:
        done = subprocess.run(
            [git, "-C", str(folder), *arguments],
            capture_output=True,
            timeout=GIT_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise GitError(f"git {arguments[0]} took more than {GIT_TIMEOUT} s") from None
    except OSError as error:
        raise GitError(f"cannot run git: {error.strerror or error}") from None
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(said[-1] if said else f"git {arguments[0]} failed")
    return done.stdout
