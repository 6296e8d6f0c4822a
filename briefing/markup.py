"""Inline markdown in content fields (emphasis, code, in-document links), as safe HTML.

markdown-it-py runs with raw HTML disabled, so a `<script>` typed into a field comes out as
text. Content may link only within the memo (`#...`): a link to the network or to a file,
and every image, is rendered as its plain text, and `markup_warnings` names it so the author
hears why. A memo is read offline and must not call out, nor embed what it was not given.

Authors type straight quotes and hyphens; a publication prints curly quotes and apostrophes
and an en dash between the numbers of a range. That is done here, as the text is rendered,
and never to the stored content: verification compares what the author typed with the seed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from functools import cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markupsafe import Markup, escape


def _allowed(href: str) -> bool:
    return href.startswith("#")


def _link_open(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    if not _allowed(str(token.attrs.get("href", ""))):
        token.meta["dropped"] = True
        return ""
    return str(self.renderToken(tokens, idx, options, env))


def _link_close(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    opening = next((t for t in reversed(tokens[:idx]) if t.type == "link_open"), None)
    if opening is not None and opening.meta.get("dropped"):
        return ""
    return str(self.renderToken(tokens, idx, options, env))


def _image(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    return str(escape(tokens[idx].content))


# The marks smartquotes writes for a pair it matches, in markdown-it's order: double open and
# close, single open and close. A quotation's parser writes these stand-ins instead, so that
# `_settle_quotes` can choose each pair's marks by how deep it is nested.
_CURLY = "\u201c\u201d\u2018\u2019"
_STAND_INS = "\ue000\ue001\ue002\ue003"
_APOSTROPHE = "\u2019"
# Quotation marks a pasted quotation may already carry, read again as the straight marks an
# author types so that they pair with the straight ones and take their place in the nesting.
_AS_TYPED = str.maketrans(
    dict.fromkeys("\u201c\u201d\u201e\u201f", '"') | dict.fromkeys("\u2018\u2019\u201a\u201b", "'")
)
# After these a quotation mark opens; after anything else it closes.
_OPENS_AFTER = frozenset(" \t\n\u00a0([{<\u2014\u2013-/")

# A web address in running text: it keeps every character as typed.
_URL = re.compile(r"(?:(?:https?|ftp|mailto|file):|www\.)[^\s<>]+", re.IGNORECASE)
# Two numbers joined by a hyphen, as in a range (2021-2023, pp. 14-15, 1.5-2): not a date
# (2025-02-24) or a telephone number, whose numbers chain on with more hyphens, nor part of
# a word or an identifier (COVID-19, sec-2-3, v2-3), nor of a path (/2021-2023/).
_NUMBER_RANGE = re.compile(r"(?<![\w\-/.,])(\d+(?:[.,]\d+)*)-(\d+(?:[.,]\d+)*)(?![\w\-/]|[.,]\d)")
_EN_DASH = "\u2013"
# A year or decade cut short ('90s, class of '08): smartquotes would take its apostrophe for
# an opening quote and pair it with the next closing one ('90s ... girls' schools).
_SHORT_YEAR = re.compile(r"(?<!\w)'(?=\d\ds?\b)")


def _shield_urls(state: StateCore) -> None:
    """Keep web addresses from the typography: an autolink's text and an address written
    into running text become `text_special` tokens, which smartquotes and the rules here
    pass over and markdown-it's `text_join` turns back into text."""
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children: list[Token] = []
        in_autolink = False
        for token in block.children:
            if token.type == "link_open" and token.info == "auto":
                in_autolink = True
            elif token.type == "link_close" and token.info == "auto":
                in_autolink = False
            if token.type != "text":
                children.append(token)
            elif in_autolink:
                token.type = "text_special"
                children.append(token)
            else:
                children.extend(_split_urls(token))
        block.children = children


def _split_urls(token: Token) -> list[Token]:
    """A text token as pieces of text and, for each web address in it, a `text_special`."""
    pieces: list[Token] = []
    start = 0
    for match in _URL.finditer(token.content):
        for kind, content in (
            ("text", token.content[start : match.start()]),
            ("text_special", match.group()),
        ):
            if content:
                piece = Token(kind, "", 0, level=token.level, content=content)
                pieces.append(piece)
        start = match.end()
    if not pieces:
        return [token]
    if start < len(token.content):
        pieces.append(Token("text", "", 0, level=token.level, content=token.content[start:]))
    return pieces


