"""Stage 4: one memo seen by one audience.

The profile decides what is shown, in what order, with which markings; this module applies
it once, so templates only lay out what they are given and hold no policy of their own.

Where the quotations go is the profile's `show.evidence`: `inline`, each quotation under its
claim with a note of its own; `annex`, each claim with one note naming its sources in the
body and its quotations in an evidence annex at the end; `none`, claims cite and nothing is
quoted. With an annex, `max_points` shortens the body only: the annex lists every point of
each option the audience may see.

What every renderer (HTML, PDF, DOCX) reads of the view, and what the annex added to it:
- `MemoView.evidence` (the mode), `.annexed` (the document ends with an annex),
  `.annex_points()` (the claims it lists, in order), `.annex_title` and `.annex_short`
  (the profile's, "Tab A" for running text; None where the phrasebook's apply), `.title`
  (the audience's form and the memo's title); `.quotations` now counts the quotations the
  document shows (under its claims, or in its annex), not every one.
- `OptionView.groups` are the body's points; `MemoView.claims` every claim the document
  shows, in its body or only in its annex, in the memo's order (`briefing.claims`).
  `OptionView.full` is true unless the evidence is `none`.
- `PointView.place` is where the claim stands (`briefing.claims.ClaimPlace`); `.anchor`
  is its id in the body, `.evidence_anchor` its annex entry's.
- `Quote.note` is None for a claim only the annex lists (`PointView.notes` is then empty);
  `Quote.text` is the quotation as shown: the source's words, without the markdown link
  syntax and footnote markers some seed texts carry.
- `Note.evidence` is the annex entry the claim's note leads to.
- `SourceView.short_title` is a field now, told apart from every other source's (with
  the source's date after it where `short_title_dated`).

The view holds no words: the headings, labels, keys and sentences a document prints are the
phrasebook's (`briefing.phrases`), which the templates fill in. Where a sentence depends on
something counted or decided, the view gives that: `MemoView.annex()` (the annex's groups,
each headed by a phrasebook key or an option), `.form` (memo, CRS-style brief or
publication: how the document opens and whether it ends with drafting lines),
`.unverified`, `.undated`, `.quotations`, `.framed`, `.judged`, `.illustrative`;
`Group.plural` ("Pros", or "Pro" over one point).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from briefing.age import newest_dated
from briefing.claims import (
    MEMO_CLAIM_LISTS,
    STANCES,
    ClaimAt,
    ClaimPlace,
    Selection,
    claims,
    select,
    sources_cited,
)
from briefing.content import POINT_KINDS, Content, quoted_sources
from briefing.markup import as_quoted
from briefing.models import (
    Analyst,
    Assessment,
    Audience,
    Backed,
    Clearance,
    Coordination,
    Criterion,
    Evidence,
    EvidenceMode,
    Form,
    IssueForCongress,
    Memo,
    MemoOption,
    Point,
    Position,
    Question,
    Rating,
    Section,
    SetAside,
    Source,
)

RATING_SYMBOLS = {
    Rating.ADVANCES: "+",
    Rating.MIXED: "\u00b1",
    Rating.HARMS: "\u2212",
    Rating.UNCLEAR: "?",
}
"""A symbol for each rating, which the grid gives beside the rating's word (the phrasebook's
`[ratings]`), so the grid never relies on colour alone."""


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
    short_title: str = ""
    """The title as short notes give it: the source's `short_title`, else the title cut at
    its first colon or parenthesis; longer where two sources of the memo would otherwise
    read alike (see `short_titles`)."""
    short_title_dated: bool = False
    """Whether short notes give the source's date after its title: another source of the
    memo has the same author (or none) and the same title."""

    @property
    def anchor(self) -> str:
        return f"source-{self.source.id}"

    @property
    def surname(self) -> str | None:
        """The author's last name for short notes, or None when no author is named."""
        return self.source.author.split()[-1] if self.source.author else None

    @property
    def outlet_says_the(self) -> bool:
        """Whether the outlet's name begins with "The", so that a phrase naming an analysis it
        published adds no article of its own (`[references] analysis_by_named`)."""
        return bool(self.source.outlet and self.source.outlet.lower().startswith("the "))


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
    evidence: str | None = None
    """The anchor of the annex entry holding the quotations of the claim this note cites,
    where the audience reads its evidence in an annex."""

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
    note: Note | None
    """The note that cites it; None for the quotations of a claim that only the annex lists."""
    verified: bool

    @property
    def text(self) -> str:
        """The quotation as shown: the source's words, without link syntax or note markers."""
        return as_quoted(self.evidence.quote)


