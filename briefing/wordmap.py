"""How the memo's HTML reads in Word: the `[map]`, `[layout]` and `[page]` tables of
memo-styles.toml, and the selectors they are keyed by.

The HTML the templates lay out is the one document; the Word file is converted from it
(briefing.docx), so every decision about words, headings and order stays in the templates.
What is left to say for Word is which style each element is written in, and where the
printed page differs from the HTML's elements (what print hides, what CSS lays out as a
block or a tab); both are data here, in the file an office edits, never code.

A selector is the small part of CSS a memo needs: compound selectors (`p`, `p.bluf`, `#grid`,
`a[href]`, `p[data-lines=bluf]`) joined by descendant (` `) or child (`>`) combinators, and
the most specific match wins, as in CSS.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from briefing.project import package_folder

Element = Any
"""An lxml HTML element (lxml ships no type information)."""

_COMPOUND = re.compile(
    r"^(?P<tag>[a-z][a-z0-9]*|\*)?(?P<rest>(?:[.#][A-Za-z0-9_-]+|\[[A-Za-z0-9_-]+(?:=[^\]]*)?\])*)$"
)
_PART = re.compile(r"[.#][A-Za-z0-9_-]+|\[([A-Za-z0-9_-]+)(?:=([^\]]*))?\]")


class SelectorError(ValueError):
    """A key of memo-styles.toml that is not a selector this module reads."""


@dataclass(frozen=True)
class Compound:
    """One element's part of a selector: its tag, classes, id and attributes."""

    tag: str | None
    classes: frozenset[str]
    id: str | None
    attributes: tuple[tuple[str, str | None], ...]

    def matches(self, element: Element) -> bool:
        if self.tag is not None and element.tag != self.tag:
            return False
        if self.id is not None and element.get("id") != self.id:
            return False
        if self.classes and not self.classes <= classes(element):
            return False
        for name, value in self.attributes:
            found = element.get(name)
            if found is None or (value is not None and found != value):
                return False
        return True

    @property
    def specificity(self) -> tuple[int, int, int]:
        return (
            int(self.id is not None),
            len(self.classes) + len(self.attributes),
            int(self.tag is not None),
        )


def _compound(text: str, selector: str) -> Compound:
    found = _COMPOUND.match(text)
    if found is None:
        raise SelectorError(f"'{selector}' is not a selector briefing reads ('{text}')")
    tag = found["tag"] if found["tag"] != "*" else None
    names: set[str] = set()
    ident: str | None = None
    attributes: list[tuple[str, str | None]] = []
    for part in _PART.finditer(found["rest"]):
        token = part.group(0)
        if token.startswith("."):
            names.add(token[1:])
        elif token.startswith("#"):
            ident = token[1:]
        else:
            value = part.group(2)
            attributes.append((part.group(1), value.strip("\"'") if value is not None else None))
    return Compound(tag, frozenset(names), ident, tuple(attributes))


@dataclass(frozen=True)
class Selector:
    """Compound selectors from the outermost to the element itself; `child[i]` says whether
    compound i+1 must be a child of compound i (`>`) rather than any descendant."""

    text: str
    compounds: tuple[Compound, ...]
    child: tuple[bool, ...]

    @classmethod
    def parse(cls, text: str) -> Selector:
        tokens = text.replace(">", " > ").split()
        compounds: list[Compound] = []
        child: list[bool] = []
        pending_child = False
        for token in tokens:
            if token == ">":
                if not compounds or pending_child:
                    raise SelectorError(f"'{text}' is not a selector briefing reads")
                pending_child = True
                continue
            if compounds:
                child.append(pending_child)
            compounds.append(_compound(token, text))
            pending_child = False
        if not compounds or pending_child:
            raise SelectorError(f"'{text}' is not a selector briefing reads")
        return cls(text, tuple(compounds), tuple(child))

    @property
    def specificity(self) -> tuple[int, int, int]:
        parts = [c.specificity for c in self.compounds]
        return (sum(p[0] for p in parts), sum(p[1] for p in parts), sum(p[2] for p in parts))

    def matches(self, element: Element) -> bool:
        if not self.compounds[-1].matches(element):
            return False
        return self._ancestors_match(element, len(self.compounds) - 2)

    def _ancestors_match(self, element: Element, index: int) -> bool:
        """Whether compounds 0..index match `element`'s ancestors, as the combinators say."""
        if index < 0:
            return True
        compound, direct = self.compounds[index], self.child[index]
        parent = element.getparent()
        while parent is not None:
            if compound.matches(parent) and self._ancestors_match(parent, index - 1):
                return True
            if direct:
                return False
            parent = parent.getparent()
        return False


