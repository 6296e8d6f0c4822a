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
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from briefing.content import Content
from briefing.project import Project
from briefing.write import write_atomic

MANIFEST = ".briefing-cache.json"
_OUTPUT_NAME = re.compile(
    r"(?P<memo>[a-z0-9][a-z0-9_-]*)/(?P<audience>[a-z0-9][a-z0-9_-]*)\.(html|pdf)"
)
"""The only names an entry may have: an edited manifest can never point outside the folder."""
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


def content_inputs(content: Content, seeds: dict[str, str], memo: str, audience: str) -> list[str]:
    """Digests of the content an output is made from, as the build read it.

    The memo, its audience profile, the positions it presents, the sources list, and the
    seed texts of the sources those positions and the memo actually cite.
    """
    documents = content.documents
    chosen = [("memo", memo), ("audience", audience), ("sources", "sources")]
    chosen += [("position", o.position) for o in content.memos[memo].options]
    cited = content.cited_sources(memo, audience)
    return [f"{kind}:{name}:{documents[(kind, name)].digest}" for kind, name in chosen] + [
        f"seed:{source}:{seeds.get(source, 'missing')}" for source in sorted(cited)
    ]


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
        inputs: list[str],
        files: list[Path],
        templates: list[str],
        project: Project,
        options: str,
    ) -> str:
        """The hash of the content digests, the files listed and the templates as resolved."""
        digest = hashlib.sha256(_code_digest().encode())
        digest.update(options.encode())
        for item in inputs:
            digest.update(item.encode())
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
            match = _OUTPUT_NAME.fullmatch(relative)
            if match is None:  # not a name briefing writes: forget it, touch nothing
                del self.entries[relative]
                continue
            if (match["memo"], match["audience"]) not in keep:
                path = self.folder / relative
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
                    removed.append(path)
                del self.entries[relative]
        return removed

    def save(self) -> None:
        data = {"code": _code_digest(), "outputs": dict(sorted(self.entries.items()))}
        write_atomic(self.folder / MANIFEST, json.dumps(data, indent=1).encode("utf-8"))
