"""Where a project's parts live: content, seeds, templates and output."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from briefing.errors import ContentError, Problem


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
        `briefing.yaml`; a settings file that does not validate raises ContentError.
        """
        content = content.resolve()
        root = content.parent
        if templates is None:
            from briefing.validate import read_settings  # noqa: PLC0415 - validate imports us

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
        """The file a template name resolves to on the search path, as the loader finds it."""
        return next((d / name for d in self.template_dirs if (d / name).is_file()), None)
