"""The memo's claims: the lists they stand in, what an audience is shown of them, one walk.

A claim is something the memo says on its sources' authority: an item of the
recommendation that cites, a background paragraph, a key fact, an issue for Congress, an
option set aside, and each point and stance of the positions its options present. Resolve
numbers their notes and lists them in the evidence annex, context reads their quotations
in their sources, the review edition lays them out, redline compares them, and the cache
reads the seeds they quote: each walks `claims()` and reads the tables here. A new list of
claims is a field on the model (and its section in `models.Section`), a line in
`MEMO_CLAIM_LISTS`, the field of the same name on `resolve.MemoView`, and its partial.

`select` applies an audience's profile once (its sections, `show.*`, `max_points`, the
options in brief); walked with that selection, `claims()` gives what the audience's
document shows, in the order it is read.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from briefing.content import POINT_KINDS, Content, PointKind, points_of
from briefing.load import Path_
from briefing.models import Audience, Backed, Memo, MemoOption, Point, Position, Question, Section


@dataclass(frozen=True)
class ClaimList:
    """One list of claims: the memo's own (`MEMO_CLAIM_LISTS`), or a position's (its points,
    `POINT_LISTS`, and its `STANCES`).

    Its words are the phrasebook's (`templates/phrases.toml`): one claim of it is named by
    its field in `[claim]` ("Key fact", "Pro"); `heading`, `neutral_heading` and `side` are
    keys of `[sections]` and `[sides]`."""

    field: str
    """Its name on the memo, on the memo's recommendation (`on`) or on a position."""
    section: Section
    """The profile section that shows it."""
    heading: str
    """The `[sections]` key of what the evidence annex lists it under: a group of its own
    for the memo's lists (the section's title), a part of the option's group for a
    position's ("Pros"); the review edition and a redline head it so too."""
    anchor: str
    """How the id of one of its claims begins: `claim-key_facts-2`; a position's claims add
    the option (`claim-status-quo-pros-2`)."""
    side: str
    """The `[sides]` key of where a claim of it stands, as the review edition says it: "the
    brief's key facts", "against the option"."""
    on: str | None = None
    """The memo's field holding the list, where the memo does not hold it itself."""
    after_options: bool = False
    """Whether the memo gives it after its options (the options set aside close the case)."""
    neutral_heading: str | None = None
    """The `[sections]` key of its heading for an audience that gets no recommendation, where
    it differs."""
    kind: PointKind | None = None
    """The kind of point, for a position's lists of points (`content.POINT_KINDS`)."""

    @property
    def path(self) -> Path_:
        """Where the list stands in its file."""
        return (self.on, self.field) if self.on else (self.field,)

    @property
    def section_anchor(self) -> str:
        """The id of the section showing it, which the annex, review and redline reuse."""
        return self.section.replace("_", "-")

    def heading_for(self, *, recommending: bool) -> str:
        """The `[sections]` key of its heading in a document that recommends an option, or
        in one that does not (the options set aside are then "set aside")."""
        return (None if recommending else self.neutral_heading) or self.heading


MEMO_CLAIM_LISTS: tuple[ClaimList, ...] = (
    ClaimList("actions", "recommendation", "recommendation_items", "recommendation-actions",
              "recommendation", on="recommendation"),
    ClaimList("benchmarks", "recommendation", "recommendation_items",
              "recommendation-benchmarks", "recommendation", on="recommendation"),
    ClaimList("resources", "recommendation", "recommendation_items",
              "recommendation-resources", "recommendation", on="recommendation"),
    ClaimList("background", "background", "background", "background", "background"),
    ClaimList("key_facts", "key_facts", "key_facts", "key_facts", "key_facts"),
    ClaimList("issues_for_congress", "issues_for_congress", "issues_for_congress",
              "issues_for_congress", "issues_for_congress"),
    ClaimList("not_recommended", "not_recommended", "not_recommended", "not_recommended",
              "not_recommended", after_options=True,
              neutral_heading="not_recommended_neutral"),
)  # fmt: skip
"""The memo's own lists of claims, in the memo's order; the options' claims stand before
those `after_options`. An item of the recommendation is a claim where it cites (one that is
the office's own judgment quotes nothing)."""

POINT_LISTS: tuple[ClaimList, ...] = tuple(
    ClaimList(kind.field, "options", kind.field, kind.field, kind.side, kind=kind)
    for kind in POINT_KINDS
)
"""A position's points, kind by kind, as `content.POINT_KINDS` lists them."""

STANCES = ClaimList("stances", "disagreements", "stances", "stance", "stances")
"""A position's stances on the memo's key questions, each keyed by its question; the memo
gives them after the position's points."""


