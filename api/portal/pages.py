"""HTML of the payment portal: plain, accessible, mobile-first pages without any script.

Every value is HTML-escaped by Jinja2's autoescaping. The card number, expiry and security code are
never put back into a page: a form with errors asks for them again.
"""

import base64
import hashlib
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from markupsafe import Markup

from api.collections.payment_links import CardPayment
from api.core.config import Settings
from api.core.templating import page_templates
from api.portal.card_form import FormResult

TEMPLATES = Path(__file__).resolve().parent / "templates"
FIELDS = ("amount", "name", "card_number", "expiry", "cvc")
_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£"}
templates = page_templates(TEMPLATES)


@dataclass(frozen=True)
class AccountView:
    """What the portal shows about the account a link is for."""

    reference: str
    creditor: str
    balance: Decimal
    currency: str
    suggested: Decimal


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


def _render(template: str, title: str, settings: Settings, **values: object) -> str:
    """A whole page: the named template inside portal.html, every value autoescaped by Jinja2."""
    return templates.get_template(template).render(
        title=title,
        company=settings.COLLECTOR_NAME,
        support=settings.SMS_SUPPORT_CONTACT,
        css=Markup(stylesheet()),  # noqa: S704 - our own file, hashed into the CSP as it is
        **values,
    )


def form_page(view: AccountView, settings: Settings, result: FormResult | None = None) -> str:
    """The payment form, with the amount and name the debtor typed and any errors."""
    errors = result.errors if result is not None else {}
    return _render(
        "pay_form.html",
        "Please check the form" if errors else "Make a payment",
        settings,
        reference=view.reference,
        creditor=view.creditor,
        balance=money(view.balance, view.currency),
        amount=result.amount_text if result is not None else f"{view.suggested:.2f}",
        name=result.name_text if result is not None else "",
        errors=errors,
        fields=FIELDS,
    )


def done_page(view: AccountView, payment: CardPayment, confirmation: str, settings: Settings) -> str:
    """The confirmation after a submitted payment."""
    return _render(
        "pay_done.html",
        "Payment submitted",
        settings,
        amount=money(payment.amount, view.currency),
        last4=payment.last4,
        reference=view.reference,
        creditor=view.creditor,
        confirmation=confirmation,
    )


def problem_page(heading: str, message: str, settings: Settings) -> str:
    """A friendly page for a link that cannot be used."""
    return _render("pay_problem.html", heading, settings, heading=heading, message=message)
