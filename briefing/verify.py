"""Stage 3: every quotation is checked against the text of its source.

A quote matches when it occurs in the seed text after both are brought to one form that
forgives only what carries no meaning: runs of white space, typographic against straight
quotes and dashes, non-breaking spaces, markdown link syntax and footnote markers. A quote
that is not found is reported with the nearest passage of the source and the words that
differ, or with the other source it was taken from, so the author can see the slip at once.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path

from briefing.content import Content
from briefing.errors import ContentError, Problem
from briefing.load import FileRefused, read_limited
from briefing.project import Project

_LINK = re.compile(r"\[([^\]\n]*)\]\([^)\s]*\)")
_SPACE = re.compile(r"\s+")
_FOOTNOTE = re.compile(r"[\u00b9\u00b2\u00b3\u2070-\u2079]+|\[\^?\d+\]")
MIN_WORDS = 3
"""A quote shorter than this says too little to be checked against a source."""
MAX_SEED_BYTES = 10_000_000
"""The largest seed text read: a whole book is a few megabytes of plain text."""
_FOLD = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u00b4`", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
        **dict.fromkeys("\u00a0\u202f\u2007\u2009\u200a\u2002\u2003", " "),
        **dict.fromkeys("\u200b\u200c\u200d\u2060\ufeff\u00ad", ""),
        "\u2026": "...",
    }
)


@dataclass(frozen=True)
class SeedText:
    """A source's text in matching form, with a map back to lines of the original file."""

    file: Path
    folded: str
    lines: list[int]
    digest: str = ""
    text: str = ""
    """The text as read, for showing a quotation in its paragraph (see fold_with_offsets)."""

    @classmethod
    def read(cls, file: Path) -> SeedText:
        """Read and fold a seed file once; every quote from it is matched against this.

        Raises FileRefused for anything but a regular file of at most MAX_SEED_BYTES.
        """
        raw = read_limited(file, MAX_SEED_BYTES)
        text = raw.decode("utf-8")
        folded, lines = fold_with_lines(text)
        return cls(file, folded, lines, hashlib.sha256(raw).hexdigest(), text)

    def find(self, quote: str) -> int:
        """Where the quote starts in the folded text, or -1.

        It must match whole words: "addressed" is not found inside "unaddressed", and a quote
        that folds to less than MIN_WORDS words is never found.
        """
        wanted = fold(quote)
        if len(wanted.split()) < MIN_WORDS:
            return -1
        start = self.folded.find(wanted)
        while start >= 0:
            end = start + len(wanted)
            before = self.folded[start - 1] if start else " "
            after = self.folded[end] if end < len(self.folded) else " "
            if not (wanted[0].isalnum() and before.isalnum()) and not (
                wanted[-1].isalnum() and after.isalnum()
            ):
                return start
            start = self.folded.find(wanted, start + 1)
        return -1

    def line_at(self, index: int) -> int:
        """The line of the original file that holds folded position `index`."""
        return self.lines[min(index, len(self.lines) - 1)] if self.lines else 1

    def nearest(self, quote: str) -> tuple[str, int]:
        """The passage most like `quote`, and the line it starts on."""
        wanted = fold(quote)
        words = [m.start() for m in re.finditer(r"\S+", self.folded)]
        if not words:
            return "", 1
        span = max(1, len(wanted.split()))
        best, best_at = -1.0, 0
        matcher = difflib.SequenceMatcher(autojunk=False)
        matcher.set_seq2(wanted)
        for index, start in enumerate(words):
            end = words[index + span] if index + span < len(words) else len(self.folded)
            matcher.set_seq1(self.folded[start:end])
            if matcher.real_quick_ratio() <= best or matcher.quick_ratio() <= best:
                continue
            ratio = matcher.ratio()
            if ratio > best:
                best, best_at = ratio, index
        start = words[best_at]
        end = words[best_at + span] if best_at + span < len(words) else len(self.folded)
        return self.folded[start:end].strip(), self.line_at(start)


