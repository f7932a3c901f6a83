"""Results per variant from api.insights' conversation outcomes (joined by conversation id)."""

from typing import Any, Final

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from api.experiments import service, stats
from api.experiments.models import Experiment
from api.insights.models import ReviewConversation

C = ReviewConversation
OUTCOMES: Final[dict[str, ColumnElement[bool]]] = {
    "verified": C.verified.is_(True),
    "balance_seen": C.balance_seen.is_(True),
    "payment_link_sent": C.link_sent.is_(True),
    "payment_link_opened": C.link_opened.is_(True),
    "payment_made": C.paid.is_(True),
    "plan_created": C.plan_made.is_(True),
    "promise_made": C.promise_made.is_(True),
    "opt_out": C.opted_out.is_(True),
    "handoff": C.handoff.is_(True),
    "satisfaction_answered": C.satisfaction.is_not(None),
}
"""The outcomes insights records per conversation, as the condition a conversation that reached it meets."""


def _conversions(session: Session, conversation_ids: list[str], outcome: str) -> int:
    """How many of the conversations reached `outcome` according to insights."""
    query = select(C.sender_id).where(C.sender_id.in_(conversation_ids), OUTCOMES[outcome])
    return len(list(session.scalars(query))) if conversation_ids else 0


def satisfaction(session: Session, conversation_ids: list[str]) -> dict[str, float | int]:
    """The survey answers of these conversations: how many, the mean score and its 95 % interval."""
    query = select(C.satisfaction).where(C.sender_id.in_(conversation_ids), C.satisfaction.is_not(None))
    scores = [score for score in session.scalars(query) if score is not None] if conversation_ids else []
    interval = stats.mean_interval(scores)
    return {"answers": len(scores), "mean": interval.estimate, "low": interval.low, "high": interval.high}


def _interval(interval: stats.Interval) -> dict[str, float]:
    return {"rate": interval.estimate, "low": interval.low, "high": interval.high}


def results(session: Session, experiment: Experiment) -> dict[str, Any]:
    """Exposures, Wilson intervals, differences to control, and the verdict (no identities)."""
    exposed = service.exposures(session, experiment)
    rows = [(v, exposed[v.id]) for v in service.variants(session, experiment)]
    table = {o: [stats.wilson(_conversions(session, ids, o), len(ids)) for _, ids in rows] for o in OUTCOMES}
    primary = table[experiment.primary_outcome]
    differences = [stats.difference(i, primary[0]) for i in primary[1:]]
    variants = [
        {
            "position": variant.position,
            "share": variant.share,
            "exposures": len(ids),
            "outcomes": {o: _interval(table[o][index]) for o in OUTCOMES},
            "difference": _interval(differences[index - 1]) if index else None,
            "satisfaction": satisfaction(session, ids),
        }
        for index, (variant, ids) in enumerate(rows)
    ]
    counts = [len(ids) for _, ids in rows]
    verdict = stats.verdict(counts, experiment.minimum_sample, differences)
    return {"id": experiment.id, "status": experiment.status, "verdict": verdict, "variants": variants}
