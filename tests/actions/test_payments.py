"""The promise and payment-claim forms' dates: read into ISO slots, or asked again when unreadable."""

import json
from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from actions.parsing import parse_past_date, today_in
from actions.payments import (
    ActionPaymentLink,
    ActionRecordClaim,
    ActionRecordPromise,
    ValidatePaymentClaimForm,
    ValidatePromiseForm,
    corrects_promise,
    latest_date_allowed,
)
from tests.actions.conftest import ACCOUNT_ID, ACCOUNT_STATUS, VERIFIED, make_tracker, responses


async def test_a_promise_date_is_resolved_in_the_debtors_time_zone(dispatcher, domain):
    tomorrow = today_in("America/New_York") + timedelta(days=1)

    slots = await ValidatePromiseForm().validate_promise_date("tomorrow", dispatcher, make_tracker(), domain)

    assert slots == {"promise_date": tomorrow.isoformat()}
    assert responses(dispatcher) == []


async def test_a_promise_date_is_read_in_the_default_zone_while_the_api_is_down(api, dispatcher, domain):
    """The form must not fail (Rasa would then drop the turn); recording the promise answers the outage."""
    api.get(f"/api/v1/accounts/{ACCOUNT_ID}/status").mock(side_effect=httpx.ConnectError("down"))
    tomorrow = today_in("America/New_York") + timedelta(days=1)

    slots = await ValidatePromiseForm().validate_promise_date(
        "tomorrow", dispatcher, make_tracker(slots=VERIFIED), domain
    )

    assert slots == {"promise_date": tomorrow.isoformat()}


async def test_a_message_naming_several_dates_is_read_for_the_one_the_debtor_keeps(dispatcher, domain):
    """Rasa fills the slot with one of the DIET dates ('this month'); the whole message says the 18th."""
    text = "wait sorry, the 18th not the 15th. they pushed payday back this month"
    dates = [{"entity": "date", "value": value} for value in ("the 18th", "not", "the 15th", "this month")]
    today = today_in("America/New_York")
    tracker = make_tracker(text=text, intent="promise_to_pay", entities=dates)
    slots = await ValidatePromiseForm().validate_promise_date("this month", dispatcher, tracker, domain)
    promised = date.fromisoformat(slots["promise_date"])
    assert promised.day == 18 and promised >= today


async def test_a_date_the_nlu_marked_in_part_is_read_from_the_whole_message(dispatcher, domain):
    """heldout 18: the NLU marked "the" of "the 18th" as the date: "I couldn't read that as a future date"."""
    tracker = make_tracker(
        text="the 18th", intent="promise_to_pay", entities=[{"entity": "date", "value": "the"}]
    )
    today = today_in("America/New_York")

    slots = await ValidatePromiseForm().validate_promise_date("the", dispatcher, tracker, domain)

    promised = date.fromisoformat(slots["promise_date"])
    assert promised.day == 18 and promised >= today
    assert responses(dispatcher) == []


async def test_an_unreadable_promise_date_is_asked_again(dispatcher, domain):
    slots = await ValidatePromiseForm().validate_promise_date("", dispatcher, make_tracker(), domain)

    assert slots == {"promise_date": None}
    assert responses(dispatcher) == ["utter_invalid_promise_date"]


async def test_a_second_answer_that_is_no_date_ends_the_question(dispatcher, domain):
    """heldout9 352: "I couldn't read that as a future date" three times in a row; the second miss ends the
    form with a way forward."""
    text = "zelle from my chase account, confirmation 7XK2P9"
    tracker = make_tracker(text=text, intent="nlu_fallback", active_loop="promise_form")
    missed = {
        "event": "bot",
        "text": "couldn't read",
        "metadata": {"utter_action": "utter_invalid_promise_date"},
    }
    tracker.events = [{"event": "user", "text": "hey", "parse_data": {}}, missed, *tracker.events]

    slots = await ValidatePromiseForm().validate_promise_date(text, dispatcher, tracker, domain)

    assert slots == {"promise_date": None, "requested_slot": None}
    assert responses(dispatcher) == ["utter_promise_date_later"]


