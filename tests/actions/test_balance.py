"""Balance disclosure: itemized for a verified debtor, nothing at all for anyone else."""

from datetime import date, datetime, timedelta, timezone

import httpx
import pytest

from actions.balance import ActionShowBalance, balance_response
from actions.clients.accounts import Balance
from actions.formatting import long_date
from actions.parsing import today_in
from shared.demo import NORTHWIND_TERMS
from tests.actions.conftest import ACCOUNT_ID, ACCOUNT_STATUS, VERIFIED, make_tracker, responses, slot_events

BALANCE = f"/api/v1/accounts/{ACCOUNT_ID}/balance"
STATUS = f"/api/v1/accounts/{ACCOUNT_ID}/status"
# Days either side of today, wide enough that no time zone puts them on the other side.
SOON = (date.today() + timedelta(days=11)).isoformat()
LAST_WEEK = (date.today() - timedelta(days=3)).isoformat()
BODY = {
    "account_id": ACCOUNT_ID,
    "reference": "ACME-1001",
    **NORTHWIND_TERMS,
    "total": "1320.40",
    "due_date": SOON,
}


async def test_a_verified_debtor_gets_the_itemized_balance(api, dispatcher, domain):
    route = api.get(BALANCE).mock(httpx.Response(200, json=BODY))
    api.get(STATUS).mock(httpx.Response(200, json=ACCOUNT_STATUS))
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
    assert message["due_date"] == long_date(date.fromisoformat(SOON))
    assert message["creditor"] == "Northwind Bank"


async def test_an_unverified_debtor_hears_nothing_about_the_debt(api, dispatcher, domain):
    events = await ActionShowBalance().run(dispatcher, make_tracker(intent="check_balance"), domain)
    assert not api.calls
    assert responses(dispatcher) == ["utter_need_verification"]
    assert [e["name"] for e in events if e["event"] == "followup"] == ["identity_form"]


async def test_a_rejected_grant_asks_for_verification_again(api, dispatcher, domain):
    api.get(STATUS).mock(httpx.Response(200, json=ACCOUNT_STATUS))
    api.get(BALANCE).mock(httpx.Response(403))
    events = await ActionShowBalance().run(dispatcher, make_tracker(slots=VERIFIED), domain)
    assert responses(dispatcher) == ["utter_verification_expired"]
    assert slot_events(events) == {"verified": False, "verification_grant": None}


async def test_an_api_failure_is_a_graceful_message(api, dispatcher, domain):
    api.get(STATUS).mock(httpx.Response(200, json=ACCOUNT_STATUS))
    api.get(BALANCE).mock(httpx.Response(503))
    await ActionShowBalance().run(dispatcher, make_tracker(slots=VERIFIED), domain)
    assert responses(dispatcher) == ["utter_service_unavailable"]


async def test_a_past_due_date_is_said_to_be_past(api, dispatcher, domain):
    api.get(BALANCE).mock(httpx.Response(200, json={**BODY, "due_date": LAST_WEEK}))
    api.get(STATUS).mock(httpx.Response(200, json=ACCOUNT_STATUS))
    await ActionShowBalance().run(dispatcher, make_tracker(slots=VERIFIED, intent="check_balance"), domain)
    message = dispatcher.messages[-1]
    assert message["response"] == "utter_balance_past_due"
    assert message["due_date"] == long_date(date.fromisoformat(LAST_WEEK))


async def test_while_a_dispute_is_reviewed_the_balance_says_collection_is_paused(api, dispatcher, domain):
    """'Am I still expected to pay the rest while you review it?' read as a balance question."""
    api.get(BALANCE).mock(httpx.Response(200, json=BODY))
    status = {**ACCOUNT_STATUS, "disputed": True, "validation_sent": True}
    api.get(STATUS).mock(httpx.Response(200, json=status))
    await ActionShowBalance().run(dispatcher, make_tracker(slots=VERIFIED, intent="check_balance"), domain)
    assert responses(dispatcher) == ["utter_balance", "utter_paused_dispute"]


