"""A source's folded text cut into paragraphs and sentences, for reading quotations in context.

The folded text (briefing.verify) is what quotations are matched in, so spans found there
can be compared with paragraph and sentence spans directly. Paragraphs are found from the
line map (see paragraph_spans). Sentences end at `.`, `!` or `?`
(and any closing quote or bracket) before a space and a capital, a digit or an opening
quote, unless the word before the stop is an abbreviation or an initial ("U.S.", "Dr.",
"Marvin G. Weinbaum"). A missed boundary makes a sentence longer, which makes context flags
quieter, never louder: the cut errs on the side of fewer flags.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property

from briefing.verify import SeedText

_STOP = re.compile(r"[.!?]+[\"')\]]*(?= [\"'(\[]?[A-Z0-9])")
_ABBREVIATION = re.compile(
    r"(?:\b(?:[A-Za-z]\.){2,}|\b[A-Z]\.|\b(?:Mr|Mrs|Ms|Dr|Prof|St|Gen|Col|Lt|Sen|Rep|Gov|Jan|Feb"
    r"|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|No|Nos|vs|etc|e\.g|i\.e|cf|al|Inc|Ltd|Co|Jr|Sr"
    r"|Fig|Vol|pp|ca)\.)$"
)
_SENTENCE_OPENER = re.compile(
    r"(?:The|This|These|That|Those|It|Its|In|But|However|Yet|And|As|At|For|If|On|Since|Such"
    r"|There|They|We|What|When|While|With|Without|A|An|Many|Most|Some|Still|So|Now|Even|Despite"
    r"|Although|Meanwhile|Instead|Nevertheless|Nonetheless|Moreover|Finally|First|Second|Third)\b"
)
"""Words that open a sentence: after "U.S." they mark a boundary ("... the U.S. The next")."""


@dataclass(frozen=True)
class Sentence:
    """One sentence: its span in the folded text and the paragraph it belongs to."""

    start: int
    end: int
    paragraph: int


@dataclass(frozen=True)
class Layout:
    """The paragraphs and sentences of one seed text, as spans of its folded form."""

    folded: str
    paragraphs: list[tuple[int, int]]
    sentences: list[Sentence]

    @classmethod
    def of(cls, seed: SeedText) -> Layout:
        """Cut a seed text into paragraphs, then each paragraph into sentences."""
        paragraphs = paragraph_spans(seed.folded, seed.lines)
        sentences = [
            Sentence(start, end, number)
            for number, (first, last) in enumerate(paragraphs)
            for start, end in sentence_spans(seed.folded, first, last)
        ]
        return cls(seed.folded, paragraphs, sentences)

    @cached_property
    def _starts(self) -> list[int]:
        return [sentence.start for sentence in self.sentences]

    def sentence_at(self, index: int) -> int:
        """The number of the sentence holding folded position `index`."""
        return max(0, bisect.bisect_right(self._starts, index) - 1)

    def text(self, sentence: int) -> str:
        """One sentence's folded text."""
        found = self.sentences[sentence]
        return self.folded[found.start : found.end]


WRAPPED_WIDTH = 100
"""A text none of whose lines is longer than this is taken to be hard-wrapped."""


def paragraph_spans(folded: str, lines: list[int]) -> list[tuple[int, int]]:
    """Spans of the folded text that were paragraphs, excluding the space between them.

    A text whose paragraphs are single long lines (as pasted from a web page) has one
    paragraph per line; a hard-wrapped text (no line longer than WRAPPED_WIDTH) has one per
    run of lines without a blank one. A line break folds into a space at the first folded
    position of its new line; when its neighbours come from lines two or more apart, a
    blank line stood there.
    """
    wrapped = max(Counter(lines).values(), default=0) <= WRAPPED_WIDTH
    apart = 2 if wrapped else 1
    spans = []
    start = 0
    for line in range(lines[0] + 1, lines[-1] + 1) if lines else ():
        index = bisect.bisect_left(lines, line)  # where the line break folded into a space
        if 0 < index < len(folded) and folded[index] != " " and folded[index - 1] == " ":
            index -= 1  # the line ended in spaces: the break folded into the first of them
        if (
            start <= index < len(folded) - 1
            and index > 0
            and folded[index] == " "
            and lines[index + 1] - lines[index - 1] >= apart
        ):
            spans.append((start, index))
            start = index + 1
    if start < len(folded):
        spans.append((start, len(folded)))
    return spans


def sentence_spans(folded: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of the sentences in folded[start:end], each ending at its stop."""
    text = folded[start:end]
    spans = []
    begin = 0
    for stop in _STOP.finditer(text):
        before = text[begin : stop.start() + 1]
        after = text[stop.end() + 1 :]
        if _ABBREVIATION.search(before) and not _SENTENCE_OPENER.match(after):
            continue
        spans.append((start + begin, start + stop.end()))
        begin = stop.end() + 1
    if begin < len(text):
        spans.append((start + begin, end))
    return spans
