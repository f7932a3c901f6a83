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
    EMAIL = "email"
    """Outbound only (replies by email are out of scope): the debtor's address on file, sent over SMTP."""


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


class ClientPurpose(StrEnum):
    """The purposes a client (the bot) may declare on a message it sends: a subset of `Purpose`."""

    FLAG_CONFIRMATION = Purpose.FLAG_CONFIRMATION.value
    VALIDATION_NOTICE = Purpose.VALIDATION_NOTICE.value
    NO_COLLECTION_CONTENT = Purpose.NO_COLLECTION_CONTENT.value


CLIENT_PURPOSES: Final = tuple(Purpose(purpose.value) for purpose in ClientPurpose)
"""The same purposes as `Purpose` members."""


class OutboundStatus(StrEnum):
    """An outbound message's life in the outbox."""

    QUEUED = "queued"
    BLOCKED = "blocked"
    SENT = "sent"
    DELIVERED = "delivered"
    UNDELIVERED = "undelivered"
    FAILED = "failed"


class BlockReason(StrEnum):
    """Why the gate blocked a message; stable strings stored on the message and shown to agents."""

    OPTED_OUT = "opted_out"
    REMINDERS_OPTED_OUT = "reminders_opted_out"
    """A reminder (campaign message) to a debtor who opted out on another channel (api.compliance.gate)."""
    WRONG_NUMBER = "wrong_number"
    """Whoever answers this number told us it is not the debtor's: nothing more goes there."""
    OUTSIDE_CONTACT_HOURS = "outside_contact_hours"
    TIME_ZONE_UNKNOWN = "time_zone_unknown"
    EMAIL_UNDELIVERABLE = "email_undeliverable"
    """A hard bounce said the email address does not exist (api.messaging.bounces): no more email to it."""
    INCONVENIENT_FOR_DEBTOR = "inconvenient_for_debtor"
    CHANNEL_REFUSED = "channel_refused"
    """The debtor asked us not to use this medium (Reg F 1006.14(h)); not an opt-out: other media go on."""
    FREQUENCY_CAP = "frequency_cap_reached"
    COLLECTION_STOPPED = "collection_stopped"
    """Prefix: `collection_stopped:attorney`, `...:bankruptcy`, `...:deceased`, `...:cease_communication`."""
    DISPUTE_PENDING = "dispute_pending_validation"
    FORBIDDEN_LANGUAGE = "forbidden_language"
    """Prefix: `forbidden_language:<category>` (api.compliance.language_lint.Category)."""
    MISSING_OPT_OUT_NOTICE = "missing_opt_out_notice"
    MISSING_DISCLOSURE = "missing_disclosure"
    """Prefix: `missing_disclosure:mini_miranda`, `...:time_barred_disclosure` (client_rules)."""


def describe(reason: str) -> str:
    """A block reason in words for staff: `forbidden_language:threat_of_arrest` -> "forbidden language:
    threat of arrest"."""
    return reason.replace(":", ": ").replace("_", " ")


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


CLAIM_DETAILS_MAX: Final = 500
"""The longest addition to a payment claim the API takes at once (and the actions send)."""

MORE_FOLLOWS: Final = "more_follows"
"""The parse key the channel sets on a part of a message handed over in parts (channels/segments.py) when more
of the same message follows: an action answering that part leaves "what next?" to the rest of it."""
