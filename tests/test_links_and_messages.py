"""Content is read only from inside the project, and what a message quotes is bounded.

A shared or cloned project can carry symlinks: a position, `sources.yaml`, `briefing.yaml`
or the `positions/` folder linked to a file or folder elsewhere (a password file, a key)
would be read, and YAML reads each line of such a file as an unknown field, which the
message then quotes. Each is refused with B114 by every command that reads content, and
the file it points at is never opened. Messages escape invisible characters, sum up a file
that is not content at all, and stop after the first problems. `watch` neither prints a
traceback for a client gone mid-answer nor watches (or rebuilds for) folders linked out.
"""

from __future__ import annotations

import http.client
import re
import shutil
import socket
import struct
import sys
import threading
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import cli
from briefing.errors import printable
from briefing.scaffold import init_project
from briefing.serve import Changes, State, serve
from briefing.terminal import PROBLEMS_SHOWN

CANARY_LINES = [f"canary{n}:$6$briefing-canary-7d2e{n}:20228:0:99999:7:::" for n in range(25)]
"""A file outside the project, shaped like /etc/shadow: YAML reads each line as a key."""
COMMANDS = [["check"], ["build", "--format", "html"], ["list"], ["coverage"], ["review"]]
"""Every command that reads the content."""


@pytest.fixture
def canary(tmp_path: Path) -> Path:
    """A secret file outside the project, with lines no message may ever show."""
    secret = tmp_path / "outside" / "shadow"
    secret.parent.mkdir()
    secret.write_text("\n".join(CANARY_LINES) + "\n", encoding="utf-8")
    return secret


def run(content: Path, *args: str) -> tuple[int, str]:
    """A command on the project of `content`: its exit code and all it printed."""
    result = CliRunner().invoke(cli, [*args, "--content", str(content)])
    return result.exit_code, result.output


def _link_position(content: Path, secret: Path) -> tuple[Path, Path]:
    position = content / "positions" / "charge.yaml"
    position.unlink()
    position.symlink_to(secret)
    return position, secret


def _link_sources(content: Path, secret: Path) -> tuple[Path, Path]:
    sources = content / "sources.yaml"
    sources.unlink()
    sources.symlink_to(secret)
    return sources, secret


def _link_settings(content: Path, secret: Path) -> tuple[Path, Path]:
    settings = content.parent / "briefing.yaml"
    settings.symlink_to(secret)
    return settings, secret


def _link_positions_folder(content: Path, secret: Path) -> tuple[Path, Path]:
    """`positions/` linked to a folder outside that holds the canary as a position."""
    folder = secret.parent / "etc"
    folder.mkdir()
    shutil.copy(secret, folder / "shadow.yaml")
    positions = content / "positions"
    shutil.rmtree(positions)
    positions.symlink_to(folder, target_is_directory=True)
    return positions, folder


LINKS = {
    "position": _link_position,
    "sources.yaml": _link_sources,
    "briefing.yaml": _link_settings,
    "positions folder": _link_positions_folder,
}


@pytest.mark.parametrize("command", COMMANDS, ids=[c[0] for c in COMMANDS])
@pytest.mark.parametrize("link", list(LINKS.values()), ids=list(LINKS))
def test_content_linked_out_of_the_project_is_refused_and_never_read(
    started: Path,
    canary: Path,
    files_opened: list[str],
    link: Callable[[Path, Path], tuple[Path, Path]],
    command: list[str],
) -> None:
    linked, target = link(started, canary)
    before = len(files_opened)  # what making the link opened is not the command's doing
    code, output = run(started, *command)
    assert code == 1, output
    assert (
        f"[B114] '{linked.name}' is a link to '{target}', outside the project; content is "
        "read only from inside it"
    ) in output
    assert "copy the file into the project instead of linking to it" in output
    assert "canary" not in output.replace(str(canary.parent), ""), output
    assert "Traceback" not in output
    assert not [path for path in files_opened[before:] if path.startswith(str(canary.parent))]


def test_links_that_stay_inside_the_project_are_followed(started: Path) -> None:
    shared = started.parent / "shared"
    shared.mkdir()
    position = started / "positions" / "charge.yaml"
    shutil.move(position, shared / "charge.yaml")
    position.symlink_to(Path("..", "..", "shared", "charge.yaml"))
    shutil.move(started / "audiences", shared / "audiences")
    (started / "audiences").symlink_to(shared / "audiences", target_is_directory=True)
    code, output = run(started, "check")
    assert code == 0, output
    assert "2 position(s), 4 audience(s)" in output