@dataclass(frozen=True)
class PointView:
    """A point with the quotations that back it, each carrying its note."""

    point: Point
    quotes: list[Quote]
    place: ClaimPlace
    """Where the claim stands in the memo (`briefing.claims`)."""

    @property
    def anchor(self) -> str:
        """The claim's id in the body (`claim-status-quo-pros-2`, `stance-status-quo-recognition`,
        `claim-background-1`): where the annex links back to."""
        return self.place.anchor

    @property
    def text(self) -> str:
        return self.point.text

    @property
    def kind(self) -> str:
        """The list the claim stands in ("key_facts", "pros"), which keys its words in the
        phrasebook: `[claim]` names one claim of it."""
        return self.place.among.field

    @property
    def title(self) -> str | None:
        """The name of an option the memo sets aside; None for every other claim."""
        return self.point.title if isinstance(self.point, SetAside) else None

    @property
    def topic(self) -> str | None:
        """The topic of an issue for Congress; None for every other claim."""
        return self.point.topic if isinstance(self.point, IssueForCongress) else None

    @property
    def own_framing(self) -> bool:
        """Whether this is an issue for Congress the office framed itself (`judgment: true`)."""
        return isinstance(self.point, IssueForCongress) and self.point.judgment

    @property
    def evidence_anchor(self) -> str:
        """The id of the claim's entry in the evidence annex."""
        return self.place.evidence_anchor

    @property
    def notes(self) -> list[Note]:
        """The distinct notes of the point's quotations, for places that cite without quoting;
        none for a claim that only the annex lists."""
        seen: dict[int, Note] = {}
        for quote in self.quotes:
            if quote.note is not None:
                seen.setdefault(quote.note.number, quote.note)
        return list(seen.values())

    @property
    def unverified(self) -> bool:
        return any(not quote.verified for quote in self.quotes)


@dataclass(frozen=True)
class Group:
    """The pros (or cons, conditions ...) of an option that this audience sees; `kind` keys
    its words in the phrasebook (`[sections]` over several points, `[claim]` over one)."""

    kind: str
    points: list[PointView]

    @property
    def plural(self) -> bool:
        """Whether the group's heading over its points is plural: "Pros", or "Pro" over a
        single one (the recommendations keep their plural)."""
        return len(self.points) > 1 or self.kind == "recommendations"


@dataclass(frozen=True)
class AnnexPart:
    """A run of the annex's entries under one subheading (an option's pros, its stances), or
    under none. `heading` is a key of the phrasebook's `[sections]`; each entry is a claim
    and its own name (an issue's topic, the title of an option set aside, a stance's
    question), or None where its list's word names it (`[claim]`, by `PointView.kind`)."""

    heading: str | None
    entries: list[tuple[str | None, PointView]]


@dataclass(frozen=True)
class AnnexGroup:
    """One group of the evidence annex, as the claims stand in the memo: the recommendation's
    items, the background, key facts, issues for Congress, each option, the options set
    aside. Headed by the option, for an option's group; else by `heading`, a key of the
    phrasebook's `[sections]`."""

    heading: str | None
    option: OptionView | None
    anchor: str
    """The id of the group's heading, `annex-<anchor>-h`."""
    parts: list[AnnexPart]


@dataclass(frozen=True)
class Cell:
    """One option on one criterion, as the grid shows it: a symbol and the rating's word
    (the phrasebook's `[ratings]`), never colour alone, and the rationale where the
    audience sees it."""

    symbol: str
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
        return option_anchor(self.id)


