"""What every console page shares: the templates, the security headers, the page renderer and the gate
(sign-in redirect, 403 page for a role without the section)."""

from pathlib import Path

from fastapi import Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from api.staff.models import StaffUser
from api.staff.service import HANDOFF_ROLES, MARKETING_ROLES, Role

TEMPLATES = Path(__file__).resolve().parent / "templates"
ASSETS = {"console.js": "text/javascript", "console.css": "text/css"}
LOGIN_PATH = "/console/login"

templates = Jinja2Templates(directory=TEMPLATES)


def security_headers() -> dict[str, str]:
    """Our own script, stylesheet and API only; no framing, no caching."""
    policy = "; ".join(
        [
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "connect-src 'self'",
            "img-src 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
            "base-uri 'none'",
        ]
    )
    return {
        "Content-Security-Policy": policy,
        "Cache-Control": "no-store",
        "Referrer-Policy": "same-origin",
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
    }


def page(
    request: Request,
    template: str,
    title: str,
    page: str,
    who: str = "",
    handoff_id: str = "",
    **extra: object,
) -> HTMLResponse:
    """A console page; Jinja2 autoescapes every value."""
    context = {"title": title, "page": page, "who": who, "handoff_id": handoff_id, **extra}
    return templates.TemplateResponse(request, template, context, headers=security_headers())


def gate(
    request: Request, staff: StaffUser | None, roles: frozenset[Role] = HANDOFF_ROLES
) -> Response | StaffUser:
    """The user; else a redirect to sign-in, or a 403 page for a role without this section."""
    if staff is None:
        return RedirectResponse(LOGIN_PATH, status_code=status.HTTP_303_SEE_OTHER)
    if staff.role not in roles:
        editor = staff.role in MARKETING_ROLES
        forbidden = page(
            request, "console_forbidden.html", "Not available", "none", staff.email, editor=editor
        )
        forbidden.status_code = status.HTTP_403_FORBIDDEN
        return forbidden
    return staff


def who(user: StaffUser) -> str:
    """The signed-in user as the header shows them."""
    return f"{user.email} ({user.role})"
