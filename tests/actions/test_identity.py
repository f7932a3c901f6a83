"""Identity verification: facts are checked by the API, cleared after every attempt, never guessed."""

import json
from typing import Any

import httpx
import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction

from actions.identity import (
    ActionIdentityOutcome,
    ValidateIdentityForm,
    about_us,
    as_requested,
    request_before_verification,
    requested,
)
from tests.actions.conftest import ACCOUNT_ID, ACCOUNT_STATUS, VERIFIED, make_tracker, responses, slot_events
from tests.actions.test_balance import BALANCE, BODY

VERIFY = f"/api/v1/accounts/{ACCOUNT_ID}/verify"


def verify_reply(verified: bool, remaining: int = 2, locked: bool = False) -> httpx.Response:
    body = {
        "verified": verified,
        "attempts_remaining": remaining,
        "locked": locked,
        "grant": "signed-grant" if verified else None,
    }
    return httpx.Response(200, json=body)


def answering_the_zip_code(zip_code: str):
    """The identity form for ACCOUNT_ID, the date of birth given, as the debtor sends `zip_code`."""
    return make_tracker(
        slots={"account_id": ACCOUNT_ID, "dob": "1985-03-14"},
        text=zip_code,
        active_loop="identity_form",
        new_slots={"zip_code": zip_code},
    )


async def run_form(tracker, dispatcher, domain):
    return slot_events(await ValidateIdentityForm().run(dispatcher, tracker, domain))


async def test_a_known_reference_binds_the_account_and_asks_for_the_date_of_birth(api, dispatcher, domain):
    lookup = api.post("/api/v1/accounts/lookup").mock(httpx.Response(200, json={"account_id": ACCOUNT_ID}))
    tracker = make_tracker(
        text="it's acme 1001", active_loop="identity_form", new_slots={"account_ref": "it's acme 1001"}
    )
    slots = await run_form(tracker, dispatcher, domain)
    assert json.loads(lookup.calls.last.request.content) == {"reference": "ACME-1001"}
    assert slots["account_id"] == ACCOUNT_ID
    assert slots["requested_slot"] == "dob"


async def test_words_left_in_the_birth_date_by_another_action_are_cleared_and_the_date_asked_again(
    dispatcher, domain
):
    """heldout18 644: support was offered first, then the form came back with the words as the birth date."""
    words = "no, nothing like that. im just worn out from all the bills"
    tracker = make_tracker(
        slots={"account_id": ACCOUNT_ID, "dob": words, "requested_slot": "dob"},
        text=words,
        active_loop="identity_form",
    )
    slots = await run_form(tracker, dispatcher, domain)
    assert slots["dob"] is None
    assert slots["requested_slot"] == "dob"
    assert responses(dispatcher) == []  # no complaint: the words were no try at the date


async def test_an_unknown_reference_is_asked_again_and_counted(api, dispatcher, domain):
    api.post("/api/v1/accounts/lookup").mock(httpx.Response(404, json={"detail": "not found"}))
    tracker = make_tracker(
        text="ACME-9999", active_loop="identity_form", new_slots={"account_ref": "ACME-9999"}
    )
    slots = await run_form(tracker, dispatcher, domain)
    assert slots["account_ref"] is None
    assert slots["lookup_failures"] == 1
    assert responses(dispatcher) == ["utter_reference_not_found"]


async def test_three_unknown_references_end_the_form_and_offer_a_person(api, dispatcher, domain):
    api.post("/api/v1/accounts/lookup").mock(httpx.Response(404))
    tracker = make_tracker(
        slots={"lookup_failures": 2.0},
        text="ACME-9999",
        active_loop="identity_form",
        new_slots={"account_ref": "ACME-9999"},
    )
    slots = await run_form(tracker, dispatcher, domain)
    assert slots["requested_slot"] is None
    outcome = make_tracker(slots={"lookup_failures": 3.0})
    await ActionIdentityOutcome().run(dispatcher, outcome, domain)
    assert responses(dispatcher)[-1] == "utter_lookup_locked"


