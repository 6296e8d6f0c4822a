"""Stage 7: outputs land whole or not at all, one build at a time.

Each file is written beside its destination under a temporary name of briefing's own
(`.briefing-tmp-...`), flushed to disk and renamed over the old one, so an interrupted
build leaves the previous output in place and no partial file under an output's name; the
next build sweeps any temporary a killed build left, and nothing else: an output folder may
be shared, and a user's own hidden files are not briefing's to delete.

A lock keeps two builds from writing to one folder at once. It is an flock, which the
kernel releases when the last process holding it ends, so a killed build never leaves the
folder locked; forked children (the render workers) close their copy at once, so they never
hold it for a parent that has died. The lock file records its holder's process id and
start time, so a build told to wait can be told by which process.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from briefing.errors import BriefingError, LockedError

TEMPORARY_PREFIX = ".briefing-tmp-"
"""How the names of write_atomic's temporaries start; the sweep removes only these."""

LOCK_FILE = ".briefing.lock"


class FileSystemError(BriefingError):
    """The operating system refused to read or write a path: it says which, and why."""

    code = "B504"


def _advice(error: OSError) -> str:
    """What a user can do about an OS error, by its kind."""
    if error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return "free some space, or build into another folder with --out"
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "check the folder's permissions, or build into another folder with --out"
    if error.errno in (errno.ENOTDIR, errno.EEXIST, errno.EISDIR, errno.ELOOP):
        return "something else stands at that path: move it, or build elsewhere with --out"
    return "check the path, or build into another folder with --out"


def refused(path: Path | str, doing: str, error: OSError) -> FileSystemError:
    """The error for `doing` (e.g. "write") to `path`, saying what the system answered."""
    reason = error.strerror or str(error)
    return FileSystemError(f"cannot {doing} {path}: {reason} ({_advice(error)})")


def describe_os_error(error: OSError) -> str:
    """An OS error raised outside write_atomic, with the path it names if it names one."""
    return str(refused(error.filename or "a file", "write or read", error))


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data` in one step; raise FileSystemError naming `path` if refused."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise refused(error.filename or path.parent, "create the folder", error) from None
    try:
        _replace(path, data)
    except OSError as error:
        raise refused(path, "write", error) from None


def _replace(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(prefix=f"{TEMPORARY_PREFIX}{path.name}.", dir=path.parent)
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


def sweep_temporaries(folder: Path) -> list[Path]:
    """Remove what a killed build left half-written; call only while holding the lock.

    Only names write_atomic gives, in the output folder and one level below (where the
    outputs are): any other file, hidden or not, belongs to someone else.
    """
    removed = []
    pattern = f"{TEMPORARY_PREFIX}*"
    for path in [*folder.glob(pattern), *folder.glob(f"*/{pattern}")]:
        if path.is_symlink() or not path.is_file():
            continue
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
            removed.append(path)
    return removed


_held: set[int] = set()
"""Descriptors of the locks this process holds, for a forked child to close."""


def _close_inherited_locks() -> None:
    """In a forked child: close the parent's lock descriptors without unlocking them.

    An flock belongs to the open file, shared by every descriptor a fork copies; a child
    that kept its copy would hold the lock after its parent died, and every later build
    would be refused. Closing (not unlocking) leaves the parent's lock as it was.
    """
    for handle in _held:
        with contextlib.suppress(OSError):
            os.close(handle)
    _held.clear()


os.register_at_fork(after_in_child=_close_inherited_locks)


def process_start(pid: int) -> str | None:
    """When process `pid` started (clock ticks since boot), or None if it has ended.

    With the pid it names one process even after the pid is reused. Linux only (/proc);
    elsewhere it is always None and the record names the pid alone.
    """
    try:
        text = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    fields = text[text.rfind(")") + 2 :].split()  # after the command name, from field 3
    if len(fields) < 20 or fields[0] in ("Z", "X"):  # a zombie has ended
        return None
    return fields[19]  # field 22, starttime


def _busy(folder: Path, lock: Path) -> str:
    """Why the lock cannot be had, naming its holder as far as the record tells."""
    wait = "wait for it to finish, or build into another folder with --out"
    try:
        pid_text, started = lock.read_text(encoding="ascii").split()[:2]
        pid = int(pid_text)
    except (OSError, ValueError, UnicodeDecodeError):
        return f"another build is writing to {folder}; {wait}"
    if started == "-" or process_start(pid) == started:  # "-": no /proc to tell by
        return f"another build (process {pid}) is writing to {folder}; {wait}"
    return (
        f"{folder} is locked by a process left behind by build {pid}, which has ended; "
        f"end the processes that still have {lock} open (`fuser -v {lock}` lists them), "
        "or build into another folder with --out"
    )


def _open_lock(lock: Path) -> int:
    """Open the lock file, never through a symbolic link, and only a regular file.

    The record is written into it: a link planted in the output folder must not make a
    build overwrite a file elsewhere.
    """
    handle = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    if not stat.S_ISREG(os.fstat(handle).st_mode):
        os.close(handle)
        raise OSError(errno.EEXIST, "not a regular file", str(lock))
    return handle


def _record(handle: int) -> None:
    """Write this process's id and start time into the held lock."""
    pid = os.getpid()
    os.ftruncate(handle, 0)
    os.pwrite(handle, f"{pid} {process_start(pid) or '-'}\n".encode("ascii"), 0)


@contextlib.contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold the output folder for one build at a time; a second build is told, not blocked."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise refused(error.filename or folder, "create the folder", error) from None
    lock = folder / LOCK_FILE
    try:
        handle = _open_lock(lock)
    except OSError as error:
        raise refused(lock, "open the lock", error) from None
    _held.add(handle)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise LockedError(_busy(folder, lock)) from None
        try:
            _record(handle)
        except OSError as error:
            raise refused(lock, "write the lock", error) from None
        yield
    finally:
        _held.discard(handle)
        os.close(handle)
