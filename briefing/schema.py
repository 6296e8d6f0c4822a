"""JSON Schema for every kind of content file, generated from the models.

Editors that speak the YAML language server read the `# yaml-language-server: $schema=...`
line at the top of a content file and then complete field names and flag mistakes as the
author types, with the same rules the build enforces.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from briefing.kinds import KINDS
from briefing.write import write_atomic

SCHEMA_FOLDER = "schema"
"""Where a project keeps its schema files, beside content/."""


def schema_of(kind: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one kind of content file."""
    schema = KINDS[kind].model.model_json_schema(by_alias=True, mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"briefing/{kind}.schema.json",
        **schema,
    }


def schema_text(kind: str) -> str:
    return json.dumps(schema_of(kind), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    """Write one `KIND.schema.json` per kind of content file into `folder`."""
    written = []
    for kind in KINDS:
        path = folder / f"{kind}.schema.json"
        write_atomic(path, schema_text(kind).encode("utf-8"))
        written.append(path)
    return written
