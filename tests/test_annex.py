"""Memos that read as memos: claims cite in one note, the evidence annex quotes.

Read back from the built PDFs (pypdf) and the HTML (Beautiful Soup): page budgets of the
body, every quotation in the annex and linked both ways, quotations in the source's words,
titles, advocates, short notes told apart, counts of what is shown, tables, and content
written before `show.evidence` took three values.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from conftest import BuiltPdfs
from pdfwords import flat

from briefing import BuildReport, ContentError, Project, build, check
from briefing.cli import cli
from briefing.content import Content, every_point
from briefing.markup import as_quoted
from briefing.models import Evidence, Source, Switchable
from briefing.phrases import builtin_phrases
from briefing.resolve import short_titles

MEMO = "taliban-policy"
AUDIENCES = ("principal", "staff", "congressional", "public")


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _html(project: Project, audience: str) -> BeautifulSoup:
    return _soup(project.output / MEMO / f"{audience}.html")


def _every_quotation(
    content: Content, *, recommendation: bool = True, audience: str | None = None
) -> list[Evidence]:
    """Every quotation the memo rests on: the recommendation's items (unless left out, for
    an audience shown no recommendation), background, each option's points and stances, and
    the options it sets aside; with an audience, only what is shown to it (a point or an
    option may be limited to some audiences or withheld from some)."""
    memo = content.memos[MEMO]

    def shown(item: Switchable) -> bool:
        return audience is None or item.shown_to(audience)

    quotes = []
    if recommendation and memo.recommendation:
        quotes += [e for _, _, item in memo.recommendation.items() for e in item.evidence]
    quotes += [e for point in memo.background if shown(point) for e in point.evidence]
    for option in filter(shown, memo.options):
        position = content.positions[option.position]
        points = [*every_point(position), *position.stances.values()]
        quotes += [e for point in points if shown(point) for e in point.evidence]
    return quotes + [e for point in memo.not_recommended if shown(point) for e in point.evidence]


def _squeezed(text: str) -> str:
    """Text without white space, so that a line break in the PDF cannot hide a passage."""
    return re.sub(r"\s+", "", flat(text))


def test_bodies_keep_their_budgets_and_the_recommendation_comes_early(
    default_build: tuple[Project, BuildReport], default_pdfs: BuiltPdfs
) -> None:
    _, report = default_build
    audiences = report.checked.content.audiences
    limits = {"staff": 12, "public": 8, "principal": 2, "congressional": 2}
    for audience, most in limits.items():
        title = audiences[audience].annex_title or builtin_phrases().annex["title"]
        body = default_pdfs.body_pages(audience, title)
        total = len(default_pdfs.reader(audience).pages)
        assert body <= most, f"{audience}: body of {body} pages"
        assert audiences[audience].page_budget == most
        pages = report.pages[f"{MEMO}/{audience}.pdf"]
        assert (pages.body, pages.body + pages.annex) == (body, total), audience
    for audience in ("staff", "public"):
        assert report.pages[f"{MEMO}/{audience}.pdf"].annex > 0, f"{audience} has no annex"
    # The decision memo puts its recommendation on page 1; the staff options paper sets out
    # background, options and grid before it.
    principal = dict(default_pdfs.outline("principal"))
    assert principal["Recommendation"] == 1
    staff = dict(default_pdfs.outline("staff"))
    assert staff["Options"] <= staff["How the options compare"] <= staff["Recommendation"]


def test_every_quotation_appears_in_the_annex_as_the_source_words_it(
    default_build: tuple[Project, BuildReport], default_pdfs: BuiltPdfs
) -> None:
    project, report = default_build
    content = report.checked.content
    memo = content.memos[MEMO]
    brief = [*memo.key_facts, *memo.issues_for_congress]  # the congressional brief's own
    brief_quotes = sum(len(point.evidence) for point in brief)
    assert len(_every_quotation(content)) + brief_quotes == report.checked.verification.verified
    for audience in ("staff", "public"):
        shown = "recommendation" in content.audiences[audience].sections
        quotes = _every_quotation(content, recommendation=shown, audience=audience)
        title = content.audiences[audience].annex_title or builtin_phrases().annex["title"]
        body = default_pdfs.body_pages(audience, title)
        annex = _squeezed(" ".join(default_pdfs.pages(audience)[body:]))
        missing = [e.quote for e in quotes if _squeezed(as_quoted(e.quote)) not in annex]
        assert missing == [], f"{audience}: {len(missing)} quotations not in the annex"
        soup = _html(project, audience)
        assert len(soup.select("#annex blockquote q")) == len(quotes)
    staff = " ".join(default_pdfs.pages("staff"))
    assert "officially recognize the Taliban regime" in flat(staff)


def test_no_markdown_link_syntax_in_any_pdf(
    default_build: tuple[Project, BuildReport], default_pdfs: BuiltPdfs
) -> None:
    _, report = default_build
    linked = [e.quote for e in _every_quotation(report.checked.content) if "](" in e.quote]
    assert linked, "the shipped quotes no longer carry link syntax: this test checks nothing"
    for audience in AUDIENCES:
        text = " ".join(default_pdfs.pages(audience))
        assert "](" not in text, audience
        assert "[recognize]" not in text, audience


def test_as_quoted_keeps_the_words_and_drops_the_markup() -> None:
    assert as_quoted("officially [recognize](#) the Taliban") == "officially recognize the Taliban"
    assert as_quoted("[one group](#) (including China)") == "one group (including China)"
    assert as_quoted("a regime.\u00b9 This [2] mode") == "a regime. This mode"
    assert as_quoted("kept *as* written  ") == "kept *as* written"


def test_each_claim_cites_once_and_leads_to_its_quotations(
    default_build: tuple[Project, BuildReport],
) -> None:
    project, _ = default_build
    for audience in ("staff", "public"):
        soup = _html(project, audience)
        claims = soup.select("main [id^=claim-], main [id^=stance-]")
        assert claims, audience
        for claim in claims:
            calls = claim.select("sup.note-call a")
            assert len(calls) == 1, f"{audience}: {claim['id']} has {len(calls)} notes"
            note = soup.find(id=calls[0]["href"][1:])
            assert note is not None
            [to_annex] = note.select("a.to-evidence")
            entry = soup.find(id=to_annex["href"][1:])
            assert entry is not None
            assert entry.name == "article"
            assert entry.select_one(".annex-number").get_text() == calls[0].get_text()
            assert entry.select_one("a.back")["href"] == f"#{claim['id']}"
            in_place = [q.get_text() for q in claim.select("details.quotations q")]
            if claim.name == "p":  # a paragraph cannot hold <details>: it follows it
                in_place = [q.get_text() for q in claim.find_next_sibling("details").select("q")]
            assert in_place == [q.get_text() for q in entry.select("blockquote q")]
            assert in_place, f"{claim['id']}: no quotations to open in place"
        assert len(soup.select("#notes li")) == len(claims)


def test_the_annex_completes_each_option_beyond_the_body(
    default_build: tuple[Project, BuildReport],
) -> None:
    project, report = default_build
    content = report.checked.content
    soup = _html(project, "staff")
    for option in content.memos[MEMO].options:
        position = content.positions[option.position]
        entries = soup.select(f"#annex article[id^=evidence-{option.position}-]")
        assert len(entries) == len(list(every_point(position)))
        argued = soup.select(f"#option-{option.position} li[id^=claim-]")
        assert 0 < len(argued) < len(entries)
        numbered = [e for e in entries if e.select_one(".annex-number")]
        assert len(numbered) == len(argued)


def test_outline_names_options_without_their_badge(
    default_build: tuple[Project, BuildReport], default_pdfs: BuiltPdfs
) -> None:
    _, report = default_build
    content = report.checked.content
    recommended = content.memos[MEMO].recommendation
    assert recommended is not None
    title = content.positions[recommended.option].title
    for audience in ("staff", "public"):
        titles = [t for t, _ in default_pdfs.outline(audience)]
        assert not [t for t in titles if t.endswith("Recommended")], audience
    number = [o.position for o in content.memos[MEMO].options].index(recommended.option) + 1
    assert f"Option {number}: {title}" in [t for t, _ in default_pdfs.outline("staff")]


def test_titles_name_the_audience_form(
    default_build: tuple[Project, BuildReport], default_pdfs: BuiltPdfs
) -> None:
    project, report = default_build
    content = report.checked.content
    memo = content.memos[MEMO]
    titles = set()
    for audience in AUDIENCES:
        expected = f"{content.audiences[audience].label}: {memo.title}"
        assert _html(project, audience).title.get_text() == expected
        metadata = default_pdfs.reader(audience).metadata
        assert metadata is not None
        assert metadata.title == expected
        titles.add(expected)
    assert len(titles) == len(AUDIENCES)
    assert "Decision memo" in " ".join(titles)
    assert "Staff options memo" in " ".join(titles)


def test_advocates_without_an_author_are_an_analysis_their_outlet_published(
    default_build: tuple[Project, BuildReport],
) -> None:
    """An unsigned article is one analysis, not the publishing institute's own position."""
    project, report = default_build
    content = report.checked.content
    assert content.sources["usip"].author is None
    assert content.positions["expanded-engagement"].advocates == ["usip", "malejacq"]
    soup = _html(project, "staff")
    argued = soup.select_one("#option-expanded-engagement .advocates").get_text()
    assert argued.startswith(
        "Argued by: an analysis published by the United States Institute of Peace"
    )
    assert "Malejacq" in argued
    everyone = " ".join(p.get_text() for p in soup.select(".advocates"))
    assert "not named" not in everyone


