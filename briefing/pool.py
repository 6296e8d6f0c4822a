"""Rendering outputs in a pool of worker processes.

Each worker receives the checked content once, imports WeasyPrint once, and keeps one font
configuration for all its documents. Results, failures included, come back as plain data:
nothing a worker raises reaches the user as a traceback.
"""

from __future__ import annotations

import ctypes
import importlib
import itertools
import multiprocessing
import os
import pickle
import resource
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from briefing.content import Content
from briefing.errors import BriefingError
from briefing.formats import FORMATS, MEMO
from briefing.limits import DEFAULT_LIMITS, Limits
from briefing.made import Pages
from briefing.planning import Failure, Output
from briefing.project import Project
from briefing.resolve import resolve_view


@dataclass(frozen=True)
class Result:
    """One rendered output: its bytes and what it was made from (the templates, and for a
    PDF the asset names its fetcher was asked for), or the message saying why it failed."""

    output: Output
    data: bytes | None
    templates: frozenset[str]
    failure: Failure | None
    assets: frozenset[str] = frozenset()
    pages: Pages | None = None
    lines: dict[str, int] = field(default_factory=dict)


def available_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


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


@contextmanager
def _memory_limit(megabytes: int) -> Iterator[None]:
    """Let the render add at most `megabytes` of address space to this process.

    The limit is relative to what the process already holds (a warm worker keeps WeasyPrint
    and its fonts; a fresh one imports them during its first render, which counts), so one
    value fits the CLI's workers, `watch`'s and a build rendered in-process. Going over it
    makes the allocation fail with MemoryError in this output only: the process, its pool
    and the other outputs live on. A limit already set on the process (`ulimit -v`) is never
    loosened, and the previous limit is put back afterwards.
    """
    used = _address_space()
    if megabytes <= 0 or used is None:
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    wanted = used + megabytes * 2**20
    for ceiling in (soft, hard):
        if ceiling != resource.RLIM_INFINITY:
            wanted = min(wanted, ceiling)
    resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _address_space() -> int | None:
    """Bytes of address space this process holds now (Linux), or None where it cannot tell."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            pages = int(statm.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE")


def _start_worker(
    content: Content,
    project: Project,
    unverified: frozenset[tuple[str, str]],
    limits: Limits,
    parent: int,
) -> None:
    """Set a worker up: tied to its parent's life, deaf to Ctrl-C, holding the content."""
    _die_with(parent)
    # Ctrl-C in a terminal reaches the whole process group; the parent alone handles it
    # (and stops the workers), so a worker never prints a KeyboardInterrupt traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker.update(content=content, project=project, unverified=unverified, limits=limits)


PR_SET_PDEATHSIG = 1
"""prctl(2) option: the signal the kernel sends a process when its parent ends."""


def _die_with(parent: int) -> None:
    """End this worker as soon as `parent` ends, however it ends (kill -9 included).

    A worker whose parent has gone would otherwise wait for work for ever. On Linux the
    kernel sends SIGKILL at the parent's death (PR_SET_PDEATHSIG); elsewhere a thread
    checks every half second. The parent may already have died before the request was
    made, so the parent is checked once afterwards: a worker adopted by another process
    ends at once. (Strictly, Linux signals when the parent *thread* that started the worker
    ends; render_many starts and stops its pool in the one thread that reads its results.)
    """
    if not _ask_for_death_signal():
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:
        os._exit(1)


def _ask_for_death_signal() -> bool:
    """Ask Linux to SIGKILL this process when the thread that started it ends."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return int(libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _render_in_worker(output: Output) -> Result:
    return render_output(
        _worker["content"], _worker["project"], output, _worker["unverified"], _worker["limits"]
    )


def render_output(
    content: Content,
    project: Project,
    output: Output,
    unverified: frozenset[tuple[str, str]] = frozenset(),
    limits: Limits = DEFAULT_LIMITS,
) -> Result:
    """Render one output within its time and memory limits; any failure becomes a message
    on the result."""
    try:
        with _time_limit(limits.seconds), _memory_limit(limits.megabytes):
            return _render(content, project, output, unverified)
    except _TimeUp:
        message = (
            f"stopped after {limits.seconds:g} s; a memo this slow points to a runaway "
            "template or stylesheet (raise --time-limit if it is genuinely that long)"
        )
        return Result(output, None, frozenset(), Failure(output, "B405", message))
    except MemoryError:
        message = (
            f"stopped: it needed more than {limits.megabytes:,} MB of memory; a memo needs far "
            "less, so this points to a runaway template or stylesheet (raise --memory-limit "
            "if it is genuinely that large)"
        )
        return Result(output, None, frozenset(), Failure(output, "B409", message))
    except BriefingError as error:
        return Result(output, None, frozenset(), Failure.of(output, error))
    except Exception as error:
        message = f"could not render: {type(error).__name__}: {error}"
        return Result(output, None, frozenset(), Failure(output, "B406", message))


def _render(
    content: Content, project: Project, output: Output, unverified: frozenset[tuple[str, str]]
) -> Result:
    view = resolve_view(content, output.memo, output.audience, unverified)
    made = MEMO.render(output.format, view, project)
    return Result(output, made.data, made.templates, None, made.assets, made.pages, made.lines)


def _start_method() -> str:
    """Fork while this process has not loaded WeasyPrint (the CLI never has: workers then
    start in milliseconds with everything else already imported); spawn once it has, since
    a fork would copy Pango's state and threads half-made."""
    if sys.platform == "linux" and "weasyprint" not in sys.modules:
        return "fork"
    return "spawn"


