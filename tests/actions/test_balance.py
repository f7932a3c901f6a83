"""Balance disclosure: itemized for a verified debtor, nothing at all for anyone else."""

import httpx

from actions.balance import ActionShowBalance
from tests.actions.conftest import ACCOUNT_ID, make_tracker, responses, slot_events

BALANCE = f"/api/v1/accounts/{ACCOUNT_ID}/balance"
BODY = {
    "account_id": ACCOUNT_ID,
    "reference": "ACME-1001",
    "creditor": "Northwind Bank",
    "original_creditor": "Northwind Bank Visa",
    "principal": "1200.00",
    "interest": "85.40",
    "fees": "35.00",
    "total": "1320.40",
    "currency": "USD",
    "due_date": "2026-12-15",
    "days_past_due": 45,
    "time_barred": False,
}
VERIFIED = {"verified": True, "account_id": ACCOUNT_ID, "verification_grant": "signed-grant"}


async def test_a_verified_debtor_gets_the_itemized_balance(api, dispatcher, domain):
    route = api.get(BALANCE).mock(httpx.Response(200, json=BODY))
    await ActionShowBalance().run(dispatcher, make_tracker(slots=VERIFIED, intent="check_balance"), domain)
    assert route.calls.last.request.headers["X-Verification-Grant"] == "signed-grant"
    message = dispatcher.messages[-1]
    assert message["response"] == "utter_balance"
    assert (message["principal"], message["interest"], message["fees"], message["total"]) == (
        "$1,200.00",
        "$85.40",
        "$35.00",
        "$1,320.40",
    )
    assert message["due_date"] == "Dec 15, 2026"
    assert message["creditor"] == "Northwind Bank"


async def test_an_unverified_debtor_hears_nothing_about_the_debt(api, dispatcher, domain):
    events = await ActionShowBalance().run(dispatcher, make_tracker(intent="check_balance"), domain)
    assert not api.calls
    assert responses(dispatcher) == ["utter_need_verification"]
    assert [e["name"] for e in events if e["event"] == "followup"] == ["identity_form"]


async def test_a_rejected_grant_asks_for_verification_again(api, dispatcher, domain):
    api.get(BALANCE).mock(httpx.Response(403))
    events = await ActionShowBalance().run(dispatcher, make_tracker(slots=VERIFIED), domain)
    assert responses(dispatcher) == ["utter_verification_expired"]
    assert slot_events(events) == {"verified": False, "verification_grant": None}


async def test_an_api_failure_is_a_graceful_message(api, dispatcher, domain):
    api.get(BALANCE).mock(httpx.Response(503))
    await ActionShowBalance().run(dispatcher, make_tracker(slots=VERIFIED), domain)
    assert responses(dispatcher) == ["utter_service_unavailable"]
