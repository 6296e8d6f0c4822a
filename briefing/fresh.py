"""The no-op build's shortcut: say "up to date" without loading the content.

A build that finds nothing to do still reads and checks every file, and the modules that
do it (pydantic, the models, the quote checks) cost more to import than the check itself.
After a clean build the command line leaves a stamp in the output folder: what was asked
for, the state of every file the build read (content, seeds, settings, templates and their
assets, briefing's own code) and of every file it keeps, and what the build said. The next
identical request whose files are all exactly as the stamp records them repeats that
report without importing anything beyond the standard library.

A file's state is its size, modification time, change time and inode: any edit, copy,
rename or touch changes at least one of them (the change time cannot be set back), so a
stale stamp is never taken for a fresh one; anything unexpected means the full build,
which then writes a new stamp. The stamp only ever skips work that the build cache would
also have skipped: it never decides what an output contains.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

STAMP = ".briefing-fresh.json"
"""The stamp's name in the output folder (hidden: `watch` never serves it)."""
_VERSION = 1
_PACKAGE = Path(__file__).resolve().parent
_TEMPORARY = ".briefing-tmp-"
"""write.TEMPORARY_PREFIX, not imported so that reading a stamp imports nothing of briefing."""


@dataclass(frozen=True)
class Said:
    """What a clean build reported: repeated as it was when nothing has changed since."""

    warnings: list[str]
    up_to_date: int
    verified: int


def request_key(**request: object) -> str:
    """The request as a string: the options that decide what a build reads and makes, and
    the folder it is run from (warnings name files relative to it)."""
    items = {name: repr(value) for name, value in sorted(request.items())}
    items["cwd"] = os.getcwd()
    items["python"] = sys.version
    items["epoch"] = os.environ.get("SOURCE_DATE_EPOCH", "")
    return json.dumps(items, sort_keys=True)


def _state(path: Path) -> list[int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino]


def tree_digest(roots: list[Path], skip: Path) -> str:
    """The state of every file under `roots` (and of each root itself), in a fixed order,
    leaving out the output folder `skip` wherever it sits."""
    digest = hashlib.sha256()
    for root in roots:
        digest.update(f"root:{root}:{_state(root)}\n".encode())
        if not root.is_dir():
            continue
        for folder, dirs, files in os.walk(root):
            here = Path(folder)
            dirs[:] = sorted(d for d in dirs if here / d != skip and d != "__pycache__")
            for name in sorted(files):
                digest.update(f"{here / name}:{_state(here / name)}\n".encode())
    return digest.hexdigest()


def _has_temporaries(output: Path) -> bool:
    """A killed build's leftovers, which only a full build sweeps."""
    try:
        tops = list(os.scandir(output))
    except OSError:
        return True
    for entry in tops:
        if entry.name.startswith(_TEMPORARY):
            return True
        if entry.is_dir(follow_symlinks=False):
            try:
                if any(e.name.startswith(_TEMPORARY) for e in os.scandir(entry.path)):
                    return True
            except OSError:
                return True
    return False


def _unlocked(output: Path) -> bool:
    """Whether no build holds the output folder now (write.LOCK_FILE): while one does, the
    full build says who, and waits for nothing."""
    try:
        handle = os.open(output / ".briefing.lock", os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    try:
        fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError:
        return False
    finally:
        os.close(handle)
    return True


def _kept(output: Path, names: list[str]) -> dict[str, list[int] | None]:
    return {name: _state(output / name) for name in names}


def read(output: Path, request: str) -> Said | None:
    """The report of the last clean build of this request, if nothing it read or wrote has
    changed since; None (build in full) otherwise, or if the stamp is missing or unreadable."""
    try:
        stamp = json.loads((output / STAMP).read_bytes())
        if stamp.get("version") != _VERSION or stamp.get("request") != request:
            return None
        roots = [Path(root) for root in stamp["roots"]]
        kept = stamp["kept"]
        if not isinstance(kept, dict) or _kept(output, list(kept)) != kept:
            return None
        if _has_temporaries(output) or not _unlocked(output):
            return None
        if tree_digest(roots, output) != stamp["inputs"]:
            return None
        said = stamp["said"]
        return Said(
            warnings=[str(line) for line in said["warnings"]],
            up_to_date=int(said["up_to_date"]),
            verified=int(said["verified"]),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def write(output: Path, request: str, roots: list[Path], kept: list[str], said: Said) -> None:
    """Leave the stamp of a clean build: call it after the build, with every folder and file
    it read (`roots`) and every file of the output folder it keeps (`kept`, relative)."""
    from briefing.write import write_atomic  # noqa: PLC0415 - only after a full build

    roots = [*roots, _PACKAGE]
    stamp = {
        "version": _VERSION,
        "request": request,
        "roots": [str(root) for root in roots],
        "inputs": tree_digest(roots, output),
        "kept": _kept(output, kept),
        "said": {
            "warnings": said.warnings,
            "up_to_date": said.up_to_date,
            "verified": said.verified,
        },
    }
    write_atomic(output / STAMP, json.dumps(stamp, indent=0).encode("utf-8"))


def forget(output: Path) -> None:
    """Remove the stamp: the next build checks everything."""
    with contextlib.suppress(OSError):
        (output / STAMP).unlink()
