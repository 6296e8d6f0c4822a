"""Context flags: quotations that are verbatim but may not carry their author's meaning.

A quotation can be word for word and still misread its source: cut just before "... have
clearly failed", followed by "However, ...", a view the author reports in order to reject,
or the same passage cited for an option and against it. This module places every
quotation in its source's sentences and raises a flag (W301-W306) where the wording puts
its meaning at risk; the rules themselves are in briefing.context_rules. `briefing check`
prints the flags as warnings and the review edition shows each one beside its quotation.

A reviewer who has read the passage and judges the use fair silences its flags with a
reason on the evidence (`context: "..."`); the review edition shows the reason. A reason
that starts with codes ("W301: ...") silences only those. A reason that silences nothing
is itself warned about (W307), so a stale one does not hide a later flag unnoticed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from briefing.claims import ClaimAt, ClaimPlace, claims, position_claims
from briefing.content import Content, Side
from briefing.context_rules import (
    Window,
    attributed_to_others,
    conceded,
    contrast_follows,
    cut_before_qualifier,
    rejected_in_sentence,
    unquoted_numbers,
)
from briefing.errors import Problem
from briefing.load import Document, Path_
from briefing.models import Evidence, Point
from briefing.sentences import Layout
from briefing.verify import Located, SeedText, fold

FLAG_NAMES = {
    "W301": "contrast follows",
    "W302": "rejected in its sentence",
    "W303": "cut before a qualifier",
    "W304": "someone else's view",
    "W305": "cited for and against",
    "W306": "number not in the quotations",
}
"""Each context flag's code and short name, as the review edition's legend lists them."""

_HINT = (
    "read it in its paragraph (briefing review); if the use is fair, give the reason on this "
    'evidence as context: "..."'
)
_fold = lru_cache(maxsize=8192)(fold)
"""Folding, once per text: claims and quotations are read by several rules."""
_CODES = re.compile(r"^\s*(W\d{3}(?:\s*(?:,|/|&|and)\s*W\d{3})*)\s*:")


@dataclass(frozen=True)
class Flag:
    """One context flag: what it found, where, and the reviewer's reason if silenced."""

    code: str
    message: str
    problem: Problem
    reason: str | None = None
    echo: bool = False
    """Shown in the review edition but not warned about: the other end of a W305 pair."""

    @property
    def name(self) -> str:
        return FLAG_NAMES[self.code]

    @property
    def silenced(self) -> bool:
        return self.reason is not None


@dataclass
class Quotation:
    """One piece of evidence of a claim, placed in its source, with its flags."""

    evidence: Evidence
    path: Path_
    """Where the evidence item stands in its document."""
    span: tuple[int, int] | None
    """The folded span it takes in its source, None where it was not found."""
    flags: list[Flag] = field(default_factory=list)

    @property
    def answers(self) -> frozenset[str] | None:
        """The codes its reviewer's reason silences; None for every code, empty for none."""
        return answered_codes(self.evidence.context)


@dataclass
class Claim:
    """A point as the content states it, with its quotations and its claim-wide flags."""

    document: Document
    place: ClaimPlace
    """Where it stands (`briefing.claims`): its list, and its index or question there."""
    point: Point
    owner: tuple[str, str]
    """("memo", id) or ("position", id)."""
    quotations: list[Quotation]
    flags: list[Flag] = field(default_factory=list)

    @property
    def path(self) -> Path_:
        """Where it stands in its file."""
        return self.place.path

    @property
    def side(self) -> Side | None:
        """For or against its option, or what it takes (`content.POINT_KINDS`); None for a
        claim that is not an option's point (the memo's own, a stance)."""
        kind = self.place.among.kind
        return kind.side if kind else None


@dataclass(frozen=True)
class ContextReport:
    """Every claim of the content with its quotations placed and flagged."""

    claims: list[Claim]
    stale: list[Problem]
    """W307: reasons that silence nothing."""

    def flags(self) -> Iterator[Flag]:
        """Every flag raised, silenced or not, once each (W305 counted at one end)."""
        for claim in self.claims:
            yield from claim.flags
            for quotation in claim.quotations:
                yield from (flag for flag in quotation.flags if not flag.echo)

    def warnings(self) -> list[Problem]:
        """What `briefing check` prints: the flags not silenced, then stale reasons."""
        return [flag.problem for flag in self.flags() if not flag.silenced] + self.stale

    def claim_at(self, owner: tuple[str, str], path: Path_) -> Claim | None:
        """The claim of a memo or position at a path in its document."""
        return self._by_place.get((owner, path))

    @cached_property
    def _by_place(self) -> dict[tuple[tuple[str, str], Path_], Claim]:
        return {(claim.owner, claim.path): claim for claim in self.claims}


