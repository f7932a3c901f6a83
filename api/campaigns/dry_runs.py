"""Dry runs off the request: a job row the worker fills in (progress every few hundred accounts, then the
result), which the API and the console poll. A small segment runs the same job in the request itself
(CAMPAIGN_DRY_RUN_INLINE_MAX), so both take one path: `create`, then `execute`.
"""

import logging
from datetime import datetime

from sqlalchemy.orm import Session

from api.campaigns import dry_run
from api.campaigns.models import Campaign, CampaignDryRun
from api.campaigns.schemas import DryRunStatus
from api.compliance import gate as compliance
from api.core.config import Settings

logger = logging.getLogger(__name__)


def create(session: Session, campaign: Campaign, staff_id: str | None, now: datetime) -> CampaignDryRun:
    """A queued dry run of the campaign, its accounts counted (caller commits)."""
    job = CampaignDryRun(
        campaign_id=campaign.id,
        status=DryRunStatus.QUEUED,
        total=dry_run.count(session, campaign, now),
        evaluated=0,
        created_by=staff_id,
        created_at=now,
    )
    session.add(job)
    session.flush()
    return job


def inline(settings: Settings, job: CampaignDryRun) -> bool:
    """Whether the job is small enough to run in the request."""
    return (job.total or 0) <= settings.CAMPAIGN_DRY_RUN_INLINE_MAX


def get(session: Session, campaign_id: str, job_id: str) -> CampaignDryRun | None:
    """The campaign's dry run with this id."""
    job = session.get(CampaignDryRun, job_id, populate_existing=True)
    return job if job is not None and job.campaign_id == campaign_id else None


def _progress(session: Session, job: CampaignDryRun) -> dry_run.Progress:
    def report(evaluated: int) -> None:
        job.evaluated = evaluated
        session.commit()

    return report


def _fail(session: Session, job: CampaignDryRun, error: Exception, now: datetime) -> None:
    session.rollback()
    job.status, job.error, job.finished_at = DryRunStatus.FAILED, type(error).__name__[:64], now
    session.commit()
    logger.error("campaign dry run failed", extra={"job_id": job.id, "error": job.error})


def execute(
    session: Session, settings: Settings, job_id: str, now: datetime, config: compliance.GateConfig
) -> CampaignDryRun | None:
    """Run the job (again, if a worker died running it; never once done); commits as it goes."""
    job = session.get(CampaignDryRun, job_id, populate_existing=True)
    campaign = session.get(Campaign, job.campaign_id) if job is not None else None
    if job is None or campaign is None or job.status == DryRunStatus.DONE:
        return job
    job.status = DryRunStatus.RUNNING
    session.commit()
    try:
        result = dry_run.run(session, settings, campaign, now, config, _progress(session, job))
    except Exception as error:  # the job must say it failed rather than run forever
        _fail(session, job, error, now)
        raise
    job.status, job.result, job.finished_at = DryRunStatus.DONE, result.model_dump(mode="json"), now
    job.evaluated = job.total = result.evaluated
    session.commit()
    return job
