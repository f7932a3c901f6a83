"""A debtor bound by phone number who has several accounts is asked which one, by creditor and reference,
right after verification and before any amount; the choice carries the verification over and answers
what they first asked, for that account. Until the domain has the question, the newest account is used."""

import json

import httpx

from actions.choice import ActionChooseAccount
from actions.identity import ActionIdentityOutcome
from tests.actions.conftest import ACCOUNT_ID, ACCOUNT_STATUS, make_tracker, responses, slot_events
from tests.actions.test_balance import BODY

OTHER_ID = "0c9d8e7f-6a5b-4c3d-2e1f-0a9b8c7d6e5f"
ACCOUNTS = [
    {"account_id": ACCOUNT_ID, "reference": "ACME-1001", "creditor": "Northwind Bank"},
    {"account_id": OTHER_ID, "reference": "ACME-1002", "creditor": "Contoso Lending"},
]
VERIFIED = {"verified": True, "account_id": ACCOUNT_ID, "verification_grant": "grant"}
BY_PHONE = {**VERIFIED, "session_started_metadata": {"channel": "sms", "account_id": ACCOUNT_ID}}


def retrained(domain):
    """The domain once utter_choose_account is added (see the report)."""
    question = [{"text": "You have more than one account with us. Which one would you like to talk about?"}]
    return {**domain, "responses": {**domain["responses"], "utter_choose_account": question}}


def before_the_retrain(domain):
    """The domain without utter_choose_account, as it is until the retrain."""
    responses = {name: r for name, r in domain["responses"].items() if name != "utter_choose_account"}
    return {**domain, "responses": responses}


def mock_accounts(api, listed=ACCOUNTS):
    return api.get(f"/api/v1/accounts/{ACCOUNT_ID}/debtor-accounts").mock(httpx.Response(200, json=listed))


def mock_balance(api, account_id):
    api.get(f"/api/v1/accounts/{account_id}/status").mock(httpx.Response(200, json=ACCOUNT_STATUS))
    return api.get(f"/api/v1/accounts/{account_id}/balance").mock(
        httpx.Response(200, json={**BODY, "account_id": account_id})
    )


async def test_a_debtor_with_two_accounts_is_asked_which_by_creditor_before_any_amount(
    api, dispatcher, domain
):
    mock_accounts(api)
    balance = mock_balance(api, ACCOUNT_ID)

    await ActionIdentityOutcome().run(dispatcher, make_tracker(slots=BY_PHONE), retrained(domain))

    [message] = dispatcher.messages
    assert message["response"] == "utter_choose_account"
    assert [b["title"] for b in message["buttons"]] == [
        "Northwind Bank (ACME-1001)",
        "Contoso Lending (ACME-1002)",
    ]
    assert message["buttons"][1]["payload"] == '/choose_account{"account_ref": "ACME-1002"}'
    assert not balance.called


async def assert_balance_without_asking(api, dispatcher, slots, domain):
    """Right after verification the balance is answered, without even listing the debtor's accounts."""
    listed = mock_accounts(api)
    mock_balance(api, ACCOUNT_ID)

    await ActionIdentityOutcome().run(dispatcher, make_tracker(slots=slots), domain)

    assert responses(dispatcher) == ["utter_balance"]
    assert not listed.called


async def test_until_the_domain_can_ask_the_newest_account_is_used(api, dispatcher, domain):
    await assert_balance_without_asking(api, dispatcher, BY_PHONE, before_the_retrain(domain))


async def test_a_debtor_who_typed_a_reference_has_chosen(api, dispatcher, domain):
    slots = {**BY_PHONE, "account_ref": "ACME-1001"}
    await assert_balance_without_asking(api, dispatcher, slots, retrained(domain))


async def test_a_webchat_debtor_who_was_not_bound_is_not_asked(api, dispatcher, domain):
    await assert_balance_without_asking(api, dispatcher, VERIFIED, retrained(domain))


async def test_one_account_means_no_question(api, dispatcher, domain):
    mock_accounts(api, ACCOUNTS[:1])
    mock_balance(api, ACCOUNT_ID)

    await ActionIdentityOutcome().run(dispatcher, make_tracker(slots=BY_PHONE), retrained(domain))

    assert responses(dispatcher) == ["utter_balance"]


async def test_the_choice_carries_the_verification_over_and_answers_for_that_account(api, dispatcher, domain):
    mock_accounts(api)
    exchange = api.post(f"/api/v1/accounts/{ACCOUNT_ID}/grants").mock(
        httpx.Response(200, json={"account_id": OTHER_ID, "grant": "other-grant", "grant_expires_at": "x"})
    )
    balance = mock_balance(api, OTHER_ID)
    entities = [{"entity": "account_ref", "value": "ACME-1002"}]
    tracker = make_tracker(slots=VERIFIED, intent="choose_account", entities=entities)

    events = await ActionChooseAccount().run(dispatcher, tracker, domain)

    assert json.loads(exchange.calls.last.request.content) == {"account_id": OTHER_ID}
    slots = slot_events(events)
    assert (slots["account_id"], slots["account_ref"], slots["verification_grant"]) == (
        OTHER_ID,
        "ACME-1002",
        "other-grant",
    )
    assert balance.calls.last.request.headers["X-Verification-Grant"] == "other-grant"
    assert responses(dispatcher) == ["utter_balance"]


async def test_a_reference_that_is_not_the_debtors_is_refused(api, dispatcher, domain):
    mock_accounts(api)
    exchange = api.post(f"/api/v1/accounts/{ACCOUNT_ID}/grants")
    entities = [{"entity": "account_ref", "value": "ACME-9999"}]
    tracker = make_tracker(slots=VERIFIED, intent="choose_account", entities=entities)

    events = await ActionChooseAccount().run(dispatcher, tracker, domain)

    assert events == []
    assert not exchange.called
    assert responses(dispatcher) == ["utter_reference_not_found"]


async def test_an_unverified_choice_verifies_first(api, dispatcher, domain):
    entities = [{"entity": "account_ref", "value": "ACME-1002"}]
    tracker = make_tracker(intent="choose_account", entities=entities)

    await ActionChooseAccount().run(dispatcher, tracker, domain)

    assert responses(dispatcher) == ["utter_need_verification"]
