"""The answer to the crisis check-in: anything but a clear no leads to crisis support."""

import pytest

from bot.distress.check_in import NO, YES, check_in_answer


@pytest.mark.parametrize(
    ("text", "intent", "level"),
    [
        ("yes", "affirm", "none"),
        ("yeah sometimes", "affirm", "elevated"),
        ("no... maybe sometimes", "deny", "none"),  # a yes cue wins over a no cue
        ("im not ok", "deny", "none"),
        ("idk honestly", "nlu_fallback", "none"),
        ("not sure", "deny", "none"),
        ("why are you asking me that", "out_of_scope", "none"),
        ("can i talk to a real person", "request_human", "none"),
        ("ok bye", "goodbye", "none"),
        ("i have been", None, None),
        ("no but i gave my dog away yesterday", "deny", "crisis_check"),  # another warning sign
        ("its all too much", "financial_hardship", "high"),
        ("im not suicidal but i want to die some days", "deny", "crisis"),  # the denial, then a sign
        ("no im not suicidal, not sure what i am anymore", "deny", "crisis"),  # unsure beside it
        ("im not thinking about suicide, im past thinking, i have the pills", "deny", "crisis"),
    ],
)
def test_anything_but_a_clear_no_is_a_yes(text, intent, level):
    assert check_in_answer(text, intent, level) == YES


@pytest.mark.parametrize(
    ("text", "intent", "level"),
    [
        ("no", "deny", "none"),
        ("nah im ok, just stressed", "deny", "elevated"),
        ("no im fine thanks", "deny", "none"),
        ("I'm alright, honestly", "affirm", "none"),  # "alright" reads as affirm; the words say no
        ("of course not lol", "deny", "none"),
        ("what? i just want my balance", "check_balance", "none"),
        ("can i pay 50 on friday", "offer_payment", "elevated"),
        # heldout12 437: the question denied in so many words, its own word giving a crisis signal
        ("no, im not suicidal or anything, just really worn out from bills and work", "deny", "crisis"),
        ("I'm not thinking about ending my life, I'm just exhausted", "financial_hardship", "crisis"),
    ],
)
def test_a_negation_or_a_calm_message_that_moves_on_is_a_no(text, intent, level):
    assert check_in_answer(text, intent, level) == NO