async def test_dob_and_zip_in_one_message_verify_and_are_then_forgotten(api, dispatcher, domain):
    route = api.post(VERIFY).mock(verify_reply(True))
    tracker = make_tracker(
        slots={"account_id": ACCOUNT_ID},
        text="dob 3/14/85 zip 20001",
        active_loop="identity_form",
        new_slots={"dob": "dob 3/14/85 zip 20001"},
    )
    slots = await run_form(tracker, dispatcher, domain)
    sent = json.loads(route.calls.last.request.content)
    assert sent == {"dob": "1985-03-14", "zip_code": "20001", "conversation_id": "test-conversation"}
    assert slots["verified"] is True
    assert slots["verification_grant"] == "signed-grant"
    assert slots["dob"] is None and slots["zip_code"] is None
    assert slots["requested_slot"] is None


async def test_wrong_facts_disclose_nothing_and_ask_again(api, dispatcher, domain):
    api.post(VERIFY).mock(verify_reply(False, remaining=2))
    tracker = answering_the_zip_code("90210")
    slots = await run_form(tracker, dispatcher, domain)
    assert slots.get("verified") is not True
    assert slots["dob"] is None and slots["zip_code"] is None
    assert slots["requested_slot"] == "dob"
    assert dispatcher.messages[-1]["response"] == "utter_verification_failed"
    assert dispatcher.messages[-1]["attempts_remaining"] == 2


async def test_a_lockout_ends_the_form_and_the_outcome_offers_a_person(api, dispatcher, domain):
    api.post(VERIFY).mock(verify_reply(False, remaining=0, locked=True))
    tracker = answering_the_zip_code("90210")
    slots = await run_form(tracker, dispatcher, domain)
    assert slots["identity_locked"] is True
    assert slots["requested_slot"] is None
    await ActionIdentityOutcome().run(dispatcher, make_tracker(slots={"identity_locked": True}), domain)
    assert responses(dispatcher)[-1] == "utter_verification_locked"


async def test_an_unreadable_date_of_birth_is_asked_again(api, dispatcher, domain):
    tracker = make_tracker(
        slots={"account_id": ACCOUNT_ID}, text="idk", active_loop="identity_form", new_slots={"dob": "idk"}
    )
    slots = await run_form(tracker, dispatcher, domain)
    assert slots["dob"] is None
    assert responses(dispatcher) == ["utter_invalid_dob"]
    assert not api.calls


@pytest.mark.parametrize("error", [httpx.ConnectError("down"), httpx.ReadTimeout("slow")])
async def test_an_unreachable_api_gets_a_graceful_message_and_ends_the_form(api, dispatcher, domain, error):
    api.post(VERIFY).mock(side_effect=error)
    tracker = answering_the_zip_code("20001")
    slots = await run_form(tracker, dispatcher, domain)
    assert slots["service_unavailable"] is True
    assert slots["requested_slot"] is None
    assert responses(dispatcher) == ["utter_service_unavailable"]


async def test_after_an_outage_the_next_request_can_try_again(dispatcher, domain):
    events = await ActionIdentityOutcome().run(
        dispatcher, make_tracker(slots={"service_unavailable": True}), domain
    )
    assert slot_events(events) == {"service_unavailable": False}
    assert dispatcher.messages == []


def _user(intent: str, text: str = "") -> dict:
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}, "entities": []}}


def _verifying(started_by: dict, *then: dict):
    """A tracker of the message that started verification, the identity form opening, then `then`."""
    tracker = make_tracker()
    tracker.events = [started_by, {"event": "active_loop", "name": "identity_form"}, *then]
    return tracker


def test_a_request_made_while_verifying_is_the_one_answered_after_it():
    tracker = _verifying(
        _user("greet", "hi"),
        _user("inform_identity", "ACME-1001"),
        _user("request_payment_plan", "can i do a payment plan"),
        _user("inform_identity", "03/14/1985"),
        _user("inform_identity", "90210"),
    )

    assert request_before_verification(tracker)["intent"]["name"] == "request_payment_plan"


def test_a_link_and_the_total_asked_in_parts_of_one_message_are_both_answered():
    """heldout18 636: "i lost the payment link you sent me. also whats the total again? ACME-1002"."""
    parts = [_user("make_payment", "i lost the payment link"), _user("check_balance", "the total?")]
    parts[0]["message_id"], parts[1]["message_id"] = "m1.1", "m1.2"
    tracker = _verifying({**_user("inform_identity", "ACME-1002"), "message_id": "m1"}, *parts)

    assert request_before_verification(tracker)["intent"]["name"] == "check_balance+make_payment"


