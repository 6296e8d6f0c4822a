"""The words briefing itself prints, in one phrasebook: `templates/phrases.toml`, with the
`phrases.toml` of a user's templates folder over it.

Headings, labels, keys, sentences and month names are not content, and before they lived
here they were spread over templates, the memo view, the review edition, the redline and
the command line, free to drift apart. Now each is said once: templates read it as `t`
(`{{ t.sections.bluf }}`), Python through `load`. An office changes its wording, or writes
in another language, with one file and no code.

The built-in file is the schema: its groups and keys are all there are, and each phrase's
placeholders (`{count}`) are the ones an override must keep, since templates fill in those
names and no others. A user's file comes with a template folder shared between offices, so
it is read as templates are read: only from the folder itself, never through a link that
leads out of it, at most `MOST_BYTES`, and as TOML, which is data. A phrase is text: a
template escapes it like any other text, and fills its placeholders with the sandbox's own
`str.format`, which a phrase limited to plain `{name}` fields cannot turn against it.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
import string
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from briefing.errors import BriefingError, ContentError, Problem, clipped, printable
from briefing.inside import OutsideProject, real_path_inside
from briefing.load import FileRefused, read_limited
from briefing.project import BUILTIN_TEMPLATES

PHRASEBOOK = "phrases.toml"
"""The phrasebook's name in a template folder."""

MOST_BYTES = 100_000
"""The largest phrasebook read: the built-in one is a tenth of that."""

Words = Mapping[str, str]
"""One group of phrases, by key."""


class PhrasebookError(ContentError):
    """A phrases.toml that cannot be read (B410) or says what briefing cannot print (B411):
    every problem, each naming the file and, where it can, the line and the key."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems, self.warnings = problems, []
        self.code = problems[0].code
        shown = "; ".join(f"{problem.location()}: {problem.message}" for problem in problems)
        BriefingError.__init__(self, shown)


@dataclass(frozen=True)
class Phrasebook:
    """Every phrase, group by group as phrases.toml gives them; `months` in calendar order.

    Templates get it as plain data (`t`): mappings of text, which the sandbox lets them read
    and not call. A template writes dates with the filters `written` and `written_partial`,
    which `render.environment` makes of the methods below.
    """

    document: Words
    sections: Words
    claim: Words
    sides: Words
    heading: Words
    draft: Words
    marks: Words
    keys: Words
    ratings: Words
    labels: Words
    grid: Words
    coordination: Words
    stances: Words
    clearances: Words
    decision: Words
    annex: Words
    methods: Words
    evidence_age: Words
    references: Words
    dates: Words
    months: tuple[str, ...]
    index: Words
    review: Words
    redline: Words

    def written(self, date: dt.date) -> str:
        """A date as the memo writes it: "November 23, 2026"."""
        month = self.months[date.month - 1]
        return self.dates["date"].format(month=month, day=date.day, year=date.year)

    def written_partial(self, date: str | None) -> str:
        """A source's date, which may give only the year or the month; "n.d." for none."""
        if not date:
            return self.dates["undated"]
        parts = [int(part) for part in date.split("-")]
        if len(parts) == 1:
            return str(parts[0])
        if len(parts) == 2:
            return self.dates["month_year"].format(month=self.months[parts[1] - 1], year=parts[0])
        return self.written(dt.date(parts[0], parts[1], parts[2]))


def load(template_dirs: Sequence[Path]) -> Phrasebook:
    """The built-in phrasebook, with the phrases.toml of each other folder of the search
    path over it (the folder searched first has the last word).

    Raises PhrasebookError listing every problem of a file that cannot be used.
    """
    schema = _builtin_schema()
    words = {group: dict(phrases) for group, phrases in schema.items()}
    builtin = _resolved(BUILTIN_TEMPLATES)
    for folder in reversed(template_dirs):
        if _resolved(folder) == builtin:
            continue
        file = _phrasebook_in(folder)
        if file is not None:
            text = _read(file)
            _merge(words, _parsed(file, text), schema, file, text)
    return _bound(words)


@cache
def _builtin_schema() -> dict[str, Any]:
    """The built-in phrases.toml as parsed, read once: callers copy it, never change it."""
    builtin_file = BUILTIN_TEMPLATES / PHRASEBOOK
    return _parsed(builtin_file, _read(builtin_file))


@cache
def builtin_phrases() -> Phrasebook:
    """The built-in phrasebook alone, for a caller that lays out nothing with a user's
    templates (a library call that names no templates folder)."""
    return load([BUILTIN_TEMPLATES])


def placeholders(phrase: str) -> frozenset[str]:
    """The names of a phrase's placeholders; ValueError, saying why, for a brace that is
    not part of a plain `{name}` (a format spec, a conversion, an attribute or index, a
    number, a doubled brace)."""
    names = set()
    for literal, name, spec, conversion in string.Formatter().parse(phrase):
        if "{" in literal or "}" in literal:
            raise ValueError("a brace outside a placeholder; write braces only as {name}")
        if name is None:
            continue
        if not name.isidentifier() or spec or conversion:
            shown = clipped(printable(name, one_line=True))
            raise ValueError(f"placeholder '{shown}' is not a plain {{name}}")
        names.add(name)
    return frozenset(names)


