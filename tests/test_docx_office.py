"""The DOCX opened the way an office opens it: in LibreOffice, headless.

Needs Debian's `libreoffice-writer-nogui` (`apt-get install libreoffice-writer-nogui`);
skipped, saying so, where `soffice` is missing. CI (`.ci/run`) installs it first. Marked
`outside`: `make test-outside` runs it, not `make test`.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document as WordDocument
from pypdf import PdfReader

from briefing import BuildReport, Project, check
from briefing.resolve import resolve_view

MEMO = "taliban-policy"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

pytestmark = [
    pytest.mark.outside,
    pytest.mark.skipif(
        SOFFICE is None,
        reason="LibreOffice is not installed (apt-get install libreoffice-writer-nogui): the "
        "DOCX is not opened in an office suite",
    ),
]


def _convert(document: Path, to: str, folder: Path) -> Path:
    """Convert with a private LibreOffice profile, so that no other instance interferes."""
    assert SOFFICE is not None
    profile = (folder / "profile").as_uri()
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--norestore",
         "--convert-to", to, "--outdir", str(folder), str(document)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    converted = folder / f"{document.stem}.{to.split(':', maxsplit=1)[0]}"
    assert converted.is_file(), f"LibreOffice made no {to} of {document.name}"
    return converted


@pytest.mark.parametrize("audience", ["principal", "congressional"])
def test_the_two_page_forms_keep_to_two_pages_in_libreoffice(
    default_build: tuple[Project, BuildReport], tmp_path: Path, audience: str
) -> None:
    """A principal who opens the Word file, or an office that edits and prints it, gets the
    two pages the PDF has, and the grid's headings with no word broken across lines."""
    project, _ = default_build
    view = resolve_view(check(project).content, MEMO, audience)
    budget = view.audience.page_budget
    assert budget == 2
    printed = PdfReader(_convert(project.output / MEMO / f"{audience}.docx", "pdf", tmp_path))
    assert len(printed.pages) <= budget, f"LibreOffice lays it out in {len(printed.pages)} pages"
    # A heading word broken across lines is one whole word fewer in the printed text than
    # in the document's own (its paragraphs and its tables' cells).
    printed_text = " ".join(page.extract_text() for page in printed.pages)
    document = WordDocument(str(project.output / MEMO / f"{audience}.docx"))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    own_text = " ".join([p.text for p in document.paragraphs] + cells)
    for criterion in view.criteria:
        for word in re.findall(r"\w+", criterion.label):
            pattern = rf"\b{re.escape(word)}\b"
            assert len(re.findall(pattern, printed_text)) >= len(re.findall(pattern, own_text)), (
                f"{word!r} of {criterion.label!r} broken across lines"
            )


def test_libreoffice_reads_real_footnotes_and_the_memo_styles(
    default_build: tuple[Project, BuildReport], tmp_path: Path
) -> None:
    project, _ = default_build
    flat = _convert(project.output / MEMO / "principal.docx", "fodt", tmp_path)
    text = flat.read_text(encoding="utf-8")
    view = resolve_view(check(project).content, MEMO, "principal")
    assert len(re.findall(r'<text:note text:id="[^"]*" text:note-class="footnote"', text)) == len(
        view.notes
    )
    for style in ("Memo Banner", "Memo Option", "Memo Grid Heading", "Memo Page Number"):
        assert f'style:display-name="{style}"' in text or f'style:name="{style}"' in text, style
    assert "<text:page-number" in text
    assert "<text:page-count" in text
    assert 'table:name="' in text
    assert "<table:table-header-rows>" in text