def test_the_total_asked_in_another_message_than_the_link_is_the_total_alone():
    parts = [_user("make_payment", "i lost the link"), _user("check_balance", "whats the total")]
    parts[0]["message_id"], parts[1]["message_id"] = "m1", "m2"

    tracker = _verifying(_user("greet"), *parts)
    assert request_before_verification(tracker)["intent"]["name"] == "check_balance"


def test_without_a_request_while_verifying_the_message_that_started_it_is_answered():
    tracker = _verifying(
        _user("make_payment", "i want to pay"),
        _user("inform_identity", "ACME-1001"),
        _user("inform_identity", "03/14/1985"),
    )

    assert request_before_verification(tracker)["intent"]["name"] == "make_payment"


def test_an_answer_with_identity_facts_misread_as_a_request_is_not_the_request():
    """Issue 11 (heldout6 232): "its 03.14.1985" read as a promise at 0.67 replaced the $50 a month."""
    answer = _user("promise_to_pay", "its 03.14.1985")
    answer["parse_data"]["entities"] = [{"entity": "dob", "value": "03.14.1985"}]
    tracker = _verifying(_user("financial_hardship", "could i pay like $50 a month"), answer)

    assert request_before_verification(tracker)["intent"]["name"] == "financial_hardship"


def test_a_request_in_its_own_words_beside_a_reference_is_the_request():
    """heldout21 733: "sorry. ACME-1001. i wanna know what i owe and whether i can pay every other week" got
    the balance alone once verified."""
    text = "sorry. ACME-1001. i wanna know what i owe and whether i can pay every other week"
    asked = _user("check_balance+request_payment_plan", text)
    asked["parse_data"]["entities"] = [{"entity": "account_ref", "value": "ACME-1001"}]
    tracker = _verifying(_user("nlu_fallback", "😩😩😩"), asked)

    assert request_before_verification(tracker)["intent"]["name"] == "check_balance+request_payment_plan"


def test_a_reference_described_in_words_read_as_the_balance_is_no_request():
    """heldout23 782: "ACME-1002 is whats printed on the letter" (the balance at 0.66) replaced the dispute
    the first message made, which was never recorded once verified."""
    described = _user("check_balance", "ACME-1002 is whats printed on the letter")
    described["parse_data"]["entities"] = [{"entity": "account_ref", "value": "ACME-1002"}]
    tracker = _verifying(_user("dispute_debt", "this is not mine"), described)

    assert request_before_verification(tracker)["intent"]["name"] == "dispute_debt"


def _asked_before_the_form(intent: str, text: str, entities: list[dict[str, Any]]) -> Tracker:
    """A verified conversation whose identity form started on this message."""
    tracker = make_tracker(slots=VERIFIED)
    parse_data = {"intent": {"name": intent}, "entities": entities, "text": text}
    tracker.events = [
        {"event": "user", "text": text, "parse_data": parse_data},
        {"event": "active_loop", "name": "identity_form"},
        {"event": "active_loop", "name": None},
    ]
    return tracker


async def test_a_request_kept_beside_an_answer_to_the_form_is_answered_once_verified(dispatcher, domain):
    """heldout10 361: "60601. and i need a payment plan, no way i can pay it all at once" to the ZIP question
    (the channel reads it as the ZIP, the plan kept beside it): verified, only the balance came."""
    tracker = _asked_before_the_form("inform_identity", "ACME-1002", [])
    answer = {
        "intent": {"name": "inform_identity"},
        "request": {"name": "check_balance+request_payment_plan", "confidence": 0.98},
        "entities": [{"entity": "zip", "value": "60601"}],
        "text": "60601. and i need a payment plan, no way i can pay it all at once",
    }
    tracker.events.insert(2, {"event": "user", "text": answer["text"], "parse_data": answer})

    assert as_requested(request_before_verification(tracker))["intent"]["name"] == (
        "check_balance+request_payment_plan"
    )


async def test_a_promise_date_given_before_verification_is_used_not_asked_again(dispatcher, domain):
    date = {"entity": "date", "value": "next friday"}
    tracker = _asked_before_the_form("promise_to_pay", "I get paid next friday and will pay then", [date])

    events = await ActionIdentityOutcome().run(dispatcher, tracker, domain)

    assert slot_events(events)["promise_date"] == "next friday"
    assert events[-1] == FollowupAction("promise_form")


