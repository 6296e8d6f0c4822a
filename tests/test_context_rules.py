"""Each context flag on hand-made passages: where it must fire, and where it must stay quiet.

Precision over recall: every rule is shown a passage of the kind it exists for and the
near-misses it must not take for one (a contrast that only adds, a cut with nothing
qualifying dropped, a view the claim already attributes).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.context_rules import (
    Window,
    attributed_to_others,
    conceded,
    contrast_follows,
    cut_before_qualifier,
    rejected_in_sentence,
    unquoted_numbers,
)
from briefing.sentences import Layout
from briefing.verify import SeedText, fold, fold_with_lines

CLAIM = "A claim in the memo's own words."


def placed(text: str, quote: str) -> Window:
    """A quotation placed in a hand-made source text."""
    folded, lines = fold_with_lines(text)
    seed = SeedText(Path("hand-made.txt"), folded, lines, text=text)
    at = seed.find(quote)
    assert at >= 0, f"{quote!r} is not in the passage"
    return Window(Layout.of(seed), at, at + len(fold(quote)))


def span_of(window: Window, quote: str) -> tuple[int, int]:
    start = window.layout.folded.find(fold(quote))
    return start, start + len(fold(quote))


# W301: the next sentence turns against the quotation.


@pytest.mark.parametrize(
    ("text", "quote"),
    [
        (
            "The Taliban value international recognition. However, they do not perceive it as "
            "a benefit to be gained through negotiations.",
            "The Taliban value international recognition.",
        ),
        (
            "Sanctions have weakened the regime's finances.\n\nBut the regime has found new "
            "streams of revenue.",
            "Sanctions have weakened the regime's finances.",
        ),
        (
            "The common front has held for three years. Yet efforts to isolate the regime have "
            "clearly failed.",
            "The common front has held for three years.",
        ),
        (
            "Donors have little room to give aid. This view, however, is changing fast.",
            "Donors have little room to give aid.",
        ),
        (
            "Pressure has been applied for years. Still, nothing has changed in Kabul.",
            "Pressure has been applied for years.",
        ),
    ],
)
def test_contrast_after_the_quotation_fires(text: str, quote: str) -> None:
    message = contrast_follows(placed(text, quote), [])
    assert message is not None
    assert "next sentence turns against it" in message


@pytest.mark.parametrize(
    ("text", "quote"),
    [
        (  # a turn that adds to what was quoted rather than undoing it
            "The United States has withheld recognition. Yet it has also been the largest "
            "donor of humanitarian assistance.",
            "The United States has withheld recognition.",
        ),
        (  # after a negation, "Rather" goes on in the same direction
            "They do not perceive recognition as a reward. Rather, they believe it is their right.",
            "They do not perceive recognition as a reward.",
        ),
        (  # no contrast at all
            "Sanctions have weakened the regime. Moreover, aid has been cut.",
            "Sanctions have weakened the regime.",
        ),
        (  # "still" inside the sentence is not a turn
            "Sanctions have weakened the regime. It is still early to judge the result.",
            "Sanctions have weakened the regime.",
        ),
        (  # the last sentence of the text has nothing after it
            "Sanctions have weakened the regime.",
            "Sanctions have weakened the regime.",
        ),
    ],
)
def test_no_contrast_no_flag(text: str, quote: str) -> None:
    assert contrast_follows(placed(text, quote), []) is None


def test_a_claim_that_also_quotes_the_turn_is_not_flagged() -> None:
    text = (
        "The Taliban value international recognition. However, they do not perceive it as a "
        "benefit to be gained through negotiations."
    )
    window = placed(text, "The Taliban value international recognition.")
    turn = span_of(window, "they do not perceive it as a benefit")
    assert contrast_follows(window, [turn]) is None


MALEJACQ = frozenset({"malejacq"})
SOURCES = frozenset({"malejacq", "usip"})


@pytest.mark.parametrize(
    "claim",
    [
        "Malejacq concedes that it will not change the regime.",
        "Even Malejacq, who favors engagement, doubts it.",
        "Even a critic of isolation such as Malejacq rejects recognition.",
        "Its own author admits that it will not change the regime. USIP agrees.",
    ],
)
def test_a_concession_by_this_source(claim: str) -> None:
    assert conceded(claim, MALEJACQ, SOURCES)


@pytest.mark.parametrize(
    "claim",
    [
        "It will not change the regime, as Malejacq says.",
        "USIP concedes this, and in a later article of another kind Malejacq expects no change.",
        "Even a critic of isolation such as USIP rejects recognition, and Malejacq doubts it.",
    ],
)
def test_no_concession_by_this_source(claim: str) -> None:
    assert not conceded(claim, MALEJACQ, SOURCES)


# W302: the sentence rejects what was quoted.


@pytest.mark.parametrize(
    ("text", "quote", "shown"),
    [
        (
            "Yet efforts to have the Taliban change its ways by isolating the regime have "
            "clearly failed.",
            "efforts to have the Taliban change its ways by isolating",
            "the regime have clearly failed.",
        ),
        (
            "Engagement without any conditions at all is misguided.",
            "Engagement without any conditions at all",
            "is misguided.",
        ),
        (
            "Withholding aid until the schools reopen has not worked.",
            "Withholding aid until the schools reopen",
            "has not worked.",
        ),
        (
            "The policy rests on the mistaken belief that sanctions change behaviour.",
            "sanctions change behaviour",
            "the mistaken belief that",
        ),
        (
            "It is a myth that isolation protects the rights of women.",
            "isolation protects the rights of women",
            "It is a myth that",
        ),
    ],
)
def test_rejection_in_the_same_sentence_fires(text: str, quote: str, shown: str) -> None:
    message = rejected_in_sentence(placed(text, quote))
    assert message is not None
    assert shown in message


@pytest.mark.parametrize(
    ("text", "quote"),
    [
        (  # the whole sentence, rejection included, is quoted
            "Efforts to isolate the regime have clearly failed.",
            "Efforts to isolate the regime have clearly failed.",
        ),
        (
            "Efforts to isolate the regime have clearly succeeded in one respect.",
            "Efforts to isolate the regime",
        ),
        (  # a failure named in the next sentence is W301's business, not this rule's
            "Efforts to isolate the regime continue. They have failed.",
            "Efforts to isolate the regime continue.",
        ),
        (
            "It is a fact that isolation protects nobody in Kabul.",
            "isolation protects nobody in Kabul",
        ),
    ],
)
def test_no_rejection_no_flag(text: str, quote: str) -> None:
    assert rejected_in_sentence(placed(text, quote)) is None


# W303: cut where the sentence goes on to qualify, or begins by conditioning.


@pytest.mark.parametrize(
    ("text", "quote", "shown"),
    [
        (
            "Humanitarian aid is saving lives, while punitive policies simultaneously hamstring "
            "the Afghan economy.",
            "Humanitarian aid is saving lives",
            "while punitive policies",
        ),
        (
            "Engagement can help the population, but only if the Taliban reciprocate.",
            "Engagement can help the population",
            "but only if",
        ),
        (
            "A permanent embassy would help unless the Taliban close girls' schools again.",
            "A permanent embassy would help",
            "unless the Taliban",
        ),
        (
            "While this can be seen as a form of symbolic support, so far it has had no "
            "tangible effect.",
            "While this can be seen as a form of symbolic support",
            "so far it has had no",
        ),
        (
            "If the United States asks for nothing in return, engagement will empower the regime.",
            "engagement will empower the regime",
            "If the United States asks for nothing in return",
        ),
    ],
)
def test_cut_before_a_qualifier_fires(text: str, quote: str, shown: str) -> None:
    message = cut_before_qualifier(placed(text, quote), [])
    assert message is not None
    assert shown in message


@pytest.mark.parametrize(
    ("text", "quote"),
    [
        (  # a cut that drops nothing qualifying
            "Aid saves lives in the provinces and in the capital.",
            "Aid saves lives in the provinces",
        ),
        (  # "but also" goes on in the same direction
            "They see their treatment as unjust but also as generally unfair.",
            "They see their treatment as unjust",
        ),
        (  # "but rather" likewise
            "Talks should not focus on political issues, but rather on technical ones.",
            "Talks should not focus on political issues",
        ),
        (  # the main clause of a concessive sentence stands on its own
            "Although Washington accuses Kabul of links to al-Qaeda, the two share an enemy.",
            "the two share an enemy",
        ),
        (  # the whole sentence
            "Engagement can help, but only if the Taliban reciprocate.",
            "Engagement can help, but only if the Taliban reciprocate.",
        ),
    ],
)
def test_no_qualifier_dropped_no_flag(text: str, quote: str) -> None:
    assert cut_before_qualifier(placed(text, quote), []) is None


def test_a_dropped_qualifier_quoted_elsewhere_in_the_claim_is_not_flagged() -> None:
    text = "Humanitarian aid is saving lives, while punitive policies hamstring the economy."
    window = placed(text, "Humanitarian aid is saving lives")
    rest = span_of(window, "punitive policies hamstring the economy")
    assert cut_before_qualifier(window, [rest]) is None


# W304: the view is someone else's.


@pytest.mark.parametrize(
    ("text", "quote"),
    [
        (
            "Some voices urge less engagement. They argue that more engagement lends legitimacy "
            "to the regime.",
            "more engagement lends legitimacy to the regime",
        ),
        ("Critics argue that aid props up the regime in Kabul.", "aid props up the regime"),
        ("It is often argued that aid props up the regime.", "aid props up the regime"),
        ("Aid props up the regime in Kabul, critics say.", "Aid props up the regime in Kabul"),
        (
            "Most experts and diplomats therefore assumed that the Taliban were in a position "
            "of weakness.",
            "the Taliban were in a position of weakness",
        ),
        (
            "Proponents of engagement claim that trust will follow regular contact.",
            "trust will follow regular contact",
        ),
    ],
)
def test_a_view_given_to_others_fires(text: str, quote: str) -> None:
    message = attributed_to_others(placed(text, quote), CLAIM)
    assert message is not None
    assert "gives this view to others" in message


@pytest.mark.parametrize(
    ("text", "quote"),
    [
        (  # the author's own voice
            "Aid props up the regime in Kabul, and everyone in Kabul knows it.",
            "Aid props up the regime in Kabul",
        ),
        (  # the sentence turns to another voice before the quotation
            "Critics argue that aid props up the regime, but the evidence shows that aid saves "
            "lives.",
            "the evidence shows that aid saves lives",
        ),
        (  # a named scholar the author quotes in agreement
            "Political scientist Dipali Mukhopadhyay points out that aid insulates regimes.",
            "aid insulates regimes",
        ),
        (  # the attribution is in another sentence
            "Critics argue otherwise. Aid saves lives in the provinces.",
            "Aid saves lives in the provinces.",
        ),
    ],
)
def test_the_authors_own_view_no_flag(text: str, quote: str) -> None:
    assert attributed_to_others(placed(text, quote), CLAIM) is None


def test_a_claim_that_says_whose_view_it_is_is_not_flagged() -> None:
    window = placed(
        "Critics argue that aid props up the regime in Kabul.", "aid props up the regime"
    )
    assert (
        attributed_to_others(window, "Critics cited by USIP say aid props up the regime.") is None
    )
    assert attributed_to_others(window, "Some voices want aid stopped.") is None
    assert attributed_to_others(window, "Aid props up the regime.") is not None


# W306: numbers and dates the quotations do not contain.


def test_a_date_no_quotation_gives_is_found() -> None:
    quotes = ["26.8 percent of the overall $3.2 billion required"]
    claim = "As of early 2025 the plan had received 26.8 percent of $3.2 billion."
    assert unquoted_numbers(claim, quotes, set()) == ["2025"]


def test_a_number_in_the_quotations_is_not_flagged_whichever_way_it_is_written() -> None:
    assert unquoted_numbers("about three years in", ["Three years in, little to show"], set()) == []
    assert unquoted_numbers("about 3 years in", ["Three years in, little to show"], set()) == []
    assert unquoted_numbers("4,300 fighters", ["some 4300 fighters"], set()) == []


def test_a_month_counts_when_the_claim_dates_it() -> None:
    quotes = ["As of August, the 2023 plan had received only a quarter"]
    assert unquoted_numbers("by August 2023 the plan", quotes, set()) == []
    assert unquoted_numbers("by May 2023 the plan", quotes, set()) == ["May"]
    assert unquoted_numbers("the plan may be revised", quotes, set()) == []


def test_a_year_the_sources_date_gives_is_not_flagged() -> None:
    assert unquoted_numbers("USIP, writing in 2023, said so", ["it said so"], {"2023"}) == []
    assert unquoted_numbers("Malejacq (2024) said so", ["it said so"], {"2023"}) == ["2024"]