def _text_rule(pattern: re.Pattern[str], replacement: str) -> Callable[[StateCore], None]:
    """A core rule that rewrites every text token of inline content (not code, not a web
    address) with `pattern.sub(replacement, ...)`."""

    def rule(state: StateCore) -> None:
        for block in state.tokens:
            if block.type == "inline" and block.children:
                for token in block.children:
                    if token.type == "text":
                        token.content = pattern.sub(replacement, token.content)

    return rule


_short_years = _text_rule(_SHORT_YEAR, _APOSTROPHE)
"""An apostrophe, before smartquotes can pair it, where a year or decade is cut short."""

_number_ranges = _text_rule(_NUMBER_RANGE, rf"\1{_EN_DASH}\2")
"""An en dash, not a hyphen, between the numbers of a range, in text (not code, not a
web address)."""


def _settle_quotes(in_quotation: bool) -> Callable[[StateCore], None]:
    """The core rule that gives every quotation mark its final form after smartquotes.

    Smartquotes pairs the straight marks it can and leaves the rest. A mark left over is
    most often an apostrophe smartquotes cannot tell from an opening quote ('em), or a
    quotation the text opens or closes outside itself (an excerpt that stops
    mid-quotation); each is written as the curly mark its neighbours call for, so that no
    straight mark reaches the page.

    In a quotation (`in_quotation`), which the template prints inside double marks, the
    pairs arrive as stand-ins and take their marks from their depth, as a quotation inside
    a quotation does: single for the outermost, double inside those, and so on.
    """

    def rule(state: StateCore) -> None:
        for block in state.tokens:
            if block.type == "inline" and block.children:
                _Marks(in_quotation).settle(block.children)

    return rule


class _Marks:
    """The quotation marks of one paragraph, settled in reading order."""

    def __init__(self, in_quotation: bool) -> None:
        self.in_quotation = in_quotation
        self.depth = 0  # how many matched pairs are open here
        self.before = " "  # the character printed last

    def pair(self, depth: int, single: bool) -> tuple[str, str]:
        """The opening and closing mark of a pair at `depth` (1 for the outermost)."""
        if self.in_quotation:
            single = depth % 2 == 1
        return (_CURLY[2], _CURLY[3]) if single else (_CURLY[0], _CURLY[1])

    def mark(self, character: str) -> str:
        """What one character of text prints as."""
        if self.in_quotation and character in _STAND_INS:
            index = _STAND_INS.index(character)
            closing = index % 2 == 1
            self.depth += not closing
            settled = self.pair(self.depth, single=index >= 2)[index % 2]
            self.depth -= closing
            return settled
        if character == "'":
            return _APOSTROPHE
        if character == '"':
            opening, closing_mark = self.pair(self.depth + 1, single=False)
            return opening if self.before in _OPENS_AFTER else closing_mark
        return character

    def settle(self, tokens: list[Token]) -> None:
        """Settle the marks of the text tokens; other tokens only give the character before."""
        for token in tokens:
            if token.type == "text":
                written = []
                for character in token.content:
                    self.before = self.mark(character)
                    written.append(self.before)
                token.content = "".join(written)
            elif token.content:
                self.before = token.content[-1]


def _typographer(md: MarkdownIt, *, in_quotation: bool) -> MarkdownIt:
    """Turn on markdown-it's smartquotes, with web addresses shielded from it, the leftover
    marks settled and number ranges given their dash.

    Not markdown-it's `replacements`: it would print "(c)", as a list of options labels its
    third item, as ©.
    """
    md.options["typographer"] = True
    md.options["quotes"] = _STAND_INS if in_quotation else _CURLY
    md.enable("smartquotes")
    md.core.ruler.before("smartquotes", "shield_urls", _shield_urls)
    md.core.ruler.before("smartquotes", "short_years", _short_years)
    md.core.ruler.after("smartquotes", "settle_quotes", _settle_quotes(in_quotation))
    md.core.ruler.after("settle_quotes", "number_ranges", _number_ranges)
    return md


