"""Pydantic's validation errors, reworded for the person who wrote the YAML.

Each error becomes a Problem in plain language, located at the file, line and column of
the key or value at fault, with a hint (the field a typo most likely meant, the values
allowed, the form a date takes) and a code from the catalogue.
"""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from briefing.errors import Problem, clipped
from briefing.load import Document, Path_


def explain(error: ValidationError, model: type[BaseModel], document: Document) -> list[Problem]:
    """Pydantic's errors in plain language, each at its place in the file.

    A required field reported missing because its key is misspelt is left to the error on
    the misspelt key, whose hint names the field.
    """
    problems = []
    details = error.errors()
    crowded = _crowded_mappings(details)
    misspelt = {  # a crowded mapping's keys are not listed, so its missing fields are
        loc for loc in _misspelt_fields(details, model) if loc[:-1] not in crowded
    }
    summed: set[Path_] = set()
    for detail in details:
        loc: Path_ = tuple(detail["loc"])
        if detail["type"] == "missing" and loc in misspelt:
            continue
        if detail["type"] == "extra_forbidden" and loc[:-1] in crowded:
            if loc[:-1] not in summed:  # said once, where the first of them is
                summed.add(loc[:-1])
                problems.append(_many_unknown(loc[:-1], crowded[loc[:-1]], model, document))
            continue
        on_key = bool(loc) and loc[-1] == "[key]"
        if on_key:
            loc = loc[:-1]
        message, hint, at_key = _wording(detail, loc, model)
        code = _CODES.get(detail["type"], "B204")
        problems.append(document.problem(loc, message, hint, key=at_key or on_key, code=code))
    return problems


UNKNOWN_LISTED = 3
"""Unknown fields of one mapping reported one by one; more are summed up in one problem."""


def _crowded_mappings(details: list[ErrorDetails]) -> dict[Path_, list[str]]:
    """The mappings with more than UNKNOWN_LISTED unknown keys, and those keys in order.

    A file that is not content at all (a copied password file, a config file) reads as a
    mapping whose every line is an unknown key: listing each would print the file back.
    """
    unknown: dict[Path_, list[str]] = {}
    for detail in details:
        if detail["type"] == "extra_forbidden" and detail["loc"]:
            loc: Path_ = tuple(detail["loc"])
            unknown.setdefault(loc[:-1], []).append(str(loc[-1]))
    return {place: keys for place, keys in unknown.items() if len(keys) > UNKNOWN_LISTED}


def _many_unknown(
    place: Path_, keys: list[str], model: type[BaseModel], document: Document
) -> Problem:
    """One problem for a mapping full of unknown keys: how many, and the first of them."""
    allowed = _fields_at(model, place)
    where = f" in '{clipped(_label(place))}'" if place else ""
    hint = "allowed fields: " + ", ".join(sorted(allowed)) if allowed else None
    if not place:
        hint = "is this the right file? " + (hint or "")
    return document.problem(
        (*place, keys[0]),
        f"{len(keys):,} unknown fields{where}, the first: '{clipped(keys[0])}'",
        hint,
        key=True,
        code="B201",
    )


_CODES = {
    "missing": "B202",
    "extra_forbidden": "B201",
    **dict.fromkeys(
        ["string_type", "str_type", "list_type", "model_type", "model_attributes_type",
         "dict_type", "int_parsing", "int_type", "float_parsing", "float_type",
         "bool_parsing", "bool_type"],
        "B203",
    ),
}  # fmt: skip
"""Pydantic error types to catalogue codes; anything else is an invalid value, B204."""


def _misspelt_fields(details: list[ErrorDetails], model: type[BaseModel]) -> set[Path_]:
    """Where a missing field is the close match of an unknown key beside it."""
    found: set[Path_] = set()
    for detail in details:
        loc: Path_ = tuple(detail["loc"])
        if detail["type"] == "extra_forbidden" and loc:
            close = _close_field(str(loc[-1]), model, loc[:-1])
            if close:
                found.add((*loc[:-1], close))
    return found


