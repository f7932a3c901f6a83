"""A debtor's turn that failed on our side: a short fixed reply and a handoff, never silence.

Rasa 3.6 catches an action server that cannot be reached (or answers 5xx) inside its processor, logs it,
drops the action's events and carries on, so the debtor gets nothing, or half an answer, and nobody
learns of it. A tracker or lock store that is down (Redis restarting) makes the whole turn raise, which
the channels used to log and drop. `install()` makes every `RemoteAction` of this process note its
failure in the running turn; `FailedTurns.run` hands a message to Rasa and, when the turn noted a failure
or raised, answers SERVICE_TROUBLE_REPLY through the channel's own output (the same gated path as every
reply: the SMS outbox, the webchat gate) and queues a handoff (reason `service_unavailable`) in the API.

A turn that runs past TURN_LIMIT is cut off at its next await and answered the same way: one debtor's
message must never hold a core and the conversation's lock for minutes (heldout26 887: a score nobody asked
for, replayed by Rasa's two-stage fallback 455 times, each replay copying a longer tracker).

The bot is not paused: when the action server is back, the debtor's next message is answered as usual;
an agent who claims the handoff sees why it was queued. The handoff is one per conversation (the API
returns the open one), so a long outage queues a conversation once.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Awaitable, Callable, Mapping
from contextvars import ContextVar
from typing import Any, Final

from rasa.core.actions.action import (  # type: ignore[import-untyped]
    ActionExecutionRejection,
    RemoteAction,
)
from rasa.core.channels.channel import UserMessage  # type: ignore[import-untyped]

from channels import metrics
from channels.exceptions import MessagingApiError
from channels.held_notice import holding_the_notice
from channels.messaging_api import HandoffRequest, MessagingApi
from shared.purposes import NO_COLLECTION_CONTENT
from shared.vocabulary import HandoffReason

logger = logging.getLogger(__name__)

SERVICE_TROUBLE_REPLY: Final = "Sorry, something went wrong on our side; a person will pick this up."
"""Says nothing about the debt: the turn may have failed before the debtor was verified."""
HANDOFF_SUMMARY: Final = "The bot could not answer a message: a service behind it was unavailable."
SILENT_ACTIONS: Final = frozenset({"action_handoff_relay"})
"""Actions run while a person owns the conversation: the bot says nothing then, not even this reply."""

TURN_LIMIT: Final = 60.0
"""Seconds one turn may take, waiting for its conversation's lock included (a turn takes well under one
second; p99 3 s at 32 concurrent conversations on 2 cores), unless TURN_LIMIT_SECONDS says otherwise."""
LIMIT_VARIABLE: Final = "TURN_LIMIT_SECONDS"


def turn_limit(env: Mapping[str, str] = os.environ) -> float:
    """The environment's TURN_LIMIT_SECONDS, or TURN_LIMIT when unset; a value that is not a positive number
    stops the server at start (a turn limit of zero would cut off every turn)."""
    limit = float(env.get(LIMIT_VARIABLE) or TURN_LIMIT)
    if limit <= 0:
        raise ValueError(f"{LIMIT_VARIABLE} must be a positive number of seconds")
    return limit


OnNewMessage = Callable[[UserMessage], Awaitable[Any]]
STOCK_RUN = RemoteAction.run
_FAILURES: ContextVar[list[str] | None] = ContextVar("failed_actions", default=None)


async def run_noting_failures(self: Any, *args: Any, **kwargs: Any) -> Any:
    """RemoteAction.run, noting in the running turn that the action server did not serve it."""
    try:
        return await STOCK_RUN(self, *args, **kwargs)
    except ActionExecutionRejection:
        raise  # a form's validation said no: part of a normal conversation
    except Exception:
        note_failure(str(self.name()))
        raise


def note_failure(what: str) -> None:
    """Record a failure in the turn running in this context (none running: nothing to do)."""
    failures = _FAILURES.get()
    if failures is not None:
        failures.append(what)


def install() -> None:
    """Make every RemoteAction of this process note its failures in the running turn."""
    RemoteAction.run = run_noting_failures


def installed() -> bool:
    """Whether this process's RemoteAction notes its failures."""
    return RemoteAction.run is run_noting_failures


async def failures_of(
    on_new_message: OnNewMessage, message: UserMessage, limit: float = TURN_LIMIT
) -> list[str]:
    """Run one turn; what failed in it: actions by name, or the turn itself by its error's type
    (`TimeoutError` when it ran past `limit` seconds and was cut off)."""
    failures: list[str] = []
    token = _FAILURES.set(failures)
    try:
        await asyncio.wait_for(on_new_message(message), limit)
    except Exception as error:
        # The type only: an error's text can carry the debtor's message.
        failures.append(type(error).__name__)
    finally:
        _FAILURES.reset(token)
    return failures


class FailedTurns:
    """Runs turns for one channel; answers and hands over the ones that failed on our side."""

    def __init__(self, channel: str, api: MessagingApi | None) -> None:
        """`api`: where handoffs are queued (None, as on the REST channel: the reply only)."""
        self.channel, self.api, self.limit = channel, api, turn_limit()

    async def run(self, on_new_message: OnNewMessage, message: UserMessage) -> list[str]:
        """Hand `message` to Rasa; what failed in its turn ([] when nothing did)."""
        started = time.perf_counter()
        failures = await failures_of(holding_the_notice(on_new_message), message, self.limit)
        metrics.turn_done(str(self.channel), time.perf_counter() - started, bool(failures))
        if failures and not SILENT_ACTIONS.issuperset(failures):
            await self.recover(message, failures)
        return failures

    async def recover(self, message: UserMessage, failures: list[str]) -> None:
        """Tell the debtor a person will pick this up, and queue that person."""
        conversation = str(message.sender_id)
        extra = {"conversation_id": conversation, "failed": failures, "channel": self.channel}
        logger.error("turn failed on our side: fixed reply and handoff", extra=extra)
        await message.output_channel.send_text_message(
            conversation, SERVICE_TROUBLE_REPLY, purpose=NO_COLLECTION_CONTENT
        )
        await self.hand_over(conversation)

    async def hand_over(self, conversation: str) -> None:
        """Queue (or join) the conversation's handoff; logged when the API cannot take it either."""
        if self.api is None:
            return
        request = HandoffRequest(
            conversation, self.channel, HandoffReason.SERVICE_UNAVAILABLE, HANDOFF_SUMMARY
        )
        try:
            await self.api.create_handoff(request)
        except MessagingApiError as error:
            logger.error("handoff not queued", extra={"conversation_id": conversation, "error": str(error)})
