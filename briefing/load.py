"""Stage 1: YAML text to plain data, with the line and column of every value.

Only PyYAML's safe composer is used, and the node graph is turned into data here rather
than by PyYAML's constructor, so that every key and value keeps its position for error
messages, and so that anchors, aliases, merge keys, duplicate keys and explicit tags are
refused before they can expand (YAML bombs) or silently overwrite a value.

Files are read only if they are regular files within the size limit, checked before a
byte is read: a named pipe would block the read for ever, and /dev/zero never ends.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent, CollectionStartEvent, ScalarEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from briefing.errors import Problem, clipped, printable
from briefing.inside import OutsideProject, real_path_inside

Path_ = tuple[str | int, ...]
"""Where a value sits in a document: keys and list indices from the root."""

MAX_FILE_BYTES = 1_000_000
MAX_DEPTH = 40

_AS_WRITTEN = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:merge",
    "tag:yaml.org,2002:value",
}
"""Scalars kept as the text written: strings; dates, which the models parse; and a bare
'<<' or '=' value, which YAML 1.1 resolves to tags of their own but which is just text."""
_CONSTRUCTED = {
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}
"""Scalars turned into numbers, true/false or None by PyYAML's safe constructors."""
_PLAIN_TAGS = _AS_WRITTEN | _CONSTRUCTED | {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}


@dataclass
class Document:
    """A loaded YAML file: its data and where each value and key stands in the text."""

    file: Path
    data: Any
    marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    digest: str = ""
    """SHA-256 of the bytes as read, so the build cache keys on what was actually used."""

    def mark(self, path: Path_, *, key: bool = False) -> tuple[int | None, int | None]:
        """The 1-based line and column of a value (or its key), or of its nearest parent."""
        table = self.key_marks if key else self.marks
        for depth in range(len(path), -1, -1):
            found = table.get(path[:depth]) or self.marks.get(path[:depth])
            if found:
                return found
        return (None, None)

    def problem(
        self,
        path: Path_,
        message: str,
        hint: str | None = None,
        *,
        key: bool = False,
        code: str = "",
    ) -> Problem:
        """A problem located at `path` in this document."""
        line, column = self.mark(path, key=key)
        return Problem(self.file, line, column, message, hint, code)


class _Refusing(Composer):
    """PyYAML's composer, refusing anchors, aliases, explicit tags and deep nesting as the
    parser meets them, before any of them is composed, let alone constructed."""

    depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        event = self.peek_event()  # type: ignore[attr-defined]
        if self.depth >= MAX_DEPTH:
            raise _Refused(
                event.start_mark,
                f"nesting is deeper than {MAX_DEPTH} levels",
                "flatten the structure; content never needs this depth",
                "B109",
            )
        if isinstance(event, AliasEvent):
            raise _Refused(
                event.start_mark,
                f"alias '*{clipped(event.anchor)}' is not allowed",
                _ANCHOR_HINT,
                "B105",
            )
        if isinstance(event, ScalarEvent | CollectionStartEvent) and event.anchor is not None:
            raise _Refused(
                event.start_mark,
                f"anchor '&{clipped(event.anchor)}' is not allowed",
                _ANCHOR_HINT,
                "B105",
            )
        if isinstance(event, ScalarEvent | CollectionStartEvent) and event.tag is not None:
            # Only a tag written in the file is set on the event; values and keys alike.
            raise _Refused(
                event.start_mark, f"the tag '{clipped(event.tag)}' is not allowed", _TAG, "B108"
            )
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


class _PythonLoader(_Refusing, yaml.SafeLoader):
    """The pure-Python safe loader: slower than libyaml, but with no nesting limit of its own
    and the same messages whatever version of libyaml is installed."""


_CParser: Any = getattr(yaml, "CParser", None) or getattr(
    getattr(yaml, "cyaml", None), "CParser", None
)

