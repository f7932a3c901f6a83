"""The sink's memory: threads per number, bounded, and long polls that wake on a change."""

from __future__ import annotations

import threading

from sms_sink.store import MessageStore, SmsMessage

PHONE, OTHER = "+12025550143", "+13125550188"


def test_a_thread_holds_only_its_numbers_messages_in_order() -> None:
    store = MessageStore()
    store.add("SM1", "inbound", PHONE, "hi", "received")
    store.add("SM2", "outbound", OTHER, "not yours", "queued")
    store.add("SM3", "outbound", PHONE, "hello", "queued")

    revision, messages = store.changes(PHONE)

    assert revision == 3
    assert [m.body for m in messages] == ["hi", "hello"]


def test_only_messages_changed_after_a_revision_are_returned() -> None:
    store = MessageStore()
    store.add("SM1", "outbound", PHONE, "hello", "queued")
    seen, _ = store.changes(PHONE)
    store.add("SM2", "outbound", PHONE, "again", "queued")
    store.update("SM1", "delivered")

    _, changed = store.changes(PHONE, since=seen)

    assert [(m.sid, m.status) for m in changed] == [("SM1", "delivered"), ("SM2", "queued")]  # thread order


def test_the_oldest_messages_and_requests_go_past_the_limit() -> None:
    store = MessageStore(limit=2)
    for n in range(3):
        store.add(f"SM{n}", "outbound", PHONE, str(n), "queued")

    assert [m.body for m in store.changes(PHONE)[1]] == ["1", "2"]
    assert store.update("SM0", "sent") is None


def test_numbers_are_listed_most_recent_first() -> None:
    store = MessageStore()
    store.add("SM1", "inbound", PHONE, "hi", "received")
    store.add("SM2", "inbound", OTHER, "hi", "received")

    assert store.numbers() == [OTHER, PHONE]


def test_a_long_poll_wakes_when_the_thread_changes() -> None:
    store = MessageStore()
    got: list[list[SmsMessage]] = []
    waiter = threading.Thread(target=lambda: got.append(store.changes(PHONE, 0, wait_seconds=30)[1]))
    waiter.start()

    store.add("SM1", "outbound", PHONE, "hello", "queued")
    waiter.join(timeout=10)

    assert not waiter.is_alive()
    assert [m.body for m in got[0]] == ["hello"]


def test_a_long_poll_without_a_change_returns_nothing_at_its_deadline() -> None:
    store = MessageStore()
    store.add("SM1", "outbound", OTHER, "not yours", "queued")

    assert store.changes(PHONE, 0, wait_seconds=0.05) == (1, [])
