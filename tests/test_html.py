"""The HTML is parsed, not grepped: structure, standalone-ness, and escaping of content."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup

from briefing import BuildReport, Project, build
from briefing.content import every_point
from briefing.formats import MEMO


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_every_option_is_present_and_linked_from_the_grid(
    default_build: tuple[Project, BuildReport],
) -> None:
    project, report = default_build
    content = report.checked.content
    gridded = [name for name, profile in content.audiences.items() if "grid" in profile.sections]
    assert gridded, "some audience shows the grid"
    for audience in content.audiences:
        soup = _soup(project.output / "taliban-policy" / f"{audience}.html")
        grid_links = {a["href"] for a in soup.select("table.grid tbody th a")}
        for option in content.memos["taliban-policy"].options:
            anchor = soup.find(id=f"option-{option.position}")
            assert anchor is not None, f"{option.position} missing for {audience}"
            assert content.positions[option.position].title in anchor.get_text()
            if audience in gridded:
                assert f"#option-{option.position}" in grid_links, audience
        if audience not in gridded:
            assert soup.select("table.grid") == [], f"{audience}'s profile lists no grid"


def test_html_is_standalone(default_build: tuple[Project, BuildReport]) -> None:
    project, report = default_build
    content = report.checked.content
    soup = _soup(project.output / "taliban-policy" / "staff.html")
    assert soup.find("link", rel="stylesheet") is None
    assert soup.find("script") is None
    assert not [tag for tag in soup.find_all(src=True)]
    assert "@page" in soup.style.get_text()
    assert soup.html["lang"] == "en"
    label, title = content.audiences["staff"].label, content.memos["taliban-policy"].title
    assert soup.title.get_text() == f"{label}: {title}"


def test_grid_has_header_cells_and_words_not_just_colour(
    default_build: tuple[Project, BuildReport],
) -> None:
    project, report = default_build
    memo = report.checked.content.memos["taliban-policy"]
    soup = _soup(project.output / "taliban-policy" / "principal.html")
    table = soup.select_one("table.grid")
    assert [th["scope"] for th in table.select("thead th")] == ["col"] * (len(memo.criteria) + 1)
    assert len(table.select("tbody th[scope=row]")) == len(memo.options)
    words = {cell.select_one(".rating").get_text(" ", strip=True) for cell in table.select("td")}
    assert words <= {"+ Advances", "\u00b1 Mixed", "\u2212 Harms", "? Unclear"}


def test_staff_annex_shows_every_quote_principal_shows_none(
    default_build: tuple[Project, BuildReport],
) -> None:
    project, report = default_build
    content = report.checked.content
    memo = content.memos["taliban-policy"]
    # The recommendation's items that cite (the staff see the recommendation), then the rest.
    items = memo.recommendation.items() if memo.recommendation else []
    points: list[Any] = [item for _, _, item in items if item.evidence]
    points += [point for point in memo.background if point.shown_to("staff")]
    for option in memo.options:
        if option.shown_to("staff"):
            position = content.positions[option.position]
            argued = [*every_point(position), *position.stances.values()]
            points += [point for point in argued if point.shown_to("staff")]
    points += [point for point in memo.not_recommended if point.shown_to("staff")]
    staff = _soup(project.output / "taliban-policy" / "staff.html")
    principal = _soup(project.output / "taliban-policy" / "principal.html")
    assert len(staff.select("#annex blockquote q")) == sum(len(p.evidence) for p in points)
    assert principal.select("q") == []
    assert len(staff.select("#sources li")) == len(content.sources)


def test_script_typed_into_content_comes_out_as_text(
    project_copy: Path, edit: Callable[[Path, str, str], None], tmp_path: Path
) -> None:
    position = project_copy / "positions" / "status-quo.yaml"
    edit(
        position,
        "summary: >-\n",
        "summary: >-\n  <script>alert('x')</script> [click](javascript:alert(1)) *kept*\n",
    )
    project = Project.at(project_copy, output=tmp_path / "out")
    report = build(project, formats=["html"], jobs=1)
    assert not report.failures
    assert len(report.written) == 4
    for output in report.written:
        soup = _soup(output.path(project.output))
        assert soup.find("script") is None
        assert "<script>alert(\u2018x\u2019)</script>" in soup.get_text()  # quotes curled
        assert not soup.select('a[href^="javascript"]')
        assert soup.select_one("#option-status-quo em").get_text() == "kept"


def test_index_lists_every_memo_audience_and_format(
    default_build: tuple[Project, BuildReport],
) -> None:
    project, report = default_build
    soup = _soup(project.output / "index.html")
    rows = soup.select("table.index tbody tr")
    audiences = report.checked.content.audiences
    assert len(rows) == len(audiences)
    hrefs = [a["href"] for a in soup.select("table.index a")]
    assert len(hrefs) == len(MEMO.names) * len(audiences)
    for href in hrefs:
        assert (project.output / href).is_file(), href
    labels = {row.th.contents[0].strip() for row in rows}
    assert labels == {profile.label for profile in audiences.values()}
