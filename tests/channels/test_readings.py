"""channels.readings: what the NLU could not place, read by its words (heldout9's blind run)."""

from __future__ import annotations

from typing import Any

import pytest

from channels.guards import guarded
from channels.readings import (
    SURE,
    all_paid_now,
    amount_on_the_table,
    attorney_detailed,
    balance_asked,
    birth_date_alone,
    cents_not_a_date,
    charges_asked,
    claim_detailed,
    closing,
    consequences_asked,
    counter_offered,
    countered_unsaid,
    dates_joined,
    days_limited,
    disputed_in_words,
    due_date_asked,
    flag_named,
    frequency_in_time,
    hard_times,
    link_asked,
    lookup_asked,
    next_steps_asked,
    number_asked,
    opening_about_the_account,
    opening_yes,
    paid_already,
    plan_asked,
    plan_in_words,
    plan_taken,
    promise_in_words,
    promise_unsaid,
    rating_given,
    read_by_words,
    settlement_in_words,
    someone_else,
    texts_stopped,
    thanks_last,
    us_unknown,
    validation_asked,
)


def parse(text: str, *ranking: tuple[str, float]) -> dict[str, Any]:
    entries = [{"name": name, "confidence": confidence} for name, confidence in ranking]
    return {"text": text, "intent": entries[0], "intent_ranking": entries, "entities": []}


@pytest.mark.parametrize(
    "text",
    [
        "hey i sent 500 by zelle last friday, did you get it??",
        "my husband paid it online on the 2nd",
        "did you guys get my payment",
        "did it go through? i made a payment yesterday",
    ],
)
def test_a_payment_said_to_be_made_is_already_paid(text: str) -> None:
    unplaced = parse(text, ("nlu_fallback", 0.6), ("promise_to_pay", 0.24), ("already_paid", 0.1))
    promised = parse(text, ("promise_to_pay", 0.7))

    assert paid_already(unplaced)["intent"] == {"name": "already_paid", "confidence": 0.6}
    assert paid_already(unplaced)["intent_ranking"][0]["name"] == "already_paid"
    assert paid_already(promised)["intent"]["name"] == "already_paid"


@pytest.mark.parametrize(
    ("text", "ranking"),
    [
        ("i paid 200 last month and will pay the rest friday", ("nlu_fallback", 0.6)),
        ("can i pay 100 tomorrow", ("nlu_fallback", 0.6)),
        ("i sent it friday", ("promise_to_pay", 0.92)),  # the NLU is sure: it stands
        ("i already paid", ("already_paid", 0.99)),
    ],
)
def test_paying_later_or_a_sure_reading_stays(text: str, ranking: tuple[str, float]) -> None:
    found = parse(text, ranking)
    assert paid_already(found) is found


def test_a_question_about_the_charges_asks_where_the_total_comes_from() -> None:
    """heldout9 325: out of scope at 0.76, so "Sorry, I can't help with that"."""
    asked = parse(
        "why is there 85 bucks of interest on top of it?? where does that come from", ("out_of_scope", 0.76)
    )
    told = parse("the fees are fine", ("out_of_scope", 0.9))
    placed = parse("what are the fees", ("check_balance", 0.9))

    assert charges_asked(asked)["intent"] == {"name": "check_balance", "confidence": 0.76}
    assert charges_asked(told) is told  # no question
    assert charges_asked(placed) is placed


@pytest.mark.parametrize(
    "text",
    [
        "why is it way more than i actually spent on that card? whats all the extra stuff on top",
        "how come its so high",
        "what got added on",
        "why is it 1320 when i only ever spent like 900 on that card",  # heldout16 573
    ],
)
def test_a_question_about_what_was_added_asks_where_the_total_comes_from(text: str) -> None:
    """heldout10 357: out of scope at 1.00."""
    assert charges_asked(parse(text, ("out_of_scope", 1.0)))["intent"]["name"] == "check_balance"


def test_a_message_ending_in_a_goodbye_is_the_goodbye() -> None:
    """heldout9 332: "... i'll think about it, thats all for now" got "did you mean" buttons."""
    text = "ok that's the er visit from last year. i'll think about it, thats all for now"
    unplaced = parse(text, ("nlu_fallback", 0.6), ("goodbye", 0.21))
    asking = parse("thats all for now? what about the fees", ("nlu_fallback", 0.6))

    assert closing(unplaced)["intent"]["name"] == "goodbye"
    assert closing(asking) is asking
    cheers = parse("Cheers, that's everything I needed for today.", ("nlu_fallback", 0.6))
    assert closing(cheers)["intent"]["name"] == "goodbye"  # heldout12 445: buttons
    assert guarded(unplaced)["intent"]["name"] == "goodbye"
    leaving = parse("thx, signing off for now", ("thank_you", 0.97))  # heldout21 727: "You're welcome."
    assert closing(leaving)["intent"]["name"] == "goodbye"
    thanks = parse("thanks so much", ("thank_you", 0.99))
    assert closing(thanks) is thanks
    for night in ("Thanks, night", "gracias, buenas noches", "ok gnight"):  # heldout26 877, 870
        assert closing(parse(night, ("thank_you", 0.95)))["intent"]["name"] == "goodbye"
    tonight = parse("i can pay tonight", ("nlu_fallback", 0.6))
    assert closing(tonight) is tonight
    later = parse("alright I'll look it over tonight and get back to you. later", ("nlu_fallback", 0.6))
    assert closing(later)["intent"]["name"] == "goodbye"  # heldout25 860: buttons
    paying_later = parse("i can only pay it later", ("nlu_fallback", 0.6))
    assert closing(paying_later) is paying_later


def test_an_ok_ending_in_thanks_with_nothing_asked_is_the_thanks() -> None:
    """heldout9 325: "ugh ok, makes sense i guess. thanks" got "Okay. How can I help with your account?"."""
    said = parse("ugh ok, makes sense i guess. thanks", ("affirm", 0.76), ("thank_you", 0.12))

    assert thanks_last(said, bot_asked=False)["intent"] == {"name": "thank_you", "confidence": 0.76}
    assert thanks_last(said, bot_asked=True) is said  # an answer to the question, with thanks
    unplaced = parse("ugh ok, makes sense i guess. thanks", ("nlu_fallback", 0.6), ("offer_payment", 0.2))
    assert thanks_last(unplaced, bot_asked=False)["intent"]["name"] == "thank_you"
    plain = parse("ok", ("affirm", 0.9))
    assert thanks_last(plain, bot_asked=False) is plain


