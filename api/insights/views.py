"""What staff may see of a reviewed conversation: explicit fields only, never a sender id or an account."""

from typing import Any

from api.insights.models import ReviewConversation, ReviewTurn
from api.insights.outcomes import DISTRESS_LEVELS
from api.insights.review import Gap, outcomes_of
from api.staff.service import Role

INSIGHTS_ROLES = frozenset({Role.MARKETING, Role.SUPERVISOR, Role.ADMIN})
"""Who reads the review and the dashboard; agents work the queue instead."""


def conversation_out(conversation: ReviewConversation) -> dict[str, Any]:
    """A list line: when, where, how far, how distressed."""
    return {
        "id": conversation.id,
        "channel": conversation.channel,
        "started_at": conversation.started_at.isoformat(),
        "last_event_at": conversation.last_event_at.isoformat(),
        "debtor_turns": conversation.debtor_turns,
        "outcomes": outcomes_of(conversation),
        "distress_max": DISTRESS_LEVELS[conversation.distress_max],
    }


def turn_out(turn: ReviewTurn) -> dict[str, Any]:
    """A turn as stored: the debtor's text already redacted and withheld at ingest."""
    return {
        "id": turn.id,
        "at": turn.at.isoformat(),
        "sender": turn.sender,
        "text": turn.text,
        "withheld": turn.withheld,
        "intent": turn.intent,
        "confidence": turn.confidence,
        "gap": turn.gap,
        "distress_level": turn.distress_level,
        "response": turn.response,
    }


def detail_out(conversation: ReviewConversation) -> dict[str, Any]:
    """One conversation and its turns."""
    return {**conversation_out(conversation), "turns": [turn_out(turn) for turn in conversation.turns]}


def gap_out(gap: Gap) -> dict[str, Any]:
    """A group of misunderstood messages, its size, an example and NLU's best guesses."""
    return {
        "count": len(gap.turns),
        "example": gap.example,
        "guesses": dict(gap.guesses.most_common(3)),
        "suggested": gap.guesses.most_common(1)[0][0],
        "messages": [{"turn_id": turn.id, "text": turn.text} for turn in gap.turns[:20]],
    }
