"""The webchat page (/chat), its scripts, the embeddable snippet, and the session tokens it runs on.

No authentication: a debtor opens the page from a letter or a text. The page's token only opens a
socket for a fresh, random conversation (or renews the one its holder already has).
"""

import logging
import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Body, Depends, HTTPException, Query, Request, status
from fastapi.responses import FileResponse, HTMLResponse, Response

from api.core import templating
from api.core.config import Settings
from api.core.dependencies import SettingsDep
from api.webchat.sessions import (
    RateLimiter,
    WebchatSessionIn,
    WebchatSessionOut,
    issue,
    new_session_id,
    session_of,
)
from shared import personal_link

logger = logging.getLogger(__name__)

WEBCHAT_DIR = Path(__file__).resolve().parents[2] / "webchat"
WIDGET_JS = WEBCHAT_DIR / "node_modules" / "rasa-webchat" / "lib" / "index.js"
SOCKET_PATH = "/socket.io/"
SESSION_PATH = "/api/v1/webchat/session"
ASSETS = {"chat.js": "text/javascript", "chat.css": "text/css", "embed.js": "text/javascript"}
NO_STORE = {"Cache-Control": "no-store"}
THIRD_PARTY_FONTS = re.compile(rb"@import url\(https?://fonts\.googleapis\.com/[^)]*\);?")
"""The widget's stylesheets each import its web font from Google's CDN: on a creditor's page without our
CSP that would send every debtor's address to a font host (and on ours the CSP blocks it with a console
error per stylesheet). The bundle is served without those imports; the widget uses the page's fonts."""
templates = templating.page_templates(WEBCHAT_DIR)
LINK_NOT_VALID = (
    "This chat link has expired or is not valid, so this chat is not linked to an account. "
    "You can still chat with us: we will ask for the reference number from our letter or text."
)
"""What the page says above the chat when a personal link cannot be used (never an error page)."""

router = APIRouter(prefix="/webchat", tags=["webchat"])
page_router = APIRouter(prefix="/chat", tags=["webchat"], include_in_schema=False)


def webchat_secret(settings: SettingsDep) -> str:
    """The token signing key; 503 until WEBCHAT_JWT_SECRET is configured."""
    if settings.WEBCHAT_JWT_SECRET is None:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, "webchat is not configured")
    return settings.WEBCHAT_JWT_SECRET.get_secret_value()


def rate_limited(request: Request, settings: SettingsDep) -> None:
    """429 when one client address asks for too many sessions in a minute."""
    limiter = getattr(request.app.state, "webchat_limiter", None)
    if limiter is None:
        limiter = request.app.state.webchat_limiter = RateLimiter(settings.WEBCHAT_SESSIONS_PER_MINUTE)
    client = request.client.host if request.client else "unknown"
    if not limiter.allow(client):
        logger.warning("webchat session rate limit hit")
        raise HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS, "too many chat sessions", {"Retry-After": "60"}
        )


@router.post("/session", response_model=WebchatSessionOut, dependencies=[Depends(rate_limited)])
def create_session(
    settings: SettingsDep,
    secret: Annotated[str, Depends(webchat_secret)],
    response: Response,
    body: Annotated[WebchatSessionIn | None, Body()] = None,
) -> WebchatSessionOut:
    """A token for a new conversation, or a fresh one for the conversation a still-valid token names."""
    response.headers.update(NO_STORE)
    session_id = session_of(secret, body.token if body else None) or new_session_id()
    return issue(secret, settings.WEBCHAT_TOKEN_TTL_SECONDS, session_id)


def socket_origins(socket_url: str) -> str:
    """The socket's origin in http(s) and ws(s) form, for the page's connect-src."""
    parts = urlsplit(socket_url)
    websocket = {"https": "wss", "http": "ws"}.get(parts.scheme, parts.scheme)
    return f"{parts.scheme}://{parts.netloc} {websocket}://{parts.netloc}"


