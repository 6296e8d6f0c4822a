"""Stage 2: loaded documents to typed models, with every problem reported at once.

Pydantic checks each file against its model; its error wording is rewritten here into
plain language located at the file, line and column of the offending key or value. Then
the references between files are checked (an option names a position that exists, a
quote names a known source, the grid covers every criterion).
"""

from __future__ import annotations

import difflib
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from briefing.errors import ContentError, Problem
from briefing.folders import yaml_files
from briefing.load import Document, Path_, load_yaml
from briefing.models import (
    Audience,
    Evidence,
    Memo,
    Point,
    Position,
    Settings,
    Source,
    SourceList,
    Switchable,
)
from briefing.project import Project
from briefing.textscan import scan_text

M = TypeVar("M", bound=BaseModel)


@dataclass
class Content:
    """Everything a build reads, validated, with the documents kept for locating problems."""

    sources: dict[str, Source] = field(default_factory=dict)
    positions: dict[str, Position] = field(default_factory=dict)
    memos: dict[str, Memo] = field(default_factory=dict)
    audiences: dict[str, Audience] = field(default_factory=dict)
    documents: dict[tuple[str, str], Document] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)

    def nodes(self) -> typing.Iterator[tuple[Document, Path_, BaseModel]]:
        """Every model in positions and memos, with its document and its place in it."""
        for (kind, name), document in sorted(self.documents.items()):
            model: BaseModel | None = None
            if kind == "position":
                model = self.positions.get(name)
            elif kind == "memo":
                model = self.memos.get(name)
            if model is not None:
                yield from _nodes(model, (), document)

    def evidence(self) -> typing.Iterator[tuple[Document, Path_, Evidence]]:
        """Every quotation in the content, with its document and its place in it."""
        for document, path, node in self.nodes():
            if isinstance(node, Evidence):
                yield document, path, node


def _nodes(
    value: Any, path: Path_, document: Document
) -> typing.Iterator[tuple[Document, Path_, BaseModel]]:
    if isinstance(value, BaseModel):
        yield document, path, value
        for name, info in type(value).model_fields.items():
            yield from _nodes(getattr(value, name), (*path, info.alias or name), document)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _nodes(item, (*path, index), document)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _nodes(item, (*path, key), document)


def validate_content(project: Project) -> Content:
    """Load and validate the whole content folder; raise ContentError with every problem."""
    problems: list[Problem] = []
    content = Content()
    root = project.content
    if not root.is_dir():
        raise ContentError(
            [Problem(root, None, None, "content folder not found", "pass --content DIR", "B213")]
        )

    sources_file = root / "sources.yaml"
    source_list = _read(sources_file, SourceList, problems, content, ("sources", "sources"))
    if source_list is not None:
        for index, source in enumerate(source_list.sources):
            document = content.documents[("sources", "sources")]
            if source.id in content.sources:
                problems.append(
                    document.problem(
                        ("sources", index, "id"), f"duplicate source id '{source.id}'", code="B206"
                    )
                )
            content.sources[source.id] = source
            if not (project.seeds / source.seed).is_file():
                problems.append(
                    document.problem(
                        ("sources", index, "seed"),
                        f"seed text '{source.seed}' not found in {project.seeds}",
                        "copy the source's text into seeds/ or correct the file name",
                        code="B208",
                    )
                )

    for kind, folder, model in (
        ("position", "positions", Position),
        ("memo", "memos", Memo),
        ("audience", "audiences", Audience),
    ):
        table: dict[str, Any] = getattr(content, folder)
        for file in yaml_files(root / folder):
            name = file.stem
            parsed = _read(file, model, problems, content, (kind, name))
            if parsed is not None:
                table[name] = parsed
        if not table and not any(p.file.parent.name == folder for p in problems):
            problems.append(
                Problem(
                    root / folder,
                    None,
                    None,
                    f"no {folder} found",
                    f"add {folder}/NAME.yaml",
                    "B210",
                )
            )

    problems.extend(_check_references(content))
    if problems:
        raise ContentError(problems, content.warnings)
    return content


