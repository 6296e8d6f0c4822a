"""Stage 6: HTML to PDF with WeasyPrint, reading nothing but the templates' own assets.

WeasyPrint is imported here and only here, when a PDF is actually made, because the import
alone costs most of a second that `check` and `--help` should not pay.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from briefing.errors import BriefingError, PageBudgetError


@cache
def _fetcher_class() -> type:
    from weasyprint import URLFetcher  # noqa: PLC0415 - heavy import, only when rendering
    from weasyprint.urls import URLFetcherResponse  # noqa: PLC0415

    class AssetFetcher(URLFetcher):  # type: ignore[misc]
        """Serves files under the asset folders and refuses everything else.

        No network, no redirects, no file outside the folders the templates come from.
        """

        def __init__(self, roots: list[Path]) -> None:
            super().__init__(allowed_protocols={"file"}, allow_redirects=False)
            self.roots = [root.resolve() for root in roots]

        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            parts = urlsplit(url)
            if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
                raise ValueError(f"refused to fetch {url}: only bundled assets may be read")
            path = Path(unquote(parts.path)).resolve()
            if not any(path.is_relative_to(root) for root in self.roots) or not path.is_file():
                raise ValueError(f"refused to read {path}: outside the template assets")
            return URLFetcherResponse(url, body=path.read_bytes(), headers={})

    return AssetFetcher


def render_pdf(
    html: str,
    *,
    asset_root: Path,
    allowed_roots: list[Path],
    memo: str,
    audience: str,
    page_budget: int | None,
    dated: dt.date,
    standard: str = "pdf/ua-1",
) -> bytes:
    """Lay out the memo, enforce its page budget, and return the PDF bytes."""
    require_harfbuzz_subset()
    from weasyprint import HTML  # noqa: PLC0415 - heavy import, only when rendering

    fetcher = _fetcher_class()(allowed_roots)
    document = HTML(string=html, base_url=asset_root.as_uri() + "/", url_fetcher=fetcher).render(
        font_config=_font_config()
    )
    pages = len(document.pages)
    if page_budget is not None and pages > page_budget:
        raise PageBudgetError(memo, audience, pages, page_budget)
    with _font_timestamps(dated):
        pdf: bytes = document.write_pdf(
            pdf_identifier=f"{memo}/{audience}".encode(), pdf_variant=standard, pdf_tags=True
        )
    return pdf


HARFBUZZ_SUBSET_PACKAGE = "libharfbuzz-subset0"
"""Debian's (and Ubuntu's) package of HarfBuzz's font subsetter."""


class SubsetterMissingError(BriefingError):
    """WeasyPrint cannot load HarfBuzz's font subsetter on this machine."""

    code = "B220"


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
def _font_config() -> Any:
    """One font configuration per process, so the bundled fonts are loaded once, not per memo."""
    from weasyprint.text.fonts import FontConfiguration  # noqa: PLC0415

    return FontConfiguration()


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
