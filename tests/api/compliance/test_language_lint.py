"""language_lint: the forbidden phrasings every outbound text (and every template) is checked for."""

import pytest

from api.compliance.language_lint import Category, lint


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("A warrant will be issued for your arrest.", Category.THREAT_OF_ARREST),
        ("You could go to jail.", Category.THREAT_OF_ARREST),
        ("We will take legal action.", Category.LEGAL_THREAT),
        ("A lawsuit will be filed.", Category.LEGAL_THREAT),
        ("We will garnish your wages.", Category.GARNISHMENT),
        ("This is your FINAL NOTICE.", Category.FALSE_URGENCY),
        ("Act   now or else.", Category.FALSE_URGENCY),
        ("Pay, you idiot.", Category.PROFANITY),
    ],
)
def test_forbidden_phrasings_are_found(text: str, category: str) -> None:
    assert category in lint(text)


@pytest.mark.parametrize(
    "text",
    [
        "Hi Sue, your plan is set up.",
        "Your next payment of $50.00 is due on 1 December.",
        "Reply STOP to opt out.",
        "We can set up a payment plan that works for you.",
    ],
)
def test_ordinary_collection_messages_are_clean(text: str) -> None:
    assert lint(text) == [] and lint(text, time_barred=True) == []


def test_1006_26_b_time_barred_texts_may_not_mention_suing_or_court() -> None:
    assert lint("You could be taken to court.") == []
    assert lint("You could be taken to court.", time_barred=True) == [Category.TIME_BARRED_LEGAL_MENTION]
    assert lint("we may sue", time_barred=True) == [Category.TIME_BARRED_LEGAL_MENTION]


def test_the_time_barred_disclosure_itself_is_allowed() -> None:
    disclosure = (
        "The law limits how long you can be sued on a debt. "
        "Because of the age of your debt, we will not sue you for it."
    )

    assert lint(disclosure, time_barred=True) == []
