"""The library API: check content, build memos. Never prints, never exits.

Everything is read and checked before anything is written (MkDocs' habit), so content
errors stop a build with the previous outputs untouched.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from briefing.errors import BriefingError, ContentError, SelectionError
from briefing.project import BUILTIN_TEMPLATES, Project
from briefing.render import render_html, render_page
from briefing.resolve import resolve_view
from briefing.validate import Content, validate_content
from briefing.verify import Verification, verify_quotes
from briefing.write import write_atomic

Format = Literal["html", "pdf"]
FORMATS: tuple[Format, ...] = ("html", "pdf")


@dataclass(frozen=True)
class Checked:
    """Content that validated and whose every quote was found in its source."""

    content: Content
    verification: Verification


@dataclass(frozen=True)
class Output:
    """One file a build makes: a memo, for an audience, in a format."""

    memo: str
    audience: str
    format: Format

    def path(self, root: Path) -> Path:
        return root / self.memo / f"{self.audience}.{self.format}"


@dataclass
class BuildReport:
    """What a build wrote and what failed; failed outputs keep their previous file."""

    checked: Checked
    written: list[Path] = field(default_factory=list)
    failures: list[tuple[Output, BriefingError]] = field(default_factory=list)


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


def plan(
    content: Content,
    memos: Iterable[str] = (),
    audiences: Iterable[str] = (),
    formats: Iterable[Format] = FORMATS,
) -> list[Output]:
    """The outputs a build makes; an unknown memo or audience name is a usage error."""
    memo_ids = _select(list(memos), content.memos, "memo")
    audience_ids = _select(list(audiences), content.audiences, "audience")
    return [Output(m, a, f) for m in memo_ids for a in audience_ids for f in formats]


def _select(wanted: list[str], known: Mapping[str, object], what: str) -> list[str]:
    unknown = [name for name in wanted if name not in known]
    if unknown:
        raise SelectionError(
            f"unknown {what} '{unknown[0]}'; choose from: {', '.join(sorted(known))}"
        )
    return wanted or sorted(known)


def build(
    project: Project,
    memos: Iterable[str] = (),
    audiences: Iterable[str] = (),
    formats: Iterable[Format] = FORMATS,
    progress: Callable[[Output], None] | None = None,
    *,
    draft: bool = False,
) -> BuildReport:
    """Check the content, then render and write each selected output.

    A draft build goes ahead despite unverified quotes, marking each one in the output.
    """
    checked = check(project, draft=draft)
    report = BuildReport(checked)
    unverified = checked.verification.unverified
    for output in plan(checked.content, memos, audiences, formats):
        try:
            data = render_output(checked.content, project, output, unverified)
        except BriefingError as error:
            report.failures.append((output, error))
        else:
            path = output.path(project.output)
            write_atomic(path, data)
            report.written.append(path)
        if progress:
            progress(output)
    index = project.output / "index.html"
    write_atomic(index, render_index(checked.content, project).encode("utf-8"))
    report.written.append(index)
    return report


def render_index(content: Content, project: Project) -> str:
    """The page that lists every memo, audience and format present in the output folder."""
    rows = []
    for memo_id, memo in sorted(content.memos.items()):
        for audience_id, audience in sorted(content.audiences.items()):
            links = {
                fmt: f"{memo_id}/{audience_id}.{fmt}"
                for fmt in FORMATS
                if Output(memo_id, audience_id, fmt).path(project.output).is_file()
            }
            if links:
                rows.append({"memo": memo, "audience": audience, "links": links})
    return render_page("index.html.j2", project.template_dirs, rows=rows)


def render_output(
    content: Content,
    project: Project,
    output: Output,
    unverified: frozenset[tuple[str, str]] = frozenset(),
) -> bytes:
    """The bytes of one output."""
    view = resolve_view(content, output.memo, output.audience, unverified)
    html = render_html(view, project.template_dirs, output.format)
    if output.format == "html":
        return html.encode("utf-8")
    from briefing.pdf import render_pdf  # noqa: PLC0415 - WeasyPrint only when a PDF is made

    return render_pdf(
        html,
        asset_root=BUILTIN_TEMPLATES / "assets",
        allowed_roots=[d / "assets" for d in project.template_dirs],
        memo=output.memo,
        audience=output.audience,
        page_budget=view.audience.page_budget,
        dated=view.memo.date,
        standard=view.audience.pdf_standard,
    )
