"""briefing.content: the questions every stage asks of the content, answered once.

Which points a position argues and on which side, and which sources a memo rests on for
an audience, in the order the memo first cites them: the reference list, and the seed
texts the build cache keys an output on.
"""

from __future__ import annotations

from collections.abc import Iterable

from small_content import MEMO, audience, content, memo, point, position

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


def test_cited_sources_in_order_of_first_citation() -> None:
    """The background, then each option: its advocates, then its points and stances."""
    the_content = content(
        memo("x", "y", background=[point("context", "d", "b")]),
        {
            "x": ARGUED,
            "y": position(
                "y", advocates=("e",), pros=[point("y pro", "a")], cons=[point("y con", "d")]
            ),
        },
        {"staff": audience("options")},
    )
    # d, b from the background; x: a (step), c (pro 2), e (condition); y adds nothing new.
    assert the_content.cited_sources(MEMO, "staff") == ["d", "b", "a", "c", "e"]
    reordered = content(
        memo("y", "x", background=[point("context", "d", "b")]),
        dict(the_content.positions),
        {"staff": audience("options")},
    )
    assert reordered.cited_sources(MEMO, "staff") == ["d", "b", "e", "a", "c"]


def test_cited_sources_leave_out_what_the_audience_is_not_shown() -> None:
    the_content = content(
        memo(
            "x",
            "y",
            background=[point("context", "a"), point("internal", "b", only=["staff"])],
            withheld={"y": ["public"]},
        ),
        {
            "x": position(
                "x",
                pros=[point("pro", "a"), point("not for the public", "c", but=("public",))],
                stances={"q": point("stance", "d", only=["staff"])},
            ),
            "y": position("y", advocates=("e",), pros=[point("y pro", "e")]),
        },
        {"staff": audience("options"), "public": audience("options")},
    )
    assert the_content.cited_sources(MEMO, "staff") == ["a", "b", "c", "d", "e"]
    assert the_content.cited_sources(MEMO, "public") == ["a"]


def test_memos_presenting_a_position() -> None:
    the_content = content(memo("x", "y"), {"x": ARGUED, "y": position("y")}, {})
    assert the_content.memos_presenting("y") == [MEMO]
    assert the_content.memos_presenting("z") == []
