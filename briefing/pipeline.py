"""The library API: check content, build memos. Never prints, never exits.

Everything is read and checked before anything is written (MkDocs' habit), so content
errors stop a build with the previous outputs untouched. Outputs whose inputs have not
changed since the last build are skipped; the rest render in a pool of worker processes.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol

from briefing.cache import BuildCache, content_inputs
from briefing.content import Content
from briefing.errors import ContentError, Problem
from briefing.formats import FORMATS, MEMO
from briefing.limits import MEMORY_LIMIT, TIME_LIMIT, Limits
from briefing.made import Pages
from briefing.planning import Failure, Format, Output, plan
from briefing.project import Project
from briefing.validate import validate_content
from briefing.verify import Verification, verify_quotes
from briefing.write import locked, sweep_temporaries, write_atomic

if TYPE_CHECKING:
    from briefing.context import ContextReport
    from briefing.pool import Result

Status = Literal["built", "skipped", "failed"]


class Progress(Protocol):
    """What a caller may follow a build by."""

    def start(self, total: int) -> None: ...

    def step(self, output: Output, status: Status) -> None: ...


Renderer = Callable[
    [list[Output], Content, Project, frozenset[tuple[str, str]], Limits], Iterator["Result"]
]
"""Workers that outlive one build (`pool.WarmPool.render_many`): given the outputs in the
order to make them, the content, the project, the unverified quotations and the time and
memory limits, they yield each result as it arrives."""


@dataclass(frozen=True)
class _Run:
    """How one build goes: what the caller asked of it and where it reports."""

    project: Project
    report: BuildReport
    progress: Progress | None
    jobs: int | None
    force: bool
    limits: Limits
    strict: bool
    renderer: Renderer | None


@dataclass(frozen=True)
class Checked:
    """Content that validated and whose every quote was found in its source."""

    content: Content
    verification: Verification

    @cached_property
    def context(self) -> ContextReport:
        """Each quotation read in its source's sentences, with the flags it raises (read
        once, for the warnings and for `check`'s count of flags)."""
        from briefing.context import read_context  # noqa: PLC0415 - not needed to render

        return read_context(self.content, self.verification.seeds, self.verification.found)

    def advice(self) -> list[Problem]:
        """What the analyst should hear before sending the memo, though nothing stops it
        being built: quotations whose context is at risk and not silenced with a reason
        (W301-W307), and a memo dated over a year after its newest source (W310). `check`
        and `build` both say it."""
        from briefing.age import stale_evidence  # noqa: PLC0415 - not needed to render

        return [*self.context.warnings(), *stale_evidence(self.content)]


@dataclass
class BuildReport:
    """What a build wrote, skipped, removed and failed; failed outputs keep their old file.

    `warnings` are about the build itself rather than the content (a damaged build cache):
    the library never prints, so a caller shows them with the content's warnings.
    `pages` holds the body and annex pages of each paged output written, by its path
    relative to the output folder.
    """

    checked: Checked
    written: list[Output] = field(default_factory=list)
    pages: dict[str, Pages] = field(default_factory=dict)
    skipped: list[Output] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    seconds: float = 0.0
    warnings: list[Problem] = field(default_factory=list)


def check(project: Project, *, draft: bool = False) -> Checked:
    """Validate every file and verify every quote; raise ContentError listing all problems.

    With `draft`, quotes not found in their sources are reported in the result instead of
    raised, so a draft can be built with each of them visibly marked.
    """
    content = validate_content(project)
    verification = verify_quotes(content, project)
    if verification.failures and not draft:
        raise ContentError(verification.failures)
    return Checked(content, verification)


