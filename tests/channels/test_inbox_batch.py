"""Group commit of the Twilio webhook's inbound stores: batched when they arrive together, each answered
with its own result, never acknowledged before the API stored it; concurrent duplicates processed once."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest

from channels.exceptions import MessagingApiError
from channels.inbox_batch import InboxBatcher
from channels.messaging_api import InboundSms
from shared.wire import InboundResult
from tests.channels.conftest import Sms
from tests.factories import phone_number


def _sms(n: int) -> InboundSms:
    return InboundSms(f"SM{n:032d}", "+12025550100", "+15005550006", f"message {n}")


def _result(sms: InboundSms) -> InboundResult:
    return InboundResult(sms.message_sid, False, True, "c1", None, False, None, None)


class FakeApi:
    """Records each request; every request waits at `gate` (the API still storing), unless it is open."""

    def __init__(self, batch_error: Exception | None = None, error: Exception | None = None) -> None:
        self.requests: list[list[str]] = []
        self.gate = asyncio.Event()
        self.batch_error, self.error = batch_error, error
        self.stored: list[str] = []

    async def store_inbound(self, sms: InboundSms) -> InboundResult:
        return (await self._store([sms], None))[0]

    async def store_inbound_batch(self, batch: Sequence[InboundSms]) -> list[InboundResult]:
        return await self._store(list(batch), self.batch_error)

    async def _store(self, batch: list[InboundSms], error: Exception | None) -> list[InboundResult]:
        self.requests.append([sms.message_sid for sms in batch])
        await self.gate.wait()
        if error or self.error:
            raise error or self.error  # type: ignore[misc]
        self.stored.extend(sms.message_sid for sms in batch)
        return [_result(sms) for sms in batch]


async def _until(condition: object) -> None:
    while not condition():  # type: ignore[operator]
        await asyncio.sleep(0)


async def test_a_lone_message_is_stored_at_once_on_its_own() -> None:
    api = FakeApi()
    api.gate.set()

    result = await InboxBatcher(api).store(_sms(1))  # type: ignore[arg-type]

    assert result.id == _sms(1).message_sid and api.requests == [[_sms(1).message_sid]]


async def test_messages_arriving_while_a_store_is_in_flight_go_together_each_answered_with_its_own() -> None:
    api = FakeApi()
    batcher = InboxBatcher(api)  # type: ignore[arg-type]
    first = asyncio.create_task(batcher.store(_sms(0)))
    await _until(lambda: api.requests)
    rest = [asyncio.create_task(batcher.store(_sms(n))) for n in range(1, 6)]
    await asyncio.sleep(0)

    assert not any(task.done() for task in [first, *rest])  # nothing answered before it is stored
    api.gate.set()
    results = await asyncio.gather(first, *rest)

    assert [r.id for r in results] == [_sms(n).message_sid for n in range(6)]
    assert api.requests == [[_sms(0).message_sid], [_sms(n).message_sid for n in range(1, 6)]]


async def test_a_batch_is_never_larger_than_the_apis_ceiling() -> None:
    api = FakeApi()
    batcher = InboxBatcher(api, max_batch=2)  # type: ignore[arg-type]
    tasks = [asyncio.create_task(batcher.store(_sms(n))) for n in range(5)]
    await _until(lambda: api.requests)
    api.gate.set()

    await asyncio.gather(*tasks)

    assert [len(request) for request in api.requests] == [2, 2, 1]


async def test_a_batch_the_api_refuses_is_stored_one_by_one() -> None:
    api = FakeApi(batch_error=MessagingApiError("/api/v1/messages/inbound/batch answered 422"))
    batcher = InboxBatcher(api)  # type: ignore[arg-type]
    tasks = [asyncio.create_task(batcher.store(_sms(n))) for n in range(3)]
    api.gate.set()

    results = await asyncio.gather(*tasks)

    assert [r.id for r in results] == [_sms(n).message_sid for n in range(3)]
    assert sorted(api.stored) == sorted(_sms(n).message_sid for n in range(3))


async def test_when_the_api_cannot_store_every_waiting_request_hears_of_it() -> None:
    api = FakeApi(error=MessagingApiError("/api/v1/messages/inbound failed: ConnectError"))
    batcher = InboxBatcher(api)  # type: ignore[arg-type]
    tasks = [asyncio.create_task(batcher.store(_sms(n))) for n in range(3)]
    api.gate.set()

    outcomes = await asyncio.gather(*tasks, return_exceptions=True)

    assert all(isinstance(outcome, MessagingApiError) for outcome in outcomes)
    assert api.stored == []


async def test_after_a_failure_the_next_message_is_stored_again() -> None:
    api = FakeApi(error=MessagingApiError("down"))
    api.gate.set()
    batcher = InboxBatcher(api)  # type: ignore[arg-type]
    with pytest.raises(MessagingApiError):
        await batcher.store(_sms(1))
    api.error = None

    assert (await batcher.store(_sms(2))).id == _sms(2).message_sid


# --- through the real API and a real Sanic server ---


async def test_concurrent_deliveries_of_one_message_sid_are_acknowledged_and_processed_once(sms: Sms) -> None:
    params = sms.params(phone_number(), "hello")

    responses = await asyncio.gather(*(sms.post(params) for _ in range(10)))
    await sms.channel.drain()

    assert [response.status_code for response in responses] == [200] * 10
    assert [m.message_id for m in sms.agent.messages] == [params["MessageSid"]]


async def test_many_senders_at_once_are_each_stored_and_processed_once(sms: Sms) -> None:
    messages = [sms.params(phone_number(), f"message {n}") for n in range(30)]

    responses = await asyncio.gather(*(sms.post(params) for params in messages))
    await sms.channel.drain()

    assert [response.status_code for response in responses] == [200] * 30
    assert sorted(m.message_id for m in sms.agent.messages) == sorted(p["MessageSid"] for p in messages)
    retries = await asyncio.gather(*(sms.post(params) for params in messages))
    await sms.channel.drain()
    assert [r.status_code for r in retries] == [200] * 30 and len(sms.agent.messages) == 30
