"""briefing.resolve: how a memo's notes are numbered, and what each audience's view holds.

`number_notes` numbers the notes in one pass over the body's claims as they are read
(`briefing.claims`: the walk, and `select`, what an audience is shown), each source cited
in full the first time and short after; `resolve_view` puts them together for the templates.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from small_content import content, memo, point

from briefing import Project, check
from briefing.claims import MEMO_CLAIM_LISTS, POINT_LISTS, STANCES, ClaimAt, ClaimPlace
from briefing.content import Content
from briefing.resolve import MemoView, Note, PointView, SourceView, number_notes, resolve_view

ROOT = Path(__file__).resolve().parent.parent
BACKGROUND = next(among for among in MEMO_CLAIM_LISTS if among.field == "background")
PROS = next(among for among in POINT_LISTS if among.field == "pros")


# number_notes


def _sources(content_: Content, ids: str) -> dict[str, SourceView]:
    return {s: SourceView(n, content_.sources[s], (), None) for n, s in enumerate(ids, start=1)}


def _references(notes: list[Note]) -> list[list[tuple[str, bool]]]:
    """Each note as its (source, in full?) references."""
    return [[(r.source.source.id, r.first) for r in note.references] for note in notes]


CITED = [
    ClaimAt(ClaimPlace(BACKGROUND, 0), point("context", "a", "a", "b")),
    ClaimAt(ClaimPlace(PROS, 0, "x"), point("pro", "b", "c")),
    ClaimAt(ClaimPlace(STANCES, "q", "x"), point("stance", "c")),
]
"""Three claims in reading order: the background, an option's pro, a stance."""


def test_notes_are_numbered_in_reading_order_each_source_in_full_first() -> None:
    the_content = content(memo("x", "y"), {}, {})
    notes, by_place = number_notes(CITED, _sources(the_content, "abc"), evidence="inline")
    assert [note.number for note in notes] == [1, 2, 3, 4]
    assert _references(notes) == [
        [("a", True), ("b", True)],  # the background's point: one note for its three quotes
        [("b", False)],  # the pro, each quote its own note: b again, short
        [("c", True)],
        [("c", False)],  # the stance, c again, short
    ]
    assert [[n.number for n in by_place[place]] for place, _ in CITED] == [[1, 1, 1], [2, 3], [4]]


def test_a_point_shown_without_its_quotes_gets_one_note_naming_each_source() -> None:
    the_content = content(memo("x", "y"), {}, {})
    notes, by_place = number_notes(CITED, _sources(the_content, "abc"), evidence="none")
    assert _references(notes) == [
        [("a", True), ("b", True)],
        [("b", False), ("c", True)],
        [("c", False)],
    ]
    assert [[n.number for n in by_place[place]] for place, _ in CITED] == [[1, 1, 1], [2, 2], [3]]
    assert notes[1].anchor == "note-2"
    assert notes[1].call_anchor == "call-2"
    assert all(note.evidence is None for note in notes), "no annex to lead to"


def test_with_an_annex_each_claim_s_note_leads_to_its_quotations() -> None:
    the_content = content(memo("x", "y"), {}, {})
    notes, by_place = number_notes(CITED, _sources(the_content, "abc"), evidence="annex")
    assert [[n.number for n in by_place[place]] for place, _ in CITED] == [[1, 1, 1], [2, 2], [3]]
    assert [note.evidence for note in notes] == [
        "evidence-background-1",  # numbered from 1, as a reader counts
        "evidence-x-pros-1",
        "evidence-stance-x-q",
    ]


# resolve_view, on the shipped content


@pytest.fixture(scope="module")
def shipped() -> Content:
    return check(Project.at(ROOT / "content")).content


def _items(view: MemoView) -> list[PointView]:
    """The recommendation's items that cite, as claims."""
    items = [*view.actions, *view.benchmarks, *view.resources]
    return [item.claim for item in items if item.claim is not None]


@pytest.mark.parametrize("audience_id", ["principal", "staff", "congressional", "public"])
def test_a_view_has_a_note_for_what_it_shows_and_no_other(
    shipped: Content, audience_id: str
) -> None:
    view = resolve_view(shipped, "taliban-policy", audience_id)
    shown = [p for o in view.options for g in o.groups for p in g.points]
    outside = [
        *_items(view),
        *view.background,
        *(s for o in view.options for s in o.stances.values()),
    ]
    outside += view.not_recommended
    outside += [*view.key_facts, *(p for p in view.issues_for_congress if p.quotes)]
    inline = view.evidence == "inline"
    per_option_point = sum(len(p.quotes) for p in shown) if inline else len(shown)
    assert len(view.notes) == per_option_point + len(outside)
    assert [note.number for note in view.notes] == list(range(1, len(view.notes) + 1))
    quoted = {  # where the document shows its quotations, it counts them
        "inline": [*shown, *outside],
        "annex": view.annex_points(),
        "none": [],
    }[view.evidence]
    assert view.quotations == sum(len(p.quotes) for p in quoted)
    cited = set()
    for note in view.notes:
        for reference in note.references:
            source = reference.source.source.id
            assert reference.first == (source not in cited), (note.number, source)
            assert view.cite(source) is reference.source
            cited.add(source)


def test_what_each_shipped_audience_is_shown(shipped: Content) -> None:
    views = {a: resolve_view(shipped, "taliban-policy", a) for a in shipped.audiences}
    principal = views["principal"]
    assert principal.options
    assert all(o.groups == [] for o in principal.options), "the options in brief"
    claims_in = {"recommendation": _items(principal), "background": principal.background}
    in_reading_order = [c for section in principal.sections for c in claims_in.get(section, [])]
    assert [n.number for n in principal.notes] == [
        n.number for c in in_reading_order for n in c.notes
    ], "options in brief: no points, so the notes are the first steps' and the background's"
    items = [*principal.actions, *principal.benchmarks, *principal.resources]
    cited_items = [item for item in items if item.item.evidence]
    assert len(principal.notes) == len(cited_items) + len(principal.background)
    assert cited_items, "the first steps cite"
    assert views["principal"].recommended is not None
    congress = views["congressional"]
    assert congress.recommended is None
    assert all(o.groups == [] and not o.full for o in congress.options), (
        "the options in brief, beside the key facts and issues on two pages"
    )
    cited_issues = [p for p in congress.issues_for_congress if p.quotes]
    assert cited_issues, "issues for Congress cite"
    issues = shipped.memos["taliban-policy"].issues_for_congress
    assert [p.point for p in congress.issues_for_congress if not p.quotes] == [
        issue for issue in issues if issue.judgment and issue.shown_to("congressional")
    ], "an issue without a note is the office's own, said so"
    assert len(congress.notes) == len(congress.key_facts) + len(cited_issues)
    staff, public = views["staff"], views["public"]
    assert staff.evidence == public.evidence == "annex", "claims cite, Tab A quotes"
    assert 0 < len(public.notes) < len(staff.notes), "one note per claim in a shorter body"