@dataclass(frozen=True)
class ClaimPlace:
    """Where a claim stands: its list, its place in the list as the file gives it, and the
    option whose position argues it. The same claim has the same place in every walk and for
    every audience, so the place is its identity (and its id in each document)."""

    among: ClaimList
    index: int | str
    """Its index in the list, counted in the file; a stance's is its question's id."""
    option: str | None = None
    """The position's id, for an option's claims; None for the memo's own."""

    @property
    def anchor(self) -> str:
        """The claim's id in a document: `claim-background-1`, `claim-status-quo-pros-2`,
        `stance-status-quo-recognition` (ids and point kinds are identifiers, so the id is
        safe in HTML and unique in the memo)."""
        if self.among is STANCES:  # keyed by its question, not counted
            return f"{self.among.anchor}-{self.option}-{self.index}"
        owner = f"{self.option}-" if self.option else ""
        return f"claim-{owner}{self.among.anchor}-{int(self.index) + 1}"

    @property
    def evidence_anchor(self) -> str:
        """The id of the claim's entry in the evidence annex."""
        return "evidence-" + self.anchor.removeprefix("claim-")

    @property
    def path(self) -> Path_:
        """Where the claim stands in its file (the memo's, or the position's)."""
        return (*self.among.path, self.index)


class ClaimAt(NamedTuple):
    """A claim and where it stands."""

    place: ClaimPlace
    point: Point


@dataclass(frozen=True)
class Selection:
    """What an audience is shown of a memo, before anything is numbered: the profile's
    sections, switches and limits applied once. A list is empty where its section is not
    shown."""

    sections: list[Section]
    options: list[MemoOption]
    recommended: str | None
    full: bool
    """Whether the options are shown in full (advocates, thesis, each point citing), not in
    brief."""
    lists: dict[str, list[ClaimAt]]
    """Each of the memo's lists (`MEMO_CLAIM_LISTS`, by field) as shown."""
    points: dict[str, dict[str, list[ClaimAt]]]
    """Option id to point kind to the points the body shows."""
    stances: dict[str, dict[str, ClaimAt]]
    """Option id to question id to the stance shown, in the memo's question order."""
    annexed: dict[str, dict[str, list[ClaimAt]]] = field(default_factory=dict)
    """Option id to point kind to the points the annex lists, where the audience reads its
    evidence in one: those the body shows and those `max_points` kept out of it."""
    items: list[tuple[str, int, Backed]] = field(default_factory=list)
    """The recommendation's actions, benchmarks and resources, where it is shown."""


def select(content: Content, memo: Memo, audience_id: str, audience: Audience) -> Selection:
    """Apply the profile's sections, switches and limits: what this audience sees."""
    show = audience.show
    present = {
        "recommendation": memo.recommendation is not None,
        "coordination": bool(memo.coordination),
        "attachments": bool(memo.attachments),
    }
    sections = [s for s in audience.sections if present.get(s, True)]

    def seen(listed: Iterable[ClaimAt], section: Section) -> list[ClaimAt]:
        """The claims of a list the audience is shown, where its section is."""
        shown = section in sections
        return [claim for claim in listed if shown and claim.point.shown_to(audience_id)]

    options = [option for option in memo.options if option.shown_to(audience_id)]
    points: dict[str, dict[str, list[ClaimAt]]] = {}
    annexed: dict[str, dict[str, list[ClaimAt]]] = {}
    stances: dict[str, dict[str, ClaimAt]] = {}
    for option in options:
        position = content.positions[option.position]
        argued = list(position_claims(option.position, position, memo.questions))
        points[option.position], annexed[option.position] = {}, {}
        for among in POINT_LISTS:
            switched_on = getattr(show, among.field)
            chosen = seen((c for c in argued if c.place.among is among and switched_on), "options")
            most = show.most(among.field)
            points[option.position][among.field] = chosen if most is None else chosen[:most]
            annexed[option.position][among.field] = chosen if show.evidence == "annex" else []
        asked = {question.id for question in memo.questions}
        stances[option.position] = {
            str(claim.place.index): claim
            for claim in seen((c for c in argued if c.place.among is STANCES), "disagreements")
            if claim.place.index in asked
        }
    shows_recommendation = {"recommendation", "decision"} & set(sections)
    shown = Selection(
        sections=sections,
        options=options,
        recommended=memo.recommendation.option
        if memo.recommendation and shows_recommendation
        else None,
        full=show.evidence != "none",
        lists={
            among.field: seen(memo_claims(memo, among), among.section) for among in MEMO_CLAIM_LISTS
        },
        points=points,
        stances=stances,
        annexed=annexed,
        items=memo.recommendation.items()
        if memo.recommendation and "recommendation" in sections
        else [],
    )
    if "sources" in sections and not sources_cited(memo, content.positions, shown):
        # Like a section the memo has nothing for: no empty list of sources.
        return replace(shown, sections=[s for s in sections if s != "sources"])
    return shown


