"""Request bodies for the accounts API, valid by default and overridable per test."""

import random
import uuid
from typing import Any

import phonenumbers

from shared.demo import NORTHWIND_TERMS

# Secrets of the test Settings (long enough for the Settings' minimum lengths).
API_TOKEN = "test-api-token-0123456789"
SECRET_KEY = "test-secret-key-0123456789abcdef0123456789"

# The identity facts every factory debtor is created with, unless a test overrides them.
DOB = "1985-03-14"
ZIP_CODE = "20001"
SSN_LAST4 = "4321"
FACTS = {"dob": DOB, "zip_code": ZIP_CODE, "ssn_last4": SSN_LAST4}

_AREA_CODES = ("202", "212", "312", "415", "617", "713")


def phone_number() -> str:
    """A valid, random US number in E.164 form (unique enough for one test run)."""
    while True:
        candidate = f"+1{random.choice(_AREA_CODES)}{random.randint(200, 999)}{random.randint(0, 9999):04d}"
        if phonenumbers.is_valid_number(phonenumbers.parse(candidate)):
            return candidate


def reference() -> str:
    """A fresh account reference."""
    return f"TEST-{uuid.uuid4().hex[:10].upper()}"


def debtor_payload(**overrides: Any) -> dict[str, Any]:
    """The debtor part of POST /api/v1/accounts."""
    payload: dict[str, Any] = {
        "first_name": "Jordan",
        "last_name": "Rivera",
        "phone": phone_number(),
        "email": "jordan@example.com",
        "timezone": "America/New_York",
        **FACTS,
    }
    payload.update(overrides)
    return payload


def account_payload(debtor: dict[str, Any] | None = None, **overrides: Any) -> dict[str, Any]:
    """A full POST /api/v1/accounts body."""
    payload: dict[str, Any] = {
        "reference": reference(),
        **NORTHWIND_TERMS,
        "debtor": debtor if debtor is not None else debtor_payload(),
    }
    payload.update(overrides)
    return payload


def create_account(client: Any, **overrides: Any) -> dict[str, Any]:
    """Create an account through the API and return its AccountOut body."""
    response = client.post("/api/v1/accounts", json=account_payload(**overrides))
    assert response.status_code == 201, response.text
    return dict(response.json())


def verify(client: Any, account_id: str, **facts: Any) -> Any:
    """POST /verify with the factory facts (DOB + ZIP) unless others are given; returns the response."""
    body = facts or {"dob": DOB, "zip_code": ZIP_CODE}
    return client.post(f"/api/v1/accounts/{account_id}/verify", json=body)
