"""Render the README's pictures from a fresh build of the default content: the staff memo's
first page beside the first page of its evidence annex (Tab A), each page of the principal's
decision memo (docs/principal-memo-p1.png, -p2.png) and each page of the congressional brief
(docs/congressional-p1.png, -p2.png).

    .venv/bin/python docs/render_pages.py

tests/test_docs.py renders the same pages and checks that the committed pictures still
show the memos as the checkout builds them.
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
CONGRESSIONAL = [ROOT / "docs" / f"congressional-p{n}.png" for n in (1, 2)]
"""The congressional brief's pages, one picture each."""
PRINCIPAL = [ROOT / "docs" / f"principal-memo-p{n}.png" for n in (1, 2)]
PRINCIPAL_SCALE = 1.5
"""The principal memo's pages at 108 dpi, legible when opened alone."""


def memo_pdf(folder: Path, audience: str) -> Path:
    """Build one audience's PDF of the default content into `folder`."""
    from briefing import Project, build  # noqa: PLC0415 - the script runs from the checkout

    report = build(
        Project.at(ROOT / "content", output=folder), audiences=[audience], formats=["pdf"]
    )
    if report.failures:
        raise SystemExit(str(report.failures[0]))
    return folder / "taliban-policy" / f"{audience}.pdf"


def staff_pdf(folder: Path) -> Path:
    """Build the staff memo's PDF of the default content into `folder`."""
    return memo_pdf(folder, "staff")


def pages(pdf: Path, scale: float = SCALE) -> list[Image.Image]:
    """Every page of a PDF as drawn at `scale`, on white."""
    document = pdfium.PdfDocument(pdf)
    return [page.render(scale=scale).to_pil().convert("RGB") for page in document]


def principal_pages(pdf: Path) -> list[Image.Image]:
    """Every page of the principal's decision memo, on white, at PRINCIPAL_SCALE."""
    return pages(pdf, PRINCIPAL_SCALE)


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
        drawn = [
            (principal_pages(memo_pdf(Path(folder), "principal")), PRINCIPAL),
            (pages(memo_pdf(Path(folder), "congressional")), CONGRESSIONAL),
        ]
        for images, files in drawn:
            for image, file in zip(images, files, strict=True):
                image.save(file, optimize=True)
                print(f"wrote {file.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
