"""A campaign's dry run: whom its current (or first) step would reach if it were sent now, and why not.

Each account of the segment goes through the outbox's preview: the same message, with the disclosures
and opt-out notice the outbox would add, judged by the compliance gate's own rules (opted out, outside
contact hours, inconvenient times, frequency cap, collection stopped by an attorney, bankruptcy, death or
a cease request, a dispute pending validation, time-barred wording and disclosures). Nothing is written.
"""

from collections import Counter
from datetime import datetime

from sqlalchemy.orm import Session

from api.campaigns import segments, service, templates
from api.campaigns.models import Campaign, CampaignStep
from api.campaigns.schemas import DryRunOut
from api.compliance import gate as compliance
from api.conversations import service as conversations
from api.conversations.models import Contact
from api.core.config import Settings
from api.messaging import outbox
from shared.vocabulary import Kind


def step_to_try(campaign: Campaign, now: datetime) -> CampaignStep:
    """The step due now, or the first one before the campaign starts."""
    return service.current_step(campaign, now) or campaign.steps[0]


def _contact(session: Session, secret: str, channel: str, phone: str) -> Contact:
    """The debtor's contact, or the one the send would create (never stored here)."""
    contact = conversations.find_by_address(session, channel, phone)
    if contact is not None:
        return contact
    conversation = conversations.conversation_id(secret, channel, phone)
    return Contact(channel=channel, address=phone, conversation_id=conversation, opted_out=False)


def run(
    session: Session, settings: Settings, campaign: Campaign, now: datetime, config: compliance.GateConfig
) -> DryRunOut:
    """Judge the step's message for every account of the segment, as if it were queued now."""
    step = step_to_try(campaign, now)
    channel, response = next(iter(step.messages.items()))
    text, secret = templates.render(response, settings), settings.SECRET_KEY.get_secret_value()
    # Opted-out debtors are counted as suppressed (and why) rather than left out of the segment.
    segment = service.segment_of(campaign).model_copy(update={"consent_channel": None})
    rows = session.execute(segments.query(segment, now.date())).all()
    reasons: Counter[str] = Counter()
    suppressed = 0
    for row in rows:
        contact = _contact(session, secret, channel, row.phone)
        new = outbox.NewMessage(contact, text, Kind.REMINDER, account_id=row.id)
        decision = outbox.preview(session, new, now, config)
        suppressed += 0 if decision.allowed else 1
        reasons.update(decision.reasons)
    evaluated = len(rows)
    return DryRunOut(
        step_id=step.id,
        channel=channel,
        evaluated=evaluated,
        reachable=evaluated - suppressed,
        suppressed=suppressed,
        reasons=dict(reasons),
    )
