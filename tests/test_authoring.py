"""The authoring loop for a new question: init, new, list."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
from click.testing import CliRunner
from pypdf import PdfReader

from briefing.cli import cli
from briefing.content import POINT_KINDS
from briefing.load import load_yaml

ROOT = Path(__file__).resolve().parent.parent
FORMS = ["congressional", "principal", "public", "staff"]
"""The four audience profiles a new project starts with, as the default content has."""


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def _valid(file: Path, kind: str, project: Path) -> list[str]:
    schema = json.loads((project / "schema" / f"{kind}.schema.json").read_text())
    document, problems = load_yaml(file)
    assert not problems
    assert document is not None
    return [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(document.data)]


def test_init_starts_a_project_that_builds_at_once(tmp_path: Path) -> None:
    project = tmp_path / "congestion"
    code, output = run("init", str(project))
    assert code == 0, output
    content = project / "content"
    for file in content.rglob("*.yaml"):
        assert file.read_text().startswith("# yaml-language-server: $schema="), file
    code, output = run("build", "--content", str(content), "--jobs", "1")
    assert code == 0, output
    built = project / "output" / "congestion"
    assert sorted(p.name for p in built.glob("*.pdf")) == [f"{a}.pdf" for a in FORMS]
    texts = {}
    for audience in FORMS:
        reader = PdfReader(built / f"{audience}.pdf")
        texts[audience] = " ".join(page.extract_text() for page in reader.pages)
        assert "Taliban" not in texts[audience]
        for office in ("SECRETARY", "Policy Planning", "SENSITIVE BUT", "Department"):
            assert office not in texts[audience], (audience, office)
        if audience != "public":
            assert "UNCLASSIFIED" in texts[audience], audience
            sender = "Your office" if audience == "congressional" else "FROM: Your office"
            assert sender in texts[audience], audience  # the brief's author line
    assert "DECISION MEMO FOR THE ADDRESSEE" in texts["principal"]
    assert "Approve" in texts["principal"]
    assert "OPTIONS MEMO FOR THE STAFF" in texts["staff"]
    assert "CONGRESSIONAL BRIEF" in texts["congressional"]
    assert "Approve" not in texts["congressional"]
    assert "UNCLASSIFIED" not in texts["public"]
    again, output = run("init", str(project))
    assert again == 1
    assert "[B503]" in output


def test_new_skeletons_are_valid_and_point_at_their_unfinished_quotes(tmp_path: Path) -> None:
    project = tmp_path / "p"
    run("init", str(project))
    content = str(project / "content")
    assert run("new", "source", "city-report", "--content", content)[0] == 0
    assert run("new", "position", "bus-lanes", "--content", content)[0] == 0
    assert run("new", "memo", "transport", "--content", content)[0] == 0
    assert (project / "seeds" / "city-report.txt").is_file()
    assert _valid(project / "content" / "sources.yaml", "sources", project) == []
    assert _valid(project / "content" / "positions" / "bus-lanes.yaml", "position", project) == []
    assert _valid(project / "content" / "memos" / "transport.yaml", "memo", project) == []
    code, output = run("check", "--content", content)
    assert code == 1
    assert "bus-lanes.yaml:" in output
    assert "[B301] quote not found in source 'sample'" in output
    assert "[B201]" not in output
    assert "[B202]" not in output
    for kind, name in (("position", "bus-lanes"), ("memo", "transport"), ("source", "city-report")):
        code, output = run("new", kind, name, "--content", content)
        assert code == 1, kind
        assert "[B503]" in output
    code, output = run("new", "position", "Bad Name", "--content", content)
    assert code == 2


def test_new_audience_refuses_to_shadow_a_builtin_template_unless_told(tmp_path: Path) -> None:
    project = tmp_path / "p"
    run("init", str(project))
    content = str(project / "content")
    (project / "content" / "audiences" / "staff.yaml").unlink()
    code, output = run("new", "audience", "staff", "--content", content)
    assert code == 1
    assert "[B221] 'staff' would shadow the built-in template staff.html.j2" in output
    assert "--replace" in output
    assert not (project / "my-templates").exists()
    assert not (project / "content" / "audiences" / "staff.yaml").exists()
    for frame in ("base", "index"):
        code, output = run("new", "audience", frame, "--replace", "--content", content)
        assert code == 1, frame
        assert f"[B221] '{frame}' would shadow the built-in {frame}.html.j2" in output
    code, output = run("new", "audience", "staff", "--replace", "--content", content)
    assert code == 0, output
    template = project / "my-templates" / "staff.html.j2"
    assert template.is_file()
    code, output = run("build", "--content", content, "--audience", "staff", "--format", "html")
    assert code == 0, output
    html = (project / "output" / "congestion" / "staff.html").read_text()
    assert "Styles for this audience only" in html  # the new template, not the built-in one
    code, output = run("new", "audience", "staff", "--replace", "--content", content)
    assert code == 1
    assert "[B503]" in output
    code, output = run("new", "audience", "staff-brief", "--content", content)
    assert code == 0, output


def test_list_shows_counts_and_what_cites_what() -> None:
    code, output = run("list", "--content", str(ROOT / "content"))
    assert code == 0, output
    assert "memos (1)" in output
    assert "positions (4)" in output
    assert "audiences (4)" in output
    assert "sources (5)" in output
    line = next(line for line in output.splitlines() if line.strip().startswith("status-quo "))
    assert "in taliban-policy" in line
    assert all(f" {kind.field}" in line for kind in POINT_KINDS), "every kind of point counted"
    assert "quotes (" in line
    safian = next(line for line in output.splitlines() if line.strip().startswith("safian "))
    assert "normalize-relations" in safian
    # Every quotation counted once, where it stands: the memo's own claims included.
    memo = next(line for line in output.splitlines() if "taliban-policy  " in line)
    assert re.search(r"; \d+ quotes \(.*\) in its own claims$", memo)
    assert "memo taliban-policy" in safian
    quoted = sum(int(n) for n in re.findall(r": quoted (\d+) times by", output))
    code, checked = run("check", "--content", str(ROOT / "content"))
    assert code == 0, checked
    assert f"{quoted} quotes verified" in checked, "list and check count the same quotations"