def test_thanks_then_something_the_debtor_will_do_is_the_thanks() -> None:
    """heldout29 971: "ok. thank u, ill keep an eye out for it" after the validation information: buttons."""
    said = parse("ok. thank u, ill keep an eye out for it", ("nlu_fallback", 0.6), ("already_paid", 0.3))
    asked = parse("thanks, will i get it by mail?", ("nlu_fallback", 0.6))

    assert thanks_last(said, bot_asked=False)["intent"]["name"] == "thank_you"
    assert thanks_last(asked, bot_asked=False) is asked


def test_an_amount_without_a_day_with_terms_on_the_table_is_an_offer() -> None:
    """heldout4 172: "ok 332.50 then, deal" to a $332.50 settlement was asked which day."""
    deal = {**parse("ok 332.50 then, deal", ("promise_to_pay", 0.82)), "entities": [{"entity": "amount"}]}
    dated = {**deal, "entities": [{"entity": "amount"}, {"entity": "date"}]}

    assert amount_on_the_table(deal, offer_pending=True)["intent"] == {
        "name": "offer_payment",
        "confidence": 0.82,
    }
    assert amount_on_the_table(deal, offer_pending=False) is deal
    assert amount_on_the_table(dated, offer_pending=True) is dated


def test_the_balance_and_a_plan_asked_in_one_question_are_both() -> None:
    """heldout21 733: "i wanna know what i owe and whether i can pay every other week" got the balance
    alone."""
    text = "sorry. ACME-1001. i wanna know what i owe and whether i can pay every other week"
    asked = with_entities(parse(text, ("nlu_fallback", 0.6)), ("frequency", "every other week"))

    assert balance_asked(asked)["intent"]["name"] == "check_balance+request_payment_plan"
    owed = parse("so what do i owe now", ("nlu_fallback", 0.6))
    assert balance_asked(owed)["intent"]["name"] == "check_balance"


def test_an_amount_put_forward_with_a_day_with_terms_on_the_table_is_an_offer() -> None:
    """heldout21 720: to a $193.80 settlement by Dec 20, this was noted as a promise of $200 on Dec 20."""
    text = "how about 200 and we're done, i can pay it by the 20th"
    counter = with_entities(parse(text, ("promise_to_pay", 0.9)), ("amount", "200"), ("date", "by the 20th"))

    assert amount_on_the_table(counter, offer_pending=True)["intent"]["name"] == "offer_payment"
    assert amount_on_the_table(counter, offer_pending=False) is counter


def test_a_yes_opening_a_conversation_is_the_greeting() -> None:
    """dev 51: "yes hello this is sam" (affirm 0.78) got "Okay. How can I help with your account?"."""
    said = parse("yes hello this is sam", ("affirm", 0.78), ("greet", 0.09))

    assert opening_yes(said, opening=True)["intent"] == {"name": "greet", "confidence": 0.78}
    assert opening_yes(said, opening=False) is said  # a yes to something the bot said (a reminder)


def test_a_question_about_the_due_date_asks_for_the_balance() -> None:
    """heldout4 169: "When was I supposed to have paid this by?" read as a payment already made."""
    asked = parse("When was I supposed to have paid this by?", ("already_paid", 0.82))
    paid = parse("i paid it when it was due", ("already_paid", 0.9))

    assert due_date_asked(asked)["intent"] == {"name": "check_balance", "confidence": 0.82}
    assert due_date_asked(paid) is paid


def test_an_unplaced_message_naming_its_best_guesss_flag_is_that_flag() -> None:
    """heldout6 245: the attorney named upfront (attorney 0.46, identity 0.45) was asked to verify."""
    text = (
        "Please direct all communication about ACME-1002 to my attorney, Marcus Oyelaran, at (312) 555-0164."
    )
    directed = parse(text, ("nlu_fallback", 0.6), ("has_attorney", 0.46), ("inform_identity", 0.45))
    unnamed = parse("talk to Marcus about it", ("nlu_fallback", 0.6), ("has_attorney", 0.46))
    weak = parse("my lawyer friend says hi", ("nlu_fallback", 0.6), ("has_attorney", 0.2))

    assert flag_named(directed)["intent"] == {"name": "has_attorney", "confidence": 0.6}
    assert [entry["name"] for entry in flag_named(directed)["intent_ranking"]] == [
        "has_attorney",
        "inform_identity",
    ]
    assert flag_named(unnamed) is unnamed
    assert flag_named(weak) is weak
    # identity facts read first are passed over: the reference says which account (this machine's training)
    facts_first = parse(text, ("nlu_fallback", 0.6), ("inform_identity", 0.45), ("has_attorney", 0.41))
    assert flag_named(facts_first)["intent"] == {"name": "has_attorney", "confidence": 0.6}


@pytest.mark.parametrize(
    ("reading", "text", "intent"),
    [
        (balance_asked, "now while im here what do i actually owe", "check_balance"),
        (link_asked, "ok send me the link for the full amount then", "make_payment"),
        (link_asked, "where's the link", "make_payment"),
        (days_limited, "oh and nothing on sundays either if u can help it 🙏", "contact_preferences"),
        (days_limited, "also sundays are off limits pls, thats church and family", "contact_preferences"),
        (days_limited, "only tuesdays or thursdays please", "contact_preferences"),
        # heldout12 440: the plan asked for beside the balance was lost
        (plan_in_words, "can i split it into payments bc money is tight rn 😩", "request_payment_plan"),
        (plan_in_words, "any chance i could pay it off in installments", "request_payment_plan"),
        (plan_in_words, "is a payment plan a thing u guys do", "request_payment_plan"),
    ],
)
def test_unplaced_requests_read_by_their_words(reading: Any, text: str, intent: str) -> None:
    """heldout11 392, 393, 396: each got the two-stage fallback's buttons."""
    assert reading(parse(text, ("nlu_fallback", 0.6), ("check_balance+make_payment", 0.45)))["intent"] == {
        "name": intent,
        "confidence": 0.6,
    }


@pytest.mark.parametrize(
    ("reading", "text"),
    [
        (days_limited, "i can pay on fridays only"),
        (days_limited, "i can do 50 every friday"),
        (link_asked, "the link you sent doesn't open"),
        (balance_asked, "i owe nothing"),
        (plan_in_words, "the payments went through already"),
    ],
)
def test_messages_without_those_words_stay_unplaced(reading: Any, text: str) -> None:
    found = parse(text, ("nlu_fallback", 0.6))
    assert reading(found) is found


def test_an_amount_read_as_a_settlement_with_terms_on_the_table_is_an_offer_unless_it_says_settle() -> None:
    """heldout11 397: "sorry i meant 75 not 57 lol typo" to $57 a month became a $75 settlement."""
    amounts = [{"entity": "amount", "value": "75"}, {"entity": "amount", "value": "57"}]
    typo = {**parse("sorry i meant 75 not 57 lol typo", ("settlement_offer", 0.52)), "entities": amounts}
    settle = {**parse("ok 400 to settle it", ("settlement_offer", 0.9)), "entities": amounts[:1]}

    assert amount_on_the_table(typo, offer_pending=True)["intent"]["name"] == "offer_payment"
    assert amount_on_the_table(typo, offer_pending=False) is typo
    assert amount_on_the_table(settle, offer_pending=True) is settle