async def test_a_second_answer_to_the_claim_date_that_is_no_date_ends_the_form_with_a_person_offered(
    dispatcher, domain
):
    """Session 23's new user: "i thought that was all settled" started the claim form; "ok how much is it and
    can i split it in 3", then an opt-out, each got "I couldn't read that as a past date" and the question."""
    text = "hmm ok, how much is it then"
    tracker = make_tracker(text=text, intent="check_balance", active_loop="payment_claim_form")
    missed = {
        "event": "bot",
        "text": "couldn't read",
        "metadata": {"utter_action": "utter_invalid_claim_date"},
    }
    tracker.events = [{"event": "user", "text": "hey", "parse_data": {}}, missed, *tracker.events]

    slots = await ValidatePaymentClaimForm().validate_claim_date(text, dispatcher, tracker, domain)

    assert slots == {"claim_date": None, "requested_slot": None}
    assert responses(dispatcher) == ["utter_offer_person_after_misses"]
    first = await ValidatePaymentClaimForm().validate_claim_date(
        text, dispatcher, make_tracker(text=text), domain
    )
    assert first == {"claim_date": None}  # the first miss is asked again


async def test_a_claim_date_is_read_as_a_past_date(dispatcher, domain):
    yesterday = date.today() - timedelta(days=1)

    slots = await ValidatePaymentClaimForm().validate_claim_date(
        "yesterday", dispatcher, make_tracker(), domain
    )

    assert slots == {"claim_date": yesterday.isoformat()}
    assert responses(dispatcher) == []


async def test_an_unreadable_claim_date_is_asked_again(dispatcher, domain):
    slots = await ValidatePaymentClaimForm().validate_claim_date(
        "the blue moon", dispatcher, make_tracker(), domain
    )

    assert slots == {"claim_date": None}
    assert responses(dispatcher) == ["utter_invalid_claim_date"]


async def test_a_date_given_when_the_amount_is_asked_is_no_amount(dispatcher, domain):
    """ "october 28" corrects the date (its own mapping) and the amount is asked again, never $28."""
    tracker = make_tracker(text="october 28", intent="inform_identity")

    slots = await ValidatePaymentClaimForm().validate_claim_amount("28", dispatcher, tracker, domain)

    assert slots == {"claim_amount": None}
    assert responses(dispatcher) == []


async def test_a_claim_date_said_with_the_amount_and_how_keeps_all_three(dispatcher, domain):
    """heldout8 305: "It was nov 20. I paid the full 665 with my visa debit, confirmation CH-44817" got
    "How much did you pay?", then the confirmation number's digits as the amount."""
    text = "It was nov 20. I paid the full 665 with my visa debit, confirmation CH-44817"
    tracker = make_tracker(
        text=text, intent="inform_identity", entities=[{"entity": "date", "value": "nov 20"}]
    )
    form = ValidatePaymentClaimForm()

    dated = await form.validate_claim_date("nov 20", dispatcher, tracker, domain)
    amount = await form.validate_claim_amount(text, dispatcher, tracker, domain)

    paid_on = str(parse_past_date("nov 20"))
    assert dated == {"claim_date": paid_on, "claim_method": text, "claim_amount": "665"}
    assert amount == {"claim_amount": "665"}  # and when Rasa fills the amount from the text too


async def test_an_amount_said_before_verification_is_kept_when_the_form_starts_after_it(dispatcher, domain):
    """heldout20 686: "sent the full 665 on dec 2 through zelle", then "07/02/1990, 60601" (a date): the 665
    carried into the form was dropped and asked for."""
    tracker = make_tracker(text="07/02/1990, 60601", intent="inform_identity")

    slots = await ValidatePaymentClaimForm().validate_claim_amount("665", dispatcher, tracker, domain)

    assert slots == {"claim_amount": "665"}
    assert responses(dispatcher) == []


async def test_a_confirmation_number_is_no_amount(dispatcher, domain):
    text = "visa debit card, conf number CH-44817, same as i said"
    tracker = make_tracker(text=text, intent="inform_identity")

    slots = await ValidatePaymentClaimForm().validate_claim_amount(text, dispatcher, tracker, domain)

    assert slots == {"claim_amount": None}
    assert responses(dispatcher) == ["utter_invalid_amount"]


