"""Where a project's parts live: content, seeds, templates and output."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from briefing.errors import ContentError, Problem
from briefing.inside import OutsideProject, contained, real_path_inside

if TYPE_CHECKING:
    from briefing.models import Settings


def package_folder(package: str) -> Path:
    """A folder that ships inside briefing, as a path on disk, wherever briefing is installed.

    The checkout's top-level templates/ is installed as `briefing.templates` (pyproject.toml
    maps it), so an editable install and a wheel in site-packages find the same files.
    """
    folder = files(package)
    if not isinstance(folder, Path):  # only a zipped install has no folder; pip never makes one
        raise ImportError(f"{package} is not installed as a folder on disk: reinstall briefing")
    return folder.resolve()


BUILTIN_TEMPLATES = package_folder("briefing.templates")
"""The templates that come with briefing; a user's folder is searched before them."""

SETTINGS_FILE = "briefing.yaml"
"""Project settings, beside the content folder."""


@dataclass(frozen=True)
class Project:
    """The folders one build reads and writes.

    The content folder holds `sources.yaml`, `positions/`, `memos/` and `audiences/`;
    the seed texts sit beside it in `seeds/`, as in the default project layout.
    """

    content: Path
    seeds: Path
    output: Path
    templates: Path | None = None

    @classmethod
    def at(
        cls, content: Path, output: Path | None = None, templates: Path | None = None
    ) -> Project:
        """A project reading `content`, with seeds beside it and output under its parent.

        Template overrides come from `templates` if given, else from the project's
        `briefing.yaml`; a settings file that does not validate raises ContentError. A
        content folder that is a link out of the folder holding it is refused (B114): a
        cloned project's `content` link would otherwise make its seeds, settings and output
        folder lie wherever the link points.
        """
        given = Path(os.path.abspath(content))
        try:
            content = real_path_inside(given, given.parent)
        except OutsideProject as outside:
            raise ContentError([outside.problem(given)]) from None
        root = content.parent
        if templates is None:
            settings = read_settings(root / SETTINGS_FILE)
            if settings.templates:
                templates = (root / settings.templates).resolve()
                inside = templates.is_relative_to(root.resolve())
                if not inside or not templates.is_dir():
                    why = "not found" if inside else "is outside the project folder"
                    raise ContentError(
                        [
                            Problem(
                                root / SETTINGS_FILE,
                                None,
                                None,
                                f"templates folder '{settings.templates}' {why}",
                                "name a folder inside the project, relative to this file",
                                "B214",
                            )
                        ]
                    )
        return cls(
            content=content,
            seeds=root / "seeds",
            output=(output or root / "output").resolve(),
            templates=templates.resolve() if templates else None,
        )

    @property
    def root(self) -> Path:
        """The folder that holds content/, seeds/ and briefing.yaml."""
        return self.content.parent

    @property
    def template_dirs(self) -> list[Path]:
        """Template search path: the user's folder first, then the built-in templates."""
        dirs = [self.templates] if self.templates else []
        return [*dirs, BUILTIN_TEMPLATES]

    def template_file(self, name: str) -> Path | None:
        """The file a template name resolves to on the search path, as the loader finds it.

        Like the loader, a name that leads out of its folder (a symlink, `..`) finds nothing
        and the file it points at is never looked at: the build cache hashes what this
        returns, and the names it asks for come from a manifest anyone could have edited.
        """
        return next(self._copies(name), None)

    def template_files(self, name: str) -> list[Path | None]:
        """Every copy of a file on the search path, in search order, for a file that is read
        from every folder that has it and merged (the phrasebook): None for a folder where
        the name leads outside it, as above; a folder without it is left out."""
        return list(self._copies(name))

    def _copies(self, name: str) -> Iterator[Path | None]:
        """Each folder's copy of `name`, in search order: its path, or None where the name
        leads outside the folder (or loops); a folder without the file gives nothing."""
        for folder in self.template_dirs:
            real = contained(folder, [name])
            if real is None:
                yield None
            elif real.is_file():
                yield folder / name


def read_settings(file: Path) -> Settings:
    """The project settings, or the defaults when the project has no settings file.

    Anything by that name (a folder, a pipe, a broken link) is read and refused, never
    taken for a missing file; a link that leads out of the project's folder is refused
    before the file it points at is opened. Parsing and validation are imported here, not
    at the top, so that `briefing --help` and the CLI's start-up do not pay for them.
    """
    from pydantic import ValidationError  # noqa: PLC0415

    from briefing.load import load_yaml  # noqa: PLC0415
    from briefing.models import Settings  # noqa: PLC0415
    from briefing.wording import explain  # noqa: PLC0415

    if not os.path.lexists(file):
        return Settings()
    document, problems = load_yaml(file, within=file.parent)
    if problems or document is None:
        raise ContentError(problems)
    if document.data is None:
        return Settings()  # only comments: nothing set
    try:
        return Settings.model_validate(document.data)
    except ValidationError as error:
        raise ContentError(explain(error, Settings, document)) from None
