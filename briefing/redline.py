"""What changed in one memo, for one audience, between two versions of the content.

Two resolved views are compared, not two files: a redline shows what that audience's
memo gained and lost, in the memo's own terms (an option, a rating, a claim, a quotation,
a source), and nothing the audience never saw. Text inside a claim is compared word by
word (difflib), so an edited con reads as the words struck and the words added. Claims
have no ids; they are matched by their place and their words, so a claim whose words
mostly survive is an edit, and one rewritten beyond recognition is a removal and an
addition, as a reviewer would read it.

The result is data (`Redline`); briefing.redline_render lays it out as HTML, PDF and a
DOCX with tracked changes. What a change is called, and where it stands, is said in the
phrasebook's words (`briefing.phrases`): the memo's own for its sections and claims, the
`[redline]` group's for the rest.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Literal, NamedTuple

from markdown_it import MarkdownIt

from briefing.claims import MEMO_CLAIM_LISTS, ClaimList
from briefing.phrases import Phrasebook, builtin_phrases
from briefing.resolve import option_anchor

if TYPE_CHECKING:
    from briefing.resolve import MemoView, OptionView, PointView, Quote, SourceView

PieceKind = Literal["same", "ins", "del"]
ChangeKind = Literal["added", "removed", "edited"]

SIMILAR = 0.5
"""How alike two claims' words must be (difflib's ratio) to be one claim edited."""


class Piece(NamedTuple):
    """A stretch of text that both versions share, or that one of them alone has: a word
    diff is a run of these pairs."""

    kind: PieceKind
    text: str


@dataclass(frozen=True)
class Change:
    """One change a reviewer would name: what, where, and the text struck and added."""

    kind: ChangeKind
    """Which of the phrasebook's `[redline]` phrases names it: "{what} added"."""
    what: str
    """What changed: "Con", "Rating", "Quotation", "Option", "Source" ..."""
    where: str
    """Where it stands in the memo: "Option 2: Engage ... / Counterterrorism"."""
    pieces: tuple[Piece, ...]


class Part(NamedTuple):
    """A section of the redline; one with no changes folds to a single line."""

    title: str
    anchor: str
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class Redline:
    """Every change to one memo for one audience, section by section."""

    memo: str
    audience: str
    title: str
    audience_label: str
    old: str
    new: str
    date: dt.date
    parts: tuple[Part, ...]
    phrases: Phrasebook
    """The words it was compared in, which every format of it lays it out in."""

    @property
    def changed(self) -> bool:
        return any(part.changes for part in self.parts)

    @property
    def count(self) -> int:
        return sum(len(part.changes) for part in self.parts)


_WORDS = re.compile(r"\s+|[^\s]+")


def word_diff(old: str, new: str) -> tuple[Piece, ...]:
    """The two texts as one, word by word: shared words, words struck, words added."""
    before, after = _WORDS.findall(old), _WORDS.findall(new)
    pieces: list[Piece] = []

    def add(kind: PieceKind, words: Sequence[str]) -> None:
        text = "".join(words)
        if not text:
            return
        if pieces and pieces[-1].kind == kind:
            pieces[-1] = Piece(kind, pieces[-1].text + text)
        else:
            pieces.append(Piece(kind, text))

    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            add("same", before[i1:i2])
        else:
            add("del", before[i1:i2])
            add("ins", after[j1:j2])
    return tuple(pieces)


def similarity(old: str, new: str) -> float:
    return difflib.SequenceMatcher(None, old.split(), new.split(), autojunk=False).ratio()


@cache
def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


def plain(text: str) -> str:
    """A field's inline markdown as the words a reader sees (the markup dropped)."""
    words = []
    for block in _markdown().parseInline(text):
        for token in block.children or []:
            if token.type in ("text", "code_inline", "image"):
                words.append(token.content)
            elif token.type in ("softbreak", "hardbreak"):
                words.append(" ")
    return "".join(words)


