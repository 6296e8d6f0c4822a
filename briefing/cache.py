"""What a build may skip: each output's key is a hash of everything it was made from.

The key covers the memo, the positions it presents, the sources and their seed texts, the
audience profile, every template the output was rendered from (as the search path resolves
it, so a new override counts; for the phrasebook, every folder's copy, since each is merged
over the next), every file a PDF's renderer fetched (fonts, stylesheets pulled in with
@import, images), briefing's own code and version, and the build options.
Templates and fetched files are known only after a render, so the manifest keeps each
output's names for the next build to hash.

An output is up to date only if its key matches and its bytes still match the digest the
manifest recorded when the build wrote them: a file replaced or cut short since is rebuilt.

The manifest is read as a whole against one model: anything unexpected in it (an edit, a
half-written file, another tool's JSON) means no cache at all, with a warning, and a build
that renders everything and writes a fresh one. A damaged cache never stops a build.
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
from stat import S_ISREG
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError

from briefing.assets import Refused, Root, locate, roots
from briefing.claims import claims, sources_of
from briefing.content import Content
from briefing.errors import Problem
from briefing.formats import MEMO
from briefing.project import Project
from briefing.write import write_atomic

MANIFEST = ".briefing-cache.json"
_OUTPUT_NAME = re.compile(
    r"(?P<memo>[a-z0-9][a-z0-9_-]*)/(?P<audience>[a-z0-9][a-z0-9_-]*)"
    rf"\.({'|'.join(map(re.escape, MEMO.names))})"
)
"""The only names an entry may have: an edited manifest can never point outside the folder."""
_PACKAGE = Path(__file__).resolve().parent


@cache
def _code_digest() -> str:
    """briefing's version and source (its modules and the DOCX style table), so a change to
    the tool itself rebuilds everything."""
    digest = hashlib.sha256()
    try:
        digest.update(metadata.version("briefing").encode())
    except metadata.PackageNotFoundError:
        digest.update(b"unversioned")
    for path in sorted([*_PACKAGE.glob("*.py"), *_PACKAGE.glob("*.toml")]):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


_digests: dict[tuple[str, int, int, int, int], str] = {}
"""Digests of files already read by this process, by path and state (size, times, inode):
a build keys every PDF on the same few megabytes of fonts, twice, and `watch` builds on
every save."""


def _file_digest(path: Path | None) -> str:
    if path is None:
        return "missing"
    try:
        stat = path.stat()
    except OSError:
        return "missing"
    if not S_ISREG(stat.st_mode):
        return "missing"
    state = (str(path), stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)
    known = _digests.get(state)
    if known is None:
        known = hashlib.sha256(path.read_bytes()).hexdigest()
        if len(_digests) > 4096:
            _digests.clear()
        _digests[state] = known
    return known


def content_inputs(content: Content, seeds: dict[str, str], memo: str, audience: str) -> list[str]:
    """Digests of the content an output is made from, as the build read it.

    The memo, its audience profile, the positions it presents, the sources list, and the
    seed texts of every source the memo and those positions name (`sources_read`).
    """
    documents = content.documents
    chosen = [("memo", memo), ("audience", audience), ("sources", "sources")]
    chosen += [("position", o.position) for o in content.memos[memo].options]
    return [f"{kind}:{name}:{documents[(kind, name)].digest}" for kind, name in chosen] + [
        f"seed:{source}:{seeds.get(source, 'missing')}"
        for source in sorted(sources_read(content, memo))
    ]


def sources_read(content: Content, memo: str) -> set[str]:
    """The sources whose seed texts any output of a memo may depend on: those its claims and
    its options' claims quote (a quotation is checked against its seed, and a draft marks
    one not found) and its options' advocates, whatever the audience. A deliberate
    superset of what one document cites: an output is rebuilt a little more often than it
    must be, never kept when a seed it shows has changed, however the profile selects."""
    the_memo = content.memos[memo]
    read = set(sources_of(claims(the_memo, content.positions)))
    for option in the_memo.options:
        read.update(content.positions[option.position].advocates)
    return read


OutputName = Annotated[str, StringConstraints(pattern=f"^{_OUTPUT_NAME.pattern}$")]


class _Stamp(BaseModel):
    """What a manifest must have to be worth reading further: the code that wrote it."""

    code: str


class Entry(BaseModel):
    """One output in the manifest: its key, the digest of the bytes written, and the names
    it was made from."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    key: str
    digest: str
    """SHA-256 of the bytes the build wrote: an output replaced since (by a redline written
    into the folder, an editor, a truncation) is not what the cache vouches for."""
    templates: list[str]
    assets: list[str]
    lines: dict[str, int] = {}
    """Lines each limited text took, so an up-to-date output is still checked against its
    profile's `line_limits` without being laid out again."""


class Manifest(BaseModel):
    """The manifest as a whole; an output may be named only as briefing names outputs."""

    model_config = ConfigDict(strict=True, extra="forbid")

    code: str
    outputs: dict[OutputName, Entry]


