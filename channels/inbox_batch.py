"""Group commit for the Twilio webhook: inbound SMS that arrive together are stored in one API request.

Each webhook request still waits until the API has stored its own message (and learnt whether it is a
retry) before Twilio gets its 200; only the round trips are shared. Nothing waits for a batch to fill:
a message that finds no request in flight is sent at once, alone; those that arrive while one is in
flight go together in the next. With 50 senders at once that is a handful of requests and commits
instead of 50 queued behind the database's write lock.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Final

from channels.exceptions import MessagingApiError

if TYPE_CHECKING:
    from channels.messaging_api import InboundSms, MessagingApi
    from shared.wire import InboundResult

logger = logging.getLogger(__name__)

MAX_BATCH: Final = 100
"""The API's ceiling for one batch (api/messaging/schemas.py INBOUND_BATCH_MAX)."""

Waiting = tuple["InboundSms", "asyncio.Future[InboundResult]"]


class InboxBatcher:
    """Stores inbound SMS through the API, many per request when they arrive while one is in flight."""

    def __init__(self, api: MessagingApi, max_batch: int = MAX_BATCH) -> None:
        self.api, self.max_batch = api, max_batch
        self._waiting: list[Waiting] = []
        self._sender: asyncio.Task[None] | None = None

    async def store(self, sms: InboundSms) -> InboundResult:
        """Store `sms` (once per MessageSid); returns when the API has committed it."""
        future: asyncio.Future[InboundResult] = asyncio.get_running_loop().create_future()
        self._waiting.append((sms, future))
        if self._sender is None or self._sender.done():
            self._sender = asyncio.get_running_loop().create_task(self._send_all())
        return await future

    async def _send_all(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting[: self.max_batch], self._waiting[self.max_batch :]
            await self._send(batch)

    async def _send(self, batch: list[Waiting]) -> None:
        try:
            outcomes = await self._stored([sms for sms, _ in batch])
        except Exception as error:  # every waiter must hear of it, whatever it was
            outcomes = [error] * len(batch)
        for (_, future), outcome in zip(batch, outcomes, strict=True):
            _settle(future, outcome)

    async def _stored(self, messages: list[InboundSms]) -> list[InboundResult | BaseException]:
        if len(messages) == 1:
            return [await self.api.store_inbound(messages[0])]
        try:
            return list(await self.api.store_inbound_batch(messages))
        except MessagingApiError as error:
            # A message the API refuses (4xx) must not take the others down with it: one by one.
            logger.warning("inbound batch not stored, storing one by one", extra={"error": str(error)})
            stores = (self.api.store_inbound(sms) for sms in messages)
            return list(await asyncio.gather(*stores, return_exceptions=True))


def _settle(future: asyncio.Future[InboundResult], outcome: InboundResult | BaseException) -> None:
    """Hand the waiting webhook request its answer (unless it has gone: the client hung up)."""
    if future.done():
        return
    if isinstance(outcome, BaseException):
        future.set_exception(outcome)
    else:
        future.set_result(outcome)
