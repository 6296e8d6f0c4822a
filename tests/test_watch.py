"""`briefing watch`, driven as a user would: save a file, the served page changes."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def watching(project_copy: Path, tmp_path: Path) -> Iterator[str]:
    """A running `briefing watch` on a copy of the content (HTML only); yields its address."""
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "watch", "--content", str(project_copy),
         "--out", str(tmp_path / "out"), "--port", "0", "--format", "html"],
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    assert process.stderr is not None
    try:
        line = process.stderr.readline()
        address = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert address, line
        yield address.group()
    finally:
        process.terminate()
        process.wait(timeout=10)


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return str(response.read().decode("utf-8"))


def _wait(condition: Callable[[], bool], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def _status(address: str) -> dict[str, object]:
    return dict(json.loads(_get(address + "__briefing/status")))


def test_a_save_updates_the_page_and_an_error_keeps_the_last_good_one(
    watching: str, project_copy: Path, edit: Callable[[Path, str, str], None]
) -> None:
    _wait(lambda: _status(watching)["version"] == 1)
    page = _get(watching + "taliban-policy/staff.html")
    assert "Maintain pressure and isolation" in page
    assert "new EventSource" in page, "served pages carry the reload script"
    assert "Memos" in _get(watching)

    position = project_copy / "positions" / "status-quo.yaml"
    edit(position, "title: Maintain pressure", "title: Keep up pressure")
    _wait(lambda: _status(watching)["version"] == 2)
    assert "Keep up pressure and isolation" in _get(watching + "taliban-policy/staff.html")

    edit(position, "title: Keep up pressure and isolation", "title: [Keep up pressure")
    _wait(lambda: _status(watching)["version"] == 3)
    error = str(_status(watching)["error"])
    assert "status-quo.yaml:" in error
    assert "[B104]" in error
    assert "Keep up pressure and isolation" in _get(watching + "taliban-policy/staff.html")


def test_nothing_outside_the_output_folder_is_served(watching: str) -> None:
    _wait(lambda: _status(watching)["version"] == 1)
    for path in ("../content/sources.yaml", "%2e%2e/%2e%2e/etc/passwd", "/etc/passwd"):
        with pytest.raises(urllib.error.HTTPError) as refused:
            _get(watching + path)
        assert refused.value.code == 404


def test_only_requests_addressed_to_this_machine_are_served(watching: str) -> None:
    _wait(lambda: _status(watching)["version"] == 1)
    request = urllib.request.Request(watching, headers={"Host": "rebinding.example"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 403
    with pytest.raises(urllib.error.HTTPError) as hidden:
        _get(watching + ".briefing-cache.json")
    assert hidden.value.code == 404