def test_a_problem_in_a_linked_file_is_located_at_the_link(
    started: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(started.parent)
    shared = started.parent / "shared.yaml"
    position = started / "positions" / "charge.yaml"
    text = position.read_text(encoding="utf-8").replace("\nsummary:", "\nsummry:", 1)
    shared.write_text(text, encoding="utf-8")
    position.unlink()
    position.symlink_to(shared)
    code, output = run(started, "check")
    assert code == 1, output
    assert "error: content/positions/charge.yaml:8:1: [B201] unknown field 'summry'" in output


def test_a_file_that_is_not_content_is_not_printed_back(started: Path, canary: Path) -> None:
    """A copy of a password file inside the project is the user's own doing, but a message
    still names it by its first line at most, not line by line."""
    shutil.copy(canary, started / "positions" / "shadow.yaml")
    code, output = run(started, "check")
    assert code == 1, output
    first = CANARY_LINES[0].removesuffix(":")  # the last colon makes the line a key
    assert f"[B201] 25 unknown fields, the first: '{first}'" in output
    assert sum(line in output for line in CANARY_LINES) <= 1
    assert "canary1:" not in output


def test_a_long_value_is_quoted_in_part(
    started: Path, edit: Callable[[Path, str, str], None]
) -> None:
    memo = started / "memos" / "congestion.yaml"
    edit(memo, "{rating: harms,", "{rating: " + "Harms" * 1000 + ",")
    code, output = run(started, "check")
    assert code == 1, output
    assert "[B204] 'HarmsHarms" in output
    assert "\u2026' is not allowed for 'rating'" in output
    assert "Harms" * 13 not in output


def test_thousands_of_problems_print_the_first_fifty_and_a_count(started: Path) -> None:
    """Each list item with an unknown field and no text: over 12,000 problems in one file
    (the cap, not the count, is what keeps a terminal readable)."""
    items = "".join(f"  - {{b{n}: 1}}\n" for n in range(6_000))
    position = started / "positions" / "charge.yaml"
    position.write_text(f"title: t\nsummary: s\nthesis: t\npros: []\ncons:\n{items}")
    code, output = run(started, "check")
    assert code == 1
    lines = output.splitlines()
    total = int(lines[-1].split()[0])
    assert total > 12_000
    assert lines[-1] == f"{total} problem(s) found; nothing was written."
    assert sum(line.startswith("error: ") for line in lines) == PROBLEMS_SHOWN
    assert len(lines) <= 2 * PROBLEMS_SHOWN + 2
    assert lines[-2] == f"\u2026 and {total - PROBLEMS_SHOWN:,} more problems; fix these first"


def test_invisible_characters_are_escaped_in_ids_and_file_names(
    started: Path, edit: Callable[[Path, str, str], None]
) -> None:
    edit(started / "memos" / "congestion.yaml", "position: charge", "position: char\u200bge")
    (started / "positions" / "no-charge.yaml").rename(started / "positions" / "no\u2060charge.yaml")
    code, output = run(started, "check")
    assert code == 1, output
    assert "'char<U+200B>ge' is not a valid id" in output
    assert "the file name 'no<U+2060>charge.yaml' cannot be a position id" in output
    assert "\u200b" not in output
    assert "\u2060" not in output


def test_every_format_character_is_escaped() -> None:
    """Unicode category Cf (zero-width spaces and joiners, bidirectional controls, the soft
    hyphen, the byte order mark, tag characters) as Python's own table has it."""
    format_characters = [
        chr(point)
        for point in range(sys.maxunicode + 1)
        if unicodedata.category(chr(point)) == "Cf"
    ]
    assert "\u200b" in format_characters
    shown = printable("".join(format_characters))
    assert shown == "".join(f"<U+{ord(char):04X}>" for char in format_characters)


def _reset_mid_answer(port: int) -> None:
    """Ask for a large file and reset the connection (RST, not FIN) without reading it."""
    client = socket.create_connection(("127.0.0.1", port), timeout=10)
    client.sendall(b"GET /big.html HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    client.recv(1)  # the answer has begun
    client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    client.close()


def test_a_client_gone_mid_answer_is_one_line_not_a_traceback(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """As `watch` serves: a browser that leaves a page while it loads resets the connection."""
    (tmp_path / "big.html").write_bytes(b"<p>memo</p>" * 2_000_000)
    server = serve(tmp_path, State(), 0)
    try:
        port = server.server_address[1]
        for _ in range(3):
            _reset_mid_answer(port)
        deadline = time.monotonic() + 10
        printed = ""
        while printed.count("\n") < 3:
            assert time.monotonic() < deadline, printed
            time.sleep(0.05)
            printed += capfd.readouterr().err
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/big.html")
        response = connection.getresponse()
        assert (response.status, len(response.read())) == (200, 22_000_000), "it goes on"
        connection.close()
    finally:
        server.shutdown()
        server.server_close()
    printed += capfd.readouterr().err
    assert "Traceback" not in printed
    assert "Exception occurred" not in printed
    lines = printed.splitlines()
    assert len(lines) == 3, printed
    assert all(
        re.fullmatch(r"127\.0\.0\.1:\d+ closed the connection before its answer was sent", line)
        for line in lines
    ), printed


@pytest.mark.parametrize("polling", ["", "true"])
def test_a_folder_linked_out_of_the_watched_folder_is_not_watched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, polling: str
) -> None:
    """A change out there is no save, with notifications and with polling; a change
    inside still is."""
    monkeypatch.setenv("WATCHFILES_FORCE_POLLING", polling)
    content, elsewhere = tmp_path / "content", tmp_path / "elsewhere"
    (content / "positions").mkdir(parents=True)
    (elsewhere / "deep").mkdir(parents=True)
    (content / "shared").symlink_to(elsewhere, target_is_directory=True)
    stop = threading.Event()
    with Changes([content]) as changes:
        (elsewhere / "deep" / "outside.yaml").write_text("title: x\n")
        (elsewhere / "outside.yaml").write_text("title: x\n")
        time.sleep(0.5)  # a poll comes round
        (content / "positions" / "inside.yaml").write_text("title: x\n")
        time.sleep(0.5)
        saves = changes.each_save(stop)
        first = next(saves)
        assert "inside.yaml" in first
        assert not {"outside.yaml", "deep", "shared"} & set(first), first
        (elsewhere / "outside.yaml").write_text("title: y\n")
        threading.Timer(1.5, stop.set).start()
        assert list(saves) == [], "a change outside is no save"


def test_watch_says_once_it_does_not_watch_a_folder_linked_out_and_does_not_rebuild(
    started: Path, tmp_path: Path, edit: Callable[[Path, str, str], None]
) -> None:
    from test_watch import _status, _wait, address_of, start_watch  # noqa: PLC0415

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (started / "shared").symlink_to(elsewhere, target_is_directory=True)
    log = tmp_path / "watch.log"
    process = start_watch(started, tmp_path / "out", log)
    try:
        address = address_of(process, log)
        _wait(lambda: _status(address)["version"] == 1)
        (elsewhere / "notes.yaml").write_text("title: x\n")
        time.sleep(2.5)  # longer than a save's burst is gathered
        assert _status(address)["version"] == 1, "a change outside rebuilt"
        edit(started / "positions" / "charge.yaml", "\n", "\n# saved\n")
        _wait(lambda: _status(address)["version"] == 2)
    finally:
        process.terminate()
        process.wait(timeout=10)
    said = log.read_text()
    notice = (
        f"not watching {started / 'shared'}: it is a link to '{elsewhere}', outside the project"
    )
    assert said.count(notice) == 1, said


def test_a_content_folder_linked_out_of_its_project_is_refused(tmp_path: Path) -> None:
    """A cloned project whose `content` is a link elsewhere would read seeds and settings
    and write its output wherever the link points: refused, nothing written there."""
    elsewhere = tmp_path / "elsewhere"
    init_project(elsewhere)
    project = tmp_path / "cloned"
    project.mkdir()
    (project / "content").symlink_to(elsewhere / "content", target_is_directory=True)
    result = CliRunner().invoke(cli, ["build", "--content", str(project / "content")])
    assert result.exit_code == 1, result.output
    assert "[B114]" in result.output
    assert "Traceback" not in result.output
    assert not (elsewhere / "output").exists()
