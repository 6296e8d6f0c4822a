"""Typography at render: curly quotes and apostrophes, a quotation's own quotation marks one
level in, en dashes in number ranges; URLs, code and escaping untouched.

Unit tests of the filters of `briefing.markup`, then the shipped build read back as a reader
meets it (the HTML's text, the PDF's, the Word file's paragraphs and footnotes): authors type
straight marks, and none may reach the page.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from bs4 import BeautifulSoup
from conftest import MEMO, BuiltPdfs
from markupsafe import Markup

from briefing import BuildReport, Project
from briefing.markup import inline, quoted, typeset
from briefing.project import BUILTIN_TEMPLATES
from briefing.render import environment

AUDIENCES = ("congressional", "principal", "public", "staff")
STRAIGHT = re.compile("[\"']")
URL = re.compile(r"(?:https?|ftp|mailto|file):\S+|www\.\S+")
W_TEXT = re.compile(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>")


# Apostrophes and quotation marks in content.


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        ("don't", "don\u2019t"),
        ("the Taliban's word", "the Taliban\u2019s word"),
        ("girls' schools", "girls\u2019 schools"),
        ("the '90s", "the \u201990s"),
        ("the '90s and girls' schools", "the \u201990s and girls\u2019 schools"),
        ("class of '08", "class of \u201908"),
        ("'em", "\u2019em"),
    ],
)
def test_apostrophes_are_curly(typed: str, printed: str) -> None:
    assert str(inline(typed)) == printed
    assert str(typeset(typed)) == printed
    assert str(quoted(typed)) == printed


def test_double_quotes_open_and_close() -> None:
    assert str(inline('a "sell-out," he said')) == "a \u201csell-out,\u201d he said"
    assert str(inline('("leverage")')) == "(\u201cleverage\u201d)"


def test_a_quotation_inside_a_quotation_is_in_single_marks() -> None:
    assert str(inline("\"the 'like-minded' states\"")) == (
        "\u201cthe \u2018like-minded\u2019 states\u201d"
    )


def test_author_marks_keep_their_kind_in_running_text() -> None:
    """Prose is the author's: single marks typed at the top stay single."""
    assert str(inline("other 'like-minded countries'")) == (
        "other \u2018like-minded countries\u2019"
    )


def test_a_mark_without_its_pair_still_curls() -> None:
    assert str(inline('a "dangling phrase')) == "a \u201cdangling phrase"
    assert str(inline('ends here," he said')) == "ends here,\u201d he said"


def test_curly_marks_typed_by_the_author_stay() -> None:
    assert str(inline("\u201calready\u201d and \u2019til")) == "\u201calready\u201d and \u2019til"


# A quotation, which the template prints inside double marks.


def test_double_quotes_in_a_quotation_become_single() -> None:
    assert str(quoted('the answers were about ill-defined "engagement."')) == (
        "the answers were about ill-defined \u2018engagement.\u2019"
    )


def test_curly_double_quotes_in_a_quotation_become_single() -> None:
    """Quotations pasted from a web page bring their curly marks with them."""
    assert str(quoted("an expert said, \u201callowing the Taliban to travel\u201d")) == (
        "an expert said, \u2018allowing the Taliban to travel\u2019"
    )


def test_a_quotation_three_deep_is_in_double_marks_again() -> None:
    assert str(quoted("he wrote \"she said 'no' twice\" once")) == (
        "he wrote \u2018she said \u201cno\u201d twice\u2019 once"
    )


def test_single_quotes_in_a_quotation_stay_single() -> None:
    """A source that quotes in single marks is already one level in."""
    assert str(quoted("other 'like-minded countries' (among which)")) == (
        "other \u2018like-minded countries\u2019 (among which)"
    )


def test_an_excerpt_that_stops_inside_a_quotation_closes_in_single() -> None:
    assert str(quoted('it was "a disaster')) == "it was \u2018a disaster"
    assert str(quoted('a disaster," he said')) == "a disaster,\u2019 he said"


def test_a_quotation_is_not_read_as_markdown() -> None:
    assert str(quoted("*not emphasis* and \\escaped and `tick`")) == (
        "*not emphasis* and \\escaped and `tick`"
    )


def test_apostrophes_in_a_quotation_are_curly() -> None:
    assert str(quoted("Afghanistan's \u201cde facto\u201d rulers' word")) == (
        "Afghanistan\u2019s \u2018de facto\u2019 rulers\u2019 word"
    )


# Number ranges.


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        ("2021-2023", "2021\u20132023"),
        ("the civil war of 1992-96.", "the civil war of 1992\u201396."),
        ("pp. 14-15", "pp. 14\u201315"),
        ("$1.5-2 billion", "$1.5\u20132 billion"),
        ("(2021-2023)", "(2021\u20132023)"),
    ],
)
def test_number_ranges_take_an_en_dash(typed: str, printed: str) -> None:
    assert str(inline(typed)) == printed
    assert str(quoted(typed)) == printed
    assert str(typeset(typed)) == printed


@pytest.mark.parametrize(
    "typed",
    [
        "on 2025-02-24",
        "COVID-19",
        "sec-2-3",
        "call 202-555-0100",
        "F-16 and well-known",
        "v2-3",
        "see /reports/2021-2023/",
    ],
)
def test_dates_ids_and_words_keep_their_hyphens(typed: str) -> None:
    assert str(inline(typed)) == typed
    assert str(quoted(typed)) == typed


