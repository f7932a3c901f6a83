"""The ingest: Rasa's SQL event broker rows (table `events`: id, sender_id, data JSON) into the review tables.

Run by the worker every INSIGHTS_INGEST_SECONDS. Resumable by a high-water mark (IngestCursor, committed
with the rows it covers) and idempotent by event id (a turn's event id is unique and checked). A debtor's
text is stored redacted (shared.redaction) with identity facts withheld (shared.identity.REVIEW).
"""

import json
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from sqlalchemy import Engine, column, false, select, table, update
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from api.accounts.models import Account
from api.collections import payment_links
from api.collections.models import PaymentLink, PaymentPlan, Promise
from api.conversations.models import Contact
from api.core.config import Settings
from api.core.db import get_engine
from api.core.models import new_id
from api.handoffs.models import Handoff
from api.insights import outcomes, retention
from api.insights.models import ConversationLink, IngestCursor, ReviewConversation, ReviewTurn
from shared import identity
from shared.redaction import redact

logger = logging.getLogger(__name__)

CURSOR: Final = "rasa_events"
BATCH: Final = 500
EVENTS = table("events", column("id"), column("sender_id"), column("data"))
"""Rasa's SQLEventBroker table (rasa/core/brokers/sql.py), read only."""


@dataclass
class Batch:
    """One pass's state: the conversations touched, the event ids already stored."""

    conversations: dict[str, ReviewConversation] = field(default_factory=dict)
    known_ids: set[int] = field(default_factory=set)
    low_confidence: float = 0.6
    link_secret: str = ""
    """The payment links' signing key: a link in a bot message counts only if genuine."""


@dataclass(frozen=True)
class IngestReport:
    """What a pass did."""

    events: int = 0
    last_event_id: int = 0


def events_url(url: str) -> str:
    """Rasa's database URL as this environment's SQLAlchemy reads it (psycopg 3 for PostgreSQL)."""
    parsed = make_url(url.replace("postgres://", "postgresql://", 1))
    if parsed.get_backend_name() == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def read_events(source: Engine, after: int, limit: int = BATCH) -> list[tuple[int, str, str]]:
    """Broker rows after the high-water mark, oldest first."""
    query = select(EVENTS.c.id, EVENTS.c.sender_id, EVENTS.c.data).where(EVENTS.c.id > after)
    with source.connect() as connection:
        rows = connection.execute(query.order_by(EVENTS.c.id).limit(limit)).tuples().all()
    return [(int(row[0]), str(row[1] or ""), str(row[2] or "{}")) for row in rows]


def _cursor(session: Session) -> IngestCursor:
    cursor = session.get(IngestCursor, CURSOR)
    if cursor is None:
        cursor = IngestCursor(name=CURSOR, last_event_id=0)
        session.add(cursor)
    return cursor


def _when(event: dict[str, Any]) -> datetime:
    timestamp = event.get("timestamp")
    return datetime.fromtimestamp(float(timestamp), UTC) if timestamp else datetime.now(UTC)


def _conversation(session: Session, batch: Batch, sender_id: str, at: datetime) -> ReviewConversation:
    """The sender's conversation row, created at its first event."""
    if sender_id not in batch.conversations:
        found = session.scalars(select(ReviewConversation).where(ReviewConversation.sender_id == sender_id))
        conversation = found.one_or_none() or ReviewConversation(
            id=new_id(),
            sender_id=sender_id,
            channel="unknown",
            started_at=at,
            last_event_at=at,
            debtor_turns=0,
            distress_max=0,
        )
        session.add(conversation)
        batch.conversations[sender_id] = conversation
    return batch.conversations[sender_id]


def _best_guess(parse: dict[str, Any]) -> str | None:
    """The best-ranked intent other than nlu_fallback."""
    ranking = parse.get("intent_ranking") or [parse.get("intent") or {}]
    names = (entry.get("name") for entry in ranking if isinstance(entry, dict))
    return next((str(name) for name in names if name and name != outcomes.NLU_FALLBACK), None)


def debtor_turn(conversation: ReviewConversation, event: dict[str, Any], low_confidence: float) -> ReviewTurn:
    """A debtor's message as the review may keep it: redacted, identity withheld, with its NLU reading."""
    parse, raw = event.get("parse_data") or {}, str(event.get("text") or "")
    withheld = identity.withholds(identity.REVIEW, raw, conversation.requested_slot, parse)
    intent = parse.get("intent") or {}
    name, confidence = intent.get("name"), intent.get("confidence")
    low = confidence is not None and float(confidence) < low_confidence
    return ReviewTurn(
        sender="debtor",
        text=identity.IDENTITY_WITHHELD if withheld else redact(raw),
        withheld=withheld,
        intent=name,
        confidence=float(confidence) if confidence is not None else None,
        best_guess=_best_guess(parse),
        gap=name == outcomes.NLU_FALLBACK or low,
        distress_level=(parse.get("distress") or {}).get("level"),
    )


