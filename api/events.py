"""Event types of the per-account event record, defined once.

Later features (handoffs, payment plans, disputes, audit, analytics) add their types here and append
with `api.crud.record_event`. Event data holds counts, ids and amounts, never personal data.
"""

from enum import StrEnum


class EventType(StrEnum):
    """What happened to an account."""

    ACCOUNT_CREATED = "account.created"
    VERIFICATION_SUCCEEDED = "verification.succeeded"
    VERIFICATION_FAILED = "verification.failed"
    VERIFICATION_LOCKED = "verification.locked"
    """The failure that reached the attempt limit; the debtor is now locked out."""
    VERIFICATION_BLOCKED = "verification.blocked"
    """An attempt refused, unchecked and uncounted, because the debtor is locked out."""
    BALANCE_DISCLOSED = "balance.disclosed"
    CONTACT_OPTED_OUT = "contact.opted_out"
    """The debtor's address opted out of a channel (STOP, in words, or by an agent)."""
    CONTACT_OPTED_IN = "contact.opted_in"
    OFFER_EVALUATED = "offer.evaluated"
    PLAN_CREATED = "plan.created"
    PLAN_SUPERSEDED = "plan.superseded"
    """An active plan replaced by a newer one the debtor accepted."""
    PROMISE_RECORDED = "promise.recorded"
    PAYMENT_CLAIM_RECORDED = "payment_claim.recorded"
    DISPUTE_OPENED = "dispute.opened"
    DISPUTE_RESOLVED = "dispute.resolved"
    VALIDATION_SENT = "validation.sent"
    """The Reg F validation information (Model Form B-1 fields) was given to the verified debtor."""
    FLAG_SET = "flag.set"
    PAYMENT_LINK_CREATED = "payment_link.created"
    PAYMENT_SUBMITTED = "payment.submitted"
    """A payment made on the portal: amount and the card's last 4 digits only."""
    HANDOFF_CREATED = "handoff.created"
    """The conversation was handed to a person: reason and priority, never the debtor's words."""
    HANDOFF_PRIORITY_RAISED = "handoff.priority_raised"
    HANDOFF_CLAIMED = "handoff.claimed"
    HANDOFF_REASSIGNED = "handoff.reassigned"
    HANDOFF_REPLIED = "handoff.replied"
    HANDOFF_NOTE_ADDED = "handoff.note_added"
    HANDOFF_DISPOSITION_SET = "handoff.disposition_set"
    HANDOFF_RELEASED = "handoff.released"
    """Handed back to the bot, which resumes the conversation."""
    HANDOFF_CLOSED = "handoff.closed"
    HANDOFF_ESCALATED = "handoff.escalated"
    """Nobody claimed it in time; the debtor was told when to expect contact."""
