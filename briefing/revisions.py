"""One side of a redline: a project folder, or the project as a git revision left it.

A revision is read with git's plumbing into a temporary folder, never by checking it out:
the working tree, the index and HEAD are not touched, so a redline can be made in the
middle of an edit. A revision is content, and content is not trusted, so nothing in it
decides where a byte is written or what runs:

- `git ls-tree` lists the content folder, `seeds/` and `briefing.yaml`, then the templates
  folder that this `briefing.yaml` names, if it lies inside the project (nothing else of
  the project is read), with each entry's mode and size. The revision is then a project
  as it was: its own profiles, settings and templates, so that a project with a templates
  folder of its own (`briefing new audience`) can be redlined. Its templates are as
  untrusted as its content and run in the same sandbox; a PDF reads only the assets under
  them. Only plain files are taken. A symbolic link or a submodule there is refused
  (B417), never skipped: a revision whose content is a link is not content. So is a path
  with an empty, `.` or `..` part, a backslash, a control character or bytes that are not
  UTF-8, a name over 255 bytes, a path over MAX_PATH_BYTES, and a path given twice (a
  crafted tree can hold two entries of one name).
- The sizes git reports are checked, each against its own limit (the loader's for content
  and seeds, MAX_TEMPLATE_BYTES for a template or asset) and all together against
  REVISION_MAX_BYTES, before a byte is read; a large file elsewhere in the project costs
  nothing.
- `git cat-file --batch` streams each file, exactly as many bytes as it announces, into a
  file briefing creates itself (`O_CREAT | O_EXCL | O_NOFOLLOW`) in folders it makes itself
  under the temporary folder. No filter or textconv is asked for, and git runs with
  settings that keep the repository's configuration from starting a program (an fsmonitor
  hook, a fetch of a missing object in a partial clone).
- A side that looks like an option (`-x`), or is too long to be a folder or a revision, is
  refused before git sees it, and quoted cut short.
"""

from __future__ import annotations

import os
import posixpath
import shutil
import stat
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from briefing.errors import SHOWN_CHARACTERS, GitError, RevisionError, printable
from briefing.load import MAX_FILE_BYTES
from briefing.project import SETTINGS_FILE, Project, read_settings
from briefing.verify import MAX_SEED_BYTES

GIT_TIMEOUT = 120
"""Seconds a git command may take before the redline gives up on it."""
REVISION_MAX_BYTES = 500_000_000
"""The files a redline reads from one revision (content, seeds, settings, templates) may
add up to this many bytes, by the sizes git reports; a revision over it is refused before
a byte of it is read."""
REVISION_MAX_FILES = 20_000
"""A revision with more files than this in its content folder, seeds and templates folder
is refused: far more than any memo project holds, few enough to list and write quickly."""
MAX_TEMPLATE_BYTES = 50_000_000
"""The largest file a revision's templates folder may hold: a template, a stylesheet, or
an asset a PDF embeds (a font, an image), which can be far larger than any content file."""
MAX_NAME_BYTES = 255
"""The longest file or folder name most file systems accept."""
MAX_PATH_BYTES = 1024
"""The longest path, inside the project, of a file taken from a revision: deep enough for
any content, short enough that the temporary folder's path stays well within PATH_MAX."""
MAX_SIDE_CHARS = 1024
"""No folder or revision a person names on the command line is longer."""
_SEEDS = "seeds"
_CHUNK = 1 << 16
_PLAIN_MODES = {b"100644", b"100755"}
_WHAT_MODE_IS = {b"120000": "a symbolic link", b"160000": "a submodule (gitlink)"}
_SAFE_SETTINGS = (
    "-c", "core.fsmonitor=false",  # the repository's fsmonitor hook is a program
    "-c", "protocol.allow=never",  # a partial clone would fetch a missing object
    "-c", "core.hooksPath=/dev/null",  # no hook runs for plumbing; none could here either
)  # fmt: skip
"""Settings every git command here is run with, over the repository's own: plumbing runs
no filter, textconv or pager, and these keep the rest of a repository's configuration from
starting a program or reaching the network."""
_SAFE_ENVIRONMENT = {
    "GIT_NO_LAZY_FETCH": "1",  # git 2.44 and later: never fetch a missing object
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_OPTIONAL_LOCKS": "0",  # reading a revision writes nothing, not even a lock
}


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