def _close_field(name: str, model: type[BaseModel], parent: Path_) -> str | None:
    """The allowed field at `parent` that `name` most likely misspells."""
    close = difflib.get_close_matches(name, _fields_at(model, parent), n=1, cutoff=0.6)
    return close[0] if close else None


def _label(loc: Path_) -> str:
    """How a message names a place: `rating`, or `sections[6]` for an item of a list."""
    if not loc:
        return "document"
    if isinstance(loc[-1], int):
        return f"{_label(loc[:-1])}[{loc[-1]}]"
    return str(loc[-1])


def _wording(
    detail: ErrorDetails, loc: Path_, model: type[BaseModel]
) -> tuple[str, str | None, bool]:
    kind = detail["type"]
    ctx = detail.get("ctx", {})
    name = clipped(_label(loc))
    raw = detail.get("input")
    given, given_repr = clipped(raw), clipped(repr(raw))
    if kind == "missing":
        return f"missing required field '{name}'", f"add '{name}:' here", False
    if kind == "extra_forbidden":
        allowed = _fields_at(model, loc[:-1])
        close = _close_field(str(loc[-1]), model, loc[:-1])
        hint = (
            f"did you mean '{close}'?"
            if close
            else "allowed fields: " + ", ".join(sorted(allowed))
            if allowed
            else None
        )
        return f"unknown field '{name}'", hint, True
    if kind in ("string_type", "str_type"):
        return f"'{name}' must be text, not {_kind_of(raw)}", "quote the value", False
    if kind == "list_type":
        return (
            f"'{name}' must be a list, not {_kind_of(raw)}",
            "write each item on a line starting with '- '",
            False,
        )
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"'{name}' must be a mapping of fields, not {_kind_of(raw)}", None, False
    if kind == "too_short":
        least = ctx.get("min_length", 1)
        return f"'{name}' needs at least {least} item(s)", None, False
    if kind == "string_too_short":
        return f"'{name}' must not be empty", None, False
    if kind == "string_pattern_mismatch":
        return (
            f"'{given}' is not a valid id",
            "use lower-case letters, digits, '-' and '_', e.g. 'status-quo'",
            False,
        )
    if kind in ("enum", "literal_error"):
        choices = f"use one of: {ctx.get('expected')}"
        if len(loc) > 1 and isinstance(loc[-1], int):  # an item of a list: sections[6]
            item = _label(loc[:-1]).removesuffix("s")
            return f"{name}: '{given}' is not a {item}", choices, False
        return f"'{given}' is not allowed for '{name}'", choices, False
    if kind.startswith("date"):
        return f"'{given}' is not a date", "write it as YYYY-MM-DD, e.g. 2026-11-23", False
    if kind in ("int_parsing", "int_type", "float_parsing", "float_type"):
        return f"'{name}' must be a number, not {given_repr}", None, False
    if kind in ("bool_parsing", "bool_type"):
        return f"'{name}' must be true or false, not {given_repr}", None, False
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return f"'{name}' is out of range: {detail['msg'].lower()}", None, False
    if kind == "value_error":
        return f"'{name}': {ctx.get('error', detail['msg'])!s}", None, False
    return f"'{name}': {detail['msg']}", None, False


def _kind_of(value: object) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    return "text"


def _fields_at(model: type[BaseModel], loc: Path_) -> list[str]:
    """The field names allowed at `loc`, following the model's annotations down the path."""
    annotation: Any = model
    for part in loc:
        annotation = _unwrap(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            fields = annotation.model_fields
            match = next((info for key, info in fields.items() if part in (key, info.alias)), None)
            if match is None:
                return []
            annotation = match.annotation
        else:
            args = typing.get_args(annotation)
            if not args:
                return []
            annotation = args[-1]
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [info.alias or key for key, info in annotation.model_fields.items()]
    return []


def _unwrap(annotation: Any) -> Any:
    """`X | None` to `X`; Annotated[X, ...] to X."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        members = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(members) == 1:
            return _unwrap(members[0])
    return annotation
