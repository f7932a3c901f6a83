"""Keyed fact hashes and constant-time comparisons."""

from datetime import date

from api.core import security
from api.core.security import Fact

SECRET = "unit-secret-key-0123456789abcdef0123456789"


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
