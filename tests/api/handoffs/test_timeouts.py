"""Unclaimed handoffs: escalated once after the timeout, the debtor told when to expect contact."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.conversations.models import OutboundMessage
from api.core.config import Settings
from api.handoffs.models import Handoff
from api.handoffs.timeouts import escalate_overdue, next_window, notice_text
from tests.api.handoff_helpers import HANDOFFS, Staff, claimed_handoff, create_handoff
from tests.api.sms_helpers import inbound
from tests.factories import create_account, debtor_payload, phone_number
from tests.fakes.rasa_server import FakeRasa

NEW_YORK = ZoneInfo("America/New_York")


def _at(day: int, hour: int) -> datetime:
    """A moment in December 2026 in New York (the 2nd is a Wednesday, the 4th a Friday)."""
    return datetime(2026, 12, day, hour, 30, tzinfo=NEW_YORK)


def test_inside_business_hours_contact_is_promised_for_today(settings: Settings) -> None:
    window = next_window(_at(2, 10), NEW_YORK, settings)

    assert window.now_open
    assert "today before 5:00 PM EST" in notice_text(window, settings)


def test_after_hours_on_friday_contact_is_promised_for_monday_morning(settings: Settings) -> None:
    window = next_window(_at(4, 18), NEW_YORK, settings)

    assert (window.now_open, window.start) == (False, datetime(2026, 12, 7, 9, tzinfo=NEW_YORK))
    assert "on Monday after 9:00 AM EST" in notice_text(window, settings)


def test_before_opening_contact_is_promised_for_the_same_morning(settings: Settings) -> None:
    window = next_window(_at(2, 6), NEW_YORK, settings)

    assert (window.now_open, window.start.day) == (False, 2)


def test_an_overdue_sms_handoff_is_escalated_once_and_the_debtor_texted(
    sms_client: TestClient, sms_settings: Settings, session: Session, staff: dict[str, Staff]
) -> None:
    phone = phone_number()
    create_account(sms_client, debtor=debtor_payload(phone=phone, timezone="America/Chicago"))
    conversation = inbound(sms_client, phone, "a person please")["conversation_id"]
    handoff = create_handoff(sms_client, channel="sms", conversation_id=conversation)
    later = datetime.now(UTC) + timedelta(minutes=sms_settings.HANDOFF_CLAIM_TIMEOUT_MINUTES + 1)

    assert escalate_overdue(session, sms_settings, datetime.now(UTC)) == []
    assert escalate_overdue(session, sms_settings, later) == [handoff["id"]]
    assert escalate_overdue(session, sms_settings, later + timedelta(hours=1)) == []

    query = select(OutboundMessage).where(OutboundMessage.conversation_id == conversation)
    [notice] = session.scalars(query.where(OutboundMessage.kind == "system"))
    assert "A member of our team will contact you" in notice.body
    assert " CST" in notice.body
    detail = sms_client.get(f"{HANDOFFS}/{handoff['id']}", headers=staff["agent"].headers).json()
    assert (detail["escalated"], detail["status"]) == (True, "queued")
    assert detail["transcript"][-1]["delivery"] == notice.status


def test_a_claimed_handoff_is_not_escalated(
    client: TestClient, settings: Settings, session: Session, staff: dict[str, Staff]
) -> None:
    claimed_handoff(client, staff["agent"])
    later = datetime.now(UTC) + timedelta(hours=2)

    assert escalate_overdue(session, settings, later) == []


def test_a_webchat_debtor_gets_the_notice_down_the_socket_through_rasa(
    client: TestClient, settings: Settings, session: Session, staff: dict[str, Staff], fake_rasa: FakeRasa
) -> None:
    handoff = create_handoff(client)
    later = datetime.now(UTC) + timedelta(hours=2)

    escalate_overdue(session, settings, later)

    [notice] = fake_rasa.delivered(handoff["conversation_id"])
    assert "A member of our team will contact you" in notice
    detail = client.get(f"{HANDOFFS}/{handoff['id']}", headers=staff["agent"].headers).json()
    assert (detail["transcript"][-1]["text"], detail["transcript"][-1]["delivery"]) == (notice, "delivered")
    query = select(OutboundMessage).where(OutboundMessage.conversation_id == handoff["conversation_id"])
    [message] = session.scalars(query)
    assert (message.channel, message.kind, message.status, message.body) == (
        "webchat",
        "system",
        "sent",
        notice,
    )
    row = session.get(Handoff, handoff["id"], populate_existing=True)
    assert row is not None and row.escalated_at is not None


def test_with_rasa_down_the_handoff_is_still_escalated_once_and_the_notice_kept(
    client: TestClient, settings: Settings, session: Session, staff: dict[str, Staff], fake_rasa: FakeRasa
) -> None:
    handoff = create_handoff(client)
    later = datetime.now(UTC) + timedelta(hours=2)
    fake_rasa.fail_next(503)

    assert escalate_overdue(session, settings, later) == [handoff["id"]]
    assert escalate_overdue(session, settings, later) == []

    detail = client.get(f"{HANDOFFS}/{handoff['id']}", headers=staff["agent"].headers).json()
    assert (detail["escalated"], detail["transcript"][-1]["delivery"]) == (True, "not_delivered")
