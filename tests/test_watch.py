"""`briefing watch`, driven as a user would: save a file, the served page changes.

And as a hostile neighbour would: requests that climb out of the output folder, follow
links, ask for hidden files, name another site in their Host header, never finish, or come
by the thousand while a rebuild runs. Every request goes to a real server on 127.0.0.1.
"""

from __future__ import annotations

import http.client
import json
import re
import resource
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from briefing.serve import REQUEST_TIMEOUT, State, serve

ROOT = Path(__file__).resolve().parent.parent
STAFF = "/taliban-policy/staff.html"
SAVED = ("Keep the present course, saved once", "Hold the present course, saved twice")
"""Titles a test gives the status quo's position in turn, none of them the shipped one's."""


def start_watch(content: Path, out: Path, log: Path, **options: object) -> subprocess.Popen[bytes]:
    """A real `briefing watch` (HTML only, a free port) logging to `log`."""
    with log.open("wb") as stderr:
        return subprocess.Popen(
            [sys.executable, str(ROOT / "build.py"), "watch", "--content", str(content),
             "--out", str(out), "--port", "0", "--format", "html"],
            stderr=stderr,
            **options,  # type: ignore[call-overload]
        )  # fmt: skip


def address_of(process: subprocess.Popen[bytes], log: Path) -> str:
    """The address the watch says it serves at, once it says so."""
    deadline = time.monotonic() + 30
    while not (found := re.search(r"http://127\.0\.0\.1:\d+/", log.read_text())):
        assert process.poll() is None, log.read_text()
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    return found.group()


@pytest.fixture
def watching(project_copy: Path, tmp_path: Path) -> Iterator[str]:
    """A running `briefing watch` on a copy of the content (HTML only); yields its address."""
    log = tmp_path / "watch.log"
    process = start_watch(project_copy, tmp_path / "out", log)
    try:
        yield address_of(process, log)
    finally:
        process.terminate()
        process.wait(timeout=10)


@dataclass(frozen=True)
class Served:
    """One watch shared by the tests of the server: its port and its folders."""

    port: int
    content: Path
    out: Path

    @property
    def address(self) -> str:
        return f"http://127.0.0.1:{self.port}/"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """A watch on its own copy of the content, first build done; the tests of this module
    share it, and only the last one edits the content."""
    root = tmp_path_factory.mktemp("served")
    shutil.copytree(ROOT / "content", root / "content")
    shutil.copytree(ROOT / "seeds", root / "seeds")
    log = root / "watch.log"
    process = start_watch(root / "content", root / "out", log)
    try:
        address = address_of(process, log)
        here = Served(int(address.rsplit(":", 1)[1].strip("/")), root / "content", root / "out")
        _wait(lambda: _status(here.address)["version"] == 1)
        yield here
    finally:
        process.terminate()
        process.wait(timeout=10)


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return str(response.read().decode("utf-8"))


def request(port: int, path: str, host: str | None = None) -> tuple[int, bytes]:
    """GET `path` exactly as given (no normalising), with the Host header given."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
        connection.putheader("Host", host if host is not None else f"127.0.0.1:{port}")
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def _wait(condition: Callable[[], bool], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def _status(address: str) -> dict[str, object]:
    return dict(json.loads(_get(address + "__briefing/status")))


def _title(position: Path) -> str:
    """A position's title as its file gives it."""
    return str(yaml.safe_load(position.read_text(encoding="utf-8"))["title"])


def _retitle(position: Path, title: str) -> None:
    """Save the position with its `title:` line saying `title`, whatever it said before."""
    text = position.read_text(encoding="utf-8")
    changed, count = re.subn(r"^title: .*$", f"title: {title}", text, count=1, flags=re.M)
    assert count == 1, f"no title line in {position}"
    position.write_text(changed, encoding="utf-8")


def test_a_save_updates_the_page_and_an_error_keeps_the_last_good_one(
    watching: str, project_copy: Path
) -> None:
    _wait(lambda: _status(watching)["version"] == 1)
    position = project_copy / "positions" / "status-quo.yaml"
    page = _get(watching + "taliban-policy/staff.html")
    assert _title(position) in page
    assert "new EventSource" in page, "served pages carry the reload script"
    assert "Memos" in _get(watching)

    _retitle(position, SAVED[0])
    _wait(lambda: _status(watching)["version"] == 2)
    assert SAVED[0] in _get(watching + "taliban-policy/staff.html")

    _retitle(position, "[" + SAVED[1])  # a flow sequence never closed
    _wait(lambda: _status(watching)["version"] == 3)
    error = str(_status(watching)["error"])
    assert "status-quo.yaml:" in error
    assert "[B104]" in error
    page = _get(watching + "taliban-policy/staff.html")
    assert SAVED[0] in page, "the last good page stays"
    assert SAVED[1] not in page


