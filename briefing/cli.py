"""The command line: a thin layer that turns library results and errors into output and exit codes.

Exit codes: 0 success, 1 content errors (or an output that failed), 2 usage errors, 130
interrupted (Ctrl-C).
"""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypedDict, TypeVar, Unpack

import click
from click.shell_completion import CompletionItem

from briefing.errors import BriefingError, ContentError, Problem, SelectionError
from briefing.formats import MEMO, REDLINE, REVIEW
from briefing.kinds import KINDS
from briefing.limits import (
    MAX_MEMORY_LIMIT,
    MAX_TIME_LIMIT,
    MEMORY_LIMIT,
    MIN_MEMORY_LIMIT,
    TIME_LIMIT,
)
from briefing.made import Pages
from briefing.project import Project

DEFAULT_CONTENT = Path("content")
FC = TypeVar("FC", bound=Callable[..., Any])


def _complete_names(kind: str) -> Any:
    """Shell completion from the project at hand: the names of the YAML files in content/KIND.

    Reads the folder's file names only (the `--content` given so far, else ./content), never
    the files, so completing costs no validation and a broken project still completes.
    """

    def complete(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
        content = Path(ctx.params.get("content_dir") or DEFAULT_CONTENT)
        try:
            names = sorted({path.stem for path in (content / kind).glob("*.yaml")})
        except OSError:
            return []
        return [CompletionItem(name) for name in names if name.startswith(incomplete)]

    return complete


def _only_option(kind: str) -> Callable[[FC], FC]:
    """`--memo NAME` or `--audience NAME`: build only these (repeatable), completed from
    the project's own names."""
    return click.option(
        f"--{kind}",
        f"{kind}s",
        multiple=True,
        metavar="NAME",
        help=f"Build only this {kind} (repeatable). Default: all.",
        shell_complete=_complete_names(f"{kind}s"),
    )


def _format_option(names: tuple[str, ...], help: str) -> Callable[[FC], FC]:
    """`--format NAME`, repeatable, from the formats this command makes."""
    return click.option("--format", "formats", multiple=True, type=click.Choice(names), help=help)


def _complete_templates(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """Shell completion for `templates eject`: each built-in template by its shortest name."""
    from briefing.scaffold import builtin_templates  # noqa: PLC0415

    paths = builtin_templates()
    stems = [Path(path).name.split(".")[0] for path in paths]
    pairs = zip(stems, paths, strict=True)
    names = [stem if stems.count(stem) == 1 else path for stem, path in pairs]
    return [CompletionItem(name) for name in names if name.startswith(incomplete)]


content_option = click.option(
    "--content",
    "content_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_CONTENT,
    show_default=True,
    help="Content folder (sources.yaml, positions/, memos/, audiences/); seeds/ sits beside it.",
)

out_option = click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output folder. Default: output/ beside the content folder.",
)
templates_option = click.option(
    "--templates",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Folder of templates searched before the built-in ones.",
)


INTERRUPTED = 130
"""The exit code of a command stopped by Ctrl-C, as shells report it (128 + SIGINT)."""


class _Commands(click.Group):
    """The command group: Ctrl-C anywhere in a command exits 130 with a message.

    Click would print "Aborted!" and exit 1, which scripts read as content errors.
    """

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo(err=True)
            click.secho(
                "stopped: [B505] interrupted; every output already written is complete, "
                "the others keep their previous version",
                err=True,
                fg="yellow",
            )
            sys.exit(INTERRUPTED)


class _Seconds(click.FloatRange):
    """A number of seconds within a range; NaN, which no range comparison refuses, too."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        seconds = click.FLOAT.convert(value, param, ctx)
        low, high = self.min or 0.0, self.max or math.inf
        if not (math.isfinite(seconds) and low <= seconds <= high):
            self.fail(f"{value} is not a number of seconds from {low:g} to {high:g}", param, ctx)
        return seconds


@click.group(
    cls=_Commands,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(package_name="briefing")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Options memos from checked YAML positions, as HTML, PDF and Word (DOCX).

    With no command, builds every memo for every audience in every format.
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(build_command)


class _BuildOptions(TypedDict, total=False):
    """What `briefing build` hands to pipeline.build as given (mypy checks it against that
    signature): whether to build a draft, the workers, whether to force, the time limit,
    whether a form limit exceeded fails the output."""

    draft: bool
    jobs: int | None
    force: bool
    time_limit: float
    memory_limit: int
    strict: bool


@cli.command("build")
@content_option
@_only_option("audience")
@_only_option("memo")
@_format_option(MEMO.names, "Output format (repeatable). Default: all.")
@out_option
@templates_option
@click.option(
    "--draft",
    is_flag=True,
    help="Build even if some quotes are not found in their sources; each is marked UNVERIFIED "
    "and the command exits 1.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes for rendering. Default: the cores available.",
)
@click.option("--force", is_flag=True, help="Rebuild every output, even those up to date.")
@click.option(
    "--time-limit",
    type=_Seconds(min=1, max=MAX_TIME_LIMIT),
    default=TIME_LIMIT,
    show_default=True,
    metavar="SECONDS",
    help="Stop an output that takes longer than this to render (1 to 3600).",
)
@click.option(
    "--memory-limit",
    type=click.IntRange(min=MIN_MEMORY_LIMIT, max=MAX_MEMORY_LIMIT),
    default=MEMORY_LIMIT,
    show_default=True,
    metavar="MB",
    help="Stop an output that needs more memory than this to render (256 to 65536).",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Fail an output whose BLUF or issue for decision is longer than its profile's "
    "line_limits (a warning without it); that output keeps its previous file.",
)
def build_command(
    content_dir: Path = DEFAULT_CONTENT,
    audiences: tuple[str, ...] = (),
    memos: tuple[str, ...] = (),
    formats: tuple[str, ...] = (),
    out: Path | None = None,
    templates: Path | None = None,
    **options: Unpack[_BuildOptions],
) -> None:
    """Check the content, then render memos to HTML, PDF and DOCX (only what changed)."""
    started = time.perf_counter()
    folder = (out or content_dir.resolve().parent / "output").resolve()
    request = _request_key(content_dir, folder, templates, audiences, memos, formats)
    request += " strict" if options.get("strict") else ""
    full = options.get("force") or options.get("draft")
    if not full and _say_fresh(folder, request, started):
        return
    from briefing.pipeline import build  # noqa: PLC0415 - keep --help and no-op builds fast

    with _reported(), _ProgressBar() as progress:
        project = Project.at(content_dir, out, templates)
        report = build(
            project,
            memos=memos,
            audiences=audiences,
            formats=tuple(formats) or MEMO.names,
            progress=progress,
            **options,
        )
    advice = report.checked.advice()
    _warn([*report.checked.content.warnings, *advice, *report.warnings])
    unverified = report.checked.verification.failures
    _say_problems(unverified, "unverified", "yellow")
    for output in report.written:
        pages = report.pages.get(output.relative)
        click.echo(f"wrote {_relative(output.path(project.output))}{_page_count(pages)}")
    for relative in report.removed:
        click.echo(f"removed {_relative(project.output / relative)} (its memo or audience is gone)")
    for failure in report.failures:
        click.secho(
            f"error: {failure.output.relative}: {_printable(str(failure))}", err=True, fg="red"
        )
    click.echo(
        f"{len(report.written)} built, {len(report.skipped)} up to date, "
        f"{len(report.failures)} failed; {report.checked.verification.verified} quotes "
        f"verified; {report.seconds:.1f}s",
        err=True,
    )
    if unverified:
        from briefing.phrases import load as load_phrasebook  # noqa: PLC0415

        draft = load_phrasebook(project.template_dirs).draft["warning"]  # the memo's DRAFT line
        click.secho(draft.format(count=len(unverified)), err=True, fg="yellow")
    if report.failures or unverified:
        sys.exit(1)
    if not options.get("draft"):
        _stamp_fresh(project, request, report, advice)


def _request_key(
    content_dir: Path,
    output: Path,
    templates: Path | None,
    audiences: tuple[str, ...],
    memos: tuple[str, ...],
    formats: tuple[str, ...],
) -> str:
    """What a build was asked for, as the no-op stamp compares it."""
    from briefing import fresh  # noqa: PLC0415

    return fresh.request_key(
        content=str(content_dir.resolve()),
        output=str(output),
        templates=str(templates.resolve()) if templates else None,
        audiences=audiences,
        memos=memos,
        formats=tuple(formats) or MEMO.names,
    )


def _say_fresh(output: Path, request: str, started: float) -> bool:
    """Repeat the last clean build's report if nothing has changed since (briefing.fresh),
    without loading the content; False means build in full."""
    from briefing import fresh  # noqa: PLC0415

    said = fresh.read(output, request)
    if said is None:
        return False
    with _ProgressBar() as progress:
        progress.start(said.up_to_date)
    for line in said.warnings:
        click.echo(f"{click.style('warning', fg='yellow')}: {line}", err=True)
    click.echo(
        f"0 built, {said.up_to_date} up to date, 0 failed; {said.verified} quotes verified; "
        f"{time.perf_counter() - started:.1f}s",
        err=True,
    )
    return True


def _stamp_fresh(project: Project, request: str, report: Any, advice: list[Problem]) -> None:
    """After a clean build, leave the stamp that lets the next identical one say so at once.

    It keeps the warnings the same files give again (the content's, the advice on context
    and evidence age, and a text over its line limit, W202), and not a damaged cache's
    (W501), which this build has just put right.
    """
    from briefing import fresh  # noqa: PLC0415
    from briefing.cache import MANIFEST  # noqa: PLC0415
    from briefing.errors import LockedError  # noqa: PLC0415
    from briefing.project import SETTINGS_FILE  # noqa: PLC0415
    from briefing.terminal import warning_lines  # noqa: PLC0415
    from briefing.write import locked  # noqa: PLC0415

    again = [w for w in report.warnings if w.code != "W501"]
    warnings = warning_lines([*report.checked.content.warnings, *advice, *again], Path.cwd())
    outputs = [o.relative for o in [*report.written, *report.skipped]]
    roots = [project.content, project.seeds, project.root / SETTINGS_FILE, *project.template_dirs]
    said = fresh.Said(warnings, len(outputs), report.checked.verification.verified)
    try:
        with locked(project.output):
            fresh.write(project.output, request, roots, [*outputs, MANIFEST, "index.html"], said)
    except (LockedError, OSError):
        fresh.forget(project.output)


@cli.command("check")
@content_option
@click.option("--coverage", is_flag=True, help="Also show how much of each source is used.")
def check_command(content_dir: Path, coverage: bool = False) -> None:
    """Validate the content and verify every quote; render nothing."""
    from briefing.pipeline import check  # noqa: PLC0415

    with _reported():
        project = Project.at(content_dir)
        checked = check(project)
    content = checked.content
    _warn([*content.warnings, *checked.advice()])
    click.echo(
        f"ok: {len(content.memos)} memo(s), {len(content.positions)} position(s), "
        f"{len(content.audiences)} audience(s), {len(content.sources)} source(s); "
        f"{checked.verification.verified} quotes verified, 0 failed"
    )
    flags = list(checked.context.flags())
    if flags:
        silenced = sum(flag.silenced for flag in flags)
        click.echo(
            f"context: {len(flags)} flag(s) raised, {silenced} silenced with a reason; "
            "`briefing review` shows each quotation in its paragraph"
        )
    if coverage:
        from briefing.coverage import measure_coverage  # noqa: PLC0415
        from briefing.terminal import show_coverage  # noqa: PLC0415

        click.echo()
        show_coverage(measure_coverage(checked, project))


@cli.command("review")
@content_option
@_only_option("memo")
@_format_option(REVIEW.names, "Output format (repeatable). Default: both.")
@out_option
@templates_option
def review_command(
    content_dir: Path = DEFAULT_CONTENT,
    memos: tuple[str, ...] = (),
    formats: tuple[str, ...] = (),
    out: Path | None = None,
    templates: Path | None = None,
) -> None:
    """Write each memo's review edition to output/review/: every claim, each quotation
    marked in its source paragraph, with its context flags."""
    from briefing.review_build import write_reviews  # noqa: PLC0415

    with _reported():
        project = Project.at(content_dir, out, templates)
        written = write_reviews(project, memos, formats or REVIEW.names)
    _say_written(written)


@cli.command("coverage")
@content_option
def coverage_command(content_dir: Path) -> None:
    """Show, per source, how many quotes use it and which paragraphs are cited."""
    from briefing.coverage import measure_coverage  # noqa: PLC0415
    from briefing.pipeline import check  # noqa: PLC0415
    from briefing.terminal import show_coverage  # noqa: PLC0415

    with _reported():
        project = Project.at(content_dir)
        checked = check(project)
    show_coverage(measure_coverage(checked, project))


@cli.group("templates")
def templates_group() -> None:
    """List the built-in templates, or copy one out to edit."""


@templates_group.command("list")
def templates_list() -> None:
    """List the built-in templates and stylesheets."""
    from briefing.scaffold import builtin_templates  # noqa: PLC0415

    for name in builtin_templates():
        click.echo(name)


@templates_group.command("eject")
@content_option
@click.argument("name", shell_complete=_complete_templates)
@click.option(
    "--to",
    "destination",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder to copy into. Default: the project's templates folder, else my-templates/.",
)
def templates_eject(content_dir: Path, name: str, destination: Path | None) -> None:
    """Copy built-in template NAME (e.g. partials/decision.html.j2) out for editing."""
    from briefing.scaffold import eject_template, overrides_folder  # noqa: PLC0415

    with _reported():
        project = Project.at(content_dir)
        folder = destination or overrides_folder(project)
        target = eject_template(name, folder)
    click.echo(f"wrote {_relative(target)}")
    where = folder.resolve()
    if project.templates is None or where != project.templates:
        setting = _setting(where, project)
        click.echo(f"use it with: briefing build --templates {_relative(folder)}{setting}")


def _setting(where: Path, project: Project) -> str:
    """The `templates:` line that would make the resolved folder `where` the project's, where
    briefing.yaml may name it: only a folder inside the project, written relative to the
    project's (already resolved) folder."""
    if not where.is_relative_to(project.root):
        return ""
    relative = where.relative_to(project.root).as_posix()
    return f"  (or set 'templates: {relative}' in briefing.yaml)"


@cli.group("new")
def new_group() -> None:
    """Start a position, memo, source or audience from a commented skeleton."""


@cli.command("watch")
@content_option
@out_option
@templates_option
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@_format_option(
    MEMO.names, "Formats to rebuild on each save (repeatable). Default: all, HTML first."
)
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="Workers for PDFs.")
def watch_command(
    content_dir: Path,
    out: Path | None,
    templates: Path | None,
    port: int,
    formats: tuple[str, ...],
    jobs: int | None,
) -> None:
    """Rebuild on every save, serve the output on localhost, reload the page."""
    from briefing.serve import watch  # noqa: PLC0415

    def say(text: str) -> None:
        click.echo(_printable(text), err=True)

    with _reported():
        project = Project.at(content_dir, out, templates)
        try:
            watch(project, port, formats or MEMO.names, jobs, say)
        except KeyboardInterrupt:
            say("stopped")


