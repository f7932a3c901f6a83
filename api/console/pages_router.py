"""The agent console's pages: sign-in, the live queue, one handoff. Plain HTML, one script, no CDN.

Pages need the session cookie (a missing or expired one redirects to the sign-in page); the data comes
from the JSON routes, which check the role again on every call.
"""

from pathlib import Path

from fastapi import APIRouter, HTTPException, Request, status
from fastapi.responses import FileResponse, HTMLResponse, Response

from api.console import responses_pages
from api.core import templating
from api.core.dependencies import SessionDep
from api.core.templating import page_templates
from api.experiments import results
from api.experiments.models import Experiment
from api.responses import diff, service
from api.staff import pages as staff_pages
from api.staff.dependencies import PageStaff
from api.staff.models import StaffUser
from api.staff.service import HANDOFF_ROLES, MARKETING_ROLES, Role

TEMPLATES = Path(__file__).resolve().parent / "templates"
ASSETS = {"console.js": "text/javascript", "console.css": "text/css"}

router = APIRouter(prefix="/console", tags=["console"], include_in_schema=False)
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


def _page(
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


def _gate(request: Request, staff: StaffUser | None, roles: frozenset[Role] = HANDOFF_ROLES) -> StaffUser:
    """The user; else a redirect to sign-in, or a 403 page for a role without this section."""

    def forbidden(user: StaffUser) -> Response:
        editor = user.role in MARKETING_ROLES
        return _page(request, "console_forbidden.html", "Not available", "none", user.email, editor=editor)

    return staff_pages.gate(staff, roles, forbidden)


def _who(user: StaffUser) -> str:
    return f"{user.email} ({user.role})"


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request) -> HTMLResponse:
    """The sign-in form."""
    return _page(request, "console_login.html", "Sign in", "login")


@router.get("", response_class=HTMLResponse)
def queue_page(request: Request, staff: PageStaff) -> Response:
    """The live queue."""
    user = _gate(request, staff)
    return _page(request, "console_queue.html", "Queue", "queue", f"{user.email} ({user.role})")


@router.get("/handoffs/{handoff_id}", response_class=HTMLResponse)
def handoff_page(request: Request, handoff_id: str, staff: PageStaff) -> Response:
    """One handoff; its data (and whether this user may see it) comes from GET /api/v1/handoffs/{id}."""
    user = _gate(request, staff)
    who = f"{user.email} ({user.role})"
    return _page(request, "console_handoff.html", "Handoff", "handoff", who, handoff_id[:36])


@router.get("/responses", response_class=HTMLResponse)
def responses_page(request: Request, staff: PageStaff, session: SessionDep, q: str = "") -> Response:
    """Marketing's list of the bot's responses, searchable by name and wording."""
    user = _gate(request, staff, MARKETING_ROLES)
    rows = service.search(session, q[:200])
    return _page(request, "console_responses.html", "Responses", "responses", _who(user), rows=rows, q=q)


@router.get("/responses/{name}", response_class=HTMLResponse)
def response_page(request: Request, name: str, staff: PageStaff, session: SessionDep) -> Response:
    """One response: its live variations in the editor with their previews, and its history."""
    user = _gate(request, staff, MARKETING_ROLES)
    history = service.history(session, name)
    if not history:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "response not found")
    editor = responses_pages.editor(history)
    return _page(request, "console_response.html", name, "response", _who(user), name=name, **editor)


@router.get("/responses/{name}/diff", response_class=HTMLResponse)
def diff_page(
    request: Request, name: str, staff: PageStaff, session: SessionDep, old: int, new: int
) -> Response:
    """What changed between two versions of a response."""
    user = _gate(request, staff, MARKETING_ROLES)
    before, after = service.version(session, name, old), service.version(session, name, new)
    if before is None or after is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "version not found")
    lines = diff.compare(before.variations, after.variations)
    title, who = f"{name}: changes", _who(user)
    return _page(
        request,
        "console_response_diff.html",
        title,
        "diff",
        who,
        name=name,
        old=before,
        new=after,
        lines=lines,
    )


@router.get("/{name}")
def asset(name: str) -> FileResponse:
    """The console's script and stylesheet."""
    return templating.asset(TEMPLATES, name, ASSETS, "no-cache")


@router.get("/experiments/{experiment_id}", response_class=HTMLResponse)
def experiment_page(request: Request, experiment_id: str, staff: PageStaff, session: SessionDep) -> Response:
    """An experiment's results: per variant exposures, outcome rates with intervals, and the verdict."""
    user = _gate(request, staff, MARKETING_ROLES)
    experiment = session.get(Experiment, experiment_id[:36])
    if experiment is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "experiment not found")
    found = results.results(session, experiment)
    title = f"Experiment on {experiment.response_name}"
    return _page(request, "console_experiment.html", title, "experiment", _who(user), found=found)