def test_a_save_during_the_first_build_is_built_next(project_copy: Path, tmp_path: Path) -> None:
    """The analyst starts `watch` and saves at once: the save is not lost while the first
    build runs, a second round builds it."""
    log = tmp_path / "watch.log"
    process = start_watch(project_copy, tmp_path / "out", log)
    try:
        address = address_of(process, log)  # said before the first build starts
        _retitle(project_copy / "positions" / "status-quo.yaml", SAVED[0])
        _wait(lambda: _status(address)["version"] == 2)
        assert SAVED[0] in _get(address + "taliban-policy/staff.html")
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_each_page_is_told_to_reload_as_soon_as_it_is_rewritten(
    watching: str, project_copy: Path, edit: Callable[[Path, str, str], None]
) -> None:
    """A page on screen reloads when its own file is rewritten, before the round is over,
    and a page that is not rewritten is not told to."""
    _wait(lambda: _status(watching)["version"] == 1)
    heard: list[str] = []
    with urllib.request.urlopen(watching + "__briefing/events", timeout=60) as stream:
        assert stream.readline() == b"data: 1\n"
        # An audience-only change rewrites that audience's page alone.
        edit(project_copy / "audiences" / "staff.yaml", "\n", "\n# saved again\n")
        deadline = time.monotonic() + 60  # the stream says ": still here" while it waits
        while not heard or not re.fullmatch(r"data: \d+", heard[-1]):
            assert time.monotonic() < deadline, f"no round after the save; heard {heard}"
            line = stream.readline().decode().strip()
            if line and not line.startswith(":"):
                heard.append(line)
    assert heard == ["event: page", "data: 2 /taliban-policy/staff.html", "data: 2"]
    page = _get(watching + "taliban-policy/staff.html")
    assert 'addEventListener("page"' in page, "served pages listen for their own rewrite"


OUTSIDE = [
    "/../content/sources.yaml",
    "/%2e%2e/content/sources.yaml",
    "/%2E%2E%2Fcontent%2Fsources.yaml",
    "/%252e%252e/content/sources.yaml",
    "/taliban-policy/../../content/sources.yaml",
    "/taliban-policy/%2e%2e/%2e%2e/content/sources.yaml",
    "/..%5c..%5ccontent%5csources.yaml",
    "//etc/passwd",
    "/%2f%2fetc%2fpasswd",
    "/etc/passwd",
    "/taliban-policy/staff.html%00.txt",
]


@pytest.mark.parametrize("path", OUTSIDE)
def test_nothing_outside_the_output_folder_is_served(served: Served, path: str) -> None:
    status, body = request(served.port, path)
    assert status == 404
    assert b"root:" not in body
    assert b"sources:" not in body


def test_links_out_of_the_output_folder_lead_nowhere(served: Served) -> None:
    (served.out / "passwd.html").symlink_to("/etc/passwd")
    (served.out / "taliban-policy" / "sources.html").symlink_to(served.content / "sources.yaml")
    (served.out / "project").symlink_to(served.content.parent, target_is_directory=True)
    for path in ("/passwd.html", "/taliban-policy/sources.html", "/project/content/sources.yaml"):
        assert request(served.port, path)[0] == 404, path


def test_hidden_files_are_not_served(served: Served) -> None:
    (served.out / "taliban-policy" / ".notes.html").write_text("<p>private</p>")
    (served.out / ".drafts").mkdir()
    (served.out / ".drafts" / "memo.html").write_text("<p>private</p>")
    for path in ("/.briefing.lock", "/.briefing-cache.json", "/%2ebriefing-cache.json",
                 "/taliban-policy/.notes.html", "/.drafts/memo.html", "/.drafts/"):  # fmt: skip
        assert request(served.port, path)[0] == 404, path


def test_only_requests_addressed_to_this_machine_are_served(served: Served) -> None:
    port = served.port
    refused = [
        "rebinding.example",
        f"localhost:{port}@evil.example",
        f"localhost.evil.example:{port}",
        f"127.0.0.1.nip.io:{port}",
        f"localhost:{port + 1}",
        "[::1]:1",
        f"evil.example#localhost:{port}",
        "",
    ]
    for host in refused:
        assert request(port, "/", host)[0] == 403, host
    for host in ("localhost", f"localhost:{port}", f"127.0.0.1:{port}", f"[::1]:{port}",
                 f"LocalHost:{port}"):  # fmt: skip
        assert request(port, "/", host)[0] == 200, host


