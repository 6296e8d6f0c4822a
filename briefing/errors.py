"""Exception types of the library API.

The library never prints and never exits: every failure a user can cause is one of these,
carrying enough to point at the file, line and column. The CLI turns them into messages
and exit codes.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path


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
        """`file:line:column`, with the file shown relative to the working folder if it can be."""
        path = self.file
        if relative_to is not None:
            with contextlib.suppress(ValueError):
                path = path.resolve().relative_to(relative_to.resolve())
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

    def __init__(self, message: str = "") -> None:
        super().__init__(f"[{self.code}] {message}" if message else f"[{self.code}]")


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

    def __init__(self, memo: str, audience: str, pages: int, budget: int) -> None:
        self.memo, self.audience, self.pages, self.budget = memo, audience, pages, budget
        super().__init__(
            f"memo '{memo}' for audience '{audience}' took {pages} pages; "
            f"its budget is {budget}. Shorten the content or raise page_budget in the profile."
        )


class TemplateError(BriefingError):
    """A template could not be found or failed while rendering (B401-B403)."""

    def __init__(self, message: str, code: str = "B403") -> None:
        self.code = code
        super().__init__(message)


class AssetError(BriefingError):
    """A PDF asked for a file it may not read (B407) or to attach one (B408); that output
    is not written."""

    def __init__(self, message: str, code: str = "B407") -> None:
        self.code = code
        super().__init__(message)


class SelectionError(BriefingError):
    """The command line asked for something the content does not have (a usage error)."""

    exit_code = 2
    code = "B502"