@pytest.mark.parametrize("text", ["11.30.1978", "07 02 1990", "3/14/1985 🙏"])
def test_a_birth_date_alone_is_identity_facts_whatever_the_nlu_read(text: str) -> None:
    """heldout7 280: "11.30.1978" to the birth date question, read as a promise at 0.94, drew "I'm not
    getting this right"."""
    read = birth_date_alone(parse(text, ("promise_to_pay", 0.94)))
    assert read["intent"] == {"name": "inform_identity", "confidence": 0.94}


@pytest.mark.parametrize("text", ["12/20/2026", "12/20", "the 15th", "i was born 3/14/1985 and cant pay"])
def test_a_date_to_come_or_a_sentence_is_no_birth_date_alone(text: str) -> None:
    found = parse(text, ("promise_to_pay", 0.94))
    assert birth_date_alone(found) is found


def test_a_question_about_the_terms_on_the_table_asks_for_them_again() -> None:
    """heldout7 282: "so what would the plan look like?" right after the plan was offered: out of scope."""
    asked = parse("so what would the plan look like?", ("out_of_scope", 0.99))
    said = parse("the plan is fine i guess", ("out_of_scope", 0.99))

    assert plan_asked(asked, offer_pending=True)["intent"]["name"] == "request_payment_plan"
    assert plan_asked(asked, offer_pending=False) is asked
    assert plan_asked(said, offer_pending=True) is said


def test_a_yes_or_no_question_about_a_fee_asks_where_the_total_comes_from() -> None:
    """heldout7 278: "hang on is that 25 dollar fee already counted in that number or is it on top"."""
    text = "hang on is that 25 dollar fee already counted in that number or is it on top"
    assert charges_asked(parse(text, ("nlu_fallback", 0.6)))["intent"]["name"] == "check_balance"


@pytest.mark.parametrize(
    "text",
    [
        "ok go ahead and set up the plan",
        "yes please set it up",
        "go ahead",
        "lets do it",
        "sure, go ahead and set up a plan please",
        "ok go ahead and put me on that one",  # heldout21 727: buttons
        "put me down for that",
    ],
)
def test_the_terms_on_the_table_taken_in_words_are_the_yes(text: str) -> None:
    """heldout11 412: "ok go ahead and set up the plan" (a plan request) was answered with the terms again."""
    found = parse(text, ("request_payment_plan", 0.97))
    assert plan_taken(found, offer_pending=True)["intent"]["name"] == "affirm"
    assert plan_taken(found, offer_pending=False) is found


@pytest.mark.parametrize("text", ["set up the plan for 30 instead", "go ahead and explain the fees first"])
def test_other_terms_or_questions_are_not_the_yes(text: str) -> None:
    found = parse(text, ("request_payment_plan", 0.9))
    assert plan_taken(found, offer_pending=True) is found


def test_a_request_to_find_the_account_another_way_is_no_wrong_person() -> None:
    """heldout12 449: a mother asking us to look her son's account up by his name was told "sorry for the
    trouble, we'll update our records"."""
    text = "I don't have the letter with me, can't you just look it up by his name, Sam Chen?"
    asked = parse(text, ("wrong_person", 0.9))
    stranger = parse("wrong number, i dont know him, look it up again", ("wrong_person", 0.95))

    assert lookup_asked(asked)["intent"] == {"name": "inform_identity", "confidence": 0.9}
    assert lookup_asked(stranger) is stranger


def test_an_unplaced_opening_about_the_account_is_a_question_about_what_is_owed() -> None:
    """heldout12 450: "is this about the old fabrikam cell phone bill" heard "Sorry, I can't help with that"
    before the verification question."""
    asked = parse("is this about the old fabrikam cell phone bill from like years ago", ("out_of_scope", 0.9))
    denied = parse("this isnt my bill, never had fabrikam", ("out_of_scope", 0.7))
    weather = parse("whats the weather like", ("out_of_scope", 0.99))

    assert opening_about_the_account(asked, opening=True)["intent"]["name"] == "check_balance"
    assert opening_about_the_account(asked, opening=False) is asked
    assert opening_about_the_account(denied, opening=True) is denied
    assert opening_about_the_account(weather, opening=True) is weather


@pytest.mark.parametrize(
    ("reading", "text", "intent"),
    [
        (due_date_asked, "is that already late or when is the deadline exactly", "check_balance"),
        (texts_stopped, "thats all i needed, now please quit texting me, mail only from here on", "opt_out"),
        (
            texts_stopped,
            "ok ive seen enough, take me off your texting list for good",
            "opt_out",
        ),  # heldout15 545
        (texts_stopped, "fine whatever. remove my number from ur contact list", "opt_out"),
        # heldout27 929: "until then" is how long, not when
        (texts_stopped, "i see it. ill deal with it when i can. until then stop contacting me", "opt_out"),
        (
            validation_asked,
            "ok and where is the validation notice you're legally required to give me",
            "request_validation",
        ),
    ],
)
def test_heldout13s_unplaced_requests_are_read_by_their_words(reading: Any, text: str, intent: str) -> None:
    """heldout13 470, 459: out of scope, then buttons twice in a row."""
    assert reading(parse(text, ("out_of_scope", 0.77)))["intent"]["name"] == intent


@pytest.mark.parametrize(
    ("text", "paid_now"),
    [
        ("ok can i just pay it all rn \U0001f4b8", True),  # heldout18 639
        ("i want to pay the whole thing today", True),
        ("can i pay off the full balance right now", True),
        ("i can pay it all next friday", False),
        ("i want to pay this but i literally cant rn. is there a hardship option", False),  # heldout2 111
    ],
)
def test_the_whole_balance_offered_now_is_a_payment(text: str, paid_now: bool) -> None:
    found = parse(text, ("nlu_fallback", 0.6))
    assert (all_paid_now(found)["intent"]["name"] == "make_payment") is paid_now


def test_what_it_is_for_and_paying_it_off_today_are_the_balance_and_the_link() -> None:
    """heldout19 647: the link alone, then (read as the balance) the balance alone."""
    text = "I got a letter and I just want to know what it's for and if I can pay it off today"
    found = parse(text, ("nlu_fallback", 0.6))
    assert balance_asked(found)["intent"]["name"] == "check_balance+make_payment"
    assert balance_asked(parse("what do i owe", ("nlu_fallback", 0.6)))["intent"]["name"] == "check_balance"