cli.add_command(watch_command, "serve")


@cli.command("diff")
@content_option
@click.argument("old")
@click.argument("new", required=False)
@_only_option("audience")
@_only_option("memo")
@_format_option(REDLINE.names, "Redline format (repeatable). Default: all.")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for the redlines. Default: output/diff/ beside the content folder.",
)
@templates_option
def diff_command(
    content_dir: Path,
    old: str,
    new: str | None,
    audiences: tuple[str, ...],
    memos: tuple[str, ...],
    formats: tuple[str, ...],
    out: Path | None,
    templates: Path | None,
) -> None:
    """Redline every memo and audience from OLD to NEW (each a git revision or a folder;
    NEW is the project as it stands if left out).

    Writes MEMO/AUDIENCE.html, .pdf and .docx (with tracked changes) under output/diff/.
    Exits 0 when nothing changed, 1 when something did, 2 on trouble, like diff.
    """
    from briefing.redline_build import DIFF_FOLDER, SideContentError, diff  # noqa: PLC0415
    from briefing.revisions import open_side  # noqa: PLC0415

    with _reported(trouble=2):
        project = Project.at(content_dir, None, templates)
        try:
            with open_side(old, project) as before, open_side(new, project) as after:
                report = diff(
                    before,
                    after,
                    (out or project.output / DIFF_FOLDER).resolve(),
                    memos,
                    audiences,
                    formats or REDLINE.names,
                    templates,
                )
        except SideContentError as error:
            _warn(error.warnings)
            _say_problems(error.problems)
            raise
    _warn(report.warnings)
    for path in report.written:
        click.echo(f"wrote {_relative(path)}")
    for path, message in report.failures:
        click.secho(f"error: {_relative(path)}: {_printable(message)}", err=True, fg="red")
    for redline in report.redlines:
        said = f"{redline.count} change(s)" if redline.changed else "unchanged"
        click.echo(f"{redline.memo}/{redline.audience}: {said}", err=True)
    if report.failures:
        sys.exit(2)
    sys.exit(1 if report.changed else 0)


