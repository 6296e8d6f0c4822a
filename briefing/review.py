"""The review edition: every claim of a memo with each of its quotations read in its source.

A memo's reader sees claims; a fact-checker must see what each quotation says where it
stands. For every claim a memo makes (its background, every point and stance of every
option it presents, and the options it sets aside, whatever the audience), the review
edition shows the claim, the option and side that use it, and each quotation marked in its
sentence, with the sentence before and after (the window the context flags read), elisions
and paragraph breaks shown as in the source; beside each quotation, its context flags
(briefing.context) and any reviewer's reason that silences them. It is a working
document, not a memo: no markings, no page budget, every item whatever the audience. Its
words are the phrasebook's (`briefing.phrases`), as the memo's are.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from briefing.age import newest_dated
from briefing.claims import STANCES, ClaimAt, claims
from briefing.content import Content
from briefing.context import FLAG_NAMES, Claim, ContextReport, Flag, Quotation
from briefing.made import HtmlPage, Target
from briefing.models import IssueForCongress, Memo, SetAside, Source
from briefing.phrases import Phrasebook, builtin_phrases
from briefing.resolve import option_anchor
from briefing.sentences import Layout
from briefing.verify import SeedText, fold_with_offsets

REVIEW_FOLDER = "review"
"""Where the review editions go in the output folder: output/review/MEMO.html and .pdf."""


@dataclass(frozen=True)
class Passage:
    """A quotation in its source's own characters: its sentence, with the sentence before
    and after it. Where one of those lies in the neighbouring paragraph it is given apart
    (`lead_in`, `follow_on`); where the paragraph goes on beyond them, `cut_before` and
    `cut_after` say so, to be shown as an elision."""

    lead_in: str
    before: str
    quoted: str
    after: str
    follow_on: str
    cut_before: bool
    cut_after: bool
    line: int
    """The line of the seed text where the quotation starts."""


@dataclass(frozen=True)
class ReviewQuote:
    """One quotation as the reviewer sees it."""

    quotation: Quotation
    source: Source
    passage: Passage | None

    @property
    def flags(self) -> list[Flag]:
        return self.quotation.flags

    @property
    def reason(self) -> str | None:
        return self.quotation.evidence.context


@dataclass(frozen=True)
class ReviewClaim:
    """One claim of the memo: where it stands, what it says, and its quotations."""

    claim: Claim
    label: str
    """Its kind and number as the memo's readers know it: "Pro 2", "Background 1",
    "Stance: Recognition", with the name of one that has its own ("Option set aside 1:
    Tighten sanctions")."""
    side: str
    """Where it stands (`briefing.claims.ClaimList.side`): "against the option"."""
    place: str
    """Its file and line, where the reviewer edits it."""
    quotes: list[ReviewQuote]
    audiences: str | None
    """Which audiences see it, when not all do."""

    @property
    def text(self) -> str:
        return self.claim.point.text

    @property
    def flags(self) -> list[Flag]:
        """Claim-wide flags (W306)."""
        return self.claim.flags

    @property
    def anchor(self) -> str:
        owner = "-".join(self.claim.owner)
        return "claim-" + "-".join([owner, *(str(part) for part in self.claim.path)])


@dataclass(frozen=True)
class ReviewSection:
    """One of the memo's lists of claims, or one option, with its claims in reading order."""

    title: str
    anchor: str
    claims: list[ReviewClaim]


@dataclass(frozen=True)
class Review:
    """The review edition of one memo."""

    memo_id: str
    memo: Memo
    sections: list[ReviewSection]
    sources: list[Source]
    """Every source the memo's claims quote, in order of first use."""

    @property
    def claims(self) -> list[ReviewClaim]:
        return [claim for section in self.sections for claim in section.claims]

    @property
    def quotes(self) -> int:
        return sum(len(claim.quotes) for claim in self.claims)

    @cached_property
    def flags(self) -> list[Flag]:
        """Every flag on the memo's claims, once each (the echo of a W305 pair left out)."""
        found = []
        for claim in self.claims:
            found += claim.flags
            found += [f for quote in claim.quotes for f in quote.flags if not f.echo]
        return found

    @property
    def silenced(self) -> int:
        return sum(flag.silenced for flag in self.flags)

    @property
    def flag_names(self) -> dict[str, str]:
        return FLAG_NAMES

    @property
    def newest_source(self) -> Source | None:
        return newest_dated(self.sources)

    @property
    def undated(self) -> int:
        return sum(1 for source in self.sources if not source.date)


class _Sources:
    """The seed texts as shown: each folded once, with the way back to its own characters."""

    def __init__(self, seeds: dict[str, SeedText]) -> None:
        self.seeds = seeds
        self._shown: dict[str, tuple[str, list[int], Layout]] = {}

    def passage(self, source_id: str, span: tuple[int, int] | None) -> Passage | None:
        """The quotation's sentences and one either side, in the source's characters."""
        seed = self.seeds.get(source_id)
        if seed is None or span is None:
            return None
        shown, offsets, layout = self._read(source_id, seed)
        sentences = layout.sentences
        start, end = span
        first, last = layout.sentence_at(start), layout.sentence_at(end - 1)

        def text(begin: int, stop: int) -> str:
            """Shown text of the folded span [begin, stop)."""
            return shown[offsets[begin] : offsets[stop - 1] + 1] if stop > begin else ""

        def paragraph_of(number: int) -> tuple[int, int]:
            return layout.paragraphs[sentences[number].paragraph]

        previous = sentences[first - 1] if first > 0 else None
        following = sentences[last + 1] if last + 1 < len(sentences) else None
        inside_before = previous is not None and previous.paragraph == sentences[first].paragraph
        inside_after = following is not None and following.paragraph == sentences[last].paragraph
        opening = previous.start if previous and inside_before else sentences[first].start
        closing = following.end if following and inside_after else sentences[last].end
        return Passage(
            lead_in=text(previous.start, previous.end) if previous and not inside_before else "",
            before=text(opening, start),
            quoted=text(start, end),
            after=text(end, closing),
            follow_on=text(following.start, following.end)
            if following and not inside_after
            else "",
            cut_before=opening > paragraph_of(first)[0],
            cut_after=closing < paragraph_of(last)[1],
            line=seed.line_at(start),
        )

    def _read(self, source_id: str, seed: SeedText) -> tuple[str, list[int], Layout]:
        if source_id not in self._shown:
            shown, folded, offsets = fold_with_offsets(seed.text)
            layout = Layout.of(seed)
            if folded != layout.folded:  # a seed made without its text: show it folded
                shown, offsets = layout.folded, list(range(len(layout.folded)))
            self._shown[source_id] = (shown, offsets, layout)
        return self._shown[source_id]


def review_memo(
    content: Content,
    context: ContextReport,
    seeds: dict[str, SeedText],
    memo_id: str,
    root: Path,
    phrases: Phrasebook | None = None,
) -> Review:
    """Gather a memo's claims that quote, in the memo's order (`briefing.claims.claims`),
    each quotation placed in its source: a section for each of the memo's lists (under its
    annex heading) and for each option, its points and then its stances, named in the words
    of `phrases` (the built-in phrasebook if none is given).

    Files are named relative to `root`, the project folder, so the same content gives the
    same review wherever it is built from.
    """
    words = phrases or builtin_phrases()
    memo = content.memos[memo_id]
    sources = _Sources(seeds)
    numbers = {option.position: n for n, option in enumerate(memo.options, start=1)}
    sections: list[ReviewSection] = []
    for stated in claims(memo, content.positions):
        option = stated.place.option
        owner = ("position", option) if option else ("memo", memo_id)
        claim = context.claim_at(owner, stated.place.path)
        if claim is None or not claim.quotations:
            continue
        among = stated.place.among
        if option is None:
            title, anchor = words.sections[among.heading], among.section_anchor
        else:
            title = words.labels["option"].format(
                number=numbers[option], title=content.positions[option].title
            )
            anchor = option_anchor(option)
        if not sections or sections[-1].anchor != anchor:
            sections.append(ReviewSection(title, anchor, []))
        label = _label(stated, memo, words)
        sections[-1].claims.append(_reviewed(claim, label, content, sources, root, words))
    used = dict.fromkeys(
        quote.source.id for section in sections for c in section.claims for quote in c.quotes
    )
    return Review(memo_id, memo, sections, [content.sources[s] for s in used])


def _reviewed(
    claim: Claim, label: str, content: Content, sources: _Sources, root: Path, words: Phrasebook
) -> ReviewClaim:
    """A claim as the reviewer reads it: each quotation in its passage, its file and line,
    and who sees it where not every audience does."""
    point = claim.point
    quotes = [
        ReviewQuote(
            q, content.sources[q.evidence.source], sources.passage(q.evidence.source, q.span)
        )
        for q in claim.quotations
    ]
    said = words.review
    shown = []
    if point.audiences is not None:
        shown.append(said["only"].format(audiences=", ".join(point.audiences)))
    if point.except_:
        shown.append(said["not_for"].format(audiences=", ".join(point.except_)))
    line = claim.document.mark((*claim.path, "text"))[0]
    place = _relative(claim.document.file, root) + (f":{line}" if line else "")
    side = words.sides[claim.place.among.side]
    return ReviewClaim(claim, label, side, place, quotes, "; ".join(shown) or None)


def _label(stated: ClaimAt, memo: Memo, words: Phrasebook) -> str:
    """A claim as the memo's readers know it: its list's word and its number ("Pro 2"), a
    stance by its question, with the name of one that has its own (an option set aside, an
    issue's topic)."""
    place, point = stated
    one, said = words.claim[place.among.field], words.review
    if place.among is STANCES:
        question = next((q.label for q in memo.questions if q.id == place.index), place.index)
        return said["named"].format(label=one, name=question)
    label = said["numbered"].format(label=one, number=int(place.index) + 1)
    if isinstance(point, SetAside):
        return said["named"].format(label=label, name=point.title)
    if isinstance(point, IssueForCongress):
        return said["named"].format(label=label, name=point.topic)
    return label


def _relative(file: Path, root: Path) -> str:
    """A content file as the reviewer finds it: relative to the project folder."""
    try:
        return str(file.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(file)


def review_page(review: Review, template_dirs: list[Path], target: Target) -> HtmlPage:
    """The review edition laid out in HTML, for the screen or for its PDF."""
    from briefing.render import render_page  # noqa: PLC0415 - Jinja only when rendering

    html = render_page("review.html.j2", template_dirs, review=review, target=target)
    return HtmlPage(
        html,
        frozenset(),
        tuple(template_dirs),
        memo=review.memo_id,
        audience=REVIEW_FOLDER,
        dated=review.memo.date,
    )