async def test_a_promise_date_corrected_in_the_message_is_read_from_its_words(dispatcher, domain):
    """heldout10 384: "on the 20th.. no wait make it the 18th" (only the 20th marked) noted the 20th."""
    text = "i can pay the whole thing on the 20th.. no wait make it the 18th, payday got moved up"
    tracker = _asked_before_the_form("promise_to_pay", text, [{"entity": "date", "value": "20th"}])

    events = await ActionIdentityOutcome().run(dispatcher, tracker, domain)

    assert slot_events(events)["promise_date"] == text  # the form reads the kept date (the 18th) from it


async def test_a_payment_claimed_before_verification_keeps_its_amount_and_date(dispatcher, domain):
    facts = [{"entity": "amount", "value": "200"}, {"entity": "date", "value": "last monday"}]
    tracker = _asked_before_the_form("already_paid", "I already paid 200 last monday", facts)

    events = await ActionIdentityOutcome().run(dispatcher, tracker, domain)

    assert slot_events(events) == {"claim_amount": "200", "claim_date": "last monday"}
    assert events[-1] == FollowupAction("payment_claim_form")


@pytest.mark.parametrize(("when", "kept"), [("march", "promise_to_pay"), ("2019", "nlu_fallback")])
def test_an_unclear_first_message_naming_a_date_to_come_is_that_promise(when, kept):
    """Dev 55: "i can pay in full but not until march" (promise 0.29, plan 0.26) got the balance."""
    text = f"i can pay in full but not until {when}"
    tracker = _asked_before_the_form("nlu_fallback", text, [{"entity": "date", "value": when}])
    ranking = [{"name": "nlu_fallback"}, {"name": "promise_to_pay"}, {"name": "request_payment_plan"}]
    tracker.events[0]["parse_data"]["intent_ranking"] = ranking

    assert requested(request_before_verification(tracker)) == kept


async def test_an_unclear_first_message_naming_an_amount_is_answered_as_that_offer_after_verification(
    dispatcher, domain
):
    text = "hi i cant pay 1300 at once. could i do like 50 a month?"
    tracker = _asked_before_the_form("nlu_fallback", text, [{"entity": "amount", "value": "50"}])
    ranking = [{"name": "nlu_fallback"}, {"name": "offer_payment"}, {"name": "request_payment_plan"}]
    tracker.events[0]["parse_data"]["intent_ranking"] = ranking

    assert requested(request_before_verification(tracker)) == "offer_payment"


@pytest.mark.parametrize(
    ("guess", "entities"),
    [
        ("request_payment_plan", [{"entity": "frequency", "value": "monthly"}]),
        ("promise_to_pay", [{"entity": "amount", "value": "500"}, {"entity": "date", "value": "two weeks"}]),
    ],
)
def test_an_unclear_message_naming_terms_is_the_plan_or_promise_it_most_likely_was(guess, entities):
    ranking = [{"name": "nlu_fallback", "confidence": 0.6}, {"name": guess, "confidence": 0.36}]
    request = {"intent": {"name": "nlu_fallback"}, "intent_ranking": ranking, "entities": entities}

    assert requested(request) == guess


def test_a_year_alone_is_no_promise():
    """ "this is from like 2019. can u even still sue me for this?? ACME-1003" (heldout2 129)."""
    ranking = [{"name": "nlu_fallback", "confidence": 0.6}, {"name": "promise_to_pay", "confidence": 0.3}]
    entities = [{"entity": "date", "value": "2019"}]
    request = {"intent": {"name": "nlu_fallback"}, "intent_ranking": ranking, "entities": entities}

    assert requested(request) == "nlu_fallback"


def test_an_unclear_message_without_terms_is_not_guessed():
    request = {
        "intent": {"name": "nlu_fallback"},
        "intent_ranking": [{"name": "dispute_debt"}],
        "entities": [],
    }
    assert requested(request) == "nlu_fallback"


async def test_two_requests_before_verification_are_both_answered_in_order(api, dispatcher, domain):
    account = f"/api/v1/accounts/{ACCOUNT_ID}"
    api.get(BALANCE).mock(httpx.Response(200, json=BODY))
    api.get(f"{account}/status").mock(httpx.Response(200, json=ACCOUNT_STATUS))
    api.post(f"{account}/payment-links").mock(httpx.Response(201, json={"url": "https://pay.test/t"}))
    tracker = _asked_before_the_form("check_balance+make_payment", "whats the total and send me a link", [])

    await ActionIdentityOutcome().run(dispatcher, tracker, domain)

    said = responses(dispatcher)
    assert said[0].startswith("utter_balance") and len(said) == 2
    assert "pay.test" in str(dispatcher.messages[1])


