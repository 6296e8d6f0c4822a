"""Starting points a user edits: a built-in template copied out, a new audience.

Nothing here overwrites a file: a user's edits are the one thing a tool must never lose.
"""

from __future__ import annotations

import re
from pathlib import Path

from briefing.errors import BriefingError, SelectionError
from briefing.project import BUILTIN_TEMPLATES, SETTINGS_FILE, Project

DEFAULT_OVERRIDES = "my-templates"
"""Where copied-out templates go when the project names no folder of its own."""

_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class ExistsError(BriefingError):
    """A file the command would write is already there."""

    code = "B503"


def builtin_templates() -> list[str]:
    """Every built-in template and asset a user may copy out, as paths relative to templates/."""
    return sorted(
        str(path.relative_to(BUILTIN_TEMPLATES))
        for path in BUILTIN_TEMPLATES.rglob("*")
        if path.is_file() and path.suffix in (".j2", ".css")
    )


def overrides_folder(project: Project) -> Path:
    """The project's folder of template overrides, whether or not it exists yet."""
    return project.templates or project.root / DEFAULT_OVERRIDES


def _names_of(path: str) -> set[str]:
    """What a user may call a template: its path, its file name, with or without suffixes."""
    file = Path(path).name
    return {path, file, file.removesuffix(".j2"), file.split(".")[0]}


def eject_template(name: str, destination: Path) -> Path:
    """Copy one built-in template into `destination`, keeping its relative path.

    `name` is a path under templates/ (`partials/decision.html.j2`) or, if unambiguous,
    just a file name (`decision.html.j2`) or stem (`decision`).
    """
    known = builtin_templates()
    matches = [path for path in known if name in _names_of(path)]
    if len(matches) != 1:
        hint = "ambiguous: " if matches else "unknown template; choose from: "
        raise SelectionError(f"'{name}' is {hint}{', '.join(matches or known)}")
    relative = matches[0]
    target = destination / relative
    if target.exists():
        raise ExistsError(f"{target} already exists; edit it, or remove it to copy afresh")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes((BUILTIN_TEMPLATES / relative).read_bytes())
    return target


AUDIENCE_PROFILE = """\
# Audience profile '{name}'. Every field is described in `briefing schema` and the README.
label: {label}
description: What this reader needs, in one line.
template: {name}.html.j2          # in {folder}/; it extends the built-in base.html.j2
memo_type: INFORMATION MEMO       # heading: "INFORMATION MEMO FOR <addressee>"
addressee: THE DIRECTOR
marking: UNCLASSIFIED             # banner at the top and bottom of every page; remove for none
# handling: PRE-DECISIONAL//DELIBERATIVE
# portion_mark: (U)               # printed before each paragraph
# from: Policy Planning Staff     # overrides the memo's FROM line
# page_budget: 4                  # the build fails, naming the page count, if exceeded
paper: letter                     # letter or A4
font_size: 12                     # points
theme: default                    # stylesheet assets/themes/NAME.css
# Sections in order: bluf, overview, question, background, options, grid, disagreements,
# recommendation, decision, methods, sources.
sections: [question, bluf, background, grid, options, recommendation, decision, sources]
show:
  thesis: false
  recommendations: false
  pros: true
  cons: true
  conditions: false
  risks: false
  evidence: false                 # true: every quote with its footnote
  grid_rationale: true
  max_points: 2                   # at most this many pros, cons ... per option
"""

AUDIENCE_TEMPLATE = """\
{{#- Template for audience '{name}'. Override any block of base.html.j2 here, or copy a
    partial with `briefing templates eject NAME` and edit that. -#}}
{{% extends "base.html.j2" %}}
{{% block body_class %}}{name}{{% endblock %}}
{{% block extra_style %}}
/* Styles for this audience only, e.g.: */
.{name} h2 {{ letter-spacing: 0.04em; }}
{{% endblock %}}
"""


def new_audience(project: Project, name: str) -> list[Path]:
    """Write a working profile and template for a new audience; return the files written.

    The template goes to the project's overrides folder; when the project has no settings
    file yet, one is written that points at it, so a plain build picks the audience up.
    """
    if not _NAME.match(name):
        raise SelectionError(
            f"'{name}' is not a valid audience name; use lower-case letters, digits and hyphens"
        )
    folder = overrides_folder(project)
    profile = project.content / "audiences" / f"{name}.yaml"
    template = folder / f"{name}.html.j2"
    settings = project.root / SETTINGS_FILE
    writes = [profile, template]
    if project.templates is None and not settings.exists():
        writes.append(settings)
    for path in writes:
        if path.exists():
            raise ExistsError(f"{path} already exists; choose another name or remove it")
    label = name.replace("-", " ").capitalize() + " memo"
    profile.parent.mkdir(parents=True, exist_ok=True)
    profile.write_text(
        AUDIENCE_PROFILE.format(name=name, label=label, folder=folder.name), encoding="utf-8"
    )
    folder.mkdir(parents=True, exist_ok=True)
    template.write_text(AUDIENCE_TEMPLATE.format(name=name), encoding="utf-8")
    if settings in writes:
        relative = folder.relative_to(project.root)
        settings.write_text(
            f"# Project settings for briefing.\ntemplates: {relative}  # searched first\n",
            encoding="utf-8",
        )
    return writes
