"""Faults around a build: what it cleans, how it dies, and what it says when the machine refuses.

Builds here run as real processes where the fault is a process's fate (signals, a file size
limit); each builds only what it needs, and most stop long before a full build would end.
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import suppress
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import cli
from briefing.write import locked

ROOT = Path(__file__).resolve().parent.parent
HTML_PRINCIPAL = ["--audience", "principal", "--format", "html", "--jobs", "1"]
BIDI = "\u202e"


def briefing(*args: str | Path) -> list[str]:
    """The command line of a real `briefing` process."""
    return [sys.executable, str(ROOT / "build.py"), *map(str, args)]


def alive(pid: int) -> bool:
    """Whether process `pid` still runs (a zombie no longer does: it holds no files)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rfind(")") + 2 :].split()[0] not in ("Z", "X")


def children(pid: int) -> set[int]:
    """The running processes whose parent is `pid`."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rfind(")") + 2 :].split()
            if int(fields[1]) == pid and fields[0] not in ("Z", "X"):
                found.add(int(entry.name))
    return found


def wait_for(condition: Callable[[], object], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


@pytest.fixture
def strays() -> Iterator[set[int]]:
    """Worker pids a test expects to end; any still running afterwards is killed, so that a
    failing test does not leave render processes behind."""
    pids: set[int] = set()
    yield pids
    for pid in pids:
        if alive(pid):
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def interruptible() -> None:
    """A preexec function: Ctrl-C does what it does in a terminal, even when this suite runs
    where SIGINT is ignored (a job a shell without job control started in the background)
    and the build would inherit that and never see it."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start_rendering(
    project_copy: Path, out: Path, log: Path
) -> tuple[subprocess.Popen[bytes], set[int]]:
    """A real build of every output in two workers, returned once both workers exist."""
    with log.open("wb") as stderr:
        process = subprocess.Popen(
            briefing("build", "--content", project_copy, "--out", out, "--jobs", "2", "--force"),
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            preexec_fn=interruptible,  # noqa: PLW1509 - it only resets one signal
        )
    try:
        wait_for(lambda: len(children(process.pid)) >= 2, 60, "two render workers")
    except AssertionError:
        process.kill()
        raise
    return process, children(process.pid)


def test_the_sweep_removes_only_what_briefing_left(project_copy: Path, tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    (shared / "notes").mkdir(parents=True)
    theirs = [shared / ".budget.tmp", shared / "notes" / ".draft.tmp", shared / ".x.y.tmp"]
    for path in theirs:
        path.write_text("a colleague's work")
    (shared / "taliban-policy").mkdir()
    leftover = shared / "taliban-policy" / ".briefing-tmp-principal.html.k3j2h1g0"
    leftover.write_text("half a memo from a killed build")
    result = CliRunner().invoke(
        cli, ["build", "--content", str(project_copy), "--out", str(shared), *HTML_PRINCIPAL]
    )
    assert result.exit_code == 0, result.output
    assert [p.read_text() for p in theirs] == ["a colleague's work"] * 3
    assert not leftover.exists(), "briefing's own leftover is swept"
    assert (shared / "taliban-policy" / "principal.html").is_file()


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM], ids=["kill-9", "kill"])
def test_workers_end_with_their_build_and_leave_no_lock(
    signum: signal.Signals, project_copy: Path, tmp_path: Path, strays: set[int]
) -> None:
    out = tmp_path / "out"
    build, workers = start_rendering(project_copy, out, tmp_path / "stderr")
    strays |= workers
    os.kill(build.pid, signum)
    build.wait(timeout=10)
    killed = time.monotonic()
    wait_for(lambda: not any(alive(pid) for pid in workers), 2, f"workers {workers} to end")
    again = subprocess.run(
        briefing("build", "--content", project_copy, "--out", out, *HTML_PRINCIPAL),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert again.returncode == 0, again.stderr
    assert time.monotonic() - killed < 10


def test_a_build_names_the_process_that_holds_its_folder(
    project_copy: Path, tmp_path: Path, strays: set[int]
) -> None:
    out = tmp_path / "out"
    build, workers = start_rendering(project_copy, out, tmp_path / "stderr")
    strays |= workers
    try:
        second = CliRunner().invoke(
            cli, ["build", "--content", str(project_copy), "--out", str(out), *HTML_PRINCIPAL]
        )
    finally:
        build.kill()
        build.wait(timeout=10)
    assert second.exit_code == 1
    assert f"[B501] another build (process {build.pid}) is writing to {out}" in second.output


def test_a_lock_held_after_its_build_ended_says_so(project_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    with locked(out):  # held here, but recorded as taken by a build that no longer runs
        (out / ".briefing.lock").write_text("999999999 12345\n")
        result = CliRunner().invoke(
            cli, ["build", "--content", str(project_copy), "--out", str(out), *HTML_PRINCIPAL]
        )
    assert result.exit_code == 1
    assert (
        f"[B501] {out} is locked by a process left behind by build 999999999, which has ended"
        in result.output
    )


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
def test_ctrl_c_stops_a_build_with_exit_code_130(
    project_copy: Path, tmp_path: Path, strays: set[int]
) -> None:
    log = tmp_path / "stderr"
    build, workers = start_rendering(project_copy, tmp_path / "out", log)
    strays |= workers
    os.kill(build.pid, signal.SIGINT)  # the main process only: it must stop its workers itself
    assert build.wait(timeout=20) == 130
    said = log.read_text()
    assert "[B505] interrupted" in said
    assert "Traceback" not in said
    assert "Aborted" not in said
    wait_for(lambda: not any(alive(pid) for pid in workers), 2, f"workers {workers} to end")


@pytest.mark.parametrize("given", ["nan", "inf", "-inf", "1e12", "0.5"])
def test_a_time_limit_out_of_range_is_a_usage_error(given: str) -> None:
    result = CliRunner().invoke(cli, ["build", "--time-limit", given])
    assert result.exit_code == 2
    assert f"{given} is not a number of seconds from 1 to 3600" in result.output


def limit_file_size(size: int) -> Callable[[], None]:
    """A preexec function: the process may write no file larger than `size` bytes.

    The kernel then refuses writes as a full disk would (EFBIG rather than ENOSPC), for any
    user, root included, with no mount or special file needed.
    """
    return lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))


