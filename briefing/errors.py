"""Exception types of the library API.

The library never prints and never exits: every failure a user can cause is one of these,
carrying enough to point at the file, line and column. The CLI turns them into messages
and exit codes.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from pathlib import Path

_UNPRINTABLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u034f\u0600-\u0605\u061c\u06dd\u070f"
    "\u0890\u0891\u08e2\u115f\u1160\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f"
    "\u3164\ud800-\udfff\ufeff\uffa0\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
    "\U000e0020-\U000e007f]"
)
"""Control characters (but line feed and tab); every format character (Unicode category
Cf: bidirectional marks, overrides and isolates, zero-width spaces and joiners, the soft
hyphen, the byte order mark, tag characters); the Unicode line separators; lone
surrogates; and the blank fillers that show as nothing. Printed raw they can recolour,
rewrite or reorder what a terminal shows, or make two different names look alike
('sam<U+200B>ple' passing for 'sample'). Written out so that importing this costs nothing;
tests/test_links_and_messages.py checks it against every Cf character Python knows."""
_LINE_BREAKING = re.compile("[\t\n]")


def printable(text: str, *, one_line: bool = False) -> str:
    """`text` with every character that could disturb a terminal shown as <U+XXXX>.

    With `one_line`, tabs and line feeds too, so that a name quoted in a message cannot
    break it across lines.
    """

    def escape(found: re.Match[str]) -> str:
        return f"<U+{ord(found.group()):04X}>"

    text = _UNPRINTABLE.sub(escape, text)
    return _LINE_BREAKING.sub(escape, text) if one_line else text


SHOWN_CHARACTERS = 60
"""The most of a key or value a message quotes: enough to recognise it, never a whole file."""


def clipped(value: object) -> str:
    """A key or value as a message quotes it: at most SHOWN_CHARACTERS, then an ellipsis.

    A message quotes what it is about; a key that is a whole line of some other file, or
    a value of thousands of characters, is shown by its start alone.
    """
    text = str(value)
    return text if len(text) <= SHOWN_CHARACTERS else text[: SHOWN_CHARACTERS - 1] + "\u2026"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the content, located as precisely as the input allows."""

    file: Path
    line: int | None
    column: int | None
    message: str
    hint: str | None = None
    code: str = ""
    """Stable identifier from the error catalogue (ERRORS.md), e.g. B201."""

    def location(self, relative_to: Path | None = None) -> str:
        """`file:line:column`, with the file shown relative to the working folder if it can be.

        Its folder is resolved, not the file itself: a file that is a link is named as the
        link, which is what the message is about, not as the file it points at.
        """
        path = self.file
        if relative_to is not None:
            with contextlib.suppress(ValueError, OSError, RuntimeError):
                path = (path.parent.resolve() / path.name).relative_to(relative_to.resolve())
        where = str(path)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where

    def format(self, relative_to: Path | None = None) -> str:
        """The problem as one or two lines for a terminal."""
        code = f"[{self.code}] " if self.code else ""
        text = f"{self.location(relative_to)}: {code}{self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text


class BriefingError(Exception):
    """Base of every error the library raises on purpose; exit code 1 unless stated.

    Its message starts with its catalogue code, e.g. "[B404] memo ... took 3 pages".
    """

    exit_code = 1
    code = "B000"

    def __init__(self, message: str = "", location: str | None = None) -> None:
        self.message = message
        self.location = location
        """`file:line` of what caused it, where known (a template line, say)."""
        where = f"{location}: " if location else ""
        super().__init__(f"[{self.code}] {where}{message}" if message else f"[{self.code}]")


class ContentError(BriefingError):
    """The content cannot be built: every problem found, not just the first."""

    code = "B200"

    def __init__(self, problems: list[Problem], warnings: list[Problem] | None = None) -> None:
        self.problems = problems
        self.warnings = warnings or []
        super().__init__(f"{len(problems)} problem(s) in the content")


class PageBudgetError(BriefingError):
    """A rendered memo is longer than its audience allows."""

    code = "B404"

    def __init__(
        self, memo: str, audience: str, pages: int, budget: int, *, annexed: bool = False
    ) -> None:
        self.memo, self.audience, self.pages, self.budget = memo, audience, pages, budget
        body = " before its annex" if annexed else ""
        super().__init__(
            f"memo '{memo}' for audience '{audience}' took {pages} pages{body}; "
            f"its budget is {budget}. Shorten the content or raise page_budget in the profile."
        )


class TemplateError(BriefingError):
    """A template could not be found or failed while rendering (B401-B403)."""

    def __init__(self, message: str, code: str = "B403", location: str | None = None) -> None:
        self.code = code
        super().__init__(message, location)


class AssetError(BriefingError):
    """A PDF asked for a file it may not read (B407) or to attach one (B408); that output
    is not written."""

    def __init__(self, message: str, code: str = "B407") -> None:
        self.code = code
        super().__init__(message)


class ExistsError(BriefingError):
    """`new`, `init` or `templates eject` would overwrite a file."""

    code = "B503"


class LockedError(BriefingError):
    """Another build is writing to the same folder."""

    code = "B501"


class ShadowError(BriefingError):
    """A new audience's template would hide the built-in template of the same name."""

    code = "B221"


class SubsetterMissingError(BriefingError):
    """WeasyPrint cannot load HarfBuzz's font subsetter on this machine."""

    code = "B220"


class SelectionError(BriefingError):
    """The command line asked for something the content does not have (a usage error)."""

    exit_code = 2
    code = "B502"


class RevisionError(BriefingError):
    """A side of `briefing diff` is neither a folder nor a revision git knows (a usage error)."""

    exit_code = 2
    code = "B417"


class BuildFolderError(BriefingError):
    """`briefing diff --out` names a folder where builds write memos (a usage error)."""

    exit_code = 2
    code = "B420"


class GitError(BriefingError):
    """git is missing, or failed reading a revision it knows."""

    exit_code = 2
    code = "B419"
