"""Retention: conversations older than RETENTION_CONVERSATION_DAYS are deleted (GDPR Art. 5(1)(e)).

What goes: Rasa's tracker sessions that ended before the cutoff (Redis and SQL, tracker_stores), the
bodies of messages received or sent before it, and the transcripts of handoffs finished before it. What
stays: the message rows themselves (times, statuses, gate reasons: evidence of compliance under Reg F
1006.100) and the account event record, which holds no conversation content.

Run by the worker every RETENTION_INTERVAL_SECONDS (api.worker), or once: `python -m api.privacy.retention`.
"""

import argparse
import logging
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import redis
from sqlalchemy import delete, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from api.conversations.models import InboundMessage, OutboundMessage
from api.core.config import Settings, get_settings
from api.core.db import get_session_factory
from api.handoffs.models import Handoff, HandoffEntry
from api.messaging.outbox import FINAL
from api.privacy import tracker_stores
from api.privacy.tracker_stores import TrackerStore
from shared.vocabulary import HandoffStatus, OutboundStatus

logger = logging.getLogger(__name__)

SENT_OR_FINAL = (*FINAL, OutboundStatus.SENT)
"""Outbound messages whose body is no longer needed to send them."""
FINISHED_HANDOFFS = (HandoffStatus.RELEASED, HandoffStatus.CLOSED)


@dataclass(frozen=True)
class Report:
    """What one pass deleted."""

    cutoff: datetime
    tracker_events: dict[str, int] = field(default_factory=dict)
    inbound_bodies: int = 0
    outbound_bodies: int = 0
    handoff_entries: int = 0


def _count(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


def purge(session: Session, stores: list[TrackerStore], now: datetime, days: int) -> Report:
    """Delete what is older than `days` days (commits)."""
    cutoff = now - timedelta(days=days)
    tracker = {store.name: store.prune(cutoff.timestamp()) for store in stores}
    inbound = session.execute(
        update(InboundMessage)
        .where(InboundMessage.received_at < cutoff, InboundMessage.body != "")
        .values(body="", media=[])
    )
    outbound = session.execute(
        update(OutboundMessage)
        .where(
            OutboundMessage.created_at < cutoff,
            OutboundMessage.status.in_(SENT_OR_FINAL),
            OutboundMessage.body != "",
        )
        .values(body="")
    )
    finished = select(Handoff.id).where(Handoff.status.in_(FINISHED_HANDOFFS), Handoff.updated_at < cutoff)
    entries = session.execute(delete(HandoffEntry).where(HandoffEntry.handoff_id.in_(finished)))
    session.execute(update(Handoff).where(Handoff.id.in_(finished)).values(summary="", distress=[]))
    session.commit()
    report = Report(cutoff, tracker, _count(inbound), _count(outbound), _count(entries))
    logger.info("retention pass", extra={"report": report})
    return report


def run_once(settings: Settings, now: datetime, days: int | None = None) -> Report | None:
    """One pass with the configured age (or `days`); None when retention is not configured."""
    days = days or settings.RETENTION_CONVERSATION_DAYS
    if days is None:
        return None
    stores = tracker_stores.from_settings(settings)
    with get_session_factory(settings.DATABASE_URL)() as session:
        return purge(session, stores, now, days)


Pass = Callable[[Settings, datetime], object]


def run_periodically(settings: Settings, stop: threading.Event, one_pass: Pass = run_once) -> None:
    """Pass after pass, RETENTION_INTERVAL_SECONDS apart, until stopped; a failed pass is retried later."""
    while not stop.is_set():
        try:
            one_pass(settings, datetime.now(UTC))
        except (SQLAlchemyError, redis.RedisError) as error:
            logger.error("retention pass failed", extra={"error": type(error).__name__})
        stop.wait(settings.RETENTION_INTERVAL_SECONDS)


def start_in_background(
    settings: Settings, stop: threading.Event, one_pass: Pass = run_once
) -> threading.Thread | None:
    """Run retention in a background thread when RETENTION_CONVERSATION_DAYS is set."""
    if settings.RETENTION_CONVERSATION_DAYS is None:
        logger.info("retention not configured: conversations are kept")
        return None
    thread = threading.Thread(
        target=run_periodically, args=(settings, stop, one_pass), name="retention", daemon=True
    )
    thread.start()
    return thread


def main(argv: list[str] | None = None) -> int:
    """Entry point of `python -m api.privacy.retention`: one pass, then exit."""
    parser = argparse.ArgumentParser(prog="python -m api.privacy.retention", description=__doc__)
    parser.add_argument("--days", type=int, help="override RETENTION_CONVERSATION_DAYS for this run")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    if args.days is not None and args.days < 1:
        parser.error("--days must be at least 1")
    report = run_once(get_settings(), datetime.now(UTC), args.days)
    if report is None:
        logger.error("set RETENTION_CONVERSATION_DAYS (or pass --days) to run retention")
        return 2
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
