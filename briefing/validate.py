"""Stage 2: loaded documents to typed models, with every problem reported at once.

Pydantic checks each file against its model; its error wording is rewritten here into
plain language located at the file, line and column of the offending key or value. Then
the references between files are checked (an option names a position that exists, a
quote names a known source, the grid covers every criterion).

One mistake gives one error: a reference to a file that exists but did not validate is
not reported as unknown, and checks that need a file that did not validate are skipped.
"""

from __future__ import annotations

import difflib
import re
import typing
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from briefing.content import Content
from briefing.errors import ContentError, Problem, printable
from briefing.folders import yaml_files
from briefing.inside import link_out_problem
from briefing.kinds import FOLDER_KINDS
from briefing.load import Document, Path_, load_yaml
from briefing.models import (
    ID_MAX_LENGTH,
    LEGACY_EVIDENCE,
    Memo,
    SourceList,
    Switchable,
    form_unsaid,
    is_id,
)
from briefing.project import Project
from briefing.textscan import scan_text
from briefing.wording import explain

M = TypeVar("M", bound=BaseModel)

Broken = set[tuple[str, str]]
"""(kind, name) of the files that exist but did not validate, e.g. ("position", "status-quo")."""


def validate_content(project: Project) -> Content:
    """Load and validate the whole content folder; raise ContentError with every problem."""
    problems: list[Problem] = []
    broken: Broken = set()
    content = Content()
    root = project.content
    if not root.is_dir():
        raise ContentError(
            [Problem(root, None, None, "content folder not found", "pass --content DIR", "B213")]
        )

    linked_out = _folders_linked_out(project)
    if linked_out:
        raise ContentError(linked_out)

    sources_file = root / "sources.yaml"
    source_list = _read(
        sources_file, SourceList, problems, content, ("sources", "sources"), project.root
    )
    if source_list is None:
        broken.add(("sources", "sources"))
    else:
        for index, source in enumerate(source_list.sources):
            document = content.documents[("sources", "sources")]
            if source.id in content.sources:
                problems.append(
                    document.problem(
                        ("sources", index, "id"), f"duplicate source id '{source.id}'", code="B206"
                    )
                )
            content.sources[source.id] = source
            if not (project.seeds / source.seed).exists():  # verify refuses what is no file
                problems.append(
                    document.problem(
                        ("sources", index, "seed"),
                        f"seed text '{source.seed}' not found in {project.seeds}",
                        "copy the source's text into seeds/ or correct the file name",
                        code="B208",
                    )
                )

    for content_kind in FOLDER_KINDS:
        kind, folder, model = content_kind.name, str(content_kind.folder), content_kind.model
        table: dict[str, Any] = getattr(content, folder)
        for file in yaml_files(root / folder):
            name = file.name.removesuffix(".yaml")
            if not is_id(name):
                problems.append(_bad_file_name(file, kind))
                broken.update({(kind, name), (kind, _id_for(name))})  # what it will be named
                continue
            parsed = _read(file, model, problems, content, (kind, name), project.root)
            if parsed is None:
                broken.add((kind, name))
            else:
                table[name] = parsed
                content.warnings.extend(_deprecated(content.documents[(kind, name)], kind))
        if not table and not any(broken_kind == kind for broken_kind, _ in broken):
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

    problems.extend(_check_references(content, broken))
    if problems:
        raise ContentError(problems, content.warnings)
    return content


_ID_RULE = (
    "an id is its file name without '.yaml': lower-case letters, digits, '-' and '_', "
    f"starting with a letter or digit, at most {ID_MAX_LENGTH} characters"
)


def _id_for(name: str) -> str:
    """The id a file name that cannot be one suggests: `Status Quo` gives `status-quo`."""
    return re.sub(r"[^a-z0-9_-]+", "-", name.lower()).strip("-_")


def _bad_file_name(file: Path, kind: str) -> Problem:
    """The problem with a content file whose name cannot be an id, and the name to give it.

    A name with a line break or a control character is located at its folder, so that the
    message stays on its line and sends nothing to the terminal.
    """
    suggestion = _id_for(file.name.removesuffix(".yaml"))
    rename = f"rename it to '{suggestion}.yaml'" if is_id(suggestion) else "rename it"
    where = file if file.name.isprintable() else file.parent
    return Problem(
        where,
        None,
        None,
        f"the file name '{printable(file.name, one_line=True)}' cannot be a {kind} id",
        f"{rename}; {_ID_RULE}",
        "B215",
    )


def _folders_linked_out(project: Project) -> list[Problem]:
    """The content folders (positions/, memos/, audiences/) that are links out of the project.

    Checked before anything is read: a folder linked to /etc would otherwise be listed,
    and every file in it named in a message. Said once per folder, and nothing else,
    since what follows from a folder not read (no positions, every option unknown) is noise.
    """
    problems = []
    for content_kind in FOLDER_KINDS:
        problem = link_out_problem(project.content / str(content_kind.folder), project.root)
        if problem is not None:
            problems.append(problem)
    return problems


def _read(
    file: Path,
    model: type[M],
    problems: list[Problem],
    content: Content,
    key: tuple[str, str],
    project_root: Path,
) -> M | None:
    """A content file read (only from inside the project), checked and validated, or None
    with its problems added to `problems`."""
    document, found = load_yaml(file, within=project_root)
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
        problems.extend(explain(error, model, document))
        return None


