"""briefing.formats: the registry of output formats that plan, pool, cache, cli and serve read.

Every registered format renders a memo as an audience sees it and says what the output was
made from; its name is what `plan` and the command line accept and the file's suffix.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing import Project, SelectionError, check
from briefing.content import Content
from briefing.formats import FORMAT_NAMES, FORMATS
from briefing.planning import plan
from briefing.resolve import resolve_view

ROOT = Path(__file__).resolve().parent.parent
SIGNATURES = {"html": b"<!DOCTYPE html>", "pdf": b"%PDF-", "docx": b"PK\x03\x04"}
"""How the formats this test knows begin; a new format is checked for the rest alone."""


@pytest.fixture(scope="module")
def shipped() -> tuple[Project, Content]:
    project = Project.at(ROOT / "content")
    return project, check(project).content


@pytest.mark.parametrize("name", FORMAT_NAMES)
def test_every_registered_format_renders_and_says_what_from(
    shipped: tuple[Project, Content], name: str
) -> None:
    project, content = shipped
    view = resolve_view(content, "taliban-policy", "principal")
    made = FORMATS[name].render(view, project)
    assert made.data.startswith(SIGNATURES.get(name, b"")), made.data[:40]
    assert len(made.data) > 1000
    if name in ("html", "pdf"):  # laid out from the audience's HTML template
        assert "principal.html.j2" in made.templates, "the audience's template"
        assert "base.html.j2" in made.templates, "and the frame it extends"
    else:  # built from the view alone: every template it names must exist
        assert all(project.template_file(t) for t in made.templates), made.templates
    if name == "pdf":
        assert "fonts/LiberationSerif-Regular.ttf" in made.assets, "fonts are fetched assets"


@pytest.mark.parametrize("name", FORMAT_NAMES)
def test_a_format_s_name_is_accepted_by_plan_and_names_the_files(
    shipped: tuple[Project, Content], name: str
) -> None:
    _, content = shipped
    outputs = plan(content, formats=[name])
    assert {(o.memo, o.audience) for o in outputs} == {
        (m, a) for m in content.memos for a in content.audiences
    }
    assert {o.format for o in outputs} == {name}
    assert all(o.relative.endswith(f"/{o.audience}.{name}") for o in outputs)


def test_plan_makes_every_format_unless_told_and_in_the_registry_s_order(
    shipped: tuple[Project, Content],
) -> None:
    _, content = shipped
    every = plan(content, audiences=["staff"])
    assert [o.format for o in every] == list(FORMAT_NAMES) == list(FORMATS)


def test_an_unknown_format_is_a_selection_error_naming_the_known_ones(
    shipped: tuple[Project, Content],
) -> None:
    _, content = shipped
    with pytest.raises(SelectionError) as refused:
        plan(content, formats=["html", "no-such-format"])
    known = ", ".join(sorted(FORMATS))
    assert f"unknown format 'no-such-format'; choose from: {known}" in str(refused.value)


def test_html_is_shown_live_and_pdf_is_the_slow_one() -> None:
    assert (FORMATS["html"].live, FORMATS["html"].slow) == (True, False)
    assert (FORMATS["pdf"].live, FORMATS["pdf"].slow) == (False, True)
    assert FORMATS["html"].media_type == "text/html; charset=utf-8"
    assert FORMATS["pdf"].media_type == "application/pdf"


def test_every_public_name_is_what_its_home_module_defines() -> None:
    """`from briefing import plan` is the function, even once the pipeline has imported the
    module that defines it (a submodule of the same name would shadow it)."""
    import importlib  # noqa: PLC0415
    import pkgutil  # noqa: PLC0415

    import briefing  # noqa: PLC0415

    for module in pkgutil.iter_modules(briefing.__path__):
        if module.name != "__main__":
            importlib.import_module(f"briefing.{module.name}")
    for name in briefing.__all__:
        exported = getattr(briefing, name)
        assert not isinstance(exported, type(briefing)), f"briefing.{name} is a module"
        assert exported.__name__ == name
