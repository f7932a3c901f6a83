"""The account event record as a tamper-evident hash chain: one chain per account.

Every event stores its place in its account's chain (`seq`, from 1), the hash of the event before it
(`prev_hash`, GENESIS for the first) and its own `hash`: SHA-256 over a canonical JSON serialisation of
its id, account, seq, type, data, creation time and prev_hash. The account row keeps the chain's head
(`audit_length`, `audit_head`), so deleting the newest events is detected too, not only edits and gaps.

Per-account rather than global: appends to different accounts never wait on one lock, one account's
export verifies on its own, and erasing an account removes a whole chain without breaking any other.
The hash is unkeyed: it detects edits made without recomputing the chain; publish or archive exported
heads elsewhere to detect a full rewrite too.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from api.accounts.models import AUDIT_GENESIS, Account, AccountEvent
from api.core.models import new_id, utcnow

GENESIS = AUDIT_GENESIS
"""The `prev_hash` of an account's first event."""


class Problem:
    """Why a chain does not verify; stable strings in the export."""

    SEQUENCE_GAP = "sequence_gap"
    """An event is missing (or was inserted) before this one."""
    BROKEN_LINK = "broken_link"
    """`prev_hash` is not the hash of the event before it."""
    HASH_MISMATCH = "hash_mismatch"
    """The event's contents no longer match its own hash: it was edited."""
    HEAD_MISMATCH = "head_mismatch"
    """The account's head does not match the last event: events were deleted from the end."""


def canonical(body: dict[str, Any]) -> bytes:
    """The bytes an event's hash covers: sorted keys, no spaces (times already UTC ISO-8601)."""
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def chain_hash(
    *,
    event_id: str,
    account_id: str,
    seq: int,
    type: str,
    data: dict[str, Any],
    created_at: datetime,
    prev_hash: str,
) -> str:
    """SHA-256 (hex) of the event's canonical serialisation."""
    body = {
        "id": event_id,
        "account_id": account_id,
        "seq": seq,
        "type": type,
        "data": data,
        "created_at": created_at.isoformat(),
        "prev_hash": prev_hash,
    }
    return hashlib.sha256(canonical(body)).hexdigest()


def event_hash(event: AccountEvent) -> str:
    """The hash an event row should carry, recomputed from its stored contents."""
    return chain_hash(
        event_id=event.id,
        account_id=event.account_id,
        seq=event.seq,
        type=event.type,
        data=event.data,
        created_at=event.created_at,
        prev_hash=event.prev_hash,
    )


def _claim_next(session: Session, account_id: str) -> tuple[int, str]:
    """Move the account's chain on by one and return the new event's seq and the head it follows.

    The UPDATE comes before any read, so this transaction holds the write lock before it sees the head:
    the account's row lock on PostgreSQL, the database's write lock on SQLite (which ignores FOR UPDATE,
    and whose driver begins a transaction only at the first write). A concurrent append waits for this
    transaction to end, then reads the head it left, so no two appends take the same seq.
    """
    claimed = session.execute(
        update(Account)
        .where(Account.id == account_id)
        .values(audit_length=Account.audit_length + 1)
        .returning(Account.audit_length, Account.audit_head)
        .execution_options(synchronize_session=False)
    ).one()
    return int(claimed.audit_length), str(claimed.audit_head)


def append(session: Session, account_id: str, type: str, data: dict[str, Any]) -> AccountEvent:
    """Append an event to the account's chain (the caller commits); concurrent appends line up."""
    seq, prev_hash = _claim_next(session, account_id)
    event = AccountEvent(
        id=new_id(),
        account_id=account_id,
        type=type,
        data=data,
        created_at=utcnow(),
        seq=seq,
        prev_hash=prev_hash,
    )
    event.hash = event_hash(event)
    session.add(event)
    session.execute(
        update(Account)
        .where(Account.id == account_id)
        .values(audit_head=event.hash)
        .execution_options(synchronize_session=False)
    )
    session.flush()
    return event


@dataclass(frozen=True)
class Finding:
    """One problem found in a chain, at the event with this seq (or the head, for HEAD_MISMATCH)."""

    seq: int
    problem: str


@dataclass(frozen=True)
class Verification:
    """Whether an account's chain verifies, and where it does not."""

    length: int
    head: str
    findings: tuple[Finding, ...]

    @property
    def verified(self) -> bool:
        """True when no problem was found."""
        return not self.findings


def chain(session: Session, account_id: str) -> list[AccountEvent]:
    """An account's events in chain order."""
    query = select(AccountEvent).where(AccountEvent.account_id == account_id).order_by(AccountEvent.seq)
    return list(session.scalars(query))


def _check(events: list[AccountEvent]) -> list[Finding]:
    """Gaps, broken links and edited events, in chain order."""
    findings: list[Finding] = []
    previous_hash, expected_seq = GENESIS, 1
    for event in events:
        if event.seq != expected_seq:
            findings.append(Finding(event.seq, Problem.SEQUENCE_GAP))
        if event.prev_hash != previous_hash:
            findings.append(Finding(event.seq, Problem.BROKEN_LINK))
        if event_hash(event) != event.hash:
            findings.append(Finding(event.seq, Problem.HASH_MISMATCH))
        previous_hash, expected_seq = event.hash, event.seq + 1
    return findings


def verify(session: Session, account: Account) -> Verification:
    """Walk the account's chain from its first event and compare its end with the account's head."""
    events = chain(session, account.id)
    findings = _check(events)
    last_seq, last_hash = (events[-1].seq, events[-1].hash) if events else (0, GENESIS)
    if (last_seq, last_hash) != (account.audit_length, account.audit_head):
        findings.append(Finding(account.audit_length, Problem.HEAD_MISMATCH))
    return Verification(length=len(events), head=account.audit_head, findings=tuple(findings))
