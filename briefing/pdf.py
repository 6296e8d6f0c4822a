"""Stage 6: HTML to PDF with WeasyPrint, reading nothing but the templates' own assets.

WeasyPrint is imported here and only here, when a PDF is actually made, because the import
alone costs most of a second that `check` and `--help` should not pay.

The fetcher serves only what briefing.assets locates, and notes every name it is asked for:
the build cache keys each PDF on exactly the files it was made from. A URL it refuses (a
file outside the template folders, the network) or a file a template asks to attach makes
the output fail with a message, rather than a PDF silently made without it.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

from briefing.assets import ASSETS, Refused, locate, name_of, roots
from briefing.errors import AssetError, PageBudgetError, SubsetterMissingError
from briefing.made import HtmlPage, Made, Pages
from briefing.project import BUILTIN_TEMPLATES
from briefing.tagging import finish_tags

_SHOWN = 3
"""How many refused URLs a message names before it counts the rest."""


@cache
def _fetcher_class() -> type:
    from weasyprint import URLFetcher  # noqa: PLC0415 - heavy import, only when rendering
    from weasyprint.urls import URLFetcherResponse  # noqa: PLC0415

    class AssetFetcher(URLFetcher):  # type: ignore[misc]
        """Serves files of the template folders' assets and refuses everything else.

        No network, no redirects, no file outside the folders the templates come from. It
        keeps what it was asked for: `fetched` (names, found or not, for the cache) and
        `refused` (URLs and why, to fail the output with).
        """

        def __init__(self, template_dirs: list[Path], base: Path) -> None:
            super().__init__(allowed_protocols={"file"}, allow_redirects=False)
            self.roots = roots(template_dirs)
            self.base = base
            self.fetched: list[str] = []
            self.refused: list[tuple[str, str]] = []

        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            try:
                name = name_of(url, self.base)
                path = locate(name, self.roots)
            except Refused as why:
                self.refused.append((_as_written(url, self.base), str(why)))
                raise ValueError(f"refused to fetch {url}: {why}") from None
            self.fetched.append(name)
            if path is None:
                raise FileNotFoundError(f"no file {name} in the template folders' assets/")
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": kind})

    return AssetFetcher


def _as_written(url: str, base: Path) -> str:
    """A URL as a template most likely wrote it: relative to the assets, if it was."""
    return url.removeprefix(base.as_uri() + "/")


ANNEX_ANCHOR = "annex"
"""The id of the element that opens a document's annex: pages from the one it stands on are
the annex, the pages before it the body, which alone counts against the page budget."""


LINES_ATTRIBUTE = "data-lines"
"""Templates mark a text whose length a profile may limit with this attribute, naming it
(`<p data-lines="bluf">`); the laid-out PDF's line boxes of that element are counted."""


def count_lines(document: Any) -> dict[str, int]:
    """The line boxes of each element marked with LINES_ATTRIBUTE, over every page it spans.

    Read from WeasyPrint's layout (the boxes it drew), not estimated from characters: the
    count is what a reader sees, whatever the font, size or margins. Lines of an inline
    block inside the text are not counted: they sit on one of its lines.
    """
    from weasyprint.formatting_structure import boxes  # noqa: PLC0415

    counts: dict[str, int] = {}

    def walk(box: Any, inside: str | None) -> None:
        element = getattr(box, "element", None)
        named = element.get(LINES_ATTRIBUTE) if element is not None else None
        inside = named or inside
        if isinstance(box, boxes.LineBox):
            if inside:
                counts[inside] = counts.get(inside, 0) + 1
            return
        for child in getattr(box, "children", ()):
            walk(child, inside)

    for page in document.pages:
        walk(page._page_box, None)
    return counts


def count_pages(document: Any) -> Pages:
    """The body's pages and the annex's, read from the laid-out document: the annex starts
    on the page that holds the element with id ANNEX_ANCHOR (WeasyPrint's `Page.anchors`)."""
    total = len(document.pages)
    start = next(
        (index for index, page in enumerate(document.pages) if ANNEX_ANCHOR in page.anchors),
        total,
    )
    return Pages(body=start, annex=total - start)