@cli.command("init")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
def init_command(folder: Path) -> None:
    """Start a memo project in FOLDER: a sample source, two positions, a memo, an audience."""
    from briefing.scaffold import init_project  # noqa: PLC0415

    with _reported():
        written = init_project(folder)
    click.echo(f"started a memo project in {_relative(folder)} ({len(written)} files)")
    click.echo(f"next: cd {_relative(folder)} && briefing build")


@cli.command("schema")
@content_option
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for the schema files. Default: schema/ beside the content folder.",
)
@click.option(
    "--kind",
    type=click.Choice(list(KINDS)),
    default=None,
    help="Print the schema of one kind of file instead of writing them all.",
)
def schema_command(content_dir: Path, out: Path | None, kind: str | None) -> None:
    """Write JSON Schemas for the content files, for editor autocompletion."""
    from briefing.schema import SCHEMA_FOLDER, schema_text, write_schemas  # noqa: PLC0415

    if kind:
        click.echo(schema_text(kind), nl=False)
        return
    folder = out or content_dir.resolve().parent / SCHEMA_FOLDER
    with _reported():
        written = write_schemas(folder)
    _say_written(written)


@cli.command("list")
@content_option
def list_command(content_dir: Path) -> None:
    """List memos, positions, audiences and sources, with counts and what cites what."""
    from briefing.pipeline import check  # noqa: PLC0415
    from briefing.terminal import show_inventory  # noqa: PLC0415

    with _reported():
        content = check(Project.at(content_dir)).content
    show_inventory(content)