def test_the_whole_balance_that_cannot_be_paid_now_stays_hard_times() -> None:
    found = parse("i cant pay it all now", ("nlu_fallback", 0.6))
    assert guarded(found)["intent"]["name"] == "financial_hardship"


@pytest.mark.parametrize(
    ("text", "wrong"),
    [
        ("who is this?? this isnt sam, ive had this number for like 2 years now", True),  # heldout19 653
        ("this isnt my debt, ive had this number for years", False),
        ("this isnt sam", False),
        # heldout20 689
        ("so this link was on a letter addressed to someone who used to live at my place, not me", True),
        ("i used to live at my moms and the bill is not right", False),
        # heldout22 753
        (
            "hi, i got a letter addressed to a Jordan Rivera at my place, reference ACME-1001. "
            "I'm not Jordan, I think they moved out before I moved in",
            True,
        ),
        ("i got a letter addressed to a Jordan Rivera, im not sure why, i moved out of there", False),
        # heldout27 921
        (
            "oh wait i dont know their birthday. the name on it is alex morgan, thats not me, they lived "
            "here before us",
            True,
        ),
        ("the name on it is mine but the amount is wrong", False),
    ],
)
def test_texts_to_a_number_had_for_a_while_are_for_someone_else(text: str, wrong: bool) -> None:
    found = parse(text, ("nlu_fallback", 0.6))
    assert (someone_else(found)["intent"]["name"] == "wrong_person") is wrong
    assert (read_by_words(found)["intent"]["name"] == "wrong_person") is wrong  # not who we are after it


def test_how_a_payment_just_claimed_was_made_is_more_of_the_claim() -> None:
    """heldout9 330: "debit card on their website. confirmation FB88213" was out of scope."""
    found = parse("debit card on their website. confirmation FB88213", ("out_of_scope", 0.8))
    assert claim_detailed(found, claim_passed_on=True)["intent"]["name"] == "already_paid"
    assert claim_detailed(found, claim_passed_on=False) is found
    weather = parse("whats the weather like", ("out_of_scope", 0.99))
    assert claim_detailed(weather, claim_passed_on=True) is weather


@pytest.mark.parametrize(
    "text",
    ["his name is Raymond Okafor, office number 202-555-0148", "(312) 555-0164", "her name's Dana Ruiz"],
)
def test_details_given_after_the_attorney_was_asked_for_are_the_attorneys(text: str) -> None:
    """heldout29 986: the name and number sent as asked got the fallback's buttons."""
    found = parse(text, ("nlu_fallback", 0.6), ("opt_out", 0.3))
    assert attorney_detailed(found, attorney_asked=True)["intent"]["name"] == "has_attorney"
    assert attorney_detailed(found, attorney_asked=False) is found
    thanks = parse("thanks a lot, appreciate it", ("thank_you", 0.99))
    assert attorney_detailed(thanks, attorney_asked=True) is thanks


@pytest.mark.parametrize(
    ("text", "unclear"),
    [
        ("so do i have to keep paying on it while u check?", True),  # heldout28 940
        ("do i still need to pay anything while its disputed?", True),
        ("i already paid it, do i have to keep paying?", False),
        ("i sent 665 by zelle on nov 20", False),
    ],
)
def test_whether_to_keep_paying_asked_is_no_payment_made(text: str, unclear: bool) -> None:
    found = parse(text, ("already_paid", 0.75))
    assert (read_by_words(found)["intent"]["name"] == "nlu_fallback") is unclear


def test_a_score_said_as_one_right_after_the_survey_question_is_its_answer() -> None:
    """heldout28 949: "5 stars, that was easy peasy" got buttons."""
    rated = parse("5 stars, that was easy peasy", ("nlu_fallback", 0.6), ("rate_experience", 0.34))
    plain = parse("that was easy peasy", ("nlu_fallback", 0.6))

    assert rating_given(rated, survey_asked=True)["intent"]["name"] == "rate_experience"
    assert rating_given(rated, survey_asked=False) is rated
    assert rating_given(plain, survey_asked=True) is plain


def test_a_question_about_waiting_after_the_next_steps_were_said_is_unclear() -> None:
    """heldout27 920: "ok so how long till i know?" after a claim was passed on was out of scope at 1.00
    ("Sorry, I can't help with that"); as unclear, the fallback says the answer again."""
    asked = parse("ok so how long till i know?", ("out_of_scope", 1.0))
    weather = parse("how is the weather", ("out_of_scope", 1.0))

    unclear = {"name": "nlu_fallback", "confidence": 0.6}
    assert next_steps_asked(asked, next_steps_said=True)["intent"] == unclear
    assert next_steps_asked(asked, next_steps_said=False) is asked
    assert next_steps_asked(weather, next_steps_said=True) is weather


def test_hearing_back_read_as_the_balance_after_the_next_steps_were_said_is_unclear() -> None:
    """heldout31 1051: "ok so how long till i hear back from you guys" after a claim was passed on was the
    balance (check_balance 0.81); the balance asked in its words stays the balance."""
    asked = parse("ok so how long till i hear back from you guys", ("check_balance", 0.81))
    owed = parse("how long till i know what i owe", ("check_balance", 0.9))

    assert next_steps_asked(asked, next_steps_said=True)["intent"]["name"] == "nlu_fallback"
    assert next_steps_asked(owed, next_steps_said=True) is owed


def test_a_check_number_read_as_identity_right_after_a_claim_is_more_of_the_claim() -> None:
    """heldout22 761: "the check number was 2231 if that helps" was read as identity (an SSN's last four)
    and answered "you're already verified"; a date of birth after a claim stays identity."""
    found = {**parse("the check number was 2231 if that helps", ("inform_identity", 0.79))}
    found["entities"] = [{"entity": "ssn_last4", "value": "2231"}]
    assert claim_detailed(found, claim_passed_on=True)["intent"]["name"] == "already_paid"
    facts = {**parse("check 03/14/1985", ("inform_identity", 0.99)), "entities": [{"entity": "dob"}]}
    assert claim_detailed(facts, claim_passed_on=True) is facts


def test_a_plain_stop_read_as_a_yes_is_the_opt_out() -> None:
    """heldout20 692: "yeah i know about it. i'll sort it out myself, just quit texting me about it" (a yes
    at 0.62) was answered "Okay. How can I help with your account?"."""
    text = "yeah i know about it. i'll sort it out myself, just quit texting me about it"
    assert texts_stopped(parse(text, ("affirm", 0.62)))["intent"]["name"] == "opt_out"


def test_a_preference_naming_when_is_not_the_opt_out() -> None:
    found = parse("pls stop texting me before 9am", ("nlu_fallback", 0.6))
    assert texts_stopped(found) is found


