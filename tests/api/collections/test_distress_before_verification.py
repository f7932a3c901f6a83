"""A distress decision made before the debtor was verified joins the account's record too, marked as
such, and still without a word of what the debtor wrote."""

from fastapi.testclient import TestClient

from tests.factories import create_account

BASE = "/api/v1/accounts"


def test_a_decision_before_verification_is_recorded_and_marked_unverified(client: TestClient) -> None:
    account = create_account(client)
    decision = {
        "score": 0.91,
        "level": "crisis",
        "conversation_level": "crisis",
        "action": "action_crisis_support",
        "verified": False,
    }

    response = client.post(f"{BASE}/{account['id']}/distress-decisions", json=decision)

    assert response.status_code == 201, response.text
    event = client.get(f"{BASE}/{account['id']}/events").json()[-1]
    assert (event["type"], event["data"]) == ("distress.decision", decision)


def test_the_words_are_still_refused(client: TestClient) -> None:
    account = create_account(client)
    body = {"conversation_level": "high", "action": "action_offer_support", "verified": False, "text": "help"}

    assert client.post(f"{BASE}/{account['id']}/distress-decisions", json=body).status_code == 422