@new_group.command("position")
@content_option
@click.argument("name")
def new_position_command(content_dir: Path, name: str) -> None:
    """Write a commented skeleton for position NAME, citing the first source."""
    from briefing.scaffold import existing_ids, new_position  # noqa: PLC0415

    _scaffold(content_dir, lambda project: [new_position(project, name, existing_ids(project)[0])])
    click.echo("fill in each point and its quote; `briefing check` points at every quote not found")


@new_group.command("memo")
@content_option
@click.argument("name")
def new_memo_command(content_dir: Path, name: str) -> None:
    """Write a commented skeleton for memo NAME over the existing positions."""
    import datetime as dt  # noqa: PLC0415

    from briefing.scaffold import existing_ids, new_memo  # noqa: PLC0415

    def write(project: Project) -> list[Path]:
        sources, positions = existing_ids(project)
        return [new_memo(project, name, positions, sources, dt.date.today().isoformat())]

    _scaffold(content_dir, write)


@new_group.command("source")
@content_option
@click.argument("name")
def new_source_command(content_dir: Path, name: str) -> None:
    """Add source NAME to sources.yaml, with an empty seed file for its text."""
    from briefing.scaffold import new_source  # noqa: PLC0415

    written = _scaffold(content_dir, lambda project: new_source(project, name))
    click.echo(f"paste the source's full text into {_relative(written[-1])}, exactly as published")