def _edited(what: str, where: str, old: str, new: str) -> list[Change]:
    """An edit, if the texts differ."""
    if old == new:
        return []
    return [Change("edited", what, where, word_diff(old, new))]


def _whole(kind: ChangeKind, what: str, where: str, text: str) -> Change:
    return Change(kind, what, where, (Piece("ins" if kind == "added" else "del", text),))


def pair_up(old: Sequence[str], new: Sequence[str]) -> list[tuple[int | None, int | None]]:
    """Match two lists of texts: (old index, new index), None where one side has nothing.

    Unchanged runs are matched first (difflib); within a replaced run, items are paired in
    order while their words stay alike (SIMILAR), the rest are removals and additions.
    """
    pairs: list[tuple[int | None, int | None]] = []
    matcher = difflib.SequenceMatcher(None, list(old), list(new), autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs += list(zip(range(i1, i2), range(j1, j2), strict=True))
            continue
        i, j = i1, j1
        while i < i2 and j < j2:
            if similarity(old[i], new[j]) >= SIMILAR:
                pairs.append((i, j))
                i, j = i + 1, j + 1
            elif any(similarity(old[i], new[k]) >= SIMILAR for k in range(j + 1, j2)):
                pairs.append((None, j))
                j += 1
            else:
                pairs.append((i, None))
                i += 1
        pairs += [(k, None) for k in range(i, i2)]
        pairs += [(None, k) for k in range(j, j2)]
    return pairs


def compare_points(
    old: Sequence[PointView],
    new: Sequence[PointView],
    what: str,
    where: str,
    names: dict[str, str],
    quotation: str,
) -> list[Change]:
    """Claims added, removed and edited, and for each claim kept, its quotations (each
    change to one named `quotation`).

    `names` gives each source's name as a reader knows it (author or short title)."""
    changes: list[Change] = []
    texts = [plain(p.text) for p in old], [plain(p.text) for p in new]
    for i, j, change in compare_lines(*texts, what, where):
        changes += change
        if i is not None and j is not None:
            claim = f"{where} / {shortened(texts[1][j])}"
            changes += compare_quotes(old[i].quotes, new[j].quotes, claim, names, quotation)
    return changes


def compare_lines(
    old: Sequence[str], new: Sequence[str], what: str, where: str
) -> Iterator[tuple[int | None, int | None, list[Change]]]:
    """Two lists of texts paired up: for each pair (old index, new index), the line added,
    removed or edited (nothing where it is unchanged)."""
    for i, j in pair_up(old, new):
        if i is None and j is not None:
            yield i, j, [_whole("added", what, where, new[j])]
        elif j is None and i is not None:
            yield i, j, [_whole("removed", what, where, old[i])]
        elif i is not None and j is not None:
            yield i, j, _edited(what, where, old[i], new[j])


def shortened(text: str, most: int = 60) -> str:
    """A claim cut to a few words, to say where a quotation stands."""
    return text if len(text) <= most else text[: text.rfind(" ", 0, most)].rstrip(",;:") + "\u2026"


def compare_quotes(
    old: Sequence[Quote], new: Sequence[Quote], where: str, names: dict[str, str], what: str
) -> list[Change]:
    """Quotations added, removed or edited under one claim (its source named), each change
    named `what`."""

    def shown(quote: Quote) -> str:
        source = names.get(quote.evidence.source, quote.evidence.source)
        return f"{source}: \u201c{quote.evidence.quote}\u201d"

    before, after = [shown(q) for q in old], [shown(q) for q in new]
    changes: list[Change] = []
    for i, j in pair_up(before, after):
        if i is None and j is not None:
            changes.append(_whole("added", what, where, after[j]))
        elif j is None and i is not None:
            changes.append(_whole("removed", what, where, before[i]))
        elif i is not None and j is not None:
            changes += _edited(what, where, before[i], after[j])
    return changes


def reference_text(source: SourceView, words: Phrasebook) -> str:
    """A source's full reference as plain text, as the sources list gives it."""
    data, said = source.source, words.references
    parts = [data.author or said["no_author"], f"\u201c{data.title}\u201d"]
    parts += [data.outlet or said["no_outlet"], words.written_partial(data.date)]
    if data.url:
        parts.append(data.url)
    return ", ".join(parts)


def source_names(*views: MemoView) -> dict[str, str]:
    """Each source's id to the name a reader knows it by: its author's surname, else its
    short title."""
    return {
        source.source.id: source.surname or source.short_title
        for view in views
        for source in view.sources
    }


def option_name(option: OptionView, words: Phrasebook) -> str:
    title = plain(option.position.title)
    return words.labels["option"].format(number=option.number, title=title)


def compare_views(
    old: MemoView | None,
    new: MemoView | None,
    old_label: str,
    new_label: str,
    phrases: Phrasebook | None = None,
) -> Redline:
    """The redline of one memo for one audience, in the words of `phrases` (the built-in
    phrasebook if none is given); a side that lacks it counts as empty."""
    present = new or old
    assert present is not None, "at least one side has the memo"
    words = phrases or builtin_phrases()
    said = words.redline
    parts: list[Part]
    if old is None or new is None:
        kind: ChangeKind = "added" if old is None else "removed"
        where = said["memo_for"].format(memo=present.id, audience=present.audience_id)
        change = _whole(kind, said["memo"], where, plain(present.memo.title))
        parts = [Part(said["memo"], "memo", (change,))]
    else:
        parts = [
            Part(title, anchor, tuple(compare(old, new, words)))
            for title, anchor, compare in _sections(old, new, words)
        ]
    return Redline(
        memo=present.id,
        audience=present.audience_id,
        title=plain(present.memo.title),
        audience_label=present.audience.label,
        old=old_label,
        new=new_label,
        date=present.memo.date,
        parts=tuple(parts),
        phrases=words,
    )


Compare = Callable[["MemoView", "MemoView", Phrasebook], list[Change]]


def _sections(old: MemoView, new: MemoView, words: Phrasebook) -> list[tuple[str, str, Compare]]:
    """The redline's sections in the memo's order: the memo's own lists of claims where the
    memo gives them (`briefing.claims.MEMO_CLAIM_LISTS`; the recommendation's items are
    compared with the recommendation), one section per option for its arguments."""
    lists = [among for among in MEMO_CLAIM_LISTS if among.on is None]
    titles, said = words.sections, words.redline
    sections: list[tuple[str, str, Compare]] = [
        (said["heading_and_summary"], "heading", _heading),
        (titles["options"], "options", _options),
        (said["grid"], "grid", _grid),
        (titles["recommendation"], "recommendation", _recommendation),
    ]
    sections += [_memo_list(among, words) for among in lists if not among.after_options]
    old_options = {o.id: o for o in old.options}
    for option in new.options:
        if option.id in old_options:
            sections.append(
                (
                    said["arguments"].format(option=option_name(option, words)),
                    option_anchor(option.id),
                    _arguments(option.id),
                )
            )
    sections.append((titles["disagreements"], "disagreements", _stances))
    sections += [_memo_list(among, words) for among in lists if among.after_options]
    sections.append((titles["sources"], "sources", _sources))
    return sections


def _heading(old: MemoView, new: MemoView, words: Phrasebook) -> list[Change]:
    said, titles = words.redline, words.sections
    where = said["heading"]
    changes = _edited(said["subject"], where, plain(old.memo.subject), plain(new.memo.subject))
    changes += _edited(
        said["date"], where, words.written(old.memo.date), words.written(new.memo.date)
    )
    for section, what, field in (
        ("question", titles["question"], "question"),
        ("bluf", titles["bluf"], "bluf"),
        ("overview", titles["overview"], "overview"),
        ("methods", said["methods"], "methods"),
    ):
        if section in new.sections or section in old.sections:
            before = plain(getattr(old.memo, field) or "") if section in old.sections else ""
            after = plain(getattr(new.memo, field) or "") if section in new.sections else ""
            changes += _edited(what, what, before, after)
    return changes


def _options(old: MemoView, new: MemoView, words: Phrasebook) -> list[Change]:
    said = words.redline
    before = {o.id: o for o in old.options}
    after = {o.id: o for o in new.options}
    changes = [
        _whole("removed", said["option"], option_name(o, words), plain(o.position.summary))
        for o in old.options
        if o.id not in after
    ]
    for option in new.options:
        previous = before.get(option.id)
        where = option_name(option, words)
        if previous is None:
            changes.append(_whole("added", said["option"], where, plain(option.position.summary)))
            continue
        changes += _edited(
            said["option_title"],
            where,
            plain(previous.position.title),
            plain(option.position.title),
        )
        changes += _edited(
            said["option_summary"],
            where,
            plain(previous.position.summary),
            plain(option.position.summary),
        )
    return changes


def _grid(old: MemoView, new: MemoView, words: Phrasebook) -> list[Change]:
    if "grid" not in old.sections and "grid" not in new.sections:
        return []
    said, ratings = words.redline, words.ratings
    before = {o.id: o for o in old.options}
    old_criteria = {c.id: c for c in old.criteria}
    changes = [
        _whole("removed", said["criterion"], said["grid"], c.label)
        for c in old.criteria
        if c.id not in {n.id for n in new.criteria}
    ]
    changes += [
        _whole("added", said["criterion"], said["grid"], c.label)
        for c in new.criteria
        if c.id not in old_criteria
    ]
    for option in new.options:
        previous = before.get(option.id)
        if previous is None:
            continue
        for criterion in new.criteria:
            if criterion.id not in old_criteria:
                continue
            was, now = previous.cells[criterion.id], option.cells[criterion.id]
            where = f"{option_name(option, words)} / {criterion.label}"
            if was.rating != now.rating:
                changes.append(
                    Change(
                        "edited",
                        said["rating"],
                        where,
                        (
                            Piece("del", f"{was.symbol} {ratings[was.rating.value]}"),
                            Piece("same", " \u2192 "),
                            Piece("ins", f"{now.symbol} {ratings[now.rating.value]}"),
                        ),
                    )
                )
            if was.rationale is not None and now.rationale is not None:
                rationale = said["rationale"]
                changes += _edited(rationale, where, plain(was.rationale), plain(now.rationale))
    return changes


def _recommendation(old: MemoView, new: MemoView, words: Phrasebook) -> list[Change]:
    said, titles = words.redline, words.sections
    where = titles["recommendation"]

    def recommended(view: MemoView) -> tuple[str, str, str]:
        option, memo, by = view.recommended, view.memo.recommendation, view.decide_by
        if option is None or memo is None:
            return "", "", ""
        return option_name(option, words), plain(memo.text), words.written(by) if by else ""

    (old_option, old_text, old_by), (new_option, new_text, new_by) = (
        recommended(old),
        recommended(new),
    )
    changes = _edited(said["recommended_option"], where, old_option, new_option)
    changes += _edited(titles["recommendation"], where, old_text, new_text)
    changes += _edited(said["decide_by"], where, old_by, new_by)
    lines: Callable[[MemoView], list[str]]
    for what, lines in (
        (said["step"], lambda v: _steps(v, words)),
        (titles["benchmarks"], lambda v: [plain(i.text) for i in v.benchmarks]),
        (titles["resources"], lambda v: [plain(i.text) for i in v.resources]),
        (titles["coordination"], lambda v: _coordination(v, words)),
        (said["clearance"], lambda v: _clearances(v, words)),
    ):
        for _, _, change in compare_lines(lines(old), lines(new), what, where):
            changes += change
    return changes


def _steps(view: MemoView, words: Phrasebook) -> list[str]:
    """Each first step as the memo prints it: what, then who and by when."""
    steps = []
    for step in view.actions:
        owner, due = getattr(step.item, "owner", ""), getattr(step.item, "due", None)
        if due:
            who = words.labels["owner_due"].format(owner=owner, date=words.written(due))
        else:
            who = words.labels["owner"].format(owner=owner)
        steps.append(f"{plain(step.text)} {who}")
    return steps


def _coordination(view: MemoView, words: Phrasebook) -> list[str]:
    return [
        f"{row.office}: {words.stances[row.stance]}"
        + (f" \u2014 {row.reason}" if row.reason else "")
        for row in view.coordination
    ]


def _clearances(view: MemoView, words: Phrasebook) -> list[str]:
    return [
        ", ".join(
            part
            for part in (row.name, row.office, words.written(row.date) if row.date else None)
            if part
        )
        + f" ({words.clearances[row.status]})"
        for row in view.clearances
    ]


def _memo_list(among: ClaimList, words: Phrasebook) -> tuple[str, str, Compare]:
    """A section for one of the memo's own lists of claims (its background, key facts ...),
    compared point by point, each named as the list names one ("Key fact")."""
    heading = words.sections[among.heading]

    def compare(old: MemoView, new: MemoView, words: Phrasebook) -> list[Change]:
        return compare_points(
            getattr(old, among.field),
            getattr(new, among.field),
            words.claim[among.field],
            heading,
            source_names(old, new),
            words.redline["quotation"],
        )

    return heading, among.section_anchor, compare


def _arguments(option_id: str) -> Compare:
    """Each kind of claim of one option (pros, cons ...), compared within its kind."""

    def compare(old: MemoView, new: MemoView, words: Phrasebook) -> list[Change]:
        before = next(o for o in old.options if o.id == option_id)
        after = next(o for o in new.options if o.id == option_id)
        old_groups = {g.kind: g for g in before.groups}
        new_groups = {g.kind: g for g in after.groups}
        changes: list[Change] = []
        kinds = list(dict.fromkeys([*old_groups, *new_groups]))
        for kind in kinds:
            group = new_groups.get(kind) or old_groups[kind]
            changes += compare_points(
                old_groups[kind].points if kind in old_groups else [],
                new_groups[kind].points if kind in new_groups else [],
                words.claim[group.kind],
                option_name(after, words),
                source_names(old, new),
                words.redline["quotation"],
            )
        return changes

    return compare


def _stances(old: MemoView, new: MemoView, words: Phrasebook) -> list[Change]:
    before = {o.id: o for o in old.options}
    changes: list[Change] = []
    labels = {q.id: q.label for q in [*old.questions, *new.questions]}
    for option in new.options:
        previous = before.get(option.id)
        if previous is None:
            continue
        for question in dict.fromkeys([*previous.stances, *option.stances]):
            was, now = previous.stances.get(question), option.stances.get(question)
            changes += compare_points(
                [was] if was else [],
                [now] if now else [],
                words.claim["stances"],
                f"{option_name(option, words)} / {labels.get(question, question)}",
                source_names(old, new),
                words.redline["quotation"],
            )
    return changes


def _sources(old: MemoView, new: MemoView, words: Phrasebook) -> list[Change]:
    what, where = words.redline["source"], words.sections["sources"]
    before = {s.source.id: s for s in old.sources}
    after = {s.source.id: s for s in new.sources}
    changes = [
        _whole("removed", what, where, reference_text(s, words))
        for s in old.sources
        if s.source.id not in after
    ]
    for source in new.sources:
        previous = before.get(source.source.id)
        if previous is None:
            changes.append(_whole("added", what, where, reference_text(source, words)))
        else:
            old_text, new_text = reference_text(previous, words), reference_text(source, words)
            changes += _edited(what, where, old_text, new_text)
    return changes
