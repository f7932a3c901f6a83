"""Status, offers, promises, payment claims, disputes, validation and flags, on SQLite and PostgreSQL."""

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import Session

from api.conversations.models import Contact
from tests.api.collections_helpers import (
    NOW,
    TODAY,
    delete_policies,
    event_types,
    fix_clock,
    seed_demo_policies,
    verified_account,
)
from tests.factories import create_account, debtor_payload

BASE = "/api/v1/accounts"
PLAN_40 = {"kind": "plan", "amount": "40", "frequency": "monthly", "start_date": None, "hardship": False}
BLOCKING_FLAGS = ["attorney", "bankruptcy", "deceased", "cease_communication"]


@pytest.fixture(autouse=True)
def _clock(client: TestClient) -> None:
    fix_clock(client)


@pytest.fixture
def policies(database_url: str) -> Iterator[None]:
    seed_demo_policies(database_url)
    yield
    delete_policies(database_url)


def evaluate(client: TestClient, account_id: str, grant: dict[str, str], **offer: Any) -> Any:
    response = client.post(f"{BASE}/{account_id}/offers/evaluate", json=offer, headers=grant)
    assert response.status_code == 200, response.text
    return response.json()


def status_of(client: TestClient, account_id: str) -> Any:
    return client.get(f"{BASE}/{account_id}/status").json()


# Status


def test_a_fresh_account_may_be_collected_on(client: TestClient) -> None:
    account = create_account(client)

    response = client.get(f"{BASE}/{account['id']}/status")

    assert response.status_code == 200
    assert response.json() == {
        "disputed": False,
        "validation_sent": False,
        "flags": [],
        "collection_allowed": True,
        "active_plan": False,
        "timezone": "America/New_York",
    }


def test_status_needs_the_service_token_and_a_known_account(
    client: TestClient, anonymous_client: TestClient
) -> None:
    account = create_account(client)

    assert anonymous_client.get(f"{BASE}/{account['id']}/status").status_code == 401
    assert client.get(f"{BASE}/00000000-0000-4000-8000-000000000000/status").status_code == 404


def test_an_sms_opt_out_shows_as_a_flag_without_pausing_collection(
    client: TestClient, session: Session
) -> None:
    phone = "+12125550147"
    account = create_account(client, debtor=debtor_payload(phone=phone))
    session.add(Contact(channel="sms", address=phone, conversation_id="c-147", opted_out=True))
    session.commit()

    status = status_of(client, account["id"])

    assert (status["flags"], status["collection_allowed"]) == (["opted_out"], True)


# Offers


def test_the_issue_example_40_a_month_gets_the_lowest_monthly_plan(client: TestClient) -> None:
    account_id, grant = verified_account(client)

    body = evaluate(client, account_id, grant, **PLAN_40)

    assert (body["decision"], body["reasons"], body["offer"]) == (
        "counter",
        ["below_minimum_instalment", "exceeds_max_term"],
        None,
    )
    [counter] = body["counter_offers"]
    assert {key: value for key, value in counter.items() if key != "schedule"} == {
        "kind": "plan",
        "amount": "110.04",
        "frequency": "monthly",
        "instalments": 12,
        "term_months": "12.0",
        "start_date": "2026-11-29",
        "total": "1320.40",
        "deadline": None,
        "hardship": False,
        "currency": "USD",
    }
    assert counter["schedule"][0] == {"due_date": "2026-11-29", "amount": "110.04"}
    assert counter["schedule"][-1] == {"due_date": "2027-10-29", "amount": "109.96"}


def test_an_acceptable_offer_is_accepted_with_its_schedule(client: TestClient) -> None:
    account_id, grant = verified_account(client)

    body = evaluate(client, account_id, grant, kind="plan", amount="400", frequency="weekly")

    assert (body["decision"], body["reasons"], body["counter_offers"]) == ("accept", [], [])
    assert [(i["due_date"], i["amount"]) for i in body["offer"]["schedule"]] == [
        ("2026-11-29", "400.00"),
        ("2026-12-06", "400.00"),
        ("2026-12-13", "400.00"),
        ("2026-12-20", "120.40"),
    ]


def test_an_evaluation_is_recorded_without_personal_data(client: TestClient) -> None:
    account_id, grant = verified_account(client)
    evaluate(client, account_id, grant, **PLAN_40)

    event = client.get(f"{BASE}/{account_id}/events").json()[-1]

    assert (event["type"], event["data"]) == (
        "offer.evaluated",
        {
            "kind": "plan",
            "amount": "40.00",
            "decision": "counter",
            "reasons": ["below_minimum_instalment", "exceeds_max_term"],
        },
    )


