"""The send task: one outbox message per send however often it runs, through the gate, retries, dead
letters, and the reminder put on the debtor's Rasa tracker."""

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from api.accounts.models import Account, ContactPreference
from api.campaigns import celery_app as celery_module
from api.campaigns import planner, reminders, sending, tasks
from api.campaigns.models import Campaign, CampaignDeadLetter, CampaignSend
from api.campaigns.schemas import CampaignStatus, SendStatus
from api.collections.models import AccountFlag
from api.compliance import gate as compliance
from api.conversations import service as conversations
from api.conversations.models import Contact, OutboundMessage
from api.core.config import Settings
from tests.api.campaigns.helpers import (
    NON_US_NUMBER,
    NOON_NEW_YORK,
    REMINDER,
    ROUND_THE_WORLD,
    add_account,
    add_campaign,
    zone_in_hours,
)
from tests.factories import SECRET_KEY
from tests.fakes.rasa_server import FakeRasa

GATE = compliance.DEFAULT_CONFIG


def _planned(session: Session, **account_fields: Any) -> CampaignSend:
    add_account(session, phone="+12125550147", **account_fields)
    add_campaign(session)
    planner.plan(session, NOON_NEW_YORK, planner.PlanConfig(), lambda *_: None)
    return session.scalars(select(CampaignSend)).one()


def _messages(session: Session) -> list[OutboundMessage]:
    return list(session.scalars(select(OutboundMessage)))


def _queued_reminder(session: Session, settings: Settings) -> tuple[CampaignSend, sending.Reminder]:
    """A planned send delivered to the outbox at noon in New York; the send and its tracker reminder."""
    send = _planned(session)
    outcome = sending.deliver(session, settings, send.id, NOON_NEW_YORK, GATE)
    assert outcome.reminder is not None
    return send, outcome.reminder


def _objects_to_noon(session: Session, send: CampaignSend) -> Account:
    """The send's debtor says 11:00 to 13:00 is inconvenient; their account."""
    account = session.get(Account, send.account_id)
    assert account is not None
    preference = ContactPreference(
        debtor_id=account.debtor_id, inconvenient_weekdays=[], inconvenient_hours=[[11, 13]]
    )
    session.add(preference)
    return account


def test_a_send_becomes_one_queued_reminder_in_the_outbox(session: Session, settings: Settings) -> None:
    send = _planned(session)

    outcome = sending.deliver(session, settings, send.id, NOON_NEW_YORK, GATE)

    [message] = _messages(session)
    assert (message.status, message.kind, message.initiated) == ("queued", "reminder", True)
    assert message.idempotency_key == f"campaign:{send.id}"
    assert "Reply STOP to opt out." in message.body
    session.refresh(send)
    assert (send.status, send.outbound_message_id) == (SendStatus.QUEUED, message.id)
    expected_conversation = conversations.conversation_id(SECRET_KEY, "sms", "+12125550147")
    assert outcome.reminder is not None
    assert (outcome.reminder.conversation_id, outcome.reminder.response) == (expected_conversation, REMINDER)


def test_running_the_task_again_sends_nothing_more(session: Session, settings: Settings) -> None:
    send = _planned(session)
    sending.deliver(session, settings, send.id, NOON_NEW_YORK, GATE)

    again = sending.deliver(session, settings, send.id, NOON_NEW_YORK + timedelta(minutes=1), GATE)

    assert again.status == "skipped"
    assert len(_messages(session)) == 1


def test_the_gate_blocks_a_reminder_to_a_number_that_opted_out(session: Session, settings: Settings) -> None:
    send = _planned(session)
    session.add(Contact(channel="sms", address="+12125550147", conversation_id="c-x", opted_out=True))
    session.commit()

    outcome = sending.deliver(session, settings, send.id, NOON_NEW_YORK, GATE)

    [message] = _messages(session)
    assert (outcome.status, outcome.reminder) == (SendStatus.BLOCKED, None)
    assert message.block_reasons == ["opted_out"]


def test_a_paused_campaign_cancels_its_due_sends(session: Session, settings: Settings) -> None:
    send = _planned(session)
    campaign = session.get(Campaign, send.campaign_id)
    assert campaign is not None
    campaign.status = CampaignStatus.PAUSED
    session.commit()

    outcome = sending.deliver(session, settings, send.id, NOON_NEW_YORK, GATE)

    assert outcome.status == SendStatus.CANCELLED
    assert _messages(session) == []


def test_backoff_doubles_and_stops_after_the_last_retry() -> None:
    delays = [sending.retry_in(n, 3, 30.0) for n in range(4)]

    assert delays == [timedelta(seconds=30), timedelta(seconds=60), timedelta(seconds=120), None]


