"""Stage 5: a resolved memo to one standalone HTML document.

Templates are looked up in the user's folder first, then in the built-in `templates/`,
so a user overrides one partial by dropping a file of the same name in their folder. The
environment autoescapes, treats an undefined name as an error, and runs templates in
Jinja's immutable sandbox narrowed to plain data (`sandbox.py`); content is only ever
passed as data, never compiled. Every template reads the words briefing prints from the
phrasebook of its search path (`briefing.phrases`), the global `t`.
"""

from __future__ import annotations

import string
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2.loaders import split_template_path
from markupsafe import Markup

from briefing.errors import TemplateError
from briefing.inside import contained
from briefing.made import HtmlPage, Target
from briefing.markup import close_sentence, inline, quoted, typeset
from briefing.phrases import PHRASEBOOK
from briefing.phrases import load as load_phrasebook
from briefing.resolve import MemoView
from briefing.sandbox import PlainDataSandbox


class _Environment(PlainDataSandbox):
    """The sandbox (plain data, a reviewed list of callables), noting every template a
    render asks for, so the build cache knows what each output depends on (includes and
    extends are looked up here at render time, even when the compiled template is cached)."""

    used: set[str] | None = None

    def get_template(self, name: Any, parent: Any = None, globals: Any = None) -> Any:
        if self.used is not None and isinstance(name, str):
            self.used.add(name)
        return super().get_template(name, parent, globals)

    def select_template(self, names: Any, parent: Any = None, globals: Any = None) -> Any:
        if self.used is not None and not isinstance(names, str):
            self.used.update(n for n in names if isinstance(n, str))
        return super().select_template(names, parent, globals)


class _ContainedLoader(jinja2.FileSystemLoader):
    """The file-system loader, refusing a file that resolves outside its folder (a symlink).

    The path is resolved and checked before the file is opened, so a link out of a shared
    template folder never makes briefing open what it points at, even to refuse it.
    """

    def get_source(self, environment: jinja2.Environment, template: str) -> Any:
        pieces = split_template_path(template)
        for folder in self.searchpath:
            path = contained(Path(folder), pieces)
            if path is None:
                raise _LeadsOutside(template, folder)
            if path.is_file():
                return _read_template(path, Path(folder).joinpath(*pieces), self.encoding)
        raise jinja2.TemplateNotFound(template)


class _LeadsOutside(jinja2.TemplateNotFound):
    """A template name that, in one folder of the search path, leads outside that folder."""

    def __init__(self, name: str, folder: str) -> None:
        super().__init__(name)
        self.folder = folder


def _read_template(path: Path, shown: Path, encoding: str) -> tuple[str, str, Callable[[], bool]]:
    """Source, file name (as the search path names it, for messages) and up-to-date check
    of a template file, as Jinja expects them."""
    source = path.read_text(encoding=encoding)
    mtime = path.stat().st_mtime

    def uptodate() -> bool:
        try:
            return shown.stat().st_mtime == mtime
        except OSError:
            return False

    return source, str(shown), uptodate


@cache
def environment(template_dirs: tuple[Path, ...]) -> _Environment:
    """The one Jinja environment for a search path, built once and reused for every memo,
    with the search path's phrasebook as `t` (read again whenever the environment is: a
    build drops it when a file of the template folders changes) and its date methods as
    the filters `written` and `written_partial` (filters, which the sandbox does not check
    as it checks calls)."""
    env = _Environment(
        loader=_ContainedLoader([str(d) for d in template_dirs]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = inline
    env.filters["quoted"] = quoted
    env.filters["typeset"] = typeset
    env.filters["close_sentence"] = close_sentence
    env.filters["css_content"] = css_content
    phrasebook = load_phrasebook(template_dirs)
    env.globals["t"] = phrasebook
    env.filters["written"] = phrasebook.written
    env.filters["written_partial"] = phrasebook.written_partial
    return env


def css_content(phrase: str, **placeholders: str) -> Markup:
    """A phrase as the value of a CSS `content` property: its words as CSS strings, each
    `{name}` replaced by the CSS the template gives for it (`counter(page)`).

    For a stylesheet in `<style>`, where HTML escaping does not apply: a quotation mark,
    backslash, angle bracket or ampersand in the words is written as a CSS escape, so a
    phrase can neither end its string nor the style element.
    """
    parts = []
    for literal, name, _, _ in string.Formatter().parse(phrase):
        if literal:
            parts.append('"' + "".join(map(_css_character, literal)) + '"')
        if name is not None:
            parts.append(placeholders[name])
    return Markup(" ".join(parts))


def _css_character(character: str) -> str:
    if character in '"\\<>&' or character < " " or character == "\x7f":
        return f"\\{ord(character):06x}"
    return character


def render_html(view: MemoView, template_dirs: list[Path], target: Target) -> HtmlPage:
    """Render the memo; `target` lets a template add what only print needs (bundled fonts)."""
    env = environment(tuple(template_dirs))
    name = view.audience.template
    env.used = set()
    try:
        with _template_errors(template_dirs, f" for audience '{view.audience_id}'"):
            html = env.get_template(name).render(view=view, target=target)
        used = frozenset({*env.used, PHRASEBOOK})
    finally:
        env.used = None
    return HtmlPage(
        html,
        used,
        tuple(template_dirs),
        memo=view.id,
        audience=view.audience_id,
        dated=view.memo.date,
        page_budget=view.audience.page_budget,
        pdf_standard=view.audience.pdf_standard,
    )


def render_page(name: str, template_dirs: list[Path], **context: object) -> str:
    """Render a page that is not a memo (the output index) with the same environment."""
    with _template_errors(template_dirs, ""):
        page: str = environment(tuple(template_dirs)).get_template(name).render(**context)
    return page


@contextmanager
def _template_errors(template_dirs: list[Path], purpose: str) -> Iterator[None]:
    """Whatever a template raises becomes a TemplateError naming its file and line."""
    try:
        yield
    except _LeadsOutside as error:
        raise TemplateError(
            f"template '{error.name}' not found{purpose}: in {error.folder} it leads outside "
            "that folder (a symlink), so it is not read",
            "B401",
        ) from None
    except jinja2.TemplateNotFound as error:
        searched = ", ".join(str(d) for d in template_dirs)
        raise TemplateError(
            f"template '{error.name}' not found{purpose} (searched {searched})", "B401"
        ) from None
    except jinja2.TemplateSyntaxError as error:
        raise TemplateError(
            f"template syntax error: {error.message}",
            "B402",
            f"{error.filename or error.name}:{error.lineno}",
        ) from None
    except jinja2.TemplateError as error:
        raise TemplateError(str(error.message or error), location=_template_line(error)) from None
    except MemoryError:
        raise  # the render's memory limit: reported as such (B409), not as a template error
    except Exception as error:
        raise TemplateError(
            f"{type(error).__name__}: {error}", location=_template_line(error)
        ) from None


def _template_line(error: Exception) -> str:
    """`file:line` of the template frame where rendering failed, as Jinja rewrites it."""
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if frame.filename.endswith((".j2", ".html", ".css")):
            return f"{frame.filename}:{frame.lineno}"
    return "template"