def test_the_debtors_time_zone_decides_what_today_is(client: TestClient) -> None:
    fix_clock(client, datetime(2026, 11, 23, 3, 0, tzinfo=UTC))  # still the 22nd in New York
    account_id, grant = verified_account(client)

    body = evaluate(client, account_id, grant, kind="plan", amount="200", start_date="2026-11-22")

    assert body["decision"] == "accept"


@pytest.mark.usefixtures("policies")
def test_contoso_settles_at_50_percent(client: TestClient) -> None:
    account_id, grant = verified_account(
        client, creditor="Contoso Health", principal="640", fees="25", interest="0"
    )

    accepted = evaluate(client, account_id, grant, kind="settlement", amount="332.50")
    countered = evaluate(client, account_id, grant, kind="settlement", amount="200")
    referred = evaluate(client, account_id, grant, kind="settlement", amount="100")

    assert (accepted["decision"], accepted["offer"]["deadline"], accepted["offer"]["amount"]) == (
        "accept",
        "2026-12-06",
        "332.50",
    )
    assert (countered["decision"], countered["counter_offers"][0]["amount"]) == ("counter", "332.50")
    assert (referred["decision"], referred["reasons"], referred["counter_offers"]) == (
        "refer",
        ["settlement_far_below_floor"],
        [],
    )


@pytest.mark.usefixtures("policies")
def test_fabrikam_takes_monthly_plans_over_6_months_only(client: TestClient) -> None:
    account_id, grant = verified_account(
        client, creditor="Fabrikam Telecom", principal="310.25", interest="12.75", fees="0"
    )

    body = evaluate(client, account_id, grant, kind="plan", amount="20", frequency="weekly")

    assert (body["decision"], body["reasons"]) == ("counter", ["frequency_not_allowed"])
    counter = body["counter_offers"][0]
    # 20 a week is 86.67 a month: the debtor's pace, monthly
    assert (counter["amount"], counter["frequency"], counter["instalments"]) == ("86.67", "monthly", 4)


def test_without_seeded_policies_the_built_in_defaults_apply(client: TestClient) -> None:
    account_id, grant = verified_account(client, creditor="Contoso Health")

    body = evaluate(client, account_id, grant, kind="settlement", amount="700")

    assert (body["decision"], body["counter_offers"][0]["amount"]) == (
        "counter",
        "792.24",
    )  # 60 % of 1,320.40


def test_a_creditor_without_a_policy_gets_the_default_row(
    client: TestClient, session: Session, database_url: str
) -> None:
    seed_demo_policies(database_url)
    try:
        session.execute(text("UPDATE creditor_policies SET max_term_months = 6 WHERE creditor = 'default'"))
        session.commit()
        account_id, grant = verified_account(client, creditor="Unknown Lender")

        body = evaluate(client, account_id, grant, kind="plan", amount="200")
    finally:
        delete_policies(database_url)

    assert body["counter_offers"][0]["amount"] == "220.07"  # 1,320.40 over 6 months


def test_hardship_terms_are_marked_so_the_plan_can_be_created_with_them(client: TestClient) -> None:
    account_id, grant = verified_account(client)

    body = evaluate(client, account_id, grant, kind="plan", amount=None, frequency="monthly", hardship=True)

    counter = body["counter_offers"][0]
    assert (counter["amount"], counter["instalments"], counter["hardship"]) == ("55.02", 24, True)


@pytest.mark.parametrize(
    "offer",
    [
        {"kind": "plan", "amount": "-5"},
        {"kind": "plan", "amount": "40.001"},
        {"kind": "plan", "amount": "40", "frequency": "daily"},
        {"kind": "loan", "amount": "40"},
        {"kind": "plan", "amount": "40", "start_date": "tomorrow"},
        {"kind": "plan", "amount": "40", "surprise": True},
    ],
)
def test_malformed_offers_are_422(client: TestClient, offer: dict[str, Any]) -> None:
    account_id, grant = verified_account(client)

    response = client.post(f"{BASE}/{account_id}/offers/evaluate", json=offer, headers=grant)

    assert response.status_code == 422


# Disputes and flags pause collection


