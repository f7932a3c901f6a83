"""The console's campaign section (/console/campaigns) for operations, marketing and admins; agents get 403.

Server-rendered (Jinja2, autoescaped), no script, our own stylesheet only. The create form is validated
by the API's CampaignIn; pause, resume and stop are plain POST forms carrying the section's form token
(api.staff.pages.form_token), since a plain form cannot send the console's CSRF header. Counts only, no
debtor.
"""

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from api.campaigns import dry_runs, forms, pages, report, service, tasks, templates
from api.campaigns.dependencies import CAMPAIGN_ROLES
from api.campaigns.exceptions import CampaignStateError
from api.campaigns.models import Campaign
from api.campaigns.schemas import DryRunOut
from api.core.config import Settings
from api.core.dependencies import BodyDep, NowDep, SessionDep, SettingsDep
from api.core.templating import page_templates
from api.staff import pages as staff_pages
from api.staff import service as staff_service
from api.staff.dependencies import PageStaff
from api.staff.models import StaffUser

HTML = Path(__file__).resolve().parent / "html"
SECTION = "/console/campaigns"
MAX_FORM_FIELDS = 64
REFRESH_SECONDS = 3
"""How often a dry run's page reloads while the worker is at it (a meta refresh: the pages have no script)."""
FORM_SECTION = "console-campaigns"
"""What the section's form token is bound to, with the user (api.staff.pages.form_token)."""

router = APIRouter(prefix=SECTION, tags=["campaigns"], include_in_schema=False)
jinja = page_templates(HTML)


def security_headers() -> dict[str, str]:
    """Our own stylesheet, no script at all, forms to ourselves; no framing, no caching."""
    policy = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'"
    return {
        "Content-Security-Policy": f"{policy}; frame-ancestors 'none'; base-uri 'none'",
        "Cache-Control": "no-store",
        "Referrer-Policy": "same-origin",
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
    }


def _render(request: Request, template: str, staff: StaffUser, **context: Any) -> HTMLResponse:
    """A page of the section; Jinja2 autoescapes every value."""
    context["who"] = f"{staff.email} ({staff.role})"
    return jinja.TemplateResponse(request, template, context, headers=security_headers())


def _gate(request: Request, staff: StaffUser | None) -> StaffUser:
    """The user; else a redirect to sign-in, or a 403 page for agents."""

    def forbidden(user: StaffUser) -> Response:
        return _render(request, "campaigns_forbidden.html", user, title="Not available")

    return staff_pages.gate(staff, CAMPAIGN_ROLES, forbidden)


def _form(body: bytes) -> dict[str, str]:
    return staff_pages.form_fields(body, MAX_FORM_FIELDS)


def _check_token(settings: Settings, staff: StaffUser, form: dict[str, str]) -> None:
    staff_pages.check_form_token(settings, FORM_SECTION, staff, form)


def _poster(request: Request, body: bytes, staff: StaffUser | None, settings: Settings) -> StaffUser:
    """The user behind a button's POST (`_gate`), its form token checked (403 without it)."""
    user = _gate(request, staff)
    _check_token(settings, user, _form(body))
    return user


def _token(settings: Settings, staff: StaffUser) -> str:
    return staff_pages.form_token(settings, FORM_SECTION, staff)


def _list_page(
    request: Request, session: Session, settings: Settings, staff: StaffUser, result: forms.FormResult
) -> HTMLResponse:
    """The list of campaigns and the create form (with its values and errors)."""
    return _render(
        request,
        "campaigns_list.html",
        staff,
        title="Campaigns",
        campaigns=service.list_campaigns(session),
        values=result.values,
        errors=result.errors,
        token=_token(settings, staff),
        responses=list(templates.REMINDERS),
        channels=[channel.value for channel in forms.FORM_CHANNELS],
        consent_channels=[channel.value for channel in forms.CONSENT_CHANNELS],
        bands=forms.PAST_DUE_BANDS,
        step_rows=range(forms.STEP_ROWS),
    )


@router.get("", response_class=HTMLResponse)
def campaigns_page(
    request: Request, staff: PageStaff, session: SessionDep, settings: SettingsDep, now: NowDep
) -> Response:
    """Every campaign, newest first, and the form to create one."""
    user = _gate(request, staff)
    return _list_page(request, session, settings, user, forms.FormResult(forms.defaults(now)))