def _resolved(folder: Path) -> Path | None:
    try:
        return folder.resolve()
    except (OSError, RuntimeError):
        return None


def _phrasebook_in(folder: Path) -> Path | None:
    """The folder's phrases.toml, if it has one; refused (B410) where the name is a link,
    or lies under one, that leads outside the folder: the file it points at is not opened."""
    path = folder / PHRASEBOOK
    if not os.path.lexists(path):
        return None
    try:
        real_path_inside(path, folder)
    except OutsideProject:
        raise _unreadable(
            path, "it leads outside its templates folder (a link), so it is not read"
        ) from None
    return path


def _read(file: Path) -> str:
    """The file's text, if it is a regular file of at most MOST_BYTES of UTF-8."""
    try:
        data = read_limited(file, MOST_BYTES)
    except FileRefused as refused:
        raise _unreadable(file, str(refused)) from None
    except OSError as error:
        raise _unreadable(file, f"cannot be read ({error.strerror or error})") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise _unreadable(file, "the file is not valid UTF-8", line) from None


def _parsed(file: Path, text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise _unreadable(
            file, f"TOML syntax error: {printable(str(error), one_line=True)}"
        ) from None
    except RecursionError:
        raise _unreadable(file, "tables or arrays nested too deep to read") from None


def _unreadable(file: Path, why: str, line: int | None = None) -> PhrasebookError:
    hint = "save it as a UTF-8 TOML file of phrases in your templates folder (see the built-in one)"
    return PhrasebookError([Problem(file, line, None, why, hint, "B410")])


def _merge(
    words: dict[str, dict[str, str]],
    override: dict[str, Any],
    schema: dict[str, Any],
    file: Path,
    text: str,
) -> None:
    """Put each phrase of `override` over `words`, after checking every one of them against
    the built-in `schema`: a known group and key, text, the same placeholders."""
    problems: list[Problem] = []

    def problem(group: str, key: str | None, message: str, hint: str | None = None) -> None:
        line = _line_of(text, group, key)
        name = f"[{_shown(group)}]" + (f" {_shown(key)}" if key is not None else "")
        problems.append(Problem(file, line, None, f"{name}: {message}", hint, "B411"))

    for group, phrases in override.items():
        if group not in schema:
            problem(group, None, "not a group of phrases", _suggestion(group, schema))
            continue
        if not isinstance(phrases, dict):
            problem(group, None, 'must be a table of phrases ([group], then key = "text")')
            continue
        for key, value in phrases.items():
            if key not in schema[group]:
                hint = _suggestion(key, schema[group])
                problem(group, key, "not a phrase briefing prints", hint)
                continue
            why = _wrong(value, schema[group][key])
            if why is not None:
                problem(group, key, why)
    if problems:
        raise PhrasebookError(problems)
    for group, phrases in override.items():
        words[group].update(phrases)


def _wrong(value: object, builtin: str) -> str | None:
    """What is wrong with `value` as the phrase whose built-in wording is `builtin`."""
    if not isinstance(value, str):
        return f"must be text (in quotes), not {_kind(value)}"
    if any(ch < " " or "\x7f" <= ch <= "\x9f" for ch in value):
        return "holds a control character (a line break, a tab ...); write the phrase on one line"
    try:
        names = placeholders(value)
    except ValueError as error:
        return str(error)
    expected = placeholders(builtin)
    if names != expected:
        want = ", ".join(f"{{{n}}}" for n in sorted(expected)) or "none"
        got = ", ".join(f"{{{n}}}" for n in sorted(names)) or "none"
        return f"its placeholders must be the built-in phrase's: {want} (this one has {got})"
    return None


def _kind(value: object) -> str:
    kinds = {bool: "true or false", int: "a number", float: "a number", list: "a list"}
    kinds |= {dict: "a table", dt.datetime: "a date", dt.date: "a date", dt.time: "a time"}
    return next((name for kind, name in kinds.items() if type(value) is kind), "something else")


def _shown(name: str) -> str:
    return clipped(printable(name, one_line=True))


def _suggestion(name: str, known: Mapping[str, Any]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1)
    if close:
        return f"did you mean '{close[0]}'?"
    return (
        "use a group and key of the built-in phrases.toml (briefing templates eject phrases.toml)"
    )


_HEADER = re.compile(r'^\s*\[\s*"?([^"\]]*?)"?\s*\]\s*(#.*)?$')


def _line_of(text: str, group: str, key: str | None) -> int | None:
    """The line where `key` of `group` is set (or the group's header), where a simple
    reading of the file finds it; None where it does not (a dotted or inline table)."""
    current = None
    setting = re.compile(rf'^\s*"?{re.escape(key)}"?\s*=') if key is not None else None
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(line)
        if header:
            current = header.group(1).strip()
            if key is None and current == group:
                return number
        elif setting is not None and current == group and setting.match(line):
            return number
    return None


def _bound(words: dict[str, dict[str, str]]) -> Phrasebook:
    """The merged phrases as a Phrasebook: read-only mappings, the months in order."""
    groups: dict[str, Any] = {
        group: MappingProxyType(dict(phrases)) for group, phrases in words.items()
    }
    groups["months"] = tuple(words["months"].values())
    return Phrasebook(**{f.name: groups[f.name] for f in fields(Phrasebook)})