@dataclass(frozen=True)
class ItemView:
    """An item of the recommendation (an action, a benchmark, a resource) with its notes:
    one note naming its sources where it rests on evidence, none where it is the office's
    judgment."""

    item: Backed
    notes: list[Note]
    claim: PointView | None = None
    """The item as a claim with its quotations, where it rests on evidence: the annex
    lists it, and its id in the body is the claim's."""
    place: str = ""
    """Where it stands: "recommendation-actions-1"."""

    @property
    def anchor(self) -> str:
        """Its id in the body: the claim's (`claim-recommendation-actions-1`) where it
        cites, else `item-recommendation-benchmarks-1`."""
        return self.claim.anchor if self.claim else f"item-{self.place}"

    @property
    def text(self) -> str:
        return self.item.text

    @property
    def judgment(self) -> bool:
        return self.item.judgment


@dataclass(frozen=True)
class Tab:
    """An attachment as the memo lists it: its letter (the phrasebook's `[labels] tab` makes
    "Tab A" of it) and title ("Staff options memo"), and the audience whose edition it is,
    if it is one."""

    letter: str
    title: str
    audience: str | None


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
    """The reference list: every source the document cites and no other, in order of first
    citation (`briefing.claims.sources_cited`), each numbered as its place in the list."""
    notes: list[Note]
    sections: list[Section]
    draft: bool
    numbers: dict[str, int] = field(default_factory=dict)
    not_recommended: list[PointView] = field(default_factory=list)
    """The options considered and not put forward, where the profile lists the section; each
    view's `point` is a `SetAside`, whose `title` names the option."""
    key_facts: list[PointView] = field(default_factory=list)
    """The key facts box, each fact citing its sources; empty unless the profile lists
    `key_facts` and the memo gives some."""
    issues_for_congress: list[PointView] = field(default_factory=list)
    """The issues for Congress in the memo's order (`PointView.point` is an
    `IssueForCongress`: its topic and whether it is the office's own framing); an issue
    without evidence has no notes. Empty unless the profile lists the section."""

    actions: list[ItemView] = field(default_factory=list)
    """The recommendation's first steps, where the audience sees the recommendation."""
    benchmarks: list[ItemView] = field(default_factory=list)
    resources: list[ItemView] = field(default_factory=list)
    coordination: list[Coordination] = field(default_factory=list)
    """Who was consulted and where they stand; empty unless the profile lists the
    `coordination` section (never in a public or congressional brief by default)."""
    clearances: list[Clearance] = field(default_factory=list)
    """The cleared-by lines, shown with the drafting line; empty unless the profile lists
    `coordination`, so a profile without it shows no clearances at all."""
    tabs: list[Tab] = field(default_factory=list)
    """The attachments, lettered, where the profile lists `attachments`."""
    claims: list[PointView] = field(default_factory=list)
    """Every claim the document shows, in its body or only in its annex, in the memo's
    order (`briefing.claims.claims`): what the annex lists and the UNVERIFIED count reads."""

    @property
    def issue_topics(self) -> list[tuple[str, list[PointView]]]:
        """The issues for Congress grouped by topic, topics in the order they first appear,
        so an author may list them in any order and the brief still reads topic by topic."""
        groups: dict[str, list[PointView]] = {}
        for view in self.issues_for_congress:
            groups.setdefault(getattr(view.point, "topic", ""), []).append(view)
        return list(groups.items())

    @property
    def analyst(self) -> Analyst | None:
        """Who wrote the brief: the memo's analyst over the profile's, field by field."""
        mine, office = self.memo.analyst, self.audience.analyst
        return mine.over(office) if mine is not None else office

    @property
    def banner(self) -> str:
        """The marking repeated at the top and bottom of every page: the classification
        and the handling marking on one line, joined as banner lines join their parts
        (SENSITIVE BUT UNCLASSIFIED//PRE-DECISIONAL//DELIBERATIVE); either alone, or none."""
        parts = [p for p in (self.audience.marking, self.audience.handling) if p]
        return "//".join(parts)

    @property
    def illustrative(self) -> bool:
        """Whether any coordination or clearance line shown is an example, not a record."""
        entries: list[Coordination | Clearance] = [*self.coordination, *self.clearances]
        return any(entry.illustrative for entry in entries)

    @property
    def judged(self) -> bool:
        """Whether any item of the recommendation shown is the office's own judgment."""
        return any(i.judgment for i in [*self.actions, *self.benchmarks, *self.resources])

    @property
    def title(self) -> str:
        """The document's title, naming its form: "Staff options memo: U.S. Policy ..."."""
        return f"{self.audience.label}: {self.memo.title}"

    @property
    def evidence(self) -> EvidenceMode:
        """Where this audience reads the quotations: inline, annex or none."""
        return self.audience.show.evidence

    @property
    def annexed(self) -> bool:
        """Whether the document ends with the evidence annex."""
        return self.evidence == "annex" and any(p.quotes for p in self.annex_points())

    def annex_points(self) -> list[PointView]:
        """Every claim the annex lists, in its order (see `annex`)."""
        return [
            point for group in self.annex() for part in group.parts for _, point in part.entries
        ]

    def annex(self) -> list[AnnexGroup]:
        """The evidence annex, group by group, for every format that prints it: the claims
        with quotations in the memo's order (`claims`): the recommendation's items that
        cite, the background, key facts and issues for Congress, then option by option its
        points, kind by kind, and its stances; then the options set aside. Each of the
        memo's lists is a group under its heading (`briefing.claims.MEMO_CLAIM_LISTS`), each
        option a group with a part per list. Empty unless the audience reads its evidence
        in an annex."""
        if self.evidence != "annex":
            return []
        options = {option.id: option for option in self.options}
        groups: list[AnnexGroup] = []
        for point in self.claims:
            if not point.quotes:
                continue
            among, option = point.place.among, options.get(point.place.option or "")
            if option is None:
                heading = among.heading_for(recommending=self.recommended is not None)
                anchor = among.section_anchor
            else:
                heading, anchor = None, option.anchor
            if not groups or groups[-1].anchor != anchor:
                groups.append(AnnexGroup(heading, option, anchor, []))
            part = among.heading if option else None
            if not groups[-1].parts or groups[-1].parts[-1].heading != part:
                groups[-1].parts.append(AnnexPart(part, []))
            groups[-1].parts[-1].entries.append((self._annex_label(point), point))
        return groups

    def _annex_label(self, point: PointView) -> str | None:
        """What an annex entry is listed as, where the claim has a name of its own (an
        issue's topic, the title of an option set aside, a stance's question); None where
        its list's word names it ("Key fact", "Pro")."""
        if point.place.among is STANCES:
            return next(q.label for q in self.questions if q.id == point.place.index)
        return point.topic or point.title

    @property
    def annex_title(self) -> str | None:
        """The annex's heading, where the profile gives one; else the phrasebook's."""
        return self.audience.annex_title

    @property
    def annex_short(self) -> str | None:
        """The annex's name in running text, where the profile titles the annex: its title
        up to a dash or colon ("Tab A"); else the phrasebook's."""
        title = self.audience.annex_title
        if title is None:
            return None
        for mark in (" \u2014 ", " \u2013 ", " - ", ":"):
            title = title.split(mark, maxsplit=1)[0]
        return title.strip()

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
    def form(self) -> Form:
        """How the document opens and closes, as the profile says (`Audience.form`): the
        templates choose the heading and drafting blocks by it."""
        return self.audience.document_form

    @property
    def framed(self) -> bool:
        """Whether an issue for Congress is the office's own framing (and the key is due)."""
        return any(point.own_framing for point in self.issues_for_congress)

    @property
    def undated(self) -> int:
        """How many of the cited sources give no date: the "Evidence current to" line counts
        them, since the newest date is the newest of the others."""
        return sum(view.source.date is None for view in self.sources)

    @property
    def quotations(self) -> int:
        """How many quotations this document shows: under its claims (inline) or in its
        annex; none where the audience reads no quotations. Claims in the body that only
        cite, as the background and the stances do inline, show none."""
        if self.evidence == "annex":
            return sum(len(point.quotes) for point in self.annex_points())
        if self.evidence == "inline":
            return sum(len(p.quotes) for o in self.options for g in o.groups for p in g.points)
        return 0

    @property
    def decide_by(self) -> dt.date | None:
        """By when the recommendation asks for a decision, if it says."""
        rec = self.memo.recommendation
        return rec.decide_by if rec else None

    @property
    def recommended(self) -> OptionView | None:
        return next((o for o in self.options if o.recommended), None)

    @property
    def unverified(self) -> int:
        """How many quotations of this memo's claims, in its body or its annex, were not
        found in their sources (the annex lists claims `max_points` keeps out of the body)."""
        return sum(1 for point in self.claims for quote in point.quotes if not quote.verified)

    def cite(self, source_id: str) -> SourceView:
        """A source as listed in this memo's references."""
        return self.sources[self.numbers[source_id] - 1]


