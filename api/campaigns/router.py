"""Campaign routes for operations and marketing staff: create, list, show, pause, resume, stop, dry run,
report. Staff sign in as for the console (bearer session or cookie with the console's CSRF header)."""

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Response, status
from sqlalchemy.orm import Session

from api.campaigns import dry_runs, report, service, tasks
from api.campaigns.dependencies import CampaignStaff
from api.campaigns.exceptions import CampaignNotFoundError, CampaignStateError
from api.campaigns.models import Campaign, CampaignDryRun
from api.campaigns.schemas import (
    CampaignIn,
    CampaignOut,
    CampaignStatus,
    DryRunJobOut,
    DryRunStatus,
    ReportOut,
)
from api.core.dependencies import NowDep, SessionDep, SettingsDep
from api.staff import service as staff_service

router = APIRouter(prefix="/campaigns", tags=["campaigns"])


def _campaign(campaign_id: str, session: SessionDep) -> Campaign:
    try:
        return service.require(session, campaign_id)
    except CampaignNotFoundError:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="campaign not found") from None


CampaignDep = Annotated[Campaign, Depends(_campaign)]


@router.post("", status_code=status.HTTP_201_CREATED, response_model=CampaignOut)
def create_campaign(data: CampaignIn, session: SessionDep, staff: CampaignStaff) -> Campaign:
    """Create an active campaign; the planner picks it up from its start."""
    campaign = service.create(session, data, staff.id)
    staff_service.audit(session, staff, "campaign.create", data={"campaign_id": campaign.id})
    session.commit()
    return campaign


@router.get("", response_model=list[CampaignOut])
def list_campaigns(session: SessionDep, _staff: CampaignStaff) -> list[Campaign]:
    """Every campaign, newest first."""
    return service.list_campaigns(session)


@router.get("/{campaign_id}", response_model=CampaignOut)
def show_campaign(campaign: CampaignDep, _staff: CampaignStaff) -> Campaign:
    """One campaign with its steps."""
    return campaign


def _change(session: Session, campaign: Campaign, target: CampaignStatus, staff: CampaignStaff) -> Campaign:
    try:
        service.change_status(session, campaign, target)
    except CampaignStateError as error:
        raise HTTPException(status_code=status.HTTP_409_CONFLICT, detail=str(error)) from None
    staff_service.audit(session, staff, f"campaign.{target}", data={"campaign_id": campaign.id})
    session.commit()
    return campaign


@router.post("/{campaign_id}/pause", response_model=CampaignOut)
def pause_campaign(campaign: CampaignDep, session: SessionDep, staff: CampaignStaff) -> Campaign:
    """Stop planning and sending until resumed (planned sends wait; those due meanwhile are cancelled)."""
    return _change(session, campaign, CampaignStatus.PAUSED, staff)


@router.post("/{campaign_id}/resume", response_model=CampaignOut)
def resume_campaign(campaign: CampaignDep, session: SessionDep, staff: CampaignStaff) -> Campaign:
    """Plan and send again."""
    return _change(session, campaign, CampaignStatus.ACTIVE, staff)


@router.post("/{campaign_id}/stop", response_model=CampaignOut)
def stop_campaign(campaign: CampaignDep, session: SessionDep, staff: CampaignStaff) -> Campaign:
    """End the campaign for good: nothing more is planned or sent."""
    return _change(session, campaign, CampaignStatus.STOPPED, staff)


@router.post("/{campaign_id}/dry-run", response_model=DryRunJobOut, status_code=status.HTTP_202_ACCEPTED)
def dry_run_campaign(
    campaign: CampaignDep,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    staff: CampaignStaff,
    response: Response,
) -> CampaignDryRun:
    """Start a dry run: how many accounts the campaign would reach now, per channel, how many are
    suppressed and why; sends nothing. A small segment answers at once (200, with the result); a large
    one runs on the worker (202): poll GET .../dry-run/{id} for its progress and result."""
    job = tasks.start_dry_run(session, settings, campaign, staff.id, now)
    if job.status == DryRunStatus.DONE:
        response.status_code = status.HTTP_200_OK
    return job


@router.get("/{campaign_id}/dry-run/{job_id}", response_model=DryRunJobOut)
def dry_run_progress(
    campaign: CampaignDep, job_id: str, session: SessionDep, _staff: CampaignStaff
) -> CampaignDryRun:
    """A dry run's progress (accounts judged of the total), then its result."""
    job = dry_runs.get(session, campaign.id, job_id[:36])
    if job is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="dry run not found")
    return job


@router.get("/{campaign_id}/report", response_model=ReportOut)
def campaign_report(campaign: CampaignDep, session: SessionDep, _staff: CampaignStaff) -> ReportOut:
    """Targeted, suppressed by reason, sent, delivered, replied, converted, opted out."""
    return report.build(session, campaign)
