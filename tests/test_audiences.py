"""One content set, four readers: profiles, switches, overrides and scaffolds."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from conftest import BuiltPdfs
from pypdf import PdfReader

from briefing import BuildReport, ContentError, Project, build, check
from briefing.cli import cli

MEMO = "taliban-policy"


def _first_page_text(path: Path) -> str:
    return re.sub(r"\s+", " ", PdfReader(path).pages[0].extract_text())


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_every_audience_with_a_budget_keeps_it(
    default_build: tuple[Project, BuildReport], default_pdfs: BuiltPdfs
) -> None:
    _, report = default_build
    budgets = {
        name: profile.page_budget
        for name, profile in report.checked.content.audiences.items()
        if profile.page_budget
    }
    assert set(budgets) == {"principal", "congressional", "staff", "public"}
    for name, budget in budgets.items():
        pages = report.pages[f"{MEMO}/{name}.pdf"]
        assert pages.body <= budget, name
        assert len(default_pdfs.reader(name).pages) == (pages.body + pages.annex)


def test_the_four_readers_get_what_they_need(default_pdfs: BuiltPdfs) -> None:
    pages = {
        a: [re.sub(r"\s+", " ", page) for page in default_pdfs.pages(a)]
        for a in ("principal", "staff", "congressional", "public")
    }
    text = {a: " ".join(p) for a, p in pages.items()}
    # The principal decides: decision lines, the recommendation, pre-decisional handling.
    assert "Disapprove" in text["principal"]
    assert "RECOMMENDATION" in text["principal"]
    assert "PRE-DECISIONAL//DELIBERATIVE" in pages["principal"][0]
    # Congress gets a neutral brief: no recommendation, no decision lines, but citations.
    assert "CONGRESSIONAL BRIEF" in pages["congressional"][0]
    for absent in ("Approve", "RECOMMENDATION", "Recommended", "We recommend", "PRE-DECISIONAL"):
        assert absent not in text["congressional"], absent
    assert "Nilofar Sakhi, \u201cDo Not Engage the Taliban for Free,\u201d" in text["congressional"]
    # The public gets no internal markings, a methods note and full citations.
    for absent in ("UNCLASSIFIED", "PRE-DECISIONAL", "Approve", "Recommended"):
        assert absent not in text["public"], absent
    assert "How this brief was prepared" in text["public"]
    assert re.search(
        r"Each of the \d+ quotations in the annex at the end was checked", text["public"]
    )
    # The staff see the options argued and every quotation behind them, in Tab A.
    assert len(pages["staff"]) > 2 * len(pages["principal"])
    assert "WHERE THE OPTIONS DISAGREE" in text["staff"]


def test_switches_hide_an_item_from_exactly_the_named_audiences(
    project_copy: Path, edit: Callable[[Path, str, str], None], tmp_path: Path
) -> None:
    position = project_copy / "positions" / "status-quo.yaml"
    edit(
        position,
        "pros:\n  - text: >-\n",
        "pros:\n  - except: [public]\n    text: >-\n      WITHHELD-FROM-PUBLIC\n",
    )
    edit(
        position,
        "cons:\n  - text: >-\n",
        "cons:\n  - audiences: [staff]\n    text: >-\n      STAFF-ONLY\n",
    )
    project = Project.at(project_copy, output=tmp_path)
    report = build(project, formats=["html"], jobs=1)
    assert not report.failures
    seen = {o.audience: o.path(tmp_path).read_text(encoding="utf-8") for o in report.written}
    # The principal and congressional forms show the options in brief, without pros.
    assert {a for a, html in seen.items() if "WITHHELD-FROM-PUBLIC" in html} == {"staff"}
    assert {a for a, html in seen.items() if "STAFF-ONLY" in html} == {"staff"}


def test_a_withheld_option_disappears_and_the_rest_renumber(
    project_copy: Path, edit: Callable[[Path, str, str], None], tmp_path: Path
) -> None:
    memo = project_copy / "memos" / f"{MEMO}.yaml"
    edit(memo, "  - position: status-quo\n", "  - position: status-quo\n    except: [public]\n")
    report = build(
        Project.at(project_copy, output=tmp_path),
        audiences=["public", "staff"],
        formats=["html"],
        jobs=1,
    )
    public = _soup(tmp_path / MEMO / "public.html")
    staff = _soup(tmp_path / MEMO / "staff.html")
    assert public.find(id="option-status-quo") is None
    assert staff.find(id="option-status-quo") is not None
    assert public.select_one("table.grid tbody th").get_text().startswith("1. ")
    assert len(public.select("table.grid tbody tr")) == len(staff.select("table.grid tbody tr")) - 1
    assert not report.failures


def test_misspelt_audience_in_a_switch_names_file_and_line(
    project_copy: Path, edit: Callable[[Path, str, str], None]
) -> None:
    position = project_copy / "positions" / "status-quo.yaml"
    edit(position, "pros:\n  - text: >-\n", "pros:\n  - except: [pubic]\n    text: >-\n")
    with pytest.raises(ContentError) as caught:
        check(Project.at(project_copy))
    [problem] = caught.value.problems
    assert problem.file == position
    assert problem.line is not None
    assert "except: [pubic]" in position.read_text().splitlines()[problem.line - 1]
    assert problem.message == "unknown audience 'pubic'"
    assert problem.hint == "did you mean 'public'?"


def test_withholding_the_recommended_option_from_the_principal_is_an_error(
    project_copy: Path, edit: Callable[[Path, str, str], None]
) -> None:
    memo = project_copy / "memos" / f"{MEMO}.yaml"
    edit(
        memo,
        "  - position: expanded-engagement\n",
        "  - position: expanded-engagement\n    except: [principal]\n",
    )
    with pytest.raises(ContentError) as caught:
        check(Project.at(project_copy))
    assert [p.message for p in caught.value.problems] == [
        "the recommended option is withheld from audience 'principal', "
        "which shows the recommendation"
    ]


def test_overriding_one_partial_changes_that_part_and_nothing_else(
    project_copy: Path, tmp_path: Path
) -> None:
    runner = CliRunner()
    base = ["--content", str(project_copy)]
    mine = tmp_path / "mine"
    ejected = runner.invoke(cli, ["templates", "eject", "decision", *base, "--to", str(mine)])
    assert ejected.exit_code == 0, ejected.output
    partial = mine / "partials" / "decision.html.j2"
    said = partial.read_text()
    assert "t.labels.decide_by" in said, "the line's words are the phrasebook's"
    partial.write_text(said.replace("t.labels.decide_by", '"Decide by {date}."'))
    build_args = ["build", *base, "--audience", "principal", "--format", "html"]
    assert runner.invoke(cli, [*build_args, "--out", str(tmp_path / "a")]).exit_code == 0
    result = runner.invoke(
        cli, [*build_args, "--out", str(tmp_path / "b"), "--templates", str(mine)]
    )
    assert result.exit_code == 0, result.output
    before = (tmp_path / "a" / MEMO / "principal.html").read_text().splitlines()
    after = (tmp_path / "b" / MEMO / "principal.html").read_text().splitlines()
    changed = [
        line
        for line in difflib.unified_diff(before, after, lineterm="", n=0)
        if line[:1] in "+-" and line[:3] not in ("+++", "---")
    ]
    [removed, added] = changed
    assert removed.startswith("-")
    assert "Decision needed by" in removed
    assert added == "+" + removed[1:].replace("Decision needed by", "Decide by")


def test_eject_refuses_to_overwrite_and_rejects_unknown_names(
    project_copy: Path, tmp_path: Path
) -> None:
    runner = CliRunner()
    args = ["templates", "eject", "--content", str(project_copy), "--to", str(tmp_path)]
    assert runner.invoke(cli, [*args, "grid"]).exit_code == 0
    again = runner.invoke(cli, [*args, "grid"])
    assert again.exit_code == 1
    assert "already exists" in again.output
    unknown = runner.invoke(cli, [*args, "gird"])
    assert unknown.exit_code == 2
    assert "partials/grid.html.j2" in unknown.output


def test_eject_suggests_only_a_setting_check_accepts(project_copy: Path, tmp_path: Path) -> None:
    """Outside the project, `--templates` is the way; inside, the suggested `templates:`
    line, pasted into briefing.yaml, is one `check` accepts."""
    runner = CliRunner()
    base = ["templates", "eject", "grid", "--content", str(project_copy)]
    elsewhere = project_copy.parent.parent / f"{project_copy.parent.name}-elsewhere"
    outside = runner.invoke(cli, [*base, "--to", str(elsewhere)])
    assert outside.exit_code == 0, outside.output
    assert "--templates" in outside.output
    assert "briefing.yaml" not in outside.output
    inside = runner.invoke(cli, [*base, "--to", str(project_copy.parent / "office" / "tpl")])
    assert inside.exit_code == 0, inside.output
    [setting] = re.findall(r"set '(templates: [^']+)' in briefing.yaml", inside.output)
    assert setting == "templates: office/tpl"
    (project_copy.parent / "briefing.yaml").write_text(setting + "\n", encoding="utf-8")
    checked = runner.invoke(cli, ["check", "--content", str(project_copy)])
    assert checked.exit_code == 0, checked.output


def test_new_audience_builds_as_scaffolded(project_copy: Path) -> None:
    runner = CliRunner()
    made = runner.invoke(cli, ["new", "audience", "ambassador", "--content", str(project_copy)])
    assert made.exit_code == 0, made.output
    root = project_copy.parent
    assert (root / "briefing.yaml").read_text().startswith("# Project settings")
    template = root / "my-templates" / "ambassador.html.j2"
    template.write_text(
        template.read_text().replace(
            "{% block body_class %}",
            "{% block banner_top %}<p id=mine>FOR THE AMBASSADOR</p>{% endblock %}\n"
            "{% block body_class %}",
        )
    )
    built = runner.invoke(
        cli, ["build", "--content", str(project_copy), "--audience", "ambassador", "--jobs", "1"]
    )
    assert built.exit_code == 0, built.output
    html = _soup(root / "output" / MEMO / "ambassador.html")
    assert html.find(id="mine").get_text() == "FOR THE AMBASSADOR"
    assert "INFORMATION MEMO FOR THE DIRECTOR" in _first_page_text(
        root / "output" / MEMO / "ambassador.pdf"
    )
    twice = runner.invoke(cli, ["new", "audience", "ambassador", "--content", str(project_copy)])
    assert twice.exit_code == 1
    assert "already exists" in twice.output


def test_a_template_name_no_file_can_have_is_refused_at_its_line(project_copy: Path) -> None:
    """A 300-character `template:` is a mistake in the profile, said at its line, not a
    renderer crash ("File name too long") when the build looks it up."""
    profile = project_copy / "audiences" / "principal.yaml"
    text = profile.read_text(encoding="utf-8")
    [line] = [n for n, row in enumerate(text.splitlines(), 1) if row.startswith("template:")]
    profile.write_text(
        re.sub(r"(?m)^template: .*$", f"template: {'a' * 300}.html.j2", text), encoding="utf-8"
    )
    result = CliRunner().invoke(cli, ["build", "--content", str(project_copy), "--format", "html"])
    assert result.exit_code == 1, result.output
    assert f"principal.yaml:{line}:" in result.output
    assert "[B204]" in result.output
    assert "at most 255 characters" in result.output
    assert "B406" not in result.output


def _profile(project_copy: Path, name: str, text: str) -> None:
    (project_copy / "audiences" / f"{name}.yaml").write_text(text, encoding="utf-8")


def test_the_profile_says_the_form_and_every_template_follows(project_copy: Path) -> None:
    """How a document opens and closes is the profile's `form`, not its template's name: a
    staff template told `form: brief` opens with the title block and has no drafting lines."""
    staff = (project_copy / "audiences" / "staff.yaml").read_text(encoding="utf-8")
    _profile(project_copy, "brief", staff.replace("form: memo", "form: brief"))
    out = project_copy.parent / "out"
    result = CliRunner().invoke(
        cli,
        ["build", "--content", str(project_copy), "--format", "html", "--out", str(out), "-j", "1"],
    )
    assert result.exit_code == 0, result.output
    page = (out / MEMO / "brief.html").read_text(encoding="utf-8")
    assert 'class="memo-heading crs-heading"' in page
    assert 'class="drafting"' not in page
    memo = (out / MEMO / "staff.html").read_text(encoding="utf-8")
    assert 'class="drafting"' in memo


def test_a_profile_without_form_builds_as_before_and_is_told_to_say_it(
    project_copy: Path,
) -> None:
    """Profiles written before `form:` keep building in the form their template gave them,
    with a warning at the profile's line."""
    public = (project_copy / "audiences" / "public.yaml").read_text(encoding="utf-8")
    old = "".join(line for line in public.splitlines(True) if not line.startswith("form:"))
    _profile(project_copy, "public", old)
    line = next(n for n, row in enumerate(old.splitlines(), 1) if row.startswith("template:"))
    out = project_copy.parent / "out"
    result = CliRunner().invoke(
        cli,
        ["build", "--content", str(project_copy), "--format", "html", "--out", str(out), "-j", "1"],
    )
    assert result.exit_code == 0, result.output
    assert f"public.yaml:{line}:1: [W204]" in result.output
    assert "read as 'form: publication'" in result.output
    page = (out / MEMO / "public.html").read_text(encoding="utf-8")
    assert 'class="public-heading"' in page