def test_a_full_disk_names_the_file_it_could_not_write(project_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = subprocess.run(
        briefing("build", "--content", project_copy, "--out", out, *HTML_PRINCIPAL),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        preexec_fn=limit_file_size(4096),
    )
    assert done.returncode == 1
    written = out / "taliban-policy" / "principal.html"
    assert f"[B504] cannot write {written}: File too large (free some space" in done.stderr
    assert "Traceback" not in done.stderr
    assert not written.exists()
    assert not list(out.rglob(".briefing-tmp-*")), "the half-written temporary is removed"


def test_a_lock_file_planted_as_a_link_is_not_followed(project_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    (out / ".briefing.lock").symlink_to(victim)
    result = CliRunner().invoke(
        cli, ["build", "--content", str(project_copy), "--out", str(out), *HTML_PRINCIPAL]
    )
    assert result.exit_code == 1
    assert f"[B504] cannot open the lock {out / '.briefing.lock'}:" in result.output
    assert victim.read_text() == "keep me"


def test_a_positions_file_in_place_of_the_folder_is_said_once(project_copy: Path) -> None:
    positions = project_copy / "positions"
    for file in positions.iterdir():
        file.unlink()
    positions.rmdir()
    positions.write_text("")
    result = CliRunner().invoke(cli, ["check", "--content", str(project_copy)])
    assert result.exit_code == 1
    assert "positions: [B507] cannot read the folder: Not a directory" in result.output
    assert "1 problem(s) found" in result.output


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a folder whatever its permissions")
def test_an_unreadable_positions_folder_is_said_once(project_copy: Path) -> None:
    positions = project_copy / "positions"
    positions.chmod(0)
    try:
        result = CliRunner().invoke(cli, ["check", "--content", str(project_copy)])
    finally:
        positions.chmod(0o755)
    assert result.exit_code == 1
    assert "positions: [B507] cannot read the folder: Permission denied" in result.output
    assert "1 problem(s) found" in result.output


def test_warnings_quoting_content_are_escaped_and_said_once(project_copy: Path) -> None:
    link = f"[the annex](https://example.org/{BIDI}fdp.exe)"
    point = (
        f'  - text: "A pro, see {link}."\n'
        '    evidence: [{source: usip, quote: "Humanitarian aid is saving lives"}]\n'
    )
    (project_copy / "positions" / "repeated.yaml").write_text(
        "title: Repeated\nsummary: One link, many times.\nthesis: A thesis.\n"
        f"pros:\n{point * 40}cons:\n{point}"
    )
    result = CliRunner().invoke(cli, ["check", "--content", str(project_copy)])
    assert result.exit_code == 0, result.output
    assert BIDI not in result.output
    # The shipped content also draws context flags (W3xx); these are about text and links.
    warnings = [w for w in result.output.split("warning: ")[1:] if "] " in w and "[W1" in w]
    assert len(warnings) == 2, warnings  # W101 and W102, each once
    assert any("link to 'https://example.org/<U+202E>fdp.exe'" in w for w in warnings)
    assert all("and 40 more like it: " in w for w in warnings)