@new_group.command("audience")
@content_option
@click.argument("name")
@click.option(
    "--replace",
    is_flag=True,
    help="Allow a name that shadows a built-in template (e.g. staff): the new template "
    "replaces it for this project.",
)
def new_audience_command(content_dir: Path, name: str, replace: bool = False) -> None:
    """Write a profile and a template for audience NAME, ready to build and edit."""
    from briefing.scaffold import new_audience  # noqa: PLC0415

    _scaffold(content_dir, lambda project: new_audience(project, name, replace))
    click.echo(f"build it with: briefing build --audience {name}")


def _scaffold(content_dir: Path, write: Callable[[Project], list[Path]]) -> list[Path]:
    """One `briefing new` step on the project of `content_dir`: its failures reported as
    every command reports them, then each file it wrote said; returns those files."""
    with _reported():
        written = write(Project.at(content_dir))
    _say_written(written)
    return written


def _warn(problems: list[Problem]) -> None:
    """Each distinct warning once, safe to print (content can hold anything)."""
    from briefing.terminal import first_of, warning_lines  # noqa: PLC0415

    lines, more = first_of(warning_lines(problems, Path.cwd()), "warning")
    for line in lines:
        click.echo(f"{click.style('warning', fg='yellow')}: {line}", err=True)
    if more:
        click.echo(more, err=True)