@dataclass(frozen=True)
class _File:
    """A plain file of a revision, as `git ls-tree` lists it."""

    path: str
    """Its path inside the project folder, `/`-separated."""
    oid: str
    size: int


class _Refused(Exception):
    """A path of a revision that is not written, and why; the caller names the revision."""

    def __init__(self, path: bytes | str, why: str) -> None:
        self.path = path if isinstance(path, str) else path.decode("utf-8", "replace")
        self.why = why
        super().__init__(f"'{_shown(self.path)}' {why}")


WORKING_TREE = "the working tree"
"""What a redline calls the project as it stands, the side left out on the command line."""


@contextmanager
def open_side(spec: str | None, current: Project) -> Iterator[Side]:
    """The project `spec` names: a folder (a project, or its content folder), else a git
    revision of the repository `current` lives in, unpacked for as long as it is used;
    None is `current` itself, as it stands."""
    if spec is None:
        yield Side(WORKING_TREE, current)
        return
    _refuse_unless_nameable(spec)
    if _is_folder(spec):
        yield Side(spec, _folder_project(Path(spec), current))
        return
    _refuse_option_like(spec)
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


def _shown(text: str) -> str:
    """`text` as a one-line message quotes it: escaped, and cut short if long, so that a
    100,000-character argument or a crafted path cannot flood the terminal."""
    if len(text) <= SHOWN_CHARACTERS:
        cut = text
    else:
        cut = f"{text[:SHOWN_CHARACTERS]}… ({len(text):,} characters)"
    return printable(cut, one_line=True)


def _refuse_unless_nameable(spec: str) -> None:
    """Refuse a side no folder or revision could be named by, before the file system or
    git is asked about it (either would fail with a message of its own, quoting it all)."""
    if len(spec) > MAX_SIDE_CHARS:
        raise RevisionError(
            f"'{_shown(spec)}' is neither a folder nor a git revision: it is longer than "
            f"{MAX_SIDE_CHARS:,} characters"
        )
    if "\0" in spec or not spec.strip():
        raise RevisionError(f"'{_shown(spec)}' is neither a folder nor a git revision")


def _is_folder(spec: str) -> bool:
    """Whether `spec` names a folder; a name the system cannot look up is no folder."""
    try:
        return Path(spec).is_dir()
    except (OSError, ValueError):
        return False


def _refuse_option_like(spec: str) -> None:
    """A revision starting with `-` would be read by git as an option: refused, whatever
    the command line did with `--` before it."""
    if spec.startswith("-"):
        raise RevisionError(
            f"'{_shown(spec)}' is neither a folder nor a git revision: a revision cannot start "
            f"with '-' (name such a folder as ./{_shown(spec)})"
        )


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
    """Write the revision's content folder, seeds and settings under `root`, then the
    templates folder those settings name, or refuse the revision (B417): every path and
    size is checked before a file is read, and `root` is removed with whatever was written
    once the refusal leaves `open_side`."""
    try:
        wanted = (current.content.name, _SEEDS, SETTINGS_FILE)
        files = _list_files(current.root, commit, prefix, wanted)
        _refuse_if_too_large(files, [], commit)
        _copy_files(current.root, files, root)
        folder = _templates_folder(root / SETTINGS_FILE)
        if folder is not None:
            taken = {file.path for file in files}
            listed = _list_files(current.root, commit, prefix, (folder,))
            templates = [file for file in listed if file.path not in taken]
            _refuse_if_too_large(files, templates, commit)
            _copy_files(current.root, templates, root)
    except _Refused as refused:
        raise RevisionError(f"revision {commit[:10]} holds a file refused: {refused}") from None
    except OSError as error:
        raise GitError(
            f"cannot unpack revision {commit[:10]} into {tempfile.gettempdir()}: "
            f"{error.strerror or error}"
        ) from None


