"""Hostile content and templates produce messages, not damage; nothing is lost or leaked."""

from __future__ import annotations

import contextlib
import json
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing import Project, build
from briefing.cli import cli
from briefing.write import TEMPORARY_PREFIX, locked

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
PWNED = Path("/tmp/briefing-pwned")


@pytest.fixture
def hostile_content(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURES / "hostile-content", tmp_path / "content")
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    return tmp_path / "content"


def test_malicious_content_folder_gets_one_message_per_problem(hostile_content: Path) -> None:
    PWNED.unlink(missing_ok=True)
    done = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "check", "--content", str(hostile_content)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    expected = {
        "bad-utf8.yaml:2": "B103",
        "bomb.yaml:2:4": "B105",
        "control.yaml:1:8": "B211",
        "deep.yaml:1:": "B109",
        "duplicate.yaml:3:1": "B107",
        "merge.yaml:4:3": "B106",
        "python-tag.yaml:1:8": "B108",
        "tabs.yaml:3:1": "B104",
        "wrong-types.yaml:1:8": "B203",
        "markup.yaml:7:9": "W101",
    }
    for where, code in expected.items():
        assert re.search(rf"{re.escape(where)}\S*: \[{code}\]", done.stderr), (where, code)
    assert "nothing was written" in done.stderr
    assert not PWNED.exists()


def test_markup_in_content_is_text_and_warned_about(
    project_copy: Path, edit: Callable[[Path, str, str], None], tmp_path: Path
) -> None:
    shutil.copy(
        FIXTURES / "hostile-content" / "positions" / "markup.yaml", project_copy / "positions"
    )
    memo = project_copy / "memos" / "taliban-policy.yaml"
    text = memo.read_text()
    block = text[text.index("  - position: status-quo") : text.index("  - position: conditional")]
    memo.write_text(text.replace(block, block + block.replace("status-quo", "markup"), 1))
    runner = CliRunner()
    args = ["build", "--content", str(project_copy), "--out", str(tmp_path), "--format", "html"]
    result = runner.invoke(cli, [*args, "--audience", "staff"])
    assert result.exit_code == 0, result.output
    for warned in ("file:///etc/passwd", "http://203.0.113.9/pixel.png", "https://example.com/"):
        assert warned in result.output
    html = (tmp_path / "taliban-policy" / "staff.html").read_text()
    option = html[html.index('id="option-markup"') :]
    option = option[: option.index("</section>")]
    assert "<script" not in option
    assert "<style" not in option
    assert "&lt;script&gt;" in option
    assert not re.search(r"<(img|a) [^>]*(file:|javascript:|http)", option)
    assert "<em>kept</em>" in option


@pytest.fixture
def secret(tmp_path: Path) -> bytes:
    token = f"briefing-secret-{os.getpid()}-{time.time_ns()}".encode()
    Path("/tmp/briefing-secret.txt").write_bytes(token)
    return token


def test_malicious_templates_run_nothing_and_read_nothing(
    project_copy: Path, tmp_path: Path, secret: bytes
) -> None:
    PWNED.unlink(missing_ok=True)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli,
        ["build", "--content", str(project_copy), "--out", str(out), "--jobs", "1",
         "--templates", str(FIXTURES / "hostile-templates")],
    )  # fmt: skip
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "principal.html.j2:2: access to attribute '__class__' of 'str' object is unsafe" in (
        result.output
    )
    assert "[B403]" in result.output
    assert "[B401] template '../../../../../../etc/passwd' not found" in result.output
    assert not PWNED.exists()
    assert "error: taliban-policy/public.pdf: [B407] the page asks for " in result.output
    assert not list(out.rglob("*.pdf")), "no template here makes a PDF"
    written = [p for p in out.rglob("*") if p.is_file()]
    assert out / "taliban-policy" / "public.html" in written, "the hostile page's HTML is made"
    for file in written:
        assert secret not in file.read_bytes()