def _as_completed(
    futures: dict[Future[Result], Output], broken: Callable[[], None] | None = None
) -> Iterator[Result]:
    """Each result as its worker finishes it; where a worker died (killed, out of memory),
    a B406 failure for its output, after which `broken` is told (a kept pool replaces
    itself)."""
    for future in as_completed(futures):
        try:
            yield future.result()
        except BrokenProcessPool as error:
            message = f"a worker process died while rendering ({error})"
            yield Result(
                futures[future], None, frozenset(), Failure(futures[future], "B406", message)
            )
            if broken is not None:
                broken()


def render_many(
    outputs: list[Output],
    content: Content,
    project: Project,
    unverified: frozenset[tuple[str, str]],
    jobs: int,
    limits: Limits = DEFAULT_LIMITS,
) -> Iterator[Result]:
    """Render outputs, in worker processes when there is more than one job to share."""
    if jobs <= 1 or len(outputs) <= 1:
        for output in outputs:
            yield render_output(content, project, output, unverified, limits)
        return
    context = multiprocessing.get_context(_start_method())
    pool = ProcessPoolExecutor(
        max_workers=min(jobs, len(outputs)),
        mp_context=context,
        initializer=_start_worker,
        initargs=(content, project, unverified, limits, os.getpid()),
    )
    try:
        futures = {pool.submit(_render_in_worker, output): output for output in outputs}
        yield from _as_completed(futures)
    except BaseException:
        _stop_now(pool)
        raise
    finally:
        pool.shutdown(wait=True)


class WarmPool:
    """Render workers kept alive between the rebuilds of `briefing watch`.

    A cold build pays, in every worker, for importing WeasyPrint, loading the fonts and
    each stylesheet's first use; on a save that is most of the time a short memo takes.
    These workers pay it once: they start with the renderers imported, and keep their font
    configuration and compiled templates from one rebuild to the next. They are forgotten
    only when a file of the template folders changes (a stylesheet, a font, a template),
    so that every output is exactly what a cold build makes of the same files. Each task
    carries the checked content of its rebuild (a few hundred kilobytes, pickled in
    milliseconds). Workers are spawned, never forked: the watching process runs a server
    thread, and a fork would copy its locks mid-use.
    """

    def __init__(self, jobs: int, project: Project) -> None:
        self.jobs = max(1, jobs)
        self.project = project
        self._pool: ProcessPoolExecutor | None = None

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=self.jobs,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_warm_worker,
                initargs=(os.getpid(),),
            )
        return self._pool

    def warm(self, content: Content, first: Output | None) -> None:
        """Start every worker now and have each render `first` (an output kept nowhere),
        so that the first save already finds them warm."""
        pool = self._executor()
        if first is None:
            return
        state = _template_state(self.project)
        packed = _Packed.of(content)
        for _ in range(self.jobs):
            pool.submit(_render_warm, packed, self.project, first, frozenset(), Limits(0.0), state)

    def render_many(
        self,
        outputs: list[Output],
        content: Content,
        project: Project,
        unverified: frozenset[tuple[str, str]],
        limits: Limits = DEFAULT_LIMITS,
    ) -> Iterator[Result]:
        """Render outputs in the warm workers, yielding each result as it arrives; a pool
        that broke (a worker killed) is replaced for the next rebuild."""
        pool = self._executor()
        state = _template_state(project)
        packed = _Packed.of(content)
        futures = {
            pool.submit(_render_warm, packed, project, output, unverified, limits, state): (output)
            for output in outputs
        }
        try:
            yield from _as_completed(futures, broken=self.close)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        """End the workers now (their work is abandoned)."""
        if self._pool is not None:
            _stop_now(self._pool)
            self._pool = None


def _template_state(project: Project) -> str:
    """The state of every file of the template folders (names, sizes, times), which a warm
    worker compares with the last it saw before trusting what it keeps."""
    from briefing.fresh import tree_digest  # noqa: PLC0415

    return tree_digest(project.template_dirs, project.output)


def _start_warm_worker(parent: int) -> None:
    """Set a warm worker up: tied to its parent, deaf to Ctrl-C, and with the modules every
    registered format's renderers use imported once, before the first save."""
    _die_with(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for module in dict.fromkeys(m for fmt in FORMATS.values() for m in fmt.imports):
        importlib.import_module(module)


@dataclass(frozen=True)
class _Packed:
    """Checked content pickled once per build rather than once per output; a worker
    unpickles it once per build too (`number` tells it whether it already has)."""

    number: int
    data: bytes

    @classmethod
    def of(cls, content: Content) -> _Packed:
        return cls(next(_packings), pickle.dumps(content, pickle.HIGHEST_PROTOCOL))

    def content(self) -> Content:
        if _worker.get("packed") != self.number:
            _worker.update(packed=self.number, content=pickle.loads(self.data))
        content: Content = _worker["content"]
        return content


_packings = itertools.count()


def _render_warm(
    packed: _Packed,
    project: Project,
    output: Output,
    unverified: frozenset[tuple[str, str]],
    limits: Limits,
    templates: str,
) -> Result:
    """Render one output in a warm worker, first forgetting the compiled templates and the
    fonts if a file of the template folders has changed since the last render."""
    if _worker.get("templates") != templates:
        from briefing import pdf, render  # noqa: PLC0415

        render.environment.cache_clear()
        pdf.forget_fonts()
        _worker["templates"] = templates
    return render_output(packed.content(), project, output, unverified, limits)


def _stop_now(pool: ProcessPoolExecutor) -> None:
    """Drop the work not yet started and end the workers now.

    For an interrupted build (Ctrl-C) or a caller that stopped reading results: a plain
    shutdown would first render every output still queued.
    """
    # The executor offers no public way to end its workers before Python 3.14.
    workers = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for worker in workers:
        worker.kill()
    for worker in workers:
        worker.join(timeout=5)
