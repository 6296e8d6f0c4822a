"""The loader refuses what YAML bombs and silent overwrites are made of, and says where."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.load import load_yaml, load_yaml_text
from briefing.textscan import scan_text


def problems_of(text: str) -> list[str]:
    _, problems = load_yaml_text(text, Path("x.yaml"))
    return [p.format() for p in problems]


def test_marks_are_one_based_lines_and_columns() -> None:
    document, problems = load_yaml_text("a: 1\nb:\n  - c: two\n", Path("x.yaml"))
    assert not problems
    assert document is not None
    assert document.data == {"a": 1, "b": [{"c": "two"}]}
    assert document.mark(("b", 0, "c")) == (3, 8)
    assert document.mark(("b", 0, "c"), key=True) == (3, 5)


def test_billion_laughs_is_refused_before_it_expands() -> None:
    bomb = "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b, *b]\n"
    assert problems_of(bomb) == [
        "x.yaml:1:4: [B105] anchor '&a' is not allowed\n"
        "    hint: write the value out in full; anchors and aliases are refused for safety"
    ]


def test_merge_key_is_refused() -> None:
    found = problems_of("base: {a: 1}\nchild:\n  <<: {a: 2}\n")
    assert found[0].startswith("x.yaml:3:3: [B106] merge keys ('<<') are not allowed")


def test_duplicate_key_names_both_lines() -> None:
    found = problems_of("title: one\nsummary: s\ntitle: two\n")
    assert found[0].startswith("x.yaml:3:1: [B107] duplicate key 'title' (first given on line 1)")


@pytest.mark.parametrize(
    "tag", ["!!python/object/apply:os.system ['true']", "!!binary aGk=", "!custom x"]
)
def test_explicit_tags_are_refused(tag: str) -> None:
    found = problems_of(f"a: {tag}\n")
    assert len(found) == 1
    assert "x.yaml:1:4: [B108] the tag" in found[0]
    assert "is not allowed" in found[0]


@pytest.mark.parametrize("tag", ["!!int 5", "!!str text", "!!bool yes", "! x", "!!map {}"])
def test_standard_tags_are_refused_as_well(tag: str) -> None:
    found = problems_of(f"a: {tag}\n")
    assert len(found) == 1
    assert found[0].startswith("x.yaml:1:4: [B108] the tag")


def test_a_tag_on_a_key_is_refused() -> None:
    assert problems_of("!!python/name:os.system title: x\n") == [
        "x.yaml:1:1: [B108] the tag 'tag:yaml.org,2002:python/name:os.system' is not allowed\n"
        "    hint: remove the tag; content is plain text (quoted if need be), numbers, lists "
        "and mappings"
    ]


def test_a_number_too_long_to_read_is_a_problem_and_one_just_short_is_a_number() -> None:
    assert problems_of("a: " + "9" * 4_301 + "\n") == [
        "x.yaml:1:4: [B112] the number has 4,301 digits, more than can be read (4,300)\n"
        "    hint: quote it if it is text"
    ]
    document, problems = load_yaml_text("a: " + "9" * 4_300 + "\n", Path("x.yaml"))
    assert problems == []
    assert document is not None
    assert document.data == {"a": int("9" * 4_300)}


def test_a_bare_equals_sign_or_double_angle_is_text() -> None:
    document, problems = load_yaml_text("a: =\nb: <<\n", Path("x.yaml"))
    assert problems == []
    assert document is not None
    assert document.data == {"a": "=", "b": "<<"}


def test_a_character_yaml_refuses_is_located() -> None:
    assert problems_of("a: ok\nb: x\x01y\n") == [
        "x.yaml:2:5: [B104] YAML syntax error: the character U+0001 is not allowed\n"
        "    hint: remove it; it may have come in with copied text"
    ]


OVER_INDENTED = (
    "line {line} is indented more than line {above}, so YAML reads '{key}' as more of the "
    "value on line {above}; line it up with the field above"
)
QUOTE = "a value containing ': ' must be quoted"


@pytest.mark.parametrize(
    ("text", "where", "hint"),
    [
        ("title: x\nsummary: y\n  thesis: z\n", "3:9",
         OVER_INDENTED.format(line=3, above=2, key="thesis")),
        ("title: x\n summary: y\n", "2:9", OVER_INDENTED.format(line=2, above=1, key="summary")),
        ("summary: a b\n  c d\n  thesis: x\n", "3:9",
         OVER_INDENTED.format(line=3, above=1, key="thesis")),
        ("pros:\n  - text: a\n    evidence: b\n      quote: c\n", "4:12",
         OVER_INDENTED.format(line=4, above=3, key="quote")),
        ("title: Option A: do nothing\n", "1:16", QUOTE),
        ("summary: a long line\n  with a colon: here\n", "2:15", QUOTE),
        ("advocates:\n  - a: b: c\n", "2:9", QUOTE),
    ],
)  # fmt: skip
def test_mapping_value_errors_get_the_hint_for_their_cause(
    text: str, where: str, hint: str
) -> None:
    assert problems_of(text) == [
        f"x.yaml:{where}: [B104] YAML syntax error: mapping values are not allowed here\n"
        f"    hint: {hint}"
    ]


def test_tab_indentation_gets_a_hint() -> None:
    found = problems_of("a:\n\t- b\n")
    assert found[0].startswith("x.yaml:2:1: [B104] YAML syntax error")
    assert "indent with spaces" in found[0]


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    file = tmp_path / "bom.yaml"
    file.write_bytes("\ufefftitle: ok\n".encode())
    document, problems = load_yaml(file)
    assert not problems
    assert document is not None
    assert document.data == {"title": "ok"}


def test_invalid_utf8_names_the_line(tmp_path: Path) -> None:
    file = tmp_path / "bad.yaml"
    file.write_bytes(b"a: 1\nb: \xff\xfe\n")
    _, problems = load_yaml(file)
    assert [(p.line, p.message) for p in problems] == [(2, "the file is not valid UTF-8")]


def test_dates_stay_text_for_the_models() -> None:
    document, _ = load_yaml_text("date: 2026-11-23\n", Path("x.yaml"))
    assert document is not None
    assert document.data == {"date": "2026-11-23"}


NESTING = (
    "x.yaml:1:43: [B109] nesting is deeper than 40 levels\n"
    "    hint: flatten the structure; content never needs this depth"
)


@pytest.mark.parametrize("depth", [40, 500, 999, 1_000, 1_030, 5_000, 100_000])
def test_deep_nesting_is_refused_before_it_recurses(depth: int) -> None:
    """Ours is the refusal whatever the parser's own limit (libyaml 0.2.6 stops at 1,000)."""
    assert problems_of("a: " + "[" * depth + "]" * depth + "\n") == [NESTING]


def test_nesting_of_forty_levels_is_read() -> None:
    document, problems = load_yaml_text("a: " + "[" * 39 + "]" * 39 + "\n", Path("x.yaml"))
    assert problems == []
    assert document is not None


def test_oversized_files_and_values_are_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("title: x\n" + "# padding\n" * 120_000)
    _, problems = load_yaml(big)
    assert [p.code for p in problems] == ["B102"]
    assert "over the limit of 1,000,000" in problems[0].message
    document, problems = load_yaml_text("title: " + "x" * 20_001 + "\n", Path("x.yaml"))
    assert not problems
    assert document is not None
    errors, _ = scan_text(document)
    assert [(e.code, e.line) for e in errors] == [("B212", 1)]