def _templates_folder(settings: Path) -> str | None:
    """The templates folder a revision's settings name, as a path inside the project
    (`""` for the project folder itself), or None where they name none, or one outside
    the project or no path could hold: nothing more is then read, and the project's own
    check says what is wrong with the setting (B214), as it would of a working tree."""
    named = read_settings(settings).templates
    if not named:
        return None
    folder = posixpath.normpath(named)
    if posixpath.isabs(folder) or folder == ".." or folder.startswith("../"):
        return None
    if folder == ".":
        return ""
    try:
        return _checked_path(folder.encode())
    except _Refused:
        return None


def _list_files(folder: Path, commit: str, prefix: str, wanted: tuple[str, ...]) -> list[_File]:
    """The plain files under the `wanted` paths of the project (`""` is all of it) in
    `commit`, their paths taken relative to the project folder `prefix` (of the
    repository's top).

    Raises _Refused for the first entry that is not a plain file at a safe path, and for
    a path listed twice, or as a file and as a folder.
    """
    base = f"{prefix}/" if prefix else ""
    specs = [(base + path).rstrip("/") for path in wanted]
    files: dict[str, _File] = {}
    folders: set[str] = set()
    arguments = ("ls-tree", "-r", "-z", "-l", "--full-tree", commit, "--")
    with _running(folder, "--literal-pathspecs", *arguments, *filter(None, specs)) as git:
        assert git.stdout is not None
        for record in _records(git.stdout, len(base.encode()) + MAX_PATH_BYTES + 200):
            entry = _entry(record, base.encode())
            if entry is None or not _under(entry.path, wanted):
                continue
            _add(files, folders, entry)
    return list(files.values())


def _under(path: str, wanted: tuple[str, ...]) -> bool:
    """Whether `path` is one of `wanted` or lies in one of them (`""`: the whole project)."""
    return any(not w or path == w or path.startswith(f"{w}/") for w in wanted)


def _records(stream: IO[bytes], longest: int) -> Iterator[bytes]:
    """The NUL-ended records of `stream` as they come; one longer than `longest` is refused
    by its path before the rest of it is read."""
    pending = b""
    while chunk := stream.read(_CHUNK):
        *records, pending = (pending + chunk).split(b"\0")
        yield from records
        if len(pending) > longest:
            raise _Refused(pending.partition(b"\t")[2], f"is over {MAX_PATH_BYTES:,} bytes long")
    if pending:
        yield pending


def _entry(record: bytes, base: bytes) -> _File | None:
    """The plain file one `ls-tree -l` record lists, or None if it lies outside `base`.

    Raises _Refused for an unsafe path and for anything but a plain file.
    """
    meta, tab, full = record.partition(b"\t")
    fields = meta.split()
    if not tab or len(fields) != 4 or not full.startswith(base):
        return None
    mode, _kind, oid, size = fields
    path = _checked_path(full[len(base) :])
    if mode not in _PLAIN_MODES:
        what = _WHAT_MODE_IS.get(mode, f"not a plain file (mode {mode.decode('ascii', 'replace')})")
        raise _Refused(
            path, f"is {what}; a revision's content, seeds, settings and templates are files"
        )
    if not size.isdigit() or not all(c in b"0123456789abcdef" for c in oid):
        raise _Refused(path, "is listed by git in a form briefing does not read")
    return _File(path, oid.decode("ascii"), int(size))


def _checked_path(raw: bytes) -> str:
    """`raw` as a path to write under the temporary folder, if nothing in it can lead
    anywhere else or fail to be created there; raises _Refused otherwise."""
    if len(raw) > MAX_PATH_BYTES:
        raise _Refused(raw, f"is over {MAX_PATH_BYTES:,} bytes long")
    try:
        path = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _Refused(raw, "is not a UTF-8 name") from None
    for part in path.split("/"):
        if part in ("", ".", ".."):
            raise _Refused(path, "has an empty, '.' or '..' part")
        if len(part.encode()) > MAX_NAME_BYTES:
            raise _Refused(path, f"has a name over {MAX_NAME_BYTES} bytes")
        if "\\" in part or any(ord(c) < 0x20 or ord(c) == 0x7F for c in part):
            raise _Refused(path, "has a backslash or a control character in a name")
    return path


