"""Every text value in the content, checked for what can hide or harm.

Control characters have no place in a memo and are refused. Bidirectional overrides can
make text read differently from how it is stored (the "Trojan Source" trick); they get a
warning, since right-to-left names may have a legitimate use for them. Overlong values are
refused before they reach layout. Markup that will not render as written (an image, a link
that leaves the memo) gets a warning naming its line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from briefing.errors import Problem
from briefing.load import Document, Path_
from briefing.markup import markup_warnings

MAX_TEXT = 20_000
"""The longest text value accepted, in characters: far beyond any paragraph of a memo."""

MARKDOWN_FIELDS = {
    "text", "title", "summary", "thesis", "question", "bluf", "overview", "methods", "rationale",
}  # fmt: skip
"""Fields rendered as inline markdown; quotes and metadata are rendered as plain text."""

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")


def _strings(value: Any, path: Path_) -> Iterator[tuple[Path_, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))


def scan_text(document: Document) -> tuple[list[Problem], list[Problem]]:
    """The errors and the warnings found in a document's text values."""
    errors: list[Problem] = []
    warnings: list[Problem] = []
    for path, text in _strings(document.data, ()):
        if len(text) > MAX_TEXT:
            errors.append(
                document.problem(
                    path,
                    f"text is {len(text):,} characters, over the limit of {MAX_TEXT:,}",
                    "split it; a memo's paragraphs are far shorter",
                    code="B212",
                )
            )
            continue
        if found := _CONTROL.search(text):
            errors.append(
                document.problem(
                    path,
                    f"contains the control character U+{ord(found.group()):04X}",
                    "remove it; it may have come in with copied text",
                    code="B211",
                )
            )
        if found := _BIDI.search(text):
            warnings.append(
                document.problem(
                    path,
                    f"contains the bidirectional control U+{ord(found.group()):04X}, which can "
                    "make text display in an order other than it is stored",
                    "remove it unless a right-to-left name needs it",
                    code="W101",
                )
            )
        if path and path[-1] in MARKDOWN_FIELDS:
            warnings.extend(
                document.problem(path, message, code=code)
                for code, message in markup_warnings(text)
            )
    return errors, warnings
