"""The README's pictures are the memos the checkout builds."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from PIL import Image, ImageChops

from briefing import BuildReport, Project

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "docs" / "render_pages.py"


def _script() -> ModuleType:
    """docs/render_pages.py, loaded as a module: the script that draws the pictures."""
    spec = importlib.util.spec_from_file_location("render_pages", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_picture_shows_the_staff_memo_as_built(
    default_build: tuple[Project, BuildReport],
) -> None:
    project, _ = default_build
    render_pages = _script()
    assert render_pages.PICTURE.name in (ROOT / "README.md").read_text(encoding="utf-8")
    fresh = render_pages.picture(project.output / "taliban-policy" / "staff.pdf")
    committed = Image.open(render_pages.PICTURE).convert("RGB")
    assert committed.size == fresh.size
    difference = ImageChops.difference(committed, fresh).convert("L")
    changed = sum(difference.histogram()[65:])  # pixels more than a quarter off
    share = changed / (fresh.width * fresh.height)
    assert share < 0.001, "docs/staff-memo.png is out of date: run docs/render_pages.py"


def test_readme_pictures_show_the_two_page_briefs_as_built(
    default_build: tuple[Project, BuildReport],
) -> None:
    project, _ = default_build
    render_pages = _script()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    folder = project.output / "taliban-policy"
    drawn = [
        (render_pages.pages(folder / "congressional.pdf"), render_pages.CONGRESSIONAL),
        (render_pages.principal_pages(folder / "principal.pdf"), render_pages.PRINCIPAL),
    ]
    for fresh, files in drawn:
        assert len(fresh) == len(files) == 2
        for image, file in zip(fresh, files, strict=True):
            assert f"docs/{file.name}" in readme
            committed = Image.open(file).convert("RGB")
            assert committed.size == image.size
            difference = ImageChops.difference(committed, image).convert("L")
            share = sum(difference.histogram()[65:]) / (image.width * image.height)
            assert share < 0.001, f"docs/{file.name} is out of date: run docs/render_pages.py"
