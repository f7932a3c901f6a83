"""Identity facts are never stored in plain form, never echoed, and never logged."""

import logging
import uuid
from datetime import datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import Session

from api.core import security
from api.core.security import Fact
from tests.factories import SECRET_KEY, create_account, debtor_payload

PHONE = "+16175550172"
DOB, ZIP_CODE, SSN_LAST4 = "1961-07-29", "02139", "8642"
SECRETS = (PHONE, "6175550172", "555-0172", DOB, "07/29/1961", ZIP_CODE, SSN_LAST4)
HASH_COLUMNS = {"dob_hash", "zip_hash", "ssn_last4_hash"}


def _is_id_or_time(value: object) -> bool:
    """A UUID or a timestamp with a time of day, typed or as SQLite returns it (text); never a bare date."""
    if isinstance(value, datetime | uuid.UUID):
        return True
    text_value = str(value)
    try:
        uuid.UUID(text_value)
        return True
    except ValueError:
        pass
    try:
        datetime.fromisoformat(text_value)
    except ValueError:
        return False
    return ":" in text_value


def _debtor() -> dict[str, str]:
    return debtor_payload(phone="(617) 555-0172", dob=DOB, zip_code=ZIP_CODE, ssn_last4=SSN_LAST4)


def test_identity_facts_are_stored_only_as_keyed_hashes(client: TestClient, session: Session) -> None:
    account = create_account(client, debtor=_debtor())

    row = (
        session.execute(text("SELECT * FROM debtors WHERE id = :id"), {"id": account["debtor_id"]})
        .mappings()
        .one()
    )

    assert row["dob_hash"] == security.hash_fact(SECRET_KEY, Fact.DOB, DOB)
    assert row["zip_hash"] == security.hash_fact(SECRET_KEY, Fact.ZIP, ZIP_CODE)
    assert row["ssn_last4_hash"] == security.hash_fact(SECRET_KEY, Fact.SSN_LAST4, SSN_LAST4)
    # Ids and timestamps are random digits that can contain "1961" by chance; they hold no identity fact.
    plain_columns = " ".join(
        str(value)
        for column, value in row.items()
        if column not in HASH_COLUMNS and not _is_id_or_time(value)
    )
    for fact in (DOB, "1961", ZIP_CODE, SSN_LAST4):
        assert fact not in plain_columns
    assert row["phone"] == PHONE  # the phone is contact data, needed to find the debtor


def test_events_hold_no_personal_data(client: TestClient, session: Session) -> None:
    account = create_account(client, debtor=_debtor())
    client.post(f"/api/v1/accounts/{account['id']}/verify", json={"dob": DOB, "zip_code": "99999"})
    client.post(f"/api/v1/accounts/{account['id']}/verify", json={"dob": DOB, "zip_code": ZIP_CODE})

    stored = " ".join(str(data) for data in session.scalars(text("SELECT data FROM account_events")))

    for secret in (*SECRETS, "Jordan", "Rivera", "example.com"):
        assert secret not in stored


def _strings(record: logging.LogRecord) -> str:
    """Everything textual about a record: message, arguments and structured extras."""
    values = [record.getMessage(), repr(record.args)]
    values += [repr(value) for value in vars(record).values() if not isinstance(value, int | float)]
    return " ".join(values)


def test_no_log_record_of_a_conversation_holds_phone_dob_zip_or_ssn(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")  # SQL echo on: parameters must stay hidden
    account = create_account(client, debtor=_debtor())
    client.post("/api/v1/accounts/lookup", json={"phone": "(617) 555-0172"})
    for zip_code in ("99999", "99998", "99997"):
        client.post(f"/api/v1/accounts/{account['id']}/verify", json={"dob": DOB, "zip_code": zip_code})
    client.post(f"/api/v1/accounts/{account['id']}/verify", json={"dob": DOB, "ssn_last4": SSN_LAST4})
    client.post("/api/v1/accounts", json={"debtor": {**_debtor(), "dob": "07/29/1961"}})

    logged = [_strings(record) for record in caplog.records]

    assert any("debtor locked out" in line for line in logged)  # the API's own logs were captured
    assert any("SELECT" in line for line in logged)  # and so were the SQL statements
    for secret in SECRETS:
        assert not [line for line in logged if secret in line], secret
