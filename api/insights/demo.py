"""Demo data for the review and the dashboard: synthetic conversations over the last 30 days, so a fresh
`make run` (api.seed on the embedded SQLite default) shows a populated dashboard.

Deterministic (a seeded generator), written only into empty review tables, tied to the demo accounts so
the breakdowns by creditor, days past due and balance have something to show. The turns are invented text,
never a person's; their event ids are negative, so they never meet a broker event id.
"""

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Final

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.insights.models import ReviewConversation, ReviewTurn

CONVERSATIONS: Final = 240
FIRST_EVENT_ID: Final = -1_000_000_000
"""Demo turns count up from here: in order within a conversation, never a broker event id (those are > 0)."""
DAYS: Final = 30
SEED: Final = 13
CHANNELS: Final = (("sms", 0.55), ("webchat", 0.35), ("rest", 0.10))
GAPS: Final = (
    ("whats the damage", "check_balance"),
    ("can u do it cheaper", "offer_payment"),
    ("i lost my job last month", "financial_hardship"),
    ("is this a scam", "ask_who_is_this"),
    ("how much to make it go away", "settlement_offer"),
    ("whats the damage", "check_balance"),
)
SCORES: Final = {"sms": (1, 2, 4, 4, 5), "webchat": (3, 4, 4, 5, 5), "rest": (2, 3, 4, 5)}
"""The survey answers each channel's demo debtors give (webchat happier than SMS, for the charts)."""
AGREEMENTS: Final = {
    "plan_made": ("utter_plan_created", "Your plan is set up: [amount] a month from [date]."),
    "promise_made": ("utter_promise_recorded", "Thanks, I have noted your promise to pay on [date]."),
    "link_sent": ("utter_payment_link", "You can pay securely here: [link] (the link works for 24 hours)."),
}
"""An agreement's response and its text as the review stores it (amounts, dates and links never kept)."""


@dataclass
class Draft:
    """A demo conversation being made up: its row, its turns, and the clock of its next turn."""

    conversation: ReviewConversation
    turns: list[ReviewTurn]
    clock: datetime


def _pick(rng: random.Random, weighted: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([name for name, _ in weighted], [weight for _, weight in weighted])[0]


def _say(
    draft: Draft, sender: str, text: str, intent: str | None = None, response: str | None = None
) -> None:
    """Append a turn a few seconds after the last one."""
    draft.clock += timedelta(seconds=20)
    turn = ReviewTurn(sender=sender, text=text, withheld=False, gap=False, intent=intent, response=response)
    turn.at, turn.confidence = draft.clock, 0.93 if sender == "debtor" else None
    turn.best_guess = intent
    draft.turns.append(turn)


def _gap(rng: random.Random, draft: Draft) -> None:
    """A message the bot did not understand, and its fallback."""
    text, guess = rng.choice(GAPS)
    _say(draft, "debtor", text, "nlu_fallback")
    last = draft.turns[-1]
    last.gap, last.confidence, last.best_guess = True, round(rng.uniform(0.2, 0.55), 2), guess
    _say(
        draft, "bot", "Sorry, I didn't get that. Could you say it another way?", response="utter_ask_rephrase"
    )
    draft.conversation.fallback = True


def _start(rng: random.Random, index: int, today: date) -> Draft:
    day = today - timedelta(days=rng.randrange(DAYS))
    started = datetime.combine(day, time(8), UTC) + timedelta(minutes=rng.randrange(12 * 60))
    conversation = ReviewConversation(
        sender_id=f"demo-{index:04d}",
        channel=_pick(rng, CHANNELS),
        started_at=started,
        last_event_at=started,
        debtor_turns=0,
        distress_max=rng.choices((0, 1, 2, 3), (0.7, 0.18, 0.09, 0.03))[0],
    )
    draft = Draft(conversation, [], started)
    _say(draft, "bot", "Hi, this is Acme Recovery Services.", response="utter_introduction")
    _say(draft, "debtor", "hi i got a message about a debt", "greet")
    return draft


def _verify(rng: random.Random, draft: Draft, accounts: list[str]) -> bool:
    """Most debtors verify (their identity answers are withheld, as the ingest would store them)."""
    if not accounts or rng.random() > 0.72:
        return False
    draft.conversation.verified, draft.conversation.account_id = True, rng.choice(accounts)
    _say(draft, "debtor", "[identity withheld]", "inform_identity")
    draft.turns[-1].withheld = True
    _say(draft, "bot", "Thanks, you are verified.", response="utter_verified")
    return True


def _negotiate(rng: random.Random, draft: Draft) -> None:
    """Balance, offer, and one of plan, promise or payment link (opened, paid) or nothing."""
    c = draft.conversation
    c.balance_seen = rng.random() < 0.92
    if not c.balance_seen:
        return
    _say(draft, "bot", "Your balance is [amount].", response="utter_balance")
    c.offered = rng.random() < 0.7
    if not c.offered:
        return
    _say(draft, "debtor", "can i pay 50 a month", "offer_payment")
    outcome = rng.choices(("plan_made", "promise_made", "link_sent", ""), (0.3, 0.15, 0.3, 0.25))[0]
    if outcome:
        setattr(c, outcome, True)
        response, text = AGREEMENTS[outcome]
        _say(draft, "bot", text, response=response)
    if c.link_sent:
        c.link_opened = rng.random() < 0.7
        c.paid = c.link_opened and rng.random() < 0.6


def _close(rng: random.Random, draft: Draft) -> None:
    """Handoff, opt-out or survey; the rest abandoned when nothing came of them."""
    c = draft.conversation
    c.handoff = rng.random() < (0.25 if c.distress_max >= 2 else 0.07)
    agreed = c.plan_made or c.promise_made or c.link_sent
    c.opted_out = not (c.handoff or agreed) and rng.random() < 0.08
    if rng.random() < 0.5 and not c.opted_out:
        c.satisfaction = rng.choice(SCORES.get(c.channel, (3, 4)))
        _say(draft, "bot", "How did we do? Reply 1-5", response="utter_ask_satisfaction")
        _say(draft, "debtor", str(c.satisfaction), "inform")
    c.abandoned = not (agreed or c.handoff or c.opted_out) and rng.random() < 0.6


def conversation(rng: random.Random, index: int, today: date, accounts: list[str]) -> Draft:
    """One made-up conversation from greeting to its end."""
    draft = _start(rng, index, today)
    if rng.random() < 0.22:
        _gap(rng, draft)
    if _verify(rng, draft, accounts):
        _negotiate(rng, draft)
    _close(rng, draft)
    draft.conversation.last_event_at = draft.clock
    draft.conversation.debtor_turns = sum(1 for turn in draft.turns if turn.sender == "debtor")
    return draft


def generate(session: Session, accounts: list[str], today: date, count: int = CONVERSATIONS) -> list[str]:
    """Demo conversations into empty review tables (commits); their sender ids, none when not empty."""
    if session.scalar(select(func.count()).select_from(ReviewConversation)):
        return []
    rng, event_id, senders = random.Random(SEED), FIRST_EVENT_ID, []  # noqa: S311 (made-up, no secret)
    for index in range(count):
        draft = conversation(rng, index, today, accounts)
        session.add(draft.conversation)
        for turn in draft.turns:
            event_id += 1
            turn.event_id, turn.conversation = event_id, draft.conversation
            session.add(turn)
        senders.append(draft.conversation.sender_id)
    session.commit()
    return senders
