"""The output formats, registered once; each edition (a memo, its review, a redline) is made
in every format that can make it, and each command offers exactly those.

A format is a name (which is also the file suffix), a media type for the watch server, the
modules its renderers import (which `watch`'s workers import once, before the first save),
and how it makes each edition: from the edition laid out in HTML (the HTML itself, the
PDF), or from the edition's own data (the Word file). A renderer reports what the output
was made from — the templates it used and the asset files it fetched — and the build cache
keys the output on exactly those, so a new format needs no cache code. Renderers import
their heavy libraries when called, so that reading this table costs nothing.

Adding a format: write its module, with one function from an `HtmlPage` to `Made` if it is
made from HTML (every edition then comes in it, through `_from_html`), or one function per
edition it makes from that edition's data; then add one `OutputFormat` to `_REGISTERED`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

from briefing.errors import SelectionError
from briefing.made import HtmlPage, Made, Target

if TYPE_CHECKING:
    from pathlib import Path

    from briefing.project import Project
    from briefing.redline import Redline
    from briefing.resolve import MemoView
    from briefing.review import Review

Subject = TypeVar("Subject")
"""What an edition is made from: a memo's view, a review, a redline."""


@dataclass(frozen=True)
class Makes:
    """How a format makes each edition, from the edition and the project whose templates lay
    it out; None for an edition it does not make."""

    memo: Callable[[MemoView, Project], Made] | None = None
    review: Callable[[Review, Project], Made] | None = None
    redline: Callable[[Redline, Project], Made] | None = None


@dataclass(frozen=True)
class OutputFormat:
    """One kind of file briefing makes: of each memo for each audience, and of the other
    editions it can make."""

    name: str
    """Also the file suffix: output/MEMO/AUDIENCE.NAME."""
    media_type: str
    makes: Makes
    imports: tuple[str, ...]
    """The modules its renderers import when they run: `watch`'s workers import them once,
    before the first save, so that no save pays for it."""
    live: bool
    """Shown in the browser by `watch`, so rebuilt first and reloaded on each save."""
    slow: bool
    """Takes far longer than a live format; scheduled first so no worker is left with a
    long one at the end."""


def _from_html(target: Target, convert: Callable[[HtmlPage], Made]) -> Makes:
    """Every edition, laid out in HTML for `target`, then turned into the format by
    `convert`: a format made from HTML makes whatever can be laid out in HTML."""

    def memo(view: MemoView, project: Project) -> Made:
        from briefing.render import render_html  # noqa: PLC0415 - Jinja only when rendering

        return convert(render_html(view, project.template_dirs, target))

    def review(review: Review, project: Project) -> Made:
        from briefing.review import review_page  # noqa: PLC0415

        return convert(review_page(review, project.template_dirs, target))

    def redline(redline: Redline, project: Project) -> Made:
        from briefing.redline_render import redline_page  # noqa: PLC0415

        return convert(redline_page(redline, project.template_dirs, target))

    return Makes(memo=memo, review=review, redline=redline)


def _html(page: HtmlPage) -> Made:
    return Made(page.html.encode("utf-8"), page.templates)


def _pdf(page: HtmlPage) -> Made:
    from briefing.pdf import render_pdf  # noqa: PLC0415 - WeasyPrint only for PDFs

    return render_pdf(page)


def _render_docx(view: MemoView, project: Project) -> Made:
    from briefing.docx import render_docx  # noqa: PLC0415 - python-docx only here
    from briefing.wordtemplate import WordTemplateError  # noqa: PLC0415

    name = view.audience.docx_template
    template = _word_template(name, view.audience_id, project) if name else None
    if name and template is None:
        searched = ", ".join(str(folder) for folder in project.template_dirs)
        raise WordTemplateError(
            f"Word template '{name}' not found for audience '{view.audience_id}' (searched "
            f"{searched}; a file that leads outside its folder is not read)",
            "B415",
        )
    return render_docx(view, template, project.template_dirs)


def _word_template(name: str, audience: str, project: Project) -> Path | None:
    """The profile's reference template as the search path finds it, or None.

    A name the system cannot look up (a path longer than it allows) is refused as a
    template not found is (B415), not taken for a failure of the renderer.
    """
    from briefing.wordtemplate import WordTemplateError  # noqa: PLC0415

    try:
        return project.template_file(name)
    except OSError as error:
        raise WordTemplateError(
            f"Word template '{name}' cannot be looked up for audience '{audience}' "
            f"({error.strerror}); name a file in your templates folder that can be read",
            "B415",
        ) from None


def _redline_docx(redline: Redline, project: Project) -> Made:
    from briefing.redline_render import redline_docx  # noqa: PLC0415 - python-docx only here

    return Made(redline_docx(redline), frozenset())


_REGISTERED = (
    OutputFormat(
        "html",
        "text/html; charset=utf-8",
        _from_html("html", _html),
        ("briefing.render",),
        live=True,
        slow=False,
    ),
    OutputFormat(
        "pdf",
        "application/pdf",
        _from_html("pdf", _pdf),
        ("briefing.render", "briefing.pdf", "weasyprint"),
        live=False,
        slow=True,
    ),
    OutputFormat(
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        Makes(memo=_render_docx, redline=_redline_docx),
        ("briefing.docx", "briefing.redline_render"),
        live=False,
        slow=False,
    ),
)
"""Every format, one registration each, in the order a build makes them."""

FORMATS: dict[str, OutputFormat] = {f.name: f for f in _REGISTERED}
"""Every format by name, whatever it makes (the watch server serves each by its suffix)."""


@dataclass(frozen=True)
class Edition(Generic[Subject]):
    """One kind of document briefing makes, and the formats that can make it, drawn from the
    registry: a command offers `names`, and writes each file with `render`."""

    name: str
    renderers: Mapping[str, Callable[[Subject, Project], Made]]

    @property
    def names(self) -> tuple[str, ...]:
        """The formats it is made in, in the registry's order."""
        return tuple(self.renderers)

    def render(self, fmt: str, subject: Subject, project: Project) -> Made:
        """`subject` made in the format `fmt`, laid out with `project`'s templates."""
        renderer = self.renderers.get(fmt)
        if renderer is None:
            known = ", ".join(self.names)
            raise SelectionError(f"a {self.name} is not made in '{fmt}'; choose from: {known}")
        return renderer(subject, project)


MEMO: Edition[MemoView] = Edition(
    "memo", {f.name: f.makes.memo for f in _REGISTERED if f.makes.memo is not None}
)
"""A memo as an audience sees it: what `build` and `watch` make."""
REVIEW: Edition[Review] = Edition(
    "review", {f.name: f.makes.review for f in _REGISTERED if f.makes.review is not None}
)
"""The review edition: every claim with its quotations in their sources (`briefing review`)."""
REDLINE: Edition[Redline] = Edition(
    "redline", {f.name: f.makes.redline for f in _REGISTERED if f.makes.redline is not None}
)
"""What changed in a memo for an audience between two versions (`briefing diff`)."""