def _deprecated(document: Document, kind: str) -> list[Problem]:
    """Warnings for what a file written for an earlier schema says in the old way.

    The file still builds (the model reads the old form); the warning names the line and
    the new form, so the author can update it when convenient.
    """
    data = document.data
    if kind == "memo" and isinstance(data, dict) and data.get("cleared_by"):
        return [
            document.problem(
                ("cleared_by",),
                "'cleared_by' (a list of names) is the old form; each name is read as a "
                "clearance with status 'cleared'",
                "write clearances: [{name: ..., office: ..., date: YYYY-MM-DD, status: cleared}]",
                key=True,
                code="W203",
            )
        ]
    problems = _form_unsaid(document) if kind == "audience" else []
    show = data.get("show") if kind == "audience" and isinstance(data, dict) else None
    evidence = show.get("evidence") if isinstance(show, dict) else None
    if not isinstance(evidence, bool):
        return problems
    mode = LEGACY_EVIDENCE[evidence]
    return [
        *problems,
        document.problem(
            ("show", "evidence"),
            f"'evidence: {str(evidence).lower()}' is the old form; it is read as "
            f"'evidence: {mode}'",
            "write evidence: annex (quotations in an annex at the end), inline (under each "
            "claim) or none",
            code="W201",
        ),
    ]


def _form_unsaid(document: Document) -> list[Problem]:
    """A profile written before `form:` existed: it still builds in the form its template
    and analyst gave it then, and the warning says which, so the author can write it."""
    data = document.data
    if not isinstance(data, dict) or "form" in data or not isinstance(data.get("template"), str):
        return []
    form, why = form_unsaid(data["template"], has_analyst=data.get("analyst") is not None)
    return [
        document.problem(
            ("template",),
            f"the profile does not say its form; it is read as 'form: {form}' ({why})",
            "add form: memo, brief or publication (how the document opens and closes)",
            key=True,
            code="W204",
        )
    ]


def _check_references(content: Content, broken: Broken) -> list[Problem]:
    """Ids that point across files must point at something.

    A file that exists but did not validate has already been reported: what refers to it
    is not unknown. When sources.yaml or a memo did not validate, the sources or the
    questions they define are not known, and references to them are not checked.
    """
    problems: list[Problem] = []
    sources_known = ("sources", "sources") not in broken
    for document, path, evidence in content.evidence():
        if sources_known and evidence.source not in content.sources:
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
                    if audience not in content.audiences and ("audience", audience) not in broken:
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
    questions_known = not any(kind == "memo" for kind, _ in broken)
    for name, position in content.positions.items():
        document = content.documents[("position", name)]
        for question in position.stances:
            if questions_known and question not in questions:
                problems.append(
                    _unknown(
                        document, ("stances", question), "question", question, questions, key=True
                    )
                )
        for index, advocate in enumerate(position.advocates):
            if sources_known and advocate not in content.sources:
                problems.append(
                    _unknown(document, ("advocates", index), "source", advocate, content.sources)
                )
    for name, memo in content.memos.items():
        problems.extend(_memo_problems(content, memo, content.documents[("memo", name)], broken))
    return problems


def _memo_problems(
    content: Content, memo: Memo, document: Document, broken: Broken
) -> list[Problem]:
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
        known = option.position in content.positions or ("position", option.position) in broken
        if not known:
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
    for index, issue in enumerate(memo.issues_for_congress):
        if not issue.evidence and not issue.judgment:
            problems.append(
                document.problem(
                    ("issues_for_congress", index),
                    f"issue for Congress '{_clip(issue.text)}' has no evidence and is not "
                    "marked as the office's own framing",
                    "add evidence (a source and a verbatim quote), or write "
                    "'judgment: true' if the issue is your office's framing",
                    code="B240",
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
    problems.extend(_backing_problems(memo, document))
    for index, attachment in enumerate(memo.attachments):
        named = attachment.audience
        if named and named not in content.audiences and ("audience", named) not in broken:
            problems.append(
                _unknown(
                    document,
                    ("attachments", index, "audience"),
                    "audience",
                    named,
                    content.audiences,
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


def _clip(text: str, most: int = 40) -> str:
    """The start of a text, to name an item in a message."""
    return text if len(text) <= most else text[: most - 1].rstrip() + "\u2026"


def _backing_problems(memo: Memo, document: Document) -> list[Problem]:
    """Each item of the recommendation rests on evidence or says it is the office's judgment.

    Not both: a quotation makes the item a sourced claim, `judgment: true` says no source
    makes it, and a reader must be able to tell which one an item is.
    """
    if memo.recommendation is None:
        return []
    problems = []
    for name, index, item in memo.recommendation.items():
        at = ("recommendation", name, index)
        if item.evidence and item.judgment:
            problems.append(
                document.problem(
                    (*at, "judgment"),
                    "this item has both evidence and 'judgment: true'",
                    "keep the evidence (a sourced claim) or drop it and keep 'judgment: true' "
                    "(the office's own judgment)",
                    key=True,
                    code="B230",
                )
            )
        elif not item.evidence and not item.judgment:
            problems.append(
                document.problem(
                    at,
                    "this item has neither evidence nor 'judgment: true'",
                    "add evidence (a source id and a verbatim quote), or 'judgment: true' "
                    "where it is the drafting office's own judgment",
                    code="B230",
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
