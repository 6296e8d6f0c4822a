"""Shared fixtures: the default content built once, and disposable copies to break."""

from __future__ import annotations

import logging
import os
import runpy
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar, cast

import pypdfium2 as pdfium
import pytest
from pdfwords import Run, body_pages, outline, runs, structure
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from briefing import BuildReport, Project, build
from briefing.scaffold import init_project

ROOT = Path(__file__).resolve().parent.parent
MEMO = "taliban-policy"
T = TypeVar("T")

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


def pytest_configure(config: pytest.Config) -> None:
    """The `outside` marker: a test that drives a program outside Python (a browser, an
    office suite, pip and a new virtual environment) waits on it for most of its time, so
    `make test` leaves it out and `make test-outside` (which CI runs too) runs it."""
    config.addinivalue_line(
        "markers", "outside: drives a program outside Python; run by `make test-outside`"
    )


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
    """The default build's PDFs, each opened once and each of its readings made once: pypdf
    takes a second to open a long memo and seconds to walk its pages, and a dozen tests ask
    the same questions of the same four files. Page text and text runs come from pdfium (a
    tenth of a second where pypdf takes seconds)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._made: dict[tuple[str, str, str], Any] = {}

    def _once(self, what: str, memo: str, audience: str, make: Callable[[], T]) -> T:
        if (what, memo, audience) not in self._made:
            self._made[(what, memo, audience)] = make()
        return cast(T, self._made[(what, memo, audience)])

    def path(self, audience: str, memo: str = MEMO) -> Path:
        return self.folder / memo / f"{audience}.pdf"

    def reader(self, audience: str, memo: str = MEMO) -> PdfReader:
        return self._once("reader", memo, audience, lambda: PdfReader(self.path(audience, memo)))

    def pages(self, audience: str, memo: str = MEMO) -> list[str]:
        """The text of each page, as pdfium (Chromium's PDF reader) extracts it; pdfium gives
        a hyphen that ends a line as U+0002, which is put back as the hyphen."""

        def extract() -> list[str]:
            document = pdfium.PdfDocument(self.path(audience, memo))
            return [
                page.get_textpage().get_text_bounded().replace("\x02", "-") for page in document
            ]

        return self._once("pages", memo, audience, extract)

    def runs(self, audience: str, memo: str = MEMO) -> list[Run]:
        """`pdfwords.runs` of the PDF: every text run with its page, size and artifact mark."""
        return self._once("runs", memo, audience, lambda: runs(self.path(audience, memo)))

    def structure(self, audience: str, memo: str = MEMO) -> list[DictionaryObject]:
        """`pdfwords.structure` of the PDF: its structure elements in reading order."""
        return self._once(
            "structure", memo, audience, lambda: structure(self.reader(audience, memo))
        )

    def outline(self, audience: str, memo: str = MEMO) -> list[tuple[str, int]]:
        """`pdfwords.outline` of the PDF: its bookmarks as (title, 1-based page)."""
        return self._once("outline", memo, audience, lambda: outline(self.reader(audience, memo)))

    def body_pages(self, audience: str, annex_title: str, memo: str = MEMO) -> int:
        """The pages before the annex (all of them where there is none)."""
        pages = len(self.reader(audience, memo).pages)
        return body_pages(self.outline(audience, memo), pages, annex_title)


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
def started(tmp_path: Path) -> Path:
    """A project as `briefing init` starts it (a source, two positions, one memo, the four
    audiences); returns its content folder. Its PDFs are laid out in a fraction of the time
    the shipped memo's take: for tests about how a build runs rather than what it makes."""
    init_project(tmp_path / "started")
    return tmp_path / "started" / "content"


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