def known_values(session: Session, account_id: str | None) -> list[str]:
    """What the bot may say that names the debtor: names, phone, email, account reference."""
    account = session.get(Account, account_id) if account_id else None
    if account is None:
        return []
    debtor = account.debtor
    return [account.reference, debtor.first_name, debtor.last_name, debtor.phone, debtor.email or ""]


def bot_turn(event: dict[str, Any], known: list[str]) -> ReviewTurn:
    """A bot utterance, scrubbed, with its response name (and variation id, for experiments)."""
    variation = (event.get("metadata") or {}).get("id")
    return ReviewTurn(
        sender="bot",
        text=identity.scrub(redact(str(event.get("text") or "")), known),
        withheld=False,
        gap=False,
        response=outcomes.response_name(event),
        response_variation=str(variation)[:128] if variation else None,
    )


def _on_debtor_turn(conversation: ReviewConversation, event: dict[str, Any], turn: ReviewTurn) -> None:
    """What a debtor's message changes in the conversation: channel, count, fallback, distress."""
    if conversation.channel in (None, "unknown"):
        conversation.channel = outcomes.channel_of(event.get("input_channel"))
    conversation.debtor_turns = (conversation.debtor_turns or 0) + 1
    conversation.fallback = bool(conversation.fallback) or turn.intent == outcomes.NLU_FALLBACK
    rank = outcomes.distress_rank(turn.distress_level)
    conversation.distress_max = max(conversation.distress_max or 0, rank)


def record_links(
    session: Session, conversation: ReviewConversation, event: dict[str, Any], secret: str
) -> None:
    """The payment links a bot message carries, tied to its conversation (the link id only, no identity)."""
    for link_id in payment_links.link_ids_in(secret, str(event.get("text") or "")):
        if session.get(PaymentLink, link_id) is None or session.get(ConversationLink, link_id) is not None:
            continue
        session.add(ConversationLink(link_id=link_id, conversation_id=conversation.id))
        session.flush()
        conversation.link_sent = True


def _turn(
    session: Session, conversation: ReviewConversation, event: dict[str, Any], batch: Batch
) -> ReviewTurn | None:
    """The review turn of a user or bot event with text, else None."""
    if event.get("event") == "user":
        turn = debtor_turn(conversation, event, batch.low_confidence)
        _on_debtor_turn(conversation, event, turn)
        return turn
    if event.get("event") == "bot" and (event.get("text") or outcomes.response_name(event)):
        if batch.link_secret:
            record_links(session, conversation, event, batch.link_secret)
        return bot_turn(event, known_values(session, conversation.account_id))
    return None


def ingest_event(session: Session, batch: Batch, event_id: int, sender_id: str, data: str) -> None:
    """One broker row into the review tables (skipped if its event id is already stored)."""
    if event_id in batch.known_ids:
        return
    try:
        event = json.loads(data)
    except ValueError:  # never block the ingest on one row; its text is not logged
        logger.warning("insights ingest skipped an unreadable event", extra={"event_id": event_id})
        return
    at = _when(event)
    conversation = _conversation(session, batch, sender_id or str(event.get("sender_id") or ""), at)
    conversation.last_event_at, conversation.abandoned = max(conversation.last_event_at, at), False
    turn = _turn(session, conversation, event, batch)
    if turn is not None:
        turn.event_id, turn.at, turn.conversation = event_id, at, conversation
        session.add(turn)
    outcomes.apply(conversation, event)


def _known_ids(session: Session, rows: list[tuple[int, str, str]]) -> set[int]:
    """The event ids already stored from the id range of `rows` (ordered by id, as read_events reads them).

    A range, not an IN list of the ids: one statement whatever the batch's length, so the driver's
    prepared-statement cache does not keep one statement per batch length (issue 15).
    """
    first, last = rows[0][0], rows[-1][0]
    query = select(ReviewTurn.event_id).where(ReviewTurn.event_id.between(first, last))
    return set(session.scalars(query))


RECONCILE_WINDOW: Final = timedelta(days=1)
"""Conversations active this recently are checked against the API's records on every pass."""


