"""The content as every stage sees it, and the questions they all ask of it.

Validation fills a `Content`; resolve, the build cache, coverage and the terminal reports
then ask it the same questions: which points a position argues, in which order and on
which side. Each answer is written here once, so two stages can never disagree. The
memo's own lists of claims, and what an audience is shown of them, are `briefing.claims`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel

from briefing.errors import Problem
from briefing.load import Document, Path_
from briefing.models import Audience, Evidence, Memo, Point, Position, Source

Side = Literal["case", "critique", "terms"]


@dataclass(frozen=True)
class PointKind:
    """One list of points a position argues: its field and which side it is on. Its
    headings are the phrasebook's, by field (`[sections]` over several, `[claim]` one)."""

    field: str
    side: Side
    """`case` argues for the option, `critique` against it, `terms` says what it takes."""


POINT_KINDS: tuple[PointKind, ...] = (
    PointKind("recommendations", "case"),
    PointKind("pros", "case"),
    PointKind("cons", "critique"),
    PointKind("conditions", "terms"),
    PointKind("risks", "critique"),
)
"""The kinds of point a position holds, in reading order. A new kind is a field on
`models.Position`, a line here and its words in `templates/phrases.toml` ([sections] and
[claim]); every stage reads this table."""


def points_of(position: Position, kind: PointKind) -> list[Point]:
    """The points of one kind, as written."""
    points: list[Point] = getattr(position, kind.field)
    return points


def every_point(position: Position) -> Iterator[Point]:
    """All argued points of a position, in reading order."""
    for kind in POINT_KINDS:
        yield from points_of(position, kind)


def points_on(position: Position, side: Side) -> Iterator[Point]:
    """The points that make the case for a position, or its critique."""
    for kind in POINT_KINDS:
        if kind.side == side:
            yield from points_of(position, kind)


def quoted_sources(points: Iterator[Point] | list[Point]) -> Counter[str]:
    """How many quotations each source gives the points."""
    return Counter(evidence.source for point in points for evidence in point.evidence)


@dataclass
class Content:
    """Everything a build reads, validated, with the documents kept for locating problems."""

    sources: dict[str, Source] = field(default_factory=dict)
    positions: dict[str, Position] = field(default_factory=dict)
    memos: dict[str, Memo] = field(default_factory=dict)
    audiences: dict[str, Audience] = field(default_factory=dict)
    documents: dict[tuple[str, str], Document] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)

    def nodes(self) -> Iterator[tuple[Document, Path_, BaseModel]]:
        """Every model in positions and memos, with its document and its place in it."""
        for (kind, name), document in sorted(self.documents.items()):
            model: BaseModel | None = None
            if kind == "position":
                model = self.positions.get(name)
            elif kind == "memo":
                model = self.memos.get(name)
            if model is not None:
                yield from _nodes(model, (), document)

    def evidence(self) -> Iterator[tuple[Document, Path_, Evidence]]:
        """Every quotation in the content, with its document and its place in it."""
        for document, path, node in self.nodes():
            if isinstance(node, Evidence):
                yield document, path, node

    def quotes_by_file(self) -> dict[tuple[str, str], Counter[str]]:
        """The quotations of each position and memo file, counted by source: a position's
        points and stances, a memo's own claims (background, key facts, the recommendation's
        items, issues for Congress, options set aside). Keyed by (kind, name)."""
        counts: dict[tuple[str, str], Counter[str]] = {}
        by_file = {document.file: place for place, document in self.documents.items()}
        for document, _, evidence in self.evidence():
            counts.setdefault(by_file[document.file], Counter())[evidence.source] += 1
        return counts

    def memos_presenting(self, position_id: str) -> list[str]:
        """The memos that offer a position as one of their options."""
        return [
            memo_id
            for memo_id, memo in sorted(self.memos.items())
            if any(option.position == position_id for option in memo.options)
        ]


def _nodes(
    value: Any, path: Path_, document: Document
) -> Iterator[tuple[Document, Path_, BaseModel]]:
    if isinstance(value, BaseModel):
        yield document, path, value
        for name, info in type(value).model_fields.items():
            yield from _nodes(getattr(value, name), (*path, info.alias or name), document)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _nodes(item, (*path, index), document)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _nodes(item, (*path, key), document)