def test_a_payment_on_a_day_said_in_words_is_the_promise() -> None:
    """heldout13 457: "... my paycheck lands on the 18th and I plan to pay the full amount that day" was
    unplaced, so only the balance came once verified."""
    text = "my paycheck lands on the 18th and I plan to pay the full amount that day"
    dated = {**parse(text, ("nlu_fallback", 0.6)), "entities": [{"entity": "date"}]}
    paced = {
        **parse("i can pay 50 every friday", ("nlu_fallback", 0.6)),
        "entities": [{"entity": "frequency"}],
    }
    undated = parse("i will pay it", ("nlu_fallback", 0.6))

    assert promise_in_words(dated)["intent"]["name"] == "promise_to_pay"
    assert promise_in_words(paced) is paced
    assert promise_in_words(undated) is undated


def test_a_number_to_call_to_check_on_us_asks_who_we_are() -> None:
    """heldout13 469: a scam check read as a person (0.72): a handoff, then silence."""
    text = "what company is this exactly and is there a phone number I can call to check"
    unsure = parse(text, ("request_human", 0.72))
    person = parse("is there a number i can call to talk to a real person", ("request_human", 0.7))

    assert number_asked(unsure)["intent"]["name"] == "ask_who_is_this"
    assert number_asked(person) is person
    assert number_asked(parse(text, ("request_human", 0.95)))["intent"]["name"] == "request_human"


def test_mail_for_someone_the_writer_does_not_know_is_the_wrong_person() -> None:
    """heldout14 499: a new homeowner with a letter for the previous owner was asked for a birth date."""
    text = (
        "Hi. There's a letter with reference ACME-1003 that came to my house for an Alex Morgan. "
        "I bought this place last year and don't know them."
    )
    new_owner = parse(text, ("nlu_fallback", 0.6))
    assert someone_else(new_owner)["intent"] == {"name": "wrong_person", "confidence": 0.6}
    mine = parse("i dont know them, this debt isnt mine, never had an account", ("nlu_fallback", 0.6))
    assert someone_else(mine) is mine  # a dispute of the writer's own, not mail for someone else
    placed = parse(text, ("inform_identity", 0.9))
    assert someone_else(placed) is placed
    no_idea = (  # heldout26 880: asked for a birth date
        "Hi, I got mail at my new apartment addressed to an Alex Morgan, reference ACME-1003. I just moved "
        "in and have no idea who that is."
    )
    assert someone_else(parse(no_idea, ("nlu_fallback", 0.6)))["intent"]["name"] == "wrong_person"


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("hey, bad timing, on shift till 11pm. what do u need from me?", "nlu_fallback"),  # heldout26 893
        ("hey, bad timing, on shift till 11pm.", "nlu_fallback"),  # the clause the segmenting step reads
        ("at work till 5, ill pay it tonight", "promise_to_pay"),
        ("can i do it on the 15th?", "promise_to_pay"),
        ("can i do friday?", "promise_to_pay"),
        ("i get paid friday, is that ok?", "promise_to_pay"),
        ("ill pay it friday", "promise_to_pay"),
    ],
)
def test_a_question_read_as_a_promise_without_paying_in_it_is_no_promise(text: str, read: str) -> None:
    assert promise_unsaid(parse(text, ("promise_to_pay", 0.89)))["intent"]["name"] == read


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("Meet me in the middle?", "offer_payment"),  # heldout26 877: the contact preference answer
        ("how about we settle it for less", "settlement_offer"),
        ("how about texts after 6pm", "contact_preferences"),
        ("can you email me instead", "contact_preferences"),
    ],
)
def test_terms_put_forward_read_as_a_preference_are_the_offer(text: str, read: str) -> None:
    assert countered_unsaid(parse(text, ("contact_preferences", 0.96)))["intent"]["name"] == read


@pytest.mark.parametrize(
    ("text", "read_as"),
    [
        (
            "A letter with ref ACME-1003 came here but it's addressed to a woman who moved out last year. "
            "I don't know her",
            ("nlu_fallback", 0.6),
        ),
        (
            "who is Sam?? i keep getting texts for someone i dont know. this has been my number for a year",
            ("ask_who_is_this", 0.7),
        ),
    ],
)
def test_texts_or_a_letter_for_a_stranger_are_the_wrong_person(text: str, read_as: tuple[str, float]) -> None:
    """heldout16 571, 570: both were asked for a birth date."""
    assert someone_else(parse(text, read_as))["intent"]["name"] == "wrong_person"
    who_are_you = parse("who is this? i dont know anyone at acme", ("ask_who_is_this", 0.9))
    assert someone_else(who_are_you) is who_are_you


def test_hard_times_in_words_are_hardship() -> None:
    """heldout10 369: "got laid off on friday, idk what to do about this" beside the facts got the balance."""
    unplaced = parse("got laid off on friday, idk what to do about this", ("nlu_fallback", 0.6))
    placed = parse("got laid off, can i pay 20 a month", ("offer_payment", 0.9))

    assert hard_times(unplaced)["intent"]["name"] == "financial_hardship"
    assert hard_times(placed) is placed


@pytest.mark.parametrize(
    "text",
    [
        "that 25 dollar late fee is bs, i never even got a bill from the hospital",
        "the interest on this is way off, im disputing the amount",
        "this balance is wrong",
    ],
)
def test_the_debt_or_a_charge_called_wrong_is_the_dispute(text: str) -> None:
    """heldout13 478: the fee called "bs" got the balance and its explanation, no dispute recorded."""
    assert disputed_in_words(parse(text, ("nlu_fallback", 0.6)))["intent"]["name"] == "dispute_debt"
    assert disputed_in_words(parse(text, ("check_balance", 0.9)))["intent"]["name"] == "check_balance"


def test_thanks_with_a_promise_to_answer_later_leave_the_question_for_then() -> None:
    """heldout13 484: "... text back later, thank you for being kind" to the plan's question got buttons."""
    later = parse(
        "ok let me look at my budget and text back later, thank you for being kind", ("nlu_fallback", 0.6)
    )
    answer = parse("sounds good thank you very much", ("nlu_fallback", 0.6))

    assert thanks_last(later, bot_asked=True)["intent"]["name"] == "thank_you"
    assert thanks_last(answer, bot_asked=False)["intent"]["name"] == "thank_you"
    assert thanks_last(answer, bot_asked=True) is answer


# --- heldout17's blind run ------------------------------------------------------------------------------


def with_entities(parsed: dict[str, Any], *found: tuple[str, str]) -> dict[str, Any]:
    """The parse with entities (name, the words marked), their spans found in its text."""
    text = parsed["text"]
    spans = [(name, text.index(words), text.index(words) + len(words), words) for name, words in found]
    entities = [{"entity": n, "start": b, "end": e, "value": w} for n, b, e, w in spans]
    return {**parsed, "entities": entities}


