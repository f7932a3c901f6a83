"""A card number or SSN texted to us never reaches the database or the logs."""

import logging

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import Session

from tests.api.sms_helpers import inbound
from tests.factories import phone_number

CARD = "4111 1111 1111 1111"
SSN = "123-45-6789"


def _strings(record: logging.LogRecord) -> str:
    values = [record.getMessage(), repr(record.args)]
    values += [repr(value) for value in vars(record).values() if not isinstance(value, int | float)]
    return " ".join(values)


def test_a_card_number_sent_by_sms_never_appears_in_the_database_or_the_logs(
    sms_client: TestClient, session: Session, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")  # SQL echo on: parameters must stay hidden

    inbound(sms_client, phone_number(), f"here is my card {CARD} and my ssn {SSN}")

    bodies = " ".join(str(body) for body in session.scalars(text("SELECT body FROM inbound_messages")))
    logged = " ".join(_strings(record) for record in caplog.records)
    assert "[card number removed]" in bodies and "[SSN removed]" in bodies
    for secret in (CARD, CARD.replace(" ", ""), SSN):
        assert secret not in bodies
        assert secret not in logged
    assert any("inbound sms stored" in record.getMessage() for record in caplog.records)
