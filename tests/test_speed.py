"""Builds do no work they need not do: lazy imports, skipped outputs, parallel renders."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing import BuildReport, Project, build
from briefing.cli import cli
from briefing.formats import MEMO
from briefing.fresh import STAMP
from briefing.pool import WarmPool
from briefing.serve import State, rebuild
from briefing.write import locked

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


OWN_DECISION = "Decide by the end of the week."


def _own_decision_partial() -> str:
    """The built-in decision partial with a line of the office's own in it (its words are the
    phrasebook's, so the partial is changed by what it writes, not by rewording it)."""
    decision = (ROOT / "templates" / "partials" / "decision.html.j2").read_text()
    own = decision.replace("</section>", f"  <p>{OWN_DECISION}</p>\n</section>", 1)
    assert own != decision, "the decision partial no longer ends its section"
    return own


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
    (mine / "decision.html.j2").write_text(_own_decision_partial())
    overridden = Project.at(started, output=out, templates=tmp_path / "mine")
    assert _built(build(overridden, formats=["html"], jobs=1)) == [
        "congestion/principal.html",
        "congestion/staff.html",
    ]
    assert OWN_DECISION in (out / "congestion" / "principal.html").read_text()

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
        f"taliban-policy/congressional.{name}" for name in MEMO.names
    )
    for output in serial.written:
        assert output.path(tmp_path).read_bytes() == output.path(project.output).read_bytes()


def test_cli_summarises_the_build(started: Path, tmp_path: Path) -> None:
    args = ["build", "--content", str(started), "--format", "html", "--out", str(tmp_path)]
    first = CliRunner().invoke(cli, [*args, "--jobs", "1"])
    assert first.exit_code == 0, first.output
    assert "4 built, 0 up to date, 0 failed" in first.output
    again = CliRunner().invoke(cli, args)
    assert "0 built, 4 up to date, 0 failed" in again.output


NO_OP_SCRIPT = """\
import sys
from briefing.cli import cli
try:
    cli(sys.argv[1:])
except SystemExit as end:
    code = end.code
print('pydantic' in sys.modules, 'briefing.models' in sys.modules, code)
"""


def _cli_build(*args: str) -> subprocess.CompletedProcess[str]:
    """`briefing build ARGS` in a fresh process; its last line of output says whether the
    content's modules were loaded, and the exit code."""
    return subprocess.run(
        [sys.executable, "-c", NO_OP_SCRIPT, "build", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )


def _summary(stderr: str) -> str:
    """What a build said, less the seconds it took."""
    return re.sub(r"; [0-9.]+s$", "", stderr.strip(), flags=re.MULTILINE)


def test_a_no_op_build_repeats_the_last_report_without_loading_the_content(
    started: Path, edit: Callable[[Path, str, str], None], tmp_path: Path
) -> None:
    """On the small project `briefing init` starts: each of these builds is a process of its
    own, and what is measured is what the command line loads, not how long a memo takes."""
    out = tmp_path / "out"
    args = ("--content", str(started), "--out", str(out), "--format", "html")
    first = _cli_build(*args)
    assert "4 built, 0 up to date, 0 failed" in first.stderr
    (out / STAMP).unlink()
    checked = _cli_build(*args)  # every file read and checked: nothing to do
    assert checked.stdout.split() == ["True", "True", "0"]
    fast = _cli_build(*args)
    assert fast.stdout.split() == ["False", "False", "0"], "the content was loaded"
    assert _summary(fast.stderr) == _summary(checked.stderr)
    assert "0 built, 4 up to date, 0 failed" in fast.stderr

    # Anything the build read or keeps that changes means a full build again.
    edit(started / "memos" / "congestion.yaml", "Congestion Pricing for", "Road Pricing for")
    assert "4 built, 0 up to date" in _cli_build(*args).stderr
    (out / "congestion" / "staff.html").unlink()
    assert "1 built, 3 up to date" in _cli_build(*args).stderr
    assert "Road Pricing for" in (out / "congestion" / "staff.html").read_text()
    other = _cli_build(*args, "--audience", "staff")  # another request: checked in full
    assert other.stdout.split()[:2] == ["True", "True"]
    assert "0 built, 1 up to date" in other.stderr


def test_a_no_op_build_says_when_another_build_holds_the_folder(
    project_copy: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    args = ["build", "--content", str(project_copy), "--out", str(out), "--format", "html"]
    assert CliRunner().invoke(cli, args).exit_code == 0
    with locked(out):
        result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert "[B501] another build" in result.output


def test_warm_watch_rebuilds_give_the_bytes_of_a_cold_single_job_build(
    started: Path, edit: Callable[[Path, str, str], None], tmp_path: Path
) -> None:
    """Workers kept between saves (fonts loaded, templates compiled) make exactly what a
    cold `build --force -j 1` makes of the same files, after a content edit and after a
    template override appears."""
    mine = tmp_path / "mine"
    mine.mkdir()
    warm_out, cold_out = tmp_path / "warm", tmp_path / "cold"
    project = Project.at(started, output=warm_out, templates=mine)
    said: list[str] = []
    workers = WarmPool(2, project)
    try:
        assert rebuild(project, State(), MEMO.names, 2, said.append, workers) is not None
        edit(started / "memos" / "congestion.yaml", "Whether to charge", "Whether to toll")
        (mine / "partials").mkdir()
        (mine / "partials" / "decision.html.j2").write_text(_own_decision_partial())
        report = rebuild(project, State(), MEMO.names, 2, said.append, workers)
    finally:
        workers.close()
    assert report is not None
    assert not [line for line in said if "failed" in line and " 0 failed" not in line], said
    cold = CliRunner().invoke(
        cli,
        ["build", "--content", str(started), "--out", str(cold_out),
         "--templates", str(mine), "--force", "-j", "1"],
    )  # fmt: skip
    assert cold.exit_code == 0, cold.output
    made = sorted(p.relative_to(cold_out) for p in cold_out.rglob("[!.]*.*"))
    assert len(made) == 13  # 4 audiences x 3 formats, and the index
    for relative in made:
        assert (warm_out / relative).read_bytes() == (cold_out / relative).read_bytes(), relative
    assert OWN_DECISION in (warm_out / "congestion" / "principal.html").read_text()
    assert "Whether to toll" in (warm_out / "congestion" / "principal.html").read_text()
