"""Campaign steps on email, end to end: the planner makes one send per account, step and channel, the send
task queues the email through the outbox and the gate, and the worker's email sender hands it to a real
SMTP server (the aiosmtpd mail sink) with its VERP Return-Path; exactly once; an email unsubscribe
suppresses the email step and, as the gate's reminder rule says, the SMS one until the debtor opts back in
by SMS."""

from datetime import datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.accounts.models import ContactPreference
from api.campaigns import planner, sending
from api.campaigns.models import CampaignSend
from api.campaigns.schemas import SendStatus
from api.compliance import gate as compliance
from api.conversations import service as conversations
from api.conversations.models import OutboundMessage
from api.core.config import Settings
from api.messaging import bounces, contacts, unsubscribe
from mail_sink.server import MailSink
from tests.api.campaigns.helpers import BOTH_CHANNELS, NOON_NEW_YORK, REMINDER, add_account, add_campaign
from tests.api.messaging.conftest import email_pass

GATE = compliance.DEFAULT_CONFIG
NEW_YORK = "+12125550147"
ADDRESS = "jordan.rivera@example.com"


def _plan(session: Session, at: datetime = NOON_NEW_YORK) -> list[CampaignSend]:
    planner.plan(session, at, planner.PlanConfig(), lambda *_: None)
    return list(session.scalars(select(CampaignSend).order_by(CampaignSend.channel)))


def _deliver_all(session: Session, settings: Settings, at: datetime) -> list[sending.Outcome]:
    query = select(CampaignSend.id).where(CampaignSend.status == SendStatus.PLANNED)
    planned = session.scalars(query.order_by(CampaignSend.channel)).all()
    return [sending.deliver(session, settings, send_id, at, GATE) for send_id in planned]


def _message(session: Session, send: CampaignSend) -> OutboundMessage:
    session.refresh(send)
    message = session.get(OutboundMessage, send.outbound_message_id, populate_existing=True)
    assert message is not None
    return message


def _parsed(raw: bytes) -> EmailMessage:
    return cast(EmailMessage, message_from_bytes(raw, policy=policy.default))


def test_a_step_on_sms_and_email_makes_one_send_per_channel_and_the_email_reaches_the_relay(
    session: Session, email_settings: Settings, mail_sink: MailSink
) -> None:
    add_account(session, phone=NEW_YORK, email="Jordan.Rivera@Example.com")
    add_campaign(session, steps=BOTH_CHANNELS)

    sends = _plan(session)
    outcomes = _deliver_all(session, email_settings, NOON_NEW_YORK)
    report = email_pass(session, email_settings, NOON_NEW_YORK + timedelta(seconds=1))

    assert [send.channel for send in sends] == ["email", "sms"]
    assert report.sent == 1
    email, sms = (_message(session, send) for send in sends)
    assert (email.status, email.kind, email.to_address, email.initiated) == (
        "sent",
        "reminder",
        ADDRESS,
        True,
    )
    assert email.subject == f"A message from {email_settings.SMS_COMPANY_NAME}"
    assert (sms.status, sms.channel) == ("queued", "sms")
    [mail] = mail_sink.store.wait_for(1)
    assert mail.recipients == (ADDRESS,)
    assert bounces.message_id_of(email_settings, mail.mail_from) == email.id
    parsed = _parsed(mail.raw)
    assert parsed["Subject"] == email.subject
    assert "Call us at" in str(parsed.get_body(preferencelist=("plain",)).get_content())  # type: ignore[union-attr]
    assert parsed["List-Unsubscribe"] is not None
    # Only the SMS reminder goes on the Rasa tracker: replies by email are not read.
    assert [outcome.reminder is not None for outcome in outcomes] == [False, True]


def test_an_email_step_skips_debtors_without_an_address(session: Session, email_settings: Settings) -> None:
    add_account(session, phone=NEW_YORK)
    add_campaign(session, steps=BOTH_CHANNELS)

    assert [send.channel for send in _plan(session)] == ["sms"]


def test_an_email_send_queues_and_sends_exactly_once(
    session: Session, email_settings: Settings, mail_sink: MailSink
) -> None:
    add_account(session, phone=NEW_YORK, email=ADDRESS)
    add_campaign(session, steps=[{"day_offset": 0, "messages": {"email": REMINDER}}])
    [send] = _plan(session)
    _plan(session, NOON_NEW_YORK + timedelta(minutes=5))  # a second planner pass adds nothing

    first = sending.deliver(session, email_settings, send.id, NOON_NEW_YORK, GATE)
    again = sending.deliver(session, email_settings, send.id, NOON_NEW_YORK + timedelta(minutes=1), GATE)
    passes = [email_pass(session, email_settings, NOON_NEW_YORK + timedelta(seconds=s)).sent for s in (1, 2)]

    assert (first.status, again.status, passes) == ("queued", "skipped", [1, 0])
    assert len(session.scalars(select(CampaignSend)).all()) == 1
    assert len(session.scalars(select(OutboundMessage)).all()) == 1
    assert len(mail_sink.store.wait_for(1)) == 1


def _unsubscribe_from(session: Session, settings: Settings, raw: bytes, at: datetime) -> None:
    """What the debtor's mail client does with the one-click link of the email it got."""
    link = str(_parsed(raw)["List-Unsubscribe"]).strip("<>")
    token = link.rsplit("/", 1)[1]
    assert unsubscribe.unsubscribe(session, settings, token, at).changed


