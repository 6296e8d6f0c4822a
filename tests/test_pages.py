"""Pages as a reader sees them: rendered to pixels with pdfium, for what text checks miss."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageOps

from briefing import BuildReport, Project

DPI = 36  # half a point per pixel is plenty to see ink where none should be
INCH = DPI


def _pages(path: Path) -> list[Image.Image]:
    document = pdfium.PdfDocument(path)
    return [page.render(scale=DPI / 72).to_pil().convert("L") for page in document]


def _ink(image: Image.Image, box: tuple[int, int, int, int]) -> tuple[int, int, int, int] | None:
    """The bounding box of anything darker than a light grey inside `box`."""
    region = ImageOps.invert(image.crop(box)).point(lambda value: 255 if value > 40 else 0)
    return region.getbbox()


@pytest.mark.parametrize("audience", ["principal", "staff", "congressional", "public"])
def test_no_blank_page_and_nothing_in_the_side_margins(
    default_build: tuple[Project, BuildReport], audience: str
) -> None:
    project, _ = default_build
    pages = _pages(project.output / "taliban-policy" / f"{audience}.pdf")
    assert pages
    for number, page in enumerate(pages, start=1):
        width, height = page.size
        body = (INCH, INCH, width - INCH, height - INCH)
        found = _ink(page, body)
        assert found is not None, f"{audience} page {number} is blank"
        left, top, right, bottom = found
        assert (right - left) * (bottom - top) > (width - 2 * INCH) * INCH / 4, (
            f"{audience} page {number} holds almost nothing"
        )
        margin = int(INCH * 0.9)
        for side in (
            (0, INCH, margin, height - INCH),
            (width - margin, INCH, width, height - INCH),
        ):
            assert _ink(page, side) is None, f"{audience} page {number}: ink in a side margin"


def test_first_page_is_distinct_and_later_pages_carry_the_running_header(
    default_build: tuple[Project, BuildReport],
) -> None:
    project, _ = default_build
    pages = _pages(project.output / "taliban-policy" / "staff.pdf")
    # Left of the banner, which the handling marking lengthens to the page's middle third.
    corner = (INCH // 2, INCH // 4, 2 * INCH, INCH - 4)
    assert _ink(pages[0], corner) is None, "no running header on the first page"
    assert all(_ink(page, corner) is not None for page in pages[1:])
