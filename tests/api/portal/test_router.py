"""Payment links and the portal page: signed, expiring, single-use; the card number is never kept."""

import logging
import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import jwt
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, text
from sqlalchemy.orm import Session

from api.accounts.grants import create_grant
from api.accounts.models import Account
from api.collections.models import PaymentLink
from api.core.config import Settings
from api.core.models import Base
from api.main import create_app
from tests.api.collections_helpers import NOW, fix_clock, verified_account
from tests.api.conftest import AUTH
from tests.factories import API_TOKEN, SECRET_KEY

BASE = "/api/v1/accounts"
CARD = "4111 1111 1111 1111"
CARD_DIGITS = CARD.replace(" ", "")
FORM = {"amount": "100.00", "name": "Jordan Rivera", "card_number": CARD, "expiry": "04/28", "cvc": "123"}


@pytest.fixture(autouse=True)
def _clock(client: TestClient, anonymous_client: TestClient) -> None:
    fix_clock(client)
    fix_clock(anonymous_client)


def new_link(client: TestClient, amount: str | None = None, **account: Any) -> tuple[str, str]:
    """A payment link's path (/pay/<token>) and its account id."""
    account_id, grant = verified_account(client, **account)
    response = client.post(f"{BASE}/{account_id}/payment-links", json={"amount": amount}, headers=grant)
    assert response.status_code == 201, response.text
    return response.json()["url"].removeprefix("http://localhost:8000"), account_id


def events(client: TestClient, account_id: str) -> list[dict[str, Any]]:
    return list(client.get(f"{BASE}/{account_id}/events").json())


def test_a_link_points_at_the_portal_and_expires_in_24_hours(client: TestClient) -> None:
    account_id, grant = verified_account(client)

    response = client.post(f"{BASE}/{account_id}/payment-links", json={"amount": None}, headers=grant)

    body = response.json()
    assert response.status_code == 201
    assert re.fullmatch(r"http://localhost:8000/pay/[\w-]+\.[\w-]+\.[\w-]+", body["url"])
    assert body["expires_at"] == "2026-11-23T15:00:00Z"
    claims = jwt.decode(
        body["url"].rsplit("/", 1)[1],
        SECRET_KEY,
        algorithms=["HS256"],
        options={"verify_exp": False, "verify_iat": False},
    )
    assert (claims["sub"], claims["purpose"]) == (account_id, "payment-link")
    event = events(client, account_id)[-1]
    assert (event["type"], event["data"]["amount"], event["data"]["link_id"]) == (
        "payment_link.created",
        None,
        claims["jti"],
    )


def test_api_public_url_sets_the_links_host(settings: Settings) -> None:
    public = settings.model_copy(update={"API_PUBLIC_URL": "https://pay.example.org/"})
    with TestClient(create_app(public), headers=AUTH) as client:
        account_id, grant = verified_account(client)

        url = client.post(f"{BASE}/{account_id}/payment-links", json={}, headers=grant).json()["url"]

    assert url.startswith("https://pay.example.org/pay/")


def test_the_portal_page_shows_the_account_and_an_accessible_form(
    client: TestClient, anonymous_client: TestClient
) -> None:
    path, _ = new_link(client, reference="ACME-9200")

    response = anonymous_client.get(path)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    for expected in ("ACME-9200", "Northwind Bank", "$1,320.40", 'value="1320.40"', '<html lang="en">'):
        assert expected in page
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in page
    for field, autocomplete in [("card_number", "cc-number"), ("expiry", "cc-exp"), ("cvc", "cc-csc")]:
        assert f'<label for="{field}">' in page
        assert f'id="{field}" name="{field}" inputmode="numeric" autocomplete="{autocomplete}"' in page
    assert '<form method="post" novalidate>' in page
    assert "<script" not in page


def test_the_portal_page_is_locked_down(client: TestClient, anonymous_client: TestClient) -> None:
    path, _ = new_link(client)

    headers = anonymous_client.get(path).headers

    policy = headers["content-security-policy"]
    assert "default-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert "style-src 'sha256-" in policy and "unsafe-inline" not in policy
    assert (headers["referrer-policy"], headers["cache-control"]) == ("no-referrer", "no-store")


def test_a_link_with_an_amount_suggests_it(client: TestClient, anonymous_client: TestClient) -> None:
    path, account_id = new_link(client, amount="110.04")

    assert 'value="110.04"' in anonymous_client.get(path).text
    assert events(client, account_id)[-1]["data"]["amount"] == "110.04"


def test_a_submitted_payment_is_recorded_with_the_last_4_only(
    client: TestClient, anonymous_client: TestClient, session: Session
) -> None:
    path, account_id = new_link(client)

    response = anonymous_client.post(path, data=FORM)

    assert response.status_code == 200
    assert "Thank you, your payment was submitted" in response.text
    assert "ending in 1111" in response.text and "$100.00" in response.text
    event = events(client, account_id)[-1]
    assert event["type"] == "payment.submitted"
    assert event["data"] == {"link_id": event["data"]["link_id"], "amount": "100.00", "card_last4": "1111"}
    link = session.get(PaymentLink, event["data"]["link_id"])
    assert link is not None and link.used_at is not None


