"""Identity verification attempts are rate limited per conversation (one SMS number) across accounts.

Reg F 1006.6(d) lets nothing about a debt reach a third party; a caller who could try account after
account would eventually guess one. Every refusal is on the account's tamper-evident record.
"""

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.accounts.models import VerificationAttempt
from api.core.config import Settings
from api.core.models import utcnow
from tests.api.settings_helpers import api_settings
from tests.factories import DOB, ZIP_CODE, create_account

WRONG = {"dob": DOB, "zip_code": "99999"}
RIGHT = {"dob": DOB, "zip_code": ZIP_CODE}


@pytest.fixture
def settings(database_url: str) -> Settings:
    """Three failures per conversation per day; each debtor's own limit far above it."""
    return api_settings(
        database_url,
        VERIFY_MAX_ATTEMPTS=10,
        VERIFY_MAX_FAILURES_PER_CONVERSATION=3,
        VERIFY_LOCKOUT_MINUTES=1440,
    )


def _verify(
    client: TestClient, account_id: str, facts: dict[str, str], conversation: str
) -> dict[str, object]:
    response = client.post(
        f"/api/v1/accounts/{account_id}/verify", json={**facts, "conversation_id": conversation}
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_1006_6_d_a_conversation_that_failed_on_other_accounts_may_not_try_another(
    client: TestClient,
) -> None:
    """Three wrong guesses over two accounts shut the conversation out of a third, right facts or not."""
    first, second, third = (create_account(client)["id"] for _ in range(3))
    for account_id in (first, first, second):
        assert _verify(client, account_id, WRONG, "c-guesser")["verified"] is False

    refused = _verify(client, third, RIGHT, "c-guesser")

    assert refused["verified"] is False and refused["locked"] is True and refused["grant"] is None
    assert refused["locked_until"] is not None
    events = client.get(f"/api/v1/accounts/{third}/events").json()
    assert events[-1]["type"] == "verification.rate_limited"
    assert events[-1]["data"] == {"conversation_failures": 3}


def test_the_rate_limit_leaves_other_conversations_and_the_debtors_own_counter_alone(
    client: TestClient,
) -> None:
    account_id = create_account(client)["id"]
    for _ in range(3):
        _verify(client, account_id, WRONG, "c-guesser")
    _verify(client, account_id, RIGHT, "c-guesser")

    verified = _verify(client, account_id, RIGHT, "c-the-debtor")

    assert verified["verified"] is True and verified["grant"]


def test_failures_older_than_the_lockout_period_no_longer_count(client: TestClient, session: Session) -> None:
    account_id = create_account(client)["id"]
    long_ago = utcnow() - timedelta(minutes=1441)
    session.add_all(
        VerificationAttempt(
            conversation_id="c-returning", account_id=account_id, succeeded=False, at=long_ago
        )
        for _ in range(3)
    )
    session.commit()

    assert _verify(client, account_id, RIGHT, "c-returning")["verified"] is True


def test_each_checked_attempt_is_kept_by_conversation_which_ties_a_webchat_to_its_account(
    client: TestClient, session: Session
) -> None:
    """The attempt rows are what the GDPR export and erasure use to find a debtor's webchat conversations."""
    account_id = create_account(client)["id"]
    _verify(client, account_id, WRONG, "3f2a9c")
    _verify(client, account_id, RIGHT, "3f2a9c")

    rows = session.scalars(select(VerificationAttempt).where(VerificationAttempt.account_id == account_id))

    assert sorted((row.conversation_id, row.succeeded) for row in rows) == [
        ("3f2a9c", False),
        ("3f2a9c", True),
    ]


def test_a_verification_without_a_conversation_still_works(client: TestClient) -> None:
    account_id = create_account(client)["id"]

    response = client.post(f"/api/v1/accounts/{account_id}/verify", json=RIGHT)

    assert response.json()["verified"] is True
