"""Shared fixtures: the default content built once, and disposable copies to break."""

from __future__ import annotations

import logging
import os
import runpy
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader

from briefing import BuildReport, Project, build

ROOT = Path(__file__).resolve().parent.parent
MEMO = "taliban-policy"

WEASYPRINT_LOG = "BRIEFING_TEST_WEASYPRINT_LOG"
_RECORD_WEASYPRINT = f"""\
import logging, os

if os.environ.get("{WEASYPRINT_LOG}"):
    _handler = logging.FileHandler(os.environ["{WEASYPRINT_LOG}"], encoding="utf-8")
    _handler.setFormatter(logging.Formatter("%(levelname)s\\t%(name)s\\t%(message)r"))
    logging.getLogger("weasyprint").addHandler(_handler)
    logging.getLogger("weasyprint").setLevel(logging.INFO)
"""
"""Sends WeasyPrint's log, its progress included, to the file the variable names: run in
the test process, and as sitecustomize in render workers started afresh (spawned)."""


@pytest.fixture(scope="session")
def default_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, BuildReport]:
    """Every memo of the shipped content, every audience, both formats, built once.

    Built as a user builds, in worker processes; what WeasyPrint logs meanwhile, in any
    process, is kept in `weasyprint.log` beside the output (see `weasyprint_log`).
    """
    root = tmp_path_factory.mktemp("default")
    project = Project.at(ROOT / "content", output=root / "output")
    startup = root / "startup"
    startup.mkdir()
    (startup / "sitecustomize.py").write_text(_RECORD_WEASYPRINT, encoding="utf-8")
    log = root / "weasyprint.log"
    logger = logging.getLogger("weasyprint")
    level, handlers = logger.level, list(logger.handlers)
    saved = {name: os.environ.get(name) for name in (WEASYPRINT_LOG, "PYTHONPATH")}
    os.environ[WEASYPRINT_LOG] = str(log)
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(startup), saved["PYTHONPATH"]]))
    try:
        # Here for this process and for workers forked from it; the environment carries it
        # to workers spawned afresh (the pool spawns once WeasyPrint is loaded here).
        runpy.run_path(str(startup / "sitecustomize.py"))
        report = build(project)
    finally:
        for handler in logger.handlers:
            if handler not in handlers:
                handler.close()
        logger.handlers[:] = handlers
        logger.setLevel(level)
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return project, report


@pytest.fixture(scope="session")
def weasyprint_log(default_build: tuple[Project, BuildReport]) -> list[tuple[str, str, str]]:
    """(level, logger, message) of every record WeasyPrint logged during the default build."""
    project, _ = default_build
    lines = (project.output.parent / "weasyprint.log").read_text(encoding="utf-8").splitlines()
    return [(level, name, message) for level, name, message in (x.split("\t", 2) for x in lines)]


class BuiltPdfs:
    """The default build's PDFs, each read once (pypdf takes a second over a long memo), and
    their text as pdfium extracts it (pypdf takes seconds: pdfium a tenth of one)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._readers: dict[tuple[str, str], PdfReader] = {}
        self._pages: dict[tuple[str, str], list[str]] = {}

    def reader(self, audience: str, memo: str = MEMO) -> PdfReader:
        if (memo, audience) not in self._readers:
            self._readers[(memo, audience)] = PdfReader(self.folder / memo / f"{audience}.pdf")
        return self._readers[(memo, audience)]

    def pages(self, audience: str, memo: str = MEMO) -> list[str]:
        """The text of each page, as pdfium (Chromium's PDF reader) extracts it; pdfium gives
        a hyphen that ends a line as U+0002, which is put back as the hyphen."""
        if (memo, audience) not in self._pages:
            document = pdfium.PdfDocument(self.folder / memo / f"{audience}.pdf")
            texts = [
                page.get_textpage().get_text_bounded().replace("\x02", "-") for page in document
            ]
            self._pages[(memo, audience)] = texts
        return self._pages[(memo, audience)]


@pytest.fixture(scope="session")
def default_pdfs(default_build: tuple[Project, BuildReport]) -> BuiltPdfs:
    """The PDFs of `default_build`, read and their text extracted at most once a session."""
    project, _ = default_build
    return BuiltPdfs(project.output)


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A copy of the shipped content and seeds; returns its content folder."""
    shutil.copytree(ROOT / "content", tmp_path / "content")
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    return tmp_path / "content"


@pytest.fixture
def edit() -> Callable[[Path, str, str], None]:
    """Replace one exact passage of a file, failing loudly if it is not there."""

    def replace(file: Path, old: str, new: str) -> None:
        text = file.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {file}"
        file.write_text(text.replace(old, new, 1), encoding="utf-8")

    return replace


_watching: list[list[str]] = []
_hooked: list[bool] = []  # an audit hook cannot be removed: add it once per process


def _note_open(event: str, args: tuple[object, ...]) -> None:
    if event == "open" and _watching and isinstance(args[0], (str, bytes)):
        _watching[-1].append(os.path.realpath(os.fsdecode(args[0])))


@pytest.fixture
def files_opened() -> Iterator[list[str]]:
    """The real path of every file Python opens in this process while the test runs.

    Python's audit hook reports each open with the path asked for, so a test can show that
    a file was never opened at all, not merely that its bytes did not come out.
    """
    if not _hooked:
        sys.addaudithook(_note_open)
        _hooked.append(True)
    seen: list[str] = []
    _watching.append(seen)
    try:
        yield seen
    finally:
        _watching.remove(seen)
