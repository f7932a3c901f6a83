"""What every console page shares: the templates, the security headers, the page renderer and the gate
(sign-in redirect, 403 page for a role without the section)."""

from pathlib import Path

from fastapi import Request
from fastapi.responses import HTMLResponse, Response

from api.core.templating import page_templates
from api.staff import pages as staff_pages
from api.staff.models import StaffUser
from api.staff.service import HANDOFF_ROLES, MARKETING_ROLES, Role

TEMPLATES = Path(__file__).resolve().parent / "templates"
ASSETS = {"console.js": "text/javascript", "console.css": "text/css"}

templates = page_templates(TEMPLATES)


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


def gate(request: Request, staff: StaffUser | None, roles: frozenset[Role] = HANDOFF_ROLES) -> StaffUser:
    """The user; else (PageRefused) a redirect to sign-in, or a 403 page for a role without this section."""

    def forbidden(user: StaffUser) -> Response:
        editor = user.role in MARKETING_ROLES
        return page(request, "console_forbidden.html", "Not available", "none", user.email, editor=editor)

    return staff_pages.gate(staff, roles, forbidden)


def who(user: StaffUser) -> str:
    """The signed-in user as the header shows them."""
    return f"{user.email} ({user.role})"
