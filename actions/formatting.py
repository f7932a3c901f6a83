"""Render money and dates the way a debtor reads them on a phone."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping

_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "CAD": "CA$"}
_CENT = Decimal("0.01")


def money(amount: Decimal, currency: str = "USD") -> str:
    """Format an amount with its currency symbol and two decimals: Decimal('1320.4') -> '$1,320.40'."""
    quantised = amount.quantize(_CENT, rounding=ROUND_HALF_UP)
    symbol = _SYMBOLS.get(currency.upper())
    return f"{symbol}{quantised:,.2f}" if symbol else f"{quantised:,.2f} {currency.upper()}"


def long_date(value: date) -> str:
    """'Dec 15, 2026': unambiguous in every locale, short enough for SMS."""
    return f"{value:%b} {value.day}, {value.year}"


_EVERY = {"weekly": "a week", "biweekly": "every two weeks", "monthly": "a month"}


def describe_terms(terms: Mapping[str, Any]) -> str:
    """One SMS-sized sentence for a plan or settlement the API evaluated."""
    currency = terms.get("currency", "USD")
    amount = money(Decimal(str(terms["amount"])), currency)
    if terms.get("kind") == "settlement":
        deadline = terms.get("deadline") or terms.get("start_date")
        return f"{amount} as a one-time settlement, paid by {long_date(date.fromisoformat(str(deadline)))}"
    schedule = terms.get("schedule") or []
    count = int(terms.get("instalments") or len(schedule) or 1)
    start = long_date(date.fromisoformat(str(terms["start_date"])))
    if count == 1:
        return f"a single payment of {amount} on {start}"
    text = f"{amount} {_EVERY.get(str(terms.get('frequency')), 'a month')}, {count} payments from {start}"
    if schedule and Decimal(str(schedule[-1]["amount"])) != Decimal(str(terms["amount"])):
        last = schedule[-1]
        text += f" (the last one {money(Decimal(str(last['amount'])), currency)})"
    return text
