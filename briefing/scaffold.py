"""Starting points a user edits: a built-in template copied out, a new audience.

Nothing here overwrites a file: a user's edits are the one thing a tool must never lose.
"""

from __future__ import annotations

import re
from pathlib import Path

from briefing.errors import ExistsError, SelectionError, ShadowError
from briefing.project import BUILTIN_TEMPLATES, SETTINGS_FILE, Project, package_folder
from briefing.write import write_atomic

DEFAULT_OVERRIDES = "my-templates"
"""Where copied-out templates go when the project names no folder of its own."""

_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")


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
    write_atomic(target, (BUILTIN_TEMPLATES / relative).read_bytes())
    return target


AUDIENCE_PROFILE = """\
# yaml-language-server: $schema=../../schema/audience.schema.json
#
# Audience profile '{name}'. Every field is described in the README and in the schema.
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
  evidence: none                  # inline: quotes under each point; annex: quotes at the end
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


def new_audience(project: Project, name: str, replace: bool = False) -> list[Path]:
    """Write a working profile and template for a new audience; return the files written.

    The template goes to the project's overrides folder; when the project has no settings
    file yet, one is written that points at it, so a plain build picks the audience up.
    The overrides folder is searched before the built-in templates, so a name such as
    `staff` would shadow the built-in staff.html.j2 for every audience that uses it: that
    is refused unless `replace` says it is meant.
    """
    if not _NAME.match(name):
        raise SelectionError(
            f"'{name}' is not a valid audience name; use lower-case letters, digits and hyphens"
        )
    _refuse_shadowing(f"{name}.html.j2", replace)
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
    write_atomic(
        profile, AUDIENCE_PROFILE.format(name=name, label=label, folder=folder.name).encode()
    )
    write_atomic(template, AUDIENCE_TEMPLATE.format(name=name).encode())
    relative = folder.relative_to(project.root)
    if settings in writes:
        write_atomic(
            settings,
            f"# Project settings for briefing.\ntemplates: {relative}  # searched first\n".encode(),
        )
    elif project.templates is None:  # settings exist but name no templates folder: add ours
        text = settings.read_text(encoding="utf-8").rstrip("\n")
        write_atomic(settings, f"{text}\ntemplates: {relative}  # searched first\n".encode())
        writes.append(settings)
    return writes


_NOT_AUDIENCES = {
    "base.html.j2": "the frame every memo template extends",
    "index.html.j2": "the page that lists every output",
}
"""Built-in templates no audience template can stand in for, even when told to replace."""


def _refuse_shadowing(template: str, replace: bool) -> None:
    """Refuse a new template that would hide the built-in one of that name, unless meant."""
    if template not in builtin_templates():
        return
    stem = template.removesuffix(".html.j2")
    if template in _NOT_AUDIENCES:
        raise ShadowError(
            f"'{stem}' would shadow the built-in {template}, {_NOT_AUDIENCES[template]}, "
            "which an audience's template cannot replace; choose another name (to change it, "
            f"`briefing templates eject {stem}`)"
        )
    if not replace:
        raise ShadowError(
            f"'{stem}' would shadow the built-in template {template}: your templates folder "
            f"is searched first, so every audience that uses {template} would get the new one; "
            "choose another name, or pass --replace to replace the built-in template here"
        )


SKELETON = package_folder("briefing") / "skeletons" / "project"
"""A small working project on another question, copied by `briefing init`."""


def init_project(folder: Path) -> list[Path]:
    """Start a memo project in `folder`: content, seeds, schema, all commented; never overwrite."""
    from briefing.schema import SCHEMA_FOLDER, write_schemas  # noqa: PLC0415

    files = sorted(p for p in SKELETON.rglob("*") if p.is_file())
    for path in [
        folder / "content",
        folder / "seeds",
        *(folder / p.relative_to(SKELETON) for p in files),
    ]:
        if path.exists():
            raise ExistsError(f"{path} already exists; choose an empty folder for a new project")
    written = []
    for source in files:
        target = folder / source.relative_to(SKELETON)
        write_atomic(target, source.read_bytes())
        written.append(target)
    written += write_schemas(folder / SCHEMA_FOLDER)
    return written


def _refuse_existing(path: Path) -> None:
    if path.exists():
        raise ExistsError(f"{path} already exists; choose another name or remove it")


def _check_name(name: str, kind: str) -> None:
    if not _NAME.match(name):
        raise SelectionError(
            f"'{name}' is not a valid {kind} name; use lower-case letters, digits and hyphens"
        )


POSITION = """\
# yaml-language-server: $schema=../../schema/position.schema.json
#
# Position '{name}': one option, argued in your own words. Every point needs evidence: a
# source id from sources.yaml and a quote copied word for word from that source's text in
# seeds/. `briefing check` points at each quote it cannot find, with the nearest passage.
title: "{title}"                    # the option's title in the memo (a few words)
summary: One line saying what this option would do.
thesis: >-
  Two to four sentences: what the option is and why its advocates favour it.