def number_notes(
    body: Iterable[ClaimAt],
    sources: dict[str, SourceView],
    *,
    evidence: EvidenceMode,
) -> tuple[list[Note], dict[ClaimPlace, list[Note]]]:
    """Number the notes in one pass over the body's claims in reading order
    (`briefing.claims.claims` walked with the audience's selection).

    With `inline` evidence, each quotation under an option's points is cited where it
    stands; every other claim that cites gets a single note naming all its sources, which
    with `annex` evidence also leads to the claim's quotations in the annex. A source is
    given in full the first time it is cited, in short form after.
    """
    notes: list[Note] = []
    by_place: dict[ClaimPlace, list[Note]] = {}
    cited_in_full: set[str] = set()

    def add(source_ids: list[str], annex_entry: str | None = None) -> Note:
        references = [Reference(sources[s], s not in cited_in_full) for s in source_ids]
        cited_in_full.update(source_ids)
        notes.append(Note(len(notes) + 1, references, annex_entry))
        return notes[-1]

    for place, point in body:
        if not point.evidence:
            continue
        if evidence == "inline" and place.among.section == "options":
            by_place[place] = [add([e.source]) for e in point.evidence]
        else:
            shared = add(
                list(dict.fromkeys(e.source for e in point.evidence)),
                place.evidence_anchor if evidence == "annex" else None,
            )
            by_place[place] = [shared] * len(point.evidence)
    return notes, by_place


