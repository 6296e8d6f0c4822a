"""briefing.content: the questions every stage asks of the content, answered once.

Which points a position argues, in which order and on which side. (The sources a memo's
document cites, and those its outputs are keyed on, are briefing.claims' and the cache's:
tests/test_claims.py, tests/test_cache.py.)
"""

from __future__ import annotations

from collections.abc import Iterable

from small_content import MEMO, content, memo, point, position

from briefing.content import every_point, points_on, quoted_sources
from briefing.models import Point

ARGUED = position(
    "x",
    recommendations=[point("step", "a")],
    pros=[point("pro 1", "b"), point("pro 2", "c")],
    cons=[point("con", "d")],
    conditions=[point("condition", "e")],
    risks=[point("risk", "a", "b")],
    stances={"q": point("stance", "c")},
)
"""A position with one or two points of every kind, and a stance."""


def _texts(points: Iterable[Point]) -> list[str]:
    return [p.text for p in points]


def test_every_point_is_each_kind_in_reading_order_without_the_stances() -> None:
    assert _texts(every_point(ARGUED)) == ["step", "pro 1", "pro 2", "con", "condition", "risk"]


def test_points_on_a_side() -> None:
    assert _texts(points_on(ARGUED, "case")) == ["step", "pro 1", "pro 2"]
    assert _texts(points_on(ARGUED, "critique")) == ["con", "risk"]
    assert _texts(points_on(ARGUED, "terms")) == ["condition"]
    every = [*points_on(ARGUED, "case"), *points_on(ARGUED, "critique")]
    assert len(every) + len(list(points_on(ARGUED, "terms"))) == len(list(every_point(ARGUED)))


def test_quoted_sources_counts_quotations() -> None:
    assert quoted_sources(every_point(ARGUED)) == {"a": 2, "b": 2, "c": 1, "d": 1, "e": 1}


def test_memos_presenting_a_position() -> None:
    the_content = content(memo("x", "y"), {"x": ARGUED, "y": position("y")}, {})
    assert the_content.memos_presenting("y") == [MEMO]
    assert the_content.memos_presenting("z") == []
