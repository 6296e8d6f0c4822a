"""The JSON Schemas editors use agree with the models, and accept all the shipped content."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from briefing.cli import cli
from briefing.load import load_yaml
from briefing.schema import KINDS, schema_text

ROOT = Path(__file__).resolve().parent.parent
FILES = {
    "sources": [ROOT / "content" / "sources.yaml"],
    "position": sorted((ROOT / "content" / "positions").glob("*.yaml")),
    "memo": sorted((ROOT / "content" / "memos").glob("*.yaml")),
    "audience": sorted((ROOT / "content" / "audiences").glob("*.yaml")),
}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_committed_schema_is_current(kind: str) -> None:
    committed = (ROOT / "schema" / f"{kind}.schema.json").read_text(encoding="utf-8")
    assert committed == schema_text(kind), "run `briefing schema` and commit schema/"


@pytest.mark.parametrize("kind", sorted(FILES))
def test_shipped_content_validates_against_its_schema(kind: str) -> None:
    schema = json.loads((ROOT / "schema" / f"{kind}.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    assert FILES[kind]
    for file in FILES[kind]:
        first = file.read_text(encoding="utf-8").splitlines()[0]
        up = "../" if kind == "sources" else "../../"
        assert first == f"# yaml-language-server: $schema={up}schema/{kind}.schema.json"
        document, problems = load_yaml(file)
        assert not problems
        assert document is not None
        errors = [
            f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document.data)
        ]
        assert errors == [], file.name


def test_schema_catches_what_the_build_catches() -> None:
    schema = json.loads((ROOT / "schema" / "position.schema.json").read_text(encoding="utf-8"))
    document, _ = load_yaml(ROOT / "content" / "positions" / "status-quo.yaml")
    assert document is not None
    data = dict(document.data)
    data["pross"] = data.pop("pros")
    messages = [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(data)]
    assert any("'pros' is a required property" in m for m in messages)
    assert any("'pross' was unexpected" in m for m in messages)


def test_schema_command_prints_or_writes(tmp_path: Path) -> None:
    printed = CliRunner().invoke(cli, ["schema", "--kind", "memo"])
    assert printed.exit_code == 0
    assert json.loads(printed.output)["title"] == "Memo"
    wrote = CliRunner().invoke(cli, ["schema", "--out", str(tmp_path)])
    assert wrote.exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{k}.schema.json" for k in KINDS)
