"""briefing.claims: the memo's claims walked once, what an audience is shown of them, and
the sources its document cites.

`claims()` without a selection gives every claim in the memo's order (the annex, the review
edition, context); with one it gives what the audience's document shows, as it is read,
which the built pages must bear out: the notes are called in that order, and the sources
list is what the notes and links cite, in order of first citation.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from pathlib import Path
from typing import get_args

import pytest
import yaml
from bs4 import BeautifulSoup
from small_content import MEMO, audience, content, memo, point, position

from briefing import BuildReport, Project, build
from briefing.claims import (
    MEMO_CLAIM_LISTS,
    POINT_LISTS,
    STANCES,
    ClaimAt,
    claims,
    select,
    sources_cited,
)
from briefing.content import POINT_KINDS, Content
from briefing.models import (
    Action,
    Audience,
    Benchmark,
    Evidence,
    IssueForCongress,
    KeyFact,
    Memo,
    Recommendation,
    Section,
    SetAside,
)
from briefing.resolve import resolve_view

SHIPPED = "taliban-policy"
AUDIENCES = ["principal", "staff", "congressional", "public"]


def _texts(listed: Iterable[ClaimAt]) -> list[str]:
    return [claim.point.text for claim in listed]


def _quoting(source: str) -> list[Evidence]:
    return [Evidence(source=source, quote=f"as {source} says")]


def _every_list(the_memo: Memo) -> Memo:
    """The memo with a claim in each of its own lists, and an item that is the office's
    judgment (no claim: it cites nothing)."""
    return the_memo.model_copy(
        update={
            "recommendation": Recommendation(
                option="x",
                text="Do it.",
                actions=[Action(text="act", owner="Office", evidence=_quoting("a"))],
                benchmarks=[Benchmark(text="watch", judgment=True)],
            ),
            "key_facts": [KeyFact(text="fact", evidence=_quoting("b"))],
            "issues_for_congress": [
                IssueForCongress(topic="Oversight", text="ask", judgment=True),
                IssueForCongress(topic="Funds", text="fund", evidence=_quoting("c")),
            ],
            "not_recommended": [SetAside(title="Leave", text="leave", evidence=_quoting("d"))],
        }
    )


X = position(
    "x",
    advocates=("e",),
    recommendations=[point("step", "a")],
    pros=[point("pro 1", "b"), point("pro 2", "c")],
    stances={"other": point("off the memo", "d"), "q": point("x on q", "c")},
)
Y = position("y", pros=[point("y pro", "e")], stances={"q": point("y on q", "a")})


def _content(*profiles: tuple[str, Audience]) -> Content:
    """Options x and y on question q, the memo with a claim in each of its lists."""
    the_content = content(memo("x", "y", questions=("q",)), {"x": X, "y": Y}, dict(profiles))
    the_content.memos[MEMO] = _every_list(the_content.memos[MEMO])
    return the_content


# the table


def test_each_list_is_a_field_of_the_model_shown_by_a_section() -> None:
    holders = {None: Memo, "recommendation": Recommendation}
    for among in MEMO_CLAIM_LISTS:
        assert among.field in holders[among.on].model_fields, among
        assert among.section in get_args(Section), among
    assert [among.kind for among in POINT_LISTS] == list(POINT_KINDS)
    assert STANCES.section == "disagreements"


# claims(), the whole memo


def test_every_claim_in_the_memo_s_order_with_its_place() -> None:
    the_content = _content()
    walked = list(claims(the_content.memos[MEMO], the_content.positions))
    assert _texts(walked) == [
        "act", "context", "fact", "ask", "fund",
        "step", "pro 1", "pro 2", "x con", "x on q", "off the memo",
        "y pro", "y con", "y on q",
        "leave",
    ], "a judgment item is no claim; stances on the memo's questions first"  # fmt: skip
    places = {claim.point.text: claim.place for claim in walked}
    assert places["act"].anchor == "claim-recommendation-actions-1"
    assert places["act"].path == ("recommendation", "actions", 0)
    assert places["fund"].anchor == "claim-issues_for_congress-2"
    assert places["fund"].evidence_anchor == "evidence-issues_for_congress-2"
    assert places["pro 2"].anchor == "claim-x-pros-2"
    assert places["pro 2"].path == ("pros", 1)
    assert places["x on q"].anchor == "stance-x-q"
    assert places["x on q"].evidence_anchor == "evidence-stance-x-q"
    assert places["x on q"].path == ("stances", "q")
    assert places["leave"].anchor == "claim-not_recommended-1"


# select, and claims() as an audience reads them


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
    assert shown.lists["background"] == [], "a section the profile does not list shows nothing"

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
    assert public.points["x"]["pros"][0].place.anchor == "claim-x-pros-2", "counted in the file"
    assert _texts(staff.points["x"]["pros"]) == ["internal"]
    assert _texts(public.lists["background"]) == ["ctx"]
    assert _texts(staff.lists["background"]) == ["ctx", "hush"]
    assert public.stances == {"x": {}}
    assert {option: _texts(s.values()) for option, s in staff.stances.items()} == {
        "x": ["stance"], "y": [],
    }, "a stance on a question the memo does not ask is not shown"  # fmt: skip


def test_as_read_the_profile_s_sections_in_its_order_stances_question_by_question() -> None:
    profile = audience(
        "not_recommended", "options", "disagreements", "issues_for_congress", "recommendation",
        max_points=1,
    )  # fmt: skip
    the_content = _content(("staff", profile))
    the_memo = the_content.memos[MEMO]
    shown = select(the_content, the_memo, "staff", profile)
    assert _texts(claims(the_memo, the_content.positions, shown)) == [
        "leave",
        "step", "pro 1", "x con", "y pro", "y con",
        "x on q", "y on q",
        "ask", "fund",
        "act",
    ], "max_points keeps pro 2 out of the body; no background or key facts section"  # fmt: skip


# sources_cited: the reference list


def test_sources_cited_in_order_of_first_citation() -> None:
    """The body as it is read, an option's advocates where its section opens, then the
    sources only the annex quotes."""
    profile = audience("background", "disagreements", "options", max_points=1)
    the_content = _content(("staff", profile))
    the_memo = the_content.memos[MEMO]
    shown = select(the_content, the_memo, "staff", profile)
    # background: a; stances: c (x on q), a; x: e (advocate), a (step), b (pro 1), a;
    # y: e, a; the annex alone: c (pro 2).
    assert sources_cited(the_memo, the_content.positions, shown) == ["a", "c", "e", "b"]
    in_brief = audience("background", "options", evidence="none")
    shown = select(the_content, the_memo, "brief", in_brief)
    assert sources_cited(the_memo, the_content.positions, shown) == ["a", "b", "c", "e"], (
        "options in brief name no advocates; y's pro quotes e"
    )


def test_sources_cited_leave_out_what_the_document_does_not_show() -> None:
    profile = audience("key_facts", "options", pros=False, cons=False, recommendations=False)
    the_content = _content(("brief", profile))
    the_memo = the_content.memos[MEMO]
    shown = select(the_content, the_memo, "brief", profile)
    assert sources_cited(the_memo, the_content.positions, shown) == ["b", "e"], (
        "the key fact's b, then the advocate of x shown in full; no background, no stances"
    )


# the built pages bear the walk out


def _soup(project: Project, audience_id: str) -> BeautifulSoup:
    html = (project.output / SHIPPED / f"{audience_id}.html").read_text(encoding="utf-8")
    return BeautifulSoup(html, "html.parser")


def _full_references(project: Project) -> dict[str, str]:
    """Each source's full reference as the sources lists of the built documents give it
    (without what the list adds after it), to recognise where a note cites it in full."""
    found: dict[str, str] = {}
    for audience_id in AUDIENCES:
        for listed in _soup(project, audience_id).select("#sources li"):
            item = copy.copy(listed)
            for extra in item.select(".cited-by, .note"):
                extra.decompose()
            found[item["id"].removeprefix("source-")] = _words(item.get_text(" "))
    return found


def _words(text: str) -> str:
    return " ".join(text.split()).rstrip(".")


def _cited_in_order(soup: BeautifulSoup, full: dict[str, str]) -> list[str]:
    """The sources the page cites, in the order its reader meets them: a link to a source
    (an advocate, a quotation's source), or a note call whose note gives a source in full
    (a note gives each source in full the first time the notes cite it)."""
    notes = {item["id"]: _words(item.get_text(" ")) for item in soup.select("#notes li")}
    order: dict[str, None] = {}
    for link in soup.select("main a[href]"):
        if link.find_parent(id="notes") or link.find_parent(id="sources"):
            continue
        target = link["href"].removeprefix("#")
        if target.startswith("source-"):
            order.setdefault(target.removeprefix("source-"), None)
        elif link.find_parent("sup", class_="note-call"):
            note = notes[target]
            given = sorted((note.find(text), source) for source, text in full.items())
            order.update((source, None) for at, source in given if at >= 0)
    return list(order)


@pytest.mark.parametrize("audience_id", AUDIENCES)
def test_the_sources_list_is_what_the_document_cites_in_order_of_first_citation(
    default_build: tuple[Project, BuildReport], audience_id: str
) -> None:
    project, report = default_build
    soup = _soup(project, audience_id)
    cited = _cited_in_order(soup, _full_references(project))
    listed = [item["id"].removeprefix("source-") for item in soup.select("#sources li")]
    view = resolve_view(report.checked.content, SHIPPED, audience_id)
    assert [source.source.id for source in view.sources] == cited, "the view's references"
    if "sources" in view.sections:
        assert listed == cited
    else:
        assert listed == [], "no sources section, but its notes and its age line read them"
    assert cited, "every shipped document cites"


def test_the_congressional_brief_lists_only_the_sources_its_notes_cite(
    default_build: tuple[Project, BuildReport], project_copy: Path, tmp_path: Path
) -> None:
    """The shipped brief may cite every source the memo does, so one it cites only in its own
    key facts and issues is withheld from it there (`except:`); the staff memo still cites it."""
    shipped, report = default_build
    the_content = report.checked.content
    the_memo = the_content.memos[SHIPPED]
    shown = select(the_content, the_memo, "congressional", the_content.audiences["congressional"])
    own = {"key_facts", "issues_for_congress"}  # the lists only the brief shows
    where: dict[str, set[str]] = {}
    for claim in claims(the_memo, the_content.positions, shown):
        for evidence in claim.point.evidence:
            where.setdefault(evidence.source, set()).add(claim.place.among.field)
    withheld = next(source for source, lists in where.items() if lists <= own)
    assert _soup(shipped, "staff").select(f"#source-{withheld}"), "the staff memo cites it"

    memo_file = project_copy / "memos" / f"{SHIPPED}.yaml"
    data = yaml.safe_load(memo_file.read_text(encoding="utf-8"))
    for item in (item for field in own for item in data.get(field, [])):
        if any(evidence["source"] == withheld for evidence in item.get("evidence", [])):
            item["except"] = [*item.get("except", []), "congressional"]
    memo_file.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    project = Project.at(project_copy, output=tmp_path / "out")
    build(project, audiences=["congressional"], formats=["html"], jobs=1)

    soup = _soup(project, "congressional")
    listed = [item["id"].removeprefix("source-") for item in soup.select("#sources li")]
    assert withheld not in listed, "no note or link of the brief cites it"
    assert listed == _cited_in_order(soup, _full_references(shipped)), "and it lists the rest"
    undated = len([source for source in listed if not the_content.sources[source].date])
    age = " ".join(soup.select_one(".evidence-age").get_text().split())
    assert f"{undated} of {len(listed)} cited sources give no date" in age


@pytest.mark.parametrize("audience_id", AUDIENCES)
def test_the_notes_are_called_in_the_order_the_walk_reads_the_claims(
    default_build: tuple[Project, BuildReport], audience_id: str
) -> None:
    """Each claim the walk gives, found by its id in the page, holds the next note calls."""
    project, report = default_build
    the_content = report.checked.content
    the_memo = the_content.memos[SHIPPED]
    soup = _soup(project, audience_id)
    shown = select(the_content, the_memo, audience_id, the_content.audiences[audience_id])
    called: list[int] = []
    for claim in claims(the_memo, the_content.positions, shown):
        element = soup.find(id=claim.place.anchor)
        assert element is not None, claim.place.anchor
        called += [int(call.get_text()) for call in element.select("sup.note-call a")]
    calls = soup.select("main sup.note-call a")
    assert called == list(range(1, len(calls) + 1))
    assert len(called) == len(soup.select("#notes li")) > 0
