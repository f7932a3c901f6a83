"""The reminder texts a campaign step names, by response name (as in domain.yml), until they come from
the editable responses (#13).

A reminder may reach someone other than the debtor, so it says nothing about the debt: no amount, no
creditor, no account (Reg F 1006.6(d), 1006.18(e)); the outbox adds the client's disclosures and the
opt-out notice. The debtor learns more only after verifying their identity with the bot.
"""

from typing import Final

from api.core.config import Settings

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
"""Response name -> text; `{company}` is SMS_COMPANY_NAME."""


def known(name: str) -> bool:
    """Whether a step may name this response."""
    return name in REMINDERS


def render(name: str, settings: Settings) -> str:
    """The text of a reminder (KeyError for a name `known` rejects)."""
    return REMINDERS[name].format(company=settings.SMS_COMPANY_NAME)