ASSET_ROOT = BUILTIN_TEMPLATES / ASSETS
"""The base of a page's relative URLs: `fonts/x.ttf` is looked up in each template folder's
assets/ (the user's first), as `assets.locate` does."""


def render_pdf(page: HtmlPage) -> Made:
    """Lay out an edition's HTML, enforce its page budget, and return the PDF and what it
    read: the one way any edition (a memo, a review, a redline) becomes a PDF.

    Only the assets of the page's template folders may be read. Raises AssetError if the
    page asked for anything it may not have: nothing is written rather than a PDF made
    without it, or with a file attached.
    """
    require_harfbuzz_subset()
    from weasyprint import HTML  # noqa: PLC0415 - heavy import, only when rendering

    template_dirs = list(page.template_dirs)
    fetcher = _fetcher_class()(template_dirs, ASSET_ROOT)
    document = HTML(
        string=page.html, base_url=ASSET_ROOT.as_uri() + "/", url_fetcher=fetcher
    ).render(font_config=_font_config(page.template_dirs))
    _refuse_fetches(fetcher.refused, template_dirs)
    _refuse_attachments(document, template_dirs)
    pages = count_pages(document)
    lines = count_lines(document)
    budget = page.page_budget
    if budget is not None and pages.body > budget:
        raise PageBudgetError(
            page.memo, page.audience, pages.body, budget, annexed=bool(pages.annex)
        )
    with _font_timestamps(page.dated):
        pdf: bytes = document.write_pdf(
            pdf_identifier=f"{page.memo}/{page.audience}".encode(),
            pdf_variant=page.pdf_standard,
            pdf_tags=True,
            finisher=finish_tags,
        )
    _refuse_fetches(fetcher.refused, template_dirs)
    return Made(pdf, page.templates, frozenset(fetcher.fetched), pages, lines)


def _readable(template_dirs: list[Path]) -> str:
    """Where a PDF may read from, as messages name it (the bundled folder comes last)."""
    if len(template_dirs) > 1:
        return f"the assets/ of the template folder '{template_dirs[0]}' and of the bundled ones"
    return "the bundled templates' assets/"


def _a_template(template_dirs: list[Path]) -> str:
    """'a template', with the user's folder it may come from, as messages name it."""
    return f"a template in '{template_dirs[0]}'" if len(template_dirs) > 1 else "a template"


def _refuse_fetches(refused: list[tuple[str, str]], template_dirs: list[Path]) -> None:
    """Fail the output if the page asked for any URL the fetcher would not serve."""
    if not refused:
        return
    unique = list(dict.fromkeys(refused))
    shown = "; ".join(f"'{_shortened(url)}' ({why})" for url, why in unique[:_SHOWN])
    more = f"; and {len(unique) - _SHOWN} more" if len(unique) > _SHOWN else ""
    raise AssetError(
        f"the page asks for {shown}{more}. A PDF may read only files in "
        f"{_readable(template_dirs)}; nothing was written for this output",
        "B407",
    )


def _shortened(url: str, most: int = 200) -> str:
    """A URL short enough for a message: a data: URL can be a whole image."""
    return url if len(url) <= most else url[: most - 3] + "..."


def _refuse_attachments(document: Any, template_dirs: list[Path]) -> None:
    """Fail the output if a template asks to attach a file: memos embed no files.

    WeasyPrint fetches attachments only when it writes the PDF, so refusing here, after
    layout and before writing, means no attachment is ever read.
    """
    wanted = [
        f"'{_shortened(target)}'"
        for page in document.pages
        for kind, target, *_ in page.links
        if kind == "attachment"
    ]
    if document.metadata.attachments:
        wanted.append('the file of a <link rel="attachment">')
    if wanted:
        raise AssetError(
            f"{_a_template(template_dirs)} asks to attach {wanted[0]} to the PDF; memos embed "
            'no files (remove rel="attachment"); nothing was written for this output',
            "B408",
        )


