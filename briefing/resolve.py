"""Stage 4: one memo seen by one audience.

The profile decides what is shown, in what order, with which markings; this module applies
it once, so templates only lay out what they are given and hold no policy of their own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from briefing.models import (
    Assessment,
    Audience,
    Criterion,
    Memo,
    Point,
    Position,
    Rating,
    Section,
    Source,
)
from briefing.validate import Content

POINT_KINDS = ("recommendations", "pros", "cons", "conditions", "risks")
POINT_LABELS = {
    "recommendations": ("What it involves", "Step"),
    "pros": ("Pros", "Pro"),
    "cons": ("Cons", "Con"),
    "conditions": ("Conditions", "Condition"),
    "risks": ("Risks", "Risk"),
}
"""Heading for a group of points, and the label of a single point shown on its own."""
RATING_MARKS = {
    Rating.ADVANCES: ("+", "Advances"),
    Rating.MIXED: ("\u00b1", "Mixed"),
    Rating.HARMS: ("\u2212", "Harms"),
    Rating.UNCLEAR: ("?", "Unclear"),
}
"""A symbol and a word for each rating, so the grid never relies on colour alone."""


@dataclass(frozen=True)
class SourceView:
    """A source as cited in this memo: its number and its reference written out."""

    number: int
    source: Source
    cited_by: list[str]

    @property
    def author(self) -> str:
        return self.source.author or "author not named"

    @property
    def date(self) -> str:
        return written_partial_date(self.source.date)

    @property
    def anchor(self) -> str:
        return f"source-{self.source.id}"


@dataclass(frozen=True)
class Group:
    """The pros (or cons, conditions ...) of an option that this audience sees."""

    kind: str
    label: str
    label_one: str
    points: list[Point]
    omitted: int


@dataclass(frozen=True)
class OptionView:
    """An option as this audience sees it."""

    number: int
    id: str
    position: Position
    assessment: dict[str, Assessment]
    recommended: bool
    groups: list[Group]

    @property
    def anchor(self) -> str:
        return f"option-{self.id}"


@dataclass(frozen=True)
class MemoView:
    """Everything a template needs to lay out one memo for one audience."""

    id: str
    memo: Memo
    audience_id: str
    audience: Audience
    options: list[OptionView]
    criteria: list[Criterion]
    sources: list[SourceView]
    sections: list[Section]
    numbers: dict[str, int] = field(default_factory=dict)

    @property
    def date(self) -> str:
        return written_date(self.memo.date)

    @property
    def decide_by(self) -> str | None:
        rec = self.memo.recommendation
        return written_date(rec.decide_by) if rec and rec.decide_by else None

    @property
    def recommended(self) -> OptionView | None:
        return next((o for o in self.options if o.recommended), None)

    def cite(self, source_id: str) -> SourceView:
        """A source as cited in this memo, with its note number."""
        return self.sources[self.numbers[source_id] - 1]

    def sources_of(self, point: Point) -> list[SourceView]:
        """The distinct sources a point's evidence quotes, in note order."""
        numbers = sorted({self.numbers[e.source] for e in point.evidence})
        return [self.sources[n - 1] for n in numbers]

    def rating(self, rating: Rating) -> tuple[str, str]:
        """Symbol and word for a grid cell."""
        return RATING_MARKS[rating]


def resolve_view(content: Content, memo_id: str, audience_id: str) -> MemoView:
    """Apply an audience profile to a memo."""
    memo = content.memos[memo_id]
    audience = content.audiences[audience_id]
    show = audience.show
    recommended = memo.recommendation.option if memo.recommendation else None
    options = []
    for number, option in enumerate(memo.options, start=1):
        position = content.positions[option.position]
        groups = []
        for kind in POINT_KINDS:
            if not getattr(show, kind):
                continue
            points: list[Point] = getattr(position, kind)
            shown = points[: show.max_points] if show.max_points else points
            if shown:
                label, label_one = POINT_LABELS[kind]
                groups.append(Group(kind, label, label_one, shown, len(points) - len(shown)))
        options.append(
            OptionView(
                number=number,
                id=option.position,
                position=position,
                assessment=option.assessment,
                recommended=option.position == recommended,
                groups=groups,
            )
        )
    sources = _cited_sources(content, memo, options)
    sections = [
        s for s in audience.sections if s != "recommendation" or memo.recommendation is not None
    ]
    return MemoView(
        id=memo_id,
        memo=memo,
        audience_id=audience_id,
        audience=audience,
        options=options,
        criteria=list(memo.criteria),
        sources=sources,
        sections=sections,
        numbers={view.source.id: view.number for view in sources},
    )


def _cited_sources(content: Content, memo: Memo, options: list[OptionView]) -> list[SourceView]:
    """Sources in order of first citation: background, then each option's evidence."""
    order: list[str] = []
    cited_by: dict[str, list[str]] = {}

    def note(source_id: str, by: str | None) -> None:
        if source_id not in order:
            order.append(source_id)
            cited_by[source_id] = []
        if by and by not in cited_by[source_id]:
            cited_by[source_id].append(by)

    for point in memo.background:
        for evidence in point.evidence:
            note(evidence.source, None)
    for option in options:
        position = option.position
        for source_id in position.advocates:
            note(source_id, position.title)
        for kind in POINT_KINDS:
            for point in getattr(position, kind):
                for evidence in point.evidence:
                    note(evidence.source, position.title)
    return [
        SourceView(number, content.sources[source_id], cited_by[source_id])
        for number, source_id in enumerate(order, start=1)
    ]


MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
"""Month names fixed here, not taken from the locale, so output is the same everywhere."""


def written_date(date: dt.date) -> str:
    """A date as a memo writes it: November 23, 2026."""
    return f"{MONTHS[date.month - 1]} {date.day}, {date.year}"


def written_partial_date(date: str | None) -> str:
    """A source date that may give only the year or the month; n.d. when there is none."""
    if not date:
        return "n.d."
    parts = [int(p) for p in date.split("-")]
    if len(parts) == 1:
        return str(parts[0])
    if len(parts) == 2:
        return f"{MONTHS[parts[1] - 1]} {parts[0]}"
    return written_date(dt.date(parts[0], parts[1], parts[2]))