def test_a_frequency_inside_a_time_from_now_is_when_not_how_often() -> None:
    """heldout17 597: "I can put 300 towards it in a week" had been offered $300 a week."""
    text = "I can put 300 towards it in a week, when my paycheck comes in"
    parsed = with_entities(parse(text, ("nlu_fallback", 0.6)), ("amount", "300"), ("frequency", "week"))

    read = frequency_in_time(parsed)

    assert [found["entity"] for found in read["entities"]] == ["amount"]
    assert guarded(parsed)["intent"]["name"] == "promise_to_pay"  # a payment on a day said in words


def test_a_frequency_with_its_amount_stays() -> None:
    text = "i can do 300 a week starting in a week"
    parsed = with_entities(
        parse(text, ("request_payment_plan", 0.9)), ("amount", "300"), ("frequency", "a week")
    )

    assert frequency_in_time(parsed) is parsed


def test_a_settlement_asked_for_in_words_is_the_settlement() -> None:
    """heldout17 584: a lump sum asked before verification got the balance once verified, no settlement."""
    text = "Is this about that old store card? I might be able to do a lump sum to get rid of it for good"

    assert settlement_in_words(parse(text, ("nlu_fallback", 0.6)))["intent"]["name"] == "settlement_offer"
    settled = parse("i settled this with the hospital billing office months ago", ("nlu_fallback", 0.6))
    assert settlement_in_words(settled) is settled  # a payment made, not a settlement asked for


def test_an_amount_put_forward_in_words_is_the_offer_whole() -> None:
    """heldout17 601: "thats still a lot for me" was read as the balance, and the total shown."""
    text = "thats still a lot for me.. how about 200 and im done with it"
    parsed = with_entities(parse(text, ("nlu_fallback", 0.6), ("settlement_offer", 0.47)), ("amount", "200"))

    read = counter_offered(parsed)

    assert read["intent"] == {"name": "offer_payment", "confidence": SURE}  # sure: not cut into parts


@pytest.mark.parametrize(
    "text", ["es mucho dinero 😓 can i pay like 200 cada mes?", "200 per month?", "maybe 200 every week"]
)
def test_an_amount_a_month_or_a_week_is_the_offer(text: str) -> None:
    """heldout19 663: "can i pay like 200 cada mes?" got buttons (a payment, or a day)."""
    parsed = with_entities(parse(text, ("nlu_fallback", 0.6)), ("amount", "200"))

    assert counter_offered(parsed)["intent"]["name"] == "offer_payment"


def test_paying_an_amount_a_month_is_the_offer_not_the_link() -> None:
    """heldout19 663 on this machine's training: read as paying now at 0.62, and the link was sent."""
    text = "es mucho dinero 😓 can i pay like 200 cada mes?"
    parsed = with_entities(parse(text, ("make_payment", 0.62)), ("amount", "200"))
    assert counter_offered(parsed)["intent"]["name"] == "offer_payment"
    now = with_entities(parse("can i pay 200 now", ("make_payment", 0.9)), ("amount", "200"))
    assert counter_offered(now) is now


def test_an_amount_put_forward_beside_a_question_is_still_cut_into_parts() -> None:
    text = "could i do 20 a month?? and is this gonna mess up my credit even worse"
    parsed = with_entities(parse(text, ("nlu_fallback", 0.6)), ("amount", "20"))

    assert counter_offered(parsed)["intent"]["confidence"] < SURE


def test_a_question_about_who_we_are_is_not_the_wrong_person() -> None:
    """heldout17 590: "who is acme recovery, never heard of u" flagged the debtor's own number as wrong."""
    asked = parse("who is acme recovery, never heard of u", ("wrong_person", 0.64))
    wrong = parse("wrong number, never heard of you or this sam person", ("wrong_person", 0.7))

    assert us_unknown(asked)["intent"]["name"] == "ask_who_is_this"
    assert us_unknown(wrong) is wrong


@pytest.mark.parametrize(
    "text",
    [
        "im already behind on rent and my car got repo'd, i honestly dont know how to deal with this",
        "we're getting evicted next month",
        "i cant make rent this month",
        "going thru a divorce and paying for daycare alone now. i want to pay this but i literally cant rn",
    ],
)
def test_rent_behind_a_repossession_or_an_eviction_are_hard_times(text: str) -> None:
    assert hard_times(parse(text, ("nlu_fallback", 0.6)))["intent"]["name"] == "financial_hardship"


def test_an_amount_put_forward_with_the_day_it_would_be_paid_is_no_promise() -> None:
    """heldout3 140: "would u guys take 550 and call it even? i could pay it this week": asked for a date."""
    text = "would u guys take 550 and call it even? i could pay it this week"
    parsed = with_entities(parse(text, ("nlu_fallback", 0.6)), ("amount", "550"), ("date", "this week"))

    assert promise_in_words(parsed) is parsed
    assert guarded(parsed)["intent"]["name"] == "settlement_offer"


def test_a_debt_denied_as_the_writers_own_is_the_dispute() -> None:
    """heldout16 559 (this machine's training): "this isnt my debt" before verification was not kept."""
    text = "this isnt my debt, ive never had a card with them in my life. the letter says ACME-1002"

    assert disputed_in_words(parse(text, ("nlu_fallback", 0.6)))["intent"]["name"] == "dispute_debt"


def test_the_balance_asked_with_a_typo_beside_a_plan_is_kept() -> None:
    """heldout16 579: "wats my balence and can i brake it into payments" got the plan without the total."""
    read = guarded(parse("wats my balence and can i brake it into payments", ("request_payment_plan", 0.88)))

    assert read["intent"]["name"] == "check_balance+request_payment_plan"


@pytest.mark.parametrize(
    ("text", "ranking"),
    [
        # heldout19 670: the payment link was sent
        (
            "what happens if i just dont pay this? are you going to sue me or take it out of my paycheck",
            ("make_payment", 0.83),
        ),
        ("ok but for real, what happens if i ignore it", ("nlu_fallback", 0.6)),
        ("will you take me to court if i cant pay", ("financial_hardship", 0.6)),
        ("can you garnish my wages", ("out_of_scope", 0.64)),
        ("am i gonna get sued over this", ("check_balance", 0.9)),
        # heldout29 979: a hardship plan
        ("so basically if i never pay it, nothing happens to me?", ("financial_hardship", 0.8)),
    ],
)
def test_what_happens_if_the_debt_is_not_paid_is_that_question(text: str, ranking: tuple[str, float]) -> None:
    assert consequences_asked(parse(text, ranking))["intent"]["name"] == "ask_credit_reporting"
    assert read_by_words(parse(text, ranking))["intent"]["name"] == "ask_credit_reporting"


