"""What each context flag looks for in a quotation's sentence and its neighbours.

Each rule reads one quotation placed in its source (a `Window`: the folded text, the span
quoted, the sentences around it) and returns a message when the source's wording puts the
quotation's meaning at risk, else None. The rules are deliberately narrow: a flag that
fires on every other quotation is read by no one, so each looks for a wording that, in the
articles these memos are made from, most often means the quotation says less than, or the
opposite of, what a claim takes from it. A missed case is the reviewer's to find; a false
one costs the reviewer's trust in every other flag.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from briefing.sentences import Layout

EXCERPT_WORDS = 12
"""How many words of the source a flag's message quotes."""

_CONTRAST = re.compile(
    r"^[\"'(]?(?:(?:However|But|Yet|Nevertheless|Nonetheless|Conversely|Even so|That said"
    r"|On the other hand|And yet|In contrast|By contrast|Then again|All the same)\b|Still,)"
    r"|^(?:[\w'-]+ ){0,2}[\w'-]+, however\b"
)
"""A sentence that opens by turning against the one before it. Not "Instead," or "Rather,",
which mostly go on from a negation in the same direction ("They do not ... Rather, ...")."""
_ADDING = re.compile(r"^\W*(?:[\w'-]+ ){1,3}also\b")
"""A contrast that adds rather than reverses: "Yet it has also been the largest donor"."""
_CONCEDED = re.compile(
    r"\b(?:concedes?|conceded|conceding|admits?|admitted|grants?|granted|acknowledges?"
    r"|acknowledged|(?:even|though|while) (?:he|she|they|it) (?:favou?rs?|supports?|argues?)"
    r"|(?:even|though|while) favou?ring|who (?:also )?(?:favou?rs|supports|argues for)"
    r"|[Ee]ven (?:a|an|its|their) (?:own |critic|advocate|supporter|proponent)|himself|herself)\b"
    r"|\b[Ee]ven [A-Z][a-z]+\b"
)
"""A claim that presents its quotation as a concession ("Sakhi concedes", "even Malejacq,
who favors engagement"): the author's turn the other way is then already before the reader."""

_REJECTED_AFTER = re.compile(
    r"^[\s,]*(?:[\w'-]+\s+){0,2}?(?:have|has|had|is|are|was|were|will|would|do|does|did)\s+"
    r"(?:(?:clearly|largely|plainly|simply|so far|thus far|also|now|all|long|demonstrably|"
    r"evidently|obviously|utterly|entirely|completely|mostly|been|proven|proved)\s+)*"
    r"(?:failed|fail|misguided|mistaken|wrong|flawed|counterproductive|futile|a mistake|a myth"
    r"|an illusion|unfounded|naive|ineffective|backfired|doomed|misplaced|a failure|illusory"
    r"|not worked|not work|not succeeded|not achieved|achieved nothing|come to nothing"
    r"|fallen short)\b",
    re.IGNORECASE,
)
"""The rest of the sentence, right after the quotation, rejecting what it says: "... have
clearly failed", "... is misguided"."""

_REJECTED_BEFORE = re.compile(
    r"(?:\b(?:mistaken|false|flawed|erroneous|misguided|naive|faulty|wrong)\s+"
    r"(?:belief|assumption|idea|notion|view|premise|claim|expectation|hope|argument)s?\s+"
    r"(?:that|of)"
    r"|\bit is (?:wrong|a mistake|a myth|naive|false|misguided|an illusion|an error|folly)"
    r"(?: to (?:think|believe|assume|argue|claim|expect|suggest|hope))?(?: that)?"
    r"|\bthe (?:myth|illusion|fallacy|fiction) (?:that|of)"
    r"|\bcontrary to (?:the |what )?(?:[\w-]+ )?(?:belief|assumption|claim|expectation)s?"
    r"(?: that)?)\s*$",
    re.IGNORECASE,
)
"""The start of the sentence, right before the quotation, calling it mistaken: "the
mistaken belief that ...", "it is a myth that ..."."""