def option_anchor(position: str) -> str:
    """The id of an option's section: the memo, its redline and its review all link to it."""
    return f"option-{position}"


def short_titles(sources: list[Source]) -> dict[str, tuple[str, bool]]:
    """Each source's title as short notes give it, told apart from every other's, and
    whether its date must follow it.

    The author's `short_title`, else the title cut at its first colon or parenthesis. Where
    two sources would read alike in a short note (same surname, or none, and the same
    short title), each gives its full title instead, and if the titles too are the same,
    its date after it (which the templates write, in the phrasebook's words).
    """
    shorts = {source.id: source.short_title or _cut(source.title) for source in sources}
    clashing = _clashes(sources, shorts)
    for source in sources:
        if source.id in clashing:
            shorts[source.id] = source.title
    dated = _clashes(sources, shorts)
    return {source.id: (shorts[source.id], source.id in dated) for source in sources}


def _cut(title: str) -> str:
    for mark in (":", " ("):
        title = title.split(mark, maxsplit=1)[0]
    return title


def _clashes(sources: list[Source], shorts: dict[str, str]) -> set[str]:
    """Ids of the sources whose short notes would read the same as another's."""
    seen: dict[tuple[str, str], list[str]] = {}
    for source in sources:
        surname = source.author.split()[-1] if source.author else ""
        seen.setdefault((surname, shorts[source.id].casefold()), []).append(source.id)
    return {sid for ids in seen.values() if len(ids) > 1 for sid in ids}


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
    body = list(claims(memo, content.positions, selection))
    source_ids = sources_cited(memo, content.positions, selection)
    quoting = audience.show.evidence != "none"
    counts = _quote_counts(selection, audience.show.evidence) if quoting else {}
    shorts = short_titles([content.sources[source_id] for source_id in source_ids])
    sources = [
        SourceView(
            number,
            content.sources[source_id],
            tuple(counts.get(source_id, ())),
            content.sources[source_id].note if quoting else None,
            *shorts[source_id],
        )
        for number, source_id in enumerate(source_ids, start=1)
    ]
    by_id = {view.source.id: view for view in sources}
    notes, by_place = number_notes(body, by_id, evidence=audience.show.evidence)

    views: dict[ClaimPlace, PointView] = {}
    annexed = [
        c
        for o in selection.options
        for kind in selection.annexed[o.position].values()
        for c in kind
    ]
    for place, point in [*body, *annexed]:  # the body's first: a claim it shows has its notes
        if place not in views:
            cited: list[Note | None] = list(by_place.get(place, [None] * len(point.evidence)))
            quotes = [
                Quote(e, note, (e.source, e.quote) not in unverified)
                for e, note in zip(point.evidence, cited, strict=True)
            ]
            views[place] = PointView(point, quotes, place)

    def items(name: str) -> list[ItemView]:
        among = next(a for a in MEMO_CLAIM_LISTS if a.on == "recommendation" and a.field == name)
        shown = []
        for kind, i, item in selection.items:
            if kind == name:
                claim = views.get(ClaimPlace(among, i))
                notes = claim.notes if claim else []
                shown.append(ItemView(item, notes, claim, f"recommendation-{name}-{i + 1}"))
        return shown

    coordinated = "coordination" in audience.sections
    clearances = [*memo.clearances, *(Clearance(name=name) for name in memo.cleared_by)]
    listed = {
        among.field: [views[claim.place] for claim in selection.lists[among.field]]
        for among in MEMO_CLAIM_LISTS
        if among.on is None
    }
    return MemoView(
        id=memo_id,
        memo=memo,
        audience_id=audience_id,
        audience=audience,
        options=[
            _option_view(number, option, content, selection, audience, views)
            for number, option in enumerate(selection.options, start=1)
        ],
        criteria=list(memo.criteria),
        questions=list(memo.questions),
        sources=sources,
        notes=notes,
        sections=selection.sections,
        draft=bool(unverified),
        numbers={view.source.id: view.number for view in sources},
        **listed,
        actions=items("actions"),
        benchmarks=items("benchmarks"),
        resources=items("resources"),
        coordination=list(memo.coordination) if coordinated else [],
        clearances=clearances if coordinated else [],
        tabs=[
            Tab(chr(ord("A") + i), attachment.title, attachment.audience)
            for i, attachment in enumerate(memo.attachments)
        ]
        if "attachments" in selection.sections
        else [],
        claims=[
            views[claim.place] for claim in claims(memo, content.positions) if claim.place in views
        ],
    )


