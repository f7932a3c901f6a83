"""The review and the dashboard: JSON routes for operators' BI tools (`router`, /api/v1/insights) and the
console pages (`page_router`, /console/insights), both for marketing, supervisors and admins only.

Pages are server-rendered (Jinja2, autoescaped). The dashboard's charts are drawn by Chart.js (npm) and our
dashboard.js, both served from here, from the figures embedded as a JSON block: no inline script, no CDN.
The label form posts a token derived from the session's user, since a plain form cannot send the CSRF
header.
"""

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request, status
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel

from api.core.dependencies import BodyDep, SessionDep, SettingsDep
from api.core.templating import page_templates
from api.insights import analytics, charts, labels, review, views
from api.insights.exceptions import NotLabellable
from api.insights.outcomes import DISTRESS_LEVELS
from api.staff import pages as staff_pages
from api.staff.dependencies import PageStaff, staff_with
from api.staff.models import StaffUser

TEMPLATES = Path(__file__).resolve().parent / "templates"
FORM_SECTION = "insights-label"
"""What the label form's token is bound to, with the user (api.staff.pages.form_token)."""
MAX_FORM_FIELDS = 8
DEFAULT_DAYS = 30

router = APIRouter(prefix="/insights", tags=["insights"])
page_router = APIRouter(prefix="/console/insights", tags=["insights"], include_in_schema=False)
templates = page_templates(TEMPLATES)
InsightsStaff = Annotated[StaffUser, Depends(staff_with(views.INSIGHTS_ROLES))]


class LabelIn(BaseModel):
    """A reviewer's label: the debtor message and the intent it should have had."""

    turn_id: str
    intent: str


def _period(since: date | None, until: date | None) -> analytics.Period:
    """The requested period, by default the last 30 days."""
    default = analytics.Period.last_days(DEFAULT_DAYS, datetime.now(UTC).date())
    return analytics.Period(since or default.since, until or default.until)


def _filters(
    outcome: str | None = None,
    intent: str | None = None,
    distress: str | None = None,
    channel: str | None = None,
    since: date | None = None,
    until: date | None = None,
) -> review.Filters:
    """The review's filters from the query string (empty values ignored)."""
    return review.Filters(outcome or None, intent or None, distress or None, channel or None, since, until)


FiltersDep = Annotated[review.Filters, Depends(_filters)]


@router.get("/figures/{name}", response_model=None)
def figure(
    name: str,
    staff: InsightsStaff,
    session: SessionDep,
    since: date | None = None,
    until: date | None = None,
    format: str = "json",
) -> dict[str, Any] | Response:
    """One dashboard figure as JSON (or `?format=csv`)."""
    if name not in analytics.FIGURES:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such figure")
    period = _period(since, until)
    body = analytics.FIGURES[name](session, period)
    if format == "csv":
        headers = {"Content-Disposition": f'attachment; filename="{name}.csv"'}
        return Response(analytics.as_csv(body), media_type="text/csv", headers=headers)
    return {"figure": name, "since": period.since.isoformat(), "until": period.until.isoformat(), **body}


@router.get("/conversations")
def conversations(staff: InsightsStaff, session: SessionDep, filters: FiltersDep) -> list[dict[str, Any]]:
    """Reviewed conversations matching the filters, newest first."""
    return [views.conversation_out(row) for row in review.conversations(session, filters)]


@router.get("/conversations/{conversation_id}")
def conversation(conversation_id: str, staff: InsightsStaff, session: SessionDep) -> dict[str, Any]:
    """One conversation's turns."""
    found = review.conversation(session, conversation_id)
    if found is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such conversation")
    return views.detail_out(found)


@router.get("/gaps")
def gaps(staff: InsightsStaff, session: SessionDep) -> list[dict[str, Any]]:
    """Messages the bot did not understand, grouped, the commonest first."""
    return [views.gap_out(gap) for gap in review.gaps(session)]


@router.post("/labels", status_code=status.HTTP_201_CREATED)
def label(body: LabelIn, staff: InsightsStaff, session: SessionDep) -> dict[str, str]:
    """Label a debtor message with the right intent."""
    try:
        row = labels.label(session, body.turn_id, body.intent, staff.id)
    except NotLabellable as error:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(error)) from None
    return {"turn_id": row.turn_id, "intent": row.intent}