@router.post("", response_class=HTMLResponse)
def create_campaign(
    request: Request, body: BodyDep, staff: PageStaff, session: SessionDep, settings: SettingsDep
) -> Response:
    """Create a campaign from the form; invalid fields come back with their errors (422)."""
    user = _gate(request, staff)
    form = _form(body)
    _check_token(settings, user, form)
    result = forms.parse(form)
    if result.campaign is None:
        page = _list_page(request, session, settings, user, result)
        page.status_code = status.HTTP_422_UNPROCESSABLE_CONTENT
        return page
    campaign = service.create(session, result.campaign, user.id)
    staff_service.audit(session, user, "campaign.create", data={"campaign_id": campaign.id})
    session.commit()
    return RedirectResponse(f"{SECTION}/{campaign.id}", status_code=status.HTTP_303_SEE_OTHER)


def _campaign_or_404(session: Session, campaign_id: str) -> Campaign:
    campaign = service.get(session, campaign_id[:36])
    if campaign is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "campaign not found")
    return campaign


def _dry_run(session: Session, campaign: Campaign, job_id: str) -> dict[str, Any]:
    """The dry run's progress, or its figures and reasons in words per channel once done."""
    job = dry_runs.get(session, campaign.id, job_id[:36])
    if job is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "dry run not found")
    result = DryRunOut.model_validate(job.result) if job.result is not None else None
    step = next((step for step in campaign.steps if result and step.id == result.step_id), None)
    return {
        "refresh_seconds": REFRESH_SECONDS if job.status in pages.DRY_RUN_PENDING else None,
        "dry_run_job": job,
        "dry_run": result,
        "dry_run_day": step.day_offset if step else None,
        "dry_run_channels": pages.dry_run_channels(result) if result else [],
    }


def _campaign_page(
    request: Request,
    session: Session,
    settings: Settings,
    staff: StaffUser,
    campaign: Campaign,
    trial: dict[str, Any] | None = None,
    problem: str = "",
) -> HTMLResponse:
    """A campaign's definition, report, the buttons its status allows, and the dry run when asked for."""
    figures = report.build(session, campaign)
    return _render(
        request,
        "campaigns_show.html",
        staff,
        title=campaign.name,
        campaign=campaign,
        rules=pages.segment_rules(campaign),
        report_rows=pages.report_rows(figures),
        report_reasons=pages.reasons(figures.suppressed_by_reason),
        channel_rows=pages.channel_report_rows(figures),
        actions=pages.actions_for(campaign.status),
        token=_token(settings, staff),
        problem=problem,
        **(trial or {"dry_run": None, "dry_run_job": None}),
    )


@router.get("/{campaign_id}", response_class=HTMLResponse)
def campaign_page(
    request: Request,
    campaign_id: str,
    staff: PageStaff,
    session: SessionDep,
    settings: SettingsDep,
    dry_run_id: Annotated[str | None, Query(alias="dry_run", max_length=36)] = None,
) -> Response:
    """One campaign; `?dry_run=<id>` adds that dry run: its progress while the worker judges the segment
    (the page reloads itself every few seconds, without script), then its figures."""
    user = _gate(request, staff)
    campaign = _campaign_or_404(session, campaign_id)
    trial = _dry_run(session, campaign, dry_run_id) if dry_run_id else None
    return _campaign_page(request, session, settings, user, campaign, trial)


@router.post("/{campaign_id}/dry-run", response_class=HTMLResponse)
def start_dry_run(
    request: Request,
    body: BodyDep,
    campaign_id: str,
    staff: PageStaff,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
) -> Response:
    """Start a dry run (judged at once for a small segment, else on the worker) and show its page."""
    user = _poster(request, body, staff, settings)
    campaign = _campaign_or_404(session, campaign_id)
    job = tasks.start_dry_run(session, settings, campaign, user.id, now)
    target = f"{SECTION}/{campaign.id}?dry_run={job.id}#dry-run"
    return RedirectResponse(target, status_code=status.HTTP_303_SEE_OTHER)


@router.post("/{campaign_id}/{action}", response_class=HTMLResponse)
def change_campaign(
    request: Request,
    body: BodyDep,
    campaign_id: str,
    action: str,
    staff: PageStaff,
    session: SessionDep,
    settings: SettingsDep,
) -> Response:
    """Pause, resume or stop; back to the campaign's page (409 with the reason when it does not fit)."""
    user = _poster(request, body, staff, settings)
    if action not in pages.ACTIONS:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such action")
    campaign = _campaign_or_404(session, campaign_id)
    try:
        service.change_status(session, campaign, pages.ACTIONS[action])
    except CampaignStateError as error:
        page = _campaign_page(request, session, settings, user, campaign, problem=str(error))
        page.status_code = status.HTTP_409_CONFLICT
        return page
    staff_service.audit(session, user, f"campaign.{pages.ACTIONS[action]}", data={"campaign_id": campaign.id})
    session.commit()
    return RedirectResponse(f"{SECTION}/{campaign.id}", status_code=status.HTTP_303_SEE_OTHER)
