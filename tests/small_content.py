"""Content made in code for the unit tests: a few sources, positions and one memo, each
point quoting the sources it names, so that a test can say exactly what it expects."""

from __future__ import annotations

import datetime as dt

from briefing.content import Content
from briefing.models import (
    Assessment,
    Audience,
    Criterion,
    Evidence,
    Memo,
    MemoOption,
    Point,
    Position,
    Question,
    Rating,
    Recommendation,
    Show,
    Source,
)

MEMO = "memo"


def point(
    text: str, *sources: str, only: list[str] | None = None, but: tuple[str, ...] = ()
) -> Point:
    """A point quoting each of `sources` once; shown `only` to some audiences, or to all `but`."""
    evidence = [
        Evidence(source=s, quote=f"{text}, as {s} says ({n})") for n, s in enumerate(sources)
    ]
    return Point(text=text, evidence=evidence, audiences=only, except_=list(but))


def position(
    name: str,
    *,
    advocates: tuple[str, ...] = (),
    stances: dict[str, Point] | None = None,
    **points: list[Point],
) -> Position:
    """A position whose pros and cons, unless given, are one point quoting source 'a'."""
    points.setdefault("pros", [point(f"{name} pro", "a")])
    points.setdefault("cons", [point(f"{name} con", "a")])
    return Position(
        title=name.title(), summary=f"{name} summary", thesis=f"{name} thesis",
        advocates=list(advocates), stances=stances or {}, **points,
    )  # fmt: skip


def memo(
    *positions: str,
    background: list[Point] | None = None,
    questions: tuple[str, ...] = (),
    withheld: dict[str, list[str]] | None = None,
    recommended: str | None = None,
) -> Memo:
    """A memo presenting `positions` in order; `withheld` maps a position to the audiences
    it is withheld from."""
    withheld = withheld or {}
    options = [
        MemoOption(
            position=name,
            assessment={"cost": Assessment(rating=Rating.MIXED, rationale="r")},
            except_=withheld.get(name, []),
        )
        for name in positions
    ]
    return Memo(
        title="T", short_subject="S", subject="Subject", date=dt.date(2026, 1, 2),
        from_="Office", question="Q?", bluf="B.",
        background=background or [point("context", "a")],
        criteria=[Criterion(id="cost", label="Cost")],
        options=options,
        questions=[Question(id=q, label=q.title()) for q in questions],
        recommendation=Recommendation(option=recommended, text="Do it.") if recommended else None,
    )  # fmt: skip


def audience(*sections: str, **show: bool | int) -> Audience:
    return Audience(
        label="A", template="staff.html.j2", memo_type="MEMO",
        sections=list(sections), show=Show(**show),  # type: ignore[arg-type]
    )  # fmt: skip


def content(
    the_memo: Memo, positions: dict[str, Position], audiences: dict[str, Audience]
) -> Content:
    """Content holding one memo, its positions, the audiences, and sources 'a' to 'e'."""
    sources = {
        s: Source(id=s, title=f"Title {s.upper()}: a subtitle", author=f"Author {s.upper()}",
                  seed=f"{s}.txt")
        for s in "abcde"
    }  # fmt: skip
    return Content(
        sources=sources, positions=positions, memos={MEMO: the_memo}, audiences=audiences
    )
