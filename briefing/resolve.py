"""Stage 4: one memo seen by one audience.

The profile decides what is shown, in what order, with which markings; this module applies
it once, so templates only lay out what they are given and hold no policy of their own.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from briefing.age import newest_dated
from briefing.content import POINT_KINDS, Content, points_of
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
    cited_by: tuple[tuple[int, int], ...]
    """(option number, quotations from this source shown under that option), in option
    order; empty where the audience sees no quotations."""
    note: str | None
    """The source's note on itself, where the audience sees the evidence."""

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
    def accessed(self) -> str | None:
        """When the source's URL was read, written out, for the full reference."""
        return written_date(self.source.accessed) if self.source.accessed else None

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
class Cell:
    """One option on one criterion, as the grid shows it: a symbol and a word, never colour
    alone, and the rationale where the audience sees it."""

    symbol: str
    word: str
    rating: Rating
    rationale: str | None


@dataclass(frozen=True)
class OptionView:
    """An option as this audience sees it."""

    number: int
    id: str
    position: Position
    assessment: dict[str, Assessment]
    cells: dict[str, Cell]
    """Criterion id to its grid cell."""
    thesis: str | None
    """The option's thesis, where the audience sees it."""
    full: bool
    """Shown in full with its quotations, or in brief."""
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
    def newest_source(self) -> SourceView | None:
        """The cited source dated latest, which the memo's evidence is current to; a source
        without a date is not counted (see briefing.age)."""
        newest = newest_dated(view.source for view in self.sources)
        return next((view for view in self.sources if view.source is newest), None)

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


Place = tuple[str | int, ...]
"""Where a cited point stands in the memo: ("background", 0), ("options", "status-quo",
"pros", 2), ("disagreements", "status-quo", "recognition")."""


@dataclass(frozen=True)
class Selection:
    """What an audience is shown of a memo, before anything is numbered."""

    sections: list[Section]
    options: list[MemoOption]
    recommended: str | None
    background: list[Point]
    points: dict[str, dict[str, list[Point]]]
    """Option id to point kind to the points shown."""
    stances: dict[str, dict[str, Point]]
    """Option id to question id to the stance shown."""

    def cited_in_order(self, questions: list[Question]) -> list[tuple[Place, Point]]:
        """Every point that carries notes, in the order the memo is read."""
        order: list[tuple[Place, Point]] = []
        for section in self.sections:
            if section == "background":
                order += [(("background", i), p) for i, p in enumerate(self.background)]
            elif section == "options":
                for option in self.options:
                    for kind, points in self.points[option.position].items():
                        order += [
                            (("options", option.position, kind, i), p) for i, p in enumerate(points)
                        ]
            elif section == "disagreements":
                for question in questions:
                    for option in self.options:
                        stance = self.stances[option.position].get(question.id)
                        if stance is not None:
                            order.append((("disagreements", option.position, question.id), stance))
        return order


def select(content: Content, memo: Memo, audience_id: str, audience: Audience) -> Selection:
    """Apply the profile's sections, switches and limits: what this audience sees."""
    show = audience.show

    def visible(points: list[Point]) -> list[Point]:
        return [point for point in points if point.shown_to(audience_id)]

    sections = [
        s for s in audience.sections if s != "recommendation" or memo.recommendation is not None
    ]
    options = [option for option in memo.options if option.shown_to(audience_id)]
    points: dict[str, dict[str, list[Point]]] = {}
    stances: dict[str, dict[str, Point]] = {}
    for option in options:
        position = content.positions[option.position]
        points[option.position] = {}
        for kind in POINT_KINDS:
            chosen = visible(points_of(position, kind)) if getattr(show, kind.field) else []
            points[option.position][kind.field] = chosen[: show.max_points or None]
        stances[option.position] = {
            question.id: stance
            for question in memo.questions
            if (stance := position.stances.get(question.id)) is not None
            and stance.shown_to(audience_id)
        }
    shows_recommendation = {"recommendation", "decision"} & set(sections)
    return Selection(
        sections=sections,
        options=options,
        recommended=memo.recommendation.option
        if memo.recommendation and shows_recommendation
        else None,
        background=visible(memo.background),
        points=points,
        stances=stances,
    )