@pytest.mark.parametrize(
    ("text", "ranking"),
    [
        ("what happens if i pay it today", ("make_payment", 0.9)),
        ("i lost my job and cant pay, will you sue me", ("financial_hardship", 0.95)),  # hard times, sure
        ("my lawyer says you cant sue me, talk to him", ("has_attorney", 0.97)),
    ],
)
def test_other_messages_keep_their_reading(text: str, ranking: tuple[str, float]) -> None:
    assert consequences_asked(parse(text, ranking))["intent"]["name"] == ranking[0]


def test_texts_here_for_someone_unknown_on_the_wrong_number_are_for_someone_else() -> None:
    """heldout17 608 on session 30's training (wrong person 0.48, unplaced): asked for a date of birth."""
    text = "who is this? i keep getting texts here for someone i dont know. this is the wrong number"
    found = parse(text, ("nlu_fallback", 0.6))
    assert someone_else(found)["intent"]["name"] == "wrong_person"
    assert someone_else(parse("who is this? Wrong number lol", ("nlu_fallback", 0.6)))["intent"]["name"] == (
        "wrong_person"
    )


def test_a_payment_in_a_week_read_as_a_plan_is_the_promise() -> None:
    """heldout17 597 on session 30's training: request_payment_plan 0.66 with "week" as its frequency, and a
    plan of $300 a month was offered."""
    text = "my reference is ACME-1002. I can put 300 towards it in a week, when my paycheck comes in"
    found = with_entities(parse(text, ("request_payment_plan", 0.66)), ("amount", "300"))
    start = text.index("week")
    found["entities"].append({"entity": "frequency", "value": "week", "start": start, "end": start + 4})
    read = frequency_in_time(found)
    assert read["intent"]["name"] == "promise_to_pay"
    assert [e["entity"] for e in read["entities"]] == ["amount"]


# heldout23's blind run (session 31, model f7d9eb64)


def test_the_amounts_of_the_total_asked_about_are_the_charges() -> None:
    """773: out of scope at 0.80, "Sorry, I can't help with that"."""
    text = "why is it 1320 when the card was only like 1200?? what are the 85 and the 35 for exactly"
    assert read_by_words(parse(text, ("out_of_scope", 0.8)))["intent"]["name"] == "check_balance"
    assert (
        read_by_words(parse("what is the 35 for", ("nlu_fallback", 0.6)))["intent"]["name"] == "check_balance"
    )


@pytest.mark.parametrize(
    ("text", "ranking", "read"),
    [
        # 779: nlu_fallback 0.6, a plan 0.31, the bankruptcy 0.19: asked for a birth date
        (
            "I've been in an active chapter 13 plan since last spring and this debt is listed in it.",
            ("nlu_fallback", 0.6),
            "bankruptcy",
        ),
        ("we filed ch 7 last month, can i still make payments", ("request_payment_plan", 0.7), "bankruptcy"),
        ("can i do a plan over 13 months", ("request_payment_plan", 0.7), "request_payment_plan"),
        (
            "i went bankrupt years ago but i want a plan",
            ("request_payment_plan", 0.93),
            "request_payment_plan",
        ),
    ],
)
def test_a_bankruptcy_named_in_words_is_the_bankruptcy(
    text: str, ranking: tuple[str, float], read: str
) -> None:
    assert read_by_words(parse(text, ranking))["intent"]["name"] == read


@pytest.mark.parametrize(
    ("text", "ranking", "read"),
    [
        ("ok, I'll read through all of that tonight. bye", ("promise_to_pay", 0.5), "goodbye"),  # 784
        ("I'll read through all of that tonight.", ("promise_to_pay", 0.97), "nlu_fallback"),
        ("let me think it over tonight", ("promise_to_pay", 0.7), "nlu_fallback"),
        ("i'll pay it tonight", ("promise_to_pay", 0.9), "promise_to_pay"),
        ("i'll check my account and send it friday", ("promise_to_pay", 0.9), "promise_to_pay"),
    ],
)
def test_a_promise_of_something_other_than_paying_is_no_promise(
    text: str, ranking: tuple[str, float], read: str
) -> None:
    assert read_by_words(parse(text, ranking))["intent"]["name"] == read


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("I'll pay all of it, just not right this minute", "promise_to_pay"),  # 795: the link
        ("i can pay the full amount but not today", "promise_to_pay"),
        ("i want to pay it all but i cant right now", "make_payment"),  # hard times, read elsewhere
        ("pay it all now", "make_payment"),
    ],
)
def test_paying_in_full_but_not_now_is_a_promise(text: str, read: str) -> None:
    assert read_by_words(parse(text, ("make_payment", 0.87)))["intent"]["name"] == read


@pytest.mark.parametrize(
    ("text", "ranking", "read"),
    [
        # 791: a payment made at 0.58, "How did you pay?"
        (
            "ok real talk, if I paid 550 today would you call the whole thing settled?",
            ("already_paid", 0.6),
            "settlement_offer",
        ),
        ("if i sent 550 a month would that work", ("nlu_fallback", 0.6), "offer_payment"),
        ("i paid 550 today, did you get it", ("already_paid", 0.9), "already_paid"),
    ],
)
def test_an_amount_the_debtor_would_pay_if_is_an_offer(
    text: str, ranking: tuple[str, float], read: str
) -> None:
    assert read_by_words(with_entities(parse(text, ranking), ("amount", "550")))["intent"]["name"] == read


def test_what_happens_if_a_payment_is_missed_is_the_question_of_consequences() -> None:
    """796: to a plan offer, unplaced, taken as the yes."""
    text = "what happens to me if I end up missing one of the payments down the line?"
    assert read_by_words(parse(text, ("nlu_fallback", 0.6)))["intent"]["name"] == "ask_credit_reporting"
    missed = "what if i miss a payment"
    assert read_by_words(parse(missed, ("nlu_fallback", 0.6)))["intent"]["name"] == "ask_credit_reporting"
    sued = "Can you people sue me over something this old?"  # heldout25 863: buttons
    assert read_by_words(parse(sued, ("nlu_fallback", 0.6)))["intent"]["name"] == "ask_credit_reporting"


def test_money_to_pay_with_read_as_hard_times_is_unplaced() -> None:
    """heldout24 829: "I have some tax refund money" (hardship 0.70) beside a settlement asked for with the
    identity facts: hardship plans were offered instead of the settlement."""
    means = read_by_words(parse("I have some tax refund money.", ("financial_hardship", 0.7)))
    assert means["intent"]["name"] == "nlu_fallback"
    lost = parse("i have some savings but i lost my job", ("financial_hardship", 0.9))
    assert read_by_words(lost)["intent"]["name"] == "financial_hardship"