def read_settings(file: Path) -> Settings:
    """The project settings, or the defaults when the project has no settings file."""
    if not file.is_file():
        return Settings()
    document, problems = load_yaml(file)
    if problems or document is None:
        raise ContentError(problems)
    if document.data is None:
        return Settings()  # only comments: nothing set
    try:
        return Settings.model_validate(document.data)
    except ValidationError as error:
        raise ContentError(_explain(error, Settings, document)) from None


def _read(
    file: Path,
    model: type[M],
    problems: list[Problem],
    content: Content,
    key: tuple[str, str],
) -> M | None:
    document, found = load_yaml(file)
    problems.extend(found)
    if document is None or found:
        return None
    content.documents[key] = document
    if document.data is None:
        problems.append(Problem(file, 1, 1, "the file is empty", code="B111"))
        return None
    errors, warnings = scan_text(document)
    content.warnings.extend(warnings)
    if errors:
        problems.extend(errors)
        return None
    try:
        return model.model_validate(document.data)
    except ValidationError as error:
        problems.extend(_explain(error, model, document))
        return None


def _explain(error: ValidationError, model: type[BaseModel], document: Document) -> list[Problem]:
    """Pydantic's errors in plain language, each at its place in the file."""
    problems = []
    for detail in error.errors():
        loc: Path_ = tuple(detail["loc"])
        on_key = bool(loc) and loc[-1] == "[key]"
        if on_key:
            loc = loc[:-1]
        message, hint, at_key = _wording(detail, loc, model)
        code = _CODES.get(detail["type"], "B204")
        problems.append(document.problem(loc, message, hint, key=at_key or on_key, code=code))
    return problems


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


def _wording(
    detail: ErrorDetails, loc: Path_, model: type[BaseModel]
) -> tuple[str, str | None, bool]:
    kind = detail["type"]
    ctx = detail.get("ctx", {})
    name = str(loc[-1]) if loc else "document"
    given = detail.get("input")
    if kind == "missing":
        return f"missing required field '{name}'", f"add '{name}:' here", False
    if kind == "extra_forbidden":
        allowed = _fields_at(model, loc[:-1])
        close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
        hint = (
            f"did you mean '{close[0]}'?"
            if close
            else "allowed fields: " + ", ".join(sorted(allowed))
            if allowed
            else None
        )
        return f"unknown field '{name}'", hint, True
    if kind in ("string_type", "str_type"):
        return f"'{name}' must be text, not {_kind_of(given)}", "quote the value", False
    if kind == "list_type":
        return (
            f"'{name}' must be a list, not {_kind_of(given)}",
            "write each item on a line starting with '- '",
            False,
        )
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"'{name}' must be a mapping of fields, not {_kind_of(given)}", None, False
    if kind == "too_short":
        least = ctx.get("min_length", 1)
        return f"'{name}' needs at least {least} item(s)", None, False
    if kind == "string_too_short":
        return f"'{name}' must not be empty", None, False
    if kind == "string_pattern_mismatch":
        return (
            f"'{given}' is not a valid id",
            "use lower-case letters, digits and hyphens, e.g. 'status-quo'",
            False,
        )
    if kind in ("enum", "literal_error"):
        return f"'{given}' is not allowed for '{name}'", f"use one of: {ctx.get('expected')}", False
    if kind.startswith("date"):
        return f"'{given}' is not a date", "write it as YYYY-MM-DD, e.g. 2026-11-23", False
    if kind in ("int_parsing", "int_type", "float_parsing", "float_type"):
        return f"'{name}' must be a number, not {given!r}", None, False
    if kind in ("bool_parsing", "bool_type"):
        return f"'{name}' must be true or false, not {given!r}", None, False
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