async def test_a_lawsuit_asked_about_beside_the_facts_is_answered_after_the_balance(api, dispatcher, domain):
    """Session 33, tried as a new user: "hey whos this. dob 11/30/78 zip 94110, can you people sue me over
    this?" got verified and the balance; the question went unanswered."""
    api.get(BALANCE).mock(httpx.Response(200, json=BODY))
    api.get(f"/api/v1/accounts/{ACCOUNT_ID}/status").mock(httpx.Response(200, json=ACCOUNT_STATUS))
    tracker = _asked_before_the_form("inform_identity", "dob 11/30/78 zip 94110, can you people sue me", [])
    tracker.events[0]["parse_data"]["request"] = {"name": "ask_credit_reporting", "confidence": 0.6}

    await ActionIdentityOutcome().run(dispatcher, tracker, domain)

    assert responses(dispatcher) == ["utter_balance", "utter_credit_reporting"]


async def test_why_it_is_so_much_asked_before_verification_is_answered_after_it(api, dispatcher, domain):
    api.get(BALANCE).mock(httpx.Response(200, json=BODY))
    api.get(f"/api/v1/accounts/{ACCOUNT_ID}/status").mock(httpx.Response(200, json=ACCOUNT_STATUS))
    tracker = _asked_before_the_form("check_balance", "why is this bill so high?? what are the fees", [])

    await ActionIdentityOutcome().run(dispatcher, tracker, domain)

    assert responses(dispatcher) == ["utter_balance", "utter_balance_explained"]


async def test_the_balance_asked_beside_another_request_comes_first(api, dispatcher, domain):
    """heldout8 311: "... i dont even know what i owe you guys" (read as hard times) got a plan, no total."""
    account = f"/api/v1/accounts/{ACCOUNT_ID}"
    api.get(BALANCE).mock(httpx.Response(200, json=BODY))
    api.get(f"{account}/status").mock(httpx.Response(200, json=ACCOUNT_STATUS))
    api.post(f"{account}/payment-links").mock(httpx.Response(201, json={"url": "https://pay.test/t"}))
    tracker = _asked_before_the_form("make_payment", "no clue what i owe you guys, i just want to pay it", [])

    await ActionIdentityOutcome().run(dispatcher, tracker, domain)

    assert responses(dispatcher)[0] == "utter_balance" and "pay.test" in str(dispatcher.messages[-1])


@pytest.mark.parametrize(
    ("intent", "text"),
    [
        ("settlement_offer", "is there any way to settle this for less?"),
        ("financial_hardship", "I need a payment plan, I'm drowning in bills"),  # heldout25 867
    ],
)
async def test_terms_asked_before_verification_come_after_the_debt_they_are_for(
    api, dispatcher, domain, intent, text
):
    """heldout24 806: a plan of $36.95 a month was offered for a debt never named once verified."""
    api.get(BALANCE).mock(httpx.Response(200, json=BODY))
    api.get(f"/api/v1/accounts/{ACCOUNT_ID}/status").mock(httpx.Response(200, json=ACCOUNT_STATUS))
    referred = httpx.Response(200, json={"decision": "refer"})
    api.post(f"/api/v1/accounts/{ACCOUNT_ID}/offers/evaluate").mock(referred)
    tracker = _asked_before_the_form(intent, text, [])

    await ActionIdentityOutcome().run(dispatcher, tracker, domain)

    assert responses(dispatcher)[0] == "utter_balance" and len(responses(dispatcher)) > 1


async def test_of_two_dates_before_verification_the_one_proposed_last_is_the_promise(dispatcher, domain):
    dates = [{"entity": "date", "value": "friday"}, {"entity": "date", "value": "next monday"}]
    tracker = _asked_before_the_form(
        "promise_to_pay", "i cant pay that on friday, can i do next monday", dates
    )

    events = await ActionIdentityOutcome().run(dispatcher, tracker, domain)

    assert slot_events(events)["promise_date"] == "next monday"


async def test_a_month_in_a_message_about_something_else_draws_no_complaint(dispatcher, domain):
    tracker = make_tracker(text="my father passed away in September. ref ACME-1003", intent="deceased")

    slots = await ValidateIdentityForm().validate_dob("September", dispatcher, tracker, domain)

    assert slots["dob"] is None
    assert responses(dispatcher) == []


