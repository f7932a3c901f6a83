"""Keyed fact hashes, constant-time comparisons and verification grants."""

from datetime import UTC, date, datetime, timedelta

import pytest

from api.accounts import grants
from api.accounts.exceptions import GrantError
from api.core import security
from api.core.security import Fact

SECRET = "unit-secret-key-0123456789abcdef0123456789"
ACCOUNT_ID = "1b0b6a4e-6f57-4f8c-9f0a-2d4c1c8f6a11"


def test_fact_hashes_are_stable_hex_sha256_digests() -> None:
    digest = security.hash_fact(SECRET, Fact.ZIP, "20001")

    assert digest == security.hash_fact(SECRET, Fact.ZIP, "20001")
    assert len(digest) == 64
    assert int(digest, 16) >= 0
    assert "20001" not in digest


def test_fact_hashes_depend_on_the_key() -> None:
    assert security.hash_fact(SECRET, Fact.ZIP, "20001") != security.hash_fact(
        SECRET + "x", Fact.ZIP, "20001"
    )


def test_equal_values_of_different_facts_hash_differently() -> None:
    assert security.hash_fact(SECRET, Fact.ZIP, "4321") != security.hash_fact(SECRET, Fact.SSN_LAST4, "4321")


def test_dob_is_hashed_in_iso_form() -> None:
    assert security.hash_dob(SECRET, date(1985, 3, 14)) == security.hash_fact(SECRET, Fact.DOB, "1985-03-14")


def test_matches_compares_digests() -> None:
    digest = security.hash_fact(SECRET, Fact.DOB, "1985-03-14")

    assert security.matches(digest, digest)
    assert not security.matches(digest, security.hash_fact(SECRET, Fact.DOB, "1985-03-15"))


def test_token_matches_only_the_exact_token() -> None:
    assert security.token_matches("service-token-123", "service-token-123")
    assert not security.token_matches("service-token-123", "service-token-12")
    assert not security.token_matches("service-token-123", "")


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