def build(
    project: Project,
    memos: Iterable[str] = (),
    audiences: Iterable[str] = (),
    formats: Iterable[Format] = MEMO.names,
    progress: Progress | None = None,
    *,
    draft: bool = False,
    jobs: int | None = None,
    force: bool = False,
    time_limit: float = TIME_LIMIT,
    memory_limit: int = MEMORY_LIMIT,
    strict: bool = False,
    checked: Checked | None = None,
    renderer: Renderer | None = None,
) -> BuildReport:
    """Check the content, then render and write each selected output that is out of date.

    A draft build goes ahead despite unverified quotes, marking each one in the output.
    A phrasebook the templates cannot use (`briefing.phrases`) raises PhrasebookError, with
    every problem, before anything is rendered.
    A text longer than its profile's `line_limits` is a warning (W202) on the report; with
    `strict`, that output fails instead (B231) and keeps its previous file.
    `jobs` is the number of worker processes (default: the cores available); `force`
    rebuilds outputs even when nothing they depend on has changed; an output that takes
    longer than `time_limit` seconds, or more than `memory_limit` megabytes, to render is
    stopped and reported as failed.
    `checked` is content the caller has just checked (watch checks once per save for all
    formats); `renderer`, workers kept between builds, which are handed the outputs likely
    soonest done first, so that a save shows its first page and first PDF soonest.
    """
    started = time.perf_counter()
    checked = checked or check(project, draft=draft)
    from briefing.phrases import load as load_phrasebook  # noqa: PLC0415 - not for `check`

    load_phrasebook(project.template_dirs)  # a phrasebook that cannot be used stops it here
    report = BuildReport(checked)
    outputs = plan(checked.content, memos, audiences, formats)
    if progress:
        progress.start(len(outputs))
    limits = Limits(time_limit, memory_limit)
    run = _Run(project, report, progress, jobs, force, limits, strict, renderer)
    with locked(project.output):
        sweep_temporaries(project.output)
        _build_locked(run, outputs)
    report.written.sort(key=lambda o: o.relative)
    report.seconds = time.perf_counter() - started
    return report


def _build_locked(run: _Run, outputs: list[Output]) -> None:
    """Skip what is fresh, render the rest, clean what is gone; the output folder is ours."""
    project, report, progress = run.project, run.report, run.progress
    content = report.checked.content
    unverified = report.checked.verification.unverified
    options = repr(sorted(unverified))
    cache = BuildCache.load(project.output)
    report.warnings.extend(cache.warnings)
    _forget_templates_if_changed(project)

    seeds = report.checked.verification.seed_digests
    inputs = {
        (memo, audience): content_inputs(content, seeds, memo, audience)
        for memo, audience in {(o.memo, o.audience) for o in outputs}
    }

    def key(output: Output, templates: Iterable[str], assets: Iterable[str]) -> str:
        return cache.key(
            inputs[(output.memo, output.audience)],
            list(templates),
            list(assets),
            project,
            f"{output.format}|{options}",
        )

    todo = []
    for output in outputs:
        known = cache.templates_of(output.relative)
        fetched = cache.assets_of(output.relative)
        if (
            not run.force
            and known is not None
            and cache.is_fresh(output.relative, key(output, known, fetched))
        ):
            report.skipped.append(output)
            _check_lines(report, output, cache.lines_of(output.relative), strict=run.strict)
            if progress:
                progress.step(output, "skipped")
        else:
            todo.append(output)
    if todo:
        _render_todo(run, todo, cache, key)
    keep = {(memo, audience) for memo in content.memos for audience in content.audiences}
    report.removed = [str(p.relative_to(project.output)) for p in cache.clean(keep)]
    index = project.output / "index.html"
    if report.written or report.removed or report.failures or cache.warnings or not index.is_file():
        # The index first: a build stopped between the two leaves a manifest that does not
        # vouch for this build's outputs, so the next build redoes them and the index again;
        # the other way round, it would find everything fresh and keep a stale index.
        write_atomic(index, render_index(content, project).encode("utf-8"))
        cache.save()


_templates_seen: dict[tuple[Path, ...], str] = {}
"""The state of each template search path as this process last compiled templates from it."""


def _forget_templates_if_changed(project: Project) -> None:
    """Drop the compiled templates if a file of the template folders was added, moved or
    changed since the last build in this process (`watch` builds on every save): Jinja's
    own check looks only at the files it already loaded, not at a new override."""
    render = sys.modules.get("briefing.render")
    if render is None:
        return
    from briefing.fresh import tree_digest  # noqa: PLC0415

    folders = tuple(project.template_dirs)
    state = tree_digest(list(folders), project.output)
    if _templates_seen.get(folders) != state:
        render.environment.cache_clear()
        _templates_seen.clear()
        _templates_seen[folders] = state