_OTHERS = (
    r"(?:critics|skeptics|sceptics|opponents|proponents|advocates|supporters|detractors|others"
    r"|some|many)"
)
_SAYING = (
    r"(?:argue|argued|argues|say|said|says|claim|claimed|claims|contend|contended|contends"
    r"|insist|insisted|insists|believe|believed|maintain|maintained|suggest|suggested|assert"
    r"|asserted|urge|urged|warn|warned|allege|alleged)"
)
_CLAIMING = (
    r"(?:argue|argued|claim|claimed|contend|contended|insist|insisted|maintain|maintained"
    r"|allege|alleged|urge|urged|assert|asserted)"
)
_ATTRIBUTION = re.compile(
    rf"\b{_OTHERS}\s+(?:[\w-]+\s+){{0,3}}?{_SAYING}\b"
    rf"|\bthey\s+(?:also\s+|further\s+)?{_CLAIMING}\b"
    r"|\bit (?:is|was|has been|had been) (?:often |sometimes |commonly |widely |frequently "
    r"|generally |also |long )?(?:argued|said|claimed|believed|suggested|assumed|contended"
    r"|asserted|thought)\b"
    r"|\baccording to (?:its |their |the )?(?:critics|some|proponents|opponents|advocates"
    r"|supporters|skeptics|others)\b"
    r"|\b(?:most|many|some) (?:[\w-]+ ){0,3}?(?:experts|observers|analysts|diplomats"
    r"|commentators|officials|scholars|policymakers|voices)(?: and [\w-]+)? (?:[\w-]+ )?"
    r"(?:assumed|believed|argued|thought|expected|claimed|predicted|say|argue|believe|think"
    r"|claim|urge|urged|contend|insist)\b"
    r"|\bthe (?:argument|reasoning|thinking) (?:goes|runs)\b",
    re.IGNORECASE,
)
"""Wording that gives a view to others rather than to the author: "critics argue", "some
say", "proponents claim", "it is often argued", "most experts assumed"."""

_OTHERS_NAMED = re.compile(
    r"\b(?:critics|skeptics|sceptics|opponents|proponents|advocates|supporters|detractors"
    r"|others|some voices)\b",
    re.IGNORECASE,
)
"""A claim that names others as holding a view ("critics cited by USIP", "some voices")."""

_VOICE_CHANGE = re.compile(r", but |; |, yet |, while |, whereas |\. ")
"""Between an attribution and a quotation: the sentence turns to another voice."""

_QUALIFIER_AFTER = re.compile(
    r"^[\s,;:-]*(?:but(?! also\b| rather\b)|unless|only if|only when|only after|provided"
    r"|as long as|so long as|although|though|even though|even if|except|if|until|whereas"
    r"|albeit|at least|in theory|rather than|instead of)\b"
    r"|^\s*[,;-]\s*(?:while|yet|however)\b",
    re.IGNORECASE,
)
"""What a dropped end of sentence opens with when it qualifies what was quoted; not "but
also" or "but rather", which go on in the same direction ("not only ... but also")."""

_CONCESSIVE_OPENING = re.compile(
    r"^[\"'(]?(?:Although|Though|Even though|Even if|While|Whereas|Despite|In spite of"
    r"|Granted|Admittedly|Notwithstanding)\b"
)
_CONDITIONAL_OPENING = re.compile(
    r"^[\"'(]?(?:If|Unless|Only if|Only when|Provided|As long as|So long as|In theory|On paper"
    r"|In principle|At best)\b"
)

_NUMBER_WORDS = {
    **{"two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7"},
    **{"eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12"},
    **{"twenty": "20", "thirty": "30", "forty": "40", "fifty": "50", "hundred": "100"},
}
"""Numbers written as words, read as digits so "three years" meets "3 years"; not "one",
which is more often a pronoun than a number."""
_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august"]
_MONTHS += ["september", "october", "november", "december"]
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[a-z]+")
"""Words and numbers ("4,300", "3.2") of a lower-cased text: the claim and its quotations
are compared token by token, which is far quicker than searching for each number word."""