async def test_the_breakdown_asked_while_a_dispute_is_reviewed_is_the_validation_notice(
    api, dispatcher, domain
):
    """heldout16 560: "ok so whats the breakdown u have on file then" heard only that collection is paused
    (the gate withholds the balance until the validation information is sent after the dispute)."""
    api.get(STATUS).mock(httpx.Response(200, json={**ACCOUNT_STATUS, "disputed": True}))
    notice = api.get(f"/api/v1/accounts/{ACCOUNT_ID}/validation-notice").mock(
        httpx.Response(200, json={"current_amount": "665.00", "itemization_date": "2026-08-01"})
    )
    tracker = make_tracker(slots=VERIFIED, intent="check_balance", text="ok so whats the breakdown u have")

    await ActionShowBalance().run(dispatcher, tracker, domain)

    assert responses(dispatcher) == ["utter_validation_notice", "utter_paused_dispute_noticed"]
    assert notice.called


@pytest.mark.parametrize(
    "text",
    [
        "why is it so much, what r the fees for",
        "ok so what's the $665 made up of and when is it due",
        "can you break it down? where does the interest come from",
        "how did it get so high",
    ],
)
async def test_asked_why_it_is_so_much_the_balance_says_what_each_part_is(api, dispatcher, domain, text):
    api.get(BALANCE).mock(httpx.Response(200, json=BODY))
    api.get(STATUS).mock(httpx.Response(200, json=ACCOUNT_STATUS))
    tracker = make_tracker(slots=VERIFIED, text=text, intent="check_balance")
    await ActionShowBalance().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_balance", "utter_balance_explained"]
    [template] = domain["responses"]["utter_balance_explained"]
    said = " ".join(template["text"].split()).format(**dispatcher.messages[-1])
    assert "original Northwind Bank Visa account ($1,200.00)" in said
    assert "interest ($85.40) and fees ($35.00)" in said
    assert "dispute all or part of it" in said


@pytest.mark.parametrize("text", ["how much do i owe", "whats my balance", "i'm interested in paying it"])
async def test_a_plain_balance_question_gets_the_balance_alone(api, dispatcher, domain, text):
    api.get(BALANCE).mock(httpx.Response(200, json=BODY))
    api.get(STATUS).mock(httpx.Response(200, json=ACCOUNT_STATUS))
    tracker = make_tracker(slots=VERIFIED, text=text, intent="check_balance")
    await ActionShowBalance().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_balance"]


def test_the_past_due_wording_says_when_it_was_due(domain):
    [default] = [v for v in domain["responses"]["utter_balance_past_due"] if not v.get("condition")]
    text = " ".join(default["text"].split()).format(
        creditor="Contoso Health",
        reference="ACME-1002",
        original_creditor="Contoso Medical Group",
        principal="$640.00",
        interest="$0.00",
        fees="$25.00",
        total="$665.00",
        due_date="Dec 1, 2026",
    )
    assert text.endswith("Total due: $665.00, which was due on Dec 1, 2026 (past due).")
    assert " by " not in text


def test_the_past_due_balance_has_the_same_gentle_variants_as_the_balance(domain):
    responses = domain["responses"]
    conditions = [v.get("condition") for v in responses["utter_balance"]]
    assert [v.get("condition") for v in responses["utter_balance_past_due"]] == conditions
    gentle = [v["text"] for v in responses["utter_balance"] if v.get("condition")]
    assert [v["text"] for v in responses["utter_balance_past_due"] if v.get("condition")] == gentle


def _balance(due: date) -> Balance:
    return Balance.from_json({**BODY, "due_date": due.isoformat()})


@pytest.mark.parametrize(
    ("due", "today", "response"),
    [
        (date(2026, 12, 1), date(2026, 12, 4), "utter_balance_past_due"),
        (date(2026, 12, 3), date(2026, 12, 4), "utter_balance_past_due"),
        (date(2026, 12, 4), date(2026, 12, 4), "utter_balance"),
        (date(2026, 12, 15), date(2026, 12, 4), "utter_balance"),
    ],
)
def test_the_due_date_is_past_only_once_the_debtors_day_is_after_it(due, today, response):
    assert balance_response(_balance(due), today) == response


def test_today_is_the_debtors_today_not_the_servers():
    late_evening_in_chicago = datetime(2026, 12, 2, 3, 30, tzinfo=timezone.utc)
    assert today_in("America/Chicago", late_evening_in_chicago) == date(2026, 12, 1)
    assert today_in("UTC", late_evening_in_chicago) == date(2026, 12, 2)
