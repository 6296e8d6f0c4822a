"""Rendering outputs in a pool of worker processes.

Each worker receives the checked content once, imports WeasyPrint once, and keeps one font
configuration for all its documents. Workers are spawned, not forked, so a parent that has
already loaded Pango and its threads never hands a half-copied state to a child. Results,
failures included, come back as plain data: nothing a worker raises reaches the user as a
traceback.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Any

from briefing.errors import BriefingError
from briefing.plan import Output
from briefing.project import BUILTIN_TEMPLATES, Project
from briefing.render import render_html
from briefing.resolve import resolve_view
from briefing.validate import Content


@dataclass(frozen=True)
class Result:
    """One rendered output: its bytes and templates, or the message saying why it failed."""

    output: Output
    data: bytes | None
    templates: frozenset[str]
    error: str | None


def available_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


_worker: dict[str, Any] = {}


def _start_worker(
    content: Content, project: Project, unverified: frozenset[tuple[str, str]]
) -> None:
    _worker.update(content=content, project=project, unverified=unverified)


def _render_in_worker(output: Output) -> Result:
    return render_output(_worker["content"], _worker["project"], output, _worker["unverified"])


def render_output(
    content: Content,
    project: Project,
    output: Output,
    unverified: frozenset[tuple[str, str]] = frozenset(),
) -> Result:
    """Render one output; any failure becomes a message on the result."""
    try:
        view = resolve_view(content, output.memo, output.audience, unverified)
        rendered = render_html(view, project.template_dirs, output.format)
        if output.format == "html":
            return Result(output, rendered.html.encode("utf-8"), rendered.templates, None)
        from briefing.pdf import render_pdf  # noqa: PLC0415 - WeasyPrint only for PDFs

        data = render_pdf(
            rendered.html,
            asset_root=BUILTIN_TEMPLATES / "assets",
            allowed_roots=[d / "assets" for d in project.template_dirs],
            memo=output.memo,
            audience=output.audience,
            page_budget=view.audience.page_budget,
            dated=view.memo.date,
            standard=view.audience.pdf_standard,
        )
        return Result(output, data, rendered.templates, None)
    except BriefingError as error:
        return Result(output, None, frozenset(), str(error))
    except Exception as error:
        return Result(
            output, None, frozenset(), f"could not render: {type(error).__name__}: {error}"
        )


def render_many(
    outputs: list[Output],
    content: Content,
    project: Project,
    unverified: frozenset[tuple[str, str]],
    jobs: int,
) -> Iterator[Result]:
    """Render outputs, in worker processes when there is more than one job to share."""
    if jobs <= 1 or len(outputs) <= 1:
        for output in outputs:
            yield render_output(content, project, output, unverified)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=min(jobs, len(outputs)),
        mp_context=context,
        initializer=_start_worker,
        initargs=(content, project, unverified),
    ) as pool:
        futures = [pool.submit(_render_in_worker, output) for output in outputs]
        for future in as_completed(futures):
            yield future.result()
