"""briefing.formats: one registry of output formats, from which each edition (a memo, its
review, a redline) draws the formats it is made in.

Every registered format renders a memo as an audience sees it and says what the output was
made from; its name is what `plan` and the command line accept and the file's suffix. Each
command offers exactly the formats its edition makes, and every PDF, whatever the edition,
is made by one function from the edition's HTML.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from briefing import Project, SelectionError, check
from briefing.cli import cli
from briefing.content import Content
from briefing.context import read_context
from briefing.formats import FORMATS, MEMO, REDLINE, REVIEW, Edition
from briefing.made import HtmlPage, Made
from briefing.pipeline import Checked
from briefing.planning import plan
from briefing.redline import compare_views
from briefing.resolve import resolve_view
from briefing.review import review_memo

ROOT = Path(__file__).resolve().parent.parent
MEMO_ID = "taliban-policy"
SIGNATURES = {"html": b"<!DOCTYPE html>", "pdf": b"%PDF-", "docx": b"PK\x03\x04"}
"""How the formats this test knows begin; a new format is checked for the rest alone."""


@pytest.fixture(scope="module")
def shipped() -> tuple[Project, Checked]:
    project = Project.at(ROOT / "content")
    return project, check(project)


@pytest.fixture(scope="module")
def content(shipped: tuple[Project, Checked]) -> Content:
    return shipped[1].content


@pytest.mark.parametrize("name", MEMO.names)
def test_every_registered_format_renders_and_says_what_from(
    shipped: tuple[Project, Checked], content: Content, name: str
) -> None:
    project, _ = shipped
    view = resolve_view(content, MEMO_ID, "principal")
    made = MEMO.render(name, view, project)
    assert made.data.startswith(SIGNATURES.get(name, b"")), made.data[:40]
    assert len(made.data) > 1000
    if name in ("html", "pdf"):  # laid out from the audience's HTML template
        assert "principal.html.j2" in made.templates, "the audience's template"
        assert "base.html.j2" in made.templates, "and the frame it extends"
    else:  # built from the view alone: every template it names must exist
        assert all(project.template_file(t) for t in made.templates), made.templates
    if name == "pdf":
        assert "fonts/LiberationSerif-Regular.ttf" in made.assets, "fonts are fetched assets"


@pytest.mark.parametrize("name", MEMO.names)
def test_a_format_s_name_is_accepted_by_plan_and_names_the_files(
    content: Content, name: str
) -> None:
    outputs = plan(content, formats=[name])
    assert {(o.memo, o.audience) for o in outputs} == {
        (m, a) for m in content.memos for a in content.audiences
    }
    assert {o.format for o in outputs} == {name}
    assert all(o.relative.endswith(f"/{o.audience}.{name}") for o in outputs)


def test_plan_makes_every_format_unless_told_and_in_the_registry_s_order(
    content: Content,
) -> None:
    every = plan(content, audiences=["staff"])
    assert [o.format for o in every] == list(MEMO.names) == list(FORMATS)


def test_an_unknown_format_is_a_selection_error_naming_the_known_ones(content: Content) -> None:
    with pytest.raises(SelectionError) as refused:
        plan(content, formats=["html", "no-such-format"])
    known = ", ".join(sorted(MEMO.names))
    assert f"unknown format 'no-such-format'; choose from: {known}" in str(refused.value)


def test_html_is_shown_live_and_pdf_is_the_slow_one() -> None:
    assert (FORMATS["html"].live, FORMATS["html"].slow) == (True, False)
    assert (FORMATS["pdf"].live, FORMATS["pdf"].slow) == (False, True)
    assert FORMATS["html"].media_type == "text/html; charset=utf-8"
    assert FORMATS["pdf"].media_type == "application/pdf"


def test_each_edition_is_made_in_the_registered_formats_that_can_make_it() -> None:
    """A format made from HTML makes every edition; the Word file makes the memo and the
    redline (with tracked changes), not the review."""
    assert MEMO.names == tuple(FORMATS)
    assert REDLINE.names == ("html", "pdf", "docx")
    assert REVIEW.names == ("html", "pdf")


def _format_choices(command: str) -> tuple[str, ...]:
    [option] = [p for p in cli.commands[command].params if p.name == "formats"]
    assert isinstance(option.type, click.Choice)
    return tuple(option.type.choices)


@pytest.mark.parametrize(
    ("command", "edition"),
    [("build", MEMO), ("watch", MEMO), ("review", REVIEW), ("diff", REDLINE)],
)
def test_each_command_offers_exactly_the_formats_its_edition_makes(
    command: str, edition: Edition[object]
) -> None:
    assert _format_choices(command) == edition.names


def test_a_format_an_edition_is_not_made_in_is_refused_by_the_command_line(
    tmp_path: Path,
) -> None:
    """`review --format docx` is a usage error from the option itself, before any work."""
    result = CliRunner().invoke(
        cli,
        ["review", "--content", str(ROOT / "content"), "--format", "docx", "--out", str(tmp_path)],
    )
    assert result.exit_code == 2, result.output
    assert "'docx' is not one of 'html', 'pdf'" in result.output
    assert not list(tmp_path.iterdir())


def test_an_edition_asked_for_a_format_it_is_not_made_in_names_the_ones_it_is(
    shipped: tuple[Project, Checked],
) -> None:
    project, _ = shipped
    with pytest.raises(SelectionError) as refused:
        REVIEW.render("docx", object(), project)
    assert "a review is not made in 'docx'; choose from: html, pdf" in str(refused.value)


def test_every_edition_s_pdf_is_made_by_one_function_from_its_html(
    shipped: tuple[Project, Checked], content: Content, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The memo, its review and a redline each reach `pdf.render_pdf` with their HTML laid
    out for print, the project's template folders (whose assets alone it may read), and
    their own name, date and page budget."""
    project, checked = shipped
    made: list[HtmlPage] = []

    def record(page: HtmlPage) -> Made:
        made.append(page)
        return Made(b"%PDF-", page.templates)

    monkeypatch.setattr("briefing.pdf.render_pdf", record)
    view = resolve_view(content, MEMO_ID, "principal")
    seeds = checked.verification.seeds
    context = read_context(content, seeds, checked.verification.found)
    review = review_memo(content, context, seeds, MEMO_ID, project.root)
    MEMO.render("pdf", view, project)
    REVIEW.render("pdf", review, project)
    REDLINE.render("pdf", compare_views(view, view, "before", "after"), project)

    assert [(p.memo, p.audience) for p in made] == [
        (MEMO_ID, "principal"),
        (MEMO_ID, "review"),
        (MEMO_ID, "principal"),
    ]
    assert all(p.template_dirs == tuple(project.template_dirs) for p in made)
    assert all(p.dated == content.memos[MEMO_ID].date for p in made)
    assert [p.page_budget for p in made] == [view.audience.page_budget, None, None]
    assert all("@font-face" in p.html for p in made), "laid out for print: the bundled fonts"


def test_watch_s_workers_can_import_every_module_the_registry_names() -> None:
    """A warm worker imports each format's `imports` before the first save: each must be a
    module that exists, and the PDF's must bring WeasyPrint."""
    for fmt in FORMATS.values():
        assert fmt.imports, fmt.name
        for module in fmt.imports:
            importlib.import_module(module)
    assert "weasyprint" in FORMATS["pdf"].imports


def test_every_public_name_is_what_its_home_module_defines() -> None:
    """`from briefing import plan` is the function, even once the pipeline has imported the
    module that defines it (a submodule of the same name would shadow it)."""
    import pkgutil  # noqa: PLC0415

    import briefing  # noqa: PLC0415

    for module in pkgutil.iter_modules(briefing.__path__):
        if module.name != "__main__":
            importlib.import_module(f"briefing.{module.name}")
    for name in briefing.__all__:
        exported = getattr(briefing, name)
        assert not isinstance(exported, type(briefing)), f"briefing.{name} is a module"
        assert exported.__name__ == name
