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
        text = f"{self.location(relative_to)}: {self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text


class BriefingError(Exception):
    """Base of every error the library raises on purpose; exit code 1 unless stated."""

    exit_code = 1


class ContentError(BriefingError):
    """The content cannot be built: every problem found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the content")


class PageBudgetError(BriefingError):
    """A rendered memo is longer than its audience allows."""

    def __init__(self, memo: str, audience: str, pages: int, budget: int) -> None:
        self.memo, self.audience, self.pages, self.budget = memo, audience, pages, budget
        super().__init__(
            f"memo '{memo}' for audience '{audience}' took {pages} pages; "
            f"its budget is {budget}. Shorten the content or raise page_budget in the profile."
        )


class TemplateError(BriefingError):
    """A template could not be found or failed while rendering."""


class SelectionError(BriefingError):
    """The command line asked for something the content does not have (a usage error)."""

    exit_code = 2