def test_a_dispute_pauses_collection_and_offers(client: TestClient) -> None:
    account_id, grant = verified_account(client)

    response = client.post(f"{BASE}/{account_id}/disputes", json={"reason": "not_mine", "text": None})

    assert response.status_code == 201
    assert (response.json()["reason"], response.json()["status"]) == ("not_mine", "open")
    status = status_of(client, account_id)
    assert (status["disputed"], status["collection_allowed"]) == (True, False)
    body = evaluate(client, account_id, grant, kind="plan", amount="500")
    assert (body["decision"], body["reasons"], body["offer"], body["counter_offers"]) == (
        "refer",
        ["account_disputed"],
        None,
        [],
    )
    assert evaluate(client, account_id, grant, kind="settlement", amount="1320.40")["decision"] == "refer"


def test_the_debtors_words_stay_out_of_events_and_responses(client: TestClient) -> None:
    account = create_account(client)
    words = "someone opened this in my name at 12 Elm St"

    response = client.post(
        f"{BASE}/{account['id']}/disputes", json={"reason": "identity_theft", "text": words}
    )

    assert words not in response.text
    event = client.get(f"{BASE}/{account['id']}/events").json()[-1]
    assert (event["type"], event["data"]) == (
        "dispute.opened",
        {"dispute_id": response.json()["id"], "reason": "identity_theft"},
    )


@pytest.mark.parametrize("body", [{"reason": "because"}, {"reason": "other", "text": "x" * 1001}, {}])
def test_malformed_disputes_are_422(client: TestClient, body: dict[str, Any]) -> None:
    account = create_account(client)

    assert client.post(f"{BASE}/{account['id']}/disputes", json=body).status_code == 422


def test_a_dispute_is_resolved_only_after_validation(client: TestClient) -> None:
    account_id, grant = verified_account(client)
    dispute = client.post(f"{BASE}/{account_id}/disputes", json={"reason": "wrong_amount"}).json()
    resolve = f"{BASE}/{account_id}/disputes/{dispute['id']}/resolve"

    refused = client.post(resolve)
    client.get(f"{BASE}/{account_id}/validation-notice", headers=grant)
    resolved = client.post(resolve)

    assert (refused.status_code, refused.json()["detail"]) == (409, {"reason": "validation_not_sent"})
    assert (resolved.status_code, resolved.json()["status"]) == (200, "resolved")
    status = status_of(client, account_id)
    assert (status["disputed"], status["validation_sent"], status["collection_allowed"]) == (
        False,
        True,
        True,
    )
    assert event_types(client, account_id)[-2:] == ["validation.sent", "dispute.resolved"]
    assert evaluate(client, account_id, grant, kind="plan", amount="500")["decision"] == "accept"


def test_validation_sent_before_a_dispute_does_not_count_for_it(client: TestClient) -> None:
    """As the gate counts it (Reg F 1006.38(d)(2)): the pause a dispute starts ends with validation sent
    after it, so neither the bot (which sends the notice instead of the withheld balance) nor an agent
    (who may resolve the dispute only then) may take an earlier notice for it."""
    account_id, grant = verified_account(client)
    client.get(f"{BASE}/{account_id}/validation-notice", headers=grant)
    before = status_of(client, account_id)["validation_sent"]
    dispute = client.post(f"{BASE}/{account_id}/disputes", json={"reason": "wrong_amount"}).json()

    disputed = status_of(client, account_id)
    refused = client.post(f"{BASE}/{account_id}/disputes/{dispute['id']}/resolve")

    assert before is True
    assert (disputed["disputed"], disputed["validation_sent"]) == (True, False)
    assert (refused.status_code, refused.json()["detail"]) == (409, {"reason": "validation_not_sent"})


def test_resolving_another_accounts_dispute_is_404(client: TestClient) -> None:
    account_a, account_b = create_account(client), create_account(client)
    dispute = client.post(f"{BASE}/{account_a['id']}/disputes", json={"reason": "other"}).json()

    response = client.post(f"{BASE}/{account_b['id']}/disputes/{dispute['id']}/resolve")

    assert response.status_code == 404


@pytest.mark.parametrize("flag", BLOCKING_FLAGS)
def test_a_flag_pauses_collection_and_offers(client: TestClient, flag: str) -> None:
    account_id, grant = verified_account(client)

    response = client.post(f"{BASE}/{account_id}/flags", json={"flag": flag, "note": "said so in chat"})

    assert response.status_code == 201
    assert set(response.json()) == {"id", "flag", "created_at"}
    status = status_of(client, account_id)
    assert (status["flags"], status["collection_allowed"], status["disputed"]) == ([flag], False, False)
    body = evaluate(client, account_id, grant, kind="plan", amount="500")
    assert (body["decision"], body["reasons"]) == ("refer", [flag])
    event = client.get(f"{BASE}/{account_id}/events").json()[-2]
    assert (event["type"], event["data"]) == ("flag.set", {"flag": flag})