HARFBUZZ_SUBSET_PACKAGE = "libharfbuzz-subset0"
"""Debian's (and Ubuntu's) package of HarfBuzz's font subsetter."""


def require_harfbuzz_subset() -> None:
    """Refuse to make a PDF unless WeasyPrint will subset its fonts with HarfBuzz.

    WeasyPrint subsets each embedded font with HarfBuzz's subsetter when it can load it, and
    otherwise with fontTools (a deprecated fallback, announced with a DeprecationWarning);
    the two give different bytes. Requiring HarfBuzz's keeps one PDF for one memo on every
    machine. The test is WeasyPrint's own (text/ffi.py, pdf/fonts.py); a WeasyPrint without
    the `harfbuzz_subset` handle has no fallback to guard against.
    """
    from weasyprint.text import ffi  # noqa: PLC0415 - heavy import, only when rendering

    if not hasattr(ffi, "harfbuzz_subset"):
        return
    if ffi.harfbuzz_subset is None or not ffi.harfbuzz.hb_version_atleast(4, 1, 0):
        raise SubsetterMissingError(
            "HarfBuzz's font subsetter (libharfbuzz-subset, 4.1 or later) cannot be loaded, so "
            "WeasyPrint would subset the embedded fonts with fontTools instead and the PDF's "
            "bytes would differ from every other machine's; install it, as root: "
            f"apt-get install {HARFBUZZ_SUBSET_PACKAGE}"
        )


@cache
def _font_config(template_dirs: tuple[Path, ...]) -> Any:
    """One font configuration per process and search path (the argument is the cache's
    key), so the fonts are loaded once, not per memo, and a font that one template folder
    overrides never serves a build with another."""
    return _recording_fonts_class()()


def forget_fonts() -> None:
    """Drop the font configurations: a font file may have changed (`watch`'s workers)."""
    _font_config.cache_clear()


@cache
def _recording_fonts_class() -> type:
    from weasyprint.text.fonts import FontConfiguration  # noqa: PLC0415

    fetcher_class = _fetcher_class()

    class RecordingFonts(FontConfiguration):  # type: ignore[misc]
        """A font configuration that tells every memo which files its fonts came from.

        WeasyPrint loads an @font-face once per configuration and skips it afterwards, so
        without this only the first memo a worker renders would know it used the fonts
        (and the cache would miss an edited font for the rest). What loading a face
        fetched or was refused is kept and replayed into each later memo's fetcher.
        """

        def __init__(self) -> None:
            super().__init__()
            self.faces: dict[str, tuple[list[str], list[tuple[str, str]]]] = {}

        def add_font_face(self, rule_descriptors: Any, url_fetcher: Any) -> Any:
            if not isinstance(url_fetcher, fetcher_class):
                return super().add_font_face(rule_descriptors, url_fetcher)
            fetcher: Any = url_fetcher
            face = str(rule_descriptors)
            fetched, refused = len(fetcher.fetched), len(fetcher.refused)
            result = super().add_font_face(rule_descriptors, fetcher)
            new = (fetcher.fetched[fetched:], fetcher.refused[refused:])
            if new[0] or new[1]:
                self.faces[face] = new
            else:  # loaded for an earlier memo: this one was made from the same files
                earlier_fetched, earlier_refused = self.faces.get(face, ([], []))
                fetcher.fetched.extend(earlier_fetched)
                fetcher.refused.extend(earlier_refused)
            return result

    return RecordingFonts


@contextmanager
def _font_timestamps(dated: dt.date) -> Iterator[None]:
    """Stamp subset fonts with the memo's date rather than the clock, so rebuilds are identical.

    fontTools, which subsets the embedded fonts, reads SOURCE_DATE_EPOCH for that stamp.
    """
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    stamp = dt.datetime(dated.year, dated.month, dated.day, tzinfo=dt.UTC).timestamp()
    os.environ["SOURCE_DATE_EPOCH"] = previous or str(int(stamp))
    try:
        yield
    finally:
        if previous is None:
            del os.environ["SOURCE_DATE_EPOCH"]
