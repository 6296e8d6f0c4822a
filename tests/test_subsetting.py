"""One memo, one PDF, whichever machine builds it.

WeasyPrint subsets the fonts it embeds with HarfBuzz's subsetter when it can load
libharfbuzz-subset and with fontTools otherwise, and the two give different bytes. briefing
requires HarfBuzz's: a machine without it makes no PDF (B220) rather than a different one.
Each build here runs in its own process, as on its own machine; "a machine without the
library" is a process in which every attempt to load it fails, as it does where the library
is not installed.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefing import BuildReport, Project

ROOT = Path(__file__).resolve().parent.parent
PRINCIPAL = Path("taliban-policy") / "principal.pdf"

WITHOUT_HARFBUZZ_SUBSET = """\
import cffi

_dlopen = cffi.FFI.dlopen


def _dlopen_without_subsetter(self, name, flags=0):
    if name and "harfbuzz-subset" in str(name):
        raise OSError(f"{name}: cannot open shared object file: No such file or directory")
    return _dlopen(self, name, flags)


cffi.FFI.dlopen = _dlopen_without_subsetter
"""

WITHOUT_THE_CHECK = """
import briefing.pdf

briefing.pdf.require_harfbuzz_subset = lambda: None
"""


def _machine(tmp_path: Path, name: str, startup: str | None) -> dict[str, str]:
    """The environment of a process that runs `startup` first (via sitecustomize)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    if startup is not None:
        folder = tmp_path / name
        folder.mkdir()
        (folder / "sitecustomize.py").write_text(startup, encoding="utf-8")
        env["PYTHONPATH"] = str(folder)
    return env


def _build_principal(env: dict[str, str], out: Path) -> subprocess.CompletedProcess[str]:
    content = ["--content", str(ROOT / "content"), "--audience", "principal", "--format", "pdf"]
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "build", *content, "--out", str(out), "-j", "1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _subsetter_seen(env: dict[str, str]) -> str:
    probe = "from weasyprint.text import ffi; print(ffi.harfbuzz_subset is not None)"
    return subprocess.run(
        [sys.executable, "-W", "ignore", "-c", probe],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout.strip()


@pytest.fixture(scope="module")
def reference(
    default_build: tuple[Project, BuildReport], tmp_path_factory: pytest.TempPathFactory
) -> bytes:
    """The principal PDF as a machine with the subsetter builds it: the session's default
    build, made here in worker processes (test_pdf shows a build elsewhere gives its bytes)."""
    with_library = _machine(tmp_path_factory.mktemp("reference"), "with", None)
    assert _subsetter_seen(with_library) == "True", "install libharfbuzz-subset0 (see README)"
    project, report = default_build
    pages = report.pages[PRINCIPAL.as_posix()]
    assert pages.body + pages.annex <= 2
    return (project.output / PRINCIPAL).read_bytes()


def test_a_machine_without_the_subsetter_makes_no_pdf(tmp_path: Path) -> None:
    without_library = _machine(tmp_path, "without", WITHOUT_HARFBUZZ_SUBSET)
    assert _subsetter_seen(without_library) == "False"
    other = _build_principal(without_library, tmp_path / "out")
    assert other.returncode == 1, other.stderr
    assert "[B220] HarfBuzz's font subsetter" in other.stderr
    assert "apt-get install libharfbuzz-subset0" in other.stderr
    assert not (tmp_path / "out" / PRINCIPAL).exists(), "no PDF rather than a different one"


def test_without_the_check_that_machine_would_make_a_different_pdf(
    tmp_path: Path, reference: bytes
) -> None:
    """Why B220 exists: left to itself, WeasyPrint falls back to fontTools, and the bytes move."""
    fallback = _machine(tmp_path, "fallback", WITHOUT_HARFBUZZ_SUBSET + WITHOUT_THE_CHECK)
    built = _build_principal(fallback, tmp_path / "out")
    assert built.returncode == 0, built.stderr
    theirs = (tmp_path / "out" / PRINCIPAL).read_bytes()
    assert theirs != reference
    texts = [PdfReader(io.BytesIO(pdf)).pages[0].extract_text() for pdf in (reference, theirs)]
    assert texts[0] == texts[1]
