"""Stage 4: one memo seen by one audience.

The profile decides what is shown, in what order, with which markings; this module applies
it once, so templates only lay out what they are given and hold no policy of their own.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from briefing.content import Content, every_point
from briefing.models import (
    Assessment,
    Audience,
    Criterion,
    Evidence,
    Memo,
    MemoOption,
    Point,
    Position,
    Question,
    Rating,
    Section,
    Source,
)

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
    cited_by: list[tuple[int, int]]
    """(option number, quotations from this source in that option), in option order."""

    @property
    def author(self) -> str:
        return self.source.author or "author not named"

    @property
    def surname(self) -> str | None:
        """The author's last name for short notes, or None when no author is named."""
        return self.source.author.split()[-1] if self.source.author else None

    @property
    def short_title(self) -> str:
        """The title cut at its first colon or parenthesis, as short notes give it."""
        title = self.source.title
        for mark in (":", " ("):
            title = title.split(mark)[0]
        return title

    @property
    def date(self) -> str:
        return written_partial_date(self.source.date)

    @property
    def anchor(self) -> str:
        return f"source-{self.source.id}"


@dataclass(frozen=True)
class Reference:
    """One source in a note: in full the first time the memo cites it, in short form after."""

    source: SourceView
    first: bool


@dataclass(frozen=True)
class Note:
    """A numbered note citing one source, or several where a passage rests on more than one."""

    number: int
    references: list[Reference]

    @property
    def anchor(self) -> str:
        return f"note-{self.number}"

    @property
    def call_anchor(self) -> str:
        return f"call-{self.number}"


@dataclass(frozen=True)
class Quote:
    """A quotation as shown, with its note and whether it was found in its source."""

    evidence: Evidence
    note: Note
    verified: bool


@dataclass(frozen=True)
class PointView:
    """A point with the quotations that back it, each carrying its note."""

    point: Point
    quotes: list[Quote]

    @property
    def text(self) -> str:
        return self.point.text

    @property
    def notes(self) -> list[Note]:
        """The distinct notes of the point's quotations, for places that cite without quoting."""
        seen: dict[int, Note] = {}
        for quote in self.quotes:
            seen.setdefault(quote.note.number, quote.note)
        return list(seen.values())

    @property
    def unverified(self) -> bool:
        return any(not quote.verified for quote in self.quotes)


@dataclass(frozen=True)
class Group:
    """The pros (or cons, conditions ...) of an option that this audience sees."""

    kind: str
    label: str
    label_one: str
    points: list[PointView]


@dataclass(frozen=True)
class OptionView:
    """An option as this audience sees it."""

    number: int
    id: str
    position: Position
    assessment: dict[str, Assessment]
    recommended: bool
    groups: list[Group]
    stances: dict[str, PointView]

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
    questions: list[Question]
    background: list[PointView]
    sources: list[SourceView]
    notes: list[Note]
    sections: list[Section]
    draft: bool
    numbers: dict[str, int] = field(default_factory=dict)

    @property
    def date(self) -> str:
        return written_date(self.memo.date)

    @property
    def sender(self) -> str:
        """The FROM line: the profile's, else the memo's."""
        return self.audience.from_ or self.memo.from_

    @property
    def through(self) -> str | None:
        """The THROUGH line: the profile's, else the memo's, else none."""
        return self.audience.through or self.memo.through

    @property
    def quotations(self) -> int:
        """How many quotations the memo's options and background rest on, all verified."""
        return sum(len(point.quotes) for point in self._points())

    def _points(self) -> list[PointView]:
        points = [*self.background, *(p for o in self.options for g in o.groups for p in g.points)]
        return points + [p for o in self.options for p in o.stances.values()]

    @property
    def decide_by(self) -> str | None:
        rec = self.memo.recommendation
        return written_date(rec.decide_by) if rec and rec.decide_by else None

    @property
    def recommended(self) -> OptionView | None:
        return next((o for o in self.options if o.recommended), None)

    @property
    def unverified(self) -> int:
        """How many quotations shown in this memo were not found in their sources."""
        return sum(1 for p in self._points() for q in p.quotes if not q.verified)

    def cite(self, source_id: str) -> SourceView:
        """A source as listed in this memo's references."""
        return self.sources[self.numbers[source_id] - 1]

    def rating(self, rating: Rating) -> tuple[str, str]:
        """Symbol and word for a grid cell."""
        return RATING_MARKS[rating]


