"""Run conversations against a running stack: each turn's checks, then the expected end state."""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import redis

from api.campaigns import reminders, templates
from api.campaigns.sending import Reminder
from api.conversations import service as conversations
from api.handoffs.rasa_client import RasaClient
from tests.conversations import endstate
from tests.conversations.channels import Channel, RestChannel, SmsChannel, TurnTimeout
from tests.conversations.spec import DEMO_ACCOUNTS, Conversation, Turn, debt_words, matches
from tests.integration.running import Stack

NOT_UNDERSTOOD = (
    "didn't understand",
    "still not sure what you need",
    "did you mean one of these",
    "i'm not getting this right",
)
VERIFIED = "you're verified"
VERIFICATION_STEP = ("reference number", "date of birth", "ACME-1234", "zip code", VERIFIED)
KEPT_TABLES = frozenset({"alembic_version"})


@dataclass
class Result:
    """How one conversation went."""

    name: str
    channel: str
    title: str
    reached_end: bool = False
    first_failing_turn: int | None = None
    failure: str | None = None
    end_problems: list[str] = field(default_factory=list)
    max_not_understood_in_a_row: int = 0
    first_reply_leads_to_verification: bool = False
    first_reply_must_verify: bool = True
    transcript: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """The result as the JSON report holds it."""
        return asdict(self)


def not_understood(replies: list[str]) -> bool:
    """Whether the bot's answer to a message was one of its "didn't understand" replies."""
    return any(phrase in reply.lower() for reply in replies for phrase in NOT_UNDERSTOOD)


def turn_problems(turn: Turn, replies: list[str], verified: bool, account: str) -> list[str]:
    """What is wrong with the bot's replies to one turn."""
    text = "\n".join(replies)
    problems = [f"missing {p!r}" for p in turn.expect if not matches(p, text)]
    if turn.expect_any and not any(matches(p, text) for p in turn.expect_any):
        problems.append(f"none of {list(turn.expect_any)!r}")
    problems += [f"has {p!r}" for p in turn.reject if matches(p, text)]
    if not verified:
        before = text.lower().split(VERIFIED)[0]
        problems += [
            f"DISCLOSED {w!r} before verification" for w in debt_words(account) if w.lower() in before
        ]
    return problems


def open_channel(stack: Stack, conversation: Conversation) -> Channel:
    """The debtor's side of the conversation on its channel."""
    if conversation.channel == "sms":
        return SmsChannel(stack, conversation.phone)
    return RestChannel(stack)


def remind(stack: Stack, conversation_id: str, response: str) -> None:
    """Put a campaign reminder on the debtor's tracker exactly as api/campaigns does after sending it."""
    text = templates.REMINDERS[response].format(company=stack.env.get("SMS_COMPANY_NAME", ""))
    reminder = Reminder("runner", "runner", "runner", response, text, conversation_id)
    reminders.inject(RasaClient(stack.rasa_url, stack.rasa_token), reminder)


def _record(result: Result, index: int, problems: list[str]) -> None:
    if problems and result.first_failing_turn is None:
        result.first_failing_turn, result.failure = index, "; ".join(problems)


def run(stack: Stack, conversation: Conversation) -> Result:
    """Play the debtor's turns in order, check every reply, then the end state."""
    result = Result(conversation.name, conversation.channel, conversation.title)
    result.first_reply_must_verify = conversation.opening_without_verification is None
    channel, verified, streak = open_channel(stack, conversation), False, 0
    if conversation.reminder:
        remind(stack, channel.conversation_id, conversation.reminder)
    for index, turn in enumerate(conversation.turns, start=1):
        try:
            replies = channel.send(turn.user)
        except (TurnTimeout, OSError, ValueError) as error:
            _record(result, index, [f"no answer: {type(error).__name__}: {error}"])
            return result
        if index == 1:
            result.first_reply_leads_to_verification = leads_to_verification(
                replies, bool(conversation.reminder)
            )
        streak = streak + 1 if not_understood(replies) else 0
        result.max_not_understood_in_a_row = max(result.max_not_understood_in_a_row, streak)
        problems = turn_problems(turn, replies, verified, conversation.account)
        verified = verified or any(VERIFIED in reply.lower() for reply in replies)
        result.transcript.append({"user": turn.user, "bot": replies, "problems": problems})
        _record(result, index, problems)
    result.end_problems = endstate.check(stack, conversation.account, channel, conversation.end)
    result.reached_end = result.first_failing_turn is None and not result.end_problems
    return result


def leads_to_verification(replies: list[str], identified: bool = False) -> bool:
    """The first reply says who we are (unless our reminder just did) and asks for an identity fact (or
    verifies the facts already given)."""
    text = " ".join(replies).lower()
    return (identified or "acme recovery" in text) and any(step.lower() in text for step in VERIFICATION_STEP)


def database(stack: Stack) -> Path:
    """The stack's SQLite database file."""
    return Path(stack.env["DATABASE_URL"].removeprefix("sqlite:///"))


def snapshot(stack: Stack) -> Path:
    """A copy of the freshly seeded database, taken before any conversation, to reset to."""
    copy = stack.logs / "seeded.db"
    with sqlite3.connect(database(stack)) as live, sqlite3.connect(copy) as saved:
        live.backup(saved)
    return copy


def reset(stack: Stack, seeded: Path, redis_db: int) -> None:
    """Fresh demo accounts: every table back to its seeded rows, and no Rasa tracker for the demo phones."""
    with sqlite3.connect(database(stack)) as db:
        db.execute("PRAGMA foreign_keys = OFF")
        db.execute("ATTACH DATABASE ? AS seeded", (str(seeded),))
        tables = [row[0] for row in db.execute("SELECT name FROM seeded.sqlite_master WHERE type = 'table'")]
        for table in tables:
            if table not in KEPT_TABLES and not table.startswith("sqlite_"):
                db.execute(f'DELETE FROM main."{table}"')  # noqa: S608 (names from sqlite_master)
                db.execute(f'INSERT INTO main."{table}" SELECT * FROM seeded."{table}"')  # noqa: S608
    forget_sms_conversations(stack, redis_db)


def forget_sms_conversations(stack: Stack, redis_db: int) -> None:
    """Delete the Rasa tracker and lock keys of the demo phones' conversations (REST ones are new each time).

    Only these keys: the Redis database may be shared with other work on this machine.
    """
    store = redis.Redis(host="127.0.0.1", port=6379, db=redis_db)
    for phone in (account["phone"] for account in DEMO_ACCOUNTS.values()):
        sms = conversations.conversation_id(stack.env["SECRET_KEY"], "sms", str(phone))
        keys = list(store.scan_iter(match=f"*{sms}*"))
        if keys:
            store.delete(*keys)