if _CParser is not None:

    class _Loader(_Refusing, _CParser, yaml.resolver.Resolver):  # type: ignore[misc]
        """libyaml scans and parses (a few times faster); composing stays in Python."""

        def __init__(self, stream: str) -> None:
            _CParser.__init__(self, stream)
            Composer.__init__(self)
            yaml.resolver.Resolver.__init__(self)

        def dispose(self) -> None:
            """Nothing to free: libyaml's parser is released with the object."""

else:  # pragma: no cover - PyYAML built without libyaml
    _Loader = _PythonLoader  # type: ignore[misc,assignment]


_ANCHOR_HINT = "write the value out in full; anchors and aliases are refused for safety"
_TAG = "remove the tag; content is plain text (quoted if need be), numbers, lists and mappings"


class _Refused(Exception):
    def __init__(self, mark: Any, message: str, hint: str, code: str) -> None:
        self.mark, self.message, self.hint, self.code = mark, message, hint, code


class FileRefused(Exception):
    """A file that is not read: not a regular file, or larger than its limit."""

    def __init__(self, message: str, *, too_large: bool) -> None:
        super().__init__(message)
        self.too_large = too_large


def read_limited(file: Path, limit: int) -> bytes:
    """The bytes of `file`, if it is a regular file of at most `limit` bytes.

    Type and size are checked before a byte is read: first by name, so that a device is
    never even opened, then on the open descriptor, in case the name was swapped in
    between. The file is opened without blocking, so a named pipe swapped in cannot hang
    the open, and at most `limit` + 1 bytes are read, so a file that grows after its size
    was checked is refused rather than read whole. Raises FileRefused, or OSError when the
    file cannot be opened or read.
    """
    _refuse_unless_regular(file, os.stat(file), limit)
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC
    with os.fdopen(os.open(file, flags), "rb") as stream:
        _refuse_unless_regular(file, os.fstat(stream.fileno()), limit)
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise FileRefused(f"file is over the limit of {limit:,} bytes", too_large=True)
    return data


def _refuse_unless_regular(file: Path, status: os.stat_result, limit: int) -> None:
    if not stat.S_ISREG(status.st_mode):
        raise FileRefused(
            f"the file is {_kind_of_file(file, status.st_mode)}, not a regular file",
            too_large=False,
        )
    if status.st_size > limit:
        raise FileRefused(
            f"file is {status.st_size:,} bytes, over the limit of {limit:,}", too_large=True
        )


_FILE_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _kind_of_file(file: Path, mode: int) -> str:
    """What a file that is not a regular file is, and where a link to it leads."""
    kind = next((name for test, name in _FILE_KINDS if test(mode)), "a special file")
    if file.is_symlink():
        return f"a link to {printable(os.path.realpath(file), one_line=True)}, {kind}"
    return kind


def load_yaml(file: Path, *, within: Path | None = None) -> tuple[Document | None, list[Problem]]:
    """Read one YAML file; return its document, or None and the problems that stopped it.

    With `within` (the project's folder), a file that is a link leading out of it is
    refused (B114) before it is opened, and the file is opened by its real path, so the
    file a link out points at is never read (see `briefing.inside`).
    """
    if within is not None:
        try:
            file_read = real_path_inside(file, within)
        except OutsideProject as outside:
            return None, [outside.problem(file)]
    else:
        file_read = file
    try:
        raw = read_limited(file_read, MAX_FILE_BYTES)
    except FileRefused as refused:
        if refused.too_large:
            hint, code = "split the content into smaller files", "B102"
        else:
            hint, code = "put the content in a plain file of this name, or remove it", "B113"
        return None, [Problem(file, None, None, str(refused), hint, code)]
    except OSError as error:
        return None, [
            Problem(file, None, None, f"cannot read the file: {error.strerror}", code="B101")
        ]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return None, [
            Problem(file, line, None, "the file is not valid UTF-8", "save it as UTF-8", "B103")
        ]
    document, problems = load_yaml_text(text, file)
    if document is not None:
        document.digest = hashlib.sha256(raw).hexdigest()
    return document, problems


