"""Stage 1: YAML text to plain data, with the line and column of every value.

Only PyYAML's safe composer is used, and the node graph is turned into data here rather
than by PyYAML's constructor, so that every key and value keeps its position for error
messages, and so that anchors, aliases, merge keys, duplicate keys and explicit tags are
refused before they can expand (YAML bombs) or silently overwrite a value.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.events import AliasEvent, CollectionStartEvent, ScalarEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from briefing.errors import Problem

Path_ = tuple[str | int, ...]
"""Where a value sits in a document: keys and list indices from the root."""

MAX_FILE_BYTES = 1_000_000
MAX_DEPTH = 40

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}


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
    """PyYAML's composer, refusing anchors, aliases and deep nesting as the parser meets them."""

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
                event.start_mark, f"alias '*{event.anchor}' is not allowed", _ANCHOR_HINT, "B105"
            )
        if isinstance(event, ScalarEvent | CollectionStartEvent) and event.anchor is not None:
            raise _Refused(
                event.start_mark, f"anchor '&{event.anchor}' is not allowed", _ANCHOR_HINT, "B105"
            )
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


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

    class _Loader(_Refusing, yaml.SafeLoader):  # type: ignore[no-redef]
        """The pure-Python safe loader."""


_ANCHOR_HINT = "write the value out in full; anchors and aliases are refused for safety"


class _Refused(Exception):
    def __init__(self, mark: Any, message: str, hint: str, code: str) -> None:
        self.mark, self.message, self.hint, self.code = mark, message, hint, code


def load_yaml(file: Path) -> tuple[Document | None, list[Problem]]:
    """Read one YAML file; return its document, or None and the problems that stopped it."""
    try:
        raw = file.read_bytes()
    except OSError as error:
        return None, [
            Problem(file, None, None, f"cannot read the file: {error.strerror}", code="B101")
        ]
    if len(raw) > MAX_FILE_BYTES:
        return None, [
            Problem(
                file,
                None,
                None,
                f"file is {len(raw):,} bytes, over the limit of {MAX_FILE_BYTES:,}",
                "split the content into smaller files",
                "B102",
            )
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
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except _Refused as refused:
        return None, [_problem_at(file, refused.mark, refused.message, refused.hint, refused.code)]
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = (error.problem or error.context or "invalid YAML").strip()
        if _char_at(text, mark) == "\t":
            message = "a tab character, where YAML allows only spaces"
        hint = _syntax_hint(error, _char_at(text, mark))
        return None, [_problem_at(file, mark, f"YAML syntax error: {message}", hint, "B104")]
    except yaml.YAMLError as error:
        return None, [Problem(file, None, None, f"YAML error: {error}", code="B104")]
    finally:
        loader.dispose()
    document = Document(file, None)
    if node is None:
        return document, []
    problems: list[Problem] = []
    document.data = _build(node, (), document, problems)
    return document, problems


def _build(node: Node, path: Path_, doc: Document, problems: list[Problem]) -> Any:
    doc.marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if node.tag not in _PLAIN_TAGS:
        problems.append(
            doc.problem(
                path,
                f"the tag '{node.tag}' is not allowed",
                "remove the tag; content is plain text, numbers, lists and mappings",
                code="B108",
            )
        )
        return None
    if isinstance(node, ScalarNode):
        return _scalar(node)
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
                    f"duplicate key '{key}' (first given on line {first[0]})",
                    "remove one of the two; a repeated key would silently overwrite the first",
                    "B107",
                )
            )
            continue
        doc.key_marks[child] = key_mark
        result[key] = _build(value_node, child, doc, problems)
    return result


_SCALARS = yaml.SafeLoader("")


def _scalar(node: ScalarNode) -> Any:
    """Plain scalars become str, int, float, bool or None; dates stay text for the models."""
    if node.tag == "tag:yaml.org,2002:timestamp":
        return node.value
    return _SCALARS.construct_object(node)


def _problem_at(
    file: Path, mark: yaml.Mark | None, message: str, hint: str | None, code: str
) -> Problem:
    if mark is None:
        return Problem(file, None, None, message, hint, code)
    return Problem(file, mark.line + 1, mark.column + 1, message, hint, code)


def _char_at(text: str, mark: Any) -> str:
    """The character a parser error points at, or '' past the end."""
    if mark is None:
        return ""
    lines = text.splitlines()
    line = lines[mark.line] if mark.line < len(lines) else ""
    return line[mark.column : mark.column + 1]


def _syntax_hint(error: yaml.MarkedYAMLError, char: str) -> str | None:
    problem = (error.problem or "").lower()
    if char == "\t" or "tab" in problem:
        return "indent with spaces, not tabs"
    if char in ("@", "`"):
        return "quote a value that starts with @ or `"
    if "did not find expected key" in problem:
        return "check the indentation of this line against the one above"
    if "mapping values are not allowed" in problem:
        return "a value containing ': ' must be quoted"
    if "could not find expected ':'" in problem or "expected <block end>" in problem:
        return "check the indentation of this line against the one above"
    return None