def _second_step(session: Session) -> Any:
    steps = [*BOTH_CHANNELS, {"day_offset": 1, "messages": {"sms": REMINDER, "email": REMINDER}}]
    return add_campaign(session, steps=steps)


def test_an_email_unsubscribe_suppresses_the_next_email_step_and_the_sms_one_until_start(
    session: Session, email_settings: Settings, mail_sink: MailSink
) -> None:
    add_account(session, phone=NEW_YORK, email=ADDRESS)
    _second_step(session)
    _plan(session)
    _deliver_all(session, email_settings, NOON_NEW_YORK)
    email_pass(session, email_settings, NOON_NEW_YORK + timedelta(seconds=1))
    [mail] = mail_sink.store.wait_for(1)
    _unsubscribe_from(session, email_settings, mail.raw, NOON_NEW_YORK + timedelta(hours=1))

    next_day = NOON_NEW_YORK + timedelta(days=1)
    _plan(session, next_day)
    _deliver_all(session, email_settings, next_day)

    day_one = session.scalars(select(OutboundMessage).where(OutboundMessage.created_at == next_day)).all()
    reasons = {message.channel: message.block_reasons for message in day_one}
    assert reasons == {"email": ["opted_out"], "sms": ["reminders_opted_out"]}

    # The debtor texts START: the SMS step may go again (their latest word on SMS); email stays off.
    contact = conversations.find_by_address(session, "sms", NEW_YORK)
    assert contact is not None
    asked = contacts.Asked(contacts.Source.KEYWORD, next_day + timedelta(hours=1))
    contacts.opt_in(session, contact, email_settings, asked)
    session.commit()
    later = next_day + timedelta(hours=2)
    sms_now = compliance.evaluate(session, _as_reminder(session, "sms", later), later, config=GATE)
    email_now = compliance.evaluate(session, _as_reminder(session, "email", later), later, config=GATE)
    assert (sms_now.allowed, email_now.reasons) == (True, ("opted_out",))


def _as_reminder(session: Session, channel: str, at: datetime) -> compliance.Candidate:
    """The gate's view of one more reminder to the debtor on `channel` (as the next campaign would send)."""
    blocked = session.scalars(select(OutboundMessage).where(OutboundMessage.channel == channel)).first()
    assert blocked is not None
    return compliance.Candidate(
        message_id="next",
        channel=channel,
        to=blocked.to_address,
        kind="reminder",
        purpose=None,
        conversation_id=blocked.conversation_id,
        account_id=blocked.account_id,
        body=blocked.body,
        initiated=True,
        subject=blocked.subject or "",
    )


def test_an_email_is_timed_by_the_debtors_recorded_zone_as_the_gate_reads_it(session: Session) -> None:
    """The gate places an SMS in the number's zone too (a Californian number: Los Angeles as well as the
    recorded New York); an email has no number, so only the recorded zone counts, there as here."""
    early = NOON_NEW_YORK.replace(hour=13, minute=30)  # 08:30 in New York, 05:30 in Los Angeles
    add_account(session, phone="+14155550123", time_zone="America/New_York", email=ADDRESS)
    add_campaign(session, steps=BOTH_CHANNELS, starts_at=early - timedelta(hours=1))

    planner.plan(session, early, planner.PlanConfig(max_spread_seconds=0), lambda *_: None)

    times = {send.channel: send.scheduled_for for send in session.scalars(select(CampaignSend))}
    assert times == {"email": early, "sms": early.replace(hour=16, minute=0)}  # 08:00 in Los Angeles


def test_a_debtor_who_gives_an_address_later_gets_the_steps_email_too(session: Session) -> None:
    account = add_account(session, phone=NEW_YORK)
    add_campaign(session, steps=BOTH_CHANNELS)
    assert [send.channel for send in _plan(session)] == ["sms"]

    account.debtor.email = ADDRESS
    session.commit()

    assert [send.channel for send in _plan(session, NOON_NEW_YORK + timedelta(minutes=5))] == ["email", "sms"]
    again = planner.plan(
        session, NOON_NEW_YORK + timedelta(minutes=10), planner.PlanConfig(), lambda *_: None
    )
    assert (again.evaluated, again.planned) == (0, 0)  # nothing left to look at


def test_a_step_on_both_channels_goes_only_by_email_once_the_debtor_refused_texts(
    session: Session, email_settings: Settings, mail_sink: MailSink
) -> None:
    """Reg F 1006.14(h): the SMS send is blocked as `channel_refused`; the email one goes out."""
    account = add_account(session, phone=NEW_YORK, email=ADDRESS)
    session.add(
        ContactPreference(debtor_id=account.debtor_id, refused_channels=["sms"], preferred_channel="email")
    )
    add_campaign(session, steps=BOTH_CHANNELS)

    sends = _plan(session)
    outcomes = _deliver_all(session, email_settings, NOON_NEW_YORK)
    email_pass(session, email_settings, NOON_NEW_YORK + timedelta(seconds=1))

    email, sms = (_message(session, send) for send in sends)
    assert [outcome.status for outcome in outcomes] == [SendStatus.QUEUED, SendStatus.BLOCKED]
    assert (email.status, sms.status, sms.block_reasons) == ("sent", "blocked", ["channel_refused"])
    assert mail_sink.store.wait_for(1)[0].recipients == (ADDRESS,)
