"""Reports as they read in a terminal: the coverage report, the content inventory, and
messages that quote content, made safe to print and said once."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TypeVar

import click

from briefing.content import POINT_KINDS, Content, points_of
from briefing.coverage import Coverage
from briefing.errors import Problem, printable

T = TypeVar("T")

MORE_LIKE_IT = 3
"""Further places listed after a warning given for many places at once."""
PROBLEMS_SHOWN = 50
"""Problems printed at most; the rest are counted. Far more than anyone fixes in one go,
and far fewer than a file of 60,000 mistakes gives (120,000 lines, 11 MB, uncapped)."""


def first_of(items: list[T], noun: str = "problem") -> tuple[list[T], str | None]:
    """The problems (or warnings) to print, and the line that counts the rest, or None.

    The library reports every problem; this is where a terminal stops listing them, so
    that what matters is not scrolled away and a hostile file cannot flood the screen.
    """
    rest = len(items) - PROBLEMS_SHOWN
    if rest <= 0:
        return items, None
    counted = f"\u2026 and {rest:,} more {noun}{'' if rest == 1 else 's'}"
    return items[:PROBLEMS_SHOWN], counted + ("; fix these first" if noun == "problem" else "")


def warning_lines(warnings: list[Problem], here: Path) -> list[str]:
    """Each distinct warning once, with the other places it applies to summed up.

    A link or a character repeated across a position would otherwise fill the terminal
    with the same advice, burying the errors that matter.
    """
    groups: dict[tuple[str, str, str | None], list[Problem]] = {}
    for warning in warnings:
        groups.setdefault((warning.code, warning.message, warning.hint), []).append(warning)
    lines = []
    for same in groups.values():
        places = list(dict.fromkeys(w.location(here) for w in same))
        text = printable(same[0].format(here))
        if len(places) > 1:
            shown = ", ".join(printable(p) for p in places[1 : 1 + MORE_LIKE_IT])
            rest = len(places) - 1 - MORE_LIKE_IT
            text += f"\n    and {len(places) - 1} more like it: {shown}"
            text += f" and {rest} more" if rest > 0 else ""
        lines.append(text)
    return lines


def show_coverage(report: Coverage) -> None:
    """The coverage report for a terminal: a strip per source, one mark per paragraph."""
    click.secho(f"Coverage: {report.quotes} quotes from {len(report.sources)} sources", bold=True)
    click.echo("Each paragraph of a source is one mark: \u2588 quoted, \u00b7 not quoted.\n")
    for source in report.sources:
        click.secho(f"{source.id}  {source.title}", bold=True)
        strip = "".join(
            "\u2588" if p.number in source.cited else "\u00b7" for p in source.paragraphs
        )
        click.echo(
            f"  {source.quotes} quotes; {len(source.cited)} of {len(source.paragraphs)} "
            f"paragraphs quoted ({source.share:.0%})  {strip}"
        )
        for paragraph in source.uncited:
            click.echo(
                f"    not quoted: \u00b6{paragraph.number} (line {paragraph.first_line}) "
                f"\u201c{paragraph.opening}\u201d"
            )
        click.echo()
    click.secho("Where each option's case and critique come from (quotes per source)", bold=True)
    width = max(len(option.id) for option in report.options)
    for option in report.options:
        case = ", ".join(f"{s} {n}" for s, n in option.case.most_common())
        critique = ", ".join(f"{s} {n}" for s, n in option.critique.most_common())
        click.echo(f"  {option.id:<{width}}  case: {case or 'none'}")
        click.echo(f"  {'':<{width}}  critique: {critique or 'none'}")
    single = [option.id for option in report.options if option.single_source]
    click.echo()
    if single:
        click.secho(f"Resting on a single source: {', '.join(single)}", fg="yellow")
    else:
        click.echo("Resting on a single source: none")


def show_inventory(content: Content) -> None:
    """Memos, positions, audiences and sources, with counts and what cites what: every
    quotation counted where it stands, in a position's file or in a memo's own claims."""
    quoted = content.quotes_by_file()
    quoted_by: dict[str, Counter[str]] = {}
    for (kind, name), counts in sorted(quoted.items()):
        for cited, number in counts.items():
            quoted_by.setdefault(cited, Counter())[
                name if kind == "position" else f"memo {name}"
            ] += number
    click.secho(f"memos ({len(content.memos)})", bold=True)
    for memo_id, memo in sorted(content.memos.items()):
        own = quoted.get(("memo", memo_id), Counter())
        click.echo(
            f"  {memo_id}  {memo.title}: {len(memo.options)} options, "
            f"{len(memo.criteria)} criteria, {len(memo.questions)} key questions"
            + (f"; recommends {memo.recommendation.option}" if memo.recommendation else "")
            + (f"; {_quotes(own)} in its own claims" if own else "")
        )
    click.secho(f"positions ({len(content.positions)})", bold=True)
    for name, position in sorted(content.positions.items()):
        kinds = ", ".join(f"{len(points_of(position, k))} {k.field}" for k in POINT_KINDS)
        click.echo(
            f"  {name}  {position.title}: {kinds}; "
            f"{_quotes(quoted.get(('position', name), Counter()))}; "
            f"in {', '.join(content.memos_presenting(name)) or 'no memo'}"
        )
    click.secho(f"audiences ({len(content.audiences)})", bold=True)
    for name, audience in sorted(content.audiences.items()):
        budget = f", at most {audience.page_budget} pages" if audience.page_budget else ""
        click.echo(f"  {name}  {audience.label}: {audience.template}{budget}")
    click.secho(f"sources ({len(content.sources)})", bold=True)
    for source_id, entry in content.sources.items():
        by = quoted_by.get(source_id, Counter())
        click.echo(
            f"  {source_id}  {entry.title}: quoted {sum(by.values())} times by "
            f"{', '.join(f'{name} {n}' for name, n in sorted(by.items())) or 'nothing yet'}"
        )


def _quotes(counts: Counter[str]) -> str:
    """ "12 quotes (usip 7, sakhi 5)": how many, and from which sources, most first."""
    sources = ", ".join(f"{source} {n}" for source, n in counts.most_common())
    total = sum(counts.values())
    return f"{total} quote{'' if total == 1 else 's'}" + (f" ({sources})" if sources else "")
