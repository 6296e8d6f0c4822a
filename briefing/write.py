"""Stage 7: outputs land whole or not at all, one build at a time.

Each file is written beside its destination under a temporary (hidden) name, flushed to
disk and renamed over the old one, so an interrupted build leaves the previous output in
place and no partial file under an output's name; the next build sweeps any temporary a
killed build left. A lock keeps two builds from writing to one folder at once.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from briefing.errors import BriefingError


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data` in one step."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


TEMPORARY = ".*.tmp"
"""The pattern of the files write_atomic writes before it renames them."""


def sweep_temporaries(folder: Path) -> list[Path]:
    """Remove what a killed build left half-written; call only while holding the lock."""
    removed = []
    for path in [*folder.glob(TEMPORARY), *folder.glob(f"*/{TEMPORARY}")]:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
            removed.append(path)
    return removed


class LockedError(BriefingError):
    """Another build is writing to the same folder."""

    code = "B501"


@contextlib.contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold the output folder for one build at a time; a second build is told, not blocked."""
    folder.mkdir(parents=True, exist_ok=True)
    handle = os.open(folder / ".briefing.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise LockedError(
                f"another build is writing to {folder}; wait for it to finish, "
                "or build into another folder with --out"
            ) from None
        yield
    finally:
        os.close(handle)
