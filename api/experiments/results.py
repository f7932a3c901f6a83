"""Results per variant from api.insights' conversation outcomes (joined by conversation id)."""

from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session

from api.experiments import service, stats
from api.experiments.models import Experiment
from api.insights.models import ReviewConversation

OUTCOMES: Final[dict[str, InstrumentedAttribute[bool]]] = {
    "verified": ReviewConversation.verified,
    "balance_seen": ReviewConversation.balance_seen,
    "payment_link_sent": ReviewConversation.link_sent,
    "plan_created": ReviewConversation.plan_made,
    "promise_made": ReviewConversation.promise_made,
    "opt_out": ReviewConversation.opted_out,
    "handoff": ReviewConversation.handoff,
}
"""Outcomes insights records per conversation (payment made, satisfaction: not recorded there yet)."""


def _conversions(session: Session, conversation_ids: list[str], outcome: str) -> int:
    """How many of the conversations reached `outcome` according to insights."""
    query = select(ReviewConversation.sender_id).where(
        ReviewConversation.sender_id.in_(conversation_ids), OUTCOMES[outcome].is_(True)
    )
    return len(list(session.scalars(query))) if conversation_ids else 0


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
        }
        for index, (variant, ids) in enumerate(rows)
    ]
    counts = [len(ids) for _, ids in rows]
    verdict = stats.verdict(counts, experiment.minimum_sample, differences)
    return {"id": experiment.id, "status": experiment.status, "verdict": verdict, "variants": variants}
