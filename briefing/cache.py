"""What a build may skip: each output's key is a hash of everything it was made from.

The key covers the memo, the positions it presents, the sources and their seed texts, the
audience profile, every template the output was rendered from (as the search path resolves
it, so a new override counts), the bundled fonts for PDFs, briefing's own code and version,
and the build options. Templates are known only after a render, so the manifest keeps each
output's template names for the next build to hash.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from briefing.project import Project
from briefing.validate import Content
from briefing.write import write_atomic

MANIFEST = ".briefing-cache.json"
_PACKAGE = Path(__file__).resolve().parent


@cache
def _code_digest() -> str:
    """briefing's version and source, so a change to the tool itself rebuilds everything."""
    digest = hashlib.sha256()
    try:
        digest.update(metadata.version("briefing").encode())
    except metadata.PackageNotFoundError:
        digest.update(b"unversioned")
    for path in sorted(_PACKAGE.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _file_digest(path: Path | None) -> str:
    if path is None or not path.is_file():
        return "missing"
    return hashlib.sha256(path.read_bytes()).hexdigest()


def content_files(content: Content, project: Project, memo: str, audience: str) -> list[Path]:
    """The content files an output is made from."""
    documents = content.documents
    files = [documents[("memo", memo)].file, documents[("audience", audience)].file]
    files += [documents[("position", o.position)].file for o in content.memos[memo].options]
    files.append(documents[("sources", "sources")].file)
    files += [project.seeds / source.seed for source in content.sources.values()]
    return files


def font_files(project: Project) -> list[Path]:
    """The fonts a PDF may embed, from every template folder."""
    return sorted(f for d in project.template_dirs for f in (d / "assets" / "fonts").glob("*"))


@dataclass
class BuildCache:
    """The manifest of what was built, and from what, in one output folder."""

    folder: Path
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def load(cls, folder: Path) -> BuildCache:
        """The manifest, or an empty one if there is none or it cannot be read."""
        try:
            data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
            entries = data["outputs"] if data.get("code") == _code_digest() else {}
        except (OSError, ValueError, KeyError, TypeError):
            entries = {}
        return cls(folder, entries)

    def key(
        self,
        files: list[Path],
        templates: list[str],
        project: Project,
        options: str,
    ) -> str:
        """The hash of everything listed, with templates resolved on the search path."""
        digest = hashlib.sha256(_code_digest().encode())
        digest.update(options.encode())
        for path in files:
            digest.update(str(path).encode())
            digest.update(_file_digest(path).encode())
        for name in sorted(templates):
            resolved = project.template_file(name)
            digest.update(f"{name}={resolved}".encode())
            digest.update(_file_digest(resolved).encode())
        return digest.hexdigest()

    def templates_of(self, relative: str) -> list[str] | None:
        entry = self.entries.get(relative)
        return list(entry["templates"]) if entry else None

    def is_fresh(self, relative: str, key: str) -> bool:
        entry = self.entries.get(relative)
        return entry is not None and entry["key"] == key and (self.folder / relative).is_file()

    def record(self, relative: str, key: str, templates: list[str]) -> None:
        self.entries[relative] = {"key": key, "templates": sorted(templates)}

    def forget(self, relative: str) -> None:
        self.entries.pop(relative, None)

    def clean(self, keep: set[tuple[str, str]]) -> list[Path]:
        """Remove outputs of memos or audiences that no longer exist; return what was removed."""
        removed = []
        for relative in list(self.entries):
            memo, _, name = relative.partition("/")
            audience = name.rsplit(".", 1)[0]
            if (memo, audience) not in keep:
                path = self.folder / relative
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
                    removed.append(path)
                del self.entries[relative]
        return removed

    def save(self) -> None:
        data = {"code": _code_digest(), "outputs": dict(sorted(self.entries.items()))}
        write_atomic(self.folder / MANIFEST, json.dumps(data, indent=1).encode("utf-8"))