def test_a_client_that_never_finishes_its_request_is_cut_off(tmp_path: Path) -> None:
    """The watch's server, with a short timeout in place of the REQUEST_TIMEOUT a browser is
    given: half a request line, or headers never ended, holds no thread for long."""
    (tmp_path / "index.html").write_text("<p>memo</p>", encoding="utf-8")
    server = serve(tmp_path, State(), 0, request_timeout=0.5)
    port = server.server_address[1]
    halves = [b"GET /index.html HT", b"GET /index.html HTTP/1.1\r\nHost: localhost\r\n"]
    slow = [socket.create_connection(("127.0.0.1", port), timeout=20) for _ in halves]
    try:
        for connection, half in zip(slow, halves, strict=True):
            connection.sendall(half)
        started = time.monotonic()
        assert request(port, "/")[0] == 200, "others are served meanwhile"
        for connection in slow:
            assert connection.recv(1024) == b"", "the server closes the connection"
        assert time.monotonic() - started < REQUEST_TIMEOUT
    finally:
        for connection in slow:
            connection.close()
        server.shutdown()
        server.server_close()


def _whole(body: bytes, *titles: bytes) -> bool:
    """A complete staff page carrying one of `titles`."""
    return b"</html>" in body and any(title in body for title in titles)


def test_the_server_keeps_up_while_a_rebuild_runs(served: Served) -> None:
    """The last test to use the shared watch: it edits, then breaks, the content.

    Requests start before each rebuild and go on until its result is published, so each
    rebuild runs while they are served; every answer is a whole page, old or new.
    """
    position = served.content / "positions" / "status-quo.yaml"
    titles = [title.encode() for title in (_title(position), *SAVED)]
    version = int(str(_status(served.address)["version"]))

    def rebuilt() -> bool:
        return _status(served.address)["version"] != version

    _retitle(position, SAVED[0])
    answers = []
    deadline = time.monotonic() + 120
    while len(answers) < 1000 or not rebuilt():
        assert time.monotonic() < deadline, "the rebuild did not finish"
        answers.append(request(served.port, STAFF))
    assert all(status == 200 and _whole(body, *titles[:2]) for status, body in answers)
    assert titles[1] in request(served.port, STAFF)[1]

    start = threading.Barrier(50)

    def fetch(_: int) -> tuple[int, bytes]:
        start.wait(timeout=30)
        return request(served.port, STAFF)

    with ThreadPoolExecutor(max_workers=50) as pool:
        for title, expected in [(SAVED[1], titles[1:]), ("[" + SAVED[1], titles[2:])]:
            version = int(str(_status(served.address)["version"]))
            _retitle(position, title)
            for batch in range(100):
                answers = list(pool.map(fetch, range(50)))
                assert all(status == 200 and _whole(body, *expected) for status, body in answers)
                if batch and rebuilt():
                    break
            assert rebuilt(), "the save was not rebuilt"
    assert "[B104]" in str(_status(served.address)["error"])
    assert titles[2] in request(served.port, STAFF)[1], "the last good page stays"


def test_a_full_disk_is_reported_and_the_server_stays_up(
    project_copy: Path, tmp_path: Path
) -> None:
    """A file size limit makes the kernel refuse writes as a full disk would, even for root."""
    log = tmp_path / "watch.log"
    process = start_watch(
        project_copy,
        tmp_path / "out",
        log,
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096)),
    )
    try:
        address = address_of(process, log)
        _wait(lambda: _status(address)["version"] == 1)
        error = str(_status(address)["error"])
        assert f"[B504] cannot write {tmp_path / 'out' / 'taliban-policy'}/" in error
        assert ".html: File too large" in error
        assert process.poll() is None, "still watching"
        assert "cannot serve" not in log.read_text()
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_a_port_in_use_is_a_usage_error_that_says_so(project_copy: Path) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, str(ROOT / "build.py"), "watch", "--content", str(project_copy),
             "--port", str(port)],
            capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
    assert done.returncode == 2
    assert f"[B506] cannot serve on 127.0.0.1:{port}: Address already in use" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("polling", ["", "true"])
def test_changes_before_the_first_wait_are_kept_and_stop_ends_the_wait(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, polling: str
) -> None:
    """What `watch` waits on: a save made before the first wait (as during the first build)
    is reported, editors' swap files are not, and `stop` ends the wait; with polling forced
    (WATCHFILES_FORCE_POLLING, for folders notifications do not reach) as without."""
    from briefing.serve import Changes  # noqa: PLC0415

    monkeypatch.setenv("WATCHFILES_FORCE_POLLING", polling)
    stop = threading.Event()
    with Changes([tmp_path]) as changes:
        (tmp_path / "memo.yaml").write_text("title: x\n")
        time.sleep(0.5)  # a poll comes round
        saves = changes.each_save(stop)
        assert "memo.yaml" in next(saves)
        (tmp_path / ".memo.yaml.swp").write_text("x")
        threading.Timer(1.0, stop.set).start()
        later = list(saves)  # ends: stop ends the wait
        assert not [names for names in later if ".memo.yaml.swp" in names], "a swap file is no save"