def security_headers(settings: Settings) -> dict[str, str]:
    """CSP for the page: our scripts only, the socket, and framing only by the configured sites.

    The widget injects its styles at run time, hence 'unsafe-inline' for styles (never for scripts);
    its web font from a third-party CDN stays blocked, so no debtor's address reaches a font host.
    """
    policy = "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            f"connect-src 'self' {socket_origins(settings.WEBCHAT_SOCKET_URL)}",
            f"frame-ancestors {settings.WEBCHAT_FRAME_ANCESTORS}",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )
    return {"Content-Security-Policy": policy, "Referrer-Policy": "no-referrer", **NO_STORE}


def valid_link(settings: Settings, link: str | None) -> bool:
    """Whether `link` is a personal link that may bind the chat (signed by us, not expired)."""
    return personal_link.account_of(link, settings.SECRET_KEY.get_secret_value()) is not None


def page_config(settings: Settings, link: str | None = None) -> dict[str, str]:
    """The page's settings; the template writes them as JSON that is safe inside a <script> element.

    A valid personal link goes to the widget, which sends it with every message (it binds the chat).
    """
    config = {
        "socketUrl": settings.WEBCHAT_SOCKET_URL,
        "socketPath": SOCKET_PATH,
        "sessionUrl": SESSION_PATH,
        "title": settings.WEBCHAT_TITLE,
        "company": settings.SMS_COMPANY_NAME,
        "support": settings.SMS_SUPPORT_CONTACT,
    }
    return {**config, "link": link} if link and valid_link(settings, link) else config


def link_notice(settings: Settings, link: str | None) -> str | None:
    """The line shown above the chat when the page was opened with a link that cannot be used."""
    if not link or valid_link(settings, link):
        return None
    logger.info("personal chat link refused: the chat opens unbound")
    return LINK_NOT_VALID


LinkParam = Annotated[str | None, Query(alias=personal_link.QUERY_PARAMETER)]


@page_router.get("", response_class=HTMLResponse)
def chat_page(request: Request, settings: SettingsDep, link: LinkParam = None) -> HTMLResponse:
    """The chat page a debtor opens (Jinja2, autoescaped); `?link=` (a personal link) binds the chat."""
    context = {
        "title": settings.WEBCHAT_TITLE,
        "company": settings.SMS_COMPANY_NAME,
        "support": settings.SMS_SUPPORT_CONTACT,
        "config": page_config(settings, link),
        "link_notice": link_notice(settings, link),
    }
    return templates.TemplateResponse(request, "chat.html", context, headers=security_headers(settings))


@page_router.get("/embed.html", response_class=HTMLResponse)
def embed_page(request: Request, settings: SettingsDep) -> HTMLResponse:
    """How a creditor embeds the chat, with the snippet running on the page."""
    return templates.TemplateResponse(request, "embed.html", {}, headers=security_headers(settings))


@lru_cache(maxsize=2)
def widget_source(path: Path, modified: float) -> bytes:
    """The bundle at `path` (as of `modified`) without its third-party font imports."""
    return THIRD_PARTY_FONTS.sub(b"", path.read_bytes())


@page_router.get("/widget.js")
def widget_bundle() -> Response:
    """The rasa-webchat bundle from npm (`npm ci` in webchat/), fonts from no CDN; 503 until installed."""
    if not WIDGET_JS.is_file():
        logger.error("webchat widget missing: run `npm ci` in webchat/")
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, "webchat widget not installed")
    source = widget_source(WIDGET_JS, WIDGET_JS.stat().st_mtime)
    return Response(source, media_type="text/javascript", headers={"Cache-Control": "public, max-age=3600"})


@page_router.get("/{name}")
def asset(name: str) -> FileResponse:
    """The page's own script and stylesheet, and the embed loader."""
    return templating.asset(WEBCHAT_DIR, name, ASSETS, "public, max-age=300")
