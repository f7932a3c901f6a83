"""The compliance gate every outbound message passes, when it is queued and again just before it is sent.

A gate is a list of rules. Each rule looks at one candidate message and returns the reason it must not go
out, or None. The message is sent only when no rule objects; every objection is kept on the message.
Issue 7 adds its rules (contact hours, frequency caps, cease-communication, ...) to `RULES`.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.models import Contact


class Reason:
    """Why the gate blocked a message; stable strings stored on the message and shown to agents."""

    OPTED_OUT = "opted_out"


class Purpose:
    """Messages the API itself composes; clients cannot set a purpose, so none can be forged."""

    OPT_OUT_CONFIRMATION = "opt_out_confirmation"
    OPT_IN_CONFIRMATION = "opt_in_confirmation"
    HELP = "help"


@dataclass(frozen=True)
class Candidate:
    """An outbound message as the rules see it."""

    message_id: str
    channel: str
    to: str
    kind: str
    purpose: str | None
    conversation_id: str
    account_id: str | None


@dataclass(frozen=True)
class Decision:
    """The gate's answer: allowed when no rule gave a reason."""

    reasons: tuple[str, ...]

    @property
    def allowed(self) -> bool:
        """True when nothing objects."""
        return not self.reasons


Rule = Callable[[Session, Candidate, datetime], str | None]


def opted_out(session: Session, candidate: Candidate, now: datetime) -> str | None:
    """TCPA/CTIA and Reg F 1006.6(e): nothing to an address that opted out of this channel.

    The single exception is the confirmation of that opt-out, identified by id on the contact.
    """
    query = select(Contact).where(Contact.channel == candidate.channel, Contact.address == candidate.to)
    contact = session.scalars(query).one_or_none()
    if contact is None or not contact.opted_out:
        return None
    if (
        candidate.purpose == Purpose.OPT_OUT_CONFIRMATION
        and contact.opt_out_confirmation_id == candidate.message_id
    ):
        return None
    return Reason.OPTED_OUT


RULES: tuple[Rule, ...] = (opted_out,)


def evaluate(
    session: Session, candidate: Candidate, now: datetime, rules: Sequence[Rule] = RULES
) -> Decision:
    """Run every rule (not just until the first objection, so agents see all reasons)."""
    reasons = (rule(session, candidate, now) for rule in rules)
    return Decision(tuple(reason for reason in reasons if reason is not None))
