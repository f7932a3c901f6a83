"""HTML of the payment portal: plain, accessible, mobile-first pages without any script.

Every value is HTML-escaped here. The card number, expiry and security code are never put back into
a page: a form with errors asks for them again.
"""

import base64
import hashlib
import html
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from string import Template

from api.collections.payment_links import CardPayment
from api.core.config import Settings
from api.portal.card_form import FormResult

TEMPLATES = Path(__file__).resolve().parent / "templates"
FIELDS = ("amount", "name", "card_number", "expiry", "cvc")
_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£"}


@dataclass(frozen=True)
class AccountView:
    """What the portal shows about the account a link is for."""

    reference: str
    creditor: str
    balance: Decimal
    currency: str
    suggested: Decimal


@lru_cache
def template(name: str) -> Template:
    """A page template from api/portal/templates, read once."""
    return Template((TEMPLATES / name).read_text(encoding="utf-8"))


@lru_cache
def stylesheet() -> str:
    """The portal's CSS, inlined into each page (no second request, no external host)."""
    return (TEMPLATES / "portal.css").read_text(encoding="utf-8").strip()


def security_headers() -> dict[str, str]:
    """Only our inline stylesheet may load; no framing, no caching, no referrer (the URL is a token)."""
    digest = base64.b64encode(hashlib.sha256(stylesheet().encode()).digest()).decode()
    policy = "; ".join(
        [
            "default-src 'none'",
            f"style-src 'sha256-{digest}'",
            "form-action 'self'",
            "frame-ancestors 'none'",
            "base-uri 'none'",
        ]
    )
    return {
        "Content-Security-Policy": policy,
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "X-Robots-Tag": "noindex, nofollow",
    }


def money(amount: Decimal, currency: str) -> str:
    """$1,320.40, or 1,320.40 CHF for currencies without a symbol here."""
    symbol = _SYMBOLS.get(currency)
    return f"{symbol}{amount:,.2f}" if symbol else f"{amount:,.2f} {currency}"


def page(title: str, main: str, settings: Settings) -> str:
    """A whole page around its main content."""
    return template("portal.html").substitute(
        title=html.escape(title),
        company=html.escape(settings.COLLECTOR_NAME),
        support=html.escape(settings.SMS_SUPPORT_CONTACT),
        css=stylesheet(),
        main=main,
    )


def _error_summary(errors: dict[str, str]) -> str:
    """The list of problems at the top of the form, announced to screen readers."""
    if not errors:
        return ""
    items = "".join(
        f'<li><a href="#{name}">{html.escape(errors[name])}</a></li>' for name in FIELDS if name in errors
    )
    return (
        '<div class="summary" role="alert" aria-labelledby="summary-title">'
        f'<h2 id="summary-title">Please check the form</h2><ul>{items}</ul></div>'
    )


def _field_state(errors: dict[str, str], name: str) -> dict[str, str]:
    """The aria attributes and the message of one field."""
    if name not in errors:
        return {f"{name}_attrs": "", f"{name}_error": ""}
    return {
        f"{name}_attrs": f'aria-invalid="true" aria-describedby="{name}-error"',
        f"{name}_error": f'<p class="error" id="{name}-error">{html.escape(errors[name])}</p>',
    }


def form_page(view: AccountView, settings: Settings, result: FormResult | None = None) -> str:
    """The payment form, with the amount and name the debtor typed and any errors."""
    errors = result.errors if result is not None else {}
    amount = result.amount_text if result is not None else f"{view.suggested:.2f}"
    values = {
        "reference": html.escape(view.reference),
        "creditor": html.escape(view.creditor),
        "balance": html.escape(money(view.balance, view.currency)),
        "amount": html.escape(amount, quote=True),
        "name": html.escape(result.name_text if result is not None else "", quote=True),
        "error_summary": _error_summary(errors),
    }
    for name in FIELDS:
        values.update(_field_state(errors, name))
    title = "Please check the form" if errors else "Make a payment"
    return page(title, template("pay_form.html").substitute(values), settings)


def done_page(view: AccountView, payment: CardPayment, confirmation: str, settings: Settings) -> str:
    """The confirmation after a submitted payment."""
    main = template("pay_done.html").substitute(
        amount=html.escape(money(payment.amount, view.currency)),
        last4=html.escape(payment.last4),
        reference=html.escape(view.reference),
        creditor=html.escape(view.creditor),
        confirmation=html.escape(confirmation),
    )
    return page("Payment submitted", main, settings)


def problem_page(heading: str, message: str, settings: Settings) -> str:
    """A friendly page for a link that cannot be used."""
    main = template("pay_problem.html").substitute(
        heading=html.escape(heading),
        message=html.escape(message),
        support=html.escape(settings.SMS_SUPPORT_CONTACT),
    )
    return page(heading, main, settings)
