"""The portal's card form: parse and check it, keeping nothing of the card but its last four digits.

The full number, expiry and security code live only in local variables of this module: they are never
returned, stored, logged or echoed back into the page.
"""

import calendar
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from urllib.parse import parse_qs

from api.accounts.schemas import CENTS
from api.collections.payment_links import CardPayment
from shared.redaction import luhn_valid

MAX_FORM_BYTES = 4096
MAX_NAME_CHARS = 100
_SEPARATORS = re.compile(r"[\s-]")
_CARD_DIGITS = re.compile(r"^\d{12,19}$")
_EXPIRY = re.compile(r"^(\d{1,2})\s*/\s*(\d{2}|\d{4})$")
_CVC = re.compile(r"^\d{3,4}$")
_AMOUNT = re.compile(r"^\d{1,10}(\.\d{1,2})?$")


@dataclass(frozen=True)
class FormResult:
    """The checked form: a payment, or per-field errors plus the harmless values to show again."""

    payment: CardPayment | None
    errors: dict[str, str] = field(default_factory=dict)
    amount_text: str = ""
    name_text: str = ""


def parse_form(body: bytes) -> dict[str, str]:
    """The first value of each field of an urlencoded form (bodies past MAX_FORM_BYTES give no fields)."""
    if len(body) > MAX_FORM_BYTES:
        return {}
    parsed = parse_qs(body.decode("utf-8", errors="replace"), max_num_fields=20)
    return {name: values[0] for name, values in parsed.items()}


def _amount(text: str, balance: Decimal) -> Decimal | None:
    """A positive amount of at most the balance, in dollars and cents."""
    cleaned = text.replace("$", "").replace(",", "").strip()
    if not _AMOUNT.match(cleaned):
        return None
    try:
        amount = Decimal(cleaned).quantize(CENTS)
    except InvalidOperation:
        return None
    return amount if Decimal("0") < amount <= balance else None


def _expiry_error(text: str, today: date) -> str | None:
    """Why an MM/YY expiry is unusable, or None."""
    match = _EXPIRY.match(text.strip())
    if match is None or not 1 <= int(match.group(1)) <= 12:
        return "Enter the expiry date as MM/YY, for example 04/28."
    year = int(match.group(2)) + (2000 if len(match.group(2)) == 2 else 0)
    month = int(match.group(1))
    if date(year, month, calendar.monthrange(year, month)[1]) < today:
        return "This card has expired. Please use another card."
    return None


def _card_last4(text: str) -> str | None:
    """The last four digits of a plausible card number (12 to 19 digits passing Luhn), or None."""
    digits = _SEPARATORS.sub("", text)
    if not _CARD_DIGITS.match(digits) or not luhn_valid(digits):
        return None
    return digits[-4:]


def check_form(fields: dict[str, str], balance: Decimal, today: date) -> FormResult:
    """Check every field; the result carries a payment only when all of them are fine."""
    amount_text = fields.get("amount", "").strip()[:20]
    name = " ".join(fields.get("name", "").split())[:MAX_NAME_CHARS]
    errors: dict[str, str] = {}
    amount = _amount(amount_text, balance)
    if amount is None:
        errors["amount"] = f"Enter an amount between $0.01 and ${balance:,.2f}."
    if not name:
        errors["name"] = "Enter the name shown on the card."
    last4 = _card_last4(fields.get("card_number", ""))
    if last4 is None:
        errors["card_number"] = "Check the card number: it is not a valid card number."
    expiry_error = _expiry_error(fields.get("expiry", ""), today)
    if expiry_error is not None:
        errors["expiry"] = expiry_error
    if not _CVC.match(fields.get("cvc", "").strip()):
        errors["cvc"] = "Enter the 3 or 4 digit security code from the card."
    if errors or amount is None or last4 is None:
        return FormResult(None, errors, amount_text, name)
    return FormResult(CardPayment(amount, last4), {}, amount_text, name)
