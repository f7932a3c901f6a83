"""Payment links (for the bot) and the payment portal page they open (for the debtor).

The portal takes no bearer token: the signed, expiring, single-use link is the credential. It records
the amount and the card's last four digits; the full number never reaches a log line or a table.
"""

from fastapi import APIRouter, status
from fastapi.responses import HTMLResponse

from api.accounts.dependencies import GRANT_RESPONSES, AccountDep, GrantAuth
from api.accounts.models import Account
from api.collections import payment_links
from api.collections.exceptions import PaymentLinkError, PaymentLinkGone
from api.collections.models import PaymentLink
from api.collections.schemas import PaymentLinkIn, PaymentLinkOut
from api.core.config import Settings
from api.core.dependencies import BodyDep, NowDep, ServiceAuth, SessionDep, SettingsDep
from api.portal import card_form
from api.portal import pages as portal_pages
from api.portal.pages import AccountView

router = APIRouter(prefix="/accounts", tags=["payments"], dependencies=[ServiceAuth])
page_router = APIRouter(prefix=payment_links.PORTAL_PATH, tags=["portal"], include_in_schema=False)

_PROBLEMS = {
    payment_links.GONE_EXPIRED: (
        "This payment link has expired",
        "For your security, payment links work for a limited time only.",
    ),
    payment_links.GONE_USED: (
        "This payment link has already been used",
        "A payment was already submitted with this link, so it cannot be used again.",
    ),
    payment_links.GONE_MISSING: ("This payment link is no longer valid", "The link has been withdrawn."),
}
_INVALID = ("This link is not valid", "The link may be incomplete: please open it again from your message.")


@router.post(
    "/{account_id}/payment-links",
    status_code=status.HTTP_201_CREATED,
    dependencies=[GrantAuth],
    responses=GRANT_RESPONSES,
)
def create_payment_link(
    account: AccountDep, body: PaymentLinkIn, session: SessionDep, settings: SettingsDep, now: NowDep
) -> PaymentLinkOut:
    """A signed link to the payment page, valid for PAYMENT_LINK_TTL_SECONDS (24 h by default)."""
    amount = min(body.amount, account.total) if body.amount is not None else None
    link = payment_links.issue(session, account, amount, settings, now)
    return PaymentLinkOut(url=link.url, expires_at=link.expires_at)


def _html(content: str, status_code: int = status.HTTP_200_OK) -> HTMLResponse:
    return HTMLResponse(content, status_code=status_code, headers=portal_pages.security_headers())


def _problem(error: PaymentLinkError, settings: Settings) -> HTMLResponse:
    """403 for a forged link, 410 for one that expired or was used."""
    if isinstance(error, PaymentLinkGone):
        heading, message = _PROBLEMS.get(str(error), _PROBLEMS[payment_links.GONE_MISSING])
        code = status.HTTP_410_GONE
    else:
        (heading, message), code = _INVALID, status.HTTP_403_FORBIDDEN
    return _html(portal_pages.problem_page(heading, message, settings), code)


def _view(link: PaymentLink, account: Account) -> AccountView:
    suggested = min(link.amount, account.total) if link.amount is not None else account.total
    return AccountView(account.reference, account.creditor, account.total, account.currency, suggested)


@page_router.get("/{token}", response_class=HTMLResponse)
def payment_page(token: str, session: SessionDep, settings: SettingsDep, now: NowDep) -> HTMLResponse:
    """The account's reference, creditor and balance, and the card form."""
    try:
        link, account = payment_links.open_link(session, settings.SECRET_KEY.get_secret_value(), token, now)
    except PaymentLinkError as error:
        return _problem(error, settings)
    payment_links.mark_opened(session, link, now)
    return _html(portal_pages.form_page(_view(link, account), settings))


@page_router.post("/{token}", response_class=HTMLResponse)
def submit_payment(
    token: str,
    body: BodyDep,  # urlencoded, parsed by api.portal.card_form (no python-multipart)
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
) -> HTMLResponse:
    """Check the card form; record payment.submitted (amount, last 4) and confirm, or show the errors."""
    try:
        link, account = payment_links.open_link(session, settings.SECRET_KEY.get_secret_value(), token, now)
        view = _view(link, account)
        result = card_form.check_form(card_form.parse_form(body), account.total, now.date())
        if result.payment is None:
            page = portal_pages.form_page(view, settings, result)
            return _html(page, status.HTTP_422_UNPROCESSABLE_CONTENT)
        event = payment_links.record_payment(session, link, result.payment, now)
    except PaymentLinkError as error:
        return _problem(error, settings)
    confirmation = event.id.split("-")[0].upper()
    return _html(portal_pages.done_page(view, result.payment, confirmation, settings))