def _normalise(text: str) -> str:
    """Link syntax and footnote markers out, then NFKC over the whole text (so that a
    composed and a decomposed accent read alike), shared by both ways of folding."""
    return unicodedata.normalize("NFKC", _FOOTNOTE.sub("", _LINK.sub(lambda m: m.group(1), text)))


def fold(text: str) -> str:
    """Bring text to the form quotes are matched in (as fold_with_lines, without the lines)."""
    return _SPACE.sub(" ", _normalise(text).translate(_FOLD)).strip()


def _fold_indexed(shown: str) -> tuple[str, list[int]]:
    """Fold normalised text; for each folded character, its index in `shown`."""
    out: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(shown):
        for piece in char.translate(_FOLD):
            if piece.isspace() and (not out or out[-1] == " "):
                continue
            out.append(" " if piece.isspace() else piece)
            offsets.append(index)
    if out and out[-1] == " ":
        out.pop()
        offsets.pop()
    return "".join(out), offsets


def fold_with_lines(text: str) -> tuple[str, list[int]]:
    """Fold text, and give for each folded character the original line it came from."""
    shown = _normalise(text)
    folded, offsets = _fold_indexed(shown)
    # The line of each character of `shown`: 1 and the line breaks up to it, itself included.
    lines = list(accumulate((char == "\n" for char in shown), initial=1))[1:]
    return folded, [lines[index] for index in offsets]


def fold_with_offsets(text: str) -> tuple[str, str, list[int]]:
    """Fold text as fold_with_lines does, keeping where each folded character came from.

    Returns the text as shown (link syntax and footnote markers out, NFKC, typographic
    quotes and dashes kept), its folded form (the same as fold_with_lines gives) and, for
    each folded character, its index in the shown text: the review edition marks a
    quotation in its source's own characters, not in the folded ones it was matched in.
    """
    shown = _normalise(text)
    return shown, *_fold_indexed(shown)


_KEPT_AROUND = 4
"""Words kept either side of a change when word_diff shortens a run of equal words."""


def word_diff(wanted: str, found: str) -> str:
    """The words of `wanted` changed into those of `found`, wdiff-style: `[-old-]{+new+}`.

    Shown under a quote that is not found, so the slip (a changed, dropped or added word)
    is read at once rather than hunted for. Runs of equal words are shortened to the few
    next to a change.
    """
    old, new = wanted.split(), found.split()
    opcodes = difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes()
    pieces: list[str] = []
    for number, (tag, a1, a2, b1, b2) in enumerate(opcodes):
        if tag == "equal":
            pieces += _around_changes(
                old[a1:a2], first=number == 0, last=number == len(opcodes) - 1
            )
            continue
        if a2 > a1:
            pieces.append(f"[-{' '.join(old[a1:a2])}-]")
        if b2 > b1:
            pieces.append(f"{{+{' '.join(new[b1:b2])}+}}")
    return " ".join(pieces)


def _around_changes(same: list[str], *, first: bool, last: bool) -> list[str]:
    """A run of equal words, cut to the words next to the changes before and after it."""
    if first and last:  # no change in the words: the quote differs inside a word
        return same
    keep = _KEPT_AROUND
    head = [] if first else same[:keep]
    tail = [] if last else same[-keep:]
    if len(same) <= len(head) + len(tail) + 1:
        return same
    return [*head, "\u2026", *tail]


@dataclass(frozen=True)
class Located:
    """A verified quotation and the line of its source where it starts."""

    source: str
    quote: str
    line: int
    at: int = -1
    """Where it starts in the folded text of its source."""


@dataclass(frozen=True)
class Verification:
    """What checking the quotes found."""

    found: list[Located]
    failures: list[Problem]
    unverified: frozenset[tuple[str, str]]
    """(source, quote) pairs not found, which a draft build marks instead of refusing."""
    seed_digests: dict[str, str]
    """Each source's seed text as it was checked, by source id, for the build cache."""
    seeds: dict[str, SeedText] = field(default_factory=dict)
    """The seed texts as checked, by source id, for reading quotations in context."""

    @property
    def verified(self) -> int:
        return len(self.found)


