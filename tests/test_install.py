"""briefing as a user installs it: the wheel, in a new virtual environment outside the checkout.

Marked `install` and `outside`, and left out of a plain `pytest` run (they take a minute):
`make test-install` runs them, as does `make test-outside`, which CI runs after `make test`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefing.scaffold import builtin_templates

pytestmark = [pytest.mark.install, pytest.mark.outside, pytest.mark.timeout(1200)]  # slower

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"
FORMS = ["congressional", "principal", "public", "staff"]
NOT_SOURCES = shutil.ignore_patterns(
    *[".git", ".venv", "output", "build", "dist", "*.egg-info", "__pycache__", "node_modules"],
    *[".*_cache", ".hypothesis"],
)


def run(
    args: list[str | Path], cwd: Path, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    """Run a command with nothing of this checkout or its environment on the import path."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    done = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built from a copy of the sources with the locked setuptools."""
    work = tmp_path_factory.mktemp("wheel")
    shutil.copytree(ROOT, work / "source", ignore=NOT_SOURCES)
    pip_wheel = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps"]
    run([*pip_wheel, "--no-build-isolation", "--wheel-dir", work / "dist", work / "source"], work)
    (built,) = (work / "dist").glob("briefing-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory, wheel: Path) -> Path:
    """A new virtual environment with the locked dependencies and the wheel; its bin folder."""
    venv = tmp_path_factory.mktemp("venv")
    run([sys.executable, "-m", "venv", "--clear", venv], venv)
    pip = [venv / "bin" / "python", "-m", "pip", "install", "--quiet", "--no-deps"]
    run([*pip, "--require-hashes", "-r", LOCK], venv)
    run([*pip, wheel], venv)
    return venv / "bin"


def test_the_wheel_carries_templates_stylesheets_fonts_and_skeletons(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = [
        (ROOT / "templates", "briefing/templates"),
        (ROOT / "briefing" / "skeletons", "briefing/skeletons"),
    ]
    for folder, inside in shipped:
        files = [p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
        assert files
        missing = [p for p in files if f"{inside}/{p.relative_to(folder).as_posix()}" not in names]
        assert missing == []
    assert "briefing/templates/assets/fonts/LiberationSerif-Regular.ttf" in names
    assert not any(name.startswith(("templates/", "content/", "tests/")) for name in names)


def test_the_installed_command_starts_a_project_and_builds_it(
    installed: Path, tmp_path: Path
) -> None:
    briefing = installed / "briefing"
    probe = "from briefing.project import BUILTIN_TEMPLATES as t; print(t)"
    where = run([installed / "python", "-c", probe], tmp_path).stdout.strip()
    assert Path(where).is_relative_to(installed.parent / "lib"), where  # site-packages
    listed = run([briefing, "templates", "list"], tmp_path).stdout.split()
    assert listed == builtin_templates()

    run([briefing, "init", "memo"], tmp_path)
    project = tmp_path / "memo"
    built = run([briefing, "build"], project)
    assert "12 built, 0 up to date, 0 failed" in built.stderr
    output = project / "output" / "congestion"
    assert sorted(p.name for p in output.iterdir()) == sorted(
        f"{form}.{kind}" for form in FORMS for kind in ("html", "pdf", "docx")
    )
    for form in FORMS:
        reader = PdfReader(output / f"{form}.pdf")
        text = " ".join(page.extract_text() for page in reader.pages)
        # A memo's heading names its subject; the CRS-style brief's title block, its title.
        heading = {"congressional": "Congestion Pricing for the City Centre"}
        assert heading.get(form, "Whether to introduce a peak-hour congestion charge") in text, form
        fonts = {
            str(font.get_object()["/BaseFont"])
            for page in reader.pages
            for font in page["/Resources"]["/Font"].values()
        }
        assert any("Liberation" in font for font in fonts), (form, fonts)

    # The checkout's own briefing makes the very same PDFs from the same project.
    here = tmp_path / "here"
    checkout = run([sys.executable, ROOT / "build.py", "build", "--out", here], project)
    assert "12 built" in checkout.stderr
    for form in FORMS:
        for kind in ("pdf", "docx"):
            ours = (here / "congestion" / f"{form}.{kind}").read_bytes()
            assert (output / f"{form}.{kind}").read_bytes() == ours, (form, kind)