def classes(element: Element) -> frozenset[str]:
    """An element's classes, as its `class` attribute lists them."""
    return frozenset((element.get("class") or "").split())


class Rules:
    """Selectors, indexed by what each one's last compound requires most narrowly (its id,
    a class, else its tag): a memo has thousands of elements, and most selectors name a tag
    or class an element lacks, so only the few that could match it are tried."""

    def __init__(self, selectors: tuple[Selector, ...]) -> None:
        self.selectors = selectors
        index: dict[str, list[int]] = {}
        for order, selector in enumerate(selectors):
            last = selector.compounds[-1]
            if last.id is not None:
                key = "#" + last.id
            elif last.classes:
                key = "." + min(last.classes)
            else:
                key = last.tag or "*"
            index.setdefault(key, []).append(order)
        self._index = {key: tuple(orders) for key, orders in index.items()}

    def candidates(self, element: Element) -> list[int]:
        """The order (in the file) of each selector that could match `element`."""
        index = self._index
        found = [*index.get("*", ()), *index.get(str(element.tag), ())]
        for name in classes(element):
            found.extend(index.get("." + name, ()))
        ident = element.get("id")
        if ident:
            found.extend(index.get("#" + ident, ()))
        return found

    def matching(self, element: Element) -> list[int]:
        """The order of each selector that matches `element`, in the file's order."""
        return sorted(o for o in self.candidates(element) if self.selectors[o].matches(element))

    def match(self, element: Element) -> bool:
        return any(self.selectors[o].matches(element) for o in self.candidates(element))


def _rules(texts: list[str]) -> Rules:
    return Rules(tuple(Selector.parse(text) for text in texts))


@dataclass(frozen=True)
class Layout:
    """Where the printed page differs from the HTML's elements ([layout])."""

    hidden: Rules
    footnotes: Rules
    blocks: Rules
    unnumbered: Rules
    tab_after: Rules
    tab: Rules


@dataclass(frozen=True)
class WordMap:
    """The style of each element ([map]), the page's layout ([layout]), and the style of
    each line of the header and footer by the body attribute that gives it ([page])."""

    keys: Rules
    names: tuple[str, ...]
    """The style each of `keys` gives, in the same order."""
    layout: Layout
    page: dict[str, str]

    def style(self, element: Element, wanted: Callable[[str], bool]) -> str | None:
        """The style [map] gives `element` among those `wanted` accepts (a kind of style):
        the most specific match, the later one among equals."""
        best: tuple[tuple[int, int, int], int] | None = None
        chosen: str | None = None
        for order in self.keys.matching(element):
            name = self.names[order]
            if not wanted(name):
                continue
            rank = (self.keys.selectors[order].specificity, order)
            if best is None or rank > best:
                best, chosen = rank, name
        return chosen

    def style_names(self) -> Iterator[str]:
        """Every style name the map and the page table give."""
        yield from self.names
        yield from self.page.values()


@cache
def memo_styles_table() -> dict[str, Any]:
    """memo-styles.toml as TOML gives it, read once per process: its styles
    (`docxstyles.MEMO_STYLES`) and its map, layout and page (`word_map`)."""
    return tomllib.loads((package_folder("briefing") / "memo-styles.toml").read_text("utf-8"))


@cache
def word_map() -> WordMap:
    """The map of memo-styles.toml, read once per process."""
    table = memo_styles_table()
    layout = table.get("layout", {})
    return WordMap(
        keys=_rules(list(table["map"])),
        names=tuple(str(name) for name in table["map"].values()),
        layout=Layout(
            **{
                field: _rules(list(layout.get(field, [])))
                for field in ("hidden", "footnotes", "blocks", "unnumbered", "tab_after", "tab")
            }
        ),
        page={str(key): str(name) for key, name in table.get("page", {}).items()},
    )