def _render_todo(
    run: _Run,
    todo: list[Output],
    cache: BuildCache,
    key: Callable[[Output, Iterable[str], Iterable[str]], str],
) -> None:
    """Render what is out of date (in worker processes) and write it as it arrives."""
    from briefing.pool import available_cores, render_many  # noqa: PLC0415 - only with work

    project, report, progress = run.project, run.report, run.progress
    content = report.checked.content
    unverified = report.checked.verification.unverified
    workers = run.jobs or available_cores()

    def weight(output: Output) -> tuple[bool, bool, bool]:
        """Likely longest first, so no worker is left with one long memo at the end."""
        profile = content.audiences[output.audience]
        return (
            FORMATS[output.format].slow,
            profile.show.evidence != "none",
            profile.page_budget is None,
        )

    def soonest(output: Output) -> tuple[bool, bool, bool]:
        """Likely soonest done first: pages before files, short memos before long ones,
        a PDF before its DOCX (`watch`: the page on screen, then the principal's PDF)."""
        profile = content.audiences[output.audience]
        return (
            not FORMATS[output.format].live,
            profile.show.evidence != "none" or profile.page_budget is None,
            not FORMATS[output.format].slow,
        )

    if run.renderer is not None:
        todo = sorted(todo, key=soonest)
        results = run.renderer(todo, content, project, unverified, run.limits)
    else:
        todo = sorted(todo, key=weight, reverse=True)
        results = render_many(todo, content, project, unverified, workers, run.limits)
    for result in results:
        output = result.output
        failed = result.data is not None and _check_lines(
            report, output, result.lines, strict=run.strict
        )
        if result.data is None or failed:
            if result.data is None:
                report.failures.append(result.failure or Failure(output, "B406", "failed"))
            cache.forget(output.relative)
        else:
            write_atomic(output.path(project.output), result.data)
            cache.record(
                output.relative,
                key(output, result.templates, result.assets),
                result.data,
                list(result.templates),
                list(result.assets),
                result.lines,
            )
            report.written.append(output)
            if result.pages is not None:
                report.pages[output.relative] = result.pages
        if progress:
            progress.step(output, "failed" if result.data is None or failed else "built")


LIMITED_TEXTS = {"bluf": "the BLUF", "question": "the issue for decision"}
"""How a message names each text a profile's `line_limits` may limit."""


def _check_lines(
    report: BuildReport, output: Output, lines: dict[str, int], *, strict: bool
) -> bool:
    """Compare the lines each limited text took with the profile's limits.

    Each text over its limit is a warning located at its YAML (W202); with `strict` it
    fails the output instead (B231), and the return value says so.
    """
    content = report.checked.content
    limits = content.audiences[output.audience].line_limits
    document = content.documents[("memo", output.memo)]
    failed = False
    for name, most in limits.items():
        took = lines.get(name)
        if took is None or took <= most:
            continue
        what = LIMITED_TEXTS[name]
        message = (
            f"{what} takes {took} lines in {output.relative}; audience '{output.audience}' "
            f"allows {most}"
        )
        hint = f"shorten {what}, or raise line_limits.{name} in the audience profile"
        problem = document.problem((name,), message, hint, code="W202")
        if strict:
            failed = True
            report.failures.append(
                Failure(output, "B231", f"{message}; {hint}", problem.location(Path.cwd()))
            )
        else:
            report.warnings.append(problem)
    return failed


def render_index(content: Content, project: Project) -> str:
    """The page that lists every memo, audience and format present in the output folder."""
    rows = []
    for memo_id, memo in sorted(content.memos.items()):
        for audience_id, audience in sorted(content.audiences.items()):
            links = {
                fmt: f"{memo_id}/{audience_id}.{fmt}"
                for fmt in MEMO.names
                if Output(memo_id, audience_id, fmt).path(project.output).is_file()
            }
            if links:
                rows.append({"memo": memo, "audience": audience, "links": links})
    from briefing.render import render_page  # noqa: PLC0415 - Jinja only when writing

    return render_page("index.html.j2", project.template_dirs, rows=rows)