async def test_an_amount_with_a_date_and_money_words_is_an_amount(dispatcher, domain):
    tracker = make_tracker(text="300 bucks on oct 28", intent="inform_identity")

    slots = await ValidatePaymentClaimForm().validate_claim_amount("300", dispatcher, tracker, domain)

    assert slots == {"claim_amount": "300"}


@pytest.mark.parametrize(("amount_before", "kept"), [(None, "300"), ("250", "250")])
async def test_an_amount_given_when_the_method_is_asked_is_no_method(dispatcher, domain, amount_before, kept):
    """ "300 bucks" answers how much, not how: the amount is kept (unless given) and "how" asked again."""
    tracker = make_tracker(slots={"claim_amount": amount_before}, text="300 bucks", intent="inform_identity")

    slots = await ValidatePaymentClaimForm().validate_claim_method("300 bucks", dispatcher, tracker, domain)

    assert slots == {"claim_method": None, "claim_amount": kept}


async def test_a_method_with_an_amount_in_it_is_the_method(dispatcher, domain):
    tracker = make_tracker(text="debit card over the phone, 300", intent="inform_identity")

    slots = await ValidatePaymentClaimForm().validate_claim_method(
        "debit card over the phone, 300", dispatcher, tracker, domain
    )

    assert slots == {"claim_method": "debit card over the phone, 300"}


def _after_a_promise(*texts: str, session_break: bool = False):
    """A tracker where a promise was recorded, then the debtor wrote `texts`."""
    tracker = make_tracker(slots=VERIFIED, text=texts[-1], intent="promise_to_pay")
    recorded = {"event": "bot", "text": "noted", "metadata": {"utter_action": "utter_promise_recorded"}}
    promise = {"intent": {"name": "promise_to_pay"}}
    said = [{"event": "user", "text": text, "parse_data": promise} for text in texts]
    tracker.events = [recorded, *([{"event": "session_started"}] if session_break else []), *said]
    return tracker


def test_a_promise_taken_back_corrects_the_one_just_recorded():
    """Issue 11 (heldout6 237): "scratch that, make it one week from today" replaces the promise."""
    assert corrects_promise(_after_a_promise("wait actually scratch that, make it one week from today"))
    assert corrects_promise(_after_a_promise("can i change it", "make it the 20th instead"))
    assert not corrects_promise(_after_a_promise("and another 50 on the 20th"))
    assert corrects_promise(_after_a_promise("12/18"))  # a date alone right after it: dev 19
    assert not corrects_promise(_after_a_promise("scratch that, make it friday", session_break=True))
    assert not corrects_promise(make_tracker(slots=VERIFIED, text="actually friday", intent="promise_to_pay"))


async def test_a_recorded_promise_answers_the_terms_on_the_table(api, dispatcher, domain):
    """Issue 11 (heldout6 257): after the support message's hardship plan and then a promise, "yes
    Thursday" accepted the plan; the promise answers the offer, so nothing is pending any more."""
    api.get(f"/api/v1/accounts/{ACCOUNT_ID}/status").mock(httpx.Response(200, json=ACCOUNT_STATUS))
    route = api.post(f"/api/v1/accounts/{ACCOUNT_ID}/promises").mock(
        httpx.Response(201, json={"id": "p-2", "date": "2026-12-10", "amount": None})
    )
    slots = {
        **VERIFIED,
        "promise_date": "2026-12-10",
        "offer_pending": True,
        "pending_offer": {"kind": "plan"},
    }
    tracker = make_tracker(slots=slots, text="I can pay it Thursday", intent="promise_to_pay")

    events = await ActionRecordPromise().run(dispatcher, tracker, domain)

    assert json.loads(route.calls.last.request.content) == {"date": "2026-12-10", "amount": None}
    assert responses(dispatcher) == ["utter_promise_recorded"]
    assert {"event": "slot", "name": "offer_pending", "value": False, "timestamp": None} in events