def claims(
    memo: Memo, positions: Mapping[str, Position], shown: Selection | None = None
) -> Iterator[ClaimAt]:
    """Every claim of a memo and of its options' positions.

    Without `shown`: all of them, whatever the audience, in the memo's order (its lists,
    each option's points kind by kind and then its stances, the options set aside), as the
    evidence annex groups them and the review edition lists them; a position's stances on
    questions the memo does not ask come after the others.

    With `shown` (`select`): what that audience's document shows in its body, in the order
    it is read: section by section as the profile lists them, the stances question by
    question across the options as the disagreements table reads.
    """
    if shown is not None:
        yield from _as_read(memo, shown)
        return
    for among in MEMO_CLAIM_LISTS:
        if not among.after_options:
            yield from memo_claims(memo, among)
    for option in memo.options:
        yield from position_claims(option.position, positions[option.position], memo.questions)
    for among in MEMO_CLAIM_LISTS:
        if among.after_options:
            yield from memo_claims(memo, among)


def _as_read(memo: Memo, shown: Selection) -> Iterator[ClaimAt]:
    for section in shown.sections:
        for among in MEMO_CLAIM_LISTS:
            if among.section == section:
                yield from shown.lists[among.field]
        if section == "options":
            for option in shown.options:
                for argued in shown.points[option.position].values():
                    yield from argued
        elif section == "disagreements":
            for question in memo.questions:
                for option in shown.options:
                    stance = shown.stances[option.position].get(question.id)
                    if stance is not None:
                        yield stance


def memo_claims(memo: Memo, among: ClaimList) -> Iterator[ClaimAt]:
    """The claims of one of the memo's own lists, in its order."""
    holder = getattr(memo, among.on) if among.on else memo
    listed: list[Point | Backed] = getattr(holder, among.field) if holder is not None else []
    for index, entry in enumerate(listed):
        if not isinstance(entry, Backed):
            yield ClaimAt(ClaimPlace(among, index), entry)
        elif entry.evidence:
            yield ClaimAt(ClaimPlace(among, index), entry.as_point())


def position_claims(
    option: str, position: Position, questions: Iterable[Question] = ()
) -> Iterator[ClaimAt]:
    """A position's claims: its points kind by kind, then its stances, those on `questions`
    first in their order."""
    for among in POINT_LISTS:
        assert among.kind is not None
        for index, point in enumerate(points_of(position, among.kind)):
            yield ClaimAt(ClaimPlace(among, index, option), point)
    asked = [question.id for question in questions if question.id in position.stances]
    for question in [*asked, *(q for q in position.stances if q not in asked)]:
        yield ClaimAt(ClaimPlace(STANCES, question, option), position.stances[question])


def sources_of(cited: Iterable[ClaimAt]) -> dict[str, None]:
    """The sources some claims quote, in order of first quotation (a dict used as an
    ordered set)."""
    return dict.fromkeys(e.source for claim in cited for e in claim.point.evidence)


def sources_cited(memo: Memo, positions: Mapping[str, Position], shown: Selection) -> list[str]:
    """The sources an audience's document cites, in order of first citation: the body's
    claims as it is read (their notes), each option's advocates where the option's section
    opens, before its points (the "Argued by" line of an option shown in full), then the
    sources only the evidence annex quotes (of the points `max_points` keeps out of the
    body). This is the document's reference list: nothing it does not cite, nothing it
    cites left out."""
    argued = "options" in shown.sections and shown.full
    waiting = [option.position for option in shown.options] if argued else []
    later = shown.sections[shown.sections.index("options") + 1 :] if argued else []
    order: dict[str, None] = {}

    def open_options(until: str | None = None) -> None:
        """Cite the advocates of the options whose section has opened, up to `until`."""
        while waiting:
            option = waiting.pop(0)
            order.update(dict.fromkeys(positions[option].advocates))
            if option == until:
                return

    for claim in claims(memo, positions, shown):
        if claim.place.among.section == "options":
            open_options(claim.place.option)
        elif claim.place.among.section in later:
            open_options()
        order.update(sources_of([claim]))
    open_options()
    for option in shown.options:
        for kind, listed in shown.annexed[option.position].items():
            order.update(sources_of(listed[len(shown.points[option.position][kind]) :]))
    return list(order)