def _say_problems(problems: list[Problem], label: str = "error", colour: str = "red") -> None:
    """The first problems, each safe to print, then how many more there are: a file of
    60,000 mistakes gives a screenful and a count, not 120,000 lines."""
    from briefing.terminal import first_of  # noqa: PLC0415

    shown, more = first_of(problems)
    for problem in shown:
        click.echo(f"{click.style(label, fg=colour)}: {_printable(problem)}", err=True)
    if more:
        click.echo(more, err=True)


def _printable(message: Problem | str) -> str:
    """A message that may quote content, with what could disturb a terminal escaped."""
    from briefing.errors import printable  # noqa: PLC0415

    text = message.format(Path.cwd()) if isinstance(message, Problem) else message
    return printable(text)


class _ProgressBar:
    """A progress bar on stderr for builds of more than a few outputs, silent otherwise."""

    def __enter__(self) -> _ProgressBar:
        self.bar: Any = None
        return self

    def start(self, total: int) -> None:
        if total > 4:
            self.bar = click.progressbar(
                length=total, label="building", file=sys.stderr, show_pos=True
            )
            self.bar.__enter__()

    def step(self, output: Any, status: str) -> None:
        if self.bar is not None:
            self.bar.update(1, output.relative)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


@contextmanager
def _reported(trouble: int | None = None) -> Iterator[None]:
    """Turn library errors into messages and exit codes.

    `trouble`, where given, is the exit code of every error: `diff` keeps 1 for "changed".
    """
    try:
        yield
    except ContentError as error:
        _warn(error.warnings)
        _say_problems(error.problems)
        click.echo(f"{len(error.problems)} problem(s) found; nothing was written.", err=True)
        sys.exit(trouble or error.exit_code)
    except SelectionError as error:
        raise click.UsageError(str(error)) from None
    except BriefingError as error:
        click.echo(f"{click.style('error', fg='red')}: {_printable(str(error))}", err=True)
        sys.exit(trouble or error.exit_code)
    except OSError as error:
        from briefing.write import describe_os_error  # noqa: PLC0415

        click.echo(f"{click.style('error', fg='red')}: {describe_os_error(error)}", err=True)
        sys.exit(trouble or 1)


def _page_count(pages: Pages | None) -> str:
    """A paged output's length as the build line gives it: the body (which its budget
    counts) and the annex apart, e.g. " (11 pages + 28-page annex)"."""
    if pages is None:
        return ""
    body = f"{pages.body} page{'s' if pages.body != 1 else ''}"
    return f" ({body} + {pages.annex}-page annex)" if pages.annex else f" ({body})"


def _say_written(paths: list[Path]) -> None:
    """One line per file a command wrote, relative to where the user stands."""
    for path in paths:
        click.echo(f"wrote {_relative(path)}")


def _relative(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def main() -> None:
    """Entry point of the `briefing` command and of `python build.py`."""
    cli()