@dataclass
class BuildCache:
    """The manifest of what was built, and from what, in one output folder."""

    folder: Path
    entries: dict[str, Entry] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    """A damaged manifest, for the build report: it is ignored and rewritten."""
    resolved: dict[tuple[Path, ...], list[Path | None]] = field(default_factory=dict, repr=False)
    """Template names as the search path resolved them during this build (a cache is
    loaded per build): each output's key is computed twice, from the same dozen names."""

    @classmethod
    def load(cls, folder: Path) -> BuildCache:
        """The manifest's entries; none if there is no manifest, if briefing's code has
        changed since it was written, or (with a warning) if it is not what briefing writes."""
        path = folder / MANIFEST
        try:
            text = path.read_bytes()
        except FileNotFoundError:
            return cls(folder)
        except OSError as error:
            return cls.damaged(folder, f"cannot be read ({error.strerror or error})")
        try:
            if _Stamp.model_validate_json(text).code != _code_digest():
                return cls(folder)  # written by another version of briefing: not damage
            manifest = Manifest.model_validate_json(text)
        except ValidationError as error:
            return cls.damaged(folder, _first_error(error))
        return cls(folder, dict(manifest.outputs))

    @classmethod
    def damaged(cls, folder: Path, why: str) -> BuildCache:
        """No entries, and a warning naming the manifest and what is wrong with it."""
        problem = Problem(
            folder / MANIFEST,
            None,
            None,
            f"the build cache is damaged ({why}); it is ignored: outputs are rebuilt and the cache "
            "written afresh",
            code="W501",
        )
        return cls(folder, {}, [problem])

    def key(
        self,
        inputs: list[str],
        templates: list[str],
        assets: list[str],
        project: Project,
        options: str,
    ) -> str:
        """The hash of the content digests, and of the templates and fetched files as the
        search path resolves them now (so a new override counts)."""
        digest = hashlib.sha256(_code_digest().encode())
        digest.update(options.encode())
        for item in inputs:
            digest.update(item.encode())
        for name in sorted(templates):
            for resolved in self._copies(project, name):
                digest.update(f"{name}={resolved}".encode())
                digest.update(_file_digest(resolved).encode())
        asset_roots = roots(project.template_dirs)
        for name in sorted(assets):
            digest.update(f"asset:{name}={_asset_digest(name, asset_roots)}".encode())
        return digest.hexdigest()

    def _copies(self, project: Project, name: str) -> list[Path | None]:
        """The files a template name stands for on the search path: the one the loader
        finds, or for the phrasebook, every folder's copy (each is merged over the next)."""
        from briefing.phrases import PHRASEBOOK  # noqa: PLC0415 - keys are made only by a build

        where = (*project.template_dirs, Path(name))
        if where not in self.resolved:
            if name == PHRASEBOOK:
                self.resolved[where] = project.template_files(name)
            else:
                self.resolved[where] = [project.template_file(name)]
        return self.resolved[where]

    def templates_of(self, relative: str) -> list[str] | None:
        """The templates an output was last made from, if the manifest knows it."""
        entry = self.entries.get(relative)
        return list(entry.templates) if entry else None

    def assets_of(self, relative: str) -> list[str]:
        """The files an output's renderer last fetched."""
        entry = self.entries.get(relative)
        return list(entry.assets) if entry else []

    def is_fresh(self, relative: str, key: str) -> bool:
        """Whether the output was made from what `key` hashes and is still, byte for byte,
        what the build wrote: only what the cache wrote is trusted."""
        entry = self.entries.get(relative)
        if entry is None or entry.key != key:
            return False
        return _file_digest(self.folder / relative) == entry.digest

    def record(
        self,
        relative: str,
        key: str,
        written: bytes,
        templates: list[str],
        assets: list[str],
        lines: dict[str, int] | None = None,
    ) -> None:
        self.entries[relative] = Entry(
            key=key,
            digest=hashlib.sha256(written).hexdigest(),
            templates=sorted(templates),
            assets=sorted(assets),
            lines=dict(lines or {}),
        )

    def lines_of(self, relative: str) -> dict[str, int]:
        """The lines each limited text took when the output was last made."""
        entry = self.entries.get(relative)
        return dict(entry.lines) if entry else {}

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
        outputs = {name: entry.model_dump() for name, entry in sorted(self.entries.items())}
        data = {"code": _code_digest(), "outputs": outputs}
        write_atomic(self.folder / MANIFEST, json.dumps(data, indent=1).encode("utf-8"))


def _asset_digest(name: str, asset_roots: list[Root]) -> str:
    """The digest of the file an asset name locates now; a name that leads outside the
    template folders is never opened (an edited manifest may name anything)."""
    try:
        return _file_digest(locate(name, asset_roots))
    except Refused:
        return "refused"


def _first_error(error: ValidationError) -> str:
    """The first thing wrong with a manifest, briefly: where in the JSON, and what."""
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "the whole file"
    return f"{where}: {first['msg']}"
