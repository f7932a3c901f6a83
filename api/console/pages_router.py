"""The agent console's pages: sign-in, the live queue, one handoff. Plain HTML, one script, no CDN.

Pages need the session cookie (a missing or expired one redirects to the sign-in page); the data comes
from the JSON routes, which check the role again on every call.
"""

from fastapi import APIRouter, HTTPException, Request, status
from fastapi.responses import FileResponse, HTMLResponse, Response

from api.console import rendering, responses_pages
from api.core.dependencies import SessionDep
from api.responses import diff, service
from api.staff.dependencies import PageStaff
from api.staff.service import MARKETING_ROLES

router = APIRouter(prefix="/console", tags=["console"], include_in_schema=False)


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request) -> HTMLResponse:
    """The sign-in form."""
    return rendering.page(request, "console_login.html", "Sign in", "login")


@router.get("", response_class=HTMLResponse)
def queue_page(request: Request, staff: PageStaff) -> Response:
    """The live queue."""
    user = rendering.gate(request, staff)
    return rendering.page(request, "console_queue.html", "Queue", "queue", rendering.who(user))


@router.get("/handoffs/{handoff_id}", response_class=HTMLResponse)
def handoff_page(request: Request, handoff_id: str, staff: PageStaff) -> Response:
    """One handoff; its data (and whether this user may see it) comes from GET /api/v1/handoffs/{id}."""
    user = rendering.gate(request, staff)
    who = rendering.who(user)
    return rendering.page(request, "console_handoff.html", "Handoff", "handoff", who, handoff_id[:36])


@router.get("/responses", response_class=HTMLResponse)
def responses_page(request: Request, staff: PageStaff, session: SessionDep, q: str = "") -> Response:
    """Marketing's list of the bot's responses, searchable by name and wording."""
    user = rendering.gate(request, staff, MARKETING_ROLES)
    rows = service.search(session, q[:200])
    return rendering.page(
        request, "console_responses.html", "Responses", "responses", rendering.who(user), rows=rows, q=q
    )


@router.get("/responses/{name}", response_class=HTMLResponse)
def response_page(request: Request, name: str, staff: PageStaff, session: SessionDep) -> Response:
    """One response: its live variations in the editor with their previews, and its history."""
    user = rendering.gate(request, staff, MARKETING_ROLES)
    history = service.history(session, name)
    if not history:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "response not found")
    editor = responses_pages.editor(history)
    return rendering.page(
        request, "console_response.html", name, "response", rendering.who(user), name=name, **editor
    )


@router.get("/responses/{name}/diff", response_class=HTMLResponse)
def diff_page(
    request: Request, name: str, staff: PageStaff, session: SessionDep, old: int, new: int
) -> Response:
    """What changed between two versions of a response."""
    user = rendering.gate(request, staff, MARKETING_ROLES)
    before, after = service.version(session, name, old), service.version(session, name, new)
    if before is None or after is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "version not found")
    lines = diff.compare(before.variations, after.variations)
    title, who = f"{name}: changes", rendering.who(user)
    return rendering.page(
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
    if name not in rendering.ASSETS:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "not found")
    headers = {"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"}
    return FileResponse(rendering.TEMPLATES / name, media_type=rendering.ASSETS[name], headers=headers)
