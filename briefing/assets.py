"""Which files a PDF may be made from: the template folders' own assets, and nothing else.

A user's template folder is shared between offices, so it is not trusted: a symlink in it
(its `assets` folder, a subfolder, a file) or a URL with `..`, `%2e%2e` or another host
must never lead the renderer to the builder's own files. Every path is resolved and
checked against the template folder *before* anything is opened. The PDF renderer's URL
fetcher (briefing.pdf) and the build cache (briefing.cache) both go through `locate`, so
the cache only ever hashes a file the renderer would serve.

A URL relative to the bundled assets (how `url("fonts/x.ttf")` in a stylesheet resolves) is
looked up along the template search path, the user's `assets/` first, just as templates
are: a user's folder may add or override an image, stylesheet or font. This module imports
nothing heavy, so the cache can use it without loading WeasyPrint.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

ASSETS = "assets"
"""The folder of each template folder that the renderer may read."""


class Refused(Exception):
    """A URL or file the renderer may not read, and why."""


@dataclass(frozen=True)
class Root:
    """One template folder's assets: where they are looked up and where they really are."""

    folder: Path
    assets: Path
    real: Path | None
    """The assets folder resolved, or None when it leads outside its template folder."""

    @classmethod
    def of(cls, folder: Path) -> Root:
        """The assets of `folder`; a symlinked `assets` that leaves the folder is no root."""
        assets = folder / ASSETS
        real = _resolved(assets)
        inside = real is not None and real.is_relative_to(folder.resolve())
        return cls(folder, assets, real if inside else None)


def roots(template_dirs: Sequence[Path]) -> list[Root]:
    """The asset roots of a template search path, in search order."""
    return [Root.of(folder) for folder in template_dirs]


def name_of(url: str, base: Path) -> str:
    """The name a URL asks for: relative to the bundled assets, or an absolute path.

    Only local files can be named: another scheme or host is refused. The name is
    percent-decoded, so `%2e%2e` is `..` here and is caught when the name is located.
    """
    parts = urlsplit(url)
    if parts.scheme != "file":
        raise Refused(f"{parts.scheme or 'scheme-less'} URLs are not read")
    if parts.netloc not in ("", "localhost"):
        raise Refused(f"a file on the host '{parts.netloc}'")
    path = unquote(parts.path)
    if "\x00" in path or not path.startswith("/"):
        raise Refused("not a file path")
    pure = PurePosixPath(path)
    return pure.relative_to(base).as_posix() if pure.is_relative_to(base) else path


def locate(name: str, template_roots: Sequence[Root]) -> Path | None:
    """The file a name stands for, None if there is none, or Refused if it leads outside.

    A relative name is looked up in each root in turn, the first file found wins; an
    absolute name must lie in one of the roots. Either way the path is resolved (symlinks
    and `..` followed) and checked before the file is even looked at.
    """
    if PurePosixPath(name).is_absolute():
        return _locate_absolute(Path(name), template_roots)
    for root in template_roots:
        if root.real is None:
            raise Refused(f"the assets folder of '{root.folder}' leads outside that folder")
        path = _inside(root.assets / name, root.real)
        if path.is_file():
            return path
    return None


def _locate_absolute(path: Path, template_roots: Sequence[Root]) -> Path | None:
    real = _resolved(path)
    for root in template_roots:
        if real is not None and root.real is not None and real.is_relative_to(root.real):
            return real if real.is_file() else None
    raise Refused("outside the template folders' assets/")


def _inside(path: Path, real_root: Path) -> Path:
    real = _resolved(path)
    if real is None or not real.is_relative_to(real_root):
        raise Refused("leads outside its template folder's assets/")
    return real


def _resolved(path: Path) -> Path | None:
    """The path with every symlink and `..` followed, or None for a loop or an unreadable link."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return None
