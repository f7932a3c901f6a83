"""Handoffs nobody claimed in time: tell the debtor when to expect contact, and mark them escalated.

In production the worker (`python -m api.worker`, in the Procfile) runs a pass every
HANDOFF_TIMEOUT_POLL_SECONDS; `python -m api.handoffs.timeouts [--once]` runs them on its own. Each handoff
is escalated once, whichever process gets it. The notice passes the compliance gate into the outbox on
either channel: SMS debtors get it from the worker, webchat debtors down their socket through Rasa.
The promised time is within agents' hours (Mon-Fri, HANDOFF_BUSINESS_HOURS_START to _END) in the
debtor's time zone: the verified account's, else the phone's, else HANDOFF_DEFAULT_TIMEZONE.
"""

import argparse
import logging
import sys
import threading
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from api.accounts import service as accounts
from api.accounts.events import EventType
from api.compliance import gate as compliance
from api.conversations import service as conversations
from api.conversations.models import Contact, OutboundMessage
from api.core.config import Settings, get_settings
from api.core.db import get_session_factory
from api.handoffs.actions import audit, deliver_webchat
from api.handoffs.models import Handoff, HandoffEntry
from api.handoffs.rasa_client import RasaClient
from api.handoffs.service import AGENT, BLOCKED, record
from api.messaging import outbox
from shared.vocabulary import Channel, HandoffStatus, OutboundStatus

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Window:
    """When the debtor can expect contact: `now_open` means agents are working right now."""

    start: datetime
    end: datetime
    now_open: bool