def test_short_notes_use_the_short_title_and_tell_sources_apart(
    default_build: tuple[Project, BuildReport],
) -> None:
    project, _ = default_build
    notes = [li.get_text() for li in _html(project, "staff").select("#notes li")]
    assert any(text.startswith("Weinbaum, \u201cRealistic Approach.\u201d") for text in notes)
    alike = [
        Source(id="a", title="Engaging with the Taliban: Leverage", author="R. Malejacq", seed="a"),
        Source(
            id="b", title="Engaging with the Taliban: Isolation", author="R. Malejacq", seed="b"
        ),
        Source(id="c", title="Engaging with the Taliban", author="A. Other", seed="c"),
        Source(id="d", title="Same Title", author="X Y", date="2021", seed="d"),
        Source(id="e", title="Same Title", author="Z Y", date="2023", seed="e"),
    ]
    assert short_titles(alike) == {
        "a": ("Engaging with the Taliban: Leverage", False),
        "b": ("Engaging with the Taliban: Isolation", False),
        "c": ("Engaging with the Taliban", False),
        "d": ("Same Title", True),
        "e": ("Same Title", True),
    }


def test_two_sources_alike_in_short_form_read_apart_in_the_memo(
    project_copy: Path, edit: Callable[[Path, str, str], None], tmp_path: Path
) -> None:
    (project_copy.parent / "seeds" / "malejacq-2.txt").write_text(
        "Engaging with the Taliban: a second essay. Isolation has run its course for now.\n",
        encoding="utf-8",
    )
    edit(
        project_copy / "sources.yaml",
        "  - id: sakhi\n",
        "  - id: malejacq2\n"
        '    title: "Engaging with the Taliban: A Second Essay"\n'
        "    author: Romain Malejacq\n"
        "    seed: malejacq-2.txt\n\n"
        "  - id: sakhi\n",
    )
    cited = (
        "    evidence:\n      - source: malejacq2\n"
        '        quote: "Isolation has run its course for now."\n'
    )
    edit(
        project_copy / "positions" / "status-quo.yaml",
        "cons:\n  - text: >-\n",
        f"cons:\n  - text: Isolation has run its course.\n{cited}"
        f"  - text: It has run its course for now.\n{cited}"
        "  - text: >-\n",
    )
    edit(
        project_copy / "sources.yaml",
        "    short_title: Engaging with the Taliban\n",
        "",
    )
    project = Project.at(project_copy, output=tmp_path)
    report = build(project, audiences=["staff"], formats=["html"])
    assert not report.failures
    notes = " ".join(
        li.get_text() for li in _soup(tmp_path / MEMO / "staff.html").select("#notes li")
    )
    assert "Malejacq, \u201cEngaging with the Taliban: A Second Essay.\u201d" in notes
    short = "Malejacq, \u201cEngaging with the Taliban: From Leverage and Isolation to Piecemeal"
    assert re.search(rf"(?<!Romain ){short}", notes)
    assert "Malejacq, \u201cEngaging with the Taliban.\u201d" not in notes