PROMISES = f"/api/v1/accounts/{ACCOUNT_ID}/promises"


def _promise_api(api) -> Any:
    """The account's status, balance (total $1,320.40) and promises endpoints; the promises route."""
    from tests.actions.test_balance import BALANCE, BODY

    api.get(f"/api/v1/accounts/{ACCOUNT_ID}/status").mock(httpx.Response(200, json=ACCOUNT_STATUS))
    api.get(BALANCE).mock(httpx.Response(200, json=BODY))
    return api.post(PROMISES).mock(
        httpx.Response(201, json={"id": "p-1", "date": "2026-12-15", "amount": None})
    )


def _slot(events: list[dict[str, Any]], name: str) -> Any:
    return [e["value"] for e in events if e.get("event") == "slot" and e.get("name") == name][-1]


async def test_part_now_and_the_rest_on_a_later_day_are_two_promises(api, dispatcher, domain):
    """A new user's SMS: "can i pay 300 on the 15th and the rest on jan 20?" noted only the $300."""
    route = _promise_api(api)
    slots = {**VERIFIED, "promise_date": "2026-12-15", "promise_amount": "300"}
    text = "can i pay 300 on the 15th and the rest on jan 20?"
    tracker = make_tracker(slots=slots, text=text, intent="promise_to_pay")

    events = await ActionRecordPromise().run(dispatcher, tracker, domain)

    sent = [json.loads(call.request.content) for call in route.calls]
    assert sent[0] == {"date": "2026-12-15", "amount": "300"}
    assert sent[1]["amount"] == "1020.40" and sent[1]["date"].endswith("-01-20")
    assert "corrects_latest" not in sent[1]
    assert responses(dispatcher) == ["utter_promise_recorded", "utter_promise_recorded"]
    assert dispatcher.messages[1]["what"] == "$1,020.40 "
    assert _slot(events, "promise_rest") is None


async def test_a_promise_with_the_link_asked_for_is_noted_and_the_link_sent(api, dispatcher, domain):
    """heldout10 364: "next friday yeah. can u send the link now so i have it ready": only the promise."""
    _promise_api(api)
    links = f"/api/v1/accounts/{ACCOUNT_ID}/payment-links"
    api.post(links).mock(httpx.Response(201, json={"url": "https://pay.test/t"}))
    slots = {**VERIFIED, "promise_date": "2026-12-11"}
    text = "next friday yeah. can u send the link now so i have it ready"

    await ActionRecordPromise().run(dispatcher, make_tracker(slots=slots, text=text), domain)
    assert responses(dispatcher) == ["utter_promise_recorded", "utter_payment_link"]


async def test_a_promise_naming_no_link_sends_none(api, dispatcher, domain):
    _promise_api(api)
    slots = {**VERIFIED, "promise_date": "2026-12-11"}
    text = "next friday, i'll use the link you sent"

    await ActionRecordPromise().run(dispatcher, make_tracker(slots=slots, text=text), domain)
    assert responses(dispatcher) == ["utter_promise_recorded"]


async def test_the_rest_in_a_month_asks_which_day(api, dispatcher, domain):
    route = _promise_api(api)
    slots = {**VERIFIED, "promise_date": "2026-12-15", "promise_amount": "300"}
    tracker = make_tracker(
        slots=slots, text="300 on the 15th and the rest in january", intent="promise_to_pay"
    )

    events = await ActionRecordPromise().run(dispatcher, tracker, domain)

    assert len(route.calls) == 1
    assert responses(dispatcher) == ["utter_promise_recorded", "utter_ask_promise_rest"]
    assert dispatcher.messages[1]["amount"] == "$1,020.40"
    assert _slot(events, "promise_rest") == "1020.40"