@cache
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False})
    md.add_render_rule("link_open", _link_open)
    md.add_render_rule("link_close", _link_close)
    md.add_render_rule("image", _image)
    return _typographer(md, in_quotation=False)


@cache
def _plain_parser(in_quotation: bool) -> MarkdownIt:
    """Plain text with typography and nothing else: markdown-it's `zero` preset reads no
    markup at all, not even a backslash escape, so the words come out as written."""
    return _typographer(MarkdownIt("zero", {"html": False}), in_quotation=in_quotation)


def inline(text: str) -> Markup:
    """One field of content as inline HTML: emphasis kept, everything else escaped, quotes
    and apostrophes curly, number ranges with an en dash."""
    return Markup(_parser().renderInline(text))


def quoted(text: str) -> Markup:
    """A text the template prints inside double quotation marks (a quotation, a title), as
    safe HTML with its own quotation marks one level in: the source's double quotes become
    single and a quotation inside those double again, straight marks curly, number ranges
    with an en dash. Never read as markdown: a quotation is the source's words."""
    return Markup(_plain_parser(in_quotation=True).renderInline(text.translate(_AS_TYPED)))


def typeset(text: str) -> Markup:
    """A field of content that is plain text, not markdown (a label, a source's note), with
    the typography of `inline`, so that it prints like the text around it: escaped, quotes
    and apostrophes curly, number ranges with an en dash."""
    return Markup(_plain_parser(in_quotation=False).renderInline(text))


_TARGETS = re.compile(r"(!?)\[[^\]]*\]\(\s*<?([^)\s>]*)|<([a-zA-Z][a-zA-Z0-9+.-]*:[^>\s]*)>")


def markup_warnings(text: str) -> Iterator[tuple[str, str]]:
    """What in a field will not render as written: images, and links that leave the memo.

    Read from the text itself, so that targets markdown-it refuses outright (`file:`,
    `javascript:`) are reported too.
    """
    for match in _TARGETS.finditer(text):
        image, target, autolink = match.group(1), match.group(2), match.group(3)
        if image:
            yield "W103", f"image '{target}' is not embedded; its text is shown"
        elif not _allowed(autolink or target):
            yield (
                "W102",
                f"link to '{autolink or target}' is shown as plain text; "
                "a memo links only within itself",
            )


_CLOSED = (".", "?", "!")


def close_sentence(html: str | Markup) -> Markup:
    """End a rendered note or reference with a full stop, American style.

    The stop goes inside a closing quotation mark, and is not doubled after "n.d." or a
    title that already ends in a question mark.
    """
    text = escape(html).rstrip()
    if text.endswith("\u201d"):
        body = text[:-1]
        return text if body.endswith(_CLOSED) else body + Markup(".\u201d")
    return text if text.endswith(_CLOSED) else text + Markup(".")


_LINK_SYNTAX = re.compile(r"\[([^\]\n]*)\]\([^)\s]*\)")
_NOTE_MARKER = re.compile(r"[\u00b9\u00b2\u00b3\u2070-\u2079]+|\[\^?\d+\]")
_DOUBLED_SPACE = re.compile(r"[ \t]{2,}")
_SPACE_BEFORE_STOP = re.compile(r"[ \t]+(?=[,.;:!?])")


def as_quoted(quote: str) -> str:
    """A quotation as a memo shows it: the words of the source, not the markup around them.

    Some seed texts were saved from web pages and carry markdown link syntax
    (`officially [recognize](#) the Taliban`) or footnote markers; quotes copied from them
    keep it, and verification forgives it (the same patterns as verify.py's). Shown raw,
    it reads as noise inside the quotation marks, so the link keeps only its text and the
    markers go. A quotation is plain text: it is escaped, never rendered as markdown.
    """
    text = _NOTE_MARKER.sub("", _LINK_SYNTAX.sub(lambda m: m.group(1), quote))
    if text != quote:  # only where something was taken out: the rest is as the author wrote
        text = _SPACE_BEFORE_STOP.sub("", _DOUBLED_SPACE.sub(" ", text))
    return text.strip()