def test_counts_come_from_what_the_document_shows(
    default_build: tuple[Project, BuildReport],
    default_pdfs: BuiltPdfs,
    project_copy: Path,
    edit: Callable[[Path, str, str], None],
    tmp_path: Path,
) -> None:
    project, _ = default_build
    soup = _html(project, "public")
    shown = len(soup.select("#annex blockquote q"))
    methods = soup.select_one("#methods").get_text(" ", strip=True)
    assert f"Each of the {shown} quotations in the annex at the end was checked" in methods
    text = " ".join(default_pdfs.pages("public"))
    assert f"Each of the {shown} quotations in the annex at the end" in flat(text)
    profile = project_copy / "audiences" / "public.yaml"
    edit(profile, "  evidence: annex\n", "  evidence: inline\n")
    build(
        Project.at(project_copy, output=tmp_path / "inline"), audiences=["public"], formats=["html"]
    )
    inline = _soup(tmp_path / "inline" / MEMO / "public.html")
    under_points = len(inline.select("#options .evidence q"))
    assert under_points > 0
    assert (
        f"Each of the {under_points} quotations shown" in inline.select_one("#methods").get_text()
    )
    edit(profile, "  evidence: inline\n", "  evidence: none\n")
    build(
        Project.at(project_copy, output=tmp_path / "none"), audiences=["public"], formats=["html"]
    )
    cited = _soup(tmp_path / "none" / MEMO / "public.html")
    assert cited.select("q") == []
    assert not re.search(r"Each of the \d+", cited.select_one("#methods").get_text())