def test_a_repeated_flag_is_recorded_once(client: TestClient) -> None:
    account = create_account(client)
    first = client.post(f"{BASE}/{account['id']}/flags", json={"flag": "attorney"})

    again = client.post(f"{BASE}/{account['id']}/flags", json={"flag": "attorney"})

    assert (first.status_code, again.status_code, again.json()["id"]) == (201, 200, first.json()["id"])
    assert event_types(client, account["id"]).count("flag.set") == 1


def test_every_reason_to_refer_is_given(client: TestClient) -> None:
    account_id, grant = verified_account(client)
    client.post(f"{BASE}/{account_id}/flags", json={"flag": "bankruptcy"})
    client.post(f"{BASE}/{account_id}/flags", json={"flag": "attorney"})
    client.post(f"{BASE}/{account_id}/disputes", json={"reason": "other"})

    body = evaluate(client, account_id, grant, kind="plan", amount="500")

    assert body["reasons"] == ["account_disputed", "attorney", "bankruptcy"]


@pytest.mark.parametrize("flag", ["opted_out", "vip", ""])
def test_only_the_contract_flags_can_be_set(client: TestClient, flag: str) -> None:
    account = create_account(client)

    assert client.post(f"{BASE}/{account['id']}/flags", json={"flag": flag}).status_code == 422


# Promises


def test_a_promise_is_recorded(client: TestClient) -> None:
    account_id, grant = verified_account(client)

    response = client.post(
        f"{BASE}/{account_id}/promises", json={"date": "2026-12-01", "amount": "100"}, headers=grant
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["date"], body["amount"], set(body)) == ("2026-12-01", "100.00", {"id", "date", "amount"})
    event = client.get(f"{BASE}/{account_id}/events").json()[-1]
    assert (event["type"], event["data"]) == (
        "promise.recorded",
        {"promise_id": body["id"], "date": "2026-12-01", "amount": "100.00"},
    )


def test_a_promise_without_an_amount(client: TestClient) -> None:
    account_id, grant = verified_account(client)

    response = client.post(
        f"{BASE}/{account_id}/promises", json={"date": "2026-11-22", "amount": None}, headers=grant
    )

    assert (response.status_code, response.json()["amount"]) == (201, None)


def test_the_same_promise_made_again_is_recorded_once(client: TestClient) -> None:
    """A retry after a timeout, or the debtor repeating it once the API is back, records nothing new."""
    account_id, grant = verified_account(client)
    promise = {"date": "2026-12-01", "amount": "100"}

    first = client.post(f"{BASE}/{account_id}/promises", json=promise, headers=grant)
    again = client.post(f"{BASE}/{account_id}/promises", json=promise, headers=grant)
    other = client.post(f"{BASE}/{account_id}/promises", json={**promise, "amount": "90"}, headers=grant)

    assert (first.status_code, again.status_code, other.status_code) == (201, 200, 201)
    assert again.json() == first.json() and other.json()["id"] != first.json()["id"]
    assert event_types(client, account_id).count("promise.recorded") == 2


def test_a_corrected_promise_replaces_the_one_it_corrects(client: TestClient) -> None:
    """Issue 11 (heldout6 237): "scratch that, make it one week from today" supersedes the promise just
    made; going back to the first date records it anew (the superseded one no longer stands)."""
    account_id, grant = verified_account(client)
    url = f"{BASE}/{account_id}/promises"

    first = client.post(url, json={"date": "2026-12-01"}, headers=grant).json()
    fixed = client.post(url, json={"date": "2026-11-25", "corrects_latest": True}, headers=grant).json()
    back = client.post(url, json={"date": "2026-12-01", "corrects_latest": True}, headers=grant)

    replaced = [e["data"].get("replaces") for e in client.get(f"{BASE}/{account_id}/events").json()[-2:]]
    assert back.status_code == 201 and back.json()["id"] != first["id"]
    assert replaced == [first["id"], fixed["id"]]


@pytest.mark.parametrize(
    ("promised", "reason"),
    [(TODAY + timedelta(days=31), "too_far"), (TODAY - timedelta(days=1), "in_the_past")],
)
def test_a_promise_outside_the_window_is_422_with_the_latest_date(
    client: TestClient, promised: Any, reason: str
) -> None:
    account_id, grant = verified_account(client)

    response = client.post(
        f"{BASE}/{account_id}/promises", json={"date": promised.isoformat()}, headers=grant
    )

    assert response.status_code == 422
    assert response.json() == {"detail": {"reason": reason, "latest_date": "2026-12-22"}}
    assert "promise.recorded" not in event_types(client, account_id)


