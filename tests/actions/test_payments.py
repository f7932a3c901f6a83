"""The promise and payment-claim forms' dates: read into ISO slots, or asked again when unreadable."""

import json
from datetime import date, timedelta

import httpx
import pytest

from actions.parsing import today_in
from actions.payments import (
    ActionRecordPromise,
    ValidatePaymentClaimForm,
    ValidatePromiseForm,
    corrects_promise,
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


async def test_an_unreadable_promise_date_is_asked_again(dispatcher, domain):
    slots = await ValidatePromiseForm().validate_promise_date("", dispatcher, make_tracker(), domain)

    assert slots == {"promise_date": None}
    assert responses(dispatcher) == ["utter_invalid_promise_date"]


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