def test_small_tables_stay_whole_and_long_ones_repeat_their_header(
    default_build: tuple[Project, BuildReport], default_pdfs: BuiltPdfs
) -> None:
    _, report = default_build
    content = report.checked.content
    options = len(content.memos[MEMO].options)
    gridded = [a for a in AUDIENCES if "grid" in content.audiences[a].sections]
    assert gridded, "no shipped audience is shown the grid: this test checks less"
    for audience in AUDIENCES:
        tables = [e for e in default_pdfs.structure(audience) if e["/S"] == "/Table"]
        # The grid is the first table with a column per criterion (the coordination table,
        # which may come first, has three).
        columns = 1 + len(content.memos[MEMO].criteria)
        grids = [t for t in tables if _columns(t) == columns]
        if audience in gridded:
            assert grids, f"{audience}: no grid"
            rows = [e for e in _descendants(grids[0]) if e.get("/S") == "/TR"]
            assert len(rows) == options + 1, f"{audience}: the grid was split"
        else:
            assert grids == [], f"{audience}: a grid its profile does not show"
        for table in tables:
            first = table["/K"][0].get_object()
            assert first["/S"] == "/THead", f"{audience}: a table part without its header row"


def _columns(table: dict[str, object]) -> int:
    """How many cells the first row of a tagged table has."""
    first = next(e for e in _descendants(table) if e.get("/S") == "/TR")
    return len([e for e in _descendants(first) if e.get("/S") in ("/TH", "/TD")])


def _descendants(element: object) -> list[dict[str, object]]:
    found = []
    kids = element.get("/K", [])  # type: ignore[attr-defined]
    for kid in kids if isinstance(kids, list) else [kids]:
        node = kid.get_object() if hasattr(kid, "get_object") else kid
        if isinstance(node, dict) and "/S" in node:
            found += [node, *_descendants(node)]
    return found


