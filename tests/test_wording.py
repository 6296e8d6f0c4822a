"""briefing.wording: pydantic's errors in plain words, at the line and column at fault.

Each case validates a small YAML document against a content model and checks the one
problem `explain` makes of the error: its place, catalogue code, message and hint.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel, ValidationError

from briefing.errors import Problem
from briefing.load import load_yaml_text
from briefing.models import Audience, Memo, Position, SourceList
from briefing.wording import explain

POSITION = """\
title: A
summary: s
thesis: t
pros:
  - text: p
    evidence:
      - source: a
        quote: q
cons:
  - text: c
    evidence:
      - source: a
        quote: q
"""
PROS = "pros:\n  - text: p\n    evidence:\n      - source: a\n        quote: q\n"
AUDIENCE = "label: L\ntemplate: staff.html.j2\nmemo_type: M\nsections: [bluf, options]\n"
MEMO = """\
title: T
short_subject: S
subject: S
date: 2026-11-23
from: F
question: Q
bluf: B
background:
  - text: b
    evidence: [{source: a, quote: q}]
criteria:
  - {id: cost, label: Cost}
options:
  - position: a
    assessment: {cost: {rating: advances, rationale: r}}
  - position: b
    assessment: {cost: {rating: mixed, rationale: r}}
"""


def problems(model: type[BaseModel], text: str) -> list[Problem]:
    document, found = load_yaml_text(text, Path("x.yaml"))
    assert found == []
    assert document is not None
    with pytest.raises(ValidationError) as caught:
        model.model_validate(document.data)
    return explain(caught.value, model, document)


def where_and_what(problem: Problem) -> tuple[str, str, str, str | None]:
    return problem.location(), problem.code, problem.message, problem.hint


@pytest.mark.parametrize(
    ("model", "text", "expected"),
    [
        (Position, POSITION.replace("title: A\n", ""),
         ("x.yaml:1:1", "B202", "missing required field 'title'", "add 'title:' here")),
        (Position, POSITION.replace("title: A", "title: [A, B]"),
         ("x.yaml:1:8", "B203", "'title' must be text, not a list", "quote the value")),
        (Position, POSITION.replace("title: A", 'title: "  "'),
         ("x.yaml:1:8", "B204", "'title' must not be empty", None)),
        (Position, POSITION.replace(PROS, "pros: one\n"),
         ("x.yaml:4:7", "B203", "'pros' must be a list, not text",
          "write each item on a line starting with '- '")),
        (Position, POSITION.replace(PROS, "pros: []\n"),
         ("x.yaml:4:7", "B204", "'pros' needs at least 1 item(s)", None)),
        (Position, POSITION + "advocates: [Bad Id]\n",
         ("x.yaml:14:13", "B204", "'Bad Id' is not a valid id",
          "use lower-case letters, digits, '-' and '_', e.g. 'status-quo'")),
        (Audience, AUDIENCE + "page_budget: two\n",
         ("x.yaml:5:14", "B203", "'page_budget' must be a number, not 'two'", None)),
        (Audience, AUDIENCE + "paper: A5\n",
         ("x.yaml:5:8", "B204", "'A5' is not allowed for 'paper'", "use one of: 'letter' or 'A4'")),
        (Audience, AUDIENCE + "show:\n  thesis: maybe\n",
         ("x.yaml:6:11", "B203", "'thesis' must be true or false, not 'maybe'", None)),
        (SourceList, "sources:\n  - id: a\n    title: T\n    seed: a.txt\n    date: 2023-02-30\n",
         ("x.yaml:5:11", "B204", "'date': 2023-02-30 is not a real date", None)),
        (Memo, MEMO.replace("date: 2026-11-23", "date: 2026-13-45"),
         ("x.yaml:4:7", "B204", "'2026-13-45' is not a date",
          "write it as YYYY-MM-DD, e.g. 2026-11-23")),
        (Memo, MEMO.replace("rating: advances", "rating: advnces"),
         ("x.yaml:15:33", "B204", "'advnces' is not allowed for 'rating'",
          "use one of: 'advances', 'mixed', 'harms' or 'unclear'")),
    ],
    ids=["missing", "text", "empty text", "list", "too few", "id", "number", "choice",
         "true/false", "date check", "date", "rating"],
)  # fmt: skip
def test_each_error_in_plain_words_at_its_place(
    model: type[BaseModel], text: str, expected: tuple[str, str, str, str | None]
) -> None:
    assert [where_and_what(p) for p in problems(model, text)] == [expected]


def test_a_misspelt_field_is_one_error_at_its_key_naming_the_field_meant() -> None:
    """Not also "missing required field 'pros'": the misspelling is the one mistake."""
    found = problems(Position, POSITION.replace("pros:", "pross:"))
    assert [where_and_what(p) for p in found] == [
        ("x.yaml:4:1", "B201", "unknown field 'pross'", "did you mean 'pros'?")
    ]
    nested = problems(
        Position, POSITION.replace("        quote: q\ncons", "        qoute: q\ncons")
    )
    assert [where_and_what(p) for p in nested] == [
        ("x.yaml:8:9", "B201", "unknown field 'qoute'", "did you mean 'quote'?")
    ]


def test_an_unknown_field_like_none_lists_the_fields_allowed_there() -> None:
    allowed = sorted(info.alias or name for name, info in Position.model_fields.items())
    found = problems(Position, POSITION + "colour: red\n")
    assert [where_and_what(p) for p in found] == [
        ("x.yaml:14:1", "B201", "unknown field 'colour'", "allowed fields: " + ", ".join(allowed))
    ]


def test_an_item_of_a_list_is_named_by_its_index() -> None:
    [problem] = problems(Audience, AUDIENCE.replace("[bluf, options]", "[bluf, x]"))
    assert where_and_what(problem)[:3] == (
        "x.yaml:4:18",
        "B204",
        "sections[1]: 'x' is not a section",
    )
    assert problem.hint is not None
    assert problem.hint.startswith("use one of: 'bluf', ")
    assert "'options'" in problem.hint


def test_every_error_of_a_document_is_explained() -> None:
    text = POSITION.replace("title: A", "title: [A]").replace("thesis: t", "thesis: [t]")
    assert [p.location() for p in problems(Position, text)] == ["x.yaml:1:8", "x.yaml:3:9"]