def answered_codes(reason: str | None) -> frozenset[str] | None:
    """The flag codes a reason names at its start ("W301, W303: ..."); None if it names none
    (it then answers every flag of its quotation and claim); empty if there is no reason."""
    if reason is None:
        return frozenset()
    named = _CODES.match(reason)
    return frozenset(re.findall(r"W\d{3}", named.group(1))) if named else None


def read_context(
    content: Content, seeds: dict[str, SeedText], found: Iterable[Located] = ()
) -> ContextReport:
    """Place every quotation of the content in its source and raise the context flags.

    `found` holds where verification found each quotation (`Verification.found`), so they
    need not be searched for again; one not among them is looked up in its seed.
    """
    layouts = {source_id: Layout.of(seed) for source_id, seed in seeds.items()}
    places = {(located.source, located.quote): located.at for located in found}

    def place(evidence: Evidence) -> int:
        """Where a quotation starts in its source's folded text, or -1."""
        at = places.get((evidence.source, evidence.quote))
        if at is None or at < 0:
            seed = seeds.get(evidence.source)
            at = seed.find(evidence.quote) if seed else -1
        return at

    claims = list(_claims(content, place))
    for claim in claims:
        _flag_quotations(claim, layouts, content)
        _flag_numbers(claim, content)
    for position_id in content.positions:
        _flag_both_sides([c for c in claims if c.owner == ("position", position_id)], layouts)
    return ContextReport(claims, _stale_reasons(claims))


def _claims(content: Content, place: Callable[[Evidence], int]) -> Iterator[Claim]:
    """Every claim once, in the file that states it: each memo's own (`briefing.claims`),
    then each position's points and stances, whether or not a memo presents it."""
    for memo_id, memo in sorted(content.memos.items()):
        document = content.documents[("memo", memo_id)]
        for claim in claims(memo, content.positions):
            if claim.place.option is None:
                yield _claim(document, claim, ("memo", memo_id), place)
    for position_id, position in sorted(content.positions.items()):
        document = content.documents[("position", position_id)]
        for claim in position_claims(position_id, position):
            yield _claim(document, claim, ("position", position_id), place)


def _claim(
    document: Document,
    claim: ClaimAt,
    owner: tuple[str, str],
    place: Callable[[Evidence], int],
) -> Claim:
    quotations = []
    for index, evidence in enumerate(claim.point.evidence):
        at = place(evidence)
        span = (at, at + len(_fold(evidence.quote))) if at >= 0 else None
        quotations.append(Quotation(evidence, (*claim.place.path, "evidence", index), span))
    return Claim(document, claim.place, claim.point, owner, quotations)


def _flag_quotations(claim: Claim, layouts: dict[str, Layout], content: Content) -> None:
    """W301-W304 on each quotation of a claim, read in its source's sentences.

    A turn or a dropped qualifier (W301, W303) is not raised where the claim presents the
    quotation as its author's concession ("Sakhi concedes ..."): the reader is told.
    """
    text = _fold(claim.point.text)
    for quotation in claim.quotations:
        if quotation.span is None:
            continue
        window = Window(layouts[quotation.evidence.source], *quotation.span)
        covered = [
            other.span
            for other in claim.quotations
            if other is not quotation
            and other.span is not None
            and other.evidence.source == quotation.evidence.source
        ]
        rejected = rejected_in_sentence(window)
        found = {
            "W301": contrast_follows(window, covered),
            "W302": rejected,
            "W303": None if rejected else cut_before_qualifier(window, covered),
            "W304": attributed_to_others(window, text),
        }
        if (found["W301"] or found["W303"]) and _concedes(claim, quotation, content):
            found["W301"] = found["W303"] = None
        for code, message in found.items():
            if message is not None:
                quotation.flags.append(_flag(claim, quotation, code, message))


def _concedes(claim: Claim, quotation: Quotation, content: Content) -> bool:
    """Whether the claim presents this quotation as a concession of its source's author."""
    every_name = frozenset().union(*(_names(q.evidence.source, content) for q in claim.quotations))
    return conceded(_fold(claim.point.text), _names(quotation.evidence.source, content), every_name)


def _names(source_id: str, content: Content) -> frozenset[str]:
    """How a claim names a source: its id and its author's surname, lower-case."""
    source = content.sources.get(source_id)
    surname = source.author.split()[-1] if source and source.author else source_id
    return frozenset({source_id.lower(), surname.lower()})


def _flag(claim: Claim, quotation: Quotation, code: str, message: str) -> Flag:
    """A flag on one quotation, silenced if its reason answers the code."""
    problem = claim.document.problem((*quotation.path, "quote"), message, _HINT, code=code)
    return Flag(code, message, problem, _reason_for(code, [quotation]))