def number_notes(
    cited: list[tuple[Place, Point]],
    sources: dict[str, SourceView],
    *,
    per_quote: bool,
) -> tuple[list[Note], dict[Place, list[Note]]]:
    """Number the notes in one pass over the memo in reading order.

    Quoted evidence is cited where each quote stands (`per_quote`, on points shown with
    their quotations); elsewhere a point gets a single note naming every source. A source is
    given in full the first time it is cited, in short form after.
    """
    notes: list[Note] = []
    by_place: dict[Place, list[Note]] = {}
    cited_in_full: set[str] = set()

    def add(source_ids: list[str]) -> Note:
        references = [Reference(sources[s], s not in cited_in_full) for s in source_ids]
        cited_in_full.update(source_ids)
        notes.append(Note(len(notes) + 1, references))
        return notes[-1]

    for place, point in cited:
        quoted = per_quote and place[0] == "options"
        if quoted:
            by_place[place] = [add([e.source]) for e in point.evidence]
        else:
            shared = add(list(dict.fromkeys(e.source for e in point.evidence)))
            by_place[place] = [shared] * len(point.evidence)
    return notes, by_place


def resolve_view(
    content: Content,
    memo_id: str,
    audience_id: str,
    unverified: frozenset[tuple[str, str]] = frozenset(),
) -> MemoView:
    """Apply an audience profile to a memo: select, number the notes, then lay out the views.

    `unverified` holds the (source, quote) pairs a draft build could not find in their
    sources; they are shown, marked, instead of stopping the build.
    """
    memo = content.memos[memo_id]
    audience = content.audiences[audience_id]
    selection = select(content, memo, audience_id, audience)
    cited = selection.cited_in_order(list(memo.questions))
    source_ids = content.cited_sources(memo_id, audience_id)
    counts = _quote_counts(selection, cited) if audience.show.evidence else {}
    sources = [
        SourceView(
            number,
            content.sources[source_id],
            tuple(counts.get(source_id, ())),
            content.sources[source_id].note if audience.show.evidence else None,
        )
        for number, source_id in enumerate(source_ids, start=1)
    ]
    by_id = {view.source.id: view for view in sources}
    notes, by_place = number_notes(cited, by_id, per_quote=audience.show.evidence)

    def view_of(place: Place, point: Point) -> PointView:
        quotes = [
            Quote(e, note, (e.source, e.quote) not in unverified)
            for e, note in zip(point.evidence, by_place[place], strict=True)
        ]
        return PointView(point, quotes)

    options = [
        _option_view(number, option, content, selection, audience, view_of)
        for number, option in enumerate(selection.options, start=1)
    ]
    return MemoView(
        id=memo_id,
        memo=memo,
        audience_id=audience_id,
        audience=audience,
        options=options,
        criteria=list(memo.criteria),
        questions=list(memo.questions),
        background=[
            view_of(("background", i), p)
            for i, p in enumerate(selection.background)
            if "background" in selection.sections
        ],
        sources=sources,
        notes=notes,
        sections=selection.sections,
        draft=bool(unverified),
        numbers={view.source.id: view.number for view in sources},
    )


def _option_view(
    number: int,
    option: MemoOption,
    content: Content,
    selection: Selection,
    audience: Audience,
    view_of: Callable[[Place, Point], PointView],
) -> OptionView:
    """One option as the audience sees it, its points carrying their notes."""
    position = content.positions[option.position]
    shown = "options" in selection.sections
    groups = [
        Group(
            kind.field,
            kind.label,
            kind.label_one,
            [
                view_of(("options", option.position, kind.field, i), p)
                for i, p in enumerate(selection.points[option.position][kind.field])
            ],
        )
        for kind in POINT_KINDS
        if shown and selection.points[option.position][kind.field]
    ]
    stances = (
        {
            question: view_of(("disagreements", option.position, question), stance)
            for question, stance in selection.stances[option.position].items()
        }
        if "disagreements" in selection.sections
        else {}
    )
    cells = {
        criterion: Cell(
            *RATING_MARKS[assessed.rating],
            assessed.rating,
            assessed.rationale if audience.show.grid_rationale else None,
        )
        for criterion, assessed in option.assessment.items()
    }
    return OptionView(
        number=number,
        id=option.position,
        position=position,
        assessment=option.assessment,
        cells=cells,
        thesis=position.thesis if audience.show.thesis else None,
        full=audience.show.evidence,
        recommended=option.position == selection.recommended,
        groups=groups,
        stances=stances,
    )


def _quote_counts(
    selection: Selection, cited: list[tuple[Place, Point]]
) -> dict[str, list[tuple[int, int]]]:
    """Source id to (option number, quotations from it shown under that option), in option order."""
    numbers = {option.position: n for n, option in enumerate(selection.options, start=1)}
    per_option: dict[str, Counter[str]] = {
        option.position: Counter() for option in selection.options
    }
    for place, point in cited:
        if place[0] in ("options", "disagreements"):
            per_option[str(place[1])].update(e.source for e in point.evidence)
    counts: dict[str, list[tuple[int, int]]] = {}
    for option_id, counter in per_option.items():
        for source_id, count in counter.items():
            counts.setdefault(source_id, []).append((numbers[option_id], count))
    return counts


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