def load_yaml_text(text: str, file: Path) -> tuple[Document | None, list[Problem]]:
    """Parse YAML text already read from `file`."""
    text = text.removeprefix("\ufeff")
    try:
        node = _compose(text)
    except _Refused as refused:
        return None, [_problem_at(file, refused.mark, refused.message, refused.hint, refused.code)]
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = (error.problem or error.context or "invalid YAML").strip()
        if _char_at(text, mark) == "\t":
            message = "a tab character, where YAML allows only spaces"
        hint = _syntax_hint(error, text)
        return None, [_problem_at(file, mark, f"YAML syntax error: {message}", hint, "B104")]
    except yaml.reader.ReaderError as error:
        return None, [_unacceptable_character(file, text, error)]
    except yaml.YAMLError as error:
        return None, [Problem(file, None, None, f"YAML error: {error}", code="B104")]
    document = Document(file, None)
    if node is None:
        return document, []
    problems: list[Problem] = []
    document.data = _build(node, (), document, problems)
    return document, problems


def _compose(text: str) -> Node | None:
    """The node tree of `text`: parsed by libyaml, or, if libyaml refuses it, by PyYAML's
    own parser, whose refusal is then the one reported.

    libyaml's messages and limits differ from version to version: 0.2.6 scans up to 1,024
    characters ahead of the composer and stops at its own nesting limit of 1,000 before
    ours (40) is reached. Reading a refused text again in pure Python costs time only
    when there is an error, and makes every refusal the same whatever libyaml is installed.
    """
    try:
        return _compose_with(_Loader, text)
    except yaml.YAMLError:
        if _Loader is _PythonLoader:
            raise
    return _compose_with(_PythonLoader, text)


def _compose_with(loader_class: Callable[[str], Any], text: str) -> Node | None:
    loader = loader_class(text)
    try:
        node: Node | None = loader.get_single_node()
    finally:
        loader.dispose()
    return node


def _build(node: Node, path: Path_, doc: Document, problems: list[Problem]) -> Any:
    doc.marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if node.tag not in _PLAIN_TAGS:  # a safety net: written tags are refused while composing
        problems.append(
            doc.problem(path, f"the tag '{node.tag}' is not allowed", _TAG, code="B108")
        )
        return None
    if isinstance(node, ScalarNode):
        return _scalar(node, path, doc, problems)
    if isinstance(node, SequenceNode):
        return [
            _build(item, (*path, index), doc, problems) for index, item in enumerate(node.value)
        ]
    assert isinstance(node, MappingNode)
    result: dict[str, Any] = {}
    for key_node, value_node in node.value:
        key_mark = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        if not isinstance(key_node, ScalarNode):
            problems.append(Problem(doc.file, *key_mark, "a key must be plain text", code="B110"))
            continue
        if key_node.tag == "tag:yaml.org,2002:merge" or (
            key_node.value == "<<" and not key_node.style
        ):
            problems.append(
                Problem(
                    doc.file,
                    *key_mark,
                    "merge keys ('<<') are not allowed",
                    "write the fields out in full; nothing is combined silently",
                    "B106",
                )
            )
            continue
        key = str(key_node.value)
        child = (*path, key)
        if key in result:
            first = doc.key_marks[child]
            problems.append(
                Problem(
                    doc.file,
                    *key_mark,
                    f"duplicate key '{clipped(key)}' (first given on line {first[0]})",
                    "remove one of the two; a repeated key would silently overwrite the first",
                    "B107",
                )
            )
            continue
        doc.key_marks[child] = key_mark
        result[key] = _build(value_node, child, doc, problems)
    return result


_CONSTRUCTOR = SafeConstructor()


