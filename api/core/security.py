"""Keyed hashes of identity facts and constant-time comparisons (grants: api.accounts.grants)."""

import hashlib
import hmac
from datetime import date
from enum import StrEnum


class Fact(StrEnum):
    """Identity facts; the name is mixed into the hash so equal values of different facts never collide."""

    DOB = "dob"
    ZIP = "zip"
    SSN_LAST4 = "ssn_last4"


def hash_fact(secret: str, fact: Fact, normalized_value: str) -> str:
    """HMAC-SHA256 (hex) of a normalised fact; without the key a leaked row cannot be brute-forced."""
    message = f"{fact.value}:{normalized_value}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def hash_dob(secret: str, dob: date) -> str:
    """Hash of a date of birth in ISO form (YYYY-MM-DD)."""
    return hash_fact(secret, Fact.DOB, dob.isoformat())


def matches(expected_hash: str, candidate_hash: str) -> bool:
    """Constant-time comparison of two hex digests."""
    return hmac.compare_digest(expected_hash.encode(), candidate_hash.encode())


def token_matches(expected: str, presented: str) -> bool:
    """Constant-time comparison of a presented bearer token with the configured one."""
    return hmac.compare_digest(expected.encode(), presented.encode())