def _add(files: dict[str, _File], folders: set[str], entry: _File) -> None:
    """Take `entry`, refusing a path already taken, as a file or as a folder (a crafted
    tree can name two entries alike), and a revision of more than REVISION_MAX_FILES."""
    parents = _parents(entry.path)
    if entry.path in files or entry.path in folders:
        raise _Refused(entry.path, "is given twice in the revision")
    if clash := next((p for p in parents if p in files), None):
        raise _Refused(clash, "is given twice in the revision, as a file and as a folder")
    if len(files) >= REVISION_MAX_FILES:
        raise _Refused(entry.path, f"is one file too many: more than {REVISION_MAX_FILES:,}")
    files[entry.path] = entry
    folders.update(parents)


def _parents(path: str) -> list[str]:
    """The folders `path` lies in, nearest the top first: `a/b/c` gives `a`, `a/b`."""
    parts = path.split("/")
    return ["/".join(parts[:end]) for end in range(1, len(parts))]


def _size_limit(path: str) -> int:
    """The largest file the build would read at `path`: a seed text, or a content or
    settings file (the loader's own limits, so nothing it would refuse is copied)."""
    return MAX_SEED_BYTES if path.startswith(f"{_SEEDS}/") else MAX_FILE_BYTES


def _refuse_if_too_large(files: list[_File], templates: list[_File], commit: str) -> None:
    """Refuse, before any is read, a file over its limit (MAX_TEMPLATE_BYTES for one of the
    templates folder), and files over REVISION_MAX_FILES or REVISION_MAX_BYTES together."""
    limits = [(file, _size_limit(file.path)) for file in files]
    limits += [(file, MAX_TEMPLATE_BYTES) for file in templates]
    for file, limit in limits:
        if file.size > limit:
            raise _Refused(file.path, f"is {file.size:,} bytes, over the limit of {limit:,}")
    if len(limits) > REVISION_MAX_FILES:
        last = (templates or files)[-1].path
        raise _Refused(last, f"is one file too many: more than {REVISION_MAX_FILES:,}")
    total = sum(file.size for file, _ in limits)
    if total > REVISION_MAX_BYTES:
        raise RevisionError(
            f"revision {commit[:10]} is over {REVISION_MAX_BYTES:,} bytes: its content, seeds, "
            f"settings and templates add up to {total:,}"
        )


def _copy_files(folder: Path, files: list[_File], root: Path) -> None:
    """Stream every file from one `git cat-file --batch` into a file of its own under
    `root`, one object at a time, so no more than a chunk is ever held in memory."""
    with _running(folder, "cat-file", "--batch", feed=True) as git:
        assert git.stdin is not None
        assert git.stdout is not None
        for file in files:
            try:
                git.stdin.write(f"{file.oid}\n".encode("ascii"))
                git.stdin.flush()
            except BrokenPipeError:
                raise GitError("git cat-file stopped before every file was read") from None
            _copy_blob(git.stdout, file, root)


def _copy_blob(stream: IO[bytes], file: _File, root: Path) -> None:
    """Copy one object of `cat-file --batch` output to `file.path` under `root`: its
    header, then exactly the size announced (the size already checked), then a newline."""
    header = stream.readline(200).split()
    if header[1:2] == [b"missing"]:
        raise GitError(f"git has no object for {_shown(file.path)} (fetch the revision first)")
    if len(header) != 3 or header[0] != file.oid.encode() or not header[2].isdigit():
        raise GitError(f"git cat-file did not give {_shown(file.path)} as listed")
    if header[1] != b"blob":
        raise _Refused(file.path, f"is a file whose object is a {_shown(header[1].decode())}")
    if int(header[2]) != file.size:
        raise _Refused(file.path, "changed size between listing and reading")
    with os.fdopen(_create_file(root, file.path), "wb") as out:
        left = file.size
        while left:
            chunk = stream.read(min(_CHUNK, left))
            if not chunk:
                raise GitError(f"git cat-file stopped in the middle of {_shown(file.path)}")
            out.write(chunk)
            left -= len(chunk)
    if stream.read(1) != b"\n":
        raise GitError(f"git cat-file gave more than announced for {_shown(file.path)}")


