"""The names of the NLU's intents that the channel's readings (guards, readings, segments) decide on, once."""

from __future__ import annotations

from typing import Final

AFFIRM: Final = "affirm"
ASK_CONSEQUENCES: Final = "ask_credit_reporting"
"""Questions about what happens next to the debtor: the credit report, and what if they do not pay."""
BALANCE: Final = "check_balance"
BANKRUPTCY: Final = "bankruptcy"
DENY: Final = "deny"
DISPUTE: Final = "dispute_debt"
FALLBACK: Final = "nlu_fallback"
GOODBYE: Final = "goodbye"
GREET: Final = "greet"
HARDSHIP: Final = "financial_hardship"
HELP: Final = "help"
HUMAN: Final = "request_human"
IDENTITY: Final = "inform_identity"
OFFER: Final = "offer_payment"
OUT_OF_SCOPE: Final = "out_of_scope"
PAID: Final = "already_paid"
PAY_NOW: Final = "make_payment"
PLAN: Final = "request_payment_plan"
PREFERENCES: Final = "contact_preferences"
PROMISE: Final = "promise_to_pay"
RATE: Final = "rate_experience"
SETTLE: Final = "settlement_offer"
THANKS: Final = "thank_you"
VALIDATION: Final = "request_validation"
WHO_IS_THIS: Final = "ask_who_is_this"
WRONG_PERSON: Final = "wrong_person"

ATTORNEY: Final = "has_attorney"
FLAGS: Final = frozenset({ATTORNEY, BANKRUPTCY, "deceased"})
"""Circumstances that stop collection on the account when recorded: an attorney, a bankruptcy, a death."""
OPT_OUT: Final = "opt_out"

UNPLACED: Final = frozenset({FALLBACK, OUT_OF_SCOPE})
"""Whole-message readings that place no request: a long paragraph often reads as out of scope (at 1.00)."""
WITH_THE_BALANCE: Final[dict[str, str]] = {
    PAY_NOW: "check_balance+make_payment",
    PLAN: "check_balance+request_payment_plan",
}
"""Rasa's multi-intent labels for paying or a plan asked for with the balance: the balance comes first."""
