"""One vocabulary for both environments: channels, message kinds and purposes, outbox and handoff states.

Python 3.10 (the bot's) has no `enum.StrEnum`, so `StrEnum` here is the same thing built on `(str, Enum)`:
members are strings, compare equal to their values, and print as them.
"""

from __future__ import annotations

from enum import Enum
from typing import Final


class StrEnum(str, Enum):
    """`enum.StrEnum` for Python 3.10: `str(member)` and f-strings give the value."""

    def __str__(self) -> str:
        return str(self.value)

    def __format__(self, format_spec: str) -> str:
        return format(str(self.value), format_spec)


class Channel(StrEnum):
    """Where a conversation happens."""

    SMS = "sms"
    WEBCHAT = "webchat"


class Kind(StrEnum):
    """Who or what an outbound message comes from."""

    REPLY = "reply"
    AGENT = "agent"
    REMINDER = "reminder"
    SYSTEM = "system"


class Purpose(StrEnum):
    """What a message is for; None is an ordinary (collection) message.

    The API composes the first three itself (clients cannot set them, so none can be forged). Clients
    may declare the last three, the only other messages an account whose collection stopped may get.
    """

    OPT_OUT_CONFIRMATION = "opt_out_confirmation"
    OPT_IN_CONFIRMATION = "opt_in_confirmation"
    HELP = "help"
    FLAG_CONFIRMATION = "flag_confirmation"
    """Confirms the flag itself: "we have noted your attorney / your request to stop"."""
    VALIDATION_NOTICE = "validation_notice"
    """The Reg F validation information (1006.34), the one thing a pending dispute waits for."""
    NO_COLLECTION_CONTENT = "no_collection_content"
    """A reply that asks for nothing and mentions no amount: an acknowledgement, a question answered."""


CLIENT_PURPOSES: Final = (Purpose.FLAG_CONFIRMATION, Purpose.VALIDATION_NOTICE, Purpose.NO_COLLECTION_CONTENT)
"""The purposes a client (the bot) may declare on a message it sends."""


class OutboundStatus(StrEnum):
    """An outbound message's life in the outbox."""

    QUEUED = "queued"
    BLOCKED = "blocked"
    SENT = "sent"
    DELIVERED = "delivered"
    UNDELIVERED = "undelivered"
    FAILED = "failed"


class HandoffReason(StrEnum):
    """Why the bot handed the conversation over."""

    CRISIS = "crisis"
    HIGH_DISTRESS = "high_distress"
    ATTORNEY = "attorney"
    BANKRUPTCY = "bankruptcy"
    DECEASED = "deceased"
    DISPUTE = "dispute"
    VERIFICATION_LOCKOUT = "verification_lockout"
    OUTSIDE_POLICY = "outside_policy"
    REQUEST_HUMAN = "request_human"
    REPEATED_FALLBACK = "repeated_fallback"
    SERVICE_UNAVAILABLE = "service_unavailable"


class HandoffStatus(StrEnum):
    """A handoff's life: queued -> claimed -> released (back to the bot) | closed."""

    QUEUED = "queued"
    CLAIMED = "claimed"
    RELEASED = "released"
    CLOSED = "closed"