def _flag_senders(conversations: list[ReviewConversation], senders: set[str], name: str) -> None:
    """Set an outcome on the conversations of these senders."""
    for conversation in conversations:
        if conversation.sender_id in senders:
            setattr(conversation, name, True)


def _reconcile_accounts(session: Session, conversations: list[ReviewConversation]) -> None:
    """A plan or promise the API recorded for the verified account while the conversation ran."""
    for conversation in (c for c in conversations if c.account_id and not (c.plan_made and c.promise_made)):
        window = (conversation.started_at, conversation.last_event_at + timedelta(minutes=5))
        for model, name in ((PaymentPlan, "plan_made"), (Promise, "promise_made")):
            query = select(model.id).where(model.account_id == conversation.account_id)
            if session.scalar(query.where(model.created_at.between(*window)).limit(1)) is not None:
                setattr(conversation, name, True)


def reconcile_links(session: Session) -> None:
    """Conversations whose payment link the portal shows opened, or paid with."""
    C, L, P = ReviewConversation, ConversationLink, PaymentLink
    for flag, moment in (("link_opened", P.opened_at), ("paid", P.used_at)):
        linked = select(L.conversation_id).join(P, P.id == L.link_id).where(moment.is_not(None))
        pending = update(C).where(C.id.in_(linked), getattr(C, flag).is_(False)).values({flag: True})
        session.execute(pending.execution_options(synchronize_session=False))


def reconcile(session: Session, now: datetime) -> None:
    """The API's own records where they know better: handoffs, opt-outs (SMS STOP never reaches Rasa),
    plans, promises, payment links opened and paid with.

    The recent senders are a subquery, never a list of bound values: a statement with one parameter per
    conversation is a new, ever larger prepared statement on every pass, which the driver's statement cache
    keeps (the worker's memory grew with every conversation, issue 15).
    """
    C = ReviewConversation
    since = C.last_event_at >= now - RECONCILE_WINDOW
    recent = list(session.scalars(select(C).where(since)))
    senders = select(C.sender_id).where(since)
    handed = set(session.scalars(select(Handoff.conversation_id).where(Handoff.conversation_id.in_(senders))))
    stopped = select(Contact.conversation_id).where(Contact.conversation_id.in_(senders), Contact.opted_out)
    _flag_senders(recent, handed, "handoff")
    _flag_senders(recent, set(session.scalars(stopped)), "opted_out")
    _reconcile_accounts(session, recent)
    reconcile_links(session)


def mark_abandoned(session: Session, cutoff: datetime) -> None:
    """Conversations silent since before `cutoff` that ended in no agreement, handoff or opt-out."""
    C = ReviewConversation
    ended = C.plan_made | C.promise_made | C.link_sent | C.handoff | C.opted_out
    session.execute(
        update(C).where(C.last_event_at < cutoff, C.abandoned == false(), ~ended).values(abandoned=True)
    )


def ingest_batch(
    session: Session, source: Engine, low_confidence: float, now: datetime, link_secret: str = ""
) -> IngestReport:
    """One batch of broker rows after the high-water mark, committed with the mark."""
    cursor = _cursor(session)
    rows = read_events(source, cursor.last_event_id)
    if rows:
        batch = Batch(
            known_ids=_known_ids(session, rows), low_confidence=low_confidence, link_secret=link_secret
        )
        for event_id, sender_id, data in rows:
            ingest_event(session, batch, event_id, sender_id, data)
        cursor.last_event_id, cursor.updated_at = rows[-1][0], now
    session.commit()
    return IngestReport(len(rows), cursor.last_event_id)


def run_pass(settings: Settings, session: Session, now: datetime) -> IngestReport:
    """Ingest until the broker has nothing new, then mark abandoned conversations and apply retention."""
    if not settings.EVENT_BROKER_URL:
        return IngestReport()
    source, total = get_engine(events_url(settings.EVENT_BROKER_URL)), 0
    secret = settings.SECRET_KEY.get_secret_value()
    while True:
        report = ingest_batch(session, source, settings.INSIGHTS_LOW_CONFIDENCE, now, secret)
        total += report.events
        if report.events < BATCH:
            break
    session.flush()
    reconcile(session, now)
    mark_abandoned(session, now - timedelta(minutes=settings.INSIGHTS_ABANDON_MINUTES))
    if settings.RETENTION_CONVERSATION_DAYS:  # the retention every conversation store follows
        retention.forget_old(session, now - timedelta(days=settings.RETENTION_CONVERSATION_DAYS))
    session.commit()
    logger.info("insights ingest", extra={"events": total, "last_event_id": report.last_event_id})
    return IngestReport(total, report.last_event_id)
