"""The dashboard's figures over conversations started in a date range, each a JSON-ready dict.

Conversations per day and channel, containment, the funnel (to the payment link opened and the payment
made), handoffs and their reasons (the API's handoff records), fallback rate by intent, plan and promise
conversion and promises kept (the API's promises and payments), opt-outs, distress levels, the satisfaction
survey, and the outcomes by creditor, channel and segment (api.insights.segments).
"""

import csv
import io
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Final

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from api.collections.models import PaymentClaim, PaymentLink, Promise
from api.handoffs.models import Handoff
from api.insights.models import ReviewConversation, ReviewTurn
from api.insights.outcomes import AGREEMENTS, DISTRESS_LEVELS, SATISFACTION_SCORES
from api.insights.segments import DIMENSIONS, segments

Figure = dict[str, Any]
FUNNEL: Final = (
    ("first message", "debtor_turns"),
    ("verified", "verified"),
    ("balance", "balance_seen"),
    ("offer", "offered"),
    ("agreement", "agreement"),
    ("payment link opened", "link_opened"),
    ("payment made", "paid"),
)


@dataclass(frozen=True)
class Period:
    """Conversations started from `since` to `until`, both days included."""

    since: date
    until: date

    @classmethod
    def last_days(cls, days: int, today: date) -> "Period":
        """The `days` days up to today."""
        return cls(today - timedelta(days=days - 1), today)

    def bounds(self) -> tuple[datetime, datetime]:
        """The period as UTC datetimes [start, end)."""
        return datetime.combine(self.since, time.min, UTC), datetime.combine(
            self.until + timedelta(1), time.min, UTC
        )


def rate(part: int, whole: int) -> float:
    """part / whole rounded to 4 places, 0 for an empty whole."""
    return round(part / whole, 4) if whole else 0.0


def conversations(session: Session, period: Period) -> list[ReviewConversation]:
    """The conversations started in the period."""
    start, end = period.bounds()
    C = ReviewConversation
    return list(session.scalars(select(C).where(C.started_at >= start, C.started_at < end)))


def reached(conversation: ReviewConversation, step: str) -> bool:
    """Whether a conversation reached a funnel step."""
    if step == "agreement":
        return any(getattr(conversation, name) for name in AGREEMENTS)
    return bool(getattr(conversation, step))


def per_day(session: Session, period: Period) -> Figure:
    """Conversations per day and channel."""
    counts = Counter((c.started_at.date().isoformat(), c.channel) for c in conversations(session, period))
    rows = [
        {"day": day, "channel": channel, "conversations": n} for (day, channel), n in sorted(counts.items())
    ]
    return {"rows": rows, "channels": sorted({channel for _, channel in counts})}


def containment(session: Session, period: Period) -> Figure:
    """Conversations resolved without a person (no handoff)."""
    rows = conversations(session, period)
    contained = sum(1 for c in rows if not c.handoff)
    return {"conversations": len(rows), "contained": contained, "rate": rate(contained, len(rows))}


def funnel(session: Session, period: Period) -> Figure:
    """First message -> verified -> balance -> offer -> agreement, with the drop-off at each step."""
    rows, steps, previous = conversations(session, period), [], None
    for name, attribute in FUNNEL:
        count = sum(1 for c in rows if reached(c, attribute))
        dropped = (previous - count) if previous is not None else 0
        steps.append(
            {
                "step": name,
                "conversations": count,
                "drop_off": dropped,
                "drop_off_rate": rate(dropped, previous or 0),
            }
        )
        previous = count
    return {"steps": steps}


def handoffs(session: Session, period: Period) -> Figure:
    """The handoff rate and the reasons the API recorded."""
    rows = conversations(session, period)
    senders = [c.sender_id for c in rows if c.handoff]
    reasons = Counter(session.scalars(select(Handoff.reason).where(Handoff.conversation_id.in_(senders))))
    handed = len(senders)
    return {
        "conversations": len(rows),
        "handoffs": handed,
        "rate": rate(handed, len(rows)),
        "reasons": [{"reason": reason, "handoffs": n} for reason, n in reasons.most_common()],
    }


def fallback_by_intent(session: Session, period: Period) -> Figure:
    """Per best-guess intent: debtor messages, how many the bot did not understand, the rate."""
    start, end = period.bounds()
    T = ReviewTurn
    query = (
        select(T.best_guess, func.count(), func.sum(case((T.gap.is_(True), 1), else_=0)))
        .where(T.sender == "debtor", T.at >= start, T.at < end)
        .group_by(T.best_guess)
    )
    rows = [
        {
            "intent": intent or "none",
            "messages": total,
            "fallbacks": int(gaps or 0),
            "rate": rate(int(gaps or 0), total),
        }
        for intent, total, gaps in session.execute(query).tuples()
    ]
    return {"rows": sorted(rows, key=lambda row: (-row["rate"], row["intent"]))}


def _paid_by(session: Session, account_id: str, deadline: datetime) -> bool:
    """Whether a payment (a used payment link or a payment claim) was made on the account by the deadline."""
    link = select(PaymentLink.id).where(PaymentLink.account_id == account_id, PaymentLink.used_at < deadline)
    claim = select(PaymentClaim.id).where(
        PaymentClaim.account_id == account_id, PaymentClaim.created_at < deadline
    )
    return session.scalar(link.limit(1)) is not None or session.scalar(claim.limit(1)) is not None