def _check_references(content: Content) -> list[Problem]:
    """Ids that point across files must point at something."""
    problems: list[Problem] = []
    for document, path, evidence in content.evidence():
        if evidence.source not in content.sources:
            problems.append(
                _unknown(document, (*path, "source"), "source", evidence.source, content.sources)
            )
    for document, path, node in content.nodes():
        if isinstance(node, Switchable):
            for field_name, names in (
                ("audiences", node.audiences or []),
                ("except", node.except_),
            ):
                for index, audience in enumerate(names):
                    if audience not in content.audiences:
                        problems.append(
                            _unknown(
                                document,
                                (*path, field_name, index),
                                "audience",
                                audience,
                                content.audiences,
                            )
                        )
    questions = {q.id for memo in content.memos.values() for q in memo.questions}
    for name, position in content.positions.items():
        document = content.documents[("position", name)]
        for question in position.stances:
            if question not in questions:
                problems.append(
                    _unknown(
                        document, ("stances", question), "question", question, questions, key=True
                    )
                )
        for index, advocate in enumerate(position.advocates):
            if advocate not in content.sources:
                problems.append(
                    _unknown(document, ("advocates", index), "source", advocate, content.sources)
                )
    for name, memo in content.memos.items():
        problems.extend(_memo_problems(content, memo, content.documents[("memo", name)]))
    return problems


def _memo_problems(content: Content, memo: Memo, document: Document) -> list[Problem]:
    """A memo's options name positions, cover every criterion, and keep the recommendation shown."""
    problems: list[Problem] = []
    criteria = [criterion.id for criterion in memo.criteria]
    for index, criterion in enumerate(memo.criteria):
        if criteria.index(criterion.id) != index:
            problems.append(
                document.problem(
                    ("criteria", index, "id"),
                    f"criterion '{criterion.id}' is listed twice",
                    code="B206",
                )
            )
    seen: set[str] = set()
    for index, option in enumerate(memo.options):
        at = ("options", index)
        if option.position not in content.positions:
            problems.append(
                _unknown(
                    document, (*at, "position"), "position", option.position, content.positions
                )
            )
        if option.position in seen:
            problems.append(
                document.problem(
                    (*at, "position"), f"option '{option.position}' is listed twice", code="B206"
                )
            )
        seen.add(option.position)
        for assessed in option.assessment:
            if assessed not in criteria:
                problems.append(
                    _unknown(
                        document,
                        (*at, "assessment", assessed),
                        "criterion",
                        assessed,
                        criteria,
                        key=True,
                    )
                )
        missing = [c for c in criteria if c not in option.assessment]
        if missing:
            problems.append(
                document.problem(
                    (*at, "assessment"),
                    f"option '{option.position}' is not assessed on: {', '.join(missing)}",
                    "add a rating and a one-line rationale for each criterion",
                    code="B207",
                )
            )
    if memo.recommendation:
        at_index = next(
            (i for i, o in enumerate(memo.options) if o.position == memo.recommendation.option),
            None,
        )
        for audience_id, profile in content.audiences.items():
            shows = {"recommendation", "decision"} & set(profile.sections)
            if at_index is not None and shows and not memo.options[at_index].shown_to(audience_id):
                problems.append(
                    document.problem(
                        ("options", at_index),
                        f"the recommended option is withheld from audience '{audience_id}', "
                        "which shows the recommendation",
                        "show the option to that audience or drop 'recommendation' and "
                        "'decision' from its sections",
                        code="B209",
                    )
                )
    if memo.recommendation and memo.recommendation.option not in seen:
        problems.append(
            _unknown(
                document,
                ("recommendation", "option"),
                "option of this memo",
                memo.recommendation.option,
                seen,
            )
        )
    return problems


def _unknown(
    document: Document,
    path: Path_,
    what: str,
    name: str,
    known: typing.Iterable[str],
    *,
    key: bool = False,
) -> Problem:
    choices = sorted(known)
    close = difflib.get_close_matches(name, choices, n=1, cutoff=0.6)
    hint = f"did you mean '{close[0]}'?" if close else "known: " + ", ".join(choices)
    return document.problem(path, f"unknown {what} '{name}'", hint, key=key, code="B205")


def every_point(position: Position) -> typing.Iterator[Point]:
    """All argued points of a position, in reading order."""
    for group in (
        position.recommendations,
        position.pros,
        position.cons,
        position.conditions,
        position.risks,
    ):
        yield from group
