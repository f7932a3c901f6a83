"""Verification grants: accepted for their own account until they expire, refused otherwise."""

from datetime import UTC, datetime, timedelta

import pytest

from api.accounts import grants
from api.accounts.exceptions import GrantError

SECRET = "unit-secret-key-0123456789abcdef0123456789"
ACCOUNT_ID = "1b0b6a4e-6f57-4f8c-9f0a-2d4c1c8f6a11"


def test_a_grant_is_accepted_for_its_own_account_until_it_expires() -> None:
    now = datetime.now(UTC)
    grant, expires_at = grants.create_grant(SECRET, ACCOUNT_ID, ttl_seconds=60, now=now)

    grants.check_grant(SECRET, grant, ACCOUNT_ID)
    assert expires_at == now + timedelta(seconds=60)


@pytest.mark.parametrize(
    ("secret", "account_id", "issued_ago", "message"),
    [
        (SECRET, "another-account", timedelta(0), "not for this account"),
        (SECRET, ACCOUNT_ID, timedelta(minutes=2), "expired"),
        ("other-secret-key-0123456789abcdef0123456789", ACCOUNT_ID, timedelta(0), "invalid"),
    ],
)
def test_check_grant_rejects(secret: str, account_id: str, issued_ago: timedelta, message: str) -> None:
    grant, _ = grants.create_grant(secret, ACCOUNT_ID, ttl_seconds=60, now=datetime.now(UTC) - issued_ago)

    with pytest.raises(GrantError, match=message):
        grants.check_grant(SECRET, grant, account_id)
