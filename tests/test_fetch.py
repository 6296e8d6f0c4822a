"""No file outside the project reaches a PDF, whatever a shared template folder holds.

A user's template folder may carry symlinks (its `assets`, a subfolder, a file) and its
templates may ask for any URL. The renderer reads only files that really lie in the
template folders' `assets/`; anything else fails that output with B407 naming the URL and
the folder, a file to attach fails it with B408, and the file asked for is never opened.
Templates and seed texts follow the same rule.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing import Project, build
from briefing.cli import cli
from briefing.errors import AssetError
from briefing.made import HtmlPage
from briefing.pdf import render_pdf
from briefing.project import BUILTIN_TEMPLATES

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "briefing-outside-secret-4f1c"


def page(body: str) -> str:
    """A small audience template: quick to lay out, and it asks for nothing but `body`."""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>{{ view.memo.title }}</title></head>\n<body><h1>{{ view.memo.title }}</h1>\n"
        f"{body}\n</body></html>\n"
    )


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder outside the project and its templates, holding what must never be read."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.css").write_text(f'h1::after {{ content: "{TOKEN}"; }}\n')
    (folder / "secret.png").write_text(TOKEN)
    return folder


@pytest.fixture
def mine(tmp_path: Path) -> Path:
    """The user's template folder, with an assets/ folder holding one harmless stylesheet."""
    folder = tmp_path / "mine"
    (folder / "assets").mkdir(parents=True)
    (folder / "assets" / "ok.css").write_text("h1 { color: #203040; }\n")
    return folder


def _leaks(out: Path) -> list[Path]:
    return [p for p in out.rglob("*") if p.is_file() and TOKEN.encode() in p.read_bytes()]


def _symlinked_file(mine: Path, outside: Path) -> tuple[str, str]:
    (mine / "assets" / "leak.css").symlink_to(outside / "secret.css")
    return '<link rel="stylesheet" href="leak.css">', "'leak.css'"


def _symlinked_folder(mine: Path, outside: Path) -> tuple[str, str]:
    (mine / "assets" / "shared").symlink_to(outside)
    return '<img src="shared/secret.png" alt="logo">', "'shared/secret.png'"


def _localhost(mine: Path, outside: Path) -> tuple[str, str]:
    url = f"file://localhost{outside}/secret.png"
    return f'<img src="{url}" alt="logo">', f"'{url}'"


def _other_host(mine: Path, outside: Path) -> tuple[str, str]:
    url = f"file://fileserver{outside}/secret.png"
    return f'<img src="{url}" alt="logo">', f"'{url}'"


def _encoded_dots(mine: Path, outside: Path) -> tuple[str, str]:
    up_to_root = len((mine / "assets").parts) - 1
    href = "%2e%2e/" * up_to_root + f"{outside.relative_to('/')}/secret.css"
    return f'<link rel="stylesheet" href="{href}">', f"'{href}'"


def _absolute(mine: Path, outside: Path) -> tuple[str, str]:
    url = (outside / "secret.css").as_uri()
    return f'<link rel="stylesheet" href="{url}">', f"'{url}'"


@pytest.mark.parametrize(
    "hostile",
    [_symlinked_file, _symlinked_folder, _localhost, _other_host, _encoded_dots, _absolute],
    ids=["symlinked file", "symlinked folder", "file://localhost", "another host", "%2e%2e",
         "absolute path"],
)  # fmt: skip
def test_a_fetch_outside_the_template_assets_fails_the_pdf_unread(
    project_copy: Path,
    tmp_path: Path,
    mine: Path,
    outside: Path,
    files_opened: list[str],
    hostile: Callable[[Path, Path], tuple[str, str]],
) -> None:
    body, shown = hostile(mine, outside)
    (mine / "principal.html.j2").write_text(page('<link rel="stylesheet" href="ok.css">' + body))
    out = tmp_path / "out"
    project = Project.at(project_copy, output=out, templates=mine)
    report = build(project, audiences=["principal"], formats=["pdf"], jobs=1)
    [failure] = report.failures
    message = str(failure)
    assert failure.output.relative == "taliban-policy/principal.pdf"
    assert failure.code == "B407"
    assert message.startswith("[B407] the page asks for "), message
    assert shown in message
    assert f"template folder '{mine}'" in message
    assert not (out / "taliban-policy" / "principal.pdf").exists()
    assert _leaks(out) == []
    assert not [p for p in files_opened if p.startswith(str(outside))], "never even opened"
    assert str(mine / "assets" / "ok.css") in files_opened, "the folder's own asset is read"


@pytest.mark.parametrize(
    "body",
    [
        '<a rel="attachment" href="ok.css">the stylesheet</a>',
        '<link rel="attachment" href="ok.css">',
    ],
    ids=["a", "link"],
)
def test_a_template_cannot_attach_even_its_own_asset(
    project_copy: Path, tmp_path: Path, mine: Path, files_opened: list[str], body: str
) -> None:
    (mine / "principal.html.j2").write_text(page(body))
    out = tmp_path / "out"
    project = Project.at(project_copy, output=out, templates=mine)
    report = build(project, audiences=["principal"], formats=["pdf"], jobs=1)
    [failure] = report.failures
    message = str(failure)
    assert message.startswith(f"[B408] a template in '{mine}' asks to attach "), message
    assert "memos embed no files" in message
    assert not (out / "taliban-policy" / "principal.pdf").exists()
    assert str(mine / "assets" / "ok.css") not in files_opened