@pytest.fixture
def task_settings(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    """The tasks (run eagerly, in this process) read these settings."""
    eager = settings.model_copy(
        update={"CAMPAIGN_SEND_MAX_RETRIES": 2, "CAMPAIGN_RETRY_BACKOFF_SECONDS": 1.0}
    )
    monkeypatch.setattr(tasks, "get_settings", lambda: eager)
    monkeypatch.setattr(celery_module, "get_settings", lambda: eager)
    yield eager


def test_a_send_failing_on_every_retry_becomes_a_dead_letter(
    session: Session, task_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    send = _planned(session)
    calls: list[str] = []

    def database_down(*_: Any) -> sending.Outcome:
        calls.append("try")
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(sending, "deliver", database_down)

    tasks.send_step.apply(args=(send.id,))

    assert len(calls) == 3  # the first try and two retries
    session.refresh(send)
    assert send.status == SendStatus.DEAD
    [letter] = session.scalars(select(CampaignDeadLetter))
    assert (letter.send_id, letter.error, letter.attempts) == (send.id, "OperationalError", 3)


def test_a_queued_reminder_is_put_on_the_debtors_rasa_tracker(
    session: Session, task_settings: Settings, fake_rasa: FakeRasa
) -> None:
    send, reminder = _queued_reminder(session, task_settings)

    tasks.inject_reminder.apply(args=(dataclasses.asdict(reminder),))

    conversation = conversations.conversation_id(SECRET_KEY, "sms", "+12125550147")
    bot, slot, listen = fake_rasa.events(conversation)
    assert bot["event"] == "bot" and bot["text"] == reminder.text
    assert bot["metadata"] == {
        "sender": "campaign",
        "campaign_id": send.campaign_id,
        "step_id": send.step_id,
        "response": REMINDER,
    }
    assert slot == {"event": "slot", "name": "last_reminder", "value": REMINDER}
    assert listen == {"event": "action", "name": "action_listen"}  # then the bot waits for the reply
    [call] = fake_rasa.calls
    assert "output_channel" not in call.params  # recorded only: the outbox sends the SMS


def test_the_reminder_is_put_on_the_tracker_once_rasa_is_back(
    session: Session, task_settings: Settings, fake_rasa: FakeRasa
) -> None:
    _, reminder = _queued_reminder(session, task_settings)
    fake_rasa.fail_next(503, times=2)

    tasks.inject_reminder.apply(args=(dataclasses.asdict(reminder),))

    assert [call.status for call in fake_rasa.calls] == [503, 503, 200]
    assert len(fake_rasa.events(reminder.conversation_id)) == len(reminders.events(reminder))


def test_sends_count_once_per_account_in_the_outbox(session: Session, settings: Settings) -> None:
    send = _planned(session)
    for _ in range(3):
        sending.deliver(session, settings, send.id, NOON_NEW_YORK, GATE)

    count = session.scalar(select(func.count()).select_from(OutboundMessage))
    assert count == 1


def test_a_send_waits_an_hour_when_only_the_debtors_stated_hours_object(
    session: Session, settings: Settings
) -> None:
    send = _planned(session)
    _objects_to_noon(session, send)
    session.commit()

    outcome = sending.deliver(session, settings, send.id, NOON_NEW_YORK, GATE)

    assert (outcome.status, outcome.retry_at) == ("deferred", NOON_NEW_YORK + timedelta(hours=1))
    assert _messages(session) == []
    later = sending.deliver(session, settings, send.id, NOON_NEW_YORK + timedelta(hours=1), GATE)
    assert later.status == SendStatus.QUEUED


def test_a_send_the_gate_refuses_for_good_is_not_deferred(session: Session, settings: Settings) -> None:
    send = _planned(session)
    account = _objects_to_noon(session, send)
    session.add(AccountFlag(account_id=account.id, flag="attorney"))
    session.commit()

    outcome = sending.deliver(session, settings, send.id, NOON_NEW_YORK, GATE)

    assert outcome.status == SendStatus.BLOCKED
    [message] = _messages(session)
    assert set(message.block_reasons) == {"inconvenient_for_debtor", "collection_stopped:attorney"}


def test_a_bucket_sends_each_of_its_sends_and_hands_a_failing_one_to_the_retrying_task(
    session: Session, task_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = datetime.now(UTC)  # the task reads the real clock: a debtor for whom it is business hours
    add_account(session, phone=NON_US_NUMBER.format(1), time_zone=zone_in_hours(now, ROUND_THE_WORLD))
    add_campaign(session, starts_at=now - timedelta(minutes=1), ends_at=now + timedelta(days=1))
    planner.plan(session, now, planner.PlanConfig(), lambda *_: None)
    send = session.scalars(select(CampaignSend)).one()
    real_deliver = sending.deliver
    retried: list[tuple[Any, ...]] = []

    def flaky(db: Session, settings: Settings, send_id: str, *rest: Any) -> sending.Outcome:
        if send_id == "broken":
            raise OperationalError("SELECT 1", {}, Exception("connection reset"))
        return real_deliver(db, settings, send_id, *rest)

    monkeypatch.setattr(sending, "deliver", flaky)
    monkeypatch.setattr(tasks.send_step, "apply_async", lambda args, **_: retried.append(args))
    monkeypatch.setattr(tasks.inject_reminder, "delay", lambda *_: None)

    result = tasks.send_bucket.apply(args=([send.id, "broken", send.id],)).get()

    assert result == {"queued": 1, "retry": 1, "skipped": 1}
    assert retried == [("broken",)]
    assert len(_messages(session)) == 1