@dataclass(frozen=True)
class Window:
    """A quotation placed in its source: the span quoted and the sentences it lies in."""

    layout: Layout
    start: int
    end: int

    @cached_property
    def first(self) -> int:
        """The sentence the quotation starts in."""
        return self.layout.sentence_at(self.start)

    @cached_property
    def last(self) -> int:
        """The sentence the quotation ends in."""
        return self.layout.sentence_at(max(self.start, self.end - 1))

    @property
    def before(self) -> str:
        """What the quotation leaves out of its first sentence, before it."""
        return self.layout.folded[self.layout.sentences[self.first].start : self.start]

    @property
    def after(self) -> str:
        """What the quotation leaves out of its last sentence, after it."""
        return self.layout.folded[self.end : self.layout.sentences[self.last].end]

    @property
    def sentences(self) -> str:
        """The whole sentences the quotation lies in."""
        found = self.layout.sentences
        return self.layout.folded[found[self.first].start : found[self.last].end]

    @property
    def next_sentence(self) -> tuple[int, int] | None:
        """The span of the sentence after the quotation's, in this paragraph or the next."""
        following = self.last + 1
        if following >= len(self.layout.sentences):
            return None
        sentence = self.layout.sentences[following]
        return sentence.start, sentence.end


def excerpt(text: str, *, from_end: bool = False) -> str:
    """A few words of the source for a message, with an ellipsis where it is cut."""
    words = text.split()
    if len(words) <= EXCERPT_WORDS:
        return " ".join(words)
    if from_end:
        return "\u2026 " + " ".join(words[-EXCERPT_WORDS:])
    return " ".join(words[:EXCERPT_WORDS]) + " \u2026"


def conceded(claim: str, names: frozenset[str], every_name: frozenset[str]) -> bool:
    """Whether a claim presents a quotation from the source called `names` as its author's
    concession ("Sakhi concedes", "even a critic of isolation such as Malejacq").

    The concession must be about this source: of the sources the claim names in the
    concession's sentence, this one stands nearest the concession word; or the sentence
    names none ("its own author admits"). `every_name` holds the names of every source the
    claim quotes, lower-case, like `names`.
    """
    for found in _CONCEDED.finditer(claim):
        begin = claim.rfind(". ", 0, found.start()) + 1
        end = claim.find(". ", found.end())
        sentence = claim[begin : end if end >= 0 else len(claim)]
        start, stop = found.start() - begin, found.end() - begin
        nearest = sorted(
            (max(0, word.start() - stop, start - word.end()), word.group().lower())
            for word in re.finditer(r"[\w-]+", sentence)
            if word.group().lower() in every_name
        )
        if not nearest or nearest[0][1] in names:
            return True
    return False


@lru_cache(maxsize=4096)
def _names_others(claim: str) -> bool:
    """Whether a claim itself gives the view it states to others (critics, some voices ...)."""
    return _ATTRIBUTION.search(claim) is not None or _OTHERS_NAMED.search(claim) is not None


def _covers(spans: list[tuple[int, int]], span: tuple[int, int]) -> bool:
    """Whether any of `spans` shares text with `span`."""
    return any(start < span[1] and span[0] < end for start, end in spans)


def substantive(text: str) -> bool:
    """Whether a left-out piece of a sentence holds words, not just punctuation."""
    return any(char.isalnum() for char in text)


def contrast_follows(window: Window, covered: list[tuple[int, int]]) -> str | None:
    """W301: the sentence after the quotation opens by turning against it.

    Not raised when the same claim also quotes that sentence (`covered` holds the spans
    its other quotations of this source take): the claim has then weighed the turn. Nor
    when the turn only adds ("Yet ... also"). (Nor, decided by the caller, when the claim
    presents the quotation as a concession: see `conceded`.)
    """
    span = window.next_sentence
    if span is None or _covers(covered, span):
        return None
    sentence = window.layout.folded[span[0] : span[1]]
    if not _CONTRAST.search(sentence) or _ADDING.search(sentence):
        return None
    return f"the source's next sentence turns against it: \u201c{excerpt(sentence)}\u201d"


def rejected_in_sentence(window: Window) -> str | None:
    """W302: the quotation's own sentence goes on to reject (or opens by rejecting) it."""
    after = window.after
    if substantive(after) and _REJECTED_AFTER.search(after):
        return (
            "the source's sentence goes on to reject what is quoted: "
            f"\u201c\u2026 {excerpt(after)}\u201d"
        )
    before = window.before
    if substantive(before) and _REJECTED_BEFORE.search(before):
        return (
            "the source's sentence calls what is quoted mistaken: "
            f"\u201c{excerpt(before, from_end=True)} \u2026\u201d"
        )
    return None