def test_a_template_folder_whose_assets_is_a_symlink_to_root_attaches_nothing(
    project_copy: Path, tmp_path: Path
) -> None:
    """The reported case: `ln -s / my/assets` and an attachment of /etc/passwd."""
    mine = tmp_path / "my"
    mine.mkdir()
    (mine / "assets").symlink_to("/")
    (mine / "principal.html.j2").write_text(
        '{% extends "base.html.j2" %}{% block sections %}{% endblock %}{% block banner_top %}'
        '<a rel="attachment" href="file:///etc/passwd">passwords</a>{% endblock %}'
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli,
        ["build", "--content", str(project_copy), "--out", str(out), "--templates", str(mine),
         "--audience", "principal", "--format", "pdf", "--jobs", "1"],
    )  # fmt: skip
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert f"in {mine} it leads outside that folder (a symlink)" in result.output
    assert not list(out.rglob("*.pdf"))
    passwd = Path("/etc/passwd").read_bytes()[:32]
    assert not [p for p in out.rglob("*") if p.is_file() and passwd in p.read_bytes()]


def test_a_symlinked_assets_folder_is_no_root_for_the_renderer(
    tmp_path: Path, outside: Path, files_opened: list[str]
) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "assets").symlink_to(outside)
    with pytest.raises(AssetError) as refused:
        render_pdf(
            HtmlPage(
                page('<link rel="stylesheet" href="secret.css">'),
                frozenset(),
                (mine, BUILTIN_TEMPLATES),
                memo="m",
                audience="a",
                dated=dt.date(2024, 1, 1),
            )
        )
    assert str(refused.value).startswith("[B407] the page asks for 'secret.css' (the assets")
    assert f"'{mine}' leads outside that folder" in str(refused.value)
    assert not [p for p in files_opened if p.startswith(str(outside))]


def test_an_include_through_a_symlinked_folder_is_refused_before_it_is_opened(
    project_copy: Path, tmp_path: Path, outside: Path, files_opened: list[str]
) -> None:
    (outside / "secret.j2").write_text(TOKEN)
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "linked").symlink_to(outside)
    (mine / "staff.html.j2").write_text(
        '{% extends "base.html.j2" %}{% block extra_style %}{% include "linked/secret.j2" %}'
        "{% endblock %}"
    )
    out = tmp_path / "out"
    files_opened.clear()
    report = build(
        Project.at(project_copy, output=out, templates=mine),
        audiences=["staff"],
        formats=["html"],
        jobs=1,
    )
    assert str(outside / "secret.j2") not in files_opened
    [failure] = report.failures
    message = str(failure)
    assert message.startswith("[B401] template 'linked/secret.j2' not found"), message
    assert f"in {mine} it leads outside that folder" in message
    assert _leaks(out) == []


def _seed_linked_out(seeds: Path, elsewhere: Path) -> None:
    seed = seeds / "000_23b0369665136125.txt"
    shutil.move(seed, elsewhere / seed.name)
    seed.symlink_to(elsewhere / seed.name)


def _seeds_folder_linked_out(seeds: Path, elsewhere: Path) -> None:
    shutil.move(seeds, elsewhere / "seeds")
    seeds.symlink_to(elsewhere / "seeds")


@pytest.mark.parametrize(
    ("link", "message"),
    [
        (_seed_linked_out, "'000_23b0369665136125.txt' is a link to '{elsewhere}/"),
        (_seeds_folder_linked_out, "the seeds folder is a link to '{elsewhere}/seeds'"),
    ],
    ids=["seed file", "seeds folder"],
)
def test_a_seed_that_leads_out_of_the_project_is_refused(
    project_copy: Path,
    tmp_path_factory: pytest.TempPathFactory,
    files_opened: list[str],
    link: Callable[[Path, Path], None],
    message: str,
) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    link(project_copy.parent / "seeds", elsewhere)
    result = CliRunner().invoke(cli, ["check", "--content", str(project_copy)])
    assert result.exit_code == 1, result.output
    assert "[B302] cannot read seed text: " + message.format(elsewhere=elsewhere) in (result.output)
    assert "copy the source's text into the seeds folder" in result.output
    assert not [p for p in files_opened if p.startswith(str(elsewhere))]


def test_a_seed_linked_within_the_seeds_folder_is_read(project_copy: Path) -> None:
    seeds = project_copy.parent / "seeds"
    seed = seeds / "000_23b0369665136125.txt"
    seed.rename(seeds / "original.txt")
    seed.symlink_to("original.txt")
    result = CliRunner().invoke(cli, ["check", "--content", str(project_copy)])
    assert result.exit_code == 0, result.output
