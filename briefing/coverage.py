"""How much of each source the content actually uses, and which options lean on one source.

An analyst reads this to see what part of an argument the memo leaves out: the paragraphs
of each article that no quotation draws on, and the options whose case is made from a
single article.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from briefing.content import points_on, quoted_sources
from briefing.pipeline import Checked
from briefing.project import Project

MIN_WORDS = 15
"""A paragraph shorter than this (a title, a byline, a caption) is not counted as argument."""


@dataclass(frozen=True)
class Paragraph:
    """A run of non-blank lines in a seed text."""

    number: int
    first_line: int
    last_line: int
    text: str

    @property
    def opening(self) -> str:
        """The first words, to recognise the paragraph by."""
        words = self.text.split()
        return " ".join(words[:10]) + (" \u2026" if len(words) > 10 else "")


@dataclass(frozen=True)
class SourceCoverage:
    """One source: how often it is quoted and which of its paragraphs are drawn on."""

    id: str
    title: str
    quotes: int
    paragraphs: list[Paragraph]
    cited: dict[int, int]
    """Paragraph number to the number of quotations that start in it."""

    @property
    def uncited(self) -> list[Paragraph]:
        return [p for p in self.paragraphs if p.number not in self.cited]

    @property
    def share(self) -> float:
        return len(self.cited) / len(self.paragraphs) if self.paragraphs else 0.0


@dataclass(frozen=True)
class OptionSources:
    """One position: how many quotations from each source make its case and its critique."""

    id: str
    title: str
    case: Counter[str]
    """Sources of the quotations behind its recommendations and pros."""
    critique: Counter[str]
    """Sources of the quotations behind its cons and risks."""

    @property
    def single_source(self) -> bool:
        """True when the whole case for the option comes from one article."""
        return len(self.case) <= 1


@dataclass(frozen=True)
class Coverage:
    """The coverage report."""

    sources: list[SourceCoverage]
    options: list[OptionSources]

    @property
    def quotes(self) -> int:
        return sum(source.quotes for source in self.sources)


def paragraphs_of(file: Path) -> list[Paragraph]:
    """The substantive paragraphs of a seed text, one per non-blank line.

    A line that occurs more than once (a photo caption, a repeated title) is clutter from
    the page the text was taken from, not argument, and is left out with the short ones.
    """
    lines = file.read_text(encoding="utf-8").splitlines()
    keys = [re.sub(r"\W+", " ", line).strip().lower() for line in lines]
    repeated = {key for key, count in Counter(keys).items() if count > 1}
    found: list[Paragraph] = []
    for number, (line, key) in enumerate(zip(lines, keys, strict=True), start=1):
        if len(line.split()) >= MIN_WORDS and key not in repeated:
            found.append(Paragraph(len(found) + 1, number, number, line.strip()))
    return found


def measure_coverage(checked: Checked, project: Project) -> Coverage:
    """Count quotations per source and per paragraph, and the sources behind each option."""
    content = checked.content
    sources = []
    for source in content.sources.values():
        paragraphs = paragraphs_of(project.seeds / source.seed)
        located = [q for q in checked.verification.found if q.source == source.id]
        cited: Counter[int] = Counter()
        for quote in located:
            paragraph = next(
                (p for p in paragraphs if p.first_line <= quote.line <= p.last_line), None
            )
            if paragraph is not None:
                cited[paragraph.number] += 1
        sources.append(
            SourceCoverage(source.id, source.title, len(located), paragraphs, dict(cited))
        )
    options = []
    for name, position in content.positions.items():
        case = quoted_sources(points_on(position, "case"))
        critique = quoted_sources(points_on(position, "critique"))
        options.append(OptionSources(name, position.title, case, critique))
    return Coverage(sources, options)
