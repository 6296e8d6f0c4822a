"""The output formats, registered once and read by plan, pool, cache, cli and serve.

A format is a name (which is also the file suffix), a media type for the watch server, and
a renderer from the resolved view to bytes. The renderer reports what the output was made
from — the templates it used and the asset files it fetched — and the build cache keys the
output on exactly those, so a new format needs no cache code. Renderers import their heavy
libraries when called, so that reading this table costs nothing.

Adding a format: write its renderer (a module of its own if it is more than a few lines)
and add one `OutputFormat` to `_REGISTERED`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from briefing.project import Project
    from briefing.resolve import MemoView


@dataclass(frozen=True)
class Pages:
    """How long a paged output is: its body, and the annex after it (0 without one)."""

    body: int
    annex: int = 0


@dataclass(frozen=True)
class Made:
    """An output's bytes and what they were made from."""

    data: bytes
    templates: frozenset[str]
    """Template names the render asked for, as the search path resolves them."""
    assets: frozenset[str] = frozenset()
    """Asset names the renderer fetched (stylesheets, fonts, images)."""
    pages: Pages | None = None
    """Its pages, for a paged format; the build reports them."""
    lines: dict[str, int] = field(default_factory=dict)
    """Lines each limited text took (`bluf`, `question`), for a laid-out format; the build
    checks them against the profile's `line_limits`."""


@dataclass(frozen=True)
class OutputFormat:
    """One kind of file a build makes from each memo and audience."""

    name: str
    """Also the file suffix: output/MEMO/AUDIENCE.NAME."""
    media_type: str
    render: Callable[[MemoView, Project], Made]
    live: bool
    """Shown in the browser by `watch`, so rebuilt first and reloaded on each save."""
    slow: bool
    """Takes far longer than a live format; scheduled first so no worker is left with a
    long one at the end."""


def _render_html(view: MemoView, project: Project) -> Made:
    from briefing.render import render_html  # noqa: PLC0415 - Jinja only when rendering

    rendered = render_html(view, project.template_dirs, "html")
    return Made(rendered.html.encode("utf-8"), rendered.templates)


def _render_pdf(view: MemoView, project: Project) -> Made:
    from briefing.assets import ASSETS  # noqa: PLC0415
    from briefing.pdf import render_pdf  # noqa: PLC0415 - WeasyPrint only for PDFs
    from briefing.project import BUILTIN_TEMPLATES  # noqa: PLC0415
    from briefing.render import render_html  # noqa: PLC0415

    rendered = render_html(view, project.template_dirs, "pdf")
    pdf = render_pdf(
        rendered.html,
        asset_root=BUILTIN_TEMPLATES / ASSETS,
        template_dirs=project.template_dirs,
        memo=view.id,
        audience=view.audience_id,
        page_budget=view.audience.page_budget,
        dated=view.memo.date,
        standard=view.audience.pdf_standard,
    )
    return Made(pdf.data, rendered.templates, pdf.assets, pdf.pages, pdf.lines)


def _render_docx(view: MemoView, project: Project) -> Made:
    from briefing.docx import WordTemplateError, render_docx  # noqa: PLC0415 - python-docx only here

    name = view.audience.docx_template
    template = _word_template(name, view.audience_id, project) if name else None
    if name and template is None:
        searched = ", ".join(str(folder) for folder in project.template_dirs)
        raise WordTemplateError(
            f"Word template '{name}' not found for audience '{view.audience_id}' (searched "
            f"{searched}; a file that leads outside its folder is not read)",
            "B415",
        )
    return Made(render_docx(view, template), frozenset({name} if name else ()))


def _word_template(name: str, audience: str, project: Project) -> Path | None:
    """The profile's reference template as the search path finds it, or None.

    A name the system cannot look up (a path longer than it allows) is refused as a
    template not found is (B415), not taken for a failure of the renderer.
    """
    from briefing.docx import WordTemplateError  # noqa: PLC0415

    try:
        return project.template_file(name)
    except OSError as error:
        raise WordTemplateError(
            f"Word template '{name}' cannot be looked up for audience '{audience}' "
            f"({error.strerror}); name a file in your templates folder that can be read",
            "B415",
        ) from None


_REGISTERED = (
    OutputFormat("html", "text/html; charset=utf-8", _render_html, live=True, slow=False),
    OutputFormat("pdf", "application/pdf", _render_pdf, live=False, slow=True),
    OutputFormat(
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _render_docx,
        live=False,
        slow=False,
    ),
)

FORMATS: dict[str, OutputFormat] = {f.name: f for f in _REGISTERED}
"""Every format by name, in the order a build makes them."""

FORMAT_NAMES: tuple[str, ...] = tuple(FORMATS)

REVIEW_FORMATS: tuple[str, ...] = ("html", "pdf")
"""What the review edition is made in: it is laid out from HTML, so never DOCX."""