async def test_a_mistyped_zip_read_as_a_year_leaves_the_date_of_birth_held(dispatcher, domain):
    """heldout11 391: "its 2001" to the ZIP question (dob entity 2001) dropped the birth date, so the debtor
    was asked for it again and "oops 20001 missed a zero" was then no date of birth."""
    slots = {"requested_slot": "zip_code", "dob": "2001"}  # the form's new candidate, from the entity
    tracker = make_tracker(slots=slots, text="its 2001", intent="inform_identity")
    tracker.events = [
        {"event": "slot", "name": "dob", "value": "1985-03-14"},
        {"event": "user", "text": "its 2001"},
        {"event": "slot", "name": "dob", "value": "2001"},
    ]

    kept = await ValidateIdentityForm().validate_dob("2001", dispatcher, tracker, domain)

    assert kept == {"dob": "1985-03-14"}
    assert responses(dispatcher) == []


async def test_a_corrected_zip_is_the_one_the_message_gives_first_not_the_last_entity(dispatcher, domain):
    """heldout24 809: "its 60601 not 60610" (both marked as ZIPs, the slot the last) was a failed try."""
    text = "ugh typo on my end, its 60601 not 60610. birthday same as before 07/02/1990"
    tracker = make_tracker(slots={"requested_slot": "dob", "dob": "1990-07-02"}, text=text)

    kept = await ValidateIdentityForm().validate_zip_code("60610", dispatcher, tracker, domain)

    assert kept["zip_code"] == "60601"


async def test_an_unreadable_answer_to_the_date_of_birth_question_is_asked_again(dispatcher, domain):
    tracker = make_tracker(slots={"requested_slot": "dob"}, text="september", intent="deceased")

    await ValidateIdentityForm().validate_dob("September", dispatcher, tracker, domain)

    assert responses(dispatcher) == ["utter_invalid_dob"]


def test_an_unclear_message_is_what_it_most_likely_was_when_that_is_clear_enough():
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.6},
        {"name": "already_paid", "confidence": 0.52},
        {"name": "offer_payment", "confidence": 0.16},
    ]
    request = {"intent": {"name": "nlu_fallback"}, "intent_ranking": ranking, "entities": []}

    assert requested(request) == "already_paid"


def test_an_unclear_message_with_two_close_guesses_stays_unclear():
    ranking = [{"name": "deceased", "confidence": 0.39}, {"name": "inform_identity", "confidence": 0.36}]
    request = {"intent": {"name": "nlu_fallback"}, "intent_ranking": ranking, "entities": []}

    assert requested(request) == "nlu_fallback"


async def test_an_offer_inside_the_identity_form_is_no_failed_date_of_birth(dispatcher, domain):
    said = "no way, that's too high. can I do 75 a month?"
    tracker = make_tracker(slots={"requested_slot": "dob"}, text=said, intent="offer_payment")

    events = await ValidateIdentityForm().validate_dob(said, dispatcher, tracker, domain)

    assert responses(dispatcher) == []
    assert events["dob"] is None


def test_identity_facts_with_a_request_beside_them_keep_that_request():
    """ "ACME-1002, born 07/02/1990, zip 60601 - what's the total, and can you send me a link to pay it?" """
    request = {"intent": {"name": "inform_identity"}, "request": {"name": "check_balance+make_payment"}}

    assert requested(request) == "check_balance+make_payment"
    assert requested({"intent": {"name": "inform_identity"}}) == "inform_identity"


def test_the_kept_message_is_read_as_the_request_beside_the_facts():
    beside = {"name": "check_balance+request_payment_plan", "confidence": 0.6}
    request = {
        "intent": {"name": "inform_identity"},
        "request": beside,
        "entities": [{"entity": "frequency"}],
    }

    assert as_requested(request)["intent"] == beside
    assert as_requested(request)["entities"] == request["entities"]
    plain = {"intent": {"name": "check_balance"}}
    assert as_requested(plain) is plain