@pytest.mark.parametrize("later", ["and the rest on the 20th of january", "1/20"])
async def test_the_rest_promised_later_is_what_was_left(api, dispatcher, domain, later):
    """After "$300 on the 15th" (and the question of which day, for a bare date): the rest is $1,020.40,
    promised beside the first promise, which a bare date right after it would otherwise correct."""
    route = _promise_api(api)
    slots = {**VERIFIED, "promise_date": "2027-01-20", "promise_rest": "1020.40"}
    tracker = make_tracker(slots=slots, text=later, intent="promise_to_pay")
    asked = {"event": "bot", "text": "which day?", "metadata": {"utter_action": "utter_ask_promise_rest"}}
    user = {"event": "user", "text": later, "parse_data": {"intent": {"name": "promise_to_pay"}}}
    before = {"event": "user", "text": "300 on the 15th and the rest in january", "parse_data": {}}
    recorded = {"event": "bot", "text": "noted", "metadata": {"utter_action": "utter_promise_recorded"}}
    form = [{"event": "action", "name": "promise_form"}, {"event": "active_loop", "name": None}]
    tracker.events = [before, recorded, asked, {"event": "action", "name": "promise_form"}, user, *form]

    events = await ActionRecordPromise().run(dispatcher, tracker, domain)

    assert json.loads(route.calls.last.request.content) == {"date": "2027-01-20", "amount": "1020.40"}
    assert responses(dispatcher) == ["utter_promise_recorded"]
    assert _slot(events, "promise_rest") is None


TOO_FAR = httpx.Response(422, json={"detail": {"latest_date": "2027-01-04"}})


async def test_the_rest_on_a_day_too_far_is_kept_and_its_day_asked_again(api, dispatcher, domain):
    """ "300 on the 15th and the rest on jan 20", the 20th past the promise window: the rest stays to promise
    (a later "jan 2 then" promises it) and its day is asked again."""
    route = _promise_api(api)
    route.side_effect = [route.return_value, TOO_FAR]
    slots = {**VERIFIED, "promise_date": "2026-12-15", "promise_amount": "300"}
    tracker = make_tracker(
        slots=slots, text="300 on the 15th and the rest on jan 20", intent="promise_to_pay"
    )

    events = await ActionRecordPromise().run(dispatcher, tracker, domain)

    assert responses(dispatcher) == [
        "utter_promise_recorded",
        "utter_promise_too_far",
        "utter_ask_promise_rest",
    ]
    assert dispatcher.messages[2]["amount"] == "$1,020.40"
    assert _slot(events, "promise_rest") == "1020.40"


async def test_the_rests_day_refused_as_too_far_is_asked_again(api, dispatcher, domain):
    """The answer to "which day can you pay it?" past the window: the rest is kept and asked for again."""
    api.get(f"/api/v1/accounts/{ACCOUNT_ID}/status").mock(httpx.Response(200, json=ACCOUNT_STATUS))
    api.post(PROMISES).mock(TOO_FAR)
    slots = {**VERIFIED, "promise_date": "2027-01-20", "promise_rest": "1020.40"}
    tracker = make_tracker(slots=slots, text="1/20", intent="promise_to_pay")
    asked = {"event": "bot", "text": "which day?", "metadata": {"utter_action": "utter_ask_promise_rest"}}
    user = {"event": "user", "text": "1/20", "parse_data": {"intent": {"name": "promise_to_pay"}}}
    tracker.events = [{"event": "user", "text": "300 on the 15th", "parse_data": {}}, asked, user]

    events = await ActionRecordPromise().run(dispatcher, tracker, domain)

    assert responses(dispatcher) == ["utter_promise_too_far", "utter_ask_promise_rest"]
    assert not [e for e in events if e.get("name") == "promise_rest"]