def _scalar(node: ScalarNode, path: Path_, doc: Document, problems: list[Problem]) -> Any:
    """Plain scalars become str, int, float, bool or None; dates stay text for the models.

    The safe constructor of the resolved tag is called directly rather than through
    construct_object, which would keep every node it ever saw. A value it cannot read
    (more digits than Python converts, `0x_`) is a problem at its place, not a traceback.
    """
    if node.tag in _AS_WRITTEN:
        return node.value
    construct = SafeConstructor.yaml_constructors[node.tag]
    try:
        return construct(_CONSTRUCTOR, node)
    except (ValueError, ArithmeticError, LookupError, yaml.YAMLError):
        problems.append(
            doc.problem(path, _unreadable_number(node.value), "quote it if it is text", code="B112")
        )
        return None


def _unreadable_number(value: str) -> str:
    """Why a value that YAML takes for a number cannot be read as one."""
    digits = sum(char.isdigit() for char in value)
    limit = sys.get_int_max_str_digits()
    if limit and digits > limit:
        return f"the number has {digits:,} digits, more than can be read ({limit:,})"
    shown = value if len(value) <= 40 else value[:40] + "\u2026"
    return f"'{printable(shown, one_line=True)}' cannot be read as a number"


def _problem_at(
    file: Path, mark: yaml.Mark | None, message: str, hint: str | None, code: str
) -> Problem:
    if mark is None:
        return Problem(file, None, None, message, hint, code)
    return Problem(file, mark.line + 1, mark.column + 1, message, hint, code)


def _unacceptable_character(file: Path, text: str, error: yaml.reader.ReaderError) -> Problem:
    """A character YAML does not accept anywhere, at its line and column."""
    before = text[: error.position]
    line = before.count("\n") + 1
    column = error.position - (before.rfind("\n") + 1) + 1
    return Problem(
        file,
        line,
        column,
        f"YAML syntax error: the character U+{error.character:04X} is not allowed",
        "remove it; it may have come in with copied text",
        "B104",
    )


def _char_at(text: str, mark: Any) -> str:
    """The character a parser error points at, or '' past the end."""
    if mark is None:
        return ""
    lines = text.splitlines()
    line = lines[mark.line] if mark.line < len(lines) else ""
    return line[mark.column : mark.column + 1]


def _syntax_hint(error: yaml.MarkedYAMLError, text: str) -> str | None:
    mark = error.problem_mark or error.context_mark
    char = _char_at(text, mark)
    problem = (error.problem or "").lower()
    if char == "\t" or "tab" in problem:
        return "indent with spaces, not tabs"
    if char in ("@", "`"):
        return "quote a value that starts with @ or `"
    if "did not find expected key" in problem:
        return "check the indentation of this line against the one above"
    if "mapping values are not allowed" in problem:
        return _over_indented(text, mark) or "a value containing ': ' must be quoted"
    if "could not find expected ':'" in problem or "expected <block end>" in problem:
        return "check the indentation of this line against the one above"
    return None


_KEY = re.compile(r"[A-Za-z0-9_][\w.-]*")


def _over_indented(text: str, mark: Any) -> str | None:
    """The hint for a field indented deeper than the line above it, or None.

    PyYAML says "mapping values are not allowed" both for `title: A: B` (a value holding
    ': ') and for a field indented more than the `key: value` line above it, which YAML
    reads as more of that value. A lone key before the colon, on a line indented deeper
    than the nearest line above it with less indentation, tells the second case apart.
    """
    if mark is None:
        return None
    lines = text.splitlines()
    line = lines[mark.line] if mark.line < len(lines) else ""
    key = line[: mark.column].strip().removeprefix("- ").strip()
    if not _KEY.fullmatch(key):
        return None
    indent = _indent(line)
    for number in range(mark.line - 1, -1, -1):
        above = lines[number]
        if above.strip() and not above.lstrip().startswith("#") and _indent(above) < indent:
            return (
                f"line {mark.line + 1} is indented more than line {number + 1}, so YAML reads "
                f"'{key}' as more of the value on line {number + 1}; line it up with the "
                "field above"
            )
    return None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))
