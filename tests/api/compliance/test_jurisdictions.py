"""Per-jurisdiction rules of the gate: state law on top of Regulation F, never looser than it.

A state may allow fewer contact hours than 1006.6(b)(1)'s 08:00-21:00, cap messages lower than our SMS
cadence cap (1006.14(b) as the reference), or require a disclosure on time-barred debts (1006.26 leaves
that to the states). Accounts name their state (`jurisdiction`); the configuration is per state.
"""

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy.orm import Session

from api.compliance.client_rules import CFPB_TIME_BARRED_DISCLOSURE
from api.compliance.jurisdictions import JurisdictionRules
from api.core.config import Settings
from shared.vocabulary import BlockReason
from tests.api.compliance_helpers import (
    MONDAY_NOON_NEW_YORK,
    NEW_YORK,
    account_with,
    mark_sent,
    outbound_row,
    send,
)
from tests.api.settings_helpers import api_settings
from tests.factories import account_payload

MORNING_STATE, QUIET_STATE, OLD_DEBT_STATE = "MA", "WA", "CA"
EIGHT_THIRTY_NEW_YORK = MONDAY_NOON_NEW_YORK - timedelta(hours=3, minutes=30)


@pytest.fixture
def settings(database_url: str) -> Settings:
    return api_settings(
        database_url,
        COMPLIANCE_JURISDICTIONS={
            MORNING_STATE: {"contact_hours_start": 9, "contact_hours_end": 20},
            QUIET_STATE: {"max_initiated_per_7_days": {"sms": 2}},
            OLD_DEBT_STATE: {"time_barred_disclosure": CFPB_TIME_BARRED_DISCLOSURE},
        },
    )


def test_a_state_with_a_later_start_narrows_the_contact_window(client: TestClient) -> None:
    account_with(client, NEW_YORK, jurisdiction=MORNING_STATE)

    early = send(client, EIGHT_THIRTY_NEW_YORK, NEW_YORK)
    at_nine = send(client, EIGHT_THIRTY_NEW_YORK + timedelta(minutes=30), NEW_YORK)

    assert (early["status"], early["reasons"]) == ("blocked", [BlockReason.OUTSIDE_CONTACT_HOURS])
    assert at_nine["status"] == "queued"


def test_without_state_rules_the_federal_window_holds(client: TestClient) -> None:
    account_with(client, NEW_YORK, jurisdiction="DC")  # DC has no configured rules here

    assert send(client, EIGHT_THIRTY_NEW_YORK, NEW_YORK)["status"] == "queued"


def test_a_state_cap_lower_than_ours_wins(client: TestClient, session: Session) -> None:
    account_with(client, NEW_YORK, jurisdiction=QUIET_STATE)
    for day in range(2):
        at = MONDAY_NOON_NEW_YORK + timedelta(days=day)
        mark_sent(session, send(client, at, NEW_YORK)["id"], at)

    third = send(client, MONDAY_NOON_NEW_YORK + timedelta(days=2), NEW_YORK)

    assert (third["status"], third["reasons"]) == ("blocked", [BlockReason.FREQUENCY_CAP])


def test_1006_26_a_state_requiring_the_time_barred_disclosure_gets_it(
    client: TestClient, session: Session
) -> None:
    account_with(client, NEW_YORK, jurisdiction=OLD_DEBT_STATE, time_barred=True)

    sent = send(client, MONDAY_NOON_NEW_YORK, NEW_YORK, body="A reminder about your account.")

    assert sent["status"] == "queued"
    assert CFPB_TIME_BARRED_DISCLOSURE in outbound_row(session, sent["id"]).body


def test_1006_26_no_disclosure_for_a_debt_that_is_not_time_barred(
    client: TestClient, session: Session
) -> None:
    account_with(client, NEW_YORK, jurisdiction=OLD_DEBT_STATE)

    sent = send(client, MONDAY_NOON_NEW_YORK, NEW_YORK, body="A reminder about your account.")

    assert CFPB_TIME_BARRED_DISCLOSURE not in outbound_row(session, sent["id"]).body


@pytest.mark.parametrize(
    "rules",
    [
        {"contact_hours_start": 21, "contact_hours_end": 9},
        {"contact_hours_start": 25},
        {"time_barred_disclosure": "We will sue you if you do not pay."},
    ],
)
def test_state_rules_that_make_no_sense_or_threaten_are_refused(rules: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        JurisdictionRules.model_validate(rules)


def test_an_account_names_a_state_by_its_postal_code(client: TestClient) -> None:
    response = client.post("/api/v1/accounts", json=account_payload(jurisdiction="California"))
    assert response.status_code == 422
    assert client.post("/api/v1/accounts", json=account_payload(jurisdiction="CA")).status_code == 201
