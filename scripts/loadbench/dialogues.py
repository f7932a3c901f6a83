"""What the simulated debtors (and the starter bot's users) say: whole conversations, one script per kind.

Every bench conversation gets an account of its own (accounts.py), so verification lockouts and the
one-plan-per-account rules never see two conversations on one account.
"""

from __future__ import annotations

from dataclasses import dataclass

ANCHOR_TURNS = (
    "hello",
    "I am feeling sad",
    "yes",
    "are you a bot?",
    "I am great",
    "no",
    "hi there",
    "goodbye",
)
"""The starter bot's greet / mood / bot-challenge / goodbye, as many turns as our REST conversation."""

MILESTONES = {
    "verified": "you're verified",
    "balance": "$1,320.40",
    "plan": "your plan is set up",
}
"""What the bot says at each step a whole conversation must reach (utter_verified, the balance's total of
a bench account in every variant of utter_balance, utter_plan_created), lower-cased."""


@dataclass(frozen=True)
class Debtor:
    """A bench account's identity facts as the debtor types them."""

    reference: str
    phone: str
    dob: str
    zip_code: str


def negotiation(debtor: Debtor) -> tuple[str, ...]:
    """After verification: balance, a plan offer, accepting, goodbye."""
    return ("what's my balance", "can I pay 100 a month", "yes that works", "thanks, bye")


def typed_identity(debtor: Debtor) -> tuple[str, ...]:
    """REST and webchat: the bot knows nobody, so the reference first, then date of birth and ZIP."""
    return ("hi", debtor.reference, debtor.dob, debtor.zip_code, *negotiation(debtor))


def sms_identity(debtor: Debtor) -> tuple[str, ...]:
    """SMS from the number on the account: the channel binds it, the bot asks date of birth and ZIP only."""
    return ("hi", debtor.dob, debtor.zip_code, *negotiation(debtor))


def script(channel: str, debtor: Debtor | None) -> tuple[str, ...]:
    """The turns of one conversation on `channel` (the anchor has no debtor)."""
    if debtor is None:
        return ANCHOR_TURNS
    return sms_identity(debtor) if channel == "twilio" else typed_identity(debtor)


def reached(replies: list[list[str]]) -> dict[str, bool]:
    """Which milestones the bot's replies of one conversation reached."""
    said = " ".join(text.lower() for turn in replies for text in turn)
    return {name: phrase.lower() in said for name, phrase in MILESTONES.items()}


def was_verified(replies: list[list[str]]) -> bool:
    """Whether the bot said the debtor is verified anywhere in the conversation."""
    return reached(replies)["verified"]


def completed(replies: list[list[str]]) -> bool:
    """Whether the conversation reached its end: verified, told the balance, a plan set up."""
    return all(reached(replies).values())
