"""How old a memo's evidence is: the newest dated source it cites, and whether that is stale.

A memo dated today that rests on articles two years old must say so; a reader cannot tell
from the claims alone. Only dates a source gives count: a source left undated (because the
article does not say when it was written) is not guessed at, and is counted as undated.
A partial date (2023, 2023-10) is read as the last day it can mean, so a memo is never
called stale on a guess about which day of the month an article appeared.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable

from briefing.claims import select, sources_cited
from briefing.content import Content
from briefing.errors import Problem
from briefing.models import Source

STALE_AFTER_MONTHS = 12
"""A memo dated more than this many months after its newest dated source is warned about."""


def latest_day(date: str) -> dt.date:
    """The last day a source date (YYYY, YYYY-MM or YYYY-MM-DD) can mean."""
    parts = [int(part) for part in date.split("-")]
    year = parts[0]
    month = parts[1] if len(parts) > 1 else 12
    day = parts[2] if len(parts) > 2 else calendar.monthrange(year, month)[1]
    return dt.date(year, month, day)


def newest_dated(sources: Iterable[Source]) -> Source | None:
    """The source with the latest date, or None when none of them is dated."""
    dated = [source for source in sources if source.date]
    return max(dated, key=lambda source: latest_day(source.date or ""), default=None)


def stale(newest: dt.date, dated: dt.date) -> bool:
    """Whether a memo dated `dated` is more than STALE_AFTER_MONTHS after `newest`."""
    years, months = divmod(newest.month - 1 + STALE_AFTER_MONTHS, 12)
    year, month = newest.year + years, months + 1
    limit = dt.date(year, month, min(newest.day, calendar.monthrange(year, month)[1]))
    return dated > limit


def months_between(earlier: dt.date, later: dt.date) -> int:
    """Whole calendar months from `earlier` to `later` (negative if it is earlier)."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    return months - 1 if later.day < earlier.day else months


def stale_evidence(content: Content) -> list[Problem]:
    """W310 for each memo dated more than STALE_AFTER_MONTHS after its newest dated source.

    The sources counted are those each audience's document cites (its reference list, whose
    newest date its "Evidence current to" line gives); where audiences differ in their
    newest source, each distinct one is reported, naming the audiences.
    """
    problems = []
    for memo_id, memo in sorted(content.memos.items()):
        newest: dict[str | None, list[str]] = {}
        for audience_id, audience in sorted(content.audiences.items()):
            shown = select(content, memo, audience_id, audience)
            cited = sources_cited(memo, content.positions, shown)
            source = newest_dated(content.sources[s] for s in cited)
            newest.setdefault(source.id if source else None, []).append(audience_id)
        document = content.documents[("memo", memo_id)]
        for source_id, audiences in newest.items():
            if source_id is None:
                continue
            source = content.sources[source_id]
            newest_day = latest_day(source.date or "")
            if not stale(newest_day, memo.date):
                continue
            months = months_between(newest_day, memo.date)
            who = "" if len(newest) == 1 else f" (for {', '.join(audiences)})"
            problems.append(
                document.problem(
                    ("date",),
                    f"the memo is dated {memo.date.isoformat()}, {months} months after its "
                    f"newest dated source{who}: '{source_id}', {source.date}",
                    "the memo states how current its evidence is; date the memo when it was "
                    "written, or add newer sources (a date a source does not give stays empty)",
                    code="W310",
                )
            )
    return problems