def read_seeds(content: Content, project: Project) -> dict[str, SeedText]:
    """Every source's text, read once; a seed that cannot be read is a content error.

    A seed must be a file in the seeds folder, and that folder must lie in the project: a
    symlink out of either (as a shared or cloned project can carry) is refused before the
    file it points at is opened, since quote checks show passages of a seed's text.
    """
    seeds: dict[str, SeedText] = {}
    problems = []
    for source in content.sources.values():
        file = project.seeds / source.seed
        try:
            seeds[source.id] = SeedText.read(_contained_seed(file, project))
        except _OutsideSeeds as error:
            problems.append(
                Problem(
                    file,
                    None,
                    None,
                    f"cannot read seed text: {error}",
                    "copy the source's text into the seeds folder instead of linking to it",
                    "B302",
                )
            )
        except FileRefused as refused:
            hint = (
                "a seed holds one source's text; keep only that"
                if refused.too_large
                else "put the source's text in a plain file of this name"
            )
            problems.append(
                Problem(file, None, None, f"cannot read seed text: {refused}", hint, "B302")
            )
        except (OSError, UnicodeDecodeError) as error:
            problems.append(
                Problem(file, None, None, f"cannot read seed text: {error}", code="B302")
            )
    if problems:
        raise ContentError(problems)
    return seeds


class _OutsideSeeds(Exception):
    """A seed, or the seeds folder, is a symlink that leads out of the project."""


def _contained_seed(file: Path, project: Project) -> Path:
    """The seed's real path, checked to lie in the seeds folder, itself in the project."""
    try:
        folder = project.seeds.resolve()
        real = file.resolve()
    except RuntimeError:  # how Python 3.11 reports a symlink loop
        raise _OutsideSeeds(f"'{file.name}' or its folder is a symlink loop") from None
    if not folder.is_relative_to(project.root.resolve()):
        raise _OutsideSeeds(f"the seeds folder is a link to '{folder}', outside the project")
    if not real.is_relative_to(folder):
        raise _OutsideSeeds(f"'{file.name}' is a link to '{real}', outside the seeds folder")
    return real


def verify_quotes(content: Content, project: Project) -> Verification:
    """Check every quote in the content; collect every failure rather than stop at one."""
    seeds = read_seeds(content, project)
    failures: list[Problem] = []
    found: list[Located] = []
    unverified: set[tuple[str, str]] = set()
    for document, path, evidence in content.evidence():
        source = content.sources[evidence.source]
        seed = seeds[source.id]
        at = seed.find(evidence.quote)
        if at >= 0:
            found.append(Located(source.id, evidence.quote, seed.line_at(at), at))
            continue
        unverified.add((evidence.source, evidence.quote))
        failures.append(
            document.problem(
                (*path, "quote"),
                f"quote not found in source '{source.id}' ({source.seed})",
                _what_differs(evidence.quote, source.id, seeds, content),
                code="B301",
            )
        )
    digests = {source_id: seed.digest for source_id, seed in seeds.items()}
    return Verification(found, failures, frozenset(unverified), digests, seeds)


def _what_differs(quote: str, source_id: str, seeds: dict[str, SeedText], content: Content) -> str:
    """The hint under a quote not found: the source it is verbatim in, if it is in another;
    else the nearest passage of its own source and, word by word, how the quote differs."""
    for other_id, other in seeds.items():
        at = other.find(quote) if other_id != source_id else -1
        if at >= 0:
            name = content.sources[other_id].seed
            return (
                f"it is verbatim in source '{other_id}' ({name} line {other.line_at(at)}): "
                f"give 'source: {other_id}' if that is where it comes from"
            )
    seed = seeds[source_id]
    passage, line = seed.nearest(quote)
    hint = f"nearest passage, {content.sources[source_id].seed} line {line}: \u201c{passage}\u201d"
    if passage:
        hint += f"\n    differs: {word_diff(fold(quote), passage)}"
    return hint