def _option_view(
    number: int,
    option: MemoOption,
    content: Content,
    selection: Selection,
    audience: Audience,
    views: dict[ClaimPlace, PointView],
) -> OptionView:
    """One option as the audience sees it, its points carrying their notes."""
    position = content.positions[option.position]
    body = selection.points[option.position]
    groups = [
        Group(kind.field, [views[c.place] for c in body[kind.field]])
        for kind in POINT_KINDS
        if body[kind.field]
    ]
    cells = {
        criterion: Cell(
            RATING_SYMBOLS[assessed.rating],
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
        full=selection.full,
        recommended=option.position == selection.recommended,
        groups=groups,
        stances={
            question: views[stance.place]
            for question, stance in selection.stances[option.position].items()
        },
    )


def _quote_counts(selection: Selection, evidence: EvidenceMode) -> dict[str, list[tuple[int, int]]]:
    """Source id to (option number, quotations from it the document shows for that option),
    in option order: inline, those under the option's points; in an annex, those of every
    point it lists for the option, and of the option's stances."""
    annex = evidence == "annex"
    counts: dict[str, list[tuple[int, int]]] = {}
    for number, option in enumerate(selection.options, start=1):
        kinds = (selection.annexed if annex else selection.points)[option.position]
        shown = [claim.point for listed in kinds.values() for claim in listed]
        if annex:
            shown += [claim.point for claim in selection.stances[option.position].values()]
        for source_id, count in quoted_sources(shown).items():
            counts.setdefault(source_id, []).append((number, count))
    return counts