def cut_before_qualifier(window: Window, covered: list[tuple[int, int]]) -> str | None:
    """W303: the quotation is cut from its sentence where that drops a qualifying clause.

    Three shapes, and only these (a quotation may end mid-sentence for good reasons): the
    sentence goes on with "but", "unless", "only if", ", while" ...; the quotation is the
    concessive half of a sentence that opens "Although", "While" ... and leaves out the main
    clause; or it leaves out the condition a sentence opens with ("If ..., ..."). Not raised
    for a dropped end that another quotation of the claim (`covered`) takes in (nor, decided
    by the caller, when the claim presents the quotation as a concession).
    """
    after = window.after
    if (
        substantive(after)
        and _QUALIFIER_AFTER.search(after)
        and not _covers(covered, (window.end, window.end + len(after)))
    ):
        return (
            "the quotation stops before a qualifying clause of its sentence: "
            f"\u201c\u2026 {excerpt(after)}\u201d"
        )
    sentence = window.layout.sentences[window.first]
    opening = window.layout.folded[sentence.start : sentence.end]
    comma = opening.find(", ")
    if comma < 0:
        return None
    clause_end = sentence.start + comma
    if (
        _CONCESSIVE_OPENING.match(opening)
        and substantive(after)
        and window.start < clause_end
        and window.end <= clause_end + 1
    ):
        return (
            "the quotation is the conceding half of its sentence, without the main clause: "
            f"\u201c\u2026 {excerpt(opening[comma + 2 :])}\u201d"
        )
    if _CONDITIONAL_OPENING.match(opening) and window.start > clause_end:
        return (
            "the quotation leaves out the condition its sentence opens with: "
            f"\u201c{excerpt(opening[:comma])}, \u2026\u201d"
        )
    return None


def attributed_to_others(window: Window, claim: str) -> str | None:
    """W304: the source gives the quoted view to others ("critics argue", "some say").

    Not raised when the claim itself says whose view it is (its own text attributes it in
    the same way), nor when the attribution governs another part of the sentence (the
    sentence turns to another voice between the two).
    """
    if _names_others(claim):
        return None
    sentences = window.sentences
    offset = window.layout.sentences[window.first].start
    start, end = window.start - offset, window.end - offset
    for found in _ATTRIBUTION.finditer(sentences):
        if found.end() <= start:
            between = sentences[found.end() : start]
        elif found.start() >= end:
            between = sentences[end : found.start()]
        else:
            between = ""
        if not _VOICE_CHANGE.search(between):
            return (
                "the source gives this view to others, not to its author: "
                f"\u201c{excerpt(sentences[found.start() :])}\u201d"
            )
    return None


def numbers_in(text: str) -> set[str]:
    """The numbers a text states (digits or number words, as digits) and the months it
    names ("As of August, the 2023 plan" gives "august" and "2023")."""
    found = set()
    for token in _TOKEN.findall(text.lower()):
        if token[0].isdigit():
            found.add(token.replace(",", ""))
        elif token in _NUMBER_WORDS:
            found.add(_NUMBER_WORDS[token])
        elif token in _MONTHS:
            found.add(token)
    return found


def stated_numbers(text: str) -> list[tuple[str, str]]:
    """The numbers a claim states and the months it dates ("August 2021", "May 3, 2023"),
    each as written (lower-case) and as numbers_in records it."""
    tokens = _TOKEN.findall(text.lower())
    stated = []
    for index, token in enumerate(tokens):
        if token[0].isdigit():
            stated.append((token, token.replace(",", "")))
        elif token in _NUMBER_WORDS:
            stated.append((token, _NUMBER_WORDS[token]))
        elif token in _MONTHS and _dated(tokens[index + 1 : index + 3]):
            stated.append((token, token))
    return stated


def _dated(following: list[str]) -> bool:
    """Whether the tokens after a month make it a date: a year, or a day and a year."""
    years = [t for t in following[:2] if len(t) == 4 and t.isdigit()]
    return bool(years) and (following[0] == years[0] or following[0].isdigit())


def unquoted_numbers(claim: str, quotations: list[str], source_years: set[str]) -> list[str]:
    """W306: the numbers and dates a claim states that none of its quotations contain.

    A year its sources' own dates give (`source_years`) is not counted: "USIP, writing in
    2023" rests on the source's date in sources.yaml, which is checked there.
    """
    known = set(source_years)
    for quotation in quotations:
        known |= numbers_in(quotation)
    missing = [written for written, value in stated_numbers(claim) if value not in known]
    return [word.capitalize() if word in _MONTHS else word for word in dict.fromkeys(missing)]
