"""Rendering outputs in a pool of worker processes.

Each worker receives the checked content once, imports WeasyPrint once, and keeps one font
configuration for all its documents. Results, failures included, come back as plain data:
nothing a worker raises reaches the user as a traceback.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from briefing.assets import ASSETS
from briefing.errors import BriefingError
from briefing.plan import Output
from briefing.project import BUILTIN_TEMPLATES, Project
from briefing.render import render_html
from briefing.resolve import resolve_view
from briefing.validate import Content


@dataclass(frozen=True)
class Result:
    """One rendered output: its bytes and what it was made from (the templates, and for a
    PDF the asset names its fetcher was asked for), or the message saying why it failed."""

    output: Output
    data: bytes | None
    templates: frozenset[str]
    error: str | None
    assets: frozenset[str] = frozenset()


def available_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


TIME_LIMIT = 120.0
"""Seconds one output may take before it is stopped: a hostile or broken template or
stylesheet must not hold a build for ever."""

_worker: dict[str, Any] = {}


class _TimeUp(BaseException):
    """Raised by the timer; a BaseException so that no `except Exception` inside the
    renderer can swallow it."""


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(signum: int, frame: object) -> None:
        raise _TimeUp

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _start_worker(
    content: Content,
    project: Project,
    unverified: frozenset[tuple[str, str]],
    time_limit: float,
) -> None:
    _worker.update(content=content, project=project, unverified=unverified, limit=time_limit)


def _render_in_worker(output: Output) -> Result:
    return render_output(
        _worker["content"], _worker["project"], output, _worker["unverified"], _worker["limit"]
    )


def render_output(
    content: Content,
    project: Project,
    output: Output,
    unverified: frozenset[tuple[str, str]] = frozenset(),
    time_limit: float = TIME_LIMIT,
) -> Result:
    """Render one output within its time limit; any failure becomes a message on the result."""
    try:
        with _time_limit(time_limit):
            return _render(content, project, output, unverified)
    except _TimeUp:
        return Result(
            output,
            None,
            frozenset(),
            f"[B405] stopped after {time_limit:g} s; a memo this slow points to a runaway template "
            "or stylesheet (raise --time-limit if it is genuinely that long)",
        )
    except BriefingError as error:
        return Result(output, None, frozenset(), str(error))
    except Exception as error:
        return Result(
            output, None, frozenset(), f"[B406] could not render: {type(error).__name__}: {error}"
        )


def _render(
    content: Content, project: Project, output: Output, unverified: frozenset[tuple[str, str]]
) -> Result:
    view = resolve_view(content, output.memo, output.audience, unverified)
    rendered = render_html(view, project.template_dirs, output.format)
    if output.format == "html":
        return Result(output, rendered.html.encode("utf-8"), rendered.templates, None)
    from briefing.pdf import render_pdf  # noqa: PLC0415 - WeasyPrint only for PDFs

    pdf = render_pdf(
        rendered.html,
        asset_root=BUILTIN_TEMPLATES / ASSETS,
        template_dirs=project.template_dirs,
        memo=output.memo,
        audience=output.audience,
        page_budget=view.audience.page_budget,
        dated=view.memo.date,
        standard=view.audience.pdf_standard,
    )
    return Result(output, pdf.data, rendered.templates, None, pdf.assets)


def _start_method() -> str:
    """Fork while this process has not loaded WeasyPrint (the CLI never has: workers then
    start in milliseconds with everything else already imported); spawn once it has, since
    a fork would copy Pango's state and threads half-made."""
    if sys.platform == "linux" and "weasyprint" not in sys.modules:
        return "fork"
    return "spawn"


def render_many(
    outputs: list[Output],
    content: Content,
    project: Project,
    unverified: frozenset[tuple[str, str]],
    jobs: int,
    time_limit: float = TIME_LIMIT,
) -> Iterator[Result]:
    """Render outputs, in worker processes when there is more than one job to share."""
    if jobs <= 1 or len(outputs) <= 1:
        for output in outputs:
            yield render_output(content, project, output, unverified, time_limit)
        return
    context = multiprocessing.get_context(_start_method())
    with ProcessPoolExecutor(
        max_workers=min(jobs, len(outputs)),
        mp_context=context,
        initializer=_start_worker,
        initargs=(content, project, unverified, time_limit),
    ) as pool:
        futures = {pool.submit(_render_in_worker, output): output for output in outputs}
        for future in as_completed(futures):
            try:
                yield future.result()
            except BrokenProcessPool as error:
                message = f"[B406] a worker process died while rendering ({error})"
                yield Result(futures[future], None, frozenset(), message)