def _create_file(root: Path, path: str) -> int:
    """A new file at `path` under `root`, open for writing, in folders made here: never
    through a link, never over a file already there."""
    folder = root
    *parents, name = path.split("/")
    for part in parents:
        folder = folder / part
        try:
            os.mkdir(folder, 0o700)
        except FileExistsError:
            if not stat.S_ISDIR(os.lstat(folder).st_mode):
                raise _Refused(
                    path, "is given twice in the revision, as a file and as a folder"
                ) from None
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        return os.open(folder / name, flags, 0o600)
    except FileExistsError:
        raise _Refused(path, "is given twice in the revision") from None


@contextmanager
def _running(
    folder: Path, *arguments: str, feed: bool = False
) -> Iterator[subprocess.Popen[bytes]]:
    """git plumbing whose output is read as it comes (and input written, with `feed`):
    stopped after GIT_TIMEOUT seconds or when the reader stops early, and a failure raised
    as GitError once its output has been read."""
    name = next(a for a in arguments if not a.startswith("-"))
    with tempfile.TemporaryFile() as errors:
        try:
            command, environment = _git_command(folder, *arguments)
            process = subprocess.Popen(
                command,
                stdin=subprocess.PIPE if feed else subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=errors,
                env=environment,
            )
        except OSError as error:
            raise GitError(f"cannot run git: {error.strerror or error}") from None
        expired = threading.Event()

        def expire() -> None:
            expired.set()
            process.kill()

        timer = threading.Timer(GIT_TIMEOUT, expire)
        timer.start()
        try:
            yield process
        except BaseException:
            process.kill()
            if expired.is_set():
                raise GitError(f"git {name} took more than {GIT_TIMEOUT} s") from None
            raise
        finally:
            timer.cancel()
            _close(process)
        if process.returncode != 0:
            errors.seek(0)
            said = errors.read(4000).decode("utf-8", "replace").strip().splitlines()
            raise GitError(_shown(said[-1]) if said else f"git {name} failed")


def _close(process: subprocess.Popen[bytes]) -> None:
    """Close the pipes to `process` (its input first, which ends `cat-file --batch`) and
    wait for it."""
    for stream in (process.stdin, process.stdout):
        if stream is not None:
            with suppress(OSError):
                stream.close()
    process.wait()


def _git(folder: Path, *arguments: str, missing: str) -> str:
    try:
        return _git_bytes(folder, *arguments).decode("utf-8", "replace")
    except GitError as error:
        raise RevisionError(
            f"'{_shown(missing)}' is neither a folder nor a revision git knows in {folder} "
            f"({error.message})"
        ) from None


def _git_program() -> str:
    git = shutil.which("git")
    if git is None:
        raise GitError("git is not installed; compare two folders instead")
    return git


def _git_command(folder: Path, *arguments: str) -> tuple[list[str], dict[str, str]]:
    """The command line and environment for git plumbing in `folder`: the repository's
    configuration overridden by the safe settings, the environment by the safe variables."""
    return (
        [_git_program(), *_SAFE_SETTINGS, "-C", str(folder), *arguments],
        {**os.environ, **_SAFE_ENVIRONMENT},
    )


def _git_bytes(folder: Path, *arguments: str) -> bytes:
    try:
        command, environment = _git_command(folder, *arguments)
        done = subprocess.run(
            command,
            capture_output=True,
            timeout=GIT_TIMEOUT,
            check=False,
            env=environment,
        )
    except subprocess.TimeoutExpired:
        raise GitError(f"git {arguments[0]} took more than {GIT_TIMEOUT} s") from None
    except OSError as error:
        raise GitError(f"cannot run git: {error.strerror or error}") from None
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(said[-1] if said else f"git {arguments[0]} failed")
    return done.stdout
