"""Seed texts cut into paragraphs and sentences, as the context flags and the review read them."""

from __future__ import annotations

from pathlib import Path

from briefing.sentences import Layout
from briefing.verify import SeedText, fold_with_lines

ROOT = Path(__file__).resolve().parent.parent


def layout_of(text: str) -> Layout:
    folded, lines = fold_with_lines(text)
    return Layout.of(SeedText(Path("hand-made.txt"), folded, lines, text=text))


def sentences(text: str) -> list[str]:
    layout = layout_of(text)
    return [layout.text(number) for number in range(len(layout.sentences))]


def test_abbreviations_and_initials_do_not_end_a_sentence() -> None:
    text = (
        "U.S. policymakers met Dr. Marvin G. Weinbaum in Kabul on Aug. 20, 2021. "
        "They spoke of the U.S. The talks went well."
    )
    assert sentences(text) == [
        "U.S. policymakers met Dr. Marvin G. Weinbaum in Kabul on Aug. 20, 2021.",
        "They spoke of the U.S.",
        "The talks went well.",
    ]


def test_quotes_and_brackets_close_a_sentence() -> None:
    text = "He asked, \u201cShould we?\u201d Nobody answered. (It was late.) Then they left."
    assert sentences(text) == [
        'He asked, "Should we?"',
        "Nobody answered.",
        "(It was late.)",
        "Then they left.",
    ]


def test_long_lines_are_paragraphs_and_wrapped_lines_are_not() -> None:
    long = "A sentence that is long enough to be a paragraph of its own on one line. " * 3
    pasted = layout_of(f"{long.strip()}\n{long.strip()}")
    assert len(pasted.paragraphs) == 2
    wrapped = layout_of("A short line that\nwraps onto the next.\n\nA new paragraph here.")
    assert len(wrapped.paragraphs) == 2
    trailing = layout_of("A short line that  \nwraps onto the next.  \n \nA new paragraph.")
    assert [trailing.text(n) for n in range(2)] == [
        "A short line that wraps onto the next.",
        "A new paragraph.",
    ]
    assert [s.paragraph for s in trailing.sentences] == [0, 1]
    assert wrapped.sentences[0].paragraph == 0
    assert wrapped.text(0) == "A short line that wraps onto the next."


def test_every_seed_is_cut_into_sentences_that_cover_its_text() -> None:
    for file in sorted((ROOT / "seeds").glob("*.txt")):
        layout = Layout.of(SeedText.read(file))
        assert layout.sentences, file.name
        covered = " ".join(layout.text(n) for n in range(len(layout.sentences)))
        assert covered == layout.folded, file.name