def promises_kept(session: Session, accounts: set[str], today: date) -> Figure:
    """Promises of these accounts that fell due before today, and how many were kept."""
    standing = Promise.superseded_at.is_(None)
    query = select(Promise).where(Promise.account_id.in_(accounts), Promise.promised_on < today, standing)
    due = list(session.scalars(query))
    kept = sum(
        1
        for p in due
        if _paid_by(session, p.account_id, datetime.combine(p.promised_on + timedelta(1), time.min, UTC))
    )
    return {"due": len(due), "kept": kept, "rate": rate(kept, len(due))}


def conversion(session: Session, period: Period) -> Figure:
    """Plans and promises made per verified conversation, and promises kept."""
    rows = conversations(session, period)
    verified = [c for c in rows if c.verified]
    plans, promises = sum(1 for c in verified if c.plan_made), sum(1 for c in verified if c.promise_made)
    accounts = {c.account_id for c in rows if c.account_id and c.promise_made}
    return {
        "verified": len(verified),
        "plans": plans,
        "plan_rate": rate(plans, len(verified)),
        "promises": promises,
        "promise_rate": rate(promises, len(verified)),
        "promises_kept": promises_kept(session, accounts, datetime.now(UTC).date()),
    }


def opt_outs(session: Session, period: Period) -> Figure:
    """Conversations that ended in an opt-out."""
    rows = conversations(session, period)
    opted = sum(1 for c in rows if c.opted_out)
    return {"conversations": len(rows), "opt_outs": opted, "rate": rate(opted, len(rows))}


def distress(session: Session, period: Period) -> Figure:
    """Conversations by their highest distress level."""
    counts = Counter(DISTRESS_LEVELS[c.distress_max] for c in conversations(session, period))
    return {"levels": [{"level": level, "conversations": counts.get(level, 0)} for level in DISTRESS_LEVELS]}


def mean_score(scores: list[int]) -> float | None:
    """The mean survey score to 2 places, None without answers."""
    return round(sum(scores) / len(scores), 2) if scores else None


def _scores(rows: list[ReviewConversation]) -> list[int]:
    return [c.satisfaction for c in rows if c.satisfaction is not None]


def _grouped(
    session: Session, rows: list[ReviewConversation]
) -> dict[tuple[str, str], list[ReviewConversation]]:
    """The conversations by (dimension, segment value), in DIMENSIONS order then by value."""
    by_id = segments(session, rows)
    groups: dict[tuple[str, str], list[ReviewConversation]] = {}
    for dimension in DIMENSIONS:
        for conversation in rows:
            groups.setdefault((dimension, by_id[conversation.id].value(dimension)), []).append(conversation)
    return dict(sorted(groups.items(), key=lambda item: (DIMENSIONS.index(item[0][0]), item[0][1])))


def satisfaction(session: Session, period: Period) -> Figure:
    """The survey: answers, the mean score and its distribution, and the mean by creditor, channel and
    segment."""
    rows = conversations(session, period)
    scores, counts = _scores(rows), Counter(_scores(rows))
    by = [
        {
            "dimension": dimension,
            "segment": value,
            "answers": len(_scores(group)),
            "mean": mean_score(_scores(group)),
        }
        for (dimension, value), group in _grouped(session, rows).items()
    ]
    return {
        "distribution": [{"score": score, "answers": counts.get(score, 0)} for score in SATISFACTION_SCORES],
        "conversations": len(rows),
        "answers": len(scores),
        "answer_rate": rate(len(scores), len(rows)),
        "mean": mean_score(scores),
        "by_segment": by,
    }


def breakdown_row(dimension: str, value: str, group: list[ReviewConversation]) -> dict[str, Any]:
    """One segment's conversations and the rates of the outcomes that matter to marketing."""
    total = len(group)
    return {
        "dimension": dimension,
        "segment": value,
        "conversations": total,
        "verified_rate": rate(sum(1 for c in group if c.verified), total),
        "agreement_rate": rate(sum(1 for c in group if reached(c, "agreement")), total),
        "link_opened_rate": rate(sum(1 for c in group if c.link_opened), total),
        "paid_rate": rate(sum(1 for c in group if c.paid), total),
        "handoff_rate": rate(sum(1 for c in group if c.handoff), total),
        "satisfaction_mean": mean_score(_scores(group)),
    }


def breakdowns(session: Session, period: Period) -> Figure:
    """The outcomes by creditor, channel, days-past-due band and balance band."""
    groups = _grouped(session, conversations(session, period))
    return {"rows": [breakdown_row(dimension, value, group) for (dimension, value), group in groups.items()]}


FIGURES: Final[dict[str, Callable[[Session, Period], Figure]]] = {
    "per-day": per_day,
    "containment": containment,
    "funnel": funnel,
    "handoffs": handoffs,
    "fallback-by-intent": fallback_by_intent,
    "conversion": conversion,
    "opt-outs": opt_outs,
    "distress": distress,
    "satisfaction": satisfaction,
    "breakdowns": breakdowns,
}


def table_of(figure: Figure) -> list[dict[str, Any]]:
    """A figure as rows: its first list of rows, else its scalar values as one row."""
    lists = [
        value for value in figure.values() if isinstance(value, list) and value and isinstance(value[0], dict)
    ]
    if lists:
        return list(lists[0])
    return [{key: value for key, value in figure.items() if not isinstance(value, list | dict)}]


def as_csv(figure: Figure) -> str:
    """A figure as CSV for spreadsheets and BI tools."""
    rows, out = table_of(figure), io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]) if rows else [], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
