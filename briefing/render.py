"""Stage 5: a resolved memo to one standalone HTML document.

Templates are looked up in the user's folder first, then in the built-in `templates/`,
so a user overrides one partial by dropping a file of the same name in their folder. The
environment autoescapes, treats an undefined name as an error, and runs templates in
Jinja's immutable sandbox; content is only ever passed as data, never compiled.
"""

from __future__ import annotations

import traceback
from functools import cache
from pathlib import Path
from typing import Literal

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

from briefing.errors import TemplateError
from briefing.markup import close_sentence, inline
from briefing.resolve import MemoView

Target = Literal["html", "pdf"]


@cache
def environment(template_dirs: tuple[Path, ...]) -> jinja2.Environment:
    """The one Jinja environment for a search path, built once and reused for every memo."""
    env = ImmutableSandboxedEnvironment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = inline
    env.filters["close_sentence"] = close_sentence
    return env


def render_html(view: MemoView, template_dirs: list[Path], target: Target) -> str:
    """Render the memo; `target` lets a template add what only print needs (bundled fonts)."""
    env = environment(tuple(template_dirs))
    name = view.audience.template
    try:
        template = env.get_template(name)
        return template.render(view=view, target=target)
    except jinja2.TemplateNotFound as error:
        searched = ", ".join(str(d) for d in template_dirs)
        raise TemplateError(
            f"template '{error.name}' not found for audience '{view.audience_id}' "
            f"(searched {searched})"
        ) from None
    except jinja2.TemplateSyntaxError as error:
        raise TemplateError(
            f"{error.filename or error.name}:{error.lineno}: template syntax error: {error.message}"
        ) from None
    except jinja2.TemplateError as error:
        raise TemplateError(f"{_template_line(error)}: {error.message or error}") from None


def render_page(name: str, template_dirs: list[Path], **context: object) -> str:
    """Render a page that is not a memo (the output index) with the same environment."""
    try:
        return environment(tuple(template_dirs)).get_template(name).render(**context)
    except jinja2.TemplateError as error:
        raise TemplateError(f"{_template_line(error)}: {error.message or error}") from None


def _template_line(error: Exception) -> str:
    """`file:line` of the template frame where rendering failed, as Jinja rewrites it."""
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if frame.filename.endswith((".j2", ".html", ".css")):
            return f"{frame.filename}:{frame.lineno}"
    return "template"
