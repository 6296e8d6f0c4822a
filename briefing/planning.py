"""Which files a build makes: every selected memo, for every selected audience and format."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from briefing.content import Content
from briefing.errors import BriefingError, SelectionError
from briefing.formats import MEMO

Format = str
"""A format's name, as registered in briefing.formats."""


@dataclass(frozen=True)
class Output:
    """One file a build makes: a memo, for an audience, in a format."""

    memo: str
    audience: str
    format: Format

    @property
    def relative(self) -> str:
        """Its path under the output folder."""
        return f"{self.memo}/{self.audience}.{self.format}"

    def path(self, root: Path) -> Path:
        return root / self.relative


@dataclass(frozen=True)
class Failure:
    """One output that could not be made, as data: the rest of the build goes on, and the
    previous file of that name is kept."""

    output: Output
    code: str
    message: str
    location: str | None = None

    @classmethod
    def of(cls, output: Output, error: BriefingError) -> Failure:
        return cls(output, error.code, error.message, error.location)

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        return f"[{self.code}] {where}{self.message}"


def plan(
    content: Content,
    memos: Iterable[str] = (),
    audiences: Iterable[str] = (),
    formats: Iterable[Format] = MEMO.names,
) -> list[Output]:
    """The outputs a build makes; an unknown memo or audience name is a usage error."""
    memo_ids = select(list(memos), content.memos, "memo")
    audience_ids = select(list(audiences), content.audiences, "audience")
    format_names = select(list(formats), MEMO.renderers, "format")
    return [Output(m, a, f) for m in memo_ids for a in audience_ids for f in format_names]


def select(wanted: list[str], known: Mapping[str, object], what: str) -> list[str]:
    """The names asked for (all, sorted, when none is named); an unknown one is a usage
    error naming the choices."""
    unknown = [name for name in wanted if name not in known]
    if unknown:
        raise SelectionError(
            f"unknown {what} '{unknown[0]}'; choose from: {', '.join(sorted(known))}"
        )
    return wanted or sorted(known)
