"""Forgetting review conversations: retention (RETENTION_CONVERSATION_DAYS) and erasure (api.privacy).

Deleting a conversation deletes its turns and their labels (ON DELETE CASCADE).
"""

from datetime import datetime

from sqlalchemy import delete, or_
from sqlalchemy.orm import Session

from api.insights.models import ReviewConversation


def forget_old(session: Session, cutoff: datetime) -> int:
    """Delete review conversations silent since before the cutoff; how many."""
    result = session.execute(delete(ReviewConversation).where(ReviewConversation.last_event_at < cutoff))
    return int(getattr(result, "rowcount", 0) or 0)


def forget(session: Session, account_ids: list[str], sender_ids: list[str]) -> int:
    """Delete the review conversations of these accounts or Rasa senders (not committed); how many."""
    C = ReviewConversation
    mine = or_(C.account_id.in_(account_ids), C.sender_id.in_(sender_ids))
    result = session.execute(delete(C).where(mine))
    return int(getattr(result, "rowcount", 0) or 0)