def test_no_promise_is_taken_while_collection_is_paused(client: TestClient) -> None:
    account_id, grant = verified_account(client)
    client.post(f"{BASE}/{account_id}/disputes", json={"reason": "not_mine"})

    response = client.post(f"{BASE}/{account_id}/promises", json={"date": "2026-12-01"}, headers=grant)

    assert response.status_code == 409
    assert response.json()["detail"] == {"reason": "collection_paused", "reasons": ["account_disputed"]}


# Payment claims


def test_a_payment_claim_goes_under_review(client: TestClient) -> None:
    account = create_account(client)
    claim = {"paid_on": "2026-11-15", "amount": "150", "method": "bank transfer"}

    response = client.post(f"{BASE}/{account['id']}/payment-claims", json=claim)

    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["paid_on"], body["amount"], body["method"]) == (
        "under_review",
        "2026-11-15",
        "150.00",
        "bank transfer",
    )
    event = client.get(f"{BASE}/{account['id']}/events").json()[-1]
    assert (event["type"], event["data"]) == (
        "payment_claim.recorded",
        {"claim_id": body["id"], "paid_on": "2026-11-15", "amount": "150.00", "has_method": True},
    )


def test_a_payment_claim_may_know_nothing_yet(client: TestClient) -> None:
    account = create_account(client)

    response = client.post(
        f"{BASE}/{account['id']}/payment-claims", json={"paid_on": None, "amount": None, "method": None}
    )

    assert (response.status_code, response.json()["status"]) == (201, "under_review")


def test_the_same_payment_claim_made_again_is_recorded_once(client: TestClient) -> None:
    account = create_account(client)
    claim = {"paid_on": "2026-11-15", "amount": "150", "method": None}

    first = client.post(f"{BASE}/{account['id']}/payment-claims", json=claim)
    again = client.post(f"{BASE}/{account['id']}/payment-claims", json=claim)
    other = client.post(f"{BASE}/{account['id']}/payment-claims", json={**claim, "method": "check"})

    assert (first.status_code, again.status_code, other.status_code) == (201, 200, 201)
    assert again.json()["id"] == first.json()["id"] != other.json()["id"]
    assert event_types(client, account["id"]).count("payment_claim.recorded") == 2


def test_details_said_after_a_claim_are_kept_with_it_and_not_in_the_event(client: TestClient) -> None:
    account = create_account(client)
    claims = f"{BASE}/{account['id']}/payment-claims"
    claim = client.post(claims, json={"paid_on": "2026-09-03", "amount": "665", "method": "check"}).json()

    first = client.post(f"{claims}/latest/details", json={"text": "personal check, number 1047"})
    second = client.post(f"{claims}/latest/details", json={"text": "  it cleared my bank  "})

    assert (first.status_code, second.status_code) == (200, 200)
    assert second.json()["id"] == claim["id"]
    assert second.json()["details"] == "personal check, number 1047\nit cleared my bank"
    event = client.get(f"{BASE}/{account['id']}/events").json()[-1]
    assert (event["type"], event["data"]) == ("payment_claim.details_added", {"claim_id": claim["id"]})


def test_details_sent_again_are_kept_once(client: TestClient) -> None:
    account = create_account(client)
    claims = f"{BASE}/{account['id']}/payment-claims"
    client.post(claims, json={"paid_on": None, "amount": None, "method": None})
    for said in ("debit card. confirmation FB88213", "it cleared", "debit card. confirmation FB88213"):
        client.post(f"{claims}/latest/details", json={"text": said})

    details = client.post(f"{claims}/latest/details", json={"text": "it cleared"}).json()["details"]

    assert details == "debit card. confirmation FB88213\nit cleared"
    assert event_types(client, account["id"]).count("payment_claim.details_added") == 2


@pytest.mark.parametrize("body", [{"text": ""}, {"text": "x" * 501}, {}, {"text": "ok", "extra": 1}])
def test_details_must_be_some_words_and_not_too_many(client: TestClient, body: dict[str, Any]) -> None:
    account = create_account(client)
    client.post(
        f"{BASE}/{account['id']}/payment-claims", json={"paid_on": None, "amount": None, "method": None}
    )

    response = client.post(f"{BASE}/{account['id']}/payment-claims/latest/details", json=body)

    assert response.status_code == 422