def test_a_full_build_opens_no_socket(
    project_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    attempts: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise OSError("network access during a build")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    # A real PDF render of a template that asks for http URLs, in this process (jobs=1).
    project = Project.at(project_copy, output=tmp_path, templates=FIXTURES / "hostile-templates")
    report = build(project, audiences=["public"], jobs=1)
    assert [o.relative for o in report.written] == [
        "taliban-policy/public.docx",
        "taliban-policy/public.html",
    ]
    [refused] = report.failures
    assert refused.output.relative == "taliban-policy/public.pdf"
    assert refused.code == "B407", "network URLs are refused, and say so"
    assert "'http://203.0.113.9/x.css' (http URLs are not read)" in refused.message
    # And a PDF of the shipped templates, whose fonts and stylesheets the renderer fetches.
    plain = build(
        Project.at(project_copy, output=tmp_path / "plain"),
        audiences=["principal"],
        formats=["pdf"],
        jobs=1,
    )
    assert [o.relative for o in plain.written] == ["taliban-policy/principal.pdf"]
    manifest = json.loads((tmp_path / "plain" / ".briefing-cache.json").read_text())
    assert (
        "fonts/LiberationSerif-Regular.ttf"
        in manifest["outputs"][plain.written[0].relative]["assets"]
    )
    assert attempts == []


def test_a_runaway_template_is_stopped(project_copy: Path, tmp_path: Path) -> None:
    slow = tmp_path / "slow"
    slow.mkdir()
    (slow / "principal.html.j2").write_text(
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    )
    project = Project.at(project_copy, output=tmp_path / "out", templates=slow)
    started = time.perf_counter()
    report = build(project, audiences=["principal"], formats=["html"], jobs=1, time_limit=1)
    assert time.perf_counter() - started < 30
    [failure] = report.failures
    assert failure.output.audience == "principal"
    assert str(failure).startswith("[B405] stopped after 1 s")


def test_a_template_asking_for_gigabytes_fails_alone_and_the_pool_lives_on(
    started: Path, tmp_path: Path
) -> None:
    """A render has a memory limit as it has a time limit: the greedy output fails with
    B409 and keeps its previous file; the others, in the same workers, are built."""
    greedy = started.parent / "greedy"
    greedy.mkdir()
    (started.parent / "briefing.yaml").write_text("templates: greedy\n", encoding="utf-8")
    out = tmp_path / "out"
    command = [sys.executable, str(ROOT / "build.py"), "build", "--content", str(started),
               "--out", str(out), "--format", "html", "--jobs", "2"]  # fmt: skip
    first = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    assert first.returncode == 0, first.stderr
    before = (out / "congestion" / "principal.html").read_bytes()
    shipped = (ROOT / "templates" / "principal.html.j2").read_text(encoding="utf-8")
    (greedy / "principal.html.j2").write_text(
        '{{ ("a" * 4000000000)|length }}\n' + shipped, encoding="utf-8"
    )
    done = subprocess.run(
        [*command, "--force", "--memory-limit", "512"],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert "congestion/principal.html: [B409] stopped: it needed more than 512 MB" in done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert "3 built, 0 up to date, 1 failed" in done.stderr
    assert (out / "congestion" / "principal.html").read_bytes() == before
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    assert peak_kb < 2_000_000, f"a render process peaked at {peak_kb // 1024} MB"


def test_a_second_build_into_the_same_folder_is_told_to_wait(
    project_copy: Path, tmp_path: Path
) -> None:
    with locked(tmp_path):
        result = CliRunner().invoke(
            cli, ["build", "--content", str(project_copy), "--out", str(tmp_path)]
        )
    assert result.exit_code == 1
    assert f"[B501] another build (process {os.getpid()}) is writing to" in result.output


STOP_AT_WRITE = """\
import os
import signal

_fsync = os.fsync
_writes = [0]


def _fsync_then_stop(fd):
    # write_atomic has written and flushed a temporary and is about to sync and rename it.
    if os.path.basename(os.readlink(f"/proc/self/fd/{fd}")).startswith(".briefing-tmp-"):
        _writes[0] += 1
        if _writes[0] == int(os.environ["BRIEFING_TEST_STOP_AT_WRITE"]):
            os.kill(os.getpid(), signal.SIGSTOP)
    return _fsync(fd)


os.fsync = _fsync_then_stop
"""
"""Run first in a build (as sitecustomize): the build stops itself in the middle of its n-th
atomic write, after the new bytes are in the temporary and before they replace the old
file, so that the test's SIGKILL lands there every time rather than by luck."""


def _stopped(pid: int) -> bool:
    stat = Path(f"/proc/{pid}/stat").read_text()
    return stat[stat.rfind(")") + 2] == "T"


def _outputs(out: Path) -> dict[str, bytes]:
    """What a build leaves in `out` by name, but for its lock and its temporaries."""
    return {
        str(p.relative_to(out)): p.read_bytes()
        for p in out.rglob("*")
        if p.is_file() and p.name != ".briefing.lock" and not p.name.startswith(TEMPORARY_PREFIX)
    }


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
def test_a_killed_build_leaves_the_previous_outputs_whole(
    started: Path, tmp_path: Path, edit: Callable[[Path, str, str], None]
) -> None:
    """A build is killed in the middle of each of its writes in turn: the PDF, the cache
    manifest and the index. Each time, the file being written is still the previous one,
    whole, the new one sits complete in a temporary beside it, the files written before it
    are the new ones, whole, and the rest are untouched. The next build sweeps the rest."""
    out = tmp_path / "out"
    command = [sys.executable, str(ROOT / "build.py"), "build", "--content", str(started),
               "--out", str(out), "--audience", "principal", "--format", "pdf",
               "--jobs", "1"]  # fmt: skip
    project = Project.at(started, output=out)
    assert build(project, audiences=["principal"], formats=["pdf"], jobs=1).failures == []
    before = _outputs(out)
    assert sorted(before) == [".briefing-cache.json", "congestion/principal.pdf", "index.html"]
    edit(started / "positions" / "charge.yaml", "title: Introduce a", "title: Bring in a")
    startup = tmp_path / "startup"
    startup.mkdir()
    (startup / "sitecustomize.py").write_text(STOP_AT_WRITE)

    killed: list[tuple[dict[str, bytes], dict[str, bytes]]] = []
    for write in range(1, len(before) + 1):
        env = {**os.environ, "PYTHONPATH": str(startup), "BRIEFING_TEST_STOP_AT_WRITE": str(write)}
        victim = subprocess.Popen(
            [*command, "--force"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + 120
            while victim.poll() is None and not _stopped(victim.pid):
                assert time.monotonic() < deadline, "the build neither stopped nor ended"
                time.sleep(0.02)
            assert victim.poll() is None, f"the build ended before its write {write}"
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(victim.pid, signal.SIGKILL)
            victim.wait()
        temporaries = {
            str(p.relative_to(out)): p.read_bytes() for p in out.rglob(f"{TEMPORARY_PREFIX}*")
        }
        killed.append((_outputs(out), temporaries))

    again = build(project, audiences=["principal"], formats=["pdf"], jobs=1, force=True)
    assert [o.relative for o in again.written] == ["congestion/principal.pdf"]
    assert not list(out.rglob(f"{TEMPORARY_PREFIX}*")), "the next build sweeps what was left"
    after = _outputs(out)
    assert after["congestion/principal.pdf"] != before["congestion/principal.pdf"]

    order = []  # the file each build was killed writing, in the order a build writes them
    for outputs, temporaries in killed:
        [(temporary, data)] = temporaries.items()
        folder, _, file = temporary.rpartition("/")  # file: .briefing-tmp-NAME.RANDOM
        name = "/".join(
            filter(None, [folder, file.removeprefix(TEMPORARY_PREFIX).rsplit(".", 1)[0]])
        )
        assert data == after[name], f"{name}: the new file was complete in its temporary"
        expected = {n: (after if n in order else before)[n] for n in before}
        assert outputs == expected, f"killed writing {name}: each file is old or new, whole"
        order.append(name)
    assert sorted(order) == sorted(before), "killed once in the write of each file"


def test_content_cannot_point_the_renderer_outside_the_project(project_copy: Path) -> None:
    (project_copy.parent / "briefing.yaml").write_text("templates: /\n")
    code = CliRunner().invoke(cli, ["check", "--content", str(project_copy)])
    assert code.exit_code == 1
    assert "[B214] templates folder '/' is outside the project folder" in code.output
    (project_copy.parent / "briefing.yaml").unlink()
    staff = project_copy / "audiences" / "staff.yaml"
    staff.write_text(
        staff.read_text().replace("template: staff.html.j2", "template: ../../etc/passwd.j2")
    )
    result = CliRunner().invoke(cli, ["check", "--content", str(project_copy)])
    assert result.exit_code == 1
    assert "[B204]" in result.output


def test_a_symlink_in_a_template_folder_leads_nowhere(project_copy: Path, tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "secret.j2").symlink_to("/etc/passwd")
    (mine / "staff.html.j2").write_text(
        '{% extends "base.html.j2" %}{% block extra_style %}{% include "secret.j2" %}{% endblock %}'
    )
    project = Project.at(project_copy, output=tmp_path / "out", templates=mine)
    report = build(project, audiences=["staff"], formats=["html"], jobs=1)
    [failure] = report.failures
    assert str(failure).startswith("[B401] template 'secret.j2' not found"), str(failure)
    assert not (tmp_path / "out" / "taliban-policy" / "staff.html").exists()


def test_an_edited_cache_manifest_cannot_delete_files(project_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(Project.at(project_copy, output=out), formats=["html"], jobs=1)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    manifest = out / ".briefing-cache.json"
    data = manifest.read_text().replace(
        '"outputs": {', '"outputs": {"../victim.txt": {"key": "x", "templates": []}, ', 1
    )
    manifest.write_text(data)
    build(Project.at(project_copy, output=out), formats=["html"], jobs=1, force=True)
    assert victim.read_text() == "keep me"


def test_impossible_dates_and_repeated_sections_are_content_errors(
    project_copy: Path, edit: Callable[[Path, str, str], None]
) -> None:
    edit(project_copy / "sources.yaml", 'date: "2022"', "date: 2023-02-30")
    edit(
        project_copy / "audiences" / "staff.yaml",
        "sections: [question,",
        "sections: [options, question,",
    )
    result = CliRunner().invoke(cli, ["check", "--content", str(project_copy)])
    assert result.exit_code == 1
    assert "2023-02-30 is not a real date" in result.output
    assert "each section may appear once; repeated: options" in result.output


def test_an_unwritable_output_folder_is_a_message(project_copy: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    result = CliRunner().invoke(
        cli, ["build", "--content", str(project_copy), "--out", str(blocker / "out")]
    )
    assert result.exit_code == 1
    assert f"[B504] cannot create the folder {blocker / 'out'}: Not a directory" in result.output
    assert isinstance(result.exception, SystemExit), "a message and exit code 1, no traceback"