def _bounds(day: date, settings: Settings, zone: ZoneInfo) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(settings.HANDOFF_BUSINESS_HOURS_START), zone)
    end_day = day + timedelta(days=settings.HANDOFF_BUSINESS_HOURS_END // 24)
    end = datetime.combine(end_day, time(settings.HANDOFF_BUSINESS_HOURS_END % 24), zone)
    return start, end


def next_window(now: datetime, zone: ZoneInfo, settings: Settings) -> Window:
    """The business-hours window that is open now, or the next one to open (weekends skipped)."""
    local = now.astimezone(zone)
    for offset in range(8):
        day = local.date() + timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        start, end = _bounds(day, settings, zone)
        if local < end:
            return Window(start=start, end=end, now_open=local >= start)
    raise AssertionError("a week always has a weekday")  # pragma: no cover


def notice_text(window: Window, settings: Settings) -> str:
    """What the debtor is told: contact today before closing time, or from the next opening."""
    company = settings.SMS_COMPANY_NAME
    if window.now_open:
        closing = f"{window.end:%-I:%M %p} {window.end.tzname()}"
        return (
            f"{company}: thank you for waiting. A member of our team will contact you today before {closing}."
        )
    opening = f"{window.start:%A} after {window.start:%-I:%M %p} {window.start.tzname()}"
    return f"{company}: our team is away right now. A member of our team will contact you on {opening}."


def debtor_zone(session: Session, handoff: Handoff, settings: Settings) -> ZoneInfo:
    """The debtor's time zone: the verified account's, else the SMS number's account, else the default."""
    account = accounts.get_account(session, handoff.account_id) if handoff.account_id else None
    if account is None and handoff.channel == Channel.SMS:
        contact = conversations.find_by_conversation(session, handoff.conversation_id)
        account = accounts.get_latest_account_by_phone(session, contact.address) if contact else None
    return ZoneInfo(account.debtor.timezone if account else settings.HANDOFF_DEFAULT_TIMEZONE)


def overdue(session: Session, settings: Settings, now: datetime) -> list[Handoff]:
    """Queued handoffs older than HANDOFF_CLAIM_TIMEOUT_MINUTES that were never escalated."""
    cutoff = now - timedelta(minutes=settings.HANDOFF_CLAIM_TIMEOUT_MINUTES)
    query = (
        select(Handoff)
        .where(
            Handoff.status == HandoffStatus.QUEUED,
            Handoff.escalated_at.is_(None),
            Handoff.created_at <= cutoff,
        )
        .order_by(Handoff.priority, Handoff.created_at)
        .limit(100)
    )
    return list(session.scalars(query))


def _take(session: Session, handoff: Handoff, now: datetime) -> bool:
    """Mark it escalated unless another process just did (one notice per handoff)."""
    result = session.execute(
        update(Handoff)
        .where(
            Handoff.id == handoff.id, Handoff.escalated_at.is_(None), Handoff.status == HandoffStatus.QUEUED
        )
        .values(escalated_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


def _contact(session: Session, handoff: Handoff) -> Contact | None:
    """The debtor's contact on the handoff's channel (a webchat one is created on first use)."""
    if handoff.channel == Channel.WEBCHAT:
        return conversations.webchat_contact(session, handoff.conversation_id)
    return conversations.find_by_conversation(session, handoff.conversation_id)


def _notify(
    session: Session, handoff: Handoff, contact: Contact | None, text: str, settings: Settings, now: datetime
) -> tuple[str, HandoffEntry, OutboundMessage | None]:
    """The notice as a transcript line and, through the gate, an outbox message. Returns how it went:
    `queued` (SMS, for the worker), `webchat` (Rasa delivers it after the commit), `blocked`, `no_contact`."""
    entry = HandoffEntry(handoff_id=handoff.id, kind=AGENT, text=text, at=now)
    session.add(entry)
    if contact is None:
        return "no_contact", entry, None
    new = outbox.NewMessage(contact=contact, body=text, kind="system", account_id=handoff.account_id)
    message = outbox.enqueue(session, new, now, compliance.GateConfig.from_settings(settings))
    entry.outbound_message_id = message.id
    if message.status == OutboundStatus.BLOCKED:
        entry.delivery = BLOCKED
    return ("webchat" if _delivered_by_rasa(message) else message.status), entry, message


def _delivered_by_rasa(message: OutboundMessage) -> bool:
    """An allowed message the worker does not send (webchat): Rasa delivers it now."""
    return message.status == OutboundStatus.QUEUED and message.channel not in outbox.WORKER_CHANNELS


def escalate_overdue(
    session: Session, settings: Settings, now: datetime, rasa: RasaClient | None = None
) -> list[str]:
    """One pass: escalate every overdue handoff and tell its debtor; returns the ids escalated."""
    rasa = rasa or RasaClient.from_settings(settings)
    escalated = []
    for handoff in overdue(session, settings, now):
        contact = _contact(session, handoff)  # before the take: a new webchat contact is committed
        if not _take(session, handoff, now):
            session.rollback()
            continue
        text = notice_text(next_window(now, debtor_zone(session, handoff, settings), settings), settings)
        delivery, entry, message = _notify(session, handoff, contact, text, settings, now)
        audit(session, None, EventType.HANDOFF_ESCALATED.value, handoff, {"delivery": delivery})
        record(session, handoff, EventType.HANDOFF_ESCALATED, {"delivery": delivery})
        session.commit()
        if message is not None and delivery == "webchat":
            # After the commit: the escalation is kept (and never repeated) even if Rasa is down.
            entry.delivery = deliver_webchat(session, rasa, message, now)
            session.commit()
        escalated.append(handoff.id)
        logger.info("handoff escalated", extra={"handoff_id": handoff.id, "delivery": delivery})
    return escalated


def run_pass(settings: Settings, rasa: RasaClient | None = None) -> list[str]:
    """One pass on a fresh session; a database error is logged, and the next pass tries again."""
    try:
        with get_session_factory(settings.DATABASE_URL)() as session:
            return escalate_overdue(session, settings, datetime.now(UTC), rasa)
    except SQLAlchemyError as error:
        logger.error("handoff timeout pass failed", extra={"error": type(error).__name__})
        return []


def run(settings: Settings, once: bool, stop: threading.Event) -> None:
    """Pass after pass, HANDOFF_TIMEOUT_POLL_SECONDS apart, until stopped (or after one with `once`)."""
    rasa = RasaClient.from_settings(settings)
    while not stop.is_set():
        run_pass(settings, rasa)
        if once:
            return
        stop.wait(settings.HANDOFF_TIMEOUT_POLL_SECONDS)


def main(argv: list[str] | None = None) -> int:
    """Entry point of `python -m api.handoffs.timeouts`."""
    parser = argparse.ArgumentParser(prog="python -m api.handoffs.timeouts", description=__doc__)
    parser.add_argument("--once", action="store_true", help="one pass, then exit")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    run(get_settings(), args.once, threading.Event())
    return 0


if __name__ == "__main__":
    sys.exit(main())
