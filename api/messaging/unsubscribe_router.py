"""The unsubscribe link of every email (RFC 8058): GET shows a confirmation page with a button, POST is
the one-click unsubscribe mail clients send (`List-Unsubscribe=One-Click`) and the button's. No login:
the signed token is the authority. Both pages come from a Jinja2 template with autoescaping."""

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Request, status
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from api.core.config import Settings
from api.core.dependencies import NowDep, SessionDep, SettingsDep
from api.core.templating import page_templates
from api.messaging import unsubscribe
from api.messaging.exceptions import UnsubscribeLinkError, UnsubscribeLinkExpired

router = APIRouter(prefix=unsubscribe.PATH, tags=["email"], include_in_schema=False)
templates = page_templates(Path(__file__).resolve().parent / "templates")

Token = Annotated[str, PathParam(min_length=1, max_length=2048)]
TITLES = {
    "confirm": "Unsubscribe from our emails",
    "done": "You are unsubscribed",
    "already": "You are unsubscribed",
    "expired": "This link has expired",
    "invalid": "This link is not valid",
}
HEADERS = {
    "Content-Security-Policy": "default-src 'none'; form-action 'self'; frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "X-Robots-Tag": "noindex",
}


def _page(request: Request, settings: Settings, state: str, code: int = status.HTTP_200_OK) -> HTMLResponse:
    """The page for one state of the link."""
    values = {
        "state": state,
        "title": TITLES[state],
        "company": settings.COLLECTOR_NAME,
        "address": settings.COLLECTOR_ADDRESS,
        "phone": settings.COLLECTOR_PHONE,
        "action": request.url.path,
    }
    return templates.TemplateResponse(request, "unsubscribe.html", values, status_code=code, headers=HEADERS)


def _refusal(request: Request, settings: Settings, error: UnsubscribeLinkError) -> HTMLResponse:
    """410 for a genuine link past its time, 400 for anything forged or mangled."""
    if isinstance(error, UnsubscribeLinkExpired):
        return _page(request, settings, "expired", status.HTTP_410_GONE)
    return _page(request, settings, "invalid", status.HTTP_400_BAD_REQUEST)


def _confirmation(session: Session, settings: Settings, token: str, now: datetime) -> str:
    """GET: the confirmation page; nothing changes until its button POSTs (link scanners only GET)."""
    return "already" if unsubscribe.contact_of(session, settings, token, now).opted_out else "confirm"


def _one_click(session: Session, settings: Settings, token: str, now: datetime) -> str:
    """POST, RFC 8058 one-click (and the page's button): opt the address out; a repeat changes nothing."""
    return "done" if unsubscribe.unsubscribe(session, settings, token, now).changed else "already"


STATES: dict[str, Callable[[Session, Settings, str, datetime], str]] = {
    "GET": _confirmation,
    "POST": _one_click,
}


@router.api_route("/{token}", methods=["GET", "POST"], response_class=HTMLResponse)
def unsubscribe_page(
    request: Request, token: Token, session: SessionDep, settings: SettingsDep, now: NowDep
) -> HTMLResponse:
    """The page of the link's state after the request (GET confirms, POST unsubscribes); a link that
    does not check out changes nothing."""
    try:
        state = STATES[request.method](session, settings, token, now)
    except UnsubscribeLinkError as error:
        return _refusal(request, settings, error)
    return _page(request, settings, state)
