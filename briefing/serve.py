"""`briefing watch`: rebuild on save, serve the output on localhost, reload the browser.

HTML is rebuilt first and the page reloads as soon as it is written; PDFs follow in the
background of the same loop. A content error is shown in the terminal and over the page,
while the last good output stays in place. The reload script is added to pages only as
they are served: the files on disk stay exactly what a build writes.

The server answers only this machine: it listens on 127.0.0.1 and serves only requests
whose Host header names this machine and this port, so a web page elsewhere cannot read the
memos through DNS rebinding. A client that sends half a request is cut off after
REQUEST_TIMEOUT seconds rather than holding a thread for ever.
"""

from __future__ import annotations

import http.server
import json
import os
import re
import sys
import threading
import typing
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from briefing.errors import BriefingError, ContentError, printable
from briefing.formats import FORMATS
from briefing.pipeline import BuildReport, Status, build, check
from briefing.planning import Output, plan
from briefing.project import Project
from briefing.write import describe_os_error

if typing.TYPE_CHECKING:
    from briefing.pool import WarmPool

REQUEST_TIMEOUT = 5.0
"""Seconds a client may take over any read or write of its connection."""

_HOST = re.compile(r"(localhost|127\.0\.0\.1|\[::1\])(?::(\d{1,5}))?")
"""A Host header naming this machine, with or without a port."""

RELOAD = (Path(__file__).resolve().parent / "reload.html").read_bytes()
"""The script added to served pages: reload on each build, show the last error over the page."""


PAGES_KEPT = 64
"""Page events kept for connections that are between two reads."""


@dataclass
class State:
    """What the browser is told: a build number that changes on every build, and the error;
    and, while a round runs, each page as soon as it is rewritten, so that the page on
    screen reloads without waiting for the others (`page_written`)."""

    version: int = 0
    error: str | None = None
    changed: threading.Condition = field(default_factory=threading.Condition)
    pages: list[tuple[int, int, str]] = field(default_factory=list)
    """(number, round, path) of the latest pages rewritten: the round that rewrote them
    (the version it will publish) and the path as the server serves it."""
    pages_written: int = 0

    def publish(self, error: str | None) -> None:
        with self.changed:
            self.version += 1
            self.error = error
            self.changed.notify_all()

    def page_written(self, path: str) -> None:
        with self.changed:
            self.pages_written += 1
            page = (self.pages_written, self.version + 1, path)
            self.pages = [*self.pages[-PAGES_KEPT + 1 :], page]
            self.changed.notify_all()


def describe(error: BriefingError) -> str:
    """An error as the terminal and the page show it: the first problems and how many more
    there are, as `check` prints them."""
    from briefing.terminal import first_of  # noqa: PLC0415

    if isinstance(error, ContentError):
        shown, more = first_of(error.problems)
        lines = [problem.format(Path.cwd()) for problem in shown]
        return "\n".join([*lines, more] if more else lines)
    return str(error)


def rebuild(
    project: Project,
    state: State,
    formats: Iterable[str],
    jobs: int | None,
    say: Callable[[str], None],
    workers: WarmPool | None = None,
) -> BuildReport | None:
    """One round: the content checked once, then one build of every format, in the warm
    `workers` if given, the outputs likely soonest done first. Each page reloads as soon
    as it is rewritten, every page once the last HTML is; the PDFs follow in the same
    build, so the short memos' PDFs are not held up behind the long memos' pages.
    Errors are published, never raised."""
    try:
        checked = check(project)
        live = len(plan(checked.content, formats=[n for n in formats if FORMATS[n].live]))
        progress = _Round(state, live)
        report = build(
            project,
            formats=formats,
            jobs=1 if all(FORMATS[name].live for name in formats) else jobs,
            checked=checked,
            renderer=workers.render_many if workers else None,
            progress=progress,
        )
    except (BriefingError, OSError) as error:
        text = describe(error) if isinstance(error, BriefingError) else describe_os_error(error)
        say(text)
        state.publish(text)
        return None
    for problem in report.warnings:
        say(f"warning: {problem.format(Path.cwd())}")
    for name in sorted(formats, key=lambda name: not FORMATS[name].live):
        counts = [
            sum(output.format == name for output in outputs)
            for outputs in (report.written, report.skipped, [f.output for f in report.failures])
        ]
        if counts[0] or counts[2] or FORMATS[name].live:
            say(f"{name}: {counts[0]} built, {counts[1]} up to date, {counts[2]} failed")
    failures = "\n".join(f"{f.output.relative}: {f}" for f in report.failures)
    if failures:
        say(failures)
    say(f"done in {report.seconds:.2f} s")
    if failures or not progress.published:
        state.publish(failures or None)
    return report


