"""The reminder a campaign step names, by response name and channel: the editable response's live text
(api.responses, its variation for the channel first) when marketing has published one, else ours below.

A reminder may reach someone other than the debtor, so it says nothing about the debt: no amount, no
creditor, no account (Reg F 1006.6(d), 1006.18(e)); the outbox adds the client's disclosures and the
opt-out notice (on email, the template's unsubscribe link). The debtor learns more only after verifying
their identity with the bot. Replies by email are not read, so an email asks for a text or a call.
"""

from dataclasses import dataclass
from typing import Final

from sqlalchemy.orm import Session

from api.core.config import Settings
from api.responses import rendering
from api.responses import service as responses
from shared.vocabulary import Channel

REMINDERS: Final[dict[str, str]] = {
    "utter_reminder_due_soon": (
        "Hello from {company}. A payment date is coming up soon. Reply to this message and we can "
        "go through it with you securely."
    ),
    "utter_reminder_past_due": (
        "Hello from {company}. We would like to help you with a payment. Reply to this message to "
        "talk it through securely."
    ),
    "utter_reminder_instalment_missed": (
        "Hello from {company}. We have not received a scheduled payment. Reply to this message to "
        "see your options."
    ),
    "utter_reminder_promise_followup": (
        "Hello from {company}. We are following up on the payment date you gave us. Reply to this "
        "message if anything has changed."
    ),
}
"""Response name -> SMS text; `{company}` is SMS_COMPANY_NAME."""

EMAIL_REMINDERS: Final[dict[str, str]] = {
    "utter_reminder_due_soon": (
        "A payment date is coming up soon. Call us at {phone} and we can go through it with you securely."
    ),
    "utter_reminder_past_due": (
        "We would like to help you with a payment. Call us at {phone} to talk it through securely."
    ),
    "utter_reminder_instalment_missed": (
        "We have not received a scheduled payment. Call us at {phone} to see your options."
    ),
    "utter_reminder_promise_followup": (
        "We are following up on the payment date you gave us. Call us at {phone} if anything has changed."
    ),
}
"""Response name -> email body; `{phone}` is COLLECTOR_PHONE (this mailbox's replies are not read)."""
EMAIL_SUBJECT: Final = "A message from {company}"


@dataclass(frozen=True)
class Reminder:
    """What a step's message says on one channel (an email's subject too)."""

    text: str
    subject: str | None = None


def known(name: str) -> bool:
    """Whether a step may name this response."""
    return name in REMINDERS


def _values(settings: Settings) -> dict[str, str]:
    return {"company": settings.SMS_COMPANY_NAME, "phone": settings.COLLECTOR_PHONE}


def _edited(session: Session, name: str, channel: str) -> str | None:
    """The live text marketing published for the response on this channel (its first variation), if any."""
    variations = responses.live_variations(session, name)
    if not variations:
        return None
    texts = [str(v["text"]) for v in rendering.candidates(variations, channel, {}) if v.get("text")]
    return texts[0] if texts else None


def _ours(name: str, channel: str) -> str:
    """Our own text of the response (KeyError for a name `known` rejects)."""
    return EMAIL_REMINDERS[name] if channel == Channel.EMAIL else REMINDERS[name]


def render(session: Session, name: str, channel: str, settings: Settings) -> Reminder:
    """The reminder on `channel`: the edited response's text when there is one, else ours, filled."""
    values = _values(settings)
    text = rendering.interpolate_text(_edited(session, name, channel) or _ours(name, channel), values)
    subject = EMAIL_SUBJECT.format(**values) if channel == Channel.EMAIL else None
    return Reminder(text, subject)
