"""Starting points a user edits: a built-in template copied out, a new audience.

Nothing here overwrites a file: a user's edits are the one thing a tool must never lose.
"""

from __future__ import annotations

import re
import string
from pathlib import Path

from briefing.errors import ExistsError, SelectionError, ShadowError
from briefing.kinds import KINDS
from briefing.models import is_id
from briefing.project import BUILTIN_TEMPLATES, SETTINGS_FILE, Project, package_folder
from briefing.write import write_atomic

DEFAULT_OVERRIDES = "my-templates"
"""Where copied-out templates go when the project names no folder of its own."""

SKELETONS = package_folder("briefing") / "skeletons"
"""Every file briefing starts for a user: `new/` for `briefing new`, `project/` for `init`.
In a skeleton, `${name}` marks what is filled in."""


def _skeleton(kind: str) -> str:
    """The skeleton a new file of this content kind starts from."""
    skeleton = KINDS[kind].skeleton
    assert skeleton is not None, f"{kind} files are not scaffolded"
    return skeleton


def _fill(skeleton: str, **values: str) -> bytes:
    """A skeleton with its `${...}` fields filled in.

    Every file a scaffold writes, and every file `init` copies, goes through here, so there
    is one kind of skeleton: a file. Fields not given (the `$schema` of an editor modeline)
    are left as written.
    """
    text = (SKELETONS / skeleton).read_text(encoding="utf-8")
    return string.Template(text).safe_substitute(values).encode("utf-8")


def builtin_templates() -> list[str]:
    """Every built-in template, asset and the phrasebook a user may copy out, as paths
    relative to templates/."""
    return sorted(
        str(path.relative_to(BUILTIN_TEMPLATES))
        for path in BUILTIN_TEMPLATES.rglob("*")
        if path.is_file() and path.suffix in (".j2", ".css", ".toml")
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


def new_audience(project: Project, name: str, replace: bool = False) -> list[Path]:
    """Write a working profile and template for a new audience; return the files written.

    The template goes to the project's overrides folder; when the project has no settings
    file yet, one is written that points at it, so a plain build picks the audience up.
    The overrides folder is searched before the built-in templates, so a name such as
    `staff` would shadow the built-in staff.html.j2 for every audience that uses it: that
    is refused unless `replace` says it is meant.
    """
    _check_name(name, "audience")
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
    write_atomic(profile, _fill(_skeleton("audience"), name=name, label=label, folder=folder.name))
    write_atomic(template, _fill("new/audience.html.j2", name=name))
    relative = folder.relative_to(project.root)
    if settings in writes:
        write_atomic(settings, _fill(_skeleton("settings"), templates=str(relative)))
    elif project.templates is None:  # settings exist but name no templates folder: add ours
        text = settings.read_text(encoding="utf-8").rstrip("\n")
        line = _fill(_skeleton("settings"), templates=str(relative)).decode().splitlines()[-1]
        write_atomic(settings, f"{text}\n{line}\n".encode())
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


SKELETON = SKELETONS / "project"
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
        write_atomic(target, _fill(str(source.relative_to(SKELETONS))))
        written.append(target)
    written += write_schemas(folder / SCHEMA_FOLDER)
    return written


def _refuse_existing(path: Path) -> None:
    if path.exists():
        raise ExistsError(f"{path} already exists; choose another name or remove it")


def _check_name(name: str, kind: str) -> None:
    if not is_id(name):
        raise SelectionError(
            f"'{name}' is not a valid {kind} name; use lower-case letters, digits, '-' and '_', "
            "starting with a letter or digit"
        )


def new_position(project: Project, name: str, sources: list[str]) -> Path:
    """Write a commented position skeleton citing the project's first source."""
    _check_name(name, "position")
    path = project.content / "positions" / f"{name}.yaml"
    _refuse_existing(path)
    title = name.replace("-", " ").capitalize()
    source = sources[0] if sources else "SOURCE-ID"
    write_atomic(path, _fill(_skeleton("position"), name=name, title=title, source=source))
    return path


def new_memo(
    project: Project, name: str, positions: list[str], sources: list[str], today: str
) -> Path:
    """Write a commented memo skeleton over the project's positions (at least two slots)."""
    _check_name(name, "memo")
    path = project.content / "memos" / f"{name}.yaml"
    _refuse_existing(path)
    chosen = [*positions, "POSITION-ID", "ANOTHER-POSITION-ID"][: max(2, len(positions))]
    options = "\n".join(_fill("new/memo-option.yaml", position=p).decode() for p in chosen)
    text = _fill(
        _skeleton("memo"),
        name=name,
        title=name.replace("-", " ").title(),
        today=today,
        source=sources[0] if sources else "SOURCE-ID",
        first=chosen[0],
        options=options.rstrip("\n"),
    )
    write_atomic(path, text)
    return path


def new_source(project: Project, name: str) -> list[Path]:
    """Add a source entry to sources.yaml and an empty seed file for its text."""
    _check_name(name, "source")
    sources = project.content / "sources.yaml"
    seed = project.seeds / f"{name}.txt"
    _refuse_existing(seed)
    header = _fill(_skeleton("sources")).decode()
    text = sources.read_text(encoding="utf-8") if sources.exists() else header
    if re.search(rf"^\s*-\s*id:\s*[\"']?{re.escape(name)}[\"']?\s*(#.*)?$", text, re.MULTILINE):
        raise ExistsError(f"source '{name}' is already in {sources}")
    existing = re.search(r"^( *)- id:", text, re.MULTILINE)
    indent = existing.group(1) if existing else "  "
    lines = ("\n" + _fill("new/source.yaml", name=name).decode()).splitlines(True)
    entry = "".join(indent + line if line.strip() else line for line in lines)
    write_atomic(sources, (text.rstrip("\n") + "\n" + entry).encode("utf-8"))
    write_atomic(seed, b"")
    return [sources, seed]


def existing_ids(project: Project) -> tuple[list[str], list[str]]:
    """The source ids and position names a project has so far, read without validating it."""
    from briefing.load import load_yaml  # noqa: PLC0415

    document, _ = load_yaml(project.content / "sources.yaml", within=project.root)
    data = document.data if document else None
    entries = data.get("sources") if isinstance(data, dict) else None
    sources = [str(e["id"]) for e in entries or [] if isinstance(e, dict) and "id" in e]
    positions = sorted(p.stem for p in (project.content / "positions").glob("*.yaml"))
    return sources, positions
