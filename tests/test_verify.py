"""Quotes are checked against the seed texts, forgiving only what carries no meaning."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing import ContentError, Project, check
from briefing.cli import cli
from briefing.verify import SeedText, fold, word_diff

ROOT = Path(__file__).resolve().parent.parent
MALEJACQ = ROOT / "seeds" / "003_2faa0a0dfe5ef5e6.txt"
USIP = ROOT / "seeds" / "001_9deb7b4cc9e4b973.txt"


def test_every_shipped_quote_verifies() -> None:
    checked = check(Project.at(ROOT / "content"))
    assert checked.verification.failures == []
    assert checked.verification.verified >= 300


SUPPLIED_SEEDS = {
    "000_23b0369665136125.txt": "cdf77f5ec7f2d69a0364b8365d27ed51e83640bd4a1a2ba6e9e7bd7f7534c0c3",
    "001_9deb7b4cc9e4b973.txt": "992e4c1679f37755eace45d772869cdc02663388475925569c87c15e4a1fa21e",
    "002_396cb3995b69da7b.txt": "1b839590e4f4db59367a74601c3608f3da64a7665da6598827391323a32e143b",
    "003_2faa0a0dfe5ef5e6.txt": "13171d072bc0e01681dd6e662353cffb97c89d4618063aa27c28581cec3ee91f",
    "004_d37a464bc6bf0d7d.txt": "ef8f7028b2308750c62e1e0ba6177a8300aede0ba65d3a499c445e8513ac5d08",
}
"""SHA-256 of each seed text as it was supplied with the project: quotes are checked
against these exact texts, so none may be edited, not even to fix a typo."""


def test_seeds_are_the_supplied_texts_byte_for_byte() -> None:
    found = {
        name: hashlib.sha256((ROOT / "seeds" / name).read_bytes()).hexdigest()
        for name in SUPPLIED_SEEDS
        if (ROOT / "seeds" / name).is_file()
    }
    assert found == SUPPLIED_SEEDS


def test_straight_quotes_match_curly_ones() -> None:
    seed = SeedText.read(USIP)
    assert "Taliban\u2019s" in USIP.read_text(encoding="utf-8")
    assert seed.find("the Taliban's consolidation of power") >= 0


def test_quote_across_a_markdown_link_matches_its_text() -> None:
    seed = SeedText.read(MALEJACQ)
    assert "[position of weakness](#)" in MALEJACQ.read_text(encoding="utf-8")
    assert seed.find("were in a position of weakness vis-à-vis the international community") >= 0


def test_footnote_markers_and_line_breaks_are_forgiven() -> None:
    assert fold("collaborative regime.\u00b9\n\nThis  mode") == "collaborative regime. This mode"
    assert fold("a \u2014 b\u00a0c") == "a - b c"


def test_a_changed_word_is_not_forgiven() -> None:
    seed = SeedText.read(USIP)
    assert seed.find("the Taliban's consolidation of power") >= 0
    assert seed.find("the Taliban's consolidation of might") == -1


def _quote_problem(
    project: Path, edit: Callable[[Path, str, str], None], old: str, new: str
) -> ContentError:
    edit(project / "positions" / "status-quo.yaml", old, new)
    with pytest.raises(ContentError) as caught:
        check(Project.at(project))
    return caught.value


def test_fabricated_quote_fails_with_the_nearest_passage(
    project_copy: Path, edit: Callable[[Path, str, str], None]
) -> None:
    error = _quote_problem(
        project_copy,
        edit,
        '"Punitive tools, such as sanctions and suspending dialogue',
        '"Punitive tools, such as sanctions and cancelling dialogue',
    )
    [problem] = error.problems
    assert problem.file.name == "status-quo.yaml"
    assert problem.line is not None
    assert (
        "cancelling dialogue"
        in problem.file.read_text(encoding="utf-8").splitlines()[problem.line - 1]
    )
    assert problem.message == "quote not found in source 'usip' (001_9deb7b4cc9e4b973.txt)"
    assert problem.hint is not None
    assert "Punitive tools, such as sanctions and suspending dialogue" in problem.hint
    assert "001_9deb7b4cc9e4b973.txt line" in problem.hint


def test_quote_citing_an_unknown_source_fails(
    project_copy: Path, edit: Callable[[Path, str, str], None]
) -> None:
    error = _quote_problem(project_copy, edit, "- source: usip", "- source: usipp")
    assert [p.message for p in error.problems] == ["unknown source 'usipp'"]
    assert error.problems[0].hint == "did you mean 'usip'?"


def test_shipped_options_are_argued_in_full() -> None:
    content = check(Project.at(ROOT / "content")).content
    for name, position in content.positions.items():
        assert len(position.pros) >= 3, name
        assert len(position.cons) >= 3, name
        assert len(position.conditions) >= 2, name
        own = set(position.advocates)
        critics = {e.source for con in position.cons for e in con.evidence} - own
        assert critics, f"{name}: its cons must draw on its critics, not only its proponents"


def test_quotes_match_whole_words_and_say_something() -> None:
    seed = SeedText.read(ROOT / "seeds" / "000_23b0369665136125.txt")
    assert seed.find("unaddressed, these twin crises could") >= 0
    assert seed.find("addressed, these twin crises could") == -1, "not inside 'unaddressed'"
    assert seed.find("[](#)\u00b9") == -1, "folds to nothing"
    assert seed.find("the Taliban") == -1, "two words say too little to check"


def test_ligatures_and_compatibility_forms_fold() -> None:
    assert fold("\ufb01nancial resources") == "financial resources"


def test_a_quote_not_found_shows_the_words_that_differ(
    project_copy: Path, edit: Callable[[Path, str, str], None]
) -> None:
    edit(
        project_copy / "positions" / "status-quo.yaml",
        '"Punitive tools, such as sanctions and suspending dialogue',
        '"Punitive tools, such as sanctions and cancelling dialogue',
    )
    result = CliRunner().invoke(cli, ["check", "--content", str(project_copy)])
    assert result.exit_code == 1
    assert "[B301] quote not found in source 'usip'" in result.output
    assert "differs: \u2026 such as sanctions and [-cancelling-] {+suspending+} dialogue" in (
        result.output
    )


def test_a_quote_from_another_source_names_that_source(
    project_copy: Path, edit: Callable[[Path, str, str], None]
) -> None:
    edit(
        project_copy / "positions" / "status-quo.yaml",
        '- source: usip\n        quote: "To exert pressure on the Taliban',
        '- source: weinbaum\n        quote: "To exert pressure on the Taliban',
    )
    with pytest.raises(ContentError) as caught:
        check(Project.at(project_copy))
    [problem] = caught.value.problems
    assert problem.message == "quote not found in source 'weinbaum' (000_23b0369665136125.txt)"
    assert problem.hint is not None
    assert problem.hint.startswith(
        "it is verbatim in source 'usip' (001_9deb7b4cc9e4b973.txt line 1): give 'source: usip'"
    )
    assert "nearest passage" not in problem.hint


def test_word_diff_marks_dropped_added_and_changed_words() -> None:
    assert word_diff("the regime has failed", "the regime has clearly failed") == (
        "the regime has {+clearly+} failed"
    )
    assert word_diff("the whole regime has failed", "the regime has failed") == (
        "the [-whole-] regime has failed"
    )
    long = "one two three four five six seven eight nine ten eleven"
    assert word_diff(f"{long} twelve", f"{long} dozen") == (
        "\u2026 eight nine ten eleven [-twelve-] {+dozen+}"
    )
