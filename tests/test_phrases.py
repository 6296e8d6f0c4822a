"""One phrasebook holds every word briefing prints: an office's phrases.toml changes the
pages, the PDF and the Word file with no code; a phrasebook that cannot be used stops the
build with every problem named; no title or label is left in the Python; and an edit to
either phrasebook rebuilds what was made with it."""

from __future__ import annotations

import ast
import json
import os
import shutil
import string
import tomllib
from dataclasses import fields
from pathlib import Path

import docx
import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from pypdf import PdfReader

from briefing import Project, build
from briefing.cache import MANIFEST, BuildCache
from briefing.cli import cli
from briefing.errors import ContentError
from briefing.phrases import (
    MOST_BYTES,
    PHRASEBOOK,
    Phrasebook,
    PhrasebookError,
    builtin_phrases,
    load,
    placeholders,
)
from briefing.project import BUILTIN_TEMPLATES

ROOT = Path(__file__).resolve().parent.parent
MEMO = "taliban-policy"
BUILTIN = tomllib.loads((BUILTIN_TEMPLATES / PHRASEBOOK).read_text(encoding="utf-8"))

FRENCH_MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip

OFFICE = (
    '[sections]\nbluf = "BLUF"\n\n[marks]\nrecommended = "Preferred option"\n\n'
    '[dates]\ndate = "{day} {month} {year}"\n\n[months]\n'
    + "".join(
        f'{key} = "{name}"\n' for key, name in zip(BUILTIN["months"], FRENCH_MONTHS, strict=True)
    )
)
"""An office's house wording: "BLUF", "Preferred option", and dates in French."""


def _project(tmp_path: Path, phrases: str | None) -> Project:
    """A copy of the shipped project whose templates folder holds `phrases` as its
    phrases.toml (none if None)."""
    shutil.copytree(ROOT / "content", tmp_path / "content")
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    templates = tmp_path / "templates"
    templates.mkdir()
    if phrases is not None:
        (templates / PHRASEBOOK).write_text(phrases, encoding="utf-8")
    return Project.at(tmp_path / "content", tmp_path / "out", templates)


def _pdf_text(path: Path) -> str:
    return " ".join(page.extract_text() for page in PdfReader(path).pages)


def test_the_builtin_phrasebook_is_every_group_briefing_reads() -> None:
    groups = {f.name for f in fields(Phrasebook)}
    assert set(BUILTIN) == groups
    for group, phrases in BUILTIN.items():
        for key, phrase in phrases.items():
            assert isinstance(phrase, str), (group, key)
            placeholders(phrase)  # every brace a plain {name}
    book = builtin_phrases()
    assert len(book.months) == 12
    assert book.sections["bluf"] == "Bottom line"
    assert book.document["page_numbers"] == "Page {page} of {pages}"


