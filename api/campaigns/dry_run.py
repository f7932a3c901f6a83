"""A campaign's dry run: whom its current (or first) step would reach if it were sent now, and why not,
on each channel the step sends on.

Each account of the segment goes through the outbox's preview once per channel: the same message, with
the disclosures and opt-out notice the outbox would add, judged by the compliance gate's own rules (opted
out, an email address that bounced, outside contact hours, inconvenient times, frequency cap, collection
stopped by an attorney, bankruptcy, death or a cease request, a dispute pending validation, time-barred
wording and disclosures). An email step also needs an address on file. Nothing is written here; a large
segment runs on the worker (api.campaigns.dry_runs), which reports progress through `progress`.
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.campaigns import planner, segments, service, templates
from api.campaigns.models import Campaign, CampaignStep
from api.campaigns.schemas import ChannelDryRunOut, DryRunOut
from api.compliance import gate as compliance
from api.conversations import service as conversations
from api.conversations.models import Contact
from api.core.config import Settings
from api.messaging import outbox
from shared.vocabulary import Channel, Kind

NO_EMAIL_ADDRESS = "no_email_address"
"""The dry run's own reason for an email step: the debtor gave no address (the planner skips them)."""
PROGRESS_EVERY = 500
"""Accounts between two progress reports."""

Progress = Callable[[int], None]
"""Told how many accounts have been judged so far."""


@dataclass
class Tally:
    """One channel's counts."""

    evaluated: int = 0
    suppressed: int = 0
    reasons: Counter[str] = field(default_factory=Counter)

    def add(self, reasons: tuple[str, ...]) -> None:
        """One account's verdict: allowed when no reason."""
        self.evaluated += 1
        self.suppressed += 1 if reasons else 0
        self.reasons.update(reasons)

    def out(self) -> ChannelDryRunOut:
        """The channel's figures."""
        reachable = self.evaluated - self.suppressed
        return ChannelDryRunOut(
            evaluated=self.evaluated,
            reachable=reachable,
            suppressed=self.suppressed,
            reasons=dict(self.reasons),
        )


def step_to_try(campaign: Campaign, now: datetime) -> CampaignStep:
    """The step due now, or the first one before the campaign starts."""
    return service.current_step(campaign, now) or campaign.steps[0]


def _address(row: planner.SegmentRow, channel: str) -> str:
    return conversations.email_address(row.email or "") if channel == Channel.EMAIL else row.phone


def _contact(session: Session, secret: str, channel: str, address: str) -> Contact:
    """The debtor's contact, or the one the send would create (never stored here)."""
    contact = conversations.find_by_address(session, channel, address)
    if contact is not None:
        return contact
    conversation = conversations.conversation_id(secret, channel, address)
    return Contact(channel=channel, address=address, conversation_id=conversation, opted_out=False)


@dataclass(frozen=True)
class Trial:
    """What every judgement of one dry run shares."""

    session: Session
    secret: str
    now: datetime
    config: compliance.GateConfig
    reminders: dict[str, templates.Reminder]

    def judge(self, row: planner.SegmentRow, channel: str) -> tuple[str, ...]:
        """Why the account's message on `channel` would not go now (empty: it would)."""
        if not planner.reachable(row, channel):
            return (NO_EMAIL_ADDRESS,)
        contact = _contact(self.session, self.secret, channel, _address(row, channel))
        reminder = self.reminders[channel]
        new = outbox.NewMessage(
            contact, reminder.text, Kind.REMINDER, account_id=row.id, subject=reminder.subject
        )
        return outbox.preview(self.session, new, self.now, self.config).reasons


def _segment_query(campaign: Campaign, now: datetime) -> segments.SegmentQuery:
    """Every account of the segment: opted-out debtors are counted as suppressed (and why) rather than
    left out of it."""
    segment = service.segment_of(campaign).model_copy(update={"consent_channel": None})
    return segments.query(segment, now.date())


def count(session: Session, campaign: Campaign, now: datetime) -> int:
    """How many accounts the dry run will judge."""
    query = _segment_query(campaign, now)
    return int(session.scalar(select(func.count()).select_from(query.subquery())) or 0)


def _trial(
    session: Session, settings: Settings, step: CampaignStep, now: datetime, config: compliance.GateConfig
) -> Trial:
    """The step's reminder on each of its channels, rendered once."""
    messages = step.messages.items()
    reminders = {channel: templates.render(session, name, channel, settings) for channel, name in messages}
    return Trial(session, settings.SECRET_KEY.get_secret_value(), now, config, reminders)


def run(
    session: Session,
    settings: Settings,
    campaign: Campaign,
    now: datetime,
    config: compliance.GateConfig,
    progress: Progress | None = None,
    every: int = PROGRESS_EVERY,
) -> DryRunOut:
    """Judge the step's message on each of its channels for every account of the segment, as if queued now."""
    step = step_to_try(campaign, now)
    trial = _trial(session, settings, step, now, config)
    rows = session.execute(_segment_query(campaign, now)).all()
    tallies = {channel: Tally() for channel in step.messages}
    for index, row in enumerate(rows, start=1):
        for channel, tally in tallies.items():
            tally.add(trial.judge(row, channel))
        if progress is not None and index % every == 0:
            progress(index)
    channels = {channel: tally.out() for channel, tally in tallies.items()}
    return DryRunOut(step_id=step.id, evaluated=len(rows), channels=channels)
