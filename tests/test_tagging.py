"""The tagged PDF (PDF/UA-1), read back from its structure tree and content streams.

Banners, running heads and page numbers are pagination artifacts, not read on every page;
every piece of marked content the tree keeps belongs to an element of the tree; header
cells carry the scope the HTML gives them; footnotes and annex entries are notes with
unique ids, each reached from its reference.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import BuiltPdfs
from pypdf.generic import ContentStream, DictionaryObject, IndirectObject

from briefing import BuildReport, Project
from briefing.phrases import builtin_phrases

MEMO = "taliban-policy"
AUDIENCES = ("principal", "staff", "congressional", "public")
PROFILES = Path(__file__).resolve().parent.parent / "content" / "audiences"


def _sections(audience: str) -> list[str]:
    """The sections the shipped profile of `audience` lists."""
    profile = yaml.safe_load((PROFILES / f"{audience}.yaml").read_text(encoding="utf-8"))
    return list(profile["sections"])


GRIDDED = tuple(audience for audience in AUDIENCES if "grid" in _sections(audience))
"""The audiences whose shipped profile shows the options grid, a table with both kinds of
header cell (the congressional brief has dropped it, and with it its only table)."""


def _soup(project: Project, audience: str) -> BeautifulSoup:
    return BeautifulSoup((project.output / MEMO / f"{audience}.html").read_text(), "html.parser")


@pytest.mark.parametrize("audience", AUDIENCES)
def test_page_margins_are_pagination_artifacts(
    default_build: tuple[Project, BuildReport], default_pdfs: BuiltPdfs, audience: str
) -> None:
    _, report = default_build
    memo = report.checked.content.memos[MEMO]
    profile = report.checked.content.audiences[audience]
    pages = len(default_pdfs.reader(audience).pages)
    margins = {f"Page {n} of {pages}" for n in range(1, pages + 1)} | {memo.short_subject}
    banner = "//".join(m for m in (profile.marking, profile.handling) if m)
    if banner:
        margins.add(banner)
    found = default_pdfs.runs(audience)
    artifacts = [run for run in found if run.artifact]
    annex_title = profile.annex_title or builtin_phrases().annex["title"]
    assert {run.text for run in artifacts} <= margins | {annex_title}
    assert [run for run in found if run.text in margins and not run.artifact] == []
    numbered = {run.page for run in artifacts if run.text.startswith("Page ")}
    assert numbered == set(range(1, pages + 1))
    if banner:
        banners = Counter(run.page for run in artifacts if run.text == banner)
        assert banners == dict.fromkeys(range(1, pages + 1), 2), "a banner top and bottom"


@pytest.mark.parametrize("audience", AUDIENCES)
def test_marked_content_belongs_to_the_tree(default_pdfs: BuiltPdfs, audience: str) -> None:
    reader = default_pdfs.reader(audience)
    numbers = reader.trailer["/Root"]["/StructTreeRoot"]["/ParentTree"]["/Nums"]
    owners = {int(numbers[i]): numbers[i + 1].get_object() for i in range(0, len(numbers), 2)}
    elements = {e.indirect_reference.idnum: e for e in default_pdfs.structure(audience)}
    for index, page in enumerate(reader.pages):
        content = ContentStream(page.get_contents(), reader)
        mcids = [
            int(operands[1]["/MCID"])
            for operands, operator in content.operations
            if operator == b"BDC"
            and isinstance(operands[1], DictionaryObject)
            and "/MCID" in operands[1]
        ]
        assert mcids == list(range(len(mcids))), f"page {index + 1}: ids not 0..n"
        table = owners[page["/StructParents"]]
        assert len(table) == len(mcids), f"page {index + 1}: parent tree and content disagree"
        for mcid, reference in enumerate(table):
            owner = elements.get(reference.idnum)
            assert owner is not None, f"page {index + 1}: id {mcid} owned outside the tree"
            kids = owner["/K"] if isinstance(owner["/K"], list) else [owner["/K"]]
            assert mcid in [int(k) for k in kids if isinstance(k, int)]


@pytest.mark.parametrize("audience", GRIDDED)
def test_header_cells_carry_their_scope(
    default_build: tuple[Project, BuildReport], default_pdfs: BuiltPdfs, audience: str
) -> None:
    project, _ = default_build
    soup = _soup(project, audience)
    html = Counter(th["scope"] for th in soup.select("main table th"))
    assert set(html) == {"col", "row"}
    assert {th["scope"] for th in soup.select("main thead th")} == {"col"}
    assert {th["scope"] for th in soup.select("main tbody th")} == {"row"}
    elements = default_pdfs.structure(audience)
    parents = {id(kid.get_object()): element for element in elements for kid in _kids(element)}
    scopes = Counter()
    for cell in (e for e in elements if e["/S"] == "/TH"):
        group = parents[id(parents[id(cell)])]["/S"]
        scope = cell["/A"]["/Scope"]
        assert scope == ("/Column" if group == "/THead" else "/Row"), group
        scopes[scope] += 1
    rows = scopes["/Row"]
    assert rows == html["row"], "every row header of the HTML, once"
    assert scopes["/Column"] >= html["col"], "every column header, repeated on split tables"


def _kids(element: DictionaryObject) -> list[IndirectObject]:
    kids = element.get("/K", [])
    return [
        k for k in (kids if isinstance(kids, list) else [kids]) if isinstance(k, IndirectObject)
    ]


@pytest.mark.parametrize("audience", AUDIENCES)
def test_footnotes_and_annex_entries_are_notes_reached_from_their_references(
    default_build: tuple[Project, BuildReport], default_pdfs: BuiltPdfs, audience: str
) -> None:
    project, _ = default_build
    soup = _soup(project, audience)
    notes = [e for e in default_pdfs.structure(audience) if e["/S"] == "/Note"]
    ids = [str(note["/ID"]) for note in notes]
    assert len(ids) == len(set(ids)), "note ids are unique"
    footnotes = [i for i in ids if i.startswith("note-")]
    assert footnotes == [f"note-{n}" for n in range(1, len(soup.select("#notes li")) + 1)]
    for note in (n for n in notes if str(n["/ID"]).startswith("note-")):
        label = note["/K"][0].get_object()
        assert label["/S"] == "/Lbl"
    entries = [i for i in ids if i.startswith("evidence-")]
    whole = [i for i in entries if not re.search(r"-continued(-\d+)?$", i)]
    assert whole == [a["id"] for a in soup.select("#annex article")]
    destinations = set()
    for page in default_pdfs.reader(audience).pages:
        for reference in page.get("/Annots", []):
            annotation = reference.get_object()
            if "/Dest" in annotation:
                destinations.add(str(annotation["/Dest"]))
    assert set(footnotes) <= destinations, "every footnote is the target of its call"
    cited = {a["id"] for a in soup.select("#annex article") if a.select_one(".annex-number")}
    assert cited <= destinations, "every cited annex entry is the target of its note"
