"""Builds do no work they need not do: lazy imports, skipped outputs, parallel renders."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing import BuildReport, Project, build
from briefing.cli import cli
from briefing.formats import FORMAT_NAMES

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("args", [["--help"], ["check"], ["coverage"], ["templates", "list"]])
def test_commands_that_render_nothing_never_import_weasyprint(args: list[str]) -> None:
    script = (
        "import sys\nfrom briefing.cli import cli\n"
        f"try:\n    cli({args!r})\nexcept SystemExit:\n    pass\n"
        "print('weasyprint' in sys.modules, 'pypdf' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip().splitlines()[-1] == "False False"


def _built(report: BuildReport) -> list[str]:
    return sorted(output.relative for output in report.written)


def test_unchanged_outputs_are_skipped_and_changed_ones_rebuilt(
    started: Path, edit: Callable[[Path, str, str], None], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    project = Project.at(started, output=out)
    first = build(project, formats=["html"], jobs=1)
    assert len(first.written) == 4
    assert _built(build(project, formats=["html"], jobs=1)) == []

    # A partial only some audiences use rebuilds only those.
    mine = tmp_path / "mine" / "partials"
    mine.mkdir(parents=True)
    decision = (ROOT / "templates" / "partials" / "decision.html.j2").read_text()
    (mine / "decision.html.j2").write_text(decision.replace("Decision needed by", "Decide by"))
    overridden = Project.at(started, output=out, templates=tmp_path / "mine")
    assert _built(build(overridden, formats=["html"], jobs=1)) == [
        "congestion/principal.html",
        "congestion/staff.html",
    ]
    assert "Decide by" in (out / "congestion" / "principal.html").read_text()

    # A content change rebuilds every output of its memo; --force rebuilds all.
    edit(started / "positions" / "charge.yaml", "title: Introduce a", "title: Bring in a")
    assert len(build(overridden, formats=["html"], jobs=1).written) == 4
    assert len(build(overridden, formats=["html"], jobs=1, force=True).written) == 4
    assert build(overridden, formats=["html"], jobs=1).skipped

    # An audience that is gone takes its outputs with it.
    (started / "audiences" / "public.yaml").unlink()
    gone = build(overridden, formats=["html"], jobs=1)
    assert gone.removed == ["congestion/public.html"]
    assert not (out / "congestion" / "public.html").exists()


def test_parallel_and_serial_builds_give_the_same_bytes(
    default_build: tuple[Project, BuildReport], tmp_path: Path
) -> None:
    project, _ = default_build
    serial = build(
        Project.at(project.content, output=tmp_path), audiences=["congressional"], jobs=1
    )
    assert sorted(o.relative for o in serial.written) == sorted(
        f"taliban-policy/congressional.{name}" for name in FORMAT_NAMES
    )
    for output in serial.written:
        assert output.path(tmp_path).read_bytes() == output.path(project.output).read_bytes()


def test_cli_summarises_the_build(project_copy: Path, tmp_path: Path) -> None:
    args = ["build", "--content", str(project_copy), "--format", "html", "--out", str(tmp_path)]
    first = CliRunner().invoke(cli, [*args, "--jobs", "1"])
    assert first.exit_code == 0, first.output
    assert "4 built, 0 up to date, 0 failed" in first.output
    again = CliRunner().invoke(cli, args)
    assert "0 built, 4 up to date, 0 failed" in again.output