class _Round:
    """Build progress for the browser: each page (HTML) as soon as it is written, and the
    round once the last page is, if none failed (a failure is published with its message
    when the build is over)."""

    def __init__(self, state: State, pages: int) -> None:
        self.state = state
        self.pending = pages
        self.failed = False
        self.published = False

    def start(self, total: int) -> None:
        """Nothing to say before the first page."""

    def step(self, output: Output, status: Status) -> None:
        if not FORMATS[output.format].live:
            return
        if status == "built":
            self.state.page_written("/" + output.relative)
        self.failed = self.failed or status == "failed"
        self.pending -= 1
        if self.pending == 0 and not self.failed:
            self.state.publish(None)
            self.published = True


def _newer_than(state: State, seen: int, pages_seen: int) -> Callable[[], bool]:
    return lambda: state.version != seen or state.pages_written != pages_seen


def addressed_here(host: str, port: int) -> bool:
    """Whether a Host header names this machine (and this server's port, if it names one).

    Matched whole: `localhost:8000@evil.example` or `localhost.evil.example` is another
    site's name, and a page from another site is exactly what must not be served.
    """
    found = _HOST.fullmatch(host.strip().lower())
    return found is not None and found.group(2) in (None, str(port))


def make_handler(
    root: Path, state: State, request_timeout: float = REQUEST_TIMEOUT
) -> type[http.server.BaseHTTPRequestHandler]:
    """A request handler serving `root` read-only, with the live-reload endpoints, that
    cuts a client off after `request_timeout` seconds without a read or write."""
    root = root.resolve()

    class Handler(http.server.BaseHTTPRequestHandler):
        timeout = request_timeout

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: the terminal is for build results."""

        def do_GET(self) -> None:
            port = typing.cast(http.server.HTTPServer, self.server).server_port
            if not addressed_here(self.headers.get("Host", ""), port):
                self._send(403, "text/plain; charset=utf-8", b"only served to this machine")
                return
            path = unquote(urlsplit(self.path).path)
            if path == "/__briefing/status":
                body = json.dumps({"version": state.version, "error": state.error}).encode()
                self._send(200, "application/json", body)
            elif path == "/__briefing/events":
                self._events()
            else:
                self._file(path)

        def _file(self, path: str) -> None:
            try:
                target = (root / path.lstrip("/")).resolve()
                if target.is_dir():
                    target = target / "index.html"
                hidden = any(part.startswith(".") for part in target.relative_to(root).parts)
            except (ValueError, OSError):
                hidden = True
            if hidden or not target.is_file():
                self._send(404, "text/plain; charset=utf-8", b"not found")
                return
            body = target.read_bytes()
            known = FORMATS.get(target.suffix.removeprefix("."))
            if target.suffix == ".html":
                body = body.replace(b"</body>", RELOAD + b"</body>", 1)
            self._send(200, known.media_type if known else "application/octet-stream", body)

        def _events(self) -> None:
            """Server-sent events: `data: N` when round N is done (every page reloads), and
            `event: page` with `N PATH` when round N has rewritten the page at PATH (that
            page reloads at once, and not again when round N is done)."""
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            seen = -1
            with state.changed:
                pages_seen = state.pages_written
            try:
                while True:
                    with state.changed:
                        state.changed.wait_for(_newer_than(state, seen, pages_seen), timeout=15)
                        current = state.version
                        pages = [page for page in state.pages if page[0] > pages_seen]
                        pages_seen = state.pages_written
                    said = [f"event: page\ndata: {round_} {path}\n\n" for _, round_, path in pages]
                    if current != seen:
                        said.append(f"data: {current}\n\n")
                        seen = current
                    self.wfile.write("".join(said).encode() or b": still here\n\n")
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                return

        def _send(self, status: int, kind: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

    return Handler


class ServeError(BriefingError):
    """The server cannot listen on the port asked for (a usage error)."""

    exit_code = 2
    code = "B506"


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128
    """Connections waiting to be accepted: a page and its reloads, tabs, many at once."""

    def __init__(
        self,
        address: tuple[str, int],
        handler: type[http.server.BaseHTTPRequestHandler],
        say: Callable[[str], None],
    ) -> None:
        self.say = say
        super().__init__(address, handler)

    def handle_error(self, request: object, client_address: object) -> None:
        """One line for a request that failed, never socketserver's traceback.

        A browser that leaves a page while it loads resets its connection, and the
        terminal is for build results: socketserver would print a whole traceback for
        each ("Exception occurred during processing of request"). The server goes on.
        """
        self.say(request_failed(sys.exc_info()[1], client_address))


_CLOSED_EARLY = (ConnectionResetError, BrokenPipeError, ConnectionAbortedError, TimeoutError)
"""How a connection the client closed, or let go quiet, shows up while it is answered."""


def request_failed(error: BaseException | None, client: object) -> str:
    """The line said when answering a request failed: who asked, and what went wrong."""
    host, port, *_ = client if isinstance(client, tuple) else (client, "?")
    if isinstance(error, _CLOSED_EARLY):
        return f"{host}:{port} closed the connection before its answer was sent"
    what = f"{type(error).__name__}: {error}" if error is not None else "unknown error"
    return f"answering {host}:{port} failed: {printable(what[:200], one_line=True)}"


def _say_on_stderr(text: str) -> None:
    """Where the server says a failed request when no one else listens."""
    print(text, file=sys.stderr)


def serve(
    root: Path,
    state: State,
    port: int,
    say: Callable[[str], None] = _say_on_stderr,
    request_timeout: float = REQUEST_TIMEOUT,
) -> http.server.ThreadingHTTPServer:
    """Start serving `root` on localhost in a background thread; return the server.

    A request that fails (a client gone mid-answer) is said in one line through `say`; a
    client silent for `request_timeout` seconds is cut off (a test need not wait the
    REQUEST_TIMEOUT a browser is given).
    """
    try:
        handler = make_handler(root, state, request_timeout)
        server = _Server(("127.0.0.1", port), handler, say)
    except OSError as error:
        raise ServeError(
            f"cannot serve on 127.0.0.1:{port}: {error.strerror or error} "
            "(choose another port with --port, or stop what is using it)"
        ) from None
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def watch(
    project: Project,
    port: int,
    formats: tuple[str, ...],
    jobs: int | None,
    say: Callable[[str], None],
    stop: threading.Event | None = None,
) -> None:
    """Build, serve, and rebuild on every change to content, seeds or templates.

    The folders are watched from before the first build, so a file saved while it runs is
    built next, not lost (a save is never missed between two rounds either: changes pile up
    while a round runs and the next round takes them all)."""
    from briefing.pool import WarmPool, available_cores  # noqa: PLC0415

    watched = [p for p in (project.content, project.seeds, *project.template_dirs) if p.exists()]
    state = State()
    project.output.mkdir(parents=True, exist_ok=True)
    inside = [project.root, *project.template_dirs]  # a --templates folder may lie elsewhere
    with Changes(watched, inside=inside, left_out=[project.output], say=say) as changes:
        workers = None
        if any(not FORMATS[name].live for name in formats):
            workers = WarmPool(jobs or available_cores(), project)
        server = serve(project.output, state, port, say)
        address = f"http://127.0.0.1:{server.server_address[1]}/"
        say(f"serving {project.output} at {address} (Ctrl-C stops)")
        try:
            first = rebuild(project, state, formats, jobs, say, workers)
            if workers is not None and first is not None and not first.written:
                workers.warm(first.checked.content, _shortest_pdf(first))
            for names in changes.each_save(stop):
                say(f"changed: {', '.join(names)}")
                rebuild(project, state, formats, jobs, say, workers)
        finally:
            server.shutdown()
            if workers is not None:
                workers.close()


class Changes:
    """The files changed under some folders, recorded from the moment this is made.

    watchfiles' `watch()` starts its watcher only when first asked for changes, which in a
    loop of build-then-wait is after the first build: a save made during that build was
    lost. Its Rust watcher, made here with the settings `watch()` would give it (the
    WATCHFILES_* environment variables, polling where notifications do not reach, as under
    WSL), records from its creation; `each_save` collects what piled up meanwhile and then
    waits for the next save, grouped and filtered as `watchfiles.watch` does (editors' swap
    files, `.git`, caches left out).

    Only folders inside `inside` (the project, and the template folders) are watched.
    The watcher follows links when it watches a tree, so a `content/shared` linked to /usr
    would add a watch for each of its thousands of folders and rebuild on changes there.
    So each folder is watched on its own (not its tree): the folders are listed here,
    links that stay inside followed, a link out left unwatched and said once; the list is
    made again after each save, which may have added or removed a folder. A change whose
    real path is outside is no save.
    """

    DEBOUNCE_MS = 1600
    """At most this long to gather one save's burst of events (watchfiles' default)."""
    STEP_MS = 50
    """A burst is over once no event came for this long; Ctrl-C and `stop` are noticed
    within it too."""
    WAIT_MS = 5000
    """The longest single wait for a first event before waiting again (watchfiles' default)."""

    def __init__(
        self,
        folders: list[Path],
        *,
        inside: list[Path] | None = None,
        left_out: list[Path] | None = None,
        say: Callable[[str], None] | None = None,
    ) -> None:
        """Watch `folders` and the folders in them that lie inside `inside` (by default,
        the folders themselves), but none under `left_out` (the output, which every
        build rewrites); `say` is told once of each link out that is not watched."""
        from watchfiles import DefaultFilter  # noqa: PLC0415 - only `watch` needs it

        self._folders = folders
        self._inside = [folder.resolve() for folder in inside or folders]
        self._left_out = [folder.resolve() for folder in left_out or []]
        self._say = say or (lambda text: None)
        self._warned: set[Path] = set()
        self._wanted = DefaultFilter()
        self._watched = self._folders_to_watch()
        self._notify = self._notifier(self._watched)

    def _notifier(self, folders: list[Path]) -> typing.Any:
        """A Rust watcher of each of `folders` on its own, with the settings of `watch()`."""
        from watchfiles._rust_notify import RustNotify  # noqa: PLC0415 - its documented backend
        from watchfiles.main import (  # noqa: PLC0415 - the settings watch() gives it
            _default_debug,
            _default_force_polling,
            _default_ignore_permission_denied,
            _default_poll_delay_ms,
        )

        return RustNotify(
            watch_paths=[str(folder) for folder in folders],
            debug=_default_debug(None),
            force_polling=_default_force_polling(None),
            poll_delay_ms=_default_poll_delay_ms(300),
            recursive=False,
            ignore_permission_denied=_default_ignore_permission_denied(None),
        )

    def _folders_to_watch(self) -> list[Path]:
        """The real paths of the folders to watch: the given ones and every folder under
        them, through links that stay inside; none twice, none the filter leaves out."""
        found: set[Path] = set()
        pending = list(self._folders)
        while pending:
            real = self._real_inside(pending.pop())
            if real is None or real in found:
                continue
            found.add(real)
            try:
                with os.scandir(real) as entries:
                    pending += [
                        real / entry.name
                        for entry in entries
                        if entry.name not in self._wanted.ignore_dirs and _is_folder(entry)
                    ]
            except OSError:  # gone, or not readable: nothing under it to watch
                continue
        return sorted(found)

    def _real_inside(self, folder: Path) -> Path | None:
        """The real path of a folder to watch, or None if it leads out (said once)."""
        try:
            real = folder.resolve()
        except (OSError, RuntimeError):  # a symlink loop
            return None
        if any(real.is_relative_to(left) for left in self._left_out):
            return None
        if not self._is_inside(real):
            if folder not in self._warned:
                self._warned.add(folder)
                self._say(f"not watching {folder}: it is a link to '{real}', outside the project")
            return None
        return real

    def _is_inside(self, real: Path) -> bool:
        return any(real.is_relative_to(root) for root in self._inside)

    def _changed_inside(self, path: str) -> bool:
        """Whether a reported change is to a file whose real path lies inside."""
        try:
            return self._is_inside(Path(path).resolve())
        except (OSError, RuntimeError):
            return False

    def _refresh(self) -> None:
        """Watch the folders as they are now: a save may have added or removed one.

        The new watcher starts before the old one stops, so no save falls between them.
        """
        folders = self._folders_to_watch()
        if folders == self._watched:
            return
        try:
            notify = self._notifier(folders)
        except OSError:  # a folder went again meanwhile: the next save lists them again
            return
        self._notify.close()
        self._notify, self._watched = notify, folders

    def __enter__(self) -> Changes:
        return self

    def __exit__(self, *exc: object) -> None:
        self._notify.close()

    def each_save(self, stop: threading.Event | None = None) -> Iterator[list[str]]:
        """The names of the files changed by each save, sorted, until `stop` is set (or
        KeyboardInterrupt on Ctrl-C)."""
        from watchfiles import Change  # noqa: PLC0415

        while True:
            raw = self._notify.watch(self.DEBOUNCE_MS, self.STEP_MS, self.WAIT_MS, stop)
            if raw == "signal":
                raise KeyboardInterrupt
            if raw == "stop":
                return
            if raw == "timeout":
                continue
            self._refresh()
            paths = {
                path
                for kind, path in raw
                if self._wanted(Change(kind), path) and self._changed_inside(path)
            }
            if paths:
                yield sorted({Path(path).name for path in paths})


def _is_folder(entry: os.DirEntry[str]) -> bool:
    """Whether a folder entry is a folder, or a link to one (which is then checked)."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def _shortest_pdf(report: BuildReport) -> Output | None:
    """The output a warm worker renders to get ready: the PDF of the memo and audience with
    the smallest page budget (the principal's, in the shipped content)."""
    content = report.checked.content
    budgets = sorted(
        (profile.page_budget, name)
        for name, profile in content.audiences.items()
        if profile.page_budget is not None
    )
    if not content.memos or not budgets or "pdf" not in FORMATS:
        return None
    return Output(min(content.memos), budgets[0][1], "pdf")
