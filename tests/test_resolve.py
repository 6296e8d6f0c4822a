"""briefing.resolve: what an audience is shown of a memo, and how its notes are numbered.

`select` applies the profile (sections, switches, what each option shows, how many points);
`number_notes` numbers the notes in one pass in reading order, each source cited in full
the first time and short after; `resolve_view` puts them together for the templates.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from small_content import MEMO, audience, content, memo, point, position

from briefing import Project, check
from briefing.content import Content
from briefing.models import Point
from briefing.resolve import MemoView, Note, Place, SourceView, number_notes, resolve_view, select

ROOT = Path(__file__).resolve().parent.parent


def _texts(points: list[Point]) -> list[str]:
    return [p.text for p in points]


# select


def test_select_applies_the_sections_and_what_each_option_shows() -> None:
    x = position(
        "x",
        recommendations=[point("step", "a")],
        pros=[point("pro 1", "a"), point("pro 2", "b")],
        risks=[point("risk", "c")],
    )
    the_content = content(memo("x", "y", recommended="x"), {"x": x, "y": position("y")}, {})
    the_memo = the_content.memos[MEMO]
    brief = audience("options", "recommendation", recommendations=False, risks=False)
    shown = select(the_content, the_memo, "brief", brief)
    assert shown.sections == ["options", "recommendation"]
    assert [o.position for o in shown.options] == ["x", "y"]
    assert {kind: _texts(points) for kind, points in shown.points["x"].items()} == {
        "recommendations": [], "pros": ["pro 1", "pro 2"], "cons": ["x con"],
        "conditions": [], "risks": [],
    }  # fmt: skip
    assert shown.recommended == "x"

    one_each = audience("options", "decision", max_points=1)
    assert _texts(select(the_content, the_memo, "one", one_each).points["x"]["pros"]) == ["pro 1"]
    assert select(the_content, the_memo, "one", one_each).recommended == "x", "decision lines"

    neutral = audience("options", "sources")
    assert select(the_content, the_memo, "neutral", neutral).recommended is None


def test_select_drops_a_recommendation_section_the_memo_has_nothing_for() -> None:
    the_content = content(memo("x", "y"), {"x": position("x"), "y": position("y")}, {})
    profile = audience("bluf", "options", "recommendation", "sources")
    shown = select(the_content, the_content.memos[MEMO], "staff", profile)
    assert shown.sections == ["bluf", "options", "sources"]
    assert shown.recommended is None


def test_select_applies_the_switches_before_the_limit() -> None:
    x = position(
        "x",
        pros=[point("internal", "a", only=["staff"]), point("pro", "b"), point("pro 2", "b")],
        stances={"q": point("stance", "c", but=("public",)), "other": point("off-memo", "c")},
    )
    the_content = content(
        memo(
            "x",
            "y",
            questions=("q",),
            background=[point("ctx", "a"), point("hush", "b", but=("public",))],
            withheld={"y": ["public"]},
        ),
        {"x": x, "y": position("y")},
        {},
    )
    the_memo = the_content.memos[MEMO]
    profile = audience("background", "disagreements", "options", max_points=1)
    public = select(the_content, the_memo, "public", profile)
    staff = select(the_content, the_memo, "staff", profile)
    assert [o.position for o in public.options] == ["x"]
    assert [o.position for o in staff.options] == ["x", "y"]
    assert _texts(public.points["x"]["pros"]) == ["pro"], "the first pro the public may see"
    assert _texts(staff.points["x"]["pros"]) == ["internal"]
    assert _texts(public.background) == ["ctx"]
    assert _texts(staff.background) == ["ctx", "hush"]
    assert public.stances == {"x": {}}
    assert {option: _texts(list(s.values())) for option, s in staff.stances.items()} == {
        "x": ["stance"], "y": [],
    }, "a stance on a question the memo does not ask is not shown"  # fmt: skip


# number_notes


def _sources(content_: Content, ids: str) -> dict[str, SourceView]:
    return {s: SourceView(n, content_.sources[s], (), None) for n, s in enumerate(ids, start=1)}


def _references(notes: list[Note]) -> list[list[tuple[str, bool]]]:
    """Each note as its (source, in full?) references."""
    return [[(r.source.source.id, r.first) for r in note.references] for note in notes]


CITED: list[tuple[Place, Point]] = [
    (("background", 0), point("context", "a", "a", "b")),
    (("options", "x", "pros", 0), point("pro", "b", "c")),
    (("disagreements", "x", "q"), point("stance", "c")),
]
"""Three points in reading order: the background, an option's pro, a stance."""


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


def _in_reading_order(view: MemoView) -> list[list[Note]]:
    """The notes of each point shown, in the order of the memo's sections."""
    order = []
    for section in view.sections:
        if section == "recommendation":
            order += [p.notes for p in view.recommendation_claims()]
        elif section == "background":
            order += [p.notes for p in view.background]
        elif section == "key_facts":
            order += [p.notes for p in view.key_facts]
        elif section == "issues_for_congress":
            order += [p.notes for p in view.issues_for_congress]
        elif section == "options":
            order += [p.notes for o in view.options for g in o.groups for p in g.points]
        elif section == "not_recommended":
            order += [p.notes for p in view.not_recommended]
        elif section == "disagreements":
            order += [
                o.stances[q.id].notes
                for q in view.questions
                for o in view.options
                if q.id in o.stances
            ]
    return order


@pytest.mark.parametrize("audience_id", ["principal", "staff", "congressional", "public"])
def test_a_view_has_a_note_for_what_it_shows_and_no_other(
    shipped: Content, audience_id: str
) -> None:
    view = resolve_view(shipped, "taliban-policy", audience_id)
    shown = [p for o in view.options for g in o.groups for p in g.points]
    outside = [
        *view.recommendation_claims(),
        *view.background,
        *(s for o in view.options for s in o.stances.values()),
    ]
    outside += view.not_recommended
    outside += [*view.key_facts, *(p for p in view.issues_for_congress if p.quotes)]
    inline = view.evidence == "inline"
    per_option_point = sum(len(p.quotes) for p in shown) if inline else len(shown)
    assert len(view.notes) == per_option_point + len(outside)
    assert [note.number for note in view.notes] == list(range(1, len(view.notes) + 1))
    read = [note.number for notes in _in_reading_order(view) for note in notes]
    assert read == [note.number for note in view.notes], "numbered as the memo is read"
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
    assert [n.number for n in principal.notes] == [
        n.number for c in principal.recommendation_claims() for n in c.notes
    ], "options in brief: no points, so the notes are the first steps' alone"
    assert len(principal.notes) == len([a for a in principal.actions if a.item.evidence]) > 0
    assert views["principal"].recommended is not None
    congress = views["congressional"]
    assert congress.recommended is None
    assert all(o.groups == [] and not o.full for o in congress.options), (
        "the options in brief, beside the key facts and issues on two pages"
    )
    cited_issues = [p for p in congress.issues_for_congress if p.quotes]
    assert 0 < len(cited_issues) < len(congress.issues_for_congress), "some are the office's"
    assert len(congress.notes) == len(congress.key_facts) + len(cited_issues)
    staff, public = views["staff"], views["public"]
    assert staff.evidence == public.evidence == "annex", "claims cite, Tab A quotes"
    assert 0 < len(public.notes) < len(staff.notes), "one note per claim in a shorter body"