def test_the_link_asked_for_beside_no_promise_to_pay_is_the_link() -> None:
    """heldout29 979: read as a promise (0.78, "this weekend"), so the promise form asked for a day."""
    text = "whatever, just send me the payment link and ill look at it this weekend"
    assert link_asked(parse(text, ("promise_to_pay", 0.78)))["intent"]["name"] == "make_payment"
    promised = parse("send me the link, i'll pay it friday", ("promise_to_pay", 0.9))
    assert link_asked(promised) is promised


def test_an_amount_asked_about_is_a_question_about_the_charges() -> None:
    """heldout30 997 (an offer at 0.56, with its amounts: the promise form asked when) and 1023 (buttons)."""
    where = (
        "ok but where does the 85.40 come from and what's the $35 for? i only ever put like 1200 on that visa"
    )
    assert charges_asked(parse(where, ("offer_payment", 0.56)))["intent"]["name"] == "check_balance"
    whats = parse("how come its 323?? whats the 12.75 for", ("nlu_fallback", 0.6))
    assert charges_asked(whats)["intent"]["name"] == "check_balance"
    offered = parse("can i do 50 a month? what are the fees", ("offer_payment", 0.7))
    assert charges_asked(offered) is offered  # an offer beside a question naming no amount stays the offer
    sure = parse("whats the $35 for?", ("offer_payment", 0.91))  # found in the webchat after the set's fixes
    assert charges_asked(sure)["intent"]["name"] == "check_balance"


def test_proof_that_the_debtor_owes_it_asks_for_the_validation_information() -> None:
    """heldout30 1005: buttons (validation 0.59 under the threshold)."""
    text = "fine. send me whatever proof you have that i actually owe this"
    assert validation_asked(parse(text, ("nlu_fallback", 0.6)))["intent"]["name"] == "request_validation"


def test_paying_all_of_it_once_a_bonus_comes_is_a_promise() -> None:
    """heldout30 1021: buttons (a promise or a plan) instead of "When do you expect ...?"."""
    text = "i'll be able to pay all of it soon, just not sure what day yet. depends when my bonus hits"
    assert promise_in_words(parse(text, ("nlu_fallback", 0.6)))["intent"]["name"] == "promise_to_pay"


def test_a_date_marked_as_two_is_one() -> None:
    text = "sent 665 by zelle on the 3rd of november, i have the receipt"
    first, second = text.index("3rd of"), text.index("november")
    split = {
        "text": text,
        "entities": [
            {"entity": "amount", "start": 5, "end": 8, "value": "665"},
            {"entity": "date", "start": first, "end": first + 6, "value": "3rd of"},
            {"entity": "date", "start": second, "end": second + 8, "value": "november"},
        ],
    }

    found = dates_joined(split)["entities"]

    assert [(e["entity"], e["value"]) for e in found] == [("amount", "665"), ("date", "3rd of november")]


def test_dates_apart_stay_two() -> None:
    text = "50 on friday and the rest on dec 20"
    apart = {
        "text": text,
        "entities": [
            {"entity": "date", "start": 6, "end": 12, "value": "friday"},
            {"entity": "date", "start": 29, "end": 35, "value": "dec 20"},
        ],
    }

    assert dates_joined(apart) is apart


def test_an_amount_with_cents_is_never_a_day() -> None:
    """heldout32 1076: "ok fine, the 55.02 then" (its amount marked as a date) to a counter of $55.02 a month
    was told the day was too far off; 1088: "fine, i'll do the 110.04 then" (nothing marked) was asked the
    day. Both are the amount, which with terms on the table is an offer (the yes when it repeats them)."""
    marked = {
        **parse("ok fine, the 55.02 then", ("promise_to_pay", 0.71)),
        "entities": [{"entity": "date", "value": "55.02", "start": 12, "end": 17}],
    }
    unmarked = parse("fine, i'll do the 110.04 then", ("promise_to_pay", 0.97))
    december = {**marked, "entities": [{"entity": "date", "value": "12.20", "start": 12, "end": 17}]}

    assert cents_not_a_date(marked)["entities"][0]["entity"] == "amount"
    assert cents_not_a_date(december) is december  # Dec 20
    assert (
        amount_on_the_table(cents_not_a_date(marked), offer_pending=True)["intent"]["name"] == "offer_payment"
    )
    assert amount_on_the_table(unmarked, offer_pending=True)["intent"]["name"] == "offer_payment"
    assert amount_on_the_table(unmarked, offer_pending=False) is unmarked
    unplaced = parse("ok fine, the 53.84 then", ("nlu_fallback", 0.6), ("promise_to_pay", 0.53))
    assert amount_on_the_table(unplaced, offer_pending=True)["intent"]["name"] == "offer_payment"


def test_a_question_about_the_credit_score_is_one_about_what_happens() -> None:
    """heldout32 1091: after a promise was noted, "will waiting till thursday mess up my credit score?"
    (unplaced: credit 0.48, promise 0.46) had the promise noted again."""
    asked = parse(
        "will waiting till thursday mess up my credit score?",
        ("nlu_fallback", 0.6),
        ("ask_credit_reporting", 0.48),
        ("promise_to_pay", 0.46),
    )
    said = parse("i'll fix my credit later", ("nlu_fallback", 0.6))

    assert consequences_asked(asked)["intent"]["name"] == "ask_credit_reporting"
    assert consequences_asked(said) is said


@pytest.mark.parametrize("text", ["thanks a bunch, enjoy your day", "ok ty, thats what i needed to know"])
def test_more_closings(text: str) -> None:
    """heldout32 1081 (buttons) and 1066 (the paused account's notice again)."""
    assert closing(parse(text, ("nlu_fallback", 0.6), ("thank_you", 0.57)))["intent"]["name"] == "goodbye"


def test_all_of_it_now_read_as_a_settlement_is_the_payment() -> None:
    """heldout33 1121: "can i just pay it all rn" (a settlement) was asked how much it offered to settle."""
    said = parse("omg ok thats less than i thought ngl. can i just pay it all rn", ("settlement_offer", 0.8))
    offered = parse("can i settle it all now for 200", ("settlement_offer", 0.9))

    assert all_paid_now(said)["intent"]["name"] == "make_payment"
    assert all_paid_now(offered) is offered


@pytest.mark.parametrize("text", ["Sorry, which day you write? I want be sure", "what date did u put down?"])
def test_what_was_just_said_asked_again_after_a_promise_is_unclear(text: str) -> None:
    """heldout33 1095, 1118: out of scope; as unclear, the fallback says the promise's answer again."""
    asked = parse(text, ("out_of_scope", 0.9))

    assert next_steps_asked(asked, next_steps_said=True)["intent"]["name"] == "nlu_fallback"