async def test_a_promise_of_the_whole_total_leaves_nothing_to_ask(api, dispatcher, domain):
    route = _promise_api(api)
    slots = {**VERIFIED, "promise_date": "2026-12-15", "promise_amount": "1320.40"}
    tracker = make_tracker(
        slots=slots, text="all 1320.40 on the 15th, the rest of it is fine", intent="promise_to_pay"
    )

    events = await ActionRecordPromise().run(dispatcher, tracker, domain)

    assert len(route.calls) == 1
    assert responses(dispatcher) == ["utter_promise_recorded"]
    assert _slot(events, "promise_rest") is None


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("can u send the link, ill pay thurs", ["utter_payment_link", "utter_promise_recorded"]),
        (
            "send me the link pls, i can pay on friday when i get paid",
            ["utter_payment_link", "utter_promise_recorded"],
        ),
        ("just send me the link and i'll pay it tonight", ["utter_payment_link"]),
        ("send me the link, friday was a nightmare", ["utter_payment_link"]),
    ],
)
async def test_a_day_to_pay_said_beside_the_link_is_noted_as_a_promise(api, dispatcher, domain, text, said):
    """A new user's SMS (session 21): "can u send the link, ill pay thurs" got the link, Thursday forgotten;
    paying tonight is the link alone."""
    route = _promise_api(api)
    links = f"/api/v1/accounts/{ACCOUNT_ID}/payment-links"
    api.post(links).mock(httpx.Response(201, json={"url": "https://pay.test/t"}))

    await ActionPaymentLink().run(dispatcher, make_tracker(slots=VERIFIED, text=text), domain)

    assert responses(dispatcher) == said
    promised = [json.loads(call.request.content) for call in route.calls]
    assert len(promised) == len(said) - 1
    assert all(date.fromisoformat(sent["date"]) > today_in(ACCOUNT_STATUS["timezone"]) for sent in promised)


def _after_a_claim(text: str) -> Any:
    """A verified conversation whose last answer passed a claim on, as the debtor writes `text`."""
    tracker = make_tracker(slots=VERIFIED, text=text, intent="already_paid")
    passed_on = {"event": "bot", "text": "passed on", "metadata": {"utter_action": "utter_claim_recorded"}}
    tracker.events = [
        {"event": "user", "text": "i mailed a check for 665 on sept 3"},
        passed_on,
        *tracker.events,
    ]
    return tracker


async def test_more_about_the_payment_right_after_a_claim_is_kept_with_that_claim(api, dispatcher, domain):
    """heldout14 498: "personal check, number 1047, it cleared my bank" was asked again when it was paid."""
    tracker = _after_a_claim("personal check, number 1047, it cleared my bank")
    added = api.post(f"/api/v1/accounts/{ACCOUNT_ID}/payment-claims/latest/details").mock(
        httpx.Response(200, json={"id": "c1"})
    )

    assert await ValidatePaymentClaimForm().required_slots(["claim_date"], dispatcher, tracker, domain) == []
    await ActionRecordClaim().run(dispatcher, tracker, domain)

    assert json.loads(added.calls.last.request.content) == {
        "text": "personal check, number 1047, it cleared my bank"
    }
    assert responses(dispatcher) == ["utter_claim_recorded"]


async def test_another_payment_with_its_day_after_a_claim_is_another_claim(dispatcher, domain):
    tracker = _after_a_claim("oh and i also paid 200 on october 5")

    slots = await ValidatePaymentClaimForm().required_slots(["claim_date"], dispatcher, tracker, domain)

    assert slots == ["claim_date"]


async def test_an_amount_said_before_verification_goes_to_the_api_as_a_number(api, dispatcher, domain):
    """heldout22 748 (SMS): "i can put $400 toward this next friday" before verification kept "$400" in the
    slot, which the API refused (a 422 with a list of problems) and the action crashed: "something went
    wrong" instead of the promise."""
    route = _promise_api(api)
    slots = {**VERIFIED, "promise_date": "2026-12-11", "promise_amount": "$400"}
    tracker = make_tracker(slots=slots, text="03/14/1985 20001", intent="inform_identity")

    await ActionRecordPromise().run(dispatcher, tracker, domain)

    assert json.loads(route.calls.last.request.content) == {"date": "2026-12-11", "amount": "400"}
    assert responses(dispatcher) == ["utter_promise_recorded"]
    assert dispatcher.messages[0]["what"] == "$400.00 "


def test_a_refusal_that_is_not_about_the_date_names_no_latest_date() -> None:
    assert latest_date_allowed({"detail": [{"loc": ["body", "amount"], "msg": "bad"}]}) is None
    assert latest_date_allowed({"detail": {"latest_date": "2027-01-04"}}) == "2027-01-04"
    assert latest_date_allowed(["odd"]) is None