def test_a_link_pays_once(client: TestClient, anonymous_client: TestClient) -> None:
    path, account_id = new_link(client)
    anonymous_client.post(path, data=FORM)

    again = anonymous_client.post(path, data=FORM)
    page = anonymous_client.get(path)

    assert (again.status_code, page.status_code) == (410, 410)
    assert "already been used" in page.text
    assert [event["type"] for event in events(client, account_id)].count("payment.submitted") == 1


def test_a_bad_card_number_shows_the_form_again_without_echoing_it(
    client: TestClient, anonymous_client: TestClient
) -> None:
    path, account_id = new_link(client)

    response = anonymous_client.post(path, data={**FORM, "card_number": "4111 1111 1111 1112", "name": "Jo"})

    assert response.status_code == 422
    assert "not a valid card number" in response.text
    assert 'aria-invalid="true" aria-describedby="card_number-error"' in response.text
    assert 'role="alert"' in response.text
    assert "1112" not in response.text and "04/28" not in response.text
    assert 'value="Jo"' in response.text and 'value="100.00"' in response.text
    assert "payment.submitted" not in [event["type"] for event in events(client, account_id)]


def test_the_amount_cannot_exceed_the_balance(client: TestClient, anonymous_client: TestClient) -> None:
    path, _ = new_link(client)

    response = anonymous_client.post(path, data={**FORM, "amount": "1320.41"})

    assert response.status_code == 422
    assert "Enter an amount between $0.01 and $1,320.40." in response.text


def test_an_expired_link_gets_a_friendly_410(client: TestClient, anonymous_client: TestClient) -> None:
    path, _ = new_link(client)
    fix_clock(anonymous_client, NOW + timedelta(hours=24, seconds=1))

    for response in (anonymous_client.get(path), anonymous_client.post(path, data=FORM)):
        assert response.status_code == 410
        assert "This payment link has expired" in response.text
        assert "1-800-555-0100" in response.text


def test_a_forged_or_foreign_token_gets_a_friendly_403(
    client: TestClient, anonymous_client: TestClient
) -> None:
    path, account_id = new_link(client)
    token = path.rsplit("/", 1)[1]
    claims = jwt.decode(
        token, SECRET_KEY, algorithms=["HS256"], options={"verify_exp": False, "verify_iat": False}
    )
    forged = jwt.encode(claims, "another-secret-key-0123456789abcdef012345", algorithm="HS256")
    grant, _ = create_grant(SECRET_KEY, account_id, 600)  # a disclosure grant is not a payment link

    for bad in (forged, grant, token[:-3] + "abc", "garbage"):
        response = anonymous_client.get(f"/pay/{bad}")
        assert response.status_code == 403
        assert "This link is not valid" in response.text


def test_a_link_of_a_deleted_account_is_gone(
    client: TestClient, anonymous_client: TestClient, session: Session
) -> None:
    path, account_id = new_link(client)
    session.execute(delete(Account).where(Account.id == account_id))
    session.commit()

    response = anonymous_client.get(path)

    assert (response.status_code, "no longer valid" in response.text) == (410, True)


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")  # SQL echo on: parameters must stay hidden
    yield caplog


def _record_text(record: logging.LogRecord) -> str:
    values = [record.getMessage(), repr(record.args), *(repr(value) for value in vars(record).values())]
    return " ".join(values)


def _all_rows(session: Session) -> str:
    rows = []
    for table in Base.metadata.sorted_tables:
        rows += [repr(tuple(row)) for row in session.execute(text(f"SELECT * FROM {table.name}"))]  # noqa: S608
    return " ".join(rows)


def test_the_card_number_is_in_no_table_and_no_log_line(
    client: TestClient, anonymous_client: TestClient, session: Session, logs: pytest.LogCaptureFixture
) -> None:
    path, _ = new_link(client)
    mistyped = "4111 1111 1111 1112"
    anonymous_client.post(path, data={**FORM, "card_number": mistyped})
    anonymous_client.post(path, data={**FORM, "cvc": "9876"})  # a valid card: the payment goes through

    logged = " ".join(_record_text(record) for record in logs.records)
    stored = _all_rows(session)

    assert "payment submitted" in logged and "SELECT" in logged  # the API's and the SQL logs were captured
    assert "payment.submitted" in stored and "1111" in stored
    # (the 3-4 digit security code is not searched for: random hex ids may contain any 4 digits)
    for secret in (CARD, CARD_DIGITS, mistyped, mistyped.replace(" ", ""), "04/28"):
        assert secret not in logged, secret
        assert secret not in stored, secret


def test_the_portal_needs_no_api_token_but_links_do(anonymous_client: TestClient, client: TestClient) -> None:
    account_id, grant = verified_account(client)

    response = anonymous_client.post(f"{BASE}/{account_id}/payment-links", json={}, headers=grant)

    assert response.status_code == 401
    assert API_TOKEN not in response.text