class _Notes:
    """Numbers notes in reading order and remembers which sources were already cited in full."""

    def __init__(self, sources: dict[str, SourceView], unverified: frozenset[tuple[str, str]]):
        self.sources = sources
        self.unverified = unverified
        self.notes: list[Note] = []
        self.cited: set[str] = set()

    def point(self, point: Point, *, per_quote: bool) -> PointView:
        """A point whose quotations get a note each, or one note citing all its sources.

        Quoted evidence is cited where each quote stands; a point shown without its quotes
        (a background paragraph, a table cell) gets a single note naming every source.
        """
        if per_quote:
            notes = [self._add([e.source]) for e in point.evidence]
        else:
            shared = self._add(list(dict.fromkeys(e.source for e in point.evidence)))
            notes = [shared] * len(point.evidence)
        return PointView(
            point,
            [
                Quote(e, note, (e.source, e.quote) not in self.unverified)
                for e, note in zip(point.evidence, notes, strict=True)
            ],
        )

    def _add(self, source_ids: list[str]) -> Note:
        references = [Reference(self.sources[s], s not in self.cited) for s in source_ids]
        self.cited.update(source_ids)
        note = Note(len(self.notes) + 1, references)
        self.notes.append(note)
        return note


def resolve_view(
    content: Content,
    memo_id: str,
    audience_id: str,
    unverified: frozenset[tuple[str, str]] = frozenset(),
) -> MemoView:
    """Apply an audience profile to a memo.

    `unverified` holds the (source, quote) pairs a draft build could not find in their
    sources; they are shown, marked, instead of stopping the build.
    """
    memo = content.memos[memo_id]
    audience = content.audiences[audience_id]
    show = audience.show

    def visible(points: list[Point]) -> list[Point]:
        return [point for point in points if point.shown_to(audience_id)]

    memo_options = [option for option in memo.options if option.shown_to(audience_id)]
    sources = _cited_sources(content, memo, memo_options, visible)
    by_id = {view.source.id: view for view in sources}
    notes = _Notes(by_id, unverified)
    sections = [
        s for s in audience.sections if s != "recommendation" or memo.recommendation is not None
    ]
    recommended = (
        memo.recommendation.option
        if memo.recommendation and {"recommendation", "decision"} & set(sections)
        else None
    )
    background: list[PointView] = []
    shown: dict[str, dict[str, list[PointView]]] = {o.position: {} for o in memo_options}
    stances: dict[str, dict[str, PointView]] = {o.position: {} for o in memo_options}
    for section in sections:
        if section == "background":
            background = [notes.point(p, per_quote=False) for p in visible(memo.background)]
        elif section == "options":
            for option in memo_options:
                position = content.positions[option.position]
                for kind in POINT_KINDS:
                    points = visible(getattr(position, kind)) if getattr(show, kind) else []
                    if show.max_points:
                        points = points[: show.max_points]
                    shown[option.position][kind] = [
                        notes.point(p, per_quote=show.evidence) for p in points
                    ]
        elif section == "disagreements":
            for question in memo.questions:
                for option in memo_options:
                    stance = content.positions[option.position].stances.get(question.id)
                    if stance is not None and stance.shown_to(audience_id):
                        view = notes.point(stance, per_quote=False)
                        stances[option.position][question.id] = view
    options = []
    for number, option in enumerate(memo_options, start=1):
        position = content.positions[option.position]
        groups = []
        for kind in POINT_KINDS:
            points_shown = shown[option.position].get(kind, [])
            if points_shown:
                label, label_one = POINT_LABELS[kind]
                groups.append(Group(kind, label, label_one, points_shown))
        options.append(
            OptionView(
                number=number,
                id=option.position,
                position=position,
                assessment=option.assessment,
                recommended=option.position == recommended,
                groups=groups,
                stances=stances[option.position],
            )
        )
    _count_quotes(sources, options)
    return MemoView(
        id=memo_id,
        memo=memo,
        audience_id=audience_id,
        audience=audience,
        options=options,
        criteria=list(memo.criteria),
        questions=list(memo.questions),
        background=background,
        sources=sources,
        notes=notes.notes,
        sections=sections,
        draft=bool(unverified),
        numbers={view.source.id: view.number for view in sources},
    )


def _cited_sources(
    content: Content,
    memo: Memo,
    options: list[MemoOption],
    visible: Callable[[list[Point]], list[Point]],
) -> list[SourceView]:
    """The sources the memo's options rest on, in order of first citation.

    An audience that sees no quotation still gets the list of what the options rest on;
    a withheld item cites nothing.
    """
    order: dict[str, None] = {}
    for point in visible(memo.background):
        for evidence in point.evidence:
            order.setdefault(evidence.source)
    for option in options:
        position = content.positions[option.position]
        for source_id in position.advocates:
            order.setdefault(source_id)
        for point in visible([*every_point(position), *position.stances.values()]):
            for evidence in point.evidence:
                order.setdefault(evidence.source)
    return [
        SourceView(number, content.sources[source_id], [])
        for number, source_id in enumerate(order, start=1)
    ]


def _count_quotes(sources: list[SourceView], options: list[OptionView]) -> None:
    """How many of the quotations shown under each option come from each source."""
    by_id = {view.source.id: view for view in sources}
    for option in options:
        points = [*(p for g in option.groups for p in g.points), *option.stances.values()]
        counts = Counter(quote.evidence.source for point in points for quote in point.quotes)
        for source_id, count in counts.items():
            by_id[source_id].cited_by.append((option.number, count))


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
