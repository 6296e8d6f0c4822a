"""The congressional brief on the Congressional Research Service model, as a reader meets it:
a title block naming the analyst and the date updated, a summary, key facts each citing its
source, the options, Issues for Congress, no recommendation, on two pages of legible type."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import yaml
from bs4 import BeautifulSoup, Tag
from click.testing import CliRunner
from conftest import MEMO, ROOT, BuiltPdfs
from pdfwords import runs

from briefing import BuildReport, Project, build
from briefing.cli import cli
from briefing.models import Analyst
from briefing.phrases import builtin_phrases
from briefing.pipeline import check
from briefing.resolve import resolve_view

PROFILE = ROOT / "content" / "audiences" / "congressional.yaml"
MEMO_FILE = ROOT / "content" / "memos" / f"{MEMO}.yaml"
PHRASES = builtin_phrases()
"""The built-in words, which the shipped templates print."""
FIRST_FACT = "from an initial $4.6 billion"
"""Words of the first key fact, which only the congressional brief shows."""


def _soup(project: Project, audience: str = "congressional") -> BeautifulSoup:
    html = (project.output / MEMO / f"{audience}.html").read_text(encoding="utf-8")
    return BeautifulSoup(html, "html.parser")


def _text(pdfs: BuiltPdfs) -> str:
    return re.sub(r"\s+", " ", " ".join(pdfs.pages("congressional")))


def test_the_brief_reads_in_the_crs_order(
    default_build: tuple[Project, BuildReport], default_pdfs: BuiltPdfs
) -> None:
    project, report = default_build
    content = report.checked.content
    profile = content.audiences["congressional"]
    view = resolve_view(content, MEMO, "congressional")
    soup = _soup(project)
    main_ = soup.find("main")
    assert isinstance(main_, Tag)
    order = [s["id"] for s in main_.find_all("section", recursive=False)]
    assert order == [*(name.replace("_", "-") for name in profile.sections), "notes"]
    heading = soup.select_one(".crs-heading")
    assert heading is not None
    h1 = heading.find("h1")
    assert h1 is not None
    assert h1.get_text(strip=True) == view.memo.title
    updated = PHRASES.heading["updated"].format(date=PHRASES.written(view.memo.date))
    assert heading.select_one(".crs-updated").get_text(" ", strip=True) == updated  # type: ignore[union-attr]
    # The analyst the memo names (over the profile's placeholder), as an example of the form.
    analyst = view.analyst
    assert analyst is not None
    assert analyst.name
    assert analyst.title
    assert analyst.illustrative
    author = heading.select_one(".crs-author")
    assert author is not None
    assert re.sub(r"\s+", " ", author.get_text()).strip() == (
        f"{analyst.name}, {analyst.title}"
        + (f" \u00b7 {analyst.contact}" if analyst.contact else "")
        + f" {PHRASES.heading['illustrative']}"
    )
    # On paper, in the same order, the title block first.
    text = _text(default_pdfs)
    places = [
        text.index(words)
        for words in (
            profile.memo_type,
            updated,
            analyst.name,
            *(PHRASES.sections[name].upper() for name in profile.sections),
        )
    ]
    assert places == sorted(places)
    topics = [h.get_text(strip=True) for h in soup.select("#issues-for-congress h3")]
    memo_topics = [issue.topic for issue in content.memos[MEMO].issues_for_congress]
    assert topics == list(dict.fromkeys(memo_topics)), "in the order the memo first gives them"
    assert len(topics) > 1


def test_the_title_block_gives_the_analysts_contact_where_there_is_one(
    project_copy: Path, edit: Callable[[Path, str, str], None], tmp_path: Path
) -> None:
    memo = project_copy / "memos" / f"{MEMO}.yaml"
    edit(memo, "\nanalyst:\n", "\nanalyst:\n  contact: analyst@example.org\n")
    report = build(
        Project.at(project_copy, output=tmp_path), audiences=["congressional"], formats=["html"]
    )
    assert not report.failures
    view = resolve_view(report.checked.content, MEMO, "congressional")
    assert view.analyst is not None
    author = _soup(Project.at(project_copy, output=tmp_path)).select_one(".crs-author")
    assert author is not None
    assert re.sub(r"\s+", " ", author.get_text()).strip() == (
        f"{view.analyst.name}, {view.analyst.title} \u00b7 analyst@example.org "
        f"{PHRASES.heading['illustrative']}"
    )


def test_each_key_fact_cites_the_source_that_states_it(
    default_build: tuple[Project, BuildReport],
) -> None:
    project, _ = default_build
    content = check(project).content
    view = resolve_view(content, MEMO, "congressional")
    assert len(view.key_facts) == len(content.memos[MEMO].key_facts) >= 3
    endnotes = {
        li["id"]: li.get_text(" ", strip=True) for li in _soup(project).select(".endnotes li")
    }
    items = _soup(project).select("#key-facts li")
    assert len(items) == len(view.key_facts)
    for item, fact in zip(items, view.key_facts, strict=True):
        calls = item.select("sup.note-call a")
        assert len(calls) == 1, item.get_text()
        note = endnotes[str(calls[0]["href"]).removeprefix("#")]
        for quote in fact.quotes:
            source = view.cite(quote.evidence.source)
            assert source.short_title in note or source.source.title in note, (note, source)
        # Every amount and share the fact states is in its quotations, as the source gives it.
        quoted = " ".join(quote.text for quote in fact.quotes)
        for figure in re.findall(r"\$?\d+\.\d+|\$\d+", fact.text):
            assert figure in quoted, figure


def test_the_brief_fits_its_two_page_budget(
    default_build: tuple[Project, BuildReport], default_pdfs: BuiltPdfs
) -> None:
    _, report = default_build
    assert yaml.safe_load(PROFILE.read_text(encoding="utf-8"))["page_budget"] == 2
    assert report.pages[f"{MEMO}/congressional.pdf"].body == 2
    assert len(default_pdfs.pages("congressional")) == 2


def test_a_brief_over_two_pages_fails_and_keeps_the_old_pdf(
    project_copy: Path, edit: Callable[[Path, str, str], None], tmp_path: Path
) -> None:
    project = Project.at(project_copy, output=tmp_path / "out")
    first = build(project, audiences=["congressional"], formats=["pdf"])
    assert not first.failures
    pdf = tmp_path / "out" / MEMO / "congressional.pdf"
    before = pdf.read_bytes()
    fact = "key_facts:\n  - text: >-\n"  # the first key fact, repeated until it overflows
    memo = project_copy / "memos" / f"{MEMO}.yaml"
    text = memo.read_text(encoding="utf-8")
    start = text.index(fact) + len("key_facts:\n")
    block = text[start : text.index("  - text:", start + len(fact))]
    edit(memo, fact, "key_facts:\n" + block * 12 + fact.removeprefix("key_facts:\n"))
    report = build(project, audiences=["congressional"], formats=["pdf"])
    assert [f.code for f in report.failures] == ["B404"]
    message = report.failures[0].message
    assert "audience 'congressional'" in message
    assert "its budget is 2" in message
    assert pdf.read_bytes() == before, "the previous brief is kept"


def test_body_type_is_eleven_points_and_note_calls_are_legible(
    default_build: tuple[Project, BuildReport],
) -> None:
    project, _ = default_build
    found = runs(project.output / MEMO / "congressional.pdf")
    characters: Counter[float] = Counter()
    for run in found:
        characters[run.size] += len(run.text)
    assert characters.most_common(1)[0][0] == 11.0, characters
    calls = [r for r in found if re.fullmatch(r"\d+", r.text) and not r.artifact and r.size < 11]
    notes = resolve_view(check(project).content, MEMO, "congressional").notes
    assert len(calls) == len(notes) > 0, "every key fact and grounded issue has a call"
    assert min(call.size for call in calls) >= 7.5, sorted({c.size for c in calls})


def test_no_recommendation_and_no_decision_lines(
    default_build: tuple[Project, BuildReport], default_pdfs: BuiltPdfs
) -> None:
    project, _ = default_build
    text = _text(default_pdfs)
    for absent in ("Approve", "Disapprove", "RECOMMENDATION", "Recommended", "We recommend"):
        assert absent not in text, absent
    soup = _soup(project)
    assert soup.select("#recommendation, #decision, .decision-line, .tag") == []
    principal = _text_of(default_pdfs, "principal")
    assert "Approve" in principal, "the memo has a recommendation that the brief leaves out"


def _text_of(pdfs: BuiltPdfs, audience: str) -> str:
    return re.sub(r"\s+", " ", " ".join(pdfs.pages(audience)))


def _last_issue(text: str) -> tuple[int, int, int]:
    """Where the memo's last issue for Congress starts, where its `evidence:` list starts,
    and where the issue ends (offsets into the memo's text)."""
    begin = text.index("\nissues_for_congress:\n") + len("\nissues_for_congress:\n")
    after = re.search(r"^\S", text[begin:], re.MULTILINE)  # the next top-level key, if any
    end = begin + after.start() if after else len(text)
    start = text.rindex("\n  - topic: ", begin - 1, end) + 1
    return start, text.index("    evidence:\n", start, end), end


def test_issues_the_office_frames_are_marked_and_the_rest_cite(
    default_build: tuple[Project, BuildReport],
    project_copy: Path,
    tmp_path: Path,
) -> None:
    """Every shipped issue cites its sources, so none is marked and the key is not printed;
    an issue the office frames itself (`judgment: true`) is marked in words, has no call,
    and the mark is explained once below the list."""
    project, _ = default_build
    mark, key = PHRASES.marks["own_framing"], PHRASES.keys["framing"]
    shipped = _soup(project)
    shipped_items = shipped.select("#issues-for-congress li")
    memo = yaml.safe_load(MEMO_FILE.read_text(encoding="utf-8"))
    assert len(shipped_items) == len(memo["issues_for_congress"])
    assert not [i for i in memo["issues_for_congress"] if i.get("judgment")]
    for item in shipped_items:
        assert mark not in item.get_text()
        assert len(item.select("sup.note-call")) == 1, item.get_text()
    assert key not in shipped.get_text()
    # The office frames the last issue itself: no evidence, judgment: true.
    file = project_copy / "memos" / f"{MEMO}.yaml"
    text = file.read_text(encoding="utf-8")
    _, evidence, end = _last_issue(text)
    file.write_text(text[:evidence] + "    judgment: true\n" + text[end:], encoding="utf-8")
    report = build(
        Project.at(project_copy, output=tmp_path), audiences=["congressional"], formats=["html"]
    )
    assert not report.failures
    soup = _soup(Project.at(project_copy, output=tmp_path))
    items = soup.select("#issues-for-congress li")
    assert len(items) == len(shipped_items)
    last = " ".join(yaml.safe_load(text)["issues_for_congress"][-1]["text"].split()[:6])
    [framed] = [i for i in items if i.get_text(" ", strip=True).startswith(last)]
    assert framed.get_text(" ", strip=True).endswith(mark)
    assert framed.select("sup.note-call") == []
    for item in items:
        if item is not framed:
            assert mark not in item.get_text()
            assert len(item.select("sup.note-call")) == 1
    assert [p.get_text(strip=True) for p in soup.select("#issues-for-congress .framing-note")] == [
        key
    ]


def test_only_profiles_that_list_them_show_key_facts_and_issues(
    default_build: tuple[Project, BuildReport],
) -> None:
    project, _ = default_build
    assert FIRST_FACT in _soup(project, "congressional").get_text()
    for audience in ("principal", "staff", "public"):
        soup = _soup(project, audience)
        assert soup.select("#key-facts, #issues-for-congress, .crs-heading") == [], audience
        assert FIRST_FACT not in soup.get_text(), audience


def test_an_issue_with_neither_evidence_nor_judgment_is_an_error(project_copy: Path) -> None:
    memo = project_copy / "memos" / f"{MEMO}.yaml"
    text = memo.read_text(encoding="utf-8")
    start, evidence, end = _last_issue(text)
    memo.write_text(text[:evidence] + text[end:], encoding="utf-8")  # its evidence dropped
    result = CliRunner().invoke(cli, ["check", "--content", str(project_copy)])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if "[B240]" in line]
    assert len(lines) == 1, result.output
    line_number = text.count("\n", 0, start) + 1
    assert re.search(rf"taliban-policy\.yaml:{line_number}:\d+: \[B240\]", lines[0])
    assert "judgment: true" in result.output
    assert "Traceback" not in result.output


