"""What the bot said earlier in the conversation, read from the tracker's events (no API call)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rasa_sdk import Tracker


def response_of(event: dict[str, Any]) -> str | None:
    """The response a bot event uttered (its `utter_action`), if it was one."""
    return (event.get("metadata") or {}).get("utter_action")


def said_before(tracker: Tracker, response: str) -> bool:
    """The bot sent `response` earlier in this conversation."""
    return any(response_of(event) == response for event in tracker.events)


def _between_last_two_messages(tracker: Tracker) -> list[dict[str, Any]]:
    users = [i for i, event in enumerate(tracker.events) if event.get("event") == "user"][-2:]
    if not users:
        return []
    events: list[dict[str, Any]] = tracker.events
    return events[users[0] + 1 : users[-1]] if len(users) == 2 else events[: users[-1]]


def said_since_last_message(tracker: Tracker, response: str) -> bool:
    """Between the debtor's last two messages the bot sent `response`."""
    return any(response_of(event) == response for event in _between_last_two_messages(tracker))


def last_answer(tracker: Tracker) -> dict[str, Any] | None:
    """The bot's last message before the debtor's latest one (None when there was none)."""
    said = [event for event in _between_last_two_messages(tracker) if event.get("event") == "bot"]
    return said[-1] if said else None


def message_of(message_id: Any) -> str | None:
    """The id of the message as the channel received it: a part of a message handed over in parts ("SM123.1",
    channels/segments.py) is of the message itself ("SM123")."""
    return str(message_id).split(".", 1)[0] if message_id else None
