"""Where a project's parts live: content, seeds, templates and output."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

BUILTIN_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
"""The templates that come with briefing; a user's folder is searched before them."""


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
        """A project reading `content`, with seeds beside it and output under its parent."""
        content = content.resolve()
        root = content.parent
        return cls(
            content=content,
            seeds=root / "seeds",
            output=(output or root / "output").resolve(),
            templates=templates.resolve() if templates else None,
        )

    @property
    def template_dirs(self) -> list[Path]:
        """Template search path: the user's folder first, then the built-in templates."""
        dirs = [self.templates] if self.templates else []
        return [*dirs, BUILTIN_TEMPLATES]
