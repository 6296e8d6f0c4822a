"""The kinds of content file, in one table read by validate, schema, cli and scaffold.

Each kind names where its files live, the model that validates them (and so their JSON
Schema), and the skeleton `briefing new` starts one from. Adding a kind of content is a
model in models.py, a field on `Content`, and a line here.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pydantic import BaseModel


@dataclass(frozen=True)
class ContentKind:
    """One kind of content file."""

    name: str
    model_name: str
    """Its model's class in briefing.models, looked up when first needed, so that the table
    can be read (by the command line's choices) without importing pydantic."""
    folder: str | None
    """For kinds with one file per item: the folder under content/ (`positions`), which is
    also the `Content` field holding them by id."""
    file: str | None
    """For kinds kept in one file: its path relative to the content folder."""
    skeleton: str | None
    """The file under briefing/skeletons/ a new one starts from."""

    @property
    def model(self) -> type[BaseModel]:
        model: type[BaseModel] = getattr(import_module("briefing.models"), self.model_name)
        return model


KINDS: dict[str, ContentKind] = {
    kind.name: kind
    for kind in (
        ContentKind("position", "Position", "positions", None, "new/position.yaml"),
        ContentKind("memo", "Memo", "memos", None, "new/memo.yaml"),
        ContentKind("audience", "Audience", "audiences", None, "new/audience.yaml"),
        ContentKind("sources", "SourceList", None, "sources.yaml", "new/sources.yaml"),
        ContentKind("settings", "Settings", None, "../briefing.yaml", "new/briefing.yaml"),
    )
}
"""Every kind of content file by name; the folder kinds in the order they are validated."""

FOLDER_KINDS: tuple[ContentKind, ...] = tuple(k for k in KINDS.values() if k.folder)
"""The kinds with one file per item (positions, memos, audiences)."""