def test_details_without_a_claim_under_review_are_404(client: TestClient) -> None:
    account = create_account(client)

    response = client.post(
        f"{BASE}/{account['id']}/payment-claims/latest/details", json={"text": "check 1047"}
    )

    assert response.status_code == 404
    assert "payment_claim.details_added" not in event_types(client, account["id"])


@pytest.mark.parametrize("path", ["payment-claims", "disputes", "flags"])
def test_recording_needs_the_service_token(
    anonymous_client: TestClient, client: TestClient, path: str
) -> None:
    account = create_account(client)

    response = anonymous_client.post(
        f"{BASE}/{account['id']}/{path}", json={"reason": "other", "flag": "attorney"}
    )

    assert response.status_code == 401


# Validation notice


def test_the_validation_notice_has_the_model_form_fields(client: TestClient) -> None:
    account_id, grant = verified_account(client, reference="ACME-9100")

    response = client.get(f"{BASE}/{account_id}/validation-notice", headers=grant)

    assert response.status_code == 200
    assert response.json() == {
        "collector_name": "Acme Recovery Services",
        "collector_address": "PO Box 1000, Springfield, IL 62701",
        "collector_phone": "1-800-555-0100",
        "consumer_name": "Jordan Rivera",
        "creditor": "Northwind Bank",
        "original_creditor": "Northwind Bank Visa",
        "account_reference": "ACME-9100",
        "itemization_date": "2026-09-30",  # the creditor's reference date, never the due date
        "amount_on_itemization_date": "1200.00",
        "interest_since": "85.40",
        "fees_since": "35.00",
        "payments_since": "0.00",
        "current_amount": "1320.40",
        "dispute_by_date": "2026-12-27",
        "cfpb_url": "www.cfpb.gov/debt-collection",
    }
    event = client.get(f"{BASE}/{account_id}/events").json()[-1]
    assert (event["type"], event["data"]) == (
        "validation.sent",
        {"dispute_by_date": "2026-12-27", "total": "1320.40"},
    )
    assert status_of(client, account_id)["validation_sent"] is True


def test_without_the_creditors_date_the_notice_itemizes_from_the_day_the_account_was_placed(
    client: TestClient,
) -> None:
    account_id, grant = verified_account(client, reference="ACME-9101", itemization_date=None)

    notice = client.get(f"{BASE}/{account_id}/validation-notice", headers=grant).json()

    assert date.fromisoformat(notice["itemization_date"]) <= date.today()  # never a date to come


def test_an_itemization_date_to_come_is_refused_at_import(client: TestClient) -> None:
    from tests.factories import account_payload

    body = account_payload(
        reference="ACME-9102", itemization_date=(date.today() + timedelta(days=1)).isoformat()
    )

    response = client.post("/api/v1/accounts", json=body)

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "itemization_date"


def test_the_clock_is_fixed_for_these_tests() -> None:
    assert NOW.date() == TODAY


# Distress decisions


@pytest.mark.parametrize(
    "decision",
    [
        pytest.param(
            {"score": 0.97, "level": "high", "conversation_level": "high", "action": "action_offer_support"},
            id="an offer of support",
        ),
        pytest.param(
            {
                "score": 0.4,
                "level": "crisis_check",
                "conversation_level": "crisis_check",
                "action": "action_crisis_check_in",
            },
            id="the crisis check-in",
        ),
    ],
)
def test_what_the_bot_did_about_distress_joins_the_accounts_event_record(
    client: TestClient, decision: dict[str, object]
) -> None:
    account = create_account(client)

    response = client.post(f"{BASE}/{account['id']}/distress-decisions", json=decision)

    assert response.status_code == 201, response.text
    event = client.get(f"{BASE}/{account['id']}/events").json()[-1]
    assert (event["type"], event["data"]) == ("distress.decision", decision)


@pytest.mark.parametrize(
    "body",
    [
        {"score": 1.5, "level": "high", "conversation_level": "high", "action": "action_offer_support"},
        {"level": "sad", "conversation_level": "high", "action": "action_offer_support"},
        {"conversation_level": "high", "action": "drop table"},
        {"conversation_level": "high", "action": "action_offer_support", "text": "i cant cope"},
    ],
)
def test_a_malformed_distress_decision_is_refused(client: TestClient, body: dict[str, Any]) -> None:
    account = create_account(client)
    response = client.post(f"{BASE}/{account['id']}/distress-decisions", json=body)
    assert response.status_code == 422