async def test_a_dispute_said_before_verification_queues_a_person_to_review_it_once_verified(
    api, dispatcher, domain
):
    """heldout16 559: the dispute was recorded after verification, but nobody was queued to review it."""
    api.post(f"/api/v1/accounts/{ACCOUNT_ID}/disputes").mock(httpx.Response(201, json={"id": "d1"}))
    tracker = _asked_before_the_form("dispute_debt", "this isnt my debt, never had a card with them", [])

    events = await ActionIdentityOutcome().run(dispatcher, tracker, domain)

    assert responses(dispatcher) == ["utter_dispute_recorded"]
    assert api.routes[0].call_count == 1  # the handoff, as ActionRecordDispute queues one
    assert {"event": "slot", "name": "collection_paused", "value": True} in [
        {k: e.get(k) for k in ("event", "name", "value")} for e in events
    ]


async def test_never_having_dealt_with_us_asked_before_verification_gets_the_balance_not_a_dispute(
    api, dispatcher, domain
):
    """heldout22 771: "who is Acme Recovery Services? ive never done business with you" (read as a dispute)
    had a dispute recorded once verified; the balance names the creditor and the original account."""
    api.get(BALANCE).mock(httpx.Response(200, json=BODY))
    api.get(f"/api/v1/accounts/{ACCOUNT_ID}/status").mock(httpx.Response(200, json=ACCOUNT_STATUS))
    disputes = api.post(f"/api/v1/accounts/{ACCOUNT_ID}/disputes").mock(httpx.Response(201, json={"id": "d"}))
    text = "who is Acme Recovery Services? ive never done business with you. ACME-1003 is whats on the notice"
    tracker = _asked_before_the_form("dispute_debt", text, [])

    await ActionIdentityOutcome().run(dispatcher, tracker, domain)

    assert not disputes.called
    assert responses(dispatcher)[0] == "utter_balance"


@pytest.mark.parametrize(
    "text",
    [
        "who are you? this is not my debt",
        # heldout20 679
        "who are you and why do you think I owe something?? I never opened any account that went to "
        "collections, this isn't mine",
        "never heard of you and i dont owe anything",
    ],
)
def test_a_debt_called_not_theirs_beside_who_we_are_stays_a_dispute(text: str) -> None:
    assert not about_us({"intent": {"name": "dispute_debt"}, "text": text})


def test_a_claim_repeated_beside_the_facts_keeps_the_details_of_the_first() -> None:
    """heldout28 946: "... check ur records" (a claim kept beside the facts) replaced the message with the day
    and the amount; a repeat naming terms ("... make it monday") still corrects them."""
    first = _user("already_paid", "i already paid this!! sent the full 665 through zelle on nov 20")
    first["parse_data"]["entities"] = [{"entity": "date", "value": "nov 20"}]
    again = _user("inform_identity", "ACME-1002 dob 07/02/1990, zip 60601. check ur records")
    again["parse_data"]["entities"] = [{"entity": "dob", "value": "07/02/1990"}]
    again["parse_data"]["request"] = {"name": "already_paid", "confidence": 0.45}
    dated = _user("inform_identity", "dob 07/02/1990, zip 60601. i paid it on nov 21 actually")
    dated["parse_data"]["entities"] = [
        {"entity": "dob", "value": "07/02/1990"},
        {"entity": "date", "value": "nov 21"},
    ]
    dated["parse_data"]["request"] = {"name": "already_paid", "confidence": 0.9}

    assert request_before_verification(_verifying(first, again))["entities"] == [
        {"entity": "date", "value": "nov 20"}
    ]
    assert request_before_verification(_verifying(first, dated)) is dated["parse_data"]


async def test_a_dispute_asking_for_proof_gets_the_validation_information_too(api, dispatcher, domain):
    """heldout32 1071: "it isn't mine. I want proof before I pay a single cent." got the validation
    information only; the dispute is recorded, a person queued, and the proof sent."""
    api.post(f"/api/v1/accounts/{ACCOUNT_ID}/disputes").mock(httpx.Response(201, json={"id": "d1"}))
    api.get(f"/api/v1/accounts/{ACCOUNT_ID}/validation-notice").mock(
        httpx.Response(200, json={"current_amount": "665.00", "itemization_date": "2026-08-01"})
    )
    text = (
        "I do not recognize this medical bill at all, it isn't mine. I want proof before I pay a single cent."
    )
    tracker = _asked_before_the_form("dispute_debt", text, [])

    await ActionIdentityOutcome().run(dispatcher, tracker, domain)

    assert responses(dispatcher) == ["utter_dispute_recorded", "utter_validation_notice"]
