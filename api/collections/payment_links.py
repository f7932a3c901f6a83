"""Payment links: signed, expiring, single-use URLs to the self-service payment portal.

The token is a JWT (HS256, SECRET_KEY, purpose "payment-link") naming the account and the link's row;
the row holds the suggested amount and records the one payment made with the link.
"""

import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

import jwt
from sqlalchemy import update
from sqlalchemy.orm import Session

from api.accounts.events import EventType
from api.accounts.models import Account, AccountEvent
from api.accounts.service import record_event
from api.collections.exceptions import PaymentLinkGone, PaymentLinkInvalid
from api.collections.models import PaymentLink
from api.core.config import Settings

logger = logging.getLogger(__name__)

PURPOSE = "payment-link"
ALGORITHM = "HS256"
PORTAL_PATH = "/pay"
GONE_EXPIRED, GONE_USED, GONE_MISSING = "expired", "used", "missing"
"""Why a genuine link is gone: the PaymentLinkGone message."""
_TOKEN_IN_TEXT = re.compile(rf"{PORTAL_PATH}/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)")


@dataclass(frozen=True)
class CardPayment:
    """All the portal keeps of a payment: how much, and the card's last four digits."""

    amount: Decimal
    last4: str


@dataclass(frozen=True)
class IssuedLink:
    """A link to send to the debtor."""

    url: str
    expires_at: datetime


def issue(
    session: Session, account: Account, amount: Decimal | None, settings: Settings, now: datetime
) -> IssuedLink:
    """Create the link's row and its signed token; records payment_link.created and commits."""
    expires_at = now + timedelta(seconds=settings.PAYMENT_LINK_TTL_SECONDS)
    link = PaymentLink(account_id=account.id, amount=amount, expires_at=expires_at)
    session.add(link)
    session.flush()
    claims = {"sub": account.id, "jti": link.id, "purpose": PURPOSE, "iat": now, "exp": expires_at}
    token = jwt.encode(claims, settings.SECRET_KEY.get_secret_value(), algorithm=ALGORITHM)
    data = {
        "link_id": link.id,
        "amount": f"{amount:.2f}" if amount is not None else None,
        "expires_at": expires_at.isoformat(),
    }
    record_event(session, account.id, EventType.PAYMENT_LINK_CREATED, data)
    session.commit()
    return IssuedLink(f"{settings.portal_base_url}{PORTAL_PATH}/{token}", expires_at)


def _claims(secret: str, token: str) -> dict[str, object]:
    """The token's verified signature and claims; times are checked by the caller against its own clock."""
    try:
        claims: dict[str, object] = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            options={"require": ["exp", "sub", "jti", "purpose"], "verify_exp": False, "verify_iat": False},
        )
    except jwt.InvalidTokenError:
        raise PaymentLinkInvalid("payment link invalid") from None
    if claims["purpose"] != PURPOSE:
        raise PaymentLinkInvalid("not a payment link")
    return claims


def link_ids_in(secret: str, text: str) -> list[str]:
    """The ids of the genuine payment links a message carries (forged or foreign tokens are skipped)."""
    found = []
    for token in _TOKEN_IN_TEXT.findall(text):
        try:
            found.append(str(_claims(secret, token)["jti"]))
        except PaymentLinkInvalid:
            continue
    return found


def open_link(session: Session, secret: str, token: str, now: datetime) -> tuple[PaymentLink, Account]:
    """The usable link a token names, and its account.

    Raises:
        PaymentLinkInvalid: forged, tampered with, or another kind of token.
        PaymentLinkGone: expired, already used, or its account was deleted.
    """
    claims = _claims(secret, token)
    link = session.get(PaymentLink, str(claims["jti"]))
    account = session.get(Account, link.account_id) if link is not None else None
    if link is None or account is None or link.account_id != str(claims["sub"]):
        raise PaymentLinkGone(GONE_MISSING)
    if link.expires_at <= now:
        raise PaymentLinkGone(GONE_EXPIRED)
    if link.used_at is not None:
        raise PaymentLinkGone(GONE_USED)
    return link, account


def mark_opened(session: Session, link: PaymentLink, now: datetime) -> None:
    """Record the first time the link's payment page was shown (the debtor opened it); commits."""
    if link.opened_at is None:
        link.opened_at = now
        session.commit()


def record_payment(session: Session, link: PaymentLink, payment: CardPayment, now: datetime) -> AccountEvent:
    """Use the link up and record payment.submitted (amount and last 4 only); commits.

    Raises:
        PaymentLinkGone: a concurrent submission used the link first.
    """
    used = session.execute(
        update(PaymentLink)
        .where(PaymentLink.id == link.id, PaymentLink.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if used.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        raise PaymentLinkGone(GONE_USED)
    data = {"link_id": link.id, "amount": f"{payment.amount:.2f}", "card_last4": payment.last4}
    event = record_event(session, link.account_id, EventType.PAYMENT_SUBMITTED, data)
    session.commit()
    logger.info("portal payment submitted", extra={"account_id": link.account_id, "link_id": link.id})
    return event
