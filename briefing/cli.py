"""The command line: a thin layer that turns library results and errors into output and exit codes.

Exit codes: 0 success, 1 content errors (or an output that failed), 2 usage errors.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from briefing.errors import BriefingError, ContentError, SelectionError
from briefing.project import Project

DEFAULT_CONTENT = Path("content")

content_option = click.option(
    "--content",
    "content_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_CONTENT,
    show_default=True,
    help="Content folder (sources.yaml, positions/, memos/, audiences/); seeds/ sits beside it.",
)


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="briefing")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Options memos from checked YAML positions, as HTML and PDF.

    With no command, builds every memo for every audience in both formats.
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(build_command)


@cli.command("build")
@content_option
@click.option(
    "--audience",
    "audiences",
    multiple=True,
    metavar="NAME",
    help="Build only this audience (repeatable). Default: all.",
)
@click.option(
    "--memo", "memos", multiple=True, metavar="NAME", help="Build only this memo (repeatable)."
)
@click.option(
    "--format",
    "formats",
    multiple=True,
    type=click.Choice(["html", "pdf"]),
    help="Output format (repeatable). Default: both.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output folder. Default: output/ beside the content folder.",
)
@click.option(
    "--templates",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Folder of templates searched before the built-in ones.",
)
def build_command(
    content_dir: Path = DEFAULT_CONTENT,
    audiences: tuple[str, ...] = (),
    memos: tuple[str, ...] = (),
    formats: tuple[str, ...] = (),
    out: Path | None = None,
    templates: Path | None = None,
) -> None:
    """Check the content, then render memos to HTML and PDF."""
    from briefing.pipeline import FORMATS, build  # noqa: PLC0415 - keep --help fast

    project = Project.at(content_dir, out, templates)
    started = time.perf_counter()

    def progress(output: Any) -> None:
        click.echo(f"  {output.memo} / {output.audience} / {output.format}", err=True)

    with _reported(project):
        report = build(
            project,
            memos=memos,
            audiences=audiences,
            formats=tuple(formats) or FORMATS,  # type: ignore[arg-type]
            progress=progress,
        )
    elapsed = time.perf_counter() - started
    for path in report.written:
        click.echo(f"wrote {_relative(path)}")
    for output, error in report.failures:
        click.secho(
            f"error: {output.memo} / {output.audience} / {output.format}: {error}",
            err=True,
            fg="red",
        )
    click.echo(
        f"{len(report.written)} written, {len(report.failures)} failed, "
        f"{report.checked.verification.verified} quotes verified, in {elapsed:.1f}s",
        err=True,
    )
    if report.failures:
        sys.exit(1)


@cli.command("check")
@content_option
def check_command(content_dir: Path) -> None:
    """Validate the content and verify every quote; render nothing."""
    from briefing.pipeline import check  # noqa: PLC0415

    project = Project.at(content_dir)
    with _reported(project):
        checked = check(project)
    content = checked.content
    click.echo(
        f"ok: {len(content.memos)} memo(s), {len(content.positions)} position(s), "
        f"{len(content.audiences)} audience(s), {len(content.sources)} source(s); "
        f"{checked.verification.verified} quotes verified, 0 failed"
    )


@contextmanager
def _reported(project: Project) -> Iterator[None]:
    """Turn library errors into messages and exit codes."""
    try:
        yield
    except ContentError as error:
        here = Path.cwd()
        for problem in error.problems:
            click.echo(f"{click.style('error', fg='red')}: {problem.format(here)}", err=True)
        click.echo(f"{len(error.problems)} problem(s) found; nothing was written.", err=True)
        sys.exit(error.exit_code)
    except SelectionError as error:
        raise click.UsageError(str(error)) from None
    except BriefingError as error:
        click.echo(f"{click.style('error', fg='red')}: {error}", err=True)
        sys.exit(error.exit_code)


def _relative(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def main() -> None:
    """Entry point of the `briefing` command and of `python build.py`."""
    cli()