# What stays as typed.


def test_code_is_untouched() -> None:
    assert str(inline('run `it\'s "x" 1-2`')) == "run <code>it's &quot;x&quot; 1-2</code>"


def test_urls_are_untouched() -> None:
    url = 'https://example.org/it\'s-2021-2023?q="x"'
    assert url in str(inline(f"see {url} now")).replace("&quot;", '"')
    assert url in str(quoted(f"see {url} now")).replace("&quot;", '"')
    autolink = inline("<https://example.org/don't/2021-2023>")
    assert str(autolink) == "https://example.org/don't/2021-2023"


def test_an_in_document_link_keeps_its_target() -> None:
    html = str(inline('["the" 2021-2023 plan](#option-2021-2023 "a \'title\'")'))
    assert 'href="#option-2021-2023"' in html
    assert "\u201cthe\u201d 2021\u20132023 plan" in html


@pytest.mark.parametrize("render", [inline, quoted, typeset])
def test_html_stays_text(render: Callable[[str], Markup]) -> None:
    html = str(render("<script>alert(\"x\")</script> & <b onclick='y'>"))
    assert "<script" not in html
    assert "<b" not in html
    assert html.startswith("&lt;script&gt;alert(")
    assert "&amp;" in html


def test_plain_text_is_not_read_as_markdown() -> None:
    assert str(typeset("*as typed* and Afghans' [rights](#x)")) == (
        "*as typed* and Afghans\u2019 [rights](#x)"
    )


def test_templates_have_the_filters() -> None:
    filters = environment((BUILTIN_TEMPLATES,)).filters
    assert filters["md"] is inline
    assert filters["quoted"] is quoted
    assert filters["typeset"] is typeset


# The shipped memos, as read.


def _straight(text: str) -> list[str]:
    """Each straight mark in `text`, web addresses left out, with what is around it."""
    text = URL.sub("", text)
    return [text[max(0, m.start() - 30) : m.end() + 30] for m in STRAIGHT.finditer(text)]


def _html(project: Project, audience: str) -> BeautifulSoup:
    return BeautifulSoup(
        (project.output / MEMO / f"{audience}.html").read_text(encoding="utf-8"), "html.parser"
    )


@pytest.mark.parametrize("audience", AUDIENCES)
def test_no_straight_marks_in_the_html(
    default_build: tuple[Project, BuildReport], audience: str
) -> None:
    project, _ = default_build
    body = _html(project, audience).body
    assert body is not None
    for code in body.find_all(["code", "pre"]):
        code.decompose()
    assert _straight(body.get_text()) == []


@pytest.mark.parametrize("audience", AUDIENCES)
def test_quotations_nest_inside_the_templates_marks(
    default_build: tuple[Project, BuildReport], audience: str
) -> None:
    """Inside a quotation's double marks the source's own quotations are single; a double
    mark inside can only be a quotation within those."""
    project, _ = default_build
    for q in _html(project, audience).find_all("q"):
        text = q.get_text()
        assert text[0] == "\u201c"
        assert text[-1] == "\u201d"
        inner = text[1:-1]
        for at, mark in enumerate(inner):
            if mark in "\u201c\u201d":
                assert "\u2018" in inner[:at], text


@pytest.mark.parametrize("audience", AUDIENCES)
def test_no_straight_marks_in_the_pdf(default_pdfs: BuiltPdfs, audience: str) -> None:
    assert _straight("\n".join(default_pdfs.pages(audience))) == []


@pytest.mark.parametrize("audience", AUDIENCES)
def test_no_straight_marks_in_the_word_file(
    default_build: tuple[Project, BuildReport], audience: str
) -> None:
    project, _ = default_build
    path: Path = project.output / MEMO / f"{audience}.docx"
    document = docx.Document(str(path))
    paragraphs = [p.text for p in document.paragraphs]
    for table in document.tables:
        paragraphs += [p.text for row in table.rows for cell in row.cells for p in cell.paragraphs]
    with zipfile.ZipFile(path) as package:
        footnotes = package.read("word/footnotes.xml").decode("utf-8")
    notes = [m.group(1) for m in W_TEXT.finditer(footnotes)]
    assert notes, "the Word file carries its notes as footnotes"
    assert _straight("\n".join(paragraphs)) == []
    assert _straight("".join(notes).replace("&quot;", '"').replace("&apos;", "'")) == []


def test_verification_reads_the_marks_as_typed(
    default_build: tuple[Project, BuildReport],
) -> None:
    """The typography is the page's: the shipped quotations, straight marks and all, are
    still found in their sources, and a quotation's straight mark is printed curly."""
    project, report = default_build
    verification = report.checked.verification
    assert not report.failures
    assert not verification.failures
    assert not verification.unverified
    content = (project.content / "memos" / f"{MEMO}.yaml").read_text(encoding="utf-8")
    assert "'like-minded countries'" in content
    text = _html(project, "staff").get_text()
    assert "\u2018like-minded countries\u2019" in text
    assert "'like-minded countries'" not in text
