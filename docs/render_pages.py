"""Render the README's picture of the staff memo: its first page beside the first page of
its evidence annex (Tab A), from a fresh build of the default content; and each page of
the principal's decision memo (docs/principal-memo-p1.png, -p2.png).

    .venv/bin/python docs/render_pages.py

tests/test_docs.py renders the same pages and checks that the committed picture still
shows the memo as the checkout builds it.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
PICTURE = ROOT / "docs" / "staff-memo.png"
SCALE = 1.0
"""Pixels per point: 72 dpi, a letter page 612 x 792 pixels."""
GAP = 24
PRINCIPAL = ROOT / "docs" / "principal-memo-p{}.png"
PRINCIPAL_SCALE = 1.5
"""The principal memo's pages at 108 dpi, legible when opened alone."""


def staff_pdf(folder: Path) -> Path:
    """Build the staff and principal memos' PDFs of the default content into `folder`;
    return the staff memo's (the principal's is beside it)."""
    from briefing import Project, build  # noqa: PLC0415 - the script runs from the checkout

    report = build(
        Project.at(ROOT / "content", output=folder),
        audiences=["staff", "principal"],
        formats=["pdf"],
    )
    if report.failures:
        raise SystemExit(str(report.failures[0]))
    return folder / "taliban-policy" / "staff.pdf"


def principal_pages(pdf: Path) -> list[Image.Image]:
    """Every page of the principal's decision memo, on white."""
    document = pdfium.PdfDocument(pdf)
    return [page.render(scale=PRINCIPAL_SCALE).to_pil().convert("RGB") for page in document]


def picture(pdf: Path, annex_title: str = "Tab A \u2014 Evidence") -> Image.Image:
    """Page 1 and the annex's first page side by side, on white."""
    document = pdfium.PdfDocument(pdf)
    annex = next(
        index
        for index in range(len(document))
        if document[index]
        .get_textpage()
        .get_text_range()
        .lstrip()
        .upper()
        .startswith(annex_title.upper())
    )
    pages = [document[i].render(scale=SCALE).to_pil().convert("RGB") for i in (0, annex)]
    sheet = Image.new(
        "RGB",
        (sum(p.width for p in pages) + GAP * 3, max(p.height for p in pages) + GAP * 2),
        (200, 200, 200),
    )
    left = GAP
    for page in pages:
        sheet.paste(page, (left, GAP))
        left += page.width + GAP
    return sheet


def main() -> None:
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory() as folder:
        staff = staff_pdf(Path(folder))
        picture(staff).save(PICTURE, optimize=True)
        print(f"wrote {PICTURE.relative_to(ROOT)}")
        for number, page in enumerate(principal_pages(staff.with_name("principal.pdf")), 1):
            path = Path(str(PRINCIPAL).format(number))
            page.save(path, optimize=True)
            print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
