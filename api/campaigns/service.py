"""Campaigns as operations define them: create, list, show, pause, resume, stop; which step is due."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from api.campaigns.exceptions import CampaignNotFoundError, CampaignStateError
from api.campaigns.models import Campaign, CampaignStep
from api.campaigns.schemas import CampaignIn, CampaignStatus, Segment

TRANSITIONS = {
    CampaignStatus.PAUSED: frozenset({CampaignStatus.ACTIVE}),
    CampaignStatus.ACTIVE: frozenset({CampaignStatus.PAUSED}),
    CampaignStatus.STOPPED: frozenset({CampaignStatus.ACTIVE, CampaignStatus.PAUSED}),
}
"""Target status -> the statuses it may be reached from."""


def create(session: Session, data: CampaignIn, created_by: str | None) -> Campaign:
    """Store a new, active campaign (caller commits)."""
    campaign = Campaign(
        name=data.name,
        segment=data.segment.model_dump(mode="json"),
        window_start_hour=data.window_start_hour,
        window_end_hour=data.window_end_hour,
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        status=CampaignStatus.ACTIVE,
        created_by=created_by,
    )
    campaign.steps = [
        CampaignStep(day_offset=step.day_offset, messages={str(k): v for k, v in step.messages.items()})
        for step in data.steps
    ]
    session.add(campaign)
    session.flush()
    return campaign


def list_campaigns(session: Session) -> list[Campaign]:
    """Every campaign, newest first."""
    query = select(Campaign).options(selectinload(Campaign.steps)).order_by(Campaign.created_at.desc())
    return list(session.scalars(query))


def get(session: Session, campaign_id: str) -> Campaign | None:
    """The campaign with this id."""
    return session.get(Campaign, campaign_id)


def require(session: Session, campaign_id: str) -> Campaign:
    """The campaign with this id, or CampaignNotFoundError."""
    campaign = get(session, campaign_id)
    if campaign is None:
        raise CampaignNotFoundError(campaign_id)
    return campaign


def change_status(session: Session, campaign: Campaign, status: CampaignStatus) -> Campaign:
    """Pause, resume or stop (caller commits); CampaignStateError when it does not fit."""
    if campaign.status not in TRANSITIONS[status]:
        raise CampaignStateError(f"a {campaign.status} campaign cannot become {status}")
    campaign.status = status
    return campaign


def segment_of(campaign: Campaign) -> Segment:
    """The campaign's stored rules."""
    return Segment.model_validate(campaign.segment)


def running(campaign: Campaign, now: datetime) -> bool:
    """Active and between its start and end."""
    return campaign.status == CampaignStatus.ACTIVE and campaign.starts_at <= now < campaign.ends_at


def current_step(campaign: Campaign, now: datetime) -> CampaignStep | None:
    """The latest step whose day has come: an account that joins late gets that one, not every past one."""
    elapsed_days = (now - campaign.starts_at).days
    due = [step for step in campaign.steps if step.day_offset <= elapsed_days]
    return max(due, key=lambda step: step.day_offset) if due else None


def running_campaigns(session: Session, now: datetime) -> list[Campaign]:
    """Campaigns the planner works on now."""
    query = (
        select(Campaign)
        .options(selectinload(Campaign.steps))
        .where(Campaign.status == CampaignStatus.ACTIVE, Campaign.starts_at <= now, Campaign.ends_at > now)
    )
    return list(session.scalars(query))
