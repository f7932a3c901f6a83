"""channels.introduction: a debtor writing first in a session a reminder started hears who we are."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, OutputChannel
from rasa.core.processor import MessageProcessor
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from channels import introduction

SESSION = [ActionExecuted("action_session_start"), BotUttered("intro"), SessionStarted()]
REMINDER = [BotUttered("Hello from Acme"), SlotSet("last_reminder", "utter_reminder_due_soon")]
LISTEN = ActionExecuted("action_listen")


class Processor:
    """What `fetch_and_introduce` uses of Rasa's MessageProcessor: a stored tracker and `_run_action`."""

    domain = None
    nlg = None

    def __init__(self, *events: Any) -> None:
        self.tracker = DialogueStateTracker.from_events("debtor", list(events))
        self.ran: list[tuple[str, OutputChannel | None]] = []
        self.fetched = 0
        self.updated: list[str] = []

    async def get_tracker(self, sender_id: str) -> DialogueStateTracker:
        self.fetched += 1
        return self.tracker

    async def _update_tracker_session(self, tracker: DialogueStateTracker, *_: Any) -> None:
        self.updated.append(tracker.sender_id)

    def _get_action(self, name: str) -> str:
        return name

    async def _run_action(self, action: str, output_channel: OutputChannel | None, **_: Any) -> None:
        self.ran.append((action, output_channel))


@pytest.fixture
def stock(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Calls that went to Rasa's own fetch."""
    calls: list[str] = []

    async def fetch(self: Any, sender_id: str, *_: Any) -> DialogueStateTracker:
        calls.append(sender_id)
        return self.tracker

    monkeypatch.setattr(introduction, "STOCK_FETCH", fetch)
    monkeypatch.setattr(introduction.PolicyPrediction, "for_action_name", staticmethod(lambda *_: None))
    return calls


@pytest.fixture
def patched() -> Iterator[None]:
    introduction.install()
    yield
    MessageProcessor.fetch_tracker_and_update_session = introduction.STOCK_FETCH


def test_a_session_a_reminder_started_is_unheard_until_the_debtor_writes() -> None:
    assert introduction.started_unheard(DialogueStateTracker.from_events("d", [*SESSION, LISTEN, *REMINDER]))
    written = [*SESSION, LISTEN, UserUttered("hi"), *REMINDER]
    assert not introduction.started_unheard(DialogueStateTracker.from_events("d", written))
    assert not introduction.started_unheard(DialogueStateTracker.from_events("d", []))


async def test_the_debtor_s_first_message_after_the_reminder_starts_the_session_on_their_channel(
    stock: list[str],
) -> None:
    processor = Processor(*SESSION, LISTEN, *REMINDER, LISTEN)
    channel = CollectingOutputChannel()
    tracker = await introduction.fetch_and_introduce(processor, "debtor", channel, {"account_id": "a1"})
    assert processor.ran == [("action_session_start", channel)]
    assert tracker.get_slot("session_started_metadata") == {"account_id": "a1"}
    assert stock == []


@pytest.mark.parametrize(
    "events",
    [[], [*SESSION, LISTEN, UserUttered("hi"), *REMINDER, LISTEN]],
    ids=["new conversation", "debtor already wrote in this session"],
)
async def test_otherwise_rasa_s_own_session_handling_runs(stock: list[str], events: list[Any]) -> None:
    """On the tracker fetched once (Rasa's own fetch would read it from the store a second time)."""
    processor = Processor(*events)
    await introduction.fetch_and_introduce(processor, "debtor", CollectingOutputChannel())
    assert processor.ran == [] and processor.updated == ["debtor"] and processor.fetched == 1
    assert stock == []


@pytest.mark.parametrize(
    "events",
    [
        [*SESSION, LISTEN, UserUttered("hi"), LISTEN, *REMINDER],
        [*SESSION, LISTEN, UserUttered("hi"), UserUtteranceReverted(), *REMINDER],
        [*SESSION, LISTEN, UserUttered("hi"), *SESSION, LISTEN, *REMINDER],
        [*SESSION, LISTEN, UserUttered("hi"), Restarted(), *SESSION, *REMINDER],
        [*SESSION, LISTEN, *REMINDER],
        [],
    ],
)
def test_the_quick_reading_from_the_end_agrees_with_the_applied_events(events: list[Any]) -> None:
    tracker = DialogueStateTracker.from_events("d", events)
    applied = tracker.applied_events()
    assert introduction.started_unheard(tracker) is (
        bool(applied) and not any(isinstance(event, UserUttered) for event in applied)
    )


async def test_a_call_without_a_channel_is_rasa_s_own(stock: list[str]) -> None:
    """/predict and the like have no debtor to introduce the bot to."""
    processor = Processor(*SESSION, LISTEN, *REMINDER, LISTEN)
    await introduction.fetch_and_introduce(processor, "debtor")
    assert processor.ran == [] and stock == ["debtor"]


@pytest.mark.usefixtures("patched")
def test_install_replaces_rasas_fetch() -> None:
    assert introduction.installed()