def test_an_office_phrasebook_changes_the_html_pdf_and_docx_with_no_code(
    tmp_path: Path,
) -> None:
    project = _project(tmp_path, OFFICE)
    report = build(project, audiences=["principal"], jobs=1)
    assert not report.failures, report.failures
    folder = project.output / MEMO
    soup = BeautifulSoup((folder / "principal.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.select_one("#bluf-h").get_text() == "BLUF"
    assert {tag.get_text() for tag in soup.select(".tag")} == {"Preferred option"}
    dated = report.checked.content.memos[MEMO].date
    french = f"{dated.day} {FRENCH_MONTHS[dated.month - 1]} {dated.year}"
    english = BUILTIN["dates"]["date"].format(
        month=list(BUILTIN["months"].values())[dated.month - 1], day=dated.day, year=dated.year
    )
    assert soup.select_one(".memo-heading time").get_text() == french
    page = soup.get_text()
    for built_in in ("Bottom line", "Recommended", english):
        assert built_in not in page
    pdf = " ".join(_pdf_text(folder / "principal.pdf").split()).casefold()  # tags in capitals
    for said in ("BLUF", "Preferred option", french):
        assert said.casefold() in pdf
    assert "bottom line" not in pdf
    assert "recommended" not in pdf
    word = "\n".join(p.text for p in docx.Document(str(folder / "principal.docx")).paragraphs)
    for said in ("BLUF", "Preferred option", french):
        assert said in word
    assert "Bottom line" not in word
    assert "Recommended" not in word


def test_a_phrasebook_that_repeats_the_builtin_words_changes_nothing(tmp_path: Path) -> None:
    """Ejected and left as it is, the phrasebook makes the same pages, byte for byte."""
    plain = _project(tmp_path / "plain", None)
    ejected = _project(tmp_path / "ejected", (BUILTIN_TEMPLATES / PHRASEBOOK).read_text())
    for project in (plain, ejected):
        assert not build(project, formats=["html"], jobs=1).failures
    for audience in ("congressional", "principal", "public", "staff"):
        same = [p.output / MEMO / f"{audience}.html" for p in (plain, ejected)]
        assert same[0].read_bytes() == same[1].read_bytes(), audience


def test_the_terminal_says_the_draft_line_the_memo_says(tmp_path: Path) -> None:
    project = _project(tmp_path, '[draft]\nwarning = "BROUILLON : {count} citation(s)."\n')
    status_quo = project.content / "positions" / "status-quo.yaml"
    text = status_quo.read_text(encoding="utf-8")
    status_quo.write_text(text.replace("suspending dialogue", "cancelling dialogue", 1))
    args = ["build", "--content", str(project.content), "--out", str(project.output)]
    args += ["--templates", str(project.templates), "--audience", "staff", "--format", "html"]
    result = CliRunner().invoke(cli, [*args, "--draft"])
    assert result.exit_code == 1
    assert "BROUILLON : 1 citation(s)." in result.output
    soup = BeautifulSoup((project.output / MEMO / "staff.html").read_text(), "html.parser")
    assert soup.select_one(".draft-warning").get_text() == "BROUILLON : 1 citation(s)."


def test_an_edit_to_the_office_phrasebook_rebuilds_what_was_made_with_it(
    tmp_path: Path,
) -> None:
    project = _project(tmp_path, None)
    assert project.templates is not None
    office = project.templates / PHRASEBOOK

    def made() -> list[str]:
        report = build(project, audiences=["principal"], formats=["html", "docx"], jobs=1)
        assert not report.failures, report.failures
        return sorted(output.relative for output in report.written)

    both = [f"{MEMO}/principal.docx", f"{MEMO}/principal.html"]
    assert made() == both
    manifest = json.loads((project.output / MANIFEST).read_text(encoding="utf-8"))
    assert all(PHRASEBOOK in entry["templates"] for entry in manifest["outputs"].values())
    assert made() == [], "nothing changed"
    office.write_text('[sections]\nbluf = "BLUF"\n', encoding="utf-8")
    assert made() == both, "the office's phrasebook is new"
    assert made() == []
    office.write_text('[sections]\nbluf = "Gist"\n', encoding="utf-8")
    assert made() == both, "the office's phrasebook changed"
    assert ">Gist</h2>" in (project.output / MEMO / "principal.html").read_text(encoding="utf-8")
    office.unlink()
    assert made() == both, "the office's phrasebook is gone"


def test_the_cache_key_reads_every_phrasebook_each_merged_over_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An edit to the built-in phrasebook (a new version of briefing) counts even where an
    office's phrasebook stands over it: the words not overridden are still the built-in's."""
    builtin = tmp_path / "builtin"
    builtin.mkdir()
    shutil.copy(BUILTIN_TEMPLATES / PHRASEBOOK, builtin / PHRASEBOOK)
    monkeypatch.setattr("briefing.project.BUILTIN_TEMPLATES", builtin)
    project = _project(tmp_path, '[sections]\nbluf = "BLUF"\n')
    assert project.template_files(PHRASEBOOK) == [
        project.templates / PHRASEBOOK,
        builtin / PHRASEBOOK,
    ]

    def key() -> str:
        return BuildCache(tmp_path / "out").key([], [PHRASEBOOK], [], project, "")

    before = key()
    shipped = builtin / PHRASEBOOK
    shipped.write_text(shipped.read_text().replace('"Recommended"', '"Chosen"'), "utf-8")
    assert key() != before


@pytest.mark.parametrize(
    ("phrases", "problem"),
    [
        ('[sectons]\nbluf = "BLUF"\n', "[sectons]: not a group of phrases"),
        ('[sections]\nbottom = "BLUF"\n', "[sections] bottom: not a phrase briefing prints"),
        ("[sections]\nbluf = 3\n", "[sections] bluf: must be text (in quotes), not a number"),
        ('[sections]\nbluf = ["a"]\n', "[sections] bluf: must be text (in quotes), not a list"),
        ('sections = "BLUF"\n', "[sections]: must be a table of phrases"),
        ("[sections.bluf]\nx = 1\n", "[sections] bluf: must be text (in quotes), not a table"),
        (
            '[draft]\nwarning = "DRAFT: {n}"\n',
            "placeholders must be the built-in phrase's: {count}",
        ),
        ('[draft]\nwarning = "DRAFT"\n', "(this one has none)"),
        ('[sections]\nbluf = "B {count}"\n', "placeholders must be the built-in phrase's: none"),
        ('[draft]\nwarning = "{count.__class__}"\n', "is not a plain {name}"),
        ('[draft]\nwarning = "{count!r}"\n', "is not a plain {name}"),
        ('[draft]\nwarning = "{count:>99999}"\n', "is not a plain {name}"),
        ('[draft]\nwarning = "{0}"\n', "is not a plain {name}"),
        ('[sections]\nbluf = "{{x}}"\n', "a brace outside a placeholder"),
        ('[sections]\nbluf = "a\\u0000b"\n', "holds a control character"),
        ('[sections]\nbluf = "a\\nb"\n', "holds a control character"),
    ],
)
def test_a_phrase_briefing_cannot_print_is_refused_naming_file_and_key(
    tmp_path: Path, phrases: str, problem: str
) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / PHRASEBOOK).write_text(phrases, encoding="utf-8")
    with pytest.raises(PhrasebookError) as raised:
        load([templates, BUILTIN_TEMPLATES])
    assert isinstance(raised.value, ContentError), "reported as content problems are"
    [found] = raised.value.problems
    assert found.code == "B411"
    assert found.file == templates / PHRASEBOOK
    assert problem in found.message


def test_every_problem_of_a_phrasebook_is_listed_at_its_line(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / PHRASEBOOK).write_text(
        '# house words\n[sections]\nbluff = "BLUF"\n\n[marks]\nrecommended = 1\n',
        encoding="utf-8",
    )
    with pytest.raises(PhrasebookError) as raised:
        load([templates, BUILTIN_TEMPLATES])
    found = [(p.line, p.message, p.hint) for p in raised.value.problems]
    assert found == [
        (3, "[sections] bluff: not a phrase briefing prints", "did you mean 'bluf'?"),
        (6, "[marks] recommended: must be text (in quotes), not a number", None),
    ]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b'[sections\nbluf = "x"\n', "TOML syntax error"),
        (b'[sections]\nbluf = "\xff"\n', "not valid UTF-8"),
        (b"#" * (MOST_BYTES + 1), "over the limit"),
        (b"x = " + b"[" * 5000 + b"]" * 5000, ""),
    ],
)
def test_a_phrasebook_that_cannot_be_read_is_refused(
    tmp_path: Path, content: bytes, problem: str
) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / PHRASEBOOK).write_bytes(content)
    with pytest.raises(PhrasebookError) as raised:
        load([templates, BUILTIN_TEMPLATES])
    assert raised.value.code in {"B410", "B411"}
    assert problem in str(raised.value)


def test_a_phrasebook_that_leads_outside_its_folder_is_not_opened(tmp_path: Path) -> None:
    """The link points at a named pipe: opening it would wait for a writer for ever."""
    templates = tmp_path / "templates"
    templates.mkdir()
    pipe = tmp_path / "elsewhere"
    os.mkfifo(pipe)
    (templates / PHRASEBOOK).symlink_to(pipe)
    with pytest.raises(PhrasebookError) as raised:
        load([templates, BUILTIN_TEMPLATES])
    assert raised.value.code == "B410"
    assert "leads outside its templates folder" in str(raised.value)
    (templates / PHRASEBOOK).unlink()
    (templates / PHRASEBOOK).mkdir()
    with pytest.raises(PhrasebookError, match="a folder, not a regular file"):
        load([templates, BUILTIN_TEMPLATES])


def test_a_hostile_phrasebook_stops_the_build_before_anything_is_written(
    tmp_path: Path,
) -> None:
    project = _project(tmp_path, '[sections]\nbluf = "{count.__class__.__mro__}"\n')
    args = ["build", "--content", str(project.content), "--out", str(project.output)]
    result = CliRunner().invoke(cli, [*args, "--templates", str(project.templates)])
    assert result.exit_code == 1
    assert "[B411]" in result.output
    assert "phrases.toml" in result.output
    assert "[sections] bluf" in result.output
    assert "Traceback" not in result.output
    assert not (project.output / MEMO).exists()


def test_a_phrase_is_text_on_every_page_and_never_ends_a_stylesheet(tmp_path: Path) -> None:
    """TOML is data: markup in a phrase is printed, escaped, and a phrase the page-number
    line puts into CSS cannot end its string or the style element."""
    project = _project(
        tmp_path,
        '[sections]\nbluf = "<script>alert(1)</script>"\n\n[document]\n'
        'page_numbers = "\\"; </style><script>x</script> {page} \\\\ {pages}"\n',
    )
    assert not build(project, audiences=["principal"], formats=["html"], jobs=1).failures
    html = (project.output / MEMO / "principal.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select_one("#bluf-h").get_text() == "<script>alert(1)</script>"
    assert soup.find("script") is None
    [style] = soup.find_all("style")
    assert "</style" not in style.get_text()
    assert (
        'content: "\\000022; \\00003c/style\\00003e\\00003cscript\\00003ex\\00003c/script'
        '\\00003e " counter(page) " \\00005c " counter(pages);'
    ) in style.get_text()
    assert soup.body is not None
    assert soup.body["data-page-numbers"] == '"; </style><script>x</script> {page} \\ {pages}'


_LABEL_GROUPS = {"sections", "claim", "marks", "ratings", "grid", "coordination", "labels"}
_LABEL_GROUPS |= {"heading", "decision", "annex", "references", "keys", "draft", "methods"}
_LABEL_GROUPS |= {"evidence_age", "sides"}
"""Groups whose every word is a title, label or sentence of a memo; of the others (the review
edition's, the redline's, the index's), only runs of several words are looked for: their
single words and short runs ("Memo", "Date", "for audience") are what the code's own
messages say too."""


def _printed_literals(path: Path) -> list[tuple[int, str]]:
    """The string literals of a module that could be printed: not its docstrings, not the
    key of a phrase looked up (`words.labels["option"]`), not a type variable's name."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            skipped.add(id(node.value))
        elif isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
            skipped.add(id(node.slice))
        elif isinstance(node, ast.Call) and getattr(node.func, "id", "") == "TypeVar":
            skipped.update(id(argument) for argument in node.args)
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        if id(node) not in skipped
    ]


def _words_of(group: str, phrase: str) -> list[tuple[str, bool]]:
    """A phrase's runs of words between its placeholders, and whether each is of several."""
    found = []
    for literal, *_ in string.Formatter().parse(phrase):
        words = literal.strip(" .,:;()'")
        several = " " in words
        telling = (group in _LABEL_GROUPS and len(words) > 2) or (several and len(words) >= 15)
        if any(ch.isalpha() for ch in words) and telling:
            found.append((words, several))
    return found


def test_no_title_or_label_of_the_phrasebook_is_written_in_the_code() -> None:
    """Every word briefing prints is the phrasebook's: a section title, label, key or sentence
    of the built-in phrases.toml written again in briefing/*.py would drift from it. The
    stances and clearance statuses are left out: their keys are the content's own values."""
    leaks = []
    for path in sorted((ROOT / "briefing").glob("*.py")):
        literals = _printed_literals(path)
        for group, phrases in BUILTIN.items():
            if group in {"stances", "clearances", "months", "document"}:
                continue
            for key, phrase in phrases.items():
                for words, several in _words_of(group, phrase):
                    leaks += [
                        f"{path.name}:{line}: [{group}] {key}: {literal!r}"
                        for line, literal in literals
                        if literal.strip(" .,:;()'") == words
                        or (several and len(words) >= 15 and words in literal)
                    ]
    assert leaks == []


def test_the_phrasebook_can_be_copied_out_to_start_from(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["templates", "eject", "phrases.toml", "--to", str(tmp_path / "mine")]
    )
    assert result.exit_code == 0, result.output
    copied = tmp_path / "mine" / PHRASEBOOK
    assert copied.read_bytes() == (BUILTIN_TEMPLATES / PHRASEBOOK).read_bytes()
    assert load([tmp_path / "mine", BUILTIN_TEMPLATES]) == builtin_phrases()


def test_the_phrasebook_reaches_templates_as_plain_data() -> None:
    """`t` is read, never called, never changed: read-only mappings of text, and the months."""
    book = builtin_phrases()
    with pytest.raises(TypeError):
        book.sections["bluf"] = "x"  # type: ignore[index]
    for group in fields(book):
        value = getattr(book, group.name)
        assert all(
            isinstance(v, str) for v in (value.values() if group.name != "months" else value)
        )