advocates: [{source}]               # sources that argue for it
recommendations:                    # what the option involves
  - text: The first concrete step.
    evidence:
      - source: {source}
        quote: "REPLACE with a passage copied from the source"
pros:
  - text: The strongest argument for it, in your words.
    evidence:
      - source: {source}
        quote: "REPLACE with a passage copied from the source"
cons:                               # draw on its critics, not only its advocates
  - text: The strongest argument against it.
    evidence:
      - source: {source}
        quote: "REPLACE with a passage copied from the source"
conditions: []                      # what must hold, or what is demanded in return
risks: []
"""


def new_position(project: Project, name: str, sources: list[str]) -> Path:
    """Write a commented position skeleton citing the project's first source."""
    _check_name(name, "position")
    path = project.content / "positions" / f"{name}.yaml"
    _refuse_existing(path)
    title = name.replace("-", " ").capitalize()
    source = sources[0] if sources else "SOURCE-ID"
    write_atomic(path, POSITION.format(name=name, title=title, source=source).encode())
    return path


MEMO = """\
# yaml-language-server: $schema=../../schema/memo.schema.json
#
# Memo '{name}': the question, the options in order, and how they compare.
title: "{title}"
short_subject: "{title}"            # the running header on later pages
subject: The subject line of the memo
date: {today}                       # the PDF is dated from this, never from the clock
from: Your office
question: >-                        # issue for decision: one sentence, and why now
  Whether to ...
bluf: >-                            # bottom line up front: at most four lines
  The answer, first.
background:                         # short paragraphs, each with evidence
  - text: What the reader must know first.
    evidence:
      - source: {source}
        quote: "REPLACE with a passage copied from the source"
criteria:                           # what the options are compared on
  - id: effectiveness
    label: Effectiveness
  - id: cost
    label: Cost
options:                            # ratings: advances, mixed, harms, unclear
{options}
# recommendation:                   # optional; a neutral memo has none
#   option: {first}
#   text: Why.
#   decide_by: {today}
"""

OPTION = """\
  - position: "{position}"
    assessment:
      effectiveness: {{rating: unclear, rationale: One line.}}
      cost: {{rating: unclear, rationale: One line.}}"""


def new_memo(
    project: Project, name: str, positions: list[str], sources: list[str], today: str
) -> Path:
    """Write a commented memo skeleton over the project's positions (at least two slots)."""
    _check_name(name, "memo")
    path = project.content / "memos" / f"{name}.yaml"
    _refuse_existing(path)
    chosen = [*positions, "POSITION-ID", "ANOTHER-POSITION-ID"][: max(2, len(positions))]
    text = MEMO.format(
        name=name,
        title=name.replace("-", " ").title(),
        today=today,
        source=sources[0] if sources else "SOURCE-ID",
        first=chosen[0],
        options="\n".join(OPTION.format(position=p) for p in chosen),
    )
    write_atomic(path, text.encode())
    return path


SOURCE = """
- id: "{name}"
  title: The title as published
  author:                         # empty when the source names none: "author not named"
  outlet:
  date:                           # YYYY, YYYY-MM or YYYY-MM-DD; empty shows "n.d."
  url:                            # https://...
  seed: "{name}.txt"              # its full text, in ../seeds/
"""

SOURCES_HEADER = """\
# yaml-language-server: $schema=../schema/sources.schema.json
#
# The published texts your positions quote; each one's full text is a file in ../seeds/.
sources:
"""


def new_source(project: Project, name: str) -> list[Path]:
    """Add a source entry to sources.yaml and an empty seed file for its text."""
    _check_name(name, "source")
    sources = project.content / "sources.yaml"
    seed = project.seeds / f"{name}.txt"
    _refuse_existing(seed)
    text = sources.read_text(encoding="utf-8") if sources.exists() else SOURCES_HEADER
    if re.search(rf"^\s*-\s*id:\s*[\"']?{re.escape(name)}[\"']?\s*(#.*)?$", text, re.MULTILINE):
        raise ExistsError(f"source '{name}' is already in {sources}")
    existing = re.search(r"^( *)- id:", text, re.MULTILINE)
    indent = existing.group(1) if existing else "  "
    entry = "".join(
        indent + line if line else line for line in SOURCE.format(name=name).splitlines(True)
    )
    write_atomic(sources, (text.rstrip("\n") + "\n" + entry).encode("utf-8"))
    write_atomic(seed, b"")
    return [sources, seed]


def existing_ids(project: Project) -> tuple[list[str], list[str]]:
    """The source ids and position names a project has so far, read without validating it."""
    from briefing.load import load_yaml  # noqa: PLC0415

    document, _ = load_yaml(project.content / "sources.yaml")
    data = document.data if document else None
    entries = data.get("sources") if isinstance(data, dict) else None
    sources = [str(e["id"]) for e in entries or [] if isinstance(e, dict) and "id" in e]
    positions = sorted(p.stem for p in (project.content / "positions").glob("*.yaml"))
    return sources, positions