def test_the_memo_names_its_analyst_over_the_profile_field_by_field() -> None:
    office = Analyst(name="Analyst, Office", title="Analyst in X", contact="x@example.org")
    mine = Analyst(name="A. Writer")
    merged = mine.over(office)
    assert (merged.name, merged.title, merged.contact) == (
        "A. Writer",
        "Analyst in X",
        "x@example.org",
    )
    assert Analyst(contact="y@example.org").over(None).name is None


def test_a_key_fact_is_verified_like_every_claim(
    project_copy: Path, edit: Callable[[Path, str, str], None]
) -> None:
    memo = project_copy / "memos" / f"{MEMO}.yaml"
    edit(
        memo,
        "had received only 26.8 percent of the overall",
        "had received 36.8 percent of the overall",
    )
    result = CliRunner().invoke(cli, ["check", "--content", str(project_copy)])
    assert result.exit_code == 1
    wrong = next(
        n
        for n, line in enumerate(memo.read_text(encoding="utf-8").splitlines(), start=1)
        if "36.8 percent" in line
    )
    assert re.search(rf"taliban-policy\.yaml:{wrong}:\d+: \[B301\]", result.output), result.output


def test_a_key_fact_withheld_from_the_brief_is_not_shown(
    project_copy: Path, edit: Callable[[Path, str, str], None], tmp_path: Path
) -> None:
    memo = project_copy / "memos" / f"{MEMO}.yaml"
    edit(
        memo,
        "key_facts:\n  - text: >-\n",
        "key_facts:\n  - except: [congressional]\n    text: >-\n",
    )
    report = build(
        Project.at(project_copy, output=tmp_path), audiences=["congressional"], formats=["html"]
    )
    assert not report.failures
    html = (tmp_path / MEMO / "congressional.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    facts = yaml.safe_load(memo.read_text(encoding="utf-8"))["key_facts"]
    assert len(soup.select("#key-facts li")) == len(facts) - 1
    assert FIRST_FACT not in soup.get_text()
