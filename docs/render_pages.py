"""Render the README's picture of the staff memo: its first page beside the first page of
its evidence annex (Tab A), from a fresh build of the default content.

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


def staff_pdf(folder: Path) -> Path:
    """Build the staff memo's PDF of the default content into `folder`."""
    from briefing import Project, build  # noqa: PLC0415 - the script runs from the checkout

    report = build(
        Project.at(ROOT / "content", output=folder), audiences=["staff"], formats=["pdf"]
    )
    if report.failures:
        raise SystemExit(str(report.failures[0]))
    return folder / "taliban-policy" / "staff.pdf"


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
        picture(staff_pdf(Path(folder))).save(PICTURE, optimize=True)
    print(f"wrote {PICTURE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
