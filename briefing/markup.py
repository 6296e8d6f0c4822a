"""Inline markdown in content fields (emphasis, code, in-document links), as safe HTML.

markdown-it-py runs with raw HTML disabled, so a `<script>` typed into a field comes out as
text. Content may link only within the memo (`#...`): a link to the network or to a file,
and every image, is rendered as its plain text, and `markup_warnings` names it so the author
hears why. A memo is read offline and must not call out, nor embed what it was not given.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import cache
from typing import Any

from markdown_it import MarkdownIt
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


@cache
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.add_render_rule("link_open", _link_open)
    md.add_render_rule("link_close", _link_close)
    md.add_render_rule("image", _image)
    return md


def inline(text: str) -> Markup:
    """One field of content as inline HTML: emphasis kept, everything else escaped."""
    return Markup(_parser().renderInline(text))


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