def _reason_for(code: str, quotations: list[Quotation]) -> str | None:
    """The first reason among these quotations that answers the code, if any."""
    for quotation in quotations:
        answers = quotation.answers
        if answers is None or code in answers:
            return quotation.evidence.context
    return None


def _flag_numbers(claim: Claim, content: Content) -> None:
    """W306: numbers and dates the claim states that none of its quotations contain."""
    sources = {quotation.evidence.source for quotation in claim.quotations}
    years = {(content.sources[s].date or "")[:4] for s in sources if s in content.sources} - {""}
    quotes = [_fold(quotation.evidence.quote) for quotation in claim.quotations]
    missing = unquoted_numbers(_fold(claim.point.text), quotes, years)
    if not missing:
        return
    message = (
        f"the claim states {', '.join(missing)}, which none of its quotations contain"
        " (nor its sources' dates)"
    )
    hint = (
        "quote the passage that gives it, or drop it; a date the source does not give stays "
        'unknown. If it is fair, give the reason as context: "W306: ..." on one of its evidence'
    )
    problem = claim.document.problem((*claim.path, "text"), message, hint, code="W306")
    claim.flags.append(Flag("W306", message, problem, _reason_for("W306", claim.quotations)))


def _flag_both_sides(claims: list[Claim], layouts: dict[str, Layout]) -> None:
    """W305: one passage of a source cited for an option (its case) and against it (its
    critique). Raised once at each critique quotation, naming the first case quotation it
    shares text with (and how many more); echoed once at each such case quotation in the
    review. A reason on any quotation of a pair silences it."""
    case = [(c, q) for c in claims if c.side == "case" for q in c.quotations if q.span]
    critique = [(c, q) for c in claims if c.side == "critique" for q in c.quotations if q.span]
    echoes: dict[int, tuple[Quotation, Flag]] = {}
    for against_claim, against in critique:
        shared = [
            (for_claim, supporting)
            for for_claim, supporting in case
            if supporting.evidence.source == against.evidence.source
            and _overlap(supporting.span, against.span)
        ]
        if not shared:
            continue
        reason = _reason_for("W305", [against, *(supporting for _, supporting in shared)])
        message = f"the same passage of '{against.evidence.source}' is cited for this option, at "
        message += _places(against_claim.document, shared)
        problem = against_claim.document.problem(
            (*against.path, "quote"), message, _HINT, code="W305"
        )
        against.flags.append(Flag("W305", message, problem, reason))
        for _, supporting in shared:
            if id(supporting) not in echoes:
                echo = f"the same passage of '{against.evidence.source}' is cited against this "
                echo += f"option, at {_places(against_claim.document, [(against_claim, against)])}"
                pair = _reason_for("W305", [supporting, against])
                echoes[id(supporting)] = (supporting, Flag("W305", echo, problem, pair, True))
    for supporting, flag in echoes.values():
        supporting.flags.append(flag)


def _places(document: Document, found: list[tuple[Claim, Quotation]]) -> str:
    """Where the first of some quotations stands ("pros[2] (line 31)"), and how many more."""
    claim, quotation = found[0]
    line = document.mark((*quotation.path, "quote"))[0]
    more = f" and {len(found) - 1} more" if len(found) > 1 else ""
    return f"{_place(claim.path)} (line {line}){more}"


def _overlap(one: tuple[int, int] | None, other: tuple[int, int] | None) -> bool:
    """Whether two spans of a source share any of its text."""
    return one is not None and other is not None and one[0] < other[1] and other[0] < one[1]


def _place(path: Path_) -> str:
    """A point's place in its file as a reader finds it: pros[2], stances.recognition."""
    return f"{path[0]}[{path[1]}]" if isinstance(path[1], int) else f"{path[0]}.{path[1]}"


def _stale_reasons(claims: list[Claim]) -> list[Problem]:
    """W307: a reviewer's reason on a quotation where none of the flags it answers fire."""
    stale = []
    for claim in claims:
        for quotation in claim.quotations:
            answers = quotation.answers
            if answers == frozenset():
                continue
            raised = {flag.code for flag in [*quotation.flags, *claim.flags]}
            if raised if answers is None else answers & raised:
                continue
            why = (
                "no context flag is raised on this quotation"
                if answers is None
                else f"it names {', '.join(sorted(answers))}, not raised on this quotation"
            )
            stale.append(
                claim.document.problem(
                    (*quotation.path, "context"),
                    f"this reason silences nothing: {why}",
                    "remove the reason, or correct the codes it starts with",
                    code="W307",
                )
            )
    return stale