def test_profiles_written_before_the_evidence_modes_still_build(
    project_copy: Path, edit: Callable[[Path, str, str], None], tmp_path: Path
) -> None:
    staff = project_copy / "audiences" / "staff.yaml"
    congressional = project_copy / "audiences" / "congressional.yaml"
    edit(staff, "  evidence: annex ", "  evidence: true ")
    edit(congressional, "  evidence: none\n", "  evidence: false\n")
    checked = check(Project.at(project_copy))
    warned = {(w.file.name, w.line): w for w in checked.content.warnings if w.code == "W201"}
    for file, mode in ((staff, "annex"), (congressional, "none")):
        line = next(n for n, t in enumerate(file.read_text().splitlines(), 1) if "evidence:" in t)
        assert (file.name, line) in warned, file.name
        assert f"read as 'evidence: {mode}'" in warned[(file.name, line)].message
        assert checked.content.audiences[file.stem].show.evidence == mode
    result = CliRunner().invoke(cli, ["check", "--content", str(project_copy)])
    assert result.exit_code == 0, result.output
    assert re.search(r"staff\.yaml:\d+:\d+: \[W201\]", result.output)
    report = build(Project.at(project_copy, output=tmp_path), audiences=["staff"], formats=["html"])
    assert not report.failures
    assert _soup(tmp_path / MEMO / "staff.html").select("#annex blockquote")


def test_max_points_per_kind_limits_the_body_and_not_the_annex(
    project_copy: Path, edit: Callable[[Path, str, str], None], tmp_path: Path
) -> None:
    staff = project_copy / "audiences" / "staff.yaml"
    edit(staff, "  max_points: {recommendations: 2", "  max_points: {recommendations: 0")
    build(Project.at(project_copy, output=tmp_path), audiences=["staff"], formats=["html"])
    soup = _soup(tmp_path / MEMO / "staff.html")
    assert soup.select("#options li[id*=-recommendations-]") == []
    assert soup.select("#annex article[id*=-recommendations-]")
    edit(staff, "  max_points: {recommendations: 0", "  max_points: {recommendation: 0")
    with pytest.raises(ContentError):
        check(Project.at(project_copy))
    text = staff.read_text().replace(
        "{recommendation: 0, pros: 2, cons: 2, conditions: 1, risks: 1}", "0"
    )
    staff.write_text(text)
    with pytest.raises(ContentError) as caught:
        check(Project.at(project_copy))
    assert [p.code for p in caught.value.problems] == ["B204"]


def test_a_draft_counts_the_unverified_quotation_only_its_annex_shows(
    project_copy: Path, tmp_path: Path, edit: Callable[[Path, str, str], None]
) -> None:
    """The public brief shows one pro per option in its body; a quotation behind the second,
    listed in its annex only, still counts in the DRAFT warning that stops it going out."""
    edit(
        project_copy / "positions" / "status-quo.yaml",
        "a form of symbolic support towards",
        "a form of symbolic solidarity towards",
    )
    out = tmp_path / "out"
    formats = ["--format", "html", "--format", "docx"]
    args = ["build", "--draft", "--content", str(project_copy), *formats, "--out", str(out)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1, result.output
    page = _soup(out / "taliban-policy" / "public.html")
    body = page.select_one("main")
    assert body is not None
    annex = page.select_one("#annex")
    assert annex is not None
    marked = [q for q in annex.select(".annex-quote") if "UNVERIFIED" in q.get_text()]
    assert len(marked) == 1
    assert "symbolic solidarity" not in page.select_one("#options").get_text(), "annex only"
    warning = " ".join(page.select_one(".draft-warning").get_text().split())
    assert warning.startswith("DRAFT: 1 quotation"), warning


@pytest.mark.parametrize("audience", ["staff", "public"])
def test_paper_prints_no_arrow_and_the_note_number_leads_back(
    default_build: tuple[Project, BuildReport], default_pdfs: BuiltPdfs, audience: str
) -> None:
    """An arrow means nothing on paper: the printed annex leads back from each entry's note
    number (a link in the PDF and the Word file); the screen keeps its arrow."""
    project, _ = default_build
    printed = " ".join(default_pdfs.pages(audience))
    assert "\u2191" not in printed
    word = docx.Document(str(project.output / MEMO / f"{audience}.docx"))
    assert "\u2191" not in "".join(p.text for p in word.paragraphs)
    page = (project.output / MEMO / f"{audience}.html").read_text(encoding="utf-8")
    assert "\u2191" in page or "&#8593;" in page
