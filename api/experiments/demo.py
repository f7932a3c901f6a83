"""A demo experiment over the demo conversations (api.insights.demo): the payment link's wording, stopped,
with its exposures, so the experiment pages of a fresh `make run` have results to show."""

from datetime import datetime, timedelta
from typing import Final

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.experiments import service
from api.experiments.models import Experiment
from api.insights.models import ReviewConversation
from api.responses import service as responses
from api.responses.rendering import Variation

RESPONSE: Final = "utter_payment_link"
VARIANT_TEXT: Final = (
    "It takes two minutes: pay securely here: {url} (the link works for 24 hours). "
    "Please never type card numbers into this chat."
)


def variant_of(control: list[Variation]) -> list[Variation]:
    """The control's variations with the unconditioned one reworded (the distress-aware ones kept)."""
    return [v if v.get("condition") else {**v, "text": VARIANT_TEXT} for v in control]


def seed_demo(session: Session, senders: list[str], now: datetime) -> Experiment | None:
    """A stopped experiment with the demo conversations that got a payment link exposed (commits); None
    when experiments exist, or without the response or demo conversations."""
    control = responses.live_variations(session, RESPONSE)
    if not senders or control is None or session.scalar(select(func.count()).select_from(Experiment)):
        return None
    experiment = service.create(
        session, RESPONSE, [(50, control), (50, variant_of(control))], "payment_made", 50
    )
    experiment.status, experiment.started_at, experiment.stopped_at = "stopped", now - timedelta(30), now
    linked = select(ReviewConversation.sender_id).where(
        ReviewConversation.sender_id.in_(senders), ReviewConversation.link_sent.is_(True)
    )
    for sender in session.scalars(linked).all():
        service.assign(session, experiment, sender)
    session.commit()
    return experiment
