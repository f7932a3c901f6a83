"""The conversation review: conversations filtered by outcome, intent, distress, channel and date; one
conversation's turns; the gaps (messages the bot did not understand) grouped so the commonest show first.
"""

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Final

from sqlalchemy import Select, exists, select
from sqlalchemy.orm import Session

from api.insights.models import IntentLabel, ReviewConversation, ReviewTurn
from api.insights.outcomes import DISTRESS_LEVELS
from shared.identity import IDENTITY_WITHHELD

OUTCOMES: Final = (
    "fallback",
    "handoff",
    "opted_out",
    "verified",
    "balance_seen",
    "offered",
    "plan_made",
    "promise_made",
    "link_sent",
    "abandoned",
)
PAGE_SIZE: Final = 100
GAP_LIMIT: Final = 2000
_STOPWORDS: Final = frozenset(
    {
        "a",
        "an",
        "the",
        "i",
        "im",
        "i'm",
        "me",
        "my",
        "you",
        "your",
        "to",
        "of",
        "and",
        "or",
        "is",
        "it",
        "it's",
        "this",
        "that",
        "for",
        "on",
        "in",
        "at",
        "be",
        "do",
        "can",
        "what",
    }
)
_WORD = re.compile(r"[a-z']+|\d+")


@dataclass(frozen=True)
class Filters:
    """What a reviewer narrows the list by; every field optional."""

    outcome: str | None = None
    intent: str | None = None
    distress: str | None = None
    channel: str | None = None
    since: date | None = None
    until: date | None = None


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, UTC)


def _filtered(
    query: Select[tuple[ReviewConversation]], filters: Filters
) -> Select[tuple[ReviewConversation]]:
    """The query narrowed by each filter given."""
    C = ReviewConversation
    if filters.outcome in OUTCOMES:
        query = query.where(getattr(C, str(filters.outcome)).is_(True))
    if filters.intent:
        has_intent = (ReviewTurn.conversation_id == C.id) & (ReviewTurn.intent == filters.intent)
        query = query.where(exists().where(has_intent))
    if filters.distress in DISTRESS_LEVELS:
        query = query.where(C.distress_max >= DISTRESS_LEVELS.index(str(filters.distress)))
    if filters.channel:
        query = query.where(C.channel == filters.channel)
    if filters.since:
        query = query.where(C.started_at >= _day_start(filters.since))
    if filters.until:
        query = query.where(C.started_at < _day_start(filters.until + timedelta(days=1)))
    return query


def conversations(session: Session, filters: Filters, limit: int = PAGE_SIZE) -> list[ReviewConversation]:
    """Matching conversations, newest first."""
    query = _filtered(select(ReviewConversation), filters)
    return list(session.scalars(query.order_by(ReviewConversation.started_at.desc()).limit(limit)))


def conversation(session: Session, conversation_id: str) -> ReviewConversation | None:
    """One conversation with its turns, by the review's own id."""
    return session.get(ReviewConversation, conversation_id)


def outcomes_of(conversation: ReviewConversation) -> list[str]:
    """The outcomes a conversation reached, in OUTCOMES order."""
    return [name for name in OUTCOMES if getattr(conversation, name)]


def tokens(text: str) -> frozenset[str]:
    """The words that carry meaning: lower case without apostrophes, numbers as #, stop words dropped."""
    plain = text.lower().replace("'", "").replace("\u2019", "")
    words = (word if not word.isdigit() else "#" for word in _WORD.findall(plain))
    return frozenset(word for word in words if word not in _STOPWORDS)


def similar(left: frozenset[str], right: frozenset[str], threshold: float = 0.5) -> bool:
    """Jaccard similarity of two token sets at least `threshold` (both empty: similar)."""
    union = left | right
    return not union or len(left & right) / len(union) >= threshold


@dataclass
class Gap:
    """Messages the bot did not understand that say much the same thing."""

    tokens: frozenset[str]
    turns: list[ReviewTurn] = field(default_factory=list)
    guesses: Counter[str] = field(default_factory=Counter)

    @property
    def example(self) -> str:
        """The group's most common wording."""
        return Counter(turn.text for turn in self.turns).most_common(1)[0][0]


def _gap_turns(session: Session) -> list[ReviewTurn]:
    """Unlabelled gap turns a reviewer may read (identity answers are never shown)."""
    labelled = exists().where(IntentLabel.turn_id == ReviewTurn.id)
    query = select(ReviewTurn).where(ReviewTurn.gap.is_(True), ReviewTurn.withheld.is_(False), ~labelled)
    return list(session.scalars(query.order_by(ReviewTurn.at.desc()).limit(GAP_LIMIT)))


def group(turns: list[ReviewTurn]) -> list[Gap]:
    """Turns grouped greedily by shared tokens, the largest group first."""
    gaps: list[Gap] = []
    for turn in turns:
        words = tokens(turn.text)
        gap = next((gap for gap in gaps if similar(gap.tokens, words)), None)
        if gap is None:
            gap = Gap(words)
            gaps.append(gap)
        gap.turns.append(turn)
        gap.guesses[turn.best_guess or "none"] += 1
    return sorted(gaps, key=lambda gap: (-len(gap.turns), gap.example))


def gaps(session: Session) -> list[Gap]:
    """The gaps, the commonest first."""
    return group([turn for turn in _gap_turns(session) if turn.text != IDENTITY_WITHHELD])