def security_headers() -> dict[str, str]:
    """The console's policy: our own stylesheet and scripts only (the charts), forms to ourselves."""
    policy = (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; "
        "frame-ancestors 'none'"
    )
    return {
        "Content-Security-Policy": f"{policy}; base-uri 'none'",
        "Cache-Control": "no-store",
        "Referrer-Policy": "same-origin",
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
    }


def _render(request: Request, template: str, staff: StaffUser, **context: Any) -> HTMLResponse:
    """A page of the section; Jinja2 autoescapes every value."""
    context |= {"who": f"{staff.email} ({staff.role})", "distress_levels": DISTRESS_LEVELS}
    return templates.TemplateResponse(request, template, context, headers=security_headers())


def _gate(request: Request, staff: StaffUser | None) -> StaffUser:
    """The user; else a redirect to sign-in, or a 403 page for a role without insights."""

    def forbidden(user: StaffUser) -> Response:
        return _render(request, "insights_forbidden.html", user, title="Not available")

    return staff_pages.gate(staff, views.INSIGHTS_ROLES, forbidden)


@page_router.get("", response_class=HTMLResponse)
def dashboard_page(
    request: Request,
    staff: PageStaff,
    session: SessionDep,
    since: date | None = None,
    until: date | None = None,
) -> Response:
    """The analytics dashboard."""
    user = _gate(request, staff)
    period = _period(since, until)
    figures = {name: compute(session, period) for name, compute in analytics.FIGURES.items()}
    context = {"period": period, "figures": figures, "charts": charts.charts(figures)}
    return _render(request, "insights_dashboard.html", user, title="Dashboard", **context)


@page_router.get("/assets/{name}")
def asset(name: str) -> FileResponse:
    """The dashboard's scripts: Chart.js from npm (`npm ci` in webchat/) and our dashboard.js."""
    path = charts.ASSETS.get(name)
    if path is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "not found")
    if not path.is_file():
        raise HTTPException(
            status.HTTP_503_SERVICE_UNAVAILABLE, "chart.js not installed: `npm ci` in webchat/"
        )
    headers = {"Cache-Control": "public, max-age=300", "X-Content-Type-Options": "nosniff"}
    return FileResponse(path, media_type="text/javascript", headers=headers)


@page_router.get("/conversations", response_class=HTMLResponse)
def conversations_page(
    request: Request, staff: PageStaff, session: SessionDep, filters: FiltersDep
) -> Response:
    """The review list with its filters."""
    user = _gate(request, staff)
    rows = [views.conversation_out(row) for row in review.conversations(session, filters)]
    context = {
        "filters": filters,
        "rows": rows,
        "outcomes": review.OUTCOMES,
        "intents": labels.domain_intents(),
    }
    return _render(request, "insights_conversations.html", user, title="Conversations", **context)


@page_router.get("/conversations/{conversation_id}", response_class=HTMLResponse)
def conversation_page(
    request: Request, conversation_id: str, staff: PageStaff, session: SessionDep
) -> Response:
    """One conversation's turns."""
    user = _gate(request, staff)
    found = review.conversation(session, conversation_id)
    if found is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such conversation")
    return _render(
        request, "insights_conversation.html", user, title="Conversation", c=views.detail_out(found)
    )


@page_router.get("/gaps", response_class=HTMLResponse)
def gaps_page(request: Request, staff: PageStaff, session: SessionDep, settings: SettingsDep) -> Response:
    """The gaps, the commonest first, each message with a label form."""
    user = _gate(request, staff)
    groups = [views.gap_out(gap) for gap in review.gaps(session)]
    token = staff_pages.form_token(settings, FORM_SECTION, user)
    context = {"groups": groups, "intents": labels.domain_intents(), "token": token}
    return _render(request, "insights_gaps.html", user, title="Gaps", **context)


@page_router.post("/labels")
def label_form(
    request: Request, body: BodyDep, staff: PageStaff, session: SessionDep, settings: SettingsDep
) -> Response:
    """The gaps page's label form; back to the gaps."""
    user = _gate(request, staff)
    form = staff_pages.form_fields(body, MAX_FORM_FIELDS)
    staff_pages.check_form_token(settings, FORM_SECTION, user, form)
    try:
        labels.label(session, form.get("turn_id", ""), form.get("intent", ""), user.id)
    except NotLabellable as error:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(error)) from None
    return RedirectResponse("/console/insights/gaps", status_code=status.HTTP_303_SEE_OTHER)
